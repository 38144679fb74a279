//! CodeCarbon `emissions.csv`, the one reader of the format: the run totals for a trace
//! summary, and the cumulative rows of each `flush()` for an extrapolation. Energies are in kWh
//! and include the tracker's PUE; mlca divides it out: E_IT = E / pue (pue >= 1, a column of
//! newer versions; PUE 1 without it).

use super::integrate::{RowError, Signal};
use super::{
    csv_error, file_error, row_error, DeviceSummary, TraceComponent, TraceOptions, TraceSummary,
};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::format::readable;
use crate::quantity::interval::Interval;
use crate::quantity::units::J_PER_KWH;
use crate::scenario::InputFormat;
use std::collections::BTreeMap;
use std::path::Path;
/// CodeCarbon `emissions.csv`: rows of one `run_id` are cumulative (one per `flush()` and a last
/// one at `stop()`): the row with the longest duration is the run's total. Energies are in kWh
/// and already include the PUE the tracker was given: mlca divides it out (column `pue`).
pub(super) fn read_codecarbon(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    if opts.start.is_some() || opts.end.is_some() || opts.idle_start.is_some() {
        return Err(file_error(path, "a CodeCarbon file holds run totals, not a time series: no window or idle segment applies", "remove start, end, idle_start and idle_end (idle_power_w may stay)"));
    }
    let (mut rdr, long) = super::lines::open_csv(
        path,
        super::lines::builder().flexible(false).trim(csv::Trim::All),
    )
    .map_err(|e| file_error(path, format!("cannot read the file: {e}"), ""))?;
    let headers = rdr
        .headers()
        .map_err(|e| long_or_csv(path, &long, e))?
        .clone();
    let h = |n: &str| headers.iter().position(|c| c.trim() == n);
    let need = |n: &str| {
        h(n).ok_or_else(|| {
            file_error(
                path,
                format!("codecarbon: no column \"{n}\""),
                "emissions.csv from CodeCarbon has run_id, duration and energy_consumed",
            )
        })
    };
    let run = need("run_id")?;
    let dur = need("duration")?;
    let total = need("energy_consumed")?;
    let parts = [
        (TraceComponent::Cpu, h("cpu_energy")),
        (TraceComponent::Gpu, h("gpu_energy")),
        (TraceComponent::Dram, h("ram_energy")),
    ];
    let pue_col = h("pue");
    let gpu_model = h("gpu_model");
    let ts_col = h("timestamp");
    let mut assumptions = vec!["codecarbon: rows of one run_id are cumulative; the row with the longest duration is the run".to_string()];
    if pue_col.is_none() {
        assumptions.push(
            "codecarbon: no pue column (an older version): energies taken as IT energy (PUE 1)"
                .into(),
        );
    } else {
        assumptions.push("codecarbon: energies include the tracker's PUE; divided by its pue column to give IT energy".into());
    }
    // run -> (duration, row, record, rows seen)
    let mut runs: Vec<(String, f64, u64, csv::StringRecord, u64)> = Vec::new();
    // run -> (energy_consumed, row) of its last row so far: the energy is cumulative
    let mut last: Vec<(String, f64, u64)> = Vec::new();
    let mut rows = 0;
    for r in rdr.records() {
        let rec = r.map_err(|e| {
            if long.get().is_some() {
                return long_or_csv(path, &long, e);
            }
            let mut d = Diagnostic::new(format!("cannot read the CSV: {e}"))
                .file(path)
                .hint("a truncated line, or a row with more or fewer fields than the header");
            d.line = e.position().map(|p| p.line() as usize);
            Error::input(d)
        })?;
        rows += 1;
        let row = rec.position().map_or(0, |p| p.line());
        let d = number(path, &rec, dur, "duration", row)?;
        // every row is checked, not only the one kept for its run
        if let Some(i) = ts_col {
            stamp(path, &rec, i, row)?;
        }
        let e = number(path, &rec, total, "energy_consumed", row)?;
        for (comp, col) in parts {
            if let Some(i) = col {
                number(
                    path,
                    &rec,
                    i,
                    headers.get(i).unwrap_or(comp.key()).trim(),
                    row,
                )?;
            }
        }
        pue_of(path, &rec, pue_col, row)?;
        let id = rec.get(run).unwrap_or("").to_string();
        match last.iter_mut().find(|r| r.0 == id) {
            Some((_, e0, row0)) if e < *e0 => {
                return Err(row_error(
                    path,
                    RowError {
                        row,
                        message: format!(
                            "the cumulative energy of run {id} decreases: energy_consumed {} kWh, after {} kWh at row {row0}",
                            readable(e),
                            readable(*e0)
                        ),
                        hint: Some("the rows of one run_id are cumulative (one per flush()): a file that joins two runs under one run_id, or rows out of order".into()),
                    },
                    None,
                ));
            }
            Some(r) => {
                r.1 = e;
                r.2 = row;
            }
            None => last.push((id.clone(), e, row)),
        }
        match runs.iter_mut().find(|r| r.0 == id) {
            Some(r) => {
                r.4 += 1;
                if d >= r.1 {
                    r.1 = d;
                    r.2 = row;
                    r.3 = rec.clone();
                }
            }
            None => runs.push((id, d, row, rec.clone(), 1)),
        }
    }
    if runs.is_empty() {
        return Err(file_error(
            path,
            "codecarbon: the file has a header but no row",
            "check that the tracker was stopped or flushed",
        ));
    }
    let mut devices = Vec::new();
    let mut by_component: BTreeMap<TraceComponent, Interval> = BTreeMap::new();
    let mut total_kwh = Interval::ZERO;
    let mut dyn_kwh = Interval::ZERO;
    let mut duration = 0.0f64;
    for (id, d, row, rec, n) in &runs {
        let get = |i: usize, c: &str| number(path, rec, i, c, *row);
        let pue = pue_of(path, rec, pue_col, *row)?;
        let short: String = id.chars().take(8).collect();
        let mut split: Vec<(TraceComponent, f64)> = Vec::new();
        for (comp, col) in parts {
            if let Some(i) = col {
                split.push((comp, get(i, comp.key())? / pue));
            }
        }
        if split.is_empty() {
            split.push((TraceComponent::Node, get(total, "energy_consumed")? / pue));
        }
        for (comp, kwh) in split {
            let e = Interval::exact(kwh);
            let dyn_e = opts
                .idle_power_w
                .map(|w| Interval::exact((kwh - w * d / J_PER_KWH).max(0.0)));
            total_kwh = total_kwh + e;
            if let Some(x) = dyn_e {
                dyn_kwh = dyn_kwh + x;
            }
            *by_component.entry(comp).or_insert(Interval::ZERO) =
                by_component.get(&comp).copied().unwrap_or(Interval::ZERO) + e;
            devices.push(DeviceSummary {
                device: format!("{comp} (run {short})"),
                component: comp,
                name: if comp == TraceComponent::Gpu {
                    gpu_model.and_then(|i| rec.get(i)).map(str::to_string)
                } else {
                    None
                },
                signal: Signal::Counter,
                included: true,
                excluded_because: None,
                energy_kwh: e,
                dynamic_energy_kwh: dyn_e,
                idle_power_w: opts.idle_power_w,
                duration_s: *d,
                mean_power_w: if *d > 0.0 { kwh * J_PER_KWH / d } else { 0.0 },
                max_power_w: if *d > 0.0 { kwh * J_PER_KWH / d } else { 0.0 },
                samples: *n,
                median_interval_s: None,
                gap_threshold_s: None,
                gaps: vec![],
                start: None,
                end: None,
                bins_j: Vec::new(),
                power_bins_j: Vec::new(),
            });
        }
        duration = duration.max(*d);
    }
    let mut warnings = Vec::new();
    if runs.len() > 1 {
        warnings.push(format!(
            "codecarbon: {} runs in the file; their energies are added",
            runs.len()
        ));
    }
    Ok(TraceSummary {
        file: path.display().to_string(),
        format: InputFormat::Codecarbon,
        rows,
        window_start: None,
        window_end: None,
        energy_kwh: total_kwh,
        dynamic_energy_kwh: opts.idle_power_w.map(|_| dyn_kwh),
        by_component,
        duration_s: duration,
        gap_policy: opts.gap_policy,
        gaps: 0,
        devices,
        assumptions,
        warnings,
        power_bin_s: None,
        time_bins_j: Vec::new(),
    })
}

