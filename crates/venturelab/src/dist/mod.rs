//! Distributions of heavy-tailed outcomes: sampling (by inverse CDF, so that common random
//! numbers give smooth comparisons) and, later, fitting.

pub mod normal;
pub mod outcome;
pub mod special;

pub use outcome::{Mixture, Piece};
pub mod alternatives;
pub mod bootstrap;
pub mod optimize;
pub mod powerlaw;
pub mod sample;
pub mod spec;

pub use spec::DistSpec;
