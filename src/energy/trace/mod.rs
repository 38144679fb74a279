//! Measured power traces: read the files that power meters write, integrate the energy of each
//! device, and sum it per component (gpu, cpu, dram, node).
//!
//! A file is read in pieces, in parallel, each piece streamed through the csv crate into a
//! per-device state of fixed size ([`integrate::Device`]); the states are merged in file order.
//! Memory does not grow with the file. Every problem found in a row is reported with its line
//! number (the header is line 1).

pub mod formats;
pub mod integrate;

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::interval::Interval;
use crate::quantity::time::{self, Stamp};
use crate::quantity::units::J_PER_KWH;
use crate::scenario::{GapPolicy, GenericSpec, InputFormat};
use formats::{DeviceInfo, Raw, Reader, RowNotes};
use integrate::{Ctx, Device, Gap, Pt, RowError, Rows, Signal, Window};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// How to read a trace.
#[derive(Clone, Debug)]
pub struct TraceOptions {
    pub format: Option<InputFormat>,
    pub start: Option<Stamp>,
    pub end: Option<Stamp>,
    pub gap_threshold_s: Option<f64>,
    pub gap_policy: GapPolicy,
    /// Idle power of each device, W.
    pub idle_power_w: Option<f64>,
    /// An idle segment of the same trace, to measure each device's idle power.
    pub idle_start: Option<Stamp>,
    pub idle_end: Option<Stamp>,
    pub generic: Option<GenericSpec>,
    /// Kwollect: the metric to read (e.g. wattmetre_power_watt).
    pub metric: Option<String>,
    pub rapl_max_energy_range_uj: Option<f64>,
    /// Column names of a file without header (nvidia-smi `noheader`).
    pub columns: Option<Vec<String>>,
    pub threads: usize,
    pub progress: bool,
    /// Times at which to report the cumulative energy (training steps), increasing.
    pub checkpoints: Option<Vec<Stamp>>,
}

impl Default for TraceOptions {
    fn default() -> Self {
        TraceOptions {
            format: None,
            start: None,
            end: None,
            gap_threshold_s: None,
            gap_policy: GapPolicy::Interpolate,
            idle_power_w: None,
            idle_start: None,
            idle_end: None,
            generic: None,
            metric: None,
            rapl_max_energy_range_uj: None,
            columns: None,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            progress: false,
            checkpoints: None,
        }
    }
}

/// One device of a trace.
#[derive(Clone, Debug, Serialize)]
pub struct DeviceSummary {
    pub device: String,
    pub component: String,
    pub name: Option<String>,
    pub signal: Signal,
    /// Counted in the totals; if not, `excluded_because` says why.
    pub included: bool,
    pub excluded_because: Option<String>,
    pub energy_kwh: Interval,
    pub dynamic_energy_kwh: Option<Interval>,
    pub idle_power_w: Option<f64>,
    pub duration_s: f64,
    pub mean_power_w: f64,
    pub max_power_w: f64,
    pub samples: u64,
    pub median_interval_s: Option<f64>,
    pub gap_threshold_s: Option<f64>,
    pub gaps: Vec<Gap>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// Energy between consecutive checkpoints, J (with `checkpoints`).
    #[serde(skip)]
    pub bins_j: Vec<f64>,
}

/// A trace read and integrated.
#[derive(Clone, Debug, Serialize)]
pub struct TraceSummary {
    pub file: String,
    pub format: InputFormat,
    pub rows: u64,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    /// Total of the included devices, kWh.
    pub energy_kwh: Interval,
    /// Total minus idle power x duration, when an idle power is given or measured.
    pub dynamic_energy_kwh: Option<Interval>,
    pub by_component: BTreeMap<String, Interval>,
    pub duration_s: f64,
    pub gap_policy: GapPolicy,
    pub gaps: usize,
    pub devices: Vec<DeviceSummary>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
}

fn file_error(path: &Path, msg: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::input(Diagnostic::new(msg).file(path).hint(hint))
}

fn row_error(path: &Path, e: RowError, text: Option<&str>) -> Error {
    let mut d = Diagnostic::new(e.message).file(path);
    d.line = Some(e.row as usize);
    if let Some(t) = text {
        d.snippet = Some(t.to_string());
    }
    if let Some(h) = e.hint {
        d = d.hint(h);
    }
    Error::input(d)
}

/// The text of line `n` (1-based) of a file, for error messages.
fn line_of(path: &Path, n: u64) -> Option<String> {
    let f = std::fs::File::open(path).ok()?;
    BufReader::new(f)
        .lines()
        .nth(n.checked_sub(1)? as usize)?
        .ok()
        .map(|l| l.chars().take(160).collect())
}

