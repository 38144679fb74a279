//! Measured power traces: read the files that power meters write, integrate the energy of each
//! device, and sum it per component (gpu, cpu, dram, node).
//!
//! A file is read in pieces of a fixed size (8 MiB, cut at line ends: never a function of the
//! number of threads, so the same file gives the same figures to the last digit on every
//! machine), in parallel, each piece streamed through the csv crate into a per-device state of
//! fixed size ([`integrate::Device`]); the states are merged in file order. Memory does not grow
//! with the file: no line is read past 1 MiB ([`lines::MAX_LINE_BYTES`]). Every problem found in a row is reported with its line
//! number (the header is line 1). Energies are in kWh (J / 3.6e6), power in W, times in s.
//!
//! This module holds the options, the summaries and the dispatch by format ([`read`]); the
//! parallel reading is in `read`, the per-device summary in `summary`, the formats in
//! [`formats`] (CodeCarbon, run totals rather than a series, in [`codecarbon`]), and the
//! training and quality logs in [`log`]. The core reports progress through a callback
//! ([`Progress`]); drawing it is the command line's concern.

pub mod codecarbon;
mod first;
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
mod summary;

pub use log::{log_columns, read_log, training_log_window, LogRow, LogValue};
pub use options::{Field, Naming, SpecError, TraceSpec};

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
    pub threads: usize,
    /// The size of the pieces the file is cut into, bytes (8 MiB by default; smaller in
    /// tests). The figures depend on it, never on `threads`.
    pub piece_bytes: u64,
    /// Called with the bytes read while the file is read.
    pub progress: Option<Progress>,
    /// Times at which to report the cumulative energy (training steps), increasing.
    pub checkpoints: Option<Vec<Stamp>>,
    /// Even bins of power over the window (or the file's span without one), read in the same
    /// pass: the number of bins.
    pub power_bins: Option<usize>,
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
            threads: std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .min(8),
            piece_bytes: read::PIECE_BYTES,
            progress: None,
            checkpoints: None,
            power_bins: None,
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
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    /// The width of the even power bins, s (with `power_bins`, when the trace has a span).
    #[serde(skip)]
    pub power_bin_s: Option<f64>,
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
    if let (Some(m), false) = (&opts.metric, format == InputFormat::Kwollect) {
        return Err(file_error(
            path,
            format!(
                "{} {m} applies to Kwollect traces only: this trace is {}",
                options::Field::Metric.name(opts.naming),
                format.key()
            ),
            format!(
                "leave out {}, or name the format if the file is Kwollect's",
                options::Field::Metric.name(opts.naming)
            ),
        ));
    }
    if format == InputFormat::Codecarbon {
        return codecarbon::read_codecarbon(path, opts);
    }
    let (reader, has_header) = build_reader(path, &head, format, opts)?;
    read::read_with(path, size, reader.as_ref(), has_header, opts)
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

pub(crate) fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let mut d = Diagnostic::new(format!("cannot read the CSV: {e}"))
        .file(path)
        .hint("check the delimiter and the quotes");
    d.line = line.map(|l| l as usize);
    Error::input(d)
}
