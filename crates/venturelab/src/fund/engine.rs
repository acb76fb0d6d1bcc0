//! Many funds: run them in parallel, deterministically, in fixed chunks (through the block
//! kernel when the scenario allows), keeping rows or tallying them ([`run`], [`run_with`]).
//! The engine's orchestration; [`super::summary`] turns a [`Run`] into a [`Summary`](super::Summary).

use std::ops::Range;

use rayon::prelude::*;

use super::block::{BlockScratch, DpiColumns, PlainFund, LANES};
use super::factors::RunFactors;
use super::measures::{MeasureBrackets, MeasureTally, RowSums};
use super::scenario::FundModel;
use super::sim::{simulate_fund, simulate_fund_with, FundRow, Workspace};
use crate::stats::quantile::{
    from_order_key_f32, interpolate, order_key_f32, quantile_ranks, quantiles_by, Brackets, Tally,
};

/// Funds per parallel work item (a multiple of [`LANES`]). Fixed, so results never depend
/// on the thread count.
pub(super) const CHUNK: usize = 2048;

/// A run of funds: what its summary needs, and every fund's row when they were kept.
pub struct Run {
    /// Funds simulated.
    pub funds: usize,
    /// Every fund's row, in fund order, when kept: runs of fewer than 65,536 funds, and
    /// runs asked for detail ([`run_with`]). Empty otherwise.
    pub rows: Vec<FundRow>,
    /// The quartiles (p25, p50, p75) of every fund's DPI at the end of each year, exact
    /// (type 7, as [`crate::stats::quantiles`]), whether the DPI was stored or tallied on the way.
    pub dpi_quartiles: Vec<[f64; 3]>,
    /// Mean share of each fund's proceeds by company rank (best first), when asked for.
    pub rank_shares: Vec<f64>,
    /// Stage mode: companies that reached each stage, over all funds.
    pub stage_hits: Vec<u64>,
    /// The measures' sums and quantiles, when the rows were not kept.
    pub(super) measures: Option<(RowSums, Vec<Vec<f64>>)>,
    /// With `[vintage]`: each vintage's factor z (`fund::factors`). Empty otherwise.
    pub vintage_factors: Vec<f64>,
}

/// Simulates `funds` funds with `seed`. `progress(n)` is called as chunks of `n` funds
/// finish (from worker threads). In the rare run that must be repeated (see
/// [`run_with`]), the repeat reports its funds too, so the calls may add up to twice
/// `funds`: a progress bar should grow rather than sit at its end.
///
/// ```
/// use venturelab::fund::{run, summarize, Scenario};
///
/// let preset = venturelab::presets::get("fund", "correlation-ventures").unwrap();
/// let model = Scenario::from_toml(preset.toml)?.model()?;
/// let r = run(&model, 2_000, 7, &|_| {});
/// let s = summarize(&model, &r);
/// assert_eq!(s.funds, 2_000);
/// // The same seed gives the same funds, to the bit.
/// assert_eq!(s, summarize(&model, &run(&model, 2_000, 7, &|_| {})));
/// assert!(s.net_tvpi.p25 <= s.net_tvpi.p50 && s.net_tvpi.p50 <= s.net_tvpi.p75);
/// # Ok::<(), venturelab::Error>(())
/// ```
pub fn run(model: &FundModel, funds: usize, seed: u64, progress: &(dyn Fn(u64) + Sync)) -> Run {
    run_with(model, funds, seed, false, progress)
}

/// The DPI quartiles a run reports.
const DPI_QUARTILES: [f64; 3] = [0.25, 0.5, 0.75];

/// Runs of at least this many funds are summarised as they go ([`run_tallied`]) instead
/// of storing every fund's row (48 bytes) and DPI (4 bytes a year) and reading them back.
const TALLY_MIN: usize = 1 << 16;

/// The first funds of a tallied run, whose values place the brackets: a random sample of
/// the run (funds are independent and identically distributed). A multiple of [`CHUNK`].
/// Also the funds whose means shift the sums ([`RowSums`]), in every run.
pub(super) const PILOT: usize = 4 * CHUNK;

