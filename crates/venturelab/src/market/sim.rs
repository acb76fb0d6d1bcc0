//! One run of the venture market, quarter by quarter.
//!
//! Agents act in a fixed order each quarter:
//! 1. exits: investments maturing now pay their funds, which distribute at once;
//! 2. strategy performance: U_k, the log of the realised multiple (proceeds / cost) of
//!    strategy k's exits over the last `memory_quarters` (0 before any exit), and U for the
//!    whole VC market;
//! 3. funds at the end of their life return their dry powder to LPs;
//! 4. LP commitments: base × clamp(1 + return_sensitivity U, 0.2, 5) × (1 +
//!    heat_sensitivity (mean heat - 1)), split across strategies by the logit shares
//!    `base_k exp(intensity U_k) / Σ_j base_j exp(intensity U_j)` (Brock & Hommes 1998) and
//!    raised as funds of `funds.size` (a strategy's count by largest remainders);
//! 5. management fees from every live fund's dry powder;
//! 6. heat: `heat' = 1 + decay (heat - 1) + inflow_weight (last quarter's capital share ×
//!    sectors - 1) + shocks` (at least 0), or 1 everywhere when heat is off;
//! 7. births: a Poisson number of startups; sector by birth share; potential X (value at
//!    maturity / capital need), need K and maturity T drawn from the sector's distributions;
//! 8. prices: in each sector the price multiplier is `(D / S)^price_elasticity` with D the
//!    capital investing funds direct to the sector (in proportion to the capital its seeking
//!    startups need, tilted by heat for narrative funds and by 1 / heat for contrarian
//!    funds) and S the capital the sector's seeking startups need (Gompers & Lerner 2000: more money chasing deals, higher prices); a round
//!    raises `K × multiplier^raise_elasticity` at a pre-money of `base_pre_money × K ×
//!    multiplier`;
//! 9. funds invest, in a random order: each screens `deals_seen` seeking startups, drawn
//!    sector by sector in proportion to the sector's count of seeking startups with the same
//!    tilt (narrative funds look where the heat is, contrarian funds where it is not), reads
//!    each one's
//!    potential with lognormal noise, keeps those that mature within its
//!    life, pass the power-law filter (perceived value × ownership ≥ `fund_returner` × fund
//!    size) and its strategy's rule, and funds them best first until its quarterly pace
//!    (size / investment period) is spent (the screens that pass maturity and filter are
//!    drawn as their binomial count and then one by one: the same law as screen by
//!    screen, see docs/models/market.md);
//! 10. alternative capital (optional) funds viable-looking startups the funds passed on;
//! 11. startups that have sought money for `deal_window` quarters give up.
//!
//! A funded startup with X ≥ 1 (viable) succeeds at maturity with value
//! `X K (raise / K)^capital_effect`; one with X < 1 fails (value 0). Randomness comes from
//! keyed streams per run ("market births", "market deals"), so a run is reproducible from its
//! seed and runs can be computed on any number of threads.

use rand::seq::SliceRandom;
use rand::{Rng, RngCore};
use rand_distr::{Binomial, Distribution, Poisson, StandardNormal};

use super::scenario::{MarketModel, MAX_FLOW_FACTOR};
use crate::dist::{normal, Piece};
use crate::rng::{fast_stream, FastStream};

const NARRATIVE: u8 = 0;
const FUNDAMENTALS: u8 = 1;
const THRESHOLD: u8 = 2;
const CONTRARIAN: u8 = 3;

#[derive(Debug, Clone, Copy)]
struct Startup {
    sector: u16,
    born: u32,
    /// Value at maturity / capital need.
    potential: f64,
    need: f64,
    /// ln(potential × need): the log of the value at maturity.
    ln_value: f64,
    maturity: u32,
    funded: bool,
}

/// The seeking startups of one quarter, grouped by sector and, within a sector, by
/// maturity bucket (a counting sort of the pool, stable), with what screening reads copied
/// next to each other. A fund of age `a` quarters (`life − a` quarters of life left) can
/// only use the startups maturing within `life − a`: in this order they are a prefix of
/// each sector, found without a search. The buckets are the ages of this quarter's
/// investing funds, 0 ..= `age_max`: bucket b holds maturities `life − age_max + b` (bucket
/// 0 also every shorter one, usable by every fund), and bucket `age_max + 1` the maturities
/// beyond `life` (usable by none), so their count is bounded by the quarters simulated,
/// however long a fund's life.
#[derive(Default)]
struct Seeking {
    /// Sector s occupies `start[s]..start[s + 1]`.
    start: Vec<usize>,
    /// Bucket `s × buckets + b` starts at `bucket_start[s × buckets + b]`; one more entry
    /// closes the last.
    bucket_start: Vec<usize>,
    /// A fund's life in quarters, and the oldest investing fund's age this quarter.
    life: u64,
    age_max: u64,
    /// Buckets per sector: `age_max + 2`.
    buckets: usize,
    index: Vec<u32>,
    ln_value: Vec<f64>,
    need: Vec<f64>,
    /// P(a fund's perceived value × ownership passes the power-law filter), this quarter:
    /// Φ̄((ln(fund_returner × size) + σ²/2 − ln XK − ln own) / σ); 1 without the filter.
    pass: Vec<f64>,
    /// `cum_pass[j]` = the sum of `pass` before position j (n + 1 entries).
    cum_pass: Vec<f64>,
    /// Whether funds apply the power-law filter (`fund_returner` > 0); without it every
    /// `pass` is 1.
    filter: bool,
    /// Bought this quarter (by an earlier fund in the order).
    funded: Vec<bool>,
}

impl Seeking {
    /// The bucket of a startup maturing in `maturity` quarters: maturity + age_max − life,
    /// clamped to 0 ..= age_max + 1.
    fn bucket_of(life: u64, age_max: u64, maturity: u32) -> usize {
        let b = maturity as i128 + age_max as i128 - life as i128;
        b.clamp(0, age_max as i128 + 1) as usize
    }

