//! The one builder of [`TraceOptions`]: from a neutral description of how to read a trace
//! ([`TraceSpec`], the fields a scenario's `energy.traces[i]` and the command line's
//! `mlca trace summary` options have in common), checked the same way whichever fills it.
//!
//! Times are parsed with the one time parser (ISO 8601 or Unix seconds); a training log gives
//! the window (its first and last timestamps); a gap threshold is > 0 s, an idle power >= 0 W.
//! An error names the field it comes from ([`Field`]), so that the scenario can locate it in
//! its YAML and the command line can name its flag.

use super::{parse_time, training_log_window, TraceOptions};
use crate::error::{Diagnostic, Error};
use crate::quantity::time::Stamp;
use crate::scenario::{GapPolicy, GenericSpec, InputFormat};
use std::path::PathBuf;

/// A time as given, for messages.
fn shown(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// How to read a trace, as given (times as text, nothing checked yet).
#[derive(Clone, Debug, Default)]
pub struct TraceSpec {
    pub format: Option<InputFormat>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// A training log whose first and last timestamps are the window (instead of start/end).
    pub training_log: Option<PathBuf>,
    pub gap_threshold_s: Option<f64>,
    pub gap_policy: Option<GapPolicy>,
    pub idle_power_w: Option<f64>,
    pub idle_start: Option<String>,
    pub idle_end: Option<String>,
    /// A generic CSV's columns (the format is then generic unless named).
    pub generic: Option<GenericSpec>,
    pub metric: Option<String>,
    pub rapl_max_energy_range_uj: Option<f64>,
    pub columns: Option<Vec<String>>,
    /// Files of run totals: the runs to take (every run without).
    pub run: Option<super::RunSelector>,
    /// The sampling period of a trace without times (`dcgmi dmon -d`), s.
    pub sample_interval_s: Option<f64>,
    /// The most reader threads (at least 1; a file gets at most one per 4 MiB begun); the
    /// default otherwise.
    pub threads: Option<usize>,
}

/// The field of a [`TraceSpec`] an error comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Start,
    End,
    TrainingLog,
    GapThreshold,
    IdlePower,
    IdleStart,
    IdleEnd,
    RaplMaxRange,
    Columns,
    Metric,
    SampleInterval,
}

/// How the fields are named in messages: a scenario's keys or the command line's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Naming {
    #[default]
    Scenario,
    CommandLine,
}

impl Field {
    pub fn name(self, naming: Naming) -> &'static str {
        let (key, flag) = match self {
            Field::Start => ("start", "--start"),
            Field::End => ("end", "--end"),
            Field::TrainingLog => ("training_log", "--training-log"),
            Field::GapThreshold => ("gap_threshold_s", "--gap-threshold-s"),
            Field::IdlePower => ("idle_power_w", "--idle-power-w"),
            Field::IdleStart => ("idle_start", "--idle-start"),
            Field::IdleEnd => ("idle_end", "--idle-end"),
            Field::RaplMaxRange => ("rapl_max_energy_range_uj", "--rapl-max-energy-range-uj"),
            Field::Columns => ("columns", "--columns"),
            Field::Metric => ("metric", "--metric"),
            Field::SampleInterval => ("sample_interval_s", "--sample-interval-s"),
        };
        match naming {
            Naming::Scenario => key,
            Naming::CommandLine => flag,
        }
    }
}

/// An error of a [`TraceSpec`]: the field it comes from, if one (a training log that cannot be
/// read carries its own file).
#[derive(Debug)]
pub struct SpecError {
    pub field: Option<Field>,
    pub error: Error,
}

