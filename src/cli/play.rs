//! `tunec play FILE` (`--play`): the piece, rendered as with `--emit wav`, through the system's
//! audio output. Built only with the `play` feature (rodio over cpal; on Linux it needs ALSA's
//! headers); without it, asking to play says how to get it.

use super::Failure;

/// What `--play` says in a build without the `play` feature.
#[cfg_attr(feature = "play", allow(dead_code))]
pub(super) const NOT_BUILT: &str = "this tunec was built without audio output; rebuild it with \
    `cargo install --locked --path . --features play` (on Linux that needs ALSA's headers: \
    `apt-get install libasound2-dev`), or write the audio with `--emit wav`";

/// The system's audio output, and the piece playing there.
#[cfg(feature = "play")]
pub(super) struct Player {
    stream: rodio::OutputStream,
    sink: Option<rodio::Sink>,
}

#[cfg(feature = "play")]
impl Player {
    /// Opens the default audio output.
    pub(super) fn open() -> Result<Player, Failure> {
        let mut stream = rodio::OutputStreamBuilder::open_default_stream()
            .map_err(|e| cannot_play(&format!("no audio output: {e}")))?;
        stream.log_on_drop(false);
        Ok(Player { stream, sink: None })
    }

    /// Stops what is playing and starts `wav` (a WAV file as tunec writes it); returns at once.
    pub(super) fn start(&mut self, wav: &[u8]) -> Result<(), Failure> {
        if let Some(sink) = self.sink.take() {
            sink.stop();
        }
        let reader = hound::WavReader::new(std::io::Cursor::new(wav))
            .map_err(|e| cannot_play(&format!("cannot read the audio: {e}")))?;
        let spec = reader.spec();
        let samples: Vec<f32> = reader
            .into_samples::<i16>()
            .map(|s| s.map(|s| s as f32 / 32768.0))
            .collect::<Result<_, _>>()
            .map_err(|e| cannot_play(&format!("cannot read the audio: {e}")))?;
        let buffer = rodio::buffer::SamplesBuffer::new(spec.channels, spec.sample_rate, samples);
        let sink = rodio::Sink::connect_new(self.stream.mixer());
        sink.append(buffer);
        self.sink = Some(sink);
        Ok(())
    }

    /// Waits until the piece has played to its end.
    pub(super) fn finish(&self) {
        if let Some(sink) = &self.sink {
            sink.sleep_until_end();
        }
    }
}

#[cfg(feature = "play")]
fn cannot_play(message: &str) -> Failure {
    let hint = "write the audio to a file with --emit wav";
    let problem = crate::Diagnostic::new(crate::Code::CannotWrite, message.to_string());
    Failure::io(problem.hint(hint))
}

/// Stands in for the audio output in a build without it: it cannot be opened.
#[cfg(not(feature = "play"))]
pub(super) enum Player {}

#[cfg(not(feature = "play"))]
impl Player {
    pub(super) fn open() -> Result<Player, Failure> {
        Err(Failure::usage(NOT_BUILT))
    }

    pub(super) fn start(&mut self, _wav: &[u8]) -> Result<(), Failure> {
        match *self {}
    }

    pub(super) fn finish(&self) {
        match *self {}
    }
}
