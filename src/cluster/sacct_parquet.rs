//! Slurm's accounting as a Parquet file: the columns of `sacct --parsable2` (the same names,
//! strings as sacct writes them), read by [`scan`], a lazy polars scan of only the columns
//! mlca reads, collected in slices of [`BATCH_ROWS`] rows (a large file is never whole in
//! memory), and given row by row to the sacct reader as the lines it reads, so that steps,
//! arrays, times and every check are the same as for the text.
//!
//! Messages name the file, the row (1 for the first row of data) and the column, not a line.

use super::slurm::{self, COMMAND, OPTIONAL, REQUIRED};
use super::{Accounting, Progress};
use crate::error::{Diagnostic, Error, Result};
use polars::prelude::{col, DataFrame, DataType, LazyFrame, PlRefPath, ScanArgsParquet};
use std::io::{BufReader, Read};
use std::path::Path;

/// The first bytes of a Parquet file.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// Whether `path` is a Parquet file: its extension is `.parquet`, or it starts with `PAR1`.
pub fn is_parquet(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("parquet"))
    {
        return true;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == MAGIC)
}

fn bad(path: &Path, msg: String, hint: &str) -> Error {
    Error::input(Diagnostic::new(msg).file(path).hint(hint))
}

/// Rows read at a time: a slice of the lazy scan, so that a large file is never whole in memory.
pub const BATCH_ROWS: usize = 1 << 20;

/// The lazy scan of the accounting's columns in a Parquet file: the required columns of
/// [`slurm::REQUIRED`] (a missing one is an error naming it), the optional ones where present,
/// each cast to strings (nulls read as empty cells); and the columns' names.
pub fn scan(path: &Path) -> Result<(Vec<String>, LazyFrame)> {
    let text = path.to_string_lossy().to_string();
    if let Err(e) = std::fs::File::open(path) {
        return Err(bad(
            path,
            format!("cannot read the accounting file: {e}"),
            "check the path",
        ));
    }
    let mut lf = LazyFrame::scan_parquet(PlRefPath::new(&text), ScanArgsParquet::default())
        .map_err(|e| not_parquet(path, e))?;
    let schema = lf.collect_schema().map_err(|e| not_parquet(path, e))?;
    for name in REQUIRED {
        if schema.get(name).is_none() {
            let mut d = Diagnostic::new(format!("the Parquet accounting has no column {name}"))
                .file(path)
                .hint(format!(
                    "give the columns {} (strings, as {COMMAND} writes them)",
                    REQUIRED.join(", ")
                ));
            d.field = Some(name.to_string());
            return Err(Error::input(d));
        }
    }
    let names: Vec<String> = REQUIRED
        .iter()
        .chain(OPTIONAL.iter())
        .filter(|n| schema.get(n).is_some())
        .map(|n| n.to_string())
        .collect();
    let exprs: Vec<_> = names
        .iter()
        .map(|n| col(n.as_str()).cast(DataType::String))
        .collect();
    Ok((names, lf.select(exprs)))
}

fn not_parquet(path: &Path, e: polars::error::PolarsError) -> Error {
    bad(
        path,
        format!("cannot read the accounting as Parquet: {e}"),
        &format!("give a Parquet file with the columns of {COMMAND}, or the text sacct writes"),
    )
}

/// The rows of a scanned accounting as the lines of `sacct --parsable2`: the header, then one
/// line per row, the rows collected [`BATCH_ROWS`] at a time.
struct Lines {
    names: Vec<String>,
    scan: LazyFrame,
    /// The rows of the scan from `first` on.
    batch: DataFrame,
    first: usize,
    /// The next row; `None` while the header is still to give.
    next: Option<usize>,
    done: bool,
    /// The last line given, with its '\n', and how much of it is read.
    line: Vec<u8>,
    at: usize,
    /// An error met while collecting a batch (the reader sees an I/O error; this keeps its text).
    failed: Option<String>,
}

