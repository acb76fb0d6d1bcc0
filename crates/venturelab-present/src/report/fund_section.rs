//! Report section: the venture fund Monte Carlo.

use serde_json::json;
use venturelab_app::report::{FundData, CA_2004, CA_2010, CA_VINTAGE_AVERAGE};

use super::{esc, figure, html_table, seed_flag, Section};
use crate::charts::{dots_and_lines, line_chart, quartile_lines, Axis, Series};
use crate::error::PresentResult;
use crate::fund::{charts, quantile_cells};
use crate::table::{count, multiple, pct};

pub fn build(d: &FundData) -> PresentResult<Section> {
    let funds = d.funds;
    let essay = &d.essay;
    let one = &d.home_run_for_1x;
    let three = &d.home_run_for_3x;
    let cv_sum = &d.correlation_ventures;
    let cv_run = &d.correlation_ventures_run;
    let cv_charts = charts(cv_sum, cv_run)?;
    let mut sweep_rows = Vec::new();
    let mut sweep_data = Vec::new();
    for (n, s) in &d.portfolio_sweep {
        let n = *n;
        sweep_rows.push(vec![
            format!("{n}"),
            multiple(s.net_tvpi.p25),
            multiple(s.net_tvpi.p50),
            multiple(s.net_tvpi.p75),
            pct(s.prob_net_tvpi_at_least["1"]),
            pct(s.prob_net_tvpi_at_least["3"]),
            pct(s.top_company_share.p50),
        ]);
        sweep_data.push(json!({"companies": n, "net_tvpi": s.net_tvpi, "prob_net_tvpi_at_least": s.prob_net_tvpi_at_least, "top_company_share": s.top_company_share}));
    }
    let sweep_chart = line_chart(
        "Net TVPI by portfolio size (Correlation Ventures mix)",
        "companies in the portfolio",
        Axis::multiple("net TVPI"),
        &quartile_lines(
            d.portfolio_sweep
                .iter()
                .map(|(n, s)| (*n, [s.net_tvpi.p25, s.net_tvpi.p50, s.net_tvpi.p75])),
        ),
    )?;
    let carta_sum = &d.carta_funnel;
    let stage_rows: Vec<Vec<String>> = carta_sum
        .stage_reached
        .as_ref()
        .map(|v| {
            v.iter()
                .map(|s| vec![stage_label(&s.stage), pct(s.share)])
                .collect()
        })
        .unwrap_or_default();

    let first = sweep_rows.first().cloned().unwrap_or_default();
    let last = sweep_rows.last().cloned().unwrap_or_default();
    let essay_gross = format!("{:.3}x", essay.gross_multiple.mean);
    let essay_net = format!("{:.3}x", essay.net_tvpi.p50);
    let reading = format!(
        "The essay's own arithmetic does not work for the fund: 90 zeros, nine 3.5x and one 50x return {gross} gross and \
         {net} net of fees to LPs. For LPs to get their money back the single home run must return {one:.1}x the check, \
         and {three:.0}x for the 3x net that venture funds promise; no other company can carry it, which is the power-law \
         incentive in one line. With the Correlation Ventures outcome mix and 30 companies the picture is less bleak: \
         median net TVPI {cv50} (quartiles {cv25} to {cv75}), {p1} of funds return at least 1x net and {p3} reach 3x; \
         for comparison Cambridge Associates reports median net TVPI about 1.67 (quartiles 1.17 to 2.42) for US venture \
         vintages 2004-2013. The best company alone is a median {top} of a fund's proceeds. Spreading the same capital \
         over more companies trades upside for safety: from {n0} to {n1} companies the median moves from {m0} to {m1} and \
         the interquartile range from {a0}-{b0} to {a1}-{b1}, while the chance of a 3x fund falls from {q0} to {q1}, \
         because each fund-returner is diluted by everyone else. A fund built to hit 3x must stay concentrated and accept \
         a wide spread: that is the incentive the essay describes, computed rather than asserted.",
        gross = essay_gross,
        net = essay_net,
        one = one.value,
        three = three.value,
        cv50 = multiple(cv_sum.net_tvpi.p50),
        cv25 = multiple(cv_sum.net_tvpi.p25),
        cv75 = multiple(cv_sum.net_tvpi.p75),
        p1 = pct(cv_sum.prob_net_tvpi_at_least["1"]),
        p3 = pct(cv_sum.prob_net_tvpi_at_least["3"]),
        top = pct(cv_sum.top_company_share.p50),
        n0 = first.first().cloned().unwrap_or_default(),
        n1 = last.first().cloned().unwrap_or_default(),
        m0 = first.get(2).cloned().unwrap_or_default(),
        m1 = last.get(2).cloned().unwrap_or_default(),
        a0 = first.get(1).cloned().unwrap_or_default(),
        b0 = first.get(3).cloned().unwrap_or_default(),
        a1 = last.get(1).cloned().unwrap_or_default(),
        b1 = last.get(3).cloned().unwrap_or_default(),
        q0 = first.get(5).cloned().unwrap_or_default(),
        q1 = last.get(5).cloned().unwrap_or_default(),
    );

    let mut html = String::new();
    html += "<p>Many simulated funds, each a portfolio of companies with heavy-tailed outcomes, through management fees and \
             a European waterfall (8% hurdle, 100% catch-up, 20% carry) to what LPs get back. Every fund is a $100M fund \
             paying 2% a year for 10 years and investing the remaining $80M in equal checks. Model and timing conventions: \
             <code>docs/models/fund.md</code>; presets: <code>venturelab presets</code>.</p>";
    html += &format!("<p class=\"reading\">{}</p>", esc(&reading));
    html += "<h3>The essay's fund by its own numbers</h3>";
    html += &html_table(
        &["measure", "value"],
        &[
            vec![
                "gross multiple".into(),
                format!("{:.3}x", essay.gross_multiple.mean),
            ],
            vec![
                "net TVPI to LPs".into(),
                format!("{:.3}x", essay.net_tvpi.p50),
            ],
            vec![
                "home run needed for 1x net".into(),
                format!("{:.1}x", one.value),
            ],
            vec![
                "home run needed for 3x net".into(),
                format!("{:.1}x", three.value),
            ],
        ],
    );
    html += "<p>Found with <code>venturelab fund solve --preset essay --vary outcomes.buckets.2.multiple --target net_tvpi.p50=3</code>.</p>";
    html += "<h3>The Correlation Ventures mix, 30 companies</h3>";
    html += &html_table(
        &["per fund", "p5", "p25", "median", "p75", "p95"],
        &[
            quantile_row("net TVPI", &cv_sum.net_tvpi, multiple),
            quantile_row("net IRR", &cv_sum.net_irr, pct),
            quantile_row("top company share", &cv_sum.top_company_share, pct),
        ],
    );
    for (name, svg) in &cv_charts {
        let caption = match name.as_str() {
            "net_tvpi.svg" => "Share of simulated funds by net TVPI.",
            "j_curve.svg" => {
                "DPI by year since the first close: quartiles across funds (the J-curve)."
            }
            _ => "Average share of a fund's proceeds by company rank: the best company dominates.",
        };
        html += &figure(svg, caption);
    }
    html += "<h3>Diversification against the power law</h3>";
    html += &html_table(
        &[
            "companies",
            "net p25",
            "net median",
            "net p75",
            "P(>=1x)",
            "P(>=3x)",
            "top company share",
        ],
        &sweep_rows,
    );
    html += &figure(
        &sweep_chart,
        "Quartiles of net TVPI as the same capital is spread over more companies.",
    );
    html += "<h3>Stage mode: a seed fund through Carta's 2018 funnel</h3>";
    html += &format!(
        "<p>Stage by stage (graduate, exit or fail, with step-ups and dilution), calibrated to Carta's 2018 cohort. Median net TVPI {}, mean {}, P(>=3x) {}: with only about 2% of seed companies reaching a Series D, a 30-company seed fund usually holds no late-stage winner at all. The exit values are stated assumptions in <code>presets/carta-funnel.toml</code>.</p>",
        multiple(carta_sum.net_tvpi.p50),
        multiple(carta_sum.net_tvpi.mean),
        pct(carta_sum.prob_net_tvpi_at_least["3"])
    );
    html += &html_table(&["stage reached", "share of seed companies"], &stage_rows);
    let (dispersion_html, dispersion_data) = dispersion(d)?;
    html += &dispersion_html;
    let (lp_html, lp_finding, lp_data) = lp_portfolio(d)?;
    html += &lp_html;

    let findings = vec![
        format!(
            "The essay's fund (90 zeros, nine 3.5x, one 50x) returns {essay_net} net to LPs; for a median 3x net its one home run \
             would have to return {:.0}x the check.",
            three.value
        ),
        format!(
            "With the Correlation Ventures outcome mix and 30 companies, {} of simulated funds return 3x net or more and {} return \
             less than the money (median net TVPI {}).",
            pct(cv_sum.prob_net_tvpi_at_least["3"]),
            pct(1.0 - cv_sum.prob_net_tvpi_at_least["1"]),
            multiple(cv_sum.net_tvpi.p50),
        ),
        lp_finding,
    ];
    Ok(Section {
        findings,
        id: "fund",
        title: "Venture fund Monte Carlo: the power law and the home run".into(),
        html,
        data: json!({
            "funds": funds,
            "seed": d.seed,
            "essay": {"summary": essay, "home_run_for_1x_net": one, "home_run_for_3x_net": three},
            "correlation_ventures": cv_sum,
            "rank_shares": cv_run.rank_shares,
            "portfolio_size_sweep": sweep_data,
            "carta_funnel": carta_sum,
            "ca_2004_2013": dispersion_data,
            "lp_ca_2004_2013": lp_data,
        }),
    })
}

