//! The formats read in one pass, in file order, rather than in parallel pieces of CSV:
//! Scaphandre's JSON reports and `dcgmi dmon`'s text table (whose times come from each sample's
//! place in the file). A [`Sequential`] reader calls back with each sample; the samples go
//! through the same per-device integration as the CSV formats (window, idle segment, gaps,
//! checkpoints, power bins) and the same summary. The file is read twice, in bounded memory:
//! once for its devices and its first and last times (the origin, and the span of the power
//! bins), once to integrate.

use super::formats::DeviceInfo;
use super::integrate::{Device, Pt, RowError, Rows};
use super::read::{context, Entry};
use super::summary::finish;
use super::{file_error, line_of, row_error, TraceOptions, TraceSummary};
use crate::error::Result;
use crate::quantity::time::Stamp;
use crate::scenario::InputFormat;
use std::collections::BTreeMap;
use std::path::Path;

/// One sample: its device, its time, its value (W for power; J for counters and deltas) and
/// the line of the file it comes from.
pub(super) struct Sample<'a> {
    pub device: &'a str,
    pub t: Stamp,
    pub v: f64,
    pub line: u64,
}

/// What a pass over a file counted besides its samples.
#[derive(Default)]
pub(super) struct Notes {
    /// Records read (reports, table rows).
    pub records: u64,
    /// Records with a missing value.
    pub missing: Rows,
    /// Records skipped, by reason.
    pub skipped: BTreeMap<&'static str, Rows>,
}

/// A format read in one pass.
pub(super) trait Sequential {
    fn format(&self) -> InputFormat;
    /// Every sample of the file, in file order; a record that cannot be read, or a sample
    /// `emit` refuses, is an error at its line ([`at_line`]).
    fn each(
        &self,
        path: &Path,
        emit: &mut dyn FnMut(Sample) -> std::result::Result<(), RowError>,
        notes: &mut Notes,
    ) -> Result<()>;
    /// What device `device` is, knowing every device of the file (`all`, in order of first
    /// appearance).
    fn info(&self, device: &str, all: &[String]) -> DeviceInfo;
    /// Notes on how the format is read (shown in the summary).
    fn assumptions(&self) -> Vec<String>;
}

/// Whether `a` is later than `b`.
fn later(a: Stamp, b: Stamp) -> bool {
    a.since(b.secs) > b.frac
}

/// Read and integrate a file of a sequential format.
pub(super) fn read(
    path: &Path,
    reader: &dyn Sequential,
    opts: &TraceOptions,
) -> Result<TraceSummary> {
    // pass 1: the devices, the first and the last time
    let mut names: Vec<String> = Vec::new();
    let mut first: Option<Stamp> = None;
    let mut last: Option<Stamp> = None;
    let mut scan = Notes::default();
    reader.each(
        path,
        &mut |s| {
            if !names.iter().any(|n| n == s.device) {
                names.push(s.device.to_string());
            }
            first.get_or_insert(s.t);
            if last.is_none_or(|l| later(s.t, l)) {
                last = Some(s.t);
            }
            Ok(())
        },
        &mut scan,
    )?;
    let key = reader.format().key();
    let Some(origin_stamp) = first else {
        let (message, hint) = if scan.records == 0 {
            (
                format!("{key}: the file has no sample"),
                "check that the tool ran long enough to write one",
            )
        } else if scan.missing.count == scan.records {
            (
                format!("{key}: every value is missing ({} record(s))", scan.records),
                "the tool could not read the power of these devices: measure it another way",
            )
        } else {
            (
                format!(
                    "{key}: no power or energy sample in the file ({} record(s))",
                    scan.records
                ),
                "check the format and the fields the tool was asked for",
            )
        };
        return Err(file_error(path, message, hint));
    };
    let (ctx, bins) = context(path, opts, origin_stamp, &mut || Ok(last))?;
    let origin = origin_stamp.secs;
    let infos: Vec<DeviceInfo> = names.iter().map(|n| reader.info(n, &names)).collect();
    // pass 2: integrate
    let mut entries: Vec<Option<Entry>> = names.iter().map(|_| None).collect();
    let mut notes = Notes::default();
    reader.each(
        path,
        &mut |s| {
            let i = names
                .iter()
                .position(|n| n == s.device)
                .ok_or_else(|| RowError {
                    row: s.line,
                    message: format!(
                        "device \"{}\" appeared on the second reading only",
                        s.device
                    ),
                    hint: Some("the file changed while it was read".into()),
                })?;
            let entry = entries[i].get_or_insert_with(|| {
                Entry::new(
                    [
                        s.device.as_bytes().to_vec(),
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                    ],
                    Device::new(s.device.to_string(), infos[i].signal, None),
                    None,
                    s.line,
                )
            });
            entry.device.push(
                Pt {
                    t: s.t.since(origin),
                    v: s.v,
                    row: s.line,
                },
                &ctx,
            )
        },
        &mut notes,
    )?;
    let entries: Vec<(Entry, DeviceInfo)> = entries
        .into_iter()
        .zip(infos)
        .filter_map(|(e, i)| e.map(|e| (e, i)))
        .collect();
    finish(
        path,
        reader.format(),
        entries,
        notes.records,
        notes.missing,
        notes.skipped,
        reader.assumptions(),
        opts,
        &ctx,
        origin,
        &bins,
    )
}

/// A row error of a sequential reader, located at its line with the line's text.
pub(super) fn at_line(path: &Path, e: RowError) -> crate::error::Error {
    let text = line_of(path, e.row);
    row_error(path, e, text.as_deref())
}

/// A JSON file that cannot be read (`what`: "Scaphandre's JSON", ...): the line and column of
/// serde_json's error, and what the error means for a file a tool wrote.
pub(super) fn json_error(path: &Path, e: &serde_json::Error, what: &str) -> crate::error::Error {
    use serde_json::error::Category;
    let (message, hint) = match e.classify() {
        Category::Eof => (
            format!("{what} ends in the middle of a value"),
            "a truncated file: the tool stopped (or was killed) before it closed its JSON",
        ),
        Category::Syntax => (
            format!("{what} is not valid JSON: {}", bare(e)),
            "give the file the tool wrote, unmodified",
        ),
        Category::Data => (
            format!("{what}: {}", bare(e)),
            "a field has the wrong type or is missing: check the tool and its version",
        ),
        Category::Io => (format!("cannot read {what}: {}", bare(e)), "check the file"),
    };
    let mut d = crate::error::Diagnostic::new(message).file(path).hint(hint);
    if e.line() > 0 {
        d.line = Some(e.line());
        d.column = Some(e.column());
        // a caret under a column far into a long line would point at nothing shown
        if e.column() <= 160 {
            d.snippet = line_of(path, e.line() as u64);
        }
    }
    crate::error::Error::input(d)
}

/// serde_json's message without its location (the diagnostic shows it) and in the file's
/// terms, not Rust's: `expected f64` is `expected a number`.
fn bare(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let s = match s.rfind(" at line ") {
        Some(i) => &s[..i],
        None => &s,
    };
    let Some(i) = s.find("expected ") else {
        return s.to_string();
    };
    let (head, what) = s.split_at(i + "expected ".len());
    let plain = match what {
        "f32" | "f64" => "a number",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, zero or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "a sequence" => "a list",
        w if w.starts_with("struct ") => "an object",
        w => w,
    };
    format!("{head}{plain}")
}
