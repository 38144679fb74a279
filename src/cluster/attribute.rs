//! Attribution of one node's energy to the jobs that ran on it, conserving it: over the
//! accounting period, the sum over the jobs' parts plus the idle overhead is the node's energy.
//!
//! The period is cut at every start and end of a job on the node. In each segment of length dt
//! with node energy E (measured, or modelled as the base power x dt plus the jobs' dynamic
//! power x dt):
//!
//! - with no job: all of E is idle overhead;
//! - otherwise the base B = (P_static + n_gpu x P_gpu_idle) x dt is taken from E (scaled down
//!   when E < B, so that nothing is negative: the segment's dynamic energy is then 0);
//!   P_static x dt goes to the running jobs in proportion to their share weights (the reserved
//!   fractions of cores, memory and GPUs, weighted); each reserved GPU's passive power goes to
//!   the job holding it, and the unreserved GPUs' to the idle overhead;
//! - the dynamic energy D = E - B: a trace's GPU part above the GPUs' idle power goes to the
//!   jobs holding GPUs by their GPU count (to the idle overhead when none does), the rest to the
//!   running jobs by their usage weights (reserved cores x CPU usage, the usage CPU time /
//!   (elapsed x cores) where the scheduler measured it, else 1; by share where no running job
//!   has any); a modelled segment's D is each job's own dynamic power x dt.

/// One node's capacity and base power.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeSpec {
    pub cores: f64,
    pub memory_gb: f64,
    pub gpus: f64,
    /// Power of the node with no job, GPUs excluded, W.
    pub static_w: f64,
    /// Passive power of one GPU, W.
    pub gpu_idle_w: f64,
}

/// One job's time on one node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stint {
    /// The job's index (in the caller's list).
    pub job: usize,
    pub start_s: f64,
    pub end_s: f64,
    /// The job's share of the node: its share weight (reserved fractions, weighted), in [0, 1].
    pub share: f64,
    /// GPUs it holds on the node.
    pub gpus: f64,
    /// Its weight in the node's measured non-GPU dynamic energy (> 0).
    pub usage: f64,
    /// Its own dynamic power on the node, W (modelled nodes).
    pub dynamic_w: f64,
    /// The indexes of the GPUs it holds (bit i: GPU i), 0 where not known.
    pub gpu_mask: u64,
}

/// The energy of a node, by segment.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeEnergy {
    /// Measured: the energy in each segment between consecutive `boundaries`, J, in all and
    /// of the GPUs, and of each GPU by index where the traces name them (nvidia-smi's index).
    Measured {
        boundaries: Vec<f64>,
        total_j: Vec<f64>,
        gpu_j: Vec<f64>,
        gpu_by_index: Vec<(u32, Vec<f64>)>,
    },
    /// Modelled from the base power and the jobs' dynamic power.
    Modelled,
}

/// What one stint carries, J.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StintEnergy {
    pub static_j: f64,
    pub gpu_idle_j: f64,
    pub dynamic_j: f64,
}

impl StintEnergy {
    pub fn total_j(&self) -> f64 {
        self.static_j + self.gpu_idle_j + self.dynamic_j
    }
}

/// A node's attribution over the period, J.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeAttribution {
    /// In the order of the stints given.
    pub stints: Vec<StintEnergy>,
    /// Energy of the node with no job running.
    pub idle_j: f64,
    /// Passive power of the GPUs no running job held.
    pub unreserved_gpu_j: f64,
    /// Measured GPU dynamic energy while no running job held a GPU.
    pub unattributed_gpu_j: f64,
    /// The node's energy over the period.
    pub node_j: f64,
    /// Segments measured below the base power (their base scaled down).
    pub below_base_segments: usize,
}

impl NodeAttribution {
    /// Everything the node's energy was split into.
    pub fn sum_j(&self) -> f64 {
        self.stints.iter().map(StintEnergy::total_j).sum::<f64>()
            + self.idle_j
            + self.unreserved_gpu_j
            + self.unattributed_gpu_j
    }
}

