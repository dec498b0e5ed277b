//! Short notes as players read them: a sixteenth (or shorter) followed by silence for at least
//! as long, within its beat, is written as a staccato note of twice its length, which a player
//! plays about half as long — reggae's off-beat skank reads as staccato eighths, funk's stabs
//! likewise, not as sixteenths each with a rest. The sound does not change: each note
//! `sounds` its own length (MusicXML's `release`; abc2midi plays a staccato note for half its
//! value).

use super::{Event, Length, Tie, rhythm};
use crate::theory::NoteValue;
use crate::theory::meter::TICKS_PER_QUARTER;

/// Rewrites each short note of `events` followed by a long enough rest as a staccato note of
/// twice its length, where that longer value starts on its own grid within the beat of
/// `beat` ticks; `offset` ticks of the beat pass before the events start (a pickup's).
pub(super) fn mark(events: &mut Vec<Event>, beat: u32, offset: u32) {
    let mut at = offset;
    let mut i = 0;
    while i < events.len() {
        let ticks = events[i].sounding_ticks();
        if let Some(rest) = events.get(i + 1).filter(|_| is_short(&events[i]))
            && let Some(left) = room(rest, ticks)
            && (at % beat).is_multiple_of(2 * ticks)
            && at % beat + 2 * ticks <= beat
        {
            let event = &mut events[i];
            event.length = Length::of_ticks(2 * ticks);
            event.staccato = true;
            for note in &mut event.notes {
                note.sounds = Some(ticks);
            }
            let rest = events[i + 1].clone();
            let rests: Vec<Event> = (rhythm::pieces(left).into_iter())
                .map(|t| Event {
                    length: Length::of_ticks(t),
                    ..rest.clone()
                })
                .collect();
            events.splice(i + 1..i + 2, rests);
        }
        at += events[i].sounding_ticks();
        i += 1;
    }
}

/// A plain sixteenth or shorter, struck and released within its own time.
fn is_short(event: &Event) -> bool {
    let plain = matches!(event.length, Length::Value(NoteValue { dots: 0, .. }));
    !event.is_rest()
        && plain
        && event.tuplet.is_none()
        && event.length.ticks() <= TICKS_PER_QUARTER / 4
        && event.notes.iter().all(|n| n.tie == Tie::None)
}

/// What is left of `rest` once a note of `ticks` takes that much more of it: none when it is
/// not a plain rest at least that long (a chord symbol on it keeps its place).
fn room(rest: &Event, ticks: u32) -> Option<u32> {
    let plain = rest.is_rest() && rest.tuplet.is_none() && rest.chord_symbol.is_none();
    (plain && rest.length.ticks() >= ticks).then(|| rest.length.ticks() - ticks)
}
