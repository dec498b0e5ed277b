//! The command line: arguments, files, messages on stderr and exit statuses, over the library's
//! front door.

mod files;
mod from_image;
mod play;
mod progress;
mod servers;
mod variations;
mod watch;

pub use servers::serve;

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, ValueEnum, ValueHint};

use crate::{Compiled, Diagnostic, Diagnostics, Format, Options, Program, Synth};
use play::Player;
use progress::Progress;

/// Compile a .tune file of music prompts into a verified multi-part MIDI file.
#[derive(Parser, Debug, Clone)]
#[command(name = "tunec", version, allow_negative_numbers = true)]
#[command(
    after_help = "Servers on stdio: `tunec lsp` (a language server for editors), `tunec mcp` (a Model Context Protocol server for agents). A playground in the browser: `tunec serve [FILE]` (see `tunec serve --help`)."
)]
struct Args {
    /// The .tune file to compile, or `-` to read it from standard input
    #[arg(required_unless_present_any = ["completions", "from_image"], value_hint = ValueHint::FilePath)]
    input: Option<String>,
    /// Measure a picture (PNG, JPEG, GIF, WebP; `-` for standard input) and write the prompt it
    /// asks for, each clause with the measurement that chose it, as a .tune file beside it (or
    /// the -o file's name with .tune); then compose it, unless --emit tune
    #[arg(long, value_name = "PICTURE", conflicts_with = "input", value_hint = ValueHint::FilePath)]
    from_image: Option<String>,
    /// Where to write: a file, a folder (for --variations), or `-` for standard output
    #[arg(short, long, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    output: Option<String>,
    /// Seed for the composer (overrides the file's `seed`; default 0)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// What to write: a MIDI file, ABC notation, MusicXML, a text listing of the notes, the
    /// expanded plan, audio (WAV) or a piano-roll picture (SVG)
    /// [default: the one -o's extension names (.mid, .abc, .musicxml, .txt, .wav, .svg,
    /// .tune), else midi]
    #[arg(long, value_enum)]
    emit: Option<Emit>,
    /// The SoundFont (.sf2) that plays --emit wav, or `none` for the built-in synth
    /// [default: an installed General MIDI SoundFont, else the built-in synth]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    soundfont: Option<PathBuf>,
    /// Only check the input (parse, resolve, compose and verify); write nothing
    #[arg(long, conflicts_with_all = ["output", "variations"])]
    check: bool,
    /// Write N variations, seeds S..S+N-1, as STEM-SEED.mid (or .abc, .musicxml, .txt, .wav, .svg)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    variations: Option<u32>,
    /// Print the melody's statistics over N seeds: intervals, range, tonic endings, phrase peaks,
    /// motifs restated, notes outside the chord, running beats, bar rhythms, cadences, pickups,
    /// rests, clashes with the bass, the melody against the chords
    #[arg(long, value_name = "N", conflicts_with_all = ["output", "variations", "check"], value_parser = clap::value_parser!(u32).range(1..=100_000))]
    stats: Option<u32>,
    /// How errors are written on stderr: for people, or as one JSON array for tools
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
    /// Compile again each time the input file is saved (with --play, play it again), until
    /// stopped
    #[arg(long, conflicts_with = "stats")]
    watch: bool,
    /// Play the piece through the system's audio output (`tunec play FILE` does the same);
    /// needs a tunec built with the `play` feature
    #[arg(long, conflicts_with_all = ["output", "variations", "check", "stats"])]
    play: bool,
    /// Print the completion script for SHELL and exit
    #[arg(long, value_name = "SHELL", exclusive = true)]
    completions: Option<clap_complete::Shell>,
}

impl Args {
    /// The format asked for: `--emit`, else the one `-o`'s extension names, else MIDI.
    fn emit(&self) -> Emit {
        let named = self.named().first().copied();
        self.emit.or(named).unwrap_or(Emit::Midi)
    }

