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
    pub fn at(
        code: Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, message).label(span, label)
    }

    /// Adds a labelled place.
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
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
        if self.labels.is_empty() {
            return self.render_unplaced();
        }
        let source = &*crate::syntax::unify_line_ends(source);
        let clamp = |span: Span| {
            let start = floor_char_boundary(source, span.start);
            let mut end = span.end.clamp(start, source.len());
            while !source.is_char_boundary(end) {
                end += 1;
            }
            start..end
        };
        let ranges: Vec<_> = self.labels.iter().map(|l| clamp(l.span)).collect();
        let starts: Vec<usize> = ranges.iter().map(|r| r.start).collect();
        let file = Shown::new(file_name, source, &starts);
        let labels = ranges
            .into_iter()
            .enumerate()
            .map(|(i, range)| {
                let range = file.shown(range);
                let style = if i == 0 {
                    ReportLabel::primary((), range)
                } else {
                    ReportLabel::secondary((), range)
                };
                style.with_message(printable(&self.labels[i].message))
            })
            .collect();
        let report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let report = report
            .with_code(self.code.as_str())
            .with_message(printable(&self.message))
            .with_labels(labels)
            .with_notes(
                self.hint
                    .iter()
                    .map(|h| printable(&format!("hint: {h}")))
                    .collect(),
            );
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        term::emit_into_string(&config, &file, &report)
            .unwrap_or_else(|_| format!("error[{}]: {}\n", self.code.as_str(), self.message))
    }
}

impl Diagnostic {
    /// `error[E0004]: …` and the hint, for a problem with no place in the source.
    fn render_unplaced(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{severity}[{}]: {}\n",
            self.code.as_str(),
            printable(&self.message)
        );
        if let Some(hint) = &self.hint {
            out += &format!("  = hint: {}\n", printable(hint));
        }
        out
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

/// `text` with its control characters (ESC, BEL…) written as `\u{1b}`, so that an error never
/// sends them to the terminal; line breaks stay.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => c.to_string(),
            c if is_unprintable(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Characters a terminal would act on rather than show: controls, and the marks that reorder
/// text (bidirectional overrides and isolates).
fn is_unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The longest source line shown under an error, in characters; a longer one is cut around its
/// label.
const SHOWN_LINE: usize = 100;
/// How many characters a cut line keeps before its label.
const SHOWN_BEFORE: usize = 30;

/// The source as shown under an error: unprintable characters as `�` and enormous lines cut
/// around their label with `…`. Labels are moved with `shown`; the `-->` location is still the
/// line and column in the source.
struct Shown<'s> {
    source: SimpleFile<&'s str, &'s str>,
    file: SimpleFile<&'s str, String>,
    pieces: Vec<Piece>,
}

/// A stretch of the source and the stretch of the shown text it became.
struct Piece {
    source: std::ops::Range<usize>,
    shown: std::ops::Range<usize>,
    kind: Kind,
}

/// How a piece is shown: the same bytes, one character replaced by `�`, or a cut run as `…`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Same,
    Replaced,
    Cut,
}

