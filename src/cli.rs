//! The command line: arguments, input and output files, messages on stderr and exit statuses.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};

use crate::{Compiled, Error, compose_plan, plan, render};

/// Compile a .tune file of music prompts into a verified multi-part MIDI file.
#[derive(Parser, Debug)]
#[command(name = "tunec", version)]
struct Args {
    /// The .tune file to compile, or `-` to read it from standard input
    input: String,
    /// Where to write: a file, a folder (for --variations), or `-` for standard output
    #[arg(short, long, value_name = "PATH")]
    output: Option<String>,
    /// Seed for the composer (overrides the file's `seed`; default 0)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// What to write: a MIDI file, a text listing of the notes, or the expanded plan
    #[arg(long, value_enum, default_value_t = Emit::Midi)]
    emit: Emit,
    /// Only check the input (parse, resolve, compose and verify); write nothing
    #[arg(long, conflicts_with_all = ["output", "variations"])]
    check: bool,
    /// Write N variations, seeds S..S+N-1, as STEM-SEED.mid (or .txt)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    variations: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    Midi,
    Text,
    Plan,
}

/// What went wrong, and the exit status it earns.
enum Failure {
    Input(String),
    Usage(String),
}

/// Runs tunec with `args` (program name first); returns the exit status.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(e) => {
            let _ = write!(stderr, "{}", e.render());
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match execute(&args, stdin, stdout, stderr) {
        Ok(()) => 0,
        Err(Failure::Input(message)) => {
            let _ = write!(stderr, "{message}");
            1
        }
        Err(Failure::Usage(message)) => {
            let _ = writeln!(stderr, "error: {message}");
            2
        }
    }
}

fn execute(
    args: &Args,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), Failure> {
    let from_stdin = args.input == "-";
    let (file_name, source) = if from_stdin {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Input(format!("error: cannot read standard input: {e}\n")))?;
        ("<stdin>".to_string(), decode(bytes, "<stdin>")?)
    } else {
        let bytes = std::fs::read(&args.input)
            .map_err(|e| Failure::Input(format!("error: cannot read {}: {e}\n", args.input)))?;
        (args.input.clone(), decode(bytes, &args.input)?)
    };
    let stem = if from_stdin {
        "tune".to_string()
    } else {
        Path::new(&args.input)
            .file_stem()
            .map_or("tune".into(), |s| s.to_string_lossy().into_owned())
    };
    let fail = |e: Error| match e {
        Error::Input(d) => Failure::Input(d.render(&file_name, &source)),
        Error::Internal(m) => Failure::Input(format!(
            "error: internal error: {m}\n  = this is a bug in tunec; please report it with the input file\n"
        )),
    };
    let guarded = |f: &dyn Fn() -> Result<Compiled, Error>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(Error::Internal("tunec panicked".into())))
            .map_err(fail)
    };
    let plan = std::panic::catch_unwind(|| plan(&source))
        .unwrap_or_else(|_| Err(Error::Internal("tunec panicked".into())))
        .map_err(fail)?;
    let first_seed = args.seed.or(plan.seed).unwrap_or(0);

    if args.emit == Emit::Plan && !args.check {
        let text = render::plan::render(&plan);
        return emit(args.output.as_deref(), text.as_bytes(), stdout, &args.input).map(|_| ());
    }
    if args.check {
        let compiled = guarded(&|| compose_plan(plan.clone(), first_seed, &stem))?;
        let _ = writeln!(
            stderr,
            "ok: {} is satisfiable ({})",
            file_name,
            summary(&compiled)
        );
        return Ok(());
    }
    if let Some(count) = args.variations {
        let folder = match args.output.as_deref() {
            Some("-") => {
                return Err(Failure::Usage(
                    "--variations writes files; give a folder with -o".into(),
                ));
            }
            Some(dir) => PathBuf::from(dir),
            None if from_stdin => PathBuf::from("."),
            None => Path::new(&args.input)
                .parent()
                .map_or(PathBuf::from("."), Path::to_path_buf),
        };
        for seed in (0..count as u64).map(|i| first_seed.wrapping_add(i)) {
            let compiled = guarded(&|| compose_plan(plan.clone(), seed, &stem))?;
            let path = folder.join(format!("{stem}-{seed}.{}", extension(args.emit)));
            let bytes = output_bytes(args.emit, &compiled);
            write_atomically(&path, &bytes, &args.input)?;
            let _ = writeln!(stderr, "seed {seed} → {}", path.display());
        }
        return Ok(());
    }
    let compiled = guarded(&|| compose_plan(plan.clone(), first_seed, &stem))?;
    let bytes = output_bytes(args.emit, &compiled);
    let target = match (args.output.as_deref(), args.emit) {
        (Some(path), _) => Some(path.to_string()),
        (None, Emit::Midi) if !from_stdin => Some(
            Path::new(&args.input)
                .with_extension("mid")
                .to_string_lossy()
                .into_owned(),
        ),
        _ => None,
    };
    let written = emit(target.as_deref(), &bytes, stdout, &args.input)?;
    let _ = writeln!(
        stderr,
        "{}{}",
        written.map_or(String::new(), |p| format!("wrote {p}: ")),
        summary(&compiled)
    );
    Ok(())
}

fn decode(bytes: Vec<u8>, name: &str) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| {
        Failure::Input(format!(
            "error: {name} is not UTF-8 text (invalid byte at offset {})\n",
            e.utf8_error().valid_up_to()
        ))
    })
}

fn extension(emit: Emit) -> &'static str {
    match emit {
        Emit::Midi => "mid",
        Emit::Text | Emit::Plan => "txt",
    }
}

fn output_bytes(emit: Emit, compiled: &Compiled) -> Vec<u8> {
    match emit {
        Emit::Midi => render::midi::render(&compiled.score),
        Emit::Text => render::text::render(&compiled.score).into_bytes(),
        Emit::Plan => render::plan::render(&compiled.plan).into_bytes(),
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

/// Writes to `target` (a path, `-` for stdout, `None` for stdout); returns the path written.
fn emit(
    target: Option<&str>,
    bytes: &[u8],
    stdout: &mut dyn Write,
    input: &str,
) -> Result<Option<String>, Failure> {
    match target {
        None | Some("-") => {
            stdout
                .write_all(bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| {
                    Failure::Input(format!("error: cannot write to standard output: {e}\n"))
                })?;
            Ok(None)
        }
        Some(path) => {
            write_atomically(Path::new(path), bytes, input)?;
            Ok(Some(path.to_string()))
        }
    }
}

/// Writes through a temporary file in the same folder, renamed into place: never a partial file,
/// and never over the input.
fn write_atomically(path: &Path, bytes: &[u8], input: &str) -> Result<(), Failure> {
    let cannot = |e: &dyn std::fmt::Display| {
        Failure::Input(format!("error: cannot write {}: {e}\n", path.display()))
    };
    if input != "-" {
        let same = std::fs::canonicalize(input)
            .ok()
            .zip(std::fs::canonicalize(path).ok())
            .is_some_and(|(a, b)| a == b);
        if same {
            return Err(Failure::Input(format!(
                "error: refusing to overwrite the input file {}\n  = hint: choose another output with -o\n",
                path.display()
            )));
        }
    }
    if path.is_dir() {
        return Err(cannot(&"it is a folder"));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&folder).map_err(|e| cannot(&e))?;
    file.write_all(bytes).map_err(|e| cannot(&e))?;
    file.persist(path).map_err(|e| cannot(&e.error))?;
    Ok(())
}
