//! Notation: the Score as measures of written notes, the one reading of it that every
//! notation renderer (ABC, MusicXML) prints. It decides note values, ties, triplets, beams,
//! pitch spelling, the accidentals to print, clefs, chord symbols, section starts and repeats;
//! renderers only print what it decided.
//!
//! - Every pitched part gets a staff; the drums (MIDI channel 10) a percussion staff of
//!   their own, whose notes' pitches are General MIDI percussion keys, each spelled at the
//!   place on the staff where that drum is written (see `drums`).
//! - A measure is cut into events wherever a note starts or ends, and on the top staff also
//!   where the chord changes, so each chord symbol has a note or rest to sit on. An event
//!   whose length is no plain or dotted value is written as tied values, longest first.
//! - Lengths off the 32nd-note grid but on the triplet grid are triplets: three written in the
//!   time of two.
//! - Pitches are spelled in the key, on the tonic its signature is written with; see
//!   `accidentals` for which accidentals are printed.
//! - A sixteenth followed by a rest within its beat is a staccato eighth (`staccato`); a drum
//!   hit is held to the next one (`drums::held`).
//! - Piccolo, glockenspiel, guitars, basses … are written an octave or two from where they
//!   sound, as their players read them (`transposing`).

mod accidentals;
mod beams;
mod drums;
mod repeats;
mod rhythm;
mod staccato;
mod transposing;

#[cfg(test)]
mod tests;

use crate::parts::DRUM_CHANNEL;
use crate::resolve::{PartRole, SectionName};
use crate::score::{Change, Hairpin, Note, Part, Score};
use crate::theory::{
    Accidental, Chord, Key, KeySignature, Meter, NoteName, NoteValue, Pitch, Spelling,
};
pub use drums::position as drum_position;
pub use repeats::Repeat;

/// The whole piece as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notation {
    pub meter: Meter,
    /// The key the notes are spelled in: the Score's, on its signature's tonic.
    pub key: Key,
    pub signature: KeySignature,
    /// One per pitched part, in the Score's order; the first carries the chord symbols.
    pub staves: Vec<Staff>,
    /// The drums, if the piece has them: one percussion staff whose notes' pitches are keys,
    /// as its voices, each a `Staff` of its own measures. Two where the kit plays hands and
    /// feet, as drummers read it (`drums::voices`): hands (cymbals, snare, toms) stems up,
    /// then feet (bass drum, pedal hi-hat) stems down; else one.
    pub drums: Vec<Staff>,
    /// Where the form repeats a section, in order: the measures written once and played
    /// twice (every staff's measures hold both passes).
    pub repeats: Vec<Repeat>,
}

impl Notation {
    /// The indices of the measures to write: all but the second passes of repeats.
    pub fn written(&self) -> Vec<usize> {
        let count = self
            .staves
            .first()
            .or(self.drums.first())
            .map_or(0, |s| s.measures.len());
        (0..count)
            .filter(|&i| !self.repeats.iter().any(|r| r.skips(i)))
            .collect()
    }

    /// Whether the bar line after measure `m`, which `next` follows on the page, is a double
    /// bar: before a new section, key or meter, where musicians draw one. Not after a pickup,
    /// nor where a repeat sign stands (it marks the place already).
    pub fn double_bar(&self, m: usize, next: Option<usize>) -> bool {
        let (Some(next), Some(staff)) = (next, self.staves.first().or(self.drums.first())) else {
            return false;
        };
        let after = &staff.measures[next];
        let change = after.section.is_some() || after.key.is_some() || after.meter.is_some();
        let repeat_sign = self
            .repeat_at(m)
            .is_some_and(|r| r.last_of_first_pass() == m)
            || self.repeat_at(next).is_some_and(|r| r.start == next);
        change && !repeat_sign && staff.measures[m].number > 0
    }

    /// The repeat that measure `i` starts, ends the first pass of, or is an ending of.
    pub fn repeat_at(&self, i: usize) -> Option<&Repeat> {
        self.repeats
            .iter()
            .find(|r| i >= r.start && i < r.start + 2 * r.pass())
    }
}

/// One part on its own staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staff {
    pub role: PartRole,
    /// General MIDI program, 1-based.
    pub program: u8,
    /// MIDI channel, 0-based.
    pub channel: u8,
    /// Doubles the line of the staff of its role before it.
    pub doubles: bool,
    pub clef: Clef,
    /// Octaves its notes sound above where they are written (a transposing part: piccolo 1,
    /// glockenspiel 2, bass guitar -1); the `measures` hold the written pitches.
    pub transpose: i8,
    /// One per bar of the Score.
    pub measures: Vec<Measure>,
}