/// The cut points: the period's ends and every stint's start and end inside it, sorted.
pub fn boundaries(period: (f64, f64), stints: &[Stint]) -> Vec<f64> {
    let mut b = vec![period.0, period.1];
    for s in stints {
        for t in [s.start_s, s.end_s] {
            if t > period.0 && t < period.1 {
                b.push(t);
            }
        }
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

/// Split a node's energy over the period among its stints. The stints are clipped to the
/// period; a measured energy must have been cut at [`boundaries`].
pub fn attribute(
    node: &NodeSpec,
    period: (f64, f64),
    stints: &[Stint],
    energy: &NodeEnergy,
) -> NodeAttribution {
    let cuts = match energy {
        NodeEnergy::Measured { boundaries, .. } => boundaries.clone(),
        NodeEnergy::Modelled => boundaries(period, stints),
    };
    let mut out = NodeAttribution {
        stints: vec![StintEnergy::default(); stints.len()],
        ..Default::default()
    };
    // stints by start, to walk the segments with the running set
    let mut order: Vec<usize> = (0..stints.len()).collect();
    order.sort_by(|&a, &b| stints[a].start_s.total_cmp(&stints[b].start_s));
    let mut next = 0;
    let mut running: Vec<usize> = Vec::new();
    for k in 0..cuts.len().saturating_sub(1) {
        let (a, b) = (cuts[k], cuts[k + 1]);
        let dt = b - a;
        running.retain(|&i| stints[i].end_s > a);
        while next < order.len() && stints[order[next]].start_s <= a {
            let i = order[next];
            if stints[i].end_s > a {
                running.push(i);
            }
            next += 1;
        }
        let base_static = node.static_w * dt;
        let base_gpu = node.gpu_idle_w * dt;
        let (e, e_gpu) = match energy {
            NodeEnergy::Measured { total_j, gpu_j, .. } => (total_j[k], gpu_j[k]),
            NodeEnergy::Modelled => {
                let d: f64 = running.iter().map(|&i| stints[i].dynamic_w * dt).sum();
                (base_static + base_gpu * node.gpus + d, 0.0)
            }
        };
        out.node_j += e;
        if running.is_empty() {
            out.idle_j += e;
            continue;
        }
        let base = base_static + base_gpu * node.gpus;
        let scale = if e < base && base > 0.0 {
            out.below_base_segments += 1;
            e / base
        } else {
            1.0
        };
        let (s_j, g_j) = (base_static * scale, base_gpu * scale);
        let dynamic = (e - base * scale).max(0.0);
        // static power by share
        let shares: f64 = running.iter().map(|&i| stints[i].share).sum();
        for &i in &running {
            let w = if shares > 0.0 {
                stints[i].share / shares
            } else {
                1.0 / running.len() as f64
            };
            out.stints[i].static_j += s_j * w;
        }
        // GPU passive power to the GPUs' holders
        let held: f64 = running
            .iter()
            .map(|&i| stints[i].gpus)
            .sum::<f64>()
            .min(node.gpus);
        if held > 0.0 {
            let total_held: f64 = running.iter().map(|&i| stints[i].gpus).sum();
            for &i in &running {
                out.stints[i].gpu_idle_j += g_j * held * stints[i].gpus / total_held;
            }
        }
        out.unreserved_gpu_j += g_j * (node.gpus - held);
        // dynamic energy
        match energy {
            NodeEnergy::Modelled => {
                for &i in &running {
                    out.stints[i].dynamic_j += stints[i].dynamic_w * dt * scale.min(1.0);
                }
            }
            NodeEnergy::Measured { .. } => {
                let d_gpu = (e_gpu - g_j * node.gpus).clamp(0.0, dynamic);
                let d_rest = dynamic - d_gpu;
                let by_index = match energy {
                    NodeEnergy::Measured { gpu_by_index, .. } if held > 0.0 => {
                        gpu_weights(gpu_by_index, k, node.gpu_idle_w * dt, stints, &running)
                    }
                    _ => None,
                };
                if let Some((weights, unheld)) = by_index {
                    // each GPU's dynamic energy to the job holding it
                    for (&i, w) in running.iter().zip(weights) {
                        out.stints[i].dynamic_j += d_gpu * w;
                    }
                    out.unattributed_gpu_j += d_gpu * unheld;
                } else if held > 0.0 {
                    let total_held: f64 = running.iter().map(|&i| stints[i].gpus).sum();
                    for &i in &running {
                        out.stints[i].dynamic_j += d_gpu * stints[i].gpus / total_held;
                    }
                } else {
                    out.unattributed_gpu_j += d_gpu;
                }
                // by usage; where no running job has any, by share; else evenly
                let usage: f64 = running.iter().map(|&i| stints[i].usage).sum();
                for &i in &running {
                    let w = if usage > 0.0 {
                        stints[i].usage / usage
                    } else if shares > 0.0 {
                        stints[i].share / shares
                    } else {
                        1.0 / running.len() as f64
                    };
                    out.stints[i].dynamic_j += d_rest * w;
                }
            }
        }
    }
    out
}

/// Where the traces give each GPU's energy and every running job holding GPUs names their
/// indexes (no GPU named twice): the weight of each running job in the segment's GPU dynamic
/// energy (its GPUs' energy above their idle power, over all GPUs'), and the weight of the
/// GPUs no job holds. `None` (share by GPU count) otherwise, or when no GPU is above idle.
fn gpu_weights(
    by_index: &[(u32, Vec<f64>)],
    k: usize,
    idle_j: f64,
    stints: &[Stint],
    running: &[usize],
) -> Option<(Vec<f64>, f64)> {
    if by_index.is_empty() {
        return None;
    }
    let mut claimed = 0u64;
    for &i in running {
        let s = &stints[i];
        if s.gpus > 0.0 && (s.gpu_mask == 0 || claimed & s.gpu_mask != 0) {
            return None;
        }
        claimed |= s.gpu_mask;
    }
    let above = |mask: u64| -> f64 {
        by_index
            .iter()
            .filter(|(g, _)| *g < 64 && mask & (1 << g) != 0)
            .map(|(_, e)| (e.get(k).copied().unwrap_or(0.0) - idle_j).max(0.0))
            .sum()
    };
    let all = above(u64::MAX);
    if all <= 0.0 {
        return None;
    }
    let weights: Vec<f64> = running
        .iter()
        .map(|&i| above(stints[i].gpu_mask) / all)
        .collect();
    Some((weights, above(!claimed) / all))
}

/// A job's share of a node: the reserved fractions weighted by `w` (cores, memory, GPUs),
/// over the resources the node has.
pub fn share(
    node: &NodeSpec,
    cores: f64,
    memory_gb: f64,
    gpus: f64,
    w: &super::inventory::ShareWeights,
) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for (r, cap, wk) in [
        (cores, node.cores, w.cores),
        (memory_gb, node.memory_gb, w.memory),
        (gpus, node.gpus, w.gpus),
    ] {
        if cap > 0.0 && wk > 0.0 {
            num += wk * (r / cap).min(1.0);
            den += wk;
        }
    }
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stint(
        job: usize,
        a: f64,
        b: f64,
        share: f64,
        gpus: f64,
        usage: f64,
        dynamic_w: f64,
    ) -> Stint {
        Stint {
            job,
            start_s: a,
            end_s: b,
            share,
            gpus,
            usage,
            dynamic_w,
            gpu_mask: 0,
        }
    }

    #[test]
    fn modelled_node_by_hand() {
        // 100 W static, 2 GPUs at 30 W idle, period 0..10 h (36,000 s)
        // job A: 0-4 h, half the node, 1 GPU, 150 W dynamic
        // job B: 2-6 h, a quarter, no GPU, 40 W dynamic
        let node = NodeSpec {
            cores: 8.0,
            memory_gb: 64.0,
            gpus: 2.0,
            static_w: 100.0,
            gpu_idle_w: 30.0,
        };
        let h = 3600.0;
        let s = [
            stint(0, 0.0, 4.0 * h, 0.5, 1.0, 4.0, 150.0),
            stint(1, 2.0 * h, 6.0 * h, 0.25, 0.0, 2.0, 40.0),
        ];
        let r = attribute(&node, (0.0, 10.0 * h), &s, &NodeEnergy::Modelled);
        let wh = |j: f64| j / 3600.0;
        // node: 160 W x 10 h + 150 W x 4 h + 40 W x 4 h = 1600 + 600 + 160 = 2360 Wh
        assert!((wh(r.node_j) - 2360.0).abs() < 1e-9);
        // A: static 100 x 2 h alone + 100 x 2 h x 0.5/0.75 = 200 + 133.33; GPU 30 x 4; dyn 600
        assert!((wh(r.stints[0].static_j) - (200.0 + 400.0 / 3.0)).abs() < 1e-9);
        assert!((wh(r.stints[0].gpu_idle_j) - 120.0).abs() < 1e-9);
        assert!((wh(r.stints[0].dynamic_j) - 600.0).abs() < 1e-9);
        // B: static 100 x 2 h x 0.25/0.75 + 100 x 2 h alone = 66.67 + 200; dyn 160
        assert!((wh(r.stints[1].static_j) - (200.0 / 3.0 + 200.0)).abs() < 1e-9);
        assert!((wh(r.stints[1].dynamic_j) - 160.0).abs() < 1e-9);
        // idle 6-10 h: 160 W x 4 h = 640; unreserved GPU: 30 x 4 h (0-4: one free) + 30 x 2 x 2 h (4-6) = 240
        assert!((wh(r.idle_j) - 640.0).abs() < 1e-9);
        assert!((wh(r.unreserved_gpu_j) - 240.0).abs() < 1e-9);
        assert!((r.sum_j() - r.node_j).abs() < 1e-6);
    }

    #[test]
    fn measured_below_base_is_scaled_not_negative() {
        let node = NodeSpec {
            cores: 4.0,
            memory_gb: 8.0,
            gpus: 0.0,
            static_w: 100.0,
            gpu_idle_w: 0.0,
        };
        let s = [stint(0, 0.0, 10.0, 1.0, 0.0, 1.0, 0.0)];
        let e = NodeEnergy::Measured {
            boundaries: vec![0.0, 10.0],
            total_j: vec![500.0],
            gpu_j: vec![0.0],
            gpu_by_index: Vec::new(),
        };
        let r = attribute(&node, (0.0, 10.0), &s, &e);
        assert_eq!(r.below_base_segments, 1);
        assert!((r.stints[0].static_j - 500.0).abs() < 1e-12);
        assert_eq!(r.stints[0].dynamic_j, 0.0);
    }

    #[test]
    fn each_gpu_to_the_job_holding_it() {
        // 2 GPUs at 50 W idle, no static power, one hour: job A holds GPU 0, job B GPU 1,
        // each half the node. GPU 0 draws 300 W, GPU 1 100 W; the node 400 W in all.
        let node = NodeSpec {
            cores: 8.0,
            memory_gb: 64.0,
            gpus: 2.0,
            static_w: 0.0,
            gpu_idle_w: 50.0,
        };
        let h = 3600.0;
        let mut a = stint(0, 0.0, h, 0.5, 1.0, 1.0, 0.0);
        let mut b = stint(1, 0.0, h, 0.5, 1.0, 1.0, 0.0);
        a.gpu_mask = 0b01;
        b.gpu_mask = 0b10;
        let e = NodeEnergy::Measured {
            boundaries: vec![0.0, h],
            total_j: vec![400.0 * h],
            gpu_j: vec![400.0 * h],
            gpu_by_index: vec![(0, vec![300.0 * h]), (1, vec![100.0 * h])],
        };
        let r = attribute(&node, (0.0, h), &[a, b], &e);
        // dynamic: GPU 0 250 Wh to A, GPU 1 50 Wh to B (by count it would be 150 Wh each)
        assert!((r.stints[0].dynamic_j / 3600.0 - 250.0).abs() < 1e-9);
        assert!((r.stints[1].dynamic_j / 3600.0 - 50.0).abs() < 1e-9);
        // idle power: 50 Wh each
        assert!((r.stints[0].gpu_idle_j / 3600.0 - 50.0).abs() < 1e-9);
        assert!((r.sum_j() - r.node_j).abs() < 1e-6);
        // without the indexes of one job: by GPU count
        b.gpu_mask = 0;
        let r = attribute(&node, (0.0, h), &[a, b], &e);
        assert!((r.stints[0].dynamic_j / 3600.0 - 150.0).abs() < 1e-9);
        // A alone on GPU 0: GPU 1's dynamic energy is nobody's
        let r = attribute(&node, (0.0, h), &[a], &e);
        assert!((r.stints[0].dynamic_j / 3600.0 - 250.0).abs() < 1e-9);
        assert!((r.unattributed_gpu_j / 3600.0 - 50.0).abs() < 1e-9);
        assert!((r.sum_j() - r.node_j).abs() < 1e-6);
    }

    #[test]
    fn share_of_reserved_fractions() {
        let node = NodeSpec {
            cores: 48.0,
            memory_gb: 192.0,
            gpus: 4.0,
            static_w: 0.0,
            gpu_idle_w: 0.0,
        };
        let w = super::super::inventory::ShareWeights::EQUAL;
        // 12/48, 96/192, 1/4: (0.25 + 0.5 + 0.25) / 3
        assert!((share(&node, 12.0, 96.0, 1.0, &w) - 1.0 / 3.0).abs() < 1e-15);
        let cpu_only = NodeSpec { gpus: 0.0, ..node };
        assert!((share(&cpu_only, 12.0, 96.0, 0.0, &w) - 0.375).abs() < 1e-15);
    }
}
