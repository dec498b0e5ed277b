//! A line over the form: each distinct section is composed once, its repeats copied note for note,
//! a varied repeat (`A'`) re-composing only its last phrase, answering phrases opening like
//! their antecedents; neighbouring sections respect the part's leap limits across boundaries.

use std::cell::RefCell;

use rand::RngCore;
use rand_chacha::ChaCha8Rng;

use super::line::LineModel;
use super::phrase::{self, Development, Draft, FirstSection, Shape};
use super::restate;
use super::rhythm::{BarsPlayed, Placement, Slot};
use super::whole_form::{self, Edge, Join, Pairs};
use super::{Conflict, widen};
use crate::models::Turns;
use crate::models::{OffChord, Restatements};
use crate::resolve::{MostlyStepwise, Origin, PartPlan, Plan, Section, SectionName};
use crate::theory::{Chord, Pitch, PitchSet};

/// The longest section (in notes) whose edges are tied through an episode (a short section
/// between it and its return: A X A), and the longest such episode.
const MAX_TIED_SECTION_NOTES: usize = 256;
const MAX_EPISODE_NOTES: usize = 32;

/// How one kind of line (melody, counter-melody, bass) is written, beyond its part's rules.
pub trait LineWriter {
    /// The rhythm over `placement`; `played` holds the bars this line has played so far.
    fn rhythm(
        &self,
        placement: Placement,
        played: &mut BarsPlayed,
        rng: &mut dyn RngCore,
    ) -> Result<Vec<Slot>, Conflict>;
    /// Classes a slot may take before the part's own rules (a bass: the chord's tones).
    fn classes(&self, slot: &Slot) -> PitchSet;
    /// The clause those classes come from, if a user's.
    fn classes_origin(&self) -> Option<Origin>;
    fn chord_at(&self, tick: u32) -> Option<Chord>;
    /// Soft preference for `pitch` at `slot`, which may end a section or the piece.
    fn preference(&self, slot: &Slot, ending: Ending, pitch: Pitch) -> f64;
    /// Soft weight of moving from MIDI pitch `x` to `y`.
    fn move_weight(&self, x: u8, y: u8) -> f64;
    /// How a move to or from a note outside the chord weighs.
    fn off_chord(&self) -> OffChord {
        OffChord::NEUTRAL
    }
    /// Whether the line moves against another (then `motion` weighs each move).
    fn moves_against_another(&self) -> bool {
        false
    }
    /// Extra weight of moving from `x` at `a` to `y` at `b` (a counter-melody's contrary motion).
    fn motion(&self, _a: &Slot, _b: &Slot, _x: u8, _y: u8) -> f64 {
        1.0
    }
    /// Whether phrases come in pairs whose second starts like the first (a melody's habit).
    fn answers_phrases(&self) -> bool {
        false
    }
    /// The piece's learned pattern of restated bars, for a line that answers phrases.
    fn restatements(&self) -> Option<&'static Restatements> {
        None
    }
    /// How a move weighs after the moves before it (`models::move_class`, `move_state`).
    fn turns(&self) -> Option<&'static Turns> {
        None
    }
    /// The weight of the move from the note before into `slot`: down, the same note struck
    /// again, up.
    fn move_into_weights(&self, _slot: &Slot) -> [f64; 3] {
        [1.0; 3]
    }
    /// Ticks at the end of every section but the last that lead into the next, as the pickup
    /// led into the first: the section's cadence is the note before them.
    fn lead_in(&self) -> u32 {
        0
    }
}

/// A section's rhythm, relative to its start; a varied repeat also records how many slots it
/// keeps from its base.
struct SectionRhythm {
    name: SectionName,
    slots: Vec<Slot>,
    notes_from_base: usize,
    development: Development,
}

/// A section's pitches once composed, one per slot of its rhythm.
struct SectionPitches {
    name: SectionName,
    pitches: Vec<Pitch>,
}

/// A part's notes over the form, and whether a default key had to give way.
type Line = (Vec<(Slot, Pitch)>, bool);

/// The whole part's line over the form, and whether a default key had to give way.
///
/// First every distinct section gets its rhythm (a varied repeat: its base's, with a new last
/// phrase), then the pitches, section by section in the order of the form. A section's first
/// and last notes keep the part's leap limit with the sections already written next to it,
/// and stay within reach of what the sections still to come could play there.
///
/// A line drawn under the drawn rhythms shows that they join through the form, all that
/// `form_first` would decide then, so it runs only when no line is drawn; the draw is then
/// repeated from the same point of the stream, so every line and every refusal is as it would
/// be with `form_first` run first.
pub fn write_line(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    rhythm_rng: &mut dyn RngCore,
    pitch_rng: &mut ChaCha8Rng,
) -> Result<Line, Conflict> {
    let mut rhythms: Vec<SectionRhythm> = Vec::new();
    let mut played = BarsPlayed::default();
    for section in &plan.sections {
        if !rhythms.iter().any(|r| r.name == section.name) {
            let rhythm = section_rhythm(plan, section, writer, &rhythms, &mut played, rhythm_rng)?;
            rhythms.push(rhythm);
        }
    }
    alone_first(plan, part, writer, &mut rhythms)?;
    let start = pitch_rng.clone();
    if let Some(line) = draw_line(plan, part, writer, &rhythms, pitch_rng, false)? {
        debug_assert!(
            LineSoFar::alone(plan, part, writer, &rhythms, true).form_joins(),
            "a drawn line joins through the form"
        );
        return Ok(line);
    }
    *pitch_rng = start;
    form_first(plan, part, writer, &mut rhythms)?;
    let line = draw_line(plan, part, writer, &rhythms, pitch_rng, true)?;
    Ok(line.expect("an explained draw returns a line or a conflict"))
}

/// The pitches over `rhythms`, section by section in the order of the form, as notes. A draw
/// that finds no way is explained when `explain`, else it is `None` (and nothing more is taken
/// from `pitch_rng` than a draw that finds one would have taken before that section).
fn draw_line(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    rhythms: &[SectionRhythm],
    pitch_rng: &mut ChaCha8Rng,
    explain: bool,
) -> Result<Option<Line>, Conflict> {
    let mut written: Vec<SectionPitches> = Vec::new();
    let mut relaxed = false;
    for section in &plan.sections {
        if written.iter().any(|w| w.name == section.name) {
            continue;
        }
        // The sections to come in the key first; a failed draw takes no randomness, so the
        // second try (`free_ties`) draws from where the first would have.
        let mut drawn = None;
        for free_ties in [false, true] {
            let so_far = LineSoFar {
                written: &written,
                free_ties,
                ..LineSoFar::alone(plan, part, writer, rhythms, true)
            };
            drawn = so_far.draw_section(section, pitch_rng, explain && free_ties)?;
            if drawn.is_some() {
                break;
            }
        }
        let Some((pitches, gave_way)) = drawn else {
            return Ok(None);
        };
        relaxed |= gave_way;
        written.push(SectionPitches {
            name: section.name,
            pitches,
        });
    }
    Ok(Some((notes_over_form(plan, rhythms, &written), relaxed)))
}

