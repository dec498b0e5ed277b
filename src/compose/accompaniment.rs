//! The chords part: each chord voiced with its allowed tones near the previous voicing.

use super::Conflict;
use super::harmony::spell_set;
use crate::resolve::Origin;
use crate::resolve::{PartPlan, Plan};
use crate::score::{ChordSpan, Note};
use crate::theory::{Pitch, PitchSet};

/// Classes of the part's range that its rules allow while `span` sounds, among `tones`.
fn playable(plan: &Plan, part: &PartPlan, span: &ChordSpan, tones: PitchSet) -> PitchSet {
    let (low, high) = part.range.value;
    let in_range = PitchSet::of((low.0..=high.0).map(|p| Pitch(p).class()));
    in_range
        .intersect(part.allowed(plan.user_chord_at(span.start)))
        .intersect(tones)
}

/// The minimal set of user clauses that leaves `span`'s chord without a playable tone.
fn unvoiceable(plan: &Plan, part: &PartPlan, span: &ChordSpan) -> Conflict {
    let chords = plan.progression.as_ref().map(|p| p.origin.clone());
    let mut origins = part.user_origins();
    origins.extend(chords.clone());
    let kept = super::minimal_conflict(origins, |keep: &[Origin]| {
        let tones = match &chords {
            Some(o) if !keep.contains(o) => PitchSet::CHROMATIC,
            _ => span.chord.tone_set(),
        };
        playable(plan, &part.relaxed(keep), span, tones).is_empty()
    });
    let key = plan.key.value;
    Conflict {
        role: Some(part.role),
        reason: format!(
            "no tone of {} {} is allowed in the chords part's range, where only {} may sound",
            span.chord,
            spell_set(key, span.chord.tone_set()),
            spell_set(
                key,
                playable(plan, &part.relaxed(&kept), span, PitchSet::CHROMATIC)
            )
        ),
        origins: kept,
    }
}

/// Block chords struck at each chord change and again mid-chord when it lasts an even number of
/// beats; every tone is an allowed chord tone within the part's range.
pub fn block_chords(
    plan: &Plan,
    part: &PartPlan,
    harmony: &[ChordSpan],
) -> Result<Vec<Note>, Conflict> {
    let beat = plan.meter.value.beat_ticks();
    let (low, high) = part.range.value;
    let mut center = (low.0 as i32 + high.0 as i32) / 2;
    let mut notes = Vec::new();
    for span in harmony {
        let allowed = part.allowed(plan.user_chord_at(span.start));
        let mut voicing: Vec<Pitch> = span
            .chord
            .tones()
            .filter(|pc| allowed.contains(*pc))
            .filter_map(|pc| {
                (low.0..=high.0)
                    .filter(|p| Pitch(*p).class() == pc)
                    .min_by_key(|p| (*p as i32 - center).abs())
                    .map(Pitch)
            })
            .collect();
        voicing.sort();
        voicing.dedup();
        if voicing.is_empty() {
            return Err(unvoiceable(plan, part, span));
        }
        center = voicing.iter().map(|p| p.0 as i32).sum::<i32>() / voicing.len() as i32;
        let length = span.end - span.start;
        let beats = length / beat;
        let strikes = if beats >= 2 && beats.is_multiple_of(2) && length.is_multiple_of(beat) {
            2
        } else {
            1
        };
        for s in 0..strikes {
            let start = span.start + s * length / strikes;
            let velocity = super::velocity(plan, 56, start);
            notes.extend(voicing.iter().map(|&pitch| Note {
                start,
                duration: length / strikes,
                pitch,
                velocity,
            }));
        }
    }
    Ok(notes)
}
