//! Compose: seeded sampling of rhythm, harmony, melody, bass and accompaniment into a Score.
//!
//! Every random choice comes from a ChaCha8 stream of its own, derived from the seed and the
//! stage's name, so adding or changing one part never changes the music of another.

mod accompaniment;
pub mod chain;
mod harmony;
pub mod line;
pub mod rhythm;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::resolve::{Origin, PartPlan, PartRole, PitchRuleKind, Plan};
use crate::score::{ChordSpan, Note, Part, Score};
use crate::theory::{Pitch, PitchSet};
use line::LineModel;
use rhythm::Slot;

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
pub fn minimal_conflict(
    origins: Vec<Origin>,
    unsatisfiable: impl Fn(&[Origin]) -> bool,
) -> Vec<Origin> {
    let mut kept = origins.clone();
    for origin in &origins {
        let without: Vec<Origin> = kept.iter().filter(|o| *o != origin).cloned().collect();
        if unsatisfiable(&without) {
            kept = without;
        }
    }
    kept
}

/// The random stream of one part and stage: the seed picks the key, the name picks the stream.
pub fn stream(seed: u64, name: &str) -> ChaCha8Rng {
    // FNV-1a: a fixed, platform-independent hash of the stream's name.
    let id = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id);
    rng
}

/// Composes the piece. Where a default key's scale alone rules out what the user asked of a
/// line, that part of `plan` loses the default (so the verifier and `--emit plan` agree).
pub fn compose(plan: &mut Plan, seed: u64, title: &str) -> Result<Score, Conflict> {
    let meter = plan.meter.value;
    let harmony = harmony::harmony(plan, &mut stream(seed, "harmony"))?;
    let mut parts = Vec::new();
    for i in 0..plan.parts.len() {
        let part = &plan.parts[i];
        let (notes, drop_default_key) = match part.role {
            PartRole::Melody => melody(plan, part, &harmony, seed)?,
            PartRole::Bass => bass(plan, part, &harmony, seed)?,
            PartRole::Chords => (accompaniment::block_chords(plan, part, &harmony)?, false),
        };
        let part = &mut plan.parts[i];
        if drop_default_key {
            part.pitch_rules
                .retain(|r| r.kind != PitchRuleKind::Scale || r.origin.is_user());
        }
        parts.push(Part {
            role: part.role,
            program: part.program.value,
            channel: part.role.channel(),
            notes,
        });
    }
    Ok(Score {
        title: title.to_string(),
        key: plan.key.value,
        meter,
        tempo: plan.tempo.value,
        bars: plan.bars.value,
        seed,
        harmony,
        parts,
    })
}

fn chord_at(harmony: &[ChordSpan], tick: u32) -> Option<&ChordSpan> {
    let i = harmony.partition_point(|c| c.end <= tick);
    harmony.get(i).filter(|c| c.start <= tick)
}

/// Louder on strong beats.
fn velocity(plan: &Plan, base: u8, tick: u32) -> u8 {
    let meter = plan.meter.value;
    base + 6 * meter.strength(tick % meter.bar_ticks())
}

fn notes(plan: &Plan, slots: &[Slot], pitches: &[Pitch], base_velocity: u8) -> Vec<Note> {
    slots
        .iter()
        .zip(pitches)
        .map(|(s, &pitch)| Note {
            start: s.start,
            duration: s.duration,
            pitch,
            velocity: velocity(plan, base_velocity, s.start),
        })
        .collect()
}

/// Relative frequency of melodic intervals in folk melodies, by size in semitones.
fn melody_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.7,
        1 | 2 => 1.3,
        3 => 0.45,
        4 => 0.35,
        5 => 0.2,
        6 => 0.02,
        7 => 0.12,
        8 | 9 => 0.03,
        10 | 11 => 0.01,
        12 => 0.02,
        _ => 0.002,
    }
}

