//! A scenario's file inputs, read in one explicit step: every trace of `energy.traces` is read
//! and integrated once ([`trace::read`]), with, when the plots need them, the even power bins
//! and the quality log's times as checkpoints of the same pass; the quality log is read once.
//! The assessment takes the summaries (kWh per trace), the plots the series (W per bin, kWh per
//! quality point): nothing reads a file again. [`trace_options`] turns a scenario's trace entry
//! into the reading options (through the one builder, [`trace::TraceSpec`]).

use crate::energy::profile::{self, Series};
use crate::energy::trace::{self, LogRow, LogValue, Progress, TraceSummary};
use crate::error::{Diagnostic, Error, Result};
use crate::scenario::Loaded;

/// What to read besides the energy: the series of the plots, and the progress callback.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// The power profile in this many bins per trace.
    pub power_bins: Option<usize>,
    /// The energy per point of the quality log (`functional_unit.quality_log`).
    pub quality: bool,
    pub progress: Option<Progress>,
}

/// The scenario's traces as read, and the series asked for.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// One summary per `energy.traces[i]`, in order.
    pub traces: Vec<TraceSummary>,
    pub power: Option<Vec<Series>>,
    pub quality: Option<Series>,
}

/// The traces a plot needs, or an error saying so.
fn traces_for_plots(l: &Loaded) -> Result<&Vec<crate::scenario::TraceRef>> {
    l.scenario.energy.traces.as_ref().ok_or_else(|| {
        Error::input(Diagnostic::new("this plot needs measured traces (energy.traces)").file(&l.file).hint("the power profile and the energy per quality point are read from the scenario's traces"))
    })
}

/// The quality log a scenario names (`functional_unit.quality_log`), checked: the file is
/// there and, when `quality_column` is given, its header has that column (the header alone is
/// read). Errors are at the scenario's field and name the resolved path.
pub fn check_quality_log(l: &Loaded) -> Result<Option<std::path::PathBuf>> {
    let fu = &l.scenario.functional_unit;
    let Some(log) = &fu.quality_log else {
        return Ok(None);
    };
    let field = "functional_unit.quality_log";
    let path = l.file_at(field, log)?;
    if let Some(col) = &fu.quality_column {
        let cols = trace::log_columns(&path, "the quality log")?;
        if !cols.iter().any(|c| c == col) {
            return Err(l.error_at(
                field,
                format!(
                    "the quality log {} has no column \"{col}\" (functional_unit.quality_column); its columns: {}",
                    path.display(),
                    cols.join(", ")
                ),
                Some("set quality_column to the column holding the quality reached at each time".into()),
            ));
        }
    }
    Ok(Some(path))
}

/// The quality log's rows and the name of its quality column.
fn quality_log(l: &Loaded) -> Result<(Vec<LogRow>, String)> {
    let fu = &l.scenario.functional_unit;
    let (Some(path), Some(col)) = (check_quality_log(l)?, &fu.quality_column) else {
        return Err(Error::input(
            Diagnostic::new("this plot needs functional_unit.quality_log and quality_column")
                .file(&l.file)
                .hint("a CSV with a timestamp column and the quality reached at each time"),
        ));
    };
    let rows = trace::read_log(&path, "the quality log", LogValue::Column(col))?;
    if rows.len() < 2 {
        return Err(Error::input(
            Diagnostic::new("the quality log needs at least two rows").file(&path),
        ));
    }
    Ok((rows, col.clone()))
}

