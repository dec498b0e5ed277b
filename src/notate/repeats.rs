//! Repeats: where the form plays a section twice in a row (`A A`, or `A A'` with a new last
//! phrase), the music is written once between repeat signs, with first and second endings for
//! the measures that differ. Decided from the written measures themselves, every staff and the
//! drums alike, so the repeat plays back exactly the notes of the Score.

use super::{Measure, Staff};
use crate::score::Score;

/// A stretch of measures written once and played twice. Indices count the measures of a staff
/// as played (a pickup is index 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repeat {
    /// The first measure of the stretch.
    pub start: usize,
    /// Measures played both times.
    pub body: usize,
    /// Measures in each ending: 0 for a plain repeat. The first ending follows the body; the
    /// second follows the body's second pass, which is not written.
    pub ending: usize,
}

impl Repeat {
    /// Measures of one pass: the body and one ending.
    pub fn pass(&self) -> usize {
        self.body + self.ending
    }

    /// Whether measure `i` is the body's second pass, played but not written.
    pub fn skips(&self, i: usize) -> bool {
        let second = self.start + self.pass();
        (second..second + self.body).contains(&i)
    }

    /// The ending (1 or 2) measure `i` belongs to, if any.
    pub fn ending_of(&self, i: usize) -> Option<u8> {
        let first = self.start + self.body;
        let second = first + self.pass();
        if (first..first + self.ending).contains(&i) {
            Some(1)
        } else if (second..second + self.ending).contains(&i) {
            Some(2)
        } else {
            None
        }
    }

    /// The last measure written before the repeat sign that sends the player back.
    pub fn last_of_first_pass(&self) -> usize {
        self.start + self.pass() - 1
    }
}

/// The repeats of `staves` (every staff, drums included): each pair of neighbouring sections
/// of one letter and length whose measures agree from the start, written with endings for
/// the rest when the endings are no longer than what they share.
pub(super) fn find(score: &Score, staves: &[&Staff]) -> Vec<Repeat> {
    let offset = usize::from(score.pickup > 0);
    let bounds: Vec<(u32, u32, char)> = score
        .sections
        .iter()
        .enumerate()
        .map(|(i, (bar, name))| {
            let end = score.sections.get(i + 1).map_or(score.bars, |s| s.0);
            (*bar, end, name.letter)
        })
        .collect();
    let mut repeats = Vec::new();
    let mut i = 0;
    while i + 1 < bounds.len() {
        let ((a, a_end, a_letter), (b, b_end, b_letter)) = (bounds[i], bounds[i + 1]);
        let length = (a_end - a) as usize;
        if a_letter == b_letter && length > 0 && length == (b_end - b) as usize {
            let start = a as usize + offset;
            let same = |k: &usize| {
                staves
                    .iter()
                    .all(|s| same_music(&s.measures[start + k], &s.measures[start + length + k]))
            };
            let mut body = (0..length).take_while(same).count();
            // A note tied from the body into the endings would be tied into both: abc2midi
            // cannot play that, and readers differ on it. The tied bar goes into the endings.
            while body > 0 && body < length && ties_on(staves, start + body - 1) {
                body -= 1;
            }
            if body > 0 && length - body <= body {
                repeats.push(Repeat {
                    start,
                    body,
                    ending: length - body,
                });
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    repeats
}

/// Whether some staff's measure `i` ends on a note tied into the next.
fn ties_on(staves: &[&Staff], i: usize) -> bool {
    staves.iter().any(|s| {
        let last = s.measures[i].events.last();
        last.is_some_and(|e| e.notes.iter().any(|n| n.tie.to_next()))
    })
}

/// Whether measure `b` plays as `a` does, so that `a` can be written for both: the same
/// events, and no mark of its own (a dynamic level, key or meter a section changes) that `a`
/// lacks. Numbers and section marks aside.
fn same_music(a: &Measure, b: &Measure) -> bool {
    a.events == b.events
        && kept(a.dynamic, b.dynamic)
        && kept(a.key, b.key)
        && kept(a.meter, b.meter)
}

/// Whether a mark `b` of a second pass is played by the first pass's `a`: it has none, or
/// the same.
fn kept<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
    b.is_none() || b == a
}