impl Staff {
    /// The staff's name: the role, and for a doubling instrument its name too.
    pub fn label(&self) -> String {
        crate::score::label(self.role, self.program, self.doubles)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Clef {
    Treble,
    /// A treble clef with an 8 over it: the notes sound an octave above the staff's (whistle).
    TrebleOctaveUp,
    /// A treble clef with an 8 under it: the notes sound an octave below the staff's (guitar).
    TrebleOctaveDown,
    Bass,
    /// The drums' staff: positions name instruments, not pitches.
    Percussion,
}

impl Clef {
    /// Octaves the notes sound above where the plain clef would put them.
    pub fn octave(self) -> i8 {
        match self {
            Clef::TrebleOctaveUp => 1,
            Clef::TrebleOctaveDown => -1,
            _ => 0,
        }
    }

    /// The clef that needs fewer ledger lines for `notes`, counted as semitones outside the
    /// staff: treble's E4 to F5, bass's G2 to A3. Treble on a tie (and for no notes).
    pub fn for_notes(notes: &[Note]) -> Clef {
        let outside = |low: u8, high: u8| -> u32 {
            let outside = |p: u8| low.saturating_sub(p).max(p.saturating_sub(high)) as u32;
            notes.iter().map(|n| outside(n.pitch.0)).sum()
        };
        if outside(43, 57) < outside(64, 77) {
            Clef::Bass
        } else {
            Clef::Treble
        }
    }
}

/// One bar of one staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// 1-based, as musicians count bars.
    pub number: u32,
    /// The section of the form that starts with this measure.
    pub section: Option<SectionName>,
    /// The dynamic level (1 `ppp` to 8 `fff`) to mark at its start: the part's first, then
    /// wherever it changes.
    pub dynamic: Option<u8>,
    /// A new key signature from this measure on, where the key changes (the opening one is
    /// the notation's).
    pub key: Option<KeySignature>,
    /// A new time signature from this measure on, where the meter changes.
    pub meter: Option<Meter>,
    /// A new tempo from this measure on (beats a minute of its meter's beat), where a section
    /// changes it; the opening tempo is the Score's.
    pub tempo: Option<u32>,
    /// A crescendo or diminuendo wedge that opens at this measure's start.
    pub wedge: Option<Wedge>,
    /// The wedge that closes at this measure's end, if one does.
    pub wedge_closes: Option<Wedge>,
    pub events: Vec<Event>,
}

/// A hairpin as drawn: opening (crescendo) or closing (diminuendo).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wedge {
    Crescendo,
    Diminuendo,
}

/// A note, a chord of notes struck together, or a rest (no notes), with its written length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub length: Length,
    /// Lowest first; empty for a rest.
    pub notes: Vec<WrittenNote>,
    /// The chord symbol printed over this event, where the harmony changes.
    pub chord_symbol: Option<ChordSymbol>,
    pub tuplet: Option<Tuplet>,
    /// How its stem is beamed to its neighbours', a mark per beam from the eighth's down;
    /// empty when it is not beamed.
    pub beams: Vec<Beam>,
    /// Played short: written twice as long as each note `sounds` (see `staccato`).
    pub staccato: bool,
}

/// A chord symbol: the chord, and the bass under it where that is another chord tone than
/// the root (`C/E`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChordSymbol {
    pub chord: Chord,
    pub bass: Option<NoteName>,
}

impl std::fmt::Display for ChordSymbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.bass {
            Some(bass) => write!(f, "{}/{bass}", self.chord),
            None => write!(f, "{}", self.chord),
        }
    }
}

/// One beam at one event: where a group's beam starts, goes on or ends, or a short hook
/// for a shorter note beside longer ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Beam {
    Begin,
    Continue,
    End,
    ForwardHook,
    BackwardHook,
}

impl Event {
    pub fn is_rest(&self) -> bool {
        self.notes.is_empty()
    }

    /// How long the event sounds, in ticks: its written length, shortened inside a tuplet.
    pub fn sounding_ticks(&self) -> u32 {
        let written = self.length.ticks();
        match self.tuplet {
            Some(t) => written * t.normal as u32 / t.actual as u32,
            None => written,
        }
    }
}

/// A written length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Length {
    Value(NoteValue),
    /// A remainder off the 128th-note grid, which no note value writes (the composer never
    /// writes one; a renderer may still print it as a plain fraction).
    Unwritable(u32),
}

