//! Melodic statistics over many seeds, to compare tunec's melodies with real tunes: the shares
//! of repeated notes, steps (1–2 semitones), skips (3–4) and leaps (5 or more), the range, and
//! how often the melody ends on the tonic — medians per tune, as the reference figures are.

use std::fmt;
use std::ops::Range;

use crate::resolve::{PartRole, Plan};
use crate::{Error, compose_plan};

#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub tunes: usize,
    pub repeats: f64,
    pub steps: f64,
    pub skips: f64,
    pub leaps: f64,
    /// Semitones between the lowest and the highest note.
    pub range: f64,
    /// Share of tunes whose last melody note is the tonic.
    pub ends_on_tonic: f64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The melody's profile over `seeds`.
pub fn melody_profile(plan: &Plan, seeds: Range<u64>) -> Result<Profile, Error> {
    let mut shares: [Vec<f64>; 4] = Default::default();
    let mut ranges = Vec::new();
    let mut tonic_endings = 0;
    let mut tunes = 0;
    for seed in seeds {
        let score = compose_plan(plan.clone(), seed, "stats")?.score;
        let Some(melody) = score.part(PartRole::Melody).filter(|m| m.notes.len() > 1) else {
            continue;
        };
        let pitches: Vec<u8> = melody.notes.iter().map(|n| n.pitch.0).collect();
        let intervals: Vec<u8> = pitches.windows(2).map(|w| w[0].abs_diff(w[1])).collect();
        let kinds = [0..=0, 1..=2, 3..=4, 5..=u8::MAX];
        for (share, kind) in shares.iter_mut().zip(kinds) {
            share.push(
                intervals.iter().filter(|d| kind.contains(*d)).count() as f64
                    / intervals.len() as f64,
            );
        }
        let (low, high) = (
            pitches.iter().min().unwrap_or(&0),
            pitches.iter().max().unwrap_or(&0),
        );
        ranges.push((high - low) as f64);
        tonic_endings += usize::from(
            melody
                .notes
                .last()
                .is_some_and(|n| n.pitch.class() == score.key.tonic_class()),
        );
        tunes += 1;
    }
    let [repeats, steps, skips, leaps] = shares.map(median);
    Ok(Profile {
        tunes,
        repeats,
        steps,
        skips,
        leaps,
        range: median(ranges),
        ends_on_tonic: tonic_endings as f64 / tunes.max(1) as f64,
    })
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} tunes: repeats {:.0}%, steps {:.0}%, skips {:.0}%, leaps {:.0}%, range {:.0} semitones, ends on the tonic {:.0}%",
            self.tunes,
            100.0 * self.repeats,
            100.0 * self.steps,
            100.0 * self.skips,
            100.0 * self.leaps,
            self.range,
            100.0 * self.ends_on_tonic
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn a_stepwise_melody_is_all_steps_and_repeats() {
        let plan = crate::plan("folk tune, 8 bars\nmelody: stepwise").unwrap();
        let p = melody_profile(&plan, 0..5).unwrap();
        assert_eq!(p.tunes, 5);
        assert_eq!(p.skips + p.leaps, 0.0);
        assert!((p.repeats + p.steps - 1.0).abs() < 1e-9);
    }
}
