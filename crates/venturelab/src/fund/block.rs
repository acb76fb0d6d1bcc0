//! Funds in blocks of [`LANES`]: the fast path of the fund simulator for the plain shape of
//! fund, which is what the presets and most scenarios are: outcomes drawn from a mixture,
//! every company bought at the start, fees on commitments, no follow-ons and no recycling.
//!
//! It is the model of [`super::sim::simulate_fund`], step for step and operation for
//! operation, computed for [`LANES`] funds side by side: each step is one short loop over
//! lanes without branches on the funds' values (selects, and adds of +0 where the one-fund
//! path skips), which the compiler turns into vector instructions in the AVX-512 and AVX2
//! copies that [`vector::run`] chooses from; the per-fund random streams are stepped
//! together ([`FastLanes`]). Every fund gets the same random numbers
//! and the same arithmetic as on the one-fund path (whose net IRR comes from the same
//! solver, `money::irr_lanes::yearly_irr_lanes`, with one lane), so both paths give
//! bit-identical rows (tested in `fund/block_tests.rs`). The one-fund path remains the
//! reference and handles every other shape of fund.

use super::scenario::{FundModel, OutcomeModel};
use super::sim::{add_rank_shares, top_k, unit_f64, FundRow, COMPANY_DRAWS, TOP_IN_REGISTERS};
use crate::dist::Piece;
use crate::money::irr_lanes::yearly_irr_lanes;
use crate::money::waterfall::{Tiers, WaterfallTerms};
use crate::rng::{FastKey, FastLanes};
use crate::vector;

/// Funds simulated side by side.
pub const LANES: usize = 16;

/// The largest top-decile count kept in registers (portfolios of up to 160 companies);
/// larger portfolios keep every company's proceeds and select, as the one-fund path does.
const MAX_TOP: usize = TOP_IN_REGISTERS;

/// Exit years whose proceeds are summed in one pass over the companies.
const YEARS_AT_ONCE: usize = 8;

/// The most pieces an outcome mixture may have on this path (fixed-size tables).
pub(crate) const MAX_PIECES: usize = 8;

/// A fund model in the plain shape, with everything that is the same for every fund
/// (calls, fees, invested capital) computed once.
#[derive(Debug, Clone)]
pub struct PlainFund {
    companies: usize,
    years: usize,
    check: f64,
    size: f64,
    lp: f64,
    exit_low: u32,
    exit_extra: u32,
    span: f64,
    /// Cumulative shares of the pieces but the last, on the 53-bit integer a uniform is
    /// made from ([`unit_threshold`]), padded with `u64::MAX` (never reached).
    unit_thresholds: [u64; MAX_PIECES - 1],
    /// Quantile `offset + slope·u` of each affine piece (zero for the others).
    offset: [f64; MAX_PIECES],
    slope: [f64; MAX_PIECES],
    /// The pieces whose quantile is not affine (Pareto, log-uniform, lognormal).
    general: Vec<Option<Piece>>,
    /// The u_piece intervals [a, b) that select a piece in `general`.
    general_spans: Vec<(u64, u64)>,
    /// How many thresholds are real (pieces - 1).
    cuts: usize,
    lp_calls: Vec<f64>,
    lp_paid_in: f64,
    invested: f64,
    fees: f64,
    terms: WaterfallTerms,
    top: usize,
}

/// Where a block writes its funds' DPI: `columns[t]` holds every fund's DPI at the end
/// of year `t`, and the block's funds are its entries `at ..`.
pub struct DpiColumns<'a, 'b> {
    pub columns: &'a mut [&'b mut [f32]],
    pub at: usize,
}

/// The least integer k with k / 2^53 >= `c`: a uniform made from k (`sim::unit_f64`) reaches
/// the share `c` exactly when k reaches this (k / 2^53 and c · 2^53 are exact), so pieces can
/// be chosen on integers without converting to floating point. Beyond 1: never reached.
fn unit_threshold(c: f64) -> u64 {
    if c > 1.0 {
        u64::MAX
    } else if c > 0.0 {
        (c * (1u64 << 53) as f64).ceil() as u64
    } else {
        0
    }
}

