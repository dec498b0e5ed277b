//! The command line: arguments, messages on stderr and exit statuses over the library API.

mod files;

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};

use crate::{Compiled, Error, compose_plan, plan, render};

/// Compile a .tune file of music prompts into a verified multi-part MIDI file.
#[derive(Parser, Debug)]
#[command(name = "tunec", version, allow_negative_numbers = true)]
struct Args {
    /// The .tune file to compile, or `-` to read it from standard input
    input: String,
    /// Where to write: a file, a folder (for --variations), or `-` for standard output
    #[arg(short, long, value_name = "PATH")]
    output: Option<String>,
    /// Seed for the composer (overrides the file's `seed`; default 0)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// What to write: a MIDI file, ABC notation, a text listing of the notes, or the expanded plan
    #[arg(long, value_enum, default_value_t = Emit::Midi)]
    emit: Emit,
    /// Only check the input (parse, resolve, compose and verify); write nothing
    #[arg(long, conflicts_with_all = ["output", "variations"])]
    check: bool,
    /// Write N variations, seeds S..S+N-1, as STEM-SEED.mid (or .abc, .txt)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    variations: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    Midi,
    Abc,
    Text,
    Plan,
}

/// What went wrong: the message for stderr, and whether it was command-line misuse (status 2)
/// rather than a problem with the input (status 1).
struct Failure {
    message: String,
    usage: bool,
}

impl Failure {
    fn input(message: String) -> Failure {
        Failure {
            message,
            usage: false,
        }
    }

    fn usage(message: &str) -> Failure {
        Failure {
            message: format!("error: {message}\n"),
            usage: true,
        }
    }
}

/// The process's standard streams; `terminal` says whether stdout is a terminal.
pub struct Streams<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub terminal: bool,
}

impl Streams<'_> {
    /// Runs `f` with the process's own streams.
    pub fn with_std<T>(f: impl FnOnce(Streams) -> T) -> T {
        let terminal = std::io::stdout().is_terminal();
        f(Streams {
            stdin: &mut std::io::stdin().lock(),
            stdout: &mut std::io::stdout().lock(),
            stderr: &mut std::io::stderr().lock(),
            terminal,
        })
    }
}

/// Runs tunec with `args` (program name first); returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>, streams: Streams) -> i32 {
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(e) => {
            let _ = write!(streams.stderr, "{}", e.render());
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let stderr = &mut *streams.stderr;
    match execute(
        &args,
        streams.stdin,
        streams.stdout,
        streams.terminal,
        stderr,
    ) {
        Ok(()) => 0,
        Err(failure) => {
            let _ = write!(stderr, "{}", failure.message);
            if failure.usage { 2 } else { 1 }
        }
    }
}

/// Runs `f`, turning a panic into an internal error.
fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::Internal("tunec panicked".into())))
}

fn execute(
    args: &Args,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    terminal: bool,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let from_stdin = args.input == "-";
    let input = (!from_stdin).then(|| Path::new(&args.input));
    let (file_name, bytes) = match input {
        None => {
            let mut bytes = Vec::new();
            stdin
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::input(format!("error: cannot read standard input: {e}\n")))?;
            ("<stdin>".to_string(), bytes)
        }
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::input(format!("error: cannot read {}: {e}\n", args.input)))?;
            (args.input.clone(), bytes)
        }
    };
    let source = files::decode(bytes, &file_name).map_err(Failure::input)?;
    let stem = input
        .and_then(Path::file_stem)
        .map_or("tune".into(), |s| s.to_string_lossy().into_owned());
    let fail = |e: Error| match e {
        Error::Input(d) => Failure::input(d.render(&file_name, &source)),
        Error::Internal(m) => Failure::input(format!(
            "error: internal error: {m}\n  = this is a bug in tunec; please report it with the input file\n"
        )),
    };
    let plan = guarded(|| plan(&source)).map_err(fail)?;
    let first_seed = args.seed.or(plan.seed).unwrap_or(0);
    let compile = |seed: u64| guarded(|| compose_plan(plan.clone(), seed, &stem)).map_err(fail);

    if args.check {
        let compiled = compile(first_seed)?;
        let _ = writeln!(
            stderr,
            "ok: {file_name} is satisfiable ({})",
            summary(&compiled)
        );
        return Ok(());
    }
    if let Some(count) = args.variations {
        let folder = match args.output.as_deref() {
            Some("-") => {
                return Err(Failure::usage(
                    "--variations writes files; give a folder with -o",
                ));
            }
            Some(dir) => PathBuf::from(dir),
            None => input
                .and_then(Path::parent)
                .map_or(PathBuf::from("."), Path::to_path_buf),
        };
        if first_seed.checked_add(count as u64 - 1).is_none() {
            return Err(Failure::usage(
                "the seeds of the variations would run past 18446744073709551615",
            ));
        }
        for seed in first_seed..first_seed + count as u64 {
            let compiled = compile(seed)?;
            let path = folder.join(format!("{stem}-{seed}.{}", extension(args.emit)));
            files::write(&path, &output_bytes(args.emit, &compiled), input)
                .map_err(Failure::input)?;
            let _ = writeln!(stderr, "seed {seed} → {}", path.display());
        }
        return Ok(());
    }
    let compiled = compile(first_seed)?;
    let target = match (args.output.as_deref(), args.emit) {
        (Some(path), _) => Some(path.to_string()),
        (None, Emit::Midi) => match input {
            Some(path) => Some(path.with_extension("mid").to_string_lossy().into_owned()),
            None if terminal => {
                return Err(Failure::usage(
                    "refusing to write MIDI to a terminal; give a file with -o or redirect the output",
                ));
            }
            None => None,
        },
        (None, _) => None,
    };
    let written = emit(
        target.as_deref(),
        &output_bytes(args.emit, &compiled),
        stdout,
        input,
    )?;
    let wrote = written.map_or(String::new(), |p| format!("wrote {p}: "));
    let _ = writeln!(stderr, "{wrote}{}", summary(&compiled));
    Ok(())
}

fn extension(emit: Emit) -> &'static str {
    match emit {
        Emit::Midi => "mid",
        Emit::Abc => "abc",
        Emit::Text | Emit::Plan => "txt",
    }
}

fn output_bytes(emit: Emit, compiled: &Compiled) -> Vec<u8> {
    match emit {
        Emit::Midi => render::midi::render(&compiled.score),
        Emit::Abc => render::abc::render(&compiled.score).into_bytes(),
        Emit::Text => render::text::render(&compiled.score).into_bytes(),
        Emit::Plan => {
            let plan = render::plan::render(&compiled.plan);
            format!(
                "{plan}\n{}",
                render::plan::report(&compiled.plan, &compiled.score)
            )
            .into_bytes()
        }
    }
}

/// `3 parts (melody, chords, bass), 16 bars, 210 notes, seed 0, 0:40`
fn summary(compiled: &Compiled) -> String {
    let score = &compiled.score;
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

/// Writes to `target` (`None` or `-`: standard output); returns the path written.
fn emit(
    target: Option<&str>,
    bytes: &[u8],
    stdout: &mut dyn Write,
    input: Option<&Path>,
) -> Result<Option<String>, Failure> {
    match target {
        None | Some("-") => {
            stdout
                .write_all(bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| {
                    Failure::input(format!("error: cannot write to standard output: {e}\n"))
                })?;
            Ok(None)
        }
        Some(path) => {
            files::write(Path::new(path), bytes, input).map_err(Failure::input)?;
            Ok(Some(path.to_string()))
        }
    }
}
