//! The Score: notes in ticks, per part. The one model every renderer reads.

pub use crate::presets::Swing;
use crate::resolve::{GaveWay, PartRole, SectionName};
use crate::theory::{Chord, Key, Meter, Pitch};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Note {
    pub start: u32,
    pub duration: u32,
    pub pitch: Pitch,
    pub velocity: u8,
}

impl Note {
    pub fn end(&self) -> u32 {
        self.start + self.duration
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub role: PartRole,
    /// General MIDI program, 1-based.
    pub program: u8,
    /// MIDI channel, 0-based.
    pub channel: u8,
    /// Doubles the line of the part of its role before it (`melody: violin and flute`).
    pub doubles: bool,
    /// Sorted by start, then pitch.
    pub notes: Vec<Note>,
    /// How loud it is played, as a dynamic level (1 `ppp` to 8 `fff`), from each tick where
    /// that changes; the first holds from the start. Its velocities sit around each level.
    pub dynamics: Vec<(u32, u8)>,
}

impl Part {
    pub fn name(&self) -> &'static str {
        self.role.name()
    }

    /// The track's name: the role, and for a doubling instrument its name too
    /// (`melody (flute)`).
    pub fn label(&self) -> String {
        label(self.role, self.program, self.doubles)
    }
}

/// A track's or staff's name: the role, and for a doubling instrument its name too.
pub fn label(role: PartRole, program: u8, doubles: bool) -> String {
    if doubles {
        format!(
            "{} ({})",
            role.name(),
            crate::presets::instruments::name(program)
        )
    } else {
        role.name().to_string()
    }
}

/// A chord of the harmony and the ticks it sounds for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChordSpan {
    pub start: u32,
    pub end: u32,
    pub chord: Chord,
}

/// The span of `harmony` (in order, gap-free) sounding at `tick`, by binary search, so long
/// pieces stay linear.
pub fn span_at(harmony: &[ChordSpan], tick: u32) -> Option<&ChordSpan> {
    let i = harmony.partition_point(|c| c.end <= tick);
    harmony.get(i).filter(|c| c.start <= tick)
}

/// What changes at a bar: the key, the meter or the tempo, from there to the next change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Key(Key),
    /// The quarter keeps its tempo across a change of meter.
    Meter(Meter),
    /// Beats a minute of the meter's beat, as `Score::tempo`.
    Tempo(u32),
}

/// A crescendo or diminuendo over whole bars: the velocities rise or fall over them, and the
/// notation draws a wedge from the first bar's start to the last bar's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hairpin {
    /// The first bar (0-based).
    pub from: u32,
    /// The bar after the last.
    pub to: u32,
    /// A crescendo (louder) or a diminuendo.
    pub louder: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub title: String,
    pub key: Key,
    pub meter: Meter,
    pub tempo: u32,
    pub bars: u32,
    pub seed: u64,
    /// Eighths (or sixteenths) played long-short (2:1) in performance; the notes stay written
    /// straight.
    pub swing: Option<Swing>,
    /// The anacrusis: ticks of melody before bar 1's downbeat (0: none). Bar lines fall at
    /// `pickup + k * bar`, and the last bar is that much shorter, so `bars` bars still last
    /// `bars` bars.
    pub pickup: u32,
    /// Where each section of the form starts (bar, 0-based) and its name.
    pub sections: Vec<(u32, SectionName)>,
    /// Keys, meters and tempi that take over at a bar (0-based, after bar 0), in bar order;
    /// `key`, `meter` and `tempo` hold before the first. A section line changes the key,
    /// the meter and the tempo (`section chorus: in E major, 3/4, 100 bpm`).
    pub changes: Vec<(u32, Change)>,
    /// The sections that swell or fade (`section bridge: crescendo`), in bar order.
    pub hairpins: Vec<Hairpin>,
    pub harmony: Vec<ChordSpan>,
    pub parts: Vec<Part>,
    /// The Plan's defaults this music does without (read the Plan through `Plan::as_composed`).
    pub gave_way: Vec<GaveWay>,
}

impl Score {
    pub fn total_ticks(&self) -> u32 {
        self.bar_start(self.bars) - self.pickup
    }