impl Length {
    pub fn of_ticks(ticks: u32) -> Length {
        NoteValue::of_ticks(ticks).map_or(Length::Unwritable(ticks), Length::Value)
    }

    pub fn ticks(self) -> u32 {
        match self {
            Length::Value(value) => value.ticks(),
            Length::Unwritable(ticks) => ticks,
        }
    }
}

/// Membership of a tuplet group: `actual` written notes in the time of `normal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tuplet {
    pub actual: u8,
    pub normal: u8,
    /// This event's place in the group, from 0.
    pub index: usize,
    /// Events in the group.
    pub count: usize,
}

/// One note head.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WrittenNote {
    pub pitch: Pitch,
    pub spelling: Spelling,
    /// The accidental to print, given the signature and earlier accidentals in the measure.
    pub accidental: Option<Accidental>,
    pub tie: Tie,
    /// How long it sounds, in ticks, where that is shorter than written: a drum hit held
    /// to the next one on the page (`drums::held`), or a staccato note, sounds for its own
    /// length.
    pub sounds: Option<u32>,
}

/// How a note is tied to the notes of the same pitch beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tie {
    None,
    /// Tied to the next note only.
    Start,
    /// Tied from the previous note and to the next.
    Continue,
    /// Tied from the previous note only.
    Stop,
}

impl Tie {
    pub fn between(from_previous: bool, to_next: bool) -> Tie {
        match (from_previous, to_next) {
            (false, false) => Tie::None,
            (false, true) => Tie::Start,
            (true, true) => Tie::Continue,
            (true, false) => Tie::Stop,
        }
    }

    pub fn to_next(self) -> bool {
        matches!(self, Tie::Start | Tie::Continue)
    }
}

/// The Score as written: a staff per pitched part, a measure per bar.
pub fn notate(score: &Score) -> Notation {
    let key = score.key.as_written();
    let signature = KeySignature::of(score.key);
    let changes: Vec<(u32, ChordSymbol)> =
        rhythm::chord_changes(&score.harmony, &section_starts(score))
            .into_iter()
            .map(|(tick, chord)| (tick, symbol(score, tick, chord)))
            .collect();
    let staff = |part: &Part, clef, chords, spell: &Spell| Staff {
        role: part.role,
        program: part.program,
        channel: part.channel,
        doubles: part.doubles,
        clef,
        transpose: 0,
        measures: measures(score, part, clef, chords, spell),
    };
    let in_key = |key: Key, pitch| key.spell_pitch(pitch);
    let (drums, pitched): (Vec<&Part>, Vec<&Part>) =
        score.parts.iter().partition(|p| p.channel == DRUM_CHANNEL);
    let staves: Vec<Staff> = pitched
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let chords = if i == 0 { &changes[..] } else { &[] };
            let writing = transposing::writing(part.program);
            let written = transposing::written(part, writing.octaves);
            let clef = writing.clef.unwrap_or(Clef::for_notes(&written.notes));
            Staff {
                transpose: writing.octaves,
                ..staff(&written, clef, chords, &in_key)
            }
        })
        .collect();
    let drums: Vec<Staff> = drums.first().map_or_else(Vec::new, |p| {
        let written = drums::written(&p.notes.iter().map(|n| n.pitch.0).collect());
        drums::voices(&p.notes)
            .into_iter()
            .map(|notes| {
                let held = Part {
                    notes: drums::held(score, &notes),
                    ..(*p).clone()
                };
                let spell = |_, pitch: Pitch| written[&pitch.0];
                let mut voice = staff(&held, Clef::Percussion, &[], &spell);
                mark_sounds(score, &mut voice, &notes);
                voice
            })
            .collect()
    });
    let all: Vec<&Staff> = staves.iter().chain(&drums).collect();
    let repeats = repeats::find(score, &all);
    Notation {
        meter: score.meter,
        key,
        signature,
        staves,
        drums,
        repeats,
    }
}

/// Marks each note of `staff` struck where one of `notes` starts with that note's own length,
/// where it is written longer.
fn mark_sounds(score: &Score, staff: &mut Staff, notes: &[Note]) {
    let own: std::collections::BTreeMap<(u32, u8), u32> = (notes.iter())
        .map(|n| ((n.start, n.pitch.0), n.duration))
        .collect();
    for (measure, (_, start, _)) in staff.measures.iter_mut().zip(score.measures()) {
        let mut at = start;
        for event in &mut measure.events {
            let written = event.sounding_ticks();
            for note in &mut event.notes {
                let struck = !matches!(note.tie, Tie::Stop | Tie::Continue);
                let length = own.get(&(at, note.pitch.0)).filter(|_| struck);
                note.sounds = length.copied().filter(|&l| l < written);
            }
            at += written;
        }
    }
}

