//! Melodic statistics over many seeds, to compare tunec's melodies with real tunes: the shares
//! of repeated notes, steps (1–2 semitones), skips (3–4) and leaps (5 or more), the range, and
//! how often the melody ends on the tonic — medians per tune, as the reference figures are —
//! the phrase habits: one peak per phrase, long phrase ends, a first bar restated
//! transposed or inverted, notes outside the chord reached and left by step; and the figures of
//! the open issue "Music a player would take for real" (`idiom`): running beats, bar rhythms
//! repeated, note lengths, tonic and fifth shares, cadences, pickups, rests, long notes
//! against the bass, the melody against the chords' top note.

use std::borrow::Cow;
use std::fmt;

use crate::compiled::compose_plan;
use crate::diagnostic::Diagnostic;
use crate::resolve::{PartRole, Plan};
use crate::score::{Note, Score};
use crate::theory::PitchSet;

mod idiom;

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
    /// Share of four-bar phrases whose highest note sounds once (over all tunes' phrases).
    pub single_peaks: f64,
    /// Share of four-bar phrases whose last note is as long as any other.
    pub long_ends: f64,
    /// Mean place of a single peak in its phrase, 0 (start) to 1 (end).
    pub peak_position: f64,
    /// Share of tunes where one of bars 2–8 restates bar 1 moved along the scale.
    pub transposed: f64,
    /// Share of tunes where one of bars 2–8 restates bar 1 upside down.
    pub inverted: f64,
    /// Share of tunes where a later section opens with bar 1 moved or upside down.
    pub recalled: f64,
    /// Share of notes outside the sounding chord (median per tune).
    pub outside_chord: f64,
    /// Of those, the share reached and left by step: passing and neighbour tones.
    pub passing: f64,
    /// Share of tunes in a compound meter (6/8, 9/8, 12/8), where a running beat is three
    /// notes of the written unit; elsewhere it is an eighth pair or a dotted pair.
    pub compound: f64,
    /// Share of beats filled by running notes (median per tune; `idiom::running_beats`).
    pub running_beats: f64,
    /// Share of bars after the first whose rhythm equals an earlier bar's (median per tune;
    /// `idiom::bar_repeats`).
    pub bar_repeats: f64,
    /// Distinct written note lengths in the melody (median per tune).
    pub note_lengths: f64,
    /// Share of melody notes whose pitch class is the key's tonic (median per tune).
    pub tonic: f64,
    /// Share of melody notes whose pitch class is the key's fifth degree (median per tune).
    pub fifth: f64,
    /// Share of section ends (each section's last melody note, over all tunes) that are tones
    /// of the chord sounding at the note's onset.
    pub section_ends_on_chord: f64,
    /// Share of tunes whose first section's last melody note sounds over a chord rooted on the
    /// tonic or the fifth degree (I or V).
    pub first_strain_on_i_or_v: f64,
    /// Share of tunes whose Score has a pickup: an anacrusis before bar 1.
    pub pickups: f64,
    /// Share of the piece's length with no melody note sounding (median per tune;
    /// `idiom::resting`).
    pub resting: f64,
    /// Share of long melody notes (a beat or more, over all tunes) a minor second or ninth, a
    /// tritone or a major seventh from the lowest bass note sounding at their onset.
    pub long_clashes: f64,
    /// Share of melody notes at or below the chords part's highest note sounding at their
    /// onset (median over the tunes with a chords part).
    pub under_chords: f64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn share(count: usize, of: usize) -> f64 {
    count as f64 / of.max(1) as f64
}

/// What one tune's melody does, for the medians.
struct Tune {
    intervals: [f64; 4],
    range: f64,
    ends_on_tonic: bool,
    phrases: usize,
    single_peaks: usize,
    long_ends: usize,
    transposed: bool,
    inverted: bool,
    recalled: bool,
    /// Where each single peak sits in its phrase, 0 (start) to 1 (end).
    peak_positions: Vec<f64>,
    outside_chord: f64,
    passing: Option<f64>,
    idiom: idiom::Idiom,
}

