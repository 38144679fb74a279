//! Trace reading options from the command line (`mlca trace summary`): the flags fill the
//! energy layer's neutral [`TraceSpec`], which checks them as it checks a scenario's trace;
//! and the progress bar (indicatif) of a trace read, drawn on a terminal only.

use super::args::{IntensityArgs, TraceArgs};
use crate::energy::trace::{self, Naming, Progress, TraceSpec};
use crate::error::{Diagnostic, Error, Result};
use crate::scenario::{self, GenericSpec, InputFormat};
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
        run: a.run.clone().map(trace::RunSelector::Any),
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

/// The intensity options of `mlca assess` applied to the scenario: each replaces the same key
/// of `electricity.intensity` (the errors then name the option); without `--intensity` and
/// without a series in the scenario, the other options are refused.
pub fn apply_intensity(l: &mut scenario::Loaded, a: &IntensityArgs) -> Result<()> {
    let el = &mut l.scenario.electricity;
    let given = [
        (a.intensity_format.is_some(), "--intensity-format"),
        (a.intensity_basis.is_some(), "--intensity-basis"),
        (a.intensity_time_zone.is_some(), "--intensity-time-zone"),
        (a.run_time_zone.is_some(), "--run-time-zone"),
        (a.best_start_within.is_some(), "--best-start-within"),
    ];
    let i = match (&a.intensity, el.intensity.take()) {
        (Some(file), old) => {
            let mut i = old.unwrap_or_else(|| scenario::Intensity {
                file: file.clone(),
                format: None,
                basis: None,
                time_zone: None,
                run_time_zone: None,
                best_start_within_h: None,
                given_on_command_line: Vec::new(),
            });
            i.file = file.clone();
            i.given_on_command_line.push("file");
            i
        }
        (None, Some(i)) => i,
        (None, None) => {
            if let Some((_, flag)) = given.iter().find(|(g, _)| *g) {
                return Err(Error::input(
                    Diagnostic::new(format!("{flag} needs an intensity series"))
                        .hint("give --intensity FILE, or electricity.intensity in the scenario"),
                ));
            }
            return Ok(());
        }
    };
    let mut i = i;
    let mut set = |key: &'static str, on: bool| {
        if on {
            i.given_on_command_line.push(key);
        }
    };
    set("format", a.intensity_format.is_some());
    set("basis", a.intensity_basis.is_some());
    set("time_zone", a.intensity_time_zone.is_some());
    set("run_time_zone", a.run_time_zone.is_some());
    set("best_start_within_h", a.best_start_within.is_some());
    i.format = a.intensity_format.or(i.format);
    i.basis = a.intensity_basis.or(i.basis);
    i.time_zone = a.intensity_time_zone.clone().or(i.time_zone);
    i.run_time_zone = a.run_time_zone.clone().or(i.run_time_zone);
    i.best_start_within_h = a.best_start_within.or(i.best_start_within_h);
    el.intensity = Some(i);
    Ok(())
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

/// The equivalents of an assessment when `--equivalents` asks for them, with the electricity
/// cost when a price is given.
pub fn equivalents(
    r: &crate::assessment::Report,
    data: &crate::data::ImpactData,
    a: &super::args::EquivalentArgs,
) -> Result<Option<Vec<crate::assessment::equivalents::Equivalent>>> {
    if !a.equivalents {
        return Ok(None);
    }
    let price = match (a.electricity_price_per_kwh, &a.currency) {
        (Some(per_kwh), Some(currency)) => Some(crate::assessment::equivalents::Price {
            per_kwh,
            currency: currency.clone(),
            given_by: "--electricity-price-per-kwh".into(),
        }),
        _ => None,
    };
    crate::assessment::equivalents::equivalents(r, data, price.as_ref()).map(Some)
}
