//! Melodic rhythm: bars filled beat by beat from a meter-aware vocabulary of cells, shaped by the
//! style's feel and the part's density, or — under `rhythm …` — only from the durations allowed.

use rand::{Rng, RngCore};

use super::Conflict;
use super::chain::pick;
use crate::models::{self, BarPlace, BarRhythm, RhythmModel, RhythmNote};
use crate::resolve::{Density, Feel, Intervals, Origin, PHRASE_BARS, PartPlan, Plan};
use crate::theory::Meter;

/// Where a note sits and how long it lasts, in ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: u32,
    pub duration: u32,
}

/// A rhythm cell: durations as twelfths of a beat, over one or two beats.
struct Cell {
    beats: u32,
    parts: &'static [u32],
    /// 0 one long note … 2 subdivided.
    motion: u8,
    weight: f64,
}

const DIV: u32 = 12;

/// Cells for a simple beat (a quarter in 4/4): quarter, two eighths, dotted eighth + sixteenth;
/// over two beats: half, dotted quarter + eighth.
const SIMPLE: [Cell; 5] = [
    Cell {
        beats: 1,
        parts: &[12],
        motion: 1,
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[6, 6],
        motion: 2,
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[9, 3],
        motion: 2,
        weight: 0.5,
    },
    Cell {
        beats: 2,
        parts: &[24],
        motion: 0,
        weight: 1.0,
    },
    Cell {
        beats: 2,
        parts: &[18, 6],
        motion: 1,
        weight: 1.0,
    },
];

/// Cells for a compound beat (a dotted quarter in 6/8).
const COMPOUND: [Cell; 4] = [
    Cell {
        beats: 1,
        parts: &[12],
        motion: 0,
        weight: 1.2,
    },
    Cell {
        beats: 1,
        parts: &[8, 4],
        motion: 1,
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[4, 4, 4],
        motion: 2,
        weight: 3.0,
    },
    Cell {
        beats: 1,
        parts: &[4, 8],
        motion: 1,
        weight: 0.4,
    },
];

/// How strongly a feel and a density favour each kind of cell (by `motion`).
fn cell_weight(cell: &Cell, feel: Feel, density: Density) -> f64 {
    let feel_factor = match (feel, cell.motion, cell.parts) {
        (Feel::Lyrical, 0, _) => 2.5,
        (Feel::Lyrical, 2, _) => 0.4,
        (Feel::Running, 2, [6, 6] | [4, 4, 4]) => 4.0,
        (Feel::Running, 0, _) => 0.3,
        (Feel::Dotted, _, [9, 3] | [8, 4]) => 8.0,
        _ => 1.0,
    };
    let density_factor = match (density, cell.motion) {
        (Density::Busy, 2) | (Density::Sparse, 0) => 2.5,
        (Density::Busy, 0) | (Density::Sparse, 2) => 0.4,
        _ => 1.0,
    };
    cell.weight * feel_factor * density_factor
}

/// Where a stretch of music sits in the form, for its long notes.
#[derive(Clone, Copy)]
pub struct Placement {
    pub start_bar: u32,
    pub bars: u32,
    /// The stretch ends the piece: its last bar is one long note where the rhythm allows.
    pub ends_piece: bool,
    /// The stretch's last bar ends a strain (`sections::closes_strain`), as the learned `end`
    /// bars do; otherwise it ends an inner phrase.
    pub closes_strain: bool,
}

/// The learned bar rhythms a piece's lines play: its style family's in its meter, and where
/// the family's tunes keep to one of two ways of writing (hornpipes run even or dotted), the
/// way drawn for this piece by how many tunes take it, from a stream of its own.
pub fn learned(plan: &Plan, seed: u64) -> Option<&'static RhythmModel> {
    let meter = plan.meter.value;
    let habits: Vec<&RhythmModel> =
        models::rhythm_habits(plan.style.value.rhythm_family, meter).collect();
    if habits.len() < 2 {
        return habits.first().copied();
    }
    let mut rng = super::stream(seed, &format!("{}/rhythm/habit", plan.style.value.name));
    let weights: Vec<f64> = habits.iter().map(|m| m.tunes).collect();
    pick(&mut rng, &weights).map(|i| habits[i])
}

