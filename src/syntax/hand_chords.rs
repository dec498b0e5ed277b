//! Hand-read chord lists (see `hand`): `chords G C D G`, `the chord progression is Am, F, C
//! and G`, `chords: | Dm | Bb |`, as the grammar's `chords` with a keyword reads them.

use super::ast::{ChordSpec, ClauseKind, Spanned};
use super::parser;
use super::scan::{Scan, accidental_sign};
use crate::theory::{Chord, ChordQuality};

/// `chords_prefix ~ (s? ~ ":")? ~ s ~ chord_list`: `chords`' first alternative.
pub(super) fn chords(p: &mut Scan) -> Option<ClauseKind> {
    p.attempt(|p| {
        chords_prefix(p)?;
        p.attempt(|p| {
            p.s();
            p.lit(":").then_some(())
        });
        p.s().then_some(())?;
        // `the progression I have in mind`: left to the grammar's `pronoun_i` (`I` before a
        // lower-case word that is no chord: `I vi IV V` stays here).
        if pronoun_i(*p) {
            return None;
        }
        chord_list(p).map(ClauseKind::Chords)
    })
}

/// `pronoun_i`: `"I" ~ s ~ !chord ~ ASCII_ALPHA_LOWER`, looked at ahead of the cursor.
fn pronoun_i(mut ahead: Scan) -> bool {
    let word = ahead.lit("I") && ahead.s();
    let mut probe = ahead;
    word && chord(&mut probe).is_none() && ahead.peek().is_some_and(|b| b.is_ascii_lowercase())
}

fn chords_prefix(p: &mut Scan) -> Option<()> {
    let alternate = |p: &mut Scan| {
        p.any_word(&["alternates", "alternating", "alternate"])?;
        spaced(p, &[&["between"]])
    };
    let using = |p: &mut Scan| {
        (p.word("using") && p.s()).then_some(())?;
        p.attempt(|p| (p.word("the") && p.s()).then_some(()));
        p.word("chords").then_some(())
    };
    let changes = |p: &mut Scan| {
        p.word("changes").then_some(())?;
        let mut ahead = *p;
        ahead.s();
        ahead.lit(":").then_some(())
    };
    // `over` asks whether a chord follows: left to the grammar.
    let over = p
        .rest()
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("over"));
    let progression = |p: &mut Scan| {
        p.word("progression").then_some(())?;
        p.attempt(|p| spaced(p, &[&["of", "is"]]));
        Some(())
    };
    (p.attempt(alternate))
        .or_else(|| p.attempt(using))
        .or_else(|| p.word("chords").then_some(()))
        .or_else(|| p.attempt(changes))
        .or_else(|| {
            (!over).then_some(())?;
            p.attempt(chord_noun).or_else(|| p.attempt(progression))
        })
}

