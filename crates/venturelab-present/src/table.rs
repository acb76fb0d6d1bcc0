//! Plain-text tables for the terminal.

/// Renders rows under headers with columns aligned. A column (but the first) whose cells
/// mostly start with a number ("8.4 months", "21.94M", "30.20% / 53.20%", "-0.25%") is
/// right-aligned as a whole, so that one column never mixes alignments.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let cols = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    let mut numeric = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            width[i] = width[i].max(c.chars().count());
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
                let pad = width[i].saturating_sub(c.chars().count());
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

/// Money with thousands separators and two decimals: 1234.5 -> "1,234.50".
pub fn money(v: f64) -> String {
    // A quadrillion and up: no one reads 300 grouped digits.
    if v.abs() >= 1e15 {
        return format!("{v:.3e}");
    }
    let neg = v < 0.0;
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{}.{}", if neg { "-" } else { "" }, grouped, frac)
}

/// Money in short form for tables of simulated amounts: 1234567 -> "1.23M", 950 -> "950".
pub fn short_money(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        return format!("{v:.0}");
    };
    format!("{x:.2}{suffix}")
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
