//! Report section: fund metrics on a worked example.

use serde_json::json;
use venturelab_app::report::{MoneyData, MONEY_EXAMPLE as EXAMPLE, MONEY_NAV as NAV};

use super::{esc, figure, html_table, Section};
use crate::charts::{bar_chart, line_chart, Axis, Series};
use crate::error::PresentResult;
use crate::table::{money, multiple, opt_pct, pct};

/// $M amounts in prose: 83.0 -> "$83.0M".
fn millions(v: f64) -> String {
    format!("${v:.1}M")
}

pub fn build(data: &MoneyData) -> PresentResult<Section> {
    let m = &data.metrics;
    let p = &data.pme;

    let mut cumulative = 0.0;
    let mut paid = 0.0;
    let mut dist = 0.0;
    let mut rows = Vec::new();
    let mut cum_points = Vec::new();
    let mut dpi_points = Vec::new();
    for (year, (c, d, i)) in EXAMPLE.iter().enumerate() {
        cumulative += d - c;
        paid += c;
        dist += d;
        rows.push(vec![
            year.to_string(),
            money(*c),
            money(*d),
            money(d - c),
            money(cumulative),
            format!("{i:.0}"),
        ]);
        cum_points.push((year as f64, cumulative));
        dpi_points.push((year as f64, if paid > 0.0 { dist / paid } else { 0.0 }));
    }
    let jcurve = line_chart(
        "The J-curve: cumulative net cash flow to LPs",
        "year",
        "$M",
        &[Series {
            name: "cumulative net cash flow ($M)".into(),
            points: cum_points.clone(),
        }],
    )?;
    let dpi_chart = line_chart(
        "DPI by year: cash returned per dollar paid in",
        "year",
        Axis::multiple("DPI"),
        &[Series {
            name: "DPI".into(),
            points: dpi_points.clone(),
        }],
    )?;

    let mut wf_rows = Vec::new();
    let mut wf_data = Vec::new();
    let mut bars = Vec::new();
    for (c, pr, y, w) in &data.waterfalls {
        let (c, pr, y) = (*c, *pr, *y);
        wf_rows.push(vec![
            money(pr),
            money(w.lp),
            money(w.gp),
            pct(w.gp_carry / (pr - c).max(1e-12)),
            w.tiers
                .iter()
                .rev()
                .find(|t| t.lp + t.gp > 0.0)
                .map(|t| t.tier.replace('_', " "))
                .unwrap_or_default(),
        ]);
        bars.push((format!("{pr:.0} proceeds"), w.gp));
        wf_data.push(json!({"contributed": c, "proceeds": pr, "years": y, "result": w}));
    }
    let wf_chart = bar_chart(
        "GP carry by fund outcome ($M), 8% hurdle, 20% carry, full catch-up",
        "GP carry ($M)",
        &bars,
    )?;

    let beat = p.ks_pme > 1.0;
    let reading = format!(
        "This illustrative fund called {paid} and paid back {dist} in cash, with {nav} still held: a TVPI of {tvpi} of which \
         only {dpi} is cash (DPI); the rest ({rvpi}, RVPI) is a valuation that has not been realised. Its IRR of {irr} \
         looks healthy, but the same money put into the public index on the same dates would have grown too: the \
         Kaplan-Schoar PME of {ks:.2} says the fund {verdict} the index by {gap:.0}% over its life, and direct alpha of \
         {alpha} a year is that excess as an annual rate. The J-curve shows why IRR alone misleads early on: LPs are \
         out of pocket for the first {trough} years.",
        paid = millions(m.paid_in),
        dist = millions(m.distributed),
        nav = millions(NAV),
        tvpi = multiple(m.tvpi),
        dpi = multiple(m.dpi),
        rvpi = multiple(m.rvpi),
        irr = opt_pct(m.irr),
        ks = p.ks_pme,
        verdict = if beat { "beat" } else { "trailed" },
        gap = (p.ks_pme - 1.0).abs() * 100.0,
        alpha = opt_pct(p.direct_alpha),
        trough = cum_points.iter().filter(|(_, c)| *c < 0.0).count(),
    );

    let mut html = String::new();
    html += "<p>The measures fund managers and LPs quote every day, on one worked example. \
             <strong>TVPI</strong> (total value to paid-in) = (distributions + remaining value) / contributions; \
             <strong>DPI</strong> = distributions / contributions (the cash part); <strong>RVPI</strong> = remaining value / contributions. \
             <strong>IRR</strong> is the rate that makes the flows' present value zero. <strong>PME</strong> measures compare the fund \
             with the same dollars in a public index. Formulas and sources: <code>docs/models/money.md</code>.</p>";
    html += &format!("<p class=\"reading\">{}</p>", esc(&reading));
    html += &html_table(
        &[
            "year",
            "called ($M)",
            "distributed ($M)",
            "net ($M)",
            "cumulative ($M)",
            "index",
        ],
        &rows,
    );
    html += &html_table(
        &["measure", "value"],
        &[
            vec!["TVPI".into(), multiple(m.tvpi)],
            vec!["DPI".into(), multiple(m.dpi)],
            vec!["RVPI".into(), multiple(m.rvpi)],
            vec!["IRR (per year)".into(), opt_pct(m.irr)],
            vec!["index IRR".into(), opt_pct(p.index_irr)],
            vec!["KS-PME".into(), format!("{:.3}", p.ks_pme)],
            vec!["LN-PME IRR".into(), opt_pct(p.ln_pme_irr)],
            vec!["PME+ IRR".into(), opt_pct(p.pme_plus_irr)],
            vec!["direct alpha".into(), opt_pct(p.direct_alpha)],
        ],
    );
    html += &figure(&jcurve, "Cumulative net cash flow to LPs by year: negative while capital is called, positive once distributions exceed calls.");
    html += &figure(
        &dpi_chart,
        "DPI by year: the share of paid-in capital returned in cash.",
    );
    html += "<h3>Who gets what: the European waterfall</h3><p>A $100M fund distributes its proceeds after 7 years: first LPs get their capital back, then an 8% preferred return compounded over the 7 years, then the GP catches up until it holds 20% of the profit, then profit is split 80/20. Below the hurdle the GP gets nothing; inside the catch-up it gets everything.</p>";
    html += &html_table(
        &[
            "proceeds ($M)",
            "to LPs ($M)",
            "to GP ($M)",
            "GP share of profit",
            "last tier reached",
        ],
        &wf_rows,
    );
    html += &figure(&wf_chart, "GP carried interest at three fund outcomes.");

    Ok(Section {
        findings: Vec::new(),
        id: "fund-metrics",
        title: "Fund metrics on a worked example".into(),
        html,
        data: json!({
            "example_flows": EXAMPLE.iter().enumerate().map(|(y, (c, d, i))| json!({"year": y, "called": c, "distributed": d, "index": i})).collect::<Vec<_>>(),
            "nav": NAV,
            "metrics": m,
            "pme": p,
            "j_curve": cum_points.iter().map(|(x, y)| json!({"year": x, "cumulative": y})).collect::<Vec<_>>(),
            "dpi_by_year": dpi_points.iter().map(|(x, y)| json!({"year": x, "dpi": y})).collect::<Vec<_>>(),
            "waterfalls": wf_data,
        }),
    })
}

