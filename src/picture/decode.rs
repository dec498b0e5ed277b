//! Decoding a picture within limits: PNG, JPEG, GIF and WebP only, one frame, bounded in bytes,
//! pixels and memory, every refusal a coded diagnostic.

use std::io::Cursor;

use image::codecs::gif::GifDecoder;
use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageError, ImageFormat, Limits};

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{MAX_IMAGE_ALLOC, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE};

/// Decodes the one frame of the picture `bytes`, called `name` in messages.
pub fn decode(bytes: &[u8], name: &str) -> Result<DynamicImage, Diagnostic> {
    if bytes.is_empty() {
        return Err(empty(name, "the file is empty"));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(too_large(
            name,
            &format!("over {} MiB", MAX_IMAGE_BYTES >> 20),
        ));
    }
    let fail = |e| failure(name, e);
    match format_of(bytes, name)? {
        ImageFormat::Png => {
            let decoder = PngDecoder::new(Cursor::new(bytes)).map_err(fail)?;
            if decoder.is_apng().map_err(fail)? {
                return Err(animated(name, "an animated PNG"));
            }
            finish(decoder, name)
        }
        ImageFormat::Gif => {
            if gif_frames(bytes, name)? > 1 {
                return Err(animated(name, "an animated GIF"));
            }
            finish(GifDecoder::new(Cursor::new(bytes)).map_err(fail)?, name)
        }
        ImageFormat::WebP => {
            let decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(fail)?;
            if decoder.has_animation() {
                return Err(animated(name, "an animated WebP"));
            }
            finish(decoder, name)
        }
        _ => finish(JpegDecoder::new(Cursor::new(bytes)).map_err(fail)?, name),
    }
}

/// The format the file's first bytes announce, when it is one tunec reads.
fn format_of(bytes: &[u8], name: &str) -> Result<ImageFormat, Diagnostic> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP)) => {
            Ok(f)
        }
        Ok(other) => Err(unreadable(
            name,
            &format!("it is {}", other.extensions_str()[0].to_uppercase()),
        )),
        Err(_) => Err(unreadable(name, "it is not a picture")),
    }
}

/// The decoders' limits: the size tunec reads and the memory they may take.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_IMAGE_ALLOC);
    limits
}

/// Checks the size the header gives, then decodes within the limits.
fn finish(mut decoder: impl ImageDecoder, name: &str) -> Result<DynamicImage, Diagnostic> {
    check_size(decoder.dimensions(), name)?;
    decoder.set_limits(limits()).map_err(|e| failure(name, e))?;
    DynamicImage::from_decoder(decoder).map_err(|e| failure(name, e))
}

fn check_size((width, height): (u32, u32), name: &str) -> Result<(), Diagnostic> {
    if width == 0 || height == 0 {
        return Err(empty(name, &format!("it is {width}×{height} pixels")));
    }
    let pixels = width as u64 * height as u64;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || pixels > MAX_IMAGE_PIXELS {
        return Err(too_large(name, &format!("{width}×{height} pixels")));
    }
    Ok(())
}

/// How many frames the GIF has, counting no further than two; its size is checked first, so
/// that counting costs no more than decoding one frame.
fn gif_frames(bytes: &[u8], name: &str) -> Result<usize, Diagnostic> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(|e| failure(name, e))?;
    check_size(decoder.dimensions(), name)?;
    decoder.set_limits(limits()).map_err(|e| failure(name, e))?;
    Ok(decoder.into_frames().take(2).filter(Result::is_ok).count())
}

/// A decoder's error as tunec's: a limit reached is a picture too large, the rest unreadable.
fn failure(name: &str, error: ImageError) -> Diagnostic {
    match error {
        ImageError::Limits(_) => too_large(
            name,
            &format!(
                "decoding it would take more than {} MiB",
                MAX_IMAGE_ALLOC >> 20
            ),
        ),
        other => unreadable(name, &format!("{other}")),
    }
}

fn unreadable(name: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableImage,
        format!("cannot read the picture {name}: {why}"),
    )
    .hint("tunec reads PNG, JPEG, GIF and WebP pictures")
}

fn too_large(name: &str, size: &str) -> Diagnostic {
    let message = format!(
        "the picture {name} is too large ({size}): tunec reads pictures of at most {} MiB, {} \
         pixels a side and {} megapixels",
        MAX_IMAGE_BYTES >> 20,
        MAX_IMAGE_SIDE,
        MAX_IMAGE_PIXELS / 1_000_000
    );
    Diagnostic::new(Code::ImageTooLarge, message).hint("scale the picture down and try again")
}

fn animated(name: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AnimatedImage,
        format!("the picture {name} is {what}: it has more than one frame"),
    )
    .hint("save the frame you want as a still PNG or JPEG")
}

fn empty(name: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EmptyImage,
        format!("the picture {name} has no pixels: {why}"),
    )
    .hint("give a picture at least one pixel wide and high")
}
