//! Instruments written an octave or two from where they sound, as their players read them.
//!
//! Standard practice, as MuseScore 3's instrument table writes it: piccolo, xylophone and
//! celesta are written an octave below where they sound, the glockenspiel two, on a plain
//! clef (a transposing part: MusicXML's `<transpose>`, ABC's `transpose=`); the double bass and
//! bass guitars an octave above, in the bass clef. Whistle, recorder and ocarina keep a treble
//! clef with an 8 over it, the guitars, banjo and shamisen one with an 8 under it: their notes
//! are written an octave from where they sound and the clef says so. Every other instrument is
//! written where it sounds.

use super::Clef;
use crate::score::{Note, Part};
use crate::theory::Pitch;

/// How one instrument's part is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writing {
    /// The clef it always reads, where it keeps one (bass players read the bass clef however
    /// high a part climbs once written an octave up); else the clef is chosen by the written
    /// range.
    pub clef: Option<Clef>,
    /// Octaves its written notes lie below where they sound (a transposing part; negative
    /// for the basses, written above).
    pub octaves: i8,
}

/// How the General MIDI instrument `program` (1-based) is written.
pub fn writing(program: u8) -> Writing {
    let (clef, octaves) = match program {
        10 => (Some(Clef::Treble), 2),                   // glockenspiel
        14 | 73 => (Some(Clef::Treble), 1),              // xylophone, piccolo
        9 => (None, 1),                                  // celesta, on either staff of its pair
        33..=38 | 44 => (Some(Clef::Bass), -1),          // the bass guitars, contrabass
        75 | 79 | 80 => (Some(Clef::TrebleOctaveUp), 0), // recorder, whistle, ocarina
        25..=32 | 106 | 107 => (Some(Clef::TrebleOctaveDown), 0), // guitars, banjo, shamisen
        _ => (None, 0),
    };
    Writing { clef, octaves }
}

/// `part` with its notes moved to where they are written, `octaves` below where they sound.
pub fn written(part: &Part, octaves: i8) -> Part {
    let shift = 12 * i16::from(octaves);
    let notes = (part.notes.iter())
        .map(|n| Note {
            pitch: Pitch((i16::from(n.pitch.0) - shift).clamp(0, 127) as u8),
            ..*n
        })
        .collect();
    Part {
        notes,
        ..part.clone()
    }
}
