//! The command line: arguments, messages on stderr and exit statuses over the library API.

mod files;

use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, ValueEnum, ValueHint};

use crate::render::wav::{self, Synth};
use crate::{Compiled, Error, compose_plan, plan, render};

/// Compile a .tune file of music prompts into a verified multi-part MIDI file.
#[derive(Parser, Debug)]
#[command(name = "tunec", version, allow_negative_numbers = true)]
struct Args {
    /// The .tune file to compile, or `-` to read it from standard input
    #[arg(required_unless_present = "completions", value_hint = ValueHint::FilePath)]
    input: Option<String>,
    /// Where to write: a file, a folder (for --variations), or `-` for standard output
    #[arg(short, long, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    output: Option<String>,
    /// Seed for the composer (overrides the file's `seed`; default 0)
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// What to write: a MIDI file, ABC notation, a text listing of the notes, the expanded plan,
    /// audio (WAV) or a piano-roll picture (SVG)
    #[arg(long, value_enum, default_value_t = Emit::Midi)]
    emit: Emit,
    /// The SoundFont (.sf2) that plays --emit wav, or `none` for the built-in synth
    /// [default: an installed General MIDI SoundFont, else the built-in synth]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    soundfont: Option<PathBuf>,
    /// Only check the input (parse, resolve, compose and verify); write nothing
    #[arg(long, conflicts_with_all = ["output", "variations"])]
    check: bool,
    /// Write N variations, seeds S..S+N-1, as STEM-SEED.mid (or .abc, .txt, .wav, .svg)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    variations: Option<u32>,
    /// Print the melody's statistics over N seeds: intervals, range, tonic endings, phrase peaks,
    /// motifs restated, notes outside the chord
    #[arg(long, value_name = "N", conflicts_with_all = ["output", "variations", "check"], value_parser = clap::value_parser!(u32).range(1..=100_000))]
    stats: Option<u32>,
    /// Print the completion script for SHELL and exit
    #[arg(long, value_name = "SHELL", exclusive = true)]
    completions: Option<clap_complete::Shell>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    Midi,
    Abc,
    Text,
    Plan,
    Wav,
    Svg,
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

/// The process's standard streams; `terminal` says whether stdout is a terminal, and
/// `stderr_terminal` whether stderr is (then long jobs show a progress bar there).
pub struct Streams<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub terminal: bool,
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

/// A one-line progress bar on stderr, drawn only when stderr is a terminal and cleared when
/// done.
struct Progress<'a> {
    stderr: &'a mut dyn Write,
    shown: bool,
    label: String,
    drawn: Option<usize>,
}

impl<'a> Progress<'a> {
    const WIDTH: usize = 30;

    fn new(stderr: &'a mut dyn Write, shown: bool) -> Progress<'a> {
        Progress {
            stderr,
            shown,
            label: String::new(),
            drawn: None,
        }
    }

    fn set(&mut self, label: &str, fraction: f64) {
        if !self.shown {
            return;
        }
        let percent = (fraction.clamp(0.0, 1.0) * 100.0) as usize;
        if self.drawn == Some(percent) && self.label == label {
            return;
        }
        self.drawn = Some(percent);
        self.label = label.to_string();
        let filled = percent * Self::WIDTH / 100;
        let _ = write!(
            self.stderr,
            "\r\x1b[K{label} [{}{}] {percent:>3}%",
            "#".repeat(filled),
            "-".repeat(Self::WIDTH - filled)
        );
        let _ = self.stderr.flush();
    }

    /// Clears the bar, so that the next message starts on a clean line.
    fn clear(&mut self) {
        if self.drawn.take().is_some() {
            let _ = write!(self.stderr, "\r\x1b[K");
            let _ = self.stderr.flush();
        }
    }

    fn stderr(&mut self) -> &mut dyn Write {
        self.clear();
        &mut *self.stderr
    }
}

/// Runs tunec with `args` (program name first); returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>, streams: Streams) -> i32 {
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            let _ = write!(streams.stderr, "{}", e.render());
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
    let mut progress = Progress::new(&mut *streams.stderr, streams.stderr_terminal);
    let result = execute(
        &args,
        streams.stdin,
        streams.stdout,
        streams.terminal,
        &mut progress,
    );
    match result {
        Ok(()) => 0,
        Err(failure) => {
            let _ = write!(progress.stderr(), "{}", failure.message);
            if failure.usage { 2 } else { 1 }
        }
    }
}

/// Prints `text` on standard output; returns the exit status.
fn answer(streams: Streams, text: &[u8]) -> i32 {
    match print(streams.stdout, text) {
        Ok(()) => 0,
        Err(failure) => {
            let _ = write!(streams.stderr, "{}", failure.message);
            1
        }
    }
}

