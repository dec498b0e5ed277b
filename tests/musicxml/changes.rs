//! A composed piece given a change of key and of meter half-way, for the notation's tests:
//! the same notes (the language cannot ask for a change yet), written from the middle bar on
//! in a key three fifths away and in bars twice as long (4/4 to 8/4, 6/8 to 12/8), so the
//! piece keeps its length.

use tunec::score::{Change, Score};
use tunec::theory::{Key, Letter, Meter, Mode, NoteName};

/// `score` with a key change and a meter change at its middle bar.
pub fn with_changes(score: &Score) -> Score {
    // A piece whose meter already changes (a section in 3/4) is its own test.
    if (score.changes.iter()).any(|(_, c)| matches!(c, Change::Meter(_))) {
        return score.clone();
    }
    let mut changed = score.clone();
    // An even number of bars after the change, at least two.
    let at = (score.bars / 2).max(1);
    let at = at - (score.bars - at) % 2;
    let meter = score.meter;
    let double = Meter::new(meter.count * 2, meter.unit).expect("twice a bar is a meter");
    let far = match score.key.signature() {
        ..0 => Key::new(NoteName::new(Letter::A, 0), Mode::Major),
        _ => Key::new(NoteName::new(Letter::E, -1), Mode::Major),
    };
    changed.changes = vec![(at, Change::Key(far)), (at, Change::Meter(double))];
    // Half as many bars after the change; a section starting there keeps its place if it
    // can, else starts with the bar it falls in.
    changed.bars = at + (score.bars - at) / 2;
    for (bar, _) in &mut changed.sections {
        if *bar > at {
            *bar = at + (*bar - at) / 2;
        }
    }
    changed.sections.dedup_by_key(|(bar, _)| *bar);
    assert_eq!(changed.total_ticks(), score.total_ticks());
    changed
}
