//! Resolve: expand presets, apply defaults and scopes, and produce the concrete `Plan`.

mod build;
mod canonical;
mod clash;
mod clauses;
mod form;
mod key;
mod plan;
mod settings;
mod songs;
mod words;

pub use crate::presets::{Feel, Groove, Harmony, Intervals, Pattern, Style};
pub use build::FIDDLE_RANGE;
pub use key::unwritten as unwritten_key;
pub use plan::{
    Cadence, ChordsForBass, Contour, Density, Drumming, Endpoint, GaveWay, HarmonicRhythm,
    Modulation, MostlyStepwise, Origin, PHRASE_BARS, PartPlan, PartRole, PitchRule, PitchRuleKind,
    Plan, Progression, RANGE_GAVE_WAY, Section, SectionName, SectionRules, Sourced, split_bar,
};
pub use settings::{Scope, Setting, Strength};
pub use songs::transposed;
pub use words::refusal_after;

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::Program;

/// The problems of each line on its own (unknown words, misplaced clauses), for a program
/// whose other lines could not be read: they are worth reporting beside the syntax errors.
pub fn line_errors(program: &Program, source: &str) -> Vec<Diagnostic> {
    clauses::gather(&program.lines, source)
        .err()
        .unwrap_or_default()
}

/// The origin of the clause at `span` of `source`, as resolve names it (line and text).
pub fn origin_at(source: &str, span: crate::diagnostic::Span) -> Origin {
    Origin::Line {
        span,
        line: source[..span.start].matches('\n').count() + 1,
        text: source[span.start..span.end].trim().to_string(),
    }
}

/// Builds the Plan for a parsed program; `source` gives each origin its line and text. A key
/// the lines leave to tunec is drawn for `seed` (else the program's `seed`, else 0).
pub fn resolve(
    program: &Program,
    source: &str,
    seed: Option<u64>,
) -> Result<Plan, Vec<Diagnostic>> {
    if program
        .lines
        .iter()
        .all(|l| l.part.is_none() && l.section.is_none() && l.clauses.is_empty())
    {
        return Err(vec![
            Diagnostic::new(
                Code::NothingToCompose,
                "nothing to compose: the program has no prompts",
            )
            .hint("start with a line like `folk tune in D major, 16 bars`"),
        ]);
    }
    let gathered = clauses::gather(&program.lines, source)?;
    let canonical = canonical::render(&gathered);
    let mut plan = build::build(gathered, seed)?;
    plan.canonical = canonical;
    Ok(plan)
}
