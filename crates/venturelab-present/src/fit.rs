//! Text and the CCDF plot of a fit report.

use venturelab_app::fit::{FitCurves, FitReport};

use crate::charts::{dots_and_lines, Axis, Series};
use crate::error::PresentResult;
use crate::table::{key_values, render};

/// Table rows (alternative, LR, p, favors) of the likelihood-ratio tests, in the order
/// they were asked for.
pub fn comparison_rows(r: &FitReport) -> Vec<Vec<String>> {
    r.comparison_order()
        .into_iter()
        .filter_map(|n| r.comparisons.get(n).map(|c| (n, c)))
        .map(|(n, c)| {
            let num = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
            vec![
                n.replace('_', " "),
                num(c.lr),
                num(c.p),
                if c.failed.is_some() {
                    "comparison failed".to_string()
                } else {
                    c.favors.replace('_', " ")
                },
            ]
        })
        .collect()
}

pub fn fit_text(r: &FitReport) -> String {
    let mut rows = vec![
        ("observations", crate::table::count(r.n)),
        ("type", format!("{} ({})", r.kind, r.type_reason)),
        ("xmin", format!("{}", r.xmin)),
        ("alpha", format!("{:.4} ± {:.4}", r.alpha, r.alpha_se)),
        ("tail size", crate::table::count(r.n_tail)),
        ("KS distance", format!("{:.5}", r.ks_d)),
    ];
    if r.non_positive > 0 {
        rows.insert(
            1,
            (
                "set aside",
                format!(
                    "{} values <= 0 (never in a power-law tail; not fitted)",
                    r.non_positive
                ),
            ),
        );
    }
    match (r.p_value, r.bootstrap, r.xmin_sd, r.alpha_sd) {
        (Some(p), Some(reps), Some(xsd), Some(asd)) => {
            rows.push(("GoF p-value", format!("{p:.3} ({reps} replicates)")));
            rows.push(("xmin sd", format!("{xsd:.4}")));
            rows.push(("alpha sd", format!("{asd:.4}")));
        }
        _ => rows.push(("GoF p-value", "not computed (use --bootstrap 1000)".into())),
    }
    let mut text = key_values(&rows);
    if !r.comparisons.is_empty() {
        text += "\n";
        text += &render(&["alternative", "LR", "p", "favors"], &comparison_rows(r));
        text += "LR > 0 favours the power law; non-nested: normalised Vuong statistic; truncated power law: nested LR, chi-square p.\n";
        for n in r.comparison_order() {
            let Some(c) = r.comparisons.get(n) else {
                continue;
            };
            if let Some(why) = &c.failed {
                text += &format!(
                    "{}: comparison failed, no verdict: {why}.\n",
                    n.replace('_', " ")
                );
            } else if let Some(note) = &c.note {
                text += &format!("{}: {note}.\n", n.replace('_', " "));
            }
        }
    }
    text
}

/// Log-log CCDF of the data with the power law and the alternatives over the tail.
pub fn ccdf_plot(c: &FitCurves) -> PresentResult<String> {
    // The curves stop at half the smallest data probability (`ymin`), where
    // the old plot's axis stopped, so a fast-falling alternative does not stretch the axis.
    let clip = |line: &[(f64, f64)]| -> Vec<(f64, f64)> {
        line.iter()
            .copied()
            .filter(|p| p.1 >= c.ymin * 0.5)
            .collect()
    };
    let mut lines = vec![Series {
        name: format!("power law, alpha {:.2}", c.alpha),
        points: clip(&c.power_law),
    }];
    lines.extend(c.alternatives.iter().map(|(name, line)| Series {
        name: name.replace('_', " "),
        points: clip(line),
    }));
    dots_and_lines(
        "CCDF P(X >= x) with the fitted power law and alternatives",
        Axis::plain("x (log scale)").log(),
        Axis::plain("P(X >= x) (log scale)").log(),
        &Series {
            name: "data".into(),
            points: c.data.clone(),
        },
        &lines,
    )
}