/// One tune's figures, counted bar by bar on `score` (from bar 1's downbeat); `pickup`: the
/// ticks of the pickup before it (0 without).
fn measure(score: &Score, melody: &[Note], phrase_ticks: u32, pickup: u32) -> Tune {
    let pitches: Vec<u8> = melody.iter().map(|n| n.pitch.0).collect();
    let intervals: Vec<u8> = pitches.windows(2).map(|w| w[0].abs_diff(w[1])).collect();
    let kinds = [0..=0, 1..=2, 3..=4, 5..=u8::MAX];
    let intervals = kinds.map(|k| {
        share(
            intervals.iter().filter(|d| k.contains(*d)).count(),
            intervals.len(),
        )
    });
    let (low, high) = (
        pitches.iter().min().copied().unwrap_or(0),
        pitches.iter().max().copied().unwrap_or(0),
    );
    // Phrases from the first bar; a last, shorter stretch is not a phrase.
    let phrases: Vec<&[Note]> = (0..score.total_ticks() / phrase_ticks)
        .map(|k| {
            let from = melody.partition_point(|n| n.start < k * phrase_ticks);
            let to = melody.partition_point(|n| n.start < (k + 1) * phrase_ticks);
            &melody[from..to]
        })
        .filter(|p| !p.is_empty())
        .collect();
    let peak_positions: Vec<f64> = phrases
        .iter()
        .filter_map(|p| {
            let top = p.iter().map(|n| n.pitch).max();
            let mut peaks = p.iter().filter(|n| Some(n.pitch) == top);
            let peak = peaks.next().filter(|_| peaks.next().is_none())?;
            Some((peak.start % phrase_ticks) as f64 / phrase_ticks as f64)
        })
        .collect();
    let single = peak_positions.len();
    let long = phrases
        .iter()
        .filter(|p| {
            let (last, rest) = p.split_last().expect("not empty");
            rest.iter().all(|n| n.duration <= last.duration)
        })
        .count();
    let (transposed, inverted, recalled) = restatements(score, melody);
    let mut outside = 0;
    let mut by_step = 0;
    for (i, n) in melody.iter().enumerate() {
        let Some(chord) = score.chord_at(n.start) else {
            continue;
        };
        if chord.tone_set().contains(n.pitch.class()) {
            continue;
        }
        outside += 1;
        let step = |j: Option<usize>| {
            j.and_then(|j| melody.get(j))
                .is_some_and(|m| m.pitch.distance(n.pitch) <= 2)
        };
        by_step += usize::from(step(i.checked_sub(1)) && step(Some(i + 1)));
    }
    Tune {
        intervals,
        range: (high - low) as f64,
        ends_on_tonic: melody
            .last()
            .is_some_and(|n| n.pitch.class() == score.key.tonic_class()),
        phrases: phrases.len(),
        single_peaks: single,
        long_ends: long,
        transposed,
        inverted,
        recalled,
        peak_positions,
        outside_chord: share(outside, melody.len()),
        passing: (outside > 0).then(|| share(by_step, outside)),
        idiom: idiom::measure(score, melody, pickup),
    }
}

/// The bar's notes as rungs of the key's scale, if all of them are on it.
fn rungs(score: &Score, melody: &[Note], bar: u32) -> Option<Vec<i32>> {
    let ticks = score.meter.bar_ticks();
    let from = melody.partition_point(|n| n.start < bar * ticks);
    let to = melody.partition_point(|n| n.start < (bar + 1) * ticks);
    let scale: PitchSet = score.key.scale();
    melody[from..to]
        .iter()
        .map(|n| scale.rung(n.pitch))
        .collect()
}

/// How bar `other` restates bar 1 (as rungs): (moved along the scale, upside down); a plain
/// repeat is neither.
fn restates(first: &[i32], other: &[i32]) -> (bool, bool) {
    let moves = |r: &[i32]| -> Vec<i32> { r.windows(2).map(|w| w[1] - w[0]).collect() };
    if first.len() < 2 || other.len() != first.len() {
        return (false, false);
    }
    let (motif, theirs) = (moves(first), moves(other));
    let mirrored: Vec<i32> = motif.iter().map(|d| -d).collect();
    (
        theirs == motif && other[0] != first[0],
        theirs == mirrored && motif.iter().any(|d| *d != 0),
    )
}

