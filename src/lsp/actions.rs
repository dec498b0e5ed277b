//! Code actions and the outline: a quick fix for every "did you mean", the canonical program
//! (`--emit tune`) as an explicit source action and command, and symbols for the piece, parts
//! and sections.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentSymbol, DocumentSymbolResponse, Range,
    SymbolKind, TextEdit, Uri, WorkspaceEdit,
};

use super::Document;
use super::diagnostics::{suggestion, to_lsp};
use crate::Span;

/// The kind of the action that rewrites a document as its canonical program.
pub(super) const CANONICAL: &str = "source.canonical";

/// The actions for `range` of the document: the fixes of the diagnostics it touches, and the
/// canonical program.
pub(super) fn code_actions(uri: &Uri, doc: &Document, range: Range) -> Vec<CodeActionOrCommand> {
    let mut actions: Vec<CodeActionOrCommand> = Vec::new();
    for d in doc.analysis.diagnostics() {
        let (Some(word), Some(label)) = (suggestion(d), d.labels.first()) else {
            continue;
        };
        let at = doc.lines.range(&doc.text, label.span);
        if at.end < range.start || range.end < at.start {
            continue;
        }
        let written = &doc.text[label.span.start..label.span.end.min(doc.text.len())];
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Replace `{written}` with `{word}`"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp(uri, &doc.text, &doc.lines, d)]),
            edit: Some(edit(uri, at, word)),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    if let Some(edit) = canonical(uri, doc) {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "Rewrite as the canonical program (tunec --emit tune; drops comments)".into(),
            kind: Some(CodeActionKind::new(CANONICAL)),
            edit: Some(edit),
            ..CodeAction::default()
        }));
    }
    actions
}

/// The edit that rewrites the whole document as its canonical program (`--emit tune`); none
/// when it does not resolve or already is canonical.
pub(super) fn canonical(uri: &Uri, doc: &Document) -> Option<WorkspaceEdit> {
    let plan = doc.analysis.plan().filter(|p| p.canonical != doc.text)?;
    let whole = doc.lines.range(&doc.text, Span::new(0, doc.text.len()));
    Some(edit(uri, whole, &plan.canonical))
}

fn edit(uri: &Uri, range: Range, new_text: &str) -> WorkspaceEdit {
    let edits = vec![TextEdit::new(range, new_text.to_string())];
    WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))
}

/// The outline: one symbol per piece, part and section line.
pub(super) fn symbols(doc: &Document) -> DocumentSymbolResponse {
    let symbols = doc
        .analysis
        .lines()
        .iter()
        .filter(|line| !line.clauses.is_empty() || line.part.is_some())
        .map(|line| {
            let (name, kind, named) = match (&line.section, &line.part) {
                (Some((s, _)), Some((p, at))) => {
                    (format!("section {s} {p}"), SymbolKind::CLASS, *at)
                }
                (None, Some((p, at))) => (p.clone(), SymbolKind::CLASS, *at),
                (Some((s, at)), None) => (format!("section {s}"), SymbolKind::NAMESPACE, *at),
                (None, None) => ("piece".to_string(), SymbolKind::PACKAGE, line.span),
            };
            let written = doc.text[line.span.start..line.span.end.min(doc.text.len())].trim();
            #[allow(deprecated)] // `deprecated` is a field every literal must name
            DocumentSymbol {
                name,
                detail: Some(written.to_string()),
                kind,
                tags: None,
                deprecated: None,
                range: doc.lines.range(&doc.text, line.span),
                selection_range: doc.lines.range(&doc.text, named),
                children: None,
            }
        })
        .collect();
    DocumentSymbolResponse::Nested(symbols)
}
