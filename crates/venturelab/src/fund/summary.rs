//! Many funds: run them in parallel (deterministically) and summarise the distribution.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::block::{BlockScratch, DpiColumns, PlainFund, LANES};
use super::quantile::{
    from_order_key, from_order_key_f32, interpolate, order_key, order_key_f32, quantile_ranks,
    quantiles_by, Brackets, Tally, BRACKET_MIN, BRACKET_SAMPLE,
};
pub use super::quantile::{quantile_sorted, quantiles};
use super::scenario::{FundModel, OutcomeModel};
use super::sim::{simulate_fund, FundRow, Workspace};

/// Funds per parallel work item (a multiple of [`LANES`]). Fixed, so results never depend
/// on the thread count.
const CHUNK: usize = 2048;

/// Every fund's row, and the DPI quartiles by year.
pub struct Run {
    pub rows: Vec<FundRow>,
    /// The quartiles (p25, p50, p75) of every fund's DPI at the end of each year, exact
    /// (type 7, as [`quantiles`]), whether the DPI was stored or tallied on the way.
    pub dpi_quartiles: Vec<[f64; 3]>,
    /// Mean share of each fund's proceeds by company rank (best first), when asked for.
    pub rank_shares: Vec<f64>,
    /// Stage mode: companies that reached each stage, over all funds.
    pub stage_hits: Vec<u64>,
}

/// Simulates `funds` funds with `seed`. `progress(n)` is called as chunks of `n` funds
/// finish (from worker threads).
pub fn run(model: &FundModel, funds: usize, seed: u64, progress: &(dyn Fn(u64) + Sync)) -> Run {
    run_with(model, funds, seed, false, progress)
}

/// The DPI quartiles a run reports.
const DPI_QUARTILES: [f64; 3] = [0.25, 0.5, 0.75];

/// Runs of at least this many funds tally DPI as they go ([`run_tallied`]) instead of
/// storing every fund's DPI for every year (44 MB per million funds, and as much again
/// read back).
const TALLY_MIN: usize = 1 << 16;

/// The first funds of a tallied run, whose DPI places the brackets: a random sample of
/// the run (funds are independent and identically distributed). A multiple of [`CHUNK`].
const PILOT: usize = 4 * CHUNK;

