//! The measured points of an extrapolation (n_j steps, E_j cumulative kWh, t_j elapsed s): from
//! a points CSV, from a power trace integrated up to each step of a training log, or from
//! CodeCarbon's `flush()` rows (read by the one CodeCarbon reader, IT energy = energy / pue)
//! with the steps interpolated linearly in the training log at each row's time.

use super::Point;
use crate::energy::trace::lines::{self, Bounded, LongLine};
use crate::energy::trace::{self, codecarbon, LogRow, LogValue, RunSelector, TraceOptions};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::units::J_PER_KWH;
use std::path::Path;

pub(super) fn bad(path: &Path, row: u64, msg: impl Into<String>, hint: &str) -> Error {
    let mut d = Diagnostic::new(msg).file(path).hint(hint);
    if row > 0 {
        d.line = Some(row as usize);
    }
    Error::input(d)
}

type Csv = csv::Reader<Bounded<std::io::BufReader<std::fs::File>>>;

/// A CSV file with a header (cells trimmed), its header and its long-line watch.
fn open_csv(path: &Path, what: &str) -> Result<(Csv, csv::StringRecord, LongLine)> {
    let (mut rdr, long) =
        lines::open_csv(path, lines::builder().trim(csv::Trim::All)).map_err(|e| {
            bad(
                path,
                0,
                format!("cannot read {what}: {e}"),
                "check the path",
            )
        })?;
    let headers = rdr
        .headers()
        .map_err(|e| match long.error("a CSV file") {
            Some((line, msg)) => bad(path, line, msg, ""),
            None => bad(path, 1, format!("cannot read the header: {e}"), ""),
        })?
        .clone();
    Ok((rdr, headers, long))
}

/// Points from a CSV with a header holding `steps`, `energy_kwh` and optionally `elapsed_s`.
pub fn read_points(path: &Path) -> Result<Vec<Point>> {
    let (mut rdr, headers, long) = open_csv(path, "the points")?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let hint = "the points file has a header with steps, energy_kwh (cumulative, kWh) and optionally elapsed_s";
    let steps = col("steps").ok_or_else(|| bad(path, 1, "no `steps` column", hint))?;
    let energy = col("energy_kwh").ok_or_else(|| bad(path, 1, "no `energy_kwh` column", hint))?;
    let elapsed = col("elapsed_s");
    let mut out = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| {
            let (row, msg) = long.error("a CSV file").unwrap_or_else(|| {
                (
                    e.position().map_or(0, |p| p.line()),
                    format!("cannot read the row: {e}"),
                )
            });
            bad(path, row, msg, "a truncated row or a wrong delimiter")
        })?;
        let row = r.position().map_or(0, |p| p.line());
        let num = |i: usize, name: &str| -> Result<f64> {
            let f = r.get(i).unwrap_or("");
            match f.parse::<f64>() {
                Ok(v) if v.is_finite() && v < 0.0 => Err(bad(
                    path,
                    row,
                    format!("{name} {v} is negative"),
                    "steps, energy_kwh and elapsed_s count from the start of the run",
                )),
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(bad(
                    path,
                    row,
                    format!("{name} \"{f}\" is not a finite number"),
                    "every row needs a number in each column (no NaN, no empty cell)",
                )),
            }
        };
        out.push(Point {
            steps: num(steps, "steps")?,
            energy_kwh: num(energy, "energy_kwh")?,
            elapsed_s: elapsed.map(|i| num(i, "elapsed_s")).transpose()?,
            row,
        });
    }
    check_points(path, &out)?;
    Ok(out)
}

/// Steps strictly increasing, energy and time not decreasing, at least 3 points.
pub fn check_points(path: &Path, pts: &[Point]) -> Result<()> {
    if pts.len() < 3 {
        return Err(bad(
            path,
            0,
            format!("{} point(s): a fit needs at least 3", pts.len()),
            "measure at more steps (e.g. one point every few hundred steps)",
        ));
    }
    for w in pts.windows(2) {
        if w[1].steps <= w[0].steps {
            return Err(bad(
                path,
                w[1].row,
                format!("steps do not increase: {} after {}", w[1].steps, w[0].steps),
                "points are cumulative, one per checkpoint, in order",
            ));
        }
        if w[1].energy_kwh < w[0].energy_kwh {
            return Err(bad(
                path,
                w[1].row,
                format!(
                    "cumulative energy decreases: {} kWh after {} kWh",
                    w[1].energy_kwh, w[0].energy_kwh
                ),
                "energy_kwh is the energy since the start, not per interval",
            ));
        }
        if let (Some(a), Some(b)) = (w[0].elapsed_s, w[1].elapsed_s) {
            if b < a {
                return Err(bad(
                    path,
                    w[1].row,
                    format!("elapsed time decreases: {b} s after {a} s"),
                    "elapsed_s is the time since the start",
                ));
            }
        }
    }
    if pts.iter().any(|p| p.steps < 0.0 || p.energy_kwh < 0.0) {
        return Err(bad(path, 0, "negative steps or energy", ""));
    }
    Ok(())
}

