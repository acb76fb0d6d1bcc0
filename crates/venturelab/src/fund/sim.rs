//! One fund, year by year: draw each company's multiple and exit year, deploy capital,
//! charge fees, recycle, run the waterfall, and measure the fund.
//!
//! Timing conventions (all in whole fund years, year 0 = the first year):
//! - initial checks are called at the start of their entry year (year 0 when `upfront`);
//! - the management fee for fund year `t` (0-based) is called at the start of year `t`;
//! - a company exits `holding` years after its initial check; proceeds arrive in that year
//!   and are distributed in the same year (after any recycling);
//! - the fund runs until its last exit, even past its term (extensions); fees stop at the
//!   term.

use rand::Rng;

use super::factors::FundFactors;
use super::scenario::{FundModel, OutcomeModel, Pacing, StageModel};
use crate::money::irr_lanes::yearly_irr_lanes;
use crate::money::waterfall::{split_distributions, Dated};
use crate::rng::fast_stream;

/// The per-fund results kept for every simulated fund.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FundRow {
    /// Total proceeds from companies / total invested in companies (before fees and carry).
    pub gross_multiple: f64,
    /// LP distributions / LP paid-in (fees included).
    pub net_tvpi: f64,
    /// IRR of the LPs' yearly net cash flows; -1 when LPs got nothing back.
    pub net_irr: f64,
    /// Proceeds of the best company / all proceeds (0 when there are none).
    pub top_company_share: f64,
    /// Proceeds of the best 10% of companies (rounded up) / all proceeds.
    pub top_decile_share: f32,
    /// Companies whose proceeds alone are at least the fund size.
    pub fund_returners: u32,
    /// Management fees paid by LPs.
    pub fees: f32,
    /// Carried interest paid to the GP.
    pub carry: f32,
}

// SAFETY: every field is a number (f64, f32, u32), for which all-zero bits are a valid
// value (zero); the struct has no references, enums or padding-dependent invariants.
// This lets the run's rows come zeroed from the system (`buffer::zeroed`).
unsafe impl bytemuck::Zeroable for FundRow {}

/// Scratch space for one thread's funds, reused from fund to fund.
pub(crate) struct Workspace {
    invest: Vec<f64>,
    proceeds: Vec<f64>,
    held: Vec<f64>,
    lp_calls: Vec<f64>,
    lp_dist: Vec<f64>,
    /// LP net flows by year, as the one-series case of `yearly_irr_lanes`.
    net: Vec<[f64; 1]>,
    company_proceeds: Vec<f64>,
    raw: Vec<u64>,
    /// Companies that reached each stage, summed over the funds of this workspace.
    pub(crate) stage_hits: Vec<u64>,
    calls: Vec<Dated>,
    dists: Vec<Dated>,
    dist_years: Vec<usize>,
}

impl Workspace {
    pub(crate) fn new(model: &FundModel) -> Self {
        let years = model.horizon() as usize + 1;
        let z = vec![0.0; years];
        Workspace {
            invest: z.clone(),
            proceeds: z.clone(),
            held: z.clone(),
            lp_calls: z.clone(),
            lp_dist: z,
            net: vec![[0.0]; years],
            company_proceeds: Vec::with_capacity(model.companies as usize * 2),
            raw: vec![0; draws_per_company(model) * model.companies as usize],
            stage_hits: match &model.outcomes {
                OutcomeModel::Stages(sm) => vec![0; sm.stages.len()],
                _ => Vec::new(),
            },
            calls: Vec::with_capacity(years),
            dists: Vec::with_capacity(years),
            dist_years: Vec::with_capacity(years),
        }
    }
}

impl Workspace {
    /// The last simulated fund's LP calls and LP distributions by year (money).
    pub(crate) fn lp_flows(&self) -> (&[f64], &[f64]) {
        (&self.lp_calls, &self.lp_dist)
    }

    /// Adds the last simulated fund's proceeds shares by company rank (best first) to
    /// `ranks`. Funds with no proceeds add nothing.
    pub(crate) fn add_rank_shares(&mut self, ranks: &mut Vec<f64>) {
        add_rank_shares(&mut self.company_proceeds, ranks);
    }
}

