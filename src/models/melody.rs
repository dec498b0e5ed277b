//! The melody model: the next note given the current one (its degree above the tonic and the
//! interval to the next), the degrees downbeats favour and strains end on, how notes sit on the
//! chords real melodies imply, and those chords' habits.

use std::sync::OnceLock;

use super::table::{number, records};
use crate::theory::{Key, PitchSet};

const TEXT: &str = include_str!("../../models/melody.tsv");
const CALIBRATION: &str = include_str!("../../models/calibration.tsv");
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
    /// How each degree weighs anywhere (the calibration: see `Calibration`).
    degrees: [f64; 12],
    /// Each degree's share of the training tunes' notes.
    sounded: [f64; 12],
    /// How often strains end on each degree, relative to the tonic's.
    finals: [f64; 12],
    /// How often inner sections end on each degree, relative to the likeliest.
    closes: [f64; 12],
    /// How often tunes begin on each degree, relative to the likeliest.
    firsts: [f64; 12],
    /// For each rhythm family in `OWN_TURNS`, how much more often an inner phrase ends on each
    /// degree (the note at its last bar's last strong beat) than a note is that degree at all.
    phrase_ends: Vec<(&'static str, [f64; 12])>,
    /// How often a tune's first note lies in each fifth of its compass, lowest first, relative
    /// to the likeliest.
    starts: [f64; PLACES],
    /// The same for the first downbeat of a tune led in by a pickup.
    starts_led: [f64; PLACES],
    /// How often a tune's last note lies in each fifth of its compass, likewise.
    endings: [f64; PLACES],
    /// How much more often a note lies each number of semitones above the root of the chord
    /// under it than chance would put it there, by the chord's third (major, minor) and the
    /// note's metric strength.
    tones: [[[f64; 12]; 4]; 2],
    /// The same for the chords on each root in the key (semitones above the tonic) and third,
    /// by the note's degree: a leading note over IV is not a sharp fourth over I. `None` for a
    /// chord the training tunes never imply.
    tones_in_key: [[Option<[[f64; 12]; 4]>; 2]; 12],
    /// How a note outside the chord is left or reached, against a chord tone.
    off_chord: OffChord,
    /// The share of each scale degree's chord (1–7) in the body of a strain, at an inner
    /// phrase's end and at a strain's end.
    chords: [[f64; 7]; 3],
    /// How much more often a chord follows another than its share alone would say.
    progressions: [[f64; 7]; 7],
    /// How much more often a move of each class follows a move of each class than its share
    /// alone would say (steps run on, leaps turn back).
    turns: Turns,
    /// The same for the rhythm families in `OWN_TURNS`, learned from their tunes alone.
    own_turns: Vec<(&'static str, Turns)>,
    /// The same again for those families' tunes by their habit with repeated notes.
    habits: Vec<(&'static str, Vec<Habit>)>,
    /// How much more each semitone up weighs in a later strain than in the first: real tunes
    /// climb in their second strain.
    later_strain_rise: f64,
    /// For each half bar of a four-bar phrase, how a move down and a move up into a note
    /// there weigh against the same move anywhere: phrases rise early and fall to their end.
    contour: [[f64; 2]; CONTOUR_PLACES],
}

/// The half bars of a four-bar phrase the contour is counted in.
pub const CONTOUR_PLACES: usize = 8;

/// One way real tunes of a rhythm family have with repeated notes: most reels never sound a note
/// three times running, and the ones that do, do it often (and repeat notes more in all).
#[derive(Debug)]
pub struct Habit {
    /// How many training tunes have this habit.
    pub tunes: f64,
    /// The turns of those tunes, against the whole family's shares of each class, so that a
    /// habit that repeats notes more repeats them more after every move.
    pub turns: Turns,
}

/// How much more (or less) often real melodies repeat, or leap to or from, a note outside the
/// chord than a chord tone (a step weighs 1: passing and neighbour notes move by step).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OffChord {
    pub repeat: f64,
    pub leap: f64,
}

impl OffChord {
    /// No rule: every move weighs alike.
    pub const NEUTRAL: OffChord = OffChord {
        repeat: 1.0,
        leap: 1.0,
    };

    /// The weight of the move from `x` to `y` (MIDI) where one of them is off the chord.
    pub fn weight(&self, x: u8, y: u8) -> f64 {
        match x.abs_diff(y) {
            0 => self.repeat,
            1..=2 => 1.0,
            _ => self.leap,
        }
    }
}

/// The fifths of a compass the `start` table counts.
const PLACES: usize = 5;

/// The fifth of the compass `(low, high)` that `pitch` lies in, lowest 0.
fn place_in((low, high): (u8, u8), pitch: u8) -> usize {
    let (width, above) = (
        high.saturating_sub(low) as usize,
        pitch.saturating_sub(low) as usize,
    );
    (PLACES * above)
        .checked_div(width)
        .unwrap_or(0)
        .min(PLACES - 1)
}

/// Moves the melody model tells apart after one another: see `move_class`.
pub const MOVE_CLASSES: usize = 5;

/// `after[memory state][next class]` of a move (see `move_class`, `move_state`).
pub type Turns = [[f64; MOVE_CLASSES]; MOVE_STATES];

/// What the melody model remembers of the moves so far: the last move's class, or a repeated
/// note that repeats one already (state 5) or more than once (state 6; see `move_state`).
pub const MOVE_STATES: usize = MOVE_CLASSES + 2;

/// The memory state after a move of `class` from `state` (`MOVE_STATES` before any move): the
/// class itself, except that a repeated note after a repeated note is state 5, and after that
/// state 6, so that runs of one note end as soon as real tunes end them (a reel's run of three
/// mostly goes on to four, and a run of four ends).
pub fn move_state(state: usize, class: usize) -> usize {
    match (state, class) {
        (5 | 6, 2) => 6,
        (2, 2) => 5,
        _ => class,
    }
}

/// A move's class: 0 a leap down, 1 a step down, 2 a repeated note, 3 a step up, 4 a leap up
/// (a step is at most two semitones).
pub fn move_class(from: u8, to: u8) -> usize {
    match to as i16 - from as i16 {
        0 => 2,
        -2..=-1 => 1,
        1..=2 => 3,
        i if i < 0 => 0,
        _ => 4,
    }
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

    /// The chromatic notes of `key`: the degrees outside its scale that real tunes of this
    /// family sound at least `COLOUR_SHARE` of the time (a major tune's raised fourth and flat
    /// seventh, a minor tune's major sixth and seventh).
    pub fn colour(&self, key: Key) -> PitchSet {
        let tonic = key.tonic_class();
        (0..12)
            .map(|degree| tonic.transpose(degree))
            .zip(self.sounded)
            .filter(|(pc, share)| *share >= COLOUR_SHARE && !key.scale().contains(*pc))
            .fold(PitchSet::EMPTY, |set, (pc, _)| set.with(pc))
    }

    /// How any note weighs `pitch` (MIDI) in a key on `tonic` (the calibration's degrees).
    pub fn degree_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.degrees[degree(tonic, pitch)]
    }

    /// How a downbeat weighs the note `pitch` (MIDI) in a key on `tonic`.
    pub fn downbeat_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.downbeat[degree(tonic, pitch)]
    }

    /// How a strain's last note weighs `pitch` (MIDI), the tonic weighing 1.
    pub fn final_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.finals[degree(tonic, pitch)]
    }

    /// How an inner section's last note weighs `pitch` (MIDI), the likeliest degree weighing 1.
    pub fn close_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.closes[degree(tonic, pitch)]
    }

    /// How a chord with this root (0 = C) and third weighs `pitch` (MIDI) at a metric
    /// `strength` (0–3) in a key on `tonic`: above 1 where real melodies sit on it more than
    /// chance. A chord the tunes imply is read by its place in the key, another by its shape.
    pub fn tone_weight(
        &self,
        tonic: u8,
        (root, minor): (u8, bool),
        strength: u8,
        pitch: u8,
    ) -> f64 {
        let (third, strength) = (usize::from(minor), strength.min(3) as usize);
        match &self.tones_in_key[degree(tonic, root)][third] {
            Some(lifts) => lifts[strength][degree(tonic, pitch)],
            None => self.tones[third][strength][degree(root, pitch)],
        }
    }

    /// How a note outside the chord is left or reached, against a chord tone.
    pub fn off_chord(&self) -> OffChord {
        self.off_chord
    }

    /// The share of the chord on scale degree `degree` (1–7) at a `place` in the strain.
    pub fn chord_share(&self, place: ChordPlace, degree: u8) -> f64 {
        self.chords[place as usize][degree as usize - 1]
    }

    /// How much more often the chord on `to` follows the chord on `from` (scale degrees 1–7)
    /// than `to`'s share alone says.
    pub fn progression(&self, from: u8, to: u8) -> f64 {
        self.progressions[from as usize - 1][to as usize - 1]
    }

    /// How much more often a move of class `next` follows the memory state `previous` (see
    /// `move_class`, `move_state`) than `next`'s share alone says.
    pub fn turns(&self, rhythm_family: &str) -> &Turns {
        (self.own_turns.iter())
            .find(|(family, _)| *family == rhythm_family)
            .map_or(&self.turns, |(_, turns)| turns)
    }

    /// The habits with repeated notes a rhythm family's tunes divide into, `plain` (no note
    /// three times running) then `runs` (none where the family's tunes were too few to tell
    /// them apart).
    pub fn habits(&self, rhythm_family: &str) -> &[Habit] {
        (self.habits.iter())
            .find(|(family, _)| *family == rhythm_family)
            .map_or(&[], |(_, habits)| habits)
    }

    /// How a later strain than the first weighs `pitch` against the compass's `low` end.
    pub fn later_strain_weight(&self, low: u8, pitch: u8) -> f64 {
        let rise = self.later_strain_rise;
        (low..pitch).fold(1.0, |w, _| w * rise)
    }

    /// How a tune's first note weighs `pitch` (MIDI) within the compass `(low, high)`, by the
    /// fifth of the compass it lies in (real tunes mostly start low), the likeliest weighing 1.
    pub fn start_weight(&self, compass: (u8, u8), pitch: u8) -> f64 {
        self.starts[place_in(compass, pitch)]
    }

    /// How the first downbeat of a tune led in by a pickup weighs `pitch` within the compass,
    /// likewise: higher than a first note (a pickup rises to it).
    pub fn led_start_weight(&self, compass: (u8, u8), pitch: u8) -> f64 {
        self.starts_led[place_in(compass, pitch)]
    }

    /// How a tune's last note weighs `pitch` (MIDI) within the compass, likewise (real tunes
    /// mostly end low: their last tonic is seldom the top one).
    pub fn ending_weight(&self, compass: (u8, u8), pitch: u8) -> f64 {
        self.endings[place_in(compass, pitch)]
    }

    /// How an inner phrase of a tune of `rhythm_family` weighs ending on `pitch` (MIDI): 1 for a
    /// family without its own phrase ends.
    pub fn phrase_end_weight(&self, rhythm_family: &str, tonic: u8, pitch: u8) -> f64 {
        (self.phrase_ends.iter())
            .find(|(f, _)| *f == rhythm_family)
            .map_or(1.0, |(_, lifts)| lifts[degree(tonic, pitch)])
    }

    /// How a move down or up into a note in half bar `place` (0–7) of its four-bar phrase
    /// weighs against the same move anywhere.
    pub fn contour_weight(&self, place: usize, rising: bool) -> f64 {
        self.contour[place % CONTOUR_PLACES][usize::from(rising)]
    }

    /// How a tune's first note weighs `pitch` (MIDI), the likeliest degree weighing 1.
    pub fn first_weight(&self, tonic: u8, pitch: u8) -> f64 {
        self.firsts[degree(tonic, pitch)]
    }
}

