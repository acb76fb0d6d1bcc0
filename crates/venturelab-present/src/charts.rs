//! SVG charts drawn with plotters, in one house style for every front end (the CLI's
//! `--out`/`--plot` files and the HTML report alike). The SVG backend writes text as
//! `<text>` elements, so no system font is needed; a browser renders them with its own
//! sans-serif.
//!
//! The style: a 480 px wide canvas with 16 px text (the report shows it 520 px wide on a
//! desktop, text about 17 px, and scales it down with the page on a phone: about 12.5 px
//! at 390 px),
//! the title wrapped above the plot, the legend in rows below it (never over the data),
//! tick labels in the axis's own unit (`20`, not `20.0`; `$10M`; `40%`; `2x`), money on a
//! log scale with a tick per decade where asked, and a colour-blind safe palette.

use plotters::coord::Shift;
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

/// How an axis writes its tick values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ticks {
    /// Numbers with as few decimals as the tick step needs (`20`, `0.5`).
    Plain,
    /// Dollar amounts (values in dollars): `$500k`, `$10M`, `$1.5B`.
    Money,
    /// Fractions written as percents: 0.4 -> `40%`.
    Percent,
    /// Multiples: 2.0 -> `2x`, 0.5 -> `0.5x`.
    Multiple,
}

/// An axis: its title, its tick format and whether it is on a log10 scale (then only
/// positive values are drawn and ticks fall on whole decades).
#[derive(Clone, Copy, Debug)]
pub struct Axis<'a> {
    pub label: &'a str,
    pub ticks: Ticks,
    pub log: bool,
}

impl<'a> Axis<'a> {
    pub fn plain(label: &'a str) -> Self {
        Axis {
            label,
            ticks: Ticks::Plain,
            log: false,
        }
    }
    pub fn money(label: &'a str) -> Self {
        Axis {
            ticks: Ticks::Money,
            ..Axis::plain(label)
        }
    }
    pub fn percent(label: &'a str) -> Self {
        Axis {
            ticks: Ticks::Percent,
            ..Axis::plain(label)
        }
    }
    pub fn multiple(label: &'a str) -> Self {
        Axis {
            ticks: Ticks::Multiple,
            ..Axis::plain(label)
        }
    }
    /// The same axis on a log10 scale.
    pub fn log(self) -> Self {
        Axis { log: true, ..self }
    }
}

impl<'a> From<&'a str> for Axis<'a> {
    fn from(label: &'a str) -> Self {
        Axis::plain(label)
    }
}

impl<'a> From<&'a String> for Axis<'a> {
    fn from(label: &'a String) -> Self {
        Axis::plain(label)
    }
}

/// Okabe-Ito colours for successive series: distinguishable with the common forms of
/// colour blindness (blue, vermillion, bluish green, reddish purple, orange, sky blue).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// Canvas width in SVG px (the report caps the chart at this width).
const WIDTH: u32 = 480;
/// Height of the plot with its axes, without title and legend, in SVG px.
const PLOT_HEIGHT: u32 = 330;
/// Type scale in SVG px: title, axis titles and tick labels, legend.
const TITLE_PX: u32 = 18;
const TEXT_PX: u32 = 16;
/// Line height of wrapped title and legend rows, in SVG px.
const LINE_PX: u32 = 24;
const MARGIN: u32 = 10;
/// Room right of the plot so that the last x tick label is not cut (half a label).
const RIGHT_PX: u32 = 26;
const FONT: &str = "sans-serif";
/// plotters' SVG backend writes a font's size divided by 1.24 (its point-to-pixel
/// convention), so a size asked of it is the wanted pixel size times this.
const PLOTTERS_FONT_SCALE: f64 = 1.24;

/// The sans-serif at `px` SVG pixels as drawn.
fn font(px: u32) -> FontDesc<'static> {
    (FONT, px as f64 * PLOTTERS_FONT_SCALE).into_font()
}
const INK: RGBColor = RGBColor(51, 51, 51);
const GRID: RGBColor = RGBColor(230, 230, 230);

