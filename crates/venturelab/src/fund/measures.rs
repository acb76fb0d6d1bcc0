//! The six per-fund measures a summary describes, and what a summary needs of them: sums
//! for their means and standard deviations ([`RowSums`]) and tallies for their quantiles
//! ([`MeasureBrackets`], [`MeasureTally`]). Both are added piece by piece, so that a long run
//! can summarise its funds chunk by chunk without keeping every fund's row.

use rayon::prelude::*;

use super::sim::FundRow;
use crate::stats::quantile::{
    from_order_key, interpolate, order_key, quantile_ranks, quantiles_by, Brackets, Tally,
    BRACKET_MIN, BRACKET_SAMPLE,
};
use crate::stats::STAT_QUANTILES;

/// The net TVPI multiples whose odds the summary reports.
pub(crate) const TVPI_MARKS: [u32; 4] = [1, 2, 3, 5];

/// The six per-fund measures a summary describes, in `Summary` order.
#[inline(always)]
pub(crate) fn measure_values(r: &FundRow) -> [f64; 6] {
    [
        r.gross_multiple,
        r.net_tvpi,
        r.net_irr,
        r.top_company_share,
        r.top_decile_share as f64,
        r.fund_returners as f64,
    ]
}

/// The order key of measure `M` ([`measure_values`]) of a fund.
#[inline(always)]
fn measure_key<const M: usize>(r: &FundRow) -> u64 {
    order_key(measure_values(r)[M])
}

/// The keys of NaN lie beyond those of the infinities (below or above, by sign bit).
fn is_nan_key(k: u64) -> bool {
    !(order_key(f64::NEG_INFINITY)..=order_key(f64::INFINITY)).contains(&k)
}

/// The order keys of measure `m` of every fund into `keys`, NaN left out.
fn gather_keys(keys: &mut Vec<u64>, rows: &[FundRow], m: usize) {
    keys.clear();
    // One copy per measure, so that each reads only its own field.
    let key: fn(&FundRow) -> u64 = match m {
        0 => measure_key::<0>,
        1 => measure_key::<1>,
        2 => measure_key::<2>,
        3 => measure_key::<3>,
        4 => measure_key::<4>,
        _ => measure_key::<5>,
    };
    keys.extend(rows.iter().map(key));
    if keys.iter().any(|&k| is_nan_key(k)) {
        keys.retain(|&k| !is_nan_key(k));
    }
}

/// Sums for the means and standard deviations of the six measures (NaN left out), the
/// funds at each net TVPI mark, fee and carry totals and the funds without a net IRR.
///
/// Each measure is summed shifted by a value near its mean (`shift`: the mean of the
/// run's first funds), Σ(x - c) and Σ(x - c)², so that one pass gives the standard
/// deviation without the cancellation of Σx² - (Σx)²/n. Sums are taken per chunk of
/// funds and the chunks' sums added in fund order, so the result does not depend on the
/// number of threads, nor on whether the rows were kept.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RowSums {
    shift: [f64; 6],
    count: [usize; 6],
    shifted: [f64; 6],
    squares: [f64; 6],
    /// Funds with net TVPI at least each of [`TVPI_MARKS`].
    pub hits: [usize; 4],
    pub fees: f64,
    pub carry: f64,
    /// Funds whose net IRR is NaN.
    pub undefined: usize,
}

impl RowSums {
    /// The shifts for a run whose first funds are `first` (the mean of each measure over
    /// them, NaN left out; 0 where there is none or it is not finite).
    pub(crate) fn shifts(first: &[FundRow]) -> [f64; 6] {
        let mut count = [0usize; 6];
        let mut sum = [0.0f64; 6];
        for r in first {
            for ((n, s), x) in count.iter_mut().zip(&mut sum).zip(measure_values(r)) {
                if !x.is_nan() {
                    *n += 1;
                    *s += x;
                }
            }
        }
        std::array::from_fn(|m| {
            let mean = sum[m] / count[m] as f64;
            if mean.is_finite() {
                mean
            } else {
                0.0
            }
        })
    }

    /// Nothing added yet.
    pub(crate) fn new(shift: [f64; 6]) -> RowSums {
        RowSums {
            shift,
            count: [0; 6],
            shifted: [0.0; 6],
            squares: [0.0; 6],
            hits: [0; 4],
            fees: 0.0,
            carry: 0.0,
            undefined: 0,
        }
    }

    /// The sums of `rows` (one chunk), in fund order.
    pub(crate) fn of(rows: &[FundRow], shift: [f64; 6]) -> RowSums {
        let mut s = RowSums::new(shift);
        for r in rows {
            for (m, (x, c)) in measure_values(r).into_iter().zip(shift).enumerate() {
                if !x.is_nan() {
                    let d = x - c;
                    s.count[m] += 1;
                    s.shifted[m] += d;
                    s.squares[m] += d * d;
                }
            }
            for (hit, x) in s.hits.iter_mut().zip(TVPI_MARKS) {
                // A relative tolerance absorbs rounding for funds that land exactly on a
                // multiple.
                *hit += (r.net_tvpi >= x as f64 * (1.0 - 1e-12)) as usize;
            }
            s.fees += r.fees as f64;
            s.carry += r.carry as f64;
            s.undefined += r.net_irr.is_nan() as usize;
        }
        s
    }

