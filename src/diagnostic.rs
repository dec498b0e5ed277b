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
        let file = SimpleFile::new(file_name, source);
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
        let labels = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let range = clamp(label.span);
                let label = if i == 0 {
                    ReportLabel::primary((), range)
                } else {
                    ReportLabel::secondary((), range)
                };
                label.with_message(&self.labels[i].message)
            })
            .collect();
        let report = Report::error()
            .with_message(&self.message)
            .with_labels(labels)
            .with_notes(self.hint.iter().map(|h| format!("hint: {h}")).collect());
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        term::emit_into_string(&config, &file, &report)
            .unwrap_or_else(|_| format!("error: {}\n", self.message))
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
