//! The measured energy of the nodes that have power traces: each trace file of the inventory
//! read once with the trace readers, cut at every job boundary of the nodes it covers, and its
//! energy put into each node's segments. A node's energy is its wattmeter (a `node` device)
//! where it has one, else the sum of its GPU, CPU and memory devices; the GPU part is kept to
//! give the GPUs' dynamic energy to the jobs that held them.

use super::attribute::{boundaries, NodeEnergy, Stint};
use super::inventory::Inventory;
use super::place::Node;
use super::Progress;
use crate::energy::trace::{self, TraceComponent, TraceOptions};
use crate::error::Result;
use crate::quantity::time::{self, Stamp};
use std::collections::HashMap;

#[derive(Default, Clone)]
struct Sums {
    node: Option<Vec<f64>>,
    gpu: Vec<f64>,
    other: Vec<f64>,
    /// Each GPU's energy by its index (nvidia-smi's `index`, a generic trace's GPU device
    /// number); dropped when a GPU device of the node is not a number.
    gpu_by_index: std::collections::BTreeMap<u32, Vec<f64>>,
    unindexed_gpu: bool,
}

/// Add the bins of `cuts` (a superset of `own`) into the segments of `own`.
fn fold(cuts: &[f64], bins: &[f64], own: &[f64], into: &mut [f64]) {
    let mut k = 0;
    for (u, e) in bins.iter().enumerate() {
        let mid = 0.5 * (cuts[u] + cuts[u + 1]);
        while k + 2 < own.len() && own[k + 1] <= mid {
            k += 1;
        }
        if let Some(x) = into.get_mut(k) {
            *x += e;
        }
    }
}

/// Each node's index by host name, and each node's boundaries (the period's ends and its jobs'
/// starts and ends, `attribute::boundaries`): what the trace files and Prometheus both measure.
pub(super) fn hosts_and_boundaries<'a>(
    nodes: &'a [Node],
    stints: &[Vec<Stint>],
    period: (f64, f64),
) -> (HashMap<&'a str, usize>, Vec<Vec<f64>>) {
    let index = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.host.as_str(), i))
        .collect();
    let own = stints.iter().map(|s| boundaries(period, s)).collect();
    (index, own)
}

/// The measured energy of every traced node (by node index).
pub fn measured(
    inv: &Inventory,
    nodes: &[Node],
    stints: &[Vec<Stint>],
    period: (f64, f64),
    progress: Option<&Progress>,
    notes: &mut Vec<String>,
) -> Result<HashMap<usize, NodeEnergy>> {
    let (index, own) = hosts_and_boundaries(nodes, stints, period);
    let mut sums: HashMap<usize, Sums> = HashMap::new();
    for (t, tr) in inv.inv.traces.iter().enumerate() {
        let field = format!("traces[{t}]");
        let file = inv.file_at(&format!("{field}.file"), &tr.file)?;
        let covers: Vec<usize> = match &tr.host {
            Some(h) => vec![index[h.as_str()]],
            None => (0..nodes.len()).collect(),
        };
        let mut cuts: Vec<f64> = covers
            .iter()
            .flat_map(|&n| own[n].iter().copied())
            .collect();
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let opts = TraceOptions {
            format: tr.format,
            metric: tr.metric.clone(),
            generic: tr.generic.clone(),
            start: Some(Stamp::from_f64(period.0)),
            end: Some(Stamp::from_f64(period.1)),
            checkpoints: Some(cuts.iter().map(|&c| Stamp::from_f64(c)).collect()),
            progress: progress.cloned(),
            ..TraceOptions::default()
        };
        let s = trace::read(&file, &opts)?;
        for d in s.devices.iter().filter(|d| d.included) {
            let n = match &tr.host {
                Some(h) => index[h.as_str()],
                None => match index.get(d.device.as_str()) {
                    Some(&n) => n,
                    None => {
                        return Err(inv.error_at(
                            &format!("{field}.file"),
                            format!("the trace {} has a host {} that is not in the inventory", tr.file.display(), d.device),
                            "a trace without `host` names its hosts by device (Kwollect's device_id): add the host to a kind, or give the trace's host",
                        ))
                    }
                },
            };
            check_coverage(inv, &field, d, period, &nodes[n].host)?;
            let seg = own[n].len() - 1;
            let e = sums.entry(n).or_insert_with(|| Sums {
                gpu: vec![0.0; seg],
                other: vec![0.0; seg],
                ..Sums::default()
            });
            let mut local = vec![0.0; seg];
            fold(&cuts, &d.bins_j, &own[n], &mut local);
            match d.component {
                TraceComponent::Node => {
                    let acc = e.node.get_or_insert_with(|| vec![0.0; seg]);
                    for (a, b) in acc.iter_mut().zip(&local) {
                        *a += b;
                    }
                }
                TraceComponent::Gpu => {
                    for (a, b) in e.gpu.iter_mut().zip(&local) {
                        *a += b;
                    }
                    match d.device.trim().parse::<u32>() {
                        Ok(g) => {
                            let own = e.gpu_by_index.entry(g).or_insert_with(|| vec![0.0; seg]);
                            for (a, b) in own.iter_mut().zip(&local) {
                                *a += b;
                            }
                        }
                        Err(_) => e.unindexed_gpu = true,
                    }
                }
                _ => {
                    for (a, b) in e.other.iter_mut().zip(&local) {
                        *a += b;
                    }
                }
            }
        }
        for w in &s.warnings {
            notes.push(format!("{}: {w}", tr.file.display()));
        }
    }
    let mut out = HashMap::new();
    for (n, s) in sums {
        let total: Vec<f64> = match &s.node {
            Some(node) => node.clone(),
            None => s.gpu.iter().zip(&s.other).map(|(a, b)| a + b).collect(),
        };
        out.insert(
            n,
            NodeEnergy::Measured {
                boundaries: own[n].clone(),
                total_j: total,
                gpu_j: s.gpu,
                gpu_by_index: if s.unindexed_gpu {
                    Vec::new()
                } else {
                    s.gpu_by_index.into_iter().collect()
                },
            },
        );
    }
    Ok(out)
}

/// A device's samples must cover the period (to within its gap threshold at each end).
fn check_coverage(
    inv: &Inventory,
    field: &str,
    d: &trace::DeviceSummary,
    period: (f64, f64),
    host: &str,
) -> Result<()> {
    let at = |s: &Option<String>| {
        s.as_ref()
            .and_then(|s| time::parse(s.as_bytes()))
            .map(|t| t.since(0))
    };
    let slack = d.gap_threshold_s.unwrap_or(0.0).max(1.0);
    let (a, b) = (at(&d.start), at(&d.end));
    let covered =
        matches!((a, b), (Some(a), Some(b)) if a <= period.0 + slack && b >= period.1 - slack);
    if covered {
        return Ok(());
    }
    Err(inv.error_at(
        &format!("{field}.file"),
        format!(
            "the trace of {host} (device {}) covers {} to {}, not the accounting period {} to {}",
            d.device,
            d.start.as_deref().unwrap_or("nothing"),
            d.end.as_deref().unwrap_or("nothing"),
            time::format(period.0),
            time::format(period.1)
        ),
        "give a period inside the trace (--start, --end, or the inventory's period), or a trace of the whole period",
    ))
}
