//! Errors of mlca. Input errors (exit code 2) carry where the problem is (file, field path, line
//! and column) and what to do about it; internal errors (exit code 1) are everything else.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in the user's input a problem is, and what to do about it.
#[derive(Debug, Clone, Default)]
pub struct Diagnostic {
    pub message: String,
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

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem in what the user gave: scenario, file, name or option. Exit code 2.
    #[error("{0}")]
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