/// Width of `text` at `px` in a typical sans-serif, for layout only (0.56 em a character
/// errs wide, so wrapped lines and legend rows do not collide).
fn text_width(text: &str, px: u32) -> u32 {
    (text.chars().count() as f64 * px as f64 * 0.56).ceil() as u32
}

/// Words of `text` in lines at most `width` px wide at `px`.
fn wrap(text: &str, px: u32, width: u32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), px) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

fn internal<E: std::fmt::Display>(e: E) -> PresentError {
    PresentError(format!("drawing a chart: {e}"))
}

/// A tick label: `v` (in the axis's own scale; a decade exponent on a log axis) written
/// with the decimals a step of `step` needs.
fn tick_label(axis: &Axis, v: f64, step: f64) -> String {
    let (v, step) = if axis.log {
        let x = 10f64.powf(v);
        (x, x)
    } else {
        (v, step)
    };
    let decimals = |step: f64| -> usize {
        if step > 0.0 && step.is_finite() {
            (-step.log10().floor()).clamp(0.0, 6.0) as usize
        } else {
            0
        }
    };
    let trim = |s: String| -> String {
        if s.contains('.') {
            let t = s.trim_end_matches('0').trim_end_matches('.');
            // -0.0 rounded: "0", not "-0".
            if t == "-0" {
                "0".into()
            } else {
                t.to_string()
            }
        } else {
            s
        }
    };
    // The step's decimals, or more if the value needs them (never two ticks one label).
    let plain = |v: f64, step: f64| {
        let d = decimals(step).max(decimals_of(v));
        trim(format!("{v:.d$}"))
    };
    match axis.ticks {
        Ticks::Plain => plain(v, step),
        Ticks::Percent => format!("{}%", plain(v * 100.0, step * 100.0)),
        Ticks::Multiple => format!("{}x", plain(v, step)),
        Ticks::Money if v.abs() < step.abs() * 1e-9 => "$0".into(),
        Ticks::Money => {
            let a = v.abs().max(step.abs());
            let (scale, unit) = [(1e9, "B"), (1e6, "M"), (1e3, "k"), (1.0, "")]
                .into_iter()
                .find(|(s, _)| a >= *s)
                .unwrap_or((1.0, ""));
            let sign = if v < 0.0 { "-" } else { "" };
            format!("{sign}${}{unit}", plain(v.abs() / scale, step / scale))
        }
    }
}

/// Decimals `v` needs to be written exactly to six places (0.25 -> 2, 20 -> 0).
fn decimals_of(v: f64) -> usize {
    let s = format!("{v:.6}");
    let t = s.trim_end_matches('0');
    t.len() - t.find('.').map_or(t.len() - 1, |i| i) - 1
}

/// The value drawn on an axis: log10 of it on a log axis, `None` where a log axis cannot
/// show it (zero, negative).
fn scaled(axis: &Axis, v: f64) -> Option<f64> {
    match (axis.log, v.is_finite()) {
        (_, false) => None,
        (true, _) if v <= 0.0 => None,
        (true, _) => Some(v.log10()),
        (false, _) => Some(v),
    }
}

/// Number of tick labels to ask plotters for: on a log axis one a decade (plotters picks
/// steps of 1, 2 or 5 times a power of ten, so a limit of one per whole number in range
/// gives a step of exactly one decade); otherwise about six.
fn label_count(axis: &Axis, lo: f64, hi: f64) -> usize {
    if axis.log {
        ((hi.floor() - lo.ceil()) as usize + 1).max(2)
    } else {
        6
    }
}

