//! Back references: `those notes`, `stay inside that`, `using the notes` refer to notes or a
//! range named before them, and ask nothing more; with nothing named before, they are refused.

use super::ast::{ClauseKind, Program};
use crate::diagnostic::{Code, Diagnostic};

/// Drops every back reference from `program`; one with no notes, range or key named before it
/// (in reading order, over every line) is an error at its words.
pub(super) fn settle(program: &mut Program, errors: &mut Vec<Diagnostic>) {
    let mut named = false;
    let before = errors.len();
    for line in &mut program.lines {
        for clause in &line.clauses {
            match clause.kind {
                ClauseKind::BackReference if !named => errors.push(nothing_named(clause.span)),
                ClauseKind::UsingOnly(_)
                | ClauseKind::Range(..)
                | ClauseKind::Floor(_)
                | ClauseKind::Ceiling(_)
                | ClauseKind::Compass(_)
                | ClauseKind::KeySignature(_)
                | ClauseKind::Key { .. } => named = true,
                _ => {}
            }
        }
        line.clauses
            .retain(|c| !matches!(c.kind, ClauseKind::BackReference));
    }
    if errors.len() > before {
        errors.sort_by_key(|e| e.labels.first().map(|l| l.span.start));
    }
}

fn nothing_named(span: crate::diagnostic::Span) -> Diagnostic {
    Diagnostic::at(
        Code::NothingNamedBefore,
        span,
        "these words refer back to notes or a range, but none is named before them",
        "nothing named before this to refer to",
    )
    .hint("name the notes first (`using only G, A, B, D and E`) or the range (`range D4 to B5`), or leave these words out")
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::syntax::parse;

    fn first_error(source: &str) -> Option<(Code, &str)> {
        let (_, errors) = parse(source);
        let e = errors.first()?;
        let span = e.labels[0].span;
        Some((e.code, &source[span.start..span.end]))
    }

    #[test]
    fn a_back_reference_with_nothing_before_it_is_refused_at_its_words() {
        for (source, words) in [
            ("folk tune, stay inside that", "inside that"),
            ("a reel using the notes", "using the notes"),
            ("a jig, stick to those notes", "stick to those notes"),
            ("waltz, within that range, 16 bars", "within that range"),
        ] {
            assert_eq!(
                first_error(source),
                Some((Code::NothingNamedBefore, words)),
                "{source}"
            );
        }
    }

    #[test]
    fn a_back_reference_after_notes_a_range_or_a_key_asks_nothing_more() {
        for source in [
            "she only knows G, A and B so a tune using just those notes",
            "my student can only manage D4 up to B5 so please stay inside that",
            "reel in D, stick to those notes",
            "folk tune\nmelody: range D4 to B5\nwithin that range",
            "folk tune, within an octave, stay inside that",
            "K:D\nfolk tune, stick to those notes",
        ] {
            let (program, errors) = parse(source);
            assert!(errors.is_empty(), "{source}: {errors:?}");
            let kinds = program.lines.iter().flat_map(|l| &l.clauses);
            assert!(
                kinds
                    .clone()
                    .all(|c| c.kind != super::ClauseKind::BackReference),
                "{source}"
            );
        }
    }

    #[test]
    fn a_back_reference_before_what_it_names_is_still_refused() {
        let source = "folk tune, stay inside that, range D4 to B5";
        assert_eq!(
            first_error(source),
            Some((Code::NothingNamedBefore, "inside that"))
        );
    }
}