    /// The meter of bar `bar` (0-based).
    pub fn meter_at(&self, bar: u32) -> Meter {
        self.meter_changes()
            .take_while(|(b, _)| *b <= bar)
            .last()
            .map_or(self.meter, |(_, m)| m)
    }

    /// The key of bar `bar` (0-based).
    pub fn key_at(&self, bar: u32) -> Key {
        let keys = self.changes.iter().filter_map(|(b, c)| match c {
            Change::Key(key) => Some((*b, *key)),
            _ => None,
        });
        keys.take_while(|(b, _)| *b <= bar)
            .last()
            .map_or(self.key, |(_, k)| k)
    }

    fn meter_changes(&self) -> impl Iterator<Item = (u32, Meter)> + '_ {
        self.changes.iter().filter_map(|(b, c)| match c {
            Change::Meter(meter) => Some((*b, *meter)),
            _ => None,
        })
    }

    /// The tempo of bar `bar` (0-based).
    pub fn tempo_at(&self, bar: u32) -> u32 {
        let tempi = self.changes.iter().filter_map(|(b, c)| match c {
            Change::Tempo(bpm) => Some((*b, *bpm)),
            _ => None,
        });
        tempi
            .take_while(|(b, _)| *b <= bar)
            .last()
            .map_or(self.tempo, |(_, t)| t)
    }

    /// Where bar `bar` (0-based) starts: the pickup is bar 1's upbeat. Bar 0 of a piece with a
    /// pickup starts at the pickup's end. Each bar is as long as its meter's.
    pub fn bar_start(&self, bar: u32) -> u32 {
        let (mut start, mut from, mut meter) = (self.pickup, 0, self.meter);
        for (b, next) in self.meter_changes().take_while(|(b, _)| *b < bar) {
            start += (b - from) * meter.bar_ticks();
            (from, meter) = (b, next);
        }
        start + (bar - from) * meter.bar_ticks()
    }

    /// The bar (0-based) that `tick` falls in; the pickup counts as bar 0.
    pub fn bar_at(&self, tick: u32) -> u32 {
        // The last bar starting at or before `tick`, by bisection.
        let (mut low, mut high) = (0, self.bars.max(1));
        while high - low > 1 {
            let middle = (low + high) / 2;
            if self.bar_start(middle) <= tick {
                low = middle;
            } else {
                high = middle;
            }
        }
        low
    }

    /// The section that opens measure `number` (as `measures` numbers them), if one does.
    pub fn section_opening(&self, number: u32) -> Option<SectionName> {
        let bar = number.checked_sub(1)?;
        // The sections are in order of their bars: a binary search keeps long forms linear.
        let i = self.sections.partition_point(|(b, _)| *b < bar);
        self.sections
            .get(i)
            .filter(|(b, _)| *b == bar)
            .map(|(_, name)| *name)
    }

    /// The measures as written: (number, start, end). A pickup is measure 0, and the last
    /// measure is that much shorter.
    pub fn measures(&self) -> Vec<(u32, u32, u32)> {
        let pickup = (self.pickup > 0).then_some((0, 0, self.pickup));
        let end = self.total_ticks();
        let bars = (0..self.bars).map(|bar| {
            let start = self.bar_start(bar);
            (
                bar + 1,
                start,
                (start + self.meter_at(bar).bar_ticks()).min(end),
            )
        });
        pickup.into_iter().chain(bars).collect()
    }

    /// The piece from bar 1's downbeat on, on bars that start at multiples of the bar: the
    /// pickup left out (and the time the last bar gave it back left silent). For measures
    /// counted bar by bar.
    pub fn from_bar_one(&self) -> std::borrow::Cow<'_, Score> {
        if self.pickup == 0 {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut shifted = self.clone();
        for part in &mut shifted.parts {
            part.notes.retain(|n| n.start >= self.pickup);
            for note in &mut part.notes {
                note.start -= self.pickup;
            }
        }
        for span in &mut shifted.harmony {
            span.start = span.start.saturating_sub(self.pickup);
            span.end = span.end.saturating_sub(self.pickup);
        }
        shifted.pickup = 0;
        std::borrow::Cow::Owned(shifted)
    }

    /// The piece with the rest of the pickup's bar before it as silence, so that bar lines
    /// fall on multiples of the bar (for the piano roll): `bars` counts that bar too.
    pub fn padded_to_bars(&self) -> std::borrow::Cow<'_, Score> {
        if self.pickup == 0 {
            return std::borrow::Cow::Borrowed(self);
        }
        let lead = self.meter.bar_ticks() - self.pickup;
        let mut padded = self.clone();
        for note in padded.parts.iter_mut().flat_map(|p| p.notes.iter_mut()) {
            note.start += lead;
        }
        for span in &mut padded.harmony {
            (span.start, span.end) = (span.start + lead, span.end + lead);
        }
        for (bar, _) in &mut padded.sections {
            *bar += 1;
        }
        for (bar, _) in &mut padded.changes {
            *bar += 1;
        }
        padded.pickup = 0;
        padded.bars += 1;
        std::borrow::Cow::Owned(padded)
    }

    pub fn part(&self, role: PartRole) -> Option<&Part> {
        self.parts.iter().find(|p| p.role == role)
    }

    pub fn note_count(&self) -> usize {
        self.parts.iter().map(|p| p.notes.len()).sum()
    }

    /// Playing time in seconds.
    pub fn seconds(&self) -> f64 {
        let quarter = crate::theory::meter::TICKS_PER_QUARTER as f64;
        if !self
            .changes
            .iter()
            .any(|(_, c)| matches!(c, Change::Tempo(_)))
        {
            let micros = self.meter.micros_per_quarter(self.tempo) as f64;
            return self.total_ticks() as f64 / quarter * micros / 1e6;
        }
        // Bar by bar, each at its own tempo and meter (the pickup at the first bar's).
        let end = self.total_ticks();
        (0..self.bars.max(1))
            .map(|bar| {
                let from = if bar == 0 { 0 } else { self.bar_start(bar) };
                let to = self.bar_start(bar + 1).min(end);
                let micros = self.meter_at(bar).micros_per_quarter(self.tempo_at(bar));
                to.saturating_sub(from) as f64 / quarter * micros as f64 / 1e6
            })
            .sum()
    }

    /// When a written tick sounds: with swing (in simple meters), the off-beat eighth of each
    /// quarter (or sixteenth of each eighth) starts late (2:1) and every time in between moves
    /// in proportion, so order and bar lines are kept. Every renderer that plays the Score
    /// uses this.
    pub fn performed(&self, tick: u32) -> u32 {
        let quarter = crate::theory::meter::TICKS_PER_QUARTER;
        // The span a swung pair fills.
        let q = match self.swing {
            _ if self.meter.is_compound() => return tick,
            None => return tick,
            Some(Swing::Eighths) => quarter,
            Some(Swing::Sixteenths) => quarter / 2,
        };
        // Beats count from the bar lines, which a pickup moves: count in a time where they
        // fall on multiples of the beat, then come back.
        let lead = q - self.pickup % q;
        let shifted = tick + lead;
        let (base, within) = (shifted - shifted % q, shifted % q);
        let (half, long) = (q / 2, q * 2 / 3);
        let swung = if within <= half {
            within * long / half
        } else {
            long + (within - half) * (q - long) / half
        };
        base + swung - lead
    }

    /// The chord sounding at `tick`.
    pub fn chord_at(&self, tick: u32) -> Option<Chord> {
        span_at(&self.harmony, tick).map(|c| c.chord)
    }
}

