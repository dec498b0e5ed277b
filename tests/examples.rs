//! Every example compiles, verifies over many seeds, and matches its text snapshot.

mod common;
use common::examples;
use std::path::Path;

use tunec::{Options, compile, render};

fn options(path: &Path, seed: Option<u64>) -> Options {
    let options = Options::new().name(path.file_stem().unwrap().to_string_lossy());
    match seed {
        Some(seed) => options.seed(seed),
        None => options,
    }
}

#[test]
fn snapshots_of_every_example() {
    insta::glob!("../examples", "*.tune", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let compiled = compile(&source, &options(path, None)).unwrap();
        insta::assert_snapshot!(render::text::render(compiled.score()));
    });
}

/// `compile` runs the verifier on every result, so `Ok` means every hard constraint held.
#[test]
fn every_example_verifies_over_200_seeds() {
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        for seed in 0..200 {
            if let Err(e) = compile(&source, &options(&path, Some(seed))) {
                panic!("{} with seed {seed}: {e:?}", path.display());
            }
        }
    }
}

#[test]
fn same_seed_same_bytes_different_seed_different_melody() {
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        let midi = |seed| {
            render::midi::render(
                compile(&source, &options(&path, Some(seed)))
                    .unwrap()
                    .score(),
            )
        };
        assert_eq!(midi(7), midi(7), "{}", path.display());
        let melody = |seed| {
            let compiled = compile(&source, &options(&path, Some(seed))).unwrap();
            let score = compiled.score();
            score.parts[0]
                .notes
                .iter()
                .map(|n| (n.start, n.pitch))
                .collect::<Vec<_>>()
        };
        let distinct: std::collections::BTreeSet<_> = (0..5).map(melody).collect();
        assert_eq!(
            distinct.len(),
            5,
            "{}: seeds 0..5 should give 5 different melodies",
            path.display()
        );
    }
}
