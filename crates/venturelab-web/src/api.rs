//! The API: a JSON body to a request of `venturelab-app`, its report back with the CLI's
//! text and `venturelab-present`'s charts. Every handler goes through `answer`: the body
//! parsed (400 naming what is wrong), the work run as a job ([`crate::jobs::run`]), the
//! result remembered for the page's Save button ([`crate::runs::Runs::remember`]).
//!
//! A scenario arrives as `{"scenario": {...}}` (the TOML's shape, as a Python dict) and
//! becomes a [`Source::Sealed`]: a data file it names is read only from the `files` of the
//! same body, never from the disk. Or as `{"preset": "essay"}`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use venturelab_app::{
    captable, company, fit, fund, market, AppError, Data, Observer, Place, RunSpec, Source,
};
use venturelab_present as present;

use crate::App;

/// The most bytes of uploaded data (fit data, files a scenario names, a cap table).
pub const MAX_UPLOAD_BYTES: usize = 1 << 20;

/// Sizes a request here may ask for: each redraw must stay interactive and within the
/// time limit (the CLI has no such limits beyond memory).
pub const MAX_FUNDS: usize = 200_000;
pub const MAX_SOLVE_FUNDS: usize = 50_000;
pub const MAX_COMPANY_RUNS: usize = 20_000;
pub const MAX_MONTHS: u32 = 240;
pub const MAX_MARKET_RUNS: usize = 500;
pub const MAX_BOOTSTRAP: usize = 500;
pub const MAX_WATERFALL_POINTS: usize = 401;

/// An error answer: `{"error": message, "field": key or parameter}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub field: Option<String>,
}

impl ApiError {
    /// 400 naming `field`.
    pub fn field(field: &str, error: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: format!("{field}: {}", error.into()),
            field: Some(field.to_string()),
        }
    }

    /// 500: not the caller's fault.
    pub fn internal(m: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: format!("internal error: {}", m.into()),
            field: None,
        }
    }

    /// 409: a newer request of the page, the page itself or a gone client stopped it.
    pub fn cancelled() -> Self {
        ApiError {
            status: StatusCode::CONFLICT,
            error: "cancelled (a newer request replaced it, or it was stopped)".into(),
            field: None,
        }
    }

    /// 400 for a body that is not the JSON expected.
    pub fn bad_json(e: serde_json::Error) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: format!("the request is not the JSON expected: {e}"),
            field: None,
        }
    }

    /// 413 for an upload over [`MAX_UPLOAD_BYTES`], naming its field.
    pub fn upload(field: &str, bytes: usize) -> Self {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            error: format!(
                "{field}: {bytes} bytes; uploads here are at most {} MB (the CLI reads larger files)",
                MAX_UPLOAD_BYTES >> 20
            ),
            field: Some(field.to_string()),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Input(i) => ApiError {
                status: StatusCode::BAD_REQUEST,
                field: match &i.place {
                    Place::Parameter(p) | Place::Key(p) => Some(p.clone()),
                    _ => None,
                },
                error: i.render(&|p| p.to_string()),
            },
            AppError::Cancelled => ApiError::cancelled(),
            AppError::Internal(m) => ApiError::internal(m),
        }
    }
}

