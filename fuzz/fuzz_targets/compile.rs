//! The whole pipeline on arbitrary bytes: a result or a clean input error, never a panic, a hang
//! or an internal error. `cargo +nightly fuzz run compile` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tunec::{Error, Options, compile, render};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let options = Options { seed: Some(data.len() as u64), name: "fuzz".into() };
    match compile(source, &options) {
        Ok(compiled) => {
            let _ = render::midi::render(&compiled.score);
            let _ = render::text::render(&compiled.score);
        }
        Err(Error::Input(d)) => {
            let _ = d.render("fuzz.tune", source);
        }
        Err(Error::Internal(m)) => panic!("internal error: {m}"),
    }
});
