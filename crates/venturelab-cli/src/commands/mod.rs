//! One module per command area. Each turns parsed arguments into an [`crate::output::Outcome`].

pub mod captable;
pub mod cashflow;
pub mod company;
pub mod financing;
pub mod fit;
pub mod fund;
pub mod market;
pub mod scenario_input;

use serde_json::json;

use crate::output::Outcome;
use crate::table::render;

/// `venturelab presets`: every built-in scenario with its description and sources.
pub fn presets() -> Outcome {
    let mut rows = Vec::new();
    let mut list = Vec::new();
    for p in venturelab::presets::ALL {
        let (description, sources) = venturelab::presets::describe(p);
        rows.push(vec![
            p.area.to_string(),
            p.name.to_string(),
            description.clone(),
        ]);
        list.push(
            json!({"area": p.area, "name": p.name, "description": description, "sources": sources}),
        );
    }
    let mut text = render(&["area", "name", "description"], &rows);
    text += "
Use one with `venturelab <area> simulate --preset NAME`; each preset file cites its sources (--json lists them).\n";
    Outcome::new(
        json!({"presets": list, "version": venturelab::VERSION}),
        text,
    )
}
