//! Compiler-style errors as data: a stable code, a message, labelled spans of the source and a
//! hint; rendered once, for people (`error[E0101]: …` with a caret) or for tools (JSON).

mod code;
mod json;
mod shown;
mod suggest;

use std::fmt;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label as ReportLabel};
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

pub use code::Code;
use shown::{Shown, printable};
pub(crate) use suggest::suggest;

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
        let source = &*crate::source::unify_line_ends(source);
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
            // Stored as every stage reads it, so that the text and JSON forms count lines alike;
            // not at all when nothing points into it (a 100 MB program that is too large).
            source: match items.iter().any(|d| !d.labels.is_empty()) {
                true => crate::source::unify_line_ends(source).into_owned(),
                false => String::new(),
            },
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

#[cfg(test)]
mod tests {
    use super::*;

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
