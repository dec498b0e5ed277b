//! Builds the AST from pest's parse tree, turning every unread word into a pointed error.

use pest::Parser;
use pest::iterators::{Pair, Pairs};

use super::ast::*;
use crate::diagnostic::{Code, Diagnostic, Span, suggest};
use crate::limits::{MAX_BARS, MAX_UNREADABLE_LINES, quote};
use crate::theory::{Chord, ChordQuality, Key, Letter, Meter, Mode, NoteName, Pitch, interval};
use crate::vocabulary::{self, Context};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/tune.pest"]
pub(super) struct TuneParser;

/// Keywords whose unreadable clauses are reported as unknown words, as they always were: saying
/// `cannot read this clause` for them would change the error text (left for its own change).
const REPORTED_AS_UNKNOWN: [&str; 2] = ["rhythm", "form"];

/// Reads every line of `source` with pest alone. A line with an error is left out of the program
/// and reported; the lines after it are still read, so one bad line does not hide the next.
pub(super) fn parse(source: &str) -> (Program, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    // The grammar reads any line it does not understand as unknown words, so a whole-file
    // failure is rare; when it happens, the failing line is blanked (byte for byte, keeping
    // every span) and the file read again.
    let mut text = std::borrow::Cow::Borrowed(source);
    let file = loop {
        match TuneParser::parse(Rule::file, &text) {
            Ok(mut pairs) => break pairs.next(),
            Err(e) => {
                let error = syntax_error(&e);
                let at = error.labels[0].span.start.min(text.len());
                errors.push(error);
                // Each reading costs the whole file, so a file of unreadable lines stops early.
                let blanked = (errors.len() < MAX_UNREADABLE_LINES)
                    .then(|| blank_line(&text, at))
                    .flatten();
                match blanked {
                    Some(blanked) => text = std::borrow::Cow::Owned(blanked),
                    None => return (Program { lines: Vec::new() }, errors),
                }
            }
        }
    };
    let mut lines = Vec::new();
    for pair in file.into_iter().flat_map(Pair::into_inner) {
        if pair.as_rule() == Rule::line {
            match line(pair) {
                Ok(line) => lines.push(line),
                Err(e) => errors.push(e),
            }
        }
    }
    errors.sort_by_key(|e| e.labels.first().map(|l| l.span.start));
    (Program { lines }, errors)
}

/// `text` with the line holding byte `at` replaced by spaces, or `None` if it is blank already.
fn blank_line(text: &str, at: usize) -> Option<String> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if text[start..end].trim().is_empty() {
        return None;
    }
    let blank = " ".repeat(text[start..end].len());
    Some(format!("{}{blank}{}", &text[..start], &text[end..]))
}

fn syntax_error(error: &pest::error::Error<Rule>) -> Diagnostic {
    let at = match error.location {
        pest::error::InputLocation::Pos(p) => Span::new(p, p + 1),
        pest::error::InputLocation::Span((s, e)) => Span::new(s, e.max(s + 1)),
    };
    Diagnostic::at(
        Code::UnreadableLine,
        at,
        "this line cannot be read",
        "unexpected text here",
    )
    .hint(
        "each line is a list of clauses separated by commas, e.g. `folk tune in D major, 16 bars`",
    )
}

fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

pub(super) fn line(pair: Pair<Rule>) -> Result<Line, Diagnostic> {
    let mut line = Line {
        span: span(&pair),
        section: None,
        part: None,
        clauses: Vec::new(),
    };
    let Some(inner) = pair.into_inner().next() else {
        return Ok(line);
    };
    if inner.as_rule() == Rule::clauses {
        line.clauses = clauses(inner)?;
        return Ok(line);
    }
    // A section line or a part line: a head, then the clauses.
    for item in inner.into_inner() {
        match item.as_rule() {
            Rule::section_letter => {
                line.section = Some(Spanned {
                    value: section_name(item.as_str()),
                    span: span(&item),
                })
            }
            // The letter a song's section stands for comes from the form (resolve).
            Rule::song_section => {
                line.section = Some(Spanned {
                    value: SectionName {
                        song: SongSection::from_word(item.as_str()),
                        ..SectionName::letter('A')
                    },
                    span: span(&item),
                })
            }
            Rule::part_name => {
                line.part = Some(Spanned {
                    value: item.as_str().to_ascii_lowercase(),
                    span: span(&item),
                })
            }
            _ => line.clauses = clauses(item)?,
        }
    }
    Ok(line)
}

fn section_name(text: &str) -> SectionName {
    SectionName {
        varied: text.ends_with('\''),
        ..SectionName::letter(text.chars().next().unwrap_or('A'))
    }
}

fn clauses(pair: Pair<Rule>) -> Result<Vec<Clause>, Diagnostic> {
    let pairs: Vec<Pair<Rule>> = pair.into_inner().collect();
    let mut out = Vec::new();
    for (i, clause_pair) in pairs.iter().enumerate() {
        let Some(inner) = clause_pair.clone().into_inner().next() else {
            continue;
        };
        if inner.as_rule() == Rule::unknown {
            let next = pairs.get(i + 1).map(Token::of);
            return Err(unknown(&Token::of(&inner), next.as_ref()));
        }
        push_clause(&mut out, clause_pair)?;
    }
    Ok(out)
}

/// The form `three 8-bar parts` names (A B C, each letter twice when `each played twice`); two
/// sections without repeats leave the style's form to give way to the length, as `2x8` does.
fn sections_form(count: u32, twice: bool, span: Span) -> Option<Vec<Spanned<SectionName>>> {
    let named = (3..=6).contains(&count) || (twice && (1..=6).contains(&count));
    if !named {
        return None;
    }
    let letters = (b'A'..).take(count as usize).map(char::from);
    let times = if twice { 2 } else { 1 };
    let names = letters.flat_map(|l| std::iter::repeat_n(SectionName::letter(l), times));
    Some(names.map(|value| Spanned { value, span }).collect())
}

/// Builds the clause a `clause` (or `clause_lead`) pair holds and adds it to `out`: most
/// pairs make one clause, a few phrases two or three (`starts and ends on A`, `2x8`).
pub(super) fn push_clause(
    out: &mut Vec<Clause>,
    clause_pair: &Pair<Rule>,
) -> Result<(), Diagnostic> {
    let Some(inner) = clause_pair.clone().into_inner().next() else {
        return Ok(());
    };
    let span = span(clause_pair);
    match inner.as_rule() {
        // ABC's `L:1/8` says how ABC writes its notes; it asks nothing of the music.
        Rule::note_unit | Rule::abc_number => {}
        Rule::same_notes | Rule::same_range | Rule::those_notes => out.push(Clause {
            span,
            kind: ClauseKind::BackReference,
        }),
        Rule::ceiling | Rule::floor => push_bounds(out, inner, span)?,
        Rule::sections_times => push_sections_times(out, inner, span)?,
        Rule::starts_and_ends_on => {
            // `starts and ends on A`: both clauses, each pointing at the whole phrase.
            let target = target(first(inner)?)?;
            for kind in [ClauseKind::StartsOn(target), ClauseKind::EndsOn(target)] {
                out.push(Clause { span, kind });
            }
        }
        _ => out.push(Clause {
            span,
            kind: clause(inner)?,
        }),
    }
    Ok(())
}

