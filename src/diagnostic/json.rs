//! Diagnostics as JSON, for tools and language-model agents (`--error-format json`).

use serde::Serialize;

use super::{Diagnostic, Diagnostics, Position, Severity};

impl Diagnostics {
    /// A JSON array, one object per diagnostic: code, severity, message, file, line, column,
    /// end_line, end_column (of the primary label; 1-based, columns in characters), labels
    /// (each with its message and the same positions) and hint.
    pub fn to_json(&self) -> String {
        let items: Vec<JsonDiagnostic> = self.items.iter().map(|d| self.json(d)).collect();
        serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()) + "\n"
    }

    fn json<'a>(&'a self, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
        let labels: Vec<JsonLabel> = d
            .labels
            .iter()
            .map(|l| JsonLabel {
                message: &l.message,
                start: Position::of(&self.source, l.span.start),
                end: Position::of(&self.source, l.span.end),
            })
            .collect();
        let primary = labels.first().map(|l| (l.start, l.end));
        JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity,
            message: &d.message,
            file: (!self.file_name.is_empty()).then_some(self.file_name.as_str()),
            line: primary.map(|p| p.0.line),
            column: primary.map(|p| p.0.column),
            end_line: primary.map(|p| p.1.line),
            end_column: primary.map(|p| p.1.column),
            labels,
            hint: d.hint.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    labels: Vec<JsonLabel<'a>>,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    #[serde(flatten, serialize_with = "start")]
    start: Position,
    #[serde(flatten, serialize_with = "end")]
    end: Position,
}

fn start<S: serde::Serializer>(p: &Position, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("line", &p.line)?;
    map.serialize_entry("column", &p.column)?;
    map.end()
}

fn end<S: serde::Serializer>(p: &Position, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("end_line", &p.line)?;
    map.serialize_entry("end_column", &p.column)?;
    map.end()
}
