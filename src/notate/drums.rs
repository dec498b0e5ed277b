//! Where each General MIDI drum sits on the percussion staff, and its note head: the usual
//! drum-kit layout (bass drum in the bottom space, snare in the third, cymbals above the
//! staff with crossed heads), close to what MuseScore's default kit shows. Two drums of one
//! piece on one line are told apart by a sharp on the second (and its note head), so that
//! ABC, which maps written pitches to drums, plays each one.

use std::collections::{BTreeMap, BTreeSet};

use crate::theory::{Key, Letter, Mode, NoteName, Pitch, Spelling};

/// (key, display step, display octave, note head); keys not listed sit on the top line.
const POSITIONS: [(u8, char, i32, &str); 24] = [
    (35, 'E', 4, "normal"),   // acoustic bass drum
    (36, 'F', 4, "normal"),   // bass drum
    (37, 'C', 5, "x"),        // side stick
    (38, 'C', 5, "normal"),   // snare
    (39, 'B', 4, "x"),        // hand clap
    (40, 'C', 5, "normal"),   // electric snare
    (41, 'A', 4, "normal"),   // low floor tom
    (42, 'G', 5, "x"),        // closed hi-hat
    (43, 'G', 4, "normal"),   // high floor tom
    (44, 'D', 4, "x"),        // pedal hi-hat
    (45, 'B', 4, "normal"),   // low tom
    (46, 'G', 5, "circle-x"), // open hi-hat
    (47, 'D', 5, "normal"),   // low-mid tom
    (48, 'E', 5, "normal"),   // hi-mid tom
    (49, 'A', 5, "x"),        // crash
    (50, 'F', 5, "normal"),   // high tom
    (51, 'F', 5, "x"),        // ride
    (52, 'B', 5, "x"),        // chinese cymbal
    (53, 'F', 5, "diamond"),  // ride bell
    (54, 'E', 5, "x"),        // tambourine
    (55, 'B', 5, "x"),        // splash
    (56, 'A', 4, "triangle"), // cowbell
    (57, 'B', 5, "x"),        // crash 2
    (70, 'D', 5, "x"),        // maracas
];

/// Where drum `key` is written: (display step, display octave, note head).
pub fn position(key: u8) -> (char, i32, &'static str) {
    POSITIONS
        .iter()
        .find(|p| p.0 == key)
        .map_or(('F', 5, "x"), |p| (p.1, p.2, p.3))
}

/// The written note of each of `keys`, the drums one piece strikes, each on a pitch of its
/// own: its place in the table, with a sharp (else a flat) where a lower key took the plain
/// one, else the next free pitch up. Keys General MIDI does not name (outside 35 to 81, which
/// abc2midi cannot map) are written at their own pitch, and placed first.
pub(super) fn written(keys: &BTreeSet<u8>) -> BTreeMap<u8, Spelling> {
    let c_major = Key::new(NoteName::new(Letter::C, 0), Mode::Major);
    let (named, unnamed): (Vec<u8>, Vec<u8>) = keys.iter().partition(|k| (35..=81).contains(*k));
    let mut out: BTreeMap<u8, Spelling> = unnamed
        .into_iter()
        .map(|k| (k, c_major.spell_pitch(Pitch(k))))
        .collect();
    let mut taken: BTreeSet<Option<Pitch>> = out.values().map(|s| pitch_of(*s)).collect();
    for key in named {
        let (step, octave, _) = position(key);
        let letter = Letter::from_char(step).unwrap_or(Letter::F);
        let place = |alter| Spelling {
            name: NoteName::new(letter, alter),
            octave,
        };
        let base = pitch_of(place(0)).map_or(60, |p| p.0);
        let spelling = [place(0), place(1), place(-1)]
            .into_iter()
            .chain((base + 2..=127).map(|p| c_major.spell_pitch(Pitch(p))))
            .find(|s| !taken.contains(&pitch_of(*s)))
            .unwrap_or(place(0));
        taken.insert(pitch_of(spelling));
        out.insert(key, spelling);
    }
    out
}

fn pitch_of(spelling: Spelling) -> Option<Pitch> {
    Pitch::from_name(spelling.name, spelling.octave)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drums_on_one_line_are_told_apart_by_a_sharp() {
        let kit = written(&[36, 38, 40, 42, 46, 90].into());
        let text: Vec<String> = kit.values().map(ToString::to_string).collect();
        assert_eq!(text, ["F4", "C5", "C#5", "G5", "G#5", "F#6"]);
        // Three on one place: plain, sharp, flat, then the next free pitch up.
        let crowded = written(&[70, 71, 72, 73].into());
        let text: Vec<String> = crowded.values().map(ToString::to_string).collect();
        assert_eq!(text, ["D5", "F5", "F#5", "Fb5"]);
    }
}
