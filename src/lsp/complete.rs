//! Completion by context: what may come next where the cursor stands, from the vocabulary.
//! Clause words, styles and moods on a piece line; instruments and the part's clauses after
//! `melody:`; modes after `in D`; patterns after `chords:` and `bass:`; units after a number.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionResponse, Documentation, Position};

use super::Document;
use super::hover::kind_name;
use crate::parts::PartRole;
use crate::vocabulary::{self, Kind, Word};

/// Where on its line the cursor stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Nothing written yet: a piece line, or the head of a part or section line.
    LineStart,
    Piece,
    Part(PartRole),
    Section,
    /// After `in D`: the mode.
    Mode,
    /// After a number: what it counts.
    Unit,
}

/// The words that may come at `at`; none inside a comment.
pub(super) fn complete(doc: &Document, at: Position) -> Option<CompletionResponse> {
    let offset = doc.lines.offset(&doc.text, at);
    let before = &doc.text[doc.lines.line_start(offset)..offset];
    let before = before.to_lowercase();
    if in_comment(&before) {
        return None;
    }
    let place = place(&before);
    let mut items: Vec<CompletionItem> = Vec::new();
    if place == Place::LineStart {
        items.extend(heads());
    }
    let mut offered = std::collections::BTreeSet::new();
    for word in vocabulary::words().filter(|w| fits(w, place)) {
        // A word with two senses that both fit is offered once.
        if offered.insert(word.text) {
            items.push(item(&word, items.len()));
        }
    }
    Some(CompletionResponse::Array(items))
}

/// A `#` at the start of a word starts a comment (in `C#` it is a sharp).
fn in_comment(before: &str) -> bool {
    let mut previous = ' ';
    before.chars().any(|c| {
        let starts = c == '#' && previous.is_whitespace();
        previous = c;
        starts
    })
}

fn place(before: &str) -> Place {
    let clause = before.rsplit([',', ':']).next().unwrap_or("");
    let mut words: Vec<&str> = clause.split_whitespace().collect();
    if !clause.ends_with(char::is_whitespace) {
        words.pop(); // the word being typed
    }
    let last_two = (words.len() >= 2).then(|| (words[words.len() - 2], words[words.len() - 1]));
    if last_two.is_some_and(|(a, b)| ["in", "of", "key"].contains(&a) && is_pitch_name(b)) {
        return Place::Mode;
    }
    if words
        .last()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()))
    {
        return Place::Unit;
    }
    let Some((head, _)) = before.split_once(':') else {
        let nothing_yet = before.trim().is_empty() || !before.trim_start().contains(' ');
        return if nothing_yet {
            Place::LineStart
        } else {
            Place::Piece
        };
    };
    let head: Vec<&str> = head.split_whitespace().collect();
    match (head.first(), head.last().and_then(|w| PartRole::named(w))) {
        (_, Some(role)) => Place::Part(role),
        (Some(&"section"), None) => Place::Section,
        _ => Place::Piece,
    }
}

/// `D`, `F#`, `Bb`, `E♭`.
fn is_pitch_name(word: &str) -> bool {
    let mut chars = word.chars();
    let letter = chars.next().is_some_and(|c| ('a'..='g').contains(&c));
    let rest: String = chars.collect();
    letter && ["", "#", "b", "♯", "♭"].contains(&rest.as_str())
}

/// Whether `word` may come at `place`.
fn fits(word: &Word, place: Place) -> bool {
    let piece = matches!(
        word.kind,
        Kind::Style | Kind::Mood | Kind::Noun | Kind::Keyword | Kind::Switch(_) | Kind::Tempo(..)
    );
    match place {
        Place::LineStart | Place::Piece => word.places.piece() && piece,
        Place::Mode => word.kind == Kind::Mode,
        Place::Unit => word.kind == Kind::Unit,
        Place::Section => word.places.section() && !matches!(word.kind, Kind::Unit | Kind::Joiner),
        Place::Part(role) => {
            let part_word = matches!(
                word.kind,
                Kind::Keyword
                    | Kind::Instrument
                    | Kind::Drum
                    | Kind::Dynamic
                    | Kind::Density(_)
                    | Kind::Contour(_)
                    | Kind::ChordPattern
                    | Kind::BassPattern
            );
            let instrument_here = word.kind != Kind::Instrument || role != PartRole::Drums;
            part_word
                && instrument_here
                && (word.kind == Kind::Instrument || word.places.part(role))
        }
    }
}

/// The heads of part and section lines.
fn heads() -> Vec<CompletionItem> {
    let parts = PartRole::ALL.into_iter().map(|role| CompletionItem {
        label: format!("{}:", role.name()),
        kind: Some(CompletionItemKind::MODULE),
        detail: Some("part line".into()),
        insert_text: Some(format!("{}: ", role.name())),
        ..CompletionItem::default()
    });
    let section = CompletionItem {
        label: "section".into(),
        kind: Some(CompletionItemKind::MODULE),
        detail: Some("section line: `section B: louder`".into()),
        ..CompletionItem::default()
    };
    parts.chain([section]).collect()
}

fn item(word: &Word, order: usize) -> CompletionItem {
    let kind = match word.kind {
        Kind::Keyword | Kind::Unit | Kind::Switch(_) => CompletionItemKind::KEYWORD,
        Kind::Style | Kind::Mood => CompletionItemKind::CLASS,
        _ => CompletionItemKind::ENUM_MEMBER,
    };
    CompletionItem {
        label: word.text.to_string(),
        kind: Some(kind),
        detail: Some(format!("{}: {}", kind_name(word.kind), word.meaning)),
        documentation: Some(Documentation::String(word.usage.to_string())),
        // The vocabulary's order, not the alphabet's.
        sort_text: Some(format!("{order:05}")),
        ..CompletionItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_place_follows_the_line_so_far() {
        assert_eq!(place(""), Place::LineStart);
        assert_eq!(place("jig"), Place::LineStart);
        assert_eq!(place("jig in g, "), Place::Piece);
        assert_eq!(place("jig in g "), Place::Mode);
        assert_eq!(place("folk tune in f# dor"), Place::Mode);
        assert_eq!(place("jig, 16 "), Place::Unit);
        assert_eq!(place("melody: "), Place::Part(PartRole::Melody));
        assert_eq!(place("section b bass: walk"), Place::Part(PartRole::Bass));
        assert_eq!(place("section b: "), Place::Section);
    }

    #[test]
    fn a_sharp_is_not_a_comment() {
        assert!(!in_comment("in c# minor, "));
        assert!(in_comment("jig # a comment "));
        assert!(in_comment("# a comment"));
    }
}
