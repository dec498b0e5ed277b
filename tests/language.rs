//! One test per clause of docs/language.md: each program compiles, and the clause's meaning is
//! checked on the composed music (or the plan, for the soft ones).

use tunec::resolve::Pattern;
use tunec::resolve::{Contour, Density, PartRole};
use tunec::score::{Note, Score};
use tunec::theory::{Meter, Pitch};
use tunec::{Compiled, Options, compile};

fn compiled(source: &str) -> Compiled {
    compile(source, &Options::new().seed(3).name("clause"))
        .unwrap_or_else(|e| panic!("{source:?}: {e:?}"))
}

/// The Score from bar 1's downbeat, a pickup left out: clauses that count bars and beats are
/// checked on it.
fn bar_time(c: &Compiled) -> Score {
    c.score().from_bar_one().into_owned()
}

fn notes(score: &Score, role: PartRole) -> &[Note] {
    &score
        .part(role)
        .unwrap_or_else(|| panic!("no {role:?}"))
        .notes
}

fn classes(notes: &[Note]) -> Vec<u8> {
    let mut c: Vec<u8> = notes.iter().map(|n| n.pitch.class().index()).collect();
    c.sort_unstable();
    c.dedup();
    c
}

#[test]
fn title_and_seed() {
    let c = compiled("title \"Harbour Lights\"\nfolk tune, seed 9, 4 bars");
    assert_eq!(c.score().title, "Harbour Lights");
    let with_seed = compile("folk tune, seed 9, 4 bars", &Options::new()).unwrap();
    assert_eq!(with_seed.score().seed, 9);
}

#[test]
fn style_phrase_sets_defaults() {
    let c = compiled("waltz tune");
    assert_eq!(c.score().meter, Meter::new(3, 4).unwrap());
    assert_eq!(c.plan().style.value.name, "waltz");
}

#[test]
fn key_and_mode_bind_every_pitched_note() {
    let c = compiled("folk tune in E dorian, 8 bars");
    let scale = c.score().key.scale();
    for part in c.score().parts.iter().filter(|p| p.role != PartRole::Drums) {
        assert!(
            part.notes.iter().all(|n| scale.contains(n.pitch.class())),
            "{:?}",
            part.role
        );
    }
    assert_eq!(c.score().key.signature(), 2);
}

#[test]
fn dance_tunes_have_eight_bar_strains() {
    // Real jigs, reels, hornpipes, marches and polkas play each strain of AABB for 8 bars.
    for style in ["jig", "reel", "hornpipe", "march", "polka"] {
        let c = compiled(&format!("{style} tune"));
        let score = c.score();
        let starts: Vec<(u32, char)> = score
            .sections
            .iter()
            .map(|(bar, name)| (*bar, name.letter))
            .collect();
        assert_eq!(
            starts,
            [(0, 'A'), (8, 'A'), (16, 'B'), (24, 'B')],
            "{style}"
        );
        assert_eq!(score.bars, 32, "{style}");
    }
}

#[test]
fn meter_bars_and_tempo() {
    let c = compiled("folk tune, in 6/8, 5 bars, at 90 bpm");
    assert_eq!(c.score().meter, Meter::new(6, 8).unwrap());
    assert_eq!(c.score().bars, 5);
    assert_eq!(c.score().tempo, 90);
    let end = 5 * 1440;
    assert!(
        c.score()
            .parts
            .iter()
            .all(|p| p.notes.iter().all(|n| n.end() <= end))
    );
    assert_eq!(compiled("folk tune, 6/8 time, 3 measures").score().bars, 3);
}

#[test]
fn using_only_and_avoiding() {
    let c = compiled("folk tune using only A, B and C#, 8 bars");
    for part in &c.score().parts {
        assert!(
            classes(&part.notes)
                .iter()
                .all(|pc| [9, 11, 1].contains(pc)),
            "{:?}",
            part.role
        );
    }
    let c = compiled("folk tune in C major, avoiding F B, 8 bars");
    assert!(
        c.score()
            .parts
            .iter()
            .all(|p| classes(&p.notes).iter().all(|pc| ![5, 11].contains(pc)))
    );
}