/// `never above A5`; `don't go below G3 or above E6`: a floor and a ceiling, each at the whole
/// phrase; `don't let the bass go below E2`: what may not go there is read as the words it is,
/// at its own span, so resolve gives the bounds to the part it names (the bass, as in `the bass
/// never below E2`; an instrument such as `the cello` leaves them the melody's).
fn push_bounds(out: &mut Vec<Clause>, inner: Pair<Rule>, span: Span) -> Result<(), Diagnostic> {
    let ceiling = inner.as_rule() == Rule::ceiling;
    let mut pitches = Vec::new();
    for part in inner.into_inner() {
        match part.as_rule() {
            Rule::let_who => {
                let object = (part.into_inner()).find(|w| w.as_rule() == Rule::let_object);
                let at = object.as_ref().map_or(span, self::span);
                let words = object.map_or(Vec::new(), |w| words_of(&w));
                // the object's own span, inside the phrase: resolve gives its part the bounds
                out.push(Clause {
                    span: at,
                    kind: ClauseKind::Words(words),
                });
            }
            _ => pitches.push(pitch(&part)?),
        }
    }
    let kinds = match (&pitches[..], ceiling) {
        (&[high], true) => vec![ClauseKind::Ceiling(high)],
        (&[low], false) => vec![ClauseKind::Floor(low)],
        (&[high, low], true) | (&[low, high], false) => {
            vec![ClauseKind::Floor(low), ClauseKind::Ceiling(high)]
        }
        _ => return Err(incomplete(span)),
    };
    out.extend(kinds.into_iter().map(|kind| Clause { span, kind }));
    Ok(())
}

/// The words of a pair's text, each with its span.
fn words_of(pair: &Pair<Rule>) -> Vec<Spanned<String>> {
    let start = pair.as_span().start();
    let text = pair.as_str();
    (text.split_whitespace())
        .map(|w| {
            let at = start + (w.as_ptr() as usize - text.as_ptr() as usize);
            Spanned {
                value: w.to_string(),
                span: Span::new(at, at + w.len()),
            }
        })
        .collect()
}

/// `2x8`: the length, sections times bars, and each section's bars; `three 8-bar parts`
/// (`each played twice`) names the sections too: the form ABC (AABBCC).
fn push_sections_times(
    out: &mut Vec<Clause>,
    inner: Pair<Rule>,
    span: Span,
) -> Result<(), Diagnostic> {
    let twice = (inner.clone().into_inner()).any(|n| n.as_rule() == Rule::played_twice);
    let numbers: Vec<u32> = (inner.clone().into_inner())
        .filter(|n| n.as_rule() != Rule::played_twice)
        .map(|n| bar_count(&n))
        .collect::<Result<_, _>>()?;
    let [count, each] = numbers[..] else {
        return Ok(());
    };
    // `4x8` counts bars (a reel's AABB is 4x8); only parts named in words name the form.
    let worded = !inner.as_str().contains(['x', 'X', '×']);
    if let Some(form) = sections_form(count, twice, span).filter(|_| worded) {
        out.push(Clause {
            span,
            kind: ClauseKind::Form(form),
        });
    }
    let times = if twice { 2 } else { 1 };
    let total = (count.checked_mul(each * times)).filter(|&n| n <= MAX_BARS);
    let Some(total) = total else {
        return Err(Diagnostic::at(
            Code::NumberTooLarge,
            span,
            "the number of bars is too large",
            format!("at most {MAX_BARS}"),
        ));
    };
    for kind in [ClauseKind::Bars(total), ClauseKind::SectionBars(each)] {
        out.push(Clause { span, kind });
    }
    Ok(())
}

/// Text no clause reads (or the clause after it), where it starts, and the line's input after it.
pub(super) struct Token<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) after: &'a str,
}

impl<'a> Token<'a> {
    fn of(pair: &Pair<'a, Rule>) -> Token<'a> {
        let s = pair.as_span();
        Token {
            text: s.as_str(),
            start: s.start(),
            after: &pair.get_input()[s.end()..],
        }
    }

    fn span(&self) -> Span {
        Span::new(self.start, self.start + self.text.len())
    }
}

/// The error for text no clause reads: the most specific explanation that fits, else an
/// unknown word with the closest known one.
pub(super) fn unknown(token: &Token, next: Option<&Token>) -> Diagnostic {
    let text = quote(token.text);
    let lower = text.to_ascii_lowercase();
    control_character(token)
        .or_else(|| unclosed_title(token, &lower))
        .or_else(|| malformed_clause(token, &lower))
        .or_else(|| number_alone(token, &text, next))
        .or_else(|| decade_or_ordinal(token, &text))
        .or_else(|| number_with_signs(token, &text))
        .or_else(|| slash_chord(token, &text))
        .unwrap_or_else(|| unknown_word(token, &text))
}

fn control_character(token: &Token) -> Option<Diagnostic> {
    let (at, c) = token.text.char_indices().find(|(_, c)| c.is_control())?;
    let start = token.start + at;
    let d = Diagnostic::at(
        Code::ControlCharacter,
        Span::new(start, start + c.len_utf8()),
        format!("unexpected control character U+{:04X}", c as u32),
        "here",
    );
    Some(d.hint("a .tune file is plain text"))
}

/// `title "Harbour Lights` with no closing quote on the line.
fn unclosed_title(token: &Token, lower: &str) -> Option<Diagnostic> {
    let rest = token.after;
    let line = rest.lines().next().unwrap_or("");
    if lower != "title" || line.matches('"').count() != 1 {
        return None;
    }
    let start = token.start + token.text.len() + line.len();
    let d = Diagnostic::at(
        Code::UnclosedTitle,
        Span::new(start, start),
        "the title's closing `\"` is missing",
        "expected `\"` here",
    );
    Some(d.hint("write the title in double quotes: title \"Harbour Lights\""))
}

/// `in J minor`: a key whose tonic is a letter past G, pointed at and said so.
fn not_a_tonic(token: &Token, lower: &str) -> Option<Diagnostic> {
    let rest = token.after.trim_start_matches([' ', '\t']);
    // `in the key of R major`.
    let rest = ["the key of ", "the key of\t"]
        .iter()
        .find_map(|p| {
            rest.get(..p.len())
                .filter(|r| r.eq_ignore_ascii_case(p))
                .map(|_| &rest[p.len()..])
        })
        .unwrap_or(rest)
        .trim_start_matches([' ', '\t']);
    let at = token.start + token.text.len() + (token.after.len() - rest.len());
    let mut words = rest.split([' ', '\t', ',', '.', ';']);
    let (tonic, mode) = (words.next()?, words.next().unwrap_or(""));
    let letter = tonic.chars().next().filter(|c| c.is_ascii_alphabetic())?;
    let sign = tonic[1..].trim_start_matches(['#', 'b', 'm']);
    let beyond = !('A'..='G').contains(&letter.to_ascii_uppercase());
    let minor = tonic.len() > 1 && tonic.ends_with('m');
    let keyed = (tonic.len() == 1 && mode_named(mode).is_some()) || (sign.is_empty() && minor);
    if lower != "in" || !beyond || !keyed {
        return None;
    }
    let d = Diagnostic::at(
        Code::MalformedClause,
        Span::new(at, at + 1),
        format!("`{letter}` is not a note name, so it cannot be a key's tonic"),
        "not a note",
    );
    Some(d.hint("a key's tonic is a note from A to G, e.g. `in D minor`"))
}

/// A clause keyword whose clause could not be read: how it is written.
fn malformed_clause(token: &Token, lower: &str) -> Option<Diagnostic> {
    if let Some(d) = not_a_tonic(token, lower) {
        return Some(d);
    }
    let usage = vocabulary::usage(lower).filter(|_| !REPORTED_AS_UNKNOWN.contains(&lower))?;
    let d = Diagnostic::at(
        Code::MalformedClause,
        token.span(),
        format!("cannot read this `{lower}` clause: the words after `{lower}` are not in its form"),
        "the clause starts here",
    );
    Some(d.hint(format!("write it like `{usage}`")))
}

/// A number with nothing it counts: a misspelled unit after it, else the number itself.
fn number_alone(token: &Token, text: &str, next: Option<&Token>) -> Option<Diagnostic> {
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(next) = next {
        let word = next.text.split_whitespace().next().unwrap_or("");
        if let Some(known) = suggest(word, vocabulary::candidates(Context::AfterNumber)) {
            let start = next.start;
            let d = Diagnostic::at(
                Code::UnknownWord,
                Span::new(start, start + word.len()),
                format!("unknown word `{word}`"),
                "not a word tunec knows",
            );
            return Some(d.hint(format!("did you mean `{known}`?")));
        }
    }
    Some(bare_number(text, token.span()))
}

/// `80s`, `1980s`: a decade's sound, which tunec cannot imitate (E0223, as a named artist's;
/// `30s` hints at `30 seconds`);
/// `1st`, `2nd`: an ordinal, which tunec reads only as an interval (`no leaps over a 5th`).
fn decade_or_ordinal(token: &Token, text: &str) -> Option<Diagnostic> {
    let lower = text.to_ascii_lowercase();
    let lower = lower.trim_start_matches(['\'', '’']);
    let digits = lower.len() - lower.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, ending) = lower.split_at(digits);
    let decade = matches!(number.len(), 2 | 4)
        && number.ends_with('0')
        && matches!(ending, "s" | "'s" | "’s");
    if decade {
        // `a 30s jingle` may mean thirty seconds: a two-digit one says how to ask for that
        let seconds = (number.len() == 2 && ending == "s")
            .then(|| format!("; for a length, write `{number} seconds`"));
        return Some(
            Diagnostic::at(
                Code::ArtistStyle,
                token.span(),
                format!("tunec cannot imitate the sound of a decade (`{text}`)"),
                "a decade's sound",
            )
            .hint(format!(
                "describe the music instead: a style (`pop`, `rock`), a mood, a key, a tempo{}",
                seconds.unwrap_or_default()
            )),
        );
    }
    let ordinal = !number.is_empty() && matches!(ending, "st" | "nd" | "rd" | "th");
    ordinal.then(|| {
        Diagnostic::at(
            Code::UnknownWord,
            token.span(),
            format!("`{text}` is an ordinal, which tunec reads only as an interval"),
            "an ordinal outside an interval",
        )
        .hint("an ordinal names an interval (`no leaps larger than a 5th`); to count, write the number and what it counts (`16 bars`)")
    })
}

