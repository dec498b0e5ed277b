//! The `tunec` binary: a thin shell over `tunec::cli::run`.

fn main() {
    // Panics are reported by `run` as internal errors; keep the default hook's noise off stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let status = tunec::cli::run(
        std::env::args_os(),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(status);
}
