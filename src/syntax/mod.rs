//! Parsing: `grammar/tune.pest` turns source text into the typed AST of `ast`.

pub mod ast;
mod parser;

pub use ast::{
    Cadence, ChordSpec, Clause, ClauseKind, HarmonicRhythm, Line, Program, SectionName,
    SongSection, Spanned, Target,
};
pub use parser::parse;
