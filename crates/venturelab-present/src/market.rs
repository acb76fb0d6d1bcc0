//! Text, CSV and charts of the market reports.

use venturelab::market::scenario::STRATEGIES;
use venturelab::market::summary::{Band, ConditionRow, Interval, Summary};
use venturelab_app::market::{MarketExperimentReport, MarketSimulateReport};

use crate::charts::{bar_chart, line_chart, Axis, Series};
use crate::csv_file::csv_bytes;
use crate::error::{OutFile, PresentResult};
use crate::table::{self, key_values, multiple, opt, opt_pct, pct, render, short_money};

/// "mean [low, high]" of an interval, each value formatted by `f`.
fn ci(i: &Option<Interval>, f: fn(f64) -> String) -> String {
    match i {
        Some(i) => format!("{} [{}, {}]", f(i.mean), f(i.low), f(i.high)),
        None => "n/a".into(),
    }
}

fn num(x: f64) -> String {
    format!("{x:.3}")
}

fn count(x: f64) -> String {
    format!("{x:.0}")
}

fn simulate_text(s: &Summary, origin: &str) -> String {
    let mut text = format!(
        "{} runs of {} over {} quarters (seed {})\n\n",
        table::count(s.runs as u64),
        origin,
        s.quarters,
        s.seed
    );
    let rows: Vec<Vec<String>> = s
        .sectors
        .iter()
        .map(|name| {
            let share = &s.capital_share[name];
            let mean = share.iter().filter_map(|b| b.mean).sum::<f64>()
                / share.iter().filter(|b| b.mean.is_some()).count().max(1) as f64;
            let peak = share.iter().filter_map(|b| b.mean).fold(0.0, f64::max);
            let vti = s.valuation_to_intrinsic[name]
                .iter()
                .filter_map(|b| b.mean)
                .fold(0.0, f64::max);
            vec![name.clone(), pct(mean), pct(peak), num(vti)]
        })
        .collect();
    text += &render(
        &[
            "sector",
            "mean capital share",
            "peak (mean across runs)",
            "peak valuation / intrinsic",
        ],
        &rows,
    );
    text += "\n";
    let strategy_rows: Vec<Vec<String>> = STRATEGIES
        .iter()
        .map(|k| {
            let last = s.strategy_share[k].last().and_then(|b| b.mean);
            let r = &s.returns_by_strategy[k];
            vec![
                k.to_string(),
                opt_pct(last),
                r.map(|r| multiple(r.p50)).unwrap_or_else(|| "n/a".into()),
                r.map(|r| format!("{} - {}", multiple(r.p5), multiple(r.p95)))
                    .unwrap_or_else(|| "n/a".into()),
            ]
        })
        .collect();
    text += &render(
        &[
            "strategy",
            "share of new capital (last quarter)",
            "median fund net multiple",
            "p5 - p95",
        ],
        &strategy_rows,
    );
    text += "\n";
    text += &key_values(&[
        ("mean HHI of sector capital", ci(&s.mean_hhi, num)),
        (
            "value realised / value available",
            ci(&s.realised_share, pct),
        ),
        (
            "missing middle (viable, never funded)",
            ci(&s.missing_middle.count, count),
        ),
        (
            "missing middle value",
            ci(&s.missing_middle.value, short_money),
        ),
        (
            "long-maturity viable startups funded",
            ci(&s.long_maturity_funded_share, pct),
        ),
        (
            "hot vs cold sector-quarters: failure rate",
            format!(
                "{} vs {}",
                opt_pct(s.hot.failure_rate),
                opt_pct(s.cold.failure_rate)
            ),
        ),
        (
            "hot vs cold: mean value of a success",
            format!(
                "{} vs {}",
                opt(s.hot.mean_success_value, short_money),
                opt(s.cold.mean_success_value, short_money)
            ),
        ),
    ]);
    text
}

/// One row per quarter: the means across runs of the per-quarter measures.
fn quarters_csv(s: &Summary) -> PresentResult<Vec<u8>> {
    let mut header: Vec<String> = ["quarter", "hhi", "bubble_index", "live_funds"]
        .map(String::from)
        .into();
    for name in &s.sectors {
        header.push(format!("capital_share_{name}"));
        header.push(format!("valuation_to_intrinsic_{name}"));
    }
    for k in STRATEGIES {
        header.push(format!("strategy_share_{k}"));
    }
    // A quarter with no value (no funds alive, say) is an empty cell, never "NaN".
    let cell = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let rows = (0..s.quarters as usize).map(|q| {
        let mut row = vec![
            q.to_string(),
            cell(s.hhi[q].mean),
            cell(s.bubble_index[q].mean),
            cell(s.live_funds[q].mean),
        ];
        for name in &s.sectors {
            row.push(cell(s.capital_share[name][q].mean));
            row.push(cell(s.valuation_to_intrinsic[name][q].mean));
        }
        for k in STRATEGIES {
            row.push(cell(s.strategy_share[k][q].mean));
        }
        row
    });
    csv_bytes(header, rows)
}

