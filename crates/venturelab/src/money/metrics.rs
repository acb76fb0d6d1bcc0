//! Fund multiples and IRR from an LP's cash flows.

use serde::Serialize;

use super::flows::FlowTable;
use crate::error::{Error, Result};

/// The standard fund metrics (ILPA definitions):
/// paid-in = Σ contributions, DPI = distributions / paid-in, RVPI = NAV / paid-in,
/// TVPI = DPI + RVPI.
///
/// Paid-in is the total of every contribution and distributed the total of every
/// distribution, never a call netted against a distribution of the same period: each row of
/// the table is one gross flow (build a table from per-period calls and distributions with
/// [`FlowTable::from_gross`], which keeps them as separate rows). Netting would understate
/// both (a $15M call and a $2M distribution in one year are $15M paid in and $2M out, not
/// $13M paid in).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundMetrics {
    pub paid_in: f64,
    pub distributed: f64,
    pub nav: f64,
    pub tvpi: f64,
    pub dpi: f64,
    pub rvpi: f64,
    /// IRR of the flows with the NAV added at the last time; `None` when it has no root
    /// (for example no distributions and a zero NAV).
    pub irr: Option<f64>,
    /// "annual, Actual/365 (as Excel XIRR)" or "per period".
    pub irr_basis: &'static str,
}

/// Metrics of an LP's cash flows with residual value `nav` at the last row's time.
pub fn fund_metrics(flows: &FlowTable, nav: f64) -> Result<FundMetrics> {
    if !nav.is_finite() || nav < 0.0 {
        return Err(Error::param(
            "nav",
            format!("expected a non-negative residual value, got {nav}"),
        ));
    }
    let paid_in: f64 = flows.amounts.iter().filter(|&&v| v < 0.0).map(|v| -v).sum();
    let distributed: f64 = flows.amounts.iter().filter(|&&v| v > 0.0).sum();
    if paid_in <= 0.0 {
        return Err(Error::input(
            "amount",
            "no contributions: multiples need at least one negative amount (capital paid in)",
        ));
    }
    let tvpi = (distributed + nav) / paid_in;
    if !(paid_in.is_finite() && tvpi.is_finite()) {
        return Err(Error::input(
            "amount",
            format!(
                "the multiples of these flows are not finite numbers (paid in {paid_in:e}, distributed \
                 {distributed:e}, NAV {nav:e}): the totals overflow 64-bit floats; use smaller units"
            ),
        ));
    }
    let irr = flows.rate_of(&with_terminal_value(flows, nav)).ok();
    Ok(FundMetrics {
        paid_in,
        distributed,
        nav,
        tvpi,
        dpi: distributed / paid_in,
        rvpi: nav / paid_in,
        irr,
        irr_basis: flows.rate_basis(),
    })
}

/// The flows with `terminal` added to the last row.
pub(crate) fn with_terminal_value(flows: &FlowTable, terminal: f64) -> Vec<f64> {
    let mut values = flows.amounts.clone();
    *values.last_mut().expect("non-empty table") += terminal;
    values
}