/// Writes `bytes` to standard output, flushed, so that a failed write is an error (exit 1).
fn print(stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Failure> {
    stdout
        .write_all(bytes)
        .and_then(|_| stdout.flush())
        .map_err(|e| Failure::input(format!("error: cannot write to standard output: {e}\n")))
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
    progress: &mut Progress,
) -> Result<(), Failure> {
    let input_arg = args.input.as_deref().unwrap_or("-");
    let from_stdin = input_arg == "-";
    let input = (!from_stdin).then(|| Path::new(input_arg));
    let (file_name, bytes) = match input {
        None => {
            let name = "<stdin>";
            (name.to_string(), files::read_stdin(stdin, name))
        }
        Some(path) => (input_arg.to_string(), files::read(path, input_arg)),
    };
    let bytes = bytes.map_err(Failure::input)?;
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

    if args.soundfont.is_some() && args.emit != Emit::Wav {
        return Err(Failure::usage("--soundfont only applies to --emit wav"));
    }
    if let Some(n) = args.stats {
        // The range of seeds must not shrink silently at the end of u64.
        let last = first_seed.checked_add(n as u64 - 1).ok_or_else(|| {
            Failure::usage("the seeds of the statistics would run past 18446744073709551615")
        })?;
        let seeds = first_seed..=last;
        let profile = guarded(|| crate::stats::melody_profile(&plan, seeds)).map_err(fail)?;
        let line = format!("{file_name}, seeds {first_seed} to {last}: {profile}\n");
        return print(stdout, line.as_bytes());
    }
    if args.check {
        let compiled = compile(first_seed)?;
        let _ = writeln!(
            progress.stderr(),
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
        let synth = synth(args)?;
        // Variations are composed on every core; files are written and announced in seed order,
        // and each file's bytes are the same whatever the number of threads.
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(count as usize);
        let next = std::sync::atomic::AtomicU64::new(0);
        let (send, receive) = std::sync::mpsc::channel();
        let render = |i: u64| {
            compile(first_seed + i)
                .and_then(|c| output_bytes(args.emit, &c, synth.as_ref(), &mut |_| {}))
        };
        std::thread::scope(|scope| -> Result<(), Failure> {
            for _ in 0..workers {
                let send = send.clone();
                let (next, render) = (&next, &render);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= count as u64 || send.send((i, render(i))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(send);
            let mut ready = std::collections::BTreeMap::new();
            let mut written = 0u64;
            for (i, result) in receive {
                ready.insert(i, result);
                while let Some(result) = ready.remove(&written) {
                    let seed = first_seed + written;
                    let stop = |f| {
                        next.store(u64::MAX / 2, std::sync::atomic::Ordering::Relaxed);
                        f
                    };
                    let bytes = result.map_err(stop)?;
                    let path = folder.join(format!("{stem}-{seed}.{}", extension(args.emit)));
                    files::write(&path, &bytes, input).map_err(|e| stop(Failure::input(e)))?;
                    written += 1;
                    progress.set(
                        &format!("variation {written}/{count}"),
                        written as f64 / count as f64,
                    );
                    let _ = writeln!(progress.stderr(), "seed {seed} → {}", path.display());
                }
            }
            Ok(())
        })?;
        return Ok(());
    }
    let compiled = compile(first_seed)?;
    let beside = |ext: &str| input.map(|p| p.with_extension(ext).to_string_lossy().into_owned());
    let binary = |what: &str| {
        Failure::usage(&format!(
            "refusing to write {what} to a terminal; give a file with -o or redirect the output"
        ))
    };
    let target = match (args.output.as_deref(), args.emit) {
        (Some("-"), Emit::Wav) if terminal => return Err(binary("audio")),
        (Some(path), _) => Some(path.to_string()),
        (None, Emit::Midi | Emit::Wav) => match beside(extension(args.emit)) {
            Some(path) => Some(path),
            None if terminal => {
                return Err(binary(if args.emit == Emit::Wav {
                    "audio"
                } else {
                    "MIDI"
                }));
            }
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
    };
    let synth = synth(args)?;
    let bytes = output_bytes(args.emit, &compiled, synth.as_ref(), &mut |f| {
        progress.set("rendering audio", f)
    })?;
    let written = emit(target.as_deref(), &bytes, stdout, input)?;
    let wrote = written.map_or(String::new(), |p| format!("wrote {p}: "));
    let played = synth.map_or(String::new(), |s| format!(" ({})", s.describe()));
    let _ = writeln!(progress.stderr(), "{wrote}{}{played}", summary(&compiled));
    Ok(())
}

/// The synthesizer for --emit wav: `--soundfont FILE`, `none` for the built-in one, else an
/// installed General MIDI SoundFont, else the built-in one. `None` for other outputs.
fn synth(args: &Args) -> Result<Option<Synth>, Failure> {
    if args.emit != Emit::Wav {
        return Ok(None);
    }
    let synth = match args.soundfont.as_deref() {
        Some(path) if path == Path::new("none") => Synth::Embedded,
        Some(path) => Synth::load(path).map_err(|e| Failure::input(format!("error: {e}\n")))?,
        None => Synth::system_default(),
    };
    Ok(Some(synth))
}

fn extension(emit: Emit) -> &'static str {
    match emit {
        Emit::Midi => "mid",
        Emit::Abc => "abc",
        Emit::Text | Emit::Plan => "txt",
        Emit::Wav => "wav",
        Emit::Svg => "svg",
    }
}

fn output_bytes(
    emit: Emit,
    compiled: &Compiled,
    synth: Option<&Synth>,
    progress: &mut dyn FnMut(f64),
) -> Result<Vec<u8>, Failure> {
    Ok(match emit {
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
        Emit::Svg => render::svg::render(&compiled.score).into_bytes(),
        Emit::Wav => {
            let settings = wav::Settings {
                sample_rate: wav::SAMPLE_RATE,
                synth: synth.cloned().unwrap_or(Synth::Embedded),
            };
            wav::render_with_progress(&compiled.score, &settings, progress)
                .map_err(|e| Failure::input(format!("error: {e}\n")))?
        }
    })
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
            print(stdout, bytes)?;
            Ok(None)
        }
        Some(path) => {
            files::write(Path::new(path), bytes, input).map_err(Failure::input)?;
            Ok(Some(path.to_string()))
        }
    }
}
