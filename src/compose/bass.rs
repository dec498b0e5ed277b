//! The bass: roots, root and fifth, or a walking line — always a chord tone at each chord change,
//! the root where the pitch rules allow it.

use rand::RngCore;

use super::Conflict;
use super::rhythm::{BarsPlayed, Placement, Slot};
use super::sections::{Ending, LineWriter};
use crate::resolve::{Origin, PartPlan, Pattern, Plan};
use crate::score::{ChordSpan, span_at};
use crate::theory::{Chord, Pitch, PitchSet};

pub struct BassWriter<'a> {
    pub plan: &'a Plan,
    pub part: &'a PartPlan,
    pub harmony: &'a [ChordSpan],
}

impl BassWriter<'_> {
    fn pattern(&self) -> Pattern {
        self.part
            .pattern
            .as_ref()
            .map_or(Pattern::RootFifth, |p| p.value)
    }

    fn starts_chord(&self, tick: u32) -> bool {
        span_at(self.harmony, tick).is_some_and(|c| c.start == tick)
    }
}

fn bass_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.6,
        1..=5 => 1.1,
        7 => 1.0,
        12 => 0.2,
        6 | 8..=11 => 0.3,
        _ => 0.01,
    }
}

fn walking_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.1,
        1 | 2 => 1.5,
        3 | 4 => 0.8,
        5 | 7 => 0.6,
        12 => 0.2,
        _ => 0.05,
    }
}

impl LineWriter for BassWriter<'_> {
    /// One note per chord (roots), two for a chord of an even number of beats (root-fifth), or
    /// one per beat (walking).
    fn rhythm(
        &self,
        placement: Placement,
        _: &mut BarsPlayed,
        _: &mut dyn RngCore,
    ) -> Result<Vec<Slot>, Conflict> {
        let bar_ticks = self.plan.bar_ticks();
        let beat = self.plan.meter.value.beat_ticks();
        let (from, to) = (
            placement.start_bar * bar_ticks,
            (placement.start_bar + placement.bars) * bar_ticks,
        );
        let mut slots = Vec::new();
        for span in self
            .harmony
            .iter()
            .filter(|c| c.start >= from && c.start < to)
        {
            let length = span.end - span.start;
            let beats = length / beat;
            let even = length.is_multiple_of(beat) && beats >= 2;
            let pieces = match self.pattern() {
                Pattern::Walking if length.is_multiple_of(beat) => beats.max(1),
                Pattern::RootFifth if even && beats.is_multiple_of(2) => 2,
                _ => 1,
            };
            let each = length / pieces;
            for k in 0..pieces {
                let duration = if k + 1 == pieces {
                    length - each * k
                } else {
                    each
                };
                slots.push(Slot {
                    start: span.start + k * each,
                    duration,
                });
            }
        }
        Ok(slots)
    }

    fn classes(&self, slot: &Slot) -> PitchSet {
        let Some(span) = span_at(self.harmony, slot.start) else {
            return PitchSet::CHROMATIC;
        };
        let chord = span.chord;
        if self.starts_chord(slot.start) {
            let allowed = self.plan.allowed_at(self.part, slot.start);
            if allowed.contains(chord.root_class()) {
                return PitchSet::EMPTY.with(chord.root_class());
            }
            return chord.tone_set();
        }
        match self.pattern() {
            Pattern::Walking => PitchSet::CHROMATIC,
            _ => chord.tone_set(),
        }
    }

    fn classes_origin(&self) -> Option<Origin> {
        self.plan.progression.as_ref().map(|p| p.origin.clone())
    }

    fn chord_at(&self, tick: u32) -> Option<Chord> {
        span_at(self.harmony, tick).map(|c| c.chord)
    }

    fn preference(&self, slot: &Slot, _: Ending, p: Pitch) -> f64 {
        let Some(chord) = self.chord_at(slot.start) else {
            return 1.0;
        };
        if chord.root_class() == p.class() {
            3.0
        } else if chord.fifth() == p.class() {
            1.5
        } else if chord.tone_set().contains(p.class()) {
            1.2
        } else {
            // A walking bass's passing tones: scale tones over chromatic ones.
            if self.plan.key.value.scale().contains(p.class()) {
                0.8
            } else {
                0.2
            }
        }
    }

    fn move_weight(&self, x: u8, y: u8) -> f64 {
        match self.pattern() {
            Pattern::Walking => walking_interval(x.abs_diff(y)),
            _ => bass_interval(x.abs_diff(y)),
        }
    }
}
