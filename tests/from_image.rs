//! `tunec --from-image`: pictures made here, whose measurements are known, give the clauses the
//! table promises; every prompt composes; the files land where the command line says; bad
//! pictures are refused with their codes and nothing written. The photos ImageMagick makes are
//! in the ignored tests at the end (CI installs it).

mod common;
use std::io::Cursor;
use std::path::Path;

use common::tunec;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use tunec::{Code, Options, compile, prompt_from_image};

/// A `w × h` picture whose pixel at (x, y) is `colour(x, y)`, encoded as `format`.
fn picture(format: ImageFormat, w: u32, h: u32, colour: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let pixels = RgbImage::from_fn(w, h, |x, y| Rgb(colour(x, y)));
    let mut bytes = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut bytes, format)
        .unwrap();
    bytes.into_inner()
}

fn png(w: u32, h: u32, colour: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    picture(ImageFormat::Png, w, h, colour)
}

/// The prompt's clauses without their comments, one a line.
fn clauses(prompt: &str) -> Vec<String> {
    // A comment starts with `#` at the start of a line or after a space (`F#` is a key).
    prompt
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(" # ").next().unwrap_or("").trim().to_string())
        .collect()
}

/// A small deterministic noise: the next byte of a linear congruential generator.
fn noise(seed: u32) -> impl FnMut() -> u8 {
    let mut state = seed;
    move || {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (state >> 16) as u8
    }
}

#[test]
fn pictures_with_known_measurements_give_the_tables_clauses() {
    // Flat white: the brightest mode, the slowest tempo, the softest melody, mirror form.
    let white = prompt_from_image(&png(30, 30, |_, _| [255; 3]), "white.png").unwrap();
    assert_eq!(
        clauses(&white),
        [
            "chorale",
            "happy",
            "in E lydian",
            "adagio",
            "form ABA",
            "4-bar sections",
            "melody: pp",
            "melody: sparse",
            "melody: acoustic grand piano",
        ],
        "{white}"
    );
    // A wide picture, blue sky over dark green ground: a horizon and a mirror, a rising melody,
    // blue leads (F#, clarinet) and green comes second (the chords' guitar).
    let field = png(
        300,
        150,
        |_, y| {
            if y < 90 { [90, 160, 240] } else { [20, 90, 30] }
        },
    );
    let field = clauses(&prompt_from_image(&field, "field.png").unwrap());
    for expected in [
        "form ABBA",
        "8-bar sections",
        "melody: rising",
        "melody: clarinet",
        "chords: steel guitar",
    ] {
        assert!(field.iter().any(|c| c == expected), "{expected}: {field:?}");
    }
    assert!(field[2].starts_with("in F# "), "{field:?}");
    // Yellow and black noise, like a wasp: dense detail, vivid, warm: a lively reel, busy, and
    // yellow leads (D, the flute).
    let mut next = noise(7);
    let pixels: Vec<bool> = (0..96 * 96).map(|_| next() < 128).collect();
    let wasp = png(96, 96, |x, y| match pixels[(y * 96 + x) as usize] {
        true => [255, 230, 0],
        false => [0; 3],
    });
    let wasp = clauses(&prompt_from_image(&wasp, "wasp.png").unwrap());
    assert_eq!(&wasp[..2], ["reel", "lively"], "{wasp:?}");
    assert!(wasp[2].starts_with("in D "), "{wasp:?}");
    for expected in ["melody: busy", "melody: flute"] {
        assert!(wasp.iter().any(|c| c == expected), "{expected}: {wasp:?}");
    }
}

#[test]
fn every_comment_names_the_measurement_that_chose_its_clause() {
    let stripes = png(120, 80, |x, _| [if x / 6 % 2 == 0 { 30 } else { 220 }; 3]);
    let prompt = prompt_from_image(&stripes, "stripes.png").unwrap();
    assert!(prompt.starts_with("# A prompt measured from the picture stripes.png: 120×80"));
    for line in prompt.lines().skip(3) {
        assert!(line.contains("# "), "{line}");
    }
    assert!(prompt.contains("# style: soft detail, warm: a waltz (edges 8, warmth 0)"));
    assert!(
        prompt.contains("form AABB"),
        "the stripes mirror into their opposites"
    );
}

