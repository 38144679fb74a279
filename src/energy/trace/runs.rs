//! Files of run totals rather than power series: CodeCarbon's `emissions.csv`, eco2ai's CSV and
//! Carbontracker's logs. Each holds runs (or epochs) with an energy the tool computed, in kWh,
//! often with the tool's PUE applied: a run's IT energy is E_IT = E_tool / PUE_tool.
//!
//! This module holds what they share: the table of runs ([`RunSummary`], numbered from 1 in file
//! order), the choice of some of them ([`RunSelector`]: by id, by project name or by number),
//! and the summary built from the runs that count ([`totals`]): energies added, durations added
//! (runs one after the other, not the longest of them).

use super::integrate::Signal;
use super::{file_error, DeviceSummary, TraceComponent, TraceOptions, TraceSummary};
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::quantity::interval::Interval;
use crate::quantity::units::J_PER_KWH;
use crate::scenario::InputFormat;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Which runs of a file to take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunSelector {
    /// The run with this id (CodeCarbon's `run_id`, eco2ai's `id`), or the one run whose id
    /// starts with it.
    Id(String),
    /// Every run of this project (CodeCarbon's and eco2ai's `project_name`).
    ProjectName(String),
    /// The run of this number, from 1, in file order (the `#` of `mlca trace summary`).
    Index(u32),
    /// As written on the command line: an id (or its start), a project name, an eco2ai
    /// experiment description, or a number.
    Any(String),
}

impl RunSelector {
    /// The scenario key or option that gives it.
    pub fn key(&self) -> &'static str {
        match self {
            RunSelector::Id(_) => "run_id",
            RunSelector::ProjectName(_) => "project_name",
            RunSelector::Index(_) => "run_index",
            RunSelector::Any(_) => "--run",
        }
    }
}

impl std::fmt::Display for RunSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunSelector::Id(s) | RunSelector::ProjectName(s) | RunSelector::Any(s) => {
                write!(f, "{} {s}", self.key())
            }
            RunSelector::Index(n) => write!(f, "{} {n}", self.key()),
        }
    }
}

/// What a row of the table of runs is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    /// A tracker's run (CodeCarbon, eco2ai).
    Run,
    /// One epoch of a Carbontracker log (mean power x duration).
    Epoch,
    /// Carbontracker's actual consumption of the monitored epochs.
    Actual,
    /// Carbontracker's prediction for all the training's epochs.
    Predicted,
}

impl RunKind {
    pub fn key(self) -> &'static str {
        match self {
            RunKind::Run => "run",
            RunKind::Epoch => "epoch",
            RunKind::Actual => "actual",
            RunKind::Predicted => "predicted",
        }
    }
}

/// One run (or epoch, or Carbontracker figure) of a file of run totals.
#[derive(Clone, Debug, Serialize)]
pub struct RunSummary {
    /// Its number, from 1, in file order: what `run_index` and `--run N` name.
    pub index: u32,
    pub kind: RunKind,
    pub id: Option<String>,
    pub project_name: Option<String>,
    /// eco2ai's `experiment_description`.
    pub description: Option<String>,
    /// The time the tool wrote with it, as written (CodeCarbon: the row's end; eco2ai: its start;
    /// Carbontracker: the log line's).
    pub timestamp: Option<String>,
    pub duration_s: f64,
    /// The file's rows (or log lines) it was read from; the line of its first.
    pub rows: u64,
    pub line: u64,
    /// Its energy as the tool wrote it, kWh (the tool's PUE included).
    pub tool_energy_kwh: f64,
    /// The PUE the tool multiplied its energy by (1 when it applies none).
    pub tool_pue: f64,
    /// IT energy, kWh: tool_energy_kwh / tool_pue.
    pub energy_kwh: f64,
    /// CodeCarbon's `water_consumed`, L.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub water_l: Option<f64>,
    /// CodeCarbon's `wue`, L/kWh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wue_l_per_kwh: Option<f64>,
    /// Counted in the totals; if not, `excluded_because` says why.
    pub counted: bool,
    pub excluded_because: Option<String>,
}

impl RunSummary {
    /// A counted run of `kind`, numbered `index`, with the tool's energy and PUE.
    pub fn new(index: u32, kind: RunKind, tool_energy_kwh: f64, tool_pue: f64) -> Self {
        RunSummary {
            index,
            kind,
            id: None,
            project_name: None,
            description: None,
            timestamp: None,
            duration_s: 0.0,
            rows: 1,
            line: 0,
            tool_energy_kwh,
            tool_pue,
            energy_kwh: tool_energy_kwh / tool_pue,
            water_l: None,
            wue_l_per_kwh: None,
            counted: true,
            excluded_because: None,
        }
    }

