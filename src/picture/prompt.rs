//! Writing the prompt: the tables in `table` applied to a picture's `Features`, one clause a
//! line, each with a `#` comment giving the measurements that chose it.

use super::measure::Features;
use super::table::{Feature, GREY, HUE_SHARE, HUES, Hue, RULES, Rule, SLOTS, Slot};

/// Where the comments start, so that they line up.
const COMMENT_COLUMN: usize = 30;

/// The `.tune` program for a picture called `name` with these features.
pub fn write(name: &str, features: &Features) -> String {
    let (leader, second) = leading_hues(features);
    let mut lines = header(name, features);
    for slot in SLOTS {
        let rule = choose(slot, features);
        match slot {
            // The key's line joins the leading hue's tonic to the mode.
            Slot::Mode => lines.push(line(
                &format!("in {} {}", leader.0.tonic, rule.clause),
                &format!(
                    "key: {} from {}; mode: {} ({})",
                    leader.0.tonic,
                    hue_reason(leader),
                    rule.why,
                    values(rule, features)
                ),
            )),
            _ => lines.push(line(rule.clause, &reason(rule, features))),
        }
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
    lines.join("\n") + "\n"
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

/// The hue family leading the picture and the one second to it, with their shares in percent;
/// grey leads when no family covers `HUE_SHARE` percent.
pub fn leading_hues(f: &Features) -> ((Hue, i32), Option<(Hue, i32)>) {
    let cells = (f.grid.0 * f.grid.1).max(1) as u64;
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
    let share = |count: u64| ((count * 100 + cells / 2) / cells) as i32;
    // The largest first; among equals, the first in the table (a stable sort).
    families.sort_by_key(|&(_, count)| std::cmp::Reverse(count));
    let mut leading = families
        .into_iter()
        .map(|(hue, count)| (hue, share(count)))
        .filter(|&(_, share)| share >= HUE_SHARE);
    match leading.next() {
        Some(first) => (first, leading.next()),
        None => ((GREY, 100 - f.coloured), None),
    }
}

fn hue_reason((hue, share): (Hue, i32)) -> String {
    match hue.name == GREY.name {
        true => format!("grey, too little colour ({share}% uncoloured)"),
        false => format!("{} hues ({share}% of the picture)", hue.name),
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
