//! The canonical program: what every line said, as terse clauses (`--emit tune`). Compiling
//! it gives the same music as the prompt it was read from: it writes the gathered clauses,
//! before any default, so the defaults come out the same.

use std::fmt::Write;

use super::clauses::{ChordBars, Gathered, PartClauses, PieceClauses, SectionClauses};
use super::plan::{Drumming, HarmonicRhythm, Sourced};
use crate::parts::PartRole;
use crate::presets::{self, instruments};
use crate::syntax::{ChordSpec, Target};
use crate::theory::{ChordQuality, Key, Mode, NoteName, Pitch};
use crate::vocabulary::dynamic_name;

/// The program in canonical clauses: the piece line, then part lines, then section lines.
pub fn render(g: &Gathered) -> String {
    let mut out = String::new();
    let key = written_key(&g.piece);
    let mut piece = piece_line(&g.piece);
    // A part the prompt adds and says nothing more of (`and drums`) is `with drums` on the
    // piece line, not an empty part line.
    let said = |p: &&PartClauses| !part_clauses(p, key).is_empty() || !p.section_ranges.is_empty();
    let bare = g.parts.iter().filter(|p| !said(p));
    piece.extend(bare.map(|p| format!("with {}", part_noun(p.role))));
    if !piece.is_empty() {
        out.push_str(&piece.join(", "));
        out.push('\n');
    }
    for part in g.parts.iter().filter(said) {
        let clauses = part_clauses(part, key).join(", ");
        let _ = writeln!(out, "{}: {clauses}", part.role.name());
        for (letter, range) in &part.section_ranges {
            let (low, high) = range.value;
            let range = format!("range {} to {}", pitch(low, key), pitch(high, key));
            let _ = writeln!(out, "section {letter} {}: {range}", part.role.name());
        }
    }
    for section in &g.sections {
        let _ = writeln!(
            out,
            "section {}: {}",
            section.name.value,
            section_clauses(section).join(", ")
        );
    }
    out
}

/// The noun a sentence adds a part with (`with drums`, `with accompaniment`).
fn part_noun(role: PartRole) -> &'static str {
    match role {
        PartRole::Chords => "accompaniment",
        other => other.name(),
    }
}

fn piece_line(p: &PieceClauses) -> Vec<String> {
    let mut out = Vec::new();
    let mut words: Vec<&str> = p.moods.iter().map(|m| m.value).collect();
    words.extend(p.tempo_word.as_ref().map(|t| t.value.0));
    words.extend(p.pentatonic.as_ref().map(|_| "pentatonic"));
    words.extend(p.mode_word.as_ref().map(|m| m.value.0.name()));
    words.extend(p.style.as_ref().map(|s| s.value.name));
    if !words.is_empty() {
        out.push(format!("{} tune", words.join(" ")));
    }
    if let Some(t) = &p.title {
        out.push(format!("title \"{}\"", t.value));
    }
    if let Some(key) = &p.key {
        let (tonic, mode) = key.value;
        out.push(match mode {
            Some(mode) => format!("in {tonic} {}", mode.name()),
            None => format!("in {tonic}"),
        });
    }
    push(&mut out, &p.meter, |m| m.to_string());
    push(&mut out, &p.bars, |b| format!("{b} bars"));
    push(&mut out, &p.section_bars, |b| format!("{b}-bar sections"));
    push(&mut out, &p.phrase_bars, |b| format!("{b}-bar phrases"));
    push(&mut out, &p.seconds, |s| format!("{s} seconds"));
    push(&mut out, &p.tempo, |t| tempo(*t, p.tempo_per));
    push(&mut out, &p.form, |f| {
        let letters: Vec<String> = f.iter().map(|l| l.value.to_string()).collect();
        match f.iter().any(|l| l.value.song.is_some()) {
            true => format!("form {}", letters.join(" ")),
            false => format!("form {}", letters.concat()),
        }
    });
    push(&mut out, &p.last_up, |(song, semitones)| match semitones {
        2 => format!("the last {} goes up a step", song.name()),
        1 => format!("the last {} goes up a half step", song.name()),
        n => format!("the last {} goes up {n} semitones", song.name()),
    });
    if let Some((chords, _)) = &p.chords {
        out.push(format!("chords {}", chord_bars(&chords.value)));
    }
    push(&mut out, &p.harmonic_rhythm, |h| match h {
        HarmonicRhythm::PerBar(1) => "one chord per bar".to_string(),
        HarmonicRhythm::PerBar(n) => format!("{n} chords per bar"),
        HarmonicRhythm::EveryBars(n) => format!("one chord every {n} bars"),
    });
    push(&mut out, &p.cadence, |c| {
        let article = if c.name().starts_with('a') { "an" } else { "a" };
        format!("ends with {article} {} cadence", c.name())
    });
    for (_, names) in &p.using_only {
        out.push(format!("using only {}", note_names(names)));
    }
    for (_, names) in &p.avoiding {
        out.push(format!("avoiding {}", note_names(names)));
    }
    push(&mut out, &p.seed, |s| format!("seed {s}"));
    out.extend(p.swing.as_ref().map(|_| "swing".to_string()));
    out.extend(p.solo.as_ref().map(|_| "solo".to_string()));
    push(&mut out, &p.ensemble, |name| name.to_string());
    out
}

