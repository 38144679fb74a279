//! The typed report of an assessment: what `mlca assess` writes (README.md, "JSON output").

use super::AllocationReport;
use crate::data::provenance::SourceRef;
use crate::electricity::ElectricityReport;
use crate::energy::EnergyReport;
use crate::quantity::impacts::{Criterion, Impacts};
use crate::quantity::interval::Interval;
use crate::quantity::tape::Param;
use serde::Serialize;
use std::collections::BTreeMap;

/// The result of `mlca assess`: the JSON contract of README.md, "JSON output".
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mlca_version: String,
    pub impact_data_version: String,
    pub scenario: String,
    pub functional_unit: FunctionalUnitReport,
    pub duration_h: Interval,
    pub energy_kwh: Interval,
    pub energy: EnergyReport,
    pub electricity: ElectricityReport,
    pub allocation: AllocationReport,
    pub impacts: PhaseImpacts,
    pub breakdown: Vec<BreakdownRow>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: Vec<SourceRef>,
    /// With `--samples`: the Monte Carlo statistics and the sensitivity ranking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarlo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FunctionalUnitReport {
    pub name: String,
    pub description: Option<String>,
    pub quality_metric: Option<String>,
    pub quality_target: Option<f64>,
    pub quality_reached: Option<f64>,
    pub count: u32,
    pub training_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseImpacts {
    #[serde(rename = "use")]
    pub use_phase: Impacts,
    pub embodied: Impacts,
    pub total: Impacts,
}

impl PhaseImpacts {
    /// The three phases with their names, in report order.
    pub fn phases(&self) -> [(&'static str, &Impacts); 3] {
        [
            ("use", &self.use_phase),
            ("embodied", &self.embodied),
            ("total", &self.total),
        ]
    }

    /// The impacts of the phase named `phase` (use, embodied or total).
    pub fn phase(&self, phase: &str) -> &Impacts {
        match phase {
            "use" => &self.use_phase,
            "embodied" => &self.embodied,
            _ => &self.total,
        }
    }
}

impl Report {
    /// With a Monte Carlo run: (phase, criterion, its statistics, its deterministic interval)
    /// for each impact, in report order.
    pub fn mc_rows(&self) -> Vec<(&'static str, Criterion, &Stats, Interval)> {
        let Some(mc) = &self.monte_carlo else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (phase, imp) in self.impacts.phases() {
            for c in Criterion::ALL {
                if let Some(st) = mc.impacts.get(phase).and_then(|m| m.get(c.key())) {
                    out.push((phase, c, st, imp.get(c)));
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownRow {
    /// "node" (one row per node kind) or "component" (one row per line of its bill of materials).
    pub level: String,
    pub node: String,
    pub component: String,
    pub name: String,
    /// Units of the component in one node, or number of nodes for a node row.
    pub units: u32,
    /// Manufacture impacts: of the component's units in one node, or of one node.
    pub manufacture: Impacts,
    /// Share allocated to one functional unit (all nodes of the kind).
    pub per_fu: Impacts,
}

/// The Monte Carlo results: statistics of each impact and of the energy, and the sensitivity.
#[derive(Clone, Debug, Serialize)]
pub struct Sensitivity {
    pub parameter: String,
    pub distribution: &'static str,
    /// Spearman rank correlation with the total of each criterion.
    pub rank_correlation: BTreeMap<String, f64>,
    /// Total of each criterion with the input at its min and at its max.
    pub swing: BTreeMap<String, [f64; 2]>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MonteCarlo {
    pub samples: usize,
    pub seed: u64,
    pub percentiles: Vec<f64>,
    pub parameters: Vec<Param>,
    /// phase (use, embodied, total) -> criterion (gwp, adp, pe) -> statistics.
    pub impacts: BTreeMap<String, BTreeMap<String, Stats>>,
    pub energy_kwh: Stats,
    /// Sorted by the largest absolute rank correlation with the total GWP.
    pub sensitivity: Vec<Sensitivity>,
}

/// Assess, and with `mc` run the Monte Carlo and attach it to the report.
/// Summary statistics of one output.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub median: f64,
    pub sd: f64,
    /// Chosen percentiles, e.g. p05 and p95.
    #[serde(flatten)]
    pub percentiles: std::collections::BTreeMap<String, f64>,
}