    /// The formats `-o FILE`'s extension names (none for `--variations`' folder).
    fn named(&self) -> Vec<Emit> {
        let output = self.output.as_deref().filter(|_| self.variations.is_none());
        let formats = output.map_or(&[][..], files::formats_named);
        let emit = |f: &Format| Emit::value_variants().iter().find(|e| e.format() == *f);
        formats.iter().filter_map(emit).copied().collect()
    }

    /// `--emit` and `-o FILE` must not ask for two formats.
    fn check_emit(&self) -> Result<(), Failure> {
        let (Some(emit), named) = (self.emit, self.named()) else {
            return Ok(());
        };
        match named.first() {
            Some(other) if !named.contains(&emit) => Err(Failure::Usage(format!(
                "--emit {} conflicts with -o {}, whose extension asks for {}; leave out \
                 --emit, or name the file .{}",
                emit.name(),
                self.output.as_deref().unwrap_or_default(),
                other.name(),
                emit.format().extension()
            ))),
            _ => Ok(()),
        }
    }
}

impl Args {
    /// Options that contradict each other: `--emit` against `-o`, `--soundfont` without WAV.
    fn check_usage(&self) -> Result<(), Failure> {
        self.check_emit()?;
        if self.soundfont.is_some() && self.emit() != Emit::Wav && !self.play {
            return Err(Failure::usage("--soundfont only applies to --emit wav"));
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    Midi,
    Abc,
    Musicxml,
    Text,
    Plan,
    Wav,
    Svg,
    Tune,
}

impl Emit {
    /// Its `--emit` value: `abc`, `musicxml`.
    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }

    fn format(self) -> Format {
        match self {
            Emit::Midi => Format::Midi,
            Emit::Abc => Format::Abc,
            Emit::Musicxml => Format::MusicXml,
            Emit::Text => Format::Text,
            Emit::Plan => Format::Plan,
            Emit::Wav => Format::Wav,
            Emit::Svg => Format::Svg,
            Emit::Tune => Format::Tune,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ErrorFormat {
    Human,
    Json,
}

/// What went wrong: problems with the input (status 1) or command-line misuse (status 2).
enum Failure {
    Input(Diagnostics),
    Usage(String),
}

impl Failure {
    /// One problem that has no place in the program's text (a file that cannot be written).
    fn io(diagnostic: Diagnostic) -> Failure {
        Failure::Input(Diagnostics::single("", diagnostic))
    }

    fn usage(message: &str) -> Failure {
        Failure::Usage(message.to_string())
    }

    /// The exit status: 1 for a problem with the input, 2 for misuse.
    fn status(&self) -> i32 {
        match self {
            Failure::Input(_) => 1,
            Failure::Usage(_) => 2,
        }
    }

    fn report(&self, format: ErrorFormat) -> String {
        match (self, format) {
            (Failure::Input(d), ErrorFormat::Human) => d.to_string(),
            (Failure::Input(d), ErrorFormat::Json) => d.to_json(),
            (Failure::Usage(m), ErrorFormat::Human) => format!("error: {m}\n"),
            (Failure::Usage(m), ErrorFormat::Json) => {
                let misuse = Diagnostic::new(crate::Code::Misuse, m.clone());
                Diagnostics::single("", misuse).to_json()
            }
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Failure {
        Failure::Input(d)
    }
}

/// The process's standard streams; `terminal` says whether stdout is a terminal, and
/// `stderr_terminal` whether stderr is (then long jobs show a progress bar there).
pub struct Streams<'a> {
    /// Where `tunec -` reads the program.
    pub stdin: &'a mut dyn Read,
    /// Where `-o -` and the text formats write.
    pub stdout: &'a mut dyn Write,
    /// Where messages and errors go.
    pub stderr: &'a mut dyn Write,
    /// Whether stdout is a terminal (binary output is refused there).
    pub terminal: bool,
    /// Whether stderr is a terminal (long jobs draw a progress bar there).
    pub stderr_terminal: bool,
}

impl Streams<'_> {
    /// Runs `f` with the process's own streams.
    pub fn with_std<T>(f: impl FnOnce(Streams) -> T) -> T {
        let terminal = std::io::stdout().is_terminal();
        let stderr_terminal = std::io::stderr().is_terminal();
        f(Streams {
            stdin: &mut std::io::stdin().lock(),
            stdout: &mut std::io::stdout().lock(),
            stderr: &mut std::io::stderr().lock(),
            terminal,
            stderr_terminal,
        })
    }
}

/// Runs tunec with `args` (program name first); returns the exit status.
///
/// A panic in tunec, even in the command line's own code, ends as an internal-error message and
/// status 1, never as an abort.
pub fn run(args: impl IntoIterator<Item = OsString>, mut streams: Streams) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_unguarded(&args, &mut streams)
    }));
    run.unwrap_or_else(|_| {
        let bug = Diagnostic::internal("the command line panicked");
        let _ = write!(streams.stderr, "{}", Diagnostics::single("", bug));
        1
    })
}