/// [`run`]; with `detail`, also keeps every fund's row and averages the share of
/// proceeds by company rank (a full sort of every fund's companies), for per-fund files
/// and charts.
pub fn run_with(
    model: &FundModel,
    funds: usize,
    seed: u64,
    detail: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Run {
    let sim = ChunkSim::new(model, seed, detail);
    // Funds that share vintages and managers are not independent draws, so the first
    // funds are no sample of the run's to bracket it with: they keep their rows.
    if funds >= TALLY_MIN && sim.factors.is_none() {
        if let Some(run) = run_tallied(&sim, funds, progress) {
            return run;
        }
        // A quantile fell outside its bracket (rare): the same funds again, stored.
        return run_stored(&sim, funds, progress);
    }
    run_stored(&sim, funds, progress)
}

/// [`run_with`], storing every fund's row and DPI for every year and selecting the
/// quartiles from it.
fn run_stored(sim: &ChunkSim, funds: usize, progress: &(dyn Fn(u64) + Sync)) -> Run {
    let mut rows: Vec<FundRow> = crate::buffer::zeroed(funds);
    // Year-major, one buffer for all the columns, so that it can be backed by large pages.
    let mut dpi: Vec<f32> = crate::buffer::zeroed(funds * sim.years);
    let parts = sim.stored(&mut rows, &mut dpi, progress);
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
    sim.finish(funds, rows, dpi_quartiles, parts, None)
}

/// What a chunk of a tallied run leaves: its rank shares and stage hits, its DPI tallied
/// by year, and (when rows are not kept) its measures' sums and tally.
type ChunkTally = (ChunkPart, Vec<Tally<u32>>, Option<(RowSums, MeasureTally)>);

/// What every piece of a tallied run shares: the brackets the first [`PILOT`] funds place
/// around each year's DPI quartiles and each measure's quantiles, the shifts of the sums,
/// and the pilot's own chunks, tallied.
struct Tallying {
    funds: usize,
    ranks: Vec<usize>,
    brackets: Vec<Brackets<u32>>,
    shift: [f64; 6],
    /// `None` when the rows are kept (detail): then the measures come from the rows.
    measures: Option<MeasureBrackets>,
    /// The pilot's chunks (0 .. PILOT / CHUNK), in order.
    pilot_chunks: Vec<ChunkTally>,
}

impl Tallying {
    /// Simulates the pilot's funds into `pilot_rows` (the first [`PILOT`] rows of the run)
    /// and places the brackets; `None` when they would have too many intervals.
    fn new(
        sim: &ChunkSim,
        funds: usize,
        pilot_rows: &mut [FundRow],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Option<Tallying> {
        let years = sim.years;
        let mut pilot = vec![0f32; PILOT * years];
        let pilot_parts = sim.stored(pilot_rows, &mut pilot, progress);
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
        let mut t = Tallying {
            funds,
            ranks,
            brackets,
            shift: RowSums::shifts(pilot_rows),
            measures: (!sim.detail).then(|| MeasureBrackets::from_sample(pilot_rows.iter(), funds)),
            pilot_chunks: Vec::new(),
        };
        let pilot_columns: Vec<&[f32]> = (0..years).map(column).collect();
        t.pilot_chunks = pilot_parts
            .into_iter()
            .zip(pilot_rows.chunks(CHUNK))
            .enumerate()
            .map(|(c, (part, r))| {
                // The pilot's DPI is tallied whole, with the first chunk.
                let dpi = if c == 0 {
                    t.tally_dpi(&pilot_columns)
                } else {
                    Vec::new()
                };
                (part, dpi, t.tally_rows(r))
            })
            .collect();
        Some(t)
    }

    fn tally_dpi(&self, columns: &[&[f32]]) -> Vec<Tally<u32>> {
        let mut tallies: Vec<Tally<u32>> = self.brackets.iter().map(Tally::new).collect();
        crate::vector::run(
            #[inline(always)]
            || {
                for ((tally, b), column) in tallies.iter_mut().zip(&self.brackets).zip(columns) {
                    tally.add(b, column.len(), |i| order_key_f32(column[i]));
                }
            },
        );
        tallies
    }

    fn tally_rows(&self, r: &[FundRow]) -> Option<(RowSums, MeasureTally)> {
        self.measures
            .as_ref()
            .map(|m| (RowSums::of(r, self.shift), m.tally(r)))
    }

    /// Simulates chunk `c` (after the pilot) into `r`, with `buffer` for its DPI, and
    /// tallies it.
    fn chunk(
        &self,
        sim: &ChunkSim,
        c: usize,
        r: &mut [FundRow],
        buffer: &mut [f32],
        progress: &(dyn Fn(u64) + Sync),
    ) -> ChunkTally {
        let mut d: Vec<&mut [f32]> = buffer
            .chunks_mut(CHUNK)
            .map(|column| &mut column[..r.len()])
            .collect();
        let part = sim.chunk(c, r, &mut d);
        let columns: Vec<&[f32]> = d.iter().map(|column| &**column).collect();
        let dpi = self.tally_dpi(&columns);
        progress(r.len() as u64);
        (part, dpi, self.tally_rows(r))
    }

    /// The chunks `chunks` of a run whose rows are not kept (the pilot's taken from
    /// [`Tallying::new`]), each simulated in a per-thread buffer, in chunk order.
    fn chunks(
        &self,
        sim: &ChunkSim,
        chunks: Range<usize>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Vec<ChunkTally> {
        let first = PILOT / CHUNK;
        let funds = self.funds;
        let mut out: Vec<ChunkTally> = self
            .pilot_chunks
            .get(chunks.start.min(first)..chunks.end.min(first))
            .unwrap_or_default()
            .to_vec();
        out.extend(
            (chunks.start.max(first)..chunks.end)
                .into_par_iter()
                .map_init(
                    || {
                        (
                            vec![0f32; CHUNK * sim.years],
                            vec![FundRow::default(); CHUNK],
                        )
                    },
                    |(buffer, r), c| {
                        let len = CHUNK.min(funds - c * CHUNK);
                        self.chunk(sim, c, &mut r[..len], buffer, progress)
                    },
                )
                .collect::<Vec<_>>(),
        );
        out
    }

    /// The run from all its chunks' tallies (in chunk order) and, with detail, its rows;
    /// `None` when a quantile falls outside its bracket (then nothing can be said without
    /// the values).
    fn combine(
        &self,
        sim: &ChunkSim,
        chunks: Vec<ChunkTally>,
        mut rows: Vec<FundRow>,
    ) -> Option<Run> {
        let (funds, years) = (self.funds, sim.years);
        // Combine in chunk order: the sums are added in fund order; DPI tallies by year,
        // each year on its own thread.
        let mut parts = Vec::with_capacity(chunks.len());
        let mut by_year: Vec<Vec<Tally<u32>>> = (0..years).map(|_| Vec::new()).collect();
        let mut sums = RowSums::new(self.shift);
        let mut row_tallies: Vec<MeasureTally> = Vec::new();
        for (part, dpi, row_tally) in chunks {
            parts.push(part);
            for (year, tally) in by_year.iter_mut().zip(dpi) {
                year.push(tally);
            }
            if let Some((chunk_sums, tally)) = row_tally {
                sums.add(&chunk_sums);
                row_tallies.push(tally);
            }
        }
        let dpi_quartiles = by_year
            .into_par_iter()
            .zip(&self.brackets)
            .map(|(tallies, b)| {
                let found = b.resolve(tallies, &self.ranks)?;
                let q = interpolate(funds, &DPI_QUARTILES, &self.ranks, &found, |k| {
                    from_order_key_f32(k) as f64
                });
                Some([q[0], q[1], q[2]])
            })
            .collect::<Option<_>>()?;
        let measures = match &self.measures {
            Some(brackets) => {
                let quantiles = brackets
                    .resolve(row_tallies, funds)
                    .into_iter()
                    .collect::<Option<Vec<_>>>()?;
                Some((sums, quantiles))
            }
            None => None,
        };
        if measures.is_some() {
            rows = Vec::new();
        }
        Some(sim.finish(funds, rows, dpi_quartiles, parts, measures))
    }

    /// Whether `t` could be chunk `c`'s tally in this run (its tallies fit the brackets;
    /// see [`Tally::consistent`]).
    fn consistent(&self, c: usize, t: &ChunkTally) -> bool {
        let len = CHUNK.min(self.funds.saturating_sub(c * CHUNK));
        // The pilot's DPI is tallied with chunk 0, for all its funds.
        let (dpi_funds, dpi_years) = match c {
            0 => (PILOT.min(self.funds), self.brackets.len()),
            c if c < PILOT / CHUNK => (0, 0),
            _ => (len, self.brackets.len()),
        };
        t.1.len() == dpi_years
            && t.1
                .iter()
                .zip(&self.brackets)
                .all(|(tally, b)| tally.consistent(b, dpi_funds))
            && match (&self.measures, &t.2) {
                (Some(m), Some((_, tally))) => m.consistent(tally, len),
                (None, None) => true,
                _ => false,
            }
    }
}

/// [`run_with`] summarised as it goes ([`Tallying`]): every chunk of funds tallies its
/// DPI (and, unless its rows are kept, its measures and their sums) as it is simulated
/// and forgets them. `None` when a quantile falls outside its bracket.
fn run_tallied(sim: &ChunkSim, funds: usize, progress: &(dyn Fn(u64) + Sync)) -> Option<Run> {
    let detail = sim.detail;
    let mut rows: Vec<FundRow> = crate::buffer::zeroed(if detail { funds } else { PILOT });
    let (pilot_rows, rest) = rows.split_at_mut(PILOT);
    let t = Tallying::new(sim, funds, pilot_rows, progress)?;
    let first = PILOT / CHUNK;
    let chunks: Vec<ChunkTally> = if detail {
        let mut chunks = t.pilot_chunks.clone();
        chunks.extend(
            rest.par_chunks_mut(CHUNK)
                .enumerate()
                .map_init(
                    || vec![0f32; CHUNK * sim.years],
                    |buffer, (c, r)| t.chunk(sim, first + c, r, buffer, progress),
                )
                .collect::<Vec<_>>(),
        );
        chunks
    } else {
        // Rows live in a per-thread buffer only as long as their chunk.
        t.chunks(sim, 0..funds.div_ceil(CHUNK), progress)
    };
    t.combine(sim, chunks, rows)
}

/// A piece of one large run of funds ([`run_part`]): the tallies of a range of its
/// chunks, for a process that may be on another machine to merge with the others
/// ([`merge_parts`]) into exactly the run [`run`] gives. Opaque; [`RunPart::to_bytes`]
/// and [`RunPart::from_bytes`] carry it between processes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RunPart {
    /// The venturelab version that made it: another version may simulate other funds.
    version: String,
    funds: usize,
    seed: u64,
    /// The first chunk's index; the part holds chunks `first .. first + chunks.len()`.
    first: usize,
    /// The run's shifts of the sums, which depend on its model and seed: a part of another
    /// scenario's run is told apart by them.
    shift: [f64; 6],
    chunks: Vec<ChunkTally>,
}

/// The smallest run [`run_part`] splits: runs below it keep every fund's row and are
/// not split ([`run`] them in one process).
pub const SPLIT_MIN: usize = TALLY_MIN;

/// The number of chunks of 2,048 funds in a run of `funds`: the units a run is split
/// into ([`run_part`] takes a range of them).
pub fn chunk_count(funds: usize) -> usize {
    funds.div_ceil(CHUNK)
}

/// Simulates and tallies the chunks `chunks` (of [`chunk_count`]`(funds)`) of the run of
/// `funds` funds with `seed`, for [`merge_parts`]. Each process also simulates the run's
/// first 8,192 funds (a few milliseconds), whose values place the brackets, so
/// that no process waits for another.
///
/// ```
/// use venturelab::fund::{chunk_count, merge_parts, run, run_part, summarize, Scenario};
///
/// let preset = venturelab::presets::get("fund", "essay").unwrap();
/// let model = Scenario::from_toml(preset.toml)?.model()?;
/// let (funds, seed) = (70_000, 5);
/// let n = chunk_count(funds);
/// // Two pieces, as two machines would make them, carried as bytes.
/// let parts = [run_part(&model, funds, seed, 0..n / 2)?, run_part(&model, funds, seed, n / 2..n)?]
///     .map(|p| p.to_bytes());
/// let parts = parts.iter().map(|b| venturelab::fund::RunPart::from_bytes(b)).collect::<Result<Vec<_>, _>>()?;
/// let merged = merge_parts(&model, funds, seed, parts)?.expect("every quantile in its bracket");
/// assert_eq!(summarize(&model, &merged), summarize(&model, &run(&model, funds, seed, &|_| {})));
/// # Ok::<(), venturelab::Error>(())
/// ```
pub fn run_part(
    model: &FundModel,
    funds: usize,
    seed: u64,
    chunks: Range<usize>,
) -> crate::Result<RunPart> {
    if funds < SPLIT_MIN {
        return Err(crate::Error::param(
            "funds",
            format!("a run of fewer than {SPLIT_MIN} funds is not split: run it whole"),
        ));
    }
    if chunks.start >= chunks.end || chunks.end > chunk_count(funds) {
        return Err(crate::Error::param(
            "chunks",
            format!(
                "{}..{} is not a range of the run's {} chunks",
                chunks.start,
                chunks.end,
                chunk_count(funds)
            ),
        ));
    }
    let sim = ChunkSim::new(model, seed, false);
    let mut pilot_rows = vec![FundRow::default(); PILOT];
    let Some(t) = Tallying::new(&sim, funds, &mut pilot_rows, &|_| {}) else {
        // Brackets with too many intervals: no part can be made; the run is made whole.
        return Ok(RunPart {
            version: crate::VERSION.to_string(),
            funds,
            seed,
            first: chunks.start,
            shift: [f64::NAN; 6],
            chunks: Vec::new(),
        });
    };
    Ok(RunPart {
        version: crate::VERSION.to_string(),
        funds,
        seed,
        first: chunks.start,
        shift: t.shift,
        chunks: t.chunks(&sim, chunks, &|_| {}),
    })
}

/// The run of `funds` funds with `seed` from [`run_part`]s covering all its chunks once
/// (in any order): the same run, to the bit, as [`run`] gives in one process.
/// `Ok(None)` when a quantile falls outside its bracket (rare; [`run`] then repeats the
/// funds with every row stored, which a caller does in one process). An error when the
/// parts are not of this run (another model, seed, size or venturelab version), leave out
/// or repeat a chunk, or do not hold together.
pub fn merge_parts(
    model: &FundModel,
    funds: usize,
    seed: u64,
    mut parts: Vec<RunPart>,
) -> crate::Result<Option<Run>> {
    let bad = |message: String| crate::Error::input("parts", message);
    let sim = ChunkSim::new(model, seed, false);
    let mut pilot_rows = vec![FundRow::default(); PILOT];
    let Some(t) = Tallying::new(&sim, funds, &mut pilot_rows, &|_| {}) else {
        return Ok(None);
    };
    parts.sort_by_key(|p| p.first);
    let mut next = 0;
    let mut chunks = Vec::with_capacity(chunk_count(funds));
    for p in parts {
        if p.version != crate::VERSION {
            return Err(bad(format!(
                "a part made by venturelab {}, this is {}",
                p.version,
                crate::VERSION
            )));
        }
        if p.funds != funds || p.seed != seed {
            return Err(bad(format!(
                "a part of a run of {} funds with seed {}, not {funds} with seed {seed}",
                p.funds, p.seed
            )));
        }
        if p.shift.map(f64::to_bits) != t.shift.map(f64::to_bits) {
            return Err(bad("a part of another scenario's run".into()));
        }
        if p.first != next {
            return Err(bad(format!(
                "chunk {next} is {} (the parts must cover chunks 0..{} once)",
                if p.first > next {
                    "missing"
                } else {
                    "repeated"
                },
                chunk_count(funds)
            )));
        }
        for (i, c) in p.chunks.iter().enumerate() {
            if !t.consistent(p.first + i, c) {
                return Err(bad(format!("chunk {} does not hold together", p.first + i)));
            }
        }
        next += p.chunks.len();
        chunks.extend(p.chunks);
    }
    if next != chunk_count(funds) {
        return Err(bad(format!(
            "chunks {next}..{} are missing",
            chunk_count(funds)
        )));
    }
    Ok(t.combine(&sim, chunks, Vec::new()))
}

impl RunPart {
    /// The part as bytes (postcard), for another process.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain numbers and vectors into memory cannot fail.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// A part from [`RunPart::to_bytes`]; an error for bytes that are not one.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<RunPart> {
        postcard::from_bytes(bytes)
            .map_err(|e| crate::Error::input("parts", format!("not a fund run part: {e}")))
    }
}

/// What one chunk of funds adds besides its rows: its rank-share sums and stage hits.
type ChunkPart = (Vec<f64>, Vec<u64>);

/// How the funds of a run are simulated, chunk by chunk.
struct ChunkSim<'a> {
    model: &'a FundModel,
    /// The block path, when the model has the plain shape.
    plain: Option<PlainFund>,
    /// The vintage and skill factors, when the model has them (one-fund path).
    factors: Option<RunFactors<'a>>,
    seed: u64,
    /// Keep every fund's row and average the rank shares ([`run_with`]).
    detail: bool,
    years: usize,
}

