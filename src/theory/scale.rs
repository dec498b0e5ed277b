//! Modes, keys and their scales, spelled; key signatures for the conductor track.

use std::fmt;

use super::pitch::{Letter, NoteName, Pitch, PitchClass, PitchSet, Spelling};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    Major,
    Minor,
    Dorian,
    Phrygian,
    Lydian,
    Mixolydian,
    Aeolian,
    Locrian,
    HarmonicMinor,
    MajorPentatonic,
    MinorPentatonic,
}

impl Mode {
    pub const ALL: [Mode; 11] = [
        Mode::Major,
        Mode::Minor,
        Mode::Dorian,
        Mode::Phrygian,
        Mode::Lydian,
        Mode::Mixolydian,
        Mode::Aeolian,
        Mode::Locrian,
        Mode::HarmonicMinor,
        Mode::MajorPentatonic,
        Mode::MinorPentatonic,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Major => "major",
            Mode::Minor => "minor",
            Mode::Dorian => "dorian",
            Mode::Phrygian => "phrygian",
            Mode::Lydian => "lydian",
            Mode::Mixolydian => "mixolydian",
            Mode::Aeolian => "aeolian",
            Mode::Locrian => "locrian",
            Mode::HarmonicMinor => "harmonic minor",
            Mode::MajorPentatonic => "major pentatonic",
            Mode::MinorPentatonic => "minor pentatonic",
        }
    }

    /// Parses a mode name with words separated by single spaces, any case.
    pub fn from_name(name: &str) -> Option<Mode> {
        let name = name.to_ascii_lowercase();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// `(letter step above the tonic, semitones above the tonic)` for each scale degree.
    fn degrees(self) -> &'static [(i32, i32)] {
        match self {
            Mode::Major => &[(0, 0), (1, 2), (2, 4), (3, 5), (4, 7), (5, 9), (6, 11)],
            Mode::Minor | Mode::Aeolian => {
                &[(0, 0), (1, 2), (2, 3), (3, 5), (4, 7), (5, 8), (6, 10)]
            }
            Mode::Dorian => &[(0, 0), (1, 2), (2, 3), (3, 5), (4, 7), (5, 9), (6, 10)],
            Mode::Phrygian => &[(0, 0), (1, 1), (2, 3), (3, 5), (4, 7), (5, 8), (6, 10)],
            Mode::Lydian => &[(0, 0), (1, 2), (2, 4), (3, 6), (4, 7), (5, 9), (6, 11)],
            Mode::Mixolydian => &[(0, 0), (1, 2), (2, 4), (3, 5), (4, 7), (5, 9), (6, 10)],
            Mode::Locrian => &[(0, 0), (1, 1), (2, 3), (3, 5), (4, 6), (5, 8), (6, 10)],
            Mode::HarmonicMinor => &[(0, 0), (1, 2), (2, 3), (3, 5), (4, 7), (5, 8), (6, 11)],
            Mode::MajorPentatonic => &[(0, 0), (1, 2), (2, 4), (4, 7), (5, 9)],
            Mode::MinorPentatonic => &[(0, 0), (2, 3), (3, 5), (4, 7), (6, 10)],
        }
    }

    /// The seven-note mode that Roman numerals and the key signature are read from.
    pub fn heptatonic(self) -> Mode {
        match self {
            Mode::MajorPentatonic => Mode::Major,
            Mode::MinorPentatonic => Mode::Aeolian,
            other => other,
        }
    }

    /// Whether the tonic triad is minor (decides `i` against `I` defaults).
    pub fn is_minor(self) -> bool {
        self.heptatonic().degrees()[2].1 == 3
    }

    /// Semitones from the relative major's tonic up to this mode's tonic, and letters likewise.
    fn offset_from_major(self) -> (i32, i32) {
        match self.heptatonic() {
            Mode::Major | Mode::MajorPentatonic => (0, 0),
            Mode::Dorian => (1, 2),
            Mode::Phrygian => (2, 4),
            Mode::Lydian => (3, 5),
            Mode::Mixolydian => (4, 7),
            Mode::Minor | Mode::Aeolian | Mode::MinorPentatonic | Mode::HarmonicMinor => (5, 9),
            Mode::Locrian => (6, 11),
        }
    }
}

/// A tonic and a mode: `D dorian`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub tonic: NoteName,
    pub mode: Mode,
}

impl Key {
    pub const fn new(tonic: NoteName, mode: Mode) -> Key {
        Key { tonic, mode }
    }

