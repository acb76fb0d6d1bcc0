//! Text, CSV and charts of the company reports.

use venturelab::company::scenario::StageName;
use venturelab::company::summary::{Batch, Summary};
use venturelab::fund::Stat;
use venturelab_app::company::{
    CompanyCompareReport, CompanySimulateReport, CompanyStressReport, DefaultAliveReport,
};

use crate::charts::{bar_chart, line_chart, Axis, Series};
use crate::csv_file::csv_bytes;
use crate::error::{OutFile, PresentResult};
use crate::table::{count, key_values, money, opt_pct, pct, render, short_money};

fn p50(s: &Option<Stat>, f: fn(f64) -> String) -> String {
    s.as_ref().map(|s| f(s.p50)).unwrap_or_else(|| "n/a".into())
}

fn months(x: f64) -> String {
    format!("{x:.0}")
}

fn survival_at(s: &Summary, month: u32) -> Option<f64> {
    s.survival.get(month as usize).map(|p| p.alive)
}

/// The readable summary of a simulate run.
fn simulate_text(s: &Summary, origin: &str) -> String {
    let mut text = format!(
        "{} runs of {} over {} months (seed {}, financing path {})\n\n",
        count(s.runs as u64),
        origin,
        s.months,
        s.seed,
        s.path.key()
    );
    let rows: Vec<Vec<String>> = StageName::ALL
        .iter()
        .map(|st| {
            vec![
                st.key().to_string(),
                pct(s.stage_reached[st.key()]),
                p50(&s.months_to_stage[st.key()], months),
            ]
        })
        .collect();
    text += &render(&["stage", "reached", "median month"], &rows);
    let dead = |k: &str| opt_pct(s.dead_by_month[k]);
    let round = s
        .first_round
        .clone()
        .unwrap_or_else(|| "first round".into());
    text += "\n";
    text += &key_values(&[
        (
            "operating at the end",
            pct(s.survival.last().map(|p| p.alive).unwrap_or(0.0)),
        ),
        (
            "shut down by month 24 / 48 / 72",
            format!("{} / {} / {}", dead("24"), dead("48"), dead("72")),
        ),
        ("acquired", pct(s.acquired)),
        (
            &format!("raised {round} within 24 months"),
            pct(s.raised_series_a_within_24_months),
        ),
        (&format!("raised {round} at all"), pct(s.raised_series_a)),
        ("default alive at month 24", pct(s.default_alive_share)),
        (
            "median runway at month 12",
            p50(&s.runway_12, |x| format!("{x:.1} months")),
        ),
        (
            "median gross margin at month 24",
            p50(&s.gross_margin_24, pct),
        ),
        (
            "median founder ownership (not shut down)",
            p50(&s.founder_ownership, pct),
        ),
        (
            "median exit value (acquired)",
            p50(&s.exit_value, short_money),
        ),
        (
            "founders' proceeds: mean / p75 / p95",
            format!(
                "{} / {} / {}",
                short_money(s.founder_proceeds.mean),
                short_money(s.founder_proceeds.p75),
                short_money(s.founder_proceeds.p95)
            ),
        ),
        (
            "vendor concentration (HHI)",
            s.vendor_hhi
                .map(|h| format!("{h:.2}"))
                .unwrap_or_else(|| "n/a".into()),
        ),
    ]);
    text
}

/// One row per run: what happened to it (empty cells where something never happened).
fn runs_csv(b: &Batch) -> PresentResult<Vec<u8>> {
    let cell = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let month = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
    let header = [
        "run",
        "death_month",
        "acquired_month",
        "exit_value",
        "first_round_month",
        "rounds_raised",
        "default_alive_month",
        "founder_ownership",
        "founder_proceeds",
        "final_arr",
        "vendor_hhi",
    ];
    let rows = b.outcomes.iter().enumerate().map(|(i, r)| {
        [
            i.to_string(),
            month(r.death_month),
            month(r.acquired_month),
            cell(r.exit_value),
            month(r.first_round_month),
            r.rounds_raised.to_string(),
            month(r.default_alive_month),
            r.founder_ownership.to_string(),
            r.founder_proceeds.to_string(),
            r.final_arr.to_string(),
            cell(r.vendor_hhi),
        ]
    });
    csv_bytes(header, rows)
}

