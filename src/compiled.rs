//! The front door's main road: a program compiled into a verified piece, and every format that
//! piece can be written in.

use std::borrow::Cow;

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
    /// ABC 2.1 notation, one voice per part (the drums a percussion voice), with chord
    /// symbols, and repeats where the form repeats a section.
    Abc,
    /// MusicXML 4.0 (partwise), for notation programs: a part per pitched part and one for
    /// the drums, chord symbols, rehearsal marks and the tempo on its real beat.
    MusicXml,
    /// A bar-by-bar listing of chords and notes, made for diffs.
    Text,
    /// Every setting with the line or preset it came from, and how soft targets were met.
    Plan,
    /// A piano roll as an SVG picture.
    Svg,
    /// The program in canonical clauses, as tunec read it: compiling it gives the same music.
    Tune,
    /// 16-bit stereo WAV audio from the built-in synth, at 44.1 kHz
    /// ([`Compiled::render_audio`] plays it through a SoundFont).
    #[cfg(feature = "audio")]
    Wav,
}

impl Format {
    /// The file extension for this format, without the dot: `mid`, `abc`, `musicxml`, `txt`,
    /// `svg`, `wav`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Midi => "mid",
            Format::Abc => "abc",
            Format::MusicXml => "musicxml",
            Format::Text | Format::Plan => "txt",
            Format::Tune => "tune",
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
    let program = Program::read(source, options)?;
    program.compose(program.seed())
}

/// A program read and resolved once, ready to be composed with any number of seeds (variations,
/// statistics, a playground's "next seed").
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) plan: Plan,
    pub(crate) options: Options,
    pub(crate) source: String,
}

impl Program {
    /// Reads and resolves `source`; the diagnostics are every problem found on the way.
    pub fn read(source: &str, options: &Options) -> Result<Program, Diagnostics> {
        // Checked before the copy below, so that a huge string is never copied.
        limits::check_size(source)
            .map_err(|d| Diagnostics::single(options.shown_file_name(), d))?;
        let source = crate::source::unify_line_ends(source).into_owned();
        match contained(|| plan_for_seed(&source, options.seed)) {
            Ok(plan) => Ok(Program {
                plan,
                options: options.clone(),
                source,
            }),
            Err(items) => Err(Diagnostics::new(options.shown_file_name(), &source, items)),
        }
    }

    /// The seed [`compile`] uses: the one in the options, else the program's `seed`, else 0.
    pub fn seed(&self) -> u64 {
        seed_of(&self.plan, self.options.seed)
    }

    /// Composes and verifies the piece with `seed`.
    ///
    /// A key the program leaves to tunec is drawn for each seed: the program is resolved
    /// again for a seed other than the one it was read with.
    pub fn compose(&self, seed: u64) -> Result<Compiled, Diagnostics> {
        let file_name = self.options.shown_file_name();
        contained(|| {
            let plan = self.plan_for(seed)?;
            let score = compose_source(&plan, &self.source, seed, &self.options.name)?;
            Ok((plan.into_owned(), score))
        })
        .map(|(plan, score)| Compiled {
            plan,
            score,
            file_name: file_name.to_string(),
        })
        .map_err(|items| Diagnostics::new(file_name, &self.source, items))
    }
}

impl Program {
    /// The plan composed with `seed`: the one read, or, where the key is drawn for each seed
    /// and this is another, the program resolved again for this one.
    pub(crate) fn plan_for(&self, seed: u64) -> Result<Cow<'_, Plan>, Vec<Diagnostic>> {
        match self.plan.key_drawn_for {
            Some(drawn) if drawn != seed => plan_for_seed(&self.source, Some(seed)).map(Cow::Owned),
            _ => Ok(Cow::Borrowed(&self.plan)),
        }
    }
}

/// The seed a piece is composed with: the one asked for, else the program's `seed`, else 0.
fn seed_of(plan: &Plan, asked: Option<u64>) -> u64 {
    asked.or(plan.seed).unwrap_or(0)
}

/// Composes a resolved Plan with `seed` and verifies the result; `name` is the title when the
/// plan has none.
pub fn compose_plan(plan: &Plan, seed: u64, name: &str) -> Result<Score, Vec<Diagnostic>> {
    compose_with(plan, None, seed, name)
}

/// `compose_plan` for the plan of `source`, whose conflicts then name a minimal set of its
/// clauses, decided over the whole program (`minimal`).
pub(crate) fn compose_source(
    plan: &Plan,
    source: &str,
    seed: u64,
    name: &str,
) -> Result<Score, Vec<Diagnostic>> {
    compose_with(plan, Some(source), seed, name)
}

fn compose_with(
    plan: &Plan,
    source: Option<&str>,
    seed: u64,
    name: &str,
) -> Result<Score, Vec<Diagnostic>> {
    let title = plan.title.clone().unwrap_or_else(|| name.to_string());
    let minimal = |c| match source {
        Some(source) => crate::minimal::over_program(source, c),
        None => c,
    };
    let score = compose::compose(plan, seed, &title).map_err(|cs| {
        cs.into_iter()
            .map(minimal)
            .map(conflict)
            .collect::<Vec<_>>()
    })?;
    verify(&score, plan, seed)?;
    Ok(score)
}

