//! Measured power traces: read the files that power meters write, integrate the energy of each
//! device, and sum it per component (gpu, cpu, dram, node).
//!
//! A file is read in pieces (cut at line ends, more pieces than threads: an idle thread takes
//! the next one), in parallel, each piece streamed by a tokenizer into a per-device state of
//! fixed size ([`integrate::Device`]); the states are merged in file order, their sums exact, so
//! that the same file gives the same figures to the last digit however it is cut and on every
//! machine. Memory does not grow with the file: no line is read past 1 MiB
//! ([`lines::MAX_LINE_BYTES`]). Every problem found in a row is reported with its line number
//! (the header is line 1). Energies are in kWh (J / 3.6e6), power in W, times in s.
//!
//! This module holds the options, the summaries and the dispatch by format ([`read`]); the
//! parallel reading is in `read`, the per-device summary in `summary`, the formats in
//! [`formats`] (CodeCarbon, run totals rather than a series, in [`codecarbon`]), and the
//! training and quality logs in [`log`]. The core reports progress through a callback
//! ([`Progress`]); drawing it is the command line's concern.

pub mod boamps;
mod candidates;
pub mod carbontracker;
mod clip;
pub mod codecarbon;
mod dcgm;
mod devices;
pub mod eco2ai;
mod exact;
mod first;
mod first_delta;
pub mod formats;
mod hist;
pub mod integrate;
pub mod lines;
pub mod log;
pub mod options;
mod piece;
mod pool;
mod read;
#[cfg(test)]
mod reader_tests;
pub mod record;
pub mod runs;
mod scaphandre;
mod series;
mod summary;
#[cfg(test)]
mod tool_tests;

pub use log::{log_columns, read_log, training_log_window, LogRow, LogValue};
pub use options::{Field, Naming, SpecError, TraceSpec};
pub use runs::{RunKind, RunSelector, RunSummary};

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::interval::Interval;
use crate::quantity::time::{self, Stamp};
use crate::scenario::{GapPolicy, GenericComponent, GenericSpec, InputFormat};
use formats::Reader;
use integrate::{Gap, RowError, Signal};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A progress callback: called with (file, bytes read, file size in bytes) while a trace is
/// read, and with (file, size, size) when it is done.
#[derive(Clone)]
pub struct Progress(pub Arc<ProgressFn>);

/// The function of a [`Progress`]: (file, bytes read, file size).
pub type ProgressFn = dyn Fn(&Path, u64, u64) + Send + Sync;

