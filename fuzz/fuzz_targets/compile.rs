//! The whole pipeline on arbitrary bytes: a result or a clean input error, never a panic, a hang
//! or an internal error. `cargo +nightly fuzz run compile` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tunec::{Format, Options, compile};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let options = Options::new().seed(data.len() as u64).name("fuzz");
    match compile(source, &options) {
        Ok(compiled) => {
            let _ = compiled.render(Format::Midi);
            let _ = compiled.render(Format::Text);
        }
        Err(d) if d.is_internal() => panic!("internal error: {d}"),
        Err(d) => {
            let _ = d.to_string();
        }
    }
});
