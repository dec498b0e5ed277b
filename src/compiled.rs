//! The front door's main road: a program compiled into a verified piece, and every format that
//! piece can be written in.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::resolve::{self, Origin, Plan};
use crate::score::Score;
use crate::{Options, check, compose, contained, limits, render, syntax};

/// A composed and verified piece, ready to be written in any [`Format`].
#[derive(Clone, Debug)]
pub struct Compiled {
    plan: Plan,
    score: Score,
    file_name: String,
}

/// What [`Compiled::render`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// A Standard MIDI File, format 1, 480 ticks a quarter note.
    Midi,
    /// ABC 2.1 notation, one voice per pitched part, with chord symbols.
    Abc,
    /// A bar-by-bar listing of chords and notes, made for diffs.
    Text,
    /// Every setting with the line or preset it came from, and how soft targets were met.
    Plan,
    /// A piano roll as an SVG picture.
    Svg,
    /// 16-bit stereo WAV audio from the built-in synth, at 44.1 kHz
    /// ([`Compiled::render_audio`] plays it through a SoundFont).
    #[cfg(feature = "audio")]
    Wav,
}

impl Format {
    /// The file extension for this format, without the dot: `mid`, `abc`, `txt`, `svg`, `wav`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Midi => "mid",
            Format::Abc => "abc",
            Format::Text | Format::Plan => "txt",
            Format::Svg => "svg",
            #[cfg(feature = "audio")]
            Format::Wav => "wav",
        }
    }

    /// Whether the bytes are binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        match self {
            Format::Midi => true,
            #[cfg(feature = "audio")]
            Format::Wav => true,
            _ => false,
        }
    }
}

/// Reads, resolves, composes and verifies `source`.
///
/// On failure, [`Diagnostics`] holds every independent problem found: all the unreadable lines
/// and unknown words, or the lines that conflict.
pub fn compile(source: &str, options: &Options) -> Result<Compiled, Diagnostics> {
    let file_name = options.shown_file_name();
    let source = &*crate::source::unify_line_ends(source);
    contained(|| {
        let plan = resolved(source)?;
        let seed = options.seed.or(plan.seed).unwrap_or(0);
        let (plan, score) = compose_plan(plan, seed, &options.name)?;
        Ok(Compiled {
            plan,
            score,
            file_name: file_name.to_string(),
        })
    })
    .map_err(|items| Diagnostics::new(file_name, source, items))
}

/// Composes a resolved Plan with `seed` and verifies the result; `name` is the title when the
/// plan has none.
pub fn compose_plan(plan: Plan, seed: u64, name: &str) -> Result<(Plan, Score), Vec<Diagnostic>> {
    let title = plan.title.clone().unwrap_or_else(|| name.to_string());
    let score = compose::compose(&plan, seed, &title).map_err(|c| vec![conflict(c)])?;
    verify(&score, &plan, seed)?;
    Ok((plan, score))
}

/// The Plan of `source`, or every problem found on the way there.
pub fn resolved(source: &str) -> Result<Plan, Vec<Diagnostic>> {
    if source.len() > limits::MAX_SOURCE_BYTES {
        return Err(vec![too_large(Some(source.len() as u64))]);
    }
    let (program, mut errors) = syntax::parse(source);
    if !errors.is_empty() {
        errors.extend(resolve::line_errors(&program, source));
        errors.sort_by_key(|e| e.labels.first().map(|l| l.span.start));
        return Err(errors);
    }
    resolve::resolve(&program, source)
}

/// The error for a program over the size limit; `bytes` is its size when known.
pub(crate) fn too_large(bytes: Option<u64>) -> Diagnostic {
    let size = bytes.map_or(
        format!("more than {} KiB", limits::MAX_SOURCE_BYTES / 1024),
        |b| format!("{} KiB", b.div_ceil(1024)),
    );
    let message = format!(
        "the program is too large: {size}, and tunec reads at most {} KiB",
        limits::MAX_SOURCE_BYTES / 1024
    );
    Diagnostic::new(Code::TooLarge, message).hint("split it into several files")
}

