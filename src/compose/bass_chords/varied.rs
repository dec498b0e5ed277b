//! A section and its varied repeat (A, A') under the chords drawn with the bass, decided
//! exactly. A' plays A's chords and A's bass notes up to its new phrase, then notes of its own
//! under the same chords: so the two lines are tracked together after the split, as pairs (A's
//! last note, A''s last note), and the section is summed up by triples (first, A's last, A''s
//! last) for the whole form (`whole_form::Triple`). Holding A' to A's notes (`repeats`) is only
//! sufficient: `bass: …, starts on C2, ends on C3` in `form AA'` needs A to come back near C2
//! while A' climbs to C3 under the same chords.
//!
//! The pairs are bitsets too (a row of A''s notes per note of A), kept only after the split,
//! which is at most a phrase from the section's end, so the cost stays linear in chords.

use rand::RngCore;

use super::super::chain::pick;
use super::super::rhythm::Slot;
use super::super::whole_form::Triple;
use super::{ChordChain, Pitches, bits, chord_masks, endpoint, widen};
use crate::resolve::{PartPlan, Plan};
use crate::theory::Chord;

/// Who plays one bass note of a section whose varied repeat follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plays {
    /// Both, the same note (A' keeps it from A).
    Same,
    /// Each its own (A''s new phrase).
    Apart,
    /// A only: a chord that starts before A''s new phrase and lasts into it has no notes of A'
    /// there (its writer lays out the new phrase from the chords that start in it).
    BaseOnly,
}

/// One note of the section under one candidate chord: the pitches A may take, and A'.
#[derive(Clone, Copy, Debug)]
pub struct Masks {
    pub base: Pitches,
    pub varied: Pitches,
}

/// The section's notes: `masks[i][c][j]` for note `j` under chord `i` as candidate `c`, who
/// plays each (`plays[i][j]`), and the bass's leap limit.
pub struct Twin {
    pub masks: Vec<Vec<Vec<Masks>>>,
    pub plays: Vec<Vec<Plays>>,
    pub leap: u8,
}

/// The bass's last notes so far: one line's (before the split), or per note of A the notes of
/// A' that go with it (after).
#[derive(Clone, Debug, PartialEq)]
enum State {
    One(Pitches),
    Two(Vec<Pitches>),
}

impl State {
    fn is_empty(&self) -> bool {
        match self {
            State::One(m) => *m == 0,
            State::Two(rows) => rows.iter().all(|r| *r == 0),
        }
    }

    /// The pairs, a line's notes each paired with itself.
    fn two(self) -> Vec<Pitches> {
        match self {
            State::Two(rows) => rows,
            State::One(m) => (0..128).map(|p| m & (1 << p)).collect(),
        }
    }

    /// The notes both lines share (the same note twice).
    fn one(self) -> Pitches {
        match self {
            State::One(m) => m,
            State::Two(rows) => (0..128).fold(0, |m, p| m | (rows[p] & (1 << p))),
        }
    }

    fn union(self, other: State) -> State {
        match (self, other) {
            (State::One(a), State::One(b)) => State::One(a | b),
            (a, b) => State::Two(a.two().iter().zip(b.two()).map(|(x, y)| x | y).collect()),
        }
    }

    fn meets(&self, other: &State) -> bool {
        match (self, other) {
            (State::One(a), State::One(b)) => a & b != 0,
            (a, b) => (a.clone().two().iter().zip(b.clone().two())).any(|(x, y)| x & y != 0),
        }
    }
}

/// Per note of A in `base`, the union of `rows` over A's notes within `leap` of it.
fn near_rows(rows: &[Pitches], base: Pitches, leap: u8) -> Vec<Pitches> {
    let mut out = vec![0; 128];
    for b in bits(base) {
        let (low, high) = (b.saturating_sub(leap), b.saturating_add(leap).min(127));
        out[b as usize] = (low..=high).fold(0, |m, a| m | rows[a as usize]);
    }
    out
}

/// `state` kept to one note's pitches.
fn mask(state: State, plays: Plays, m: Masks) -> State {
    match plays {
        Plays::Same => State::One(state.one() & m.base & m.varied),
        Plays::Apart | Plays::BaseOnly => {
            let keep_varied = if plays == Plays::Apart { m.varied } else { !0 };
            let rows = state.two();
            State::Two(
                (0..128)
                    .map(|a| match m.base >> a & 1 {
                        1 => rows[a] & keep_varied,
                        _ => 0,
                    })
                    .collect(),
            )
        }
    }
}

