//! A job as the accounting gives it, whatever the scheduler: who ran it, where, when, what it
//! reserved and, where the scheduler measured them, its CPU time, memory and energy.

use serde::Serialize;
use std::hash::{BuildHasherDefault, Hasher};

/// How a job ended (or that it has not), as the scheduler says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobState {
    Completed,
    Failed,
    Cancelled,
    Timeout,
    OutOfMemory,
    NodeFail,
    Preempted,
    /// Still running when the accounting was written: counted up to start + elapsed.
    Running,
    /// Never started: no resources, no impacts.
    Pending,
    /// Any other state (suspended, requeued, boot failure, OAR's Hold ...): kept as written.
    Other,
}

impl JobState {
    /// The state of a Slurm `State` cell (`CANCELLED by 0` is cancelled).
    pub fn of_slurm(s: &str) -> JobState {
        match s.split_whitespace().next().unwrap_or("") {
            "COMPLETED" => JobState::Completed,
            "FAILED" => JobState::Failed,
            "CANCELLED" => JobState::Cancelled,
            "TIMEOUT" => JobState::Timeout,
            "OUT_OF_MEMORY" => JobState::OutOfMemory,
            "NODE_FAIL" => JobState::NodeFail,
            "PREEMPTED" => JobState::Preempted,
            "RUNNING" | "COMPLETING" => JobState::Running,
            "PENDING" => JobState::Pending,
            _ => JobState::Other,
        }
    }

    /// The state of an OAR job (`Terminated`, `Error`, `Running`, `Waiting`, ...).
    pub fn of_oar(s: &str) -> JobState {
        match s {
            "Terminated" => JobState::Completed,
            "Error" | "toError" => JobState::Failed,
            "Running" | "Launching" | "toLaunch" | "Finishing" => JobState::Running,
            "Waiting" | "Hold" | "toAckReservation" => JobState::Pending,
            _ => JobState::Other,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            JobState::Completed => "completed",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Timeout => "timeout",
            JobState::OutOfMemory => "out-of-memory",
            JobState::NodeFail => "node-fail",
            JobState::Preempted => "preempted",
            JobState::Running => "running",
            JobState::Pending => "pending",
            JobState::Other => "other",
        }
    }
}

/// Where a field of a job was read: the line of the accounting file and the column (1-based,
/// in characters) of each cell that later checks may refuse (the line's text is read again
/// for the message: millions of jobs do not keep their lines).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct JobSource {
    pub line: u64,
    /// Column of the host list (NodeList, assigned_network_address).
    pub hosts_column: u32,
    /// Column of the reservation (AllocTRES, assigned_resources).
    pub reservation_column: u32,
}

/// What a job reserved in all, over all its nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Reservation {
    pub cores: f64,
    pub memory_gb: f64,
    pub gpus: f64,
}

/// A string of the accounting kept once (a user, account, partition, state, host or array):
/// its index in [`Names`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

impl Sym {
    pub(crate) fn at(i: usize) -> Sym {
        Sym(u32::try_from(i).unwrap_or(u32::MAX))
    }

    /// The index, to key a table by name.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The distinct strings of an accounting file: millions of jobs name a few thousand users,
/// accounts, partitions, states and hosts.
#[derive(Clone, Debug, Default)]
pub struct Names {
    text: Vec<Box<str>>,
    index: std::collections::HashMap<Box<str>, u32, BuildHasherDefault<FastHash>>,
}

/// A fast hasher of short keys (the multiply-rotate of rustc's FxHash, then MurmurHash3's
/// final mix, so that keys differing in their last bytes differ in the low bits that pick a
/// bucket): names and ids of a local accounting file, not keys an attacker chooses to collide
/// (a collision only slows).
#[derive(Default, Clone, Copy)]
pub struct FastHash(u64);

impl FastHash {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHash {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
    }
    fn write_u8(&mut self, x: u8) {
        self.add(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
}

/// The [`FastHash`] of a string.
pub fn fast_hash(s: &str) -> u64 {
    let mut h = FastHash::default();
    h.write(s.as_bytes());
    h.finish()
}

impl Names {
    /// The symbol of `s`, added when new.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&i) = self.index.get(s) {
            return Sym(i);
        }
        // more than 4 billion distinct names cannot come from a file read line by line
        let i = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push(s.into());
        self.index.insert(s.into(), i);
        Sym(i)
    }

    pub fn get(&self, s: Sym) -> &str {
        self.text.get(s.index()).map_or("", |t| t)
    }

