//! What makes funds differ beyond their own companies' luck: a vintage factor shared by
//! every fund of a vintage year (exit multiples and exit timing move together) and a
//! manager's skill, persistent across the manager's successive funds, that shifts the
//! chance of each outcome bucket (the tail's probability, not only its scale).
//! Equations: `docs/models/fund.md`, "Vintage and manager skill".
//!
//! Both factors come from their own keyed random streams (`"fund vintages"`, and
//! `"fund managers"` by manager), never from a fund's company stream, so that with both
//! factors absent every fund is drawn exactly as before, to the bit. They are a function of
//! (seed, fund index) only, so any range of fund indices can be simulated on its own.

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::dist::normal::{erfc, inverse_cdf};
use crate::dist::Mixture;
use crate::error::{Error, Result};
use crate::rng::fast_stream;

/// The purpose label of the vintage factors' stream (part of the reproducibility contract).
pub const VINTAGE_DRAWS: &str = "fund vintages";
/// The purpose label of the managers' skill streams, one per manager.
pub const SKILL_DRAWS: &str = "fund managers";

/// `[vintage]`: a factor per vintage year, shared by all the funds of that year.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VintageSpec {
    /// Vintage years the run's funds are spread over: fund `i` belongs to vintage
    /// `i mod years`.
    pub years: u32,
    /// Standard deviation of the log of the vintage's exit-multiple factor.
    pub sigma: f64,
    /// Correlation of consecutive vintages' factors (AR(1)).
    #[serde(default)]
    pub rho: f64,
    /// Years by which exits come earlier in a vintage one standard deviation above the
    /// average (later below it); each company's holding is moved by the rounded amount and
    /// kept within `outcomes.exit_year`.
    #[serde(default)]
    pub exit_years_per_sd: f64,
}

/// `[skill]`: each manager's skill, persistent across the manager's successive funds.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SkillSpec {
    /// Standard deviation of skill on the probit scale of a company's outcome bucket.
    pub sigma: f64,
    /// Correlation of a manager's skill between successive funds (AR(1)).
    #[serde(default = "one")]
    pub persistence: f64,
    /// Funds each manager raises: fund `i` is fund `i mod funds_per_manager` of manager
    /// `i / funds_per_manager`.
    #[serde(default = "one_fund")]
    pub funds_per_manager: u32,
}

fn one() -> f64 {
    1.0
}

fn one_fund() -> u32 {
    1
}

/// A validated `[vintage]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VintageModel {
    pub years: u32,
    pub sigma: f64,
    pub rho: f64,
    pub exit_years_per_sd: f64,
}

/// A validated `[skill]`, with the mixture's pieces ranked by their mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillModel {
    pub sigma: f64,
    pub persistence: f64,
    pub funds_per_manager: u32,
    /// The pieces' indices from the lowest mean to the highest (ties in listed order).
    pub rank: Vec<usize>,
    /// Φ⁻¹ of the cumulative shares in that order (all pieces but the last), computed once.
    pub probits: Vec<f64>,
}

fn number(key: &str, v: f64, lo: f64, hi: f64) -> Result<f64> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(Error::key(
            key,
            format!("expected a number from {lo} to {hi}, got {v}"),
        ))
    }
}

impl VintageSpec {
    /// Validates the fields (errors name the key).
    pub fn model(&self) -> Result<VintageModel> {
        if self.years == 0 || self.years > 100_000 {
            return Err(Error::key(
                "vintage.years",
                format!("expected 1 to 100000 vintage years, got {}", self.years),
            ));
        }
        Ok(VintageModel {
            years: self.years,
            sigma: number("vintage.sigma", self.sigma, 0.0, 3.0)?,
            rho: number("vintage.rho", self.rho, -0.99, 0.99)?,
            exit_years_per_sd: number(
                "vintage.exit_years_per_sd",
                self.exit_years_per_sd,
                0.0,
                10.0,
            )?,
        })
    }
}

impl SkillSpec {
    /// Validates the fields against the outcome mixture (errors name the key).
    pub fn model(&self, mixture: Option<&Mixture>) -> Result<SkillModel> {
        let Some(mixture) = mixture.filter(|m| m.pieces().len() >= 2) else {
            return Err(Error::key(
                "skill",
                "manager skill shifts the chance of each outcome bucket: it needs [[outcomes.buckets]] with shares (two or more)",
            ));
        };
        if self.funds_per_manager == 0 || self.funds_per_manager > 1000 {
            return Err(Error::key(
                "skill.funds_per_manager",
                format!("expected 1 to 1000 funds, got {}", self.funds_per_manager),
            ));
        }
        let mut rank: Vec<usize> = (0..mixture.pieces().len()).collect();
        let means: Vec<f64> = mixture.pieces().iter().map(|(_, p)| p.mean()).collect();
        rank.sort_by(|&a, &b| means[a].total_cmp(&means[b]));
        let mut cum = 0.0;
        let mut probits: Vec<f64> = rank
            .iter()
            .map(|&i| {
                cum += mixture.pieces()[i].0;
                inverse_cdf(f64::clamp(cum, 0.0, 1.0))
            })
            .collect();
        probits.pop();
        Ok(SkillModel {
            sigma: number("skill.sigma", self.sigma, 0.0, 3.0)?,
            persistence: number("skill.persistence", self.persistence, 0.0, 1.0)?,
            funds_per_manager: self.funds_per_manager,
            rank,
            probits,
        })
    }
}

