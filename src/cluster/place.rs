//! Jobs placed on nodes: each job's stint on each of its hosts (its reservation spread evenly
//! over them), clipped to the period; reservations that exceed a node refused; the base power
//! of each node (declared, or measured from an idle segment of a trace).

use super::attribute::{share, NodeSpec, Stint};
use super::inventory::{Inventory, ShareWeights};
use super::Accounting;
use crate::energy::trace::{self, TraceComponent, TraceOptions};
use crate::error::{Diagnostic, Error, Result};

/// Slack when reservations are added (memory sums of binary units).
const OVER_TOLERANCE: f64 = 1e-9;

/// One node of the inventory.
#[derive(Clone, Debug)]
pub struct Node {
    pub host: String,
    pub kind: usize,
    pub spec: NodeSpec,
}

/// The base power of each kind: (static W, GPU idle W), declared or measured.
pub fn base_power(inv: &Inventory, notes: &mut Vec<String>) -> Result<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for (i, k) in inv.inv.infrastructure.iter().enumerate() {
        match &k.idle_from {
            None => out.push((
                k.static_power_w.unwrap_or(0.0),
                k.gpu_idle_power_w.unwrap_or(0.0),
            )),
            Some(segs) => {
                let field = format!("infrastructure[{i}].idle_from");
                let (mut node, mut other, mut gpu_sum, mut gpu_n) = (None, 0.0, 0.0, 0.0);
                for (s_i, seg) in segs.iter().enumerate() {
                    let f = format!("{field}[{s_i}]");
                    let file = inv.file_at(&format!("{f}.file"), &seg.file)?;
                    let at = |e: Error| match e {
                        Error::Input(d) if d.field.is_none() && d.file.is_none() => {
                            inv.error_at(&f, d.message.clone(), d.hint.clone().unwrap_or_default())
                        }
                        e => e,
                    };
                    let opts = TraceOptions {
                        format: seg.format,
                        generic: seg.generic.clone(),
                        idle_start: Some(
                            trace::parse_time(&seg.idle_start, "idle_start").map_err(at)?,
                        ),
                        idle_end: Some(trace::parse_time(&seg.idle_end, "idle_end").map_err(at)?),
                        ..TraceOptions::default()
                    };
                    let s = trace::read(&file, &opts)?;
                    for d in s.devices.iter().filter(|d| d.included) {
                        let Some(p) = d.idle_power_w else { continue };
                        match d.component {
                            TraceComponent::Gpu => {
                                gpu_sum += p;
                                gpu_n += 1.0;
                            }
                            TraceComponent::Node => *node.get_or_insert(0.0) += p,
                            _ => other += p,
                        }
                    }
                }
                let gpu = if gpu_n > 0.0 { gpu_sum / gpu_n } else { 0.0 };
                // a wattmeter (a node device) holds the GPUs' idle power: the static power is
                // the rest; without one, the CPU and memory devices' idle powers add
                let stat = match node {
                    Some(n) => (n - gpu_sum).max(0.0),
                    None => other,
                };
                if segs.is_empty() {
                    return Err(inv.error_at(
                        &field,
                        "idle_from lists no idle segment",
                        "give the file, idle_start and idle_end of a trace of one node at rest",
                    ));
                }
                notes.push(format!(
                    "{}: idle power measured ({}): static {} W, GPU idle {} W",
                    k.name,
                    segs.iter()
                        .map(|s| format!(
                            "{} from {} to {}",
                            s.file.display(),
                            s.idle_start,
                            s.idle_end
                        ))
                        .collect::<Vec<_>>()
                        .join("; "),
                    crate::quantity::format::num(stat),
                    crate::quantity::format::num(gpu)
                ));
                out.push((stat, gpu));
            }
        }
    }
    Ok(out)
}

/// Every node of the inventory, in the order written.
pub fn nodes(inv: &Inventory, base: &[(f64, f64)]) -> Vec<Node> {
    let mut out = Vec::new();
    for (i, k) in inv.inv.infrastructure.iter().enumerate() {
        for h in &inv.hosts[i] {
            out.push(Node {
                host: h.clone(),
                kind: i,
                spec: NodeSpec {
                    cores: f64::from(k.cores.0),
                    memory_gb: k.memory_gb,
                    gpus: f64::from(k.gpus),
                    static_w: base[i].0,
                    gpu_idle_w: base[i].1,
                },
            });
        }
    }
    out
}

/// A job's reservation on one of its nodes: (cores, memory GB, GPUs).
pub fn per_node(acc: &Accounting, j: usize, node: &NodeSpec) -> (f64, f64, f64) {
    let job = &acc.jobs[j];
    let n = acc.hosts(j).len().max(1) as f64;
    let cores = job.reserved.cores / n;
    if acc.shares_by_cores(j) {
        let f = (cores / node.cores).min(1.0);
        (cores, f * node.memory_gb, f * node.gpus)
    } else {
        (cores, job.reserved.memory_gb / n, job.reserved.gpus / n)
    }
}

fn job_error(acc: &Accounting, j: usize, column: u32, msg: String, hint: &str) -> Error {
    let s = &acc.jobs[j].source;
    let mut d = Diagnostic::new(msg).file(&acc.file).hint(hint);
    if acc.rows {
        let name = if column == s.hosts_column {
            "NodeList"
        } else {
            "AllocTRES"
        };
        d.field = Some(format!("row {}, column {name}", s.line.saturating_sub(1)));
        return Error::input(d);
    }
    d.line = Some(s.line as usize);
    d.column = Some(column as usize);
    d.snippet = crate::energy::trace::lines::line_text(&acc.file, s.line);
    Error::input(d)
}

