//! What the MCP tools do, over the library's front door: their requests (whose doc comments
//! are the JSON schema's descriptions) and the results they give back.

use std::path::Path;

use base64::Engine;
use rmcp::model::{CallToolResult, ContentBlock, ResourceContents};
use rmcp::schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::vocabulary::{self, Kind, Word};
use crate::{Compiled, Diagnostics, Format, Options, Program};

/// The arguments of `compose`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub(crate) struct ComposeRequest {
    /// The tunec program: one prompt per line, for example
    /// "jig in G major, 16 bars\nmelody: fiddle, mostly stepwise, ends on the tonic".
    pub source: String,
    /// The composer's seed (default: the program's `seed` clause, else 0). The same program
    /// and seed always give byte-identical music; another seed gives another tune.
    #[serde(default)]
    pub seed: Option<u64>,
    /// The files to return besides the text: "midi" and/or "musicxml" (default ["midi"]).
    #[serde(default)]
    pub formats: Option<Vec<FileFormat>>,
    /// A folder (it must exist) to write the files into, as NAME.mid and NAME.musicxml,
    /// instead of embedding them in the result.
    #[serde(default)]
    pub output_dir: Option<String>,
    /// The files' name without extension (default "tune"); the title when the program has no
    /// `title` clause. Letters, digits, `-` and `_` only.
    #[serde(default)]
    pub name: Option<String>,
}

/// A file `compose` can return.
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "lowercase")]
pub(crate) enum FileFormat {
    /// A Standard MIDI File (format 1), one track per part.
    Midi,
    /// MusicXML 4.0, for notation programs.
    Musicxml,
}

/// The arguments of `check`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub(crate) struct CheckRequest {
    /// The tunec program to check.
    pub source: String,
    /// The seed to compose with while checking (default: the program's, else 0).
    #[serde(default)]
    pub seed: Option<u64>,
}

/// The arguments of `vocabulary`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub(crate) struct VocabularyRequest {
    /// Which words: "style", "mood", "instrument", "clause", "mode", "pattern", "drum",
    /// "part", "section", "tempo" or "all" (the default).
    #[serde(default)]
    pub kind: Option<String>,
}

/// `compose`: the summary, the canonical program, the ABC, the plan and the files.
pub(crate) fn compose(request: &ComposeRequest) -> CallToolResult {
    let name = request.name.as_deref().unwrap_or("tune");
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    {
        return refused(format!(
            "`name` must be letters, digits, - and _ only (got {name:?})"
        ));
    }
    let compiled = match composed(&request.source, request.seed, name) {
        Ok(compiled) => compiled,
        Err(diagnostics) => return failed(&diagnostics),
    };
    let mut content = vec![ContentBlock::text(compiled.summary())];
    for (format, heading) in [
        (Format::Tune, "canonical program:\n"),
        (Format::Abc, ""),
        (Format::Plan, ""),
    ] {
        match compiled.render(format) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                content.push(ContentBlock::text(format!("{heading}{text}")));
            }
            Err(diagnostics) => return failed(&diagnostics),
        }
    }
    let formats = request.formats.clone().unwrap_or(vec![FileFormat::Midi]);
    for format in formats {
        match file(&compiled, format, name, request.output_dir.as_deref()) {
            Ok(block) => content.push(block),
            Err(message) => return refused(message),
        }
    }
    CallToolResult::success(content)
}

/// Reads, composes and verifies `source`, named `name`.
fn composed(source: &str, seed: Option<u64>, name: &str) -> Result<Compiled, Diagnostics> {
    let options = Options::new().name(name).file_name(format!("{name}.tune"));
    let options = match seed {
        Some(seed) => options.seed(seed),
        None => options,
    };
    let program = Program::read(source, &options)?;
    program.compose(program.seed())
}