/// Adds one fund's proceeds shares by company rank (best first) to `ranks`, sorting
/// `proceeds` (the fund's companies' proceeds) on the way. A fund without proceeds adds
/// nothing.
pub(crate) fn add_rank_shares(proceeds: &mut [f64], ranks: &mut Vec<f64>) {
    let total: f64 = proceeds.iter().sum();
    if total <= 0.0 {
        return;
    }
    proceeds.sort_unstable_by(|a, b| b.total_cmp(a));
    if ranks.len() < proceeds.len() {
        ranks.resize(proceeds.len(), 0.0);
    }
    for (r, p) in ranks.iter_mut().zip(proceeds.iter()) {
        *r += p / total;
    }
}

/// Top-decile counts up to this are kept in a sorted buffer in registers ([`top_k`], and
/// the block path's lanes); larger ones partially sort the fund's companies.
pub(crate) const TOP_IN_REGISTERS: usize = 16;

/// The purpose label of the company draws (part of the reproducibility contract).
pub const COMPANY_DRAWS: &str = "fund companies";

/// Three uniforms per company, always, so that changing a parameter never shifts which
/// random number feeds which company (common random numbers).
#[inline]
fn draw3(rng: &mut impl Rng) -> (f64, f64, f64) {
    (
        rng.random::<f64>(),
        rng.random::<f64>(),
        rng.random::<f64>(),
    )
}

/// Uniforms drawn per company in one block: three in multiple mode (piece, value, exit
/// year), four per stage in stage mode.
fn draws_per_company(model: &FundModel) -> usize {
    match &model.outcomes {
        OutcomeModel::Stages(sm) => sm.draws_per_company(),
        _ => 3,
    }
}

/// Stage mode: each company enters at the first stage with the initial check at
/// `entry_post_money`, then stage by stage waits its years and raises the next round
/// (post-money times a step-up, selling `dilution` of the company), exits (value = the
/// stage's post-money times an exit multiple), or fails. The fund follows on pro rata in
/// the first `pro_rata_rounds` rounds while reserves last. Returns the capital invested.
fn stage_companies(
    model: &FundModel,
    sm: &StageModel,
    rng: &mut impl Rng,
    ws: &mut Workspace,
    track_held: bool,
    reserve_left: &mut f64,
) -> f64 {
    let n = model.companies as usize;
    let per = sm.draws_per_company();
    let last_year = ws.proceeds.len() - 1;
    rng.fill(&mut ws.raw[..per * n]);
    let mut invested_total = 0.0;
    let check = model.initial_check;
    for i in 0..n {
        let u = &ws.raw[per * i..per * (i + 1)];
        let entry = match model.pacing {
            Pacing::Upfront => 0,
            Pacing::Even => (i as u64 * model.investment_period as u64 / n as u64) as usize,
        };
        let mut t = entry;
        let mut post = sm.entry_post_money;
        let mut own = check / post;
        ws.invest[entry] += check;
        invested_total += check;
        // (year, amount) of each check, for the invested-capital fee basis.
        let mut checks: [(usize, f64); 13] = [(0, 0.0); 13];
        let mut n_checks = 1;
        checks[0] = (entry, check);
        let mut value = 0.0;
        for (si, st) in sm.stages.iter().enumerate() {
            ws.stage_hits[si] += 1;
            let (u_out, u_years, u_step, u_exit) = (
                unit_f64(u[4 * si]),
                unit_f64(u[4 * si + 1]),
                unit_f64(u[4 * si + 2]),
                unit_f64(u[4 * si + 3]),
            );
            let span = (st.years_high - st.years_low + 1) as f64;
            t = (t
                + (st.years_low + ((u_years * span) as u32).min(st.years_high - st.years_low))
                    as usize)
                .min(last_year);
            if u_out < st.graduate {
                let new_post = post * st.step_up.quantile(u_step);
                let before = own;
                own *= 1.0 - st.dilution;
                if (si as u32) < sm.pro_rata_rounds && *reserve_left > 0.0 {
                    // Buy back the diluted share: before × (money raised = dilution × new_post).
                    let want = before * st.dilution * new_post;
                    let amount = want.min(*reserve_left);
                    *reserve_left -= amount;
                    own += amount / new_post;
                    ws.invest[t] += amount;
                    invested_total += amount;
                    checks[n_checks] = (t, amount);
                    n_checks += 1;
                }
                post = new_post;
            } else {
                if u_out < st.graduate + st.exit {
                    value = own * post * st.exit_multiple.quantile(u_exit);
                }
                break;
            }
        }
        if track_held {
            for &(year, amount) in &checks[..n_checks] {
                ws.held[year..t].iter_mut().for_each(|h| *h += amount);
            }
        }
        ws.proceeds[t] += value;
        ws.company_proceeds.push(value);
    }
    invested_total
}

