//! Every numeric field of every preset, mutated to a hostile value (negative, zero, 1e300,
//! 1e308, NaN, ±inf, a word, a huge amount as text) and run through its area's command in
//! the application layer (`fund simulate` with 64 funds, `company compare` of all four
//! financing paths with 8 runs of 60 months, `market simulate` of one run of 12 quarters
//! with 100 startups a quarter). Each case must end with either a report whose every number is
//! finite, or an input error whose message names the mutated key (issue 17: "every numeric
//! field of every preset mutated"). The TOML tree is walked generically, so a field added to
//! a preset is covered without touching this file.

use std::sync::mpsc;
use std::time::Duration;

use serde::ser::{self, Serialize};
use toml::Value;
use venturelab_app::company::{CompanyCompare, Size};
use venturelab_app::error::flag;
use venturelab_app::fund::FundSimulate;
use venturelab_app::market::MarketSimulate;
use venturelab_app::{AppError, RunSpec, Silent, Source};

/// One step of a path into a TOML document: a table key, or an array index with the
/// entry's `name` when it has one (the library names list entries by name:
/// `vendors.cloud.fixed`, `sectors.ai.need.sigma`).
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize, Option<String>),
}

/// The spellings of a path an error may use: indices as numbers, or entries by name.
fn spellings(path: &[Step]) -> Vec<String> {
    let join = |named: bool| {
        path.iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(_, Some(n)) if named => n.clone(),
                Step::Index(i, _) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    };
    let mut v = vec![join(false), join(true)];
    v.dedup();
    v
}

/// Whether `message` names the key at `path`: its dotted path, or the table or list it is
/// in with the key's own name (a rule between fields names them together:
/// `revenue.cac: expected 0 <= low <= high, got low 7, high 6`; `outcomes.buckets: shares
/// must sum to 1`).
fn names_key(message: &str, path: &[Step]) -> bool {
    let says = |at: &[Step]| {
        spellings(at)
            .iter()
            .any(|k| message.contains(&format!("{k}:")) || message.contains(&format!("{k}.")))
    };
    if says(path) {
        return true;
    }
    let Some(Step::Key(leaf)) = path.last() else {
        return false;
    };
    let n = path.len();
    // The table the key is in, or the list whose entry holds it.
    let parent = n >= 2 && says(&path[..n - 1]);
    let list = n >= 3 && matches!(path[n - 2], Step::Index(..)) && says(&path[..n - 2]);
    (parent || list) && message.contains(leaf.as_str())
}

/// Keys whose values are text for people, never numbers.
const TEXT_KEYS: [&str; 3] = ["name", "description", "sources"];

/// Whether a leaf is a number: a TOML number, or text that reads as money or a rate
/// (`"100M"`, `"8%"`), but not a word such as `"commercialization"`.
fn is_numeric(v: &Value) -> bool {
    match v {
        Value::Integer(_) | Value::Float(_) => true,
        Value::String(s) => {
            venturelab_app::parse_money(s).is_ok() || venturelab_app::parse_rate(s).is_ok()
        }
        _ => false,
    }
}

/// Every path to a numeric leaf of `v`.
fn numeric_paths(v: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match v {
        Value::Table(t) => {
            for (k, child) in t {
                if path.is_empty() && TEXT_KEYS.contains(&k.as_str()) || k == "name" {
                    continue;
                }
                path.push(Step::Key(k.clone()));
                numeric_paths(child, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                let name = child.get("name").and_then(|n| n.as_str()).map(String::from);
                path.push(Step::Index(i, name));
                numeric_paths(child, path, out);
                path.pop();
            }
        }
        leaf if is_numeric(leaf) => out.push(path.clone()),
        _ => {}
    }
}

fn leaf_mut<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, s| match s {
        Step::Key(k) => v.get_mut(k.as_str()).unwrap(),
        Step::Index(i, _) => v.get_mut(*i).unwrap(),
    })
}

/// The hostile values each numeric field is set to, with a label for messages.
fn mutations() -> Vec<(&'static str, Value)> {
    vec![
        ("negative", Value::Integer(-1)),
        ("negative fraction", Value::Float(-0.5)),
        ("zero", Value::Integer(0)),
        ("1e300", Value::Float(1e300)),
        ("1e308", Value::Float(1e308)),
        ("-1e308", Value::Float(-1e308)),
        ("nan", Value::Float(f64::NAN)),
        ("inf", Value::Float(f64::INFINITY)),
        ("-inf", Value::Float(f64::NEG_INFINITY)),
        ("a word", Value::String("abc".into())),
        ("\"1e300\"", Value::String("1e300".into())),
        ("\"nan\"", Value::String("nan".into())),
        ("\"1e308%\"", Value::String("1e308%".into())),
    ]
}