/// A time given by the user (`2025-03-02T14:00:00`, Unix seconds).
pub fn parse_time(s: &str, what: &str) -> Result<Stamp> {
    time::parse(s.as_bytes()).ok_or_else(|| {
        Error::input(Diagnostic::new(format!("cannot read \"{s}\" as a time ({what})")).hint("write 2025-03-02T14:00:00 (UTC with Z or an offset, else the trace's own clock), or Unix seconds"))
    })
}

/// The first and last timestamps of a training log (a CSV with a `timestamp` or `time` column):
/// the window of the training in a longer trace.
pub fn training_log_window(path: &Path) -> Result<(Stamp, Stamp)> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| {
            file_error(
                path,
                format!("cannot read the training log: {e}"),
                "a CSV with a header holding a timestamp (or time) column",
            )
        })?;
    let headers = rdr.headers().map_err(|e| csv_error(path, e))?.clone();
    let col = headers
        .iter()
        .position(|h| h == "timestamp" || h == "time")
        .ok_or_else(|| {
            file_error(
                path,
                "the training log has no timestamp column",
                "name the column timestamp (or time): one row per logged step",
            )
        })?;
    let mut first: Option<Stamp> = None;
    let mut last: Option<Stamp> = None;
    for r in rdr.records() {
        let r = r.map_err(|e| csv_error(path, e))?;
        let row = r.position().map_or(0, |p| p.line());
        let f = r.get(col).unwrap_or("");
        let t = time::parse(f.as_bytes()).ok_or_else(|| {
            row_error(
                path,
                RowError {
                    row,
                    message: format!("cannot read \"{f}\" as a time"),
                    hint: None,
                },
                None,
            )
        })?;
        if let Some(l) = last {
            if t.since(l.secs) < l.frac {
                return Err(row_error(
                    path,
                    RowError {
                        row,
                        message: "timestamps out of order in the training log".into(),
                        hint: None,
                    },
                    None,
                ));
            }
        }
        first = first.or(Some(t));
        last = Some(t);
    }
    match (first, last) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(file_error(
            path,
            "the training log has no row",
            "log one row per step with its timestamp",
        )),
    }
}

/// Read a trace file and integrate it.
pub fn read(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    let size = std::fs::metadata(path)
        .map_err(|e| {
            file_error(
                path,
                format!("cannot read the trace: {e}"),
                "check the path (relative paths in a scenario are relative to the scenario file)",
            )
        })?
        .len();
    if size == 0 {
        return Err(file_error(
            path,
            "the trace file is empty",
            "give the file the power meter wrote, with its header",
        ));
    }
    let mut head = String::new();
    {
        let f = std::fs::File::open(path)
            .map_err(|e| file_error(path, format!("cannot read the trace: {e}"), ""))?;
        let mut r = BufReader::new(f);
        let mut first = String::new();
        r.read_line(&mut first).map_err(|e| {
            file_error(
                path,
                format!("cannot read the trace: {e}"),
                "is it a text (CSV) file?",
            )
        })?;
        head.push_str(first.trim_end_matches(['\n', '\r']));
    }
    let head = head.trim_start_matches('\u{feff}').to_string();
    let format = match opts.format.or_else(|| detect_format(&head, opts)) {
        Some(f) => f,
        None => {
            let hint = if head.contains(';') && !head.contains(',') {
                "the file is separated by ';': if it is Alumet's CSV, its header starts with metric;timestamp;value. Otherwise name the format with --input-format (nvidia-smi, rapl, alumet, codecarbon, jetson-stats, kwollect, generic)"
            } else {
                "name the format with --input-format (nvidia-smi, rapl, alumet, codecarbon, jetson-stats, kwollect, generic); a generic CSV also needs its columns"
            };
            return Err(file_error(
                path,
                format!(
                    "cannot tell the trace format from the header \"{}\"",
                    head.chars().take(100).collect::<String>()
                ),
                hint,
            ));
        }
    };
    if format == InputFormat::Codecarbon {
        return read_codecarbon(path, opts);
    }
    let (reader, has_header) = build_reader(path, &head, format, opts)?;
    read_with(path, size, reader.as_ref(), has_header, opts)
}

fn detect_format(head: &str, opts: &TraceOptions) -> Option<InputFormat> {
    if opts.generic.is_some() {
        return Some(InputFormat::Generic);
    }
    formats::detect(head)
}

