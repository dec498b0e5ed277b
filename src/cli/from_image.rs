//! `tunec --from-image photo.jpg`: the prompt a picture asks for, written as a `.tune` file
//! beside the picture (or where `-o` says) and then composed like any other program.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::progress::Progress;
use super::{Args, Emit, Failure, Source, files, print};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::limits::MAX_IMAGE_BYTES;
use crate::{Options, Program};

/// A prompt measured from a picture and where its `.tune` file is.
pub(super) struct Prompt {
    text: String,
    path: PathBuf,
}

/// Measures the picture `image` (`-`: standard input) and writes its prompt: with `--emit
/// tune` to `-o` or standard output, and nothing more (`None`); otherwise to the `.tune` file
/// [`tune_path`] names, unless `--check` or `--stats` asks for nothing to be written.
pub(super) fn prompt(
    args: &Args,
    image: &str,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    progress: &mut Progress,
) -> Result<Option<Prompt>, Failure> {
    let picture = (image != "-").then(|| Path::new(image));
    let (name, bytes) = match picture {
        None => ("<stdin>", read_bounded(stdin, "standard input")?),
        Some(path) => (image, read_file(path, image)?),
    };
    if let (Some(picture), Some(output)) = (picture, args.output.as_deref()) {
        refuse_to_overwrite(picture, Path::new(output))?;
    }
    // Misuse is refused before anything is written.
    composing_args(args).check_usage()?;
    let text = crate::prompt_from_image(&bytes, name)?;
    if args.emit == Some(Emit::Tune) {
        return match args.output.as_deref() {
            None | Some("-") => print(stdout, text.as_bytes()).map(|_| None),
            Some(path) => write(Path::new(path), &text, picture, progress).map(|_| None),
        };
    }
    let path = tune_path(args, picture)?;
    if !args.check && args.stats.is_none() {
        write(&path, &text, picture, progress)?;
    }
    Ok(Some(Prompt { text, path }))
}

impl Prompt {
    /// The prompt as a program to compose, read as if from its `.tune` file.
    pub(super) fn source(&self, seed: Option<u64>) -> Result<Source<'_>, Failure> {
        let file_name = self.path.to_string_lossy().into_owned();
        let stem = self
            .path
            .file_stem()
            .map_or("tune".into(), |s| s.to_string_lossy().into_owned());
        let options = Options::new().name(&stem).file_name(&file_name);
        let options = match seed {
            Some(seed) => options.seed(seed),
            None => options,
        };
        Ok(Source {
            program: Program::read(&self.text, &options)?,
            file_name,
            path: Some(&self.path),
            stem,
        })
    }
}

/// The arguments the composition runs with: `-o song.tune` named the prompt's file, so the
/// music goes beside it, in the format `--emit` asks for (else MIDI).
pub(super) fn composing_args(args: &Args) -> Args {
    let names_tune = args
        .output
        .as_deref()
        .is_some_and(|o| files::formats_named(o).contains(&crate::Format::Tune));
    let mut args = args.clone();
    if names_tune && args.variations.is_none() {
        args.output = None;
    }
    args
}

/// Where the prompt goes: `-o`'s file when it is a `.tune` file, else `-o`'s file with the
/// extension `.tune`, else beside the picture.
fn tune_path(args: &Args, picture: Option<&Path>) -> Result<PathBuf, Failure> {
    let output = args.output.as_deref().filter(|_| args.variations.is_none());
    match (output, picture) {
        (Some(o), _) if o != "-" => Ok(Path::new(o).with_extension("tune")),
        (_, Some(picture)) => Ok(picture.with_extension("tune")),
        (_, None) => Err(Failure::usage(
            "a picture from standard input needs a file for its prompt: give -o song.tune, \
             or --emit tune to print the prompt",
        )),
    }
}

/// Writes the prompt to `path`, never over the picture, and says so.
fn write(
    path: &Path,
    text: &str,
    picture: Option<&Path>,
    progress: &mut Progress,
) -> Result<(), Failure> {
    files::write(path, text.as_bytes(), picture).map_err(Failure::io)?;
    let _ = writeln!(progress.stderr(), "wrote {}: the prompt", path.display());
    Ok(())
}

/// `-o` must not name the picture: the music would be written over it.
fn refuse_to_overwrite(picture: &Path, output: &Path) -> Result<(), Failure> {
    let same = std::fs::canonicalize(picture)
        .is_ok_and(|p| std::fs::canonicalize(output).is_ok_and(|o| o == p));
    match same {
        false => Ok(()),
        true => {
            let message = format!("refusing to overwrite the picture {}", output.display());
            let refusal =
                Diagnostic::new(Code::CannotWrite, message).hint("choose another output with -o");
            Err(Failure::io(refusal))
        }
    }
}

fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, Failure> {
    let file = std::fs::File::open(path).map_err(|e| cannot_read(name, e))?;
    read_bounded(file, name)
}

/// Reads at most one byte more than tunec decodes, so that an endless input costs no more than
/// a large one; the decoder refuses what is over.
fn read_bounded(reader: impl Read, name: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_IMAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(name, e))?;
    Ok(bytes)
}

fn cannot_read(name: &str, e: std::io::Error) -> Failure {
    let read = Diagnostic::new(Code::CannotRead, format!("cannot read {name}: {e}"));
    Failure::Input(Diagnostics::single(name, read))
}