    /// Adds the sums of the next chunk.
    pub(crate) fn add(&mut self, other: &RowSums) {
        for m in 0..6 {
            self.count[m] += other.count[m];
            self.shifted[m] += other.shifted[m];
            self.squares[m] += other.squares[m];
        }
        for (h, o) in self.hits.iter_mut().zip(other.hits) {
            *h += o;
        }
        self.fees += other.fees;
        self.carry += other.carry;
        self.undefined += other.undefined;
    }

    /// The sums of stored rows: chunks of `chunk` funds in parallel, added in order, with
    /// the shifts of the first `first` funds.
    pub(crate) fn of_rows(rows: &[FundRow], chunk: usize, first: usize) -> RowSums {
        let shift = RowSums::shifts(&rows[..first.min(rows.len())]);
        let parts: Vec<RowSums> = rows
            .par_chunks(chunk)
            .map(|c| RowSums::of(c, shift))
            .collect();
        let mut total = RowSums::new(shift);
        for p in &parts {
            total.add(p);
        }
        total
    }

    /// The mean and sample standard deviation (n - 1; 0 for a single value) of each
    /// measure.
    pub(crate) fn moments(&self) -> [(f64, f64); 6] {
        std::array::from_fn(|m| {
            let n = self.count[m] as f64;
            let mean = self.shift[m] + self.shifted[m] / n;
            let sd = if self.count[m] > 1 {
                let centred = self.squares[m] - self.shifted[m] * self.shifted[m] / n;
                (centred.max(0.0) / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            (mean, sd)
        })
    }
}

/// Brackets around the quantiles of each of the six measures (`None` for a measure with
/// no sample values, or too many intervals).
#[derive(Debug, Clone)]
pub(crate) struct MeasureBrackets([Option<Brackets<u64>>; 6]);

/// The six measures of some funds tallied against [`MeasureBrackets`], with the count of
/// NaN values of each. NaN is tallied as the largest key, above every bracket, so that it
/// counts in nothing the ranks of the other values are found from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct MeasureTally {
    tallies: [Option<Tally<u64>>; 6],
    nan: [usize; 6],
}

impl MeasureBrackets {
    /// Brackets for `n` funds from a sample of their rows (drawn evenly or at random).
    pub(crate) fn from_sample<'a>(sample: impl Iterator<Item = &'a FundRow>, n: usize) -> Self {
        let ranks = quantile_ranks(n.max(1), &STAT_QUANTILES);
        let mut keys: [Vec<u64>; 6] = Default::default();
        for r in sample {
            for (k, x) in keys.iter_mut().zip(measure_values(r)) {
                let key = order_key(x);
                if !is_nan_key(key) {
                    k.push(key);
                }
            }
        }
        MeasureBrackets(keys.map(|mut k| {
            k.sort_unstable();
            (!k.is_empty())
                .then(|| Brackets::new(&k, n, &ranks))
                .flatten()
        }))
    }

    /// The tally of `rows`, 256 funds at a time, each measure in turn while they are in
    /// cache.
    pub(crate) fn tally(&self, rows: &[FundRow]) -> MeasureTally {
        let mut t = MeasureTally {
            tallies: std::array::from_fn(|m| self.0[m].as_ref().map(Tally::new)),
            nan: [0; 6],
        };
        crate::vector::run(
            #[inline(always)]
            || {
                for block in rows.chunks(256) {
                    self.tally_block::<0>(&mut t.tallies, block);
                    self.tally_block::<1>(&mut t.tallies, block);
                    self.tally_block::<2>(&mut t.tallies, block);
                    self.tally_block::<3>(&mut t.tallies, block);
                    self.tally_block::<4>(&mut t.tallies, block);
                    self.tally_block::<5>(&mut t.tallies, block);
                    for r in block {
                        for (nan, x) in t.nan.iter_mut().zip(measure_values(r)) {
                            *nan += x.is_nan() as usize;
                        }
                    }
                }
            },
        );
        t
    }

    /// Whether `t` could be the tally of `n` funds against these brackets (see
    /// [`Tally::consistent`]): a tally for exactly the measures that have brackets.
    pub(crate) fn consistent(&self, t: &MeasureTally, n: usize) -> bool {
        self.0
            .iter()
            .zip(&t.tallies)
            .zip(t.nan)
            .all(|((b, t), nan)| {
                nan <= n
                    && match (b, t) {
                        (Some(b), Some(t)) => t.consistent(b, n),
                        (None, None) => true,
                        _ => false,
                    }
            })
    }