impl From<present::error::PresentError> for ApiError {
    fn from(e: present::error::PresentError) -> Self {
        ApiError::internal(e.0)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": self.error, "field": self.field})),
        )
            .into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// What a successful request gives: the page's answer and what the run store keeps.
pub struct Done {
    /// `{"report": ..., "text": ..., "charts": [{"name", "svg"}]}`.
    pub answer: Value,
    /// The scenario as TOML (or the request's inputs as TOML where there is none).
    pub scenario_toml: String,
    pub seed: Option<u64>,
}

/// Parses the body, runs `work` as a job of the body's `page`, remembers the result under
/// a token (`"token"` in the answer) that `POST /api/runs/save` names.
async fn answer<B: DeserializeOwned + Send + 'static>(
    app: Arc<App>,
    body: Result<Bytes, BytesRejection>,
    model: &'static str,
    work: fn(B, &dyn Observer) -> ApiResult<Done>,
) -> Response {
    let bytes = match body {
        Ok(b) => b,
        Err(BytesRejection::FailedToBufferBody(_)) => return crate::guard::too_large(),
        Err(e) => return ApiError::internal(e.body_text()).into_response(),
    };
    let request: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return ApiError::bad_json(e).into_response(),
    };
    let page = request
        .get("page")
        .and_then(Value::as_str)
        .map(|p| p.chars().take(64).collect::<String>());
    let b: B = match serde_json::from_value(request.clone()) {
        Ok(b) => b,
        Err(e) => return ApiError::bad_json(e).into_response(),
    };
    match crate::jobs::run(&app, page, move |obs| work(b, obs)).await {
        Ok(mut done) => {
            let mut params = request;
            if let Some(m) = params.as_object_mut() {
                m.remove("page");
            }
            let token = app.runs.remember(crate::runs::Pending {
                model: model.to_string(),
                scenario_toml: done.scenario_toml,
                seed: done.seed,
                params_json: params.to_string(),
                result_json: done.answer["report"].to_string(),
            });
            done.answer["token"] = json!(token);
            Json(done.answer).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// A scenario as a request names it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ScenarioBody {
    /// The scenario as a nested map (the TOML's shape).
    pub scenario: Option<Value>,
    /// Or a built-in preset.
    pub preset: Option<String>,
    /// Data files the scenario names, by name (uploads).
    pub files: BTreeMap<String, String>,
    pub seed: Option<u64>,
}

impl ScenarioBody {
    fn source(&self) -> ApiResult<Source> {
        let up: usize = self.files.values().map(String::len).sum();
        if up > MAX_UPLOAD_BYTES {
            return Err(ApiError::upload("files", up));
        }
        match (&self.scenario, &self.preset) {
            (Some(Value::Object(_)), _) => Ok(Source::Sealed {
                map: self.scenario.clone().unwrap_or_default(),
                files: self.files.clone(),
            }),
            (Some(_), _) => Err(ApiError::field(
                "scenario",
                "expected a map of the scenario's keys",
            )),
            (None, Some(p)) => Ok(Source::Preset(p.clone())),
            (None, None) => Err(ApiError::field("scenario", "give a scenario or a preset")),
        }
    }

    fn run(&self) -> ApiResult<RunSpec> {
        Ok(RunSpec {
            scenario: Some(self.source()?),
            seed: self.seed.unwrap_or(venturelab_app::DEFAULT_SEED),
            threads: None,
        })
    }

    /// The scenario's TOML text, as the application reads it.
    fn toml(&self, area: &str) -> ApiResult<String> {
        let default = (area == "market").then_some(market::DEFAULT_PRESET);
        Ok(venturelab_app::source::load(area, Some(&self.source()?), default)?.text)
    }
}

/// Refuses `n` above `max`, naming the field.
fn at_most<T: PartialOrd + std::fmt::Display>(
    field: &str,
    n: T,
    max: T,
    unit: &str,
) -> ApiResult<()> {
    if n > max {
        return Err(ApiError::field(
            field,
            format!("{n}: this server runs at most {max} {unit} per request (the CLI runs more)"),
        ));
    }
    Ok(())
}

fn svgs(files: Vec<present::error::OutFile>) -> Vec<Value> {
    files
        .into_iter()
        .filter(|f| f.name.ends_with(".svg"))
        .map(|f| json!({"name": f.name, "svg": String::from_utf8_lossy(&f.contents)}))
        .collect()
}

fn chart(name: &str, svg: String) -> Value {
    json!({"name": name, "svg": svg})
}

fn inputs_toml(v: &impl serde::Serialize) -> String {
    toml::Value::try_from(v)
        .ok()
        .and_then(|t| toml::to_string(&t).ok())
        .unwrap_or_default()
}

/// `GET /api/presets`.
pub async fn presets() -> Response {
    match venturelab_app::to_json(&venturelab_app::presets::presets()) {
        Ok(v) => Json(v).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// `GET /api/scenario/AREA/PRESET`: a preset as the map the pages edit.
pub async fn scenario(Path((area, name)): Path<(String, String)>) -> Response {
    if !["fund", "company", "market"].contains(&area.as_str()) {
        return ApiError::field(
            "area",
            format!("expected fund, company or market, got '{area}'"),
        )
        .into_response();
    }
    match venturelab_app::source::load(&area, Some(&Source::Preset(name)), None) {
        Ok(l) => match serde_json::to_value(&l.doc) {
            Ok(v) => Json(v).into_response(),
            Err(e) => ApiError::internal(e.to_string()).into_response(),
        },
        Err(e) => ApiError::from(e).into_response(),
    }
}

// ---- fund ----

#[derive(Deserialize)]
pub struct FundBody {
    #[serde(flatten)]
    s: ScenarioBody,
    #[serde(default = "default_funds")]
    funds: usize,
}

fn default_funds() -> usize {
    20_000
}

fn fund_simulate_work(b: FundBody, obs: &dyn Observer) -> ApiResult<Done> {
    at_most("funds", b.funds, MAX_FUNDS, "funds")?;
    let req = fund::FundSimulate {
        run: b.s.run()?,
        funds: b.funds,
        detail: true,
    };
    let r = fund::simulate(&req, obs)?;
    let charts = present::fund::charts(&r.summary, &r.run)?
        .into_iter()
        .map(|(n, s)| chart(&n, s))
        .collect::<Vec<_>>();
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::fund::simulate_text(&r),
            "charts": charts,
        }),
        scenario_toml: b.s.toml("fund")?,
        seed: Some(r.seed),
    })
}

