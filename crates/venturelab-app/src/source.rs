//! Where inputs come from: a scenario as a file, TOML text, a preset or a nested map, and
//! the data files a scenario names (resolved next to the scenario, or from files the
//! caller provides, as a web form's uploads).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use venturelab::presets;

use crate::error::{AppError, AppResult, InputError, Place};

/// A scenario, from wherever the front end has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A TOML file; `-` reads standard input. Files it names are read relative to its folder.
    Path(PathBuf),
    /// TOML text; `name` is how messages refer to it.
    Text { name: String, text: String },
    /// A built-in preset of the command's area (`venturelab presets` lists them).
    Preset(String),
    /// A nested map (a Python dict, a JSON form), the same shape as the TOML.
    Map(serde_json::Value),
    /// A nested map from a caller that may not reach the file system (the web app): a data
    /// file the scenario names is read only from `files` (text the caller uploaded), and a
    /// name not among them is refused, naming its key.
    Sealed {
        map: serde_json::Value,
        files: ProvidedFiles,
    },
}

/// Data files a scenario names, provided by the caller instead of the file system
/// (`outcomes.empirical_file = "deals.txt"` finds `files["deals.txt"]`).
pub type ProvidedFiles = BTreeMap<String, String>;

/// A scenario read and parsed as TOML, not yet validated by its model.
pub struct Loaded {
    /// The document, with data from named files merged in by the area's loader.
    pub doc: toml::Value,
    /// How messages refer to it: the file's path or `preset essay`.
    pub origin: String,
    /// The folder named files are read from.
    pub dir: Option<PathBuf>,
    /// The TOML text (parse errors carry its line numbers).
    pub text: String,
    /// Files provided in place of the file system.
    pub provided: ProvidedFiles,
    /// Whether `text` was generated from a [`Source::Map`] (its lines are not the caller's).
    pub generated: bool,
    /// Whether named files come only from `provided` ([`Source::Sealed`]), never the disk.
    pub sealed: bool,
}

/// Reads a whole text input, or standard input for `-`; errors name the file.
pub fn read_text(path: &Path) -> AppResult<String> {
    if path.as_os_str() == "-" {
        return read_bounded(std::io::stdin(), "stdin");
    }
    let file = std::fs::File::open(path)
        .map_err(|e| AppError::whole(format!("{}: cannot read: {e}", path.display())))?;
    read_bounded(file, &path.display().to_string())
}

