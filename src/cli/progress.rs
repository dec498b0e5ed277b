//! A one-line progress bar on stderr for long jobs (variations, audio).

use std::io::Write;

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and cleared when
/// done.
pub struct Progress<'a> {
    stderr: &'a mut dyn Write,
    shown: bool,
    label: String,
    drawn: Option<usize>,
}

impl<'a> Progress<'a> {
    const WIDTH: usize = 30;

    pub fn new(stderr: &'a mut dyn Write, shown: bool) -> Progress<'a> {
        Progress {
            stderr,
            shown,
            label: String::new(),
            drawn: None,
        }
    }

    pub fn set(&mut self, label: &str, fraction: f64) {
        if !self.shown {
            return;
        }
        let percent = (fraction.clamp(0.0, 1.0) * 100.0) as usize;
        if self.drawn == Some(percent) && self.label == label {
            return;
        }
        self.drawn = Some(percent);
        self.label = label.to_string();
        let filled = percent * Self::WIDTH / 100;
        let _ = write!(
            self.stderr,
            "\r\x1b[K{label} [{}{}] {percent:>3}%",
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled)
        );
        let _ = self.stderr.flush();
    }

    /// Clears the bar, so that the next message starts on a clean line.
    pub fn clear(&mut self) {
        if self.drawn.take().is_some() {
            let _ = write!(self.stderr, "\r\x1b[K");
            let _ = self.stderr.flush();
        }
    }

    pub fn stderr(&mut self) -> &mut dyn Write {
        self.clear();
        &mut *self.stderr
    }
}
