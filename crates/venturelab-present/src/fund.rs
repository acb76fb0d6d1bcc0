//! Text, CSV and charts of the fund reports.

use venturelab::fund::explore::Solved;
use venturelab::fund::{Run, Stat, Summary};
use venturelab_app::fund::{FundSimulateReport, FundSolveReport, FundSweepReport};

use crate::charts::{bar_chart, line_chart, quartile_lines, Axis};
use crate::csv_file::csv_bytes;
use crate::error::{OutFile, PresentResult};
use crate::table::{count, money, multiple, pct, render, short_money, short_number};

/// The p5, p25, median, p75 and p95 of a statistic, formatted.
pub fn quantile_cells(s: &Stat, f: fn(f64) -> String) -> [String; 5] {
    [s.p5, s.p25, s.p50, s.p75, s.p95].map(f)
}

fn stat_row(name: &str, s: &Stat, f: fn(f64) -> String) -> Vec<String> {
    let mut row = vec![name.to_string(), f(s.mean)];
    row.extend(quantile_cells(s, f));
    row
}

fn headline_table(s: &Summary) -> String {
    let num = |x: f64| format!("{x:.2}");
    let rows = vec![
        stat_row("gross multiple", &s.gross_multiple, multiple),
        stat_row("net TVPI", &s.net_tvpi, multiple),
        stat_row("net IRR", &s.net_irr, pct),
        stat_row("top company share", &s.top_company_share, pct),
        stat_row("top 10% share", &s.top_decile_share, pct),
        stat_row("fund returners", &s.fund_returners, num),
    ];
    render(
        &["per fund", "mean", "p5", "p25", "p50", "p75", "p95"],
        &rows,
    )
}

pub fn simulate_text(r: &FundSimulateReport) -> String {
    let s = &r.summary;
    let mut text = format!(
        "{} funds of {} (seed {}): {} companies, {} invested per company\n\n",
        count(s.funds as u64),
        r.origin,
        r.seed,
        r.companies,
        short_money(r.resolved.initial_check)
    );
    text += &headline_table(s);
    text += "\nP(net TVPI >= 1x / 2x / 3x / 5x): ";
    text += &["1", "2", "3", "5"]
        .iter()
        .map(|k| pct(s.prob_net_tvpi_at_least[*k]))
        .collect::<Vec<_>>()
        .join(" / ");
    text += &format!(
        "\nmean fees {} and carry {} per fund\n",
        money(s.fees),
        money(s.carry)
    );
    text += "median DPI by year: ";
    text += &s
        .dpi_by_year
        .iter()
        .map(|b| format!("{}:{:.2}", b.year, b.p50))
        .collect::<Vec<_>>()
        .join(" ");
    text += "\n";
    if !s.vintages.is_empty() {
        text += "net TVPI p25 / p50 / p75 by vintage (factor z):\n";
        for v in &s.vintages {
            text += &format!(
                "  {:>3} ({:+.2}): {:.2}x / {:.2}x / {:.2}x\n",
                v.vintage, v.factor, v.p25, v.p50, v.p75
            );
        }
    }
    text
}

/// `funds.csv` (one row per fund, with detail) and the three charts.
pub fn simulate_files(r: &FundSimulateReport) -> PresentResult<Vec<OutFile>> {
    let mut files = vec![OutFile {
        name: "funds.csv".into(),
        contents: funds_csv(&r.run)?,
    }];
    for (name, svg) in charts(&r.summary, &r.run)? {
        files.push(OutFile::text(name, svg));
    }
    Ok(files)
}

fn funds_csv(r: &Run) -> PresentResult<Vec<u8>> {
    let header = [
        "fund",
        "gross_multiple",
        "net_tvpi",
        "net_irr",
        "top_company_share",
        "top_decile_share",
        "fund_returners",
        "fees",
        "carry",
    ];
    let rows = r.rows.iter().enumerate().map(|(i, row)| {
        [
            i.to_string(),
            row.gross_multiple.to_string(),
            row.net_tvpi.to_string(),
            row.net_irr.to_string(),
            row.top_company_share.to_string(),
            row.top_decile_share.to_string(),
            row.fund_returners.to_string(),
            row.fees.to_string(),
            row.carry.to_string(),
        ]
    });
    csv_bytes(header, rows)
}

