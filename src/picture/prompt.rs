//! Writing the prompt: the tables in `table` applied to a picture's `Features`, one clause a
//! line, each with a `#` comment giving the measurements that chose it.

use super::measure::Features;
use super::table::{
    COLOURED_SHARE, Feature, GREY, HUES, Hue, RULES, Rule, SECOND_SHARE, SLOTS, Slot,
};

/// Where the comments start, so that they line up.
const COMMENT_COLUMN: usize = 30;

/// The `.tune` program for a picture called `name` with these features.
pub fn write(name: &str, features: &Features) -> String {
    let rules = SLOTS.map(|slot| choose(slot, features));
    let (leader, second) = leading_hues(features);
    let mut lines = header(name, features);
    lines.extend(body(&rules, leader, second, features));
    lines.join("\n") + "\n"
}

/// The clauses of `rules` (one a slot, in the order of `SLOTS`) and of the hues, each with its
/// comment; `features` gives the values the comments show.
fn body(
    rules: &[&Rule],
    leader: (Hue, i32),
    second: Option<(Hue, i32)>,
    features: &Features,
) -> Vec<String> {
    let mut lines = Vec::new();
    for rule in rules {
        lines.push(match rule.slot {
            // The key's line joins the leading hue's tonic to the mode.
            Slot::Mode => line(
                &format!("in {} {}", leader.0.tonic, rule.clause),
                &format!(
                    "key: {} from {}; mode: {} ({})",
                    leader.0.tonic,
                    hue_reason(leader),
                    rule.why,
                    values(rule, features)
                ),
            ),
            _ => line(rule.clause, &reason(rule, features)),
        });
    }
    lines.push(line(
        &format!("melody: {}", leader.0.melody),
        &format!("instrument: {}", hue_reason(leader)),
    ));
    lines.push(match second {
        Some(second) => line(
            &format!("chords: {}", second.0.chords),
            &format!("chords' instrument: {} comes second", hue_reason(second)),
        ),
        None => line("", "chords' instrument: no second hue, the style's own"),
    });
    lines
}

/// The first lines: where the prompt came from and everything measured.
fn header(name: &str, f: &Features) -> Vec<String> {
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    vec![
        format!(
            "# A prompt measured from the picture {name}: {}×{} pixels, on a grid of {}×{} cells.",
            f.size.0, f.size.1, f.grid.0, f.grid.1
        ),
        format!(
            "# brightness {}, warmth {:+}, colour {}, contrast {}, energy {}, edges {}, \
             symmetry {}, horizon {}, light above {:+}, aspect {}, coloured {}",
            f.brightness,
            f.warmth,
            f.colour,
            f.contrast,
            f.energy(),
            f.edges,
            f.symmetry,
            f.horizon,
            f.light_above,
            f.aspect,
            f.coloured
        ),
        "# Each clause's comment says which measurement chose it (docs/from-image.md).".into(),
    ]
}

/// The first rule of `slot` whose tests all hold.
pub fn choose(slot: Slot, features: &Features) -> &'static Rule {
    RULES
        .iter()
        .filter(|r| r.slot == slot)
        .find(|r| {
            r.when.iter().all(|t| {
                let value = value(t.feature, features);
                (t.min..=t.max).contains(&value)
            })
        })
        // The tables' own test shows every slot covers every picture; this is only a fallback.
        .unwrap_or(&RULES[0])
}

/// The value of `feature` measured.
pub fn value(feature: Feature, f: &Features) -> i32 {
    match feature {
        Feature::Brightness => f.brightness,
        Feature::Warmth => f.warmth,
        Feature::Colour => f.colour,
        Feature::Contrast => f.contrast,
        Feature::Energy => f.energy(),
        Feature::Edges => f.edges,
        Feature::Symmetry => f.symmetry,
        Feature::Horizon => f.horizon,
        Feature::LightAbove => f.light_above,
        Feature::Aspect => f.aspect,
    }
}

