//! SoundFonts that cover the notes. A General MIDI SoundFont may have no sample for part of an
//! instrument's range (TimGM6mb's tin whistle stops below G#5), and the synthesizer then plays
//! those notes as silence. For each pitched part this finds the notes its program cannot sound
//! and the nearest General MIDI program that sounds them all — the same family first (a
//! whistle's gap goes to another pipe), then the nearest number — so that the renderer plays
//! those notes with it, and the front door says so: as a note when the program came from a
//! preset, as a warning naming every note affected when the user wrote the instrument.

use rustysynth::SoundFont;

use crate::presets::instruments;
use crate::score::Score;

/// The MIDI channel (0-based) of the drums, which play bank 128's kit, not a program.
const DRUM_CHANNEL: u8 = 9;

/// A part whose program has no sample for some of its notes in the SoundFont.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// The part: `melody`, `bass`.
    pub part: &'static str,
    /// Its channel (0-based).
    pub channel: u8,
    /// Its General MIDI program (1-based).
    pub program: u8,
    /// The keys it cannot sound, lowest first, each once.
    pub keys: Vec<u8>,
    /// How many of the part's notes those are.
    pub notes: usize,
    /// The nearest program that sounds every one of those keys, if any.
    pub stand_in: Option<u8>,
    /// The line on which the user named the part's instrument (`melody: tin whistle`); none
    /// when a preset or default chose it.
    pub asked_on: Option<usize>,
}

impl Gap {
    /// One sentence: which notes are missing and what plays them.
    pub fn describe(&self) -> String {
        let (low, high) = (self.keys[0], self.keys[self.keys.len() - 1]);
        let range = match low == high {
            true => key_name(low),
            false => format!("{}–{}", key_name(low), key_name(high)),
        };
        let asked = instruments::name(self.program);
        let played = match self.stand_in {
            Some(p) => format!("they play as {} ({p})", instruments::name(p)),
            None => "no General MIDI program in it has them, so they are silent".to_string(),
        };
        let notes = format!(
            "{} note{} of the {}",
            self.notes,
            if self.notes == 1 { "" } else { "s" },
            self.part
        );
        let program = self.program;
        match self.asked_on {
            None => format!(
                "the SoundFont has no {asked} ({program}) samples for {notes} ({range}); {played}"
            ),
            Some(line) => {
                let keys: Vec<String> = self.keys.iter().map(|&k| key_name(k)).collect();
                format!(
                    "the SoundFont has no samples of the {asked} ({program}) asked for on line \
                     {line} for {notes}: {}; {played}",
                    keys.join(", ")
                )
            }
        }
    }
}

/// The parts of `score` that `font` cannot sound in full, in the score's order.
pub fn gaps(font: &SoundFont, score: &Score) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for part in score.parts.iter().filter(|p| p.channel != DRUM_CHANNEL) {
        let silent: Vec<(u8, u8)> = (part.notes.iter())
            .map(|n| (n.pitch.0.min(127), n.velocity.clamp(1, 127)))
            .filter(|&(key, velocity)| !sounds(font, part.program, key, velocity))
            .collect();
        if silent.is_empty() {
            continue;
        }
        let mut keys: Vec<u8> = silent.iter().map(|&(k, _)| k).collect();
        keys.sort_unstable();
        keys.dedup();
        gaps.push(Gap {
            part: part.name(),
            channel: part.channel,
            program: part.program,
            keys,
            notes: silent.len(),
            stand_in: nearest(font, part.program, &silent),
            asked_on: None,
        });
    }
    gaps
}

/// Whether `font` has a sample for `key` at `velocity` on General MIDI `program` (1-based,
/// bank 0): a preset region and one of its instrument's regions both hold the key.
pub fn sounds(font: &SoundFont, program: u8, key: u8, velocity: u8) -> bool {
    let (key, velocity) = (key as i32, velocity as i32);
    let patch = program.clamp(1, 128) as i32 - 1;
    let instruments = font.get_instruments();
    (font.get_presets().iter())
        .filter(|p| p.get_bank_number() == 0 && p.get_patch_number() == patch)
        .flat_map(|p| p.get_regions())
        .filter(|r| r.contains(key, velocity))
        .filter_map(|r| instruments.get(r.get_instrument_id()))
        .any(|i| i.get_regions().iter().any(|r| r.contains(key, velocity)))
}

/// The program nearest `program` that sounds every note of `notes`: the same General MIDI family
/// of eight first, then by distance, the lower on a tie.
fn nearest(font: &SoundFont, program: u8, notes: &[(u8, u8)]) -> Option<u8> {
    let family = |p: u8| (p - 1) / 8;
    let mut candidates: Vec<u8> = (1..=128).filter(|&p| p != program).collect();
    candidates.sort_by_key(|&p| (family(p) != family(program), p.abs_diff(program), p));
    candidates.into_iter().find(|&p| {
        notes
            .iter()
            .all(|&(key, velocity)| sounds(font, p, key, velocity))
    })
}

/// `G#5`: a MIDI key in scientific pitch (60 is C4).
fn key_name(key: u8) -> String {
    const NAMES: [&str; 12] = [
        "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B",
    ];
    format!("{}{}", NAMES[key as usize % 12], key as i32 / 12 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_in_scientific_pitch() {
        assert_eq!(key_name(60), "C4");
        assert_eq!(key_name(80), "G#5");
        assert_eq!(key_name(21), "A0");
    }

    #[test]
    fn a_gap_says_which_notes_and_what_plays_them() {
        let gap = Gap {
            part: "melody",
            channel: 0,
            program: 79,
            keys: vec![80, 81, 86],
            notes: 12,
            stand_in: Some(80),
            asked_on: None,
        };
        assert_eq!(
            gap.describe(),
            "the SoundFont has no whistle (79) samples for 12 notes of the melody (G#5–D6); \
             they play as ocarina (80)"
        );
        let one = Gap {
            keys: vec![90],
            notes: 1,
            stand_in: None,
            ..gap
        };
        assert!(one.describe().ends_with(
            "1 note of the melody (F#6); no General MIDI program in it has them, so they are silent"
        ));
        let asked = Gap {
            asked_on: Some(3),
            ..one.clone()
        };
        assert_eq!(
            asked.describe(),
            "the SoundFont has no samples of the whistle (79) asked for on line 3 for 1 note of \
             the melody: F#6; no General MIDI program in it has them, so they are silent"
        );
        let several = Gap {
            keys: vec![79, 81, 83],
            notes: 9,
            ..asked
        };
        assert!(
            several
                .describe()
                .contains("9 notes of the melody: G5, A5, B5;")
        );
    }
}