fn run_unguarded(args: &[OsString], streams: &mut Streams) -> i32 {
    let args = match Args::try_parse_from(played(args)) {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            let wants_json = args
                .windows(2)
                .any(|w| w[0] == "--error-format" && w[1] == "json")
                || args.iter().any(|a| a == "--error-format=json");
            let text = e.render().to_string();
            let report = match wants_json {
                // The parser's message, first line only, without its own `error: `.
                true => Failure::Usage(first_line(&text)).report(ErrorFormat::Json),
                false => text,
            };
            let _ = write!(streams.stderr, "{report}");
            return 2;
        }
        // --help and --version are what was asked for, so they go to standard output.
        Err(e) => return answer(streams, e.render().to_string().as_bytes()),
    };
    if let Some(shell) = args.completions {
        // `generate` panics when it cannot write, so the script is made in memory first.
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Args::command(), "tunec", &mut script);
        return answer(streams, &script);
    }
    let mut player = match args.play.then(Player::open).transpose() {
        Ok(player) => player,
        Err(failure) => {
            let _ = write!(streams.stderr, "{}", failure.report(args.error_format));
            return failure.status();
        }
    };
    if args.watch {
        return watch::run(&args, streams, player.as_mut());
    }
    let mut progress = Progress::new(&mut *streams.stderr, streams.stderr_terminal);
    let result = execute(
        &args,
        &mut *streams.stdin,
        &mut *streams.stdout,
        streams.terminal,
        &mut progress,
        player.as_mut(),
    );
    match result {
        Ok(()) => 0,
        Err(failure) => {
            let _ = write!(progress.stderr(), "{}", failure.report(args.error_format));
            failure.status()
        }
    }
}

/// `tunec play FILE …` is `tunec FILE … --play` (a file called `play` is `./play`).
fn played(args: &[OsString]) -> Vec<OsString> {
    match args.get(1) {
        Some(word) if word == "play" => {
            let mut args = args.to_vec();
            args.remove(1);
            args.push("--play".into());
            args
        }
        _ => args.to_vec(),
    }
}

/// The first line of the argument parser's message, without its `error: `.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

/// Prints `text` on standard output; returns the exit status.
fn answer(streams: &mut Streams, text: &[u8]) -> i32 {
    match print(&mut *streams.stdout, text) {
        Ok(()) => 0,
        Err(failure) => {
            let _ = write!(streams.stderr, "{}", failure.report(ErrorFormat::Human));
            1
        }
    }
}

/// Writes `bytes` to standard output, flushed, so that a failed write is an error (exit 1).
fn print(stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Failure> {
    stdout
        .write_all(bytes)
        .and_then(|_| stdout.flush())
        .map_err(|e| {
            let message = format!("cannot write to standard output: {e}");
            Failure::io(Diagnostic::new(crate::Code::CannotWrite, message))
        })
}

/// The program as read and resolved, with the name errors call it and the file it came from.
struct Source<'a> {
    program: Program,
    file_name: String,
    path: Option<&'a Path>,
    /// The file's name without its extension: the title when the program has none.
    stem: String,
}

