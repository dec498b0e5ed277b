//! The anacrusis: a melody starts before bar 1 as often as real tunes of its kind do, with a
//! pickup rhythm they use, and its last bar gives the time back (`N bars` still last N bars).

use rand::RngCore;

use super::chain::pick;
use super::stream;
use crate::models::{self, BarRhythm, MelodyModel};
use crate::resolve::{PartPlan, PartRole, Plan};
use crate::score::{ChordSpan, Note, Score};
use crate::theory::Pitch;

/// The pickup's rhythm, if the melody's style has pickups to draw from and its rules leave the
/// pickup free: no `starts on` (the pickup would be the first note), no leap limit and no
/// `mostly stepwise` (they count the intervals into bar 1), no note lengths asked for. Drawn
/// before the music, from a stream of its own, so the rest of the music keeps its streams.
pub fn draw(plan: &Plan, seed: u64) -> Option<BarRhythm> {
    plan.part(PartRole::Melody)
        .filter(|p| leaves_pickup_free(p))?;
    let rhythms = models::rhythm_model(plan.style.value.rhythm_family, plan.meter.value)?;
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
    if last.end() != end
        || last.duration <= ticks
        || score.harmony.iter().any(|s| starts_late(s.start))
        || counter.iter().any(|n| starts_late(n.start))
    {
        return score;
    }
    let count = rhythm.iter().filter(|n| !n.rest).count();
    let Some(pitches) = pitches(plan, part, model, count, first.pitch, &mut rng) else {
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
    score
}

fn leaves_pickup_free(part: &PartPlan) -> bool {
    part.starts_on.is_none()
        && part.max_leap.is_none()
        && part.mostly_stepwise.is_none()
        && part.durations.is_none()
}

/// `count` pitches leading into `next`, drawn backwards with the learned moves among the
/// pitches the melody's rules allow at its start, the first of them weighed as tunes begin.
fn pitches(
    plan: &Plan,
    part: &PartPlan,
    model: &MelodyModel,
    count: usize,
    next: Pitch,
    rng: &mut impl RngCore,
) -> Option<Vec<Pitch>> {
    let (low, high) = plan.range_at(part, 0);
    let allowed = plan.allowed_at(part, 0);
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
                let opening = if k == 0 {
                    model.first_weight(tonic, p) * model.start_weight((low.0, high.0), p)
                } else {
                    1.0
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