/// The hue family leading the picture and the one second to it, with their shares of the
/// coloured cells in percent. Grey leads a picture less than `COLOURED_SHARE` percent coloured;
/// the second family must hold `SECOND_SHARE` percent of the coloured cells.
pub fn leading_hues(f: &Features) -> ((Hue, i32), Option<(Hue, i32)>) {
    let cells = (f.grid.0 * f.grid.1).max(1) as u64;
    let coloured: u64 = f.hues.iter().map(|&n| n as u64).sum();
    if coloured * 100 < COLOURED_SHARE as u64 * cells {
        return ((GREY, 100 - f.coloured), None);
    }
    // Families by name (red wraps round 360 in two rows), in the table's order.
    let mut families: Vec<(Hue, u64)> = Vec::new();
    for hue in HUES {
        let count: u64 = f.hues[hue.from as usize..hue.to as usize]
            .iter()
            .map(|&n| n as u64)
            .sum();
        match families.iter_mut().find(|(h, _)| h.name == hue.name) {
            Some((_, total)) => *total += count,
            None => families.push((*hue, count)),
        }
    }
    // The largest first; among equals, the first in the table (a stable sort).
    families.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    let mut shares = families
        .into_iter()
        .map(|(hue, count)| (hue, ((count * 100 + coloured / 2) / coloured) as i32));
    let leader = shares.next().unwrap_or((GREY, 0));
    (
        leader,
        shares.next().filter(|&(_, share)| share >= SECOND_SHARE),
    )
}

fn hue_reason((hue, share): (Hue, i32)) -> String {
    match hue.name == GREY.name {
        true => format!("grey, too little colour ({share}% uncoloured)"),
        false => format!("{} hues ({share}% of the coloured part)", hue.name),
    }
}

/// The comment of a rule: its slot, its reason, and the values it tested.
fn reason(rule: &Rule, features: &Features) -> String {
    let slot = format!("{:?}", rule.slot).to_lowercase();
    format!("{slot}: {} ({})", rule.why, values(rule, features))
}

/// The features a rule tests, as measured: `edges 14, brightness 48`.
fn values(rule: &Rule, features: &Features) -> String {
    let mut shown: Vec<Feature> = Vec::new();
    for test in rule.when {
        if !shown.contains(&test.feature) {
            shown.push(test.feature);
        }
    }
    let named = shown.iter().map(|&feature| {
        let name = match feature {
            Feature::LightAbove => "light above".to_string(),
            other => format!("{other:?}").to_lowercase(),
        };
        format!("{name} {}", value(feature, features))
    });
    named.collect::<Vec<_>>().join(", ")
}