/// Distribution of net TVPI, the J-curve band and the share of returns by company rank.
pub fn charts(s: &Summary, r: &Run) -> PresentResult<Vec<(String, String)>> {
    let edges = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0];
    let n = r.rows.len().max(1) as f64;
    let mut bars = Vec::new();
    for (i, lo) in edges.iter().enumerate() {
        let hi = edges.get(i + 1).copied().unwrap_or(f64::INFINITY);
        let c = r
            .rows
            .iter()
            .filter(|x| x.net_tvpi >= *lo && x.net_tvpi < hi)
            .count() as f64;
        let label = if hi.is_finite() {
            format!("{lo}-{hi}x")
        } else {
            format!("{lo}x+")
        };
        bars.push((label, 100.0 * c / n));
    }
    let tvpi = bar_chart("Distribution of net TVPI (% of funds)", "% of funds", &bars)?;
    let jcurve = line_chart(
        "DPI by year (J-curve): quartiles across funds",
        "year",
        Axis::multiple("DPI"),
        &quartile_lines(
            s.dpi_by_year
                .iter()
                .map(|b| (b.year as f64, [b.p25, b.p50, b.p75])),
        ),
    )?;
    let mut ranks: Vec<(String, f64)> = r
        .rank_shares
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, x)| (format!("#{}", i + 1), 100.0 * x))
        .collect();
    let rest: f64 = r.rank_shares.iter().skip(10).sum();
    if r.rank_shares.len() > 10 {
        ranks.push(("rest".into(), 100.0 * rest));
    }
    let rank = bar_chart(
        "Share of a fund's proceeds by company rank (mean %)",
        "% of proceeds",
        &ranks,
    )?;
    Ok(vec![
        ("net_tvpi.svg".into(), tvpi),
        ("j_curve.svg".into(), jcurve),
        ("returns_by_rank.svg".into(), rank),
    ])
}

pub fn solve_text(r: &FundSolveReport) -> String {
    solved_line(&r.solved, r.funds, "funds", r.seed)
}

/// The line of a `solve` (fund or LP): the value found, the metric reached, and the
/// search's size (`n` of `unit` per trial value), seed and steps.
pub(crate) fn solved_line(s: &Solved, n: usize, unit: &str, seed: u64) -> String {
    format!(
        "{} = {:.6} gives {} = {:.6} (target {}), {} {unit}, seed {}, {} search steps\n",
        s.vary,
        s.value,
        s.metric,
        s.achieved,
        s.target,
        count(n as u64),
        seed,
        s.iterations
    )
}

pub fn sweep_text(r: &FundSweepReport) -> String {
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|s| {
            vec![
                short_number(s.value),
                multiple(s.gross_multiple.mean),
                multiple(s.net_tvpi.p25),
                multiple(s.net_tvpi.p50),
                multiple(s.net_tvpi.p75),
                pct(s.prob_net_tvpi_at_least["1"]),
                pct(s.prob_net_tvpi_at_least["3"]),
                pct(s.net_irr.p50),
            ]
        })
        .collect();
    render(
        &[
            r.vary.as_str(),
            "gross mean",
            "net p25",
            "net p50",
            "net p75",
            "P(>=1x)",
            "P(>=3x)",
            "IRR p50",
        ],
        &rows,
    )
}

/// `sweep.svg`: quartiles of net TVPI by the varied value.
pub fn sweep_files(r: &FundSweepReport) -> PresentResult<Vec<OutFile>> {
    let svg = line_chart(
        &format!("Net TVPI by {}", r.vary),
        &r.vary,
        Axis::multiple("net TVPI"),
        &quartile_lines(
            r.rows
                .iter()
                .map(|d| (d.value, [d.net_tvpi.p25, d.net_tvpi.p50, d.net_tvpi.p75])),
        ),
    )?;
    Ok(vec![OutFile::text("sweep.svg", svg)])
}