/// The rhythm of a line over `placement`, with the part's feel, density and allowed durations.
/// A style with a learned rhythm model in this meter plays its bar rhythms; other styles and
/// meters fill bars from the cell vocabulary. The piece's last bar ends on a note that outlasts
/// the ticks a `pickup` takes from it; every other section's last bar leads into the next
/// with the pickup's rhythm, as real strains do.
pub fn line_rhythm(
    plan: &Plan,
    part: &PartPlan,
    (feel, learned): (Feel, Option<&'static RhythmModel>),
    placement: Placement,
    pickup: &[RhythmNote],
    played: &mut BarsPlayed,
    rng: &mut impl RngCore,
) -> Result<Vec<Slot>, Conflict> {
    let give_back: u32 = pickup.iter().map(|n| n.ticks).sum();
    let meter = plan.meter.value;
    let family = plan.style.value.rhythm_family;
    // A counter-melody in a dance style (lyrical against a running tune) keeps the cells.
    let mut learned = (feel != Feel::Lyrical || family == "song")
        .then(|| learned.or(models::rhythm_model("song", meter)))
        .flatten()
        .map(|model| LearnedBars {
            model,
            density: part.density.value,
            played,
        });
    let mut slots = Vec::new();
    for bar in 0..placement.bars {
        let start = (placement.start_bar + bar) * meter.bar_ticks();
        let last = bar + 1 == placement.bars;
        let inner_end = !last && (bar + 1) % PHRASE_BARS == 0;
        // A one-phrase section that ends halfway through an eight-bar strain (pop's ABAB in
        // sixteen bars) ends a phrase, not a strain: it breathes as phrases do.
        let strain_end = (placement.start_bar + bar + 1).is_multiple_of(2 * PHRASE_BARS);
        let place = match (last, inner_end) {
            (true, _)
                if placement.closes_strain && (strain_end || placement.bars > PHRASE_BARS) =>
            {
                BarPlace::End
            }
            (true, _) | (false, true) => BarPlace::Half,
            _ => BarPlace::Body,
        };
        let notes = match (&part.durations, learned.as_mut()) {
            (Some(allowed), _) => notes_of(
                fill(meter, &allowed.value, last || inner_end, rng)
                    .ok_or_else(|| no_bar_of(plan, part, &allowed.origin))?,
            ),
            (None, Some(learned)) if last && placement.ends_piece => {
                learned.closing_bar(give_back, rng)
            }
            (None, Some(learned)) if last && !pickup.is_empty() => {
                learned.leading_on(place, pickup, rng)
            }
            (None, Some(learned)) => learned.bar(place, rng),
            (None, None) if last && placement.ends_piece => notes_of(vec![meter.bar_ticks()]),
            (None, None) => {
                // Fiddle tunes often run on through a phrase end inside a section.
                let runs_on = inner_end
                    && plan.style.value.intervals == Intervals::Fiddle
                    && rng.random_bool(0.5);
                let phrase_end = last || (inner_end && !runs_on);
                notes_of(cells(meter, feel, part.density.value, phrase_end, rng))
            }
        };
        let mut at = start;
        for note in notes {
            if !note.rest {
                slots.push(Slot {
                    start: at,
                    duration: note.ticks,
                });
            }
            at += note.ticks;
        }
    }
    Ok(slots)
}

fn no_bar_of(plan: &Plan, part: &PartPlan, allowed: &Origin) -> Conflict {
    let meter = plan.meter.value;
    Conflict {
        role: Some(part.role),
        origins: [allowed, &plan.meter.origin]
            .into_iter()
            .filter(|o| o.is_user())
            .cloned()
            .collect(),
        reason: format!("no notes of the allowed lengths add up to a bar of {meter}"),
    }
}

fn notes_of(lengths: Vec<u32>) -> BarRhythm {
    lengths
        .into_iter()
        .map(|ticks| RhythmNote { ticks, rest: false })
        .collect()
}

/// The bar rhythms a line has played so far, by place in the strain, for its later bars (in
/// any section) to take up again.
#[derive(Default)]
pub struct BarsPlayed {
    rhythms: [Vec<BarRhythm>; 4],
    /// How many bars each place has played, repeats included.
    bars: [usize; 4],
}

impl BarsPlayed {
    /// The note lengths played so far, in ticks.
    fn lengths(&self) -> Vec<u32> {
        let mut lengths: Vec<u32> = self
            .rhythms
            .iter()
            .flatten()
            .flatten()
            .map(|n| n.ticks)
            .collect();
        lengths.sort_unstable();
        lengths.dedup();
        lengths
    }
}

/// How many note lengths `bar` plays that `lengths` (sorted) does not hold. Counted in place:
/// it is asked of every rhythm the model knows, for every bar.
fn new_lengths(bar: &[RhythmNote], lengths: &[u32]) -> usize {
    (0..bar.len())
        .filter(|&i| {
            let ticks = bar[i].ticks;
            lengths.binary_search(&ticks).is_err() && !bar[..i].iter().any(|n| n.ticks == ticks)
        })
        .count()
}

/// How much less often a rhythm is drawn for each note length it would add, per length the
/// tune already plays.
const NEW_LENGTH: f64 = 0.5;

/// Bars drawn from a learned rhythm model: a bar takes the rhythm of an earlier bar at its
/// place as often as real tunes do, else a rhythm drawn by how often real tunes play it.
struct LearnedBars<'a> {
    model: &'static RhythmModel,
    density: Density,
    played: &'a mut BarsPlayed,
}

