//! Standard MIDI File, format 1, 480 ticks per quarter: a conductor track (the title as its
//! name, tempo, signatures, a marker named after each section where it starts), then one
//! track per part.

use midly::num::{u4, u7, u15, u24, u28};
use midly::{Format, Header, MetaMessage, MidiMessage, Smf, Timing, TrackEvent, TrackEventKind};

use crate::score::{Change, Part, Score};
use crate::theory::meter::TICKS_PER_QUARTER;
use crate::theory::{Key, Meter, Mode};

/// The bytes of the MIDI file for `score`.
pub fn render(score: &Score) -> Vec<u8> {
    let end = score.total_ticks();
    let sections: Vec<(u32, String)> = score
        .sections
        .iter()
        .map(|(bar, name)| (score.bar_start(*bar), name.to_string()))
        .collect();
    let mut tracks = vec![conductor(score, &sections, end)];
    // Swing may move a time past the end when a pickup puts the last bar line off the beat:
    // the piece still ends there.
    let time = |tick: u32| score.performed(tick).min(end);
    let labels: Vec<String> = score.parts.iter().map(Part::label).collect();
    let parts = score.parts.iter().zip(&labels);
    tracks.extend(parts.map(|(p, label)| part_track(p, label, end, &time)));
    let smf = Smf {
        header: Header::new(
            Format::Parallel,
            Timing::Metrical(u15::new(TICKS_PER_QUARTER as u16)),
        ),
        tracks,
    };
    let mut bytes = Vec::new();
    smf.write_std(&mut bytes)
        .expect("writing to memory cannot fail");
    bytes
}

