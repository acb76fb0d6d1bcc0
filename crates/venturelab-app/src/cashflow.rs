//! `cashflow ...`: requests and reports of the cash-flow math (NPV, IRR, XIRR, annuities,
//! fund metrics, PME, the European waterfall).

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use venturelab::money;
use venturelab::money::flows::{parse_flows_csv, FlowTable, Timeline};
use venturelab::money::metrics::{fund_metrics, FundMetrics};
use venturelab::money::pme::{pme as pme_of, Pme};
use venturelab::money::waterfall::{european_waterfall_simple, WaterfallResult};
/// Payment timing and the waterfall's terms, as requests name them.
pub use venturelab::money::{waterfall::WaterfallTerms, DayCount, Instalment, When};

use crate::error::{AppError, AppResult};
use crate::source::Data;

fn version() -> String {
    venturelab::VERSION.to_string()
}

/// NPV's convention for the first flow.
pub const NPV_NUMPY: &str = "numpy-financial (first flow at t=0)";
/// Excel's NPV: the first flow discounted one period.
pub const NPV_EXCEL: &str = "excel (first flow discounted one period)";
/// Which IRR is reported when several rates solve the equation.
pub const IRR_SELECTION: &str =
    "smallest non-negative root, else the negative root closest to zero (numpy-financial)";

/// Inputs echoed by [`NpvReport`].
#[derive(Debug, Clone, Serialize)]
pub struct RateValues {
    pub rate: f64,
    pub values: Vec<f64>,
}

/// `cashflow npv`.
#[derive(Debug, Clone, Serialize)]
pub struct NpvReport {
    pub npv: f64,
    pub convention: String,
    pub inputs: RateValues,
    pub version: String,
}

/// NPV of periodic `values` at `rate` per period; `excel` discounts the first flow.
pub fn npv(rate: f64, values: &[f64], excel: bool) -> AppResult<NpvReport> {
    let v = if excel {
        money::npv_excel(rate, values)?
    } else {
        money::npv(rate, values)?
    };
    Ok(NpvReport {
        npv: v,
        convention: if excel { NPV_EXCEL } else { NPV_NUMPY }.to_string(),
        inputs: RateValues {
            rate,
            values: values.to_vec(),
        },
        version: version(),
    })
}

/// Inputs echoed by [`IrrReport`].
#[derive(Debug, Clone, Serialize)]
pub struct ValuesInput {
    pub values: Vec<f64>,
}

/// The selection rule's description for a request with or without a guess (Excel's
/// `IRR(values, guess)`: the root nearest the guess).
fn selection(guess: Option<f64>) -> String {
    match guess {
        None => IRR_SELECTION.to_string(),
        Some(g) => format!("the root nearest the guess {g}"),
    }
}

/// `cashflow irr`: the rate reported and every real root.
#[derive(Debug, Clone, Serialize)]
pub struct IrrReport {
    pub irr: f64,
    pub roots: Vec<f64>,
    pub selection: String,
    pub inputs: ValuesInput,
    pub version: String,
}

/// IRR of periodic `values`: by the default rule, or the root nearest `guess`.
pub fn irr(values: &[f64], guess: Option<f64>) -> AppResult<IrrReport> {
    let roots = money::irr_roots(values)?;
    let r = match guess {
        None => money::irr(values)?,
        Some(g) => money::irr_nearest(values, g)?,
    };
    Ok(IrrReport {
        irr: r,
        roots,
        selection: selection(guess),
        inputs: ValuesInput {
            values: values.to_vec(),
        },
        version: version(),
    })
}

/// Inputs echoed by [`MirrReport`].
#[derive(Debug, Clone, Serialize)]
pub struct MirrInputs {
    pub values: Vec<f64>,
    pub finance_rate: f64,
    pub reinvest_rate: f64,
}

/// `cashflow mirr`.
#[derive(Debug, Clone, Serialize)]
pub struct MirrReport {
    pub mirr: f64,
    pub inputs: MirrInputs,
    pub version: String,
}