impl LearnedBars<'_> {
    fn bar(&mut self, place: BarPlace, rng: &mut impl RngCore) -> BarRhythm {
        let rhythms = self.model.at(place);
        // A tune keeps to a few note lengths: a rhythm that brings lengths the tune has not
        // played yet is drawn less often, the more so the more lengths it already has.
        let lengths = self.played.lengths();
        let weights: Vec<f64> = density_weights(&rhythms.bars, self.density)
            .into_iter()
            .zip(&rhythms.bars)
            .map(|(w, (bar, _))| {
                w * NEW_LENGTH.powi((new_lengths(bar, &lengths) * lengths.len()) as i32)
            })
            .collect();
        // Real tunes repeat an earlier bar's rhythm as often as `repeats` says after as many
        // bars, partly by taking it up again and partly by drawing a common rhythm twice: only
        // the rest is taken up.
        let played = &self.played.rhythms[place as usize];
        let repeats = rhythms.repeats_after(self.played.bars[place as usize]);
        self.played.bars[place as usize] += 1;
        let total: f64 = weights.iter().sum();
        let again: f64 = (rhythms.bars.iter().zip(&weights))
            .filter(|((bar, _), _)| played.contains(bar))
            .map(|(_, w)| w / total)
            .sum();
        let taken_up = match again < 1.0 {
            true => ((repeats - again) / (1.0 - again)).clamp(0.0, 1.0),
            false => 0.0,
        };
        if !played.is_empty() && rng.random_bool(taken_up) {
            return played[rng.random_range(0..played.len())].clone();
        }
        let bar = &rhythms.bars[pick(rng, &weights).unwrap_or(0)].0;
        let played = &mut self.played.rhythms[place as usize];
        if !played.contains(bar) {
            played.push(bar.clone());
        }
        bar.clone()
    }

    /// The piece's last bar, as tunes end, whose last note outlasts the `give_back` ticks a
    /// pickup takes: as tunes led in by a pickup end, or as tunes without one do (which
    /// never hold their last note through a pickup's time).
    fn closing_bar(&mut self, give_back: u32, rng: &mut impl RngCore) -> BarRhythm {
        let (asked, other) = match give_back {
            0 => (BarPlace::Final, BarPlace::FinalLed),
            _ => (BarPlace::FinalLed, BarPlace::Final),
        };
        let place = match self.model.at(asked).bars.is_empty() {
            true => other,
            false => asked,
        };
        self.outlasting(place, give_back, rng)
            .or_else(|| self.outlasting(other, give_back, rng))
            .unwrap_or_else(|| self.bar(place, rng))
    }

    /// A strain's last bar, as strains end, its last note (or the rest after it) cut short by
    /// the `pickup`'s notes leading into the next strain (real tunes write the pickup again
    /// before the repeat sign, and songs breathe before it).
    fn leading_on(
        &mut self,
        place: BarPlace,
        pickup: &[RhythmNote],
        rng: &mut impl RngCore,
    ) -> BarRhythm {
        let give_back: u32 = pickup.iter().map(|n| n.ticks).sum();
        match self.outlasting(place, give_back, rng) {
            Some(mut bar) => {
                if let Some(last) = bar.last_mut() {
                    last.ticks -= give_back;
                }
                bar.retain(|n| n.ticks > 0);
                bar.extend_from_slice(pickup);
                bar
            }
            None => self.bar(place, rng),
        }
    }

    /// A bar for `place` whose last note outlasts `give_back` ticks (or, at a strain's end,
    /// ends on a rest as long as them), if the model has one.
    fn outlasting(
        &mut self,
        place: BarPlace,
        give_back: u32,
        rng: &mut impl RngCore,
    ) -> Option<BarRhythm> {
        let ends = &self.model.at(place).bars;
        let breathes = !matches!(place, BarPlace::Final | BarPlace::FinalLed);
        let outlasts = |bar: &BarRhythm| {
            bar.last().is_some_and(|n| match n.rest {
                false => n.ticks > give_back,
                true => breathes && n.ticks >= give_back && bar.iter().any(|n| !n.rest),
            })
        };
        let weights: Vec<f64> = density_weights(ends, self.density)
            .into_iter()
            .zip(ends)
            .map(|(w, (bar, _))| if outlasts(bar) { w } else { 0.0 })
            .collect();
        pick(rng, &weights).map(|i| ends[i].0.clone())
    }
}

