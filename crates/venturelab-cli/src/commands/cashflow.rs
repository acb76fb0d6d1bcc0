//! `venturelab cashflow ...`: NPV, IRR, XIRR, annuities, fund metrics, PME and waterfalls.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};
use venturelab::money::flows::{parse_flows_csv, FlowTable, Timeline};
use venturelab::money::metrics::fund_metrics;
use venturelab::money::pme::pme;
use venturelab::money::waterfall::{european_waterfall_simple, WaterfallTerms};
use venturelab::money::{self, When};

use crate::args::{self, Values};
use crate::error::{CliError, CliResult};
use crate::output::{read_input, versioned_json, Outcome};
use crate::table::{key_values, money as fmt_money, multiple, opt_pct, pct, render};

/// Payment timing for the annuity functions.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WhenArg {
    /// Payments at the end of each period (ordinary annuity).
    End,
    /// Payments at the beginning of each period (annuity due).
    Begin,
}

impl From<WhenArg> for When {
    fn from(w: WhenArg) -> When {
        match w {
            WhenArg::End => When::End,
            WhenArg::Begin => When::Begin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CashflowCmd {
    /// Net present value of periodic flows (first flow at t=0, as numpy-financial; --excel
    /// discounts it one period, as Excel's NPV).
    Npv {
        /// Discount rate per period: 0.08 or 8%.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        /// Cash flows, comma separated, first at t=0: -1000,300,400,500.
        #[arg(long, value_parser = args::series, allow_hyphen_values = true)]
        values: Values,
        /// Discount the first flow one period, as Excel's NPV function.
        #[arg(long)]
        excel: bool,
    },
    /// Internal rate of return of periodic flows, with every real root listed.
    Irr {
        /// Cash flows, comma separated: -1000,300,400,500.
        #[arg(long, value_parser = args::series, allow_hyphen_values = true)]
        values: Values,
    },
    /// Modified internal rate of return.
    Mirr {
        #[arg(long, value_parser = args::series, allow_hyphen_values = true)]
        values: Values,
        /// Rate paid on money borrowed for the negative flows.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        finance_rate: f64,
        /// Rate earned on reinvested positive flows.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        reinvest_rate: f64,
    },
    /// Annual IRR of dated flows (Actual/365, as Excel XIRR). CSV columns: date,amount.
    Xirr {
        #[arg(long, value_name = "FLOWS.csv")]
        input: PathBuf,
    },
    /// Net present value of dated flows at an annual rate (Actual/365, as Excel XNPV).
    Xnpv {
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        #[arg(long, value_name = "FLOWS.csv")]
        input: PathBuf,
    },
    /// Payment per period.
    Pmt {
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        #[arg(long, allow_hyphen_values = true)]
        nper: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pv: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true, default_value = "0")]
        fv: f64,
        #[arg(long, value_enum, default_value = "end")]
        when: WhenArg,
    },
    /// Number of periods.
    Nper {
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pmt: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pv: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true, default_value = "0")]
        fv: f64,
        #[arg(long, value_enum, default_value = "end")]
        when: WhenArg,
    },
    /// Rate per period.
    Rate {
        #[arg(long, allow_hyphen_values = true)]
        nper: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pmt: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pv: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true, default_value = "0")]
        fv: f64,
        #[arg(long, value_enum, default_value = "end")]
        when: WhenArg,
        /// Starting point of the Newton iteration (default 0.1).
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        guess: Option<f64>,
    },
    /// Present value.
    Pv {
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        #[arg(long, allow_hyphen_values = true)]
        nper: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pmt: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true, default_value = "0")]
        fv: f64,
        #[arg(long, value_enum, default_value = "end")]
        when: WhenArg,
    },
    /// Future value.
    Fv {
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        #[arg(long, allow_hyphen_values = true)]
        nper: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
        pmt: f64,
        #[arg(long, value_parser = args::money, allow_hyphen_values = true, default_value = "0")]
        pv: f64,
        #[arg(long, value_enum, default_value = "end")]
        when: WhenArg,
    },
    /// TVPI, DPI, RVPI and IRR of a fund's LP cash flows. CSV columns: date (or period),amount.
    Metrics {
        #[arg(long, value_name = "FUND.csv")]
        input: PathBuf,
        /// Residual net asset value at the last row's date.
        #[arg(long, value_parser = args::money, default_value = "0")]
        nav: f64,
    },
    /// Public market equivalents (KS-PME, LN-PME, PME+, direct alpha). CSV columns:
    /// date (or period),amount,index.
    Pme {
        #[arg(long, value_name = "FUND.csv")]
        input: PathBuf,
        /// Residual net asset value at the last row's date.
        #[arg(long, value_parser = args::money)]
        nav: f64,
    },
    /// European whole-fund waterfall of one call and one distribution.
    Waterfall {
        /// Capital contributed at the start.
        #[arg(long, value_parser = args::money)]
        contributed: f64,
        /// Proceeds to distribute after --years.
        #[arg(long, value_parser = args::money)]
        proceeds: f64,
        /// Preferred return (hurdle) per year, compounded: 8%.
        #[arg(long, value_parser = args::rate)]
        pref_rate: f64,
        /// Years from the call to the distribution.
        #[arg(long)]
        years: f64,
        /// Carried interest: 20%.
        #[arg(long, value_parser = args::unit_rate)]
        carry: f64,
        /// GP share during catch-up: 100% for a full catch-up, 0 for none.
        #[arg(long, value_parser = args::unit_rate, default_value = "1")]
        catch_up: f64,
        /// GP commitment as a share of capital (pays no carry).
        #[arg(long, value_parser = args::unit_rate, default_value = "0")]
        gp_commit: f64,
    },
}

