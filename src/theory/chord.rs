//! Chords: a spelled root and a quality, written as symbols (`Bm`, `A7`) or from Roman numerals.

use std::fmt;

use super::pitch::{NoteName, PitchClass, PitchSet};
use super::scale::Key;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChordQuality {
    Major,
    Minor,
    Diminished,
    Augmented,
    Dominant7,
    Major7,
    Minor7,
    HalfDiminished7,
    Diminished7,
    Sus2,
    Sus4,
    Major6,
    Minor6,
    /// The dominant seventh with its major ninth (funk's `E9`).
    Dominant9,
    Major9,
    Minor9,
}

impl ChordQuality {
    /// Semitones above the root, root first.
    pub fn intervals(self) -> &'static [u8] {
        match self {
            ChordQuality::Major => &[0, 4, 7],
            ChordQuality::Minor => &[0, 3, 7],
            ChordQuality::Diminished => &[0, 3, 6],
            ChordQuality::Augmented => &[0, 4, 8],
            ChordQuality::Dominant7 => &[0, 4, 7, 10],
            ChordQuality::Major7 => &[0, 4, 7, 11],
            ChordQuality::Minor7 => &[0, 3, 7, 10],
            ChordQuality::HalfDiminished7 => &[0, 3, 6, 10],
            ChordQuality::Diminished7 => &[0, 3, 6, 9],
            ChordQuality::Sus2 => &[0, 2, 7],
            ChordQuality::Sus4 => &[0, 5, 7],
            ChordQuality::Major6 => &[0, 4, 7, 9],
            ChordQuality::Minor6 => &[0, 3, 7, 9],
            ChordQuality::Dominant9 => &[0, 4, 7, 10, 14],
            ChordQuality::Major9 => &[0, 4, 7, 11, 14],
            ChordQuality::Minor9 => &[0, 3, 7, 10, 14],
        }
    }

    /// The suffix of a chord symbol: `m` in `Bm`, `7` in `A7`.
    pub fn suffix(self) -> &'static str {
        match self {
            ChordQuality::Major => "",
            ChordQuality::Minor => "m",
            ChordQuality::Diminished => "dim",
            ChordQuality::Augmented => "aug",
            ChordQuality::Dominant7 => "7",
            ChordQuality::Major7 => "maj7",
            ChordQuality::Minor7 => "m7",
            ChordQuality::HalfDiminished7 => "m7b5",
            ChordQuality::Diminished7 => "dim7",
            ChordQuality::Sus2 => "sus2",
            ChordQuality::Sus4 => "sus4",
            ChordQuality::Major6 => "6",
            ChordQuality::Minor6 => "m6",
            ChordQuality::Dominant9 => "9",
            ChordQuality::Major9 => "maj9",
            ChordQuality::Minor9 => "m9",
        }
    }

    /// Reads a chord-symbol suffix; several spellings are accepted.
    pub fn from_suffix(suffix: &str) -> Option<ChordQuality> {
        Some(match suffix {
            "" | "maj" | "M" => ChordQuality::Major,
            "m" | "min" | "-" => ChordQuality::Minor,
            "dim" | "°" | "o" => ChordQuality::Diminished,
            "aug" | "+" => ChordQuality::Augmented,
            "7" | "dom7" => ChordQuality::Dominant7,
            "maj7" | "M7" | "Δ" | "Δ7" => ChordQuality::Major7,
            "m7" | "min7" | "-7" => ChordQuality::Minor7,
            "m7b5" | "ø" | "ø7" => ChordQuality::HalfDiminished7,
            "dim7" | "°7" | "o7" => ChordQuality::Diminished7,
            "sus2" => ChordQuality::Sus2,
            "sus4" | "sus" => ChordQuality::Sus4,
            "6" => ChordQuality::Major6,
            "m6" | "min6" => ChordQuality::Minor6,
            "9" | "dom9" => ChordQuality::Dominant9,
            "maj9" | "M9" | "Δ9" => ChordQuality::Major9,
            "m9" | "min9" | "-9" => ChordQuality::Minor9,
            _ => return None,
        })
    }
}

/// A chord with a spelled root, and the bass the user asked under it (`G/B`), if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Chord {
    pub root: NoteName,
    pub quality: ChordQuality,
    /// A slash chord's bass: one of the chord's tones, a hard request for the bass part.
    pub bass: Option<NoteName>,
}

impl Chord {
    pub const fn new(root: NoteName, quality: ChordQuality) -> Chord {
        Chord {
            root,
            quality,
            bass: None,
        }
    }

    /// The chord over `bass` (`G/B`), if `bass` is one of its tones; `None` otherwise.
    pub fn over(self, bass: NoteName) -> Option<Chord> {
        let class = bass.pitch_class();
        self.tone_set().contains(class).then_some(Chord {
            bass: (class != self.root_class()).then_some(bass),
            ..self
        })
    }