/// `E9` sounds its five tones (the fifth may drop): the chords part plays the third, seventh
/// and ninth, and the root sounds in it or, under a rootless voicing, in the bass.
#[test]
fn ninth_chords_sound_their_ninth() {
    let c = compiled("funk song in E mixolydian, 4 bars, chords E9 A9");
    let score = bar_time(&c);
    let names: Vec<String> = score.harmony.iter().map(|s| s.chord.to_string()).collect();
    assert_eq!(names, ["E9", "A9", "E9", "A9"]);
    let first_bar = |role| -> Vec<Note> {
        (notes(&score, role).iter())
            .filter(|n| n.start < score.bar_start(1))
            .copied()
            .collect()
    };
    let chords = classes(&first_bar(PartRole::Chords));
    // G# D F#: third, seventh and ninth; E, the root, in the chords or the bass.
    for pc in [8, 2, 6] {
        assert!(chords.contains(&pc), "E9 lacks {pc}");
    }
    let bass = classes(&first_bar(PartRole::Bass));
    assert!(
        chords.contains(&4) || bass.contains(&4),
        "E9 lacks its root"
    );
}

#[test]
fn chords_bar_by_bar_with_bar_lines() {
    let c = compiled("folk tune in D major, 4 bars, chords D Bm | G A7");
    let names: Vec<String> = c
        .score()
        .harmony
        .iter()
        .map(|s| s.chord.to_string())
        .collect();
    assert_eq!(names[..4], ["D", "Bm", "G", "A7"]);
    assert_eq!(
        bar_time(&c).harmony[1].start,
        960,
        "two chords in one bar split it"
    );
    let numerals = compiled("folk tune in D dorian, 4 bars, chords i VII i v");
    let names: Vec<String> = numerals
        .score()
        .harmony
        .iter()
        .map(|s| s.chord.to_string())
        .collect();
    assert_eq!(names, ["Dm", "C", "Dm", "Am"]);
}

#[test]
fn form_repeats_and_varied_repeats() {
    let c = compiled("folk tune, form AABA', 16 bars");
    let c_score = bar_time(&c);
    let melody = notes(&c_score, PartRole::Melody);
    let bar = 1920;
    let section = |from: u32, bars: u32| -> Vec<(u32, u8)> {
        melody
            .iter()
            .filter(|n| n.start >= from * bar && n.start < (from + bars) * bar)
            .map(|n| (n.start - from * bar, n.pitch.0))
            .collect()
    };
    assert_eq!(section(0, 4), section(4, 4), "A repeats exactly");
    assert_eq!(section(0, 2), section(12, 2), "A' keeps its first half");
    assert_ne!(section(0, 4), section(12, 4), "and changes its ending");
}

#[test]
fn a_section_between_repeats_always_finds_its_way() {
    // B must step from A's end back to A's start; each A is drawn knowing B can (these seeds
    // used to report a conflict, or break the leap limit at B's first note).
    let cases = [
        (
            "jig in D major, 4/4, 4 bars, form ABAB, avoiding F\n\
             melody: no leaps larger than a fourth, range D4 to B5, arch, ends on the tonic",
            0..20,
        ),
        (
            "chorale in D dorian, 4/4, 32 bars, form AABA\nmelody: rhythm quarters and eighths, stepwise",
            0..12,
        ),
        // Every section between A's repeats is tied, not only the first.
        (
            "folk tune in C major, 17 bars, form ABACA\nsection A: 4 bars\nsection B: 4 bars\n\
             section C: 1 bar\nmelody: no leaps larger than a third, rhythm halves",
            0..40,
        ),
        // A varied repeat that keeps A's first note returns to A's start too.
        (
            "folk tune in C major, 16 bars, form A B A' B\nmelody: stepwise\n\
             section B melody: range B4 to E5",
            0..20,
        ),
    ];
    for (source, seeds) in cases {
        for seed in seeds {
            let options = Options::new().seed(seed).name("bracket");
            let c = compile(source, &options).unwrap_or_else(|e| panic!("seed {seed}: {e:?}"));
            assert!(!notes(c.score(), PartRole::Melody).is_empty());
        }
    }
}

