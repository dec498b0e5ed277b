//! The order the drum part's notes are written in, and the drum each rest names, so that
//! MuseScore 3 reads every drum without a complaint. MusicXML asks for an `<instrument>` on
//! every note (and rest) of a part with several instruments. MuseScore 3.2 keeps one
//! instrument per moment of a part: a note whose instrument differs from the one in force
//! where it is read sets a new one there, and says "element already exists" where that
//! moment already has one. It reads a chord's first note at the chord's start and its other
//! notes at its end, and a measure's voices one after the other (`<backup>`).
//!
//! So the notes are placed as MuseScore will read them: in the file's order, each event's
//! order (and each rest's drum) is the one that sets no instrument where one is already set,
//! nor where a later event (the other voice's, or the next one's) strikes another drum.

use std::collections::BTreeMap;

use crate::notate::{Event, Staff};

/// How one event of the drum staff is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Struck {
    /// The order its notes are written in (indices into its notes).
    pub order: Vec<usize>,
    /// For a rest, the drum (General MIDI key) it names.
    pub rest_drum: Option<u8>,
}

/// Whether voice `v` of a measure is written: the first always, a lower one where it strikes.
pub(super) fn voice_written(v: usize, events: &[Event]) -> bool {
    v == 0 || !events.iter().all(Event::is_rest)
}

/// An event as MuseScore reads it: where it starts and ends (in ticks from the first written
/// measure), and which one it is: (voice, written measure, event).
struct Read<'a> {
    start: u32,
    end: u32,
    event: &'a Event,
    at: (usize, usize, usize),
}

/// How the drum part is written: each event of each voice, by voice, written measure and
/// event; and in each written measure, the order its voices are written in.
pub(super) type Written = (Vec<Vec<Vec<Struck>>>, Vec<Vec<usize>>);

/// How the `written` measures of the drum staff's `voices` are written. Measure by measure,
/// the voices' order that makes the fewest clashes (then risks of them), each event placed
/// as `place` says.
pub(super) fn struck(voices: &[Staff], written: &[usize]) -> Written {
    let mut out: Vec<Vec<Vec<Struck>>> = (voices.iter())
        .map(|v| {
            (written.iter())
                .map(|&i| vec![Struck::default(); v.measures[i].events.len()])
                .collect()
        })
        .collect();
    let drums = (voices.iter())
        .flat_map(|s| &s.measures)
        .flat_map(|m| &m.events);
    let all: Vec<u8> = (drums.flat_map(|e| &e.notes).map(|n| n.pitch.0))
        .collect::<std::collections::BTreeSet<u8>>()
        .into_iter()
        .collect();
    let orders = if voices.len() > 1 {
        vec![vec![0, 1], vec![1, 0]]
    } else {
        vec![vec![0]]
    };
    let starts: Vec<u32> = (written.iter())
        .scan(0, |at, &i| {
            let start = *at;
            *at += length(voices, i);
            Some(start)
        })
        .collect();
    let reads_of = |w: usize, order: &[usize]| reads(voices, written[w], (w, starts[w]), order);
    // The events of measure `w` in `order` placed on `timeline`, the next measure's voices in
    // the order best for them: (clashes, risks) after both, and the timeline after `w`.
    let trial = |timeline: &Timeline, w: usize, order: &[usize]| {
        let next: Vec<Read> = match w + 1 < written.len() {
            true => reads_of(w + 1, &orders[0]),
            false => Vec::new(),
        };
        let mut after = timeline.clone();
        let placed = place(&mut after, &reads_of(w, order), &next, &all);
        let ahead = (orders.iter())
            .filter(|_| w + 1 < written.len())
            .map(|o| {
                let mut more = after.clone();
                place(&mut more, &reads_of(w + 1, o), &[], &all);
                (more.clashes, more.risks)
            })
            .min()
            .unwrap_or((after.clashes, after.risks));
        (ahead, after, placed)
    };
    let mut timeline = Timeline::default();
    let mut chosen = Vec::new();
    for w in 0..written.len() {
        let (order, (_, after, placed)) = (orders.iter())
            .map(|order| (order, trial(&timeline, w, order)))
            .min_by_key(|(_, t)| t.0)
            .expect("a voice order");
        timeline = after;
        for ((v, w, e), struck) in placed {
            out[v][w][e] = struck;
        }
        chosen.push(order.clone());
    }
    (out, chosen)
}

