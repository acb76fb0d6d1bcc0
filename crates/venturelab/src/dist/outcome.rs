//! Outcome distributions for company multiples, sampled by inverse CDF.
//!
//! Every draw maps uniforms in [0, 1) to a value through the quantile function, so two
//! runs with the same random numbers and slightly different parameters give slightly
//! different values (common random numbers): what `fund solve` needs for a smooth search.
//!
//! Pareto here is Pareto type I with `scale` x_m and `shape` a: P(X > x) = (x_m / x)^a for
//! x ≥ x_m, mean a x_m / (a - 1) for a > 1. In the power-law fitting notation of Clauset,
//! Shalizi & Newman the same law has density exponent alpha = a + 1 and xmin = x_m.

use serde::Serialize;

use super::normal::inverse_cdf;

/// One piece of an outcome distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Piece {
    /// Always `value`.
    Point { value: f64 },
    /// Uniform on [low, high).
    Uniform { low: f64, high: f64 },
    /// Log-uniform on [low, high): ln X uniform. Needs 0 < low.
    LogUniform { low: f64, high: f64 },
    /// Pareto type I: P(X > x) = (scale / x)^shape.
    Pareto { scale: f64, shape: f64 },
    /// Lognormal: ln X ~ Normal(mu, sigma²).
    Lognormal { mu: f64, sigma: f64 },
}

impl Piece {
    /// The value at quantile `u` in [0, 1).
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Piece::Point { value } => value,
            Piece::Uniform { low, high } => low + u * (high - low),
            Piece::LogUniform { low, high } => low * (u * (high / low).ln()).exp(),
            Piece::Pareto { scale, shape } => scale * (1.0 - u).powf(-1.0 / shape),
            Piece::Lognormal { mu, sigma } => {
                (mu + sigma * inverse_cdf(u.max(f64::MIN_POSITIVE))).exp()
            }
        }
    }

    /// The mean (∞ for a Pareto with shape ≤ 1).
    pub fn mean(&self) -> f64 {
        match *self {
            Piece::Point { value } => value,
            Piece::Uniform { low, high } => 0.5 * (low + high),
            Piece::LogUniform { low, high } => {
                if high == low {
                    low
                } else {
                    (high - low) / (high / low).ln()
                }
            }
            Piece::Pareto { scale, shape } => {
                if shape > 1.0 {
                    shape * scale / (shape - 1.0)
                } else {
                    f64::INFINITY
                }
            }
            Piece::Lognormal { mu, sigma } => (mu + 0.5 * sigma * sigma).exp(),
        }
    }

    /// The variance (∞ for a Pareto with shape ≤ 2).
    pub fn variance(&self) -> f64 {
        match *self {
            Piece::Point { .. } => 0.0,
            Piece::Uniform { low, high } => (high - low).powi(2) / 12.0,
            Piece::LogUniform { low, high } => {
                if high == low {
                    return 0.0;
                }
                let l = (high / low).ln();
                let m2 = (high * high - low * low) / (2.0 * l);
                m2 - self.mean().powi(2)
            }
            Piece::Pareto { scale, shape } => {
                if shape > 2.0 {
                    scale * scale * shape / ((shape - 1.0).powi(2) * (shape - 2.0))
                } else {
                    f64::INFINITY
                }
            }
            Piece::Lognormal { mu, sigma } => {
                ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp()
            }
        }
    }
}

/// A mixture of pieces with probabilities summing to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mixture {
    pieces: Vec<(f64, Piece)>,
    /// Cumulative probabilities of all pieces but the last, for choosing a piece with one
    /// uniform by counting the thresholds it passes (no unpredictable branches).
    #[serde(skip)]
    thresholds: Vec<f64>,
    /// `Some((a, b))` for pieces whose quantile is `a + b·u` (points and uniforms), the
    /// common case, evaluated without dispatching on the piece.
    #[serde(skip)]
    affine: Vec<Option<(f64, f64)>>,
}

impl Mixture {
    /// Builds a mixture. The caller validates that probabilities are in [0, 1] and sum to 1.
    pub fn new(pieces: Vec<(f64, Piece)>) -> Self {
        let mut acc = 0.0;
        let mut thresholds: Vec<f64> = pieces
            .iter()
            .map(|(p, _)| {
                acc += p;
                acc
            })
            .collect();
        thresholds.pop();
        let affine = pieces
            .iter()
            .map(|(_, d)| match *d {
                Piece::Point { value } => Some((value, 0.0)),
                Piece::Uniform { low, high } => Some((low, high - low)),
                _ => None,
            })
            .collect();
        Mixture {
            pieces,
            thresholds,
            affine,
        }
    }

