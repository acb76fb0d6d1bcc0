//! The European (whole-fund) distribution waterfall.
//!
//! Each distribution of proceeds goes, in order:
//! 1. **Return of capital**: to LPs until all contributed capital is returned.
//! 2. **Preferred return**: to LPs until they have earned the hurdle rate `h` compounded
//!    annually on each contribution from its call date (equivalently, until the LPs' IRR
//!    reaches `h`).
//! 3. **GP catch-up**: a share `u` of each dollar to the GP (the rest to LPs) until the GP
//!    holds the carry rate `k` of all profit distributed so far. With `u = 1` (100%) the GP
//!    takes everything in this tier; `u = 0` means no catch-up (a hard hurdle).
//! 4. **Carried interest split**: `k` to the GP, `1 - k` to LPs.
//!
//! A GP commitment (a fraction `g` of all capital) invests alongside LPs and takes its
//! pro-rata share of every distribution directly, paying no carry; only the LPs' share runs
//! through the tiers. Times are in years; amounts in money.

use serde::Serialize;

use crate::error::{Error, Result};

/// The economic terms of a waterfall. Rates are fractions (0.2 = 20%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WaterfallTerms {
    /// Hurdle (preferred return) per year, compounded annually.
    pub pref_rate: f64,
    /// Carried interest: the GP's share of profit.
    pub carry: f64,
    /// Share of each dollar going to the GP during the catch-up (1.0 = full catch-up,
    /// 0.0 = none).
    pub catch_up: f64,
    /// Fraction of all capital committed by the GP, which pays no carry.
    pub gp_commit: f64,
}

impl WaterfallTerms {
    /// Checks every term, naming the offending one.
    pub fn validate(&self) -> Result<()> {
        let unit = |name: &str, v: f64| {
            if v.is_finite() && (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(Error::invalid(
                    name,
                    format!("expected a rate between 0 and 1, got {v}"),
                ))
            }
        };
        unit("carry", self.carry)?;
        unit("catch_up", self.catch_up)?;
        unit("gp_commit", self.gp_commit)?;
        if self.gp_commit >= 1.0 {
            return Err(Error::invalid(
                "gp_commit",
                "the GP commitment must be below 100% of the fund",
            ));
        }
        if !self.pref_rate.is_finite() || self.pref_rate < 0.0 {
            return Err(Error::invalid(
                "pref_rate",
                format!(
                    "expected a non-negative hurdle rate, got {}",
                    self.pref_rate
                ),
            ));
        }
        if self.catch_up > 0.0 && self.catch_up <= self.carry && self.carry > 0.0 {
            return Err(Error::invalid(
                "catch_up",
                format!(
                    "a catch-up rate of {} never lets the GP reach a carry of {}; use a rate above the carry, or 0 for no catch-up",
                    self.catch_up, self.carry
                ),
            ));
        }
        Ok(())
    }
}

/// Money paid to each side in one tier, summed over all distributions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tier {
    pub tier: &'static str,
    pub lp: f64,
    pub gp: f64,
}

/// The outcome of a waterfall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterfallResult {
    /// Total to LPs.
    pub lp: f64,
    /// Total to the GP: carried interest plus the GP commitment's own share.
    pub gp: f64,
    /// The GP's carried interest alone (catch-up plus split).
    pub gp_carry: f64,
    /// Tiers in order: `gp_commit`, `return_of_capital`, `preferred_return`, `catch_up`,
    /// `carried_interest_split`. The `lp` and `gp` of all tiers add up to the proceeds.
    pub tiers: Vec<Tier>,
}

/// A dated amount: `time` in years from any fixed origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dated {
    pub time: f64,
    pub amount: f64,
}

/// Runs the European waterfall over capital calls and distributions of proceeds (both
/// positive amounts, in time order within each list). Calls at the same time as a
/// distribution are counted first. Capital is returned as it is contributed; see
/// [`european_waterfall_committed`] to return whole commitments first.
pub fn european_waterfall(
    terms: &WaterfallTerms,
    calls: &[Dated],
    distributions: &[Dated],
) -> Result<WaterfallResult> {
    european_waterfall_committed(terms, 0.0, calls, distributions)
}

/// Money per tier, `[tier][0 = LP, 1 = GP]` in the order of [`WaterfallResult::tiers`],
/// and the GP's carried interest: the allocation-free result of
/// [`european_waterfall_into`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierTotals {
    pub tiers: [[f64; 2]; 5],
    pub gp_carry: f64,
}