/// `-8`, `3/`, `16-`: a number with a sign or stray characters, which no clause reads: a
/// count has no sign, and a meter or a pitch has all its parts.
fn number_with_signs(token: &Token, text: &str) -> Option<Diagnostic> {
    let digits = text.trim_start_matches(['-', '−', '+']);
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let signed = digits.len() < text.len() && digits.chars().all(|c| c.is_ascii_digit());
    let (message, label, hint) = match signed {
        true => (
            format!("a number with a sign: `{text}`"),
            "tunec counts nothing below zero and reads no signed number",
            "write what it counts without a sign, e.g. `8 bars`, `no leaps larger than 8 semitones`",
        ),
        false => (
            format!("`{text}` is not a number, meter or pitch tunec reads"),
            "a number with stray characters",
            "write a number with what it counts (`16 bars`, `96 bpm`), a meter (`6/8`) or a pitch (`D4`)",
        ),
    };
    Some(Diagnostic::at(Code::BareNumber, token.span(), message, label).hint(hint))
}

/// A number that says nothing of what it counts, with the hint that asks.
fn bare_number(text: &str, span: Span) -> Diagnostic {
    Diagnostic::at(
        Code::BareNumber,
        span,
        format!("a number on its own: `{text}`"),
        "what does this count?",
    )
    .hint("write what it counts, e.g. `16 bars`, `96 bpm` or `seed 7`")
}

/// `96 bpm`, `tempo 96`, or a number alone between commas: shorthand's tempo (`Reel, D, 4/4,
/// 116`) when it is one (40 or more); a smaller one stays a number on its own.
fn tempo(pair: Pair<Rule>) -> Result<u32, Diagnostic> {
    let text = pair.as_str();
    if let Some(range) = (pair.clone().into_inner()).find(|p| p.as_rule() == Rule::tempo_range) {
        return tempo_range(&range);
    }
    // ABC's `Q:1/4=120` holds its beat unit before the number.
    let count = (pair.clone().into_inner())
        .find(|p| matches!(p.as_rule(), Rule::number | Rule::count_word));
    let count = count.ok_or_else(|| Diagnostic::new(Code::Internal, "tempo"))?;
    // `at sixty bpm`: a count in words.
    let bpm = match vocabulary::number_word(count.as_str()) {
        Some(n) => n,
        None => number(&count, "the tempo", u32::MAX as u64)?,
    };
    if bpm < 40 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bare_number(text, span(&pair)));
    }
    Ok(bpm)
}

/// `110-120 bpm`: the middle of the range, which must go up.
fn tempo_range(range: &Pair<Rule>) -> Result<u32, Diagnostic> {
    let bounds: Vec<u32> = (range.clone().into_inner())
        .map(|n| number(&n, "the tempo", u32::MAX as u64))
        .collect::<Result<_, _>>()?;
    match bounds[..] {
        [low, high] if low <= high => Ok((low + high).div_ceil(2)),
        _ => Err(Diagnostic::at(
            Code::MalformedClause,
            span(range),
            "a range of tempi goes from the slower to the faster",
            "not a range",
        )
        .hint("write it like `100-110 bpm`")),
    }
}

/// The note a tempo's number counts when it names one: `♩=` a quarter, `♩.=` a dotted quarter,
/// ABC's `Q:1/4=` and `Q:3/8=` as written. `None`: the number counts the meter's beat.
fn counted_note(pair: &Pair<Rule>) -> Option<(u32, u32)> {
    let text = pair.as_str();
    if let Some(rest) = text.strip_prefix('♩') {
        return Some(if rest.starts_with('.') {
            (3, 8)
        } else {
            (1, 4)
        });
    }
    // `quarter note = 90`, `crotchet = 90`, `q = 90`: a quarter too.
    let lower = text.to_ascii_lowercase();
    if lower.starts_with(['q', 'c']) && text.contains('=') && !text.contains(':') {
        return Some((1, 4));
    }
    let unit = (pair.clone().into_inner()).find(|p| p.as_rule() == Rule::fraction_unit)?;
    let (n, d) = unit.as_str().split_once('/')?;
    let (n, d) = (n.parse().ok()?, d.parse().ok()?);
    (n > 0 && d > 0).then_some((n, d))
}

/// `V/V`, `I/3`: a slash after a numeral (a chord symbol's slash, `G/B`, is read).
fn slash_chord(token: &Token, text: &str) -> Option<Diagnostic> {
    text.strip_prefix('/')?;
    let d = Diagnostic::at(
        Code::SlashChord,
        token.span(),
        "tunec reads a slash only after a chord symbol",
        "a slash after a numeral",
    );
    Some(d.hint(
        "write the slash chord in letters (`G/B`), or a secondary dominant as the chord itself (`II7` for V/V)",
    ))
}

fn unknown_word(token: &Token, text: &str) -> Diagnostic {
    let diagnostic = Diagnostic::at(
        Code::UnknownWord,
        token.span(),
        format!("unknown word `{text}`"),
        "not a word tunec knows",
    );
    match suggest(text, vocabulary::candidates(Context::Clause)) {
        Some(known) => diagnostic.hint(format!("did you mean `{known}`?")),
        None => diagnostic.hint("see docs/language.md for the words tunec knows"),
    }
}

fn number<T: TryFrom<u64>>(pair: &Pair<Rule>, what: &str, max: u64) -> Result<T, Diagnostic> {
    let too_big = || {
        Diagnostic::at(
            Code::NumberTooLarge,
            span(pair),
            format!("{what} is too large"),
            format!("at most {max}"),
        )
    };
    let value: u64 = pair.as_str().parse().map_err(|_| too_big())?;
    if value > max {
        return Err(too_big());
    }
    T::try_from(value).map_err(|_| too_big())
}

fn first(pair: Pair<Rule>) -> Result<Pair<Rule>, Diagnostic> {
    let at = span(&pair);
    pair.into_inner().next().ok_or_else(|| incomplete(at))
}

fn incomplete(at: Span) -> Diagnostic {
    Diagnostic::at(
        Code::MalformedClause,
        at,
        "incomplete clause",
        "something is missing here",
    )
}

/// `mostly whole notes`: the share of a note value is not a count tunec keeps yet; the hint
/// says what it does keep.
fn mostly_values(at: Span) -> Diagnostic {
    Diagnostic::at(
        Code::NoPresetYet,
        at,
        "a share of one note value is not possible yet",
        "tunec cannot count how many notes have this value",
    )
    .hint("write `whole notes only` for every note, or `rhythm whole and half notes` for only those values")
}