/// Reads the program from `input_arg` (`-`: standard input) and resolves it once, titled after
/// the file and composed with `--seed` when given.
fn read_source<'a>(
    input_arg: &'a str,
    seed: Option<u64>,
    stdin: &mut dyn Read,
) -> Result<Source<'a>, Failure> {
    let path = (input_arg != "-").then(|| Path::new(input_arg));
    let (file_name, bytes) = match path {
        None => ("<stdin>".to_string(), files::read_stdin(stdin)),
        Some(path) => (input_arg.to_string(), files::read(path, input_arg)),
    };
    let bytes = bytes.map_err(|d| Diagnostics::single(&file_name, d))?;
    let text = files::decode(bytes, &file_name)?;
    let stem = path
        .and_then(Path::file_stem)
        .map_or("tune".into(), |s| s.to_string_lossy().into_owned());
    let options = Options::new().name(&stem).file_name(&file_name);
    let options = match seed {
        Some(seed) => options.seed(seed),
        None => options,
    };
    Ok(Source {
        program: Program::read(&text, &options)?,
        file_name,
        path,
        stem,
    })
}

fn execute(
    args: &Args,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    terminal: bool,
    progress: &mut Progress,
    player: Option<&mut Player>,
) -> Result<(), Failure> {
    let (prompt, composing);
    let (source, args) = match args.from_image.as_deref() {
        Some(image) => match from_image::prompt(args, image, stdin, stdout, progress)? {
            None => return Ok(()),
            Some(p) => {
                (prompt, composing) = (p, from_image::composing_args(args));
                (prompt.source(args.seed)?, &composing)
            }
        },
        None => (
            read_source(args.input.as_deref().unwrap_or("-"), args.seed, stdin)?,
            args,
        ),
    };
    args.check_usage()?;
    let (program, first_seed) = (&source.program, source.program.seed());
    if let Some(n) = args.stats {
        return stats(&source, n, stdout);
    }
    if args.check {
        let summary = program.compose(first_seed)?.summary();
        let file_name = &source.file_name;
        let _ = writeln!(
            progress.stderr(),
            "ok: {file_name} is satisfiable ({summary})"
        );
        return Ok(());
    }
    if let Some(count) = args.variations {
        return variations::write(args, &source, count, progress);
    }
    let compiled = program.compose(first_seed)?;
    if let Some(player) = player {
        return play(args, &source, &compiled, player, progress);
    }
    let target = target(args, source.path, terminal)?;
    let synth = synth(args)?;
    let bytes = output_bytes(args.emit(), &compiled, synth.as_ref(), &mut |f| {
        progress.set("rendering audio", f)
    })?;
    let written = write_output(target.as_deref(), &bytes, stdout, source.path)?;
    let wrote = written.map_or(String::new(), |p| format!("wrote {p}: "));
    let played = synth
        .as_ref()
        .map_or(String::new(), |s| format!(" ({})", s.describe()));
    let _ = writeln!(progress.stderr(), "{wrote}{}{played}", compiled.summary());
    if let Some(synth) = &synth {
        gaps(&compiled, synth, progress);
    }
    Ok(())
}

/// Says which notes the SoundFont has no sample for, and what plays them instead: a warning
/// when the user chose the instrument, else a note.
fn gaps(compiled: &Compiled, synth: &Synth, progress: &mut Progress) {
    for (severity, gap) in compiled.audio_gaps(synth) {
        let kind = severity.map_or("note", |_| "warning");
        let _ = writeln!(progress.stderr(), "{kind}: {gap}");
    }
}

/// `--play`: renders the audio and starts it; waits for its end unless watching for the next
/// save.
fn play(
    args: &Args,
    source: &Source,
    compiled: &Compiled,
    player: &mut Player,
    progress: &mut Progress,
) -> Result<(), Failure> {
    let synth = synth(args)?.unwrap_or_else(Synth::system_default);
    let wav = compiled.render_audio(&synth, &mut |f| progress.set("rendering audio", f))?;
    player.start(&wav)?;
    let (file_name, summary) = (&source.file_name, compiled.summary());
    let played = synth.describe();
    let _ = writeln!(
        progress.stderr(),
        "playing {file_name}: {summary} ({played})"
    );
    gaps(compiled, &synth, progress);
    if !args.watch {
        player.finish();
    }
    Ok(())
}

