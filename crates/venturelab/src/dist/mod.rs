//! Distributions of heavy-tailed outcomes: sampling (by inverse CDF, so that common random
//! numbers give smooth comparisons) and, later, fitting.

pub mod normal;
pub mod outcome;
pub mod special;

pub use outcome::{Mixture, Piece};
pub mod powerlaw;
pub mod sample;
