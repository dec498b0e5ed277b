//! The `tunec` binary: a thin shell over `tunec::cli::run`.

use tunec::cli::{Streams, run};

fn main() {
    // Panics are reported by `run` as internal errors; keep the default hook's noise off stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let status = Streams::with_std(|streams| run(std::env::args_os(), streams));
    std::process::exit(status);
}