/// How long measure `i` is (its longest voice).
fn length(voices: &[Staff], i: usize) -> u32 {
    let voice = |v: &Staff| {
        v.measures[i]
            .events
            .iter()
            .map(Event::sounding_ticks)
            .sum::<u32>()
    };
    voices.iter().map(voice).max().unwrap_or(0)
}

/// The events of measure `i` (the `w`th written, from tick `start`), voice after voice in
/// `order`, each voice from the measure's start; a lower voice only where it is written.
fn reads<'a>(
    voices: &'a [Staff],
    i: usize,
    (w, start): (usize, u32),
    order: &[usize],
) -> Vec<Read<'a>> {
    let mut out = Vec::new();
    for &v in order {
        let events = &voices[v].measures[i].events;
        if !voice_written(v, events) {
            continue;
        }
        let mut at = start;
        for (e, event) in events.iter().enumerate() {
            let end = at + event.sounding_ticks();
            out.push(Read {
                start: at,
                end,
                event,
                at: (v, w, e),
            });
            at = end;
        }
    }
    out
}

/// Each of `reads` placed in turn on `timeline`: a chord in the order, a rest naming the drum,
/// that clashes least now and then with what follows (the rest of `reads`, and `next`).
fn place(
    timeline: &mut Timeline,
    reads: &[Read],
    next: &[Read],
    all: &[u8],
) -> Vec<((usize, usize, usize), Struck)> {
    let mut out = Vec::new();
    for (k, read) in reads.iter().enumerate() {
        let later: Vec<&Read> = reads[k + 1..].iter().chain(next).collect();
        let keys: Vec<u8> = read.event.notes.iter().map(|n| n.pitch.0).collect();
        let mut struck = Struck::default();
        if keys.is_empty() {
            let best = (timeline
                .at(read.start)
                .into_iter()
                .chain(all.iter().copied()))
            .min_by_key(|&key| timeline.cost(&[(read.start, key)], &later))
            .unwrap_or(0);
            timeline.set(read.start, best);
            struck.rest_drum = Some(best);
        } else {
            let order = orders(keys.len())
                .into_iter()
                .min_by_key(|order| timeline.cost(&settings(read, &keys, order), &later))
                .unwrap_or_default();
            let settings = settings(read, &keys, &order);
            timeline.risks += timeline.cost(&settings, &later).1;
            for (time, key) in settings {
                timeline.set(time, key);
            }
            struck.order = order;
        }
        out.push((read.at, struck));
    }
    out
}

/// The instruments a chord of `keys` written in `order` sets: its first at its start, the
/// others at its end.
fn settings(read: &Read, keys: &[u8], order: &[usize]) -> Vec<(u32, u8)> {
    (order.iter().enumerate())
        .map(|(k, &i)| (if k == 0 { read.start } else { read.end }, keys[i]))
        .collect()
}

/// The orders to try for a chord of `n` notes: every one up to four notes, else rotations.
fn orders(n: usize) -> Vec<Vec<usize>> {
    if n > 4 {
        return (0..n)
            .map(|r| (0..n).map(|i| (i + r) % n).collect())
            .collect();
    }
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    for _ in 0..n {
        let mut longer = Vec::new();
        for order in &all {
            for i in (0..n).filter(|i| !order.contains(i)) {
                longer.push([&order[..], &[i]].concat());
            }
        }
        all = longer;
    }
    all
}

/// The instrument in force from each moment on, as MuseScore 3.2 keeps it for a part.
#[derive(Clone, Default)]
struct Timeline {
    set: BTreeMap<u32, u8>,
    /// Moments where an instrument was set where one already was ("element already exists").
    clashes: usize,
    /// Later events that starting where a new instrument was set may make clash.
    risks: usize,
}

impl Timeline {
    /// The instrument in force at `time`.
    fn at(&self, time: u32) -> Option<u8> {
        self.set.range(..=time).next_back().map(|(_, &k)| k)
    }

    /// A note of `key` read at `time`.
    fn set(&mut self, time: u32, key: u8) {
        if self.at(time) == Some(key) {
            return;
        }
        match self.set.contains_key(&time) {
            true => self.clashes += 1,
            false => {
                self.set.insert(time, key);
            }
        }
    }

