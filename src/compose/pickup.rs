//! The anacrusis: a melody starts before bar 1 as often as real tunes of its kind do, with a
//! pickup rhythm they use, and its last bar gives the time back (`N bars` still last N bars).

use rand::RngCore;

use super::chain::pick;
use super::stream;
use crate::models::{BarRhythm, MelodyModel};
use crate::resolve::{PartPlan, PartRole, Plan, SectionName};
use crate::score::{ChordSpan, Note, Score};
use crate::theory::Pitch;

/// The pickup's rhythm, if the melody's style has pickups to draw from and its rules leave the
/// pickup free: no `starts on` (the pickup would be the first note), no leap limit and no
/// `mostly stepwise` (they count the intervals into bar 1), no note lengths asked for. Drawn
/// before the music, from a stream of its own, so the rest of the music keeps its streams.
pub fn draw(plan: &Plan, seed: u64) -> Option<BarRhythm> {
    plan.part(PartRole::Melody)
        .filter(|p| leaves_pickup_free(p))?;
    let rhythms = super::rhythm::learned(plan, seed)?;
    let mut rng = stream(seed, &format!("{}/melody/pickup", plan.style.value.name));
    let weights: Vec<f64> = rhythms.pickups.iter().map(|(_, n)| *n).collect();
    pick(&mut rng, &weights).and_then(|i| rhythms.pickups[i].0.clone())
}

/// `score` with the pickup `rhythm` before bar 1, its notes drawn to lead into the first, the
/// last bar giving its time back; or as it is, where the ending leaves no time to give back.
pub fn with_pickup(
    plan: &Plan,
    mut score: Score,
    rhythm: &BarRhythm,
    model: &MelodyModel,
    seed: u64,
) -> Score {
    let Some(part) = plan.part(PartRole::Melody) else {
        return score;
    };
    let mut rng = stream(
        seed,
        &format!("{}/melody/pickup-notes", plan.style.value.name),
    );
    let ticks: u32 = rhythm.iter().map(|n| n.ticks).sum();
    let melody = score.parts.iter().find(|p| p.role == PartRole::Melody);
    let (Some(first), Some(last)) = (
        melody.and_then(|m| m.notes.first()),
        melody.and_then(|m| m.notes.last()),
    ) else {
        return score;
    };
    // The last bar gives the pickup's time back: the melody's last note must outlast it, and
    // no chord nor counter-melody note (whose last note may be asked for) may start in the
    // time given back. The accompaniment's last strokes there are dropped.
    let end = score.total_ticks();
    let starts_late = |start: u32| start + ticks >= end;
    let counter = score
        .part(PartRole::CounterMelody)
        .map_or(&[][..], |p| &p.notes[..]);
    // A bass asked to end on a note keeps it (a walking bass's last beat starts late).
    let bass_end = plan
        .part(PartRole::Bass)
        .is_some_and(|b| b.ends_on.is_some());
    let bass = (score.part(PartRole::Bass).filter(|_| bass_end)).map_or(&[][..], |p| &p.notes);
    if last.end() != end
        || last.duration <= ticks
        || score.harmony.iter().any(|s| starts_late(s.start))
        || counter.iter().chain(bass).any(|n| starts_late(n.start))
    {
        return score;
    }
    let count = rhythm.iter().filter(|n| !n.rest).count();
    let Some(pitches) = pitches(plan, (part, 0), model, (None, first.pitch), count, &mut rng)
    else {
        return score;
    };
    let velocity = first.velocity;
    shift(&mut score, ticks);
    let mut at = 0;
    let mut upbeat = Vec::new();
    let mut pitches = pitches.into_iter();
    for n in rhythm {
        if !n.rest {
            let pitch = pitches.next().expect("a pitch per note");
            upbeat.push(Note {
                start: at,
                duration: n.ticks,
                pitch,
                velocity,
            });
        }
        at += n.ticks;
    }
    let melody = score
        .parts
        .iter_mut()
        .find(|p| p.role == PartRole::Melody)
        .expect("the melody is there");
    upbeat.append(&mut melody.notes);
    melody.notes = upbeat;
    score.pickup = ticks;
    lead_back(plan, (part, model), &mut score, rhythm, &mut rng);
    score
}

