//! What non-equity money costs: revenue-based financing and venture debt, as monthly cash
//! flows and their rate of return to the provider.
//!
//! Rates: `irr_monthly` is the IRR of the monthly flows from the company's side (money in
//! positive, payments negative); `apr` = 12 × irr_monthly (the nominal annual rate);
//! `effective_annual_rate` = (1 + irr_monthly)^12 - 1.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::money::irr;

/// A financing's repayment schedule and cost.
#[derive(Debug, Clone, Serialize)]
pub struct Cost {
    /// Payments by month (month 1 first), from the company to the provider.
    pub payments: Vec<f64>,
    pub total_repaid: f64,
    pub months_to_repay: Option<usize>,
    pub irr_monthly: f64,
    pub apr: f64,
    pub effective_annual_rate: f64,
}

fn cost_of(amount: f64, payments: Vec<f64>, months_to_repay: Option<usize>) -> Result<Cost> {
    let mut flows = vec![amount];
    flows.extend(payments.iter().map(|p| -p));
    let r = irr(&flows)?;
    Ok(Cost {
        total_repaid: payments.iter().sum(),
        payments,
        months_to_repay,
        irr_monthly: r,
        apr: 12.0 * r,
        effective_annual_rate: (1.0 + r).powi(12) - 1.0,
    })
}

/// Revenue-based financing: an `advance`, repaid by `share` of each month's revenue until
/// `cap_multiple × advance` has been paid. `revenue[m]` is month m+1's revenue.
pub fn rbf(advance: f64, share: f64, cap_multiple: f64, revenue: &[f64]) -> Result<Cost> {
    if !(advance.is_finite() && advance > 0.0) {
        return Err(Error::param(
            "advance",
            format!("expected a positive amount, got {advance}"),
        ));
    }
    if !(share > 0.0 && share <= 1.0) {
        return Err(Error::param(
            "share",
            format!("expected a share of revenue in (0, 1], got {share}"),
        ));
    }
    if !(cap_multiple.is_finite() && cap_multiple >= 1.0) {
        return Err(Error::param(
            "cap",
            format!("expected a repayment cap of at least 1x, got {cap_multiple}"),
        ));
    }
    if let Some((i, r)) = revenue
        .iter()
        .enumerate()
        .find(|(_, r)| !r.is_finite() || **r < 0.0)
    {
        return Err(Error::param(
            "revenue",
            format!("month {}: expected a non-negative revenue, got {r}", i + 1),
        ));
    }
    let mut left = cap_multiple * advance;
    let mut payments = Vec::new();
    let mut done = None;
    for (m, &r) in revenue.iter().enumerate() {
        let p = (share * r).min(left);
        payments.push(p);
        left -= p;
        if left <= 1e-9 * advance {
            done = Some(m + 1);
            break;
        }
    }
    if done.is_none() {
        return Err(Error::NoSolution(format!(
            "the advance is not repaid within the {} months of revenue given ({:.0} of {:.0} left); give more months or faster growth",
            revenue.len(),
            left,
            cap_multiple * advance
        )));
    }
    cost_of(advance, payments, done)
}

/// The payment schedule of venture debt (month 1 first): `principal` at an annual `rate`
/// (monthly rate/12), interest only for `io_months`, then equal monthly payments (an
/// annuity) over `amort_months`. [`venture_debt`] adds warrants and the cost; the company
/// simulator draws facilities with this alone, as it never needs their rate of return.
pub fn venture_debt_schedule(
    principal: f64,
    rate: f64,
    io_months: usize,
    amort_months: usize,
) -> Result<Vec<f64>> {
    if !(principal.is_finite() && principal > 0.0) {
        return Err(Error::param(
            "principal",
            format!("expected a positive amount, got {principal}"),
        ));
    }
    if !(rate.is_finite() && rate >= 0.0) {
        return Err(Error::param(
            "rate",
            format!("expected a non-negative rate, got {rate}"),
        ));
    }
    if amort_months == 0 {
        return Err(Error::param(
            "amort_months",
            "expected at least one month of amortisation",
        ));
    }
    let i = rate / 12.0;
    let pmt = -crate::money::pmt(
        i,
        amort_months as f64,
        principal,
        0.0,
        crate::money::When::End,
    )?;
    let mut payments: Vec<f64> = (0..io_months).map(|_| principal * i).collect();
    payments.extend((0..amort_months).map(|_| pmt));
    Ok(payments)
}

