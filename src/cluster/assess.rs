//! A cluster's accounting period assessed: every job's energy (measured by the nodes' traces,
//! by the scheduler, or modelled), attributed with the nodes' static and GPU idle power and
//! the idle overhead; its use impacts (E x PUE x electricity factors) and its share of its
//! nodes' embodied impacts (reserved fraction x time / (AUR x lifetime), the AUR measured from
//! the accounting unless declared).

use super::attribute::{self, NodeEnergy, NodeSpec, Stint};
use super::inventory::{Aur, Inventory, ShareWeights};
use super::job::{Job, JobState};
use super::place;
use super::report::*;
use super::{measure, Accounting, Progress};
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
            name: k.name.as_str().into(),
            nodes: Count(1),
            catalog: k.catalog.clone(),
            instance: None,
            bom: k.bom.clone(),
            embodied: k.embodied.clone(),
            texts: Default::default(),
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
    let ran = (0..acc.jobs.len())
        .filter(|&i| acc.ran(i))
        .map(|i| &acc.jobs[i]);
    let first = ran.clone().filter_map(Job::start_s).min_by(f64::total_cmp);
    let last = ran.filter_map(Job::end_s).max_by(f64::total_cmp);
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
    match j.cpu_time_s() {
        Some(c) if e > 0.0 && j.reserved.cores > 0.0 => Some((c / (e * j.reserved.cores)).min(1.0)),
        _ => None,
    }
}