fn build_reader(
    path: &Path,
    head: &str,
    format: InputFormat,
    opts: &TraceOptions,
) -> Result<(Box<dyn Reader>, bool)> {
    let delim = match format {
        InputFormat::Alumet if head.starts_with("metric;") || head.contains(';') => b';',
        InputFormat::Generic => opts
            .generic
            .as_ref()
            .and_then(|g| g.delimiter)
            .map_or(b',', |c| c as u8),
        _ => b',',
    };
    let cells = formats::header_cells(head, delim);
    if cells.len() == 1 {
        let other = [b';', b',', b'\t']
            .into_iter()
            .find(|&d| d != delim && head.contains(d as char));
        let hint = match other {
            Some(d) => format!("the header has one column with '{}' as delimiter, but contains '{}': is the delimiter wrong?", delim as char, d as char),
            None => "a trace needs a time column and a value column".to_string(),
        };
        return Err(file_error(
            path,
            format!("{}: the header has a single column", format.key()),
            hint,
        ));
    }
    let bad = |m: String| {
        file_error(
            path,
            m,
            "check the header; `mlca trace summary --help` lists what each format needs",
        )
    };
    let mut has_header = true;
    let reader: Box<dyn Reader> = match format {
        InputFormat::NvidiaSmi => {
            let headerless = time::parse(head.split(',').next().unwrap_or("").as_bytes()).is_some();
            if headerless {
                has_header = false;
                let names = opts.columns.clone().unwrap_or_else(|| {
                    vec!["timestamp".into(), "index".into(), "power.draw".into()]
                });
                let joined = names.join(",");
                Box::new(
                    formats::NvidiaSmi::new(
                        &formats::header_cells(&joined, b','),
                        opts.columns.is_none(),
                    )
                    .map_err(bad)?,
                )
            } else {
                Box::new(formats::NvidiaSmi::new(&cells, false).map_err(bad)?)
            }
        }
        InputFormat::Rapl => {
            Box::new(formats::Rapl::new(&cells, opts.rapl_max_energy_range_uj).map_err(bad)?)
        }
        InputFormat::Alumet => Box::new(formats::Alumet::new(&cells, delim).map_err(bad)?),
        InputFormat::JetsonStats => Box::new(formats::Jetson::new(&cells).map_err(bad)?),
        InputFormat::Kwollect => {
            Box::new(formats::Kwollect::new(&cells, opts.metric.clone()).map_err(bad)?)
        }
        InputFormat::Generic => {
            let spec = opts.generic.as_ref().ok_or_else(|| {
                file_error(
                    path,
                    "a generic CSV needs its columns",
                    "give time_column, time_format, value_column, unit, value_kind and component",
                )
            })?;
            let origin = None;
            Box::new(formats::Generic::new(&cells, spec, origin).map_err(bad)?)
        }
        InputFormat::Codecarbon => unreachable_codecarbon()?,
    };
    Ok((reader, has_header))
}

fn unreachable_codecarbon() -> Result<Box<dyn Reader>> {
    Err(Error::Internal(
        "CodeCarbon files are read as run totals".into(),
    ))
}

/// Byte offsets that cut `[from, size)` into `n` pieces at line ends.
fn split_points(path: &Path, from: u64, size: u64, n: usize) -> std::io::Result<Vec<u64>> {
    let mut cuts = vec![from];
    if n > 1 {
        let mut f = std::fs::File::open(path)?;
        let step = (size - from) / n as u64;
        let mut buf = vec![0u8; 64 * 1024];
        for k in 1..n as u64 {
            let mut pos = from + k * step;
            if pos <= *cuts.last().unwrap_or(&0) {
                continue;
            }
            f.seek(SeekFrom::Start(pos))?;
            loop {
                let got = f.read(&mut buf)?;
                if got == 0 {
                    pos = size;
                    break;
                }
                if let Some(i) = buf[..got].iter().position(|&c| c == b'\n') {
                    pos += i as u64 + 1;
                    break;
                }
                pos += got as u64;
            }
            if pos < size && pos > *cuts.last().unwrap_or(&0) {
                cuts.push(pos);
            }
        }
    }
    cuts.push(size);
    Ok(cuts)
}

struct Entry {
    key: [Vec<u8>; 4],
    device: Device,
    label: Option<String>,
    /// Line of first appearance, in this piece.
    first_row: u64,
}

#[derive(Default)]
struct Piece {
    entries: Vec<Entry>,
    lines: u64,
    records: u64,
    missing: Rows,
    skipped: BTreeMap<&'static str, Rows>,
}

fn origin_of(path: &Path, reader: &dyn Reader, has_header: bool) -> Result<Option<Stamp>> {
    let f = std::fs::File::open(path)
        .map_err(|e| file_error(path, format!("cannot read the trace: {e}"), ""))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(reader.delimiter())
        .from_reader(BufReader::new(f));
    let mut rec = csv::ByteRecord::new();
    let mut skip = has_header;
    let mut n = 0;
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| csv_error(path, e))?
    {
        if std::mem::take(&mut skip) {
            continue;
        }
        n += 1;
        if rec.len() != reader.width() {
            continue;
        }
        let mut notes = RowNotes::default();
        let row = rec.position().map_or(0, |p| p.line());
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
        if first.is_some() {
            return Ok(first);
        }
        if n > 10_000 {
            break;
        }
    }
    Ok(None)
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let mut d = Diagnostic::new(format!("cannot read the CSV: {e}"))
        .file(path)
        .hint("check the delimiter and the quotes");
    d.line = line.map(|l| l as usize);
    Error::input(d)
}

