//! A melody's phrases: antecedents answered by consequents that open alike, an opening motif
//! developed by sequence (moved one to three steps along the scale) and recalled by later
//! sections (moved or inverted).
//!
//! The section is first drawn freely; these habits then become notes to keep, and
//! the section is drawn again, exactly, given them, with its first and last notes as the free
//! draw put them (so its neighbours in the form see the edges they were checked against).
//! Where the part's rules leave no such line, the composer falls back to fewer habits.

use rand::{Rng, RngCore};

use super::chain::pick;
use super::rhythm::Slot;
use crate::resolve::PHRASE_BARS;
use crate::theory::{Chord, Pitch, PitchSet};

/// Bars of a phrase's opening that its answering phrase repeats.
pub const MOTIF_BARS: u32 = 2;

/// How often a section repeats its first bar one to three steps higher or lower in its second.
const SEQUENCE_CHANCE: f64 = 0.15;
/// How often a later section opens with the first section's first bar, transposed or inverted.
const RECALL_CHANCE: f64 = 0.5;
/// The widest move of a sequence or an answer, in steps of the scale.
const SEQUENCE_STEPS: i32 = 3;
/// How much an answer prefers its antecedent's notes as they are over moving them.
const EXACT_ANSWER: f64 = 4.0;
/// How much better a semitone's neighbour must fit a changed chord for a restated note to move.
const ADAPT: f64 = 4.0;

/// How a section develops the motif of its first bar, decided with its rhythm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Development {
    /// Bar 2 restates bar 1 transposed (a sequence).
    pub sequence: bool,
    /// Bar 1 restates the piece's first bar, transposed or inverted.
    pub recall: bool,
}

impl Development {
    /// Draws the habits a section of `bars` bars takes; only a later section can recall.
    pub fn draw(bars: u32, later: bool, rng: &mut dyn RngCore) -> Development {
        Development {
            sequence: bars >= PHRASE_BARS && rng.random_bool(SEQUENCE_CHANCE),
            recall: later && bars >= 2 && rng.random_bool(RECALL_CHANCE),
        }
    }
}

/// The antecedent–consequent pairs of a section: (antecedent, consequent) first bars, for
/// phrases 0–1, 2–3, … that fit in it.
pub fn phrase_pairs(bars: u32) -> impl Iterator<Item = (u32, u32)> {
    (0..bars / (2 * PHRASE_BARS)).map(|q| (2 * q * PHRASE_BARS, (2 * q + 1) * PHRASE_BARS))
}

/// The indices of the slots starting in bars `from..to`.
fn in_bars(slots: &[Slot], bar_ticks: u32, from: u32, to: u32) -> std::ops::Range<usize> {
    let first = slots.partition_point(|s| s.start < from * bar_ticks);
    let end = slots.partition_point(|s| s.start < to * bar_ticks);
    first..end
}

/// The slots starting in bars `from..from + bars`, relative to bar `from`.
fn stretch(slots: &[Slot], bar_ticks: u32, from: u32, bars: u32) -> Vec<Slot> {
    slots[in_bars(slots, bar_ticks, from, from + bars)]
        .iter()
        .map(|s| Slot {
            start: s.start - from * bar_ticks,
            ..*s
        })
        .collect()
}

/// Puts `motif` (slots relative to its own start) in place of bars `at..at + bars`.
fn replace_bars(slots: &mut Vec<Slot>, at: u32, bars: u32, bar_ticks: u32, motif: &[Slot]) {
    let (from, to) = (at * bar_ticks, (at + bars) * bar_ticks);
    slots.retain(|s| s.start < from || s.start >= to);
    slots.extend(motif.iter().map(|s| Slot {
        start: s.start + from,
        ..*s
    }));
    slots.sort_by_key(|s| s.start);
}

/// Bar 1's slots.
pub fn first_bar(slots: &[Slot], bar_ticks: u32) -> Vec<Slot> {
    stretch(slots, bar_ticks, 0, 1)
}

