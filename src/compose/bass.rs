//! The bass: roots, root and fifth, or a walking line — always a chord tone at each chord change,
//! the root where the pitch rules allow it (a habit, which gives way: `GaveWay::BassRoots`).

use rand::RngCore;

use super::Conflict;
use super::rhythm::{BarsPlayed, Placement, Slot};
use super::sections::{Ending, LineWriter};
use super::tumbao;
use crate::models::chorale_model;
use crate::presets::Harmony;
use crate::resolve::{Origin, PartPlan, PartRole, Pattern, Plan};
use crate::score::{ChordSpan, Note, span_at};
use crate::theory::{Chord, Meter, Pitch, PitchSet};

pub struct BassWriter<'a> {
    pub plan: &'a Plan,
    pub part: &'a PartPlan,
    pub harmony: &'a [ChordSpan],
    /// The melody, written before the bass (one note at a time, in order).
    pub against: &'a [Note],
}

impl BassWriter<'_> {
    fn pattern(&self) -> Pattern {
        self.part
            .pattern
            .as_ref()
            .map_or(Pattern::RootFifth, |p| p.value)
    }

    fn starts_chord(&self, tick: u32) -> bool {
        span_at(self.harmony, tick).is_some_and(|c| c.start == tick)
    }

    /// A chorale's bass is the lowest of four voices: it moves against the melody.
    fn in_chorale(&self) -> bool {
        self.plan.harmony_habit == Harmony::Chorale && !self.against.is_empty()
    }

    /// A chorale's bass, unless the user asks for roots, takes the chord's third as often as
    /// Bach's (its root at the piece's end).
    fn inverts(&self) -> bool {
        self.in_chorale() && inverts(self.plan, self.part)
    }

    /// A section's first bass note is drawn apart from the one before it (the root the
    /// section before closes on): it takes no fifth or octave with the melody that the two
    /// notes before it made.
    fn apart_from_section_before(&self, slot: &Slot, p: Pitch) -> f64 {
        let starts_section = slot.start > 0
            && (self.plan.sections.iter()).any(|s| self.plan.ticks_of(s).start == slot.start);
        if !starts_section {
            return 1.0;
        }
        let (Some(before), Some(m1), Some(m2)) = (
            span_at(self.harmony, slot.start - 1),
            self.melody_at(slot.start - 1),
            self.melody_at(slot.start),
        ) else {
            return 1.0;
        };
        let root = before.chord.root_class().index();
        let class = |m: u8, b: u8| (m % 12 + 12 - b % 12) % 12;
        let was = class(m1, root);
        if m1 != m2 && matches!(was, 0 | 7) && class(m2, p.0) == was {
            super::chorale::BROKEN
        } else {
            1.0
        }
    }

    /// A chorale's bass leaves the tenor and the alto room above it, under the melody: a bass
    /// less than a fourth under the chords part's lowest note leans away.
    fn room_above(&self, slot: &Slot, p: Pitch) -> f64 {
        let Some(chords) = self.plan.part(PartRole::Chords) else {
            return 1.0;
        };
        let (low, _) = self.plan.range_at(chords, slot.start);
        if p.0 + 5 > low.0 { 0.2 } else { 1.0 }
    }

    /// A genre figure's habit: eighths on the root; the alternating and bossa basses take the
    /// fifth off the chord's start (root on the even beats, fifth on the odd); funk's root with
    /// octaves and the seventh.
    fn figure_preference(&self, slot: &Slot, chord: Chord, p: Pitch) -> Option<f64> {
        let (root, fifth) = (p.class() == chord.root_class(), p.class() == chord.fifth());
        let beat = self.plan.meter.value.beat_ticks();
        let odd_beat = (slot.start % self.plan.bar_ticks() / beat) % 2 == 1;
        let w = match self.pattern() {
            Pattern::Eighths | Pattern::Syncopated if root => 6.0,
            Pattern::Eighths | Pattern::Syncopated => 0.3,
            Pattern::Alternating if odd_beat == fifth && (root || fifth) => 6.0,
            Pattern::Bossa | Pattern::Tumbao if fifth => 6.0,
            Pattern::Alternating | Pattern::Bossa | Pattern::Tumbao => 0.05,
            _ => return None,
        };
        Some(w)
    }

    /// A jazz walking bass reaches the next chord's root by a half step, from above or below,
    /// on the beat before it.
    fn approach(&self, slot: &Slot, p: Pitch) -> Option<f64> {
        let end = slot.start + slot.duration;
        let jazz = self.plan.harmony_habit == Harmony::Jazz && self.pattern() == Pattern::Walking;
        if !jazz || self.starts_chord(slot.start) || !self.starts_chord(end) {
            return None;
        }
        let next = span_at(self.harmony, end)?.chord.root_class();
        matches!((p.class().index() + 12 - next.index()) % 12, 1 | 11).then_some(12.0)
    }

    /// The classes the bass takes where the chord starting at `tick` arrives: its root where
    /// the part's rules and its range hold one; a range without the root's class leaves the
    /// chord's other tones, never no note (the harmony is drawn before the bass, so a chord
    /// must never hang on the bass's range).
    fn arrival_classes(&self, tick: u32, last: bool) -> PitchSet {
        let Some(span) = span_at(self.harmony, tick) else {
            return PitchSet::CHROMATIC;
        };
        let chord = span.chord;
        // A slash chord's bass is the user's: a hard request, like the chord itself.
        if let Some(bass) = chord.bass {
            return PitchSet::EMPTY.with(bass.pitch_class());
        }
        // A chord borrowed for the bass's first or last note (its root outside a key no line
        // wrote) is there for its root: the key gives way to it, as the verifier reads it.
        let allowed = match super::harmony::borrowed_for_bass(self.plan, chord) {
            true => (self.plan).allowed_at(&self.part.without_default_key(), tick),
            false => self.plan.allowed_at(self.part, tick),
        };
        // The root where the part's rules and its range hold one: a range without the root's
        // class leaves the chord's other tones, never no note (the harmony is drawn before the
        // bass, so a chord must never hang on the bass's range).
        let letter = self.plan.section_at_tick(tick).name.letter;
        let (low, high) = self.part.range_in(letter);
        let in_range = (low.0..=high.0).any(|p| Pitch(p).class() == chord.root_class());
        let roots = self.part.roots_at_changes;
        if allowed.contains(chord.root_class()) && in_range && roots && (last || !self.inverts()) {
            return PitchSet::EMPTY.with(chord.root_class());
        }
        chord.tone_set()
    }

    /// Whether a tumbao note struck at `at` may sound the chord that starts at `chord`: the
    /// pitch rules at `at` hold a tone the chord's arrival asks for.
    fn may_anticipate(&self, at: u32, chord: u32) -> bool {
        let wanted = self.arrival_classes(chord, false);
        !wanted
            .intersect(self.plan.allowed_at(self.part, at))
            .is_empty()
    }

    /// The start of the chord a tumbao note sounds, if it sounds one's arrival.
    fn tumbao_arrival(&self, slot: &Slot) -> Option<u32> {
        let starts_section =
            |t: u32| (self.plan.sections.iter()).any(|s| self.plan.ticks_of(s).start == t);
        let can = |s, c| self.may_anticipate(s, c);
        tumbao::arrival(
            slot,
            self.harmony,
            self.plan.meter.value,
            starts_section,
            can,
        )
    }

    fn melody_at(&self, tick: u32) -> Option<u8> {
        let i = self.against.partition_point(|n| n.end() <= tick);
        self.against
            .get(i)
            .filter(|n| n.start <= tick)
            .map(|n| n.pitch.0)
    }
}

