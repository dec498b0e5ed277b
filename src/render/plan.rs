//! The expanded plan as text: every setting and constraint, hard or soft, and where it came from.

use std::fmt::Write;

use super::spell;
use crate::resolve::{Endpoint, Origin, PitchRuleKind, Plan, instruments};
use crate::theory::Key;

fn row(out: &mut String, what: &str, value: String, kind: &str, origin: &Origin) {
    let _ = writeln!(out, "  {what:<16} {value:<32} {kind:<5} {origin}");
}

fn endpoint(key: Key, e: Endpoint) -> String {
    match e {
        Endpoint::Class(pc) => key.spell(pc).to_string(),
        Endpoint::Pitch(p) => spell(key, p),
    }
}

pub fn render(plan: &Plan) -> String {
    let key = plan.key.value;
    let mut out = String::new();
    let _ = writeln!(out, "piece");
    if let Some(title) = &plan.title {
        let _ = writeln!(out, "  {:<16} {title}", "title");
    }
    row(
        &mut out,
        "style",
        plan.style.value.name.to_string(),
        "soft",
        &plan.style.origin,
    );
    for mood in &plan.moods {
        row(
            &mut out,
            "mood",
            mood.value.to_string(),
            "soft",
            &mood.origin,
        );
    }
    let key_kind = if plan.key.origin.is_user() {
        "hard"
    } else {
        "soft"
    };
    row(&mut out, "key", key.to_string(), key_kind, &plan.key.origin);
    row(
        &mut out,
        "meter",
        plan.meter.value.to_string(),
        "hard",
        &plan.meter.origin,
    );
    row(
        &mut out,
        "bars",
        plan.bars.value.to_string(),
        "hard",
        &plan.bars.origin,
    );
    row(
        &mut out,
        "tempo",
        format!("{} bpm", plan.tempo.value),
        "hard",
        &plan.tempo.origin,
    );
    match &plan.progression {
        Some(p) => {
            let bars: Vec<String> = p
                .bars
                .iter()
                .map(|bar| {
                    bar.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            row(&mut out, "chords", bars.join(" | "), "hard", &p.origin);
        }
        None => row(
            &mut out,
            "chords",
            "sampled, tonic at both ends".into(),
            "soft",
            &Origin::Preset(plan.style.value.name),
        ),
    }
    for part in &plan.parts {
        let _ = writeln!(out, "part {}", part.role.name());
        let program = part.program.value;
        row(
            &mut out,
            "instrument",
            format!("{} (program {program})", instruments::name(program)),
            "exact",
            &part.program.origin,
        );
        let (low, high) = part.range.value;
        row(
            &mut out,
            "range",
            format!("{}–{}", spell(key, low), spell(key, high)),
            "hard",
            &part.range.origin,
        );
        for rule in &part.pitch_rules {
            // Listed upwards from the tonic, as a scale is read.
            let tonic = key.tonic_class();
            let names: Vec<String> = (0..12)
                .map(|i| tonic.transpose(i))
                .filter(|pc| rule.set.contains(*pc))
                .map(|pc| key.spell(pc).to_string())
                .collect();
            let what = match rule.kind {
                PitchRuleKind::Only => "using only",
                PitchRuleKind::Avoid => "avoiding",
                PitchRuleKind::Scale => "in scale",
            };
            row(&mut out, what, names.join(" "), "hard", &rule.origin);
        }
        if let Some(leap) = &part.max_leap {
            row(
                &mut out,
                "largest leap",
                format!("{} semitones", leap.value),
                "hard",
                &leap.origin,
            );
        }
        if let Some(origin) = &part.mostly_stepwise {
            row(
                &mut out,
                "mostly stepwise",
                "≥ 70% of intervals ≤ 2 semitones".into(),
                "hard",
                origin,
            );
        }
        if let Some(s) = &part.starts_on {
            row(
                &mut out,
                "starts on",
                endpoint(key, s.value),
                "hard",
                &s.origin,
            );
        }
        if let Some(e) = &part.ends_on {
            row(
                &mut out,
                "ends on",
                endpoint(key, e.value),
                "hard",
                &e.origin,
            );
        }
    }
    out
}
