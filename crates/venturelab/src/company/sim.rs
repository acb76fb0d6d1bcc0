//! One simulated company, month by month, through the valley of death.
//!
//! Each run draws its uncertain inputs once (stream "company inputs"), then steps monthly.
//! One month, in this order:
//! 1. stage clock: when validation's drawn duration is over, the technology works with
//!    chance `validation.success` (otherwise the company shuts down: dead this month); when
//!    the product's drawn duration is over, it ships and `initial_accounts` start paying;
//! 2. revenue (commercialization and scale): new accounts = (sales and marketing / CAC +
//!    organic × accounts) × noise × (1 - accounts / market), with noise lognormal of mean
//!    one and the last factor a logistic limit to the market; then the MRR bridge of
//!    `cash_path` (churn, expansion, price);
//! 3. vendor price shocks: each line, with its monthly chance, has its prices multiplied by a
//!    draw of its shock distribution (a `stress` shock multiplies them at its month);
//! 4. costs: team of the stage and sales and marketing (both times the spend level, which
//!    each priced round multiplies by its `hire`, and the burn level, which cuts lower), vendor lines, debt service, revenue-based repayments (a share of revenue);
//! 5. cash falls by costs minus revenue; negative cash is death this month;
//! 6. scale check: product-market fit (average monthly MRR growth over the window and annual
//!    net revenue retention) with ARR at the scale threshold moves the company to scale;
//! 7. acquisition: with revenue, bought this month with the monthly chance, for a drawn
//!    multiple of ARR;
//! 8. financing: when runway (cash / net burn) is below the threshold and the last attempt is
//!    at least `retry_months` old, the company tries its path's money (see [`Path`]); if
//!    none comes, it cuts burn; after `give_up_after` failures in a row while default dead,
//!    the founders shut it down (most shutdowns are decisions taken before the cash is gone).
//!
//! Random streams are keyed by (seed, run, purpose), each the fast generator
//! (`rng::fast_stream`: a run opens four streams for a few hundred numbers): inputs, months
//! (a fixed number of uniforms each month), revenue noise (one Ziggurat normal each month)
//! and raise attempts (one draw per attempt), so the same run with and without a
//! vendor shock, or financed another way, sees the same random numbers (common random
//! numbers) and results do not depend on the number of threads.

use rand::Rng;
use serde::Serialize;

use super::cash_path::{bridge, Health};
use super::default_alive::default_alive;
use super::scenario::{CompanyModel, Path, StageName};
use crate::captable::financing::venture_debt_schedule;
use crate::captable::rounds::{ClassTerms, Participation, Position, Table};
use rand_distr::StandardNormal;

use crate::rng::{fast_stream, FastStream};

/// Options of a batch of runs that are not part of the scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOptions {
    pub months: u32,
    pub seed: u64,
    /// Financing path (overrides the scenario's).
    pub path: Path,
    /// `(vendor index, price factor, from month)`: a deterministic price change.
    pub shock: Option<(usize, f64, u32)>,
}

/// What happened to one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RunOutcome {
    /// Month in which the cash ran out or validation failed.
    pub death_month: Option<u32>,
    /// Month of an acquisition.
    pub acquired_month: Option<u32>,
    /// Acquisition price.
    pub exit_value: Option<f64>,
    /// Month each stage was reached (0 for the start stage and the ones before it).
    pub stage_month: [Option<u32>; 4],
    /// Month the first priced round of `financing.rounds` closed.
    pub first_round_month: Option<u32>,
    pub rounds_raised: u32,
    /// Operating at month 24 and default alive then (revenue growing at its trailing
    /// six-month rate, costs flat, covers the burn before breakeven from cash).
    pub default_alive_24: bool,
    /// Operating at month 24.
    pub operating_24: bool,
    /// First month the company was default alive.
    pub default_alive_month: Option<u32>,
    /// Gross margin at month 24 (operating, with revenue).
    pub gross_margin_24: Option<f64>,
    /// Founders' fully diluted ownership at the end of the run.
    pub founder_ownership: f64,
    /// What the founders receive: at an acquisition, their waterfall share of the price net
    /// of debt and revenue-based obligations; operating at the horizon, the same at a mark of
    /// the run's acquisition multiple × ARR; 0 when dead.
    pub founder_proceeds: f64,
    /// ARR at the end of the run (0 when dead).
    pub final_arr: f64,
    /// Mean over months of the Herfindahl index of vendor spend shares (`None` without
    /// vendor spend).
    pub vendor_hhi: Option<f64>,
    /// Runway (months) at the end of month 12 while operating and burning.
    pub runway_12: Option<f64>,
}

