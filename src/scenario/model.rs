//! The scenario format. Every struct denies unknown keys, and every number carries its unit in
//! its key. See README.md, "Scenario format", for a commented example.

use super::inputs::{GapPolicy, GenericSpec, InputFormat, IntensityBasis, IntensityFormat};
pub use crate::data::bom::*;
use crate::quantity::input::{finite, finite_opt, Count, Fraction, NonNeg, Positive, Pue};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What one assessment is for: "train ResNet-50 on ImageNet to 75.9 % top-1".
    pub functional_unit: FunctionalUnit,
    /// The nodes the functional unit ran on (may be empty when `energy.devices` names the
    /// devices' models, charged per device-hour).
    #[serde(default)]
    pub infrastructure: Vec<NodeGroup>,
    /// The run that delivered the functional unit(s). Its duration may instead come from an
    /// extrapolation with time points.
    #[serde(default)]
    pub run: Option<Run>,
    /// The electricity the run drew (IT equipment, before PUE).
    pub energy: Energy,
    /// Electricity mix and data-centre overhead.
    pub electricity: Electricity,
    /// Time allocation of the embodied impacts.
    pub allocation: Allocation,
    /// How the scenario appears in comparisons: label, radar bounds, further criteria.
    #[serde(default)]
    pub comparison: Option<Comparison>,
    /// boavizta-2.5 (default), mlca-2024 or ecologits.
    #[serde(default)]
    pub embodied_method: Option<crate::scenario::EmbodiedMethod>,
}

/// A scenario's place in `mlca compare`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// Column title (default: the file name).
    #[serde(default)]
    pub label: Option<String>,
    /// Bounds of the standard criteria on the radar chart (worst to best is read from the
    /// direction: lower is better for impacts, energy and duration; higher for quality).
    #[serde(default)]
    pub bounds: Option<StandardBounds>,
    /// Performance or qualitative criteria (price, latency, accessibility, ...).
    #[serde(default)]
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardBounds {
    #[serde(default)]
    pub energy_kwh: Option<Bounds>,
    #[serde(default)]
    pub duration_h: Option<Bounds>,
    #[serde(default)]
    pub quality: Option<Bounds>,
    #[serde(default)]
    pub gwp_kgco2eq: Option<Bounds>,
    #[serde(default)]
    pub adp_kgsbeq: Option<Bounds>,
    #[serde(default)]
    pub pe_mj: Option<Bounds>,
    #[serde(default)]
    pub water_m3: Option<Bounds>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    #[serde(deserialize_with = "finite")]
    pub min: f64,
    #[serde(deserialize_with = "finite")]
    pub max: f64,
}

/// Whether more is better.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    BetterHigh,
    BetterLow,
}

impl Direction {
    /// Whether `a` is worse than `b` in this direction.
    pub fn worse(self, a: f64, b: f64) -> bool {
        match self {
            Direction::BetterHigh => a < b,
            Direction::BetterLow => a > b,
        }
    }