/// Venture debt: the schedule of [`venture_debt_schedule`]; the lender also holds warrants
/// worth `warrant_value` at month `exit_month` (0 = none), which count as a payment then.
pub fn venture_debt(
    principal: f64,
    rate: f64,
    io_months: usize,
    amort_months: usize,
    warrant_value: f64,
    exit_month: usize,
) -> Result<Cost> {
    let mut payments = venture_debt_schedule(principal, rate, io_months, amort_months)?;
    let n = payments.len();
    if warrant_value > 0.0 {
        if exit_month == 0 {
            return Err(Error::param(
                "exit_month",
                "warrants need the month of the exit they are valued at",
            ));
        }
        if payments.len() < exit_month {
            payments.resize(exit_month, 0.0);
        }
        payments[exit_month - 1] += warrant_value;
    }
    cost_of(principal, payments, Some(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rbf_on_flat_revenue() {
        // $100k advance, 10% of a flat $50k a month, 1.5x cap: $5k a month until $150k is
        // paid, 30 months. The monthly rate r solves 100 = 5 × (1 - (1+r)^-30) / r:
        // numpy-financial rate(30, -5, 100, 0) = 0.028446357691943907.
        let c = rbf(100_000.0, 0.10, 1.5, &[50_000.0; 60]).unwrap();
        assert_eq!(c.months_to_repay, Some(30));
        assert!((c.total_repaid - 150_000.0).abs() < 1e-6);
        let r = 0.028_446_357_691_943_907;
        assert!((c.irr_monthly - r).abs() < 1e-9, "{} vs {r}", c.irr_monthly);
        assert!((c.apr - 12.0 * r).abs() < 1e-9);
    }

    #[test]
    fn debt_without_warrants_costs_its_rate() {
        // Interest only then an annuity at 1%/month: the lender's IRR is exactly 1% a month.
        let c = venture_debt(1_000_000.0, 0.12, 6, 30, 0.0, 0).unwrap();
        assert!((c.irr_monthly - 0.01).abs() < 1e-12);
        assert!((c.apr - 0.12).abs() < 1e-10);
        // Warrants add to the cost.
        let w = venture_debt(1_000_000.0, 0.12, 6, 30, 300_000.0, 36).unwrap();
        assert!(w.irr_monthly > 0.01);
    }
}

/// The four ways to fund the same company compared at one exit value.
#[derive(Debug, Clone, Serialize)]
pub struct PathComparison {
    pub exit_value: f64,
    /// Founders' proceeds under each path.
    pub vc: f64,
    pub rbf: f64,
    pub debt: f64,
    pub bootstrap: f64,
    /// The cheapest outside money at this exit (bootstrap excluded: it raises nothing).
    pub best_outside: &'static str,
    /// What the VC gets back, as a multiple of its investment.
    pub vc_multiple: f64,
}

/// Assumptions of [`compare_paths`], all printed with the result.
#[derive(Debug, Clone, Serialize)]
pub struct PathTerms {
    /// Money raised by each outside path.
    pub raise: f64,
    /// VC: pre-money valuation; 1x non-participating preferred.
    pub pre_money: f64,
    /// RBF: total repayment as a multiple of the advance, paid from revenue before the exit.
    pub rbf_cap: f64,
    /// Venture debt: annual interest, years outstanding (simple interest paid before the
    /// exit), and warrant coverage (share of the principal, struck at the pre-money).
    pub debt_rate: f64,
    pub debt_years: f64,
    pub warrant_coverage: f64,
}

/// Founders' proceeds at each exit value under VC, RBF, debt and bootstrapping, with the
/// same exit value on every path (a strong assumption: it isolates the cost of the money
/// from its effect on growth, which the company simulator models).
/// - VC: the fund holds raise / (pre_money + raise) with a 1x non-participating preference:
///   it takes max(min(raise, E), E · raise / (pre_money + raise)).
/// - RBF: the repayment beyond the advance, (rbf_cap - 1) · raise, is the cost.
/// - Debt: interest raise · rate · years, plus warrants worth coverage · raise / pre_money of E.
/// - Bootstrap: nothing raised, nothing owed.
pub fn compare_paths(t: &PathTerms, exits: &[f64]) -> Result<Vec<PathComparison>> {
    for (k, v) in [("raise", t.raise), ("pre_money", t.pre_money)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(Error::param(
                k,
                format!("expected a positive amount, got {v}"),
            ));
        }
    }
    if !(t.rbf_cap.is_finite() && t.rbf_cap >= 1.0) {
        return Err(Error::param(
            "rbf_cap",
            format!(
                "expected a finite repayment cap of at least 1x, got {}",
                t.rbf_cap
            ),
        ));
    }
    for (k, v) in [
        ("debt_rate", t.debt_rate),
        ("debt_years", t.debt_years),
        ("warrant_coverage", t.warrant_coverage),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::param(
                k,
                format!("expected a non-negative number, got {v}"),
            ));
        }
    }
    exits
        .iter()
        .map(|&e| {
            if !(e.is_finite() && e >= 0.0) {
                return Err(Error::param(
                    "exit_values",
                    format!("expected non-negative exit values, got {e}"),
                ));
            }
            let share = t.raise / (t.pre_money + t.raise);
            let vc_take = t.raise.min(e).max(e * share);
            let vc = e - vc_take;
            let rbf = (e - (t.rbf_cap - 1.0) * t.raise).max(0.0);
            let debt = (e
                - t.raise * t.debt_rate * t.debt_years
                - e * t.warrant_coverage * t.raise / t.pre_money)
                .max(0.0);
            if !(vc.is_finite() && rbf.is_finite() && debt.is_finite()) {
                return Err(Error::param(
                    "exit_values",
                    format!("at an exit of {e} a founder's proceeds overflow 64-bit arithmetic; use smaller amounts or rates"),
                ));
            }
            let best_outside = if vc >= rbf && vc >= debt {
                "vc"
            } else if rbf >= debt {
                "rbf"
            } else {
                "debt"
            };
            Ok(PathComparison {
                exit_value: e,
                vc,
                rbf,
                debt,
                bootstrap: e,
                best_outside,
                vc_multiple: vc_take / t.raise,
            })
        })
        .collect()
}