#[cfg(test)]
mod tests {
    use venturelab_app::report::{money_data, MONEY_EXAMPLE};

    #[test]
    fn text_table_and_chart_agree() {
        // Issue 16 item 8: the section's prose, measures table, flows table and DPI chart
        // must tell one story. The flows table's columns, by hand:
        // called 20 + 25 + 20 + 15 + 10 + 5 = 95; distributed 2 + 5 + 10 + 20 + 35 + 40 + 30
        // + 25 = 167; NAV 30, so DPI 167/95 = 1.76x and TVPI 197/95 = 2.07x.
        let data = money_data().unwrap();
        let s = super::build(&data).unwrap();
        let called: f64 = MONEY_EXAMPLE.iter().map(|e| e.0).sum();
        let distributed: f64 = MONEY_EXAMPLE.iter().map(|e| e.1).sum();
        assert_eq!((called, distributed), (95.0, 167.0));
        assert_eq!(data.metrics.paid_in, called);
        assert_eq!(data.metrics.distributed, distributed);
        // The chart's last DPI point is the measure.
        let last = s.data["dpi_by_year"].as_array().unwrap().last().unwrap()["dpi"]
            .as_f64()
            .unwrap();
        assert_eq!(last, data.metrics.dpi);
        assert_eq!(s.data["metrics"]["dpi"].as_f64().unwrap(), data.metrics.dpi);
        // The prose and the measures table print the same numbers.
        for text in [
            "called $95.0M",
            "paid back $167.0M",
            "TVPI of 2.07x",
            "only 1.76x is cash",
        ] {
            assert!(s.html.contains(text), "missing '{text}'");
        }
        assert!(s.html.contains("<td>1.76x</td>") || s.html.contains(">1.76x<"));
        assert!(!s.html.contains("$83.0M") && !s.html.contains("$155.0M"));
    }
}
