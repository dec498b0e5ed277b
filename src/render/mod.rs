//! Renderers: the Score as a Standard MIDI File, ABC, MusicXML, a text listing, a WAV file or an SVG
//! piano roll; the Plan explained as text.
//! Renderers know nothing about constraints.

pub mod abc;
pub mod midi;
pub mod musicxml;
pub mod plan;
pub mod svg;
pub mod text;
#[cfg(feature = "audio")]
pub mod wav;

use crate::score::Score;

/// `0:42`: playing time as minutes and seconds.
pub fn duration(score: &Score) -> String {
    let seconds = score.seconds().round() as u64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
