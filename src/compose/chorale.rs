//! A chorale's inner voices: on every beat an alto and a tenor complete the chord between the
//! melody (the soprano) and the bass, chosen phrase by phrase as the most likely path through
//! every voicing of every beat (Viterbi), weighed by Bach's habits (`models::chorale`).
//!
//! The voice-leading rules are weights so small that a path breaking one is taken only where
//! every path does: no parallel fifths or octaves between any two voices, no crossing, the
//! upper voices within an octave of each other. The soprano and the bass are given; only the
//! inner voices are chosen, so the search is over pairs of pitches, a few dozen per beat.

use super::Conflict;
use crate::models::{ChoraleModel, Doubling, VoicePair, chorale_model};
use crate::resolve::{Harmony, PartPlan, PartRole, Pattern, Plan};
use crate::score::{ChordSpan, Note, Part};
use crate::theory::{Chord, Pitch, PitchClass};

/// The weight of breaking a voice-leading rule: taken only where nothing else is left.
pub(super) const BROKEN: f64 = 1e-9;
/// The weight of upper voices more than an octave apart: the parts' ranges may leave no
/// other way (a melody high above the chords' range), and then parallels weigh more.
const WIDE: f64 = 0.1;
/// The weight of perfect fifths or octaves in contrary motion, and of voices overlapping.
const CONTRARY_PERFECT: f64 = 0.05;
const OVERLAP: f64 = 0.1;

/// One beat to voice: its chord, the soprano and bass sounding at its start, and the pitches
/// the inner voices may take (the chord's allowed tones within the part's range).
struct Beat {
    start: u32,
    end: u32,
    chord: Chord,
    soprano: u8,
    /// Whether the soprano strikes a note on this beat (the inner voices strike with it).
    struck: bool,
    bass: u8,
    tones: Vec<u8>,
}

/// An alto and a tenor, as MIDI pitches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Inner {
    alto: u8,
    tenor: u8,
}

/// Whether the chords part of `plan` sings a chorale's inner voices: the chorale pattern in
/// the chorale style, with a melody and a bass `written`; those two lines if so.
pub fn outer_voices<'a>(
    plan: &Plan,
    part: &PartPlan,
    written: &'a [Part],
) -> Option<(&'a [Note], &'a [Note])> {
    let pattern = part.pattern.as_ref().map(|p| p.value);
    let line = |role: PartRole| {
        written
            .iter()
            .find(|p| p.role == role)
            .map(|p| &p.notes[..])
    };
    match (pattern, plan.harmony_habit) {
        (Some(Pattern::Chorale), Harmony::Chorale) => {
            Some((line(PartRole::Melody)?, line(PartRole::Bass)?))
        }
        _ => None,
    }
}

/// The chorale's alto and tenor over `harmony`, under `melody` and over `bass` (both in order,
/// one note at a time), as notes of the chords part. Every note is an allowed chord tone in
/// range; voice leading restarts in each section, so repeated sections sound the same.
pub fn inner_voices(
    plan: &Plan,
    part: &PartPlan,
    harmony: &[ChordSpan],
    (melody, bass): (&[Note], &[Note]),
) -> Result<Vec<Note>, Conflict> {
    let model = chorale_model(plan.key.value.mode.is_minor());
    let beats = beats(plan, part, harmony, melody, bass);
    if let Some(i) = beats.iter().position(|b| b.tones.is_empty()) {
        let span = harmony
            .iter()
            .find(|s| s.start <= beats[i].start && beats[i].start < s.end);
        return Err(super::accompaniment::unvoiceable(
            plan,
            part,
            span.expect("a chord"),
        ));
    }
    let mut voiced: Vec<Inner> = Vec::with_capacity(beats.len());
    let section_starts: Vec<u32> = plan
        .sections
        .iter()
        .map(|s| plan.ticks_of(s).start)
        .collect();
    let cuts = cuts(plan);
    let mut from = 0;
    while from < beats.len() {
        let to = (from + 1..beats.len())
            .find(|&i| cuts.binary_search(&beats[i].start).is_ok())
            .unwrap_or(beats.len());
        let before = voiced
            .last()
            .copied()
            .filter(|_| !section_starts.contains(&beats[from].start));
        let previous = before.map(|v| (v, &beats[from - 1]));
        voiced.extend(best_path(model, &beats[from..to], previous));
        from = to;
    }
    Ok(notes(plan, part, &beats, &voiced))
}

