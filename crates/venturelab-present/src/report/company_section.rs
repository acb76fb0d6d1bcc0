//! Report section: the valley of death. Survival by stage for the company presets, a 30%
//! model-API price rise on `ai-app`, and founders' proceeds under each financing path.

use serde_json::json;
use venturelab::company::scenario::StageName;
use venturelab::company::summary::Summary;
use venturelab_app::report::{CompanyData, COMPANY_PRESETS as PRESETS};

use super::{figure, html_table, seed_flag, Section};
use crate::charts::{line_chart, Axis, Series};
use crate::company::side_rows;
use crate::error::PresentResult;
use crate::table::{opt_pct, pct, short_money};

/// The section; `seed` is the report's, written into its "Reproduce:" commands.
pub fn build(d: &CompanyData, seed: u64) -> PresentResult<Section> {
    let runs = d.runs;
    let seed = seed_flag(seed);
    let summaries = d.presets.as_slice();
    let stage_rows: Vec<Vec<String>> = PRESETS
        .iter()
        .zip(summaries)
        .map(|(name, s)| {
            let mut row = vec![name.to_string()];
            row.extend(
                [
                    StageName::Product,
                    StageName::Commercialization,
                    StageName::Scale,
                ]
                .iter()
                .map(|st| pct(s.stage_reached[st.key()])),
            );
            row.extend(["24", "72"].iter().map(|k| opt_pct(s.dead_by_month[*k])));
            row.push(pct(s.acquired));
            row.push(pct(s.raised_series_a_within_24_months));
            row
        })
        .collect();
    let survival_chart = line_chart(
        "Companies still operating, by month (shut down and acquired ones leave)",
        "month",
        Axis::percent("share operating"),
        &PRESETS
            .iter()
            .zip(summaries)
            .map(|(name, s)| Series {
                name: name.to_string(),
                points: s
                    .survival
                    .iter()
                    .map(|p| (p.month as f64, p.alive))
                    .collect(),
            })
            .collect::<Vec<_>>(),
    )?;

    let (base, shocked) = (&d.stress_base, &d.stress_shocked);
    let paths: Vec<_> = d.paths.iter().map(|(p, _)| *p).collect();
    let by_path: Vec<&Summary> = d.paths.iter().map(|(_, s)| s).collect();
    let s = &summaries[0];
    let dead72 = s.dead_by_month["72"].unwrap_or(f64::NAN);
    let survival_gap = |a: &Summary, b: &Summary| {
        let at = |x: &Summary| x.dead_by_month["72"].unwrap_or(f64::NAN);
        at(b) - at(a)
    };
    let gm = |x: &Summary| x.gross_margin_24.map(|g| g.p50).unwrap_or(f64::NAN);
    let vc = by_path[0];
    let boot = by_path[3];
    let mut html = format!(
        "<p>One company, simulated {runs} times for ten years: stages with gates (technical validation, a product that ships, paying customers and product-market fit, scale), a revenue engine (CAC, price, churn, expansion), costs by stage, vendor lines whose prices move, and financing that depends on traction and on the market climate. Each preset's file cites its sources; <code>saas-seed</code> is calibrated to the cohort numbers in the table of <code>docs/models/company.md</code>.</p>\
<h3>Survival by stage</h3>{}{}\
<p class=\"reading\">Reading: {} of the <code>saas-seed</code> runs raise a Series A within two years (Carta's Q1 2018 seed cohort: 30.6%) and {} are shut down by month 72 (Carta's 2018 founding cohort: 61.9% shut down by 2025). In the model a company that misses its A cuts burn, tries again, and is wound down after three failures in a row while default dead. The deep-tech preset shows the other valley: half the runs fail technical validation and the survivors need years of funding before any revenue. These shares follow from the presets' assumptions (documented in each file); they are not forecasts.</p>",
        html_table(
            &["preset", "product", "commercialization", "scale", "shut down by 24", "shut down by 72", "acquired", "Series A within 24 months"],
            &stage_rows
        ),
        figure(&survival_chart, "Share of runs still operating each month, by preset (venturelab company simulate --preset NAME)."),
        pct(s.raised_series_a_within_24_months),
        pct(dead72),
    );
    html += &format!(
        "<h3>A 30% model-API price rise on <code>ai-app</code></h3>{}\
<p class=\"reading\">Reading: the same {runs} runs with and without the rise (common random numbers, so the difference is the shock's): the median gross margin at month 24 moves from {} to {}, and {} more of the runs are shut down by month 72. The company's dependence on one provider (vendor Herfindahl index {:.2}) turns a supplier's price list into a survival variable. The preset also lets model-API prices fall at random, as they mostly have; the shock here is a deliberate rise. Reproduce: <code>venturelab company stress --preset ai-app --vendor model-api --price-change +30% --runs {runs}{seed}</code>.</p>",
        html_table(&["", "as planned", "model-api +30%"], &side_rows(&[base, shocked])),
        pct(gm(base)),
        pct(gm(shocked)),
        pct(survival_gap(base, shocked)),
        base.vendor_hhi.unwrap_or(f64::NAN),
    );
    html += &format!(
        "<h3>Founders' proceeds by financing path (<code>saas-seed</code>)</h3>{}\
<p class=\"reading\">Reading: the same runs financed four ways after the seed. Venture money keeps more companies alive ({} operating at month 24, against {} bootstrapped) and makes the large outcomes possible (95th percentile of founders' proceeds {} against {}), at the price of dilution (median founder ownership {} against 60%). Without new equity the founders keep their stake but fewer companies survive the valley. The median founders' proceeds are {} (vc), {} (rbf), {} (debt) and {} (bootstrap). Proceeds count acquisitions and, for companies still operating at month 120, a mark at the run's acquisition multiple of ARR, both through the cap table's liquidation preferences. Reproduce: <code>venturelab company compare --preset saas-seed --runs {runs}{seed}</code>.</p>",
        html_table(&["", "vc", "rbf", "debt", "bootstrap"], &side_rows(&by_path)),
        opt_pct(vc.survival.get(24).map(|p| p.alive)),
        opt_pct(boot.survival.get(24).map(|p| p.alive)),
        short_money(vc.founder_proceeds.p95),
        short_money(boot.founder_proceeds.p95),
        vc.founder_ownership.map(|o| pct(o.p50)).unwrap_or_else(|| "n/a".into()),
        short_money(by_path[0].founder_proceeds.p50),
        short_money(by_path[1].founder_proceeds.p50),
        short_money(by_path[2].founder_proceeds.p50),
        short_money(by_path[3].founder_proceeds.p50),
    );
    let data = json!({
        "runs": runs,
        "presets": PRESETS.iter().zip(summaries).map(|(n, s)| json!({
            "preset": n,
            "stage_reached": s.stage_reached,
            "dead_by_month": s.dead_by_month,
            "acquired": s.acquired,
            "raised_series_a_within_24_months": s.raised_series_a_within_24_months,
            "survival": s.survival.iter().map(|p| json!({"month": p.month, "alive": p.alive})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "ai_app_model_api_plus_30": {
            "base": {"dead_by_month": base.dead_by_month, "gross_margin_24": base.gross_margin_24, "survival_120": base.survival.last().map(|p| p.alive)},
            "shocked": {"dead_by_month": shocked.dead_by_month, "gross_margin_24": shocked.gross_margin_24, "survival_120": shocked.survival.last().map(|p| p.alive)},
        },
        "saas_seed_paths": paths.iter().zip(&by_path).map(|(p, s)| json!({
            "path": p.key(),
            "operating_24": s.survival.get(24).map(|x| x.alive),
            "founder_ownership": s.founder_ownership,
            "founder_proceeds": s.founder_proceeds,
        })).collect::<Vec<_>>(),
    });
    let findings = vec![format!(
        "Through the valley of death: {} of simulated seed-stage SaaS companies raise a Series A within two years and {} are \
         shut down by month 72 (Carta's cohorts: 30.6% and 61.9%); a 30% model-API price rise shuts down a further {} of the AI \
         app's runs by month 72.",
        pct(s.raised_series_a_within_24_months),
        pct(dead72),
        pct(survival_gap(base, shocked)),
    )];
    Ok(Section {
        findings,
        id: "valley-of-death",
        title: "The valley of death: a startup's odds, its vendors and its money".into(),
        html,
        data,
    })
}
