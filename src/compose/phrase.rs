//! A melody's phrases: antecedents answered by consequents that open alike, an opening motif
//! developed by sequence (moved one to three steps along the scale), restated two bars on and
//! recalled by later sections (moved or inverted), and later strains closing as the first did;
//! or, in a tune with a learned pattern (`restate`), the bars it restates.
//!
//! The section is first drawn freely; these habits then become notes to keep, and
//! the section is drawn again, exactly, given them, with its first and last notes as the free
//! draw put them (so its neighbours in the form see the edges they were checked against).
//! Where the part's rules leave no such line, the composer falls back to fewer habits.

use rand::{Rng, RngCore};

use super::chain::pick;
use super::restate::RestatedBars;
use super::rhythm::Slot;
use crate::models::Restated;
use crate::resolve::PHRASE_BARS;
use crate::theory::{Chord, Pitch, PitchSet};

/// Bars of a phrase's opening that its answering phrase repeats.
pub const MOTIF_BARS: u32 = 2;

/// How often a section repeats its first bar one to three steps higher or lower in its second.
const SEQUENCE_CHANCE: f64 = 0.15;
/// How often a later section opens with the first section's first bar, transposed or inverted.
const RECALL_CHANCE: f64 = 0.5;
/// How often an antecedent's third bar restates its first, and how often a later strain's
/// next-to-last bar is the first strain's, by rhythm family: as often as in the training dance
/// tunes (`python3 tools/bar_repeats.py`, O'Neill's 1850, after written-out repeats are
/// collapsed: bar 3 = bar 1 in 30% of jig strains, 31% of reel and 7% of hornpipe strains;
/// the second strain's bar 7 = the first's in 49%, 22% and 43%). Other kinds keep neither.
/// Strains of eight bars follow a learned pattern instead (`restate`); these are for the rest.
fn echo_chances(rhythm_family: &str) -> (f64, f64) {
    match rhythm_family {
        "jig" => (0.30, 0.49),
        "reel" => (0.31, 0.22),
        "hornpipe" => (0.07, 0.43),
        _ => (0.0, 0.0),
    }
}
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
    /// Each antecedent's third bar restates its first.
    pub restate: bool,
    /// The next-to-last bar is the first section's (a later strain closes as the first did).
    pub close: bool,
    /// The bars the piece's learned pattern restates exactly, where the tune has one: it takes
    /// the place of the answers, restatements and close above.
    pub restated: Option<RestatedBars>,
}

impl Development {
    /// Draws the habits a section of `bars` bars takes in a tune of `rhythm_family`; only a
    /// later section can recall the opening or close as the first section did. A section
    /// whose `restated` bars come from a learned pattern moves only bars it leaves free.
    pub fn draw(
        bars: u32,
        later: bool,
        (rhythm_family, restated): (&str, Option<RestatedBars>),
        rng: &mut dyn RngCore,
    ) -> Development {
        if let Some(bars) = restated {
            let mut chance = |p: f64| rng.random_bool(p);
            return Development {
                sequence: bars[1].is_none() && chance(SEQUENCE_CHANCE),
                recall: later && chance(RECALL_CHANCE),
                restated,
                ..Development::default()
            };
        }
        let (restate, close) = echo_chances(rhythm_family);
        let mut chance = |p: f64| p > 0.0 && rng.random_bool(p);
        Development {
            sequence: bars >= PHRASE_BARS && chance(SEQUENCE_CHANCE),
            recall: later && bars >= 2 && chance(RECALL_CHANCE),
            restate: bars >= PHRASE_BARS && chance(restate),
            close: later && bars >= 2 * PHRASE_BARS && chance(close),
            restated,
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
    bar(slots, bar_ticks, 0)
}

/// Bar `at`'s (0-based) slots, relative to its start.
pub fn bar(slots: &[Slot], bar_ticks: u32, at: u32) -> Vec<Slot> {
    stretch(slots, bar_ticks, at, 1)
}

/// The bar a later strain closes with as the first did: the next-to-last of a section of
/// `bars` bars.
pub fn closing_bar(bars: u32) -> u32 {
    bars.saturating_sub(2)
}

/// The first section, which a later one takes bars from.
#[derive(Clone, Copy)]
pub struct FirstSection<'a> {
    /// Its rhythm, relative to its start.
    pub slots: &'a [Slot],
    /// Its notes, one per slot (empty while the rhythms are drawn).
    pub pitches: &'a [Pitch],
    pub bars: u32,
}

impl<'a> FirstSection<'a> {
    /// Bar `at`'s slots, relative to the bar's start.
    fn rhythm(&self, bar_ticks: u32, at: u32) -> Vec<Slot> {
        bar(self.slots, bar_ticks, at)
    }

