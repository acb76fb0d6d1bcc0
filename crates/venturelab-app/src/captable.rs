//! `captable` and `waterfall`: the table after each priced round, and who gets what at an
//! exit (with a sweep of exit values and the conversion breakpoints).

use std::path::{Path, PathBuf};

use serde::Serialize;
use venturelab::captable::exit::waterfall_at_exit;
use venturelab::captable::file::CapTableFile;
use venturelab::captable::{apply, Payout, RoundResult, Table};

use crate::error::{AppError, AppResult};
use crate::limits;
use crate::source::{read_text, Data};

/// Where a cap table comes from.
#[derive(Debug, Clone)]
pub enum CapTableSource {
    /// venturelab's cap-table TOML.
    Toml(Data),
    /// An Open Cap Format export: one `.ocf.json` file or a folder of them.
    OcfPath(PathBuf),
    /// OCF documents already in memory: (name, JSON text).
    OcfDocuments(Vec<(String, String)>),
}

impl CapTableSource {
    /// How messages name it.
    pub fn name(&self) -> String {
        match self {
            CapTableSource::Toml(d) => d.name(),
            CapTableSource::OcfPath(p) => p.display().to_string(),
            CapTableSource::OcfDocuments(_) => "ocf".to_string(),
        }
    }
}

/// Reads a cap table from any source.
pub fn read_cap_table(source: &CapTableSource) -> AppResult<CapTableFile> {
    let name = source.name();
    match source {
        CapTableSource::Toml(d) => {
            let text = d.read()?;
            CapTableFile::from_toml(&text).map_err(|e| AppError::in_source(&name, e.to_string()))
        }
        CapTableSource::OcfPath(p) => {
            let docs = ocf_documents(p)?;
            venturelab::captable::ocf::import(&docs)
                .map_err(|e| AppError::in_source(&name, e.to_string()))
        }
        CapTableSource::OcfDocuments(docs) => venturelab::captable::ocf::import(docs)
            .map_err(|e| AppError::in_source(&name, e.to_string())),
    }
}

