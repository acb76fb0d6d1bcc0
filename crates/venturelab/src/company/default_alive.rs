//! Default alive or default dead (Paul Graham, 2015; Trevor Blackwell's growth calculator):
//! with revenue and expenses each growing at its own constant rate per period, when does
//! revenue reach expenses, and how much cash is burned until then?
//!
//! Revenue in period t is `R (1+g)^t`, expenses `E (1+h)^t` (t = 0, 1, 2, ...). The
//! breakeven period T is the first t with revenue ≥ expenses: 0 if R ≥ E; otherwise
//! `ceil(ln(E/R) / ln((1+g)/(1+h)))` when g > h, and never when g ≤ h. The capital needed
//! is the sum of the losses of periods 0 .. T-1: `Σ (E (1+h)^t - R (1+g)^t)`. With cash C,
//! the company is default alive when C covers it.

use serde::Serialize;

use crate::error::{Error, Result};

/// The farthest breakeven the calculation counts to, in periods (2^53: beyond it a period
/// number is no longer exact in a 64-bit float). Farther is an error naming
/// `revenue_growth`.
pub const MAX_PERIODS: f64 = 9_007_199_254_740_992.0;

/// Up to this many periods the capital needed is summed term by term when the closed form
/// overflows.
const DIRECT_SUM_PERIODS: u64 = 100_000;

#[derive(Debug, Clone, Serialize)]
pub struct DefaultAlive {
    /// First period in which revenue covers expenses; `None` when it never does.
    pub breakeven_period: Option<u64>,
    /// The crossing in continuous time, `ln(E/R) / ln((1+g)/(1+h))` (0 when already
    /// profitable): what Trevor Blackwell's calculator reports as the breakeven week.
    pub breakeven_time: Option<f64>,
    /// Cash burned before breakeven; `None` when breakeven never comes (the burn is endless).
    pub capital_needed: Option<f64>,
    /// With cash given: whether it covers the capital needed.
    pub default_alive: Option<bool>,
}

