//! Chords drawn with the bass's line in a form whose sections play more than once (AABA,
//! ABAB): a repeat plays its section's chords and the bass's notes again, so each distinct
//! section is one chain of its own, summed up by the (first, last) bass notes its chords leave
//! a line between, and the form is decided over those pairs (`whole_form`, exact). Then each
//! section's edges are drawn among those that extend to the whole form, and its chords by the
//! chain kept to them: the cost is linear in the distinct sections' chords, not the form's.
//!
//! A varied repeat (A') plays its base's chords and re-draws only its last phrase of the bass;
//! `draw` holds it to its base's notes, which the bass writer may always play again: chords
//! found so always leave the writer a line, but a form whose A' must end elsewhere than A is
//! not found so. Then `draw_exact` decides A and A' together (`varied`), exactly.

use rand::RngCore;

use super::super::chain::pick;
use super::super::rhythm::Slot;
use super::super::whole_form::{self, Edge, Join, Pairs, Triple};
use super::{ChordChain, Notes, Pitches, backward, bits, chord_masks, forward, under_chords};
use super::{plays_tumbao, spans_of, through, varied, whole_slots, widen};
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

/// What the chords of a form with repeats are drawn from: the plan, its distinct sections, the
/// candidate chords and the style's moves between them within a section.
#[derive(Clone, Copy)]
pub struct Form<'a> {
    pub plan: &'a Plan,
    pub distinct: &'a [Distinct<'a>],
    pub chords: &'a [Chord],
    pub transition: &'a dyn Fn(&Distinct, usize, u8, u8) -> f64,
}

/// Each distinct section's chords (candidate indices), drawn so that `bass` has a line under
/// them through the whole form; `None` when none leaves it one (decided before any draw), or
/// the form is too tangled to decide within `whole_form`'s budget.
pub fn draw(
    form: &Form,
    bass: &PartPlan,
    densest: bool,
    rng: &mut impl RngCore,
) -> Option<Vec<Vec<u8>>> {
    let (plan, distinct, chords) = (form.plan, form.distinct, form.chords);
    let leap = bass.max_leap.as_ref()?.value;
    let notes = distinct_notes(plan, bass, (distinct, chords), densest)?;
    with_chains((distinct, chords), form.transition, |chains| {
        let mut domains: Vec<Pairs> = (chains.iter().zip(&notes))
            .map(|(chain, notes)| pairs(chain, notes))
            .collect();
        let joins = joins(plan, distinct, leap, false);
        if !whole_form::satisfiable(&domains, &joins)? {
            return None;
        }
        let mut picks = Vec::with_capacity(distinct.len());
        for x in 0..distinct.len() {
            let kept = whole_form::extendable(x, &domains, &joins)?;
            let [first, last, _, _] = edges(&whole_form::flatten(&kept), rng)?;
            domains[x] = vec![(first, vec![last])];
            picks.push(draw_kept(&chains[x], &notes[x], (first, last), rng)?);
        }
        Some(picks)
    })
}

/// Each distinct section's chord chain, its moves those of `transition`, handed to `f`.
fn with_chains<T>(
    (distinct, chords): (&[Distinct], &[Chord]),
    transition: &dyn Fn(&Distinct, usize, u8, u8) -> f64,
    f: impl FnOnce(&[ChordChain]) -> T,
) -> T {
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
    f(&chains)
}

/// A section's chords drawn with the bass kept to the edges `(first, last)`.
fn draw_kept(
    chain: &ChordChain,
    notes: &Notes,
    (first, last): (u8, u8),
    rng: &mut impl RngCore,
) -> Option<Vec<u8>> {
    let kept = kept_to(notes, first, last);
    let beta = backward(chain, &kept)?;
    forward(chain, &kept, &beta, rng)
}

/// `draw`, exact for a form with varied repeats: each section followed by its varied repeat is
/// summed up by its edges (first, its last, the repeat's last and first: `varied`), not held
/// to play the same notes as its repeat. `None` when it cannot say (a tumbao's varied repeat,
/// or one that plays before its base; the search past its budget), `Some(None)` when no chords
/// leave the bass a line through the form.
pub fn draw_exact(
    form: &Form,
    bass: &PartPlan,
    densest: bool,
    rng: &mut impl RngCore,
) -> Option<Option<Vec<Vec<u8>>>> {
    let (plan, distinct, chords) = (form.plan, form.distinct, form.chords);
    let leap = bass.max_leap.as_ref()?.value;
    let shapes = shapes(plan, bass, (distinct, chords), densest)?;
    with_chains((distinct, chords), form.transition, |chains| {
        let mut domains = triples(chains, &shapes);
        let joins = joins(plan, distinct, leap, true);
        if !whole_form::satisfiable_triples(&domains, &joins)? {
            return Some(None);
        }
        let mut picks = Vec::with_capacity(distinct.len());
        for x in 0..distinct.len() {
            let kept = whole_form::extendable_triples(x, &domains, &joins)?;
            let triple = edges(&kept, rng)?;
            domains[x] = vec![triple];
            picks.push(match &shapes[x] {
                Shape::Plain(notes) => draw_kept(&chains[x], notes, (triple[0], triple[1]), rng)?,
                Shape::Twin(twin) => varied::draw(&chains[x], twin, triple, rng)?,
            });
        }
        Some(Some(picks))
    })
}