/// Health metrics of one month of one run (NaN where undefined or not operating).
pub type MonthMetrics = [f64; 7];
/// Order of the values in [`MonthMetrics`].
pub const METRIC_NAMES: [&str; 7] = [
    "mrr",
    "net_burn",
    "runway_months",
    "burn_multiple",
    "cac_payback_months",
    "ltv_to_cac",
    "gross_margin",
];

/// The inputs of one run, drawn from the scenario's distributions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draws {
    pub validation_months: u32,
    pub validation_ok: bool,
    pub product_months: u32,
    pub team: [f64; 4],
    pub price: f64,
    pub cac: f64,
    pub churn: f64,
    pub expansion: f64,
    pub organic: f64,
    pub market: f64,
    pub sales_marketing: f64,
    pub climate: f64,
    pub vendor_fixed: Vec<f64>,
    pub vendor_per_account: Vec<f64>,
    pub acquisition_multiple: f64,
}

fn whole_months(x: f64) -> u32 {
    x.round().clamp(0.0, 600.0) as u32
}

impl Draws {
    /// Draws run `run`'s inputs (always the same number of uniforms, in this order).
    pub fn of(m: &CompanyModel, seed: u64, run: u64) -> Draws {
        let mut d = Draws {
            vendor_fixed: Vec::new(),
            vendor_per_account: Vec::new(),
            ..Draws::default()
        };
        d.draw(m, seed, run);
        d
    }

    /// [`Draws::of`] into `self`, reusing its vendor buffers.
    pub fn draw(&mut self, m: &CompanyModel, seed: u64, run: u64) {
        let mut r = fast_stream(seed, run, "company inputs");
        let mut u = || r.random::<f64>();
        let mut fixed = std::mem::take(&mut self.vendor_fixed);
        let mut per_account = std::mem::take(&mut self.vendor_per_account);
        let head = Draws {
            validation_months: whole_months(m.validation_months.quantile(u())),
            validation_ok: u() < m.validation_success,
            product_months: whole_months(m.product_months.quantile(u())),
            team: [
                m.team[0].quantile(u()),
                m.team[1].quantile(u()),
                m.team[2].quantile(u()),
                m.team[3].quantile(u()),
            ],
            price: m.price.quantile(u()),
            cac: m.cac.quantile(u()),
            churn: m.churn.quantile(u()).min(1.0),
            expansion: m.expansion.quantile(u()),
            organic: m.organic.quantile(u()),
            market: m.market.quantile(u()),
            sales_marketing: m.sales_marketing.quantile(u()),
            climate: m.climate.quantile(u()),
            vendor_fixed: Vec::new(),
            vendor_per_account: Vec::new(),
            acquisition_multiple: 0.0,
        };
        fixed.clear();
        fixed.extend(m.vendors.iter().map(|v| v.fixed.quantile(u())));
        per_account.clear();
        per_account.extend(m.vendors.iter().map(|v| v.per_account.quantile(u())));
        *self = Draws {
            vendor_fixed: fixed,
            vendor_per_account: per_account,
            acquisition_multiple: m.acquisition_multiple.quantile(u()),
            ..head
        };
    }
}

/// A holder class in the run's small cap table: founders' common, other common (pool,
/// employees), and one 1x non-participating preferred series per equity round.
#[derive(Debug, Clone, Copy)]
struct Holding {
    ownership: f64,
    /// Money invested (preferred series); 0 for common.
    invested: f64,
}

/// Reusable buffers of one worker.
#[derive(Debug, Default)]
pub struct Workspace {
    mrr_history: Vec<f64>,
    holdings: Vec<Holding>,
    factors: Vec<f64>,
    draws: Draws,
    debt: Debt,
}

/// A venture debt facility: its payment schedule (month 1 of the facility first), the next
/// payment's index (`None`: never drawn) and its annual rate.
#[derive(Debug, Default)]
struct Debt {
    payments: Vec<f64>,
    at: Option<usize>,
    rate: f64,
}

impl Debt {
    /// This month's payment (0 when none is due).
    fn pay(&mut self) -> f64 {
        match self.at {
            Some(i) if i < self.payments.len() => {
                self.at = Some(i + 1);
                self.payments[i]
            }
            _ => 0.0,
        }
    }

