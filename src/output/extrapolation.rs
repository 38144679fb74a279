//! `mlca extrapolate`: the table of a fit and its prediction (JSON is the serialized result).

use crate::energy::extrapolate::Extrapolation;
use crate::output::{list, num, range};

/// The table of `mlca extrapolate`.
pub fn table(x: &Extrapolation) -> String {
    let p = &x.prediction;
    let mut s = format!(
        "{} points from {} ({} to {} steps)\n",
        x.points.len(),
        x.source,
        num(x.measured_steps[0]),
        num(x.measured_steps[1])
    );
    let f = &x.fit;
    s.push_str(&format!(
        "fit: E(n) = {:.6e} (SE {:.2e}) + {:.6e} (SE {:.2e}) x n kWh, R^2 = {:.5}, residual SD {:.3e} kWh\n",
        f.intercept_kwh, f.se_intercept_kwh, f.slope_kwh_per_step, f.se_slope_kwh_per_step, f.r2, f.residual_sd_kwh
    ));
    if let Some(t) = &x.time_fit {
        s.push_str(&format!(
            "time: T(n) = {:.6e} + {:.6e} x n s, R^2 = {:.5}\n",
            t.intercept_s, t.slope_s_per_step, t.r2
        ));
    }
    s.push_str(&format!(
        "\nprediction at {} steps ({:?}, {:.0} % interval):\n  one node: {} kWh\n",
        num(p.target_steps),
        p.method,
        p.level * 100.0,
        range(p.energy_per_node_kwh)
    ));
    s.push_str(&format!(
        "  {} node(s), parallel efficiency {}: {} kWh\n",
        p.nodes,
        p.parallel_efficiency,
        range(p.energy_kwh)
    ));
    if let Some(d) = p.duration_h {
        s.push_str(&format!("  duration: {} h\n", range(d)));
    }
    s.push_str(&format!(
        "\ncomparisons (one node): per-window rate {:.6e} (SE {:.2e}) kWh/step over {} windows -> {} kWh; Carbontracker epoch average -> {} kWh\n",
        x.per_window.mean_kwh_per_step,
        x.per_window.se_kwh_per_step,
        x.per_window.windows,
        range(x.per_window.energy_kwh),
        num(x.carbontracker_energy_kwh)
    ));
    list(&mut s, "Assumptions", &x.assumptions);
    list(&mut s, "Warnings", &x.warnings);
    s
}
