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
pub mod slurm;
pub mod tres;

pub use crate::energy::trace::Progress;
use std::path::{Path, PathBuf};

/// The jobs of an accounting file.
#[derive(Debug, Clone)]
pub struct Accounting {
    pub file: PathBuf,
    /// `slurm` or `oar`.
    pub scheduler: &'static str,
    pub jobs: Vec<job::Job>,
    pub warnings: Vec<String>,
    pub assumptions: Vec<String>,
    /// Energy of each job's steps, J (folded into the job where its own line has none).
    pub(crate) step_energy_j: Vec<f64>,
    /// Jobs whose GPUs and memory are their share of the node's cores (OAR).
    pub(crate) oar_share_by_cores: Vec<bool>,
}

impl Accounting {
    fn new(file: &Path, scheduler: &'static str) -> Self {
        Accounting {
            file: file.to_path_buf(),
            scheduler,
            jobs: Vec::new(),
            warnings: Vec::new(),
            assumptions: Vec::new(),
            step_energy_j: Vec::new(),
            oar_share_by_cores: Vec::new(),
        }
    }

    /// Fold the steps' energies into jobs that have none of their own.
    fn finish(&mut self) {
        for (j, e) in self.jobs.iter_mut().zip(&self.step_energy_j) {
            if j.consumed_energy_j.is_none() && *e > 0.0 {
                j.consumed_energy_j = Some(*e);
            }
        }
        self.oar_share_by_cores.resize(self.jobs.len(), false);
    }

    /// Whether job `i`'s GPUs and memory are its share of its nodes' cores.
    pub fn shares_by_cores(&self, i: usize) -> bool {
        self.oar_share_by_cores.get(i).copied().unwrap_or(false)
    }
}