/// Φ(x), the standard normal distribution function: erfc(-x/√2) / 2.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// A standard normal from a 64-bit word: Φ⁻¹ of the midpoint uniform (w >> 11 + ½)·2⁻⁵³,
/// strictly inside (0, 1).
#[inline]
pub fn normal_of(w: u64) -> f64 {
    inverse_cdf(((w >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64))
}

/// One fund's factors, as the one-fund simulation applies them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FundFactors {
    /// Every company's multiple is multiplied by this (1 without a vintage factor).
    pub scale: f64,
    /// Years every company's holding is shortened by (clamped to the exit-year range).
    pub exit_shift: i32,
    /// The mixture's cumulative shares as skill tilts them, in listed order (all pieces
    /// but the last); `None` without skill.
    pub thresholds: Option<Vec<f64>>,
}

impl FundFactors {
    /// No factor: every company drawn as without `[vintage]` and `[skill]`.
    pub const NONE: FundFactors = FundFactors {
        scale: 1.0,
        exit_shift: 0,
        thresholds: None,
    };

    /// The factors of a fund of a vintage with factor `z` (a standard normal) and a
    /// manager of skill `s` (a standard normal), under the model's `[vintage]` and
    /// `[skill]`; a factor the model does not have is ignored.
    pub fn new(
        vintage: Option<&VintageModel>,
        skill: Option<(&SkillModel, &Mixture)>,
        z: f64,
        s: f64,
    ) -> FundFactors {
        let (scale, exit_shift) = match vintage {
            Some(v) => (
                (v.sigma * z - 0.5 * v.sigma * v.sigma).exp(),
                (v.exit_years_per_sd * z).round() as i32,
            ),
            None => (1.0, 0),
        };
        // No shift leaves the shares as they are (Φ(Φ⁻¹(C)) is C only to rounding).
        let thresholds = skill
            .map(|(k, m)| (k, m, k.sigma * s))
            .filter(|&(_, _, shift)| shift != 0.0)
            .map(|(k, m, shift)| tilted_thresholds(m, &k.rank, &k.probits, shift));
        FundFactors {
            scale,
            exit_shift,
            thresholds,
        }
    }

    /// A holding period moved by the exit shift, kept within `low ..= high`.
    #[inline]
    pub fn holding(&self, holding: u32, low: u32, high: u32) -> u32 {
        if self.exit_shift == 0 {
            return holding;
        }
        (holding as i64 - self.exit_shift as i64).clamp(low as i64, high as i64) as u32
    }
}

/// The mixture's cumulative shares in listed order (all but the last) after a probit
/// shift of `shift` toward the pieces of higher mean: in the ranking by mean (`rank`,
/// with `probits` = Φ⁻¹ of its cumulative shares), the cumulative share `C_k` of the k
/// lowest pieces becomes `Φ(Φ⁻¹(C_k) - shift)`.
pub fn tilted_thresholds(
    mixture: &Mixture,
    rank: &[usize],
    probits: &[f64],
    shift: f64,
) -> Vec<f64> {
    let pieces = mixture.pieces();
    let k = pieces.len();
    let mut shares = vec![0.0; k];
    let mut before = 0.0;
    for (j, &i) in rank.iter().enumerate() {
        let tilted = if j + 1 == k {
            1.0
        } else {
            normal_cdf(probits[j] - shift)
        };
        shares[i] = (tilted - before).max(0.0);
        before = tilted;
    }
    let mut acc = 0.0;
    let mut out: Vec<f64> = shares
        .iter()
        .map(|p| {
            acc += p;
            acc
        })
        .collect();
    out.pop();
    out
}

/// The factors of every fund of a run, from (seed, fund index).
#[derive(Debug, Clone)]
pub struct RunFactors<'a> {
    vintage: Option<&'a VintageModel>,
    skill: Option<(&'a SkillModel, &'a Mixture)>,
    /// The vintages' factors z_0, z_1, ... (standard normals, AR(1)).
    z: Vec<f64>,
    seed: u64,
}

/// The AR(1) path z_0 = e_0, z_v = ρ z_{v-1} + √(1 - ρ²) e_v of `n` standard normals
/// drawn from `rng`: stationary, each z_v standard normal, corr(z_v, z_{v+1}) = ρ.
pub fn ar1_path(rng: &mut impl RngCore, n: usize, rho: f64) -> Vec<f64> {
    let innovation = (1.0 - rho * rho).sqrt();
    let mut z = Vec::with_capacity(n);
    let mut last = 0.0;
    for v in 0..n {
        let e = normal_of(rng.next_u64());
        last = if v == 0 {
            e
        } else {
            rho * last + innovation * e
        };
        z.push(last);
    }
    z
}

