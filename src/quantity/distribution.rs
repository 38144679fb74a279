//! Distributions of uncertain inputs: each scenario number may carry one (uniform, triangular,
//! normal, lognormal or fixed), sampled by inverse CDF in the Monte Carlo propagation.
//!
//! Lognormal inputs are given by the mean and standard deviation of the quantity itself:
//! sigma^2 = ln(1 + (sd/mean)^2), mu = ln(mean) - sigma^2 / 2.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// The distribution of an uncertain input.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "distribution", rename_all = "lowercase")]
pub enum Dist {
    Fixed {
        value: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// Of a quantity with this mean and standard deviation (mu, sigma derived).
    Lognormal {
        mean: f64,
        sd: f64,
    },
}

impl Dist {
    /// The value at quantile u in (0, 1).
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { min, max } => min + u * (max - min),
            Dist::Triangular { min, mode, max } => {
                let f = (mode - min) / (max - min);
                if u < f {
                    min + (u * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * (max - min) * (max - mode)).sqrt()
                }
            }
            Dist::Normal { mean, sd } => mean + sd * std_normal_quantile(u),
            Dist::Lognormal { mean, sd } => {
                let (mu, sigma) = lognormal_params(mean, sd);
                (mu + sigma * std_normal_quantile(u)).exp()
            }
        }
    }

    /// Cumulative probability at x (for truncating to bounds).
    pub fn cdf(&self, x: f64) -> f64 {
        let phi = |z: f64| Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.cdf(z));
        match *self {
            Dist::Fixed { value } => f64::from(u8::from(x >= value)),
            Dist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Dist::Triangular { min, mode, max } => {
                if x <= min {
                    0.0
                } else if x <= mode {
                    (x - min).powi(2) / ((max - min) * (mode - min))
                } else if x < max {
                    1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                } else {
                    1.0
                }
            }
            Dist::Normal { mean, sd } => phi((x - mean) / sd),
            Dist::Lognormal { mean, sd } => {
                if x <= 0.0 {
                    return 0.0;
                }
                let (mu, sigma) = lognormal_params(mean, sd);
                phi((x.ln() - mu) / sigma)
            }
        }
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Normal { mean, .. } | Dist::Lognormal { mean, .. } => mean,
        }
    }

    pub fn variance(&self) -> f64 {
        match *self {
            Dist::Fixed { .. } => 0.0,
            Dist::Uniform { min, max } => (max - min).powi(2) / 12.0,
            Dist::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::Normal { sd, .. } | Dist::Lognormal { sd, .. } => sd * sd,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Dist::Fixed { .. } => "fixed",
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::Normal { .. } => "normal",
            Dist::Lognormal { .. } => "lognormal",
        }
    }
}

/// mu and sigma of the logarithm of a lognormal quantity of this mean and sd.
pub fn lognormal_params(mean: f64, sd: f64) -> (f64, f64) {
    let s2 = (1.0 + (sd / mean).powi(2)).ln();
    (mean.ln() - s2 / 2.0, s2.sqrt())
}

/// The standard normal quantile; `u` outside [0, 1] (which the sampler never draws) is clamped,
/// so that no input can make the distribution library panic.
fn std_normal_quantile(u: f64) -> f64 {
    let u = if u.is_nan() { 0.5 } else { u.clamp(0.0, 1.0) };
    Normal::new(0.0, 1.0).map_or(f64::NAN, |n| n.inverse_cdf(u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_moments() {
        let u = Dist::Uniform { min: 2.0, max: 4.0 };
        assert_eq!(u.quantile(0.25), 2.5);
        assert_eq!(u.variance(), 4.0 / 12.0);
        let t = Dist::Triangular {
            min: 0.0,
            mode: 1.0,
            max: 2.0,
        };
        assert!((t.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((t.variance() - 1.0 / 6.0).abs() < 1e-12);
        let n = Dist::Normal {
            mean: 10.0,
            sd: 2.0,
        };
        assert!((n.quantile(0.975) - (10.0 + 2.0 * 1.959963984540054)).abs() < 1e-9);
        let (mu, s) = lognormal_params(1.0, 0.5);
        assert!(((mu + s * s / 2.0).exp() - 1.0).abs() < 1e-12);
    }
}
