//! The typed report of a cluster's accounting period: every job, node and node kind, with the
//! totals; every energy in kWh, every impact as `{value, min, max, unit}`.

use super::inventory::ShareWeights;
use super::job::JobState;
use super::place::Node;
use super::Accounting;
use crate::assessment::allocation::allocation_share;
use crate::data::provenance::SourceRef;
use crate::electricity::ElectricityReport;
use crate::quantity::impacts::Impacts;
use crate::quantity::interval::Interval;
use crate::quantity::time;
use crate::quantity::units::S_PER_H;
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

/// One job's row of the report, made when it is written or grouped (the report keeps its jobs
/// compact: see [`JobTable`]).
#[derive(Clone, Debug, Serialize)]
pub struct JobReport<'a> {
    pub id: &'a str,
    pub array: Option<&'a str>,
    pub user: &'a str,
    pub account: &'a str,
    pub partition: &'a str,
    pub state: JobState,
    /// The state as the scheduler wrote it.
    pub state_text: &'a str,
    pub start: Option<TimeText>,
    pub end: Option<TimeText>,
    /// The month of its start (`2026-11`), for the monthly report.
    pub month: Option<TimeText>,
    /// Time held in the period, h.
    pub elapsed_h: f64,
    pub hosts: Vec<&'a str>,
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

/// A time of the report, seconds since 1970-01-01, written as `2026-11-22T15:35:42.000` (or
/// its month, `2026-11`) when it is written: a report of millions of jobs keeps no text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeText {
    pub t: f64,
    pub month: bool,
}

impl std::fmt::Display for TimeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = time::format(self.t);
        f.write_str(if self.month {
            s.get(..7).unwrap_or(&s)
        } else {
            &s
        })
    }
}

impl Serialize for TimeText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A job's figures, without its names and times (what a grouping adds up).
#[derive(Clone, Copy, Debug)]
pub struct JobFigures {
    /// Time held in the period, h.
    pub elapsed_h: f64,
    pub hosts: usize,
    pub energy: EnergyParts,
    pub use_impacts: Impacts,
    pub embodied: Impacts,
    pub total: Impacts,
}

/// What a job's embodied share is computed from: the nodes, the share weights and, by node
/// kind, one node's embodied impacts, the AUR (none: the kind's jobs carry nothing) and the
/// lifetime, h.
#[derive(Clone, Debug)]
pub(crate) struct EmbodiedBasis {
    pub nodes: Vec<Node>,
    /// The node of each host name (by [`super::job::Sym`] index; `u32::MAX`: not a node).
    pub node_of: Vec<u32>,
    pub weights: ShareWeights,
    pub per_node: Vec<Impacts>,
    pub aur: Vec<Option<Interval>>,
    pub lifetime_h: Vec<Interval>,
}

impl EmbodiedBasis {
    /// The embodied impacts of one stint: the node's, times its reserved node-hours
    /// (share-weighted) over AUR x lifetime; none for a kind without an AUR or a stint of no
    /// time.
    pub fn of_stint(&self, kind: usize, share: f64, held_s: f64) -> Option<Impacts> {
        let aur = self.aur[kind]?;
        let held_h = Interval::exact(share * held_s / S_PER_H);
        if held_h.value <= 0.0 {
            return None;
        }
        let f = allocation_share(held_h, aur, self.lifetime_h[kind]);
        Some(self.per_node[kind].times(f))
    }
}

/// Every job of the report, compact: the accounting's jobs, each one's energy parts and
/// energy source; the rest (names, times, use and embodied impacts) is computed when a row is
/// asked for, by the same arithmetic in the same order as the assessment, so that a row is
/// the same to the last bit. About 160 bytes a job.
#[derive(Clone, Debug)]
pub struct JobTable {
    pub(crate) acc: Accounting,
    pub(crate) energy: Vec<EnergyParts>,
    pub(crate) source: Vec<EnergySource>,
    pub(crate) period: (f64, f64),
    pub(crate) per_kwh: Impacts,
    pub(crate) pue: Interval,
    pub(crate) basis: EmbodiedBasis,
}

impl JobTable {
    pub fn len(&self) -> usize {
        self.acc.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.acc.jobs.is_empty()
    }

    /// The accounting the jobs come from.
    pub fn accounting(&self) -> &Accounting {
        &self.acc
    }

    /// The use impacts of an energy, kWh: E x PUE x electricity factors.
    pub(crate) fn use_of(&self, kwh: f64) -> Impacts {
        self.per_kwh.times(self.pue.scale(kwh))
    }

