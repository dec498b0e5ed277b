//! `tunec mcp` spoken to over pipes as an agent's client does: newline-delimited JSON-RPC, the
//! handshake, the tool list with its schemas, and the tools' results (tests/clients/mcp_client.py
//! does the same with the official MCP Python SDK).

#![cfg(feature = "mcp")]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
    /// Every message sent (`-->`) and received (`<--`), when recording the exchange.
    transcript: Option<Vec<(&'static str, Value)>>,
}

impl Client {
    fn start() -> Client {
        Client::starting(None)
    }

    fn starting(transcript: Option<Vec<(&'static str, Value)>>) -> Client {
        let (child, stdin, stdout) = common::server(&["mcp"]);
        let mut client = Client {
            child,
            stdin: Some(stdin),
            stdout,
            next_id: 0,
            transcript,
        };
        let params = json!({
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": { "name": "tests/mcp.rs", "version": "1" }
        });
        let init = client.request("initialize", params);
        assert_eq!(init["serverInfo"]["name"], "tunec", "{init}");
        assert!(init["instructions"].as_str().unwrap().contains("`check`"));
        client.send(json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        client
    }

    fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
        if let Some(kept) = &mut self.transcript {
            kept.push(("-->", message));
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "server hung up"
            );
            let message: Value = serde_json::from_str(&line).unwrap();
            if let Some(kept) = &mut self.transcript {
                kept.push(("<--", message.clone()));
            }
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        self.request(
            "tools/call",
            json!({ "name": tool, "arguments": arguments }),
        )
    }

    /// Hangs up, as a client does; the server ends with status 0.
    fn stop(mut self) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn text(result: &Value, index: usize) -> &str {
    result["content"][index]["text"].as_str().unwrap()
}

#[test]
fn the_tools_are_listed_with_schemas_and_descriptions() {
    let mut client = Client::start();
    let list = client.request("tools/list", json!({}));
    let tools = list["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["check", "compose", "vocabulary"]);
    let compose = &tools[1];
    assert!(
        compose["description"]
            .as_str()
            .unwrap()
            .contains("canonical")
    );
    let properties = &compose["inputSchema"]["properties"];
    for p in ["source", "seed", "formats", "output_dir", "name"] {
        assert!(
            properties[p]["description"].is_string(),
            "{p}: {properties}"
        );
    }
    assert_eq!(compose["inputSchema"]["required"], json!(["source"]));
    client.stop();
}

#[test]
fn compose_gives_the_text_forms_and_the_files() {
    let mut client = Client::start();
    let source = "jig in G major, 16 bars\nmelody: fiddle, ends on the tonic";
    let args = json!({ "source": source, "seed": 7, "formats": ["midi", "musicxml"] });
    let result = client.call("compose", args);
    assert_eq!(result["isError"], false, "{result}");
    let expected = tunec::compile(source, &tunec::Options::new().seed(7).name("tune")).unwrap();
    assert_eq!(text(&result, 0), expected.summary());
    let tune = String::from_utf8(expected.render(tunec::Format::Tune).unwrap()).unwrap();
    assert_eq!(text(&result, 1), format!("canonical program:\n{tune}"));
    let abc = String::from_utf8(expected.render(tunec::Format::Abc).unwrap()).unwrap();
    assert_eq!(text(&result, 2), abc);
    assert!(text(&result, 3).contains("preset jig"));
    let midi = &result["content"][4]["resource"];
    assert_eq!(midi["mimeType"], "audio/midi");
    assert_eq!(midi["uri"], "tunec:///tune.mid");
    assert!(
        midi["blob"].as_str().unwrap().starts_with("TVRoZ"),
        "base64 of MThd"
    );
    let xml = &result["content"][5]["resource"];
    assert!(xml["text"].as_str().unwrap().contains("<score-partwise"));
    client.stop();
}

#[test]
fn compose_writes_the_files_into_the_folder_named() {
    let folder = tempfile::tempdir().unwrap();
    let mut client = Client::start();
    let args = json!({ "source": "folk tune, 8 bars", "output_dir": folder.path(), "name": "air" });
    let result = client.call("compose", args);
    let path = folder.path().join("air.mid");
    assert_eq!(text(&result, 4), format!("wrote {}", path.display()));
    assert!(std::fs::read(&path).unwrap().starts_with(b"MThd"));
    let bad = client.call("compose", json!({ "source": "folk tune", "name": "../x" }));
    assert_eq!(bad["isError"], true);
    assert!(text(&bad, 0).starts_with("error: `name` must be"), "{bad}");
    client.stop();
}

#[test]
fn a_broken_prompt_comes_back_flagged_with_its_diagnostics() {
    let mut client = Client::start();
    for tool in ["check", "compose"] {
        let result = client.call(
            tool,
            json!({ "source": "folk tuen\nmelody: fiddle, stepwize" }),
        );
        assert_eq!(result["isError"], true, "{result}");
        let report: Value = serde_json::from_str(text(&result, 0)).unwrap();
        assert_eq!(
            result["structuredContent"], report,
            "the same report, structured"
        );
        assert_eq!(report["ok"], false);
        let first = &report["diagnostics"][0];
        assert_eq!(
            (first["code"].as_str(), first["line"].as_u64()),
            (Some("E0101"), Some(1))
        );
        assert_eq!(first["hint"], "did you mean `tune`?");
        assert_eq!(report["diagnostics"][1]["column"], 17);
        assert!(
            text(&result, 1).contains("--> tune.tune:2:17"),
            "{}",
            text(&result, 1)
        );
    }
    let conflict = client.call(
        "check",
        json!({ "source": "folk tune, 4/4\nmelody: rhythm dotted quarters" }),
    );
    let report: Value = serde_json::from_str(text(&conflict, 0)).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "E0300");
    assert_eq!(
        report["diagnostics"][0]["labels"][1]["line"], 1,
        "the other line of the conflict"
    );
    let fine = client.call("check", json!({ "source": "folk tune" }));
    assert_eq!(fine["isError"], false);
    assert_eq!(fine["structuredContent"]["ok"], true);
    client.stop();
}

#[test]
fn vocabulary_lists_words_by_kind() {
    let mut client = Client::start();
    let styles: Value = serde_json::from_str(text(
        &client.call("vocabulary", json!({ "kind": "style" })),
        0,
    ))
    .unwrap();
    let jig = styles
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["word"] == "jig")
        .unwrap();
    assert_eq!(jig["strength"], "soft");
    assert_eq!(jig["lines"], json!(["piece"]));
    let all: Value = serde_json::from_str(text(&client.call("vocabulary", json!({})), 0)).unwrap();
    let kinds: std::collections::BTreeSet<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains("instrument") && kinds.contains("clause") && kinds.contains("mood"));
    let none = client.call("vocabulary", json!({ "kind": "kazoo" }));
    assert_eq!(none["isError"], true);
    client.stop();
}