/// Small hand-made scores for the renderers' and the notation's unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::theory::{ChordQuality, Letter, Mode, NoteName};

    /// Two bars in `meter`, C major, one C chord, a melody of `notes`.
    pub fn melody_over_c(meter: Meter, notes: Vec<Note>) -> Score {
        let c = NoteName::new(Letter::C, 0);
        Score {
            title: "t".into(),
            key: Key::new(c, Mode::Major),
            meter,
            tempo: 120,
            bars: 2,
            seed: 0,
            swing: None,
            gave_way: Vec::new(),
            pickup: 0,
            sections: Vec::new(),
            changes: Vec::new(),
            hairpins: Vec::new(),
            harmony: vec![ChordSpan {
                start: 0,
                end: 2 * meter.bar_ticks(),
                chord: Chord::new(c, ChordQuality::Major),
            }],
            parts: vec![Part {
                role: PartRole::Melody,
                program: 1,
                channel: 0,
                doubles: false,
                notes,
                dynamics: Vec::new(),
            }],
        }
    }

    /// A note at velocity 80.
    pub fn n(start: u32, duration: u32, pitch: u8) -> Note {
        Note {
            start,
            duration,
            pitch: Pitch(pitch),
            velocity: 80,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::{Letter, Mode, NoteName};

    #[test]
    fn swing_delays_the_off_beat_eighth_and_keeps_the_beats() {
        let mut score = Score {
            title: String::new(),
            key: Key::new(NoteName::new(Letter::C, 0), Mode::Major),
            meter: Meter::new(4, 4).unwrap(),
            tempo: 120,
            bars: 2,
            seed: 0,
            swing: Some(Swing::Eighths),
            pickup: 0,
            sections: Vec::new(),
            changes: Vec::new(),
            hairpins: Vec::new(),
            harmony: Vec::new(),
            parts: Vec::new(),
            gave_way: Vec::new(),
        };
        let swung: Vec<u32> = [0, 240, 360, 480, 480 * 7 + 240]
            .map(|t| score.performed(t))
            .to_vec();
        assert_eq!(swung, [0, 320, 400, 480, 480 * 7 + 320]);
        score.swing = None;
        assert_eq!(score.performed(240), 240);
        // Swung sixteenths: each eighth's second sixteenth late, the eighths where written.
        score.swing = Some(Swing::Sixteenths);
        let swung: Vec<u32> = [0, 120, 180, 240, 360, 480]
            .map(|t| score.performed(t))
            .to_vec();
        assert_eq!(swung, [0, 160, 200, 240, 400, 480]);
    }

    #[test]
    fn a_pickup_moves_the_bar_lines_and_the_last_bar_gives_it_back() {
        let mut score = fixtures::melody_over_c(Meter::new(4, 4).unwrap(), Vec::new());
        score.pickup = 240;
        assert_eq!(
            score.measures(),
            [(0, 0, 240), (1, 240, 2160), (2, 2160, 3840)]
        );
        assert_eq!(score.bar_start(1), 2160);
        // Swing counts beats from the bar lines: the pickup's eighth is an off-beat.
        score.swing = Some(Swing::Eighths);
        assert_eq!(score.performed(0), 80);
        assert_eq!(score.performed(240), 240);
        let padded = score.padded_to_bars();
        assert_eq!((padded.bars, padded.pickup), (3, 0));
        assert_eq!(score.from_bar_one().pickup, 0);
    }

    #[test]
    fn a_change_of_meter_moves_the_later_bar_lines() {
        let mut score = fixtures::melody_over_c(Meter::new(4, 4).unwrap(), Vec::new());
        score.bars = 4;
        score.pickup = 480;
        let three = Meter::new(3, 4).unwrap();
        let d = Key::new(NoteName::new(Letter::D, 0), Mode::Major);
        score.changes = vec![(1, Change::Key(d)), (2, Change::Meter(three))];
        assert_eq!(score.meter_at(1), score.meter);
        assert_eq!(score.meter_at(3), three);
        assert_eq!((score.key_at(0), score.key_at(3)), (score.key, d));
        let starts: Vec<u32> = (0..=4).map(|b| score.bar_start(b)).collect();
        assert_eq!(starts, [480, 2400, 4320, 5760, 7200]);
        // The last bar gives the pickup back.
        assert_eq!(score.total_ticks(), 6720);
        assert_eq!(score.measures().last(), Some(&(4, 5760, 6720)));
        let padded = score.padded_to_bars();
        assert_eq!(
            (padded.meter_at(2), padded.meter_at(3)),
            (score.meter, three)
        );
        let bars: Vec<u32> = [0, 479, 480, 4319, 4320, 5760, 6719]
            .map(|t| score.bar_at(t))
            .to_vec();
        assert_eq!(bars, [0, 0, 0, 1, 2, 3, 3]);
    }
}