/// Each distinct section on its own first: a clash within one section is explained there, by
/// its own clauses, not where a section written later runs out of ways on. A section whose
/// drawn rhythm leaves its pitches no way is widened first (`widen`): it is refused only when
/// the densest rhythm of the allowed lengths leaves none either.
fn alone_first(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    rhythms: &mut [SectionRhythm],
) -> Result<(), Conflict> {
    // Each try decided without an explanation; only the refusal is explained.
    let writable = |rhythms: &[SectionRhythm], name: SectionName| {
        let so_far = LineSoFar::alone(plan, part, writer, rhythms, true);
        so_far.with_model(name, false, None, &mut |m| m.writable(part))
    };
    for i in 0..rhythms.len() {
        if writable(rhythms, rhythms[i].name) {
            continue;
        }
        let drawn = rhythms[i].slots.clone();
        let allowed = part.durations.as_ref().map(|d| &d.value[..]);
        let from = rhythms[i].notes_from_base;
        let mut tries = widen::widenings(&drawn, from, allowed, plan.bar_ticks());
        // No rhythm lets a line start or end on a note the user's own clauses rule out: only
        // the densest is set, on which the refusal is explained as before.
        if super::user_rules_out_an_end(plan, part) && holds_an_end(plan, rhythms[i].name) {
            tries = tries.split_off(tries.len().saturating_sub(1));
            set_rhythm(plan, rhythms, i, tries.pop().unwrap_or(drawn.clone()));
        }
        // The drawn rhythm is explained when there is no wider one (every note a sixteenth).
        let mut written = false;
        for slots in tries {
            set_rhythm(plan, rhythms, i, slots);
            written = writable(rhythms, rhythms[i].name);
            if written {
                break;
            }
        }
        if !written {
            let so_far = LineSoFar::alone(plan, part, writer, rhythms, true);
            let refusal = so_far.with_model(rhythms[i].name, false, None, &mut |m| {
                m.explain(&part.without_default_key())
            });
            let denser = widen::denser_than_allowed(&drawn, from, allowed.is_some());
            let counted = denser.is_some_and(|slots| {
                set_rhythm(plan, rhythms, i, slots);
                writable(rhythms, rhythms[i].name)
            });
            return Err(with_count_clauses(plan, part, refusal, counted));
        }
    }
    Ok(())
}

/// Whether the section `name` holds the piece's first or last note.
fn holds_an_end(plan: &Plan, name: SectionName) -> bool {
    let first = plan.sections.first().is_some_and(|s| s.name == name);
    first || plan.sections.last().is_some_and(|s| s.name == name)
}

/// Then the sections together: each can be written alone, but their edges must also join
/// through the form (the leap limit across every boundary, a varied repeat starting on its
/// base's first note), which `LineSoFar::form_joins` decides exactly before any pitch is
/// drawn, so the seed never decides whether the line can be written. Where the drawn rhythms
/// leave no way through, every section is widened together, round by round as `alone_first`
/// widens one; the line is refused only when the densest rhythms leave none either, naming the
/// smallest set of clauses that leaves none (`explain::form_conflict`).
fn form_first(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn LineWriter,
    rhythms: &mut [SectionRhythm],
) -> Result<(), Conflict> {
    let joins = |rhythms: &[SectionRhythm], part: &PartPlan, keep_classes: bool| {
        LineSoFar::alone(plan, part, writer, rhythms, keep_classes).form_joins()
    };
    if joins(rhythms, part, true) {
        return Ok(());
    }
    let allowed = part.durations.as_ref().map(|d| &d.value[..]);
    let tries: Vec<Vec<Vec<Slot>>> = (rhythms.iter())
        .map(|r| widen::widenings(&r.slots, r.notes_from_base, allowed, plan.bar_ticks()))
        .collect();
    let rounds = tries.iter().map(Vec::len).max().unwrap_or(0);
    for round in 0..rounds {
        // A varied repeat first: its base's widening then hands it the new opening.
        for i in (0..rhythms.len()).rev() {
            if let Some(slots) = tries[i].get(round).or(tries[i].last()) {
                set_rhythm(plan, rhythms, i, slots.clone());
            }
        }
        if joins(rhythms, part, true) {
            return Ok(());
        }
    }
    let why = |part: &PartPlan| LineSoFar::alone(plan, part, writer, rhythms, true).no_join();
    let refusal = super::explain::form_conflict(
        plan,
        part,
        writer.classes_origin(),
        |part, keep_classes| joins(rhythms, part, keep_classes),
        why,
    );
    for i in (0..rhythms.len()).rev() {
        let (slots, from) = (&rhythms[i].slots, rhythms[i].notes_from_base);
        if let Some(denser) = widen::denser_than_allowed(slots, from, allowed.is_some()) {
            set_rhythm(plan, rhythms, i, denser);
        }
    }
    let counted = joins(rhythms, part, true);
    Err(with_count_clauses(plan, part, refusal, counted))
}

/// Section `i`'s rhythm becomes `slots`; a varied repeat of it keeps the new opening.
fn set_rhythm(plan: &Plan, rhythms: &mut [SectionRhythm], i: usize, slots: Vec<Slot>) {
    let name = rhythms[i].name;
    rhythms[i].slots = slots;
    let varied = SectionName {
        varied: true,
        ..name
    };
    let Some(section) = plan.sections.iter().find(|s| s.name == varied) else {
        return;
    };
    let keep_ticks = section.kept_bars() * plan.bar_ticks();
    let base: Vec<Slot> = (rhythms[i].slots.iter())
        .copied()
        .take_while(|s| s.start < keep_ticks)
        .collect();
    // The notes a varied repeat keeps from its base are those before its kept bars end: a
    // widening drawn for it before its base's changed (`form_first`'s rounds) kept the old ones.
    if name.varied {
        if rhythms[i].notes_from_base > 0 {
            rhythms[i].notes_from_base = base.len();
        }
        return;
    }
    if let Some(r) = rhythms
        .iter_mut()
        .find(|r| r.name == varied && r.notes_from_base > 0)
    {
        let kept = r.slots.partition_point(|s| s.start < keep_ticks);
        let phrase = r.slots.split_off(kept);
        r.notes_from_base = base.len();
        r.slots = [base, phrase].concat();
    }
}

