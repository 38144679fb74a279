//! Property tests of the attribution: over random schedules (overlapping jobs, shared GPUs,
//! idle gaps) and random traces (energies per segment, some below the base power), the jobs'
//! parts plus the idle overhead are the node's energy, and no part is negative.

use super::attribute::{attribute, boundaries, NodeEnergy, NodeSpec, Stint};
use proptest::prelude::*;

/// Relative tolerance of the conservation: sums of a few hundred terms of similar size.
const REL: f64 = 1e-9;

fn node() -> impl Strategy<Value = NodeSpec> {
    (
        1u32..128,
        1.0f64..2048.0,
        0u32..9,
        0.0f64..500.0,
        0.0f64..80.0,
    )
        .prop_map(|(c, m, g, s, gi)| NodeSpec {
            cores: f64::from(c),
            memory_gb: m,
            gpus: f64::from(g),
            static_w: s,
            gpu_idle_w: gi,
        })
}

fn stints(n: usize) -> impl Strategy<Value = Vec<Stint>> {
    prop::collection::vec(
        (
            0.0f64..100_000.0,
            1.0f64..50_000.0,
            0.0f64..1.0,
            0u32..3,
            0.0f64..64.0,
            0.0f64..2000.0,
        ),
        0..n,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (a, d, share, g, usage, w))| Stint {
                job: i,
                start_s: a,
                end_s: a + d,
                share,
                gpus: f64::from(g),
                usage,
                dynamic_w: w,
                // GPUs named by index, some of them twice (then shared by count)
                gpu_mask: if g > 0 { 1 << (i % 3) } else { 0 },
            })
            .collect()
    })
}

fn check(
    node: &NodeSpec,
    period: (f64, f64),
    s: &[Stint],
    e: &NodeEnergy,
) -> Result<(), TestCaseError> {
    let r = attribute(node, period, s, e);
    let scale = r.node_j.abs().max(1.0);
    prop_assert!(
        (r.sum_j() - r.node_j).abs() <= REL * scale,
        "split {} of {}",
        r.sum_j(),
        r.node_j
    );
    for p in &r.stints {
        prop_assert!(
            p.static_j >= 0.0 && p.gpu_idle_j >= 0.0 && p.dynamic_j >= 0.0,
            "{p:?}"
        );
    }
    prop_assert!(
        r.idle_j >= 0.0 && r.unreserved_gpu_j >= -REL * scale && r.unattributed_gpu_j >= 0.0
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn modelled_nodes_conserve_energy(n in node(), s in stints(12), p0 in 0.0f64..50_000.0, len in 1.0f64..150_000.0) {
        let period = (p0, p0 + len);
        let clipped: Vec<Stint> = s.into_iter().filter_map(|mut x| {
            x.start_s = x.start_s.max(period.0);
            x.end_s = x.end_s.min(period.1);
            (x.end_s > x.start_s).then_some(x)
        }).collect();
        check(&n, period, &clipped, &NodeEnergy::Modelled)?;
        // and the model's node energy is its base power over the period plus each job's own
        let r = attribute(&n, period, &clipped, &NodeEnergy::Modelled);
        let want = (n.static_w + n.gpus * n.gpu_idle_w) * len
            + clipped.iter().map(|x| x.dynamic_w * (x.end_s - x.start_s)).sum::<f64>();
        prop_assert!((r.node_j - want).abs() <= REL * want.max(1.0));
    }

    #[test]
    fn measured_nodes_conserve_energy(
        n in node(),
        s in stints(12),
        len in 1.0f64..150_000.0,
        power in prop::collection::vec((0.0f64..3000.0, 0.0f64..1.0), 1..64),
    ) {
        let period = (0.0, len);
        let clipped: Vec<Stint> = s.into_iter().filter_map(|mut x| {
            x.end_s = x.end_s.min(period.1);
            (x.end_s > x.start_s).then_some(x)
        }).collect();
        let b = boundaries(period, &clipped);
        // a random trace: each segment's mean power and the GPUs' part of it
        let (total, gpu): (Vec<f64>, Vec<f64>) = b
            .windows(2)
            .enumerate()
            .map(|(k, w)| {
                let (p, f) = power[k % power.len()];
                let e = p * (w[1] - w[0]);
                (e, e * f)
            })
            .unzip();
        // the GPUs' part split between GPUs 0, 1 and 2 unevenly
        let gpu_by_index = (0..3u32)
            .map(|g| (g, gpu.iter().map(|e| e * f64::from(g + 1) / 6.0).collect()))
            .collect();
        check(&n, period, &clipped, &NodeEnergy::Measured { boundaries: b, total_j: total, gpu_j: gpu, gpu_by_index })?;
    }
}

proptest! {
    #[test]
    fn host_ranges_expand_to_their_length(prefix in "[a-z]{1,8}", a in 0u32..5000, n in 0u32..300, pad in any::<bool>()) {
        let b = a + n;
        let list = if pad { format!("{prefix}[{a:05}-{b:05}]") } else { format!("{prefix}[{a}-{b}]") };
        let hosts = super::hosts::expand(&list).map_err(|e| TestCaseError::fail(e.message))?;
        prop_assert_eq!(hosts.len() as u32, n + 1);
        let first = if pad { format!("{prefix}{a:05}") } else { format!("{prefix}{a}") };
        prop_assert_eq!(&hosts[0], &first);
    }
}