/// How often real tunes play each rhythm, tilted towards more notes for a busy part and
/// fewer for a sparse one.
fn density_weights(bars: &[(BarRhythm, f64)], density: Density) -> Vec<f64> {
    let tilt: f64 = match density {
        Density::Sparse => 1.0 / BUSIER,
        Density::Normal => 1.0,
        Density::Busy => BUSIER,
    };
    let total: f64 = bars.iter().map(|(_, w)| w).sum();
    let mean = bars.iter().map(|(b, w)| b.len() as f64 * w).sum::<f64>() / total;
    bars.iter()
        .map(|(b, w)| w * tilt.powf(b.len() as f64 - mean))
        .collect()
}

/// How much a busy part favours each extra note in a bar.
const BUSIER: f64 = 1.5;

/// One bar from the cell vocabulary; a phrase end holds its last beats.
fn cells(
    meter: Meter,
    feel: Feel,
    density: Density,
    phrase_end: bool,
    rng: &mut impl RngCore,
) -> Vec<u32> {
    let beat = meter.beat_ticks();
    let beats = meter.beats_per_bar();
    let vocabulary: &[Cell] = if meter.is_compound() {
        &COMPOUND
    } else {
        &SIMPLE
    };
    let mut out = Vec::new();
    let mut b = 0;
    while b < beats {
        let remaining = beats - b;
        let eligible: Vec<&Cell> = vocabulary
            .iter()
            .filter(|c| c.beats <= remaining && (c.beats == 1 || b % 2 == 0))
            .filter(|c| c.parts.iter().all(|p| (beat * p).is_multiple_of(DIV)))
            .filter(|c| !(phrase_end && remaining <= 2) || c.parts.len() == 1)
            .collect();
        let weights: Vec<f64> = eligible
            .iter()
            .map(|c| cell_weight(c, feel, density))
            .collect();
        let cell = eligible[pick(rng, &weights).unwrap_or(0)];
        out.extend(cell.parts.iter().map(|p| beat * p / DIV));
        b += cell.beats;
    }
    out
}