    fn outstanding(&self) -> f64 {
        self.at
            .map(|i| debt_outstanding(&self.payments, i, self.rate / 12.0))
            .unwrap_or(0.0)
    }

    fn is_open(&self) -> bool {
        self.at.is_some_and(|i| i < self.payments.len())
    }

    /// Draws a new facility if the scenario has one, there was equity before and no
    /// facility is open; returns the principal.
    fn draw(&mut self, m: &CompanyModel, last_equity: f64) -> Option<f64> {
        let ds = m.debt.as_ref()?;
        if last_equity <= 0.0 || self.is_open() {
            return None;
        }
        let principal = ds.share_of_last_round.0 * last_equity;
        self.payments = venture_debt_schedule(
            principal,
            ds.rate.0,
            ds.io_months as usize,
            ds.amort_months as usize,
        )
        .ok()?;
        self.at = Some(0);
        self.rate = ds.rate.0;
        Some(principal)
    }
}

/// Founders' share of `equity_value` when it is split as `captable::waterfall` splits it for
/// the run's table (common; 1x non-participating preferred series, pari passu, each
/// converting when that pays it more), in closed form and without allocating: a run's exit
/// is computed 40,000 times in a 100,000-run batch. Tested against the waterfall itself.
///
/// The split: with the series that convert C and the others N, N take their preferences
/// (pro rata to them when `equity_value` does not cover them all) and the rest R goes to
/// common and C pro rata to ownership, u = R / (common + C ownership) per unit. Series j
/// gains by converting exactly when its price per unit, invested_j / ownership_j, is below
/// u; so C is the k cheapest series for the k whose u is consistent: every series in C at
/// or below u, every one in N at or above it. The founders receive their ownership × u.
fn founders_take(holdings: &[Holding], equity_value: f64) -> f64 {
    if equity_value <= 0.0 {
        return 0.0;
    }
    // Preferred series sorted by price per unit of ownership (infinite without ownership:
    // such a series can only take its preference).
    let mut series = [(0.0f64, 0.0f64, 0.0f64); 32];
    let mut n = 0;
    let mut common = 0.0;
    for h in holdings {
        if h.invested > 0.0 {
            if n == series.len() {
                // More series than the closed form holds: the general waterfall.
                return founders_take_waterfall(holdings, equity_value);
            }
            series[n] = (h.invested / h.ownership, h.ownership, h.invested);
            n += 1;
        } else {
            common += h.ownership;
        }
    }
    let series = &mut series[..n];
    series.sort_by(|a, b| a.0.total_cmp(&b.0));
    // k = number converting, from all of them down: the first consistent split.
    let (mut pref_n, mut own_c) = (0.0, series.iter().map(|s| s.1).sum::<f64>());
    for k in (0..=n).rev() {
        if k < n {
            pref_n += series[k].2;
            own_c -= series[k].1;
        }
        let residual = equity_value - pref_n;
        if residual <= 0.0 {
            continue;
        }
        let per_unit = residual / (common + own_c);
        let c_ok = k == 0 || series[k - 1].0 <= per_unit;
        let n_ok = k == n || series[k].0 >= per_unit;
        if c_ok && n_ok {
            return holdings[0].ownership * per_unit;
        }
    }
    // The preferences take everything (pro rata to them): nothing is left for common.
    0.0
}

/// [`founders_take`] through `captable::waterfall` itself (tables beyond the closed form's
/// 32 series, and the closed form's test).
fn founders_take_waterfall(holdings: &[Holding], equity_value: f64) -> f64 {
    if equity_value <= 0.0 {
        return 0.0;
    }
    const TOTAL: f64 = 1e12;
    let mut classes = Vec::with_capacity(holdings.len());
    let mut positions = Vec::with_capacity(holdings.len());
    for (i, h) in holdings.iter().enumerate() {
        let shares = (h.ownership * TOTAL).round() as u64;
        let preferred = h.invested > 0.0;
        let class = match i {
            0 => "founders".to_string(),
            1 => "common".to_string(),
            _ => format!("series {}", i - 1),
        };
        classes.push(ClassTerms {
            class: class.clone(),
            preferred,
            multiple: 1.0,
            participation: Participation::None,
            cap: None,
            seniority: 0,
            issue_price: if preferred && shares > 0 {
                h.invested / shares as f64
            } else {
                0.0
            },
        });
        positions.push(Position {
            holder: class.clone(),
            class,
            shares,
        });
    }
    let table = Table {
        positions,
        classes,
        open_safes: Vec::new(),
        open_notes: Vec::new(),
    };
    match crate::captable::waterfall(&table, equity_value) {
        Ok(p) => p
            .iter()
            .filter(|x| x.holder == "founders")
            .map(|x| x.amount)
            .sum(),
        // Cannot happen for a non-negative finite value; a run must not abort over it.
        Err(_) => holdings[0].ownership * equity_value,
    }
}

