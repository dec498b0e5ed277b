//! `tunec mcp`: a Model Context Protocol server on stdio, so that a language-model agent can
//! compose, check and learn the language through tools: `compose`, `check` and `vocabulary`.
//! Each tool's schema and description say enough to use it without other documents; a program
//! with errors comes back as a tool result flagged as an error, carrying the diagnostics.

mod tools;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ErrorData, ServerHandler, ServiceExt, tool, tool_handler, tool_router};

pub(crate) use tools::{CheckRequest, ComposeRequest, VocabularyRequest};

/// What the server tells a client about itself when it connects.
const INSTRUCTIONS: &str = "tunec compiles music prompts into verified music. A program is a \
few lines: a piece line (`sad folk tune in D dorian, 6/8, 16 bars`), part lines (`melody: \
fiddle, range D4 to B5, mostly stepwise, ends on the tonic`) and section lines (`section B: \
louder`); English sentences work too (`Write a lively jig in G with an AABB form.`). Every word \
has an exact meaning: hard requests always hold or the program is refused with the lines that \
conflict. Call `vocabulary` to learn the words, `check` to find what is wrong (each diagnostic \
has a code, the line and column, and usually a hint such as `did you mean ...`), and `compose` \
to get the music.";

/// The server: its tools and nothing else.
#[derive(Clone)]
pub(crate) struct Tunec {
    tool_router: ToolRouter<Tunec>,
}

#[tool_router]
impl Tunec {
    pub(crate) fn new() -> Tunec {
        Tunec {
            tool_router: Tunec::tool_router(),
        }
    }

    /// Compose a tunec program into music. Returns a one-line summary, the program in
    /// canonical clauses (how tunec read each line), the music in ABC notation, the plan
    /// (every setting with its strength and the line or preset it came from), and the MIDI
    /// and/or MusicXML files asked for in `formats`: embedded as resources (MIDI base64), or
    /// written into `output_dir` when given. If the program has errors, the result is flagged
    /// as an error and holds the diagnostics as JSON (the same as the `check` tool).
    #[tool(name = "compose")]
    async fn compose(
        &self,
        Parameters(request): Parameters<ComposeRequest>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(tools::compose(&request))
    }

    /// Check a tunec program without writing music: read, resolve, compose and verify it.
    /// Returns JSON `{"ok": bool, "summary": ..., "diagnostics": [...]}`; each diagnostic has
    /// `code` (stable, like E0101), `severity`, `message`, `line`, `column`, `end_line`,
    /// `end_column` (1-based, columns in characters), `labels` (other places involved, e.g. the
    /// lines of a conflict) and `hint` (often `did you mean ...?`). Flagged as an error when
    /// the program has errors. Fix the words the diagnostics point at and check again.
    #[tool(name = "check")]
    async fn check(
        &self,
        Parameters(request): Parameters<CheckRequest>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(tools::check(&request))
    }

    /// List the words tunec knows, with what each means, how it is written and how firmly it
    /// binds (hard: every note keeps it; soft: a preset's leaning; exact: written as is).
    /// `kind` narrows the list: `style`, `mood`, `instrument`, `clause`, `mode`, `pattern`,
    /// `drum`, `part`, `section`, `tempo`, or `all` (the default: every kind but the glue
    /// words of English sentences). Returns a JSON array of
    /// `{"word", "kind", "meaning", "usage", "strength", "lines"}`.
    #[tool(name = "vocabulary")]
    async fn vocabulary(
        &self,
        Parameters(request): Parameters<VocabularyRequest>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(tools::vocabulary(&request))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Tunec {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("tunec", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

/// Serves one client on standard input and output until it hangs up; the exit status.
pub(crate) fn stdio(stderr: &mut dyn std::io::Write) -> i32 {
    // One thread: requests are answered one at a time, as they come.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let served = runtime.map_err(|e| e.to_string()).and_then(|runtime| {
        runtime.block_on(async {
            let service = Tunec::new()
                .serve(rmcp::transport::stdio())
                .await
                .map_err(|e| e.to_string())?;
            service.waiting().await.map_err(|e| e.to_string())?;
            Ok::<(), String>(())
        })
    });
    match served {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(stderr, "error: the MCP server stopped: {e}");
            1
        }
    }
}
