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
//!
//! The fit is in [`fit`], the points and their sources in [`points`]; [`epochs`] predicts from
//! measured epochs (Carbontracker: the energy of one epoch x the epochs).

pub mod epochs;
pub mod fit;
pub mod points;

pub use fit::{t_quantile, Fit};
pub use points::{
    check_points, points_from_codecarbon, points_from_trace, read_points, read_training_log,
};

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::interval::Interval;
use crate::quantity::units::S_PER_H;
pub use crate::scenario::ExtrapolationMethod as Method;
use points::bad;
use serde::Serialize;
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
    /// The line and band of the chosen method, for the plots (not in the JSON).
    #[serde(skip)]
    pub line: Line,
}

/// The line of the chosen method and its band, from the computed values: E(n) and the bounds
/// of its interval at n (kWh, one node), drawn as they were computed (no refit).
#[derive(Clone, Debug)]
pub enum Line {
    /// E(n) = a + b n, band the prediction interval at `level`.
    Ols { fit: Fit, level: f64 },
    /// E(n) = E_last + r (n - n_last), band +- q (n - n_last) past the last point, q = t_{k-1}
    /// SE(r).
    PerWindow {
        steps: f64,
        energy_kwh: f64,
        rate: f64,
        half_rate: f64,
    },
    /// E(n) = r n, no band.
    Carbontracker { rate: f64 },
}

impl Line {
    /// E(n), kWh.
    pub fn at(&self, n: f64) -> f64 {
        match self {
            Line::Ols { fit, .. } => fit.at(n),
            Line::PerWindow {
                steps,
                energy_kwh,
                rate,
                ..
            } => energy_kwh + rate * (n - steps),
            Line::Carbontracker { rate } => rate * n,
        }
    }

    /// The lower and upper bounds of the band at n, kWh.
    pub fn band(&self, n: f64) -> (f64, f64) {
        match self {
            Line::Ols { fit, level } => {
                let p = fit.predict(n, *level);
                (p.min, p.max)
            }
            Line::PerWindow {
                steps, half_rate, ..
            } => {
                let y = self.at(n);
                let half = half_rate * (n - steps).max(0.0);
                ((y - half).max(0.0), y + half)
            }
            Line::Carbontracker { .. } => {
                let y = self.at(n);
                (y, y)
            }
        }
    }

    /// The line as an equation, for a legend.
    pub fn label(&self) -> String {
        match self {
            Line::Ols { fit, .. } => format!("E(n) = {:.3e} + {:.3e} n", fit.intercept, fit.slope),
            Line::PerWindow {
                steps,
                energy_kwh,
                rate,
                ..
            } => format!("per-window E(n) = {energy_kwh:.3e} + {rate:.3e} (n - {steps})"),
            Line::Carbontracker { rate } => format!("Carbontracker E(n) = {rate:.3e} n"),
        }
    }
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

    let line = match target.method {
        Method::Ols => Line::Ols {
            fit: fit.clone(),
            level: target.level,
        },
        Method::PerWindow => Line::PerWindow {
            steps: last.steps,
            energy_kwh: last.energy_kwh,
            rate: mean,
            half_rate: t_quantile(target.level, k - 1.0) * se,
        },
        Method::Carbontracker => Line::Carbontracker {
            rate: ct_rates.iter().sum::<f64>() / ct_rates.len().max(1) as f64,
        },
    };
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
    // A target far beyond the measured steps can overflow the interval, (N - mean)^2 first.
    let finite = |i: &Interval| i.value.is_finite() && i.min.is_finite() && i.max.is_finite();
    let all_finite = finite(&energy)
        && finite(&one)
        && duration_h.as_ref().is_none_or(finite)
        && carbontracker.is_finite()
        && finite(&per_window.energy_kwh);
    if !all_finite {
        return Err(bad(
            src,
            0,
            format!(
                "the prediction at {} steps is not a finite number: the target is too far beyond the measured steps ({lo} to {hi})",
                crate::quantity::format::exact(target.steps)
            ),
            "check the target's step count (the full run's steps, e.g. 225000)",
        ));
    }
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
        line,
    })
}

/// A published fit E(N) = a + b N with no points (no interval): value only.
pub fn from_published_fit(
    intercept_kwh: f64,
    slope_kwh_per_step: f64,
    target: &Target,
) -> Prediction {
    let one = Interval::exact(intercept_kwh + slope_kwh_per_step * target.steps);
    Prediction::of_one_node(one, target, target.method)
}

impl Prediction {
    /// The prediction of `one` node's energy for `target`, by `method`, without a duration:
    /// `target.nodes` x `one` / the parallel efficiency for the run.
    pub fn of_one_node(one: Interval, target: &Target, method: Method) -> Prediction {
        Prediction {
            target_steps: target.steps,
            method,
            level: target.level,
            nodes: target.nodes,
            parallel_efficiency: target.parallel_efficiency,
            energy_kwh: one.scale(target.nodes as f64 / target.parallel_efficiency),
            energy_per_node_kwh: one,
            duration_h: None,
        }
    }
}
