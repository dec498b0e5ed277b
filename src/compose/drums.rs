//! The drums on channel 10: the user's step grid, or the style's groove laid over the meter,
//! accented by metric position, with a fill in the last bar of each section.

use crate::resolve::{Drumming, Groove, PartPlan, Plan};
use crate::score::Note;
use crate::theory::Pitch;

/// General MIDI snare and low tom, for fills.
const SNARE: u8 = 38;
const TOM: u8 = 45;

/// One bar of drums: rows of (key, velocity per step, 0 for none).
type Bar = Vec<(u8, Vec<u8>)>;

pub fn drums(plan: &Plan, part: &PartPlan) -> Vec<Note> {
    let meter = plan.meter.value;
    let bar_ticks = meter.bar_ticks();
    let groove_of = part.drumming.as_ref().and_then(|d| match d.value {
        Drumming::Groove(g) => Some(g),
        Drumming::Grid(_) => None,
    });
    let steps_per_beat = match groove_of {
        Some(g) => g.steps_per_beat(meter.is_compound()),
        None if meter.is_compound() => 3,
        None => 2,
    };
    let beats = meter.beats_per_bar() as usize;
    let step_ticks = meter.beat_ticks() / steps_per_beat as u32;
    let strength = |tick: u32| meter.strength(tick % bar_ticks);
    // The grid of each bar of the groove's cycle (a user's grid is one bar).
    let (cycle, groove): (Vec<Bar>, Option<Groove>) = match part.drumming.as_ref().map(|d| &d.value)
    {
        Some(Drumming::Grid(rows)) => (vec![rows.clone()], None),
        Some(Drumming::Groove(g)) => {
            let strong = |i: usize| strength(i as u32 * step_ticks);
            let bars = (0..g.cycle()).map(|bar| g.grid(bar, beats, steps_per_beat, strong));
            (bars.collect(), Some(*g))
        }
        None => (vec![Vec::new()], None),
    };
    let mut notes = Vec::new();
    for bar in 0..plan.bars.value {
        let start = bar * bar_ticks;
        // The part's and this section's loudness; accents come from the grid and the meter.
        let level = super::level(plan, part, start) - 80;
        let section = plan.section_at(bar);
        let fill = groove.is_some() && bar + 1 == section.end_bar();
        // The cycle starts afresh with each section, so a repeated section sounds the same.
        let rows = &cycle[bar.saturating_sub(section.start_bar) as usize % cycle.len()];
        for (key, steps) in rows {
            let step = bar_ticks / steps.len() as u32;
            for (i, &v) in steps.iter().enumerate() {
                let at = start + i as u32 * step;
                // A fill takes over the bar's last beat (a dance groove plays on under it,
                // and the clave goes on).
                let kept =
                    groove.is_some_and(|g| g.plays_through_fills() || g.clave() == Some(*key));
                if v == 0 || (fill && !kept && at >= start + bar_ticks - meter.beat_ticks()) {
                    continue;
                }
                let accent = 4 * strength(at) as i32;
                let velocity = (v as i32 + accent + level).clamp(1, 127) as u8;
                notes.push(Note {
                    start: at,
                    duration: step.min(120),
                    pitch: Pitch(*key),
                    velocity,
                });
            }
        }
        if fill {
            let from = start + bar_ticks - meter.beat_ticks();
            let hits = steps_per_beat * 2;
            let each = meter.beat_ticks() / hits as u32;
            for k in 0..hits {
                // Snare, then toms on the last hits: the same fill wherever the section repeats.
                let key = if k + 2 >= hits { TOM } else { SNARE };
                let velocity = (70 + 8 * k as i32 + level).clamp(1, 127) as u8;
                notes.push(Note {
                    start: from + k as u32 * each,
                    duration: each.min(120),
                    pitch: Pitch(key),
                    velocity,
                });
            }
        }
    }
    // Rows of one drum (`kick` twice, or `bodhran` and `low-tom`) may interleave: a hit ends
    // where the next hit of the same drum starts.
    notes.sort_by_key(|n| (n.pitch, n.start));
    notes.dedup_by_key(|n| (n.pitch, n.start));
    for i in 1..notes.len() {
        if notes[i].pitch == notes[i - 1].pitch {
            let gap = notes[i].start - notes[i - 1].start;
            notes[i - 1].duration = notes[i - 1].duration.min(gap);
        }
    }
    notes.sort_by_key(|n| (n.start, n.pitch));
    notes
}
