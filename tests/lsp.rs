//! `tunec lsp` spoken to over pipes, as an editor does: the real binary, framed JSON-RPC
//! messages, and the answers checked field by field (tests/clients/lsp_client.py does the same
//! with an outside client library).

#![cfg(feature = "lsp")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const URI: &str = "file:///tmp/song.tune";

/// A minimal client: sends requests and notifications, reads what the server says.
struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    /// Every message sent (`-->`) and received (`<--`), when recording the exchange.
    transcript: Option<Vec<(&'static str, Value)>>,
    /// What the server announced in its answer to `initialize`.
    capabilities: Value,
}

impl Client {
    fn start() -> Client {
        Client::starting(None)
    }

    /// A client that keeps every message of the exchange, initialize included.
    fn recording() -> Client {
        Client::starting(Some(Vec::new()))
    }

    fn starting(transcript: Option<Vec<(&'static str, Value)>>) -> Client {
        let (child, stdin, stdout) = common::server(&["lsp", "--stdio"]);
        let mut client = Client {
            child,
            stdin,
            stdout,
            next_id: 0,
            transcript,
            capabilities: Value::Null,
        };
        let init = client.request("initialize", json!({ "capabilities": {} }));
        assert_eq!(init["capabilities"]["hoverProvider"], true, "{init}");
        client.capabilities = init["capabilities"].clone();
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
        if let Some(kept) = &mut self.transcript {
            kept.push(("-->", message));
        }
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut header = String::new();
            assert!(
                self.stdout.read_line(&mut header).unwrap() > 0,
                "server hung up"
            );
            let header = header.trim();
            if header.is_empty() {
                break;
            }
            if let Some(n) = header.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if let Some(kept) = &mut self.transcript {
            kept.push(("<--", message.clone()));
        }
        message
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result, skipping notifications that come first.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message["id"] == id && message.get("method").is_none() {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    /// The next diagnostics published for `version`.
    fn diagnostics(&mut self, version: i64) -> Vec<Value> {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
            {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn open(&mut self, text: &str) -> Vec<Value> {
        let document = json!({ "uri": URI, "languageId": "tune", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
        self.diagnostics(1)
    }

    fn change(&mut self, version: i64, text: &str) {
        let document = json!({ "uri": URI, "version": version });
        let changes = json!([{ "text": text }]);
        let params = json!({ "textDocument": document, "contentChanges": changes });
        self.notify("textDocument/didChange", params);
    }

    fn at(&mut self, method: &str, line: u32, character: u32) -> Value {
        let position = json!({ "line": line, "character": character });
        self.request(
            method,
            json!({ "textDocument": { "uri": URI }, "position": position }),
        )
    }

    /// Runs `command` on `arguments`: the edits the server asked the editor to apply
    /// (`workspace/applyEdit`, each answered "applied") and the command's result.
    fn execute(&mut self, command: &str, arguments: Value) -> (Vec<Value>, Value) {
        self.next_id += 1;
        let id = self.next_id;
        let params = json!({ "command": command, "arguments": arguments });
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
            "params": params });
        self.send(request);
        let mut asked = Vec::new();
        loop {
            let message = self.receive();
            if message["method"] == "workspace/applyEdit" {
                asked.push(message["params"]["edit"].clone());
                let applied = json!({ "applied": true });
                self.send(json!({ "jsonrpc": "2.0", "id": message["id"], "result": applied }));
            } else if message["id"] == id {
                return (asked, message);
            }
        }
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

/// The range of a diagnostic, an edit or a location, as (line, column, end line, end column).
fn range(d: &Value) -> (u64, u64, u64, u64) {
    lines_and_columns(&d["range"])
}

fn lines_and_columns(r: &Value) -> (u64, u64, u64, u64) {
    let n = |v: &Value| v.as_u64().unwrap();
    (
        n(&r["start"]["line"]),
        n(&r["start"]["character"]),
        n(&r["end"]["line"]),
        n(&r["end"]["character"]),
    )
}

const THREE_ERRORS: &str = "folk tuen, in F♯ minor\nmelody: fiddle, stepwize\nfolk tune, 16 barz\n";

#[test]
fn diagnostics_arrive_on_open_and_follow_every_change() {
    let mut client = Client::start();
    let found = client.open(THREE_ERRORS);
    let ranges: Vec<_> = found.iter().map(range).collect();
    assert_eq!(ranges, [(0, 5, 0, 9), (1, 16, 1, 24), (2, 14, 2, 18)]);
    assert_eq!(found[0]["code"], "E0101");
    assert_eq!(found[0]["severity"], 1);
    assert!(
        found[1]["message"]
            .as_str()
            .unwrap()
            .contains("hint: did you mean `stepwise`?")
    );
    client.change(2, &THREE_ERRORS.replace("tuen", "tune"));
    let found = client.diagnostics(2);
    let ranges: Vec<_> = found.iter().map(range).collect();
    assert_eq!(ranges, [(1, 16, 1, 24), (2, 14, 2, 18)]);
    client.stop();
}

#[test]
fn columns_are_counted_in_utf16_units() {
    let mut client = Client::start();
    // `𝄞` is two UTF-16 units: the bad word starts at column 22, not 21 (characters) or 24
    // (bytes).
    let found = client.open("# 𝄞\ntitle \"𝄞 song\", folk tuen\n");
    assert_eq!(
        found.iter().map(range).collect::<Vec<_>>(),
        [(1, 22, 1, 26)]
    );
    client.stop();
}

#[test]
fn a_conflict_between_lines_arrives_with_the_other_line_related() {
    let mut client = Client::start();
    let opened = client.open("folk tune, 4/4\nmelody: rhythm dotted quarters\n");
    assert!(opened.is_empty(), "reading finds nothing: {opened:?}");
    let found = client.diagnostics(1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "E0300");
    assert_eq!(range(&found[0]), (1, 8, 1, 30));
    let related = &found[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(range(&related["location"]), (0, 11, 0, 14));
    client.stop();
}

#[test]
fn hover_says_what_a_word_means_and_what_it_brought() {
    let mut client = Client::start();
    client.open("jig in G, 16 bars\nmelody: fiddle, range D4 to B5\n");
    let jig = client.at("textDocument/hover", 0, 1);
    let text = jig["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**jig**, style (soft)"), "{text}");
    for brought in [
        "piece meter: **6/8** (hard, preset jig)",
        "piece tempo",
        "piece form",
    ] {
        assert!(text.contains(brought), "{brought} in {text}");
    }
    assert!(text.contains("chords instrument"), "{text}");
    assert_eq!(range(&jig), (0, 0, 0, 3));
    let range_clause = client.at("textDocument/hover", 1, 18);
    let text = range_clause["contents"]["value"].as_str().unwrap();
    assert!(text.contains("melody range: **D4–B5** (hard"), "{text}");
    let nothing = client.at("textDocument/hover", 0, 3);
    assert!(
        nothing["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("jig")
    );
    client.stop();
}

fn labels(completion: &Value) -> Vec<String> {
    let items = completion.as_array().expect("a list of items");
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_what_fits_where_the_cursor_is() {
    let mut client = Client::start();
    client.open("jig in D \nmelody: \nchords: \nfolk tune, 16 \n");
    let modes = labels(&client.at("textDocument/completion", 0, 9));
    assert!(modes.contains(&"dorian".into()) && !modes.contains(&"fiddle".into()));
    let melody = labels(&client.at("textDocument/completion", 1, 8));
    for word in ["fiddle", "range", "mostly stepwise", "ends on"] {
        assert!(melody.contains(&word.to_string()), "{word} in {melody:?}");
    }
    let chords = labels(&client.at("textDocument/completion", 2, 8));
    assert!(chords.contains(&"strum".into()), "{chords:?}");
    let units = labels(&client.at("textDocument/completion", 3, 14));
    assert!(units.contains(&"bars".into()) && units.contains(&"bpm".into()));
    let start = labels(&client.at("textDocument/completion", 4, 0));
    assert!(start.contains(&"melody:".into()) && start.contains(&"jig".into()));
    client.stop();
}

#[test]
fn a_code_action_fixes_each_misspelling() {
    let mut client = Client::start();
    client.open(THREE_ERRORS);
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } });
    let params =
        json!({ "textDocument": { "uri": URI }, "range": whole, "context": { "diagnostics": [] } });
    let actions = client.request("textDocument/codeAction", params);
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Replace `tuen` with `tune`",
            "Replace `stepwize` with `stepwise`",
            "Replace `barz` with `bars`"
        ]
    );
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "tune");
    assert_eq!(range(edit), (0, 5, 0, 9));
    client.stop();
}

#[test]
fn the_canonical_program_is_an_explicit_source_action() {
    let mut client = Client::start();
    client.open("Write me a lively jig in G with an AABB form, for fiddle.\n");
    let start = json!({ "line": 0, "character": 0 });
    let params = json!({ "textDocument": { "uri": URI }, "range": { "start": start, "end": start },
        "context": { "diagnostics": [], "only": ["source"] } });
    let actions = client.request("textDocument/codeAction", params);
    let canonical = &actions[0];
    assert_eq!(canonical["kind"], "source.canonical");
    let text = canonical["edit"]["changes"][URI][0]["newText"]
        .as_str()
        .unwrap();
    assert_eq!(text, "lively jig tune, in G, form AABB\nmelody: violin\n");
    client.stop();
}

#[test]
fn the_canonical_program_is_an_explicit_command_the_editor_applies() {
    let mut client = Client::start();
    let commands = &client.capabilities["executeCommandProvider"]["commands"];
    assert_eq!(commands, &json!(["tunec.canonical"]));
    client.open("Write me a lively jig in G with an AABB form, for fiddle.\n");
    let (asked, answer) = client.execute("tunec.canonical", json!([URI]));
    assert_eq!(answer["result"], Value::Null, "{answer}");
    assert_eq!(asked.len(), 1, "one edit asked for: {asked:?}");
    let edit = &asked[0]["changes"][URI][0];
    assert_eq!(
        edit["newText"],
        "lively jig tune, in G, form AABB\nmelody: violin\n"
    );
    assert_eq!(range(edit), (0, 0, 1, 0));
    let canonical = "lively jig tune, in G, form AABB\nmelody: violin\n";
    client.change(2, canonical);
    client.diagnostics(2);
    let (asked, _) = client.execute("tunec.canonical", json!([URI]));
    assert!(asked.is_empty(), "already canonical: {asked:?}");
    let (_, unknown) = client.execute("tunec.format", json!([URI]));
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tunec.canonical"),
        "{unknown}"
    );
    let (_, closed) = client.execute("tunec.canonical", json!(["file:///tmp/other.tune"]));
    assert!(
        closed["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not open")
    );
    client.stop();
}

#[test]
fn symbols_outline_the_piece_parts_and_sections() {
    let mut client = Client::start();
    client.open("jig in G, form AABB\n# a comment\nmelody: fiddle\nsection B: louder\n");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["piece", "melody", "section B"]);
    assert_eq!(
        lines_and_columns(&symbols[1]["selectionRange"]),
        (2, 0, 2, 6)
    );
    client.stop();
}

/// A 32-bar, four-part program; its diagnostics must follow a change within 50 ms.
#[test]
fn diagnostics_for_a_32_bar_file_follow_a_change_quickly() {
    let program = "title \"The Kettle on the Hob\"\nlively jig in G major, form AABB, 32 bars\n\
                   melody: tin whistle, mostly stepwise, ends on the tonic\n\
                   section B: louder\nsection B melody: range D5 to E6\n";
    let mut client = Client::start();
    client.open(program);
    let mut times = Vec::new();
    for version in 2..22 {
        let typo = if version % 2 == 0 {
            "stepwize"
        } else {
            "stepwise"
        };
        let started = Instant::now();
        client.change(version, &program.replace("stepwise", typo));
        let found = client.diagnostics(version);
        times.push(started.elapsed());
        assert_eq!(found.len(), usize::from(version % 2 == 0), "{found:?}");
    }
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "diagnostics after a change: median {median:?}, slowest {:?}",
        times[times.len() - 1]
    );
    assert!(median < Duration::from_millis(50), "median {median:?}");
    client.stop();
}