    /// How many distinct names.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// The sentinel of a number the scheduler did not give (never a value: values are finite).
const ABSENT: f64 = f64::NAN;

fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// One job (an array task is a job of its own; steps are folded into their job), compact: its
/// strings are [`Sym`]s of the accounting's [`Names`], its id and hosts are kept by the
/// accounting ([`super::Accounting::id`], [`super::Accounting::hosts`]), its optional numbers
/// are NaN when absent (read through the accessors). 128 bytes a job.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// Where its id and hosts start in the accounting's lists.
    pub(crate) id_at: u64,
    pub(crate) hosts_at: u64,
    pub labels: JobLabels,
    start_s: f64,
    end_s: f64,
    pub reserved: Reservation,
    cpu_time_s: f64,
    memory_used_gb: f64,
    consumed_energy_j: f64,
    pub source: JobSource,
}

/// Who ran a job, where, and how it ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JobLabels {
    /// The array a task belongs to (`123` for `123_4`).
    pub array: Option<Sym>,
    pub user: Sym,
    /// Slurm's account, OAR's project.
    pub account: Sym,
    /// Slurm's partition, OAR's queue.
    pub partition: Sym,
    pub state: JobState,
    /// The state as written (`CANCELLED by 0`).
    pub state_text: Sym,
}

/// The fields of a new job; the accounting keeps its id and hosts.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    pub labels: JobLabels,
    /// Start and end, seconds since 1970-01-01 (as the scheduler writes them: Slurm's local
    /// times read as they are). `None` for a job that never started.
    pub start_s: Option<f64>,
    pub end_s: Option<f64>,
    pub reserved: Reservation,
    /// CPU time of all its steps, s (TRESUsageInTot `cpu`).
    pub cpu_time_s: Option<f64>,
    /// Largest memory used by a step, GB (TRESUsageInTot `mem`).
    pub memory_used_gb: Option<f64>,
    /// Energy the scheduler's energy plugin measured, J (ConsumedEnergyRaw; 0 is read as not
    /// measured).
    pub consumed_energy_j: Option<f64>,
    pub source: JobSource,
}

/// The accessor (`None` when absent) and the setter of optional numbers kept as NaN.
macro_rules! optional_numbers {
    ($($(#[$doc:meta])* $get:ident, $set:ident;)*) => {$(
        $(#[$doc])*
        pub fn $get(&self) -> Option<f64> {
            opt(self.$get)
        }

        pub(crate) fn $set(&mut self, x: f64) {
            self.$get = x;
        }
    )*};
}

impl Job {
    pub(crate) fn new(j: NewJob, id_at: u64, hosts_at: u64) -> Job {
        let n = |x: Option<f64>| x.unwrap_or(ABSENT);
        Job {
            id_at,
            hosts_at,
            labels: j.labels,
            start_s: n(j.start_s),
            end_s: n(j.end_s),
            reserved: j.reserved,
            cpu_time_s: n(j.cpu_time_s),
            memory_used_gb: n(j.memory_used_gb),
            consumed_energy_j: n(j.consumed_energy_j),
            source: j.source,
        }
    }

    /// Start, seconds since 1970-01-01; `None` for a job that never started.
    pub fn start_s(&self) -> Option<f64> {
        opt(self.start_s)
    }

    pub fn end_s(&self) -> Option<f64> {
        opt(self.end_s)
    }

    pub(crate) fn set_end_s(&mut self, t: f64) {
        self.end_s = t;
    }

    optional_numbers! {
        /// CPU time of all its steps, s (TRESUsageInTot `cpu`).
        cpu_time_s, set_cpu_time_s;
        /// Largest memory used by a step, GB (TRESUsageInTot `mem`).
        memory_used_gb, set_memory_used_gb;
        /// Energy the scheduler's energy plugin measured, J (ConsumedEnergyRaw; 0 is read as
        /// not measured).
        consumed_energy_j, set_consumed_energy_j;
    }

    /// The time the job held its nodes, s (0 for a job that never started).
    pub fn elapsed_s(&self) -> f64 {
        match (self.start_s(), self.end_s()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_compact_and_names_are_kept_once() {
        assert!(std::mem::size_of::<Job>() <= 128);
        let mut n = Names::default();
        let a = n.intern("alice");
        let b = n.intern("bob");
        assert_eq!(n.intern("alice"), a);
        assert_ne!(a, b);
        assert_eq!((n.get(a), n.get(b), n.len()), ("alice", "bob", 2));
        // lengths and every byte count in the hash
        assert_ne!(fast_hash("ab"), fast_hash("ab\0"));
        assert_ne!(fast_hash("12345678a"), fast_hash("12345678b"));
        // ids that differ in their last digit land in different buckets (low bits differ)
        let low: std::collections::HashSet<u64> = (0..1000)
            .map(|i| fast_hash(&format!("123{i:04}")) & 0xfff)
            .collect();
        assert!(low.len() > 700, "{}", low.len());
    }
}