impl<'a> ChunkSim<'a> {
    fn new(model: &'a FundModel, seed: u64, detail: bool) -> ChunkSim<'a> {
        ChunkSim {
            model,
            // The plain shape of fund goes through the block path (the same rows, faster).
            plain: PlainFund::new(model),
            factors: RunFactors::new(model, seed),
            seed,
            detail,
            years: model.horizon() as usize + 1,
        }
    }

    /// Simulates funds `0 .. rows.len()` into `rows`, and their DPI into `dpi`,
    /// year-major (`dpi[t * n + i]`: fund i's DPI at the end of year t).
    fn stored(
        &self,
        rows: &mut [FundRow],
        dpi: &mut [f32],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Vec<ChunkPart> {
        let n = rows.len();
        rows.par_chunks_mut(CHUNK)
            .zip(column_chunks(dpi, n, CHUNK))
            .enumerate()
            .map(|(c, (r, mut d))| {
                let part = self.chunk(c, r, &mut d);
                progress(r.len() as u64);
                part
            })
            .collect()
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
                let ranks = self.detail.then_some(&mut ranks);
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
                *row = match &self.factors {
                    Some(f) => simulate_fund_with(
                        model,
                        seed,
                        index,
                        &f.fund(index),
                        true,
                        &mut ws,
                        &mut series,
                    ),
                    None => simulate_fund(model, seed, index, &mut ws, &mut series),
                };
                for (column, &v) in d.iter_mut().zip(&series) {
                    column[j] = v;
                }
                if self.detail {
                    ws.add_rank_shares(&mut ranks);
                }
            }
            ws.stage_hits
        };
        (ranks, hits)
    }