/// Where the search starts over (from the voicing before): at each section, each of its
/// phrases, and where a varied repeat of it would start anew, so that whatever a repeat keeps
/// of its section is voiced as there.
fn cuts(plan: &Plan) -> Vec<u32> {
    let (bar, phrase) = (plan.bar_ticks(), plan.phrase_ticks());
    let mut cuts: Vec<u32> = plan
        .sections
        .iter()
        .flat_map(|s| {
            let ticks = plan.ticks_of(s);
            let kept = ticks.start + s.kept_bars() * bar;
            (ticks.start..ticks.end)
                .step_by(phrase as usize)
                .chain([kept])
        })
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Every beat of every chord (a chord not a whole number of beats long is one beat), with the
/// soprano and bass sounding at its start.
fn beats(
    plan: &Plan,
    part: &PartPlan,
    harmony: &[ChordSpan],
    melody: &[Note],
    bass: &[Note],
) -> Vec<Beat> {
    let beat = plan.meter.value.beat_ticks();
    let mut out = Vec::new();
    for span in harmony {
        let length = span.end - span.start;
        let each = if length.is_multiple_of(beat) && length >= beat {
            beat
        } else {
            length
        };
        for start in (span.start..span.end).step_by(each as usize) {
            let (low, high) = plan.range_at(part, start);
            let allowed = plan
                .allowed_at(part, start)
                .intersect(span.chord.tone_set());
            let soprano = sounding(melody, start).unwrap_or(high.0.saturating_add(1));
            let bass = sounding(bass, start).unwrap_or(low.0.saturating_sub(1));
            out.push(Beat {
                start,
                end: start + each,
                chord: span.chord,
                soprano,
                struck: melody.binary_search_by_key(&start, |n| n.start).is_ok(),
                bass,
                tones: (low.0..=high.0)
                    .filter(|p| allowed.contains(Pitch(*p).class()))
                    .collect(),
            });
        }
    }
    out
}

/// The pitch `line` (one note at a time, in order) sounds at `tick`.
fn sounding(line: &[Note], tick: u32) -> Option<u8> {
    let i = line.partition_point(|n| n.end() <= tick);
    line.get(i).filter(|n| n.start <= tick).map(|n| n.pitch.0)
}

/// The voicings a beat may take: every alto over every tenor among its tones.
fn voicings(beat: &Beat) -> Vec<Inner> {
    let mut out = Vec::new();
    for (i, &tenor) in beat.tones.iter().enumerate() {
        for &alto in &beat.tones[i..] {
            out.push(Inner { alto, tenor });
        }
    }
    out
}

/// The likeliest voicings of `beats`, led from the voicing `previous` of the beat before.
/// Weights are products, rescaled at each beat so that they never underflow.
fn best_path(model: &ChoraleModel, beats: &[Beat], previous: Option<(Inner, &Beat)>) -> Vec<Inner> {
    let mut layers: Vec<(Vec<Inner>, Vec<usize>)> = Vec::with_capacity(beats.len());
    let mut scores: Vec<f64> = Vec::new();
    for (k, beat) in beats.iter().enumerate() {
        let states = voicings(beat);
        let mut next = Vec::with_capacity(states.len());
        let mut back = Vec::with_capacity(states.len());
        for s in &states {
            let here = alone(model, beat, *s);
            let (from, best) = match k {
                0 => (
                    0,
                    previous.map_or(1.0, |(p, pb)| moving(model, (pb, p), (beat, *s))),
                ),
                _ => {
                    let (prior, pb) = (&layers[k - 1].0, &beats[k - 1]);
                    (0..prior.len())
                        .map(|j| (j, scores[j] * moving(model, (pb, prior[j]), (beat, *s))))
                        .fold((0, f64::MIN), |a, b| if b.1 > a.1 { b } else { a })
                }
            };
            next.push(best * here);
            back.push(from);
        }
        let top = next.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
        scores = next.into_iter().map(|w| w / top).collect();
        layers.push((states, back));
    }
    let mut at = (0..scores.len()).fold(0, |a, b| if scores[b] > scores[a] { b } else { a });
    let mut path = vec![layers[0].0[0]; beats.len()];
    for k in (0..beats.len()).rev() {
        path[k] = layers[k].0[at];
        at = layers[k].1[at];
    }
    path
}

/// How a voicing sits on its own beat: order and spacing of the four voices, and the chord's
/// tones each sounding and doubled as Bach's are.
fn alone(model: &ChoraleModel, beat: &Beat, v: Inner) -> f64 {
    let (s, a, t, b) = (
        beat.soprano as i32,
        v.alto as i32,
        v.tenor as i32,
        beat.bass as i32,
    );
    let mut w = model.spacing(VoicePair::SopranoAlto, s - a)
        * model.spacing(VoicePair::AltoTenor, a - t)
        * model.spacing(VoicePair::TenorBass, t - b);
    // Crossing, or two voices on one note, only where nothing else fits.
    if a >= s || t >= a || b >= t {
        w *= BROKEN;
    }
    if s - a > 12 || a - t > 12 {
        w *= WIDE;
    }
    w * complete(model, beat, v)
}

/// Whether every tone of the chord that must sound does (the root, the third, a seventh; the
/// fifth may be left out), weighed by which tone is doubled.
fn complete(model: &ChoraleModel, beat: &Beat, v: Inner) -> f64 {
    let tones: Vec<PitchClass> = beat.chord.tones().collect();
    let voices = [beat.soprano, v.alto, v.tenor, beat.bass].map(|p| Pitch(p).class());
    let count = |pc: PitchClass| voices.iter().filter(|v| **v == pc).count();
    let fifth = tones.get(2).copied();
    let missing = tones
        .iter()
        .filter(|pc| count(**pc) == 0 && Some(**pc) != fifth)
        .count();
    if missing > 0 {
        return BROKEN;
    }
    if tones.len() > 3 {
        return 1.0;
    }
    let doubled = if fifth.is_some_and(|f| count(f) == 0) {
        Doubling::NoFifth
    } else if count(tones[0]) >= 2 {
        Doubling::Root
    } else if count(tones[1]) >= 2 {
        Doubling::Third
    } else if fifth.is_some_and(|f| count(f) >= 2) {
        Doubling::Fifth
    } else {
        // The soprano outside the chord: three voices, three tones.
        return model.doubling(Doubling::Root);
    };
    model.doubling(doubled)
}

/// How the inner voices move from one beat's voicing to the next: by Bach's step sizes, with
/// no parallel fifths or octaves between any two voices and no voice passing its neighbour's
/// last note.
fn moving(model: &ChoraleModel, (pb, p): (&Beat, Inner), (nb, n): (&Beat, Inner)) -> f64 {
    let mut w = model.inner_move(false, p.alto.abs_diff(n.alto))
        * model.inner_move(true, p.tenor.abs_diff(n.tenor));
    let before = [pb.soprano, p.alto, p.tenor, pb.bass];
    let after = [nb.soprano, n.alto, n.tenor, nb.bass];
    for i in 0..4 {
        for j in i + 1..4 {
            // Soprano and bass are given: their motion is the bass's to weigh.
            if (i, j) != (0, 3) {
                w *= perfect_motion((before[i], before[j]), (after[i], after[j]));
            }
        }
    }
    if n.alto < p.tenor || n.tenor > p.alto || n.alto > pb.soprano || n.tenor < pb.bass {
        w *= OVERLAP;
    }
    w
}

/// The weight of two voices moving from `(u1, l1)` to `(u2, l2)`: consecutive perfect fifths
/// or octaves in similar motion are broken rules, in contrary motion a weakness.
pub(super) fn perfect_motion((u1, l1): (u8, u8), (u2, l2): (u8, u8)) -> f64 {
    let class = |u: u8, l: u8| u.abs_diff(l) % 12;
    let perfect = matches!(class(u1, l1), 0 | 7) && class(u1, l1) == class(u2, l2);
    if !perfect || u1 == u2 || l1 == l2 {
        return 1.0;
    }
    if (u2 > u1) == (l2 > l1) {
        BROKEN
    } else {
        CONTRARY_PERFECT
    }
}

/// The voicings as notes, struck with the soprano: both voices hold while they keep their notes,
/// the chord stays and the soprano holds, up to the next bar line. (They hold together, so the
/// staff's chords keep one length, as notation writes a chord.)
fn notes(plan: &Plan, part: &PartPlan, beats: &[Beat], voiced: &[Inner]) -> Vec<Note> {
    let bar = plan.bar_ticks();
    let mut notes: Vec<Note> = Vec::new();
    let held = |k: usize| {
        let (beat, v, before) = (&beats[k], &voiced[k], k.checked_sub(1).map(|j| &voiced[j]));
        before.is_some_and(|b| b.alto == v.alto && b.tenor == v.tenor)
            && beats[k - 1].chord == beat.chord
            && !beat.struck
            && !beat.start.is_multiple_of(bar)
            && v.alto != v.tenor
    };
    for voice in [|v: &Inner| v.tenor, |v: &Inner| v.alto] {
        let mut last: Option<usize> = None;
        for (k, (beat, v)) in beats.iter().zip(voiced).enumerate() {
            let pitch = voice(v);
            let held = held(k);
            match last {
                Some(i) if held => notes[i].duration = beat.end - notes[i].start,
                _ => {
                    let velocity =
                        super::accompaniment::balanced(super::velocity(plan, part, beat.start), 2);
                    notes.push(Note {
                        start: beat.start,
                        duration: beat.end - beat.start,
                        pitch: Pitch(pitch),
                        velocity,
                    });
                    last = Some(notes.len() - 1);
                }
            }
        }
    }
    // Alto and tenor on one note: one note sounds, the longer.
    notes.sort_by_key(|n| (n.start, n.pitch, std::cmp::Reverse(n.duration)));
    notes.dedup_by_key(|n| (n.start, n.pitch));
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifths_and_octaves_in_similar_motion_are_broken_rules() {
        // C4 over F3 to D4 over G3: parallel fifths.
        assert_eq!(perfect_motion((60, 53), (62, 55)), BROKEN);
        // Octaves by contrary motion: a weakness.
        assert_eq!(perfect_motion((60, 48), (55, 55)), CONTRARY_PERFECT);
        // A fifth to a sixth, or a voice holding: fine.
        assert_eq!(perfect_motion((60, 53), (62, 53)), 1.0);
        assert_eq!(perfect_motion((60, 53), (64, 55)), 1.0);
    }
}