/// An instrument by its name, or by its number where the name reads as another program.
fn instrument(program: u8) -> String {
    let name = instruments::name(program);
    match instruments::program(name) {
        Some(p) if p == program => name.to_string(),
        _ => format!("program {program}"),
    }
}

/// Adds a clause for a setting the lines gave.
fn push<T>(out: &mut Vec<String>, setting: &Option<Sourced<T>>, clause: impl Fn(&T) -> String) {
    if let Some(s) = setting {
        out.push(clause(&s.value));
    }
}

fn part_clauses(p: &PartClauses, key: Option<Key>) -> Vec<String> {
    let mut out = Vec::new();
    if p.dropped.is_some() {
        return vec!["none".to_string()];
    }
    push(&mut out, &p.program, |&program| {
        // `violin and flute`: the part's player, then those doubling it.
        let doubling = p.doubled_by.iter().map(|d| instrument(d.value));
        let players: Vec<String> = [instrument(program)].into_iter().chain(doubling).collect();
        players.join(" and ")
    });
    push(&mut out, &p.pattern, |pattern| pattern.name().to_string());
    push(&mut out, &p.range, |(low, high)| {
        format!("range {} to {}", pitch(*low, key), pitch(*high, key))
    });
    push(&mut out, &p.ceiling, |top| {
        format!("never above {}", pitch(*top, key))
    });
    push(&mut out, &p.floor, |bottom| {
        format!("never below {}", pitch(*bottom, key))
    });
    push(&mut out, &p.compass, |n| match n {
        12 => "within an octave".to_string(),
        n => format!("within {n} semitones"),
    });
    push(&mut out, &p.max_leap, |n| match n {
        2 => "stepwise".to_string(),
        1 => "no leaps larger than 1 semitone".to_string(),
        n => format!("no leaps larger than {n} semitones"),
    });
    out.extend(
        p.mostly_stepwise
            .as_ref()
            .map(|_| "mostly stepwise".to_string()),
    );
    push(&mut out, &p.starts_on, |t| {
        format!("starts on {}", target(*t, key))
    });
    push(&mut out, &p.ends_on, |t| {
        format!("ends on {}", target(*t, key))
    });
    for (_, names) in &p.using_only {
        out.push(format!("using only {}", note_names(names)));
    }
    for (_, names) in &p.avoiding {
        out.push(format!("avoiding {}", note_names(names)));
    }
    push(&mut out, &p.durations, |d| {
        let names: Vec<&str> = d.iter().map(|t| duration(*t)).collect();
        format!("rhythm {}", names.join(", "))
    });
    push(&mut out, &p.dynamics, |d| dynamic_name(*d).to_string());
    push(&mut out, &p.drumming, drumming);
    push(&mut out, &p.density, |d| {
        format!("{d:?}").to_ascii_lowercase()
    });
    push(&mut out, &p.contour, |c| {
        format!("{c:?}").to_ascii_lowercase()
    });
    out
}

fn section_clauses(s: &SectionClauses) -> Vec<String> {
    let mut out = Vec::new();
    push(&mut out, &s.bars, |b| format!("{b} bars"));
    push(&mut out, &s.chords, |c| format!("chords {}", chord_bars(c)));
    push(&mut out, &s.dynamics, |d| match d {
        1 => "louder".to_string(),
        -1 => "softer".to_string(),
        d => dynamic_name((*d + 5).clamp(1, 8) as u8).to_string(),
    });
    push(&mut out, &s.key, |(tonic, mode)| match mode {
        Some(mode) => format!("in {tonic} {}", mode.name()),
        None => format!("in {tonic}"),
    });
    push(&mut out, &s.meter, |m| m.to_string());
    push(&mut out, &s.tempo, |t| tempo(*t, s.tempo_per));
    push(&mut out, &s.hairpin, |h| match h {
        1 => "crescendo".to_string(),
        _ => "diminuendo".to_string(),
    });
    out
}

