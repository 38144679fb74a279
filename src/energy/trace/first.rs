//! The first sample of a trace, whose time is the origin of the others, read before the
//! pieces; or, when there is none, why: every value missing, no row of a power or energy metric
//! (naming the metrics present), or no data row.

use super::formats::{Raw, Reader, RowNotes};
use super::integrate::RowError;
use super::lines;
use super::piece::unclosed_error;
use super::record::Record;
use super::{file_error, line_of, row_error};
use crate::error::{Error, Result};
use crate::quantity::time::Stamp;
use std::path::Path;

/// A file without a sample: its data rows, those with a missing value, and the metrics of the
/// rows skipped (for formats with a metric column).
pub(super) struct NoSample {
    rows: u64,
    missing: u64,
    metrics: Vec<String>,
}

/// At most this many metrics are named in an error.
const METRICS_NAMED: usize = 12;

impl NoSample {
    /// The error of a file without a sample: every value missing, no power or energy metric
    /// (the reader may say better), or no data row at all.
    pub(super) fn error(self, path: &Path, reader: &dyn Reader, has_header: bool) -> Error {
        let key = reader.format().key();
        let NoSample {
            rows,
            missing,
            metrics,
        } = self;
        if missing > 0 && missing == rows {
            return file_error(
                path,
                format!("{key}: every value is missing ({rows} data row(s), each [N/A], [Not Supported], OFF or empty)"),
                "the meter could not read the power of this device (nvidia-smi writes [N/A] for GPUs without a power sensor): measure it another way",
            );
        }
        if rows > 0 {
            if let Some((message, hint)) = reader.no_sample(&metrics) {
                return file_error(path, message, hint);
            }
            let named = if metrics.is_empty() {
                String::new()
            } else {
                format!("; metrics in the file: {}", metrics.join(", "))
            };
            return file_error(
                path,
                format!("{key}: no power or energy sample in the file ({rows} rows){named}"),
                "check the format and, for Kwollect, the metric",
            );
        }
        let what = if has_header {
            "the file has a header but no data row"
        } else {
            "the file has no data row"
        };
        file_error(path, format!("{key}: {what}"), "check that the trace was written (header only means the meter stopped before its first sample)")
    }
}

/// The time of the first sample, or else the number of data rows and of rows with a missing
/// value (an [N/A] in every row is not "no data row").
pub(super) fn origin_of(
    path: &Path,
    reader: &dyn Reader,
    has_header: bool,
) -> Result<std::result::Result<Stamp, NoSample>> {
    let f = lines::open(path)
        .map_err(|e| file_error(path, format!("cannot read the trace: {e}"), ""))?
        .with_quotes();
    let mut rdr = lines::builder()
        .has_headers(false)
        .flexible(true)
        .delimiter(reader.delimiter())
        .from_reader(f);
    let mut rec = csv::ByteRecord::new();
    let mut spans = Vec::new();
    let mut skip = has_header;
    let mut n = 0;
    let mut missing = 0u64;
    let mut metrics: Vec<String> = Vec::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let (row, message) = lines::csv_failure(&rdr, &e, "a CSV trace");
                let text = line_of(path, row);
                let hint = Some("check the delimiter and the quotes".into());
                return Err(row_error(
                    path,
                    RowError { row, message, hint },
                    text.as_deref(),
                ));
            }
        }
        if let Some(row) = lines::spans_lines(&rdr, &rec) {
            let text = line_of(path, row);
            return Err(row_error(path, unclosed_error(row), text.as_deref()));
        }
        if lines::strip_cr(&mut rec) {
            continue;
        }
        if std::mem::take(&mut skip) {
            continue;
        }
        n += 1;
        if rec.len() != reader.width() {
            continue;
        }
        let mut notes = RowNotes::default();
        let row = rec.position().map_or(0, |p| p.line());
        let rec = Record::of_csv(&rec, &mut spans);
        if let Some(e) = lines::not_utf8(&rec, row) {
            let text = line_of(path, row);
            return Err(row_error(path, e, text.as_deref()));
        }
        let missing_before = missing;
        let mut first: Option<Stamp> = None;
        reader
            .read(
                &rec,
                row,
                &mut |r: Raw| {
                    first = first.or(Some(r.t));
                    Ok(())
                },
                &mut notes,
            )
            .map_err(|e| row_error(path, e, None))?;
        if let Some(first) = first {
            return Ok(Ok(first));
        }
        if notes.missing {
            missing = missing_before + 1;
        }
        if notes.skipped.is_some() && metrics.len() < METRICS_NAMED {
            if let Some(m) = reader.metric(&rec) {
                let m = String::from_utf8_lossy(m);
                if !metrics.iter().any(|x| *x == m) {
                    metrics.push(m.into_owned());
                }
            }
        }
    }
    Ok(Err(NoSample {
        rows: n,
        missing,
        metrics,
    }))
}