fn melody(
    plan: &Plan,
    part: &PartPlan,
    harmony: &[ChordSpan],
    seed: u64,
) -> Result<(Vec<Note>, bool), Conflict> {
    let meter = plan.meter.value;
    let slots = rhythm::melody(meter, plan.bars.value, &mut stream(seed, "melody/rhythm"));
    let (low, high) = part.range.value;
    let center = (low.0 as f64 + high.0 as f64) / 2.0;
    let tonic = plan.key.value.tonic_class();
    let last = slots.len() - 1;
    let preference = |i: usize, p: Pitch| {
        let slot = slots[i];
        let distance = (p.0 as f64 - center) / 5.0;
        let mut w = 1.0 / (1.0 + distance * distance);
        let chord_tone =
            chord_at(harmony, slot.start).is_some_and(|c| c.chord.tone_set().contains(p.class()));
        if chord_tone {
            w *= [1.3, 1.6, 2.5, 4.0][meter.strength(slot.start % meter.bar_ticks()) as usize];
        }
        if i == last && p.class() == tonic {
            w *= 80.0;
        } else if i == 0 && p.class() == tonic {
            w *= 4.0;
        }
        w
    };
    let model = LineModel {
        plan,
        slots: &slots,
        classes: vec![PitchSet::CHROMATIC; slots.len()],
        chords: slots
            .iter()
            .map(|s| chord_at(harmony, s.start).map(|c| c.chord))
            .collect(),
        classes_origin: None,
        preference: &preference,
        interval_weight: melody_interval,
    };
    let (pitches, relaxed) = model.sample(part, &mut stream(seed, "melody/pitch"))?;
    Ok((notes(plan, &slots, &pitches, 78), relaxed))
}

fn bass_interval(semitones: u8) -> f64 {
    match semitones {
        0 => 0.6,
        1..=5 => 1.1,
        7 => 1.0,
        12 => 0.5,
        6 | 8..=11 => 0.3,
        _ => 0.01,
    }
}

/// The bass sounds the chord's root at each chord change (another chord tone where the root is
/// not allowed) and a chord tone at the middle of a chord that lasts an even number of beats.
fn bass(
    plan: &Plan,
    part: &PartPlan,
    harmony: &[ChordSpan],
    seed: u64,
) -> Result<(Vec<Note>, bool), Conflict> {
    let beat = plan.meter.value.beat_ticks();
    let mut slots = Vec::new();
    let mut classes = Vec::new();
    for span in harmony {
        let length = span.end - span.start;
        let tones = span.chord.tone_set();
        let root = PitchSet::EMPTY.with(span.chord.root_class());
        let root_allowed = part
            .allowed(plan.user_chord_at(span.start))
            .contains(span.chord.root_class());
        let first = if root_allowed { root } else { tones };
        let beats = length / beat;
        if beats >= 2 && beats.is_multiple_of(2) && length.is_multiple_of(beat) {
            let half = length / 2;
            slots.push(Slot {
                start: span.start,
                duration: half,
            });
            slots.push(Slot {
                start: span.start + half,
                duration: half,
            });
            classes.extend([first, tones]);
        } else {
            slots.push(Slot {
                start: span.start,
                duration: length,
            });
            classes.push(first);
        }
    }
    let preference = |i: usize, p: Pitch| {
        let chord = chord_at(harmony, slots[i].start).map(|c| c.chord);
        match chord {
            Some(c) if c.root_class() == p.class() => 3.0,
            Some(c) if c.fifth() == p.class() => 1.5,
            _ => 1.0,
        }
    };
    let model = LineModel {
        plan,
        slots: &slots,
        classes,
        chords: slots
            .iter()
            .map(|s| chord_at(harmony, s.start).map(|c| c.chord))
            .collect(),
        classes_origin: plan.progression.as_ref().map(|p| p.origin.clone()),
        preference: &preference,
        interval_weight: bass_interval,
    };
    let (pitches, relaxed) = model.sample(part, &mut stream(seed, "bass"))?;
    Ok((notes(plan, &slots, &pitches, 72), relaxed))
}