    /// The clashes `settings` make now, and the later events they would make clash: one that
    /// starts where an instrument it does not strike is newly set.
    fn cost(&self, settings: &[(u32, u8)], later: &[&Read]) -> (usize, usize) {
        let mut after = self.clone();
        for &(time, key) in settings {
            after.set(time, key);
        }
        let new: Vec<(u32, u8)> = (after.set.iter())
            .filter(|(t, k)| self.set.get(t) != Some(k))
            .map(|(&t, &k)| (t, k))
            .collect();
        let risks = (later.iter())
            .filter(|r| !r.event.is_rest())
            .filter(|r| {
                new.iter()
                    .any(|&(t, k)| t == r.start && !r.event.notes.iter().any(|n| n.pitch.0 == k))
            })
            .count();
        (after.clashes - self.clashes, risks)
    }
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
            staccato: false,
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

    fn voice(measures: Vec<Measure>) -> Staff {
        Staff {
            role: PartRole::Drums,
            program: 1,
            channel: 9,
            doubles: false,
            clef: Clef::Percussion,
            transpose: 0,
            measures,
        }
    }

    /// The clashes MuseScore 3.2 meets reading `voices` written as `written` says, replayed
    /// from the file's order: voices in the chosen order, a chord's first note at its start
    /// and the rest at its end, a rest naming its drum.
    fn replay(voices: &[Staff], (struck, orders): &Written) -> usize {
        let mut timeline = Timeline::default();
        let mut start = 0;
        for (w, order) in orders.iter().enumerate() {
            for &v in order {
                let mut at = start;
                for (event, s) in voices[v].measures[w].events.iter().zip(&struck[v][w]) {
                    let end = at + event.sounding_ticks();
                    match s.rest_drum {
                        Some(drum) => timeline.set(at, drum),
                        None => {
                            for (k, &i) in s.order.iter().enumerate() {
                                timeline.set(if k == 0 { at } else { end }, event.notes[i].pitch.0);
                            }
                        }
                    }
                    at = end;
                }
            }
            start += length(voices, w);
        }
        timeline.clashes
    }

    /// Bars of a rock beat in sixteenths: hi-hat, with the snare on the third and seventh,
    /// over a bass drum on the first and fifth.
    fn kit(bars: usize) -> Vec<Staff> {
        let [h, s, k, r] = [&[42][..], &[38, 42], &[36], &[]];
        let hands = || bar([h, h, s, h, h, h, s, h].map(event).to_vec());
        let feet = || bar([k, r, r, r, k, r, r, r].map(event).to_vec());
        vec![voice(vec![hands(); bars]), voice(vec![feet(); bars])]
    }

    #[test]
    fn a_kick_under_the_hands_sets_no_instrument_twice() {
        let voices = kit(4);
        let written = struck(&voices, &[0, 1, 2, 3]);
        // Both voices strike the first moment, where no instrument is in force yet: one of
        // them sets it, the other clashes, whatever the order.
        assert_eq!(replay(&voices, &written), 1);
        // After a bar of the hands alone (a pickup's), none.
        let mut after_pickup = kit(4);
        after_pickup[1].measures[0] = bar(vec![event(&[]); 8]);
        let written = struck(&after_pickup, &[0, 1, 2, 3]);
        assert_eq!(replay(&after_pickup, &written), 0);
        // Read naively (hands first, chords as stored, rests naming the bass drum), MuseScore
        // would clash: the replay sees it.
        let naive = |e: &Event| Struck {
            order: (0..e.notes.len()).collect(),
            rest_drum: e.is_rest().then_some(36),
        };
        let struck: Vec<Vec<Vec<Struck>>> = (0..2)
            .map(|v| {
                (0..4)
                    .map(|w| {
                        after_pickup[v].measures[w]
                            .events
                            .iter()
                            .map(naive)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        assert!(replay(&after_pickup, &(struck, vec![vec![0, 1]; 4])) > 0);
    }

    #[test]
    fn a_lower_voice_that_rests_is_not_written() {
        let mut voices = kit(2);
        voices[1].measures[1] = bar(vec![event(&[]); 8]);
        let (struck, orders) = struck(&voices, &[0, 1]);
        assert!(orders[1] == [0, 1] || orders[1] == [1, 0]);
        assert!(!voice_written(1, &voices[1].measures[1].events));
        assert!(struck[1][1].iter().all(|s| s.order.is_empty()));
    }
}