/// Where a chord falls in its strain, as the chord tables count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChordPlace {
    Body = 0,
    /// The last bar of an inner four-bar phrase.
    Half = 1,
    /// The strain's last bar.
    End = 2,
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
    closes: [f64; 12],
    firsts: [f64; 12],
    /// Inner phrase ends by rhythm family.
    phrase_ends: Vec<(&'static str, [f64; 12])>,
    starts: [f64; PLACES],
    starts_led: [f64; PLACES],
    endings: [f64; PLACES],
    /// By kind (0: the tones heard, 1: chance's), third, strength.
    tones: [[[[f64; 12]; 4]; 2]; 2],
    /// The degrees heard by the chord's root above the tonic, third, strength.
    tones_in_key: [[[[f64; 12]; 4]; 2]; 12],
    leaps: [f64; 6],
    chords: [[f64; 7]; 3],
    progressions: [[f64; 7]; 7],
    turns: Turns,
    /// The turns counted in the tunes of each rhythm family alone.
    turns_in: Vec<(&'static str, Turns)>,
    /// The same by habit: family, habit, its tunes, its turns.
    habits: Vec<(&'static str, &'static str, f64, Turns)>,
    /// Tunes of two strains or more, and their second strains' rises and falls over the
    /// first, in tenths of a semitone.
    strains: [f64; 3],
    /// Moves down and up into each half bar of a four-bar phrase, in turn.
    contour: [f64; 2 * CONTOUR_PLACES],
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
                closes: [0.0; 12],
                firsts: [0.0; 12],
                phrase_ends: Vec::new(),
                starts: [0.0; PLACES],
                starts_led: [0.0; PLACES],
                endings: [0.0; PLACES],
                tones: [[[[0.0; 12]; 4]; 2]; 2],
                tones_in_key: [[[[0.0; 12]; 4]; 2]; 12],
                leaps: [0.0; 6],
                chords: [[0.0; 7]; 3],
                progressions: [[0.0; 7]; 7],
                turns: [[0.0; MOVE_CLASSES]; MOVE_STATES],
                turns_in: Vec::new(),
                habits: Vec::new(),
                strains: [0.0; 3],
                contour: [0.0; 2 * CONTOUR_PLACES],
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
            ("close", [row]) => table.closes = numbers(row),
            ("first", [row]) => table.firsts = numbers(row),
            ("half", [rhythm_family, row]) => table.phrase_ends.push((rhythm_family, numbers(row))),
            ("start", [row]) => table.starts = numbers(row),
            ("start-led", [row]) => table.starts_led = numbers(row),
            ("ending", [row]) => table.endings = numbers(row),
            ("leap", [row]) => table.leaps = numbers(row),
            ("strain", [row]) => table.strains = numbers(row),
            ("contour", [row]) => table.contour = numbers(row),
            ("chord", [place, row]) => {
                let place = ["body", "half", "end"].iter().position(|p| p == place);
                table.chords[place.expect("a chord place")] = numbers(row);
            }
            ("progression", [from, row]) => {
                table.progressions[number(from) as usize - 1] = numbers(row);
            }
            ("turn", [before, row]) => table.turns[number(before) as usize] = numbers(row),
            ("turn-in", [rhythm_family, before, row]) => {
                if table
                    .turns_in
                    .last()
                    .is_none_or(|(f, _)| f != rhythm_family)
                {
                    table
                        .turns_in
                        .push((rhythm_family, [[0.0; MOVE_CLASSES]; MOVE_STATES]));
                }
                let (_, turns) = table.turns_in.last_mut().expect("pushed above");
                turns[number(before) as usize] = numbers(row);
            }
            ("habit", [rhythm_family, name, tunes, before, row]) => {
                if (table.habits.last()).is_none_or(|(f, h, ..)| (f, h) != (rhythm_family, name)) {
                    let turns = [[0.0; MOVE_CLASSES]; MOVE_STATES];
                    table
                        .habits
                        .push((rhythm_family, name, number(tunes) as f64, turns));
                }
                let (.., turns) = table.habits.last_mut().expect("pushed above");
                turns[number(before) as usize] = numbers(row);
            }
            (kind @ ("tone" | "chance"), [third, strength, row]) => {
                let kind = usize::from(kind == "chance");
                let third = usize::from(*third == "min");
                table.tones[kind][third][number(strength) as usize] = numbers(row);
            }
            ("on", [root, third, strength, row]) => {
                let third = usize::from(*third == "min");
                let [root, strength] = [root, strength].map(|n| number(n) as usize);
                table.tones_in_key[root][third][strength] = numbers(row);
            }
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
    let calibration = Calibration::of(c.family, c.minor);
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
            *m = (row[k] + SMOOTHING * all[k] / total) / (n + SMOOTHING)
                * halves[beyond]
                * calibration.weight(interval);
        }
    }
    let share =
        |counts: &[f64; 12], d: usize| (counts[d] + 1.0) / (counts.iter().sum::<f64>() + 12.0);
    let downbeat = std::array::from_fn(|d| share(&c.downbeat, d) / share(&sources, d));
    let finals = std::array::from_fn(|d| share(&c.finals, d) / share(&c.finals, 0));
    fn relative<const N: usize>(counts: &[f64; N]) -> [f64; N] {
        let likeliest = counts.iter().fold(0.0, |a: f64, n| a.max(*n)) + 1.0;
        counts.map(|n| (n + 1.0) / likeliest)
    }
    let [same, step, leap, off_same, off_step, off_leap] = c.leaps.map(|n| n + 1.0);
    let (on, off) = (same + step + leap, off_same + off_step + off_leap);
    MelodyModel {
        family: c.family,
        minor: c.minor,
        moves,
        downbeat,
        degrees: calibration.degrees,
        sounded: sources.map(|n| n / sources.iter().sum::<f64>().max(1.0)),
        finals,
        closes: relative(&c.closes),
        firsts: relative(&c.firsts),
        phrase_ends: (c.phrase_ends.iter())
            .map(|(family, ends)| {
                (
                    *family,
                    std::array::from_fn(|d| share(ends, d) / share(&sources, d)),
                )
            })
            .collect(),
        starts: relative(&c.starts),
        starts_led: relative(&c.starts_led),
        endings: relative(&c.endings),
        tones: std::array::from_fn(|third| {
            std::array::from_fn(|s| tempered(lift(&c.tones[0][third][s], &c.tones[1][third][s])))
        }),
        tones_in_key: lifts_in_key(&c.tones_in_key),
        off_chord: OffChord {
            repeat: (off_same / off) / (same / on),
            leap: (off_leap / off) / (leap / on),
        },
        chords: c.chords.map(|row| {
            let total: f64 = row.iter().sum::<f64>() + 7.0;
            row.map(|n| (n + 1.0) / total)
        }),
        progressions: lift_after(&c.progressions),
        turns: calibrated_turns(&c.turns, &c.turns, &calibration.turns),
        own_turns: (c.turns_in.iter())
            .filter(|(family, _)| OWN_TURNS.contains(family))
            .map(|(family, counts)| {
                let calibration = Calibration::of(family, c.minor);
                (
                    *family,
                    calibrated_turns(counts, counts, &calibration.turns),
                )
            })
            .collect(),
        habits: habits(c),
        later_strain_rise: strain_rise(&c.strains),
        contour: contour(&c.contour),
    }
}

