//! The rows of a CodeCarbon `emissions.csv` of any version, read by header name, and their runs.
//!
//! Columns: `duration` (s) is needed, and an energy (kWh): `energy_consumed`, or, in the oldest
//! files, `cpu_energy + gpu_energy + ram_energy` (the columns present). `run_id` (2.0 on) groups
//! the rows of a run: they are cumulative, one per `flush()` and one at `stop()`, so the row with
//! the longest duration is the run's total; without `run_id` every row is a run of its own (one
//! `stop()` each). `pue` (2.3 on) is the PUE the tracker multiplied its energies by (1 without
//! the column); `water_consumed` (L) and `wue` (L/kWh) (3.0 on) are carried as written.

use super::super::integrate::RowError;
use super::super::runs::{RunKind, RunSummary};
use super::super::{csv_error, file_error, row_error, TraceComponent};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::format::readable;
use crate::quantity::time::Stamp;
use std::path::Path;

/// Where the columns a reading needs are.
pub(super) struct Cols {
    run: Option<usize>,
    project: Option<usize>,
    pub(super) ts: Option<usize>,
    dur: usize,
    total: Option<usize>,
    /// cpu_energy, gpu_energy, ram_energy.
    pub(super) parts: [(TraceComponent, &'static str, Option<usize>); 3],
    pub(super) pue: Option<usize>,
    water: Option<usize>,
    wue: Option<usize>,
    gpu_model: Option<usize>,
}

/// One data row.
pub(super) struct Row {
    pub(super) line: u64,
    pub(super) id: Option<String>,
    project: Option<String>,
    pub(super) t: Option<Stamp>,
    timestamp: Option<String>,
    pub(super) duration_s: f64,
    /// `energy_consumed`, or the sum of the parts without it, kWh (the tracker's PUE included).
    pub(super) energy_kwh: f64,
    /// cpu_energy, gpu_energy, ram_energy, kWh, where the columns are.
    pub(super) parts: [Option<f64>; 3],
    pub(super) pue: f64,
    water_l: Option<f64>,
    wue: Option<f64>,
    pub(super) gpu_model: Option<String>,
}

/// A run: its summary, its rows (indexes into the file's rows, in file order) and its final row.
pub(super) struct Run {
    pub(super) summary: RunSummary,
    pub(super) rows: Vec<usize>,
    pub(super) last: usize,
    /// Rows that repeat the cumulative energy of the run's row before them (line, line before).
    pub(super) repeats: Vec<(u64, u64)>,
}

/// A CodeCarbon file read: its columns, rows and runs, and what was assumed reading it.
pub(super) struct File {
    pub(super) cols: Cols,
    pub(super) rows: Vec<Row>,
    pub(super) runs: Vec<Run>,
    pub(super) assumptions: Vec<String>,
}

/// Read every row of the file and group them into runs.
pub(super) fn read(path: &Path) -> Result<File> {
    let (mut rdr, long) = super::super::lines::open_csv(
        path,
        super::super::lines::builder()
            .flexible(false)
            .trim(csv::Trim::All),
    )
    .map_err(|e| file_error(path, format!("cannot read the file: {e}"), ""))?;
    let headers = rdr
        .headers()
        .map_err(|e| long_or_csv(path, &long, e))?
        .clone();
    let h = |n: &str| headers.iter().position(|c| c.trim() == n);
    let parts = [
        (TraceComponent::Cpu, "cpu_energy", h("cpu_energy")),
        (TraceComponent::Gpu, "gpu_energy", h("gpu_energy")),
        (TraceComponent::Dram, "ram_energy", h("ram_energy")),
    ];
    let total = h("energy_consumed");
    let no_column = |n: &str| {
        file_error(
            path,
            format!("codecarbon: no column \"{n}\""),
            "emissions.csv from CodeCarbon has duration and energy_consumed (older files: cpu_energy, gpu_energy and ram_energy)",
        )
    };
    let dur = h("duration").ok_or_else(|| no_column("duration"))?;
    if total.is_none() && parts.iter().all(|p| p.2.is_none()) {
        return Err(no_column("energy_consumed"));
    }
    let cols = Cols {
        run: h("run_id"),
        project: h("project_name"),
        ts: h("timestamp"),
        dur,
        total,
        parts,
        pue: h("pue"),
        water: h("water_consumed"),
        wue: h("wue"),
        gpu_model: h("gpu_model"),
    };
    let mut assumptions = Vec::new();
    match cols.run {
        Some(_) => assumptions.push("codecarbon: rows of one run_id are cumulative (one per flush(), one at stop()): the row with the longest duration is the run's total".to_string()),
        None => assumptions.push("codecarbon: no run_id column (an older version): every row is a run of its own".to_string()),
    }
    if cols.total.is_none() {
        let present: Vec<&str> = parts
            .iter()
            .filter(|p| p.2.is_some())
            .map(|p| p.1)
            .collect();
        assumptions.push(format!(
            "codecarbon: no energy_consumed column (an older version): a row's energy is {}",
            present.join(" + ")
        ));
    }
    assumptions.push(match cols.pue {
        Some(_) => "codecarbon: energies include the tracker's PUE; divided by its pue column to give IT energy".to_string(),
        None => "codecarbon: no pue column (an older version): energies taken as IT energy (PUE 1)".to_string(),
    });
    if cols.water.is_some() || cols.wue.is_some() {
        assumptions.push("codecarbon: water_consumed (L) and wue (L/kWh) are carried as the tracker wrote them; mlca computes no water impact from them".to_string());
    }
    let mut rows = Vec::new();
    for r in rdr.records() {
        let rec = r.map_err(|e| {
            if long.get().is_some() {
                return long_or_csv(path, &long, e);
            }
            let mut d = Diagnostic::new(format!("cannot read the CSV: {e}"))
                .file(path)
                .hint("a truncated line, or a row with more or fewer fields than the header (a wrong delimiter?)");
            d.line = e.position().map(|p| p.line() as usize);
            Error::input(d)
        })?;
        rows.push(row(path, &cols, &rec)?);
    }
    if rows.is_empty() {
        return Err(file_error(
            path,
            "codecarbon: the file has a header but no row",
            "check that the tracker was stopped or flushed",
        ));
    }
    let runs = group(path, &cols, &rows)?;
    Ok(File {
        cols,
        rows,
        runs,
        assumptions,
    })
}

/// A data row, every cell checked (not only those of the rows kept).
fn row(path: &Path, cols: &Cols, rec: &csv::StringRecord) -> Result<Row> {
    let line = rec.position().map_or(0, |p| p.line());
    let (t, timestamp) = match cols.ts {
        Some(i) => (
            Some(stamp(path, rec, i, line)?),
            rec.get(i).map(str::to_string),
        ),
        None => (None, None),
    };
    let duration_s = number(path, rec, cols.dur, "duration", line)?;
    let mut parts = [None; 3];
    for (k, (_, name, col)) in cols.parts.iter().enumerate() {
        if let Some(i) = col {
            parts[k] = Some(number(path, rec, *i, name, line)?);
        }
    }
    let energy_kwh = match cols.total {
        Some(i) => number(path, rec, i, "energy_consumed", line)?,
        None => parts.iter().flatten().sum(),
    };
    let opt =
        |col: Option<usize>, name: &str| col.map(|i| number(path, rec, i, name, line)).transpose();
    let text = |col: Option<usize>| {
        col.and_then(|i| rec.get(i))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(Row {
        line,
        id: cols.run.map(|i| rec.get(i).unwrap_or("").to_string()),
        project: text(cols.project),
        t,
        timestamp,
        duration_s,
        energy_kwh,
        parts,
        pue: pue_of(path, rec, cols.pue, line)?,
        water_l: opt(cols.water, "water_consumed")?,
        wue: opt(cols.wue, "wue")?,
        gpu_model: text(cols.gpu_model),
    })
}

/// The runs of the rows: by `run_id` in order of first appearance (cumulative rows, checked
/// never to decrease), or one per row without the column.
fn group(path: &Path, cols: &Cols, rows: &[Row]) -> Result<Vec<Run>> {
    let mut runs: Vec<Run> = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        let same = match (&r.id, cols.run) {
            (Some(id), Some(_)) => runs
                .iter_mut()
                .find(|x| x.summary.id.as_deref() == Some(id.as_str())),
            _ => None,
        };
        match same {
            Some(run) => {
                let prev = &rows[*run.rows.last().unwrap_or(&run.last)];
                if r.energy_kwh < prev.energy_kwh {
                    return Err(row_error(
                        path,
                        RowError {
                            row: r.line,
                            message: format!(
                                "the cumulative energy of run {} decreases: energy_consumed {} kWh, after {} kWh at row {}",
                                r.id.as_deref().unwrap_or(""),
                                readable(r.energy_kwh),
                                readable(prev.energy_kwh),
                                prev.line
                            ),
                            hint: Some("the rows of one run_id are cumulative (one per flush()): a file that joins two runs under one run_id, or rows out of order".into()),
                        },
                        None,
                    ));
                }
                if r.energy_kwh == prev.energy_kwh {
                    run.repeats.push((r.line, prev.line));
                }
                run.rows.push(k);
                if r.duration_s >= rows[run.last].duration_s {
                    run.last = k;
                }
                run.summary.rows += 1;
            }
            None => {
                let index = u32::try_from(runs.len() + 1).unwrap_or(u32::MAX);
                let mut summary = RunSummary::new(index, RunKind::Run, 0.0, 1.0);
                summary.id = r.id.clone().filter(|_| cols.run.is_some());
                summary.line = r.line;
                runs.push(Run {
                    summary,
                    rows: vec![k],
                    last: k,
                    repeats: Vec::new(),
                });
            }
        }
    }
    for run in &mut runs {
        let last = &rows[run.last];
        let s = &mut run.summary;
        s.project_name = last.project.clone();
        s.timestamp = last.timestamp.clone();
        s.duration_s = last.duration_s;
        s.tool_energy_kwh = last.energy_kwh;
        s.tool_pue = last.pue;
        s.energy_kwh = last.energy_kwh / last.pue;
        s.water_l = last.water_l;
        s.wue_l_per_kwh = last.wue;
    }
    Ok(runs)
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
fn stamp(path: &Path, rec: &csv::StringRecord, i: usize, row: u64) -> Result<Stamp> {
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

/// A line found too long, else the csv crate's error.
fn long_or_csv(path: &Path, long: &super::super::lines::LongLine, e: csv::Error) -> Error {
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