/// A conflict found by composing a 32-bar, four-part program arrives from the worker within a
/// moment (under half a second in a debug build), after the reading's (empty) diagnostics.
#[test]
fn a_conflict_in_a_32_bar_file_arrives_from_the_worker() {
    let program = "jig in G major, form AABB, 32 bars\nmelody: range D4 to B5, ends on E6\n";
    let mut client = Client::start();
    let started = Instant::now();
    assert!(client.open(program).is_empty(), "reading finds nothing");
    let read = started.elapsed();
    let found = client.diagnostics(1);
    let composed = started.elapsed();
    eprintln!("32-bar conflict: read after {read:?}, conflict after {composed:?}");
    assert_eq!(found[0]["code"], "E0300", "{found:?}");
    assert!(composed < Duration::from_secs(5), "{composed:?}");
    client.stop();
}

#[test]
fn lsp_takes_no_arguments_but_stdio() {
    let out = Command::new(env!("CARGO_BIN_EXE_tunec"))
        .args(["lsp", "song.tune"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "error: `tunec lsp` takes no arguments (got `song.tune`)\n"
    );
}

/// The same conversation held by an outside client library: pygls' LanguageClient, from PyPI
/// (`.ci/run` installs it and sets `TUNEC_PYTHON`).
#[test]
#[ignore = "needs Python with pygls (pip install 'pygls>=2,<3'); .ci/run installs it"]
fn an_outside_client_library_holds_the_conversation() {
    let stdout = common::outside_client("lsp_client.py");
    assert!(stdout.contains("quick fix applied"), "{stdout}");
}

/// The VS Code extension names files that exist: its grammar, its language configuration
/// (with `#` comments) and its entry point, which starts `tunec lsp`.
#[test]
fn the_vscode_extension_names_files_that_exist() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).unwrap();
    let manifest: Value = serde_json::from_str(&read("package.json")).unwrap();
    let contributes = &manifest["contributes"];
    let grammar = contributes["grammars"][0]["path"].as_str().unwrap();
    let grammar: Value = serde_json::from_str(&read(grammar)).unwrap();
    assert_eq!(
        grammar["scopeName"],
        contributes["grammars"][0]["scopeName"]
    );
    let language = &contributes["languages"][0];
    assert_eq!(language["extensions"], json!([".tune"]));
    let configuration = language["configuration"].as_str().unwrap();
    let configuration: Value = serde_json::from_str(&read(configuration)).unwrap();
    assert_eq!(configuration["comments"]["lineComment"], "#");
    let main = read(manifest["main"].as_str().unwrap());
    assert!(
        main.contains(r#"args: ["lsp"]"#),
        "the client starts `tunec lsp`"
    );
}

