//! The sampler draws exactly from the model restricted to the valid sequences: on small chains,
//! every valid sequence is enumerated with its model weight and compared with 100,000 draws.

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tunec::compose::chain::{Chain, Count, MOVE_CLASSES, MOVE_STATES, Memory, move_state};

const DRAWS: usize = 100_000;
/// The total variation distance between the empirical and the exact distribution may exceed
/// what pure sampling noise gives on average, E[TV] ≈ ½·Σ √(2p(1−p)/(πN)), by at most this factor.
const TV_NOISE_FACTOR: f64 = 1.5;
/// z for p = 0.001 in the Wilson–Hilferty approximation of the chi-square critical value.
const Z_999: f64 = 3.09;

/// Every sequence over the chain's domains with its model weight; zero-weight ones are invalid.
fn enumerate(chain: &Chain) -> BTreeMap<Vec<u8>, f64> {
    let counts = chain.count.as_ref();
    let mut out = BTreeMap::new();
    let mut stack: Vec<(Vec<u8>, f64)> = chain.domains[0]
        .iter()
        .zip(&chain.weights[0])
        .map(|(&x, &w)| (vec![x], w))
        .collect();
    while let Some((seq, w)) = stack.pop() {
        if w == 0.0 {
            continue;
        }
        let i = seq.len();
        if i == chain.domains.len() {
            // Each segment's transitions are those into its positions.
            let segments_hold = counts.is_none_or(|c| {
                let mut first = 0;
                c.segments.iter().all(|&(end, at_least)| {
                    let counted = (first + 1..=end)
                        .filter(|&p| (c.counts)(seq[p - 1], seq[p]))
                        .count();
                    first = end;
                    counted >= at_least
                })
            });
            if segments_hold {
                out.insert(seq, w);
            }
            continue;
        }
        for (&y, &u) in chain.domains[i].iter().zip(&chain.weights[i]) {
            let mut t = (chain.transition)(i - 1, seq[i - 1], y);
            if let (Some(m), true) = (chain.memory, i >= 2) {
                // The memory's state after the moves so far, from none.
                let state = seq
                    .windows(2)
                    .fold(MOVE_STATES, |d, p| (m.then)(d, (m.class_of)(p[0], p[1])));
                t *= m.after[state][(m.class_of)(seq[i - 1], y)];
            }
            let mut next = seq.clone();
            next.push(y);
            stack.push((next, w * u * t));
        }
    }
    out
}

/// The total variation distance that exact sampling shows on average from noise alone.
fn noise_tv(exact: &BTreeMap<Vec<u8>, f64>) -> f64 {
    let total: f64 = exact.values().sum();
    let n = DRAWS as f64;
    exact
        .values()
        .map(|w| {
            let p = w / total;
            (2.0 * p * (1.0 - p) / (std::f64::consts::PI * n)).sqrt() / 2.0
        })
        .sum()
}

fn assert_exact(chain: &Chain, seed: u64) {
    let exact = enumerate(chain);
    let total: f64 = exact.values().sum();
    assert!(
        exact.len() > 10,
        "the case should have many valid sequences"
    );
    let mut seen: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..DRAWS {
        let s = chain.sample(&mut rng).expect("satisfiable");
        assert!(exact.contains_key(&s), "drew an invalid sequence {s:?}");
        *seen.entry(s).or_default() += 1;
    }
    let mut tv = 0.0;
    let mut chi2 = 0.0;
    for (seq, w) in &exact {
        let p = w / total;
        let observed = *seen.get(seq).unwrap_or(&0) as f64;
        tv += (observed / DRAWS as f64 - p).abs() / 2.0;
        let expected = p * DRAWS as f64;
        chi2 += (observed - expected).powi(2) / expected;
    }
    let df = (exact.len() - 1) as f64;
    let critical = df * (1.0 - 2.0 / (9.0 * df) + Z_999 * (2.0 / (9.0 * df)).sqrt()).powi(3);
    let bound = TV_NOISE_FACTOR * noise_tv(&exact);
    eprintln!(
        "{} sequences: tv {tv:.4} (bound {bound:.4}), chi-square {chi2:.1} (critical {critical:.1})",
        exact.len()
    );
    assert!(
        tv < bound,
        "total variation {tv:.4} ≥ {bound:.4} over {} sequences",
        exact.len()
    );
    assert!(
        chi2 < critical,
        "chi-square {chi2:.1} ≥ {critical:.1} (df {df})"
    );
}

fn interval_weight(x: u8, y: u8) -> f64 {
    [0.5, 1.0, 0.7, 0.3, 0.1][x.abs_diff(y) as usize]
}

#[test]
fn melody_with_leap_limit_and_fixed_end() {
    // 5 notes over 5 pitches, leaps of at most 3, ending on pitch 4, uneven preferences.
    let transition = |_: usize, x: u8, y: u8| {
        if x.abs_diff(y) <= 3 {
            interval_weight(x, y)
        } else {
            0.0
        }
    };
    let mut domains = vec![(0..5).collect::<Vec<u8>>(); 5];
    domains[4] = vec![4];
    let weights: Vec<Vec<f64>> = domains
        .iter()
        .enumerate()
        .map(|(i, d)| {
            d.iter()
                .map(|&p| 1.0 + ((p as usize + i) % 3) as f64)
                .collect()
        })
        .collect();
    let chain = Chain {
        domains,
        weights,
        transition: &transition,
        count: None,
        memory: None,
    };
    assert_exact(&chain, 1);
}