fn clause(pair: Pair<Rule>) -> Result<ClauseKind, Diagnostic> {
    let rule = pair.as_rule();
    let at = span(&pair);
    let inner = pair.clone().into_inner();
    Ok(match rule {
        Rule::title => ClauseKind::Title(title(inner)),
        Rule::seed => ClauseKind::Seed(number(&first(pair)?, "the seed", u64::MAX)?),
        Rule::key => key(pair)?,
        Rule::meter => ClauseKind::Meter(meter(&first(pair)?)?),
        Rule::bars => bars(pair)?,
        Rule::duration_clause => ClauseKind::Seconds(seconds(pair)?),
        Rule::tempo => ClauseKind::Tempo(tempo(pair.clone())?, counted_note(&pair)),
        Rule::using_only => ClauseKind::UsingOnly(pitch_set(first(pair)?)?),
        Rule::avoiding => ClauseKind::Avoiding(pitch_list(first(pair)?)?),
        Rule::ceiling => ClauseKind::Ceiling(pitch(&first(pair)?)?),
        Rule::floor => ClauseKind::Floor(pitch(&first(pair)?)?),
        Rule::negation => ClauseKind::Without(
            inner
                .map(|w| spanned(&w, str::to_ascii_lowercase))
                .collect(),
        ),
        Rule::style_of => ClauseKind::StyleOf(first(pair)?.as_str().trim().to_string()),
        Rule::key_signature => ClauseKind::KeySignature(key_signature(pair)),
        Rule::chord_repeats => ClauseKind::ChordRepeats(bar_count(&first(pair)?)?),
        Rule::beat_groups => {
            let digits = pair.as_str().split('+').filter_map(|d| d.parse().ok());
            ClauseKind::BeatGroups(digits.collect())
        }
        Rule::chords | Rule::bare_chords | Rule::bare_chart | Rule::alternating_pair => {
            ClauseKind::Chords(chord_bars(first(pair)?)?)
        }
        Rule::range => range(inner)?,
        Rule::stepwise => ClauseKind::Stepwise,
        // A major third: four semitones.
        Rule::steps_and_thirds => ClauseKind::MaxLeap(4),
        Rule::mostly_stepwise => ClauseKind::MostlyStepwise,
        Rule::mostly_values => return Err(mostly_values(at)),
        Rule::max_leap | Rule::leap_at_most => ClauseKind::MaxLeap(leap(first(pair)?)?),
        Rule::compass => ClauseKind::Compass(leap(first(pair)?)?),
        Rule::starts_on => ClauseKind::StartsOn(target(first(pair)?)?),
        Rule::ends_on => ClauseKind::EndsOn(target(first(pair)?)?),
        Rule::program => ClauseKind::Program(program(&first(pair)?)?),
        Rule::none => ClauseKind::None,
        Rule::form => ClauseKind::Form(inner.map(|l| spanned(&l, section_name)).collect()),
        Rule::song_form => song_form(inner)?,
        Rule::section_length => ClauseKind::SectionLengths {
            form: Vec::new(),
            lengths: vec![sized_section(first(pair)?)?],
        },
        Rule::last_up => last_up(inner)?,
        Rule::hairpin => ClauseKind::Hairpin(match pair.as_str().to_ascii_lowercase() {
            s if s.starts_with("cresc") => 1,
            _ => -1,
        }),
        Rule::harmonic_rhythm => ClauseKind::HarmonicRhythm(harmonic_rhythm(pair)?),
        Rule::cadence => ClauseKind::Cadence(cadence(&first(pair)?)),
        Rule::rhythm | Rule::note_values => ClauseKind::Rhythm(rhythm(inner)?),
        Rule::dynamics => ClauseKind::Dynamics(dynamics(pair.as_str())),
        Rule::drum_grid => ClauseKind::DrumGrid(drum_grid(inner)),
        Rule::phrase => ClauseKind::Words(inner.map(|w| spanned(&w, str::to_string)).collect()),
        _ => {
            return Err(Diagnostic::at(
                Code::MalformedClause,
                at,
                "cannot read this clause",
                "here",
            ));
        }
    })
}

/// A pair's text made into a value, with its span.
fn spanned<T>(pair: &Pair<Rule>, value: impl FnOnce(&str) -> T) -> Spanned<T> {
    Spanned {
        value: value(pair.as_str()),
        span: span(pair),
    }
}

/// `title "Harbour Lights"`: the text between the quotes.
fn title(mut inner: Pairs<Rule>) -> String {
    inner
        .next()
        .map(|s| s.as_str().trim_matches(['"', '“', '”']).to_string())
        .unwrap_or_default()
}

/// `in D dorian`, `in Em`: the tonic and, when written, the mode.
fn key(pair: Pair<Rule>) -> Result<ClauseKind, Diagnostic> {
    // The tonic and the mode, in either order: `in the Dorian mode on D`.
    let (modes, mut tonics): (Vec<_>, Vec<_>) =
        (pair.into_inner()).partition(|p| matches!(p.as_rule(), Rule::mode | Rule::abc_mode));
    let tonic = tonics
        .pop()
        .ok_or_else(|| Diagnostic::new(Code::Internal, "key"))?;
    let mode = modes.first().and_then(|m| mode_named(m.as_str()));
    if tonic.as_rule() == Rule::short_minor {
        // `Em`, `Bbmin`: the letter and its sign, then the minor.
        let text = tonic.as_str();
        let cut = text.len()
            - if text.to_ascii_lowercase().ends_with("min") {
                3
            } else {
                1
            };
        let name = Spanned {
            value: &text[..cut],
            span: span(&tonic),
        };
        let tonic = note_name_text(name.value, name.span)?;
        return Ok(ClauseKind::Key {
            tonic,
            mode: Some(Mode::Minor),
        });
    }
    if tonic.as_rule() == Rule::glued_key {
        // `Dmaj`, `F#-minor`: the letter and its sign, then the mode.
        let text = tonic.as_str();
        let cut = text[1..]
            .find(|c: char| c == '-' || c.eq_ignore_ascii_case(&'m'))
            .map_or(text.len(), |i| i + 1);
        let minor = text[cut..].to_ascii_lowercase().contains("min");
        let mode = Some(if minor { Mode::Minor } else { Mode::Major });
        let tonic = note_name_text(&text[..cut], span(&tonic))?;
        return Ok(ClauseKind::Key { tonic, mode });
    }
    let tonic = note_name(&tonic)?;
    Ok(ClauseKind::Key { tonic, mode })
}

/// A mode by its name or a musician's short name: `pentatonic` (the major pentatonic, as
/// musicians mean it), `maj`, `min`, and the first letters of the church modes (`A mix`, ABC's
/// `K:Ador`, `K:Gmixolydian`).
pub(super) fn mode_named(name: &str) -> Option<Mode> {
    let lower = name.to_ascii_lowercase();
    // ABC reads a mode by its first three letters (`ion`, `aeo` too); so does tunec.
    let three = |(short, mode): &(&str, Mode)| (lower.starts_with(&short[..3])).then_some(*mode);
    Mode::from_name(&lower).or_else(|| crate::vocabulary::MODE_SHORT_NAMES.iter().find_map(three))
}

/// `three flats`, `2 sharps`, `no sharps or flats`: sharps positive, flats negative.
fn key_signature(pair: Pair<Rule>) -> i8 {
    let text = pair.as_str().to_ascii_lowercase();
    let words = ["no", "one", "two", "three", "four", "five", "six", "seven"];
    let count = (pair.into_inner().flat_map(|p| p.into_inner()))
        .find(|p| p.as_rule() == Rule::signature_number)
        .map(|p| p.as_str().to_ascii_lowercase())
        .and_then(|n| {
            n.parse()
                .ok()
                .or_else(|| words.iter().position(|w| *w == n))
        })
        .unwrap_or(0) as i8;
    if text.contains("flat") && !text.contains("sharps or flats") {
        -count
    } else {
        count
    }
}

