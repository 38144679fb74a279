//! Extrapolation of a long training from a measured fraction of its steps.
//!
//! Points (n_j steps, E_j cumulative kWh[, t_j elapsed s]) are fitted by ordinary least squares
//! E(n) = a + b n (a: fixed start-up cost, b: energy per step). The prediction at N steps has the
//! two-sided prediction interval
//!
//!   E(N) +- t_{m-2, 1-alpha/2} s sqrt(1 + 1/m + (N - n_mean)^2 / Sxx),   s^2 = SSE / (m - 2),
//!
//! and the same fit on time gives the duration. Two comparisons are computed from the same points:
//! the per-window rate (mean of dE_j/dn_j over consecutive points, with its standard error,
//! continued from the last point), and Carbontracker's epoch average (a = 0: N times the mean
//! rate of the windows from step 0). A run on k nodes is k x E(N) / eta, in T(N) / eta, with eta
//! the parallel efficiency (1 by default, the seed's assumption).

use crate::energy::trace::{self, TraceOptions};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::interval::Interval;
use crate::quantity::time::Stamp;
use crate::quantity::units::{J_PER_KWH, S_PER_H};
pub use crate::scenario::ExtrapolationMethod as Method;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::path::Path;

/// One measured point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    pub steps: f64,
    pub energy_kwh: f64,
    pub elapsed_s: Option<f64>,
    /// Line of the points file it came from (0 when computed).
    #[serde(skip)]
    pub row: u64,
}

/// An ordinary least-squares line y = a + b x.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fit {
    pub intercept: f64,
    pub slope: f64,
    pub se_intercept: f64,
    pub se_slope: f64,
    pub r2: f64,
    /// Residual standard deviation s.
    pub residual_sd: f64,
    pub residuals: Vec<f64>,
    pub points: usize,
    #[serde(skip)]
    mean_x: f64,
    #[serde(skip)]
    sxx: f64,
}

impl Fit {
    /// OLS of y on x (at least 3 points, x not all equal).
    pub fn ols(x: &[f64], y: &[f64]) -> std::result::Result<Fit, String> {
        let m = x.len();
        if m < 3 || y.len() != m {
            return Err(format!("a fit needs at least 3 points, {m} given"));
        }
        let n = m as f64;
        let mx = x.iter().sum::<f64>() / n;
        let my = y.iter().sum::<f64>() / n;
        let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
        let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let syy: f64 = y.iter().map(|v| (v - my).powi(2)).sum();
        if sxx <= 0.0 {
            return Err("all points have the same step count".into());
        }
        let b = sxy / sxx;
        let a = my - b * mx;
        let residuals: Vec<f64> = x.iter().zip(y).map(|(xi, yi)| yi - (a + b * xi)).collect();
        let sse: f64 = residuals.iter().map(|r| r * r).sum();
        let s2 = sse / (n - 2.0);
        let r2 = if syy > 0.0 { 1.0 - sse / syy } else { 1.0 };
        Ok(Fit {
            intercept: a,
            slope: b,
            se_intercept: (s2 * (1.0 / n + mx * mx / sxx)).sqrt(),
            se_slope: (s2 / sxx).sqrt(),
            r2,
            residual_sd: s2.sqrt(),
            residuals,
            points: m,
            mean_x: mx,
            sxx,
        })
    }

    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    /// The prediction at x0 with its two-sided prediction interval at `level`.
    pub fn predict(&self, x0: f64, level: f64) -> Interval {
        let y = self.at(x0);
        let half = t_quantile(level, self.points as f64 - 2.0) * self.prediction_se(x0);
        Interval::new(y, y - half, y + half)
    }

    /// Standard error of a new observation at x0.
    pub fn prediction_se(&self, x0: f64) -> f64 {
        let n = self.points as f64;
        self.residual_sd * (1.0 + 1.0 / n + (x0 - self.mean_x).powi(2) / self.sxx).sqrt()
    }
}