/// MIRR of `values` with the rates paid on negative and earned on positive flows.
pub fn mirr(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> AppResult<MirrReport> {
    Ok(MirrReport {
        mirr: money::mirr(values, finance_rate, reinvest_rate)?,
        inputs: MirrInputs {
            values: values.to_vec(),
            finance_rate,
            reinvest_rate,
        },
        version: version(),
    })
}

/// Reads a CSV of flows (`date` or `period`, `amount`, optionally `index`).
pub fn read_flows(input: &Data) -> AppResult<FlowTable> {
    let text = input.read()?;
    Ok(parse_flows_csv(text.as_bytes(), &input.name())?)
}

fn dated(input: &Data) -> AppResult<(Vec<chrono::NaiveDate>, Vec<f64>)> {
    let t = read_flows(input)?;
    match t.timeline {
        Timeline::Dates(d) => Ok((d, t.amounts)),
        Timeline::Periods(_) => Err(AppError::in_source(
            input.name(),
            "XIRR/XNPV need a `date` column (ISO dates), not `period`",
        )),
    }
}

/// `cashflow xirr`.
#[derive(Debug, Clone, Serialize)]
pub struct XirrReport {
    pub xirr: f64,
    /// Every real annual rate at which the XNPV is zero.
    pub roots: Vec<f64>,
    pub selection: String,
    pub day_count: DayCount,
    pub flows: usize,
    pub version: String,
}

/// XIRR of the dated flows in `input` on `day_count` (Excel's is ACT/365F): by the default
/// rule, or the root nearest `guess`.
pub fn xirr(input: &Data, day_count: DayCount, guess: Option<f64>) -> AppResult<XirrReport> {
    let (d, v) = dated(input)?;
    Ok(XirrReport {
        xirr: money::xirr_on(&d, &v, day_count, guess)?,
        roots: money::xirr_roots_on(&d, &v, day_count)?,
        selection: selection(guess),
        day_count,
        flows: v.len(),
        version: version(),
    })
}

/// `cashflow xnpv`.
#[derive(Debug, Clone, Serialize)]
pub struct XnpvReport {
    pub xnpv: f64,
    pub rate: f64,
    pub day_count: DayCount,
    pub version: String,
}

/// XNPV of the dated flows in `input` at an annual `rate` on `day_count`.
pub fn xnpv(rate: f64, input: &Data, day_count: DayCount) -> AppResult<XnpvReport> {
    let (d, v) = dated(input)?;
    Ok(XnpvReport {
        xnpv: money::xnpv_on(rate, &d, &v, day_count)?,
        rate,
        day_count,
        version: version(),
    })
}

/// The quantity an annuity request solves for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Pmt,
    Nper,
    Rate,
    Pv,
    Fv,
}

impl Unknown {
    /// The quantity's name (`pmt`), also its key in the report.
    pub fn key(self) -> &'static str {
        match self {
            Unknown::Pmt => "pmt",
            Unknown::Nper => "nper",
            Unknown::Rate => "rate",
            Unknown::Pv => "pv",
            Unknown::Fv => "fv",
        }
    }
}

/// One of the five annuity questions (pmt, nper, rate, pv, fv), numpy-financial's sign
/// convention (money paid out is negative). Give every quantity but the unknown; `fv`
/// defaults to 0 where it is an input, and `pv` when `fv` is the unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Annuity {
    pub unknown: Unknown,
    /// Rate per period.
    pub rate: Option<f64>,
    /// Number of periods.
    pub nper: Option<f64>,
    /// Payment per period.
    pub pmt: Option<f64>,
    /// Present value.
    pub pv: Option<f64>,
    /// Future value.
    pub fv: Option<f64>,
    /// Payments at period end or start.
    pub when: When,
    /// `rate` only: starting point of the Newton iteration (default 0.1).
    pub guess: Option<f64>,
}

/// The inputs of an annuity question, echoed without the unknown.
#[derive(Debug, Clone, Serialize)]
pub struct AnnuityInputs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nper: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pmt: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pv: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fv: Option<f64>,
    /// `end` or `begin`.
    pub when: String,
}

/// The answer to an annuity question: `{"pmt": -290.3, "inputs": {...}}`.
///
/// Only `nper` can be infinite (no finite number of periods reaches `fv`; numpy-financial
/// returns `inf`): `value` is then `f64::INFINITY` and the JSON says
/// `{"nper": null, "infinite": true, "reason": "..."}`, never a number.
#[derive(Debug, Clone)]
pub struct AnnuityReport {
    pub unknown: Unknown,
    pub value: f64,
    pub inputs: AnnuityInputs,
    pub version: String,
}

impl Serialize for AnnuityReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if self.value.is_finite() {
            m.serialize_entry(self.unknown.key(), &self.value)?;
        } else {
            m.serialize_entry(self.unknown.key(), &None::<f64>)?;
            m.serialize_entry("infinite", &true)?;
            m.serialize_entry("reason", NEVER_REACHES)?;
        }
        m.serialize_entry("inputs", &self.inputs)?;
        m.serialize_entry("version", &self.version)?;
        m.end()
    }
}

/// Why an infinite `nper` is infinite, as the report says it.
pub const NEVER_REACHES: &str =
    "no finite number of periods reaches fv: the balance never gets there (no payment and no interest, \
     a balance that only tends to fv, or a payment that exactly covers the interest)";

