//! Where each General MIDI drum sits on the percussion staff, and its note head: the usual
//! drum-kit layout (bass drum in the bottom space, snare in the third, cymbals above the
//! staff with crossed heads), close to what MuseScore's default kit shows. Two drums of one
//! piece on one line are told apart by a sharp on the second (and its note head), so that
//! ABC, which maps written pitches to drums, plays each one.

use std::collections::{BTreeMap, BTreeSet};

use crate::score::{Note, Score};
use crate::theory::{Key, Letter, Mode, NoteName, NoteValue, Pitch, Spelling};

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

/// The drums a foot plays: the bass drums and the pedal hi-hat.
const FEET: [u8; 3] = [35, 36, 44];

/// The voices of the drum staff, as drummers read a kit: the hands' notes, then the feet's,
/// where both play (so a kick under a hi-hat is two voices, not one chord of two drums);
/// else all the notes in one voice.
pub(super) fn voices(notes: &[Note]) -> Vec<Vec<Note>> {
    let (feet, hands): (Vec<Note>, Vec<Note>) = notes
        .iter()
        .copied()
        .partition(|n| FEET.contains(&n.pitch.0));
    if feet.is_empty() || hands.is_empty() {
        return vec![notes.to_vec()];
    }
    vec![hands, feet]
}

/// The drum hits of one voice as a drummer reads them: each held to the next hit's onset (of any drum in the voice),
/// but not past the end of its beat, as one note value (a plain or dotted value, or a
/// triplet's), the longest that fits; so a hi-hat on the eighths reads as eighths, not as
/// sixteenths each with a rest. A drum's note-off is not what is heard, so only the written
/// length changes: the MusicXML plays each hit for its own length (`release`).
pub(super) fn held(score: &Score, notes: &[Note]) -> Vec<Note> {
    let onsets: BTreeSet<u32> = notes.iter().map(|n| n.start).collect();
    let measures = score.measures();
    notes
        .iter()
        .map(|n| {
            let next = onsets.range(n.start + 1..).next().copied();
            let beat_end = beat_end(score, &measures, n.start);
            let room = next.map_or(beat_end, |t| t.min(beat_end)) - n.start;
            let written = longest_value(room).max(n.duration);
            Note {
                duration: written,
                ..*n
            }
        })
        .collect()
}

/// Where the beat holding `tick` ends: beats count from the bar line (before a pickup, from
/// the bar line it would have), and none ends past its measure's end.
fn beat_end(score: &Score, measures: &[(u32, u32, u32)], tick: u32) -> u32 {
    let at = measures.partition_point(|m| m.1 <= tick).saturating_sub(1);
    let Some(&(number, start, end)) = measures.get(at) else {
        return tick;
    };
    let meter = score.meter_at(number.saturating_sub(1));
    let beat = meter.beat_ticks();
    let offset = if number == 0 {
        meter.bar_ticks() - (end - start)
    } else {
        0
    };
    let into = tick - start + offset;
    (start + (into / beat + 1) * beat - offset).min(end)
}

/// `room` ticks where one note value writes them (plain, dotted, or a triplet's two thirds),
/// else the longest plain or dotted value that fits; 0 when none does.
fn longest_value(room: u32) -> u32 {
    let values = NoteValue::WRITABLE.map(NoteValue::ticks);
    if values.iter().any(|&v| v == room || v * 2 / 3 == room) {
        return room;
    }
    values.into_iter().filter(|&v| v <= room).max().unwrap_or(0)
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