/// Read every trace of the scenario once (and the quality log when asked).
pub fn resolve(l: &Loaded, needs: &Needs) -> Result<Inputs> {
    let quality = if needs.quality {
        Some(quality_log(l)?)
    } else {
        check_quality_log(l)?;
        None
    };
    let refs: &[crate::scenario::TraceRef] = if needs.quality || needs.power_bins.is_some() {
        traces_for_plots(l)?
    } else {
        l.scenario.energy.traces.as_deref().unwrap_or(&[])
    };
    let mut traces = Vec::new();
    for (i, t) in refs.iter().enumerate() {
        let path = format!("energy.traces[{i}]");
        let mut opts = trace_options(l, t, &path)?;
        opts.progress = needs.progress.clone();
        opts.power_bins = needs.power_bins;
        opts.checkpoints = quality
            .as_ref()
            .map(|(rows, _)| rows.iter().map(|r| r.t).collect());
        let file = l.file_at(&format!("{path}.file"), &t.file)?;
        let s = trace::read(&file, &opts).map_err(|e| window_error(l, t, &path, e))?;
        traces.push(s);
    }
    Ok(Inputs {
        power: needs.power_bins.map(|_| profile::power_series(&traces)),
        quality: quality.map(|(rows, col)| profile::quality_series(&col, &rows, &traces)),
        traces,
    })
}

/// A trace's error, located: a window outside the trace at the scenario's field that gives
/// the window (`training_log`, `start` or `end`), naming the trace; others at `{path}.file`
/// when they have no file.
fn window_error(l: &Loaded, t: &crate::scenario::TraceRef, path: &str, e: Error) -> Error {
    let Error::Input(d) = &e else {
        return e;
    };
    if !matches!(
        e.kind(),
        Some(crate::error::ErrorKind::WindowOutsideTrace { .. })
    ) {
        return l.locate_error(e, &format!("{path}.file"));
    }
    let field = if t.training_log.is_some() {
        "training_log"
    } else if t.start.is_some() {
        "start"
    } else {
        "end"
    };
    let trace = d
        .file
        .as_ref()
        .map(|f| format!(" (trace {})", f.display()))
        .unwrap_or_default();
    l.error_at(
        &format!("{path}.{field}"),
        format!("{}{trace}", d.message),
        d.hint.clone(),
    )
}

/// The power profile of a scenario's traces in `bins` bins (one read of each trace).
pub fn power(l: &Loaded, bins: usize) -> Result<Vec<Series>> {
    let needs = Needs {
        power_bins: Some(bins),
        ..Needs::default()
    };
    Ok(resolve(l, &needs)?.power.unwrap_or_default())
}

/// The energy per quality point of a scenario (one read of each trace and of the quality log).
pub fn quality_energy(l: &Loaded) -> Result<Series> {
    let needs = Needs {
        quality: true,
        ..Needs::default()
    };
    resolve(l, &needs)?
        .quality
        .ok_or_else(|| Error::Internal("quality series not read".into()))
}

/// How to read the trace `t` of a scenario (its window, training log, idle segment, gap policy,
/// format options): the scenario fills the neutral [`trace::TraceSpec`], which checks it;
/// errors are located at `path` (`energy.traces[i]`).
pub fn trace_options(
    loaded: &Loaded,
    t: &crate::scenario::TraceRef,
    path: &str,
) -> Result<trace::TraceOptions> {
    let text = |v: &Option<crate::scenario::TimeText>| v.as_ref().map(|x| x.0.clone());
    let spec = trace::TraceSpec {
        format: t.input_format,
        start: text(&t.start),
        end: text(&t.end),
        training_log: t
            .training_log
            .as_ref()
            .map(|log| loaded.file_at(&format!("{path}.training_log"), log))
            .transpose()?,
        gap_threshold_s: t.gap_threshold_s.map(|g| g.0.value),
        gap_policy: t.gap_policy,
        idle_power_w: t.idle_power_w.map(|w| w.0.value),
        idle_start: text(&t.idle_start),
        idle_end: text(&t.idle_end),
        generic: t.generic.clone(),
        metric: t.metric.clone(),
        rapl_max_energy_range_uj: t.rapl_max_energy_range_uj,
        columns: t.columns.clone(),
        sample_interval_s: t.sample_interval_s.map(|d| d.0.value),
        threads: None,
    };
    spec.build(trace::Naming::Scenario)
        .map_err(|e| match e.field {
            Some(f) => loaded.locate_error(
                e.error,
                &format!("{path}.{}", f.name(trace::Naming::Scenario)),
            ),
            None => e.error,
        })
}