/// A refusal under the densest rhythm: when the number of notes is what stands in the way
/// (`counted`: the piece's length, or the lengths the user allowed, leave too few), those
/// clauses join.
fn with_count_clauses(
    plan: &Plan,
    part: &PartPlan,
    mut refusal: Conflict,
    counted: bool,
) -> Conflict {
    if counted {
        let length = Some(&plan.bars.origin);
        let lengths = part.durations.as_ref().map(|d| &d.origin);
        for origin in [length, lengths].into_iter().flatten() {
            if origin.is_user() && !refusal.origins.contains(origin) {
                refusal.origins.push(origin.clone());
            }
        }
    }
    refusal
}

/// A section's rhythm, relative to its start: a varied repeat keeps its base's up to its new
/// phrase; any other section is drawn whole (a melody's then shaped into answering phrases).
fn section_rhythm(
    plan: &Plan,
    section: &Section,
    writer: &dyn LineWriter,
    earlier: &[SectionRhythm],
    played: &mut BarsPlayed,
    rng: &mut dyn RngCore,
) -> Result<SectionRhythm, Conflict> {
    let bar_ticks = plan.bar_ticks();
    let name = section.name;
    let origin = plan.ticks_of(section).start;
    let relative = |slots: Vec<Slot>| -> Vec<Slot> {
        slots
            .into_iter()
            .map(|s| Slot {
                start: s.start - origin,
                ..s
            })
            .collect()
    };
    let base = SectionName {
        varied: false,
        ..name
    };
    if let Some(base) = earlier.iter().find(|r| r.name == base && name.varied) {
        let keep_ticks = section.kept_bars() * bar_ticks;
        let mut slots: Vec<Slot> = base
            .slots
            .iter()
            .copied()
            .take_while(|s| s.start < keep_ticks)
            .collect();
        let notes_from_base = slots.len();
        let placement = Placement {
            start_bar: section.start_bar + section.kept_bars(),
            bars: section.renewed_bars(),
            ends_piece: is_last_section(plan, name),
            closes_strain: closes_strain(plan, name),
        };
        slots.extend(relative(writer.rhythm(placement, played, rng)?));
        return Ok(SectionRhythm {
            name,
            slots,
            notes_from_base,
            development: Development::default(),
        });
    }
    let placement = Placement {
        start_bar: section.start_bar,
        bars: section.bars,
        ends_piece: is_last_section(plan, name),
        closes_strain: closes_strain(plan, name),
    };
    let mut slots = relative(writer.rhythm(placement, played, rng)?);
    let mut development = Development::default();
    if writer.answers_phrases() {
        let later = plan
            .sections
            .first()
            .is_some_and(|f| f.name.letter != name.letter);
        let family = plan.style.value.rhythm_family;
        let restated = restate::restated_bars(plan, section, writer.restatements());
        development = Development::draw(section.bars, later, (family, restated), rng);
        let first = earlier.first().map(|r| FirstSection {
            slots: &r.slots,
            pitches: &[],
            bars: plan.sections[0].bars,
        });
        phrase::shape_rhythm(&mut slots, section.bars, bar_ticks, development, first);
    }
    Ok(SectionRhythm {
        name,
        slots,
        notes_from_base: 0,
        development,
    })
}

/// Every section's notes in the order of the form, repeats copied from the section written.
fn notes_over_form(
    plan: &Plan,
    rhythms: &[SectionRhythm],
    written: &[SectionPitches],
) -> Vec<(Slot, Pitch)> {
    let mut notes = Vec::new();
    for section in &plan.sections {
        let w = written
            .iter()
            .find(|w| w.name == section.name)
            .expect("every section was written");
        let origin = plan.ticks_of(section).start;
        let slots = &rhythms
            .iter()
            .find(|r| r.name == section.name)
            .expect("a rhythm")
            .slots;
        notes.extend(slots.iter().zip(&w.pitches).map(|(s, p)| {
            (
                Slot {
                    start: s.start + origin,
                    duration: s.duration,
                },
                *p,
            )
        }));
    }
    notes
}

fn is_last_section(plan: &Plan, name: SectionName) -> bool {
    plan.sections.last().is_some_and(|s| s.name == name)
}

/// Whether a section ends where real strains end: the piece's end, or a repeat sign — the
/// section is played twice in a row (plainly or varied) or leads into one that is. Other
/// section ends (a song's verse into its chorus) end a phrase inside the tune.
fn closes_strain(plan: &Plan, name: SectionName) -> bool {
    let twice = |letter| {
        (plan.sections.windows(2)).any(|w| w[0].name.letter == letter && w[1].name.letter == letter)
    };
    is_last_section(plan, name)
        || twice(name.letter)
        || (plan.sections.windows(2)).any(|w| w[0].name == name && twice(w[1].name.letter))
}

/// Whether a note is the last of its section, or of the piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    No,
    Section,
    Piece,
}

impl Ending {
    /// The ending of note `i` of a section whose cadence is note `cadence`.
    fn of(i: usize, cadence: usize, ends_piece: bool) -> Ending {
        match (i == cadence, ends_piece) {
            (false, _) => Ending::No,
            (true, false) => Ending::Section,
            (true, true) => Ending::Piece,
        }
    }

    /// The note that ends a section whose notes start at `starts` and which ends at tick
    /// `end`: its last, or in a section that leads into the next, the last before the
    /// `lead_in` ticks.
    fn cadence(starts: impl DoubleEndedIterator<Item = u32>, end: u32, lead_in: u32) -> usize {
        let before = end.saturating_sub(lead_in);
        let starts: Vec<u32> = starts.collect();
        starts
            .iter()
            .rposition(|&s| s < before)
            .unwrap_or(starts.len().saturating_sub(1))
    }
}

