//! A scenario's file inputs, read in one explicit step: every trace of `energy.traces` is read
//! and integrated once ([`trace::read`]), with, when the plots need them, the even power bins
//! and the quality log's times as checkpoints of the same pass; the quality log is read once.
//! The assessment takes the summaries (kWh per trace), the plots the series (W per bin, kWh per
//! quality point): nothing reads a file again. [`trace_options`] turns a scenario's trace entry
//! into the reading options (through the one builder, [`trace::TraceSpec`]).

use crate::energy::profile::{self, Series};
use crate::energy::trace::{self, LogRow, LogValue, Progress, TraceSummary};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time::{self, Stamp};
use crate::quantity::zone::{Fold, Zone};
use crate::scenario::Loaded;

/// What to read besides the energy: the series of the plots, and the progress callback.
#[derive(Clone, Debug, Default)]
pub struct Needs {
    /// The power profile in this many bins per trace.
    pub power_bins: Option<usize>,
    /// The energy between the boundaries of an intensity series, per trace.
    pub time_bins: Option<TimeBins>,
    /// The energy per point of the quality log (`functional_unit.quality_log`).
    pub quality: bool,
    pub progress: Option<Progress>,
}

/// Bins in time for a time-varying intensity: the series' boundaries (instants) and the zone of
/// trace times written without one.
#[derive(Clone, Debug, Default)]
pub struct TimeBins {
    /// The boundaries, increasing.
    pub edges: Vec<Stamp>,
    /// The zone of the trace times that carry none, and the key or option that gives it.
    pub local_zone: Option<(Zone, String)>,
}

/// How a trace was binned in time: the boundaries (instants) its `time_bins_j` fall between,
/// and the zone its times were read in when they carry none.
#[derive(Clone, Debug, Default)]
pub struct TraceBins {
    pub edges: Vec<Stamp>,
    pub zone: Option<Zone>,
}

