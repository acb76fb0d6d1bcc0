//! Text, CSV and charts of the LP portfolio reports.

use venturelab::fund::lp::{Diversification, YearFlows};
use venturelab_app::lp::{LpSimulateReport, LpSolveReport, LpSweepReport};

use crate::charts::{line_chart, Axis, Series};
use crate::csv_file::csv_bytes;
use crate::error::{OutFile, PresentResult};
use crate::fund::quantile_cells;
use crate::table::{count, multiple, pct, render, short_number};

/// `lp simulate` as text.
pub fn simulate_text(r: &LpSimulateReport) -> String {
    let s = &r.summary;
    let row = |name: &str, st: &venturelab::fund::Stat, f: fn(f64) -> String| {
        let mut v = vec![name.to_string(), f(st.mean)];
        v.extend(quantile_cells(st, f));
        v
    };
    let ratio = |x: f64| format!("{x:.2}");
    let mut text = format!(
        "{} LP portfolios of {} funds, {} (seed {})\n\n",
        count(s.portfolios as u64),
        s.funds_per_portfolio,
        r.origin,
        r.seed
    );
    text += &render(
        &["per portfolio", "mean", "p5", "p25", "p50", "p75", "p95"],
        &[
            row("net TVPI", &s.net_tvpi, multiple),
            row("net IRR", &s.net_irr, pct),
            row("KS-PME", &s.ks_pme, ratio),
            row("liquidity need", &s.liquidity_need, pct),
            row("TVPI with access", &s.access.net_tvpi, multiple),
            row("IRR with access", &s.access.net_irr, pct),
        ],
    );
    text += &format!(
        "\nmedian single fund: {}; re-ups {} of commitments\n",
        multiple(s.fund_net_tvpi_p50),
        pct(s.re_up_share)
    );
    text += &format!(
        "access to top-quartile managers adds {:+.2}x median net TVPI and {:+.2} points of median IRR\n",
        s.access.net_tvpi_gain_p50,
        100.0 * s.access.net_irr_gain_p50
    );
    text += "\nfirst N commitments: net TVPI p5 / p50 / p95, P(>= median fund)\n";
    for d in &s.diversification {
        text += &format!(
            "  {:>3}: {} / {} / {}  {}\n",
            d.funds,
            multiple(d.p5),
            multiple(d.p50),
            multiple(d.p95),
            pct(d.prob_at_least_median_fund)
        );
    }
    text += &match s.funds_for_median_90 {
        Some(n) => format!("{n} funds make a 90% chance of at least the median fund's TVPI\n"),
        None => "no portfolio size here reaches a 90% chance of the median fund's TVPI\n".into(),
    };
    text += "\nmean calls / distributions by year (share of total commitments):\n";
    for y in &s.cash_flows {
        if y.calls == 0.0 && y.distributions == 0.0 {
            continue;
        }
        text += &format!(
            "  {:>2}: {} / {}\n",
            y.year,
            pct(y.calls),
            pct(y.distributions)
        );
    }
    text
}

/// `cash_flows.csv` (mean calls, distributions and net by year, per unit of total
/// commitments), `diversification.csv` (the first N commitments' net TVPI), and their
/// charts `cash_flows.svg` and `diversification.svg`.
pub fn simulate_files(r: &LpSimulateReport) -> PresentResult<Vec<OutFile>> {
    let s = &r.summary;
    Ok(vec![
        OutFile {
            name: "cash_flows.csv".into(),
            contents: cash_flows_csv(&s.cash_flows)?,
        },
        OutFile {
            name: "diversification.csv".into(),
            contents: diversification_csv(&s.diversification)?,
        },
        OutFile::text("cash_flows.svg", cash_flows_chart(&s.cash_flows)?),
        OutFile::text(
            "diversification.svg",
            diversification_chart(&s.diversification, s.fund_net_tvpi_p50)?,
        ),
    ])
}

fn cash_flows_csv(flows: &[YearFlows]) -> PresentResult<Vec<u8>> {
    let rows = flows.iter().map(|y| {
        [
            y.year.to_string(),
            y.calls.to_string(),
            y.distributions.to_string(),
            y.net.to_string(),
        ]
    });
    csv_bytes(["year", "calls", "distributions", "net"], rows)
}

fn diversification_csv(table: &[Diversification]) -> PresentResult<Vec<u8>> {
    let rows = table.iter().map(|d| {
        [
            d.funds.to_string(),
            d.p5.to_string(),
            d.p50.to_string(),
            d.p95.to_string(),
            d.prob_at_least_median_fund.to_string(),
        ]
    });
    csv_bytes(
        [
            "funds",
            "net_tvpi_p5",
            "net_tvpi_p50",
            "net_tvpi_p95",
            "prob_at_least_median_fund",
        ],
        rows,
    )
}

