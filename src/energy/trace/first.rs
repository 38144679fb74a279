//! The first sample of a trace, whose time is the origin of the others, read before the
//! pieces; or, when there is none, why: every value missing, no row of a power or energy metric
//! (naming the metrics present), or no data row.

use super::formats::{Raw, Reader, Row, RowNotes};
use super::integrate::RowError;
use super::lines;
use super::piece::{each_line, unclosed_error, Stop};
use super::record::{Record, Split, Splitter};
use super::{file_error, line_of, row_error};
use crate::error::{Error, Result};
use crate::quantity::time::Stamp;
use std::ops::ControlFlow;
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

/// Where the search for the first sample is.
struct Search<'a> {
    reader: &'a dyn Reader,
    /// The header is still to be passed over.
    skip: bool,
    rows: u64,
    missing: u64,
    metrics: Vec<String>,
}

/// What a record gave: its first sample's time, or an error at its row (with the line's text
/// shown or not).
enum Found {
    Sample(Stamp),
    Error(RowError, bool),
}

impl<'a> Search<'a> {
    fn new(reader: &'a dyn Reader, has_header: bool) -> Self {
        Search {
            reader,
            skip: has_header,
            rows: 0,
            missing: 0,
            metrics: Vec::new(),
        }
    }

    fn record(&mut self, rec: &Record<'_>, row: u64, ascii: bool) -> Option<Found> {
        if std::mem::take(&mut self.skip) {
            return None;
        }
        self.rows += 1;
        let reader = self.reader;
        if rec.len() != reader.width() {
            return None;
        }
        if !ascii {
            if let Some(e) = lines::not_utf8(rec, row) {
                return Some(Found::Error(e, true));
            }
        }
        let mut notes = RowNotes::default();
        let mut first: Option<Stamp> = None;
        let at = Row {
            rec,
            row,
            notes: &mut notes,
        };
        let read = reader.read(at, &mut |r: Raw| {
            first = first.or(Some(r.t));
            Ok(())
        });
        if let Err(e) = read {
            return Some(Found::Error(e, false));
        }
        if let Some(first) = first {
            return Some(Found::Sample(first));
        }
        if notes.missing {
            self.missing += 1;
        }
        if notes.skipped.is_some() && self.metrics.len() < METRICS_NAMED {
            if let Some(m) = reader.metric(rec) {
                let m = String::from_utf8_lossy(m);
                if !self.metrics.iter().any(|x| *x == m) {
                    self.metrics.push(m.into_owned());
                }
            }
        }
        None
    }

    fn none(self) -> NoSample {
        NoSample {
            rows: self.rows,
            missing: self.missing,
            metrics: self.metrics,
        }
    }
}

fn found(path: &Path, f: Found) -> Result<Stamp> {
    match f {
        Found::Sample(t) => Ok(t),
        Found::Error(e, with_text) => {
            let text = if with_text {
                line_of(path, e.row)
            } else {
                None
            };
            Err(row_error(path, e, text.as_deref()))
        }
    }
}

/// The time of the first sample, or else the number of data rows and of rows with a missing
/// value (an [N/A] in every row is not "no data row"). The lines are split as the pieces'
/// are; a quote left open or a line too long sends the search to the csv crate.
pub(super) fn origin_of(
    path: &Path,
    reader: &dyn Reader,
    has_header: bool,
) -> Result<std::result::Result<Stamp, NoSample>> {
    let mut search = Search::new(reader, has_header);
    let mut split = Splitter::new(reader.delimiter());
    let mut result = None;
    let fast = each_line(
        path,
        (0, u64::MAX),
        None,
        &mut 0,
        &mut split,
        |rec, line, block| {
            let rec = match rec {
                Split::Blank => return Ok(ControlFlow::Continue(())),
                Split::Fields(rec) => rec,
                Split::Irregular => return Err(Stop::ToCsv),
            };
            Ok(match search.record(&rec, line, block.ascii) {
                Some(f) => {
                    result = Some(f);
                    ControlFlow::Break(())
                }
                None => ControlFlow::Continue(()),
            })
        },
    );
    match fast {
        Ok(_) => match result {
            Some(f) => found(path, f).map(Ok),
            None => Ok(Err(search.none())),
        },
        // the file could not be read
        Err(Stop::Row(e)) => Err(file_error(path, e.message, "")),
        Err(Stop::ToCsv) => origin_of_csv(path, reader, has_header),
    }
}

/// [`origin_of`] through the csv crate, its lines bounded and its quotes followed across lines.
fn origin_of_csv(
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
    let mut search = Search::new(reader, has_header);
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let (row, message) = lines::csv_failure(&rdr, &e, "a CSV trace", 0);
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
        let row = lines::record_line(&rdr, &rec);
        if let Some(f) = search.record(&Record::of_csv(&rec, &mut spans), row, false) {
            return found(path, f).map(Ok);
        }
    }
    Ok(Err(search.none()))
}
