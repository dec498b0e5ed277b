//! Chords drawn with the bass's line in a form whose sections play more than once (AABA,
//! ABAB): a repeat plays its section's chords and the bass's notes again, so each distinct
//! section is one chain of its own, summed up by the (first, last) bass notes its chords leave
//! a line between, and the form is decided over those pairs (`whole_form`, exact). Then each
//! section's edges are drawn among those that extend to the whole form, and its chords by the
//! chain kept to them: the cost is linear in the distinct sections' chords, not the form's.
//!
//! A varied repeat (A') plays its base's chords and re-draws only its last phrase of the bass;
//! here it is held to its base's notes, which the bass writer may always play again: chords
//! found so always leave the writer a line (a sufficient decision, not an exact one: a form
//! whose A' must end elsewhere than A is not found so, and keeps the chords drawn before).

use rand::RngCore;

use super::super::chain::pick;
use super::super::whole_form::{self, Edge, Join, Pairs};
use super::{ChordChain, Notes, Pitches, backward, bits, chord_masks, forward, under_chords};
use super::{spans_of, through, whole_slots, widen};
use crate::resolve::{PartPlan, Plan, Section};
use crate::theory::Chord;

/// One distinct section's chain: where its chords start (absolute, at its first playing), where
/// it ends, and each chord's weight per candidate.
pub struct Distinct<'a> {
    pub section: &'a Section,
    pub starts: Vec<u32>,
    pub end: u32,
    pub weights: Vec<Vec<f64>>,
}

/// Each distinct section's chords (candidate indices), drawn so that `bass` has a line under
/// them through the whole form; `None` when none leaves it one (decided before any draw), or
/// the form is too tangled to decide within `whole_form`'s budget.
pub fn draw(
    plan: &Plan,
    bass: &PartPlan,
    (distinct, chords): (&[Distinct], &[Chord]),
    transition: &dyn Fn(&Distinct, usize, u8, u8) -> f64,
    densest: bool,
    rng: &mut impl RngCore,
) -> Option<Vec<Vec<u8>>> {
    let leap = bass.max_leap.as_ref()?.value;
    let notes = distinct_notes(plan, bass, (distinct, chords), densest)?;
    type Moves<'t> = Box<dyn Fn(usize, u8, u8) -> f64 + 't>;
    let moves: Vec<Moves> = (distinct.iter())
        .map(|d| Box::new(move |i, x, y| transition(d, i, x, y)) as Moves)
        .collect();
    let chains: Vec<ChordChain> = (distinct.iter().zip(&moves))
        .map(|(d, moves)| ChordChain {
            starts: &d.starts,
            end: d.end,
            chords,
            weights: &d.weights,
            transition: moves.as_ref(),
        })
        .collect();
    let mut domains: Vec<Pairs> = (chains.iter().zip(&notes))
        .map(|(chain, notes)| pairs(chain, notes))
        .collect();
    let joins = joins(plan, distinct, leap);
    if whole_form::satisfiable(&domains, &joins)? {
        let mut picks = Vec::with_capacity(distinct.len());
        for x in 0..distinct.len() {
            let (first, last) = edges(&whole_form::extendable(x, &domains, &joins)?, rng)?;
            domains[x] = vec![(first, vec![last])];
            let kept = kept_to(&notes[x], first, last);
            let beta = backward(&chains[x], &kept)?;
            picks.push(forward(&chains[x], &kept, &beta, rng)?);
        }
        return Some(picks);
    }
    None
}

