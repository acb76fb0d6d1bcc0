//! `venturelab cashflow ...`: NPV, IRR, XIRR, annuities, fund metrics, PME and waterfalls.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use venturelab_app::cashflow::{
    self as app, Annuity, DayCount, Loan, Part, Unknown, WaterfallTerms, When,
};
use venturelab_app::Data;
use venturelab_present::cashflow as present;

use crate::args::{self, Values};
use crate::error::CliResult;
use crate::output::Outcome;

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

/// The quantities of an annuity (numpy-financial's sign convention: money paid out is
/// negative). Give every one but the quantity the command computes; --fv defaults to 0,
/// and --pv to 0 for `fv`.
#[derive(Debug, Args)]
pub struct AnnuityArgs {
    /// Rate per period: 0.5% or 0.005.
    #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
    rate: Option<f64>,
    /// Number of periods.
    #[arg(long, allow_hyphen_values = true)]
    nper: Option<f64>,
    /// Payment per period.
    #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
    pmt: Option<f64>,
    /// Present value (default 0 for `fv`).
    #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
    pv: Option<f64>,
    /// Future value (default 0).
    #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
    fv: Option<f64>,
    /// Payments at the end or the beginning of each period.
    #[arg(long, value_enum, default_value = "end")]
    when: WhenArg,
    /// `rate` only: starting point of the Newton iteration (default 0.1).
    #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
    guess: Option<f64>,
}

impl AnnuityArgs {
    fn request(&self, unknown: Unknown) -> Annuity {
        Annuity {
            unknown,
            rate: self.rate,
            nper: self.nper,
            pmt: self.pmt,
            pv: self.pv,
            fv: self.fv,
            when: self.when.into(),
            guess: self.guess,
        }
    }
}

/// A loan repaid in equal payments (numpy-financial's sign convention: a loan received is
/// a positive --pv, and payments come out negative).
#[derive(Debug, Args)]
pub struct LoanArgs {
    /// Rate per period: 0.75% or 0.0075.
    #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
    rate: f64,
    /// Number of payments.
    #[arg(long, allow_hyphen_values = true)]
    nper: f64,
    /// Present value: the amount borrowed.
    #[arg(long, value_parser = args::money, allow_hyphen_values = true)]
    pv: f64,
    /// Balance left after the last payment (default 0: paid off; a balloon is negative).
    #[arg(long, value_parser = args::money, allow_hyphen_values = true, default_value = "0")]
    fv: f64,
    /// Payments at the end or the beginning of each period.
    #[arg(long, value_enum, default_value = "end")]
    when: WhenArg,
}

impl LoanArgs {
    fn loan(&self) -> Loan {
        Loan {
            rate: self.rate,
            nper: self.nper,
            pv: self.pv,
            fv: self.fv,
            when: self.when.into(),
        }
    }
}

/// The payments of a cumulative sum (Excel's CUMIPMT/CUMPRINC): whole numbers,
/// 1 <= start <= end <= nper.
#[derive(Debug, Args)]
pub struct SpanArgs {
    #[command(flatten)]
    loan: LoanArgs,
    /// First payment counted (from 1).
    #[arg(long)]
    start: f64,
    /// Last payment counted (at most --nper).
    #[arg(long)]
    end: f64,
}

