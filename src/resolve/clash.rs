//! Errors where two settings cannot both hold: each is labelled where a user line set it, and
//! a preset or default is never blamed.

use crate::diagnostic::{Code, Diagnostic, Span};

use super::plan::Origin;

/// Where a user line set something; nowhere for a preset or a default.
pub(super) fn span_of(origin: &Origin) -> Span {
    match origin {
        Origin::Line { span, .. } => *span,
        _ => Span::default(),
    }
}

/// Two origins that cannot both hold; presets are never blamed, so the label goes to user lines.
pub(super) fn clash(
    code: Code,
    message: String,
    a: &Origin,
    a_label: &str,
    b: &Origin,
    b_label: &str,
    hint: String,
) -> Diagnostic {
    let mut d = Diagnostic::new(code, message);
    for (origin, label) in [(a, a_label), (b, b_label)] {
        if origin.is_user() {
            d = d.label(span_of(origin), label);
        }
    }
    d.hint(hint)
}
