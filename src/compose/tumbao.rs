//! Salsa's tumbao bass: where it strikes (the and of 2 and beat 4, never beat 1) and which
//! chord each of its notes belongs to, since the note on 4 anticipates the next bar's chord
//! and is held across the bar line.
//!
//! The verifier's rule that the bass sounds its root at every chord change still holds, read
//! as the tumbao is heard: the note *sounding* at the change (struck before it) is the root; at
//! a section's start, where the bass rests on beat 1, the first note inside the chord is.

use std::collections::BTreeSet;

use super::rhythm::Slot;
use crate::score::{ChordSpan, span_at};
use crate::theory::Meter;

/// Ticks from the bar line where the tumbao strikes: the and of 2 and beat 4, counted in
/// quarters in 4/4 and cut time alike (other meters: the and of 2 and the last beat).
pub fn onsets(meter: Meter) -> Vec<u32> {
    let bar = meter.bar_ticks();
    let pulse = if (meter.count, meter.unit) == (2, 2) {
        bar / 4
    } else {
        meter.beat_ticks()
    };
    let mut at = vec![pulse * 3 / 2, bar.saturating_sub(pulse)];
    at.retain(|t| *t > 0 && *t < bar);
    at.sort_unstable();
    at.dedup();
    at
}

/// Where the tumbao plays over `[from, to)` (a section): its onsets, plus a note on every
/// chord change it cannot anticipate. `can(s, c)` says whether a note struck at `s` may sound
/// the chord that starts at `c` (the pitch rules at `s` hold one of the tones `c` asks for).
pub fn slots(
    harmony: &[ChordSpan],
    meter: Meter,
    (from, to): (u32, u32),
    can: impl Fn(u32, u32) -> bool,
) -> Vec<Slot> {
    let bar = meter.bar_ticks();
    let figure = onsets(meter);
    let mut starts: BTreeSet<u32> = (from / bar..to.div_ceil(bar))
        .flat_map(|b| figure.iter().map(move |o| b * bar + o))
        .filter(|t| (from..to).contains(t))
        .collect();
    let changes: Vec<u32> = (harmony.iter().map(|c| c.start))
        .filter(|t| (from..to).contains(t))
        .collect();
    // The note that sounds a section's first chord after the rest on beat 1, if one does.
    let mut after_rest = None;
    for &c in &changes {
        if starts.contains(&c) {
            continue;
        }
        let heard = match starts.range(..c).next_back() {
            // The note before the change rings across it, unless another change came first
            // or it sounds a chord of its own already.
            Some(&s) => {
                !changes.iter().any(|d| (s..c).contains(d)) && can(s, c) && after_rest != Some(s)
            }
            None if c == from => {
                after_rest = first_after_rest(harmony, &figure, bar, c, &can);
                after_rest.is_some()
            }
            None => false,
        };
        if !heard {
            starts.insert(c);
        }
    }
    let starts: Vec<u32> = starts.into_iter().collect();
    (0..starts.len())
        .map(|i| Slot {
            start: starts[i],
            duration: starts.get(i + 1).unwrap_or(&to) - starts[i],
        })
        .collect()
}

/// At a section's start `c` the tumbao rests on beat 1: its first onset sounds the chord,
/// when that onset lies inside the chord and may take its tones. Returns that onset.
fn first_after_rest(
    harmony: &[ChordSpan],
    figure: &[u32],
    bar: u32,
    c: u32,
    can: &impl Fn(u32, u32) -> bool,
) -> Option<u32> {
    let first = c + figure.first()?;
    let span = span_at(harmony, c)?;
    (span.start == c && first < span.end && c.is_multiple_of(bar) && can(first, c)).then_some(first)
}

/// The start of the chord whose arrival `slot` sounds, if any: a change at or inside the slot
/// (the note anticipates it), or a section's first chord when the slot is its first note after
/// the rest on beat 1. `section_start` says whether a tick starts a section.
pub fn arrival(
    slot: &Slot,
    harmony: &[ChordSpan],
    meter: Meter,
    section_start: impl Fn(u32) -> bool,
    can: impl Fn(u32, u32) -> bool,
) -> Option<u32> {
    let end = slot.start + slot.duration;
    if let Some(c) = (harmony.iter().map(|c| c.start)).find(|t| (slot.start..end).contains(t)) {
        return Some(c);
    }
    let c = span_at(harmony, slot.start)?.start;
    let figure = onsets(meter);
    let after_rest = first_after_rest(harmony, &figure, meter.bar_ticks(), c, &can);
    (section_start(c) && after_rest == Some(slot.start)).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::{Chord, ChordQuality, Letter, NoteName};

    fn bars_of(chords: usize) -> Vec<ChordSpan> {
        let c = Chord::new(NoteName::new(Letter::C, 0), ChordQuality::Major);
        (0..chords as u32)
            .map(|i| ChordSpan {
                start: i * 1920,
                end: (i + 1) * 1920,
                chord: c,
            })
            .collect()
    }

    #[test]
    fn strikes_the_and_of_two_and_four_never_one() {
        let four = Meter::new(4, 4).unwrap();
        assert_eq!(onsets(four), vec![720, 1440]);
        assert_eq!(onsets(Meter::new(2, 2).unwrap()), vec![720, 1440]);
        let slots = slots(&bars_of(2), four, (0, 3840), |_, _| true);
        let starts: Vec<u32> = slots.iter().map(|s| s.start).collect();
        assert_eq!(starts, vec![720, 1440, 2640, 3360]);
        // The note on 4 rings across the bar line into the next chord.
        assert_eq!(slots[1].duration, 1200);
        assert_eq!(slots[3].start + slots[3].duration, 3840);
    }

    #[test]
    fn a_change_it_may_not_anticipate_gets_its_own_note() {
        let four = Meter::new(4, 4).unwrap();
        let no_anticipation = |s: u32, c: u32| s >= c;
        let starts: Vec<u32> = slots(&bars_of(2), four, (0, 3840), no_anticipation)
            .iter()
            .map(|s| s.start)
            .collect();
        assert_eq!(starts, vec![720, 1440, 1920, 2640, 3360]);
    }

    #[test]
    fn the_note_after_the_rest_sounds_its_own_chord_not_the_next() {
        // Two chords a bar: the and of 2 sounds the first chord (after the rest on 1), so
        // the change on 3 gets a note of its own.
        let four = Meter::new(4, 4).unwrap();
        let mut harmony = bars_of(2);
        harmony.insert(
            1,
            ChordSpan {
                start: 960,
                ..harmony[0]
            },
        );
        harmony[0].end = 960;
        let starts: Vec<u32> = slots(&harmony, four, (0, 3840), |_, _| true)
            .iter()
            .map(|s| s.start)
            .collect();
        assert_eq!(starts, vec![720, 960, 1440, 2640, 3360]);
        let slot = Slot {
            start: 720,
            duration: 240,
        };
        assert_eq!(
            arrival(&slot, &harmony, four, |t| t == 0, |_, _| true),
            Some(0)
        );
    }

    #[test]
    fn each_note_knows_the_chord_it_sounds() {
        let four = Meter::new(4, 4).unwrap();
        let harmony = bars_of(2);
        let section = |t: u32| t == 0;
        let slots = slots(&harmony, four, (0, 3840), |_, _| true);
        let arrivals: Vec<Option<u32>> = (slots.iter())
            .map(|s| arrival(s, &harmony, four, section, |_, _| true))
            .collect();
        assert_eq!(arrivals, vec![Some(0), Some(1920), None, None]);
    }
}