    /// Bar `at`'s notes.
    fn notes(&self, bar_ticks: u32, at: u32) -> &'a [Pitch] {
        &self.pitches[in_bars(self.slots, bar_ticks, at, at + 1)]
    }
}

/// A section's rhythm shaped for its development: a recalled opening takes the piece's first
/// bar's rhythm, a sequence repeats bar 1's rhythm in bar 2, a restated bar its source's, a
/// restatement bar 1's in bar 3, a close the first section's next-to-last bar's, and each
/// consequent opens with its antecedent's rhythm.
pub fn shape_rhythm(
    slots: &mut Vec<Slot>,
    bars: u32,
    bar_ticks: u32,
    development: Development,
    first: Option<FirstSection>,
) {
    if let (true, Some(first)) = (development.recall, first) {
        replace_bars(slots, 0, 1, bar_ticks, &first.rhythm(bar_ticks, 0));
    }
    if development.sequence {
        let motif = first_bar(slots, bar_ticks);
        replace_bars(slots, 1, 1, bar_ticks, &motif);
    }
    if let Some(restated) = development.restated {
        for (at, source) in (0..).zip(restated) {
            let motif = match source {
                Some(Restated::Own(from)) => bar(slots, bar_ticks, from),
                Some(Restated::First(from)) => match first {
                    Some(first) => first.rhythm(bar_ticks, from),
                    None => continue,
                },
                None => continue,
            };
            replace_bars(slots, at, 1, bar_ticks, &motif);
        }
        return;
    }
    if let (true, Some(first)) = (development.close, first) {
        let motif = first.rhythm(bar_ticks, closing_bar(first.bars));
        replace_bars(slots, closing_bar(bars), 1, bar_ticks, &motif);
    }
    for (a, _) in phrase_pairs(bars).filter(|_| development.restate) {
        let motif = bar(slots, bar_ticks, a);
        replace_bars(slots, a + 2, 1, bar_ticks, &motif);
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
    /// The first section, for a recall, a close or a restated bar.
    pub first: Option<FirstSection<'a>>,
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
    /// phrases alone, each first with its restated and closing bars. (The contour within a
    /// phrase is the learned moves' own: enforcing one peak per phrase made every phrase an
    /// arch, where real ones have one peak about half the time.)
    pub fn shapes(&self, rng: &mut dyn RngCore) -> Vec<Shape> {
        let base = self.base();
        let bound = base.iter().flatten().count();
        let mut plain = Vec::new();
        if let Some(developed) = self.develop(base.clone(), rng) {
            plain.push(developed);
        }
        plain.push(self.answered(base, rng));
        let echoed: Vec<Shape> = plain.iter().filter_map(|s| self.echoed(s)).collect();
        let mut shapes = Vec::new();
        for shape in echoed.into_iter().chain(plain) {
            let binds = shape.iter().flatten().count() > bound;
            if binds && !shapes.contains(&shape) {
                shapes.push(shape);
            }
        }
        shapes
    }

    /// `shape` with each antecedent's third bar restating its first and the next-to-last bar
    /// closing as the first section's did, where the development asks for them and the notes
    /// fit the rhythm and the rules (moved where a chord changed, as answers are); `None` when
    /// nothing is added.
    fn echoed(&self, shape: &Shape) -> Option<Shape> {
        let (d, bt) = (self.development, self.bar_ticks);
        let mut fixed = shape.clone();
        let mut echo = |from: Option<usize>, to: std::ops::Range<usize>, notes: Vec<Pitch>| {
            let notes = self.adapt(from, to.start, notes);
            let open = to.clone().all(|i| shape[i].is_none());
            if open && notes.len() == to.len() && self.admitted(to.start, &notes) {
                for (i, p) in to.zip(notes) {
                    fixed[i] = Some(p);
                }
            }
        };
        for (a, _) in phrase_pairs(self.bars).filter(|_| d.restate) {
            let first = in_bars(self.slots, bt, a, a + 1);
            let notes = first.clone().map(|i| shape[i].unwrap_or(self.drawn[i]));
            echo(
                Some(first.start),
                in_bars(self.slots, bt, a + 2, a + 3),
                notes.collect(),
            );
        }
        if let (true, Some(first)) = (d.close, self.first) {
            let at = closing_bar(self.bars);
            echo(
                None,
                in_bars(self.slots, bt, at, at + 1),
                first.notes(bt, closing_bar(first.bars)).to_vec(),
            );
        }
        (fixed != *shape).then_some(fixed)
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
    /// A section with a learned pattern restates its bars as the pattern says instead.
    fn answered(&self, mut fixed: Vec<Option<Pitch>>, rng: &mut dyn RngCore) -> Vec<Option<Pitch>> {
        let bt = self.bar_ticks;
        if self.notes_from_base > 0 {
            return fixed;
        }
        if let Some(restated) = self.development.restated {
            return self.restated(fixed, restated);
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

    /// Each restated bar takes its source's notes (moved where a chord changed, as answers
    /// are), the source keeping them, where they fit the rhythm, the rules and the notes
    /// already kept; other bars are left to the draw.
    fn restated(&self, mut fixed: Vec<Option<Pitch>>, bars: RestatedBars) -> Vec<Option<Pitch>> {
        let bt = self.bar_ticks;
        for (at, source) in (0..).zip(bars) {
            let (from, notes) = match source {
                Some(Restated::Own(from)) => {
                    let from = in_bars(self.slots, bt, from, from + 1);
                    let notes = from.clone().map(|i| fixed[i].unwrap_or(self.drawn[i]));
                    (Some(from), notes.collect())
                }
                Some(Restated::First(from)) => match self.first {
                    Some(first) => (None, first.notes(bt, from).to_vec()),
                    None => continue,
                },
                None => continue,
            };
            let to = in_bars(self.slots, bt, at, at + 1);
            let notes = self.adapt(from.as_ref().map(|f| f.start), to.start, notes);
            let kept = |(i, p): (usize, &Pitch)| fixed[i].is_none_or(|q| q == *p);
            if notes.len() != to.len()
                || !self.admitted(to.start, &notes)
                || !to.clone().zip(&notes).all(kept)
            {
                continue;
            }
            for i in from.into_iter().flatten() {
                fixed[i] = fixed[i].or(Some(self.drawn[i]));
            }
            for (i, p) in to.zip(notes) {
                fixed[i] = Some(p);
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
        if let (true, Some(opening)) = (d.recall, self.first.map(|f| f.notes(bt, 0))) {
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
    use rand::SeedableRng;

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
            ..Development::default()
        };
        shape_rhythm(&mut rhythm, 8, bar, development, None);
        let starts: Vec<u32> = rhythm.iter().map(|s| s.start).collect();
        // Bar 2 takes bar 1's rhythm; bars 5–6 take bars 1–2's.
        assert_eq!(starts, [0, 2, 4, 6, 8, 12, 16, 18, 20, 22, 24, 28]);
    }

    #[test]
    fn a_restated_bar_and_a_close_copy_rhythms() {
        // Eight bars of 4 ticks, each its own rhythm; the first section's next-to-last bar
        // has three notes.
        let bar = 4;
        let mut rhythm = slots(&[0, 1, 4, 6, 8, 12, 16, 20, 24, 26, 28, 32]);
        let first = slots(&[0, 4, 8, 12, 16, 20, 24, 25, 26, 28, 32]);
        let development = Development {
            restate: true,
            close: true,
            ..Development::default()
        };
        let first = FirstSection {
            slots: &first,
            pitches: &[],
            bars: 8,
        };
        shape_rhythm(&mut rhythm, 8, bar, development, Some(first));
        let starts: Vec<u32> = rhythm.iter().map(|s| s.start).collect();
        // Bar 3 takes bar 1's rhythm, bar 7 the first section's; bars 5–6 answer bars 1–2.
        assert_eq!(
            starts,
            [0, 1, 4, 6, 8, 9, 12, 16, 17, 20, 22, 24, 25, 26, 28]
        );
    }

    /// An eight-bar draft in D major of 4-tick bars where every note is allowed and fits alike.
    fn free_draft<'a>(
        slots: &'a [Slot],
        drawn: &'a [Pitch],
        development: Development,
        first: FirstSection<'a>,
    ) -> Draft<'a> {
        Draft {
            slots,
            drawn,
            bars: 8,
            bar_ticks: 4,
            scale: d_major(),
            development,
            first: Some(first),
            notes_from_base: 0,
            fit: &|_, _| 1.0,
            admits: &|_, _| true,
            chord: &|_| None,
            interval: &|_, _| 1.0,
        }
    }

    #[test]
    fn a_later_strain_closes_with_the_first_strains_notes_and_restates_its_opening() {
        // Eight bars of one quarter each (4 ticks), D major, every note allowed.
        let bar = 4;
        let rhythm = slots(&(0..=8).map(|b| b * bar).collect::<Vec<_>>());
        let drawn = pitches(&[62, 64, 66, 67, 69, 71, 73, 74]);
        let first = pitches(&[62, 64, 66, 67, 69, 71, 61, 74]);
        let development = Development {
            restate: true,
            close: true,
            ..Development::default()
        };
        let draft = free_draft(
            &rhythm,
            &drawn,
            development,
            FirstSection {
                slots: &rhythm,
                pitches: &first,
                bars: 8,
            },
        );
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
        let shapes = draft.shapes(&mut rng);
        // Bar 3 restates bar 1 (D), bar 7 is the first strain's C#; the plain answer follows.
        assert_eq!(shapes[0][2], Some(Pitch(62)));
        assert_eq!(shapes[0][6], Some(Pitch(61)));
        assert_eq!(shapes.last().unwrap()[6], None);
    }

    #[test]
    fn a_learned_pattern_restates_its_bars_in_rhythm_and_notes() {
        // Bar 5 restates bar 1, bar 6 bar 2 and bar 7 the first strain's bar 3; bar 3 is free.
        let mut restated = [None; 8];
        restated[4] = Some(Restated::Own(0));
        restated[5] = Some(Restated::Own(1));
        restated[6] = Some(Restated::First(2));
        let development = Development {
            restated: Some(restated),
            ..Development::default()
        };
        let bar = 4;
        let first_rhythm = slots(&[0, 4, 8, 9, 10, 12, 16, 20, 24, 28, 32]);
        let mut rhythm = slots(&[0, 2, 4, 8, 12, 16, 20, 24, 28, 32]);
        let first = FirstSection {
            slots: &first_rhythm,
            pitches: &[],
            bars: 8,
        };
        shape_rhythm(&mut rhythm, 8, bar, development, Some(first));
        let starts: Vec<u32> = rhythm.iter().map(|s| s.start).collect();
        assert_eq!(starts, [0, 2, 4, 8, 12, 16, 18, 20, 24, 25, 26, 28]);
        let drawn = pitches(&[62, 64, 66, 67, 69, 71, 73, 74, 76, 78, 79, 81]);
        let first_pitches = pitches(&[62, 64, 66, 67, 69, 71, 73, 74, 76, 78]);
        let draft = free_draft(
            &rhythm,
            &drawn,
            development,
            FirstSection {
                slots: &first_rhythm,
                pitches: &first_pitches,
                bars: 8,
            },
        );
        let shape = draft.shapes(&mut rand_chacha::ChaCha8Rng::seed_from_u64(0))[0].clone();
        let kept: Vec<Option<u8>> = shape.iter().map(|p| p.map(|p| p.0)).collect();
        // Bars 1 and 2 keep their notes (D E, F#), bars 5 and 6 restate them, bar 7 the first
        // strain's third bar (F# G A); bars 3 and 4 are left to the draw, bar 8 keeps its edge.
        let expected = [62, 64, 66, 0, 0, 62, 64, 66, 66, 67, 69, 81].map(|p| (p > 0).then_some(p));
        assert_eq!(kept, expected);
    }
}
