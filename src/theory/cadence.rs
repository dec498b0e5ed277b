//! Cadences: the chords, as scale degrees, that close a piece.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cadence {
    Authentic,
    Plagal,
    Half,
    Deceptive,
}

impl Cadence {
    /// The closing chords' scale degrees, in order: authentic V I, plagal IV I, half V,
    /// deceptive V vi.
    pub fn degrees(self) -> &'static [u8] {
        match self {
            Cadence::Authentic => &[5, 1],
            Cadence::Plagal => &[4, 1],
            Cadence::Half => &[5],
            Cadence::Deceptive => &[5, 6],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Cadence::Authentic => "authentic",
            Cadence::Plagal => "plagal",
            Cadence::Half => "half",
            Cadence::Deceptive => "deceptive",
        }
    }

    /// Whether chords on `degrees` (the last ones of a piece, in order) make this cadence.
    pub fn closes(self, degrees: &[Option<u8>]) -> bool {
        let wanted = self.degrees();
        degrees.len() >= wanted.len()
            && degrees[degrees.len() - wanted.len()..]
                .iter()
                .zip(wanted)
                .all(|(d, w)| *d == Some(*w))
    }
}

/// `V I`, `IV I`: Roman numerals of scale degrees.
pub fn numerals(degrees: &[u8]) -> String {
    const NUMERALS: [&str; 7] = ["I", "II", "III", "IV", "V", "VI", "VII"];
    let names: Vec<&str> = degrees
        .iter()
        .map(|d| NUMERALS[(*d as usize - 1) % 7])
        .collect();
    names.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_chords() {
        assert!(Cadence::Authentic.closes(&[Some(1), Some(5), Some(1)]));
        assert!(!Cadence::Plagal.closes(&[Some(5), Some(1)]));
        assert!(Cadence::Half.closes(&[Some(5)]));
        assert!(!Cadence::Deceptive.closes(&[Some(6)]));
        assert_eq!(numerals(Cadence::Deceptive.degrees()), "V VI");
    }
}
