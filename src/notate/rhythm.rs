//! Rhythm as written: a measure cut into stretches of unchanging sound, each written as tied
//! note values, inside triplets where the lengths need them.

use std::collections::BTreeSet;

use super::{ChordSymbol, Event, Length, Tie, Tuplet, WrittenNote};
use crate::score::{ChordSpan, Note};
use crate::theory::meter::TICKS_PER_QUARTER;
use crate::theory::{Chord, NoteValue, Pitch, Spelling};

/// A stretch of one staff within a measure: the pitches sounding (none for a rest) and the
/// chord symbol starting here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Stretch {
    pub ticks: u32,
    pub sounding: Vec<Sounding>,
    pub chord: Option<ChordSymbol>,
}

/// A pitch sounding through a stretch, and whether it was struck before it or goes on after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Sounding {
    pub pitch: Pitch,
    pub from_previous: bool,
    pub to_next: bool,
}

/// Where the harmony changes chord, and to what: a span repeating its predecessor's chord
/// is no change, unless it starts at one of `restated` (sorted ticks; section starts).
pub(super) fn chord_changes(harmony: &[ChordSpan], restated: &[u32]) -> Vec<(u32, Chord)> {
    let mut previous = None;
    let mut changes: Vec<(u32, Chord)> = Vec::new();
    for span in harmony {
        if previous != Some(span.chord) {
            changes.push((span.start, span.chord));
        }
        previous = Some(span.chord);
    }
    // A restated chord goes where a span ends before the tick and another begins at it, or
    // inside a span: either way the chord sounding there.
    for &tick in restated {
        if let Some(span) = crate::score::span_at(harmony, tick) {
            let at = changes.partition_point(|(t, _)| *t < tick);
            if changes.get(at).is_none_or(|(t, _)| *t != tick) {
                changes.insert(at, (tick, span.chord));
            }
        }
    }
    changes
}

/// The stretches of `notes` in `[start, end)`, cut at every note start and end and at every
/// chord change in `chords` (sorted by time). Adjacent rests with no symbol between merge.
pub(super) fn stretches(
    notes: &[Note],
    chords: &[(u32, ChordSymbol)],
    start: u32,
    end: u32,
) -> Vec<Stretch> {
    let notes: Vec<&Note> = notes
        .iter()
        .filter(|n| n.start < end && n.end() > start)
        .collect();
    let first = chords.partition_point(|(t, _)| *t < start);
    let last = chords.partition_point(|(t, _)| *t < end);
    let chords = &chords[first..last];
    let mut cuts: BTreeSet<u32> = [start, end].into();
    for n in &notes {
        cuts.extend(
            [n.start, n.end()]
                .into_iter()
                .filter(|t| (start..end).contains(t)),
        );
    }
    cuts.extend(chords.iter().map(|(t, _)| *t));
    let cuts: Vec<u32> = cuts.into_iter().collect();
    let mut out: Vec<Stretch> = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let sounding = sounding(&notes, a, b);
        let chord = chords.iter().find(|(t, _)| *t == a).map(|(_, c)| *c);
        match out.last_mut() {
            Some(last) if sounding.is_empty() && last.sounding.is_empty() && chord.is_none() => {
                last.ticks += b - a;
            }
            _ => out.push(Stretch {
                ticks: b - a,
                sounding,
                chord,
            }),
        }
    }
    out
}

/// The pitches sounding through `[a, b)`, lowest first, each once (a pitch struck again while
/// still sounding is read as one note, tied on only if every copy goes on).
fn sounding(notes: &[&Note], a: u32, b: u32) -> Vec<Sounding> {
    let mut out: Vec<Sounding> = notes
        .iter()
        .filter(|n| n.start <= a && n.end() > a)
        .map(|n| Sounding {
            pitch: n.pitch,
            from_previous: n.start < a,
            to_next: n.end() > b,
        })
        .collect();
    out.sort_by_key(|s| (s.pitch, s.to_next));
    out.dedup_by_key(|s| s.pitch);
    out
}

/// A length the 32nd-note grid misses but the triplet grid (a triplet 32nd is 40 ticks)
/// holds; odd tick counts are neither and are written as they are.
fn is_triplet(ticks: u32) -> bool {
    !ticks.is_multiple_of(60) && ticks.is_multiple_of(2)
}

/// `ticks` as plain or dotted values, longest first; a remainder no value fits is kept whole.
pub(super) fn pieces(mut ticks: u32) -> Vec<u32> {
    let mut out = Vec::new();
    while ticks > 0 {
        // Only a value that leaves a remainder on the 128th grid, which the rest can fill.
        match NoteValue::WRITABLE
            .iter()
            .map(|v| v.ticks())
            .find(|&w| w <= ticks && (ticks - w).is_multiple_of(15))
        {
            Some(w) => {
                out.push(w);
                ticks -= w;
            }
            None => {
                out.push(ticks);
                ticks = 0;
            }
        }
    }
    out
}

/// The measure's events: each stretch written as tied pieces, a run of triplet stretches
/// as tuplet groups of whole quarters (written 3/2 as long, each group counting its written
/// events).
pub(super) fn events(stretches: &[Stretch], spell: impl Fn(Pitch) -> Spelling) -> Vec<Event> {
    let mut events = Vec::new();
    let mut i = 0;
    while i < stretches.len() {
        let triplet = is_triplet(stretches[i].ticks);
        let run = if triplet {
            stretches[i..]
                .iter()
                .take_while(|s| is_triplet(s.ticks))
                .count()
        } else {
            1
        };
        let mut group_start = events.len();
        let mut sounding = 0;
        for (k, stretch) in stretches[i..i + run].iter().enumerate() {
            let written = if triplet {
                stretch.ticks * 3 / 2
            } else {
                stretch.ticks
            };
            write_tied(&mut events, stretch, &pieces(written), &spell);
            sounding += stretch.ticks;
            // A group closes where it fills whole quarters, as triplets are beamed and read.
            if triplet && (sounding.is_multiple_of(TICKS_PER_QUARTER) || k + 1 == run) {
                mark_tuplet(&mut events[group_start..]);
                group_start = events.len();
            }
        }
        i += run;
    }
    events
}

/// Marks `events` as one group of triplets (3 in the time of 2).
fn mark_tuplet(events: &mut [Event]) {
    let count = events.len();
    for (index, event) in events.iter_mut().enumerate() {
        event.tuplet = Some(Tuplet {
            actual: 3,
            normal: 2,
            index,
            count,
        });
    }
}

/// `stretch` as one event per piece, tied from each piece to the next; the chord symbol on
/// the first. Accidentals are left for the measure's reading to decide.
fn write_tied(
    events: &mut Vec<Event>,
    stretch: &Stretch,
    pieces: &[u32],
    spell: &impl Fn(Pitch) -> Spelling,
) {
    for (k, &piece) in pieces.iter().enumerate() {
        let last = k + 1 == pieces.len();
        let notes = stretch
            .sounding
            .iter()
            .map(|s| WrittenNote {
                pitch: s.pitch,
                spelling: spell(s.pitch),
                accidental: None,
                tie: Tie::between(s.from_previous || k > 0, s.to_next || !last),
                sounds: None,
            })
            .collect();
        events.push(Event {
            length: Length::of_ticks(piece),
            notes,
            chord_symbol: if k == 0 { stretch.chord } else { None },
            tuplet: None,
            beams: Vec::new(),
            staccato: false,
        });
    }
}
