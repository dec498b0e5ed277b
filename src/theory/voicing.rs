//! Four-part voice leading: the voicing of a chord that moves each voice least from the one
//! before, without parallel fifths or octaves, in the manner of a chorale.

use super::pitch::{Pitch, PitchClass};

/// Voices in a chorale voicing.
pub const VOICES: usize = 4;

/// Adjacent upper voices stay within an octave of each other.
const MAX_SPACING: u8 = 12;

/// Cost of one pair of voices moving in parallel fifths or octaves, in semitones of movement.
const PARALLEL: u32 = 12;

/// The four-voice voicing of a chord with `tones` (its root first, as `Chord::tones` gives
/// them) within `low..=high`, led from `previous` (the voicing before, if any; otherwise
/// centred in the range). Every tone sounds, or, in a chord of four or more tones, every
/// tone but the fifth; the doubled tone is the root or the fifth. `None` when no voicing fits.
pub fn lead(
    previous: Option<&[Pitch]>,
    tones: &[PitchClass],
    low: Pitch,
    high: Pitch,
) -> Option<Vec<Pitch>> {
    let root = *tones.first()?;
    let fifth = tones.get(2).copied();
    let pitches: Vec<u8> = (low.0..=high.0)
        .filter(|p| tones.contains(&Pitch(*p).class()))
        .collect();
    let centre = (low.0 as u32 + high.0 as u32) * 2;
    let mut best: Option<(u32, [u8; VOICES])> = None;
    let n = pitches.len();
    for a in 0..n {
        for b in a + 1..n {
            for c in b + 1..n {
                for d in c + 1..n {
                    let voicing = [pitches[a], pitches[b], pitches[c], pitches[d]];
                    if !complete(&voicing, tones, root, fifth) || !spaced(&voicing) {
                        continue;
                    }
                    let cost = match previous {
                        Some(previous) if previous.len() == VOICES => motion(previous, &voicing),
                        _ => voicing
                            .iter()
                            .map(|&p| p as u32)
                            .sum::<u32>()
                            .abs_diff(centre),
                    };
                    if best.is_none_or(|(b, _)| cost < b) {
                        best = Some((cost, voicing));
                    }
                }
            }
        }
    }
    best.map(|(_, v)| v.into_iter().map(Pitch).collect())
}

/// Every tone sounds (a chord of four or more may drop its fifth), and only the root or the
/// fifth is doubled.
fn complete(
    voicing: &[u8; VOICES],
    tones: &[PitchClass],
    root: PitchClass,
    fifth: Option<PitchClass>,
) -> bool {
    let count = |pc: PitchClass| voicing.iter().filter(|p| Pitch(**p).class() == pc).count();
    tones.iter().all(|&pc| {
        let n = count(pc);
        let droppable = tones.len() >= VOICES && Some(pc) == fifth;
        let doublable = pc == root || Some(pc) == fifth;
        (n >= 1 || droppable) && (n <= 1 || doublable)
    })
}

fn spaced(voicing: &[u8; VOICES]) -> bool {
    voicing[1..].windows(2).all(|w| w[1] - w[0] <= MAX_SPACING)
}

/// Semitones the voices move, plus a penalty for each pair moving in parallel fifths or
/// octaves.
fn motion(previous: &[Pitch], next: &[u8; VOICES]) -> u32 {
    let moved: u32 = previous
        .iter()
        .zip(next)
        .map(|(p, n)| p.0.abs_diff(*n) as u32)
        .sum();
    let mut parallels = 0;
    for i in 0..VOICES {
        for j in i + 1..VOICES {
            let before = previous[j].0.abs_diff(previous[i].0) % 12;
            let after = next[j].abs_diff(next[i]) % 12;
            let perfect = matches!(before, 0 | 7) && before == after;
            if perfect && previous[i].0 != next[i] && previous[j].0 != next[j] {
                parallels += 1;
            }
        }
    }
    moved + PARALLEL * parallels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(names: &[i32]) -> Vec<PitchClass> {
        names.iter().map(|&c| PitchClass::new(c)).collect()
    }

    fn pitches(midi: &[u8]) -> Vec<Pitch> {
        midi.iter().copied().map(Pitch).collect()
    }

    const G: [i32; 3] = [7, 11, 2];
    const C: [i32; 3] = [0, 4, 7];

    #[test]
    fn a_chord_is_voiced_complete_and_spaced() {
        let v = lead(None, &classes(&G), Pitch(52), Pitch(72)).unwrap();
        assert_eq!(v.len(), VOICES);
        let mut heard: Vec<PitchClass> = v.iter().map(|p| p.class()).collect();
        heard.sort();
        heard.dedup();
        assert_eq!(heard.len(), 3, "{v:?}");
        assert!(v[1..].windows(2).all(|w| w[1].0 - w[0].0 <= 12));
    }

    #[test]
    fn voices_move_little_and_never_in_parallel_fifths() {
        // G3 B3 D4 G4 to C: a common tone (G) stays, the others move by step.
        let from = pitches(&[55, 59, 62, 67]);
        let to = lead(Some(&from), &classes(&C), Pitch(52), Pitch(72)).unwrap();
        assert_eq!(to, pitches(&[55, 60, 64, 67]));
        assert_eq!(motion(&from, &[55, 60, 64, 67]), 3);
        // Every voice up a fourth: the bass moves in parallel fifths and octaves.
        assert_eq!(motion(&from, &[60, 64, 67, 72]), 20 + 2 * PARALLEL);
    }

    #[test]
    fn a_seventh_chord_may_drop_its_fifth_but_not_double_its_third() {
        let g7 = classes(&[7, 11, 2, 5]);
        let root = PitchClass::new(7);
        let fifth = Some(PitchClass::new(2));
        assert!(complete(&[55, 59, 65, 67], &g7, root, fifth), "G B F G");
        assert!(complete(&[55, 59, 62, 65], &g7, root, fifth), "G B D F");
        assert!(!complete(&[55, 59, 65, 71], &g7, root, fifth), "two Bs");
        assert!(!complete(&[55, 62, 65, 67], &g7, root, fifth), "no B");
        assert!(lead(None, &g7, Pitch(60), Pitch(62)).is_none(), "no room");
    }
}