/// Adds `value` to `sum` in the lanes where `after` is `year`, and +0 in the others.
#[inline(always)]
fn add_where(sum: &mut [f64; LANES], after: [f64; LANES], year: f64, value: [f64; LANES]) {
    *sum = std::array::from_fn(|l| sum[l] + if after[l] == year { value[l] } else { 0.0 });
}

/// Per-thread scratch space for blocks, reused from block to block.
#[derive(Debug, Clone, Default)]
pub struct BlockScratch {
    proceeds: Vec<[f64; LANES]>,
    /// Every company's proceeds (summed by exit year after the company loop; also read
    /// fund by fund for large portfolios and rank shares).
    values: Vec<[f64; LANES]>,
    /// Every company's exit year, counted from the first possible one.
    after: Vec<[f64; LANES]>,
    column: Vec<f64>,
    lp_dist: Vec<[f64; LANES]>,
    net: Vec<[f64; LANES]>,
}

impl PlainFund {
    /// The fast path's view of `model`, or `None` unless the model is in the plain shape
    /// ([`FundModel::is_plain`], the one place that decides).
    pub fn new(model: &FundModel) -> Option<PlainFund> {
        if !model.is_plain() {
            return None;
        }
        let OutcomeModel::Random(mixture) = &model.outcomes else {
            return None;
        };
        let companies = model.companies as usize;
        let top = companies.div_ceil(10);
        let years = model.horizon() as usize + 1;
        let lp = 1.0 - model.gp_commit;
        // The same sums, in the same order, as the one-fund path.
        let mut invested = 0.0;
        for _ in 0..companies {
            invested += model.initial_check;
        }
        let mut fees = 0.0;
        let mut lp_calls = vec![0.0; years];
        let mut lp_paid_in = 0.0;
        for (t, call) in lp_calls.iter_mut().enumerate() {
            // No capital is held for invested-capital fees: this shape charges none.
            let fee = model.lp_fee(t, 0.0);
            fees += fee;
            let invest = if t == 0 { invested } else { 0.0 };
            *call = invest * lp + fee;
            if *call > 0.0 {
                lp_paid_in += *call;
            }
        }
        let affine = mixture.affine();
        Some(PlainFund {
            companies,
            years,
            check: model.initial_check,
            size: model.size,
            lp,
            exit_low: model.exit_low,
            exit_extra: model.exit_high - model.exit_low,
            span: (model.exit_high - model.exit_low + 1) as f64,
            offset: std::array::from_fn(|i| {
                affine.get(i).and_then(|a| a.map(|a| a.0)).unwrap_or(0.0)
            }),
            slope: std::array::from_fn(|i| {
                affine.get(i).and_then(|a| a.map(|a| a.1)).unwrap_or(0.0)
            }),
            general: mixture
                .pieces()
                .iter()
                .zip(affine)
                .map(|((_, p), a)| a.is_none().then(|| p.clone()))
                .collect(),
            unit_thresholds: std::array::from_fn(|i| {
                unit_threshold(
                    mixture
                        .thresholds()
                        .get(i)
                        .copied()
                        .unwrap_or(f64::INFINITY),
                )
            }),
            general_spans: (0..affine.len())
                .filter(|&j| affine[j].is_none())
                .map(|j| {
                    let cut = |i: Option<usize>, beyond: f64| {
                        i.and_then(|i| mixture.thresholds().get(i).copied())
                            .unwrap_or(beyond)
                    };
                    (
                        unit_threshold(cut(j.checked_sub(1), f64::NEG_INFINITY)),
                        unit_threshold(cut(Some(j), f64::INFINITY)),
                    )
                })
                .collect(),
            cuts: mixture.thresholds().len(),
            lp_calls,
            lp_paid_in,
            invested,
            fees,
            terms: model.waterfall,
            top,
        })
    }

    /// Years in every fund's DPI series.
    pub fn years(&self) -> usize {
        self.years
    }

