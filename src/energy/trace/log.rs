//! Training and quality logs: a CSV with a header, one row per logged step (or quality point)
//! and its time in a `timestamp` (or `time`) column, read with the one time parser
//! ([`crate::quantity::time::parse`]: ISO 8601 date-times or Unix seconds).
//!
//! The same reader serves the window of a training in a longer trace (first and last time), the
//! steps of an extrapolation (`step` or `steps` column, strictly increasing) and the quality
//! points of the quality plot (a named column). Times never go back.

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time::{self, Stamp};
use std::path::Path;

/// What a log row carries besides its time.
#[derive(Clone, Copy, Debug)]
pub enum LogValue<'a> {
    /// Only the time (the value is 0).
    Time,
    /// The step count (`step` or `steps`), strictly increasing.
    Steps,
    /// A number in the named column (a quality metric).
    Column(&'a str),
}

/// One logged row: its time, its value and its line in the file (the header is line 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogRow {
    pub t: Stamp,
    pub value: f64,
    pub row: u64,
}

fn error(path: &Path, line: u64, msg: impl Into<String>, hint: &str) -> Error {
    let mut d = Diagnostic::new(msg).file(path);
    if !hint.is_empty() {
        d = d.hint(hint);
    }
    if line > 0 {
        d.line = Some(line as usize);
    }
    Error::input(d)
}

/// Read a log `path` (`what` names it in messages: "the training log", "the quality log").
pub fn read_log(path: &Path, what: &str, value: LogValue) -> Result<Vec<LogRow>> {
    let hint = match value {
        LogValue::Time => {
            "a CSV with a header holding a timestamp (or time) column, one row per logged step"
        }
        LogValue::Steps => {
            "a training log has a header with step and timestamp columns, one row per logged step"
        }
        LogValue::Column(_) => "a CSV with a timestamp column and the quality reached at each time",
    };
    let (mut rdr, long) =
        super::lines::open_csv(path, super::lines::builder().trim(csv::Trim::All))
            .map_err(|e| error(path, 0, format!("cannot read {what}: {e}"), hint))?;
    let headers = rdr
        .headers()
        .map_err(|e| match long.error("a CSV file") {
            Some((line, msg)) => error(path, line, msg, hint),
            None => error(
                path,
                1,
                format!("cannot read the header of {what}: {e}"),
                hint,
            ),
        })?
        .clone();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h));
    let ts = find(&["timestamp", "time"])
        .ok_or_else(|| error(path, 1, format!("{what} has no timestamp column"), hint))?;
    let col = match value {
        LogValue::Time => None,
        LogValue::Steps => Some((
            find(&["step", "steps"])
                .ok_or_else(|| error(path, 1, format!("{what} has no step column"), hint))?,
            "step",
        )),
        LogValue::Column(c) => Some((
            find(&[c])
                .ok_or_else(|| error(path, 1, format!("{what} has no column \"{c}\""), hint))?,
            c,
        )),
    };
    let mut out: Vec<LogRow> = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| match long.error("a CSV file") {
            Some((line, msg)) => error(path, line, msg, hint),
            None => {
                let line = e.position().map_or(0, |p| p.line());
                error(path, line, format!("cannot read the row: {e}"), hint)
            }
        })?;
        let row = r.position().map_or(0, |p| p.line());
        let f = r.get(ts).unwrap_or("");
        let t = time::parse(f.as_bytes()).ok_or_else(|| {
            error(
                path,
                row,
                format!("cannot read \"{f}\" as a time"),
                "2024-06-12T10:00:00.000 or Unix seconds",
            )
        })?;
        let v = match col {
            None => 0.0,
            Some((i, name)) => {
                let f = r.get(i).unwrap_or("");
                f.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| {
                        error(path, row, format!("{name} \"{f}\" is not a number"), hint)
                    })?
            }
        };
        if matches!(value, LogValue::Steps) && v < 0.0 {
            return Err(error(path, row, format!("step {v} is negative"), hint));
        }
        if let Some(last) = out.last() {
            if t.since(last.t.secs) < last.t.frac {
                return Err(error(
                    path,
                    row,
                    format!("timestamps out of order in {what}"),
                    hint,
                ));
            }
            if matches!(value, LogValue::Steps) && v <= last.value {
                return Err(error(
                    path,
                    row,
                    format!("steps do not increase: {v} after {}", last.value),
                    hint,
                ));
            }
        }
        out.push(LogRow { t, value: v, row });
    }
    Ok(out)
}

/// The column names of a log's header (`what` names it in messages), read alone.
pub fn log_columns(path: &Path, what: &str) -> Result<Vec<String>> {
    let (mut rdr, long) =
        super::lines::open_csv(path, super::lines::builder().trim(csv::Trim::All))
            .map_err(|e| error(path, 0, format!("cannot read {what}: {e}"), ""))?;
    let headers = rdr.headers().map_err(|e| match long.error("a CSV file") {
        Some((line, msg)) => error(path, line, msg, ""),
        None => error(
            path,
            1,
            format!("cannot read the header of {what}: {e}"),
            "",
        ),
    })?;
    Ok(headers.iter().map(str::to_string).collect())
}

/// The first and last timestamps of a training log: the window of the training in a longer
/// trace.
pub fn training_log_window(path: &Path) -> Result<(Stamp, Stamp)> {
    let rows = read_log(path, "the training log", LogValue::Time)?;
    match (rows.first(), rows.last()) {
        (Some(a), Some(b)) => Ok((a.t, b.t)),
        _ => Err(error(
            path,
            0,
            "the training log has no row",
            "log one row per step with its timestamp",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
        f
    }

    #[test]
    fn steps_quality_and_window() {
        let f = write("step,timestamp,acc\n0,100,0.1\n10,110.5,0.5\n20,121,0.7\n");
        let s = read_log(f.path(), "the log", LogValue::Steps).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.iter().map(|r| r.value).collect::<Vec<_>>(),
            [0.0, 10.0, 20.0]
        );
        assert_eq!(s[1].row, 3);
        let q = read_log(f.path(), "the log", LogValue::Column("acc"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q[2].value, 0.7);
        let (a, b) = training_log_window(f.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.secs, b.secs), (100, 121));
    }

    #[test]
    fn bad_logs() {
        let back = write("step,timestamp\n0,100\n1,90\n");
        assert!(read_log(back.path(), "the log", LogValue::Steps).is_err());
        let flat = write("step,timestamp\n0,100\n0,110\n");
        assert!(read_log(flat.path(), "the log", LogValue::Steps).is_err());
        assert!(read_log(flat.path(), "the log", LogValue::Time).is_ok());
        let empty = write("step,timestamp\n");
        assert!(training_log_window(empty.path()).is_err());
        let none = write("step,when\n0,100\n");
        assert!(read_log(none.path(), "the log", LogValue::Time).is_err());
    }
}