/// The notes reached at a note played as `plays`, taking `m`, from the notes before it.
fn ahead(state: State, plays: Plays, m: Masks, leap: u8) -> State {
    match plays {
        Plays::Same => State::One(widen(state.one(), leap) & m.base & m.varied),
        Plays::Apart => {
            let rows = near_rows(&state.two(), m.base, leap);
            State::Two(rows.iter().map(|r| widen(*r, leap) & m.varied).collect())
        }
        Plays::BaseOnly => State::Two(near_rows(&state.two(), m.base, leap)),
    }
}

/// The notes before a note played as `plays` from which it reaches `state` (kept to its own
/// pitches already).
fn behind(state: State, plays: Plays, leap: u8) -> State {
    match plays {
        Plays::Same => State::One(widen(state.one(), leap)),
        Plays::Apart => {
            let rows = near_rows(&state.two(), !0, leap);
            State::Two(rows.iter().map(|r| widen(*r, leap)).collect())
        }
        Plays::BaseOnly => State::Two(near_rows(&state.two(), !0, leap)),
    }
}

impl Twin {
    /// The notes of a section whose chords start at `starts` (laid out as `under`) and whose
    /// varied repeat plays its notes before `keep` (a tick) again; `ends`: the section opens
    /// the piece, it closes it, its varied repeat closes it.
    pub fn of(
        (plan, bass, chords): (&Plan, &PartPlan, &[Chord]),
        under: &[Vec<Slot>],
        (starts, keep): (&[u32], u32),
        [opens, closes, varied_closes]: [bool; 3],
        densest: bool,
    ) -> Option<Twin> {
        let plays: Vec<Vec<Plays>> = (under.iter().zip(starts))
            .map(|(slots, &start)| {
                (slots.iter())
                    .map(|s| match (s.start < keep, densest || start >= keep) {
                        (true, _) => Plays::Same,
                        (false, true) => Plays::Apart,
                        (false, false) => Plays::BaseOnly,
                    })
                    .collect()
            })
            .collect();
        let ends_on = endpoint(bass.ends_on.as_ref().map(|e| e.value));
        let last_chord = under.len() - 1;
        // A''s last note: the last it plays, a chord lasting into its new phrase being A's.
        let varied_last = (plays.iter().enumerate().rev())
            .find_map(|(i, p)| Some((i, p.iter().rposition(|p| *p != Plays::BaseOnly)?)))?;
        // A' that renews the whole section does not open the piece: `starts on` binds A only.
        let apart = plays.first().and_then(|p| p.first()) != Some(&Plays::Same);
        let masks = (under.iter().enumerate())
            .map(|(i, slots)| {
                let each = chord_masks(plan, bass, chords, slots, (i == 0 && opens, false));
                let unbound = (i == 0 && opens && apart)
                    .then(|| chord_masks(plan, bass, chords, slots, (false, false)));
                (each.into_iter().enumerate())
                    .map(|(c, notes)| {
                        let n = notes.len();
                        (notes.into_iter().enumerate())
                            .map(|(j, m)| {
                                let own = match (&unbound, j) {
                                    (Some(free), 0) => free[c][0],
                                    _ => m,
                                };
                                Masks {
                                    base: match closes && (i, j + 1) == (last_chord, n) {
                                        true => m & ends_on,
                                        false => m,
                                    },
                                    varied: match varied_closes && (i, j) == varied_last {
                                        true => own & ends_on,
                                        false => own,
                                    },
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let leap = bass.max_leap.as_ref()?.value;
        Some(Twin { masks, plays, leap })
    }

    /// The notes after chord `i` as candidate `c`, from `from` before it (`None`: the
    /// section's first notes, `firsts`: A's and A''s, the same unless A' renews it all).
    fn through(&self, i: usize, c: usize, from: Option<&State>, firsts: (u8, u8)) -> State {
        let (masks, plays) = (&self.masks[i][c], &self.plays[i]);
        let (first, varied_first) = firsts;
        let mut state = match from {
            Some(from) => ahead(from.clone(), plays[0], masks[0], self.leap),
            None if first == varied_first => mask(State::One(1 << first), plays[0], masks[0]),
            None => {
                let mut rows = vec![0; 128];
                rows[first as usize] = 1 << varied_first;
                mask(State::Two(rows), plays[0], masks[0])
            }
        };
        for j in 1..masks.len() {
            state = ahead(state, plays[j], masks[j], self.leap);
        }
        state
    }

    /// The notes before chord `i` as candidate `c` from which it reaches `end`, the states at
    /// its last note that go on (kept to its pitches).
    fn back_through(&self, i: usize, c: usize, end: State) -> State {
        let (masks, plays) = (&self.masks[i][c], &self.plays[i]);
        let mut state = end;
        for j in (1..masks.len()).rev() {
            state = mask(
                behind(state, plays[j], self.leap),
                plays[j - 1],
                masks[j - 1],
            );
        }
        behind(state, plays[0], self.leap)
    }

    /// The state at chord `i`'s last note under candidate `c`, kept to its pitches.
    fn at_last(&self, i: usize, c: usize, state: State) -> State {
        let j = self.masks[i][c].len() - 1;
        mask(state, self.plays[i][j], self.masks[i][c][j])
    }
}

/// Every (first, A's last, A''s last, A''s first) some chords of `chain` leave lines between:
/// one pass forward over sets of notes per candidate, for each first note (each pair of first
/// notes where A' renews the whole section).
pub fn triples(chain: &ChordChain, twin: &Twin) -> Vec<Triple> {
    let k = chain.chords.len();
    let opens = |c: usize| chain.weights[0][c] > 0.0;
    let firsts = |of: fn(&Masks) -> Pitches| {
        (0..k)
            .filter(|&c| opens(c))
            .fold(0, |m, c| m | of(&twin.masks[0][c][0]))
    };
    let apart = twin.plays[0][0] != Plays::Same;
    let mut out = Vec::new();
    for f in bits(firsts(|m| m.base)) {
        let varied_firsts = match apart {
            true => firsts(|m| m.varied),
            false => 1 << f,
        };
        for g in bits(varied_firsts) {
            out.extend(edges_from(chain, twin, (f, g)));
        }
    }
    out
}

/// The edges of the lines that start on `firsts` (A's first note, A''s).
fn edges_from(chain: &ChordChain, twin: &Twin, firsts: (u8, u8)) -> Vec<Triple> {
    let (n, k) = (chain.starts.len(), chain.chords.len());
    let opens = |c: usize| chain.weights[0][c] > 0.0;
    let (f, g) = firsts;
    let mut out = Vec::new();
    let mut at: Vec<State> = (0..k)
        .map(|c| match opens(c) {
            true => twin.through(0, c, None, firsts),
            false => State::One(0),
        })
        .collect();
    for i in 1..n {
        at = (0..k)
            .map(|d| {
                let from = (0..k)
                    .filter(|&c| (chain.transition)(i - 1, c as u8, d as u8) > 0.0)
                    .fold(State::One(0), |s, c| s.union(at[c].clone()));
                match chain.weights[i][d] > 0.0 && !from.is_empty() {
                    true => twin.through(i, d, Some(&from), firsts),
                    false => State::One(0),
                }
            })
            .collect();
    }
    let rows = at.into_iter().fold(State::One(0), State::union).two();
    for (a, row) in rows.iter().enumerate() {
        out.extend(bits(*row).map(|v| [f, a as u8, v, g]));
    }
    out
}

/// The chords of `chain` (candidate indices) drawn from its weights, kept to those that leave
/// A and A' lines with the edges `triple`; `None` when none do (decided before any draw).
pub fn draw(
    chain: &ChordChain,
    twin: &Twin,
    [first, last, varied_last, varied_first]: Triple,
    rng: &mut impl RngCore,
) -> Option<Vec<u8>> {
    let (n, k) = (chain.starts.len(), chain.chords.len());
    let mut end = vec![0; 128];
    end[last as usize] = 1 << varied_last;
    // `goes_on[i][c]`: the states at chord i's last note, as candidate c, that reach the end.
    let mut goes_on: Vec<Vec<State>> = vec![Vec::new(); n];
    let mut before: Vec<State> = Vec::new();
    for i in (0..n).rev() {
        goes_on[i] = (0..k)
            .map(|c| {
                let after = match i + 1 == n {
                    true => State::Two(end.clone()),
                    false => (0..k)
                        .filter(|&d| chain.weights[i + 1][d] > 0.0)
                        .filter(|&d| (chain.transition)(i, c as u8, d as u8) > 0.0)
                        .fold(State::One(0), |s, d| s.union(before[d].clone())),
                };
                twin.at_last(i, c, after)
            })
            .collect();
        before = (0..k)
            .map(|c| twin.back_through(i, c, goes_on[i][c].clone()))
            .collect();
    }
    let mut picks: Vec<u8> = Vec::with_capacity(n);
    let mut state: Option<State> = None;
    for (i, goes) in goes_on.iter().enumerate() {
        let mut weights = vec![0.0; k];
        let mut reached = vec![State::One(0); k];
        for d in 0..k {
            let t = picks
                .last()
                .map_or(1.0, |&c| (chain.transition)(i - 1, c, d as u8));
            let w = t * chain.weights[i][d];
            if w > 0.0 {
                reached[d] = twin.through(i, d, state.as_ref(), (first, varied_first));
                weights[d] = if reached[d].meets(&goes[d]) { w } else { 0.0 };
            }
        }
        let d = pick(rng, &weights)?;
        picks.push(d as u8);
        state = Some(reached.swap_remove(d));
    }
    Some(picks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::{ChordQuality, Letter, NoteName};

    fn only(ps: &[u8]) -> Pitches {
        ps.iter().fold(0, |m, p| m | 1 << p)
    }

    const C_MAJOR: [Chord; 1] = [Chord::new(NoteName::new(Letter::C, 0), ChordQuality::Major)];

    fn anywhere(_: usize, _: u8, _: u8) -> f64 {
        1.0
    }

    /// A chain of one candidate, C major, at each of `starts` (a tick each).
    fn one_chord<'a>(starts: &'a [u32], weights: &'a [Vec<f64>]) -> ChordChain<'a> {
        ChordChain {
            starts,
            end: starts.len() as u32,
            chords: &C_MAJOR,
            weights,
            transition: &anywhere,
        }
    }

    /// One candidate chord throughout, taking `notes` per note, with who plays each.
    fn twin(notes: &[(&[u8], Plays)], leap: u8) -> Twin {
        let masks = notes
            .iter()
            .map(|(ps, _)| {
                vec![vec![Masks {
                    base: only(ps),
                    varied: only(ps),
                }]]
            })
            .collect();
        let plays = notes.iter().map(|(_, p)| vec![*p]).collect();
        Twin { masks, plays, leap }
    }

    #[test]
    fn a_varied_repeat_may_end_where_its_base_cannot() {
        // Four notes, one chord each: A' keeps the first two and ends on 48 (its own last
        // note), while A comes back to within reach of its first, 36.
        let notes: [(&[u8], Plays); 4] = [
            (&[36], Plays::Same),
            (&[36, 39], Plays::Same),
            (&[38, 42], Plays::Apart),
            (&[36, 45, 48], Plays::Apart),
        ];
        let twin = twin(&notes, 3);
        let (starts, weights) = ([0, 1, 2, 3], vec![vec![1.0]; 4]);
        let chain = one_chord(&starts, &weights);
        let found = triples(&chain, &twin);
        // A: 36 39 38 36 back near its start, A': 36 39 42 45 on from the same two notes.
        assert!(found.contains(&[36, 36, 45, 36]));
        assert!(found.contains(&[36, 36, 36, 36]));
        // 48 is more than 3 from every note before it.
        assert!(!found.iter().any(|t| t[2] == 48));
        let rng = &mut <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        assert_eq!(draw(&chain, &twin, [36, 36, 45, 36], rng), Some(vec![0; 4]));
        assert_eq!(draw(&chain, &twin, [36, 36, 48, 36], rng), None);
    }

    /// Every line of `notes` (one pitch list per note) under the leap limit, as (first, last).
    fn lines(notes: &[&[u8]], leap: u8) -> Vec<(u8, u8)> {
        let mut found: Vec<Vec<u8>> = notes[0].iter().map(|&p| vec![p]).collect();
        for ps in &notes[1..] {
            found = (found.iter())
                .flat_map(|l| ps.iter().map(move |&p| [&l[..], &[p]].concat()))
                .filter(|l| l[l.len() - 2].abs_diff(l[l.len() - 1]) <= leap)
                .collect();
        }
        found.iter().map(|l| (l[0], l[l.len() - 1])).collect()
    }

    #[test]
    fn a_varied_repeat_that_renews_it_all_starts_on_a_note_of_its_own() {
        // One chord, three notes each, every note A''s own: its edges are every pair of a line
        // of A and a line of A' (the same chord, no note shared), checked against all lines.
        let notes: [&[u8]; 3] = [&[36, 40], &[37, 38, 41], &[36, 39, 42]];
        let masks = (notes.iter())
            .map(|ps| Masks {
                base: only(ps),
                varied: only(ps),
            })
            .collect();
        let twin = Twin {
            masks: vec![vec![masks]],
            plays: vec![vec![Plays::Apart; 3]],
            leap: 2,
        };
        let (starts, weights) = ([0], vec![vec![1.0]]);
        let chain = one_chord(&starts, &weights);
        let mut found = triples(&chain, &twin);
        found.sort_unstable();
        let each = lines(&notes, 2);
        let mut expected: Vec<Triple> = (each.iter())
            .flat_map(|&(f, a)| each.iter().map(move |&(g, v)| [f, a, v, g]))
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(found, expected);
        // A' starting on 40 while A starts on 36: a pair no twin held to A's notes has.
        assert!(found.iter().any(|t| t[0] == 36 && t[3] == 40));
        let rng = &mut <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        assert_eq!(draw(&chain, &twin, found[0], rng), Some(vec![0]));
    }
}
