//! Golden values: an upgrade of rand_chacha or a change to the composer that alters the output
//! for an unchanged input fails here loudly (and in the snapshots), never silently.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tunec::{Options, compile, render};

/// FNV-1a, 64 bits: a fixed, dependency-free fingerprint of the MIDI bytes.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn chacha8_from_seed_42_is_pinned() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let first: Vec<u64> = (0..4).map(|_| rng.next_u64()).collect();
    assert_eq!(
        first, GOLDEN_CHACHA,
        "rand_chacha's stream changed: every composition would change"
    );
}

#[test]
fn harbour_lights_midi_bytes_are_pinned() {
    let source = std::fs::read_to_string("examples/harbour_lights.tune").unwrap();
    let options = Options::new().seed(0).name("harbour_lights");
    let bytes = render::midi::render(compile(&source, &options).unwrap().score());
    assert_eq!(
        (bytes.len(), fingerprint(&bytes)),
        GOLDEN_MIDI,
        "the MIDI of examples/harbour_lights.tune (seed 0) changed; if deliberate, update this value"
    );
}

#[test]
fn parts_have_independent_streams() {
    // Dropping the bass must not change a single melody note.
    let with = "folk tune in G major, 8 bars\nmelody: flute\n";
    let without = "folk tune in G major, 8 bars\nmelody: flute\nbass: none\n";
    let melody = |s: &str| {
        compile(s, &Options::new().seed(3).name("x"))
            .unwrap()
            .score()
            .parts[0]
            .notes
            .clone()
    };
    assert_eq!(melody(with), melody(without));
}

const GOLDEN_CHACHA: [u64; 4] = [
    12578764544318200737,
    17529487244874322312,
    7886285670807131020,
    11572758976476374866,
];
const GOLDEN_MIDI: (usize, u64) = (1827, 14013696667496523871);