/// `--stats N`: the melody's statistics over N seeds from the first.
fn stats(source: &Source, n: u32, stdout: &mut dyn Write) -> Result<(), Failure> {
    let first_seed = source.program.seed();
    let last = last_seed(first_seed, n, "statistics")?;
    let profile = source.program.melody_profile(first_seed..=last)?;
    let file_name = &source.file_name;
    let line = format!("{file_name}, seeds {first_seed} to {last}: {profile}\n");
    print(stdout, line.as_bytes())
}

/// The last of `count` seeds from `first`; the range must not shrink silently at the end of
/// u64, so running past it is misuse.
fn last_seed(first: u64, count: u32, what: &str) -> Result<u64, Failure> {
    first.checked_add(count as u64 - 1).ok_or_else(|| {
        Failure::usage(&format!(
            "the seeds of the {what} would run past {}",
            u64::MAX
        ))
    })
}

/// Where a single piece goes: `-o`, else beside the input for binary formats, else stdout.
fn target(args: &Args, input: Option<&Path>, terminal: bool) -> Result<Option<String>, Failure> {
    let beside = |ext: &str| input.map(|p| p.with_extension(ext).to_string_lossy().into_owned());
    let refuse = |what: &str| {
        Failure::usage(&format!(
            "refusing to write {what} to a terminal; give a file with -o or redirect the output"
        ))
    };
    let what = if args.emit() == Emit::Wav {
        "audio"
    } else {
        "MIDI"
    };
    Ok(match (args.output.as_deref(), args.emit()) {
        (Some("-"), Emit::Wav) if terminal => return Err(refuse(what)),
        (Some(path), _) => Some(path.to_string()),
        (None, Emit::Midi | Emit::Wav) => match beside(args.emit().format().extension()) {
            Some(path) => Some(path),
            None if terminal => return Err(refuse(what)),
            None => None,
        },
        (None, Emit::Svg) => match beside("svg") {
            Some(path) => Some(path),
            None => {
                return Err(Failure::usage(
                    "give the picture's file with -o (or `-o -` for standard output)",
                ));
            }
        },
        (None, _) => None,
    })
}

/// The synthesizer for --emit wav: `--soundfont FILE`, `none` for the built-in one, else an
/// installed General MIDI SoundFont, else the built-in one. `None` for other outputs.
fn synth(args: &Args) -> Result<Option<Synth>, Failure> {
    if args.emit() != Emit::Wav && !args.play {
        return Ok(None);
    }
    let synth = match args.soundfont.as_deref() {
        Some(path) if path == Path::new("none") => Synth::builtin(),
        Some(path) => Synth::load(path).map_err(Failure::io)?,
        None => Synth::system_default(),
    };
    Ok(Some(synth))
}

fn output_bytes(
    emit: Emit,
    compiled: &Compiled,
    synth: Option<&Synth>,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<u8>, Failure> {
    let bytes = match emit {
        Emit::Wav => compiled.render_audio(synth.unwrap_or(&Synth::builtin()), progress),
        _ => compiled.render(emit.format()),
    };
    Ok(bytes?)
}

/// Writes to `target` (`None` or `-`: standard output); returns the path written.
fn write_output(
    target: Option<&str>,
    bytes: &[u8],
    stdout: &mut dyn Write,
    input: Option<&Path>,
) -> Result<Option<String>, Failure> {
    match target {
        None | Some("-") => {
            print(stdout, bytes)?;
            Ok(None)
        }
        Some(path) => {
            files::write(Path::new(path), bytes, input).map_err(Failure::io)?;
            Ok(Some(path.to_string()))
        }
    }
}
