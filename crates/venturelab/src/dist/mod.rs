//! Distributions of heavy-tailed outcomes: sampling (by inverse CDF, so that common random
//! numbers give smooth comparisons) and fitting.
//!
//! - [`outcome`]: pieces (point, uniform, log-uniform, Pareto, lognormal) and mixtures;
//!   [`spec`]: a distribution as a scenario writes it, checked into a piece.
//! - [`powerlaw`]: the Clauset, Shalizi & Newman (2009) fit (xmin by KS scan, exact
//!   discrete MLE) and sampling; [`alternatives`]: the other distributions and the
//!   likelihood-ratio tests; [`bootstrap`]: goodness of fit and uncertainties.
//! - [`sample`]: data as distinct values with counts (one value per line, or a
//!   histogram); [`special`], [`normal`], [`optimize`]: the numerics underneath.

pub mod alternatives;
pub mod bootstrap;
pub mod normal;
pub mod optimize;
pub mod outcome;
pub mod powerlaw;
pub mod sample;
pub mod spec;
pub mod special;

pub use outcome::{Mixture, Piece};
pub use spec::DistSpec;
