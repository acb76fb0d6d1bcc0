//! The company scenario file (TOML) and its validation into a [`CompanyModel`].
//!
//! Uncertain inputs are distributions: a field such as `churn` takes a plain value
//! (`churn = "1.5%"`, `cac = "12k"`) or a table `{ dist = "uniform", low = .., high = .. }`
//! with the distributions of the fund scenario (`uniform`, `loguniform`, `pareto`,
//! `lognormal`). Each run draws every such input once, at its start. Money accepts `"10M"`,
//! rates `"8%"`. Every field is checked with a message that names its TOML key; unknown keys
//! are errors. Amounts are per month unless the key says otherwise; `arr` keys are annual.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::dist::DistSpec;
use crate::dist::Piece;
use crate::error::{Error, Result};
use crate::scenario::toml_error;
use crate::scenario::{
    amount, list_entry_key, non_negative, num, parse_money, parse_rate, Money, Rate, MAX_AMOUNT,
};

/// An uncertain input: a fixed value or a distribution, drawn once per run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Param {
    Fixed(f64),
    Dist(DistSpec),
}

impl Default for Param {
    fn default() -> Self {
        Param::Fixed(0.0)
    }
}

struct ParamVisitor;

impl<'de> Visitor<'de> for ParamVisitor {
    type Value = Param;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, an amount such as \"12k\", a rate such as \"2%\", or a distribution table { dist = \"uniform\", low = .., high = .. }")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Param, E> {
        Ok(Param::Fixed(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Param, E> {
        Ok(Param::Fixed(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Param, E> {
        Ok(Param::Fixed(v as f64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Param, E> {
        let parsed = if v.trim_end().ends_with('%') {
            parse_rate(v)
        } else {
            parse_money(v)
        };
        parsed.map(Param::Fixed).map_err(E::custom)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Param, A::Error> {
        DistSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(Param::Dist)
    }
}

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ParamVisitor)
    }
}

impl Param {
    /// Validates into a [`Piece`] whose every value lies in `[lo, hi]`; `key` names the field.
    pub fn piece(&self, key: &str, lo: f64, hi: f64) -> Result<Piece> {
        let piece = match self {
            Param::Fixed(v) => {
                if !v.is_finite() {
                    return Err(Error::key(
                        key,
                        format!("expected a finite number, got {v}"),
                    ));
                }
                Piece::Point { value: *v }
            }
            Param::Dist(d) => {
                if d.multiple.is_some() {
                    return Err(Error::key(
                        format!("{key}.multiple"),
                        "give a fixed value as the field itself (key = 0.05), not as a table",
                    ));
                }
                if d.dist.is_none() {
                    return Err(Error::key(
                        format!("{key}.dist"),
                        "missing: uniform, loguniform, pareto or lognormal",
                    ));
                }
                d.piece(key)?
            }
        };
        let (min, max) = match piece {
            Piece::Point { value } => (value, value),
            Piece::Uniform { low, high } | Piece::LogUniform { low, high } => (low, high),
            // The smallest and largest values the samplers draw (uniforms from 0 to
            // 1 - 2^-53): a lognormal's can underflow to 0 (mu = -1e308) and its largest
            // is what a money field's upper bound is checked against.
            Piece::Pareto { .. } | Piece::Lognormal { .. } => (
                piece.quantile(0.0),
                piece.quantile(1.0 - f64::EPSILON / 2.0),
            ),
        };
        if min < lo || max > hi {
            let range = if lo == f64::MIN_POSITIVE {
                "a positive value".to_string()
            } else if hi.is_infinite() {
                format!("at least {}", num(lo))
            } else {
                format!("between {} and {}", num(lo), num(hi))
            };
            let got = if min == max {
                num(min)
            } else {
                format!("values from {} to {}", num(min), num(max))
            };
            // Name the field out of range: a uniform's `low` or `high`, else the field or
            // the distribution's table.
            let at = match piece {
                Piece::Uniform { .. } | Piece::LogUniform { .. } if min < lo => {
                    format!("{key}.low")
                }
                Piece::Uniform { .. } | Piece::LogUniform { .. } => format!("{key}.high"),
                _ => key.to_string(),
            };
            let params = match piece {
                Piece::Lognormal { mu, sigma } => {
                    format!(" (mu {}, sigma {})", num(mu), num(sigma))
                }
                Piece::Pareto { scale, shape } => {
                    format!(" (scale {}, shape {})", num(scale), num(shape))
                }
                _ => String::new(),
            };
            return Err(Error::key(
                at,
                format!("expected {range}, got {got}{params}"),
            ));
        }
        Ok(piece)
    }
}

/// The stages of the valley of death, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StageName {
    /// Technical validation: does the technology work?
    Validation,
    /// Productisation: building a product that ships.
    Product,
    /// Commercialisation: paying customers, looking for product-market fit.
    Commercialization,
    /// Scale: product-market fit found and revenue past the scale threshold.
    Scale,
}

impl StageName {
    pub const ALL: [StageName; 4] = [
        StageName::Validation,
        StageName::Product,
        StageName::Commercialization,
        StageName::Scale,
    ];
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn key(self) -> &'static str {
        match self {
            StageName::Validation => "validation",
            StageName::Product => "product",
            StageName::Commercialization => "commercialization",
            StageName::Scale => "scale",
        }
    }
}

/// A company scenario as written in TOML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sources: Vec<String>,
    pub start: Start,
    #[serde(default)]
    pub validation: Validation,
    #[serde(default)]
    pub product: Product,
    pub commercialization: Commercialization,
    pub scale: Scale,
    pub revenue: Revenue,
    #[serde(default)]
    pub vendors: Vec<VendorSpec>,
    pub financing: Financing,
    #[serde(default)]
    pub acquisition: Acquisition,
}

/// `[start]`: the company on day one of the simulation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    /// Cash in the bank.
    pub cash: Money,
    /// The stage the company is in.
    pub stage: StageName,
    /// Paying accounts (commercialization or scale only).
    #[serde(default)]
    pub accounts: f64,
    /// Founders' fully diluted ownership.
    pub founder_ownership: Rate,
    /// Preferred money raised so far (1x non-participating preference).
    #[serde(default)]
    pub invested: Money,
    /// Post-money valuation of the last priced round (sets the investors' share:
    /// invested / post_money); 0 when nothing was raised.
    #[serde(default)]
    pub post_money: Money,
}

/// `[validation]`: does the technology work? After `months`, it does with chance `success`;
/// otherwise the company shuts down.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    #[serde(default)]
    pub success: Option<Rate>,
    #[serde(default)]
    pub months: Param,
    /// Team and other operating cost per month in this stage.
    #[serde(default)]
    pub team: Param,
}

/// `[product]`: building the product; it ships after `months`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    #[serde(default)]
    pub months: Param,
    #[serde(default)]
    pub team: Param,
}

