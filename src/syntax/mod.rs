//! Parsing: `grammar/tune.pest` turns source text into the typed AST of `ast`.

pub mod ast;
mod parser;

pub use ast::{ChordSpec, Clause, ClauseKind, Line, Program, Spanned, Target};
pub use parser::parse;
