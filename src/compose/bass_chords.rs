//! Chords drawn together with the bass's line, where its leap limit left no line under the
//! chords drawn first (`ChordsForBass`): one exact chain whose state at each chord is the chord
//! and the bass's last note under it. Backward filtering, forward sampling over that product
//! (notes/exact-sampling.md): the chords drawn always leave the bass a line, no retries, and
//! the cost is linear in chords.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Conflict;
use super::bass::BassWriter;
use super::chain::pick;
use super::harmony::{
    Candidate, Habits, candidates, check_user_cadence, chord_starts, chord_weights, move_between,
};
use super::rhythm::{BarsPlayed, Placement, Slot};
use super::sections::LineWriter;
use super::widen::SHORTEST;
use crate::presets::Harmony;
use crate::resolve::{ChordsForBass, Endpoint, GaveWay, PartPlan, PartRole, Pattern, Plan};
use crate::score::ChordSpan;
use crate::theory::{Chord, Pitch, PitchSet};

mod repeats;
mod varied;

use repeats::Distinct;

/// MIDI pitches 0–127 as the bits of one word.
type Pitches = u128;

/// The chord chain to draw: where each chord starts (the last lasting to `end`), the
/// candidates, each chord's weight per candidate and the weight of moving from candidate `x`
/// at chord `i` to `y` at `i + 1` (0 forbids either).
pub struct ChordChain<'a> {
    pub starts: &'a [u32],
    pub end: u32,
    pub chords: &'a [Chord],
    pub weights: &'a [Vec<f64>],
    pub transition: &'a dyn Fn(usize, u8, u8) -> f64,
}

/// The bass notes under each chord of `chain`, per candidate the pitches each may take, and
/// the bass's leap limit.
struct Notes {
    /// `masks[i][c]`: the pitches of each bass note under chord `i` as candidate `c`.
    masks: Vec<Vec<Vec<Pitches>>>,
    leap: u8,
}

/// The chords of `chain`, drawn so that `bass` has a line under them in its own rhythm, or
/// with `densest` in the densest its writer widens to before refusing (a sixteenth a note,
/// without a `rhythm` clause: more notes never hurt, a note may repeat): `None` when no choice
/// of the candidates leaves one (decided exactly, before any draw) or the bass's pattern is not
/// laid out chord by chord (a tumbao anticipates the next chord).
pub fn draw(
    plan: &Plan,
    bass: &PartPlan,
    chain: &ChordChain,
    densest: bool,
    rng: &mut impl RngCore,
) -> Option<Vec<u8>> {
    let notes = notes(plan, bass, chain, densest)?;
    let beta = backward(chain, &notes)?;
    forward(chain, &notes, &beta, rng)
}

/// Each bass note's pitches under each candidate, as the bass writer lays them out.
fn notes(plan: &Plan, bass: &PartPlan, chain: &ChordChain, densest: bool) -> Option<Notes> {
    let leap = bass.max_leap.as_ref()?.value;
    let bounds = spans_of(chain.starts, chain.end);
    let slots = whole_slots(plan, bass, (&bounds, chain.chords), densest)?;
    let under = under_chords(chain.starts, slots)?;
    let last = under.len() - 1;
    let masks = (under.iter().enumerate())
        .map(|(i, slots)| chord_masks(plan, bass, chain.chords, slots, (i == 0, i == last)))
        .collect();
    Some(Notes { masks, leap })
}

/// `slots` grouped by the chord starting at `starts` they sound: the one they start under,
/// or the next where they ring across its start (a tumbao's note on 4 anticipates it, as
/// `tumbao::arrival` reads it); `None` when a chord has no note of the bass.
fn under_chords(starts: &[u32], slots: Vec<Slot>) -> Option<Vec<Vec<Slot>>> {
    let mut under: Vec<Vec<Slot>> = vec![Vec::new(); starts.len()];
    for slot in slots {
        let mut i = starts
            .partition_point(|s| *s <= slot.start)
            .checked_sub(1)?;
        let rings_into = |s: &u32| *s < slot.start + slot.duration;
        if starts[i] != slot.start && starts.get(i + 1).is_some_and(rings_into) {
            i += 1;
        }
        under[i].push(slot);
    }
    (!under.iter().any(Vec::is_empty)).then_some(under)
}

