//! The figures of the open issue "Music a player would take for real", measured per tune on
//! tunec's own output: running beats, bar rhythms repeated, note lengths, tonic and fifth
//! shares, cadence notes and chords, pickups, rests, long notes against the bass, and the
//! melody against the chords' top note. Each function says exactly what it counts, so the
//! figures can be compared with the same counts on real tunes.

use std::collections::{BTreeSet, HashSet};

use super::share;
use crate::resolve::PartRole;
use crate::score::{Note, Score};
use crate::theory::Meter;
use crate::theory::meter::TICKS_PER_QUARTER;

/// What one tune does, for the figures of the issue.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Idiom {
    /// The meter is compound (6/8, 9/8, 12/8): running beats are three notes, not pairs.
    pub compound: bool,
    pub running_beats: f64,
    pub bar_repeats: f64,
    pub lengths: usize,
    pub tonic: f64,
    pub fifth: f64,
    /// Section ends with a chord sounding, and of them those whose note is a chord tone.
    pub section_ends: usize,
    pub section_ends_on_chord: usize,
    /// The first section's last note sounds over I or V; `None` without a chord there.
    pub first_strain_on_i_or_v: Option<bool>,
    pub pickup: bool,
    pub resting: f64,
    /// Long notes with a bass note sounding, and of them those dissonant with it.
    pub long_notes: usize,
    pub long_clashes: usize,
    /// `None` when no chord-part note sounds under any melody note.
    pub under_chords: Option<f64>,
}

/// `pickup`: the Score the bars are counted on starts at bar 1; the ticks of the piece's pickup
/// (0 without), which every section but the last plays again leading into the next.
pub(super) fn measure(score: &Score, melody: &[Note], pickup: u32) -> Idiom {
    let notes_of = |role| score.part(role).map_or(&[][..], |p| &p.notes[..]);
    let (ends, on_chord) = section_ends(score, melody, pickup);
    let (long, clashes) = long_clashes(score.meter, melody, notes_of(PartRole::Bass));
    let key = score.key;
    let class_share = |pc| {
        share(
            melody.iter().filter(|n| n.pitch.class() == pc).count(),
            melody.len(),
        )
    };
    Idiom {
        compound: score.meter.is_compound(),
        running_beats: running_beats(score.meter, score.bars, melody),
        bar_repeats: bar_repeats(score, melody),
        lengths: melody
            .iter()
            .map(|n| n.duration)
            .collect::<BTreeSet<_>>()
            .len(),
        tonic: class_share(key.tonic_class()),
        fifth: class_share(key.degree(5).pitch_class()),
        section_ends: ends,
        section_ends_on_chord: on_chord,
        first_strain_on_i_or_v: first_strain_on_i_or_v(score, melody, pickup),
        pickup: pickup > 0,
        resting: resting(score.total_ticks(), melody),
        long_notes: long,
        long_clashes: clashes,
        under_chords: under_chords(melody, notes_of(PartRole::Chords)),
    }
}

/// Share of the tune's beats filled by running notes. In compound meters (6/8, 9/8, 12/8) a
/// beat is three written units (a dotted quarter in 6/8), and it runs when exactly three notes
/// of one unit each (three eighths in 6/8) fill it back to back from its start. In simple
/// meters the beat counted is every quarter note's span from the bar line (whole spans inside
/// the bar), and it runs when it is two eighths or a dotted eighth and a sixteenth, back to
/// back from its start. A beat holding a rest, a tie into it or any other rhythm does not run.
pub(super) fn running_beats(meter: Meter, bars: u32, melody: &[Note]) -> f64 {
    let (span, patterns): (u32, &[&[u32]]) = if meter.is_compound() {
        let unit = meter.unit_ticks();
        (3 * unit, &[&[unit; 3]])
    } else {
        let eighth = TICKS_PER_QUARTER / 2;
        (
            TICKS_PER_QUARTER,
            &[&[eighth, eighth], &[eighth * 3 / 2, eighth / 2]],
        )
    };
    let per_bar = meter.bar_ticks() / span;
    let starts =
        (0..bars).flat_map(|bar| (0..per_bar).map(move |k| bar * meter.bar_ticks() + k * span));
    let running = starts
        .filter(|&at| {
            let notes = starting_in(melody, at, at + span);
            patterns.iter().any(|p| fills(notes, at, p))
        })
        .count();
    share(running, (bars * per_bar) as usize)
}

