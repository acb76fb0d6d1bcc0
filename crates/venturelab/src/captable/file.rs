//! The cap-table file (TOML). Unknown keys are errors; amounts accept `200k`-style strings,
//! rates `"20%"`; dates are ISO `YYYY-MM-DD`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scenario::{Money, Rate};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CapTableFile {
    /// Share classes that exist before any event (preferred series from earlier rounds,
    /// as an Open Cap Format import produces). Classes named only by holders are common.
    #[serde(default)]
    pub classes: Vec<ClassSpec>,
    #[serde(default)]
    pub holders: Vec<HolderSpec>,
    #[serde(default)]
    pub safes: Vec<SafeSpec>,
    #[serde(default)]
    pub notes: Vec<NoteSpec>,
    #[serde(default)]
    pub warrants: Vec<WarrantSpec>,
    #[serde(default)]
    pub events: Vec<EventSpec>,
    /// How per-share prices and share counts are rounded (`[rounding]`).
    #[serde(default)]
    pub rounding: Rounding,
}

/// How a per-share price is brought to `price_decimals` decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceMode {
    /// Half away from zero (the YC guide's printed prices).
    #[default]
    Nearest,
    /// Up: the investor never pays less than the exact price.
    Up,
    /// Down: the investor never pays more (never gets fewer shares) than at the exact price.
    Down,
}

/// How a number of shares bought or converted is made whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShareRounding {
    /// Down to a whole share (the YC guide; no fractional shares are issued).
    #[default]
    Floor,
    /// To the nearest whole share, half up.
    Nearest,
}

/// The rounding conventions of a cap table (`[rounding]`), applied to every per-share price
/// the documents print (the round price, SAFE and note conversion prices) and to every
/// number of shares bought or converted. The default reproduces the YC post-money SAFE
/// user guide: prices to 4 decimals, nearest; shares floored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Decimals of every per-share price (0 to 12; default 4).
    #[serde(default = "four")]
    pub price_decimals: u32,
    #[serde(default)]
    pub price_mode: PriceMode,
    #[serde(default)]
    pub shares: ShareRounding,
}

fn four() -> u32 {
    4
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            price_decimals: four(),
            price_mode: PriceMode::default(),
            shares: ShareRounding::default(),
        }
    }
}

/// The most decimals a price may keep: beyond 12, 10^d · price loses the digits it keeps.
pub const MAX_PRICE_DECIMALS: u32 = 12;

impl Rounding {
    /// Checks the settings; `key` names the table (`rounding`, or an event for its
    /// `price_decimals` override).
    pub fn check(&self, key: &str) -> Result<()> {
        if self.price_decimals > MAX_PRICE_DECIMALS {
            return Err(Error::key(
                format!("{key}.price_decimals"),
                format!(
                    "expected 0 to {MAX_PRICE_DECIMALS} decimals, got {}",
                    self.price_decimals
                ),
            ));
        }
        Ok(())
    }

    /// `p` rounded to `price_decimals` decimals by `price_mode`. A price that is already
    /// whole in those decimals up to floating-point noise (1.1144 is 11143.999999999998
    /// ten-thousandths) is not pushed a step up or down.
    pub fn price(&self, p: f64) -> f64 {
        let scale = 10f64.powi(self.price_decimals as i32);
        let x = p * scale;
        let nearest = x.round();
        let whole = (x - nearest).abs() <= 1e-9 * nearest.abs().max(1.0);
        let r = match self.price_mode {
            _ if whole => nearest,
            PriceMode::Nearest => nearest,
            PriceMode::Up => x.ceil(),
            PriceMode::Down => x.floor(),
        };
        r / scale
    }

    /// `x` shares made whole by `shares`.
    pub fn shares(&self, x: f64) -> f64 {
        match self.shares {
            ShareRounding::Floor => x.floor(),
            ShareRounding::Nearest => x.round(),
        }
    }
}

/// A warrant: the right to buy `shares` of `class` at `strike` a share (venture lenders
/// take them as part of their return). Exercised at an exit when that pays.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WarrantSpec {
    pub holder: String,
    pub shares: u64,
    pub strike: Money,
    #[serde(default = "common_str")]
    pub class: String,
}

fn common_str() -> String {
    "common".into()
}

