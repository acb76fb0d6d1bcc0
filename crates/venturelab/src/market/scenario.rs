//! The market scenario file (TOML) and its validation into a [`MarketModel`].
//!
//! Time is in quarters, money in currency units. Distributions take a value or a table
//! `{ dist = "lognormal", mu = .., sigma = .. }` as in the company scenario. Every field is
//! checked with a message that names its TOML key; unknown keys are errors.

use serde::{Deserialize, Serialize};

use crate::company::scenario::Param;
use crate::dist::Piece;
use crate::error::{Error, Result};
use crate::scenario::toml_error;
use crate::scenario::{list_entry_key, non_negative, unit_interval, Money, Rate};

/// The fund strategies, in the order every per-strategy list uses.
pub const STRATEGIES: [&str; 5] = [
    "narrative",
    "fundamentals",
    "threshold",
    "contrarian",
    "index",
];

/// A market scenario as written in TOML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sources: Vec<String>,
    pub market: Market,
    pub heat: Heat,
    pub sectors: Vec<SectorSpec>,
    pub funds: Funds,
    pub strategies: Strategies,
    pub lp: Lp,
    #[serde(default)]
    pub alternative: Alternative,
    #[serde(default)]
    pub shocks: Vec<Shock>,
}

/// `[market]`: deal flow and prices.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Market {
    /// Quarters simulated.
    pub quarters: u32,
    /// Mean of the Poisson number of startups born each quarter.
    pub startups_per_quarter: f64,
    /// Quarters a startup seeks funding before it gives up.
    pub deal_window: u32,
    /// Deals each investing fund screens per quarter.
    pub deals_seen: u32,
    /// Sigma of the lognormal noise on a fund's signal of a startup's potential.
    pub signal_noise: f64,
    /// Pre-money / capital need when capital demand equals supply.
    pub base_pre_money: f64,
    /// Price multiplier = (demand / supply)^price_elasticity (Gompers & Lerner 2000).
    pub price_elasticity: f64,
    /// Round size = need × price multiplier^raise_elasticity.
    pub raise_elasticity: f64,
    /// A success's value × (raise / need)^capital_effect: more money, bigger swings.
    pub capital_effect: f64,
    /// Startups maturing in more than this many quarters count as long-maturity.
    pub long_maturity_quarters: u32,
}

/// `[heat]`: each sector's narrative heat, `heat' = 1 + decay (heat - 1) + inflow_weight
/// (capital share × sectors - 1) + shocks`; `enabled = false` keeps every heat at 1.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Heat {
    pub enabled: bool,
    pub decay: f64,
    pub inflow_weight: f64,
}

/// `[[sectors]]`: where startups are born and what they are worth.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectorSpec {
    pub name: String,
    /// Share of startups born in this sector (shares are normalised to sum to 1).
    pub birth_share: f64,
    /// True value at maturity as a multiple of the capital need (viable when ≥ 1).
    pub potential: Param,
    /// Quarters from funding to maturity.
    pub maturity: Param,
    /// Capital the startup needs.
    pub need: Param,
}

/// `[funds]`: fund terms.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    pub life_years: f64,
    pub investment_period_years: f64,
    /// Management fee per year on commitments, over the fund's life.
    pub fee: Rate,
    /// Size of every new fund: each quarter's commitments are split across strategies by the
    /// logit shares and raised as funds of this size (largest remainders first).
    pub size: Money,
    /// A deal must be able to return this share of the fund (perceived value × ownership ≥
    /// share × fund size): the power-law incentive; 0 switches it off.
    pub fund_returner: f64,
    /// The `threshold` strategy's own bar: a deal must be able to return this share of the
    /// fund (it seeks only potential fund-returners); 0 with `fund_returner` 0 switches the
    /// incentive off entirely.
    pub threshold_returner: f64,
    /// Expected multiple a fundamentals or contrarian fund requires.
    pub hurdle: f64,
}

/// `[strategies]`: base shares (predispositions) and the logit switching rule of Brock &
/// Hommes (1998): the share of new capital choosing strategy k is
/// `base_k exp(intensity U_k) / Σ_j base_j exp(intensity U_j)`, U_k the log of the realised
/// multiple of the strategy's exits over the last `memory_quarters` (0 before any exit).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Strategies {
    pub narrative: f64,
    pub fundamentals: f64,
    pub threshold: f64,
    pub contrarian: f64,
    pub index: f64,
    pub intensity: f64,
    pub memory_quarters: u32,
}

/// `[lp]`: new commitments per quarter = base × clamp(1 + return_sensitivity U, 0.2, 5)
/// × (1 + heat_sensitivity (mean heat - 1)), U the log of the market's recent realised
/// multiple.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lp {
    pub base_inflow: Money,
    pub return_sensitivity: f64,
    pub heat_sensitivity: f64,
}

/// `[alternative]`: revenue-based investors with `capital_per_quarter` who fund viable-looking
/// startups the funds passed on, repaid up to `cap` × the money.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub capital_per_quarter: Money,
    #[serde(default)]
    pub cap: f64,
}