/// Whether `notes` are exactly `lengths`, the first at `at` and each starting as the last ends.
fn fills(notes: &[Note], at: u32, lengths: &[u32]) -> bool {
    notes.len() == lengths.len()
        && notes.first().is_some_and(|n| n.start == at)
        && notes.iter().zip(lengths).all(|(n, l)| n.duration == *l)
        && notes.windows(2).all(|w| w[1].start == w[0].end())
}

/// The notes (sorted by start) that start in `from..to`.
fn starting_in(notes: &[Note], from: u32, to: u32) -> &[Note] {
    let first = notes.partition_point(|n| n.start < from);
    let last = notes.partition_point(|n| n.start < to);
    &notes[first..last]
}

/// Share of the written bars after the first whose rhythm — the (onset in the bar, written
/// length) of every melody note starting in it — equals that of some earlier written bar (an
/// empty bar's rhythm is the empty one). Written bars are the tune as notation writes it: a
/// section whose melody repeats an earlier section's note for note (the second A of AABB) is
/// a repeat sign, not bars, as in the unexpanded scores of the reference collections.
pub(super) fn bar_repeats(score: &Score, melody: &[Note]) -> f64 {
    let ticks = score.meter.bar_ticks();
    let mut seen = HashSet::new();
    let bars = written_bars(score, melody);
    let repeats = bars
        .iter()
        .filter(|bar| {
            let from = *bar * ticks;
            let rhythm: Vec<(u32, u32)> = starting_in(melody, from, from + ticks)
                .iter()
                .map(|n| (n.start - from, n.duration))
                .collect();
            // The first bar is always new, so only later bars count.
            !seen.insert(rhythm)
        })
        .count();
    share(repeats, bars.len().saturating_sub(1))
}

/// The bars (0-based) of the sections that do not repeat an earlier section's melody note for
/// note (same onsets from the section's start, lengths and pitches).
fn written_bars(score: &Score, melody: &[Note]) -> Vec<u32> {
    let ticks = score.meter.bar_ticks();
    let mut sections = HashSet::new();
    let mut bars = Vec::new();
    for (from, to) in section_spans(score) {
        let notes: Vec<(u32, u32, u8)> = starting_in(melody, from, to)
            .iter()
            .map(|n| (n.start - from, n.duration, n.pitch.0))
            .collect();
        if sections.insert((to - from, notes)) {
            bars.extend(from / ticks..to / ticks);
        }
    }
    bars
}

/// Each section's cadence note and the chord of the harmony sounding at that note's onset:
/// (section ends with a chord, ends on a chord tone). Without sections the piece is one.
fn section_ends(score: &Score, melody: &[Note], lead_in: u32) -> (usize, usize) {
    let (mut ends, mut on_chord) = (0, 0);
    for last in cadences(score, melody, lead_in) {
        if let Some(chord) = score.chord_at(last.start) {
            ends += 1;
            on_chord += usize::from(chord.tone_set().contains(last.pitch.class()));
        }
    }
    (ends, on_chord)
}

/// Each section's cadence note: its last, or in a section that leads into the next with the
/// pickup's `lead_in` ticks, the last starting before them.
fn cadences<'a>(score: &Score, melody: &'a [Note], lead_in: u32) -> impl Iterator<Item = &'a Note> {
    let spans: Vec<(u32, u32)> = section_spans(score).collect();
    let last = spans.len().saturating_sub(1);
    spans
        .into_iter()
        .enumerate()
        .filter_map(move |(k, (from, to))| {
            let to = if k < last {
                to.saturating_sub(lead_in)
            } else {
                to
            };
            starting_in(melody, from, to).last()
        })
}

/// The sections as tick spans, each to the next section's start or the piece's end.
fn section_spans(score: &Score) -> impl Iterator<Item = (u32, u32)> + '_ {
    let bar = score.meter.bar_ticks();
    let starts: Vec<u32> = match score.sections.is_empty() {
        true => vec![0],
        false => score.sections.iter().map(|s| s.0).collect(),
    };
    let ends: Vec<u32> = starts.iter().skip(1).copied().chain([score.bars]).collect();
    starts
        .into_iter()
        .zip(ends)
        .map(move |(s, e)| (s * bar, e * bar))
}