/// Per candidate chord, the pitches of each bass note under it (`ends`: the chord opens,
/// closes the piece).
fn chord_masks(
    plan: &Plan,
    bass: &PartPlan,
    chords: &[Chord],
    slots: &[Slot],
    ends: (bool, bool),
) -> Vec<Vec<Pitches>> {
    // The rules at each note hang on where it sounds, not on the chord: read once per note.
    let borrows = (chords.iter()).any(|&c| super::harmony::borrowed_for_bass(plan, c));
    let free = borrows.then(|| bass.without_default_key());
    let rules: Vec<NoteRules> = (slots.iter())
        .map(|slot| NoteRules::at(plan, bass, free.as_ref(), slot))
        .collect();
    (chords.iter())
        .map(|&chord| slot_masks(plan, bass, &rules, chord, ends))
        .collect()
}

/// What the bass's rules say at one of its notes, whatever the chord above it.
struct NoteRules {
    /// The classes its pitch rules allow, and without the default key's scale (under a chord
    /// borrowed for the bass's first or last note).
    allowed: PitchSet,
    free: PitchSet,
    range: (Pitch, Pitch),
    /// Whether a section ends where the note does.
    closes: bool,
}

impl NoteRules {
    fn at(plan: &Plan, bass: &PartPlan, free: Option<&PartPlan>, slot: &Slot) -> NoteRules {
        let allowed = plan.allowed_at(bass, slot.start);
        NoteRules {
            allowed,
            free: free.map_or(allowed, |free| plan.allowed_at(free, slot.start)),
            range: plan.range_at(bass, slot.start),
            closes: plan.section_ends_at(slot.start + slot.duration),
        }
    }
}

/// The (start, end) of chords starting at `starts`, the last lasting to `end`.
fn spans_of(starts: &[u32], end: u32) -> Vec<(u32, u32)> {
    (0..starts.len())
        .map(|i| (starts[i], starts.get(i + 1).copied().unwrap_or(end)))
        .collect()
}

/// The bass's notes under chords sounding over `bounds` (start, end), all one chord (its rhythm
/// follows where the chords change, never which they are), or the densest its writer widens
/// to. The bounds need not touch: each distinct section of a form is laid out to its own end.
/// A tumbao is laid out section by section, as its writer lays it out, and only where it
/// strikes the same notes whichever of `chords` sound (where it may anticipate a chord hangs
/// on the chord's tones and the pitch rules): else `None`.
fn whole_slots(
    plan: &Plan,
    bass: &PartPlan,
    (bounds, chords): (&[(u32, u32)], &[Chord]),
    densest: bool,
) -> Option<Vec<Slot>> {
    if bounds.is_empty() || chords.is_empty() {
        return None;
    }
    if densest && bass.durations.is_none() {
        let slot = |k| Slot {
            start: k * SHORTEST,
            duration: SHORTEST,
        };
        let each = |&(start, end): &(u32, u32)| (start / SHORTEST..end / SHORTEST).map(slot);
        return Some(bounds.iter().flat_map(each).collect());
    }
    if !plays_tumbao(bass) {
        return laid_out(plan, bass, bounds, chords[0], None);
    }
    let by_section = |chord: Chord| {
        let each = (plan.sections.iter()).map(|s| laid_out(plan, bass, bounds, chord, Some(s)));
        each.collect::<Option<Vec<_>>>().map(|v| v.concat())
    };
    let slots = by_section(chords[0])?;
    let same = |&chord: &Chord| by_section(chord).as_ref() == Some(&slots);
    chords[1..].iter().all(same).then_some(slots)
}

/// Whether the bass plays a tumbao, whose note on 4 may anticipate the next chord.
fn plays_tumbao(bass: &PartPlan) -> bool {
    (bass.pattern.as_ref()).is_some_and(|p| p.value == Pattern::Tumbao)
}

/// The bass's notes under `chord` sounding over `bounds` (within `section` only, if given),
/// as its writer lays them out.
fn laid_out(
    plan: &Plan,
    bass: &PartPlan,
    bounds: &[(u32, u32)],
    chord: Chord,
    section: Option<&crate::resolve::Section>,
) -> Option<Vec<Slot>> {
    let (from, to) = section.map_or((0, plan.total_ticks()), |s| {
        let ticks = plan.ticks_of(s);
        (ticks.start, ticks.end)
    });
    let spans: Vec<ChordSpan> = (bounds.iter())
        .filter(|(start, _)| (from..to).contains(start))
        .map(|&(start, end)| ChordSpan { start, end, chord })
        .collect();
    // A repeat's section has no chords of its own here: its first playing's stand for it.
    if spans.is_empty() {
        return Some(Vec::new());
    }
    let writer = BassWriter {
        plan,
        part: bass,
        harmony: &spans,
        against: &[],
    };
    let bar = plan.bar_ticks();
    let whole = Placement {
        start_bar: from / bar,
        bars: (to - from) / bar,
        ends_piece: true,
        closes_strain: true,
    };
    // No draw: the rhythm's stream is never read.
    let unused = &mut ChaCha8Rng::seed_from_u64(0);
    (writer.rhythm(whole, &mut BarsPlayed::default(), unused)).ok()
}

