//! Parsing helpers shared by every scenario file and command-line flag.
//!
//! - Money: a plain number or one with a suffix `k` (thousand), `M` (million), `B`
//!   (billion), `T` (trillion), case-insensitive for k/m/b/t; `$`, `_` and `,` are
//!   ignored: `250k`, `10M`, `"$2.5B"`, `1_000_000`.
//! - Rates: a fraction (`0.08`) or a percentage string (`"8%"`). Both forms are the same
//!   number: `"8%"` = `0.08`. A bare number above 1 in size (`8`) is refused: it is as
//!   likely meant as 8% as 800%, so a rate beyond ±100% is written with `%` (`150%`).
//!
//! [`Money`] and [`Rate`] deserialize from TOML/JSON numbers or strings in these forms, so
//! a scenario field typed `Money` accepts `fund_size = "100M"` as well as `1e8`.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Parses an amount of money: `250k`, `10M`, `2.5B`, `$1,000`, `-3.5m`.
pub fn parse_money(text: &str) -> Result<f64, String> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '$' | '_' | ',' | ' '))
        .collect();
    let (number, mult) = match cleaned.chars().last() {
        Some('k' | 'K') => (&cleaned[..cleaned.len() - 1], 1e3),
        Some('m' | 'M') => (&cleaned[..cleaned.len() - 1], 1e6),
        Some('b' | 'B') => (&cleaned[..cleaned.len() - 1], 1e9),
        Some('t' | 'T') => (&cleaned[..cleaned.len() - 1], 1e12),
        _ => (cleaned.as_str(), 1.0),
    };
    match number.parse::<f64>() {
        Ok(v) if (v * mult).is_finite() => Ok(v * mult),
        // `2e300B` reads as a number but its amount is beyond any f64.
        Ok(v) if v.is_finite() => Err(format!(
            "'{}' is too large an amount (at most about 1.8e308)",
            text.trim()
        )),
        _ => Err(format!(
            "expected an amount such as 250000, 250k, 10M or 2.5B, got '{}'",
            text.trim()
        )),
    }
}

/// Parses a rate: `0.08` or `8%` (both mean 8%). `-5%` is allowed; range checks belong to
/// the caller, which knows what the rate is for. A bare number above 1 in size is refused
/// ([`bare_rate`]); `150%` is how a rate above 100% is written.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let bad = || format!("expected a rate such as 0.08 or 8%, got '{t}'");
    let v = if let Some(p) = t.strip_suffix('%') {
        p.trim().parse::<f64>().map_err(|_| bad())? / 100.0
    } else {
        let v = t.parse::<f64>().map_err(|_| bad())?;
        if v.is_finite() {
            bare_rate(v)?;
        }
        v
    };
    if v.is_finite() {
        Ok(v)
    } else {
        Err(bad())
    }
}

/// `v`, a rate written without `%`, if it lies in [-1, 1]; else an error that says why it is
/// refused and how to write either reading (`8` could be 8% or 800%: write `8%` or `0.08`,
/// or `800%` if that was meant).
pub fn bare_rate(v: f64) -> Result<f64, String> {
    if v.abs() <= 1.0 {
        return Ok(v);
    }
    let w = num(v);
    Err(format!(
        "a rate of {w} without % is ambiguous: write {w}% (= {}) or {}% if {w} was meant as a fraction",
        num(v / 100.0),
        num(v * 100.0)
    ))
}

/// `v` if it lies in [0, 1], else an error naming `key` and what the value is (`"rate"`,
/// `"probability"`).
pub fn unit_interval(key: &str, v: f64, what: &str) -> crate::Result<f64> {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(crate::Error::key(
            key,
            format!("expected a {what} between 0 and 1, got {}", num(v)),
        ))
    }
}

/// `v` if it is a finite number ≥ 0, else an error naming `key`.
pub fn non_negative(key: &str, v: f64) -> crate::Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(crate::Error::key(
            key,
            format!("expected a non-negative number, got {}", num(v)),
        ))
    }
}

/// The largest amount of money a scenario may hold in one field: $1 quadrillion, above
/// all the venture capital ever raised and far enough from f64's range that sums of
/// amounts times counts and multiples stay finite.
pub const MAX_AMOUNT: f64 = 1e15;