/// `[[shocks]]`: a narrative shock adding `size` to a sector's heat for `quarters` quarters
/// from `quarter` (0-based).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Shock {
    pub sector: String,
    pub quarter: u32,
    pub size: f64,
    pub quarters: u32,
}

/// A sector after validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorModel {
    pub name: String,
    pub birth_share: f64,
    pub potential: Piece,
    pub maturity: Piece,
    pub need: Piece,
}

/// The validated model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarketModel {
    pub quarters: u32,
    pub startups_per_quarter: f64,
    pub deal_window: u32,
    pub deals_seen: u32,
    pub signal_noise: f64,
    pub base_pre_money: f64,
    pub price_elasticity: f64,
    pub raise_elasticity: f64,
    pub capital_effect: f64,
    pub long_maturity_quarters: u32,
    pub heat_enabled: bool,
    pub heat_decay: f64,
    pub heat_inflow_weight: f64,
    pub sectors: Vec<SectorModel>,
    pub life_quarters: u32,
    pub investment_quarters: u32,
    pub fee_per_quarter: f64,
    pub fund_size: f64,
    pub fund_returner: f64,
    pub threshold_returner: f64,
    pub hurdle: f64,
    /// Base shares of the strategies, in [`STRATEGIES`] order, summing to 1.
    pub base_shares: [f64; 5],
    pub intensity: f64,
    pub memory_quarters: u32,
    pub base_inflow: f64,
    pub return_sensitivity: f64,
    pub heat_sensitivity: f64,
    pub alternative: Option<(f64, f64)>,
    /// (sector index, first quarter, size, quarters).
    pub shocks: Vec<(usize, u32, f64, u32)>,
}

fn positive(key: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(Error::key(
            key,
            format!(
                "expected a positive number, got {}",
                crate::scenario::num(v)
            ),
        ))
    }
}

/// `v` if it is a finite number from `lo` to `hi`, else an error naming `key` and the range.
fn within(key: &str, v: f64, lo: f64, hi: f64) -> Result<f64> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(Error::key(
            key,
            format!(
                "expected a number from {lo} to {hi}, got {}",
                crate::scenario::num(v)
            ),
        ))
    }
}

/// The most LP commitments can be multiplied by past returns, and separately by heat
/// (`lp`): at most 5 x 5 = 25 times `lp.base_inflow` a quarter, which bounds the funds a
/// run raises.
pub const MAX_FLOW_FACTOR: f64 = 5.0;

/// The largest `heat.inflow_weight`: heat rises by at most this much per unit of excess
/// capital share a quarter (the default market uses 0.5).
pub const MAX_INFLOW_WEIGHT: f64 = 10.0;

impl MarketModel {
    /// The most funds one quarter can raise: LP commitments at their largest
    /// ([`MAX_FLOW_FACTOR`] for returns and for heat) in funds of `funds.size`.
    pub fn max_funds_per_quarter(&self) -> f64 {
        (MAX_FLOW_FACTOR * MAX_FLOW_FACTOR * self.base_inflow / self.fund_size).ceil() + 5.0
    }
}

impl Scenario {
    /// Parses TOML text. Errors name the line and the key.
    pub fn from_toml(text: &str) -> Result<Scenario> {
        toml::from_str(text).map_err(|e| toml_error(text, &e))
    }

