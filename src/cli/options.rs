//! Trace reading options from the command line (`mlca trace summary`), checked as a scenario's
//! trace options are.

use super::args::TraceArgs;
use crate::energy::trace;
use crate::error::{Diagnostic, Error, Result};

/// Trace options from the command line.
pub fn trace_options(
    a: &TraceArgs,
    format: Option<crate::scenario::InputFormat>,
) -> Result<trace::TraceOptions> {
    let t = |s: &Option<String>, what: &str| {
        s.as_deref().map(|x| trace::parse_time(x, what)).transpose()
    };
    let mut o = trace::TraceOptions {
        format,
        start: t(&a.start, "--start")?,
        end: t(&a.end, "--end")?,
        gap_threshold_s: a.gap_threshold_s,
        gap_policy: a.gap_policy,
        idle_power_w: a.idle_power_w,
        idle_start: t(&a.idle_start, "--idle-start")?,
        idle_end: t(&a.idle_end, "--idle-end")?,
        metric: a.metric.clone(),
        rapl_max_energy_range_uj: a.rapl_max_energy_range_uj,
        columns: a.columns.clone(),
        ..trace::TraceOptions::default()
    };
    if let Some(n) = a.threads {
        o.threads = n.max(1);
    }
    if let Some(log) = &a.training_log {
        if o.start.is_some() || o.end.is_some() {
            return Err(Error::msg(
                "give either --training-log or --start/--end, not both",
            ));
        }
        let (s, e) = trace::training_log_window(log)?;
        o.start = Some(s);
        o.end = Some(e);
    }
    let any_generic = a.time_column.is_some()
        || a.value_column.is_some()
        || a.unit.is_some()
        || a.value_kind.is_some()
        || a.component.is_some();
    if any_generic || format == Some(crate::scenario::InputFormat::Generic) {
        let miss = |n: &str| {
            Error::input(Diagnostic::new(format!("a generic CSV needs --{n}")).hint("give --time-column, --time-format, --value-column, --unit, --value-kind and --component"))
        };
        o.generic = Some(crate::scenario::GenericSpec {
            time_column: a.time_column.clone().ok_or_else(|| miss("time-column"))?,
            time_format: a.time_format.ok_or_else(|| miss("time-format"))?,
            value_column: a.value_column.clone().ok_or_else(|| miss("value-column"))?,
            unit: a.unit.clone().ok_or_else(|| miss("unit"))?,
            value_kind: a.value_kind.ok_or_else(|| miss("value-kind"))?,
            device_column: a.device_column.clone(),
            component: a.component.clone().ok_or_else(|| miss("component"))?,
            delimiter: a.delimiter,
        });
        o.format = Some(crate::scenario::InputFormat::Generic);
    }
    if let Some(th) = o.gap_threshold_s {
        if th.is_nan() || th <= 0.0 {
            return Err(Error::msg(format!(
                "--gap-threshold-s {th}: must be greater than zero"
            )));
        }
    }
    if let Some(w) = o.idle_power_w {
        if w.is_nan() || w < 0.0 || !w.is_finite() {
            return Err(Error::msg(format!(
                "--idle-power-w {w}: must be zero or more"
            )));
        }
    }
    Ok(o)
}
