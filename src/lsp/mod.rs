//! `tunec lsp`: a language server on stdio. It owns the protocol loop and the open documents;
//! what it says about a document comes from the library's front door ([`crate::analyze`], the
//! diagnostics as data, the vocabulary table).

mod actions;
mod complete;
mod composer;
mod diagnostics;
mod hover;
mod text;

use std::collections::BTreeMap;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
};
use lsp_types::request::{
    ApplyWorkspaceEdit, CodeActionRequest, Completion, DocumentSymbolRequest, ExecuteCommand,
    HoverRequest, Request as _,
};
use lsp_types::{
    ApplyWorkspaceEditParams, CodeActionProviderCapability, CompletionOptions,
    ExecuteCommandOptions, HoverProviderCapability, OneOf, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};

use crate::Analysis;
use composer::Composer;
use text::Lines;

/// Serves the editor on standard input and output until it says `exit`; the exit status.
pub(crate) fn stdio(stderr: &mut dyn std::io::Write) -> i32 {
    let (connection, threads) = Connection::stdio();
    let served = serve(&connection);
    drop(connection);
    let joined = threads.join().map_err(|e| e.to_string());
    match served.and(joined) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(stderr, "error: the language server stopped: {e}");
            1
        }
    }
}

/// The command that rewrites a document (its URI the one argument) as its canonical program,
/// asking the editor to apply the edit (`workspace/applyEdit`): formatting on request, never on
/// save.
const CANONICAL_COMMAND: &str = "tunec.canonical";

/// What the server offers, announced in its answer to `initialize`.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), ",".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![CANONICAL_COMMAND.into()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Answers `connection` from `initialize` to `shutdown`.
pub(crate) fn serve(connection: &Connection) -> Result<(), String> {
    let capabilities = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    connection
        .initialize(capabilities)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        documents: BTreeMap::new(),
        composer: Composer::start(connection.sender.clone()),
        sender: connection.sender.clone(),
        asked: 0,
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                let answer = server.answer(request);
                let _ = connection.sender.send(Message::Response(answer));
            }
            Message::Notification(notification) => server.notice(notification),
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// One open document: its text and what tunec makes of it.
struct Document {
    text: String,
    lines: Lines,
    analysis: Analysis,
}

struct Server {
    documents: BTreeMap<Uri, Document>,
    composer: Composer,
    sender: crossbeam_channel::Sender<Message>,
    /// How many requests the server has sent the editor (their ids).
    asked: i32,
}

