//! Text tables of the financing reports.

use venturelab_app::financing::{CompareReport, CostReport};

use crate::table::{key_values, money, multiple, pct, render};

pub fn cost_text(r: &CostReport) -> String {
    let c = &r.cost;
    key_values(&[
        ("total repaid", money(c.total_repaid)),
        (
            "months to repay",
            c.months_to_repay
                .map(|m| m.to_string())
                .unwrap_or("-".into()),
        ),
        ("IRR per month", pct(c.irr_monthly)),
        ("APR (12 x monthly)", pct(c.apr)),
        ("effective annual rate", pct(c.effective_annual_rate)),
    ])
}

pub fn compare_text(r: &CompareReport) -> String {
    let a = &r.assumptions;
    let table: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|r| {
            vec![
                money(r.exit_value),
                money(r.vc),
                money(r.rbf),
                money(r.debt),
                money(r.bootstrap),
                r.best_outside.to_string(),
                multiple(r.vc_multiple),
            ]
        })
        .collect();
    let mut text = format!(
        "assumptions: raise {} on every outside path; VC at {} pre-money, 1x non-participating; RBF repays {}x; \
         debt at {} for {} years with {} warrant coverage; the same exit value on every path\n",
        money(a.raise),
        money(a.pre_money),
        a.rbf_cap,
        pct(a.debt_rate),
        a.debt_years,
        pct(a.warrant_coverage)
    );
    text += &render(
        &[
            "exit",
            "founders: VC",
            "founders: RBF",
            "founders: debt",
            "founders: bootstrap",
            "cheapest money",
            "VC multiple",
        ],
        &table,
    );
    let medium: Vec<String> = r
        .rows
        .iter()
        .filter(|r| r.vc_multiple < 3.0 && r.vc > 0.5 * r.exit_value)
        .map(|r| money(r.exit_value))
        .collect();
    if !medium.is_empty() {
        text += &format!(
            "medium success: at {} the VC makes less than the 3x a fund needs while the founders keep more than half.\n",
            medium.join(", ")
        );
    }
    text
}
