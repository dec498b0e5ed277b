//! The genres' comping figures: power chords, off-beat skanks, funk stabs, a montuno, Alberti
//! and sixteenth arpeggios, and held pads — where in a chord's span the chords part strikes
//! which of its voiced tones.

use crate::resolve::{Pattern, Plan};
use crate::score::ChordSpan;
use crate::theory::{Meter, Pitch, PitchSet};

/// Strikes `pitches` at a tick for a number of ticks.
pub type Strike<'a> = dyn FnMut(u32, u32, &[Pitch]) + 'a;

/// The sixteenths of a 4/4 bar a funk or bossa comp strikes: a syncopated figure that hits
/// the downbeat and leans on the off-beats.
const STABS: [u32; 6] = [0, 3, 6, 10, 12, 15];

/// Lays `voicing` out over `span` in one of the genres' figures; `allowed` and `range` are the
/// part's classes and range there (a power chord picks its own octaves within them).
pub fn comp(
    plan: &Plan,
    pattern: Pattern,
    span: &ChordSpan,
    (voicing, allowed, range): (&[Pitch], PitchSet, (Pitch, Pitch)),
    strike: &mut Strike,
) {
    let meter = plan.meter.value;
    let (beat, eighth, sixteenth) = grid(meter);
    let length = span.end - span.start;
    let ticks = |step: u32| (0..length / step.max(1)).map(move |k| span.start + k * step);
    let top = voicing.last().map_or(&[][..], std::slice::from_ref);
    match pattern {
        Pattern::Power => {
            let power = power(span, allowed, range).unwrap_or_else(|| voicing.to_vec());
            for at in ticks(eighth) {
                strike(at, eighth, &power);
            }
        }
        Pattern::OffBeat => {
            for at in ticks(beat) {
                strike(at + beat / 2, eighth / 2, voicing);
            }
        }
        Pattern::Stabs => {
            let bar = meter.bar_ticks();
            for at in ticks(sixteenth) {
                if STABS.contains(&((at % bar) / sixteenth)) {
                    strike(at, sixteenth, voicing);
                }
            }
        }
        Pattern::Montuno => {
            // On the beat the top tone alone, off the beat the chord under it.
            for (k, at) in ticks(eighth).enumerate() {
                let on_beat = (at % beat) == 0;
                let (under, _) = voicing.split_at(voicing.len().saturating_sub(1));
                let chord = if under.is_empty() { voicing } else { under };
                strike(at, eighth, if on_beat || k == 0 { top } else { chord });
            }
        }
        // The piece's last chord, and a chord too short for the whole figure, are struck whole
        // (the last bar may give a pickup's time back).
        Pattern::Alberti if length < 4 * eighth || closes_piece(plan, span) => {
            strike(span.start, length, voicing)
        }
        Pattern::Alberti => {
            let n = voicing.len();
            let order = [0, n - 1, n / 2, n - 1];
            broken(span, eighth, voicing, &order, strike);
        }
        Pattern::Sixteenths => {
            let order: Vec<usize> = (0..voicing.len())
                .chain((1..voicing.len() - 1).rev())
                .collect();
            broken(span, sixteenth, voicing, &order, strike);
        }
        _ => strike(span.start, length, voicing),
    }
}

/// Whether `span` is the piece's last chord, or closes a section of the letter the piece ends
/// with: each time that section plays, so that a repeat (`form AABB`) sounds the same.
fn closes_piece(plan: &Plan, span: &ChordSpan) -> bool {
    span.end >= plan.total_ticks()
        || (plan.section_ends_at(span.end)
            && plan.ends_with(plan.section_at_tick(span.end - 1).name.letter))
}

/// Ticks of the beat, its half (a third in compound time) and its quarter (a sixth).
fn grid(meter: Meter) -> (u32, u32, u32) {
    let beat = meter.beat_ticks();
    if meter.is_compound() {
        (beat, beat / 3, beat / 6)
    } else {
        (beat, beat / 2, beat / 4)
    }
}

/// One tone at a time, every `step`, in `order` of the voicing's tones, the last note filling
/// the span.
fn broken(span: &ChordSpan, step: u32, voicing: &[Pitch], order: &[usize], strike: &mut Strike) {
    let length = span.end - span.start;
    let count = (length / step.max(1)).max(1);
    for k in 0..count {
        let duration = if k + 1 == count {
            length - step * k
        } else {
            step
        };
        let tone = voicing[order[k as usize % order.len()].min(voicing.len() - 1)];
        strike(span.start + k * step, duration, &[tone]);
    }
}

/// The chord's root, its fifth above and the root's octave, the lowest such root in the
/// range (or the fifth under the root); `None` when the rules forbid the root or the fifth,
/// or the range is too small.
fn power(span: &ChordSpan, allowed: PitchSet, (low, high): (Pitch, Pitch)) -> Option<Vec<Pitch>> {
    let root = span.chord.root_class();
    let fifth = span.chord.fifth();
    if !allowed.contains(root) || !allowed.contains(fifth) {
        return None;
    }
    let pitch = |p: &u8| Pitch(*p).class() == root;
    match (low.0..=high.0.saturating_sub(7)).find(pitch) {
        Some(bottom) if bottom + 12 <= high.0 => {
            Some(vec![Pitch(bottom), Pitch(bottom + 7), Pitch(bottom + 12)])
        }
        Some(bottom) => Some(vec![Pitch(bottom), Pitch(bottom + 7)]),
        // Too high for the fifth above: the fifth under the root (a fourth, still no third).
        None => (low.0 + 5..=high.0)
            .find(pitch)
            .map(|top| vec![Pitch(top - 5), Pitch(top)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::{Chord, ChordQuality, Letter, NoteName};

    fn e_minor() -> ChordSpan {
        ChordSpan {
            start: 0,
            end: 1920,
            chord: Chord::new(NoteName::new(Letter::E, 0), ChordQuality::Minor),
        }
    }

    #[test]
    fn a_power_chord_is_root_fifth_and_octave_without_the_third() {
        let tones = power(&e_minor(), PitchSet::CHROMATIC, (Pitch(45), Pitch(70))).unwrap();
        assert_eq!(tones, [Pitch(52), Pitch(59), Pitch(64)]);
        let no_fifth = PitchSet::CHROMATIC.minus(PitchSet::EMPTY.with(Pitch(59).class()));
        assert_eq!(power(&e_minor(), no_fifth, (Pitch(45), Pitch(70))), None);
        // E3 to E4 holds no E with its fifth above under the top: B3 under E4.
        let narrow = power(&e_minor(), PitchSet::CHROMATIC, (Pitch(53), Pitch(64)));
        assert_eq!(narrow, Some(vec![Pitch(59), Pitch(64)]));
    }

    #[test]
    fn an_alberti_figure_goes_low_high_middle_high() {
        let voicing = [Pitch(60), Pitch(64), Pitch(67)];
        let mut struck = Vec::new();
        broken(
            &e_minor(),
            240,
            &voicing,
            &[0, 2, 1, 2],
            &mut |at, _, p: &[Pitch]| struck.push((at, p[0].0)),
        );
        assert_eq!(
            &struck[..5],
            [(0, 60), (240, 67), (480, 64), (720, 67), (960, 60)]
        );
        assert_eq!(struck.len(), 8);
    }
}