/// A day-count convention by name.
fn day_count(s: &str) -> Result<DayCount, String> {
    s.parse()
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
        /// Report the root nearest this rate, as Excel's IRR(values, guess) (default: the
        /// smallest non-negative root, else the negative root closest to zero).
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        guess: Option<f64>,
    },
    /// Modified internal rate of return.
    Mirr {
        /// Cash flows per period, the first at period 0: -100,39,59,55,20.
        #[arg(long, value_parser = args::series, allow_hyphen_values = true)]
        values: Values,
        /// Rate paid on money borrowed for the negative flows.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        finance_rate: f64,
        /// Rate earned on reinvested positive flows.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        reinvest_rate: f64,
    },
    /// Annual IRR of dated flows (ACT/365F as Excel XIRR, or --day-count). CSV columns:
    /// date,amount.
    Xirr {
        /// CSV of dated flows: columns date (YYYY-MM-DD),amount (negative = paid in).
        #[arg(long, value_name = "FLOWS.csv")]
        input: PathBuf,
        /// Report the root nearest this rate, as Excel's XIRR(values, dates, guess).
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        guess: Option<f64>,
        /// Year fractions: ACT/365F (Excel), ACT/360, ACT/ACT ISDA, 30/360 US or 30E/360.
        #[arg(long, value_parser = day_count, default_value = "ACT/365F")]
        day_count: DayCount,
    },
    /// Net present value of dated flows at an annual rate (ACT/365F as Excel XNPV, or
    /// --day-count).
    Xnpv {
        /// Annual discount rate: 8% or 0.08.
        #[arg(long, value_parser = args::rate, allow_hyphen_values = true)]
        rate: f64,
        /// CSV of dated flows: columns date (YYYY-MM-DD),amount.
        #[arg(long, value_name = "FLOWS.csv")]
        input: PathBuf,
        /// Year fractions: ACT/365F (Excel), ACT/360, ACT/ACT ISDA, 30/360 US or 30E/360.
        #[arg(long, value_parser = day_count, default_value = "ACT/365F")]
        day_count: DayCount,
    },
    /// Payment per period.
    Pmt(AnnuityArgs),
    /// Number of periods.
    Nper(AnnuityArgs),
    /// Rate per period.
    Rate(AnnuityArgs),
    /// Present value.
    Pv(AnnuityArgs),
    /// Future value.
    Fv(AnnuityArgs),
    /// Interest part of payment --per (numpy-financial ipmt, Excel IPMT).
    Ipmt {
        #[command(flatten)]
        loan: LoanArgs,
        /// Payment number, from 1 to --nper.
        #[arg(long)]
        per: f64,
    },
    /// Principal part of payment --per (numpy-financial ppmt, Excel PPMT).
    Ppmt {
        #[command(flatten)]
        loan: LoanArgs,
        /// Payment number, from 1 to --nper.
        #[arg(long)]
        per: f64,
    },
    /// Interest paid from payment --start to --end (Excel CUMIPMT).
    Cumipmt(SpanArgs),
    /// Principal repaid from payment --start to --end (Excel CUMPRINC).
    Cumprinc(SpanArgs),
    /// Amortisation schedule: payment, interest, principal and balance for every period
    /// (--out writes schedule.csv).
    Amortize(LoanArgs),
    /// TVPI, DPI, RVPI and IRR of a fund's LP cash flows. CSV columns: date (or period),amount.
    Metrics {
        /// CSV of the LP's flows: columns date (or period),amount (negative = paid in).
        #[arg(long, value_name = "FUND.csv")]
        input: PathBuf,
        /// Residual net asset value at the last row's date.
        #[arg(long, value_parser = args::money, default_value = "0")]
        nav: f64,
    },
    /// Public market equivalents (KS-PME, LN-PME, PME+, mPME, direct alpha). CSV columns:
    /// date (or period),amount,index (and nav for the mPME).
    Pme {
        /// CSV of the LP's flows with the index level: date (or period),amount,index, and
        /// optionally nav (the fund's NAV on each row, for the modified PME).
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

impl CashflowCmd {
    /// The subcommand's name (the `--out` JSON file is `<name>.json`).
    pub fn name(&self) -> &'static str {
        use CashflowCmd::*;
        match self {
            Npv { .. } => "npv",
            Irr { .. } => "irr",
            Mirr { .. } => "mirr",
            Xirr { .. } => "xirr",
            Xnpv { .. } => "xnpv",
            Pmt(_) => "pmt",
            Nper(_) => "nper",
            Rate(_) => "rate",
            Pv(_) => "pv",
            Fv(_) => "fv",
            Ipmt { .. } => "ipmt",
            Ppmt { .. } => "ppmt",
            Cumipmt(_) => "cumipmt",
            Cumprinc(_) => "cumprinc",
            Amortize(_) => "amortize",
            Metrics { .. } => "metrics",
            Pme { .. } => "pme",
            Waterfall { .. } => "waterfall",
        }
    }
}

/// Runs one cashflow subcommand; `files`: whether `--out` will write files.
pub fn run(cmd: &CashflowCmd, files: bool) -> CliResult<Outcome> {
    use CashflowCmd::*;
    let file = |p: &PathBuf| Data::Path(p.clone());
    let annuity = |a: &AnnuityArgs, u: Unknown| -> CliResult<Outcome> {
        let r = app::annuity(&a.request(u))?;
        Outcome::of(&r, present::annuity_text(&r))
    };
    match cmd {
        Npv {
            rate,
            values: Values(values),
            excel,
        } => {
            let r = app::npv(*rate, values, *excel)?;
            Outcome::of(&r, present::npv_text(&r))
        }
        Irr {
            values: Values(values),
            guess,
        } => {
            let r = app::irr(values, *guess)?;
            Outcome::of(&r, present::irr_text(&r))
        }
        Mirr {
            values: Values(values),
            finance_rate,
            reinvest_rate,
        } => {
            let r = app::mirr(values, *finance_rate, *reinvest_rate)?;
            Outcome::of(&r, present::mirr_text(&r))
        }
        Xirr {
            input,
            guess,
            day_count,
        } => {
            let r = app::xirr(&file(input), *day_count, *guess)?;
            Outcome::of(&r, present::xirr_text(&r))
        }
        Xnpv {
            rate,
            input,
            day_count,
        } => {
            let r = app::xnpv(*rate, &file(input), *day_count)?;
            Outcome::of(&r, present::xnpv_text(&r))
        }
        Pmt(a) => annuity(a, Unknown::Pmt),
        Nper(a) => annuity(a, Unknown::Nper),
        Rate(a) => annuity(a, Unknown::Rate),
        Pv(a) => annuity(a, Unknown::Pv),
        Fv(a) => annuity(a, Unknown::Fv),
        Ipmt { loan, per } | Ppmt { loan, per } => {
            let part = match cmd {
                Ipmt { .. } => Part::Interest,
                _ => Part::Principal,
            };
            let r = app::payment_part(&loan.loan(), part, *per)?;
            Outcome::of(&r, present::payment_part_text(&r))
        }
        Cumipmt(s) | Cumprinc(s) => {
            let part = match cmd {
                Cumipmt(_) => Part::Interest,
                _ => Part::Principal,
            };
            let r = app::cumulative(&s.loan.loan(), part, s.start, s.end)?;
            Outcome::of(&r, present::cumulative_text(&r))
        }
        Amortize(loan) => {
            let r = app::schedule(&loan.loan())?;
            Outcome::of(&r, present::schedule_text(&r))?
                .with_files(files, || present::schedule_files(&r))
        }
        Metrics { input, nav } => {
            let r = app::metrics(&file(input), *nav)?;
            Outcome::of(&r, present::metrics_text(&r))
        }
        Pme { input, nav } => {
            let r = app::pme(&file(input), *nav)?;
            Outcome::of(&r, present::pme_text(&r))
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
            let r = app::waterfall(*contributed, *proceeds, *years, terms)?;
            Outcome::of(&r, present::waterfall_text(&r))
        }
    }
}
