//! Day-count conventions: how many years lie between two dates.
//!
//! XNPV and XIRR discount each flow by `(1 + rate)^-τ` where `τ` is the year fraction from
//! the first date. Excel uses Actual/365 Fixed; fund accountants and loan agreements often
//! need another basis. Each convention here is an integer count of "ticks" between the
//! dates and a fixed number of ticks per year, so that the IRR solver (which works on
//! integer ticks) handles all of them exactly:
//!
//! | convention      | ticks                          | per year  | source |
//! |-----------------|--------------------------------|-----------|--------|
//! | Actual/365F     | actual days                    | 365       | Excel XIRR/XNPV; ISDA 2006 §4.16(d) |
//! | Actual/360      | actual days                    | 360       | ISDA 2006 §4.16(e) |
//! | Actual/Actual ISDA | days in non-leap years × 366 + days in leap years × 365 | 365 × 366 | ISDA 2006 §4.16(b) |
//! | 30/360 US       | 30/360 days with the US (SIA) end-of-month rules | 360 | SIA *Standard Securities Calculation Methods* |
//! | 30E/360         | 30/360 days, day 31 read as 30 | 360       | ISDA 2006 §4.16(g) (Eurobond basis) |
//!
//! Actual/Actual ISDA splits the period at each 1 January: the days falling in a leap year
//! count 1/366 of a year each, the others 1/365; in ticks of 1/(365·366) year both are
//! integers.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A day-count convention for dated cash flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum DayCount {
    /// Actual days / 365 (Excel's XIRR and XNPV; the default).
    #[default]
    #[serde(rename = "ACT/365F")]
    Act365F,
    /// Actual days / 360 (money markets, many loan agreements).
    #[serde(rename = "ACT/360")]
    Act360,
    /// Actual/Actual ISDA: days in leap years / 366 plus days in other years / 365.
    #[serde(rename = "ACT/ACT ISDA")]
    ActActIsda,
    /// 30/360 US (bond basis) with the SIA end-of-February rules.
    #[serde(rename = "30/360 US")]
    Thirty360Us,
    /// 30E/360 (Eurobond basis): day 31 counts as day 30, February has no special rule.
    #[serde(rename = "30E/360")]
    Thirty360E,
}

impl DayCount {
    /// Every convention, in the order the documentation lists them.
    pub const ALL: [DayCount; 5] = [
        DayCount::Act365F,
        DayCount::Act360,
        DayCount::ActActIsda,
        DayCount::Thirty360Us,
        DayCount::Thirty360E,
    ];

    /// The convention's usual name, as reports print it ("ACT/365F").
    pub fn name(self) -> &'static str {
        match self {
            DayCount::Act365F => "ACT/365F",
            DayCount::Act360 => "ACT/360",
            DayCount::ActActIsda => "ACT/ACT ISDA",
            DayCount::Thirty360Us => "30/360 US",
            DayCount::Thirty360E => "30E/360",
        }
    }

    /// Ticks per year: the denominator of the year fraction.
    pub fn ticks_per_year(self) -> f64 {
        match self {
            DayCount::Act365F => 365.0,
            DayCount::Act360 | DayCount::Thirty360Us | DayCount::Thirty360E => 360.0,
            DayCount::ActActIsda => 365.0 * 366.0,
        }
    }

    /// Ticks from `start` to `end` (negative when `end` is before `start`).
    pub fn ticks(self, start: NaiveDate, end: NaiveDate) -> i64 {
        if end < start {
            return -self.ticks(end, start);
        }
        match self {
            DayCount::Act365F | DayCount::Act360 => (end - start).num_days(),
            DayCount::ActActIsda => act_act_isda_ticks(start, end),
            DayCount::Thirty360Us => thirty_360_us(start, end),
            DayCount::Thirty360E => thirty_e_360(start, end),
        }
    }

    /// Years from `start` to `end` on this basis.
    pub fn year_fraction(self, start: NaiveDate, end: NaiveDate) -> f64 {
        self.ticks(start, end) as f64 / self.ticks_per_year()
    }
}

impl std::str::FromStr for DayCount {
    type Err = String;