#[test]
fn harmonic_rhythm() {
    let two = compiled("folk tune in G major, 4 bars, two chords per bar");
    assert_eq!(two.score().harmony.len(), 8);
    let slow = compiled("folk tune in G major, 4 bars, one chord every two bars");
    assert_eq!(slow.score().harmony.len(), 2);
    let grouped = compiled("folk tune in G major, chords I vi IV V, two chords per bar, 2 bars");
    assert_eq!(grouped.score().harmony.len(), 4);
}

#[test]
fn cadences() {
    let last_two = |source: &str| -> Vec<String> {
        let h = compiled(source).score().harmony.clone();
        h[h.len() - 2..]
            .iter()
            .map(|s| s.chord.to_string())
            .collect()
    };
    assert_eq!(
        last_two("folk tune in C major, 8 bars, ends with a plagal cadence"),
        ["F", "C"]
    );
    assert_eq!(
        last_two("folk tune in C major, 8 bars, ends with an authentic cadence"),
        ["G", "C"]
    );
    assert_eq!(
        last_two("folk tune in C major, 8 bars, half cadence")[1],
        "G"
    );
    assert_eq!(
        last_two("folk tune in C major, 8 bars, ends with a deceptive cadence"),
        ["G", "Am"]
    );
}

#[test]
fn swing_and_solo() {
    let c = compiled("folk tune, 4 bars, swing");
    assert_eq!(c.score().swing, Some(tunec::score::Swing::Eighths));
    let solo = compiled("jig tune, 4 bars, solo");
    assert_eq!(solo.score().parts.len(), 1);
}

#[test]
fn instruments_and_programs() {
    let c =
        compiled("folk tune, 4 bars\nmelody: tin whistle\nbass: program 44\nchords: nylon guitar");
    assert_eq!(c.score().part(PartRole::Melody).unwrap().program, 79);
    assert_eq!(c.score().part(PartRole::Bass).unwrap().program, 44);
    assert_eq!(c.score().part(PartRole::Chords).unwrap().program, 25);
}

#[test]
fn range() {
    let c = compiled("folk tune in D major, 8 bars\nmelody: range D4 to A4\nbass: range D2 to D3");
    assert!(
        notes(c.score(), PartRole::Melody)
            .iter()
            .all(|n| (62..=69).contains(&n.pitch.0))
    );
    assert!(
        notes(c.score(), PartRole::Bass)
            .iter()
            .all(|n| (38..=50).contains(&n.pitch.0))
    );
}

fn intervals(notes: &[Note]) -> Vec<u8> {
    notes
        .windows(2)
        .map(|w| w[0].pitch.distance(w[1].pitch))
        .collect()
}

#[test]
fn stepwise_mostly_stepwise_and_leaps() {
    let c = compiled("folk tune, 8 bars\nmelody: stepwise");
    assert!(
        intervals(notes(c.score(), PartRole::Melody))
            .iter()
            .all(|d| *d <= 2)
    );
    let c = compiled("folk tune, 8 bars\nmelody: mostly stepwise");
    let i = intervals(notes(c.score(), PartRole::Melody));
    assert!(i.iter().filter(|d| **d <= 2).count() * 10 >= i.len() * 7);
    let c = compiled(
        "folk tune, 8 bars\nmelody: no leaps larger than a minor third\nbass: no leaps larger than 5 semitones",
    );
    assert!(
        intervals(notes(c.score(), PartRole::Melody))
            .iter()
            .all(|d| *d <= 3)
    );
    assert!(
        intervals(notes(c.score(), PartRole::Bass))
            .iter()
            .all(|d| *d <= 5)
    );
}

