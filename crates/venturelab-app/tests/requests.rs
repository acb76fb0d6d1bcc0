//! The application layer as a front end other than the CLI uses it: requests built in
//! code, scenarios as maps, provided files, progress, cancellation, reports read back.

use std::sync::atomic::{AtomicU64, Ordering};

use venturelab::dist::powerlaw::XminChoice;
use venturelab_app::fit::{fit, Fit, FitReport};
use venturelab_app::fund::{simulate, sweep, FundSimulate, FundSweep};
use venturelab_app::{to_json, AppError, CancelFlag, Data, Observer, RunSpec, Silent, Source};

fn preset_as_map(name: &str) -> serde_json::Value {
    let text = venturelab::presets::get("fund", name).unwrap().toml;
    let doc: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(doc).unwrap()
}

#[test]
fn a_scenario_as_a_map_gives_the_same_funds_as_the_preset() {
    let run = |source| {
        let r = simulate(
            &FundSimulate {
                run: RunSpec::of(source),
                funds: 500,
                detail: false,
            },
            &Silent,
        )
        .unwrap();
        to_json(&r.summary).unwrap()
    };
    assert_eq!(
        run(Source::Preset("correlation-ventures".into())),
        run(Source::Map(preset_as_map("correlation-ventures")))
    );
}

/// Counts what it is told and asks to stop after `stop_after` units.
struct Counting {
    started: AtomicU64,
    done: AtomicU64,
    stop_after: u64,
    flag: CancelFlag,
}

impl Observer for Counting {
    fn start(&self, total: u64, _unit: &str) {
        self.started.store(total, Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        if self.done.fetch_add(n, Ordering::Relaxed) + n >= self.stop_after {
            self.flag.cancel();
        }
    }
    fn cancelled(&self) -> bool {
        self.flag.is_set()
    }
}

fn counting(stop_after: u64) -> Counting {
    Counting {
        started: AtomicU64::new(0),
        done: AtomicU64::new(0),
        stop_after,
        flag: CancelFlag::default(),
    }
}

#[test]
fn progress_adds_up_and_cancellation_stops_between_steps() {
    // 3,000 funds run in chunks of 2,048 (fund/summary.rs): progress sums to the funds.
    let obs = counting(u64::MAX);
    let req = FundSimulate {
        run: RunSpec::of(Source::Preset("correlation-ventures".into())),
        funds: 3_000,
        detail: false,
    };
    simulate(&req, &obs).unwrap();
    assert_eq!(obs.started.load(Ordering::Relaxed), 3_000);
    assert_eq!(obs.done.load(Ordering::Relaxed), 3_000);
    // A sweep of three values asked to stop after the first runs one value only.
    let obs = counting(1);
    let req = FundSweep {
        run: RunSpec::of(Source::Preset("correlation-ventures".into())),
        vary: "construction.companies".into(),
        values: vec![10.0, 20.0, 40.0],
        funds: 200,
    };
    assert_eq!(sweep(&req, &obs).err(), Some(AppError::Cancelled));
    assert_eq!(obs.done.load(Ordering::Relaxed), 1);
}

#[test]
fn a_named_file_can_be_provided_instead_of_read() {
    // `outcomes.empirical_file` names a file that a web form uploads: with no file on disk
    // the scenario fails naming the key; the same text loaded with the file provided runs.
    let text = "[fund]\nsize = \"50M\"\nterm_years = 10\ninvestment_period_years = 4\n\
                [construction]\ncompanies = 10\n\
                [outcomes]\nexit_year = { low = 3, high = 9 }\nempirical_file = \"no-such-file.txt\"\n";
    let run = RunSpec::of(Source::Text {
        name: "form".into(),
        text: text.into(),
    });
    let e = venturelab_app::fund::load_fund(&run).err().unwrap();
    let msg = e.to_string();
    assert!(
        msg.starts_with("form: outcomes.empirical_file: cannot read"),
        "{msg}"
    );
    let mut loaded = venturelab_app::source::load("fund", run.scenario.as_ref(), None).unwrap();
    loaded
        .provided
        .insert("no-such-file.txt".into(), "0\n1\n3\n".into());
    assert_eq!(
        loaded
            .read_named("outcomes.empirical_file", "no-such-file.txt")
            .unwrap()
            .0,
        "0\n1\n3\n"
    );
}

#[test]
fn a_fit_report_reads_back_as_written() {
    // 1, 2, 4, ..., 2^9, each k times for k = 10 down to 1: integers, so discrete.
    let values: String = (0..10)
        .flat_map(|i| std::iter::repeat_n(format!("{}\n", 1u64 << i), 10 - i))
        .collect();
    let r = fit(
        &Fit {
            data: Data::Text {
                name: "powers".into(),
                text: values,
            },
            histogram: false,
            kind: None,
            scale: None,
            xmin: XminChoice::Scan,
            ks: Default::default(),
            bootstrap: 0,
            seed: 1,
            compare: vec!["exponential".into()],
            threads: None,
        },
        &Silent,
    )
    .unwrap();
    assert_eq!(r.kind, "discrete");
    assert_eq!(r.n, 55);
    let text = serde_json::to_string(&r).unwrap();
    let back: FitReport = serde_json::from_str(&text).unwrap();
    // The plot's curves are not part of the JSON; everything else is.
    assert_eq!(
        back,
        FitReport {
            curves: None,
            order: Vec::new(),
            ..r.clone()
        }
    );
    assert_eq!(back.comparison_order(), vec!["exponential"]);
}
