//! `financing cost | compare`: what each kind of startup money costs, and founders'
//! proceeds by financing path.

use serde::Serialize;
/// The terms of the four financing paths, as a compare request names them.
pub use venturelab::captable::financing::PathTerms;
use venturelab::captable::financing::{compare_paths, rbf, venture_debt, Cost, PathComparison};

use crate::error::AppResult;
use crate::source::{numbers, Data};

/// Monthly revenue an RBF advance is repaid from.
#[derive(Debug, Clone)]
pub enum Revenue {
    /// One number per month.
    Months(Vec<f64>),
    /// A file of one number per line.
    File(Data),
    /// `first` growing by `growth` a month for `months` months.
    Growing {
        first: f64,
        growth: f64,
        months: usize,
    },
}

impl Revenue {
    /// The monthly amounts.
    pub fn months(&self) -> AppResult<Vec<f64>> {
        Ok(match self {
            Revenue::Months(v) => v.clone(),
            Revenue::File(d) => numbers(&d.read()?, &d.name())?,
            Revenue::Growing {
                first,
                growth,
                months,
            } => (0..{
                crate::limits::check_memory("months", months, 16e6 + *months as f64 * 16.0)?;
                *months
            })
                .map(|m| first * (1.0 + growth).powi(m as i32))
                .collect(),
        })
    }
}

/// The cost of one instrument.
#[derive(Debug, Clone)]
pub enum CostRequest {
    /// Revenue-based financing: `share` of revenue until `cap` × `advance` is repaid.
    Rbf {
        advance: f64,
        share: f64,
        cap: f64,
        revenue: Revenue,
    },
    /// Venture debt: interest-only months, then amortising; warrants valued at the exit.
    Debt {
        principal: f64,
        rate: f64,
        io_months: usize,
        amort_months: usize,
        warrant_value: f64,
        exit_month: usize,
    },
}

/// `financing cost`: the repayment schedule and its effective rates.
#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    #[serde(flatten)]
    pub cost: Cost,
    pub version: String,
}

/// Runs `financing cost`.
pub fn cost(req: &CostRequest) -> AppResult<CostReport> {
    let cost = match req {
        CostRequest::Rbf {
            advance,
            share,
            cap,
            revenue,
        } => rbf(*advance, *share, *cap, &revenue.months()?)?,
        CostRequest::Debt {
            principal,
            rate,
            io_months,
            amort_months,
            warrant_value,
            exit_month,
        } => {
            // The schedule has a row (about 200 bytes) a month.
            let months = io_months.saturating_add(*amort_months).max(*exit_month);
            let name = if io_months >= amort_months {
                "io_months"
            } else {
                "amort_months"
            };
            crate::limits::check_memory(name, months, 16e6 + months as f64 * 200.0)?;
            venture_debt(
                *principal,
                *rate,
                *io_months,
                *amort_months,
                *warrant_value,
                *exit_month,
            )?
        }
    };
    Ok(CostReport {
        cost,
        version: venturelab::VERSION.to_string(),
    })
}

/// `financing compare`: founders' proceeds at each exit value under each path.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    pub assumptions: PathTerms,
    pub rows: Vec<PathComparison>,
    pub version: String,
}

/// Runs `financing compare`.
pub fn compare(terms: &PathTerms, exit_values: &[f64]) -> AppResult<CompareReport> {
    Ok(CompareReport {
        assumptions: terms.clone(),
        rows: compare_paths(terms, exit_values)?,
        version: venturelab::VERSION.to_string(),
    })
}