/// The default-alive calculation. Rates are per period (a week or a month).
pub fn default_alive(
    revenue: f64,
    revenue_growth: f64,
    expenses: f64,
    expense_growth: f64,
    cash: Option<f64>,
) -> Result<DefaultAlive> {
    for (k, v) in [("revenue", revenue), ("expenses", expenses)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(Error::param(
                k,
                format!("expected a non-negative amount per period, got {v}"),
            ));
        }
    }
    for (k, v) in [
        ("revenue_growth", revenue_growth),
        ("expense_growth", expense_growth),
    ] {
        if !(v.is_finite() && v > -1.0) {
            return Err(Error::param(
                k,
                format!("expected a growth rate above -100%, got {v}"),
            ));
        }
    }
    if let Some(c) = cash {
        if !(c.is_finite() && c >= 0.0) {
            return Err(Error::param(
                "cash",
                format!("expected a non-negative amount, got {c}"),
            ));
        }
    }
    // In log space throughout: ln E - ln R stays finite where E / R overflows (revenue
    // 1e-320 against expenses 2,000), and ln(1+g) where (1+g)^t overflows.
    let (lg, lh) = (revenue_growth.ln_1p(), expense_growth.ln_1p());
    let crossing = if revenue >= expenses {
        Some(0.0)
    } else if revenue > 0.0 && revenue_growth > expense_growth {
        let direct =
            (expenses / revenue).ln() / ((1.0 + revenue_growth) / (1.0 + expense_growth)).ln();
        Some(if direct.is_finite() && direct > 0.0 {
            direct
        } else {
            (expenses.ln() - revenue.ln()) / (lg - lh)
        })
    } else {
        None
    };
    let breakeven = match crossing {
        None => None,
        Some(0.0) => Some(0),
        Some(t) => {
            if !(t.is_finite() && t < MAX_PERIODS) {
                return Err(Error::param(
                    "revenue_growth",
                    format!(
                        "revenue would reach expenses only after about {t:.3e} periods; the calculation \
                         counts at most {MAX_PERIODS:e} (a faster revenue growth, or higher revenue, brings it in range)"
                    ),
                ));
            }
            // Guard the rounding of the logarithms: step to the first period that truly
            // breaks even, comparing ln R + t ln(1+g) with ln E + t ln(1+h). The estimate is
            // off by at most a period or two, so a few steps suffice; the loops are capped.
            let ok = |t: u64| {
                let r = revenue * (1.0 + revenue_growth).powf(t as f64);
                let e = expenses * (1.0 + expense_growth).powf(t as f64);
                if r.is_finite() && e.is_finite() && r > 0.0 {
                    r >= e
                } else {
                    revenue.ln() + t as f64 * lg >= expenses.ln() + t as f64 * lh
                }
            };
            let mut t = t.ceil().max(0.0) as u64;
            for _ in 0..8 {
                if t > 0 && ok(t - 1) {
                    t -= 1;
                } else {
                    break;
                }
            }
            for _ in 0..8 {
                if ok(t) {
                    break;
                }
                t += 1;
            }
            Some(t)
        }
    };
    // Geometric sums in closed form (the calculation runs every month of every simulated
    // company): Σ_{t<T} x (1+r)^t = x ((1+r)^T - 1) / r, or x T when r = 0.
    let sum = |x: f64, r: f64, t: u64| {
        if r == 0.0 {
            x * t as f64
        } else {
            x * ((1.0 + r).powf(t as f64) - 1.0) / r
        }
    };
    let capital = match breakeven {
        None => None,
        Some(t) => {
            // Each sum again in log space when its closed form overflows although the sum
            // need not (revenue 1e-320 times 1.03^25185): for r > 0,
            // x ((1+r)^T - 1) / r = exp(ln x + T ln(1+r) + ln(1 - (1+r)^-T) - ln r).
            let sum_of = |x: f64, r: f64, t: u64| {
                let v = sum(x, r, t);
                if v.is_finite() || !(x > 0.0 && r > 0.0) {
                    return v;
                }
                let tl = t as f64 * r.ln_1p();
                (x.ln() + tl + (-(-tl).exp()).ln_1p() - r.ln()).exp()
            };
            let mut k = sum_of(expenses, expense_growth, t) - sum_of(revenue, revenue_growth, t);
            if !k.is_finite() && t <= DIRECT_SUM_PERIODS {
                // A power overflowed in the closed form although the sum may not (a huge
                // growth rate over a few periods): add the losses one by one.
                k = (0..t)
                    .map(|i| {
                        let i = i as f64;
                        (expenses.ln() + i * lh).exp() - (revenue.ln() + i * lg).exp()
                    })
                    .sum();
            }
            if !k.is_finite() {
                return Err(Error::param(
                    "expenses",
                    format!(
                        "the cash burned before breakeven (period {t}) exceeds the largest number a \
                         64-bit float holds (about 1.8e308); use smaller units"
                    ),
                ));
            }
            Some(k.max(0.0))
        }
    };
    let breakeven_time = breakeven.and(crossing);
    debug_assert!(breakeven_time.is_none_or(f64::is_finite));
    Ok(DefaultAlive {
        breakeven_period: breakeven,
        breakeven_time,
        capital_needed: capital,
        default_alive: cash.map(|c| capital.is_some_and(|k| c >= k)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trevor_blackwells_test_cases() {
        // The test of Blackwell's growth calculator (startuptools, oom/test_oommodel.js):
        // revenue $200 a week growing 3% a week against flat expenses of $2,000 a week
        // breaks even in week 77.90; with the growth that takes revenue to $50,000 in
        // 156 weeks (3 years: (50000/200)^(1/156) - 1), in week 65.06.
        let d = default_alive(200.0, 0.03, 2000.0, 0.0, None).unwrap();
        assert!((d.breakeven_time.unwrap() - 77.90).abs() < 0.1);
        // The first whole week with revenue at or above expenses.
        assert_eq!(d.breakeven_period, Some(78));
        let g = (50_000.0f64 / 200.0).powf(1.0 / 156.0) - 1.0;
        let d = default_alive(200.0, g, 2000.0, 0.0, None).unwrap();
        assert!((d.breakeven_time.unwrap() - 65.06).abs() < 0.1);
        assert_eq!(d.breakeven_period, Some(66));
    }

    #[test]
    fn tiny_revenue_and_huge_expenses_return_at_once() {
        // Issue 17: revenue 1e-320 growing 3% against 2,000 flat. By hand:
        // T = ceil((ln 2000 - ln 1e-320) / ln 1.03) = ceil((7.600902 + 736.827230) / 0.029559)
        //   = ceil(25184.65) = 25185; revenue's own sum 1e-320 (1.03^25185 - 1) / 0.03 is
        // about 2000 / 0.03 = 66,667 (its last term is about 2,000), so the capital needed is
        // 2000 x 25185 - 66,667 = 50,303,333 to within a few hundred.
        let d = default_alive(1e-320, 0.03, 2000.0, 0.0, None).unwrap();
        assert_eq!(d.breakeven_period, Some(25185));
        let k = d.capital_needed.unwrap();
        assert!(
            (k - (2000.0 * 25185.0 - 2000.0 / 0.03)).abs() < 2000.0 / 0.03 * 0.05,
            "{k}"
        );
        // Expenses 1e306 against revenue 0.001 growing 3%: T = (ln 1e306 - ln 0.001)/ln 1.03
        // = 711.5 / 0.029559 = 24,071 periods of 1e306: the burn exceeds f64, an error
        // naming expenses, at once.
        let e = default_alive(0.001, 0.03, 1e306, 0.0, None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("expenses:"), "{e}");
        // Revenue growth 1e308: breakeven in period 1, capital = expenses - revenue of
        // period 0 = 2000 - 100 = 1900.
        let d = default_alive(100.0, 1e308, 2000.0, 0.0, None).unwrap();
        assert_eq!(d.breakeven_period, Some(1));
        assert!((d.capital_needed.unwrap() - 1900.0).abs() < 1e-9);
        // A growth edge so thin that breakeven is beyond 2^53 periods: ln 10 / 1e-16 =
        // 2.3e16 > 2^53 = 9.0e15, an error.
        let e = default_alive(1.0, 1e-16, 10.0, 0.0, None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("revenue_growth:"), "{e}");
    }

    #[test]
    fn hand_arithmetic() {
        // R 10 growing 10% a period, E 20 flat: 10 x 1.1^7 = 19.49 < 20 <= 10 x 1.1^8 = 21.44,
        // so breakeven in period 8; burned: 8 x 20 - 10 (1.1^8 - 1)/0.1 = 160 - 114.3589 = 45.6411.
        let d = default_alive(10.0, 0.10, 20.0, 0.0, Some(50.0)).unwrap();
        assert_eq!(d.breakeven_period, Some(8));
        assert!((d.capital_needed.unwrap() - 45.641_12).abs() < 1e-4);
        assert_eq!(d.default_alive, Some(true));
        assert_eq!(
            default_alive(10.0, 0.10, 20.0, 0.0, Some(40.0))
                .unwrap()
                .default_alive,
            Some(false)
        );
        // Already profitable; never profitable.
        assert_eq!(
            default_alive(30.0, 0.0, 20.0, 0.05, None)
                .unwrap()
                .breakeven_period,
            Some(0)
        );
        // The closed-form sums against the sums written out, with growing expenses:
        // R 10 at 10%, E 20 at 2%: T = ceil(ln 2 / ln(1.1/1.02)) = ceil(9.15) = 10.
        let d = default_alive(10.0, 0.10, 20.0, 0.02, None).unwrap();
        assert_eq!(d.breakeven_period, Some(10));
        let direct: f64 = (0..10)
            .map(|t| 20.0 * 1.02f64.powi(t) - 10.0 * 1.1f64.powi(t))
            .sum();
        assert!((d.capital_needed.unwrap() - direct).abs() < 1e-9);
        let never = default_alive(10.0, 0.02, 20.0, 0.03, Some(1e9)).unwrap();
        assert_eq!(
            (never.breakeven_period, never.default_alive),
            (None, Some(false))
        );
    }
}
