//! tunec's diagnostics in the protocol's words: code, severity, UTF-16 range, the other lines of
//! a conflict as related locations, the hint, and the word a "did you mean" offers.

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Range, Uri,
};
use serde_json::json;

use super::text::Lines;
use crate::{Diagnostic, Severity};

/// `diagnostic` about the document `uri` holding `text`.
pub(super) fn to_lsp(uri: &Uri, text: &str, lines: &Lines, d: &Diagnostic) -> LspDiagnostic {
    let range = |span| lines.range(text, span);
    let primary = d.labels.first();
    let mut message = d.message.clone();
    if let Some(label) = primary.filter(|l| !l.message.is_empty()) {
        message = format!("{message}: {}", label.message);
    }
    if let Some(hint) = &d.hint {
        message = format!("{message}\nhint: {hint}");
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    LspDiagnostic {
        range: primary.map_or(Range::default(), |l| range(l.span)),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("tunec".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: suggestion(d).map(|word| json!({ "replacement": word })),
        ..LspDiagnostic::default()
    }
}

/// The word a "did you mean `…`?" hint offers for the primary label's text.
pub(super) fn suggestion(d: &Diagnostic) -> Option<&str> {
    d.labels.first()?;
    let rest = d.hint.as_deref()?.strip_prefix("did you mean `")?;
    rest.split_once('`').map(|(word, _)| word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze;

    #[test]
    fn a_misspelling_carries_its_code_range_hint_and_replacement() {
        let text = "folk tuen\n";
        let uri: Uri = "file:///tmp/a.tune".parse().unwrap();
        let analysis = analyze(text);
        let d = to_lsp(&uri, text, &Lines::of(text), &analysis.diagnostics()[0]);
        assert_eq!(d.code, Some(NumberOrString::String("E0101".into())));
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!((d.range.start.character, d.range.end.character), (5, 9));
        assert!(
            d.message.ends_with("hint: did you mean `tune`?"),
            "{}",
            d.message
        );
        assert_eq!(d.data, Some(json!({ "replacement": "tune" })));
    }

    #[test]
    fn a_hint_that_offers_no_word_offers_no_replacement() {
        let d = Diagnostic::at(crate::Code::UnknownWord, crate::Span::new(0, 3), "m", "l")
            .hint("write `range D4 to B5`");
        assert_eq!(suggestion(&d), None);
        let unplaced = Diagnostic::new(crate::Code::UnknownWord, "m").hint("did you mean `x`?");
        assert_eq!(suggestion(&unplaced), None);
    }
}