    /// Simulates funds `first .. first + rows.len()` (at most [`LANES`]) of a run with
    /// `seed` into `rows`, and their DPI at the end of each year into `dpi`; with `ranks`,
    /// also adds each fund's shares of proceeds by company rank to it, as
    /// `Workspace::add_rank_shares` does. A short block still steps all lanes; the
    /// extra funds are dropped.
    pub fn simulate(
        &self,
        seed: u64,
        first: u64,
        scratch: &mut BlockScratch,
        rows: &mut [FundRow],
        dpi: DpiColumns,
        ranks: Option<&mut Vec<f64>>,
    ) {
        vector::run(
            #[inline(always)]
            || self.simulate_kernel(seed, first, scratch, rows, dpi, ranks),
        )
    }

    /// [`Self::simulate`], inlined into each copy that [`vector::run`] chooses from.
    #[inline(always)]
    fn simulate_kernel(
        &self,
        seed: u64,
        first: u64,
        scratch: &mut BlockScratch,
        rows: &mut [FundRow],
        dpi: DpiColumns,
        mut ranks: Option<&mut Vec<f64>>,
    ) {
        let years = self.years;
        let key = FastKey::new(seed, COMPANY_DRAWS);
        let mut rng = FastLanes::<LANES>::new(std::array::from_fn(|l| key.state(first + l as u64)));
        let zero = [0.0f64; LANES];
        for v in [&mut scratch.proceeds, &mut scratch.lp_dist] {
            v.clear();
            v.resize(years, zero);
        }
        // Every net flow is written below.
        scratch.net.resize(years, zero);
        let proceeds = &mut scratch.proceeds;
        // Large portfolios (top decile beyond the registers) and rank shares need every
        // company's proceeds.
        let in_registers = self.top <= MAX_TOP;
        let keep_values = !in_registers || ranks.is_some();
        scratch.values.clear();
        scratch.after.clear();

        // Companies: piece, value and exit year from three uniforms each, as
        // `Mixture::sample` and the one-fund loop compute them.
        let mut total = [-0.0f64; LANES];
        let mut returners = [0u32; LANES];
        let mut top = [[f64::NEG_INFINITY; LANES]; MAX_TOP];
        for _ in 0..self.companies {
            // The piece's uniform stays an integer (`unit_threshold`): u_piece = k / 2^53.
            let k_piece = rng.next_u64().map(|x| x >> 11);
            let u_value = rng.next_u64().map(unit_f64);
            let u_exit = rng.next_u64().map(unit_f64);
            // The piece is the last one whose cumulative share u_piece reaches (padding
            // never); its quantile line is chosen by selects rather than table lookups, so
            // that this vectorizes.
            let mut offset = [self.offset[0]; LANES];
            let mut slope = [self.slope[0]; LANES];
            for i in 0..self.cuts {
                let (c, o, k) = (
                    self.unit_thresholds[i],
                    self.offset[i + 1],
                    self.slope[i + 1],
                );
                for l in 0..LANES {
                    let reached = k_piece[l] >= c;
                    offset[l] = if reached { o } else { offset[l] };
                    slope[l] = if reached { k } else { slope[l] };
                }
            }
            let mut multiple: [f64; LANES] =
                std::array::from_fn(|l| offset[l] + slope[l] * u_value[l]);
            let mut general = [false; LANES];
            for &(a, b) in &self.general_spans {
                for l in 0..LANES {
                    general[l] |= k_piece[l] >= a && k_piece[l] < b;
                }
            }
            if general.iter().any(|&g| g) {
                // A rare piece (Pareto, log-uniform, lognormal): its quantile function, in
                // the lanes that drew one.
                for l in (0..LANES).filter(|&l| general[l]) {
                    let piece = self
                        .unit_thresholds
                        .iter()
                        .filter(|&&t| k_piece[l] >= t)
                        .count();
                    if let Some(p) = &self.general[piece] {
                        multiple[l] = p.quantile(u_value[l]);
                    }
                }
            }
            let value: [f64; LANES] = std::array::from_fn(|l| self.check * multiple[l]);
            // Years after the first possible exit: the one-fund path's
            // `(u_exit * span) as u32` capped at the extra years. `as` saturates, which
            // compiles to one scalar conversion per lane; the plain truncation vectorizes.
            let after: [f64; LANES] = std::array::from_fn(|l| {
                // SAFETY: u_exit is in [0, 1) and span is at most 51 (exit years are
                // validated to be at most 50), so the product is finite and in [0, 51):
                // truncation is in range and equals the saturating conversion.
                let years = unsafe { (u_exit[l] * self.span).to_int_unchecked::<i32>() };
                years.min(self.exit_extra as i32) as f64
            });
            for l in 0..LANES {
                total[l] += value[l];
                returners[l] += (value[l] >= self.size) as u32;
            }
            scratch.values.push(value);
            scratch.after.push(after);
            if !in_registers {
                continue;
            }
            // The branch-free top-k insertion of `sim::top_k`, all lanes at once.
            let mut carry = value;
            for slot in top.iter_mut().take(self.top) {
                for l in 0..LANES {
                    let hi = slot[l].max(carry[l]);
                    carry[l] = slot[l].min(carry[l]);
                    slot[l] = hi;
                }
            }
        }

        // Proceeds by exit year, eight years at a time in registers: each lane adds a
        // company's value to its exit year and +0 to the others (which leaves a sum of
        // non-negative proceeds bit for bit as it was), in the order of the companies.
        let exit_years = self.exit_extra as usize + 1;
        for first in (0..exit_years).step_by(YEARS_AT_ONCE) {
            let mut sums = [[0.0f64; LANES]; YEARS_AT_ONCE];
            let year = first as f64;
            for (&value, &after) in scratch.values.iter().zip(&scratch.after) {
                // Written out year by year: as a loop over years (here or inside the
                // company loop), the compiler vectorizes across years, with a gather and a
                // scatter per lane.
                let [s0, s1, s2, s3, s4, s5, s6, s7] = &mut sums;
                add_where(s0, after, year, value);
                add_where(s1, after, year + 1.0, value);
                add_where(s2, after, year + 2.0, value);
                add_where(s3, after, year + 3.0, value);
                add_where(s4, after, year + 4.0, value);
                add_where(s5, after, year + 5.0, value);
                add_where(s6, after, year + 6.0, value);
                add_where(s7, after, year + 7.0, value);
            }
            let at = self.exit_low as usize + first;
            let count = YEARS_AT_ONCE.min(exit_years - first);
            proceeds[at..at + count].copy_from_slice(&sums[..count]);
        }
        let carry_paid = self.waterfall(proceeds, &mut scratch.lp_dist);
        let lp_dist = &scratch.lp_dist;

        let mut cum_calls = 0.0;
        let mut cum_dist = [0.0f64; LANES];
        let kept = rows.len();
        for (t, (paid, &called)) in lp_dist.iter().zip(&self.lp_calls).enumerate() {
            cum_calls += called;
            for l in 0..LANES {
                cum_dist[l] += paid[l];
                scratch.net[t][l] = paid[l] - called;
            }
            let ratio: [f32; LANES] = std::array::from_fn(|l| {
                if cum_calls > 0.0 {
                    (cum_dist[l] / cum_calls) as f32
                } else {
                    0.0
                }
            });
            dpi.columns[t][dpi.at..dpi.at + kept].copy_from_slice(&ratio[..kept]);
        }
        let received: [bool; LANES] = std::array::from_fn(|l| cum_dist[l] > 0.0);
        let mut irrs = yearly_irr_lanes(&scratch.net, received);
        for (irr, got) in irrs.iter_mut().zip(received) {
            if !got {
                *irr = -1.0;
            }
        }

        // The per-fund ratios for all lanes at once (vectorizes); the same operations as
        // the one-fund path, lane by lane.
        let gross: [f64; LANES] = std::array::from_fn(|l| {
            if self.invested > 0.0 {
                total[l] / self.invested
            } else {
                0.0
            }
        });
        let tvpi: [f64; LANES] = std::array::from_fn(|l| {
            if self.lp_paid_in > 0.0 {
                cum_dist[l] / self.lp_paid_in
            } else {
                0.0
            }
        });
        let mut top_sum = [-0.0f64; LANES];
        for slot in top.iter().take(self.top) {
            for l in 0..LANES {
                top_sum[l] += slot[l];
            }
        }
        let shares: [(f64, f64); LANES] = std::array::from_fn(|l| {
            if total[l] <= 0.0 {
                (0.0, 0.0)
            } else {
                (top[0][l] / total[l], top_sum[l] / total[l])
            }
        });
        for (l, row) in rows.iter_mut().enumerate() {
            let total = total[l];
            let column = &mut scratch.column;
            if keep_values {
                column.clear();
                column.extend(scratch.values.iter().map(|v| v[l]));
            }
            // The same steps as the one-fund path, in the same order: top-k (which may
            // reorder the companies), then rank shares.
            let (best, decile) = if total <= 0.0 {
                (0.0, 0.0)
            } else if in_registers {
                shares[l]
            } else {
                let (best, decile) = top_k(column, self.top);
                (best / total, decile / total)
            };
            if let Some(ranks) = ranks.as_deref_mut() {
                add_rank_shares(column, ranks);
            }
            *row = FundRow {
                gross_multiple: gross[l],
                net_tvpi: tvpi[l],
                net_irr: irrs[l],
                top_company_share: best,
                top_decile_share: decile as f32,
                fund_returners: returners[l],
                fees: self.fees as f32,
                carry: carry_paid[l] as f32,
            };
        }
    }

