//! The form model: which bar of a tune's first two strains restates which, as whole patterns
//! taken from real tunes, so that the repeats a tune makes go together as they do in one.

use std::sync::OnceLock;

use super::table::{number, records};
use crate::theory::Meter;

const TEXT: &str = include_str!("../../models/form.tsv");
/// The bars of a strain the patterns describe.
pub const STRAIN_BARS: usize = 8;

/// The bar a bar restates exactly (notes and rhythm).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restated {
    /// A bar of the same strain, counted from 0.
    Own(u32),
    /// A bar of the first strain, counted from 0, restated by a later one.
    First(u32),
}

/// One tune's pattern of repeats over two strains, with how many training tunes have it.
#[derive(Debug)]
pub struct Restatements {
    pub tunes: f64,
    /// For each bar of the two strains, the earlier bar (0-based, over both) it repeats.
    bars: [Option<u8>; 2 * STRAIN_BARS],
}

impl Restatements {
    /// The bar that bar `at` (0-based) of the first strain, or of a `later` one, restates.
    pub fn source(&self, later: bool, at: u32) -> Option<Restated> {
        let at = at as usize;
        if at >= STRAIN_BARS {
            return None;
        }
        let offset = if later { STRAIN_BARS } else { 0 };
        let from = self.bars[offset + at]? as usize;
        Some(match from.checked_sub(offset) {
            Some(own) => Restated::Own(own as u32),
            None => Restated::First(from as u32),
        })
    }
}

/// The patterns of `family` in `meter` (cut time reads 4/4), most common first; empty where the
/// training collections had too few tunes of two eight-bar strains.
pub fn restatements(family: &str, meter: Meter) -> &'static [Restatements] {
    static MODELS: OnceLock<Vec<(&'static str, &'static str, Vec<Restatements>)>> = OnceLock::new();
    let name = match (meter.count, meter.unit) {
        (2, 2) => "4/4".to_string(),
        _ => meter.to_string(),
    };
    MODELS
        .get_or_init(read)
        .iter()
        .find(|(f, m, _)| *f == family && *m == name)
        .map_or(&[], |(_, _, patterns)| patterns)
}

fn read() -> Vec<(&'static str, &'static str, Vec<Restatements>)> {
    let mut models: Vec<(&str, &str, Vec<Restatements>)> = Vec::new();
    for record in records(TEXT) {
        match record.as_slice() {
            ["tunes", family, meter, _] => models.push((family, meter, Vec::new())),
            ["restate", family, meter, count, pattern] => {
                let model = models.last_mut().expect("a pattern follows its `tunes`");
                assert!(model.0 == *family && model.1 == *meter);
                model.2.push(Restatements {
                    tunes: number(count) as f64,
                    bars: bars(pattern),
                });
            }
            _ => panic!("an unknown record in the form model: {record:?}"),
        }
    }
    models
}

/// `- - 1 …`: each bar's earlier bar (1-based), or `-`.
fn bars(pattern: &str) -> [Option<u8>; 2 * STRAIN_BARS] {
    let mut bars = [None; 2 * STRAIN_BARS];
    let fields: Vec<&str> = pattern.split(' ').collect();
    assert_eq!(
        fields.len(),
        bars.len(),
        "a pattern of two strains: {pattern}"
    );
    for (j, field) in fields.into_iter().enumerate() {
        if field != "-" {
            let from = number(field) as usize - 1;
            assert!(from < j, "a bar restates an earlier one: {pattern}");
            bars[j] = Some(from as u8);
        }
    }
    bars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dance_kind_has_patterns_of_earlier_bars() {
        let (six_eight, four_four) = (Meter::new(6, 8).unwrap(), Meter::new(4, 4).unwrap());
        for (family, meter) in [
            ("jig", six_eight),
            ("reel", four_four),
            ("hornpipe", four_four),
        ] {
            let patterns = restatements(family, meter);
            let tunes: f64 = patterns.iter().map(|p| p.tunes).sum();
            assert!(tunes >= 100.0, "{family}");
            // Real strains open with a bar of their own, and answer their first phrase often.
            assert!(patterns.iter().all(|p| p.source(false, 0).is_none()));
            let answered: f64 = patterns
                .iter()
                .filter(|p| p.source(false, 4) == Some(Restated::Own(0)))
                .map(|p| p.tunes)
                .sum();
            assert!(answered > 0.5 * tunes, "{family}");
        }
        // Songs mark no strains: their first sixteen bars stand for two.
        let songs = restatements("song", Meter::new(3, 4).unwrap());
        assert!(songs.iter().map(|p| p.tunes).sum::<f64>() >= 100.0);
    }

    #[test]
    fn a_later_strain_names_the_first_strains_bars() {
        // The hornpipes' commonest pattern returns to the first strain's second phrase.
        let restated = Restatements {
            tunes: 1.0,
            bars: bars("- - - - 1 2 - - - - - - 1 2 7 8"),
        };
        assert_eq!(restated.source(false, 5), Some(Restated::Own(1)));
        assert_eq!(restated.source(true, 4), Some(Restated::First(0)));
        assert_eq!(restated.source(true, 7), Some(Restated::First(7)));
        assert_eq!(restated.source(true, 0), None);
        let within = Restatements {
            tunes: 1.0,
            bars: bars("- - - - 1 2 - - - - - - 9 10 - -"),
        };
        assert_eq!(within.source(true, 4), Some(Restated::Own(0)));
    }
}
