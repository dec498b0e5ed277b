//! The hand-written reader of lines of clauses: it splits the source into lines, reads runs of
//! plain words and unreadable text itself, and asks pest only where another clause may start.
//!
//! Pest pays for every rule it attempts, and a sentence of plain words cost an attempt at every
//! clause head and every keyword per word (docs/performance.md). This reader reads exactly what
//! `grammar/tune.pest` reads — `phrase`, `unknown` and the separators between clauses — and asks
//! the grammar's `clause_lead` and `clause_opening` for the rest. Section and part lines go to
//! pest's `line` whole; a file with a line the grammar cannot read at all goes back to
//! `parser::parse`, so its error is the one pest always gave.

use pest::Parser;
use pest::iterators::Pair;

use super::ast::*;
use super::hand;
use super::parser::{self, Rule, Token, TuneParser};
use crate::diagnostic::{Diagnostic, Span};

/// Reads every line of `source`, or `None` when some line is not a line the grammar reads (then
/// `parser::parse` reads the file and reports that line).
pub fn read(source: &str) -> Option<(Program, Vec<Diagnostic>)> {
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (start, end) in line_bounds(source) {
        let reader = LineReader { source, end };
        let at = reader.skip(start);
        if at == end {
            continue;
        }
        match reader.line(at)? {
            Ok(line) => lines.push(line),
            Err(e) => errors.push(e),
        }
    }
    errors.sort_by_key(|e| e.labels.first().map(|l| l.span.start));
    Some((Program { lines }, errors))
}

/// Where each line starts and ends, between the grammar's `NEWLINE`s (`\n`, `\r\n`, `\r`).
fn line_bounds(source: &str) -> Vec<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut bounds = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                bounds.push((start, at));
                start = at + 1;
            }
            b'\r' => {
                bounds.push((start, at));
                at += usize::from(bytes.get(at + 1) == Some(&b'\n'));
                start = at + 1;
            }
            _ => {}
        }
        at += 1;
    }
    bounds.push((start, bytes.len()));
    bounds
}

/// A clause as first read: by pest (its pair, over the text from `at`), or by hand.
enum Read<'a> {
    Pest {
        pair: Pair<'a, Rule>,
        at: usize,
    },
    /// A clause `hand` read.
    Hand(Clause),
    /// Plain words, and the clause read where they stop, if one starts there.
    Words(Vec<Spanned<String>>, Option<Opening<'a>>),
    Unknown(Span),
}

/// The clause that starts where a run of plain words stops, read by pest or by hand.
enum Opening<'a> {
    Pest(Pair<'a, Rule>),
    Hand(Clause),
}

impl Read<'_> {
    fn span(&self) -> Span {
        match self {
            Read::Pest { pair, at } => {
                let s = pair.as_span();
                Span::new(at + s.start(), at + s.end())
            }
            Read::Words(words, _) => {
                Span::new(words[0].span.start, words[words.len() - 1].span.end)
            }
            Read::Hand(clause) => clause.span,
            Read::Unknown(span) => *span,
        }
    }
}

/// A run of plain words, and the clause read where it stops, if one starts there.
type Words<'a> = (Vec<Spanned<String>>, Option<Opening<'a>>);

/// One line of the source, from a start to `end` (before its newline).
struct LineReader<'a> {
    source: &'a str,
    end: usize,
}

impl<'a> LineReader<'a> {
    /// Past the spaces, tabs and a `#` comment from `at`: the grammar's implicit whitespace.
    fn skip(&self, mut at: usize) -> usize {
        let bytes = self.source.as_bytes();
        while at < self.end {
            match bytes[at] {
                b' ' | b'\t' => at += 1,
                b'#' => return self.end,
                _ => break,
            }
        }
        at
    }

    /// Whether a separator is at `at`, and its length: `sep` in the grammar.
    fn sep_at(&self, at: usize) -> Option<usize> {
        let bytes = &self.source.as_bytes()[at.min(self.end)..self.end];
        match bytes {
            [b'-', ..] | [0xE2, 0x80, 0x93, ..] if self.dash_joins_a_list(at) => None,
            [b'/' | b'=' | b'+' | b'-', b' ' | b'\t', ..] => Some(1),
            // `spaced_dash`: an en dash between spaces, as a hyphen.
            _ if bytes.starts_with("– ".as_bytes()) || bytes.starts_with("–\t".as_bytes()) => {
                Some("–".len())
            }
            [byte, ..] if is_sep(*byte) => Some(1),
            // `field_bar`: a bar line with no chart of two chords after it.
            [b'|', ..]
                if pest_reads(Rule::chart_ahead, &self.source[at + 1..self.end]).is_none() =>
            {
                Some(1)
            }
            _ if bytes.starts_with(EM_DASH.as_bytes()) => Some(EM_DASH.len()),
            _ => None,
        }
    }

