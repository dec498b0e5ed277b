//! `tunec serve`, the playground, spoken to over HTTP as its page does: compile with a seed,
//! the problems with their lines, the work budget and the size limit, downloads equal to what
//! the command line writes, clients side by side, "Save" only with a file. The last test drives
//! the page itself in headless Chromium (tests/browser/playground.cjs, playwright-core).

#![cfg(feature = "serve")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::Duration;

use common::tunec;
use serde_json::{Value, json};

/// A running `tunec serve --port 0`, stopped when dropped.
struct Playground {
    child: Child,
    address: String,
    /// Everything it said on stderr, first line included.
    said: String,
    _stderr: BufReader<ChildStderr>,
}

impl Playground {
    fn start(args: &[&str]) -> Playground {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tunec"))
            .args(["serve", "--port", "0", "--soundfont", "none"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tunec serve starts");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut said = String::new();
        while !said.contains("tunec playground at http://") {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap() == 0 {
                let _ = child.kill();
                panic!("tunec serve stopped: {said}");
            }
            said.push_str(&line);
        }
        let address = said.split("http://").nth(1).unwrap();
        let address = address.split('/').next().unwrap().to_string();
        Playground {
            child,
            address,
            said,
            _stderr: stderr,
        }
    }

    /// Sends one HTTP/1.0 request as the page does; returns the status, the headers and the
    /// body.
    fn send(&self, method: &str, path: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let headers = format!(
            "Host: {}\r\nOrigin: http://{}\r\nContent-Type: application/json\r\n",
            self.address, self.address
        );
        self.send_with(method, path, &headers, body)
    }

    /// Sends one HTTP/1.0 request with `headers` (each ending in CRLF).
    fn send_with(
        &self,
        method: &str,
        path: &str,
        headers: &str,
        body: &[u8],
    ) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let head = format!(
            "{method} {path} HTTP/1.0\r\n{headers}Content-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        // A body over the limit is refused before it is all read: the server may close first.
        let _ = stream.write_all(body);
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).unwrap();
        let split = reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&reply[..split]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, reply[split + 4..].to_vec())
    }

    fn json(&self, method: &str, path: &str, body: &Value) -> (u16, Value) {
        let (status, _, reply) = self.send(method, path, body.to_string().as_bytes());
        (status, serde_json::from_slice(&reply).unwrap())
    }

    fn compile(&self, source: &str, seed: Option<u64>) -> Value {
        let (status, answer) = self.json(
            "POST",
            "/api/compile",
            &json!({ "source": source, "seed": seed }),
        );
        assert_eq!(status, 200, "{answer}");
        answer
    }

    fn download(&self, link: &Value) -> Vec<u8> {
        let (status, head, body) = self.send("GET", link.as_str().unwrap(), b"");
        assert_eq!(status, 200, "{head}");
        assert!(head.contains("Content-Disposition: attachment"), "{head}");
        body
    }
}

