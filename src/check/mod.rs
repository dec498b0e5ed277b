//! The verifier: re-derives every hard constraint from the Plan and checks it on the Score.
//!
//! It shares no code with the composer beyond the Plan's own accessors, so a composer bug shows
//! up here as a violation instead of as wrong music.

use std::fmt;

use crate::parts::DRUM_CHANNEL;
use crate::resolve::{
    Drumming, Endpoint, Harmony, MostlyStepwise, PartPlan, PartRole, Pattern, Plan, Section,
    SectionName,
};
use crate::score::{ChordSpan, Note, Part, Score};
use crate::theory::{Pitch, PitchSet};

/// A hard constraint the Score breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub part: &'static str,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.part, self.message)
    }
}

/// Every violation of the Plan's hard constraints in the Score (empty when all hold).
pub fn check(score: &Score, plan: &Plan) -> Vec<Violation> {
    // Only defaults can give way, so every clause the user wrote is still checked.
    let plan = &*plan.as_composed(&score.gave_way);
    let mut out = Vec::new();
    let mut fail = |part: &'static str, message: String| out.push(Violation { part, message });
    if score.bars != plan.bars.value
        || score.meter != plan.meter_at(0)
        || score.tempo != plan.tempo_at(0)
    {
        fail(
            "piece",
            format!(
                "{} bars of {} at {} bpm, the plan asks for {} bars of {} at {} bpm",
                score.bars,
                score.meter,
                score.tempo,
                plan.bars.value,
                plan.meter_at(0),
                plan.tempo_at(0)
            ),
        );
    }
    check_changes(score, plan, &mut fail);
    check_harmony(score, plan, &mut fail);
    check_cadence(score, plan, &mut fail);
    let (doublings, parts): (Vec<&Part>, Vec<&Part>) = score.parts.iter().partition(|p| p.doubles);
    let roles: Vec<PartRole> = parts.iter().map(|p| p.role).collect();
    let planned: Vec<PartRole> = plan.parts.iter().map(|p| p.role).collect();
    if roles != planned {
        fail(
            "piece",
            format!("parts {roles:?}, the plan asks for {planned:?}"),
        );
    }
    for (part, part_plan) in parts.iter().zip(&plan.parts) {
        check_part(score, plan, part, part_plan, &mut fail);
    }
    check_doublings(score, plan, &doublings, &mut fail);
    out
}

