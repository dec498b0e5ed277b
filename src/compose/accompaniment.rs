//! The chords part: each chord voiced with its allowed tones near the previous voicing.

use super::Conflict;
use crate::resolve::{Origin, PartPlan, PartRole, Pattern, Plan};
use crate::score::{ChordSpan, Note};
use crate::theory::{Meter, Pitch, PitchSet, voicing};

/// Classes of the part's range that its rules allow while `span` sounds, among `tones`.
fn playable(plan: &Plan, part: &PartPlan, span: &ChordSpan, tones: PitchSet) -> PitchSet {
    let (low, high) = plan.range_at(part, span.start);
    let in_range = PitchSet::of((low.0..=high.0).map(|p| Pitch(p).class()));
    in_range
        .intersect(plan.allowed_at(part, span.start))
        .intersect(tones)
}

/// The minimal set of user clauses that leaves `span`'s chord without a playable tone.
pub(super) fn unvoiceable(plan: &Plan, part: &PartPlan, span: &ChordSpan) -> Conflict {
    let chords = plan.progression.as_ref().map(|p| p.origin.clone());
    let mut origins = part.user_origins();
    origins.extend(chords.clone());
    let kept = super::minimal_conflict(origins, |keep: &[Origin]| {
        let tones = match &chords {
            Some(o) if !keep.contains(o) => PitchSet::CHROMATIC,
            _ => span.chord.tone_set(),
        };
        playable(plan, &part.relaxed(keep), span, tones).is_empty()
    });
    let key = plan.key.value;
    Conflict {
        role: Some(part.role),
        reason: format!(
            "no tone of {} {} is allowed in the chords part's range, where only {} may sound",
            span.chord,
            key.spell_set(span.chord.tone_set()),
            key.spell_set(playable(
                plan,
                &part.relaxed(&kept),
                span,
                PitchSet::CHROMATIC
            ))
        ),
        origins: kept,
    }
}

/// Each chord voiced with its allowed tones within range, near the previous voicing, then played
/// in the part's pattern. Every tone is an allowed chord tone.
/// Also whether the default key's scale gave way, for a chord borrowed for the bass's first or
/// last note (`harmony::borrowed_for_bass`).
pub fn chords(
    plan: &Plan,
    part: &PartPlan,
    harmony: &[ChordSpan],
) -> Result<(Vec<Note>, bool), Conflict> {
    let pattern = part.pattern.as_ref().map_or(Pattern::Block, |p| p.value);
    let mut center = 0;
    let mut previous: Option<Vec<Pitch>> = None;
    let mut notes = Vec::new();
    let with_bass = plan.parts.iter().any(|p| p.role == PartRole::Bass);
    let (free, mut key_gave_way) = (part.without_default_key(), false);
    for span in harmony {
        let (low, high) = plan.range_at(part, span.start);
        // Voice leading starts afresh in each section, so a repeated section sounds the same.
        // (The section sounding at the span, looked up, not searched for: linear in sections.)
        let section = (!plan.sections.is_empty()).then(|| plan.section_at_tick(span.start));
        if section.is_some_and(|s| plan.ticks_of(&s).start == span.start) {
            center = (low.0 as i32 + high.0 as i32) / 2;
            previous = None;
        }
        let borrowed = super::harmony::borrowed_for_bass(plan, span.chord);
        key_gave_way |= borrowed;
        let allowed = plan.allowed_at(if borrowed { &free } else { part }, span.start);
        // A ninth as a player voices it, not its five tones packed round the centre.
        let ninth = voicing::ninth(span.chord, allowed, (low, high), center, with_bass);
        let mut voicing: Vec<Pitch> =
            ninth.unwrap_or_else(|| nearest(span, allowed, (low, high), center));
        voicing.sort();
        voicing.dedup();
        if voicing.is_empty() {
            return Err(unvoiceable(plan, part, span));
        }
        center = voicing.iter().map(|p| p.0 as i32).sum::<i32>() / voicing.len() as i32;
        if pattern == Pattern::Chorale {
            // Four voices led from the chord before (afresh in each section, as above).
            if let Some(led) = voicing::lead(previous.as_deref(), span.chord, allowed, low, high) {
                voicing = led;
            }
            previous = Some(voicing.clone());
        }
        play(plan, part, pattern, span, &voicing, &mut notes);
    }
    notes.sort_by_key(|n| (n.start, n.pitch));
    Ok((notes, key_gave_way))
}

/// Each allowed tone of `span`'s chord at its pitch within range nearest `center`.
fn nearest(
    span: &ChordSpan,
    allowed: PitchSet,
    (low, high): (Pitch, Pitch),
    center: i32,
) -> Vec<Pitch> {
    (span.chord.tones())
        .filter(|pc| allowed.contains(*pc))
        .filter_map(|pc| {
            (low.0..=high.0)
                .filter(|p| Pitch(*p).class() == pc)
                .min_by_key(|p| (*p as i32 - center).abs())
                .map(Pitch)
        })
        .collect()
}