/// A training log: (step, time) rows, steps strictly increasing ([`trace::read_log`]).
pub fn read_training_log(path: &Path) -> Result<Vec<LogRow>> {
    trace::read_log(path, "the training log", LogValue::Steps)
}

/// Points from a power trace and a training log: the trace integrated up to each logged step.
pub fn points_from_trace(
    trace_path: &Path,
    log_path: &Path,
    opts: &TraceOptions,
) -> Result<(Vec<Point>, trace::TraceSummary)> {
    let log = read_training_log(log_path)?;
    if log.len() < 3 {
        return Err(bad(
            log_path,
            0,
            format!("{} logged step(s): a fit needs at least 3", log.len()),
            "log more steps",
        ));
    }
    let mut o = opts.clone();
    o.checkpoints = Some(log.iter().map(|r| r.t).collect());
    o.start = Some(log[0].t);
    o.end = Some(log[log.len() - 1].t);
    o.window_from = Some(log_path.to_path_buf());
    let summary = trace::read(trace_path, &o)?;
    let bins = log.len() - 1;
    let mut cum = vec![0.0f64; bins];
    for d in summary.devices.iter().filter(|d| d.included) {
        for (k, e) in d.bins_j.iter().enumerate().take(bins) {
            cum[k] += e;
        }
    }
    let t0 = log[0].t;
    let mut e = 0.0;
    let mut pts = vec![Point {
        steps: log[0].value,
        energy_kwh: 0.0,
        elapsed_s: Some(0.0),
        row: log[0].row,
    }];
    for (k, r) in log.iter().enumerate().skip(1) {
        e += cum[k - 1];
        pts.push(Point {
            steps: r.value,
            energy_kwh: e / J_PER_KWH,
            elapsed_s: Some(r.t.since(t0.secs) - t0.frac),
            row: r.row,
        });
    }
    check_points(log_path, &pts)?;
    Ok((pts, summary))
}

/// Points from CodeCarbon `flush()` rows of one run ([`codecarbon::flush_rows`]: energies
/// divided by the `pue` column; the file's only run or the one `run` names), with steps read
/// from a training log at each row's time (linear between logged steps); and notes on the rows
/// left out.
pub fn points_from_codecarbon(
    cc: &Path,
    log_path: &Path,
    run: Option<&RunSelector>,
) -> Result<(Vec<Point>, Vec<String>)> {
    let log = read_training_log(log_path)?;
    if log.is_empty() {
        return Err(bad(
            log_path,
            0,
            "the training log has a header but no row: no step to put at the CodeCarbon rows' times",
            "log one row per step (step, timestamp) while the tracker runs",
        ));
    }
    let mut pts = Vec::new();
    let (rows, notes) = codecarbon::flush_rows(cc, run)?;
    for r in rows {
        let o = log.first().map_or(r.t.secs, |l| l.t.secs);
        let steps = interpolate_steps(&log, r.t.since(o), o).ok_or_else(|| {
            bad(
                cc,
                r.row,
                "this row's time is outside the training log",
                "the training log must cover the flush times (same clock)",
            )
        })?;
        pts.push(Point {
            steps,
            energy_kwh: r.energy_kwh,
            elapsed_s: Some(r.duration_s),
            row: r.row,
        });
    }
    check_points(cc, &pts)?;
    Ok((pts, notes))
}

/// The step at time x (s since `origin`), linear between the logged steps around it.
fn interpolate_steps(log: &[LogRow], x: f64, origin: i64) -> Option<f64> {
    let xs: Vec<f64> = log.iter().map(|r| r.t.since(origin)).collect();
    if xs.is_empty() || x < xs[0] || x > xs[xs.len() - 1] {
        return None;
    }
    let k = xs.partition_point(|&v| v <= x).min(xs.len() - 1).max(1);
    if k >= xs.len() {
        return Some(log[0].value);
    }
    let (x0, x1) = (xs[k - 1], xs[k]);
    let (s0, s1) = (log[k - 1].value, log[k].value);
    Some(if x1 > x0 {
        s0 + (s1 - s0) * (x - x0) / (x1 - x0)
    } else {
        s0
    })
}
