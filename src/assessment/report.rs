//! The typed report of an assessment: what `mlca assess` writes (README.md, "JSON output").
//!
//! Every field a renderer reads is typed (phases, criteria, methods, component kinds, the
//! electricity source, the embodied method); the enums serialize under the names the JSON has
//! always had, and the Monte Carlo statistics are held per phase and per criterion.

use super::AllocationReport;
use crate::data::component::ComponentKind;
use crate::data::provenance::{AppliedDefault, LeftOut, Notes, SourceRef};
use crate::electricity::ElectricityReport;
use crate::energy::EnergyReport;
use crate::quantity::impacts::{AssessedImpacts, Criterion, PerCriterion, PerPhase, Phase};
use crate::quantity::interval::Interval;
use crate::quantity::tape::Param;
use crate::scenario::EmbodiedMethod;
use serde::Serialize;
use std::sync::Arc;

/// The result of `mlca assess`: the JSON contract of README.md, "JSON output".
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mlca_version: &'static str,
    /// Shared with the impact data.
    pub impact_data_version: Arc<str>,
    /// The scenario's path, written once for the same path on a thread and shared.
    pub scenario: Arc<str>,
    pub functional_unit: FunctionalUnitReport,
    /// The run's duration; `null` when only devices charged per device-hour are given.
    pub duration_h: Option<Interval>,
    /// IT equipment energy per FU.
    pub energy_kwh: Interval,
    /// Facility energy per FU (IT x PUE).
    pub facility_energy_kwh: Interval,
    pub energy: EnergyReport,
    pub electricity: ElectricityReport,
    pub allocation: AllocationReport,
    pub impacts: PhaseImpacts,
    pub breakdown: Vec<BreakdownRow>,
    /// What the water figures cover: on site, electricity, the parts with and without water data.
    pub water_coverage: WaterCoverage,
    /// Written when first read (see [`Notes`]).
    pub assumptions: Notes,
    pub warnings: Notes,
    pub sources: Vec<SourceRef>,
    /// With `--samples`: the Monte Carlo statistics and the sensitivity ranking.
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Boxed: most reports have none, and a report is moved whole.
    pub monte_carlo: Option<Box<MonteCarlo>>,
    /// The embodied method the nodes' bills of materials were computed with (not in the JSON:
    /// the assumptions name it).
    #[serde(skip)]
    pub embodied_method: EmbodiedMethod,
    /// The defaults of impact-data applied, typed (not in the JSON: the assumptions say them).
    #[serde(skip)]
    pub defaults: Vec<AppliedDefault>,
    /// The parts of the nodes left out, typed (not in the JSON: the assumptions say them).
    #[serde(skip)]
    pub left_out: Vec<LeftOut>,
}

/// What the water figures cover (JSON `water_coverage`): the on-site term by its WUE, the
/// electricity's by its factor, the parts with a water figure and those without (each "name
/// (node kind)"); a term not covered is left out of the sums, never counted as 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterCoverage {
    /// The WUE of the on-site term (L/kWh); `null`: on-site water not covered.
    pub wue_l_per_kwh: Option<Interval>,
    /// The electricity's water factor (m3/kWh); `null`: not covered.
    pub electricity_water_m3_per_kwh: Option<Interval>,
    /// Shared with the assessments of the same parts (see [`super::water::embodied_coverage`]).
    pub embodied_covered: super::water::Parts,
    pub embodied_not_covered: super::water::Parts,
}

#[derive(Debug, Clone, Serialize)]
pub struct FunctionalUnitReport {
    /// The strings are the scenario's, shared.
    pub name: Arc<str>,
    pub description: Option<Arc<str>>,
    pub quality_metric: Option<Arc<str>>,
    /// Whether a higher or a lower quality is better.
    pub quality_direction: crate::scenario::Direction,
    pub quality_target: Option<f64>,
    pub quality_reached: Option<f64>,
    pub count: u32,
    pub training_type: Option<Arc<str>>,
}