    /// Reads a convention's name, ignoring case, spaces, `_` and `-`, and accepting the
    /// common aliases (`act365`, `actual/360`, `30u/360`, `eurobond`...).
    fn from_str(s: &str) -> Result<DayCount, String> {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .replace("actual", "act");
        Ok(match key.as_str() {
            "act/365f" | "act/365" | "act365f" | "act365" | "act/365fixed" => DayCount::Act365F,
            "act/360" | "act360" => DayCount::Act360,
            "act/actisda" | "actactisda" | "act/act" | "actact" => DayCount::ActActIsda,
            "30/360us" | "30/360" | "30u/360" | "30us/360" | "bond" | "30360us" | "30360" => {
                DayCount::Thirty360Us
            }
            "30e/360" | "30e360" | "eurobond" => DayCount::Thirty360E,
            _ => {
                return Err(format!(
                    "unknown day count '{s}'; expected one of {}",
                    DayCount::ALL.map(DayCount::name).join(", ")
                ))
            }
        })
    }
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

/// 1 January of `year` (`None` beyond chrono's range, where no date can be anyway).
fn new_year(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// Days of `[start, end)` in non-leap years × 366 plus days in leap years × 365: the year
/// fraction times 365 × 366. `start <= end`.
fn act_act_isda_ticks(start: NaiveDate, end: NaiveDate) -> i64 {
    let mut ticks = 0;
    let mut from = start;
    while from < end {
        let year = from.year();
        let to = new_year(year + 1).map_or(end, |n| n.min(end));
        let days = (to - from).num_days();
        ticks += days * if is_leap(year) { 365 } else { 366 };
        from = to;
    }
    ticks
}

fn last_of_february(d: NaiveDate) -> bool {
    d.month() == 2 && d.succ_opt().is_none_or(|n| n.month() == 3)
}

/// `360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)` with the days already adjusted.
fn thirty_360(start: NaiveDate, end: NaiveDate, d1: u32, d2: u32) -> i64 {
    360 * (i64::from(end.year()) - i64::from(start.year()))
        + 30 * (i64::from(end.month()) - i64::from(start.month()))
        + (i64::from(d2) - i64::from(d1))
}

/// 30/360 US (SIA): in this order, (1) both dates the last day of February: D2 = 30;
/// (2) the first date the last day of February: D1 = 30; (3) D2 = 31 and D1 ≥ 30: D2 = 30;
/// (4) D1 = 31: D1 = 30.
fn thirty_360_us(start: NaiveDate, end: NaiveDate) -> i64 {
    let (mut d1, mut d2) = (start.day(), end.day());
    if last_of_february(start) && last_of_february(end) {
        d2 = 30;
    }
    if last_of_february(start) {
        d1 = 30;
    }
    if d2 == 31 && d1 >= 30 {
        d2 = 30;
    }
    if d1 == 31 {
        d1 = 30;
    }
    thirty_360(start, end, d1, d2)
}

/// 30E/360: D1 = min(D1, 30), D2 = min(D2, 30).
fn thirty_e_360(start: NaiveDate, end: NaiveDate) -> i64 {
    thirty_360(start, end, start.day().min(30), end.day().min(30))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn isda_1998_act_act_example() {
        // ISDA, "EMU and Market Conventions: Recent Developments" (1998), §4, example 1:
        // 1 Nov 2003 to 1 May 2004 is 61/365 + 121/366 = 0.49772 (ISDA basis).
        let f = DayCount::ActActIsda.year_fraction(d("2003-11-01"), d("2004-05-01"));
        assert!((f - (61.0 / 365.0 + 121.0 / 366.0)).abs() < 1e-15, "{f}");
        assert!((f - 0.49772).abs() < 5e-6);
        // A whole leap year and a whole common year are each exactly one year.
        assert_eq!(
            DayCount::ActActIsda.year_fraction(d("2004-01-01"), d("2005-01-01")),
            1.0
        );
        assert_eq!(
            DayCount::ActActIsda.year_fraction(d("2005-01-01"), d("2006-01-01")),
            1.0
        );
    }

    #[test]
    fn thirty_360_rules_written_out() {
        // 30/360 US, rule (2) then (3): 28 Feb 2007 (last of Feb) -> D1 = 30; 31 Aug 2007
        // with D1 >= 30 -> D2 = 30: 30 (8 - 2) + (30 - 30) = 180 days.
        assert_eq!(
            DayCount::Thirty360Us.ticks(d("2007-02-28"), d("2007-08-31")),
            180
        );
        // 30E/360 has no February rule: D1 = 28, D2 = 30: 180 + 2 = 182.
        assert_eq!(
            DayCount::Thirty360E.ticks(d("2007-02-28"), d("2007-08-31")),
            182
        );
        // Rule (1): both the last of February: 29 Feb 2008 to 28 Feb 2009 is one year.
        assert_eq!(
            DayCount::Thirty360Us.ticks(d("2008-02-29"), d("2009-02-28")),
            360
        );
        // Rule (3) needs D1 >= 30: 15 Jan to 31 Mar keeps D2 = 31: 60 + 16 = 76.
        assert_eq!(
            DayCount::Thirty360Us.ticks(d("2007-01-15"), d("2007-03-31")),
            76
        );
        // 30E/360 caps it: 60 + 15 = 75.
        assert_eq!(
            DayCount::Thirty360E.ticks(d("2007-01-15"), d("2007-03-31")),
            75
        );
    }

    #[test]
    fn reversed_dates_are_negative() {
        for dc in DayCount::ALL {
            assert_eq!(
                dc.ticks(d("2024-03-31"), d("2021-01-15")),
                -dc.ticks(d("2021-01-15"), d("2024-03-31"))
            );
        }
    }

    #[test]
    fn names_parse_back() {
        for dc in DayCount::ALL {
            assert_eq!(dc.name().parse::<DayCount>().unwrap(), dc);
        }
        assert_eq!("act_360".parse::<DayCount>().unwrap(), DayCount::Act360);
        let e = "act/364".parse::<DayCount>().unwrap_err();
        assert!(e.contains("ACT/ACT ISDA"), "{e}");
    }
}