/// The pitches of each bass note under `chord`, whose notes' rules are `rules`: a chord tone
/// (any note between a walking bass's beats), its root where the chord arrives if the bass
/// keeps its roots, within the range and the pitch rules; the piece's first and last notes as
/// the user wrote them (`ends`: the chord opens, closes the piece).
fn slot_masks(
    plan: &Plan,
    bass: &PartPlan,
    rules: &[NoteRules],
    chord: Chord,
    (first, last): (bool, bool),
) -> Vec<Pitches> {
    let borrowed = super::harmony::borrowed_for_bass(plan, chord);
    let walking = bass
        .pattern
        .as_ref()
        .is_some_and(|p| p.value == Pattern::Walking);
    (rules.iter().enumerate())
        .map(|(j, at)| {
            let allowed = if borrowed { at.free } else { at.allowed };
            let (low, high) = at.range;
            let mut classes = match (j, walking) {
                (0, _) => arrival(plan, bass, at, chord),
                (_, true) => PitchSet::CHROMATIC,
                (_, false) => chord.tone_set(),
            };
            classes = classes.intersect(allowed);
            let mut mask = in_classes(classes, low.0, high.0);
            if first && j == 0 {
                mask &= endpoint(bass.starts_on.as_ref().map(|e| e.value));
            }
            if last && j + 1 == rules.len() {
                mask &= endpoint(bass.ends_on.as_ref().map(|e| e.value));
            }
            mask
        })
        .collect()
}

/// The classes the bass takes where `chord` arrives, on a note whose rules are `at`, as
/// `BassWriter` asks for them.
fn arrival(plan: &Plan, bass: &PartPlan, at: &NoteRules, chord: Chord) -> PitchSet {
    if let Some(under) = chord.bass {
        return PitchSet::EMPTY.with(under.pitch_class());
    }
    let root = chord.root_class();
    let (low, high) = at.range;
    let in_range = in_classes(PitchSet::EMPTY.with(root), low.0, high.0) != 0;
    let user_pattern = bass.pattern.as_ref().is_some_and(|p| p.origin.is_user());
    // A chorale's bass under its melody takes any chord tone, closing on the root.
    let inverts = plan.harmony_habit == Harmony::Chorale
        && plan.part(PartRole::Melody).is_some()
        && !user_pattern;
    if bass.roots_at_changes && in_range && at.allowed.contains(root) && (at.closes || !inverts) {
        return PitchSet::EMPTY.with(root);
    }
    chord.tone_set()
}

/// Every MIDI pitch of each pitch class, as bits.
const OCTAVES: [Pitches; 12] = {
    let mut octaves = [0; 12];
    let mut p = 0;
    while p < 128 {
        octaves[p % 12] |= 1 << p;
        p += 1;
    }
    octaves
};

/// The pitches from `low` to `high` whose class is in `classes`.
fn in_classes(classes: PitchSet, low: u8, high: u8) -> Pitches {
    if low > high || low > 127 {
        return 0;
    }
    let below_high = match high {
        127.. => Pitches::MAX,
        h => (1 << (h + 1)) - 1,
    };
    let range = below_high & !((1 << low) - 1);
    let octaves = (classes.iter()).fold(0, |m: Pitches, pc| m | OCTAVES[pc.index() as usize]);
    range & octaves
}

/// The pitches a `starts on` / `ends on` allows (every pitch without one).
fn endpoint(end: Option<Endpoint>) -> Pitches {
    match end {
        None => Pitches::MAX,
        Some(Endpoint::Pitch(p)) => 1 << p.0.min(127),
        Some(Endpoint::Class(pc)) => OCTAVES[pc.index() as usize],
    }
}

/// The pitches within `leap` semitones of any in `m`.
fn widen(m: Pitches, leap: u8) -> Pitches {
    (0..=leap.min(127)).fold(0, |acc, d| acc | m << d | m >> d)
}

/// The last notes the bass can reach under one chord whose notes take `masks`, from the note
/// `from` before it (none at the piece's start).
fn reach(masks: &[Pitches], from: Option<u8>, leap: u8) -> Pitches {
    through(masks, from.map_or(!0, |p| widen(1 << p, leap)), leap)
}

