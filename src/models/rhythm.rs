//! The rhythm model: which bar rhythms a style uses at each place in a strain, how often a bar
//! takes the rhythm of an earlier one, and the pickups its tunes start with.

use std::sync::OnceLock;

use super::table::{number, records};
use crate::theory::Meter;
use crate::theory::meter::TICKS_PER_QUARTER;

const TEXT: &str = include_str!("../../models/rhythm.tsv");
/// The tables count durations in 24ths of a quarter note.
const UNIT_TICKS: u32 = TICKS_PER_QUARTER / 24;

/// One note or rest of a bar's rhythm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RhythmNote {
    pub ticks: u32,
    pub rest: bool,
}

/// The notes and rests of one bar (or of a pickup), in order.
pub type BarRhythm = Vec<RhythmNote>;

/// Where a bar sits in its strain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarPlace {
    Body,
    /// The last bar of a four-bar phrase inside the strain.
    Half,
    /// The strain's last bar: its cadence.
    End,
    /// The tune's last bar, in a tune without a pickup.
    Final,
    /// The tune's last bar after a pickup led the tune in: its last note holds through the
    /// time the pickup took, which the composer gives back.
    FinalLed,
}

/// The bar rhythms of one place, with how often each occurs.
#[derive(Debug, Default)]
pub struct PlaceRhythms {
    pub bars: Vec<(BarRhythm, f64)>,
    /// By how many bars came before at this place (the last row: that many or more), how
    /// many bars followed them and how many of those repeat an earlier bar's rhythm.
    repeats: Vec<(usize, f64, f64)>,
}

impl PlaceRhythms {
    /// The share of bars whose rhythm is an earlier bar's at this place, when `earlier` bars
    /// came before: real tunes seldom repeat their second bar's rhythm and mostly repeat their
    /// ninth's (songs in 4/4: 16% and 69%).
    pub fn repeats_after(&self, earlier: usize) -> f64 {
        let (same, of) =
            (self.repeats.iter()).fold((0.0, 0.0), |(s, o), &(_, a, b)| (s + a, o + b));
        let Some(&(_, here_same, here_of)) = self.repeats.iter().rev().find(|r| r.0 <= earlier)
        else {
            return 0.0;
        };
        // Shrunk towards the place's rate by a few bars' worth, as `same_note_weight` is (a
        // row counts at least one bar, so `of` is never 0).
        let rate = same / f64::max(of, 1.0);
        (here_same + SHRINK * rate) / (here_of + SHRINK)
    }
}

/// The rhythm habits of one style family in one meter (or of one way of writing it: the
/// family `hornpipe.dotted` holds the hornpipes written in dotted pairs, `hornpipe` the rest).
#[derive(Debug)]
pub struct RhythmModel {
    pub family: &'static str,
    pub meter: &'static str,
    /// How many training tunes taught it.
    pub tunes: f64,
    /// The pickups tunes start with (`None`: no pickup), with how often each occurs.
    pub pickups: Vec<(Option<BarRhythm>, f64)>,
    places: [PlaceRhythms; 5],
    /// By onset in the bar (ticks): the notes struck there and how many strike the note
    /// before them again.
    same_notes: Vec<(u32, f64, f64)>,
    /// The share of all notes that strike the note before them again (0: none counted).
    same_note_rate: f64,
}

impl RhythmModel {
    pub fn at(&self, place: BarPlace) -> &PlaceRhythms {
        &self.places[place as usize]
    }

    /// How much likelier than anywhere in the bar a note struck at `tick_in_bar` strikes the
    /// note before it again: a jig repeats a note across its beat (`ABA AFD`), a reel on its
    /// second and fourth beats, and hardly ever between them. 1 where the tunes struck too few
    /// notes to say.
    pub fn same_note_weight(&self, tick_in_bar: u32) -> f64 {
        let rate = self.same_note_rate;
        match (self.same_notes.iter()).find(|(at, ..)| *at == tick_in_bar) {
            // Shrunk towards the bar's rate by a few notes' worth, so a rare onset's rate of 0
            // is not a rule.
            Some(&(_, here, again)) if rate > 0.0 => {
                ((again + SHRINK * rate) / (here + SHRINK)) / rate
            }
            _ => 1.0,
        }
    }
}

/// Notes (or bars) of the overall rate added to each onset's (or depth's) counts.
const SHRINK: f64 = 10.0;