/// `POST /api/fund/simulate {scenario|preset, seed, funds}`.
pub async fn fund_simulate(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "fund simulate", fund_simulate_work).await
}

#[derive(Deserialize)]
pub struct SolveBody {
    #[serde(flatten)]
    s: ScenarioBody,
    vary: String,
    /// `net_tvpi.p50=3`.
    target: String,
    lo: Option<f64>,
    hi: Option<f64>,
    #[serde(default = "default_solve_funds")]
    funds: usize,
}

fn default_solve_funds() -> usize {
    5_000
}

fn fund_solve_work(b: SolveBody, obs: &dyn Observer) -> ApiResult<Done> {
    at_most("funds", b.funds, MAX_SOLVE_FUNDS, "funds")?;
    let (metric, target) = fund::parse_target(&b.target)?;
    let req = fund::FundSolve {
        run: b.s.run()?,
        vary: b.vary.clone(),
        metric,
        target,
        lo: b.lo,
        hi: b.hi,
        funds: b.funds,
    };
    let r = fund::solve_for(&req, obs)?;
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::fund::solve_text(&r),
            "charts": [],
        }),
        scenario_toml: b.s.toml("fund")?,
        seed: Some(r.seed),
    })
}

/// `POST /api/fund/solve {scenario|preset, vary, target, lo, hi, funds}`.
pub async fn fund_solve(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "fund solve", fund_solve_work).await
}

// ---- company ----

/// Money as text (`250k`) or a number, naming the field when it is neither.
fn money(field: &str, v: &Value) -> ApiResult<f64> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| ApiError::field(field, "expected an amount")),
        Value::String(s) => venturelab_app::parse_money(s).map_err(|e| ApiError::field(field, e)),
        _ => Err(ApiError::field(field, "expected an amount such as 250k")),
    }
}

/// A rate as text (`8%`, `0.08`) or a number.
fn rate(field: &str, v: &Value) -> ApiResult<f64> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| ApiError::field(field, "expected a rate")),
        Value::String(s) => venturelab_app::parse_rate(s).map_err(|e| ApiError::field(field, e)),
        _ => Err(ApiError::field(field, "expected a rate such as 5%")),
    }
}

