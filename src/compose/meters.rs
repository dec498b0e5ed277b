//! Sections in a meter or mode of their own (`section bridge: 3/4`, `section bridge: in E
//! minor`): each such section is composed on its own, as a piece in that meter and mode made
//! of every time it plays (so a repeated section repeats its music), and set into the piece in
//! place of the bars the piece gave it; the bars after it move to where they now fall.
//!
//! Like a section in another key of the same mode, a section in another mode is composed in
//! the piece's scale and moved at the end (`songs::moved`): E minor in a G major piece is
//! composed in E minor (the same notes), D dorian in A dorian (G major's notes), moved up to D.

use crate::resolve::{Modulation, Plan, Section, transposed};
use crate::score::{Change, ChordSpan, Note, Score};

use super::Conflict;

/// A piece composed from a plan: how `set_in` composes each section in its own meter.
pub(super) type Composer<'a> = dyn Fn(&Plan, u64) -> Result<Score, Vec<Conflict>> + 'a;

/// `score`, composed from `plan` in the piece's meter and mode throughout, with every section
/// in a meter or mode of its own composed by `compose` and set in.
pub(super) fn set_in(
    plan: &Plan,
    score: Score,
    seed: u64,
    compose: &Composer,
) -> Result<Score, Vec<Conflict>> {
    let letters = plan.letters_on_their_own();
    if letters.is_empty() {
        return Ok(score);
    }
    let timeline = Timeline::of(plan, &letters);
    let mut out = timeline.home_bars(plan, score);
    for letter in letters {
        let (sub, places) = on_its_own(plan, letter);
        // Each section has streams of its own: the bridge does not replay the verse's draws.
        let own_seed = seed ^ ((letter as u64) << 40);
        let composed = compose(&sub, own_seed)?;
        for (k, place) in places.iter().enumerate() {
            timeline.set(&mut out, &composed, k as u32 * place.bars, place);
        }
        out.gave_way.extend(composed.gave_way);
    }
    out.gave_way.dedup();
    for part in &mut out.parts {
        part.notes.sort_by_key(|n| (n.start, n.pitch));
    }
    out.harmony.sort_by_key(|c| c.start);
    Ok(out)
}

/// The plan of section `letter` as a piece of its own in its meter: every time it plays, one
/// after the other; and where in the form each of those times is.
fn on_its_own(plan: &Plan, letter: char) -> (Plan, Vec<Section>) {
    let places: Vec<(usize, Section)> = (plan.sections.iter().copied().enumerate())
        .filter(|(_, s)| s.name.letter == letter)
        .collect();
    let mut sub = plan.clone();
    let rules = plan.rules_of(letter).and_then(|r| r.meter.clone());
    sub.meter = rules.unwrap_or_else(|| plan.meter.clone());
    // In another mode: its tonic where the piece's scale has the mode's notes, and none of
    // the piece's habits for the section's chords (a bridge's IV V vi V).
    let first = places.first().and_then(|(i, _)| plan.modulation_of(*i));
    if let Some(m) = first.filter(|m| m.key.value.mode != plan.key.value.mode) {
        sub.key.value = transposed(m.key.value, -m.shift);
        for rules in sub.section_rules.iter_mut().filter(|r| r.letter == letter) {
            rules.progression = rules.progression.take().filter(|p| p.origin.is_user());
        }
    }
    let mut at = 0;
    sub.sections = (places.iter())
        .map(|(_, s)| {
            let section = Section {
                start_bar: at,
                ..*s
            };
            at += s.bars;
            section
        })
        .collect();
    sub.bars.value = at;
    sub.modulations = (places.iter().enumerate())
        .filter_map(|(k, (i, _))| {
            let m = plan.modulation_of(*i)?;
            Some(Modulation {
                section: k,
                ..m.clone()
            })
        })
        .collect();
    // The piece's first and last notes belong to this section only where it opens or ends it.
    let opens = places.first().is_some_and(|(i, _)| *i == 0);
    let ends = places
        .last()
        .is_some_and(|(i, _)| *i + 1 == plan.sections.len());
    for part in &mut sub.parts {
        part.starts_on = part.starts_on.take().filter(|_| opens);
        part.ends_on = part.ends_on.take().filter(|_| ends);
    }
    (sub, places.into_iter().map(|(_, s)| s).collect())
}

/// Where each bar starts once every section has its own meter, in ticks.
struct Timeline {
    /// `starts[b]`: bar `b`'s start; one more than there are bars, the last the piece's end.
    starts: Vec<u32>,
    /// Whether bar `b` is composed with the piece (not on its own).
    home: Vec<bool>,
    /// A bar in the piece's meter, in ticks.
    home_bar: u32,
}