/// The model of `family` (a style's rhythm family: `jig`, `reel`, `song` …) in `meter`, if the
/// training collections had enough such tunes. Cut time (2/2) reads the 4/4 tables.
pub fn rhythm_model(family: &str, meter: Meter) -> Option<&'static RhythmModel> {
    rhythm_habits(family, meter).next()
}

/// The models of `family` in `meter`: its plain one first, then each way of writing it that
/// its tunes keep to (`hornpipe.dotted`).
pub fn rhythm_habits(family: &str, meter: Meter) -> impl Iterator<Item = &'static RhythmModel> {
    static MODELS: OnceLock<Vec<RhythmModel>> = OnceLock::new();
    let name = match (meter.count, meter.unit) {
        (2, 2) => "4/4".to_string(),
        _ => meter.to_string(),
    };
    let family = family.to_string();
    MODELS.get_or_init(read).iter().filter(move |m| {
        let habit = m.family.strip_prefix(family.as_str());
        m.meter == name && habit.is_some_and(|h| h.is_empty() || h.starts_with('.'))
    })
}

fn read() -> Vec<RhythmModel> {
    let mut models: Vec<RhythmModel> = Vec::new();
    for record in records(TEXT) {
        let [kind, family, meter, rest @ ..] = record.as_slice() else {
            panic!("a short record in the rhythm model: {record:?}");
        };
        if let ("tunes", [count]) = (*kind, rest) {
            models.push(RhythmModel {
                family,
                meter,
                tunes: number(count) as f64,
                pickups: Vec::new(),
                places: Default::default(),
                same_notes: Vec::new(),
                same_note_rate: 0.0,
            });
            continue;
        }
        let model = models
            .last_mut()
            .expect("a rhythm model's records follow its `tunes`");
        assert!(model.family == *family && model.meter == *meter);
        match (*kind, rest) {
            ("pickup", [count, pattern]) => {
                let pickup = (*pattern != "-").then(|| bar_rhythm(pattern));
                model.pickups.push((pickup, number(count) as f64));
            }
            ("repeats", [place, earlier, same, of]) => {
                model.places[place_named(place) as usize].repeats.push((
                    number(earlier) as usize,
                    number(same) as f64,
                    number(of) as f64,
                ))
            }
            ("bar", [place, count, pattern]) => model.places[place_named(place) as usize]
                .bars
                .push((bar_rhythm(pattern), number(count) as f64)),
            ("same-note", [at, notes, same]) => model.same_notes.push((
                number(at) * UNIT_TICKS,
                number(notes) as f64,
                number(same) as f64,
            )),
            _ => panic!("an unknown record in the rhythm model: {record:?}"),
        }
    }
    for model in &mut models {
        let (notes, same) =
            (model.same_notes.iter()).fold((0.0, 0.0), |(n, s), &(_, a, b)| (n + a, s + b));
        model.same_note_rate = if notes > 0.0 { same / notes } else { 0.0 };
    }
    models
}

fn place_named(name: &str) -> BarPlace {
    match name {
        "body" => BarPlace::Body,
        "half" => BarPlace::Half,
        "end" => BarPlace::End,
        "final" => BarPlace::Final,
        "final-led" => BarPlace::FinalLed,
        _ => panic!("an unknown place in the rhythm model: {name}"),
    }
}

