//! Songs (issue 16): named sections and their habits, and changes of key, tempo and loudness
//! within a piece, measured on the composed Score and the files written.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use tunec::resolve::PartRole;
use tunec::score::{Change, Score};
use tunec::{Compiled, Format, Options, compile};

const SONG: &str = "pop song in C major, form intro verse chorus verse chorus bridge chorus outro";

fn song(source: &str, seed: u64) -> Compiled {
    compile(source, &Options::new().seed(seed).name("song"))
        .unwrap_or_else(|e| panic!("{source} (seed {seed}): {e}"))
}

/// The bars (first, end) of every section the form names `name`.
fn bars_of(score: &Score, name: &str) -> Vec<(u32, u32)> {
    let ends = score
        .sections
        .iter()
        .skip(1)
        .map(|s| s.0)
        .chain([score.bars]);
    (score.sections.iter().zip(ends))
        .filter(|((_, n), _)| n.to_string() == name)
        .map(|((start, _), end)| (*start, end))
        .collect()
}

/// The notes of `role` in bars `bars`: (start, pitch, velocity).
fn notes_in(score: &Score, role: PartRole, (from, to): (u32, u32)) -> Vec<(u32, u8, u8)> {
    let (from, to) = (score.bar_start(from), score.bar_start(to));
    let part = score.part(role).unwrap();
    (part.notes.iter())
        .filter(|n| n.start >= from && n.start < to)
        .map(|n| (n.start - from, n.pitch.0, n.velocity))
        .collect()
}

