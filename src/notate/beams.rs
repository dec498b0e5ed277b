//! Beams: the notes shorter than a quarter within one beat are beamed together, as ABC's
//! grouping and most engravers do; rests and longer notes break a group.

use super::{Beam, Event, Length};
use crate::theory::BaseValue;

/// Beams of a note of `length`: 1 for an eighth, 2 for a sixteenth…; 0 for longer or
/// unwritable lengths.
fn beam_count(length: Length) -> usize {
    match length {
        Length::Value(value) => (value.base as usize).saturating_sub(BaseValue::Quarter as usize),
        Length::Unwritable(_) => 0,
    }
}

/// Sets the beams of one measure's `events`, whose first starts `offset` ticks after a bar
/// line, in a meter whose beat is `beat` ticks.
pub(super) fn mark(events: &mut [Event], beat: u32, offset: u32) {
    let mut at = offset;
    let mut group_start = 0;
    let mut group_beat = None;
    for i in 0..events.len() {
        let event = &events[i];
        let this_beat = (!event.is_rest() && beam_count(event.length) > 0).then_some(at / beat);
        if this_beat.is_none() || this_beat != group_beat {
            beam_group(&mut events[group_start..i]);
            group_start = i;
        }
        group_beat = this_beat;
        at += events[i].sounding_ticks();
        if this_beat.is_none() {
            group_start = i + 1;
        }
    }
    beam_group(&mut events[group_start..]);
}

/// Beams a run of beamable notes in one beat: each level joins the neighbours that have it,
/// and a note alone at its level gets a hook towards the group's inside.
fn beam_group(group: &mut [Event]) {
    if group.len() < 2 {
        return;
    }
    let counts: Vec<usize> = group.iter().map(|e| beam_count(e.length)).collect();
    let last = group.len() - 1;
    for (i, event) in group.iter_mut().enumerate() {
        event.beams = (1..=counts[i])
            .map(|level| {
                let before = i > 0 && counts[i - 1] >= level;
                let after = i < last && counts[i + 1] >= level;
                match (before, after) {
                    (false, true) => Beam::Begin,
                    (true, true) => Beam::Continue,
                    (true, false) => Beam::End,
                    (false, false) if i == 0 => Beam::ForwardHook,
                    (false, false) => Beam::BackwardHook,
                }
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notate::WrittenNote;
    use crate::theory::{NoteValue, Pitch, Spelling};

    fn event(base: BaseValue, dots: u8, rest: bool) -> Event {
        let pitch = Pitch(60);
        let note = WrittenNote {
            pitch,
            spelling: Spelling::new(
                pitch,
                crate::theory::NoteName::new(crate::theory::Letter::C, 0),
            ),
            accidental: None,
            tie: super::super::Tie::None,
            sounds: None,
        };
        Event {
            length: Length::Value(NoteValue { base, dots }),
            notes: if rest { Vec::new() } else { vec![note] },
            chord_symbol: None,
            tuplet: None,
            beams: Vec::new(),
            staccato: false,
        }
    }

    #[test]
    fn eighths_are_beamed_by_the_beat_and_rests_break_the_beam() {
        use BaseValue::*;
        // 2/4: two eighths, then an eighth rest and an eighth.
        let mut events = vec![
            event(Eighth, 0, false),
            event(Eighth, 0, false),
            event(Eighth, 0, true),
            event(Eighth, 0, false),
        ];
        mark(&mut events, 480, 0);
        let beams: Vec<Vec<Beam>> = events.iter().map(|e| e.beams.clone()).collect();
        assert_eq!(beams, [vec![Beam::Begin], vec![Beam::End], vec![], vec![]]);
    }

    #[test]
    fn a_dotted_eighth_and_a_sixteenth_share_a_beam_and_a_hook() {
        use BaseValue::*;
        let mut events = vec![event(Eighth, 1, false), event(Sixteenth, 0, false)];
        mark(&mut events, 480, 0);
        assert_eq!(events[0].beams, [Beam::Begin]);
        assert_eq!(events[1].beams, [Beam::End, Beam::BackwardHook]);
    }

    #[test]
    fn a_pickup_counts_its_beats_from_the_bar_line_before_it() {
        use BaseValue::*;
        // 6/8 pickup of two eighths (offset 960): both in the second beat, beamed.
        let mut events = vec![event(Eighth, 0, false), event(Eighth, 0, false)];
        mark(&mut events, 720, 960);
        assert_eq!(events[0].beams, [Beam::Begin]);
        // Offset 600: the first eighth ends beat one, the second opens beat two.
        let mut events = vec![event(Eighth, 0, false), event(Eighth, 0, false)];
        mark(&mut events, 720, 600);
        assert!(events[0].beams.is_empty() && events[1].beams.is_empty());
    }
}
