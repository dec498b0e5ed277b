//! The piece's key: as written; else inferred from a pitch set (a tonic in the set whose mode
//! holds it all) or the first chord; else the style's, drawn for a dance tune.

use super::clauses::{Gathered, NamedSet, PartClauses, PieceClauses, SectionClauses};
use super::plan::{Origin, PartRole, PitchRule, PitchRuleKind, Sourced};
use crate::presets::{Mood, Style};
use crate::syntax::ChordSpec;
use crate::theory::{Key, Mode, NoteName, PitchSet};

/// Modes tried, most familiar first; earlier wins ties.
const CANDIDATE_MODES: [Mode; 6] = [
    Mode::Major,
    Mode::Minor,
    Mode::Dorian,
    Mode::Mixolydian,
    Mode::MajorPentatonic,
    Mode::MinorPentatonic,
];

/// The key a program gets when it writes none: inferred from its `using only` set `only`
/// (spelled as in `spelling`), else the style's own. The explanation of a conflict asks this
/// to weigh a degree (`ends on the tonic`) without the key the user wrote.
pub fn unwritten(style: &Style, only: Option<PitchSet>, spelling: Key) -> Key {
    let names: Vec<NoteName> = only.map_or(Vec::new(), |set| {
        set.iter().map(|pc| spelling.spell(pc)).collect()
    });
    match (only, names.first()) {
        // No mode holds the set: its first note names the key.
        (Some(set), Some(first)) => infer(set, &names).unwrap_or(Key::new(*first, Mode::Major)),
        _ => Key::new(NoteName::new(style.tonic, 0), style.mode),
    }
}

/// The most plausible key for a tune using exactly the classes in `set`, spelled from `names`.
///
/// A candidate's tonic is one of the notes given and its scale holds every note. It scores for
/// a familiar mode, for its fifth and third being in the set, and for fitting snugly (a scale
/// with fewer notes outside the set). `None` when no candidate holds the whole set.
pub fn infer(set: PitchSet, names: &[NoteName]) -> Option<Key> {
    let mut best: Option<(i32, Key)> = None;
    for tonic in names {
        for (rank, mode) in CANDIDATE_MODES.into_iter().enumerate() {
            let key = Key::new(*tonic, mode);
            let scale = key.scale();
            if !set.is_subset_of(scale) {
                continue;
            }
            let tonic_class = tonic.pitch_class();
            let has = |semitones: i32| set.contains(tonic_class.transpose(semitones));
            let third = if mode.is_minor() { 3 } else { 4 };
            let score = 4 * i32::from(has(7)) + 2 * i32::from(has(third))
                - 3 * (scale.len() - set.len()) as i32
                - rank as i32;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, key));
            }
        }
    }
    best.map(|(_, key)| key)
}

/// The key and its scale rule, from the piece's line, the melody's pitch set, or the moods.
pub(super) fn key_of(
    piece: &PieceClauses,
    part_clauses: &[PartClauses],
    moods: &[&Mood],
    style: &Style,
    preset: &Origin,
) -> (Sourced<Key>, Option<PitchRule>) {
    let melody_set = part_clauses
        .iter()
        .find(|p| p.role == PartRole::Melody)
        .and_then(|p| p.using_only.first());
    let minor_mood = moods
        .iter()
        .rev()
        .find_map(|m| m.minor.map(|minor| (minor, Origin::Preset(m.name))));
    let set = piece.using_only.first().or(melody_set);
    let chosen = choose_key(piece, set, style, &minor_mood, preset);
    if piece.key.is_some() || set.is_some() || piece.chords.is_some() {
        return chosen;
    }
    // An accompanying part's `using only` that shares no note with the key no line wrote would
    // leave the harmony no chord: a default is never a reason to refuse, so that set names the
    // key instead (`folk tune` with `bass: using only C`: C major).
    let scale = chosen.0.value.scale();
    let accompanying = (part_clauses.iter())
        .filter(|p| !matches!(p.role, PartRole::Melody | PartRole::Drums))
        .filter_map(|p| p.using_only.first())
        .find(|(set, _)| set.value.intersect(scale).is_empty());
    match accompanying {
        Some(set) => choose_key(piece, Some(set), style, &minor_mood, preset),
        None => chosen,
    }
}