fn version() -> &'static str {
    venturelab::VERSION
}

fn read_flows(path: &Path) -> CliResult<FlowTable> {
    let text = read_input(path)?;
    Ok(parse_flows_csv(
        text.as_bytes(),
        &path.display().to_string(),
    )?)
}

fn dated(path: &Path) -> CliResult<(Vec<chrono::NaiveDate>, Vec<f64>)> {
    let t = read_flows(path)?;
    match t.timeline {
        Timeline::Dates(d) => Ok((d, t.amounts)),
        Timeline::Periods(_) => Err(CliError::input(format!(
            "{}: XIRR/XNPV need a `date` column (ISO dates), not `period`",
            path.display()
        ))),
    }
}

/// Runs one cashflow subcommand.
pub fn run(cmd: &CashflowCmd) -> CliResult<Outcome> {
    use CashflowCmd::*;
    Ok(match cmd {
        Npv {
            rate,
            values: Values(values),
            excel,
        } => {
            let v = if *excel {
                money::npv_excel(*rate, values)?
            } else {
                money::npv(*rate, values)?
            };
            let convention = if *excel {
                "excel (first flow discounted one period)"
            } else {
                "numpy-financial (first flow at t=0)"
            };
            Outcome::new(
                json!({"npv": v, "convention": convention, "inputs": {"rate": rate, "values": values}, "version": version()}),
                key_values(&[
                    ("NPV", fmt_money(v)),
                    ("convention", convention.to_string()),
                ]),
            )
        }
        Irr {
            values: Values(values),
        } => {
            let roots = money::irr_roots(values)?;
            let r = money::irr(values)?;
            let mut rows = vec![("IRR", pct(r))];
            if roots.len() > 1 {
                rows.push((
                    "all roots",
                    roots.iter().map(|x| pct(*x)).collect::<Vec<_>>().join(", "),
                ));
            }
            Outcome::new(
                json!({"irr": r, "roots": roots, "selection": "smallest non-negative root, else the negative root closest to zero (numpy-financial)", "inputs": {"values": values}, "version": version()}),
                key_values(&rows),
            )
        }
        Mirr {
            values: Values(values),
            finance_rate,
            reinvest_rate,
        } => {
            let m = money::mirr(values, *finance_rate, *reinvest_rate)?;
            Outcome::new(
                json!({"mirr": m, "inputs": {"values": values, "finance_rate": finance_rate, "reinvest_rate": reinvest_rate}, "version": version()}),
                key_values(&[("MIRR", pct(m))]),
            )
        }
        Xirr { input } => {
            let (d, v) = dated(input)?;
            let r = money::xirr(&d, &v)?;
            Outcome::new(
                json!({"xirr": r, "day_count": "Actual/365", "flows": v.len(), "version": version()}),
                key_values(&[
                    ("XIRR", pct(r)),
                    ("day count", "Actual/365".into()),
                    ("flows", v.len().to_string()),
                ]),
            )
        }
        Xnpv { rate, input } => {
            let (d, v) = dated(input)?;
            let x = money::xnpv(*rate, &d, &v)?;
            Outcome::new(
                json!({"xnpv": x, "rate": rate, "day_count": "Actual/365", "version": version()}),
                key_values(&[("XNPV", fmt_money(x)), ("rate", pct(*rate))]),
            )
        }
        Pmt {
            rate,
            nper,
            pv,
            fv,
            when,
        } => {
            let x = money::pmt(*rate, *nper, *pv, *fv, (*when).into())?;
            tvm_outcome(
                "pmt",
                x,
                json!({"rate": rate, "nper": nper, "pv": pv, "fv": fv, "when": format!("{when:?}").to_lowercase()}),
            )
        }
        Nper {
            rate,
            pmt,
            pv,
            fv,
            when,
        } => {
            let x = money::nper(*rate, *pmt, *pv, *fv, (*when).into())?;
            tvm_outcome(
                "nper",
                x,
                json!({"rate": rate, "pmt": pmt, "pv": pv, "fv": fv, "when": format!("{when:?}").to_lowercase()}),
            )
        }
        Rate {
            nper,
            pmt,
            pv,
            fv,
            when,
            guess,
        } => {
            let x = money::rate(*nper, *pmt, *pv, *fv, (*when).into(), *guess)?;
            tvm_outcome(
                "rate",
                x,
                json!({"nper": nper, "pmt": pmt, "pv": pv, "fv": fv, "when": format!("{when:?}").to_lowercase()}),
            )
        }
        Pv {
            rate,
            nper,
            pmt,
            fv,
            when,
        } => {
            let x = money::pv(*rate, *nper, *pmt, *fv, (*when).into())?;
            tvm_outcome(
                "pv",
                x,
                json!({"rate": rate, "nper": nper, "pmt": pmt, "fv": fv, "when": format!("{when:?}").to_lowercase()}),
            )
        }
        Fv {
            rate,
            nper,
            pmt,
            pv,
            when,
        } => {
            let x = money::fv(*rate, *nper, *pmt, *pv, (*when).into())?;
            tvm_outcome(
                "fv",
                x,
                json!({"rate": rate, "nper": nper, "pmt": pmt, "pv": pv, "when": format!("{when:?}").to_lowercase()}),
            )
        }
        Metrics { input, nav } => {
            let t = read_flows(input)?;
            let m = fund_metrics(&t, *nav)?;
            let text = key_values(&[
                ("paid in", fmt_money(m.paid_in)),
                ("distributed", fmt_money(m.distributed)),
                ("NAV", fmt_money(m.nav)),
                ("TVPI", multiple(m.tvpi)),
                ("DPI", multiple(m.dpi)),
                ("RVPI", multiple(m.rvpi)),
                ("IRR", opt_pct(m.irr)),
                ("IRR basis", m.irr_basis.to_string()),
            ]);
            let j = versioned_json(&m)?;
            Outcome::new(j, text)
        }
        Pme { input, nav } => {
            let t = read_flows(input)?;
            let p = pme(&t, *nav)?;
            let text = key_values(&[
                ("fund IRR", opt_pct(p.irr)),
                ("index IRR", opt_pct(p.index_irr)),
                ("KS-PME", format!("{:.4}", p.ks_pme)),
                ("LN-PME IRR", opt_pct(p.ln_pme_irr)),
                ("LN-PME NAV", fmt_money(p.ln_pme_nav)),
                ("PME+ IRR", opt_pct(p.pme_plus_irr)),
                (
                    "PME+ lambda",
                    p.pme_plus_lambda
                        .map(|l| format!("{l:.4}"))
                        .unwrap_or("n/a".into()),
                ),
                ("direct alpha", opt_pct(p.direct_alpha)),
                (
                    "direct alpha (continuous)",
                    opt_pct(p.direct_alpha_continuous),
                ),
                ("rate basis", p.rate_basis.to_string()),
            ]);
            let j = versioned_json(&p)?;
            Outcome::new(j, text)
        }
        Waterfall {
            contributed,
            proceeds,
            pref_rate,
            years,
            carry,
            catch_up,
            gp_commit,
        } => {
            let terms = WaterfallTerms {
                pref_rate: *pref_rate,
                carry: *carry,
                catch_up: *catch_up,
                gp_commit: *gp_commit,
            };
            // A parameter is named as the flag the user typed (`CliError::from`).
            let r = european_waterfall_simple(*contributed, *proceeds, *years, &terms)?;
            let rows: Vec<Vec<String>> = r
                .tiers
                .iter()
                .map(|t| vec![t.tier.replace('_', " "), fmt_money(t.lp), fmt_money(t.gp)])
                .chain(std::iter::once(vec![
                    "total".into(),
                    fmt_money(r.lp),
                    fmt_money(r.gp),
                ]))
                .collect();
            let mut j: Value = versioned_json(&r)?;
            j["inputs"] = json!({"contributed": contributed, "proceeds": proceeds, "years": years, "terms": terms});
            Outcome::new(j, render(&["tier", "LP", "GP"], &rows))
        }
    })
}

fn tvm_outcome(name: &str, x: f64, inputs: Value) -> Outcome {
    Outcome::new(
        json!({name: x, "inputs": inputs, "version": version()}),
        key_values(&[(name, format!("{x:.10}"))]),
    )
}
