//! Music theory as plain values: pitch, interval, scale and mode, chord, meter. No I/O.

pub mod cadence;
pub mod chord;
pub mod interval;
pub mod meter;
pub mod pitch;
pub mod scale;
pub mod voicing;

pub use cadence::Cadence;
pub use chord::{Chord, ChordQuality};
pub use meter::Meter;
pub use pitch::{Letter, NoteName, Pitch, PitchClass, PitchSet};
pub use scale::{Key, Mode};
