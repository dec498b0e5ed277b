//! The front door for editors: every problem of a program and where its lines and clauses are,
//! without composing.

use crate::compiled::{read, resolve_read};
use crate::diagnostic::{Diagnostic, Span};
use crate::resolve::Plan;
use crate::{contained, render, syntax};

/// What tunec makes of a program without composing it: its lines and clauses, the plan when it
/// resolves, and every diagnostic (one bad line does not hide the next).
#[derive(Clone, Debug)]
pub struct Analysis {
    lines: Vec<LineOutline>,
    plan: Option<Plan>,
    diagnostics: Vec<Diagnostic>,
}

/// One line of the program as read: which part or section it is about and its clauses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LineOutline {
    /// The whole line.
    pub span: Span,
    /// The part it is about (`melody` in `melody: fiddle`), as written, with its place.
    pub part: Option<(String, Span)>,
    /// The section it is about (`B` in `section B: louder`), with its place.
    pub section: Option<(String, Span)>,
    /// Its clauses, in order.
    pub clauses: Vec<ClauseOutline>,
}

/// One clause of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClauseOutline {
    /// Where it is.
    pub span: Span,
    /// What kind of clause it is: `range`, `key`, `chords`, `words` (a style or instrument).
    pub kind: &'static str,
}

/// Reads and resolves `source`, collecting every diagnostic; never composes, never panics.
pub fn analyze(source: &str) -> Analysis {
    let source = &*crate::source::unify_line_ends(source);
    let read = contained(|| {
        let (program, errors) = read(source)?;
        let lines = program.lines.iter().map(outline).collect();
        Ok((lines, resolve_read(&program, errors, source, None)))
    });
    let (lines, resolved) = match read {
        Ok(read) => read,
        Err(diagnostics) => (Vec::new(), Err(diagnostics)),
    };
    let (plan, diagnostics) = match resolved {
        Ok(plan) => (Some(plan), Vec::new()),
        Err(diagnostics) => (None, diagnostics),
    };
    Analysis {
        lines,
        plan,
        diagnostics,
    }
}

fn outline(line: &syntax::Line) -> LineOutline {
    LineOutline {
        span: line.span,
        part: line.part.as_ref().map(|p| (p.value.clone(), p.span)),
        section: line.section.as_ref().map(|s| (s.value.to_string(), s.span)),
        clauses: line
            .clauses
            .iter()
            .map(|c| ClauseOutline {
                span: c.span,
                kind: c.kind.name(),
            })
            .collect(),
    }
}

impl Analysis {
    /// Every problem found, in source order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The lines that could be read (blank and comment lines included, with no clauses).
    pub fn lines(&self) -> &[LineOutline] {
        &self.lines
    }

    /// Whether the program resolves: no diagnostics, and a plan to compose.
    pub fn resolves(&self) -> bool {
        self.plan.is_some()
    }

    /// Every setting of the resolved program with its strength and origin (none when it does
    /// not resolve).
    pub fn settings(&self) -> Vec<crate::Setting> {
        self.plan
            .as_ref()
            .map_or(Vec::new(), crate::settings::settings)
    }

    /// The plan as `--emit plan` prints its settings, when the program resolves.
    pub fn plan_text(&self) -> Option<String> {
        self.plan.as_ref().map(render::plan::render)
    }

    /// The resolved plan, for tunec's own tests.
    #[doc(hidden)]
    pub fn plan(&self) -> Option<&Plan> {
        self.plan.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn reports_every_bad_line() {
        let a = analyze("folk tuen\nmelody: fiddle\nfolk tune, 16 barz\n\nmelody: kazoo\n");
        let codes: Vec<Code> = a.diagnostics().iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::UnknownWord,
                Code::UnknownWord,
                Code::UnknownInstrument
            ]
        );
        assert!(!a.resolves());
    }

    #[test]
    fn outlines_lines_and_clauses() {
        let a = analyze("jig in G, 16 bars\nsection B melody: range D5 to E6\n");
        assert!(a.resolves(), "{:?}", a.diagnostics());
        let kinds: Vec<&str> = a.lines()[0].clauses.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, ["words", "key", "bars"]);
        let second = &a.lines()[1];
        assert_eq!(second.section.as_ref().map(|s| s.0.as_str()), Some("B"));
        assert_eq!(second.part.as_ref().map(|p| p.0.as_str()), Some("melody"));
        assert!(a.plan_text().unwrap().contains("jig"));
    }
}