/// Present value at monthly rate `i` of the scheduled payments from index `from` on: the
/// debt still owed.
fn debt_outstanding(payments: &[f64], from: usize, i: f64) -> f64 {
    payments
        .iter()
        .skip(from)
        .enumerate()
        .map(|(k, p)| p / (1.0 + i).powi(k as i32 + 1))
        .sum()
}

/// The month of selling from which a first default-alive month counts (the 13th: the
/// trailing six-month growth then starts at the seventh month of selling, not at the launch
/// base, off which every company grows by tens of percent a month and looks default alive).
pub const DEFAULT_ALIVE_FROM_MONTH_OF_SELLING: u32 = 13;

/// Simulates run `run`. When `metrics` is given, it receives each month's health metrics
/// (one entry per month of the horizon; NaN after death or exit).
///
/// The fast path: the default-alive test and the health metrics are computed only in the
/// months whose outputs use them. [`simulate_run_reference`] computes both every month, as
/// the model is written; the two give bit-identical outcomes (tested).
pub fn simulate_run(
    m: &CompanyModel,
    opt: &RunOptions,
    run: u64,
    ws: &mut Workspace,
    metrics: Option<&mut Vec<MonthMetrics>>,
) -> RunOutcome {
    run_impl::<false>(m, opt, run, ws, metrics)
}

/// [`simulate_run`] as the model is written: every month computes the default-alive test
/// and the health metrics of every run, whether or not an output uses them.
pub fn simulate_run_reference(
    m: &CompanyModel,
    opt: &RunOptions,
    run: u64,
    ws: &mut Workspace,
    metrics: Option<&mut Vec<MonthMetrics>>,
) -> RunOutcome {
    run_impl::<true>(m, opt, run, ws, metrics)
}

/// Default alive this month: net burn ≤ 0, or MRR growing at its trailing six-month rate
/// against this month's costs held flat covers the burn before breakeven from this month's
/// cash (`default_alive`). `six_back` is MRR six months ago (`None` before six months of
/// history). No growth (or no history) means never breaking even while burning.
///
/// With `EXACT_ONLY` false (the fast path) two exact rejections come first, so that most
/// months need no powers or logarithms: MRR not above six months ago (growth ≤ 0: never
/// breaks even, as `default_alive` finds), and cash below a lower bound of the capital
/// needed. The bound: with R = MRR, E = R + net burn, g the growth and T' the crossing, the
/// capital needed Σ_{t<T} (E - R(1+g)^t) is at least ∫_0^T' of that concave, decreasing
/// loss, at least the triangle (E - R) T' / 2; T' = ln(E/R) / ln(1+g) ≥ (1 - R/E) / g; and
/// g = r^(1/6) - 1 ≤ (r - 1) / 6 for r = R / (MRR six months ago). So capital ≥
/// 3 (E - R)^2 / (E (r - 1)); 0.99 of it leaves room for rounding. The reference path
/// (`EXACT_ONLY` true) skips both, and the two are tested bit-identical.
#[inline]
fn default_alive_now<const EXACT_ONLY: bool>(
    mrr: f64,
    six_back: Option<f64>,
    net_burn: f64,
    cash: f64,
) -> bool {
    if net_burn <= 0.0 {
        return true;
    }
    let growth = match six_back {
        Some(p) if p > 0.0 && mrr > 0.0 => {
            let r = mrr / p;
            if !EXACT_ONLY {
                let e = mrr + net_burn;
                if r <= 1.0 || cash * e * (r - 1.0) < 0.99 * 3.0 * net_burn * net_burn {
                    return false;
                }
                if let Some(alive) = default_alive_estimate(mrr, r, e, cash) {
                    return alive;
                }
            }
            r.powf(1.0 / 6.0) - 1.0
        }
        _ => 0.0,
    };
    mrr > 0.0
        && default_alive(mrr, growth.max(-0.99), mrr + net_burn, 0.0, Some(cash))
            .ok()
            .and_then(|x| x.default_alive)
            .unwrap_or(false)
}