    /// "higher is better" or "lower is better".
    pub fn words(self) -> &'static str {
        match self {
            Direction::BetterHigh => "higher is better",
            Direction::BetterLow => "lower is better",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub name: String,
    /// Unit or scale (e.g. "score 0-1", "EUR", "ms").
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(deserialize_with = "finite")]
    pub value: f64,
    #[serde(deserialize_with = "finite")]
    pub min: f64,
    #[serde(deserialize_with = "finite")]
    pub max: f64,
    pub direction: Direction,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionalUnit {
    /// The strings a report gives are shared with it (`Arc<str>`, read and written by serde as
    /// plain strings, serde's `rc` feature).
    pub name: Arc<str>,
    #[serde(default)]
    pub description: Option<Arc<str>>,
    /// Name of the quality metric, e.g. "top-1 accuracy".
    #[serde(default)]
    pub quality_metric: Option<Arc<str>>,
    /// Whether a higher quality is better (accuracy, BLEU: `better-high`, the default) or a
    /// lower one (loss, perplexity, word error rate: `better-low`).
    #[serde(default)]
    pub quality_direction: Option<Direction>,
    #[serde(default, deserialize_with = "finite_opt")]
    pub quality_target: Option<f64>,
    #[serde(default, deserialize_with = "finite_opt")]
    pub quality_reached: Option<f64>,
    /// How many functional units the run delivered; impacts are divided by it. 1 if absent.
    #[serde(default)]
    pub count: Count,
    /// For model cards: pre-training, fine-tuning, ...
    #[serde(default)]
    pub training_type: Option<Arc<str>>,
    /// A log of the quality reached over the run (CSV with a timestamp column and the quality
    /// column): with a trace, mlca plots the energy needed to reach each quality point.
    #[serde(default)]
    pub quality_log: Option<PathBuf>,
    /// The quality column of `quality_log`.
    #[serde(default)]
    pub quality_column: Option<String>,
    /// Texts an assessment makes from the functional unit alone (not read from the scenario).
    #[serde(skip)]
    pub texts: Texts,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Wall-clock duration of the run on the nodes, in hours (T_FU of the allocation).
    pub duration_h: Positive,
    /// When the run started and ended: with a time-varying intensity and an energy that is not
    /// measured (declared, TDP, extrapolated), the energy is spread evenly between them.
    #[serde(default)]
    pub start: Option<TimeText>,
    #[serde(default)]
    pub end: Option<TimeText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeGroup {
    /// A label for this kind of node in the report (shared with its breakdown rows).
    pub name: Arc<str>,
    /// How many nodes of this kind the run used.
    pub nodes: Count,
    /// A ready node of the catalog (`mlca hardware list --kind node`).
    #[serde(default)]
    pub catalog: Option<String>,
    /// A cloud instance ("aws p4d.24xlarge"): its share of its host platform (BoaviztAPI 2.5.0's
    /// cloud archetypes), by its GPUs or its vCPUs; `bom` part lists replace the host's.
    #[serde(default)]
    pub instance: Option<String>,
    /// A bill of materials; with `catalog`, each part list given here replaces the catalog's.
    #[serde(default)]
    pub bom: Option<Bom>,
    /// Embodied impacts of one node taken from another study, allocated without recomputing.
    #[serde(default)]
    pub embodied: Option<DirectEmbodied>,
    /// Texts an assessment makes from this node kind's fields alone, kept for the next ones
    /// (not read from the scenario).
    #[serde(skip)]
    pub texts: Texts,
}

/// Texts made from a part of the scenario alone (a node kind's reasons and notes), written by
/// the first assessment that needs them and shared, not written again, by every later report of
/// the loaded scenario (a Monte Carlo's samples, a benchmark's rounds). What they are is the
/// writer's: this only keeps them.
///
/// The fields the texts are made from must not change after an assessment, except on a clone:
/// a clone starts empty (its texts are written again by its first assessment), since cloning is
/// how a scenario part is changed (another embodied method, another name).
#[derive(Default)]
pub struct Texts(std::sync::OnceLock<Arc<[Arc<str>]>>);

impl Clone for Texts {
    /// Empty: the clone's fields may be changed, so the original's texts are not carried over.
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl Texts {
    /// The texts, written by `write` on the first call.
    pub fn get_or_init(&self, write: impl FnOnce() -> Vec<Arc<str>>) -> &[Arc<str>] {
        self.0.get_or_init(|| write().into())
    }
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Texts")
    }
}

/// A node's embodied impacts from another study: at least one criterion; a criterion left out
/// is not assessed (never zero).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectEmbodied {
    #[serde(default)]
    pub gwp_kgco2eq: Option<NonNeg>,
    #[serde(default)]
    pub adp_kgsbeq: Option<NonNeg>,
    #[serde(default)]
    pub pe_mj: Option<NonNeg>,
    #[serde(default)]
    pub water_m3: Option<NonNeg>,
    /// Where the figures come from.
    pub source: String,
}

/// Where the energy of the run comes from: one or more of the sources, whose energies add up
/// (each a line of the report), times the overhead if given.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Energy {
    /// Energy of the whole run (all nodes), kWh.
    #[serde(default)]
    pub declared_kwh: Option<NonNeg>,
    /// Power declared per component (Green Algorithms style), times `run.duration_h`.
    #[serde(default)]
    pub tdp: Option<Vec<PowerDeclaration>>,
    /// Measured power traces (files written by power meters), integrated per device.
    #[serde(default)]
    pub traces: Option<Vec<TraceRef>>,
    /// Extrapolated from a measured fraction of the steps.
    #[serde(default)]
    pub extrapolated: Option<Extrapolated>,
    /// Devices by their time (device-hours, chip-days, units x hours) and power.
    #[serde(default)]
    pub devices: Option<Vec<super::DeviceUse>>,
    /// Where the energies were metered: `it` (IT equipment, before PUE; the default) or
    /// `facility` (after PUE).
    #[serde(default)]
    pub at: Option<super::Boundary>,
    /// A multiplier of the summed energies, with its source.
    #[serde(default)]
    pub overhead: Option<super::Overhead>,
}

