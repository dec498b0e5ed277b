//! The source as an error shows it: control characters made harmless, enormous lines cut
//! around the caret, byte offsets mapped so that carets still line up.

use codespan_reporting::files::SimpleFile;

/// `text` with its control characters (ESC, BEL…) written as `\u{1b}`, so that an error never
/// sends them to the terminal; line breaks stay.
pub(super) fn printable(text: &str) -> String {
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
pub(super) struct Shown<'s> {
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
    pub(super) fn new(name: &'s str, source: &'s str, focus: &[usize]) -> Shown<'s> {
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
    pub(super) fn shown(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
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