/// The European waterfall where LPs first get back their whole `committed` capital,
/// including commitments not yet called at the time of a distribution (management fees
/// called in later years, say), before any preferred return or carry: the whole-fund
/// outcome that a clawback enforces at the end of a fund. The hurdle compounds only on
/// capital actually called, from each call date; uncalled commitments count at face
/// value. Calls beyond `committed` add to the capital to return. `committed = 0` is the
/// plain pay-as-contributed waterfall.
pub fn european_waterfall_committed(
    terms: &WaterfallTerms,
    committed: f64,
    calls: &[Dated],
    distributions: &[Dated],
) -> Result<WaterfallResult> {
    let totals =
        european_waterfall_into(terms, committed, calls, distributions, &mut |_, _, _| {})?;
    let names = [
        "gp_commit",
        "return_of_capital",
        "preferred_return",
        "catch_up",
        "carried_interest_split",
    ];
    let tiers: Vec<Tier> = names
        .iter()
        .zip(totals.tiers)
        .map(|(&tier, [lp, gp])| Tier { tier, lp, gp })
        .collect();
    let lp = tiers.iter().map(|x| x.lp).sum();
    let gp = tiers.iter().map(|x| x.gp).sum();
    Ok(WaterfallResult {
        lp,
        gp,
        gp_carry: totals.gp_carry,
        tiers,
    })
}

/// [`european_waterfall_committed`] without allocating, for simulators: calls
/// `on_distribution(i, lp, gp)` with the split of each distribution `i` in order, and
/// returns the totals per tier.
pub fn european_waterfall_into(
    terms: &WaterfallTerms,
    committed: f64,
    calls: &[Dated],
    distributions: &[Dated],
    on_distribution: &mut dyn FnMut(usize, f64, f64),
) -> Result<TierTotals> {
    terms.validate()?;
    if !committed.is_finite() || committed < 0.0 {
        return Err(Error::invalid(
            "committed",
            format!("expected a non-negative amount, got {committed}"),
        ));
    }
    for (name, list) in [("calls", calls), ("distributions", distributions)] {
        for (i, d) in list.iter().enumerate() {
            if !d.amount.is_finite() || d.amount < 0.0 || !d.time.is_finite() {
                return Err(Error::invalid(
                    format!("{name}[{}]", i + 1),
                    format!(
                        "expected a non-negative amount at a finite time, got {} at {}",
                        d.amount, d.time
                    ),
                ));
            }
            if i > 0 && d.time < list[i - 1].time {
                return Err(Error::invalid(
                    format!("{name}[{}]", i + 1),
                    "must be in time order",
                ));
            }
        }
    }
    Ok(split_distributions(
        terms,
        committed,
        calls,
        distributions,
        on_distribution,
    ))
}

/// The waterfall kernel behind [`european_waterfall_into`], without its input checks: for
/// callers whose terms are already validated and whose flows are finite, non-negative and
/// in time order by construction.
pub(crate) fn split_distributions(
    terms: &WaterfallTerms,
    committed: f64,
    calls: &[Dated],
    distributions: &[Dated],
    mut on_distribution: impl FnMut(usize, f64, f64),
) -> TierTotals {
    let start = calls
        .first()
        .map(|c| c.time)
        .unwrap_or(0.0)
        .min(distributions.first().map(|d| d.time).unwrap_or(0.0));
    let mut w = Tiers::new(terms, committed, start);
    let mut ci = 0;
    for (di, d) in distributions.iter().enumerate() {
        while ci < calls.len() && calls[ci].time <= d.time {
            w.call(calls[ci].time, calls[ci].amount);
            ci += 1;
        }
        let (to_lp, to_gp) = w.distribute(d.time, d.amount);
        on_distribution(di, to_lp, to_gp);
    }
    w.totals()
}

/// The running state of the European waterfall, fed one event at a time in time order
/// (calls before distributions at the same time): the kernel shared by
/// [`split_distributions`] and the fund simulator's block path, which feeds each fund's
/// yearly events without building lists. Unchecked: terms validated, amounts finite and
/// non-negative.
#[derive(Debug, Clone)]
pub(crate) struct Tiers {
    h: f64,
    k: f64,
    u: f64,
    g: f64,
    growth: f64,
    now: f64,
    uncalled: f64,
    unreturned: f64,
    /// Called LP capital compounded at the hurdle rate from each call, less everything LPs
    /// have received, valued at `now`. Adding `uncalled` gives what LPs still need.
    hurdle: f64,
    /// Profit distributed so far (LP pref + catch-up + split, GP carry).
    profit: f64,
    carry_paid: f64,
    /// Money per [tier][lp, gp].
    t: [[f64; 2]; 5],
}