/// The step between ticks plotters will choose for at most `count` labels on `lo..hi`:
/// its own search (plotters 0.3's float key points), from the power of ten below the span
/// down by factors 2, 5, 10 while the multiples of the step inside the range still number
/// at most `count`.
fn tick_step(lo: f64, hi: f64, count: usize) -> f64 {
    let span = (hi - lo).abs();
    if span < f64::EPSILON || count == 0 {
        return 1.0;
    }
    let points = |s: f64| ((hi / s).floor() - (lo / s).ceil() + 1.0).round() as usize;
    let mut step = 10f64.powf(span.log10().floor());
    if points(step) > count {
        step *= 10.0;
    }
    loop {
        let old = step;
        for f in [2.0, 5.0, 10.0] {
            if points(old / f) > count {
                return step;
            }
            step = old / f;
        }
        if step < 1e-12 * span {
            return step;
        }
    }
}

/// Splits the canvas into title, plot and legend areas and draws the title. Returns the
/// plot area and the legend area.
type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

fn legend_rows(names: &[&str]) -> Vec<Vec<usize>> {
    let avail = WIDTH - 2 * MARGIN;
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = avail;
    for (i, n) in names.iter().enumerate() {
        let w = 30 + text_width(n, TEXT_PX) + 18;
        if used + w > avail {
            rows.push(Vec::new());
            used = 0;
        }
        used += w;
        if let Some(r) = rows.last_mut() {
            r.push(i);
        }
    }
    rows
}

/// Draws the chart's frame (title above, legend below) and hands the plot area to `plot`.
fn frame(
    svg: &mut String,
    title: &str,
    legend: &[&str],
    colors: &[RGBColor],
    plot: impl FnOnce(&Area<'_>) -> PresentResult<()>,
) -> PresentResult<()> {
    let title_lines = wrap(title, TITLE_PX, WIDTH - 2 * MARGIN);
    let rows = if legend.len() > 1 {
        legend_rows(legend)
    } else {
        Vec::new()
    };
    let title_h = MARGIN + LINE_PX * title_lines.len() as u32 + 6;
    let legend_h = if rows.is_empty() {
        0
    } else {
        LINE_PX * rows.len() as u32 + MARGIN
    };
    let height = title_h + PLOT_HEIGHT + legend_h;
    let root = SVGBackend::with_string(svg, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE).map_err(internal)?;
    let (top, rest) = root.split_vertically(title_h);
    let (body, bottom) = rest.split_vertically(PLOT_HEIGHT);
    let style = TextStyle::from(font(TITLE_PX)).color(&BLACK);
    for (i, line) in title_lines.iter().enumerate() {
        top.draw_text(
            line,
            &style,
            (MARGIN as i32, (MARGIN + LINE_PX * i as u32) as i32),
        )
        .map_err(internal)?;
    }
    plot(&body)?;
    let text = TextStyle::from(font(TEXT_PX)).color(&INK);
    for (r, row) in rows.iter().enumerate() {
        let y = (LINE_PX * r as u32 + LINE_PX / 2) as i32;
        let mut x = MARGIN as i32;
        for &i in row {
            let color = colors[i];
            bottom
                .draw(&PathElement::new(
                    [(x, y), (x + 24, y)],
                    color.stroke_width(3),
                ))
                .map_err(internal)?;
            bottom
                .draw_text(legend[i], &text, (x + 30, y - TEXT_PX as i32 / 2 - 1))
                .map_err(internal)?;
            x += (30 + text_width(legend[i], TEXT_PX) + 18) as i32;
        }
    }
    root.present().map_err(internal)?;
    Ok(())
}

fn bounds(series: &[Vec<(f64, f64)>], y_log: bool) -> (f64, f64, f64, f64) {
    let pts = series.iter().flat_map(|s| s.iter());
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
    let y_lo = if y_log {
        y0 - pad
    } else {
        // A linear y axis starts at zero unless the data go below it.
        y0.min(0.0) - pad * (y0 < 0.0) as i32 as f64
    };
    (x0, x1.max(x0 + 1e-9), y_lo, y1 + pad)
}

/// The y label area's width: the longest tick label plus room for the axis title.
fn y_area(axis: &Axis, lo: f64, hi: f64) -> u32 {
    let count = label_count(axis, lo, hi);
    let step = tick_step(lo, hi, count);
    let widest = [lo, hi, (lo + hi) / 2.0, lo + step, hi - step]
        .iter()
        .map(|v| text_width(&tick_label(axis, (v / step).round() * step, step), TEXT_PX))
        .max()
        .unwrap_or(0);
    widest + 14 + LINE_PX
}

/// A line chart, legend below the plot; y = 0 drawn as a rule when in range. Axes are
/// given as an [`Axis`] or a plain title (`"year"`).
pub fn line_chart<'a>(
    title: &str,
    x: impl Into<Axis<'a>>,
    y: impl Into<Axis<'a>>,
    series: &[Series],
) -> PresentResult<String> {
    plot_chart(title, x.into(), y.into(), None, series)
}

