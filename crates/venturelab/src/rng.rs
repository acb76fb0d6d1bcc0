//! Reproducible random streams keyed by (seed, entity, purpose).
//!
//! Every random quantity in venturelab comes from [`stream`]: the run's seed, the entity
//! (fund 17, company 3, bootstrap replicate 512) and the purpose ("exit multiples",
//! "exit years"). The generator is ChaCha8 (crate `rand_chacha`, pinned): the key is derived
//! from (seed, purpose) and the entity selects one of its 2^64 independent streams. A
//! result therefore depends only on what is being drawn, never on which thread draws it or
//! in what order, so parallel runs are bit-identical for any thread count.
//!
//! The derivation below is part of the output contract: changing it changes every
//! simulated number for a given seed.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator type behind every stream.
pub type Stream = ChaCha8Rng;

/// The default seed when the user gives none (printed in every output).
pub const DEFAULT_SEED: u64 = 20_260_101;

/// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
#[inline(always)]
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// FNV-1a hash of a purpose label: stable across platforms and Rust versions (unlike
/// `std::hash`).
fn purpose_hash(purpose: &str) -> u64 {
    purpose.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The random stream for (seed, entity, purpose).
pub fn stream(seed: u64, entity: u64, purpose: &str) -> Stream {
    let mut key = [0u8; 32];
    let mut x = splitmix64(seed) ^ purpose_hash(purpose);
    for chunk in key.chunks_exact_mut(8) {
        x = splitmix64(x);
        chunk.copy_from_slice(&x.to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(entity);
    rng
}

/// The fast generator: Xoshiro256++ (Blackman & Vigna 2021; crate `rand_xoshiro`, pinned).
/// Used where a stream is opened per entity millions of times for a few dozen numbers
/// each (one stream per simulated fund), where ChaCha8's key setup and block function
/// were a quarter of the fund simulator's time; everything else uses [`Stream`].
pub type FastStream = Xoshiro256PlusPlus;

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The Xoshiro256++ state of the fast stream for (seed, entity, purpose): four words of a
/// SplitMix64 sequence started from a hash of the key (Vigna's recommended seeding). The
/// start point is a bijection of the entity, so distinct entities never share a state.
/// Part of the output contract, like [`stream`].
pub fn fast_state(seed: u64, entity: u64, purpose: &str) -> [u64; 4] {
    FastKey::new(seed, purpose).state(entity)
}

/// The part of [`fast_state`] that depends only on (seed, purpose), hashed once for the
/// many entities that draw for the same purpose.
#[derive(Debug, Clone, Copy)]
pub struct FastKey(u64);

impl FastKey {
    /// The key of (seed, purpose).
    pub fn new(seed: u64, purpose: &str) -> FastKey {
        FastKey(splitmix64(splitmix64(seed) ^ purpose_hash(purpose)))
    }

    /// [`fast_state`] of `entity` under this key.
    #[inline(always)]
    pub fn state(self, entity: u64) -> [u64; 4] {
        let x = splitmix64(self.0.wrapping_add(entity.wrapping_mul(GOLDEN)));
        [1u64, 2, 3, 4].map(|k| splitmix64(x.wrapping_add(k.wrapping_mul(GOLDEN))))
    }
}

/// The fast stream for (seed, entity, purpose): see [`fast_state`].
pub fn fast_stream(seed: u64, entity: u64, purpose: &str) -> FastStream {
    let mut bytes = [0u8; 32];
    for (chunk, w) in bytes
        .chunks_exact_mut(8)
        .zip(fast_state(seed, entity, purpose))
    {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    Xoshiro256PlusPlus::from_seed(bytes)
}

/// `L` Xoshiro256++ generators stepped together, one per lane, so that a block of
/// entities (funds) draws its numbers in one short loop over lanes. Lane `l` produces
/// exactly the numbers of [`FastStream`] seeded with the same state.
#[derive(Clone)]
pub struct FastLanes<const L: usize> {
    s: [[u64; L]; 4],
}

impl<const L: usize> FastLanes<L> {
    /// Lanes started from the given states (from [`fast_state`]).
    pub fn new(states: [[u64; 4]; L]) -> Self {
        let mut s = [[0u64; L]; 4];
        for (l, st) in states.iter().enumerate() {
            for w in 0..4 {
                s[w][l] = st[w];
            }
        }
        FastLanes { s }
    }

    /// The next word of every lane: the xoshiro256++ step of the reference C code.
    #[inline(always)]
    pub fn next_u64(&mut self) -> [u64; L] {
        let [s0, s1, s2, s3] = &mut self.s;
        let mut out = [0u64; L];
        for l in 0..L {
            out[l] = s0[l]
                .wrapping_add(s3[l])
                .rotate_left(23)
                .wrapping_add(s0[l]);
            let t = s1[l] << 17;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = s3[l].rotate_left(45);
        }
        out
    }
}

/// For tests: uniforms in [0, 1) from a SplitMix64 sequence started at `seed` (plain
/// pseudo-random inputs, no key or stream).
#[cfg(test)]
pub(crate) fn test_uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = splitmix64(state);
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn lanes_match_the_reference_generator() {
        // Each lane must produce what rand_xoshiro's Xoshiro256++ produces from the same
        // state (an independent implementation of the published algorithm).
        let states: [[u64; 4]; 3] = [0u64, 1, 99].map(|e| fast_state(5, e, "lanes"));
        let mut lanes = FastLanes::<3>::new(states);
        let mut refs: Vec<FastStream> = [0u64, 1, 99]
            .iter()
            .map(|&e| fast_stream(5, e, "lanes"))
            .collect();
        for _ in 0..1000 {
            let got = lanes.next_u64();
            for (l, r) in refs.iter_mut().enumerate() {
                assert_eq!(got[l], r.random::<u64>());
            }
        }
    }

    #[test]
    fn xoshiro_reference_value() {
        // Vigna's xoshiro256plusplus.c with state {1, 2, 3, 4}: the first output is
        // rotl(s0 + s3, 23) + s0 = rotl(5, 23) + 1 = 5 * 2^23 + 1 = 41943041 (by hand).
        let mut lanes = FastLanes::<1>::new([[1, 2, 3, 4]]);
        assert_eq!(lanes.next_u64()[0], 41_943_041);
    }

    #[test]
    fn same_key_same_numbers() {
        let a: Vec<u64> = stream(7, 3, "exits").random_iter().take(4).collect();
        let b: Vec<u64> = stream(7, 3, "exits").random_iter().take(4).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn any_part_of_the_key_changes_the_stream() {
        let base: u64 = stream(7, 3, "exits").random();
        assert_ne!(base, stream(8, 3, "exits").random::<u64>());
        assert_ne!(base, stream(7, 4, "exits").random::<u64>());
        assert_ne!(base, stream(7, 3, "years").random::<u64>());
    }

    #[test]
    fn splitmix_reference_value() {
        // Reference: the first output of Vigna's splitmix64.c seeded with 0 is
        // 0xE220A8397B1DCDAF (the finaliser applied to the golden-ratio increment).
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
    }
}
