//! A small MusicXML reader for the tests, on quick-xml's pull parser: each part's notes
//! (MIDI channel, key, onset, length in ticks) as played (moved by each note's `attack` and
//! `release`), ties joined and repeats expanded. It reads
//! only what tunec writes and fails on anything else it would have to understand
//! (`<forward>`, a third voice), so a surprise cannot pass unread. A `<backup>` (before the
//! drums' second voice) moves the time back by its duration.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// `(channel, key, onset, length)`, 0-based channel, ticks at 480 a quarter.
pub type Played = Vec<(u8, u8, u32, u32)>;

#[derive(Default)]
struct Note {
    chord: bool,
    rest: bool,
    step: Option<char>,
    alter: i32,
    octave: i32,
    instrument: Option<String>,
    duration: u32,
    /// How much later than written it starts and ends, when played (swing; a drum hit
    /// ends sooner than written).
    attack: i64,
    release: i64,
    tie_stop: bool,
    /// Not a note but a `<backup>`: its duration moves the time back.
    backup: bool,
}

#[derive(Default)]
struct Measure {
    notes: Vec<Note>,
    forward: bool,
    backward: bool,
    ending: Option<u8>,
}

#[derive(Default)]
struct Part {
    channel: u8,
    /// General MIDI, 1-based; none for the drums.
    program: Option<u8>,
    /// Instrument id to General MIDI key, for unpitched notes.
    keys: BTreeMap<String, u8>,
    /// Semitones from written to sounding pitch (`<transpose>`).
    transpose: i32,
    measures: Vec<Measure>,
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).unwrap().map(|a| {
        a.normalized_value(XmlVersion::Explicit1_0)
            .unwrap()
            .into_owned()
    })
}

