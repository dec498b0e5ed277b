//! The typed syntax tree of a `.tune` file; every node keeps the byte span it came from.

use crate::diagnostic::Span;
pub use crate::theory::Cadence;
use crate::theory::{Chord, ChordQuality, Meter, Mode, NoteName, Pitch};

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub span: Span,
    /// The section a `section B: …` line is about.
    pub section: Option<Spanned<SectionName>>,
    /// The part a `melody: …` (or `section B melody: …`) line is about, as written.
    pub part: Option<Spanned<String>>,
    pub clauses: Vec<Clause>,
}

/// A section as written in a form: a letter (`A`, or `A'` for a varied repeat), or a song's
/// section by name (`verse`, `chorus`), which stands for a letter in the order the names first
/// come (verse A, chorus B), so repeats and parts still go by letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SectionName {
    /// The letter, `A` to `Z`.
    pub letter: char,
    /// Whether it is written with a prime: a varied repeat (a verse that comes back).
    pub varied: bool,
    /// The song's section it is, when the form names its sections.
    pub song: Option<SongSection>,
}

impl SectionName {
    /// A plain letter, not varied.
    pub fn letter(letter: char) -> SectionName {
        SectionName {
            letter,
            varied: false,
            song: None,
        }
    }
}

impl std::fmt::Display for SectionName {
    /// As a form writes it: `A`, `A'`, `chorus` (a returning verse renews its last phrase
    /// without saying so).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(song) = self.song {
            return f.write_str(song.name());
        }
        let prime = if self.varied { "'" } else { "" };
        write!(f, "{}{prime}", self.letter)
    }
}

/// The sections songs are built of, each with its habits (see `docs/language.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SongSection {
    /// Quieter and shorter, before the first verse.
    Intro,
    /// Tells the story; a verse that comes back renews its last phrase.
    Verse,
    /// The same music each time, higher and louder than the verse.
    Chorus,
    /// A chorus by its older name.
    Refrain,
    /// Leaves the tonic before the last chorus.
    Bridge,
    /// Quieter and shorter, after the last chorus.
    Outro,
}

impl SongSection {
    const ALL: [SongSection; 6] = [
        SongSection::Intro,
        SongSection::Verse,
        SongSection::Chorus,
        SongSection::Refrain,
        SongSection::Bridge,
        SongSection::Outro,
    ];