/// The impacts per FU of each phase; a criterion an input lacks is not assessed in the phases
/// it reaches (and in the total).
#[derive(Debug, Clone, Serialize)]
pub struct PhaseImpacts {
    #[serde(rename = "use")]
    pub use_phase: AssessedImpacts,
    pub embodied: AssessedImpacts,
    pub total: AssessedImpacts,
}

impl PhaseImpacts {
    /// The three phases with their impacts, in report order.
    pub fn phases(&self) -> [(Phase, &AssessedImpacts); 3] {
        Phase::ALL.map(|p| (p, self.get(p)))
    }

    /// The impacts of `phase`.
    pub fn get(&self, phase: Phase) -> &AssessedImpacts {
        match phase {
            Phase::Use => &self.use_phase,
            Phase::Embodied => &self.embodied,
            Phase::Total => &self.total,
        }
    }
}

/// One impact of a Monte Carlo run: its phase and criterion, its statistics and its
/// deterministic interval.
#[derive(Clone, Copy, Debug)]
pub struct McRow<'a> {
    pub phase: Phase,
    pub criterion: Criterion,
    pub stats: &'a Stats,
    pub deterministic: Interval,
}

impl Report {
    /// With a Monte Carlo run: each assessed impact's row, in report order (phase, then
    /// criterion); an impact not assessed has none.
    pub fn mc_rows(&self) -> Vec<McRow<'_>> {
        let Some(mc) = &self.monte_carlo else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (phase, imp) in self.impacts.phases() {
            for c in Criterion::ALL {
                if let (Some(deterministic), Some(stats)) =
                    (imp.value(c), mc.impacts.get(phase).get(c))
                {
                    out.push(McRow {
                        phase,
                        criterion: c,
                        stats,
                        deterministic,
                    });
                }
            }
        }
        out
    }
}

/// The level of a row of the embodied breakdown. Serialized as its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BreakdownLevel {
    /// One row per node kind.
    Node,
    /// One row per line of a node kind's bill of materials.
    Component,
}

impl BreakdownLevel {
    pub fn key(self) -> &'static str {
        match self {
            BreakdownLevel::Node => "node",
            BreakdownLevel::Component => "component",
        }
    }
}

impl std::fmt::Display for BreakdownLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownRow {
    pub level: BreakdownLevel,
    /// The node kind's name (shared with the scenario).
    pub node: Arc<str>,
    /// `node` on a node row.
    pub component: ComponentKind,
    pub name: Arc<str>,
    /// Units of the component in one node, or number of nodes for a node row.
    pub units: u32,
    /// Manufacture impacts: of the component's units in one node, or of one node.
    pub manufacture: AssessedImpacts,
    /// Share allocated to one functional unit (all nodes of the kind).
    pub per_fu: AssessedImpacts,
    /// On a node row whose totals the scenario gives (taken from another study): their source.
    #[serde(skip)]
    pub given_source: Option<Arc<str>>,
    /// On the node row of devices charged per device-hour (`energy.devices`): their hours,
    /// summed over the devices; its `manufacture` is one device's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_hours: Option<Interval>,
}