    /// Job `i`'s time in the period, h.
    pub fn elapsed_h(&self, i: usize) -> f64 {
        let j = &self.acc.jobs[i];
        let (p0, p1) = self.period;
        let clip = |t: Option<f64>| t.map(|t| t.clamp(p0, p1));
        match (clip(j.start_s()), clip(j.end_s())) {
            (Some(a), Some(b)) if self.acc.ran(i) => (b - a) / S_PER_H,
            _ => 0.0,
        }
    }

    /// Job `i`'s share of its nodes' embodied impacts, added node by node in the nodes' order.
    pub fn embodied(&self, i: usize) -> Impacts {
        let mut out = Impacts::ZERO;
        if !self.acc.ran(i) {
            return out;
        }
        let j = &self.acc.jobs[i];
        let (Some(a), Some(b)) = (j.start_s(), j.end_s()) else {
            return out;
        };
        let (s, e) = (a.max(self.period.0), b.min(self.period.1));
        if e <= s {
            return out;
        }
        let node_of = |h: &super::job::Sym| {
            self.basis
                .node_of
                .get(h.index())
                .filter(|&&n| n != u32::MAX)
                .map(|&n| n as usize)
        };
        let on: Vec<usize> = match self.acc.hosts(i) {
            // one host: no list to sort
            [one] => return node_of(one).map_or(out, |n| self.embodied_on(i, n, e - s)),
            many => {
                let mut on: Vec<usize> = many.iter().filter_map(node_of).collect();
                on.sort_unstable();
                on
            }
        };
        for n in on {
            let node = &self.basis.nodes[n];
            let (c, m, g) = super::place::per_node(&self.acc, i, &node.spec);
            let share = super::attribute::share(&node.spec, c, m, g, &self.basis.weights);
            if let Some(x) = self.basis.of_stint(node.kind, share, e - s) {
                out += x;
            }
        }
        out
    }

    /// Job `i`'s embodied impacts on node `n` alone (ZERO + them, as a sum starts).
    fn embodied_on(&self, i: usize, n: usize, held_s: f64) -> Impacts {
        let node = &self.basis.nodes[n];
        let (c, m, g) = super::place::per_node(&self.acc, i, &node.spec);
        let share = super::attribute::share(&node.spec, c, m, g, &self.basis.weights);
        self.basis
            .of_stint(node.kind, share, held_s)
            .map_or(Impacts::ZERO, |x| Impacts::ZERO + x)
    }

    /// Job `i`'s figures.
    pub fn figures(&self, i: usize) -> JobFigures {
        let energy = self.energy[i];
        let use_impacts = self.use_of(energy.total_kwh);
        let embodied = self.embodied(i);
        JobFigures {
            elapsed_h: self.elapsed_h(i),
            hosts: self.acc.hosts(i).len(),
            energy,
            use_impacts,
            embodied,
            total: use_impacts + embodied,
        }
    }

    /// Job `i`'s row.
    pub fn get(&self, i: usize) -> JobReport<'_> {
        let acc = &self.acc;
        let j = &acc.jobs[i];
        let f = self.figures(i);
        JobReport {
            id: acc.id(i),
            array: j.labels.array.map(|s| acc.name(s)),
            user: acc.name(j.labels.user),
            account: acc.name(j.labels.account),
            partition: acc.name(j.labels.partition),
            state: j.labels.state,
            state_text: acc.name(j.labels.state_text),
            start: j.start_s().map(|t| TimeText { t, month: false }),
            end: j.end_s().map(|t| TimeText { t, month: false }),
            month: j.start_s().map(|t| TimeText { t, month: true }),
            elapsed_h: f.elapsed_h,
            hosts: acc.hosts(i).iter().map(|&h| acc.name(h)).collect(),
            cores: j.reserved.cores,
            memory_gb: j.reserved.memory_gb,
            gpus: j.reserved.gpus,
            energy_source: self.source[i],
            energy: f.energy,
            use_impacts: f.use_impacts,
            embodied: f.embodied,
            total: f.total,
        }
    }

    /// The month of job `i`'s start (`2026-11`).
    pub fn month(&self, i: usize) -> Option<String> {
        self.acc.jobs[i]
            .start_s()
            .map(|t| time::format(t).chars().take(7).collect())
    }

    /// Every row, in the accounting's order.
    pub fn iter(&self) -> impl Iterator<Item = JobReport<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl Serialize for JobTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for i in 0..self.len() {
            seq.serialize_element(&self.get(i))?;
        }
        seq.end()
    }
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
    pub jobs: JobTable,
    pub totals: Totals,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: Vec<SourceRef>,
}
