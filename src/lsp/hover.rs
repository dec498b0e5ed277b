//! Hover: what the word under the cursor means (from the vocabulary) and what it resolved to in
//! this document (each setting with its value, strength and origin).

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::Document;
use crate::presets::instruments;
use crate::vocabulary::{self, Kind, Word};
use crate::{Setting, Span};

/// The longest phrase the vocabulary knows (`no leaps larger than` has four words).
const LONGEST_PHRASE: usize = 4;

/// What the cursor at `at` points at, if tunec has anything to say about it.
pub(super) fn hover(doc: &Document, at: Position) -> Option<Hover> {
    let offset = doc.lines.offset(&doc.text, at);
    let (span, words) = known_phrase(doc, offset).unwrap_or((Span::new(offset, offset), vec![]));
    let settings = settings_at(doc, offset, &words);
    if words.is_empty() && settings.is_empty() {
        return None;
    }
    let mut text = String::new();
    for word in &words {
        // A word listed twice with one sense (a General MIDI name that is also an everyday
        // one) is described once.
        let sense = describe(word);
        if !text.contains(&sense) {
            text += &sense;
        }
    }
    if !settings.is_empty() {
        text += "**In this file**\n\n";
        for s in &settings {
            let scope = &s.scope;
            let (name, value, strength, origin) = (s.name, &s.value, s.strength, &s.origin);
            text += &format!("- {scope} {name}: **{value}** ({strength}, {origin})\n");
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text.trim_end().to_string(),
        }),
        range: (!words.is_empty()).then(|| doc.lines.range(&doc.text, span)),
    })
}

/// The words of the line holding `offset`, as byte spans of the document: runs of letters,
/// digits and the marks that belong to words (`C#4`, `6/8`, `counter-melody`, `A'`).
pub(super) fn words_of_line(text: &str, line: (usize, usize)) -> Vec<Span> {
    let in_word = |c: char| c.is_alphanumeric() || "#'♯♭-/".contains(c);
    let mut spans: Vec<Span> = Vec::new();
    let mut start = None;
    for (at, c) in text[line.0..line.1].char_indices() {
        match (in_word(c), start) {
            (true, None) => start = Some(line.0 + at),
            (false, Some(s)) => {
                spans.push(Span::new(s, line.0 + at));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push(Span::new(s, line.1));
    }
    spans
}

/// The longest run of words around `offset` that the vocabulary knows, with its senses.
fn known_phrase(doc: &Document, offset: usize) -> Option<(Span, Vec<Word>)> {
    let line_start = doc.lines.line_start(offset);
    let line = doc.lines.position(&doc.text, offset).line as usize;
    let line_end = doc.lines.line_end(&doc.text, line);
    let words = words_of_line(&doc.text, (line_start, line_end));
    let here = words
        .iter()
        .position(|w| w.start <= offset && offset <= w.end)?;
    for length in (1..=LONGEST_PHRASE).rev() {
        for first in here.saturating_sub(length - 1)..=here {
            let Some(run) = words.get(first..first + length) else {
                continue;
            };
            let phrase: Vec<String> = run
                .iter()
                .map(|w| doc.text[w.start..w.end].to_lowercase())
                .collect();
            let senses: Vec<Word> = vocabulary::senses(&phrase.join(" ")).collect();
            if !senses.is_empty() {
                return Some((Span::new(run[0].start, run[length - 1].end), senses));
            }
        }
    }
    None
}

/// The settings written at `offset`, and those a style or mood word there brought with it.
fn settings_at(doc: &Document, offset: usize, words: &[Word]) -> Vec<Setting> {
    let presets: Vec<String> = words
        .iter()
        .filter(|w| matches!(w.kind, Kind::Style | Kind::Mood))
        .map(|w| format!("preset {}", w.text))
        .collect();
    doc.analysis
        .settings()
        .into_iter()
        .filter(|s| {
            let written_here = s
                .span
                .is_some_and(|sp| sp.start <= offset && offset < sp.end);
            written_here || presets.contains(&s.origin)
        })
        .collect()
}

/// One sense of a word, as Markdown: what kind of word, how firmly it binds, what it means,
/// how it is written.
fn describe(word: &Word) -> String {
    let strength = word.strength.map_or(String::new(), |s| format!(" ({s})"));
    let program = instruments::program(word.text)
        .filter(|_| word.kind == Kind::Instrument)
        .map_or(String::new(), |p| {
            format!(": program {p}, {}", instruments::name(p))
        });
    format!(
        "**{}**, {}{strength}: {}{program}\n\n`{}`\n\n",
        word.text,
        kind_name(word.kind),
        word.meaning,
        word.usage
    )
}

/// What kind of word it is, as a musician says it.
pub(super) fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Keyword => "clause",
        Kind::Unit => "unit",
        Kind::Joiner | Kind::Phrasing | Kind::Skip => "glue word",
        Kind::Switch(_) => "piece clause",
        Kind::Loudness(_) => "section loudness",
        Kind::Section => "section line",
        Kind::Part | Kind::PartNoun(_) => "part",
        Kind::DrumWord(_) => "drum groove",
        Kind::Style | Kind::StyleWord(_) => "style",
        Kind::Mood | Kind::MoodWord(_) => "mood",
        Kind::Noun => "noun",
        Kind::Mode => "mode",
        Kind::Dynamic => "dynamic",
        Kind::Density(_) => "density",
        Kind::Contour(_) => "contour",
        Kind::ChordPattern => "chords pattern",
        Kind::BassPattern => "bass pattern",
        Kind::Drum => "drum",
        Kind::Instrument => "instrument",
        Kind::Ensemble => "ensemble",
        Kind::Target => "note of the key",
        Kind::Cadence => "cadence",
        Kind::Duration => "note length",
        Kind::Interval => "interval",
        Kind::Count => "number",
        Kind::Tempo(..) => "tempo word",
        Kind::Length(_) => "length word",
        Kind::Genre => "genre without a preset",
        Kind::Refused(_) => "refused request",
    }
}
