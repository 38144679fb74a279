//! Carbontracker's two logs of a run (`parse`): `*_carbontracker.log` (per epoch: duration and
//! mean power of each component) and `*_carbontracker_output.log` (the predicted and the actual
//! consumption, kWh). Either may be given: the other, named the same way beside it, is read too.
//!
//! Carbontracker multiplies its predicted and actual consumptions (not the epochs' powers) by a
//! fixed PUE, 1.58 in version 2 (its log says so): mlca divides it out, E_IT = E / PUE. The runs
//! table lists each epoch (E = sum over components of P x duration), the actual consumption and
//! the prediction; the actual is counted (the epochs are inside it, the prediction covers epochs
//! not run), or the epochs' sum without an output log. `--run` takes another: an epoch's number,
//! `actual` or `predicted`. With several components, a consumption is split between them in
//! proportion to their epochs' energies.

mod parse;
#[cfg(test)]
mod tests;

pub(in crate::energy::trace) use parse::is_log_line;

use super::runs::{self, RunKind, RunSummary, Totals};
use super::{TraceComponent, TraceOptions, TraceSummary};
use crate::error::Result;
use crate::quantity::format::{exact, num};
use crate::quantity::units::J_PER_KWH;
use crate::scenario::InputFormat;
use parse::Log;
use std::path::{Path, PathBuf};

/// Carbontracker's PUE since version 2 (PUE_2023, Uptime Institute 2023), assumed when the logs
/// do not state theirs.
const PUE_2023: f64 = 1.58;

/// The log that goes with `path`: `X_carbontracker.log` and `X_carbontracker_output.log`.
fn other_log(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let other = if let Some(stem) = name.strip_suffix("carbontracker_output.log") {
        format!("{stem}carbontracker.log")
    } else {
        format!(
            "{}carbontracker_output.log",
            name.strip_suffix("carbontracker.log")?
        )
    };
    Some(path.with_file_name(other))
}

/// The component of a Carbontracker component name.
fn component(name: &str) -> TraceComponent {
    match name {
        "cpu" => TraceComponent::Cpu,
        "gpu" => TraceComponent::Gpu,
        _ => TraceComponent::Other,
    }
}

/// Read a run's logs as a trace summary.
pub(super) fn read(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    runs::refuse_window(path, opts, "a Carbontracker log")?;
    let mut log = Log::default();
    parse::read_into(path, &mut log)?;
    let mut assumptions = Vec::new();
    match other_log(path).filter(|p| p.is_file()) {
        Some(o) => {
            parse::read_into(&o, &mut log)?;
            assumptions.push(format!(
                "carbontracker: read with its other log, {}",
                o.display()
            ));
        }
        None => assumptions.push(format!(
            "carbontracker: {} alone (no {} beside it)",
            path.display(),
            other_log(path).map_or("other log named alike".into(), |o| o.display().to_string())
        )),
    }
    if log.epochs.is_empty() && log.actual.is_none() && log.predicted.is_none() {
        let mut d = crate::error::Diagnostic::new(format!(
            "carbontracker: no epoch and no consumption in the log ({} line(s))",
            log.lines
        ))
        .file(path)
        .hint("give the logs of a run that finished at least one epoch");
        d.line = Some(log.lines.max(1) as usize);
        return Err(crate::error::Error::input(d));
    }
    let mut warnings = Vec::new();
    let consumption = log.actual.is_some() || log.predicted.is_some();
    let pue = match log.pue {
        _ if !consumption => log.pue.unwrap_or(PUE_2023),
        Some(p) => {
            assumptions.push(format!("carbontracker: its actual and predicted consumptions include its PUE {} (as its log says): divided out to give IT energy; the epochs' powers do not include it", exact(p)));
            p
        }
        None => {
            let text = format!("carbontracker: the logs do not state the PUE Carbontracker multiplied its consumptions by: {PUE_2023} assumed (its PUE_2023, version 2), divided out");
            warnings.push(text.clone());
            assumptions.push(text);
            PUE_2023
        }
    };
    if log.interrupted {
        warnings.push("carbontracker: the training was interrupted before all the epochs to monitor were (the log says so)".into());
    }
    let own: Vec<String> = log
        .intensity_g_per_kwh
        .map(|i| format!("{} gCO2eq/kWh", num(i)))
        .into_iter()
        .chain(
            log.actual
                .as_ref()
                .map(|a| format!("{} gCO2eq for the actual consumption", num(a.co2eq_g))),
        )
        .collect();
    if !own.is_empty() {
        assumptions.push(format!(
            "carbontracker: its own carbon figures ({}) are not used: the scenario's electricity factors are",
            own.join(", ")
        ));
    }
    let mut runs = table(&log, pue);
    for ep in &log.epochs {
        for (c, p) in &ep.powers {
            if p.is_none() {
                warnings.push(format!("carbontracker: epoch {}: no mean power of {c} (an epoch shorter than a measurement): its energy is not in the epoch's", ep.number));
            }
        }
    }
    match &opts.run {
        Some(_) => runs::choose(path, &mut runs, opts, "carbontracker", &mut assumptions)?,
        None => default_choice(&mut runs, &mut assumptions, &mut warnings),
    }
    let devices = devices(&log, &runs, opts);
    let totals = Totals {
        format: InputFormat::Carbontracker,
        rows: log.lines,
        runs,
        devices,
        assumptions,
        warnings,
    };
    runs::totals(path, totals, opts)
}

