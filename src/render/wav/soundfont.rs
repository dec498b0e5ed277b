//! The SoundFont path: loading a General MIDI SoundFont, finding one installed on the
//! system, and playing it through `rustysynth`.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustysynth::{SoundFont, Synthesizer, SynthesizerSettings};

use super::{Engine, Setup, Synth};

/// Where tunec looks for a General MIDI SoundFont when none is given, in this order.
pub const SOUNDFONT_PLACES: [&str; 7] = [
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/soundfonts/default.sf2",
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
    "/usr/local/share/soundfonts/default.sf2",
    "/opt/homebrew/share/soundfonts/default.sf2",
];

impl Synth {
    /// Loads the SoundFont at `path`.
    pub fn load(path: &Path) -> Result<Synth, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read the SoundFont {}: {e}", path.display()))?;
        let parsed = std::panic::catch_unwind(|| SoundFont::new(&mut Cursor::new(&bytes)));
        match parsed {
            Ok(Ok(font)) => Ok(Synth::SoundFont {
                font: Arc::new(font),
                path: path.to_path_buf(),
            }),
            Ok(Err(e)) => Err(format!("{} is not a usable SoundFont: {e}", path.display())),
            Err(_) => Err(format!("{} is not a usable SoundFont", path.display())),
        }
    }

    /// The first General MIDI SoundFont installed in one of [`SOUNDFONT_PLACES`].
    pub fn find() -> Option<PathBuf> {
        SOUNDFONT_PLACES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    }

    /// An installed SoundFont if there is one that loads, else the built-in synth.
    pub fn system_default() -> Synth {
        Synth::find()
            .and_then(|path| Synth::load(&path).ok())
            .unwrap_or(Synth::Embedded)
    }
}

pub(super) struct SoundFontEngine {
    synth: Synthesizer,
}

impl SoundFontEngine {
    pub(super) fn new(font: &Arc<SoundFont>, rate: u32) -> Result<SoundFontEngine, String> {
        let mut settings = SynthesizerSettings::new(rate as i32);
        settings.maximum_polyphony = 128;
        let mut synth = Synthesizer::new(font, &settings).map_err(|e| e.to_string())?;
        synth.set_master_volume(1.0);
        Ok(SoundFontEngine { synth })
    }
}

impl Engine for SoundFontEngine {
    fn setup(&mut self, channel: u8, setup: Setup) {
        let c = channel as i32;
        self.synth
            .process_midi_message(c, 0xC0, setup.program as i32 - 1, 0);
        let volume = (setup.volume * 127.0).round() as i32;
        self.synth.process_midi_message(c, 0xB0, 0x07, volume);
        let pan = (64.0 + setup.pan * 63.0).round() as i32;
        self.synth.process_midi_message(c, 0xB0, 0x0A, pan);
    }

    fn note_on(&mut self, channel: u8, key: u8, velocity: u8) {
        self.synth
            .note_on(channel as i32, key as i32, velocity as i32);
    }

    fn note_off(&mut self, channel: u8, key: u8) {
        self.synth.note_off(channel as i32, key as i32);
    }

    fn render(&mut self, left: &mut [f32], right: &mut [f32]) {
        self.synth.render(left, right);
    }
}
