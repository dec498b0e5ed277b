//! Helpers the integration tests share: the examples, compiling one, running the binary.
#![allow(dead_code)] // each test crate uses its own share of these

use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};

use tunec::score::Score;
use tunec::{Options, compile};

/// Every `examples/*.tune`, sorted.
pub fn examples() -> Vec<PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tune"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8, "expected at least 8 examples");
    paths
}

/// Every example as (stem, source).
pub fn named_examples() -> Vec<(String, String)> {
    examples()
        .into_iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// The verified Score of `source` with `seed`, titled `name`.
pub fn score(name: &str, source: &str, seed: u64) -> Score {
    compile(source, &Options::new().seed(seed).name(name))
        .unwrap_or_else(|e| panic!("{name} seed {seed}: {e:?}"))
        .score()
        .clone()
}

/// A fresh folder holding one file, `name`, with `contents`.
pub fn folder_with(name: &str, contents: impl AsRef<[u8]>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), contents).unwrap();
    dir
}

/// Compiles `source` saved as `song.tune`: the status, stderr, and whether song.mid exists.
pub fn compile_file(source: &str) -> (i32, String, bool) {
    let dir = folder_with("song.tune", source);
    let out = tunec(dir.path(), &["song.tune"], b"");
    let wrote = dir.path().join("song.mid").exists();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        wrote,
    )
}

/// `source` fails with exactly `expected` on stderr, exit status 1, and no file written.
pub fn assert_error(source: &str, expected: &str) {
    let (status, stderr, wrote) = compile_file(source);
    assert_eq!(stderr, expected);
    assert_eq!(status, 1);
    assert!(!wrote, "no output file on error");
}

/// Runs the `tunec` binary in `dir` with `args`, feeding it `stdin`.
pub fn tunec(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tunec"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs the `tunec` binary in `dir` with `args` and `stdin`, failing the test if it has not
/// finished within 30 seconds (an input read without bound never finishes).
pub fn tunec_with(dir: &Path, args: &[&str], stdin: Stdio) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_tunec"))
        .args(args)
        .current_dir(dir)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output().unwrap()));
    receive
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_else(|_| {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("tunec {args:?} did not finish within 30 seconds")
        })
}

/// Runs the `tunec` binary in `dir` with `args`, its standard output a full disk (/dev/full).
#[cfg(target_os = "linux")]
pub fn tunec_into_full_disk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tunec"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap()
}

/// A `tunec` server (`tunec lsp`, `tunec mcp`) started with `args`: the process, the pipe to
/// its standard input and a reader of its standard output, as an editor or an agent holds them.
pub fn server(args: &[&str]) -> (Child, ChildStdin, BufReader<ChildStdout>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tunec"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("tunec {args:?} starts: {e}"));
    let stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, stdin, stdout)
}

/// What an outside client, `tests/clients/SCRIPT` run by the Python in `TUNEC_PYTHON` (else
/// `python3`) against the built binary, printed; panics unless it succeeded.
pub fn outside_client(script: &str) -> String {
    let python = std::env::var("TUNEC_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(script);
    let out = Command::new(&python)
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_tunec"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}); set TUNEC_PYTHON"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    stdout
}

/// The pitch classes (0 = C) the pitched parts of `score` sound, sorted, each once.
pub fn pitch_classes(score: &Score) -> Vec<u8> {
    let mut classes: Vec<u8> = (score.parts.iter())
        .filter(|p| p.role != tunec::resolve::PartRole::Drums)
        .flat_map(|p| p.notes.iter().map(|n| n.pitch.class().index()))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    classes
}

/// A Markdown page of a recorded JSON-RPC exchange: each message (`-->` sent by the client,
/// `<--` received) as pretty JSON; a list of more than eight items is cut to its first eight
/// and a count of the rest, and a text to its first 480 characters, so that a completion list
/// or a MIDI file does not fill the page.
pub fn transcript_page(
    title: &str,
    recorder: &str,
    messages: &[(&str, serde_json::Value)],
) -> String {
    let mut page = format!(
        "# {title}\n\nRecorded by {recorder} against the real binary; regenerate with \
         `cargo test --locked --test {} -- --ignored record`. `-->` is the client, `<--` the \
         server.\n",
        recorder.split(['/', '.']).nth(1).unwrap_or("lsp"),
    );
    for (direction, message) in messages {
        let what = message["method"]
            .as_str()
            .map(|m| format!("`{m}`"))
            .unwrap_or_else(|| format!("answer to {}", message["id"]));
        let shown = serde_json::to_string_pretty(&shortened(message)).unwrap();
        page += &format!("\n{direction} {what}\n\n```json\n{shown}\n```\n");
    }
    page
}

fn shortened(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Array(items) if items.len() > 8 => {
            let mut kept: Vec<Value> = items[..8].iter().map(shortened).collect();
            kept.push(Value::String(format!("… and {} more", items.len() - 8)));
            Value::Array(kept)
        }
        Value::Array(items) => Value::Array(items.iter().map(shortened).collect()),
        Value::String(text) if text.chars().count() > 480 => {
            let kept: String = text.chars().take(480).collect();
            let rest = text.chars().count() - 480;
            Value::String(format!("{kept}… ({rest} more characters)"))
        }
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), shortened(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// How long each of the drum `part`'s hits is written (the notation's rule, restated here
/// so the readers' tests check it): to the next hit of any drum in its voice (hands, or feet:
/// bass drums and pedal hi-hat, where both play), not past the end of its
/// beat (counted from the bar lines), as one note value — the gap itself where a plain,
/// dotted or triplet value is that long, else the longest plain or dotted value that fits.
pub fn written_drum_lengths(score: &Score, part: &tunec::score::Part) -> Vec<u32> {
    let values: Vec<u32> = [1920, 960, 480, 240, 120, 60, 30, 15]
        .into_iter()
        .flat_map(|v| [v, v + v / 2])
        .collect();
    let fits = |gap: u32| {
        if values.iter().any(|&v| v == gap || v * 2 / 3 == gap) {
            gap
        } else {
            values
                .iter()
                .copied()
                .filter(|&v| v <= gap)
                .max()
                .unwrap_or(0)
        }
    };
    // Hands and feet are two voices where both play, each held to its own next hit.
    let foot = |n: &tunec::score::Note| [35, 36, 44].contains(&n.pitch.0);
    let voices = part.notes.iter().any(foot) && !part.notes.iter().all(foot);
    let voice = |n: &tunec::score::Note| voices && foot(n);
    part.notes
        .iter()
        .map(|n| {
            let onsets: std::collections::BTreeSet<u32> = (part.notes.iter())
                .filter(|m| voice(m) == voice(n))
                .map(|m| m.start)
                .collect();
            let bar = score.bar_at(n.start);
            let (start, meter) = match n.start < score.pickup {
                // A pickup's beats count back from bar 1's downbeat.
                true => (score.pickup, score.meter),
                false => (score.bar_start(bar), score.meter_at(bar)),
            };
            let beat = meter.beat_ticks() as i64;
            let into = n.start as i64 - start as i64;
            let beat_end = (start as i64 + (into.div_euclid(beat) + 1) * beat) as u32;
            let bar_end = (start + meter.bar_ticks()).min(score.total_ticks());
            let gap = onsets
                .range(n.start + 1..)
                .next()
                .copied()
                .unwrap_or(u32::MAX);
            fits(gap.min(beat_end).min(bar_end) - n.start).max(n.duration)
        })
        .collect()
}
