//! The MusicXML plays the MIDI file's notes: read back with quick-xml (tests/musicxml/read.rs),
//! repeats expanded and ties joined, every example over 50 seeds gives the MIDI's notes part by
//! part (channel, key, onset, length; swing applied as the MIDI plays it). And snapshots of a
//! few examples' MusicXML.

mod common;
#[path = "musicxml/read.rs"]
mod read;

use std::collections::BTreeMap;

use common::{named_examples, score};
use midly::{MidiMessage, Smf, TrackEventKind};
use read::Played;
use tunec::render;
use tunec::score::Score;

/// The notes of a MIDI file, sorted.
fn midi_notes(bytes: &[u8]) -> Played {
    let smf = Smf::parse(bytes).unwrap();
    let mut notes = Vec::new();
    for track in &smf.tracks {
        let (mut now, mut sounding) = (0u32, BTreeMap::new());
        for event in track {
            now += event.delta.as_int();
            let TrackEventKind::Midi { channel, message } = event.kind else {
                continue;
            };
            let channel = channel.as_int();
            match message {
                MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => {
                    sounding.insert(key.as_int(), now);
                }
                MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => {
                    let start = sounding.remove(&key.as_int()).expect("a note-on first");
                    notes.push((channel, key.as_int(), start, now - start));
                }
                _ => {}
            }
        }
    }
    notes.sort_unstable();
    notes
}

/// The written notes as the MIDI file plays them: swung, and ending by the last bar line.
fn performed(score: &Score, written: Played) -> Played {
    let end = score.total_ticks();
    let time = |tick: u32| score.performed(tick).min(end);
    let mut notes: Played = written
        .into_iter()
        .map(|(c, k, start, length)| (c, k, time(start), time(start + length) - time(start)))
        .collect();
    notes.sort_unstable();
    notes
}

fn check(what: &str, score: &Score) {
    let xml = String::from_utf8(render::musicxml::render(score)).unwrap();
    let got = performed(score, read::played(&xml));
    let want = midi_notes(&render::midi::render(score));
    if got != want {
        let first = got.iter().zip(&want).position(|(g, w)| g != w);
        let first = first.unwrap_or(got.len().min(want.len()));
        panic!(
            "{what}: the MusicXML plays {} notes, the MIDI {}; first difference at #{first}: \
             MusicXML {:?}, MIDI {:?} (channel, key, onset, length)",
            got.len(),
            want.len(),
            got.get(first),
            want.get(first)
        );
    }
}

#[test]
fn every_example_over_50_seeds_plays_the_midi_files_notes() {
    for (name, source) in named_examples() {
        for seed in 0..50 {
            check(&format!("{name} seed {seed}"), &score(&name, &source, seed));
        }
    }
}

#[test]
fn snapshots_of_three_examples() {
    for (name, source) in named_examples() {
        if ["harbour_lights", "hornpipe_swung", "lullaby_arpeggios"].contains(&name.as_str()) {
            let xml = render::musicxml::render(&score(&name, &source, 0));
            insta::assert_snapshot!(name, String::from_utf8(xml).unwrap());
        }
    }
}
