//! The Score: notes in ticks, per part. The one model every renderer reads.

use crate::resolve::{PartRole, SectionName};
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
    /// Sorted by start, then pitch.
    pub notes: Vec<Note>,
}

impl Part {
    pub fn name(&self) -> &'static str {
        self.role.name()
    }
}

/// A chord of the harmony and the ticks it sounds for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChordSpan {
    pub start: u32,
    pub end: u32,
    pub chord: Chord,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub title: String,
    pub key: Key,
    pub meter: Meter,
    pub tempo: u32,
    pub bars: u32,
    pub seed: u64,
    /// Eighths played long-short (2:1) in performance; the notes stay written straight.
    pub swing: bool,
    /// Where each section of the form starts (bar, 0-based) and its name.
    pub sections: Vec<(u32, SectionName)>,
    pub harmony: Vec<ChordSpan>,
    pub parts: Vec<Part>,
}

impl Score {
    pub fn total_ticks(&self) -> u32 {
        self.bars * self.meter.bar_ticks()
    }

    pub fn part(&self, role: PartRole) -> Option<&Part> {
        self.parts.iter().find(|p| p.role == role)
    }

    pub fn note_count(&self) -> usize {
        self.parts.iter().map(|p| p.notes.len()).sum()
    }

    /// Playing time in seconds.
    pub fn seconds(&self) -> f64 {
        let quarters = self.total_ticks() as f64 / crate::theory::meter::TICKS_PER_QUARTER as f64;
        quarters * self.meter.micros_per_quarter(self.tempo) as f64 / 1e6
    }

    /// The chord sounding at `tick`.
    pub fn chord_at(&self, tick: u32) -> Option<Chord> {
        self.harmony
            .iter()
            .find(|c| c.start <= tick && tick < c.end)
            .map(|c| c.chord)
    }
}