/// The ten simulated vintages of `ca-2004-2013` ranked by median, against Cambridge
/// Associates' published quartiles: the section's HTML and its data.
fn dispersion(d: &FundData) -> PresentResult<(String, serde_json::Value)> {
    let mut ranked = d.ca_vintages.clone();
    ranked.sort_by(|a, b| a.p50.total_cmp(&b.p50).then(a.vintage.cmp(&b.vintage)));
    let n = ranked.len();
    let lines = quartile_lines(
        ranked
            .iter()
            .enumerate()
            .map(|(i, v)| ((i + 1) as f64, [v.p25, v.p50, v.p75])),
    );
    // Published: 2004 at the lowest rank, 2010 at the highest, the vintage average in
    // the middle (the calibration's assumption, docs/models/fund.md).
    let middle = (n as f64 + 1.0) / 2.0;
    let published: Vec<(f64, f64)> = [
        (1.0, CA_2004),
        (middle, CA_VINTAGE_AVERAGE),
        (n as f64, CA_2010),
    ]
    .iter()
    .flat_map(|&(x, q)| q.map(|y| (x, y)))
    .collect();
    let chart = dots_and_lines(
        "Net TVPI quartiles by vintage: simulated (ca-2004-2013) against Cambridge Associates",
        Axis::plain("vintage, ranked from lowest median to highest"),
        Axis::multiple("net TVPI"),
        &Series {
            name: "Cambridge Associates (published)".into(),
            points: published,
        },
        &lines,
    )?;
    let mean = |f: fn(&venturelab::fund::summary::VintageBand) -> f64| {
        ranked.iter().map(f).sum::<f64>() / n.max(1) as f64
    };
    let sim_avg = [mean(|v| v.p25), mean(|v| v.p50), mean(|v| v.p75)];
    let (low, high) = (ranked.first(), ranked.last());
    let q = |v: Option<&venturelab::fund::summary::VintageBand>| {
        v.map_or([f64::NAN; 3], |v| [v.p25, v.p50, v.p75])
    };
    let row = |name: &str, published: [f64; 3], simulated: [f64; 3]| -> Vec<String> {
        let mut r = vec![name.to_string()];
        r.extend(published.map(|x| format!("{x:.2}x")));
        r.extend(simulated.map(multiple));
        r
    };
    let rows = vec![
        row("lowest vintage (published: 2004)", CA_2004, q(low)),
        row("average over vintages", CA_VINTAGE_AVERAGE, sim_avg),
        row("highest vintage (published: 2010)", CA_2010, q(high)),
    ];
    let seed = seed_flag(d.seed);
    let mut html =
        String::from("<h3>Funds that differ like real funds: vintages and managers</h3>");
    html += &format!(
        "<p>The same funds with a vintage factor (a good year lifts every fund of its vintage and exits it sooner) and manager \
         skill that persists from a manager's fund to the next (preset <code>ca-2004-2013</code>, {} funds, a tenth in each of ten \
         simulated vintages). The simulated vintages are one draw of ten and carry no calendar year, so they are ranked by their \
         median and set against the published quartiles on the assumption the calibration makes: 2004 was the lowest of the ten \
         vintages and 2010 the highest. Calibration and its misses: <code>docs/models/fund.md</code>. \
         Reproduce: <code>venturelab fund simulate --preset ca-2004-2013 --funds {}{seed}</code>.</p>",
        count(d.ca_funds as u64),
        d.ca_funds
    );
    html += &html_table(
        &[
            "net TVPI",
            "published p25",
            "published median",
            "published p75",
            "simulated p25",
            "simulated median",
            "simulated p75",
        ],
        &rows,
    );
    html += &figure(
        &chart,
        "Lines: the quartiles of net TVPI in each simulated vintage, vintages ranked by median. Grey dots: Cambridge Associates' \
         published quartiles for 2004 (at the lowest vintage), the 2004-2013 vintage average (in the middle) and 2010 (at the highest).",
    );
    let data = json!({
        "funds": d.ca_funds,
        "vintages": d.ca_vintages,
        "published": {"vintage_average": CA_VINTAGE_AVERAGE, "2004": CA_2004, "2010": CA_2010},
    });
    Ok((html, data))
}

