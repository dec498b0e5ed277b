//! A conflict's clauses checked against the whole program: kept alone they must still conflict,
//! and each must be needed (issue 14's minimal conflicting set).
//!
//! `compose` explains a refusal inside the piece as resolved: the length, meter, rhythm, form and
//! the chords drawn around the parts stay as they are while it drops the part's clauses one by
//! one. Those may themselves hang on clauses it does not drop (one bar of 2/4 leaves two half
//! notes; a section C exists only in the user's form; chords drawn to suit the bass's `using
//! only`). So the clauses it names are decided once more as a program of their own — the style
//! words and those clauses, every other clause left out — and where that program can be met,
//! or one of them is not needed, the deletion filter runs over the program's clauses, the
//! named ones dropped last. Each decision is `compose` itself, which does not depend on the
//! seed, so a clause stays only if without it the rest can be met.
//!
//! A setting of the whole piece that `compose` named (the key, meter, length, form, a part's
//! note lengths) is never dropped: without it the style's own would stand in, and a conflict
//! found under a preset is another piece's (`form ABA` dropped, pop's form ends in B), which
//! the user's piece does not have. Such settings are only added, where the named clauses
//! alone can be met.

use crate::compose::{self, Conflict};
use crate::diagnostic::{Code, Span};
use crate::resolve::{self, Origin};
use crate::syntax::{self, ClauseKind, Line, Program};

/// `conflict` with a minimal set of the clauses of `source`, and the reason composing those
/// alone gives; unchanged when it already is one (or names none of the user's clauses).
pub(crate) fn over_program(source: &str, conflict: Conflict) -> Conflict {
    let (program, errors) = syntax::parse(source);
    if !errors.is_empty() {
        return conflict;
    }
    let clauses = droppable(&program);
    let named: Vec<usize> = (0..clauses.len())
        .filter(|&i| conflict.origins.iter().any(|o| overlaps(o, clauses[i].0)))
        .collect();
    if named.is_empty() {
        return conflict;
    }
    // Each set of clauses decided once (the filter may ask of the same set twice).
    let decided = std::cell::RefCell::new(Vec::<(Vec<usize>, bool)>::new());
    let refused = |keep: &[usize]| {
        let mut set = keep.to_vec();
        set.sort_unstable();
        if let Some((_, r)) = decided.borrow().iter().find(|(s, _)| *s == set) {
            return *r;
        }
        let r = compose::deciding(|| decide(&program, source, &clauses, keep).is_err());
        decided.borrow_mut().push((set, r));
        r
    };
    // A named setting of the whole piece stays: without it the style's would stand in, and a
    // conflict found under those is another piece's, whose reason would mislead.
    let (settings, rest): (Vec<usize>, Vec<usize>) = named.iter().partition(|&&i| clauses[i].1);
    let mut start = if refused(&named) {
        rest
    } else {
        let others = |settings_only: bool| -> Vec<usize> {
            (0..clauses.len())
                .filter(|i| !named.contains(i) && (clauses[*i].1 || !settings_only))
                .chain(rest.iter().copied())
                .collect()
        };
        let with = |set: &[usize]| [set, &settings[..]].concat();
        match [others(true), others(false)]
            .into_iter()
            .find(|s| refused(&with(s)))
        {
            Some(start) => start,
            None => return conflict,
        }
    };
    start = compose::minimal_conflict(start, |keep: &[usize]| {
        refused(&[keep, &settings[..]].concat())
    });
    let kept = [&settings[..], &start[..]].concat();
    if kept.len() == named.len() && kept.iter().all(|i| named.contains(i)) {
        return conflict;
    }
    // Only added to: the reason said of the user's piece still holds; with a clause dropped,
    // the reason is the one composing the kept clauses alone gives.
    let reason = match decide(&program, source, &clauses, &kept) {
        Err(Some(c)) if !named.iter().all(|i| kept.contains(i)) => {
            (c.iter().find(|c| c.role == conflict.role).or(c.first()))
                .map_or(conflict.reason.clone(), |c| c.reason.clone())
        }
        _ => conflict.reason.clone(),
    };
    let origins = origins_of(source, &conflict.origins, &clauses, &kept);
    Conflict {
        role: conflict.role,
        origins,
        reason,
    }
}