/// The number in cell `i` (column `c`) of a row, or an error at its line.
fn number(path: &Path, rec: &csv::StringRecord, i: usize, c: &str, row: u64) -> Result<f64> {
    let text = rec.get(i).unwrap_or("").trim();
    let fail = |message: String| {
        row_error(
            path,
            RowError {
                row,
                message,
                hint: Some(
                    "CodeCarbon writes durations in s and energies in kWh, never negative".into(),
                ),
            },
            None,
        )
    };
    let v = text.parse::<f64>().map_err(|_| {
        fail(format!(
            "cannot read \"{}\" as a number in column \"{c}\"",
            rec.get(i).unwrap_or("")
        ))
    })?;
    if !v.is_finite() {
        return Err(fail(format!("{c} \"{text}\" is not a finite number")));
    }
    if v < 0.0 {
        return Err(fail(format!("{c} {v} is negative")));
    }
    Ok(v)
}

/// The time in cell `i` (column `timestamp`) of a row, or an error at its line.
fn stamp(
    path: &Path,
    rec: &csv::StringRecord,
    i: usize,
    row: u64,
) -> Result<crate::quantity::time::Stamp> {
    let f = rec.get(i).unwrap_or("").trim();
    crate::quantity::time::parse(f.as_bytes()).ok_or_else(|| {
        let month = f
            .get(5..7)
            .filter(|_| f.as_bytes().get(4) == Some(&b'-'))
            .and_then(|m| m.parse::<u32>().ok())
            .filter(|m| !(1..=12).contains(m));
        let why = month.map_or(String::new(), |m| format!(": there is no month {m}"));
        row_error(
            path,
            RowError {
                row,
                message: format!("cannot read \"{f}\" as a time in column \"timestamp\"{why}"),
                hint: Some("CodeCarbon writes times like 2025-03-02T14:01:40".into()),
            },
            None,
        )
    })
}