/// One file of the piece: embedded, or written into `folder` and named.
fn file(
    compiled: &Compiled,
    format: FileFormat,
    name: &str,
    folder: Option<&str>,
) -> Result<ContentBlock, String> {
    let (format, mime) = match format {
        FileFormat::Midi => (Format::Midi, "audio/midi"),
        FileFormat::Musicxml => (Format::MusicXml, "application/vnd.recordare.musicxml+xml"),
    };
    let file_name = format!("{name}.{}", format.extension());
    let bytes = compiled.render(format).map_err(|d| d.to_string())?;
    let Some(folder) = folder else {
        let uri = format!("tunec:///{file_name}");
        let contents = match format {
            Format::Midi => {
                let blob = base64::engine::general_purpose::STANDARD.encode(&bytes);
                ResourceContents::blob(blob, uri)
            }
            _ => ResourceContents::text(String::from_utf8_lossy(&bytes), uri),
        };
        return Ok(ContentBlock::resource(contents.with_mime_type(mime)));
    };
    let path = Path::new(folder).join(&file_name);
    write_whole(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(ContentBlock::text(format!("wrote {}", path.display())))
}

/// Writes `bytes` to a temporary file beside `path`, then moves it there: never half a file.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `check`: whether the program composes, and every diagnostic, as structured content (and the
/// same JSON as text, for clients that read only text).
pub(crate) fn check(request: &CheckRequest) -> CallToolResult {
    match composed(&request.source, request.seed, "tune") {
        Ok(compiled) => {
            let report = json!({ "ok": true, "summary": compiled.summary(), "diagnostics": [] });
            CallToolResult::structured(report)
        }
        Err(diagnostics) => failed(&diagnostics),
    }
}

/// A program with errors: flagged as an error, with the diagnostics as JSON and as a compiler
/// shows them.
fn failed(diagnostics: &Diagnostics) -> CallToolResult {
    let list: Value = serde_json::from_str(&diagnostics.to_json()).unwrap_or(Value::Null);
    let report = json!({ "ok": false, "summary": Value::Null, "diagnostics": list });
    let mut result = CallToolResult::structured_error(report);
    result
        .content
        .push(ContentBlock::text(diagnostics.to_string()));
    result
}

/// A request that cannot be carried out as asked (a bad name, a folder that cannot be written).
fn refused(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(format!("error: {message}"))])
}

/// `vocabulary`: the words of one kind, or all but the glue words, as JSON.
pub(crate) fn vocabulary(request: &VocabularyRequest) -> CallToolResult {
    let wanted = request.kind.as_deref().unwrap_or("all").to_lowercase();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut list = Vec::new();
    for word in vocabulary::words() {
        let Some(kind) = group(word.kind) else {
            continue;
        };
        if (wanted != "all" && wanted != kind) || seen.contains(&(word.text, kind)) {
            continue;
        }
        seen.push((word.text, kind));
        list.push(json!({
            "word": word.text,
            "kind": kind,
            "meaning": word.meaning,
            "usage": word.usage,
            "strength": word.strength.map(|s| s.name()),
            "lines": lines(&word),
        }));
    }
    if list.is_empty() {
        return refused(format!(
            "no words of kind {wanted:?}; see the tool's description"
        ));
    }
    CallToolResult::success(vec![ContentBlock::text(Value::Array(list).to_string())])
}

/// The kind a word is listed under; none for the glue words of English sentences.
fn group(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Style | Kind::Noun | Kind::Genre => "style",
        Kind::Mood | Kind::MoodWord(_) => "mood",
        Kind::Instrument | Kind::Ensemble => "instrument",
        Kind::Keyword
        | Kind::Unit
        | Kind::Switch(_)
        | Kind::Dynamic
        | Kind::Density(_)
        | Kind::Contour(_)
        | Kind::Target
        | Kind::Cadence
        | Kind::Duration
        | Kind::Interval
        | Kind::Length(_) => "clause",
        Kind::Mode => "mode",
        Kind::ChordPattern | Kind::BassPattern => "pattern",
        Kind::Drum => "drum",
        Kind::Part | Kind::PartNoun(_) => "part",
        Kind::Section | Kind::Loudness(_) => "section",
        Kind::Tempo(..) => "tempo",
        Kind::Joiner | Kind::Phrasing | Kind::Skip | Kind::Count | Kind::Refused(_) => return None,
    })
}

/// The lines a word may stand on.
fn lines(word: &Word) -> Vec<&'static str> {
    let mut out = Vec::new();
    if word.places.piece() {
        out.push("piece");
    }
    for role in crate::parts::PartRole::ALL {
        if word.places.part(role) {
            out.push(role.name());
        }
    }
    if word.places.section() {
        out.push("section");
    }
    out
}