/// t_{df, 1 - (1 - level)/2}.
pub fn t_quantile(level: f64, df: f64) -> f64 {
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| t.inverse_cdf(1.0 - (1.0 - level) / 2.0))
}

fn bad(path: &Path, row: u64, msg: impl Into<String>, hint: &str) -> Error {
    let mut d = Diagnostic::new(msg).file(path).hint(hint);
    if row > 0 {
        d.line = Some(row as usize);
    }
    Error::input(d)
}

/// A CSV file with a header (cells trimmed), and its header.
fn open_csv(path: &Path, what: &str) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord)> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| {
            bad(
                path,
                0,
                format!("cannot read {what}: {e}"),
                "check the path",
            )
        })?;
    let headers = rdr
        .headers()
        .map_err(|e| bad(path, 1, format!("cannot read the header: {e}"), ""))?
        .clone();
    Ok((rdr, headers))
}

/// A CSV row that cannot be read, with its line.
fn row_error(path: &Path, e: &csv::Error, hint: &str) -> Error {
    bad(
        path,
        e.position().map_or(0, |p| p.line()),
        format!("cannot read the row: {e}"),
        hint,
    )
}

/// Points from a CSV with a header holding `steps`, `energy_kwh` and optionally `elapsed_s`.
pub fn read_points(path: &Path) -> Result<Vec<Point>> {
    let (mut rdr, headers) = open_csv(path, "the points")?;
    let col = |n: &str| headers.iter().position(|h| h == n);
    let hint = "the points file has a header with steps, energy_kwh (cumulative, kWh) and optionally elapsed_s";
    let steps = col("steps").ok_or_else(|| bad(path, 1, "no `steps` column", hint))?;
    let energy = col("energy_kwh").ok_or_else(|| bad(path, 1, "no `energy_kwh` column", hint))?;
    let elapsed = col("elapsed_s");
    let mut out = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| {
            let row = e.position().map_or(0, |p| p.line());
            bad(
                path,
                row,
                format!("cannot read the row: {e}"),
                "a truncated row or a wrong delimiter",
            )
        })?;
        let row = r.position().map_or(0, |p| p.line());
        let num = |i: usize, name: &str| -> Result<f64> {
            let f = r.get(i).unwrap_or("");
            match f.parse::<f64>() {
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

/// A training log: (step, time) rows, from a CSV with `step` (or `steps`) and `timestamp` (or
/// `time`) columns.
pub fn read_training_log(path: &Path) -> Result<Vec<(f64, Stamp, u64)>> {
    let (mut rdr, headers) = open_csv(path, "the training log")?;
    let hint =
        "a training log has a header with step and timestamp columns, one row per logged step";
    let step = headers
        .iter()
        .position(|h| h == "step" || h == "steps")
        .ok_or_else(|| bad(path, 1, "no `step` column", hint))?;
    let ts = headers
        .iter()
        .position(|h| h == "timestamp" || h == "time")
        .ok_or_else(|| bad(path, 1, "no `timestamp` column", hint))?;
    let mut out: Vec<(f64, Stamp, u64)> = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| row_error(path, &e, hint))?;
        let row = r.position().map_or(0, |p| p.line());
        let s: f64 = r
            .get(step)
            .unwrap_or("")
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| {
                bad(
                    path,
                    row,
                    format!("step \"{}\" is not a number", r.get(step).unwrap_or("")),
                    hint,
                )
            })?;
        let t =
            crate::quantity::time::parse(r.get(ts).unwrap_or("").as_bytes()).ok_or_else(|| {
                bad(
                    path,
                    row,
                    format!("\"{}\" is not a time", r.get(ts).unwrap_or("")),
                    "2024-06-12T10:00:00.000 or Unix seconds",
                )
            })?;
        if let Some((ps, pt, _)) = out.last() {
            if s <= *ps {
                return Err(bad(
                    path,
                    row,
                    format!("steps do not increase: {s} after {ps}"),
                    hint,
                ));
            }
            if t.since(pt.secs) < pt.frac {
                return Err(bad(path, row, "timestamps go back in time", hint));
            }
        }
        out.push((s, t, row));
    }
    Ok(out)
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
    o.checkpoints = Some(log.iter().map(|(_, t, _)| *t).collect());
    o.start = Some(log[0].1);
    o.end = Some(log[log.len() - 1].1);
    let summary = trace::read(trace_path, &o)?;
    let bins = log.len() - 1;
    let mut cum = vec![0.0f64; bins];
    for d in summary.devices.iter().filter(|d| d.included) {
        for (k, e) in d.bins_j.iter().enumerate().take(bins) {
            cum[k] += e;
        }
    }
    let t0 = log[0].1;
    let mut e = 0.0;
    let mut pts = vec![Point {
        steps: log[0].0,
        energy_kwh: 0.0,
        elapsed_s: Some(0.0),
        row: log[0].2,
    }];
    for (k, (s, t, row)) in log.iter().enumerate().skip(1) {
        e += cum[k - 1];
        pts.push(Point {
            steps: *s,
            energy_kwh: e / J_PER_KWH,
            elapsed_s: Some(t.since(t0.secs) - t0.frac),
            row: *row,
        });
    }
    check_points(log_path, &pts)?;
    Ok((pts, summary))
}

