//! Compose: seeded sampling of rhythm, harmony, melody, bass and accompaniment into a Score.
//!
//! Every random choice comes from a ChaCha8 stream of its own, derived from the seed and the
//! stage's name, so adding or changing one part never changes the music of another.

mod accompaniment;
mod bass;
mod bass_chords;
pub mod chain;
mod chorale;
mod comping;
mod drums;
mod explain;
mod harmony;
pub mod line;
mod melody;
mod meters;
mod phrase;
mod pickup;
mod restate;
pub mod rhythm;
mod sections;
mod songs;
mod tumbao;
mod whole_form;
mod widen;

use rand_chacha::ChaCha8Rng;

use crate::models::BarRhythm;
use crate::resolve::{
    ChordsForBass, Endpoint, GaveWay, Origin, PartPlan, PartRole, Pattern, Plan, Sourced,
};
use crate::score::{ChordSpan, Note, Part, Score};
use crate::streams::draw_by_tunes;
pub use crate::streams::stream;
use crate::theory::PitchSet;

/// No music satisfies these user clauses together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub role: Option<PartRole>,
    /// The user clauses that conflict (a minimal set where it could be found).
    pub origins: Vec<Origin>,
    pub reason: String,
}

/// Deletion-based minimal conflict: drop each clause in turn, keeping it dropped while the rest
/// are still unsatisfiable. What remains is a minimal conflicting set (n + 1 checks).
pub fn minimal_conflict<T: Clone + PartialEq>(
    origins: Vec<T>,
    unsatisfiable: impl Fn(&[T]) -> bool,
) -> Vec<T> {
    let mut kept = origins.clone();
    for origin in &origins {
        let without: Vec<T> = kept.iter().filter(|o| *o != origin).cloned().collect();
        if unsatisfiable(&without) {
            kept = without;
        }
    }
    kept
}

thread_local! {
    /// Whether a refusal is explained (`deciding` turns it off).
    static EXPLAINING: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Whether a refusal found now is explained: not while `deciding`.
fn explaining() -> bool {
    EXPLAINING.with(|e| e.get())
}

/// `decide` run where only whether it is refused matters (the deletion filter over a
/// program's clauses asks that of many programs): a line that cannot be written is not
/// explained, which costs a deletion filter of its own. Nothing else changes: whether a
/// program composes never hangs on an explanation.
pub fn deciding<T>(decide: impl FnOnce() -> T) -> T {
    /// Restores the flag, even when `decide` panics (the library contains panics).
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            EXPLAINING.with(|e| e.set(self.0));
        }
    }
    let _restore = Restore(EXPLAINING.with(|e| e.replace(false)));
    decide()
}

/// Composes the piece from `plan`, which it only reads. Where a default key's scale alone rules
/// out what the user asked of a line, that line is written without it, and the Score records
/// that the default gave way. A song's habits (`songs::with_habits`) give way the same way.
/// Sections in other keys are composed in the piece's key and moved there at the end;
/// sections in other meters or modes are composed on their own and set in (`meters`).
///
/// A part that cannot be written does not stop the others: every conflict that names clauses
/// none before it named is reported (a melody's and an unrelated bass's, each on its own).
/// When the parts cannot be written in a style's form (a first section that returns must start
/// near where the piece ends), the form gives way to one section (`Plan::in_one_section`).
///
/// A bass that cannot be written because the style's opening tonic or closing cadence holds
/// no tone of its first or last note (`bass: starts on E2` in D major) has them give way to
/// chords that hold it (`Plan::with_bass_ends_in_chords`).
pub fn compose(plan: &Plan, seed: u64, title: &str) -> Result<Score, Vec<Conflict>> {
    let joins = plan.with_chords_for_bass(ChordsForBass::Joined).is_some();
    if !explaining() || !joins {
        return bass_end_chords(plan, seed, title)
            .or_else(|conflicts| chords_for_bass(plan, seed, title, conflicts));
    }
    // Where the chords may give way to the bass, the tries before that are decided without
    // explaining their refusals (a deletion filter each, over the whole piece): their refusal is
    // shown only when every try after them fails too, and is explained then. An explanation
    // never changes what a try composes, so every piece is as before.
    deciding(|| bass_end_chords(plan, seed, title))
        .or_else(|conflicts| chords_for_bass(plan, seed, title, conflicts))
        .or_else(|_| bass_end_chords(plan, seed, title))
}