/// `v` if it is an amount of money from 0 to [`MAX_AMOUNT`], else an error naming `key`.
pub fn amount(key: &str, v: f64) -> crate::Result<f64> {
    if v.is_finite() && (0.0..=MAX_AMOUNT).contains(&v) {
        Ok(v)
    } else {
        Err(crate::Error::key(
            key,
            format!(
                "expected an amount from 0 to {MAX_AMOUNT:e} (a quadrillion), got {}",
                num(v)
            ),
        ))
    }
}

/// A number for a message: as Rust writes it when that is short, else in e-notation
/// (`1e300`, not three hundred digits).
pub fn num(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The TOML key of entry `i` of a list of named tables (`vendors.cloud`; `vendors.2` when
/// unnamed), after checking that it has a name that no `earlier` entry has; `what` names the
/// entries in the message ("two vendor lines have this name").
pub fn list_entry_key<'a>(
    list: &str,
    i: usize,
    name: &str,
    earlier: impl IntoIterator<Item = &'a str>,
    what: &str,
) -> crate::Result<String> {
    if name.is_empty() {
        return Err(crate::Error::key(format!("{list}.{i}.name"), "missing"));
    }
    let key = format!("{list}.{name}");
    if earlier.into_iter().any(|n| n == name) {
        return Err(crate::Error::key(
            format!("{key}.name"),
            format!("two {what} have this name"),
        ));
    }
    Ok(key)
}

/// A money amount read from a scenario: a number, or a string with a suffix.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Default)]
#[serde(transparent)]
pub struct Money(pub f64);

/// A rate read from a scenario: a fraction, or a percentage string.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Default)]
#[serde(transparent)]
pub struct Rate(pub f64);

/// A number or a text: the text parser, what is expected, and the check a plain number
/// passes (a rate's [`bare_rate`]; none for money).
struct NumberOrText(
    fn(&str) -> Result<f64, String>,
    &'static str,
    fn(f64) -> Result<f64, String>,
);

impl Visitor<'_> for NumberOrText {
    type Value = f64;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.1)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        if v.is_finite() {
            (self.2)(v).map_err(E::custom)
        } else {
            // Range checks of the caller name non-finite values with their key.
            Ok(v)
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        self.visit_f64(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        (self.0)(v).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberOrText(
            parse_money,
            "an amount such as 250000 or \"10M\"",
            Ok,
        ))
        .map(Money)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberOrText(
            parse_rate,
            "a rate such as 0.08 or \"8%\"",
            bare_rate,
        ))
        .map(Rate)
    }
}

/// A TOML error as one line that names the line, the dotted key of the value it is about
/// (`fund.size`, `fees.schedule.0.rate`) and the parser's message; a whole-number field
/// given something else says which whole numbers it takes.
pub fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let written = text.get(span.clone()).unwrap_or("").trim();
            let msg = whole_number_message(&msg, written).unwrap_or(msg);
            let msg = match key_at(text, span.start) {
                Some(key) => format!("{key}: {msg}"),
                None => msg,
            };
            Error::line(
                None,
                text[..span.start.min(text.len())].matches('\n').count() + 1,
                None,
                msg,
            )
        }
        None => Error::input("scenario", msg),
    }
}

/// serde's "invalid type: floating point `1000...0.0`, expected u32" as "expected a whole
/// number from 0 to 4294967295, got 1e300" (the value as written).
fn whole_number_message(msg: &str, written: &str) -> Option<String> {
    let (_, ty) = msg.rsplit_once(", expected ")?;
    let range = match ty {
        "u8" => "from 0 to 255".to_string(),
        "u16" => "from 0 to 65535".to_string(),
        "u32" => format!("from 0 to {}", u32::MAX),
        "u64" | "usize" => format!("from 0 to {}", u64::MAX),
        "i32" => format!("from {} to {}", i32::MIN, i32::MAX),
        "i64" => format!("from {} to {}", i64::MIN, i64::MAX),
        _ => return None,
    };
    Some(format!("expected a whole number {range}, got {written}"))
}

