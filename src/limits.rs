//! Every limit tunec enforces on its input, in one place; each one has a clear error.

use crate::diagnostic::{Code, Diagnostic};

/// The largest program tunec reads, in bytes (256 KiB).
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// The longest piece, in bars.
pub const MAX_BARS: u32 = 10_000;
/// Slowest and fastest tempo, in beats a minute.
pub const TEMPO: (u32, u32) = (20, 400);
/// The most lines the grammar cannot read that are reported; each costs a reading of the whole
/// file, so a file of them is not read forever.
pub const MAX_UNREADABLE_LINES: usize = 20;
/// Longest piece of the input quoted back in an error message, in characters.
pub const MAX_QUOTE: usize = 40;

/// `text`, cut to `MAX_QUOTE` characters for an error message.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTE) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// `Err` with the size error when `source` is over the limit.
pub fn check_size(source: &str) -> Result<(), Diagnostic> {
    match source.len() > MAX_SOURCE_BYTES {
        true => Err(too_large(Some(source.len() as u64))),
        false => Ok(()),
    }
}

/// The error for a program over the size limit; `bytes` is its size when known.
pub fn too_large(bytes: Option<u64>) -> Diagnostic {
    let size = bytes.map_or(format!("more than {} KiB", MAX_SOURCE_BYTES / 1024), |b| {
        format!("{} KiB", b.div_ceil(1024))
    });
    let message = format!(
        "the program is too large: {size}, and tunec reads at most {} KiB",
        MAX_SOURCE_BYTES / 1024
    );
    Diagnostic::new(Code::TooLarge, message).hint("split it into several files")
}

/// The largest picture file `--from-image` reads, in bytes (64 MiB).
#[cfg(feature = "image")]
pub const MAX_IMAGE_BYTES: usize = 64 * 1024 * 1024;
/// The widest or tallest picture `--from-image` decodes, in pixels.
#[cfg(feature = "image")]
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// The most pixels in a picture `--from-image` decodes (40 megapixels).
#[cfg(feature = "image")]
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// The most memory the picture decoders may take at once (256 MiB).
#[cfg(feature = "image")]
pub const MAX_IMAGE_ALLOC: u64 = 256 * 1024 * 1024;