/// Reads at most [`crate::limits::MAX_INPUT_BYTES`] of text: a larger input (or an endless
/// one, such as /dev/zero) is refused without reading it all.
fn read_bounded(r: impl std::io::Read, name: &str) -> AppResult<String> {
    use std::io::Read;
    let limit = crate::limits::MAX_INPUT_BYTES;
    let mut bytes = Vec::new();
    r.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| AppError::whole(format!("{name}: cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(AppError::in_source(
            name,
            format!(
                "larger than {}, the most venturelab reads from one input; for huge data give counts per value (`fit --histogram`, value<TAB>count lines)",
                crate::limits::bytes(limit as f64)
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        AppError::in_source(
            name,
            format!(
                "not UTF-8 text (byte {} is not valid)",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A data input that is either a file or text already in memory (a CSV of flows, a list of
/// values to fit).
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    /// A file; `-` is standard input.
    Path(PathBuf),
    /// Text, with the name messages use for it.
    Text { name: String, text: String },
}

impl Data {
    /// The name messages use for this input.
    pub fn name(&self) -> String {
        match self {
            Data::Path(p) => p.display().to_string(),
            Data::Text { name, .. } => name.clone(),
        }
    }

    /// The text of the input.
    pub fn read(&self) -> AppResult<String> {
        match self {
            Data::Path(p) => read_text(p),
            Data::Text { text, .. } => Ok(text.clone()),
        }
    }
}

/// `v` with every null object member and array element dropped (TOML has no null).
fn without_nulls(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(
            a.iter()
                .filter(|x| !x.is_null())
                .map(without_nulls)
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Reads `source` (or the preset `default` when there is none) for `area`
/// (`fund`, `company`, `market`).
pub fn load(area: &str, source: Option<&Source>, default: Option<&str>) -> AppResult<Loaded> {
    let preset_source;
    let source = match (source, default) {
        (Some(s), _) => s,
        (None, Some(d)) => {
            preset_source = Source::Preset(d.to_string());
            &preset_source
        }
        (None, None) => {
            return Err(AppError::whole(format!(
                "give a scenario file or --preset NAME (the {area} presets are: {})",
                presets::names(area).join(", ")
            )))
        }
    };
    let (text, origin, dir) = match source {
        Source::Path(f) => (
            read_text(f)?,
            f.display().to_string(),
            f.parent().map(Path::to_path_buf),
        ),
        Source::Text { name, text } => (text.clone(), name.clone(), None),
        Source::Preset(name) => {
            let p = presets::get(area, name).ok_or_else(|| {
                AppError::parameter(
                    "preset",
                    format!(
                        "no such {area} preset '{name}'; the {area} presets are: {}",
                        presets::names(area).join(", ")
                    ),
                )
            })?;
            (p.toml.to_string(), format!("preset {name}"), None)
        }
        Source::Map(m) | Source::Sealed { map: m, .. } => {
            // A null (Python's None) means "not given", as a key left out of the TOML.
            let doc: toml::Value = serde_json::from_value(without_nulls(m))
                .map_err(|e| AppError::in_source("scenario", e.to_string()))?;
            let text = toml::to_string(&doc)
                .map_err(|e| AppError::in_source("scenario", e.to_string()))?;
            (text, "scenario".to_string(), None)
        }
    };
    let doc: toml::Value = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        AppError::Input(InputError {
            source: Some(origin.clone()),
            place: match line {
                Some(line) => Place::Line { line, column: None },
                None => Place::Whole,
            },
            message: e.message().trim().to_string(),
        })
    })?;
    Ok(Loaded {
        doc,
        origin,
        dir,
        text,
        provided: match source {
            Source::Sealed { files, .. } => files.clone(),
            _ => ProvidedFiles::new(),
        },
        generated: matches!(source, Source::Map(_) | Source::Sealed { .. }),
        sealed: matches!(source, Source::Sealed { .. }),
    })
}

impl Loaded {
    /// A library error about this scenario, attributed to it.
    pub fn error(&self, e: venturelab::Error) -> AppError {
        match AppError::from_lib_in(&self.origin, e) {
            // The TOML of a map is ours, not the caller's: its line numbers mean nothing to
            // them (the message names the key where the library knows it).
            // A message that starts with the key (`fund.size: expected ...`) is placed at
            // that key, so a form can mark the field; the text reads the same.
            AppError::Input(mut i) if self.generated && matches!(i.place, Place::Line { .. }) => {
                i.place = Place::Whole;
                if let Some((key, rest)) = i.message.split_once(": ") {
                    let dotted =
                        |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-';
                    if !key.is_empty() && key.chars().all(dotted) {
                        i.place = Place::Key(key.to_string());
                        i.message = rest.to_string();
                    }
                }
                AppError::Input(i)
            }
            other => other,
        }
    }

    /// Reads a data file the scenario names at `key`: a provided file of that name, else
    /// the file relative to the scenario's folder. Returns the text and the name messages
    /// use for it.
    pub fn read_named(&self, key: &str, name: &str) -> AppResult<(String, String)> {
        if let Some(text) = self.provided.get(name) {
            return Ok((text.clone(), name.to_string()));
        }
        if self.sealed {
            return Err(AppError::Input(InputError {
                source: Some(self.origin.clone()),
                place: Place::Key(key.to_string()),
                message: format!(
                    "'{name}' is not among the files given with this scenario (files on disk are not read here): upload it or give the data in the scenario"
                ),
            }));
        }
        let path = match &self.dir {
            Some(d) => d.join(name),
            None => PathBuf::from(name),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            AppError::Input(InputError {
                source: Some(self.origin.clone()),
                place: Place::Key(key.to_string()),
                message: format!("cannot read {}: {e}", path.display()),
            })
        })?;
        Ok((text, path.display().to_string()))
    }
}

/// Parses one number per line (blank lines and `#` comments allowed); errors name the line.
pub fn numbers(text: &str, source: &str) -> AppResult<Vec<f64>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.split('#').next().unwrap_or("").trim();
        if t.is_empty() {
            continue;
        }
        let at = |message: String| {
            AppError::Input(InputError {
                source: Some(source.to_string()),
                place: Place::Line {
                    line: i + 1,
                    column: None,
                },
                message,
            })
        };
        let v: f64 = t
            .parse()
            .map_err(|_| at(format!("expected a number, got '{t}'")))?;
        if !v.is_finite() {
            return Err(at(format!("expected a finite number, got '{t}'")));
        }
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::flag;

    #[test]
    fn a_map_is_the_same_scenario_as_its_toml() {
        let from_map = load(
            "fund",
            Some(&Source::Map(
                serde_json::json!({"fund": {"size": "100M", "vintage": null}}),
            )),
            None,
        )
        .unwrap();
        let from_text = load(
            "fund",
            Some(&Source::Text {
                name: "t".into(),
                text: "[fund]\nsize = \"100M\"\n".into(),
            }),
            None,
        )
        .unwrap();
        assert_eq!(from_map.doc, from_text.doc);
    }

    #[test]
    fn errors_name_the_source_and_line() {
        let e = load(
            "fund",
            Some(&Source::Text {
                name: "s.toml".into(),
                text: "[fund]\nsize = = 3\n".into(),
            }),
            None,
        )
        .err()
        .unwrap();
        assert!(e.render(&flag).starts_with("s.toml line 2: "), "{e}");
        let e = numbers("1\n\nx\n", "v.txt").err().unwrap();
        assert_eq!(e.render(&flag), "v.txt line 3: expected a number, got 'x'");
        let e = load("fund", Some(&Source::Preset("nope".into())), None)
            .err()
            .unwrap();
        assert!(e
            .render(&flag)
            .starts_with("--preset: no such fund preset 'nope'"));
    }

    #[test]
    fn a_sealed_map_reads_no_file_from_disk() {
        // A file that exists on disk (this crate's manifest) is refused all the same.
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        let map = serde_json::json!({"outcomes": {"empirical_file": manifest}});
        let mut files = ProvidedFiles::new();
        let l = load(
            "fund",
            Some(&Source::Sealed {
                map: map.clone(),
                files: files.clone(),
            }),
            None,
        )
        .unwrap();
        let e = l
            .read_named("outcomes.empirical_file", manifest)
            .err()
            .unwrap();
        assert!(
            e.render(&flag)
                .starts_with("scenario: outcomes.empirical_file: '"),
            "{e}"
        );
        files.insert(manifest.into(), "3\n".into());
        let l = load("fund", Some(&Source::Sealed { map, files }), None).unwrap();
        assert_eq!(l.read_named("k", manifest).unwrap().0, "3\n");
    }

    #[test]
    fn provided_files_stand_in_for_the_file_system() {
        let mut l = load("fund", Some(&Source::Preset("essay".into())), None).unwrap();
        l.provided.insert("deals.txt".into(), "1\n2\n".into());
        assert_eq!(
            l.read_named("outcomes.empirical_file", "deals.txt")
                .unwrap()
                .0,
            "1\n2\n"
        );
    }
}