    /// Whether the spaced dash at `at` joins the words either side into one list rather than
    /// parting clauses: two numbers (`110 - 120 bpm`, a range), two chord symbols or form
    /// letters (`G - C - D`, `A - A - B`), or a drum grid and what follows it.
    fn dash_joins_a_list(&self, at: usize) -> bool {
        let before = self.source[..at].trim_end_matches([' ', '\t']);
        let before = &before[before
            .rfind([' ', '\t', ',', ':', '='])
            .map_or(0, |i| i + 1)..];
        let after = self.rest(at).trim_start_matches(['-', '–']);
        let after = after.trim_start_matches([' ', '\t']);
        let after = after.split([' ', '\t', ',']).next().unwrap_or("");
        let number = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
        let symbol = |w: &str| w.len() <= 5 && w.starts_with(|c: char| ('A'..='G').contains(&c));
        let grid = |w: &str| !w.is_empty() && w.chars().all(|c| matches!(c, 'x' | 'X' | '.'));
        (number(before) && number(after)) || (symbol(before) && symbol(after)) || grid(before)
    }

    fn rest(&self, at: usize) -> &'a str {
        &self.source[at..self.end]
    }

    /// The line starting at `at` (past its whitespace), or `None` if the grammar cannot read it.
    fn line(&self, at: usize) -> Option<Result<Line, Diagnostic>> {
        if may_have_head(self.rest(at)) && !spec_field(self.rest(at)) {
            return self.line_by_pest(at);
        }
        let mut clauses = Vec::new();
        let mut read = self.clause(at, None)?;
        loop {
            let after = read.span().end;
            // `(sep* ~ clause)*`, with whitespace and comments skipped between.
            let mut next_at = self.skip(after);
            while let Some(len) = self.sep_at(next_at) {
                next_at = self.skip(next_at + len);
            }
            let pending = match &mut read {
                Read::Words(_, then) => then.take(),
                _ => None,
            };
            let next = self.clause(next_at, pending);
            if let Err(e) = self.build(read, next.as_ref(), &mut clauses) {
                return Some(Err(e));
            }
            match next {
                Some(next) => read = next,
                // Where pest ends a line with spaces or a comment after its last separators
                // is its own affair: such a line goes to pest.
                None if next_at == self.end => {
                    let tail = &self.source.as_bytes()[after..self.end];
                    if tail.iter().any(|b| matches!(b, b' ' | b'\t' | b'#')) {
                        return None;
                    }
                    return Some(Ok(Line {
                        span: Span::new(at, self.end),
                        section: None,
                        part: None,
                        clauses,
                    }));
                }
                None => return None,
            }
        }
    }

    /// A section or part line (`melody: …`, `section B: …`, or a spec sheet's `Key: …`), read
    /// by the grammar's `line`.
    fn line_by_pest(&self, at: usize) -> Option<Result<Line, Diagnostic>> {
        // Up to the next `\n`, not just the line's end: an unclosed title's error reads the
        // rest of the text as `str::lines` splits it, which a lone `\r` does not end.
        let stop =
            (self.source[self.end..].find('\n')).map_or(self.source.len(), |i| self.end + i + 1);
        let pair = TuneParser::parse(Rule::line, &self.source[at..stop])
            .ok()?
            .next()?;
        if self.skip(at + pair.as_span().end()) != self.end {
            return None;
        }
        Some(
            parser::line(pair)
                .map(|line| shift_line(line, at))
                .map_err(|e| shift_diagnostic(e, at)),
        )
    }

    /// The clause at `at`: `clause_start | rhythm | dynamics | drum_grid` by hand or pest, else
    /// plain words or unknown text by hand. `pending` is a clause already read at `at`.
    fn clause(&self, at: usize, pending: Option<Opening<'a>>) -> Option<Read<'a>> {
        if at >= self.end {
            return None;
        }
        let rest = self.rest(at);
        match pending {
            Some(Opening::Pest(pair)) => return Some(Read::Pest { pair, at }),
            Some(Opening::Hand(clause)) => return Some(Read::Hand(clause)),
            None => {}
        }
        // The hand reads only clauses `clause_start` reads, which `may_open` lets through.
        if may_open(rest)
            && let Some((clause, _)) = hand::clause(rest, at)
        {
            return Some(Read::Hand(clause));
        }
        if may_lead(rest)
            && let Some(pair) = pest_reads(Rule::clause_lead, rest)
        {
            return Some(Read::Pest { pair, at });
        }
        if let Some((words, then)) = self.words(at) {
            return Some(Read::Words(words, then));
        }
        // `unknown`: everything up to a separator or a space.
        let len = rest
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, ' ' | '\t' | '—' | '|')
                    || (c.is_ascii() && is_sep(c as u8))
                    || (matches!(c, '=' | '+' | '/' | '-' | '–')
                        && rest[i + c.len_utf8()..].starts_with([' ', '\t']))
            })
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        (len > 0).then(|| Read::Unknown(Span::new(at, at + len)))
    }

    /// `phrase`: a word, then more words or single digits, each after spaces, up to where a
    /// clause starts (that clause, as pest read it, comes back too).
    fn words(&self, at: usize) -> Option<Words<'a>> {
        let first = word_len(self.rest(at)).or_else(|| clave_side_len(self.rest(at)))?;
        let mut words = vec![self.word(at, at + first)];
        loop {
            let last = words[words.len() - 1].span.end;
            let spaces =
                self.rest(last).len() - self.rest(last).trim_start_matches([' ', '\t']).len();
            let rest = self.rest(last + spaces);
            if spaces == 0 {
                return Some((words, None));
            }
            if may_open(rest) {
                if let Some((clause, _)) = hand::clause(rest, last + spaces) {
                    return Some((words, Some(Opening::Hand(clause))));
                }
                if let Some(opening) = pest_reads(Rule::clause_opening, rest) {
                    return Some((words, Some(Opening::Pest(opening))));
                }
            }
            match (word_len(rest).or_else(|| model_number_len(rest)))
                .or_else(|| bracketed_len(rest))
                .or_else(|| clave_side_len(rest))
            {
                Some(len) => words.push(self.word(last + spaces, last + spaces + len)),
                None => return Some((words, None)),
            }
        }
    }

    fn word(&self, start: usize, end: usize) -> Spanned<String> {
        Spanned {
            value: self.source[start..end].to_string(),
            span: Span::new(start, end),
        }
    }

    /// Adds the clauses `read` holds to `out`, or gives the error it is; `next` is the clause
    /// after it, which the error for unknown text may point into.
    fn build(
        &self,
        read: Read,
        next: Option<&Read>,
        out: &mut Vec<Clause>,
    ) -> Result<(), Diagnostic> {
        match read {
            Read::Pest { pair, at } => {
                let first = out.len();
                parser::push_clause(out, &pair).map_err(|e| shift_diagnostic(e, at))?;
                for clause in &mut out[first..] {
                    shift_clause(clause, at);
                }
                Ok(())
            }
            Read::Hand(clause) => {
                out.push(clause);
                Ok(())
            }
            Read::Words(words, _) => {
                let span = Span::new(words[0].span.start, words[words.len() - 1].span.end);
                out.push(Clause {
                    span,
                    kind: ClauseKind::Words(words),
                });
                Ok(())
            }
            Read::Unknown(span) => {
                let token = self.token(span);
                let next = next.map(|n| self.token(n.span()));
                Err(parser::unknown(&token, next.as_ref()))
            }
        }
    }

    fn token(&self, span: Span) -> Token<'a> {
        Token {
            text: &self.source[span.start..span.end],
            start: span.start,
            after: &self.source[span.end..],
        }
    }
}