/// The node of each name of the accounting that is a host of the inventory (by
/// [`super::job::Sym`] index; `u32::MAX` for the other names).
pub fn node_of(acc: &Accounting, nodes: &[Node]) -> Vec<u32> {
    let index: std::collections::HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.host.as_str(), i))
        .collect();
    (0..acc.names.len())
        .map(|i| {
            let name = acc.names.get(super::job::Sym::at(i));
            index
                .get(name)
                .and_then(|&n| u32::try_from(n).ok())
                .unwrap_or(u32::MAX)
        })
        .collect()
}

/// The jobs of every node (index of the node -> the indexes of its jobs, in the accounting's
/// order) that ran in the period. Every host of every job that ran, in the period or not, must
/// be a node of the inventory: else an error at the job's line.
pub fn jobs_by_node(
    acc: &Accounting,
    inv: &Inventory,
    node_of: &[u32],
    nodes: usize,
    period: (f64, f64),
) -> Result<Vec<Vec<u32>>> {
    let mut out = vec![Vec::new(); nodes];
    for (j, job) in acc.jobs.iter().enumerate() {
        if !acc.ran(j) {
            continue;
        }
        let (Some(a), Some(b)) = (job.start_s(), job.end_s()) else {
            continue;
        };
        let hosts = acc.hosts(j);
        for &h in hosts {
            if node_of.get(h.index()).is_none_or(|&n| n == u32::MAX) {
                let h = acc.name(h);
                let names: Vec<&str> = inv.host_kind.keys().map(String::as_str).collect();
                let hint = match crate::data::names::suggest(h, &names) {
                    Some(s) => format!(
                        "did you mean {s}? Add the host to a kind of the inventory ({})",
                        inv.file.display()
                    ),
                    None => format!(
                        "add the host to a kind of the inventory ({})",
                        inv.file.display()
                    ),
                };
                return Err(job_error(
                    acc,
                    j,
                    job.source.hosts_column,
                    format!(
                        "job {} ran on {h}, a host the inventory does not have",
                        acc.id(j)
                    ),
                    &hint,
                ));
            }
        }
        let (s, e) = (a.max(period.0), b.min(period.1));
        if e <= s {
            continue;
        }
        // at most 4 billion jobs: the accounting's lines are fewer
        let jj = u32::try_from(j).unwrap_or(u32::MAX);
        for &h in hosts {
            out[node_of[h.index()] as usize].push(jj);
        }
    }
    Ok(out)
}

/// The stints of one node: its jobs clipped to the period, with their share of the node.
pub fn stints(
    acc: &Accounting,
    node: &Node,
    jobs: &[u32],
    period: (f64, f64),
    weights: &ShareWeights,
    usage: &dyn Fn(usize, &NodeSpec) -> f64,
) -> Vec<Stint> {
    let spec = &node.spec;
    jobs.iter()
        .map(|&j| {
            let j = j as usize;
            let job = &acc.jobs[j];
            let (a, b) = (
                job.start_s().unwrap_or(period.0),
                job.end_s().unwrap_or(period.1),
            );
            let (c, m, g) = per_node(acc, j, spec);
            Stint {
                job: j,
                start_s: a.max(period.0),
                end_s: b.min(period.1),
                share: share(spec, c, m, g, weights),
                gpus: g,
                usage: usage(j, spec),
                dynamic_w: 0.0,
                gpu_mask: acc.gpu_indexes(j),
            }
        })
        .collect()
}

/// Refuse reservations that exceed the node at any time: the job whose start makes the sum
/// exceed the node is named, at its reservation.
pub fn check_capacity(acc: &Accounting, node: &Node, list: &[Stint]) -> Result<()> {
    let mut events: Vec<(f64, bool, usize)> = Vec::with_capacity(list.len() * 2);
    for (i, s) in list.iter().enumerate() {
        events.push((s.start_s, true, i));
        events.push((s.end_s, false, i));
    }
    // ends before starts at the same time: a job may start when another ends
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut c, mut m, mut g) = (0.0, 0.0, 0.0);
    let mut running: Vec<usize> = Vec::new();
    for (t, start, i) in events {
        let (dc, dm, dg) = per_node(acc, list[i].job, &node.spec);
        if start {
            c += dc;
            m += dm;
            g += dg;
            running.push(i);
            let over = |sum: f64, cap: f64| sum > cap * (1.0 + OVER_TOLERANCE) + OVER_TOLERANCE;
            let what = if over(c, node.spec.cores) {
                Some(format!(
                    "{} cores of {}",
                    crate::quantity::format::num(c),
                    node.spec.cores
                ))
            } else if over(g, node.spec.gpus) {
                Some(format!(
                    "{} GPUs of {}",
                    crate::quantity::format::num(g),
                    node.spec.gpus
                ))
            } else if over(m, node.spec.memory_gb) {
                Some(format!(
                    "{} GB of memory of {}",
                    crate::quantity::format::num(m),
                    node.spec.memory_gb
                ))
            } else {
                None
            };
            if let Some(what) = what {
                let others: Vec<&str> = running
                    .iter()
                    .filter(|&&k| k != i)
                    .map(|&k| acc.id(list[k].job))
                    .collect();
                let job = &acc.jobs[list[i].job];
                return Err(job_error(
                    acc,
                    list[i].job,
                    job.source.reservation_column,
                    format!(
                        "job {} and the jobs running on {} at {} ({}) reserve {what}",
                        acc.id(list[i].job),
                        node.host,
                        crate::quantity::time::format(t),
                        others.join(", ")
                    ),
                    "check the inventory's cores, memory_gb and gpus for this host, or the accounting (overlapping allocations)",
                ));
            }
        } else {
            c -= dc;
            m -= dm;
            g -= dg;
            running.retain(|&k| k != i);
        }
    }
    Ok(())
}