    /// The European waterfall of every fund (`money::waterfall::Tiers`, fed as the
    /// one-fund path feeds it): the LP calls of every year (the same in every fund) and
    /// the LPs' share of each year's proceeds (in years with proceeds), calls first.
    /// Writes the LPs' share of each year's distribution into `lp_dist` and returns each
    /// fund's carried interest.
    #[inline(always)]
    fn waterfall(&self, proceeds: &[[f64; LANES]], lp_dist: &mut [[f64; LANES]]) -> [f64; LANES] {
        let first_call = self
            .lp_calls
            .iter()
            .position(|&c| c > 0.0)
            .map_or(0.0, |t| t as f64);
        let start = std::array::from_fn(|l| {
            let first_dist = proceeds
                .iter()
                .position(|p| p[l] > 0.0)
                .map_or(0.0, |t| t as f64);
            first_call.min(first_dist)
        });
        let mut w = Tiers::<LANES>::lanes(&self.terms, self.lp_paid_in, start);
        for (t, p) in proceeds.iter().enumerate() {
            if self.lp_calls[t] > 0.0 {
                w.call_all(t as f64, self.lp_calls[t]);
            }
            let on = p.map(|p| p > 0.0);
            if !on.iter().any(|&on| on) {
                continue; // nothing to distribute in any fund (often the first years)
            }
            let (to_lp, _) = w.distribute_lanes(t as f64, p.map(|p| p * self.lp), on);
            for l in 0..LANES {
                lp_dist[t][l] += to_lp[l];
            }
        }
        w.carry_paid_lanes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_thresholds_decide_as_the_uniforms_do() {
        // For shares of every kind (exact binary fractions, decimals such as 0.65 and
        // 0.995, the ends) and integers at, next to and around each threshold, k reaches
        // the threshold exactly when the uniform made from it reaches the share.
        let mut unit = crate::rng::test_uniforms(3);
        let mut shares = vec![0.0, 1.0, 0.5, 0.65, 0.9, 0.99, 0.995, 1e-12, 1.0 - 1e-16];
        shares.extend((0..2000).map(|_| unit()));
        for c in shares {
            let t = unit_threshold(c);
            let top = (1u64 << 53) - 1;
            for k in [
                t.saturating_sub(2),
                t.saturating_sub(1),
                t,
                t + 1,
                t + 2,
                0,
                top,
            ] {
                let k = k.min(top);
                assert_eq!(unit_f64(k << 11) >= c, k >= t, "share {c}, k {k}");
            }
        }
        assert_eq!(unit_threshold(f64::INFINITY), u64::MAX);
        assert_eq!(unit_threshold(f64::NEG_INFINITY), 0);
    }
}
