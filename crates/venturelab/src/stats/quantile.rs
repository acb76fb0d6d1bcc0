//! Exact quantiles of a million values without sorting them.
//!
//! Quantiles are type 7 (numpy's default: linear interpolation between the order
//! statistics at `(n - 1) q`). Values are compared through integer order keys that sort
//! as `total_cmp` sorts the values (`order_key`, `order_key_f32`), which compare
//! faster than floats.
//!
//! The order statistics come from sample brackets (`bracketed`): a strided sample places
//! an interval of sample values around each wanted rank, one pass over the data counts
//! the keys below, at and inside each interval and keeps only those strictly inside
//! (about a sixth of the values for five quantiles), and the ranks are selected among
//! those. The pass reads the keys where they lie (no copy) and vectorizes. When an
//! interval misses its rank (unusual data, or data ordered against the sampling stride)
//! the keys are copied and selected in full (`select_ranks`). Both give the exact order
//! statistics.

/// Type-7 quantiles `qs` of `n` values whose order keys are `key(0) .. key(n - 1)`;
/// `value` turns a key back into its value.
pub(crate) fn quantiles_by<K: Key>(
    n: usize,
    key: impl Fn(usize) -> K,
    qs: &[f64],
    value: impl Fn(K) -> f64,
) -> Vec<f64> {
    if n == 0 {
        return vec![f64::NAN; qs.len()];
    }
    let ranks = quantile_ranks(n, qs);
    let found = order_statistics(n, key, &ranks);
    interpolate(n, qs, &ranks, &found, value)
}

/// Where type-7 quantile `q` of `n` (> 0) values lies: its position h, and the ranks of
/// the order statistics below and above it.
fn position(n: usize, q: f64) -> (f64, usize, usize) {
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    (h, lo, (lo + 1).min(n - 1))
}