    /// Validates every field.
    pub fn model(&self) -> Result<MarketModel> {
        let m = &self.market;
        if m.quarters == 0 {
            return Err(Error::key("market.quarters", "expected at least 1 quarter"));
        }
        non_negative("market.startups_per_quarter", m.startups_per_quarter)?;
        if m.deal_window == 0 {
            return Err(Error::key(
                "market.deal_window",
                "expected at least 1 quarter",
            ));
        }
        // Bounds far beyond any calibration (the default market: 2, 2, 0.5, 1, 0.6) that
        // keep prices, rounds and values finite: a multiplier of at most 20 raised to
        // these powers, noise of at most e^(10 x 8.2) on a signal.
        within("market.signal_noise", m.signal_noise, 0.0, 10.0)?;
        positive("market.base_pre_money", m.base_pre_money)?;
        within("market.base_pre_money", m.base_pre_money, 0.0, 1000.0)?;
        within("market.price_elasticity", m.price_elasticity, 0.0, 3.0)?;
        within("market.raise_elasticity", m.raise_elasticity, 0.0, 3.0)?;
        within("market.capital_effect", m.capital_effect, 0.0, 3.0)?;
        let h = &self.heat;
        unit_interval("heat.decay", h.decay, "share")?;
        within(
            "heat.inflow_weight",
            h.inflow_weight,
            0.0,
            MAX_INFLOW_WEIGHT,
        )?;
        if self.sectors.is_empty() {
            return Err(Error::key("sectors", "expected at least one [[sectors]]"));
        }
        let mut sectors: Vec<SectorModel> = Vec::new();
        for (i, s) in self.sectors.iter().enumerate() {
            let key = list_entry_key(
                "sectors",
                i,
                &s.name,
                sectors.iter().map(|x| x.name.as_str()),
                "sectors",
            )?;
            sectors.push(SectorModel {
                name: s.name.clone(),
                birth_share: non_negative(&format!("{key}.birth_share"), s.birth_share)?,
                potential: s
                    .potential
                    .piece(&format!("{key}.potential"), 0.0, f64::INFINITY)?,
                maturity: s.maturity.piece(&format!("{key}.maturity"), 1.0, 400.0)?,
                need: s
                    .need
                    .piece(&format!("{key}.need"), f64::MIN_POSITIVE, f64::INFINITY)?,
            });
        }
        let total: f64 = sectors.iter().map(|s| s.birth_share).sum();
        if total <= 0.0 {
            return Err(Error::key(
                "sectors.birth_share",
                "at least one sector needs a positive birth share",
            ));
        }
        for s in &mut sectors {
            s.birth_share /= total;
        }
        let f = &self.funds;
        positive("funds.life_years", f.life_years)?;
        positive("funds.investment_period_years", f.investment_period_years)?;
        if f.investment_period_years > f.life_years {
            return Err(Error::key(
                "funds.investment_period_years",
                format!("expected at most funds.life_years ({})", f.life_years),
            ));
        }
        unit_interval("funds.fee", f.fee.0, "rate")?;
        positive("funds.size", f.size.0)?;
        crate::scenario::amount("funds.size", f.size.0)?;
        non_negative("funds.fund_returner", f.fund_returner)?;
        non_negative("funds.threshold_returner", f.threshold_returner)?;
        non_negative("funds.hurdle", f.hurdle)?;
        let st = &self.strategies;
        let raw = [
            ("strategies.narrative", st.narrative),
            ("strategies.fundamentals", st.fundamentals),
            ("strategies.threshold", st.threshold),
            ("strategies.contrarian", st.contrarian),
            ("strategies.index", st.index),
        ];
        let mut base_shares = [0.0; 5];
        for (k, (key, v)) in raw.iter().enumerate() {
            base_shares[k] = unit_interval(key, *v, "share")?;
        }
        let sum: f64 = base_shares.iter().sum();
        if (sum - 1.0).abs() > 1e-9 {
            let shares: Vec<String> = raw
                .iter()
                .map(|(key, v)| format!("{} {v}", key.trim_start_matches("strategies.")))
                .collect();
            return Err(Error::key(
                "strategies",
                format!(
                    "the five strategy shares ({}) must sum to 1, got {sum}",
                    shares.join(", ")
                ),
            ));
        }
        non_negative("strategies.intensity", st.intensity)?;
        if st.memory_quarters == 0 {
            return Err(Error::key(
                "strategies.memory_quarters",
                "expected at least 1 quarter",
            ));
        }
        let lp = &self.lp;
        crate::scenario::amount("lp.base_inflow", lp.base_inflow.0)?;
        non_negative("lp.return_sensitivity", lp.return_sensitivity)?;
        non_negative("lp.heat_sensitivity", lp.heat_sensitivity)?;
        let a = &self.alternative;
        let alternative = if a.enabled {
            non_negative("alternative.capital_per_quarter", a.capital_per_quarter.0)?;
            if !(a.cap.is_finite() && a.cap >= 1.0) {
                return Err(Error::key(
                    "alternative.cap",
                    format!("expected a repayment cap of at least 1x, got {}", a.cap),
                ));
            }
            Some((a.capital_per_quarter.0, a.cap))
        } else {
            None
        };
        let mut shocks = Vec::new();
        for (i, s) in self.shocks.iter().enumerate() {
            let Some(k) = sectors.iter().position(|x| x.name == s.sector) else {
                return Err(Error::key(
                    format!("shocks.{i}.sector"),
                    format!(
                        "no sector named '{}' (the sectors are: {})",
                        s.sector,
                        sectors
                            .iter()
                            .map(|x| x.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            };
            non_negative(&format!("shocks.{i}.size"), s.size)?;
            shocks.push((k, s.quarter, s.size, s.quarters));
        }
        let q = |years: f64| (years * 4.0).round().max(1.0) as u32;
        Ok(MarketModel {
            quarters: m.quarters,
            startups_per_quarter: m.startups_per_quarter,
            deal_window: m.deal_window,
            deals_seen: m.deals_seen,
            signal_noise: m.signal_noise,
            base_pre_money: m.base_pre_money,
            price_elasticity: m.price_elasticity,
            raise_elasticity: m.raise_elasticity,
            capital_effect: m.capital_effect,
            long_maturity_quarters: m.long_maturity_quarters,
            heat_enabled: h.enabled,
            heat_decay: h.decay,
            heat_inflow_weight: h.inflow_weight,
            sectors,
            life_quarters: q(f.life_years),
            investment_quarters: q(f.investment_period_years),
            fee_per_quarter: f.fee.0 / 4.0,
            fund_size: f.size.0,
            fund_returner: f.fund_returner,
            threshold_returner: f.threshold_returner,
            hurdle: f.hurdle,
            base_shares,
            intensity: st.intensity,
            memory_quarters: st.memory_quarters,
            base_inflow: lp.base_inflow.0,
            return_sensitivity: lp.return_sensitivity,
            heat_sensitivity: lp.heat_sensitivity,
            alternative,
            shocks,
        })
    }
}