    /// The pieces with their probabilities.
    pub fn pieces(&self) -> &[(f64, Piece)] {
        &self.pieces
    }

    /// Cumulative probabilities of all pieces but the last: the piece of `u_piece` is the
    /// number of them that `u_piece` reaches.
    pub fn thresholds(&self) -> &[f64] {
        &self.thresholds
    }

    /// Per piece, `Some((a, b))` when its quantile is `a + b·u` (points and uniforms).
    pub fn affine(&self) -> &[Option<(f64, f64)>] {
        &self.affine
    }

    /// A value from two uniforms: `u_piece` picks the piece, `u_value` the quantile in it.
    #[inline]
    pub fn sample(&self, u_piece: f64, u_value: f64) -> f64 {
        let i: usize = self
            .thresholds
            .iter()
            .map(|&c| (u_piece >= c) as usize)
            .sum();
        match self.affine[i] {
            Some((a, b)) => a + b * u_value,
            None => self.pieces[i].1.quantile(u_value),
        }
    }

    /// [`Self::sample`] with other cumulative shares (`thresholds`, one per piece but the
    /// last, in the pieces' order): the mixture with its shares changed, as manager skill
    /// changes them (`fund::factors`).
    #[inline]
    pub fn sample_with(&self, thresholds: &[f64], u_piece: f64, u_value: f64) -> f64 {
        let i: usize = thresholds.iter().map(|&c| (u_piece >= c) as usize).sum();
        match self.affine[i] {
            Some((a, b)) => a + b * u_value,
            None => self.pieces[i].1.quantile(u_value),
        }
    }

    /// E\[X\] = Σ p_i E\[X_i\].
    pub fn mean(&self) -> f64 {
        self.pieces
            .iter()
            .filter(|(p, _)| *p > 0.0)
            .map(|(p, d)| p * d.mean())
            .sum()
    }

    /// Var\[X\] = Σ p_i (Var X_i + E\[X_i\]²) - E\[X\]².
    pub fn variance(&self) -> f64 {
        let m = self.mean();
        self.pieces
            .iter()
            .filter(|(p, _)| *p > 0.0)
            .map(|(p, d)| p * (d.variance() + d.mean().powi(2)))
            .sum::<f64>()
            - m * m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pareto_quantiles_and_mean() {
        // P(X > x) = (50/x)^2.5: the median is 50 * 2^(1/2.5) = 65.975; mean 2.5*50/1.5 = 83.33.
        let p = Piece::Pareto {
            scale: 50.0,
            shape: 2.5,
        };
        assert!((p.quantile(0.5) - 50.0 * 2f64.powf(0.4)).abs() < 1e-12);
        assert!((p.mean() - 83.333_333_333_333_33).abs() < 1e-9);
        assert_eq!(p.quantile(0.0), 50.0);
    }

    #[test]
    fn mixture_mean_of_the_essay_shape() {
        // 0.90 at 0, 0.09 uniform [2, 5] (mean 3.5), 0.01 Pareto(50, 2.5) (mean 83.33):
        // 0.09 * 3.5 + 0.01 * 83.333 = 0.315 + 0.83333 = 1.148333.
        let m = Mixture::new(vec![
            (0.90, Piece::Point { value: 0.0 }),
            (
                0.09,
                Piece::Uniform {
                    low: 2.0,
                    high: 5.0,
                },
            ),
            (
                0.01,
                Piece::Pareto {
                    scale: 50.0,
                    shape: 2.5,
                },
            ),
        ]);
        assert!((m.mean() - 1.148_333_333_333_333).abs() < 1e-12);
        assert_eq!(m.sample(0.5, 0.3), 0.0);
        assert_eq!(m.sample(0.95, 0.5), 3.5);
        assert!(m.sample(0.995, 0.0) == 50.0);
    }

    #[test]
    fn loguniform_and_lognormal() {
        let l = Piece::LogUniform {
            low: 1.0,
            high: 100.0,
        };
        assert!((l.quantile(0.5) - 10.0).abs() < 1e-12);
        assert!((l.mean() - 99.0 / 100f64.ln()).abs() < 1e-12);
        let n = Piece::Lognormal {
            mu: 0.0,
            sigma: 1.0,
        };
        assert!((n.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((n.mean() - 0.5f64.exp()).abs() < 1e-12);
    }
}
