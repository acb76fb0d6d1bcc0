//! `venturelab captable FILE` and `venturelab waterfall FILE --exit V`.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;
use venturelab::captable::exit::waterfall_at_exit;
use venturelab::captable::file::CapTableFile;
use venturelab::captable::{apply, Table};

use crate::args;
use crate::charts::{line_chart, Series};
use crate::error::{describe, CliError, CliResult};
use crate::output::{read_input, write_atomic, Outcome};
use crate::table::{money, render};

#[derive(Debug, Args)]
pub struct CapTableArgs {
    /// The cap-table file (TOML; see docs/models/captable.md).
    #[arg(required_unless_present = "ocf")]
    pub file: Option<PathBuf>,
    /// Read an Open Cap Format export instead: one .ocf.json file or a folder of them.
    #[arg(long, conflicts_with = "file")]
    pub ocf: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WaterfallArgs {
    /// The cap-table file (TOML).
    pub file: PathBuf,
    /// Exit value (overrides the file's exit event): 50M.
    #[arg(long, value_parser = args::money)]
    pub exit: Option<f64>,
    /// Sweep exit values A..B and chart each holder's payout.
    #[arg(long)]
    pub sweep: Option<String>,
    /// Points in the sweep.
    #[arg(long, default_value_t = 200)]
    pub points: usize,
    /// SVG file for the sweep chart.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

fn load(path: &Path) -> CliResult<CapTableFile> {
    let text = read_input(path)?;
    CapTableFile::from_toml(&text).map_err(|e| named(path, e))
}

fn named(path: &Path, e: venturelab::Error) -> CliError {
    CliError::input(format!("{}: {}", path.display(), describe(&e)))
}

/// Reads an OCF export: a file, or every `*.json` file in a folder.
fn load_ocf(path: &Path) -> CliResult<CapTableFile> {
    let mut docs = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| CliError::input(format!("{}: cannot read: {e}", path.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        entries.sort();
        for p in entries {
            docs.push((p.display().to_string(), read_input(&p)?));
        }
    } else {
        docs.push((path.display().to_string(), read_input(path)?));
    }
    venturelab::captable::ocf::import(&docs).map_err(|e| named(path, e))
}

/// `venturelab captable FILE` or `venturelab captable --ocf PATH`.
pub fn captable(a: &CapTableArgs) -> CliResult<Outcome> {
    let (f, path) = match (&a.file, &a.ocf) {
        (_, Some(o)) => (load_ocf(o)?, o.clone()),
        (Some(p), None) => (load(p)?, p.clone()),
        (None, None) => return Err(CliError::input("give a cap-table file or --ocf PATH")),
    };
    let (rounds, table, _) = apply(&f).map_err(|e| named(&path, e))?;
    let mut text = String::new();
    for r in &rounds {
        text += &format!(
            "{} ({}): price per share {:.4}, pre-money {}, post-money {}, {} new shares, pool increase {}\n",
            r.series,
            r.date,
            r.price_per_share,
            money(r.pre_money),
            money(r.post_money),
            r.new_shares,
            r.pool_increase
        );
        if !r.conversions.is_empty() {
            let rows: Vec<Vec<String>> = r
                .conversions
                .iter()
                .map(|c| {
                    vec![
                        c.holder.clone(),
                        c.instrument.into(),
                        c.shares.to_string(),
                        format!("{:.6}", c.price),
                        c.basis.into(),
                    ]
                })
                .collect();
            text += &render(
                &["converted", "instrument", "shares", "price", "basis"],
                &rows,
            );
        }
        let rows: Vec<Vec<String>> = r
            .table
            .iter()
            .map(|t| {
                vec![
                    t.holder.clone(),
                    t.class.clone(),
                    t.shares.to_string(),
                    format!("{:.4}%", 100.0 * t.fully_diluted),
                ]
            })
            .collect();
        text += &render(&["holder", "class", "shares", "fully diluted"], &rows);
        text += "\n";
    }
    let total = table.total_shares().max(1) as f64;
    let current: Vec<serde_json::Value> = table
        .positions
        .iter()
        .map(|p| json!({"holder": p.holder, "class": p.class, "shares": p.shares, "fully_diluted": p.shares as f64 / total}))
        .collect();
    if rounds.is_empty() {
        let rows: Vec<Vec<String>> = table
            .positions
            .iter()
            .map(|p| {
                vec![
                    p.holder.clone(),
                    p.class.clone(),
                    p.shares.to_string(),
                    format!("{:.4}%", 100.0 * p.shares as f64 / total),
                ]
            })
            .collect();
        text += &render(&["holder", "class", "shares", "fully diluted"], &rows);
        if !table.open_safes.is_empty() || !table.open_notes.is_empty() {
            text += &format!(
                "outstanding: {} SAFEs, {} notes (they convert at the next priced round)\n",
                table.open_safes.len(),
                table.open_notes.len()
            );
        }
    }
    Ok(Outcome::new(
        json!({"rounds": rounds, "table": current, "version": venturelab::VERSION}),
        text,
    ))
}

fn exit_date(f: &CapTableFile) -> chrono::NaiveDate {
    let last = f
        .events
        .iter()
        .rev()
        .find(|e| e.kind == "exit")
        .or(f.events.last())
        .map(|e| e.date.clone());
    last.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .or_else(|| {
            f.notes
                .iter()
                .filter_map(|n| chrono::NaiveDate::parse_from_str(&n.start, "%Y-%m-%d").ok())
                .max()
        })
        .unwrap_or_default()
}

fn payouts_at(
    f: &CapTableFile,
    t: &Table,
    value: f64,
    path: &Path,
) -> CliResult<Vec<venturelab::captable::Payout>> {
    waterfall_at_exit(f, t, value, exit_date(f)).map_err(|e| named(path, e))
}

/// `venturelab waterfall FILE --exit V`.
pub fn run_waterfall(a: &WaterfallArgs, force: bool) -> CliResult<Outcome> {
    let f = load(&a.file)?;
    let (_, table, file_exit) = apply(&f).map_err(|e| named(&a.file, e))?;
    let value = a.exit.or(file_exit).ok_or_else(|| {
        CliError::input("--exit: give an exit value (the file has no exit event)")
    })?;
    if !(value.is_finite() && value >= 0.0) {
        return Err(CliError::input(format!(
            "--exit: expected a non-negative amount, got {value}"
        )));
    }
    let payouts = payouts_at(&f, &table, value, &a.file)?;
    let rows: Vec<Vec<String>> = payouts
        .iter()
        .map(|p| {
            vec![
                p.holder.clone(),
                p.class.clone(),
                money(p.amount),
                if p.converted {
                    "converted".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let mut text = format!("exit value {}\n", money(value));
    text += &render(&["holder", "class", "payout", ""], &rows);
    let mut j = json!({"exit_value": value, "payouts": payouts, "version": venturelab::VERSION});

    if let Some(range) = &a.sweep {
        let (lo, hi) = range
            .split_once("..")
            .ok_or_else(|| CliError::input(format!("--sweep: expected A..B, got '{range}'")))?;
        let lo = args::money(lo).map_err(|e| CliError::input(format!("--sweep: {e}")))?;
        let hi = args::money(hi).map_err(|e| CliError::input(format!("--sweep: {e}")))?;
        if !(hi > lo && lo >= 0.0) || a.points < 2 {
            return Err(CliError::input(format!(
                "--sweep {range}: expected 0 <= A < B and --points >= 2"
            )));
        }
        let xs: Vec<f64> = (0..a.points)
            .map(|i| lo + (hi - lo) * i as f64 / (a.points - 1) as f64)
            .collect();
        let mut series: Vec<Series> = Vec::new();
        let mut decisions: Vec<Vec<bool>> = Vec::new();
        for &x in &xs {
            let p = payouts_at(&f, &table, x, &a.file)?;
            for (k, po) in p.iter().enumerate() {
                if series.len() <= k {
                    series.push(Series {
                        name: format!("{} ({})", po.holder, po.class),
                        points: Vec::new(),
                    });
                }
                series[k].points.push((x, po.amount));
            }
            decisions.push(p.iter().map(|po| po.converted).collect());
        }
        // Breakpoints: exit values where a class's convert-or-not decision flips.
        let mut breakpoints = Vec::new();
        for w in 1..xs.len() {
            for (k, s) in series.iter().enumerate() {
                if decisions[w].get(k) != decisions[w - 1].get(k) {
                    breakpoints.push(json!({"holder": s.name, "between": [xs[w - 1], xs[w]], "converts": decisions[w].get(k)}));
                }
            }
        }
        text += &format!(
            "\nconversion breakpoints in {}..{}: {}\n",
            money(lo),
            money(hi),
            breakpoints.len()
        );
        for b in &breakpoints {
            text += &format!(
                "  {} {} between {} and {}\n",
                b["holder"].as_str().unwrap_or(""),
                if b["converts"] == true {
                    "converts"
                } else {
                    "stops converting"
                },
                money(b["between"][0].as_f64().unwrap_or(0.0)),
                money(b["between"][1].as_f64().unwrap_or(0.0))
            );
        }
        j["sweep"] = json!({"exit_values": xs, "payouts": series.iter().map(|s| json!({"holder": s.name, "amounts": s.points.iter().map(|p| p.1).collect::<Vec<_>>()})).collect::<Vec<_>>(), "breakpoints": breakpoints});
        if let Some(path) = &a.plot {
            if path.exists() && !force {
                return Err(CliError::input(format!(
                    "{}: already exists; pass --force to overwrite it",
                    path.display()
                )));
            }
            let svg = line_chart("Payout by exit value", "exit value", "payout", &series)?;
            write_atomic(path, svg.as_bytes())?;
        }
    }
    Ok(Outcome::new(j, text))
}
