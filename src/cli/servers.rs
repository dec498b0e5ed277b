//! `tunec lsp` and `tunec mcp`: the servers an editor or an agent starts on stdio, and
//! `tunec serve`, the playground in the browser. They own the process's standard streams (the
//! protocol's reader and writer run on threads of their own), so they start before
//! [`super::run`] locks them. A file called `lsp`, `mcp` or `serve` is still compiled when
//! written as a path (`tunec ./lsp`).

use std::ffi::OsString;
use std::io::Write;

/// Runs the server `args` (program name first) ask for and returns its exit status, or `None`
/// when they ask for none.
pub fn serve(args: &[OsString]) -> Option<i32> {
    let server = args.get(1)?.to_str()?;
    #[cfg(feature = "serve")]
    if server == "serve" {
        return Some(crate::playground::serve(&args[2..], &mut std::io::stderr()));
    }
    let start: fn(&mut dyn Write) -> i32 = match server {
        #[cfg(feature = "lsp")]
        "lsp" => crate::lsp::stdio,
        #[cfg(feature = "mcp")]
        "mcp" => crate::mcp::stdio,
        _ => return None,
    };
    let stderr = &mut std::io::stderr();
    // Editors' clients add `--stdio` when they talk over standard input and output.
    if let Some(extra) = args[2..].iter().find(|a| *a != "--stdio") {
        let extra = extra.to_string_lossy();
        let _ = writeln!(
            stderr,
            "error: `tunec {server}` takes no arguments (got `{extra}`)"
        );
        return Some(2);
    }
    Some(start(stderr))
}