/// Mean calls, distributions and their net by calendar year of the programme, as shares
/// of total commitments (the LP's J-curve).
pub fn cash_flows_chart(flows: &[YearFlows]) -> PresentResult<String> {
    let line = |name: &str, f: fn(&YearFlows) -> f64| Series {
        name: name.into(),
        points: flows.iter().map(|y| (y.year as f64, f(y))).collect(),
    };
    line_chart(
        "The LP's mean cash flows by year (share of total commitments)",
        "year of the programme",
        Axis::percent("share of commitments"),
        &[
            line("calls", |y| y.calls),
            line("distributions", |y| y.distributions),
            line("net", |y| y.net),
        ],
    )
}

/// The net TVPI of the LP's first N commitments (p5, median, p95 across portfolios)
/// against the median single fund.
pub fn diversification_chart(table: &[Diversification], median_fund: f64) -> PresentResult<String> {
    let line = |name: &str, f: fn(&Diversification) -> f64| Series {
        name: name.into(),
        points: table.iter().map(|d| (d.funds as f64, f(d))).collect(),
    };
    let last = table.last().map_or(1.0, |d| d.funds as f64);
    line_chart(
        "Net TVPI of the LP's first N funds across portfolios",
        "funds committed to",
        Axis::multiple("net TVPI"),
        &[
            line("p95", |d| d.p95),
            line("median", |d| d.p50),
            line("p5", |d| d.p5),
            Series {
                name: "median single fund".into(),
                points: vec![(1.0, median_fund), (last, median_fund)],
            },
        ],
    )
}

/// `lp solve` as text.
pub fn solve_text(r: &LpSolveReport) -> String {
    crate::fund::solved_line(&r.solved, r.portfolios, "portfolios", r.seed)
}

/// `lp sweep` as text: one row per value.
pub fn sweep_text(r: &LpSweepReport) -> String {
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|s| {
            vec![
                short_number(s.value),
                multiple(s.net_tvpi.p5),
                multiple(s.net_tvpi.p50),
                multiple(s.net_tvpi.p95),
                pct(s.net_irr.p50),
                format!("{:.2}", s.ks_pme.p50),
                pct(s.liquidity_need.p50),
                format!("{:+.2}x", s.access_net_tvpi_gain_p50),
            ]
        })
        .collect();
    let mut text = format!(
        "{} portfolios per value (seed {}); per portfolio:\n",
        count(r.portfolios as u64),
        r.seed
    );
    text += &render(
        &[
            r.vary.as_str(),
            "TVPI p5",
            "TVPI p50",
            "TVPI p95",
            "IRR p50",
            "KS-PME p50",
            "liquidity p50",
            "access gain",
        ],
        &rows,
    );
    text
}

/// `sweep.csv` (the rows' headline numbers) and `sweep.svg` (portfolio net TVPI p5,
/// median and p95 by the varied value).
pub fn sweep_files(r: &LpSweepReport) -> PresentResult<Vec<OutFile>> {
    let header = [
        "value",
        "funds_per_portfolio",
        "net_tvpi_p5",
        "net_tvpi_p50",
        "net_tvpi_p95",
        "net_irr_p50",
        "ks_pme_p50",
        "liquidity_need_p50",
        "access_net_tvpi_gain_p50",
        "access_net_irr_gain_p50",
        "fund_net_tvpi_p50",
        "funds_for_median_90",
        "re_up_share",
    ];
    let rows = r.rows.iter().map(|s| {
        [
            s.value.to_string(),
            s.funds_per_portfolio.to_string(),
            s.net_tvpi.p5.to_string(),
            s.net_tvpi.p50.to_string(),
            s.net_tvpi.p95.to_string(),
            s.net_irr.p50.to_string(),
            s.ks_pme.p50.to_string(),
            s.liquidity_need.p50.to_string(),
            s.access_net_tvpi_gain_p50.to_string(),
            s.access_net_irr_gain_p50.to_string(),
            s.fund_net_tvpi_p50.to_string(),
            s.funds_for_median_90
                .map_or(String::new(), |n| n.to_string()),
            s.re_up_share.to_string(),
        ]
    });
    let line = |name: &str, f: fn(&venturelab_app::lp::LpSweepRow) -> f64| Series {
        name: name.into(),
        points: r.rows.iter().map(|d| (d.value, f(d))).collect(),
    };
    let svg = line_chart(
        &format!("Portfolio net TVPI by {}", r.vary),
        &r.vary,
        Axis::multiple("net TVPI"),
        &[
            line("p95", |d| d.net_tvpi.p95),
            line("median", |d| d.net_tvpi.p50),
            line("p5", |d| d.net_tvpi.p5),
        ],
    )?;
    Ok(vec![
        OutFile {
            name: "sweep.csv".into(),
            contents: csv_bytes(header, rows)?,
        },
        OutFile::text("sweep.svg", svg),
    ])
}