/// `[commercialization]`: paying customers. Product-market fit is the test
/// "MRR grew at least `pmf_growth` a month on average over the last `pmf_window` months and
/// annual net revenue retention is at least `pmf_nrr`".
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Commercialization {
    pub team: Param,
    /// Accounts (design partners) that convert when the product ships.
    #[serde(default)]
    pub initial_accounts: f64,
    pub pmf_growth: Rate,
    pub pmf_nrr: Rate,
    #[serde(default = "default_pmf_window")]
    pub pmf_window: u32,
}

fn default_pmf_window() -> u32 {
    6
}

/// `[scale]`: entered once product-market fit holds and ARR reaches `arr`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub team: Param,
    pub arr: Money,
}

/// `[revenue]`: the revenue engine (see `cash_path` for the monthly bridge).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Revenue {
    /// Monthly revenue per new account.
    pub price: Param,
    /// Sales and marketing spend per new account.
    pub cac: Param,
    /// Share of accounts lost per month.
    pub churn: Param,
    /// Monthly growth of remaining accounts' revenue.
    #[serde(default)]
    pub expansion: Param,
    /// New accounts per month per existing account (word of mouth), on top of paid ones.
    #[serde(default)]
    pub organic: Param,
    /// Accounts the market holds: new accounts are scaled by `1 - accounts / market`
    /// (logistic saturation). Absent: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<Param>,
    /// Sigma of the monthly lognormal noise on new accounts (mean one); 0 for none.
    #[serde(default)]
    pub noise: f64,
    /// Sales and marketing spend per month (commercialization and scale).
    pub sales_marketing: Param,
    /// In scale, sales and marketing is at least this share of MRR.
    #[serde(default)]
    pub sales_marketing_share: Rate,
}