/// The velocity of each of `voices` notes struck together, so that a chord sounds not much
/// louder than one note: a synth's level falls about 40·log10 of the velocity ratio and `n`
/// notes add up to 10·log10 n, so n^(-1/4) would cancel the sum; each voice plays at
/// n^(-3/16), in percent, which leaves a full chord a little fuller than a single note.
pub(super) fn balanced(velocity: u8, voices: usize) -> u8 {
    const PERCENT: [u32; 6] = [100, 100, 88, 81, 77, 74];
    let percent = PERCENT[voices.min(PERCENT.len() - 1)];
    ((velocity as u32 * percent).div_ceil(100)).max(1) as u8
}

/// Lays one voicing out over its chord in the pattern.
fn play(
    plan: &Plan,
    part: &PartPlan,
    pattern: Pattern,
    span: &ChordSpan,
    voicing: &[Pitch],
    notes: &mut Vec<Note>,
) {
    let meter = plan.meter.value;
    let beat = meter.beat_ticks();
    let length = span.end - span.start;
    let on_beats = length.is_multiple_of(beat) && length >= beat;
    let beats: Vec<u32> = if on_beats {
        (0..length / beat).map(|b| span.start + b * beat).collect()
    } else {
        vec![span.start]
    };
    let each = if on_beats { beat } else { length };
    let velocity = |tick: u32| super::velocity(plan, part, tick);
    let mut strike = |start: u32, duration: u32, pitches: &[Pitch]| {
        let velocity = balanced(velocity(start), pitches.len());
        notes.extend(pitches.iter().map(|&pitch| Note {
            start,
            duration,
            pitch,
            velocity,
        }));
    };
    let (low, upper) = voicing.split_at(1.min(voicing.len()));
    let upper = if upper.is_empty() { low } else { upper };
    match pattern {
        Pattern::Strum | Pattern::Chorale => {
            for &b in &beats {
                strike(b, each, voicing);
            }
        }
        Pattern::Arpeggio => {
            // Up and back through the voicing on the beat's halves (thirds in compound time).
            let step = if meter.is_compound() {
                beat / 3
            } else {
                beat / 2
            };
            let count = (length / step.max(1)).max(1);
            let order: Vec<Pitch> = voicing
                .iter()
                .chain(
                    voicing
                        .iter()
                        .rev()
                        .skip(1)
                        .take(voicing.len().saturating_sub(2)),
                )
                .copied()
                .collect();
            for k in 0..count {
                let duration = if k + 1 == count {
                    length - step * k
                } else {
                    step
                };
                strike(
                    span.start + k * step,
                    duration,
                    &[order[k as usize % order.len()]],
                );
            }
        }
        Pattern::Power
        | Pattern::OffBeat
        | Pattern::Stabs
        | Pattern::Montuno
        | Pattern::Alberti
        | Pattern::Pad
        | Pattern::Sixteenths => {
            let rules = (
                voicing,
                plan.allowed_at(part, span.start),
                plan.range_at(part, span.start),
            );
            super::comping::comp(plan, pattern, span, rules, &mut strike);
        }
        Pattern::OomPahPah | Pattern::BoomChick => {
            for &b in &beats {
                let boom = is_boom(meter, b) || b == span.start;
                strike(b, each, if boom { low } else { upper });
            }
        }
        _ => {
            let halves = if on_beats && beats.len() >= 2 && beats.len().is_multiple_of(2) {
                2
            } else {
                1
            };
            for h in 0..halves {
                strike(span.start + h * length / halves, length / halves, voicing);
            }
        }
    }
}

/// Whether a boom-chick or oom-pah-pah strikes its low note at `tick`: on the downbeat and, in
/// a bar of four beats or more, its middle (in 2/4 the second beat is the chick, a polka's
/// oom-pah, not a second boom).
fn is_boom(meter: Meter, tick: u32) -> bool {
    match meter.strength(tick % meter.bar_ticks()) {
        3 => true,
        2 => meter.beats_per_bar() >= 4,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polka_booms_once_a_bar_and_a_march_in_four_twice() {
        let (two, four) = (Meter::new(2, 4).unwrap(), Meter::new(4, 4).unwrap());
        let quarter = two.beat_ticks();
        let booms = |m: Meter| (0..m.beats_per_bar()).map(move |b| is_boom(m, b * quarter));
        assert_eq!(booms(two).collect::<Vec<_>>(), [true, false]);
        assert_eq!(booms(four).collect::<Vec<_>>(), [true, false, true, false]);
    }

    #[test]
    fn a_chord_is_not_much_louder_than_one_note() {
        assert_eq!(balanced(80, 1), 80);
        assert_eq!(balanced(80, 4), 62);
        assert!(balanced(80, 3) > balanced(80, 4));
        assert_eq!(balanced(1, 9), 1);
    }
}