/// A bass whose leap limit the user wrote and that still cannot be written has the style's
/// chords give way to its line: drawn together with it, so that they always leave it one
/// (`ChordsForBass::Joined`), then so with the opening tonic and the style's cadence no longer
/// binding (`Freed`). Each try is an exact decision, so the seed never decides a refusal.
fn chords_for_bass(
    plan: &Plan,
    seed: u64,
    title: &str,
    conflicts: Vec<Conflict>,
) -> Result<Score, Vec<Conflict>> {
    if !conflicts.iter().any(|c| c.role == Some(PartRole::Bass)) {
        return Err(conflicts);
    }
    let bass = plan.part(PartRole::Bass);
    if bass.is_none_or(|bass| user_rules_out_an_end(plan, bass)) {
        return Err(conflicts);
    }
    for (mode, ways) in chords_for_bass_tries(plan) {
        let Some(joined) = plan.with_chords_for_bass(mode) else {
            break;
        };
        let joined = joined.as_composed(ways).into_owned();
        if let Ok(mut score) = form_giving_way(&joined, seed, title) {
            if joined.bass_ends_in_chords && !plan.bass_ends_in_chords {
                score.gave_way.push(GaveWay::BassEndChords);
            }
            score
                .gave_way
                .extend(ways.iter().copied().chain([GaveWay::ChordsForBass]));
            return Ok(score);
        }
    }
    Err(conflicts)
}

