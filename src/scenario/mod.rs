//! Reading a scenario: YAML parsed strictly (unknown keys are errors with a suggestion), every
//! error located by file, field path, line and column.

mod classify;
mod devices;
mod inputs;
pub mod lifecycle;
mod locate;
mod model;
mod validate;

pub use crate::quantity::input::{Count, Fraction, Multiplier, NonNeg, Positive, Pue, Share};
pub use devices::*;
pub use inputs::*;
pub use locate::{locate, locate_exact};
pub use model::*;
pub use validate::{check_criteria, label};

use crate::error::{Diagnostic, Error, ErrorKind, Result};
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

    /// The file a scenario field (`path`, e.g. `energy.traces[0].file`) names, resolved against
    /// the scenario's folder; an empty name, a missing file or a folder is an error at the field
    /// that also names the resolved path.
    pub fn file_at(&self, path: &str, name: &Path) -> Result<PathBuf> {
        if name.as_os_str().is_empty() {
            return Err(self.error_at(
                path,
                "the file name is empty",
                Some("give the file's path, relative to the scenario file".into()),
            ));
        }
        let dir = self
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let full = dir.join(name);
        // where a relative name was looked for (an absolute one is its own path)
        let resolved = if full.as_path() == name {
            String::new()
        } else {
            format!(" ({})", full.display())
        };
        let hint = "check the path: a relative path in a scenario is relative to the scenario file";
        match std::fs::metadata(&full) {
            Ok(m) if m.is_dir() => Err(self.error_at(
                path,
                format!("{} is a folder{resolved}, not a file", name.display()),
                Some("name a file inside it".into()),
            )),
            Ok(_) => Ok(full),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(self.error_at(
                path,
                format!("no file {}{resolved}", name.display()),
                Some(hint.into()),
            )),
            Err(e) => Err(self.error_at(
                path,
                format!("cannot read {}: {e}", full.display()),
                Some(hint.into()),
            )),
        }
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
    let text =
        crate::data::read::read_text(file, "scenario", crate::data::read::MAX_SCENARIO_BYTES)
            .map_err(|e| match e {
                Error::Input(d) if d.kind.is_some() => {
                    Error::input(d.hint("check the path; `mlca assess --help` shows an example"))
                }
                e => e,
            })?;
    let scenario = parse(&text, file)?;
    Ok(Loaded {
        scenario,
        file: file.to_path_buf(),
        text,
    })
}

const SYNTAX_HINT: &str = "YAML syntax: check the indentation (spaces, not tabs), the colons, and closing quotes or brackets at or just before this line";

/// Parse scenario text; `file` names it in errors.
///
/// The text is parsed to a YAML tree first: an error there is a syntax error, located by the
/// parser. The tree's deserialization errors are typed by a second pass over the parsed tree (`classify.rs`); their line and column
/// come from the parser's streaming pass and their field path from `serde_path_to_error`.
pub fn parse(text: &str, file: &Path) -> Result<Scenario> {
    parse_as::<Scenario>(text, file)
}