/// Whether the first section's cadence note (see `cadences`) sounds over a chord whose root is
/// the key's tonic or its fifth degree (I or V, of any quality); `None` when no chord sounds
/// there.
fn first_strain_on_i_or_v(score: &Score, melody: &[Note], lead_in: u32) -> Option<bool> {
    let last = cadences(score, melody, lead_in).next()?;
    let root = score.chord_at(last.start)?.root_class();
    Some(root == score.key.tonic_class() || root == score.key.degree(5).pitch_class())
}

/// Share of the piece's length (its bars) that no melody note sounds in: before the first
/// note, between notes and after the last.
pub(super) fn resting(total: u32, melody: &[Note]) -> f64 {
    let (mut sounding, mut reach) = (0, 0);
    for n in melody {
        let (from, to) = (n.start.max(reach), n.end().min(total));
        sounding += to.saturating_sub(from);
        reach = reach.max(to);
    }
    share(total.saturating_sub(sounding) as usize, total as usize)
}

/// The notes sounding at `tick` among `notes` (sorted by start): begun at or before it and
/// not yet ended. `longest` bounds the search back, so it stays a binary search.
fn sounding(notes: &[Note], longest: u32, tick: u32) -> impl Iterator<Item = &Note> {
    let from = notes.partition_point(|n| n.start.saturating_add(longest) <= tick);
    let to = notes.partition_point(|n| n.start <= tick);
    notes[from..to].iter().filter(move |n| n.end() > tick)
}

fn longest(notes: &[Note]) -> u32 {
    notes.iter().map(|n| n.duration).max().unwrap_or(0)
}

/// Long melody notes — a beat or longer (a dotted quarter in compound meters) — against the
/// lowest bass note sounding at their onset: (long notes with a bass note, of them those a
/// minor second or ninth, a tritone or a major seventh from it, i.e. 1, 6 or 11 semitones
/// apart modulo the octave).
fn long_clashes(meter: Meter, melody: &[Note], bass: &[Note]) -> (usize, usize) {
    let reach = longest(bass);
    let (mut long, mut clashes) = (0, 0);
    for n in melody.iter().filter(|n| n.duration >= meter.beat_ticks()) {
        if let Some(low) = sounding(bass, reach, n.start).map(|b| b.pitch).min() {
            long += 1;
            clashes += usize::from(matches!(n.pitch.distance(low) % 12, 1 | 6 | 11));
        }
    }
    (long, clashes)
}