/// Energy (and time) extrapolated from a measured fraction of a training.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extrapolated {
    /// Nodes of the full run, each running the target steps as the measured node did.
    pub nodes: Count,
    /// Parallel efficiency of the full run, in (0, 1]; 1 if absent (named in the report).
    #[serde(default)]
    pub parallel_efficiency: Option<Fraction>,
    /// Level of the prediction interval; 0.95 if absent.
    #[serde(default)]
    pub level: Option<Fraction>,
    /// ols (default), per-window or carbontracker.
    #[serde(default)]
    pub method: Option<crate::scenario::ExtrapolationMethod>,
    /// Warn below this R^2; 0.9 if absent.
    #[serde(default)]
    pub min_r2: Option<Fraction>,
    /// Phases of the training (e.g. 256 px then 512 px), each with its own fit; energies add.
    pub phases: Vec<Phase>,
}

/// One phase of an extrapolated training: points (from one source) or a published fit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    #[serde(default)]
    pub name: Option<String>,
    /// Steps of the full phase (the sources of points and the published fit).
    #[serde(default)]
    pub target_steps: Option<Positive>,
    /// The energy of one measured epoch, kWh, or of each of several epochs (a list):
    /// Carbontracker's prediction, x `target_epochs`.
    #[serde(default, deserialize_with = "one_or_many_kwh")]
    pub epoch_kwh: Option<Vec<f64>>,
    /// Epochs of the full phase (with `epoch_kwh`).
    #[serde(default)]
    pub target_epochs: Option<Positive>,
    /// A CSV with steps, energy_kwh (cumulative) and optionally elapsed_s.
    #[serde(default)]
    pub points: Option<PathBuf>,
    /// A power trace integrated up to each step of `training_log`.
    #[serde(default)]
    pub trace: Option<PathBuf>,
    /// CodeCarbon flush() rows, steps read from `training_log` at each row's time.
    #[serde(default)]
    pub codecarbon: Option<PathBuf>,
    /// The CodeCarbon run whose rows are the points, when the file holds several: by its
    /// `run_id` (or the id's first characters), its `project_name`, or its number from 1.
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default)]
    pub project_name: Option<String>,
    #[serde(default)]
    pub run_index: Option<Count>,
    #[serde(default)]
    pub training_log: Option<PathBuf>,
    #[serde(default)]
    pub input_format: Option<InputFormat>,
    /// A published fit E(N) = a + b N (no points: no interval).
    #[serde(default)]
    pub fit: Option<PublishedFit>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFit {
    #[serde(deserialize_with = "finite")]
    pub intercept_kwh: f64,
    #[serde(deserialize_with = "finite")]
    pub slope_kwh_per_step: f64,
    pub source: String,
}

/// One energy (kWh, finite, zero or more) or a list of them.
fn one_or_many_kwh<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(f64),
        Many(Vec<f64>),
    }
    let v = match OneOrMany::deserialize(d).map_err(|_| {
        serde::de::Error::custom(
            "expected an energy in kWh or a list of them (one per measured epoch)",
        )
    })? {
        OneOrMany::One(x) => vec![x],
        OneOrMany::Many(v) => v,
    };
    if v.is_empty() {
        return Err(serde::de::Error::custom(
            "the list of epoch energies is empty: give at least one",
        ));
    }
    if let Some(x) = v.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        return Err(serde::de::Error::custom(format!(
            "{x}: an epoch's energy must be a finite number of kWh, zero or more"
        )));
    }
    Ok(Some(v))
}

