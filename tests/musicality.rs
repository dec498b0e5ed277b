//! The composer's musical habits, measured over many seeds with the statistics tool: interval
//! profiles near the real-tune references, answering phrases, a motif developed by
//! transposition or inversion, notes outside the chord reached by step, a counter-melody in a
//! register of its own; and the targets of the open issue "Music a player would take for
//! real" that the learned style models meet.

mod common;

use tunec::resolve::PartRole;
use tunec::score::{Note, Score};
use tunec::stats::Profile;
use tunec::theory::PitchSet;

const SEEDS: u64 = 60;

fn profile(source: &str) -> Profile {
    profile_over(source, SEEDS)
}

/// Over the issue's own 200 seeds, for figures that sit near their target.
fn profile_over(source: &str, seeds: u64) -> Profile {
    let program = tunec::Program::read(source, &tunec::Options::new()).unwrap();
    program.melody_profile(0..seeds).unwrap()
}

/// The training tunes the melody models learn from (DESIGN §6), pooled over every interval in
/// models/melody.tsv: (steps, leaps) of the songs and of the fiddle tunes.
const SONGS: (f64, f64) = (0.47, 0.14);
const FIDDLE_TUNES: (f64, f64) = (0.50, 0.14);

#[test]
fn styles_move_like_their_reference_tunes() {
    for (style, (steps, leaps)) in [
        ("folk", SONGS),
        ("waltz", SONGS),
        ("reel", FIDDLE_TUNES),
        ("jig", FIDDLE_TUNES),
    ] {
        let p = profile(&format!("{style} tune"));
        assert!((p.steps - steps).abs() <= 0.1, "{style}: {p}");
        assert!((p.leaps - leaps).abs() <= 0.1, "{style}: {p}");
        // Real songs and fiddle tunes end on the tonic about 80% of the time (held-out Essen
        // 0.81, Ryan's 0.78), the rest on another tone of the tonic chord.
        assert!(p.ends_on_tonic >= 0.7, "{style}: {p}");
    }
}

#[test]
fn phrases_peak_once_about_half_the_time() {
    // Real four-bar phrases have a single highest note 53–60% of the time (issue "Music a
    // player would take for real": 0.45–0.70); enforcing one peak made it 97–100%.
    // Reels restate a bar within a phrase as O'Neill's do (bar 11 is bar 9 in 43% of them,
    // models/form.tsv), which repeats the phrase's peak where it lies in that bar: their
    // figure is held within 0.1 of Ryan's reels' (0.53, tools/features.py's
    // `phrase_unique_peak`, held out).
    for (style, lowest) in [("folk", 0.45), ("reel", 0.43), ("waltz", 0.45)] {
        // Over the 200 seeds: 60 leave a spread of ±0.03 about a figure near 0.5.
        let p = profile_over(&format!("{style} tune"), 200);
        assert!((lowest..=0.70).contains(&p.single_peaks), "{style}: {p}");
    }
}

#[test]
fn most_tunes_start_with_a_pickup() {
    // As often as the training tunes of their kind do, less where the ending leaves no time to
    // give back (O'Neill's reels have one in 54%, jigs 81%, hornpipes 95%).
    for (style, at_least) in [
        ("jig", 0.5),
        ("hornpipe", 0.5),
        ("folk", 0.5),
        ("waltz", 0.5),
        ("reel", 0.3),
    ] {
        let p = profile(&format!("{style} tune"));
        assert!(p.pickups >= at_least, "{style}: {p}");
    }
    let with_start = profile("jig tune\nmelody: starts on the tonic");
    assert_eq!(
        with_start.pickups, 0.0,
        "a first note asked for is the first note"
    );
}