/// Share of the melody notes at or below the highest chord-part note sounding at their onset,
/// over the melody notes with a chord-part note sounding; `None` when there are none.
fn under_chords(melody: &[Note], chords: &[Note]) -> Option<f64> {
    let reach = longest(chords);
    let (mut heard, mut under) = (0, 0);
    for n in melody {
        if let Some(top) = sounding(chords, reach, n.start).map(|c| c.pitch).max() {
            heard += 1;
            under += usize::from(n.pitch <= top);
        }
    }
    (heard > 0).then(|| share(under, heard))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::SectionName;
    use crate::score::{ChordSpan, Part};
    use crate::theory::{Chord, ChordQuality, Key, Letter, Mode, NoteName, Pitch};

    const Q: u32 = TICKS_PER_QUARTER;
    const E: u32 = Q / 2;

    fn note(start: u32, duration: u32, pitch: u8) -> Note {
        Note {
            start,
            duration,
            pitch: Pitch(pitch),
            velocity: 80,
        }
    }

    /// Notes back to back from tick 0: (length, pitch).
    fn run(notes: &[(u32, u8)]) -> Vec<Note> {
        let mut at = 0;
        notes
            .iter()
            .map(|&(length, pitch)| {
                at += length;
                note(at - length, length, pitch)
            })
            .collect()
    }

    fn chord(letter: Letter, quality: ChordQuality) -> Chord {
        Chord::new(NoteName::new(letter, 0), quality)
    }

    /// A piece in G major with the given meter, bars and parts, no sections or harmony.
    fn score(meter: (u8, u8), bars: u32, parts: Vec<(PartRole, Vec<Note>)>) -> Score {
        Score {
            title: String::new(),
            key: Key::new(NoteName::new(Letter::G, 0), Mode::Major),
            meter: Meter::new(meter.0, meter.1).unwrap(),
            tempo: 100,
            bars,
            seed: 0,
            swing: None,
            pickup: 0,
            sections: Vec::new(),
            changes: Vec::new(),
            hairpins: Vec::new(),
            harmony: Vec::new(),
            parts: parts
                .into_iter()
                .map(|(role, notes)| Part {
                    role,
                    program: 1,
                    channel: 0,
                    doubles: false,
                    notes,
                    dynamics: Vec::new(),
                })
                .collect(),
            gave_way: Vec::new(),
        }
    }

    fn section(bar: u32, letter: char) -> (u32, SectionName) {
        let name = SectionName::letter(letter);
        (bar, name)
    }

    #[test]
    fn a_jig_bar_of_running_eighths_runs_every_beat() {
        let meter = Meter::new(6, 8).unwrap();
        let jig = run(&[(E, 67); 6]);
        assert_eq!(running_beats(meter, 1, &jig), 1.0);
        // A quarter and an eighth is a beat that does not run; an empty bar runs nowhere.
        let slide = run(&[(Q, 67), (E, 69), (E, 71), (E, 72), (E, 74)]);
        assert_eq!(running_beats(meter, 2, &slide), 0.25);
    }

    #[test]
    fn a_reel_runs_in_eighth_and_dotted_pairs() {
        let meter = Meter::new(4, 4).unwrap();
        let bar = [
            (E, 67),
            (E, 69),
            (E * 3 / 2, 71),
            (E / 2, 72),
            (Q, 74),
            (E, 71),
        ];
        assert_eq!(running_beats(meter, 1, &run(&bar)), 0.5);
        // Three beats run: the last pair is only half there.
        let bar = run(&[
            (E, 67),
            (E, 69),
            (E, 71),
            (E, 72),
            (E, 74),
            (E, 71),
            (E, 69),
        ]);
        assert_eq!(running_beats(meter, 1, &bar), 0.75);
    }

    #[test]
    fn bars_repeat_rhythms_and_written_repeats_are_not_bars() {
        let x = [(Q, 67), (Q, 69), (2 * Q, 71)];
        let y = [(2 * Q, 67), (Q, 69), (Q, 71)];
        let bars: Vec<(u32, u8)> = [x, y, x].concat();
        let tune = score((4, 4), 3, vec![(PartRole::Melody, run(&bars))]);
        let melody = &tune.parts[0].notes;
        assert_eq!(bar_repeats(&tune, melody), 0.5);
        // AA: the second A is a repeat sign, so two written bars, the second new.
        let mut aa = score(
            (4, 4),
            4,
            vec![(PartRole::Melody, run(&[x, y, x, y].concat()))],
        );
        aa.sections = vec![section(0, 'A'), section(2, 'A')];
        assert_eq!(written_bars(&aa, &aa.parts[0].notes), [0, 1]);
        assert_eq!(bar_repeats(&aa, &aa.parts[0].notes), 0.0);
    }

    #[test]
    fn lengths_tonic_and_fifth_are_counted_over_the_notes() {
        let melody = run(&[(Q, 67), (Q, 62), (E, 74), (E, 69), (Q * 2, 79)]);
        let tune = score((4, 4), 2, vec![(PartRole::Melody, melody.clone())]);
        let idiom = measure(&tune, &melody, 0);
        assert_eq!(idiom.lengths, 3);
        // G twice, D twice, A once.
        assert_eq!((idiom.tonic, idiom.fifth), (0.4, 0.4));
        assert!(!idiom.compound);
    }

    #[test]
    fn section_ends_are_measured_against_their_chords() {
        let melody = run(&[(2 * Q, 67), (2 * Q, 71), (2 * Q, 72), (2 * Q, 74)]);
        let mut tune = score((4, 4), 2, vec![(PartRole::Melody, melody.clone())]);
        tune.sections = vec![section(0, 'A'), section(1, 'B')];
        let span = |start, end, chord| ChordSpan { start, end, chord };
        tune.harmony = vec![
            span(0, 4 * Q, chord(Letter::G, ChordQuality::Major)),
            span(4 * Q, 8 * Q, chord(Letter::C, ChordQuality::Major)),
        ];
        // B over G ends A on a chord tone and on I; D over C ends B off the chord.
        assert_eq!(section_ends(&tune, &melody, 0), (2, 1));
        assert_eq!(first_strain_on_i_or_v(&tune, &melody, 0), Some(true));
        tune.harmony[0].chord = chord(Letter::A, ChordQuality::Minor);
        assert_eq!(first_strain_on_i_or_v(&tune, &melody, 0), Some(false));
        tune.harmony[0].chord = chord(Letter::D, ChordQuality::Dominant7);
        assert_eq!(first_strain_on_i_or_v(&tune, &melody, 0), Some(true));
        tune.harmony.clear();
        assert_eq!(first_strain_on_i_or_v(&tune, &melody, 0), None);
    }

    #[test]
    fn a_section_leading_into_the_next_cadences_before_its_lead_in() {
        let melody = run(&[(2 * Q, 67), (2 * Q, 71), (2 * Q, 72), (2 * Q, 74)]);
        let mut tune = score((4, 4), 2, vec![(PartRole::Melody, melody.clone())]);
        tune.sections = vec![section(0, 'A'), section(1, 'B')];
        let span = |start, end, chord| ChordSpan { start, end, chord };
        let c_major = chord(Letter::C, ChordQuality::Major);
        tune.harmony = vec![span(0, 4 * Q, c_major), span(4 * Q, 8 * Q, c_major)];
        // A's B is off the C chord; with a half-bar lead-in A's cadence is its G. The last
        // section, B, has no lead-in: its D is off the chord either way.
        assert_eq!(section_ends(&tune, &melody, 0), (2, 0));
        assert_eq!(section_ends(&tune, &melody, 2 * Q), (2, 1));
    }

    #[test]
    fn rests_before_between_and_after_the_notes_count() {
        let melody = vec![note(Q, Q, 62), note(3 * Q, Q, 67)];
        assert_eq!(resting(4 * Q, &melody), 0.5);
        assert_eq!(resting(4 * Q, &run(&[(4 * Q, 67)])), 0.0);
        // Overlapping notes count once; a note past the end counts to the end.
        let overlapping = vec![note(0, 2 * Q, 62), note(Q, 4 * Q, 67)];
        assert_eq!(resting(4 * Q, &overlapping), 0.0);
    }

    #[test]
    fn long_notes_clash_by_a_semitone_or_a_tritone_from_the_bass() {
        let meter = Meter::new(4, 4).unwrap();
        let bass = vec![note(0, 4 * Q, 43), note(4 * Q, 4 * Q, 38)];
        // F#4 over G2 (a major seventh) clashes; the short A is not long; B over G does not;
        // G#4 over D2 (a tritone) clashes, and so would a minor ninth, Eb4 over D2.
        let melody = run(&[(2 * Q, 66), (E, 69), (Q + E, 71), (Q, 68), (3 * Q, 63)]);
        assert_eq!(long_clashes(meter, &melody, &bass), (4, 3));
        // No bass, no long note measured.
        assert_eq!(long_clashes(meter, &melody, &[]), (0, 0));
    }

    #[test]
    fn melody_notes_at_or_below_the_chords_top_are_under_them() {
        let chords = vec![note(0, 4 * Q, 55), note(0, 4 * Q, 59), note(0, 4 * Q, 62)];
        // D4 is the chords' top: at it, under; G4 above; the last note has no chord under it.
        let melody = run(&[(2 * Q, 62), (2 * Q, 67), (Q, 60)]);
        assert_eq!(under_chords(&melody, &chords), Some(0.5));
        assert_eq!(under_chords(&melody, &[]), None);
    }

    #[test]
    fn sounding_notes_are_found_by_their_span() {
        let notes = vec![note(0, 4 * Q, 43), note(Q, Q, 50), note(2 * Q, Q, 55)];
        let at = |tick| -> Vec<u8> {
            sounding(&notes, longest(&notes), tick)
                .map(|n| n.pitch.0)
                .collect()
        };
        assert_eq!(at(0), [43]);
        assert_eq!(at(Q), [43, 50]);
        assert_eq!(at(2 * Q), [43, 55]);
        assert_eq!(at(4 * Q), Vec::<u8>::new());
    }
}