fn read_piece(
    path: &Path,
    range: (u64, u64),
    reader: &dyn Reader,
    has_header: bool,
    ctx: &Ctx,
    origin: i64,
    progress: &AtomicU64,
) -> std::result::Result<Piece, (RowError, u64)> {
    let io = |e: std::io::Error| {
        (
            RowError {
                row: 0,
                message: format!("cannot read the trace: {e}"),
                hint: None,
            },
            0,
        )
    };
    let mut f = std::fs::File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(range.0)).map_err(io)?;
    let input = BufReader::with_capacity(1 << 20, f.take(range.1 - range.0));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(reader.delimiter())
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let mut piece = Piece::default();
    let mut skip = has_header && range.0 == 0;
    let mut last_byte = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                return Err((
                    RowError {
                        row,
                        message: format!("cannot read the CSV: {e}"),
                        hint: Some("check the delimiter and the quotes".into()),
                    },
                    0,
                ));
            }
        }
        let pos = rec.position().map_or(0, |p| p.byte());
        if pos - last_byte > 1 << 20 {
            progress.fetch_add(pos - last_byte, Ordering::Relaxed);
            last_byte = pos;
        }
        if std::mem::take(&mut skip) {
            continue;
        }
        let row = rec.position().map_or(0, |p| p.line());
        piece.records += 1;
        if rec.len() != reader.width() {
            let hint = if rec.len() < reader.width() {
                "a truncated line (the last line of a log cut while it was written?) or a wrong delimiter"
            } else {
                "a wrong delimiter or an unquoted value holding the delimiter"
            };
            return Err((
                RowError {
                    row,
                    message: format!(
                        "row {row} has {} fields, the header has {}",
                        rec.len(),
                        reader.width()
                    ),
                    hint: Some(hint.into()),
                },
                0,
            ));
        }
        let mut notes = RowNotes::default();
        let entries = &mut piece.entries;
        reader
            .read(
                &rec,
                row,
                &mut |raw: Raw| {
                    let idx = match entries.iter().position(|e| {
                        e.key
                            .iter()
                            .zip(raw.key.iter())
                            .all(|(a, b)| a.as_slice() == *b)
                    }) {
                        Some(i) => i,
                        None => {
                            let info = reader.info(&raw.key);
                            let key_text = raw
                                .key
                                .iter()
                                .filter(|k| !k.is_empty())
                                .map(|k| String::from_utf8_lossy(k))
                                .collect::<Vec<_>>()
                                .join(" ");
                            entries.push(Entry {
                                key: raw.key.map(|k| k.to_vec()),
                                device: Device::new(key_text, info.signal, raw.wrap_j),
                                label: raw.label.map(|l| String::from_utf8_lossy(l).to_string()),
                                first_row: row,
                            });
                            entries.len() - 1
                        }
                    };
                    let dev = &mut entries[idx].device;
                    if raw.wrap_j.is_some() {
                        dev.wrap_j = raw.wrap_j;
                    }
                    dev.push(
                        Pt {
                            t: raw.t.since(origin),
                            v: raw.v,
                            row,
                        },
                        ctx,
                    )
                },
                &mut notes,
            )
            .map_err(|e| (e, 0))?;
        if notes.missing {
            piece.missing.add(row);
        }
        if let Some(why) = notes.skipped {
            piece.skipped.entry(why).or_default().add(row);
        }
    }
    progress.fetch_add(
        (range.1 - range.0).saturating_sub(last_byte),
        Ordering::Relaxed,
    );
    piece.lines = rdr.position().line().saturating_sub(1);
    Ok(piece)
}