impl Server {
    fn notice(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let d = p.text_document;
                    self.update(d.uri, d.version, d.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        let d = p.text_document;
                        self.update(d.uri, d.version, change.text);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    self.documents.remove(&p.text_document.uri);
                    self.composer.forget(&p.text_document.uri);
                    self.composer
                        .publish(&self.sender, &p.text_document.uri, 0, Vec::new());
                }
            }
            _ => {}
        }
    }

    /// Takes the document's new text: reads and resolves it, publishes what is wrong at once,
    /// and leaves composing (conflicts between lines) to the worker.
    fn update(&mut self, uri: Uri, version: i32, text: String) {
        let analysis = crate::analyze(&text);
        let lines = Lines::of(&text);
        let diagnostics = analysis
            .diagnostics()
            .iter()
            .map(|d| diagnostics::to_lsp(&uri, &text, &lines, d))
            .collect();
        self.composer
            .publish(&self.sender, &uri, version, diagnostics);
        if let Some(plan) = analysis.plan() {
            self.composer.submit(&uri, version, &text, plan.clone());
        }
        let document = Document {
            text,
            lines,
            analysis,
        };
        self.documents.insert(uri, document);
    }

    /// The answer to `request`; a panic in a handler is an internal error, never the end of
    /// the server.
    fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let answered =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.dispatch(request)));
        match answered {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error: tunec panicked; please report it with the document".into(),
            ),
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let method = request.method.clone();
        let bad = |e: lsp_server::ExtractError<Request>| (ErrorCode::InvalidParams, e.to_string());
        let value = match method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = request.extract(&method).map_err(bad)?.1;
                let at = p.text_document_position_params;
                let doc = self.document(&at.text_document.uri)?;
                serde_json::to_value(hover::hover(doc, at.position))
            }
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = request.extract(&method).map_err(bad)?.1;
                let at = p.text_document_position;
                let doc = self.document(&at.text_document.uri)?;
                serde_json::to_value(complete::complete(doc, at.position))
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = request.extract(&method).map_err(bad)?.1;
                let doc = self.document(&p.text_document.uri)?;
                serde_json::to_value(actions::code_actions(&p.text_document.uri, doc, p.range))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = request.extract(&method).map_err(bad)?.1;
                let doc = self.document(&p.text_document.uri)?;
                serde_json::to_value(actions::symbols(doc))
            }
            ExecuteCommand::METHOD => {
                let p: lsp_types::ExecuteCommandParams = request.extract(&method).map_err(bad)?.1;
                self.execute(p)?;
                Ok(serde_json::Value::Null)
            }
            _ => return Err((ErrorCode::MethodNotFound, format!("no method {method}"))),
        };
        value.map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    /// Carries out `tunec.canonical`: asks the editor to apply the canonical program's edit
    /// (nothing when the document already is canonical or does not resolve).
    fn execute(&mut self, p: lsp_types::ExecuteCommandParams) -> Result<(), (ErrorCode, String)> {
        if p.command != CANONICAL_COMMAND {
            let unknown = format!("no command {}; tunec has {CANONICAL_COMMAND}", p.command);
            return Err((ErrorCode::InvalidParams, unknown));
        }
        let uri = p.arguments.first().and_then(|a| a.as_str());
        let uri: Uri = uri.and_then(|u| u.parse().ok()).ok_or_else(|| {
            let needs = format!("{CANONICAL_COMMAND} takes the document's URI");
            (ErrorCode::InvalidParams, needs)
        })?;
        let Some(edit) = actions::canonical(&uri, self.document(&uri)?) else {
            return Ok(());
        };
        self.asked += 1;
        let params = ApplyWorkspaceEditParams {
            label: Some("Rewrite as the canonical program".into()),
            edit,
        };
        let ask = Request::new(self.asked.into(), ApplyWorkspaceEdit::METHOD.into(), params);
        let _ = self.sender.send(Message::Request(ask));
        Ok(())
    }

    fn document(&self, uri: &Uri) -> Result<&Document, (ErrorCode, String)> {
        self.documents.get(uri).ok_or_else(|| {
            let message = format!("{} is not open", uri.as_str());
            (ErrorCode::InvalidParams, message)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};
    use proptest::prelude::*;

    fn document(text: &str) -> Document {
        Document {
            text: text.to_string(),
            lines: Lines::of(text),
            analysis: crate::analyze(text),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the text and wherever the cursor (past the ends of lines and of the text
        /// too), hover, completion, code actions and the outline answer without panicking.
        #[test]
        fn every_place_of_any_text_is_answered(
            text in "(jig|folk tune|melody:|in D|range D4 to B5|♯|𝄞|\"|#|,| |\r\n|\n|\r|[a-z0-9]){0,16}",
        ) {
            let doc = document(&text);
            let uri: Uri = "file:///tmp/p.tune".parse().unwrap();
            let widest = text.split(['\n', '\r']).map(|l| l.encode_utf16().count()).max();
            for line in 0..=(text.lines().count() as u32 + 1) {
                for character in 0..=(widest.unwrap_or(0) as u32 + 1) {
                    let at = Position::new(line, character);
                    let _ = hover::hover(&doc, at);
                    let _ = complete::complete(&doc, at);
                    let _ = actions::code_actions(&uri, &doc, Range::new(at, at));
                }
            }
            let _ = actions::symbols(&doc);
        }
    }
}
