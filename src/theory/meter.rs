//! Meters: bar length, the beat a tempo counts, and how strong each position in a bar is;
//! and the names musicians give note lengths.

use std::fmt;

/// Ticks per quarter note in every Score and MIDI file.
pub const TICKS_PER_QUARTER: u32 = 480;

/// Musicians' names for note lengths: `4` quarter, `8.` dotted eighth, `2` half.
pub fn length_name(ticks: u32) -> String {
    const NAMES: [(u32, &str); 12] = [
        (1920 * 3 / 2, "1."),
        (1920, "1"),
        (1440, "2."),
        (960, "2"),
        (720, "4."),
        (480, "4"),
        (360, "8."),
        (240, "8"),
        (180, "16."),
        (120, "16"),
        (60, "32"),
        (160, "8t"),
    ];
    match NAMES.iter().find(|(t, _)| *t == ticks) {
        Some((_, name)) => name.to_string(),
        None => format!("{}/{}", ticks, TICKS_PER_QUARTER * 4),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Meter {
    /// Beats per bar as written (top number).
    pub count: u8,
    /// Note value of one written beat (bottom number): 2, 4, 8 or 16.
    pub unit: u8,
}

impl Meter {
    /// A meter if the bottom number is 2, 4, 8 or 16 and the top one 1..=32.
    pub fn new(count: u8, unit: u8) -> Option<Meter> {
        (matches!(unit, 2 | 4 | 8 | 16) && (1..=32).contains(&count))
            .then_some(Meter { count, unit })
    }

    /// 6/8, 9/8, 12/8: beats are dotted, grouped in threes.
    pub fn is_compound(self) -> bool {
        self.unit >= 8 && self.count.is_multiple_of(3) && self.count > 3
    }

    pub fn unit_ticks(self) -> u32 {
        TICKS_PER_QUARTER * 4 / self.unit as u32
    }

    pub fn bar_ticks(self) -> u32 {
        self.unit_ticks() * self.count as u32
    }

    /// The beat that `N bpm` counts: the written unit, or three of them in compound time.
    pub fn beat_ticks(self) -> u32 {
        if self.is_compound() {
            self.unit_ticks() * 3
        } else {
            self.unit_ticks()
        }
    }

    /// The beats a minute of a tempo written in another note, `per` as a fraction of a whole
    /// note (`♩=120` is (1, 4)): 120 quarters a minute in 6/8 are 80 dotted-quarter beats.
    pub fn beat_bpm(self, bpm: u32, per: (u32, u32)) -> u32 {
        let note = TICKS_PER_QUARTER as u64 * 4 * per.0 as u64 / per.1.max(1) as u64;
        let beat = self.beat_ticks() as u64;
        ((bpm as u64 * note + beat / 2) / beat) as u32
    }

    pub fn beats_per_bar(self) -> u32 {
        self.bar_ticks() / self.beat_ticks()
    }

    /// Microseconds per quarter note at `bpm` beats per minute (rounded to the nearest).
    pub fn micros_per_quarter(self, bpm: u32) -> u32 {
        let numerator = 60_000_000u64 * TICKS_PER_QUARTER as u64;
        let denominator = bpm as u64 * self.beat_ticks() as u64;
        ((numerator + denominator / 2) / denominator) as u32
    }

    /// Metric strength of a position in the bar: 3 downbeat, 2 mid-bar beat, 1 other beats, 0 off-beat.
    pub fn strength(self, tick_in_bar: u32) -> u8 {
        if tick_in_bar == 0 {
            return 3;
        }
        let beat = self.beat_ticks();
        if !tick_in_bar.is_multiple_of(beat) {
            return 0;
        }
        let beats = self.beats_per_bar();
        if beats.is_multiple_of(2) && tick_in_bar == beat * beats / 2 {
            2
        } else {
            1
        }
    }
}

impl fmt::Display for Meter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.count, self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_beats() {
        let six_eight = Meter::new(6, 8).unwrap();
        assert!(six_eight.is_compound());
        assert_eq!(six_eight.bar_ticks(), 1440);
        assert_eq!(six_eight.beat_ticks(), 720);
        assert_eq!(six_eight.beats_per_bar(), 2);
        assert!(!Meter::new(3, 8).unwrap().is_compound());
        assert_eq!(Meter::new(2, 2).unwrap().beat_ticks(), 960);
    }

    #[test]
    fn tempo() {
        assert_eq!(Meter::new(4, 4).unwrap().micros_per_quarter(120), 500_000);
        // 96 dotted quarters a minute: a quarter lasts 60/(96*1.5) s.
        assert_eq!(Meter::new(6, 8).unwrap().micros_per_quarter(96), 416_667);
        assert_eq!(Meter::new(2, 2).unwrap().micros_per_quarter(60), 500_000);
    }

    #[test]
    fn strengths() {
        let four = Meter::new(4, 4).unwrap();
        assert_eq!(four.strength(0), 3);
        assert_eq!(four.strength(960), 2);
        assert_eq!(four.strength(480), 1);
        assert_eq!(four.strength(240), 0);
        assert!(Meter::new(5, 3).is_none());
    }
}