/// A section's rhythm shaped for its development: a recalled opening takes the piece's first
/// bar's rhythm, a sequence repeats bar 1's rhythm in bar 2, and each consequent opens with
/// its antecedent's rhythm.
pub fn shape_rhythm(
    slots: &mut Vec<Slot>,
    bars: u32,
    bar_ticks: u32,
    development: Development,
    opening: Option<&[Slot]>,
) {
    if let (true, Some(opening)) = (development.recall, opening) {
        replace_bars(slots, 0, 1, bar_ticks, opening);
    }
    if development.sequence {
        let motif = first_bar(slots, bar_ticks);
        replace_bars(slots, 1, 1, bar_ticks, &motif);
    }
    for (a, c) in phrase_pairs(bars) {
        let motif = stretch(slots, bar_ticks, a, MOTIF_BARS);
        replace_bars(slots, c, MOTIF_BARS, bar_ticks, &motif);
    }
}

/// `notes` with the slots they take from slot `at` on.
fn placed(at: usize, notes: &[Pitch]) -> impl Iterator<Item = (usize, Pitch)> + '_ {
    notes.iter().enumerate().map(move |(k, p)| (at + k, *p))
}

/// `motif` moved along `scale` so that it starts on `start`, or turned upside down around
/// `start`; `None` when a note leaves the scale or the MIDI range.
fn transform(scale: PitchSet, motif: &[Pitch], start: Pitch, invert: bool) -> Option<Vec<Pitch>> {
    let first = scale.rung(*motif.first()?)?;
    let target = scale.rung(start)?;
    motif
        .iter()
        .map(|p| {
            let offset = scale.rung(*p)? - first;
            scale.at_rung(target + if invert { -offset } else { offset })
        })
        .collect()
}

/// The notes a section keeps in its second draw (`None`: drawn again).
pub type Shape = Vec<Option<Pitch>>;

/// What a section's second draw works from.
pub struct Draft<'a> {
    /// The section's slots, relative to its start.
    pub slots: &'a [Slot],
    /// The free draw.
    pub drawn: &'a [Pitch],
    pub bars: u32,
    pub bar_ticks: u32,
    /// The scale motifs move along.
    pub scale: PitchSet,
    pub development: Development,
    /// The piece's first bar, for a recall.
    pub opening: Option<&'a [Pitch]>,
    /// The notes a varied repeat keeps from its base.
    pub notes_from_base: usize,
    /// How well a pitch fits at a slot (the line's soft preference).
    pub fit: &'a dyn Fn(usize, Pitch) -> f64,
    /// Whether the part's range and pitch rules allow a pitch at a slot.
    pub admits: &'a dyn Fn(usize, Pitch) -> bool,
    /// The chord sounding at a slot.
    pub chord: &'a dyn Fn(usize) -> Option<Chord>,
    /// The weight of moving from one MIDI pitch to the next.
    pub interval: &'a dyn Fn(u8, u8) -> f64,
}

