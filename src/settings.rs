//! The front door's view of a resolved plan: every setting with its value, how firmly it binds
//! and where it came from — what `--emit plan` prints and an editor's hover shows.

use crate::diagnostic::Span;
use crate::resolve::{Origin, Plan, Scope};
use crate::vocabulary::Strength;

/// One setting of a resolved program.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// What it applies to: `piece`, `section B`, `melody`, `melody in section B`.
    pub scope: String,
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

fn scope(scope: Scope) -> String {
    match scope {
        Scope::Piece => "piece".into(),
        Scope::Section(letter) => format!("section {letter}"),
        Scope::Part(role) => role.name().into(),
        Scope::PartInSection(role, letter) => format!("{} in section {letter}", role.name()),
    }
}

#[cfg(test)]
mod tests {
    use crate::{Strength, analyze};

    #[test]
    fn a_written_range_is_hard_and_points_at_its_words() {
        let source = "jig in G, 16 bars\nmelody: range D4 to B5\n";
        let settings = analyze(source).settings();
        let range = settings
            .iter()
            .find(|s| s.scope == "melody" && s.name == "range")
            .unwrap();
        assert_eq!(range.strength, Strength::Hard);
        let span = range.span.unwrap();
        assert_eq!(&source[span.start..span.end], "range D4 to B5");
        let meter = settings.iter().find(|s| s.name == "meter").unwrap();
        assert_eq!(
            (meter.scope.as_str(), meter.value.as_str()),
            ("piece", "6/8")
        );
        assert!(meter.span.is_none() && meter.origin.contains("jig"));
    }
}