fn mean(values: impl Iterator<Item = u8>) -> f64 {
    let values: Vec<f64> = values.map(f64::from).collect();
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

#[test]
fn a_chorus_is_the_same_each_time_higher_and_louder_than_the_verse() {
    let (mut higher, mut louder) = (0, 0);
    let seeds = 40;
    for seed in 0..seeds {
        let compiled = song(SONG, seed);
        let score = compiled.score();
        let choruses = bars_of(score, "chorus");
        assert_eq!(choruses.len(), 3);
        let melody = |bars| notes_in(score, PartRole::Melody, bars);
        // The opening bars of every chorus are note for note the same (the last bars lead on).
        let opening = |(from, _): (u32, u32)| {
            let mut notes = melody((from, from + 4));
            notes.iter_mut().for_each(|n| n.2 = 0);
            notes
        };
        assert!(choruses.iter().all(|c| opening(*c) == opening(choruses[0])));
        let verse = melody(bars_of(score, "verse")[0]);
        let chorus = melody(choruses[0]);
        higher += usize::from(mean(chorus.iter().map(|n| n.1)) > mean(verse.iter().map(|n| n.1)));
        louder += usize::from(mean(chorus.iter().map(|n| n.2)) > mean(verse.iter().map(|n| n.2)));
    }
    assert!(
        higher * 10 >= seeds as usize * 9,
        "higher in {higher} of {seeds}"
    );
    assert_eq!(louder, seeds as usize);
}

#[test]
fn intro_and_outro_are_shorter_and_softer_and_the_bridge_leaves_the_tonic() {
    for seed in 0..20 {
        let compiled = song(SONG, seed);
        let score = compiled.score();
        let length = |name| {
            bars_of(score, name)
                .iter()
                .map(|(a, b)| b - a)
                .max()
                .unwrap()
        };
        assert_eq!(
            (length("intro"), length("verse"), length("outro")),
            (4, 8, 4)
        );
        let loudness = |name| {
            let bars = bars_of(score, name)[0];
            mean(notes_in(score, PartRole::Melody, bars).iter().map(|n| n.2))
        };
        assert!(loudness("intro") < loudness("verse"), "seed {seed}");
        assert!(loudness("outro") < loudness("chorus"), "seed {seed}");
        let (from, to) = bars_of(score, "bridge")[0];
        let (from, to) = (score.bar_start(from), score.bar_start(to));
        let bridge: Vec<String> = (score.harmony.iter())
            .filter(|c| c.start >= from && c.start < to)
            .map(|c| c.chord.root.to_string())
            .collect();
        assert!(
            !bridge.is_empty() && !bridge.contains(&"C".to_string()),
            "{bridge:?}"
        );
    }
}

#[test]
fn letters_still_work_and_named_sections_show_in_every_file() {
    let letters = song("folk tune, form AABB, 16 bars", 1);
    assert_eq!(letters.score().sections[2].1.to_string(), "B");
    let compiled = song(SONG, 1);
    let text = |format| String::from_utf8(compiled.render(format).unwrap()).unwrap();
    assert!(text(Format::Abc).contains("\nP:chorus\n"));
    assert!(text(Format::MusicXml).contains("<rehearsal>bridge</rehearsal>"));
    let plan = text(Format::Plan);
    assert!(
        plan.contains("form             intro (4 bars) verse (8 bars)"),
        "{plan}"
    );
    assert!(plan.contains("section chorus level +1 steps"), "{plan}");
    let midi = compiled.render(Format::Midi).unwrap();
    let smf = midly::Smf::parse(&midi).unwrap();
    let markers: Vec<String> = (smf.tracks[0].iter())
        .filter_map(|e| match e.kind {
            midly::TrackEventKind::Meta(midly::MetaMessage::Marker(m)) => {
                Some(String::from_utf8_lossy(m).into_owned())
            }
            _ => None,
        })
        .collect();
    let form = "intro verse chorus verse chorus bridge chorus outro";
    assert_eq!(markers.join(" "), form);
}

#[test]
fn the_last_chorus_up_a_step_changes_key_in_the_score_and_the_files() {
    let source = "folk song in G major with a verse, a chorus, a verse, a chorus and an outro. \
                  The last chorus goes up a step.\nchords I IV V I";
    let compiled = song(source, 4);
    let score = compiled.score();
    let last = *bars_of(score, "chorus").last().unwrap();
    assert_eq!(score.changes, [(last.0, Change::Key(key("A major")))]);
    assert_eq!(score.key_at(score.bars - 1).to_string(), "A major");
    // The chorus is the same music a step higher; the chords A D E A.
    let first = bars_of(score, "chorus")[0];
    let up: Vec<(u32, u8)> = (notes_in(score, PartRole::Melody, (first.0, first.0 + 4)).iter())
        .map(|n| (n.0, n.1 + 2))
        .collect();
    let moved: Vec<(u32, u8)> = (notes_in(score, PartRole::Melody, (last.0, last.0 + 4)).iter())
        .map(|n| (n.0, n.1))
        .collect();
    assert_eq!(up, moved);
    let chord = |bar| {
        tunec::score::span_at(&score.harmony, score.bar_start(bar))
            .unwrap()
            .chord
    };
    assert_eq!(chord(last.0).to_string(), "A");
    assert_eq!(chord(last.0 + 1).to_string(), "D");
    let abc = String::from_utf8(compiled.render(Format::Abc).unwrap()).unwrap();
    assert!(abc.contains("[K:A]"), "{abc}");
    let xml = String::from_utf8(compiled.render(Format::MusicXml).unwrap()).unwrap();
    assert!(xml.contains("<fifths>3</fifths>"));
}

fn key(name: &str) -> tunec::theory::Key {
    let plan = tunec::plan_of(&format!("folk tune in {name}")).unwrap();
    plan.key.value
}

#[test]
fn a_section_s_tempo_and_key_are_written_where_it_starts() {
    let source = "ballad in D major, 90 bpm, form verse chorus verse chorus bridge chorus\n\
                  section chorus: in E major\nsection bridge: 72 bpm, crescendo";
    let compiled = song(source, 2);
    let score = compiled.score();
    let bridge = bars_of(score, "bridge")[0];
    assert_eq!(score.tempo_at(bridge.0), 72);
    assert_eq!(score.tempo_at(bridge.1), 90);
    assert_eq!(
        score.key_at(bars_of(score, "chorus")[0].0).to_string(),
        "E major"
    );
    assert_eq!(
        score.key_at(bars_of(score, "verse")[1].0).to_string(),
        "D major"
    );
    let smf_bytes = compiled.render(Format::Midi).unwrap();
    let smf = midly::Smf::parse(&smf_bytes).unwrap();
    let mut tick = 0;
    let mut tempi = Vec::new();
    for event in &smf.tracks[0] {
        tick += event.delta.as_int();
        if let midly::TrackEventKind::Meta(midly::MetaMessage::Tempo(t)) = event.kind {
            tempi.push((tick, (60_000_000 + t.as_int() / 2) / t.as_int()));
        }
    }
    let at = |bar| score.bar_start(bar);
    assert_eq!(tempi, [(0, 90), (at(bridge.0), 72), (at(bridge.1), 90)]);
    // The crescendo: the bridge's melody grows from its first half to its second.
    let notes = notes_in(score, PartRole::Melody, bridge);
    let half = (score.bar_start(bridge.1) - score.bar_start(bridge.0)) / 2;
    let loud = |early: bool| mean(notes.iter().filter(|n| (n.0 < half) == early).map(|n| n.2));
    assert!(loud(false) > loud(true));
}

/// The text between each `open` and the next `close` in `text`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    (text.split(open).skip(1))
        .map(|after| &after[..after.find(close).unwrap_or(after.len())])
        .collect()
}

