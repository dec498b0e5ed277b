//! The form: each distinct section of a line is composed once, its repeats copied note for note,
//! a varied repeat (`A'`) re-composing only its last phrase; neighbouring sections respect the
//! part's leap limits across their boundaries.

use rand::RngCore;

use super::Conflict;
use super::line::LineModel;
use super::rhythm::{PHRASE_BARS, Placement, Slot};
use crate::resolve::{Origin, PartPlan, Plan, SectionName};
use crate::theory::{Chord, Pitch, PitchSet};

/// Whether the piece ends with a section of this letter.
pub fn ends_piece(plan: &Plan, letter: char) -> bool {
    plan.sections
        .last()
        .is_some_and(|s| s.name.letter == letter)
}

/// How one kind of line (melody, counter-melody, bass) is written, beyond its part's rules.
pub trait LineWriter {
    fn rhythm(&self, placement: Placement, rng: &mut dyn RngCore) -> Result<Vec<Slot>, Conflict>;
    /// Classes a slot may take before the part's own rules (a bass: the chord's tones).
    fn classes(&self, slot: &Slot) -> PitchSet;
    /// The clause those classes come from, if a user's.
    fn classes_origin(&self) -> Option<Origin>;
    fn chord_at(&self, tick: u32) -> Option<Chord>;
    /// Soft preference for `pitch` at `slot`; `last` is the piece's last note.
    fn preference(&self, slot: &Slot, last: bool, pitch: Pitch) -> f64;
    fn interval_weight(&self) -> fn(u8) -> f64;
    /// Extra weight of moving from `x` at `a` to `y` at `b`.
    fn motion(&self, _a: &Slot, _b: &Slot, _x: u8, _y: u8) -> f64 {
        1.0
    }
}

/// A section's line once composed: slots relative to the section's start, and pitches.
struct Written {
    name: SectionName,
    slots: Vec<Slot>,
    pitches: Vec<Pitch>,
}

/// The whole part's line over the form, and whether a default key had to give way.
pub fn line(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    rhythm_rng: &mut dyn RngCore,
    pitch_rng: &mut dyn RngCore,
) -> Result<(Vec<(Slot, Pitch)>, bool), Conflict> {
    let bar_ticks = plan.meter.value.bar_ticks();
    let mut written: Vec<Written> = Vec::new();
    let mut relaxed = false;
    for section in &plan.sections {
        let name = section.name;
        if written.iter().any(|w| w.name == name) {
            continue;
        }
        let base = SectionName {
            varied: false,
            ..name
        };
        let base_written = name.varied && written.iter().any(|w| w.name == base);
        let (slots, keep, before) = if base_written {
            // A varied repeat keeps all but its last phrase.
            let base = written.iter().find(|w| w.name == base).expect("checked");
            let phrase = if section.bars > PHRASE_BARS {
                PHRASE_BARS
            } else {
                section.bars.div_ceil(2)
            };
            let keep_ticks = (section.bars - phrase) * bar_ticks;
            let kept = base
                .slots
                .iter()
                .take_while(|s| s.start < keep_ticks)
                .count();
            let placement = Placement {
                start_bar: section.start_bar + section.bars - phrase,
                bars: phrase,
                ends_piece: is_last(plan, name),
            };
            let fresh = writer.rhythm(placement, rhythm_rng)?;
            let before = (kept > 0).then(|| base.pitches[kept - 1]);
            let kept_slots: Vec<Slot> = base.slots[..kept].to_vec();
            (fresh, (kept_slots, base.pitches[..kept].to_vec()), before)
        } else {
            let placement = Placement {
                start_bar: section.start_bar,
                bars: section.bars,
                ends_piece: ends_piece(plan, name.letter),
            };
            (
                writer.rhythm(placement, rhythm_rng)?,
                (Vec::new(), Vec::new()),
                None,
            )
        };
        let (pitches, gave_way) = compose_stretch(
            plan,
            part,
            writer,
            &written,
            section,
            &slots,
            before,
            keep.0.is_empty(),
            pitch_rng,
        )?;
        relaxed |= gave_way;
        let origin = section.start_bar * bar_ticks;
        let mut all_slots = keep.0;
        all_slots.extend(slots.iter().map(|s| Slot {
            start: s.start - origin,
            duration: s.duration,
        }));
        let mut all_pitches = keep.1;
        all_pitches.extend(pitches);
        written.push(Written {
            name,
            slots: all_slots,
            pitches: all_pitches,
        });
    }
    let mut notes = Vec::new();
    for section in &plan.sections {
        let w = written
            .iter()
            .find(|w| w.name == section.name)
            .expect("every section was written");
        let origin = section.start_bar * bar_ticks;
        notes.extend(w.slots.iter().zip(&w.pitches).map(|(s, p)| {
            (
                Slot {
                    start: s.start + origin,
                    duration: s.duration,
                },
                *p,
            )
        }));
    }
    Ok((notes, relaxed))
}