/// Everything the parts say, by part id, in document order.
fn parts(xml: &str) -> Vec<(String, Part)> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(true);
    let mut parts: BTreeMap<String, Part> = BTreeMap::new();
    let mut order = Vec::new();
    let (mut stack, mut part, mut instrument): (Vec<String>, String, String) = Default::default();
    let mut ending = None;
    loop {
        let event = reader.read_event().unwrap();
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let p = parts.entry(part.clone()).or_default();
                let m = p.measures.last_mut();
                match name.as_str() {
                    "score-part" | "part" => {
                        part = attribute(&e, "id").unwrap();
                        if name == "part" {
                            order.push(part.clone());
                        }
                    }
                    "midi-instrument" => instrument = attribute(&e, "id").unwrap(),
                    "measure" => {
                        p.measures.push(Measure {
                            ending,
                            ..Measure::default()
                        });
                    }
                    "note" => {
                        let late = |name| attribute(&e, name).map_or(0, |a| a.parse().unwrap());
                        m.unwrap().notes.push(Note {
                            attack: late("attack"),
                            release: late("release"),
                            ..Note::default()
                        });
                    }
                    "chord" => last_note(m).chord = true,
                    "rest" => last_note(m).rest = true,
                    "instrument" => last_note(m).instrument = attribute(&e, "id"),
                    "tie" if attribute(&e, "type").as_deref() == Some("stop") => {
                        last_note(m).tie_stop = true;
                    }
                    "repeat" => match attribute(&e, "direction").as_deref() {
                        Some("forward") => m.unwrap().forward = true,
                        _ => m.unwrap().backward = true,
                    },
                    "ending" => {
                        let number = attribute(&e, "number").unwrap().parse().unwrap();
                        match attribute(&e, "type").as_deref() {
                            Some("start") => {
                                m.unwrap().ending = Some(number);
                                ending = Some(number);
                            }
                            _ => ending = None,
                        }
                    }
                    "backup" => m.unwrap().notes.push(Note {
                        backup: true,
                        ..Note::default()
                    }),
                    "forward" => panic!("tunec writes no <{name}>"),
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                let p = parts.entry(part.clone()).or_default();
                let m = p.measures.last_mut();
                match stack.last().map(String::as_str).unwrap_or("") {
                    "midi-channel" => p.channel = text.parse::<u8>().unwrap() - 1,
                    "midi-program" => p.program = Some(text.parse().unwrap()),
                    "midi-unpitched" => {
                        p.keys
                            .insert(instrument.clone(), text.parse::<u8>().unwrap() - 1);
                    }
                    "step" => last_note(m).step = text.chars().next(),
                    "alter" => last_note(m).alter = text.parse().unwrap(),
                    "octave" => last_note(m).octave = text.parse().unwrap(),
                    "chromatic" => p.transpose += text.parse::<i32>().unwrap(),
                    "octave-change" if stack.iter().any(|s| s == "transpose") => {
                        p.transpose += 12 * text.parse::<i32>().unwrap();
                    }
                    "duration" => last_note(m).duration = text.parse().unwrap(),
                    "voice" => assert!(text == "1" || text == "2", "voice {text}"),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    order
        .into_iter()
        .map(|id| {
            let part = parts.remove(&id).unwrap();
            (id, part)
        })
        .collect()
}

fn last_note(measure: Option<&mut Measure>) -> &mut Note {
    measure.unwrap().notes.last_mut().expect("inside a <note>")
}

/// The measures in the order they are played: a backward repeat goes back to the last
/// forward one (or the start) once; the second time, the first ending is skipped.
fn played_order(measures: &[Measure]) -> Vec<usize> {
    let (mut order, mut i, mut start, mut second, mut back) = (Vec::new(), 0, 0, false, 0);
    while i < measures.len() {
        let m = &measures[i];
        if second && i > back && m.ending != Some(2) {
            second = false;
        }
        if m.forward && !second {
            start = i;
        }
        let skip = match m.ending {
            Some(1) => second,
            Some(2) => !second,
            _ => false,
        };
        if !skip {
            order.push(i);
        }
        if m.backward && !second && !skip {
            (second, back, i) = (true, i, start);
            continue;
        }
        i += 1;
    }
    order
}

/// The MIDI key a pitched note sounds, `transpose` semitones from where it is written.
fn key(note: &Note, transpose: i32) -> u8 {
    let natural = match note.step.unwrap() {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        other => panic!("step {other}"),
    };
    u8::try_from(12 * (note.octave + 1) + natural + note.alter + transpose).unwrap()
}

/// Every note the MusicXML plays, repeats expanded and ties joined, sorted.
pub fn played(xml: &str) -> Played {
    let mut out = Vec::new();
    for (id, part) in parts(xml) {
        let mut now = 0;
        let mut notes: Vec<(u8, u32, u32)> = Vec::new();
        for i in played_order(&part.measures) {
            let (mut at, mut onset) = (now, now);
            let mut end = at;
            for note in &part.measures[i].notes {
                if note.backup {
                    at -= note.duration;
                    continue;
                }
                if !note.chord {
                    onset = at;
                    at += note.duration;
                    end = end.max(at);
                }
                if note.rest {
                    continue;
                }
                let key = match &note.instrument {
                    Some(instrument) => part.keys[instrument],
                    None => key(note, part.transpose),
                };
                // As played: later by its attack, ending later by its release.
                let moved = |tick: u32, by: i64| u32::try_from(i64::from(tick) + by).unwrap();
                let start = moved(onset, note.attack);
                let length = moved(onset + note.duration, note.release) - start;
                let tied = notes
                    .iter_mut()
                    .rev()
                    .find(|(k, s, l)| *k == key && s + l == start);
                match tied {
                    Some(previous) if note.tie_stop => previous.2 += length,
                    _ => {
                        assert!(!note.tie_stop, "{id}: a tie from nothing at {start}");
                        notes.push((key, start, length));
                    }
                }
            }
            now = end;
        }
        out.extend(notes.into_iter().map(|(k, s, l)| (part.channel, k, s, l)));
    }
    out.sort_unstable();
    out
}

/// Each pitched part's MIDI channel (0-based) and General MIDI program (1-based), in order.
pub fn programs(xml: &str) -> Vec<(u8, u8)> {
    parts(xml)
        .into_iter()
        .filter_map(|(_, p)| Some((p.channel, p.program?)))
        .collect()
}
