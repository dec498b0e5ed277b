//! Pictures: the Score as an SVG piano roll.
//!
//! Time runs left to right with bar lines and bar numbers, pitch bottom to top with a label on
//! every C (`C3`, `C4`, …) and the black-key rows shaded, one colour per part with a legend,
//! the chord names above the bars and section letters where sections start. Long pieces wrap
//! into systems of [`BARS_PER_SYSTEM`] bars, one below the other. Percussion (channel 10) has
//! its own lane under the pitched notes, one row per drum with its General MIDI name.
//!
//! Every note is exactly one `<rect class="note">` (with a `<title>` tooltip), in the system
//! where it starts; nothing else has that class.

use std::fmt::Write;

use crate::parts::DRUM_CHANNEL;
use crate::presets::instruments;
use crate::score::{Note, Part, Score};
use crate::theory::meter::TICKS_PER_QUARTER;

/// Bars in one row of the picture.
pub const BARS_PER_SYSTEM: u32 = 16;

/// Width of a bar in pixels.
const BAR_WIDTH: f64 = 96.0;
const MARGIN: f64 = 16.0;
/// Height of one drum row.
const DRUM_ROW: f64 = 11.0;
/// Space above each system for section letters, chord names and bar numbers.
const SYSTEM_HEAD: f64 = 34.0;
const SYSTEM_GAP: f64 = 26.0;
const FONT: &str = "Helvetica, Arial, sans-serif";

/// Colours that stay apart for colour-blind readers (Okabe–Ito), one per part.
fn colour(part: &Part, index: usize) -> &'static str {
    const SPARE: [&str; 4] = ["#0072B2", "#E69F00", "#8A6D00", "#000000"];
    if part.channel == DRUM_CHANNEL {
        return "#555555";
    }
    match part.name() {
        "melody" => "#D55E00",
        "counter-melody" => "#CC79A7",
        "chords" => "#56B4E9",
        "bass" => "#009E73",
        _ => SPARE[index % SPARE.len()],
    }
}

/// The SVG piano roll of `score`, with its sections marked.
pub fn render(score: &Score) -> String {
    let sections: Vec<(u32, String)> = score
        .sections
        .iter()
        .map(|(bar, name)| (*bar, name.to_string()))
        .collect();
    render_sections(score, &sections)
}

/// The piano roll with section letters: `(bar, name)` marks where a section starts (0-based).
pub fn render_sections(score: &Score, sections: &[(u32, String)]) -> String {
    let padded = score.padded_to_bars();
    let shift = u32::from(score.pickup > 0);
    let sections: Vec<(u32, String)> = sections
        .iter()
        .map(|(bar, name)| (bar + shift, name.clone()))
        .collect();
    let mut picture = Picture::new(&padded);
    picture.piece = score;
    picture.draw(&sections)
}

struct Picture<'a> {
    /// What is drawn: the piece with a pickup's bar filled out in front.
    score: &'a Score,
    /// The piece as it is, for its length and its bars' numbers.
    piece: &'a Score,
    bar_ticks: u32,
    /// Lowest and highest pitch drawn: whole octaves, C to B.
    low: u8,
    high: u8,
    row: f64,
    drums: Vec<u8>,
    left: f64,
    width: f64,
    per_system: u32,
    systems: u32,
    head: f64,
}