#[test]
fn tempo_changes_and_hairpins_are_written_in_musicxml_and_abc() {
    let source = "ballad in D major, 90 bpm, form verse chorus bridge chorus outro\n\
                  section bridge: 72 bpm, crescendo\nsection outro: diminuendo";
    let compiled = song(source, 4);
    let parts = compiled.score().parts.len();
    let xml = String::from_utf8(compiled.render(Format::MusicXml).unwrap()).unwrap();
    // One metronome mark at the start, one where the bridge slows, one where the chorus
    // comes back, each with the tempo it plays.
    assert_eq!(between(&xml, "<per-minute>", "<"), ["90", "72", "90"]);
    assert_eq!(between(&xml, "<sound tempo=\"", "\""), ["90", "72", "90"]);
    // Every staff opens a crescendo at the bridge and a diminuendo at the outro, and closes
    // each once.
    let wedges = between(&xml, "<wedge type=\"", "\"");
    let count = |kind: &str| wedges.iter().filter(|w| **w == kind).count();
    assert_eq!(count("crescendo"), parts);
    assert_eq!(count("diminuendo"), parts);
    assert_eq!(count("stop"), 2 * parts);
    let abc = String::from_utf8(compiled.render(Format::Abc).unwrap()).unwrap();
    assert_eq!(between(&abc, "[Q:", "]"), ["1/4=72", "1/4=90"]);
    for (open, close) in [("!<(!", "!<)!"), ("!>(!", "!>)!")] {
        assert_eq!(abc.matches(open).count(), parts, "{abc}");
        assert_eq!(abc.matches(close).count(), parts, "{abc}");
    }
}

/// The meta events of the MIDI file's first track: (tick, time signature or tempo in bpm of
/// the quarter).
fn signatures(compiled: &Compiled) -> Vec<(u32, String)> {
    let bytes = compiled.render(Format::Midi).unwrap();
    let smf = midly::Smf::parse(&bytes).unwrap();
    let mut tick = 0;
    let mut out = Vec::new();
    for event in &smf.tracks[0] {
        tick += event.delta.as_int();
        match event.kind {
            midly::TrackEventKind::Meta(midly::MetaMessage::TimeSignature(n, d, ..)) => {
                out.push((tick, format!("{n}/{}", 1 << d)))
            }
            midly::TrackEventKind::Meta(midly::MetaMessage::Tempo(t)) => out.push((
                tick,
                format!("q={}", (60_000_000 + t.as_int() / 2) / t.as_int()),
            )),
            _ => {}
        }
    }
    out
}

#[test]
fn a_section_in_its_own_meter_is_written_and_played_in_it() {
    let source = "ballad in G major, 90 bpm, form verse chorus bridge chorus\n\
                  section bridge: 3/4";
    let compiled = song(source, 6);
    let score = compiled.score();
    let bridge = bars_of(score, "bridge")[0];
    assert_eq!(bridge, (16, 24));
    let at = |bar| score.bar_start(bar);
    assert_eq!(
        at(bridge.1) - at(bridge.0),
        8 * 3 * 480,
        "eight bars of 3/4"
    );
    assert_eq!(
        signatures(&compiled),
        [
            (0, "q=90".to_string()),
            (0, "4/4".to_string()),
            (at(bridge.0), "3/4".to_string()),
            (at(bridge.1), "4/4".to_string()),
        ]
    );
    // Every bar of the bridge holds notes of the melody that start within it, and the two
    // choruses around it are the same music.
    let melody = score.part(PartRole::Melody).unwrap();
    for bar in bridge.0..bridge.1 {
        assert!(
            (melody.notes.iter()).any(|n| (at(bar)..at(bar + 1)).contains(&n.start)),
            "bar {bar} of the bridge is empty"
        );
    }
    let choruses = bars_of(score, "chorus");
    let from = |bars: (u32, u32)| -> Vec<(u32, u8)> {
        let notes = notes_in(score, PartRole::Melody, bars);
        notes.iter().map(|n| (n.0, n.1)).collect()
    };
    assert_eq!(from(choruses[0]), from(choruses[1]));
    let xml = String::from_utf8(compiled.render(Format::MusicXml).unwrap()).unwrap();
    let times = between(&xml, "<beats>", "</beat-type>");
    let parts = score.parts.len();
    assert_eq!(
        times.len(),
        3 * parts,
        "the opening, the bridge's and the return's"
    );
    let abc = String::from_utf8(compiled.render(Format::Abc).unwrap()).unwrap();
    assert_eq!(abc.matches("[M:3/4]").count(), parts);
    assert_eq!(abc.matches("[M:4/4]").count(), parts);
}