/// Whether some chords of `form` leave `bass` a line through the whole form, decided as
/// `draw_exact` decides it (a varied repeat's notes after its new phrase its own); `None`
/// where that cannot be said (as `draw_exact`).
pub fn decide(form: &Form, bass: &PartPlan, densest: bool) -> Option<bool> {
    let (plan, distinct, chords) = (form.plan, form.distinct, form.chords);
    let leap = bass.max_leap.as_ref()?.value;
    let shapes = shapes(plan, bass, (distinct, chords), densest)?;
    with_chains((distinct, chords), form.transition, |chains| {
        let joins = joins(plan, distinct, leap, true);
        whole_form::satisfiable_triples(&triples(chains, &shapes), &joins)
    })
}

/// Each distinct section summed up by the (first, last, varied repeat's last) of the lines
/// some chords of its chain leave the bass.
fn triples(chains: &[ChordChain], shapes: &[Shape]) -> Vec<Vec<Triple>> {
    (chains.iter().zip(shapes))
        .map(|(chain, shape)| match shape {
            Shape::Plain(notes) => whole_form::flatten(&pairs(chain, notes)),
            Shape::Twin(twin) => varied::triples(chain, twin),
        })
        .collect()
}

/// A distinct section's bass notes: one line, or a line and its varied repeat's.
enum Shape {
    Plain(Notes),
    Twin(varied::Twin),
}

/// Each distinct section's notes for `draw_exact`; `None` where it cannot say.
fn shapes(
    plan: &Plan,
    bass: &PartPlan,
    (distinct, chords): (&[Distinct], &[Chord]),
    densest: bool,
) -> Option<Vec<Shape>> {
    let notes = distinct_notes(plan, bass, (distinct, chords), densest)?;
    let slots = section_slots(plan, bass, (distinct, chords), densest)?;
    let (first, last) = (plan.sections.first()?.name, plan.sections.last()?.name);
    // A tumbao's new phrase rests on its first beat as a section does: not laid out here.
    let tumbao = plays_tumbao(bass);
    let mut out = Vec::with_capacity(distinct.len());
    for ((d, notes), under) in distinct.iter().zip(notes).zip(slots) {
        let letter = d.section.name.letter;
        let Some(varied) =
            (plan.sections.iter()).find(|s| s.name.letter == letter && s.name.varied)
        else {
            out.push(Shape::Plain(notes));
            continue;
        };
        if d.section.name.varied || tumbao {
            return None;
        }
        let keep = plan.ticks_of(d.section).start + varied.kept_bars() * plan.bar_ticks();
        let ends = [
            first.letter == letter,
            last == d.section.name,
            last == varied.name,
        ];
        let twin = varied::Twin::of(
            (plan, bass, chords),
            &under,
            (&d.starts, keep),
            ends,
            densest,
        )?;
        out.push(Shape::Twin(twin));
    }
    Some(out)
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
    let mut out = Vec::with_capacity(distinct.len());
    for (d, under) in distinct
        .iter()
        .zip(section_slots(plan, bass, (distinct, chords), densest)?)
    {
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

/// Each distinct section's bass notes at its first playing, grouped by the chord they sound
/// under; `None` when a chord has none.
fn section_slots(
    plan: &Plan,
    bass: &PartPlan,
    (distinct, chords): (&[Distinct], &[Chord]),
    densest: bool,
) -> Option<Vec<Vec<Vec<Slot>>>> {
    // Each section's last chord lasts to its own end, as its writer lays it out: not on to
    // where the next distinct section first plays.
    let mut bounds: Vec<(u32, u32)> = (distinct.iter())
        .flat_map(|d| spans_of(&d.starts, d.end))
        .collect();
    bounds.sort_unstable();
    let slots = whole_slots(plan, bass, (&bounds, chords), densest)?;
    (distinct.iter())
        .map(|d| {
            let mine: Vec<_> = (slots.iter().copied())
                .filter(|s| s.start >= d.starts[0] && s.start < d.end)
                .collect();
            under_chords(&d.starts, mine)
        })
        .collect()
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
/// leap limit of the first of the next; with `varied_lasts`, a varied repeat's last note is its
/// own (`Edge::VariedLast`), and so is its first where it renews the whole section
/// (`Edge::VariedFirst`), else its base's.
fn joins(plan: &Plan, distinct: &[Distinct], leap: u8, varied_lasts: bool) -> Vec<Join> {
    let index =
        |s: &Section| (distinct.iter()).position(|d| d.section.name.letter == s.name.letter);
    let mut joins: Vec<Join> = Vec::new();
    for pair in plan.sections.windows(2) {
        let (Some(a), Some(b)) = (index(&pair[0]), index(&pair[1])) else {
            continue;
        };
        let last = match varied_lasts && pair[0].name.varied {
            true => Edge::VariedLast,
            false => Edge::Last,
        };
        // A varied repeat that renews its whole section starts on a note of its own.
        let first = match varied_lasts && pair[1].name.varied && pair[1].kept_bars() == 0 {
            true => Edge::VariedFirst,
            false => Edge::First,
        };
        let join = Join {
            a: (a, last),
            b: (b, first),
            leap,
        };
        if !joins.contains(&join) {
            joins.push(join);
        }
    }
    joins
}

/// One of the edges `kept`, each alike likely.
fn edges(kept: &[Triple], rng: &mut impl RngCore) -> Option<Triple> {
    kept.get(pick(rng, &vec![1.0; kept.len()])?).copied()
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