/// `6/8`, if tunec can write it.
fn meter(fraction: &Pair<Rule>) -> Result<Meter, Diagnostic> {
    let mut text = fraction.as_str().to_ascii_lowercase();
    if fraction.as_rule() == Rule::named_time {
        let meter = match text.split_whitespace().next() {
            Some("waltz" | "triple") => "3/4",
            Some("duple") => "2/4",
            Some("cut") => "2/2",
            _ => "4/4",
        };
        text = meter.to_string();
    }
    if fraction.as_rule() == Rule::hyphen_fraction {
        text = text.replace('-', "/");
    }
    if fraction.as_rule() == Rule::beats_counted {
        // `in three`: three quarters a bar.
        text = format!("{}/4", vocabulary::number_word(&text).unwrap_or(0));
    }
    if fraction.as_rule() == Rule::beats_per_bar {
        // `four beats per bar`: that many quarters.
        let first = text.split_whitespace().next().unwrap_or("");
        let count = (first.parse().ok()).or_else(|| vocabulary::number_word(first));
        text = format!("{}/4", count.unwrap_or(0));
    }
    // `three-four` is 3/4.
    let spelled: Vec<u32> = text
        .split(['-', ' '])
        .filter_map(vocabulary::number_word)
        .collect();
    let (count, unit) = match spelled[..] {
        [c, u] => (c.to_string(), u.to_string()),
        _ => {
            let (c, u) = text.split_once('/').unwrap_or(("0", "0"));
            (c.to_string(), u.to_string())
        }
    };
    count
        .parse::<u8>()
        .ok()
        .zip(unit.parse::<u8>().ok())
        .and_then(|(c, u)| Meter::new(c, u))
        .ok_or_else(|| {
            Diagnostic::at(
                Code::BadMeter,
                span(fraction),
                format!(
                    "`{}` is not a meter tunec can write",
                    quote(fraction.as_str())
                ),
                "not a meter",
            )
            .hint("the top number is 1 to 32 and the bottom one 2, 4, 8 or 16, e.g. `6/8`")
        })
}

/// `range D4 to B5`.
fn range(mut inner: Pairs<Rule>) -> Result<ClauseKind, Diagnostic> {
    let mut next = || {
        inner
            .next()
            .ok_or_else(|| Diagnostic::new(Code::MalformedClause, "range"))
    };
    let low = pitch(&next()?)?;
    let high = pitch(&next()?)?;
    Ok(ClauseKind::Range(low, high))
}

/// `program 41`: a General MIDI program, 1 to 128.
fn program(n: &Pair<Rule>) -> Result<u8, Diagnostic> {
    let program: u8 = number(n, "the program number", 128)?;
    if program == 0 {
        return Err(Diagnostic::at(
            Code::ZeroNumber,
            span(n),
            "program numbers start at 1",
            "not a General MIDI program",
        )
        .hint("General MIDI programs are numbered 1 to 128 (1 = acoustic grand piano)"));
    }
    Ok(program)
}

/// `two chords per bar`, `one chord every two bars`.
fn harmonic_rhythm(pair: Pair<Rule>) -> Result<HarmonicRhythm, Diagnostic> {
    if first(pair.clone())?.as_rule() == Rule::each_bar {
        return Ok(HarmonicRhythm::PerBar(1));
    }
    let text = pair.as_str().to_ascii_lowercase();
    let every = text.contains("every") || text.ends_with("chord");
    let n = count(&first(pair)?)?;
    Ok(if every {
        HarmonicRhythm::EveryBars(n)
    } else {
        HarmonicRhythm::PerBar(n)
    })
}

/// `plagal` in `ends with a plagal cadence`.
fn cadence(kind: &Pair<Rule>) -> Cadence {
    match kind.as_str().to_ascii_lowercase().as_str() {
        "plagal" => Cadence::Plagal,
        "half" => Cadence::Half,
        "deceptive" => Cadence::Deceptive,
        _ => Cadence::Authentic,
    }
}

/// `rhythm eighths and quarters`: each length in ticks, with its span.
fn rhythm(inner: Pairs<Rule>) -> Result<Vec<Spanned<u32>>, Diagnostic> {
    inner
        .map(|d| {
            Ok(Spanned {
                value: duration(&d)?,
                span: span(&d),
            })
        })
        .collect()
}

/// `ppp` (1) to `fff` (8).
fn dynamics(text: &str) -> u8 {
    vocabulary::dynamic_level(text).unwrap_or(5)
}

/// `kick x...x... snare ..x...x.`: each row's drum and its steps (0 rest, 1 hit, 2 accent).
fn drum_grid(inner: Pairs<Rule>) -> Vec<(Spanned<String>, Vec<u8>)> {
    let step = |c| match c {
        'X' => 2,
        'x' => 1,
        _ => 0,
    };
    inner
        .map(|row| {
            let mut parts = row.into_inner();
            let voice = parts.next().map(|v| spanned(&v, str::to_ascii_lowercase));
            let steps = parts
                .next()
                .map_or(Vec::new(), |g| g.as_str().chars().map(step).collect());
            voice.map(|v| (v, steps))
        })
        .collect::<Option<_>>()
        .unwrap_or_default()
}

/// `two` or `2`, from 1 to 8.
fn count(pair: &Pair<Rule>) -> Result<u8, Diagnostic> {
    let n = match pair.as_str().to_ascii_lowercase().as_str() {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        _ => number::<u8>(pair, "the count", 8)?,
    };
    if n == 0 {
        return Err(Diagnostic::at(
            Code::ZeroNumber,
            span(pair),
            "the count must be at least 1",
            "zero",
        ));
    }
    Ok(n)
}

/// `eighths`, `dotted quarter notes`, `triplets`: the length in ticks.
fn duration(pair: &Pair<Rule>) -> Result<u32, Diagnostic> {
    let text = pair.as_str().to_ascii_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    let dotted = words.first() == Some(&"dotted");
    let mut name = words[usize::from(dotted)..].join(" ");
    // `8ths`, `quavers`: the American name first.
    if let Some((other, american)) =
        (vocabulary::NOTE_VALUE_NAMES.iter()).find(|(other, _)| name.starts_with(other))
    {
        name = format!("{american}{}", &name[other.len()..]);
    }
    let base = if name.contains("triplet") {
        // `triplets` and `eighth triplets`: three in the time of two eighths.
        match name.split_whitespace().next() {
            Some("quarter") => 320,
            Some("sixteenth") => 80,
            _ => 160,
        }
    } else if name.starts_with("whole") {
        1920
    } else if name.starts_with("half") || name.starts_with("halves") {
        960
    } else if name.starts_with("quarter") {
        480
    } else if name.starts_with("eighth") {
        240
    } else {
        120
    };
    Ok(if dotted { base * 3 / 2 } else { base })
}

fn note_name(pair: &Pair<Rule>) -> Result<NoteName, Diagnostic> {
    note_name_text(pair.as_str(), span(pair))
}

pub(super) fn note_name_text(text: &str, at: Span) -> Result<NoteName, Diagnostic> {
    let mut chars = text.chars();
    let letter = chars
        .next()
        .and_then(Letter::from_char)
        .ok_or_else(|| Diagnostic::at(Code::Internal, at, "not a note name", "expected A to G"))?;
    let rest = chars.as_str().trim().to_ascii_lowercase();
    // `F#s`, `B flats`, `E's`: a plural names the note (no accidental ends in `s`).
    let rest = (rest.strip_suffix("'s").or_else(|| rest.strip_suffix('s'))).unwrap_or(&rest);
    let alter = match rest.trim_start_matches('-') {
        "" => 0,
        "#" | "♯" | "sharp" => 1,
        "##" => 2,
        "b" | "♭" | "flat" => -1,
        "bb" => -2,
        _ => {
            return Err(Diagnostic::at(
                Code::Internal,
                at,
                "unknown accidental",
                "expected # or b",
            ));
        }
    };
    Ok(NoteName::new(letter, alter))
}

