//! Pitch classes, spelled note names and MIDI pitches (`C4` = middle C = 60).

use std::fmt;

/// One of the twelve pitch classes, `C` = 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PitchClass(u8);

impl PitchClass {
    pub const fn new(semitones_above_c: i32) -> PitchClass {
        PitchClass(semitones_above_c.rem_euclid(12) as u8)
    }

    pub const fn index(self) -> u8 {
        self.0
    }

    pub const fn transpose(self, semitones: i32) -> PitchClass {
        PitchClass::new(self.0 as i32 + semitones)
    }

    /// Semitones from `self` up to `other`, in 0..12.
    pub const fn up_to(self, other: PitchClass) -> u8 {
        (other.0 + 12 - self.0) % 12
    }
}

/// A set of pitch classes, one bit each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct PitchSet(u16);

impl PitchSet {
    pub const EMPTY: PitchSet = PitchSet(0);
    pub const CHROMATIC: PitchSet = PitchSet(0xfff);

    pub fn of(classes: impl IntoIterator<Item = PitchClass>) -> PitchSet {
        classes
            .into_iter()
            .fold(PitchSet::EMPTY, |s, pc| s.with(pc))
    }

    pub const fn with(self, pc: PitchClass) -> PitchSet {
        PitchSet(self.0 | 1 << pc.0)
    }

    pub const fn contains(self, pc: PitchClass) -> bool {
        self.0 & (1 << pc.0) != 0
    }

    pub const fn intersect(self, other: PitchSet) -> PitchSet {
        PitchSet(self.0 & other.0)
    }

    pub const fn union(self, other: PitchSet) -> PitchSet {
        PitchSet(self.0 | other.0)
    }

    pub const fn minus(self, other: PitchSet) -> PitchSet {
        PitchSet(self.0 & !other.0)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub const fn is_subset_of(self, other: PitchSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub const fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn iter(self) -> impl Iterator<Item = PitchClass> {
        (0..12).map(PitchClass).filter(move |pc| self.contains(*pc))
    }

    /// Where `pitch` stands on the ladder of this set's pitches, counted up from C-1: moving
    /// along the ladder is a diatonic move in a scale (`None` when the class is not in the set).
    pub fn rung(self, pitch: Pitch) -> Option<i32> {
        let class = pitch.class();
        self.contains(class).then(|| {
            let below = self.iter().take_while(|pc| *pc < class).count() as i32;
            (pitch.0 / 12) as i32 * self.len() as i32 + below
        })
    }

    /// The pitch on `rung` of this set's ladder, if it is a MIDI note.
    pub fn at_rung(self, rung: i32) -> Option<Pitch> {
        let len = self.len() as i32;
        let class = self.iter().nth(rung.checked_rem_euclid(len)? as usize)?;
        let midi = 12 * rung.div_euclid(len) + class.index() as i32;
        u8::try_from(midi).ok().filter(|m| *m <= 127).map(Pitch)
    }
}

/// A natural note letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Letter {
    C,
    D,
    E,
    F,
    G,
    A,
    B,
}

impl Letter {
    pub const ALL: [Letter; 7] = [
        Letter::C,
        Letter::D,
        Letter::E,
        Letter::F,
        Letter::G,
        Letter::A,
        Letter::B,
    ];

    pub fn from_char(c: char) -> Option<Letter> {
        let index = "CDEFGAB".find(c.to_ascii_uppercase())?;
        Some(Letter::ALL[index])
    }

    pub const fn natural(self) -> u8 {
        [0, 2, 4, 5, 7, 9, 11][self as usize]
    }

    /// The letter `steps` letters above this one (negative goes down).
    pub fn shift(self, steps: i32) -> Letter {
        Letter::ALL[(self as i32 + steps).rem_euclid(7) as usize]
    }

    pub const fn as_char(self) -> char {
        ['C', 'D', 'E', 'F', 'G', 'A', 'B'][self as usize]
    }
}

/// A spelled pitch class: `F#` and `Gb` are the same class, different names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NoteName {
    pub letter: Letter,
    /// Sharps positive, flats negative.
    pub alter: i8,
}

impl NoteName {
    pub const fn new(letter: Letter, alter: i8) -> NoteName {
        NoteName { letter, alter }
    }

    pub const fn pitch_class(self) -> PitchClass {
        PitchClass::new(self.letter.natural() as i32 + self.alter as i32)
    }

    /// The name on `letter` that spells `pc` (alteration folded into -6..=6).
    pub fn spell_on(letter: Letter, pc: PitchClass) -> NoteName {
        let mut alter = pc.index() as i32 - letter.natural() as i32;
        if alter > 6 {
            alter -= 12;
        } else if alter < -6 {
            alter += 12;
        }
        NoteName::new(letter, alter as i8)
    }

    /// Position on the circle of fifths (`C` = 0, `G` = 1, `F` = -1, `F#` = 6).
    pub const fn fifths(self) -> i32 {
        [0, 2, 4, -1, 1, 3, 5][self.letter as usize] + 7 * self.alter as i32
    }
}

