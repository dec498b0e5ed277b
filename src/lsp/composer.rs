//! Composition conflicts for the editor, found off the main loop so that typing never waits:
//! reading and resolving answer at once, and a worker composes the newest text of each
//! document in the background, dropping texts that a newer edit made stale.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use lsp_server::{Message, Notification};
use lsp_types::{Diagnostic as LspDiagnostic, PublishDiagnosticsParams, Uri};

use super::diagnostics::to_lsp;
use super::text::Lines;
use crate::resolve::Plan;

/// The worker and what it shares with the main loop.
pub(super) struct Composer {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

#[derive(Default)]
struct State {
    /// The newest version of each open document: only its diagnostics may be published.
    latest: BTreeMap<Uri, i32>,
    /// The newest resolved text of each document, waiting to be composed.
    waiting: BTreeMap<Uri, Job>,
    closed: bool,
}

struct Job {
    version: i32,
    text: String,
    plan: Plan,
}

impl Composer {
    /// Starts the worker; it publishes through `sender`.
    pub(super) fn start(sender: crossbeam_channel::Sender<Message>) -> Composer {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        });
        let worker = Arc::clone(&shared);
        std::thread::spawn(move || work(&worker, &sender));
        Composer { shared }
    }

    /// Makes `version` the newest of `uri` and publishes `diagnostics` for it; under the same
    /// lock as the worker's publishing, so that a stale composition never overwrites them.
    pub(super) fn publish(
        &self,
        sender: &crossbeam_channel::Sender<Message>,
        uri: &Uri,
        version: i32,
        diagnostics: Vec<LspDiagnostic>,
    ) {
        let mut state = self.shared.lock();
        state.latest.insert(uri.clone(), version);
        state.waiting.remove(uri);
        let _ = sender.send(publication(uri, version, diagnostics));
    }

    /// Composes `plan` (read from `text`, version `version` of `uri`) when the worker is free,
    /// unless a newer version comes first.
    pub(super) fn submit(&self, uri: &Uri, version: i32, text: &str, plan: Plan) {
        let job = Job {
            version,
            text: text.to_string(),
            plan,
        };
        self.shared.lock().waiting.insert(uri.clone(), job);
        self.shared.wake.notify_one();
    }

    /// Forgets a closed document: nothing more is published for it.
    pub(super) fn forget(&self, uri: &Uri) {
        let mut state = self.shared.lock();
        state.latest.remove(uri);
        state.waiting.remove(uri);
    }
}

impl Drop for Composer {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the maps whole, so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The worker's loop: take the next waiting job, compose it, publish its conflicts if it is
/// still the newest version.
fn work(shared: &Shared, sender: &crossbeam_channel::Sender<Message>) {
    loop {
        let (uri, job) = {
            let mut state = shared.lock();
            loop {
                if state.closed {
                    return;
                }
                if let Some(next) = state.waiting.pop_first() {
                    break next;
                }
                state = shared.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        };
        let seed = job.plan.seed.unwrap_or(0);
        let composed = crate::contained(|| {
            crate::compiled::compose_source(&job.plan, &job.text, seed, "tune")
        });
        let Err(problems) = composed else { continue };
        let lines = Lines::of(&job.text);
        let diagnostics = problems
            .iter()
            .map(|d| to_lsp(&uri, &job.text, &lines, d))
            .collect();
        let state = shared.lock();
        if state.latest.get(&uri) == Some(&job.version) {
            let _ = sender.send(publication(&uri, job.version, diagnostics));
        }
    }
}

fn publication(uri: &Uri, version: i32, diagnostics: Vec<LspDiagnostic>) -> Message {
    let params = PublishDiagnosticsParams::new(uri.clone(), diagnostics, Some(version));
    Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".to_string(),
        params,
    ))
}