/// Everything needed to build the note model of any section of one part.
struct LineSoFar<'a> {
    plan: &'a Plan,
    part: &'a PartPlan,
    writer: &'a dyn LineWriter,
    written: &'a [SectionPitches],
    rhythms: &'a [SectionRhythm],
    /// The edges found by `reachable_edge`, by (section, neighbour, whose edge): they depend
    /// only on the sections written and the rhythms, which a `LineSoFar` never changes, so each
    /// is found once however often the section's model is built (a draw, then each shape of
    /// its phrase habits).
    edges_seen: RefCell<Vec<(EdgeQuery, Vec<u8>)>>,
    /// Each section's edge pairs once found (`pairs_of`), by section and look-ahead.
    pairs_seen: RefCell<Vec<((SectionName, bool), Pairs)>>,
    /// The edges the whole form leaves the section being written, where looking one section
    /// ahead would leave it more (`whole_form_tie`).
    form_tie: Option<(SectionName, FormTie)>,
    /// Whether the writer's classes (a bass's chord tones) bind; an explanation drops them
    /// with the user's chords they come from.
    keep_classes: bool,
    /// Whether the sections still to come are summed up by their lines without a default key
    /// alone. Their lines in the key are preferred, but a section may give way to the key, so
    /// where the key's lines leave this section none, the draw is tried again with these.
    free_ties: bool,
}

/// What the whole form asks of a section's edges: plain lists of first and last notes, or, where
/// the two depend on each other through the sections to come, the pairs themselves.
enum FormTie {
    Lists(Vec<u8>, Vec<u8>),
    Pairs(Pairs),
}

/// A `reachable_edge` question: section, neighbour, and whether the edge is the section's first.
type EdgeQuery = (SectionName, SectionName, bool);