/// Data as grey dots with lines over them (a fit against its data), legend below; the
/// dots' series comes first in the legend.
pub fn dots_and_lines(
    title: &str,
    x: Axis,
    y: Axis,
    dots: &Series,
    lines: &[Series],
) -> PresentResult<String> {
    plot_chart(title, x, y, Some(dots), lines)
}

const DOTS: RGBColor = RGBColor(150, 150, 150);

fn plot_chart(
    title: &str,
    x: Axis,
    y: Axis,
    dots: Option<&Series>,
    series: &[Series],
) -> PresentResult<String> {
    let on_axes = |s: &Series| -> Vec<(f64, f64)> {
        s.points
            .iter()
            .filter_map(|&(a, b)| Some((scaled(&x, a)?, scaled(&y, b)?)))
            .collect()
    };
    let lines: Vec<Vec<(f64, f64)>> = series.iter().map(on_axes).collect();
    let dot_points: Vec<(f64, f64)> = dots.map(on_axes).unwrap_or_default();
    let mut all = lines.clone();
    all.push(dot_points.clone());
    let (x0, x1, y0, y1) = bounds(&all, y.log);
    // Legend entries: the dots (if any), then each line; colours follow the lines' order.
    let names: Vec<&str> = dots
        .into_iter()
        .chain(series.iter())
        .map(|s| s.name.as_str())
        .collect();
    let colors: Vec<RGBColor> = dots
        .iter()
        .map(|_| DOTS)
        .chain((0..series.len()).map(|i| PALETTE[i % PALETTE.len()]))
        .collect();
    let mut svg = String::new();
    frame(&mut svg, title, &names, &colors, |area| {
        let (xn, yn) = (label_count(&x, x0, x1), label_count(&y, y0, y1));
        let (xs, ys) = (tick_step(x0, x1, xn), tick_step(y0, y1, yn));
        let mut chart = ChartBuilder::on(area)
            .margin_left(MARGIN)
            .margin_right(RIGHT_PX)
            .margin_top(6)
            .x_label_area_size(TEXT_PX + 14 + LINE_PX)
            .y_label_area_size(y_area(&y, y0, y1))
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(internal)?;
        let fx = |v: &f64| tick_label(&x, *v, xs);
        let fy = |v: &f64| tick_label(&y, *v, ys);
        chart
            .configure_mesh()
            .x_desc(x.label)
            .y_desc(y.label)
            .x_labels(xn)
            .y_labels(yn)
            .x_label_formatter(&fx)
            .y_label_formatter(&fy)
            .label_style(font(TEXT_PX).color(&INK))
            .axis_desc_style(font(TEXT_PX).color(&INK))
            .bold_line_style(GRID)
            .light_line_style(WHITE.mix(0.0))
            .axis_style(INK)
            .draw()
            .map_err(internal)?;
        if !y.log && y0 < 0.0 && y1 > 0.0 {
            chart
                .draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], INK.stroke_width(1)))
                .map_err(internal)?;
        }
        chart
            .draw_series(dot_points.iter().map(|&p| Circle::new(p, 3, DOTS.filled())))
            .map_err(internal)?;
        for (i, pts) in lines.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(pts.iter().copied(), color.stroke_width(3)))
                .map_err(internal)?;
        }
        Ok(())
    })?;
    Ok(svg)
}

