//! A cluster's accounting period assessed: every job's energy (measured by the nodes' traces,
//! by the scheduler, or modelled), attributed with the nodes' static and GPU idle power and
//! the idle overhead; its use impacts (E x PUE x electricity factors) and its share of its
//! nodes' embodied impacts (reserved fraction x time / (AUR x lifetime), the AUR measured from
//! the accounting unless declared).

use super::attribute::{self, NodeEnergy, NodeSpec, Stint};
use super::inventory::{Aur, Inventory, ShareWeights};
use super::job::{Job, JobState};
use super::place::{self, Node};
use super::report::*;
use super::{measure, Accounting, Progress};
use crate::assessment::allocation::allocation_share;
use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::quantity::format::num;
use crate::quantity::impacts::{Criterion, Impacts};
use crate::quantity::interval::Interval;
use crate::quantity::tape::Tape;
use crate::quantity::time::{self, Stamp};
use crate::quantity::units::{HOURS_PER_YEAR, J_PER_KWH, S_PER_H};
use crate::scenario::{self, Count, Loaded, NodeGroup};

/// How to assess.
#[derive(Clone, Default)]
pub struct Options {
    /// The accounting period (else the inventory's, else the jobs' span).
    pub start: Option<Stamp>,
    pub end: Option<Stamp>,
    pub progress: Option<Progress>,
    /// The Prometheus server to ask (replaces the inventory's `prometheus.url`).
    pub prometheus_url: Option<String>,
}

/// The scenario the inventory's kinds and electricity make, to compute their embodied
/// impacts and electricity factors with the scenario's methods. Its fields other than
/// `infrastructure`, `electricity` and `embodied_method` are not read. Field paths
/// (`infrastructure[0].catalog`, `electricity.country`) are the inventory's own, so errors are
/// located in the inventory's text.
fn scenario_view(inv: &Inventory) -> Result<Loaded> {
    let base = "functional_unit: {name: cluster}\ninfrastructure: []\nenergy: {}\nelectricity: {pue: 1}\nallocation: {lifetime_years: 1, active_utilization_rate: 1}\n";
    let mut s = scenario::parse(base, &inv.file)
        .map_err(|e| Error::Internal(format!("cluster scenario view: {e}")))?;
    s.infrastructure = inv
        .inv
        .infrastructure
        .iter()
        .map(|k| NodeGroup {
            name: k.name.clone(),
            nodes: Count(1),
            catalog: k.catalog.clone(),
            instance: None,
            bom: k.bom.clone(),
            embodied: k.embodied.clone(),
        })
        .collect();
    s.electricity = inv.inv.electricity.clone();
    s.embodied_method = inv.inv.embodied_method;
    Ok(Loaded {
        scenario: s,
        file: inv.file.clone(),
        text: inv.text.clone(),
    })
}

fn period(
    inv: &Inventory,
    acc: &Accounting,
    opts: &Options,
    trail: &mut Trail,
) -> Result<(f64, f64)> {
    let given = |s: &Option<Stamp>, field: &str, text: Option<&String>| -> Result<Option<f64>> {
        if let Some(s) = s {
            return Ok(Some(s.since(0)));
        }
        match text {
            Some(t) => time::parse(t.as_bytes())
                .map(|s| Some(s.since(0)))
                .ok_or_else(|| {
                    inv.error_at(
                        field,
                        format!("\"{t}\" is not a time"),
                        "write 2026-01-01T00:00:00",
                    )
                }),
            None => Ok(None),
        }
    };
    let p = inv.inv.period.as_ref();
    let start = given(&opts.start, "period.start", p.map(|p| &p.start))?;
    let end = given(&opts.end, "period.end", p.map(|p| &p.end))?;
    let ran = acc.jobs.iter().filter(|j| j.ran());
    let first = ran.clone().filter_map(|j| j.start_s).min_by(f64::total_cmp);
    let last = ran.filter_map(|j| j.end_s).max_by(f64::total_cmp);
    let (a, b) = match (start.or(first), end.or(last)) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            return Err(Error::msg(format!(
                "{}: no job ran, and no accounting period is given",
                acc.file.display()
            ))
            .in_file(&acc.file))
        }
    };
    if start.is_none() || end.is_none() {
        trail.assume(format!(
            "accounting period {} to {}: {} (give --start/--end or the inventory's period to set it)",
            time::format(a),
            time::format(b),
            if start.is_none() && end.is_none() { "from the first job start to the last job end" } else { "one end from the jobs' span" }
        ));
    }
    if b <= a {
        return Err(inv.error_at(
            "period",
            format!(
                "the accounting period {} to {} is empty",
                time::format(a),
                time::format(b)
            ),
            "give an end after the start",
        ));
    }
    Ok((a, b))
}

