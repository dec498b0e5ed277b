//! The Plan: a fully concrete description of the piece, every setting tagged with where it came from.

use std::fmt;

use crate::diagnostic::Span;
use crate::theory::{Chord, Key, Meter, Pitch, PitchClass, PitchSet};

use super::presets::Style;

/// Where a setting or constraint came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A clause the user wrote: its span, 1-based line number and text.
    Line {
        span: Span,
        line: usize,
        text: String,
    },
    /// A style or mood preset.
    Preset(&'static str),
    /// tunec's own default, or something it inferred; the text says which.
    Default(String),
}

impl Origin {
    pub fn is_user(&self) -> bool {
        matches!(self, Origin::Line { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line { line, text, .. } => write!(f, "line {line}: \"{text}\""),
            Origin::Preset(name) => write!(f, "preset {name}"),
            Origin::Default(why) => f.write_str(why),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Sourced<T> {
    pub fn new(value: T, origin: Origin) -> Sourced<T> {
        Sourced { value, origin }
    }
}

/// The instrumental parts tunec writes, in track order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartRole {
    Melody,
    Chords,
    Bass,
}

impl PartRole {
    pub const ALL: [PartRole; 3] = [PartRole::Melody, PartRole::Chords, PartRole::Bass];

    pub fn name(self) -> &'static str {
        match self {
            PartRole::Melody => "melody",
            PartRole::Chords => "chords",
            PartRole::Bass => "bass",
        }
    }

    /// MIDI channel, 0-based (drums will take 9, channel 10 as musicians count).
    pub fn channel(self) -> u8 {
        self as u8
    }
}

/// The note a `starts on` / `ends on` clause asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Class(PitchClass),
    Pitch(Pitch),
}

impl Endpoint {
    pub fn admits(self, pitch: Pitch) -> bool {
        match self {
            Endpoint::Class(pc) => pitch.class() == pc,
            Endpoint::Pitch(p) => pitch == p,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PitchRuleKind {
    /// `using only`: every note's class is in the set.
    Only,
    /// `avoiding`: no note's class is in the set.
    Avoid,
    /// `in K mode`: notes stay in the scale, except tones of a chord the user wrote.
    Scale,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PitchRule {
    pub kind: PitchRuleKind,
    pub set: PitchSet,
    pub origin: Origin,
}

impl PitchRule {
    /// The classes this rule allows while `user_chord` (if any) sounds.
    pub fn allows(&self, user_chord: Option<Chord>) -> PitchSet {
        match self.kind {
            PitchRuleKind::Only => self.set,
            PitchRuleKind::Avoid => PitchSet::CHROMATIC.minus(self.set),
            PitchRuleKind::Scale => self
                .set
                .union(user_chord.map_or(PitchSet::EMPTY, Chord::tone_set)),
        }
    }
}

/// Everything one part must and should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartPlan {
    pub role: PartRole,
    pub program: Sourced<u8>,
    pub range: Sourced<(Pitch, Pitch)>,
    /// Largest melodic interval in semitones (`stepwise` is 2).
    pub max_leap: Option<Sourced<u8>>,
    /// `mostly stepwise`: at least 70% of intervals are at most 2 semitones.
    pub mostly_stepwise: Option<Origin>,
    pub starts_on: Option<Sourced<Endpoint>>,
    pub ends_on: Option<Sourced<Endpoint>>,
    pub pitch_rules: Vec<PitchRule>,
}

impl PartPlan {
    /// Pitch classes this part may use while `user_chord` sounds.
    pub fn allowed(&self, user_chord: Option<Chord>) -> PitchSet {
        self.pitch_rules
            .iter()
            .fold(PitchSet::CHROMATIC, |set, rule| {
                set.intersect(rule.allows(user_chord))
            })
    }

    /// Every user clause this part's hard constraints came from, in source order, deduplicated.
    pub fn user_origins(&self) -> Vec<Origin> {
        let mut origins: Vec<Origin> = self
            .pitch_rules
            .iter()
            .map(|r| &r.origin)
            .chain([&self.range.origin])
            .chain(self.max_leap.iter().map(|m| &m.origin))
            .chain(self.mostly_stepwise.iter())
            .chain(self.starts_on.iter().map(|s| &s.origin))
            .chain(self.ends_on.iter().map(|s| &s.origin))
            .filter(|o| o.is_user())
            .cloned()
            .collect();
        origins.sort_by_key(|o| match o {
            Origin::Line { span, .. } => *span,
            _ => Span::default(),
        });
        origins.dedup();
        origins
    }

    /// This part with every hard constraint from a user clause outside `keep` removed.
    pub fn relaxed(&self, keep: &[Origin]) -> PartPlan {
        let kept = |o: &Origin| !o.is_user() || keep.contains(o);
        let mut part = self.clone();
        part.pitch_rules.retain(|r| kept(&r.origin));
        if !kept(&part.range.origin) {
            part.range = Sourced::new((Pitch(21), Pitch(108)), Origin::Default("relaxed".into()));
        }
        part.max_leap = part.max_leap.filter(|m| kept(&m.origin));
        part.mostly_stepwise = part.mostly_stepwise.filter(kept);
        part.starts_on = part.starts_on.filter(|s| kept(&s.origin));
        part.ends_on = part.ends_on.filter(|s| kept(&s.origin));
        part
    }
}

/// The chords the user wrote, bar by bar; it repeats to fill the piece.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progression {
    pub bars: Vec<Vec<Chord>>,
    pub origin: Origin,
}

/// The resolved piece: what compose samples and check verifies.
#[derive(Clone, Debug)]
pub struct Plan {
    pub title: Option<String>,
    pub seed: Option<u64>,
    pub style: Sourced<&'static Style>,
    pub moods: Vec<Sourced<&'static str>>,
    pub key: Sourced<Key>,
    pub meter: Sourced<Meter>,
    pub bars: Sourced<u32>,
    pub tempo: Sourced<u32>,
    pub progression: Option<Progression>,
    pub parts: Vec<PartPlan>,
}

impl Plan {
    pub fn part(&self, role: PartRole) -> Option<&PartPlan> {
        self.parts.iter().find(|p| p.role == role)
    }

    pub fn total_ticks(&self) -> u32 {
        self.bars.value * self.meter.value.bar_ticks()
    }

    /// The chords of bar `bar` (0-based) with their start ticks, if the user wrote chords.
    pub fn user_bar(&self, bar: u32) -> Option<Vec<(u32, Chord)>> {
        let progression = self.progression.as_ref()?;
        let chords = &progression.bars[bar as usize % progression.bars.len()];
        let meter = self.meter.value;
        let start = bar * meter.bar_ticks();
        Some(
            split_bar(meter, chords.len())
                .into_iter()
                .zip(chords)
                .map(|(offset, chord)| (start + offset, *chord))
                .collect(),
        )
    }

    /// The user's chord sounding at `tick`, if the user wrote chords.
    pub fn user_chord_at(&self, tick: u32) -> Option<Chord> {
        let bar = tick / self.meter.value.bar_ticks();
        self.user_bar(bar)?
            .into_iter()
            .rev()
            .find(|(start, _)| *start <= tick)
            .map(|(_, chord)| chord)
    }
}

/// Start offsets of `n` chords sharing one bar: split on beats, earlier chords get the extra beat.
pub fn split_bar(meter: Meter, n: usize) -> Vec<u32> {
    let n = n.max(1) as u32;
    let beats = meter.beats_per_bar();
    let (unit, count) = if beats >= n {
        (meter.beat_ticks(), beats)
    } else {
        (meter.unit_ticks(), meter.count as u32)
    };
    let count = count.max(n);
    let unit = unit.min(meter.bar_ticks() / count).max(1);
    (0..n).map(|i| (i * count).div_ceil(n) * unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_split_on_beats() {
        let four = Meter::new(4, 4).unwrap();
        assert_eq!(split_bar(four, 1), [0]);
        assert_eq!(split_bar(four, 2), [0, 960]);
        let three = Meter::new(3, 4).unwrap();
        assert_eq!(split_bar(three, 2), [0, 960]);
        let six = Meter::new(6, 8).unwrap();
        assert_eq!(split_bar(six, 2), [0, 720]);
        assert_eq!(split_bar(six, 3), [0, 480, 960]);
    }
}
