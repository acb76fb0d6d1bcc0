//! `venturelab._venturelab`, the compiled half of the Python package: keyword arguments to
//! the application layer's requests, its reports back as Python dicts (the same keys as the
//! CLI's `--json`) and NumPy arrays. The Python half (`python/venturelab/`) shapes the
//! arguments (lists, arrays, dates, dicts) and re-exports these functions with their
//! documentation; neither half holds model logic.
//!
//! Conventions: errors in the caller's input raise `venturelab.InputError` (a
//! `ValueError`) with the message the CLI prints, parameters named as keyword arguments
//! (`funds=`); long calls release the GIL, run on a worker thread and stop at the next
//! step of their request when Ctrl-C (or any signal handler raising) interrupts the wait.

use std::time::Duration;

use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use venturelab_app::cashflow::{self as cf, Annuity, DayCount, Loan, Part, Unknown, When};
use venturelab_app::{
    company, fit, fund, market, AppError, CancelFlag, Data, Observer, RunSpec, Source,
};

create_exception!(
    _venturelab,
    InputError,
    PyValueError,
    "Bad input: what is wrong and where (the argument, key, file or line)."
);

/// An input error's text, parameters written as keyword arguments (`funds=`).
fn message(e: AppError) -> String {
    match e {
        AppError::Input(i) => i.render(&|p| format!("{p}=")),
        other => format!("{other:?}"),
    }
}

/// An application error as the Python exception a caller expects.
fn py_err(e: AppError) -> PyErr {
    match e {
        e @ AppError::Input(_) => InputError::new_err(message(e)),
        AppError::Cancelled => PyKeyboardInterrupt::new_err("interrupted"),
        AppError::Internal(m) => PyRuntimeError::new_err(m),
    }
}

/// What the worker thread tells the waiting Python thread: the cancel request one way,
/// the progress counts the other (read every 50 ms; Python is never called from a worker).
#[derive(Default)]
struct Shared {
    cancel: CancelFlag,
    total: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicU64,
}

struct Watch<'a>(&'a Shared);

impl Observer for Watch<'_> {
    fn start(&self, total: u64, _unit: &str) {
        use std::sync::atomic::Ordering::Relaxed;
        self.0.done.store(0, Relaxed);
        self.0.total.store(total, Relaxed);
    }
    fn grow(&self, total: u64, _message: &str) {
        self.0
            .total
            .store(total, std::sync::atomic::Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        self.0
            .done
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.0.cancel.is_set()
    }
}

/// Runs `work` on a worker thread without the GIL; the calling thread waits, checking for
/// Python signals every 50 ms. On KeyboardInterrupt it asks the work to stop (the request
/// stops at its next step: a sweep's next value, a solve's next trial, an experiment's next
/// condition) and raises at once, without waiting: a single long step (one fund run of
/// millions of funds) finishes on its thread in the background and its result is dropped.
fn cancellable<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce(&dyn Observer) -> Result<T, AppError> + Send + 'static,
) -> PyResult<T> {
    cancellable_with(py, None, work)
}