fn read_with(
    path: &Path,
    size: u64,
    reader: &dyn Reader,
    has_header: bool,
    opts: &TraceOptions,
) -> Result<TraceSummary> {
    let origin_stamp = origin_of(path, reader, has_header)?.ok_or_else(|| {
        let what = if has_header { "the file has a header but no data row" } else { "the file has no data row" };
        file_error(path, format!("{}: {what}", reader.format().key()), "check that the trace was written (header only means the meter stopped before its first sample)")
    })?;
    let origin = origin_stamp.secs;
    let rel = |s: Option<Stamp>, dflt: f64| s.map_or(dflt, |s| s.since(origin));
    let window = Window {
        start: rel(opts.start, f64::NEG_INFINITY),
        end: rel(opts.end, f64::INFINITY),
    };
    if window.end <= window.start {
        return Err(file_error(
            path,
            "the window ends before it starts",
            "check start and end",
        ));
    }
    let idle = match (opts.idle_start, opts.idle_end) {
        (Some(a), Some(b)) => Some(Window {
            start: a.since(origin),
            end: b.since(origin),
        }),
        (None, None) => None,
        _ => {
            return Err(file_error(
                path,
                "an idle segment needs both idle_start and idle_end",
                "give both times, or idle_power_w",
            ))
        }
    };
    let checkpoints = opts
        .checkpoints
        .as_ref()
        .map(|c| c.iter().map(|s| s.since(origin)).collect::<Vec<f64>>());
    let ctx = Ctx {
        window,
        idle,
        candidate_s: opts.gap_threshold_s,
        checkpoints,
    };

    let pieces_n = if size > 8 << 20 {
        opts.threads.max(1)
    } else {
        1
    };
    let cuts = split_points(path, 0, size, pieces_n)
        .map_err(|e| file_error(path, format!("cannot read the trace: {e}"), ""))?;
    let progress = AtomicU64::new(0);
    let bar = if opts.progress && size > 32 << 20 {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(size),
            indicatif::ProgressDrawTarget::stderr(),
        );
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.set_message(format!("reading {}", path.display()));
        Some(b)
    } else {
        None
    };
    let results: Vec<std::result::Result<Piece, (RowError, u64)>> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                let ctx = &ctx;
                let progress = &progress;
                s.spawn(move || read_piece(path, (a, b), reader, has_header, ctx, origin, progress))
            })
            .collect();
        let mut done = false;
        while !done {
            done = handles.iter().all(|h| h.is_finished());
            if let Some(b) = &bar {
                b.set_position(progress.load(Ordering::Relaxed));
            }
            if !done {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        }
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err((
                        RowError {
                            row: 0,
                            message: "a reader thread failed".into(),
                            hint: None,
                        },
                        0,
                    ))
                })
            })
            .collect()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    // Merge in file order, turning each piece's lines into the file's.
    let mut offset = 0u64;
    let mut merged: Vec<(Entry, u64)> = Vec::new();
    let mut rows = 0u64;
    let mut missing = Rows::default();
    let mut skipped: BTreeMap<&'static str, Rows> = BTreeMap::new();
    for r in results {
        let mut piece = match r {
            Ok(p) => p,
            Err((mut e, _)) => {
                e.row += offset;
                let text = line_of(path, e.row);
                return Err(row_error(path, e, text.as_deref()));
            }
        };
        rows += piece.records;
        piece.missing.shift(offset);
        missing.merge(&piece.missing);
        for (k, mut v) in std::mem::take(&mut piece.skipped) {
            v.shift(offset);
            skipped.entry(k).or_default().merge(&v);
        }
        for mut e in piece.entries {
            e.device.shift_rows(offset);
            let first_row = e.first_row + offset;
            match merged.iter_mut().find(|(m, _)| m.key == e.key) {
                Some((m, _)) => {
                    m.device.merge(e.device, &ctx).map_err(|err| {
                        let text = line_of(path, err.row);
                        row_error(path, err, text.as_deref())
                    })?;
                    if m.label.is_none() {
                        m.label = e.label;
                    }
                }
                None => merged.push((e, first_row)),
            }
        }
        offset += piece.lines;
    }
    if merged.is_empty() {
        return Err(file_error(
            path,
            format!(
                "{}: no power or energy sample in the file ({rows} rows)",
                reader.format().key()
            ),
            "check the format and, for Kwollect, the metric",
        ));
    }
    merged.sort_by_key(|(_, r)| *r);
    let entries: Vec<(Entry, DeviceInfo)> = merged
        .into_iter()
        .map(|(e, _)| {
            let k: [&[u8]; 4] = [&e.key[0], &e.key[1], &e.key[2], &e.key[3]];
            let info = reader.info(&k);
            (e, info)
        })
        .collect();
    finish(
        path,
        reader.format(),
        entries,
        rows,
        missing,
        skipped,
        reader.assumptions(),
        opts,
        &ctx,
        origin,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    path: &Path,
    format: InputFormat,
    mut entries: Vec<(Entry, DeviceInfo)>,
    rows: u64,
    missing: Rows,
    skipped: BTreeMap<&'static str, Rows>,
    mut assumptions: Vec<String>,
    opts: &TraceOptions,
    ctx: &Ctx,
    origin: i64,
) -> Result<TraceSummary> {
    let mut warnings = Vec::new();
    // Alumet: a GPU's power series beside its energy counter would count it twice.
    let energy_groups: Vec<String> = entries
        .iter()
        .filter(|(_, i)| i.signal != Signal::Power && !i.group.is_empty())
        .map(|(_, i)| i.group.clone())
        .collect();
    for (_, info) in entries.iter_mut() {
        if info.signal == Signal::Power
            && info.excluded.is_none()
            && energy_groups.contains(&info.group)
            && format == InputFormat::Alumet
        {
            info.excluded = Some(
                "a power series of a device whose energy is also reported: the energy is used"
                    .into(),
            );
        }
    }
    // Jetson through Alumet: rails are left out only where the input rail is there.
    if format == InputFormat::Alumet
        && !entries
            .iter()
            .any(|(_, i)| i.component == "node" && i.excluded.is_none())
    {
        for (_, info) in entries.iter_mut() {
            if info.component == "rail" {
                info.excluded = None;
            }
        }
    }
    // Kwollect: two power metrics of one node must not both be added.
    if format == InputFormat::Kwollect && opts.metric.is_none() {
        let mut per: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (e, i) in &entries {
            per.entry(i.group.as_str())
                .or_default()
                .push(String::from_utf8_lossy(&e.key[1]).to_string());
        }
        if let Some((dev, metrics)) = per.iter().find(|(_, m)| m.len() > 1) {
            return Err(file_error(
                path,
                format!("kwollect: node {dev} has {} power metrics ({}); adding them would count its power twice", metrics.len(), metrics.join(", ")),
                "choose one with `metric` (e.g. wattmetre_power_watt for the external wattmeter)",
            ));
        }
    }

    let mut devices = Vec::new();
    let mut total = Interval::ZERO;
    let mut dynamic_total = Interval::ZERO;
    let mut any_dynamic = false;
    let mut by_component: BTreeMap<String, Interval> = BTreeMap::new();
    let mut duration = 0.0f64;
    let mut n_gaps = 0;
    for (e, info) in &entries {
        let d = &e.device;
        let fin = d.finish(opts.gap_threshold_s, opts.gap_policy);
        let covered = d.acc.covered_s;
        let energy_j = fin.energy_j;
        let energy_kwh = energy_j.scale(1.0 / J_PER_KWH);
        let mean = if covered > 0.0 {
            energy_j.value / covered
        } else {
            0.0
        };
        let max = if d.acc.max_w.is_finite() {
            d.acc.max_w
        } else {
            mean
        };
        let included = info.excluded.is_none();
        let idle_w = match (opts.idle_power_w, ctx.idle) {
            (Some(w), _) => Some(w),
            (None, Some(_)) => {
                if d.acc.idle_s <= 0.0 {
                    if included {
                        return Err(file_error(
                            path,
                            format!("device \"{}\" has no sample in the idle segment", d.key),
                            "check idle_start and idle_end against the trace's times",
                        ));
                    }
                    None
                } else {
                    Some(d.acc.idle_energy_j / d.acc.idle_s)
                }
            }
            (None, None) => None,
        };
        let dynamic = idle_w.map(|w| {
            let idle_j = w * covered;
            let dj = energy_j.map_monotone(move |x| (x - idle_j).max(0.0));
            if energy_j.value - idle_j < 0.0 {
                warnings.push(format!("device \"{}\": idle power {w:.3} W x {covered:.1} s exceeds its energy; dynamic energy set to 0", d.key));
            }
            dj.scale(1.0 / J_PER_KWH)
        });
        if covered <= 0.0 && included {
            warnings.push(format!(
                "device \"{}\" has no interval inside the window",
                d.key
            ));
        }
        if !fin.gaps.is_empty() {
            n_gaps += fin.gaps.len();
            let rows: Vec<String> = fin
                .gaps
                .iter()
                .take(5)
                .map(|g| format!("{:.1} s before row {}", g.duration_s, g.row))
                .collect();
            let more = if fin.gaps.len() > 5 { ", ..." } else { "" };
            let how = match (d.signal, opts.gap_policy) {
                (Signal::Power, p) => format!("policy {}", p.key()),
                _ => "the counter covers them".into(),
            };
            warnings.push(format!(
                "device \"{}\": {} gap(s) longer than {:.3} s ({}{more}); {how}",
                d.key,
                fin.gaps.len(),
                fin.threshold_s,
                rows.join(", ")
            ));
        }
        if d.acc.duplicates.count > 0 {
            warnings.push(format!(
                "device \"{}\": duplicate timestamp(s) skipped: {}",
                d.key,
                d.acc.duplicates.describe()
            ));
        }
        if d.acc.wraps.count > 0 {
            assumptions.push(format!(
                "device \"{}\": counter wrapped at its range and was unwrapped: {}",
                d.key,
                d.acc.wraps.describe()
            ));
        }
        if d.acc.candidates_dropped > 0 {
            warnings.push(format!("device \"{}\": more than 100,000 long intervals; only the first are listed as gaps", d.key));
        }
        if let Some(why) = &info.excluded {
            warnings.push(format!(
                "device \"{}\" ({}) not added to the totals: {why}",
                d.key, info.component
            ));
        }
        if included {
            total = total + energy_kwh;
            *by_component
                .entry(info.component.clone())
                .or_insert(Interval::ZERO) = by_component
                .get(&info.component)
                .copied()
                .unwrap_or(Interval::ZERO)
                + energy_kwh;
            duration = duration.max(covered);
            if let Some(dy) = dynamic {
                dynamic_total = dynamic_total + dy;
                any_dynamic = true;
            }
        }
        let stamp_of = |t: Option<f64>| t.map(|t| time::format(origin as f64 + t));
        let first_in = d.first.map(|p| p.t.max(ctx.window.start));
        let last_in = d.last.map(|p| p.t.min(ctx.window.end));
        devices.push(DeviceSummary {
            device: d.key.clone(),
            component: info.component.clone(),
            name: e.label.clone(),
            signal: d.signal,
            included,
            excluded_because: info.excluded.clone(),
            energy_kwh,
            dynamic_energy_kwh: dynamic,
            idle_power_w: idle_w,
            duration_s: covered,
            mean_power_w: mean,
            max_power_w: max,
            samples: d.acc.samples,
            median_interval_s: fin.median_interval_s,
            gap_threshold_s: fin.threshold_s.is_finite().then_some(fin.threshold_s),
            gaps: fin.gaps,
            start: stamp_of(first_in),
            end: stamp_of(last_in),
            bins_j: d.acc.bins_j.clone(),
        });
    }
    if missing.count > 0 {
        warnings.push(format!(
            "{} row(s) with a missing value ([N/A], [Not Supported], OFF or empty) not used: {}",
            missing.count,
            missing.describe()
        ));
    }
    for (why, r) in &skipped {
        assumptions.push(format!("{} row(s) skipped: {why}", r.count));
    }
    if total.value == 0.0 && !devices.iter().any(|d| d.included) {
        return Err(file_error(
            path,
            "no device of the trace counts in the totals",
            "see the devices listed by `mlca trace summary`",
        ));
    }
    Ok(TraceSummary {
        file: path.display().to_string(),
        format,
        rows,
        window_start: opts.start.map(|s| time::format(s.secs as f64 + s.frac)),
        window_end: opts.end.map(|s| time::format(s.secs as f64 + s.frac)),
        energy_kwh: total,
        dynamic_energy_kwh: any_dynamic.then_some(dynamic_total),
        by_component,
        duration_s: duration,
        gap_policy: opts.gap_policy,
        gaps: n_gaps,
        devices,
        assumptions,
        warnings,
    })
}

