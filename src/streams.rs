//! Named random streams: every random choice comes from a ChaCha8 stream of its own, derived
//! from the seed and the name of the part and stage that draws it.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random stream of one part and stage: the seed picks the key, the name picks the stream.
pub fn stream(seed: u64, name: &str) -> ChaCha8Rng {
    // FNV-1a: a fixed, platform-independent hash of the stream's name.
    let id = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id);
    rng
}

/// One of `items`, drawn on the stream `name` by how many training tunes have each (`tunes`);
/// `None` when there are none. A piece's form pattern and its habit are drawn so.
pub fn draw_by_tunes<'a, T>(
    seed: u64,
    name: &str,
    items: &'a [T],
    tunes: impl Fn(&T) -> f64,
) -> Option<&'a T> {
    let weights: Vec<f64> = items.iter().map(tunes).collect();
    pick(&mut stream(seed, name), &weights).map(|i| &items[i])
}

/// Index drawn with probability proportional to `weights`, from 53 random bits.
pub fn pick(rng: &mut impl RngCore, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let unit = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let target = unit * total;
    let mut sum = 0.0;
    let mut last = None;
    for (i, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            sum += w;
            last = Some(i);
            if target < sum {
                return Some(i);
            }
        }
    }
    last
}