fn pest_reads<'a>(rule: Rule, text: &'a str) -> Option<Pair<'a, Rule>> {
    TuneParser::parse(rule, text).ok()?.next()
}

/// The grammar's one-character separators: commas, sentence punctuation, a spec sheet's colons
/// and brackets (`sep_at` adds a slash before a space).
fn is_sep(byte: u8) -> bool {
    matches!(byte, b',' | b'.' | b'?' | b'!' | b';' | b':' | b'(' | b')')
}

/// The dash spec sheets part their fields with (`Waltz — G maj — 3/4`).
const EM_DASH: &str = "—";

fn is_word_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'\'' | b'#')
}

/// The grammar's `keyword`s, in its order: a word may not be one of them.
const KEYWORDS: [&str; 16] = [
    "in", "using", "avoiding", "chords", "title", "seed", "range", "mostly", "stepwise", "no",
    "starts", "ends", "program", "none", "rhythm", "form",
];

/// The length of the `word` at the start of `text`: a letter, then letters, digits, `-`, `'`
/// or `#`, unless it is a keyword.
fn word_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return value_shorthand_len(text);
    }
    // As the grammar's ordered choice: the first keyword that matches decides.
    let first = bytes[0].to_ascii_lowercase();
    let keyword = (KEYWORDS.iter())
        .filter(|k| k.as_bytes()[0] == first)
        .find(|k| starts_with_ignoring_case(text, k));
    if let Some(k) = keyword
        && !bytes.get(k.len()).is_some_and(|&b| is_word_char(b))
        && (*k != "chords" || chords_keyword(text))
        && (*k != "in" || !loose_in(&text[2..]))
        && (*k != "title" || title_follows(&text[5..]))
        && (*k != "using" || pest_reads(Rule::loose_using, text).is_none())
        && (*k != "rhythm" || !rhythm_guitar(&text[6..]))
    {
        return None;
    }
    // `&` between letters keeps a word whole: `R&B`.
    let mut len = 1;
    while let Some(&b) = bytes.get(len) {
        let amp = b == b'&' && bytes.get(len + 1).is_some_and(u8::is_ascii_alphabetic);
        if !(is_word_char(b) || amp) {
            break;
        }
        len += 1;
    }
    Some(len)
}

