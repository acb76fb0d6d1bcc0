//! Public market equivalents: how a fund did against the same money in a public index.
//!
//! With contributions `C_t ≥ 0`, distributions `D_t ≥ 0`, index level `I_t`, the last row's
//! time `T` and the fund's residual value `NAV` at T, every flow is carried to T with the
//! index factor `F_t = I_T / I_t`:
//!
//! - Kaplan-Schoar PME (Kaplan & Schoar 2005): `(Σ D_t F_t + NAV) / Σ C_t F_t`; above 1
//!   means the fund beat the index.
//! - Long-Nickels PME (Long & Nickels 1996, "ICM"): buy the index with each contribution,
//!   sell the same amount at each distribution; the index position ends at
//!   `NAV_LN = Σ (C_t - D_t) F_t`. `ln_pme_irr` is the IRR of the fund flows with `NAV_LN`
//!   in place of the fund's NAV. It may not exist when `NAV_LN` is very negative.
//! - PME+ (Rouvinez 2003): distributions scaled by `λ = (Σ C_t F_t - NAV) / Σ D_t F_t` so the
//!   index position ends exactly at the fund's NAV; `pme_plus_irr` is the IRR of
//!   `(-C_t, λ D_t, NAV)`.
//! - Direct alpha (Gredil, Griffiths & Stucke 2014): the IRR of the index-compounded flows
//!   `(-C_t F_t, D_t F_t, NAV)`, reported as a discrete rate `a` (per year for dated flows,
//!   per period otherwise) and as the continuous rate `ln(1 + a)` of the paper.
//!
//! - Modified PME (Cambridge Associates 2013, "mPME"): like LN-PME, but each distribution
//!   sells the same *share* of the index position as the distribution is of the fund
//!   (`w_t = D_t / (D_t + NAV_t)`, with `NAV_t` the fund's reported value after the
//!   distribution), so the index position can never go negative. The index position `P`
//!   grows with the index, rises by each contribution, and pays out `w_t P` at each
//!   distribution; `mpme_irr` is the IRR of `(-C_t, w_t P_t, P_T)`. It needs the fund's NAV
//!   on every row with a distribution (a `nav` column); `None` without one.
//!
//! Rates are annual (Actual/365, as XIRR) for dated flows and per period for `period` rows.

use serde::Serialize;

use super::flows::FlowTable;
use super::metrics::with_terminal_value;
use crate::error::{Error, Result};

/// All public-market-equivalent measures of one fund.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pme {
    /// The fund's own IRR (flows plus NAV).
    pub irr: Option<f64>,
    /// IRR of the index itself over the same span (I_T / I_0 annualised).
    pub index_irr: Option<f64>,
    pub ks_pme: f64,
    pub ln_pme_nav: f64,
    pub ln_pme_irr: Option<f64>,
    pub pme_plus_lambda: Option<f64>,
    pub pme_plus_irr: Option<f64>,
    pub direct_alpha: Option<f64>,
    pub direct_alpha_continuous: Option<f64>,
    /// The modified PME's index position at the last row (`None` without a `nav` column).
    pub mpme_nav: Option<f64>,
    /// The modified PME's IRR (`None` without a `nav` column or without a root).
    pub mpme_irr: Option<f64>,
    /// "annual, Actual/365 (as Excel XIRR)" or "per period".
    pub rate_basis: &'static str,
}