/// The runs table: each epoch, the actual consumption, the prediction.
fn table(log: &Log, pue: f64) -> Vec<RunSummary> {
    let mut runs = Vec::new();
    let mut index = 0u32;
    let mut next = || {
        index += 1;
        index
    };
    for ep in &log.epochs {
        let d = ep.duration_s.unwrap_or(0.0);
        let j: f64 = ep.powers.iter().filter_map(|(_, p)| *p).sum::<f64>() * d;
        let mut r = RunSummary::new(next(), RunKind::Epoch, j / J_PER_KWH, 1.0);
        r.id = Some(format!("epoch-{}", ep.number));
        r.timestamp = Some(ep.time.clone());
        r.duration_s = d;
        r.rows = 2 + ep.powers.len() as u64;
        r.line = ep.line;
        runs.push(r);
    }
    let epochs_s: f64 = log.epochs.iter().filter_map(|e| e.duration_s).sum();
    for (kind, c) in [
        (RunKind::Actual, &log.actual),
        (RunKind::Predicted, &log.predicted),
    ] {
        let Some(c) = c else { continue };
        let mut r = RunSummary::new(next(), kind, c.energy_kwh, pue);
        r.id = Some(kind.key().to_string());
        r.description = Some(format!("{} epoch(s)", c.epochs));
        r.timestamp = Some(c.time.clone());
        // the logged time is to the second; the epochs' durations to the hundredth
        r.duration_s = if kind == RunKind::Actual && c.epochs as usize == log.epochs.len() {
            epochs_s
        } else {
            c.duration_s
        };
        r.rows = 4;
        r.line = c.line;
        runs.push(r);
    }
    runs
}

/// Without a choice: the actual consumption, else the epochs, else the prediction (warned).
fn default_choice(
    runs: &mut [RunSummary],
    assumptions: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    let has = |k: RunKind| runs.iter().any(|r| r.kind == k);
    let (actual, epochs) = (has(RunKind::Actual), has(RunKind::Epoch));
    for r in runs.iter_mut() {
        let why = match r.kind {
            RunKind::Epoch if actual => Some("inside the actual consumption".to_string()),
            RunKind::Predicted if actual || epochs => Some(format!(
                "a prediction for {}; --run predicted takes it",
                r.description.as_deref().unwrap_or("the training")
            )),
            _ => None,
        };
        r.counted = why.is_none();
        r.excluded_because = why;
    }
    if let Some(a) = runs.iter().find(|r| r.kind == RunKind::Actual) {
        let epochs_kwh: f64 = runs
            .iter()
            .filter(|r| r.kind == RunKind::Epoch)
            .map(|r| r.energy_kwh)
            .sum();
        let beside = if epochs {
            format!(
                "; the epochs' mean power x duration gives {} kWh",
                num(epochs_kwh)
            )
        } else {
            String::new()
        };
        assumptions.push(format!(
            "carbontracker: the actual consumption counted: {} kWh / PUE {} = {} kWh{beside}",
            exact(a.tool_energy_kwh),
            exact(a.tool_pue),
            exact(a.energy_kwh)
        ));
    } else if epochs {
        assumptions.push("carbontracker: no actual consumption in the logs: the epochs' mean power x duration counted".into());
    } else {
        warnings.push("carbontracker: only the predicted consumption is in the logs: counted, as Carbontracker's own aggregate does".into());
    }
}

/// The devices of the counted runs: per component, an epoch's P x duration, or a consumption
/// split in proportion to the components' energies over the epochs.
fn devices(log: &Log, runs: &[RunSummary], opts: &TraceOptions) -> Vec<super::DeviceSummary> {
    let names: Vec<String> = match log.epochs.first() {
        Some(e) => e.powers.iter().map(|(c, _)| c.clone()).collect(),
        None => log.components.iter().map(|(c, _)| c.clone()).collect(),
    };
    let devices_of = |c: &str| {
        log.components
            .iter()
            .find(|(n, _)| n == c)
            .map(|(_, d)| d.clone())
    };
    let energy_j = |c: &str| -> f64 {
        log.epochs
            .iter()
            .map(|e| {
                let p: f64 = e
                    .powers
                    .iter()
                    .filter(|(n, _)| n == c)
                    .filter_map(|(_, p)| *p)
                    .sum();
                p * e.duration_s.unwrap_or(0.0)
            })
            .sum()
    };
    let all_j: f64 = names.iter().map(|c| energy_j(c)).sum();
    let mut out = Vec::new();
    for r in runs.iter().filter(|r| r.counted) {
        let label = r.id.clone().unwrap_or_default();
        let parts: Vec<(String, f64)> = match r.kind {
            RunKind::Epoch => {
                let ep = &log.epochs[(r.index - 1) as usize];
                ep.powers
                    .iter()
                    .map(|(c, p)| {
                        (
                            c.clone(),
                            p.unwrap_or(0.0) * ep.duration_s.unwrap_or(0.0) / J_PER_KWH,
                        )
                    })
                    .collect()
            }
            _ if names.len() > 1 && all_j > 0.0 => names
                .iter()
                .map(|c| (c.clone(), r.energy_kwh * energy_j(c) / all_j))
                .collect(),
            _ if names.is_empty() => vec![("total".to_string(), r.energy_kwh)],
            _ => vec![(names.join("+"), r.energy_kwh)],
        };
        for (c, kwh) in parts {
            let comp = component(&c);
            out.push(runs::total_device(
                format!("{c} ({label})"),
                comp,
                devices_of(&c),
                kwh,
                r.duration_s,
                r.rows,
                opts.idle_power_w,
            ));
        }
    }
    out
}