/// Assess the period. The report keeps the accounting (its jobs' rows are computed when
/// written).
pub fn assess(
    inv: &Inventory,
    mut acc: Accounting,
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
    let (p0, p1) = period(inv, &acc, opts, &mut trail)?;
    // a running job the scheduler gave no end (OAR's stopTime 0) runs to the period's end
    let open_ended = |j: &Job| {
        j.labels.state == JobState::Running
            && j.end_s().is_none()
            && j.start_s().is_some_and(|a| a < p1)
    };
    if acc.jobs.iter().any(open_ended) {
        for j in acc.jobs.iter_mut().filter(|j| open_ended(j)) {
            j.set_end_s(p1);
        }
        trail.assume("running jobs without an end (OAR's stopTime 0) are counted up to the end of the accounting period");
    }
    let acc = acc;
    let weights = inv.inv.share_weights.unwrap_or_else(|| {
        trail.assume("share weights: cores 1, memory 1, GPUs 1 (a job's share of a node is the mean of its reserved fractions of the resources the node has; share_weights sets them)");
        ShareWeights::EQUAL
    });
    let mut notes = Vec::new();
    let base = place::base_power(inv, &mut notes)?;
    let nodes = place::nodes(inv, &base);
    let usage = |j: usize, spec: &NodeSpec| {
        let (c, _, _) = place::per_node(&acc, j, spec);
        c * cpu_usage(&acc.jobs[j]).unwrap_or(1.0)
    };
    let node_of = place::node_of(&acc, &nodes);
    let by_node = place::jobs_by_node(&acc, inv, &node_of, nodes.len(), (p0, p1))?;
    let stints_of =
        |n: usize| place::stints(&acc, &nodes[n], &by_node[n], (p0, p1), &weights, &usage);
    for (n, node) in nodes.iter().enumerate() {
        place::check_capacity(&acc, node, &stints_of(n))?;
    }
    // the stints of every node are kept only where energy is measured (traces, Prometheus):
    // elsewhere each node's are made when it is attributed
    let measuring = !inv.inv.traces.is_empty() || inv.inv.prometheus.is_some();
    let all: Vec<Vec<Stint>> = if measuring {
        (0..nodes.len()).map(stints_of).collect()
    } else {
        Vec::new()
    };
    let mut measured = if inv.inv.traces.is_empty() {
        Default::default()
    } else {
        measure::measured(
            inv,
            &nodes,
            &all,
            (p0, p1),
            opts.progress.as_ref(),
            &mut notes,
        )?
    };
    if let Some(p) = &inv.inv.prometheus {
        let url = opts.prometheus_url.as_deref().unwrap_or(&p.url);
        let from_prom = super::prometheus::measured(inv, url, p, &nodes, &all, (p0, p1))?;
        for (n, (e, what)) in from_prom {
            if measured.contains_key(&n) {
                return Err(inv.error_at(
                    "prometheus",
                    format!(
                        "{} has traces and Prometheus {what}: its energy would be counted twice",
                        nodes[n].host
                    ),
                    "keep one source per node",
                ));
            }
            notes.push(format!(
                "{}: energy from the Prometheus {what} at {url}",
                nodes[n].host
            ));
            measured.insert(n, e);
        }
    } else if opts.prometheus_url.is_some() {
        return Err(inv.error_at("infrastructure", "--prometheus names a server, but the inventory lists no prometheus counters or gauges", "add prometheus: {url, counters: [{metric, host_label, component, unit}]} or {url, gauges: [{metric, host_label, component, unit, interval_s}]} to the inventory"));
    }
    for n in notes {
        trail.assume(n);
    }
    // node by node: each (job, node)'s energy source and the dynamic power of modelled nodes,
    // then the attribution
    let mut sources = vec![EnergySource::None; acc.jobs.len()];
    let mut any_scheduler = false;
    let (mut clamped, mut unmeasured_cpu, mut unmeasured_mem) = (0usize, 0usize, 0usize);
    let mut job_energy = vec![EnergyParts::default(); acc.jobs.len()];
    let mut node_reports = Vec::with_capacity(nodes.len());
    let mut below_base = Vec::new();
    let mut in_period = 0usize;
    let mut per_gpu_nodes = 0usize;
    let mut all = all.into_iter();
    for (n, node) in nodes.iter().enumerate() {
        let mut list = match all.next() {
            Some(l) => l,
            None => stints_of(n),
        };
        in_period += list.len();
        let kind = &inv.inv.infrastructure[node.kind];
        for s in list.iter_mut() {
            let job = &acc.jobs[s.job];
            let src = if measured.contains_key(&n) {
                EnergySource::Trace
            } else if let Some(e) = job.consumed_energy_j() {
                let elapsed = job.elapsed_s();
                let (_, _, g) = place::per_node(&acc, s.job, &node.spec);
                let per_node_w = e / acc.hosts(s.job).len() as f64 / elapsed;
                let base_w = node.spec.static_w * s.share + node.spec.gpu_idle_w * g;
                if per_node_w < base_w {
                    clamped += 1;
                }
                s.dynamic_w = (per_node_w - base_w).max(0.0);
                any_scheduler = true;
                EnergySource::Scheduler
            } else {
                let Some(model) = &kind.energy_model else {
                    let k = node.kind;
                    return Err(inv.error_at(
                        &format!("infrastructure[{k}]"),
                        format!("job {} ran on {} ({}), which has no trace, no energy measured by the scheduler, and no energy_model", acc.id(s.job), node.host, kind.name),
                        "give the kind an energy_model (cpu_power_w_per_core, memory_power_w_per_gb, gpu_power_w), or a trace of the host under traces",
                    ));
                };
                let (c, m, g) = place::per_node(&acc, s.job, &node.spec);
                let u = cpu_usage(job).unwrap_or_else(|| {
                    unmeasured_cpu += 1;
                    1.0
                });
                let mem_used = match job.memory_used_gb() {
                    Some(x) => x / acc.hosts(s.job).len() as f64,
                    None => {
                        unmeasured_mem += 1;
                        m
                    }
                };
                s.dynamic_w = model.cpu_power_w_per_core * c * u
                    + model.memory_power_w_per_gb * mem_used
                    + model.gpu_power_w.unwrap_or(0.0) * g;
                EnergySource::Model
            };
            // a job's source: its nodes' when they agree, else mixed
            let cur = &mut sources[s.job];
            *cur = match *cur {
                EnergySource::None => src,
                c if c == src => c,
                _ => EnergySource::Mixed,
            };
        }
        let energy = measured.remove(&n).unwrap_or(NodeEnergy::Modelled);
        if matches!(&energy, NodeEnergy::Measured { gpu_by_index, .. } if !gpu_by_index.is_empty())
        {
            per_gpu_nodes += 1;
        }
        let is_measured = matches!(energy, NodeEnergy::Measured { .. });
        let r = attribute::attribute(&node.spec, (p0, p1), &list, &energy);
        let gap = (r.sum_j() - r.node_j).abs();
        if gap > 1e-9 * r.node_j.abs().max(1.0) {
            return Err(Error::Internal(format!(
                "energy of {} not conserved: {} J split, {} J measured",
                node.host,
                r.sum_j(),
                r.node_j
            )));
        }
        let mut jobs_j = 0.0;
        let mut allocated_h = 0.0;
        for (s, e) in list.iter().zip(&r.stints) {
            job_energy[s.job] += EnergyParts {
                static_kwh: e.static_j / J_PER_KWH,
                gpu_idle_kwh: e.gpu_idle_j / J_PER_KWH,
                dynamic_kwh: e.dynamic_j / J_PER_KWH,
                total_kwh: e.total_j() / J_PER_KWH,
            };
            jobs_j += e.total_j();
            allocated_h += s.share * (s.end_s - s.start_s) / S_PER_H;
        }
        if r.below_base_segments > 0 {
            below_base.push(format!("{}: {} segment(s) measured below the static power: their base power is scaled down to what was measured", node.host, r.below_base_segments));
        }
        node_reports.push(NodeReport {
            host: node.host.clone(),
            kind: kind.name.clone(),
            energy_basis: if is_measured { "measured" } else { "modelled" },
            energy_kwh: r.node_j / J_PER_KWH,
            jobs_kwh: jobs_j / J_PER_KWH,
            idle_kwh: r.idle_j / J_PER_KWH,
            unreserved_gpu_kwh: r.unreserved_gpu_j / J_PER_KWH,
            unattributed_gpu_kwh: r.unattributed_gpu_j / J_PER_KWH,
            allocated_node_h: allocated_h,
            available_node_h: 0.0,
            below_base_segments: r.below_base_segments,
        });
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
    if any_scheduler {
        trail.assume("scheduler-measured energy (ConsumedEnergyRaw): spread evenly over the job's nodes; the job's dynamic power is its measured power minus its share of the node's base power, so that a job holding a whole node carries what was measured; on a node shared with other jobs the plugin may have counted their energy too");
    }
    for w in below_base {
        trail.warn(w);
    }
    let named = acc.gpu_indexes.len();
    if named > 0 && per_gpu_nodes > 0 {
        trail.assume(format!("GPU dynamic energy on the {per_gpu_nodes} node(s) traced per GPU: each GPU's to the job holding it, for the {named} job(s) whose AllocTRES names their GPU indexes (gres/gpu=N(IDX:...), the same indexes on each of their nodes); in a segment where a running job holding GPUs names none, shared by GPU count"));
    }
    let basis = EmbodiedBasis {
        nodes,
        node_of,
        weights,
        per_node: Vec::new(),
        aur: Vec::new(),
        lifetime_h: Vec::new(),
    };
    finish(
        inv,
        acc,
        data,
        (p0, p1),
        basis,
        &by_node,
        in_period,
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
    acc: Accounting,
    data: &ImpactData,
    (p0, p1): (f64, f64),
    mut basis: EmbodiedBasis,
    by_node: &[Vec<u32>],
    in_period: usize,
    mut node_reports: Vec<NodeReport>,
    job_energy: Vec<EnergyParts>,
    sources: Vec<EnergySource>,
    mut trail: Trail,
) -> Result<ClusterReport> {
    let view = scenario_view(inv)?;
    let tape = Tape::off();
    let pue_v = crate::electricity::pue(&view, &tape);
    let el = crate::electricity::electricity(&view, data, &mut trail, &tape, pue_v, None)?;
    // the cluster's reports have no "not assessed" column yet: GWP, ADP and PE need a factor;
    // water is a partial sum (the electricity's water where the data has it, the GPUs'
    // manufacture), its coverage said
    if let Some(why) = el.not_assessed.reason(Criterion::Water) {
        trail.assume(format!(
            "water of the cluster: a partial sum, on-site water (WUE) not covered; {why}"
        ));
    }
    if let Some(c) = Criterion::ALL
        .into_iter()
        .filter(|c| *c != Criterion::Water)
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
    let nodes = &basis.nodes;
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
    basis.per_node = kind_node_embodied;
    basis.aur = kind_aur;
    basis.lifetime_h = kind_lifetime;
    // what the jobs carry of each kind's embodied impacts, stint by stint in the nodes' order
    for (n, list) in by_node.iter().enumerate() {
        let node = &basis.nodes[n];
        for &j in list {
            let j = j as usize;
            let job = &acc.jobs[j];
            let (Some(a), Some(b)) = (job.start_s(), job.end_s()) else {
                continue;
            };
            let (c, m, g) = place::per_node(&acc, j, &node.spec);
            let share = attribute::share(&node.spec, c, m, g, &basis.weights);
            let held_s = b.min(p1) - a.max(p0);
            if let Some(e) = basis.of_stint(node.kind, share, held_s) {
                kinds[node.kind].embodied_to_jobs += e;
            }
        }
    }
    let jobs = JobTable {
        acc,
        energy: job_energy,
        source: sources,
        period: (p0, p1),
        per_kwh,
        pue,
        basis,
    };
    let mut totals_use = Impacts::ZERO;
    for e in &jobs.energy {
        totals_use += use_of(e.total_kwh);
    }
    let acc = &jobs.acc;
    let energy: f64 = node_reports.iter().map(|n| n.energy_kwh).sum();
    let jobs_kwh: f64 = node_reports.iter().map(|n| n.jobs_kwh).sum();
    let idle: f64 = node_reports
        .iter()
        .map(|n| n.idle_kwh + n.unreserved_gpu_kwh + n.unattributed_gpu_kwh)
        .sum();
    let running = acc
        .jobs
        .iter()
        .filter(|j| j.labels.state == super::job::JobState::Running)
        .count();
    if running > 0 {
        trail.warn(format!("{running} job(s) still running when the accounting was written: counted up to their start + elapsed"));
    }
    let never = (0..acc.jobs.len()).filter(|&i| !acc.ran(i)).count();
    if never > 0 {
        trail.assume(format!("{never} job(s) never held a node (pending, or cancelled before they started): listed with no impact"));
    }
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
        jobs_run: (0..acc.jobs.len()).filter(|&i| acc.ran(i)).count(),
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
