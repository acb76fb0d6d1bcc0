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
                Err(Error::param(
                    name,
                    format!("expected a rate between 0 and 1, got {v}"),
                ))
            }
        };
        unit("carry", self.carry)?;
        unit("catch_up", self.catch_up)?;
        unit("gp_commit", self.gp_commit)?;
        if self.gp_commit >= 1.0 {
            return Err(Error::param(
                "gp_commit",
                "the GP commitment must be below 100% of the fund",
            ));
        }
        if !self.pref_rate.is_finite() || self.pref_rate < 0.0 {
            return Err(Error::param(
                "pref_rate",
                format!(
                    "expected a non-negative hurdle rate, got {}",
                    self.pref_rate
                ),
            ));
        }
        if self.catch_up > 0.0 && self.catch_up <= self.carry && self.carry > 0.0 {
            return Err(Error::param("catch_up",
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
        return Err(Error::param(
            "committed",
            format!("expected a non-negative amount, got {committed}"),
        ));
    }
    for (name, list) in [("calls", calls), ("distributions", distributions)] {
        for (i, d) in list.iter().enumerate() {
            if !d.amount.is_finite() || d.amount < 0.0 || !d.time.is_finite() {
                return Err(Error::param(
                    format!("{name}[{}]", i + 1),
                    format!(
                        "expected a non-negative amount at a finite time, got {} at {}",
                        d.amount, d.time
                    ),
                ));
            }
            if i > 0 && d.time < list[i - 1].time {
                return Err(Error::param(
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
/// (calls before distributions at the same time), for `L` funds side by side: the one
/// kernel behind [`split_distributions`] (one lane) and the fund simulator's block path
/// (a block of funds, whose yearly events it takes without building lists). Unchecked:
/// terms validated, amounts finite and non-negative.
///
/// Each tier is computed without branching on the amounts, so that the loops over lanes
/// vectorize: a tier a distribution does not reach moves an amount of +0, which leaves
/// every running sum bit for bit as the branching rule would (they are all +0 or more,
/// except `hurdle`, which +0 leaves unchanged whatever its sign).
#[derive(Debug, Clone)]
pub(crate) struct Tiers<const L: usize = 1> {
    h: f64,
    k: f64,
    u: f64,
    g: f64,
    now: [f64; L],
    uncalled: [f64; L],
    unreturned: [f64; L],
    /// Called LP capital compounded at the hurdle rate from each call, less everything LPs
    /// have received, valued at `now`. Adding `uncalled` gives what LPs still need.
    hurdle: [f64; L],
    /// Profit distributed so far (LP pref + catch-up + split, GP carry).
    profit: [f64; L],
    carry_paid: [f64; L],
    /// Money per [tier][lp, gp].
    t: [[[f64; L]; 2]; 5],
}

impl<const L: usize> Tiers<L> {
    /// Funds with `committed` capital (LP and GP) each, whose first events are at `start`.
    #[inline(always)]
    pub(crate) fn lanes(terms: &WaterfallTerms, committed: f64, start: [f64; L]) -> Self {
        let committed_lp = committed * (1.0 - terms.gp_commit);
        Tiers {
            h: terms.pref_rate,
            k: terms.carry,
            u: terms.catch_up,
            g: terms.gp_commit,
            now: start,
            uncalled: [committed_lp; L],
            unreturned: [committed_lp; L],
            hurdle: [0.0; L],
            profit: [0.0; L],
            carry_paid: [0.0; L],
            t: [[[0.0; L]; 2]; 5],
        }
    }

    /// Compounds the hurdle of the lanes in `on` to `to`.
    #[inline(always)]
    fn advance(&mut self, to: f64, on: [bool; L]) {
        let mut dt = [0.0f64; L];
        let mut uneven = false;
        for l in 0..L {
            let step = on[l] && to > self.now[l];
            dt[l] = if step { to - self.now[l] } else { 0.0 };
            uneven |= step && dt[l] != 1.0;
            // Whole years (the simulator's case) compound exactly and without an exp.
            self.hurdle[l] = if dt[l] == 1.0 {
                self.hurdle[l] * (1.0 + self.h)
            } else {
                self.hurdle[l]
            };
            self.now[l] = if step { to } else { self.now[l] };
        }
        if uneven {
            let growth = (1.0 + self.h).ln();
            for (hurdle, &dt) in self.hurdle.iter_mut().zip(&dt) {
                if dt != 0.0 && dt != 1.0 {
                    *hurdle *= (growth * dt).exp();
                }
            }
        }
    }

    /// A capital call of `amount` (LP and GP) at `time`, in every lane.
    #[inline(always)]
    pub(crate) fn call_all(&mut self, time: f64, amount: f64) {
        self.advance(time, [true; L]);
        let lp_call = amount * (1.0 - self.g);
        for l in 0..L {
            let from_commitment = lp_call.min(self.uncalled[l]);
            self.uncalled[l] -= from_commitment;
            self.unreturned[l] += lp_call - from_commitment;
            self.hurdle[l] += lp_call;
        }
    }

    /// A distribution of `amount[l]` at `time` in each lane where `on[l]` (the others are
    /// left exactly as they were): returns each lane's (LP, GP) split.
    #[inline(always)]
    pub(crate) fn distribute_lanes(
        &mut self,
        time: f64,
        amount: [f64; L],
        on: [bool; L],
    ) -> ([f64; L], [f64; L]) {
        let (k, u, g) = (self.k, self.u, self.g);
        self.advance(time, on);
        let (mut to_lp, mut to_gp) = ([0.0f64; L], [0.0f64; L]);
        let mut rest = [0.0f64; L];
        for l in 0..L {
            let amount = if on[l] { amount[l] } else { 0.0 };
            let gp_share = amount * g;
            self.t[0][1][l] += gp_share;
            to_gp[l] += gp_share;
            rest[l] = amount - gp_share;

            let roc = rest[l].min(self.unreturned[l]);
            self.unreturned[l] -= roc;
            self.hurdle[l] -= roc;
            rest[l] -= roc;
            self.t[1][0][l] += roc;
            to_lp[l] += roc;

            let pref = rest[l].min((self.hurdle[l] + self.uncalled[l]).max(0.0));
            self.hurdle[l] -= pref;
            rest[l] -= pref;
            self.profit[l] += pref;
            self.t[2][0][l] += pref;
            to_lp[l] += pref;
        }
        if u > 0.0 {
            for l in 0..L {
                let needed = ((k * self.profit[l] - self.carry_paid[l]) / (u - k)).max(0.0);
                let x = if rest[l] > 0.0 {
                    rest[l].min(needed)
                } else {
                    0.0
                };
                self.carry_paid[l] += u * x;
                self.profit[l] += x;
                self.hurdle[l] -= (1.0 - u) * x;
                rest[l] -= x;
                self.t[3][0][l] += (1.0 - u) * x;
                self.t[3][1][l] += u * x;
                to_lp[l] += (1.0 - u) * x;
                to_gp[l] += u * x;
            }
        }
        for l in 0..L {
            let rest = rest[l];
            self.carry_paid[l] += k * rest;
            self.profit[l] += rest;
            self.hurdle[l] -= (1.0 - k) * rest;
            self.t[4][0][l] += (1.0 - k) * rest;
            self.t[4][1][l] += k * rest;
            to_lp[l] += (1.0 - k) * rest;
            to_gp[l] += k * rest;
        }
        (to_lp, to_gp)
    }

    /// Each lane's carried interest so far.
    #[inline(always)]
    pub(crate) fn carry_paid_lanes(&self) -> [f64; L] {
        self.carry_paid
    }
}

impl Tiers<1> {
    /// A fund with `committed` capital (LP and GP) whose first event is at `start`.
    #[inline]
    pub(crate) fn new(terms: &WaterfallTerms, committed: f64, start: f64) -> Tiers {
        Tiers::lanes(terms, committed, [start])
    }

    /// A capital call of `amount` (LP and GP) at `time`.
    #[inline]
    pub(crate) fn call(&mut self, time: f64, amount: f64) {
        self.call_all(time, amount);
    }

    /// A distribution of `amount` at `time`: returns its (LP, GP) split.
    #[inline]
    pub(crate) fn distribute(&mut self, time: f64, amount: f64) -> (f64, f64) {
        let ([lp], [gp]) = self.distribute_lanes(time, [amount], [true]);
        (lp, gp)
    }

    /// Money per tier so far and the carried interest.
    pub(crate) fn totals(&self) -> TierTotals {
        TierTotals {
            tiers: self.t.map(|tier| tier.map(|[v]| v)),
            gp_carry: self.carry_paid[0],
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
            return Err(Error::param(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_match_one_fund_at_a_time_bit_for_bit() {
        // Eight funds side by side against each fund alone (one lane, as
        // `split_distributions` runs it; its values are checked against published
        // examples in tests/money_reference.rs): calls in every lane, distributions in
        // some lanes only (the others must be left exactly as they were), at whole and at
        // uneven times (which compound by exp), with and without catch-up and GP
        // commitment. Every split and the carry must agree to the bit.
        let mut unit = crate::rng::test_uniforms(11);
        for case in 0..400 {
            let terms = WaterfallTerms {
                pref_rate: [0.08, 0.0, 0.12][case % 3],
                carry: [0.2, 0.3][case % 2],
                catch_up: [1.0, 0.0, 0.8, 0.3][case % 4],
                gp_commit: [0.0, 0.02][(case / 4) % 2],
            };
            let starts: [f64; 8] = std::array::from_fn(|_| (unit() * 2.0).floor());
            let mut lanes = Tiers::<8>::lanes(&terms, 100.0, starts);
            let mut alone: Vec<Tiers> = starts
                .iter()
                .map(|&s| Tiers::new(&terms, 100.0, s))
                .collect();
            let mut time = 0.0;
            for _ in 0..12 {
                time += if unit() < 0.8 { 1.0 } else { 0.5 + unit() };
                if unit() < 0.6 {
                    let amount = 40.0 * unit();
                    lanes.call_all(time, amount);
                    alone.iter_mut().for_each(|w| w.call(time, amount));
                }
                let amount: [f64; 8] = std::array::from_fn(|_| 80.0 * unit() * unit());
                let on: [bool; 8] = std::array::from_fn(|_| unit() < 0.5);
                let (lp, gp) = lanes.distribute_lanes(time, amount, on);
                for (l, w) in alone.iter_mut().enumerate() {
                    let (want_lp, want_gp) = if on[l] {
                        w.distribute(time, amount[l])
                    } else {
                        (0.0, 0.0)
                    };
                    assert_eq!(lp[l].to_bits(), want_lp.to_bits(), "case {case} lane {l}");
                    assert_eq!(gp[l].to_bits(), want_gp.to_bits(), "case {case} lane {l}");
                }
            }
            for (l, w) in alone.iter().enumerate() {
                assert_eq!(
                    lanes.carry_paid_lanes()[l].to_bits(),
                    w.totals().gp_carry.to_bits()
                );
            }
        }
    }
}
