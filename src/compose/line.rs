//! One melodic line (melody, counter-melody or bass) over one section, sampled exactly under
//! its part's hard constraints and its neighbours in the form (`explain` says why none fits).

use rand::RngCore;

use super::Conflict;
use super::chain::{Chain, Count, Memory};
use super::rhythm::Slot;
use crate::models::{OffChord, Turns, move_class, move_state};
use crate::resolve::{MostlyStepwise, Origin, PartPlan, Plan};
use crate::theory::{Chord, Pitch, PitchSet};

/// What a line may and likes to do, beyond its part's own rules.
pub struct LineModel<'a> {
    pub plan: &'a Plan,
    /// The section's notes, at the ticks of its first appearance.
    pub slots: &'a [Slot],
    /// The section's letter (for section ranges).
    pub section: char,
    /// Whether the part's `starts on` / `ends on` bind this section's first / last note.
    pub binds_start: bool,
    pub binds_end: bool,
    /// Notes already written next to this section: its first note must be within the distance
    /// of each `before`, its last note within the distance of each `after`.
    pub before: Vec<(Pitch, u8)>,
    pub after: Vec<(Pitch, u8)>,
    /// Pitches some slots are kept to, so that sections not written yet will have a way on.
    pub allowed_at: Vec<(usize, Vec<u8>)>,
    /// Notes kept as they are (a varied repeat keeps all but its last phrase).
    pub fixed: Vec<Option<Pitch>>,
    /// Intervals into this section from the one before, counted as if they were leaps, so
    /// `mostly stepwise` holds across section boundaries too.
    pub lead_intervals: usize,
    /// The first slot of a varied repeat's new phrase (in the repeat and in its base).
    pub new_phrase_at: Option<usize>,
    /// This is a varied repeat: the notes before `new_phrase_at` are its base's, already
    /// answered for.
    pub opening_from_base: bool,
    /// The section follows itself: its last note must be within this distance of its first.
    pub last_to_first: Option<u8>,
    /// An episode (a section still to come) sits between this one's end and its return: for
    /// each first note, the last notes that leave it a way through (missing firsts have none).
    pub tied_edges: Option<Vec<(u8, Vec<u8>)>>,
    /// Extra soft weight of moving from `x` at slot `i` to `y` (a counter-melody's contrary motion).
    pub motion: Option<&'a dyn Fn(usize, u8, u8) -> f64>,
    /// How a move to or from a note outside the chord weighs.
    pub off_chord: OffChord,
    /// Classes each slot may take before the part's rules (a bass: the chord's tones).
    pub classes: Vec<PitchSet>,
    /// The chord sounding at each slot, to explain a conflict.
    pub chords: Vec<Option<Chord>>,
    /// The clause the `classes` come from (the user's chords), if any.
    pub classes_origin: Option<Origin>,
    /// Soft preference for a pitch at a slot.
    pub preference: &'a dyn Fn(usize, Pitch) -> f64,
    /// Soft weight of moving from one MIDI pitch to the next.
    pub move_weight: &'a dyn Fn(u8, u8) -> f64,
    /// How a move weighs after the move before it, if the line remembers its last move.
    pub turns: Option<&'static Turns>,
    /// The weight of the move into each slot from the note before it in the section, by its
    /// way: down, the same note struck again, up (the first slot's is not read: a section's
    /// first note is weighed against its neighbours by their bounds alone).
    pub moves_into: &'a [[f64; 3]],
}

/// A phrase with fewer intervals than this joins the one before it for `mostly stepwise`.
const MIN_SEGMENT_INTERVALS: usize = 8;

