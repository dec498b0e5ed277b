//! Parsing: `grammar/tune.pest` and a hand-written reader of its plain words turn source text
//! into the typed AST of `ast`.

pub mod ast;
mod back_reference;
mod hand;
mod hand_chords;
mod hand_notes;
mod parser;
mod reader;
mod scan;

use crate::diagnostic::Diagnostic;
pub use ast::{
    Cadence, ChordSpec, Clause, ClauseKind, HarmonicRhythm, Line, Program, SectionName,
    SongSection, Spanned, Target,
};

/// Reads every line of `source`. A line with an error is left out of the program and reported;
/// the lines after it are still read, so one bad line does not hide the next.
pub fn parse(source: &str) -> (Program, Vec<Diagnostic>) {
    let (mut program, mut errors) = reader::read(source).unwrap_or_else(|| parser::parse(source));
    back_reference::settle(&mut program, &mut errors);
    (program, errors)
}
