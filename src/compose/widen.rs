//! Rhythms widened for the pitches' sake: a drawn rhythm may hold too few notes for what the
//! pitches must do (step from D4 up to D5 in one bar), while more notes of the allowed lengths
//! would do it. Before a section is refused, its rhythm is widened, deterministically: its notes
//! halved, round by round, then the densest rhythm the allowed lengths make. More notes never
//! hurt a line: a note may always repeat the one before.
//!
//! The densest rhythm does not depend on the drawn one, so whether a section can be written
//! does not depend on the seed.

use super::rhythm::Slot;

/// The shortest note a widened rhythm writes without a `rhythm` clause: a sixteenth.
pub(super) const SHORTEST: u32 = 120;

/// The rhythms to try after `drawn` (its notes from `from` on; those before are kept, as a
/// varied repeat keeps its base's), most like it first, the densest last. `allowed` are the
/// user's lengths, if any; `bar_ticks` the bar.
pub fn widenings(
    drawn: &[Slot],
    from: usize,
    allowed: Option<&[u32]>,
    bar_ticks: u32,
) -> Vec<Vec<Slot>> {
    let (kept, free) = drawn.split_at(from.min(drawn.len()));
    let Some((first, last)) = free.first().zip(free.last()) else {
        return Vec::new();
    };
    let span = (
        first.start - first.start % bar_ticks,
        last.start + last.duration,
    );
    let mut out: Vec<Vec<Slot>> = Vec::new();
    if allowed.is_none() {
        let mut halved = free.to_vec();
        while halved.iter().any(|s| s.duration >= 2 * SHORTEST) {
            halved = halved.iter().flat_map(|s| halve(*s)).collect();
            out.push(halved.clone());
        }
    }
    let densest = match allowed {
        Some(lengths) => densest_fill(span, lengths, bar_ticks),
        None => grid(span, SHORTEST),
    };
    out.extend(densest);
    out.into_iter().map(|free| [kept, &free].concat()).collect()
}

/// A rhythm with more notes than any of `widenings`: twice as many as the densest of the
/// default lengths, or the densest of those when the user's lengths bind. If it lets the
/// pitches through where the densest did not, the number of notes stands in the way.
pub fn denser_than_allowed(drawn: &[Slot], from: usize, allowed: bool) -> Option<Vec<Slot>> {
    let (kept, free) = drawn.split_at(from.min(drawn.len()));
    let (first, last) = free.first().zip(free.last())?;
    let unit = if allowed { SHORTEST } else { SHORTEST / 2 };
    let free = grid((first.start, last.start + last.duration), unit)?;
    Some([kept, &free].concat())
}

/// A note split into two halves, where it is long enough to.
fn halve(s: Slot) -> Vec<Slot> {
    if s.duration < 2 * SHORTEST {
        return vec![s];
    }
    let first = s.duration / 2;
    vec![
        Slot {
            start: s.start,
            duration: first,
        },
        Slot {
            start: s.start + first,
            duration: s.duration - first,
        },
    ]
}

/// Notes of `unit` ticks over `span`, the last one holding what is left.
fn grid((start, end): (u32, u32), unit: u32) -> Option<Vec<Slot>> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let duration = unit.min(end - at);
        out.push(Slot {
            start: at,
            duration,
        });
        at += duration;
    }
    (!out.is_empty()).then_some(out)
}

/// Each bar of `span` filled with as many notes of the `allowed` lengths as fit exactly (the
/// last bar may be cut short by a pickup); `None` where a stretch cannot be filled.
fn densest_fill((start, end): (u32, u32), allowed: &[u32], bar_ticks: u32) -> Option<Vec<Slot>> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let length = bar_ticks.min(end - at);
        for d in most_notes(length, allowed)? {
            out.push(Slot {
                start: at,
                duration: d,
            });
            at += d;
        }
    }
    Some(out)
}

/// The lengths, from `allowed`, of the most notes that add up to exactly `length` ticks; the
/// shorter lengths first on ties, so the choice is fixed.
fn most_notes(length: u32, allowed: &[u32]) -> Option<Vec<u32>> {
    let n = length as usize;
    // best[r]: the most notes adding up to r ticks, and the last length that gets there.
    let mut best: Vec<Option<(usize, u32)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for r in 1..=n {
        best[r] = (allowed.iter())
            .filter(|&&d| d as usize <= r)
            .filter_map(|&d| best[r - d as usize].map(|(count, _)| (count + 1, d)))
            .max_by_key(|&(count, d)| (count, std::cmp::Reverse(d)));
    }
    let mut lengths = Vec::new();
    let mut r = n;
    while r > 0 {
        let (_, d) = best[r]?;
        lengths.push(d);
        r -= d as usize;
    }
    Some(lengths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(start: u32, duration: u32) -> Slot {
        Slot { start, duration }
    }

    #[test]
    fn a_bar_of_one_note_is_halved_down_to_sixteenths() {
        let tries = widenings(&[slot(0, 1920)], 0, None, 1920);
        let counts: Vec<usize> = tries.iter().map(Vec::len).collect();
        assert_eq!(counts, [2, 4, 8, 16, 16]);
        for rhythm in &tries {
            assert_eq!(rhythm.iter().map(|s| s.duration).sum::<u32>(), 1920);
            assert!(
                rhythm
                    .windows(2)
                    .all(|w| w[0].start + w[0].duration == w[1].start)
            );
        }
    }

    #[test]
    fn the_densest_rhythm_is_the_same_whatever_was_drawn() {
        let drawn_a = [slot(0, 960), slot(960, 960)];
        let drawn_b = [slot(0, 480), slot(480, 720), slot(1200, 720)];
        let last = |d: &[Slot]| widenings(d, 0, None, 1920).pop().unwrap();
        assert_eq!(last(&drawn_a), last(&drawn_b));
    }

    #[test]
    fn kept_notes_stay_and_user_lengths_are_kept_to() {
        let drawn = [slot(0, 960), slot(960, 960), slot(1920, 1920)];
        let tries = widenings(&drawn, 2, Some(&[960, 480]), 1920);
        assert_eq!(tries.len(), 1);
        assert_eq!(&tries[0][..2], &drawn[..2]);
        assert_eq!(tries[0].len(), 6);
        assert!(tries[0][2..].iter().all(|s| s.duration == 480));
    }

    #[test]
    fn the_most_notes_of_given_lengths_fill_the_bar_exactly() {
        assert_eq!(most_notes(1440, &[720, 480]), Some(vec![480, 480, 480]));
        assert_eq!(most_notes(1920, &[720]), None);
        assert_eq!(most_notes(1200, &[720, 480]), Some(vec![480, 720]));
    }
}