/// Moves of the whole tune's share of each direction added to each half bar's counts, so a
/// table with few moves (the minor songs) says little.
const CONTOUR_SHRINK: f64 = 200.0;

/// How each direction weighs in each half bar against its share over the whole phrase,
/// tempered (the square root of the lift): the weights act on every move of a line, and at full
/// strength the composed phrases climbed higher than real ones (folk: the last half bar 2.2
/// semitones above the phrase's first note, training 0.6 below).
fn contour(counts: &[f64; 2 * CONTOUR_PLACES]) -> [[f64; 2]; CONTOUR_PLACES] {
    let total: f64 = counts.iter().sum::<f64>().max(1.0);
    let share =
        |up: usize| (counts.iter().skip(up).step_by(2).sum::<f64>() / total).max(f64::MIN_POSITIVE);
    let shares = [share(0), share(1)];
    std::array::from_fn(|place| {
        let here = counts[2 * place] + counts[2 * place + 1];
        std::array::from_fn(|up| {
            let n = counts[2 * place + up];
            let lift = (n + CONTOUR_SHRINK * shares[up]) / (here + CONTOUR_SHRINK) / shares[up];
            lift.sqrt()
        })
    })
}

/// The rhythm families that turn as their own tunes do rather than as their pitch family's:
/// the fiddle tunes' kinds differ most (in the training tunes a reel's repeated note is
/// repeated again 12% of the time, a jig's 23%, a hornpipe's 29%).
const OWN_TURNS: [&str; 3] = ["jig", "reel", "hornpipe"];

