//! Guessing a key when the user gave only a pitch set: a tonic in the set whose mode holds it all.

use crate::presets::Style;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::Letter;

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