/// The default-alive decision from three transcendental calls instead of the dozen of
/// `default_alive` (its logs in log space and the powers of its rounding guard), or `None`
/// when cash is too close to the capital needed to be sure. With ln(1+g) = ln(r) / 6, the
/// breakeven period T = ceil(ln(E/R) / ln(1+g)) and capital E T - R ((1+g)^T - 1) / g, as
/// `default_alive` defines them; the two computations differ by rounding only (where T
/// itself could round differently, the crossing is within rounding of an integer and the
/// loss term it adds or drops is within rounding of zero), far inside the slack of 1e-7 of
/// the sums' size. Past 10,000 periods (where the powers' rounding grows with T) it
/// declines, and so does any non-finite step.
#[inline]
fn default_alive_estimate(r_now: f64, r: f64, e: f64, cash: f64) -> Option<bool> {
    let lg = r.ln() / 6.0;
    let g = lg.exp_m1();
    let t = ((e / r_now).ln() / lg).ceil();
    if !(t.is_finite() && (1.0..=10_000.0).contains(&t) && g > 0.0) {
        return None;
    }
    let sum = (t * lg).exp_m1() / g;
    let (spent, earned) = (e * t, r_now * sum);
    let slack = 1e-7 * (spent + earned);
    let capital = spent - earned;
    if !(capital.is_finite() && slack.is_finite()) {
        return None;
    }
    if cash >= capital + slack {
        Some(true)
    } else if cash < capital - slack {
        Some(false)
    } else {
        None
    }
}