/// Whether the bass of `plan` may take any chord tone at a chord change: in a chorale (the
/// chorale's harmonic habit), unless the user asked for a bass pattern.
fn inverts(plan: &Plan, part: &PartPlan) -> bool {
    plan.harmony_habit == Harmony::Chorale
        && part.pattern.as_ref().is_none_or(|p| !p.origin.is_user())
}

/// Where in a bar a genre's bass figure strikes (ticks from the bar line), or `None` for the
/// patterns laid out chord by chord.
fn figure(pattern: Pattern, meter: Meter) -> Option<Vec<u32>> {
    let (beat, bar) = (meter.beat_ticks(), meter.bar_ticks());
    let every = |step: u32| Some((0..bar / step).map(|k| k * step).collect());
    match pattern {
        Pattern::Eighths if meter.is_compound() => every(beat / 3),
        Pattern::Eighths => every(beat / 2),
        Pattern::Alternating => every(beat),
        // Two beats at a time: a dotted quarter, then an eighth leading on (1, 2&, 3, 4&).
        Pattern::Bossa => Some(
            (0..bar / beat)
                .step_by(2)
                .flat_map(|b| [b * beat, b * beat + 3 * beat / 2])
                .filter(|t| *t < bar)
                .collect(),
        ),
        // Funk's sixteenths: 1, the a of 1, the and of 2, 3, the and of 3, its a, the and of 4.
        Pattern::Syncopated => Some(
            [0, 3, 6, 8, 10, 11, 14]
                .iter()
                .map(|s| s * beat / 4)
                .filter(|t| *t < bar)
                .collect(),
        ),
        _ => None,
    }
}

