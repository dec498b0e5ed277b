//! MusicXML 4.0, partwise, written from the notation (`crate::notate`) so that it shows the
//! same measures, ties, spelling and clefs as the ABC, and plays the Score's notes.
//!
//! - A part per staff, named after its role, with its General MIDI instrument and channel;
//!   the drums a percussion part whose notes are unpitched, each tied to its own
//!   `<score-instrument>` (General MIDI key as `<midi-unpitched>`, counted from 1).
//! - `<divisions>` is 480, the Score's ticks per quarter, so every duration is the Score's.
//! - The top part carries the tempo (the meter's real beat: a dotted quarter in 6/8) and a
//!   new metronome mark with its `<sound tempo>` where a section changes it, the swing, the rehearsal marks at section starts and the chord symbols as `<harmony>` (with
//!   `<bass>` for an inversion); every part its dynamic mark at the start and where a section
//!   changes it, a `<wedge>` from the first bar of a section that swells or fades to the last
//!   note of its last bar, and a new `<key>` or `<time>` where the key or meter changes.
//! - A pickup is measure 0, `implicit="yes"`; the last measure gives its time back.
//! - Written through quick-xml, which escapes every title and name and closes every element.

mod drums;
mod measure;
mod xml;

use std::collections::BTreeSet;

use crate::notate::{Staff, notate};
use crate::presets::instruments;
use crate::score::Score;
use crate::theory::KeySignature;
use xml::Xml;

pub use crate::notate::drum_position;

const DOCTYPE: &str = r#"score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd""#;

/// The bytes of the MusicXML file for `score`.
pub fn render(score: &Score) -> Vec<u8> {
    let notation = notate(score);
    // A part per pitched staff, and one for the drums' voices.
    let parts: Vec<&[Staff]> = (notation.staves.iter())
        .map(std::slice::from_ref)
        .chain(Some(&notation.drums[..]).filter(|d| !d.is_empty()))
        .collect();
    let mut xml = Xml::new();
    xml.prologue(DOCTYPE);
    xml.element("score-partwise", &[("version", "4.0")], |xml| {
        xml.element("work", &[], |xml| xml.text("work-title", &score.title));
        xml.element("identification", &[], |xml| {
            let composer = format!("tunec, seed {}", score.seed);
            xml.text_with("creator", &[("type", "composer")], &composer);
            xml.element("encoding", &[], |xml| xml.text("software", "tunec"));
        });
        xml.element("part-list", &[], |xml| {
            for (i, voices) in parts.iter().enumerate() {
                score_part(xml, &part_id(i), voices);
            }
        });
        for (i, voices) in parts.iter().enumerate() {
            let id = part_id(i);
            xml.element("part", &[("id", &id)], |xml| {
                measure::write_part(xml, score, &notation, voices, i == 0, &id);
            });
        }
    });
    xml.into_bytes()
}

fn part_id(index: usize) -> String {
    format!("P{}", index + 1)
}

/// The General MIDI keys the drum staff's voices strike, lowest first.
pub(super) fn drum_keys(voices: &[Staff]) -> BTreeSet<u8> {
    voices
        .iter()
        .flat_map(|v| &v.measures)
        .flat_map(|m| &m.events)
        .flat_map(|e| &e.notes)
        .map(|n| n.pitch.0)
        .collect()
}

/// `<score-part>`: the part's name, its instrument (or the drum kit's) and MIDI setup.
fn score_part(xml: &mut Xml, id: &str, voices: &[Staff]) {
    let staff = &voices[0];
    xml.element("score-part", &[("id", id)], |xml| {
        xml.text("part-name", staff.label());
        let channel = staff.channel + 1;
        if staff.clef == crate::notate::Clef::Percussion {
            let keys = drum_keys(voices);
            for &key in &keys {
                let instrument = format!("{id}-I{}", key as u32 + 1);
                xml.element("score-instrument", &[("id", &instrument)], |xml| {
                    xml.text("instrument-name", instruments::drum_name(key));
                });
            }
            for &key in &keys {
                let instrument = format!("{id}-I{}", key as u32 + 1);
                xml.element("midi-instrument", &[("id", &instrument)], |xml| {
                    xml.text("midi-channel", channel);
                    xml.text("midi-unpitched", key as u32 + 1);
                });
            }
            return;
        }
        let instrument = format!("{id}-I1");
        xml.element("score-instrument", &[("id", &instrument)], |xml| {
            xml.text("instrument-name", instruments::name(staff.program));
        });
        xml.element("midi-instrument", &[("id", &instrument)], |xml| {
            xml.text("midi-channel", channel);
            xml.text("midi-program", staff.program);
        });
    });
}

/// The key signature's mode as MusicXML names it: major or minor. A church mode's name
/// (valid MusicXML) is left out, as MuseScore 3 rejects it with an error; the signature's
/// fifths still say it all.
fn mode_name(signature: &KeySignature) -> Option<&'static str> {
    use crate::theory::Mode;
    match signature.key.mode {
        Mode::Major | Mode::MajorPentatonic => Some("major"),
        Mode::Minor | Mode::HarmonicMinor | Mode::MinorPentatonic => Some("minor"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
