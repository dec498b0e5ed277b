//! The melody and the counter-melody: what each prefers (chord tones on strong beats, the
//! tonic at the end, a contour; consonance and contrary motion against the melody).

use rand::RngCore;

use super::Conflict;
use super::rhythm::{self, Placement, Slot};
use super::sections::LineWriter;
use crate::resolve::{Contour, Feel, Intervals, Origin, PartPlan, Plan};
use crate::score::{ChordSpan, Note, span_at};
use crate::theory::{Chord, Pitch, PitchSet};

/// Relative frequency of melodic intervals in sung folk melodies, by size in semitones. Set by
/// hand against the medians of the whole Essen collection, held-out parts included
/// (docs/style-statistics.md): DESIGN §6 allows fitting to the training collections only, so
/// these weights are to be replaced by tables learned from them (issue "Music a player would
/// take for real").
fn song_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.7,
        1 | 2 => 1.3,
        3 => 0.55,
        4 => 0.45,
        5 => 0.3,
        6 => 0.02,
        7 => 0.17,
        8 | 9 => 0.05,
        10 | 11 => 0.01,
        12 => 0.04,
        _ => 0.002,
    }
}

/// Fiddle tunes skip and leap far more and repeat less. Set by hand against Ryan's Mammoth
/// Collection, which DESIGN §6 holds out for measuring only: to be replaced by a table learned
/// from O'Neill's and Aird's (issue "Music a player would take for real").
fn fiddle_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.2,
        1 | 2 => 1.0,
        3 => 0.9,
        4 => 0.75,
        5 => 0.38,
        6 => 0.04,
        7 => 0.28,
        8 | 9 => 0.1,
        10 | 11 => 0.03,
        12 => 0.08,
        _ => 0.003,
    }
}

fn interval_weights(plan: &Plan) -> fn(u8) -> f64 {
    match plan.style.value.intervals {
        Intervals::Song => song_interval,
        Intervals::Fiddle => fiddle_interval,
    }
}

/// The melody's register centre at `tick`: the range's middle, moved by the contour.
/// The register's centre at `tick` for a part whose range there is `(low, high)`.
fn centre(plan: &Plan, part: &PartPlan, (low, high): (Pitch, Pitch), tick: u32) -> f64 {
    let middle = (low.0 as f64 + high.0 as f64) / 2.0;
    let span = (high.0 as f64 - low.0 as f64) / 4.0;
    let t = tick as f64 / plan.total_ticks().max(1) as f64;
    match part.contour.as_ref().map(|c| c.value) {
        None => middle,
        Some(Contour::Rising) => middle + span * (2.0 * t - 1.0),
        Some(Contour::Falling) => middle - span * (2.0 * t - 1.0),
        Some(Contour::Arch) => middle + span * (1.0 - 4.0 * (t - 0.5) * (t - 0.5) * 2.0),
    }
}

pub struct MelodyWriter<'a> {
    pub plan: &'a Plan,
    pub part: &'a PartPlan,
    pub harmony: &'a [ChordSpan],
}