    /// How a message names it: `run 2 (run_id 17b3e22b-..., project run1)`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(i) = &self.id {
            parts.push(format!("id {i}"));
        }
        if let Some(p) = &self.project_name {
            parts.push(format!("project {p}"));
        }
        if let Some(d) = &self.description {
            parts.push(format!("description {d}"));
        }
        let what = format!("{} {}", self.kind.key(), self.index);
        if parts.is_empty() {
            what
        } else {
            format!("{what} ({})", parts.join(", "))
        }
    }

    /// The first 8 characters of its id, or its number: how a device of the run is named.
    pub fn short(&self) -> String {
        match &self.id {
            Some(i) => i.chars().take(8).collect(),
            None => self.index.to_string(),
        }
    }
}

/// Keep, of `runs`, those `sel` names (the others are no longer counted): a description of the
/// choice, or an error listing the runs there are.
pub fn select(path: &Path, runs: &mut [RunSummary], sel: &RunSelector) -> Result<String> {
    let chosen = matching(runs, sel).map_err(|why| unknown_run(path, runs, sel, why))?;
    for r in runs.iter_mut() {
        if chosen.contains(&r.index) {
            r.counted = true;
            r.excluded_because = None;
        } else {
            r.counted = false;
            r.excluded_because = Some("not chosen".into());
        }
    }
    let names: Vec<String> = runs
        .iter()
        .filter(|r| r.counted)
        .map(RunSummary::label)
        .collect();
    Ok(format!(
        "{sel}: {} of the {} in the file: {}",
        names.len(),
        runs.len(),
        names.join("; ")
    ))
}

/// The numbers of the runs `sel` names, or why none.
fn matching(runs: &[RunSummary], sel: &RunSelector) -> std::result::Result<Vec<u32>, String> {
    let by_id = |s: &str| -> std::result::Result<Option<u32>, String> {
        if let Some(r) = runs.iter().find(|r| r.id.as_deref() == Some(s)) {
            return Ok(Some(r.index));
        }
        let starts: Vec<&RunSummary> = runs
            .iter()
            .filter(|r| !s.is_empty() && r.id.as_deref().is_some_and(|i| i.starts_with(s)))
            .collect();
        match starts.as_slice() {
            [] => Ok(None),
            [r] => Ok(Some(r.index)),
            many => Err(format!(
                "\"{s}\" starts the id of {} runs: give more of it",
                many.len()
            )),
        }
    };
    let by_name = |s: &str, description: bool| -> Vec<u32> {
        runs.iter()
            .filter(|r| {
                r.project_name.as_deref() == Some(s)
                    || (description && r.description.as_deref() == Some(s))
            })
            .map(|r| r.index)
            .collect()
    };
    let by_index = |n: u32| -> Option<u32> { runs.iter().find(|r| r.index == n).map(|r| r.index) };
    let none = |what: &str| Err(format!("no run has this {what}"));
    match sel {
        RunSelector::Id(s) => by_id(s)?.map(|i| vec![i]).map_or_else(|| none("id"), Ok),
        RunSelector::ProjectName(s) => {
            let v = by_name(s, false);
            if v.is_empty() {
                none("project name")
            } else {
                Ok(v)
            }
        }
        RunSelector::Index(n) => by_index(*n).map(|i| vec![i]).map_or_else(
            || {
                Err(format!(
                    "the file has {} run(s), numbered from 1 to {}",
                    runs.len(),
                    runs.len()
                ))
            },
            Ok,
        ),
        RunSelector::Any(s) => {
            let named = match by_id(s)? {
                Some(i) => vec![i],
                None => by_name(s, true),
            };
            let number = s.parse::<u32>().ok().and_then(by_index);
            match (named.is_empty(), number) {
                (false, Some(n)) if named != [n] => Err(format!(
                    "\"{s}\" names run(s) {} by id or name, and run {n} by number: use run_id, project_name or run_index",
                    list(&named)
                )),
                (false, _) => Ok(named),
                (true, Some(n)) => Ok(vec![n]),
                (true, None) if s.parse::<u32>().is_ok() => Err(format!(
                    "no run has this id, project name or description, and the file's runs are numbered from 1 to {}",
                    runs.len()
                )),
                (true, None) => Err(
                    "no run has this id (or an id starting with it), project name or description"
                        .into(),
                ),
            }
        }
    }
}

