//! Exact sampling of a sequence under hard constraints: backward filtering, forward sampling.
//!
//! A chain of `n` positions, each with a finite domain of candidate values and a soft weight per
//! candidate (zero weight = forbidden), linked by transition weights (zero = forbidden pair).
//! An optional count rule requires, in each segment of the chain, at least a number of the
//! transitions to be "counted" ones (steps, for `mostly stepwise`); the count within the segment
//! is part of the state, capped at the segment's threshold, so the cost stays linear in length.
//! An optional memory weighs each move by the moves before it (a step after a step in the same
//! direction, a turn after a leap, a third repeated note after two): the memory's state, the
//! class of the previous move refined by the ones before, is part of the chain's state, and the
//! messages sum each state's moves once, so the cost stays that of a first-order chain.
//! `sample` draws from the model's distribution restricted to the sequences that satisfy every
//! hard constraint — no rejection, no retries — and `is_satisfiable` decides feasibility
//! exactly (Pachet & Roy 2011; Papadopoulos et al. 2015; docs/language.md says what each guarantee
//! rests on).

use rand::RngCore;

pub use crate::streams::pick;

pub use crate::models::{MOVE_CLASSES, MOVE_STATES, move_state};

pub struct Chain<'a> {
    /// Candidate values per position.
    pub domains: Vec<Vec<u8>>,
    /// Soft weight per candidate (same shape as `domains`); 0 forbids the candidate.
    pub weights: Vec<Vec<f64>>,
    /// Weight of going from value `x` at position `i` to `y` at `i + 1`; 0 forbids the pair.
    pub transition: &'a dyn Fn(usize, u8, u8) -> f64,
    /// The count rule, if any.
    pub count: Option<Count<'a>>,
    /// The memory of the previous move, if any.
    pub memory: Option<Memory<'a>>,
}

/// Moves fall into classes, and the memory keeps a state: the class of the last move, refined
/// by the ones before. A move's weight is multiplied by `after[state][its class]` (the chain's
/// first move follows none and is not multiplied).
#[derive(Clone, Copy)]
pub struct Memory<'a> {
    /// The class of the move from `x` to `y`, below `MOVE_CLASSES`.
    pub class_of: &'a dyn Fn(u8, u8) -> usize,
    /// The state after a move of a class (second argument) from a state (first; `MOVE_STATES`
    /// before any move). Every state belongs to one class: the moves that lead to it.
    pub then: fn(usize, usize) -> usize,
    pub after: &'a [[f64; MOVE_CLASSES]; MOVE_STATES],
}

/// In each segment, at least so many of the transitions into its positions satisfy `counts`.
#[derive(Clone)]
pub struct Count<'a> {
    pub counts: &'a dyn Fn(u8, u8) -> bool,
    /// `(last position, at least)` per segment, in order; the last ends at the chain's end.
    pub segments: Vec<(usize, usize)>,
}

impl Count<'_> {
    /// One segment over the whole chain of `n` positions.
    pub fn whole(counts: &dyn Fn(u8, u8) -> bool, n: usize, at_least: usize) -> Count<'_> {
        Count {
            counts,
            segments: vec![(n.saturating_sub(1), at_least)],
        }
    }
}

/// How the count state moves from one position to the next.
#[derive(Clone, Copy)]
struct Step {
    /// The position ends a segment: its count must reach `threshold`, then restarts at 0.
    ends_segment: bool,
    threshold: usize,
    /// The cap of the count at the next position (its segment's threshold).
    next_threshold: usize,
}

impl Step {
    /// The count at the next position, or `None` if this segment fell short.
    fn advance(self, c: usize, counted: bool) -> Option<usize> {
        let base = if self.ends_segment {
            if c < self.threshold {
                return None;
            }
            0
        } else {
            c
        };
        Some((base + usize::from(counted)).min(self.next_threshold))
    }
}

/// The memory states one class of move leads to (a repeated note: a first or a later one).
#[derive(Clone, Copy, Default)]
struct Landings {
    states: [usize; MOVE_STATES],
    count: usize,
}

impl Landings {
    fn states(&self) -> &[usize] {
        &self.states[..self.count]
    }
}

/// Backward messages, normalised per position: `beta[i][(j * states + c) * kinds + d]` for
/// value j, count c and memory state d, and the total mass of the valid sequences.
struct Messages {
    beta: Vec<Vec<f64>>,
    states: usize,
    kinds: usize,
    mass: Mass,
}

