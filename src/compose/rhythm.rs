//! Melodic rhythm: each bar is filled beat by beat from a meter-aware vocabulary of cells.

use rand::RngCore;

use super::chain::pick;
use crate::theory::Meter;

/// Where a note sits and how long it lasts, in ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: u32,
    pub duration: u32,
}

/// A rhythm cell: durations as fractions of a beat (numerator over `DIV`), and how many beats.
struct Cell {
    beats: u32,
    parts: &'static [u32],
    weight: f64,
}

const DIV: u32 = 12;

/// Cells for a simple beat (a quarter in 4/4): quarter, two eighths, dotted eighth + sixteenth;
/// over two beats: half, dotted quarter + eighth.
const SIMPLE: [Cell; 5] = [
    Cell {
        beats: 1,
        parts: &[12],
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[6, 6],
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[9, 3],
        weight: 0.5,
    },
    Cell {
        beats: 2,
        parts: &[24],
        weight: 1.0,
    },
    Cell {
        beats: 2,
        parts: &[18, 6],
        weight: 1.0,
    },
];

/// Cells for a compound beat (a dotted quarter in 6/8): dotted quarter, quarter + eighth,
/// three eighths, eighth + quarter.
const COMPOUND: [Cell; 4] = [
    Cell {
        beats: 1,
        parts: &[12],
        weight: 1.2,
    },
    Cell {
        beats: 1,
        parts: &[8, 4],
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[4, 4, 4],
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[4, 8],
        weight: 0.4,
    },
];

/// Bars per phrase: phrase ends get a long last note.
pub const PHRASE_BARS: u32 = 4;

/// The melody's rhythm for `bars` bars; the final bar is one long note.
pub fn melody(meter: Meter, bars: u32, rng: &mut impl RngCore) -> Vec<Slot> {
    let beat = meter.beat_ticks();
    let beats = meter.beats_per_bar();
    let cells: &[Cell] = if meter.is_compound() {
        &COMPOUND
    } else {
        &SIMPLE
    };
    let mut slots = Vec::new();
    for bar in 0..bars {
        let bar_start = bar * meter.bar_ticks();
        if bar + 1 == bars {
            slots.push(Slot {
                start: bar_start,
                duration: meter.bar_ticks(),
            });
            break;
        }
        let phrase_end = (bar + 1) % PHRASE_BARS == 0;
        let mut b = 0;
        while b < beats {
            let remaining = beats - b;
            let eligible: Vec<&Cell> = if phrase_end && remaining <= 2 {
                vec![&cells[0]]
            } else {
                cells
                    .iter()
                    .filter(|c| c.beats <= remaining && (c.beats == 1 || b % 2 == 0))
                    .filter(|c| c.parts.iter().all(|p| (beat * p).is_multiple_of(DIV)))
                    .collect()
            };
            let weights: Vec<f64> = eligible.iter().map(|c| c.weight).collect();
            let cell = eligible[pick(rng, &weights).unwrap_or(0)];
            let mut at = bar_start + b * beat;
            for part in cell.parts {
                let duration = beat * part / DIV;
                slots.push(Slot {
                    start: at,
                    duration,
                });
                at += duration;
            }
            b += cell.beats;
        }
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn bars_are_filled_exactly() {
        for (count, unit) in [
            (4, 4),
            (3, 4),
            (6, 8),
            (2, 2),
            (9, 8),
            (5, 4),
            (3, 8),
            (7, 8),
            (2, 4),
            (12, 8),
        ] {
            let meter = Meter::new(count, unit).unwrap();
            let slots = melody(meter, 9, &mut ChaCha8Rng::seed_from_u64(3));
            let mut at = 0;
            for s in &slots {
                assert_eq!(s.start, at, "{meter}");
                assert!(s.duration > 0);
                at += s.duration;
            }
            assert_eq!(at, 9 * meter.bar_ticks(), "{meter}");
        }
    }
}
