//! A startup through the valley of death: the default-alive calculation
//! (`default_alive`), the deterministic monthly revenue and cash engine (`cash_path`), and
//! the Monte Carlo simulator (`scenario` → `sim` for one run → `summary` for many runs and
//! the `stress` and `compare` experiments). Equations and sources: docs/models/company.md.

pub mod cash_path;
pub mod default_alive;
pub mod scenario;
pub mod sim;
pub mod summary;
