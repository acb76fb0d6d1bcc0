//! Fund cash-flow tables read from CSV.
//!
//! A header line names the columns: `date` (ISO `YYYY-MM-DD`) or `period` (an integer),
//! `amount` (negative = contribution by the LP, positive = distribution to the LP), and
//! optionally `index` (the level of a public index on that row, for PME). Rows must be in
//! time order; several rows may share a date. Errors name the source, the line and the
//! column.

use std::io::Read;

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// When each flow happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Timeline {
    /// Calendar dates; rates derived from them are annual (Actual/365).
    Dates(Vec<NaiveDate>),
    /// Integer period numbers; rates derived from them are per period.
    Periods(Vec<i64>),
}

/// A fund's cash flows as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowTable {
    pub timeline: Timeline,
    /// Amounts: negative = paid in by the LP, positive = paid out to the LP.
    pub amounts: Vec<f64>,
    /// Public index level on each row, when the file has an `index` column.
    pub index: Option<Vec<f64>>,
}

impl FlowTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.amounts.len()
    }

    /// True when there are no rows (never true for a parsed table).
    pub fn is_empty(&self) -> bool {
        self.amounts.is_empty()
    }

    /// Time of each row from the first row as integer ticks, and ticks per rate period:
    /// days and 365 (Actual/365 annual rates) for dates, periods and 1 otherwise.
    pub fn ticks(&self) -> (Vec<i64>, f64) {
        match &self.timeline {
            Timeline::Dates(d) => (d.iter().map(|&x| (x - d[0]).num_days()).collect(), 365.0),
            Timeline::Periods(p) => (p.iter().map(|&x| x - p[0]).collect(), 1.0),
        }
    }

    /// The rate (IRR) of `values` laid on this table's timeline.
    pub fn rate_of(&self, values: &[f64]) -> Result<f64> {
        let (ticks, unit) = self.ticks();
        super::periodic::irr_ticks(values, Some(&ticks), unit)
    }

    /// What a rate computed on this table means.
    pub fn rate_basis(&self) -> &'static str {
        match self.timeline {
            Timeline::Dates(_) => "annual, Actual/365 (as Excel XIRR)",
            Timeline::Periods(_) => "per period",
        }
    }
}

/// Parses a cash-flow CSV. `source` names the input in error messages (a file name).
pub fn parse_flows_csv<R: Read>(reader: R, source: &str) -> Result<FlowTable> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| Error::input(source, format!("cannot read the header line: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let date_col = col("date");
    let period_col = col("period");
    let amount_col = col("amount").ok_or_else(|| {
        Error::input(
            source,
            format!(
                "the header must have an `amount` column (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let index_col = col("index");
    if date_col.is_some() == period_col.is_some() {
        return Err(Error::input(
            source,
            "the header must have exactly one of a `date` or a `period` column",
        ));
    }
    let mut dates = Vec::new();
    let mut periods = Vec::new();
    let mut amounts = Vec::new();
    let mut index = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| {
            Error::line(Some(source), line, None, format!("malformed CSV row: {e}"))
        })?;
        let cell = |c: usize, name: &str| -> Result<&str> {
            rec.get(c)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| Error::line(Some(source), line, Some(name), "the cell is empty"))
        };
        let number = |c: usize, name: &str| -> Result<f64> {
            let s = cell(c, name)?;
            let v: f64 = s.replace('_', "").parse().map_err(|_| {
                Error::line(
                    Some(source),
                    line,
                    Some(name),
                    format!("expected a number, got '{s}'"),
                )
            })?;
            if !v.is_finite() {
                return Err(Error::line(
                    Some(source),
                    line,
                    Some(name),
                    format!("expected a finite number, got '{s}'"),
                ));
            }
            Ok(v)
        };
        if let Some(c) = date_col {
            let s = cell(c, "date")?;
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                Error::line(
                    Some(source),
                    line,
                    Some("date"),
                    format!("expected an ISO date like 2024-03-31, got '{s}'"),
                )
            })?;
            if let Some(&prev) = dates.last() {
                if d < prev {
                    return Err(Error::line(Some(source), line, Some("date"),
                        format!("{d} comes before the previous row's {prev}; rows must be in date order"),
                    ));
                }
            }
            dates.push(d);
        } else if let Some(c) = period_col {
            let s = cell(c, "period")?;
            let p: i64 = s.parse().map_err(|_| {
                Error::line(
                    Some(source),
                    line,
                    Some("period"),
                    format!("expected an integer period, got '{s}'"),
                )
            })?;
            if let Some(&prev) = periods.last() {
                if p < prev {
                    return Err(Error::line(Some(source), line, Some("period"),
                        format!("period {p} comes before the previous row's {prev}; rows must be in time order"),
                    ));
                }
            }
            periods.push(p);
        }
        amounts.push(number(amount_col, "amount")?);
        if let Some(c) = index_col {
            let v = number(c, "index")?;
            if v <= 0.0 {
                return Err(Error::line(
                    Some(source),
                    line,
                    Some("index"),
                    format!("an index level must be positive, got {v}"),
                ));
            }
            index.push(v);
        }
    }
    if amounts.is_empty() {
        return Err(Error::input(
            source,
            "no cash flows: the file has a header but no rows",
        ));
    }
    Ok(FlowTable {
        timeline: if date_col.is_some() {
            Timeline::Dates(dates)
        } else {
            Timeline::Periods(periods)
        },
        amounts,
        index: index_col.map(|_| index),
    })
}
