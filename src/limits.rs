//! Every limit tunec enforces on its input, in one place; each one has a clear error.

/// The largest program tunec reads, in bytes (256 KiB).
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;
/// The longest piece, in bars.
pub const MAX_BARS: u32 = 10_000;
/// Slowest and fastest tempo, in beats a minute.
pub const TEMPO: (u32, u32) = (20, 400);
/// Longest piece of the input quoted back in an error message, in characters.
pub const MAX_QUOTE: usize = 40;

/// `text`, cut to `MAX_QUOTE` characters for an error message.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTE) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