/// The ranks (ascending, distinct) of the order statistics that type-7 quantiles `qs` of
/// `n` (> 0) values interpolate between.
pub(crate) fn quantile_ranks(n: usize, qs: &[f64]) -> Vec<usize> {
    let mut ranks: Vec<usize> = qs
        .iter()
        .flat_map(|&q| {
            let (_, lo, hi) = position(n, q);
            [lo, hi]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    ranks
}

/// Type-7 quantiles `qs` of `n` values from the keys `found` of the order statistics at
/// `ranks` ([`quantile_ranks`]).
pub(crate) fn interpolate<K: Key>(
    n: usize,
    qs: &[f64],
    ranks: &[usize],
    found: &[K],
    value: impl Fn(K) -> f64,
) -> Vec<f64> {
    let at = |r: usize| value(found[ranks.binary_search(&r).unwrap_or(0)]);
    qs.iter()
        .map(|&q| {
            let (h, lo, hi) = position(n, q);
            let (a, b) = (at(lo), at(hi));
            a + (h - lo as f64) * (b - a)
        })
        .collect()
}

/// The integer order keys: unsigned, copyable, with a zero (for buffers).
pub(crate) trait Key: Ord + Copy + Default + Send {}
impl Key for u32 {}
impl Key for u64 {}

/// The order statistics at `ranks` (ascending, distinct) of the `n` keys `key(i)`.
fn order_statistics<K: Key>(n: usize, key: impl Fn(usize) -> K, ranks: &[usize]) -> Vec<K> {
    // The counting pass vectorizes (unsigned 64-bit compares need AVX-512 or AVX2).
    let found = crate::vector::run(
        #[inline(always)]
        || bracketed(n, &key, ranks),
    );
    if let Some(found) = found {
        return found;
    }
    let mut keys: Vec<K> = (0..n).map(key).collect();
    select_ranks(&mut keys, 0, ranks);
    ranks.iter().map(|&r| keys[r]).collect()
}

/// Below this many values, selection alone is about as fast.
pub(crate) const BRACKET_MIN: usize = 1 << 15;
/// Values sampled, at even strides, to place the intervals.
pub(crate) const BRACKET_SAMPLE: usize = 8192;
/// At most this many intervals (more ranks than that: selection).
const MAX_INTERVALS: usize = 16;

/// The order statistics at `ranks` from one read of the keys, or `None` when an interval
/// misses its rank: [`Brackets`] placed from an evenly strided sample, one [`Tally`] of
/// all the keys, [`Brackets::resolve`].
#[inline(always)]
fn bracketed<K: Key>(n: usize, key: impl Fn(usize) -> K, ranks: &[usize]) -> Option<Vec<K>> {
    if n < BRACKET_MIN || ranks.is_empty() {
        return None;
    }
    let m = BRACKET_SAMPLE;
    let stride = n / m;
    let mut sample: Vec<K> = (0..m).map(|i| key(i * stride)).collect();
    sample.sort_unstable();
    let brackets = Brackets::new(&sample, n, ranks)?;
    let mut tally = Tally::new(&brackets);
    tally.add(&brackets, n, key);
    if tally.kept_keys.len() > n / 4 + 256 {
        return None; // far more inside than the sample promised: selection is as quick
    }
    brackets.resolve([tally], ranks)
}

/// Intervals of keys around wanted order statistics, placed from a sample of the values.
///
/// Around each rank r of n, an interval [a, b] of sample values from four standard
/// deviations of the sample rank below r/n to four above (overlapping intervals merged).
/// A [`Tally`] of the keys counts, for every interval, the keys below a, at most a, below
/// b and at most b (sums of comparisons, no branches, so ties cost nothing) and keeps the
/// keys strictly between a and b, with the interval they are in. A rank then falls below
/// a (a miss), on a, among the kept keys (selected there), on b, or above b (a miss).
#[derive(Debug, Clone)]
pub(crate) struct Brackets<K> {
    intervals: Vec<(K, K)>,
}

/// What a read of some of the keys leaves for [`Brackets::resolve`]: per interval, the
/// counts of keys below a, at most a, below b, at most b; and the keys strictly inside
/// one, each with the number of its interval (from 1).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tally<K> {
    counts: Vec<[usize; 4]>,
    kept_keys: Vec<K>,
    kept_tags: Vec<u8>,
}

impl<K: Key> Brackets<K> {
    /// The intervals for `ranks` (ascending) of `n` values, from `sample` (sorted, not
    /// empty), which was drawn evenly or at random from the values; `None` when they
    /// would be more than [`MAX_INTERVALS`].
    pub(crate) fn new(sample: &[K], n: usize, ranks: &[usize]) -> Option<Brackets<K>> {
        let m = sample.len();
        let mut brackets: Vec<(K, K)> = ranks
            .iter()
            .map(|&r| {
                let q = r as f64 / n as f64;
                let centre = q * m as f64;
                let spread = 4.0 * (m as f64 * q * (1.0 - q)).sqrt() + 8.0;
                let a = ((centre - spread).max(0.0) as usize).min(m - 1);
                let b = ((centre + spread) as usize).min(m - 1);
                (sample[a], sample[b])
            })
            .collect();
        brackets.sort_unstable();
        let mut intervals: Vec<(K, K)> = Vec::with_capacity(brackets.len());
        for (a, b) in brackets {
            match intervals.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => intervals.push((a, b)),
            }
        }
        (intervals.len() <= MAX_INTERVALS).then_some(Brackets { intervals })
    }

    /// The order statistics at `ranks` (ascending) of all the values tallied in
    /// `tallies` (of disjoint parts of the values, in any order), or `None` when a rank
    /// falls outside every interval.
    pub(crate) fn resolve(
        &self,
        tallies: impl IntoIterator<Item = Tally<K>>,
        ranks: &[usize],
    ) -> Option<Vec<K>> {
        let tallies: Vec<Tally<K>> = tallies.into_iter().collect();
        let mut counts = vec![[0usize; 4]; self.intervals.len()];
        for t in &tallies {
            for (c, o) in counts.iter_mut().zip(&t.counts) {
                for (c, o) in c.iter_mut().zip(o) {
                    *c += o;
                }
            }
        }
        // The kept keys of each interval (as many as the counts say are inside), in one
        // pass over the tallies.
        let mut kept_by: Vec<Vec<K>> = counts
            .iter()
            .map(|&[_, le_a, lt_b, _]| Vec::with_capacity(lt_b.saturating_sub(le_a)))
            .collect();
        for t in &tallies {
            for (&k, &tag) in t.kept_keys.iter().zip(&t.kept_tags) {
                kept_by[tag as usize - 1].push(k);
            }
        }
        let mut found = Vec::with_capacity(ranks.len());
        let mut pending = ranks.iter().copied().peekable();
        for (i, (&(a, b), &[lt_a, le_a, lt_b, le_b])) in
            self.intervals.iter().zip(&counts).enumerate()
        {
            let (at_a, inside, at_b) = if b > a {
                (le_a - lt_a, lt_b - le_a, le_b - lt_b)
            } else {
                (le_a - lt_a, 0, 0)
            };
            let end = lt_a + at_a + inside + at_b;
            let mut here = Vec::new();
            while let Some(&r) = pending.peek() {
                if r >= end {
                    break;
                }
                pending.next();
                // Below the interval (and above the previous one): a miss.
                here.push(r.checked_sub(lt_a)?);
            }
            if here.is_empty() {
                continue;
            }
            let mut within = std::mem::take(&mut kept_by[i]);
            let strict: Vec<usize> = here
                .iter()
                .filter(|&&rel| rel >= at_a && rel < at_a + inside)
                .map(|&rel| rel - at_a)
                .collect();
            select_ranks(&mut within, 0, &strict);
            for rel in here {
                found.push(if rel < at_a {
                    a
                } else if rel < at_a + inside {
                    within[rel - at_a]
                } else {
                    b
                });
            }
        }
        // Ranks above the last interval were missed.
        (found.len() == ranks.len()).then_some(found)
    }
}