/// An OCF export's documents: the file, or every `*.json` file in the folder, by name.
fn ocf_documents(path: &Path) -> AppResult<Vec<(String, String)>> {
    let mut docs = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| AppError::whole(format!("{}: cannot read: {e}", path.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        entries.sort();
        for p in entries {
            docs.push((p.display().to_string(), read_text(&p)?));
        }
    } else {
        docs.push((path.display().to_string(), read_text(path)?));
    }
    Ok(docs)
}

/// One holder's position in the current table.
#[derive(Debug, Clone, Serialize)]
pub struct Holding {
    pub holder: String,
    pub class: String,
    pub shares: u64,
    /// Share of all shares outstanding, options and pool included (0..1).
    pub fully_diluted: f64,
}

/// `captable`: every priced round and the table as it stands.
#[derive(Debug, Clone, Serialize)]
pub struct CapTableReport {
    pub rounds: Vec<RoundResult>,
    pub table: Vec<Holding>,
    pub version: String,
    /// SAFEs and notes still outstanding (they convert at the next priced round).
    #[serde(skip)]
    pub open_safes: usize,
    #[serde(skip)]
    pub open_notes: usize,
}

/// Runs `captable`.
pub fn cap_table(source: &CapTableSource) -> AppResult<CapTableReport> {
    let f = read_cap_table(source)?;
    let (rounds, table, _) =
        apply(&f).map_err(|e| AppError::in_source(source.name(), e.to_string()))?;
    let total = table.total_shares().max(1) as f64;
    Ok(CapTableReport {
        rounds,
        table: table
            .positions
            .iter()
            .map(|p| Holding {
                holder: p.holder.clone(),
                class: p.class.clone(),
                shares: p.shares,
                fully_diluted: p.shares as f64 / total,
            })
            .collect(),
        version: venturelab::VERSION.to_string(),
        open_safes: table.open_safes.len(),
        open_notes: table.open_notes.len(),
    })
}

/// Who gets what at an exit.
#[derive(Debug, Clone)]
pub struct Waterfall {
    pub source: CapTableSource,
    /// The exit value (default: the file's exit event).
    pub exit: Option<f64>,
    /// Also sweep exit values from `.0` to `.1` in `points` steps.
    pub sweep: Option<(f64, f64)>,
    pub points: usize,
}

/// `A..B` exit values (money suffixes allowed).
pub fn parse_sweep(range: &str) -> AppResult<(f64, f64)> {
    let (lo, hi) = range
        .split_once("..")
        .ok_or_else(|| AppError::parameter("sweep", format!("expected A..B, got '{range}'")))?;
    let parse =
        |t: &str| venturelab::scenario::parse_money(t).map_err(|e| AppError::parameter("sweep", e));
    Ok((parse(lo)?, parse(hi)?))
}

/// One holder's payouts along a sweep.
#[derive(Debug, Clone, Serialize)]
pub struct HolderPayouts {
    /// `holder (class)`.
    pub holder: String,
    /// One amount per exit value of the sweep.
    pub amounts: Vec<f64>,
}

/// An exit value between two sweep points at which a holder's convert-or-not decision flips.
#[derive(Debug, Clone, Serialize)]
pub struct Breakpoint {
    pub holder: String,
    pub between: [f64; 2],
    /// Whether the holder converts above the breakpoint.
    pub converts: Option<bool>,
}

/// The sweep of a waterfall.
#[derive(Debug, Clone, Serialize)]
pub struct PayoutSweep {
    pub exit_values: Vec<f64>,
    pub payouts: Vec<HolderPayouts>,
    pub breakpoints: Vec<Breakpoint>,
}

/// `waterfall`.
#[derive(Debug, Clone, Serialize)]
pub struct WaterfallReport {
    pub exit_value: f64,
    pub payouts: Vec<Payout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<PayoutSweep>,
    pub version: String,
}

/// The date an exit is valued at (notes accrue interest to it): the file's last exit
/// event, else its last event, else the latest note's start.
pub fn exit_date(f: &CapTableFile) -> chrono::NaiveDate {
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

fn payouts_at(f: &CapTableFile, t: &Table, value: f64, name: &str) -> AppResult<Vec<Payout>> {
    waterfall_at_exit(f, t, value, exit_date(f))
        .map_err(|e| AppError::in_source(name, e.to_string()))
}

/// Runs `waterfall`.
pub fn waterfall(req: &Waterfall) -> AppResult<WaterfallReport> {
    let name = req.source.name();
    let f = read_cap_table(&req.source)?;
    let (_, table, file_exit) = apply(&f).map_err(|e| AppError::in_source(&name, e.to_string()))?;
    let value = req.exit.or(file_exit).ok_or_else(|| {
        AppError::parameter("exit", "give an exit value (the file has no exit event)")
    })?;
    if !(value.is_finite() && value >= 0.0) {
        return Err(AppError::parameter(
            "exit",
            format!("expected a non-negative amount, got {value}"),
        ));
    }
    let payouts = payouts_at(&f, &table, value, &name)?;
    let sweep = match req.sweep {
        None => None,
        Some((lo, hi)) => {
            if req.points > limits::MAX_WATERFALL_POINTS {
                return Err(AppError::parameter(
                    "points",
                    format!(
                        "{}: a sweep takes at most {} exit values",
                        req.points,
                        limits::MAX_WATERFALL_POINTS
                    ),
                ));
            }
            if !(hi > lo && lo >= 0.0) || req.points < 2 {
                return Err(AppError::parameter(
                    "sweep",
                    format!(
                        "{lo}..{hi} with {} points: expected 0 <= A < B and at least 2 points",
                        req.points
                    ),
                ));
            }
            if !(hi - lo).is_finite() {
                return Err(AppError::parameter(
                    "sweep",
                    format!("{lo}..{hi}: too wide to split (B - A is beyond any number)"),
                ));
            }
            // The step as a fraction first: (B - A) * i could overflow where B - A does not.
            let xs: Vec<f64> = (0..req.points)
                .map(|i| lo + (hi - lo) * (i as f64 / (req.points - 1) as f64))
                .collect();
            let mut series: Vec<HolderPayouts> = Vec::new();
            let mut decisions: Vec<Vec<bool>> = Vec::new();
            for &x in &xs {
                let p = payouts_at(&f, &table, x, &name)?;
                for (k, po) in p.iter().enumerate() {
                    if series.len() <= k {
                        series.push(HolderPayouts {
                            holder: format!("{} ({})", po.holder, po.class),
                            amounts: Vec::new(),
                        });
                    }
                    series[k].amounts.push(po.amount);
                }
                decisions.push(p.iter().map(|po| po.converted).collect());
            }
            let mut breakpoints = Vec::new();
            for w in 1..xs.len() {
                for (k, s) in series.iter().enumerate() {
                    if decisions[w].get(k) != decisions[w - 1].get(k) {
                        breakpoints.push(Breakpoint {
                            holder: s.holder.clone(),
                            between: [xs[w - 1], xs[w]],
                            converts: decisions[w].get(k).copied(),
                        });
                    }
                }
            }
            Some(PayoutSweep {
                exit_values: xs,
                payouts: series,
                breakpoints,
            })
        }
    };
    Ok(WaterfallReport {
        exit_value: value,
        payouts,
        sweep,
        version: venturelab::VERSION.to_string(),
    })
}