/// The CPU usage of a job, in [0, 1]: CPU time / (elapsed x cores), 1 where not measured.
fn cpu_usage(j: &Job) -> Option<f64> {
    let e = j.elapsed_s();
    match j.cpu_time_s {
        Some(c) if e > 0.0 && j.reserved.cores > 0.0 => Some((c / (e * j.reserved.cores)).min(1.0)),
        _ => None,
    }
}

/// Assess the period.
pub fn assess(
    inv: &Inventory,
    acc: &Accounting,
    data: &ImpactData,
    opts: &Options,
) -> Result<ClusterReport> {
    let mut trail = Trail::default();
    for a in &acc.assumptions {
        trail.assume(a.clone());
    }
    for w in &acc.warnings {
        trail.warn(w.clone());
    }
    let (p0, p1) = period(inv, acc, opts, &mut trail)?;
    // a running job the scheduler gave no end (OAR's stopTime 0) runs to the period's end
    let open_ended = |j: &Job| {
        j.state == JobState::Running && j.end_s.is_none() && j.start_s.is_some_and(|a| a < p1)
    };
    let filled;
    let acc = if acc.jobs.iter().any(open_ended) {
        let mut a = acc.clone();
        for j in a.jobs.iter_mut().filter(|j| open_ended(j)) {
            j.end_s = Some(p1);
        }
        trail.assume("running jobs without an end (OAR's stopTime 0) are counted up to the end of the accounting period");
        filled = a;
        &filled
    } else {
        acc
    };
    let weights = inv.inv.share_weights.unwrap_or_else(|| {
        trail.assume("share weights: cores 1, memory 1, GPUs 1 (a job's share of a node is the mean of its reserved fractions of the resources the node has; share_weights sets them)");
        ShareWeights::EQUAL
    });
    let mut notes = Vec::new();
    let base = place::base_power(inv, &mut notes)?;
    let nodes = place::nodes(inv, &base);
    let usage = |j: usize, spec: &NodeSpec| {
        let (c, _, _) = place::per_node(acc, j, spec);
        c * cpu_usage(&acc.jobs[j]).unwrap_or(1.0)
    };
    let mut stints = place::stints(acc, inv, &nodes, (p0, p1), &weights, &usage)?;
    let mut measured = measure::measured(
        inv,
        &nodes,
        &stints,
        (p0, p1),
        opts.progress.as_ref(),
        &mut notes,
    )?;
    if let Some(p) = &inv.inv.prometheus {
        let url = opts.prometheus_url.as_deref().unwrap_or(&p.url);
        let from_prom =
            super::prometheus::measured(inv, url, &p.counters, &nodes, &stints, (p0, p1))?;
        for (n, e) in from_prom {
            if measured.contains_key(&n) {
                return Err(inv.error_at(
                    "prometheus",
                    format!(
                        "{} has traces and Prometheus counters: its energy would be counted twice",
                        nodes[n].host
                    ),
                    "keep one source per node",
                ));
            }
            notes.push(format!(
                "{}: energy from the Prometheus counters at {url}",
                nodes[n].host
            ));
            measured.insert(n, e);
        }
    } else if opts.prometheus_url.is_some() {
        return Err(inv.error_at("infrastructure", "--prometheus names a server, but the inventory lists no prometheus counters", "add prometheus: {url, counters: [{metric, host_label, component, unit}]} to the inventory"));
    }
    for n in notes {
        trail.assume(n);
    }
    // per (job, node) energy source, and the dynamic power of modelled nodes
    let mut sources: Vec<Vec<EnergySource>> = vec![Vec::new(); acc.jobs.len()];
    let (mut clamped, mut unmeasured_cpu, mut unmeasured_mem) = (0usize, 0usize, 0usize);
    for (n, list) in stints.iter_mut().enumerate() {
        let node = &nodes[n];
        let kind = &inv.inv.infrastructure[node.kind];
        for s in list.iter_mut() {
            let job = &acc.jobs[s.job];
            if measured.contains_key(&n) {
                sources[s.job].push(EnergySource::Trace);
                continue;
            }
            let elapsed = job.elapsed_s();
            let (c, m, g) = place::per_node(acc, s.job, &node.spec);
            if let Some(e) = job.consumed_energy_j {
                let per_node_w = e / job.hosts.len() as f64 / elapsed;
                let base_w = node.spec.static_w * s.share + node.spec.gpu_idle_w * g;
                if per_node_w < base_w {
                    clamped += 1;
                }
                s.dynamic_w = (per_node_w - base_w).max(0.0);
                sources[s.job].push(EnergySource::Scheduler);
                continue;
            }
            let Some(model) = &kind.energy_model else {
                let k = node.kind;
                return Err(inv.error_at(
                    &format!("infrastructure[{k}]"),
                    format!("job {} ran on {} ({}), which has no trace, no energy measured by the scheduler, and no energy_model", job.id, node.host, kind.name),
                    "give the kind an energy_model (cpu_power_w_per_core, memory_power_w_per_gb, gpu_power_w), or a trace of the host under traces",
                ));
            };
            let u = cpu_usage(job).unwrap_or_else(|| {
                unmeasured_cpu += 1;
                1.0
            });
            let mem_used = match job.memory_used_gb {
                Some(x) => x / job.hosts.len() as f64,
                None => {
                    unmeasured_mem += 1;
                    m
                }
            };
            s.dynamic_w = model.cpu_power_w_per_core * c * u
                + model.memory_power_w_per_gb * mem_used
                + model.gpu_power_w.unwrap_or(0.0) * g;
            sources[s.job].push(EnergySource::Model);
        }
    }
    if clamped > 0 {
        trail.warn(format!("{clamped} job-node stint(s) whose scheduler-measured energy is below their share of the node's base power: their dynamic energy is 0"));
    }
    if unmeasured_cpu > 0 {
        trail.assume(format!("energy model: CPU usage 1 for {unmeasured_cpu} job-node stint(s) with no measured CPU time"));
    }
    if unmeasured_mem > 0 {
        trail.assume(format!("energy model: memory used = memory reserved for {unmeasured_mem} job-node stint(s) with no measured memory"));
    }
    if sources.iter().any(|s| s.contains(&EnergySource::Scheduler)) {
        trail.assume("scheduler-measured energy (ConsumedEnergyRaw): spread evenly over the job's nodes; the job's dynamic power is its measured power minus its share of the node's base power, so that a job holding a whole node carries what was measured; on a node shared with other jobs the plugin may have counted their energy too");
    }
    // attribution, node by node
    let mut job_energy = vec![EnergyParts::default(); acc.jobs.len()];
    let mut node_reports = Vec::new();
    let mut allocated_h = vec![0.0; nodes.len()];
    for (n, list) in stints.iter().enumerate() {
        let energy = measured.get(&n).cloned().unwrap_or(NodeEnergy::Modelled);
        let r = attribute::attribute(&nodes[n].spec, (p0, p1), list, &energy);
        let gap = (r.sum_j() - r.node_j).abs();
        if gap > 1e-9 * r.node_j.abs().max(1.0) {
            return Err(Error::Internal(format!(
                "energy of {} not conserved: {} J split, {} J measured",
                nodes[n].host,
                r.sum_j(),
                r.node_j
            )));
        }
        let mut jobs_j = 0.0;
        for (s, e) in list.iter().zip(&r.stints) {
            job_energy[s.job] += EnergyParts {
                static_kwh: e.static_j / J_PER_KWH,
                gpu_idle_kwh: e.gpu_idle_j / J_PER_KWH,
                dynamic_kwh: e.dynamic_j / J_PER_KWH,
                total_kwh: e.total_j() / J_PER_KWH,
            };
            jobs_j += e.total_j();
            allocated_h[n] += s.share * (s.end_s - s.start_s) / S_PER_H;
        }
        if r.below_base_segments > 0 {
            trail.warn(format!("{}: {} segment(s) measured below the static power: their base power is scaled down to what was measured", nodes[n].host, r.below_base_segments));
        }
        node_reports.push(NodeReport {
            host: nodes[n].host.clone(),
            kind: inv.inv.infrastructure[nodes[n].kind].name.clone(),
            energy_basis: if measured.contains_key(&n) {
                "measured"
            } else {
                "modelled"
            },
            energy_kwh: r.node_j / J_PER_KWH,
            jobs_kwh: jobs_j / J_PER_KWH,
            idle_kwh: r.idle_j / J_PER_KWH,
            unreserved_gpu_kwh: r.unreserved_gpu_j / J_PER_KWH,
            unattributed_gpu_kwh: r.unattributed_gpu_j / J_PER_KWH,
            allocated_node_h: allocated_h[n],
            available_node_h: 0.0,
            below_base_segments: r.below_base_segments,
        });
    }
    finish(
        inv,
        acc,
        data,
        (p0, p1),
        &nodes,
        &stints,
        node_reports,
        job_energy,
        sources,
        trail,
    )
}

