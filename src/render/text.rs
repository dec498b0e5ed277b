//! The text listing: bar by bar, the chord and each part's notes, aligned for easy diffs.

use std::fmt::Write;

use crate::presets::{self, Swing, instruments};
use crate::resolve::PartRole;
use crate::score::{Note, Part, Score};
use crate::theory::meter::length_name;

pub fn render(score: &Score) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "title: {}", score.title);
    let _ = writeln!(
        out,
        "key: {}  meter: {}  tempo: {} bpm{}  bars: {}  seed: {}",
        score.key,
        score.meter,
        score.tempo,
        match score.swing {
            Some(Swing::Eighths) => " swung",
            Some(Swing::Sixteenths) => " swung sixteenths",
            None => "",
        },
        score.bars,
        score.seed
    );
    let form: Vec<String> = score.sections.iter().map(|(_, s)| s.to_string()).collect();
    let _ = writeln!(out, "form: {}", form.join(" "));
    for part in &score.parts {
        if part.role == PartRole::Drums {
            let _ = writeln!(
                out,
                "part drums: standard kit, channel {}",
                part.channel + 1
            );
            continue;
        }
        let _ = writeln!(
            out,
            "part {}{}: {} (program {}), channel {}",
            part.name(),
            if part.doubles { " doubled by" } else { "" },
            instruments::name(part.program),
            part.program,
            part.channel + 1
        );
    }
    for (number, start, end) in score.measures() {
        let from = score.harmony.partition_point(|c| c.start < start);
        let to = score.harmony.partition_point(|c| c.start < end);
        let chords: Vec<String> = score.harmony[from..to]
            .iter()
            .map(|c| c.chord.to_string())
            .collect();
        if let Some(s) = score.section_opening(number) {
            let _ = writeln!(out, "\nsection {s}");
        }
        let _ = writeln!(out, "\nbar {number:>3} | {}", chords.join(" "));
        // A doubling plays its part's notes: they are listed once.
        for part in score.parts.iter().filter(|p| !p.doubles) {
            let notes = if part.role == PartRole::Drums {
                drum_bar(part, start, end)
            } else {
                bar_notes(score, part, start, end)
            };
            let _ = writeln!(out, "  {:<14} {}", part.name(), notes.trim_end());
        }
    }
    out
}

/// A bar of drums as a step grid per drum, as a `drums:` line is written: `kick x...x...`.
fn drum_bar(part: &Part, start: u32, end: u32) -> String {
    let from = part.notes.partition_point(|n| n.start < start);
    let to = part.notes.partition_point(|n| n.start < end);
    let notes = &part.notes[from..to];
    let gcd = |a: u32, b: u32| {
        let (mut a, mut b) = (a, b);
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let step = notes
        .iter()
        .fold(end - start, |g, n| gcd(g, n.start - start))
        .max(1);
    let mut keys: Vec<u8> = notes.iter().map(|n| n.pitch.0).collect();
    keys.sort_unstable();
    keys.dedup();
    let rows: Vec<String> = keys
        .iter()
        .map(|&key| {
            let grid: String = (0..(end - start) / step)
                .map(|i| {
                    match notes
                        .iter()
                        .find(|n| n.pitch.0 == key && n.start == start + i * step)
                    {
                        Some(n) if n.velocity >= 115 => 'X',
                        Some(_) => 'x',
                        None => '.',
                    }
                })
                .collect();
            let name = presets::DRUM_KIT
                .iter()
                .find(|(_, k)| *k == key)
                .map_or("drum", |(n, _)| n);
            format!("{name} {grid}")
        })
        .collect();
    rows.join("  ")
}

/// The notes starting in `[start, end)`, chords of simultaneous notes grouped in brackets.
fn bar_notes(score: &Score, part: &Part, start: u32, end: u32) -> String {
    // Notes are sorted by start: find the bar's slice by binary search, not by scanning.
    let from = part.notes.partition_point(|n| n.start < start);
    let to = part.notes.partition_point(|n| n.start < end);
    let notes: Vec<&Note> = part.notes[from..to].iter().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < notes.len() {
        let group: Vec<&Note> = notes[i..]
            .iter()
            .take_while(|n| n.start == notes[i].start)
            .copied()
            .collect();
        let names: Vec<String> = group
            .iter()
            .map(|n| score.key.name_pitch(n.pitch))
            .collect();
        let pitch = if names.len() == 1 {
            names[0].clone()
        } else {
            format!("[{}]", names.join(" "))
        };
        let _ = write!(
            out,
            "{:<8}",
            format!("{pitch} {}", length_name(group[0].duration))
        );
        out.push(' ');
        i += group.len();
    }
    out
}