impl Draft<'_> {
    /// The shapes to try, most developed first: the motif's development, then the answering
    /// phrases alone. (The contour within a phrase is the learned moves' own: enforcing one
    /// peak per phrase made every phrase an arch, where real ones have one peak about half the
    /// time.)
    pub fn shapes(&self, rng: &mut dyn RngCore) -> Vec<Shape> {
        let base = self.base();
        let bound = base.iter().flatten().count();
        let mut shapes = Vec::new();
        let mut add = |shape: Shape| {
            let binds = shape.iter().flatten().count() > bound;
            if binds && !shapes.contains(&shape) {
                shapes.push(shape);
            }
        };
        if let Some(developed) = self.develop(base.clone(), rng) {
            add(developed);
        }
        add(self.answered(base, rng));
        shapes
    }

    /// The notes every shape keeps: the section's first and last as drawn, and those a varied
    /// repeat keeps from its base.
    fn base(&self) -> Vec<Option<Pitch>> {
        let last = self.drawn.len().saturating_sub(1);
        self.drawn
            .iter()
            .enumerate()
            .map(|(i, p)| (i < self.notes_from_base || i == 0 || i == last).then_some(*p))
            .collect()
    }

    /// One of `candidates`, drawn by weight.
    fn draw(candidates: Vec<(Vec<Pitch>, f64)>, rng: &mut dyn RngCore) -> Option<Vec<Pitch>> {
        let weights: Vec<f64> = candidates.iter().map(|c| c.1).collect();
        let chosen = pick(&mut &mut *rng, &weights)?;
        candidates.into_iter().nth(chosen).map(|c| c.0)
    }

    /// Each antecedent keeps its opening bars as drawn (unless already set) and its consequent
    /// opens with them, as they are or moved along the scale where the chords under the answer
    /// want it (a varied repeat's kept notes already answer).
    fn answered(&self, mut fixed: Vec<Option<Pitch>>, rng: &mut dyn RngCore) -> Vec<Option<Pitch>> {
        let bt = self.bar_ticks;
        if self.notes_from_base > 0 {
            return fixed;
        }
        for (a, c) in phrase_pairs(self.bars) {
            let opening = in_bars(self.slots, bt, a, a + MOTIF_BARS);
            let answer = in_bars(self.slots, bt, c, c + MOTIF_BARS);
            for i in opening.clone() {
                fixed[i] = fixed[i].or(Some(self.drawn[i]));
            }
            let notes: Vec<Pitch> = fixed[opening.clone()].iter().flatten().copied().collect();
            let Some(&first) = notes.first() else {
                continue;
            };
            let mut candidates = Vec::new();
            for steps in -SEQUENCE_STEPS..=SEQUENCE_STEPS {
                let moved = self
                    .scale
                    .rung(first)
                    .and_then(|r| self.scale.at_rung(r + steps))
                    .and_then(|start| transform(self.scale, &notes, start, false))
                    .or_else(|| (steps == 0).then(|| notes.clone()));
                let Some(moved) = moved else {
                    continue;
                };
                let adapted = self.adapt(Some(opening.start), answer.start, moved);
                if self.admitted(answer.start, &adapted) {
                    let exact = if steps == 0 { EXACT_ANSWER } else { 1.0 };
                    let w = exact * self.fit_at(answer.start, &adapted);
                    candidates.push((adapted, w));
                }
            }
            // Where nothing fits, the answer is left to the draw.
            if let Some(chosen) = Self::draw(candidates, rng) {
                for (i, p) in answer.zip(chosen) {
                    fixed[i] = Some(p);
                }
            }
        }
        fixed
    }

    /// Whether every one of `notes` is allowed from slot `at` on.
    fn admitted(&self, at: usize, notes: &[Pitch]) -> bool {
        placed(at, notes).all(|(i, p)| (self.admits)(i, p))
    }

    /// `notes`, written for the slots from `from` (if in this section), restated from `at`:
    /// where the chord under a note may have changed and a pitch a semitone away fits it far
    /// better (C# over D7 becomes C), the note moves there.
    fn adapt(&self, from: Option<usize>, at: usize, mut notes: Vec<Pitch>) -> Vec<Pitch> {
        for (k, p) in notes.iter_mut().enumerate() {
            let i = at + k;
            if from.is_some_and(|from| (self.chord)(i) == (self.chord)(from + k)) {
                continue;
            }
            let here = (self.fit)(i, *p);
            let better = [p.0.checked_sub(1), p.0.checked_add(1)]
                .into_iter()
                .flatten()
                .map(Pitch)
                .filter(|q| (self.admits)(i, *q))
                .map(|q| (q, (self.fit)(i, q)))
                .filter(|(_, w)| *w > ADAPT * here)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((q, _)) = better {
                *p = q;
            }
        }
        notes
    }

    /// How well `notes` fit from slot `at` on.
    fn fit_at(&self, at: usize, notes: &[Pitch]) -> f64 {
        placed(at, notes).map(|(i, p)| (self.fit)(i, p)).product()
    }

    /// The development's notes added to `fixed`: bar 1 recalls the piece's opening, bar 2 is a
    /// sequence of bar 1, and the rest of the first phrase is free; `None` when the section
    /// develops nothing. Each transposition is drawn by how well its notes fit where they fall.
    fn develop(
        &self,
        mut fixed: Vec<Option<Pitch>>,
        rng: &mut dyn RngCore,
    ) -> Option<Vec<Option<Pitch>>> {
        let d = self.development;
        if self.notes_from_base > 0 || !(d.sequence || d.recall) {
            return None;
        }
        let bt = self.bar_ticks;
        let bar1 = in_bars(self.slots, bt, 0, 1);
        let bar2 = in_bars(self.slots, bt, 1, 2);
        let fit = |at: usize, notes: &[Pitch]| self.fit_at(at, notes);
        let rung = |p: Pitch| self.scale.rung(p);
        if let (true, Some(opening)) = (d.recall, self.opening) {
            // From where the free draw started, so the section's edge stays as it was drawn.
            let candidates: Vec<(Vec<Pitch>, f64)> = [false, true]
                .into_iter()
                .filter_map(|invert| transform(self.scale, opening, self.drawn[0], invert))
                .map(|notes| self.adapt(None, bar1.start, notes))
                .filter(|notes| notes.len() == bar1.len() && notes != opening)
                .filter(|notes| self.admitted(bar1.start, notes))
                .map(|notes| {
                    // Into bar 2 as drawn, unless a sequence will replace it.
                    let into = match (d.sequence, bar2.clone().next(), notes.last()) {
                        (false, Some(j), Some(last)) => (self.interval)(last.0, self.drawn[j].0),
                        _ => 1.0,
                    };
                    let w = fit(bar1.start, &notes) * into;
                    (notes, w)
                })
                .collect();
            // Where no recall fits, bar 1 stays as drawn (and may still be sequenced).
            // The section's first note stays as drawn, even where the recall would nudge it.
            if let Some(recalled) = Self::draw(candidates, rng) {
                for (i, p) in bar1.clone().zip(recalled) {
                    fixed[i] = fixed[i].or(Some(p));
                }
            }
        }
        for i in bar1.clone() {
            fixed[i] = fixed[i].or(Some(self.drawn[i]));
        }
        if d.sequence {
            let motif: Vec<Pitch> = fixed[bar1.clone()]
                .iter()
                .map(|p| p.expect("kept"))
                .collect();
            // A first bar with no note of its own (one held over it) has no motif to sequence.
            let (first, last) = (rung(*motif.first()?)?, *motif.last()?);
            let mut candidates = Vec::new();
            for steps in (-SEQUENCE_STEPS..=SEQUENCE_STEPS).filter(|s| *s != 0) {
                let Some(notes) = self
                    .scale
                    .at_rung(first + steps)
                    .and_then(|start| transform(self.scale, &motif, start, false))
                    .map(|notes| self.adapt(Some(bar1.start), bar2.start, notes))
                else {
                    continue;
                };
                if notes.len() == bar2.len() && self.admitted(bar2.start, &notes) {
                    let w = fit(bar2.start, &notes) * (self.interval)(last.0, notes[0].0);
                    candidates.push((notes, w));
                }
            }
            let moved = Self::draw(candidates, rng)?;
            for (i, p) in bar2.zip(moved) {
                fixed[i] = Some(p);
            }
        }
        Some(self.answered(fixed, rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::PitchClass;

    fn d_major() -> PitchSet {
        PitchSet::of([2, 4, 6, 7, 9, 11, 1].map(PitchClass::new))
    }

    fn pitches(midi: &[u8]) -> Vec<Pitch> {
        midi.iter().copied().map(Pitch).collect()
    }

    #[test]
    fn a_motif_moves_along_the_scale() {
        // D E F# A, a step higher: E F# G B.
        let motif = pitches(&[62, 64, 66, 69]);
        let up = transform(d_major(), &motif, Pitch(64), false).unwrap();
        assert_eq!(up, pitches(&[64, 66, 67, 71]));
        // Upside down from A: A G F# D.
        let inverted = transform(d_major(), &motif, Pitch(69), true).unwrap();
        assert_eq!(inverted, pitches(&[69, 67, 66, 62]));
        // F is not in D major.
        assert_eq!(
            transform(d_major(), &pitches(&[65]), Pitch(62), false),
            None
        );
    }

    fn slots(starts: &[u32]) -> Vec<Slot> {
        starts
            .windows(2)
            .map(|w| Slot {
                start: w[0],
                duration: w[1] - w[0],
            })
            .collect()
    }

    #[test]
    fn a_sequence_and_an_answer_copy_rhythms() {
        // Eight bars of 4 ticks: bar 1 has two notes, every other bar one.
        let bar = 4;
        let mut starts = vec![0, 2];
        starts.extend((1..=8).map(|b| b * bar));
        let mut rhythm = slots(&starts);
        let development = Development {
            sequence: true,
            recall: false,
        };
        shape_rhythm(&mut rhythm, 8, bar, development, None);
        let starts: Vec<u32> = rhythm.iter().map(|s| s.start).collect();
        // Bar 2 takes bar 1's rhythm; bars 5–6 take bars 1–2's.
        assert_eq!(starts, [0, 2, 4, 6, 8, 12, 16, 18, 20, 22, 24, 28]);
    }
}
