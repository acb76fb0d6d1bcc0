//! SVG charts drawn with plotters. The SVG backend writes text as `<text>` elements, so no
//! system font is needed; a browser renders them with its own sans-serif.

use plotters::prelude::*;

use crate::error::{PresentError, PresentResult};

/// One named line of (x, y) points.
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// The three lines of a quartile band, upper first (p75, median, p25), from points
/// `(x, (p25, p50, p75))`.
pub fn quartile_lines(points: impl Iterator<Item = (f64, [f64; 3])> + Clone) -> Vec<Series> {
    ["p75", "median", "p25"]
        .iter()
        .zip([2, 1, 0])
        .map(|(name, k)| Series {
            name: name.to_string(),
            points: points.clone().map(|(x, q)| (x, q[k])).collect(),
        })
        .collect()
}

/// Colours for successive series (Tableau 10).
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

fn internal<E: std::fmt::Display>(e: E) -> PresentError {
    PresentError(format!("drawing a chart: {e}"))
}

fn bounds(series: &[Series]) -> (f64, f64, f64, f64) {
    let pts = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        return (0.0, 1.0, 0.0, 1.0);
    }
    let pad = ((y1 - y0) * 0.08).max(1e-9);
    (
        x0,
        x1.max(x0 + 1e-9),
        y0.min(0.0) - pad * (y0 < 0.0) as i32 as f64,
        y1 + pad,
    )
}

/// A line chart with a legend; y = 0 drawn as a thin rule when in range.
pub fn line_chart(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> PresentResult<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 400)).into_drawing_area();
        root.fill(&WHITE).map_err(internal)?;
        let (x0, x1, y0, y1) = bounds(series);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(internal)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(internal)?;
        if y0 < 0.0 && y1 > 0.0 {
            chart
                .draw_series(LineSeries::new(
                    [(x0, 0.0), (x1, 0.0)],
                    BLACK.stroke_width(1),
                ))
                .map_err(internal)?;
        }
        for (i, s) in series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(
                    s.points.iter().copied(),
                    color.stroke_width(2),
                ))
                .map_err(internal)?
                .label(s.name.clone())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .draw()
            .map_err(internal)?;
        root.present().map_err(internal)?;
    }
    Ok(svg)
}

/// A bar chart of labelled values (one bar per label, labels under the bars).
pub fn bar_chart(title: &str, y_label: &str, bars: &[(String, f64)]) -> PresentResult<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(internal)?;
        let ymax = bars.iter().map(|b| b.1).fold(0.0f64, f64::max).max(1e-9) * 1.1;
        let ymin = bars.iter().map(|b| b.1).fold(0.0f64, f64::min) * 1.1;
        // Integer ranges are inclusive in plotters: 0..n - 1 makes exactly n segments.
        let n = bars.len().max(1) as u32;
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((0u32..n - 1).into_segmented(), ymin..ymax)
            .map_err(internal)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n as usize)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(y_label)
            .draw()
            .map_err(internal)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                // One series: one colour (a colour per bar would suggest categories that
                // the bars are not).
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i as u32), 0.0),
                        (SegmentValue::Exact(i as u32 + 1), b.1),
                    ],
                    PALETTE[0].filled(),
                );
                bar.set_margin(0, 0, 8, 8);
                bar
            }))
            .map_err(internal)?;
        root.present().map_err(internal)?;
    }
    Ok(svg)
}