/// The habits of each family in `OWN_TURNS` that has them, their turns against the family's.
fn habits(c: &Counts) -> Vec<(&'static str, Vec<Habit>)> {
    let mut out: Vec<(&'static str, Vec<Habit>)> = Vec::new();
    for &(family, _, tunes, ref counts) in &c.habits {
        let Some((_, whole)) = c.turns_in.iter().find(|(f, _)| *f == family) else {
            continue;
        };
        if !OWN_TURNS.contains(&family) {
            continue;
        }
        let calibration = Calibration::of(family, c.minor);
        let turns = calibrated_turns(counts, whole, &calibration.turns);
        if out.last().is_none_or(|(f, _)| *f != family) {
            out.push((family, Vec::new()));
        }
        let (_, habits) = out.last_mut().expect("pushed above");
        habits.push(Habit { tunes, turns });
    }
    out
}

/// The tempered turn lifts of `counts` against the class shares of `whole`, times their
/// calibration.
fn calibrated_turns(counts: &Turns, whole: &Turns, calibration: &Turns) -> Turns {
    let lifts = lift_after_against(counts, whole).map(tempered);
    std::array::from_fn(|state| {
        std::array::from_fn(|class| lifts[state][class] * calibration[state][class])
    })
}

/// Tunes needed before the strains' rise is taken as the style's.
const MIN_STRAIN_TUNES: f64 = 30.0;

/// How far a strain's mean moves, in semitones, for each unit of tilt per semitone. A line's
/// notes follow one another, so a small tilt moves the whole strain: measured on 100 default
/// jigs, reels and hornpipes each (second section's mean pitch less the first's), a tilt of
/// 0.005 raised it by 1.1–1.7 semitones, 0.010 by about 2.1 and 0.015 by 2.2–3.2.
const STRAIN_RESPONSE: f64 = 170.0;

/// The rise per semitone that lifts a later strain by about the learned shift.
fn strain_rise(&[tunes, up, down]: &[f64; 3]) -> f64 {
    if tunes < MIN_STRAIN_TUNES {
        return 1.0;
    }
    1.0 + (up - down) / tunes / 10.0 / STRAIN_RESPONSE
}

/// Calibrated moves: a leap down (NEAR + 1 semitones or more), each interval from NEAR down to
/// NEAR up, a leap up.
const NEAR: i16 = 4;
const MOVES: usize = 2 * NEAR as usize + 3;

/// Multipliers on the learned moves, one per interval up to a major third either way and one
/// per direction of leap, found by `tools/calibrate.py`: the chord-tone lifts, the off-chord
/// rule and the range each tilt the composed lines towards steps and repeated notes, and
/// towards whole steps up over half steps down; these bring the lines' shares back to the
/// training tunes' (by size alone, the fiddle tunes' whole steps up were 18% of their moves
/// against Ryan's 14%, their half steps down 6% against 8.5%).
/// Likewise a multiplier per degree (major keys only), for the tonic the chord-tone lifts and
/// cadences favour beyond the training tunes' share (songs 23–24% of notes, training 18%).
/// And a multiplier per memory state and class on the (tempered) turn lifts, so that a line
/// runs on and turns back as often as the training tunes do: with the lifts alone a step
/// down was followed by a step up 30% of the time in the fiddle tunes (training 21%).
struct Calibration {
    moves: [f64; MOVES],
    degrees: [f64; 12],
    turns: [[f64; MOVE_CLASSES]; MOVE_STATES],
}

impl Calibration {
    fn of(family: &str, minor: bool) -> Calibration {
        let row = |kind: &str, state: Option<&str>| {
            records(CALIBRATION)
                .find(|r| r[0] == kind && r[1] == family && state.is_none_or(|s| r[2] == s))
                .map(|r| r[r.len() - 1])
        };
        let thousandths = |r: &str| numbers::<MOVE_CLASSES>(r).map(|n| n / 1000.0);
        Calibration {
            // Calibrated on major tunes (tools/calibrate.py): minor fiddle tunes, whose learned
            // moves repeat the tonic more, ran to six equal notes under the major multipliers.
            moves: match row("moves", None) {
                Some(r) if !(minor && family == "fiddle") => numbers(r).map(|n| n / 1000.0),
                _ => [1.0; MOVES],
            },
            degrees: match row("degrees", None) {
                Some(r) if !minor => numbers::<12>(r).map(|n| n / 1000.0),
                _ => [1.0; 12],
            },
            turns: std::array::from_fn(|state| {
                row("turns", Some(&state.to_string())).map_or([1.0; MOVE_CLASSES], thousandths)
            }),
        }
    }

    fn weight(&self, interval: i16) -> f64 {
        self.moves[(interval.clamp(-NEAR - 1, NEAR + 1) + NEAR + 1) as usize]
    }
}

/// A lift's square root. The chord lifts are measured against chords the melody itself implies,
/// which overstates how closely a melody follows chords drawn before it; and each lift repeats
/// part of what the learned moves already say. Taken whole, they made a fifth of the jig's
/// moves repeated notes, twice the training fiddle tunes' share (10%); halved in the log, 14%.
/// (The square root is exact in IEEE arithmetic on every platform.)
fn tempered<const N: usize>(lifts: [f64; N]) -> [f64; N] {
    lifts.map(f64::sqrt)
}

/// The share of a family's notes a degree outside the scale needs to be one of its colours:
/// O'Neill's major dance tunes sound the raised fourth 0.26% of the time and the flat seventh
/// 0.58%, the flat second 0.04%.
const COLOUR_SHARE: f64 = 0.002;

/// Pseudo-counts pulling a thin row of chord tones towards chance.
const TONE_SMOOTHING: f64 = 50.0;

/// How much more often each of 12 places is heard than chance puts a note there.
fn lift(heard: &[f64; 12], chance: &[f64; 12]) -> [f64; 12] {
    let (h, c) = (heard.iter().sum::<f64>(), chance.iter().sum::<f64>());
    std::array::from_fn(|i| {
        let by_chance = (chance[i] + 1.0) / (c + 12.0);
        (heard[i] + TONE_SMOOTHING * by_chance) / (h + TONE_SMOOTHING) / by_chance
    })
}

/// For each chord the training tunes imply, how much more often each degree sounds over it
/// than over any chord at the same metric strength.
fn lifts_in_key(heard: &[[[[f64; 12]; 4]; 2]; 12]) -> [[Option<[[f64; 12]; 4]>; 2]; 12] {
    let over_any: [[f64; 12]; 4] = std::array::from_fn(|s| {
        std::array::from_fn(|d| heard.iter().flatten().map(|chord| chord[s][d]).sum())
    });
    heard.map(|by_third| {
        by_third.map(|chord| {
            let implied = chord.iter().flatten().sum::<f64>() > 0.0;
            implied.then(|| std::array::from_fn(|s| tempered(lift(&chord[s], &over_any[s]))))
        })
    })
}

/// P(next | before) / P(next) from counts of pairs, with one of each pair added so that none
/// is impossible.
fn lift_after<const R: usize, const N: usize>(counts: &[[f64; N]; R]) -> [[f64; N]; R] {
    lift_after_against(counts, counts)
}

/// `lift_after` with each class's share taken from `whole` (a larger set of counts `counts`
/// belongs to).
fn lift_after_against<const R: usize, const N: usize>(
    counts: &[[f64; N]; R],
    whole: &[[f64; N]; R],
) -> [[f64; N]; R] {
    let column = |to: usize| whole.iter().map(|row| row[to] + 1.0).sum::<f64>();
    let total: f64 = (0..N).map(column).sum();
    std::array::from_fn(|from| {
        let row: f64 = counts[from].iter().map(|n| n + 1.0).sum();
        std::array::from_fn(|to| ((counts[from][to] + 1.0) / row) / (column(to) / total))
    })
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

    #[test]
    fn phrases_rise_early_and_fall_to_their_end() {
        for family in ["song", "fiddle"] {
            let model = melody_model(family, false);
            // The first half bar of a phrase climbs, the second half of its third bar falls
            // (songs: 58% of moves there go up, 40% of those in bar three's second half).
            assert!(model.contour_weight(0, true) > 1.02, "{family}");
            assert!(model.contour_weight(0, false) < 0.98, "{family}");
            assert!(model.contour_weight(5, false) > 1.02, "{family}");
            assert!(model.contour_weight(5, true) < 0.98, "{family}");
        }
        // Songs learn their inner phrase ends too: on the tonic more than its share of notes.
        let song = melody_model("song", false);
        assert!(song.phrase_end_weight("song", 2, 62) > 1.0);
    }

    #[test]
    fn a_pickup_starts_low_and_rises_to_a_higher_first_downbeat() {
        // A song's first note lies in the lowest fifth of its compass most often; the first
        // downbeat after a pickup in the middle fifth.
        let song = melody_model("song", false);
        let (compass, low, middle) = ((60, 75), 60, 67);
        assert!(song.start_weight(compass, low) > 2.0 * song.start_weight(compass, middle));
        assert!(song.led_start_weight(compass, middle) > song.led_start_weight(compass, low));
    }

    #[test]
    fn a_reel_ends_its_run_of_one_note_sooner_than_a_hornpipe() {
        // Reels' runs are mostly two or four equal notes; the fourth seldom has a fifth after
        // it. Hornpipes repeat more. The pooled fiddle turns say neither.
        let fiddle = melody_model("fiddle", false);
        let (reel, hornpipe) = (fiddle.turns("reel"), fiddle.turns("hornpipe"));
        assert!(reel[6][2] < reel[5][2]);
        assert!(reel[2][2] < hornpipe[2][2]);
        assert_eq!(fiddle.turns("march"), fiddle.turns("song"));
    }

    #[test]
    fn dance_tunes_colour_a_major_key_with_its_raised_fourth_and_flat_seventh() {
        use crate::theory::{Letter, Mode, NoteName, PitchClass};
        let g = Key::new(NoteName::new(Letter::G, 0), Mode::Major);
        let c_sharp_and_f = PitchSet::EMPTY
            .with(PitchClass::new(1))
            .with(PitchClass::new(5));
        assert_eq!(melody_model("fiddle", false).colour(g), c_sharp_and_f);
        // A minor key's major sixth and leading note: C# and D# in E minor.
        let e = Key::new(NoteName::new(Letter::E, 0), Mode::Minor);
        let colour = melody_model("fiddle", true).colour(e);
        assert!(colour.contains(PitchClass::new(1)) && colour.contains(PitchClass::new(3)));
    }

    #[test]
    fn most_reels_never_sound_a_note_three_times_and_the_others_repeat_more() {
        let fiddle = melody_model("fiddle", false);
        let habits = fiddle.habits("reel");
        let [plain, runs] = habits else {
            panic!("reels have two habits, not {}", habits.len());
        };
        assert!(plain.tunes > 1.5 * runs.tunes);
        // A plain tune all but never repeats a repeated note; a tune with runs does, and
        // repeats notes more after a step or a leap down too (10% of its moves against 6%).
        assert!(plain.turns[2][2] < 0.2 * runs.turns[2][2]);
        assert!(
            [0, 1, 3]
                .iter()
                .all(|&s| runs.turns[s][2] > plain.turns[s][2])
        );
        assert!(fiddle.habits("song").is_empty());
        assert!(melody_model("fiddle", true).habits("reel").is_empty());
    }

    #[test]
    fn melodies_sit_on_their_chords_and_run_on_by_step() {
        for family in ["song", "fiddle"] {
            let model = melody_model(family, false);
            // In C major over C on the downbeat, E (a chord tone) against F (a fourth above the
            // root); the leading note B sits on G's chord, not on F's.
            let weight = |root, pitch| model.tone_weight(0, (root, false), 3, pitch);
            assert!(weight(0, 64) > 2.0 * weight(0, 65) && weight(0, 64) > 1.0);
            assert!(weight(7, 71) > 2.0 * weight(5, 71));
            // A chord no training tune implies (D major in C) is read by its shape.
            assert!(weight(2, 66) > 2.0 * weight(2, 67));
            // Strains end on I; no chord change is impossible; a step up follows a step up.
            assert!(model.chord_share(ChordPlace::End, 1) > 0.5);
            assert!((1..=7).all(|a| (1..=7).all(|b| model.progression(a, b) > 0.0)));
            let turns = model.turns("reel");
            assert!(turns[3][3] > 1.0 && turns[1][1] > 1.0);
            assert!(model.off_chord().leap < 0.6 && model.off_chord().repeat < 1.0);
            // Tunes start low in their compass more often than high.
            assert!(model.start_weight((60, 72), 60) > model.start_weight((60, 72), 72));
            // …and end low too: the top of the compass is the rarest last note.
            assert!(model.ending_weight((60, 72), 60) > 3.0 * model.ending_weight((60, 72), 72));
            assert_eq!(move_class(60, 57), 0);
            assert_eq!(
                [move_state(2, 2), move_state(5, 2), move_state(6, 2)],
                [5, 6, 6]
            );
            assert_eq!(move_class(60, 62), 3);
        }
    }
}
