//! Layer 6 (after the assessment, beside the uncertainty), clusters: the footprint of every job, user, account and partition of a shared
//! cluster from the scheduler's accounting (Slurm's `sacct`, OAR's `oarstat`), the node
//! inventory, and the nodes' power traces where there are some.
//!
//! - [`hosts`]: host lists (`cn[1-6]`, `desktop[01-27]`);
//! - [`inventory`]: the node kinds, hosts, capacities, idle power, lifetimes, electricity;
//! - [`slurm`], [`oar`]: the accounting readers, into [`job::Job`]s;
//! - [`attribute`]: one node's energy split among its jobs and its idle overhead, conserved;
//! - [`assess`]: per-job energy (measured, the scheduler's, or modelled), attribution,
//!   embodied impacts by reservation with the measured active utilization rate, use impacts;
//! - [`aggregate`]: totals by user, account, partition and month, top users and projects.
//!
//! It uses the energy (trace reading), electricity and embodied layers and the assessment's
//! allocation, and sits after the assessment.

pub mod aggregate;
pub mod assess;
pub mod attribute;
pub mod hosts;
pub mod inventory;
pub mod job;
mod measure;
pub mod oar;
mod place;
pub mod prometheus;
#[cfg(test)]
mod props;
pub mod report;
pub mod sacct_parquet;
pub mod slurm;
pub mod tres;

pub use crate::energy::trace::Progress;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The jobs of an accounting file, compact (see [`job::Job`]): the jobs' ids one after the
/// other in one string, their hosts in one list of [`job::Sym`]s, every name kept once.
#[derive(Debug, Clone)]
pub struct Accounting {
    pub file: PathBuf,
    /// `slurm` or `oar`.
    pub scheduler: &'static str,
    pub jobs: Vec<job::Job>,
    /// Users, accounts, partitions, states, hosts and arrays.
    pub names: job::Names,
    ids: String,
    host_list: Vec<job::Sym>,
    pub warnings: Vec<String>,
    pub assumptions: Vec<String>,
    /// Energy of each job's steps, J, by job (folded into the job where its own line has none).
    pub(crate) step_energy_j: HashMap<usize, f64>,
    /// Jobs whose GPUs and memory are their share of the node's cores (OAR).
    pub(crate) oar_share_by_cores: Vec<bool>,
    /// The GPU indexes of the jobs whose accounting names them (bit i: GPU i on each node).
    pub(crate) gpu_indexes: HashMap<usize, u64>,
    /// Read from a table (Parquet) whose row `n - 1` is what a job's line `n` stands for.
    pub(crate) rows: bool,
}

impl Accounting {
    fn new(file: &Path, scheduler: &'static str) -> Self {
        Accounting {
            file: file.to_path_buf(),
            scheduler,
            jobs: Vec::new(),
            names: job::Names::default(),
            ids: String::new(),
            host_list: Vec::new(),
            warnings: Vec::new(),
            assumptions: Vec::new(),
            step_energy_j: HashMap::new(),
            oar_share_by_cores: Vec::new(),
            gpu_indexes: HashMap::new(),
            rows: false,
        }
    }

    /// Add a job with its id and hosts.
    pub(crate) fn push<'a>(
        &mut self,
        id: &str,
        hosts: impl IntoIterator<Item = &'a str>,
        j: job::NewJob,
    ) {
        let (id_at, hosts_at) = (self.ids.len() as u64, self.host_list.len() as u64);
        self.ids.push_str(id);
        for h in hosts {
            let s = self.names.intern(h);
            self.host_list.push(s);
        }
        self.jobs.push(job::Job::new(j, id_at, hosts_at));
    }

    /// Job `i`'s id: `123`, `123_4` (array task 4 of 123), `456+0` (a heterogeneous component).
    pub fn id(&self, i: usize) -> &str {
        let a = self.jobs[i].id_at as usize;
        let b = self
            .jobs
            .get(i + 1)
            .map_or(self.ids.len(), |j| j.id_at as usize);
        self.ids.get(a..b).unwrap_or("")
    }

    /// Job `i`'s hosts, in the order the accounting lists them.
    pub fn hosts(&self, i: usize) -> &[job::Sym] {
        let a = self.jobs[i].hosts_at as usize;
        let b = self
            .jobs
            .get(i + 1)
            .map_or(self.host_list.len(), |j| j.hosts_at as usize);
        self.host_list.get(a..b).unwrap_or(&[])
    }

    /// A name of the accounting.
    pub fn name(&self, s: job::Sym) -> &str {
        self.names.get(s)
    }

    /// Whether job `i` held resources.
    pub fn ran(&self, i: usize) -> bool {
        !self.hosts(i).is_empty() && self.jobs[i].elapsed_s() > 0.0
    }

    /// Fold the steps' energies into jobs that have none of their own.
    fn finish(&mut self) {
        for (&i, &e) in &self.step_energy_j {
            let j = &mut self.jobs[i];
            if j.consumed_energy_j().is_none() && e > 0.0 {
                j.set_consumed_energy_j(e);
            }
        }
        self.step_energy_j = HashMap::new();
        self.oar_share_by_cores.resize(self.jobs.len(), false);
        self.ids.shrink_to_fit();
        self.host_list.shrink_to_fit();
        self.jobs.shrink_to_fit();
    }

    /// The GPU indexes job `i` held on each of its nodes (bit i: GPU i), 0 where the
    /// accounting does not name them.
    pub fn gpu_indexes(&self, i: usize) -> u64 {
        self.gpu_indexes.get(&i).copied().unwrap_or(0)
    }

    /// Whether job `i`'s GPUs and memory are its share of its nodes' cores.
    pub fn shares_by_cores(&self, i: usize) -> bool {
        self.oar_share_by_cores.get(i).copied().unwrap_or(false)
    }
}