/// The bass's notes under each distinct section's chords at its first playing (the bass's
/// rhythm is laid chord by chord, so a repeat's is the same): the piece's first note on the
/// section that opens it, its last on the section that closes it.
fn distinct_notes(
    plan: &Plan,
    bass: &PartPlan,
    (distinct, chords): (&[Distinct], &[Chord]),
    densest: bool,
) -> Option<Vec<Notes>> {
    let leap = bass.max_leap.as_ref()?.value;
    let (first, last) = (
        plan.sections.first()?.name.letter,
        plan.sections.last()?.name.letter,
    );
    // Each section's last chord lasts to its own end, as its writer lays it out: not on to
    // where the next distinct section first plays.
    let mut bounds: Vec<(u32, u32)> = (distinct.iter())
        .flat_map(|d| spans_of(&d.starts, d.end))
        .collect();
    bounds.sort_unstable();
    let slots = whole_slots(plan, bass, (&bounds, chords[0]), densest)?;
    let mut out = Vec::with_capacity(distinct.len());
    for d in distinct {
        let mine: Vec<_> = (slots.iter().copied())
            .filter(|s| s.start >= d.starts[0] && s.start < d.end)
            .collect();
        let under = under_chords(&d.starts, mine)?;
        let n = under.len() - 1;
        let masks = (under.iter().enumerate())
            .map(|(i, slots)| {
                let ends = (
                    i == 0 && d.section.name.letter == first,
                    i == n && d.section.name.letter == last,
                );
                chord_masks(plan, bass, chords, slots, ends)
            })
            .collect();
        out.push(Notes { masks, leap });
    }
    Some(out)
}

/// Each first note of the bass in `chain` with the last notes some chords of it leave a line
/// to: one pass forward over the sets of last notes per candidate, for each first note.
fn pairs(chain: &ChordChain, notes: &Notes) -> Pairs {
    let (n, k) = (chain.starts.len(), chain.chords.len());
    let opens = |c: usize| chain.weights[0][c] > 0.0;
    let moves: Vec<Vec<Vec<usize>>> = (0..n.saturating_sub(1))
        .map(|i| {
            (0..k)
                .map(|d| {
                    (0..k)
                        .filter(|&c| (chain.transition)(i, c as u8, d as u8) > 0.0)
                        .collect()
                })
                .collect()
        })
        .collect();
    let firsts = (0..k)
        .filter(|&c| opens(c))
        .fold(0, |m, c| m | notes.masks[0][c][0]);
    let mut out = Pairs::new();
    for f in bits(firsts) {
        let mut at: Vec<Pitches> = (0..k)
            .map(|c| match opens(c) {
                true => through(&notes.masks[0][c], 1 << f, notes.leap),
                false => 0,
            })
            .collect();
        for (i, moves) in moves.iter().enumerate() {
            at = (0..k)
                .map(|d| {
                    let from = moves[d].iter().fold(0, |m, &c| m | at[c]);
                    match chain.weights[i + 1][d] > 0.0 && from != 0 {
                        true => {
                            through(&notes.masks[i + 1][d], widen(from, notes.leap), notes.leap)
                        }
                        false => 0,
                    }
                })
                .collect();
        }
        let lasts: Vec<u8> = bits(at.iter().fold(0, |m, a| m | a)).collect();
        if !lasts.is_empty() {
            out.push((f, lasts));
        }
    }
    out
}

/// The form's neighbouring sections, each pair once: the bass's last note of one within its
/// leap limit of the first of the next.
fn joins(plan: &Plan, distinct: &[Distinct], leap: u8) -> Vec<Join> {
    let index =
        |s: &Section| (distinct.iter()).position(|d| d.section.name.letter == s.name.letter);
    let mut joins: Vec<Join> = Vec::new();
    for pair in plan.sections.windows(2) {
        let (Some(a), Some(b)) = (index(&pair[0]), index(&pair[1])) else {
            continue;
        };
        let join = Join {
            a: (a, Edge::Last),
            b: (b, Edge::First),
            leap,
        };
        if !joins.contains(&join) {
            joins.push(join);
        }
    }
    joins
}

/// One (first, last) pair of `kept`, each alike likely.
fn edges(kept: &Pairs, rng: &mut impl RngCore) -> Option<(u8, u8)> {
    let flat: Vec<(u8, u8)> = (kept.iter())
        .flat_map(|(f, lasts)| lasts.iter().map(move |l| (*f, *l)))
        .collect();
    flat.get(pick(rng, &vec![1.0; flat.len()])?).copied()
}

/// `notes` with the section's first bass note `first` and its last `last`.
fn kept_to(notes: &Notes, first: u8, last: u8) -> Notes {
    let mut masks = notes.masks.clone();
    for chord in &mut masks[0] {
        chord[0] &= 1 << first;
    }
    for chord in masks.last_mut().into_iter().flatten() {
        if let Some(m) = chord.last_mut() {
            *m &= 1 << last;
        }
    }
    Notes {
        masks,
        leap: notes.leap,
    }
}
