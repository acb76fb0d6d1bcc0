//! Fund cash-flow tables read from CSV.
//!
//! A header line names the columns: `date` (ISO `YYYY-MM-DD`) or `period` (an integer),
//! `amount` (negative = contribution by the LP, positive = distribution to the LP), and
//! optionally `index` (the level of a public index on that row, for PME) and `nav` (the
//! fund's reported net asset value after that row's flows, for the modified PME). Rows must be in
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
    /// The fund's net asset value after each row's flows, when the file has a `nav` column
    /// (needed only by the modified PME).
    pub nav: Option<Vec<f64>>,
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

    /// The rate (IRR) of `values` laid on this table's timeline. Rows at the same time
    /// (a call and a distribution of one period) are added together first: for a rate only
    /// the net flow at each time matters, while the multiples need the gross rows.
    pub fn rate_of(&self, values: &[f64]) -> Result<f64> {
        let (ticks, unit) = self.ticks();
        let mut net_ticks: Vec<i64> = Vec::with_capacity(ticks.len());
        let mut net: Vec<f64> = Vec::with_capacity(values.len());
        for (&t, &v) in ticks.iter().zip(values) {
            if net_ticks.last() == Some(&t) {
                *net.last_mut().expect("a row at this time") += v;
            } else {
                net_ticks.push(t);
                net.push(v);
            }
        }
        super::periodic::irr_ticks(&net, Some(&net_ticks), unit)
    }

    /// A table from the gross calls and distributions of each time, never netted: a time
    /// with both becomes two rows at that time (the call, then the distribution), so that
    /// paid-in and distributed (and with them TVPI, DPI and every PME) are the totals of
    /// the two columns. `calls` and `distributions` are non-negative amounts, one per
    /// entry of `timeline` (and of `index` when given). A time with neither keeps one row
    /// of zero.
    pub fn from_gross(
        timeline: Timeline,
        calls: &[f64],
        distributions: &[f64],
        index: Option<&[f64]>,
    ) -> Result<FlowTable> {
        let n = match &timeline {
            Timeline::Dates(d) => d.len(),
            Timeline::Periods(p) => p.len(),
        };
        if n == 0 {
            return Err(Error::param(
                "timeline",
                "expected at least one time, got none",
            ));
        }
        for (name, len) in [
            ("calls", calls.len()),
            ("distributions", distributions.len()),
            ("index", index.map_or(n, <[f64]>::len)),
        ] {
            if len != n {
                return Err(Error::param(
                    name,
                    format!("expected one value per time ({n}), got {len}"),
                ));
            }
        }
        for (name, col) in [("calls", calls), ("distributions", distributions)] {
            if let Some((i, v)) = col
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
            {
                return Err(Error::param(
                    name,
                    format!(
                        "value {} is {v}; expected a non-negative finite amount",
                        i + 1
                    ),
                ));
            }
        }
        if let Some((i, v)) = index
            .into_iter()
            .flatten()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v > 0.0))
        {
            return Err(Error::param(
                "index",
                format!(
                    "value {} is {v}; an index level must be positive and finite",
                    i + 1
                ),
            ));
        }
        match &timeline {
            Timeline::Dates(d) => {
                if let Some(i) = (1..n).find(|&i| d[i] < d[i - 1]) {
                    return Err(Error::param(
                        "timeline",
                        format!(
                            "time {} ({}) comes before the previous one ({})",
                            i + 1,
                            d[i],
                            d[i - 1]
                        ),
                    ));
                }
            }
            Timeline::Periods(p) => check_periods(p)
                .map_err(|(i, m)| Error::param("timeline", format!("time {}: {m}", i + 1)))?,
        }
        // Which source time each row comes from, and its amount.
        let mut rows: Vec<(usize, f64)> = Vec::with_capacity(2 * n);
        for i in 0..n {
            let (c, d) = (calls[i], distributions[i]);
            if c > 0.0 {
                rows.push((i, -c));
            }
            if d > 0.0 || c == 0.0 {
                rows.push((i, d));
            }
        }
        let timeline = match timeline {
            Timeline::Dates(d) => Timeline::Dates(rows.iter().map(|&(i, _)| d[i]).collect()),
            Timeline::Periods(p) => Timeline::Periods(rows.iter().map(|&(i, _)| p[i]).collect()),
        };
        Ok(FlowTable {
            timeline,
            amounts: rows.iter().map(|&(_, a)| a).collect(),
            index: index.map(|x| rows.iter().map(|&(i, _)| x[i]).collect()),
            nav: None,
        })
    }

    /// What a rate computed on this table means.
    pub fn rate_basis(&self) -> &'static str {
        match self.timeline {
            Timeline::Dates(_) => "annual, Actual/365 (as Excel XIRR)",
            Timeline::Periods(_) => "per period",
        }
    }
}

/// Checks that periods are in order and that each lies within `i64` of the first (so that
/// the time from the first row never overflows); on failure the index of the offending
/// period and why.
fn check_periods(p: &[i64]) -> std::result::Result<(), (usize, String)> {
    for i in 1..p.len() {
        if p[i] < p[i - 1] {
            return Err((
                i,
                format!(
                    "period {} comes before the previous row's {}; rows must be in time order",
                    p[i],
                    p[i - 1]
                ),
            ));
        }
        if p[i].checked_sub(p[0]).is_none() {
            return Err((
                i,
                format!(
                    "period {} is too far from the first period {}: the span must fit in a 64-bit integer ({})",
                    p[i],
                    p[0],
                    i64::MAX
                ),
            ));
        }
    }
    Ok(())
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
    let nav_col = col("nav");
    for (i, h) in headers.iter().enumerate() {
        if let Some(j) = headers
            .iter()
            .skip(i + 1)
            .position(|g| g.eq_ignore_ascii_case(h))
        {
            return Err(Error::line(
                Some(source),
                1,
                Some(h),
                format!(
                    "the header names the column `{h}` twice (columns {} and {}); each column must appear once",
                    i + 1,
                    i + j + 2
                ),
            ));
        }
    }
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
    let mut navs = Vec::new();
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
            periods.push(p);
            if let Err((_, m)) =
                check_periods(&[periods[0], periods[periods.len().saturating_sub(2)], p])
            {
                return Err(Error::line(Some(source), line, Some("period"), m));
            }
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
        if let Some(c) = nav_col {
            let v = number(c, "nav")?;
            if v < 0.0 {
                return Err(Error::line(
                    Some(source),
                    line,
                    Some("nav"),
                    format!("a net asset value must not be negative, got {v}"),
                ));
            }
            navs.push(v);
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
        nav: nav_col.map(|_| navs),
    })
}