    /// The scale's notes, spelled with one letter per heptatonic degree.
    pub fn spelled_scale(self) -> Vec<NoteName> {
        self.mode
            .degrees()
            .iter()
            .map(|&(letters, semis)| {
                NoteName::spell_on(
                    self.tonic.letter.shift(letters),
                    self.tonic.pitch_class().transpose(semis),
                )
            })
            .collect()
    }

    pub fn scale(self) -> PitchSet {
        PitchSet::of(self.spelled_scale().into_iter().map(NoteName::pitch_class))
    }

    pub fn tonic_class(self) -> PitchClass {
        self.tonic.pitch_class()
    }

    /// Scale degree `degree` (1-based) of the heptatonic parent, spelled.
    pub fn degree(self, degree: u8) -> NoteName {
        let (letters, semis) = self.mode.heptatonic().degrees()[(degree as usize - 1) % 7];
        NoteName::spell_on(
            self.tonic.letter.shift(letters),
            self.tonic.pitch_class().transpose(semis),
        )
    }

    /// The scale degree (1..=7 of the seven-note mode) whose note is `pc`, if any.
    pub fn degree_of(self, pc: PitchClass) -> Option<u8> {
        (1..=7).find(|d| self.degree(*d).pitch_class() == pc)
    }

    /// Sharps (positive) or flats (negative) of the key signature, in -7..=7.
    pub fn signature(self) -> i8 {
        let (letters, semis) = self.mode.offset_from_major();
        let major = NoteName::spell_on(
            self.tonic.letter.shift(-letters),
            self.tonic.pitch_class().transpose(-semis),
        );
        let fifths = major.fifths();
        let fifths = if fifths > 7 {
            fifths - 12
        } else if fifths < -7 {
            fifths + 12
        } else {
            fifths
        };
        fifths as i8
    }

    /// `F#5`: a pitch spelled in this key, with its scientific octave.
    pub fn name_pitch(self, pitch: Pitch) -> String {
        self.spell_pitch(pitch).to_string()
    }

    /// A pitch spelled in this key, with its octave.
    pub fn spell_pitch(self, pitch: Pitch) -> Spelling {
        Spelling::new(pitch, self.spell(pitch.class()))
    }

    /// The seven-note key whose signature this key is written with: pentatonic keys take
    /// their parent's, harmonic minor the natural minor's, and a tonic whose scale would need
    /// double sharps or flats is respelled (G# major is written as Ab major).
    pub fn signature_key(self) -> Key {
        let parent = match self.mode.heptatonic() {
            Mode::HarmonicMinor => Mode::Minor,
            other => other,
        };
        let plain = |tonic: NoteName| {
            Key::new(tonic, parent)
                .spelled_scale()
                .iter()
                .all(|n| n.alter.abs() <= 1)
        };
        let tonic = if plain(self.tonic) {
            self.tonic
        } else {
            Letter::ALL
                .iter()
                .map(|&l| NoteName::spell_on(l, self.tonic_class()))
                .filter(|n| n.alter.abs() <= 1 && plain(*n))
                .min_by_key(|n| n.alter.abs())
                .unwrap_or(self.tonic)
        };
        Key::new(tonic, parent)
    }

    /// This key on the tonic its signature is written with (Ab harmonic minor for G#
    /// harmonic minor), so its notes are spelled in that signature's letters.
    pub fn as_written(self) -> Key {
        Key::new(self.signature_key().tonic, self.mode)
    }

    /// How to spell `pc` in this key: the scale's name if it has one, else by the signature.
    pub fn spell(self, pc: PitchClass) -> NoteName {
        if let Some(name) = self
            .spelled_scale()
            .into_iter()
            .chain((1..=7).map(|d| self.degree(d)))
            .find(|n| n.pitch_class() == pc && n.alter.abs() <= 1)
        {
            return name;
        }
        let sharps = [
            "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
        ];
        let flats = [
            "C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B",
        ];
        let table = if self.signature() < 0 { flats } else { sharps };
        let text = table[pc.index() as usize];
        let letter = Letter::from_char(text.chars().next().unwrap_or('C')).unwrap_or(Letter::C);
        NoteName::spell_on(letter, pc)
    }

    /// `{A, B, C#}`: a set of pitch classes, each spelled in this key.
    pub fn spell_set(self, set: PitchSet) -> String {
        let names: Vec<String> = set.iter().map(|pc| self.spell(pc).to_string()).collect();
        format!("{{{}}}", names.join(", "))
    }
}