// ---------------------------------------------------------------- CodeCarbon

/// CodeCarbon `emissions.csv`: rows of one `run_id` are cumulative (one per `flush()` and a last
/// one at `stop()`): the row with the longest duration is the run's total. Energies are in kWh
/// and already include the PUE the tracker was given: mlca divides it out (column `pue`).
fn read_codecarbon(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    if opts.start.is_some() || opts.end.is_some() || opts.idle_start.is_some() {
        return Err(file_error(path, "a CodeCarbon file holds run totals, not a time series: no window or idle segment applies", "remove start, end, idle_start and idle_end (idle_power_w may stay)"));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let headers = rdr.headers().map_err(|e| csv_error(path, e))?.clone();
    let h = |n: &str| headers.iter().position(|c| c.trim() == n);
    let need = |n: &str| {
        h(n).ok_or_else(|| {
            file_error(
                path,
                format!("codecarbon: no column \"{n}\""),
                "emissions.csv from CodeCarbon has run_id, duration and energy_consumed",
            )
        })
    };
    let run = need("run_id")?;
    let dur = need("duration")?;
    let total = need("energy_consumed")?;
    let parts = [
        ("cpu", h("cpu_energy")),
        ("gpu", h("gpu_energy")),
        ("dram", h("ram_energy")),
    ];
    let pue_col = h("pue");
    let gpu_model = h("gpu_model");
    let mut assumptions = vec!["codecarbon: rows of one run_id are cumulative; the row with the longest duration is the run".to_string()];
    if pue_col.is_none() {
        assumptions.push(
            "codecarbon: no pue column (an older version): energies taken as IT energy (PUE 1)"
                .into(),
        );
    } else {
        assumptions.push("codecarbon: energies include the tracker's PUE; divided by its pue column to give IT energy".into());
    }
    // run -> (duration, row, record, rows seen)
    let mut runs: Vec<(String, f64, u64, csv::StringRecord, u64)> = Vec::new();
    let mut rows = 0;
    for r in rdr.records() {
        let rec = r.map_err(|e| {
            let mut d = Diagnostic::new(format!("cannot read the CSV: {e}"))
                .file(path)
                .hint("a truncated line, or a row with more or fewer fields than the header");
            d.line = e.position().map(|p| p.line() as usize);
            Error::input(d)
        })?;
        rows += 1;
        let row = rec.position().map_or(0, |p| p.line());
        let parse = |i: usize, c: &str| -> Result<f64> {
            rec.get(i).unwrap_or("").trim().parse::<f64>().map_err(|_| {
                row_error(
                    path,
                    RowError {
                        row,
                        message: format!(
                            "cannot read \"{}\" as a number in column \"{c}\"",
                            rec.get(i).unwrap_or("")
                        ),
                        hint: None,
                    },
                    rec.as_slice().get(..160),
                )
            })
        };
        let d = parse(dur, "duration")?;
        let id = rec.get(run).unwrap_or("").to_string();
        match runs.iter_mut().find(|r| r.0 == id) {
            Some(r) => {
                r.4 += 1;
                if d >= r.1 {
                    r.1 = d;
                    r.2 = row;
                    r.3 = rec.clone();
                }
            }
            None => runs.push((id, d, row, rec.clone(), 1)),
        }
    }
    if runs.is_empty() {
        return Err(file_error(
            path,
            "codecarbon: the file has a header but no row",
            "check that the tracker was stopped or flushed",
        ));
    }
    let mut devices = Vec::new();
    let mut by_component: BTreeMap<String, Interval> = BTreeMap::new();
    let mut total_kwh = Interval::ZERO;
    let mut dyn_kwh = Interval::ZERO;
    let mut duration = 0.0f64;
    for (id, d, row, rec, n) in &runs {
        let get = |i: usize, c: &str| -> Result<f64> {
            rec.get(i).unwrap_or("").trim().parse::<f64>().map_err(|_| {
                row_error(
                    path,
                    RowError {
                        row: *row,
                        message: format!(
                            "cannot read \"{}\" as a number in column \"{c}\"",
                            rec.get(i).unwrap_or("")
                        ),
                        hint: None,
                    },
                    None,
                )
            })
        };
        let pue = match pue_col {
            Some(i) => get(i, "pue")?,
            None => 1.0,
        };
        if pue < 1.0 {
            return Err(row_error(
                path,
                RowError {
                    row: *row,
                    message: format!("pue {pue} is below 1"),
                    hint: None,
                },
                None,
            ));
        }
        let short: String = id.chars().take(8).collect();
        let mut split: Vec<(&str, f64)> = Vec::new();
        for (comp, col) in parts {
            if let Some(i) = col {
                split.push((comp, get(i, comp)? / pue));
            }
        }
        if split.is_empty() {
            split.push(("node", get(total, "energy_consumed")? / pue));
        }
        for (comp, kwh) in split {
            let e = Interval::exact(kwh);
            let dyn_e = opts
                .idle_power_w
                .map(|w| Interval::exact((kwh - w * d / J_PER_KWH).max(0.0)));
            total_kwh = total_kwh + e;
            if let Some(x) = dyn_e {
                dyn_kwh = dyn_kwh + x;
            }
            *by_component
                .entry(comp.to_string())
                .or_insert(Interval::ZERO) =
                by_component.get(comp).copied().unwrap_or(Interval::ZERO) + e;
            devices.push(DeviceSummary {
                device: format!("{comp} (run {short})"),
                component: comp.to_string(),
                name: if comp == "gpu" {
                    gpu_model.and_then(|i| rec.get(i)).map(str::to_string)
                } else {
                    None
                },
                signal: Signal::Counter,
                included: true,
                excluded_because: None,
                energy_kwh: e,
                dynamic_energy_kwh: dyn_e,
                idle_power_w: opts.idle_power_w,
                duration_s: *d,
                mean_power_w: if *d > 0.0 { kwh * J_PER_KWH / d } else { 0.0 },
                max_power_w: if *d > 0.0 { kwh * J_PER_KWH / d } else { 0.0 },
                samples: *n,
                median_interval_s: None,
                gap_threshold_s: None,
                gaps: vec![],
                start: None,
                end: None,
                bins_j: Vec::new(),
            });
        }
        duration = duration.max(*d);
    }
    let mut warnings = Vec::new();
    if runs.len() > 1 {
        warnings.push(format!(
            "codecarbon: {} runs in the file; their energies are added",
            runs.len()
        ));
    }
    Ok(TraceSummary {
        file: path.display().to_string(),
        format: InputFormat::Codecarbon,
        rows,
        window_start: None,
        window_end: None,
        energy_kwh: total_kwh,
        dynamic_energy_kwh: opts.idle_power_w.map(|_| dyn_kwh),
        by_component,
        duration_s: duration,
        gap_policy: opts.gap_policy,
        gaps: 0,
        devices,
        assumptions,
        warnings,
    })
}
