//! The formats read in one pass, in file order, rather than in parallel pieces of CSV:
//! Scaphandre's JSON reports and `dcgmi dmon`'s text table (whose times come from each sample's
//! place in the file). A [`Sequential`] reader calls back with each sample; the samples go
//! through the same per-device integration as the CSV formats (window, idle segment, gaps,
//! checkpoints, power bins) and the same summary. The file is read once: its samples are kept
//! until its devices and its first and last times (the origin, and the span of the power bins)
//! are known, then integrated.

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

thread_local! {
    /// Passes over a file made by [`read`] on this thread (each pass opens and reads the file).
    static PASSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many passes over a file [`read`] has made on this thread (instrumentation: a file of a
/// sequential format is read once).
#[cfg(test)]
pub(super) fn passes() -> usize {
    PASSES.with(std::cell::Cell::get)
}

/// A sample kept from the pass: its device (its place in the list of devices), time, value and
/// line.
struct Kept {
    device: usize,
    t: Stamp,
    v: f64,
    line: u64,
}

/// Read and integrate a file of a sequential format, in one pass: the samples are kept (32
/// bytes each; these formats write one sample per device and second, or less) until the file's
/// devices and its first and last times are known (the origin, the span of the power bins and
/// what each device is depend on them), then integrated in file order.
pub(super) fn read(
    path: &Path,
    reader: &dyn Sequential,
    opts: &TraceOptions,
) -> Result<TraceSummary> {
    let mut names: Vec<String> = Vec::new();
    let mut kept: Vec<Kept> = Vec::new();
    let mut last: Option<Stamp> = None;
    let mut notes = Notes::default();
    PASSES.with(|p| p.set(p.get() + 1));
    reader.each(
        path,
        &mut |s| {
            // the device after the last sample's first: devices come in the same order
            let next = kept.last().map_or(0, |k| k.device + 1);
            let device = match names.get(next) {
                Some(n) if n == s.device => next,
                _ => match names.iter().position(|n| n == s.device) {
                    Some(i) => i,
                    None => {
                        names.push(s.device.to_string());
                        names.len() - 1
                    }
                },
            };
            if last.is_none_or(|l| later(s.t, l)) {
                last = Some(s.t);
            }
            kept.push(Kept {
                device,
                t: s.t,
                v: s.v,
                line: s.line,
            });
            Ok(())
        },
        &mut notes,
    )?;
    let key = reader.format().key();
    let Some(origin_stamp) = kept.first().map(|k| k.t) else {
        let (message, hint) = if notes.records == 0 {
            (
                format!("{key}: the file has no sample"),
                "check that the tool ran long enough to write one",
            )
        } else if notes.missing.count == notes.records {
            (
                format!(
                    "{key}: every value is missing ({} record(s))",
                    notes.records
                ),
                "the tool could not read the power of these devices: measure it another way",
            )
        } else {
            (
                format!(
                    "{key}: no power or energy sample in the file ({} record(s))",
                    notes.records
                ),
                "check the format and the fields the tool was asked for",
            )
        };
        return Err(file_error(path, message, hint));
    };
    let (ctx, bins) = context(path, opts, origin_stamp, &mut || Ok(last))?;
    let origin = origin_stamp.secs;
    let infos: Vec<DeviceInfo> = names.iter().map(|n| reader.info(n, &names)).collect();
    let mut entries: Vec<Option<Entry>> = names.iter().map(|_| None).collect();
    for s in kept {
        let entry = entries[s.device].get_or_insert_with(|| {
            let name = &names[s.device];
            Entry::new(
                [name.as_bytes().to_vec(), Vec::new(), Vec::new(), Vec::new()],
                Device::new(name.clone(), infos[s.device].signal, None),
                None,
                s.line,
            )
        });
        entry
            .device
            .push(
                Pt {
                    t: s.t.since(origin),
                    v: s.v,
                    row: s.line,
                },
                &ctx,
            )
            .map_err(|e| at_line(path, e))?;
    }
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