/// Solves an annuity question.
pub fn annuity(a: &Annuity) -> AppResult<AnnuityReport> {
    let u = a.unknown;
    let given = |name: &str, v: Option<f64>| -> AppResult<Option<f64>> {
        if name == u.key() {
            if v.is_some() {
                return Err(AppError::parameter(
                    name,
                    format!("is what `{name}` computes; leave it out"),
                ));
            }
            return Ok(None);
        }
        match (v, name) {
            (Some(x), _) => Ok(Some(x)),
            // A future value of 0 (a loan paid off) unless said; a present value of 0
            // (saving from nothing) when the future value is asked.
            (None, "fv") => Ok(Some(0.0)),
            (None, "pv") if u == Unknown::Fv => Ok(Some(0.0)),
            (None, _) => Err(AppError::parameter(name, "required here")),
        }
    };
    let inputs = AnnuityInputs {
        rate: given("rate", a.rate)?,
        nper: given("nper", a.nper)?,
        pmt: given("pmt", a.pmt)?,
        pv: given("pv", a.pv)?,
        fv: given("fv", a.fv)?,
        when: match a.when {
            When::End => "end",
            When::Begin => "begin",
        }
        .to_string(),
    };
    if a.guess.is_some() && u != Unknown::Rate {
        return Err(AppError::parameter("guess", "only `rate` takes a guess"));
    }
    let x = |v: Option<f64>| v.unwrap_or(0.0);
    let (rate, nper, pmt, pv, fv) = (
        x(inputs.rate),
        x(inputs.nper),
        x(inputs.pmt),
        x(inputs.pv),
        x(inputs.fv),
    );
    let value = match u {
        Unknown::Pmt => money::pmt(rate, nper, pv, fv, a.when)?,
        Unknown::Nper => money::nper(rate, pmt, pv, fv, a.when)?,
        Unknown::Rate => money::rate(nper, pmt, pv, fv, a.when, a.guess)?,
        Unknown::Pv => money::pv(rate, nper, pmt, fv, a.when)?,
        Unknown::Fv => money::fv(rate, nper, pmt, pv, a.when)?,
    };
    if !(value.is_finite() || (u == Unknown::Nper && value == f64::INFINITY)) {
        // Only nper has a meaningful infinity (reported as such); anything else that is not
        // a number is never reported as one.
        return Err(AppError::parameter(
            u.key(),
            format!("no finite {} solves these inputs", u.key()),
        ));
    }
    Ok(AnnuityReport {
        unknown: u,
        value,
        inputs,
        version: version(),
    })
}

/// A loan: `pv` received (or paid, negative) repaid to `fv` in `nper` equal payments at
/// `rate` per period, numpy-financial's sign convention.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Loan {
    pub rate: f64,
    pub nper: f64,
    pub pv: f64,
    /// Balance left after the last payment, as numpy-financial's `fv` (0: paid off).
    pub fv: f64,
    #[serde(serialize_with = "when_name")]
    pub when: When,
}

fn when_name<S: Serializer>(w: &When, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match w {
        When::End => "end",
        When::Begin => "begin",
    })
}

/// Which part of a payment is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The interest part (`ipmt`, `cumipmt`).
    Interest,
    /// The principal part (`ppmt`, `cumprinc`).
    Principal,
}

/// `cashflow ipmt` / `ppmt`: one part of payment number `per`.
#[derive(Debug, Clone)]
pub struct PaymentPartReport {
    /// `ipmt` or `ppmt`, the key of the value in the JSON.
    pub key: &'static str,
    pub value: f64,
    /// The whole payment (`pmt`).
    pub pmt: f64,
    pub per: f64,
    pub inputs: Loan,
    pub version: String,
}

/// The interest or principal part of payment `per` (1-based) of `loan`.
pub fn payment_part(loan: &Loan, part: Part, per: f64) -> AppResult<PaymentPartReport> {
    let Loan {
        rate,
        nper,
        pv,
        fv,
        when,
    } = *loan;
    let (key, value) = match part {
        Part::Interest => ("ipmt", money::ipmt(rate, per, nper, pv, fv, when)?),
        Part::Principal => ("ppmt", money::ppmt(rate, per, nper, pv, fv, when)?),
    };
    Ok(PaymentPartReport {
        key,
        value,
        pmt: money::pmt(rate, nper, pv, fv, when)?,
        per,
        inputs: *loan,
        version: version(),
    })
}

/// `cashflow cumipmt` / `cumprinc`: one part summed over payments `start..=end`.
#[derive(Debug, Clone)]
pub struct CumulativeReport {
    /// `cumipmt` or `cumprinc`, the key of the value in the JSON.
    pub key: &'static str,
    pub value: f64,
    pub start: f64,
    pub end: f64,
    pub inputs: Loan,
    pub version: String,
}