/// Within the first eight bars, whether a later bar restates bar 1 moved along the scale, and
/// whether one restates it upside down (as the reference figures count them); and whether a
/// later section opens with bar 1 moved or upside down.
fn restatements(score: &Score, melody: &[Note]) -> (bool, bool, bool) {
    let Some(first) = rungs(score, melody, 0) else {
        return (false, false, false);
    };
    let (mut transposed, mut inverted) = (false, false);
    for bar in 1..score.bars.min(8) {
        if let Some(other) = rungs(score, melody, bar) {
            let (t, i) = restates(&first, &other);
            transposed |= t;
            inverted |= i;
        }
    }
    let first_letter = score.sections.first().map(|s| s.1.letter);
    let recalled = score
        .sections
        .iter()
        .filter(|(_, name)| Some(name.letter) != first_letter)
        .filter_map(|(bar, _)| rungs(score, melody, *bar))
        .any(|other| {
            let (t, i) = restates(&first, &other);
            t || i
        });
    (transposed, inverted, recalled)
}

/// The melody's profile over `seeds` (a range, which may end at `u64::MAX`), each composed
/// from its plan (`plan_for`: a dance tune's key is drawn for each seed).
pub fn melody_profile<'a>(
    plan_for: impl Fn(u64) -> Result<Cow<'a, Plan>, Vec<Diagnostic>>,
    seeds: impl IntoIterator<Item = u64>,
) -> Result<Profile, Vec<Diagnostic>> {
    let mut tunes = Vec::new();
    for seed in seeds {
        let plan = &*plan_for(seed)?;
        let composed = compose_plan(plan, seed, "stats")?;
        // Bar by bar from bar 1's downbeat; the pickup only counts as one.
        let score = composed.from_bar_one();
        if let Some(melody) = score.part(PartRole::Melody).filter(|m| m.notes.len() > 1) {
            tunes.push(measure(
                &score,
                &melody.notes,
                plan.phrase_ticks(),
                composed.pickup,
            ));
        }
    }
    Ok(summarize(&tunes))
}

/// The medians and shares over the tunes measured.
fn summarize(tunes: &[Tune]) -> Profile {
    let of = |f: &dyn Fn(&Tune) -> f64| median(tunes.iter().map(f).collect());
    let how_often =
        |f: &dyn Fn(&Tune) -> bool| share(tunes.iter().filter(|t| f(t)).count(), tunes.len());
    let phrases: usize = tunes.iter().map(|t| t.phrases).sum();
    let of_phrases = |f: &dyn Fn(&Tune) -> usize| share(tunes.iter().map(f).sum(), phrases);
    // Pooled over all tunes: a share of counts each tune has only a few of.
    let pooled = |part: &dyn Fn(&Tune) -> usize, whole: &dyn Fn(&Tune) -> usize| {
        share(tunes.iter().map(part).sum(), tunes.iter().map(whole).sum())
    };
    let firsts: Vec<bool> = tunes
        .iter()
        .filter_map(|t| t.idiom.first_strain_on_i_or_v)
        .collect();
    Profile {
        tunes: tunes.len(),
        repeats: of(&|t| t.intervals[0]),
        steps: of(&|t| t.intervals[1]),
        skips: of(&|t| t.intervals[2]),
        leaps: of(&|t| t.intervals[3]),
        range: of(&|t| t.range),
        ends_on_tonic: how_often(&|t| t.ends_on_tonic),
        single_peaks: of_phrases(&|t| t.single_peaks),
        long_ends: of_phrases(&|t| t.long_ends),
        peak_position: {
            let all: Vec<f64> = tunes
                .iter()
                .flat_map(|t| t.peak_positions.clone())
                .collect();
            all.iter().sum::<f64>() / all.len().max(1) as f64
        },
        transposed: how_often(&|t| t.transposed),
        inverted: how_often(&|t| t.inverted),
        recalled: how_often(&|t| t.recalled),
        outside_chord: of(&|t| t.outside_chord),
        passing: median(tunes.iter().filter_map(|t| t.passing).collect()),
        compound: how_often(&|t| t.idiom.compound),
        running_beats: of(&|t| t.idiom.running_beats),
        bar_repeats: of(&|t| t.idiom.bar_repeats),
        note_lengths: of(&|t| t.idiom.lengths as f64),
        tonic: of(&|t| t.idiom.tonic),
        fifth: of(&|t| t.idiom.fifth),
        section_ends_on_chord: pooled(&|t| t.idiom.section_ends_on_chord, &|t| {
            t.idiom.section_ends
        }),
        first_strain_on_i_or_v: share(firsts.iter().filter(|b| **b).count(), firsts.len()),
        pickups: how_often(&|t| t.idiom.pickup),
        resting: of(&|t| t.idiom.resting),
        long_clashes: pooled(&|t| t.idiom.long_clashes, &|t| t.idiom.long_notes),
        under_chords: median(tunes.iter().filter_map(|t| t.idiom.under_chords).collect()),
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pc = |x: f64| format!("{:.0}%", 100.0 * x);
        writeln!(
            f,
            "{} tunes: repeats {}, steps {}, skips {}, leaps {}, range {:.0} semitones, ends on the tonic {}",
            self.tunes,
            pc(self.repeats),
            pc(self.steps),
            pc(self.skips),
            pc(self.leaps),
            self.range,
            pc(self.ends_on_tonic)
        )?;
        writeln!(
            f,
            "  phrases: one peak {} (at {:.2} of the phrase), long last note {}",
            pc(self.single_peaks),
            self.peak_position,
            pc(self.long_ends),
        )?;
        writeln!(
            f,
            "  bar 1 restated in bars 2-8 transposed {}, inverted {}; recalled by a later section {}",
            pc(self.transposed),
            pc(self.inverted),
            pc(self.recalled)
        )?;
        writeln!(
            f,
            "  notes outside the chord {}, of them reached and left by step {}",
            pc(self.outside_chord),
            pc(self.passing)
        )?;
        self.fmt_idiom(f)
    }
}

