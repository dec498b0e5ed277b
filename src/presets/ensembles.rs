//! Ensembles people name (`string quartet`, `brass section`, `piano trio`, `solo piano`): who
//! plays each part, as a table a musician can edit. A part line still wins over its seat.

use crate::parts::PartRole;

/// An ensemble: the General MIDI program on each seat, `None` where nobody plays that part.
#[derive(Debug, PartialEq, Eq)]
pub struct Ensemble {
    pub name: &'static str,
    pub melody: u8,
    pub counter_melody: Option<u8>,
    pub chords: Option<u8>,
    pub bass: Option<u8>,
    /// The style's drums play along (a jazz piano trio, a brass section over a groove).
    pub drums: bool,
}

impl Ensemble {
    /// The program of `role`'s seat (1 for the style's drum kit), `None` when it stays empty.
    pub fn seat(&self, role: PartRole) -> Option<u8> {
        match role {
            PartRole::Melody => Some(self.melody),
            PartRole::CounterMelody => self.counter_melody,
            PartRole::Chords => self.chords,
            PartRole::Bass => self.bass,
            PartRole::Drums => self.drums.then_some(1),
        }
    }
}

const fn ensemble(
    name: &'static str,
    [melody, counter_melody, chords, bass]: [u8; 4],
    drums: bool,
) -> Ensemble {
    Ensemble {
        name,
        melody,
        counter_melody: seat(counter_melody),
        chords: seat(chords),
        bass: seat(bass),
        drums,
    }
}

/// A seat's program, 0 for an empty seat.
const fn seat(program: u8) -> Option<u8> {
    if program == 0 { None } else { Some(program) }
}

/// Programs on the seats melody, counter-melody, chords and bass (0: nobody).
pub const ENSEMBLES: [Ensemble; 5] = [
    // First and second violin, viola on the inner voices, cello on the bass.
    ensemble("string quartet", [41, 41, 42, 43], false),
    // Trumpet lead, horn answering, trombones on the chords, tuba under them, the groove kept.
    ensemble("brass section", [57, 61, 58, 59], true),
    // The jazz trio: piano (both hands), double bass and the style's drums.
    ensemble("piano trio", [1, 0, 1, 33], true),
    // One pianist: the right hand's tune, the left hand's chords and bass.
    ensemble("solo piano", [1, 0, 1, 1], false),
    // The classical trio, taken for `piano trio` in a style without drums.
    ensemble("piano trio", [41, 0, 1, 43], false),
];

/// The ensemble called `name`; `piano trio` is the jazz trio in a style with drums and the
/// classical one (violin, cello, piano) in a style without.
pub fn ensemble_named(name: &str, style_has_drums: bool) -> Option<&'static Ensemble> {
    let mut named = ENSEMBLES.iter().filter(|e| e.name == name);
    let first = named.next()?;
    Some(match named.next() {
        Some(unplugged) if !style_has_drums => unplugged,
        _ => first,
    })
}

/// The ensembles' names, each once.
pub fn names() -> impl Iterator<Item = &'static str> {
    ENSEMBLES
        .iter()
        .enumerate()
        .filter(|(i, e)| !ENSEMBLES[..*i].iter().any(|f| f.name == e.name))
        .map(|(_, e)| e.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piano_trio_is_the_jazz_trio_over_drums_and_the_classical_one_without() {
        let jazz = ensemble_named("piano trio", true).unwrap();
        assert_eq!((jazz.bass, jazz.seat(PartRole::Drums)), (Some(33), Some(1)));
        let classical = ensemble_named("piano trio", false).unwrap();
        assert_eq!((classical.melody, classical.bass), (41, Some(43)));
        assert_eq!(classical.seat(PartRole::Drums), None);
    }

    #[test]
    fn every_ensemble_is_named_once_and_seats_a_melody() {
        let names: Vec<&str> = names().collect();
        assert_eq!(
            names,
            [
                "string quartet",
                "brass section",
                "piano trio",
                "solo piano"
            ]
        );
        assert!(ENSEMBLES.iter().all(|e| e.seat(PartRole::Melody).is_some()));
        assert_eq!(ensemble_named("kazoo band", true), None);
    }
}
