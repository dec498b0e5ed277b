//! tunec compiles `.tune` music prompts into verified multi-part MIDI.
//!
//! The pipeline runs one way: `syntax::parse` → `resolve::resolve` → `compose::compose` →
//! `check::check` → `render`. [`compile`] runs all of it.

pub mod check;
pub mod cli;
pub mod compose;
pub mod diagnostic;
pub mod limits;
pub mod render;
pub mod resolve;
pub mod score;
pub mod stats;
pub mod syntax;
pub mod theory;

use diagnostic::Diagnostic;
use resolve::{Origin, Plan};
use score::Score;

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Overrides the file's `seed`; with neither the seed is 0.
    pub seed: Option<u64>,
    /// The title when the file has none (the file's stem).
    pub name: String,
}

/// A composed and verified piece.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub plan: Plan,
    pub score: Score,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The input is wrong: a syntax error, an unknown word, conflicting clauses.
    Input(Diagnostic),
    /// tunec itself is wrong: the verifier rejected what the composer wrote.
    Internal(String),
}

/// Parses and resolves `source` into its Plan.
pub fn plan(source: &str) -> Result<Plan, Error> {
    if source.len() > limits::MAX_SOURCE_BYTES {
        return Err(Error::Input(
            Diagnostic::new(format!(
                "the program is too large: {} KiB, and tunec reads at most {} KiB",
                source.len().div_ceil(1024),
                limits::MAX_SOURCE_BYTES / 1024
            ))
            .hint("split it into several files"),
        ));
    }
    let program = syntax::parse(source).map_err(Error::Input)?;
    resolve::resolve(&program, source).map_err(Error::Input)
}

/// Compiles `source` into a verified Score.
pub fn compile(source: &str, options: &Options) -> Result<Compiled, Error> {
    let plan = plan(source)?;
    let seed = options.seed.or(plan.seed).unwrap_or(0);
    compose_plan(plan, seed, &options.name)
}

/// Composes a resolved Plan with `seed` and verifies the result.
pub fn compose_plan(plan: Plan, seed: u64, name: &str) -> Result<Compiled, Error> {
    let title = plan.title.clone().unwrap_or_else(|| name.to_string());
    let score = compose::compose(&plan, seed, &title).map_err(|c| Error::Input(conflict(c)))?;
    let violations = check::check(&score, &plan);
    if !violations.is_empty() {
        let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
        return Err(Error::Internal(format!(
            "the composed music breaks its own plan (seed {seed}): {}",
            list.join("; ")
        )));
    }
    Ok(Compiled { plan, score })
}

fn conflict(c: compose::Conflict) -> Diagnostic {
    let subject = match c.role {
        Some(resolve::PartRole::Chords) => "the chords part".to_string(),
        Some(role) => format!("the {}", role.name()),
        None => "the harmony".to_string(),
    };
    let message = match c.origins.len() {
        0 => format!("{subject} cannot be written: {}", c.reason),
        1 => format!("{subject} cannot satisfy this line"),
        _ => format!("{subject} cannot satisfy these lines together"),
    };
    let mut d = Diagnostic::new(message);
    for origin in &c.origins {
        if let Origin::Line { span, line, .. } = origin {
            d = d.label(*span, format!("line {line}"));
        }
    }
    if c.origins.is_empty() {
        d
    } else {
        d.hint(c.reason)
    }
}
