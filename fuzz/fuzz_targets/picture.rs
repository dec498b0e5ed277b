//! `--from-image` on arbitrary bytes: a prompt that composes, or a picture's error code, never a
//! panic, a hang or an internal error. `cargo +nightly fuzz run picture` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tunec::{Options, compile, prompt_from_image};

fuzz_target!(|data: &[u8]| {
    match prompt_from_image(data, "fuzz.png") {
        Ok(prompt) => {
            if let Err(d) = compile(&prompt, &Options::new()) {
                panic!("the prompt does not compose: {d}\n{prompt}");
            }
        }
        Err(d) if d.is_internal() => panic!("internal error: {d}"),
        Err(d) => {
            let _ = d.to_string();
        }
    }
});