/// [`parse`] for another YAML input of mlca (a break-even table), with the same checks and
/// located errors.
pub fn parse_as<T: serde::de::DeserializeOwned>(text: &str, file: &Path) -> Result<T> {
    let tree: std::result::Result<yaml_serde::Value, _> = yaml_serde::from_str(text);
    let de = yaml_serde::Deserializer::from_str(text);
    let err = match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(s) => return Ok(s),
        Err(e) => e,
    };
    let path = err.path().to_string();
    let tree = match tree {
        Ok(t) => t,
        Err(source) => {
            // the path as far as the streaming pass got
            let path = path.trim_end_matches('?').trim_end_matches('.').to_string();
            if let Some(e) = duplicate_key(&source.to_string(), &path, text, file) {
                return Err(e);
            }
            if let Some(line) = second_document(text) {
                return Err(Diagnostic::of(ErrorKind::Syntax { source })
                    .message("invalid scenario: a second YAML document starts here; a scenario file holds one scenario")
                    .file(file)
                    .at(line, 1, Some(text))
                    .hint("remove this `---` line and what follows, or write each scenario to its own file")
                    .into());
            }
            let loc = source.location();
            let message = format!("invalid scenario: {source}");
            let mut d = Diagnostic::of(ErrorKind::Syntax { source })
                .message(message)
                .file(file)
                .field(path)
                .hint(SYNTAX_HINT);
            if let Some(l) = loc {
                d = d.at(l.line(), l.column(), Some(text));
            }
            return Err(d.into());
        }
    };
    let inner = err.into_inner();
    let loc = inner.location();
    let kind = match classify::kind_of::<T>(&tree) {
        Some((_, kind)) => kind,
        // the tree pass accepted what the streaming pass refused: keep the parser's words
        None => ErrorKind::InvalidValue {
            message: inner.to_string(),
        },
    };
    let path = if path == "." || path == "?" {
        String::new()
    } else {
        path
    };
    let (path, hint) = match &kind {
        ErrorKind::UnknownField { field, expected } => {
            let hint = match crate::data::names::suggest(field, expected) {
                Some(s) => format!(
                    "did you mean `{s}`? Keys allowed here: {}",
                    expected.join(", ")
                ),
                None => format!("keys allowed here: {}", expected.join(", ")),
            };
            (path, Some(hint))
        }
        // a missing field is named in the path, under its parent
        ErrorKind::MissingField { field } => (
            if path.is_empty() {
                field.clone()
            } else {
                format!("{path}.{field}")
            },
            Some(
                "add the field; README.md, \"Scenario format\", shows a complete scenario"
                    .to_string(),
            ),
        ),
        ErrorKind::UnknownVariant { .. } => (path, Some("use one of the values listed".into())),
        _ => (path, None),
    };
    // a value refused by its type is reported by the parser at its parent mapping: the field's
    // own line and column, when the path leads there, are where to look
    let exact = match &kind {
        ErrorKind::InvalidValue { .. }
        | ErrorKind::InvalidType { .. }
        | ErrorKind::EmptySection { .. }
        | ErrorKind::UnknownVariant { .. }
            if !path.is_empty() =>
        {
            locate_exact(text, &path)
        }
        _ => None,
    };
    // an empty section written as nothing after its key: where its keys were expected, the
    // next line (as the YAML parser marks an empty value), with the key's line in the hint
    let (exact, hint) = match (&kind, exact) {
        (ErrorKind::EmptySection { .. }, Some((l, c))) => match after_empty_key(text, l, c) {
            Some(next) => (
                Some(next),
                Some(format!(
                    "nothing is written under `{}:` (line {l}): indent its keys under it",
                    path.rsplit('.').next().unwrap_or(&path)
                )),
            ),
            None => (Some((l, c)), hint),
        },
        _ => (exact, hint),
    };
    let message = format!("invalid scenario: {kind}");
    let mut d = Diagnostic::of(kind)
        .message(message)
        .file(file)
        .field(&path);
    match (exact, loc) {
        (Some((l, c)), Some(y)) if (l, c) >= (y.line(), y.column()) => {
            d = d.at(l, c, Some(text));
        }
        (Some((l, c)), None) => d = d.at(l, c, Some(text)),
        (_, Some(y)) => d = d.at(y.line(), y.column(), Some(text)),
        (None, None) => {}
    }
    if let Some(h) = hint {
        d = d.hint(h);
    }
    Err(d.into())
}

/// The first content line after line `l`, when nothing but a comment follows the colon of the
/// key at column `c` there (a key with an empty value): its line and the column of its first
/// character.
fn after_empty_key(text: &str, l: usize, c: usize) -> Option<(usize, usize)> {
    let mut lines = text.lines().enumerate().skip(l.saturating_sub(1));
    let (_, key_line) = lines.next()?;
    let key = key_line.get(c.saturating_sub(1)..).unwrap_or("");
    let rest = key.split_once(':').map_or("", |(_, r)| r).trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    lines.find_map(|(i, raw)| {
        let t = raw.trim_start();
        (!t.is_empty() && !t.starts_with('#')).then(|| (i + 1, raw.len() - t.len() + 1))
    })
}

/// The line of the `---` that starts a second YAML document, if the text holds more than one.
fn second_document(text: &str) -> Option<usize> {
    if yaml_serde::Deserializer::from_str(text).take(2).count() < 2 {
        return None;
    }
    let is_marker = |l: &str| l == "---" || l.starts_with("--- ") || l.starts_with("---\t");
    let mut content = false;
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim_end();
        if is_marker(l) {
            if content {
                return Some(i + 1);
            }
            content = true;
            continue;
        }
        let t = l.trim_start();
        if !(t.is_empty() || t.starts_with('#') || (!content && t.starts_with('%'))) {
            content = true;
        }
    }
    None
}

