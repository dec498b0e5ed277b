//! The form: each distinct section of a line is composed once, its repeats copied note for note,
//! a varied repeat (`A'`) re-composing only its last phrase, answering phrases opening like
//! their antecedents; neighbouring sections respect the part's leap limits across boundaries.

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
    /// Whether phrases come in pairs whose second starts like the first (a melody's habit).
    fn answers_phrases(&self) -> bool {
        false
    }
}

/// A section's line once composed: slots relative to the section's start, and pitches.
struct Written {
    name: SectionName,
    slots: Vec<Slot>,
    pitches: Vec<Pitch>,
}

/// The whole part's line over the form, and whether a default key had to give way.
///
/// First every distinct section gets its rhythm (a varied repeat: its base's, with a new last
/// phrase), then the pitches, section by section in the order of the form. A section's first
/// and last notes keep the part's leap limit with the sections already written next to it,
/// and stay within reach of what the sections still to come could play there.
pub fn line(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    rhythm_rng: &mut dyn RngCore,
    pitch_rng: &mut dyn RngCore,
) -> Result<(Vec<(Slot, Pitch)>, bool), Conflict> {
    let bar_ticks = plan.meter.value.bar_ticks();
    // Rhythms, relative to each section's start; a varied repeat also records how many slots it
    // keeps from its base.
    let mut rhythms: Vec<(SectionName, Vec<Slot>, usize)> = Vec::new();
    for section in &plan.sections {
        let name = section.name;
        if rhythms.iter().any(|r| r.0 == name) {
            continue;
        }
        let origin = section.start_bar * bar_ticks;
        let base = SectionName {
            varied: false,
            ..name
        };
        let base_rhythm = rhythms
            .iter()
            .find(|r| r.0 == base && name.varied)
            .map(|r| r.1.clone());
        let entry = match base_rhythm {
            Some(base_slots) => {
                let phrase = if section.bars > PHRASE_BARS {
                    PHRASE_BARS
                } else {
                    section.bars.div_ceil(2)
                };
                let keep_ticks = (section.bars - phrase) * bar_ticks;
                let mut slots: Vec<Slot> = base_slots
                    .into_iter()
                    .take_while(|s| s.start < keep_ticks)
                    .collect();
                let kept = slots.len();
                let placement = Placement {
                    start_bar: section.start_bar + section.bars - phrase,
                    bars: phrase,
                    ends_piece: is_last(plan, name),
                };
                slots.extend(
                    writer
                        .rhythm(placement, rhythm_rng)?
                        .into_iter()
                        .map(|s| Slot {
                            start: s.start - origin,
                            ..s
                        }),
                );
                (name, slots, kept)
            }
            None => {
                let placement = Placement {
                    start_bar: section.start_bar,
                    bars: section.bars,
                    ends_piece: is_last(plan, name),
                };
                let mut slots: Vec<Slot> = writer
                    .rhythm(placement, rhythm_rng)?
                    .into_iter()
                    .map(|s| Slot {
                        start: s.start - origin,
                        ..s
                    })
                    .collect();
                if writer.answers_phrases() {
                    answer_rhythm(&mut slots, section.bars, bar_ticks);
                }
                (name, slots, 0)
            }
        };
        rhythms.push(entry);
    }
    let mut written: Vec<Written> = Vec::new();
    let mut relaxed = false;
    for section in &plan.sections {
        let name = section.name;
        if written.iter().any(|w| w.name == name) {
            continue;
        }
        let stretch = Stretch {
            plan,
            part,
            writer,
            written: &written,
            rhythms: &rhythms,
        };
        let (mut pitches, gave_way) = stretch.with_model(name, true, None, &mut |m| {
            m.sample(part, &mut &mut *pitch_rng)
        })?;
        relaxed |= gave_way;
        // The answering phrases: each consequent starts with its antecedent's opening notes
        // and ends anew, drawn given everything else; where that cannot be, the first draw stands.
        let relative = &rhythms.iter().find(|r| r.0 == name).expect("a rhythm").1;
        if writer.answers_phrases()
            && !name.varied
            && let Some(fixed) = answers(relative, &pitches, section.bars, bar_ticks)
            && let Some((answered, _)) = stretch.with_model(name, true, Some(fixed), &mut |m| {
                m.try_sample(part, &mut &mut *pitch_rng, gave_way)
            })
        {
            pitches = answered;
        }
        let relative = rhythms
            .iter()
            .find(|r| r.0 == name)
            .map(|r| r.1.clone())
            .unwrap_or_default();
        written.push(Written {
            name,
            slots: relative,
            pitches,
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

/// Everything needed to build the note model of any section of one part.
struct Stretch<'a> {
    plan: &'a Plan,
    part: &'a PartPlan,
    writer: &'a dyn LineWriter,
    written: &'a [Written],
    rhythms: &'a [(SectionName, Vec<Slot>, usize)],
}

impl Stretch<'_> {
    fn find(&self, n: SectionName) -> Option<&Written> {
        self.written.iter().find(|w| w.name == n)
    }

    /// Under `mostly stepwise` a section too short to make up for a leap into it must step in.
    fn tiny(&self, n: SectionName) -> bool {
        self.part.mostly_stepwise.is_some()
            && self.rhythms.iter().any(|r| r.0 == n && r.1.len() < 4)
    }

    /// The largest interval allowed between the edges of two neighbouring sections.
    fn limit(&self, a: SectionName, b: SectionName) -> u8 {
        let leap = self.part.max_leap.as_ref().map_or(u8::MAX, |m| m.value);
        if self.tiny(a) || self.tiny(b) {
            leap.min(2)
        } else {
            leap
        }
    }

    /// Builds section `name`'s model and hands it to `f`. Written neighbours bind its edges;
    /// with `lookahead`, a neighbour still to come (or the section's own varied repeat) keeps
    /// only the edge notes it could follow or lead to, checked exactly on that neighbour's own
    /// model.
    fn with_model<T>(
        &self,
        name: SectionName,
        lookahead: bool,
        fixed_override: Option<Vec<Option<Pitch>>>,
        f: &mut dyn FnMut(&LineModel) -> T,
    ) -> T {
        let (plan, part, writer) = (self.plan, self.part, self.writer);
        let bar_ticks = plan.meter.value.bar_ticks();
        let section = plan
            .sections
            .iter()
            .find(|s| s.name == name)
            .expect("a section of the form");
        let (_, relative, kept) = self
            .rhythms
            .iter()
            .find(|r| r.0 == name)
            .expect("every section has a rhythm");
        let origin = section.start_bar * bar_ticks;
        let slots: Vec<Slot> = relative
            .iter()
            .map(|s| Slot {
                start: s.start + origin,
                ..*s
            })
            .collect();
        let kept_prefix = name.varied && *kept > 0;
        let fixed: Vec<Option<Pitch>> = match self
            .find(SectionName {
                varied: false,
                ..name
            })
            .filter(|_| name.varied)
        {
            Some(w) => (0..slots.len())
                .map(|i| (i < *kept).then(|| w.pitches[i]))
                .collect(),
            None if kept_prefix => vec![None; slots.len()],
            None => Vec::new(),
        };
        let fixed = fixed_override.unwrap_or(fixed);
        let tiny = self.tiny(name);
        let (mut before, mut after) = (Vec::new(), Vec::new());
        let mut allowed_at = Vec::new();
        let mut wrap = None;
        let mut lead_intervals = 0;
        let own_start = fixed.first().copied().flatten().is_none();
        let (low, high) = part.range_in(name.letter);
        let last = slots.len().saturating_sub(1);
        // The pitches this section's edge could take that leave `neighbour` a way on: near one
        // of the notes the neighbour can play at the edge it shares with this section.
        let reachable = |neighbour: SectionName, ours_first: bool| -> Vec<u8> {
            let limit = self.limit(name, neighbour);
            let edge = self.with_model(neighbour, false, None, &mut |m| {
                m.feasible_at(
                    part,
                    if ours_first {
                        m.slots.len().saturating_sub(1)
                    } else {
                        0
                    },
                )
            });
            (low.0..=high.0)
                .filter(|&v| edge.iter().any(|&y| v.abs_diff(y) <= limit))
                .collect()
        };
        for (k, s) in plan.sections.iter().enumerate() {
            if s.name != name {
                continue;
            }
            if k > 0 {
                lead_intervals = usize::from(!tiny);
                let pred = plan.sections[k - 1].name;
                let limit = self.limit(name, pred);
                if limit < u8::MAX && own_start {
                    match self.find(pred) {
                        _ if pred == name => wrap = Some(limit),
                        Some(w) => before.extend(w.pitches.last().map(|p| (*p, limit))),
                        None if lookahead => allowed_at.push((0, reachable(pred, true))),
                        None => {}
                    }
                }
            }
            if let Some(succ) = plan.sections.get(k + 1).map(|s| s.name)
                && self.limit(name, succ) < u8::MAX
            {
                let limit = self.limit(name, succ);
                // A varied repeat of this section starts like it; one whose base is written
                // starts on its base's first note.
                let kept_start = self.rhythms.iter().any(|r| r.0 == succ && r.2 > 0);
                let same_start = succ == name
                    || (succ.letter == name.letter && succ.varied && !name.varied && kept_start);
                let base = self
                    .find(SectionName {
                        varied: false,
                        ..succ
                    })
                    .filter(|_| kept_start);
                match self.find(succ).or(base) {
                    _ if same_start && own_start => wrap = Some(limit),
                    // Following itself with its first note already fixed: a plain bound.
                    _ if same_start => {
                        after.extend(fixed.first().copied().flatten().map(|p| (p, limit)))
                    }
                    Some(w) => after.extend(w.pitches.first().map(|p| (*p, limit))),
                    None if lookahead => allowed_at.push((last, reachable(succ, false))),
                    None => {}
                }
            }
        }
        // The section's own varied repeat, still to come, must be able to go on from the last
        // note it keeps.
        let varied = SectionName {
            varied: true,
            ..name
        };
        let cut = self
            .rhythms
            .iter()
            .find(|r| r.0 == varied && r.2 > 0)
            .map(|r| r.2);
        if let (false, true, Some(cut)) = (name.varied, lookahead, cut)
            && self.find(varied).is_none()
        {
            let pins = self.with_model(varied, false, None, &mut |m| m.feasible_at(part, cut - 1));
            allowed_at.push((cut - 1, pins));
        }
        let preference = |i: usize, p: Pitch| {
            writer.preference(&slots[i], i + 1 == slots.len() && is_last(plan, name), p)
        };
        let motion = |i: usize, x: u8, y: u8| {
            writer.motion(&slots[i], &slots[(i + 1).min(slots.len() - 1)], x, y)
        };
        let model = LineModel {
            plan,
            slots: &slots,
            section: name.letter,
            binds_start: own_start && plan.sections.first().is_some_and(|s| s.name == name),
            binds_end: is_last(plan, name),
            before,
            after,
            allowed_at,
            fixed,
            lead_intervals,
            kept_prefix,
            cut: self
                .rhythms
                .iter()
                .find(|r| r.0.letter == name.letter && r.0.varied && r.2 > 0)
                .map(|r| r.2),
            wrap,
            motion: Some(&motion),
            classes: slots.iter().map(|s| writer.classes(s)).collect(),
            chords: slots.iter().map(|s| writer.chord_at(s.start)).collect(),
            classes_origin: writer.classes_origin(),
            preference: &preference,
            interval_weight: writer.interval_weight(),
        };
        f(&model)
    }
}

/// Bars of a phrase's opening that its answering phrase repeats.
pub const MOTIF_BARS: u32 = 2;

/// The antecedent–consequent pairs of a section: (antecedent, consequent) first bars, for
/// phrases 0–1, 2–3, … that fit in it.
pub fn phrase_pairs(bars: u32) -> impl Iterator<Item = (u32, u32)> {
    (0..bars / (2 * PHRASE_BARS)).map(|q| (2 * q * PHRASE_BARS, (2 * q + 1) * PHRASE_BARS))
}

/// Gives each consequent's opening bars its antecedent's rhythm.
fn answer_rhythm(slots: &mut Vec<Slot>, bars: u32, bar_ticks: u32) {
    for (a, c) in phrase_pairs(bars) {
        let (a, c, len) = (a * bar_ticks, c * bar_ticks, MOTIF_BARS * bar_ticks);
        let motif: Vec<Slot> = slots
            .iter()
            .filter(|s| s.start >= a && s.start < a + len)
            .map(|s| Slot {
                start: s.start - a + c,
                duration: s.duration,
            })
            .collect();
        slots.retain(|s| s.start < c || s.start >= c + len);
        slots.extend(motif);
        slots.sort_by_key(|s| s.start);
    }
}

/// The notes to keep for the answering draw: everything, except that each consequent opens
/// with its antecedent's notes and leaves its last bars free. `None` when there is no pair.
fn answers(
    slots: &[Slot],
    pitches: &[Pitch],
    bars: u32,
    bar_ticks: u32,
) -> Option<Vec<Option<Pitch>>> {
    let pairs: Vec<(u32, u32)> = phrase_pairs(bars).collect();
    if pairs.is_empty() {
        return None;
    }
    let mut fixed: Vec<Option<Pitch>> = pitches.iter().copied().map(Some).collect();
    for (a, c) in pairs {
        let (a, c) = (a * bar_ticks, c * bar_ticks);
        let (motif_end, phrase_end) = (MOTIF_BARS * bar_ticks, PHRASE_BARS * bar_ticks);
        let opening: Vec<Pitch> = slots
            .iter()
            .zip(pitches)
            .filter(|(s, _)| s.start >= a && s.start < a + motif_end)
            .map(|(_, p)| *p)
            .collect();
        let mut opening = opening.into_iter();
        for (i, s) in slots.iter().enumerate() {
            if s.start >= c && s.start < c + motif_end {
                fixed[i] = opening.next();
            } else if s.start >= c + motif_end && s.start < c + phrase_end {
                fixed[i] = None;
            }
        }
    }
    Some(fixed)
}
