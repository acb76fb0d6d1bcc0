//! The venture market as agents: sectors with a narrative heat, startups born each quarter,
//! funds with strategies that switch by past performance, prices that rise with capital
//! chasing deals, LP money that follows returns and heat, and optional alternative capital.
//! `scenario` → `sim` (one run) → `summary` (many runs, and the experiments). Equations and
//! sources: docs/models/market.md.

pub mod scenario;
pub mod sim;
pub mod summary;
