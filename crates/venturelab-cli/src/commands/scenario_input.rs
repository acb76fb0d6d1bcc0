//! Loading a scenario for any model: from a TOML file, or a built-in preset.

use std::path::{Path, PathBuf};

use venturelab::error::Location;
use venturelab::presets;

use crate::error::{location, CliError, CliResult};
use crate::output::read_input;

/// Where a scenario came from, for messages and for resolving relative file names.
pub struct Loaded {
    pub doc: toml::Value,
    /// "file scenario.toml" or "preset essay".
    pub origin: String,
    pub dir: Option<PathBuf>,
    pub text: String,
}

/// Reads `file` or `preset` (exactly one, or `default` when neither is given).
pub fn load(
    area: &str,
    file: Option<&Path>,
    preset: Option<&str>,
    default: Option<&str>,
) -> CliResult<Loaded> {
    let (text, origin, dir) = match (file, preset.or(if file.is_none() { default } else { None })) {
        (Some(_), Some(_)) => {
            return Err(CliError::input(
                "give either a scenario file or --preset, not both",
            ))
        }
        (Some(f), None) => (
            read_input(f)?,
            f.display().to_string(),
            f.parent().map(Path::to_path_buf),
        ),
        (None, Some(name)) => {
            let p = presets::get(area, name).ok_or_else(|| {
                CliError::input(format!(
                    "--preset {name}: no such {area} preset; the {area} presets are: {}",
                    presets::names(area).join(", ")
                ))
            })?;
            (p.toml.to_string(), format!("preset {name}"), None)
        }
        (None, None) => {
            return Err(CliError::input(format!(
                "give a scenario file or --preset NAME (the {area} presets are: {})",
                presets::names(area).join(", ")
            )))
        }
    };
    let doc: toml::Value = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        CliError::input(format!(
            "{origin}{}: {}",
            line.map(|l| format!(" line {l}")).unwrap_or_default(),
            e.message().trim()
        ))
    })?;
    Ok(Loaded {
        doc,
        origin,
        dir,
        text,
    })
}

impl Loaded {
    /// Maps a library error about this scenario to an input error naming the origin.
    pub fn error(&self, e: venturelab::Error) -> CliError {
        match e {
            // A line of the scenario itself: "scenario.toml line 3: ...".
            venturelab::Error::Invalid {
                at: at @ Location::Line { source: None, .. },
                message,
            } => CliError::input(format!("{} {at}: {message}", self.origin)),
            venturelab::Error::Invalid { at, message } => {
                CliError::input(format!("{}: {}: {message}", self.origin, location(&at)))
            }
            other => CliError::input(format!("{}: {other}", self.origin)),
        }
    }

    /// Reads a data file named in the scenario, relative to the scenario's folder.
    pub fn read_relative(&self, key: &str, name: &str) -> CliResult<(String, String)> {
        let path = match &self.dir {
            Some(d) => d.join(name),
            None => PathBuf::from(name),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            CliError::input(format!(
                "{}: {key}: cannot read {}: {e}",
                self.origin,
                path.display()
            ))
        })?;
        Ok((text, path.display().to_string()))
    }
}

/// Parses one number per line (blank lines and `#` comments allowed); errors name the line.
pub fn numbers(text: &str, source: &str) -> CliResult<Vec<f64>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.split('#').next().unwrap_or("").trim();
        if t.is_empty() {
            continue;
        }
        let v: f64 = t.parse().map_err(|_| {
            CliError::input(format!(
                "{source} line {}: expected a number, got '{t}'",
                i + 1
            ))
        })?;
        if !v.is_finite() {
            return Err(CliError::input(format!(
                "{source} line {}: expected a finite number, got '{t}'",
                i + 1
            )));
        }
        out.push(v);
    }
    Ok(out)
}