/// A bar chart of labelled values, one colour (the bars are one series, not categories).
/// Bars stand up with their labels underneath when the labels fit under them; otherwise
/// they lie down with the labels at their left (a taller chart that keeps labels whole).
pub fn bar_chart<'a>(
    title: &str,
    y: impl Into<Axis<'a>>,
    bars: &[(String, f64)],
) -> PresentResult<String> {
    let y = y.into();
    let vmax = bars.iter().map(|b| b.1).fold(0.0f64, f64::max).max(1e-9) * 1.1;
    let vmin = bars.iter().map(|b| b.1).fold(0.0f64, f64::min) * 1.1;
    // Integer ranges are inclusive in plotters: 0..n - 1 makes exactly n segments.
    let n = bars.len().max(1) as u32;
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, TEXT_PX))
        .max()
        .unwrap_or(0);
    let y_room = y_area(&y, vmin, vmax);
    let slot = (WIDTH - y_room - MARGIN - RIGHT_PX) / n;
    let count = label_count(&y, vmin, vmax);
    let step = tick_step(vmin, vmax, count);
    let fv = |v: &f64| tick_label(&y, *v, step);
    let category = |x: &SegmentValue<u32>| match x {
        SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let row_label = |y: &SegmentValue<u32>| match y {
        SegmentValue::CenterOf(r) => labels
            .get((n - 1).wrapping_sub(*r) as usize)
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    let mut svg = String::new();
    frame(&mut svg, title, &[], &[], |area| {
        if widest + 8 <= slot {
            let mut chart = ChartBuilder::on(area)
                .margin_left(MARGIN)
                .margin_right(RIGHT_PX)
                .margin_top(6)
                .x_label_area_size(TEXT_PX + 14)
                .y_label_area_size(y_room)
                .build_cartesian_2d((0u32..n - 1).into_segmented(), vmin..vmax)
                .map_err(internal)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n as usize)
                .x_label_formatter(&category)
                .y_labels(count)
                .y_label_formatter(&fv)
                .y_desc(y.label)
                .label_style(font(TEXT_PX).color(&INK))
                .axis_desc_style(font(TEXT_PX).color(&INK))
                .bold_line_style(GRID)
                .light_line_style(WHITE.mix(0.0))
                .axis_style(INK)
                .draw()
                .map_err(internal)?;
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    let mut bar = Rectangle::new(
                        [
                            (SegmentValue::Exact(i as u32), 0.0),
                            (SegmentValue::Exact(i as u32 + 1), b.1),
                        ],
                        PALETTE[0].filled(),
                    );
                    bar.set_margin(0, 0, 6, 6);
                    bar
                }))
                .map_err(internal)?;
        } else {
            let mut chart = ChartBuilder::on(area)
                .margin_left(MARGIN)
                .margin_right(RIGHT_PX)
                .margin_top(6)
                .x_label_area_size(TEXT_PX + 14 + LINE_PX)
                .y_label_area_size(widest + 12)
                .build_cartesian_2d(vmin..vmax, (0u32..n - 1).into_segmented())
                .map_err(internal)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n as usize)
                .y_label_formatter(&row_label)
                .x_labels(count)
                .x_label_formatter(&fv)
                .x_desc(y.label)
                .label_style(font(TEXT_PX).color(&INK))
                .axis_desc_style(font(TEXT_PX).color(&INK))
                .bold_line_style(GRID)
                .light_line_style(WHITE.mix(0.0))
                .axis_style(INK)
                .draw()
                .map_err(internal)?;
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    // The first bar on top, read downwards like a table.
                    let row = n - 1 - i as u32;
                    let mut bar = Rectangle::new(
                        [
                            (0.0, SegmentValue::Exact(row)),
                            (b.1, SegmentValue::Exact(row + 1)),
                        ],
                        PALETTE[0].filled(),
                    );
                    bar.set_margin(3, 3, 0, 0);
                    bar
                }))
                .map_err(internal)?;
        }
        Ok(())
    })?;
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected labels written out by hand from the formats' definitions.
    #[test]
    fn tick_labels_in_the_axis_unit() {
        assert_eq!(tick_label(&Axis::plain("n"), 20.0, 5.0), "20");
        assert_eq!(tick_label(&Axis::plain("n"), 0.5, 0.1), "0.5");
        assert_eq!(tick_label(&Axis::plain("n"), -1e-9, 0.5), "0");
        assert_eq!(tick_label(&Axis::percent("p"), 0.4, 0.1), "40%");
        assert_eq!(tick_label(&Axis::percent("p"), 0.025, 0.005), "2.5%");
        assert_eq!(tick_label(&Axis::multiple("m"), 2.0, 0.5), "2x");
        assert_eq!(tick_label(&Axis::money("$"), 35e6, 5e6), "$35M");
        assert_eq!(tick_label(&Axis::money("$"), 0.0, 5e6), "$0");
        assert_eq!(tick_label(&Axis::money("$"), 1.5e9, 5e8), "$1.5B");
        assert_eq!(tick_label(&Axis::money("$"), 500e3, 100e3), "$500k");
        assert_eq!(tick_label(&Axis::money("$").log(), 7.0, 1.0), "$10M");
        assert_eq!(tick_label(&Axis::money("$").log(), 8.0, 1.0), "$100M");
    }

    #[test]
    fn ticks_steps_are_one_two_five() {
        // 0..10 with at most 6 labels: step 2 (0, 2, ..., 10); a step of 1 makes 11.
        assert_eq!(tick_step(0.0, 10.0, 6), 2.0);
        // 6.3..9.1 decades with at most 3 labels: step 1 (7, 8, 9).
        assert_eq!(tick_step(6.3, 9.1, 3), 1.0);
        assert_eq!(label_count(&Axis::money("$").log(), 6.3, 9.1), 3);
        // -90..80 with at most 6: multiples of 50 (-50, 0, 50); of 20 there would be 9.
        assert_eq!(tick_step(-90.0, 80.0, 6), 50.0);
        assert_eq!(decimals_of(0.25), 2);
        assert_eq!(decimals_of(20.0), 0);
        assert_eq!(tick_label(&Axis::plain("n"), 0.25, 1.0), "0.25");
    }

    #[test]
    fn titles_wrap_and_legends_sit_below() {
        let long = "Companies still operating, by month (shut down and acquired ones leave)";
        let lines = wrap(long, TITLE_PX, WIDTH - 2 * MARGIN);
        // About 8.6 px a character at 18 px: the 72 characters need more than one line,
        // and every line fits the canvas.
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines
            .iter()
            .all(|l| text_width(l, TITLE_PX) <= WIDTH - 2 * MARGIN));
        assert_eq!(lines.join(" "), long);
        let svg = line_chart(
            long,
            "month",
            Axis::percent("share"),
            &[
                Series {
                    name: "a".into(),
                    points: vec![(0.0, 1.0), (20.0, 0.5)],
                },
                Series {
                    name: "b".into(),
                    points: vec![(0.0, 1.0), (20.0, 0.2)],
                },
            ],
        )
        .unwrap();
        // plotters writes each text's content on its own line.
        let texts: Vec<&str> = svg
            .lines()
            .map(str::trim)
            .filter(|l| !l.starts_with('<'))
            .collect();
        for want in ["100%", "20%", "0", "5", "20", "a", "b"] {
            assert!(texts.contains(&want), "{want} not in {texts:?}");
        }
        assert!(!texts.iter().any(|t| t.contains(".0")), "{texts:?}");
        // The title is drawn as the lines `wrap` made.
        for line in &lines {
            assert!(texts.contains(&line.as_str()), "{line} not in {texts:?}");
        }
        // The legend lies below the plot: its texts come after every tick label.
        let a = texts.iter().position(|t| *t == "a").unwrap();
        let tick = texts.iter().position(|t| *t == "20").unwrap();
        assert!(a > tick);
    }
}
