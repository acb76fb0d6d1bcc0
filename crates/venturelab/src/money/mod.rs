//! Cash-flow math and fund metrics.
//!
//! Sign convention everywhere: money paid out by the holder (an investment, an LP's capital
//! contribution) is negative, money received is positive. Rates are fractions per period
//! (`0.08` is 8%). Conventions and sources of every formula: `docs/models/money.md`.
//!
//! - [`periodic`]: NPV (numpy-financial and Excel), IRR with all roots, MIRR.
//! - [`tvm`]: the time value of money functions pmt, nper, rate, pv, fv, the interest
//!   and principal parts (ipmt, ppmt, cumipmt, cumprinc) and the amortisation schedule.
//! - [`dated`]: XNPV and XIRR on Actual/365 year fractions, as Excel, or on another
//!   [`day_count::DayCount`].
//! - [`day_count`]: ACT/365F, ACT/360, ACT/ACT ISDA, 30/360 US and 30E/360.
//! - [`flows`]: parsing fund cash-flow CSV files.
//! - [`metrics`]: TVPI, DPI, RVPI and the fund's IRR.
//! - [`pme`]: public market equivalents (Kaplan-Schoar, Long-Nickels, PME+, direct alpha).
//! - [`waterfall`]: the European (whole-fund) distribution waterfall.

pub mod dated;
pub mod day_count;
pub mod flows;
pub(crate) mod irr_lanes;
pub mod metrics;
pub mod periodic;
pub mod pme;
pub(crate) mod roots;
pub mod tvm;
pub mod waterfall;

pub use dated::{xirr, xirr_on, xirr_roots, xirr_roots_on, xnpv, xnpv_on, year_fraction};
pub use day_count::DayCount;
pub use periodic::{irr, irr_nearest, irr_roots, irr_ticks, mirr, npv, npv_excel};
pub use tvm::{
    amortization, cumipmt, cumprinc, fv, ipmt, nper, pmt, ppmt, pv, rate, Instalment, When,
};

use crate::error::{Error, Result};

/// Checks that a rate is a finite number above -100%.
pub(crate) fn check_rate(field: &str, rate: f64) -> Result<()> {
    if !rate.is_finite() {
        return Err(Error::param(
            field,
            format!("expected a finite rate, got {rate}"),
        ));
    }
    if rate <= -1.0 {
        return Err(Error::param(field,
            format!("a rate must be above -100% (got {rate}); at -100% or below discounting is undefined"),
        ));
    }
    Ok(())
}

/// Checks that every value of a series is finite and that there is at least one.
pub(crate) fn check_values(field: &str, values: &[f64]) -> Result<()> {
    if values.is_empty() {
        return Err(Error::param(
            field,
            "expected at least one cash flow, got none",
        ));
    }
    if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::param(
            field,
            format!(
                "value {} is {v}; every cash flow must be a finite number",
                i + 1
            ),
        ));
    }
    Ok(())
}

/// Checks that a series has both a negative and a positive value, which an IRR needs.
pub(crate) fn check_sign_change(field: &str, values: &[f64]) -> Result<()> {
    let neg = values.iter().any(|&v| v < 0.0);
    let pos = values.iter().any(|&v| v > 0.0);
    if !(neg && pos) {
        return Err(Error::NoSolution(format!(
            "{field}: no rate of return exists: the cash flows need at least one negative and one positive value \
             (got {} negative, {} positive)",
            values.iter().filter(|&&v| v < 0.0).count(),
            values.iter().filter(|&&v| v > 0.0).count()
        )));
    }
    Ok(())
}