/// The PUE a row's energies include: its `pue` cell (at least 1), or 1 without the column.
fn pue_of(path: &Path, rec: &csv::StringRecord, col: Option<usize>, row: u64) -> Result<f64> {
    let pue = match col {
        Some(i) => number(path, rec, i, "pue", row)?,
        None => 1.0,
    };
    if pue.is_nan() || pue < 1.0 {
        return Err(row_error(
            path,
            RowError {
                row,
                message: format!("pue {pue} is below 1"),
                hint: None,
            },
            None,
        ));
    }
    Ok(pue)
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

/// Every row of a CodeCarbon file as a cumulative point (the rows of `flush()`), read with the
/// same columns and checks as the run totals.
pub fn flush_rows(path: &Path) -> Result<Vec<FlushRow>> {
    let (mut rdr, long) = super::lines::open_csv(
        path,
        super::lines::builder().flexible(false).trim(csv::Trim::All),
    )
    .map_err(|e| file_error(path, format!("cannot read the file: {e}"), ""))?;
    let headers = rdr
        .headers()
        .map_err(|e| long_or_csv(path, &long, e))?
        .clone();
    let h = |n: &str| headers.iter().position(|c| c.trim() == n);
    let need = |n: &str| {
        h(n).ok_or_else(|| {
            file_error(
                path,
                format!("codecarbon: no column \"{n}\""),
                "emissions.csv from CodeCarbon with timestamp, duration and energy_consumed",
            )
        })
    };
    let (ts, dur, total) = (
        need("timestamp")?,
        need("duration")?,
        need("energy_consumed")?,
    );
    let pue_col = h("pue");
    let mut out = Vec::new();
    for r in rdr.records() {
        let rec = r.map_err(|e| long_or_csv(path, &long, e))?;
        let row = rec.position().map_or(0, |p| p.line());
        let t = stamp(path, &rec, ts, row)?;
        let pue = pue_of(path, &rec, pue_col, row)?;
        out.push(FlushRow {
            t,
            duration_s: number(path, &rec, dur, "duration", row)?,
            energy_kwh: number(path, &rec, total, "energy_consumed", row)? / pue,
            row,
        });
    }
    Ok(out)
}

/// A line found too long, else the csv crate's error.
fn long_or_csv(path: &Path, long: &super::lines::LongLine, e: csv::Error) -> Error {
    match long.error("a CodeCarbon CSV file") {
        Some((row, message)) => row_error(
            path,
            RowError {
                row,
                message,
                hint: Some("give the emissions.csv CodeCarbon wrote".into()),
            },
            None,
        ),
        None => csv_error(path, e),
    }
}
