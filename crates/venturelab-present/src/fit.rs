//! Text and the CCDF plot of a fit report.

use plotters::prelude::*;
use venturelab_app::fit::{FitCurves, FitReport};

use crate::error::{PresentError, PresentResult};
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
        ("observations", r.n.to_string()),
        ("type", format!("{} ({})", r.kind, r.type_reason)),
        ("xmin", format!("{}", r.xmin)),
        ("alpha", format!("{:.4} ± {:.4}", r.alpha, r.alpha_se)),
        ("tail size", r.n_tail.to_string()),
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
    let internal = |e: &dyn std::fmt::Display| PresentError(format!("drawing the plot: {e}"));
    let x0 = c.data.first().map(|p| p.0).unwrap_or(c.xmin);
    let x1 = c.data.last().map(|p| p.0).unwrap_or(x0);
    let ymin = c.ymin;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| internal(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "CCDF P(X >= x) with the fitted power law and alternatives",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((x0..x1 * 1.5).log_scale(), (ymin * 0.5..1.0).log_scale())
            .map_err(|e| internal(&e))?;
        chart
            .configure_mesh()
            .x_desc("x")
            .y_desc("P(X >= x)")
            .draw()
            .map_err(|e| internal(&e))?;
        chart
            .draw_series(
                c.data
                    .iter()
                    .map(|&p| Circle::new(p, 2, RGBColor(120, 120, 120).filled())),
            )
            .map_err(|e| internal(&e))?
            .label("data")
            .legend(|(x, y)| Circle::new((x + 8, y), 3, RGBColor(120, 120, 120).filled()));
        let red = RGBColor(214, 39, 40);
        chart
            .draw_series(LineSeries::new(c.power_law.clone(), red.stroke_width(3)))
            .map_err(|e| internal(&e))?
            .label(format!("power law, alpha {:.2}", c.alpha))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], red.stroke_width(3)));
        let colors = [
            RGBColor(31, 119, 180),
            RGBColor(44, 160, 44),
            RGBColor(255, 127, 14),
            RGBColor(148, 103, 189),
        ];
        for (k, (name, line)) in c.alternatives.iter().enumerate() {
            let color = colors[k % colors.len()];
            chart
                .draw_series(LineSeries::new(line.clone(), color.stroke_width(1)))
                .map_err(|e| internal(&e))?
                .label(name.replace('_', " "))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(1))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(|e| internal(&e))?;
        root.present().map_err(|e| internal(&e))?;
    }
    Ok(svg)
}