    pub fn root_class(self) -> PitchClass {
        self.root.pitch_class()
    }

    /// Chord tones, root first.
    pub fn tones(self) -> impl Iterator<Item = PitchClass> {
        let root = self.root_class();
        self.quality
            .intervals()
            .iter()
            .map(move |&i| root.transpose(i as i32))
    }

    pub fn tone_set(self) -> PitchSet {
        PitchSet::of(self.tones())
    }

    /// The chord with its major ninth added, where it has a ninth chord: a dominant, major or
    /// minor seventh; any other chord as it is.
    pub fn with_ninth(self) -> Chord {
        let quality = match self.quality {
            ChordQuality::Dominant7 => ChordQuality::Dominant9,
            ChordQuality::Major7 => ChordQuality::Major9,
            ChordQuality::Minor7 => ChordQuality::Minor9,
            q => q,
        };
        Chord { quality, ..self }
    }

    /// The chord's fifth (or its nearest substitute), the second tone a bass reaches for.
    pub fn fifth(self) -> PitchClass {
        self.tones().nth(2).unwrap_or(self.root_class())
    }

    /// The chord built on scale degree `degree` (1..=7) of `key`, shifted by `alter` semitones.
    /// A numeral's chord in `key`. A plain numeral is read in the key's mode (VII in D dorian
    /// is C); one with `b` or `#` against the tonic's major scale, as musicians write it
    /// (bVII is C in D major and in D mixolydian alike).
    pub fn from_numeral(key: Key, degree: u8, alter: i8, quality: ChordQuality) -> Chord {
        let reading = if alter == 0 {
            key
        } else {
            Key::new(key.tonic, super::scale::Mode::Major)
        };
        let base = reading.degree(degree);
        let root = NoteName::new(base.letter, base.alter + alter);
        Chord::new(root, quality)
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.root, self.quality.suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::pitch::Letter;
    use crate::theory::scale::Mode;

    #[test]
    fn numerals_in_dorian() {
        let d_dorian = Key::new(NoteName::new(Letter::D, 0), Mode::Dorian);
        let seven = Chord::from_numeral(d_dorian, 7, 0, ChordQuality::Major);
        assert_eq!(seven.to_string(), "C");
        let flat_seven = Chord::from_numeral(
            Key::new(NoteName::new(Letter::D, 0), Mode::Major),
            7,
            -1,
            ChordQuality::Major,
        );
        assert_eq!(flat_seven.to_string(), "C");
    }

    /// The bug of issue 15: bVII in D mixolydian gave B major; musicians mean C.
    #[test]
    fn altered_numerals_read_against_the_major_scale() {
        let d = NoteName::new(Letter::D, 0);
        let chord = |mode, degree, alter| {
            Chord::from_numeral(Key::new(d, mode), degree, alter, ChordQuality::Major).to_string()
        };
        assert_eq!(chord(Mode::Mixolydian, 7, -1), "C");
        assert_eq!(chord(Mode::Dorian, 7, -1), "C");
        assert_eq!(chord(Mode::Minor, 3, -1), "F");
        assert_eq!(chord(Mode::Minor, 6, -1), "Bb");
        assert_eq!(chord(Mode::Major, 4, 1), "G#");
        assert_eq!(chord(Mode::Mixolydian, 7, 0), "C");
    }

    #[test]
    fn tones() {
        let a7 = Chord::new(NoteName::new(Letter::A, 0), ChordQuality::Dominant7);
        let tones: Vec<u8> = a7.tones().map(|pc| pc.index()).collect();
        assert_eq!(tones, [9, 1, 4, 7]);
        assert_eq!(a7.fifth().index(), 4);
        assert_eq!(
            ChordQuality::from_suffix("ø"),
            Some(ChordQuality::HalfDiminished7)
        );
    }

    /// E9: the dominant seventh and its major ninth, F#, written `E9` and read back.
    #[test]
    fn dominant_ninth() {
        let e9 = Chord::new(NoteName::new(Letter::E, 0), ChordQuality::Dominant9);
        let tones: Vec<u8> = e9.tones().map(|pc| pc.index()).collect();
        assert_eq!(tones, [4, 8, 11, 2, 6]);
        assert_eq!(e9.to_string(), "E9");
        assert_eq!(e9.fifth().index(), 11);
        for q in [
            ChordQuality::Dominant9,
            ChordQuality::Major9,
            ChordQuality::Minor9,
        ] {
            assert_eq!(ChordQuality::from_suffix(q.suffix()), Some(q));
        }
        let e7 = Chord::new(NoteName::new(Letter::E, 0), ChordQuality::Dominant7);
        assert_eq!(e7.with_ninth(), e9);
        let e = Chord::new(NoteName::new(Letter::E, 0), ChordQuality::Major);
        assert_eq!(e.with_ninth(), e);
    }
}
