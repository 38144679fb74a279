//! Reading a scenario: YAML parsed strictly (unknown keys are errors with a suggestion), every
//! error located by file, field path, line and column.

mod inputs;
mod locate;
mod model;
mod validate;

pub use crate::quantity::input::{Count, Fraction, NonNeg, Positive, Pue};
pub use inputs::*;
pub use locate::locate;
pub use model::*;
pub use validate::{check_criteria, label};

use crate::error::{Diagnostic, Error, Result};
use std::path::{Path, PathBuf};

/// A scenario with the text it was read from, to locate later errors.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub file: PathBuf,
    pub text: String,
}

impl Loaded {
    /// An input error at `path` in this scenario.
    pub fn error_at(&self, path: &str, message: impl Into<String>, hint: Option<String>) -> Error {
        let mut d = Diagnostic::new(message).file(&self.file).field(path);
        if let Some((l, c)) = locate(&self.text, path) {
            d = d.at(l, c, Some(&self.text));
        }
        if let Some(h) = hint {
            d = d.hint(h);
        }
        d.into()
    }

    /// Re-locate an error raised without a location (a catalog lookup) at `path`.
    pub fn locate_error(&self, e: Error, path: &str) -> Error {
        match e {
            Error::Input(d) if d.file.is_none() => {
                self.error_at(path, d.message.clone(), d.hint.clone())
            }
            e => e,
        }
    }
}

/// Read and parse a scenario file.
pub fn load(file: &Path) -> Result<Loaded> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Error::input(
            Diagnostic::new(format!("cannot read the scenario: {e}"))
                .file(file)
                .hint("check the path; `mlca assess --help` shows an example"),
        )
    })?;
    let scenario = parse(&text, file)?;
    Ok(Loaded {
        scenario,
        file: file.to_path_buf(),
        text,
    })
}

/// Parse scenario text; `file` names it in errors.
pub fn parse(text: &str, file: &Path) -> Result<Scenario> {
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let loc = inner.location();
        let mut msg = inner.to_string();
        if let Some(i) = msg.find(" at line ") {
            msg.truncate(i);
        }
        if let Some(rest) = msg.strip_prefix(&format!("{path}: ")) {
            msg = rest.to_string();
        }
        let syntax = path == "?" || path.ends_with(".?") || (path.is_empty() && !msg.contains("field"));
        let path = path.trim_end_matches('?').trim_end_matches('.').to_string();
        let hint = if syntax {
            Some("YAML syntax: check the indentation (spaces, not tabs), the colons, and closing quotes or brackets at or just before this line".to_string())
        } else {
            hint_for(&msg)
        };
        // A missing field is named in the path, under its parent.
        let path = match msg
            .split_once("missing field `")
            .and_then(|(_, r)| r.split('`').next())
        {
            Some(f) if path.is_empty() || path == "." => f.to_string(),
            Some(f) => format!("{path}.{f}"),
            None => path,
        };
        let mut d = Diagnostic::new(format!("invalid scenario: {msg}"))
            .file(file)
            .field(path);
        if let Some(l) = loc {
            d = d.at(l.line(), l.column(), Some(text));
        }
        if let Some(h) = hint {
            d = d.hint(h);
        }
        Error::input(d)
    })
}

/// A suggestion for serde's messages: the closest expected key for an unknown one.
fn hint_for(msg: &str) -> Option<String> {
    if let Some(rest) = msg.split_once("unknown field `").map(|(_, r)| r) {
        let field = rest.split('`').next()?;
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)?
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        return Some(match crate::data::names::suggest(field, &expected) {
            Some(s) => format!(
                "did you mean `{s}`? Keys allowed here: {}",
                expected.join(", ")
            ),
            None => format!("keys allowed here: {}", expected.join(", ")),
        });
    }
    if msg.starts_with("missing field `") {
        return Some(
            "add the field; README.md, \"Scenario format\", shows a complete scenario".into(),
        );
    }
    if msg.starts_with("unknown variant `") {
        return Some("use one of the values listed".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text, Path::new("s.yaml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    const OK: &str = "\
functional_unit: {name: fu}
infrastructure:
  - name: n
    nodes: 1
    embodied: {gwp_kgco2eq: 100, adp_kgsbeq: 0.01, pe_mj: 1000, source: test}
run: {duration_h: 1}
energy: {declared_kwh: 2}
electricity: {country: FRA, pue: 1}
allocation:
  lifetime_years: 4
  active_utilization_rate: 0.5
";

    #[test]
    fn a_complete_scenario_parses() {
        assert!(parse(OK, Path::new("s.yaml")).is_ok(), "{}", err(OK));
    }

    #[test]
    fn unknown_key_is_located_with_a_suggestion() {
        let t = OK.replace("lifetime_years", "lifetime_yeras");
        let e = err(&t);
        assert!(e.contains("unknown field `lifetime_yeras`"), "{e}");
        assert!(e.contains("s.yaml:10:3"), "{e}");
        assert!(e.contains("did you mean `lifetime_years`"), "{e}");
        assert!(e.contains("field: allocation"), "{e}");
    }

    #[test]
    fn out_of_domain_values_are_located() {
        let e = err(&OK.replace(
            "active_utilization_rate: 0.5",
            "active_utilization_rate: 1.5",
        ));
        assert!(e.contains("must be in (0, 1]"), "{e}");
        assert!(e.contains("allocation.active_utilization_rate"), "{e}");
        assert!(e.contains("s.yaml:11:"), "{e}");
    }
}