/// Points from CodeCarbon `flush()` rows of one run, with steps read from a training log at each
/// row's time (linear between logged steps). Energies are divided by the `pue` column.
pub fn points_from_codecarbon(cc: &Path, log_path: &Path) -> Result<Vec<Point>> {
    let log = read_training_log(log_path)?;
    let (mut rdr, h) = open_csv(cc, "the CodeCarbon file")?;
    let col = |n: &str| h.iter().position(|c| c == n);
    let hint = "a CodeCarbon emissions.csv with timestamp, duration and energy_consumed";
    let (ts, dur, en) = match (col("timestamp"), col("duration"), col("energy_consumed")) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => {
            return Err(bad(
                cc,
                1,
                "codecarbon: timestamp, duration or energy_consumed missing",
                hint,
            ))
        }
    };
    let pue = col("pue");
    let mut pts = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| row_error(cc, &e, hint))?;
        let row = r.position().map_or(0, |p| p.line());
        let num = |i: usize| {
            r.get(i)
                .unwrap_or("")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
        };
        let t = crate::quantity::time::parse(r.get(ts).unwrap_or("").as_bytes())
            .ok_or_else(|| bad(cc, row, "timestamp is not a time", hint))?;
        let d = num(dur).ok_or_else(|| bad(cc, row, "duration is not a number", hint))?;
        let p = pue.and_then(num).unwrap_or(1.0);
        let e = num(en).ok_or_else(|| bad(cc, row, "energy_consumed is not a number", hint))? / p;
        let o = log[0].1.secs;
        let x = t.since(o);
        let steps = interpolate_steps(&log, x, o).ok_or_else(|| {
            bad(
                cc,
                row,
                "this row's time is outside the training log",
                "the training log must cover the flush times (same clock)",
            )
        })?;
        pts.push(Point {
            steps,
            energy_kwh: e,
            elapsed_s: Some(d),
            row,
        });
    }
    check_points(cc, &pts)?;
    Ok(pts)
}

fn interpolate_steps(log: &[(f64, Stamp, u64)], x: f64, origin: i64) -> Option<f64> {
    let xs: Vec<f64> = log.iter().map(|(_, t, _)| t.since(origin)).collect();
    if x < xs[0] || x > xs[xs.len() - 1] {
        return None;
    }
    let k = xs.partition_point(|&v| v <= x).min(xs.len() - 1).max(1);
    let (x0, x1) = (xs[k - 1], xs[k]);
    let (s0, s1) = (log[k - 1].0, log[k].0);
    Some(if x1 > x0 {
        s0 + (s1 - s0) * (x - x0) / (x1 - x0)
    } else {
        s0
    })
}

/// What to extrapolate to.
#[derive(Clone, Debug)]
pub struct Target {
    pub steps: f64,
    pub nodes: u32,
    pub parallel_efficiency: f64,
    pub level: f64,
    pub method: Method,
    pub min_r2: f64,
}