#[test]
fn starts_on_and_ends_on() {
    let c = compiled("folk tune in G major, 8 bars\nmelody: starts on the dominant, ends on G5");
    let m = notes(c.score(), PartRole::Melody);
    assert_eq!(m[0].pitch.class().index(), 2);
    assert_eq!(m.last().unwrap().pitch, Pitch(79));
    let c = compiled("folk tune in G major, 8 bars\nmelody: starts on degree 3, ends on the tonic");
    let m = notes(c.score(), PartRole::Melody);
    assert_eq!(
        (
            m[0].pitch.class().index(),
            m.last().unwrap().pitch.class().index()
        ),
        (11, 7)
    );
}

#[test]
fn part_pitch_rules() {
    let c = compiled("folk tune in D major, 8 bars\nbass: avoiding A\nmelody: using only D E F# A");
    assert!(!classes(notes(c.score(), PartRole::Bass)).contains(&9));
    assert!(
        classes(notes(c.score(), PartRole::Melody))
            .iter()
            .all(|pc| [2, 4, 6, 9].contains(pc))
    );
}

#[test]
fn rhythm_durations() {
    let c = compiled("folk tune in 6/8, 8 bars\nmelody: rhythm eighths and quarters");
    assert!(
        notes(c.score(), PartRole::Melody)
            .iter()
            .all(|n| [240, 480].contains(&n.duration))
    );
    let c = compiled("folk tune in 2/4, 4 bars\nmelody: rhythm triplets");
    assert!(
        notes(c.score(), PartRole::Melody)
            .iter()
            .all(|n| n.duration == 160)
    );
    let c = compiled("folk tune, 4 bars\nmelody: rhythm dotted quarters, eighths");
    assert!(
        notes(c.score(), PartRole::Melody)
            .iter()
            .all(|n| [720, 240].contains(&n.duration))
    );
}

#[test]
fn dynamics() {
    let loud = compiled("folk tune, 4 bars\nmelody: ff");
    let soft = compiled("folk tune, 4 bars\nmelody: pp");
    let mean = |c: &Compiled| {
        let m = notes(c.score(), PartRole::Melody);
        m.iter().map(|n| n.velocity as u32).sum::<u32>() / m.len() as u32
    };
    assert!(mean(&loud) > mean(&soft) + 40);
}

#[test]
fn density_and_contour_are_planned() {
    let c = compiled("folk tune, 16 bars\nmelody: busy, rising");
    let melody = c.plan().part(PartRole::Melody).unwrap();
    assert_eq!(melody.density.value, Density::Busy);
    assert_eq!(melody.contour.as_ref().unwrap().value, Contour::Rising);
    let m = notes(c.score(), PartRole::Melody);
    let third = m.len() / 3;
    let mean = |s: &[Note]| s.iter().map(|n| n.pitch.0 as f64).sum::<f64>() / s.len() as f64;
    assert!(
        mean(&m[2 * third..]) > mean(&m[..third]),
        "a rising melody ends higher than it starts"
    );
    let sparse = compiled("folk tune, 16 bars\nmelody: sparse");
    assert!(notes(sparse.score(), PartRole::Melody).len() < m.len());
}

#[test]
fn chord_patterns() {
    for (word, pattern) in [
        ("arpeggio", Pattern::Arpeggio),
        ("oom-pah-pah", Pattern::OomPahPah),
        ("boom-chick", Pattern::BoomChick),
        ("strum", Pattern::Strum),
        ("block", Pattern::Block),
        ("chorale", Pattern::Chorale),
    ] {
        let c = compiled(&format!("folk tune in 3/4, 4 bars\nchords: {word}"));
        assert_eq!(
            c.plan()
                .part(PartRole::Chords)
                .unwrap()
                .pattern
                .as_ref()
                .unwrap()
                .value,
            pattern
        );
    }
    let arpeggio = compiled("folk tune, 4 bars\nchords: arpeggio");
    let arpeggio_score = bar_time(&arpeggio);
    let chords = notes(&arpeggio_score, PartRole::Chords);
    assert!(
        chords.windows(2).all(|w| w[0].start < w[1].start),
        "one tone at a time"
    );
    let chorale = compiled("folk tune, 4 bars\nchords: chorale");
    let chorale_score = bar_time(&chorale);
    let first_beat = notes(&chorale_score, PartRole::Chords)
        .iter()
        .filter(|n| n.start == 0)
        .count();
    assert_eq!(first_beat, 4, "four voices");
}