/// A measured trace feeding the energy of the run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceRef {
    /// The file, relative to the scenario file.
    pub file: PathBuf,
    /// nvidia-smi, rapl, alumet, codecarbon, jetson-stats, kwollect or generic (detected from
    /// the header if absent).
    #[serde(default)]
    pub input_format: Option<InputFormat>,
    /// The node kind (an `infrastructure` name) the trace measured.
    #[serde(default)]
    pub node: Option<String>,
    /// Window of the training in a longer trace: times (ISO 8601 or Unix seconds) ...
    #[serde(default)]
    pub start: Option<TimeText>,
    #[serde(default)]
    pub end: Option<TimeText>,
    /// ... or the first and last timestamps of a training log (CSV with a timestamp column).
    #[serde(default)]
    pub training_log: Option<PathBuf>,
    #[serde(default)]
    pub gap_threshold_s: Option<Positive>,
    #[serde(default)]
    pub gap_policy: Option<GapPolicy>,
    /// Idle power of each device, W, or an idle segment of the same trace to measure it.
    #[serde(default)]
    pub idle_power_w: Option<NonNeg>,
    #[serde(default)]
    pub idle_start: Option<TimeText>,
    #[serde(default)]
    pub idle_end: Option<TimeText>,
    /// With an idle power: which energy the assessment uses, total or dynamic.
    #[serde(default)]
    pub energy_basis: Option<EnergyBasis>,
    /// Columns of a generic CSV.
    #[serde(default)]
    pub generic: Option<GenericSpec>,
    /// Kwollect: the metric to read.
    #[serde(default)]
    pub metric: Option<String>,
    /// RAPL: the counters' range, uJ.
    #[serde(default)]
    pub rapl_max_energy_range_uj: Option<f64>,
    /// Column names of a file without header.
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// Files of run totals: the runs to take, by `run_id` (or the id's first characters), by
    /// `project_name` (every run of the project), or by number from 1 in file order
    /// (`run_index`); every run of the file, added, without one.
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default)]
    pub project_name: Option<String>,
    #[serde(default)]
    pub run_index: Option<Count>,
    /// The sampling period of a trace that writes no times (`dcgmi dmon -d`, in s).
    #[serde(default)]
    pub sample_interval_s: Option<Positive>,
    /// Calibration of the meter: the trace's energy is multiplied by this factor, e.g.
    /// `{value: 1, min: 0.9, max: 1.1, distribution: triangular}` for a software meter within
    /// 10 % of a wattmeter. 1 if absent.
    #[serde(default)]
    pub meter_factor: Option<Positive>,
}

/// Which energy of a trace the assessment uses.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnergyBasis {
    /// Everything the devices drew.
    Total,
    /// Minus idle power x duration: what the job added.
    Dynamic,
}

/// A time written as text (ISO 8601) or a number (Unix seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeText(pub String);

