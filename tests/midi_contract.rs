//! Reads each example's MIDI back with midly and checks the contract of DESIGN §4.

use std::collections::BTreeMap;

use midly::{Format, MetaMessage, MidiMessage, Smf, Timing, TrackEventKind};
use tunec::{Options, compile, render};

#[test]
fn every_example_honours_the_midi_contract() {
    let mut paths: Vec<_> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "tune"));
    paths.sort();
    for path in paths {
        let source = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        for seed in [0, 1, 99] {
            let compiled = compile(&source, &Options::new().seed(seed).name(name.clone())).unwrap();
            let bytes = render::midi::render(compiled.score());
            check(
                &bytes,
                compiled.score(),
                &format!("{} seed {seed}", path.display()),
            );
        }
    }
}

fn check(bytes: &[u8], score: &tunec::score::Score, what: &str) {
    let smf = Smf::parse(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(smf.header.format, Format::Parallel, "{what}: format 1");
    assert_eq!(
        smf.header.timing,
        Timing::Metrical(480.into()),
        "{what}: 480 ppq"
    );
    assert_eq!(
        smf.tracks.len(),
        score.parts.len() + 1,
        "{what}: one track per part plus conductor"
    );
    let end = score.total_ticks();

    // Conductor: title, tempo, time signature, key signature, end at the last bar line.
    let conductor = absolute(&smf.tracks[0]);
    let metas: Vec<&MetaMessage> = conductor
        .iter()
        .filter_map(|(_, k)| match k {
            TrackEventKind::Meta(m) => Some(m),
            _ => None,
        })
        .collect();
    assert!(
        metas.contains(&&MetaMessage::TrackName(score.title.as_bytes())),
        "{what}: title"
    );
    // A marker named after each section, where it starts.
    let markers: Vec<(u32, String)> = conductor
        .iter()
        .filter_map(|(t, k)| match k {
            TrackEventKind::Meta(MetaMessage::Marker(text)) => {
                Some((*t, String::from_utf8_lossy(text).into_owned()))
            }
            _ => None,
        })
        .collect();
    let sections: Vec<(u32, String)> = score
        .sections
        .iter()
        .map(|(bar, name)| (score.bar_start(*bar), name.to_string()))
        .collect();
    assert_eq!(markers, sections, "{what}: section markers");
    assert!(metas.iter().any(|m| matches!(m, MetaMessage::Tempo(t) if t.as_int() == score.meter.micros_per_quarter(score.tempo))), "{what}: tempo");
    assert!(
        metas.iter().any(|m| matches!(m, MetaMessage::TimeSignature(n, d, _, _) if *n == score.meter.count && 1 << d == score.meter.unit)),
        "{what}: time signature"
    );
    assert!(
        metas
            .iter()
            .any(|m| matches!(m, MetaMessage::KeySignature(sf, _) if *sf == score.key.signature())),
        "{what}: key signature"
    );
    assert_eq!(
        conductor.last().unwrap(),
        &(end, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
        "{what}: conductor ends at the last bar line"
    );

    for (track, part) in smf.tracks[1..].iter().zip(&score.parts) {
        let events = absolute(track);
        let label = format!("{what} {}", part.name());
        // A doubling's track names its instrument too: `melody (flute)`.
        let name = part.label();
        assert!(
            events.contains(&(
                0,
                TrackEventKind::Meta(MetaMessage::TrackName(name.as_bytes()))
            )),
            "{label}: name"
        );
        assert_eq!(
            events.last().unwrap(),
            &(end, TrackEventKind::Meta(MetaMessage::EndOfTrack)),
            "{label}: ends at the last bar line"
        );
        let mut program = None;
        let mut sounding: BTreeMap<u8, u32> = BTreeMap::new();
        let mut notes = 0;
        for (tick, kind) in &events {
            let TrackEventKind::Midi { channel, message } = kind else {
                continue;
            };
            assert_eq!(channel.as_int(), part.channel, "{label}: its own channel");
            match message {
                MidiMessage::ProgramChange { program: p } => {
                    assert_eq!(*tick, 0, "{label}: program change at tick 0");
                    program = Some(p.as_int() + 1);
                }
                MidiMessage::NoteOn { key, vel } if vel.as_int() > 0 => {
                    assert!(
                        sounding.insert(key.as_int(), *tick).is_none(),
                        "{label}: {key} overlaps itself at {tick}"
                    );
                    if part.role == tunec::resolve::PartRole::Melody {
                        assert_eq!(sounding.len(), 1, "{label}: melody is monophonic at {tick}");
                    }
                    notes += 1;
                }
                MidiMessage::NoteOn { key, .. } | MidiMessage::NoteOff { key, .. } => {
                    assert!(
                        sounding.remove(&key.as_int()).is_some(),
                        "{label}: note-off without note-on at {tick}"
                    );
                    assert!(*tick <= end, "{label}: note ends after the last bar line");
                }
                _ => {}
            }
        }
        assert!(
            sounding.is_empty(),
            "{label}: every note-on has its note-off"
        );
        assert_eq!(program, Some(part.program), "{label}: program");
        assert_eq!(notes, part.notes.len(), "{label}: note count");
    }
}

fn absolute<'a>(track: &[midly::TrackEvent<'a>]) -> Vec<(u32, TrackEventKind<'a>)> {
    let mut now = 0;
    track
        .iter()
        .map(|e| {
            now += e.delta.as_int();
            (now, e.kind)
        })
        .collect()
}