impl<K: Key> Tally<K> {
    /// Whether this could be the tally of `n` keys against `brackets`: one set of counts
    /// per interval, in order (below a ≤ at most a ≤ below b ≤ at most b ≤ n), and as many
    /// kept keys of each interval, strictly inside it, as its counts say. A tally that
    /// came from elsewhere (another process) is checked so before
    /// [`Brackets::resolve`] relies on it.
    pub(crate) fn consistent(&self, brackets: &Brackets<K>, n: usize) -> bool {
        if self.counts.len() != brackets.intervals.len()
            || self.kept_keys.len() != self.kept_tags.len()
        {
            return false;
        }
        let mut inside = vec![0usize; self.counts.len()];
        for (&k, &tag) in self.kept_keys.iter().zip(&self.kept_tags) {
            let Some(i) = (tag as usize).checked_sub(1) else {
                return false;
            };
            match brackets.intervals.get(i) {
                Some(&(a, b)) if k > a && k < b => inside[i] += 1,
                _ => return false,
            }
        }
        self.counts
            .iter()
            .zip(&inside)
            .zip(&brackets.intervals)
            .all(|((&[lt_a, le_a, lt_b, le_b], &kept), &(a, b))| {
                if b > a {
                    lt_a <= le_a && le_a <= lt_b && lt_b <= le_b && le_b <= n && kept == lt_b - le_a
                } else {
                    // A one-value interval: its a and b counts are the same.
                    lt_a == lt_b && le_a == le_b && lt_a <= le_a && le_a <= n && kept == 0
                }
            })
    }

    /// The kept keys' interval numbers, to alter a tally in a test.
    #[cfg(test)]
    pub(crate) fn kept_tags_mut(&mut self) -> &mut Vec<u8> {
        &mut self.kept_tags
    }

    /// Nothing tallied yet.
    pub(crate) fn new(brackets: &Brackets<K>) -> Tally<K> {
        Tally {
            counts: vec![[0; 4]; brackets.intervals.len()],
            kept_keys: Vec::new(),
            kept_tags: Vec::new(),
        }
    }

