//! `mlca assess --format boamps`: the assessment as a Boavizta BoAmps report (JSON,
//! <https://github.com/Boavizta/BoAmps>, `model/report_schema.json` 1.1), so that the run can be
//! shared in BoAmps' open data.
//!
//! What mlca knows fills BoAmps' fields: the energy (`measures`: one per trace with its format
//! as `measurementMethod`, its total energy in kWh, its duration and, when an idle power was
//! used, the idle energy as a calibration over the same duration; or one `declared`, `tdp` or
//! `extrapolated` measure), the hardware (`infrastructure.components`: each part of the bills of
//! materials, counted over the nodes), the location and the grid's carbon intensity
//! (`environment`), the functional unit (`task.taskDescription`) and an accuracy reached
//! (`task.measuredAccuracy`). BoAmps has no field for impacts: mlca's assessment (GWP, ADP and
//! PE per phase with their bounds, the energy's bounds, the versions, the assumptions) goes in
//! an `mlca` object, which the schema allows (it does not forbid other properties).
//!
//! BoAmps requires fields mlca does not know: the task's family, its algorithms, its dataset's
//! type and the infrastructure's type. They are written as BoAmps' "unknown" values
//! (`taskFamily` "unspecified", one empty algorithm, a dataset of type `other`, `infraType`
//! `other`) and listed in `mlca.unfilled`, to be edited before the report is shared. No
//! `header` is written: its `reportDatetime` would be the time of writing, and mlca's outputs do
//! not depend on the clock.

use crate::assessment::report::{BreakdownLevel, PhaseImpacts};
use crate::assessment::Report;
use crate::data::component::ComponentKind;
use crate::energy::EnergyMethod;
use crate::error::{Error, Result};
use crate::quantity::interval::Interval;
use crate::quantity::units::S_PER_H;
use serde::Serialize;

/// The BoAmps version the report follows.
pub const BOAMPS_VERSION: &str = "1.1.0";

/// The fields BoAmps requires that mlca does not know, as written (JSON pointers); the task's
/// stage is written `training`, what mlca's functional units are, to be changed for another.
const UNFILLED: [&str; 5] = [
    "/task/taskStage",
    "/task/taskFamily",
    "/task/algorithms/0",
    "/task/dataset/0/dataType",
    "/infrastructure/infraType",
];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Boamps<'a> {
    task: Task,
    measures: Vec<Measure>,
    infrastructure: Infrastructure,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<Environment>,
    mlca: Extension<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Task {
    task_stage: &'static str,
    task_family: &'static str,
    algorithms: Vec<Algorithm>,
    dataset: Vec<Dataset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measured_accuracy: Option<f64>,
    task_description: String,
}

