//! Report section: what each kind of money costs the founders ("medium success").

use serde_json::json;
use venturelab_app::report::FinancingData;

use super::{esc, figure, html_table, Section};
use crate::charts::{line_chart, Axis, Series};
use crate::error::PresentResult;
use crate::table::{multiple, pct, short_money};

pub fn build(d: &FinancingData) -> PresentResult<Section> {
    let (terms, rows, curve, rbf_cost) = (&d.terms, &d.rows, &d.curve, &d.rbf_example);
    let share =
        |f: fn(&venturelab::captable::financing::PathComparison) -> f64| -> Vec<(f64, f64)> {
            curve
                .iter()
                .map(|r| (r.exit_value, f(r) / r.exit_value))
                .collect()
        };
    let chart = line_chart(
        "Founders' share of the exit by financing path",
        Axis::money("exit value (log scale)").log(),
        Axis::percent("founders' share of the exit"),
        &[
            Series {
                name: "bootstrap".into(),
                points: share(|r| r.bootstrap),
            },
            Series {
                name: "revenue-based financing".into(),
                points: share(|r| r.rbf),
            },
            Series {
                name: "venture debt".into(),
                points: share(|r| r.debt),
            },
            Series {
                name: "VC (1x non-participating)".into(),
                points: share(|r| r.vc),
            },
        ],
    )?;
    let medium: Vec<String> = rows
        .iter()
        .filter(|r| r.vc_multiple < 3.0 && r.vc > 0.5 * r.exit_value)
        .map(|r| format!("${:.0}M", r.exit_value / 1e6))
        .collect();
    let reading = format!(
        "The same company raises $5M four ways. With a VC at $15M pre-money the fund owns 25% and a 1x preference; revenue-based \
         financing repays 1.5x the advance from 15% of revenue ({apr} APR, {eff} effective a year, repaid in {months} months by a \
         company with $1M monthly revenue growing 3% a month); venture debt costs 12% a year for 3 years plus warrants. At \
         moderate exits ({medium}) the venture fund makes less than the 3x it needs to return its own fund, so to the fund these \
         companies are failures, while the founders keep most of the value: the essay's 'medium success'. Equity is the most \
         expensive money at every exit above the VC's preference; what it buys (a bigger, faster or likelier exit) is not in \
         this comparison, which holds the exit value fixed; the company simulator is where that trade-off belongs.",
        apr = pct(rbf_cost.apr),
        eff = pct(rbf_cost.effective_annual_rate),
        months = rbf_cost.months_to_repay.unwrap_or(0),
        medium = if medium.is_empty() { "none here".into() } else { medium.join(", ") },
    );
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            // In $M and $B: cents of a billion-dollar exit are noise here (the JSON below
            // has the exact amounts).
            vec![
                short_money(r.exit_value),
                short_money(r.vc),
                short_money(r.rbf),
                short_money(r.debt),
                short_money(r.bootstrap),
                multiple(r.vc_multiple),
            ]
        })
        .collect();
    let mut html = String::new();
    html += "<p>A founder's question is never what the company is worth but what they get. Formulas and the cap-table engine \
             behind this: <code>docs/models/captable.md</code>; try your own with <code>venturelab financing compare</code> and \
             <code>venturelab waterfall</code>.</p>";
    html += &format!("<p class=\"reading\">{}</p>", esc(&reading));
    html += &html_table(
        &[
            "exit",
            "founders: VC",
            "founders: RBF",
            "founders: debt",
            "founders: bootstrap",
            "VC multiple",
        ],
        &table,
    );
    html += &figure(&chart, "Share of the exit value that reaches the founders, by path, for exits from $5M to $3B (log scale).");
    // The summary's exit: the table's $100M row (a medium success, below the fund's 3x).
    let findings = rows
        .iter()
        .find(|r| r.exit_value == 100e6)
        .map(|r| {
            format!(
                "At a $100M exit of a company that raised $5M, the founders keep ${} with VC money, ${} with revenue-based \
                 financing, ${} with venture debt and ${} bootstrapped; the VC makes {} on its check.",
                short_money(r.vc),
                short_money(r.rbf),
                short_money(r.debt),
                short_money(r.bootstrap),
                multiple(r.vc_multiple),
            )
        })
        .into_iter()
        .collect();
    Ok(Section {
        findings,
        id: "financing",
        title: "The cost of money: VC, revenue-based financing, debt, bootstrapping".into(),
        html,
        data: json!({"terms": terms, "rows": rows, "rbf_example": rbf_cost}),
    })
}
