//! The front door's view of a resolved plan: every setting with its value, how firmly it binds
//! and where it came from — what `--emit plan` prints and an editor's hover shows.

use crate::diagnostic::Span;
use std::fmt;

use crate::resolve::{self, Origin, Plan};
use crate::vocabulary::Strength;

/// One setting of a resolved program.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// What it applies to.
    pub scope: Scope,
    /// What is set, in the words of the language: `key`, `range`, `mostly stepwise`.
    pub name: &'static str,
    /// Its value as a musician reads it: `G major`, `D4–B5`.
    pub value: String,
    /// How firmly it binds the music.
    pub strength: Strength,
    /// Where it came from, as `--emit plan` says it: `line 2: "range D4 to B5"`, `preset jig`.
    pub origin: String,
    /// The words of the program it came from, when the user wrote it.
    pub span: Option<Span>,
}

/// What a setting applies to; shown as `piece`, `section B`, `melody`, `melody in section B`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// The whole piece.
    Piece,
    /// Every part in the sections with this letter (`section B: louder`).
    Section(char),
    /// One part, by its name (`melody`, `counter-melody`, `chords`, `bass`, `drums`).
    Part(&'static str),
    /// One part in the sections with this letter (`section B melody: range A4 to D6`).
    PartInSection(&'static str, char),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Piece => f.write_str("piece"),
            Scope::Section(letter) => write!(f, "section {letter}"),
            Scope::Part(part) => f.write_str(part),
            Scope::PartInSection(part, letter) => write!(f, "{part} in section {letter}"),
        }
    }
}

/// Every setting of `plan`: the piece's, then each section's, then each part's.
pub(crate) fn settings(plan: &Plan) -> Vec<Setting> {
    plan.settings()
        .into_iter()
        .map(|s| Setting {
            scope: scope(s.scope),
            name: s.name,
            value: s.value,
            strength: s.strength,
            span: match &s.origin {
                Origin::Line { span, .. } => Some(*span),
                _ => None,
            },
            origin: s.origin.to_string(),
        })
        .collect()
}

fn scope(scope: resolve::Scope) -> Scope {
    match scope {
        resolve::Scope::Piece => Scope::Piece,
        resolve::Scope::Section(letter) => Scope::Section(letter),
        resolve::Scope::Part(role) => Scope::Part(role.name()),
        resolve::Scope::PartInSection(role, letter) => Scope::PartInSection(role.name(), letter),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Scope, Strength, analyze};

    #[test]
    fn a_written_range_is_hard_and_points_at_its_words() {
        let source = "jig in G, 16 bars\nmelody: range D4 to B5\n";
        let settings = analyze(source).settings();
        let range = settings
            .iter()
            .find(|s| s.scope == Scope::Part("melody") && s.name == "range")
            .unwrap();
        assert_eq!(range.strength, Strength::Hard);
        let span = range.span.unwrap();
        assert_eq!(&source[span.start..span.end], "range D4 to B5");
        let meter = settings.iter().find(|s| s.name == "meter").unwrap();
        assert_eq!(
            (meter.scope.to_string(), meter.value.as_str()),
            ("piece".to_string(), "6/8")
        );
        assert!(meter.span.is_none() && meter.origin.contains("jig"));
    }
}