/// The dotted key (array entries by index) of the innermost key or value of `text` that
/// holds byte `offset`: where a deserialization error points. `None` when the text does not
/// parse as TOML (a syntax error has only its line).
pub fn key_at(text: &str, offset: usize) -> Option<String> {
    use toml::de::{DeTable, DeValue};
    use toml::Spanned;
    fn within(span: std::ops::Range<usize>, offset: usize) -> bool {
        span.start <= offset && offset < span.end.max(span.start + 1)
    }
    fn value(v: &Spanned<DeValue>, offset: usize, path: &mut Vec<String>) -> bool {
        match v.get_ref() {
            DeValue::Table(t) => table(t, offset, path),
            DeValue::Array(a) => a.iter().enumerate().any(|(i, item)| {
                path.push(i.to_string());
                let found = value(item, offset, path) || within(item.span(), offset);
                if !found {
                    path.pop();
                }
                found
            }),
            _ => false,
        }
    }
    fn table(t: &DeTable, offset: usize, path: &mut Vec<String>) -> bool {
        t.iter().any(|(k, v)| {
            path.push(k.get_ref().to_string());
            // Deepest first: a table's span may cover only its header.
            let found =
                value(v, offset, path) || within(k.span(), offset) || within(v.span(), offset);
            if !found {
                path.pop();
            }
            found
        })
    }
    let doc = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    (table(doc.get_ref(), offset, &mut path) && !path.is_empty()).then(|| path.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_suffixes() {
        assert_eq!(parse_money("250k"), Ok(250_000.0));
        assert_eq!(parse_money("10M"), Ok(10_000_000.0));
        assert_eq!(parse_money("2.5B"), Ok(2_500_000_000.0));
        assert_eq!(parse_money("$1,000"), Ok(1000.0));
        assert_eq!(parse_money("1_000_000"), Ok(1_000_000.0));
        assert_eq!(parse_money("-3.5m"), Ok(-3_500_000.0));
        assert!(parse_money("ten").is_err());
        assert!(parse_money("10X").is_err());
        assert!(parse_money("").is_err());
    }

    #[test]
    fn rates_as_fraction_or_percent() {
        assert_eq!(parse_rate("0.08"), Ok(0.08));
        assert_eq!(parse_rate("8%"), Ok(0.08));
        assert_eq!(parse_rate(" 12.5 % "), Ok(0.125));
        assert!(parse_rate("8 percent").is_err());
        assert!(parse_rate("NaN").is_err());
    }

    #[test]
    fn a_bare_rate_above_one_is_refused() {
        // `8` could be 8% or 800%; both spellings are suggested.
        let e = parse_rate("8").unwrap_err();
        assert!(
            e.contains("8%") && e.contains("0.08") && e.contains("800%"),
            "{e}"
        );
        assert!(parse_rate("-1.5").is_err());
        assert!(parse_rate("1.0000001").is_err());
        // The edges and every rate written with %.
        assert_eq!(parse_rate("1"), Ok(1.0));
        assert_eq!(parse_rate("-1"), Ok(-1.0));
        assert_eq!(parse_rate("150%"), Ok(1.5));
        assert_eq!(parse_rate("-800%"), Ok(-8.0));
    }

    #[test]
    fn a_scenario_rate_follows_the_same_rule() {
        #[derive(Deserialize)]
        struct R {
            r: Rate,
        }
        let read = |t: &str| toml::from_str::<R>(t).map(|x| x.r.0);
        assert_eq!(read("r = 0.2").unwrap(), 0.2);
        assert_eq!(read("r = 1").unwrap(), 1.0);
        assert_eq!(read("r = \"150%\"").unwrap(), 1.5);
        for t in ["r = 8", "r = 2.5", "r = -3", "r = \"8\""] {
            let e = read(t).unwrap_err().to_string();
            assert!(e.contains("without %"), "{t}: {e}");
        }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Terms {
        size: Money,
        fee: Rate,
    }

    #[test]
    fn toml_fields_accept_numbers_and_strings() {
        let t: Terms = toml::from_str("size = \"100M\"\nfee = \"2%\"").unwrap();
        assert_eq!((t.size.0, t.fee.0), (1e8, 0.02));
        let t: Terms = toml::from_str("size = 5e7\nfee = 0.025").unwrap();
        assert_eq!((t.size.0, t.fee.0), (5e7, 0.025));
        let err = toml::from_str::<Terms>("size = \"lots\"\nfee = 0.02")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("size") && err.contains("lots"), "{err}");
        let err = toml::from_str::<Terms>("size = 1\nfee = 0.02\nextra = 1")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("extra"), "{err}");
    }
}
