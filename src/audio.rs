//! The front door's choice of synthesizer for WAV output: the built-in one, or a General MIDI
//! SoundFont read from a file.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::render::wav;

/// The synthesizer that plays a piece into audio ([`crate::Compiled::render_audio`]).
#[derive(Clone, Debug)]
pub struct Synth(pub(crate) wav::Synth);

impl Synth {
    /// The built-in oscillators: always there, the same samples on every machine.
    pub fn builtin() -> Synth {
        Synth(wav::Synth::Embedded)
    }

    /// The SoundFont (`.sf2`) at `path`.
    pub fn load(path: &Path) -> Result<Synth, Diagnostic> {
        wav::Synth::load(path)
            .map(Synth)
            .map_err(|e| Diagnostic::new(Code::BadSoundFont, e))
    }

    /// A General MIDI SoundFont installed on this machine, else the built-in synth.
    pub fn system_default() -> Synth {
        Synth(wav::Synth::system_default())
    }

    /// `built-in synth` or `SoundFont /usr/share/sounds/sf2/TimGM6mb.sf2`.
    pub fn describe(&self) -> String {
        self.0.describe()
    }
}