/// `[[vendors]]`: a vendor line whose monthly cost is `fixed + per_account × accounts`; each
/// month, with chance `shock_chance`, its prices are multiplied by a draw of `shock`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorSpec {
    pub name: String,
    #[serde(default)]
    pub fixed: Param,
    #[serde(default)]
    pub per_account: Param,
    #[serde(default)]
    pub shock_chance: Rate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shock: Option<Param>,
}

/// How a company is financed after its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Path {
    /// Priced equity rounds; venture debt when a round fails; then burn cuts.
    Vc,
    /// Revenue-based financing (needs revenue); then burn cuts.
    Rbf,
    /// Venture debt (the start's equity counts as the equity it needs); then burn cuts.
    Debt,
    /// No new money: burn cuts only.
    Bootstrap,
}

impl Path {
    pub const ALL: [Path; 4] = [Path::Vc, Path::Rbf, Path::Debt, Path::Bootstrap];
    pub fn key(self) -> &'static str {
        match self {
            Path::Vc => "vc",
            Path::Rbf => "rbf",
            Path::Debt => "debt",
            Path::Bootstrap => "bootstrap",
        }
    }
    /// Parses `vc`, `rbf`, `debt` or `bootstrap`.
    pub fn parse(s: &str) -> Option<Path> {
        Path::ALL.into_iter().find(|p| p.key() == s.trim())
    }
}

/// `[financing]`: when runway falls below `raise_below_months`, the company tries to raise
/// (at most every `retry_months`); when that fails it cuts team and sales and marketing by
/// `cut` (down to `min_burn` of the plan).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Financing {
    #[serde(default = "default_path")]
    pub path: Path,
    pub raise_below_months: f64,
    #[serde(default = "default_retry")]
    pub retry_months: u32,
    pub cut: Rate,
    pub min_burn: Rate,
    /// After this many failed attempts in a row while default dead, the founders shut the
    /// company down (an orderly wind-down before the cash is gone); 0 or absent: never.
    #[serde(default)]
    pub give_up_after: u32,
    /// The market climate of a run: multiplies round chances and valuations (1 = neutral).
    #[serde(default = "one")]
    pub climate: Param,
    #[serde(default)]
    pub rounds: Vec<RoundSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rbf: Option<RbfSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debt: Option<DebtSpec>,
}

fn default_path() -> Path {
    Path::Vc
}
fn default_retry() -> u32 {
    3
}
fn one() -> Param {
    Param::Fixed(1.0)
}

/// `[[financing.rounds]]`: the next priced round. Chance of closing an attempt:
/// `min(1, chance × climate × ARR² / (ARR² + arr²))` (the traction term is 1 when `arr` is 0);
/// pre-money `max(pre_money_arr_multiple × ARR, pre_money_floor) × climate`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoundSpec {
    pub name: String,
    /// The stage the company must have reached.
    pub after: StageName,
    /// ARR at which the traction term is one half (0: traction does not matter).
    #[serde(default)]
    pub arr: Money,
    pub chance: Rate,
    #[serde(default)]
    pub pre_money_arr_multiple: f64,
    pub pre_money_floor: Money,
    pub raise: Money,
    /// After the round, team and sales and marketing spend are multiplied by this (the
    /// round pays for hiring); 1 or absent: no change.
    #[serde(default = "one_f64")]
    pub hire: f64,
}

fn one_f64() -> f64 {
    1.0
}

/// `[financing.rbf]`: an advance of `advance_months` × MRR, repaid by `share` of revenue until
/// `cap` × the advance is paid. Needs revenue; a new advance only once the last is repaid.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RbfSpec {
    pub advance_months: f64,
    pub share: Rate,
    pub cap: f64,
}

/// `[financing.debt]`: venture debt of `share_of_last_round` × the last equity raised, at an
/// annual `rate`, interest only for `io_months`, then an annuity over `amort_months`. Only
/// after equity, and one facility at a time.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DebtSpec {
    pub share_of_last_round: Rate,
    pub rate: Rate,
    pub io_months: u32,
    pub amort_months: u32,
}