/// The same conversation held by the official MCP Python SDK (`.ci/run` installs it and sets
/// `TUNEC_PYTHON`).
#[test]
#[ignore = "needs Python with the MCP SDK (pip install 'mcp>=2.3,<3'); .ci/run installs it"]
fn the_official_python_sdk_holds_the_conversation() {
    let stdout = common::outside_client("mcp_client.py");
    assert!(stdout.contains("vocabulary of modes"), "{stdout}");
}

/// Records a whole conversation, every message both ways, to docs/mcp-exchange.md: the
/// handshake, the tool list, a prompt composed, a broken prompt's diagnostics and the fixed
/// prompt checked. Checks each answer on the way.
#[test]
#[ignore = "writes docs/mcp-exchange.md; run to refresh the recorded exchange"]
fn record_the_exchange_for_the_docs() {
    let mut client = Client::starting(Some(Vec::new()));
    let list = client.request("tools/list", json!({}));
    assert_eq!(list["tools"].as_array().unwrap().len(), 3);
    let source = "jig in G major, 16 bars\nmelody: fiddle, ends on the tonic";
    let composed = client.call("compose", json!({ "source": source, "seed": 7 }));
    assert_eq!(composed["isError"], false);
    let broken = "jig in G major, 16 barz\nmelody: fidle, ends on the tonic";
    let checked = client.call("check", json!({ "source": broken }));
    assert_eq!(
        checked["structuredContent"]["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let fixed = client.call(
        "check",
        json!({ "source": broken.replace("fidle", "fiddle").replace("barz", "bars") }),
    );
    assert_eq!(fixed["structuredContent"]["ok"], true);
    let transcript = client.transcript.take().unwrap();
    client.stop();
    let page = common::transcript_page(
        "A recorded `tunec mcp` exchange",
        "tests/mcp.rs (`record_the_exchange_for_the_docs`)",
        &transcript,
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/mcp-exchange.md");
    std::fs::write(path, page).unwrap();
}