/// `B-flat 4`, `C sharp5`: a pitch with its accidental spelled out, written with its sign
/// (`Bb4`, `C#5`).
fn signed(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    for (word, sign) in [("flat", "b"), ("sharp", "#")] {
        if let Some(at) = lower.find(word) {
            let head = text[..at].trim_end_matches([' ', '\t', '-']);
            let tail = text[at + word.len()..].trim_start_matches([' ', '\t']);
            return format!("{head}{sign}{tail}");
        }
    }
    text.to_string()
}

fn pitch(pair: &Pair<Rule>) -> Result<Pitch, Diagnostic> {
    pitch_text(pair.as_str(), span(pair))
}

/// `D4`, `B-flat 4`: a pitch's text as the grammar's `pitch` reads it.
pub(super) fn pitch_text(written: &str, at: Span) -> Result<Pitch, Diagnostic> {
    let mut words = written.split_whitespace();
    if words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("middle"))
    {
        // `middle C`, as the grammar reads it: C4.
        return Ok(Pitch::from_name(NoteName::new(Letter::C, 0), 4).expect("C4"));
    }
    let text = &signed(written);
    let digits_at = text
        .find(|c: char| c.is_ascii_digit() || c == '-')
        .unwrap_or(text.len());
    let letter = text.chars().next().and_then(Letter::from_char);
    let alter = match &text[1..digits_at] {
        "" => Some(0),
        "#" | "♯" => Some(1),
        "##" => Some(2),
        "b" | "♭" => Some(-1),
        "bb" => Some(-2),
        _ => None,
    };
    let octave: Option<i32> = text[digits_at..].parse().ok();
    letter
        .zip(alter)
        .zip(octave)
        .and_then(|((l, a), o)| Pitch::from_name(NoteName::new(l, a), o))
        .ok_or_else(|| {
            Diagnostic::at(
                Code::BadPitch,
                at,
                format!("`{}` is not a MIDI pitch", quote(text)),
                "out of range",
            )
            .hint("pitches run from C-1 to G9; middle C is C4")
        })
}

/// A pitch list, or `the white keys` / `the black keys` as their note names.
fn pitch_set(pair: Pair<Rule>) -> Result<Vec<Spanned<NoteName>>, Diagnostic> {
    if pair.as_rule() == Rule::scale_notes {
        return scale_notes(pair);
    }
    let names: &[&str] = match pair.as_rule() {
        Rule::white_keys => &["C", "D", "E", "F", "G", "A", "B"],
        Rule::black_keys => &["C#", "D#", "F#", "G#", "A#"],
        _ => return pitch_list(pair),
    };
    let at = span(&pair);
    names
        .iter()
        .map(|n| {
            Ok(Spanned {
                value: note_name_text(n, at)?,
                span: at,
            })
        })
        .collect()
}

/// `notes from the G major pentatonic scale`: the scale's notes, spelled in it.
fn scale_notes(pair: Pair<Rule>) -> Result<Vec<Spanned<NoteName>>, Diagnostic> {
    let at = span(&pair);
    let mut inner = pair.into_inner();
    let (Some(tonic), Some(mode)) = (inner.next(), inner.next()) else {
        return Err(incomplete(at));
    };
    let mode = mode_named(mode.as_str()).ok_or_else(|| incomplete(span(&mode)))?;
    let key = Key::new(note_name(&tonic)?, mode);
    Ok((key.spelled_scale().into_iter())
        .map(|value| Spanned { value, span: at })
        .collect())
}

/// `16 bars`, or `8-bar strains`: the length of each section.
fn bars(pair: Pair<Rule>) -> Result<ClauseKind, Diagnostic> {
    let inner = || pair.clone().into_inner();
    let each_section = inner().any(|p| p.as_rule() == Rule::each_section);
    let phrases = inner().any(|p| p.as_rule() == Rule::phrases);
    let n = bar_count(&first(pair)?)?;
    Ok(if phrases {
        ClauseKind::PhraseBars(n)
    } else if each_section {
        ClauseKind::SectionBars(n)
    } else {
        ClauseKind::Bars(n)
    })
}

/// `verse and chorus`: each section name a letter, in the order the names first come; a verse
/// that comes back is a varied repeat (its last phrase renewed), a chorus is the same each time.
/// Sections written with a length (`a 2-bar intro`) give it too.
fn song_form(inner: Pairs<Rule>) -> Result<ClauseKind, Diagnostic> {
    let mut names: Vec<String> = Vec::new();
    let mut form = Vec::new();
    let mut lengths = Vec::new();
    let items: Vec<Pair<Rule>> = inner.collect();
    for (i, item) in items.iter().cloned().enumerate() {
        if lengths_only(&items[..i], &items[i..]) {
            for item in &items[i..] {
                lengths.push(sized_section(item.clone())?);
            }
            break;
        }
        let p = match item.as_rule() {
            Rule::sized_section => {
                let (name, bars) = sized_section(item)?;
                lengths.push((name.clone(), bars));
                name
            }
            _ => spanned(&item, |s| SectionName {
                song: SongSection::from_word(s),
                ..SectionName::letter('A')
            }),
        };
        let name = p.value.song.map_or("", SongSection::name).to_string();
        let seen = names.iter().position(|n| *n == name);
        let index = seen.unwrap_or_else(|| {
            names.push(name.clone());
            names.len() - 1
        });
        let song = SongSection::from_word(&name);
        form.push(Spanned {
            value: SectionName {
                letter: char::from(b'A' + index as u8),
                varied: seen.is_some() && song == Some(SongSection::Verse),
                song,
            },
            span: p.span,
        });
    }
    Ok(if lengths.is_empty() {
        ClauseKind::Form(form)
    } else {
        ClauseKind::SectionLengths { form, lengths }
    })
}

/// Whether the list's `tail` only gives lengths to sections the `head` named: `verse and
/// chorus, an 8-bar chorus` is a form of two sections, the chorus 8 bars long.
fn lengths_only(head: &[Pair<Rule>], tail: &[Pair<Rule>]) -> bool {
    let word = |p: &Pair<Rule>| {
        let section = p.clone().into_inner().last().unwrap_or_else(|| p.clone());
        section.as_str().to_ascii_lowercase()
    };
    let named: Vec<String> = head.iter().map(word).collect();
    head.len() >= 2
        && tail
            .iter()
            .all(|p| p.as_rule() == Rule::sized_section && named.contains(&word(p)))
}

/// `a 2-bar intro`: the section (its letter comes from the form) and its bars.
fn sized_section(pair: Pair<Rule>) -> Result<(Spanned<SectionName>, u32), Diagnostic> {
    let mut inner = pair.into_inner();
    let missing = || Diagnostic::new(Code::Internal, "a sized section");
    let bars = bar_count(&inner.next().ok_or_else(missing)?)?;
    let section = inner.next().ok_or_else(missing)?;
    let name = spanned(&section, |s| SectionName {
        song: SongSection::from_word(s),
        ..SectionName::letter('A')
    });
    Ok((name, bars))
}

/// `the last chorus goes up a step`: the section and the semitones.
fn last_up(mut inner: Pairs<Rule>) -> Result<ClauseKind, Diagnostic> {
    let missing = || Diagnostic::new(Code::Internal, "the last section's step");
    let section = inner.next().ok_or_else(missing)?;
    let size = inner
        .next()
        .ok_or_else(missing)?
        .as_str()
        .to_ascii_lowercase();
    let semitones = match size.as_str() {
        s if s.starts_with("half") || s == "semitone" => 1,
        s if s.starts_with(|c: char| c.is_ascii_digit()) => s.as_bytes()[0] - b'0',
        _ => 2,
    };
    let song = SongSection::from_word(section.as_str()).ok_or_else(missing)?;
    Ok(ClauseKind::LastUp(song, semitones))
}

/// `16`, `sixteen`, `thirty-two`: a number of bars.
fn bar_count(pair: &Pair<Rule>) -> Result<u32, Diagnostic> {
    match vocabulary::number_word(pair.as_str()) {
        Some(n) => Ok(n),
        None => number(pair, "the number of bars", MAX_BARS as u64),
    }
}