/// Computes every PME of a flow table that has an `index` column, with residual `nav`.
pub fn pme(flows: &FlowTable, nav: f64) -> Result<Pme> {
    let index = flows.index.as_ref().ok_or_else(|| {
        Error::input(
            "index",
            "PME needs an `index` column with the public index level on each row",
        )
    })?;
    if !nav.is_finite() || nav < 0.0 {
        return Err(Error::param(
            "nav",
            format!("expected a non-negative residual value, got {nav}"),
        ));
    }
    let last = *index.last().expect("non-empty table");
    let factor: Vec<f64> = index.iter().map(|&i| last / i).collect();
    let (ticks, unit) = flows.ticks();
    let mut fv_contrib = 0.0;
    let mut fv_dist = 0.0;
    for (&a, &f) in flows.amounts.iter().zip(&factor) {
        if a < 0.0 {
            fv_contrib += -a * f;
        } else {
            fv_dist += a * f;
        }
    }
    if fv_contrib <= 0.0 {
        return Err(Error::input(
            "amount",
            "PME needs at least one contribution (a negative amount)",
        ));
    }
    let ks_pme = (fv_dist + nav) / fv_contrib;
    if !(fv_contrib.is_finite() && fv_dist.is_finite() && ks_pme.is_finite()) {
        return Err(Error::input(
            "index",
            format!(
                "the flows carried to the last row by the index are not finite numbers \
                 (contributions {fv_contrib:e}, distributions {fv_dist:e}): the index moves too far \
                 or the amounts are too large for 64-bit floats"
            ),
        ));
    }
    let irr_of = |values: &[f64]| flows.rate_of(values).ok();

    let fund = with_terminal_value(flows, nav);
    let ln_pme_nav = fv_contrib - fv_dist;
    let ln_flows = with_terminal_value(flows, ln_pme_nav);

    let pme_plus_lambda = (fv_dist > 0.0).then(|| (fv_contrib - nav) / fv_dist);
    let pme_plus_irr = pme_plus_lambda.and_then(|lambda| {
        let mut v: Vec<f64> = flows
            .amounts
            .iter()
            .map(|&a| if a > 0.0 { a * lambda } else { a })
            .collect();
        *v.last_mut().expect("non-empty") += nav;
        irr_of(&v)
    });

    let mut compounded: Vec<f64> = flows
        .amounts
        .iter()
        .zip(&factor)
        .map(|(&a, &f)| a * f)
        .collect();
    *compounded.last_mut().expect("non-empty") += nav;
    let direct_alpha = irr_of(&compounded);

    let span = *ticks.last().expect("non-empty") as f64 / unit;
    let index_irr = (span > 0.0).then(|| (last / index[0]).powf(1.0 / span) - 1.0);

    let mpme = match &flows.nav {
        Some(navs) => Some(modified_pme(&flows.amounts, index, navs, nav)?),
        None => None,
    };

    Ok(Pme {
        irr: irr_of(&fund),
        index_irr,
        ks_pme,
        ln_pme_nav,
        ln_pme_irr: irr_of(&ln_flows),
        pme_plus_lambda,
        pme_plus_irr,
        direct_alpha,
        direct_alpha_continuous: direct_alpha.map(|a| a.ln_1p()),
        mpme_nav: mpme.as_ref().map(|m| m.1),
        mpme_irr: mpme.and_then(|m| irr_of(&m.0)),
        rate_basis: flows.rate_basis(),
    })
}

/// The modified PME's flows (contributions as given, each distribution replaced by the
/// share of the index position it sells, the final position added to the last row) and
/// that final position. `navs`: the fund's value after each row; its last entry must be
/// the residual `nav` the caller gave.
fn modified_pme(amounts: &[f64], index: &[f64], navs: &[f64], nav: f64) -> Result<(Vec<f64>, f64)> {
    let last = *navs.last().expect("non-empty table");
    if (last - nav).abs() > 1e-9 * nav.abs().max(1.0) {
        return Err(Error::param(
            "nav",
            format!(
                "the residual value ({nav}) differs from the last row's `nav` column ({last}); \
                 give the same value (the fund's NAV at the last row) or drop the column"
            ),
        ));
    }
    let mut position = 0.0;
    let mut flows = Vec::with_capacity(amounts.len());
    for (i, &a) in amounts.iter().enumerate() {
        if i > 0 {
            position *= index[i] / index[i - 1];
        }
        if a < 0.0 {
            position -= a;
            flows.push(a);
        } else if a > 0.0 {
            // The share of the fund this distribution is: D / (D + NAV after it).
            let w = a / (a + navs[i]);
            let paid = w * position;
            position -= paid;
            flows.push(paid);
        } else {
            flows.push(0.0);
        }
    }
    *flows.last_mut().expect("non-empty") += position;
    if !position.is_finite() {
        return Err(Error::input(
            "index",
            "the modified PME's index position is not a finite number: the index moves too far",
        ));
    }
    Ok((flows, position))
}