    /// End of the startups of sector `s` that a fund of age `age` (at most `age_max`) can
    /// use: those maturing within its `life − age` quarters left, buckets 0 ..= age_max −
    /// age.
    fn end_within(&self, s: usize, age: u64) -> usize {
        self.bucket_start[s * self.buckets + (self.age_max - age) as usize + 1]
    }

    /// The screens, of `deals_seen`, of a fund of age `age` quarters that land on a
    /// startup maturing within the fund's life left, not bought yet this quarter, whose
    /// noisy read passes the power-law filter (when `self.filter`; without it every read
    /// passes), as (sector, position, ε) into `out`, ε the read's standard normal. Each
    /// screen picks sector s with probability `share[s]` and a startup of s uniformly,
    /// independently: drawn here as the binomial count of those that pass maturity and
    /// filter, then each one's sector ∝ share_s × (pass mass of s within the life left) /
    /// n_s, its startup ∝ pass, and ε given that it passed (Φ̄(ε) uniform on (0, pass)). The same law as screen by screen (the test
    /// `passing_screens_match_screen_by_screen` checks it), for a fraction of the draws.
    fn passing_screens(
        &self,
        share: &[f64],
        age: u64,
        deals_seen: u32,
        rng: &mut FastStream,
        rate: &mut Vec<f64>,
        out: &mut Vec<(usize, usize, f64)>,
    ) {
        out.clear();
        let ns = share.len();
        rate.clear();
        rate.resize(ns, 0.0);
        let mut pi = 0.0;
        for (s, r) in rate.iter_mut().enumerate() {
            let (lo, hi) = (self.start[s], self.start[s + 1]);
            if hi > lo {
                let mass = self.cum_pass[self.end_within(s, age)] - self.cum_pass[lo];
                *r = share[s] * mass / (hi - lo) as f64;
                pi += *r;
            }
        }
        let passes = match Binomial::new(deals_seen as u64, pi.min(1.0)) {
            Ok(b) if pi > 0.0 => b.sample(rng),
            _ => 0,
        };
        for _ in 0..passes {
            let mut r = unit53(rng.next_u64()) * pi;
            let mut sector = ns - 1;
            for (s, &x) in rate.iter().enumerate() {
                if r < x {
                    sector = s;
                    break;
                }
                r -= x;
            }
            let (lo, end) = (self.start[sector], self.end_within(sector, age));
            if end == lo {
                continue; // only by rounding: a sector of zero rate was reached
            }
            let v = unit53(rng.next_u64());
            let (j, z) = if self.filter {
                // The startup ∝ pass: the first j whose cumulative pass exceeds v × the
                // mass; then ε given that it passed: ε = Φ̄⁻¹(w pass), w uniform on (0, 1)
                // (never 0: ε is finite).
                let target = self.cum_pass[lo] + v * (self.cum_pass[end] - self.cum_pass[lo]);
                let j = lo + self.cum_pass[lo + 1..=end].partition_point(|&c| c <= target);
                let j = j.min(end - 1);
                let w = unit53(rng.next_u64()) * self.pass[j];
                (j, -normal::inverse_cdf(w))
            } else {
                // No filter: the startup is uniform and ε unconditional.
                let j = lo + ((v * (end - lo) as f64) as usize).min(end - lo - 1);
                (j, rng.sample(StandardNormal))
            };
            if !self.funded[j] {
                out.push((sector, j, z));
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Fund {
    strategy: u8,
    size: f64,
    vintage: u32,
    dry: f64,
    /// Investment beyond the quarterly pace, taken out of the next quarters' pace (a deal is
    /// bought whole, so a fund may overshoot a quarter's pace; big deals must not get
    /// extra money for it).
    overshoot: f64,
    /// The quarterly paces the fund has been given so far (size / investment quarters for
    /// each quarter it could invest): what it may have invested, less what it still owes.
    paced: f64,
    invested: f64,
    fees: f64,
    distributions: f64,
    proceeds: f64,
    ended: bool,
}

#[derive(Debug, Clone, Copy)]
struct Investment {
    /// Index of the fund that holds it.
    fund: u32,
    strategy: u8,
    cost: f64,
    ownership: f64,
    value: f64,
}

/// Outcomes of VC-funded startups first funded in one kind of quarter.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cohort {
    pub funded: u64,
    pub failed: u64,
    /// Sum of the values of the successes.
    pub success_value: f64,
}

impl Cohort {
    /// The cohorts added together (e.g. the same cohort over many runs).
    pub fn pooled(cohorts: impl Iterator<Item = Cohort>) -> Cohort {
        cohorts.fold(Cohort::default(), |a, c| Cohort {
            funded: a.funded + c.funded,
            failed: a.failed + c.failed,
            success_value: a.success_value + c.success_value,
        })
    }

    /// Share of the funded that failed; `None` when none was funded.
    pub fn failure_rate(&self) -> Option<f64> {
        (self.funded > 0).then(|| self.failed as f64 / self.funded as f64)
    }
    /// Mean value of a success; `None` when none succeeded.
    pub fn mean_success(&self) -> Option<f64> {
        let successes = self.funded.saturating_sub(self.failed);
        (successes > 0).then(|| self.success_value / successes as f64)
    }
}

/// What one run produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunResult {
    /// VC capital share by sector, per quarter (NaN in a quarter without investment).
    pub capital_share: Vec<Vec<f64>>,
    /// Herfindahl index of the quarter's capital shares (NaN without investment).
    pub hhi: Vec<f64>,
    /// Σ post-money / Σ true value of the quarter's VC deals, by sector (NaN without deals).
    pub valuation_to_intrinsic: Vec<Vec<f64>>,
    /// Logit shares of new capital by strategy, per quarter.
    pub strategy_share: Vec<[f64; 5]>,
    /// VC capital invested per quarter.
    pub invested: Vec<f64>,
    /// Funds alive (raised and not yet at the end of their life) per quarter.
    pub live_funds: Vec<u32>,
    /// Σ value of viable startups whose outcome is known by the horizon.
    pub value_available: f64,
    /// Σ value realised by the funded ones among them.
    pub value_realised: f64,
    pub missing_middle_count: u64,
    pub missing_middle_value: f64,
    pub long_maturity_viable: u64,
    pub long_maturity_funded: u64,
    /// (strategy, net multiple) of every fund that ended within the run.
    pub fund_multiples: Vec<(u8, f64)>,
    /// VC deals first funded when their sector's VC dollars that quarter were in the top /
    /// bottom quarter of the sector's quarters (after one fund life of warm-up).
    pub hot: Cohort,
    pub cold: Cohort,
    /// Mean pre-money / need over VC deals.
    pub mean_entry_multiple: f64,
    /// Share of VC-funded startups that are viable.
    pub vc_success_rate: f64,
    /// VC capital by sector over the run, and the capital need of viable startups by sector
    /// (what a perfectly informed allocator would fund).
    pub capital_by_sector: Vec<f64>,
    pub viable_need_by_sector: Vec<f64>,
    /// Largest relative gap, over quarters, of Σ(invested + dry powder + fees +
    /// distributions) against Σ(commitments + proceeds).
    pub conservation_error: f64,
    /// Money the alternative investors put in, and what they got back (at most `cap` × the
    /// money, from the company's value at maturity).
    pub alternative_cost: f64,
    pub alternative_proceeds: f64,
    /// Largest (invested + fees) / size over funds: never above 1.
    pub max_fund_usage: f64,
    /// Largest, over funds and quarters, of (invested − paces given − overshoot owed) /
    /// size: never above 0, because every quarter's pace pays the overshoot down, an empty
    /// pool included (a fund whose debt was wiped would invest beyond its pace).
    pub max_pace_excess: f64,
    /// Per quarter, the strategies' scores U_k (index 5: the whole VC market) and the cost
    /// of the exits in their memory window (a score is 0 when that cost is 0).
    pub strategy_score: Vec<[f64; 6]>,
    pub window_exit_cost: Vec<[f64; 6]>,
    /// Smallest, over the funds that ended, of fees paid / fees owed on commitments
    /// (`fee` × size × life): 1 when every fund paid its fees in full.
    pub min_fee_share_paid: f64,
    /// The funds' share (ownership × value) of every VC investment, of those paid out
    /// (exits before the horizon), and of those still held at the horizon (maturing in the
    /// last quarter or later: the residual value, not paid out).
    pub holdings_value: f64,
    pub proceeds: f64,
    pub residual_value: f64,
}

/// An investor's read of a startup's `potential`: lognormal noise of sigma `sigma` and mean
/// one, from the standard normal `z`.
fn noisy_read(potential: f64, sigma: f64, z: f64) -> f64 {
    potential * (sigma * z - 0.5 * sigma * sigma).exp()
}

/// A draw from `piece` and its natural log. A lognormal is drawn as exp(mu + sigma z) with
/// a Ziggurat normal z (its log is then free); the other pieces by their quantile function.
fn draw_with_log(piece: &Piece, rng: &mut FastStream) -> (f64, f64) {
    match *piece {
        Piece::Lognormal { mu, sigma } => {
            let z: f64 = rng.sample(StandardNormal);
            let l = mu + sigma * z;
            (l.exp(), l)
        }
        _ => {
            let v = piece.quantile(rng.random());
            (v, v.ln())
        }
    }
}

/// The fees a fund still owes on its commitments after paying quarter `q`'s: `fee` a
/// quarter until the end of its life. They are kept back from investment (fees are owed on
/// commitments, so a fund cannot invest the money that pays them).
fn fee_reserve(f: &Fund, m: &MarketModel, q: u32) -> f64 {
    let left = (f.vintage + m.life_quarters).saturating_sub(q + 1);
    f.size * m.fee_per_quarter * left as f64
}

/// A uniform on (0, 1) from the top 53 bits: (k + ½) / 2^53, never 0 or 1.
#[inline(always)]
fn unit53(bits: u64) -> f64 {
    ((bits >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
}

/// A uniform on [0, 1) from the low 32 bits of `bits`.
#[inline(always)]
fn unit32(bits: u64) -> f64 {
    (bits & 0xffff_ffff) as f64 * (1.0 / 4_294_967_296.0)
}

/// The order statistics of a small vector (quartile of quarterly totals).
fn quantile(mut v: Vec<f64>, q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    crate::stats::quantile_sorted(&v, q)
}

/// The quarters at the start of a run that the summaries over quarters leave out: one fund
/// life (at most half the run). Until the first funds end the fund population is still
/// growing, and in quarters 8-16 the first handful of exits drive the switching rule (one
/// lucky strategy can take up to 99% of new money): the market is not yet in its steady
/// state.
pub fn warm_up_quarters(m: &MarketModel) -> usize {
    m.life_quarters.min(m.quarters / 2) as usize
}

/// Simulates run `run` of the market.
pub fn simulate_run(m: &MarketModel, seed: u64, run: u64) -> RunResult {
    let ns = m.sectors.len();
    let nq = m.quarters;
    let mut births_rng = fast_stream(seed, run, "market births");
    let mut deals_rng = fast_stream(seed, run, "market deals");
    let poisson = Poisson::new(m.startups_per_quarter.max(1e-12)).ok();
    let cum_share: Vec<f64> = m
        .sectors
        .iter()
        .scan(0.0, |c, s| {
            *c += s.birth_share;
            Some(*c)
        })
        .collect();

    let mut out = RunResult {
        capital_by_sector: vec![0.0; ns],
        viable_need_by_sector: vec![0.0; ns],
        ..Default::default()
    };
    let mut startups: Vec<Startup> = Vec::new();
    let mut pool: Vec<usize> = Vec::new();
    let mut funds: Vec<Fund> = Vec::new();
    let mut investments: Vec<Investment> = Vec::new();
    let mut maturing: Vec<Vec<usize>> = vec![Vec::new(); nq as usize + 1];
    // (proceeds, cost) of exits by quarter and strategy; index 5 is the whole VC market.
    let mut exits: Vec<[(f64, f64); 6]> = vec![[(0.0, 0.0); 6]; nq as usize];
    let mut heat = vec![1.0; ns];
    let mut last_share = vec![1.0 / ns as f64; ns];
    let mut u = [0.0f64; 6];
    let mut window_cost = [0.0f64; 6];
    // Commitments not yet raised as whole funds, by strategy (carried to the next quarter).
    let mut unraised = [0.0f64; 5];
    let mut commitments = 0.0;
    let mut total_proceeds = 0.0;
    // Per VC deal: (quarter funded, viable, success value) for the hot/cold cohorts.
    let mut deal_log: Vec<(u32, usize, bool, f64)> = Vec::new();
    let mut entry_multiples = (0.0, 0u64);
    let investing_q = m.investment_quarters;
    let mut investing: Vec<usize> = Vec::new();
    let mut order: Vec<usize> = Vec::new();
    let mut seeking = Seeking::default();
    // (score, startup, position in `seeking`, raise, ownership, post-money).
    let mut candidates: Vec<(f64, usize, usize, f64, f64, f64)> = Vec::new();
    let mut passed: Vec<(usize, usize, f64)> = Vec::new();
    let mut rate: Vec<f64> = Vec::new();

    for q in 0..nq {
        // 1. Exits.
        for &i in &maturing[q as usize] {
            let inv = investments[i];
            let p = inv.ownership * inv.value;
            let fund = &mut funds[inv.fund as usize];
            fund.proceeds += p;
            fund.distributions += p;
            total_proceeds += p;
            for k in [inv.strategy as usize, 5] {
                exits[q as usize][k].0 += p;
                exits[q as usize][k].1 += inv.cost;
            }
        }
        // 2. Strategy performance over the memory window.
        let from = (q + 1).saturating_sub(m.memory_quarters) as usize;
        for (k, uk) in u.iter_mut().enumerate() {
            let (p, c) = exits[from..=q as usize]
                .iter()
                .fold((0.0, 0.0), |a, e| (a.0 + e[k].0, a.1 + e[k].1));
            window_cost[k] = c;
            *uk = if c > 0.0 {
                // A floor keeps a strategy whose exits all failed at a finite score.
                (p / c).max(1e-3).ln()
            } else {
                // No exit in the window: no evidence, the documented neutral score.
                0.0
            };
        }
        // 3. Fund ends.
        for f in funds.iter_mut() {
            if !f.ended && q >= f.vintage + m.life_quarters {
                f.distributions += f.dry;
                f.dry = 0.0;
                f.ended = true;
                out.fund_multiples
                    .push((f.strategy, f.distributions / f.size));
            }
        }
        // 4. LP commitments and new funds.
        let umax = u[..5].iter().cloned().fold(f64::MIN, f64::max);
        let w: Vec<f64> = (0..5)
            .map(|k| m.base_shares[k] * (m.intensity * (u[k] - umax)).exp())
            .collect();
        let wsum: f64 = w.iter().sum();
        let mut shares = [0.0; 5];
        for k in 0..5 {
            shares[k] = w[k] / wsum;
        }
        out.strategy_share.push(shares);
        out.strategy_score.push(u);
        out.window_exit_cost.push(window_cost);
        let mean_heat = heat.iter().sum::<f64>() / ns as f64;
        let inflow = m.base_inflow
            * (1.0 + m.return_sensitivity * u[5]).clamp(0.2, MAX_FLOW_FACTOR)
            * (1.0 + m.heat_sensitivity * (mean_heat - 1.0)).clamp(0.0, MAX_FLOW_FACTOR);
        for (k, share) in shares.iter().enumerate() {
            unraised[k] += inflow * share;
            while unraised[k] >= m.fund_size {
                unraised[k] -= m.fund_size;
                commitments += m.fund_size;
                funds.push(Fund {
                    strategy: k as u8,
                    size: m.fund_size,
                    vintage: q,
                    dry: m.fund_size,
                    overshoot: 0.0,
                    paced: 0.0,
                    invested: 0.0,
                    fees: 0.0,
                    distributions: 0.0,
                    proceeds: 0.0,
                    ended: false,
                });
            }
        }
        out.live_funds
            .push(funds.iter().filter(|f| !f.ended).count() as u32);
        // 5. Fees.
        for f in funds.iter_mut().filter(|f| !f.ended) {
            // Owed on commitments; the investable money leaves the fee reserve untouched,
            // so dry powder always covers it (min only guards rounding).
            let fee = (f.size * m.fee_per_quarter).min(f.dry);
            f.dry -= fee;
            f.fees += fee;
        }
        // 6. Heat.
        if m.heat_enabled {
            for s in 0..ns {
                let shock: f64 = m
                    .shocks
                    .iter()
                    .filter(|(k, at, _, len)| *k == s && q >= *at && q < at + len)
                    .map(|x| x.2)
                    .sum();
                heat[s] = (1.0
                    + m.heat_decay * (heat[s] - 1.0)
                    + m.heat_inflow_weight * (last_share[s] * ns as f64 - 1.0)
                    + shock)
                    .max(0.0);
            }
        }
        // 7. Births.
        let n = poisson
            .as_ref()
            .map(|p| p.sample(&mut births_rng) as usize)
            .unwrap_or(0);
        startups.reserve(n);
        for _ in 0..n {
            let us: f64 = births_rng.random();
            let sector = cum_share.iter().position(|&c| us < c).unwrap_or(ns - 1);
            let sm = &m.sectors[sector];
            let (potential, ln_potential) = draw_with_log(&sm.potential, &mut births_rng);
            let (need, ln_need) = draw_with_log(&sm.need, &mut births_rng);
            let maturity = sm.maturity.quantile(births_rng.random());
            let st = Startup {
                sector: sector as u16,
                born: q,
                potential,
                need,
                ln_value: ln_potential + ln_need,
                maturity: maturity.round().max(1.0) as u32,
                funded: false,
            };
            let known = q + m.deal_window + st.maturity <= nq;
            if st.potential >= 1.0 {
                out.viable_need_by_sector[sector] += st.need;
                if known {
                    out.value_available += st.potential * st.need;
                    if st.maturity > m.long_maturity_quarters {
                        out.long_maturity_viable += 1;
                    }
                }
            }
            pool.push(startups.len());
            startups.push(st);
        }
        // 8. Prices.
        investing.clear();
        investing.extend((0..funds.len()).filter(|&i| {
            let f = &funds[i];
            !f.ended && q < f.vintage + investing_q && f.dry - fee_reserve(f, m, q) > 0.0
        }));
        // Seeking startups by sector: their count (deal flow) and the capital they need;
        // and by sector and maturity, for the order screening reads them in.
        seeking.life = m.life_quarters as u64;
        seeking.age_max = investing
            .iter()
            .map(|&i| (q - funds[i].vintage) as u64)
            .max()
            .unwrap_or(0);
        let (life, age_max) = (seeking.life, seeking.age_max);
        let nb = age_max as usize + 2;
        seeking.buckets = nb;
        let bucket =
            |s: &Startup| s.sector as usize * nb + Seeking::bucket_of(life, age_max, s.maturity);
        let mut count = vec![0usize; ns];
        let mut supply = vec![0.0; ns];
        let mut in_bucket = vec![0usize; ns * nb];
        for &i in &pool {
            let s = &startups[i];
            if !s.funded {
                supply[s.sector as usize] += s.need;
                count[s.sector as usize] += 1;
                in_bucket[bucket(s)] += 1;
            }
        }
        seeking.bucket_start.clear();
        seeking.bucket_start.push(0);
        for c in &in_bucket {
            let next = seeking.bucket_start[seeking.bucket_start.len() - 1] + c;
            seeking.bucket_start.push(next);
        }
        seeking.start.clear();
        seeking
            .start
            .extend((0..=ns).map(|s| seeking.bucket_start[s * nb]));
        let n_seeking = seeking.start[ns];
        seeking.index.resize(n_seeking, 0);
        seeking.pass.clear();
        seeking.pass.resize(n_seeking, 1.0); // without the filter, every startup passes
        seeking.ln_value.resize(n_seeking, 0.0);
        seeking.need.resize(n_seeking, 0.0);
        seeking.funded.clear();
        seeking.funded.resize(n_seeking, false);
        let mut fill: Vec<usize> = seeking.bucket_start[..ns * nb].to_vec();
        for &i in &pool {
            let s = &startups[i];
            if !s.funded {
                let j = fill[bucket(s)];
                fill[bucket(s)] += 1;
                seeking.index[j] = i as u32;
                seeking.ln_value[j] = s.ln_value;
                seeking.need[j] = s.need;
            }
        }
        let inv_heat: Vec<f64> = heat.iter().map(|h| 1.0 / h.max(0.05)).collect();
        // How much a strategy leans towards a sector: narrative funds towards heat,
        // contrarian funds away from it; the others (and everyone without heat, when there
        // is no narrative to follow or lean against) follow the deal flow.
        let tilt = |k: u8, s: usize| match k {
            NARRATIVE if m.heat_enabled => heat[s],
            CONTRARIAN if m.heat_enabled => inv_heat[s],
            _ => 1.0,
        };
        let normalise = |w: Vec<f64>| {
            let t: f64 = w.iter().sum();
            if t > 0.0 {
                w.into_iter().map(|x| x / t).collect()
            } else {
                vec![1.0 / ns as f64; ns]
            }
        };
        // Where each strategy screens deals (a sector's share of its screens, by count)
        // and where its money goes (by need).
        let screen_share: Vec<Vec<f64>> = (0..5u8)
            .map(|k| normalise((0..ns).map(|s| count[s] as f64 * tilt(k, s)).collect()))
            .collect();
        let aim: Vec<Vec<f64>> = (0..5u8)
            .map(|k| normalise((0..ns).map(|s| supply[s] * tilt(k, s)).collect()))
            .collect();
        let mut demand = vec![0.0; ns];
        for &i in &investing {
            let f = &funds[i];
            let pace = (f.size / investing_q as f64).min(f.dry - fee_reserve(f, m, q));
            for s in 0..ns {
                demand[s] += pace * aim[f.strategy as usize][s];
            }
        }
        // Per sector, this quarter: the price multiplier m, the round per unit of need
        // (m^raise_elasticity), the pre-money per unit of need and the fund's ownership
        // raise / (pre + raise) (the same for every deal of the sector), and its log.
        let multiplier: Vec<f64> = (0..ns)
            .map(|s| {
                if supply[s] > 0.0 && demand[s] > 0.0 {
                    (demand[s] / supply[s])
                        .powf(m.price_elasticity)
                        .clamp(0.05, 20.0)
                } else {
                    1.0
                }
            })
            .collect();
        let raise_per_need: Vec<f64> = multiplier
            .iter()
            .map(|mult| mult.powf(m.raise_elasticity))
            .collect();
        let pre_per_need: Vec<f64> = multiplier.iter().map(|x| m.base_pre_money * x).collect();
        let own_s: Vec<f64> = (0..ns)
            .map(|s| raise_per_need[s] / (pre_per_need[s] + raise_per_need[s]))
            .collect();
        let ln_own: Vec<f64> = own_s.iter().map(|o| o.ln()).collect();
        // 9. Funds invest.
        order.clone_from(&investing);
        order.shuffle(&mut deals_rng);
        let mut q_capital = vec![0.0; ns];
        let mut q_post = vec![0.0; ns];
        let mut q_value = vec![0.0; ns];
        let sigma = m.signal_noise;
        let half_var = 0.5 * sigma * sigma;
        // Every fund has the market's fund size, so every fund has the same power-law bar
        // (fund_returner × size) and a seeking startup the same chance to pass it this
        // quarter: computed once here, not drawn for by every fund that screens it.
        let returner = m.fund_returner * m.fund_size;
        let ln_bar = returner.ln() + half_var;
        // Without the filter every `pass` stays 1, as the layout set it.
        seeking.filter = returner > 0.0;
        if seeking.filter {
            for (sector, &ln_own_s) in ln_own.iter().enumerate() {
                for j in seeking.start[sector]..seeking.start[sector + 1] {
                    let gap = ln_bar - seeking.ln_value[j] - ln_own_s;
                    seeking.pass[j] = if sigma > 0.0 {
                        // Φ̄(gap / σ) = ½ erfc(gap / (σ√2))
                        0.5 * normal::erfc(gap / (sigma * std::f64::consts::SQRT_2))
                    } else if gap <= 0.0 {
                        1.0
                    } else {
                        0.0
                    };
                }
            }
        }
        seeking.cum_pass.clear();
        seeking.cum_pass.push(0.0);
        let mut acc = 0.0;
        for &p in &seeking.pass {
            acc += p;
            seeking.cum_pass.push(acc);
        }
        for &fi in &order {
            let f = funds[fi];
            let investable = f.dry - fee_reserve(&f, m, q);
            let mut budget = (f.size / investing_q as f64 - f.overshoot).min(investable);
            // The quarter's pace pays the overshoot down whether or not the fund finds a
            // deal (an empty pool included: every fund is treated alike).
            funds[fi].overshoot = (-budget).max(0.0);
            funds[fi].paced += f.size / investing_q as f64;
            if budget <= 0.0 || n_seeking == 0 {
                continue;
            }
            candidates.clear();
            // The screens that pass maturity and filter (drawn as their binomial count:
            // most screens fail, see `Seeking::passing_screens`).
            let age = (q - f.vintage) as u64;
            seeking.passing_screens(
                &screen_share[f.strategy as usize],
                age,
                m.deals_seen,
                &mut deals_rng,
                &mut rate,
                &mut passed,
            );
            for &(sector, j, z) in &passed {
                let ln_pvo = sigma * z + seeking.ln_value[j] + ln_own[sector];
                // Perceived value × ownership, and the perceived multiple = that / raise.
                let pvo = (ln_pvo - half_var).exp();
                if pvo < returner {
                    continue;
                }
                let need = seeking.need[j];
                let raise = need * raise_per_need[sector];
                let own = own_s[sector];
                let perceived_value = pvo / own;
                let perceived_multiple = pvo / raise;
                let (ok, score) = match f.strategy {
                    NARRATIVE => (
                        perceived_multiple >= 1.0,
                        heat[sector] * perceived_multiple.sqrt().sqrt(),
                    ),
                    FUNDAMENTALS => (perceived_multiple >= m.hurdle, perceived_multiple),
                    THRESHOLD if m.threshold_returner > 0.0 => {
                        (pvo >= m.threshold_returner * f.size, perceived_value)
                    }
                    // Without the incentive there are no fund-returners to hunt: the
                    // strategy judges deals on their expected multiple, as fundamentals do.
                    THRESHOLD => (perceived_multiple >= m.hurdle, perceived_multiple),
                    CONTRARIAN => (
                        perceived_multiple >= m.hurdle,
                        perceived_multiple / heat[sector].max(0.05),
                    ),
                    // index: a random order among the deals it keeps.
                    _ => (perceived_multiple >= 1.0, unit32(deals_rng.next_u64())),
                };
                if ok {
                    let pre = pre_per_need[sector] * need;
                    candidates.push((score, seeking.index[j] as usize, j, raise, own, pre + raise));
                }
            }
            // Best first; ties by startup (a total order, so the unstable sort is
            // deterministic).
            candidates.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for &(_, i, j, raise, own, post) in &candidates {
                if budget <= 0.0 {
                    break;
                }
                let fund = &mut funds[fi];
                if seeking.funded[j] || raise > investable - (f.dry - fund.dry) {
                    continue;
                }
                seeking.funded[j] = true;
                let s = &mut startups[i];
                s.funded = true;
                fund.dry -= raise;
                fund.invested += raise;
                budget -= raise;
                fund.overshoot = (-budget).max(0.0);
                let viable = s.potential >= 1.0;
                let value = if viable {
                    s.potential * s.need * (raise / s.need).powf(m.capital_effect)
                } else {
                    0.0
                };
                let sec = s.sector as usize;
                q_capital[sec] += raise;
                q_post[sec] += post;
                q_value[sec] += s.potential * s.need;
                entry_multiples.0 += (post - raise) / s.need;
                entry_multiples.1 += 1;
                deal_log.push((q, sec, viable, value));
                let mature = q + s.maturity;
                let known = s.born + m.deal_window + s.maturity <= nq;
                if known && viable {
                    out.value_realised += value;
                }
                if known && viable && s.maturity > m.long_maturity_quarters {
                    out.long_maturity_funded += 1;
                }
                out.holdings_value += own * value;
                if mature < nq {
                    maturing[mature as usize].push(investments.len());
                } else {
                    // Held at the horizon: residual value, not paid out.
                    out.residual_value += own * value;
                }
                investments.push(Investment {
                    fund: fi as u32,
                    strategy: f.strategy,
                    cost: raise,
                    ownership: own,
                    value,
                });
            }
        }
        for &fi in &order {
            let f = &funds[fi];
            let excess = (f.invested - f.paced - f.overshoot) / f.size;
            out.max_pace_excess = out.max_pace_excess.max(excess);
        }
        // 10. Alternative capital.
        if let Some((capital, cap)) = m.alternative {
            let mut budget = capital;
            let mut seeking: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|&i| !startups[i].funded)
                .collect();
            seeking.shuffle(&mut deals_rng);
            for i in seeking {
                if budget <= 0.0 {
                    break;
                }
                let z: f64 = deals_rng.sample(StandardNormal);
                let s = &mut startups[i];
                let read = noisy_read(s.potential, m.signal_noise, z);
                if read < 1.2 || s.need > budget {
                    continue;
                }
                s.funded = true;
                budget -= s.need;
                let viable = s.potential >= 1.0;
                let value = if viable { s.potential * s.need } else { 0.0 };
                let known = s.born + m.deal_window + s.maturity <= nq;
                if known && viable {
                    out.value_realised += value;
                    if s.maturity > m.long_maturity_quarters {
                        out.long_maturity_funded += 1;
                    }
                }
                // Revenue-based terms: repaid from the company's value up to the cap.
                out.alternative_cost += s.need;
                out.alternative_proceeds += value.min(cap * s.need);
            }
        }
        // 11. Quarter statistics, then startups that stop seeking.
        let total: f64 = q_capital.iter().sum();
        out.invested.push(total);
        if total > 0.0 {
            let shares: Vec<f64> = q_capital.iter().map(|c| c / total).collect();
            out.hhi.push(shares.iter().map(|s| s * s).sum());
            last_share.clone_from(&shares);
            out.capital_share.push(shares);
        } else {
            out.hhi.push(f64::NAN);
            out.capital_share.push(vec![f64::NAN; ns]);
        }
        for (total, c) in out.capital_by_sector.iter_mut().zip(&q_capital) {
            *total += c;
        }
        out.valuation_to_intrinsic.push(
            (0..ns)
                .map(|s| {
                    if q_value[s] > 0.0 {
                        q_post[s] / q_value[s]
                    } else {
                        f64::NAN
                    }
                })
                .collect(),
        );
        pool.retain(|&i| {
            let s = &startups[i];
            let seeking = !s.funded && q + 1 < s.born + m.deal_window;
            if !s.funded
                && !seeking
                && s.potential >= 1.0
                && s.born + m.deal_window + s.maturity <= nq
            {
                out.missing_middle_count += 1;
                out.missing_middle_value += s.potential * s.need;
            }
            seeking
        });
        // Conservation over all funds: invested + dry powder + fees + distributions
        // = commitments + proceeds.
        let lhs: f64 = funds
            .iter()
            .map(|f| f.invested + f.dry + f.fees + f.distributions)
            .sum();
        let rhs = commitments + total_proceeds;
        if rhs > 0.0 {
            out.conservation_error = out.conservation_error.max((lhs - rhs).abs() / rhs);
        }
    }
    out.proceeds = total_proceeds;
    out.min_fee_share_paid = funds
        .iter()
        .filter(|f| f.ended)
        .map(|f| f.fees / (f.size * m.fee_per_quarter * m.life_quarters as f64))
        .fold(1.0, f64::min);
    out.max_fund_usage = funds
        .iter()
        .map(|f| (f.invested + f.fees) / f.size)
        .fold(0.0, f64::max);
    out.mean_entry_multiple = entry_multiples.0 / entry_multiples.1.max(1) as f64;
    let viable_deals = deal_log.iter().filter(|d| d.2).count();
    out.vc_success_rate = viable_deals as f64 / deal_log.len().max(1) as f64;
    // Hot and cold quarters, sector by sector: a deal is hot when the VC capital its sector
    // received in its quarter is in the top quarter of that sector's quarters, cold in the
    // bottom quarter; after a warm-up of one fund life (while the first funds are raised the
    // market is not in steady state).
    let warm = warm_up_quarters(m);
    let bands: Vec<(f64, f64)> = (0..ns)
        .map(|s| {
            let v: Vec<f64> = (warm..nq as usize)
                .map(|q| out.invested[q] * out.capital_share[q][s])
                .filter(|x| !x.is_nan())
                .collect();
            (quantile(v.clone(), 0.25), quantile(v, 0.75))
        })
        .collect();
    for &(q, s, viable, value) in &deal_log {
        if (q as usize) < warm {
            continue;
        }
        let x = out.invested[q as usize] * out.capital_share[q as usize][s];
        let cohort = if x >= bands[s].1 {
            &mut out.hot
        } else if x <= bands[s].0 {
            &mut out.cold
        } else {
            continue;
        };
        cohort.funded += 1;
        if viable {
            cohort.success_value += value;
        } else {
            cohort.failed += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::fast_stream;

    /// Φ̄(t) = ½ erfc(t / √2).
    fn upper(t: f64) -> f64 {
        0.5 * normal::erfc(t / std::f64::consts::SQRT_2)
    }

    /// Two sectors of seeking startups, sorted by sector and then maturity as the quarter's
    /// layout is: (sector, maturity, filter threshold t, bought already).
    const STARTUPS: [(usize, u32, f64, bool); 7] = [
        (0, 1, 0.5, false),
        (0, 1, 1.5, false),
        (0, 2, -0.3, false),
        (0, 3, 0.0, false),
        (1, 0, 1.0, false),
        (1, 2, 2.0, true),
        (1, 2, 0.2, false),
    ];

    /// A fund life of 3 quarters and investing funds aged 0 to 2: buckets hold maturities
    /// ≤ 1, 2, 3 and ≥ 4.
    const LIFE: u64 = 3;
    const AGE_MAX: u64 = 2;

    fn layout(filter: bool) -> Seeking {
        let nb = AGE_MAX as usize + 2;
        let mut in_bucket = vec![0usize; 2 * nb];
        for &(s, mat, _, _) in &STARTUPS {
            in_bucket[s * nb + Seeking::bucket_of(LIFE, AGE_MAX, mat)] += 1;
        }
        let mut bucket_start = vec![0];
        for c in in_bucket {
            bucket_start.push(bucket_start.last().unwrap() + c);
        }
        let pass: Vec<f64> = STARTUPS
            .iter()
            .map(|&(_, _, t, _)| if filter { upper(t) } else { 1.0 })
            .collect();
        let mut cum_pass = vec![0.0];
        for p in &pass {
            cum_pass.push(cum_pass.last().unwrap() + p);
        }
        Seeking {
            start: vec![0, bucket_start[nb], bucket_start[2 * nb]],
            bucket_start,
            life: LIFE,
            age_max: AGE_MAX,
            buckets: nb,
            index: (0..7).collect(),
            ln_value: vec![0.0; 7],
            need: vec![1.0; 7],
            pass,
            cum_pass,
            filter,
            funded: STARTUPS.iter().map(|x| x.3).collect(),
        }
    }

    #[test]
    fn passing_screens_match_screen_by_screen() {
        // The documented law, screen by screen: a sector with probability share_s, a
        // startup of it uniformly; kept when it matures within d, is not bought and its
        // read passes (ε ≥ t). Expected per fund, by arithmetic: deals_seen × share_s / n_s
        // × P(ε ≥ t_j) for the startups kept (0 for the others), and E[ε | ε ≥ t] =
        // φ(t) / Φ̄(t). Both the binomial sampler and a screen-by-screen loop must give
        // them within 5 standard errors.
        // A fund of age 1: life − 1 = 2 quarters left, so it keeps maturities up to d = 2.
        let (share, age, deals) = ([0.3, 0.7], 1u64, 60u32);
        let d = (LIFE - age) as u32;
        let n_s = [4.0, 3.0];
        let funds = 40_000;
        for filter in [true, false] {
            let seeking = layout(filter);
            let mut rng = fast_stream(7, filter as u64, "test passing screens");
            let mut reference = fast_stream(8, filter as u64, "test screen by screen");
            let (mut rate, mut out) = (Vec::new(), Vec::new());
            let mut count = [[0.0f64; 7]; 2];
            let mut z_sum = [[0.0f64; 7]; 2];
            let mut z_sq = [[0.0f64; 7]; 2];
            let mut per_fund = [(0.0f64, 0.0f64); 2];
            for _ in 0..funds {
                seeking.passing_screens(&share, age, deals, &mut rng, &mut rate, &mut out);
                let mut record = |side: usize, hits: &[(usize, usize, f64)]| {
                    for &(_, j, z) in hits {
                        count[side][j] += 1.0;
                        z_sum[side][j] += z;
                        z_sq[side][j] += z * z;
                    }
                    let k = hits.len() as f64;
                    per_fund[side].0 += k;
                    per_fund[side].1 += k * k;
                };
                record(0, &out);
                let mut hits = Vec::new();
                for _ in 0..deals {
                    let s = (unit53(reference.next_u64()) >= share[0]) as usize;
                    let lo = [0, 4][s];
                    let j = lo + (unit53(reference.next_u64()) * n_s[s]) as usize;
                    let (_, mat, t, bought) = STARTUPS[j];
                    let z: f64 = reference.sample(StandardNormal);
                    if mat <= d && !bought && (!filter || z >= t) {
                        hits.push((s, j, z));
                    }
                }
                record(1, &hits);
            }
            let mut pi = 0.0;
            for (j, &(s, mat, t, bought)) in STARTUPS.iter().enumerate() {
                let p = if filter { upper(t) } else { 1.0 };
                let kept = mat <= d && !bought;
                let per_screen = if kept { share[s] / n_s[s] * p } else { 0.0 };
                pi += per_screen;
                let expected = funds as f64 * deals as f64 * per_screen;
                let phi = (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
                let z_mean = if filter { phi / p } else { 0.0 };
                for side in 0..2 {
                    let c = count[side][j];
                    // A count of rare independent hits: sd about √expected.
                    assert!(
                        (c - expected).abs() <= 5.0 * expected.sqrt().max(1.0),
                        "filter {filter}, side {side}, startup {j}: {c} hits, expected {expected}"
                    );
                    if kept {
                        let m = z_sum[side][j] / c;
                        let sd = (z_sq[side][j] / c - m * m).sqrt();
                        assert!(
                            (m - z_mean).abs() <= 5.0 * sd / c.sqrt(),
                            "filter {filter}, side {side}, startup {j}: mean read {m}, expected {z_mean}"
                        );
                    }
                }
            }
            // Hits per fund: Binomial(deals, π), mean deals π and variance deals π (1 − π).
            for (side, &(sum, sq)) in per_fund.iter().enumerate() {
                let mean = sum / funds as f64;
                let var = sq / funds as f64 - mean * mean;
                let (m0, v0) = (deals as f64 * pi, deals as f64 * pi * (1.0 - pi));
                assert!(
                    (mean - m0).abs() < 5.0 * (v0 / funds as f64).sqrt(),
                    "side {side}: mean {mean} vs {m0}"
                );
                assert!(
                    (var / v0 - 1.0).abs() < 0.05,
                    "side {side}: variance {var} vs {v0}"
                );
            }
        }
    }
}