/// The grammar's `value_shorthand`: `8th`, `16ths` (`swing 8ths`), a word; so is a lone `&`.
fn value_shorthand_len(text: &str) -> Option<usize> {
    if text.starts_with('&')
        && text[1..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
    {
        return Some(1);
    }
    let len = ["16ths", "16th", "8ths", "8th"]
        .iter()
        .find(|v| text.starts_with(*v))?
        .len();
    (!text.as_bytes().get(len).is_some_and(|&b| is_word_char(b))).then_some(len)
}

/// After `rhythm`: spaces and `guitar`, the instrument, where `rhythm` is a word.
fn rhythm_guitar(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    rest.len() < after.len()
        && starts_with_ignoring_case(rest, "guitar")
        && !rest.as_bytes().get(6).is_some_and(|&b| is_word_char(b))
}

/// The grammar's `title_follows`: spaces, then a quote (`title "Harbour Lights"`).
fn title_follows(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    rest.starts_with('"') || rest.starts_with('“')
}

/// The grammar's `loose_in`: after `in`, spaces, a determiner and a space (`in a polka band`),
/// or `all`, `total`, `mind` or `particular` ending a word (`32 bars in all`, `the progression
/// I have in mind`), where `in` is a word unless a clause
/// starts there.
fn loose_in(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() {
        return false;
    }
    let word = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    if rest[..word].eq_ignore_ascii_case("the") {
        return loose_the(&rest[word..]);
    }
    let determiner = [
        "a", "an", "our", "my", "his", "her", "their", "your", "which",
    ]
    .iter()
    .any(|d| rest[..word].eq_ignore_ascii_case(d));
    let ends = !rest.as_bytes().get(word).is_some_and(|&b| is_word_char(b));
    if ["all", "total", "mind", "particular"]
        .iter()
        .any(|w| rest[..word].eq_ignore_ascii_case(w))
        && ends
    {
        return true;
    }
    determiner
        && rest
            .as_bytes()
            .get(word)
            .is_some_and(|b| matches!(b, b' ' | b'\t'))
}

/// After `in the`: spaces, then a word that starts no key, range or style (`in the
/// background`), as the grammar's `loose_in` reads it.
fn loose_the(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() || rest.is_empty() {
        return false;
    }
    let word = rest.bytes().take_while(|&b| is_word_char(b)).count();
    let named = ["key", "style", "manner", "range"];
    pest_reads(Rule::tonicless_mode, rest).is_some()
        || !(pest_reads(Rule::mode, rest).is_some()
            || named.iter().any(|n| rest[..word].eq_ignore_ascii_case(n)))
}

/// The grammar's `chords_keyword`: `chords` before a colon, a bar line or a chord starts a
/// clause; before other words it is a word (`piano chords underneath`).
fn chords_keyword(text: &str) -> bool {
    TuneParser::parse(Rule::chords_keyword, text).is_ok()
}

/// `model_number`: one digit the General MIDI name ends with (`string ensemble 1`).
fn model_number_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (bytes.first()?.is_ascii_digit() && !bytes.get(1).is_some_and(|&b| is_word_char(b)))
        .then_some(1)
}