/// Every clause of the program but the style words of a piece line, which are presets (never
/// blamed, always kept); each with whether it sets the piece's key, meter, length, form or a
/// part's note lengths.
fn droppable(program: &Program) -> Vec<(Span, bool)> {
    let piece = |line: &Line| line.part.is_none() && line.section.is_none();
    (program.lines.iter())
        .flat_map(|line| {
            (line.clauses.iter())
                .filter(move |c| !(piece(line) && matches!(c.kind, ClauseKind::Words(_))))
                .map(|c| (c.span, is_setting(&c.kind)))
        })
        .collect()
}

fn is_setting(kind: &ClauseKind) -> bool {
    use ClauseKind::*;
    matches!(
        kind,
        Key { .. }
            | Meter(_)
            | Bars(_)
            | SectionBars(_)
            | PhraseBars(_)
            | SectionLengths { .. }
            | Form(_)
            | Rhythm(_)
            | Seconds(_)
            | Tempo(..)
    )
}

fn overlaps(origin: &Origin, span: Span) -> bool {
    matches!(origin, Origin::Line { span: s, .. } if s.start < span.end && span.start < s.end)
}

/// Composes the program of the clauses `keep` (of `clauses`) and the style words: `Ok` when it
/// can be met; `Err` with the conflicts when it cannot, `Err(None)` for a static conflict. A
/// program that does not resolve for another reason (a section line without its section) is
/// no conflict of these clauses: it counts as met, so the clause it lacks stays named.
fn decide(
    program: &Program,
    source: &str,
    clauses: &[(Span, bool)],
    keep: &[usize],
) -> Result<(), Option<Vec<Conflict>>> {
    let kept = |span: &Span| {
        let i = clauses.iter().position(|c| c.0 == *span);
        i.is_none_or(|i| keep.contains(&i))
    };
    let lines = (program.lines.iter())
        .map(|line| Line {
            clauses: (line.clauses.iter())
                .filter(|c| kept(&c.span))
                .cloned()
                .collect(),
            ..line.clone()
        })
        .filter(|line| !line.clauses.is_empty())
        .collect();
    match resolve::resolve(&Program { lines }, source, None) {
        Ok(plan) => compose::compose(&plan, plan.seed.unwrap_or(0), "")
            .map(drop)
            .map_err(Some),
        Err(errors) if errors.iter().all(|e| STATIC.contains(&e.code)) => Err(None),
        Err(_) => Ok(()),
    }
}

/// The errors resolve gives for clauses that cannot all hold (a solo with other parts, a form
/// the length does not divide, chords longer than their section, a cadence against the chords).
const STATIC: [Code; 4] = [
    Code::SoloWithOtherParts,
    Code::FormLength,
    Code::ChordsLength,
    Code::CadenceMismatch,
];

/// The origins of the clauses `kept`: those the conflict named first, as it named them, then
/// the others in the order of the program.
fn origins_of(
    source: &str,
    named: &[Origin],
    clauses: &[(Span, bool)],
    kept: &[usize],
) -> Vec<Origin> {
    let mut out: Vec<Origin> = (named.iter())
        .filter(|o| kept.iter().any(|&i| overlaps(o, clauses[i].0)))
        .cloned()
        .collect();
    let mut added: Vec<usize> = kept.to_vec();
    added.sort_unstable();
    for i in added {
        if !out.iter().any(|o| overlaps(o, clauses[i].0)) {
            out.push(resolve::origin_at(source, clauses[i].0));
        }
    }
    out
}