/// A positive number as `mantissa × 2^exponent`, so products over long chains never underflow.
/// Exact powers of two keep it platform-independent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mass {
    pub mantissa: f64,
    pub exponent: i64,
}

impl Mass {
    fn one() -> Mass {
        Mass {
            mantissa: 1.0,
            exponent: 0,
        }
    }

    fn times(self, factor: f64) -> Mass {
        let mut m = Mass {
            mantissa: self.mantissa * factor,
            exponent: self.exponent,
        };
        while m.mantissa >= 2.0 {
            m.mantissa /= 2.0;
            m.exponent += 1;
        }
        while m.mantissa > 0.0 && m.mantissa < 1.0 {
            m.mantissa *= 2.0;
            m.exponent -= 1;
        }
        m
    }

    /// Weights proportional to the masses, the largest scaled to its mantissa.
    pub fn relative(masses: &[Option<Mass>]) -> Vec<f64> {
        let top = masses
            .iter()
            .flatten()
            .map(|m| m.exponent)
            .max()
            .unwrap_or(0);
        masses
            .iter()
            .map(|m| match m {
                Some(m) if top - m.exponent < 1000 => m.mantissa * power_of_two(m.exponent - top),
                _ => 0.0,
            })
            .collect()
    }
}

/// 2^k for k in -1000..=0, exactly.
fn power_of_two(k: i64) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

