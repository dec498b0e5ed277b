//! Which bars a tune restates: one pattern of a real tune's first two strains, drawn per piece
//! from the style's form model, read by the chords and the melody alike.

use crate::models::{Restated, Restatements, STRAIN_BARS, restatements};
use crate::resolve::{Harmony, Plan, Section};

/// For each bar of a section, the bar it restates exactly.
pub type RestatedBars = [Option<Restated>; STRAIN_BARS];

/// The piece's pattern of restated bars, drawn by how many training tunes have each (its own
/// stream); `None` where the style's family has no form model in this meter. The songs' model
/// is the folk songs' (Essen's): the other styles that sing (pop, funk, …) keep their own
/// answering phrases.
pub fn pattern(plan: &Plan, seed: u64) -> Option<&'static Restatements> {
    let style = plan.style.value;
    if style.rhythm_family == "song" && style.harmony != Harmony::Folk {
        return None;
    }
    let patterns = restatements(style.rhythm_family, plan.meter.value);
    let name = format!("{}/melody/restated", plan.style.value.name);
    super::draw_by_tunes(seed, &name, patterns, |p| p.tunes)
}

/// The bars `section` restates under `pattern`: the first section as the pattern's first
/// strain, any other letter as its second, where they are strains of the pattern's length
/// (`None`: the pattern does not apply). A section's last bar keeps its own cadence (and the
/// lead into what follows).
pub fn restated_bars(
    plan: &Plan,
    section: &Section,
    pattern: Option<&Restatements>,
) -> Option<RestatedBars> {
    let strain = STRAIN_BARS as u32;
    let first = plan.sections.first()?;
    let pattern = pattern.filter(|_| section.bars == strain && first.bars == strain)?;
    let later = first.name.letter != section.name.letter;
    let mut bars = [None; STRAIN_BARS];
    for (at, bar) in bars.iter_mut().enumerate().take(STRAIN_BARS - 1) {
        *bar = pattern.source(later, at as u32);
    }
    Some(bars)
}