/// [`run`], also averaging the share of proceeds by company rank when `rank_shares` (a
/// full sort of every fund's companies, so off by default).
pub fn run_with(
    model: &FundModel,
    funds: usize,
    seed: u64,
    rank_shares: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Run {
    if funds >= TALLY_MIN {
        if let Some(run) = run_tallied(model, funds, seed, rank_shares, progress) {
            return run;
        }
        // A DPI quartile fell outside its bracket (rare): the same funds again, stored.
        return run_stored(model, funds, seed, rank_shares, &|_| {});
    }
    run_stored(model, funds, seed, rank_shares, progress)
}

/// [`run_with`], storing every fund's DPI for every year and selecting the quartiles
/// from it.
fn run_stored(
    model: &FundModel,
    funds: usize,
    seed: u64,
    rank_shares: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Run {
    let sim = ChunkSim::new(model, seed, rank_shares);
    let mut rows: Vec<FundRow> = crate::buffer::zeroed(funds);
    // Year-major, one buffer for all the columns, so that it can be backed by large pages.
    let mut dpi: Vec<f32> = crate::buffer::zeroed(funds * sim.years);
    let parts: Vec<ChunkPart> = rows
        .par_chunks_mut(CHUNK)
        .zip(column_chunks(&mut dpi, funds, CHUNK))
        .enumerate()
        .map(|(c, (r, mut d))| {
            let part = sim.chunk(c, r, &mut d);
            progress(r.len() as u64);
            part
        })
        .collect();
    // Each year's column on its own thread, on 32-bit order keys.
    let dpi_quartiles = (0..sim.years)
        .into_par_iter()
        .map(|t| {
            let column = &dpi[t * funds..(t + 1) * funds];
            let q = quantiles_by(
                column.len(),
                |i| order_key_f32(column[i]),
                &DPI_QUARTILES,
                |k| from_order_key_f32(k) as f64,
            );
            [q[0], q[1], q[2]]
        })
        .collect();
    sim.finish(funds, rows, dpi_quartiles, parts)
}

/// [`run_with`] without storing DPI: the first [`PILOT`] funds' DPI places
/// [`Brackets`] around each year's quartiles, then every chunk of funds tallies its DPI
/// against them as it is simulated and forgets it. `None` when a quartile falls outside
/// its bracket (then nothing can be said without the values).
fn run_tallied(
    model: &FundModel,
    funds: usize,
    seed: u64,
    rank_shares: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Option<Run> {
    let sim = ChunkSim::new(model, seed, rank_shares);
    let years = sim.years;
    let mut rows: Vec<FundRow> = crate::buffer::zeroed(funds);
    let (pilot_rows, rest) = rows.split_at_mut(PILOT);
    let mut pilot = vec![0f32; PILOT * years];
    let mut parts: Vec<ChunkPart> = pilot_rows
        .par_chunks_mut(CHUNK)
        .zip(column_chunks(&mut pilot, PILOT, CHUNK))
        .enumerate()
        .map(|(c, (r, mut d))| {
            let part = sim.chunk(c, r, &mut d);
            progress(r.len() as u64);
            part
        })
        .collect();
    let ranks = quantile_ranks(funds, &DPI_QUARTILES);
    let column = |t: usize| &pilot[t * PILOT..(t + 1) * PILOT];
    let brackets: Vec<Brackets<u32>> = (0..years)
        .into_par_iter()
        .map(|t| {
            let mut sample: Vec<u32> = column(t).iter().map(|&x| order_key_f32(x)).collect();
            sample.sort_unstable();
            Brackets::new(&sample, funds, &ranks)
        })
        .collect::<Option<_>>()?;
    let tally_columns = |tallies: &mut Vec<Tally<u32>>, columns: &[&[f32]]| {
        crate::vector::run(
            #[inline(always)]
            || {
                for ((tally, b), column) in tallies.iter_mut().zip(&brackets).zip(columns) {
                    tally.add(b, column.len(), |i| order_key_f32(column[i]));
                }
            },
        )
    };
    let mut pilot_tallies: Vec<Tally<u32>> = brackets.iter().map(Tally::new).collect();
    let pilot_columns: Vec<&[f32]> = (0..years).map(column).collect();
    tally_columns(&mut pilot_tallies, &pilot_columns);
    let first = PILOT / CHUNK;
    let rest: Vec<(ChunkPart, Vec<Tally<u32>>)> = rest
        .par_chunks_mut(CHUNK)
        .enumerate()
        .map_init(
            || vec![0f32; CHUNK * years],
            |buffer, (c, r)| {
                let mut d: Vec<&mut [f32]> = buffer
                    .chunks_mut(CHUNK)
                    .map(|column| &mut column[..r.len()])
                    .collect();
                let part = sim.chunk(first + c, r, &mut d);
                let columns: Vec<&[f32]> = d.iter().map(|column| &**column).collect();
                let mut tallies: Vec<Tally<u32>> = brackets.iter().map(Tally::new).collect();
                tally_columns(&mut tallies, &columns);
                progress(r.len() as u64);
                (part, tallies)
            },
        )
        .collect();
    // The chunks' tallies by year (in chunk order), then each year on its own thread.
    let mut by_year: Vec<Vec<Tally<u32>>> = pilot_tallies.into_iter().map(|t| vec![t]).collect();
    for (part, tallies) in rest {
        parts.push(part);
        for (year, tally) in by_year.iter_mut().zip(tallies) {
            year.push(tally);
        }
    }
    let dpi_quartiles = by_year
        .into_par_iter()
        .zip(&brackets)
        .map(|(tallies, b)| {
            let mut tallies = tallies.into_iter();
            let mut all = tallies.next()?;
            for tally in tallies {
                all.merge(tally);
            }
            let found = b.resolve(all, &ranks)?;
            let q = interpolate(funds, &DPI_QUARTILES, &ranks, &found, |k| {
                from_order_key_f32(k) as f64
            });
            Some([q[0], q[1], q[2]])
        })
        .collect::<Option<_>>()?;
    Some(sim.finish(funds, rows, dpi_quartiles, parts))
}

/// What one chunk of funds adds besides its rows: its rank-share sums and stage hits.
type ChunkPart = (Vec<f64>, Vec<u64>);

/// How the funds of a run are simulated, chunk by chunk.
struct ChunkSim<'a> {
    model: &'a FundModel,
    /// The block path, when the model has the plain shape.
    plain: Option<PlainFund>,
    seed: u64,
    rank_shares: bool,
    years: usize,
}

impl<'a> ChunkSim<'a> {
    fn new(model: &'a FundModel, seed: u64, rank_shares: bool) -> ChunkSim<'a> {
        ChunkSim {
            model,
            // The plain shape of fund goes through the block path (the same rows, faster).
            plain: PlainFund::new(model),
            seed,
            rank_shares,
            years: model.horizon() as usize + 1,
        }
    }

    /// Simulates chunk `c` (funds `c * CHUNK ..`) into its rows `r` and its DPI columns
    /// `d` (`d[t][j]`: fund j's DPI at the end of year t).
    fn chunk(&self, c: usize, r: &mut [FundRow], d: &mut [&mut [f32]]) -> ChunkPart {
        let (model, seed, years) = (self.model, self.seed, self.years);
        let mut ranks: Vec<f64> = Vec::new();
        let hits = if let Some(plain) = &self.plain {
            let mut scratch = BlockScratch::default();
            for (b, rb) in r.chunks_mut(LANES).enumerate() {
                let first = (c * CHUNK + b * LANES) as u64;
                let ranks = self.rank_shares.then_some(&mut ranks);
                let dpi = DpiColumns {
                    columns: d,
                    at: b * LANES,
                };
                plain.simulate(seed, first, &mut scratch, rb, dpi, ranks);
            }
            Vec::new()
        } else {
            let mut ws = Workspace::new(model);
            let mut series = vec![0f32; years];
            for (j, row) in r.iter_mut().enumerate() {
                let index = (c * CHUNK + j) as u64;
                *row = simulate_fund(model, seed, index, &mut ws, &mut series);
                for (column, &v) in d.iter_mut().zip(&series) {
                    column[j] = v;
                }
                if self.rank_shares {
                    ws.add_rank_shares(&mut ranks);
                }
            }
            ws.stage_hits
        };
        (ranks, hits)
    }

    /// The run from its rows, DPI quartiles and the chunks' parts (in chunk order).
    fn finish(
        &self,
        funds: usize,
        rows: Vec<FundRow>,
        dpi_quartiles: Vec<[f64; 3]>,
        parts: Vec<ChunkPart>,
    ) -> Run {
        // Reduce in chunk order so the sums do not depend on the thread count.
        let mut rank_sum: Vec<f64> = Vec::new();
        let mut stage_hits: Vec<u64> = Vec::new();
        for (part, hits) in parts {
            if stage_hits.len() < hits.len() {
                stage_hits.resize(hits.len(), 0);
            }
            for (a, b) in stage_hits.iter_mut().zip(hits) {
                *a += b;
            }
            if rank_sum.len() < part.len() {
                rank_sum.resize(part.len(), 0.0);
            }
            for (a, b) in rank_sum.iter_mut().zip(part) {
                *a += b;
            }
        }
        let rank_shares = rank_sum
            .into_iter()
            .map(|x| x / funds.max(1) as f64)
            .collect();
        Run {
            rows,
            dpi_quartiles,
            rank_shares,
            stage_hits,
        }
    }
}

/// Mean, standard deviation and quantiles of one per-fund measure. Quantiles interpolate
/// linearly between order statistics (numpy's default, Hyndman & Fan type 7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    pub mean: f64,
    pub sd: f64,
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl Stat {
    /// Summarises values (NaN values are left out).
    pub fn of(values: impl Iterator<Item = f64>) -> Stat {
        let keys: Vec<u64> = values.filter(|x| !x.is_nan()).map(order_key).collect();
        let [moments] = moments(keys.iter().map(|&k| [from_order_key(k)]));
        let q = quantiles_by(keys.len(), |i| keys[i], &STAT_QUANTILES, from_order_key);
        Stat::from_parts(moments, &q)
    }

    /// The statistic of mean and sd `moments` and quantiles `q` (at [`STAT_QUANTILES`]).
    fn from_parts((mean, sd): (f64, f64), q: &[f64]) -> Stat {
        Stat {
            mean,
            sd,
            p5: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
        }
    }
}

/// The quantiles a [`Stat`] reports.
const STAT_QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// The mean and the sample standard deviation (n - 1; 0 for a single value) of `v`
/// (NaN values left out).
pub fn mean_sd(v: &[f64]) -> (f64, f64) {
    let [moments] = moments(v.iter().map(|&x| [x]));
    moments
}

/// [`mean_sd`] of `N` measures at once, over values that can be read twice (NaN left out
/// of each measure): one pass adds the `N` sums side by side and a second the `N` sums of
/// squared deviations, so that the `N` chains of additions overlap rather than each
/// waiting on its own. Each measure's sums are added in order from -0.0, as
/// `Iterator::sum` adds floats.
fn moments<const N: usize>(values: impl Iterator<Item = [f64; N]> + Clone) -> [(f64, f64); N] {
    let (mut n, mut sum) = ([0usize; N], [-0.0f64; N]);
    for v in values.clone() {
        for ((n, sum), x) in n.iter_mut().zip(&mut sum).zip(v) {
            if !x.is_nan() {
                *n += 1;
                *sum += x;
            }
        }
    }
    let mean: [f64; N] = std::array::from_fn(|m| sum[m] / n[m] as f64);
    let mut squares = [-0.0f64; N];
    for v in values {
        for ((square, mean), x) in squares.iter_mut().zip(&mean).zip(v) {
            if !x.is_nan() {
                *square += (x - mean).powi(2);
            }
        }
    }
    std::array::from_fn(|m| {
        let sd = if n[m] > 1 {
            (squares[m] / (n[m] as f64 - 1.0)).sqrt()
        } else {
            0.0
        };
        (mean[m], sd)
    })
}

/// The quartiles of DPI at `year` years after the first close (after that time's flows).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearBand {
    pub year: u32,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
}

/// The across-fund summary: what `fund simulate --json` prints (with the scenario, seed and
/// version added by the caller).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub funds: usize,
    pub gross_multiple: Stat,
    pub net_tvpi: Stat,
    /// Per year; a fund whose LPs got nothing back counts as -100%.
    pub net_irr: Stat,
    pub top_company_share: Stat,
    pub top_decile_share: Stat,
    pub fund_returners: Stat,
    /// Share of funds with net TVPI at least 1x, 2x, 3x, 5x.
    pub prob_net_tvpi_at_least: BTreeMap<String, f64>,
    /// DPI quartiles at each whole year after the first close (year 0 = the first close).
    pub dpi_by_year: Vec<YearBand>,
    /// Mean management fees per fund (money).
    pub fees: f64,
    /// Mean carried interest per fund (money).
    pub carry: f64,
    /// The outcome distribution's expected multiple per company (analytic).
    pub outcome_mean_multiple: f64,
    /// Funds whose net IRR could not be computed (none expected).
    pub net_irr_undefined: usize,
    /// Stage mode: share of companies that reached each stage (entry stage = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_reached: Option<Vec<StageShare>>,
}

/// The share of companies that reached one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageShare {
    pub stage: String,
    pub share: f64,
}

