//! docs/errors.md and the code agree: every code has its section, in order, and every example
//! there still gives that code and exactly that message.

mod common;
use common::{folder_with, tunec};
use tunec::{Code, Options, compile};

/// One `## E0101 `UnknownWord`` section of the catalogue.
struct Section<'a> {
    code: &'a str,
    name: &'a str,
    body: &'a str,
}

fn sections(doc: &str) -> Vec<Section<'_>> {
    doc.split("\n## ")
        .skip(1)
        .map(|s| {
            let (head, body) = s.split_once('\n').unwrap_or((s, ""));
            let (code, name) = head.split_once(' ').unwrap_or((head, ""));
            Section {
                code,
                name: name.trim_matches('`'),
                body,
            }
        })
        .collect()
}

/// The contents of every fenced block of `kind` (`tune`, `text`, `console`) in `body`.
fn blocks<'a>(body: &'a str, kind: &str) -> Vec<&'a str> {
    let fence = format!("```{kind}\n");
    body.split(fence.as_str())
        .skip(1)
        .map(|b| b.split("\n```").next().unwrap_or(""))
        .collect()
}

#[test]
fn every_code_has_its_section_in_order() {
    let doc = std::fs::read_to_string("docs/errors.md").unwrap();
    let documented: Vec<(String, String)> = sections(&doc)
        .iter()
        .map(|s| (s.code.to_string(), s.name.to_string()))
        .collect();
    let codes: Vec<(String, String)> = Code::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), format!("{c:?}")))
        .collect();
    assert_eq!(
        documented, codes,
        "docs/errors.md must have one `## CODE `Name`` section per Code, in order"
    );
}

#[test]
fn every_program_example_gives_its_code_and_message() {
    let doc = std::fs::read_to_string("docs/errors.md").unwrap();
    let options = Options::new().file_name("song.tune");
    let mut checked = 0;
    for section in sections(&doc) {
        let (programs, messages) = (blocks(section.body, "tune"), blocks(section.body, "text"));
        assert_eq!(programs.len(), messages.len(), "{}", section.code);
        for (program, message) in programs.iter().zip(&messages) {
            let errors = compile(&format!("{program}\n"), &options)
                .err()
                .unwrap_or_else(|| panic!("{}: `{program}` compiles", section.code));
            let first = errors.iter().next().unwrap();
            assert_eq!(first.code.as_str(), section.code, "`{program}`");
            assert_eq!(errors.to_string().trim_end(), *message, "{}", section.code);
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} examples");
}

#[test]
fn every_command_line_example_gives_its_code_and_message() {
    let doc = std::fs::read_to_string("docs/errors.md").unwrap();
    let dir = folder_with("song.tune", "folk tune, 8 bars\n");
    std::fs::write(
        dir.path().join("latin1.tune"),
        b"folk tune\nmelody: fl\xfbte\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bell.tune"), b"folk\x07 tune\n").unwrap();
    std::fs::write(dir.path().join("long.tune"), "folk tune, 1000 bars\n").unwrap();
    pictures(dir.path());
    let mut checked = 0;
    for section in sections(&doc) {
        for block in blocks(section.body, "console") {
            let (command, expected) = block.split_once('\n').unwrap();
            let args: Vec<&str> = command.split_whitespace().skip(2).collect();
            if args.first() == Some(&"/dev/zero") && !cfg!(unix) {
                continue;
            }
            let out = tunec(dir.path(), &args, b"");
            let stderr = String::from_utf8(out.stderr).unwrap();
            assert_eq!(stderr.trim_end(), expected, "{}: {command}", section.code);
            let coded = [
                format!("error[{}]", section.code),
                format!("\"{}\"", section.code),
            ];
            assert!(
                coded.iter().any(|c| expected.contains(c.as_str())),
                "{command}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 12);
}

/// The pictures of the E002x examples: a PNG whose header says 20000×20000, a GIF of two
/// frames, an empty file.
fn pictures(dir: &std::path::Path) {
    let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    huge.extend_from_slice(&[0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20, 8, 2, 0, 0, 0]);
    std::fs::write(dir.join("huge.png"), huge).unwrap();
    let frame = |shade: u8| {
        let pixels = image::RgbaImage::from_pixel(2, 2, image::Rgba([shade, 0, 0, 255]));
        image::Frame::new(pixels)
    };
    let mut gif = Vec::new();
    image::codecs::gif::GifEncoder::new(&mut gif)
        .encode_frames([frame(0), frame(255)])
        .unwrap();
    std::fs::write(dir.join("blink.gif"), gif).unwrap();
    std::fs::write(dir.join("empty.png"), b"").unwrap();
}

#[test]
fn every_code_but_an_internal_error_or_a_retired_one_has_an_example() {
    let doc = std::fs::read_to_string("docs/errors.md").unwrap();
    for section in sections(&doc) {
        // An `http` block is a request to the playground (`tunec serve`); tests/playground.rs
        // sends each one and checks the answer.
        let examples = ["tune", "console", "http"]
            .iter()
            .map(|kind| blocks(section.body, kind).len())
            .sum::<usize>();
        // No input should ever give an internal error or a retired code, so they have none.
        let retired = section.body.trim_start().starts_with("Retired.");
        let expected_none = section.code == Code::Internal.as_str() || retired;
        assert_eq!(
            examples == 0,
            expected_none,
            "{} has no example",
            section.code
        );
    }
}
