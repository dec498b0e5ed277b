//! Music theory as plain values: pitch and its spelling, interval, scale, mode and key
//! signature, chord, meter, note value. No I/O.

pub mod cadence;
pub mod chord;
pub mod interval;
pub mod meter;
pub mod pitch;
pub mod scale;
pub mod value;
pub mod voicing;

pub use cadence::Cadence;
pub use chord::{Chord, ChordQuality};
pub use meter::Meter;
pub use pitch::{Accidental, Letter, NoteName, Pitch, PitchClass, PitchSet, Spelling};
pub use scale::{Key, KeySignature, Mode};
pub use value::{BaseValue, NoteValue};