/// How a staff writes a pitch in a measure of the (written) key.
type Spell<'a> = dyn Fn(Key, Pitch) -> Spelling + 'a;

/// The symbol of `chord` where it starts at `tick`: over the bass part's note there, spelled
/// in `key` as the bass staff writes it, when that is a chord tone other than the root (an inversion: the chorale's bass
/// on the third). A passing note, a rest or no bass part leaves the chord plain.
fn symbol(score: &Score, tick: u32, chord: Chord) -> ChordSymbol {
    let key = score.key_at(score.bar_at(tick)).as_written();
    let bass = score
        .part(PartRole::Bass)
        .and_then(|part| {
            let sounding = part
                .notes
                .iter()
                .filter(|n| n.start <= tick && tick < n.end());
            sounding.map(|n| n.pitch).min()
        })
        .filter(|pitch| {
            let class = pitch.class();
            class != chord.root_class() && chord.tone_set().contains(class)
        })
        .map(|pitch| key.spell_pitch(pitch).name);
    ChordSymbol { chord, bass }
}

/// Where each section starts, in ticks: its chord is written again there, so a repeated
/// section reads the same both times.
fn section_starts(score: &Score) -> Vec<u32> {
    score
        .sections
        .iter()
        .map(|(bar, _)| score.bar_start(*bar))
        .collect()
}

/// `part`'s measures, with the chord symbols of `chords` (the harmony's changes), each pitch
/// written as `spell` says in the measure's key, and the key and time signatures where they
/// change. The percussion staff keeps the opening key: its places name drums, not pitches.
fn measures(
    score: &Score,
    part: &Part,
    clef: Clef,
    chords: &[(u32, ChordSymbol)],
    spell: &Spell,
) -> Vec<Measure> {
    let mut previous: Option<(KeySignature, Meter)> = None;
    score
        .measures()
        .into_iter()
        .map(|(number, start, end)| {
            let bar = number.saturating_sub(1);
            let key = match clef {
                Clef::Percussion => score.key,
                _ => score.key_at(bar),
            };
            let meter = score.meter_at(bar);
            let signature = KeySignature::of(key);
            let written = key.as_written();
            let stretches = rhythm::stretches(&part.notes, chords, start, end);
            let mut events = rhythm::events(&stretches, |pitch| spell(written, pitch));
            accidentals::mark(&mut events, &signature);
            // The pickup ends on bar 1's downbeat: its beats count from a bar line before it.
            let offset = if number == 0 {
                meter.bar_ticks() - (end - start)
            } else {
                0
            };
            if clef != Clef::Percussion {
                staccato::mark(&mut events, meter.beat_ticks(), offset);
            }
            beams::mark(&mut events, meter.beat_ticks(), offset);
            let first = start == 0;
            let dynamic = part
                .dynamics
                .iter()
                .find(|(t, _)| (start..end).contains(t) || (first && *t == 0))
                .map(|(_, level)| *level);
            let was = previous.replace((signature, meter));
            let (wedge, wedge_closes) = wedge_at(score, number);
            Measure {
                number,
                section: score.section_opening(number),
                dynamic,
                key: was.filter(|w| w.0 != signature).map(|_| signature),
                meter: was.filter(|w| w.1 != meter).map(|_| meter),
                tempo: tempo_change(score, number),
                wedge,
                wedge_closes,
                events,
            }
        })
        .collect()
}

/// The tempo a section sets at measure `number`, where one does (not the opening one).
fn tempo_change(score: &Score, number: u32) -> Option<u32> {
    let bar = number.checked_sub(1)?;
    (score.changes.iter()).find_map(|(b, change)| match change {
        Change::Tempo(bpm) if *b == bar && bar > 0 => Some(*bpm),
        _ => None,
    })
}

/// The wedge that opens at measure `number`, and the one that closes at its end.
fn wedge_at(score: &Score, number: u32) -> (Option<Wedge>, Option<Wedge>) {
    let Some(bar) = number.checked_sub(1) else {
        return (None, None);
    };
    let kind = |h: &Hairpin| {
        if h.louder {
            Wedge::Crescendo
        } else {
            Wedge::Diminuendo
        }
    };
    let opens = (score.hairpins.iter()).find(|h| h.from == bar).map(kind);
    let closes = (score.hairpins.iter()).find(|h| h.to == bar + 1).map(kind);
    (opens, closes)
}
