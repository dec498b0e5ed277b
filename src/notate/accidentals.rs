//! Which accidentals a measure prints. An accidental lasts to the bar line. One is printed on
//! a note that differs from the key signature, unless the same accidental was already printed
//! on this letter in this octave (with no other accidental on the letter since); after any
//! accidental on a letter, every later note of that letter in the measure gets one (a natural
//! to cancel) unless that rule spares it. The notes then read the same whether a reader
//! carries an accidental through its own octave only (as engravers and ABC 2.1 do) or through
//! every octave (as abc2midi does). A note tied over the bar line prints its accidental again.

use super::Event;
use crate::theory::{Accidental, KeySignature, Spelling};

/// The accidentals printed so far in a measure, per letter: the last one's alteration and the
/// octaves (a bit per scientific octave + 1) it was printed in since it became the last.
#[derive(Clone, Copy, Debug, Default)]
struct Printed([Option<(i8, u16)>; 7]);

impl Printed {
    /// The accidental to print on `spelling` here, remembering it.
    fn print(&mut self, spelling: Spelling, signature: &KeySignature) -> Option<Accidental> {
        let Spelling { name, octave } = spelling;
        let slot = &mut self.0[name.letter as usize];
        let bit = 1u16 << (octave + 1).clamp(0, 15);
        let needed = match *slot {
            None => name.alter != signature.alter(name.letter),
            Some((alter, octaves)) => alter != name.alter || octaves & bit == 0,
        };
        if !needed {
            return None;
        }
        *slot = match *slot {
            Some((alter, octaves)) if alter == name.alter => Some((alter, octaves | bit)),
            _ => Some((name.alter, bit)),
        };
        Some(Accidental::of_alter(name.alter))
    }
}

/// Sets the accidental of every note of one measure's `events`, read in order (a chord's
/// notes lowest first).
pub(super) fn mark(events: &mut [Event], signature: &KeySignature) {
    let mut printed = Printed::default();
    for note in events.iter_mut().flat_map(|e| e.notes.iter_mut()) {
        note.accidental = printed.print(note.spelling, signature);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::{Key, Letter, Mode, NoteName, Pitch};

    /// The accidentals printed on `pitches` read in turn in one measure of `key`.
    fn read(key: Key, pitches: &[u8]) -> Vec<Option<Accidental>> {
        let signature = KeySignature::of(key);
        let key = key.as_written();
        let mut printed = Printed::default();
        pitches
            .iter()
            .map(|&p| printed.print(key.spell_pitch(Pitch(p)), &signature))
            .collect()
    }

    #[test]
    fn a_sharp_is_not_repeated_and_its_natural_is_printed() {
        let c_major = Key::new(NoteName::new(Letter::C, 0), Mode::Major);
        // F#4 F#4 F4 F4 F#4: sharp, spared, natural, spared, sharp again.
        assert_eq!(
            read(c_major, &[66, 66, 65, 65, 66]),
            [
                Some(Accidental::Sharp),
                None,
                Some(Accidental::Natural),
                None,
                Some(Accidental::Sharp)
            ]
        );
    }

    #[test]
    fn an_accidental_in_another_octave_is_printed_again() {
        let a_harmonic = Key::new(NoteName::new(Letter::A, 0), Mode::HarmonicMinor);
        // G#4 G#4 G#5 G5 G#4 A4 A2 C6: the signature has G natural.
        assert_eq!(
            read(a_harmonic, &[68, 68, 80, 79, 68, 69, 45, 84]),
            [
                Some(Accidental::Sharp),
                None,
                Some(Accidental::Sharp),
                Some(Accidental::Natural),
                Some(Accidental::Sharp),
                None,
                None,
                None
            ]
        );
    }

    #[test]
    fn notes_of_the_signature_print_nothing() {
        let d_major = Key::new(NoteName::new(Letter::D, 0), Mode::Major);
        assert_eq!(read(d_major, &[66, 73, 62]), [None, None, None]);
        assert_eq!(read(d_major, &[65])[0], Some(Accidental::Natural));
    }
}