/// Where the last section is played more than once in a row (AABB), its earlier times end as
/// the other sections do (`rhythm::line_rhythm`): the held last note cut short by the pickup's
/// rhythm, drawn to lead back into the section's first note. Where another section follows an
/// earlier time (AABA), the times would lead on differently and no longer repeat: they stay
/// as they are.
fn lead_back(
    plan: &Plan,
    (part, model): (&PartPlan, &MelodyModel),
    score: &mut Score,
    rhythm: &BarRhythm,
    rng: &mut impl RngCore,
) {
    let ticks = score.pickup;
    let Some(&(_, last_name)) = score.sections.last() else {
        return;
    };
    let times: Vec<&[(u32, SectionName)]> = score
        .sections
        .windows(2)
        .filter(|w| w[0].1 == last_name)
        .collect();
    if times.iter().any(|w| w[1].1 != last_name) {
        return;
    }
    let ends: Vec<u32> = times.iter().map(|w| score.bar_start(w[1].0)).collect();
    let count = rhythm.iter().filter(|n| !n.rest).count();
    let melody = score
        .parts
        .iter_mut()
        .find(|p| p.role == PartRole::Melody)
        .expect("the melody is there");
    for end in ends {
        let notes = &mut melody.notes;
        let held = notes.partition_point(|n| n.start < end);
        let (Some(last), Some(next)) = (held.checked_sub(1), notes.get(held)) else {
            continue;
        };
        if notes[last].end() != end || notes[last].duration <= ticks {
            continue;
        }
        let (at, between) = (
            (part, end - 2 * ticks),
            (Some(notes[last].pitch), next.pitch),
        );
        let Some(pitches) = pitches(plan, at, model, between, count, rng) else {
            continue;
        };
        notes[last].duration -= ticks;
        let velocity = notes[last].velocity;
        let mut start = end - ticks;
        let mut pitches = pitches.into_iter();
        let lead: Vec<Note> = rhythm
            .iter()
            .filter_map(|n| {
                let note = (!n.rest).then(|| Note {
                    start,
                    duration: n.ticks,
                    pitch: pitches.next().expect("a pitch per note"),
                    velocity,
                });
                start += n.ticks;
                note
            })
            .collect();
        notes.splice(held..held, lead);
    }
}

fn leaves_pickup_free(part: &PartPlan) -> bool {
    part.starts_on.is_none()
        && part.max_leap.is_none()
        && part.mostly_stepwise.is_none()
        && part.durations.is_none()
}

/// `count` pitches leading into `next`, drawn backwards with the learned moves among the
/// pitches the melody's rules allow at `tick` of the plan; the first of them moving on from
/// the note `before` them, or at the piece's start weighed as tunes begin.
fn pitches(
    plan: &Plan,
    (part, tick): (&PartPlan, u32),
    model: &MelodyModel,
    (before, next): (Option<Pitch>, Pitch),
    count: usize,
    rng: &mut impl RngCore,
) -> Option<Vec<Pitch>> {
    let (low, high) = plan.range_at(part, tick);
    let allowed = plan.allowed_at(part, tick);
    let domain: Vec<u8> = (low.0..=high.0)
        .filter(|p| allowed.contains(Pitch(*p).class()))
        .collect();
    let tonic = plan.key.value.tonic_class().index();
    let mut out = vec![next];
    for k in (0..count).rev() {
        let to = out.last().expect("a note to lead into").0;
        let weights: Vec<f64> = domain
            .iter()
            .map(|&p| {
                let opening = match (k, before) {
                    (0, Some(before)) => model.move_weight(tonic, before.0, p),
                    (0, None) => {
                        model.first_weight(tonic, p) * model.start_weight((low.0, high.0), p)
                    }
                    _ => 1.0,
                };
                model.move_weight(tonic, p, to) * opening
            })
            .collect();
        out.push(Pitch(domain[pick(rng, &weights)?]));
    }
    out.remove(0);
    out.reverse();
    Some(out)
}

/// Moves every note and chord `ticks` later and cuts what would sound past the piece's end.
fn shift(score: &mut Score, ticks: u32) {
    let end = score.total_ticks();
    for part in &mut score.parts {
        for (tick, _) in part.dynamics.iter_mut().skip(1) {
            *tick += ticks;
        }
        part.notes.retain_mut(|n| {
            n.start += ticks;
            n.duration = n.duration.min(end.saturating_sub(n.start));
            n.start < end
        });
    }
    score.harmony.retain_mut(|span: &mut ChordSpan| {
        span.start += ticks;
        span.end = (span.end + ticks).min(end);
        span.start < end
    });
}
