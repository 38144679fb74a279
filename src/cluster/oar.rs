//! OAR's accounting as `oarstat -f -J` (or `oarstat --gantt ... -J`) writes it: a JSON object
//! keyed by job id, each job with `owner`, `project`, `queue`, `state`, `startTime` and
//! `stopTime` (Unix seconds, 0 when unknown), `assigned_network_address` (host names) and
//! `assigned_resources` (resource ids), and for array jobs `array_id` and `array_index`.
//!
//! OAR's resources are cores on most sites: a job's cores are its resources, spread evenly over
//! its hosts (said in the assumptions). OAR's job description names no memory and no GPU: its
//! GPUs and memory are taken as its share of the node's cores (said too). A running job
//! (`stopTime` 0) ends at the end of the accounting period.

use super::job::{JobLabels, JobSource, JobState, NewJob, Reservation};
use super::{Accounting, Progress};
use crate::error::{Diagnostic, Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The largest oarstat file read at once, bytes (a job is about 1 kB: some 4 million jobs).
pub const MAX_BYTES: u64 = 4 << 30;

#[derive(Deserialize)]
struct OarJob {
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    project: Option<String>,
    #[serde(default)]
    queue: Option<String>,
    #[serde(default)]
    queue_name: Option<String>,
    state: String,
    #[serde(default, rename = "startTime")]
    start_time: Option<f64>,
    #[serde(default, rename = "stopTime")]
    stop_time: Option<f64>,
    #[serde(default)]
    assigned_network_address: Vec<String>,
    #[serde(default)]
    assigned_resources: Vec<serde_json::Value>,
    #[serde(default)]
    array_id: Option<serde_json::Value>,
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, off: usize) -> (usize, usize) {
    let before = &text[..off.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Read an oarstat JSON file.
pub fn read(path: &Path, progress: Option<&Progress>) -> Result<Accounting> {
    let text = crate::data::read::read_text(path, "OAR accounting", MAX_BYTES)?;
    if let Some(p) = progress {
        p.report(path, text.len() as u64, text.len() as u64);
    }
    parse(&text, path)
}

/// Parse oarstat JSON text (`path` names it in messages).
pub fn parse(text: &str, path: &Path) -> Result<Accounting> {
    let jobs: BTreeMap<String, OarJob> = serde_json::from_str(text).map_err(|e| {
        let mut d = Diagnostic::new(format!("cannot read the oarstat JSON: {e}"))
            .file(path)
            .hint("give the output of oarstat -f -J (a JSON object keyed by job id)")
            .at(e.line(), e.column(), Some(text));
        d.column = Some(e.column());
        Error::input(d)
    })?;
    let mut acc = Accounting::new(path, "oar");
    acc.assumptions.push("OAR: a job's resources are its cores, spread evenly over its hosts; its GPUs and memory are its share of each node's cores".into());
    // jobs in numeric order of their ids, as oarstat lists them
    let mut ids: Vec<&String> = jobs.keys().collect();
    ids.sort_by_key(|k| (k.parse::<u64>().unwrap_or(u64::MAX), (*k).clone()));
    let mut from = 0;
    for id in ids {
        let j = &jobs[id];
        let key = format!("\"{id}\"");
        let at = text[from..].find(&key).map_or(0, |k| from + k);
        from = at;
        let (line, col) = line_col(text, at);
        let hosts_at = text[at..]
            .find("assigned_network_address")
            .map_or(at, |k| at + k);
        let res_at = text[at..].find("assigned_resources").map_or(at, |k| at + k);
        let state = JobState::of_oar(&j.state);
        let start_s = j.start_time.filter(|&t| t > 0.0 && t.is_finite());
        let end_s = j.stop_time.filter(|&t| t > 0.0 && t.is_finite());
        if let (Some(a), Some(b)) = (start_s, end_s) {
            if b < a {
                let mut d = Diagnostic::new(format!("job {id} stops before it starts"))
                    .file(path)
                    .at(line, col, Some(text))
                    .hint("check startTime and stopTime");
                d.column = Some(col);
                return Err(Error::input(d));
            }
        }
        let mut hosts: Vec<&str> = j
            .assigned_network_address
            .iter()
            .map(String::as_str)
            .collect();
        hosts.dedup();
        let cores = j.assigned_resources.len() as f64;
        let column = |at: usize| u32::try_from(line_col(text, at).1).unwrap_or(u32::MAX);
        let array = j
            .array_id
            .as_ref()
            .map(|v| v.to_string().trim_matches('"').to_string())
            .filter(|a| a != id)
            .map(|a| acc.names.intern(&a));
        let labels = JobLabels {
            array,
            user: acc.names.intern(j.owner.as_deref().unwrap_or_default()),
            account: acc.names.intern(j.project.as_deref().unwrap_or_default()),
            partition: acc.names.intern(
                j.queue
                    .as_deref()
                    .or(j.queue_name.as_deref())
                    .unwrap_or_default(),
            ),
            state,
            state_text: acc.names.intern(&j.state),
        };
        let new = NewJob {
            labels,
            start_s,
            end_s,
            reserved: Reservation {
                cores,
                memory_gb: 0.0,
                gpus: 0.0,
            },
            cpu_time_s: None,
            memory_used_gb: None,
            consumed_energy_j: None,
            source: JobSource {
                line: line as u64,
                hosts_column: column(hosts_at),
                reservation_column: column(res_at),
            },
        };
        acc.push(id, hosts, new);
        acc.oar_share_by_cores.push(true);
    }
    acc.finish();
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_job_fields() {
        let t = r#"{
  "547": {"owner": "bzizou", "project": "default", "queue": "default", "state": "Terminated",
          "startTime": 1245768251, "stopTime": 1245775469,
          "assigned_network_address": ["liza-2"], "assigned_resources": [6, 7]},
  "548": {"owner": "alice", "project": "p1", "queue": "default", "state": "Waiting",
          "startTime": 0, "stopTime": 0, "assigned_network_address": [], "assigned_resources": []}
}"#;
        let a = parse(t, Path::new("oar.json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs.len(), 2);
        let j = &a.jobs[0];
        assert_eq!(j.elapsed_s(), 7218.0);
        assert_eq!(j.reserved.cores, 2.0);
        assert_eq!(a.hosts(0).len(), 1);
        assert_eq!(a.name(a.hosts(0)[0]), "liza-2");
        assert_eq!(j.source.line, 2);
        assert_eq!(a.jobs[1].labels.state, JobState::Pending);
        assert!(!a.ran(1));
    }

    #[test]
    fn bad_json_is_located() {
        let Err(Error::Input(d)) = parse("{\n \"1\": {\"state\": }\n}", Path::new("o.json")) else {
            panic!("accepted")
        };
        assert_eq!(d.line, Some(2));
    }
}