/// Each choice of words after spaces, in order: `s ~ (^"a" | ^"b") ~ s ~ …`.
fn spaced(p: &mut Scan, choices: &[&[&'static str]]) -> Option<()> {
    p.attempt(|p| {
        for choice in choices {
            p.s().then_some(())?;
            p.any_word(choice)?;
        }
        Some(())
    })
}

/// `chord progression`, `chord sequence is`, `chord changes revolve around`.
fn chord_noun(p: &mut Scan) -> Option<()> {
    p.word("chord").then_some(())?;
    spaced(p, &[&["progression", "sequence", "changes"]])?;
    let alternates: &[&str] = &["alternates", "alternating"];
    let revolves: &[&str] = &["revolves", "centers", "centres", "moves"];
    (spaced(p, &[alternates, &["between"]]))
        .or_else(|| spaced(p, &[revolves, &["around", "through"]]))
        .or_else(|| spaced(p, &[&["of", "is", "follows"]]));
    Some(())
}

/// `chord_list`: chords and bar lines, apart by commas, `and`, hyphens or spaces; bar by bar.
fn chord_list(p: &mut Scan) -> Option<Vec<Vec<Spanned<ChordSpec>>>> {
    let mut items: Vec<Option<Spanned<ChordSpec>>> = Vec::new();
    while p.lit("|") {
        items.push(None);
        p.s();
    }
    items.push(Some(chord(p)?));
    while let Some(item) = p.attempt(|p| {
        gap(p);
        if p.lit("|") {
            return Some(None);
        }
        chord(p).map(Some)
    }) {
        items.push(item);
    }
    Some(bars(items))
}

/// The chords bar by bar: one a bar, or as the bar lines group them.
fn bars(items: Vec<Option<Spanned<ChordSpec>>>) -> Vec<Vec<Spanned<ChordSpec>>> {
    // Bar lines only after the last chord end a list (`Cm Ab Fm G7 | Instrument: Cello`).
    let last_chord = items.iter().rposition(Option::is_some).unwrap_or(0);
    if !items[..last_chord].iter().any(Option::is_none) {
        return items.into_iter().flatten().map(|c| vec![c]).collect();
    }
    let mut bars = Vec::new();
    let mut current = Vec::new();
    for item in items {
        match item {
            Some(chord) => current.push(chord),
            None if !current.is_empty() => bars.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        bars.push(current);
    }
    bars
}

/// `(s? ~ "," ~ s? ~ (^"and" ~ s)? | s ~ ^"and" ~ s | s? ~ ("-" | "–") ~ s? | s?)`.
fn gap(p: &mut Scan) {
    let comma = p.comma();
    if comma.is_some()
        || p.attempt(|p| (p.s() && p.word("and") && p.s()).then_some(()))
            .is_some()
    {
        return;
    }
    let dash = p.attempt(|p| {
        p.s();
        p.any_lit(&["-", "–"])?;
        p.s();
        Some(())
    });
    if dash.is_none() {
        p.s();
    }
}

/// `chord`: a numeral, a symbol, or a symbol in quotes.
fn chord(p: &mut Scan) -> Option<Spanned<ChordSpec>> {
    let start = p.at;
    let spec = (p.attempt(roman))
        .or_else(|| p.attempt(|p| symbol(p, false)))
        .or_else(|| {
            p.attempt(|p| {
                let quote = p.any_lit(&["'", "\""])?;
                let spec = symbol(p, true)?;
                p.lit(quote).then_some(spec)
            })
        })?;
    Some(Spanned {
        value: spec,
        span: p.span(start),
    })
}

const NUMERALS: [&str; 14] = [
    "VII", "VI", "V", "IV", "III", "II", "I", "vii", "vi", "v", "iv", "iii", "ii", "i",
];

const ROMAN_QUALITIES: [&str; 15] = [
    "°7", "°", "o7", "ø7", "ø", "dim7", "dim", "+", "aug", "maj9", "maj7", "9", "7", "sus4", "sus2",
];

/// `roman`: `bVII`, `V7`, `viio7`.
fn roman(p: &mut Scan) -> Option<ChordSpec> {
    let start = p.at;
    let sign = accidental_sign(p);
    let numeral = p.any_lit(&NUMERALS)?;
    let quality = p.any_lit(&ROMAN_QUALITIES).unwrap_or("");
    (!p.peek().is_some_and(is_chord_char)).then_some(())?;
    let alter = sign.map_or(0, |s| if s.contains(['#', '♯']) { 1 } else { -1 });
    parser::numeral_chord(alter, numeral, quality, p.slice(start)).ok()
}

const SUFFIXES: [&str; 28] = [
    "maj9", "maj7", "m7b5", "dim7", "dim", "aug", "sus2", "sus4", "sus", "min9", "min7", "min6",
    "min", "m9", "m7", "m6", "m", "M9", "M7", "9", "7", "6", "+", "°7", "°", "ø7", "ø", "",
];

/// `chord_symbol` (`G`, `Am7`, `G/B`), or `quoted_chord` before its closing quote.
fn symbol(p: &mut Scan, quoted: bool) -> Option<ChordSpec> {
    let root = chord_root(p)?;
    let suffix = SUFFIXES.iter().copied().find(|s| p.lit(s))?;
    let bass = p.attempt(|p| {
        p.lit("/").then_some(())?;
        chord_root(p)
    });
    match quoted {
        true => p.rest().starts_with(['\'', '"']).then_some(())?,
        false => (!p.peek().is_some_and(is_chord_char)).then_some(())?,
    }
    let root = parser::note_name_text(root.value, root.span).ok()?;
    let chord = Chord::new(root, ChordQuality::from_suffix(suffix)?);
    let chord = match bass {
        Some(bass) => chord.over(parser::note_name_text(bass.value, bass.span).ok()?)?,
        None => chord,
    };
    Some(ChordSpec::Symbol(chord))
}

/// `chord_root`: a capital `A`–`G` and its sign.
fn chord_root<'a>(p: &mut Scan<'a>) -> Option<Spanned<&'a str>> {
    let start = p.at;
    p.peek().filter(|b| (b'A'..=b'G').contains(b))?;
    p.at += 1;
    accidental_sign(p);
    Some(Spanned {
        value: p.slice(start),
        span: p.span(start),
    })
}

fn is_chord_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'\'' | b'#')
}
