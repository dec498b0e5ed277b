//! The `tunec` binary: a thin shell over `tunec::cli::run`.

use tunec::cli::{Streams, run, serve};

fn main() {
    // `run` turns every panic into an internal-error message; the default hook would print it a
    // second time, raw.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<_> = std::env::args_os().collect();
    // `tunec lsp` and `tunec mcp` talk over stdin and stdout themselves, so they come first.
    let status = serve(&args).unwrap_or_else(|| Streams::with_std(|streams| run(args, streams)));
    std::process::exit(status);
}
