//! The order the drum part's notes are written in, so that MuseScore 3 reads every drum
//! without a complaint. MusicXML asks for an `<instrument>` on every note of a part with
//! several instruments; MuseScore 3 takes a change of `<instrument>` from one note to the
//! next as an instrument change, and notes a chord's last instrument where the chord ends.
//! So a rest names the drum struck last, and a chord ends on the drum the next event
//! starts with, where it strikes it: no two instrument changes fall on one time.

use crate::notate::{Event, Staff};

/// How one event of the drum staff is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Struck {
    /// The order its notes are written in (indices into its notes).
    pub order: Vec<usize>,
    /// For a rest, the drum (General MIDI key) it names.
    pub rest_drum: Option<u8>,
}

/// Each event of the `written` measures of the drum `staff`, measure by measure.
pub(super) fn struck(staff: &Staff, written: &[usize]) -> Vec<Vec<Struck>> {
    let events: Vec<&Event> = written
        .iter()
        .flat_map(|&i| &staff.measures[i].events)
        .collect();
    let mut all = vec![Struck::default(); events.len()];
    // Backwards: a chord ends on the drum the next event starts with.
    let mut next_first = None;
    for (k, event) in events.iter().enumerate().rev() {
        if event.is_rest() {
            next_first = None;
            continue;
        }
        let key = |i: usize| event.notes[i].pitch.0;
        let mut order: Vec<usize> = (0..event.notes.len()).collect();
        if let Some(p) = order.iter().position(|&i| Some(key(i)) == next_first) {
            let i = order.remove(p);
            order.push(i);
        }
        next_first = Some(key(order[0]));
        all[k].order = order;
    }
    // Forwards: a rest names the drum struck last, or before any, the first one struck.
    let mut last = events
        .iter()
        .zip(&all)
        .find_map(|(e, s)| s.order.first().map(|&i| e.notes[i].pitch.0));
    for (k, event) in events.iter().enumerate() {
        match all[k].order.last() {
            Some(&i) => last = Some(event.notes[i].pitch.0),
            None => all[k].rest_drum = last,
        }
    }
    let mut rest = all.into_iter();
    written
        .iter()
        .map(|&i| rest.by_ref().take(staff.measures[i].events.len()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notate::{Clef, Length, Measure, Tie, WrittenNote};
    use crate::resolve::PartRole;
    use crate::theory::{Letter, NoteName, NoteValue, Pitch, Spelling};

    /// A sixteenth striking `keys` (none: a rest).
    fn event(keys: &[u8]) -> Event {
        let spelling = Spelling {
            name: NoteName::new(Letter::C, 0),
            octave: 5,
        };
        let note = |k: &u8| WrittenNote {
            pitch: Pitch(*k),
            spelling,
            accidental: None,
            tie: Tie::None,
            sounds: None,
        };
        Event {
            length: Length::Value(NoteValue::of_ticks(120).unwrap()),
            notes: keys.iter().map(note).collect(),
            chord_symbol: None,
            tuplet: None,
            beams: Vec::new(),
        }
    }

    fn bar(events: Vec<Event>) -> Measure {
        Measure {
            number: 1,
            section: None,
            dynamic: None,
            key: None,
            meter: None,
            tempo: None,
            wedge: None,
            wedge_closes: None,
            events,
        }
    }

    #[test]
    fn rests_name_the_last_drum_and_chords_end_on_the_next() {
        let staff = Staff {
            role: PartRole::Drums,
            program: 1,
            channel: 9,
            doubles: false,
            clef: Clef::Percussion,
            measures: vec![
                bar(vec![
                    event(&[]),
                    event(&[36, 42]),
                    event(&[]),
                    event(&[36, 42]),
                ]),
                bar(vec![event(&[36]), event(&[38, 42, 49]), event(&[42])]),
                bar(vec![event(&[38, 42]), event(&[])]),
            ],
        };
        // The third bar is not written (a repeat's second pass): the second bar's last
        // chord is followed by nothing.
        let struck = struck(&staff, &[0, 1]);
        let orders: Vec<Vec<Vec<usize>>> = struck
            .iter()
            .map(|m| m.iter().map(|s| s.order.clone()).collect())
            .collect();
        // The chord before the next bar's bass drum ends on it; the one before the hi-hat
        // on the hi-hat.
        assert_eq!(orders[0], [vec![], vec![0, 1], vec![], vec![1, 0]]);
        assert_eq!(orders[1], [vec![0], vec![0, 2, 1], vec![0]]);
        let rests: Vec<Option<u8>> = struck[0].iter().map(|s| s.rest_drum).collect();
        assert_eq!(rests, [Some(36), None, Some(42), None]);
    }
}
