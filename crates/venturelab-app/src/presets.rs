//! `presets`: the built-in scenarios with their descriptions and sources.

use serde::Serialize;

/// One built-in scenario.
#[derive(Debug, Clone, Serialize)]
pub struct PresetInfo {
    pub area: String,
    pub name: String,
    pub description: String,
    pub sources: Vec<String>,
}

/// `presets`.
#[derive(Debug, Clone, Serialize)]
pub struct PresetsReport {
    pub presets: Vec<PresetInfo>,
    pub version: String,
}

/// Every built-in scenario.
pub fn presets() -> PresetsReport {
    PresetsReport {
        presets: venturelab::presets::ALL
            .iter()
            .map(|p| {
                let (description, sources) = venturelab::presets::describe(p);
                PresetInfo {
                    area: p.area.to_string(),
                    name: p.name.to_string(),
                    description,
                    sources,
                }
            })
            .collect(),
        version: venturelab::VERSION.to_string(),
    }
}

/// The TOML text of the built-in scenario `name` of `area` (`fund`, `company`, `market`),
/// as embedded in the binary; `None` when there is no such preset. The run store keeps
/// this text with a run made from a preset.
pub fn preset_text(area: &str, name: &str) -> Option<&'static str> {
    venturelab::presets::get(area, name).map(|p| p.toml)
}
