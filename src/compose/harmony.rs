//! Harmony: the user's chords bar by bar, or a progression sampled exactly over diatonic chords.

use rand::RngCore;

use super::Conflict;
use super::chain::Chain;
use crate::resolve::{PartRole, Plan};
use crate::score::ChordSpan;
use crate::theory::{Chord, ChordQuality, Key, PitchSet};

/// The chord timeline of the whole piece.
pub fn harmony(plan: &Plan, rng: &mut impl RngCore) -> Result<Vec<ChordSpan>, Conflict> {
    let meter = plan.meter.value;
    let bars = plan.bars.value;
    if plan.progression.is_some() {
        let mut spans = Vec::new();
        for bar in 0..bars {
            let chords = plan.user_bar(bar).unwrap_or_default();
            let bar_end = (bar + 1) * meter.bar_ticks();
            for (i, (start, chord)) in chords.iter().enumerate() {
                let end = chords.get(i + 1).map_or(bar_end, |(next, _)| *next);
                spans.push(ChordSpan {
                    start: *start,
                    end,
                    chord: *chord,
                });
            }
        }
        return Ok(spans);
    }
    let chords = sample(plan, rng)?;
    Ok(chords
        .into_iter()
        .enumerate()
        .map(|(bar, chord)| ChordSpan {
            start: bar as u32 * meter.bar_ticks(),
            end: (bar as u32 + 1) * meter.bar_ticks(),
            chord,
        })
        .collect())
}

/// A diatonic chord of the key and its scale degree (1-based).
#[derive(Clone, Copy)]
struct Candidate {
    degree: u8,
    chord: Chord,
    weight: f64,
}

/// How often folk harmony uses each degree (I, ii, iii, IV, V, vi, VII).
const DEGREE_WEIGHT: [f64; 7] = [3.0, 1.0, 0.5, 2.0, 2.5, 1.2, 1.2];

/// Weight of moving the root up by `steps` scale degrees: up a fourth (V→I) is the strongest.
const ROOT_MOTION: [f64; 7] = [0.3, 1.5, 1.0, 3.0, 1.8, 1.0, 1.0];

/// The triads on each degree of the key's seven-note mode, minus diminished and augmented ones.
fn diatonic(key: Key) -> Vec<Candidate> {
    (1..=7u8)
        .filter_map(|degree| {
            let root = key.degree(degree);
            let third = root
                .pitch_class()
                .up_to(key.degree(degree + 2).pitch_class());
            let fifth = root
                .pitch_class()
                .up_to(key.degree(degree + 4).pitch_class());
            let quality = match (third, fifth) {
                (4, 7) => ChordQuality::Major,
                (3, 7) => ChordQuality::Minor,
                _ => return None,
            };
            let chord = Chord::new(root, quality);
            Some(Candidate {
                degree,
                chord,
                weight: DEGREE_WEIGHT[degree as usize - 1],
            })
        })
        .collect()
}

/// One chord per bar: starts and ends on the tonic chord (when it fits the pitch rules), with
/// a dominant-leaning penultimate bar, sampled exactly by the same chain as the melody.
fn sample(plan: &Plan, rng: &mut impl RngCore) -> Result<Vec<Chord>, Conflict> {
    let key = plan.key.value;
    // The chords must suit the accompaniment; with none, they only colour the melody.
    let accompaniment: Vec<_> = plan
        .parts
        .iter()
        .filter(|p| p.role != PartRole::Melody)
        .collect();
    let allowed = match accompaniment.as_slice() {
        [] => plan.parts[0].allowed(None),
        parts => parts
            .iter()
            .fold(PitchSet::CHROMATIC, |set, p| set.intersect(p.allowed(None))),
    };
    let fits = |c: &Candidate, tones: u32| {
        allowed.contains(c.chord.root_class())
            && c.chord.tone_set().intersect(allowed).len() >= tones
    };
    let all = diatonic(key);
    let mut candidates: Vec<Candidate> = all.iter().copied().filter(|c| fits(c, 2)).collect();
    if candidates.is_empty() {
        candidates = all.iter().copied().filter(|c| fits(c, 1)).collect();
    }
    if candidates.is_empty() {
        return Err(Conflict {
            role: None,
            origins: plan.parts[0].user_origins(),
            reason: format!(
                "no chord of {key} has its root among the allowed notes {}",
                spell_set(key, allowed)
            ),
        });
    }
    let bars = plan.bars.value as usize;
    let tonic_fits = candidates.iter().any(|c| c.degree == 1);
    let domains: Vec<Vec<u8>> = vec![(0..candidates.len() as u8).collect(); bars];
    let weights: Vec<Vec<f64>> = (0..bars)
        .map(|bar| {
            candidates
                .iter()
                .map(|c| {
                    let edge = bar == 0 || bar + 1 == bars;
                    if edge && tonic_fits {
                        return if c.degree == 1 { 1.0 } else { 0.0 };
                    }
                    let cadence = match (bars - bar, c.degree) {
                        (2, 5) => 5.0,
                        (2, 4 | 7) => 2.0,
                        _ => 1.0,
                    };
                    c.weight * cadence
                })
                .collect()
        })
        .collect();
    let transition = |_: usize, x: u8, y: u8| {
        let from = candidates[x as usize].degree;
        let to = candidates[y as usize].degree;
        ROOT_MOTION[((to + 7 - from) % 7) as usize]
    };
    let chain = Chain {
        domains,
        weights,
        transition: &transition,
        count: None,
    };
    let picks = chain.sample(rng).ok_or_else(|| Conflict {
        role: None,
        origins: Vec::new(),
        reason: "no progression fits".into(),
    })?;
    Ok(picks
        .into_iter()
        .map(|i| candidates[i as usize].chord)
        .collect())
}

/// `{A, B, C#}`, spelled in the key.
pub fn spell_set(key: Key, set: PitchSet) -> String {
    let names: Vec<String> = set.iter().map(|pc| key.spell(pc).to_string()).collect();
    format!("{{{}}}", names.join(", "))
}
