//! A startup through the valley of death. So far: the deterministic default-alive
//! calculation and the deterministic monthly revenue and cash engine (`cash_path`); the
//! Monte Carlo simulator around them is specified in DESIGN.md (open issue).

pub mod cash_path;
pub mod default_alive;
pub mod scenario;
pub mod sim;
pub mod summary;