/// `[acquisition]`: once it has revenue, each month the company is bought with chance
/// `monthly_chance`, for `arr_multiple` × ARR.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Acquisition {
    #[serde(default)]
    pub monthly_chance: Rate,
    #[serde(default)]
    pub arr_multiple: Param,
}

/// A vendor line after validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorModel {
    pub name: String,
    pub fixed: Piece,
    pub per_account: Piece,
    pub shock_chance: f64,
    pub shock: Piece,
}

/// A priced round after validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundModel {
    pub name: String,
    pub after: StageName,
    pub arr: f64,
    pub chance: f64,
    pub pre_money_arr_multiple: f64,
    pub pre_money_floor: f64,
    pub raise: f64,
    pub hire: f64,
}

/// The validated model the simulator runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyModel {
    pub cash: f64,
    pub start_stage: StageName,
    pub start_accounts: f64,
    pub founder_ownership: f64,
    pub invested: f64,
    pub investor_ownership: f64,
    pub validation_success: f64,
    pub validation_months: Piece,
    pub product_months: Piece,
    /// Team cost per month by stage (validation, product, commercialization, scale).
    pub team: [Piece; 4],
    pub initial_accounts: f64,
    pub pmf_growth: f64,
    pub pmf_nrr: f64,
    pub pmf_window: u32,
    pub scale_arr: f64,
    pub price: Piece,
    pub cac: Piece,
    pub churn: Piece,
    pub expansion: Piece,
    pub organic: Piece,
    /// Accounts the market holds (infinite: no limit).
    pub market: Piece,
    pub noise: f64,
    pub sales_marketing: Piece,
    pub sales_marketing_share: f64,
    pub vendors: Vec<VendorModel>,
    pub path: Path,
    pub raise_below_months: f64,
    pub retry_months: u32,
    pub cut: f64,
    pub min_burn: f64,
    pub give_up_after: u32,
    pub climate: Piece,
    pub rounds: Vec<RoundModel>,
    pub rbf: Option<RbfSpec>,
    pub debt: Option<DebtSpec>,
    pub acquisition_chance: f64,
    pub acquisition_multiple: Piece,
}

const INF: f64 = f64::INFINITY;

/// The most paying accounts a company may start with: above the number of people on
/// Earth, and small enough that accounts times prices stay finite.
pub const MAX_ACCOUNTS: f64 = 1e12;

/// The most months of revenue a revenue-based advance may be (`financing.rbf.advance_months`).
pub const MAX_ADVANCE_MONTHS: f64 = 120.0;

/// The largest multiplier of spend a round may hire by (`financing.rounds.N.hire`).
pub const MAX_HIRE: f64 = 100.0;

/// The largest monthly MRR growth a product-market-fit test may ask for (1000% a month).
pub const MAX_PMF_GROWTH: f64 = 10.0;

/// A count of accounts: from 0 to [`MAX_ACCOUNTS`].
fn accounts(key: &str, v: f64) -> Result<f64> {
    if v.is_finite() && (0.0..=MAX_ACCOUNTS).contains(&v) {
        Ok(v)
    } else {
        Err(Error::key(
            key,
            format!(
                "expected a number of accounts from 0 to {MAX_ACCOUNTS:e}, got {}",
                num(v)
            ),
        ))
    }
}

fn prob(key: &str, v: f64) -> Result<f64> {
    crate::scenario::unit_interval(key, v, "probability")
}

impl Scenario {
    /// Parses TOML text. Errors name the line and the key.
    pub fn from_toml(text: &str) -> Result<Scenario> {
        toml::from_str(text).map_err(|e| toml_error(text, &e))
    }