#[test]
fn a_chorus_in_six_eight_keeps_the_beat_and_a_refusal_names_the_rule() {
    let source = "pop song in D, 120 bpm, form verse chorus verse chorus\nsection chorus: 6/8";
    let compiled = song(source, 1);
    let score = compiled.score();
    let chorus = bars_of(score, "chorus")[0];
    assert_eq!(score.tempo_at(chorus.0), 120);
    let at = score.bar_start(chorus.0);
    let changes = signatures(&compiled);
    assert!(changes.contains(&(at, "6/8".to_string())), "{changes:?}");
    // The dotted quarter at 120: 180 quarters a minute.
    assert!(changes.contains(&(at, "q=180".to_string())), "{changes:?}");
    let refused = |source: &str| match compile(source, &Options::new()) {
        Err(d) => d.to_string(),
        Ok(_) => panic!("{source} compiled"),
    };
    let steps =
        refused("ballad in G, form verse bridge verse\nsection bridge: 3/4\nmelody: stepwise");
    assert!(
        steps.contains("E0232") && steps.contains("this rule"),
        "{steps}"
    );
    let chords =
        refused("ballad in G, chords I IV V I, form verse bridge verse\nsection bridge: 3/4");
    assert!(
        chords.contains("E0232") && chords.contains("these chords"),
        "{chords}"
    );
}

/// The root of the chord sounding at the end of bars `bars`.
fn last_root(score: &Score, bars: (u32, u32)) -> String {
    let end = score.bar_start(bars.1) - 1;
    let span = score.harmony.iter().find(|c| c.start <= end && end < c.end);
    span.unwrap().chord.root.to_string()
}

#[test]
fn a_section_in_another_mode_centres_on_its_own_tonic() {
    for (written, key, tonic) in [
        ("in E minor", "E minor", "E"),
        ("in D dorian", "D dorian", "D"),
    ] {
        let source = format!(
            "pop song in G major, form verse chorus bridge chorus\nsection bridge: {written}"
        );
        for seed in 0..4 {
            let compiled = song(&source, seed);
            let score = compiled.score();
            let bridge = bars_of(score, "bridge")[0];
            assert_eq!(score.key_at(bridge.0).to_string(), key);
            assert_eq!(score.key_at(bridge.1).to_string(), "G major");
            // The bridge closes on its own tonic; the piece on G.
            assert_eq!(last_root(score, bridge), tonic, "{source} seed {seed}");
            assert_eq!(
                last_root(score, (0, score.bars)),
                "G",
                "{source} seed {seed}"
            );
        }
    }
    let refused = match compile(
        "pop song in G major, form verse bridge verse\nsection bridge: in E minor\n\
         melody: no leaps larger than a fifth",
        &Options::new(),
    ) {
        Err(d) => d.to_string(),
        Ok(_) => panic!("a mode change with a leap limit compiled"),
    };
    assert!(
        refused.contains("E0232") && refused.contains("the section's mode"),
        "{refused}"
    );
}

#[test]
fn the_canonical_program_of_a_song_gives_the_same_bytes() {
    let sources = [
        SONG,
        "ballad in D major, 90 bpm, form verse chorus verse chorus bridge chorus outro\n\
         section chorus: in E major, louder\nsection bridge: 72 bpm, crescendo\n\
         section outro: diminuendo, pp\nmelody: violin, mostly stepwise",
        "folk song in G with a verse and a chorus, the last chorus goes up a half step",
        "waltz in F, form verse chorus verse chorus\nsection chorus: 4/4, in G major, 100 bpm",
    ];
    for source in sources {
        let compiled = song(source, 5);
        let canonical = String::from_utf8(compiled.render(Format::Tune).unwrap()).unwrap();
        let again = song(&canonical, 5);
        assert_eq!(
            compiled.render(Format::Midi).unwrap(),
            again.render(Format::Midi).unwrap(),
            "{canonical}"
        );
    }
}