#[derive(Deserialize, serde::Serialize)]
pub struct DefaultAliveBody {
    revenue: Value,
    revenue_growth: Value,
    expenses: Value,
    #[serde(default)]
    expense_growth: Value,
    #[serde(default)]
    cash: Value,
    #[serde(default)]
    period: Option<String>,
}

fn default_alive_work(b: DefaultAliveBody, _obs: &dyn Observer) -> ApiResult<Done> {
    let blank = |v: &Value| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty());
    let req = company::DefaultAlive {
        revenue: money("revenue", &b.revenue)?,
        revenue_growth: rate("revenue_growth", &b.revenue_growth)?,
        expenses: money("expenses", &b.expenses)?,
        expense_growth: if blank(&b.expense_growth) {
            0.0
        } else {
            rate("expense_growth", &b.expense_growth)?
        },
        cash: if blank(&b.cash) {
            None
        } else {
            Some(money("cash", &b.cash)?)
        },
        period: match b.period.as_deref() {
            None | Some("month") => company::Period::Month,
            Some("week") => company::Period::Week,
            Some(o) => {
                return Err(ApiError::field(
                    "period",
                    format!("expected month or week, got '{o}'"),
                ))
            }
        },
    };
    let r = company::default_alive(&req)?;
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::company::default_alive_text(&r),
            "charts": [],
        }),
        scenario_toml: inputs_toml(&b),
        seed: None,
    })
}

/// `POST /api/company/default-alive {revenue, revenue_growth, expenses, expense_growth, cash, period}`.
pub async fn default_alive(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "company default-alive", default_alive_work).await
}

#[derive(Deserialize)]
pub struct CompanyBody {
    #[serde(flatten)]
    s: ScenarioBody,
    #[serde(default = "default_runs")]
    runs: usize,
    #[serde(default = "default_months")]
    months: u32,
    /// Stress: the vendor line, the price change (`30%`) and its first month.
    vendor: Option<String>,
    price_change: Option<Value>,
    #[serde(default = "default_at_month")]
    at_month: u32,
    /// Compare: `vc,rbf,debt,bootstrap`.
    paths: Option<String>,
}

fn default_runs() -> usize {
    2_000
}
fn default_months() -> u32 {
    120
}
fn default_at_month() -> u32 {
    1
}

impl CompanyBody {
    fn size(&self) -> ApiResult<company::Size> {
        at_most("runs", self.runs, MAX_COMPANY_RUNS, "runs")?;
        at_most("months", self.months, MAX_MONTHS, "months")?;
        Ok(company::Size {
            runs: self.runs,
            months: self.months,
        })
    }
}

fn company_simulate_work(b: CompanyBody, obs: &dyn Observer) -> ApiResult<Done> {
    let req = company::CompanySimulate {
        run: b.s.run()?,
        size: b.size()?,
        detail: false,
    };
    let r = company::simulate(&req, obs)?;
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::company::simulate_report_text(&r),
            "charts": svgs(present::company::simulate_files(&r)?),
        }),
        scenario_toml: b.s.toml("company")?,
        seed: Some(req.run.seed),
    })
}

/// `POST /api/company/simulate {scenario|preset, seed, runs, months}`.
pub async fn company_simulate(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "company simulate", company_simulate_work).await
}

fn company_stress_work(b: CompanyBody, obs: &dyn Observer) -> ApiResult<Done> {
    let req = company::CompanyStress {
        run: b.s.run()?,
        size: b.size()?,
        vendor: b
            .vendor
            .clone()
            .ok_or_else(|| ApiError::field("vendor", "name the vendor line to stress"))?,
        price_change: rate(
            "price_change",
            b.price_change.as_ref().unwrap_or(&Value::from(0.0)),
        )?,
        at_month: b.at_month,
    };
    let r = company::stress(&req, obs)?;
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::company::stress_text(&r),
            "charts": [chart("stress.svg", present::company::stress_chart(&r)?)],
        }),
        scenario_toml: b.s.toml("company")?,
        seed: Some(r.seed),
    })
}

/// `POST /api/company/stress {..., vendor, price_change, at_month}`.
pub async fn company_stress(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "company stress", company_stress_work).await
}