impl Tiers {
    /// A fund with `committed` capital (LP and GP) whose first event is at `start`.
    #[inline]
    pub(crate) fn new(terms: &WaterfallTerms, committed: f64, start: f64) -> Tiers {
        let committed_lp = committed * (1.0 - terms.gp_commit);
        Tiers {
            h: terms.pref_rate,
            k: terms.carry,
            u: terms.catch_up,
            g: terms.gp_commit,
            growth: (1.0 + terms.pref_rate).ln(),
            now: start,
            uncalled: committed_lp,
            unreturned: committed_lp,
            hurdle: 0.0,
            profit: 0.0,
            carry_paid: 0.0,
            t: [[0.0; 2]; 5],
        }
    }

    #[inline]
    fn advance(&mut self, to: f64) {
        if to > self.now {
            let dt = to - self.now;
            // Whole years (the simulator's case) compound exactly and without an exp.
            self.hurdle *= if dt == 1.0 {
                1.0 + self.h
            } else {
                (self.growth * dt).exp()
            };
            self.now = to;
        }
    }

    /// A capital call of `amount` (LP and GP) at `time`.
    #[inline]
    pub(crate) fn call(&mut self, time: f64, amount: f64) {
        self.advance(time);
        let lp_call = amount * (1.0 - self.g);
        let from_commitment = lp_call.min(self.uncalled);
        self.uncalled -= from_commitment;
        self.unreturned += lp_call - from_commitment;
        self.hurdle += lp_call;
    }

    /// A distribution of `amount` at `time`: returns its (LP, GP) split.
    #[inline]
    pub(crate) fn distribute(&mut self, time: f64, amount: f64) -> (f64, f64) {
        let (k, u, g) = (self.k, self.u, self.g);
        self.advance(time);
        let (mut to_lp, mut to_gp) = (0.0, 0.0);
        let gp_share = amount * g;
        self.t[0][1] += gp_share;
        to_gp += gp_share;
        let mut rest = amount - gp_share;

        let roc = rest.min(self.unreturned);
        self.unreturned -= roc;
        self.hurdle -= roc;
        rest -= roc;
        self.t[1][0] += roc;
        to_lp += roc;

        let pref = rest.min((self.hurdle + self.uncalled).max(0.0));
        self.hurdle -= pref;
        rest -= pref;
        self.profit += pref;
        self.t[2][0] += pref;
        to_lp += pref;

        if u > 0.0 && rest > 0.0 {
            let needed = ((k * self.profit - self.carry_paid) / (u - k)).max(0.0);
            let x = rest.min(needed);
            self.carry_paid += u * x;
            self.profit += x;
            self.hurdle -= (1.0 - u) * x;
            rest -= x;
            self.t[3][0] += (1.0 - u) * x;
            self.t[3][1] += u * x;
            to_lp += (1.0 - u) * x;
            to_gp += u * x;
        }

        if rest > 0.0 {
            self.carry_paid += k * rest;
            self.profit += rest;
            self.hurdle -= (1.0 - k) * rest;
            self.t[4][0] += (1.0 - k) * rest;
            self.t[4][1] += k * rest;
            to_lp += (1.0 - k) * rest;
            to_gp += k * rest;
        }
        (to_lp, to_gp)
    }

    /// The GP's carried interest so far.
    #[inline]
    pub(crate) fn carry_paid(&self) -> f64 {
        self.carry_paid
    }

    /// Money per tier so far and the carried interest.
    pub(crate) fn totals(&self) -> TierTotals {
        TierTotals {
            tiers: self.t,
            gp_carry: self.carry_paid,
        }
    }
}

/// The waterfall of one call of `contributed` at time 0 and one distribution of `proceeds`
/// after `years`: the preferred return is `contributed · ((1+h)^years - 1)`.
pub fn european_waterfall_simple(
    contributed: f64,
    proceeds: f64,
    years: f64,
    terms: &WaterfallTerms,
) -> Result<WaterfallResult> {
    for (name, v) in [
        ("contributed", contributed),
        ("proceeds", proceeds),
        ("years", years),
    ] {
        if !v.is_finite() || v < 0.0 {
            return Err(Error::invalid(
                name,
                format!("expected a non-negative number, got {v}"),
            ));
        }
    }
    european_waterfall(
        terms,
        &[Dated {
            time: 0.0,
            amount: contributed,
        }],
        &[Dated {
            time: years,
            amount: proceeds,
        }],
    )
}
