//! The `tunec` binary: a thin shell over `tunec::cli::run`.

use tunec::cli::{Streams, run};
use tunec::{Code, Diagnostic, Diagnostics};

fn main() {
    // A panic inside the library comes back as an internal-error diagnostic; the default hook
    // would print it a second time, raw.
    std::panic::set_hook(Box::new(|_| {}));
    let status =
        std::panic::catch_unwind(|| Streams::with_std(|streams| run(std::env::args_os(), streams)))
            .unwrap_or_else(|_| {
                let bug =
                    Diagnostic::new(Code::Internal, "internal error: the command line panicked")
                        .hint("this is a bug in tunec; please report it with the input file");
                eprint!("{}", Diagnostics::single("", bug));
                1
            });
    std::process::exit(status);
}