/// The Plan of `source`, or every problem found on the way there. A key the program leaves
/// to tunec is drawn for the program's `seed` (else 0).
pub fn plan_of(source: &str) -> Result<Plan, Vec<Diagnostic>> {
    plan_for_seed(source, None)
}

/// `plan_of`, with a key left to tunec drawn for `seed`.
pub(crate) fn plan_for_seed(source: &str, seed: Option<u64>) -> Result<Plan, Vec<Diagnostic>> {
    let (program, errors) = read(source)?;
    resolve_read(&program, errors, source, seed)
}

/// The lines of `source` that could be read, and the errors of those that could not; a
/// program over the size limit is not read at all.
pub(crate) fn read(source: &str) -> Result<(syntax::Program, Vec<Diagnostic>), Vec<Diagnostic>> {
    limits::check_size(source).map_err(|d| vec![d])?;
    Ok(syntax::parse(source))
}

/// The Plan of a program read with `errors`; with errors, those of the other lines too.
pub(crate) fn resolve_read(
    program: &syntax::Program,
    errors: Vec<Diagnostic>,
    source: &str,
    seed: Option<u64>,
) -> Result<Plan, Vec<Diagnostic>> {
    if errors.is_empty() {
        return resolve::resolve(program, source, seed);
    }
    let errors = errors
        .into_iter()
        .map(|e| resolve::refusal_after(source, e));
    let mut errors: Vec<Diagnostic> = errors.collect();
    errors.extend(resolve::line_errors(program, source));
    errors.sort_by_key(|e| e.labels.first().map(|l| l.span.start));
    Err(errors)
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
    // On one line (a sentence, often), each clause is labelled by its words; across lines, by
    // its line.
    let lines = |o: &Origin| match o {
        Origin::Line { line, .. } => Some(*line),
        _ => None,
    };
    let first = c.origins.iter().find_map(lines);
    let one_line = c.origins.iter().filter_map(lines).all(|l| Some(l) == first);
    for origin in &c.origins {
        if let Origin::Line { span, line, text } = origin {
            let label = match one_line {
                true => format!("`{text}`"),
                false => format!("line {line}"),
            };
            d = d.label(*span, label);
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
            return self.render_audio(&crate::Synth::builtin(), &mut |_| {});
        }
        contained(|| {
            Ok(match format {
                Format::Midi => render::midi::render(score),
                Format::Abc => render::abc::render(score).into_bytes(),
                Format::MusicXml => render::musicxml::render(score),
                Format::Text => render::text::render(score).into_bytes(),
                Format::Tune => self.plan.canonical.clone().into_bytes(),
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
        use render::wav;
        let settings = wav::Settings {
            sample_rate: wav::SAMPLE_RATE,
            synth: synth.0.clone(),
        };
        let minutes = wav::MAX_SECONDS / 60;
        if self.score.seconds() > wav::MAX_SECONDS as f64 {
            let message = format!(
                "the piece plays for {}, and tunec renders at most {minutes} minutes of audio",
                render::duration(&self.score)
            );
            let hint = "write MIDI and play it with a synthesizer, or ask for fewer bars";
            let too_long = Diagnostic::new(Code::TooLongForAudio, message).hint(hint);
            return Err(Diagnostics::new(&self.file_name, "", vec![too_long]));
        }
        contained(|| {
            wav::render_with_progress(&self.score, &settings, progress).map_err(|e| {
                vec![match settings.synth {
                    // A SoundFont that loads can still fail to play.
                    wav::Synth::SoundFont { .. } => Diagnostic::new(Code::BadSoundFont, e),
                    wav::Synth::Embedded => {
                        Diagnostic::internal(format!("cannot render audio: {e}"))
                    }
                }]
            })
        })
        .map_err(|items| Diagnostics::new(&self.file_name, "", items))
    }

    /// What `synth` cannot play as written, one sentence a part: the notes its SoundFont has
    /// no sample for on the part's instrument, and the nearest General MIDI instrument that
    /// has them, which [`Compiled::render_audio`] plays them with. A warning naming every
    /// note affected when the user wrote the instrument (`melody: tin whistle`), else (a
    /// preset chose it) a note, `None`. Empty for the built-in synth, which plays every note.
    #[cfg(feature = "audio")]
    pub fn audio_gaps(&self, synth: &crate::Synth) -> Vec<(Option<crate::Severity>, String)> {
        use render::wav;
        let wav::Synth::SoundFont { font, .. } = &synth.0 else {
            return Vec::new();
        };
        let mut gaps = wav::coverage::gaps(font, &self.score);
        for gap in &mut gaps {
            let written = (self.plan.parts.iter())
                .find(|p| p.role.name() == gap.part)
                .map(|p| &p.program.origin);
            if let Some(crate::resolve::Origin::Line { line, .. }) = written {
                gap.asked_on = Some(*line);
            }
        }
        let severity = |g: &wav::coverage::Gap| g.asked_on.map(|_| crate::Severity::Warning);
        gaps.iter().map(|g| (severity(g), g.describe())).collect()
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
        let names: Vec<String> = score.parts.iter().map(|p| p.label()).collect();
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