/// Records a whole conversation, every message both ways, to docs/lsp-exchange.md: initialize,
/// a file with errors on three lines (three diagnostics), a fix (two), hover, completion, the
/// code actions, a quick fix applied (one), the last fix (none) and the canonical program as a
/// command. Checks each answer on the way, so the record is of a conversation that went right.
#[test]
#[ignore = "writes docs/lsp-exchange.md; run to refresh the recorded exchange"]
fn record_the_exchange_for_the_docs() {
    let mut client = Client::recording();
    assert_eq!(client.open(THREE_ERRORS).len(), 3);
    let fixed = THREE_ERRORS.replace("tuen", "tune");
    client.change(2, &fixed);
    assert_eq!(client.diagnostics(2).len(), 2);
    let hover = client.at("textDocument/hover", 1, 10);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("violin")
    );
    let completion = client.at("textDocument/completion", 1, 8);
    assert!(labels(&completion).contains(&"range".to_string()));
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } });
    let params =
        json!({ "textDocument": { "uri": URI }, "range": whole, "context": { "diagnostics": [] } });
    let actions = client.request("textDocument/codeAction", params);
    assert_eq!(actions[0]["title"], "Replace `stepwize` with `stepwise`");
    let fixed = fixed.replace("stepwize", "stepwise");
    client.change(3, &fixed);
    assert_eq!(client.diagnostics(3).len(), 1);
    client.change(4, &fixed.replace("barz", "bars"));
    assert!(client.diagnostics(4).is_empty());
    let (asked, _) = client.execute("tunec.canonical", json!([URI]));
    assert_eq!(asked.len(), 1);
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let transcript = client.transcript.take().unwrap();
    assert!(client.child.wait().unwrap().success());
    let page = common::transcript_page(
        "A recorded `tunec lsp` exchange",
        "tests/lsp.rs (`record_the_exchange_for_the_docs`)",
        &transcript,
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lsp-exchange.md");
    std::fs::write(path, page).unwrap();
}

