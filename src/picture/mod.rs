//! From a picture to a prompt: decode it within limits (`decode`), measure it on a small grid in
//! integers (`measure`), and write the clauses the tables in `table` give, each with the reason
//! it was chosen (`prompt`).

mod decode;
mod measure;
mod prompt;
mod table;

use crate::diagnostic::Diagnostics;

/// The `.tune` program a picture asks for: one clause a line, each with a `#` comment saying
/// which measurement chose it. `bytes` is a PNG, JPEG, GIF or WebP file, `file_name` its name
/// in the comments and in errors.
///
/// The same picture always gives the same program: the picture is shrunk to a grid of at most
/// 128 cells a side and measured in integers. A picture tunec cannot read, a damaged, animated
/// or empty one, or one too large, is an error with its code (`E0020` to `E0023`).
///
/// ```
/// // A 2×1 PNG: one red pixel, one blue.
/// let png = [
///     0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
///     0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
///     0x00, 0x7b, 0x40, 0xe8, 0xdd, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
///     0x9c, 0x63, 0xf8, 0xcf, 0x00, 0x04, 0xff, 0x01, 0x07, 0x00, 0x01, 0xff, 0xe2, 0x23,
///     0x9e, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
/// ];
/// let program = tunec::prompt_from_image(&png, "two.png")?;
/// assert!(program.contains("melody: trumpet"), "red leads: {program}");
/// tunec::compile(&program, &tunec::Options::new())?;
/// # Ok::<(), tunec::Diagnostics>(())
/// ```
pub fn prompt_from_image(bytes: &[u8], file_name: &str) -> Result<String, Diagnostics> {
    crate::contained(|| {
        let picture = decode::decode(bytes, file_name).map_err(|d| vec![d])?;
        let features = measure::Features::of(&picture);
        Ok(prompt::write(file_name, &features))
    })
    .map_err(|items| Diagnostics::new(file_name, "", items))
}