/// A fit reported in kWh (energy) or seconds (time).
#[derive(Clone, Debug, Serialize)]
pub struct EnergyFit {
    pub intercept_kwh: f64,
    pub slope_kwh_per_step: f64,
    pub se_intercept_kwh: f64,
    pub se_slope_kwh_per_step: f64,
    pub r2: f64,
    pub residual_sd_kwh: f64,
    pub residuals_kwh: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TimeFit {
    pub intercept_s: f64,
    pub slope_s_per_step: f64,
    pub r2: f64,
    pub residual_sd_s: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PerWindow {
    pub windows: usize,
    pub mean_kwh_per_step: f64,
    pub se_kwh_per_step: f64,
    /// E(n_last) + rate x (N - n_last), interval from the rate's standard error.
    pub energy_kwh: Interval,
}

#[derive(Clone, Debug, Serialize)]
pub struct Prediction {
    pub target_steps: f64,
    pub method: Method,
    pub level: f64,
    pub nodes: u32,
    pub parallel_efficiency: f64,
    /// For `nodes` nodes: k x E(N) / eta, min/max = the prediction interval.
    pub energy_kwh: Interval,
    /// One node, N steps.
    pub energy_per_node_kwh: Interval,
    /// T(N) / eta, hours, when time points are given.
    pub duration_h: Option<Interval>,
}

/// The result of an extrapolation.
#[derive(Clone, Debug, Serialize)]
pub struct Extrapolation {
    pub source: String,
    pub points: Vec<Point>,
    pub measured_steps: [f64; 2],
    pub fit: EnergyFit,
    pub time_fit: Option<TimeFit>,
    pub per_window: PerWindow,
    pub carbontracker_energy_kwh: f64,
    pub prediction: Prediction,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
}

/// Fit the points and predict at the target.
pub fn extrapolate(source: &str, points: &[Point], target: &Target) -> Result<Extrapolation> {
    let src = Path::new(source);
    check_points(src, points)?;
    if !(target.level > 0.0 && target.level < 1.0) {
        return Err(Error::msg(format!(
            "level {}: must be in (0, 1), e.g. 0.95",
            target.level
        )));
    }
    if !(target.parallel_efficiency > 0.0 && target.parallel_efficiency <= 1.0) {
        return Err(Error::msg(format!(
            "parallel efficiency {}: must be in (0, 1]",
            target.parallel_efficiency
        )));
    }
    if target.nodes == 0 {
        return Err(Error::msg("nodes: at least 1"));
    }
    let x: Vec<f64> = points.iter().map(|p| p.steps).collect();
    let y: Vec<f64> = points.iter().map(|p| p.energy_kwh).collect();
    let (lo, hi) = (x[0], x[x.len() - 1]);
    if target.steps < lo {
        return Err(Error::input(
            Diagnostic::new(format!(
                "target {} steps is below the measured range ({lo} to {hi})",
                target.steps
            ))
            .file(src)
            .hint("the target is the full run's step count, larger than the steps measured"),
        ));
    }
    let fit = Fit::ols(&x, &y)
        .map_err(|m| bad(src, 0, m, "give at least 3 points at different step counts"))?;
    let mut warnings = Vec::new();
    let mut assumptions = Vec::new();
    if fit.r2 < target.min_r2 {
        warnings.push(format!("poor linear fit: R^2 = {:.4} < {} (energy may not grow linearly with steps: warm-up, evaluation, a changed batch size?)", fit.r2, target.min_r2));
    }
    if target.steps <= hi {
        warnings.push(format!(
            "target {} steps lies inside the measured range ({lo} to {hi}): this interpolates",
            target.steps
        ));
    } else if target.steps > 10.0 * hi {
        warnings.push(format!("target {} steps is {:.0} x the largest measured step ({hi}): the interval grows with (N - mean)^2", target.steps, target.steps / hi));
    }
    // per-window rate, continued from the last point
    let rates: Vec<f64> = points
        .windows(2)
        .map(|w| (w[1].energy_kwh - w[0].energy_kwh) / (w[1].steps - w[0].steps))
        .collect();
    let k = rates.len() as f64;
    let mean = rates.iter().sum::<f64>() / k;
    let sd = (rates.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt();
    let se = sd / k.sqrt();
    let last = points[points.len() - 1];
    let ahead = (target.steps - last.steps).max(0.0);
    let pw_value = last.energy_kwh + mean * ahead;
    let pw_half = t_quantile(target.level, k - 1.0) * se * ahead;
    let per_window = PerWindow {
        windows: rates.len(),
        mean_kwh_per_step: mean,
        se_kwh_per_step: se,
        energy_kwh: Interval::new(pw_value, (pw_value - pw_half).max(0.0), pw_value + pw_half),
    };
    // Carbontracker: windows from step 0, a = 0
    let mut prev = (0.0, 0.0);
    let mut ct_rates = Vec::new();
    for p in points {
        if p.steps > prev.0 {
            ct_rates.push((p.energy_kwh - prev.1) / (p.steps - prev.0));
        }
        prev = (p.steps, p.energy_kwh);
    }
    let carbontracker = target.steps * ct_rates.iter().sum::<f64>() / ct_rates.len().max(1) as f64;

    let one = match target.method {
        Method::Ols => {
            let p = fit.predict(target.steps, target.level);
            Interval::new(p.value, p.min.max(0.0), p.max)
        }
        Method::PerWindow => per_window.energy_kwh,
        Method::Carbontracker => {
            warnings
                .push("Carbontracker's epoch average has no interval: min = max = value".into());
            Interval::exact(carbontracker)
        }
    };
    let eta = target.parallel_efficiency;
    let energy = one.scale(target.nodes as f64 / eta);
    assumptions.push(format!(
        "energy extrapolated ({:?}) from {} points ({} to {} steps) of {source} to {} steps: E(N) = {:.6e} + {:.6e} N kWh, R^2 {:.4}, {:.0} % interval",
        target.method, points.len(), lo, hi, target.steps, fit.intercept, fit.slope, fit.r2, target.level * 100.0
    ));
    assumptions.push(format!(
        "{} node(s), parallel efficiency {eta}: energy = nodes x E(N) / efficiency, duration = T(N) / efficiency{}",
        target.nodes,
        if eta == 1.0 { " (efficiency 1: each node runs the N steps as the measured node did, the seed's assumption)" } else { "" }
    ));
    let time_fit = if points.iter().all(|p| p.elapsed_s.is_some()) {
        let t: Vec<f64> = points.iter().map(|p| p.elapsed_s.unwrap_or(0.0)).collect();
        Some(Fit::ols(&x, &t).map_err(|m| bad(src, 0, m, ""))?)
    } else {
        None
    };
    let duration_h = time_fit.as_ref().map(|f| {
        let p = f.predict(target.steps, target.level);
        Interval::new(p.value, p.min.max(0.0), p.max).scale(1.0 / (S_PER_H * eta))
    });
    if let Some(f) = &time_fit {
        if f.r2 < target.min_r2 {
            warnings.push(format!(
                "poor linear fit of time on steps: R^2 = {:.4}",
                f.r2
            ));
        }
    }
    Ok(Extrapolation {
        source: source.to_string(),
        points: points.to_vec(),
        measured_steps: [lo, hi],
        fit: EnergyFit {
            intercept_kwh: fit.intercept,
            slope_kwh_per_step: fit.slope,
            se_intercept_kwh: fit.se_intercept,
            se_slope_kwh_per_step: fit.se_slope,
            r2: fit.r2,
            residual_sd_kwh: fit.residual_sd,
            residuals_kwh: fit.residuals.clone(),
        },
        time_fit: time_fit.as_ref().map(|f| TimeFit {
            intercept_s: f.intercept,
            slope_s_per_step: f.slope,
            r2: f.r2,
            residual_sd_s: f.residual_sd,
        }),
        per_window,
        carbontracker_energy_kwh: carbontracker,
        prediction: Prediction {
            target_steps: target.steps,
            method: target.method,
            level: target.level,
            nodes: target.nodes,
            parallel_efficiency: eta,
            energy_kwh: energy,
            energy_per_node_kwh: one,
            duration_h,
        },
        assumptions,
        warnings,
    })
}

/// A published fit E(N) = a + b N with no points (no interval): value only.
pub fn from_published_fit(
    intercept_kwh: f64,
    slope_kwh_per_step: f64,
    target: &Target,
) -> Prediction {
    let one = Interval::exact(intercept_kwh + slope_kwh_per_step * target.steps);
    Prediction {
        target_steps: target.steps,
        method: target.method,
        level: target.level,
        nodes: target.nodes,
        parallel_efficiency: target.parallel_efficiency,
        energy_kwh: one.scale(target.nodes as f64 / target.parallel_efficiency),
        energy_per_node_kwh: one,
        duration_h: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_fit() {
        // points (0, 1), (1, 3), (2, 4), (3, 6): mean x 1.5, mean y 3.5, Sxx 5, Sxy 8
        // b = 1.6, a = 3.5 - 2.4 = 1.1; residuals -0.1, 0.3, -0.3, 0.1: SSE 0.2, s^2 0.1
        let f = Fit::ols(&[0.0, 1.0, 2.0, 3.0], &[1.0, 3.0, 4.0, 6.0])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!((f.slope - 1.6).abs() < 1e-12);
        assert!((f.intercept - 1.1).abs() < 1e-12);
        assert!((f.residual_sd - 0.1f64.sqrt()).abs() < 1e-12);
        assert!((f.se_slope - (0.1f64 / 5.0).sqrt()).abs() < 1e-12);
        assert!((f.r2 - (1.0 - 0.2 / 13.0)).abs() < 1e-12);
        // prediction at 10: 17.1 +- t(0.975, 2) sqrt(0.1 (1 + 1/4 + 72.25/5)); t = 4.302653
        let p = f.predict(10.0, 0.95);
        let half = 4.302652729749464 * (0.1f64 * (1.0 + 0.25 + 72.25 / 5.0)).sqrt();
        assert!((p.value - 17.1).abs() < 1e-12);
        assert!((p.max - 17.1 - half).abs() < 1e-9, "{p:?} {half}");
    }

    #[test]
    fn student_t_quantiles() {
        assert!((t_quantile(0.95, 23.0) - 2.068658).abs() < 1e-6);
        assert!((t_quantile(0.90, 23.0) - 1.713872).abs() < 1e-6);
    }

    #[test]
    fn kutner_toluca_company_example() {
        // Kutner, Nachtsheim, Neter, Li, Applied Linear Statistical Models (5th ed.), Toluca
        // Company (table 1.1): b0 = 62.37, b1 = 3.5702, MSE = 2384; the 90 % prediction interval
        // for a lot of 100 units is 332.2 <= Y(new) <= 506.6 work hours (section 2.5).
        let x = [
            80., 30., 50., 90., 70., 60., 120., 80., 100., 50., 40., 70., 90., 20., 110., 100.,
            30., 50., 90., 110., 30., 90., 40., 80., 70.,
        ];
        let y = [
            399., 121., 221., 376., 361., 224., 546., 352., 353., 157., 160., 252., 389., 113.,
            435., 420., 212., 268., 377., 421., 273., 468., 244., 342., 323.,
        ];
        let f = Fit::ols(&x, &y).unwrap_or_else(|e| panic!("{e}"));
        assert!((f.intercept - 62.37).abs() < 0.005);
        assert!((f.slope - 3.5702).abs() < 0.00005);
        assert!((f.residual_sd.powi(2) - 2384.0).abs() < 0.5);
        let p = f.predict(100.0, 0.90);
        assert!((p.value - 419.4).abs() < 0.05);
        assert!((p.min - 332.2).abs() < 0.05, "{p:?}");
        assert!((p.max - 506.6).abs() < 0.05, "{p:?}");
    }
}
