//! Note values: the written lengths of notes (whole, half, quarter… each plain or dotted), in
//! ticks.

use std::fmt;

use super::meter::TICKS_PER_QUARTER;

/// An undotted note value, longest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BaseValue {
    Whole,
    Half,
    Quarter,
    Eighth,
    Sixteenth,
    ThirtySecond,
    SixtyFourth,
    HundredTwentyEighth,
}

impl BaseValue {
    pub const ALL: [BaseValue; 8] = [
        BaseValue::Whole,
        BaseValue::Half,
        BaseValue::Quarter,
        BaseValue::Eighth,
        BaseValue::Sixteenth,
        BaseValue::ThirtySecond,
        BaseValue::SixtyFourth,
        BaseValue::HundredTwentyEighth,
    ];

    pub const fn ticks(self) -> u32 {
        (TICKS_PER_QUARTER * 4) >> self as u32
    }

    /// The name as musicians (and MusicXML's `<type>`) write it.
    pub const fn name(self) -> &'static str {
        match self {
            BaseValue::Whole => "whole",
            BaseValue::Half => "half",
            BaseValue::Quarter => "quarter",
            BaseValue::Eighth => "eighth",
            BaseValue::Sixteenth => "16th",
            BaseValue::ThirtySecond => "32nd",
            BaseValue::SixtyFourth => "64th",
            BaseValue::HundredTwentyEighth => "128th",
        }
    }
}

/// A note value with its dots: a dotted quarter is a quarter and an eighth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NoteValue {
    pub base: BaseValue,
    pub dots: u8,
}

impl NoteValue {
    /// Every plain and single-dotted value from a dotted whole down to a 128th, longest first
    /// (a dotted 128th is off the tick grid).
    pub const WRITABLE: [NoteValue; 15] = {
        use BaseValue::*;
        [
            NoteValue::dotted(Whole),
            NoteValue::plain(Whole),
            NoteValue::dotted(Half),
            NoteValue::plain(Half),
            NoteValue::dotted(Quarter),
            NoteValue::plain(Quarter),
            NoteValue::dotted(Eighth),
            NoteValue::plain(Eighth),
            NoteValue::dotted(Sixteenth),
            NoteValue::plain(Sixteenth),
            NoteValue::dotted(ThirtySecond),
            NoteValue::plain(ThirtySecond),
            NoteValue::dotted(SixtyFourth),
            NoteValue::plain(SixtyFourth),
            NoteValue::plain(HundredTwentyEighth),
        ]
    };

    pub const fn plain(base: BaseValue) -> NoteValue {
        NoteValue { base, dots: 0 }
    }

    pub const fn dotted(base: BaseValue) -> NoteValue {
        NoteValue { base, dots: 1 }
    }

    /// Each dot adds half of what the previous one added.
    pub const fn ticks(self) -> u32 {
        let base = self.base.ticks();
        2 * base - (base >> self.dots)
    }

    /// The plain or single-dotted value exactly `ticks` long, if there is one.
    pub fn of_ticks(ticks: u32) -> Option<NoteValue> {
        NoteValue::WRITABLE.into_iter().find(|v| v.ticks() == ticks)
    }
}

impl fmt::Display for NoteValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for _ in 0..self.dots {
            f.write_str("dotted ")?;
        }
        f.write_str(self.base.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_ticks() {
        assert_eq!(NoteValue::plain(BaseValue::Quarter).ticks(), 480);
        assert_eq!(NoteValue::dotted(BaseValue::Quarter).ticks(), 720);
        let double = NoteValue {
            base: BaseValue::Half,
            dots: 2,
        };
        assert_eq!(double.ticks(), 960 + 480 + 240);
        assert_eq!(NoteValue::plain(BaseValue::HundredTwentyEighth).ticks(), 15);
        let ticks: Vec<u32> = NoteValue::WRITABLE.iter().map(|v| v.ticks()).collect();
        assert_eq!(
            ticks,
            [
                2880, 1920, 1440, 960, 720, 480, 360, 240, 180, 120, 90, 60, 45, 30, 15
            ]
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            NoteValue::of_ticks(720).unwrap().to_string(),
            "dotted quarter"
        );
        assert_eq!(NoteValue::of_ticks(120).unwrap().to_string(), "16th");
        assert_eq!(NoteValue::of_ticks(100), None);
    }
}