/// docs/editors.md's Neovim 0.7 snippet, taken from the page as written, is the init of a
/// headless Neovim that opens a file with errors on three lines: tests/clients/neovim_check.lua
/// waits for the three diagnostics and, after a fix, two.
#[test]
#[ignore = "needs Neovim 0.7 or later (apt-get install neovim); .ci/run installs it"]
fn neovim_shows_the_diagnostics_of_the_readme_snippet() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/editors.md")).unwrap();
    let snippet = page
        .split("```lua\n")
        .map(|block| block.split("```").next().unwrap())
        .find(|block| block.contains("start_client"))
        .expect("docs/editors.md has the Neovim 0.7 snippet");
    let dir = common::folder_with("song.tune", THREE_ERRORS);
    std::fs::write(dir.path().join("init.lua"), snippet).unwrap();
    let binaries = std::path::Path::new(env!("CARGO_BIN_EXE_tunec"))
        .parent()
        .unwrap();
    let path = format!("{}:{}", binaries.display(), std::env::var("PATH").unwrap());
    let check = root.join("tests/clients/neovim_check.lua");
    let check = format!("luafile {}", check.display());
    let out = Command::new("timeout")
        .args([
            "60",
            "nvim",
            "--headless",
            "-u",
            "init.lua",
            "-c",
            &check,
            "song.tune",
        ])
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .expect("nvim runs");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("0:5-0:9 E0101") && said.contains("2:14-2:18 E0101"),
        "{said}"
    );
    assert!(said.contains("after the fix: 2 diagnostics"), "{said}");
}