/// A share class that exists before any event.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSpec {
    pub name: String,
    #[serde(default)]
    pub preferred: bool,
    /// Price per share the class was issued at (its preference is multiple × price × shares).
    #[serde(default)]
    pub issue_price: f64,
    #[serde(default)]
    pub preference: Option<PreferenceSpec>,
}

/// Shares held before any event. `class` is `common`, `options` (the unallocated pool,
/// counted in the fully diluted total but paid nothing at an exit), or a preferred series
/// created by an earlier round.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HolderSpec {
    pub name: String,
    pub class: String,
    pub shares: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SafeKind {
    PostMoney,
    PreMoney,
}

/// A SAFE (Y Combinator). `cap`: post-money cap for post-money SAFEs, pre-money cap for
/// pre-money SAFEs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SafeSpec {
    pub holder: String,
    pub kind: SafeKind,
    pub investment: Money,
    #[serde(default)]
    pub cap: Option<Money>,
    #[serde(default)]
    pub discount: Rate,
    /// Most favoured nation: takes the best cap and discount among SAFEs issued after it.
    #[serde(default)]
    pub mfn: bool,
    /// Pro rata right, exercised: in the round where the SAFE converts, the holder also buys
    /// its pro rata share (conversion shares / pre-money fully diluted shares) of the new
    /// shares sold, at the round price.
    #[serde(default)]
    pub pro_rata: bool,
}

/// A convertible note: principal plus interest converts at the better of the cap price
/// (`cap` / pre-money fully diluted shares) and the discounted round price.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NoteSpec {
    pub holder: String,
    pub principal: Money,
    pub interest: Rate,
    /// `simple` (default) or `annual`.
    #[serde(default)]
    pub compounding: Option<String>,
    pub start: String,
    #[serde(default)]
    pub cap: Option<Money>,
    #[serde(default)]
    pub discount: Rate,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InvestorSpec {
    pub holder: String,
    pub amount: Money,
}

/// Liquidation preference of a series.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PreferenceSpec {
    #[serde(default = "one")]
    pub multiple: f64,
    /// `none`, `full` or `capped`.
    #[serde(default = "none_str")]
    pub participation: String,
    /// Total return cap as a multiple of the investment, for `capped`.
    #[serde(default)]
    pub cap: Option<f64>,
    /// Higher is paid first; equal seniorities share pro rata (pari passu).
    #[serde(default = "one_u")]
    pub seniority: u32,
}

fn one() -> f64 {
    1.0
}
fn one_u() -> u32 {
    1
}
fn none_str() -> String {
    "none".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// `priced-round` or `exit`.
    #[serde(rename = "type")]
    pub kind: String,
    pub date: String,
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub pre_money: Option<Money>,
    #[serde(default)]
    pub pool_target_post: Option<Rate>,
    #[serde(default)]
    pub pool_increase: Option<u64>,
    #[serde(default)]
    pub investors: Vec<InvestorSpec>,
    #[serde(default)]
    pub preference: Option<PreferenceSpec>,
    /// Exit value (for `exit` events).
    #[serde(default)]
    pub value: Option<Money>,
    /// `transfer` events: from whom, to whom, how many shares of which class.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub shares: Option<u64>,
    #[serde(default)]
    pub class: Option<String>,
    /// Decimals of this round's prices, overriding `[rounding] price_decimals`.
    #[serde(default)]
    pub price_decimals: Option<u32>,
}

impl NoteSpec {
    /// Principal plus interest accrued to `date` (Actual/365; simple unless `annual`).
    /// `k` is the note's index in the file, for error messages.
    pub fn amount_at(&self, k: usize, date: NaiveDate) -> Result<f64> {
        let start = parse_date(&format!("notes.{k}.start"), &self.start)?;
        let years = (date - start).num_days().max(0) as f64 / 365.0;
        Ok(match self.compounding.as_deref() {
            Some("annual") => self.principal.0 * (1.0 + self.interest.0).powf(years),
            _ => self.principal.0 * (1.0 + self.interest.0 * years),
        })
    }
}

pub(crate) fn parse_date(key: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Error::key(
            key,
            format!("expected an ISO date like 2026-01-01, got '{s}'"),
        )
    })
}

impl CapTableFile {
    /// Parses the TOML text; errors name the line.
    pub fn from_toml(text: &str) -> Result<CapTableFile> {
        toml::from_str(text).map_err(|e| crate::scenario::toml_error(text, &e))
    }
}
