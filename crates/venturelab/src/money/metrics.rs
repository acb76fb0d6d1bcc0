//! Fund multiples and IRR from an LP's cash flows.

use serde::Serialize;

use super::flows::FlowTable;
use crate::error::{Error, Result};

/// The standard fund metrics (ILPA definitions):
/// paid-in = Σ contributions, DPI = distributions / paid-in, RVPI = NAV / paid-in,
/// TVPI = DPI + RVPI.
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
    let irr = flows.rate_of(&with_terminal_value(flows, nav)).ok();
    Ok(FundMetrics {
        paid_in,
        distributed,
        nav,
        tvpi: (distributed + nav) / paid_in,
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
