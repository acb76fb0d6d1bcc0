//! Report section: is it really a power law? The fund simulator's outcome distribution
//! fitted back with CSN, or the user's own data (`venturelab report --data FILE`).

use serde_json::json;
use venturelab_app::report::HeavyTailData;

use super::{esc, figure, html_table, Section};
use crate::error::{PresentError, PresentResult};
use crate::fit::{ccdf_plot, comparison_rows};
use crate::table::count;

pub fn build(d: &HeavyTailData) -> PresentResult<Section> {
    let f = &d.fit;
    let label = &d.label;
    let (p_value, reps, xmin_sd, alpha_sd) = match (f.p_value, f.bootstrap, f.xmin_sd, f.alpha_sd) {
        (Some(p), Some(r), Some(x), Some(a)) => (p, r, x, a),
        _ => return Err(PresentError("the report's fit has no bootstrap".into())),
    };
    let curves = f
        .curves
        .as_ref()
        .ok_or_else(|| PresentError("the report's fit has no curves".into()))?;
    let svg = ccdf_plot(curves)?;

    let verdict = if p_value >= 0.1 {
        "is plausible (the goodness-of-fit p-value is at least 0.1)"
    } else {
        "is ruled out (p < 0.1)"
    };
    let truth = if d.simulated {
        " The mix's top bucket is exactly a Pareto tail above 50x with survival exponent 2.5, i.e. alpha = 3.5 in this notation, \
         but it holds only 0.5% of companies; below it the buckets are uniform pieces, which no power law describes. The fit \
         finds whatever straight stretch of the CCDF best matches, which is why the method reports xmin and the tail size \
         and why a 'power law' headline needs both."
    } else {
        ""
    };
    let reading = format!(
        "Fitting {label} with the method of Clauset, Shalizi & Newman: above xmin = {xmin:.4} ({n_tail} of {n} observations) \
         the best power law has alpha = {alpha:.3} ± {se:.3}, and a power law {verdict}: p = {p:.2} from {reps} bootstrap \
         replicates. Against the alternatives the likelihood-ratio tests give: {tests}.{truth}",
        xmin = f.xmin,
        n_tail = f.n_tail,
        n = f.n,
        alpha = f.alpha,
        se = f.alpha_se,
        p = p_value,
        tests = f
            .comparison_order()
            .into_iter()
            .filter_map(|n| f.comparisons.get(n).map(|c| (n, c)))
            .map(|(name, c)| match (c.lr, c.p) {
                (Some(lr), Some(p)) if c.failed.is_none() => format!("{} {} (LR {lr:.2}, p {p:.2})", name.replace('_', " "), match c.favors.as_str() {
                    "neither" => "not distinguishable",
                    "power_law" => "worse than the power law",
                    _ => "better than the power law",
                }),
                _ => format!("{}: the comparison failed, no verdict", name.replace('_', " ")),
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    let rows = comparison_rows(f);
    let mut html = String::new();
    html += "<p>\"Venture returns follow a power law\" is said everywhere and tested almost nowhere. The standard test \
             (Clauset, Shalizi & Newman 2009) picks the xmin above which a power law fits best, estimates alpha by maximum \
             likelihood, asks by bootstrap whether the fit is plausible, and compares it with lognormal, exponential, \
             stretched-exponential and cut-off alternatives. <code>venturelab fit FILE</code> runs it on any data; \
             <code>venturelab report --data FILE</code> puts your data here. Method: <code>docs/models/dist.md</code>.</p>";
    html += &format!("<p class=\"reading\">{}</p>", esc(&reading));
    html += &html_table(
        &["measure", "value"],
        &[
            vec!["observations".into(), count(f.n)],
            vec!["xmin".into(), format!("{:.4}", f.xmin)],
            vec![
                "alpha".into(),
                format!("{:.3} ± {:.3}", f.alpha, f.alpha_se),
            ],
            vec!["tail size".into(), count(f.n_tail)],
            vec!["KS distance".into(), format!("{:.4}", f.ks_d)],
            vec![
                "goodness-of-fit p".into(),
                format!("{p_value:.2} ({reps} replicates)"),
            ],
            vec![
                "xmin / alpha bootstrap sd".into(),
                format!("{xmin_sd:.3} / {alpha_sd:.3}"),
            ],
        ],
    );
    html += &html_table(&["alternative", "LR", "p", "favors"], &rows);
    html += &figure(&svg, "Complementary CDF on log-log axes: the data, the fitted power law above xmin and the alternatives.");
    let what = if d.simulated {
        "the simulator's company multiples"
    } else {
        "your data"
    };
    let findings = vec![format!(
        "Is it a power law? For {what}, a power law above xmin = {:.3} ({} of {} observations, alpha = {:.2}) {} \
         ({}, {reps} bootstrap replicates).",
        f.xmin,
        count(f.n_tail),
        count(f.n),
        f.alpha,
        if p_value >= 0.1 { "is plausible" } else { "is ruled out" },
        // Two decimals, and no "p = 0.00" for a p-value that is small, not zero.
        if p_value < 0.005 { "p < 0.01".to_string() } else { format!("p = {p_value:.2}") },
    )];
    Ok(Section {
        findings,
        id: "heavy-tail",
        title: "Is it really a power law?".into(),
        html,
        data: json!({
            "data": label,
            "fit": f,
        }),
    })
}
