//! Four-part voice leading: the voicing of a chord that moves each voice least from the one
//! before, without parallel fifths or octaves, in the manner of a chorale.

use super::chord::Chord;
use super::pitch::{Pitch, PitchClass, PitchSet};

/// Voices in a chorale voicing.
const VOICES: usize = 4;

/// Adjacent upper voices stay within an octave of each other.
const MAX_SPACING: u8 = 12;

/// Cost of one pair of voices moving in parallel fifths or octaves, in semitones of movement.
const PARALLEL: u32 = 12;

/// The chord tones nearest the previous voicing considered: every voicing worth having lies
/// among them, and the search stays small however wide the range.
const NEAREST: usize = 12;

/// The four-voice voicing of `chord`'s `allowed` tones within `low..=high`, led from
/// `previous` (the voicing before, if any; otherwise centred in the range). Every allowed tone
/// sounds, or, in a chord of four or more, every one but the fifth; only the root or the fifth
/// is doubled; a slash chord's bass is lowest where the range allows. `None` when no voicing
/// fits.
pub fn lead(
    previous: Option<&[Pitch]>,
    chord: Chord,
    allowed: PitchSet,
    low: Pitch,
    high: Pitch,
) -> Option<Vec<Pitch>> {
    let tones: Vec<PitchClass> = chord.tones().filter(|pc| allowed.contains(*pc)).collect();
    let (root, fifth) = (chord.root_class(), chord.tones().nth(2));
    // A slash chord (`G/B`) is voiced over its bass.
    let bass = chord.bass.map(|b| b.pitch_class());
    let previous = previous.filter(|p| p.len() == VOICES);
    let centre = previous.map_or((low.0 as u32 + high.0 as u32) / 2, |p| {
        p.iter().map(|p| p.0 as u32).sum::<u32>() / VOICES as u32
    }) as u8;
    let mut pitches: Vec<u8> = (low.0..=high.0)
        .filter(|p| tones.contains(&Pitch(*p).class()))
        .collect();
    pitches.sort_by_key(|p| (p.abs_diff(centre), *p));
    pitches.truncate(NEAREST);
    pitches.sort_unstable();
    let mut best: Option<(u32, [u8; VOICES])> = None;
    let n = pitches.len();
    for a in 0..n {
        for b in a + 1..n {
            for c in b + 1..n {
                for d in c + 1..n {
                    let voicing = [pitches[a], pitches[b], pitches[c], pitches[d]];
                    if !complete(&voicing, &tones, root, fifth)
                        || !spaced(&voicing)
                        || bass.is_some_and(|b| Pitch(voicing[0]).class() != b)
                    {
                        continue;
                    }
                    let cost = match previous {
                        Some(previous) => motion(previous, &voicing),
                        None => voicing
                            .iter()
                            .map(|&p| p as u32)
                            .sum::<u32>()
                            .abs_diff(4 * centre as u32),
                    };
                    if best.is_none_or(|(b, _)| cost < b) {
                        best = Some((cost, voicing));
                    }
                }
            }
        }
    }
    match best {
        Some((_, v)) => Some(v.into_iter().map(Pitch).collect()),
        // A slash chord's bass the range cannot put lowest: the chord in any inversion.
        None if bass.is_some() => {
            let chord = Chord {
                bass: None,
                ..chord
            };
            lead(previous, chord, allowed, low, high)
        }
        None => None,
    }
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

/// Ninth chords as a player voices them, by the indexes of the chord's tones (root, third,
/// fifth, seventh, ninth), each stacked on the one under it: the root under the third, seventh
/// and ninth (the fifth left out); or, over a bass that sounds the root, without it — third,
/// fifth, seventh, ninth or seventh, ninth, third, fifth (the two rootless shapes).
const WITH_ROOT: [usize; 4] = [0, 1, 3, 4];
const ROOTLESS: [[usize; 4]; 2] = [[1, 2, 3, 4], [3, 4, 1, 2]];

/// A ninth chord's voicing within `low..=high` nearest `centre`: with its root where one fits,
/// else (`rootless`: a bass sounds the root) a rootless shape, so that the five tones are never
/// packed into a cluster of seconds. `None` for any other chord, a slash chord, or where no shape
/// fits or a tone it needs is not `allowed`.
pub fn ninth(
    chord: Chord,
    allowed: PitchSet,
    (low, high): (Pitch, Pitch),
    centre: i32,
    rootless: bool,
) -> Option<Vec<Pitch>> {
    let tones: Vec<PitchClass> = chord.tones().collect();
    if tones.len() != 5 || chord.bass.is_some() {
        return None;
    }
    let nearest = |shapes: &[[usize; 4]]| {
        let stacks = shapes.iter().flat_map(|shape| {
            let classes = shape.map(|i| tones[i]);
            let playable = classes.iter().all(|c| allowed.contains(*c));
            (low.0..=high.0)
                .filter(move |p| playable && Pitch(*p).class() == classes[0])
                .filter_map(move |bottom| stacked(&classes, bottom).filter(|v| v[3] <= high.0))
        });
        stacks.min_by_key(|v| (v.iter().map(|p| *p as i32).sum::<i32>() - 4 * centre).abs())
    };
    let found = nearest(&[WITH_ROOT]).or_else(|| rootless.then(|| nearest(&ROOTLESS)).flatten());
    found.map(|v| v.into_iter().map(Pitch).collect())
}

/// `classes` from `bottom` up, each the nearest pitch of its class above the one under it.
fn stacked(classes: &[PitchClass; 4], bottom: u8) -> Option<[u8; 4]> {
    let mut voicing = [bottom; 4];
    for i in 1..4 {
        let under = voicing[i - 1];
        let up = Pitch(under).class().up_to(classes[i]);
        voicing[i] = under.checked_add(if up == 0 { 12 } else { up })?;
    }
    Some(voicing)
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
    use crate::theory::chord::ChordQuality;
    use crate::theory::pitch::{Letter, NoteName};

    fn chord(letter: Letter, quality: ChordQuality) -> Chord {
        Chord::new(NoteName::new(letter, 0), quality)
    }

    fn pitches(midi: &[u8]) -> Vec<Pitch> {
        midi.iter().copied().map(Pitch).collect()
    }

    fn classes(names: &[i32]) -> Vec<PitchClass> {
        names.iter().map(|&c| PitchClass::new(c)).collect()
    }

    #[test]
    fn a_chord_is_voiced_complete_and_spaced() {
        let g = chord(Letter::G, ChordQuality::Major);
        let v = lead(None, g, PitchSet::CHROMATIC, Pitch(52), Pitch(72)).unwrap();
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
        let c = chord(Letter::C, ChordQuality::Major);
        let to = lead(Some(&from), c, PitchSet::CHROMATIC, Pitch(52), Pitch(72)).unwrap();
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
        let g7 = chord(Letter::G, ChordQuality::Dominant7);
        assert!(
            lead(None, g7, PitchSet::CHROMATIC, Pitch(60), Pitch(62)).is_none(),
            "no room"
        );
    }

    #[test]
    fn without_its_root_a_chord_doubles_its_fifth_not_its_third() {
        // C major avoiding C: E and G only; only the fifth may be doubled, so E sounds once.
        let c = chord(Letter::C, ChordQuality::Major);
        let no_c = PitchSet::CHROMATIC.minus(PitchSet::of([PitchClass::new(0)]));
        let v = lead(None, c, no_c, Pitch(52), Pitch(84)).unwrap();
        let es = v.iter().filter(|p| p.class() == PitchClass::new(4)).count();
        assert_eq!(es, 1, "{v:?}");
    }

    #[test]
    fn a_ninth_is_voiced_open_with_its_root_or_rootless_over_a_bass() {
        let e9 = chord(Letter::E, ChordQuality::Dominant9);
        let all = PitchSet::CHROMATIC;
        // Room for the root under third, seventh and ninth: E3 G#3 D4 F#4, the fifth left out.
        let wide = ninth(e9, all, (Pitch(48), Pitch(72)), 60, true);
        assert_eq!(wide, Some(pitches(&[52, 56, 62, 66])));
        // A2–C#4 holds no such shape: the rootless D3 F#3 G#3 B3, not a cluster under E3.
        let narrow = ninth(e9, all, (Pitch(45), Pitch(61)), 53, true);
        assert_eq!(narrow, Some(pitches(&[50, 54, 56, 59])));
        // Without a bass to sound the root, no rootless shape; a triad is not a ninth.
        assert_eq!(ninth(e9, all, (Pitch(45), Pitch(61)), 53, false), None);
        let e = chord(Letter::E, ChordQuality::Major);
        assert_eq!(ninth(e, all, (Pitch(48), Pitch(72)), 60, true), None);
        // A tone the rules forbid rules out the shapes that need it.
        let no_ninth = PitchSet::CHROMATIC.minus(PitchSet::EMPTY.with(PitchClass::new(6)));
        assert_eq!(ninth(e9, no_ninth, (Pitch(48), Pitch(72)), 60, true), None);
    }

    #[test]
    fn a_very_wide_range_stays_quick() {
        let g7 = chord(Letter::G, ChordQuality::Dominant7);
        let mut previous = None;
        for _ in 0..2000 {
            previous = lead(
                previous.as_deref(),
                g7,
                PitchSet::CHROMATIC,
                Pitch(0),
                Pitch(127),
            );
            assert!(previous.is_some());
        }
    }
}