impl LineModel<'_> {
    /// `mostly stepwise` holds phrase by phrase (each phrase's intervals, counting the one that
    /// leads into it), so it holds overall and the sampler's count state stays small.
    fn phrase_segments(&self) -> Vec<(usize, usize)> {
        let phrase_ticks = self.plan.phrase_ticks();
        let last = self.slots.len().saturating_sub(1);
        // Where a varied repeat's new phrase begins: no segment spans it, so the kept notes
        // answer for themselves in the base and in the repeat alike.
        let new_phrase_at = self
            .new_phrase_at
            .filter(|c| *c > 0 && *c <= last)
            .map(|c| c - 1);
        let mut ends: Vec<usize> = Vec::new();
        for (i, pair) in self.slots.windows(2).enumerate() {
            if pair[0].start / phrase_ticks != pair[1].start / phrase_ticks {
                ends.push(i);
            }
        }
        ends.extend(new_phrase_at);
        ends.push(last);
        ends.sort_unstable();
        ends.dedup();
        // Short phrases join the next one; a short final segment joins the one before.
        let mut kept: Vec<usize> = Vec::new();
        let mut start = 0;
        for end in ends {
            if end - start >= MIN_SEGMENT_INTERVALS || end == last || Some(end) == new_phrase_at {
                kept.push(end);
                start = end;
            }
        }
        if kept.len() > 1 {
            let before = kept[kept.len() - 2];
            if last - before < MIN_SEGMENT_INTERVALS && Some(before) != new_phrase_at {
                kept.remove(kept.len() - 2);
            }
        }
        // The interval leading into the section is answered for by its first segment the
        // sampler can still shape: in a varied repeat, its new phrase.
        let varied = self.opening_from_base;
        let mut lead = self.lead_intervals;
        let mut first = 0;
        let mut segments = Vec::with_capacity(kept.len());
        for end in kept {
            let len = end - first;
            let threshold = if varied && new_phrase_at.is_some_and(|c| end <= c) {
                0
            } else {
                let t = MostlyStepwise::required_steps(len + lead).min(len);
                lead = 0;
                t
            };
            segments.push((end, threshold));
            first = end;
        }
        segments
    }

    pub(super) fn classes(&self, i: usize, keep_classes: bool) -> PitchSet {
        if keep_classes {
            self.classes[i]
        } else {
            PitchSet::CHROMATIC
        }
    }

    /// Candidate pitches of each slot under `part`'s rules.
    pub(super) fn domains(&self, part: &PartPlan, keep_classes: bool) -> Vec<Vec<u8>> {
        let (low, high) = part.range_in(self.section);
        let n = self.slots.len();
        let starts_on = part.starts_on.as_ref().filter(|_| self.binds_start);
        let ends_on = part.ends_on.as_ref().filter(|_| self.binds_end);
        let near = |p: u8, notes: &[(Pitch, u8)]| notes.iter().all(|(q, d)| p.abs_diff(q.0) <= *d);
        // The lists each slot is kept to, found by slot (there may be one for every slot).
        let mut lists: Vec<Vec<&[u8]>> = vec![Vec::new(); n];
        for (at, ps) in &self.allowed_at {
            if let Some(l) = lists.get_mut(*at) {
                l.push(ps);
            }
        }
        let kept_to = |i: usize, p: u8| lists[i].iter().all(|ps| ps.contains(&p));
        self.slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let allowed = self
                    .classes(i, keep_classes)
                    .intersect(self.plan.allowed_at(part, slot.start));
                (low.0..=high.0)
                    .filter(|&p| allowed.contains(Pitch(p).class()))
                    .filter(|&p| {
                        self.fixed
                            .get(i)
                            .copied()
                            .flatten()
                            .is_none_or(|f| f.0 == p)
                            && kept_to(i, p)
                    })
                    .filter(|&p| {
                        i != 0
                            || (starts_on.is_none_or(|e| e.value.admits(Pitch(p)))
                                && near(p, &self.before))
                    })
                    .filter(|&p| {
                        i + 1 != n
                            || (ends_on.is_none_or(|e| e.value.admits(Pitch(p)))
                                && near(p, &self.after))
                    })
                    .collect()
            })
            .collect()
    }

    pub(super) fn with_chain<T>(
        &self,
        part: &PartPlan,
        keep_classes: bool,
        f: impl FnOnce(&Chain) -> T,
    ) -> T {
        let domains = self.domains(part, keep_classes);
        let weights = domains
            .iter()
            .enumerate()
            .map(|(i, d)| d.iter().map(|&p| (self.preference)(i, Pitch(p))).collect())
            .collect();
        let max_leap = part.max_leap.as_ref().map_or(u8::MAX, |m| m.value);
        // Every pair's move weight once, not once per slot.
        let low = domains.iter().flatten().min().copied().unwrap_or(0);
        let high = domains.iter().flatten().max().copied().unwrap_or(0);
        let width = (high - low) as usize + 1;
        let moves: Vec<f64> = (low..=high)
            .flat_map(|x| (low..=high).map(move |y| (x, y)))
            .map(|(x, y)| (self.move_weight)(x, y))
            .collect();
        let motion = self.motion;
        let moves_into = self.moves_into;
        // Each slot's chord tones, for the off-chord rule (a slot without a chord has none
        // foreign).
        let tones: Vec<PitchSet> = (self.chords.iter())
            .map(|c| c.map_or(PitchSet::CHROMATIC, Chord::tone_set))
            .collect();
        let foreign = |i: usize, p: u8| !tones[i].contains(Pitch(p).class());
        let last = self.slots.len().saturating_sub(1);
        let transition = move |i: usize, x: u8, y: u8| {
            if x.abs_diff(y) > max_leap {
                return 0.0;
            }
            let known = (low..=high).contains(&x) && (low..=high).contains(&y);
            let weight = match known {
                true => moves[(x - low) as usize * width + (y - low) as usize],
                false => (self.move_weight)(x, y),
            };
            let off_chord = match foreign(i, x) || foreign((i + 1).min(last), y) {
                true => self.off_chord.weight(x, y),
                false => 1.0,
            };
            let weight = match moves_into.get(i + 1) {
                Some(into) => weight * into[(y.cmp(&x) as i8 + 1) as usize],
                None => weight,
            };
            match motion {
                None => weight * off_chord,
                Some(m) => weight * (m(i, x, y) * off_chord),
            }
        };
        let steps = |x: u8, y: u8| MostlyStepwise::is_step(x.abs_diff(y));
        let count = part.mostly_stepwise.as_ref().map(|_| Count {
            counts: &steps,
            segments: self.phrase_segments(),
        });
        f(&Chain {
            domains,
            weights,
            transition: &transition,
            count,
            memory: self.turns.map(|after| Memory {
                class_of: &move_class,
                then: move_state,
                after,
            }),
        })
    }

    /// The line's pitches, and whether the default key had to go; or the conflict that makes
    /// every line impossible.
    ///
    /// A key the user did not write is a default: if it alone stands in the way of the user's
    /// clauses, the line is sampled without it, since an explicit clause always wins.
    pub fn sample(
        &self,
        part: &PartPlan,
        rng: &mut impl RngCore,
    ) -> Result<(Vec<Pitch>, bool), Conflict> {
        self.try_sample(part, rng, true)
            .ok_or_else(|| self.explain(&part.without_default_key()))
    }

    /// `sample` without the explanation: `None` when no line fits. With `give_way` false, a
    /// default key is never dropped.
    pub fn try_sample(
        &self,
        part: &PartPlan,
        rng: &mut impl RngCore,
        give_way: bool,
    ) -> Option<(Vec<Pitch>, bool)> {
        // A failed draw stops before it takes any randomness, so trying again without the
        // default key leaves the stream exactly where a first success would have.
        let mut draw = |p: &PartPlan| match (self.last_to_first, &self.tied_edges) {
            (None, None) => self.with_chain(p, true, |chain| chain.sample(&mut *rng)),
            _ => self.sample_tied(p, &mut *rng),
        };
        if let Some(values) = draw(part) {
            return Some((values.into_iter().map(Pitch).collect(), false));
        }
        let free = part.without_default_key();
        if !give_way || free.pitch_rules.len() == part.pitch_rules.len() {
            return None;
        }
        draw(&free).map(|values| (values.into_iter().map(Pitch).collect(), true))
    }

    /// The pitches slot `at` takes in at least one line that satisfies the part (giving way to
    /// a default key as `sample` does; a tie between its edges counted).
    pub fn feasible_at(&self, part: &PartPlan, at: usize) -> Vec<u8> {
        let found = self.feasible_with(part, at);
        if !found.is_empty() {
            return found;
        }
        self.feasible_with(&part.without_default_key(), at)
    }

    /// `feasible_at` under `part` as it is, a tie between the edges counted: the union over
    /// each first note of what the line given that first note can play at `at`.
    fn feasible_with(&self, part: &PartPlan, at: usize) -> Vec<u8> {
        if self.last_to_first.is_none() && self.tied_edges.is_none() {
            return self.with_chain(part, true, |c| c.feasible_at(at));
        }
        let last = self.slots.len().saturating_sub(1);
        if at == 0 || at == last {
            // Both edges of every line at once: one pass, not one per first note.
            let pairs = self.edge_pairs(part);
            let mut found: Vec<u8> = match at {
                0 => pairs.into_iter().map(|(first, _)| first).collect(),
                _ => pairs.into_iter().flat_map(|(_, lasts)| lasts).collect(),
            };
            found.sort_unstable();
            found.dedup();
            return found;
        }
        let firsts = self
            .domains(part, true)
            .first()
            .cloned()
            .unwrap_or_default();
        let mut found: Vec<u8> = (firsts.into_iter())
            .filter_map(|f| self.given_first(f))
            .flat_map(|m| m.with_chain(part, true, |c| c.feasible_at(at)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Each first note some line under `part` takes, with the last notes such lines end on
    /// (a tie between the edges kept): the first-to-last pairs of `Chain::edge_pairs`.
    pub fn edge_pairs(&self, part: &PartPlan) -> Vec<(u8, Vec<u8>)> {
        let (firsts, pairs) = self.with_chain(part, true, |c| {
            (
                c.domains.first().cloned().unwrap_or_default(),
                c.edge_pairs(),
            )
        });
        let near =
            |first: u8, last: u8| self.last_to_first.is_none_or(|d| first.abs_diff(last) <= d);
        (firsts.into_iter().zip(pairs))
            .filter_map(|(first, lasts)| {
                let ends = match &self.tied_edges {
                    Some(tie) => Some(&tie.iter().find(|(f, _)| *f == first)?.1),
                    None => None,
                };
                let kept: Vec<u8> = (lasts.into_iter())
                    .filter(|&l| near(first, l) && ends.is_none_or(|e| e.contains(&l)))
                    .collect();
                (!kept.is_empty()).then_some((first, kept))
            })
            .collect()
    }

    /// A section that follows itself, or returns around an episode still to come, ties its last note to its
    /// first, which a chain cannot say. Exactly: weigh each first note by the mass of the lines
    /// that start on it and end where the tie allows, draw the first note from those weights,
    /// then the rest of the line given it.
    fn sample_tied(&self, part: &PartPlan, rng: &mut impl RngCore) -> Option<Vec<u8>> {
        let firsts = self.domains(part, true).first()?.clone();
        let masses: Vec<Option<super::chain::Mass>> = firsts
            .iter()
            .map(|&f| {
                self.given_first(f)
                    .and_then(|m| m.with_chain(part, true, |c| c.mass()))
            })
            .collect();
        let first = firsts[super::chain::pick(rng, &super::chain::Mass::relative(&masses))?];
        self.given_first(first)?
            .with_chain(part, true, |chain| chain.sample(rng))
    }

    /// This tied model with its first note fixed to `first`: the tie becomes plain bounds on
    /// the last note (none when the tie leaves that first note no way through).
    pub(super) fn given_first(&self, first: u8) -> Option<LineModel<'_>> {
        let last = self.slots.len().saturating_sub(1);
        let mut allowed_at = self.allowed_at.clone();
        if let Some(tied_edges) = &self.tied_edges {
            let ends = tied_edges.iter().find(|(f, _)| *f == first)?;
            allowed_at.push((last, ends.1.clone()));
        }
        Some(LineModel {
            before: [self.before.clone(), vec![(Pitch(first), 0)]].concat(),
            after: [
                self.after.clone(),
                self.last_to_first
                    .map(|d| (Pitch(first), d))
                    .into_iter()
                    .collect(),
            ]
            .concat(),
            allowed_at,
            last_to_first: None,
            tied_edges: None,
            ..self.same()
        })
    }

    /// A copy of this model's borrowed parts, to vary a few fields.
    pub(super) fn same(&self) -> LineModel<'_> {
        LineModel {
            plan: self.plan,
            slots: self.slots,
            section: self.section,
            binds_start: self.binds_start,
            binds_end: self.binds_end,
            before: self.before.clone(),
            after: self.after.clone(),
            allowed_at: self.allowed_at.clone(),
            fixed: self.fixed.clone(),
            lead_intervals: self.lead_intervals,
            new_phrase_at: self.new_phrase_at,
            opening_from_base: self.opening_from_base,
            last_to_first: self.last_to_first,
            tied_edges: self.tied_edges.clone(),
            motion: self.motion,
            off_chord: self.off_chord,
            classes: self.classes.clone(),
            chords: self.chords.clone(),
            classes_origin: self.classes_origin.clone(),
            preference: self.preference,
            move_weight: self.move_weight,
            turns: self.turns,
            moves_into: self.moves_into,
        }
    }
}