impl Progress {
    pub fn new(f: impl Fn(&Path, u64, u64) + Send + Sync + 'static) -> Self {
        Progress(Arc::new(f))
    }
    pub fn report(&self, file: &Path, done: u64, total: u64) {
        (self.0)(file, done, total)
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Trace files opened by [`read`] since the program started (instrumentation: a plot must not
/// read a trace the assessment has read).
static READS: AtomicUsize = AtomicUsize::new(0);

/// How many trace files [`read`] has opened since the program started.
pub fn reads() -> usize {
    READS.load(Ordering::Relaxed)
}

/// How to read a trace.
#[derive(Clone, Debug)]
pub struct TraceOptions {
    pub format: Option<InputFormat>,
    pub start: Option<Stamp>,
    pub end: Option<Stamp>,
    /// The training log whose first and last times are `start` and `end`, to name it.
    pub window_from: Option<PathBuf>,
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
    /// Files of run totals (CodeCarbon, eco2ai, Carbontracker): the runs to take (all without).
    pub run: Option<RunSelector>,
    /// The sampling period of a trace that writes no times (`dcgmi dmon -d`), s.
    pub sample_interval_s: Option<f64>,
    pub threads: usize,
    /// The size of the pieces the file is cut into, bytes; by default about a quarter of a
    /// thread's share of the file, from 256 KiB to 8 MiB, so that idle threads take the next
    /// piece. The figures depend neither on it nor on `threads` (the sums
    /// are exact: [`integrate::ExactSum`]).
    pub piece_bytes: Option<u64>,
    /// Called with the bytes read while the file is read.
    pub progress: Option<Progress>,
    /// Times at which to report the cumulative energy (training steps), increasing.
    pub checkpoints: Option<Vec<Stamp>>,
    /// Even bins of power over the window (or the file's span without one), read in the same
    /// pass: the number of bins.
    pub power_bins: Option<usize>,
    /// Edges of bins in time (increasing; an intensity series' boundaries, in the trace's clock):
    /// the energy of the included devices in each bin is kept ([`TraceSummary::time_bins_j`]).
    pub time_bins: Option<Vec<Stamp>>,
    /// How the options are named in messages (a scenario's keys or the command line's flags).
    pub naming: Naming,
}

impl Default for TraceOptions {
    fn default() -> Self {
        TraceOptions {
            format: None,
            start: None,
            end: None,
            window_from: None,
            gap_threshold_s: None,
            gap_policy: GapPolicy::Interpolate,
            idle_power_w: None,
            idle_start: None,
            idle_end: None,
            generic: None,
            metric: None,
            rapl_max_energy_range_uj: None,
            columns: None,
            run: None,
            sample_interval_s: None,
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            piece_bytes: None,
            progress: None,
            checkpoints: None,
            power_bins: None,
            time_bins: None,
            naming: Naming::Scenario,
        }
    }
}

/// What a device of a trace is. The variants are in the order of their names, so that a map
/// keyed by them (`by_component`) lists them alphabetically, as the names did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TraceComponent {
    Cpu,
    Dram,
    Gpu,
    Node,
    Other,
    /// A rail of a board, inside its input.
    Rail,
}

impl TraceComponent {
    /// The name, as the reports write it.
    pub fn key(self) -> &'static str {
        match self {
            TraceComponent::Cpu => "cpu",
            TraceComponent::Dram => "dram",
            TraceComponent::Gpu => "gpu",
            TraceComponent::Node => "node",
            TraceComponent::Other => "other",
            TraceComponent::Rail => "rail",
        }
    }

    /// The kind of the energy per component of a report.
    pub fn kind(self) -> crate::data::component::ComponentKind {
        use crate::data::component::ComponentKind as K;
        match self {
            TraceComponent::Cpu => K::Cpu,
            TraceComponent::Dram => K::Dram,
            TraceComponent::Gpu => K::Gpu,
            TraceComponent::Node => K::Node,
            TraceComponent::Other => K::Other,
            TraceComponent::Rail => K::Rail,
        }
    }
}

impl From<GenericComponent> for TraceComponent {
    fn from(c: GenericComponent) -> Self {
        match c {
            GenericComponent::Gpu => TraceComponent::Gpu,
            GenericComponent::Cpu => TraceComponent::Cpu,
            GenericComponent::Dram => TraceComponent::Dram,
            GenericComponent::Node => TraceComponent::Node,
            GenericComponent::Other => TraceComponent::Other,
        }
    }
}

impl std::fmt::Display for TraceComponent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One device of a trace.
#[derive(Clone, Debug, Serialize)]
pub struct DeviceSummary {
    pub device: String,
    pub component: TraceComponent,
    pub name: Option<String>,
    pub signal: Signal,
    /// Counted in the totals; if not, `excluded_because` says why.
    pub included: bool,
    pub excluded_because: Option<String>,
    /// An estimate of a model (Alumet's `energy-estimation-tdp`), not a measurement.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimated: bool,
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
    /// Energy in each even power bin, J (with `power_bins`).
    #[serde(skip)]
    pub power_bins_j: Vec<f64>,
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
    pub by_component: BTreeMap<TraceComponent, Interval>,
    pub duration_s: f64,
    pub gap_policy: GapPolicy,
    pub gaps: usize,
    pub devices: Vec<DeviceSummary>,
    /// Files of run totals: every run of the file, counted or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunSummary>,
    /// Water the tracker reported for the counted runs (CodeCarbon's `water_consumed`), L.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub water_l: Option<f64>,
    /// The tracker's water usage effectiveness (CodeCarbon's `wue`), L/kWh, when the counted
    /// runs share one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wue_l_per_kwh: Option<f64>,
    /// The part of `energy_kwh` that a model estimated rather than a meter measured, kWh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_energy_kwh: Option<Interval>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    /// The width of the even power bins, s (with `power_bins`, when the trace has a span).
    #[serde(skip)]
    pub power_bin_s: Option<f64>,
    /// Energy of the included devices between consecutive edges of `time_bins`, J (empty
    /// without them, or for a format of run totals).
    #[serde(skip)]
    pub time_bins_j: Vec<f64>,
}

pub(crate) fn file_error(path: &Path, msg: impl Into<String>, hint: impl Into<String>) -> Error {
    Error::input(Diagnostic::new(msg).file(path).hint(hint))
}

pub(crate) fn row_error(path: &Path, e: RowError, text: Option<&str>) -> Error {
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
pub(crate) fn line_of(path: &Path, n: u64) -> Option<String> {
    lines::line_text(path, n.checked_sub(1).map(|_| n)?)
}

/// A time given by the user (`2025-03-02T14:00:00`, Unix seconds).
pub fn parse_time(s: &str, what: &str) -> Result<Stamp> {
    time::parse(s.as_bytes()).ok_or_else(|| {
        Error::input(Diagnostic::new(format!("cannot read \"{s}\" as a time ({what})")).hint("write 2025-03-02T14:00:00 (UTC with Z or an offset, else the trace's own clock), or Unix seconds"))
    })
}

/// Read a trace file and integrate it.
pub fn read(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    READS.fetch_add(1, Ordering::Relaxed);
    let size = std::fs::metadata(path)
        .map_err(|e| {
            file_error(
                path,
                format!("cannot read the trace: {e}"),
                "check the path (relative paths in a scenario are relative to the scenario file)",
            )
        })?
        .len();
    // JSON reports may be one line of any length: told from their first bytes, read whole
    let json = opts
        .format
        .or_else(|| detect_json(path))
        .filter(|f| formats::JSON_FORMATS.contains(f));
    if size == 0 && json.is_some() && std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return Err(file_error(
            path,
            "the trace file is empty",
            "give the file the tool wrote",
        ));
    }
    if let Some(f) = json {
        options_for_format(path, f, opts)?;
    }
    match json {
        Some(InputFormat::Scaphandre) => return series::read(path, &scaphandre::Scaphandre, opts),
        Some(InputFormat::Boamps) => return boamps::read_boamps(path, opts),
        _ => {}
    }
    // read, not the size: a device (/dev/zero) has size 0 and no end
    let head = match lines::first_line(path, "a CSV trace") {
        Err(e) => {
            return Err(file_error(
                path,
                format!("cannot read the trace: {e}"),
                "is it a text (CSV) file?",
            ))
        }
        Ok(Err(long)) => {
            let mut d = Diagnostic::new(long)
                .file(path)
                .hint("give the CSV file the power meter wrote, one sample per line");
            d.line = Some(1);
            return Err(Error::input(d));
        }
        Ok(Ok(None)) => {
            return Err(file_error(
                path,
                "the trace file is empty",
                "give the file the power meter wrote, with its header",
            ))
        }
        Ok(Ok(Some(h))) => h,
    };
    let head = head.trim_start_matches('\u{feff}').to_string();
    let format = match opts.format.or_else(|| detect_format(&head, opts)) {
        Some(f) => f,
        None => {
            let names = <InputFormat as crate::choice::Choice>::ALL
                .iter()
                .map(|f| f.key())
                .collect::<Vec<_>>()
                .join(", ");
            let hint = if head.contains(';') && !head.contains(',') {
                format!("the file is separated by ';': if it is Alumet's CSV, its header starts with metric;timestamp;value. Otherwise name the format with --input-format ({names})")
            } else {
                format!("name the format with --input-format ({names}); a generic CSV also needs its columns")
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
    options_for_format(path, format, opts)?;
    if let (Some(sel), false) = (&opts.run, runs_format(format)) {
        return Err(file_error(
            path,
            format!(
                "{sel} applies to files of run totals (CodeCarbon, Carbontracker, eco2ai) only: this trace is {}",
                format.key()
            ),
            "leave out the choice of runs, or name the format if the file is CodeCarbon's, Carbontracker's or eco2ai's",
        ));
    }
    match format {
        InputFormat::Codecarbon => return codecarbon::read_codecarbon(path, opts),
        InputFormat::Carbontracker => return carbontracker::read(path, opts),
        InputFormat::Eco2ai => return eco2ai::read(path, opts),
        _ => {}
    }
    if format == InputFormat::DcgmDmon {
        return series::read(path, &dcgm::Dmon::new(path, opts)?, opts);
    }
    let (reader, has_header) = build_reader(path, &head, format, opts)?;
    read::read_with(path, size, reader.as_ref(), has_header, opts)
}

/// Whether a format holds run totals (a choice of runs applies) rather than a series.
fn runs_format(format: InputFormat) -> bool {
    matches!(
        format,
        InputFormat::Codecarbon | InputFormat::Carbontracker | InputFormat::Eco2ai
    )
}

/// The options of one format (Kwollect's metric, dcgmi dmon's sampling period, which it needs
/// since it writes no times): given for another format they would be ignored, so they are
/// errors.
fn options_for_format(path: &Path, format: InputFormat, opts: &TraceOptions) -> Result<()> {
    let only = |field: options::Field, value: Option<String>, owner: InputFormat, tool: &str| {
        match value {
            Some(v) if format != owner => Err(file_error(
                path,
                format!(
                    "{} {v} applies to {tool} traces only: this trace is {}",
                    field.name(opts.naming),
                    format.key()
                ),
                format!(
                    "leave out {}, or name the format if the file is {tool}'s",
                    field.name(opts.naming)
                ),
            )),
            _ => Ok(()),
        }
    };
    only(
        options::Field::Metric,
        opts.metric.clone(),
        InputFormat::Kwollect,
        "Kwollect",
    )?;
    only(
        options::Field::SampleInterval,
        opts.sample_interval_s
            .map(crate::quantity::format::readable),
        InputFormat::DcgmDmon,
        "dcgmi dmon",
    )
}

fn detect_format(head: &str, opts: &TraceOptions) -> Option<InputFormat> {
    if opts.generic.is_some() {
        return Some(InputFormat::Generic);
    }
    formats::detect(head)
}

/// The bytes read from the start of a file to tell a JSON report's format.
const JSON_PREFIX_BYTES: u64 = 64 << 10;

/// The format of a JSON report (Scaphandre, BoAmps) from the first 64 KiB of the file, if it is
/// one.
fn detect_json(path: &Path) -> Option<InputFormat> {
    use std::io::Read;
    let mut prefix = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(JSON_PREFIX_BYTES)
        .read_to_end(&mut prefix)
        .ok()?;
    formats::detect_json(&prefix)
}

/// The format of a trace file as [`read`] detects it (JSON reports by their first bytes, the
/// others by their first line), if it can tell.
pub fn detect_file(path: &Path) -> Result<Option<InputFormat>> {
    if let Some(f) = detect_json(path) {
        return Ok(Some(f));
    }
    let head = match lines::first_line(path, "a CSV trace") {
        Ok(Ok(Some(h))) => h,
        Ok(_) => return Ok(None),
        Err(e) => return Err(file_error(path, format!("cannot read the trace: {e}"), "")),
    };
    Ok(formats::detect(head.trim_start_matches('\u{feff}')))
}

fn build_reader(
    path: &Path,
    head: &str,
    format: InputFormat,
    opts: &TraceOptions,
) -> Result<(Box<dyn Reader>, bool)> {
    if format == InputFormat::Perf {
        return perf_reader(path, head);
    }
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
        InputFormat::Codecarbon | InputFormat::Carbontracker | InputFormat::Eco2ai => {
            unreachable_codecarbon()?
        }
        InputFormat::Scaphandre | InputFormat::DcgmDmon | InputFormat::Boamps => not_csv(format)?,
        InputFormat::Perf => perf_reader(path, head)?.0,
        InputFormat::PowerJoular => Box::new(formats::PowerJoular::new(&cells).map_err(bad)?),
    };
    Ok((reader, has_header))
}

fn unreachable_codecarbon() -> Result<Box<dyn Reader>> {
    Err(Error::Internal(
        "files of run totals (CodeCarbon, Carbontracker, eco2ai) are read by their own readers"
            .into(),
    ))
}

/// perf's reader, from the layout of its first row; the `# started on` line of `perf stat -o`
/// is skipped as a header.
fn perf_reader(path: &Path, head: &str) -> Result<(Box<dyn Reader>, bool)> {
    let first = formats::perf::first_row(path)
        .map_err(|e| file_error(path, format!("cannot read the trace: {e}"), ""))?;
    let Some((line, text)) = first else {
        return Err(file_error(
            path,
            "perf: the file has no data row",
            "perf writes a row per interval and event once the first interval (-I) ends",
        ));
    };
    let reader = formats::Perf::new(&text, line).map_err(|e| row_error(path, e, Some(&text)))?;
    Ok((Box::new(reader), head.starts_with('#')))
}

/// The formats read in one pass ([`series`]) have no CSV reader.
fn not_csv(format: InputFormat) -> Result<Box<dyn Reader>> {
    Err(Error::Internal(format!(
        "{} files are read in one pass, not as CSV",
        format.key()
    )))
}

pub(crate) fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let mut d = Diagnostic::new(format!("cannot read the CSV: {e}"))
        .file(path)
        .hint("check the delimiter and the quotes");
    d.line = line.map(|l| l as usize);
    Error::input(d)
}