/// The LP's portfolio of `lp-ca-2004-2013`: the section's HTML, its finding and its data.
fn lp_portfolio(d: &FundData) -> PresentResult<(String, String, serde_json::Value)> {
    let s = &d.lp;
    let chart = crate::lp::diversification_chart(&s.diversification, s.fund_net_tvpi_p50)?;
    let median_fund = multiple(s.fund_net_tvpi_p50);
    let need = match s.funds_for_median_90 {
        Some(k) => format!("needs {k} funds for a 90% chance of at least the median single fund's net TVPI ({median_fund})"),
        None => format!(
            "does not reach a 90% chance of the median single fund's net TVPI ({median_fund}) even with all {} funds",
            s.funds_per_portfolio
        ),
    };
    let finding = format!(
        "An LP committing to 4 venture funds a year for 10 years {need}; access to top-quartile managers adds {:+.2}x to the \
         median portfolio's net TVPI ({} against {}).",
        s.access.net_tvpi_gain_p50,
        multiple(s.access.net_tvpi.p50),
        multiple(s.net_tvpi.p50),
    );
    let rows: Vec<Vec<String>> = s
        .diversification
        .iter()
        .map(|r| {
            vec![
                r.funds.to_string(),
                multiple(r.p5),
                multiple(r.p50),
                multiple(r.p95),
                pct(r.prob_at_least_median_fund),
            ]
        })
        .collect();
    let mut html = String::from("<h3>The LP's portfolio of funds</h3>");
    html += &format!(
        "<p>An LP commits to 4 of these funds a year for 10 years (preset <code>lp-ca-2004-2013</code>, {} simulated \
         portfolios, each its own draw of vintages and managers), re-upping with a manager whose last fund returned 2x net. \
         {} The median portfolio's net IRR is {}, its Kaplan-Schoar PME against an 8% public \
         market {:.2}, and at the worst point it has {} of its commitments out of pocket (median liquidity need). \
         Reproduce: <code>venturelab lp simulate --preset lp-ca-2004-2013 --portfolios {}{}</code>.</p>",
        count(d.lp_portfolios as u64),
        esc(&finding),
        pct(s.net_irr.p50),
        s.ks_pme.p50,
        pct(s.liquidity_need.p50),
        d.lp_portfolios,
        seed_flag(d.seed),
    );
    html += &html_table(
        &[
            "first N funds",
            "net p5",
            "net median",
            "net p95",
            "P(>= median fund)",
        ],
        &rows,
    );
    html += &figure(
        &chart,
        "Net TVPI of the LP's first N commitments across portfolios: diversification across managers narrows the spread, \
         while the vintage factor every fund of a year shares keeps it from closing.",
    );
    let data = json!({"portfolios": d.lp_portfolios, "summary": s});
    Ok((html, finding, data))
}

fn quantile_row(name: &str, s: &venturelab::fund::Stat, f: fn(f64) -> String) -> Vec<String> {
    let mut row = vec![name.to_string()];
    row.extend(quantile_cells(s, f));
    row
}

/// A stage's name as people write it: `series_d_plus` -> "Series D plus", `seed` -> "Seed".
fn stage_label(name: &str) -> String {
    name.split('_')
        .enumerate()
        .map(|(i, word)| {
            let mut chars = word.chars();
            match chars.next() {
                Some(c) if i == 0 || word.len() == 1 => c.to_uppercase().chain(chars).collect(),
                _ => word.to_string(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::stage_label;

    #[test]
    fn stage_labels_read_as_written() {
        assert_eq!(stage_label("seed"), "Seed");
        assert_eq!(stage_label("series_a"), "Series A");
        assert_eq!(stage_label("series_d_plus"), "Series D plus");
        assert_eq!(stage_label(""), "");
    }
}