fn is_last(plan: &Plan, name: SectionName) -> bool {
    plan.sections.last().is_some_and(|s| s.name == name)
}

/// Samples the notes of `slots` (one section, or a varied repeat's last phrase), tied to the
/// sections already written next to it.
#[allow(clippy::too_many_arguments)]
fn compose_stretch(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    written: &[Written],
    section: &crate::resolve::Section,
    slots: &[Slot],
    lead_in: Option<Pitch>,
    whole_section: bool,
    rng: &mut dyn RngCore,
) -> Result<(Vec<Pitch>, bool), Conflict> {
    let name = section.name;
    // Between sections a leap stays within the part's limit, and a step under `mostly stepwise`.
    let limit = part.max_leap.as_ref().map_or(u8::MAX, |m| m.value).min(
        if part.mostly_stepwise.is_some() {
            2
        } else {
            u8::MAX
        },
    );
    let find = |n: SectionName| written.iter().find(|w| w.name == n);
    let mut before: Vec<(Pitch, u8)> = lead_in.map(|p| (p, limit)).into_iter().collect();
    let mut after = Vec::new();
    let mut wrap = None;
    for (k, s) in plan.sections.iter().enumerate() {
        if s.name != name {
            continue;
        }
        if whole_section && k > 0 {
            let pred = plan.sections[k - 1].name;
            match find(pred) {
                _ if pred == name => wrap = Some(limit),
                Some(w) => before.extend(w.pitches.last().map(|p| (*p, limit))),
                None => {}
            }
        }
        if let Some(succ) = plan.sections.get(k + 1).map(|s| s.name) {
            // A varied repeat of this section starts like it.
            let same_start =
                succ == name || (succ.letter == name.letter && succ.varied && !name.varied);
            match find(succ) {
                _ if same_start && whole_section => wrap = Some(limit),
                Some(w) => after.extend(w.pitches.first().map(|p| (*p, limit))),
                None => {}
            }
        }
    }
    let preference = |i: usize, p: Pitch| {
        writer.preference(&slots[i], i + 1 == slots.len() && is_last(plan, name), p)
    };
    let motion = |i: usize, x: u8, y: u8| {
        writer.motion(&slots[i], &slots[(i + 1).min(slots.len() - 1)], x, y)
    };
    let model = LineModel {
        plan,
        slots,
        section: name.letter,
        binds_start: whole_section && plan.sections.first().is_some_and(|s| s.name == name),
        binds_end: is_last(plan, name),
        before,
        after,
        wrap,
        motion: Some(&motion),
        classes: slots.iter().map(|s| writer.classes(s)).collect(),
        chords: slots.iter().map(|s| writer.chord_at(s.start)).collect(),
        classes_origin: writer.classes_origin(),
        preference: &preference,
        interval_weight: writer.interval_weight(),
    };
    model.sample(part, &mut &mut *rng)
}
