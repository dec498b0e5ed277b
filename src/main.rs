//! The `tunec` binary: a thin shell over `tunec::cli::run`.

use tunec::cli::{Streams, run};

fn main() {
    // `run` turns every panic into an internal-error message; the default hook would print it a
    // second time, raw.
    std::panic::set_hook(Box::new(|_| {}));
    let status = Streams::with_std(|streams| run(std::env::args_os(), streams));
    std::process::exit(status);
}
