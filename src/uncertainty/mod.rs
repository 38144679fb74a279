//! Monte Carlo over every uncertain input of an assessment, and sensitivity ranking.
//!
//! The assessment runs once on a recording [`Tape`] ([`crate::quantity::tape`]); its graph is then
//! evaluated `samples` times with each input drawn from its distribution (declared, or uniform
//! over its min-max range). Each impact gets its mean, median, standard deviation and chosen
//! percentiles beside the deterministic value and the bounds. Sensitivity: Spearman's rank
//! correlation of each input with each total, and the one-at-a-time swing of each total when the
//! input goes from its min to its max (the others at their values).

pub mod stats;

use crate::assessment::{assess, assess_on, MonteCarlo, Report, Sensitivity, Stats};
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::quantity::impacts::Criterion;
use crate::quantity::tape::Tape;
use crate::scenario::Loaded;
use std::collections::BTreeMap;

/// What to sample.
#[derive(Clone, Debug)]
pub struct McOptions {
    pub samples: usize,
    pub seed: u64,
    /// Percentiles to report (0-100), e.g. 5 and 95.
    pub percentiles: Vec<f64>,
}

/// One input's influence on the totals.
pub fn assess_with(
    loaded: &Loaded,
    data: &ImpactData,
    mc_opts: Option<&McOptions>,
) -> Result<Report> {
    let Some(o) = mc_opts else {
        return assess(loaded, data);
    };
    if o.samples == 0 {
        return Err(Error::msg(
            "--samples 0: give at least one sample (e.g. --samples 10000)",
        ));
    }
    if o.percentiles.iter().any(|p| !(*p > 0.0 && *p < 100.0)) {
        return Err(Error::msg(
            "percentiles must be between 0 and 100 (exclusive), e.g. --percentiles 5,95",
        ));
    }
    let tape = Tape::recording();
    let (mut report, tracked) = assess_on(loaded, data, &tape)?;
    let graph = tape
        .into_graph()
        .ok_or_else(|| Error::Internal("Monte Carlo graph lost".into()))?;
    let mut outputs = Vec::new();
    for imp in &tracked.impacts {
        for c in Criterion::ALL {
            outputs.push(imp.get(c));
        }
    }
    outputs.push(tracked.energy_kwh);
    let samples = graph.simulate(&outputs, o.samples, o.seed);
    let mut impacts: BTreeMap<String, BTreeMap<String, Stats>> = BTreeMap::new();
    for (pi, (phase, _)) in report.impacts.phases().iter().enumerate() {
        for (ci, c) in Criterion::ALL.iter().enumerate() {
            impacts.entry(phase.to_string()).or_default().insert(
                c.key().to_string(),
                stats::stats(&samples.outputs[pi * 3 + ci], &o.percentiles),
            );
        }
    }
    let energy = stats::stats(&samples.outputs[9], &o.percentiles);
    // sensitivity on the totals
    let base: Vec<f64> = graph.params.iter().map(|p| p.value).collect();
    let totals = &outputs[6..9];
    let mut sensitivity: Vec<Sensitivity> = graph
        .params
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let mut rank_correlation = BTreeMap::new();
            let mut swing = BTreeMap::new();
            let at = |v: f64| {
                let mut x = base.clone();
                x[k] = v;
                graph.eval(&x, totals)
            };
            let (lo, hi) = (at(p.min), at(p.max));
            for (ci, c) in Criterion::ALL.iter().enumerate() {
                rank_correlation.insert(
                    c.key().to_string(),
                    stats::spearman(&samples.params[k], &samples.outputs[6 + ci]),
                );
                swing.insert(c.key().to_string(), [lo[ci], hi[ci]]);
            }
            Sensitivity {
                parameter: p.name.clone(),
                distribution: p.dist.name(),
                rank_correlation,
                swing,
            }
        })
        .collect();
    sensitivity.sort_by(|a, b| {
        let g = |s: &Sensitivity| s.rank_correlation.get("gwp").copied().unwrap_or(0.0).abs();
        g(b).total_cmp(&g(a))
            .then_with(|| a.parameter.cmp(&b.parameter))
    });
    let by_default: Vec<&str> = graph
        .params
        .iter()
        .filter(|p| p.uniform_by_default)
        .map(|p| p.name.as_str())
        .collect();
    if !by_default.is_empty() {
        report.assumptions.push(format!(
            "Monte Carlo: inputs given only as a range are sampled uniformly over it: {}",
            by_default.join("; ")
        ));
    }
    report.assumptions.push(format!(
        "Monte Carlo: {} samples, seed {}, {} uncertain input(s), each independent; normal and lognormal inputs truncated to their bounds",
        o.samples,
        o.seed,
        graph.params.len()
    ));
    if graph.params.is_empty() {
        report.warnings.push(
            "Monte Carlo: no input is uncertain; every sample equals the deterministic value"
                .into(),
        );
    }
    report.monte_carlo = Some(MonteCarlo {
        samples: o.samples,
        seed: o.seed,
        percentiles: o.percentiles.clone(),
        parameters: graph.params.clone(),
        impacts,
        energy_kwh: energy,
        sensitivity,
    });
    Ok(report)
}