/// Interest or principal paid from payment `start` to `end` inclusive (Excel's `CUMIPMT`
/// and `CUMPRINC`, with a final value).
pub fn cumulative(loan: &Loan, part: Part, start: f64, end: f64) -> AppResult<CumulativeReport> {
    let Loan {
        rate,
        nper,
        pv,
        fv,
        when,
    } = *loan;
    let (key, value) = match part {
        Part::Interest => (
            "cumipmt",
            money::cumipmt(rate, nper, pv, fv, start, end, when)?,
        ),
        Part::Principal => (
            "cumprinc",
            money::cumprinc(rate, nper, pv, fv, start, end, when)?,
        ),
    };
    Ok(CumulativeReport {
        key,
        value,
        start,
        end,
        inputs: *loan,
        version: version(),
    })
}

/// `cashflow amortize`: the schedule and its totals.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleReport {
    pub pmt: f64,
    pub total_paid: f64,
    pub total_interest: f64,
    pub total_principal: f64,
    pub schedule: Vec<Instalment>,
    pub inputs: Loan,
    pub version: String,
}

/// The amortisation schedule of `loan`, one row per payment.
pub fn schedule(loan: &Loan) -> AppResult<ScheduleReport> {
    let Loan {
        rate,
        nper,
        pv,
        fv,
        when,
    } = *loan;
    let rows = money::amortization(rate, nper, pv, fv, when)?;
    Ok(ScheduleReport {
        // Every row carries the same payment, and a schedule has at least one row.
        pmt: rows[0].payment,
        total_paid: rows.iter().map(|r| r.payment).sum(),
        total_interest: rows.iter().map(|r| r.interest).sum(),
        total_principal: rows.iter().map(|r| r.principal).sum(),
        schedule: rows,
        inputs: *loan,
        version: version(),
    })
}

/// Serializes a report whose main value's key is chosen at run time (`ipmt`, `cumprinc`):
/// the value under its key, then the listed fields.
macro_rules! keyed_report {
    ($t:ty, $($field:ident),*) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                m.serialize_entry(self.key, &self.value)?;
                $(m.serialize_entry(stringify!($field), &self.$field)?;)*
                m.end()
            }
        }
    };
}
keyed_report!(PaymentPartReport, pmt, per, inputs, version);
keyed_report!(CumulativeReport, start, end, inputs, version);

/// `cashflow metrics`: TVPI, DPI, RVPI and IRR.
#[derive(Debug, Clone, Serialize)]
pub struct MetricsReport {
    #[serde(flatten)]
    pub metrics: FundMetrics,
    pub version: String,
}

/// Fund metrics of the LP flows in `input` with residual value `nav`.
pub fn metrics(input: &Data, nav: f64) -> AppResult<MetricsReport> {
    let t = read_flows(input)?;
    Ok(MetricsReport {
        metrics: fund_metrics(&t, nav)?,
        version: version(),
    })
}

/// `cashflow pme`: public-market equivalents.
#[derive(Debug, Clone, Serialize)]
pub struct PmeReport {
    #[serde(flatten)]
    pub pme: Pme,
    pub version: String,
}

/// PMEs of the flows and index levels in `input` with residual value `nav`.
pub fn pme(input: &Data, nav: f64) -> AppResult<PmeReport> {
    let t = read_flows(input)?;
    Ok(PmeReport {
        pme: pme_of(&t, nav)?,
        version: version(),
    })
}

/// Inputs echoed by [`WaterfallReport`].
#[derive(Debug, Clone, Serialize)]
pub struct WaterfallInputs {
    pub contributed: f64,
    pub proceeds: f64,
    pub years: f64,
    pub terms: WaterfallTerms,
}

/// `cashflow waterfall`: LP and GP by tier.
#[derive(Debug, Clone, Serialize)]
pub struct WaterfallReport {
    #[serde(flatten)]
    pub result: WaterfallResult,
    pub inputs: WaterfallInputs,
    pub version: String,
}

/// The European waterfall of one call of `contributed` and one distribution of `proceeds`
/// `years` later.
pub fn waterfall(
    contributed: f64,
    proceeds: f64,
    years: f64,
    terms: WaterfallTerms,
) -> AppResult<WaterfallReport> {
    let result = european_waterfall_simple(contributed, proceeds, years, &terms)?;
    Ok(WaterfallReport {
        result,
        inputs: WaterfallInputs {
            contributed,
            proceeds,
            years,
            terms,
        },
        version: version(),
    })
}
