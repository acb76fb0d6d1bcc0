//! The monthly revenue and cash engine of the company model, without randomness and without
//! financing: one month's step from customers, MRR and cash to the next. The Monte Carlo
//! simulator (`sim`) draws these inputs from distributions and uses the same `bridge` and
//! [`Health`]; on its own this gives the deterministic cash path a founder can check by hand.
//!
//! One month, in this order (amounts in currency units per month, rates per month):
//! 1. new accounts = sales and marketing spend / CAC (fractional: an expected count);
//! 2. MRR bridge: `mrr' = mrr (1 - churn + expansion) + new × price`, where `churn` is
//!    the share of accounts (and of their MRR) lost and `expansion` the growth of the
//!    remaining accounts' MRR, so net revenue retention over a year is
//!    `(1 - churn + expansion)^12`; accounts: `n' = n (1 - churn) + new`;
//! 3. revenue of the month = `mrr'` (new accounts pay from their first month);
//! 4. vendor cost = `Σ (fixed + per_account × n')` over the vendor lines; gross margin =
//!    1 - vendor cost / revenue;
//! 5. net burn = team + sales and marketing + vendor cost - revenue; cash' = cash - burn.
//!
//! The company dies in the first month whose closing cash is negative.
//!
//! Health metrics of each month, as SaaS benchmarks define them (ARPA = MRR / accounts,
//! gross profit per account = ARPA × gross margin):
//! - burn multiple (David Sacks, 2020) = net burn / net new ARR, with net new ARR =
//!   12 × (MRR' - MRR); only while burning and adding ARR;
//! - CAC payback in months = CAC / gross profit per account per month;
//! - LTV:CAC, with LTV = gross profit per account per month / monthly logo churn.

use serde::Serialize;

use crate::error::{Error, Result};

/// A vendor line (cloud, model API, ...): its monthly cost is `fixed + per_account × accounts`,
/// both multiplied by `price_factor` from month `shock_month` on (a price change; 1.3 is +30%).
#[derive(Debug, Clone, PartialEq)]
pub struct VendorLine {
    pub name: String,
    pub fixed: f64,
    pub per_account: f64,
    /// First month (1-based) at which `price_factor` applies.
    pub shock_month: u32,
    /// Multiplier on this line's prices from `shock_month` on; 1 for no change.
    pub price_factor: f64,
}

impl VendorLine {
    /// A line whose prices never change.
    pub fn new(name: impl Into<String>, fixed: f64, per_account: f64) -> Self {
        VendorLine {
            name: name.into(),
            fixed,
            per_account,
            shock_month: 1,
            price_factor: 1.0,
        }
    }

    /// This line's cost in `month` for `accounts` accounts.
    pub fn cost(&self, month: u32, accounts: f64) -> f64 {
        let factor = if month >= self.shock_month {
            self.price_factor
        } else {
            1.0
        };
        factor * (self.fixed + self.per_account * accounts)
    }
}

/// The inputs of a deterministic cash path (all per month).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Cash at the start of month 1.
    pub cash: f64,
    /// Paying accounts at the start of month 1.
    pub accounts: f64,
    /// Monthly revenue per new account.
    pub price: f64,
    /// Customer acquisition cost: sales and marketing spend per new account.
    pub cac: f64,
    /// Share of accounts lost each month, in [0, 1].
    pub churn: f64,
    /// Monthly growth of the remaining accounts' revenue (upsell), >= 0.
    pub expansion: f64,
    /// Team and other operating cost per month.
    pub team: f64,
    /// Sales and marketing spend per month.
    pub sales_marketing: f64,
    pub vendors: Vec<VendorLine>,
}

/// The state at the end of one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Month {
    /// 1 for the first month.
    pub month: u32,
    pub accounts: f64,
    pub new_accounts: f64,
    pub mrr: f64,
    pub vendor_cost: f64,
    /// 1 - vendor cost / revenue; `None` without revenue.
    pub gross_margin: Option<f64>,
    /// Costs minus revenue (negative when the company makes money).
    pub net_burn: f64,
    pub cash: f64,
    /// Months of cash left at this burn; `None` when not burning.
    pub runway_months: Option<f64>,
    /// Net burn / net new ARR; `None` unless burning and growing ARR.
    pub burn_multiple: Option<f64>,
    /// Months of an account's gross profit that repay its CAC; `None` without gross profit.
    pub cac_payback_months: Option<f64>,
    /// Lifetime gross profit of an account / CAC; `None` without churn or gross profit.
    pub ltv_to_cac: Option<f64>,
}

