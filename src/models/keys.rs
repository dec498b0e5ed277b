//! The keys real tunes of each kind are written in, learned from the training collections: a
//! dance tune whose prompt leaves the key to tunec draws one of them by how many tunes have it.

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
            panic!("an unknown record in the key model: {record:?}");
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
}