fn list(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// The error of a choice that names no run: the file, the runs there are, what to give.
fn unknown_run(path: &Path, runs: &[RunSummary], sel: &RunSelector, why: String) -> Error {
    let available: Vec<String> = runs.iter().map(RunSummary::label).collect();
    let kind = ErrorKind::UnknownRun {
        selector: sel.to_string(),
        why,
        available,
    };
    Error::input(Diagnostic::of(kind).file(path).hint(format!(
        "give a run's id (or its first characters), its project name, or its number from 1 to {} (the # column of `mlca trace summary {}`)",
        runs.len(),
        path.display()
    )))
}

/// Refuse the options of a time series (a window, an idle segment) for a file of run totals
/// (`what` names it: "a CodeCarbon file").
pub fn refuse_window(path: &Path, opts: &TraceOptions, what: &str) -> Result<()> {
    if opts.start.is_none() && opts.end.is_none() && opts.idle_start.is_none() {
        return Ok(());
    }
    Err(file_error(
        path,
        format!("{what} holds run totals, not a time series: no window or idle segment applies"),
        "remove start, end, idle_start and idle_end (idle_power_w may stay); to take some of the file's runs, give run_id, project_name or run_index (--run on the command line)",
    ))
}

/// Count the runs the options choose (every run without a choice), and say so in
/// `assumptions` (`tool` starts the line).
pub fn choose(
    path: &Path,
    runs: &mut [RunSummary],
    opts: &TraceOptions,
    tool: &str,
    assumptions: &mut Vec<String>,
) -> Result<()> {
    match &opts.run {
        Some(sel) => assumptions.push(format!(
            "{tool}: runs chosen by {}",
            select(path, runs, sel)?
        )),
        None if runs.len() > 1 => assumptions.push(format!(
            "{tool}: {} runs in the file, all counted: their energies and their durations are added (run_id, project_name or run_index takes some)",
            runs.len()
        )),
        None => {}
    }
    Ok(())
}

/// A measured value as a tool wrote it: a finite number, 0 or more; else an error at its line
/// (`what` names the value, `hint` says how the tool writes it).
pub fn measured(path: &Path, line: u64, text: &str, what: &str, hint: &str) -> Result<f64> {
    let message = match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => return Ok(x),
        Ok(x) => format!("{what} {x} is not a finite number of 0 or more"),
        Err(_) => format!("cannot read \"{}\" as a number ({what})", text.trim()),
    };
    Err(super::row_error(
        path,
        super::integrate::RowError {
            row: line,
            message,
            hint: Some(hint.into()),
        },
        None,
    ))
}

/// A device of a file of run totals: one energy over one run's duration (no samples between),
/// its dynamic energy above `idle_power_w` when one is given.
pub fn total_device(
    device: String,
    component: TraceComponent,
    name: Option<String>,
    kwh: f64,
    duration_s: f64,
    rows: u64,
    idle_power_w: Option<f64>,
) -> DeviceSummary {
    let power = if duration_s > 0.0 {
        kwh * J_PER_KWH / duration_s
    } else {
        0.0
    };
    DeviceSummary {
        device,
        component,
        name,
        signal: Signal::Counter,
        included: true,
        excluded_because: None,
        estimated: false,
        energy_kwh: Interval::exact(kwh),
        dynamic_energy_kwh: idle_power_w
            .map(|w| Interval::exact((kwh - w * duration_s / J_PER_KWH).max(0.0))),
        idle_power_w,
        duration_s,
        mean_power_w: power,
        max_power_w: power,
        samples: rows,
        median_interval_s: None,
        gap_threshold_s: None,
        gaps: vec![],
        start: None,
        end: None,
        bins_j: Vec::new(),
        power_bins_j: Vec::new(),
    }
}

/// What a reader of run totals found, to be summed into a [`TraceSummary`].
pub struct Totals {
    pub format: InputFormat,
    /// Data rows (or log lines) read.
    pub rows: u64,
    pub runs: Vec<RunSummary>,
    /// The devices of the counted runs.
    pub devices: Vec<DeviceSummary>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
}