/// The key: as written; else inferred from a pitch set or the first chord; else the preset's.
/// Also the scale rule it brings: the user's own for a written key, a default one otherwise
/// (never blamed for a conflict), and none for a pitch set no mode holds.
fn choose_key(
    piece: &PieceClauses,
    pitch_set: Option<&NamedSet>,
    style: &Style,
    minor_mood: &Option<(bool, Origin)>,
    preset: &Origin,
) -> (Sourced<Key>, Option<PitchRule>) {
    let mood_mode = |minor: bool| if minor { Mode::Minor } else { Mode::Major };
    let key = if let Some(k) = &piece.key {
        let (tonic, mode) = k.value;
        let mode = mode
            .or(minor_mood.as_ref().map(|(m, _)| mood_mode(*m)))
            .unwrap_or(style.mode);
        Sourced::new(Key::new(tonic, mode), k.origin.clone())
    } else if let Some((set, names)) = pitch_set {
        let line = match &set.origin {
            Origin::Line { line, .. } => *line,
            _ => 0,
        };
        let origin = Origin::Default(format!("inferred from the pitch set on line {line}"));
        match infer(set.value, names) {
            Some(key) => Sourced::new(key, origin),
            // No mode holds the set: name a key for the file, but bind nothing to it.
            None => return (Sourced::new(Key::new(names[0], Mode::Major), origin), None),
        }
    } else if let Some((chords, _)) = &piece.chords
        && let Some(ChordSpec::Symbol(first)) = chords
            .value
            .first()
            .and_then(|b| b.first())
            .map(|c| c.value)
    {
        let minor = first.tone_set().contains(first.root_class().transpose(3));
        Sourced::new(
            Key::new(first.root, mood_mode(minor)),
            Origin::Default("inferred from the first chord".into()),
        )
    } else {
        let tonic = NoteName::new(style.tonic, 0);
        match minor_mood {
            Some((minor, origin)) => {
                let mode = match (style.mode.is_minor(), minor) {
                    (true, true) | (false, false) => style.mode,
                    _ => mood_mode(*minor),
                };
                Sourced::new(Key::new(tonic, mode), origin.clone())
            }
            None => Sourced::new(Key::new(tonic, style.mode), preset.clone()),
        }
    };
    let key = match &piece.pentatonic {
        Some(adjective) => pentatonic(key, adjective),
        None => key,
    };
    // `a dorian tune`: a mode without a tonic takes this key's (a written key took it already).
    let key = match &piece.mode_word {
        Some(mode) => Sourced::new(Key::new(key.value.tonic, mode.value.0), mode.origin.clone()),
        None => key,
    };
    scale_of(key)
}

/// The key with its scale rule.
pub(super) fn scale_of(key: Sourced<Key>) -> (Sourced<Key>, Option<PitchRule>) {
    let rule = PitchRule {
        kind: PitchRuleKind::Scale,
        set: key.value.scale(),
        origin: key.origin.clone(),
    };
    (key, Some(rule))
}

/// Whether no line names a key or a pitch, so that any key gives the same choices: the key
/// may then be drawn without the seed changing whether the piece can be written.
pub(super) fn is_free(g: &Gathered) -> bool {
    let piece = &g.piece;
    let piece_free = piece.key.is_none()
        && piece.using_only.is_empty()
        && piece.avoiding.is_empty()
        && piece.chords.is_none()
        && piece.numerals.is_none()
        && piece.pentatonic.is_none()
        && piece.mode_word.is_none();
    let part_free = |p: &PartClauses| {
        p.range.is_none()
            && p.starts_on.is_none()
            && p.ends_on.is_none()
            && p.using_only.is_empty()
            && p.avoiding.is_empty()
            && p.section_ranges.is_empty()
            && p.ceiling.is_none()
            && p.floor.is_none()
    };
    let section_free = |s: &SectionClauses| s.key.is_none() && s.chords.is_none();
    piece_free && g.parts.iter().all(part_free) && g.sections.iter().all(section_free)
}

/// A key for a dance tune of `style`, drawn for `seed` by how many of its kind's training
/// tunes are in each (its own stream); `None` for a style without learned keys, or where a
/// mood asks for a minor or major key (the preset's tonic then takes the mood's mode).
pub(super) fn drawn(style: &Style, moods: &[&Mood], seed: u64) -> Option<Sourced<Key>> {
    if moods.iter().any(|m| m.minor.is_some()) {
        return None;
    }
    let keys = crate::models::keys_of(style.rhythm_family);
    let name = format!("{}/key", style.name);
    let drawn = crate::streams::draw_by_tunes(seed, &name, keys, |k| k.tunes)?;
    let why = format!(
        "preset {}: drawn for seed {seed} from the keys of the training {}s",
        style.name, style.rhythm_family
    );
    Some(Sourced::new(drawn.key, Origin::Default(why)))
}

