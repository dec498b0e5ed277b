//! Songs in compose: a section in another key is composed in the piece's key and moved there
//! afterwards, so a chorus is the same music each time, only higher; the key and tempo changes
//! at the sections' starts; and two habits that give way when the user's lines leave no room
//! for them: a chorus sung higher than the verse, a bridge whose chords leave the tonic.

use crate::resolve::{
    Endpoint, Origin, PartPlan, PartRole, Plan, Progression, SectionRules, transposed,
};
use crate::score::{Change, Hairpin, Score};
use crate::syntax::SongSection;
use crate::theory::{Chord, ChordQuality, Key, Pitch};

use super::Conflict;

/// Semitones a chorus's melody range sits above the verse's (and the verse's below).
const CHORUS_LIFT: u8 = 5;
/// The narrowest melody range (in semitones) that still has room to lift the chorus.
const ROOM_TO_LIFT: u8 = 14;

/// The Plan as it is composed: every section in the piece's key, so a section played in another
/// key gets its ranges and endpoints moved the other way. `None` when the piece stays in its key.
pub fn in_home_key(plan: &Plan) -> Result<Option<Plan>, Conflict> {
    if plan.modulations.is_empty() {
        return Ok(None);
    }
    leaps_across_keys(plan)?;
    let mut home = plan.clone();
    for part in home.parts.iter_mut().filter(|p| p.role != PartRole::Drums) {
        for letter in moved_letters(plan) {
            let range = home_range(plan, part, letter)?;
            part.section_ranges.retain(|(l, _)| *l != letter);
            part.section_ranges.push((letter, range));
        }
        let first = plan.shift_at(0);
        let last = plan.shift_at(plan.bars.value - 1);
        move_endpoint(&mut part.starts_on, first);
        move_endpoint(&mut part.ends_on, last);
    }
    Ok(Some(home))
}

/// A key change between neighbouring sections wider than a line's leap limit (or, under
/// `mostly stepwise`, than a step) is refused: the sections' edges are composed in one key, so
/// the change itself is a leap at the join.
fn leaps_across_keys(plan: &Plan) -> Result<(), Conflict> {
    let shift = |i: usize| plan.modulation_of(i).map_or(0, |m| m.shift as i32);
    let widest = (1..plan.sections.len())
        .map(|i| (shift(i - 1).abs_diff(shift(i)), i))
        .max();
    let Some((apart, at)) = widest.filter(|(apart, _)| *apart > 0) else {
        return Ok(());
    };
    let change =
        (plan.modulation_of(at).or(plan.modulation_of(at - 1))).map(|m| m.key.origin.clone());
    for part in &plan.parts {
        let step = crate::resolve::MostlyStepwise::LARGEST_STEP;
        let limit = match (&part.max_leap, &part.mostly_stepwise) {
            (Some(max), _) if apart > max.value as u32 => Some((max.origin.clone(), max.value)),
            (_, Some(origin)) if apart > step as u32 => Some((origin.clone(), step)),
            _ => None,
        };
        if let Some((origin, limit)) = limit {
            return Err(against_key_change(
                part,
                origin,
                change,
                format!(
                    "the key change moves the music {apart} semitones where the sections meet, \
                     more than the {limit} the line may leap"
                ),
            ));
        }
    }
    Ok(())
}

/// A part's rule (`origin`) that a key change (`change`, where written) leaves no line for.
fn against_key_change(
    part: &PartPlan,
    origin: Origin,
    change: Option<Origin>,
    reason: String,
) -> Conflict {
    Conflict {
        role: Some(part.role),
        origins: std::iter::once(origin).chain(change).collect(),
        reason,
    }
}

/// The letters of the sections that play, at least once, in another key.
fn moved_letters(plan: &Plan) -> Vec<char> {
    let mut letters: Vec<char> = (plan.modulations.iter())
        .map(|m| plan.sections[m.section].name.letter)
        .collect();
    letters.sort_unstable();
    letters.dedup();
    letters
}

/// The range `part` composes section `letter` in: every key it plays in must bring it back
/// within its range, so the range moved by each of its shifts, intersected.
fn home_range(
    plan: &Plan,
    part: &PartPlan,
    letter: char,
) -> Result<crate::resolve::Sourced<(Pitch, Pitch)>, Conflict> {
    let (lo, hi) = plan.home_range(part, letter);
    let origin = (part.section_ranges.iter())
        .find(|(l, _)| *l == letter)
        .map_or(part.range.origin.clone(), |(_, r)| r.origin.clone());
    if lo > hi || lo < 0 || hi > 127 {
        let change = (plan.modulations.iter())
            .find(|m| plan.sections[m.section].name.letter == letter)
            .map(|m| m.key.origin.clone());
        return Err(against_key_change(
            part,
            origin,
            change,
            "the range cannot hold the section in both of its keys".into(),
        ));
    }
    let range = (Pitch(lo as u8), Pitch(hi as u8));
    Ok(crate::resolve::Sourced::new(range, origin))
}

