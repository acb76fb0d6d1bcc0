//! Report section: the venture market as agents and the scapegoat test.

use serde_json::json;
use venturelab::market::summary::{ConditionRow, Interval, SCAPEGOAT_SHOCK};
use venturelab_app::report::MarketData;

use super::{figure, html_table, seed_flag, Section};
use crate::charts::{bar_chart, Axis};
use crate::error::PresentResult;
use crate::market::{experiment_rows, EXPERIMENT_HEADERS};
use crate::table::pct;

/// Whether two confidence intervals are apart, in words.
fn compare(a: &Option<Interval>, b: &Option<Interval>) -> &'static str {
    match (a, b) {
        (Some(a), Some(b)) if a.low > b.high => "higher than",
        (Some(a), Some(b)) if a.high < b.low => "lower than",
        _ => "not distinguishable from",
    }
}

fn mean(i: &Option<Interval>) -> f64 {
    i.map(|i| i.mean).unwrap_or(f64::NAN)
}

/// The section; `seed` is the report's, written into its "Reproduce:" command.
pub fn build(d: &MarketData, seed: u64) -> PresentResult<Section> {
    let runs = d.runs;
    let seed = seed_flag(seed);
    let rows: &[ConditionRow] = &d.rows;
    let bars = |f: fn(&ConditionRow) -> f64| -> Vec<(String, f64)> {
        rows.iter()
            .map(|r| {
                (
                    format!("({})", rows.iter().position(|x| x == r).unwrap_or(0) + 1),
                    f(r),
                )
            })
            .collect()
    };
    let peak_chart = bar_chart(
        "Peak quarterly share of VC capital in the shocked sector (AI where none)",
        Axis::percent("share of the quarter's VC capital"),
        &bars(|r| mean(&r.peak_capital_share)),
    )?;
    let realised_chart = bar_chart(
        "Value realised / value available",
        Axis::percent("share"),
        &bars(|r| mean(&r.realised_share)),
    )?;
    let (none, ai, other, no_incentive, alternative) =
        (&rows[0], &rows[1], &rows[2], &rows[3], &rows[4]);
    let reading = format!(
        "<p class=\"reading\">Reading ({runs} runs per condition, the same startups in every condition; intervals are 95% across runs). \
A narrative shock lifts the shocked sector's peak share of VC capital from {} (no shock) to {} when it hits AI and to {} when it hits {}, a sector with the same fundamentals: the AI peak is {} the other sector's. \
{} \
Without the fund-returner incentive (condition 4 against 2) the concentration of capital (HHI) with the incentive is {} without it ({:.3} against {:.3}), the viable startups never funded go from {:.0} to {:.0} a run, and the value realised from {} to {} of the value available. \
Alternative capital at revenue-based terms funds part of the missing middle (value realised {}), while its investors earn {:.2}x on their money. \
What this does not show: the shock, the incentive and the strategies are stylised and their sizes are assumptions (docs/models/market.md); the model has no public markets, no exits by IPO window and no feedback from startups to sector fundamentals, so it says which mechanisms can produce concentration, not how much of the real AI boom each explains. \
Reproduce: <code>venturelab market experiment scapegoat --runs {runs}{seed}</code>.</p>",
        pct(mean(&none.peak_capital_share)),
        pct(mean(&ai.peak_capital_share)),
        pct(mean(&other.peak_capital_share)),
        other.sector,
        compare(&ai.peak_capital_share, &other.peak_capital_share),
        if compare(&ai.peak_capital_share, &other.peak_capital_share) == "not distinguishable from" {
            "In this model the heat of a narrative, not anything particular to AI, moves the money: that is the sense in which AI can be a scapegoat."
        } else {
            "Here the AI sector responds differently from its twin, which the model's symmetric setup does not predict; more runs would tell whether this is noise."
        },
        compare(&ai.mean_hhi, &no_incentive.mean_hhi),
        mean(&ai.mean_hhi),
        mean(&no_incentive.mean_hhi),
        mean(&ai.missing_middle.count),
        mean(&no_incentive.missing_middle.count),
        pct(mean(&ai.realised_share)),
        pct(mean(&no_incentive.realised_share)),
        pct(mean(&alternative.realised_share)),
        mean(&alternative.alternative_multiple),
    );
    let mut html = format!(
        "<p>An agent-based model of the venture market: each quarter about 2,000 startups are born in five sectors, each with a heavy-tailed true potential, a time to maturity and a capital need; about 1,200 live funds with five strategies (follow the narrative, estimate fundamentals, seek only potential fund-returners, contrarian, index) screen them with noisy signals; strategies gain capital by their recent realised returns (logit switching, Brock &amp; Hommes 1998); prices rise with capital chasing deals (Gompers &amp; Lerner 2000); LP money follows returns and heat. The scapegoat test runs the same market under five conditions: (1) no narrative shock, (2) a shock to AI's heat (+{} for {} quarters from quarter {}), (3) the same shock to a sector with equal fundamentals, (4) the shock to AI with no fund-returner incentive, (5) the shock to AI with alternative capital present.</p>",
        SCAPEGOAT_SHOCK.size, SCAPEGOAT_SHOCK.quarters, SCAPEGOAT_SHOCK.quarter
    );
    let mut table_rows = experiment_rows(rows);
    for (i, r) in table_rows.iter_mut().enumerate() {
        r[0] = format!("({}) {}", i + 1, r[0]);
    }
    html += &html_table(&EXPERIMENT_HEADERS, &table_rows);
    html += &figure(
        &peak_chart,
        "Peak share of the shocked sector, by condition (numbers as in the table).",
    );
    html += &figure(
        &realised_chart,
        "Value realised over value available, by condition.",
    );
    html += &reading;
    let findings = vec![format!(
        "The scapegoat test: a narrative shock lifts a sector's peak share of VC capital from {} to {} when it hits AI and \
         to {} when it hits a sector with the same fundamentals ({}); without the \
         fund-returner incentive the value realised goes from {} to {}.",
        pct(mean(&none.peak_capital_share)),
        pct(mean(&ai.peak_capital_share)),
        pct(mean(&other.peak_capital_share)),
        match compare(&ai.peak_capital_share, &other.peak_capital_share) {
            "not distinguishable from" =>
                "not distinguishable: the heat, not anything particular to AI, moves the money".to_string(),
            c => format!("AI's peak is {c} its twin's"),
        },
        pct(mean(&ai.realised_share)),
        pct(mean(&no_incentive.realised_share)),
    )];
    Ok(Section {
        findings,
        id: "market",
        title: "Where venture capital flows and why: the scapegoat test".into(),
        html,
        data: json!({"runs": runs, "shock": SCAPEGOAT_SHOCK, "rows": rows}),
    })
}