/// The ways the chords make room for the bass's line, in order: drawn with it, the preset
/// opening and closing chords no longer binding, then the style's bass pattern walking, the
/// style's harmonic rhythm a chord a beat, both (a pattern or rhythm the user wrote stays).
fn chords_for_bass_tries(plan: &Plan) -> Vec<(ChordsForBass, &'static [GaveWay])> {
    let bass = plan.part(PartRole::Bass);
    let pattern = bass.and_then(|b| b.pattern.as_ref());
    let walks = pattern.is_none_or(|p| !p.origin.is_user() && p.value != Pattern::Walking);
    let beats = !plan.harmonic_rhythm.origin.is_user();
    let freed = ChordsForBass::Freed;
    let tries: [(ChordsForBass, &'static [GaveWay], bool); 5] = [
        (ChordsForBass::Joined, &[], true),
        (freed, &[], true),
        (freed, &[GaveWay::BassWalks], walks),
        (freed, &[GaveWay::ChordEveryBeat], beats),
        (
            freed,
            &[GaveWay::BassWalks, GaveWay::ChordEveryBeat],
            walks && beats,
        ),
    ];
    (tries.into_iter())
        .filter(|t| t.2)
        .map(|(mode, ways, _)| (mode, ways))
        .collect()
}

/// `compose` before the chords give way to the bass's line.
fn bass_end_chords(plan: &Plan, seed: u64, title: &str) -> Result<Score, Vec<Conflict>> {
    form_giving_way(plan, seed, title).or_else(|conflicts| {
        let bass = conflicts.iter().any(|c| c.role == Some(PartRole::Bass));
        let moves = bass && harmony::bass_ends_would_move(plan);
        let Some(around) = plan.with_bass_ends_in_chords().filter(|_| moves) else {
            return Err(conflicts);
        };
        let mut score = form_giving_way(&around, seed, title).map_err(|_| conflicts)?;
        score.gave_way.push(GaveWay::BassEndChords);
        Ok(score)
    })
}

/// `compose`, the style's form giving way where the parts cannot be written in it.
fn form_giving_way(plan: &Plan, seed: u64, title: &str) -> Result<Score, Vec<Conflict>> {
    compose_in_form(plan, seed, title).or_else(|conflicts| {
        let Some(one) = plan.in_one_section() else {
            return Err(conflicts);
        };
        let mut score = compose_in_form(&one, seed, title).map_err(|_| conflicts)?;
        score.gave_way.push(GaveWay::StyleForm);
        Ok(score)
    })
}

/// `compose` in the plan's own form.
fn compose_in_form(plan: &Plan, seed: u64, title: &str) -> Result<Score, Vec<Conflict>> {
    let home = songs::in_home_key(plan).map_err(|c| vec![c])?;
    let composing = home.as_ref().unwrap_or(plan);
    let in_meters = |plan: &Plan| {
        let score = compose_in_one_key(plan, seed, title, true)?;
        let section = |sub: &Plan, seed| compose_in_one_key(sub, seed, title, false);
        meters::set_in(plan, score, seed, &section)
    };
    let score = match songs::with_habits(composing) {
        Some(habits) => in_meters(&habits).or_else(|_| in_meters(composing))?,
        None => in_meters(composing)?,
    };
    Ok(songs::moved(plan, score))
}

/// The piece with every section in the piece's key, with a pickup where the style draws one
/// and `pickup` allows it (a piece whose meter changes has none: its bars are set anew).
fn compose_in_one_key(
    plan: &Plan,
    seed: u64,
    title: &str,
    pickup: bool,
) -> Result<Score, Vec<Conflict>> {
    // Each style has streams of its own, so that two styles never share a tune.
    let style = plan.style.value.name;
    let restated = restate::pattern(plan, seed);
    let mut rng = stream(seed, &format!("{style}/harmony"));
    // Chords drawn with the bass where the plan asks for it, else as ever.
    let harmony = match bass_chords::joined(plan, &mut rng) {
        Some(joined) => joined,
        None => harmony::harmony(plan, restated, &mut rng),
    }
    .map_err(|c| vec![c])?;
    if let Some(doomed) = doomed_bass(plan, &harmony) {
        return Err(vec![doomed]);
    }
    let pickup = pickup && plan.letters_on_their_own().is_empty();
    let pickup = pickup.then(|| pickup::draw(plan, seed)).flatten();
    let mut parts: Vec<Part> = Vec::new();
    let mut gave_way = Vec::new();
    let mut conflicts: Vec<Conflict> = Vec::new();
    // The chords are written last: a chorale's inner voices sit between its melody and bass.
    let mut order: Vec<&PartPlan> = plan.parts.iter().collect();
    order.sort_by_key(|p| p.role == PartRole::Chords);
    for part in order {
        let written = (&harmony[..], &parts[..], pickup.as_ref());
        let (notes, gave) = match part_giving_way(plan, part, written, seed) {
            Ok(written) => written,
            Err(conflict) => {
                if independent(&conflicts, &conflict) {
                    conflicts.push(conflict);
                }
                continue;
            }
        };
        gave_way.extend(gave);
        parts.push(Part {
            role: part.role,
            program: part.program.value,
            channel: part.role.channel(),
            doubles: false,
            notes,
            dynamics: dynamics(plan, part),
        });
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    parts.sort_by_key(|p| plan.parts.iter().position(|q| q.role == p.role));
    let score = Score {
        title: title.to_string(),
        key: plan.key.value,
        meter: plan.meter.value,
        tempo: plan.tempo.value,
        bars: plan.bars.value,
        seed,
        swing: plan.swing.as_ref().map(|s| s.value),
        pickup: 0,
        sections: plan
            .sections
            .iter()
            .map(|s| (s.start_bar, s.name))
            .collect(),
        changes: Vec::new(),
        hairpins: Vec::new(),
        harmony,
        parts,
        gave_way,
    };
    let mut score = match &pickup {
        Some(rhythm) => pickup::with_pickup(plan, score, rhythm, melody::model_of(plan), seed),
        None => score,
    };
    score.parts = with_doublings(plan, std::mem::take(&mut score.parts));
    Ok(score)
}

/// Where only whether it is refused matters (`deciding`), a bass the chords leave no line
/// (`bass_chords::may_have_a_line`) refuses the piece up front, before any part is written and
/// without its writer's tries, each an exact decision over the whole piece.
fn doomed_bass(plan: &Plan, harmony: &[ChordSpan]) -> Option<Conflict> {
    let bass = plan.part(PartRole::Bass).filter(|_| !explaining())?;
    (bass_chords::may_have_a_line(plan, bass, harmony) == Some(false)).then(|| Conflict {
        role: Some(PartRole::Bass),
        origins: bass.user_origins(),
        reason: String::new(),
    })
}

/// Each part followed by the instruments doubling it (`melody: violin and flute`): the same
/// notes on a track of their own, on the channels the parts and the drums leave free.
fn with_doublings(plan: &Plan, parts: Vec<Part>) -> Vec<Part> {
    let mut free = crate::parts::DOUBLING_CHANNELS.into_iter();
    let mut out = Vec::with_capacity(parts.len());
    for (part, part_plan) in parts.into_iter().zip(&plan.parts) {
        let doublings: Vec<Part> = (part_plan.doubled_by.iter())
            .zip(free.by_ref())
            .map(|(program, channel)| Part {
                program: program.value,
                channel,
                doubles: true,
                ..part.clone()
            })
            .collect();
        out.push(part);
        out.extend(doublings);
    }
    out
}

/// Whether `conflict` names none of the clauses an earlier one named: a clause shared by two
/// parts (`using only F#` on the piece's line) is one conflict, reported once.
fn independent(earlier: &[Conflict], conflict: &Conflict) -> bool {
    earlier.iter().all(|e| {
        let shared = e.origins.iter().any(|o| conflict.origins.contains(o));
        let both_unnamed = e.origins.is_empty() && conflict.origins.is_empty();
        !(shared || both_unnamed)
    })
}

/// One part's notes and the defaults that gave way for them: the default key's scale (within
/// a line, section by section), then, when the part cannot be written at all, the style's
/// note lengths and the part's default range (`GaveWay::after_key`), one after the other, each
/// try drawn from fresh streams, so a part that keeps its defaults sounds as before. A bass
/// that cannot be written even so lets its roots at chord changes go, and tries again
/// (`bass: stepwise` cannot step from root to root over the style's chords).
///
/// A bass's try that its joint chain with the chords proves refused
/// (`bass_chords::may_write_a_line`) is not run, unless it is the last, whose refusal is the
/// one given: each try takes fresh streams, so skipping a refused one changes no note, and a
/// refused try over a long form costs every widening of its rhythm.
fn part_giving_way(
    plan: &Plan,
    part: &PartPlan,
    written: (&[ChordSpan], &[Part], Option<&BarRhythm>),
    seed: u64,
) -> Result<(Vec<Note>, Vec<GaveWay>), Conflict> {
    let mut tries = defaults_giving_way(plan, part, Vec::new());
    if GaveWay::roots_may_give_way(part) {
        let freed = GaveWay::BassRoots.apply(part);
        tries.extend(defaults_giving_way(plan, &freed, vec![GaveWay::BassRoots]));
    }
    let last = tries.len() - 1;
    let mut refusal = None;
    for (i, (relaxed, gave_way)) in tries.into_iter().enumerate() {
        let refused = || bass_chords::may_write_a_line(plan, &relaxed, written.0) == Some(false);
        if i < last && relaxed.role == PartRole::Bass && refused() {
            continue;
        }
        match part_notes(plan, &relaxed, written, seed) {
            Ok((notes, key)) => return Ok((notes, with_key(part, key, gave_way))),
            Err(again) => refusal = Some(again),
        }
    }
    Err(refusal.expect("the last try runs"))
}

/// Whether the user's own clauses rule out `part`'s first or last note, whatever default gives
/// way: its class outside the user's pitch rules, or its pitch outside the user's range. Then
/// only the last try of `defaults_giving_way` runs, whose refusal is the one given anyway (a
/// refused bass tried every default's giving way, each costing a chain over the keyboard).
pub(super) fn user_rules_out_an_end(plan: &Plan, part: &PartPlan) -> bool {
    // A chord the user wrote lets its tones into the key, and a section may change the key.
    let user_chords = (0..plan.bars.value).any(|bar| plan.user_bar(bar).is_some());
    if user_chords || !plan.section_rules.is_empty() || !part.section_ranges.is_empty() {
        return false;
    }
    let allowed = (part.pitch_rules.iter())
        .filter(|r| r.origin.is_user())
        .fold(PitchSet::CHROMATIC, |set, r| set.intersect(r.allows(None)));
    let (low, high) = part.range.value;
    let outside = |e: &Sourced<Endpoint>| {
        let out_of_range = match e.value {
            Endpoint::Pitch(p) => part.range.origin.is_user() && (p < low || p > high),
            Endpoint::Class(_) => false,
        };
        e.origin.is_user() && (!allowed.contains(e.value.class()) || out_of_range)
    };
    part.starts_on.iter().chain(&part.ends_on).any(outside)
}

/// The tries of `part_giving_way` after the defaults already `gone`, in order, each with
/// the defaults gone for it: the part as it is, then each of its defaults after the key given
/// way (only the last, where the user's own clauses rule out an end whatever gives way).
fn defaults_giving_way(
    plan: &Plan,
    part: &PartPlan,
    gone: Vec<GaveWay>,
) -> Vec<(PartPlan, Vec<GaveWay>)> {
    if user_rules_out_an_end(plan, part) {
        let last = (GaveWay::after_key(part).into_iter()).fold(part.clone(), |p, w| w.apply(&p));
        return vec![(last, gone)];
    }
    let mut tries = vec![(part.clone(), gone.clone())];
    let mut relaxed = part.clone();
    let mut gave_way = gone;
    for way in GaveWay::after_key(part) {
        relaxed = way.apply(&relaxed);
        gave_way.push(way);
        tries.push((relaxed.clone(), gave_way.clone()));
    }
    tries
}

/// `gave_way` after the default key, when it gave way too.
fn with_key(part: &PartPlan, key: bool, gave_way: Vec<GaveWay>) -> Vec<GaveWay> {
    let key = key.then_some(GaveWay::DefaultKey(part.role));
    key.into_iter().chain(gave_way).collect()
}

/// One part's notes, each part from streams of its own; and whether a default key gave way.
/// A counter-melody is written against the melody among the parts `written`; a melody leaves
/// room at its end for the pickup.
fn part_notes(
    plan: &Plan,
    part: &PartPlan,
    (harmony, written, pickup): (&[ChordSpan], &[Part], Option<&BarRhythm>),
    seed: u64,
) -> Result<(Vec<Note>, bool), Conflict> {
    let name = format!("{}/{}", plan.style.value.name, part.role.name());
    let mut rhythm_rng = stream(seed, &format!("{name}/rhythm"));
    let mut pitch_rng = stream(seed, &format!("{name}/pitch"));
    let pickup = match (part.role, pickup) {
        (PartRole::Melody, Some(rhythm)) => &rhythm[..],
        _ => &[],
    };
    let rhythms = rhythm::learned(plan, seed);
    let melody_writer = melody::MelodyWriter::new(plan, part, harmony, (pickup, rhythms), seed);
    Ok(match part.role {
        PartRole::Melody => {
            line_notes(plan, part, &melody_writer, &mut rhythm_rng, &mut pitch_rng)?
        }
        PartRole::CounterMelody => {
            let against = written
                .iter()
                .find(|p| p.role == PartRole::Melody)
                .map_or(&[][..], |p| &p.notes[..]);
            let writer = melody::CounterWriter {
                melody: melody_writer,
                against,
            };
            line_notes(plan, part, &writer, &mut rhythm_rng, &mut pitch_rng)?
        }
        PartRole::Bass => {
            let writer = bass::BassWriter {
                plan,
                part,
                harmony,
                against: written
                    .iter()
                    .find(|p| p.role == PartRole::Melody)
                    .map_or(&[][..], |p| &p.notes[..]),
            };
            line_notes(plan, part, &writer, &mut rhythm_rng, &mut pitch_rng)?
        }
        PartRole::Chords => match chorale::outer_voices(plan, part, written) {
            Some(outer) => (chorale::inner_voices(plan, part, harmony, outer)?, false),
            None => accompaniment::chords(plan, part, harmony)?,
        },
        PartRole::Drums => (drums::drums(plan, part), false),
    })
}

/// A line part over the whole form, as notes.
fn line_notes(
    plan: &Plan,
    part: &PartPlan,
    writer: &dyn sections::LineWriter,
    rhythm_rng: &mut ChaCha8Rng,
    pitch_rng: &mut ChaCha8Rng,
) -> Result<(Vec<Note>, bool), Conflict> {
    let (line, relaxed) = sections::write_line(plan, part, writer, rhythm_rng, pitch_rng)?;
    let notes = line
        .into_iter()
        .map(|(s, pitch)| Note {
            start: s.start,
            duration: s.duration,
            pitch,
            velocity: velocity(plan, part, s.start),
        })
        .collect();
    Ok((notes, relaxed))
}

/// The loudness of a part at `tick`: its dynamics, its section's `louder`/`softer` and its
/// `crescendo`/`diminuendo`.
fn level(plan: &Plan, part: &PartPlan, tick: u32) -> i32 {
    const LEVELS: [i32; 8] = [30, 42, 55, 68, 80, 94, 106, 118];
    let section = plan.section_at_tick(tick);
    let rules = plan.rules_of(section.name.letter);
    let section_steps = rules
        .and_then(|r| r.dynamics.as_ref())
        .map_or(0, |d| d.value as i32);
    // A hairpin gains (or loses) a step of 12 evenly from the section's start to its end.
    let hairpin = rules.and_then(|r| r.hairpin.as_ref()).map_or(0, |h| {
        let ticks = plan.ticks_of(&section);
        let into = (tick - ticks.start) as i64;
        (12 * h.value as i64 * into / (ticks.end - ticks.start).max(1) as i64) as i32
    });
    LEVELS[(part.dynamics.value.clamp(1, 8) - 1) as usize]
        + 12 * section_steps
        + hairpin
        + swell(plan, tick)
}

/// A style that swells (film) rises from three steps under its level to three over it, evenly
/// over the piece.
fn swell(plan: &Plan, tick: u32) -> i32 {
    if !plan.style.value.crescendo {
        return 0;
    }
    let total = plan.total_ticks().max(1) as i64;
    (-36 + 72 * tick.min(plan.total_ticks()) as i64 / total) as i32
}

/// The part's dynamic level (1 to 8) from each section where it changes: its own dynamics
/// and the section's `louder`/`softer`, as `level` plays them.
fn dynamics(plan: &Plan, part: &PartPlan) -> Vec<(u32, u8)> {
    let mut out: Vec<(u32, u8)> = Vec::new();
    for section in &plan.sections {
        let steps = plan
            .rules_of(section.name.letter)
            .and_then(|r| r.dynamics.as_ref())
            .map_or(0, |d| d.value as i32);
        let level = (part.dynamics.value as i32 + steps).clamp(1, 8) as u8;
        if out.last().is_none_or(|(_, l)| *l != level) {
            out.push((plan.ticks_of(section).start, level));
        }
    }
    out
}

/// MIDI velocity of a note: the part's dynamics, the section's `louder`/`softer`, an accent by
/// metric position and an arc over the phrase.
fn velocity(plan: &Plan, part: &PartPlan, tick: u32) -> u8 {
    let meter = plan.meter.value;
    let base = level(plan, part, tick);
    let accent = 4 * meter.strength(tick % meter.bar_ticks()) as i32;
    // Each phrase swells towards its middle and relaxes into its cadence (up to 6 steps).
    let phrase = plan.phrase_ticks();
    let at = (tick % phrase) as i32;
    let arc = 6 - (12 * (at - phrase as i32 / 2)).abs() / phrase as i32;
    (base + accent + arc - 9).clamp(1, 127) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_key_that_gives_way_is_recorded_on_the_score_not_written_into_the_plan() {
        let plan = crate::plan_of("folk tune, 8 bars\nmelody: ends on F").unwrap();
        let before = plan.part(PartRole::Melody).unwrap().clone();
        let score = compose(&plan, 0, "t").unwrap();
        assert_eq!(score.gave_way, [GaveWay::DefaultKey(PartRole::Melody)]);
        assert_eq!(plan.part(PartRole::Melody), Some(&before));
        assert!(crate::check::check(&score, &plan).is_empty());
        let kept = crate::plan_of("folk tune, 8 bars\nmelody: ends on A").unwrap();
        assert!(compose(&kept, 0, "t").unwrap().gave_way.is_empty());
    }
}