/// Solid colours, gradients, stripes, noise, blocks and halves, in many colours and shapes: every
/// prompt composes, and between them they reach most of the table.
#[test]
fn every_generated_picture_gives_a_prompt_that_composes() {
    let mut next = noise(2024);
    let mut prompts = Vec::new();
    for i in 0..120u32 {
        let (a, b) = ([next(), next(), next()], [next(), next(), next()]);
        let (w, h) = (16 + next() as u32 % 200, 16 + next() as u32 % 120);
        let period = 1 + next() as u32 % 12;
        let grain: Vec<u8> = (0..w * h).map(|_| next()).collect();
        let mix = |t: u32, n: u32| {
            [0, 1, 2].map(|c| ((a[c] as u32 * (n - t) + b[c] as u32 * t) / n) as u8)
        };
        let bytes = png(w, h, |x, y| match i % 6 {
            0 => a,
            1 => mix(x, w),
            2 => mix(y, h),
            3 => {
                if (x / period).is_multiple_of(2) {
                    a
                } else {
                    b
                }
            }
            4 => mix(grain[(y * w + x) as usize] as u32, 255),
            _ => {
                if y < h * (1 + i % 3) / 4 {
                    a
                } else {
                    b
                }
            }
        });
        let prompt = prompt_from_image(&bytes, "generated.png").unwrap();
        if let Err(e) = compile(&prompt, &Options::new()) {
            panic!("picture {i}:\n{prompt}\n{e}");
        }
        prompts.push(clauses(&prompt));
    }
    let distinct = |slot: usize| {
        let mut seen: Vec<&String> = prompts.iter().map(|p| &p[slot]).collect();
        seen.sort();
        seen.dedup();
        seen.len()
    };
    // The style, the mood and the key's mode each take several of their values.
    assert!(distinct(0) >= 5, "styles");
    assert!(distinct(1) >= 5, "moods");
    assert!(distinct(2) >= 12, "keys");
}

#[test]
fn the_same_pixels_give_the_same_prompt_in_every_lossless_format() {
    let gradient = |x: u32, y: u32| [(x * 3) as u8, (y * 5) as u8, 120];
    let png = prompt_from_image(&png(80, 50, gradient), "p").unwrap();
    let webp = picture(ImageFormat::WebP, 80, 50, gradient);
    assert_eq!(prompt_from_image(&webp, "p").unwrap(), png);
    assert_eq!(
        prompt_from_image(&webp, "p").unwrap(),
        png,
        "and every time"
    );
}

#[test]
fn writes_the_prompt_beside_the_picture_and_composes_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sky.png"), sky()).unwrap();
    let out = tunec(dir.path(), &["--from-image", "sky.png"], b"");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("wrote sky.tune: the prompt\nwrote sky.mid: "),
        "{stderr}"
    );
    let prompt = std::fs::read_to_string(dir.path().join("sky.tune")).unwrap();
    assert_eq!(prompt, prompt_from_image(&sky(), "sky.png").unwrap());
    // The music is the prompt's, as `tunec sky.tune` composes it.
    let midi = std::fs::read(dir.path().join("sky.mid")).unwrap();
    std::fs::remove_file(dir.path().join("sky.mid")).unwrap();
    assert_eq!(tunec(dir.path(), &["sky.tune"], b"").status.code(), Some(0));
    assert_eq!(std::fs::read(dir.path().join("sky.mid")).unwrap(), midi);
}

/// A 64 × 48 picture: a pale sky over a dark sea.
fn sky() -> Vec<u8> {
    png(64, 48, |_, y| {
        if y < 30 {
            [200, 220, 250]
        } else {
            [10, 40, 90]
        }
    })
}

#[test]
fn emit_tune_prints_the_prompt_and_composes_nothing() {
    let dir = common::folder_with("sky.png", sky());
    let out = tunec(
        dir.path(),
        &["--from-image", "sky.png", "--emit", "tune"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed, prompt_from_image(&sky(), "sky.png").unwrap());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no file written"
    );
    // From standard input, too.
    let out = tunec(dir.path(), &["--from-image", "-", "--emit", "tune"], &sky());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.starts_with("# A prompt measured from the picture <stdin>: 64×48"));
}

