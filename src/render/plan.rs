//! The expanded plan as text: each of `Plan::settings` on a row, with its strength and where it
//! came from; then, for a composed piece, how the soft targets were met.

use std::fmt::Write;

use crate::resolve::{MostlyStepwise, PartRole, Plan};
use crate::score::{Note, Score};

/// The plan, one setting a row (for a composed piece: `Plan::as_composed`, without the defaults
/// that gave way).
pub fn render(plan: &Plan) -> String {
    let mut out = String::from("piece\n");
    if let Some(title) = &plan.title {
        let _ = writeln!(out, "  {:<16} {title}", "title");
    }
    let mut part = None;
    for setting in plan.settings() {
        if let Some(role) = setting.scope.part()
            && part != Some(role)
        {
            let _ = writeln!(out, "part {}", role.name());
            part = Some(role);
        }
        let _ = writeln!(
            out,
            "  {:<16} {:<36} {:<5} {}",
            setting.label_in(plan),
            setting.value,
            setting.strength,
            setting.origin
        );
    }
    out
}

/// How the composed piece met the plan's soft targets (and the count constraints).
pub fn report(plan: &Plan, score: &Score) -> String {
    let mut out = String::from("measured (seed ");
    let _ = writeln!(out, "{})", score.seed);
    for gave_way in &score.gave_way {
        let _ = writeln!(out, "  {:<16} {gave_way}", "gave way");
    }
    let parts = score.parts.iter().filter(|p| !p.doubles);
    for (part, part_plan) in parts.zip(&plan.parts) {
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