    /// Validates every field and resolves the model the simulator runs.
    pub fn model(&self) -> Result<CompanyModel> {
        let s = &self.start;
        let cash = amount("start.cash", s.cash.0)?;
        let founder_ownership = prob("start.founder_ownership", s.founder_ownership.0)?;
        let invested = amount("start.invested", s.invested.0)?;
        let post = amount("start.post_money", s.post_money.0)?;
        let investor_ownership = match (invested > 0.0, post > 0.0) {
            (false, _) => 0.0,
            (true, true) if invested <= post => invested / post,
            (true, true) => {
                return Err(Error::key(
                    "start.post_money",
                    format!("expected at least start.invested ({invested}), got {post}"),
                ))
            }
            (true, false) => {
                return Err(Error::key(
                    "start.post_money",
                    "needed when start.invested is given",
                ))
            }
        };
        if founder_ownership + investor_ownership > 1.0 + 1e-12 {
            return Err(Error::key("start.founder_ownership",
                format!(
                    "founders ({founder_ownership}) and investors (invested / post_money = {investor_ownership}) own more than 100%"
                ),
            ));
        }
        let start_accounts = accounts("start.accounts", s.accounts)?;
        if start_accounts > 0.0 && s.stage < StageName::Commercialization {
            return Err(Error::key(
                "start.accounts",
                "paying accounts need a start.stage of commercialization or scale",
            ));
        }

        let v = &self.validation;
        let needs_validation = s.stage == StageName::Validation;
        let validation_success = match v.success {
            Some(r) => prob("validation.success", r.0)?,
            None if needs_validation => {
                return Err(Error::key(
                    "validation.success",
                    "missing (the company starts in validation)",
                ))
            }
            None => 1.0,
        };
        let months = |p: &Param, key: &str| p.piece(key, 0.0, 600.0);
        let money = |p: &Param, key: &str| p.piece(key, 0.0, MAX_AMOUNT);
        let c = &self.commercialization;
        let team = [
            money(&v.team, "validation.team")?,
            money(&self.product.team, "product.team")?,
            money(&c.team, "commercialization.team")?,
            money(&self.scale.team, "scale.team")?,
        ];
        let r = &self.revenue;
        let price = money(&r.price, "revenue.price")?;
        let cac = r.cac.piece("revenue.cac", f64::MIN_POSITIVE, MAX_AMOUNT)?;
        let churn = r.churn.piece("revenue.churn", 0.0, 1.0)?;
        if !(r.noise.is_finite() && (0.0..=3.0).contains(&r.noise)) {
            return Err(Error::key(
                "revenue.noise",
                format!("expected a sigma between 0 and 3, got {}", r.noise),
            ));
        }
        let mut vendors: Vec<VendorModel> = Vec::new();
        for (i, vs) in self.vendors.iter().enumerate() {
            let key = list_entry_key(
                "vendors",
                i,
                &vs.name,
                vendors.iter().map(|v| v.name.as_str()),
                "vendor lines",
            )?;
            vendors.push(VendorModel {
                name: vs.name.clone(),
                fixed: money(&vs.fixed, &format!("{key}.fixed"))?,
                per_account: money(&vs.per_account, &format!("{key}.per_account"))?,
                shock_chance: prob(&format!("{key}.shock_chance"), vs.shock_chance.0)?,
                shock: match &vs.shock {
                    Some(p) => p.piece(&format!("{key}.shock"), 0.0, INF)?,
                    None => Piece::Point { value: 1.0 },
                },
            });
        }
        let f = &self.financing;
        if !(f.raise_below_months.is_finite() && f.raise_below_months >= 0.0) {
            return Err(Error::key(
                "financing.raise_below_months",
                format!(
                    "expected a non-negative number of months, got {}",
                    f.raise_below_months
                ),
            ));
        }
        if f.retry_months == 0 {
            return Err(Error::key(
                "financing.retry_months",
                "expected at least 1 month between attempts",
            ));
        }
        let mut rounds = Vec::new();
        for (i, rs) in f.rounds.iter().enumerate() {
            let key = format!("financing.rounds.{i}");
            rounds.push(RoundModel {
                name: rs.name.clone(),
                after: rs.after,
                arr: amount(&format!("{key}.arr"), rs.arr.0)?,
                chance: prob(&format!("{key}.chance"), rs.chance.0)?,
                pre_money_arr_multiple: non_negative(
                    &format!("{key}.pre_money_arr_multiple"),
                    rs.pre_money_arr_multiple,
                )?,
                pre_money_floor: amount(&format!("{key}.pre_money_floor"), rs.pre_money_floor.0)?,
                hire: {
                    let h = rs.hire;
                    if !(h.is_finite() && h > 0.0 && h <= MAX_HIRE) {
                        return Err(Error::key(
                            format!("{key}.hire"),
                            format!(
                                "expected a multiplier of spend above 0 and at most {MAX_HIRE}, got {}",
                                num(h)
                            ),
                        ));
                    }
                    h
                },
                raise: {
                    let x = rs.raise.0;
                    if x.is_nan() || x <= 0.0 {
                        return Err(Error::key(
                            format!("{key}.raise"),
                            format!("expected a positive amount, got {}", num(x)),
                        ));
                    }
                    amount(&format!("{key}.raise"), x)?;
                    x
                },
            });
        }
        if let Some(b) = &f.rbf {
            // Revenue-based lenders advance a few months of revenue (commonly 3 to 12);
            // 10 years is far beyond any and keeps the advance finite.
            if !(b.advance_months.is_finite()
                && (0.0..=MAX_ADVANCE_MONTHS).contains(&b.advance_months))
            {
                return Err(Error::key(
                    "financing.rbf.advance_months",
                    format!(
                        "expected 0 to {MAX_ADVANCE_MONTHS} months of revenue, got {}",
                        num(b.advance_months)
                    ),
                ));
            }
            prob("financing.rbf.share", b.share.0)?;
            if !(b.cap.is_finite() && b.cap >= 1.0) {
                return Err(Error::key(
                    "financing.rbf.cap",
                    format!("expected a repayment cap of at least 1x, got {}", b.cap),
                ));
            }
            if b.share.0 <= 0.0 {
                return Err(Error::key(
                    "financing.rbf.share",
                    "expected a positive share of revenue",
                ));
            }
        }
        if let Some(d) = &f.debt {
            prob(
                "financing.debt.share_of_last_round",
                d.share_of_last_round.0,
            )?;
            non_negative("financing.debt.rate", d.rate.0)?;
            if d.amort_months == 0 {
                return Err(Error::key(
                    "financing.debt.amort_months",
                    "expected at least 1 month of amortisation",
                ));
            }
        }
        let cut = prob("financing.cut", f.cut.0)?;
        let min_burn = prob("financing.min_burn", f.min_burn.0)?;
        let a = &self.acquisition;
        Ok(CompanyModel {
            cash,
            start_stage: s.stage,
            start_accounts,
            founder_ownership,
            invested,
            investor_ownership,
            validation_success,
            validation_months: months(&v.months, "validation.months")?,
            product_months: months(&self.product.months, "product.months")?,
            team,
            initial_accounts: accounts("commercialization.initial_accounts", c.initial_accounts)?,
            pmf_growth: {
                let g = c.pmf_growth.0;
                if !(g.is_finite() && (-1.0..=MAX_PMF_GROWTH).contains(&g)) {
                    return Err(Error::key(
                        "commercialization.pmf_growth",
                        format!(
                            "expected a monthly growth rate from -100% to {}%, got {}",
                            100.0 * MAX_PMF_GROWTH,
                            num(g)
                        ),
                    ));
                }
                g
            },
            pmf_nrr: non_negative("commercialization.pmf_nrr", c.pmf_nrr.0)?,
            pmf_window: c.pmf_window.max(1),
            scale_arr: amount("scale.arr", self.scale.arr.0)?,
            price,
            cac,
            churn,
            expansion: r.expansion.piece("revenue.expansion", 0.0, 1.0)?,
            organic: r.organic.piece("revenue.organic", 0.0, 1.0)?,
            market: match &r.market {
                Some(p) => p.piece("revenue.market", 0.0, INF)?,
                None => Piece::Point { value: INF },
            },
            noise: r.noise,
            sales_marketing: money(&r.sales_marketing, "revenue.sales_marketing")?,
            sales_marketing_share: prob(
                "revenue.sales_marketing_share",
                r.sales_marketing_share.0,
            )?,
            vendors,
            path: f.path,
            raise_below_months: f.raise_below_months,
            retry_months: f.retry_months,
            cut,
            min_burn,
            give_up_after: f.give_up_after,
            climate: f.climate.piece("financing.climate", 0.0, INF)?,
            rounds,
            rbf: f.rbf.clone(),
            debt: f.debt.clone(),
            acquisition_chance: prob("acquisition.monthly_chance", a.monthly_chance.0)?,
            acquisition_multiple: money(&a.arr_multiple, "acquisition.arr_multiple")?,
        })
    }
}