/// The last notes the bass can reach under notes taking `masks` from any of `from` (already
/// within reach of the note before).
fn through(masks: &[Pitches], from: Pitches, leap: u8) -> Pitches {
    masks[1..]
        .iter()
        .fold(from & masks[0], |at, m| widen(at, leap) & m)
}

/// The bits set in `m`, low to high.
fn bits(mut m: Pitches) -> impl Iterator<Item = u8> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let p = m.trailing_zeros() as u8;
            m &= m - 1;
            p
        })
    })
}

/// One chord's weights of the ways on (`backward`): per candidate, the last notes the bass may
/// take under it and their weights in pitch order. Only those notes can weigh anything, and
/// keeping just them keeps a long piece's rows small (a few per chord, not 128).
struct Row {
    ends: Vec<Pitches>,
    /// Where each candidate's weights start in `weights`.
    from: Vec<usize>,
    weights: Vec<f64>,
}

impl Row {
    /// The row over `ends` whose weight at candidate `c`, note `p` is `dense[c * 128 + p]`
    /// divided by `scale`.
    fn new(ends: Vec<Pitches>, dense: &[f64], scale: f64) -> Row {
        let mut from = Vec::with_capacity(ends.len());
        let mut weights = Vec::new();
        for (c, &m) in ends.iter().enumerate() {
            from.push(weights.len());
            weights.extend(bits(m).map(|p| dense[c * 128 + p as usize] / scale));
        }
        Row {
            ends,
            from,
            weights,
        }
    }

    /// The weight of the ways on from candidate `c` with the bass's last note `p`.
    fn at(&self, c: usize, p: u8) -> f64 {
        let m = self.ends[c];
        if m >> p & 1 == 0 {
            return 0.0;
        }
        let below = (m & ((1 << p) - 1)).count_ones() as usize;
        self.weights[self.from[c] + below]
    }
}

/// `beta[i].at(c, p)`: the weight (scaled per chord) of every way on from chord `i` as
/// candidate `c` with the bass's last note under it `p`; `None` when no chord opens a line.
fn backward(chain: &ChordChain, notes: &Notes) -> Option<Vec<Row>> {
    let (n, k) = (chain.starts.len(), chain.chords.len());
    let ends_at = |i: usize| -> Vec<Pitches> {
        (0..k)
            .map(|c| reach_any(&notes.masks[i][c], notes.leap))
            .collect()
    };
    let mut dense = vec![1.0; k * 128];
    let mut rows = vec![Row::new(ends_at(n - 1), &dense, 1.0)];
    let mut on = vec![0.0; k * 128];
    for i in (0..n - 1).rev() {
        // The last notes the bass may take under chord i, per candidate.
        let ends = ends_at(i);
        let live = ends.iter().fold(0, |m, e| m | e);
        let next = rows.last().expect("the last chord's row is pushed first");
        // The weight on from each last note `p` under chord i, through candidate `d` at i + 1.
        on.fill(0.0);
        for d in 0..k {
            if chain.weights[i + 1][d] <= 0.0 {
                continue;
            }
            for p in bits(live) {
                let reached = reach(&notes.masks[i + 1][d], Some(p), notes.leap) & next.ends[d];
                let sum = bits(reached).fold(0.0, |s, q| s + next.at(d, q));
                on[d * 128 + p as usize] = chain.weights[i + 1][d] * sum;
            }
        }
        dense.fill(0.0);
        for c in 0..k {
            for d in 0..k {
                let t = (chain.transition)(i, c as u8, d as u8);
                if t > 0.0 {
                    for p in bits(ends[c]) {
                        dense[c * 128 + p as usize] += t * on[d * 128 + p as usize];
                    }
                }
            }
        }
        let top = dense.iter().copied().fold(0.0, f64::max);
        if top <= 0.0 {
            return None;
        }
        rows.push(Row::new(ends, &dense, top));
    }
    rows.reverse();
    Some(rows)
}

/// Every last note the bass may take under one chord, from any note before it.
fn reach_any(masks: &[Pitches], leap: u8) -> Pitches {
    reach(masks, None, leap)
}