/// [`cancellable`], calling `progress(done, total)` from the waiting thread whenever the
/// counts moved (a tqdm bar's update, in `venturelab._progress`).
fn cancellable_with<T: Send + 'static>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&dyn Observer) -> Result<T, AppError> + Send + 'static,
) -> PyResult<T> {
    use std::sync::atomic::Ordering::Relaxed;
    let shared = std::sync::Arc::new(Shared::default());
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = shared.clone();
    std::thread::Builder::new()
        .name("venturelab".into())
        .spawn(move || {
            let r = work(&Watch(&worker));
            let _ = tx.send(r);
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
    let mut rx = rx;
    let mut shown = (u64::MAX, u64::MAX);
    let mut report = |py: Python<'_>| -> PyResult<()> {
        if let Some(cb) = progress {
            let now = (shared.done.load(Relaxed), shared.total.load(Relaxed));
            if now != shown && now.1 > 0 {
                shown = now;
                cb.call1((now.0.min(now.1), now.1))?;
            }
        }
        let _ = py;
        Ok(())
    };
    loop {
        // The receiver is Send but not Sync: it goes into the GIL-free closure and back.
        let (got, back) =
            py.allow_threads(move || (rx.recv_timeout(Duration::from_millis(50)), rx));
        rx = back;
        match got {
            Ok(r) => {
                report(py)?;
                return r.map_err(py_err);
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                let checked = py.check_signals().and_then(|_| report(py));
                if let Err(e) = checked {
                    shared.cancel.cancel();
                    return Err(e);
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err("the worker thread stopped"))
            }
        }
    }
}

/// A report as a Python object (dicts, lists, floats), through its JSON form.
fn to_py<T: serde::Serialize>(py: Python<'_>, report: &T) -> PyResult<PyObject> {
    let v = venturelab_app::to_json(report).map_err(py_err)?;
    Ok(pythonize::pythonize(py, &v)?.unbind())
}

/// A scenario argument: a path, TOML text, or a dict with the TOML's keys.
fn source(scenario: Option<&Bound<'_, PyAny>>, preset: Option<String>) -> PyResult<Option<Source>> {
    match (scenario, preset) {
        (Some(_), Some(_)) => Err(InputError::new_err(
            "scenario=: give a scenario or a preset, not both",
        )),
        (None, Some(p)) => Ok(Some(Source::Preset(p))),
        (None, None) => Ok(None),
        (Some(s), None) => {
            if let Ok(d) = s.downcast::<PyDict>() {
                let v: serde_json::Value = pythonize::depythonize(d).map_err(|e| {
                    InputError::new_err(format!(
                        "scenario=: the dict cannot be read as a scenario: {e}"
                    ))
                })?;
                return Ok(Some(Source::Map(v)));
            }
            if let Ok(text) = s.extract::<String>() {
                // TOML text has a `=` or a newline; a path has neither.
                if text.contains('=') || text.contains('\n') {
                    return Ok(Some(Source::Text {
                        name: "scenario".into(),
                        text,
                    }));
                }
                return Ok(Some(Source::Path(text.into())));
            }
            if let Ok(p) = s.extract::<std::path::PathBuf>() {
                return Ok(Some(Source::Path(p)));
            }
            Err(InputError::new_err(
                "scenario=: expected a path, TOML text or a dict",
            ))
        }
    }
}

fn run_spec(
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<RunSpec> {
    Ok(RunSpec {
        scenario: source(scenario, preset)?,
        seed: seed.unwrap_or(venturelab_app::DEFAULT_SEED),
        threads,
    })
}

fn when(s: &str) -> PyResult<When> {
    match s {
        "end" | "0" => Ok(When::End),
        "begin" | "start" | "1" => Ok(When::Begin),
        _ => Err(InputError::new_err(format!(
            "when=: expected 'end' or 'begin', got '{s}'"
        ))),
    }
}

fn day_count(s: &str) -> PyResult<DayCount> {
    s.parse()
        .map_err(|e: String| InputError::new_err(format!("day_count=: {e}")))
}

/// Applies `f` to each row of `values` without the GIL, naming the row in errors; with
/// `silent`, a row with no answer is NaN instead of an error (NumPy's missing value).
fn rows(
    py: Python<'_>,
    values: PyReadonlyArray2<'_, f64>,
    silent: bool,
    f: impl Fn(usize, &[f64]) -> venturelab::Result<f64> + Sync,
) -> PyResult<Py<PyArray1<f64>>> {
    // The Python side passes C-contiguous arrays: rows are slices of the one buffer, no copy.
    let (flat, width) = (values.as_slice()?, values.shape()[1]);
    let n = values.shape()[0];
    let out: Result<Vec<f64>, (usize, venturelab::Error)> = py.allow_threads(|| {
        (0..n)
            .map(|i| match f(i, &flat[i * width..(i + 1) * width]) {
                Ok(v) => Ok(v),
                Err(venturelab::Error::NoSolution(_)) if silent => Ok(f64::NAN),
                Err(e) => Err((i, e)),
            })
            .collect()
    });
    match out {
        Ok(v) => Ok(PyArray1::from_vec(py, v).unbind()),
        Err((i, e)) => {
            let msg = message(AppError::from(e));
            let msg = if n > 1 {
                format!("row {i}: {msg}")
            } else {
                msg
            };
            Err(InputError::new_err(msg))
        }
    }
}

/// NPV of each row of `values` at `rate` (first flow at t = 0; `excel`: discounted one period).
#[pyfunction]
#[pyo3(signature = (rate, values, excel=false))]
fn npv(
    py: Python<'_>,
    rate: f64,
    values: PyReadonlyArray2<'_, f64>,
    excel: bool,
) -> PyResult<Py<PyArray1<f64>>> {
    rows(py, values, false, |_, r| {
        if excel {
            venturelab::money::npv_excel(rate, r)
        } else {
            venturelab::money::npv(rate, r)
        }
    })
}

/// IRR of each row (numpy-financial's root choice, or the root nearest `guess`).
#[pyfunction]
#[pyo3(signature = (values, guess=None, silent=false))]
fn irr(
    py: Python<'_>,
    values: PyReadonlyArray2<'_, f64>,
    guess: Option<f64>,
    silent: bool,
) -> PyResult<Py<PyArray1<f64>>> {
    rows(py, values, silent, |_, r| match guess {
        None => venturelab::money::irr(r),
        Some(g) => venturelab::money::irr_nearest(r, g),
    })
}

/// For `benches/peers/python_overhead.py`: the IRR of each row by the same kernel as
/// [`irr`], timed inside Rust (seconds for the loop alone, no conversion), so the Python
/// call's overhead can be measured against it in one process.
#[pyfunction]
fn _irr_rows_timed(values: PyReadonlyArray2<'_, f64>) -> PyResult<f64> {
    let a = values.as_array();
    let rows: Vec<Vec<f64>> = a.rows().into_iter().map(|r| r.to_vec()).collect();
    let t = std::time::Instant::now();
    let mut acc = 0.0;
    for r in &rows {
        acc += venturelab::money::irr(r).unwrap_or(0.0);
    }
    let secs = t.elapsed().as_secs_f64();
    std::hint::black_box(acc);
    Ok(secs)
}

/// MIRR of each row.
#[pyfunction]
#[pyo3(signature = (values, finance_rate, reinvest_rate, silent=false))]
fn mirr(
    py: Python<'_>,
    values: PyReadonlyArray2<'_, f64>,
    finance_rate: f64,
    reinvest_rate: f64,
    silent: bool,
) -> PyResult<Py<PyArray1<f64>>> {
    rows(py, values, silent, |_, r| {
        venturelab::money::mirr(r, finance_rate, reinvest_rate)
    })
}

fn dates_of(days: &[i64]) -> venturelab::Result<Vec<chrono::NaiveDate>> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    days.iter()
        .map(|&d| {
            epoch
                .checked_add_signed(chrono::TimeDelta::days(d))
                .ok_or_else(|| {
                    venturelab::Error::param("dates", format!("day {d} is out of range"))
                })
        })
        .collect()
}

/// XNPV of each row of `values` on the dates of the same row of `days` (days since
/// 1970-01-01).
#[pyfunction]
#[pyo3(signature = (rate, days, values, day_count="ACT/365F"))]
fn xnpv(
    py: Python<'_>,
    rate: f64,
    days: PyReadonlyArray2<'_, i64>,
    values: PyReadonlyArray2<'_, f64>,
    day_count: &str,
) -> PyResult<Py<PyArray1<f64>>> {
    let dc = self::day_count(day_count)?;
    let (d, width) = (days.as_slice()?, days.shape()[1]);
    rows(py, values, false, |i, r| {
        venturelab::money::xnpv_on(rate, &dates_of(&d[i * width..(i + 1) * width])?, r, dc)
    })
}

/// XIRR of each row.
#[pyfunction]
#[pyo3(signature = (days, values, day_count="ACT/365F", guess=None, silent=false))]
fn xirr(
    py: Python<'_>,
    days: PyReadonlyArray2<'_, i64>,
    values: PyReadonlyArray2<'_, f64>,
    day_count: &str,
    guess: Option<f64>,
    silent: bool,
) -> PyResult<Py<PyArray1<f64>>> {
    let dc = self::day_count(day_count)?;
    let (d, width) = (days.as_slice()?, days.shape()[1]);
    rows(py, values, silent, |i, r| {
        venturelab::money::xirr_on(&dates_of(&d[i * width..(i + 1) * width])?, r, dc, guess)
    })
}

/// The broadcast, flattened argument arrays as vectors (the Python side made them
/// contiguous and of one length).
fn columns(arrays: &[&PyReadonlyArray1<'_, f64>]) -> PyResult<Vec<Vec<f64>>> {
    Ok(arrays
        .iter()
        .map(|a| a.as_slice().map(<[f64]>::to_vec))
        .collect::<Result<_, _>>()?)
}

/// `f` at each position `0..n` without the GIL; the first error is raised.
fn each_position(
    py: Python<'_>,
    n: usize,
    f: impl Fn(usize) -> Result<f64, AppError> + Send + Sync,
) -> PyResult<Py<PyArray1<f64>>> {
    let out: Result<Vec<f64>, AppError> = py.allow_threads(|| (0..n).map(&f).collect());
    Ok(PyArray1::from_vec(py, out.map_err(py_err)?).unbind())
}

/// One of pmt, nper, rate, pv, fv for each position of the (broadcast, flattened) inputs;
/// NaN marks the unknown's own slot. An infinite nper is returned as inf.
#[pyfunction]
#[pyo3(signature = (unknown, rate, nper, pmt, pv, fv, when="end", guess=None))]
#[allow(clippy::too_many_arguments)]
fn annuity(
    py: Python<'_>,
    unknown: &str,
    rate: PyReadonlyArray1<'_, f64>,
    nper: PyReadonlyArray1<'_, f64>,
    pmt: PyReadonlyArray1<'_, f64>,
    pv: PyReadonlyArray1<'_, f64>,
    fv: PyReadonlyArray1<'_, f64>,
    when: &str,
    guess: Option<f64>,
) -> PyResult<Py<PyArray1<f64>>> {
    let u = match unknown {
        "pmt" => Unknown::Pmt,
        "nper" => Unknown::Nper,
        "rate" => Unknown::Rate,
        "pv" => Unknown::Pv,
        "fv" => Unknown::Fv,
        other => return Err(InputError::new_err(format!("unknown quantity {other}"))),
    };
    let w = self::when(when)?;
    let cols = columns(&[&rate, &nper, &pmt, &pv, &fv])?;
    each_position(py, cols[0].len(), |i| {
        let given = |k: usize, name: &str| (name != u.key()).then(|| cols[k][i]);
        let r = cf::annuity(&Annuity {
            unknown: u,
            rate: given(0, "rate"),
            nper: given(1, "nper"),
            pmt: given(2, "pmt"),
            pv: given(3, "pv"),
            fv: given(4, "fv"),
            when: w,
            guess,
        })?;
        Ok(r.value)
    })
}

/// ipmt / ppmt (`per` given) or cumipmt / cumprinc (`start`, `end` given) for each position.
#[pyfunction]
#[pyo3(signature = (kind, rate, nper, pv, fv, per, start, end, when="end"))]
#[allow(clippy::too_many_arguments)]
fn loan_part(
    py: Python<'_>,
    kind: &str,
    rate: PyReadonlyArray1<'_, f64>,
    nper: PyReadonlyArray1<'_, f64>,
    pv: PyReadonlyArray1<'_, f64>,
    fv: PyReadonlyArray1<'_, f64>,
    per: PyReadonlyArray1<'_, f64>,
    start: PyReadonlyArray1<'_, f64>,
    end: PyReadonlyArray1<'_, f64>,
    when: &str,
) -> PyResult<Py<PyArray1<f64>>> {
    let w = self::when(when)?;
    let cols = columns(&[&rate, &nper, &pv, &fv, &per, &start, &end])?;
    each_position(py, cols[0].len(), |i| {
        let loan = Loan {
            rate: cols[0][i],
            nper: cols[1][i],
            pv: cols[2][i],
            fv: cols[3][i],
            when: w,
        };
        Ok(match kind {
            "ipmt" => cf::payment_part(&loan, Part::Interest, cols[4][i])?.value,
            "ppmt" => cf::payment_part(&loan, Part::Principal, cols[4][i])?.value,
            "cumipmt" => cf::cumulative(&loan, Part::Interest, cols[5][i], cols[6][i])?.value,
            _ => cf::cumulative(&loan, Part::Principal, cols[5][i], cols[6][i])?.value,
        })
    })
}

/// The amortisation schedule of a loan, as the CLI's JSON.
#[pyfunction]
#[pyo3(signature = (rate, nper, pv, fv=0.0, when="end"))]
fn amortize(
    py: Python<'_>,
    rate: f64,
    nper: f64,
    pv: f64,
    fv: f64,
    when: &str,
) -> PyResult<PyObject> {
    let loan = Loan {
        rate,
        nper,
        pv,
        fv,
        when: self::when(when)?,
    };
    to_py(py, &cf::schedule(&loan).map_err(py_err)?)
}

/// The heavy-tail fit of `values` (a 1-D float array), as the CLI's JSON, with the CCDF
/// curves under `"_curves"`.
#[pyfunction]
#[pyo3(signature = (values, kind=None, xmin=None, ks="two-sided", bootstrap=0, seed=None, compare=None, threads=None, name="data", progress=None))]
#[allow(clippy::too_many_arguments)]
fn fit_values(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    kind: Option<&str>,
    xmin: Option<f64>,
    ks: &str,
    bootstrap: usize,
    seed: Option<u64>,
    compare: Option<&str>,
    threads: Option<usize>,
    name: &str,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyObject> {
    let data = values.as_slice()?;
    if let Some((i, v)) = data.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(InputError::new_err(format!(
            "data=: value {i} is {v}; every value must be a finite number"
        )));
    }
    // The shortest text that reads back to the same float: exact.
    let text: String = data.iter().map(|v| format!("{v}\n")).collect();
    let req = fit::Fit {
        data: Data::Text {
            name: name.to_string(),
            text,
        },
        histogram: false,
        kind: match kind {
            None => None,
            Some("discrete") => Some(fit::Kind::Discrete),
            Some("continuous") => Some(fit::Kind::Continuous),
            Some(o) => {
                return Err(InputError::new_err(format!(
                    "discrete=: expected True, False or None, got {o}"
                )))
            }
        },
        scale: None,
        xmin: match xmin {
            None => fit::XminChoice::Scan,
            Some(x) => fit::XminChoice::Fixed(x),
        },
        ks: fit::parse_ks(ks).map_err(py_err)?,
        bootstrap,
        seed: seed.unwrap_or(venturelab_app::DEFAULT_SEED),
        compare: match compare {
            None => fit::parse_compare("all").map_err(py_err)?,
            Some(c) => fit::parse_compare(c).map_err(py_err)?,
        },
        threads,
    };
    let report = cancellable_with(py, progress, move |obs| fit::fit(&req, obs))?;
    let obj = to_py(py, &report)?;
    if let Some(c) = &report.curves {
        let d = obj.downcast_bound::<PyDict>(py)?;
        let curves = PyDict::new(py);
        let xy = |pts: &[(f64, f64)]| -> (Vec<f64>, Vec<f64>) { pts.iter().copied().unzip() };
        curves.set_item("data", xy(&c.data))?;
        curves.set_item("power_law", xy(&c.power_law))?;
        let alts = PyDict::new(py);
        for (n, pts) in &c.alternatives {
            alts.set_item(n, xy(pts))?;
        }
        curves.set_item("alternatives", alts)?;
        d.set_item("_curves", curves)?;
    }
    Ok(obj)
}

/// `fund simulate`: the report as the CLI's JSON; with `per_fund`, also the per-fund
/// columns under `"_funds"` (lists of floats).
#[pyfunction]
#[pyo3(signature = (scenario=None, preset=None, funds=20_000, seed=None, threads=None, per_fund=false, progress=None))]
#[allow(clippy::too_many_arguments)]
fn fund_simulate(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    funds: usize,
    seed: Option<u64>,
    threads: Option<usize>,
    per_fund: bool,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyObject> {
    let req = fund::FundSimulate {
        run: run_spec(scenario, preset, seed, threads)?,
        funds,
        detail: per_fund,
    };
    let report = cancellable_with(py, progress, move |obs| fund::simulate(&req, obs))?;
    let obj = to_py(py, &report)?;
    if per_fund {
        let d = obj.downcast_bound::<PyDict>(py)?;
        let cols = PyDict::new(py);
        let rows = &report.run.rows;
        let col = |f: fn(&venturelab::fund::sim::FundRow) -> f64| {
            rows.iter().map(f).collect::<Vec<f64>>()
        };
        cols.set_item("gross_multiple", col(|r| r.gross_multiple))?;
        cols.set_item("net_tvpi", col(|r| r.net_tvpi))?;
        cols.set_item("net_irr", col(|r| r.net_irr))?;
        cols.set_item("top_company_share", col(|r| r.top_company_share))?;
        cols.set_item("fees", col(|r| f64::from(r.fees)))?;
        cols.set_item("carry", col(|r| f64::from(r.carry)))?;
        d.set_item("_funds", cols)?;
    }
    Ok(obj)
}

/// How many chunks a run of `funds` splits into (`None`: too small to split).
#[pyfunction]
fn _fund_split_chunks(funds: usize) -> Option<usize> {
    fund::split_chunks(funds)
}

/// The scenario as self-contained TOML (named data files merged in), for workers.
#[pyfunction]
#[pyo3(signature = (scenario=None, preset=None))]
fn _fund_portable(scenario: Option<&Bound<'_, PyAny>>, preset: Option<String>) -> PyResult<String> {
    let req = fund::FundSimulate {
        run: run_spec(scenario, preset, None, None)?,
        funds: 1,
        detail: false,
    };
    fund::portable_scenario(&req).map_err(py_err)
}

/// One part of a split fund run (chunks `lo..hi`), as bytes for `_fund_merge`.
#[pyfunction]
#[pyo3(signature = (scenario, funds, seed, lo, hi, threads=None))]
fn _fund_part(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    funds: usize,
    seed: Option<u64>,
    lo: usize,
    hi: usize,
    threads: Option<usize>,
) -> PyResult<Py<pyo3::types::PyBytes>> {
    let req = fund::FundSimulate {
        run: run_spec(Some(scenario), None, seed, threads)?,
        funds,
        detail: false,
    };
    let bytes = cancellable(py, move |_| fund::simulate_part(&req, lo..hi))?;
    Ok(pyo3::types::PyBytes::new(py, &bytes).unbind())
}

/// `fund simulate` from the parts of its run, as the CLI's JSON.
#[pyfunction]
#[pyo3(signature = (parts, scenario=None, preset=None, funds=20_000, seed=None, threads=None))]
fn _fund_merge(
    py: Python<'_>,
    parts: Vec<Bound<'_, pyo3::types::PyBytes>>,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    funds: usize,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyObject> {
    let req = fund::FundSimulate {
        run: run_spec(scenario, preset, seed, threads)?,
        funds,
        detail: false,
    };
    let parts: Vec<Vec<u8>> = parts.iter().map(|b| b.as_bytes().to_vec()).collect();
    let report = cancellable(py, move |obs| fund::merge_simulate(&req, &parts, obs))?;
    to_py(py, &report)
}

/// `company simulate`, as the CLI's JSON.
#[pyfunction]
#[pyo3(signature = (scenario=None, preset=None, runs=10_000, months=120, seed=None, threads=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn company_simulate(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    runs: usize,
    months: u32,
    seed: Option<u64>,
    threads: Option<usize>,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyObject> {
    let req = company::CompanySimulate {
        run: run_spec(scenario, preset, seed, threads)?,
        size: company::Size { runs, months },
        detail: false,
    };
    let report = cancellable_with(py, progress, move |obs| company::simulate(&req, obs))?;
    to_py(py, &report)
}

/// `market simulate`, as the CLI's JSON.
#[pyfunction]
#[pyo3(signature = (scenario=None, preset=None, runs=20, quarters=None, seed=None, threads=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn market_simulate(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    runs: usize,
    quarters: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyObject> {
    let req = market::MarketSimulate {
        run: run_spec(scenario, preset, seed, threads)?,
        runs,
        quarters,
    };
    let report = cancellable_with(py, progress, move |obs| market::simulate(&req, obs))?;
    to_py(py, &report)
}

/// `fund solve`: the value of `vary` at which `metric` reaches `target`.
#[pyfunction]
#[pyo3(signature = (vary, metric, target, scenario=None, preset=None, lo=None, hi=None, funds=20_000, seed=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn fund_solve(
    py: Python<'_>,
    vary: String,
    metric: String,
    target: f64,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    lo: Option<f64>,
    hi: Option<f64>,
    funds: usize,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyObject> {
    let req = fund::FundSolve {
        run: run_spec(scenario, preset, seed, threads)?,
        vary,
        metric,
        target,
        lo,
        hi,
        funds,
    };
    let r = cancellable(py, move |obs| fund::solve_for(&req, obs))?;
    to_py(py, &r)
}

/// `fund sweep`: one row per value of `vary`.
#[pyfunction]
#[pyo3(signature = (vary, values, scenario=None, preset=None, funds=20_000, seed=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn fund_sweep(
    py: Python<'_>,
    vary: String,
    values: Vec<f64>,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    funds: usize,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyObject> {
    let req = fund::FundSweep {
        run: run_spec(scenario, preset, seed, threads)?,
        vary,
        values,
        funds,
    };
    let r = cancellable(py, move |obs| fund::sweep(&req, obs))?;
    to_py(py, &r)
}

/// `company stress`: the same companies with a vendor's prices changed from `at_month`.
#[pyfunction]
#[pyo3(signature = (vendor, price_change, scenario=None, preset=None, at_month=1, runs=10_000, months=120, seed=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn company_stress(
    py: Python<'_>,
    vendor: String,
    price_change: f64,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    at_month: u32,
    runs: usize,
    months: u32,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyObject> {
    let req = company::CompanyStress {
        run: run_spec(scenario, preset, seed, threads)?,
        size: company::Size { runs, months },
        vendor,
        price_change,
        at_month,
    };
    let r = cancellable(py, move |obs| company::stress(&req, obs))?;
    to_py(py, &r)
}

/// `company compare`: the same companies financed by each path (`"vc,rbf,debt,bootstrap"`).
#[pyfunction]
#[pyo3(signature = (scenario=None, preset=None, paths="vc,rbf,debt,bootstrap", runs=10_000, months=120, seed=None, threads=None))]
#[allow(clippy::too_many_arguments)]
fn company_compare(
    py: Python<'_>,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    paths: &str,
    runs: usize,
    months: u32,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyObject> {
    let req = company::CompanyCompare {
        run: run_spec(scenario, preset, seed, threads)?,
        size: company::Size { runs, months },
        paths: company::parse_paths(paths).map_err(py_err)?,
    };
    let r = cancellable(py, move |obs| company::compare(&req, obs))?;
    to_py(py, &r)
}

/// `company default-alive` (Trevor Blackwell's calculation), per `period` ("month" or
/// "week"); growth rates per period.
#[pyfunction]
#[pyo3(signature = (revenue, revenue_growth, expenses, expense_growth=0.0, cash=None, period="month"))]
fn default_alive(
    py: Python<'_>,
    revenue: f64,
    revenue_growth: f64,
    expenses: f64,
    expense_growth: f64,
    cash: Option<f64>,
    period: &str,
) -> PyResult<PyObject> {
    let period = match period {
        "month" => company::Period::Month,
        "week" => company::Period::Week,
        o => {
            return Err(InputError::new_err(format!(
                "period=: expected 'month' or 'week', got '{o}'"
            )))
        }
    };
    let r = company::default_alive(&company::DefaultAlive {
        revenue,
        revenue_growth,
        expenses,
        expense_growth,
        cash,
        period,
    })
    .map_err(py_err)?;
    to_py(py, &r)
}

/// A cap table source: TOML text or a path (`.toml`), or an OCF file or folder (`ocf=True`).
fn cap_source(table: &str, ocf: bool) -> venturelab_app::captable::CapTableSource {
    use venturelab_app::captable::CapTableSource;
    if ocf {
        CapTableSource::OcfPath(table.into())
    } else if table.contains('=') || table.contains('\n') {
        CapTableSource::Toml(Data::Text {
            name: "cap table".into(),
            text: table.to_string(),
        })
    } else {
        CapTableSource::Toml(Data::Path(table.into()))
    }
}

/// `captable`: every priced round and the table after them.
#[pyfunction]
#[pyo3(signature = (table, ocf=false))]
fn captable(py: Python<'_>, table: &str, ocf: bool) -> PyResult<PyObject> {
    let src = cap_source(table, ocf);
    let r = py
        .allow_threads(move || venturelab_app::captable::cap_table(&src))
        .map_err(py_err)?;
    to_py(py, &r)
}

/// `waterfall`: each holder's payout at `exit` (default: the file's exit), and along a
/// sweep of exit values from `sweep[0]` to `sweep[1]` in `points` steps.
#[pyfunction]
#[pyo3(signature = (table, exit=None, sweep=None, points=50, ocf=false))]
fn waterfall(
    py: Python<'_>,
    table: &str,
    exit: Option<f64>,
    sweep: Option<(f64, f64)>,
    points: usize,
    ocf: bool,
) -> PyResult<PyObject> {
    let req = venturelab_app::captable::Waterfall {
        source: cap_source(table, ocf),
        exit,
        sweep,
        points,
    };
    let r = py
        .allow_threads(move || venturelab_app::captable::waterfall(&req))
        .map_err(py_err)?;
    to_py(py, &r)
}

/// `market experiment`: "scapegoat", "horizon" or "herding", `runs` per condition.
#[pyfunction]
#[pyo3(signature = (experiment, scenario=None, preset=None, runs=20, seed=None, threads=None))]
fn market_experiment(
    py: Python<'_>,
    experiment: &str,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
    runs: usize,
    seed: Option<u64>,
    threads: Option<usize>,
) -> PyResult<PyObject> {
    let experiment = match experiment {
        "scapegoat" => market::Experiment::Scapegoat,
        "horizon" => market::Experiment::Horizon,
        "herding" => market::Experiment::Herding,
        o => {
            return Err(InputError::new_err(format!(
                "experiment=: expected 'scapegoat', 'horizon' or 'herding', got '{o}'"
            )))
        }
    };
    let req = market::MarketExperiment {
        experiment,
        run: run_spec(scenario, preset, seed, threads)?,
        runs,
    };
    let r = cancellable(py, move |obs| market::experiment(&req, obs))?;
    to_py(py, &r)
}

/// A scenario (`area`: "fund", "company" or "market"; `scenario`/`preset` as the
/// simulate functions take them; the market has a default) as a dict with the
/// TOML's keys, to edit and pass back as `scenario=`.
#[pyfunction]
#[pyo3(signature = (area, scenario=None, preset=None))]
fn scenario_dict(
    py: Python<'_>,
    area: &str,
    scenario: Option<&Bound<'_, PyAny>>,
    preset: Option<String>,
) -> PyResult<PyObject> {
    let src = source(scenario, preset)?;
    let default = match area {
        "fund" | "company" => None,
        "market" => Some(market::DEFAULT_PRESET),
        o => {
            return Err(InputError::new_err(format!(
                "model=: expected 'fund', 'company' or 'market', got '{o}'"
            )))
        }
    };
    let loaded = venturelab_app::source::load(area, src.as_ref(), default).map_err(py_err)?;
    let v =
        serde_json::to_value(&loaded.doc).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok(pythonize::pythonize(py, &v)?.unbind())
}

/// The version of the Rust library (the `version` field of every report).
#[pyfunction]
fn version() -> &'static str {
    venturelab::VERSION
}

#[pymodule]
fn _venturelab(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(npv, m)?)?;
    m.add_function(wrap_pyfunction!(irr, m)?)?;
    m.add_function(wrap_pyfunction!(mirr, m)?)?;
    m.add_function(wrap_pyfunction!(xnpv, m)?)?;
    m.add_function(wrap_pyfunction!(xirr, m)?)?;
    m.add_function(wrap_pyfunction!(annuity, m)?)?;
    m.add_function(wrap_pyfunction!(loan_part, m)?)?;
    m.add_function(wrap_pyfunction!(amortize, m)?)?;
    m.add_function(wrap_pyfunction!(fit_values, m)?)?;
    m.add_function(wrap_pyfunction!(fund_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(_fund_split_chunks, m)?)?;
    m.add_function(wrap_pyfunction!(_fund_portable, m)?)?;
    m.add_function(wrap_pyfunction!(_fund_part, m)?)?;
    m.add_function(wrap_pyfunction!(_fund_merge, m)?)?;
    m.add_function(wrap_pyfunction!(company_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(market_simulate, m)?)?;
    m.add_function(wrap_pyfunction!(fund_solve, m)?)?;
    m.add_function(wrap_pyfunction!(fund_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(company_stress, m)?)?;
    m.add_function(wrap_pyfunction!(company_compare, m)?)?;
    m.add_function(wrap_pyfunction!(default_alive, m)?)?;
    m.add_function(wrap_pyfunction!(captable, m)?)?;
    m.add_function(wrap_pyfunction!(waterfall, m)?)?;
    m.add_function(wrap_pyfunction!(market_experiment, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_dict, m)?)?;
    m.add_function(wrap_pyfunction!(_irr_rows_timed, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