/// An endpoint asked of a note played `shift` semitones higher is composed that much lower.
fn move_endpoint(endpoint: &mut Option<crate::resolve::Sourced<Endpoint>>, shift: i8) {
    if let Some(e) = endpoint.as_mut() {
        e.value = match e.value {
            Endpoint::Class(pc) => Endpoint::Class(pc.transpose(-(shift as i32))),
            Endpoint::Pitch(p) => Endpoint::Pitch(Pitch((p.0 as i32 - shift as i32) as u8)),
        };
    }
}

/// The Plan with a song's habits, when its form names sections: the melody's chorus sits
/// higher than its verse, and a bridge without chords of its own leaves the tonic. `None`
/// when there is nothing to add.
pub fn with_habits(plan: &Plan) -> Option<Plan> {
    let letter_of = |song: SongSection| {
        (plan.sections.iter())
            .find(|s| s.name.song == Some(song))
            .map(|s| s.name.letter)
    };
    let mut habits = plan.clone();
    let mut changed = false;
    let chorus = letter_of(SongSection::Chorus).or(letter_of(SongSection::Refrain));
    if let (Some(chorus), Some(verse)) = (chorus, letter_of(SongSection::Verse)) {
        changed |= lift_chorus(&mut habits, chorus, verse);
    }
    if let Some(bridge) = letter_of(SongSection::Bridge) {
        changed |= bridge_away(&mut habits, bridge);
    }
    changed.then_some(habits)
}

/// The melody's chorus in the top of its range, the verse in the bottom, where the range is
/// wide enough and neither section has a range of its own.
fn lift_chorus(plan: &mut Plan, chorus: char, verse: char) -> bool {
    let Some(melody) = plan.parts.iter_mut().find(|p| p.role == PartRole::Melody) else {
        return false;
    };
    let (low, high) = melody.range.value;
    let own = |l: char| melody.section_ranges.iter().any(|(x, _)| *x == l);
    if high.0.saturating_sub(low.0) < ROOM_TO_LIFT || own(chorus) || own(verse) {
        return false;
    }
    let origin = melody.range.origin.clone();
    let range = |r| crate::resolve::Sourced::new(r, origin.clone());
    (melody.section_ranges).push((chorus, range((Pitch(low.0 + CHORUS_LIFT), high))));
    (melody.section_ranges).push((verse, range((low, Pitch(high.0 - CHORUS_LIFT)))));
    true
}

/// A bridge without chords of the user's plays IV V vi V (the key's own triads, skipping a
/// diminished one or one with tones outside a pentatonic scale): away from the tonic and back
/// to the dominant before the chorus returns.
fn bridge_away(plan: &mut Plan, bridge: char) -> bool {
    let own = plan
        .rules_of(bridge)
        .is_some_and(|r| r.progression.is_some());
    if own || plan.progression.is_some() {
        return false;
    }
    let key = plan.key.value;
    // The key's own major and minor triads away from the tonic, in the order a bridge reaches
    // for them (a power chord needs its perfect fifth; a pentatonic key has few).
    let chords: Vec<Chord> = [4, 5, 6, 2, 3]
        .map(|degree| triad(key, degree))
        .into_iter()
        .filter(|c| c.quality != ChordQuality::Diminished && c.tone_set().is_subset_of(key.scale()))
        .collect();
    let (Some(&a), Some(&b)) = (chords.first(), chords.get(1)) else {
        return false;
    };
    let c = chords.get(2).copied().unwrap_or(a);
    let bars = [a, b, c, b].map(|chord| vec![chord]).to_vec();
    let progression = Progression {
        bars,
        origin: crate::resolve::Origin::Default("a bridge leaves the tonic".into()),
    };
    match plan.section_rules.iter_mut().find(|r| r.letter == bridge) {
        Some(rules) => rules.progression = Some(progression),
        None => plan.section_rules.push(SectionRules {
            progression: Some(progression),
            ..SectionRules::of(bridge)
        }),
    }
    true
}

/// The key's own triad on `degree`: its third and fifth from the scale.
fn triad(key: Key, degree: u8) -> Chord {
    let root = key.degree(degree);
    let above = |steps: u8| {
        root.pitch_class()
            .up_to(key.degree(degree + steps).pitch_class())
    };
    let quality = match (above(2), above(4)) {
        (3, 6) => ChordQuality::Diminished,
        (3, _) => ChordQuality::Minor,
        _ => ChordQuality::Major,
    };
    Chord::new(root, quality)
}