impl Drop for Playground {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `tunec - ARGS` writes on stdout for `source` (titled `tune`, as the playground's
/// pieces are without a file).
fn command_line(source: &str, args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = tunec(
        dir.path(),
        &[&["-", "-o", "-"], args].concat(),
        source.as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

const JIG: &str = "jig in G, 16 bars\nmelody: fiddle, mostly stepwise\n";

#[test]
fn the_page_and_abcjs_come_from_the_binary() {
    let playground = Playground::start(&[]);
    let (status, head, page) = playground.send("GET", "/", b"");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"));
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(r#"aria-label="tune source""#));
    assert!(
        !page.contains("https://"),
        "nothing is loaded from the network"
    );
    let (status, _, abcjs) = playground.send("GET", "/vendor/abcjs-basic-min.js", b"");
    assert_eq!(status, 200);
    assert!(abcjs.len() > 100_000);
    let (status, _, _) = playground.send("GET", "/../Cargo.toml", b"");
    assert_eq!(status, 404);
    let (status, answer) = playground.json("DELETE", "/api/compile", &json!({}));
    assert_eq!((status, answer["error"].is_string()), (405, true));
}

#[test]
fn a_compile_answers_everything_the_page_shows_and_downloads_match_the_command_line() {
    let playground = Playground::start(&[]);
    let answer = playground.compile(JIG, Some(2));
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["seed"], 2);
    assert!(
        answer["svg"]
            .as_str()
            .unwrap()
            .contains(r#"<rect class="note""#)
    );
    assert_eq!(
        answer["abc"],
        Value::Null,
        "the ABC is downloaded when engraved"
    );
    let canonical = command_line(JIG, &["--emit", "tune"]);
    assert_eq!(answer["tune"].as_str().unwrap().as_bytes(), canonical);
    assert!(answer["plan"].as_str().unwrap().contains("16"));
    let summary = answer["summary"].as_str().unwrap();
    assert!(
        summary.contains("16 bars") && summary.contains("seed 2"),
        "{summary}"
    );
    let links = &answer["downloads"];
    let formats = [("midi", "midi"), ("musicxml", "musicxml"), ("abc", "abc")];
    for (link, emit) in formats {
        let expected = command_line(JIG, &["--seed", "2", "--emit", emit]);
        assert_eq!(playground.download(&links[link]), expected, "{link}");
    }
    let wav = playground.download(&links["wav"]);
    let expected = command_line(
        JIG,
        &["--seed", "2", "--emit", "wav", "--soundfont", "none"],
    );
    assert!(
        wav == expected && wav.starts_with(b"RIFF"),
        "the WAV as tunec writes it"
    );
    // Without a seed, the program's own.
    let own = playground.compile("seed 5\nfolk tune, 8 bars\n", None);
    assert_eq!(own["seed"], 5);
    let (status, _, _) = playground.send("GET", "/api/piece/999/tune.mid", b"");
    assert_eq!(status, 404, "a piece never composed");
}

/// An audio element asks for the WAV in byte ranges (`Range: bytes=0-` first, to learn its
/// length, then where it seeks): one range comes back as 206 with its Content-Range, a range
/// past the end as 416, and the bytes are those of the whole file.
#[test]
fn the_wav_comes_in_the_byte_ranges_an_audio_element_asks_for() {
    let playground = Playground::start(&[]);
    let answer = playground.compile(JIG, Some(2));
    let link = answer["downloads"]["wav"].as_str().unwrap();
    let whole = playground.download(&answer["downloads"]["wav"]);
    let size = whole.len();
    let ranged = |range: &str| {
        let headers = format!("Host: {}\r\nRange: {range}\r\n", playground.address);
        playground.send_with("GET", link, &headers, b"")
    };
    let (status, head, body) = ranged("bytes=0-");
    assert_eq!(status, 206, "{head}");
    assert!(
        head.contains(&format!("Content-Range: bytes 0-{}/{size}", size - 1)),
        "{head}"
    );
    assert!(head.contains("Accept-Ranges: bytes"), "{head}");
    assert_eq!(body, whole);
    let (status, head, body) = ranged("bytes=100-199");
    assert_eq!(status, 206);
    assert!(
        head.contains(&format!("Content-Range: bytes 100-199/{size}")),
        "{head}"
    );
    assert_eq!(body, &whole[100..200]);
    let (status, _, body) = ranged("bytes=-44");
    assert_eq!((status, body.as_slice()), (206, &whole[size - 44..]));
    let (status, head, body) = ranged(&format!("bytes={size}-"));
    assert_eq!(status, 416, "{head}");
    assert!(
        head.contains(&format!("Content-Range: bytes */{size}")),
        "{head}"
    );
    assert!(body.is_empty());
    let (status, _, body) = ranged("bytes=0-9, 20-29");
    assert_eq!(
        (status, body.len()),
        (200, size),
        "several ranges: the whole file"
    );
}

#[test]
fn problems_come_with_their_line_and_column() {
    let playground = Playground::start(&[]);
    let answer = playground.compile("jig in G\nmelody: fiddle, stepwize\nfolk tuen\n", None);
    assert_eq!(answer["ok"], false);
    let problems = answer["diagnostics"].as_array().unwrap();
    let places: Vec<(i64, i64, &str)> = problems
        .iter()
        .map(|p| {
            let (line, column) = (p["line"].as_i64().unwrap(), p["column"].as_i64().unwrap());
            (line, column, p["code"].as_str().unwrap())
        })
        .collect();
    assert_eq!(places, [(2, 17, "E0101"), (3, 6, "E0101")]);
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("--> playground.tune:2:17")
    );
}

#[test]
fn the_work_budget_and_the_size_limit_are_clear_errors_and_the_server_lives_on() {
    let playground = Playground::start(&[]);
    // The example of docs/errors.md: the request, then the fields of the answer.
    let doc = std::fs::read_to_string("docs/errors.md").unwrap();
    let block = doc
        .split("```http\n")
        .nth(1)
        .unwrap()
        .split("\n```")
        .next()
        .unwrap();
    let mut lines = block.lines();
    let request = lines
        .next()
        .unwrap()
        .strip_prefix("POST /api/compile ")
        .unwrap();
    let expected: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let (status, answer) = playground.json(
        "POST",
        "/api/compile",
        &serde_json::from_str(request).unwrap(),
    );
    assert_eq!(status, 200);
    let problem = &answer["diagnostics"][0];
    for (field, value) in expected.as_object().unwrap() {
        assert_eq!(&problem[field], value, "{field}");
    }
    let huge = vec![b' '; 3 * 1024 * 1024];
    let (status, _, body) = playground.send("POST", "/api/compile", &huge);
    let refused: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (status, &refused["diagnostics"][0]["code"]),
        (413, &json!("E0001"))
    );
    let big_program = "folk tune\n".repeat(30_000);
    let answer = playground.compile(&big_program, None);
    assert_eq!(answer["diagnostics"][0]["code"], "E0001");
    let (status, answer) = playground.json("POST", "/api/compile", &json!({"text": 1}));
    assert_eq!((status, answer["error"].is_string()), (400, true));
    assert_eq!(playground.compile(JIG, None)["ok"], true, "still serving");
}

#[test]
fn clients_are_served_side_by_side() {
    let playground = Playground::start(&[]);
    // A client that promises a body and never sends it holds one connection, not the server.
    let mut stalled = TcpStream::connect(&playground.address).unwrap();
    let head = "POST /api/compile HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
    stalled.write_all(head.as_bytes()).unwrap();
    let seeds: Vec<u64> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..8)
            .map(|seed| {
                let playground = &playground;
                scope.spawn(move || {
                    playground.compile(JIG, Some(seed))["seed"]
                        .as_u64()
                        .unwrap()
                })
            })
            .collect();
        clients.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert_eq!(seeds, (0..8).collect::<Vec<_>>());
    drop(stalled);
}

#[test]
fn save_writes_the_file_whole_and_only_when_given_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("air.tune");
    std::fs::write(&file, "folk tune, 8 bars\n").unwrap();
    let without = Playground::start(&[]);
    let (status, answer) = without.json("POST", "/api/save", &json!({"source": "x"}));
    assert_eq!(status, 403, "{answer}");
    assert!(
        answer["error"]
            .as_str()
            .unwrap()
            .contains("tunec serve FILE")
    );
    let (_, start) = without.json("GET", "/api/start", &json!(null));
    assert_eq!(start["file"], Value::Null);

    let with = Playground::start(&[file.to_str().unwrap()]);
    assert!(with.said.contains("editing"), "{}", with.said);
    let (_, start) = with.json("GET", "/api/start", &json!(null));
    assert_eq!(
        start,
        json!({"source": "folk tune, 8 bars\n", "file": "air.tune"})
    );
    let (status, answer) = with.json("POST", "/api/save", &json!({"source": JIG}));
    assert_eq!((status, &answer["saved"]), (200, &json!("air.tune")));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), JIG);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["air.tune"], "no temporary file left behind");
    let huge = "folk tune\n".repeat(30_000);
    let (status, _) = with.json("POST", "/api/save", &json!({ "source": huge }));
    assert_eq!(status, 413);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        JIG,
        "a refused save writes nothing"
    );
}

