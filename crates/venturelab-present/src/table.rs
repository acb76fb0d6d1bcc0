//! Plain-text tables for the terminal, and the number formats of their cells.

use unicode_width::UnicodeWidthStr;

/// Renders rows under headers with columns aligned. A column (but the first) whose cells
/// mostly start with a number ("8.4 months", "21.94M", "30.20% / 53.20%", "-0.25%") is
/// right-aligned as a whole, so that one column never mixes alignments. Widths are display
/// columns (`unicode-width`): a CJK character or an emoji takes two, so holders, vendors
/// and sectors named in any script line up.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cols = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    let mut numeric = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            width[i] = width[i].max(c.width());
            numeric[i] += starts_with_number(c) as usize;
        }
    }
    let right: Vec<bool> = (0..cols)
        .map(|i| i > 0 && !rows.is_empty() && 2 * numeric[i] >= rows.len())
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = width[i].saturating_sub(c.width());
                if right[i] {
                    format!("{}{}", " ".repeat(pad), c)
                } else {
                    format!("{}{}", c, " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(headers.iter().map(|s| s.to_string()).collect(), &mut out);
    line(width.iter().map(|w| "-".repeat(*w)).collect(), &mut out);
    for r in rows {
        line(r.clone(), &mut out);
    }
    out
}

/// Whether a cell starts with a number, after an optional sign or `$`.
fn starts_with_number(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '+', '$']);
    let t = t.strip_prefix('.').unwrap_or(t);
    t.starts_with(|c: char| c.is_ascii_digit())
}

/// A two-column table of names and values.
pub fn key_values(rows: &[(&str, String)]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(k, v)| vec![k.to_string(), v.clone()])
        .collect();
    render(&["metric", "value"], &rows)
}

/// A rate as a percentage with two decimals: 0.08 -> "8.00%".
pub fn pct(v: f64) -> String {
    if v.abs() >= 1e12 {
        // Beyond a trillion percent (and where v * 100 would overflow): the exponent of
        // the fraction plus two.
        let s = format!("{v:.2e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{m}e{}%", e.parse::<i32>().unwrap_or(0) + 2);
    }
    let s = format!("{:.2}%", v * 100.0);
    // A root of -1e-17 is zero to the digits shown, not "-0.00%".
    if s == "-0.00%" {
        "0.00%".to_string()
    } else {
        s
    }
}

/// An optional value formatted by `f`, "n/a" when absent.
pub fn opt(v: Option<f64>, f: fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| "n/a".to_string())
}

/// An optional rate, "n/a" when absent.
pub fn opt_pct(v: Option<f64>) -> String {
    v.map(pct).unwrap_or_else(|| "n/a".to_string())
}

/// What a money or short-money cell shows for a non-finite value: never "NaN.00" or "inf".
const NOT_A_NUMBER: &str = "n/a";

/// Money with thousands separators and two decimals: 1234.5 -> "1,234.50"; from a
/// quadrillion (after rounding to cents) in e-notation; "n/a" for NaN or ±∞.
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    // Round to cents first, then choose the form (-0.001 is "0.00", not "-0.00").
    let s = format!("{:.2}", v.abs());
    // A quadrillion and up: no one reads 300 grouped digits.
    if s.len() > "999999999999999.99".len() {
        return format!("{v:.3e}");
    }
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let neg = v < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    format!("{}{}.{}", if neg { "-" } else { "" }, grouped(int), frac)
}

/// Digits grouped by thousands: "1234567" -> "1,234,567".
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count as prose shows it: 1000000 -> "1,000,000" (funds, runs, portfolios).
pub fn count(n: u64) -> String {
    grouped(&n.to_string())
}

/// Money in short form for tables of simulated amounts: 1234567 -> "1.23M", 950 -> "950".
/// The unit is chosen after rounding to the digits shown, so 999,999 is "1.00M" (not
/// "1000.00k") and 999.6 is "1.00k"; "n/a" for NaN or ±∞.
pub fn short_money(v: f64) -> String {
    if !v.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    // (scale, suffix, decimals); amounts beyond the billions stay in billions.
    const UNITS: [(f64, &str, usize); 4] =
        [(1.0, "", 0), (1e3, "k", 2), (1e6, "M", 2), (1e9, "B", 2)];
    let a = v.abs();
    let mut u = UNITS
        .iter()
        .rposition(|&(scale, _, _)| a >= scale)
        .unwrap_or(0);
    loop {
        let (scale, suffix, decimals) = UNITS[u];
        let s = format!("{:.decimals$}", v / scale);
        let rounded: f64 = s.parse().unwrap_or(0.0);
        if rounded.abs() < 1000.0 || u + 1 == UNITS.len() {
            return format!("{s}{suffix}");
        }
        u += 1;
    }
}