/// `about 30 seconds`, `two minutes`, `half a minute`: the length in seconds.
fn seconds(pair: Pair<Rule>) -> Result<u32, Diagnostic> {
    let text = pair.as_str().to_ascii_lowercase();
    let mut inner = pair.into_inner();
    let count = inner
        .next()
        .ok_or_else(|| Diagnostic::new(Code::Internal, "length"))?;
    if count.as_rule() == Rule::a_minute {
        return Ok(if text.contains("half") { 30 } else { 60 });
    }
    let n = bar_count(&count)?;
    let minutes = inner
        .next()
        .is_some_and(|u| u.as_str().to_ascii_lowercase().starts_with("min"));
    Ok(if minutes { n.saturating_mul(60) } else { n })
}

fn pitch_list(pair: Pair<Rule>) -> Result<Vec<Spanned<NoteName>>, Diagnostic> {
    pair.into_inner()
        .map(|p| {
            Ok(Spanned {
                value: note_name(&p)?,
                span: span(&p),
            })
        })
        .collect()
}

fn leap(pair: Pair<Rule>) -> Result<u8, Diagnostic> {
    let inner = first(pair)?;
    match inner.as_rule() {
        Rule::semitone_count => {
            let count = bar_count(&first(inner.clone())?)?;
            u8::try_from(count)
                .ok()
                .filter(|&n| n <= 127)
                .ok_or_else(|| {
                    Diagnostic::at(
                        Code::NumberTooLarge,
                        span(&inner),
                        "the leap is too large",
                        "at most 127",
                    )
                })
        }
        _ => {
            let text = inner.as_str();
            interval::semitones(text).ok_or_else(|| {
                let last = text.split_whitespace().last().unwrap_or(text);
                let d = Diagnostic::at(Code::UnknownInterval, span(&inner), format!("unknown interval `{}`", quote(text)), "not an interval name");
                match suggest(last, interval::NAMES) {
                    Some(known) => d.hint(format!("did you mean `{known}`? or write `N semitones`")),
                    None => d.hint("write an interval (`a fifth`, `a minor third`, `an octave`) or `N semitones`"),
                }
            })
        }
    }
}

fn target(pair: Pair<Rule>) -> Result<Target, Diagnostic> {
    let inner = first(pair)?;
    Ok(match inner.as_rule() {
        Rule::tonic => Target::Tonic,
        Rule::dominant => Target::Dominant,
        Rule::degree_name => {
            let names = [
                "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
            ];
            let text = inner.as_str().to_ascii_lowercase();
            let word = text.split_whitespace().find(|w| *w != "the").unwrap_or("");
            match names.iter().position(|n| *n == word) {
                Some(i) => Target::Degree(i as u8 + 1),
                None => Target::Tonic,
            }
        }
        Rule::degree => {
            let n = first(inner)?;
            let degree: u8 = number(&n, "the degree", 7)?;
            if degree == 0 {
                return Err(Diagnostic::at(
                    Code::ZeroNumber,
                    span(&n),
                    "degrees count from 1",
                    "degree 1 is the tonic",
                ));
            }
            Target::Degree(degree)
        }
        Rule::pitch => Target::Pitch(pitch(&inner)?),
        _ => Target::Class(note_name(&inner)?),
    })
}

fn chord_bars(pair: Pair<Rule>) -> Result<Vec<Vec<Spanned<ChordSpec>>>, Diagnostic> {
    let items: Vec<Pair<Rule>> = pair.into_inner().collect();
    // Bar lines only after the last chord end a list (`Cm Ab Fm G7 | Instrument: Cello`): its
    // chords are one a bar.
    let last_chord = items.iter().rposition(|p| p.as_rule() != Rule::bar_line);
    let marked = items[..last_chord.unwrap_or(0)]
        .iter()
        .any(|p| p.as_rule() == Rule::bar_line);
    let mut bars: Vec<Vec<Spanned<ChordSpec>>> = Vec::new();
    let mut current = Vec::new();
    for item in items {
        if item.as_rule() == Rule::bar_line {
            if !current.is_empty() {
                bars.push(std::mem::take(&mut current));
            }
            continue;
        }
        let chord = Spanned {
            value: chord(first(item.clone())?)?,
            span: span(&item),
        };
        if marked {
            current.push(chord);
        } else {
            bars.push(vec![chord]);
        }
    }
    if !current.is_empty() {
        bars.push(current);
    }
    Ok(bars)
}

/// `G/B`: the chord over its bass, which must be one of its tones (the bass part plays it).
fn slash_bass(chord: Chord, slash: Pair<Rule>) -> Result<Chord, Diagnostic> {
    let bass = note_name(&first(slash.clone())?)?;
    chord.over(bass).ok_or_else(|| {
        Diagnostic::at(
            Code::SlashChord,
            span(&slash),
            format!("`{bass}` is not a tone of `{chord}`"),
            "the bass under the chord",
        )
        .hint("a slash chord's bass is one of the chord's tones (`C/E`, `G/B`); for another bass, write the chord that holds it (`C7/Bb`)")
    })
}

fn chord(pair: Pair<Rule>) -> Result<ChordSpec, Diagnostic> {
    let text = pair.as_str();
    if matches!(
        pair.as_rule(),
        Rule::chord_symbol | Rule::quoted_chord | Rule::lower_symbol
    ) {
        let mut parts = pair.into_inner();
        let root = parts
            .next()
            .ok_or_else(|| Diagnostic::new(Code::Internal, "chord root"))?;
        let root = note_name(&root)?;
        let (suffix, slash): (Vec<_>, Vec<_>) =
            parts.partition(|p| p.as_rule() == Rule::chord_suffix);
        let suffix = suffix.first().map_or("", |s| s.as_str());
        let quality = ChordQuality::from_suffix(suffix)
            .ok_or_else(|| Diagnostic::new(Code::Internal, "chord suffix"))?;
        let chord = Chord::new(root, quality);
        return match slash.into_iter().next() {
            Some(slash) => slash_bass(chord, slash).map(ChordSpec::Symbol),
            None => Ok(ChordSpec::Symbol(chord)),
        };
    }
    let mut alter = 0;
    let mut numeral = "";
    let mut suffix = "";
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::accidental_sign => {
                alter = if part.as_str().contains(['#', '♯']) {
                    1
                } else {
                    -1
                }
            }
            Rule::numeral => numeral = part.as_str(),
            _ => suffix = part.as_str(),
        }
    }
    numeral_chord(alter, numeral, suffix, text)
}