#[test]
fn bass_patterns() {
    // A note on every beat of the bars a pickup leaves whole (the last gives it time back).
    let walking = bar_time(&compiled("folk tune, 4 bars\nbass: walking"));
    let whole_bars = notes(&walking, PartRole::Bass)
        .iter()
        .filter(|n| n.start < 3 * 1920)
        .count();
    assert_eq!(whole_bars, 12, "a note every beat");
    let roots = compiled("folk tune, 4 bars\nbass: roots");
    let bass = notes(roots.score(), PartRole::Bass);
    assert_eq!(bass.len(), 4);
    for (n, span) in bass.iter().zip(&roots.score().harmony) {
        assert_eq!(n.pitch.class(), span.chord.root_class());
    }
}

#[test]
fn drum_grid_and_groove() {
    let c = compiled("folk tune, 2 bars\ndrums: kick x...x... snare ..X...x.");
    let score = bar_time(&c);
    let drums = score.part(PartRole::Drums).unwrap();
    assert_eq!(drums.channel, 9);
    let kicks: Vec<u32> = drums
        .notes
        .iter()
        .filter(|n| n.pitch.0 == 36)
        .map(|n| n.start)
        .collect();
    assert_eq!(kicks, [0, 960, 1920, 2880]);
    let snares: Vec<(u32, u8)> = drums
        .notes
        .iter()
        .filter(|n| n.pitch.0 == 38)
        .map(|n| (n.start, n.velocity))
        .take(2)
        .collect();
    assert!(snares[0].1 > snares[1].1, "X is accented");
    let groove = compiled("folk tune, 4 bars\ndrums: march groove");
    assert!(!notes(&bar_time(&groove), PartRole::Drums).is_empty());
}

#[test]
fn counter_melody() {
    let c = compiled("folk tune in D major, 8 bars\ncounter-melody: flute, range A3 to D5");
    let counter = notes(c.score(), PartRole::CounterMelody);
    assert!(!counter.is_empty());
    assert!(
        counter.windows(2).all(|w| w[0].end() <= w[1].start),
        "one line"
    );
    assert!(counter.iter().all(|n| (57..=74).contains(&n.pitch.0)));
}

#[test]
fn none_drops_a_part() {
    let c = compiled("folk tune, 4 bars\nbass: none\nchords: none");
    assert_eq!(c.score().parts.len(), 1);
}

#[test]
fn section_lines() {
    let c = compiled(
        "folk tune in D major, form AB\nsection A: 4 bars\nsection B: 2 bars, chords G A, louder\nsection B melody: range A5 to D6",
    );
    assert_eq!(bar_time(&c).bars, 6);
    let names: Vec<String> = c
        .score()
        .harmony
        .iter()
        .filter(|s| s.start >= 4 * 1920)
        .map(|s| s.chord.to_string())
        .collect();
    assert_eq!(names, ["G", "A"]);
    let c_score = bar_time(&c);
    let melody = notes(&c_score, PartRole::Melody);
    assert!(
        melody
            .iter()
            .filter(|n| n.start >= 4 * 1920)
            .all(|n| (81..=86).contains(&n.pitch.0))
    );
    let rules = c.plan().rules_of('B').unwrap();
    assert_eq!(rules.dynamics.as_ref().unwrap().value, 1);
}

#[test]
fn moods() {
    let sad = compiled("sad folk tune, 4 bars");
    assert!(sad.score().key.mode.is_minor());
    assert!(sad.score().tempo < 100);
    let lively = compiled("lively folk tune, 4 bars");
    assert!(lively.score().tempo > 100);
}