impl fmt::Display for NoteName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter.as_char())?;
        let sign = if self.alter > 0 { "#" } else { "b" };
        for _ in 0..self.alter.unsigned_abs() {
            f.write_str(sign)?;
        }
        Ok(())
    }
}

/// A sign written before a note: it sets the note's letter to that alteration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Accidental {
    DoubleFlat,
    Flat,
    Natural,
    Sharp,
    DoubleSharp,
}

impl Accidental {
    /// The sign that writes `alter` (sharps positive); beyond a double one there is no sign,
    /// so those are written as doubles (no key spells a note that far).
    pub const fn of_alter(alter: i8) -> Accidental {
        match alter {
            a if a <= -2 => Accidental::DoubleFlat,
            -1 => Accidental::Flat,
            0 => Accidental::Natural,
            1 => Accidental::Sharp,
            _ => Accidental::DoubleSharp,
        }
    }
}

/// A pitch as written: its note name and scientific octave (`B#3` is MIDI 60).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Spelling {
    pub name: NoteName,
    pub octave: i32,
}

impl Spelling {
    /// `pitch` written as `name`, which must spell its pitch class.
    pub fn new(pitch: Pitch, name: NoteName) -> Spelling {
        Spelling {
            name,
            octave: pitch.octave_for(name),
        }
    }
}

impl fmt::Display for Spelling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.name, self.octave)
    }
}

/// A MIDI note number; `C4` (middle C) is 60.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pitch(pub u8);

impl Pitch {
    /// The pitch of `name` in scientific octave `octave`, if it is a MIDI note (0..=127).
    pub fn from_name(name: NoteName, octave: i32) -> Option<Pitch> {
        if !(-2..=10).contains(&octave) {
            return None;
        }
        let midi = 12 * (octave + 1) + name.letter.natural() as i32 + name.alter as i32;
        u8::try_from(midi).ok().filter(|m| *m <= 127).map(Pitch)
    }

    pub const fn class(self) -> PitchClass {
        PitchClass::new(self.0 as i32)
    }

    /// Scientific octave of a note spelled `name` at this pitch (`B#3` is 60).
    pub fn octave_for(self, name: NoteName) -> i32 {
        (self.0 as i32 - name.letter.natural() as i32 - name.alter as i32) / 12 - 1
    }

    pub const fn distance(self, other: Pitch) -> u8 {
        self.0.abs_diff(other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ladder_moves_diatonically() {
        let d_major = PitchSet::of([2, 4, 6, 7, 9, 11, 1].map(PitchClass::new));
        let f_sharp4 = Pitch(66);
        let rung = d_major.rung(f_sharp4).unwrap();
        assert_eq!(d_major.at_rung(rung + 1), Some(Pitch(67)), "G");
        assert_eq!(d_major.at_rung(rung + 2), Some(Pitch(69)), "A");
        assert_eq!(d_major.at_rung(rung - 3), Some(Pitch(61)), "C#");
        assert_eq!(d_major.at_rung(rung + 7), Some(Pitch(78)), "an octave");
        assert_eq!(d_major.rung(Pitch(65)), None, "F is not in D major");
        assert_eq!(d_major.at_rung(d_major.rung(Pitch(127)).unwrap() + 1), None);
        assert_eq!(PitchSet::EMPTY.at_rung(3), None);
    }

    #[test]
    fn middle_c_is_60() {
        let c = NoteName::new(Letter::C, 0);
        assert_eq!(Pitch::from_name(c, 4), Some(Pitch(60)));
        assert_eq!(
            Pitch::from_name(NoteName::new(Letter::B, 1), 3),
            Some(Pitch(60))
        );
        assert_eq!(Pitch::from_name(c, 10), None);
        // Found by fuzzing: a huge octave once overflowed instead of being refused.
        assert_eq!(Pitch::from_name(c, 388_888_888), None);
        assert_eq!(Pitch::from_name(c, i32::MIN), None);
    }

    #[test]
    fn spelling_and_fifths() {
        let f_sharp = NoteName::new(Letter::F, 1);
        assert_eq!(f_sharp.to_string(), "F#");
        assert_eq!(f_sharp.fifths(), 6);
        assert_eq!(NoteName::new(Letter::B, -1).fifths(), -2);
        assert_eq!(
            NoteName::spell_on(Letter::G, PitchClass::new(6)).to_string(),
            "Gb"
        );
        assert_eq!(Pitch(61).octave_for(NoteName::new(Letter::D, -1)), 4);
    }

    #[test]
    fn sets() {
        let s = PitchSet::of([PitchClass::new(0), PitchClass::new(4)]);
        assert!(s.contains(PitchClass::new(12)));
        assert_eq!(s.len(), 2);
        assert!(s.is_subset_of(PitchSet::CHROMATIC));
        assert_eq!(PitchClass::new(11).up_to(PitchClass::new(2)), 3);
    }
}
