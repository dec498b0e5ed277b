//! The melody and the counter-melody: what each prefers (the learned moves, where real melodies
//! sit on their chords, the tonic at the end, a contour; consonance and contrary motion against
//! the melody).

use rand::RngCore;

use super::Conflict;
use super::restate;
use super::rhythm::{self, BarsPlayed, Placement, Slot};
use super::sections::{Ending, LineWriter};
use crate::models::Turns;
use crate::models::{
    MelodyModel, OffChord, Restatements, RhythmModel, RhythmNote, compasses_of, melody_model,
};
use crate::resolve::{Contour, FIDDLE_RANGE, Feel, Harmony, Origin, PHRASE_BARS, PartPlan, Plan};
use crate::score::{ChordSpan, Note, span_at};
use crate::theory::{Chord, Pitch, PitchSet};

/// The register's centre at `tick` under `contour`, for a part whose range there is
/// `(low, high)`.
fn centre(plan: &Plan, contour: Contour, (low, high): (Pitch, Pitch), tick: u32) -> f64 {
    let middle = (low.0 as f64 + high.0 as f64) / 2.0;
    let span = (high.0 as f64 - low.0 as f64) / 4.0;
    let t = tick as f64 / plan.total_ticks().max(1) as f64;
    match contour {
        Contour::Rising => middle + span * (2.0 * t - 1.0),
        Contour::Falling => middle - span * (2.0 * t - 1.0),
        Contour::Arch => middle + span * (1.0 - 4.0 * (t - 0.5) * (t - 0.5) * 2.0),
    }
}

/// How melodies of the plan's style move in its mode.
pub fn model_of(plan: &Plan) -> &'static MelodyModel {
    melody_model(family_of(plan), plan.key.value.mode.is_minor())
}

fn family_of(plan: &Plan) -> &'static str {
    plan.style.value.intervals.model_family()
}

/// The turns of the tune's habit with repeated notes, drawn by how many training tunes have
/// each (its own stream); the family's turns where it has no habits. A tune's way with
/// repeated notes is its own in any mode: minor tunes, too few to tell the habits apart in,
/// take the major tunes' habits.
fn habit(plan: &Plan, model: &'static MelodyModel, seed: u64) -> &'static Turns {
    let style = plan.style.value;
    let habits = match model.habits(style.rhythm_family) {
        [] => melody_model(family_of(plan), false).habits(style.rhythm_family),
        habits => habits,
    };
    let name = format!("{}/melody/habit", style.name);
    super::draw_by_tunes(seed, &name, habits, |h| h.tunes)
        .map_or(model.turns(style.rhythm_family), |h| &h.turns)
}

/// The compass a dance tune whose range is the default one keeps to: drawn on its own stream by
/// how many training tunes of its kind (in its key, where enough are) span each, moved with the
/// default range and kept inside it. Real tunes differ in how far they reach (O'Neill's reels
/// span 12 to 28 semitones); without it every tune filled the whole default range.
fn compass(plan: &Plan, part: &PartPlan, seed: u64) -> Option<(u8, u8)> {
    let (low, high) = (part.range.value.0.0, part.range.value.1.0);
    let unmoved = high - low == FIDDLE_RANGE.1 - FIDDLE_RANGE.0;
    if !matches!(part.range.origin, Origin::Default(_)) || !unmoved {
        return None;
    }
    let (style, key) = (plan.style.value, plan.key.value);
    let rows = compasses_of(
        style.rhythm_family,
        key.tonic_class().index(),
        key.mode.is_minor(),
    );
    let name = format!("{}/melody/compass", style.name);
    let drawn = super::draw_by_tunes(seed, &name, rows, |c| c.tunes)?;
    let moved = |p: u8| (p + low).saturating_sub(FIDDLE_RANGE.0).clamp(low, high);
    Some((moved(drawn.low), moved(drawn.high)))
}

pub struct MelodyWriter<'a> {
    pub plan: &'a Plan,
    pub part: &'a PartPlan,
    pub harmony: &'a [ChordSpan],
    /// How the style's melodies move, learned from real ones.
    pub model: &'static MelodyModel,
    /// The pickup's rhythm: the last bar gives back its length, and every other section
    /// leads into the next with it.
    pub pickup: &'a [RhythmNote],
    /// The learned bar rhythms the tune plays (`rhythm::learned`).
    pub rhythms: Option<&'static RhythmModel>,
    /// The bars the tune restates (`restate::pattern`).
    pub restatements: Option<&'static Restatements>,
    /// How a move weighs after the moves before it, in this tune's habit (`habit`).
    pub turns: &'static Turns,
    /// The key's tonic (0 = C), for the model's degrees.
    tonic: u8,
    /// The compass the tune keeps to inside its range (`compass`).
    compass: Option<(u8, u8)>,
}