/// `clause` with its comment, lined up; a comment alone when the clause is empty.
fn line(clause: &str, comment: &str) -> String {
    match clause.is_empty() {
        true => format!("# {comment}"),
        false => format!("{clause:<width$} # {comment}", width = COMMENT_COLUMN - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, compile};

    fn rules_of(slot: Slot) -> Vec<&'static Rule> {
        RULES.iter().filter(|r| r.slot == slot).collect()
    }

    /// Features of a grey picture, every measurement 0 but those given.
    fn features(set: &[(Feature, i32)]) -> Features {
        let mut f = Features {
            size: (1, 1),
            grid: (10, 10),
            brightness: 0,
            warmth: 0,
            colour: 0,
            contrast: 0,
            edges: 0,
            symmetry: 0,
            horizon: 0,
            light_above: 0,
            aspect: 100,
            coloured: 0,
            hues: vec![0; 360],
        };
        for &(feature, v) in set {
            match feature {
                Feature::Brightness => f.brightness = v,
                Feature::Warmth => f.warmth = v,
                Feature::Colour => f.colour = v,
                Feature::Contrast => f.contrast = v,
                // Energy is the mean of colour and contrast.
                Feature::Energy => (f.colour, f.contrast) = (v, v),
                Feature::Edges => f.edges = v,
                Feature::Symmetry => f.symmetry = v,
                Feature::Horizon => f.horizon = v,
                Feature::LightAbove => f.light_above = v,
                Feature::Aspect => f.aspect = v,
            }
        }
        f
    }

    /// Rules are ranges of features, so a rule holds on a whole box between the bounds the
    /// rules name: trying every bound, and one below it, tries every box.
    #[test]
    fn every_slot_has_a_rule_for_every_picture() {
        for slot in SLOTS {
            let mut tested: Vec<(Feature, Vec<i32>)> = Vec::new();
            for test in rules_of(slot).iter().flat_map(|r| r.when) {
                let bounds = [test.min, test.max.saturating_add(1)];
                let finite = bounds.into_iter().filter(|b| (-999..1000).contains(b));
                let points = finite.flat_map(|b| [b, b - 1]);
                match tested.iter_mut().find(|(f, _)| *f == test.feature) {
                    Some((_, values)) => values.extend(points),
                    None => tested.push((test.feature, points.chain([-1000, 1000]).collect())),
                }
            }
            let mut boxes = 0;
            let mut at = vec![0usize; tested.len()];
            loop {
                let set: Vec<(Feature, i32)> = tested
                    .iter()
                    .zip(&at)
                    .map(|((f, v), &i)| (*f, v[i]))
                    .collect();
                let f = features(&set);
                let found = rules_of(slot).into_iter().any(|r| {
                    r.when
                        .iter()
                        .all(|t| (t.min..=t.max).contains(&value(t.feature, &f)))
                });
                assert!(found, "{slot:?}: no rule for {set:?}");
                boxes += 1;
                // The next combination, the first feature fastest.
                let Some(i) = (0..at.len()).find(|&i| at[i] + 1 < tested[i].1.len()) else {
                    break;
                };
                at[i] += 1;
                at[..i].fill(0);
            }
            assert!(boxes > 4, "{slot:?}");
        }
    }

    #[test]
    fn hue_families_cover_the_wheel_in_order() {
        assert_eq!(HUES.first().map(|h| h.from), Some(0));
        assert_eq!(HUES.last().map(|h| h.to), Some(360));
        for pair in HUES.windows(2) {
            assert_eq!(
                pair[0].to, pair[1].from,
                "{} to {}",
                pair[0].name, pair[1].name
            );
        }
    }

    #[test]
    fn a_hue_leads_a_picture_a_tenth_coloured() {
        let mut f = features(&[]);
        f.hues[100] = 30; // green
        f.hues[350] = 12; // red, past 345
        f.hues[5] = 3; // red, with the 12 above: 15 of 54 coloured cells, 28%
        f.hues[220] = 9; // blue: 17%, too few to come second
        f.coloured = 54;
        let (leader, second) = leading_hues(&f);
        assert_eq!((leader.0.name, leader.1), ("green", 56));
        assert_eq!(second.map(|(h, share)| (h.name, share)), Some(("red", 28)));
        f.hues[220] = 15;
        assert_eq!(
            leading_hues(&f).1.map(|(h, _)| h.name),
            Some("red"),
            "first in the table"
        );
        f.hues = vec![0; 360];
        f.hues[220] = 9;
        f.coloured = 9;
        let (leader, second) = leading_hues(&f);
        assert_eq!(
            (leader.0.name, leader.1, second.is_none()),
            ("grey", 91, true)
        );
        f.hues[220] = 10;
        assert_eq!(
            leading_hues(&f).0,
            (HUES[5], 100),
            "a tenth coloured, all blue"
        );
    }

    /// Every clause the tables can give composes, in every combination of style, form, section
    /// length and tempo, with the other slots and the hues taking turns.
    #[test]
    fn every_combination_of_the_tables_composes() {
        let f = features(&[]);
        let mut hues: Vec<Hue> = HUES.to_vec();
        hues.push(GREY);
        let mut tried = 0;
        for (s, style) in rules_of(Slot::Style).into_iter().enumerate() {
            for form in rules_of(Slot::Form) {
                for sections in rules_of(Slot::Sections) {
                    for (t, tempo) in rules_of(Slot::Tempo).into_iter().enumerate() {
                        let n = tried + s + t;
                        let pick = |slot: Slot| {
                            let rules = rules_of(slot);
                            rules[n % rules.len()]
                        };
                        let rules = SLOTS.map(|slot| match slot {
                            Slot::Style => style,
                            Slot::Form => form,
                            Slot::Sections => sections,
                            Slot::Tempo => tempo,
                            other => pick(other),
                        });
                        let leader = (hues[n % hues.len()], 50);
                        let second =
                            Some((hues[(n / 2 + 3) % hues.len()], 20)).filter(|_| n % 4 != 0);
                        let program = body(&rules, leader, second, &f).join("\n");
                        // Seed 0, as `--from-image` composes unless told otherwise.
                        if let Err(e) = compile(&program, &Options::new()) {
                            panic!("{program}\n{e}");
                        }
                        tried += 1;
                    }
                }
            }
        }
        assert_eq!(tried, 9 * 4 * 2 * 5);
    }
}
