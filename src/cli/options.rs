//! Trace reading options from the command line (`mlca trace summary`): the flags fill the
//! energy layer's neutral [`TraceSpec`], which checks them as it checks a scenario's trace;
//! and the progress bar (indicatif) of a trace read, drawn on a terminal only.

use super::args::TraceArgs;
use crate::energy::trace::{self, Naming, Progress, TraceSpec};
use crate::error::{Diagnostic, Error, Result};
use crate::scenario::{GenericSpec, InputFormat};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

/// Trace options from the command line.
pub fn trace_options(a: &TraceArgs, format: Option<InputFormat>) -> Result<trace::TraceOptions> {
    let any_generic = a.time_column.is_some()
        || a.value_column.is_some()
        || a.unit.is_some()
        || a.value_kind.is_some()
        || a.component.is_some();
    let mut spec = TraceSpec {
        format,
        start: a.start.clone(),
        end: a.end.clone(),
        training_log: a.training_log.clone(),
        gap_threshold_s: a.gap_threshold_s,
        gap_policy: Some(a.gap_policy),
        idle_power_w: a.idle_power_w,
        idle_start: a.idle_start.clone(),
        idle_end: a.idle_end.clone(),
        metric: a.metric.clone(),
        rapl_max_energy_range_uj: a.rapl_max_energy_range_uj,
        columns: a.columns.clone(),
        sample_interval_s: a.sample_interval_s,
        threads: a.threads,
        ..TraceSpec::default()
    };
    if any_generic || format == Some(InputFormat::Generic) {
        let miss = |n: &str| {
            Error::input(Diagnostic::new(format!("a generic CSV needs --{n}")).hint("give --time-column, --time-format, --value-column, --unit, --value-kind and --component"))
        };
        spec.generic = Some(GenericSpec {
            time_column: a.time_column.clone().ok_or_else(|| miss("time-column"))?,
            time_format: a.time_format.ok_or_else(|| miss("time-format"))?,
            value_column: a.value_column.clone().ok_or_else(|| miss("value-column"))?,
            unit: a.unit.clone().ok_or_else(|| miss("unit"))?,
            value_kind: a.value_kind.ok_or_else(|| miss("value-kind"))?,
            device_column: a.device_column.clone(),
            component: a.component.ok_or_else(|| miss("component"))?,
            delimiter: a.delimiter,
        });
        spec.format = Some(InputFormat::Generic);
    }
    let mut o = spec.build(Naming::CommandLine).map_err(|e| e.error)?;
    o.progress = progress_bar();
    Ok(o)
}

/// Files smaller than this are read without a bar.
const BAR_FROM_BYTES: u64 = 32 << 20;

/// A progress bar on standard error for the reads of large traces, when standard error is a
/// terminal (never when it is piped or redirected).
pub fn progress_bar() -> Option<Progress> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar: Arc<Mutex<Option<indicatif::ProgressBar>>> = Arc::new(Mutex::new(None));
    Some(Progress::new(move |file, done, total| {
        if total <= BAR_FROM_BYTES {
            return;
        }
        let Ok(mut slot) = bar.lock() else {
            return;
        };
        if done >= total {
            if let Some(b) = slot.take() {
                b.finish_and_clear();
            }
            return;
        }
        let b = slot.get_or_insert_with(|| {
            let b = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b
        });
        b.set_message(format!("reading {}", file.display()));
        b.set_position(done);
    }))
}