impl<'a> MelodyWriter<'a> {
    pub fn new(
        plan: &'a Plan,
        part: &'a PartPlan,
        harmony: &'a [ChordSpan],
        (pickup, rhythms): (&'a [RhythmNote], Option<&'static RhythmModel>),
        seed: u64,
    ) -> Self {
        let model = model_of(plan);
        MelodyWriter {
            plan,
            part,
            harmony,
            model,
            pickup,
            rhythms,
            restatements: restate::pattern(plan, seed),
            turns: habit(plan, model, seed),
            tonic: plan.key.value.tonic_class().index(),
            compass: compass(plan, part, seed),
        }
    }

    fn tonic(&self) -> u8 {
        self.tonic
    }

    /// Whether `slot` sounds at the last strong beat (the middle of a bar of an even number of
    /// beats, else its downbeat) of an inner phrase's last bar: every fourth bar of a section
    /// but its last, as the training tunes' phrase ends are counted.
    fn ends_inner_phrase(&self, slot: &Slot) -> bool {
        let (plan, meter) = (self.plan, self.plan.meter.value);
        let bar = slot.start / plan.bar_ticks();
        let section = plan.section_at(bar);
        let in_section = bar - section.start_bar + 1;
        if !in_section.is_multiple_of(PHRASE_BARS) || in_section == section.bars {
            return false;
        }
        let beats = meter.beats_per_bar();
        let last_strong = match beats % 2 {
            0 => meter.beat_ticks() * beats / 2,
            _ => 0,
        };
        let tick = bar * plan.bar_ticks() + last_strong;
        (slot.start..slot.start + slot.duration).contains(&tick)
    }

    /// The tune's compass at `tick`: the one drawn, else its range there.
    fn compass_at(&self, tick: u32) -> (u8, u8) {
        let (low, high) = self.plan.range_at(self.part, tick);
        self.compass.unwrap_or((low.0, high.0))
    }
}