/// `a pentatonic tune in G`: G major pentatonic (minor pentatonic in a minor mode). The key
/// stays the written one's; a key from a preset becomes the adjective's.
fn pentatonic(key: Sourced<Key>, adjective: &Origin) -> Sourced<Key> {
    let mode = match key.value.mode.is_minor() {
        true => Mode::MinorPentatonic,
        false => Mode::MajorPentatonic,
    };
    let origin = match key.origin {
        Origin::Line { .. } => key.origin,
        _ => adjective.clone(),
    };
    Sourced::new(Key::new(key.value.tonic, mode), origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiled::plan_for_seed;
    use crate::theory::Letter;

    #[test]
    fn a_jig_left_to_tunec_is_in_one_of_the_keys_real_jigs_are_in() {
        let keys: Vec<Key> = (0..60)
            .map(|seed| {
                let plan = plan_for_seed("jig", Some(seed)).unwrap();
                assert_eq!(plan.key_drawn_for, Some(seed));
                assert!(!plan.key.origin.is_user());
                plan.key.value
            })
            .collect();
        let learned = crate::models::keys_of("jig");
        assert!(keys.iter().all(|k| learned.iter().any(|l| l.key == *k)));
        assert!(keys.iter().any(|k| k.mode.is_minor()));
        assert!(keys.iter().filter(|k| **k != keys[0]).count() > 10);
        let again = plan_for_seed("jig", Some(7)).unwrap();
        assert_eq!(again.key.value, keys[7]);
    }

    #[test]
    fn a_key_or_a_pitch_in_any_line_keeps_the_key_undrawn() {
        for source in [
            "jig in A",
            "jig\nmelody: range D4 to B5",
            "jig\nmelody: ends on the tonic",
            "jig\nbass: using only G D",
            "jig, chords I IV V I",
            "sad jig",
            "folk tune",
        ] {
            let plan = plan_for_seed(source, Some(5)).unwrap();
            assert_eq!(plan.key_drawn_for, None, "{source}");
        }
    }

    #[test]
    fn only_a_drawn_key_colours_the_melody() {
        let scale_of_melody = |source: &str| {
            let plan = plan_for_seed(source, Some(0)).unwrap();
            let melody = plan
                .parts
                .iter()
                .find(|p| p.role == PartRole::Melody)
                .unwrap();
            let bass = plan
                .parts
                .iter()
                .find(|p| p.role == PartRole::Bass)
                .unwrap();
            (
                plan.key.value.scale(),
                melody.allowed(None),
                bass.allowed(None),
            )
        };
        let (scale, melody, bass) = scale_of_melody("jig");
        assert!(scale.is_subset_of(melody) && melody != scale);
        assert_eq!(bass, scale);
        let (scale, melody, _) = scale_of_melody("jig in G");
        assert_eq!(melody, scale);
    }

    #[test]
    fn each_seed_composes_in_its_own_drawn_key() {
        let program = crate::Program::read("reel", &crate::Options::new()).unwrap();
        for seed in 0..8 {
            let composed = program.compose(seed).unwrap();
            let drawn = plan_for_seed("reel", Some(seed)).unwrap().key.value;
            assert_eq!(composed.plan().key.value, drawn, "seed {seed}");
        }
    }

    fn names(text: &str) -> Vec<NoteName> {
        text.split(' ')
            .map(|n| {
                let letter = Letter::from_char(n.chars().next().unwrap()).unwrap();
                NoteName::new(letter, if n.ends_with('#') { 1 } else { 0 })
            })
            .collect()
    }

    #[test]
    fn five_folk_notes() {
        let notes = names("A B C# F# G");
        let set = PitchSet::of(notes.iter().map(|n| n.pitch_class()));
        let key = infer(set, &notes).unwrap();
        assert!(set.is_subset_of(key.scale()));
        assert!(set.contains(key.tonic_class()));
        assert_eq!(key.to_string(), "B minor");
    }

    #[test]
    fn pentatonic_prefers_pentatonic() {
        let notes = names("C D E G A");
        let set = PitchSet::of(notes.iter().map(|n| n.pitch_class()));
        assert_eq!(
            infer(set, &notes).unwrap().to_string(),
            "C major pentatonic"
        );
    }

    #[test]
    fn chromatic_cluster_has_no_key() {
        let notes = names("C C# D D#");
        let set = PitchSet::of(notes.iter().map(|n| n.pitch_class()));
        assert_eq!(infer(set, &notes), None);
    }
}
