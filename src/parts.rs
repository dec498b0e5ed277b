//! The parts a piece is made of (melody, counter-melody, chords, bass, drums) and the soft
//! shapes a melodic line can take: words the vocabulary names and the Plan sets.

/// The MIDI channel of the drums, 0-based (channel 10 as musicians count).
pub const DRUM_CHANNEL: u8 = 9;

/// The MIDI channels, 0-based, left for instruments doubling a part: every one of the 16 but
/// the parts' own (0–3) and the drums'.
pub const DOUBLING_CHANNELS: [u8; 11] = [4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];

/// The instrumental parts tunec writes, in track order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartRole {
    Melody,
    CounterMelody,
    Chords,
    Bass,
    Drums,
}

impl PartRole {
    pub const ALL: [PartRole; 5] = [
        PartRole::Melody,
        PartRole::CounterMelody,
        PartRole::Chords,
        PartRole::Bass,
        PartRole::Drums,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PartRole::Melody => "melody",
            PartRole::CounterMelody => "counter-melody",
            PartRole::Chords => "chords",
            PartRole::Bass => "bass",
            PartRole::Drums => "drums",
        }
    }

    pub fn named(name: &str) -> Option<PartRole> {
        PartRole::ALL.into_iter().find(|r| r.name() == name)
    }

    /// MIDI channel, 0-based: drums on 9 (channel 10 as musicians count).
    pub fn channel(self) -> u8 {
        match self {
            PartRole::Drums => DRUM_CHANNEL,
            other => other as u8,
        }
    }

    /// A single line of notes, sampled note by note: melody, counter-melody, bass.
    pub fn is_line(self) -> bool {
        matches!(
            self,
            PartRole::Melody | PartRole::CounterMelody | PartRole::Bass
        )
    }
}

/// How busy a melodic line is (soft).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Density {
    Sparse,
    Normal,
    Busy,
}

/// The overall shape of a melodic line (soft).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Contour {
    Rising,
    Falling,
    Arch,
}
