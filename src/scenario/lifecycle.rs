//! The input of `mlca breakeven`: models with the energy of their training, of their
//! fine-tuning and of one inference (one request), to find the number of requests at which
//! inference has drawn as much electricity as training and fine-tuning together, and the energy
//! of a deployment that serves a given number of requests. Every number is a plain value or
//! `{value, min, max}`; unknown keys are errors.

use crate::error::{Diagnostic, Result};
use crate::quantity::input::{finite_opt, NonNeg, Positive};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeTable {
    /// What the table shows ("BLOOMz: inference against training").
    #[serde(default)]
    pub title: Option<String>,
    /// Where the figures come from (a paper's table).
    #[serde(default)]
    pub source: Option<String>,
    pub models: Vec<ModelLife>,
}

/// One model's life: training, fine-tuning, inference. Each part is an energy (`..._kwh`) or
/// a scenario (`..._scenario`, relative to this file) whose functional unit is the part: the
/// training run, the fine-tuning run, one request (a run serving N requests has `count: N`).
/// With scenarios for all the parts, the break-even is also computed for each criterion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelLife {
    pub name: String,
    /// Electricity of the training run, kWh.
    #[serde(default)]
    pub training_kwh: Option<NonNeg>,
    /// Or the training as a scenario.
    #[serde(default)]
    pub training_scenario: Option<PathBuf>,
    /// Electricity of the fine-tuning, kWh; none declared is 0 kWh, named in the assumptions.
    #[serde(default)]
    pub fine_tuning_kwh: Option<NonNeg>,
    /// Or the fine-tuning as a scenario.
    #[serde(default)]
    pub fine_tuning_scenario: Option<PathBuf>,
    /// Electricity of one inference (one request), kWh, measured or declared.
    #[serde(default)]
    pub inference_kwh_per_request: Option<Positive>,
    /// Or the inference as a scenario whose functional unit is one request.
    #[serde(default)]
    pub inference_scenario: Option<PathBuf>,
    /// Requests a deployment serves: the energy of the model's whole life and the inference share.
    #[serde(default)]
    pub requests: Option<Positive>,
    /// The break-even number of requests the source publishes, shown beside the computed one.
    #[serde(default, deserialize_with = "finite_opt")]
    pub published_break_even_requests: Option<f64>,
}

/// A break-even file with the text it was read from, to locate later errors.
#[derive(Debug, Clone)]
pub struct LoadedLives {
    pub table: LifeTable,
    pub file: PathBuf,
    pub text: String,
}

impl LoadedLives {
    /// An input error at field `path` of the file.
    pub fn error_at(
        &self,
        path: &str,
        message: impl Into<String>,
        hint: &str,
    ) -> crate::error::Error {
        let mut d = Diagnostic::new(message).file(&self.file).field(path);
        if let Some((l, c)) = super::locate(&self.text, path) {
            d = d.at(l, c, Some(&self.text));
        }
        d.hint(hint).into()
    }
}

impl LoadedLives {
    /// The scenario file field `path` names, relative to this file; a missing file is an error
    /// at the field.
    pub fn file_at(&self, path: &str, name: &Path) -> Result<PathBuf> {
        let full = self
            .file
            .parent()
            .map_or_else(|| name.to_path_buf(), |d| d.join(name));
        if full.is_file() {
            Ok(full)
        } else {
            Err(self.error_at(
                path,
                format!("no scenario file {}", full.display()),
                "a scenario named in a break-even file is relative to that file",
            ))
        }
    }
}

/// Read and check a break-even file: strict keys, located errors, at least one model.
pub fn load_lives(file: &Path) -> Result<LoadedLives> {
    let text = crate::data::read::read_text(
        file,
        "break-even file",
        crate::data::read::MAX_SCENARIO_BYTES,
    )?;
    let table: LifeTable = super::parse_as(&text, file)?;
    let l = LoadedLives {
        table,
        file: file.to_path_buf(),
        text,
    };
    if l.table.models.is_empty() {
        return Err(l.error_at(
            "models",
            "no models: the break-even table needs at least one",
            "list models with name, training_kwh, inference_kwh_per_request (README.md, \"Inference and break-even\")",
        ));
    }
    Ok(l)
}
