//! The expanded plan as text: every setting and constraint, hard or soft, and where it came
//! from; then, for a composed piece, how the soft targets were met.

use std::fmt::Write;

use super::text::length_name;
use crate::resolve::{
    Drumming, HarmonicRhythm, MostlyStepwise, Origin, PartPlan, PartRole, PitchRuleKind, Plan,
    instruments,
};
use crate::score::{Note, Score};
use crate::theory::Key;

fn row(out: &mut String, what: &str, value: String, kind: &str, origin: &Origin) {
    let _ = writeln!(out, "  {what:<16} {value:<36} {kind:<5} {origin}");
}

/// The plan as `score` kept it (without the defaults that gave way).
pub fn render(plan: &Plan, score: &Score) -> String {
    let plan = &*plan.as_composed(&score.gave_way);
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
    if let Some(origin) = &plan.swing {
        row(
            &mut out,
            "swing",
            "eighths long-short (2:1)".into(),
            "soft",
            origin,
        );
    }
    let form: Vec<String> = plan
        .sections
        .iter()
        .map(|s| {
            format!(
                "{}{} ({} bars)",
                s.name.letter,
                if s.name.varied { "'" } else { "" },
                s.bars
            )
        })
        .collect();
    row(&mut out, "form", form.join(" "), "hard", &plan.form_origin);
    let rhythm = match plan.harmonic_rhythm.value {
        HarmonicRhythm::PerBar(1) => "one chord per bar".to_string(),
        HarmonicRhythm::PerBar(n) => format!("{n} chords per bar"),
        HarmonicRhythm::EveryBars(n) => format!("one chord every {n} bars"),
    };
    row(
        &mut out,
        "harmonic rhythm",
        rhythm,
        "soft",
        &plan.harmonic_rhythm.origin,
    );
    match &plan.progression {
        Some(p) => row(&mut out, "chords", progression(&p.bars), "hard", &p.origin),
        None => row(
            &mut out,
            "chords",
            "sampled from the style's habits".into(),
            "soft",
            &Origin::Preset(plan.style.value.name),
        ),
    }
    let cadence_kind = if plan.cadence.origin.is_user() {
        "hard"
    } else {
        "soft"
    };
    row(
        &mut out,
        "final cadence",
        plan.cadence.value.name().to_string(),
        cadence_kind,
        &plan.cadence.origin,
    );
    for rules in &plan.section_rules {
        if let Some(p) = &rules.progression {
            row(
                &mut out,
                &format!("section {} chords", rules.letter),
                progression(&p.bars),
                "hard",
                &p.origin,
            );
        }
        if let Some(d) = &rules.dynamics {
            row(
                &mut out,
                &format!("section {} level", rules.letter),
                format!("{:+} steps", d.value),
                "soft",
                &d.origin,
            );
        }
    }
    if let Some(origin) = &plan.solo {
        row(&mut out, "solo", "melody only".into(), "exact", origin);
    }
    for part in &plan.parts {
        part_rows(&mut out, key, part);
    }
    out
}