impl<'a> LineSoFar<'a> {
    /// The line before any section is written, each section's model on its own.
    fn alone(
        plan: &'a Plan,
        part: &'a PartPlan,
        writer: &'a dyn LineWriter,
        rhythms: &'a [SectionRhythm],
        keep_classes: bool,
    ) -> LineSoFar<'a> {
        LineSoFar {
            plan,
            part,
            writer,
            written: &[],
            rhythms,
            edges_seen: RefCell::default(),
            pairs_seen: RefCell::default(),
            form_tie: None,
            keep_classes,
            free_ties: false,
        }
    }

    /// Section `section`'s pitches, drawn after the sections written, keeping every section
    /// to come a way (`whole_form_tie`), with the melody's phrase habits; `None` when there is
    /// no way and not `explain`.
    fn draw_section(
        self,
        section: &Section,
        pitch_rng: &mut ChaCha8Rng,
        explain: bool,
    ) -> Result<Option<(Vec<Pitch>, bool)>, Conflict> {
        let name = section.name;
        let so_far = LineSoFar {
            form_tie: self.whole_form_tie(name).map(|tie| (name, tie)),
            ..self
        };
        let part = so_far.part;
        let drawn = so_far.with_model(name, true, None, &mut |m| match explain {
            true => m.sample(part, &mut *pitch_rng).map(Some),
            false => Ok(m.try_sample(part, &mut *pitch_rng, true)),
        })?;
        let Some((mut pitches, gave_way)) = drawn else {
            return Ok(None);
        };
        if so_far.writer.answers_phrases() {
            pitches = so_far.with_habits(section, pitches, gave_way, pitch_rng);
        }
        Ok(Some((pitches, gave_way)))
    }

    /// This line so far, the sections to come summed up without the default key.
    fn without_key_ties(&self) -> LineSoFar<'a> {
        LineSoFar {
            written: self.written,
            free_ties: true,
            ..LineSoFar::alone(
                self.plan,
                self.part,
                self.writer,
                self.rhythms,
                self.keep_classes,
            )
        }
    }

    /// The distinct sections with notes, in the order of the form: the ones the joins bind.
    fn sections_with_notes(&self) -> Vec<SectionName> {
        let mut names: Vec<SectionName> = Vec::new();
        for s in &self.plan.sections {
            if !names.contains(&s.name) && !self.rhythm_of(s.name).slots.is_empty() {
                names.push(s.name);
            }
        }
        names
    }

    /// Whether every section has lines of its own and some of them join through the whole
    /// form: each section summed up by its (first, last) pairs, the form decided over them
    /// (`whole_form::satisfiable`; a search past its budget counts as a way through, and the
    /// sections then decide as they are written). A default key may give way in any section,
    /// so the pairs are those without it.
    fn form_joins(&self) -> bool {
        let names = self.sections_with_notes();
        let joins = self.joins(&names);
        // Without joins each section stands alone, which `alone_first` decided.
        if joins.is_empty() {
            return true;
        }
        let pairs: Vec<Pairs> = names.iter().map(|&n| self.free_pairs(n)).collect();
        !pairs.iter().any(Vec::is_empty) && whole_form::satisfiable(&pairs, &joins).unwrap_or(true)
    }

    /// Why no lines join: the first boundary no two sections' lines can cross, or the form as
    /// a whole when each boundary alone can be crossed.
    fn no_join(&self) -> String {
        let name = self.part.role.name();
        let names = self.sections_with_notes();
        let pairs: Vec<Pairs> = names.iter().map(|&n| self.free_pairs(n)).collect();
        if let Some(i) = pairs.iter().position(Vec::is_empty) {
            return format!("no {name} line fits section {} alone", names[i]);
        }
        let joins = self.joins(&names);
        let edge = |e: Edge| match e {
            Edge::First | Edge::VariedFirst => "first",
            Edge::Last | Edge::VariedLast => "last",
        };
        for j in &joins {
            let two = [pairs[j.a.0].clone(), pairs[j.b.0].clone()];
            let alone = Join {
                a: (0, j.a.1),
                b: (1, j.b.1),
                leap: j.leap,
            };
            if whole_form::satisfiable(&two, &[alone]) != Some(false) {
                continue;
            }
            let (a, b) = (names[j.a.0], names[j.b.0]);
            return match j.leap {
                0 => format!(
                    "section {b} must start on section {a}'s first note, and no {name} lines \
                     of the two can"
                ),
                leap => format!(
                    "no {name} line of section {a} has its {} note within {leap} semitones of \
                     the {} note of a line of section {b}",
                    edge(j.a.1),
                    edge(j.b.1)
                ),
            };
        }
        let leap = self.part.max_leap.as_ref().map_or(2, |m| m.value);
        format!(
            "the {name}'s sections must join by moves of at most {leap} semitones all through \
             the form, and no lines of theirs do"
        )
    }

    /// Section `name`'s (first, last) pairs on its own, without a default key.
    fn free_pairs(&self, name: SectionName) -> Pairs {
        let free = self.part.without_default_key();
        self.with_model(name, false, None, &mut |m| m.edge_pairs(&free))
    }

    fn pitches_of(&self, n: SectionName) -> Option<&SectionPitches> {
        self.written.iter().find(|w| w.name == n)
    }

    /// For a section that returns around short episodes not written yet (A X A, or A X A'
    /// where A' keeps A's first note), each first note it may take with the last notes that
    /// leave every such X a way from its end to its start. Only short sections are tied: there the two edges
    /// really bind each other, and the tie (a pass over X per first note, then one over this
    /// section) stays cheap; longer ones keep the edges' separate checks.
    fn tie_repeat_edges(
        &self,
        name: SectionName,
        lookahead: bool,
        (low, high): (Pitch, Pitch),
    ) -> Option<Vec<(u8, Vec<u8>)>> {
        if !lookahead || self.rhythm_of(name).slots.len() > MAX_TIED_SECTION_NOTES {
            return None;
        }
        let mut episodes: Vec<SectionName> = Vec::new();
        for w in self.plan.sections.windows(3) {
            let (x, back) = (w[1].name, w[2].name);
            let returns = back == name
                || (back.letter == name.letter
                    && back.varied
                    && !name.varied
                    && self.rhythm_of(back).notes_from_base > 0);
            if w[0].name == name
                && returns
                && x.letter != name.letter
                && self.pitches_of(x).is_none()
                && self.rhythm_of(x).slots.len() <= MAX_EPISODE_NOTES
                && self.max_leap_between(name, x) < u8::MAX
                && !episodes.contains(&x)
            {
                episodes.push(x);
            }
        }
        let mut tie: Option<Vec<(u8, Vec<u8>)>> = None;
        for episode in episodes {
            let limit = self.max_leap_between(name, episode);
            let near = |y: &[u8]| -> Vec<u8> {
                (low.0..=high.0)
                    .filter(|v| y.iter().any(|y| v.abs_diff(*y) <= limit))
                    .collect()
            };
            let ends: Vec<(u8, Vec<u8>)> = self.with_model(episode, false, None, &mut |m| {
                // The episode's edge pairs once (and without a default key, once, if asked):
                // where it can start, given that it ends within the limit of `first`.
                let pairs = match self.free_ties {
                    true => Vec::new(),
                    false => m.edge_pairs(self.part),
                };
                let free = std::cell::OnceCell::new();
                let starts = |pairs: &[(u8, Vec<u8>)], first: u8| -> Vec<u8> {
                    (pairs.iter())
                        .filter(|(_, lasts)| lasts.iter().any(|l| l.abs_diff(first) <= limit))
                        .map(|(start, _)| *start)
                        .collect()
                };
                (low.0..=high.0)
                    .filter_map(|first| {
                        let mut found = starts(&pairs, first);
                        if found.is_empty() {
                            let free =
                                free.get_or_init(|| m.edge_pairs(&self.part.without_default_key()));
                            found = starts(free, first);
                        }
                        let ends = near(&found);
                        (!ends.is_empty()).then_some((first, ends))
                    })
                    .collect()
            });
            tie = Some(match tie {
                None => ends,
                Some(tie) => tie
                    .into_iter()
                    .filter_map(|(first, lasts)| {
                        let other = &ends.iter().find(|(f, _)| *f == first)?.1;
                        let both: Vec<u8> =
                            lasts.into_iter().filter(|v| other.contains(v)).collect();
                        (!both.is_empty()).then_some((first, both))
                    })
                    .collect(),
            });
        }
        tie
    }

    fn rhythm_of(&self, n: SectionName) -> &SectionRhythm {
        self.rhythms
            .iter()
            .find(|r| r.name == n)
            .expect("every section has a rhythm")
    }

    /// A melody section's phrase habits: `drawn` drawn again, exactly, given the notes and
    /// ceilings the habits set; where the part's rules leave no such line, fewer habits, or
    /// `drawn` as it is.
    fn with_habits(
        &self,
        section: &Section,
        drawn: Vec<Pitch>,
        gave_way: bool,
        rng: &mut dyn RngCore,
    ) -> Vec<Pitch> {
        let (plan, part, writer) = (self.plan, self.part, self.writer);
        let name = section.name;
        let bar_ticks = plan.bar_ticks();
        let rhythm = self.rhythm_of(name);
        let origin = plan.ticks_of(section).start;
        let at = |i: usize| rhythm.slots[i].start + origin;
        let ends_piece = is_last_section(plan, name);
        let cadence = self.cadence(name, rhythm.slots.iter().map(|s| s.start + origin));
        let fit = |i: usize, p: Pitch| {
            let slot = Slot {
                start: at(i),
                ..rhythm.slots[i]
            };
            writer.preference(&slot, Ending::of(i, cadence, ends_piece), p)
        };
        let (low, high) = part.range_in(name.letter);
        let admits = |i: usize, p: Pitch| {
            (low..=high).contains(&p)
                && writer
                    .classes(&rhythm.slots[i])
                    .intersect(plan.allowed_at(part, at(i)))
                    .contains(p.class())
        };
        let chord = |i: usize| writer.chord_at(at(i));
        let first = self.written.first().map(|w| FirstSection {
            slots: &self.rhythm_of(w.name).slots,
            pitches: &w.pitches,
            bars: plan.sections[0].bars,
        });
        let draft = Draft {
            slots: &rhythm.slots,
            drawn: &drawn,
            bars: section.bars,
            bar_ticks,
            scale: melodic_scale(plan, part),
            development: rhythm.development,
            first,
            notes_from_base: rhythm.notes_from_base,
            fit: &fit,
            admits: &admits,
            chord: &chord,
            interval: &|x, y| writer.move_weight(x, y),
        };
        let shaped = draft.shapes(rng).into_iter().find_map(|shape| {
            self.with_model(name, true, Some(&shape), &mut |m| {
                m.try_sample(part, &mut &mut *rng, gave_way)
            })
        });
        shaped.map_or(drawn, |(pitches, _)| pitches)
    }

    /// Under `mostly stepwise` a section too short to make up for a leap into it must step in.
    fn must_step_in(&self, n: SectionName) -> bool {
        self.part.mostly_stepwise.is_some()
            && self
                .rhythms
                .iter()
                .any(|r| r.name == n && r.slots.len() < 4)
    }

    /// The largest interval allowed between the edges of two neighbouring sections, less the
    /// most their keys differ where they meet (a section played in another key is composed in
    /// the piece's and moved: the join grows by the difference).
    fn max_leap_between(&self, a: SectionName, b: SectionName) -> u8 {
        let leap = self.part.max_leap.as_ref().map_or(u8::MAX, |m| m.value);
        let leap = if self.must_step_in(a) || self.must_step_in(b) {
            leap.min(MostlyStepwise::LARGEST_STEP)
        } else {
            leap
        };
        let apart = self.keys_apart(a, b);
        // Under `mostly stepwise` a join a small key change would turn into a leap stays a step.
        match self.part.mostly_stepwise.is_some()
            && (1..=MostlyStepwise::LARGEST_STEP).contains(&apart)
        {
            true => leap.min(MostlyStepwise::LARGEST_STEP) - apart,
            false if leap == u8::MAX => leap,
            false => leap.saturating_sub(apart),
        }
    }

    /// The most semitones the keys of `a` and `b` differ where one follows the other. Only a
    /// boundary next to a section in another key can differ, so only those are looked at: a
    /// pass over the key changes, not the whole form, for every pair of neighbours asked.
    fn keys_apart(&self, a: SectionName, b: SectionName) -> u8 {
        let shift = |i: usize| self.plan.modulation_of(i).map_or(0, |m| m.shift as i32);
        let sections = &self.plan.sections;
        let boundaries = (self.plan.modulations.iter())
            .flat_map(|m| [m.section.checked_sub(1), Some(m.section)])
            .flatten();
        boundaries
            .filter(|&i| i + 1 < sections.len())
            .filter(|&i| {
                let pair = (sections[i].name, sections[i + 1].name);
                pair == (a, b) || pair == (b, a)
            })
            .map(|i| shift(i).abs_diff(shift(i + 1)) as u8)
            .max()
            .unwrap_or(0)
    }

    /// Builds section `name`'s model and hands it to `f`. Written neighbours bind its edges;
    /// with `lookahead`, a neighbour still to come (or the section's own varied repeat) keeps
    /// only the edge notes it could follow or lead to, checked exactly on that neighbour's own
    /// model.
    fn with_model<T>(
        &self,
        name: SectionName,
        lookahead: bool,
        shape: Option<&Shape>,
        f: &mut dyn FnMut(&LineModel) -> T,
    ) -> T {
        let slots = self.slots_in_piece(name);
        let fixed = match shape {
            Some(shape) => shape.clone(),
            None => self.notes_kept_from_base(name, slots.len()),
        };
        let (low, high) = self.part.range_in(name.letter);
        let mut edges = self.neighbour_bounds(name, &fixed, slots.len(), lookahead);
        edges
            .allowed_at
            .extend(self.way_into_varied_repeat(name, lookahead));
        // A section still to come between this one's end and its return (A X A) must find a
        // way from this last note to this first note: the two are tied, through its model.
        if let Some(ends) = self.tie_repeat_edges(name, lookahead, (low, high)) {
            match fixed.first().copied().flatten() {
                Some(first) => edges.allowed_at.push((
                    slots.len().saturating_sub(1),
                    ends.into_iter()
                        .find(|(f, _)| *f == first.0)
                        .map(|e| e.1)
                        .unwrap_or_default(),
                )),
                None => edges.tied_edges = Some(ends),
            }
        }
        if let Some((_, tie)) = self.form_tie.as_ref().filter(|t| lookahead && t.0 == name) {
            match tie {
                FormTie::Lists(firsts, lasts) => {
                    edges.allowed_at.push((0, firsts.clone()));
                    (edges.allowed_at).push((slots.len().saturating_sub(1), lasts.clone()));
                }
                // Within the pairs the line could take anyway, so the tie replaces any other.
                FormTie::Pairs(pairs) => edges.tied_edges = Some(pairs.clone()),
            }
        }
        self.hand_model(name, &slots, fixed, edges, f)
    }

    /// The edges of section `name`, about to be written, that leave every section still to come
    /// a line (`whole_form`); `None` when looking one section ahead already keeps to them (the
    /// line is then drawn as before, note for note), or when the form cannot be met at all
    /// (the sections explain that themselves). Where the sections to come summed up by their
    /// lines in a default key leave it none, they are summed up without the key, which they may
    /// give way to as they are drawn: else the section, drawn looking one section ahead only,
    /// could close off a section two away (`folk tune, … form ABCDEA` in tests/conflicts.rs).
    fn whole_form_tie(&self, name: SectionName) -> Option<FormTie> {
        let mut names: Vec<SectionName> = Vec::new();
        for s in &self.plan.sections {
            let open =
                self.pitches_of(s.name).is_none() && !self.rhythm_of(s.name).slots.is_empty();
            if open && !names.contains(&s.name) {
                names.push(s.name);
            }
        }
        let x = names.iter().position(|n| *n == name)?;
        let joins = self.joins(&names);
        // One join to one other section is what looking one section ahead already keeps to.
        let alone = names.len() == 2 && joins.len() == 1 && joins[0].a.1 == Edge::Last;
        if alone || !joins.iter().any(|j| j.a.0 == x || j.b.0 == x) {
            return None;
        }
        let pairs: Vec<Pairs> = (names.iter())
            .map(|&n| self.pairs_of(n, n == name))
            .collect();
        let kept = whole_form::extendable(x, &pairs, &joins)?;
        if kept.is_empty() && !self.free_ties {
            // The key's lines of the sections to come leave this one none; theirs without the
            // key may, and the sampler gives way to it as they are written.
            return self.without_key_ties().whole_form_tie(name);
        }
        if kept.is_empty() || kept == pairs[x] {
            return None;
        }
        Some(match whole_form::is_product(&pairs[x], &kept) {
            true => FormTie::Lists(
                kept.iter().map(|(f, _)| *f).collect(),
                kept.iter().flat_map(|(_, l)| l.iter().copied()).collect(),
            ),
            false => FormTie::Pairs(kept),
        })
    }

    /// The joins between the sections `names` still to be written: each pair of neighbours in
    /// the form once (a section following itself is tied within its own pairs), and a varied
    /// repeat starting on its base's first note.
    fn joins(&self, names: &[SectionName]) -> Vec<Join> {
        let index = |n: SectionName| names.iter().position(|m| *m == n);
        let mut joins: Vec<Join> = Vec::new();
        for w in self.plan.sections.windows(2) {
            let (Some(a), Some(b)) = (index(w[0].name), index(w[1].name)) else {
                continue;
            };
            let leap = self.max_leap_between(w[0].name, w[1].name);
            let join = Join {
                a: (a, Edge::Last),
                b: (b, Edge::First),
                leap,
            };
            if a != b && leap < u8::MAX && !joins.contains(&join) {
                joins.push(join);
            }
        }
        for (b, n) in names.iter().enumerate() {
            let base = SectionName {
                varied: false,
                ..*n
            };
            if let Some(a) = index(base).filter(|_| n.varied)
                && self.rhythm_of(*n).notes_from_base > 0
            {
                joins.push(Join {
                    a: (a, Edge::First),
                    b: (b, Edge::First),
                    leap: 0,
                });
            }
        }
        joins
    }

    /// The (first, last) pairs of section `name`'s lines as the sampler would draw them (giving
    /// way to a default key as it does), with or without looking ahead.
    fn pairs_of(&self, name: SectionName, lookahead: bool) -> Pairs {
        let query = (name, lookahead);
        if let Some((_, pairs)) = self.pairs_seen.borrow().iter().find(|(q, _)| *q == query) {
            return pairs.clone();
        }
        let pairs = self.with_model(name, lookahead, None, &mut |m| {
            let pairs = match self.free_ties {
                true => Vec::new(),
                false => m.edge_pairs(self.part),
            };
            match pairs.is_empty() {
                true => m.edge_pairs(&self.part.without_default_key()),
                false => pairs,
            }
        });
        self.pairs_seen.borrow_mut().push((query, pairs.clone()));
        pairs
    }

    /// Section `name`'s slots at the ticks of its first appearance in the form.
    fn slots_in_piece(&self, name: SectionName) -> Vec<Slot> {
        let section = self
            .plan
            .sections
            .iter()
            .find(|s| s.name == name)
            .expect("a section of the form");
        let origin = self.plan.ticks_of(section).start;
        self.rhythm_of(name)
            .slots
            .iter()
            .map(|s| Slot {
                start: s.start + origin,
                ..*s
            })
            .collect()
    }

    /// The index of section `name`'s cadence among its notes starting at `starts` (ticks from
    /// the piece's start): see `Ending::cadence`.
    fn cadence(&self, name: SectionName, starts: impl DoubleEndedIterator<Item = u32>) -> usize {
        let section = self.plan.sections.iter().find(|s| s.name == name);
        let end = section.map_or(u32::MAX, |s| self.plan.ticks_of(s).end);
        let lead_in = match is_last_section(self.plan, name) {
            true => 0,
            false => self.writer.lead_in(),
        };
        Ending::cadence(starts, end, lead_in)
    }

    /// The notes a varied repeat keeps from its base (unknown while the base is not written);
    /// none for any other section.
    fn notes_kept_from_base(&self, name: SectionName, n: usize) -> Vec<Option<Pitch>> {
        let from_base = self.rhythm_of(name).notes_from_base;
        let base = SectionName {
            varied: false,
            ..name
        };
        match self.pitches_of(base).filter(|_| name.varied) {
            Some(w) => (0..n)
                .map(|i| (i < from_base).then(|| w.pitches[i]))
                .collect(),
            None if name.varied && from_base > 0 => vec![None; n],
            None => Vec::new(),
        }
    }

    /// What the sections around each appearance of `name` (of `n` notes) ask of its edges.
    fn neighbour_bounds(
        &self,
        name: SectionName,
        fixed: &[Option<Pitch>],
        n: usize,
        lookahead: bool,
    ) -> EdgeBounds {
        let sections = &self.plan.sections;
        let mut edges = EdgeBounds::default();
        // Each neighbour once: a section that returns a thousand times between the same two
        // neighbours is bound by them once, so the cost stays linear in the form.
        let mut befores: Vec<SectionName> = Vec::new();
        let mut afters: Vec<SectionName> = Vec::new();
        for (k, s) in sections.iter().enumerate() {
            if s.name != name {
                continue;
            }
            if k > 0 && !befores.contains(&sections[k - 1].name) {
                befores.push(sections[k - 1].name);
            }
            if let Some(next) = sections.get(k + 1).filter(|n| !afters.contains(&n.name)) {
                afters.push(next.name);
            }
        }
        for before in befores {
            edges.lead_intervals = usize::from(!self.must_step_in(name));
            self.bound_by_predecessor(name, before, fixed, lookahead, &mut edges);
        }
        for next in afters {
            self.bound_by_successor(name, next, (fixed, n), lookahead, &mut edges);
        }
        edges
    }

    /// `name`'s first note stays within a leap of the last note of `before`, the section ahead
    /// of it in the form (or, while `before` is not written, of a note it could end on).
    fn bound_by_predecessor(
        &self,
        name: SectionName,
        before: SectionName,
        fixed: &[Option<Pitch>],
        lookahead: bool,
        edges: &mut EdgeBounds,
    ) {
        let leap = self.max_leap_between(name, before);
        if leap == u8::MAX {
            return;
        }
        if fixed.first().copied().flatten().is_none() {
            match self.pitches_of(before) {
                _ if before == name => edges.last_to_first = Some(leap),
                Some(w) => edges.before.extend(w.pitches.last().map(|p| (*p, leap))),
                None if lookahead => edges
                    .allowed_at
                    .push((0, self.reachable_edge(name, before, true))),
                None => {}
            }
        } else if before != name
            && let Some(w) = self.pitches_of(before)
        {
            // A first note already kept must still be in reach of what comes before.
            edges.before.extend(w.pitches.last().map(|p| (*p, leap)));
        }
    }

    /// `name`'s last note (of `n`) stays within a leap of the first note of `next`, the section
    /// after it in the form (or, while `next` is not written, of a note it could start on).
    fn bound_by_successor(
        &self,
        name: SectionName,
        next: SectionName,
        (fixed, n): (&[Option<Pitch>], usize),
        lookahead: bool,
        edges: &mut EdgeBounds,
    ) {
        let leap = self.max_leap_between(name, next);
        if leap == u8::MAX {
            return;
        }
        let first = fixed.first().copied().flatten();
        // A varied repeat of this section starts like it; one whose base is written starts on
        // its base's first note.
        let kept_start = self
            .rhythms
            .iter()
            .any(|r| r.name == next && r.notes_from_base > 0);
        let same_start = next == name
            || (next.letter == name.letter && next.varied && !name.varied && kept_start);
        let base = self
            .pitches_of(SectionName {
                varied: false,
                ..next
            })
            .filter(|_| kept_start);
        match self.pitches_of(next).or(base) {
            _ if same_start && first.is_none() => edges.last_to_first = Some(leap),
            // Following itself with its first note already fixed: a plain bound.
            _ if same_start => edges.after.extend(first.map(|p| (p, leap))),
            Some(w) => edges.after.extend(w.pitches.first().map(|p| (*p, leap))),
            None if lookahead => edges
                .allowed_at
                .push((n.saturating_sub(1), self.reachable_edge(name, next, false))),
            None => {}
        }
    }

    /// The pitches `name`'s edge could take that leave `neighbour` a way on: near one of the
    /// notes the neighbour can play at the edge it shares with `name` (its last when
    /// `ours_first`, else its first).
    fn reachable_edge(
        &self,
        name: SectionName,
        neighbour: SectionName,
        ours_first: bool,
    ) -> Vec<u8> {
        let query = (name, neighbour, ours_first);
        if let Some((_, edge)) = self.edges_seen.borrow().iter().find(|(q, _)| *q == query) {
            return edge.clone();
        }
        let edge = self.find_reachable_edge(name, neighbour, ours_first);
        self.edges_seen.borrow_mut().push((query, edge.clone()));
        edge
    }

    /// `reachable_edge`, found: a feasibility pass over the neighbour's own model.
    fn find_reachable_edge(
        &self,
        name: SectionName,
        neighbour: SectionName,
        ours_first: bool,
    ) -> Vec<u8> {
        let leap = self.max_leap_between(name, neighbour);
        let (low, high) = self.part.range_in(name.letter);
        // The neighbour's edge pairs (once per neighbour, shared with `whole_form_tie`).
        let pairs = self.pairs_of(neighbour, false);
        let mut edge: Vec<u8> = match ours_first {
            true => pairs.into_iter().flat_map(|(_, lasts)| lasts).collect(),
            false => pairs.into_iter().map(|(first, _)| first).collect(),
        };
        edge.sort_unstable();
        edge.dedup();
        (low.0..=high.0)
            .filter(|&v| edge.iter().any(|&y| v.abs_diff(y) <= leap))
            .collect()
    }

    /// The section's own varied repeat, still to come, must be able to go on from the last
    /// note it keeps: the pitches that note may take.
    fn way_into_varied_repeat(
        &self,
        name: SectionName,
        lookahead: bool,
    ) -> Option<(usize, Vec<u8>)> {
        let varied = SectionName {
            varied: true,
            ..name
        };
        let new_phrase_at = self
            .rhythms
            .iter()
            .find(|r| r.name == varied && r.notes_from_base > 0)
            .map(|r| r.notes_from_base)?;
        if name.varied || !lookahead || self.pitches_of(varied).is_some() {
            return None;
        }
        let continuations = self.with_model(varied, false, None, &mut |m| {
            m.feasible_at(self.part, new_phrase_at - 1)
        });
        Some((new_phrase_at - 1, continuations))
    }

    /// The first slot of the new phrase of `letter`'s varied repeat, if it keeps any notes.
    fn new_phrase_at(&self, letter: char) -> Option<usize> {
        self.rhythms
            .iter()
            .find(|r| r.name.letter == letter && r.name.varied && r.notes_from_base > 0)
            .map(|r| r.notes_from_base)
    }

    /// Section `name`'s model over `slots`, with its `fixed` notes and its `edges`, handed to
    /// `f`: the writer's classes, chords and preferences at each slot.
    fn hand_model<T>(
        &self,
        name: SectionName,
        slots: &[Slot],
        fixed: Vec<Option<Pitch>>,
        edges: EdgeBounds,
        f: &mut dyn FnMut(&LineModel) -> T,
    ) -> T {
        let (plan, writer) = (self.plan, self.writer);
        let ends_piece = is_last_section(plan, name);
        let cadence = self.cadence(name, slots.iter().map(|s| s.start));
        let preference = |i: usize, p: Pitch| {
            writer.preference(&slots[i], Ending::of(i, cadence, ends_piece), p)
        };
        let chords: Vec<Option<Chord>> = slots.iter().map(|s| writer.chord_at(s.start)).collect();
        let motion = |i: usize, x: u8, y: u8| {
            let j = (i + 1).min(slots.len() - 1);
            writer.motion(&slots[i], &slots[j], x, y)
        };
        let own_start = fixed.first().copied().flatten().is_none();
        let moves_into: Vec<[f64; 3]> = slots.iter().map(|s| writer.move_into_weights(s)).collect();
        let model = LineModel {
            plan,
            slots,
            section: name.letter,
            binds_start: own_start && plan.sections.first().is_some_and(|s| s.name == name),
            binds_end: ends_piece,
            before: edges.before,
            after: edges.after,
            allowed_at: edges.allowed_at,
            fixed,
            lead_intervals: edges.lead_intervals,
            opening_from_base: name.varied && self.rhythm_of(name).notes_from_base > 0,
            new_phrase_at: self.new_phrase_at(name.letter),
            last_to_first: edges.last_to_first,
            tied_edges: edges.tied_edges,
            motion: writer.moves_against_another().then_some(&motion as _),
            off_chord: writer.off_chord(),
            classes: (slots.iter())
                .map(|s| match self.keep_classes {
                    true => writer.classes(s),
                    false => PitchSet::CHROMATIC,
                })
                .collect(),
            chords,
            classes_origin: writer.classes_origin(),
            preference: &preference,
            move_weight: &|x, y| writer.move_weight(x, y),
            turns: writer.turns(),
            moves_into: &moves_into,
        };
        f(&model)
    }
}