#[test]
fn the_opening_is_developed_sometimes_not_always() {
    // (The default folk tune is one strain: its sections are asked for.)
    for style in ["folk tune, 16 bars, form AB", "hornpipe tune"] {
        let p = profile(style);
        // Later sections often recall the opening exactly moved or inverted (never, without
        // the habit; a recall with a note nudged onto the chord does not count); bars 2–8
        // restate bar 1 moved now and then, never as a rule.
        assert!((0.15..=0.8).contains(&p.recalled), "{style}: {p}");
        assert!(p.transposed <= 0.5, "{style}: {p}");
    }
}

#[test]
fn notes_outside_the_chord_pass_by_step() {
    // The training songs leave or reach a note outside the implied chord by step 80% of the
    // time, counting each move once (models/melody.tsv `leap`); counting both of a note's
    // moves, a little less.
    let p = profile("folk tune");
    assert!(p.passing >= 0.7, "{p}");
    let fiddle = profile("reel tune");
    assert!(fiddle.passing >= 0.55, "{fiddle}");
}

/// The notes starting in bars `from..to` (counted from 0), as (offset in the stretch, pitch).
fn stretch(score: &Score, melody: &[Note], from: u32, to: u32) -> Vec<(u32, u8)> {
    let bar = score.meter.bar_ticks();
    melody
        .iter()
        .filter(|n| n.start >= from * bar && n.start < to * bar)
        .map(|n| (n.start - from * bar, n.pitch.0))
        .collect()
}

#[test]
fn consequents_open_like_their_antecedents() {
    // Eight-bar sections: bars 5–6 take bars 1–2's rhythm and their notes, as they are or
    // moved along the scale.
    let scale = |score: &Score| -> PitchSet { score.key.scale() };
    let mut moved = 0;
    for seed in 0..SEEDS {
        // Pop keeps its answering phrases (folk songs restate as the learned songs do).
        let source = "pop song in G major, 16 bars\nform A B";
        // Bar by bar from bar 1's downbeat (a pickup left out).
        let score = common::score("answers", source, seed)
            .from_bar_one()
            .into_owned();
        let melody = &score.part(PartRole::Melody).unwrap().notes;
        for (start, _) in &score.sections {
            let antecedent = stretch(&score, melody, *start, start + 2);
            let consequent = stretch(&score, melody, start + 4, start + 6);
            let rhythm = |s: &[(u32, u8)]| s.iter().map(|n| n.0).collect::<Vec<_>>();
            assert_eq!(rhythm(&antecedent), rhythm(&consequent), "seed {seed}");
            let rungs = |s: &[(u32, u8)]| -> Vec<i32> {
                s.iter()
                    .map(|n| scale(&score).rung(tunec::theory::Pitch(n.1)).unwrap())
                    .collect()
            };
            let (a, c) = (rungs(&antecedent), rungs(&consequent));
            let shift = c[0] - a[0];
            assert!(
                a.iter().zip(&c).all(|(x, y)| y - x == shift),
                "seed {seed}: {antecedent:?} answered by {consequent:?}"
            );
            moved += usize::from(shift != 0);
        }
    }
    // With the style's own chords the answer mostly repeats its antecedent exactly.
    assert!(
        moved < SEEDS as usize,
        "{moved} of {} answers moved",
        2 * SEEDS
    );
}

#[test]
fn a_counter_melody_keeps_out_of_the_chords() {
    // With default ranges the chords step down and the counter-melody sings above them.
    let (mut inside, mut total) = (0, 0);
    for seed in 0..20 {
        let score = common::score(
            "counter",
            "reel in D major, 16 bars\ncounter-melody: flute",
            seed,
        );
        let counter = &score.part(PartRole::CounterMelody).unwrap().notes;
        let chords = &score.part(PartRole::Chords).unwrap().notes;
        for n in counter {
            let sounding: Vec<u8> = chords
                .iter()
                .filter(|c| c.start <= n.start && n.start < c.end())
                .map(|c| c.pitch.0)
                .collect();
            if let (Some(low), Some(high)) = (sounding.iter().min(), sounding.iter().max()) {
                total += 1;
                inside += usize::from((*low..=*high).contains(&n.pitch.0));
            }
        }
    }
    assert!(total > 500);
    assert!(
        inside * 10 <= total,
        "{inside} of {total} counter notes inside the chords"
    );
}

