//! Distributions of heavy-tailed outcomes: sampling (by inverse CDF, so that common random
//! numbers give smooth comparisons) and, later, fitting.

pub mod normal;
pub mod outcome;

pub use outcome::{Mixture, Piece};