fn company_compare_work(b: CompanyBody, obs: &dyn Observer) -> ApiResult<Done> {
    let req = company::CompanyCompare {
        run: b.s.run()?,
        size: b.size()?,
        paths: company::parse_paths(b.paths.as_deref().unwrap_or("vc,rbf,debt,bootstrap"))?,
    };
    let r = company::compare(&req, obs)?;
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::company::compare_text(&r),
            "charts": [chart("compare.svg", present::company::compare_chart(&r)?)],
        }),
        scenario_toml: b.s.toml("company")?,
        seed: Some(r.seed),
    })
}

/// `POST /api/company/compare {..., paths}`.
pub async fn company_compare(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "company compare", company_compare_work).await
}

// ---- cap table ----

#[derive(Deserialize)]
pub struct CapTableBody {
    /// The cap-table TOML.
    toml: String,
    /// Waterfall: the exit value (`50M`; default the file's exit) and the sweep's top.
    exit: Option<Value>,
    sweep_to: Option<Value>,
    #[serde(default = "default_points")]
    points: usize,
}

fn default_points() -> usize {
    121
}

impl CapTableBody {
    fn source(&self) -> ApiResult<captable::CapTableSource> {
        if self.toml.len() > MAX_UPLOAD_BYTES {
            return Err(ApiError::upload("toml", self.toml.len()));
        }
        Ok(captable::CapTableSource::Toml(Data::Text {
            name: "cap table".into(),
            text: self.toml.clone(),
        }))
    }
}

fn cap_table_work(b: CapTableBody, _obs: &dyn Observer) -> ApiResult<Done> {
    let r = captable::cap_table(&b.source()?)?;
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::captable::cap_table_text(&r),
            "charts": [],
        }),
        scenario_toml: b.toml.clone(),
        seed: None,
    })
}

/// `POST /api/captable {toml}`.
pub async fn cap_table(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "captable", cap_table_work).await
}

fn waterfall_work(b: CapTableBody, _obs: &dyn Observer) -> ApiResult<Done> {
    at_most("points", b.points, MAX_WATERFALL_POINTS, "exit values")?;
    let blank = |v: &Option<Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        _ => false,
    };
    let exit = if blank(&b.exit) {
        None
    } else {
        Some(money("exit", b.exit.as_ref().unwrap_or(&Value::Null))?)
    };
    let sweep_to = if blank(&b.sweep_to) {
        None
    } else {
        Some(money(
            "sweep_to",
            b.sweep_to.as_ref().unwrap_or(&Value::Null),
        )?)
    };
    // The exit alone first: its value (given or the file's) sets the sweep's default top.
    let at = captable::waterfall(&captable::Waterfall {
        source: b.source()?,
        exit,
        sweep: None,
        points: 0,
    })?;
    let top = sweep_to.unwrap_or(2.0 * at.exit_value);
    let r = if top > 0.0 {
        captable::waterfall(&captable::Waterfall {
            source: b.source()?,
            exit,
            sweep: Some((0.0, top)),
            points: b.points,
        })?
    } else {
        at
    };
    let charts: Vec<Value> = present::captable::payout_chart(&r)?
        .map(|s| chart("payouts.svg", s))
        .into_iter()
        .collect();
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::captable::waterfall_text(&r),
            "charts": charts,
        }),
        scenario_toml: b.toml.clone(),
        seed: None,
    })
}

/// `POST /api/waterfall {toml, exit, sweep_to, points}`.
pub async fn waterfall(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "waterfall", waterfall_work).await
}

// ---- fit ----

#[derive(Deserialize, serde::Serialize)]
pub struct FitBody {
    /// One value per line (or `value<TAB>count` with `histogram`).
    data: String,
    #[serde(default)]
    histogram: bool,
    /// `discrete`, `continuous` or absent (decided from the data).
    kind: Option<String>,
    #[serde(default)]
    bootstrap: usize,
    seed: Option<u64>,
    compare: Option<String>,
}

