//! Carbontracker's prediction from measured epochs: the energy of a training of N epochs is N
//! times the energy of one epoch. With one measured epoch there is no interval (min = max =
//! value, and the report says so); with m >= 2 epochs of mean e and sample standard deviation s,
//! the total is N e with the two-sided prediction interval of a sum of N new epochs:
//!
//!   N e +- t_{m-1, 1-alpha/2} s sqrt(N + N^2 / m)
//!
//! (the N new epochs vary by N s^2, the mean they scale by N^2 s^2 / m), the lower bound kept at
//! zero or more. A run on k nodes is k x E / eta, as for the other extrapolations.

use super::{t_quantile, Method, Prediction, Target};
use crate::quantity::interval::Interval;

/// The prediction from the energies (kWh) of measured epochs, to `target.steps` epochs, and what
/// it assumes.
pub fn from_epochs(epoch_kwh: &[f64], target: &Target) -> (Prediction, Vec<String>) {
    let m = epoch_kwh.len();
    let n = target.steps;
    let mean = epoch_kwh.iter().sum::<f64>() / m.max(1) as f64;
    let mut assumptions = Vec::new();
    let one = if m < 2 {
        assumptions.push(format!(
            "Carbontracker's prediction: {n} epochs x the energy of one measured epoch; no interval (one epoch shows no spread)"
        ));
        Interval::exact(mean * n)
    } else {
        let var = epoch_kwh.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (m - 1) as f64;
        let half =
            t_quantile(target.level, (m - 1) as f64) * var.sqrt() * (n + n * n / m as f64).sqrt();
        assumptions.push(format!(
            "Carbontracker's prediction: {n} epochs x the mean of {m} measured epochs, with the {:.0} % prediction interval of their spread (t with {} degrees of freedom)",
            target.level * 100.0,
            m - 1
        ));
        Interval::new(mean * n, (mean * n - half).max(0.0), mean * n + half)
    };
    (
        Prediction::of_one_node(one, target, Method::Carbontracker),
        assumptions,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(epochs: f64, nodes: u32) -> Target {
        Target {
            steps: epochs,
            nodes,
            parallel_efficiency: 1.0,
            level: 0.95,
            method: Method::Carbontracker,
            min_r2: 0.9,
        }
    }

    #[test]
    fn one_epoch_times_the_epochs_without_an_interval() {
        let (p, a) = from_epochs(&[0.52], &target(90.0, 2));
        // 0.52 kWh x 90 epochs = 46.8 kWh per node, x 2 nodes
        assert!((p.energy_per_node_kwh.value - 46.8).abs() < 1e-12);
        assert!(p.energy_per_node_kwh.is_exact());
        assert!((p.energy_kwh.value - 93.6).abs() < 1e-12);
        assert!(a[0].contains("no interval"), "{a:?}");
    }

    #[test]
    fn several_epochs_give_the_interval_of_their_spread() {
        // epochs 1.0, 1.2, 1.1 kWh: mean 1.1, s = 0.1; N = 10; t(0.975, 2) = 4.302653
        // half width = 4.302653 x 0.1 x sqrt(10 + 100/3) = 4.302653 x 0.1 x 6.582806 = 2.832353
        let (p, _) = from_epochs(&[1.0, 1.2, 1.1], &target(10.0, 1));
        let e = p.energy_kwh;
        assert!((e.value - 11.0).abs() < 1e-12);
        let half = 4.302_652_729_749_464 * 0.1 * (10.0f64 + 100.0 / 3.0).sqrt();
        assert!((e.max - (11.0 + half)).abs() < 1e-9, "{e:?}");
        assert!((e.min - (11.0 - half)).abs() < 1e-9, "{e:?}");
        assert!((half - 2.832_353).abs() < 1e-5, "{half}");
    }

    #[test]
    fn the_lower_bound_stays_at_zero_or_more() {
        let (p, _) = from_epochs(&[0.1, 5.0], &target(1.0, 1));
        assert_eq!(p.energy_kwh.min, 0.0);
    }
}