fn verify(score: &Score, plan: &Plan, seed: u64) -> Result<(), Vec<Diagnostic>> {
    let violations = check::check(score, plan);
    if violations.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
    Err(vec![Diagnostic::internal(format!(
        "the composed music breaks its own plan (seed {seed}): {}",
        list.join("; ")
    ))])
}

fn conflict(c: compose::Conflict) -> Diagnostic {
    let subject = match c.role {
        Some(resolve::PartRole::Chords) => "the chords part".to_string(),
        Some(role) => format!("the {}", role.name()),
        None => "the harmony".to_string(),
    };
    let message = match c.origins.len() {
        0 => format!("{subject} cannot be written: {}", c.reason),
        1 => format!("{subject} cannot satisfy this line"),
        _ => format!("{subject} cannot satisfy these lines together"),
    };
    let mut d = Diagnostic::new(Code::Unsatisfiable, message);
    for origin in &c.origins {
        if let Origin::Line { span, line, .. } = origin {
            d = d.label(*span, format!("line {line}"));
        }
    }
    if c.origins.is_empty() {
        d
    } else {
        d.hint(c.reason)
    }
}

impl Compiled {
    /// The piece written as `format`.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, Diagnostics> {
        let score = &self.score;
        #[cfg(feature = "audio")]
        if format == Format::Wav {
            return self.render_audio(&crate::Synth::Embedded, &mut |_| {});
        }
        contained(|| {
            Ok(match format {
                Format::Midi => render::midi::render(score),
                Format::Abc => render::abc::render(score).into_bytes(),
                Format::Text => render::text::render(score).into_bytes(),
                Format::Plan => format!(
                    "{}\n{}",
                    render::plan::render(&self.plan.as_composed(&score.gave_way)),
                    render::plan::report(&self.plan, score)
                )
                .into_bytes(),
                Format::Svg => render::svg::render(score).into_bytes(),
                #[cfg(feature = "audio")]
                Format::Wav => unreachable!("rendered above"),
            })
        })
        .map_err(|items| Diagnostics::new(&self.file_name, "", items))
    }

    /// The piece as a 44.1 kHz WAV file played by `synth`, calling `progress` with the fraction
    /// done (0 to 1) now and then.
    #[cfg(feature = "audio")]
    pub fn render_audio(
        &self,
        synth: &crate::Synth,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Vec<u8>, Diagnostics> {
        let settings = render::wav::Settings {
            sample_rate: render::wav::SAMPLE_RATE,
            synth: synth.clone(),
        };
        contained(|| {
            render::wav::render_with_progress(&self.score, &settings, progress).map_err(|e| {
                vec![Diagnostic::new(
                    Code::Internal,
                    format!("cannot render audio: {e}"),
                )]
            })
        })
        .map_err(|items| Diagnostics::new(&self.file_name, "", items))
    }

    /// Every setting as the music kept it (a default that gave way is left out), with its
    /// strength and origin.
    pub fn settings(&self) -> Vec<crate::Setting> {
        crate::settings::settings(&self.plan.as_composed(&self.score.gave_way))
    }

    /// The seed it was composed with.
    pub fn seed(&self) -> u64 {
        self.score.seed
    }

    /// `3 parts (melody, chords, bass), 16 bars, 210 notes, seed 0, 0:40`
    pub fn summary(&self) -> String {
        let score = &self.score;
        let names: Vec<&str> = score.parts.iter().map(|p| p.name()).collect();
        format!(
            "{} part{} ({}), {} bars, {} notes, seed {}, {}",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", "),
            score.bars,
            score.note_count(),
            score.seed,
            render::duration(score)
        )
    }

    /// The composed music, for tunec's own tests.
    #[doc(hidden)]
    pub fn score(&self) -> &Score {
        &self.score
    }

    /// The resolved plan, for tunec's own tests.
    #[doc(hidden)]
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}