/// `12 12 r12`: durations in 24ths of a quarter, rests marked `r`.
fn bar_rhythm(pattern: &str) -> BarRhythm {
    pattern
        .split(' ')
        .map(|d| {
            let rest = d.starts_with('r');
            RhythmNote {
                ticks: number(d.trim_start_matches('r')) * UNIT_TICKS,
                rest,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reels_without_a_pickup_end_on_a_quarter_note_at_most() {
        // A reel's last half note is a quarter held through the time its pickup took.
        let reel = rhythm_model("reel", Meter::new(4, 4).unwrap()).unwrap();
        let last = |place| (reel.at(place).bars.iter()).map(|(bar, _)| bar.last().unwrap().ticks);
        let quarter = Meter::new(4, 4).unwrap().beat_ticks();
        assert!(last(BarPlace::Final).all(|t| t <= quarter));
        assert!(last(BarPlace::FinalLed).any(|t| t == 2 * quarter));
    }

    #[test]
    fn jigs_and_reels_strike_a_note_again_on_the_beat_not_between() {
        let eighth = TICKS_PER_QUARTER / 2;
        let jig = rhythm_model("jig", Meter::new(6, 8).unwrap()).unwrap();
        // `ABA AFD`: the second beat's first note takes up the first beat's last.
        assert!(jig.same_note_weight(3 * eighth) > 2.0);
        assert!(jig.same_note_weight(eighth) < 0.2);
        let reel = rhythm_model("reel", Meter::new(4, 4).unwrap()).unwrap();
        for beat in [2, 6] {
            assert!(reel.same_note_weight(beat * eighth) > 2.0);
            assert!(reel.same_note_weight((beat + 1) * eighth) < 0.2);
        }
        // An onset the tunes hardly strike says nothing.
        assert_eq!(reel.same_note_weight(5), 1.0);
    }

    #[test]
    fn every_table_reads_and_every_bar_fills_its_meter() {
        let models = read();
        assert!(models.len() >= 5);
        for model in &models {
            let (count, unit) = model.meter.split_once('/').unwrap();
            let meter = Meter::new(count.parse().unwrap(), unit.parse().unwrap()).unwrap();
            let finals = model.at(BarPlace::Final).bars.len();
            assert!(finals + model.at(BarPlace::FinalLed).bars.len() > 0);
            for place in [
                BarPlace::Body,
                BarPlace::Half,
                BarPlace::End,
                BarPlace::Final,
                BarPlace::FinalLed,
            ] {
                let rhythms = model.at(place);
                let optional = matches!(place, BarPlace::Final | BarPlace::FinalLed);
                assert!(
                    optional || !rhythms.bars.is_empty(),
                    "{} {}",
                    model.family,
                    model.meter
                );
                for earlier in 0..20 {
                    assert!((0.0..=1.0).contains(&rhythms.repeats_after(earlier)));
                }
                for (bar, _) in &rhythms.bars {
                    let ticks: u32 = bar.iter().map(|n| n.ticks).sum();
                    assert_eq!(ticks, meter.bar_ticks(), "{} {bar:?}", model.meter);
                }
            }
            for pickup in model.pickups.iter().filter_map(|(p, _)| p.as_ref()) {
                assert!(pickup.iter().map(|n| n.ticks).sum::<u32>() < meter.bar_ticks());
            }
        }
    }

    #[test]
    fn a_bar_repeats_an_earlier_rhythm_the_likelier_the_more_came_before() {
        let song = rhythm_model("song", Meter::new(4, 4).unwrap()).unwrap();
        let body = song.at(BarPlace::Body);
        assert_eq!(body.repeats_after(0), 0.0);
        assert!(body.repeats_after(1) < 0.25, "{}", body.repeats_after(1));
        assert!(body.repeats_after(8) > 0.6, "{}", body.repeats_after(8));
        assert_eq!(body.repeats_after(12), body.repeats_after(40));
    }

    #[test]
    fn the_dance_styles_have_their_tables() {
        let six_eight = Meter::new(6, 8).unwrap();
        let jig = rhythm_model("jig", six_eight).unwrap();
        let tunes: f64 = jig.pickups.iter().map(|(_, n)| n).sum();
        assert!(tunes >= 100.0);
        // A jig runs in eighths more than it does anything else.
        let (most_common, _) = &jig.at(BarPlace::Body).bars[0];
        assert_eq!(most_common.len(), 6);
        assert!(rhythm_model("reel", Meter::new(2, 2).unwrap()).is_some());
    }

    #[test]
    fn hornpipes_run_even_or_dotted_and_each_has_its_table() {
        let four_four = Meter::new(4, 4).unwrap();
        let habits: Vec<_> = rhythm_habits("hornpipe", four_four).collect();
        let names: Vec<_> = habits.iter().map(|m| m.family).collect();
        assert_eq!(names, ["hornpipe", "hornpipe.dotted"]);
        let dotted = |bar: &BarRhythm| bar.windows(2).any(|w| w[0].ticks == 3 * w[1].ticks);
        let (even_bar, _) = &habits[0].at(BarPlace::Body).bars[0];
        let (dotted_bar, _) = &habits[1].at(BarPlace::Body).bars[0];
        assert!(!dotted(even_bar) && dotted(dotted_bar));
        assert!(habits[0].tunes > habits[1].tunes);
        // `reel` is not a prefix of another family's name by accident: one table.
        assert_eq!(rhythm_habits("reel", four_four).count(), 1);
        assert_eq!(
            rhythm_model("hornpipe", four_four).unwrap().family,
            "hornpipe"
        );
    }
}
