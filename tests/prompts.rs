//! The prompt corpus (`tests/prompts/*.prompts`, issue 15): prompts in four registers, each
//! compiled; its canonical program (`--emit tune`) snapshotted and compiled again to the same
//! MIDI bytes; the attributes its `# expect` line states checked in the music. The refusals
//! must fail with their code, pointing at their words.

mod common;

use tunec::resolve::PartRole;
use tunec::theory::{Letter, NoteName};
use tunec::{Compiled, Format, Options, compile};

/// The blocks of a corpus file: prompts separated by blank lines, header comments left out.
fn blocks(register: &str) -> Vec<String> {
    let path = format!("tests/prompts/{register}.prompts");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.split("\n\n")
        .map(str::trim)
        .filter(|b| b.lines().any(|l| !l.starts_with('#')))
        .map(|b| format!("{b}\n"))
        .collect()
}

/// The value of `# KIND …` comment lines in a block: `expect` or `refuse`.
fn directive<'a>(block: &'a str, kind: &str) -> Option<&'a str> {
    let prefix = format!("# {kind} ");
    block.lines().find_map(|l| l.strip_prefix(prefix.as_str()))
}

fn compiled(source: &str) -> Compiled {
    compile(source, &Options::new().name("prompt")).unwrap_or_else(|e| panic!("{source}{e}"))
}

fn midi(c: &Compiled) -> Vec<u8> {
    c.render(Format::Midi).expect("MIDI")
}

fn canonical(c: &Compiled) -> String {
    String::from_utf8(c.render(Format::Tune).expect("tune")).expect("UTF-8")
}

/// Pitch classes of a list of note names: `A B C# F# G`.
fn classes(names: &str) -> Vec<u8> {
    let mut out: Vec<u8> = names.split_whitespace().map(class).collect();
    out.sort_unstable();
    out
}

fn class(name: &str) -> u8 {
    let mut chars = name.chars();
    let letter = chars.next().and_then(Letter::from_char).expect("a letter");
    let alter = match chars.as_str() {
        "#" => 1,
        "b" => -1,
        _ => 0,
    };
    NoteName::new(letter, alter).pitch_class().index()
}

fn pitch(name: &str) -> u8 {
    let at = name.find(|c: char| c.is_ascii_digit()).expect("an octave");
    let octave: i32 = name[at..].parse().expect("an octave");
    (i32::from(class(&name[..at])) + (octave + 1) * 12) as u8
}

/// Checks one stated attribute (`key=D dorian`) on the composed music; the reason if not.
fn holds(c: &Compiled, attribute: &str) -> Result<(), String> {
    let (name, value) = attribute.split_once('=').expect("name=value");
    let score = c.score();
    let melody = score.part(PartRole::Melody).expect("a melody");
    let program = |role| score.part(role).map(|p| p.program.to_string());
    let ok = match name.trim() {
        "key" => score.key.to_string() == value,
        "meter" => score.meter.to_string() == value,
        "bars" => score.bars.to_string() == value,
        "bpm" => score.tempo.to_string() == value,
        "only" => common::pitch_classes(score)
            .iter()
            .all(|pc| classes(value).contains(pc)),
        "avoid" => !common::pitch_classes(score)
            .iter()
            .any(|pc| classes(value).contains(pc)),
        "leap" => {
            let most: u8 = value.parse().expect("semitones");
            let notes = &score
                .from_bar_one()
                .into_owned()
                .part(PartRole::Melody)
                .unwrap()
                .notes
                .clone();
            notes
                .windows(2)
                .all(|w| w[0].pitch.0.abs_diff(w[1].pitch.0) <= most)
        }
        "top" => melody.notes.iter().all(|n| n.pitch.0 <= pitch(value)),
        // At most that many semitones from the melody's lowest note to its highest.
        "width" => {
            let pitches = melody.notes.iter().map(|n| n.pitch.0);
            let (low, high) = (pitches.clone().min(), pitches.max());
            high.zip(low)
                .is_some_and(|(h, l)| h - l <= value.parse::<u8>().expect("semitones"))
        }
        "bottom" => melody.notes.iter().all(|n| n.pitch.0 >= pitch(value)),
        "range" => {
            let (low, high) = value.split_once(' ').expect("two pitches");
            let (low, high) = (pitch(low), pitch(high));
            melody
                .notes
                .iter()
                .all(|n| (low..=high).contains(&n.pitch.0))
        }
        // A part's notes within a range: `bass_range=E2 E3`, `chords_range=C3 C5`.
        "bass_range" | "chords_range" | "counter_range" => {
            let role = match name.trim() {
                "bass_range" => PartRole::Bass,
                "chords_range" => PartRole::Chords,
                _ => PartRole::CounterMelody,
            };
            let (low, high) = value.split_once(' ').expect("two pitches");
            let (low, high) = (pitch(low), pitch(high));
            (score.part(role))
                .is_some_and(|b| b.notes.iter().all(|n| (low..=high).contains(&n.pitch.0)))
        }
        "ends" => melody
            .notes
            .last()
            .is_some_and(|n| n.pitch.class().index() == class(value)),
        "starts" => melody
            .notes
            .first()
            .is_some_and(|n| n.pitch.class().index() == class(value)),
        // Only these note lengths in the melody, in ticks (a quarter is 480).
        "values" => {
            let named: Vec<u32> = value
                .split(' ')
                .map(|v| v.parse().expect("ticks"))
                .collect();
            melody.notes.iter().all(|n| named.contains(&n.duration))
        }
        "form" => {
            // A named section by its letter (verse A, chorus B), as `form=` writes it.
            let letters: String = (score.sections.iter())
                .map(|(_, s)| match s.song {
                    Some(_) => s.letter.to_string(),
                    None => s.to_string(),
                })
                .collect();
            letters == value
        }
        // Each section's bars in order (`sections=2 8 8 4`).
        "sections" => {
            let starts: Vec<u32> = score.sections.iter().map(|(bar, _)| *bar).collect();
            let ends = starts.iter().skip(1).copied().chain([score.bars]);
            let lengths: Vec<String> = (starts.iter().zip(ends))
                .map(|(start, end)| (end - start).to_string())
                .collect();
            lengths.join(" ") == value
        }
        // The first chords of the harmony, in order (`harmony=Dm7 G7 Cmaj7`).
        "harmony" => {
            let named: Vec<&str> = value.split(' ').collect();
            let heard: Vec<String> = (score.harmony.iter().take(named.len()))
                .map(|c| c.chord.to_string())
                .collect();
            heard == named
        }
        "swing" => score.swing.is_some().to_string() == value,
        "melody" => program(PartRole::Melody).as_deref() == Some(value),
        "chords" => program(PartRole::Chords).as_deref() == Some(value),
        "bass" => program(PartRole::Bass).as_deref() == Some(value),
        other => panic!("unknown attribute {other}"),
    };
    ok.then_some(())
        .ok_or_else(|| format!("{attribute} does not hold"))
}