impl LineWriter for MelodyWriter<'_> {
    fn answers_phrases(&self) -> bool {
        true
    }

    fn restatements(&self) -> Option<&'static Restatements> {
        self.restatements
    }

    fn rhythm(
        &self,
        placement: Placement,
        played: &mut BarsPlayed,
        rng: &mut dyn RngCore,
    ) -> Result<Vec<Slot>, Conflict> {
        let (plan, part) = (self.plan, self.part);
        rhythm::line_rhythm(
            plan,
            part,
            (plan.feel, self.rhythms),
            placement,
            self.pickup,
            played,
            &mut &mut *rng,
        )
    }

    fn classes(&self, _: &Slot) -> PitchSet {
        PitchSet::CHROMATIC
    }

    fn classes_origin(&self) -> Option<Origin> {
        None
    }

    fn chord_at(&self, tick: u32) -> Option<Chord> {
        span_at(self.harmony, tick).map(|c| c.chord)
    }

    fn preference(&self, slot: &Slot, ending: Ending, p: Pitch) -> f64 {
        let meter = self.plan.meter.value;
        // A contour asked for pulls the line towards its register; the learned moves keep
        // it in place otherwise (a pull to the range's middle made songs hover on the fifth).
        let mut w = match self.part.contour.as_ref().map(|c| c.value) {
            Some(contour) => {
                let (low, high) = self.plan.range_at(self.part, slot.start);
                let width = ((high.0 - low.0) as f64 / 4.0).max(2.0);
                let centre = centre(self.plan, contour, (low, high), slot.start);
                let distance = (p.0 as f64 - centre) / width;
                1.0 / (1.0 + distance * distance)
            }
            None => 1.0,
        };
        w *= self.model.degree_weight(self.tonic(), p.0);
        let strength = meter.strength(slot.start % meter.bar_ticks());
        if strength == 3 {
            w *= self.model.downbeat_weight(self.tonic(), p.0);
        }
        if let Some(chord) = self.chord_at(slot.start) {
            // Where real melodies sit on their chords, beat by beat (learned).
            w *= self
                .model
                .tone_weight(self.tonic(), root_and_third(chord), strength, p.0);
        }
        if self.plan.harmony_habit == Harmony::Blues {
            w *= blue_note_weight(self.tonic(), strength, p);
        }
        if ending != Ending::No {
            // A strain ends on a tone of its chord, the tonic likeliest, as real strains do.
            let chord_tone = self
                .chord_at(slot.start)
                .is_none_or(|c| c.tone_set().contains(p.class()));
            if chord_tone {
                w *= CADENCE_CHORD_TONE
                    * match ending {
                        Ending::Piece => {
                            self.model.final_weight(self.tonic(), p.0)
                                * self.model.ending_weight(self.compass_at(slot.start), p.0)
                        }
                        _ => self.model.close_weight(self.tonic(), p.0),
                    };
            }
        } else if slot.start == 0 {
            // A tune begins on its chord, on the degrees real tunes begin on; where a pickup
            // leads in, that is the pickup's first note (`pickup::pitches`), not this one.
            let chord_tone = self
                .chord_at(0)
                .is_none_or(|c| c.tone_set().contains(p.class()));
            if self.pickup.is_empty() {
                w *= self.model.first_weight(self.tonic(), p.0);
            }
            w *= if chord_tone { 1.0 } else { 0.1 };
        }
        if ending == Ending::No && self.ends_inner_phrase(slot) {
            // Where real tunes of the kind end their inner phrases: a jig's on the second, a
            // hornpipe's on the fifth, over the half cadence.
            let family = self.plan.style.value.rhythm_family;
            w *= self.model.phrase_end_weight(family, self.tonic(), p.0);
        }
        if self
            .compass
            .is_some_and(|(low, high)| !(low..=high).contains(&p.0))
        {
            w *= OUTSIDE_COMPASS;
        }
        let compass = self.compass_at(slot.start);
        let first_strain = self.plan.sections.first().map(|s| s.name.letter);
        if Some(self.plan.section_at_tick(slot.start).name.letter) != first_strain {
            // A later strain climbs above the first, as in real tunes.
            w *= self.model.later_strain_weight(compass.0, p.0);
        }
        if slot.start == 0 {
            // Low in the compass, as real tunes start; a pickup (drawn back from this note,
            // `pickup`) starts low and rises to a first downbeat higher up, as in real tunes.
            w *= match self.pickup.is_empty() {
                true => self.model.start_weight(compass, p.0),
                false => self.model.led_start_weight(compass, p.0),
            };
        }
        w
    }

    fn move_weight(&self, x: u8, y: u8) -> f64 {
        self.model.move_weight(self.tonic(), x, y)
    }

    fn turns(&self) -> Option<&'static Turns> {
        Some(self.turns)
    }

    fn lead_in(&self) -> u32 {
        self.pickup.iter().map(|n| n.ticks).sum()
    }

    /// Where in the bar real tunes of the kind strike a note again, and which way they move
    /// at that place in the phrase (learned).
    fn move_into_weights(&self, slot: &Slot) -> [f64; 3] {
        let bar = self.plan.bar_ticks();
        let same = (self.rhythms).map_or(1.0, |model| model.same_note_weight(slot.start % bar));
        let half_bar = (slot.start % self.plan.phrase_ticks()) * 2 / bar;
        let way = |rising| self.model.contour_weight(half_bar as usize, rising);
        [way(false), same, way(true)]
    }

    /// A note outside the chord is a passing or neighbour tone: reached and left by step.
    fn off_chord(&self) -> OffChord {
        self.model.off_chord()
    }
}

