//! The fund scenario file (TOML) and its validation into a [`FundModel`].
//!
//! Every field is checked with a message that names its TOML key. Unknown keys are errors.
//! Money accepts `"100M"`-style strings, rates `"2%"`-style strings (see [`crate::scenario`]).

use serde::{Deserialize, Serialize};

use super::factors::{SkillModel, SkillSpec, VintageModel, VintageSpec};
use crate::dist::spec::with_dist_fields;
use crate::dist::{DistSpec, Mixture, Piece};
use crate::error::{Error, Location, Result};
use crate::money::waterfall::WaterfallTerms;
use crate::scenario::{toml_error, Money, Rate};

/// A fund scenario as written in TOML.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name (presets: the preset name).
    #[serde(default)]
    pub name: String,
    /// One line saying what the scenario is.
    #[serde(default)]
    pub description: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub sources: Vec<String>,
    pub fund: FundTerms,
    #[serde(default)]
    pub fees: Fees,
    pub carry: Carry,
    pub construction: Construction,
    /// Multiple mode: each company's gross multiple drawn from a distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Outcomes>,
    /// Stage mode: each company moves through financing stages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stages: Option<StageSpec>,
    /// A factor per vintage year shared by its funds (`fund::factors`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<VintageSpec>,
    /// Each manager's skill, persistent across its funds (`fund::factors`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill: Option<SkillSpec>,
}

/// `[stages]`: stage mode. The fund invests at the first stage's round.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// Post-money valuation of the round the fund enters.
    pub entry_post_money: Money,
    /// The fund follows on pro rata (from reserves) in this many rounds after entry.
    #[serde(default)]
    pub pro_rata_rounds: u32,
    /// The stages in order, the entry stage first (`[[stages.list]]`).
    pub list: Vec<Stage>,
}

/// One stage: after `years` in it, a company raises the next round (`graduate`), is
/// sold (`exit`) or shuts down (the rest).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    /// Probability of raising the next round (0 for the last stage).
    pub graduate: f64,
    /// Probability of an exit (acquisition or IPO) from this stage.
    pub exit: f64,
    /// Years spent in the stage: a number or `{ low, high }` (integers, uniform).
    pub years: ExitYear,
    /// Next round's post-money / this round's post-money.
    pub step_up: DistSpec,
    /// Share of the company sold in the next round (dilutes holders who do not follow on).
    pub dilution: Rate,
    /// Exit value / this stage's post-money.
    pub exit_multiple: DistSpec,
}

/// `[fund]`: size and life.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FundTerms {
    /// Total commitments (LPs and GP).
    pub size: Money,
    /// Years of the fund's life; fees stop after it. Exits may run later (extensions).
    pub term_years: u32,
    /// Years during which new investments and recycling happen.
    pub investment_period_years: u32,
    /// Share of commitments from the GP, which pays no fee or carry.
    #[serde(default)]
    pub gp_commit: Rate,
}

/// `[fees]`: the management fee schedule.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    /// Fee periods; years are 1-based fund years (year 1 is the first year). Years not
    /// covered pay no fee.
    #[serde(default)]
    pub schedule: Vec<FeePeriod>,
}

/// One period of the fee schedule: `rate` per year on `basis` for years `from_year..=to_year`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeePeriod {
    pub from_year: u32,
    pub to_year: u32,
    pub rate: Rate,
    /// `committed` (LP commitments) or `invested` (cost of investments still held).
    #[serde(default)]
    pub basis: FeeBasis,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeeBasis {
    #[default]
    Committed,
    Invested,
}

/// `[carry]`: carried interest under a European whole-fund waterfall.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Carry {
    pub rate: Rate,
    #[serde(default)]
    pub hurdle: Rate,
    /// GP share of distributions during the catch-up (1 = full catch-up, 0 = none).
    #[serde(default = "full")]
    pub catch_up: Rate,
}

fn full() -> Rate {
    Rate(1.0)
}

