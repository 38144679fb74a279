//! The typed report of a cluster's accounting period: every job, node and node kind, with the
//! totals; every energy in kWh, every impact as `{value, min, max, unit}`.

use super::job::JobState;
use crate::data::provenance::SourceRef;
use crate::electricity::ElectricityReport;
use crate::quantity::impacts::Impacts;
use crate::quantity::interval::Interval;
use serde::Serialize;

/// Where a job's energy comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnergySource {
    /// The nodes' power traces, cut to the job's window.
    Trace,
    /// The scheduler's energy plugin (Slurm ConsumedEnergyRaw).
    Scheduler,
    /// The inventory's energy model (CPU power x usage, memory used x W/GB, reserved GPUs).
    Model,
    /// Different sources on different nodes.
    Mixed,
    /// The job held no node in the period.
    None,
}

impl EnergySource {
    pub fn key(self) -> &'static str {
        match self {
            EnergySource::Trace => "trace",
            EnergySource::Scheduler => "scheduler",
            EnergySource::Model => "model",
            EnergySource::Mixed => "mixed",
            EnergySource::None => "none",
        }
    }
}

/// A job's energy, by part, kWh (IT equipment, before PUE).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct EnergyParts {
    /// Its share of its nodes' static power.
    pub static_kwh: f64,
    /// The passive power of the GPUs it held.
    pub gpu_idle_kwh: f64,
    /// The energy its work drew above the nodes' base power.
    pub dynamic_kwh: f64,
    pub total_kwh: f64,
}

impl std::ops::AddAssign for EnergyParts {
    fn add_assign(&mut self, o: EnergyParts) {
        self.static_kwh += o.static_kwh;
        self.gpu_idle_kwh += o.gpu_idle_kwh;
        self.dynamic_kwh += o.dynamic_kwh;
        self.total_kwh += o.total_kwh;
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct JobReport {
    pub id: String,
    pub array: Option<String>,
    pub user: String,
    pub account: String,
    pub partition: String,
    pub state: JobState,
    /// The state as the scheduler wrote it.
    pub state_text: String,
    pub start: Option<String>,
    pub end: Option<String>,
    /// The month of its start (`2026-11`), for the monthly report.
    pub month: Option<String>,
    /// Time held in the period, h.
    pub elapsed_h: f64,
    pub hosts: Vec<String>,
    pub cores: f64,
    pub memory_gb: f64,
    pub gpus: f64,
    pub energy_source: EnergySource,
    pub energy: EnergyParts,
    /// E x PUE x electricity factors.
    #[serde(rename = "use")]
    pub use_impacts: Impacts,
    /// Its share of its nodes' embodied impacts: reserved fraction x time / (AUR x lifetime).
    pub embodied: Impacts,
    pub total: Impacts,
}

#[derive(Clone, Debug, Serialize)]
pub struct NodeReport {
    pub host: String,
    pub kind: String,
    /// `measured` (a trace) or `modelled` (base power + the jobs' dynamic power).
    pub energy_basis: &'static str,
    pub energy_kwh: f64,
    pub jobs_kwh: f64,
    /// Energy with no job running.
    pub idle_kwh: f64,
    /// Passive power of the GPUs no running job held.
    pub unreserved_gpu_kwh: f64,
    /// Measured GPU dynamic energy while no running job held a GPU.
    pub unattributed_gpu_kwh: f64,
    /// Reserved node-hours (share-weighted) and available node-hours in the period.
    pub allocated_node_h: f64,
    pub available_node_h: f64,
    /// Measured base power of segments below the declared static power (scaled down).
    pub below_base_segments: usize,
}

/// How the AUR of a kind was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AurBasis {
    Measured,
    Declared,
}

#[derive(Clone, Debug, Serialize)]
pub struct KindReport {
    pub name: String,
    pub nodes: usize,
    /// Manufacture impacts of one node.
    pub embodied_per_node: Impacts,
    pub lifetime_h: Interval,
    pub available_node_h: f64,
    pub allocated_node_h: f64,
    /// allocated / available node-hours over the period.
    pub measured_active_utilization_rate: Option<f64>,
    /// The rate used: measured, or declared; none where nothing was allocated or the period
    /// lies outside the nodes' life (their jobs then carry no embodied impact).
    pub active_utilization_rate: Option<Interval>,
    pub aur_basis: AurBasis,
    pub static_power_w: f64,
    pub gpu_idle_power_w: f64,
    /// The embodied impacts of the period: nodes x (period within their life) / lifetime.
    pub embodied_of_period: Impacts,
    /// What the jobs carry of them.
    pub embodied_to_jobs: Impacts,
}

#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    pub jobs: usize,
    pub jobs_run: usize,
    pub energy_kwh: f64,
    pub jobs_kwh: f64,
    /// Idle, unreserved GPUs and unattributed GPU energy: the cluster's idle overhead.
    pub idle_overhead_kwh: f64,
    #[serde(rename = "use")]
    pub use_impacts: Impacts,
    pub jobs_use: Impacts,
    pub idle_overhead_use: Impacts,
    pub embodied_of_period: Impacts,
    pub embodied_to_jobs: Impacts,
}

#[derive(Clone, Debug, Serialize)]
pub struct PeriodReport {
    pub start: String,
    pub end: String,
    pub duration_h: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClusterReport {
    pub mlca_version: &'static str,
    pub cluster: String,
    pub inventory: String,
    pub accounting: String,
    pub scheduler: &'static str,
    pub period: PeriodReport,
    pub electricity: ElectricityReport,
    pub kinds: Vec<KindReport>,
    pub nodes: Vec<NodeReport>,
    pub jobs: Vec<JobReport>,
    pub totals: Totals,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: Vec<SourceRef>,
}