fn fit_work(b: FitBody, obs: &dyn Observer) -> ApiResult<Done> {
    if b.data.len() > MAX_UPLOAD_BYTES {
        return Err(ApiError::upload("data", b.data.len()));
    }
    at_most(
        "bootstrap",
        b.bootstrap,
        MAX_BOOTSTRAP,
        "bootstrap replicates",
    )?;
    let req = fit::Fit {
        data: Data::Text {
            name: "data".into(),
            text: b.data.clone(),
        },
        histogram: b.histogram,
        kind: match b.kind.as_deref() {
            None | Some("") | Some("auto") => None,
            Some("discrete") => Some(fit::Kind::Discrete),
            Some("continuous") => Some(fit::Kind::Continuous),
            Some(o) => {
                return Err(ApiError::field(
                    "kind",
                    format!("expected discrete, continuous or auto, got '{o}'"),
                ))
            }
        },
        scale: None,
        xmin: fit::XminChoice::Scan,
        ks: fit::parse_ks("two-sided")?,
        bootstrap: b.bootstrap,
        seed: b.seed.unwrap_or(venturelab_app::DEFAULT_SEED),
        compare: fit::parse_compare(b.compare.as_deref().unwrap_or("all"))?,
        threads: None,
    };
    let r = fit::fit(&req, obs)?;
    let charts: Vec<Value> = match &r.curves {
        Some(c) => vec![chart("ccdf.svg", present::fit::ccdf_plot(c)?)],
        None => vec![],
    };
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::fit::fit_text(&r),
            "comparisons": present::fit::comparison_rows(&r),
            "charts": charts,
        }),
        scenario_toml: inputs_toml(&b),
        seed: Some(r.seed),
    })
}

/// `POST /api/fit {data, histogram, kind, bootstrap, seed, compare}`.
pub async fn fit(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    answer(app, body, "fit", fit_work).await
}

// ---- market ----

#[derive(Deserialize)]
pub struct MarketBody {
    #[serde(flatten)]
    s: ScenarioBody,
    experiment: String,
    #[serde(default = "default_market_runs")]
    runs: usize,
}

fn default_market_runs() -> usize {
    8
}

fn market_work(b: MarketBody, obs: &dyn Observer) -> ApiResult<Done> {
    at_most("runs", b.runs, MAX_MARKET_RUNS, "runs")?;
    let experiment = match b.experiment.as_str() {
        "scapegoat" => market::Experiment::Scapegoat,
        "horizon" => market::Experiment::Horizon,
        "herding" => market::Experiment::Herding,
        o => {
            return Err(ApiError::field(
                "experiment",
                format!("expected scapegoat, horizon or herding, got '{o}'"),
            ))
        }
    };
    let run = if b.s.scenario.is_none() && b.s.preset.is_none() {
        RunSpec {
            scenario: None,
            seed: b.s.seed.unwrap_or(venturelab_app::DEFAULT_SEED),
            threads: None,
        }
    } else {
        b.s.run()?
    };
    let req = market::MarketExperiment {
        experiment,
        run,
        runs: b.runs,
    };
    let r = market::experiment(&req, obs)?;
    let rows = present::market::experiment_rows(&r.rows);
    Ok(Done {
        answer: json!({
            "report": venturelab_app::to_json(&r)?,
            "text": present::market::experiment_text(&r),
            "table": {"headers": present::market::EXPERIMENT_HEADERS, "rows": rows},
            "charts": svgs(present::market::experiment_files(&r)?),
        }),
        scenario_toml: if b.s.scenario.is_none() && b.s.preset.is_none() {
            venturelab_app::source::load("market", None, Some(market::DEFAULT_PRESET))?.text
        } else {
            b.s.toml("market")?
        },
        seed: Some(r.seed),
    })
}

/// `POST /api/market/experiment {experiment, runs, seed, scenario|preset}`; its progress
/// at `GET /api/progress/PAGE`.
pub async fn market_experiment(
    State(app): State<Arc<App>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    answer(app, body, "market experiment", market_work).await
}