    /// Tallies measure `M` of a block of funds (NaN as the largest key).
    #[inline(always)]
    fn tally_block<const M: usize>(
        &self,
        tallies: &mut [Option<Tally<u64>>; 6],
        block: &[FundRow],
    ) {
        if let (Some(b), Some(t)) = (&self.0[M], &mut tallies[M]) {
            t.add(b, block.len(), |i| {
                let k = measure_key::<M>(&block[i]);
                if is_nan_key(k) {
                    u64::MAX
                } else {
                    k
                }
            });
        }
    }

    /// The quantiles ([`STAT_QUANTILES`]) of each measure over the `n` funds whose
    /// tallies are `tallies` (of disjoint sets of funds, in any order), or `None` for a
    /// measure whose quantile fell outside its bracket. Each measure on its own thread.
    pub(crate) fn resolve(&self, tallies: Vec<MeasureTally>, n: usize) -> [Option<Vec<f64>>; 6] {
        // By measure: its tallies, and its NaN count.
        let mut by_measure: [(Vec<Tally<u64>>, usize); 6] = Default::default();
        for t in tallies {
            for ((all, nan), (tally, more)) in
                by_measure.iter_mut().zip(t.tallies.into_iter().zip(t.nan))
            {
                all.extend(tally);
                *nan += more;
            }
        }
        let resolved: Vec<Option<Vec<f64>>> = by_measure
            .into_par_iter()
            .zip(&self.0)
            .map(|((tallies, nan), b)| {
                let values = n - nan;
                if values == 0 {
                    return Some(vec![f64::NAN; STAT_QUANTILES.len()]);
                }
                let ranks = quantile_ranks(values, &STAT_QUANTILES);
                let found = b.as_ref()?.resolve(tallies, &ranks)?;
                Some(interpolate(
                    values,
                    &STAT_QUANTILES,
                    &ranks,
                    &found,
                    from_order_key,
                ))
            })
            .collect();
        let mut out: [Option<Vec<f64>>; 6] = Default::default();
        for (o, r) in out.iter_mut().zip(resolved) {
            *o = r;
        }
        out
    }
}

/// The quantiles ([`STAT_QUANTILES`]) of the six measures of stored rows, NaN left out,
/// each measure on its own thread. Large runs are read once for all six, in pieces in
/// parallel, against brackets from an evenly strided sample; a measure whose quantile
/// falls outside its bracket, and every measure of a small run, has its keys gathered and
/// selected.
pub(crate) fn row_quantiles(rows: &[FundRow]) -> Vec<Vec<f64>> {
    let n = rows.len();
    let tallied: [Option<Vec<f64>>; 6] = if n >= BRACKET_MIN {
        let stride = n / BRACKET_SAMPLE;
        let brackets =
            MeasureBrackets::from_sample((0..BRACKET_SAMPLE).map(|i| &rows[i * stride]), n);
        let tallies = rows
            .par_chunks(1 << 16)
            .map(|piece| brackets.tally(piece))
            .collect();
        brackets.resolve(tallies, n)
    } else {
        Default::default()
    };
    tallied
        .into_par_iter()
        .enumerate()
        .map_init(Vec::new, |keys: &mut Vec<u64>, (m, q)| {
            q.unwrap_or_else(|| {
                gather_keys(keys, rows, m);
                quantiles_by(keys.len(), |i| keys[i], &STAT_QUANTILES, from_order_key)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(tvpi: &[f64]) -> Vec<FundRow> {
        tvpi.iter()
            .map(|&x| FundRow {
                net_tvpi: x,
                ..FundRow::default()
            })
            .collect()
    }

    #[test]
    fn shifted_sums_give_the_mean_and_sample_sd() {
        // By hand: 1, 2, 3, 4 have mean 2.5 and sample variance
        // ((1.5² + 0.5²) · 2) / 3 = 5/3, so sd √(5/3) = 1.2909944487358056.
        let rows = rows_of(&[1.0, 2.0, 3.0, 4.0]);
        let shift = RowSums::shifts(&rows[..2]); // 1.5 for net TVPI: any shift works
        let mut total = RowSums::new(shift);
        for piece in rows.chunks(3) {
            total.add(&RowSums::of(piece, shift));
        }
        let (mean, sd) = total.moments()[1];
        assert!((mean - 2.5).abs() < 1e-15);
        assert!((sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
        // Funds with net TVPI >= 1, 2, 3, 5.
        assert_eq!(total.hits, [4, 3, 2, 0]);
        // Far from zero and constant: the mean exactly, an sd of exactly 0 (no
        // cancellation), where Σx² - (Σx)²/n would leave rounding noise.
        let rows = rows_of(&[1e9 + 0.815; 1000]);
        let total = RowSums::of(&rows, RowSums::shifts(&rows));
        assert_eq!(total.moments()[1], (1e9 + 0.815, 0.0));
        // No values: NaN mean, as the two-pass moments give.
        assert!(RowSums::new([0.0; 6]).moments()[1].0.is_nan());
    }
}
