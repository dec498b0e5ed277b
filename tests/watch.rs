//! `--watch` with real files in a temporary folder: each save writes the outputs again, an
//! error is reported and the watch goes on; and `tunec play` in a build without audio output.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{folder_with, tunec};

/// `tunec ARGS --watch` running in `dir`, its stderr read line by line; killed when dropped.
struct Watching {
    child: Child,
    lines: Receiver<String>,
}

impl Watching {
    fn start(dir: &std::path::Path, args: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tunec"))
            .args(args)
            .arg("--watch")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Watching { child, lines }
    }

    /// The next line on stderr that starts with `start`, within 60 seconds.
    fn said(&self, start: &str) -> String {
        loop {
            let line = (self.lines.recv_timeout(Duration::from_secs(60)))
                .unwrap_or_else(|_| panic!("no line starting {start:?} within 60 s"));
            if line.starts_with(start) {
                return line;
            }
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `tunec song.tune -o out.mid` writes for `source` (the title is the file's stem).
fn midi_of(source: &str) -> Vec<u8> {
    let dir = folder_with("song.tune", source);
    let out = tunec(dir.path(), &["song.tune", "-o", "out.mid"], b"");
    assert!(out.status.success());
    std::fs::read(dir.path().join("out.mid")).unwrap()
}

#[test]
fn each_save_writes_the_outputs_again_and_errors_do_not_end_the_watch() {
    let dir = folder_with("song.tune", "jig in G, 8 bars\n");
    let watching = Watching::start(dir.path(), &["song.tune", "-o", "out.mid"]);
    watching.said("watching song.tune");
    let first = watching.said("wrote out.mid");
    assert!(first.contains("8 bars"), "{first}");
    let out = dir.path().join("out.mid");
    assert_eq!(std::fs::read(&out).unwrap(), midi_of("jig in G, 8 bars\n"));

    // Saved in place.
    std::fs::write(dir.path().join("song.tune"), "reel in D, 12 bars\n").unwrap();
    let second = watching.said("wrote out.mid");
    assert!(second.contains("12 bars"), "{second}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        midi_of("reel in D, 12 bars\n")
    );

    // A mistake is reported, the last good output stays, and the watch goes on.
    std::fs::write(dir.path().join("song.tune"), "reel in D, 12 barz\n").unwrap();
    watching.said("error[E0101]: unknown word `barz`");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        midi_of("reel in D, 12 bars\n")
    );

    // Saved as editors do: a new file renamed over the old one.
    std::fs::write(dir.path().join("song.tune.new"), "waltz in F, 16 bars\n").unwrap();
    std::fs::rename(
        dir.path().join("song.tune.new"),
        dir.path().join("song.tune"),
    )
    .unwrap();
    let third = watching.said("wrote out.mid");
    assert!(third.contains("16 bars"), "{third}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        midi_of("waltz in F, 16 bars\n")
    );
}

#[test]
fn watching_standard_input_is_misuse() {
    let dir = tempfile::tempdir().unwrap();
    let out = tunec(dir.path(), &["-", "--watch"], b"");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: --watch needs a file to watch, not standard input\n"
    );
}

#[cfg(not(feature = "play"))]
#[test]
fn play_says_how_to_get_audio_output() {
    let dir = folder_with("song.tune", "folk tune, 8 bars\n");
    let out = tunec(dir.path(), &["play", "song.tune"], b"");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("--features play"), "{stderr}");
    assert!(stderr.contains("libasound2-dev"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written"
    );
}

/// `tunec play` on ALSA's null device (a `~/.asoundrc` in a temporary home): it renders, plays
/// to the end and exits 0, writing nothing.
#[cfg(all(feature = "play", target_os = "linux"))]
#[test]
fn play_plays_to_alsas_null_device() {
    let dir = folder_with("song.tune", "folk tune, 2 bars, 120 bpm\n");
    std::fs::write(dir.path().join(".asoundrc"), "pcm.!default { type null }\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tunec"))
        .args(["play", "song.tune", "--soundfont", "none"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("playing song.tune: 3 parts"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "nothing written"
    );
}
