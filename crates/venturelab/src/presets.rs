//! Built-in scenarios, embedded from the `presets/` folder at the workspace root. Each file
//! starts with a comment that cites where its numbers come from.

/// A built-in scenario.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    /// The command area it is for (`fund`, ...).
    pub area: &'static str,
    /// The TOML text.
    pub toml: &'static str,
}

/// Every preset, in the order `venturelab presets` lists them.
pub const ALL: &[Preset] = &[
    Preset {
        name: "essay",
        area: "fund",
        toml: include_str!("../../../presets/essay.toml"),
    },
    Preset {
        name: "essay-random",
        area: "fund",
        toml: include_str!("../../../presets/essay-random.toml"),
    },
    Preset {
        name: "carta-funnel",
        area: "fund",
        toml: include_str!("../../../presets/carta-funnel.toml"),
    },
    Preset {
        name: "correlation-ventures",
        area: "fund",
        toml: include_str!("../../../presets/correlation-ventures.toml"),
    },
    Preset {
        name: "ca-2004-2013",
        area: "fund",
        toml: include_str!("../../../presets/ca-2004-2013.toml"),
    },
    Preset {
        name: "lp-ca-2004-2013",
        area: "lp",
        toml: include_str!("../../../presets/lp-ca-2004-2013.toml"),
    },
    Preset {
        name: "saas-seed",
        area: "company",
        toml: include_str!("../../../presets/saas-seed.toml"),
    },
    Preset {
        name: "ai-app",
        area: "company",
        toml: include_str!("../../../presets/ai-app.toml"),
    },
    Preset {
        name: "deeptech",
        area: "company",
        toml: include_str!("../../../presets/deeptech.toml"),
    },
    Preset {
        name: "market",
        area: "market",
        toml: include_str!("../../../presets/market.toml"),
    },
];

/// The preset called `name` for `area`.
pub fn get(area: &str, name: &str) -> Option<&'static Preset> {
    ALL.iter().find(|p| p.area == area && p.name == name)
}

/// Names of the presets of one area, for error messages.
pub fn names(area: &str) -> Vec<&'static str> {
    ALL.iter()
        .filter(|p| p.area == area)
        .map(|p| p.name)
        .collect()
}

/// The `description` and `sources` fields of a preset's TOML.
pub fn describe(p: &Preset) -> (String, Vec<String>) {
    let v: toml::Value = toml::from_str(p.toml).unwrap_or(toml::Value::Table(Default::default()));
    let description = v
        .get("description")
        .and_then(|d| d.as_str())
        .unwrap_or("")
        .to_string();
    let sources = v
        .get("sources")
        .and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    (description, sources)
}