impl<'a> RunFactors<'a> {
    /// The run's factors, or `None` when the model has neither.
    pub fn new(model: &'a super::FundModel, seed: u64) -> Option<RunFactors<'a>> {
        let skill = match (&model.skill, &model.outcomes) {
            (Some(k), super::scenario::OutcomeModel::Random(m)) => Some((k, m)),
            _ => None,
        };
        let vintage = model.vintage.as_ref();
        if vintage.is_none() && skill.is_none() {
            return None;
        }
        let z = match vintage {
            Some(v) => ar1_path(
                &mut fast_stream(seed, 0, VINTAGE_DRAWS),
                v.years as usize,
                v.rho,
            ),
            None => Vec::new(),
        };
        Some(RunFactors {
            vintage,
            skill,
            z,
            seed,
        })
    }

    /// The vintage of fund `index` (0 without `[vintage]`).
    pub fn vintage_of(&self, index: u64) -> usize {
        self.vintage
            .map_or(0, |v| (index % v.years as u64) as usize)
    }

    /// The skill of fund `index`'s manager when it raised that fund: fund k of manager m
    /// has s_k of the AR(1) path of m's stream.
    pub fn skill_of(&self, index: u64) -> f64 {
        match self.skill {
            Some((k, _)) => {
                let f = k.funds_per_manager as u64;
                let path = ar1_path(
                    &mut fast_stream(self.seed, index / f, SKILL_DRAWS),
                    (index % f) as usize + 1,
                    k.persistence,
                );
                path[path.len() - 1]
            }
            None => 0.0,
        }
    }

    /// Every vintage's factor, in vintage order.
    pub fn zs(&self) -> &[f64] {
        &self.z
    }

    /// The vintage factor of vintage `v`.
    pub fn z(&self, v: usize) -> f64 {
        self.z.get(v).copied().unwrap_or(0.0)
    }

    /// Fund `index`'s factors.
    pub fn fund(&self, index: u64) -> FundFactors {
        let z = self.z(self.vintage_of(index));
        let s = if self.skill.is_some() {
            self.skill_of(index)
        } else {
            0.0
        };
        FundFactors::new(self.vintage, self.skill, z, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Piece;

    fn mix(shares: &[(f64, f64)]) -> Mixture {
        Mixture::new(
            shares
                .iter()
                .map(|&(p, v)| (p, Piece::Point { value: v }))
                .collect(),
        )
    }

    #[test]
    fn tilt_is_a_probit_shift_in_mean_order() {
        // Listed 10x, 0x, 1x (not in mean order): ranked 0x (0.6), 1x (0.3), 10x (0.1).
        let m = mix(&[(0.1, 10.0), (0.6, 0.0), (0.3, 1.0)]);
        let rank = vec![1, 2, 0];
        let probits = [inverse_cdf(0.6), inverse_cdf(0.9)];
        // Shift 0: the shares as given (cumulative in listed order 0.1, 0.7).
        let t = tilted_thresholds(&m, &rank, &probits, 0.0);
        assert!(
            (t[0] - 0.1).abs() < 1e-15 && (t[1] - 0.7).abs() < 1e-15,
            "{t:?}"
        );
        // Shift 0.5: C(0x) = Φ(Φ⁻¹(0.6) - 0.5), C(0x or 1x) = Φ(Φ⁻¹(0.9) - 0.5).
        // Φ⁻¹(0.6) = 0.2533471, Φ(-0.2466529) = 0.4025884; Φ⁻¹(0.9) = 1.2815516,
        // Φ(0.7815516) = 0.7827609 (Python's statistics.NormalDist, an independent
        // implementation of Φ and Φ⁻¹).
        let t = tilted_thresholds(&m, &rank, &probits, 0.5);
        let p10 = 1.0 - 0.7827609;
        assert!((t[0] - p10).abs() < 1e-6, "{t:?}");
        assert!((t[1] - (p10 + 0.4025884)).abs() < 1e-6, "{t:?}");
    }

    #[test]
    fn ar1_path_has_the_stated_correlation() {
        let mut rng = fast_stream(1, 0, "test");
        let z = ar1_path(&mut rng, 200_000, 0.6);
        let n = z.len() as f64;
        let mean = z.iter().sum::<f64>() / n;
        let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let cov = z
            .windows(2)
            .map(|w| (w[0] - mean) * (w[1] - mean))
            .sum::<f64>()
            / (n - 1.0);
        // Sampling error of each: about 1/√n·(a few) = 0.01 at most.
        assert!(
            mean.abs() < 0.02 && (var - 1.0).abs() < 0.02,
            "{mean} {var}"
        );
        assert!((cov / var - 0.6).abs() < 0.02, "{}", cov / var);
    }
}
