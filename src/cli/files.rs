//! Reading the program and writing results: UTF-8 checks, atomic replacement, no partial files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::Format;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::limits::MAX_SOURCE_BYTES;

/// Reads the program from standard input, bounded like a file.
pub fn read_stdin(stdin: &mut dyn Read) -> Result<Vec<u8>, Diagnostic> {
    read_bounded(stdin, None, |e| {
        Diagnostic::new(Code::CannotRead, format!("cannot read standard input: {e}"))
    })
}

/// Reads the program from the file at `path` (`name` in messages).
pub fn read(path: &Path, name: &str) -> Result<Vec<u8>, Diagnostic> {
    let cannot =
        |e: std::io::Error| Diagnostic::new(Code::CannotRead, format!("cannot read {name}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    // A regular file's size is known; a device or a pipe (`/dev/zero`) has none worth giving.
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    read_bounded(file, size, cannot)
}

/// Reads at most one byte more than tunec accepts, so that an endless input (`/dev/zero`,
/// `yes |`) costs no more time or memory than a merely large one.
fn read_bounded(
    reader: impl Read,
    size: Option<u64>,
    cannot: impl FnOnce(std::io::Error) -> Diagnostic,
) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() <= MAX_SOURCE_BYTES {
        return Ok(bytes);
    }
    Err(crate::limits::too_large(size))
}

/// Decodes the program's bytes, dropping a byte-order mark; an error says where the bad byte is.
/// (The library reads old Mac line ends, `\r`, as line ends itself.)
pub fn decode(bytes: Vec<u8>, name: &str) -> Result<String, Diagnostics> {
    let bytes = match bytes.strip_prefix("\u{feff}".as_bytes()) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    let source = String::from_utf8(bytes).map_err(|e| {
        // Up to the bad byte the lossy text is the same bytes, so `at` points at its U+FFFD.
        let at = e.utf8_error().valid_up_to();
        let shown = String::from_utf8_lossy(e.as_bytes());
        let span = Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8());
        let error = Diagnostic::at(
            Code::NotUtf8,
            span,
            "this byte is not UTF-8 text",
            "not UTF-8",
        )
        .hint("save the file as UTF-8");
        Diagnostics::new(name, &shown, vec![error])
    })?;
    Ok(source)
}

/// The formats an output file's extension names, the one it means unless told first:
/// `song.abc` is ABC, `song.txt` a listing of the notes or the plan. None for `-`, a name
/// without an extension or with one that names no format.
pub fn formats_named(path: &str) -> &'static [Format] {
    let extension = Path::new(path).extension().and_then(|e| e.to_str());
    match extension.map(str::to_ascii_lowercase).as_deref() {
        Some("mid" | "midi") => &[Format::Midi],
        Some("abc") => &[Format::Abc],
        Some("musicxml" | "xml") => &[Format::MusicXml],
        Some("txt") => &[Format::Text, Format::Plan],
        Some("wav") => &[Format::Wav],
        Some("svg") => &[Format::Svg],
        Some("tune") => &[Format::Tune],
        _ => &[],
    }
}

/// Writes `bytes` to `path` so that readers see the old file or the whole new one, never a part.
///
/// Regular files are written through a temporary file in the same folder and renamed into
/// place, keeping an existing file's permissions; a symbolic link is followed; anything else
/// (a FIFO, a device) is written directly. The input file is never overwritten.
pub fn write(path: &Path, bytes: &[u8], input: Option<&Path>) -> Result<(), Diagnostic> {
    let cannot = |why: &dyn std::fmt::Display| {
        Diagnostic::new(
            Code::CannotWrite,
            format!("cannot write {}: {why}", path.display()),
        )
    };
    let target = through_links(path).map_err(|e| cannot(&e))?;
    if let Some(input) = input
        && std::fs::canonicalize(input).is_ok_and(|i| i == target)
    {
        let message = format!("refusing to overwrite the input file {}", path.display());
        return Err(
            Diagnostic::new(Code::CannotWrite, message).hint("choose another output with -o")
        );
    }
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(cannot(&"it is a folder"));
        }
        if !meta.is_file() {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(|e| cannot(&e))?;
            return file
                .write_all(bytes)
                .and_then(|_| file.flush())
                .map_err(|e| cannot(&e));
        }
        if meta.permissions().readonly() {
            return Err(cannot(&"the file is read-only"));
        }
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(cannot(&format!(
            "the folder {} does not exist",
            folder.display()
        )));
    }
    let mut file = tempfile::NamedTempFile::new_in(&folder).map_err(|e| cannot(&e))?;
    file.write_all(bytes).map_err(|e| cannot(&e))?;
    match existing {
        Some(meta) => std::fs::set_permissions(file.path(), meta.permissions()),
        None => set_default_permissions(file.path()),
    }
    .map_err(|e| cannot(&e))?;
    file.persist(&target).map_err(|e| cannot(&e.error))?;
    Ok(())
}

/// The file a write to `path` lands on: symbolic links followed, also to a file that does not
/// exist yet (a dangling link), so that a link is never replaced by the file written.
fn through_links(path: &Path) -> Result<PathBuf, String> {
    if let Ok(target) = std::fs::canonicalize(path) {
        return Ok(target);
    }
    let mut target = path.to_path_buf();
    // As many links as Linux follows before it gives up (ELOOP).
    for _ in 0..40 {
        match std::fs::read_link(&target) {
            // A relative link is relative to its folder; `join` keeps an absolute one as it is.
            Ok(next) => target = target.parent().unwrap_or(Path::new("")).join(next),
            Err(_) => return Ok(target),
        }
    }
    Err("too many levels of symbolic links".into())
}

/// A new output file is readable by all, like one a shell redirection makes (temporary files
/// start private).
#[cfg(unix)]
fn set_default_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_default_permissions(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_reports_line_and_column() {
        assert_eq!(decode(b"\xef\xbb\xbffolk".to_vec(), "a").unwrap(), "folk");
        let e = decode(b"folk\ntu\xffne".to_vec(), "a.tune")
            .unwrap_err()
            .to_string();
        assert!(e.contains("--> a.tune:2:3\n"), "{e}");
    }

    #[test]
    fn the_output_files_extension_names_its_format() {
        assert_eq!(formats_named("song.abc"), [Format::Abc]);
        assert_eq!(formats_named("out/Song.MID"), [Format::Midi]);
        assert_eq!(formats_named("song.xml"), [Format::MusicXml]);
        assert_eq!(formats_named("song.txt"), [Format::Text, Format::Plan]);
        assert_eq!(formats_named("song.wav"), [Format::Wav]);
        for nothing in ["-", "song", "song.pdf", ".abc", "takes.d/"] {
            assert_eq!(formats_named(nothing), [], "{nothing}");
        }
        // Every format can be named by its own extension.
        for format in [
            Format::Midi,
            Format::Abc,
            Format::MusicXml,
            Format::Svg,
            Format::Tune,
        ] {
            let path = format!("song.{}", format.extension());
            assert_eq!(formats_named(&path).first(), Some(&format), "{path}");
        }
    }

    #[test]
    fn writes_whole_files_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.mid");
        write(&path, b"one", None).unwrap();
        write(&path, b"two", None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let missing = dir.path().join("no/such/out.mid");
        let e = write(&missing, b"x", None).unwrap_err();
        assert!(e.message.contains("does not exist"), "{e:?}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary files left"
        );
    }
}