/// The first non-finite number a report holds, with the field it is in. serde_json writes
/// NaN and inf as `null`, so the check looks at the numbers before they become JSON.
struct FindNonFinite {
    path: Vec<String>,
    found: Option<String>,
}

impl FindNonFinite {
    fn float(&mut self, v: f64) {
        if !v.is_finite() && self.found.is_none() {
            self.found = Some(format!("{} = {v}", self.path.join(".")));
        }
    }
}

#[derive(Debug)]
struct Never;
impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}
impl std::error::Error for Never {}
impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

type R = Result<(), Never>;

impl ser::Serializer for &mut FindNonFinite {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;
    fn serialize_bool(self, _: bool) -> R {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> R {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> R {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> R {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> R {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> R {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> R {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> R {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> R {
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> R {
        self.float(v as f64);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> R {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, _: char) -> R {
        Ok(())
    }
    fn serialize_str(self, _: &str) -> R {
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Ok(())
    }
    fn serialize_none(self) -> R {
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> R {
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> R {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        Ok(self)
    }
}

impl FindNonFinite {
    fn field<T: ?Sized + Serialize>(&mut self, name: String, v: &T) -> R {
        self.path.push(name);
        v.serialize(&mut *self)?;
        self.path.pop();
        Ok(())
    }
}

macro_rules! elements {
    ($($t:ident :: $m:ident),*) => {$(
        impl ser::$t for &mut FindNonFinite {
            type Ok = ();
            type Error = Never;
            fn $m<T: ?Sized + Serialize>(&mut self, v: &T) -> R {
                self.field("[]".into(), v)
            }
            fn end(self) -> R {
                Ok(())
            }
        }
    )*};
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

macro_rules! fields {
    ($($t:ident),*) => {$(
        impl ser::$t for &mut FindNonFinite {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, k: &'static str, v: &T) -> R {
                self.field(k.to_string(), v)
            }
            fn end(self) -> R {
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for &mut FindNonFinite {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> R {
        let key = serde_json::to_value(k)
            .map(|v| v.as_str().map(String::from).unwrap_or(v.to_string()))
            .unwrap_or_default();
        self.path.push(key);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> R {
        v.serialize(&mut **self)?;
        self.path.pop();
        Ok(())
    }
    fn end(self) -> R {
        Ok(())
    }
}

/// The first non-finite number in `report`, by field path.
fn non_finite<T: Serialize>(report: &T) -> Option<String> {
    let mut f = FindNonFinite {
        path: Vec::new(),
        found: None,
    };
    let _ = report.serialize(&mut f);
    f.found
}

/// Makes a preset small enough to run hundreds of times: few quarters and startups in the
/// market (the fund and company sizes are request parameters, set small in `run`).
fn shrink(area: &str, doc: &mut Value) {
    if area == "market" {
        let m = doc.get_mut("market").unwrap();
        m["quarters"] = Value::Integer(12);
        m["startups_per_quarter"] = Value::Integer(100);
    }
}

/// Runs the area's main command on `text`; Ok(None) when the report's numbers are all
/// finite, Ok(Some(field)) when one is not, Err when the request fails.
fn run(area: &str, text: String) -> Result<Option<String>, AppError> {
    let spec = RunSpec {
        scenario: Some(Source::Text {
            name: "mutated.toml".into(),
            text,
        }),
        seed: 7,
        threads: Some(1),
    };
    Ok(match area {
        "fund" => non_finite(&venturelab_app::fund::simulate(
            &FundSimulate {
                run: spec,
                funds: 64,
                detail: false,
            },
            &Silent,
        )?),
        // `compare` runs every financing path, so the `financing.rbf` and
        // `financing.debt` fields are simulated too, not only validated.
        "company" => non_finite(&venturelab_app::company::compare(
            &CompanyCompare {
                run: spec,
                size: Size {
                    runs: 8,
                    months: 60,
                },
                paths: venturelab_app::company::parse_paths("vc,rbf,debt,bootstrap")?,
            },
            &Silent,
        )?),
        "market" => non_finite(&venturelab_app::market::simulate(
            &MarketSimulate {
                run: spec,
                runs: 1,
                quarters: None,
            },
            &Silent,
        )?),
        "lp" => non_finite(&venturelab_app::lp::simulate(
            &venturelab_app::lp::LpSimulate {
                run: spec,
                portfolios: 4,
            },
            &Silent,
        )?),
        other => panic!("no command for presets of area {other}"),
    })
}

/// What one case did wrong, if anything. Each runs on its own thread with a time limit so
/// that a hang is reported rather than stalling the suite.
fn check_case(area: &'static str, text: String, path: &[Step]) -> Option<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| run(area, text));
        let _ = tx.send(r);
    });
    let outcome = match rx.recv_timeout(Duration::from_secs(20)) {
        Err(_) => return Some("no answer within 20 s".into()),
        Ok(Err(_)) => return Some("panicked".into()),
        Ok(Ok(o)) => o,
    };
    match outcome {
        Ok(None) => None,
        Ok(Some(field)) => Some(format!("Ok with a non-finite number: {field}")),
        Err(AppError::Input(e)) => {
            let message = e.render(&flag);
            (!names_key(&message, path)).then(|| format!("error does not name the key: {message}"))
        }
        Err(other) => Some(format!("not an input error: {other}")),
    }
}

#[test]
fn every_numeric_field_of_every_preset_survives_hostile_values() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for preset in venturelab::presets::ALL {
        let mut base: Value = toml::from_str(preset.toml).unwrap();
        shrink(preset.area, &mut base);
        // The shrunk preset itself runs cleanly: failures below are the mutation's.
        let text = toml::to_string(&base).unwrap();
        if let Some(f) = check_case(preset.area, text, &[]) {
            failures.push(format!("{} as shipped: {f}", preset.name));
        }
        let mut paths = Vec::new();
        numeric_paths(&base, &mut Vec::new(), &mut paths);
        assert!(
            paths.len() >= 5,
            "preset {}: {} fields",
            preset.name,
            paths.len()
        );
        for path in &paths {
            for (label, value) in mutations() {
                let case = format!("{} {} = {label}", preset.name, spellings(path)[0]);
                if let Ok(only) = std::env::var("MUTATIONS_ONLY") {
                    if !case.contains(&only) {
                        continue;
                    }
                }
                let mut doc = base.clone();
                *leaf_mut(&mut doc, path) = value;
                let text = toml::to_string(&doc).unwrap();
                cases += 1;
                if std::env::var_os("MUTATIONS_TRACE").is_some() {
                    eprintln!("{case}");
                }
                if let Some(f) = check_case(preset.area, text, path) {
                    failures.push(format!("{case}: {f}"));
                }
            }
        }
    }
    if std::env::var_os("MUTATIONS_ONLY").is_none() {
        assert!(cases > 1000, "{cases} cases");
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} mutations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_walk_finds_numbers_and_skips_words() {
    let doc: Value = toml::from_str(
        "name = \"x\"\n[fund]\nsize = \"100M\"\nstage = \"seed\"\nrate = \"8%\"\n\
         [[v]]\nname = \"cloud\"\nfixed = 3\n",
    )
    .unwrap();
    let mut paths = Vec::new();
    numeric_paths(&doc, &mut Vec::new(), &mut paths);
    let found: Vec<Vec<String>> = paths.iter().map(|p| spellings(p)).collect();
    assert_eq!(
        found,
        vec![
            vec!["fund.rate".to_string()],
            vec!["fund.size".to_string()],
            vec!["v.0.fixed".to_string(), "v.cloud.fixed".to_string()],
        ]
    );
}

#[test]
fn non_finite_numbers_are_found_inside_reports() {
    #[derive(serde::Serialize)]
    struct Inner {
        xs: Vec<f64>,
    }
    #[derive(serde::Serialize)]
    struct Outer {
        a: f64,
        inner: Inner,
        m: std::collections::BTreeMap<String, Option<f64>>,
    }
    let mut r = Outer {
        a: 1.0,
        inner: Inner { xs: vec![1.0, 2.0] },
        m: [("k".to_string(), Some(3.0))].into_iter().collect(),
    };
    assert_eq!(non_finite(&r), None);
    r.inner.xs[1] = f64::NAN;
    assert_eq!(non_finite(&r).as_deref(), Some("inner.xs.[] = NaN"));
    r.inner.xs[1] = 0.0;
    r.m.insert("k".into(), Some(f64::INFINITY));
    assert_eq!(non_finite(&r).as_deref(), Some("m.k = inf"));
}