/// The chords drawn chord by chord, each with the bass's last note under it, in proportion to
/// the weight of the ways on from it; `None` when no first chord has one (decided before any
/// draw: the first chord's choices all weigh nothing).
fn forward(
    chain: &ChordChain,
    notes: &Notes,
    beta: &[Row],
    rng: &mut impl RngCore,
) -> Option<Vec<u8>> {
    let k = chain.chords.len();
    let mut picks = Vec::with_capacity(beta.len());
    let mut from: Option<(u8, u8)> = None;
    for (i, row) in beta.iter().enumerate() {
        let mut options: Vec<(u8, u8)> = Vec::new();
        let mut weights: Vec<f64> = Vec::new();
        for d in 0..k {
            let t = from.map_or(1.0, |(c, _)| (chain.transition)(i - 1, c, d as u8));
            let w = t * chain.weights[i][d];
            if w <= 0.0 {
                continue;
            }
            for q in bits(reach(&notes.masks[i][d], from.map(|(_, p)| p), notes.leap)) {
                options.push((d as u8, q));
                weights.push(w * row.at(d, q));
            }
        }
        // Every choice after the first has a way on: `backward` weighed it.
        let chosen = options[pick(rng, &weights)?];
        picks.push(chosen.0);
        from = Some(chosen);
    }
    Some(picks)
}

/// The chords of the whole piece drawn together with the bass's line
/// (`ChordsForBass::Joined`, `Freed`), when the plan asks for it: over the whole piece at once
/// when every section plays once, else each distinct section once (`repeats`; a varied repeat
/// held to its base's bass notes, then, where that finds none, decided with its own, before
/// the next habit goes). The bass's habits give way first, one after the other as its writer lets them go (its roots,
/// its default range, the default key's scale), before no chords are found: a refusal. `None`
/// where the chords are drawn as ever (before the bass, or a varied repeat the exact decision
/// cannot say of: one that keeps none of its base's notes, or plays before it).
pub fn joined(plan: &Plan, rng: &mut impl RngCore) -> Option<Result<Vec<ChordSpan>, Conflict>> {
    let bass = plan.part(PartRole::Bass)?;
    let mut letters: Vec<char> = plan.sections.iter().map(|s| s.name.letter).collect();
    letters.sort_unstable();
    letters.dedup();
    let repeats = letters.len() < plan.sections.len();
    let varied = plan.sections.iter().any(|s| s.name.varied);
    if plan.chords_for_bass == ChordsForBass::Before {
        return None;
    }
    let habits = Habits::of(plan);
    let candidates = match candidates(plan) {
        Ok(candidates) => candidates,
        Err(conflict) => return Some(Err(conflict)),
    };
    let distinct = match distinct_sections(plan, &habits, &candidates) {
        Ok(distinct) => distinct,
        Err(conflict) => return Some(Err(conflict)),
    };
    let chords: Vec<Chord> = candidates.iter().map(|c| c.chord).collect();
    let parts = habits_going(bass);
    let spans = match repeats {
        true => {
            let transition = |d: &Distinct, i: usize, x: u8, y: u8| {
                move_between(plan, (&habits, &candidates), (&d.starts, d.end), i, (x, y))
            };
            let form = repeats::Form {
                plan,
                distinct: &distinct,
                chords: &chords,
                transition: &transition,
            };
            let picks = form_picks(&form, &parts, varied, rng)?;
            picks.map(|picks| over_form(plan, &distinct, &picks, &chords))
        }
        false => whole_piece(plan, (&habits, &candidates), &distinct, &parts, rng),
    };
    // Decided exactly: no chords drawn before the bass could do better. (Never shown: the
    // refusal given is the one over the chords drawn before the bass.)
    Some(spans.ok_or_else(no_line))
}

/// The chords of each distinct section, the bass's habits going one by one, in its own rhythm
/// then the densest; at each step held to a varied repeat's base's notes (`repeats::draw`,
/// sufficient only), then, where that finds none and the form has a varied repeat, decided
/// exactly (`repeats::draw_exact`), before the next habit goes: chords that keep a habit win
/// over chords found only once it is gone. `Some(None)` when none leaves the bass a line,
/// `None` when that cannot be said (the exact decision could not say, and nothing was found).
fn form_picks(
    form: &repeats::Form,
    parts: &[PartPlan],
    varied: bool,
    rng: &mut impl RngCore,
) -> Option<Option<Vec<Vec<u8>>>> {
    let mut unsure = false;
    for densest in [false, true] {
        for part in parts {
            if let Some(picks) = repeats::draw(form, part, densest, rng) {
                return Some(Some(picks));
            }
            if !varied {
                continue;
            }
            match repeats::draw_exact(form, part, densest, rng) {
                Some(Some(picks)) => return Some(Some(picks)),
                Some(None) => {}
                None => unsure = true,
            }
        }
    }
    (!unsure).then_some(None)
}

