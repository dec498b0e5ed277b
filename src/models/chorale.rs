//! The chorale model: how Bach's chorales space and double their four voices, how far the
//! inner voices move from beat to beat and how one chord follows another on each beat.

use std::sync::OnceLock;

use super::table::{number, records};

const TEXT: &str = include_str!("../../models/chorale.tsv");
/// Spacings are counted from -1 (voices crossed) to 25 semitones (or more).
const SPACINGS: usize = 27;
/// Inner-voice moves are counted from 0 to 12 semitones (or more).
const MOVES: usize = 13;

/// Neighbouring voices of a chorale, top down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoicePair {
    SopranoAlto,
    AltoTenor,
    TenorBass,
}

/// Which tone of a triad its four voices double (or whether they leave the fifth out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doubling {
    Root,
    Third,
    Fifth,
    NoFifth,
}

/// Where a chord falls: its beat's metric strength (3 downbeat, 2 mid-bar, 1 another beat),
/// or at a cadence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoralePlace {
    Strength(u8),
    Cadence,
}

/// The voicing and voice-leading habits of Bach's chorales in one mode class.
#[derive(Debug)]
pub struct ChoraleModel {
    /// Chorales that taught it, and the outer-voice parallel fifths and octaves they hold.
    pub chorales: u32,
    pub parallels: u32,
    /// P(to degree | from degree) by place: strengths 3, 2, 1, then cadence.
    progressions: [[[f64; 7]; 7]; 4],
    doublings: [f64; 4],
    /// Shares of the chord's root, third, fifth and seventh in the bass.
    basses: [f64; 4],
    /// Shares of each spacing, by pair of voices (both modes pooled).
    spacings: [[f64; SPACINGS]; 3],
    /// Shares of each move of the alto, the tenor and the bass (both modes pooled).
    moves: [[f64; MOVES]; 3],
}

impl ChoraleModel {
    /// The share of neighbouring voices `pair` lying `semitones` apart (below 0: crossed).
    pub fn spacing(&self, pair: VoicePair, semitones: i32) -> f64 {
        self.spacings[pair as usize][(semitones.clamp(-1, 25) + 1) as usize]
    }

    /// The share of an inner voice (`tenor` or the alto) moving `semitones`.
    pub fn inner_move(&self, tenor: bool, semitones: u8) -> f64 {
        self.moves[usize::from(tenor)][semitones.min(12) as usize]
    }

    /// The share of the bass's moves from beat to beat of `semitones` (12: an octave or more).
    pub fn bass_move(&self, semitones: u8) -> f64 {
        self.moves[2][semitones.min(12) as usize]
    }

    /// The share of chords with their root (0), third (1), fifth (2) or seventh (3) in the bass.
    pub fn bass(&self, member: usize) -> f64 {
        self.basses[member.min(3)]
    }

    /// The share of triads in four voices that double this way.
    pub fn doubling(&self, doubling: Doubling) -> f64 {
        self.doublings[doubling as usize]
    }

    /// P(the chord on degree `to` | the chord on `from` the beat before), degrees 1–7.
    pub fn progression(&self, place: ChoralePlace, from: u8, to: u8) -> f64 {
        let row = match place {
            ChoralePlace::Strength(s) => 3 - s.clamp(1, 3) as usize,
            ChoralePlace::Cadence => 3,
        };
        self.progressions[row][from as usize - 1][to as usize - 1]
    }
}

/// Counts made shares with one pseudo-count each (so that nothing is impossible).
fn shares<const N: usize>(counts: &[u32]) -> [f64; N] {
    let total: u32 = counts.iter().sum();
    let mut out = [0.0; N];
    for (o, c) in out.iter_mut().zip(counts) {
        *o = (*c as f64 + 1.0) / (total as f64 + N as f64);
    }
    out
}

/// The chorale model of a mode class.
pub fn chorale_model(minor: bool) -> &'static ChoraleModel {
    static MODELS: OnceLock<[ChoraleModel; 2]> = OnceLock::new();
    &MODELS.get_or_init(|| [read(false), read(true)])[usize::from(minor)]
}

fn read(minor: bool) -> ChoraleModel {
    let mode = if minor { "minor" } else { "major" };
    let mut model = ChoraleModel {
        chorales: 0,
        parallels: 0,
        progressions: [[[0.0; 7]; 7]; 4],
        doublings: [0.0; 4],
        basses: [0.0; 4],
        spacings: [[0.0; SPACINGS]; 3],
        moves: [[0.0; MOVES]; 3],
    };
    for r in records(TEXT) {
        let from = if r[0] == "progression" { 4 } else { 2 };
        let counts: Vec<u32> = r.iter().skip(from).map(|f| number(f)).collect();
        match (r[0], r[1]) {
            ("chorales", m) if m == mode => {
                (model.chorales, model.parallels) = (counts[0], counts[1])
            }
            ("progression", m) if m == mode => {
                let place = match r[2] {
                    "cadence" => 3,
                    s => 3 - number(s) as usize,
                };
                model.progressions[place][number(r[3]) as usize - 1] = shares(&counts);
            }
            ("doubling", m) if m == mode => model.doublings = shares(&counts),
            ("bass", m) if m == mode => model.basses = shares(&counts),
            ("spacing", pair) => {
                let i = ["sa", "at", "tb"].iter().position(|p| *p == pair);
                model.spacings[i.expect("a pair of voices")] = shares(&counts);
            }
            ("inner", voice) => {
                let i = ["alto", "tenor", "bass"].iter().position(|v| *v == voice);
                model.moves[i.expect("a voice")] = shares(&counts);
            }
            _ => {}
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bach_doubles_the_root_and_keeps_his_voices_close() {
        for minor in [false, true] {
            let m = chorale_model(minor);
            assert!(m.chorales > 150, "{m:?}");
            assert!((m.parallels as f64) / (m.chorales as f64) < 0.05);
            assert!(m.doubling(Doubling::Root) > 2.0 * m.doubling(Doubling::Third));
            let close = m.spacing(VoicePair::SopranoAlto, 4);
            assert!(close > 50.0 * m.spacing(VoicePair::SopranoAlto, 14));
            assert!(m.inner_move(false, 0) > m.inner_move(false, 7));
            assert!(m.bass_move(2) > m.bass_move(5) && m.bass_move(5) > 5.0 * m.bass_move(10));
            // Root position most often, then the third; a fifth in the bass is rare.
            assert!(m.bass(0) > 0.6 && m.bass(1) > 0.2 && m.bass(2) < 0.05);
            // V goes to I on the downbeat more often than to IV.
            let v = |to| m.progression(ChoralePlace::Strength(3), 5, to);
            assert!(v(1) > v(4));
        }
    }
}