/// Splits a year-major buffer into its columns of `n` entries, and each column into
/// chunks of `chunk` entries; gathers, for each chunk, its piece of every column: what one
/// parallel work item fills.
fn column_chunks<T: Send>(buffer: &mut [T], n: usize, chunk: usize) -> Vec<Vec<&mut [T]>> {
    if n == 0 {
        return Vec::new();
    }
    let mut pieces: Vec<_> = buffer.chunks_mut(n).map(|c| c.chunks_mut(chunk)).collect();
    (0..n.div_ceil(chunk))
        .map(|_| pieces.iter_mut().filter_map(Iterator::next).collect())
        .collect()
}

/// The DPI bands of a run's quartiles.
fn dpi_bands(run: &Run) -> Vec<YearBand> {
    // DPI is stored in single precision; report it to 6 decimals.
    let r = |x: f64| (x * 1e6).round() / 1e6;
    run.dpi_quartiles
        .iter()
        .enumerate()
        .map(|(t, q)| YearBand {
            year: t as u32,
            p25: r(q[0]),
            p50: r(q[1]),
            p75: r(q[2]),
        })
        .collect()
}

/// The six per-fund measures a summary describes, in [`Summary`] order.
#[inline(always)]
fn measure_values(r: &FundRow) -> [f64; 6] {
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

/// The quantiles ([`STAT_QUANTILES`]) of the six measures, NaN left out, each measure on
/// its own thread. Large runs are read once for all six ([`tally_measures`]); a measure
/// whose quantile falls outside its bracket, and every measure of a small run, has its
/// keys gathered and selected.
fn measure_quantiles(rows: &[FundRow]) -> Vec<Vec<f64>> {
    let tallied = if rows.len() >= BRACKET_MIN {
        tally_measures(rows)
    } else {
        Default::default()
    };
    tallied
        .into_par_iter()
        .enumerate()
        .map_init(Vec::new, |keys: &mut Vec<u64>, (m, tally)| {
            if let Some(q) = tally.and_then(|(brackets, tally, nan)| {
                let n = rows.len() - nan;
                if n == 0 {
                    return Some(vec![f64::NAN; STAT_QUANTILES.len()]);
                }
                let ranks = quantile_ranks(n, &STAT_QUANTILES);
                let found = brackets.resolve(tally, &ranks)?;
                Some(interpolate(
                    n,
                    &STAT_QUANTILES,
                    &ranks,
                    &found,
                    from_order_key,
                ))
            }) {
                return q;
            }
            gather_keys(keys, rows, m);
            quantiles_by(keys.len(), |i| keys[i], &STAT_QUANTILES, from_order_key)
        })
        .collect()
}

/// Every measure's keys tallied against [`Brackets`] placed from an evenly strided
/// sample of the funds, in one read of the rows (256 funds at a time, each measure in
/// turn while they are in cache), with the count of NaN values. NaN is tallied as the
/// largest key, above every bracket, so that it counts in nothing the ranks of the
/// other values are found from.
#[allow(clippy::type_complexity)]
fn tally_measures(rows: &[FundRow]) -> [Option<(Brackets<u64>, Tally<u64>, usize)>; 6] {
    let n = rows.len();
    let stride = n / BRACKET_SAMPLE;
    let ranks = quantile_ranks(n, &STAT_QUANTILES);
    let brackets: [Option<Brackets<u64>>; 6] = std::array::from_fn(|m| {
        let mut sample: Vec<u64> = (0..BRACKET_SAMPLE)
            .map(|i| order_key(measure_values(&rows[i * stride])[m]))
            .filter(|&k| !is_nan_key(k))
            .collect();
        sample.sort_unstable();
        (!sample.is_empty())
            .then(|| Brackets::new(&sample, n, &ranks))
            .flatten()
    });
    // Pieces of the rows in parallel, their tallies merged (in any order: a tally is
    // counts and a set of kept keys).
    let tally_piece = |piece: &[FundRow]| {
        let mut tallies: [Option<Tally<u64>>; 6] =
            std::array::from_fn(|m| brackets[m].as_ref().map(Tally::new));
        let mut nan = [0usize; 6];
        crate::vector::run(
            #[inline(always)]
            || {
                for block in piece.chunks(256) {
                    tally_block::<0>(&brackets, &mut tallies, block);
                    tally_block::<1>(&brackets, &mut tallies, block);
                    tally_block::<2>(&brackets, &mut tallies, block);
                    tally_block::<3>(&brackets, &mut tallies, block);
                    tally_block::<4>(&brackets, &mut tallies, block);
                    tally_block::<5>(&brackets, &mut tallies, block);
                    for r in block {
                        for (nan, x) in nan.iter_mut().zip(measure_values(r)) {
                            *nan += x.is_nan() as usize;
                        }
                    }
                }
            },
        );
        (tallies, nan)
    };
    let (tallies, nan) = rows
        .par_chunks(1 << 16)
        .map(tally_piece)
        .reduce_with(|(mut tallies, mut nan), (other, other_nan)| {
            for (t, o) in tallies.iter_mut().zip(other) {
                if let (Some(t), Some(o)) = (t, o) {
                    t.merge(o);
                }
            }
            for (n, o) in nan.iter_mut().zip(other_nan) {
                *n += o;
            }
            (tallies, nan)
        })
        .unwrap_or_else(|| tally_piece(&[]));
    let mut out: [Option<(Brackets<u64>, Tally<u64>, usize)>; 6] = Default::default();
    for (m, ((b, t), nan)) in brackets.into_iter().zip(tallies).zip(nan).enumerate() {
        out[m] = b.zip(t).map(|(b, t)| (b, t, nan));
    }
    out
}

/// Tallies measure `M` of a block of funds (NaN as the largest key).
#[inline(always)]
fn tally_block<const M: usize>(
    brackets: &[Option<Brackets<u64>>; 6],
    tallies: &mut [Option<Tally<u64>>; 6],
    block: &[FundRow],
) {
    if let (Some(b), Some(t)) = (&brackets[M], &mut tallies[M]) {
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

/// The net TVPI multiples whose odds the summary reports.
const TVPI_MARKS: [u32; 4] = [1, 2, 3, 5];

/// Summarises a run.
pub fn summarize(model: &FundModel, run: &Run) -> Summary {
    let rows = &run.rows;
    let n = rows.len() as f64;
    let (dpi_by_year, (quantiles, (moments, hits, fees, carry, undefined))) = rayon::join(
        || dpi_bands(run),
        || {
            rayon::join(
                || measure_quantiles(rows),
                || {
                    // One pass for the counts and the fee and carry totals (added in fund
                    // order from -0.0, as `Iterator::sum` adds), and the measures' moments.
                    let mut hits = [0usize; 4];
                    let (mut fees, mut carry, mut undefined) = (-0.0f64, -0.0f64, 0usize);
                    for r in rows {
                        for (hit, x) in hits.iter_mut().zip(TVPI_MARKS) {
                            // A relative tolerance absorbs rounding for funds that land
                            // exactly on a multiple.
                            *hit += (r.net_tvpi >= x as f64 * (1.0 - 1e-12)) as usize;
                        }
                        fees += r.fees as f64;
                        carry += r.carry as f64;
                        undefined += r.net_irr.is_nan() as usize;
                    }
                    (
                        moments(rows.iter().map(measure_values)),
                        hits,
                        fees,
                        carry,
                        undefined,
                    )
                },
            )
        },
    );
    let prob: BTreeMap<String, f64> = TVPI_MARKS
        .iter()
        .zip(hits)
        .map(|(x, hit)| (x.to_string(), hit as f64 / n))
        .collect();
    Summary {
        funds: rows.len(),
        gross_multiple: Stat::from_parts(moments[0], &quantiles[0]),
        net_tvpi: Stat::from_parts(moments[1], &quantiles[1]),
        net_irr: Stat::from_parts(moments[2], &quantiles[2]),
        top_company_share: Stat::from_parts(moments[3], &quantiles[3]),
        top_decile_share: Stat::from_parts(moments[4], &quantiles[4]),
        fund_returners: Stat::from_parts(moments[5], &quantiles[5]),
        prob_net_tvpi_at_least: prob,
        dpi_by_year,
        fees: fees / n,
        carry: carry / n,
        outcome_mean_multiple: model.outcomes.mean(),
        net_irr_undefined: undefined,
        stage_reached: match &model.outcomes {
            OutcomeModel::Stages(sm) => {
                let entered = (rows.len() as u64 * model.companies as u64).max(1) as f64;
                Some(
                    sm.stages
                        .iter()
                        .zip(&run.stage_hits)
                        .map(|(st, &h)| StageShare {
                            stage: st.name.clone(),
                            share: h as f64 / entered,
                        })
                        .collect(),
                )
            }
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fund::Scenario;

    #[test]
    fn summary_measures_equal_stat_of_each_measure_with_nan_left_out() {
        // Rows whose IRR is sometimes undefined (NaN) and whose other measures include
        // ties, zeros and negatives: the summary's fused moments and gathered keys must
        // give, to the bit, what `Stat::of` gives for each measure on its own.
        let model = Scenario::from_toml(
            crate::presets::get("fund", "correlation-ventures")
                .expect("preset")
                .toml,
        )
        .and_then(|s| s.model())
        .expect("valid preset");
        let mut unit = crate::rng::test_uniforms(8);
        let funds = 50_000usize;
        let rows: Vec<FundRow> = (0..funds)
            .map(|i| FundRow {
                gross_multiple: (unit() * 5.0).floor() / 2.0,
                net_tvpi: unit() * 4.0,
                net_irr: if i % 97 == 0 { f64::NAN } else { unit() - 0.3 },
                // A pattern with the sampling stride: the sample sees only the spikes,
                // so this measure's brackets miss and it takes the gathering path.
                top_company_share: if i % (funds / BRACKET_SAMPLE) == 0 {
                    1e9
                } else {
                    unit()
                },
                top_decile_share: unit() as f32,
                fund_returners: (unit() * 3.0) as u32,
                fees: 2e7,
                carry: (unit() * 1e7) as f32,
            })
            .collect();
        let run = Run {
            dpi_quartiles: vec![[0.0; 3]; 11],
            rows,
            rank_shares: Vec::new(),
            stage_hits: Vec::new(),
        };
        let s = summarize(&model, &run);
        let rows = &run.rows;
        let each = [
            Stat::of(rows.iter().map(|r| r.gross_multiple)),
            Stat::of(rows.iter().map(|r| r.net_tvpi)),
            Stat::of(rows.iter().map(|r| r.net_irr)),
            Stat::of(rows.iter().map(|r| r.top_company_share)),
            Stat::of(rows.iter().map(|r| r.top_decile_share as f64)),
            Stat::of(rows.iter().map(|r| r.fund_returners as f64)),
        ];
        let got = [
            s.gross_multiple,
            s.net_tvpi,
            s.net_irr,
            s.top_company_share,
            s.top_decile_share,
            s.fund_returners,
        ];
        let bits = |x: &Stat| [x.mean, x.sd, x.p5, x.p25, x.p50, x.p75, x.p95].map(f64::to_bits);
        for (g, w) in got.iter().zip(&each) {
            assert_eq!(bits(g), bits(w), "{g:?} vs {w:?}");
        }
        assert!(!s.net_irr.mean.is_nan());
        assert_eq!(s.net_irr_undefined, funds.div_ceil(97));
        // Both paths were taken: every measure but the strided one resolved from the
        // one read of the rows.
        let resolved: Vec<bool> = tally_measures(rows)
            .into_iter()
            .map(|t| {
                t.and_then(|(b, tally, nan)| {
                    b.resolve(tally, &quantile_ranks(funds - nan, &STAT_QUANTILES))
                })
                .is_some()
            })
            .collect();
        assert_eq!(resolved, [true, true, true, false, true, true]);
    }

    #[test]
    fn tallied_dpi_quartiles_equal_those_of_the_stored_dpi() {
        // A run long enough to be tallied, through the block path (correlation-ventures)
        // and the one-fund path (carta-funnel, stage mode): the tallied quartiles must be
        // those of storing every fund's DPI, to the bit, and those must be the quartiles
        // of the sorted column (recomputed here from the stored DPI by sorting).
        for preset in ["correlation-ventures", "carta-funnel"] {
            let model =
                Scenario::from_toml(crate::presets::get("fund", preset).expect("preset").toml)
                    .and_then(|s| s.model())
                    .expect("valid preset");
            let funds = TALLY_MIN + 1_234;
            let tallied = run_tallied(&model, funds, 5, false, &|_| {}).expect("no miss");
            let stored = run_stored(&model, funds, 5, false, &|_| {});
            assert_eq!(tallied.dpi_quartiles, stored.dpi_quartiles, "{preset}");
            assert_eq!(tallied.rows.len(), funds);
            for (a, b) in tallied.rows.iter().zip(&stored.rows) {
                assert_eq!(a.net_irr.to_bits(), b.net_irr.to_bits());
            }
            // The quartiles by sorting, from DPI recomputed fund by fund.
            let years = model.horizon() as usize + 1;
            let mut ws = Workspace::new(&model);
            let mut series = vec![0f32; years];
            let mut columns = vec![Vec::with_capacity(funds); years];
            for i in 0..funds {
                simulate_fund(&model, 5, i as u64, &mut ws, &mut series);
                for (c, &v) in columns.iter_mut().zip(&series) {
                    c.push(v as f64);
                }
            }
            let mut moved = false;
            for (t, column) in columns.iter_mut().enumerate() {
                column.sort_by(f64::total_cmp);
                let want = DPI_QUARTILES.map(|q| quantile_sorted(column, q));
                assert_eq!(tallied.dpi_quartiles[t], want, "{preset}, year {t}");
                moved |= want[0] != want[2];
            }
            assert!(moved, "{preset}: some year has spread-out DPI");
        }
    }
}
