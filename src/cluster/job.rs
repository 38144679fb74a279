//! A job as the accounting gives it, whatever the scheduler: who ran it, where, when, what it
//! reserved and, where the scheduler measured them, its CPU time, memory and energy.

use serde::Serialize;

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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JobSource {
    pub line: usize,
    /// Column of the host list (NodeList, assigned_network_address).
    pub hosts_column: usize,
    /// Column of the reservation (AllocTRES, assigned_resources).
    pub reservation_column: usize,
}

/// What a job reserved in all, over all its nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Reservation {
    pub cores: f64,
    pub memory_gb: f64,
    pub gpus: f64,
}

/// One job (an array task is a job of its own; steps are folded into their job).
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// `123`, `123_4` (array task 4 of 123), `456+0` (a heterogeneous component).
    pub id: String,
    /// The array a task belongs to (`123` for `123_4`).
    pub array: Option<String>,
    pub user: String,
    /// Slurm's account, OAR's project.
    pub account: String,
    /// Slurm's partition, OAR's queue.
    pub partition: String,
    pub state: JobState,
    /// The state as written (`CANCELLED by 0`).
    pub state_text: String,
    /// Start and end, seconds since 1970-01-01 (as the scheduler writes them: Slurm's local
    /// times read as they are). `None` for a job that never started.
    pub start_s: Option<f64>,
    pub end_s: Option<f64>,
    pub hosts: Vec<String>,
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

impl Job {
    /// The time the job held its nodes, s (0 for a job that never started).
    pub fn elapsed_s(&self) -> f64 {
        match (self.start_s, self.end_s) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => 0.0,
        }
    }

    /// Whether the job held resources.
    pub fn ran(&self) -> bool {
        !self.hosts.is_empty() && self.elapsed_s() > 0.0
    }
}