/// A key signature: the alteration it gives each letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeySignature {
    /// The seven-note key it is the signature of (see [`Key::signature_key`]).
    pub key: Key,
    /// Indexed by `Letter as usize`.
    alters: [i8; 7],
}

impl KeySignature {
    /// The signature `key` is written with.
    pub fn of(key: Key) -> KeySignature {
        let key = key.signature_key();
        let mut alters = [0; 7];
        for name in key.spelled_scale() {
            alters[name.letter as usize] = name.alter;
        }
        KeySignature { key, alters }
    }

    /// What the signature does to `letter`: sharps positive, flats negative, 0 if nothing.
    pub fn alter(&self, letter: Letter) -> i8 {
        self.alters[letter as usize]
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.tonic, self.mode.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(letter: Letter, alter: i8, mode: Mode) -> Key {
        Key::new(NoteName::new(letter, alter), mode)
    }

    #[test]
    fn signatures() {
        assert_eq!(key(Letter::E, 0, Mode::Dorian).signature(), 2);
        assert_eq!(key(Letter::D, 0, Mode::Major).signature(), 2);
        assert_eq!(key(Letter::D, 0, Mode::Dorian).signature(), 0);
        assert_eq!(key(Letter::G, 0, Mode::Minor).signature(), -2);
        assert_eq!(key(Letter::A, 0, Mode::Mixolydian).signature(), 2);
        assert_eq!(key(Letter::F, 1, Mode::Minor).signature(), 3);
        assert_eq!(key(Letter::G, 1, Mode::Major).signature(), -4);
    }

    #[test]
    fn scales_are_spelled() {
        let names: Vec<String> = key(Letter::D, 0, Mode::Major)
            .spelled_scale()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(names, ["D", "E", "F#", "G", "A", "B", "C#"]);
        let minor_pent = key(Letter::A, 0, Mode::MinorPentatonic).scale();
        assert_eq!(minor_pent.len(), 5);
        assert_eq!(key(Letter::D, 0, Mode::Dorian).degree(7).to_string(), "C");
        assert_eq!(
            Mode::from_name("Harmonic  Minor"),
            Some(Mode::HarmonicMinor)
        );
    }

    #[test]
    fn spelling_out_of_scale_follows_signature() {
        let f_major = key(Letter::F, 0, Mode::Major);
        assert_eq!(f_major.spell(PitchClass::new(10)).to_string(), "Bb");
        assert_eq!(f_major.spell(PitchClass::new(8)).to_string(), "Ab");
        let d_major = key(Letter::D, 0, Mode::Major);
        assert_eq!(d_major.spell(PitchClass::new(6)).to_string(), "F#");
        assert_eq!(d_major.spell(PitchClass::new(8)).to_string(), "G#");
    }

    #[test]
    fn written_signatures() {
        let g_sharp = key(Letter::G, 1, Mode::Major);
        assert_eq!(g_sharp.signature_key(), key(Letter::A, -1, Mode::Major));
        assert_eq!(g_sharp.as_written(), key(Letter::A, -1, Mode::Major));
        let a_harmonic = key(Letter::A, 0, Mode::HarmonicMinor);
        assert_eq!(a_harmonic.signature_key(), key(Letter::A, 0, Mode::Minor));
        assert_eq!(a_harmonic.as_written(), a_harmonic);
        let pentatonic = key(Letter::E, 0, Mode::MinorPentatonic);
        assert_eq!(pentatonic.signature_key(), key(Letter::E, 0, Mode::Aeolian));
        let d_major = KeySignature::of(key(Letter::D, 0, Mode::Major));
        assert_eq!(d_major.alter(Letter::F), 1);
        assert_eq!(d_major.alter(Letter::C), 1);
        assert_eq!(d_major.alter(Letter::G), 0);
        let f_minor = KeySignature::of(key(Letter::F, 0, Mode::Minor));
        assert_eq!(f_minor.alter(Letter::D), -1);
    }

    #[test]
    fn pitches_spelled_with_octaves() {
        let a_harmonic = key(Letter::A, 0, Mode::HarmonicMinor);
        assert_eq!(a_harmonic.spell_pitch(Pitch(68)).to_string(), "G#4");
        let c_sharp = key(Letter::C, 1, Mode::Major);
        assert_eq!(c_sharp.spell_pitch(Pitch(60)).to_string(), "B#3");
    }
}