/// The joint chain's refusal (never shown: the refusal given is the one over the chords drawn
/// before the bass).
fn no_line() -> Conflict {
    Conflict {
        role: None,
        origins: Vec::new(),
        reason: "no chords leave the bass a line".into(),
    }
}

/// Each distinct section's chord chain, in the order they first play; a cadence the user asked
/// for that the last section's chords cannot hold is a refusal.
fn distinct_sections<'a>(
    plan: &'a Plan,
    habits: &Habits,
    candidates: &[Candidate],
) -> Result<Vec<Distinct<'a>>, Conflict> {
    let cadence: Vec<u8> = plan.cadence.value.degrees().iter().rev().copied().collect();
    let mut distinct: Vec<Distinct> = Vec::new();
    for section in &plan.sections {
        if distinct
            .iter()
            .any(|d| d.section.name.letter == section.name.letter)
        {
            continue;
        }
        let starts = chord_starts(plan, section);
        let ends_piece = plan.ends_with(section.name.letter);
        let user_cadence = ends_piece && plan.cadence.origin.is_user();
        if user_cadence {
            check_user_cadence(plan, candidates, starts.len(), &cadence)?;
        }
        let weights = chord_weights(
            plan,
            section,
            (candidates, habits),
            &starts,
            (&cadence, ends_piece, user_cadence),
        );
        let end = plan.ticks_of(section).end;
        distinct.push(Distinct {
            section,
            starts,
            end,
            weights,
        });
    }
    Ok(distinct)
}

/// The bass as its habits go, one after the other, as its writer lets them go: its roots
/// (a pattern the user wrote keeps them), its default range, the default key's scale.
fn habits_going(bass: &PartPlan) -> [PartPlan; 4] {
    let roots = match GaveWay::roots_may_give_way(bass) {
        true => GaveWay::BassRoots.apply(bass),
        false => bass.clone(),
    };
    let range = GaveWay::DefaultRange(PartRole::Bass).apply(&roots);
    let free = range.without_default_key();
    [bass.clone(), roots, range, free]
}

/// The chords of a piece whose sections each play once, drawn by one chain over it all (the
/// style's moves joining the sections too); `None` when none leaves the bass a line.
fn whole_piece(
    plan: &Plan,
    (habits, candidates): (&Habits, &[Candidate]),
    distinct: &[Distinct],
    parts: &[PartPlan],
    rng: &mut impl RngCore,
) -> Option<Vec<ChordSpan>> {
    let starts: Vec<u32> = distinct.iter().flat_map(|d| d.starts.clone()).collect();
    let weights: Vec<Vec<f64>> = distinct.iter().flat_map(|d| d.weights.clone()).collect();
    let end = plan.total_ticks();
    let transition = |i: usize, x: u8, y: u8| {
        move_between(plan, (habits, candidates), (&starts, end), i, (x, y))
    };
    let chords: Vec<Chord> = candidates.iter().map(|c| c.chord).collect();
    let chain = ChordChain {
        starts: &starts,
        end,
        chords: &chords,
        weights: &weights,
        transition: &transition,
    };
    // The bass's own rhythm first, then the densest its writer would widen to.
    let mut draw = |densest| (parts.iter()).find_map(|part| draw(plan, part, &chain, densest, rng));
    let picks = draw(false).or_else(|| draw(true))?;
    let spans = (0..starts.len()).map(|i| ChordSpan {
        start: starts[i],
        end: starts.get(i + 1).copied().unwrap_or(end),
        chord: chords[picks[i] as usize],
    });
    Some(spans.collect())
}

/// Every section's chords in the order of the form, a repeat's those of its first playing.
fn over_form(
    plan: &Plan,
    distinct: &[Distinct],
    picks: &[Vec<u8>],
    chords: &[Chord],
) -> Vec<ChordSpan> {
    let mut spans = Vec::new();
    for section in &plan.sections {
        let Some(x) = (distinct.iter()).position(|d| d.section.name.letter == section.name.letter)
        else {
            continue;
        };
        let d = &distinct[x];
        let shift = plan.ticks_of(section).start - plan.ticks_of(d.section).start;
        spans.extend((0..d.starts.len()).map(|i| ChordSpan {
            start: d.starts[i] + shift,
            end: d.starts.get(i + 1).copied().unwrap_or(d.end) + shift,
            chord: chords[picks[x][i] as usize],
        }));
    }
    spans
}