/// The scenario's traces as read, and the series asked for.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// One summary per `energy.traces[i]`, in order.
    pub traces: Vec<TraceSummary>,
    /// With time bins: how each trace was binned, in order.
    pub trace_bins: Vec<TraceBins>,
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
    let mut trace_bins = Vec::new();
    for (i, t) in refs.iter().enumerate() {
        let path = format!("energy.traces[{i}]");
        let mut opts = trace_options(l, t, &path)?;
        opts.progress = needs.progress.clone();
        opts.power_bins = needs.power_bins;
        opts.checkpoints = quality
            .as_ref()
            .map(|(rows, _)| rows.iter().map(|r| r.t).collect());
        let file = l.file_at(&format!("{path}.file"), &t.file)?;
        if let Some(tb) = &needs.time_bins {
            let (b, local) = clip_to_window(bins_of_trace(l, t, &path, &file, tb)?, &opts);
            opts.time_bins = Some(local);
            trace_bins.push(b);
        }
        let s = trace::read(&file, &opts)
            .map_err(|e| run_error(l, &path, opts.run.as_ref(), e))
            .map_err(|e| window_error(l, t, &path, e))?;
        traces.push(s);
    }
    Ok(Inputs {
        trace_bins,
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

/// The boundaries a trace is binned at, in its own clock: the series' instants when the trace's
/// times carry their zone (Unix seconds, offsets), else the same instants in the local zone
/// given, an hour of a daylight-saving fold kept once (the local clock passes it twice).
fn bins_of_trace(
    l: &Loaded,
    t: &crate::scenario::TraceRef,
    path: &str,
    file: &std::path::Path,
    tb: &TimeBins,
) -> Result<TraceBins> {
    if t.generic
        .as_ref()
        .is_some_and(|g| g.time_format == crate::scenario::TimeFormat::ElapsedS)
    {
        return Err(l.error_at(
            &format!("{path}.generic.time_format"),
            "elapsed seconds cannot be placed on the intensity series: they say when nothing happened, only how long after the start",
            Some("give the trace's times as date-times or Unix seconds".into()),
        ));
    }
    let Some(sample) = local_time_of(file) else {
        return Ok(TraceBins {
            edges: tb.edges.clone(),
            zone: None,
        });
    };
    let Some((zone, _)) = &tb.local_zone else {
        return Err(l.error_at(
            &format!("{path}.file"),
            format!(
                "the trace {} writes its times without a zone (\"{sample}\"): they cannot be placed on the intensity series",
                file.display()
            ),
            Some("give electricity.intensity.run_time_zone (or --run-time-zone): the zone of the machine's clock, e.g. Europe/Paris or +02:00".into()),
        ));
    };
    let mut edges = Vec::with_capacity(tb.edges.len());
    let mut last: Option<Stamp> = None;
    for e in &tb.edges {
        let Some(local) = zone.local(*e) else {
            continue;
        };
        if last.is_none_or(|p| local.since(p.secs) > p.frac) {
            edges.push(*e);
            last = Some(local);
        }
    }
    Ok(TraceBins {
        edges,
        zone: Some(zone.clone()),
    })
}

/// The bins of a trace cut to its window (the bins count energy between their edges, not only
/// inside the window): the edges inside it, and its start and end as edges; with the edges in
/// the trace's clock.
fn clip_to_window(b: TraceBins, opts: &trace::TraceOptions) -> (TraceBins, Vec<Stamp>) {
    let after = |a: Stamp, b: Stamp| a.since(b.secs) > b.frac;
    let local = |e: Stamp| match &b.zone {
        Some(z) => z.local(e),
        None => Some(e),
    };
    let instant = |t: Stamp| match &b.zone {
        Some(z) => z.instant(t, Fold::Earlier).ok().map(|(t, _)| t),
        None => Some(t),
    };
    let mut pairs: Vec<(Stamp, Stamp)> = b
        .edges
        .iter()
        .filter_map(|e| local(*e).map(|l| (*e, l)))
        .collect();
    if let Some(s) = opts.start {
        pairs.retain(|(_, l)| after(*l, s));
        if let Some(u) = instant(s) {
            pairs.insert(0, (u, s));
        }
    }
    if let Some(e) = opts.end {
        pairs.retain(|(_, l)| after(e, *l));
        if let Some(u) = instant(e) {
            pairs.push((u, e));
        }
    }
    let (edges, local): (Vec<Stamp>, Vec<Stamp>) = pairs.into_iter().unzip();
    (
        TraceBins {
            edges,
            zone: b.zone,
        },
        local,
    )
}

/// The first date-time written without a zone in the first two lines of a trace (its header and
/// first row), if any: the trace's times are then local to some zone.
fn local_time_of(file: &std::path::Path) -> Option<String> {
    (1..=2).find_map(|n| {
        let line = trace::line_of(file, n)?;
        line.split([',', ';', '\t'])
            .map(|c| c.trim().trim_matches('"').trim())
            .find(|c| time::parse(c.as_bytes()).is_some() && !time::has_zone(c.as_bytes()))
            .map(str::to_string)
    })
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
        run: run_selector(loaded, path, &t.run_id, &t.project_name, t.run_index)?,
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

/// The choice of runs of a file of run totals a scenario entry at `path` gives: at most one of
/// `run_id`, `project_name` and `run_index` (a number from 1).
pub fn run_selector(
    loaded: &Loaded,
    path: &str,
    run_id: &Option<String>,
    project_name: &Option<String>,
    run_index: Option<crate::quantity::input::Count>,
) -> Result<Option<trace::RunSelector>> {
    use trace::RunSelector as S;
    let given: Vec<S> = [
        run_id.clone().map(S::Id),
        project_name.clone().map(S::ProjectName),
        run_index.map(|n| S::Index(n.0)),
    ]
    .into_iter()
    .flatten()
    .collect();
    match given.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b, ..] => Err(loaded.error_at(
            &format!("{path}.{}", b.key()),
            format!("give one of run_id, project_name and run_index, not both {} and {}", a.key(), b.key()),
            Some("run_id takes one run, project_name every run of a project, run_index the run of that number (from 1)".into()),
        )),
    }
}

/// A choice of runs that names none of the file's runs, located at the scenario's key that gives
/// it (`{path}.run_id`, `.project_name` or `.run_index`), naming the file; other errors as they
/// are.
pub fn run_error(l: &Loaded, path: &str, run: Option<&trace::RunSelector>, e: Error) -> Error {
    let (Some(sel), Error::Input(d)) = (run, &e) else {
        return e;
    };
    if !matches!(e.kind(), Some(crate::error::ErrorKind::UnknownRun { .. })) {
        return e;
    }
    let file = d
        .file
        .as_ref()
        .map(|f| format!(" (file {})", f.display()))
        .unwrap_or_default();
    l.error_at(
        &format!("{path}.{}", sel.key()),
        format!("{}{file}", d.message),
        d.hint.clone(),
    )
}
