//! tunec compiles `.tune` music prompts into verified multi-part MIDI.

pub mod diagnostic;
pub mod syntax;
pub mod theory;