#[test]
fn output_names_the_prompts_file_and_the_musics() {
    let dir = common::folder_with("sky.png", sky());
    let out = tunec(
        dir.path(),
        &["--from-image", "sky.png", "-o", "song.tune"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    for written in ["song.tune", "song.mid"] {
        assert!(dir.path().join(written).exists(), "{written}");
    }
    let out = tunec(
        dir.path(),
        &["--from-image", "sky.png", "-o", "air.abc"],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let abc = std::fs::read_to_string(dir.path().join("air.abc")).unwrap();
    assert!(abc.starts_with("X:1\nT:air\n"), "{abc}");
    assert!(dir.path().join("air.tune").exists());
    // --check composes and writes nothing.
    let out = tunec(dir.path(), &["--from-image", "sky.png", "--check"], b"");
    assert!(String::from_utf8(out.stderr).unwrap().starts_with("ok: "));
    assert!(!dir.path().join("sky.tune").exists());
}

#[test]
fn refuses_to_write_over_the_picture_or_to_guess_where_a_piped_prompt_goes() {
    let dir = common::folder_with("sky.png", sky());
    let out = tunec(
        dir.path(),
        &["--from-image", "sky.png", "-o", "sky.png"],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error[E0004]: refusing to overwrite the picture sky.png\n  = hint: choose another output with -o\n"
    );
    assert_eq!(std::fs::read(dir.path().join("sky.png")).unwrap(), sky());
    let out = tunec(dir.path(), &["--from-image", "-"], &sky());
    assert_eq!(out.status.code(), Some(2));
    // Misuse is refused before the prompt is written.
    let misuse: [&[&str]; 3] = [
        &["--emit", "tune", "-o", "song.mid"],
        &["--emit", "abc", "-o", "song.mid"],
        &["--soundfont", "none"],
    ];
    for args in misuse {
        let out = tunec(
            dir.path(),
            &[&["--from-image", "sky.png"], args].concat(),
            b"",
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "{args:?}"
        );
    }
    let out = tunec(dir.path(), &["sky.tune", "--from-image", "sky.png"], b"");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a program or a picture, not both"
    );
}

#[test]
fn bad_pictures_are_refused_with_their_codes_and_nothing_is_written() {
    let cases: [(&str, Vec<u8>, Code); 5] = [
        ("notes.png", b"folk tune\n".to_vec(), Code::UnreadableImage),
        ("cut.png", sky()[..60].to_vec(), Code::UnreadableImage),
        ("empty.jpg", Vec::new(), Code::EmptyImage),
        ("wide.png", header_only_png(40_000, 2), Code::ImageTooLarge),
        ("zero.png", header_only_png(0, 2), Code::EmptyImage),
    ];
    for (name, bytes, code) in cases {
        let dir = common::folder_with(name, &bytes);
        let out = tunec(
            dir.path(),
            &["--from-image", name, "--error-format", "json"],
            b"",
        );
        assert_eq!(out.status.code(), Some(1), "{name}");
        let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(json[0]["code"], code.as_str(), "{name}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "{name}");
        assert_eq!(
            prompt_from_image(&bytes, name)
                .unwrap_err()
                .iter()
                .next()
                .unwrap()
                .code,
            code
        );
    }
}

/// A PNG of only its signature and header: `w × h`, no pixels.
fn header_only_png(w: u32, h: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&w.to_be_bytes());
    png.extend_from_slice(&h.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0]);
    png
}

#[test]
fn the_worked_examples_in_the_docs_are_what_tunec_writes() {
    let doc = std::fs::read_to_string("docs/from-image.md").unwrap();
    for name in ["sunset.png", "rose.jpg"] {
        let bytes = std::fs::read(Path::new("docs/from-image").join(name)).unwrap();
        assert!(bytes.len() <= 100_000, "{name} is small");
        let prompt = prompt_from_image(&bytes, name).unwrap();
        let shown = format!("```tune\n{prompt}```");
        assert!(
            doc.contains(&shown),
            "docs/from-image.md must show:\n{shown}"
        );
        assert!(
            doc.contains(&format!("](from-image/{name})")),
            "{name} is shown"
        );
    }
}

/// Damaged pictures of every format (bytes changed, cut short) are read or refused with a
/// picture's code: never a panic, which would come back as an internal error.
#[test]
fn damaged_pictures_are_read_or_refused_never_a_crash() {
    let mut next = noise(99);
    let gradient = |x: u32, y: u32| [(x * 9) as u8, (y * 13) as u8, (x * y) as u8];
    let formats = [
        ImageFormat::Png,
        ImageFormat::Jpeg,
        ImageFormat::Gif,
        ImageFormat::WebP,
    ];
    let picture_codes = [
        Code::UnreadableImage,
        Code::ImageTooLarge,
        Code::AnimatedImage,
        Code::EmptyImage,
    ];
    for format in formats {
        let good = picture(format, 24, 18, gradient);
        for round in 0..150 {
            let mut bytes = good.clone();
            for _ in 0..1 + round % 4 {
                let at = (next() as usize * 256 + next() as usize) % bytes.len();
                bytes[at] = next();
            }
            if round % 3 == 0 {
                bytes.truncate(bytes.len() * next() as usize / 256);
            }
            if let Err(errors) = prompt_from_image(&bytes, "damaged") {
                let code = errors.iter().next().unwrap().code;
                assert!(
                    picture_codes.contains(&code),
                    "{format:?} {round}: {errors}"
                );
            }
        }
    }
}

/// Runs ImageMagick's `convert` in `dir`; false when it is not installed.
fn convert(dir: &Path, args: &[&str]) -> bool {
    let run = std::process::Command::new("convert")
        .args(args)
        .current_dir(dir)
        .output();
    run.is_ok_and(|out| out.status.success())
}

/// Photos and textures ImageMagick carries (its rose, its wizard, granite, a plasma fractal)
/// and a sunset it draws: each gives a prompt that composes, the same every time, and what
/// they show is in it.
#[test]
#[ignore = "needs ImageMagick's convert (CI installs it)"]
fn imagemagicks_pictures_give_prompts_that_compose() {
    let dir = tempfile::tempdir().unwrap();
    let made: [&[&str]; 5] = [
        &["rose:", "rose.jpg"],
        &["logo:", "wizard.png"],
        &["granite:", "granite.gif"],
        &[
            "-size",
            "320x240",
            "-seed",
            "4",
            "plasma:fractal",
            "plasma.webp",
        ],
        &[
            "-size",
            "480x200",
            "gradient:orange-darkred",
            "(",
            "-size",
            "480x100",
            "xc:midnightblue",
            ")",
            "-append",
            "sunset.png",
        ],
    ];
    for args in made {
        assert!(convert(dir.path(), args), "convert {args:?}");
        let name = args.last().unwrap();
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        let prompt = prompt_from_image(&bytes, name).unwrap();
        assert_eq!(prompt_from_image(&bytes, name).unwrap(), prompt);
        compile(&prompt, &Options::new()).unwrap_or_else(|e| panic!("{prompt}\n{e}"));
        let clauses = clauses(&prompt);
        match *name {
            // A red rose on green leaves: red leads, the key is C, the trumpet plays.
            "rose.jpg" => assert!(clauses.contains(&"melody: trumpet".into()), "{prompt}"),
            // The wizard on white: very light, his blue robe leads (F#, a clarinet).
            "wizard.png" => assert!(clauses.contains(&"in F# lydian".into()), "{prompt}"),
            // Grey stone: no colour leads, low contrast: soft.
            "granite.gif" => assert!(clauses.contains(&"melody: p".into()), "{prompt}"),
            // A warm sky over a dark sea: a horizon, the light above.
            "sunset.png" => {
                assert!(clauses.iter().any(|c| c.starts_with("form AB")), "{prompt}");
                assert!(clauses.contains(&"melody: rising".into()), "{prompt}");
            }
            _ => {}
        }
    }
}

#[test]
#[ignore = "needs ImageMagick's convert (CI installs it)"]
fn an_animation_made_by_imagemagick_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["blink.gif", "blink.webp"] {
        let args = ["-delay", "20", "rose:", "(", "rose:", "-negate", ")", name];
        assert!(convert(dir.path(), &args), "convert {args:?}");
        let out = tunec(dir.path(), &["--from-image", name], b"");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("error[E0022]"), "{name}: {stderr}");
    }
}