impl<'s> Shown<'s> {
    /// `focus`: where the labels start, so that a cut line keeps them in view.
    fn new(name: &'s str, source: &'s str, focus: &[usize]) -> Shown<'s> {
        let mut text = String::with_capacity(source.len());
        let mut pieces = Vec::new();
        let mut at = 0;
        for line in source.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']).len();
            let window = window(&line[..content], at, focus);
            for (i, c) in line.char_indices() {
                let kind = match c {
                    _ if i >= content => Kind::Same,
                    _ if !window.contains(&i) => Kind::Cut,
                    c if is_unprintable(c) => Kind::Replaced,
                    _ => Kind::Same,
                };
                let bytes = at + i..at + i + c.len_utf8();
                push(
                    &mut text,
                    &mut pieces,
                    bytes,
                    &source[at + i..][..c.len_utf8()],
                    kind,
                );
            }
            at += line.len();
        }
        Shown {
            source: SimpleFile::new(name, source),
            file: SimpleFile::new(name, text),
            pieces,
        }
    }

    /// Where the source's `range` is in the shown text; a label on a cut run covers its `…`.
    fn shown(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        // The piece holding the range's first byte, and the one holding its last byte.
        let first = self.pieces.partition_point(|p| p.source.end <= range.start);
        let last = self.pieces.partition_point(|p| p.source.end < range.end);
        let start = self
            .pieces
            .get(first)
            .map_or(self.file.source().len(), |p| match p.kind {
                Kind::Same => p.shown.start + range.start - p.source.start,
                _ => p.shown.start,
            });
        let end = match self.pieces.get(last) {
            _ if range.end <= range.start => start,
            Some(p) if p.kind == Kind::Same => p.shown.start + range.end - p.source.start,
            Some(p) => p.shown.end,
            None => self.file.source().len(),
        };
        start..end
    }

    /// Where the shown text's `offset` came from in the source.
    fn source_offset(&self, offset: usize) -> usize {
        let at = self.pieces.partition_point(|p| p.shown.end <= offset);
        self.pieces
            .get(at)
            .map_or(self.source.source().len(), |p| match p.kind {
                Kind::Same => p.source.start + offset - p.shown.start,
                _ => p.source.start,
            })
    }
}

/// Appends the source's `bytes`, whose text is `same`, shown as `kind` says; a cut run joins
/// the cut before it, so that it shows one `…`.
fn push(
    text: &mut String,
    pieces: &mut Vec<Piece>,
    bytes: std::ops::Range<usize>,
    same: &str,
    kind: Kind,
) {
    let shown = match kind {
        Kind::Same => same,
        Kind::Replaced => "\u{fffd}",
        Kind::Cut => "…",
    };
    match pieces.last_mut() {
        Some(last) if last.kind == kind && kind != Kind::Replaced => {
            last.source.end = bytes.end;
            if kind == Kind::Same {
                text.push_str(shown);
                last.shown.end = text.len();
            }
        }
        _ => {
            let start = text.len();
            text.push_str(shown);
            pieces.push(Piece {
                source: bytes,
                shown: start..text.len(),
                kind,
            });
        }
    }
}

/// The byte range of `line` (without its line end, starting at `at` in the source) that is
/// shown: all of it when short, else `SHOWN_LINE` characters from a little before the first
/// label that starts in it.
fn window(line: &str, at: usize, focus: &[usize]) -> std::ops::Range<usize> {
    let count = line.chars().count();
    if count <= SHOWN_LINE {
        return 0..line.len();
    }
    let focus = focus
        .iter()
        .find(|&&f| (at..=at + line.len()).contains(&f))
        .map_or(0, |f| f - at);
    let first = (line[..focus].chars().count())
        .saturating_sub(SHOWN_BEFORE)
        .min(count - SHOWN_LINE);
    let byte = |n: usize| line.char_indices().nth(n).map_or(line.len(), |(i, _)| i);
    byte(first)..byte(first + SHOWN_LINE)
}

impl<'a, 's: 'a> codespan_reporting::files::Files<'a> for Shown<'s> {
    type FileId = ();
    type Name = &'s str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'s str, codespan_reporting::files::Error> {
        Ok(*self.file.name())
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.file.source())
    }

    fn line_index(&'a self, (): (), at: usize) -> Result<usize, codespan_reporting::files::Error> {
        self.file.line_index((), at)
    }

    fn line_range(
        &'a self,
        (): (),
        line: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.file.line_range((), line)
    }

    /// The `-->` line and column are the source's, whatever was replaced or cut.
    fn location(
        &'a self,
        (): (),
        at: usize,
    ) -> Result<codespan_reporting::files::Location, codespan_reporting::files::Error> {
        self.source.location((), self.source_offset(at))
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
    let length = word.chars().count();
    let limit = (length / 3).max(1);
    known
        .into_iter()
        // Words further apart in length than the limit are too far apart; skipping them keeps
        // an enormous word from costing minutes.
        .filter(|k| k.chars().count().abs_diff(length) <= limit)
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