/// `clave_side`: `2-3` or `3-2` before `clave` or `son clave`.
fn clave_side_len(text: &str) -> Option<usize> {
    let side = text.get(..3).filter(|s| *s == "2-3" || *s == "3-2")?;
    let after = text[side.len()..].strip_prefix([' ', '\t'])?;
    let after = after.trim_start_matches([' ', '\t']);
    let son = after.get(..4).filter(|w| w.eq_ignore_ascii_case("son "));
    let after = son.map_or(after, |_| after[4..].trim_start_matches([' ', '\t']));
    let clave = after
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("clave"));
    let ends = !after.as_bytes().get(5).is_some_and(|&b| is_word_char(b));
    (clave && ends).then_some(3)
}

/// `bracketed`: a word in brackets, as General MIDI writes `Electric Bass (finger)` (or a
/// scale's notes, `(A B C# D E F# G#)`).
fn bracketed_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('(')?;
    if !inner.as_bytes().first()?.is_ascii_alphabetic() {
        return None;
    }
    let len = (inner.bytes())
        .take_while(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b' ' | b'+' | b'#'))
        .count();
    (inner.as_bytes().get(len) == Some(&b')')).then_some(len + 2)
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether `text` starts with a spec sheet's field (`Key:`, `Tempo :`, ABC's `K:`): the
/// grammar's `spec_head` but its chords' alternative, so the line is clauses, read here like
/// any other (pest's `line` paid for every word of it). Its heads in the grammar's order: the
/// first that matches decides.
fn spec_field(text: &str) -> bool {
    const FIELDS: [&str; 19] = [
        "ends",
        "ending",
        "end",
        "starts",
        "starting",
        "start",
        "key",
        "tempo",
        "meter",
        "length",
        "genre",
        "style",
        "mood",
        "form",
        "bars",
        "instruments",
        "instrumentation",
        "instrument",
        "time",
    ];
    const LETTERS: [&str; 10] = ["K", "k", "M", "m", "L", "l", "Q", "q", "T", "X"];
    let head = (FIELDS.iter().find(|f| starts_with_ignoring_case(text, f)))
        .or_else(|| LETTERS.iter().find(|l| text.starts_with(**l)));
    head.is_some_and(|h| {
        text[h.len()..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':')
    })
}

/// Whether `text` may start a section line (`section …`) or a part line (a word, then `:`).
fn may_have_head(text: &str) -> bool {
    if starts_with_ignoring_case(text, "section") {
        return true;
    }
    let name = text
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'-')
        .count();
    name > 0
        && text[name..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':')
}

/// Whether pest's `clause_lead` may read a clause at the start of `text`: a clause head, or
/// `rhythm`, dynamics, or a drum grid's first row.
fn may_lead(text: &str) -> bool {
    let word = text.bytes().take_while(|&b| is_word_char(b)).count();
    let grid = text[word..].trim_start_matches([' ', '\t']);
    may_open(text)
        || starts_with_ignoring_case(text, "rhythm")
        || matches!(
            &text[..word],
            "ppp" | "pp" | "p" | "mp" | "mf" | "fff" | "ff" | "f"
        )
        || (word > 0 && grid.len() < text.len() - word && grid.starts_with(['x', 'X', '.', '-']))
}

/// Whether a clause other than plain words may start at the start of `text`: the first words
/// `clause_start` in the grammar guards each letter's clauses with (or more). Tested against
/// the grammar over the corpus (tests below), so a head added there and not here fails.
fn may_open(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() || matches!(first, '♭' | '♯' | '|' | '♩' | '~' | '@') {
        return true;
    }
    if first.is_ascii_uppercase() && key_or_form_head(text.as_bytes()) {
        return true;
    }
    if matches!(first, 'b' | 'B' | 'i' | 'I' | 'v' | 'V') && roman_head(text) {
        return true;
    }
    if ('a'..='g').contains(&first) && lower_hyphen_head(text) {
        return true;
    }
    heads(first.to_ascii_lowercase())
        .iter()
        .any(|h| starts_with_ignoring_case(text, h))
}

