//! A cursor over one line's text with the grammar's primitives (`^"word"`, `s`, `!word_char`,
//! a note's letter and accidental), so the hand-read clauses (`hand`) can be written rule by
//! rule as `grammar/tune.pest` has them.
//!
//! Every method either moves past what it matched or leaves the cursor where it was, as a PEG
//! expression does; `attempt` gives a sequence the same all-or-nothing.

use super::ast::Spanned;
use crate::diagnostic::Span;

#[derive(Clone, Copy)]
pub(super) struct Scan<'a> {
    text: &'a str,
    /// Where the cursor is, in bytes from the start of `text`.
    pub(super) at: usize,
    /// Where `text` starts in the source, for spans.
    base: usize,
}

impl<'a> Scan<'a> {
    pub(super) fn new(text: &'a str, base: usize) -> Scan<'a> {
        Scan { text, at: 0, base }
    }

    pub(super) fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The span in the source from `start` (a cursor position) to the cursor.
    pub(super) fn span(&self, start: usize) -> Span {
        Span::new(self.base + start, self.base + self.at)
    }

    pub(super) fn slice(&self, start: usize) -> &'a str {
        &self.text[start..self.at]
    }

    /// Runs `rule`; on `None` the cursor goes back to where it was.
    pub(super) fn attempt<T>(&mut self, rule: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let at = self.at;
        let value = rule(self);
        if value.is_none() {
            self.at = at;
        }
        value
    }

    /// `s`: one or more spaces or tabs.
    pub(super) fn s(&mut self) -> bool {
        let len = self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
        self.at += len;
        len > 0
    }

    /// `^"word"`: the text, ignoring ASCII case (no word boundary, as in the grammar).
    pub(super) fn word(&mut self, word: &str) -> bool {
        let rest = self.rest().as_bytes();
        let found =
            rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    /// `"text"`: exactly the text.
    pub(super) fn lit(&mut self, text: &str) -> bool {
        let found = self.rest().starts_with(text);
        if found {
            self.at += text.len();
        }
        found
    }

    /// `^"a" | ^"b" | …`: the first of `words` that matches, in order.
    pub(super) fn any_word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        words.iter().copied().find(|w| self.word(w))
    }

    /// `"a" | "b" | …`, case-sensitive.
    pub(super) fn any_lit(&mut self, texts: &[&'static str]) -> Option<&'static str> {
        texts.iter().copied().find(|t| self.lit(t))
    }

    /// `!word_char`: no letter, digit, `-`, `'` or `#` follows.
    pub(super) fn boundary(&self) -> bool {
        !self.peek().is_some_and(is_word_char)
    }

    /// `^"word" ~ !word_char` after spaces, as a sequence: `s ~ ^"word" ~ !word_char`.
    pub(super) fn s_word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        self.attempt(|p| {
            p.s().then_some(())?;
            let w = p.any_word(words)?;
            p.boundary().then_some(w)
        })
    }

    /// `s? ~ "," ~ s? ~ (^"and" ~ s)?`: a comma between list items, an Oxford `and` after it.
    pub(super) fn comma(&mut self) -> Option<()> {
        self.attempt(|p| {
            p.s();
            p.lit(",").then_some(())?;
            p.s();
            p.attempt(|p| (p.word("and") && p.s()).then_some(()));
            Some(())
        })
    }

    /// `ASCII_DIGIT+`: the digits, as text.
    pub(super) fn digits(&mut self) -> Option<&'a str> {
        let len = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        let start = self.at;
        self.at += len;
        (len > 0).then(|| self.slice(start))
    }
}

/// `note_name`: a letter (either case), an optional accidental, then no word character.
pub(super) fn hand_note_name<'a>(p: &mut Scan<'a>) -> Option<Spanned<&'a str>> {
    let start = p.at;
    letter(p)?;
    p.attempt(accidental);
    p.boundary().then(|| Spanned {
        value: p.slice(start),
        span: p.span(start),
    })
}

/// `letter`: `A`–`G` or `a`–`g`.
pub(super) fn letter(p: &mut Scan) -> Option<()> {
    let found = p
        .peek()
        .is_some_and(|b| matches!(b, b'A'..=b'G' | b'a'..=b'g'));
    found.then(|| p.at += 1)
}

/// `accidental_sign`: `##`, `bb`, `#`, `b`, `♯`, `♭`.
pub(super) fn accidental_sign(p: &mut Scan) -> Option<&'static str> {
    p.any_lit(&["##", "bb", "#", "b", "♯", "♭"])
}

/// `accidental`: a sign, or `sharp`/`flat` after a space or hyphen.
fn accidental(p: &mut Scan) -> Option<()> {
    if accidental_sign(p).is_some() {
        return Some(());
    }
    (p.lit("-") || p.s()).then_some(())?;
    p.any_word(&["sharp", "flat"])?;
    p.boundary().then_some(())
}

/// The grammar's `word_char`.
pub(super) fn is_word_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'\'' | b'#')
}