impl TraceSpec {
    /// Check the description and build the options (no progress callback, no checkpoints).
    pub fn build(&self, naming: Naming) -> Result<TraceOptions, SpecError> {
        let at = |f: Field| {
            move |error: Error| SpecError {
                field: Some(f),
                error,
            }
        };
        let time = |v: &Option<String>, f: Field| {
            v.as_deref()
                .map(|x| parse_time(x, f.name(naming)).map_err(at(f)))
                .transpose()
        };
        let mut o = TraceOptions {
            format: self.format,
            start: time(&self.start, Field::Start)?,
            end: time(&self.end, Field::End)?,
            gap_threshold_s: self.gap_threshold_s,
            gap_policy: self.gap_policy.unwrap_or(GapPolicy::Interpolate),
            idle_power_w: self.idle_power_w,
            idle_start: time(&self.idle_start, Field::IdleStart)?,
            idle_end: time(&self.idle_end, Field::IdleEnd)?,
            generic: self.generic.clone(),
            metric: self.metric.clone(),
            rapl_max_energy_range_uj: self.rapl_max_energy_range_uj,
            columns: self.columns.clone(),
            run: self.run.clone(),
            sample_interval_s: self.sample_interval_s,
            naming,
            ..TraceOptions::default()
        };
        if let Some(cols) = &self.columns {
            if cols.is_empty() || cols.iter().any(|c| c.trim().is_empty()) {
                return Err(at(Field::Columns)(Error::input(
                    Diagnostic::new(format!(
                        "{} \"{}\": a column name is empty",
                        Field::Columns.name(naming),
                        cols.join(",")
                    ))
                    .hint(
                        "name each column of the file, in order, e.g. timestamp,index,power.draw",
                    ),
                )));
            }
        }
        if let Some(n) = self.threads {
            o.threads = n.max(1);
        }
        let not_before = |a: Stamp, b: Stamp| b.since(a.secs) <= a.frac;
        if let (Some(a), Some(b)) = (o.start, o.end) {
            if not_before(a, b) {
                return Err(at(Field::Start)(Error::input(
                    Diagnostic::new(format!(
                        "{} {} is not before {} {}: the window ends before it starts",
                        Field::Start.name(naming),
                        shown(&self.start),
                        Field::End.name(naming),
                        shown(&self.end)
                    ))
                    .hint("check start and end"),
                )));
            }
        }
        if o.idle_power_w.is_some() && (o.idle_start.is_some() || o.idle_end.is_some()) {
            return Err(at(Field::IdlePower)(Error::input(
                Diagnostic::new(format!(
                    "give either {} or {}/{}, not both",
                    Field::IdlePower.name(naming),
                    Field::IdleStart.name(naming),
                    Field::IdleEnd.name(naming)
                ))
                .hint("an idle power is either given or measured in an idle segment of the trace"),
            )));
        }
        if let (Some(a), Some(b)) = (o.idle_start, o.idle_end) {
            if not_before(a, b) {
                return Err(at(Field::IdleStart)(Error::input(
                    Diagnostic::new(format!(
                        "{} {} is not before {} {}: the idle segment ends before it starts",
                        Field::IdleStart.name(naming),
                        shown(&self.idle_start),
                        Field::IdleEnd.name(naming),
                        shown(&self.idle_end)
                    ))
                    .hint("check idle_start and idle_end"),
                )));
            }
        }
        if self.generic.is_some() && o.format.is_none() {
            o.format = Some(InputFormat::Generic);
        }
        if let Some(log) = &self.training_log {
            if o.start.is_some() || o.end.is_some() {
                return Err(at(Field::TrainingLog)(Error::msg(format!(
                    "give either {} or {}/{}, not both",
                    Field::TrainingLog.name(naming),
                    Field::Start.name(naming),
                    Field::End.name(naming)
                ))));
            }
            let (a, b) =
                training_log_window(log).map_err(|error| SpecError { field: None, error })?;
            o.start = Some(a);
            o.end = Some(b);
            o.window_from = Some(log.clone());
        }
        if let Some(th) = o.gap_threshold_s {
            if th.is_nan() || th <= 0.0 {
                return Err(at(Field::GapThreshold)(Error::msg(format!(
                    "{} {th}: must be greater than zero",
                    Field::GapThreshold.name(naming)
                ))));
            }
        }
        if let Some(r) = o.rapl_max_energy_range_uj {
            if !(r.is_finite() && r > 0.0) {
                return Err(at(Field::RaplMaxRange)(Error::input(Diagnostic::new(
                    format!(
                        "{} {r}: must be greater than zero",
                        Field::RaplMaxRange.name(naming)
                    ),
                ))));
            }
        }
        if let Some(d) = o.sample_interval_s {
            if !(d.is_finite() && d > 0.0) {
                return Err(at(Field::SampleInterval)(Error::input(Diagnostic::new(
                    format!(
                        "{} {d}: must be greater than zero",
                        Field::SampleInterval.name(naming)
                    ),
                ))));
            }
        }
        if let Some(w) = o.idle_power_w {
            if w.is_nan() || w < 0.0 || !w.is_finite() {
                return Err(at(Field::IdlePower)(Error::input(Diagnostic::new(
                    format!(
                        "{} {w}: must be zero or more",
                        Field::IdlePower.name(naming)
                    ),
                ))));
            }
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(spec: &TraceSpec) -> Option<Field> {
        match spec.build(Naming::Scenario) {
            Ok(_) => panic!("{spec:?} was accepted"),
            Err(e) => e.field,
        }
    }

    #[test]
    fn contradictory_fields_are_refused_at_their_field() {
        let both = TraceSpec {
            idle_power_w: Some(50.0),
            idle_start: Some("100".into()),
            idle_end: Some("110".into()),
            ..TraceSpec::default()
        };
        assert_eq!(field_of(&both), Some(Field::IdlePower));
        let back = TraceSpec {
            start: Some("110".into()),
            end: Some("100".into()),
            ..TraceSpec::default()
        };
        assert_eq!(field_of(&back), Some(Field::Start));
        let idle_back = TraceSpec {
            idle_start: Some("110".into()),
            idle_end: Some("110".into()),
            ..TraceSpec::default()
        };
        assert_eq!(field_of(&idle_back), Some(Field::IdleStart));
        let empty = TraceSpec {
            columns: Some(vec!["timestamp".into(), String::new()]),
            ..TraceSpec::default()
        };
        assert_eq!(field_of(&empty), Some(Field::Columns));
        let ok = TraceSpec {
            start: Some("100".into()),
            end: Some("110.5".into()),
            ..TraceSpec::default()
        };
        assert!(ok.build(Naming::CommandLine).is_ok());
    }
}