/// The first words `clause_start` guards the clauses of a (lower-case) letter with.
#[rustfmt::skip]
fn heads(letter: char) -> &'static [&'static str] {
    match letter {
        'a' => &["alternat", "a tempo", "a minute", "at ", "about", "around", "approx", "avoid",
            "authentic"],
        'b' => &["between", "by ", "begin", "bridge", "back and", "biggest", "bottom", "bpm",
            "bars"],
        'c' => &["crotchet", "closes", "closing", "close ", "cadences", "cadencing", "chord",
            "changes", "changing", "chorus", "common time", "cut time", "cresc", "confined",
            "coming to", "comes to", "can't", "cannot", "can not", "can never"],
        'd' => &["duple ", "deceptive", "dim", "decresc", "don't", "do not", "doesn't",
            "does not", "do never", "does never"],
        'e' => &["eight", "eleven", "end", "every ", "each "],
        'f' => &["four", "five", "forty", "fifty", "fifteen", "form", "from", "finish", "final note",
            "first note"],
        'h' => &["half", "high"],
        'i' => &["in ", "in\t", "inspired", "inside", "intro"],
        'j' => &["just", "jump"],
        'k' => &["key", "k:", "keep", "kept"],
        'l' => &["last ", "last note", "limited", "leap", "largest", "lowest", "low ", "low:",
            "landing", "lands", "land ", "l:"],
        'm' => &["melody of ", "mostly", "move", "moving", "max", "m:", "mm", "m.m.", "mustn't",
            "must not", "must never"],
        'n' => &["nine", "no", "never", "notes ", "notes:"],
        'o' => &["one", "only", "opens", "opening", "outro", "over ", "or "],
        'p' => &["progression", "perfect", "plagal", "program", "played "],
        'q' => &["quarter", "quadruple ", "q:", "q=", "q ="],
        'r' => &["restricted", "range", "roughly", "refrain", "repeated ", "resolve", "resolving"],
        's' => &["seed", "sound", "six", "seven", "stepwise", "steps ", "skip", "start", "stick", "span",
            "shouldn't", "should not", "should never", "stay"],
        't' => &["title", "t:", "top ", "top:", "triple ", "time", "the tempo", "tempo",
            "tune of ", "theme of ", "two", "three", "ten", "twelve", "twenty", "thirty", "thirteen", "those ",
            "these ", "the same "],
        'u' => &["us"],
        'v' => &["verse"],
        'w' => &["with", "waltz time", "whole", "won't", "will not", "will never"],
        'x' => &["x:"],
        'z' => &["zero"],
        _ => &[],
    }
}

/// The grammar's `key_head | form_head`: a note letter then a sign, `m` or no letter; or two
/// form letters.
fn key_or_form_head(bytes: &[u8]) -> bool {
    let letter = |i: usize, last: u8| bytes.get(i).is_some_and(|b| (b'A'..=last).contains(b));
    let key = letter(0, b'G')
        && match bytes.get(1) {
            Some(b) => matches!(b, b'#' | b'b' | b'm') || !b.is_ascii_alphabetic(),
            None => true,
        };
    key || glued_mode(bytes) || (letter(0, b'F') && letter(1, b'F'))
}

/// The grammar's `'A'..'G' ~ ("#" | "b")? ~ bare_mode`: `Amix`, `Gdor`, `Bbmix`.
fn glued_mode(bytes: &[u8]) -> bool {
    let Some((first, rest)) = bytes.split_first() else {
        return false;
    };
    let rest = rest
        .strip_prefix(b"#")
        .or_else(|| rest.strip_prefix(b"b"))
        .unwrap_or(rest);
    let modes: [&[u8]; 6] = [b"dor", b"mix", b"lyd", b"phr", b"loc", b"aeo"];
    (b'A'..=b'G').contains(first)
        && modes
            .iter()
            .any(|m| rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(m))
        && !rest
            .get(3)
            .is_some_and(|b| b.is_ascii_alphanumeric() || b"-'#".contains(b))
}

/// Roughly the grammar's `lower_hyphen_head` (it may say yes more often): a lower-case chord
/// symbol, a hyphen or dash, and the next chord's lower-case root (`c - g - am`).
fn lower_hyphen_head(text: &str) -> bool {
    let symbol_end = text[1..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '#' | '+' | '°' | 'ø')))
        .map_or(text.len(), |i| i + 1);
    let rest = text[symbol_end..].trim_start_matches([' ', '\t']);
    let Some(rest) = rest.strip_prefix('-').or_else(|| rest.strip_prefix('–')) else {
        return false;
    };
    let next = rest.trim_start_matches([' ', '\t']);
    next.starts_with(|c: char| ('a'..='g').contains(&c))
}

