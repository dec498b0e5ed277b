//! The melody model: the next note given the current one (its degree above the tonic and the
//! interval to the next), the degrees downbeats favour, and the degrees strains end on.

use std::sync::OnceLock;

use super::table::{number, records};

const TEXT: &str = include_str!("../../models/melody.tsv");
/// Intervals are counted from -FAR to FAR semitones; FAR stands for every larger one too.
const FAR: i16 = 13;
const INTERVALS: usize = 2 * FAR as usize + 1;
/// Intervals the reader spells out (each semitone beyond FAR halves the weight), so that
/// weighing a move is one look-up.
const WIDE: i16 = 4 * 12;
const SPELLED: usize = 2 * WIDE as usize + 1;
/// Pseudo-counts pulling a rare degree's intervals towards every degree's.
const SMOOTHING: f64 = 20.0;

/// The pitch habits of one style family in one mode class.
#[derive(Debug)]
pub struct MelodyModel {
    pub family: &'static str,
    pub minor: bool,
    /// P(interval | degree), smoothed so that every interval has some weight, from -WIDE to
    /// WIDE semitones.
    moves: [[f64; SPELLED]; 12],
    /// How much more often a degree falls on a downbeat than anywhere.
    downbeat: [f64; 12],
    /// How often strains end on each degree, relative to the tonic's.
    finals: [f64; 12],
    /// How often tunes begin on each degree, relative to the likeliest.
    firsts: [f64; 12],
}

impl MelodyModel {
    /// The weight of moving from `from` to `to` (MIDI numbers) in a key on `tonic` (0 = C).
    pub fn move_weight(&self, tonic: u8, from: u8, to: u8) -> f64 {
        let interval = to as i16 - from as i16;
        let weight = self.moves[degree(tonic, from)][(interval.clamp(-WIDE, WIDE) + WIDE) as usize];
        match interval.abs() - WIDE {
            beyond if beyond > 0 => weight * 0.5f64.powi(beyond as i32),
            _ => weight,
        }
    }

    /// How a downbeat weighs the note `pitch` (MIDI) in a key on `tonic`.
    pub fn downbeat_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.downbeat[degree(tonic, pitch)]
    }

    /// How a strain's last note weighs `pitch` (MIDI), the tonic weighing 1.
    pub fn final_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.finals[degree(tonic, pitch)]
    }

    /// How a tune's first note weighs `pitch` (MIDI), the likeliest degree weighing 1.
    pub fn first_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.firsts[degree(tonic, pitch)]
    }
}

fn degree(tonic: u8, pitch: u8) -> usize {
    (pitch as usize + 12 - tonic as usize % 12) % 12
}

/// The model of `family` (`song` or `fiddle`) in a major or a minor mode.
pub fn melody_model(family: &str, minor: bool) -> &'static MelodyModel {
    static MODELS: OnceLock<Vec<MelodyModel>> = OnceLock::new();
    let models = MODELS.get_or_init(read);
    models
        .iter()
        .find(|m| m.family == family && m.minor == minor)
        .or_else(|| {
            models
                .iter()
                .find(|m| m.family == "song" && m.minor == minor)
        })
        .expect("the song tables are always there")
}

struct Counts {
    family: &'static str,
    minor: bool,
    moves: [[f64; INTERVALS]; 12],
    downbeat: [f64; 12],
    finals: [f64; 12],
    firsts: [f64; 12],
}

fn read() -> Vec<MelodyModel> {
    let mut counts: Vec<Counts> = Vec::new();
    for record in records(TEXT) {
        let [kind, family, mode, rest @ ..] = record.as_slice() else {
            panic!("a short record in the melody model: {record:?}");
        };
        let minor = *mode == "minor";
        if *kind == "notes" {
            counts.push(Counts {
                family,
                minor,
                moves: [[0.0; INTERVALS]; 12],
                downbeat: [0.0; 12],
                finals: [0.0; 12],
                firsts: [0.0; 12],
            });
            continue;
        }
        let table = counts
            .last_mut()
            .expect("a melody model's records follow its `notes`");
        assert!(table.family == *family && table.minor == minor);
        match (*kind, rest) {
            ("move", [degree, row]) => {
                table.moves[number(degree) as usize] = numbers(row);
            }
            ("downbeat", [row]) => table.downbeat = numbers(row),
            ("final", [row]) => table.finals = numbers(row),
            ("first", [row]) => table.firsts = numbers(row),
            _ => panic!("an unknown record in the melody model: {record:?}"),
        }
    }
    counts.iter().map(estimate).collect()
}

fn numbers<const N: usize>(row: &str) -> [f64; N] {
    let values: Vec<f64> = row.split(' ').map(|n| number(n) as f64).collect();
    values
        .try_into()
        .unwrap_or_else(|v: Vec<f64>| panic!("a melody model row of {} numbers", v.len()))
}

/// Probabilities from counts: each degree's intervals smoothed towards all degrees' (plus one
/// of each, so that no interval is impossible: only hard constraints may rule a note out).
fn estimate(c: &Counts) -> MelodyModel {
    let mut all = [1.0; INTERVALS];
    for row in &c.moves {
        for (a, n) in all.iter_mut().zip(row) {
            *a += n;
        }
    }
    let total: f64 = all.iter().sum();
    let halves: Vec<f64> = std::iter::successors(Some(1.0), |h| Some(h * 0.5))
        .take(WIDE as usize + 1)
        .collect();
    let mut moves = [[0.0; SPELLED]; 12];
    let mut sources = [0.0; 12];
    for (degree, row) in c.moves.iter().enumerate() {
        let n: f64 = row.iter().sum();
        sources[degree] = n;
        for (m, interval) in moves[degree].iter_mut().zip(-WIDE..=WIDE) {
            let k = (interval.clamp(-FAR, FAR) + FAR) as usize;
            let beyond = (interval.abs() - FAR).max(0) as usize;
            *m = (row[k] + SMOOTHING * all[k] / total) / (n + SMOOTHING) * halves[beyond];
        }
    }
    let share =
        |counts: &[f64; 12], d: usize| (counts[d] + 1.0) / (counts.iter().sum::<f64>() + 12.0);
    let downbeat = std::array::from_fn(|d| share(&c.downbeat, d) / share(&sources, d));
    let finals = std::array::from_fn(|d| share(&c.finals, d) / share(&c.finals, 0));
    let likeliest = (0..12).map(|d| share(&c.firsts, d)).fold(0.0, f64::max);
    let firsts = std::array::from_fn(|d| share(&c.firsts, d) / likeliest);
    MelodyModel {
        family: c.family,
        minor: c.minor,
        moves,
        downbeat,
        finals,
        firsts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_reads_and_no_move_is_impossible() {
        for family in ["song", "fiddle"] {
            for minor in [false, true] {
                let model = melody_model(family, minor);
                assert_eq!((model.family, model.minor), (family, minor));
                for from in 40..90 {
                    for to in 30..100 {
                        assert!(model.move_weight(2, from, to) > 0.0);
                    }
                }
            }
        }
    }

    #[test]
    fn songs_step_more_than_they_leap_and_end_on_the_tonic() {
        let song = melody_model("song", false);
        // From the tonic (D4 in D major), a step up beats a leap of a sixth.
        assert!(song.move_weight(2, 62, 64) > 5.0 * song.move_weight(2, 62, 71));
        assert!((0..12).all(|p| song.final_weight(2, 62 + p) <= 1.0));
        assert!(song.downbeat_weight(2, 62) > 1.0);
    }
}
