//! The table of built-in scenarios.

use venturelab_app::presets::PresetsReport;

use crate::table::render;

pub fn presets_text(r: &PresetsReport) -> String {
    let rows: Vec<Vec<String>> = r
        .presets
        .iter()
        .map(|p| vec![p.area.clone(), p.name.clone(), p.description.clone()])
        .collect();
    let mut text = render(&["area", "name", "description"], &rows);
    text += "\nUse one with `venturelab <area> simulate --preset NAME`; each preset file cites its sources (--json lists them).\n";
    text
}