/// Roughly the grammar's `roman_head` (a numeral joined to the next with a hyphen): a sign, a
/// numeral's letter, and a hyphen before the next space.
fn roman_head(text: &str) -> bool {
    let numeral = text.trim_start_matches(['#', 'b', '♭', '♯']);
    numeral.starts_with(['I', 'V', 'i', 'v'])
        && numeral
            .split([' ', '\t'])
            .next()
            .is_some_and(|w| w.contains(['-', '–']))
}

fn shift(span: &mut Span, by: usize) {
    span.start += by;
    span.end += by;
}

/// A line pest read from a slice of the source, placed at `by` in the source.
fn shift_line(mut line: Line, by: usize) -> Line {
    shift(&mut line.span, by);
    if let Some(section) = &mut line.section {
        shift(&mut section.span, by);
    }
    if let Some(part) = &mut line.part {
        shift(&mut part.span, by);
    }
    for clause in &mut line.clauses {
        shift_clause(clause, by);
    }
    line
}

fn shift_clause(clause: &mut Clause, by: usize) {
    shift(&mut clause.span, by);
    match &mut clause.kind {
        ClauseKind::UsingOnly(notes) | ClauseKind::Avoiding(notes) => {
            notes.iter_mut().for_each(|n| shift(&mut n.span, by))
        }
        ClauseKind::Chords(bars) => bars
            .iter_mut()
            .flatten()
            .for_each(|c| shift(&mut c.span, by)),
        ClauseKind::Words(words) | ClauseKind::Without(words) => {
            words.iter_mut().for_each(|w| shift(&mut w.span, by))
        }
        ClauseKind::Form(sections) => sections.iter_mut().for_each(|s| shift(&mut s.span, by)),
        ClauseKind::SectionLengths { form, lengths } => {
            form.iter_mut().for_each(|s| shift(&mut s.span, by));
            lengths.iter_mut().for_each(|(s, _)| shift(&mut s.span, by));
        }
        ClauseKind::Rhythm(values) => values.iter_mut().for_each(|v| shift(&mut v.span, by)),
        ClauseKind::DrumGrid(rows) => rows.iter_mut().for_each(|(v, _)| shift(&mut v.span, by)),
        _ => {}
    }
}

