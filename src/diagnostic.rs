//! Compiler-style errors: a message, labelled spans of the source, and a hint, rendered once.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label as ReportLabel};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};

/// Byte offsets into the source, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// 1-based line number of the span's start in `source`.
    pub fn line(self, source: &str) -> usize {
        let end = self.start.min(source.len());
        source.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

/// One labelled place in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// An error in the user's program. The first label is the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub labels: Vec<Label>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            labels: Vec::new(),
            hint: None,
        }
    }

    /// An error pointing at one place.
    pub fn at(span: Span, message: impl Into<String>, label: impl Into<String>) -> Diagnostic {
        Diagnostic::new(message).label(span, label)
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Renders as `error: …`, `--> file:line:col`, the line, a caret, and the hint.
    pub fn render(&self, file_name: &str, source: &str) -> String {
        let source = &*crate::syntax::unify_line_ends(source);
        let clamp = |span: Span| {
            let mut start = span.start.min(source.len());
            while !source.is_char_boundary(start) {
                start -= 1;
            }
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
                let label = if i == 0 {
                    ReportLabel::primary((), range)
                } else {
                    ReportLabel::secondary((), range)
                };
                label.with_message(printable(&self.labels[i].message))
            })
            .collect();
        let report = Report::error()
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
            .unwrap_or_else(|_| format!("error: {}\n", self.message))
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
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
            Span::new(18, 26),
            "unknown word `stepwize`",
            "not a word tunec knows",
        )
        .hint("did you mean `stepwise`?")
        .render("song.tune", source);
        assert!(
            text.starts_with("error: unknown word `stepwize`\n"),
            "{text}"
        );
        assert!(text.contains("--> song.tune:2:9"), "{text}");
        assert!(text.contains("^^^^^^^^"), "{text}");
        assert!(text.contains("= hint: did you mean `stepwise`?"), "{text}");
        assert_eq!(Span::new(18, 26).line(source), 2);
    }
}