/// Whether `bass` may have a line under `harmony`, the chords drawn before it, with every
/// default its writer lets go given way (its roots, the style's note lengths, its default range
/// and key): `may_write_a_line` of the loosest bass its writer tries, so `Some(false)` proves
/// the writer refuses, without its tries.
pub fn may_have_a_line(plan: &Plan, bass: &PartPlan, harmony: &[ChordSpan]) -> Option<bool> {
    let mut loosest = bass.clone();
    if GaveWay::roots_may_give_way(bass) {
        loosest = GaveWay::BassRoots.apply(&loosest);
    }
    for way in GaveWay::after_key(bass) {
        loosest = way.apply(&loosest);
    }
    may_write_a_line(plan, &loosest, harmony)
}

/// Whether one try of the bass writer, with `bass` as it is (its default key giving way, as the
/// try lets it), may have a line under `harmony`, in its own rhythm or the densest it widens to.
/// A relaxation of the writer: the writer's line is one of this chain's (a widened rhythm's
/// line is the densest's with notes struck again), so `Some(false)` proves the try refuses.
/// Where sections repeat with the same chords, decided over the form, as the writer writes it
/// (a repeat plays its section's notes again: `repeats::decide`), else over the whole piece as
/// if no section repeated. `None` when the chain cannot say (no leap limit, a tumbao, note
/// lengths the user wrote).
pub fn may_write_a_line(plan: &Plan, bass: &PartPlan, harmony: &[ChordSpan]) -> Option<bool> {
    let user_lengths = bass.durations.as_ref().is_some_and(|d| d.origin.is_user());
    let tumbao = plays_tumbao(bass);
    if bass.max_leap.is_none() || user_lengths || tumbao || harmony.is_empty() {
        return None;
    }
    let free = bass.without_default_key();
    let mut chords: Vec<Chord> = Vec::new();
    for span in harmony {
        if !chords.contains(&span.chord) {
            chords.push(span.chord);
        }
    }
    let one_hot = |chord: Chord| -> Vec<f64> {
        (chords.iter())
            .map(|c| f64::from(u8::from(*c == chord)))
            .collect()
    };
    let distinct = distinct_of(plan, harmony, &one_hot);
    let no_moves = |_: &Distinct, _: usize, _: u8, _: u8| 1.0;
    for densest in [false, true] {
        let over_form = distinct.as_ref().and_then(|distinct| {
            let form = repeats::Form {
                plan,
                distinct,
                chords: &chords,
                transition: &no_moves,
            };
            repeats::decide(&form, &free, densest)
        });
        let found = match over_form {
            Some(found) => found,
            None => whole_piece_has_a_line(plan, &free, (harmony, &chords), &one_hot, densest)?,
        };
        // A line in the bass's own rhythm is enough: the densest need not be laid out.
        if found {
            return Some(true);
        }
    }
    Some(false)
}

/// `harmony` as its distinct sections' chains (each chord the one of `chords` that `one_hot`
/// weighs): `None` when no section repeats, or a repeat plays other chords than its first
/// playing (then the bass's line cannot be summed up by its distinct sections).
fn distinct_of<'a>(
    plan: &'a Plan,
    harmony: &[ChordSpan],
    one_hot: &dyn Fn(Chord) -> Vec<f64>,
) -> Option<Vec<Distinct<'a>>> {
    let mut distinct: Vec<Distinct> = Vec::new();
    let mut played: Vec<(char, Vec<ChordSpan>)> = Vec::new();
    for section in &plan.sections {
        let ticks = plan.ticks_of(section);
        // The spans run in order: the section's are found by halving, not by a scan each.
        let from = harmony.partition_point(|s| s.start < ticks.start);
        let to = harmony.partition_point(|s| s.start < ticks.end);
        let spans: Vec<ChordSpan> = (harmony[from..to].iter())
            .map(|s| ChordSpan {
                start: s.start - ticks.start,
                end: s.end - ticks.start,
                chord: s.chord,
            })
            .collect();
        let whole = spans.first()?.start == 0 && spans.last()?.end == ticks.end - ticks.start;
        if !whole {
            return None;
        }
        let letter = section.name.letter;
        if let Some((_, first)) = played.iter().find(|(l, _)| *l == letter) {
            if *first != spans {
                return None;
            }
            continue;
        }
        distinct.push(Distinct {
            section,
            starts: spans.iter().map(|s| s.start + ticks.start).collect(),
            end: ticks.end,
            weights: spans.iter().map(|s| one_hot(s.chord)).collect(),
        });
        played.push((letter, spans));
    }
    (distinct.len() < plan.sections.len()).then_some(distinct)
}