impl Profile {
    /// The figures of the issue "Music a player would take for real", after the others.
    fn fmt_idiom(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pc = |x: f64| format!("{:.0}%", 100.0 * x);
        // Which running beats were counted: the meter family of the tunes.
        let running = if self.compound == 1.0 {
            "three even notes to the beat"
        } else if self.compound == 0.0 {
            "eighth or dotted pairs"
        } else {
            "three even notes or pairs, meters mixed"
        };
        writeln!(
            f,
            "  running beats {} ({running}), bars repeating an earlier bar's rhythm {}, note lengths {}",
            pc(self.running_beats),
            pc(self.bar_repeats),
            self.note_lengths,
        )?;
        writeln!(
            f,
            "  tonic {}, fifth {} of the notes; section ends on a chord tone {}, first strain ends on I or V {}",
            pc(self.tonic),
            pc(self.fifth),
            pc(self.section_ends_on_chord),
            pc(self.first_strain_on_i_or_v),
        )?;
        write!(
            f,
            "  pickups {}, resting {}, long notes clashing with the bass {}, notes at or below the chords' top {}",
            pc(self.pickups),
            pc(self.resting),
            pc(self.long_clashes),
            pc(self.under_chords),
        )
    }
}

impl crate::Program {
    /// The melody's statistics over `seeds`, as `--stats` prints them.
    #[doc(hidden)]
    pub fn melody_profile(
        &self,
        seeds: impl IntoIterator<Item = u64>,
    ) -> Result<Profile, crate::Diagnostics> {
        crate::contained(|| melody_profile(|seed| self.plan_for(seed), seeds)).map_err(|items| {
            crate::Diagnostics::new(self.options.shown_file_name(), &self.source, items)
        })
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
        let plan = crate::compiled::plan_of("folk tune, 8 bars\nmelody: stepwise").unwrap();
        let p = melody_profile(|_| Ok(Cow::Borrowed(&plan)), 0..5).unwrap();
        assert_eq!(p.tunes, 5);
        assert_eq!(p.skips + p.leaps, 0.0);
        assert!((p.repeats + p.steps - 1.0).abs() < 1e-9);
    }
}
