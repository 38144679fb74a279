//! CodeCarbon `emissions.csv`, the one reader of the format, every version (`rows`): the runs'
//! totals for a trace summary, and the cumulative rows of one run's `flush()`es for an
//! extrapolation. Energies are in kWh and include the tracker's PUE; mlca divides it out:
//! E_IT = E / pue (pue >= 1, a column of newer versions; PUE 1 without it).
//!
//! Several runs in a file are added (energies and durations: the runs ran one after the other)
//! unless a choice of runs ([`RunSelector`]) keeps some. A row that repeats the cumulative
//! energy of the run's row before it (the last `flush()` and the `stop()` right after it) adds
//! nothing and is noted.

mod rows;

use super::runs::{self, RunSelector, RunSummary, Totals};
use super::{file_error, TraceComponent, TraceOptions, TraceSummary};
use crate::error::{Diagnostic, Error, Result};
use crate::scenario::InputFormat;
use std::path::Path;

/// The runs of a CodeCarbon file as a trace summary: per counted run, one device per component
/// (cpu_energy, gpu_energy, ram_energy; the whole energy as the node's without them), each
/// divided by the run's PUE.
pub(super) fn read_codecarbon(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    runs::refuse_window(path, opts, "a CodeCarbon file")?;
    let f = rows::read(path)?;
    let mut assumptions = f.assumptions.clone();
    let mut runs: Vec<RunSummary> = f.runs.iter().map(|r| r.summary.clone()).collect();
    runs::choose(path, &mut runs, opts, "codecarbon", &mut assumptions)?;
    for run in &f.runs {
        for (line, before) in &run.repeats {
            assumptions.push(format!(
                "codecarbon: run {}: row {line} repeats the cumulative energy of row {before} (a flush() and the stop() right after it): the run's total is unchanged",
                run.summary.short()
            ));
        }
    }
    let mut devices = Vec::new();
    for (run, s) in f.runs.iter().zip(&runs).filter(|(_, s)| s.counted) {
        let last = &f.rows[run.last];
        let mut split: Vec<(TraceComponent, f64)> = f
            .cols
            .parts
            .iter()
            .zip(last.parts)
            .filter_map(|((c, _, _), v)| v.map(|v| (*c, v / last.pue)))
            .collect();
        if split.is_empty() {
            split.push((TraceComponent::Node, last.energy_kwh / last.pue));
        }
        for (comp, kwh) in split {
            let name = (comp == TraceComponent::Gpu)
                .then(|| last.gpu_model.clone())
                .flatten();
            devices.push(runs::total_device(
                format!("{comp} (run {})", s.short()),
                comp,
                name,
                kwh,
                s.duration_s,
                s.rows,
                opts.idle_power_w,
            ));
        }
    }
    let totals = Totals {
        format: InputFormat::Codecarbon,
        rows: f.rows.len() as u64,
        runs,
        devices,
        assumptions,
        warnings: Vec::new(),
    };
    runs::totals(path, totals, opts)
}

/// One `flush()` row: its time, the run's duration so far (s) and its cumulative IT energy
/// (kWh, the row's `energy_consumed` / pue).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlushRow {
    pub t: crate::quantity::time::Stamp,
    pub duration_s: f64,
    pub energy_kwh: f64,
    pub row: u64,
}

/// The rows of one run of a CodeCarbon file as cumulative points (the rows of its `flush()`es
/// and its `stop()`), read with the same columns and checks as the run totals, and notes on what
/// was left out. The run is the file's only one, or the one `run` names; a row repeating the
/// energy of the row before it is left out (two points at one time and energy).
pub fn flush_rows(path: &Path, run: Option<&RunSelector>) -> Result<(Vec<FlushRow>, Vec<String>)> {
    let f = rows::read(path)?;
    if f.cols.ts.is_none() {
        return Err(file_error(
            path,
            "codecarbon: no column \"timestamp\"",
            "the flush() rows are placed on the training log by their timestamp: give the emissions.csv CodeCarbon wrote",
        ));
    }
    let mut runs: Vec<RunSummary> = f.runs.iter().map(|r| r.summary.clone()).collect();
    let mut notes = Vec::new();
    let chosen = match run {
        Some(sel) => {
            let why = runs::select(path, &mut runs, sel)?;
            let counted: Vec<usize> = (0..runs.len()).filter(|&k| runs[k].counted).collect();
            if counted.len() != 1 {
                return Err(one_run(
                    path,
                    &runs,
                    &format!("{sel} names {} runs", counted.len()),
                ));
            }
            notes.push(format!("codecarbon: {why}"));
            &f.runs[counted[0]]
        }
        None if f.runs.len() == 1 => &f.runs[0],
        None => {
            return Err(one_run(
                path,
                &runs,
                &format!("the file holds {} runs", runs.len()),
            ))
        }
    };
    let mut out = Vec::new();
    for &k in &chosen.rows {
        let r = &f.rows[k];
        if let Some((line, before)) = chosen.repeats.iter().find(|(l, _)| *l == r.line) {
            notes.push(format!(
                "codecarbon: row {line} repeats the cumulative energy of row {before} (a flush() and the stop() right after it): one point"
            ));
            continue;
        }
        let t =
            r.t.ok_or_else(|| Error::Internal("a CodeCarbon row without its time".into()))?;
        out.push(FlushRow {
            t,
            duration_s: r.duration_s,
            energy_kwh: r.energy_kwh / r.pue,
            row: r.line,
        });
    }
    Ok((out, notes))
}

/// The error of a file whose flush() rows come from more than one run.
fn one_run(path: &Path, runs: &[RunSummary], why: &str) -> Error {
    let list: Vec<String> = runs.iter().map(RunSummary::label).collect();
    Error::input(
        Diagnostic::new(format!(
            "codecarbon: {why}; extrapolation points come from the flush() rows of one run: {}",
            list.join("; ")
        ))
        .file(path)
        .hint(format!(
            "choose one with --run (a run_id or its first characters, a project_name, or a number from 1 to {}), or run_id, project_name or run_index in a scenario",
            runs.len()
        )),
    )
}

#[cfg(test)]
mod tests;