#[test]
fn pages_elsewhere_cannot_use_it() {
    let playground = Playground::start(&[]);
    let compile = json!({ "source": JIG, "seed": 1 }).to_string();
    let local = format!("Host: {}\r\n", playground.address);
    let asked = |headers: &str| {
        let (status, _, body) =
            playground.send_with("POST", "/api/compile", headers, compile.as_bytes());
        (status, String::from_utf8_lossy(&body).into_owned())
    };
    // A form posted from another site: not JSON.
    let (status, why) = asked(&format!("{local}Content-Type: text/plain\r\n"));
    assert_eq!(status, 415, "{why}");
    // A script on another site.
    let elsewhere =
        format!("{local}Origin: http://evil.example\r\nContent-Type: application/json\r\n");
    assert_eq!(asked(&elsewhere).0, 403);
    // A name that now resolves to 127.0.0.1 (DNS rebinding): reading the file is refused too.
    let rebound = "Host: evil.example:8017\r\n";
    let (status, _, _) = playground.send_with("GET", "/api/start", rebound, b"");
    assert_eq!(status, 403);
    // A local tool without an Origin is welcome.
    let tool = format!("{local}Content-Type: application/json\r\n");
    assert_eq!(asked(&tool).0, 200);
}

#[test]
fn it_listens_on_loopback_and_warns_for_any_other_address() {
    let local = Playground::start(&[]);
    assert!(local.address.starts_with("127.0.0.1:"), "{}", local.address);
    assert!(!local.said.contains("warning"));
    let open = Playground::start(&["--bind", "0.0.0.0"]);
    assert!(
        open.said.starts_with("warning: listening on 0.0.0.0"),
        "{}",
        open.said
    );
}