#[test]
fn melody_with_a_count_constraint() {
    // At least 3 of 4 intervals are steps (≤ 1 here): exact over the augmented state.
    let transition = |_: usize, x: u8, y: u8| interval_weight(x, y);
    let steps = |x: u8, y: u8| x.abs_diff(y) <= 1;
    let domains = vec![(0..5).collect::<Vec<u8>>(); 5];
    let weights = vec![vec![1.0, 2.0, 1.0, 3.0, 1.0]; 5];
    let chain = Chain {
        domains,
        weights,
        transition: &transition,
        count: Some(Count::whole(&steps, 5, 3)),
        memory: None,
    };
    assert_exact(&chain, 2);
}

#[test]
fn melody_with_a_count_constraint_per_phrase() {
    // Two phrases of 3 intervals each: at least 2 steps in each.
    let transition = |_: usize, x: u8, y: u8| interval_weight(x, y);
    let steps = |x: u8, y: u8| x.abs_diff(y) <= 1;
    let chain = Chain {
        domains: vec![(0..4).collect::<Vec<u8>>(); 7],
        weights: vec![vec![1.0, 2.0, 3.0, 1.0]; 7],
        transition: &|i, x, y| if i == 3 { 1.0 } else { transition(i, x, y) },
        count: Some(Count {
            counts: &steps,
            segments: vec![(3, 2), (6, 2)],
        }),
        memory: None,
    };
    assert_exact(&chain, 5);
}

#[test]
fn chord_progression_with_fixed_ends_and_cadence() {
    // Six chord degrees over five bars: tonic first and last, a root-motion table between.
    const MOTION: [f64; 7] = [0.3, 1.5, 1.0, 3.0, 1.8, 1.0, 1.0];
    let transition = |_: usize, x: u8, y: u8| MOTION[((y + 7 - x) % 7) as usize];
    let mut domains = vec![(0..6).collect::<Vec<u8>>(); 5];
    domains[0] = vec![0];
    domains[4] = vec![0];
    let mut weights: Vec<Vec<f64>> = domains.iter().map(|d| vec![1.0; d.len()]).collect();
    weights[3][4] = 5.0; // the dominant before the last bar
    let chain = Chain {
        domains,
        weights,
        transition: &transition,
        count: None,
        memory: None,
    };
    assert_exact(&chain, 3);
}

#[test]
fn forward_sampling_without_the_backward_pass_would_fail_this_test() {
    // Guard that the harness can fail: a naive sampler (choose each note by its local weight,
    // restart when stuck) is biased; its distribution must differ from the exact one.
    let transition = |_: usize, x: u8, y: u8| if x.abs_diff(y) <= 1 { 1.0 } else { 0.0 };
    let mut domains = vec![(0..5).collect::<Vec<u8>>(); 4];
    domains[3] = vec![4];
    let weights: Vec<Vec<f64>> = domains.iter().map(|d| vec![1.0; d.len()]).collect();
    let chain = Chain {
        domains: domains.clone(),
        weights,
        transition: &transition,
        count: None,
        memory: None,
    };
    let exact = enumerate(&chain);
    let total: f64 = exact.values().sum();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut seen: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    let mut accepted = 0;
    while accepted < DRAWS {
        let mut seq = vec![tunec::compose::chain::pick(&mut rng, &[1.0; 5]).unwrap() as u8];
        for _ in 1..4 {
            let last = *seq.last().unwrap();
            let w: Vec<f64> = (0..5u8).map(|y| transition(0, last, y)).collect();
            seq.push(tunec::compose::chain::pick(&mut rng, &w).unwrap() as u8);
        }
        if exact.contains_key(&seq) {
            accepted += 1;
            *seen.entry(seq).or_default() += 1;
        }
    }
    let tv: f64 = exact
        .iter()
        .map(|(s, w)| (*seen.get(s).unwrap_or(&0) as f64 / DRAWS as f64 - w / total).abs() / 2.0)
        .sum();
    let bound = TV_NOISE_FACTOR * noise_tv(&exact);
    assert!(
        tv > bound,
        "the naive sampler should be visibly biased (tv {tv:.4}, bound {bound:.4})"
    );
}

#[test]
fn melody_remembering_its_last_move_under_mostly_stepwise() {
    // The learned memory's shape: steps run on, leaps turn back, a note repeated twice rarely
    // a third time; with a count rule and a fixed first note, so every part of the state is
    // exercised.
    let mut after = [[1.0; MOVE_CLASSES]; MOVE_STATES];
    after[3][3] = 4.0;
    after[1][1] = 3.0;
    after[4][0] = 2.5;
    after[2][2] = 2.0;
    after[5][2] = 0.2;
    let steps = |x: u8, y: u8| x.abs_diff(y) <= 2;
    // Leap down, step down, the same note, step up, leap up.
    let move_class = |x: u8, y: u8| match y as i16 - x as i16 {
        i if i < -2 => 0,
        -2..=-1 => 1,
        0 => 2,
        1..=2 => 3,
        _ => 4,
    };
    let mut domains = vec![(60..66).collect::<Vec<u8>>(); 6];
    domains[0] = vec![62];
    let chain = Chain {
        weights: domains.iter().map(|d| vec![1.0; d.len()]).collect(),
        domains,
        transition: &|_, x, y| {
            if x.abs_diff(y) <= 4 {
                interval_weight(x, y)
            } else {
                0.0
            }
        },
        count: Some(Count::whole(&steps, 6, 3)),
        memory: Some(Memory {
            class_of: &move_class,
            then: move_state,
            after: &after,
        }),
    };
    assert_exact(&chain, 11);
}