    /// The run from its rows, DPI quartiles, the chunks' parts (in chunk order) and the
    /// measures' sums and quantiles when the rows were not kept.
    fn finish(
        &self,
        funds: usize,
        rows: Vec<FundRow>,
        dpi_quartiles: Vec<[f64; 3]>,
        parts: Vec<ChunkPart>,
        measures: Option<(RowSums, Vec<Vec<f64>>)>,
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
            funds,
            rows,
            dpi_quartiles,
            rank_shares,
            stage_hits,
            measures,
            vintage_factors: self
                .factors
                .as_ref()
                .map_or(Vec::new(), |f| f.zs().to_vec()),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fund::summary::summarize;
    use crate::fund::Scenario;
    use crate::stats::quantile_sorted;

    fn preset_model(name: &str) -> FundModel {
        Scenario::from_toml(crate::presets::get("fund", name).expect("preset").toml)
            .and_then(|s| s.model())
            .expect("valid preset")
    }

    #[test]
    fn a_run_split_into_parts_merges_to_the_same_run() {
        // The block path and the one-fund path (stage mode); parts made in any order and
        // of any sizes, one of them within the pilot's chunks, through bytes: the summary
        // of the merge equals the one-process run's to the bit (as JSON, NaN as null).
        for preset in ["correlation-ventures", "carta-funnel"] {
            let model = preset_model(preset);
            let (funds, seed) = (TALLY_MIN + 3_000, 11);
            let n = chunk_count(funds);
            let json = |r: &Run| serde_json::to_string(&summarize(&model, r)).unwrap();
            let want = json(&run(&model, funds, seed, &|_| {}));
            for cuts in [vec![0, n], vec![0, 2, n], vec![0, 5, 6, 20, n]] {
                let mut parts: Vec<RunPart> = cuts
                    .windows(2)
                    .map(|w| run_part(&model, funds, seed, w[0]..w[1]).expect("part"))
                    .map(|p| RunPart::from_bytes(&p.to_bytes()).expect("bytes"))
                    .collect();
                parts.reverse();
                let merged = merge_parts(&model, funds, seed, parts)
                    .expect("parts of this run")
                    .expect("no miss");
                assert_eq!(json(&merged), want, "{preset} {cuts:?}");
            }
        }
    }

    #[test]
    fn parts_of_another_run_or_with_gaps_are_refused() {
        let model = preset_model("correlation-ventures");
        let (funds, seed) = (TALLY_MIN, 3);
        let n = chunk_count(funds);
        let part = |seed: u64, r: Range<usize>| run_part(&model, funds, seed, r).unwrap();
        let merge = |parts: Vec<RunPart>| merge_parts(&model, funds, seed, parts).map(|_| ());
        let msg = |r: crate::Result<()>| r.unwrap_err().to_string();
        assert!(msg(merge(vec![part(seed, 0..5)])).contains(&format!("chunks 5..{n} are missing")));
        assert!(
            msg(merge(vec![part(seed, 0..5), part(seed, 4..n)])).contains("chunk 5 is repeated")
        );
        assert!(msg(merge(vec![part(seed, 0..5), part(seed, 6..n)])).contains("chunk 5 is missing"));
        assert!(msg(merge(vec![part(seed + 1, 0..n)])).contains("seed 4"));
        let other = preset_model("essay");
        let foreign = run_part(&other, funds, seed, 0..n).unwrap();
        assert!(msg(merge(vec![foreign])).contains("another scenario"));
        // A part whose tallies were altered does not reach the resolution.
        let mut p = part(seed, 0..n);
        if let Some((_, dpi, _)) = p.chunks.get_mut(7) {
            dpi[3].kept_tags_mut().push(9);
        }
        assert!(msg(merge(vec![p])).contains("chunk 7 does not hold together"));
        assert!(RunPart::from_bytes(b"not a part")
            .unwrap_err()
            .to_string()
            .contains("not a fund run part"));
        assert!(run_part(&model, TALLY_MIN - 1, seed, 0..1).is_err());
        assert!(run_part(&model, funds, seed, 0..n + 1).is_err());
        assert!(run_part(&model, funds, seed, 3..3).is_err());
    }

    #[test]
    fn tallied_runs_summarise_as_stored_runs_do() {
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
            let sim = |detail| ChunkSim::new(&model, 5, detail);
            let tallied = run_tallied(&sim(false), funds, &|_| {}).expect("no miss");
            let detailed = run_tallied(&sim(true), funds, &|_| {}).expect("no miss");
            let stored = run_stored(&sim(false), funds, &|_| {});
            assert_eq!(tallied.dpi_quartiles, stored.dpi_quartiles, "{preset}");
            assert_eq!(detailed.dpi_quartiles, stored.dpi_quartiles, "{preset}");
            // The whole summary: tallied without rows, tallied with rows kept, stored.
            assert!(tallied.rows.is_empty() && tallied.measures.is_some());
            // (As JSON: NaN, which is not equal to itself, is written null.)
            let json = |r: &Run| serde_json::to_string(&summarize(&model, r)).unwrap();
            let want = json(&stored);
            assert_eq!(json(&tallied), want, "{preset}");
            // On one thread as on several.
            let one = crate::par::with_threads(Some(1), || {
                run_tallied(&sim(false), funds, &|_| {}).expect("no miss")
            });
            assert_eq!(json(&one), want, "{preset}, 1 thread");
            assert_eq!(json(&detailed), want, "{preset}");
            assert_eq!(detailed.rows.len(), funds);
            for (a, b) in detailed.rows.iter().zip(&stored.rows) {
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
