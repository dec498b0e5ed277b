//! Interval names as musicians say them (`a fifth`, `an octave`) and their size in semitones.

/// The size of a named interval; a bare number name (`a third`) means its larger, major or
/// perfect form, so `no leaps larger than a third` allows a major third.
pub fn semitones(name: &str) -> Option<u8> {
    let bare = (name.strip_prefix("an ").or_else(|| name.strip_prefix("a "))).unwrap_or(name);
    if let Some(size) = symbol(bare.trim()) {
        return Some(size);
    }
    let name = name.to_ascii_lowercase().replace('-', " ");
    // Steps by their names: `a whole tone`, `a half step`, `a semitone`.
    match name.trim_start_matches("an ").trim_start_matches("a ") {
        "whole tone" | "whole step" | "tone" => return Some(2),
        "half step" | "half tone" | "semitone" => return Some(1),
        _ => {}
    }
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !matches!(*w, "a" | "an" | "one"))
        .collect();
    let (quality, number) = match words.as_slice() {
        [number] => (None, *number),
        [quality, number] => (Some(*quality), *number),
        _ => return None,
    };
    // Shorthand's qualities: `maj 6th`, `min 3rd`, `perf 5th`.
    let quality = quality.map(|q| match q {
        "perf" => "perfect",
        "maj" => "major",
        "min" => "minor",
        "aug" => "augmented",
        "dim" => "diminished",
        q => q,
    });
    let (perfect, major) = match number {
        "unison" => (true, 0),
        "second" | "step" | "2nd" => (false, 2),
        "third" | "3rd" => (false, 4),
        "fourth" | "4th" => (true, 5),
        "tritone" => return quality.is_none().then_some(6),
        "fifth" | "5th" => (true, 7),
        "sixth" | "6th" => (false, 9),
        "seventh" | "7th" => (false, 11),
        "octave" | "8ve" | "8th" => (true, 12),
        "ninth" | "9th" => (false, 14),
        "tenth" | "10th" => (false, 16),
        _ => return None,
    };
    match (quality, perfect) {
        (None, _) | (Some("perfect"), true) | (Some("major"), false) => Some(major),
        (Some("minor"), false) => Some(major - 1),
        (Some("augmented"), _) => Some(major + 1),
        (Some("diminished"), true) => major.checked_sub(1),
        (Some("diminished"), false) => major.checked_sub(2),
        _ => None,
    }
}

/// Theory's shorthand, `P5`, `M3`, `m6`, `A4`, `d5`, `TT`: the quality's letter (case matters:
/// `M` major, `m` minor) and the number.
fn symbol(text: &str) -> Option<u8> {
    if text == "TT" {
        return Some(6);
    }
    let quality = match text.chars().next()? {
        'P' => "perfect",
        'M' => "major",
        'm' => "minor",
        'A' => "augmented",
        'd' => "diminished",
        _ => return None,
    };
    let number = match text.get(1..)? {
        "1" => "unison",
        "2" => "second",
        "3" => "third",
        "4" => "fourth",
        "5" => "fifth",
        "6" => "sixth",
        "7" => "seventh",
        "8" => "octave",
        "9" => "ninth",
        "10" => "tenth",
        _ => return None,
    };
    semitones(&format!("{quality} {number}"))
}

/// The qualities `semitones` accepts before a name: `a minor third`, `an augmented fourth`.
pub const QUALITIES: [&str; 5] = ["perfect", "major", "minor", "augmented", "diminished"];

/// All interval names `semitones` accepts, for suggestions.
pub const NAMES: [&str; 21] = [
    "unison", "second", "third", "fourth", "tritone", "fifth", "sixth", "seventh", "octave",
    "ninth", "tenth", "2nd", "3rd", "4th", "5th", "6th", "7th", "8ve", "8th", "9th", "10th",
];

#[cfg(test)]
mod tests {
    use super::semitones;

    #[test]
    fn names() {
        assert_eq!(semitones("a fifth"), Some(7));
        assert_eq!(semitones("an octave"), Some(12));
        assert_eq!(semitones("a minor third"), Some(3));
        assert_eq!(semitones("a perfect fourth"), Some(5));
        assert_eq!(semitones("a major fifth"), None);
        assert_eq!(semitones("a tritone"), Some(6));
        assert_eq!(semitones("a wobble"), None);
        assert_eq!(semitones("a whole tone"), Some(2));
        assert_eq!(semitones("a half-step"), Some(1));
        assert_eq!(semitones("a semitone"), Some(1));
        assert_eq!(semitones("P5"), Some(7));
        assert_eq!(semitones("a P5"), Some(7));
        assert_eq!(semitones("M3"), Some(4));
        assert_eq!(semitones("m6"), Some(8));
        assert_eq!(semitones("A4"), Some(6));
        assert_eq!(semitones("d5"), Some(6));
        assert_eq!(semitones("TT"), Some(6));
        assert_eq!(semitones("P3"), None);
    }
}