impl LineWriter for MelodyWriter<'_> {
    fn answers_phrases(&self) -> bool {
        true
    }

    fn rhythm(&self, placement: Placement, rng: &mut dyn RngCore) -> Result<Vec<Slot>, Conflict> {
        rhythm::line_rhythm(
            self.plan,
            self.part,
            self.plan.feel,
            placement,
            &mut &mut *rng,
        )
    }

    fn classes(&self, _: &Slot) -> PitchSet {
        PitchSet::CHROMATIC
    }

    fn classes_origin(&self) -> Option<Origin> {
        None
    }

    fn chord_at(&self, tick: u32) -> Option<Chord> {
        span_at(self.harmony, tick).map(|c| c.chord)
    }

    fn preference(&self, slot: &Slot, last: bool, p: Pitch) -> f64 {
        let meter = self.plan.meter.value;
        // How far from the register's centre a note may stray grows with the range.
        let (low, high) = self.plan.range_at(self.part, slot.start);
        let width = ((high.0 - low.0) as f64 / 4.0).max(2.0);
        let centre = centre(self.plan, self.part, (low, high), slot.start);
        let distance = (p.0 as f64 - centre) / width;
        let mut w = 1.0 / (1.0 + distance * distance);
        let strength = meter.strength(slot.start % meter.bar_ticks());
        if let Some(chord) = self.chord_at(slot.start) {
            let tones = chord.tone_set();
            if tones.contains(p.class()) {
                w *= [1.3, 1.6, 2.5, 4.0][strength as usize];
            } else if tones.contains(p.class().transpose(1))
                || tones.contains(p.class().transpose(-1))
            {
                // A semitone against a chord tone (G against G# in E major) grinds, most on the beat.
                w *= if strength >= 1 { 0.25 } else { 0.6 };
            }
        }
        let tonic = self.plan.key.value.tonic_class();
        if last && p.class() == tonic {
            w *= 160.0;
        } else if slot.start == 0 {
            // A tune begins on its chord, most often on the tonic.
            let chord_tone = self
                .chord_at(0)
                .is_none_or(|c| c.tone_set().contains(p.class()));
            w *= if p.class() == tonic {
                4.0
            } else if chord_tone {
                1.0
            } else {
                0.1
            };
        }
        w
    }

    fn interval_weight(&self) -> fn(u8) -> f64 {
        interval_weights(self.plan)
    }

    /// A note outside the chord is a passing or neighbour tone: reached and left by step.
    fn motion(&self, _: &Slot, _: &Slot, tones: [Option<PitchSet>; 2], x: u8, y: u8) -> f64 {
        if x.abs_diff(y) <= 2 {
            return 1.0;
        }
        let foreign =
            |tones: Option<PitchSet>, p: u8| tones.is_some_and(|t| !t.contains(Pitch(p).class()));
        let mut w = 1.0;
        if foreign(tones[0], x) {
            w *= NON_CHORD_LEAP;
        }
        if foreign(tones[1], y) {
            w *= NON_CHORD_LEAP;
        }
        w
    }
}

/// Weight of leaping from or to a note outside the chord.
const NON_CHORD_LEAP: f64 = 0.3;

/// A second line under the melody: consonant with it on strong beats, moving against it.
pub struct CounterWriter<'a> {
    pub melody: MelodyWriter<'a>,
    pub against: &'a [Note],
}

impl CounterWriter<'_> {
    fn melody_at(&self, tick: u32) -> Option<&Note> {
        let i = self.against.partition_point(|n| n.end() <= tick);
        self.against.get(i).filter(|n| n.start <= tick)
    }
}

impl LineWriter for CounterWriter<'_> {
    fn rhythm(&self, placement: Placement, rng: &mut dyn RngCore) -> Result<Vec<Slot>, Conflict> {
        let m = &self.melody;
        rhythm::line_rhythm(m.plan, m.part, Feel::Lyrical, placement, &mut &mut *rng)
    }

    fn classes(&self, _: &Slot) -> PitchSet {
        PitchSet::CHROMATIC
    }

    fn classes_origin(&self) -> Option<Origin> {
        None
    }

    fn chord_at(&self, tick: u32) -> Option<Chord> {
        self.melody.chord_at(tick)
    }

    fn preference(&self, slot: &Slot, last: bool, p: Pitch) -> f64 {
        let meter = self.melody.plan.meter.value;
        let strong = meter.strength(slot.start % meter.bar_ticks()) >= 1;
        let mut w = self.melody.preference(slot, last, p);
        if let Some(m) = self.melody_at(slot.start) {
            let consonance = match m.pitch.0.abs_diff(p.0) % 12 {
                3 | 4 | 8 | 9 => 3.0,
                0 | 7 => 1.2,
                5 => 0.5,
                _ if strong => 0.05,
                _ => 0.5,
            };
            // Below the melody, not on top of it.
            let under = if p.0 < m.pitch.0 { 1.0 } else { 0.1 };
            w *= consonance * under;
        }
        w
    }

    fn interval_weight(&self) -> fn(u8) -> f64 {
        song_interval
    }

    fn motion(&self, a: &Slot, b: &Slot, tones: [Option<PitchSet>; 2], x: u8, y: u8) -> f64 {
        let (Some(m1), Some(m2)) = (self.melody_at(a.start), self.melody_at(b.start)) else {
            return 1.0;
        };
        let melody = (m2.pitch.0 as i16 - m1.pitch.0 as i16).signum();
        let counter = (y as i16 - x as i16).signum();
        let contrary = match melody * counter {
            -1 => 2.0,
            1 => 0.6,
            _ => 1.0,
        };
        contrary * self.melody.motion(a, b, tones, x, y)
    }
}