const FORMS: [&str; 5] = [
    "form verse chorus verse chorus",
    "form intro verse chorus verse chorus bridge chorus outro",
    "with a verse, a chorus, a verse and a chorus",
    "form verse verse chorus bridge chorus",
    "form AABA",
];
const STYLES: [&str; 6] = ["pop", "folk", "ballad", "rock", "country", "waltz"];
const MODES: [&str; 4] = ["major", "minor", "dorian", "mixolydian"];
const TONICS: [&str; 6] = ["C", "D", "Eb", "F#", "G", "Bb"];
const MELODY: [&str; 6] = [
    "",
    "melody: range C4 to G5",
    "melody: no leaps larger than a fifth, ends on the tonic",
    "melody: mostly stepwise",
    "melody: stepwise, starts on the tonic",
    "melody: range A3 to A4",
];

/// A chorus's own meter or mode, or none.
const METERS: [Option<&str>; 5] = [None, None, Some("3/4"), Some("6/8"), Some("in C dorian")];

/// A random song with changes: its form, maybe a section's own key, meter, tempo and
/// hairpin, and maybe the last chorus going up.
fn song_prompt() -> impl Strategy<Value = (String, u64)> {
    (
        (
            0..FORMS.len(),
            0..STYLES.len(),
            0..MODES.len(),
            0..TONICS.len(),
        ),
        (0..4u8, 0..6usize, 0..3u8, 0..MELODY.len()),
        (any::<bool>(), any::<u64>(), 0..METERS.len()),
    )
        .prop_map(
            |((form, style, mode, tonic), (up, key, swell, melody), (chords, seed, meter))| {
                let named = !FORMS[form].ends_with("AABA");
                let (verse, chorus) = if named {
                    ("verse", "chorus")
                } else {
                    ("A", "B")
                };
                let mut source = format!(
                    "{} song in {} {}, {}",
                    STYLES[style], TONICS[tonic], MODES[mode], FORMS[form]
                );
                if named && up > 0 {
                    source += &format!(", the last chorus goes up {up} semitones");
                }
                if chords {
                    source += ", chords I IV V I";
                }
                let own_mode = METERS[meter].is_some_and(|m| m.starts_with("in "));
                if key < TONICS.len() && key != tonic && !own_mode {
                    source += &format!("\nsection {chorus}: in {}", TONICS[key]);
                }
                match swell {
                    1 => source += &format!("\nsection {verse}: 80 bpm, crescendo"),
                    2 => source += &format!("\nsection {verse}: diminuendo, louder"),
                    _ => {}
                }
                if let Some(meter) = METERS[meter] {
                    source += &format!("\nsection {chorus}: {meter}");
                }
                source += &format!("\n{}", MELODY[melody]);
                (source, seed)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, failure_persistence: None, rng_seed: RngSeed::Fixed(2016), ..ProptestConfig::default() })]

    /// `compile` verifies every result in each section's own key, meter and tempo, so `Ok`
    /// means every hard constraint held; a refusal is an input error (a key change wider than
    /// the line may leap, a meter change with a rule on steps or written chords), never an
    /// internal one.
    #[test]
    fn songs_with_changes_verify_or_are_refused_as_input_errors((source, seed) in song_prompt()) {
        match compile(&source, &Options::new().seed(seed)) {
            Ok(_) => {}
            Err(d) => {
                prop_assert!(!d.is_internal(), "internal error on {:?}: {d}", source);
                let refused = d.iter().any(|d| d.message.contains("cannot satisfy"));
                let steps = source.contains("stepwise") || source.contains("leaps");
                let leaps = steps || source.contains("range A3 to A4");
                let meter = d.iter().any(|d| d.code.as_str() == "E0232");
                let joins = source.contains("/") && (steps || source.contains("chords I"))
                    || source.contains("dorian\n") && steps;
                prop_assert!(refused && leaps || meter && joins, "{:?} should compile: {d}", source);
            }
        }
    }
}