    /// Tallies the keys `key(0) .. key(n - 1)`, 256 at a time: the counts are sums of
    /// comparisons and each key is written at the end of the kept ones, which move on
    /// only if it is inside an interval (no branches, so that this vectorizes; run it
    /// through `vector::run`).
    #[inline(always)]
    pub(crate) fn add(&mut self, brackets: &Brackets<K>, n: usize, key: impl Fn(usize) -> K) {
        const BLOCK: usize = 256;
        let mut keys = [K::default(); BLOCK];
        let mut tags = [0u8; BLOCK];
        // Worked on as locals: through `self`, every write to one buffer would make the
        // compiler reload the other's address.
        let (mut kept_keys, mut kept_tags) = (
            std::mem::take(&mut self.kept_keys),
            std::mem::take(&mut self.kept_tags),
        );
        let mut kept = kept_keys.len();
        for start in (0..n).step_by(BLOCK) {
            let block = &mut keys[..BLOCK.min(n - start)];
            for (j, k) in block.iter_mut().enumerate() {
                *k = key(start + j);
            }
            let block = &*block;
            let tags = &mut tags[..block.len()];
            tags.fill(0);
            for (i, (&(a, b), count)) in brackets.intervals.iter().zip(&mut self.counts).enumerate()
            {
                let (mut lt_a, mut le_a, mut lt_b, mut le_b) = (0u32, 0u32, 0u32, 0u32);
                for (t, &k) in tags.iter_mut().zip(block) {
                    lt_a += (k < a) as u32;
                    le_a += (k <= a) as u32;
                    lt_b += (k < b) as u32;
                    le_b += (k <= b) as u32;
                    // Intervals do not overlap: at most one tag is set.
                    *t |= ((k > a) & (k < b)) as u8 * (i as u8 + 1);
                }
                for (c, v) in count.iter_mut().zip([lt_a, le_a, lt_b, le_b]) {
                    *c += v as usize;
                }
            }
            // Room for the whole block past the kept keys.
            kept_keys.resize(kept + block.len(), K::default());
            kept_tags.resize(kept + block.len(), 0);
            for (&t, &k) in tags.iter().zip(block) {
                kept_keys[kept] = k;
                kept_tags[kept] = t;
                kept += (t != 0) as usize;
            }
        }
        kept_keys.truncate(kept);
        kept_tags.truncate(kept);
        (self.kept_keys, self.kept_tags) = (kept_keys, kept_tags);
    }
}

/// Puts the order statistic of each rank in `ranks` (ascending, relative to the whole of
/// which `keys` starts at `offset`) at its place: the middle rank first, then those below
/// it in the lower part and those above in the upper part.
fn select_ranks<K: Ord>(keys: &mut [K], offset: usize, ranks: &[usize]) {
    if ranks.is_empty() {
        return;
    }
    let mid = ranks.len() / 2;
    let at = ranks[mid] - offset;
    let (below, _, above) = keys.select_nth_unstable(at);
    select_ranks(below, offset, &ranks[..mid]);
    select_ranks(above, offset + at + 1, &ranks[mid + 1..]);
}

/// A key whose unsigned order is `f64::total_cmp`'s order: flip every bit of negative
/// numbers and only the sign bit of the others (without a branch: the sign, spread over
/// the word, picks the bits to flip).
#[inline]
pub(crate) fn order_key(x: f64) -> u64 {
    let b = x.to_bits();
    b ^ ((b as i64 >> 63) as u64 | 1 << 63)
}

/// The inverse of [`order_key`].
#[inline]
pub(crate) fn from_order_key(k: u64) -> f64 {
    f64::from_bits(k ^ (!(k as i64 >> 63) as u64 | 1 << 63))
}

/// [`order_key`] for f32 (`f32::total_cmp`'s order).
#[inline]
pub(crate) fn order_key_f32(x: f32) -> u32 {
    let b = x.to_bits();
    b ^ ((b as i32 >> 31) as u32 | 1 << 31)
}