/// Whether `bass` has a line under `harmony` (each chord the one of `chords` that `one_hot`
/// weighs), as if no section repeated; `None` when a chord has no note of the bass.
fn whole_piece_has_a_line(
    plan: &Plan,
    bass: &PartPlan,
    (harmony, chords): (&[ChordSpan], &[Chord]),
    one_hot: &dyn Fn(Chord) -> Vec<f64>,
    densest: bool,
) -> Option<bool> {
    let starts: Vec<u32> = harmony.iter().map(|s| s.start).collect();
    let weights: Vec<Vec<f64>> = harmony.iter().map(|s| one_hot(s.chord)).collect();
    let chain = ChordChain {
        starts: &starts,
        end: plan.total_ticks(),
        chords,
        weights: &weights,
        transition: &|_, _, _| 1.0,
    };
    let notes = notes(plan, bass, &chain, densest)?;
    Some(backward(&chain, &notes).is_some_and(|beta| {
        (0..chords.len()).any(|c| {
            let opens = bits(reach_any(&notes.masks[0][c], notes.leap));
            weights[0][c] > 0.0 && opens.into_iter().any(|p| beta[0].at(c, p) > 0.0)
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(start: u32, duration: u32) -> Slot {
        Slot { start, duration }
    }

    /// One chord a bar over the whole of `plan`, the chord of degree `degree(bar)`.
    fn bar_chords(plan: &Plan, degree: impl Fn(u32) -> u8) -> Vec<ChordSpan> {
        let bar = plan.bar_ticks();
        let chord =
            |d| Chord::from_numeral(plan.key.value, d, 0, crate::theory::ChordQuality::Major);
        (0..plan.bars.value)
            .map(|b| ChordSpan {
                start: b * bar,
                end: (b + 1) * bar,
                chord: chord(degree(b)),
            })
            .collect()
    }

    #[test]
    fn a_repeated_section_dooms_a_bass_the_whole_piece_would_not() {
        // A plays twice, so its last note (E2, the piece's last) leads into its first (C2): 4
        // semitones, more than the limit. Read as one piece of two halves, a line exists.
        let source = "salsa in C major, 8 bars, form AA\n\
                      bass: no leaps larger than 2 semitones, walking, starts on C2, ends on E2";
        let plan = crate::plan_of(source).unwrap();
        let bass = plan.part(PartRole::Bass).unwrap();
        let harmony = bar_chords(&plan, |_| 1);
        let chords = [harmony[0].chord];
        let one_hot = |_: Chord| vec![1.0];
        let free = bass.without_default_key();
        let whole = whole_piece_has_a_line(&plan, &free, (&harmony, &chords), &one_hot, false);
        assert_eq!(whole, Some(true));
        assert_eq!(may_have_a_line(&plan, bass, &harmony), Some(false));
        // Ending on D2 it returns within the limit: a line.
        let near = crate::plan_of(&source.replace("E2", "D2")).unwrap();
        let bass = near.part(PartRole::Bass).unwrap();
        assert_eq!(may_have_a_line(&near, bass, &harmony), Some(true));
    }

    #[test]
    fn a_repeat_with_other_chords_is_read_as_one_piece() {
        let plan = crate::plan_of("salsa in C major, 8 bars, form AA").unwrap();
        let same = bar_chords(&plan, |b| [1, 4, 5, 1][b as usize % 4]);
        let one_hot = |_: Chord| vec![1.0];
        let distinct = distinct_of(&plan, &same, &one_hot).expect("A twice, the same chords");
        assert_eq!(distinct.len(), 1);
        assert_eq!(distinct[0].starts.len(), 4);
        let other = bar_chords(&plan, |b| [1, 4, 5, 1, 1, 4, 5, 5][b as usize]);
        assert!(distinct_of(&plan, &other, &one_hot).is_none());
    }

    #[test]
    fn a_note_ringing_across_a_change_sounds_the_next_chord() {
        // Chords at 0 and 1920; a tumbao strikes on the and of 2 and on 4, its note on 4 held
        // across the bar line into the next chord.
        let notes = vec![slot(720, 720), slot(1440, 1200), slot(2640, 1200)];
        let under = under_chords(&[0, 1920], notes).unwrap();
        assert_eq!(under[0], vec![slot(720, 720)]);
        assert_eq!(under[1], vec![slot(1440, 1200), slot(2640, 1200)]);
        // A note struck on the change is the chord's own; a chord with no note is none.
        let on = under_chords(&[0, 1920], vec![slot(0, 1920), slot(1920, 1920)]).unwrap();
        assert_eq!(on[1], vec![slot(1920, 1920)]);
        assert_eq!(under_chords(&[0, 960, 1920], vec![slot(0, 1920)]), None);
    }
}