/// An algorithm mlca knows nothing of (BoAmps requires one, with no required field).
#[derive(Serialize)]
struct Algorithm {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dataset {
    data_usage: &'static str,
    data_type: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Measure {
    measurement_method: String,
    /// kWh (BoAmps' name for the energy).
    power_consumption: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    measurement_duration: Option<f64>,
    /// kWh of idle energy over `duration_calibration_measurement` s.
    #[serde(skip_serializing_if = "Option::is_none")]
    power_calibration_measurement: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_calibration_measurement: Option<f64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Infrastructure {
    infra_type: &'static str,
    components: Vec<Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Component {
    component_name: String,
    component_type: &'static str,
    nb_component: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Environment {
    country: String,
    /// gCO2eq/kWh.
    power_source_carbon_intensity: f64,
}

/// mlca's assessment, which BoAmps has no fields for.
#[derive(Serialize)]
struct Extension<'a> {
    boamps_version: &'static str,
    mlca_version: &'a str,
    impact_data_version: &'a str,
    scenario: &'a str,
    functional_unit: &'a str,
    functional_units: u32,
    location: Option<&'a str>,
    /// The run's duration; `null` for devices charged by their hours alone.
    duration_h: Option<Interval>,
    energy_kwh: Interval,
    pue: Interval,
    /// Per functional unit: use, embodied, total; GWP kgCO2eq, ADP kgSbeq, PE MJ.
    impacts: &'a PhaseImpacts,
    /// The BoAmps fields mlca could not fill (JSON pointers into this report).
    unfilled: [&'static str; 5],
    assumptions: &'a [String],
    warnings: &'a [String],
}

/// BoAmps' name of a kind of component.
fn boamps_type(kind: ComponentKind) -> Option<&'static str> {
    Some(match kind {
        ComponentKind::Cpu => "cpu",
        ComponentKind::Gpu => "gpu",
        ComponentKind::Ram => "ram",
        ComponentKind::Ssd => "ssd",
        ComponentKind::Hdd => "hdd",
        ComponentKind::PowerSupply => "powerSupply",
        ComponentKind::Case => "case",
        ComponentKind::Motherboard => "motherboard",
        ComponentKind::Pcb => "pcb",
        ComponentKind::Other => "other",
        ComponentKind::Server => "server",
        ComponentKind::Node => "server",
        // the assembly of a server is a manufacturing step, not a part; memory and rails are
        // energy entries, not breakdown lines
        ComponentKind::Assembly
        | ComponentKind::Dram
        | ComponentKind::Memory
        | ComponentKind::Rail => return None,
    })
}

/// The measures of the run's energy.
fn measures(r: &Report) -> Vec<Measure> {
    let e = &r.energy;
    if e.method == EnergyMethod::Measured {
        return e
            .traces
            .iter()
            .map(|t| {
                let idle = t
                    .dynamic_energy_kwh
                    .map(|d| (t.total_energy_kwh.value - d.value).max(0.0));
                let timed = t.duration_s > 0.0;
                Measure {
                    measurement_method: t.format.key().to_string(),
                    power_consumption: t.total_energy_kwh.value,
                    measurement_duration: timed.then_some(t.duration_s),
                    power_calibration_measurement: idle.filter(|_| timed),
                    duration_calibration_measurement: idle.filter(|_| timed).map(|_| t.duration_s),
                }
            })
            .collect();
    }
    vec![Measure {
        measurement_method: e.method.key().to_string(),
        power_consumption: r.energy_kwh.value,
        measurement_duration: r.duration_h.map(|d| d.value * S_PER_H).filter(|d| *d > 0.0),
        power_calibration_measurement: None,
        duration_calibration_measurement: None,
    }]
}

/// The parts of the nodes: each line of a bill of materials, counted over the nodes of its
/// kind; a node given as totals is one `server`.
fn components(r: &Report) -> Vec<Component> {
    let mut out = Vec::new();
    for node in r
        .breakdown
        .iter()
        .filter(|b| b.level == BreakdownLevel::Node)
    {
        let parts: Vec<_> = r
            .breakdown
            .iter()
            .filter(|b| b.level == BreakdownLevel::Component && b.node == node.node)
            .collect();
        if parts.is_empty() {
            out.push(Component {
                component_name: node.name.to_string(),
                component_type: "server",
                nb_component: node.units,
            });
        }
        for p in parts {
            if let Some(t) = boamps_type(p.component) {
                out.push(Component {
                    component_name: p.name.to_string(),
                    component_type: t,
                    nb_component: p.units.saturating_mul(node.units),
                });
            }
        }
    }
    out
}

/// The assessment as a BoAmps report.
pub fn boamps(r: &Report) -> Result<String> {
    let fu = &r.functional_unit;
    let accuracy = match (&fu.quality_metric, fu.quality_reached) {
        (Some(m), Some(q)) if m.to_lowercase().contains("accuracy") && (0.0..=1.0).contains(&q) => {
            Some(q)
        }
        _ => None,
    };
    let description = match &fu.description {
        Some(d) => format!("{}: {d}", fu.name),
        None => fu.name.to_string(),
    };
    let country = r.electricity.location.country();
    let report = Boamps {
        task: Task {
            // mlca's functional unit is a training run (README, "Method")
            task_stage: "training",
            task_family: "unspecified",
            algorithms: vec![Algorithm {}],
            dataset: vec![Dataset {
                data_usage: "input",
                data_type: "other",
            }],
            measured_accuracy: accuracy,
            task_description: description,
        },
        measures: measures(r),
        infrastructure: Infrastructure {
            infra_type: "other",
            components: components(r),
        },
        // BoAMPS' environment needs the carbon intensity: none without a GWP factor
        environment: country
            .zip(r.electricity.gwp_kgco2eq_per_kwh)
            .map(|(c, g)| Environment {
                country: c.name.to_string(),
                power_source_carbon_intensity: g.value * 1e3,
            }),
        mlca: Extension {
            boamps_version: BOAMPS_VERSION,
            mlca_version: r.mlca_version,
            impact_data_version: &r.impact_data_version,
            scenario: &r.scenario,
            functional_unit: &fu.name,
            functional_units: fu.count,
            location: country.map(|c| &*c.code),
            duration_h: r.duration_h,
            energy_kwh: r.energy_kwh,
            pue: r.electricity.pue,
            impacts: &r.impacts,
            unfilled: UNFILLED,
            assumptions: &r.assumptions,
            warnings: &r.warnings,
        },
    };
    serde_json::to_string_pretty(&report)
        .map(|s| s + "\n")
        .map_err(|e| Error::Internal(format!("BoAmps output: {e}")))
}
