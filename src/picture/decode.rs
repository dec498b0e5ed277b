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
    let format = format_of(bytes, name)?;
    // The decoders refuse some sizes as malformed; the header says them first.
    if let Some(size) = header_size(format, bytes) {
        check_size(size, name)?;
    }
    match format {
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
            &format!("it is a {} picture", format!("{other:?}").to_uppercase()),
        )),
        Err(_) => Err(unreadable(name, "it is not a picture")),
    }
}

/// The width and height a PNG's header (its first chunk, `IHDR`) or a GIF's screen gives.
fn header_size(format: ImageFormat, bytes: &[u8]) -> Option<(u32, u32)> {
    match format {
        ImageFormat::Png => {
            let header = bytes.get(12..24).filter(|h| h.starts_with(b"IHDR"))?;
            let number = |at: usize| u32::from_be_bytes([0, 1, 2, 3].map(|i| header[at + i]));
            Some((number(4), number(8)))
        }
        ImageFormat::Gif => {
            let screen = bytes.get(6..10)?;
            let number = |at: usize| u16::from_le_bytes([screen[at], screen[at + 1]]) as u32;
            Some((number(0), number(2)))
        }
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::gif::GifEncoder;
    use image::{Delay, Frame, Rgb, RgbImage, RgbaImage};

    fn encoded(format: ImageFormat, w: u32, h: u32) -> Vec<u8> {
        let picture = RgbImage::from_fn(w, h, |x, y| {
            Rgb([(x * 40 % 256) as u8, (y * 40 % 256) as u8, 90])
        });
        let mut bytes = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(picture)
            .write_to(&mut bytes, format)
            .unwrap();
        bytes.into_inner()
    }

    /// A PNG with only its signature, a header saying `w × h`, and its end.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut typed = kind.to_vec();
            typed.extend_from_slice(data);
            let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
            chunk.extend_from_slice(&typed);
            chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
            chunk
        };
        let mut header = w.to_be_bytes().to_vec();
        header.extend_from_slice(&h.to_be_bytes());
        header.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &header));
        png.extend(chunk(b"IEND", b""));
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = (crc >> 1) ^ (0xedb8_8320 & (!(crc & 1)).wrapping_add(1));
            }
        }
        !crc
    }

    fn code(bytes: &[u8]) -> Code {
        decode(bytes, "p").unwrap_err().code
    }

    #[test]
    fn reads_each_format_tunec_takes() {
        for format in [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::WebP,
        ] {
            let picture = decode(&encoded(format, 5, 3), "p").unwrap();
            assert_eq!((picture.width(), picture.height()), (5, 3), "{format:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_picture_or_is_damaged() {
        assert_eq!(code(b"folk tune, 8 bars\n"), Code::UnreadableImage);
        let bmp = encoded_bmp();
        let e = decode(&bmp, "p.bmp").unwrap_err();
        assert_eq!(
            e.message,
            "cannot read the picture p.bmp: it is a BMP picture"
        );
        let png = encoded(ImageFormat::Png, 40, 40);
        assert_eq!(code(&png[..png.len() / 2]), Code::UnreadableImage);
        let mut jpeg = encoded(ImageFormat::Jpeg, 40, 40);
        jpeg.truncate(30);
        assert_eq!(code(&jpeg), Code::UnreadableImage);
    }

    /// The first bytes of a BMP: a format `image` knows but tunec does not read.
    fn encoded_bmp() -> Vec<u8> {
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 60]);
        bmp
    }

    #[test]
    fn refuses_a_picture_of_no_pixels() {
        assert_eq!(code(b""), Code::EmptyImage);
        assert_eq!(code(&png_header(0, 10)), Code::EmptyImage);
        assert_eq!(code(&png_header(10, 0)), Code::EmptyImage);
        // A GIF whose screen is 0 × 0, with no frames.
        assert_eq!(code(b"GIF89a\0\0\0\0\0\0\0;"), Code::EmptyImage);
    }

    #[test]
    fn refuses_a_picture_too_large_before_decoding_it() {
        // The header's word is taken: no pixels are allocated for these.
        for (w, h) in [(20_000, 10), (10, 16_385), (8_000, 6_000)] {
            let e = decode(&png_header(w, h), "big.png").unwrap_err();
            assert_eq!(e.code, Code::ImageTooLarge, "{w}×{h}");
            assert!(e.message.contains(&format!("({w}×{h} pixels)")), "{e:?}");
        }
        let over = vec![0u8; MAX_IMAGE_BYTES + 1];
        assert_eq!(code(&over), Code::ImageTooLarge);
    }

    #[test]
    fn refuses_an_animation_and_reads_a_still_gif() {
        let frame = |shade: u8| {
            let pixels = RgbaImage::from_pixel(4, 4, image::Rgba([shade, 0, 0, 255]));
            Frame::from_parts(pixels, 0, 0, Delay::from_numer_denom_ms(100, 1))
        };
        let gif = |frames: Vec<Frame>| {
            let mut bytes = Vec::new();
            GifEncoder::new(&mut bytes).encode_frames(frames).unwrap();
            bytes
        };
        let e = decode(&gif(vec![frame(10), frame(200)]), "a.gif").unwrap_err();
        assert_eq!(e.code, Code::AnimatedImage);
        assert_eq!(
            e.message,
            "the picture a.gif is an animated GIF: it has more than one frame"
        );
        assert!(decode(&gif(vec![frame(10)]), "still.gif").is_ok());
    }
}