/// The Monte Carlo results: statistics of each impact and of the energy, and the sensitivity.
#[derive(Clone, Debug, Serialize)]
pub struct Sensitivity {
    pub parameter: String,
    pub distribution: &'static str,
    /// Spearman rank correlation with the total of each criterion (`null` for a criterion not
    /// assessed).
    pub rank_correlation: PerCriterion<Option<f64>>,
    /// Total of each criterion with the input at its min and at its max (`null` for a criterion
    /// not assessed).
    pub swing: PerCriterion<Option<[f64; 2]>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MonteCarlo {
    pub samples: usize,
    pub seed: u64,
    pub percentiles: Vec<f64>,
    pub parameters: Vec<Param>,
    /// phase (use, embodied, total) -> criterion (gwp, adp, pe) -> statistics (`null` for an
    /// impact not assessed).
    pub impacts: PerPhase<PerCriterion<Option<Stats>>>,
    pub energy_kwh: Stats,
    /// Sorted by the largest absolute rank correlation with the total GWP.
    pub sensitivity: Vec<Sensitivity>,
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::electricity::{Country, ElectricitySource};
    use crate::energy::EnergyMethod;
    use crate::scenario::{EnergyBasis, GapPolicy, InputFormat};
    use serde_json::json;
    use std::collections::BTreeMap;

    fn name<T: Serialize>(v: T) -> serde_json::Value {
        serde_json::to_value(v).unwrap()
    }

    #[test]
    fn energy_methods_serialize_as_the_old_strings() {
        for (m, old) in [
            (EnergyMethod::Declared, "declared"),
            (EnergyMethod::Tdp, "tdp"),
            (EnergyMethod::Measured, "measured"),
            (EnergyMethod::Extrapolated, "extrapolated"),
        ] {
            assert_eq!(name(m), json!(old));
            assert_eq!(m.key(), old);
            assert_eq!(m.to_string(), old);
        }
    }

    #[test]
    fn breakdown_levels_serialize_as_the_old_strings() {
        for (l, old) in [
            (BreakdownLevel::Node, "node"),
            (BreakdownLevel::Component, "component"),
        ] {
            assert_eq!(name(l), json!(old));
            assert_eq!(l.to_string(), old);
        }
    }

    #[test]
    fn embodied_methods_serialize_as_their_keys() {
        for m in EmbodiedMethod::ALL {
            assert_eq!(name(m), json!(m.key()));
        }
        assert_eq!(name(EmbodiedMethod::Boavizta25), json!("boavizta-2.5"));
        assert_eq!(name(EmbodiedMethod::Mlca2024), json!("mlca-2024"));
        assert_eq!(name(EmbodiedMethod::Ecologits), json!("ecologits"));
    }

    #[test]
    fn trace_fields_serialize_as_the_old_strings() {
        for f in [
            InputFormat::NvidiaSmi,
            InputFormat::Rapl,
            InputFormat::Alumet,
            InputFormat::Codecarbon,
            InputFormat::JetsonStats,
            InputFormat::Kwollect,
            InputFormat::Generic,
            InputFormat::Carbontracker,
            InputFormat::Eco2ai,
        ] {
            assert_eq!(name(f), json!(f.key()));
        }
        for g in [GapPolicy::Interpolate, GapPolicy::Hold, GapPolicy::Missing] {
            assert_eq!(name(g), json!(g.key()));
        }
        assert_eq!(name(EnergyBasis::Total), json!("total"));
        assert_eq!(name(EnergyBasis::Dynamic), json!("dynamic"));
    }

    #[test]
    fn electricity_sources_serialize_as_the_old_location() {
        let fra = Country {
            code: "FRA".into(),
            name: "France".into(),
        };
        assert_eq!(name(ElectricitySource::Mix(fra.clone())), json!("FRA"));
        assert_eq!(
            name(ElectricitySource::Scenario { country: None }),
            json!("scenario")
        );
        let given = ElectricitySource::Scenario {
            country: Some(("fra".into(), fra.clone())),
        };
        assert_eq!(name(&given), json!("fra"));
        assert_eq!(given.country(), Some(&fra));
    }

    #[test]
    fn monte_carlo_statistics_serialize_by_phase_and_criterion() {
        let st = |m: f64| Stats {
            mean: m,
            median: m,
            sd: 0.0,
            percentiles: BTreeMap::from([("p05".to_string(), m)]),
        };
        let per = PerPhase::from_fn(|p| {
            PerCriterion::from_fn(|c| {
                st(match (p, c) {
                    (Phase::Total, Criterion::Gwp) => 7.0,
                    (Phase::Use, Criterion::Pe) => 3.0,
                    _ => 0.0,
                })
            })
        });
        let v = name(&per);
        assert_eq!(v["total"]["gwp"]["mean"], json!(7.0));
        assert_eq!(v["use"]["pe"]["p05"], json!(3.0));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["embodied", "total", "use"]);
    }
}
