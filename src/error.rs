//! Errors of mlca. Input errors (exit code 2) carry where the problem is (file, field path, line
//! and column) and what to do about it; internal errors (exit code 1) are everything else.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What went wrong, typed where it arises. A [`Diagnostic`] built from a kind takes the kind's
/// text as its message; the kind stays attached for callers that need to tell errors apart
/// (`mlca hardware show` prefers an ambiguity to an unknown name) and keeps the underlying error
/// as its [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// No catalog entry of this kind ("GPU", "CPU", "node", "country") has this name;
    /// `candidates` are the closest names.
    #[error("unknown {kind} \"{name}\"")]
    UnknownName {
        kind: String,
        name: String,
        candidates: Vec<String>,
    },
    /// Several catalog entries match the name.
    #[error("ambiguous {kind} \"{name}\": {} catalog entries match", matches.len())]
    AmbiguousName {
        kind: String,
        name: String,
        matches: Vec<String>,
    },
    /// An empty name where a catalog name is expected.
    #[error("empty {kind} name")]
    EmptyName { kind: String },
    /// The text is not well-formed YAML (or not the expected document shape).
    #[error("{source}")]
    Syntax {
        #[source]
        source: yaml_serde::Error,
    },
    /// A key the scenario format does not have; `expected` are the keys allowed there.
    #[error("unknown field `{field}`, expected {}", one_of(expected))]
    UnknownField {
        field: String,
        expected: Vec<&'static str>,
    },
    /// A value that is none of the allowed names.
    #[error("unknown variant `{variant}`, expected {}", one_of(expected))]
    UnknownVariant {
        variant: String,
        expected: Vec<&'static str>,
    },
    /// A required key is absent.
    #[error("missing field `{field}`")]
    MissingField { field: String },
    /// A value of the wrong type: what was found and what is expected there, in the
    /// scenario's terms ("a whole number", "a mapping (declared_kwh, tdp, ...)").
    #[error("invalid type: {found}, expected {expected}")]
    InvalidType { found: String, expected: String },
    /// A section (a mapping) given with nothing under its key.
    #[error("the section is empty, expected {expected}")]
    EmptySection { expected: String },
    /// A value of the wrong type or outside its domain, as the type's deserializer said.
    #[error("{message}")]
    InvalidValue { message: String },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A row of a CSV data file could not be read.
    #[error("row {row}: {source}")]
    Csv {
        row: usize,
        #[source]
        source: csv::Error,
    },
    /// A time window (start and end, or a training log's first and last times) that does not
    /// meet the trace's span: nothing of the trace would be counted. `what` names the window.
    #[error(
        "{what} ({window}) lies outside the trace ({trace}): no sample of the trace is inside it"
    )]
    WindowOutsideTrace {
        what: String,
        window: String,
        trace: String,
    },
    /// A choice of runs (`run_id`, `project_name`, `run_index`, `--run`) that names none of a
    /// file's runs; `available` describes each run of the file.
    #[error("{selector}: {why}; the file's runs: {}", available.join("; "))]
    UnknownRun {
        selector: String,
        why: String,
        available: Vec<String>,
    },
    /// A YAML data file could not be read.
    #[error("{source}")]
    Yaml {
        #[source]
        source: yaml_serde::Error,
    },
}

/// serde's wording of an expected key list.
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => "no fields".to_string(),
        [a] => a.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// Where in the user's input a problem is, and what to do about it.
#[derive(Debug, Clone, Default)]
pub struct Diagnostic {
    pub message: String,
    /// What went wrong, when it was typed where it arose.
    pub kind: Option<Arc<ErrorKind>>,
    pub file: Option<PathBuf>,
    pub field: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The offending source line, shown under the location.
    pub snippet: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            ..Default::default()
        }
    }
    /// A diagnostic whose message is the kind's text.
    pub fn of(kind: ErrorKind) -> Self {
        Diagnostic {
            message: kind.to_string(),
            kind: Some(Arc::new(kind)),
            ..Default::default()
        }
    }
    /// The same diagnostic with another message (the kind stays).
    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.message = m.into();
        self
    }
    pub fn file(mut self, f: &Path) -> Self {
        self.file = Some(f.to_path_buf());
        self
    }
    pub fn field(mut self, f: impl Into<String>) -> Self {
        let f = f.into();
        if !f.is_empty() && f != "." && f != "?" {
            self.field = Some(f);
        }
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    pub fn at(mut self, line: usize, column: usize, text: Option<&str>) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        if let Some(t) = text {
            self.snippet = t.lines().nth(line.saturating_sub(1)).map(str::to_string);
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if let Some(file) = &self.file {
            match (self.line, self.column) {
                (Some(l), Some(c)) => writeln!(f, "  --> {}:{}:{}", file.display(), l, c)?,
                (Some(l), None) => writeln!(f, "  --> {}:{}", file.display(), l)?,
                _ => writeln!(f, "  --> {}", file.display())?,
            }
        }
        if let Some(field) = &self.field {
            writeln!(f, "   = field: {field}")?;
        }
        if let (Some(l), Some(s)) = (self.line, &self.snippet) {
            writeln!(f, "{l:>5} | {s}")?;
            if let Some(c) = self.column {
                writeln!(f, "      | {}^", " ".repeat(c.saturating_sub(1)))?;
            }
        }
        if let Some(h) = &self.hint {
            writeln!(f, "   = hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.as_deref().and_then(std::error::Error::source)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in what the user gave: scenario, file, name or option. Exit code 2.
    #[error(transparent)]
    Input(Box<Diagnostic>),
    /// Anything else. Exit code 1.
    #[error("error: {0}")]
    Internal(String),
}

impl Error {
    pub fn input(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
    pub fn msg(message: impl Into<String>) -> Self {
        Error::input(Diagnostic::new(message))
    }
    /// The typed kind of an input error, if it has one.
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            Error::Input(d) => d.kind.as_deref(),
            Error::Internal(_) => None,
        }
    }
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::Internal(_) => 1,
        }
    }
    /// Attach a file and, where the message names no location yet, a field path.
    pub fn in_file(self, file: &Path) -> Self {
        match self {
            Error::Input(mut d) => {
                if d.file.is_none() {
                    d.file = Some(file.to_path_buf());
                }
                Error::Input(d)
            }
            e => e,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::input(d)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