/// Chords bar by bar: `G C D G`, or `| G C | D G |` when a bar holds more than one.
fn chord_bars(bars: &ChordBars) -> String {
    let bar = |b: &Vec<crate::syntax::Spanned<ChordSpec>>| {
        b.iter()
            .map(|c| chord(c.value))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if bars.iter().all(|b| b.len() == 1) {
        return bars.iter().map(bar).collect::<Vec<_>>().join(" ");
    }
    format!(
        "| {} |",
        bars.iter().map(bar).collect::<Vec<_>>().join(" | ")
    )
}

fn chord(spec: ChordSpec) -> String {
    let ChordSpec::Numeral {
        degree,
        alter,
        quality,
    } = spec
    else {
        let ChordSpec::Symbol(symbol) = spec else {
            unreachable!()
        };
        return match symbol.bass {
            Some(bass) => format!("{symbol}/{bass}"),
            None => symbol.to_string(),
        };
    };
    use ChordQuality::*;
    let (upper, suffix) = match quality {
        Major | Major6 => (true, ""),
        Minor | Minor6 => (false, ""),
        Dominant7 => (true, "7"),
        Minor7 => (false, "7"),
        Major7 => (true, "maj7"),
        Diminished => (false, "dim"),
        Diminished7 => (false, "dim7"),
        HalfDiminished7 => (false, "ø"),
        Augmented => (true, "+"),
        Sus2 => (true, "sus2"),
        Sus4 => (true, "sus4"),
        Dominant9 => (true, "9"),
        Minor9 => (false, "9"),
        Major9 => (true, "maj9"),
    };
    let numeral = ["I", "II", "III", "IV", "V", "VI", "VII"][(degree as usize - 1) % 7];
    let numeral = if upper {
        numeral.to_string()
    } else {
        numeral.to_ascii_lowercase()
    };
    let sign = match alter {
        a if a < 0 => "b",
        a if a > 0 => "#",
        _ => "",
    };
    format!("{sign}{numeral}{suffix}")
}

const SHARPS: [&str; 12] = [
    "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
];

/// A pitch spelled in the key the lines wrote (`Bb4` in B-flat major), else with sharps.
fn pitch(p: Pitch, key: Option<Key>) -> String {
    match key {
        Some(key) => key.as_written().name_pitch(p),
        None => format!("{}{}", SHARPS[(p.0 % 12) as usize], i32::from(p.0) / 12 - 1),
    }
}

/// The key the piece line wrote, which the pitches are spelled in.
fn written_key(p: &PieceClauses) -> Option<Key> {
    let (tonic, mode) = p.key.as_ref()?.value;
    Some(Key::new(tonic, mode.unwrap_or(Mode::Major)))
}

/// Note names as the line wrote them: `Bb E`.
fn note_names(names: &[NoteName]) -> String {
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    names.join(" ")
}

fn target(t: Target, key: Option<Key>) -> String {
    match t {
        Target::Tonic => "the tonic".to_string(),
        Target::Dominant => "the dominant".to_string(),
        Target::Degree(d) => format!("degree {d}"),
        Target::Class(n) => n.to_string(),
        Target::Pitch(p) => pitch(p, key),
    }
}

fn duration(ticks: u32) -> &'static str {
    match ticks {
        1920 => "whole",
        960 => "halves",
        480 => "quarters",
        240 => "eighths",
        120 => "sixteenths",
        1440 => "dotted halves",
        720 => "dotted quarters",
        360 => "dotted eighths",
        180 => "dotted sixteenths",
        320 => "quarter triplets",
        80 => "sixteenth triplets",
        _ => "triplets",
    }
}

/// A drum grid row by row (`kick x...x...`), or the groove's name.
fn drumming(d: &Drumming) -> String {
    match d {
        // The groove's own word where it has one (`brushes`), else a style that has it.
        Drumming::Groove(groove) => (crate::vocabulary::DRUM_WORDS.iter())
            .find(|(_, g)| g == groove)
            .map(|(name, _)| *name)
            .or_else(|| {
                (presets::STYLES.iter())
                    .find(|s| s.drums == Some(*groove))
                    .map(|s| s.name)
            })
            .unwrap_or("pop")
            .to_string(),
        Drumming::Grid(rows) => {
            let row = |(key, steps): &(u8, Vec<u8>)| {
                let name = presets::DRUM_KIT
                    .iter()
                    .find(|(_, k)| k == key)
                    .map_or("kick", |(n, _)| n);
                let steps: String = steps
                    .iter()
                    .map(|v| match v {
                        0 => '.',
                        127 => 'X',
                        _ => 'x',
                    })
                    .collect();
                format!("{name} {steps}")
            };
            rows.iter().map(row).collect::<Vec<_>>().join(" ")
        }
    }
}

/// A tempo as written: in the meter's beats, or in the note it named (`♩=120`, `Q:3/8=80`).
fn tempo(bpm: u32, per: Option<(u32, u32)>) -> String {
    match per {
        None => format!("{bpm} bpm"),
        Some((1, 4)) => format!("♩={bpm}"),
        Some((n, d)) => format!("Q:{n}/{d}={bpm}"),
    }
}