/// Compiles every prompt of a register; snapshots the canonical programs; checks each one
/// compiles to the same bytes and every stated attribute holds. Returns the count.
fn register(name: &str) -> usize {
    let mut listing = String::new();
    let mut failures = Vec::new();
    let prompts = blocks(name);
    for prompt in &prompts {
        let c = compiled(prompt);
        let tune = canonical(&c);
        let again = compiled(&tune);
        if midi(&again) != midi(&c) {
            failures.push(format!("{prompt}canonical program differs:\n{tune}"));
        }
        for attribute in directive(prompt, "expect")
            .into_iter()
            .flat_map(|e| e.split(';'))
        {
            if let Err(why) = holds(&c, attribute) {
                failures.push(format!("{prompt}{why}"));
            }
        }
        let shown: Vec<&str> = prompt.lines().filter(|l| !l.starts_with('#')).collect();
        listing.push_str(&format!(
            "{}\n=> {}\n",
            shown.join("\n   "),
            tune.trim_end().replace('\n', "\n   ")
        ));
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    insta::assert_snapshot!(name, listing);
    prompts.len()
}

#[test]
fn micro_level_requests() {
    assert!(register("micro") >= 60);
}

#[test]
fn chat_requests() {
    assert!(register("chat") >= 50);
}

#[test]
fn dataset_captions() {
    assert!(register("captions") >= 45);
}

#[test]
fn musician_shorthand() {
    assert!(register("shorthand") >= 50);
}

/// The examples are terse already: their canonical programs compile to the same bytes too.
#[test]
fn every_example_s_canonical_program_gives_the_same_music() {
    for path in &common::examples() {
        let source = std::fs::read_to_string(path).unwrap();
        let c = compiled(&source);
        let tune = canonical(&c);
        assert_eq!(
            midi(&compiled(&tune)),
            midi(&c),
            "{}:\n{tune}",
            path.display()
        );
    }
}

#[test]
fn refusals_point_at_their_words() {
    let mut failures = Vec::new();
    let prompts = blocks("refusals");
    for prompt in &prompts {
        let expected = directive(prompt, "refuse").expect("a `# refuse CODE at TEXT` line");
        let (code, at) = expected.split_once(" at ").expect("CODE at TEXT");
        let errors = match compile(prompt, &Options::new()) {
            Ok(_) => {
                failures.push(format!("{prompt}compiles"));
                continue;
            }
            Err(e) => e,
        };
        let first = errors.iter().next().expect("an error");
        let span = first.labels[0].span;
        let pointed = &prompt[span.start..span.end];
        if first.code.as_str() != code || pointed != at {
            failures.push(format!(
                "{prompt}gave {} at `{pointed}`: {}",
                first.code.as_str(),
                first.message
            ));
        }
        if first.hint.is_none() {
            failures.push(format!("{prompt}has no hint"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(prompts.len() >= 25);
}