impl<'a> Picture<'a> {
    fn new(score: &'a Score) -> Picture<'a> {
        let pitched = || {
            score
                .parts
                .iter()
                .filter(|p| p.channel != DRUM_CHANNEL)
                .flat_map(|p| p.notes.iter().map(|n| n.pitch.0))
        };
        let low = pitched().min().unwrap_or(60) / 12 * 12;
        let high = (pitched().max().unwrap_or(71) / 12 * 12 + 11).min(127);
        let semitones = (high - low + 1) as f64;
        let row = (300.0 / semitones).clamp(4.0, 9.0);
        let mut drums: Vec<u8> = score
            .parts
            .iter()
            .filter(|p| p.channel == DRUM_CHANNEL)
            .flat_map(|p| p.notes.iter().map(|n| n.pitch.0))
            .collect();
        drums.sort_unstable();
        drums.dedup();
        let left = if drums.is_empty() { 44.0 } else { 116.0 };
        let per_system = score.bars.clamp(1, BARS_PER_SYSTEM);
        let systems = score.bars.div_ceil(per_system).max(1);
        let width = left + per_system as f64 * BAR_WIDTH + MARGIN;
        let mut picture = Picture {
            score,
            bar_ticks: score.meter.bar_ticks(),
            piece: score,
            low,
            high,
            row,
            drums,
            left,
            width,
            per_system,
            systems,
            head: 0.0,
        };
        picture.head = 70.0 + picture.legend_lines() as f64 * 20.0;
        picture
    }

    /// The number of the first bar drawn: 0 when it is a pickup's.
    fn first_number(&self) -> u32 {
        u32::from(self.piece.pickup == 0)
    }

    fn pitched_height(&self) -> f64 {
        (self.high - self.low + 1) as f64 * self.row
    }

    fn drum_height(&self) -> f64 {
        if self.drums.is_empty() {
            0.0
        } else {
            6.0 + self.drums.len() as f64 * DRUM_ROW
        }
    }

    fn system_height(&self) -> f64 {
        SYSTEM_HEAD + self.pitched_height() + self.drum_height() + SYSTEM_GAP
    }

    /// Top of system `s`'s grid (below its chord names and bar numbers).
    fn grid_top(&self, s: u32) -> f64 {
        self.head + s as f64 * self.system_height() + SYSTEM_HEAD
    }

    fn x(&self, tick: u32, system: u32) -> f64 {
        let start = system * self.per_system * self.bar_ticks;
        self.left + (tick.saturating_sub(start)) as f64 * BAR_WIDTH / self.bar_ticks as f64
    }

    fn legend_items(&self) -> Vec<String> {
        self.score
            .parts
            .iter()
            .map(|p| {
                if p.channel == DRUM_CHANNEL {
                    format!("{} (percussion)", p.name())
                } else {
                    format!(
                        "{}: {} ({})",
                        p.name(),
                        instruments::name(p.program),
                        p.program
                    )
                }
            })
            .collect()
    }

    /// Legend entries laid out left to right, wrapping at the picture's width: (line, x, text).
    fn legend_layout(&self) -> Vec<(usize, f64, String)> {
        let mut out = Vec::new();
        let (mut line, mut x) = (0, MARGIN);
        for item in self.legend_items() {
            let w = 22.0 + item.chars().count() as f64 * 7.0 + 18.0;
            if x > MARGIN && x + w > self.width - MARGIN {
                line += 1;
                x = MARGIN;
            }
            out.push((line, x, item));
            x += w;
        }
        out
    }

    fn legend_lines(&self) -> usize {
        self.legend_layout().last().map_or(1, |(l, _, _)| l + 1)
    }

    fn draw(&self, sections: &[(u32, String)]) -> String {
        let height = self.head + self.systems as f64 * self.system_height();
        let mut out = String::new();
        let title = escape(&self.score.title);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{height:.0}" viewBox="0 0 {w:.0} {height:.0}" font-family="{FONT}" role="img" aria-label="{title}: piano roll">"#,
            w = self.width
        );
        let _ = writeln!(out, "<title>{title}</title>");
        let _ = writeln!(
            out,
            r##"<rect class="background" x="0" y="0" width="{:.0}" height="{height:.0}" fill="#ffffff"/>"##,
            self.width
        );
        self.draw_header(&mut out);
        for s in 0..self.systems {
            self.draw_system(&mut out, s, sections);
        }
        out.push_str("</svg>\n");
        out
    }