impl<'de> Deserialize<'de> for TimeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = yaml_serde::Value::deserialize(d)?;
        match v {
            yaml_serde::Value::String(s) => Ok(TimeText(s)),
            yaml_serde::Value::Number(n) => Ok(TimeText(n.to_string())),
            other => {
                let found = match other {
                    yaml_serde::Value::Null => "nothing".to_string(),
                    yaml_serde::Value::Bool(b) => b.to_string(),
                    yaml_serde::Value::Sequence(_) => "a list".to_string(),
                    yaml_serde::Value::Mapping(_) => "a mapping".to_string(),
                    _ => "a tagged value".to_string(),
                };
                Err(serde::de::Error::custom(format!(
                    "expected a time (2025-03-02T14:00:00Z or Unix seconds), found {found}"
                )))
            }
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerDeclaration {
    /// gpu, cpu, memory, node or other.
    pub component: ComponentKind,
    #[serde(default)]
    pub name: Option<String>,
    /// A catalog GPU or CPU whose TDP is taken when `tdp_w` is left out.
    #[serde(default)]
    pub model: Option<String>,
    /// Thermal design power of one unit, W (gpu, cpu, node, other).
    #[serde(default)]
    pub tdp_w: Option<NonNeg>,
    /// Mean fraction of the TDP drawn, in [0, 1] (gpu, cpu, node, other).
    #[serde(default)]
    pub usage: Option<crate::quantity::input::Share>,
    /// Number of units over all nodes.
    #[serde(default)]
    pub units: Count,
    /// Memory capacity over all nodes, GB (memory).
    #[serde(default)]
    pub capacity_gb: Option<Positive>,
    /// Memory power per GB, W/GB (memory).
    #[serde(default)]
    pub power_w_per_gb: Option<NonNeg>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ComponentKind {
    Gpu,
    Cpu,
    Memory,
    Node,
    Other,
}

impl ComponentKind {
    pub fn key(self) -> &'static str {
        match self {
            ComponentKind::Gpu => "gpu",
            ComponentKind::Cpu => "cpu",
            ComponentKind::Memory => "memory",
            ComponentKind::Node => "node",
            ComponentKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Electricity {
    /// A country of `mlca mix list`: ISO 3166-1 alpha-2 or alpha-3 code or English name (shared
    /// with the reports that show it as written).
    #[serde(default)]
    pub country: Option<Arc<str>>,
    /// A cloud provider's region (`aws us-east-1`), read as its country's mix.
    #[serde(default)]
    pub cloud_region: Option<String>,
    /// Factors given directly, with their source; replace the country's.
    #[serde(default)]
    pub factors: Option<MixFactors>,
    /// A carbon-intensity series (gCO2eq/kWh by time): the GWP of the use phase weights each
    /// interval's energy by the intensity of its time.
    #[serde(default)]
    pub intensity: Option<Intensity>,
    /// Power usage effectiveness of the data centre (1 for no overhead).
    pub pue: Pue,
    /// Water usage effectiveness of the data centre: water consumed on site (cooling) per kWh of
    /// IT energy, L/kWh. Not given: the on-site water is not covered (unless a trace gives it).
    #[serde(default)]
    pub wue_l_per_kwh: Option<NonNeg>,
    /// Where the WUE comes from (citation and year); required with `wue_l_per_kwh`.
    #[serde(default)]
    pub wue_source: Option<String>,
}

/// A time-varying carbon intensity (`electricity.intensity`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intensity {
    /// The series file (relative to the scenario).
    pub file: PathBuf,
    /// electricity-maps, eco2mix or plain; detected from the header if absent.
    #[serde(default)]
    pub format: Option<IntensityFormat>,
    /// Electricity Maps: life-cycle (default) or direct.
    #[serde(default)]
    pub basis: Option<IntensityBasis>,
    /// The zone of the series' times written without one (`Europe/Paris`, `+01:00`, `UTC`).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// The zone of the run's times (trace samples, windows, run.start/end) written without one.
    #[serde(default)]
    pub run_time_zone: Option<String>,
    /// Also find the lowest-carbon start of the same run within this many hours after its
    /// actual start.
    #[serde(default, deserialize_with = "finite_opt")]
    pub best_start_within_h: Option<f64>,
    /// The keys the command line set (`file` for `--intensity`, ...): errors name their options.
    #[serde(skip)]
    pub given_on_command_line: Vec<&'static str>,
}

/// Electricity factors given in the scenario: at least one criterion; a criterion left out is
/// not assessed in the use phase (never zero).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MixFactors {
    #[serde(default)]
    pub gwp_kgco2eq_per_kwh: Option<NonNeg>,
    #[serde(default)]
    pub adp_kgsbeq_per_kwh: Option<NonNeg>,
    #[serde(default)]
    pub pe_mj_per_kwh: Option<NonNeg>,
    /// Water consumed in generating the electricity, m3/kWh.
    #[serde(default)]
    pub water_m3_per_kwh: Option<NonNeg>,
    /// Where the factors come from (citation and year).
    pub source: String,
    /// Texts an assessment makes from the electricity section alone (not read from the
    /// scenario).
    #[serde(skip)]
    pub texts: Texts,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    pub lifetime_years: Positive,
    /// Active utilization rate: the share of the lifetime the node does useful work.
    pub active_utilization_rate: Fraction,
}