fn shift_diagnostic(mut diagnostic: Diagnostic, by: usize) -> Diagnostic {
    for label in &mut diagnostic.labels {
        shift(&mut label.span, by);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The sources the project holds: the prompt corpus (each file whole, and each prompt),
    /// the examples, fixtures and benches, and the programs in the docs.
    fn sources() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for dir in ["tests/prompts", "examples", "tests/fixtures", "benches"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if let Ok(text) = std::fs::read_to_string(&path) {
                    sources.extend(text.split("\n\n").map(str::to_string));
                    sources.push(text);
                }
            }
        }
        for doc in ["docs/language.md", "docs/errors.md", "README.md"] {
            let text = std::fs::read_to_string(root.join(doc)).unwrap();
            let blocks = text.split("```tune\n").skip(1);
            sources.extend(blocks.map(|b| b.split("```").next().unwrap().to_string()));
        }
        sources
    }

    fn same_as_pest(source: &str) -> bool {
        match read(source) {
            Some(read) => {
                assert_eq!(read, parser::parse(source), "{source:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_every_source_in_the_project_as_the_grammar_does() {
        let sources = sources();
        let by_hand = sources.iter().filter(|s| same_as_pest(s)).count();
        assert!(sources.len() > 400, "{} sources", sources.len());
        // Only files with a line the grammar cannot read go back to pest.
        assert!(
            by_hand * 100 >= sources.len() * 98,
            "{by_hand} of {}",
            sources.len()
        );
    }

    /// The guards are cheap stand-ins for pest's own reading: wherever pest would read a
    /// clause, they must let it try.
    #[test]
    fn the_guards_let_pest_try_every_clause_it_reads_in_the_project() {
        for source in sources() {
            for line in source.lines() {
                for (at, _) in line.char_indices() {
                    let rest = &line[at..];
                    let opens = pest_reads(Rule::clause_opening, rest).is_some();
                    assert!(!opens || may_open(rest), "clause_start at {rest:?}");
                    let leads = pest_reads(Rule::clause_lead, rest).is_some();
                    assert!(!leads || may_lead(rest), "clause_lead at {rest:?}");
                }
            }
        }
    }

    /// Where `hand` reads a clause, pest reads the same clause over the same text (or `hand`
    /// reads none); `true` when `hand` read one.
    fn same_clause(text: &str) -> bool {
        let Some((clause, len)) = hand::clause(text, 0) else {
            return false;
        };
        let pair = pest_reads(Rule::clause_opening, text)
            .unwrap_or_else(|| panic!("pest reads no clause at {text:?}, hand {clause:?}"));
        assert_eq!(pair.as_str().len(), len, "{text:?}");
        assert!(may_open(text), "the guard stops the hand at {text:?}");
        let mut out = Vec::new();
        parser::push_clause(&mut out, &pair).unwrap();
        assert_eq!(out, vec![clause], "{text:?}");
        true
    }

    #[test]
    fn the_hand_reads_each_clause_as_the_grammar_does() {
        let mut read = 0;
        for source in sources() {
            for line in source.lines() {
                for (at, _) in line.char_indices() {
                    read += usize::from(same_clause(&line[at..]));
                }
            }
        }
        assert!(read > 1000, "{read} clauses read by hand");
    }

    #[test]
    fn spec_sheet_fields_are_read_by_hand_and_part_lines_by_pest() {
        for field in [
            "Key: G major",
            "Tempo : 116 BPM (Allegro)",
            "K:Ador",
            "instrumentation: x",
        ] {
            assert!(spec_field(field), "{field}");
            assert!(same_as_pest(field), "{field}");
        }
        for line in [
            "melody: fiddle",
            "Keys: piano",
            "Melody: flute",
            "chords: Em D",
        ] {
            assert!(!spec_field(line), "{line}");
        }
    }

    #[test]
    fn a_line_the_grammar_cannot_read_goes_back_to_pest() {
        assert!(read("folk tune\n, in D\n").is_none());
        assert!(read("melody: , jig\n").is_none());
        assert!(read("folk tune\n\n  # a comment\n").is_some());
    }

    #[test]
    fn lines_end_at_every_kind_of_newline() {
        assert_eq!(
            line_bounds("a\r\nb\rc\nd"),
            [(0, 1), (3, 4), (5, 6), (7, 8)]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the text, `hand` reads a clause as the grammar does, or leaves it to pest.
        #[test]
        fn any_clause_is_read_by_hand_as_the_grammar_reads_it(
            text in "(in|the|key|of|Key|K|:|G|Em|a|A|Bb|F#|F sharp|b|major|minor|dorian|mode|scale|6/8|3/4|in 6/8|time|signature|meter|116|32|8|bpm|BPM|beats per minute|tempo|a tempo of|Tempo:|at|about|bars|bar|-bar|measures|long|strains|phrases|per|chorus|AABB|A'|form|Form:|only|uses|using|just|with|the white keys|notes|and|or|never|no|leaps|jumps|more than|larger than|over|a fifth|perfect|5th|P5|7 semitones|or less|between|range|from|within|D4|B5|C-1|B-flat 4|C4-C5|ends|ending|on|starts|begins|opens|the tonic|dominant|degree|it|an|E|chords|chord progression|is|progression|alternates|changes|over|Am7|G/B|V7|bVII|ii|'Am'|\\||drums|bass|without|accompaniment|harmony|,|\\.| |\t){0,12}",
        ) {
            for (at, _) in text.char_indices() {
                same_clause(&text[at..]);
            }
        }

        /// Whatever the text, the reader reads it as the grammar does, or leaves it to pest.
        #[test]
        fn any_text_is_read_as_the_grammar_reads_it(
            text in "(jig|folk tune| / |V/V |melody:|section B:|Key:|chords: Em D|in D|in the key of G|Em|A minor|6/8|120 bpm|120bpm|8-bar|16 bars|no drums|no leaps over a fifth|starts and ends on the tonic|using only A, B and C#|I-IV-V|V/V|G/B|kick x...x...|mf|p|rhythm eighths|title \"x|never above A5|string ensemble 1|a|the|in|none|form|AABB|verse and chorus|with|fiddle|’d|☺|♭VII-IV|#|\\.|,|;|\\(|\\)|:| |\t|\r\n|\n|\r|[a-zA-Z0-9]){0,24}",
        ) {
            same_as_pest(&text);
        }
    }
}