/// A uniform in [0, 1) from the top 53 bits of a word: the same mapping as `rand`'s
/// `StandardUniform` for `f64`, applied to words filled in bulk.
#[inline]
pub fn unit_f64(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Simulates fund number `index` of a run with `seed`. Writes DPI at the end of each year
/// into `dpi` (length `horizon + 1`) and returns the fund's row.
pub(crate) fn simulate_fund(
    model: &FundModel,
    seed: u64,
    index: u64,
    ws: &mut Workspace,
    dpi: &mut [f32],
) -> FundRow {
    simulate_fund_with(model, seed, index, &FundFactors::NONE, true, ws, dpi)
}

/// [`simulate_fund`] of a fund with a vintage factor and a manager's skill (`factors`,
/// from `fund::factors`): every company's multiple scaled, its holding moved, its bucket
/// chosen by the tilted shares. With [`FundFactors::NONE`] the same bits as without
/// factors (a multiple times 1.0 is itself; a holding moved by 0 years is itself).
/// Without `full` only the row's multiples and the LP flows (in `ws`) are computed, which
/// is all the LP portfolio reads: the net IRR is left NaN and the concentration measures
/// (top company share, top decile share, fund returners) 0.
pub(crate) fn simulate_fund_with(
    model: &FundModel,
    seed: u64,
    index: u64,
    factors: &FundFactors,
    full: bool,
    ws: &mut Workspace,
    dpi: &mut [f32],
) -> FundRow {
    let years = model.horizon() as usize + 1;
    let mut rng = fast_stream(seed, index, COMPANY_DRAWS);
    for v in [
        &mut ws.invest,
        &mut ws.proceeds,
        &mut ws.held,
        &mut ws.lp_calls,
        &mut ws.lp_dist,
    ] {
        v.iter_mut().for_each(|x| *x = 0.0);
    }
    ws.company_proceeds.clear();
    let track_held = model.fees_on_invested();
    let span = (model.exit_high - model.exit_low + 1) as f64;
    let n = model.companies as usize;
    let check = model.initial_check;

    // Fixed assignments walk through the buckets in order.
    let mut fixed_bucket = 0usize;
    let mut fixed_left = match &model.outcomes {
        OutcomeModel::Fixed(b) => b.first().map(|x| x.0).unwrap_or(0),
        _ => 0,
    };
    let mut reserve_left = model.reserve;
    let mut invested_total = 0.0;

    let mut draw_multiple = |u_piece: f64, u_value: f64| -> f64 {
        let multiple = match &model.outcomes {
            OutcomeModel::Random(m) => match &factors.thresholds {
                Some(t) => m.sample_with(t, u_piece, u_value),
                None => m.sample(u_piece, u_value),
            },
            OutcomeModel::Empirical(v) => v[((u_value * v.len() as f64) as usize).min(v.len() - 1)],
            OutcomeModel::Stages(_) => unreachable!("stage mode has its own company loop"),
            OutcomeModel::Fixed(b) => {
                while fixed_left == 0 && fixed_bucket + 1 < b.len() {
                    fixed_bucket += 1;
                    fixed_left = b[fixed_bucket].0;
                }
                fixed_left = fixed_left.saturating_sub(1);
                b[fixed_bucket].1.quantile(u_value)
            }
        };
        multiple * factors.scale
    };

    if let OutcomeModel::Stages(sm) = &model.outcomes {
        invested_total += stage_companies(model, sm, &mut rng, ws, track_held, &mut reserve_left);
    } else {
        // The initial companies' uniforms in one block fill (faster than one call per draw).
        rng.fill(&mut ws.raw[..3 * n]);
        for i in 0..n {
            let (u_piece, u_value, u_exit) = (
                unit_f64(ws.raw[3 * i]),
                unit_f64(ws.raw[3 * i + 1]),
                unit_f64(ws.raw[3 * i + 2]),
            );
            let multiple = draw_multiple(u_piece, u_value);
            let holding = factors.holding(
                model.exit_low + ((u_exit * span) as u32).min(model.exit_high - model.exit_low),
                model.exit_low,
                model.exit_high,
            );
            let entry = match model.pacing {
                Pacing::Upfront => 0,
                Pacing::Even => (i as u64 * model.investment_period as u64 / n as u64) as usize,
            };
            let exit = entry + holding as usize;
            ws.invest[entry] += check;
            invested_total += check;
            let mut value = check * multiple;
            if track_held {
                ws.held[entry..exit].iter_mut().for_each(|h| *h += check);
            }
            if let Some(fo) = &model.follow_on {
                let at = entry + fo.after_years as usize;
                if reserve_left > 0.0 && multiple >= fo.min_multiple && at < exit {
                    let amount = (check * fo.check_multiple).min(reserve_left);
                    reserve_left -= amount;
                    ws.invest[at] += amount;
                    invested_total += amount;
                    value += amount * multiple / fo.step_up;
                    if track_held {
                        ws.held[at..exit].iter_mut().for_each(|h| *h += amount);
                    }
                }
            }
            ws.proceeds[exit] += value;
            ws.company_proceeds.push(value);
        }
    }

    // Recycling: proceeds in the investment period fund new companies, up to the cap.
    let mut recycle_left = model.recycling_cap;
    if recycle_left > 0.0 {
        for t in 0..(model.investment_period as usize).min(years) {
            let r = ws.proceeds[t].min(recycle_left);
            if r <= 0.0 {
                continue;
            }
            recycle_left -= r;
            ws.proceeds[t] -= r;
            let (u_piece, u_value, u_exit) = draw3(&mut rng);
            let multiple = draw_multiple(u_piece, u_value);
            let holding = factors.holding(
                model.exit_low + ((u_exit * span) as u32).min(model.exit_high - model.exit_low),
                model.exit_low,
                model.exit_high,
            );
            let exit = (t + holding as usize).min(years - 1);
            invested_total += r;
            if track_held {
                ws.held[t..exit].iter_mut().for_each(|h| *h += r);
            }
            ws.proceeds[exit] += r * multiple;
            ws.company_proceeds.push(r * multiple);
        }
    }

    // LP calls: the LPs' share of investments (recycled money is not called) plus fees.
    let lp = 1.0 - model.gp_commit;
    let mut fees = 0.0;
    for t in 0..years {
        let fee = model.lp_fee(t, ws.held[t]);
        fees += fee;
        ws.lp_calls[t] = ws.invest[t] * lp + fee;
    }

    // Waterfall on the LPs' side; the GP commitment takes its share of proceeds directly.
    ws.calls.clear();
    ws.dists.clear();
    ws.dist_years.clear();
    let mut lp_paid_in = 0.0;
    for t in 0..years {
        if ws.lp_calls[t] > 0.0 {
            ws.calls.push(Dated {
                time: t as f64,
                amount: ws.lp_calls[t],
            });
            lp_paid_in += ws.lp_calls[t];
        }
        if ws.proceeds[t] > 0.0 {
            ws.dists.push(Dated {
                time: t as f64,
                amount: ws.proceeds[t] * lp,
            });
            ws.dist_years.push(t);
        }
    }
    let dist_years = &ws.dist_years;
    let lp_dist = &mut ws.lp_dist;
    // Terms were validated when the scenario resolved; the flows are built above.
    let totals = split_distributions(
        &model.waterfall,
        lp_paid_in,
        &ws.calls,
        &ws.dists,
        |i, to_lp, _| {
            lp_dist[dist_years[i]] += to_lp;
        },
    );

    let mut cum_calls = 0.0;
    let mut cum_dist = 0.0;
    for (t, d) in dpi.iter_mut().enumerate().take(years) {
        cum_calls += ws.lp_calls[t];
        cum_dist += ws.lp_dist[t];
        *d = if cum_calls > 0.0 {
            (cum_dist / cum_calls) as f32
        } else {
            0.0
        };
        ws.net[t] = [ws.lp_dist[t] - ws.lp_calls[t]];
    }
    let lp_received = cum_dist;
    let net_irr = if !full {
        f64::NAN
    } else if lp_received > 0.0 {
        // The block path's solver, so that both paths give the same bits.
        yearly_irr_lanes(&ws.net[..years], [true])[0]
    } else {
        -1.0
    };

    let total_proceeds: f64 = ws.company_proceeds.iter().sum();
    let fund_returners = if full {
        ws.company_proceeds
            .iter()
            .filter(|&&p| p >= model.size)
            .count() as u32
    } else {
        0
    };
    let (top, top_decile) = if full && total_proceeds > 0.0 {
        let k = ws.company_proceeds.len().div_ceil(10);
        let (best, decile) = top_k(&mut ws.company_proceeds, k);
        (best / total_proceeds, decile / total_proceeds)
    } else {
        (0.0, 0.0)
    };

    FundRow {
        gross_multiple: if invested_total > 0.0 {
            total_proceeds / invested_total
        } else {
            0.0
        },
        net_tvpi: if lp_paid_in > 0.0 {
            lp_received / lp_paid_in
        } else {
            0.0
        },
        net_irr,
        top_company_share: top,
        top_decile_share: top_decile as f32,
        fund_returners,
        fees: fees as f32,
        carry: totals.gp_carry as f32,
    }
}

/// The largest value and the sum of the `k` largest. Small `k` (the usual portfolio of a
/// few dozen companies) keeps a sorted buffer on the stack; larger `k` partially sorts.
pub(crate) fn top_k(values: &mut [f64], k: usize) -> (f64, f64) {
    const SMALL: usize = TOP_IN_REGISTERS;
    if k == 0 {
        return (0.0, 0.0);
    }
    if k <= SMALL {
        // A branchless insertion: each value bubbles down the sorted buffer by max/min.
        let mut top = [f64::NEG_INFINITY; SMALL];
        for &v in values.iter() {
            let mut carry = v;
            for slot in top.iter_mut().take(k) {
                let hi = slot.max(carry);
                carry = slot.min(carry);
                *slot = hi;
            }
        }
        let taken = k.min(values.len());
        return (top[0], top[..taken].iter().sum());
    }
    let len = values.len();
    let k = k.min(len);
    values.select_nth_unstable_by(len - k, f64::total_cmp);
    let tail = &values[len - k..];
    (
        tail.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        tail.iter().sum(),
    )
}

#[cfg(test)]
mod tests {
    use super::top_k;

    #[test]
    fn top_k_small_and_large() {
        let mut v = vec![3.0, 9.0, 1.0, 7.0, 5.0];
        assert_eq!(top_k(&mut v, 2), (9.0, 16.0));
        let mut w: Vec<f64> = (0..200).map(|i| i as f64).collect();
        // k = 20: 199 + 198 + ... + 180 = 20 * (199 + 180) / 2 = 3790
        assert_eq!(top_k(&mut w, 20), (199.0, 3790.0));
        let mut x: Vec<f64> = (0..200).map(|i| i as f64).collect();
        assert_eq!(top_k(&mut x, 10), (199.0, 1945.0));
    }
}
