//! `venturelab fit FILE`: is it a power law? Clauset-Shalizi-Newman, with the
//! alternatives and the bootstrap.

use std::path::PathBuf;

use clap::Args;
use plotters::prelude::*;
use serde_json::{json, Value};
use venturelab::dist::alternatives::{compare, tail_ccdf, Tail, ALL};
use venturelab::dist::bootstrap::bootstrap;
use venturelab::dist::powerlaw::{fit, Kind, PowerLawFit, XminChoice};
use venturelab::dist::sample::{parse_histogram, parse_values, Sample};
use venturelab::par::with_threads;

use crate::error::{CliError, CliResult};
use crate::output::{read_input, write_atomic, Outcome};
use crate::progress;
use crate::table::key_values;

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Data: one value per line (`#` comments and blank lines allowed), `-` for stdin.
    pub file: PathBuf,
    /// Treat the data as integers (default when every value is a whole number).
    #[arg(long, conflicts_with = "continuous")]
    pub discrete: bool,
    /// Treat the data as continuous.
    #[arg(long)]
    pub continuous: bool,
    /// The file holds `value<TAB>count` lines (a header line allowed).
    #[arg(long)]
    pub histogram: bool,
    /// Multiply every value by this factor first (units).
    #[arg(long)]
    pub scale: Option<f64>,
    /// Use this xmin instead of scanning.
    #[arg(long, conflicts_with = "xmin_range")]
    pub xmin: Option<f64>,
    /// Scan only xmin candidates in A..B.
    #[arg(long)]
    pub xmin_range: Option<String>,
    /// Bootstrap replicates for the goodness-of-fit p-value and the uncertainty of xmin
    /// and alpha (CSN use 1000 or more).
    #[arg(long, default_value_t = 0)]
    pub bootstrap: usize,
    #[arg(long, default_value_t = venturelab::rng::DEFAULT_SEED)]
    pub seed: u64,
    /// Alternatives to compare: a comma-separated list or `all`, `none`.
    #[arg(long, default_value = "all")]
    pub compare: String,
    /// Write a log-log CCDF of the data with the fits to this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Worker threads for the bootstrap.
    #[arg(long)]
    pub threads: Option<usize>,
}

fn load(args: &FitArgs) -> CliResult<Sample> {
    let text = read_input(&args.file)?;
    let source = args.file.display().to_string();
    let mut s = if args.histogram {
        parse_histogram(&text, &source)?
    } else {
        parse_values(&text, &source)?
    };
    if let Some(f) = args.scale {
        if !(f.is_finite() && f > 0.0) {
            return Err(CliError::input(format!(
                "--scale: expected a positive factor, got {f}"
            )));
        }
        s = s.scaled(f);
    }
    Ok(s)
}

fn choice(args: &FitArgs) -> CliResult<XminChoice> {
    if let Some(x) = args.xmin {
        return Ok(XminChoice::Fixed(x));
    }
    if let Some(r) = &args.xmin_range {
        let (a, b) = r
            .split_once("..")
            .ok_or_else(|| CliError::input(format!("--xmin-range: expected A..B, got '{r}'")))?;
        let parse = |t: &str| {
            t.trim()
                .parse::<f64>()
                .map_err(|_| CliError::input(format!("--xmin-range: '{t}' is not a number")))
        };
        let (a, b) = (parse(a)?, parse(b)?);
        if b < a {
            return Err(CliError::input(format!(
                "--xmin-range: expected A <= B, got {a}..{b}"
            )));
        }
        return Ok(XminChoice::Range(a, b));
    }
    Ok(XminChoice::Scan)
}

