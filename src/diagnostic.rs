//! Compiler-style errors as data: a stable code, a message, labelled spans of the source and a
//! hint; rendered once, for people (`error[E0101]: …` with a caret) or for tools (JSON).

mod code;

use std::fmt;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label as ReportLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

pub use code::Code;

/// Byte offsets into the source, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// 1-based line number of the span's start in `source`.
    pub fn line(self, source: &str) -> usize {
        Position::of(source, self.start).line
    }
}

/// A place in the source as people count: 1-based line, and 1-based column in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column in Unicode scalar values, from 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` (clamped to the source and to a character boundary).
    pub fn of(source: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(source, offset);
        let before = &source[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut at = offset.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The program cannot be compiled.
    Error,
    /// The program compiles, but probably not as meant.
    Warning,
}

/// One labelled place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there, in a few words.
    pub message: String,
}

/// One problem with the user's program. The first label is the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// What kind of problem it is; stable across versions (docs/errors.md lists them).
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// The places in the source it is about; the first is the primary one.
    pub labels: Vec<Label>,
    /// How to fix it, when tunec knows.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with no place in the source (yet).
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            hint: None,
        }
    }

    /// An error pointing at one place.
    pub(crate) fn at(
        code: Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, message).label(span, label)
    }

    /// Adds a labelled place.
    pub(crate) fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds the hint.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// An error in tunec itself, never in the input.
    pub(crate) fn internal(message: impl fmt::Display) -> Diagnostic {
        Diagnostic::new(Code::Internal, format!("internal error: {message}"))
            .hint("this is a bug in tunec; please report it with the input file")
    }

    /// Renders as `error[E0101]: …`, `--> file:line:col`, the line, a caret, and the hint.
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let file = SimpleFile::new(file_name, source);
        let clamp = |span: Span| {
            let start = floor_char_boundary(source, span.start);
            let mut end = span.end.clamp(start, source.len());
            while !source.is_char_boundary(end) {
                end += 1;
            }
            start..end
        };
        let labels = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let range = clamp(label.span);
                let style = if i == 0 {
                    ReportLabel::primary((), range)
                } else {
                    ReportLabel::secondary((), range)
                };
                style.with_message(&label.message)
            })
            .collect();
        let report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let report = report
            .with_code(self.code.as_str())
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(self.hint.iter().map(|h| format!("hint: {h}")).collect());
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        term::emit_into_string(&config, &file, &report)
            .unwrap_or_else(|_| format!("error[{}]: {}\n", self.code.as_str(), self.message))
    }
}

/// Every problem found in one program, with the source they point into, so that they can be
/// shown on their own: `Display` renders them as a compiler does, [`Diagnostics::to_json`] for
/// tools.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics {
    file_name: String,
    source: String,
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// `items` about `source`, read from the file called `file_name` in messages.
    pub fn new(file_name: &str, source: &str, items: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics {
            file_name: file_name.to_string(),
            source: source.to_string(),
            items,
        }
    }

    /// One problem that has no place in a source file (a file that cannot be read).
    pub fn single(file_name: &str, diagnostic: Diagnostic) -> Diagnostics {
        Diagnostics::new(file_name, "", vec![diagnostic])
    }

    /// The diagnostics, in source order of their primary label.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.items.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The file name used in messages.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The source the spans point into.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether any of them is about tunec itself rather than the input.
    pub fn is_internal(&self) -> bool {
        self.items.iter().any(|d| d.code == Code::Internal)
    }

    /// A JSON array, one object per diagnostic: code, severity, message, file, line, column,
    /// end_line, end_column (of the primary label; 1-based, columns in characters), labels
    /// (each with its message and the same positions) and hint.
    pub fn to_json(&self) -> String {
        let items: Vec<JsonDiagnostic> = self.items.iter().map(|d| self.json(d)).collect();
        serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()) + "\n"
    }

    fn json<'a>(&'a self, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
        let labels: Vec<JsonLabel> = d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                start: Position::of(&self.source, l.span.start),
                end: Position::of(&self.source, l.span.end),
            })
            .collect();
        let primary = labels.first().map(|l| (l.start, l.end));
        JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity,
            message: &d.message,
            file: &self.file_name,
            line: primary.map(|p| p.0.line),
            column: primary.map(|p| p.0.column),
            end_line: primary.map(|p| p.1.line),
            end_column: primary.map(|p| p.1.column),
            labels,
            hint: d.hint.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    labels: Vec<JsonLabel<'a>>,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten, serialize_with = "start")]
    start: Position,
    #[serde(flatten, serialize_with = "end")]
    end: Position,
}

fn start<S: serde::Serializer>(p: &Position, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("line", &p.line)?;
    map.serialize_entry("column", &p.column)?;
    map.end()
}

fn end<S: serde::Serializer>(p: &Position, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("end_line", &p.line)?;
    map.serialize_entry("end_column", &p.column)?;
    map.end()
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            f.write_str(&d.render(&self.file_name, &self.source))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Edit distance counting a swap of two neighbouring letters as one edit (`tuen` → `tune`),
/// for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    known
        .into_iter()
        .map(|k| (edit_distance(&word, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("stepwize", ["stepwise", "range"]), Some("stepwise"));
        assert_eq!(suggest("xylophonic", ["stepwise", "range"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("tuen", "tune"), 1);
    }

    #[test]
    fn renders_like_a_compiler() {
        let source = "folk tune\nmelody: stepwize\n";
        let text = Diagnostic::at(
            Code::UnknownWord,
            Span::new(18, 26),
            "unknown word `stepwize`",
            "not a word tunec knows",
        )
        .hint("did you mean `stepwise`?")
        .render("song.tune", source);
        assert!(
            text.starts_with("error[E0101]: unknown word `stepwize`\n"),
            "{text}"
        );
        assert!(text.contains("--> song.tune:2:9"), "{text}");
        assert!(text.contains("^^^^^^^^"), "{text}");
        assert!(text.contains("= hint: did you mean `stepwise`?"), "{text}");
        assert_eq!(Span::new(18, 26).line(source), 2);
    }

    #[test]
    fn positions_count_lines_and_characters() {
        let source = "ab\nçd é\n";
        assert_eq!(Position::of(source, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::of(source, 3), Position { line: 2, column: 1 });
        // `é` starts at byte 7, after the two-byte `ç`: the 4th character of line 2.
        assert_eq!(Position::of(source, 7), Position { line: 2, column: 4 });
        assert_eq!(Position::of(source, 8), Position { line: 2, column: 4 });
        assert_eq!(Position::of(source, 99), Position { line: 3, column: 1 });
    }

    #[test]
    fn json_has_every_field() {
        let source = "folk tune\nmelody: stepwize\n";
        let d = Diagnostic::at(Code::UnknownWord, Span::new(18, 26), "unknown word", "here")
            .hint("did you mean `stepwise`?");
        let json = Diagnostics::new("song.tune", source, vec![d]).to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let d = &value[0];
        assert_eq!(d["code"], "E0101");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["file"], "song.tune");
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(2), Some(9))
        );
        assert_eq!(d["end_column"], 17);
        assert_eq!(d["labels"][0]["end_line"], 2);
        assert_eq!(d["hint"], "did you mean `stepwise`?");
    }
}