    /// The name as the language writes it.
    pub fn name(self) -> &'static str {
        match self {
            SongSection::Intro => "intro",
            SongSection::Verse => "verse",
            SongSection::Chorus => "chorus",
            SongSection::Refrain => "refrain",
            SongSection::Bridge => "bridge",
            SongSection::Outro => "outro",
        }
    }

    /// The section a word names, in any case.
    pub fn from_word(word: &str) -> Option<SongSection> {
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(word))
    }

    /// Whether it frames the song (intro, outro): quieter and shorter.
    pub fn frames(self) -> bool {
        matches!(self, SongSection::Intro | SongSection::Outro)
    }

    /// Whether it is the song's hook (chorus, refrain): higher and louder.
    pub fn is_hook(self) -> bool {
        matches!(self, SongSection::Chorus | SongSection::Refrain)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub span: Span,
    pub kind: ClauseKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ClauseKind {
    Title(String),
    Seed(u64),
    Key {
        tonic: NoteName,
        mode: Option<Mode>,
    },
    Meter(Meter),
    /// `repeated four times`: the chords as written play that many times.
    ChordRepeats(u32),
    /// `2+2+3`: the meter's beats grouped, in units of the meter's note.
    BeatGroups(Vec<u8>),
    /// `three flats in the key signature`: sharps (positive) or flats (negative).
    KeySignature(i8),
    Bars(u32),
    /// `8-bar strains`: the length of every section without its own.
    SectionBars(u32),
    /// `4-bar phrases`: the melody's phrases are that long (tunec's are 4 bars).
    PhraseBars(u32),
    /// `an 8-bar chorus`: named sections' own lengths, as `section chorus: 8 bars` gives them;
    /// in a form's list (`a 2-bar intro, a verse and a chorus`), the form too.
    SectionLengths {
        form: Vec<Spanned<SectionName>>,
        lengths: Vec<(Spanned<SectionName>, u32)>,
    },
    /// A tempo, and the note its number counts when written (`♩=120`, ABC's `Q:3/8=80`, as a
    /// fraction of a whole note); else it counts the meter's beat.
    Tempo(u32, Option<(u32, u32)>),
    UsingOnly(Vec<Spanned<NoteName>>),
    Avoiding(Vec<Spanned<NoteName>>),
    /// Bars of chords, in order; a bar may hold more than one chord.
    Chords(Vec<Vec<Spanned<ChordSpec>>>),
    Range(Pitch, Pitch),
    Stepwise,
    MostlyStepwise,
    MaxLeap(u8),
    StartsOn(Target),
    EndsOn(Target),
    Program(u8),
    None,
    /// Plain words: a style phrase on a piece line, an instrument on a part line.
    Words(Vec<Spanned<String>>),
    Form(Vec<Spanned<SectionName>>),
    HarmonicRhythm(HarmonicRhythm),
    Cadence(Cadence),
    /// The note lengths a part may use, in ticks.
    Rhythm(Vec<Spanned<u32>>),
    /// Loudness from `ppp` (1) to `fff` (8).
    Dynamics(u8),
    /// Rows of a drum step grid: voice name and one step per character (0 rest, 1 hit, 2 accent).
    DrumGrid(Vec<(Spanned<String>, Vec<u8>)>),
    /// A length in time: `about 30 seconds` (in seconds; bars come from the tempo).
    Seconds(u32),
    /// `never above A5`: the highest note of the part.
    Ceiling(Pitch),
    /// `never below D4`: the lowest note of the part.
    Floor(Pitch),
    /// `within an octave`: the most semitones between the part's lowest and highest notes.
    Compass(u8),
    /// `no drums`, `without bass`: the parts named, to be dropped.
    Without(Vec<Spanned<String>>),
    /// `in the style of …`: a request tunec refuses; the name as written.
    StyleOf(String),
    /// `the last chorus goes up a step`: the last time that section plays, it is that many
    /// semitones higher, in the key as far above.
    LastUp(SongSection, u8),
    /// `crescendo` (+1) or `diminuendo` (−1): a section swells or fades by a step over its bars.
    Hairpin(i8),
    /// `those notes`, `stay inside that`: the notes or range named before it, which asks
    /// nothing more; `syntax::parse` drops it, or refuses it when nothing was named before.
    BackReference,
}

impl ClauseKind {
    /// The clause's name as the docs call it: `range`, `key`, `style or instrument words`.
    pub fn name(&self) -> &'static str {
        match self {
            ClauseKind::Title(_) => "title",
            ClauseKind::Seed(_) => "seed",
            ClauseKind::Key { .. } => "key",
            ClauseKind::Meter(_) => "meter",
            ClauseKind::KeySignature(_) => "key signature",
            ClauseKind::BeatGroups(_) => "beat groups",
            ClauseKind::ChordRepeats(_) => "chord repeats",
            ClauseKind::Bars(_) => "bars",
            ClauseKind::SectionBars(_) => "section length",
            ClauseKind::PhraseBars(_) => "phrase length",
            ClauseKind::SectionLengths { form, .. } if !form.is_empty() => "form",
            ClauseKind::SectionLengths { .. } => "a section's length",
            ClauseKind::Tempo(..) => "tempo",
            ClauseKind::UsingOnly(_) => "using only",
            ClauseKind::Avoiding(_) => "avoiding",
            ClauseKind::Chords(_) => "chords",
            ClauseKind::Range(..) => "range",
            ClauseKind::Stepwise => "stepwise",
            ClauseKind::MostlyStepwise => "mostly stepwise",
            ClauseKind::MaxLeap(_) => "no leaps larger than",
            ClauseKind::StartsOn(_) => "starts on",
            ClauseKind::EndsOn(_) => "ends on",
            ClauseKind::Program(_) => "program",
            ClauseKind::None => "none",
            ClauseKind::Words(_) => "words",
            ClauseKind::Form(_) => "form",
            ClauseKind::HarmonicRhythm(_) => "harmonic rhythm",
            ClauseKind::Cadence(_) => "cadence",
            ClauseKind::Rhythm(_) => "rhythm",
            ClauseKind::Dynamics(_) => "dynamics",
            ClauseKind::DrumGrid(_) => "drum grid",
            ClauseKind::Seconds(_) => "length in time",
            ClauseKind::Ceiling(_) => "never above",
            ClauseKind::Floor(_) => "never below",
            ClauseKind::Compass(_) => "within an interval",
            ClauseKind::Without(_) => "without",
            ClauseKind::StyleOf(_) => "in the style of",
            ClauseKind::LastUp(..) => "the last section goes up",
            ClauseKind::Hairpin(_) => "crescendo or diminuendo",
            ClauseKind::BackReference => "those notes",
        }
    }
}

/// How often the chords change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HarmonicRhythm {
    /// `two chords per bar`.
    PerBar(u8),
    /// `one chord every two bars`.
    EveryBars(u8),
}

/// A chord as written: a symbol, or a Roman numeral read against the key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChordSpec {
    Symbol(Chord),
    Numeral {
        degree: u8,
        alter: i8,
        quality: ChordQuality,
    },
}

/// The note named by `starts on` / `ends on`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    Tonic,
    Dominant,
    Degree(u8),
    Class(NoteName),
    Pitch(Pitch),
}