    fn draw_header(&self, out: &mut String) {
        let s = self.score;
        let _ = writeln!(
            out,
            r##"<text class="title" x="{MARGIN}" y="26" font-size="20" font-weight="bold" fill="#222">{}</text>"##,
            escape(&s.title)
        );
        let _ = writeln!(
            out,
            r##"<text class="subtitle" x="{MARGIN}" y="46" font-size="12" fill="#555">{} · {} · {} bpm · {} bars · seed {} · {}</text>"##,
            escape(&s.key.to_string()),
            s.meter,
            s.tempo,
            self.piece.bars,
            s.seed,
            super::duration(self.piece)
        );
        let _ = writeln!(out, r#"<g class="legend" font-size="12">"#);
        for ((line, x, text), (i, part)) in self
            .legend_layout()
            .into_iter()
            .zip(self.score.parts.iter().enumerate())
        {
            let y = 56.0 + line as f64 * 20.0;
            let _ = writeln!(
                out,
                r##"<rect class="swatch" x="{x:.1}" y="{y:.1}" width="16" height="10" rx="2" fill="{}"/><text x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
                colour(part, i),
                x + 22.0,
                y + 9.5,
                escape(&text)
            );
        }
        out.push_str("</g>\n");
    }

    fn draw_system(&self, out: &mut String, s: u32, sections: &[(u32, String)]) {
        let top = self.grid_top(s);
        let first_bar = s * self.per_system;
        let last_bar = ((s + 1) * self.per_system).min(self.score.bars);
        let (start, end) = (first_bar * self.bar_ticks, last_bar * self.bar_ticks);
        let right = self.x(end, s);
        let pitched = self.pitched_height();
        let bottom = top + pitched + self.drum_height();
        let _ = writeln!(out, r#"<g class="system" id="system-{}">"#, s + 1);
        self.draw_keyboard(out, top, right);
        if !self.drums.is_empty() {
            self.draw_drum_lane(out, top + pitched + 6.0, right);
        }
        self.draw_bar_lines(out, s, (first_bar, last_bar), (top, bottom), sections);
        let _ = writeln!(
            out,
            r##"<line class="bar-line" x1="{right:.1}" y1="{top:.1}" x2="{right:.1}" y2="{bottom:.1}" stroke="#9a9aa6" stroke-width="1"/>"##
        );
        self.draw_chord_names(out, s, (start, end), top, sections);
        self.draw_notes(out, s, (start, end), top);
        out.push_str("</g>\n");
    }

    /// The piano-roll background: black-key rows shaded, a line and a label on every C.
    fn draw_keyboard(&self, out: &mut String, top: f64, right: f64) {
        for pitch in self.low..=self.high {
            let y = top + (self.high - pitch) as f64 * self.row;
            if matches!(pitch % 12, 1 | 3 | 6 | 8 | 10) {
                let _ = writeln!(
                    out,
                    r##"<rect class="key" x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="#f1f1f4"/>"##,
                    self.left,
                    right - self.left,
                    self.row
                );
            }
            if pitch % 12 == 0 {
                let y = y + self.row;
                let _ = writeln!(
                    out,
                    r##"<line x1="{:.1}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}" stroke="#c8c8d0" stroke-width="1"/><text class="octave" x="{:.1}" y="{:.1}" font-size="10" text-anchor="end" fill="#666">C{}</text>"##,
                    self.left,
                    self.left - 5.0,
                    y - 1.0,
                    pitch as i32 / 12 - 1
                );
            }
        }
    }

    /// The drum lane under the pitched rows, each drum named.
    fn draw_drum_lane(&self, out: &mut String, lane: f64, right: f64) {
        let _ = writeln!(
            out,
            r##"<rect class="drum-lane" x="{:.1}" y="{lane:.1}" width="{:.1}" height="{:.1}" fill="#f7f3ec"/>"##,
            self.left,
            right - self.left,
            self.drums.len() as f64 * DRUM_ROW
        );
        for (i, key) in self.drums.iter().enumerate() {
            let y = lane + (i as f64 + 1.0) * DRUM_ROW - 2.5;
            let _ = writeln!(
                out,
                r##"<text class="drum-name" x="{:.1}" y="{y:.1}" font-size="9" text-anchor="end" fill="#555">{}</text>"##,
                self.left - 5.0,
                escape(&instruments::drum_name(*key))
            );
        }
    }

    /// Beat lines, bar lines, bar numbers, section letters.
    fn draw_bar_lines(
        &self,
        out: &mut String,
        s: u32,
        (first_bar, last_bar): (u32, u32),
        (top, bottom): (f64, f64),
        sections: &[(u32, String)],
    ) {
        let beat = self.score.meter.beat_ticks();
        for bar in first_bar..last_bar {
            let x = self.x(bar * self.bar_ticks, s);
            for b in 1..self.bar_ticks.div_ceil(beat) {
                let xb = self.x(bar * self.bar_ticks + b * beat, s);
                let _ = writeln!(
                    out,
                    r##"<line x1="{xb:.1}" y1="{top:.1}" x2="{xb:.1}" y2="{bottom:.1}" stroke="#e2e2e8" stroke-width="1"/>"##
                );
            }
            let section = sections.iter().find(|(b, _)| *b == bar);
            let (stroke, w) = if section.is_some() {
                ("#333", 2.0)
            } else {
                ("#9a9aa6", 1.0)
            };
            let _ = writeln!(
                out,
                r##"<line class="bar-line" x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="{stroke}" stroke-width="{w}"/><text class="bar-number" x="{:.1}" y="{:.1}" font-size="10" fill="#888">{}</text>"##,
                x + 2.0,
                top - 4.0,
                bar + self.first_number()
            );
            if let Some((_, name)) = section {
                let y = top - SYSTEM_HEAD;
                let _ = writeln!(
                    out,
                    r##"<g class="section"><rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="15" rx="3" fill="#333"/><text x="{:.1}" y="{:.1}" font-size="11" font-weight="bold" fill="#fff">{}</text></g>"##,
                    10.0 + name.chars().count() as f64 * 7.0,
                    x + 5.0,
                    y + 11.5,
                    escape(name)
                );
            }
        }
    }

    /// Chord names above the bars (after a section letter, when one starts there).
    fn draw_chord_names(
        &self,
        out: &mut String,
        s: u32,
        (start, end): (u32, u32),
        top: f64,
        sections: &[(u32, String)],
    ) {
        for span in &self.score.harmony {
            if span.start < start || span.start >= end {
                continue;
            }
            let bar = span.start / self.bar_ticks;
            let shift = sections
                .iter()
                .find(|(b, n)| *b == bar && b * self.bar_ticks == span.start && !n.is_empty())
                .map_or(0.0, |(_, n)| 14.0 + n.chars().count() as f64 * 7.0);
            let _ = writeln!(
                out,
                r##"<text class="chord" x="{:.1}" y="{:.1}" font-size="12" font-weight="bold" fill="#333">{}</text>"##,
                self.x(span.start, s) + 2.0 + shift,
                top - SYSTEM_HEAD + 12.0,
                escape(&span.chord.to_string())
            );
        }
    }

    /// The notes: accompaniment first, so the melody is drawn on top.
    fn draw_notes(&self, out: &mut String, s: u32, (start, end): (u32, u32), top: f64) {
        let parts: Vec<(usize, &Part)> = self.score.parts.iter().enumerate().collect();
        for &(i, part) in parts.iter().rev() {
            let from = part.notes.partition_point(|n| n.start < start);
            let to = part.notes.partition_point(|n| n.start < end);
            let fill = colour(part, i);
            let _ = writeln!(
                out,
                r#"<g class="part" data-part="{}" fill="{fill}">"#,
                part.name()
            );
            for note in &part.notes[from..to] {
                self.draw_note(out, s, part, note, top, end);
            }
            out.push_str("</g>\n");
        }
    }

    fn draw_note(&self, out: &mut String, s: u32, part: &Part, note: &Note, top: f64, end: u32) {
        let x = self.x(note.start, s);
        let bar = note.start / self.bar_ticks + self.first_number();
        let (y, height, width, label) = if part.channel == DRUM_CHANNEL {
            let i = self.drums.binary_search(&note.pitch.0).unwrap_or(0);
            let y = top + self.pitched_height() + 6.0 + i as f64 * DRUM_ROW + 1.5;
            let ticks = note.duration.min(TICKS_PER_QUARTER / 2);
            let width = (ticks as f64 * BAR_WIDTH / self.bar_ticks as f64).max(3.0);
            (
                y,
                DRUM_ROW - 3.0,
                width,
                instruments::drum_name(note.pitch.0),
            )
        } else {
            let y = top + (self.high - note.pitch.0) as f64 * self.row;
            let ticks = note.end().min(end) - note.start;
            let width = (ticks as f64 * BAR_WIDTH / self.bar_ticks as f64 - 1.0).max(1.5);
            (y, self.row, width, self.score.key.name_pitch(note.pitch))
        };
        let _ = writeln!(
            out,
            r##"<rect class="note" x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{height:.1}" rx="1" stroke="#00000055" stroke-width="0.5"><title>{} {} (bar {bar})</title></rect>"##,
            part.name(),
            escape(&label)
        );
    }
}

/// Text safe inside an XML element or attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}"
        );
    }
}
