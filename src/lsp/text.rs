//! Places in a document as the protocol counts them: lines, and columns in UTF-16 code units,
//! to and from the byte offsets tunec's spans hold.

use lsp_types::{Position, Range};

use crate::Span;

/// Where each line of a text starts; a line ends at `\n`, `\r\n` or a lone `\r`, as LSP says.
#[derive(Clone, Debug)]
pub(super) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn of(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let lone_return = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if b == b'\n' || lone_return {
                starts.push(i + 1);
            }
        }
        Lines { starts }
    }

    /// The position of byte `offset` (clamped to the text and to a character boundary).
    pub(super) fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = text[self.starts[line]..offset].encode_utf16().count();
        Position::new(line as u32, column as u32)
    }

    /// The range of `span`.
    pub(super) fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte offset of `position`; a column past the line's end is its end, a line past the
    /// text's end is the text's end.
    pub(super) fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let line = &text[start..self.line_end(text, position.line as usize)];
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + at;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }

    /// The byte offset where line `line` ends, before its line end.
    pub(super) fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let body = &text[self.starts[line].min(next)..next];
        let trimmed = body.trim_end_matches('\n').trim_end_matches('\r');
        self.starts[line].min(next) + trimmed.len()
    }

    /// The byte offset where the line holding `offset` starts.
    pub(super) fn line_start(&self, offset: usize) -> usize {
        self.starts[self.starts.partition_point(|&s| s <= offset) - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // `♯` is one UTF-16 unit and three bytes; `𝄞` is two units and four bytes.
        let text = "in F♯ minor\n𝄞 folk tuen\r\nmelody: fiddle\rbass: none";
        let lines = Lines::of(text);
        let tuen = text.find("tuen").unwrap();
        assert_eq!(lines.position(text, tuen), Position::new(1, 8));
        assert_eq!(lines.offset(text, Position::new(1, 8)), tuen);
        let minor = text.find("minor").unwrap();
        assert_eq!(lines.position(text, minor), Position::new(0, 6));
        assert_eq!(lines.offset(text, Position::new(0, 6)), minor);
        let bass = text.find("bass").unwrap();
        assert_eq!(lines.position(text, bass), Position::new(3, 0));
    }

    #[test]
    fn places_past_the_end_are_clamped() {
        let text = "folk tune\r\nmelody: fiddle";
        let lines = Lines::of(text);
        assert_eq!(lines.offset(text, Position::new(0, 99)), 9);
        assert_eq!(lines.offset(text, Position::new(7, 0)), text.len());
        assert_eq!(lines.position(text, 999), Position::new(1, 14));
        assert_eq!(lines.line_end(text, 0), 9);
        assert_eq!(lines.line_start(text.find("fiddle").unwrap()), 11);
    }
}