impl Chain<'_> {
    /// Count states per value: one more than the largest threshold.
    fn states(&self) -> usize {
        self.count
            .as_ref()
            .map_or(0, |c| c.segments.iter().map(|s| s.1).max().unwrap_or(0))
            + 1
    }

    /// The count rule's bookkeeping at each position, and the threshold of the last segment.
    fn steps(&self) -> (Vec<Step>, usize) {
        let n = self.domains.len();
        let Some(count) = &self.count else {
            let free = Step {
                ends_segment: false,
                threshold: 0,
                next_threshold: 0,
            };
            return (vec![free; n], 0);
        };
        let mut steps = Vec::with_capacity(n);
        let mut segment = 0;
        for i in 0..n {
            let (end, threshold) = count.segments[segment.min(count.segments.len() - 1)];
            let ends_segment = i == end && segment + 1 < count.segments.len();
            if ends_segment {
                segment += 1;
            }
            let next = count.segments[segment.min(count.segments.len() - 1)].1;
            steps.push(Step {
                ends_segment,
                threshold,
                next_threshold: next,
            });
        }
        let last = count.segments.last().map_or(0, |s| s.1);
        (steps, last)
    }

    fn counted(&self, x: u8, y: u8) -> bool {
        self.count.as_ref().is_some_and(|c| (c.counts)(x, y))
    }

    /// Memory states per value and count: each state, and the last for "none yet" (the only
    /// one without a memory).
    fn kinds(&self) -> usize {
        self.memory.map_or(1, |_| MOVE_STATES + 1)
    }

    fn class_of(&self, x: u8, y: u8) -> usize {
        self.memory.map_or(0, |m| (m.class_of)(x, y))
    }

    /// The memory state after a move of `class` from state `d`.
    fn then(&self, d: usize, class: usize) -> usize {
        self.memory.map_or(0, |m| (m.then)(d, class))
    }

    /// The states a move of each class can lead to, from any state.
    fn landings(&self) -> [Landings; MOVE_CLASSES] {
        std::array::from_fn(|class| {
            let mut lands = Landings::default();
            for d in 0..self.kinds() {
                let s = self.then(d, class);
                if !lands.states[..lands.count].contains(&s) {
                    lands.states[lands.count] = s;
                    lands.count += 1;
                }
            }
            lands
        })
    }

    /// The weight of a move of class `next` from memory state `d`.
    fn after(&self, d: usize, next: usize) -> f64 {
        match self.memory {
            Some(m) if d < MOVE_STATES => m.after[d][next],
            _ => 1.0,
        }
    }

    /// β_i(x, c, d): weight of all valid completions from value x at position i with c counted
    /// so far, reached by a move of class d.
    fn backward(&self) -> Option<Messages> {
        // A position with no allowed value (a first note the rules exclude) empties the chain:
        // said at once, not after the messages of every position after it.
        let open = |w: &Vec<f64>| w.iter().any(|x| *x > 0.0);
        if !self.weights.iter().all(open) {
            return None;
        }
        let n = self.domains.len();
        let (states, kinds) = (self.states(), self.kinds());
        let (steps, last_threshold) = self.steps();
        let mut beta: Vec<Vec<f64>> = vec![Vec::new(); n];
        let mut scale = Mass::one();
        for i in (0..n).rev() {
            let mut level = self.level(i, beta.get(i + 1), steps[i], last_threshold);
            // Rescale so long chains never underflow; the factor cancels when sampling.
            let max = level.iter().copied().fold(0.0, f64::max);
            if max == 0.0 {
                return None;
            }
            level.iter_mut().for_each(|v| *v /= max);
            scale = scale.times(max);
            beta[i] = level;
        }
        let start: f64 = (0..self.domains.first()?.len())
            .map(|j| beta[0][(j * states + 1) * kinds - 1])
            .sum();
        (start > 0.0).then(|| Messages {
            beta,
            states,
            kinds,
            mass: scale.times(start),
        })
    }

    /// β_i for every value, count and previous class, from β_{i+1} (`None` at the chain's end).
    fn level(
        &self,
        i: usize,
        next: Option<&Vec<f64>>,
        step: Step,
        last_threshold: usize,
    ) -> Vec<f64> {
        let (states, kinds) = (self.states(), self.kinds());
        let mut level = vec![0.0; self.domains[i].len() * states * kinds];
        let mut by_state = vec![[0.0; MOVE_STATES]; states];
        let landings = self.landings();
        // Each state's moves, once: the weight of a move of each class and where it leads.
        let moves: Vec<[(f64, usize); MOVE_CLASSES]> = (0..kinds)
            .map(|d| std::array::from_fn(|e| (self.after(d, e), self.then(d, e))))
            .collect();
        for (j, &x) in self.domains[i].iter().enumerate() {
            let w = self.weights[i][j];
            if w == 0.0 {
                continue;
            }
            let at = |c: usize| (j * states + c) * kinds;
            let Some(next) = next else {
                for c in last_threshold.min(states - 1)..states {
                    level[at(c)..at(c) + kinds].fill(w);
                }
                continue;
            };
            self.completions(i, (x, w), next, (step, &landings), &mut by_state);
            for (c, sums) in by_state.iter().enumerate() {
                let level = &mut level[at(c)..at(c) + kinds];
                match self.memory {
                    None => level[0] = sums[0],
                    // A count this value cannot have leaves every state at zero.
                    Some(_) if sums.iter().all(|s| *s == 0.0) => {}
                    Some(_) => {
                        for (level, moves) in level.iter_mut().zip(&moves) {
                            *level = moves.iter().map(|(a, s)| a * sums[*s]).sum();
                        }
                    }
                }
            }
        }
        level
    }

    /// `by_state[c][s]`: the weight of the completions from value `x` (of weight `w`) at
    /// position `i` with `c` counted, whose first move leads to memory state `s` (a state
    /// belongs to one class, so each state sums the moves of its class once).
    fn completions(
        &self,
        i: usize,
        (x, w): (u8, f64),
        next: &[f64],
        (step, landings): (Step, &[Landings; MOVE_CLASSES]),
        by_state: &mut [[f64; MOVE_STATES]],
    ) {
        let (states, kinds) = (self.states(), self.kinds());
        by_state.fill([0.0; MOVE_STATES]);
        for (k, &y) in self.domains[i + 1].iter().enumerate() {
            let tw = (self.transition)(i, x, y);
            if tw == 0.0 {
                continue;
            }
            let (counted, class) = (self.counted(x, y), self.class_of(x, y));
            for (c, sums) in by_state.iter_mut().enumerate() {
                let Some(c_next) = step.advance(c, counted) else {
                    continue;
                };
                let at = (k * states + c_next) * kinds;
                for &s in landings[class].states() {
                    let b = next[at + s];
                    if b != 0.0 {
                        sums[s] += w * tw * b;
                    }
                }
            }
        }
    }

    /// Whether any sequence satisfies every hard constraint (decided exactly).
    pub fn is_satisfiable(&self) -> bool {
        self.domains.is_empty() || self.backward().is_some()
    }

    /// The total model weight of the valid sequences; `None` when there are none.
    pub fn mass(&self) -> Option<Mass> {
        if self.domains.is_empty() {
            return Some(Mass::one());
        }
        self.backward().map(|m| m.mass)
    }

    /// The values position `at` takes in at least one valid sequence: those reachable from the
    /// start (a forward pass) that can still complete (the backward messages).
    pub fn feasible_at(&self, at: usize) -> Vec<u8> {
        let Some(Messages {
            beta,
            states,
            kinds,
            ..
        }) = self.backward()
        else {
            return Vec::new();
        };
        let (steps, _) = self.steps();
        let mut reach: Vec<bool> = (0..self.domains[0].len())
            .flat_map(|j| (0..states).map(move |c| c == 0 && self.weights[0][j] > 0.0))
            .collect();
        for (i, step) in steps.iter().enumerate().take(at) {
            let mut next = vec![false; self.domains[i + 1].len() * states];
            for (j, &x) in self.domains[i].iter().enumerate() {
                for c in (0..states).filter(|c| reach[j * states + c]) {
                    for (k, &y) in self.domains[i + 1].iter().enumerate() {
                        if self.weights[i + 1][k] == 0.0 || (self.transition)(i, x, y) == 0.0 {
                            continue;
                        }
                        if let Some(c_next) = step.advance(c, self.counted(x, y)) {
                            next[k * states + c_next] = true;
                        }
                    }
                }
            }
            reach = next;
        }
        self.domains[at]
            .iter()
            .enumerate()
            .filter(|(j, _)| {
                (0..states).any(|c| {
                    let b = &beta[at][(j * states + c) * kinds..(j * states + c + 1) * kinds];
                    reach[j * states + c] && b.iter().any(|b| *b > 0.0)
                })
            })
            .map(|(_, &x)| x)
            .collect()
    }

    /// For each value of the first position (in domain order), the values of the last position
    /// some valid sequence joins it to: every first-to-last pair, decided exactly in one forward
    /// pass that carries, for each state, the set of first values that reach it (a bit each;
    /// a position holds at most the 128 MIDI pitches). As `feasible_at`, a pair counts when
    /// every weight along some valid sequence is positive.
    pub fn edge_pairs(&self) -> Vec<Vec<u8>> {
        let Some(first) = self.domains.first() else {
            return Vec::new();
        };
        assert!(first.len() <= 128, "a position holds at most 128 values");
        let (states, kinds) = (self.states(), self.kinds());
        let (steps, last_threshold) = self.steps();
        let at = |j: usize, c: usize, d: usize| (j * states + c) * kinds + d;
        let mut reach = vec![0u128; first.len() * states * kinds];
        for (j, w) in self.weights[0].iter().enumerate() {
            if *w > 0.0 {
                reach[at(j, 0, kinds - 1)] = 1 << j;
            }
        }
        for (i, step) in steps.iter().enumerate().take(self.domains.len() - 1) {
            let mut next = vec![0u128; self.domains[i + 1].len() * states * kinds];
            for (j, &x) in self.domains[i].iter().enumerate() {
                for (k, &y) in self.domains[i + 1].iter().enumerate() {
                    if self.weights[i + 1][k] == 0.0 || (self.transition)(i, x, y) == 0.0 {
                        continue;
                    }
                    let (counted, class) = (self.counted(x, y), self.class_of(x, y));
                    for c in 0..states {
                        let Some(c_next) = step.advance(c, counted) else {
                            continue;
                        };
                        for d in 0..kinds {
                            let from = reach[at(j, c, d)];
                            if from != 0 && self.after(d, class) > 0.0 {
                                next[at(k, c_next, self.then(d, class))] |= from;
                            }
                        }
                    }
                }
            }
            reach = next;
        }
        let last = self.domains.last().expect("a first position");
        let accepted = last_threshold.min(states - 1)..states;
        let into: Vec<u128> = (0..last.len())
            .map(|k| {
                (accepted.clone())
                    .flat_map(|c| (0..kinds).map(move |d| (c, d)))
                    .fold(0, |bits, (c, d)| bits | reach[at(k, c, d)])
            })
            .collect();
        (0..first.len())
            .map(|j| {
                (last.iter().zip(&into))
                    .filter(|(_, bits)| *bits >> j & 1 == 1)
                    .map(|(y, _)| *y)
                    .collect()
            })
            .collect()
    }

    /// One sequence drawn from the constrained distribution; `None` when none satisfies.
    pub fn sample(&self, rng: &mut impl RngCore) -> Option<Vec<u8>> {
        if self.domains.is_empty() {
            return Some(Vec::new());
        }
        let Messages {
            beta,
            states,
            kinds,
            ..
        } = self.backward()?;
        let (steps, _) = self.steps();
        let mut out = Vec::with_capacity(self.domains.len());
        let first: Vec<f64> = (0..self.domains[0].len())
            .map(|j| beta[0][(j * states + 1) * kinds - 1])
            .collect();
        let mut j = pick(rng, &first)?;
        let mut x = self.domains[0][j];
        let (mut c, mut d) = (0, kinds - 1);
        out.push(x);
        for (i, (domain, level)) in self.domains.iter().zip(&beta).enumerate().skip(1) {
            let weights: Vec<f64> = domain
                .iter()
                .enumerate()
                .map(|(k, &y)| {
                    let class = self.class_of(x, y);
                    match steps[i - 1].advance(c, self.counted(x, y)) {
                        Some(c_next) => {
                            (self.transition)(i - 1, x, y)
                                * self.after(d, class)
                                * level[(k * states + c_next) * kinds + self.then(d, class)]
                        }
                        None => 0.0,
                    }
                })
                .collect();
            j = pick(rng, &weights)?;
            let y = domain[j];
            c = steps[i - 1].advance(c, self.counted(x, y))?;
            d = self.then(d, self.class_of(x, y));
            x = y;
            out.push(x);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn leap_limited(x: u8, y: u8) -> f64 {
        if x.abs_diff(y) <= 2 {
            1.0 + f64::from(x.abs_diff(y))
        } else {
            0.0
        }
    }

    #[test]
    fn detects_unsatisfiable_exactly() {
        // From 0 to 9 in three moves of at most 2: impossible.
        let chain = Chain {
            domains: vec![vec![0], (0..10).collect(), (0..10).collect(), vec![9]],
            weights: vec![vec![1.0], vec![1.0; 10], vec![1.0; 10], vec![1.0]],
            transition: &|_, x, y| leap_limited(x, y),
            count: None,
            memory: None,
        };
        assert!(!chain.is_satisfiable());
    }

    #[test]
    fn samples_honour_every_constraint() {
        let steps = |x: u8, y: u8| x.abs_diff(y) <= 1;
        let chain = Chain {
            domains: vec![(0..8).collect(); 12],
            weights: vec![vec![1.0; 8]; 12],
            transition: &|_, x, y| leap_limited(x, y),
            count: Some(Count::whole(&steps, 12, 9)),
            memory: None,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            let s = chain.sample(&mut rng).unwrap();
            assert!(s.windows(2).all(|w| w[0].abs_diff(w[1]) <= 2));
            assert!(s.windows(2).filter(|w| steps(w[0], w[1])).count() >= 9);
        }
    }

    #[test]
    fn every_segment_meets_its_threshold() {
        let steps = |x: u8, y: u8| x.abs_diff(y) <= 1;
        let chain = Chain {
            domains: vec![(0..8).collect(); 12],
            weights: vec![vec![1.0; 8]; 12],
            transition: &|_, x, y| 1.0 + f64::from(x.abs_diff(y)),
            count: Some(Count {
                counts: &steps,
                segments: vec![(5, 4), (11, 5)],
            }),
            memory: None,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for _ in 0..200 {
            let s = chain.sample(&mut rng).unwrap();
            assert!(s[..6].windows(2).filter(|w| steps(w[0], w[1])).count() >= 4);
            assert!(s[5..].windows(2).filter(|w| steps(w[0], w[1])).count() >= 5);
        }
    }

    #[test]
    fn mass_counts_valid_sequences() {
        // Two positions over {0, 1, 2}, moves of at most 1: 7 valid pairs of weight 1.
        let chain = Chain {
            domains: vec![(0..3).collect(); 2],
            weights: vec![vec![1.0; 3]; 2],
            transition: &|_, x, y| if x.abs_diff(y) <= 1 { 1.0 } else { 0.0 },
            count: None,
            memory: None,
        };
        let mass = chain.mass().unwrap();
        assert!((mass.mantissa * power_of_two(mass.exponent) - 7.0).abs() < 1e-9);
        assert_eq!(
            Mass::relative(&[Some(mass), None]),
            vec![mass.mantissa, 0.0]
        );
    }

    #[test]
    fn memory_weighs_each_move_by_the_one_before() {
        // Brute force over every sequence of five values in {0, 1, 2} against the messages.
        let class_of = |x: u8, y: u8| ((y as i16 - x as i16).signum() + 1) as usize;
        // The same note a third time is a state of its own.
        let then = |d: usize, e: usize| if e == 1 && (d == 1 || d == 5) { 5 } else { e };
        let mut after = [[1.0; MOVE_CLASSES]; MOVE_STATES];
        after[2][2] = 5.0; // up after up
        after[0][2] = 0.25; // up after down
        after[1][1] = 3.0; // the same note again
        after[5][1] = 0.1; // and again
        let weight = |x: u8| 1.0 + f64::from(x) / 2.0;
        let transition = |x: u8, y: u8| 1.0 + f64::from(x.abs_diff(y));
        let chain = Chain {
            domains: vec![(0..3).collect(); 5],
            weights: vec![(0..3).map(weight).collect(); 5],
            transition: &|_, x, y| transition(x, y),
            count: None,
            memory: Some(Memory {
                class_of: &class_of,
                then,
                after: &after,
            }),
        };
        let mut total = 0.0;
        for code in 0..243u32 {
            let v: Vec<u8> = (0..5).map(|i| (code / 3u32.pow(i) % 3) as u8).collect();
            let mut w: f64 = v.iter().map(|x| weight(*x)).product();
            let mut d = MOVE_STATES;
            for p in v.windows(2) {
                let e = class_of(p[0], p[1]);
                w *= transition(p[0], p[1]) * if d < MOVE_STATES { after[d][e] } else { 1.0 };
                d = then(d, e);
            }
            total += w;
        }
        let mass = chain.mass().unwrap();
        let mass = mass.mantissa * power_of_two(mass.exponent);
        assert!(
            (mass - total).abs() < 1e-9 * total,
            "{mass} against {total}"
        );
        // Sampling follows the memory: rising runs go on rising.
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let runs = (0..400)
            .filter_map(|_| chain.sample(&mut rng))
            .filter(|s| s[0] < s[1] && s[1] < s[2])
            .count();
        assert!(runs > 20, "{runs} rising runs");
    }

    #[test]
    fn feasible_values_at_a_position() {
        // From 0, moves of at most 1, ending on 3 in four positions: position 1 must be 1.
        let chain = Chain {
            domains: vec![vec![0], (0..5).collect(), (0..5).collect(), vec![3]],
            weights: vec![vec![1.0], vec![1.0; 5], vec![1.0; 5], vec![1.0]],
            transition: &|_, x, y| if x.abs_diff(y) <= 1 { 1.0 } else { 0.0 },
            count: None,
            memory: None,
        };
        assert_eq!(chain.feasible_at(1), [1]);
        assert_eq!(chain.feasible_at(2), [2]);
        assert_eq!(chain.feasible_at(3), [3]);
    }

    #[test]
    fn edge_pairs_are_the_last_values_each_first_value_reaches() {
        // Against `feasible_at` of the same chain with its first value fixed, one at a time:
        // a leap limit, segments of a count, a memory that forbids a repeat after a repeat,
        // and a forbidden candidate.
        let steps = |x: u8, y: u8| x != y;
        let class_of = |x: u8, y: u8| ((y as i16 - x as i16).signum() + 1) as usize;
        let then = |d: usize, e: usize| if e == 1 && (d == 1 || d == 5) { 5 } else { e };
        let mut after = [[1.0; MOVE_CLASSES]; MOVE_STATES];
        after[5][1] = 0.0;
        let mut weights = vec![vec![1.0; 7]; 5];
        weights[2][3] = 0.0;
        let chain = |first: Vec<u8>| Chain {
            weights: [vec![vec![1.0; first.len()]], weights[1..].to_vec()].concat(),
            domains: [vec![first], vec![(0..7).collect(); 4]].concat(),
            transition: &|_, x, y| f64::from(u8::from(x.abs_diff(y) <= 1)),
            count: Some(Count {
                counts: &steps,
                segments: vec![(2, 1), (4, 2)],
            }),
            memory: Some(Memory {
                class_of: &class_of,
                then,
                after: &after,
            }),
        };
        let pairs = chain((0..7).collect()).edge_pairs();
        assert_eq!(pairs.len(), 7);
        for (first, lasts) in (0..7).zip(&pairs) {
            let one = chain(vec![first]);
            assert_eq!(lasts, &one.feasible_at(4), "from {first}");
        }
        assert!(pairs.iter().any(|l| !l.is_empty() && l.len() < 7));
    }

    #[test]
    fn long_chains_do_not_underflow() {
        let n = 20_000;
        let chain = Chain {
            domains: vec![(0..5).collect(); n],
            weights: vec![vec![1e-3; 5]; n],
            transition: &|_, x, y| if x.abs_diff(y) <= 1 { 1e-3 } else { 0.0 },
            count: None,
            memory: None,
        };
        assert!(chain.sample(&mut ChaCha8Rng::seed_from_u64(1)).is_some());
    }
}