/// A multiple: 2.4567 -> "2.46x".
pub fn multiple(v: f64) -> String {
    format!("{v:.2}x")
}

/// A parameter value for a table cell: six significant digits at most, no trailing zeros
/// (13.333333333333334 -> "13.3333", 20 -> "20", 0.05 -> "0.05").
pub fn short_number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits_before = v.abs().log10().floor() as i32 + 1;
    let decimals = (6 - digits_before).clamp(0, 15) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn formats() {
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(money(-999.0), "-999.00");
        assert_eq!(money(1e303), "1.000e303");
        assert_eq!(pct(0.08), "8.00%");
        assert_eq!(pct(1e308), "1.00e310%");
        assert_eq!(pct(-2.5e12), "-2.50e14%");
        assert_eq!(pct(-1e-17), "0.00%");
        assert_eq!(multiple(2.4567), "2.46x");
        assert_eq!(short_money(1_234_567.0), "1.23M");
        assert_eq!(short_money(-2_500.0), "-2.50k");
        assert_eq!(short_money(3.2e9), "3.20B");
        assert_eq!(short_money(950.4), "950");
        assert_eq!(short_number(13.333333333333334), "13.3333");
        assert_eq!(short_number(20.0), "20");
        assert_eq!(short_number(0.05), "0.05");
        assert_eq!(short_number(-0.123456789), "-0.123457");
        assert_eq!(short_number(2.5e9), "2500000000");
        assert_eq!(short_number(0.0), "0");
    }

    #[test]
    fn the_unit_is_chosen_after_rounding_and_non_finite_is_not_money() {
        // Issue 23: 999,999 rounds to 1000.00 thousands, i.e. 1.00 million.
        assert_eq!(short_money(999_999.0), "1.00M");
        assert_eq!(short_money(999_995_000.0), "1.00B");
        assert_eq!(short_money(-999_999.0), "-1.00M");
        assert_eq!(short_money(999.6), "1.00k");
        assert_eq!(short_money(999_994.0), "999.99k");
        assert_eq!(short_money(999_994_999.0), "999.99M");
        assert_eq!(short_money(4.2e12), "4200.00B");
        assert_eq!(short_money(0.4), "0");
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(short_money(x), "n/a");
            assert_eq!(money(x), "n/a");
        }
        assert_eq!(money(-0.001), "0.00");
        assert_eq!(money(-0.005), "-0.01");
        // The largest double below 1e15 is 999,999,999,999,999.875 (spacing 1/8).
        assert_eq!(money(999_999_999_999_999.9), "999,999,999,999,999.88");
        assert_eq!(money(1e15), "1.000e15");
    }

    #[test]
    fn wide_characters_take_two_columns() {
        // unicode-width (UAX #11): CJK ideographs and emoji are wide, 2 columns each, so a
        // holder named 株式会社 is 8 columns wide, not 4.
        let rows = vec![
            vec!["株式会社".to_string(), "1".to_string()],
            vec!["🚀 rocket".to_string(), "22".to_string()],
            vec!["ab".to_string(), "333".to_string()],
        ];
        let text = render(&["holder", "n"], &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "---------  ---");
        for l in &lines {
            assert_eq!(l.width(), 14, "{l:?} in\n{text}");
        }
        assert_eq!(lines[2], "株式会社     1");
        assert_eq!(lines[3], "🚀 rocket   22");
    }

    #[test]
    fn value_columns_align_right_as_a_whole() {
        let rows = vec![
            vec!["a".to_string(), "8.4 months".to_string()],
            vec!["bb".to_string(), "27.20%".to_string()],
            vec!["c".to_string(), "n/a".to_string()],
        ];
        let text = render(&["metric", "value"], &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "a       8.4 months");
        assert_eq!(lines[3], "bb          27.20%");
        assert_eq!(lines[4], "c              n/a");
        // A text column stays left-aligned.
        let rows = vec![vec!["x".to_string(), "vc".to_string()]];
        assert_eq!(render(&["k", "path"], &rows).lines().nth(2), Some("x  vc"));
        assert!(starts_with_number("-0.25%") && starts_with_number("$1.2M"));
        assert!(starts_with_number(".5") && !starts_with_number("n/a"));
    }
}
