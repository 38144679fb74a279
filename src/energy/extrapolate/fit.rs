//! Ordinary least squares of y on x, y = a + b x: b = Sxy / Sxx, a = mean y - b mean x,
//! s^2 = SSE / (m - 2), and the two-sided prediction interval at x0
//!
//!   y(x0) +- t_{m-2, 1-alpha/2} s sqrt(1 + 1/m + (x0 - mean x)^2 / Sxx)
//!
//! (units those of x and y: steps and kWh, or steps and seconds).

use crate::quantity::interval::Interval;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

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
    pub mean_x: f64,
    #[serde(skip)]
    pub sxx: f64,
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