#[cfg(test)]
mod compare_tests {
    use super::*;

    #[test]
    fn paths_by_hand() {
        // Raise $5M at $15M pre (VC owns 25%), RBF cap 1.5x, debt 12% x 3 years with 10%
        // coverage (warrants = 10% x 5M / 15M = 3.333% of the exit).
        // Exit $30M: VC takes max(5, 7.5) = 7.5 -> founders 22.5; RBF costs 2.5 -> 27.5;
        // debt costs 1.8 + 1.0 = 2.8 -> 27.2. Exit $10M: VC takes its $5M preference -> 5.
        let t = PathTerms {
            raise: 5e6,
            pre_money: 15e6,
            rbf_cap: 1.5,
            debt_rate: 0.12,
            debt_years: 3.0,
            warrant_coverage: 0.10,
        };
        let r = compare_paths(&t, &[30e6, 10e6]).unwrap();
        assert!((r[0].vc - 22.5e6).abs() < 1e-6);
        assert!((r[0].rbf - 27.5e6).abs() < 1e-6);
        assert!((r[0].debt - 27.2e6).abs() < 1e-6);
        assert_eq!(r[0].best_outside, "rbf");
        assert!((r[0].vc_multiple - 1.5).abs() < 1e-12);
        assert!((r[1].vc - 5e6).abs() < 1e-6);
    }
}
