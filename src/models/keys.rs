//! The keys real tunes of each kind are written in and the compass they span, learned from the
//! training collections: a dance tune whose prompt leaves the key to tunec draws one of them by
//! how many tunes have it, and a tune whose prompt leaves its range draws a compass.

use std::sync::OnceLock;

use super::table::{number, records};
use crate::theory::{Key, Letter, Mode, NoteName};

const TEXT: &str = include_str!("../../models/keys.tsv");

/// A key the training tunes of a kind are written in, with how many of them are.
#[derive(Debug)]
pub struct KeyCount {
    pub key: Key,
    pub tunes: f64,
}

/// How far a training tune of a kind reaches: its lowest and highest notes (MIDI).
#[derive(Debug)]
pub struct Compass {
    pub low: u8,
    pub high: u8,
    pub tunes: f64,
}

/// The compasses of the kind `family`'s tunes in the key with tonic pitch class `tonic` (0 = C)
/// and a minor or major third; of all its tunes where too few are in that key; none for a
/// kind without a table.
pub fn compasses_of(family: &str, tonic: u8, minor: bool) -> &'static [Compass] {
    static TABLE: OnceLock<Vec<(CompassKey, Vec<Compass>)>> = OnceLock::new();
    let table = TABLE.get_or_init(read_compasses);
    let mode = if minor { "minor" } else { "major" };
    let find = |key: CompassKey| table.iter().find(|(k, _)| *k == key);
    let tonic = tonic.to_string();
    find((family, tonic.as_str(), mode))
        .or_else(|| find((family, "*", "*")))
        .map_or(&[], |(_, rows)| rows.as_slice())
}

/// Family, tonic pitch class (or `*`), mode (or `*`).
type CompassKey<'a> = (&'a str, &'a str, &'a str);

fn read_compasses() -> Vec<(CompassKey<'static>, Vec<Compass>)> {
    let mut table: Vec<(CompassKey, Vec<Compass>)> = Vec::new();
    for record in records(TEXT) {
        let ["compass", family, tonic, mode, low, high, tunes] = record.as_slice() else {
            continue;
        };
        let compass = Compass {
            low: number(low) as u8,
            high: number(high) as u8,
            tunes: number(tunes) as f64,
        };
        let key = (*family, *tonic, *mode);
        match table.last_mut() {
            Some((k, rows)) if *k == key => rows.push(compass),
            _ => table.push((key, vec![compass])),
        }
    }
    table
}

/// The keys of the kind `family` (`jig`, `reel`, `hornpipe`), likeliest first; none for a
/// kind without a table (the songs' collections do not name their modes).
pub fn keys_of(family: &str) -> &'static [KeyCount] {
    static TABLE: OnceLock<Vec<(&'static str, Vec<KeyCount>)>> = OnceLock::new();
    let table = TABLE.get_or_init(read);
    (table.iter())
        .find(|(f, _)| *f == family)
        .map_or(&[], |(_, keys)| keys.as_slice())
}

fn read() -> Vec<(&'static str, Vec<KeyCount>)> {
    let mut table: Vec<(&'static str, Vec<KeyCount>)> = Vec::new();
    for record in records(TEXT) {
        let ["key", family, tonic, mode, tunes] = record.as_slice() else {
            assert_eq!(record[0], "compass", "an unknown record in the key model");
            continue;
        };
        let count = KeyCount {
            key: Key::new(note_name(tonic), mode_named(mode)),
            tunes: number(tunes) as f64,
        };
        match table.last_mut() {
            Some((f, keys)) if f == family => keys.push(count),
            _ => table.push((family, vec![count])),
        }
    }
    table
}

/// `G`, `Bb`, `F#`.
fn note_name(text: &str) -> NoteName {
    let mut chars = text.chars();
    let letter = chars.next().and_then(Letter::from_char);
    let alter = match chars.as_str() {
        "" => 0,
        "#" => 1,
        "b" => -1,
        _ => panic!("the key model holds the tonic {text:?}"),
    };
    NoteName::new(letter.expect("a tonic's letter"), alter)
}

fn mode_named(name: &str) -> Mode {
    Mode::from_name(name).unwrap_or_else(|| panic!("the key model holds the mode {name:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jigs_are_mostly_in_g_and_d_and_a_fifth_of_them_minor() {
        let jigs = keys_of("jig");
        let all: f64 = jigs.iter().map(|k| k.tunes).sum();
        let share = |keep: &dyn Fn(&Key) -> bool| {
            jigs.iter()
                .filter(|k| keep(&k.key))
                .map(|k| k.tunes)
                .sum::<f64>()
                / all
        };
        assert!(share(&|k| k.tonic.letter == Letter::G || k.tonic.letter == Letter::D) > 0.5);
        let minor = share(&|k| k.mode.is_minor());
        assert!((0.15..0.3).contains(&minor), "{minor}");
        assert!(jigs.iter().any(|k| k.key.mode == Mode::Mixolydian));
    }

    #[test]
    fn only_the_fiddle_kinds_have_keys() {
        for family in ["jig", "reel", "hornpipe"] {
            assert!(!keys_of(family).is_empty(), "{family}");
        }
        assert!(keys_of("song").is_empty());
    }

    #[test]
    fn reels_in_d_mostly_reach_from_d4_and_rarer_keys_take_every_keys_compasses() {
        let in_d = compasses_of("reel", 2, false);
        let all: f64 = in_d.iter().map(|c| c.tunes).sum();
        let from_d4: f64 = in_d.iter().filter(|c| c.low == 62).map(|c| c.tunes).sum();
        assert!(from_d4 / all > 0.6, "{from_d4} of {all}");
        assert!(in_d.iter().all(|c| c.low < c.high));
        // Too few reels are in F# minor for a compass of their own.
        let pooled = compasses_of("reel", 6, true);
        assert!(pooled.len() > in_d.len());
        assert!(compasses_of("song", 2, false).is_empty());
    }
}