/// The Score with each section that plays in another key moved there (its notes and chords;
/// the drums stay), and the key and tempo changes at the sections' starts.
pub fn moved(plan: &Plan, mut score: Score) -> Score {
    let shift_at = |tick: u32| plan.shift_at(score.bar_at(tick).min(plan.bars.value - 1));
    let shifts: Vec<Vec<i8>> = (score.parts.iter())
        .map(|p| p.notes.iter().map(|n| shift_at(n.start)).collect())
        .collect();
    let chord_shifts: Vec<i8> = score.harmony.iter().map(|c| shift_at(c.start)).collect();
    for (part, shifts) in score.parts.iter_mut().zip(shifts) {
        if part.role == PartRole::Drums {
            continue;
        }
        for (note, shift) in part.notes.iter_mut().zip(shifts) {
            note.pitch = Pitch((note.pitch.0 as i32 + shift as i32) as u8);
        }
    }
    // A chord in the piece's key keeps its spelling as written.
    let moved = score
        .harmony
        .iter_mut()
        .zip(chord_shifts)
        .filter(|(_, s)| *s != 0);
    for (span, shift) in moved {
        let key = transposed(plan.key.value, shift);
        let root = key.spell(span.chord.root_class().transpose(shift as i32));
        span.chord = Chord::new(root, span.chord.quality);
    }
    score.key = plan.key_at(0);
    score.tempo = plan.tempo_at(0);
    score.changes = section_changes(plan);
    score.hairpins = hairpins(plan);
    score
}

/// The sections that swell or fade, each time they play; a style that swells (film) without
/// one of its own swells over the whole piece.
fn hairpins(plan: &Plan) -> Vec<Hairpin> {
    let sections = (plan.sections.iter()).filter_map(|section| {
        let rules = plan.rules_of(section.name.letter)?;
        let hairpin = rules.hairpin.as_ref()?;
        Some(Hairpin {
            from: section.start_bar,
            to: section.end_bar(),
            louder: hairpin.value > 0,
        })
    });
    let out: Vec<Hairpin> = sections.collect();
    if out.is_empty() && plan.style.value.crescendo {
        let whole = Hairpin {
            from: 0,
            to: plan.bars.value,
            louder: true,
        };
        return vec![whole];
    }
    out
}

/// The key, meter and tempo changes at the starts of the sections after the first, in bar
/// order.
pub(super) fn section_changes(plan: &Plan) -> Vec<(u32, Change)> {
    let mut out = Vec::new();
    for pair in plan.sections.windows(2) {
        let (before, bar) = (pair[0].start_bar, pair[1].start_bar);
        if plan.key_at(bar) != plan.key_at(before) {
            out.push((bar, Change::Key(plan.key_at(bar))));
        }
        if plan.meter_at(bar) != plan.meter_at(before) {
            out.push((bar, Change::Meter(plan.meter_at(bar))));
        }
        // A new beat (a quarter after a dotted quarter) is a new tempo in the MIDI file.
        let beat = |bar| plan.meter_at(bar).beat_ticks();
        if plan.tempo_at(bar) != plan.tempo_at(before) || beat(bar) != beat(before) {
            out.push((bar, Change::Tempo(plan.tempo_at(bar))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bridge_in_a_major_key_plays_iv_v_vi_v() {
        let key = Key::new(
            crate::theory::NoteName::new(crate::theory::Letter::D, 0),
            crate::theory::Mode::Major,
        );
        let names: Vec<String> = [4, 5, 6, 5].map(|d| triad(key, d).to_string()).to_vec();
        assert_eq!(names, ["G", "A", "Bm", "A"]);
    }

    #[test]
    fn the_last_chorus_up_a_step_is_the_same_music_a_step_higher() {
        let source = "pop song in D major, form verse chorus verse chorus, \
                      the last chorus goes up a step";
        let plan = crate::plan_of(source).unwrap();
        let score = super::super::compose(&plan, 3, "t").unwrap();
        assert!(crate::check::check(&score, &plan).is_empty());
        let melody = score.part(PartRole::Melody).unwrap();
        let at = |bar: u32| {
            let (from, to) = (score.bar_start(bar), score.bar_start(bar + 4));
            (melody.notes.iter())
                .filter(|n| n.start >= from && n.start < to)
                .map(|n| (n.start - from, n.pitch.0))
                .collect::<Vec<_>>()
        };
        let (first, last) = (at(8), at(24));
        assert!(!first.is_empty());
        let up: Vec<(u32, u8)> = first.iter().map(|(t, p)| (*t, p + 2)).collect();
        assert_eq!(up, last);
        assert_eq!(score.key_at(24).to_string(), "E major");
    }
}
