//! A distribution as a scenario writes it ([`DistSpec`]: `dist = "pareto"`, `scale`,
//! `shape`, ...) and its checks into a [`Piece`].
//!
//! The same keys appear inside other TOML tables (a fund's outcome bucket, `[outcomes]`
//! itself) beside keys of their own. serde cannot combine `#[serde(flatten)]` with
//! `deny_unknown_fields`, and a misspelt key must stay an error that names it, so the
//! keys are written once, in `with_dist_fields!`,
//! which adds them to a struct and gives it a `dist_spec()` that gathers them.

use serde::{Deserialize, Serialize};

use crate::dist::Piece;
use crate::error::{Error, Result};
use crate::scenario::num;

/// Defines a struct with the distribution keys of [`DistSpec`] between two groups of
/// fields of its own (`{ head } { tail }`, either may be empty; the order is the order in
/// which serde lists the expected keys and writes them out), and `dist_spec()`, which
/// gathers those keys into a [`DistSpec`].
macro_rules! with_dist_fields {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($head:tt)* } { $($tail:tt)* }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($head)*
            /// The distribution: `point` (the default), `uniform`, `loguniform`, `pareto`
            /// or `lognormal`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub dist: Option<String>,
            /// The value of a point distribution.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub multiple: Option<f64>,
            /// Lower end of a uniform or log-uniform range.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub low: Option<f64>,
            /// Upper end of a uniform or log-uniform range.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub high: Option<f64>,
            /// Pareto scale (the smallest value).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub scale: Option<f64>,
            /// Pareto shape (the tail exponent).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub shape: Option<f64>,
            /// Lognormal mu (mean of the logarithm).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub mu: Option<f64>,
            /// Lognormal sigma (standard deviation of the logarithm).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub sigma: Option<f64>,
            $($tail)*
        }

        impl $name {
            /// The distribution keys of this table.
            pub fn dist_spec(&self) -> $crate::dist::spec::DistSpec {
                $crate::dist::spec::DistSpec {
                    dist: self.dist.clone(),
                    multiple: self.multiple,
                    low: self.low,
                    high: self.high,
                    scale: self.scale,
                    shape: self.shape,
                    mu: self.mu,
                    sigma: self.sigma,
                }
            }
        }
    };
}
pub(crate) use with_dist_fields;

with_dist_fields! {
    /// A distribution as written in a bucket or in `[outcomes]`: `multiple = x` alone is a
    /// point; otherwise `dist = "uniform"` with `low`/`high`, `"loguniform"` with
    /// `low`/`high`, `"pareto"` with `scale`/`shape`, `"lognormal"` with `mu`/`sigma`.
    #[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    pub struct DistSpec {} {}
}

impl DistSpec {
    /// True when no key of the distribution is given.
    pub(crate) fn is_empty(&self) -> bool {
        *self == DistSpec::default()
    }