/// Electricity, embodied impacts, AUR and the report.
#[allow(clippy::too_many_arguments)]
fn finish(
    inv: &Inventory,
    acc: &Accounting,
    data: &ImpactData,
    (p0, p1): (f64, f64),
    nodes: &[Node],
    stints: &[Vec<Stint>],
    mut node_reports: Vec<NodeReport>,
    job_energy: Vec<EnergyParts>,
    sources: Vec<Vec<EnergySource>>,
    mut trail: Trail,
) -> Result<ClusterReport> {
    let view = scenario_view(inv)?;
    let tape = Tape::off();
    let pue_v = crate::electricity::pue(&view, &tape);
    let el = crate::electricity::electricity(&view, data, &mut trail, &tape, pue_v, None)?;
    // the cluster's reports have no "not assessed" column yet: every criterion needs a factor
    if let Some(c) = Criterion::ALL
        .into_iter()
        .find(|c| el.not_assessed.reason(*c).is_some())
    {
        return Err(view.error_at(
            "electricity",
            format!(
                "{} not assessed: {}",
                c.label(),
                el.not_assessed.reason(c).unwrap_or_default()
            ),
            Some("a cluster report needs the GWP, ADP and PE factors of the electricity: give all three in electricity.factors, or name a country whose mix has them".into()),
        ));
    }
    let per_kwh = el.per_kwh.intervals();
    let pue = el.pue.interval();
    let use_of = |kwh: f64| -> Impacts { per_kwh.times(pue.scale(kwh)) };
    // embodied per kind, AUR
    let mut kinds = Vec::new();
    let mut kind_node_embodied = Vec::new();
    let mut kind_aur = Vec::new();
    let mut kind_lifetime = Vec::new();
    for (k, kind) in inv.inv.infrastructure.iter().enumerate() {
        let g = crate::embodied::of_group(
            &view,
            data,
            &view.scenario.infrastructure[k],
            k,
            &mut trail,
            &tape,
        )?;
        let per_node = g.node_total.intervals();
        let lifetime_h = kind.lifetime_years.0.scale(HOURS_PER_YEAR);
        let bought = time::parse(kind.purchase_date.as_bytes()).map_or(p0, |t| t.since(0));
        let life_end = bought + lifetime_h.value * S_PER_H;
        let hosts: Vec<usize> = (0..nodes.len()).filter(|&n| nodes[n].kind == k).collect();
        let avail_each = ((p1.min(life_end) - p0.max(bought)).max(0.0)) / S_PER_H;
        if avail_each <= 0.0 {
            trail.warn(format!(
                "{}: the accounting period lies outside the nodes' life (bought {}, {} years): no job carries their embodied impacts",
                kind.name,
                kind.purchase_date,
                num(kind.lifetime_years.0.value)
            ));
        }
        let available: f64 = avail_each * hosts.len() as f64;
        let allocated: f64 = hosts
            .iter()
            .map(|&n| node_reports[n].allocated_node_h)
            .sum();
        for &n in &hosts {
            node_reports[n].available_node_h = avail_each;
        }
        let measured = (available > 0.0).then(|| allocated / available);
        let (aur, basis) = match kind.active_utilization_rate {
            Some(Aur::Declared(f)) => (Some(f.0), AurBasis::Declared),
            Some(Aur::Measured) | None => {
                if kind.active_utilization_rate.is_none() {
                    trail.assume(format!("{}: active utilization rate measured from the accounting (allocated / available node-hours), as no rate is declared", kind.name));
                }
                match measured {
                    Some(m) if m > 0.0 => (Some(Interval::exact(m)), AurBasis::Measured),
                    Some(_) => {
                        trail.warn(format!("{}: no node-hour allocated in the period: its AUR is 0 and no job carries its embodied impacts", kind.name));
                        (None, AurBasis::Measured)
                    }
                    None => (None, AurBasis::Measured),
                }
            }
        };
        let of_period = per_node
            .scale(available)
            .times(Interval::exact(1.0).over(lifetime_h));
        kinds.push(KindReport {
            name: kind.name.clone(),
            nodes: hosts.len(),
            embodied_per_node: per_node,
            lifetime_h,
            available_node_h: available,
            allocated_node_h: allocated,
            measured_active_utilization_rate: measured,
            active_utilization_rate: aur,
            aur_basis: basis,
            static_power_w: nodes.get(hosts[0]).map_or(0.0, |n| n.spec.static_w),
            gpu_idle_power_w: nodes.get(hosts[0]).map_or(0.0, |n| n.spec.gpu_idle_w),
            embodied_of_period: of_period,
            embodied_to_jobs: Impacts::ZERO,
        });
        kind_node_embodied.push(per_node);
        kind_aur.push(aur);
        kind_lifetime.push(lifetime_h);
    }
    // each job's embodied share
    let mut job_embodied = vec![Impacts::ZERO; acc.jobs.len()];
    for (n, list) in stints.iter().enumerate() {
        let k = nodes[n].kind;
        for s in list {
            let held_h = Interval::exact(s.share * (s.end_s - s.start_s) / S_PER_H);
            // a kind outside its life in the period (or never allocated) carries nothing
            let Some(aur) = kind_aur[k] else { continue };
            if held_h.value <= 0.0 {
                continue;
            }
            let f = allocation_share(held_h, aur, kind_lifetime[k]);
            let e = kind_node_embodied[k].times(f);
            job_embodied[s.job] = job_embodied[s.job] + e;
            kinds[k].embodied_to_jobs = kinds[k].embodied_to_jobs + e;
        }
    }
    let mut jobs = Vec::with_capacity(acc.jobs.len());
    let mut totals_use = Impacts::ZERO;
    for (i, j) in acc.jobs.iter().enumerate() {
        let e = job_energy[i];
        let u = use_of(e.total_kwh);
        totals_use = totals_use + u;
        let src = &sources[i];
        let source = match src.first() {
            None => EnergySource::None,
            Some(f) if src.iter().all(|s| s == f) => *f,
            Some(_) => EnergySource::Mixed,
        };
        let clip = |t: Option<f64>, lo: f64, hi: f64| t.map(|t| t.clamp(lo, hi));
        let held = match (clip(j.start_s, p0, p1), clip(j.end_s, p0, p1)) {
            (Some(a), Some(b)) if j.ran() => (b - a) / S_PER_H,
            _ => 0.0,
        };
        jobs.push(JobReport {
            id: j.id.clone(),
            array: j.array.clone(),
            user: j.user.clone(),
            account: j.account.clone(),
            partition: j.partition.clone(),
            state: j.state,
            state_text: j.state_text.clone(),
            start: j.start_s.map(time::format),
            end: j.end_s.map(time::format),
            month: j.start_s.map(|t| time::format(t)[..7].to_string()),
            elapsed_h: held,
            hosts: j.hosts.clone(),
            cores: j.reserved.cores,
            memory_gb: j.reserved.memory_gb,
            gpus: j.reserved.gpus,
            energy_source: source,
            energy: e,
            use_impacts: u,
            embodied: job_embodied[i],
            total: u + job_embodied[i],
        });
    }
    let energy: f64 = node_reports.iter().map(|n| n.energy_kwh).sum();
    let jobs_kwh: f64 = node_reports.iter().map(|n| n.jobs_kwh).sum();
    let idle: f64 = node_reports
        .iter()
        .map(|n| n.idle_kwh + n.unreserved_gpu_kwh + n.unattributed_gpu_kwh)
        .sum();
    let running = acc
        .jobs
        .iter()
        .filter(|j| j.state == super::job::JobState::Running)
        .count();
    if running > 0 {
        trail.warn(format!("{running} job(s) still running when the accounting was written: counted up to their start + elapsed"));
    }
    let never = acc.jobs.iter().filter(|j| !j.ran()).count();
    if never > 0 {
        trail.assume(format!("{never} job(s) never held a node (pending, or cancelled before they started): listed with no impact"));
    }
    let in_period = stints.iter().map(Vec::len).sum::<usize>();
    if in_period == 0 {
        trail.warn(format!(
            "no job ran in the accounting period {} to {}: every node's energy is idle overhead",
            time::format(p0),
            time::format(p1)
        ));
    }
    trail.assume("a job's month is that of its start; a job crossing the period's ends counts for its part inside");
    trail.assume("times of the accounting and of the traces are read as written (the scheduler's local time): they must be on the same clock");
    let totals = Totals {
        jobs: acc.jobs.len(),
        jobs_run: acc.jobs.iter().filter(|j| j.ran()).count(),
        energy_kwh: energy,
        jobs_kwh,
        idle_overhead_kwh: idle,
        use_impacts: use_of(energy),
        jobs_use: totals_use,
        idle_overhead_use: use_of(idle),
        embodied_of_period: kinds.iter().map(|k| k.embodied_of_period).sum(),
        embodied_to_jobs: kinds.iter().map(|k| k.embodied_to_jobs).sum(),
    };
    Ok(ClusterReport {
        mlca_version: env!("CARGO_PKG_VERSION"),
        cluster: inv.inv.name.clone(),
        inventory: inv.file.display().to_string(),
        accounting: acc.file.display().to_string(),
        scheduler: acc.scheduler,
        period: PeriodReport {
            start: time::format(p0),
            end: time::format(p1),
            duration_h: (p1 - p0) / S_PER_H,
        },
        electricity: el.report(),
        kinds,
        nodes: node_reports,
        jobs,
        totals,
        assumptions: trail.assumptions.into(),
        warnings: trail.warnings.into(),
        sources: trail.sources.into_values().collect(),
    })
}