/// One bar of only `allowed` lengths: each note is drawn among the lengths that still leave a
/// fillable rest of the bar, so it never dead-ends and never retries. Notes that would cross a
/// beat are rare; a phrase end prefers long notes.
fn fill(
    meter: Meter,
    allowed: &[u32],
    phrase_end: bool,
    rng: &mut impl RngCore,
) -> Option<Vec<u32>> {
    let bar = meter.bar_ticks() as usize;
    let mut reachable = vec![false; bar + 1];
    reachable[0] = true;
    for r in 1..=bar {
        reachable[r] = allowed
            .iter()
            .any(|&d| d as usize <= r && reachable[r - d as usize]);
    }
    if !reachable[bar] {
        return None;
    }
    let beat = meter.beat_ticks();
    let mut out = Vec::new();
    let mut at = 0u32;
    while (at as usize) < bar {
        let left = bar - at as usize;
        let weights: Vec<f64> = allowed
            .iter()
            .map(|&d| {
                if d as usize > left || !reachable[left - d as usize] {
                    return 0.0;
                }
                let crosses = d < beat && (at % beat) + d > beat;
                let long_end = phrase_end && d >= beat && d as usize == left;
                (if crosses { 0.2 } else { 1.0 }) * (if long_end { 6.0 } else { 1.0 })
            })
            .collect();
        let d = allowed[pick(rng, &weights)?];
        out.push(d);
        at += d;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::meter::TICKS_PER_QUARTER;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn bars_are_filled_exactly() {
        for (count, unit) in [
            (4, 4),
            (3, 4),
            (6, 8),
            (2, 2),
            (9, 8),
            (5, 4),
            (3, 8),
            (7, 8),
            (2, 4),
            (12, 8),
        ] {
            let meter = Meter::new(count, unit).unwrap();
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            for feel in [Feel::Even, Feel::Lyrical, Feel::Running, Feel::Dotted] {
                let bar: u32 = cells(meter, feel, Density::Normal, false, &mut rng)
                    .iter()
                    .sum();
                assert_eq!(bar, meter.bar_ticks(), "{meter}");
            }
        }
    }

    #[test]
    fn allowed_lengths_only() {
        let meter = Meter::new(6, 8).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..100 {
            let bar = fill(meter, &[240, 480], true, &mut rng).unwrap();
            assert!(bar.iter().all(|d| [240, 480].contains(d)));
            assert_eq!(bar.iter().sum::<u32>(), 1440);
        }
        assert!(fill(Meter::new(4, 4).unwrap(), &[720], false, &mut rng).is_none());
        let triplets = fill(Meter::new(2, 4).unwrap(), &[160], false, &mut rng).unwrap();
        assert_eq!(triplets.len(), 6);
    }

    #[test]
    fn a_hornpipe_keeps_to_one_way_of_writing_drawn_as_often_as_real_ones() {
        let plan = crate::plan_of("hornpipe").unwrap();
        let dotted = (0..200)
            .filter(|&seed| learned(&plan, seed).unwrap().family == "hornpipe.dotted")
            .count();
        // O'Neill's 4/4 hornpipes: 46 dotted of 132.
        assert!((50..=90).contains(&dotted), "{dotted} of 200");
        // A family with one table draws nothing.
        let reel = crate::plan_of("reel").unwrap();
        assert!((0..20).all(|seed| learned(&reel, seed).unwrap().family == "reel"));
    }

    #[test]
    fn a_rhythm_brings_each_length_the_tune_lacks_once() {
        let note = |ticks| RhythmNote { ticks, rest: false };
        let bar = [note(240), note(480), note(240), note(960), note(480)];
        assert_eq!(new_lengths(&bar, &[]), 3);
        assert_eq!(new_lengths(&bar, &[480]), 2);
        assert_eq!(new_lengths(&bar, &[120, 240, 480, 960]), 0);
    }

    #[test]
    fn a_strain_leads_into_the_next_with_the_pickup() {
        let meter = Meter::new(4, 4).unwrap();
        let mut played = BarsPlayed::default();
        let mut bars = LearnedBars {
            model: models::rhythm_model("reel", meter).unwrap(),
            density: Density::Normal,
            played: &mut played,
        };
        let eighth = RhythmNote {
            ticks: TICKS_PER_QUARTER / 2,
            rest: false,
        };
        let pickup = [eighth, eighth];
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..50 {
            let bar = bars.leading_on(BarPlace::End, &pickup, &mut rng);
            assert_eq!(bar.iter().map(|n| n.ticks).sum::<u32>(), meter.bar_ticks());
            assert_eq!(bar[bar.len() - 2..], pickup);
            // The strain's cadence note keeps some of its length before the lead-in.
            let cadence = bar[..bar.len() - 2].iter().rfind(|n| !n.rest).unwrap();
            assert!(cadence.ticks >= TICKS_PER_QUARTER / 2);
        }
    }

    #[test]
    fn a_phrase_breathes_before_the_lead_in_as_songs_do() {
        let meter = Meter::new(4, 4).unwrap();
        let mut played = BarsPlayed::default();
        let mut bars = LearnedBars {
            model: models::rhythm_model("song", meter).unwrap(),
            density: Density::Normal,
            played: &mut played,
        };
        let pickup = [RhythmNote {
            ticks: TICKS_PER_QUARTER,
            rest: false,
        }];
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let breaths = (0..200)
            .filter(|_| {
                let bar = bars.leading_on(BarPlace::Half, &pickup, &mut rng);
                assert_eq!(bar.iter().map(|n| n.ticks).sum::<u32>(), meter.bar_ticks());
                assert_eq!(bar[bar.len() - 1..], pickup);
                assert!(bar[..bar.len() - 1].iter().any(|n| !n.rest));
                bar[bar.len() - 2].rest
            })
            .count();
        assert!(
            (20..180).contains(&breaths),
            "{breaths} of 200 phrases breathe"
        );
    }
}
