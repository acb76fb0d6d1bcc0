//! A startup through the valley of death. So far: the deterministic default-alive
//! calculation; the monthly Monte Carlo simulator is specified in DESIGN.md (open issue).

pub mod default_alive;