/// What a section's neighbours in the form ask of its edges (fields as on `LineModel`).
#[derive(Default)]
struct EdgeBounds {
    before: Vec<(Pitch, u8)>,
    after: Vec<(Pitch, u8)>,
    allowed_at: Vec<(usize, Vec<u8>)>,
    lead_intervals: usize,
    last_to_first: Option<u8>,
    tied_edges: Option<Vec<(u8, Vec<u8>)>>,
}

/// The classes a melody's motifs move along: the part's own pitch set, or the key's scale.
fn melodic_scale(plan: &Plan, part: &PartPlan) -> PitchSet {
    let allowed = part.allowed(None);
    if allowed == PitchSet::CHROMATIC {
        plan.key.value.scale()
    } else if plan.key_drawn_for.is_some() {
        // A drawn key's chromatic colours are passing notes, not steps a motif moves along.
        allowed.intersect(plan.key.value.scale())
    } else {
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strain_ends_at_a_repeat_sign_or_at_the_pieces_end() {
        let closes = |form: &str, letter: char| {
            let plan = crate::plan_of(&format!("folk tune, form {form}")).unwrap();
            let section = plan.sections.iter().find(|s| s.name.letter == letter);
            closes_strain(&plan, section.unwrap().name)
        };
        // A verse running on into its chorus ends a phrase; the last section ends the piece.
        assert!(!closes("A B", 'A') && closes("A B", 'B'));
        assert!(!closes("A B A B", 'A'));
        // Played twice in a row (plainly or varied), or leading into a section that is.
        assert!(closes("A A B B", 'A') && closes("A A' B", 'A'));
        assert!(closes("A B B", 'A'));
    }
}
