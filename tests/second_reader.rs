//! tunec's MIDI read back by a second, independent reader: `tests/readers/check_midi.py`, built
//! on Python's mido, checks DESIGN §4 on every example (seeds 0 and 1). The interpreter is
//! `$TUNEC_PYTHON`, else `python3`; without mido the test fails and says how to install it.

mod common;
use common::{named_examples as examples, score};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use midly::{MetaMessage, MidiMessage, Smf, TrackEventKind};
use tunec::render;
use tunec::score::Score;

fn python() -> String {
    std::env::var("TUNEC_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/check_midi.py")
}

/// Fails (never skips) when the interpreter or mido is missing.
fn require_mido() {
    let python = python();
    let out = Command::new(&python)
        .args(["-c", "import mido"])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}); install Python 3 or set TUNEC_PYTHON to one")
        });
    assert!(
        out.status.success(),
        "{python} cannot import mido: install it (`python3 -m venv /tmp/venv && \
         /tmp/venv/bin/pip install mido`, then TUNEC_PYTHON=/tmp/venv/bin/python)\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check(files: &[PathBuf]) -> Output {
    Command::new(python())
        .arg(script())
        .args(files)
        .output()
        .expect("the checker runs")
}

/// `"…"`: `text` as a JSON string.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `score`'s MIDI as `dir/stem.mid` and what it should hold as `dir/stem.json`.
fn write(dir: &Path, stem: &str, score: &Score, bytes: &[u8]) -> PathBuf {
    let parts: Vec<String> = score
        .parts
        .iter()
        .map(|p| json_string(&p.label()))
        .collect();
    let sections: Vec<String> = score
        .sections
        .iter()
        .map(|(bar, name)| {
            format!(
                "[{}, {}]",
                score.bar_start(*bar),
                json_string(&name.to_string())
            )
        })
        .collect();
    let expected = format!(
        "{{\"title\": {}, \"parts\": [{}], \"bars\": {}, \"sections\": [{}]}}\n",
        json_string(&score.title),
        parts.join(", "),
        score.bars,
        sections.join(", ")
    );
    std::fs::write(dir.join(format!("{stem}.json")), expected).unwrap();
    let path = dir.join(format!("{stem}.mid"));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
#[ignore = "needs Python with mido (TUNEC_PYTHON); .ci/run runs it"]
fn every_example_passes_the_second_reader() {
    require_mido();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, source) in examples() {
        for seed in [0, 1] {
            let score = score(&name, &source, seed);
            let bytes = render::midi::render(&score);
            files.push(write(dir.path(), &format!("{name}-{seed}"), &score, &bytes));
        }
    }
    let out = check(&files);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the second reader rejected tunec's MIDI:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = files.len();
    assert!(
        stdout.contains(&format!("checked {n} files: {n} passed, 0 failed")),
        "{stdout}"
    );
}

/// The checker is not vacuous: files that break the contract in small ways are rejected.
#[test]
#[ignore = "needs Python with mido (TUNEC_PYTHON); .ci/run runs it"]
fn the_second_reader_rejects_broken_files() {
    require_mido();
    let dir = tempfile::tempdir().unwrap();
    let (name, source) = examples()
        .into_iter()
        .find(|(n, _)| n == "harbour_lights")
        .unwrap();
    let score = score(&name, &source, 0);
    let good = render::midi::render(&score);

    // 1. The melody's last note-off is lost.
    let mut smf = Smf::parse(&good).unwrap();
    let melody = &mut smf.tracks[1];
    let last_off = melody
        .iter()
        .rposition(|e| {
            matches!(
                e.kind,
                TrackEventKind::Midi {
                    message: MidiMessage::NoteOff { .. },
                    ..
                }
            )
        })
        .unwrap();
    let lost = melody.remove(last_off);
    melody[last_off].delta += lost.delta;
    let mut unpaired = Vec::new();
    smf.write_std(&mut unpaired).unwrap();

    // 2. The bass track ends one tick after the others.
    let mut smf = Smf::parse(&good).unwrap();
    let bass = smf.tracks.last_mut().unwrap();
    let end = bass.len() - 1;
    assert_eq!(
        bass[end].kind,
        TrackEventKind::Meta(MetaMessage::EndOfTrack)
    );
    bass[end].delta += 1.into();
    let mut ragged = Vec::new();
    smf.write_std(&mut ragged).unwrap();

    // 3. Right file, wrong expectations: a title the conductor does not carry.
    let mut retitled = score.clone();
    retitled.title = "Another \"Tune\"".into();

    // 4. Right file, wrong expectations: the first section named otherwise (harbour_lights
    // is one strain, so its sections cannot be put in another order).
    let mut renamed = score.clone();
    renamed.sections[0].1.letter = 'C';
    assert_ne!(renamed.sections, score.sections);

    let files = [
        write(dir.path(), "unpaired", &score, &unpaired),
        write(dir.path(), "ragged", &score, &ragged),
        write(dir.path(), "retitled", &retitled, &good),
        write(dir.path(), "renamed", &renamed, &good),
        write(dir.path(), "good", &score, &good),
    ];
    let out = check(&files);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("checked 5 files: 1 passed, 4 failed"),
        "{stdout}"
    );
    for (stem, reason) in [
        ("unpaired", "never end"),
        ("ragged", "end at different ticks"),
        ("retitled", "expected the title"),
        ("renamed", "expected the sections"),
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(&format!("{stem}.mid")) && l.contains(reason)),
            "{stem}: expected a failure mentioning {reason:?}:\n{stdout}"
        );
    }
}