/// The inverse of [`order_key_f32`].
#[inline]
pub(crate) fn from_order_key_f32(k: u32) -> f32 {
    f32::from_bits(k ^ (!(k as i32 >> 31) as u32 | 1 << 31))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{quantile_sorted, quantiles};

    #[test]
    fn f32_keys_sort_as_total_cmp_and_give_the_quantiles_of_the_widened_values() {
        let values = [
            f32::NEG_INFINITY,
            -3e38,
            -2.5,
            -f32::MIN_POSITIVE,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            1.0,
            f32::INFINITY,
        ];
        for a in values {
            assert_eq!(from_order_key_f32(order_key_f32(a)).to_bits(), a.to_bits());
            for b in values {
                assert_eq!(order_key_f32(a).cmp(&order_key_f32(b)), a.total_cmp(&b));
            }
        }
        let x: Vec<f32> = (0..1001)
            .map(|i| ((i * 7919) % 1009) as f32 / 3.0)
            .collect();
        let wide: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
        // Widening to f64 is exact and keeps the order, so selecting on 32-bit keys (as
        // the DPI bands do) gives the quantiles of the widened values.
        let got = quantiles_by(
            x.len(),
            |i| order_key_f32(x[i]),
            &qs,
            |k| from_order_key_f32(k) as f64,
        );
        assert_eq!(got, quantiles(&wide, &qs));
    }

    #[test]
    fn selected_quantiles_equal_sorted_ones_for_every_size_and_many_ties() {
        // Every length from 1 to 300, values with many ties (and negatives), several sets
        // of quantiles including the ends: the same numbers as sorting and interpolating.
        let mut state = 5u64;
        for n in 1..=300usize {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    state = crate::rng::splitmix64(state);
                    ((state % 17) as f64 - 5.0) / 4.0
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            for qs in [
                &[0.05, 0.25, 0.5, 0.75, 0.95][..],
                &[0.25, 0.5, 0.75],
                &[0.0, 0.5, 1.0],
                &[0.999],
            ] {
                let want: Vec<f64> = qs.iter().map(|&q| quantile_sorted(&sorted, q)).collect();
                assert_eq!(quantiles(&v, qs), want, "n = {n}, qs = {qs:?}");
            }
        }
    }

    #[test]
    fn order_keys_sort_as_total_cmp_and_round_trip() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            3.0,
            f64::INFINITY,
            f64::NAN,
        ];
        for a in values {
            assert_eq!(from_order_key(order_key(a)).to_bits(), a.to_bits());
            for b in values {
                assert_eq!(
                    order_key(a).cmp(&order_key(b)),
                    a.total_cmp(&b),
                    "{a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn selection_quantiles_equal_sorted_quantiles() {
        // numpy.percentile([...], [5, 25, 50, 75, 95]) with linear interpolation, by hand
        // for 0..=10: positions 0.5, 2.5, 5, 7.5, 9.5 -> 0.5, 2.5, 5, 7.5, 9.5.
        let v: Vec<f64> = (0..=10).rev().map(|x| x as f64).collect();
        assert_eq!(
            quantiles(&v, &[0.05, 0.25, 0.5, 0.75, 0.95]),
            vec![0.5, 2.5, 5.0, 7.5, 9.5]
        );
        // Pseudo-random values: agree with the sort-based definition.
        let x: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1009) as f64 / 3.0)
            .collect();
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
        let got = quantiles(&x, &qs);
        for (g, q) in got.iter().zip(qs) {
            assert_eq!(*g, quantile_sorted(&sorted, q));
        }
    }

    #[test]
    fn bracketed_quantiles_equal_sorted_ones_on_large_inputs_of_every_kind() {
        // Above the size where sample brackets are used: continuous values, heavy ties
        // (a few distinct values; mostly zeros), sorted either way, all equal, and a
        // pattern that repeats with the sampling stride (which misleads the sample, so
        // the full selection must take over). Every quantile must equal the sorted one.
        let mut unit = crate::rng::test_uniforms(17);
        for n in [BRACKET_MIN, 100_003] {
            let stride = n / BRACKET_SAMPLE;
            let kinds: Vec<(&str, Vec<f64>)> = vec![
                ("continuous", (0..n).map(|_| unit().ln()).collect()),
                ("ties", (0..n).map(|_| (unit() * 7.0).floor()).collect()),
                (
                    "mostly zeros",
                    (0..n)
                        .map(|_| if unit() < 0.9 { 0.0 } else { unit() })
                        .collect(),
                ),
                ("ascending", (0..n).map(|i| i as f64).collect()),
                ("descending", (0..n).map(|i| -(i as f64)).collect()),
                ("all equal", vec![2.5; n]),
                (
                    "stride pattern",
                    (0..n)
                        .map(|i| if i % stride == 0 { 1e9 } else { unit() })
                        .collect(),
                ),
            ];
            for (kind, v) in kinds {
                let mut sorted = v.clone();
                sorted.sort_by(f64::total_cmp);
                for qs in [
                    &[0.05, 0.25, 0.5, 0.75, 0.95][..],
                    &[0.25, 0.5, 0.75],
                    &[0.0, 1.0],
                    &[0.3],
                ] {
                    let want: Vec<f64> = qs.iter().map(|&q| quantile_sorted(&sorted, q)).collect();
                    assert_eq!(quantiles(&v, qs), want, "{kind}, n = {n}, qs = {qs:?}");
                }
            }
        }
        // The fast path is the one tested above on ordinary data, and the full selection
        // on the stride pattern.
        let v: Vec<u64> = (0..100_003).map(|_| order_key(unit())).collect();
        let ranks = [5_000, 5_001, 50_001, 95_001];
        assert!(bracketed(v.len(), |i| v[i], &ranks).is_some());
        let bad: Vec<u64> = (0..100_003u64)
            .map(|i| if i % 12 == 0 { u64::MAX } else { i })
            .collect();
        assert!(bracketed(bad.len(), |i| bad[i], &ranks).is_none());
    }

    #[test]
    fn tallies_in_pieces_from_a_prefix_sample_give_the_sorted_order_statistics() {
        // As a tallied run does: brackets from the first 8,192 values (a random sample
        // when the values are independent draws), the values tallied in uneven pieces and
        // resolved together; the order statistics must be those of sorting all the values.
        let mut unit = crate::rng::test_uniforms(29);
        let n = 100_000;
        let kinds: Vec<(&str, Vec<u32>)> = vec![
            (
                "continuous",
                (0..n).map(|_| order_key_f32(unit() as f32)).collect(),
            ),
            (
                "mostly zeros",
                (0..n)
                    .map(|_| order_key_f32(if unit() < 0.7 { 0.0 } else { unit() as f32 }))
                    .collect(),
            ),
            ("all equal", vec![order_key_f32(1.5); n]),
        ];
        let qs = [0.25, 0.5, 0.75];
        let ranks = quantile_ranks(n, &qs);
        for (kind, keys) in kinds {
            let mut sample = keys[..BRACKET_SAMPLE].to_vec();
            sample.sort_unstable();
            let brackets = Brackets::new(&sample, n, &ranks).expect("few intervals");
            let mut pieces = Vec::new();
            let mut start = 0;
            for len in [1, 255, 256, 257, 2048, 5000].iter().cycle() {
                let end = (start + len).min(n);
                let mut piece = Tally::new(&brackets);
                piece.add(&brackets, end - start, |i| keys[start + i]);
                pieces.push(piece);
                start = end;
                if start == n {
                    break;
                }
            }
            pieces.reverse(); // in any order
            let found = brackets
                .resolve(pieces, &ranks)
                .expect("inside the brackets");
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            let want: Vec<u32> = ranks.iter().map(|&r| sorted[r]).collect();
            assert_eq!(found, want, "{kind}");
        }
        // A sample that does not represent the values (the smallest ones, of values in
        // ascending order) misses: resolve says so rather than guess.
        let ascending: Vec<u32> = (0..n as u32).collect();
        let sample = ascending[..BRACKET_SAMPLE].to_vec();
        let brackets = Brackets::new(&sample, n, &ranks).expect("few intervals");
        let mut tally = Tally::new(&brackets);
        tally.add(&brackets, n, |i| ascending[i]);
        assert!(brackets.resolve([tally], &ranks).is_none());
    }
}
