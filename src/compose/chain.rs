//! Exact sampling of a sequence under hard constraints: backward filtering, forward sampling.
//!
//! A chain of `n` positions, each with a finite domain of candidate values and a soft weight per
//! candidate (zero weight = forbidden), linked by transition weights (zero = forbidden pair).
//! An optional count rule requires, in each segment of the chain, at least a number of the
//! transitions to be "counted" ones (steps, for `mostly stepwise`); the count within the segment
//! is part of the state, capped at the segment's threshold, so the cost stays linear in length.
//! `sample` draws from the model's distribution restricted to the sequences that satisfy every
//! hard constraint — no rejection, no retries — and `is_satisfiable` decides feasibility
//! exactly (Pachet & Roy 2011; Papadopoulos et al. 2015; docs/language.md says what each guarantee
//! rests on).

use rand::RngCore;

pub struct Chain<'a> {
    /// Candidate values per position.
    pub domains: Vec<Vec<u8>>,
    /// Soft weight per candidate (same shape as `domains`); 0 forbids the candidate.
    pub weights: Vec<Vec<f64>>,
    /// Weight of going from value `x` at position `i` to `y` at `i + 1`; 0 forbids the pair.
    pub transition: &'a dyn Fn(usize, u8, u8) -> f64,
    /// The count rule, if any.
    pub count: Option<Count<'a>>,
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

/// Backward messages, normalised per position: `beta[i][j * states + c]`, and the total
/// mass of the valid sequences.
struct Messages {
    beta: Vec<Vec<f64>>,
    states: usize,
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

    /// β_i(x, c): weight of all valid completions from value x at position i with c counted so far.
    fn backward(&self) -> Option<Messages> {
        let n = self.domains.len();
        let states = self.states();
        let (steps, last_threshold) = self.steps();
        let mut beta: Vec<Vec<f64>> = vec![Vec::new(); n];
        let mut scale = Mass::one();
        for i in (0..n).rev() {
            let domain = &self.domains[i];
            let mut level = vec![0.0; domain.len() * states];
            for (j, &x) in domain.iter().enumerate() {
                let w = self.weights[i][j];
                if w == 0.0 {
                    continue;
                }
                if i + 1 == n {
                    for c in last_threshold.min(states - 1)..states {
                        level[j * states + c] = w;
                    }
                    continue;
                }
                let next = &beta[i + 1];
                for (k, &y) in self.domains[i + 1].iter().enumerate() {
                    let tw = (self.transition)(i, x, y);
                    if tw == 0.0 {
                        continue;
                    }
                    let counted = self.counted(x, y);
                    for c in 0..states {
                        let Some(c_next) = steps[i].advance(c, counted) else {
                            continue;
                        };
                        let b = next[k * states + c_next];
                        if b != 0.0 {
                            level[j * states + c] += w * tw * b;
                        }
                    }
                }
            }
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
            .map(|j| beta[0][j * states])
            .sum();
        (start > 0.0).then(|| Messages {
            beta,
            states,
            mass: scale.times(start),
        })
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
        let Some(Messages { beta, states, .. }) = self.backward() else {
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
                (0..states).any(|c| reach[j * states + c] && beta[at][j * states + c] > 0.0)
            })
            .map(|(_, &x)| x)
            .collect()
    }

    /// One sequence drawn from the constrained distribution; `None` when none satisfies.
    pub fn sample(&self, rng: &mut impl RngCore) -> Option<Vec<u8>> {
        if self.domains.is_empty() {
            return Some(Vec::new());
        }
        let Messages { beta, states, .. } = self.backward()?;
        let (steps, _) = self.steps();
        let mut out = Vec::with_capacity(self.domains.len());
        let first: Vec<f64> = (0..self.domains[0].len())
            .map(|j| beta[0][j * states])
            .collect();
        let mut j = pick(rng, &first)?;
        let mut x = self.domains[0][j];
        let mut c = 0;
        out.push(x);
        for (i, (domain, level)) in self.domains.iter().zip(&beta).enumerate().skip(1) {
            let weights: Vec<f64> = domain
                .iter()
                .enumerate()
                .map(
                    |(k, &y)| match steps[i - 1].advance(c, self.counted(x, y)) {
                        Some(c_next) => (self.transition)(i - 1, x, y) * level[k * states + c_next],
                        None => 0.0,
                    },
                )
                .collect();
            j = pick(rng, &weights)?;
            let y = domain[j];
            c = steps[i - 1].advance(c, self.counted(x, y))?;
            x = y;
            out.push(x);
        }
        Some(out)
    }
}

/// Index drawn with probability proportional to `weights`, from 53 random bits.
pub fn pick(rng: &mut impl RngCore, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let target = unit * total;
    let mut sum = 0.0;
    let mut last = None;
    for (i, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            sum += w;
            last = Some(i);
            if target < sum {
                return Some(i);
            }
        }
    }
    last
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
        };
        let mass = chain.mass().unwrap();
        assert!((mass.mantissa * power_of_two(mass.exponent) - 7.0).abs() < 1e-9);
        assert_eq!(
            Mass::relative(&[Some(mass), None]),
            vec![mass.mantissa, 0.0]
        );
    }

    #[test]
    fn feasible_values_at_a_position() {
        // From 0, moves of at most 1, ending on 3 in four positions: position 1 must be 1.
        let chain = Chain {
            domains: vec![vec![0], (0..5).collect(), (0..5).collect(), vec![3]],
            weights: vec![vec![1.0], vec![1.0; 5], vec![1.0; 5], vec![1.0]],
            transition: &|_, x, y| if x.abs_diff(y) <= 1 { 1.0 } else { 0.0 },
            count: None,
        };
        assert_eq!(chain.feasible_at(1), [1]);
        assert_eq!(chain.feasible_at(2), [2]);
        assert_eq!(chain.feasible_at(3), [3]);
    }

    #[test]
    fn long_chains_do_not_underflow() {
        let n = 20_000;
        let chain = Chain {
            domains: vec![(0..5).collect(); n],
            weights: vec![vec![1e-3; 5]; n],
            transition: &|_, x, y| if x.abs_diff(y) <= 1 { 1e-3 } else { 0.0 },
            count: None,
        };
        assert!(chain.sample(&mut ChaCha8Rng::seed_from_u64(1)).is_some());
    }
}