#[test]
fn misuse_and_unusable_files_end_it_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = tunec(dir.path(), &["serve", "--port", "nope"], b"");
    assert_eq!(out.status.code(), Some(2));
    let out = tunec(dir.path(), &["serve", "--port", "0", "."], b"");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr, "error: . is a folder, not a .tune file\n");
    let out = tunec(dir.path(), &["serve", "--soundfont", "missing.sf2"], b"");
    assert_eq!(out.status.code(), Some(1));
}

/// The page in Debian's headless Chromium, driven by tests/browser/playground.cjs: notes in the
/// piano roll and the score, a typo listed at its line and gone when fixed, Play, the seed
/// stepped, the MIDI downloaded, and the recompile latency of a 32-bar tune. With
/// `TUNEC_SCREENSHOTS=FOLDER` it also takes the screenshots of docs/playground.md.
#[test]
#[ignore = "needs Chromium (apt-get install chromium) and `npm ci` in tests/browser; .ci/run does both"]
fn the_page_in_a_browser() {
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/browser first"
    );
    // Audio through the built-in synth: its WAV renders fastest in a debug build.
    let playground = Playground::start(&[]);
    let out = tempfile::tempdir().unwrap();
    let run = Command::new("node")
        .arg(browser.join("playground.cjs"))
        .env("TUNEC_URL", format!("http://{}/", playground.address))
        .env("TUNEC_OUT", out.path())
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let result: Value = serde_json::from_slice(&run.stdout).unwrap();
    let seen = ["rollNotes", "scoreNotes", "typo", "played", "seeds"].map(|k| &result[k]);
    eprintln!("notes in the roll and the score, the typo, played, seeds: {seen:?}");
    let midi = std::fs::read(result["midi"].as_str().unwrap()).unwrap();
    let seed = result["midiSeed"].as_u64().unwrap().to_string();
    let source = result["source"].as_str().unwrap();
    assert!(midi.starts_with(b"MThd"));
    assert_eq!(
        midi,
        command_line(source, &["--seed", &seed]),
        "the download is tunec's MIDI"
    );
    let (page, outside) = (spread(&result, "page"), spread(&result, "outside"));
    eprintln!(
        "recompile of a 32-bar tune, {} keystrokes: in the page (key press to painted) median {:.0} ms, worst {:.0} ms; seen from outside median {:.0} ms, worst {:.0} ms",
        page.times.len(),
        page.median,
        page.worst,
        outside.median,
        outside.worst
    );
    eprintln!("  each in the page (ms): {:.0?}", page.times);
    // Where the page's time went, median by median.
    let timings = result["latency"]["timings"].as_array().unwrap();
    for part in [
        "waited", "server", "network", "json", "shown", "painted", "total",
    ] {
        let mut times: Vec<f64> = timings.iter().map(|t| t[part].as_f64().unwrap()).collect();
        times.sort_by(f64::total_cmp);
        eprintln!("  {part}: median {:.1} ms", times[times.len() / 2]);
    }
    eprintln!("piano roll text heights (px): {}", result["legible"]);
    // The target is 100 ms; an unoptimised build composes several times slower.
    let budget = if cfg!(debug_assertions) {
        1500.0
    } else {
        100.0
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average while measured: {}", load.trim());
    assert!(
        page.median < budget,
        "median recompile {:.0} ms, budget {budget} ms",
        page.median
    );
}

/// A latency measured over many keystrokes: each, sorted, with their median and the worst.
struct Spread {
    times: Vec<f64>,
    median: f64,
    worst: f64,
}

/// The times the browser test recorded as `latency.SIDE`.
fn spread(result: &Value, side: &str) -> Spread {
    let mut times: Vec<f64> = result["latency"][side]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    times.sort_by(f64::total_cmp);
    let (median, worst) = (times[times.len() / 2], times[times.len() - 1]);
    Spread {
        times,
        median,
        worst,
    }
}