impl Plan {
    /// Checks the inputs, naming the offending key as in a scenario file (`company.cac`).
    pub fn validate(&self) -> Result<()> {
        let key = |k: &str| format!("company.{k}");
        for (k, v) in [
            ("cash", self.cash),
            ("accounts", self.accounts),
            ("price", self.price),
            ("expansion", self.expansion),
            ("team", self.team),
            ("sales_marketing", self.sales_marketing),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::key(
                    key(k),
                    format!("expected a non-negative number, got {v}"),
                ));
            }
        }
        if !(self.cac.is_finite() && self.cac > 0.0) {
            return Err(Error::key(
                key("cac"),
                format!("expected a positive cost per account, got {}", self.cac),
            ));
        }
        if !(self.churn.is_finite() && (0.0..=1.0).contains(&self.churn)) {
            return Err(Error::key(
                key("churn"),
                format!(
                    "expected a monthly share between 0% and 100%, got {}",
                    self.churn
                ),
            ));
        }
        for v in &self.vendors {
            for (k, x) in [
                ("fixed", v.fixed),
                ("per_account", v.per_account),
                ("price_factor", v.price_factor),
            ] {
                if !(x.is_finite() && x >= 0.0) {
                    return Err(Error::key(
                        format!("company.vendors.{}.{k}", v.name),
                        format!("expected a non-negative price, got {x}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The same plan with vendor `name`'s prices multiplied by `factor` from `at_month` on
    /// (`stress --vendor NAME --price-change +30% --at-month M` is factor 1.3). An unknown
    /// vendor is an error naming the vendors there are.
    pub fn with_price_change(&self, name: &str, factor: f64, at_month: u32) -> Result<Plan> {
        let k = price_change_line(self.vendors.iter().map(|v| v.name.as_str()), name, factor)?;
        let mut plan = self.clone();
        let line = &mut plan.vendors[k];
        line.shock_month = at_month.max(1);
        line.price_factor = factor;
        Ok(plan)
    }

    /// Runs `months` months (stopping after the month the cash runs out) and returns each
    /// month's closing state.
    pub fn run(&self, months: u32) -> Result<Vec<Month>> {
        self.validate()?;
        if months == 0 {
            return Err(Error::param("months", "expected at least 1 month"));
        }
        let mut out = Vec::with_capacity(months as usize);
        let (mut accounts, mut mrr, mut cash) =
            (self.accounts, self.accounts * self.price, self.cash);
        for month in 1..=months {
            let prev_mrr = mrr;
            let new_accounts = self.sales_marketing / self.cac;
            (mrr, accounts) = bridge(
                mrr,
                accounts,
                new_accounts,
                self.price,
                self.churn,
                self.expansion,
            );
            let vendor_cost: f64 = self.vendors.iter().map(|v| v.cost(month, accounts)).sum();
            let net_burn = self.team + self.sales_marketing + vendor_cost - mrr;
            cash -= net_burn;
            let h = Health::of(
                prev_mrr,
                mrr,
                accounts,
                vendor_cost,
                net_burn,
                cash,
                self.cac,
                self.churn,
            );
            out.push(Month {
                month,
                accounts,
                new_accounts,
                mrr,
                vendor_cost,
                gross_margin: h.gross_margin,
                net_burn,
                cash,
                runway_months: h.runway_months,
                burn_multiple: h.burn_multiple,
                cac_payback_months: h.cac_payback_months,
                ltv_to_cac: h.ltv_to_cac,
            });
            if cash < 0.0 {
                break;
            }
        }
        Ok(out)
    }
}

/// Checks a price change (`stress --vendor NAME --price-change +30%`: factor 1.3) and
/// returns the index of the vendor line it applies to among `names`; an unknown vendor is
/// an error naming the lines there are. Shared by [`Plan::with_price_change`] and the
/// simulator's `stress`.
pub(crate) fn price_change_line<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    name: &str,
    factor: f64,
) -> Result<usize> {
    if !(factor.is_finite() && factor >= 0.0) {
        return Err(Error::param(
            "price_change",
            format!("expected a change above -100%, got a factor of {factor}"),
        ));
    }
    names.clone().position(|n| n == name).ok_or_else(|| {
        let known: Vec<&str> = names.collect();
        Error::param(
            "vendor",
            format!(
                "no vendor line named '{name}' (this company has: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        )
    })
}

/// The MRR and account bridge of one month (step 2 above): returns `(mrr', accounts')`.
/// Shared with the Monte Carlo simulator so both engines are the same arithmetic.
#[inline]
pub(crate) fn bridge(
    mrr: f64,
    accounts: f64,
    new_accounts: f64,
    price: f64,
    churn: f64,
    expansion: f64,
) -> (f64, f64) {
    (
        mrr * (1.0 - churn + expansion) + new_accounts * price,
        accounts * (1.0 - churn) + new_accounts,
    )
}

/// The health metrics of one month (definitions in the module documentation); `None`
/// where a metric is undefined (no revenue, not burning, not growing, no churn).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Health {
    pub gross_margin: Option<f64>,
    pub runway_months: Option<f64>,
    pub burn_multiple: Option<f64>,
    pub cac_payback_months: Option<f64>,
    pub ltv_to_cac: Option<f64>,
}

impl Health {
    /// Metrics of a month that ended with `mrr` (after `prev_mrr`), `accounts`, `vendor_cost`,
    /// `net_burn` and closing `cash`, for a company with this `cac` and monthly `churn`.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub fn of(
        prev_mrr: f64,
        mrr: f64,
        accounts: f64,
        vendor_cost: f64,
        net_burn: f64,
        cash: f64,
        cac: f64,
        churn: f64,
    ) -> Health {
        let net_new_arr = 12.0 * (mrr - prev_mrr);
        // Zero accounts: no per-account figure (0 here makes the metrics below `None`).
        let gross_profit_per_account = if accounts > 0.0 {
            (mrr - vendor_cost) / accounts
        } else {
            0.0
        };
        Health {
            gross_margin: (mrr > 0.0).then(|| 1.0 - vendor_cost / mrr),
            runway_months: (net_burn > 0.0).then(|| cash.max(0.0) / net_burn),
            burn_multiple: (net_burn > 0.0 && net_new_arr > 0.0).then(|| net_burn / net_new_arr),
            cac_payback_months: (gross_profit_per_account > 0.0)
                .then(|| cac / gross_profit_per_account),
            ltv_to_cac: (gross_profit_per_account > 0.0 && churn > 0.0)
                .then(|| gross_profit_per_account / churn / cac),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            cash: 1000.0,
            accounts: 10.0,
            price: 10.0,
            cac: 50.0,
            churn: 0.1,
            expansion: 0.05,
            team: 200.0,
            sales_marketing: 100.0,
            vendors: vec![VendorLine::new("cloud", 20.0, 2.0)],
        }
    }

    #[test]
    fn matches_hand_arithmetic_month_by_month() {
        // Written out by hand:
        // month 1: new = 100/50 = 2; MRR = 100 × 0.95 + 2 × 10 = 115; accounts = 9 + 2 = 11;
        //   vendors = 20 + 2 × 11 = 42; burn = 200 + 100 + 42 - 115 = 227; cash = 773.
        // month 2: MRR = 115 × 0.95 + 20 = 129.25; accounts = 9.9 + 2 = 11.9;
        //   vendors = 20 + 23.8 = 43.8; burn = 343.8 - 129.25 = 214.55; cash = 558.45.
        // month 3: MRR = 129.25 × 0.95 + 20 = 142.7875; accounts = 10.71 + 2 = 12.71;
        //   vendors = 45.42; burn = 345.42 - 142.7875 = 202.6325; cash = 355.8175.
        let path = plan().run(3).unwrap();
        let want = [
            (115.0, 11.0, 42.0, 227.0, 773.0),
            (129.25, 11.9, 43.8, 214.55, 558.45),
            (142.7875, 12.71, 45.42, 202.6325, 355.8175),
        ];
        for (m, w) in path.iter().zip(want) {
            assert!((m.mrr - w.0).abs() < 1e-9, "{m:?}");
            assert!((m.accounts - w.1).abs() < 1e-9, "{m:?}");
            assert!((m.vendor_cost - w.2).abs() < 1e-9, "{m:?}");
            assert!((m.net_burn - w.3).abs() < 1e-9, "{m:?}");
            assert!((m.cash - w.4).abs() < 1e-9, "{m:?}");
        }
        // gross margin of month 1 = 1 - 42/115; runway = 773 / 227.
        assert!((path[0].gross_margin.unwrap() - (1.0 - 42.0 / 115.0)).abs() < 1e-12);
        assert!((path[0].runway_months.unwrap() - 773.0 / 227.0).abs() < 1e-12);
        // Month 1 metrics: net new ARR = 12 × (115 - 100) = 180, burn multiple 227/180;
        // gross profit per account (115 - 42)/11 = 73/11, CAC payback 50/(73/11) = 550/73
        // months; LTV = (73/11)/0.1 = 730/11, LTV:CAC = 730/550 = 73/55.
        assert!((path[0].burn_multiple.unwrap() - 227.0 / 180.0).abs() < 1e-12);
        assert!((path[0].cac_payback_months.unwrap() - 550.0 / 73.0).abs() < 1e-12);
        assert!((path[0].ltv_to_cac.unwrap() - 73.0 / 55.0).abs() < 1e-12);
    }

    #[test]
    fn stops_in_the_month_cash_runs_out() {
        // From the path above, month 4: MRR = 142.7875 × 0.95 + 20 = 155.648125;
        // accounts = 11.439 + 2 = 13.439; vendors = 46.878; burn = 191.229875;
        // cash = 164.587625. Month 5: MRR = 167.86571875; accounts = 14.0951;
        // vendors = 48.1902; burn = 180.32448125; cash = -15.73685625 < 0: dead in month 5.
        let path = plan().run(120).unwrap();
        assert_eq!(path.len(), 5);
        assert!((path[4].cash - -15.73685625).abs() < 1e-9);
    }

    #[test]
    fn bad_inputs_name_the_key() {
        let mut p = plan();
        p.cac = -1.0;
        assert!(p
            .run(12)
            .unwrap_err()
            .to_string()
            .starts_with("company.cac:"));
        let mut p = plan();
        p.churn = 1.2;
        assert!(p
            .run(12)
            .unwrap_err()
            .to_string()
            .starts_with("company.churn:"));
        let mut p = plan();
        p.vendors[0].per_account = -0.5;
        let e = p.run(12).unwrap_err().to_string();
        assert!(e.starts_with("company.vendors.cloud.per_account:"), "{e}");
        assert!(plan()
            .run(0)
            .unwrap_err()
            .to_string()
            .starts_with("months:"));
        let e = plan().with_price_change("model-api", 1.3, 1).unwrap_err();
        assert!(e.to_string().starts_with("vendor:"), "{e}");
        assert!(e.to_string().contains("cloud"), "{e}");
    }

    #[test]
    fn price_shock_by_hand() {
        // Cloud +50% from month 2: month 1 unchanged (cash 773); month 2 vendors
        // 1.5 × 43.8 = 65.7, burn 365.7 - 129.25 = 236.45, cash 773 - 236.45 = 536.55.
        let path = plan()
            .with_price_change("cloud", 1.5, 2)
            .unwrap()
            .run(2)
            .unwrap();
        assert!((path[0].cash - 773.0).abs() < 1e-9);
        assert!((path[1].vendor_cost - 65.7).abs() < 1e-9);
        assert!((path[1].cash - 536.55).abs() < 1e-9);
    }

    proptest::proptest! {
        /// A price rise never leaves more cash or a longer life.
        #[test]
        fn price_rise_never_helps(
            factor in 1.0f64..3.0,
            at in 1u32..60,
            churn in 0.0f64..0.2,
            team in 0.0f64..400.0,
        ) {
            let mut p = plan();
            p.churn = churn;
            p.team = team;
            let base = p.run(120).unwrap();
            let shocked = p.with_price_change("cloud", factor, at).unwrap().run(120).unwrap();
            proptest::prop_assert!(shocked.len() <= base.len());
            for (s, b) in shocked.iter().zip(&base) {
                proptest::prop_assert!(s.cash <= b.cash);
            }
        }
    }
}
