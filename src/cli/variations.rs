//! `--variations N`: N seeds of one program composed on every core, written in seed order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::progress::Progress;
use super::{Args, Failure, Source, files, last_seed, output_bytes, synth};

/// Writes `STEM-SEED.EXT` for `count` seeds from the program's first into `-o`'s folder (else
/// beside the input). Each file's bytes are the same whatever the number of threads.
pub(super) fn write(
    args: &Args,
    source: &Source,
    count: u32,
    progress: &mut Progress,
) -> Result<(), Failure> {
    let first_seed = source.program.seed();
    let folder = match args.output.as_deref() {
        Some("-") => {
            return Err(Failure::usage(
                "--variations writes files; give a folder with -o",
            ));
        }
        Some(dir) => PathBuf::from(dir),
        None => source
            .path
            .and_then(Path::parent)
            .map_or(PathBuf::from("."), Path::to_path_buf),
    };
    last_seed(first_seed, count, "variations")?;
    let synth = synth(args)?;
    let render = |i: u64| {
        let compiled = source.program.compose(first_seed + i)?;
        output_bytes(args.emit(), &compiled, synth.as_ref(), &mut |_| {})
    };
    let stem = &source.stem;
    let extension = args.emit().format().extension();
    let path_of = |seed: u64| folder.join(format!("{stem}-{seed}.{extension}"));
    in_parallel(count as u64, &render, |i, bytes| {
        let seed = first_seed + i;
        let path = path_of(seed);
        files::write(&path, &bytes, source.path).map_err(Failure::io)?;
        progress.set(
            &format!("variation {}/{count}", i + 1),
            (i + 1) as f64 / count as f64,
        );
        let _ = writeln!(progress.stderr(), "seed {seed} → {}", path.display());
        Ok(())
    })
}

/// Runs `make(0..count)` on every core and hands each result to `take` in order; stops at the
/// first failure.
fn in_parallel(
    count: u64,
    make: &(dyn Fn(u64) -> Result<Vec<u8>, Failure> + Sync),
    mut take: impl FnMut(u64, Vec<u8>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count as usize);
    let next = AtomicU64::new(0);
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let send = send.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count || send.send((i, make(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);
        let mut ready = BTreeMap::new();
        let mut done = 0u64;
        for (i, result) in receive {
            ready.insert(i, result);
            while let Some(result) = ready.remove(&done) {
                let written = result.and_then(|bytes| take(done, bytes));
                if written.is_err() {
                    // Stop the workers: nothing after a failure is written.
                    next.store(u64::MAX / 2, Ordering::Relaxed);
                    return written;
                }
                done += 1;
            }
        }
        Ok(())
    })
}