#[test]
fn dance_tunes_run_and_reuse_their_bar_rhythms() {
    // The learned rhythm models (issue "Music a player would take for real": running beats
    // ≥ 0.65 jig / 0.70 reel and hornpipe, bar rhythms repeating ≥ 0.70, ≤ 4 note lengths).
    for (style, running) in [("jig", 0.65), ("reel", 0.70), ("hornpipe", 0.70)] {
        let p = profile(&format!("{style} tune"));
        assert!(p.running_beats >= running, "{style}: {p}");
        assert!(p.bar_repeats >= 0.70, "{style}: {p}");
        assert_eq!(
            p.compound,
            if style == "jig" { 1.0 } else { 0.0 },
            "{style}: {p}"
        );
    }
    for style in ["jig", "reel", "hornpipe"] {
        let p = profile(&format!("{style} tune"));
        assert!(p.note_lengths <= 4.0, "{style}: {p}");
    }
}

#[test]
fn the_blues_sings_its_blue_notes() {
    // The minor third against the tonic chord's major third, and the flat fifth now and then
    // (issue "Music a player would take for real": 0% and none before).
    let (mut over_tonic, mut minor_thirds, mut with_flat_fifth) = (0, 0, 0);
    for seed in 0..100 {
        let score = common::score("blues", "blues in A", seed);
        let melody = &score.part(PartRole::Melody).unwrap().notes;
        let degree = |n: &Note| (n.pitch.0 + 3) % 12; // above A
        for n in melody {
            let chord = score
                .harmony
                .iter()
                .find(|c| c.start <= n.start && n.start < c.end);
            if chord.is_some_and(|c| c.chord.root_class().index() == 9) {
                over_tonic += 1;
                minor_thirds += usize::from(degree(n) == 3);
            }
        }
        with_flat_fifth += usize::from(melody.iter().any(|n| degree(n) == 6));
    }
    let share = minor_thirds as f64 / over_tonic as f64;
    assert!(
        (0.02..=0.15).contains(&share),
        "minor thirds over I7: {share:.3}"
    );
    assert!(
        with_flat_fifth >= 20,
        "{with_flat_fifth} of 100 blues with a flat fifth"
    );
}

#[test]
fn songs_centre_on_the_tonic_and_strains_close_on_the_harmony() {
    for style in ["folk", "waltz", "jig", "reel"] {
        let p = profile(&format!("{style} tune"));
        if matches!(style, "folk" | "waltz") {
            let p = profile_over(&format!("{style} tune"), 200);
            assert!((0.15..=0.23).contains(&p.tonic), "{style}: {p}");
            assert!(p.fifth <= 0.26, "{style}: {p}");
        }
        assert!(p.section_ends_on_chord >= 0.95, "{style}: {p}");
        assert!(p.first_strain_on_i_or_v >= 0.95, "{style}: {p}");
        let shares = [p.pickups, p.resting, p.long_clashes, p.under_chords];
        assert!(
            shares.iter().all(|s| (0.0..=1.0).contains(s)),
            "{style}: {p}"
        );
    }
}

/// The pitch `notes` (one line, in order) sounds at `tick`, if any.
fn sounding(notes: &[Note], tick: u32) -> Option<u8> {
    let i = notes.partition_point(|n| n.end() <= tick);
    notes.get(i).filter(|n| n.start <= tick).map(|n| n.pitch.0)
}