/// A chord's root (0 = C) and whether its third is minor, as the melody model counts chords.
fn root_and_third(chord: Chord) -> (u8, bool) {
    let (root, tones) = (chord.root_class(), chord.tone_set());
    let minor = tones.contains(root.transpose(3)) && !tones.contains(root.transpose(4));
    (root.index(), minor)
}

/// How the blues weighs its blue notes, which the learned moves (from songs in major keys)
/// almost never reach: the minor third, sung against the chord's major third, most of all
/// off the beat; the flat fifth, a passing note between the fourth and the fifth. Hand-set:
/// no blues corpus is bundled (DESIGN §6).
fn blue_note_weight(tonic: u8, strength: u8, p: Pitch) -> f64 {
    match ((p.0 + 12 - tonic % 12) % 12, strength) {
        (3, 0) => 4.0,
        (3, _) => 2.0,
        (6, 0) => 1.5,
        (6, _) => 0.3,
        _ => 1.0,
    }
}

/// How a note outside the tune's drawn compass weighs: real tunes keep to theirs.
const OUTSIDE_COMPASS: f64 = 0.02;

/// How much a chord tone outweighs other notes at the end of a section.
const CADENCE_CHORD_TONE: f64 = 100.0;

/// A second line under the melody: consonant with it on strong beats, moving against it.
pub struct CounterWriter<'a> {
    pub melody: MelodyWriter<'a>,
    pub against: &'a [Note],
}

impl CounterWriter<'_> {
    fn melody_at(&self, tick: u32) -> Option<&Note> {
        let i = self.against.partition_point(|n| n.end() <= tick);
        self.against.get(i).filter(|n| n.start <= tick)
    }
}

impl LineWriter for CounterWriter<'_> {
    fn rhythm(
        &self,
        placement: Placement,
        played: &mut BarsPlayed,
        rng: &mut dyn RngCore,
    ) -> Result<Vec<Slot>, Conflict> {
        let (plan, part) = (self.melody.plan, self.melody.part);
        rhythm::line_rhythm(
            plan,
            part,
            (Feel::Lyrical, self.melody.rhythms),
            placement,
            &[],
            played,
            &mut &mut *rng,
        )
    }

    fn classes(&self, _: &Slot) -> PitchSet {
        PitchSet::CHROMATIC
    }

    fn classes_origin(&self) -> Option<Origin> {
        None
    }

    fn chord_at(&self, tick: u32) -> Option<Chord> {
        self.melody.chord_at(tick)
    }

    fn preference(&self, slot: &Slot, ending: Ending, p: Pitch) -> f64 {
        let meter = self.melody.plan.meter.value;
        let strong = meter.strength(slot.start % meter.bar_ticks()) >= 1;
        let mut w = self.melody.preference(slot, ending, p);
        if let Some(m) = self.melody_at(slot.start) {
            let consonance = match m.pitch.0.abs_diff(p.0) % 12 {
                3 | 4 | 8 | 9 => 3.0,
                0 | 7 => 1.2,
                5 => 0.5,
                _ if strong => 0.05,
                _ => 0.5,
            };
            // Below the melody, not on top of it.
            let under = if p.0 < m.pitch.0 { 1.0 } else { 0.1 };
            w *= consonance * under;
        }
        w
    }

    fn move_weight(&self, x: u8, y: u8) -> f64 {
        let minor = self.melody.plan.key.value.mode.is_minor();
        melody_model("song", minor).move_weight(self.melody.tonic(), x, y)
    }

    fn off_chord(&self) -> OffChord {
        self.melody.off_chord()
    }

    fn moves_against_another(&self) -> bool {
        true
    }

    fn motion(&self, a: &Slot, b: &Slot, x: u8, y: u8) -> f64 {
        let (Some(m1), Some(m2)) = (self.melody_at(a.start), self.melody_at(b.start)) else {
            return 1.0;
        };
        let melody = (m2.pitch.0 as i16 - m1.pitch.0 as i16).signum();
        let counter = (y as i16 - x as i16).signum();
        // Contrary motion, most of all.
        match melody * counter {
            -1 => 2.0,
            1 => 0.6,
            _ => 1.0,
        }
    }
}