/// `[construction]`: how capital is deployed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Construction {
    /// Number of initial investments.
    pub companies: u32,
    /// Capital for investments: `"commitments-minus-fees"` (default) or an amount.
    #[serde(default)]
    pub investable: Investable,
    /// `upfront` (every initial check in year 0) or `even` (spread over the investment
    /// period, company i in year floor(i · period / companies)).
    #[serde(default)]
    pub pacing: Pacing,
    /// Share of investable capital held back for follow-ons.
    #[serde(default)]
    pub reserve_share: Rate,
    /// Follow-on policy; needs `reserve_share > 0` to do anything.
    #[serde(default)]
    pub follow_on: Option<FollowOn>,
    /// Cap on proceeds recycled into new investments during the investment period, as a
    /// share of commitments.
    #[serde(default)]
    pub recycling_cap: Rate,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub enum Investable {
    #[default]
    CommitmentsMinusFees,
    Amount(f64),
}

impl<'de> Deserialize<'de> for Investable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let m = Money::deserialize(d);
        match m {
            Ok(Money(v)) => Ok(Investable::Amount(v)),
            Err(e) => {
                let msg = e.to_string();
                if msg.contains("commitments-minus-fees") {
                    Ok(Investable::CommitmentsMinusFees)
                } else {
                    Err(serde::de::Error::custom(
                        "expected \"commitments-minus-fees\" or an amount such as \"80M\"",
                    ))
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pacing {
    #[default]
    Upfront,
    Even,
}

/// `[construction.follow_on]`: follow-on checks into companies that graduate.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FollowOn {
    /// Follow-on check as a multiple of the initial check (1.0 = the same again).
    pub check_multiple: f64,
    /// Price step-up between the initial and the follow-on round: follow-on dollars earn
    /// the company's multiple divided by this.
    pub step_up: f64,
    /// Years after the initial investment when the follow-on is made.
    pub after_years: u32,
    /// A company graduates (gets a follow-on) when its eventual multiple is at least this.
    /// This stands in for the signal a fund sees at the next round.
    #[serde(default = "one")]
    pub min_multiple: f64,
}

fn one() -> f64 {
    1.0
}

with_dist_fields! {
    /// `[outcomes]`: the gross multiple each company returns, and when. A single
    /// distribution instead of buckets is written directly in `[outcomes]` (`dist` and
    /// its parameters, the same keys as a bucket).
    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    pub struct Outcomes {
        /// Years from a company's initial investment to its exit: a number or `{ low, high }`
        /// (integers, uniform).
        pub exit_year: ExitYear,
        /// A mixture of buckets (with `share`) or a fixed assignment (with `count`).
        #[serde(default)]
        pub buckets: Vec<Bucket>,
    } {
        /// Draw multiples from these values with equal probability (an empirical
        /// distribution). The CLI fills it from `empirical_file`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub empirical: Option<Vec<f64>>,
        /// A file with one multiple per line, read by the CLI relative to the scenario file.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub empirical_file: Option<String>,
        /// The JSON output of `venturelab fit`: multiples follow the fitted power law above its
        /// xmin (Pareto with scale xmin and shape alpha - 1). The CLI reads the file and fills
        /// in `dist`, `scale` and `shape`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fitted: Option<String>,
    }
}

/// Years: a whole number, or `{ low, high }` (integers, drawn uniformly).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ExitYear {
    Fixed(u32),
    Uniform { low: u32, high: u32 },
}

/// What an `ExitYear` accepts, for its error messages (serde's untagged enums only say
/// "data did not match any variant").
const EXIT_YEAR_EXPECTED: &str =
    "a whole number of years (5) or a range of whole years { low = 3, high = 10 }";

impl<'de> Deserialize<'de> for ExitYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::{Error as _, MapAccess, Unexpected, Visitor};
        struct V;
        fn years<E: serde::de::Error>(v: i64) -> std::result::Result<u32, E> {
            u32::try_from(v)
                .map_err(|_| E::invalid_value(Unexpected::Signed(v), &EXIT_YEAR_EXPECTED))
        }
        impl<'de> Visitor<'de> for V {
            type Value = ExitYear;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(EXIT_YEAR_EXPECTED)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<ExitYear, E> {
                years(v).map(ExitYear::Fixed)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<ExitYear, E> {
                years(i64::try_from(v).unwrap_or(i64::MAX)).map(ExitYear::Fixed)
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<ExitYear, A::Error> {
                let (mut low, mut high) = (None, None);
                while let Some(k) = m.next_key::<String>()? {
                    let v: i64 = m.next_value().map_err(|_| {
                        A::Error::custom(format!("`{k}`: expected a whole number of years"))
                    })?;
                    match k.as_str() {
                        "low" => low = Some(years::<A::Error>(v)?),
                        "high" => high = Some(years::<A::Error>(v)?),
                        other => {
                            return Err(A::Error::custom(format!(
                                "unknown key `{other}`: expected {EXIT_YEAR_EXPECTED}"
                            )))
                        }
                    }
                }
                match (low, high) {
                    (Some(low), Some(high)) => Ok(ExitYear::Uniform { low, high }),
                    _ => Err(A::Error::custom(format!(
                        "both `low` and `high` are needed: expected {EXIT_YEAR_EXPECTED}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

with_dist_fields! {
    /// One bucket of outcomes.
    ///
    /// Its distribution keys are those of [`DistSpec`], added by `with_dist_fields!` (`dist/spec.rs`).
    #[derive(Debug, Clone, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    pub struct Bucket {
        /// Probability of this bucket (random mode).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub share: Option<f64>,
        /// Exact number of companies in this bucket (fixed mode; counts sum to `companies`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub count: Option<u32>,
    } {}
}

/// How company multiples are drawn, after validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum OutcomeModel {
    /// Each company draws from the mixture.
    Random(Mixture),
    /// Exactly `count` companies get each piece (in bucket order; random pieces still draw).
    Fixed(Vec<(u32, Piece)>),
    /// Each company draws one of the values with equal probability.
    Empirical(Vec<f64>),
    /// Companies move through financing stages.
    Stages(StageModel),
}

/// A validated stage model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageModel {
    pub entry_post_money: f64,
    pub pro_rata_rounds: u32,
    pub stages: Vec<StageParams>,
}

/// One validated stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageParams {
    pub name: String,
    pub graduate: f64,
    pub exit: f64,
    pub years_low: u32,
    pub years_high: u32,
    pub step_up: Piece,
    pub dilution: f64,
    pub exit_multiple: Piece,
}

impl StageModel {
    /// Uniforms drawn per company: four per stage (outcome, years, step-up, exit value),
    /// always, for common random numbers.
    pub fn draws_per_company(&self) -> usize {
        4 * self.stages.len()
    }

    /// Probability of reaching each stage from the entry stage: Π of earlier graduations.
    pub fn reach_probabilities(&self) -> Vec<f64> {
        let mut p = 1.0;
        self.stages
            .iter()
            .map(|s| {
                let here = p;
                p *= s.graduate;
                here
            })
            .collect()
    }
}

impl OutcomeModel {
    /// The expected multiple of one company (for fixed assignments: the average over the
    /// portfolio); `None` when it has no finite value: in stage mode (no closed form: gross
    /// multiples depend on step-ups, dilution and timing) and for a Pareto of shape ≤ 1.
    pub fn mean(&self) -> Option<f64> {
        let m = match self {
            OutcomeModel::Random(m) => m.mean(),
            OutcomeModel::Fixed(v) => {
                let n: u32 = v.iter().map(|(c, _)| c).sum();
                v.iter().map(|(c, p)| *c as f64 * p.mean()).sum::<f64>() / n as f64
            }
            OutcomeModel::Empirical(v) => v.iter().sum::<f64>() / v.len() as f64,
            OutcomeModel::Stages(_) => return None,
        };
        m.is_finite().then_some(m)
    }
}

/// A validated, resolved fund: what the simulator runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundModel {
    pub size: f64,
    pub term: u32,
    pub investment_period: u32,
    pub gp_commit: f64,
    /// Fee rate and basis for fund years 0..term (0-based: index 0 is year 1).
    pub fee_by_year: Vec<(f64, FeeBasis)>,
    pub waterfall: WaterfallTerms,
    pub companies: u32,
    /// Capital available for investments (initial checks plus reserves).
    pub investable: f64,
    pub initial_check: f64,
    pub reserve: f64,
    pub pacing: Pacing,
    pub follow_on: Option<FollowOn>,
    /// Money: the most proceeds that may be recycled.
    pub recycling_cap: f64,
    pub outcomes: OutcomeModel,
    /// Holding period range in years (inclusive).
    pub exit_low: u32,
    pub exit_high: u32,
    /// The vintage factor (`[vintage]`), when the scenario has one.
    pub vintage: Option<VintageModel>,
    /// Manager skill (`[skill]`), when the scenario has it.
    pub skill: Option<SkillModel>,
}

/// Whether a fee at `rate` on `basis` depends on the capital held in companies.
fn charges_on_invested(rate: f64, basis: FeeBasis) -> bool {
    match basis {
        FeeBasis::Committed => false,
        FeeBasis::Invested => rate > 0.0,
    }
}

impl FundModel {
    /// The last year in which anything can happen (initial, recycled or follow-on checks,
    /// exits): the length of every per-year output.
    pub fn horizon(&self) -> u32 {
        let last_entry = match self.pacing {
            Pacing::Upfront => 0,
            Pacing::Even => self.investment_period.saturating_sub(1),
        };
        // Recycled investments start before the end of the investment period.
        let last_entry = last_entry.max(if self.recycling_cap > 0.0 {
            self.investment_period.saturating_sub(1)
        } else {
            0
        });
        (last_entry + self.exit_high).max(self.term)
    }

    /// Whether some year charges a fee on invested capital (which needs the capital held
    /// in companies year by year).
    pub fn fees_on_invested(&self) -> bool {
        self.fee_by_year
            .iter()
            .any(|&(rate, basis)| charges_on_invested(rate, basis))
    }

    /// Whether the fund has the plain shape that the engine's vector kernel simulates
    /// (`fund/block.rs`, 16 funds side by side, bit-identical to [`super::sim`]):
    /// outcomes drawn from a mixture of at most 8 pieces, every initial check in year 0,
    /// no follow-ons, no recycling, no fees on invested capital. Otherwise runs take the
    /// sequential simulation, which handles every shape.
    ///
    /// Every field of the model is named here, and every variant of its enums matched, so
    /// that a new field or variant does not compile until someone decides whether the
    /// kernel handles it.
    pub fn is_plain(&self) -> bool {
        let FundModel {
            // Numbers the kernel takes as they are.
            size: _,
            term: _,
            investment_period: _,
            gp_commit: _,
            waterfall: _,
            investable: _,
            initial_check: _,
            // Unused capital unless there are follow-ons (below).
            reserve: _,
            exit_low: _,
            exit_high: _,
            // The kernel charges fees on commitments only.
            fee_by_year,
            companies,
            pacing,
            follow_on,
            recycling_cap,
            outcomes,
            // Funds that differ by vintage or manager take the one-fund path.
            vintage,
            skill,
        } = self;
        let fees = fee_by_year
            .iter()
            .all(|&(rate, basis)| !charges_on_invested(rate, basis));
        let pacing = match pacing {
            Pacing::Upfront => true,
            Pacing::Even => false,
        };
        let follow_on = match follow_on {
            None => true,
            Some(FollowOn { .. }) => false,
        };
        let outcomes = match outcomes {
            OutcomeModel::Random(mixture) => mixture.pieces().len() <= super::block::MAX_PIECES,
            OutcomeModel::Fixed(_) | OutcomeModel::Empirical(_) | OutcomeModel::Stages(_) => false,
        };
        let factors = vintage.is_none() && skill.is_none();
        fees && pacing
            && follow_on
            && *recycling_cap <= 0.0
            && *companies > 0
            && outcomes
            && factors
    }

    /// Whether funds differ by vintage or manager (`[vintage]`, `[skill]`).
    pub fn has_factors(&self) -> bool {
        self.vintage.is_some() || self.skill.is_some()
    }

    /// The management fee LPs pay in fund year `year` (0-based), given the capital `held`
    /// in companies that year (used by fees on invested capital).
    #[inline]
    pub fn lp_fee(&self, year: usize, held: f64) -> f64 {
        let lp = 1.0 - self.gp_commit;
        match self.fee_by_year.get(year) {
            Some(&(rate, FeeBasis::Committed)) => rate * self.size * lp,
            Some(&(rate, FeeBasis::Invested)) => rate * held * lp,
            None => 0.0,
        }
    }
}

fn unit_rate(key: &str, v: f64) -> Result<f64> {
    crate::scenario::unit_interval(key, v, "rate")
}

impl Scenario {
    /// Parses TOML text. Errors name the line and the key.
    pub fn from_toml(text: &str) -> Result<Scenario> {
        toml::from_str(text).map_err(|e| toml_error(text, &e))
    }

    /// The largest fund size accepted (money).
    pub const MAX_FUND_SIZE: f64 = crate::scenario::MAX_AMOUNT;

    /// Validates every field and resolves the model the simulator runs.
    pub fn model(&self) -> Result<FundModel> {
        let f = &self.fund;
        let size = f.size.0;
        // $1 quadrillion: larger than all the venture capital ever raised, and far enough
        // from f64's range that sums of proceeds and fees stay finite.
        if !size.is_finite() || size <= 0.0 || size > Self::MAX_FUND_SIZE {
            return Err(Error::key(
                "fund.size",
                format!(
                    "expected a positive amount of at most 1e15, got {}",
                    crate::scenario::num(size)
                ),
            ));
        }
        if f.term_years == 0 || f.term_years > 50 {
            return Err(Error::key(
                "fund.term_years",
                format!("expected 1 to 50 years, got {}", f.term_years),
            ));
        }
        if f.investment_period_years == 0 || f.investment_period_years > f.term_years {
            return Err(Error::key(
                "fund.investment_period_years",
                format!(
                    "expected 1 to term_years ({}), got {}",
                    f.term_years, f.investment_period_years
                ),
            ));
        }
        let gp_commit = unit_rate("fund.gp_commit", f.gp_commit.0)?;
        if gp_commit >= 1.0 {
            return Err(Error::key(
                "fund.gp_commit",
                "the GP commitment must be below 100%",
            ));
        }

        let mut fee_by_year = vec![(0.0, FeeBasis::Committed); f.term_years as usize];
        for (i, p) in self.fees.schedule.iter().enumerate() {
            let key = format!("fees.schedule.{i}");
            if p.from_year == 0 || p.from_year > p.to_year || p.to_year > f.term_years {
                return Err(Error::key(
                    format!("{key}.to_year"),
                    format!(
                        "expected 1 <= from_year <= to_year <= term_years ({}), got {}..{}",
                        f.term_years, p.from_year, p.to_year
                    ),
                ));
            }
            let rate = unit_rate(&format!("{key}.rate"), p.rate.0)?;
            for y in p.from_year..=p.to_year {
                if fee_by_year[(y - 1) as usize].0 != 0.0 {
                    return Err(Error::key(
                        format!("{key}.from_year"),
                        format!("year {y} is already covered by an earlier fee period"),
                    ));
                }
                fee_by_year[(y - 1) as usize] = (rate, p.basis);
            }
        }

        let waterfall = WaterfallTerms {
            pref_rate: self.carry.hurdle.0,
            carry: unit_rate("carry.rate", self.carry.rate.0)?,
            catch_up: unit_rate("carry.catch_up", self.carry.catch_up.0)?,
            gp_commit: 0.0,
        };
        if !(0.0..=1.0).contains(&waterfall.pref_rate) {
            return Err(Error::key(
                "carry.hurdle",
                format!(
                    "expected a rate between 0 and 1, got {}",
                    waterfall.pref_rate
                ),
            ));
        }
        waterfall.validate().map_err(|e| match e {
            Error::Invalid {
                at: Location::Parameter(field),
                message,
            } => Error::key(format!("carry.{field}"), message),
            other => other,
        })?;

        let c = &self.construction;
        if c.companies == 0 || c.companies > 100_000 {
            return Err(Error::key(
                "construction.companies",
                format!("expected 1 to 100000 companies, got {}", c.companies),
            ));
        }
        let reserve_share = unit_rate("construction.reserve_share", c.reserve_share.0)?;
        let recycling = unit_rate("construction.recycling_cap", c.recycling_cap.0)?;
        let lp = 1.0 - gp_commit;
        // Lifetime fees: committed-basis fees are known; invested-basis fees are budgeted
        // as if all investable capital stayed invested (an upper bound: exits stop them).
        // Each sum in year order from -0.0, as `Iterator::sum` adds.
        let (mut committed_fees, mut invested_rates) = (-0.0f64, -0.0f64);
        for &(r, basis) in &fee_by_year {
            match basis {
                FeeBasis::Committed => committed_fees += r * size * lp,
                FeeBasis::Invested => invested_rates += r * lp,
            }
        }
        let investable = match c.investable {
            Investable::CommitmentsMinusFees => (size - committed_fees) / (1.0 + invested_rates),
            Investable::Amount(a) => {
                if !a.is_finite() || a <= 0.0 || a > size {
                    return Err(Error::key(
                        "construction.investable",
                        format!(
                            "expected an amount above 0 and at most fund.size ({size}), got {a}"
                        ),
                    ));
                }
                a
            }
        };
        if investable <= 0.0 {
            return Err(Error::key(
                "fees.schedule",
                "fees use up all commitments: nothing is left to invest",
            ));
        }
        let reserve = investable * reserve_share;
        let initial_check = (investable - reserve) / c.companies as f64;
        if let Some(fo) = &c.follow_on {
            for (k, v) in [
                ("check_multiple", fo.check_multiple),
                ("step_up", fo.step_up),
                ("min_multiple", fo.min_multiple),
            ] {
                if !v.is_finite() || v < 0.0 {
                    return Err(Error::key(
                        format!("construction.follow_on.{k}"),
                        format!("expected a non-negative number, got {v}"),
                    ));
                }
            }
            if fo.step_up <= 0.0 {
                return Err(Error::key(
                    "construction.follow_on.step_up",
                    "the step-up must be positive",
                ));
            }
        }

        let (outcomes, exit_low, exit_high) = match (&self.outcomes, &self.stages) {
            (Some(o), None) => {
                let (low, high) = match o.exit_year {
                    ExitYear::Fixed(y) => (y, y),
                    ExitYear::Uniform { low, high } => {
                        if high < low {
                            return Err(Error::key(
                                "outcomes.exit_year.high",
                                format!("expected low <= high, got {low}..{high}"),
                            ));
                        }
                        (low, high)
                    }
                };
                // A holding of 0 years puts every exit at the fund's first cash flows: no
                // fund then has a net IRR, and the summary would have none to report.
                if low < 1 || high > 50 {
                    let at = match (o.exit_year.clone(), low < 1) {
                        (ExitYear::Fixed(_), _) => "outcomes.exit_year",
                        (_, true) => "outcomes.exit_year.low",
                        (_, false) => "outcomes.exit_year.high",
                    };
                    return Err(Error::key(
                        at,
                        format!("expected holding periods from 1 to 50 years, got {low}..{high}"),
                    ));
                }
                (self.outcome_model(o)?, low, high)
            }
            (None, Some(st)) => {
                if c.follow_on.is_some() {
                    return Err(Error::key("construction.follow_on",
                        "stage mode follows on pro rata: use stages.pro_rata_rounds with construction.reserve_share",
                    ));
                }
                if recycling > 0.0 {
                    return Err(Error::key(
                        "construction.recycling_cap",
                        "recycling is not supported in stage mode yet",
                    ));
                }
                let m = stage_model(st)?;
                let longest: u32 = m.stages.iter().map(|s| s.years_high).sum();
                (OutcomeModel::Stages(m), 0, longest)
            }
            _ => {
                return Err(Error::key(
                    "outcomes",
                    "give exactly one of [outcomes] (multiple mode) or [stages] (stage mode)",
                ))
            }
        };

        let vintage = match &self.vintage {
            Some(v) => {
                if matches!(outcomes, OutcomeModel::Stages(_)) {
                    return Err(Error::key(
                        "vintage",
                        "the vintage factor moves exit multiples: it needs [outcomes] (multiple mode), not [stages]",
                    ));
                }
                Some(v.model()?)
            }
            None => None,
        };
        let skill = match &self.skill {
            Some(k) => Some(k.model(match &outcomes {
                OutcomeModel::Random(m) => Some(m),
                _ => None,
            })?),
            None => None,
        };

        Ok(FundModel {
            vintage,
            skill,
            size,
            term: f.term_years,
            investment_period: f.investment_period_years,
            gp_commit,
            fee_by_year,
            waterfall,
            companies: c.companies,
            investable,
            initial_check,
            reserve,
            pacing: c.pacing,
            follow_on: c.follow_on.clone(),
            recycling_cap: recycling * size,
            outcomes,
            exit_low,
            exit_high,
        })
    }

    fn outcome_model(&self, o: &Outcomes) -> Result<OutcomeModel> {
        let single = Some(o.dist_spec()).filter(|s| !s.is_empty());
        let kinds = [
            !o.buckets.is_empty(),
            single.is_some(),
            o.empirical.is_some() || o.empirical_file.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(Error::key("outcomes",
                "give exactly one of: buckets ([[outcomes.buckets]]), a single distribution (dist = ...), or empirical_file",
            ));
        }
        if let Some(values) = &o.empirical {
            if values.is_empty() {
                return Err(Error::key("outcomes.empirical_file", "no values"));
            }
            if let Some(v) = values
                .iter()
                .find(|v| !v.is_finite() || **v < 0.0 || **v > crate::dist::spec::MAX_DRAW)
            {
                return Err(Error::key(
                    "outcomes.empirical_file",
                    format!(
                        "multiples must be between 0 and 1e20, got {}",
                        if v.abs() >= 1e15 {
                            format!("{v:e}")
                        } else {
                            format!("{v}")
                        }
                    ),
                ));
            }
            return Ok(OutcomeModel::Empirical(values.clone()));
        }
        if o.empirical_file.is_some() {
            return Err(Error::key(
                "outcomes.empirical_file",
                "the file was not read (use the CLI, which loads it)",
            ));
        }
        if o.fitted.is_some() && o.dist.is_none() {
            return Err(Error::key(
                "outcomes.fitted",
                "the fit file was not read (use the CLI, which loads it)",
            ));
        }
        if let Some(s) = single {
            return Ok(OutcomeModel::Random(Mixture::new(vec![(
                1.0,
                s.piece("outcomes")?,
            )])));
        }
        let with_share = o.buckets.iter().filter(|b| b.share.is_some()).count();
        let with_count = o.buckets.iter().filter(|b| b.count.is_some()).count();
        if with_share > 0 && with_count > 0 || with_share + with_count != o.buckets.len() {
            return Err(Error::key("outcomes.buckets",
                "every bucket needs either a `share` (probability) or a `count` (exact number of companies), all the same kind",
            ));
        }
        let mut pieces = Vec::new();
        for (i, b) in o.buckets.iter().enumerate() {
            pieces.push(b.dist_spec().piece(&format!("outcomes.buckets.{i}"))?);
        }
        if with_count > 0 {
            let total: u32 = o.buckets.iter().map(|b| b.count.unwrap_or(0)).sum();
            if total != self.construction.companies {
                return Err(Error::key(
                    "outcomes.buckets",
                    format!(
                        "bucket counts sum to {total}, but construction.companies is {}",
                        self.construction.companies
                    ),
                ));
            }
            return Ok(OutcomeModel::Fixed(
                o.buckets
                    .iter()
                    .map(|b| b.count.unwrap_or(0))
                    .zip(pieces)
                    .collect(),
            ));
        }
        let mut sum = 0.0;
        for (i, b) in o.buckets.iter().enumerate() {
            let s = b.share.unwrap_or(0.0);
            unit_rate(&format!("outcomes.buckets.{i}.share"), s)?;
            sum += s;
        }
        if (sum - 1.0).abs() > 1e-9 {
            return Err(Error::key(
                "outcomes.buckets",
                format!("shares must sum to 1 (within 1e-9), got {sum}"),
            ));
        }
        Ok(OutcomeModel::Random(Mixture::new(
            o.buckets
                .iter()
                .map(|b| b.share.unwrap_or(0.0))
                .zip(pieces)
                .collect(),
        )))
    }
}

/// Validates `[stages]`.
fn stage_model(st: &StageSpec) -> Result<StageModel> {
    let post = st.entry_post_money.0;
    if post.is_nan() || post <= 0.0 {
        return Err(Error::key(
            "stages.entry_post_money",
            format!(
                "expected a positive amount, got {}",
                crate::scenario::num(post)
            ),
        ));
    }
    crate::scenario::amount("stages.entry_post_money", post)?;
    if st.list.is_empty() || st.list.len() > 12 {
        return Err(Error::key(
            "stages.list",
            format!("expected 1 to 12 stages, got {}", st.list.len()),
        ));
    }
    let mut stages = Vec::new();
    for (i, s) in st.list.iter().enumerate() {
        let key = format!("stages.list.{i}");
        unit_rate(&format!("{key}.graduate"), s.graduate)?;
        unit_rate(&format!("{key}.exit"), s.exit)?;
        if s.graduate + s.exit > 1.0 + 1e-9 {
            return Err(Error::key(
                format!("{key}.exit"),
                format!(
                    "graduate + exit must be at most 1 (the rest fail), got {} + {}",
                    s.graduate, s.exit
                ),
            ));
        }
        if i + 1 == st.list.len() && s.graduate > 0.0 {
            return Err(Error::key(
                format!("{key}.graduate"),
                "the last stage has no next round: graduate must be 0",
            ));
        }
        let (years_low, years_high) = match s.years {
            ExitYear::Fixed(y) => (y, y),
            ExitYear::Uniform { low, high } => (low, high),
        };
        if years_high < years_low || years_high > 20 {
            return Err(Error::key(
                format!("{key}.years"),
                format!("expected 0 <= low <= high <= 20, got {years_low}..{years_high}"),
            ));
        }
        let dilution = unit_rate(&format!("{key}.dilution"), s.dilution.0)?;
        if dilution >= 1.0 {
            return Err(Error::key(
                format!("{key}.dilution"),
                "a round cannot sell the whole company",
            ));
        }
        stages.push(StageParams {
            name: s.name.clone(),
            graduate: s.graduate,
            exit: s.exit,
            years_low,
            years_high,
            step_up: s.step_up.piece(&format!("{key}.step_up"))?,
            dilution,
            exit_multiple: s.exit_multiple.piece(&format!("{key}.exit_multiple"))?,
        });
    }
    Ok(StageModel {
        entry_post_money: post,
        pro_rata_rounds: st.pro_rata_rounds,
        stages,
    })
}
