//! The typed syntax tree of a `.tune` file; every node keeps the byte span it came from.

use crate::diagnostic::Span;
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
    /// `None` for a piece line, the part's name as written for a part line.
    pub part: Option<Spanned<String>>,
    pub clauses: Vec<Clause>,
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
    Bars(u32),
    Tempo(u32),
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