/// Parallel fifths and octaves (or unisons) between two lines: at consecutive onsets of
/// either, both lines move, the same way, from a perfect fifth or octave to the same again.
fn parallels(upper: &[Note], lower: &[Note]) -> usize {
    let mut onsets: Vec<u32> = upper.iter().chain(lower).map(|n| n.start).collect();
    onsets.sort_unstable();
    onsets.dedup();
    let pairs: Vec<(u32, u8, u8)> = onsets
        .iter()
        .filter_map(|&t| Some((t, sounding(upper, t)?, sounding(lower, t)?)))
        .collect();
    pairs
        .windows(2)
        .filter(|w| {
            let ((_, u1, l1), (_, u2, l2)) = (w[0], w[1]);
            let perfect = |u: u8, l: u8| match u.abs_diff(l) % 12 {
                0 => Some(0),
                7 => Some(7),
                _ => None,
            };
            let same_way = (u2 as i16 - u1 as i16).signum() == (l2 as i16 - l1 as i16).signum();
            u1 != u2
                && l1 != l2
                && same_way
                && perfect(u1, l1).is_some()
                && perfect(u1, l1) == perfect(u2, l2)
        })
        .count()
}

#[test]
fn chorale_outer_voices_avoid_parallel_fifths_and_octaves() {
    // Issue "Music a player would take for real": outer-voice parallels per piece ≤ 0.05 over
    // 200 seeds of the default preset (Bach's chorales 0.02; one chord a bar gave 0.53).
    let seeds = 200;
    let mut found = 0;
    for seed in 0..seeds {
        let score = common::score("chorale", "chorale", seed);
        let melody = &score.part(PartRole::Melody).unwrap().notes;
        let bass = &score.part(PartRole::Bass).unwrap().notes;
        found += parallels(melody, bass);
    }
    let per_piece = found as f64 / seeds as f64;
    eprintln!("outer-voice parallels per piece: {per_piece:.3}");
    assert!(per_piece <= 0.05, "{found} in {seeds} chorales");
}

#[test]
fn a_chorale_is_four_voices_with_a_chord_a_beat() {
    // Issue "Music a player would take for real": a chord on every beat (a phrase's last bar
    // holds its cadence chord), and on every beat four voices: the melody, an alto and a
    // tenor in the chords part, the bass.
    for seed in 0..40 {
        let score = common::score("chorale", "chorale", seed);
        let beat = score.meter.beat_ticks();
        let bar = score.meter.bar_ticks();
        let chords = &score.part(PartRole::Chords).unwrap().notes;
        let (mut beats, mut changes) = (0, 0);
        for b in 0..score.bars {
            let closes = (b + 1) % 4 == 0;
            for k in 0..bar / beat {
                let t = score.bar_start(b) + k * beat;
                if t >= score.total_ticks() {
                    continue; // the beats the last bar gives back to a pickup
                }
                beats += usize::from(!closes);
                changes += usize::from(!closes && score.harmony.iter().any(|s| s.start == t));
                let inner = chords
                    .iter()
                    .filter(|n| n.start <= t && t < n.end())
                    .count();
                assert_eq!(inner, 2, "seed {seed}: alto and tenor at tick {t}");
            }
        }
        assert_eq!(changes, beats, "seed {seed}: a chord a beat");
    }
}

#[test]
fn dance_tunes_differ_in_how_far_they_reach() {
    // Each draws a compass from its kind's training tunes: O'Neill's reels in D span 17, 19
    // or 21 semitones most often, some less. Before, every reel filled the default D4–B5.
    let spans: Vec<u8> = (0..30)
        .map(|seed| {
            let score = common::score("reel", "reel in D major", seed);
            let melody = &score.part(PartRole::Melody).unwrap().notes;
            let (low, high) = melody.iter().fold((u8::MAX, 0), |(lo, hi), n| {
                (lo.min(n.pitch.0), hi.max(n.pitch.0))
            });
            high - low
        })
        .collect();
    let mut distinct = spans.clone();
    distinct.sort();
    let median = distinct[distinct.len() / 2];
    distinct.dedup();
    assert!(distinct.len() >= 4, "{spans:?}");
    assert!((16..=20).contains(&median), "{spans:?}");
    assert!(spans.iter().all(|&s| s <= 26), "{spans:?}");
}