impl Timeline {
    /// The bars of `plan`, those of the sections `apart` composed on their own.
    fn of(plan: &Plan, apart: &[char]) -> Timeline {
        let bars = plan.bars.value;
        let mut starts = vec![0];
        for bar in 0..bars {
            starts.push(starts[bar as usize] + plan.meter_at(bar).bar_ticks());
        }
        Timeline {
            starts,
            home: (0..bars)
                .map(|b| !apart.contains(&plan.section_at(b).name.letter))
                .collect(),
            home_bar: plan.bar_ticks(),
        }
    }

    /// Where a tick of the piece composed in its meter throughout now falls, and where the
    /// run of bars composed with the piece it is in ends; None in a bar composed on its own.
    fn moved(&self, tick: u32) -> Option<(u32, u32)> {
        let bar = (tick / self.home_bar) as usize;
        if !*self.home.get(bar)? {
            return None;
        }
        let run_end = (bar..self.home.len()).find(|&b| !self.home[b]);
        let end = self.starts[run_end.unwrap_or(self.home.len())];
        Some((self.starts[bar] + tick % self.home_bar, end))
    }

    /// `score` with only the bars composed with the piece, each moved to where it now falls,
    /// and the meter changes written where a section changes it.
    fn home_bars(&self, plan: &Plan, mut score: Score) -> Score {
        for part in &mut score.parts {
            part.notes = (part.notes.iter())
                .filter_map(|n| {
                    let (start, end) = self.moved(n.start)?;
                    Some(Note {
                        start,
                        duration: n.duration.min(end - start),
                        ..*n
                    })
                })
                .collect();
            for (tick, _) in &mut part.dynamics {
                let bar = (*tick / self.home_bar) as usize;
                *tick = self.starts[bar.min(self.home.len())];
            }
        }
        score.harmony = (score.harmony.iter())
            .filter_map(|c| {
                let (start, end) = self.moved(c.start)?;
                let length = c.end - c.start;
                Some(ChordSpan {
                    start,
                    end: (start + length).min(end),
                    chord: c.chord,
                })
            })
            .collect();
        score.meter = plan.meter_at(0);
        score.changes = meter_changes(plan);
        score
    }

    /// Sets into `out` the bars of `composed` from `from` on (0-based) as the section `place`.
    fn set(&self, out: &mut Score, composed: &Score, from: u32, place: &Section) {
        let (start, end) = (
            composed.bar_start(from),
            composed.bar_start(from + place.bars),
        );
        let to = self.starts[place.start_bar as usize];
        let placed = |tick: u32, length: u32| (tick - start + to, length.min(end - tick));
        for (part, own) in out.parts.iter_mut().zip(&composed.parts) {
            debug_assert_eq!(part.role, own.role);
            let notes = own.notes.iter().filter(|n| (start..end).contains(&n.start));
            part.notes.extend(notes.map(|n| {
                let (start, duration) = placed(n.start, n.duration);
                Note {
                    start,
                    duration,
                    ..*n
                }
            }));
        }
        let chords = composed
            .harmony
            .iter()
            .filter(|c| (start..end).contains(&c.start));
        out.harmony.extend(chords.map(|c| {
            let (start, length) = placed(c.start, c.end - c.start);
            ChordSpan {
                start,
                end: start + length,
                chord: c.chord,
            }
        }));
    }
}

/// The meter changes at the sections' starts, in bar order.
fn meter_changes(plan: &Plan) -> Vec<(u32, Change)> {
    let mut changes = super::songs::section_changes(plan);
    changes.retain(|(_, change)| matches!(change, Change::Meter(_)));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bridge_in_three_four_moves_the_bars_after_it_and_drops_its_own() {
        let source = "ballad in G, form verse bridge verse\nsection bridge: 3/4";
        let plan = crate::plan_of(source).unwrap();
        let letters = plan.letters_on_their_own();
        assert_eq!(letters, ['B']);
        let timeline = Timeline::of(&plan, &letters);
        let (verse, bridge) = (8 * 1920, 8 * 1440);
        assert_eq!(timeline.starts[8], verse);
        assert_eq!(timeline.starts[16], verse + bridge);
        // A tick of the first verse stays, its run ending where the bridge starts; the bridge's
        // own bars in 4/4 are dropped; the second verse comes after the bridge's 3/4 bars.
        assert_eq!(timeline.moved(100), Some((100, verse)));
        assert_eq!(timeline.moved(verse + 5), None);
        let end = verse + bridge + verse;
        assert_eq!(
            timeline.moved(16 * 1920 + 7),
            Some((verse + bridge + 7, end))
        );
        let (sub, places) = on_its_own(&plan, 'B');
        assert_eq!(sub.meter.value.to_string(), "3/4");
        assert_eq!((sub.bars.value, places.len()), (8, 1));
    }
}