/// The summary of the counted runs: their devices' energies added (total, per component and
/// dynamic), their durations added, their water added.
pub fn totals(path: &Path, t: Totals, opts: &TraceOptions) -> Result<TraceSummary> {
    let counted: Vec<&RunSummary> = t.runs.iter().filter(|r| r.counted).collect();
    if counted.is_empty() {
        return Err(file_error(
            path,
            "no run of the file counts in the totals",
            "see the runs listed by `mlca trace summary`",
        ));
    }
    let mut by_component: BTreeMap<TraceComponent, Interval> = BTreeMap::new();
    let mut total = Interval::ZERO;
    let mut dynamic = Interval::ZERO;
    for d in t.devices.iter().filter(|d| d.included) {
        total = total + d.energy_kwh;
        let e = by_component.entry(d.component).or_insert(Interval::ZERO);
        *e = *e + d.energy_kwh;
        if let Some(x) = d.dynamic_energy_kwh {
            dynamic = dynamic + x;
        }
    }
    let water_l = counted.iter().map(|r| r.water_l).sum::<Option<f64>>();
    let wue = counted.first().and_then(|r| r.wue_l_per_kwh);
    let same_wue = counted.iter().all(|r| r.wue_l_per_kwh == wue);
    Ok(TraceSummary {
        file: path.display().to_string(),
        format: t.format,
        rows: t.rows,
        window_start: None,
        window_end: None,
        energy_kwh: total,
        dynamic_energy_kwh: opts.idle_power_w.map(|_| dynamic),
        by_component,
        duration_s: counted.iter().map(|r| r.duration_s).sum(),
        gap_policy: opts.gap_policy,
        gaps: 0,
        devices: t.devices,
        runs: t.runs,
        water_l,
        wue_l_per_kwh: if same_wue { wue } else { None },
        estimated_energy_kwh: None,
        assumptions: t.assumptions,
        warnings: t.warnings,
        power_bin_s: None,
        time_bins_j: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs() -> Vec<RunSummary> {
        let mk = |i: u32, id: &str, p: &str| {
            let mut r = RunSummary::new(i, RunKind::Run, 0.001 * f64::from(i), 1.0);
            r.id = Some(id.into());
            r.project_name = Some(p.into());
            r
        };
        vec![
            mk(1, "cbd949f8-9295", "run0"),
            mk(2, "17b3e22b-eb36", "run1"),
            mk(3, "bbc9c1be-0eda", "2"),
            mk(4, "bbd00000-0000", "run1"),
        ]
    }

    fn chosen(sel: RunSelector) -> std::result::Result<Vec<u32>, String> {
        matching(&runs(), &sel)
    }

    #[test]
    fn by_id_by_its_start_by_name_and_by_number() {
        assert_eq!(chosen(RunSelector::Id("17b3e22b-eb36".into())), Ok(vec![2]));
        assert_eq!(chosen(RunSelector::Id("17b3".into())), Ok(vec![2]));
        assert!(chosen(RunSelector::Id("bb".into())).is_err_and(|e| e.contains("2 runs")));
        assert_eq!(
            chosen(RunSelector::ProjectName("run1".into())),
            Ok(vec![2, 4])
        );
        assert_eq!(chosen(RunSelector::Index(1)), Ok(vec![1]));
        assert!(chosen(RunSelector::Index(5)).is_err_and(|e| e.contains("from 1 to 4")));
        assert_eq!(chosen(RunSelector::Any("cbd9".into())), Ok(vec![1]));
        assert_eq!(chosen(RunSelector::Any("run0".into())), Ok(vec![1]));
        assert_eq!(chosen(RunSelector::Any("4".into())), Ok(vec![4]));
        // "2" is run 3's project name and run 2's number: refused, not guessed
        assert!(chosen(RunSelector::Any("2".into())).is_err_and(|e| e.contains("run_index")));
        assert!(chosen(RunSelector::Any("nope".into())).is_err());
    }

    #[test]
    fn the_runs_not_chosen_are_not_counted() {
        let mut r = runs();
        let why = select(Path::new("e.csv"), &mut r, &RunSelector::Index(2))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(why.contains("1 of the 4"), "{why}");
        let counted: Vec<u32> = r.iter().filter(|r| r.counted).map(|r| r.index).collect();
        assert_eq!(counted, vec![2]);
        let e = select(Path::new("e.csv"), &mut r, &RunSelector::Id("zz".into()))
            .expect_err("unknown id");
        let text = e.to_string();
        assert!(
            text.contains("cbd949f8-9295") && text.contains("e.csv"),
            "{text}"
        );
    }

    #[test]
    fn it_energy_is_the_tool_energy_over_its_pue() {
        let r = RunSummary::new(1, RunKind::Run, 0.000223027, 1.5);
        // 2.23027e-4 / 1.5 = 1.486846666...e-4
        assert!((r.energy_kwh - 1.486_846_666_67e-4).abs() < 1e-15);
    }
}
