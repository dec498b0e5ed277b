//! `--watch`: compile again, writing the same outputs (and playing again with `--play`), each
//! time the input file is saved, until the process is stopped. Problems in the input are
//! reported and the watch goes on; command-line misuse ends it.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::progress::Progress;
use super::{Args, Failure, Player, Streams, execute};

/// How long the file must stay quiet after a change before it is read: an editor's save is
/// often several events (write, rename, attributes).
const QUIET: Duration = Duration::from_millis(60);

/// Compiles `args` now and after every save of its input; returns the exit status when the
/// watch cannot go on.
pub(super) fn run(args: &Args, streams: &mut Streams, mut player: Option<&mut Player>) -> i32 {
    let input = args.input.as_deref().unwrap_or("-");
    if input == "-" {
        let misuse = Failure::usage("--watch needs a file to watch, not standard input");
        let _ = write!(streams.stderr, "{}", misuse.report(args.error_format));
        return 2;
    }
    let path = Path::new(input);
    let (sender, events) = channel();
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    // The folder is watched, not the file: editors save by writing a new file over the old.
    let watching = notify::recommended_watcher(sender)
        .and_then(|mut w| w.watch(folder, RecursiveMode::NonRecursive).map(|_| w));
    let _watcher = match watching {
        Ok(watcher) => watcher,
        Err(e) => {
            let _ = writeln!(streams.stderr, "error: cannot watch {input}: {e}");
            return 1;
        }
    };
    let _ = writeln!(
        streams.stderr,
        "watching {input}: compiling on every save (Ctrl-C to stop)"
    );
    loop {
        let mut progress = Progress::new(&mut *streams.stderr, streams.stderr_terminal);
        let stdin = &mut *streams.stdin;
        let compiled = execute(
            args,
            stdin,
            &mut *streams.stdout,
            streams.terminal,
            &mut progress,
            player.as_deref_mut(),
        );
        match compiled {
            Err(Failure::Usage(m)) => {
                let misuse = Failure::Usage(m).report(args.error_format);
                let _ = write!(progress.stderr(), "{misuse}");
                return 2;
            }
            Err(failure) => {
                let _ = write!(progress.stderr(), "{}", failure.report(args.error_format));
            }
            Ok(()) => {}
        }
        if !saved(path, &events) {
            let _ = writeln!(streams.stderr, "error: stopped watching {input}");
            return 1;
        }
    }
}

/// Waits for `path` to be saved (and then quiet); false when the watcher has stopped.
fn saved(path: &Path, events: &Receiver<notify::Result<Event>>) -> bool {
    loop {
        match events.recv() {
            Ok(Ok(event)) if touches(&event, path) => break,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    loop {
        match events.recv_timeout(QUIET) {
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// Whether `event` changed the file at `path`: written, created or moved there. Reading it
/// (as each compile does) is no change.
fn touches(event: &Event, path: &Path) -> bool {
    let changed = match event.kind {
        EventKind::Create(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    };
    changed
        && event
            .paths
            .iter()
            .any(|p| p.file_name().is_some() && p.file_name() == path.file_name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, MetadataKind};

    #[test]
    fn only_changes_to_the_file_itself_count() {
        let at = |kind, name: &str| Event::new(kind).add_path(Path::new("/tmp/x").join(name));
        let song = Path::new("song.tune");
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        assert!(touches(&at(written, "song.tune"), song));
        assert!(touches(
            &at(EventKind::Create(CreateKind::File), "song.tune"),
            song
        ));
        assert!(
            !touches(&at(written, "song.mid"), song),
            "the output is no change"
        );
        let read = EventKind::Access(AccessKind::Open(AccessMode::Read));
        assert!(!touches(&at(read, "song.tune"), song), "compiling reads it");
        let touched = EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime));
        assert!(!touches(&at(touched, "song.tune"), song));
    }
}