fn simulate_charts(s: &Summary) -> PresentResult<Vec<OutFile>> {
    // One line of a band statistic over the quarters where it is defined.
    let line = |name: &str, bands: &[Band], f: fn(&Band) -> Option<f64>| Series {
        name: name.to_string(),
        points: bands
            .iter()
            .filter_map(|b| f(b).map(|y| (b.quarter as f64, y)))
            .collect(),
    };
    let mean_series = |name: &str, bands: &[Band]| line(name, bands, |b| b.mean);
    let shares: Vec<Series> = s
        .sectors
        .iter()
        .map(|n| mean_series(n, &s.capital_share[n]))
        .collect();
    let hhi = vec![
        mean_series("mean", &s.hhi),
        line("p95", &s.hhi, |b| b.p95),
        line("p5", &s.hhi, |b| b.p5),
    ];
    let bubble = vec![mean_series(
        "capital-weighted valuation / intrinsic value",
        &s.bubble_index,
    )];
    let returns: Vec<(String, f64)> = STRATEGIES
        .iter()
        .filter_map(|k| s.returns_by_strategy[k].map(|r| (k.to_string(), r.p50)))
        .collect();
    Ok(vec![
        OutFile {
            name: "capital_share.svg".into(),
            contents: line_chart(
                "VC capital share by sector (mean across runs)",
                "quarter",
                Axis::percent("share of the quarter's VC capital"),
                &shares,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "hhi.svg".into(),
            contents: line_chart(
                "Concentration of VC capital across sectors (HHI)",
                "quarter",
                "HHI",
                &hhi,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "bubble_index.svg".into(),
            contents: line_chart(
                "Bubble index",
                "quarter",
                "post-money / true value",
                &bubble,
            )?
            .into_bytes(),
        },
        OutFile {
            name: "returns_by_strategy.svg".into(),
            contents: bar_chart(
                "Median net multiple of funds by strategy",
                Axis::multiple("net multiple"),
                &returns,
            )?
            .into_bytes(),
        },
    ])
}

/// The experiment table's rows.
pub fn experiment_rows(rows: &[ConditionRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.condition.clone(),
                ci(&r.mean_hhi, num),
                ci(&r.peak_capital_share, pct),
                ci(&r.peak_valuation_to_intrinsic, num),
                ci(&r.realised_share, pct),
                ci(&r.missing_middle.count, count),
                ci(&r.long_maturity_funded_share, pct),
                ci(&r.fund_net_multiple, multiple),
            ]
        })
        .collect()
}

/// Headers of [`experiment_rows`].
pub const EXPERIMENT_HEADERS: [&str; 8] = [
    "condition",
    "mean HHI",
    "peak capital share (sector)",
    "peak valuation / intrinsic",
    "value realised / available",
    "missing middle (count)",
    "long-maturity funded",
    "fund net multiple",
];

/// `market simulate`'s text.
pub fn simulate_report_text(r: &MarketSimulateReport) -> String {
    simulate_text(&r.summary, &r.origin)
}

/// `quarters.csv` and the four charts.
pub fn simulate_files(r: &MarketSimulateReport) -> PresentResult<Vec<OutFile>> {
    let mut files = vec![OutFile {
        name: "quarters.csv".into(),
        contents: quarters_csv(&r.summary)?,
    }];
    files.extend(simulate_charts(&r.summary)?);
    Ok(files)
}

pub fn experiment_text(r: &MarketExperimentReport) -> String {
    let mut text = format!(
        "{}: {} runs per condition of {} (seed {}); means with 95% confidence intervals across runs\n\n",
        r.experiment,
        table::count(r.runs as u64),
        r.origin,
        r.seed
    );
    text += &render(&EXPERIMENT_HEADERS, &experiment_rows(&r.rows));
    text
}

/// Two bar charts by condition: concentration and value realised.
pub fn experiment_files(r: &MarketExperimentReport) -> PresentResult<Vec<OutFile>> {
    let bars = |f: fn(&ConditionRow) -> Option<f64>| -> Vec<(String, f64)> {
        r.rows
            .iter()
            .filter_map(|c| f(c).map(|v| (c.condition.clone(), v)))
            .collect()
    };
    Ok(vec![
        OutFile::text(
            format!("{}_hhi.svg", r.experiment),
            bar_chart(
                "Mean HHI of sector capital by condition",
                "HHI",
                &bars(|c| c.mean_hhi.map(|i| i.mean)),
            )?,
        ),
        OutFile::text(
            format!("{}_realised.svg", r.experiment),
            bar_chart(
                "Value realised / value available by condition",
                Axis::percent("share"),
                &bars(|c| c.realised_share.map(|i| i.mean)),
            )?,
        ),
    ])
}