fn progression(bars: &[Vec<crate::theory::Chord>]) -> String {
    let bars: Vec<String> = bars
        .iter()
        .map(|bar| {
            bar.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    bars.join(" | ")
}

fn part_rows(out: &mut String, key: Key, part: &PartPlan) {
    let _ = writeln!(out, "part {}", part.role.name());
    let program = part.program.value;
    let instrument = match part.role {
        PartRole::Drums => "standard kit (channel 10)".to_string(),
        _ => format!("{} (program {program})", instruments::name(program)),
    };
    row(out, "instrument", instrument, "exact", &part.program.origin);
    if let Some(p) = &part.pattern {
        row(
            out,
            "pattern",
            p.value.name().to_string(),
            "soft",
            &p.origin,
        );
    }
    if let Some(d) = &part.drumming {
        let what = match &d.value {
            Drumming::Groove(g) => format!("{g:?} groove, fills at section ends").to_lowercase(),
            Drumming::Grid(rows) => format!("step grid of {} drums", rows.len()),
        };
        row(out, "drums", what, "hard", &d.origin);
    }
    const LEVELS: [&str; 8] = ["ppp", "pp", "p", "mp", "mf", "f", "ff", "fff"];
    row(
        out,
        "dynamics",
        LEVELS[(part.dynamics.value.clamp(1, 8) - 1) as usize].into(),
        "soft",
        &part.dynamics.origin,
    );
    if part.role == PartRole::Drums {
        return;
    }
    let (low, high) = part.range.value;
    row(
        out,
        "range",
        format!("{}–{}", key.name_pitch(low), key.name_pitch(high)),
        "hard",
        &part.range.origin,
    );
    for (letter, range) in &part.section_ranges {
        let (low, high) = range.value;
        row(
            out,
            &format!("range in {letter}"),
            format!("{}–{}", key.name_pitch(low), key.name_pitch(high)),
            "hard",
            &range.origin,
        );
    }
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
        row(out, what, names.join(" "), "hard", &rule.origin);
    }
    if let Some(leap) = &part.max_leap {
        row(
            out,
            "largest leap",
            format!("{} semitones", leap.value),
            "hard",
            &leap.origin,
        );
    }
    if let Some(origin) = &part.mostly_stepwise {
        row(
            out,
            "mostly stepwise",
            MostlyStepwise::meaning(),
            "hard",
            origin,
        );
    }
    if let Some(s) = &part.starts_on {
        row(out, "starts on", s.value.name(key), "hard", &s.origin);
    }
    if let Some(e) = &part.ends_on {
        row(out, "ends on", e.value.name(key), "hard", &e.origin);
    }
    if let Some(d) = &part.durations {
        let names: Vec<String> = d.value.iter().map(|t| length_name(*t)).collect();
        row(out, "rhythm", names.join(" "), "hard", &d.origin);
    }
    if part.role.is_line() {
        row(
            out,
            "density",
            format!("{:?}", part.density.value).to_lowercase(),
            "soft",
            &part.density.origin,
        );
    }
    if let Some(c) = &part.contour {
        row(
            out,
            "contour",
            format!("{:?}", c.value).to_lowercase(),
            "soft",
            &c.origin,
        );
    }
}

/// How the composed piece met the plan's soft targets (and the count constraints).
pub fn report(plan: &Plan, score: &Score) -> String {
    let mut out = String::from("measured (seed ");
    let _ = writeln!(out, "{})", score.seed);
    for (part, part_plan) in score.parts.iter().zip(&plan.parts) {
        if !part.role.is_line() || part.notes.len() < 2 {
            continue;
        }
        let notes = &part.notes;
        let intervals: Vec<u8> = notes
            .windows(2)
            .map(|w| w[0].pitch.distance(w[1].pitch))
            .collect();
        let share = |f: &dyn Fn(u8) -> bool| {
            100 * intervals.iter().filter(|d| f(**d)).count() / intervals.len()
        };
        let steps = share(&|d| MostlyStepwise::is_step(d));
        let target = if part_plan.mostly_stepwise.is_some() {
            format!(", target ≥ {}%", MostlyStepwise::PERCENT)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {:<16} {steps}% steps or repeats{target} (repeats {}%, steps {}%, skips {}%, leaps {}%)",
            part.name(),
            share(&|d| d == 0),
            share(&|d| d == 1 || d == 2),
            share(&|d| d == 3 || d == 4),
            share(&|d| d >= 5)
        );
        let low = notes.iter().map(|n| n.pitch.0).min().unwrap_or(0);
        let high = notes.iter().map(|n| n.pitch.0).max().unwrap_or(0);
        let bars = score.bars.max(1) as usize;
        let _ = writeln!(
            out,
            "  {:<16} range {} semitones, {:.1} notes a bar",
            "",
            high - low,
            notes.len() as f64 / bars as f64
        );
        if part.role == PartRole::Melody {
            melody_report(&mut out, plan, score, notes);
        }
    }
    out
}

fn melody_report(out: &mut String, plan: &Plan, score: &Score, notes: &[Note]) {
    let meter = score.meter;
    let strong: Vec<&Note> = notes
        .iter()
        .filter(|n| meter.strength(n.start % meter.bar_ticks()) >= 2)
        .collect();
    let on_chord = strong
        .iter()
        .filter(|n| {
            score
                .chord_at(n.start)
                .is_some_and(|c| c.tone_set().contains(n.pitch.class()))
        })
        .count();
    let _ = writeln!(
        out,
        "  {:<16} {}% of strong-beat notes are chord tones",
        "",
        100 * on_chord / strong.len().max(1)
    );
    let tonic = score.key.tonic_class();
    let ends = notes.last().is_some_and(|n| n.pitch.class() == tonic);
    let _ = writeln!(
        out,
        "  {:<16} ends on the tonic: {}",
        "",
        if ends { "yes" } else { "no" }
    );
    if let Some(contour) = plan.part(PartRole::Melody).and_then(|p| p.contour.as_ref()) {
        let third = notes.len() / 3;
        let mean =
            |s: &[Note]| s.iter().map(|n| n.pitch.0 as f64).sum::<f64>() / s.len().max(1) as f64;
        let (a, b, c) = (
            mean(&notes[..third]),
            mean(&notes[third..2 * third]),
            mean(&notes[2 * third..]),
        );
        let _ = writeln!(
            out,
            "  {:<16} {:?}: mean pitch by thirds {:.1} → {:.1} → {:.1}",
            "", contour.value, a, b, c
        );
    }
}