/// Runs `venturelab fit`.
/// `force`: overwrite an existing --plot file (the shared --force flag).
pub fn run(args: &FitArgs, force: bool) -> CliResult<Outcome> {
    let s = load(args)?;
    let (kind, reason) = if args.discrete {
        (Kind::Discrete, "--discrete")
    } else if args.continuous {
        (Kind::Continuous, "--continuous")
    } else if s.all_integers() {
        (Kind::Discrete, "every value is a whole number")
    } else {
        (Kind::Continuous, "some values are not whole numbers")
    };
    let ch = choice(args)?;
    let f = fit(&s, kind, ch)?;
    if f.n_tail < 2 {
        return Err(CliError::input(
            "the tail above xmin has fewer than 2 observations: too small to fit",
        ));
    }
    let names: Vec<&str> = match args.compare.as_str() {
        "all" => ALL.to_vec(),
        "none" => Vec::new(),
        list => {
            let v: Vec<&str> = list.split(',').map(str::trim).collect();
            if let Some(bad) = v.iter().find(|n| !ALL.contains(n)) {
                return Err(CliError::input(format!(
                    "--compare: unknown alternative '{bad}'; expected {} or all",
                    ALL.join(", ")
                )));
            }
            v
        }
    };
    let tail = Tail::of(&s, &f);
    let comparisons = compare(&tail, &f, &names);

    let boot = if args.bootstrap > 0 {
        let pb = progress::bar(args.bootstrap as u64, "bootstrap");
        let b = with_threads(args.threads, || {
            bootstrap(&s, kind, ch, &f, args.bootstrap, args.seed, &|n| pb.inc(n))
        });
        pb.finish_and_clear();
        Some(b)
    } else {
        None
    };

    let comp_json: serde_json::Map<String, Value> = comparisons
        .iter()
        .map(|(n, c)| (n.clone(), serde_json::to_value(c).unwrap_or(Value::Null)))
        .collect();
    let j = json!({
        "n": s.n,
        "distinct": s.values.len(),
        "type": kind,
        "type_reason": reason,
        "xmin": f.xmin,
        "alpha": f.alpha,
        "alpha_se": f.alpha_se,
        "n_tail": f.n_tail,
        "ks_d": f.ks_d,
        "p_value": boot.as_ref().map(|b| b.p_value),
        "bootstrap": boot.as_ref().map(|b| b.replicates),
        "xmin_sd": boot.as_ref().map(|b| b.xmin_sd),
        "alpha_sd": boot.as_ref().map(|b| b.alpha_sd),
        "bootstrap_failed": boot.as_ref().map(|b| b.failed),
        "seed": args.seed,
        "comparisons": comp_json,
        "notation": "density p(x) ∝ x^-alpha for x >= xmin (CSN); as a Pareto survival P(X > x) = (xmin/x)^(alpha-1)",
        "input": args.file.display().to_string(),
        "version": venturelab::VERSION,
    });

    let mut rows = vec![
        ("observations", s.n.to_string()),
        (
            "type",
            format!(
                "{} ({reason})",
                if kind == Kind::Discrete {
                    "discrete"
                } else {
                    "continuous"
                }
            ),
        ),
        ("xmin", format!("{}", f.xmin)),
        ("alpha", format!("{:.4} ± {:.4}", f.alpha, f.alpha_se)),
        ("tail size", f.n_tail.to_string()),
        ("KS distance", format!("{:.5}", f.ks_d)),
    ];
    if let Some(b) = &boot {
        rows.push((
            "GoF p-value",
            format!("{:.3} ({} replicates)", b.p_value, b.replicates),
        ));
        rows.push(("xmin sd", format!("{:.4}", b.xmin_sd)));
        rows.push(("alpha sd", format!("{:.4}", b.alpha_sd)));
    } else {
        rows.push(("GoF p-value", "not computed (use --bootstrap 1000)".into()));
    }
    let mut text = key_values(&rows);
    if !comparisons.is_empty() {
        let crows = comparison_rows(&comparisons);
        text += "\n";
        text += &crate::table::render(&["alternative", "LR", "p", "favors"], &crows);
        text += "LR > 0 favours the power law; non-nested: normalised Vuong statistic; truncated power law: nested LR, chi-square p.\n";
    }
    if let Some(path) = &args.plot {
        if path.exists() && !force {
            return Err(CliError::input(format!(
                "{}: already exists; pass --force to overwrite it",
                path.display()
            )));
        }
        let svg = ccdf_plot(&s, &f, &comparisons)?;
        write_atomic(path, svg.as_bytes())?;
    }
    Ok(Outcome::new(j, text))
}

/// Table rows (alternative, LR, p, favors) of the likelihood-ratio tests.
pub fn comparison_rows(
    comparisons: &[(String, venturelab::dist::alternatives::Comparison)],
) -> Vec<Vec<String>> {
    comparisons
        .iter()
        .map(|(n, c)| {
            vec![
                n.replace('_', " "),
                format!("{:.3}", c.lr),
                format!("{:.3}", c.p),
                c.favors.replace('_', " "),
            ]
        })
        .collect()
}

/// Log-log CCDF of the data with the power law and the alternatives over the tail.
pub fn ccdf_plot(
    s: &Sample,
    f: &PowerLawFit,
    comparisons: &[(String, venturelab::dist::alternatives::Comparison)],
) -> CliResult<String> {
    let internal = |e: &dyn std::fmt::Display| CliError::Internal(format!("drawing the plot: {e}"));
    let n = s.n as f64;
    let mut points = Vec::with_capacity(s.values.len());
    let mut above = n;
    for (&v, &c) in s.values.iter().zip(&s.counts) {
        points.push((v, above / n));
        above -= c as f64;
    }
    let x0 = s.values[0];
    let x1 = *s.values.last().unwrap_or(&x0);
    let ymin = 1.0 / n;
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
                points
                    .iter()
                    .map(|&p| Circle::new(p, 2, RGBColor(120, 120, 120).filled())),
            )
            .map_err(|e| internal(&e))?
            .label("data")
            .legend(|(x, y)| Circle::new((x + 8, y), 3, RGBColor(120, 120, 120).filled()));
        let share = f.n_tail as f64 / n;
        let grid: Vec<f64> = (0..200)
            .map(|k| f.xmin * (x1 / f.xmin).powf(k as f64 / 199.0))
            .collect();
        let pl: Vec<(f64, f64)> = grid
            .iter()
            .map(|&x| (x, share * (x / f.xmin).powf(1.0 - f.alpha)))
            .filter(|p| p.1 >= ymin * 0.5)
            .collect();
        let red = RGBColor(214, 39, 40);
        chart
            .draw_series(LineSeries::new(pl, red.stroke_width(3)))
            .map_err(|e| internal(&e))?
            .label(format!("power law, alpha {:.2}", f.alpha))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], red.stroke_width(3)));
        let colors = [
            RGBColor(31, 119, 180),
            RGBColor(44, 160, 44),
            RGBColor(255, 127, 14),
            RGBColor(148, 103, 189),
        ];
        for (k, (name, c)) in comparisons.iter().enumerate() {
            let color = colors[k % colors.len()];
            let line: Vec<(f64, f64)> = grid
                .iter()
                .filter_map(|&x| tail_ccdf(name, &c.params, f.xmin, x).map(|p| (x, share * p)))
                .filter(|p| p.1.is_finite() && p.1 >= ymin * 0.5)
                .collect();
            chart
                .draw_series(LineSeries::new(line, color.stroke_width(1)))
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