impl Lines {
    /// Row `i`'s cells (empty for a null), from the batch that holds it.
    fn cells(&mut self, i: usize) -> std::io::Result<Option<Vec<&str>>> {
        if i >= self.first + self.batch.height() {
            if self.done {
                return Ok(None);
            }
            let b = self
                .scan
                .clone()
                .slice(i as i64, BATCH_ROWS as u32)
                .collect()
                .map_err(|e| {
                    self.failed = Some(format!("cannot read the accounting as Parquet: {e}"));
                    std::io::Error::other(e)
                })?;
            self.done = b.height() < BATCH_ROWS;
            self.first = i;
            self.batch = b;
            if self.batch.height() == 0 {
                return Ok(None);
            }
        }
        let k = i - self.first;
        let mut out = Vec::with_capacity(self.names.len());
        for n in &self.names {
            let s = self
                .batch
                .column(n)
                .and_then(|c| c.str())
                .map_err(std::io::Error::other)?;
            let cell = s.get(k).unwrap_or("");
            if cell.contains(['|', '\n', '\r']) {
                return Err(std::io::Error::other(format!(
                    "row {}, column {n}: a '|' or a line break in a cell, which sacct --parsable2 does not write",
                    i + 1
                )));
            }
            out.push(cell);
        }
        Ok(Some(out))
    }

    /// The next line, with its '\n'; false at the end.
    fn fill(&mut self) -> std::io::Result<bool> {
        let text = match self.next {
            None => {
                self.next = Some(0);
                self.names.join("|")
            }
            Some(i) => match self.cells(i)? {
                Some(cells) => {
                    let t = cells.join("|");
                    self.next = Some(i + 1);
                    t
                }
                None => return Ok(false),
            },
        };
        self.line.clear();
        self.at = 0;
        self.line.extend_from_slice(text.as_bytes());
        self.line.push(b'\n');
        Ok(true)
    }

    /// The name of the column at character `column` (1-based) of the last line given.
    fn column_at(&self, column: usize) -> Option<&str> {
        let text = std::str::from_utf8(&self.line).ok()?;
        let mut end = 0;
        for (k, c) in text.trim_end_matches('\n').split('|').enumerate() {
            end += c.chars().count() + 1;
            if column <= end {
                return self.names.get(k).map(String::as_str);
            }
        }
        None
    }
}

impl Read for Lines {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.line.len() && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.line.len() - self.at);
        buf[..n].copy_from_slice(&self.line[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Read the accounting from a Parquet file: [`scan`], then the sacct reader over its rows.
pub fn read(path: &Path, progress: Option<&Progress>) -> Result<Accounting> {
    let (names, scan) = scan(path)?;
    let mut input = BufReader::new(Lines {
        names,
        scan,
        batch: DataFrame::empty(),
        first: 0,
        next: None,
        done: false,
        line: Vec::new(),
        at: 0,
        failed: None,
    });
    // the rows' text has no size known in advance: no progress bar over it (size 0)
    let result = slurm::read_from(&mut input, path, 0, progress);
    let lines = input.get_ref();
    if let Some(e) = &lines.failed {
        return Err(bad(
            path,
            e.clone(),
            &format!("give a Parquet file with the columns of {COMMAND}"),
        ));
    }
    match result {
        Ok(mut acc) => {
            acc.rows = true;
            Ok(acc)
        }
        Err(Error::Input(mut d)) => {
            // a line of the text is a row of the table: name the row and the column
            if let Some(line) = d.line.take().filter(|&l| l >= 2) {
                let row = line - 1;
                d.field = Some(match d.column.and_then(|c| lines.column_at(c)) {
                    Some(c) => format!("row {row}, column {c}"),
                    None => format!("row {row}"),
                });
            }
            d.column = None;
            d.snippet = None;
            Err(Error::Input(d))
        }
        Err(e) => Err(e),
    }
}