/// Events at absolute ticks, turned into delta times; ends with end-of-track at `end`.
fn track(mut events: Vec<(u32, TrackEventKind<'_>)>, end: u32) -> Vec<TrackEvent<'_>> {
    events.push((end, TrackEventKind::Meta(MetaMessage::EndOfTrack)));
    let mut now = 0;
    events
        .into_iter()
        .map(|(tick, kind)| {
            let delta = tick - now;
            now = tick;
            TrackEvent {
                delta: u28::new(delta),
                kind,
            }
        })
        .collect()
}

/// Track 0: everything but the notes. `sections` are (tick, name) of each section's start.
fn conductor<'a>(score: &'a Score, sections: &'a [(u32, String)], end: u32) -> Vec<TrackEvent<'a>> {
    let meter = score.meter;
    // A pickup is a bar of its own length, as notation programs write one; then the meter.
    let meter_signature = time_signature(meter.count, meter.unit, meter);
    let opening_signature = match score.pickup {
        0 => meter_signature,
        ticks => {
            let (count, unit) = pickup_signature(ticks, meter);
            time_signature(count, unit, meter)
        }
    };
    let mut events = vec![
        (
            0,
            TrackEventKind::Meta(MetaMessage::TrackName(score.title.as_bytes())),
        ),
        (
            0,
            TrackEventKind::Meta(MetaMessage::Tempo(u24::new(
                meter.micros_per_quarter(score.tempo),
            ))),
        ),
        (0, opening_signature),
        (0, key_signature(score.key)),
    ];
    if score.pickup > 0 {
        events.push((score.pickup, meter_signature));
    }
    // Keys and meters that change at a bar line.
    for (bar, change) in &score.changes {
        let signature = match *change {
            Change::Key(key) => key_signature(key),
            Change::Meter(meter) => time_signature(meter.count, meter.unit, meter),
            Change::Tempo(bpm) => TrackEventKind::Meta(MetaMessage::Tempo(u24::new(
                score.meter_at(*bar).micros_per_quarter(bpm),
            ))),
        };
        events.push((score.bar_start(*bar), signature));
    }
    let markers = sections.iter().map(|(tick, name)| {
        (
            *tick,
            TrackEventKind::Meta(MetaMessage::Marker(name.as_bytes())),
        )
    });
    events.extend(markers);
    // In time order, a signature before a marker at the same tick (the sort is stable).
    events.sort_by_key(|(tick, _)| *tick);
    track(events, end)
}

fn key_signature<'a>(key: Key) -> TrackEventKind<'a> {
    let minor = matches!(
        key.mode,
        Mode::Minor | Mode::Aeolian | Mode::HarmonicMinor | Mode::MinorPentatonic
    );
    TrackEventKind::Meta(MetaMessage::KeySignature(key.signature(), minor))
}

fn time_signature<'a>(count: u8, unit: u8, meter: Meter) -> TrackEventKind<'a> {
    TrackEventKind::Meta(MetaMessage::TimeSignature(
        count,
        unit.trailing_zeros() as u8,
        (24 * meter.beat_ticks() / TICKS_PER_QUARTER) as u8,
        8,
    ))
}

/// The time signature of a pickup bar `ticks` long: counted in the meter's unit, or the
/// coarsest shorter one that counts it whole.
fn pickup_signature(ticks: u32, meter: Meter) -> (u8, u8) {
    let units = std::iter::successors(Some(meter.unit), |u| (*u < 64).then_some(u * 2));
    units
        .map(|unit| (unit, TICKS_PER_QUARTER * 4 / unit as u32))
        .find(|(_, length)| ticks.is_multiple_of(*length))
        .map_or((1, 64), |(unit, length)| ((ticks / length) as u8, unit))
}

fn part_track<'a>(
    part: &'a Part,
    label: &'a str,
    end: u32,
    time: &dyn Fn(u32) -> u32,
) -> Vec<TrackEvent<'a>> {
    let channel = u4::new(part.channel);
    let mut events = vec![
        (
            0,
            TrackEventKind::Meta(MetaMessage::TrackName(label.as_bytes())),
        ),
        (
            0,
            TrackEventKind::Midi {
                channel,
                message: MidiMessage::ProgramChange {
                    program: u7::new(part.program - 1),
                },
            },
        ),
    ];
    // Sort key: tick, then note-offs before note-ons, so a repeated pitch never overlaps itself.
    let mut notes: Vec<(u32, u8, u8, u8)> = Vec::new();
    for note in &part.notes {
        notes.push((time(note.start), 1, note.pitch.0, note.velocity));
        notes.push((time(note.end()), 0, note.pitch.0, 0));
    }
    notes.sort_unstable();
    events.extend(notes.into_iter().map(|(tick, on, key, vel)| {
        let key = u7::new(key);
        let message = if on == 1 {
            MidiMessage::NoteOn {
                key,
                vel: u7::new(vel),
            }
        } else {
            MidiMessage::NoteOff {
                key,
                vel: u7::new(0),
            }
        };
        (tick, TrackEventKind::Midi { channel, message })
    }));
    track(events, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pickup_bar_is_counted_in_the_meters_unit_or_a_shorter_one() {
        let six_eight = Meter::new(6, 8).unwrap();
        assert_eq!(pickup_signature(240, six_eight), (1, 8));
        assert_eq!(pickup_signature(480, six_eight), (2, 8));
        assert_eq!(pickup_signature(120, six_eight), (1, 16));
        assert_eq!(pickup_signature(480, Meter::new(4, 4).unwrap()), (1, 4));
    }

    #[test]
    fn key_and_meter_changes_are_signatures_at_their_bar_lines() {
        use crate::theory::{Letter, NoteName};
        let four = Meter::new(4, 4).unwrap();
        let mut score = crate::score::fixtures::melody_over_c(four, Vec::new());
        score.bars = 3;
        let d = Key::new(NoteName::new(Letter::D, 0), Mode::Major);
        let three = Meter::new(3, 4).unwrap();
        score.changes = vec![(1, Change::Key(d)), (2, Change::Meter(three))];
        let bytes = render(&score);
        let smf = Smf::parse(&bytes).unwrap();
        let mut now = 0;
        let mut signatures = Vec::new();
        for event in &smf.tracks[0] {
            now += event.delta.as_int();
            match event.kind {
                TrackEventKind::Meta(MetaMessage::KeySignature(fifths, _)) => {
                    signatures.push((now, "key", fifths as i32));
                }
                TrackEventKind::Meta(MetaMessage::TimeSignature(count, ..)) => {
                    signatures.push((now, "time", count as i32));
                }
                TrackEventKind::Meta(MetaMessage::EndOfTrack) => assert_eq!(now, 5280),
                _ => {}
            }
        }
        assert_eq!(
            signatures,
            [
                (0, "time", 4),
                (0, "key", 0),
                (1920, "key", 2),
                (3840, "time", 3)
            ]
        );
    }
}
