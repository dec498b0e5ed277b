//! tunec compiles `.tune` music prompts into verified multi-part MIDI.

pub mod compose;
pub mod diagnostic;
pub mod resolve;
pub mod score;
pub mod syntax;
pub mod theory;