/// A Roman numeral's chord: its sign (`b`, `#`), numeral and quality as written.
pub(super) fn numeral_chord(
    alter: i8,
    numeral: &str,
    suffix: &str,
    text: &str,
) -> Result<ChordSpec, Diagnostic> {
    let upper = numeral.chars().all(|c| c.is_ascii_uppercase());
    let degree = ["I", "II", "III", "IV", "V", "VI", "VII"]
        .iter()
        .position(|n| n.eq_ignore_ascii_case(numeral))
        .ok_or_else(|| Diagnostic::new(Code::Internal, format!("unknown numeral {text}")))?
        as u8
        + 1;
    let quality = match (suffix, upper) {
        ("", true) => ChordQuality::Major,
        ("", false) => ChordQuality::Minor,
        ("7", true) => ChordQuality::Dominant7,
        ("7", false) => ChordQuality::Minor7,
        ("maj7", _) => ChordQuality::Major7,
        ("9", true) => ChordQuality::Dominant9,
        ("9", false) => ChordQuality::Minor9,
        ("maj9", _) => ChordQuality::Major9,
        ("°" | "dim", _) => ChordQuality::Diminished,
        ("°7" | "o7" | "dim7", _) => ChordQuality::Diminished7,
        ("ø" | "ø7", _) => ChordQuality::HalfDiminished7,
        ("+" | "aug", _) => ChordQuality::Augmented,
        ("sus2", _) => ChordQuality::Sus2,
        ("sus4", _) => ChordQuality::Sus4,
        _ => {
            return Err(Diagnostic::new(
                Code::Internal,
                format!("unknown chord suffix in {text}"),
            ));
        }
    };
    Ok(ChordSpec::Numeral {
        degree,
        alter,
        quality,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Result<Program, Diagnostic> {
        let (program, mut errors) = super::parse(source);
        if errors.is_empty() {
            Ok(program)
        } else {
            Err(errors.remove(0))
        }
    }

    fn kinds(source: &str) -> Vec<ClauseKind> {
        parse(source)
            .unwrap()
            .lines
            .into_iter()
            .flat_map(|l| l.clauses)
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn piece_line() {
        let k = kinds("sad folk tune in D dorian, 6/8, 16 bars, 96 bpm # comment");
        assert!(matches!(&k[0], ClauseKind::Words(w) if w.len() == 3 && w[1].value == "folk"));
        assert!(matches!(
            k[1],
            ClauseKind::Key {
                mode: Some(Mode::Dorian),
                ..
            }
        ));
        assert_eq!(k[2], ClauseKind::Meter(Meter::new(6, 8).unwrap()));
        assert_eq!(k[3], ClauseKind::Bars(16));
        assert_eq!(k[4], ClauseKind::Tempo(96, None));
        assert_eq!(k.len(), 5);
    }

    #[test]
    fn pitch_lists_with_commas_and_and() {
        let k = kinds("folk tune using only A, B and C#, F sharp G, 6/8");
        let ClauseKind::UsingOnly(list) = &k[1] else {
            panic!("{k:?}")
        };
        let names: Vec<String> = list.iter().map(|n| n.value.to_string()).collect();
        assert_eq!(names, ["A", "B", "C#", "F#", "G"]);
        assert_eq!(k[2], ClauseKind::Meter(Meter::new(6, 8).unwrap()));
    }

    #[test]
    fn part_line() {
        let program = parse(
            "melody: fiddle, range D4 to B5, no leaps larger than a fifth, ends on the tonic",
        )
        .unwrap();
        let line = &program.lines[0];
        assert_eq!(line.part.as_ref().unwrap().value, "melody");
        let k: Vec<_> = line.clauses.iter().map(|c| c.kind.clone()).collect();
        assert_eq!(k[1], ClauseKind::Range(Pitch(62), Pitch(83)));
        assert_eq!(k[2], ClauseKind::MaxLeap(7));
        assert_eq!(k[3], ClauseKind::EndsOn(Target::Tonic));
    }

    #[test]
    fn chords_numerals_and_symbols() {
        let k = kinds("chords i VII bVII7 #iv° | D Bm | G A7 F#m C#dim Gmaj7 Dsus4");
        let ClauseKind::Chords(bars) = &k[0] else {
            panic!("{k:?}")
        };
        assert_eq!(bars.len(), 3);
        assert_eq!(bars[0].len(), 4);
        assert_eq!(
            bars[0][2].value,
            ChordSpec::Numeral {
                degree: 7,
                alter: -1,
                quality: ChordQuality::Dominant7
            }
        );
        assert_eq!(
            bars[0][3].value,
            ChordSpec::Numeral {
                degree: 4,
                alter: 1,
                quality: ChordQuality::Diminished
            }
        );
        assert_eq!(bars[2].len(), 6);
        let unmarked = kinds("chords I vi IV V");
        let ClauseKind::Chords(bars) = &unmarked[0] else {
            panic!()
        };
        assert_eq!(bars.len(), 4);
    }

    #[test]
    fn slash_chords_carry_their_bass() {
        let k = kinds("chords C G/B Am F/C, D/F# 'G7/F'");
        let ClauseKind::Chords(bars) = &k[0] else {
            panic!("{k:?}")
        };
        let written: Vec<String> = bars
            .iter()
            .map(|b| match b[0].value {
                ChordSpec::Symbol(c) => format!("{c}/{:?}", c.bass.map(|b| b.to_string())),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            written,
            [
                "C/None",
                "G/Some(\"B\")",
                "Am/None",
                "F/Some(\"C\")",
                "D/Some(\"F#\")",
                "G7/Some(\"F\")"
            ]
        );
        // Over its own root, a chord is in root position.
        let k = kinds("chords C/C");
        assert!(
            matches!(&k[0], ClauseKind::Chords(b) if b[0][0].value == ChordSpec::Symbol(Chord::new(NoteName::new(Letter::C, 0), ChordQuality::Major)))
        );
        let e = parse("folk tune, chords C/Bb F").unwrap_err();
        assert_eq!(e.message, "`Bb` is not a tone of `C`");
        assert_eq!(e.labels[0].span, Span::new(19, 22));
        let e = parse("folk tune, chords I V/V").unwrap_err();
        assert_eq!(e.message, "tunec reads a slash only after a chord symbol");
        assert_eq!(e.labels[0].span, Span::new(21, 23));
    }

    #[test]
    fn unknown_words_point_and_suggest() {
        let e = parse("folk tune, 6/9").unwrap_err();
        assert_eq!(e.labels[0].span, Span::new(11, 14));
        let e = parse("folk tune, 16 barz").unwrap_err();
        assert_eq!(e.message, "unknown word `barz`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `bars`?"));
        let e = parse("melody: range D4").unwrap_err();
        assert_eq!(
            e.message,
            "cannot read this `range` clause: the words after `range` are not in its form"
        );
        assert!(parse("99999999999999999999999 bars").is_err());
    }

    fn letters_named(kinds: &[ClauseKind]) -> Vec<String> {
        match &kinds[0] {
            ClauseKind::Form(names) => names.iter().map(|n| n.value.to_string()).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn english_phrasings_give_the_terse_clauses() {
        let k = kinds("verse, chorus, verse and chorus");
        let ClauseKind::Form(letters) = &k[0] else {
            panic!("{k:?}")
        };
        let letters: String = letters.iter().map(|l| l.value.letter).collect();
        assert_eq!(letters, "ABAB");
        let names: Vec<String> = letters_named(&kinds("form intro verse chorus verse chorus"));
        assert_eq!(names, ["intro", "verse", "chorus", "verse", "chorus"]);
        let varied: Vec<bool> = match &kinds("verse and chorus, verse and chorus")[0] {
            ClauseKind::Form(names) => names.iter().map(|n| n.value.varied).collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(varied, [false, false, true, false]);
        assert_eq!(
            kinds("last chorus goes up a half step"),
            [ClauseKind::LastUp(SongSection::Chorus, 1)]
        );
        assert_eq!(
            kinds("crescendo, dim."),
            [ClauseKind::Hairpin(1), ClauseKind::Hairpin(-1)]
        );
        assert_eq!(kinds("8-bar strains"), [ClauseKind::SectionBars(8)]);
        assert_eq!(kinds("sixteen bars long"), [ClauseKind::Bars(16)]);
        assert_eq!(kinds("sixteen-bar"), [ClauseKind::Bars(16)]);
        assert_eq!(kinds("eight-bar strains"), [ClauseKind::SectionBars(8)]);
        assert_eq!(kinds("thirty-two-bar"), [ClauseKind::Bars(32)]);
        assert_eq!(kinds("two-minute"), [ClauseKind::Seconds(120)]);
        assert!(matches!(
            kinds("in the Dorian mode on E")[..],
            [ClauseKind::Key {
                mode: Some(Mode::Dorian),
                ..
            }]
        ));
        assert_eq!(
            kinds("in waltz time, M:6/8"),
            [
                ClauseKind::Meter(Meter::new(3, 4).unwrap()),
                ClauseKind::Meter(Meter::new(6, 8).unwrap())
            ]
        );
        let both = kinds("starts and ends on the tonic");
        assert_eq!(
            both,
            [
                ClauseKind::StartsOn(Target::Tonic),
                ClauseKind::EndsOn(Target::Tonic)
            ]
        );
        assert!(matches!(&kinds("in eighth notes")[0], ClauseKind::Rhythm(d) if d[0].value == 240));
    }

    #[test]
    fn comments_and_blank_lines() {
        let p = parse("# a tune\n\nfolk tune # here\n   \n").unwrap();
        assert_eq!(p.lines.iter().filter(|l| !l.clauses.is_empty()).count(), 1);
    }
}
