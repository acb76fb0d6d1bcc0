//! Text of the LP portfolio report.

use venturelab_app::lp::LpSimulateReport;

use crate::fund::quantile_cells;
use crate::table::{multiple, pct, render};

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
        s.portfolios, s.funds_per_portfolio, r.origin, r.seed
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