fn run_impl<const REFERENCE: bool>(
    m: &CompanyModel,
    opt: &RunOptions,
    run: u64,
    ws: &mut Workspace,
    mut metrics: Option<&mut Vec<MonthMetrics>>,
) -> RunOutcome {
    let mut d = std::mem::take(&mut ws.draws);
    d.draw(m, opt.seed, run);
    let mut months_rng: FastStream = fast_stream(opt.seed, run, "company months");
    let mut noise_rng: FastStream = fast_stream(opt.seed, run, "company noise");
    let mut raise_rng: FastStream = fast_stream(opt.seed, run, "company raises");
    let nv = m.vendors.len();
    ws.factors.clear();
    ws.factors.resize(nv, 1.0);
    ws.mrr_history.clear();
    ws.holdings.clear();
    let others = (1.0 - m.founder_ownership - m.investor_ownership).max(0.0);
    ws.holdings.push(Holding {
        ownership: m.founder_ownership,
        invested: 0.0,
    });
    ws.holdings.push(Holding {
        ownership: others,
        invested: 0.0,
    });
    if m.investor_ownership > 0.0 {
        ws.holdings.push(Holding {
            ownership: m.investor_ownership,
            invested: m.invested,
        });
    }

    let mut out = RunOutcome {
        death_month: None,
        acquired_month: None,
        exit_value: None,
        stage_month: [None; 4],
        first_round_month: None,
        rounds_raised: 0,
        default_alive_24: false,
        operating_24: false,
        default_alive_month: None,
        gross_margin_24: None,
        founder_ownership: m.founder_ownership,
        founder_proceeds: 0.0,
        final_arr: 0.0,
        vendor_hhi: None,
        runway_12: None,
    };
    let mut stage = m.start_stage;
    for s in StageName::ALL {
        if s <= stage {
            out.stage_month[s.index()] = Some(0);
        }
    }
    let mut stage_entered = 0u32;
    let mut commercial_since = 0u32;
    let mut cash = m.cash;
    let mut accounts = m.start_accounts;
    let mut mrr = accounts * d.price;
    let mut burn_level = 1.0;
    // Hiring after rounds: multiplies sales and marketing spend (every round's `hire`) and
    // the team (the hires of the rounds closed in the current stage: each stage's team is
    // given as the team of that stage, so a new stage starts from it).
    let mut spend_level = 1.0;
    let mut team_level = 1.0;
    let mut next_attempt = 1u32;
    let mut failed_in_a_row = 0u32;
    let mut last_equity = m.invested;
    ws.debt = Debt::default();
    let mut rbf_left = 0.0;
    let mut hhi_sum = 0.0;
    let mut hhi_months = 0u32;
    let mut equity_value_at_end = None;
    if let Some(mm) = metrics.as_deref_mut() {
        mm.clear();
    }
    // (1 + pmf_growth)^window: the fit test `growth >= pmf_growth` as a ratio of MRRs.
    let nrr_fits = (1.0 - d.churn + d.expansion).powi(12) >= m.pmf_nrr;

    for month in 1..=opt.months {
        // The month's draws, always the same count so runs stay aligned: one normal (noise
        // stream), the acquisition uniform and two uniforms per vendor line that can shock.
        let z: f64 = noise_rng.sample(StandardNormal);
        let u_acq: f64 = months_rng.random();

        // 1. Stage clock.
        if stage == StageName::Validation && month > stage_entered + d.validation_months {
            if !d.validation_ok {
                out.death_month = Some(month);
                break;
            }
            stage = StageName::Product;
            team_level = 1.0;
            stage_entered += d.validation_months;
            out.stage_month[StageName::Product.index()] = Some(stage_entered);
        }
        if stage == StageName::Product && month > stage_entered + d.product_months {
            stage = StageName::Commercialization;
            team_level = 1.0;
            stage_entered += d.product_months;
            out.stage_month[StageName::Commercialization.index()] = Some(stage_entered);
            accounts += m.initial_accounts;
            mrr += m.initial_accounts * d.price;
        }

        // 2. Revenue.
        let prev_mrr = mrr;
        let selling = stage >= StageName::Commercialization;
        let sales_marketing = if !selling {
            0.0
        } else if stage == StageName::Scale {
            // The floor is a floor: burn cuts lower the planned spend, not the share of MRR.
            // The floor is a floor: burn cuts lower the planned spend, not the share of MRR.
            (d.sales_marketing * spend_level * burn_level).max(m.sales_marketing_share * prev_mrr)
        } else {
            d.sales_marketing * spend_level * burn_level
        };
        if selling {
            if commercial_since == 0 {
                commercial_since = month;
            }
            let noise = if m.noise > 0.0 {
                (m.noise * z - 0.5 * m.noise * m.noise).exp()
            } else {
                1.0
            };
            let room = (1.0 - accounts / d.market).max(0.0);
            let new_accounts = (sales_marketing / d.cac + d.organic * accounts) * noise * room;
            (mrr, accounts) = bridge(mrr, accounts, new_accounts, d.price, d.churn, d.expansion);
        }

        // 3. Vendor prices (lines that cannot shock draw nothing).
        for (k, v) in m.vendors.iter().enumerate() {
            if v.shock_chance > 0.0 {
                let u_shock: f64 = months_rng.random();
                let u_size: f64 = months_rng.random();
                if u_shock < v.shock_chance {
                    ws.factors[k] *= v.shock.quantile(u_size);
                }
            }
            if let Some((i, f, at)) = opt.shock {
                if i == k && month == at.max(1) {
                    ws.factors[k] *= f;
                }
            }
        }

        // 4. Costs.
        let (mut vendor_cost, mut squares) = (0.0, 0.0);
        for k in 0..nv {
            let c = ws.factors[k] * (d.vendor_fixed[k] + d.vendor_per_account[k] * accounts);
            vendor_cost += c;
            squares += c * c;
        }
        if vendor_cost > 0.0 {
            // Σ (s_k / S)^2 = Σ s_k^2 / S^2: one division a month.
            hhi_sum += squares / (vendor_cost * vendor_cost);
            hhi_months += 1;
        }
        let team = d.team[stage.index()] * team_level * burn_level;
        let debt_payment = ws.debt.pay();
        let rbf_payment = match &m.rbf {
            Some(b) if rbf_left > 0.0 => (b.share.0 * mrr).min(rbf_left),
            _ => 0.0,
        };
        rbf_left -= rbf_payment;
        let operating_burn = team + sales_marketing + vendor_cost - mrr;
        let net_burn = operating_burn + debt_payment + rbf_payment;

        // 5. Cash.
        cash -= net_burn;
        if cash < 0.0 {
            out.death_month = Some(month);
            break;
        }
        if REFERENCE || metrics.is_some() || month == 12 || month == 24 {
            let health = Health::of(
                prev_mrr,
                mrr,
                accounts,
                vendor_cost,
                net_burn,
                cash,
                d.cac,
                d.churn,
            );
            if let Some(mm) = metrics.as_deref_mut() {
                let o = |x: Option<f64>| x.unwrap_or(f64::NAN);
                mm.push([
                    mrr,
                    net_burn,
                    o(health.runway_months),
                    o(health.burn_multiple),
                    o(health.cac_payback_months),
                    o(health.ltv_to_cac),
                    o(health.gross_margin),
                ]);
            }
            if month == 12 {
                out.runway_12 = health.runway_months;
            }
            if month == 24 {
                out.gross_margin_24 = health.gross_margin;
            }
        }
        ws.mrr_history.push(mrr);
        let n = ws.mrr_history.len();
        let six_back = (n > 6).then(|| ws.mrr_history[n - 7]);

        // 6. Product-market fit and scale.
        if stage == StageName::Commercialization && nrr_fits && 12.0 * mrr >= m.scale_arr {
            let w = m.pmf_window as usize;
            let months_selling = month + 1 - commercial_since;
            if months_selling as usize > w && n > w && ws.mrr_history[n - 1 - w] > 0.0 {
                let growth = (mrr / ws.mrr_history[n - 1 - w]).powf(1.0 / w as f64) - 1.0;
                if growth >= m.pmf_growth {
                    stage = StageName::Scale;
                    team_level = 1.0;
                    out.stage_month[StageName::Scale.index()] = Some(month);
                }
            }
        }

        // 7. Acquisition.
        if mrr > 0.0 && u_acq < m.acquisition_chance {
            let value = d.acquisition_multiple * 12.0 * mrr;
            out.acquired_month = Some(month);
            out.exit_value = Some(value);
            equity_value_at_end = Some(value - (ws.debt.outstanding() + rbf_left) + cash);
            break;
        }

        // Default alive (module doc): the reference computes it every month, the fast path
        // in the months an output or a decision uses it.
        // Of this month's cash before any financing (the closure holds copies).
        let mut alive_cache =
            REFERENCE.then(|| default_alive_now::<REFERENCE>(mrr, six_back, net_burn, cash));
        let mut alive_now = move || {
            *alive_cache.get_or_insert_with(|| {
                default_alive_now::<REFERENCE>(mrr, six_back, net_burn, cash)
            })
        };

        // 8. Financing.
        let runway = if net_burn > 0.0 {
            cash / net_burn
        } else {
            f64::INFINITY
        };
        if runway < m.raise_below_months && month >= next_attempt {
            next_attempt = month + m.retry_months;
            let arr = 12.0 * mrr;
            // Cash came in (a round, or an alternative that bridges).
            let mut funded = false;
            // The attempt succeeded: what the path seeks came. In `vc` only a priced round
            // does: venture debt taken instead buys time, so the attempt still counts
            // toward giving up (a board counts failed raises whatever bridged them).
            let mut succeeded = false;
            // Whether any money was sought (the path has an instrument to seek); only such
            // failures count towards giving up.
            let mut sought = false;
            match opt.path {
                Path::Vc => {
                    // Equity is sought while the scenario has a round left, open to this
                    // stage or not (a company that needs the next round before reaching
                    // its stage has failed to raise it).
                    let k = out.rounds_raised as usize;
                    if let Some(r) = m.rounds.get(k).filter(|r| stage >= r.after) {
                        let traction = if r.arr > 0.0 {
                            arr * arr / (arr * arr + r.arr * r.arr)
                        } else {
                            1.0
                        };
                        let p = (r.chance * d.climate * traction).min(1.0);
                        let u: f64 = raise_rng.random();
                        if u < p {
                            let pre =
                                (r.pre_money_arr_multiple * arr).max(r.pre_money_floor) * d.climate;
                            let dilution = r.raise / (pre + r.raise);
                            for h in ws.holdings.iter_mut() {
                                h.ownership *= 1.0 - dilution;
                            }
                            ws.holdings.push(Holding {
                                ownership: dilution,
                                invested: r.raise,
                            });
                            cash += r.raise;
                            last_equity = r.raise;
                            burn_level = 1.0;
                            spend_level *= r.hire;
                            team_level *= r.hire;
                            out.rounds_raised += 1;
                            if k == 0 {
                                out.first_round_month = Some(month);
                            }
                            funded = true;
                            succeeded = true;
                        }
                    }
                    sought = k < m.rounds.len();
                    if !funded {
                        if let Some(p) = ws.debt.draw(m, last_equity) {
                            cash += p;
                            funded = true;
                        }
                    }
                }
                Path::Debt => {
                    sought = m.debt.is_some();
                    if let Some(p) = ws.debt.draw(m, last_equity) {
                        cash += p;
                        funded = true;
                        succeeded = true;
                    }
                }
                Path::Rbf => {
                    if let Some(b) = &m.rbf {
                        sought = mrr > 0.0;
                        if mrr > 0.0 && rbf_left <= 0.0 && b.advance_months > 0.0 {
                            let advance = b.advance_months * mrr;
                            cash += advance;
                            rbf_left = b.cap * advance;
                            funded = true;
                            succeeded = true;
                        }
                    }
                }
                Path::Bootstrap => {}
            }
            if succeeded {
                failed_in_a_row = 0;
            } else {
                failed_in_a_row += u32::from(sought);
                if !funded {
                    burn_level = (burn_level * (1.0 - m.cut)).max(m.min_burn);
                }
                if m.give_up_after > 0 && failed_in_a_row >= m.give_up_after && !alive_now() {
                    out.death_month = Some(month);
                    break;
                }
            }
        }

        if out.default_alive_month.is_none()
            && commercial_since > 0
            && month + 1 >= commercial_since + DEFAULT_ALIVE_FROM_MONTH_OF_SELLING
            && alive_now()
        {
            out.default_alive_month = Some(month);
        }
        if month == 24 {
            out.operating_24 = true;
            out.default_alive_24 = alive_now();
        }
        if month == opt.months {
            equity_value_at_end = Some(
                d.acquisition_multiple * 12.0 * mrr - (ws.debt.outstanding() + rbf_left) + cash,
            );
        }
    }

    out.founder_ownership = ws.holdings[0].ownership;
    if out.death_month.is_none() {
        out.final_arr = 12.0 * mrr;
        out.founder_proceeds = founders_take(&ws.holdings, equity_value_at_end.unwrap_or(0.0));
    }
    out.vendor_hhi = (hhi_months > 0).then(|| hhi_sum / hhi_months as f64);
    if let Some(mm) = metrics {
        mm.resize(opt.months as usize, [f64::NAN; 7]);
    }
    ws.draws = d;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// The default-alive estimate, where it decides, against `default_alive` itself: random
    /// revenue, six-month growth ratio, burn and cash, with cash drawn near the capital
    /// needed half the time so that the slack is exercised.
    #[test]
    fn default_alive_estimate_agrees_with_default_alive() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(9);
        let (mut far, mut far_decided) = (0, 0);
        for i in 0..200_000 {
            let revenue = 10f64.powf(rng.random_range(2.0..7.0));
            let r = 1.0 + 10f64.powf(rng.random_range(-4.0..0.5));
            let expenses = revenue * (1.0 + 10f64.powf(rng.random_range(-3.0..2.0)));
            let g = r.powf(1.0 / 6.0) - 1.0;
            let exact = default_alive(revenue, g, expenses, 0.0, None).unwrap();
            let cash = match exact.capital_needed {
                Some(c) if i % 2 == 0 => c * (1.0 + 1e-6 * rng.random_range(-1.0..1.0)),
                _ => 10f64.powf(rng.random_range(2.0..9.0)),
            };
            let want = default_alive(revenue, g, expenses, 0.0, Some(cash))
                .unwrap()
                .default_alive
                .unwrap();
            far += i % 2;
            if let Some(got) = default_alive_estimate(revenue, r, expenses, cash) {
                far_decided += i % 2;
                assert_eq!(got, want, "R {revenue} r {r} E {expenses} cash {cash}");
            }
        }
        // Away from the boundary it decides nearly always (else it would save nothing); the
        // rest are breakevens beyond 10,000 periods.
        assert!(
            far_decided as f64 > 0.8 * far as f64,
            "{far_decided} of {far}"
        );
    }

    /// The closed form against `captable::waterfall` on random tables: founders, other
    /// common, and 1 to 5 preferred series of random ownership and investment, at exit
    /// values from far below the preferences to far above.
    #[test]
    fn founders_take_matches_the_captable_waterfall() {
        let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(5);
        for _ in 0..3000 {
            let k = r.random_range(1..=5usize);
            let mut w: Vec<f64> = (0..k + 2).map(|_| r.random::<f64>() + 0.01).collect();
            let t: f64 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= t);
            let mut holdings = vec![
                Holding {
                    ownership: w[0],
                    invested: 0.0,
                },
                Holding {
                    ownership: w[1],
                    invested: 0.0,
                },
            ];
            for x in &w[2..] {
                holdings.push(Holding {
                    ownership: *x,
                    invested: 10f64.powf(r.random_range(5.0..8.0)),
                });
            }
            let v = 10f64.powf(r.random_range(4.0..10.0));
            let a = founders_take(&holdings, v);
            let b = founders_take_waterfall(&holdings, v);
            assert!(
                (a - b).abs() <= 1e-6 * v.max(1.0) * 1e-3 + 1e-6,
                "{holdings:?} at {v}: {a} vs {b}"
            );
        }
    }
}