/// The slots of a figure over one chord: the chord's start, then each onset of the figure
/// inside the chord, each note lasting until the next.
fn figure_slots(span: &ChordSpan, onsets: &[u32], bar_ticks: u32) -> Vec<Slot> {
    let first_bar = span.start / bar_ticks;
    let last_bar = (span.end - 1) / bar_ticks;
    let mut starts: Vec<u32> = (first_bar..=last_bar)
        .flat_map(|bar| onsets.iter().map(move |o| bar * bar_ticks + o))
        .filter(|t| *t > span.start && *t < span.end)
        .collect();
    starts.insert(0, span.start);
    (0..starts.len())
        .map(|i| Slot {
            start: starts[i],
            duration: starts.get(i + 1).unwrap_or(&span.end) - starts[i],
        })
        .collect()
}

fn bass_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.6,
        1..=5 => 1.1,
        7 => 1.0,
        12 => 0.2,
        6 | 8..=11 => 0.3,
        _ => 0.01,
    }
}

fn walking_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.1,
        1 | 2 => 1.5,
        3 | 4 => 0.8,
        5 | 7 => 0.6,
        12 => 0.2,
        _ => 0.05,
    }
}

impl LineWriter for BassWriter<'_> {
    /// One note per chord (roots), two for a chord of an even number of beats (root-fifth), or
    /// one per beat (walking).
    fn rhythm(
        &self,
        placement: Placement,
        _: &mut BarsPlayed,
        _: &mut dyn RngCore,
    ) -> Result<Vec<Slot>, Conflict> {
        let bar_ticks = self.plan.bar_ticks();
        let beat = self.plan.meter.value.beat_ticks();
        let (from, to) = (
            placement.start_bar * bar_ticks,
            (placement.start_bar + placement.bars) * bar_ticks,
        );
        if self.pattern() == Pattern::Tumbao {
            let meter = self.plan.meter.value;
            let can = |s, c| self.may_anticipate(s, c);
            return Ok(tumbao::slots(self.harmony, meter, (from, to), can));
        }
        let mut slots = Vec::new();
        let figure = figure(self.pattern(), self.plan.meter.value);
        for span in self
            .harmony
            .iter()
            .filter(|c| c.start >= from && c.start < to)
        {
            if let Some(onsets) = &figure {
                slots.extend(figure_slots(span, onsets, bar_ticks));
                continue;
            }
            let length = span.end - span.start;
            let beats = length / beat;
            let even = length.is_multiple_of(beat) && beats >= 2;
            let pieces = match self.pattern() {
                Pattern::Walking if length.is_multiple_of(beat) => beats.max(1),
                Pattern::RootFifth if even && beats.is_multiple_of(2) => 2,
                _ => 1,
            };
            let each = length / pieces;
            for k in 0..pieces {
                let duration = if k + 1 == pieces {
                    length - each * k
                } else {
                    each
                };
                slots.push(Slot {
                    start: span.start + k * each,
                    duration,
                });
            }
        }
        Ok(slots)
    }

    fn classes(&self, slot: &Slot) -> PitchSet {
        let Some(span) = span_at(self.harmony, slot.start) else {
            return PitchSet::CHROMATIC;
        };
        // A chorale's phrases close in root position (and the bar after can see where from).
        let end = slot.start + slot.duration;
        let last = self.plan.section_ends_at(end);
        if self.pattern() == Pattern::Tumbao {
            return match self.tumbao_arrival(slot) {
                Some(c) => self.arrival_classes(c, last),
                None => span.chord.tone_set(),
            };
        }
        if self.starts_chord(slot.start) {
            return self.arrival_classes(slot.start, last);
        }
        match self.pattern() {
            Pattern::Walking => PitchSet::CHROMATIC,
            _ => span.chord.tone_set(),
        }
    }

    fn classes_origin(&self) -> Option<Origin> {
        self.plan.progression.as_ref().map(|p| p.origin.clone())
    }

    fn chord_at(&self, tick: u32) -> Option<Chord> {
        span_at(self.harmony, tick).map(|c| c.chord)
    }

    fn preference(&self, slot: &Slot, _: Ending, p: Pitch) -> f64 {
        let Some(chord) = self.chord_at(slot.start) else {
            return 1.0;
        };
        if self.inverts() {
            let model = chorale_model(self.plan.key.value.mode.is_minor());
            let member = chord.tones().position(|pc| pc == p.class());
            let w = member.map_or(0.01, |m| 3.0 * model.bass(m));
            return w * self.apart_from_section_before(slot, p) * self.room_above(slot, p);
        }
        if let Some(w) = self.figure_preference(slot, chord, p) {
            return w;
        }
        if let Some(w) = self.approach(slot, p) {
            return w;
        }
        if chord.root_class() == p.class() {
            3.0
        } else if chord.fifth() == p.class() {
            1.5
        } else if chord.tone_set().contains(p.class()) {
            1.2
        } else {
            // A walking bass's passing tones: scale tones over chromatic ones.
            if self.plan.key.value.scale().contains(p.class()) {
                0.8
            } else {
                0.2
            }
        }
    }

    fn moves_against_another(&self) -> bool {
        self.in_chorale()
    }

    /// In a chorale: no parallel fifths or octaves with the melody where the bass can help it
    /// (by moving the other way), and contrary motion favoured, as in Bach's outer voices.
    fn motion(&self, a: &Slot, b: &Slot, x: u8, y: u8) -> f64 {
        // The melody as it sounds just before the bass moves, and as the bass arrives.
        let before = b.start.saturating_sub(1).max(a.start);
        let (Some(m1), Some(m2)) = (self.melody_at(before), self.melody_at(b.start)) else {
            return 1.0;
        };
        let contrary = (m2 as i16 - m1 as i16).signum() * (y as i16 - x as i16).signum() == -1;
        let lift = if contrary { 1.5 } else { 1.0 };
        lift * super::chorale::perfect_motion((m1, x), (m2, y))
    }

    fn move_weight(&self, x: u8, y: u8) -> f64 {
        if self.inverts() {
            // Bach's basses: steps and small leaps, octaves, seldom a seventh.
            let model = chorale_model(self.plan.key.value.mode.is_minor());
            let octave = x.abs_diff(y) == 12;
            return model.bass_move(if octave { 12 } else { x.abs_diff(y).min(11) });
        }
        match self.pattern() {
            Pattern::Walking => walking_interval(x.abs_diff(y)),
            // Driving eighths repeat their note or jump its octave.
            Pattern::Eighths | Pattern::Syncopated => match x.abs_diff(y) {
                0 => 2.0,
                12 => 1.0,
                d => bass_interval(d),
            },
            _ => bass_interval(x.abs_diff(y)),
        }
    }
}