fn charts(s: &Summary) -> PresentResult<Vec<OutFile>> {
    let mut survival = vec![Series {
        name: "operating".into(),
        points: s
            .survival
            .iter()
            .map(|p| (p.month as f64, p.alive))
            .collect(),
    }];
    for st in StageName::ALL {
        if let Some(m) = &s.months_to_stage[st.key()] {
            if m.p50 > 0.0 {
                survival.push(Series {
                    name: format!("{} reached (median month {:.0})", st.key(), m.p50),
                    points: vec![(m.p50, 0.0), (m.p50, 1.0)],
                });
            }
        }
    }
    let band = |k: usize, name: &str| Series {
        name: name.into(),
        points: s
            .metrics
            .by_month
            .iter()
            .filter_map(|b| b.values["mrr"].map(|q| (b.month as f64, [q.p25, q.p50, q.p75][k])))
            .collect(),
    };
    let fan = [band(0, "p25"), band(1, "median"), band(2, "p75")];
    let mut bars = Vec::new();
    if let Some(r) = &s.runway_12 {
        for (label, v) in [
            ("p5", r.p5),
            ("p25", r.p25),
            ("median", r.p50),
            ("p75", r.p75),
            ("p95", r.p95),
        ] {
            bars.push((label.to_string(), v));
        }
    }
    Ok(vec![
        OutFile {
            name: "survival.svg".into(),
            contents: line_chart(
                "Companies operating, with the median month each stage is reached",
                "month",
                Axis::percent("share operating"),
                &survival,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "mrr_fan.svg".into(),
            contents: line_chart(
                "MRR of operating companies (quartiles by month)",
                "month",
                Axis::money("MRR"),
                &fan,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "runway.svg".into(),
            contents: bar_chart(
                "Runway at month 12 (operating and burning): quantiles",
                "months of runway",
                &bars,
            )?
            .into_bytes(),
        },
    ])
}

/// The side-by-side row of one summary for stress and compare.
fn side_row(s: &Summary) -> Vec<(&'static str, String)> {
    let dead = |k: &str| opt_pct(s.dead_by_month[k]);
    vec![
        ("operating at month 24", opt_pct(survival_at(s, 24))),
        (
            "operating at the end",
            opt_pct(s.survival.last().map(|p| p.alive)),
        ),
        ("shut down by month 72", dead("72")),
        ("acquired", pct(s.acquired)),
        (
            "median gross margin at month 24",
            p50(&s.gross_margin_24, pct),
        ),
        (
            "median runway at month 12",
            p50(&s.runway_12, |x| format!("{x:.1}")),
        ),
        ("default alive at month 24", pct(s.default_alive_share)),
        (
            "median first default-alive month",
            p50(&s.default_alive_month, months),
        ),
        ("median founder ownership", p50(&s.founder_ownership, pct)),
        (
            "founders' proceeds: mean",
            short_money(s.founder_proceeds.mean),
        ),
        (
            "founders' proceeds: p75",
            short_money(s.founder_proceeds.p75),
        ),
        (
            "founders' proceeds: p95",
            short_money(s.founder_proceeds.p95),
        ),
    ]
}

/// Rows of a side-by-side table: a label, then one cell per summary (the CLI's text table
/// and the report's HTML table).
pub fn side_rows(summaries: &[&Summary]) -> Vec<Vec<String>> {
    let columns: Vec<Vec<(&str, String)>> = summaries.iter().map(|s| side_row(s)).collect();
    (0..columns[0].len())
        .map(|i| {
            let mut row = vec![columns[0][i].0.to_string()];
            row.extend(columns.iter().map(|c| c[i].1.clone()));
            row
        })
        .collect()
}

/// A text table with one column per summary.
fn side_by_side(names: &[String], summaries: &[&Summary]) -> String {
    let mut headers = vec![""];
    headers.extend(names.iter().map(String::as_str));
    render(&headers, &side_rows(summaries))
}

/// `company simulate`'s text.
pub fn simulate_report_text(r: &CompanySimulateReport) -> String {
    simulate_text(&r.summary, &r.origin)
}

/// `runs.csv` (with detail) and the three charts.
pub fn simulate_files(r: &CompanySimulateReport) -> PresentResult<Vec<OutFile>> {
    let mut files = Vec::new();
    if let Some(b) = &r.batch {
        files.push(OutFile {
            name: "runs.csv".into(),
            contents: runs_csv(b)?,
        });
    }
    files.extend(charts(&r.summary)?);
    Ok(files)
}

pub fn stress_text(r: &CompanyStressReport) -> String {
    let label = format!(
        "{} {:+.0}% from month {}",
        r.vendor,
        r.price_change * 100.0,
        r.at_month
    );
    let mut text = format!(
        "{} runs of {} over {} months (seed {}), the same runs without and with the price change\n\n",
        count(r.runs as u64),
        r.origin,
        r.months,
        r.seed
    );
    text += &side_by_side(&["as planned".into(), label], &[&r.base, &r.shocked]);
    text
}

pub fn compare_text(r: &CompanyCompareReport) -> String {
    let names: Vec<String> = r.paths.iter().map(|(p, _)| p.key().to_string()).collect();
    let mut text = format!(
        "{} runs of {} over {} months (seed {}), the same runs financed each way\n\n",
        count(r.runs as u64),
        r.origin,
        r.months,
        r.seed
    );
    text += &side_by_side(&names, &r.paths.iter().map(|(_, s)| s).collect::<Vec<_>>());
    text
}

pub fn default_alive_text(d: &DefaultAliveReport) -> String {
    let unit = format!("{}s", d.period);
    let mut rows = vec![
        (
            "breakeven",
            d.breakeven_period
                .map(|t| format!("in {t} {unit}"))
                .unwrap_or("never (expenses grow at least as fast)".into()),
        ),
        (
            "capital needed",
            d.capital_needed.map(money).unwrap_or("unbounded".into()),
        ),
    ];
    if let Some(alive) = d.default_alive {
        rows.push((
            "default",
            if alive { "alive".into() } else { "dead".into() },
        ));
    }
    key_values(&rows)
}

/// The share operating by month without and with the price change of a stress.
pub fn stress_chart(r: &CompanyStressReport) -> PresentResult<String> {
    let line = |name: String, s: &Summary| Series {
        name,
        points: s
            .survival
            .iter()
            .map(|p| (p.month as f64, p.alive))
            .collect(),
    };
    line_chart(
        &format!(
            "Companies operating: as planned and with {} prices {:+.0}% from month {}",
            r.vendor,
            r.price_change * 100.0,
            r.at_month
        ),
        "month",
        Axis::percent("share operating"),
        &[
            line("as planned".into(), &r.base),
            line(
                format!("{} {:+.0}%", r.vendor, r.price_change * 100.0),
                &r.shocked,
            ),
        ],
    )
}

/// Founders' mean proceeds by financing path of a compare.
pub fn compare_chart(r: &CompanyCompareReport) -> PresentResult<String> {
    let bars: Vec<(String, f64)> = r
        .paths
        .iter()
        .map(|(p, s)| (p.key().to_string(), s.founder_proceeds.mean))
        .collect();
    bar_chart(
        "Founders' proceeds by financing path (mean across runs)",
        Axis::money("founders' proceeds"),
        &bars,
    )
}