/// Each instrument doubling a part plays that part's notes, in the order its line names them,
/// on a channel of its own that is not the drums' (so at most 16 channels in all).
fn check_doublings(
    score: &Score,
    plan: &Plan,
    doublings: &[&Part],
    fail: &mut impl FnMut(&'static str, String),
) {
    let asked: Vec<(PartRole, u8)> = (plan.parts.iter())
        .flat_map(|p| p.doubled_by.iter().map(|d| (p.role, d.value)))
        .collect();
    let played: Vec<(PartRole, u8)> = doublings.iter().map(|p| (p.role, p.program)).collect();
    if played != asked {
        fail(
            "piece",
            format!("doubling {played:?}, the plan asks for {asked:?}"),
        );
    }
    let mut channels: Vec<u8> = score.parts.iter().map(|p| p.channel).collect();
    channels.sort_unstable();
    channels.dedup();
    for part in doublings {
        let doubled = score
            .parts
            .iter()
            .find(|p| p.role == part.role && !p.doubles);
        if doubled.is_none_or(|d| d.notes != part.notes) {
            fail(
                part.name(),
                "a doubling plays other notes than its part".into(),
            );
        }
        if part.channel == DRUM_CHANNEL {
            fail(part.name(), "a doubling plays on the drums' channel".into());
        }
    }
    if channels.len() != score.parts.len() || channels.iter().any(|c| *c > 15) {
        fail("piece", "two parts share a MIDI channel".into());
    }
}

/// One part against its plan: how it is played, then its notes.
fn check_part(
    score: &Score,
    plan: &Plan,
    part: &Part,
    part_plan: &PartPlan,
    fail: &mut impl FnMut(&'static str, String),
) {
    check_setup(score, plan, part, part_plan, fail);
    if part.role == PartRole::Drums {
        check_drum_grid(score, part_plan, part, fail);
        return;
    }
    check_pitches(score, plan, part, part_plan, fail);
    check_intervals(part, part_plan, fail);
    check_endpoints(part, part_plan, fail);
    match part.role {
        PartRole::Melody | PartRole::CounterMelody => check_monophonic(part, fail),
        PartRole::Bass => {
            check_monophonic(part, fail);
            check_bass(score, plan, part, fail);
        }
        PartRole::Chords => check_chord_tones(score, part, fail),
        PartRole::Drums => {}
    }
}

/// The part's program, timing, form, channel and note lengths.
fn check_setup(
    score: &Score,
    plan: &Plan,
    part: &Part,
    part_plan: &PartPlan,
    fail: &mut impl FnMut(&'static str, String),
) {
    let name = part.name();
    if part.program != part_plan.program.value {
        fail(
            name,
            format!(
                "program {}, the plan asks for {}",
                part.program, part_plan.program.value
            ),
        );
    }
    check_timing(part, score.total_ticks(), fail);
    check_form(score, plan, part, fail);
    if part.channel != part.role.channel() {
        fail(
            name,
            format!(
                "on channel {}, not {}",
                part.channel + 1,
                part.role.channel() + 1
            ),
        );
    }
    if let Some(allowed) = &part_plan.durations
        && let Some(note) = part
            .notes
            .iter()
            .find(|n| !allowed.value.contains(&n.duration))
    {
        fail(
            name,
            format!(
                "a note at tick {} lasts {} ticks, not an allowed length",
                note.start, note.duration
            ),
        );
    }
}

/// The Plan's tick for a Score's: the Plan counts from bar 1 in the piece's meter, and a
/// pickup belongs to it; a bar in another meter is the Plan's bar of the same number.
fn plan_tick(score: &Score, plan: &Plan, tick: u32) -> u32 {
    let bar = score.bar_at(tick);
    let into = tick.saturating_sub(score.bar_start(bar));
    bar * plan.bar_ticks() + into.min(plan.bar_ticks() - 1)
}

/// Semitones the Plan's section sounding at the Score's `tick` lies above the piece's key.
fn shift_at(score: &Score, plan: &Plan, tick: u32) -> i32 {
    let bar = score.bar_at(tick).min(plan.bars.value - 1);
    plan.shift_at(bar) as i32
}

/// Every bar in the key, meter and tempo of its section.
fn check_changes(score: &Score, plan: &Plan, fail: &mut impl FnMut(&'static str, String)) {
    for bar in 0..plan.bars.value {
        let (key, tempo) = (plan.key_at(bar), plan.tempo_at(bar));
        let meter = plan.meter_at(bar);
        if score.key_at(bar) != key || score.tempo_at(bar) != tempo || score.meter_at(bar) != meter
        {
            fail(
                "piece",
                format!(
                    "bar {} is in {} {} at {} bpm, the plan asks for {key} {meter} at {tempo} bpm",
                    bar + 1,
                    score.key_at(bar),
                    score.meter_at(bar),
                    score.tempo_at(bar)
                ),
            );
        }
    }
}

/// Every note within its range and among its allowed pitch classes, where it sounds.
fn check_pitches(
    score: &Score,
    plan: &Plan,
    part: &Part,
    part_plan: &PartPlan,
    fail: &mut impl FnMut(&'static str, String),
) {
    let name = part.name();
    for note in &part.notes {
        let (low, high) = plan.range_at(part_plan, plan_tick(score, plan, note.start));
        if note.pitch < low || note.pitch > high {
            fail(
                name,
                format!(
                    "{} at tick {} is outside the range {}–{}",
                    note.pitch.0, note.start, low.0, high.0
                ),
            );
        }
        // A section in another key keeps its pitch rules moved with it (each is a scale).
        let allowed = plan.allowed_at(part_plan, plan_tick(score, plan, note.start));
        let shift = shift_at(score, plan, note.start);
        if !allowed.contains(note.pitch.class().transpose(-shift)) {
            fail(
                name,
                format!(
                    "{} at tick {} is not an allowed pitch class",
                    note.pitch.0, note.start
                ),
            );
        }
    }
}

/// The line's largest leap and, under `mostly stepwise`, its share of steps.
fn check_intervals(part: &Part, part_plan: &PartPlan, fail: &mut impl FnMut(&'static str, String)) {
    let name = part.name();
    let line: Vec<&Note> = part.notes.iter().collect();
    let intervals: Vec<u8> = line
        .windows(2)
        .map(|w| w[0].pitch.distance(w[1].pitch))
        .collect();
    if let Some(max) = &part_plan.max_leap
        && let Some(i) = intervals.iter().position(|d| *d > max.value)
    {
        fail(
            name,
            format!(
                "a leap of {} semitones at tick {} (at most {})",
                intervals[i],
                line[i + 1].start,
                max.value
            ),
        );
    }
    if part_plan.mostly_stepwise.is_some() {
        let steps = intervals
            .iter()
            .filter(|d| MostlyStepwise::is_step(**d))
            .count();
        if !MostlyStepwise::holds(steps, intervals.len()) {
            fail(
                name,
                format!(
                    "{steps} of {} intervals are steps, fewer than {}%",
                    intervals.len(),
                    MostlyStepwise::PERCENT
                ),
            );
        }
    }
}

/// The first and last notes the part's `starts on` and `ends on` ask for.
fn check_endpoints(part: &Part, part_plan: &PartPlan, fail: &mut impl FnMut(&'static str, String)) {
    let ends = [
        ("first", part_plan.starts_on.as_ref(), part.notes.first()),
        ("last", part_plan.ends_on.as_ref(), part.notes.last()),
    ];
    for (which, wanted, note) in ends {
        if let (Some(wanted), Some(note)) = (wanted, note) {
            let ok = match wanted.value {
                Endpoint::Class(pc) => note.pitch.class() == pc,
                Endpoint::Pitch(p) => note.pitch == p,
            };
            if !ok {
                fail(
                    part.name(),
                    format!(
                        "the {which} note is {}, not the one asked for",
                        note.pitch.0
                    ),
                );
            }
        }
    }
}

fn check_harmony(score: &Score, plan: &Plan, fail: &mut impl FnMut(&'static str, String)) {
    // The chords start on bar 1's downbeat, after any pickup.
    let mut at = score.pickup;
    for span in &score.harmony {
        if span.start != at || span.end <= span.start {
            fail(
                "harmony",
                format!("a gap or overlap at tick {}", span.start),
            );
        }
        at = span.end;
    }
    if at != score.total_ticks() {
        fail(
            "harmony",
            format!(
                "the chords stop at tick {at}, the piece at {}",
                score.total_ticks()
            ),
        );
    }
    if plan.progression.is_some() {
        // The harmony was checked gap-free and in order above, so binary search finds a start.
        for bar in 0..plan.bars.value {
            // A section in another key plays the user's numerals in that key.
            let shift = plan.shift_at(bar) as i32;
            let home = |c: crate::theory::Chord| (c.root_class().transpose(-shift), c.quality);
            for (start, chord) in plan.user_bar(bar).unwrap_or_default() {
                let start = score.bar_start(bar) + start - bar * plan.bar_ticks();
                let i = score.harmony.partition_point(|s| s.start < start);
                let played = score.harmony.get(i).filter(|s| s.start == start);
                let same = match shift {
                    0 => played.is_some_and(|s| s.chord == chord),
                    _ => {
                        played.is_some_and(|s| home(s.chord) == (chord.root_class(), chord.quality))
                    }
                };
                if !same {
                    fail(
                        "harmony",
                        format!("bar {} lacks the chord {chord} the user wrote", bar + 1),
                    );
                }
            }
        }
    }
}

fn check_timing(part: &Part, total: u32, fail: &mut impl FnMut(&'static str, String)) {
    for note in &part.notes {
        if note.duration == 0 || note.end() > total {
            fail(
                part.name(),
                format!(
                    "a note at tick {} ends at {} (piece ends at {total})",
                    note.start,
                    note.end()
                ),
            );
        }
    }
    if part
        .notes
        .windows(2)
        .any(|w| (w[0].start, w[0].pitch) > (w[1].start, w[1].pitch))
    {
        fail(part.name(), "notes are out of order".into());
    }
    for (i, a) in part.notes.iter().enumerate() {
        let overlapping = part.notes[i + 1..].iter().take_while(|b| b.start < a.end());
        if let Some(b) = overlapping.into_iter().find(|b| b.pitch == a.pitch) {
            fail(
                part.name(),
                format!("two {}s overlap at tick {}", a.pitch.0, b.start),
            );
        }
    }
}

/// Repeated sections repeat their music exactly (a varied repeat, all but its last phrase).
/// The piece's last bar gives a pickup's time back, so a section ending the piece is compared
/// up to where the piece ends; the chords part may strike the piece's last chord whole (an
/// Alberti figure closes on a held chord), so there it is compared up to that chord.
fn check_form(
    score: &Score,
    plan: &Plan,
    part: &Part,
    fail: &mut impl FnMut(&'static str, String),
) {
    let total = match (part.role, score.harmony.last()) {
        (PartRole::Chords, Some(last)) => last.start.min(score.total_ticks()),
        _ => score.total_ticks(),
    };
    let length = |s: &Section, bars: u32| {
        let from = score.bar_start(s.start_bar);
        score
            .bar_start(s.start_bar + bars)
            .min(total)
            .saturating_sub(from)
    };
    // A repeat in another key is the same music moved: compared in the piece's key.
    let relative = |s: &Section, length: u32| -> Vec<(u32, i32, u32)> {
        let from = score.bar_start(s.start_bar);
        let shift = if part.role == PartRole::Drums {
            0
        } else {
            plan.shift_at(s.start_bar) as i32
        };
        let i = part.notes.partition_point(|n| n.start < from);
        part.notes[i..]
            .iter()
            .take_while(|n| n.start < from + length)
            .map(|n| {
                (
                    n.start - from,
                    n.pitch.0 as i32 - shift,
                    n.duration.min(from + length - n.start),
                )
            })
            .collect()
    };
    // Each section against the first of its name and the first of its letter: sameness
    // carries over, so every pair is covered, in time linear in the sections.
    let first = |same: &dyn Fn(&Section) -> bool| plan.sections.iter().position(same);
    let mut firsts: Vec<(SectionName, usize, usize)> = Vec::new();
    for (k, b) in plan.sections.iter().enumerate() {
        let (by_name, by_letter) = match firsts.iter().find(|f| f.0 == b.name) {
            Some(f) => (f.1, f.2),
            None => {
                let by_name = first(&|s: &Section| s.name == b.name).unwrap_or(k);
                let by_letter = first(&|s: &Section| s.name.letter == b.name.letter).unwrap_or(k);
                firsts.push((b.name, by_name, by_letter));
                (by_name, by_letter)
            }
        };
        let mut earlier = vec![by_name, by_letter];
        earlier.dedup();
        for a in earlier
            .into_iter()
            .filter(|&i| i < k)
            .map(|i| &plan.sections[i])
        {
            let varied = a.name.varied != b.name.varied;
            let bars = if varied { a.kept_bars() } else { a.bars };
            let length = length(a, bars).min(length(b, bars));
            if relative(a, length) != relative(b, length) {
                fail(
                    part.name(),
                    format!(
                        "section {} at bar {} does not repeat bar {}'s music",
                        b.name.letter,
                        b.start_bar + 1,
                        a.start_bar + 1
                    ),
                );
            }
        }
    }
}

fn check_monophonic(part: &Part, fail: &mut impl FnMut(&'static str, String)) {
    if let Some(w) = part.notes.windows(2).find(|w| w[1].start < w[0].end()) {
        fail(
            part.name(),
            format!("two notes sound at once at tick {}", w[1].start),
        );
    }
}

/// The bass sounds a chord tone at the start of every chord: the root where it is allowed and
/// its range holds one.
/// The chords part plays only tones of the chord sounding.
fn check_chord_tones(score: &Score, part: &Part, fail: &mut impl FnMut(&'static str, String)) {
    for note in &part.notes {
        if !score
            .chord_at(note.start)
            .is_some_and(|c| c.tone_set().contains(note.pitch.class()))
        {
            fail(
                "chords",
                format!(
                    "{} at tick {} is not a tone of the chord",
                    note.pitch.0, note.start
                ),
            );
        }
    }
}

/// A drum step grid the user wrote sounds exactly, every bar.
fn check_drum_grid(
    score: &Score,
    part_plan: &PartPlan,
    part: &Part,
    fail: &mut impl FnMut(&'static str, String),
) {
    let Some(Drumming::Grid(rows)) = part_plan.drumming.as_ref().map(|d| &d.value) else {
        return;
    };
    let mut wanted: Vec<(u32, u8)> = Vec::new();
    for bar in 0..score.bars {
        let bar_ticks = score.meter_at(bar).bar_ticks();
        for (key, steps) in rows {
            let step = bar_ticks / steps.len() as u32;
            wanted.extend(
                steps
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v > 0)
                    .map(|(i, _)| (score.bar_start(bar) + i as u32 * step, *key))
                    .filter(|(t, _)| *t < score.total_ticks()),
            );
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    let played: Vec<(u32, u8)> = part.notes.iter().map(|n| (n.start, n.pitch.0)).collect();
    if played != wanted {
        fail(
            "drums",
            format!("{} hits, the grid asks for {}", played.len(), wanted.len()),
        );
    }
}

/// A cadence the user asked for ends the piece.
fn check_cadence(score: &Score, plan: &Plan, fail: &mut impl FnMut(&'static str, String)) {
    if !plan.cadence.origin.is_user() {
        return;
    }
    // The cadence closes in the key the piece ends in.
    let key = plan.key_at(plan.bars.value - 1);
    let degrees: Vec<Option<u8>> = score
        .harmony
        .iter()
        .map(|c| key.degree_of(c.chord.root_class()))
        .collect();
    let ok = plan.cadence.value.closes(&degrees);
    if !ok {
        fail(
            "harmony",
            format!(
                "the piece does not end with the {:?} cadence asked for",
                plan.cadence.value
            ),
        );
    }
}

fn check_bass(
    score: &Score,
    plan: &Plan,
    part: &Part,
    fail: &mut impl FnMut(&'static str, String),
) {
    let Some(bass_plan) = plan.part(PartRole::Bass) else {
        return;
    };
    // A chorale's bass takes its chords' thirds too (language.md), unless asked for roots.
    let chorale = plan.harmony_habit == Harmony::Chorale
        && bass_plan
            .pattern
            .as_ref()
            .is_none_or(|p| !p.origin.is_user());
    let tumbao = (bass_plan.pattern.as_ref()).is_some_and(|p| p.value == Pattern::Tumbao);
    for span in &score.harmony {
        // A range that holds no note of the root's class leaves the chord's other tones.
        let tick = plan_tick(score, plan, span.start);
        // A section played in another key is composed in a range that fits every key it plays
        // in: where that range holds a root is where it sounds, moved.
        let letter = plan.section_at_tick(tick).name.letter;
        let shift = shift_at(score, plan, span.start);
        let (low, high) = plan.home_range(bass_plan, letter);
        let home_root = span.chord.root_class().transpose(-shift);
        let root_allowed = plan.allowed_at(bass_plan, tick).contains(home_root)
            && (low..=high).any(|p| p >= 0 && Pitch(p as u8).class() == home_root)
            && bass_plan.roots_at_changes
            && !chorale;
        // A slash chord's bass is the user's: that note and no other.
        let wanted = if let Some(bass) = span.chord.bass {
            PitchSet::EMPTY.with(bass.pitch_class())
        } else if root_allowed {
            PitchSet::EMPTY.with(span.chord.root_class())
        } else {
            span.chord.tone_set()
        };
        let sounding = if tumbao {
            tumbao_arrival(&part.notes, span)
        } else {
            let i = part.notes.partition_point(|n| n.start < span.start);
            part.notes.get(i).filter(|n| n.start == span.start)
        };
        if !sounding.is_some_and(|n| wanted.contains(n.pitch.class())) {
            fail(
                "bass",
                format!(
                    "no {} at the start of {} (tick {})",
                    match (span.chord.bass, root_allowed) {
                        (Some(_), _) => "slash chord's bass",
                        (None, true) => "root",
                        (None, false) => "chord tone",
                    },
                    span.chord,
                    span.start
                ),
            );
        }
    }
}

/// The tumbao's bass note for a chord (language.md): the one sounding at its start, struck
/// before it (an anticipation); where the bass rests on the chord's first beat, the first one
/// struck inside the chord.
fn tumbao_arrival<'a>(notes: &'a [Note], span: &ChordSpan) -> Option<&'a Note> {
    let i = notes.partition_point(|n| n.start <= span.start);
    let before = i.checked_sub(1).map(|k| &notes[k]);
    before
        .filter(|n| n.end() > span.start)
        .or_else(|| notes.get(i).filter(|n| n.start < span.end))
}