    /// Validates into a [`Piece`]; `key` names the TOML table in messages.
    pub fn piece(&self, key: &str) -> Result<Piece> {
        let need = |v: Option<f64>, name: &str| -> Result<f64> {
            let x = v.ok_or_else(|| Error::key(format!("{key}.{name}"), "missing"))?;
            if !x.is_finite() {
                return Err(Error::key(
                    format!("{key}.{name}"),
                    format!("expected a finite number, got {x}"),
                ));
            }
            Ok(x)
        };
        let unexpected = |allowed: &[&str]| -> Result<()> {
            let present = [
                ("multiple", self.multiple.is_some()),
                ("low", self.low.is_some()),
                ("high", self.high.is_some()),
                ("scale", self.scale.is_some()),
                ("shape", self.shape.is_some()),
                ("mu", self.mu.is_some()),
                ("sigma", self.sigma.is_some()),
            ];
            match present.iter().find(|(n, p)| *p && !allowed.contains(n)) {
                Some((n, _)) => Err(Error::key(
                    format!("{key}.{n}"),
                    "not a parameter of this distribution",
                )),
                None => Ok(()),
            }
        };
        let dist = self.dist.as_deref().unwrap_or("point");
        let piece = match dist {
            "point" => {
                unexpected(&["multiple"])?;
                let value = need(self.multiple, "multiple")?;
                if value < 0.0 {
                    return Err(Error::key(format!("{key}.multiple"), format!("a multiple cannot be negative, got {value}")));
                }
                Piece::Point { value }
            }
            "uniform" | "loguniform" => {
                unexpected(&["low", "high"])?;
                let (low, high) = (need(self.low, "low")?, need(self.high, "high")?);
                if low < 0.0 {
                    return Err(Error::key(format!("{key}.low"), format!("expected a non-negative low, got {}", num(low))));
                }
                if high < low {
                    return Err(Error::key(key, format!("expected low <= high, got low {}, high {}", num(low), num(high))));
                }
                if dist == "loguniform" {
                    if low <= 0.0 {
                        return Err(Error::key(format!("{key}.low"), "a log-uniform range must start above 0"));
                    }
                    Piece::LogUniform { low, high }
                } else {
                    Piece::Uniform { low, high }
                }
            }
            "pareto" => {
                unexpected(&["scale", "shape"])?;
                let (scale, shape) = (need(self.scale, "scale")?, need(self.shape, "shape")?);
                if scale <= 0.0 {
                    return Err(Error::key(format!("{key}.scale"), format!("the Pareto scale must be positive, got {scale}")));
                }
                if shape <= 0.0 {
                    return Err(Error::key(format!("{key}.shape"), format!("the Pareto shape must be positive, got {shape}")));
                }
                Piece::Pareto { scale, shape }
            }
            "lognormal" => {
                unexpected(&["mu", "sigma"])?;
                let (mu, sigma) = (need(self.mu, "mu")?, need(self.sigma, "sigma")?);
                if sigma < 0.0 {
                    return Err(Error::key(format!("{key}.sigma"), format!("sigma cannot be negative, got {sigma}")));
                }
                Piece::Lognormal { mu, sigma }
            }
            other => {
                return Err(Error::key(format!("{key}.dist"),
                    format!("unknown distribution '{other}'; expected point, uniform, loguniform, pareto or lognormal"),
                ))
            }
        };
        // The largest value the samplers can draw (their largest uniform is 1 - 2^-53)
        // must leave sums of many draws times money finite.
        let top = piece.quantile(1.0 - f64::EPSILON / 2.0);
        if top.is_nan() || top > MAX_DRAW {
            // Name the one field that sets the top, or the table with both parameters.
            let (at, params) = match piece {
                Piece::Point { .. } => (format!("{key}.multiple"), String::new()),
                Piece::Uniform { .. } | Piece::LogUniform { .. } => {
                    (format!("{key}.high"), String::new())
                }
                Piece::Pareto { scale, shape } => (
                    key.to_string(),
                    format!("with scale {} and shape {} ", num(scale), num(shape)),
                ),
                Piece::Lognormal { mu, sigma } => (
                    key.to_string(),
                    format!("with mu {} and sigma {} ", num(mu), num(sigma)),
                ),
            };
            return Err(Error::key(
                at,
                format!(
                    "{params}this distribution can draw values up to {top:e}; at most {MAX_DRAW:e} is accepted, so that sums of draws stay finite{}",
                    if dist == "pareto" { " (a larger shape, or a smaller scale)" } else { "" }
                ),
            ));
        }
        Ok(piece)
    }
}

/// The largest value a distribution of a scenario may draw (1e20: a multiple no venture
/// outcome approaches, with room for sums of 1e5 companies times 1e15 of money).
pub const MAX_DRAW: f64 = 1e20;

#[cfg(test)]
mod tests {
    use super::*;

    with_dist_fields! {
        #[derive(Debug, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        struct Tagged {
            name: String,
        } {
            after: Option<u32>,
        }
    }

    #[test]
    fn the_keys_are_gathered_and_unknown_keys_named() {
        let t: Tagged =
            toml::from_str("name = \"tail\"\ndist = \"pareto\"\nscale = 2\nshape = 1.5\nafter = 3")
                .unwrap();
        assert_eq!((t.name.as_str(), t.after), ("tail", Some(3)));
        let piece = t.dist_spec().piece("tail").unwrap();
        assert_eq!(
            piece,
            Piece::Pareto {
                scale: 2.0,
                shape: 1.5
            }
        );
        let e = toml::from_str::<Tagged>("name = \"x\"\nshap = 1").unwrap_err();
        assert!(
            e.message().contains(
                "unknown field `shap`, expected one of `name`, `dist`, `multiple`, `low`, \
                 `high`, `scale`, `shape`, `mu`, `sigma`, `after`"
            ),
            "{e}"
        );
        assert!(DistSpec::default().is_empty());
        assert!(!Tagged {
            name: String::new(),
            dist: None,
            multiple: Some(1.0),
            low: None,
            high: None,
            scale: None,
            shape: None,
            mu: None,
            sigma: None,
            after: None,
        }
        .dist_spec()
        .is_empty());
    }
}
