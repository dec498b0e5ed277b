//! tunec compiles music prompts — `.tune` files of short, precise lines — into verified
//! multi-part music: MIDI, ABC, MusicXML, a text listing, a piano roll, audio.
//!
//! The pipeline runs one way: read (`syntax`) → resolve (presets and defaults into a `Plan`) →
//! compose (seeded, exact sampling) → check (an independent verifier) → notate (measures of
//! written notes) and render. This page is
//! the front door: [`compile`] runs all of it, [`Compiled::render`] writes any [`Format`], and
//! [`analyze`] reports every problem of a program for editors.
//!
//! ```
//! let options = tunec::Options::new().seed(7);
//! let tune = tunec::compile("jig in G major, 16 bars\nmelody: ends on the tonic", &options)?;
//! let midi = tune.render(tunec::Format::Midi)?;
//! assert!(midi.starts_with(b"MThd"));
//! let abc = String::from_utf8(tune.render(tunec::Format::Abc)?).unwrap();
//! assert!(abc.contains("M:6/8"));
//! let xml = String::from_utf8(tune.render(tunec::Format::MusicXml)?).unwrap();
//! assert!(xml.contains("<beat-unit-dot/>"), "the jig's beat is a dotted quarter");
//! # Ok::<(), tunec::Diagnostics>(())
//! ```
//!
//! Errors are data: every [`Diagnostic`] has a stable [`Code`], and [`Diagnostics`] renders
//! them as a compiler does.
//!
//! ```
//! let errors = tunec::compile("folk tuen", &tunec::Options::new()).unwrap_err();
//! let first = errors.iter().next().unwrap();
//! assert_eq!(first.code, tunec::Code::UnknownWord);
//! assert!(errors.to_string().starts_with("error[E0101]: unknown word `tuen`"));
//! ```
#![warn(missing_docs)]

// The rooms of the house. Those marked hidden are reachable by tunec's own tests, benchmarks
// and fuzzers only: not part of the API, and anything in them may change in any release.
mod analysis;
#[cfg(feature = "audio")]
mod audio;
mod check;
#[cfg(feature = "cli")]
pub mod cli;
mod compiled;
#[doc(hidden)]
pub mod compose;
mod diagnostic;
mod limits;
#[cfg(feature = "lsp")]
mod lsp;
#[cfg(feature = "mcp")]
mod mcp;
mod minimal;
mod models;
mod notate;
#[doc(hidden)]
pub mod parts;
#[cfg(feature = "image")]
mod picture;
#[cfg(feature = "serve")]
mod playground;
#[doc(hidden)]
pub mod presets;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod resolve;
#[doc(hidden)]
pub mod score;
mod settings;
mod source;
#[doc(hidden)]
pub mod stats;
mod streams;
#[doc(hidden)]
pub mod syntax;
#[doc(hidden)]
pub mod theory;
mod vocabulary;

pub use analysis::{Analysis, ClauseOutline, LineOutline, analyze};
#[cfg(feature = "audio")]
pub use audio::Synth;
pub use compiled::{Compiled, Format, Program, compile};
#[doc(hidden)]
pub use compiled::{compose_plan, plan_of};
pub use diagnostic::{Code, Diagnostic, Diagnostics, Label, Position, Severity, Span};
#[cfg(feature = "image")]
pub use picture::prompt_from_image;
pub use settings::{Scope, Setting};
pub use vocabulary::Strength;

/// How to compile: the seed, and the names used when the program does not give them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Overrides the program's `seed`; with neither the seed is 0.
    pub seed: Option<u64>,
    /// The title when the program has none (a CLI passes the file's stem).
    pub name: String,
    /// The file named in diagnostics (`song.tune`); `<input>` when empty.
    pub file_name: String,
}

impl Options {
    /// Seed from the program (else 0), no title, diagnostics about `<input>`.
    pub fn new() -> Options {
        Options::default()
    }

    /// Composes with `seed`, whatever the program's `seed` clause says.
    pub fn seed(mut self, seed: u64) -> Options {
        self.seed = Some(seed);
        self
    }

    /// The title when the program has no `title` clause.
    pub fn name(mut self, name: impl Into<String>) -> Options {
        self.name = name.into();
        self
    }

    /// The file name diagnostics point into.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Options {
        self.file_name = file_name.into();
        self
    }

    fn shown_file_name(&self) -> &str {
        if self.file_name.is_empty() {
            "<input>"
        } else {
            &self.file_name
        }
    }
}

/// Runs `f`, turning a panic inside tunec into an internal-error diagnostic: a bug in tunec
/// must never abort the program that embeds it.
fn contained<T>(f: impl FnOnce() -> Result<T, Vec<Diagnostic>>) -> Result<T, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(vec![Diagnostic::internal(format!(
            "tunec panicked: {what}"
        ))])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_tunec_is_an_internal_diagnostic() {
        let result: Result<(), _> = contained(|| panic!("a bug"));
        let errors = result.unwrap_err();
        assert_eq!(errors[0].code, Code::Internal);
        assert_eq!(errors[0].message, "internal error: tunec panicked: a bug");
    }

    #[test]
    fn a_program_too_large_is_refused_before_it_is_read() {
        let huge = "folk tune\n".repeat(30_000);
        let errors = compile(&huge, &Options::new()).unwrap_err();
        let codes: Vec<Code> = errors.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::TooLarge]);
        assert_eq!(analyze(&huge).diagnostics()[0].code, Code::TooLarge);
        assert!(
            errors.source().is_empty(),
            "nothing points into it, so nothing is kept"
        );
    }

    #[test]
    fn options_build_up() {
        let options = Options::new().seed(7).name("jig").file_name("jig.tune");
        assert_eq!(options.seed, Some(7));
        assert_eq!(
            (options.name.as_str(), options.shown_file_name()),
            ("jig", "jig.tune")
        );
        assert_eq!(Options::new().shown_file_name(), "<input>");
    }
}