/// A duplicate key, which the parser reports at the mapping holding it, located at its second
/// occurrence.
fn duplicate_key(message: &str, parent: &str, text: &str, file: &Path) -> Option<Error> {
    let (_, rest) = message.split_once("duplicate entry with key \"")?;
    let (key, _) = rest.split_once('"')?;
    let (l, c) = locate::locate_duplicate(text, parent, key)?;
    let first = locate_exact(
        text,
        &if parent.is_empty() {
            key.to_string()
        } else {
            format!("{parent}.{key}")
        },
    )
    .map_or(0, |(l, _)| l);
    let field = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    };
    Some(
        Diagnostic::new(format!(
            "invalid scenario: duplicate key `{key}` (first given at line {first})"
        ))
        .file(file)
        .field(field)
        .at(l, c, Some(text))
        .hint("give each key once; YAML keeps no duplicate keys")
        .into(),
    )
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

    #[test]
    fn errors_carry_their_kind_and_source() {
        let kind = |t: &str| parse(t, Path::new("s.yaml")).err();
        let e = kind(&OK.replace("lifetime_years", "lifetime_yeras"));
        assert!(
            matches!(e.as_ref().and_then(Error::kind), Some(ErrorKind::UnknownField { field, expected })
                if field == "lifetime_yeras" && expected.contains(&"lifetime_years")),
            "{e:?}"
        );
        let e = kind(&OK.replace("  lifetime_years: 4\n", ""));
        assert!(
            matches!(e.as_ref().and_then(Error::kind), Some(ErrorKind::MissingField { field }) if field == "lifetime_years"),
            "{e:?}"
        );
        let e = kind(&OK.replace("country: FRA", "country: FRA: x"));
        assert!(
            matches!(
                e.as_ref().and_then(Error::kind),
                Some(ErrorKind::Syntax { .. })
            ),
            "{e:?}"
        );
        let source = e.as_ref().and_then(|e| std::error::Error::source(e));
        assert!(source.is_some(), "the parser's error is kept as the source");
        let e = kind(&format!("{OK}embodied_method: xyz\n"));
        assert!(
            matches!(e.as_ref().and_then(Error::kind), Some(ErrorKind::UnknownVariant { variant, .. }) if variant == "xyz"),
            "{e:?}"
        );
    }

    #[test]
    fn wrong_types_are_said_in_the_scenario_s_terms() {
        let e = err("- functional_unit\n- energy\n");
        assert!(e.contains("invalid type: a list, expected a mapping of sections (functional_unit, infrastructure,"), "{e}");
        assert!(e.contains("s.yaml:1:1"), "{e}");
        let e = err("hello\n");
        assert!(
            e.contains("string \"hello\", expected a mapping of sections"),
            "{e}"
        );
        let e = err(&OK.replace("energy: {declared_kwh: 2}", "energy: 100"));
        assert!(
            e.contains(
                "number `100`, expected a mapping (declared_kwh, tdp, traces, extrapolated, devices, at or overhead)"
            ),
            "{e}"
        );
        assert!(e.contains("s.yaml:7:9"), "{e}");
        let e = err(&OK.replace("declared_kwh: 2", "declared_kwh: {value: abc}"));
        assert!(e.contains("string \"abc\", expected a number"), "{e}");
        assert!(e.contains("field: energy.declared_kwh.value"), "{e}");
        let e = err(&OK.replace("nodes: 1", "nodes: two"));
        assert!(
            e.contains("string \"two\", expected a whole number of at least 1"),
            "{e}"
        );
        assert!(e.contains("s.yaml:4:12"), "{e}");
        let e = err(&OK.replace("nodes: 1", "nodes: 2.5"));
        assert!(
            e.contains("2.5: a count must be a whole number of at least 1"),
            "{e}"
        );
        let e = err(&OK.replace("declared_kwh: 2", "declared_kwh: 2, tdp: {a: 1}"));
        assert!(
            e.contains("invalid type: a mapping, expected a list"),
            "{e}"
        );
        assert!(e.contains("field: energy.tdp"), "{e}");
        for (from, to) in [
            ("nodes: 1", "nodes: [1]"),
            ("nodes: 1", "nodes: 1.5"),
            ("declared_kwh: 2", "declared_kwh: {value: x}"),
            ("electricity: {country: FRA, pue: 1}", "electricity: 3"),
            ("electricity: {country: FRA, pue: 1}", "electricity:"),
            ("declared_kwh: 2", "declared_kwh: 2, tdp: 3"),
        ] {
            let e = err(&OK.replace(from, to));
            assert!(e.contains("s.yaml:"), "{e}");
            for rust in ["i64", "u32", "f64", "struct ", "unit value", "sequence"] {
                assert!(!e.contains(rust), "{to}: {e}");
            }
        }
    }

    #[test]
    fn an_empty_section_is_located_where_its_keys_were_expected() {
        let t = OK.replace("electricity: {country: FRA, pue: 1}", "electricity:");
        let e = err(&t);
        assert!(
            e.contains(
                "the section is empty, expected a mapping (country, cloud_region, factors, intensity, pue, wue_l_per_kwh or wue_source)"
            ),
            "{e}"
        );
        assert!(e.contains("s.yaml:9:1"), "{e}");
        assert!(
            e.contains("nothing is written under `electricity:` (line 8)"),
            "{e}"
        );
        let e = err(&OK.replace("{country: FRA, pue: 1}", "~"));
        assert!(e.contains("the section is empty"), "{e}");
        assert!(e.contains("s.yaml:8:14"), "{e}");
    }

    #[test]
    fn a_second_document_is_located_at_its_marker() {
        let e = err(&format!("{OK}---\n{OK}"));
        assert!(e.contains("a second YAML document"), "{e}");
        assert!(e.contains("s.yaml:12:1"), "{e}");
        let e = err(&format!("# c\n---\n{OK}\n---\n{OK}"));
        assert!(e.contains("s.yaml:15:1"), "{e}");
        assert_eq!(second_document(&format!("---\n{OK}")), None);
    }
}
