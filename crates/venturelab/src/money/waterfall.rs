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
/// in time order by construction (the fund simulator, once per simulated fund).
pub(crate) fn split_distributions(
    terms: &WaterfallTerms,
    committed: f64,
    calls: &[Dated],
    distributions: &[Dated],
    mut on_distribution: impl FnMut(usize, f64, f64),
) -> TierTotals {
    let WaterfallTerms {
        pref_rate: h,
        carry: k,
        catch_up: u,
        gp_commit: g,
    } = *terms;
    let growth = (1.0 + h).ln();

    let mut now = calls
        .first()
        .map(|c| c.time)
        .unwrap_or(0.0)
        .min(distributions.first().map(|d| d.time).unwrap_or(0.0));
    let committed_lp = committed * (1.0 - g);
    let mut uncalled = committed_lp; // LP commitment not yet called, at face value
    let mut unreturned = committed_lp; // LP capital (called or committed) not yet returned
                                       // Called LP capital compounded at the hurdle rate from each call, less everything LPs
                                       // have received, valued at `now`. Adding `uncalled` gives what LPs still need.
    let mut hurdle = 0.0;
    let mut profit = 0.0; // profit distributed so far (LP pref + catch-up + split, GP carry)
    let mut carry_paid = 0.0;
    let mut t = [[0.0f64; 2]; 5]; // [tier][lp, gp]
    let mut ci = 0;
    let advance = |to: f64, hurdle: &mut f64, now: &mut f64| {
        if to > *now {
            let dt = to - *now;
            // Whole years (the simulator's case) compound exactly and without an exp.
            *hurdle *= if dt == 1.0 {
                1.0 + h
            } else {
                (growth * dt).exp()
            };
            *now = to;
        }
    };
    for (di, d) in distributions.iter().enumerate() {
        // This distribution's split, accumulated tier by tier.
        let (mut to_lp, mut to_gp) = (0.0, 0.0);
        while ci < calls.len() && calls[ci].time <= d.time {
            advance(calls[ci].time, &mut hurdle, &mut now);
            let lp_call = calls[ci].amount * (1.0 - g);
            let from_commitment = lp_call.min(uncalled);
            uncalled -= from_commitment;
            unreturned += lp_call - from_commitment;
            hurdle += lp_call;
            ci += 1;
        }
        advance(d.time, &mut hurdle, &mut now);
        let gp_share = d.amount * g;
        t[0][1] += gp_share;
        to_gp += gp_share;
        let mut rest = d.amount - gp_share;

        let roc = rest.min(unreturned);
        unreturned -= roc;
        hurdle -= roc;
        rest -= roc;
        t[1][0] += roc;
        to_lp += roc;

        let pref = rest.min((hurdle + uncalled).max(0.0));
        hurdle -= pref;
        rest -= pref;
        profit += pref;
        t[2][0] += pref;
        to_lp += pref;

        if u > 0.0 && rest > 0.0 {
            let needed = ((k * profit - carry_paid) / (u - k)).max(0.0);
            let x = rest.min(needed);
            carry_paid += u * x;
            profit += x;
            hurdle -= (1.0 - u) * x;
            rest -= x;
            t[3][0] += (1.0 - u) * x;
            t[3][1] += u * x;
            to_lp += (1.0 - u) * x;
            to_gp += u * x;
        }

        if rest > 0.0 {
            carry_paid += k * rest;
            profit += rest;
            hurdle -= (1.0 - k) * rest;
            t[4][0] += (1.0 - k) * rest;
            t[4][1] += k * rest;
            to_lp += (1.0 - k) * rest;
            to_gp += k * rest;
        }
        on_distribution(di, to_lp, to_gp);
    }
    TierTotals {
        tiers: t,
        gp_carry: carry_paid,
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
