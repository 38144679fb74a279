//! The assessment of one functional unit (FU):
//!
//! - use = E x PUE x F_elec / count, with E the IT energy of the run (kWh) and F_elec the
//!   electricity factors (per kWh) of each criterion;
//! - embodied = sum over node kinds of nodes x I_node x min(1, T_FU / (AUR x L)) / count, with
//!   T_FU the run's duration, AUR the active utilization rate and L the lifetime (h);
//! - total = use + embodied.
//!
//! Every quantity is an [`Interval`]; bounds are propagated at the monotone extremes of inputs.

use crate::data::ImpactData;
use crate::embodied::{Component, Embodied, SourceRef, Trail};
use crate::error::{Error, Result};
use crate::impacts::{Criterion, Impacts};
use crate::interval::Interval;
use crate::scenario::{ComponentKind, Loaded, NodeGroup, Scenario};
use crate::trace::integrate::GapPolicy;
use crate::units::{energy_kwh, HOURS_PER_YEAR};
use serde::Serialize;

/// The result of `mlca assess`: the JSON contract of README.md, "JSON output".
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mlca_version: String,
    pub impact_data_version: String,
    pub scenario: String,
    pub functional_unit: FunctionalUnitReport,
    pub duration_h: Interval,
    pub energy_kwh: Interval,
    pub energy: EnergyReport,
    pub electricity: ElectricityReport,
    pub allocation: AllocationReport,
    pub impacts: PhaseImpacts,
    pub breakdown: Vec<BreakdownRow>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: Vec<SourceRef>,
    /// With `--samples`: the Monte Carlo statistics and the sensitivity ranking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<crate::uncertainty::MonteCarlo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FunctionalUnitReport {
    pub name: String,
    pub description: Option<String>,
    pub quality_metric: Option<String>,
    pub quality_target: Option<f64>,
    pub quality_reached: Option<f64>,
    pub count: u32,
    pub training_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnergyReport {
    /// declared | tdp | measured
    pub method: String,
    /// Per component kind (kWh over the run).
    pub components: Vec<EnergyComponent>,
    /// The traces a measured energy comes from.
    pub traces: Vec<TraceUse>,
    /// The phases an extrapolated energy comes from.
    pub extrapolation: Vec<ExtrapolationUse>,
}

/// One extrapolated phase, as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct ExtrapolationUse {
    pub name: String,
    /// Where the points (or the published fit) come from.
    pub source: String,
    pub points: usize,
    pub measured_steps: Option<[f64; 2]>,
    pub intercept_kwh: f64,
    pub slope_kwh_per_step: f64,
    pub r2: Option<f64>,
    pub prediction: crate::extrapolate::Prediction,
}

/// A trace used by the assessment, as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct TraceUse {
    pub file: String,
    pub format: String,
    pub node: Option<String>,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    /// total | dynamic
    pub energy_basis: String,
    pub energy_kwh: Interval,
    pub total_energy_kwh: Interval,
    pub dynamic_energy_kwh: Option<Interval>,
    pub duration_s: f64,
    pub devices: usize,
    pub gaps: usize,
    pub gap_policy: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnergyComponent {
    pub component: String,
    pub name: String,
    pub energy_kwh: Interval,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElectricityReport {
    /// Country code, or "scenario" for factors given in the scenario.
    pub location: String,
    pub gwp_kgco2eq_per_kwh: Interval,
    pub adp_kgsbeq_per_kwh: Interval,
    pub pe_mj_per_kwh: Interval,
    pub pue: Interval,
}

#[derive(Debug, Clone, Serialize)]
pub struct AllocationReport {
    pub lifetime_h: Interval,
    pub active_utilization_rate: Interval,
    /// T_FU / (AUR x lifetime), capped at 1, for the whole run (before dividing by count).
    pub share_of_node_life: Interval,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseImpacts {
    #[serde(rename = "use")]
    pub use_phase: Impacts,
    pub embodied: Impacts,
    pub total: Impacts,
}

impl PhaseImpacts {
    /// The three phases with their names, in report order.
    pub fn phases(&self) -> [(&'static str, &Impacts); 3] {
        [
            ("use", &self.use_phase),
            ("embodied", &self.embodied),
            ("total", &self.total),
        ]
    }

    /// The impacts of the phase named `phase` (use, embodied or total).
    pub fn phase(&self, phase: &str) -> &Impacts {
        match phase {
            "use" => &self.use_phase,
            "embodied" => &self.embodied,
            _ => &self.total,
        }
    }
}

impl Report {
    /// With a Monte Carlo run: (phase, criterion, its statistics, its deterministic interval)
    /// for each impact, in report order.
    pub fn mc_rows(&self) -> Vec<(&'static str, Criterion, &crate::mc::Stats, Interval)> {
        let Some(mc) = &self.monte_carlo else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (phase, imp) in self.impacts.phases() {
            for c in Criterion::ALL {
                if let Some(st) = mc.impacts.get(phase).and_then(|m| m.get(c.key())) {
                    out.push((phase, c, st, imp.get(c)));
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownRow {
    /// "node" (one row per node kind) or "component" (one row per line of its bill of materials).
    pub level: String,
    pub node: String,
    pub component: String,
    pub name: String,
    /// Units of the component in one node, or number of nodes for a node row.
    pub units: u32,
    /// Manufacture impacts: of the component's units in one node, or of one node.
    pub manufacture: Impacts,
    /// Share allocated to one functional unit (all nodes of the kind).
    pub per_fu: Impacts,
}

struct GroupEmbodied {
    components: Vec<Component>,
    node_total: Impacts,
}

fn embodied_of_group(
    loaded: &Loaded,
    data: &ImpactData,
    g: &NodeGroup,
    i: usize,
    trail: &mut Trail,
) -> Result<GroupEmbodied> {
    let base = format!("infrastructure[{i}]");
    let set = [
        g.catalog.is_some(),
        g.bom.is_some() && g.catalog.is_none(),
        g.embodied.is_some(),
    ];
    if g.embodied.is_some() && (g.catalog.is_some() || g.bom.is_some()) {
        return Err(loaded.error_at(
            &format!("{base}.embodied"),
            "a node kind gives `embodied` totals and also a `catalog` or `bom`",
            Some("keep `embodied` to allocate another study's totals, or remove it to compute them from the bill of materials".into()),
        ));
    }
    if !set.iter().any(|b| *b) {
        return Err(loaded.error_at(
            &base,
            format!("node kind \"{}\" has no hardware", g.name),
            Some("give `catalog: NAME` (see `mlca hardware list --kind node`), a `bom`, or `embodied` totals".into()),
        ));
    }
    if let Some(e) = &g.embodied {
        trail.cite_text(format!("scenario: {}", g.name), &e.source);
        trail.assume(format!(
            "node \"{}\": embodied impacts given in the scenario ({}), allocated without recomputing",
            g.name, e.source
        ));
        let node_total = Impacts {
            gwp: e.gwp_kgco2eq.param(&format!("{base}.embodied.gwp_kgco2eq")),
            adp: e.adp_kgsbeq.param(&format!("{base}.embodied.adp_kgsbeq")),
            pe: e.pe_mj.param(&format!("{base}.embodied.pe_mj")),
        };
        let components = vec![Component {
            component: "node".into(),
            name: format!("{} (given totals)", g.name),
            units: 1,
            manufacture: node_total,
        }];
        return Ok(GroupEmbodied {
            components,
            node_total,
        });
    }
    let method = loaded
        .scenario
        .embodied_method
        .unwrap_or(crate::embodied::EmbodiedMethod::Boavizta25);
    let mut em = Embodied::with_method(data, method);
    let components = if let Some(cat) = &g.catalog {
        let node = data
            .find_node(cat)
            .map_err(|e| loaded.locate_error(e, &format!("{base}.catalog")))?;
        em.trail.cite(data, &node.source_id);
        for a in &node.assumptions {
            em.trail.assume(a.clone());
        }
        for n in &node.not_included {
            em.trail.assume(format!("{}: not included: {n}", node.name));
        }
        let over = g.bom.clone().unwrap_or_default();
        let bom = node.bom.overridden_by(&over);
        let path_of = |list: &str| -> String {
            let given = match list {
                "cpus" => over.cpus.is_some(),
                "gpus" => over.gpus.is_some(),
                "ram" => over.ram.is_some(),
                "ssd" => over.ssd.is_some(),
                _ => false,
            };
            if given {
                format!("{base}.bom.{list}")
            } else {
                format!("{base}.catalog")
            }
        };
        em.bom(&bom, &path_of)
    } else {
        let bom = g.bom.clone().unwrap_or_default();
        em.bom(&bom, &|list: &str| format!("{base}.bom.{list}"))
    }
    .map_err(|e| locate_field(loaded, e))?;
    for a in em.trail.assumptions.drain(..) {
        trail.assume(a);
    }
    for w in em.trail.warnings.drain(..) {
        trail.warn(w);
    }
    trail.sources.append(&mut em.trail.sources);
    if components.is_empty() {
        return Err(loaded.error_at(
            &format!("{base}.bom"),
            format!("node kind \"{}\" has an empty bill of materials", g.name),
            None,
        ));
    }
    let node_total = components.iter().map(|c| c.manufacture).sum();
    Ok(GroupEmbodied {
        components,
        node_total,
    })
}

/// Locate an error that names its field path.
fn locate_field(loaded: &Loaded, e: Error) -> Error {
    match e {
        Error::Input(d) if d.file.is_none() => {
            let path = d.field.clone().unwrap_or_default();
            loaded.error_at(&path, d.message.clone(), d.hint.clone())
        }
        e => e,
    }
}

/// The run's duration as the scenario gives it (`run.duration_h`), if it does.
fn run_duration(loaded: &Loaded) -> Option<Interval> {
    loaded.scenario.run.as_ref().map(|r| r.duration_h.0)
}

fn energy(
    loaded: &Loaded,
    data: &ImpactData,
    trail: &mut Trail,
    run_d: Option<Interval>,
) -> Result<(Interval, EnergyReport, Option<Interval>)> {
    let s = &loaded.scenario;
    let given = [
        s.energy.declared_kwh.is_some(),
        s.energy.tdp.is_some(),
        s.energy.traces.is_some(),
        s.energy.extrapolated.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if given > 1 {
        return Err(loaded.error_at(
            "energy",
            "energy is given more than once",
            Some("keep one of energy.declared_kwh, energy.tdp and energy.traces".into()),
        ));
    }
    if let Some(traces) = &s.energy.traces {
        let (e, r) = measured(loaded, traces, trail)?;
        return Ok((e, r, None));
    }
    if let Some(x) = &s.energy.extrapolated {
        return extrapolated(loaded, x, trail);
    }
    match (&s.energy.declared_kwh, &s.energy.tdp) {
        (Some(e), None) => {
            trail.assume("energy: declared in the scenario (IT equipment, before PUE)".to_string());
            Ok((e.param("energy.declared_kwh"), EnergyReport { method: "declared".into(), components: vec![], traces: vec![], extrapolation: vec![] }, None))
        }
        (None, Some(decls)) if !decls.is_empty() => {
            let duration = run_d.ok_or_else(|| {
                loaded.error_at("run", "energy.tdp needs the run's duration", Some("give run.duration_h".into()))
            })?;
            let mut comps = Vec::new();
            for (i, d) in decls.iter().enumerate() {
                let path = format!("energy.tdp[{i}]");
                let name = d.name.clone().unwrap_or_else(|| d.component.key().to_string());
                let power_w = if d.component == ComponentKind::Memory {
                    let cap = d.capacity_gb.ok_or_else(|| {
                        loaded.error_at(&path, "a memory power declaration needs capacity_gb", Some("give capacity_gb (all nodes) and, optionally, power_w_per_gb".into()))
                    })?;
                    let per_gb = match d.power_w_per_gb {
                        Some(p) => p.param(&format!("{path}.power_w_per_gb")),
                        None => {
                            let dv = data.default("memory.power_per_gb")?.clone();
                            trail.cite(data, &dv.source_id);
                            trail.assume(format!("{path}: memory power not given: default {} W/GB [{}]", dv.value, dv.source_id));
                            dv.interval()
                        }
                    };
                    cap.param(&format!("{path}.capacity_gb")).times(per_gb)
                } else {
                    let (Some(tdp), Some(usage)) = (d.tdp_w, d.usage) else {
                        return Err(loaded.error_at(&path, format!("a {} power declaration needs tdp_w and usage", d.component.key()), Some("give tdp_w (W per unit) and usage (mean fraction of TDP, in (0, 1])".into())));
                    };
                    tdp.param(&format!("{path}.tdp_w")).times(usage.param(&format!("{path}.usage"))).scale(d.units.0 as f64)
                };
                let e = power_w.times(duration).map_monotone(|x| energy_kwh(x, 1.0));
                comps.push(EnergyComponent { component: d.component.key().into(), name, energy_kwh: e });
            }
            trail.assume("energy: TDP x usage x units x duration per component (Green Algorithms style), memory at W/GB x GB".to_string());
            let total = comps.iter().map(|c| c.energy_kwh).sum();
            Ok((total, EnergyReport { method: "tdp".into(), components: comps, traces: vec![], extrapolation: vec![] }, None))
        }
        (None, None) | (None, Some(_)) => Err(loaded.error_at(
            "energy",
            "no energy given",
            Some("give energy.declared_kwh (kWh of the whole run), energy.tdp (a list of power declarations) or energy.traces (measured files)".into()),
        )),
        (Some(_), Some(_)) => Err(loaded.error_at(
            "energy",
            "energy is given twice (declared_kwh and tdp)",
            Some("keep one of energy.declared_kwh and energy.tdp".into()),
        )),
    }
}

/// How to read the trace `t` of a scenario (its window, training log, idle segment, gap policy,
/// format options); errors are located at `path` (`energy.traces[i]`).
pub fn trace_options(
    loaded: &Loaded,
    t: &crate::scenario::TraceRef,
    path: &str,
) -> Result<crate::trace::TraceOptions> {
    use crate::trace::{self, TraceOptions};
    let dir = loaded
        .file
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let at = |field: &str, e: Error| loaded.locate_error(e, &format!("{path}.{field}"));
    let time = |v: &Option<crate::scenario::TimeText>,
                field: &str|
     -> Result<Option<crate::trace::time::Stamp>> {
        v.as_ref()
            .map(|x| trace::parse_time(&x.0, field).map_err(|e| at(field, e)))
            .transpose()
    };
    let mut opts = TraceOptions {
        format: t.input_format,
        start: time(&t.start, "start")?,
        end: time(&t.end, "end")?,
        gap_threshold_s: t.gap_threshold_s.map(|g| g.0.value),
        gap_policy: t.gap_policy.unwrap_or(GapPolicy::Interpolate),
        idle_power_w: t.idle_power_w.map(|w| w.0.value),
        idle_start: time(&t.idle_start, "idle_start")?,
        idle_end: time(&t.idle_end, "idle_end")?,
        generic: t.generic.clone(),
        metric: t.metric.clone(),
        rapl_max_energy_range_uj: t.rapl_max_energy_range_uj,
        columns: t.columns.clone(),
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ..TraceOptions::default()
    };
    if t.generic.is_some() && opts.format.is_none() {
        opts.format = Some(crate::trace::formats::InputFormat::Generic);
    }
    if let Some(log) = &t.training_log {
        if opts.start.is_some() || opts.end.is_some() {
            return Err(loaded.error_at(
                &format!("{path}.training_log"),
                "give either training_log or start/end, not both",
                None,
            ));
        }
        let (a, b) = trace::training_log_window(&dir.join(log))?;
        opts.start = Some(a);
        opts.end = Some(b);
    }
    Ok(opts)
}

/// Energy from measured traces: each read and integrated, their energies added.
fn measured(
    loaded: &Loaded,
    traces: &[crate::scenario::TraceRef],
    trail: &mut Trail,
) -> Result<(Interval, EnergyReport)> {
    use crate::scenario::EnergyBasis;
    use crate::trace;
    if traces.is_empty() {
        return Err(loaded.error_at(
            "energy.traces",
            "energy.traces is empty",
            Some("list at least one trace file".into()),
        ));
    }
    let dir = loaded
        .file
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let mut total = Interval::ZERO;
    let mut uses = Vec::new();
    let mut by_comp: std::collections::BTreeMap<String, Interval> =
        std::collections::BTreeMap::new();
    for (i, t) in traces.iter().enumerate() {
        let path = format!("energy.traces[{i}]");
        let at = |field: &str, e: Error| loaded.locate_error(e, &format!("{path}.{field}"));
        if let Some(n) = &t.node {
            if !loaded.scenario.infrastructure.iter().any(|g| &g.name == n) {
                let names: Vec<&str> = loaded
                    .scenario
                    .infrastructure
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect();
                return Err(loaded.error_at(
                    &format!("{path}.node"),
                    format!("no node kind named \"{n}\" in infrastructure"),
                    Some(format!("use one of: {}", names.join(", "))),
                ));
            }
        }
        let opts = trace_options(loaded, t, &path)?;
        if t.gap_policy.is_none() {
            trail.assume(format!(
                "{path}: gaps integrated across (gap_policy interpolate, the default)"
            ));
        }
        let file = dir.join(&t.file);
        let s = trace::read(&file, &opts).map_err(|e| match e {
            Error::Input(d) if d.file.is_none() => at("file", Error::Input(d)),
            e => e,
        })?;
        let idle_given = t.idle_power_w.is_some() || t.idle_start.is_some();
        let basis = match (idle_given, t.energy_basis) {
            (true, None) => {
                return Err(loaded.error_at(&format!("{path}.energy_basis"), "an idle power is given, but not which energy to use", Some("add energy_basis: total (everything drawn) or dynamic (minus idle power x duration)".into())))
            }
            (false, Some(EnergyBasis::Dynamic)) => {
                return Err(loaded.error_at(&format!("{path}.energy_basis"), "energy_basis dynamic needs an idle power", Some("give idle_power_w, or idle_start and idle_end".into())))
            }
            (_, b) => b.unwrap_or(EnergyBasis::Total),
        };
        let used = match basis {
            EnergyBasis::Dynamic => s.dynamic_energy_kwh.unwrap_or(s.energy_kwh),
            EnergyBasis::Total => s.energy_kwh,
        };
        let used = crate::mc::param(&format!("{path} energy"), used, None);
        let used = match &t.meter_factor {
            Some(f) => {
                trail.assume(format!(
                    "{path}: energy multiplied by the meter factor {}",
                    fmt_interval(f.0)
                ));
                used.times(f.param(&format!("{path}.meter_factor")))
            }
            None => used,
        };
        total = total + used;
        for (c, e) in &s.by_component {
            let share = if s.energy_kwh.value > 0.0 {
                used.value / s.energy_kwh.value
            } else {
                1.0
            };
            let add = e.scale(share);
            *by_comp.entry(c.clone()).or_insert(Interval::ZERO) =
                by_comp.get(c).copied().unwrap_or(Interval::ZERO) + add;
        }
        trail.assume(format!(
            "energy measured: {} ({}), {} device(s), {:.1} s, {} kWh ({} energy){}",
            s.file,
            s.format.key(),
            s.devices.iter().filter(|d| d.included).count(),
            s.duration_s,
            crate::report::range(used),
            if basis == EnergyBasis::Dynamic {
                "dynamic"
            } else {
                "total"
            },
            match (&s.window_start, &s.window_end) {
                (None, None) => String::new(),
                (a, b) => format!(
                    ", window {} to {}",
                    a.as_deref().unwrap_or("start"),
                    b.as_deref().unwrap_or("end")
                ),
            }
        ));
        for a in &s.assumptions {
            trail.assume(format!("{}: {a}", t.file.display()));
        }
        for w in &s.warnings {
            trail.warn(format!("{}: {w}", t.file.display()));
        }
        let run_s = run_duration(loaded).map_or(s.duration_s, |d| d.value * crate::units::S_PER_H);
        if (s.duration_s - run_s).abs() > 0.1 * run_s {
            trail.warn(format!(
                "{}: the trace covers {:.0} s but run.duration_h is {:.0} s: check the window or the duration",
                t.file.display(),
                s.duration_s,
                run_s
            ));
        }
        uses.push(TraceUse {
            file: s.file.clone(),
            format: s.format.key().to_string(),
            node: t.node.clone(),
            window_start: s.window_start.clone(),
            window_end: s.window_end.clone(),
            energy_basis: if basis == EnergyBasis::Dynamic {
                "dynamic".into()
            } else {
                "total".into()
            },
            energy_kwh: used,
            total_energy_kwh: s.energy_kwh,
            dynamic_energy_kwh: s.dynamic_energy_kwh,
            duration_s: s.duration_s,
            devices: s.devices.iter().filter(|d| d.included).count(),
            gaps: s.gaps,
            gap_policy: s.gap_policy.key().to_string(),
        });
    }
    let measured: Vec<&str> = by_comp.keys().map(String::as_str).collect();
    if !measured.contains(&"node") {
        let missing: Vec<&str> = ["gpu", "cpu", "dram"]
            .into_iter()
            .filter(|c| !measured.contains(c))
            .collect();
        if !missing.is_empty() {
            trail.warn(format!(
                "the traces measure {} only: {} and the rest of the node are not in the energy (add a trace for them, or a node-level wattmeter)",
                measured.join(", "),
                missing.join(", ")
            ));
        }
    }
    let components = by_comp
        .into_iter()
        .map(|(c, e)| EnergyComponent {
            name: c.clone(),
            component: c,
            energy_kwh: e,
        })
        .collect();
    Ok((
        total,
        EnergyReport {
            method: "measured".into(),
            components,
            traces: uses,
            extrapolation: vec![],
        },
    ))
}

/// Energy (and duration, when every phase has time points) extrapolated phase by phase.
fn extrapolated(
    loaded: &Loaded,
    x: &crate::scenario::Extrapolated,
    trail: &mut Trail,
) -> Result<(Interval, EnergyReport, Option<Interval>)> {
    use crate::extrapolate::{self as ex, Method, Target};
    let dir = loaded
        .file
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    if x.phases.is_empty() {
        return Err(loaded.error_at(
            "energy.extrapolated.phases",
            "no phase to extrapolate",
            Some("list at least one phase with target_steps and points".into()),
        ));
    }
    let eta = x.parallel_efficiency.map_or(1.0, |f| f.0.value);
    if x.parallel_efficiency.is_none() {
        trail.assume("parallel efficiency 1 (default): each of the nodes runs the target steps as the measured node did (the seed's assumption)".to_string());
    }
    let level = x.level.map_or(0.95, |l| l.0.value);
    if level >= 1.0 {
        return Err(loaded.error_at(
            "energy.extrapolated.level",
            "level 1 has no finite interval",
            Some("use e.g. 0.95".into()),
        ));
    }
    if x.level.is_none() {
        trail.assume("prediction interval level 95 % (default)".to_string());
    }
    let method = x.method.unwrap_or(Method::Ols);
    let total_nodes: u32 = loaded
        .scenario
        .infrastructure
        .iter()
        .map(|g| g.nodes.0)
        .sum();
    if total_nodes != x.nodes.0 {
        trail.warn(format!(
            "energy.extrapolated.nodes is {} but the infrastructure has {total_nodes} node(s)",
            x.nodes.0
        ));
    }
    let mut energy = Interval::ZERO;
    let mut duration = Some(Interval::ZERO);
    let mut uses = Vec::new();
    for (i, ph) in x.phases.iter().enumerate() {
        let path = format!("energy.extrapolated.phases[{i}]");
        let name = ph
            .name
            .clone()
            .unwrap_or_else(|| format!("phase {}", i + 1));
        let target = Target {
            steps: ph.target_steps.0.value,
            nodes: x.nodes.0,
            parallel_efficiency: eta,
            level,
            method,
            min_r2: x.min_r2.map_or(0.9, |r| r.0.value),
        };
        let sources = [
            ph.points.is_some(),
            ph.trace.is_some(),
            ph.codecarbon.is_some(),
            ph.fit.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if sources != 1 {
            return Err(loaded.error_at(
                &path,
                format!("phase \"{name}\" needs exactly one source of points"),
                Some("give points, trace + training_log, codecarbon + training_log, or fit".into()),
            ));
        }
        let at = |e: Error| match e {
            Error::Input(d) if d.file.is_none() => {
                loaded.error_at(&path, d.message.clone(), d.hint.clone())
            }
            e => e,
        };
        let log = || -> Result<std::path::PathBuf> {
            ph.training_log
                .as_ref()
                .map(|l| dir.join(l))
                .ok_or_else(|| {
                    loaded.error_at(
                        &path,
                        "a trace or CodeCarbon phase needs a training_log",
                        Some("a CSV with step and timestamp columns".into()),
                    )
                })
        };
        if let Some(f) = &ph.fit {
            let p = ex::from_published_fit(f.intercept_kwh, f.slope_kwh_per_step, &target);
            trail.cite_text(format!("scenario: fit of {name}"), &f.source);
            trail.assume(format!(
                "{name}: published fit E(N) = {:e} + {:e} N kWh ({}), {} steps: {} kWh per node, no interval (no points)",
                f.intercept_kwh, f.slope_kwh_per_step, f.source, target.steps, crate::report::num(p.energy_per_node_kwh.value)
            ));
            energy = energy + p.energy_kwh;
            duration = None;
            uses.push(ExtrapolationUse {
                name,
                source: f.source.clone(),
                points: 0,
                measured_steps: None,
                intercept_kwh: f.intercept_kwh,
                slope_kwh_per_step: f.slope_kwh_per_step,
                r2: None,
                prediction: p,
            });
            continue;
        }
        let (pts, source) = if let Some(p) = &ph.points {
            (
                ex::read_points(&dir.join(p)).map_err(at)?,
                p.display().to_string(),
            )
        } else if let Some(t) = &ph.trace {
            let l = log()?;
            let opts = crate::trace::TraceOptions {
                format: ph.input_format,
                ..Default::default()
            };
            let (pts, _) = ex::points_from_trace(&dir.join(t), &l, &opts).map_err(at)?;
            (pts, format!("{} joined to {}", t.display(), l.display()))
        } else if let Some(c) = &ph.codecarbon {
            let l = log()?;
            (
                ex::points_from_codecarbon(&dir.join(c), &l).map_err(at)?,
                format!("{} joined to {}", c.display(), l.display()),
            )
        } else {
            unreachable_source()?
        };
        let r = ex::extrapolate(&source, &pts, &target).map_err(at)?;
        for a in &r.assumptions {
            trail.assume(format!("{name}: {a}"));
        }
        for w in &r.warnings {
            trail.warn(format!("{name}: {w}"));
        }
        // The prediction interval as the 2.5 % and 97.5 % (at level 0.95) quantiles of a normal,
        // truncated to the interval.
        let as_normal = |name: String, i: Interval| {
            let z = crate::mc::Dist::Normal { mean: 0.0, sd: 1.0 }
                .quantile(1.0 - (1.0 - level) / 2.0)
                .max(1e-9);
            let sd = (i.max - i.min) / 2.0 / z;
            let dist = (sd > 0.0).then_some(crate::mc::Dist::Normal { mean: i.value, sd });
            crate::mc::param(&name, i, dist)
        };
        energy = energy + as_normal(format!("{path} energy"), r.prediction.energy_kwh);
        duration = match (duration, r.prediction.duration_h) {
            (Some(d), Some(p)) => Some(d + as_normal(format!("{path} duration"), p)),
            _ => None,
        };
        uses.push(ExtrapolationUse {
            name,
            source,
            points: r.points.len(),
            measured_steps: Some(r.measured_steps),
            intercept_kwh: r.fit.intercept_kwh,
            slope_kwh_per_step: r.fit.slope_kwh_per_step,
            r2: Some(r.fit.r2),
            prediction: r.prediction,
        });
    }
    Ok((
        energy,
        EnergyReport {
            method: "extrapolated".into(),
            components: vec![],
            traces: vec![],
            extrapolation: uses,
        },
        duration,
    ))
}

fn unreachable_source() -> Result<(Vec<crate::extrapolate::Point>, String)> {
    Err(Error::Internal(
        "a phase without a source passed the check".into(),
    ))
}

fn electricity(loaded: &Loaded, data: &ImpactData, trail: &mut Trail) -> Result<ElectricityReport> {
    let el = &loaded.scenario.electricity;
    let pue = el.pue.param("electricity.pue");
    match (&el.country, &el.factors) {
        (_, Some(f)) => {
            trail.cite_text("scenario: electricity factors".into(), &f.source);
            trail.assume(format!("electricity factors given in the scenario ({})", f.source));
            if let Some(c) = &el.country {
                data.find_mix(c).map_err(|e| loaded.locate_error(e, "electricity.country"))?;
                trail.assume(format!("electricity.country {c} is informative: the scenario's factors replace its mix"));
            }
            Ok(ElectricityReport {
                location: el.country.clone().unwrap_or_else(|| "scenario".into()),
                gwp_kgco2eq_per_kwh: f.gwp_kgco2eq_per_kwh.param("electricity.factors.gwp_kgco2eq_per_kwh"),
                adp_kgsbeq_per_kwh: f.adp_kgsbeq_per_kwh.param("electricity.factors.adp_kgsbeq_per_kwh"),
                pe_mj_per_kwh: f.pe_mj_per_kwh.param("electricity.factors.pe_mj_per_kwh"),
                pue,
            })
        }
        (Some(c), None) => {
            let mix = data.find_mix(c).map_err(|e| loaded.locate_error(e, "electricity.country"))?;
            let average = mix.code == "WOR" || mix.code == "EEE";
            let mut get = |crit: Criterion| -> Result<Interval> {
                let f = match crit {
                    Criterion::Gwp => &mix.gwp,
                    Criterion::Adp => &mix.adp,
                    Criterion::Pe => &mix.pe,
                };
                let Some(f) = f else {
                    return Err(loaded.error_at(
                        "electricity.country",
                        format!("the electricity data has no {} factor for {} ({})", crit.label(), mix.code, mix.country),
                        Some("give electricity.factors with all three factors and their source".into()),
                    ));
                };
                trail.cite(data, &f.source_id);
                trail.assume(format!("electricity {} {}: {} {}/kWh [{}, {}]", mix.code, crit.label(), exact(f.value), crit.unit(), f.source_id, f.year));
                let mut v = Interval::exact(f.value);
                if average {
                    if let Some(r) = data.mix_ranges.get(crit.key()) {
                        v = crate::mc::param(&format!("electricity {} {}", mix.code, crit.label()), Interval::new(f.value, r.min, r.max), None);
                        trail.cite(data, &r.source_id);
                        trail.assume(format!("electricity {} {}: range {} to {} {} over all countries [{}]", mix.code, crit.label(), r.min, r.max, r.unit, r.source_id));
                    }
                }
                Ok(v)
            };
            Ok(ElectricityReport {
                location: mix.code.clone(),
                gwp_kgco2eq_per_kwh: get(Criterion::Gwp)?,
                adp_kgsbeq_per_kwh: get(Criterion::Adp)?,
                pe_mj_per_kwh: get(Criterion::Pe)?,
                pue,
            })
        }
        (None, None) => Err(loaded.error_at(
            "electricity",
            "no electricity mix given",
            Some("give electricity.country (e.g. FRA; `mlca mix list`) or electricity.factors with their source".into()),
        )),
    }
}

/// T_FU / (AUR x L), capped at 1: the share of the node's active life the run used.
pub fn allocation_share(duration_h: Interval, aur: Interval, lifetime_h: Interval) -> Interval {
    duration_h.over(aur.times(lifetime_h)).cap(1.0)
}

/// Assess a loaded scenario.
pub fn assess(loaded: &Loaded, data: &ImpactData) -> Result<Report> {
    let s: &Scenario = &loaded.scenario;
    crate::compare::check_criteria(loaded)?;
    let mut trail = Trail::default();
    if s.infrastructure.is_empty() {
        return Err(loaded.error_at(
            "infrastructure",
            "no node kind in infrastructure",
            Some("list at least one node kind".into()),
        ));
    }
    trail.assume(format!(
        "embodied method: {}{}",
        s.embodied_method
            .unwrap_or(crate::embodied::EmbodiedMethod::Boavizta25)
            .key(),
        if s.embodied_method.is_none() {
            " (default)"
        } else {
            ""
        }
    ));
    let count = s.functional_unit.count.0;
    let per_fu = 1.0 / count as f64;
    if count > 1 {
        trail.assume(format!(
            "the run delivered {count} functional units; impacts are divided by {count}"
        ));
    }

    let run_d = s.run.as_ref().map(|r| r.duration_h.param("run.duration_h"));
    let (energy_kwh, energy_report, energy_duration) = energy(loaded, data, &mut trail, run_d)?;
    let duration = match (run_d, energy_duration) {
        (Some(d), None) => d,
        (None, Some(d)) => {
            trail.assume(format!("run duration extrapolated with the energy: {} h", fmt_interval(d)));
            d
        }
        (Some(_), Some(_)) => {
            return Err(loaded.error_at(
                "run.duration_h",
                "the duration is given twice: run.duration_h and the extrapolation's time points",
                Some("remove run.duration_h to use the extrapolated duration (with its interval), or drop elapsed_s from the points".into()),
            ))
        }
        (None, None) => {
            return Err(loaded.error_at(
                "run",
                "no duration for the run",
                Some("give run.duration_h (hours), or extrapolate with time points (elapsed_s)".into()),
            ))
        }
    };
    let elec = electricity(loaded, data, &mut trail)?;
    let factor = |c: Criterion| match c {
        Criterion::Gwp => elec.gwp_kgco2eq_per_kwh,
        Criterion::Adp => elec.adp_kgsbeq_per_kwh,
        Criterion::Pe => elec.pe_mj_per_kwh,
    };
    let grid_kwh = energy_kwh.times(elec.pue);
    trail.assume(format!(
        "PUE {} applied to the IT energy",
        fmt_interval(elec.pue)
    ));
    let use_phase = Impacts::from_fn(|c| grid_kwh.times(factor(c)).scale(per_fu));

    let lifetime_h = s
        .allocation
        .lifetime_years
        .param("allocation.lifetime_years")
        .scale(HOURS_PER_YEAR);
    let aur = s
        .allocation
        .active_utilization_rate
        .param("allocation.active_utilization_rate");
    let share = allocation_share(duration, aur, lifetime_h);
    let uncapped = duration.value / (aur.value * lifetime_h.value);
    trail.assume(format!(
        "allocation: T_FU / (AUR x lifetime) = {} h / ({} x {} h) = {:.6e} of each node's embodied impacts (lifetime {} years x {HOURS_PER_YEAR} h/year)",
        fmt_interval(duration), fmt_interval(aur), fmt_interval(lifetime_h), share.value, fmt_interval(s.allocation.lifetime_years.0)
    ));
    if uncapped > 1.0 {
        trail.warn(format!("the run ({} h) is longer than the active life of the nodes ({} h): the whole embodied impact is allocated", duration.value, aur.value * lifetime_h.value));
    }

    let mut breakdown = Vec::new();
    let mut embodied = Impacts::ZERO;
    for (i, g) in s.infrastructure.iter().enumerate() {
        let ge = embodied_of_group(loaded, data, g, i, &mut trail)?;
        let nodes = g.nodes.0 as f64;
        let group_fu = ge.node_total.scale(nodes).times(share).scale(per_fu);
        embodied = embodied + group_fu;
        breakdown.push(BreakdownRow {
            level: "node".into(),
            node: g.name.clone(),
            component: "node".into(),
            name: g.catalog.clone().unwrap_or_else(|| g.name.clone()),
            units: g.nodes.0,
            manufacture: ge.node_total,
            per_fu: group_fu,
        });
        for c in ge.components {
            breakdown.push(BreakdownRow {
                level: "component".into(),
                node: g.name.clone(),
                per_fu: c.manufacture.scale(nodes).times(share).scale(per_fu),
                component: c.component,
                name: c.name,
                units: c.units,
                manufacture: c.manufacture,
            });
        }
    }

    let fu = &s.functional_unit;
    if let (Some(t), Some(r)) = (fu.quality_target, fu.quality_reached) {
        if r < t {
            trail.warn(format!(
                "quality reached ({r}) is below the target ({t}): the functional unit is not met"
            ));
        }
    }
    Ok(Report {
        mlca_version: env!("CARGO_PKG_VERSION").to_string(),
        impact_data_version: data.version.clone(),
        scenario: loaded.file.display().to_string(),
        functional_unit: FunctionalUnitReport {
            name: fu.name.clone(),
            description: fu.description.clone(),
            quality_metric: fu.quality_metric.clone(),
            quality_target: fu.quality_target,
            quality_reached: fu.quality_reached,
            count,
            training_type: fu.training_type.clone(),
        },
        duration_h: duration,
        energy_kwh: energy_kwh.scale(per_fu),
        energy: energy_report,
        electricity: elec,
        allocation: AllocationReport {
            lifetime_h,
            active_utilization_rate: aur,
            share_of_node_life: share,
        },
        impacts: PhaseImpacts {
            use_phase,
            embodied,
            total: use_phase + embodied,
        },
        breakdown,
        assumptions: trail.assumptions,
        warnings: trail.warnings,
        sources: trail.sources.into_values().collect(),
        monte_carlo: None,
    })
}

/// A number with all its digits, in scientific notation when small or large.
pub fn exact(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// `value` or `value [min, max]`, with all digits.
pub fn fmt_interval(i: Interval) -> String {
    if i.is_exact() {
        exact(i.value)
    } else {
        format!("{} [{}, {}]", exact(i.value), exact(i.min), exact(i.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocation_by_hand() {
        // 0.49 h / (0.5 x 35040 h) = 2.7968e-5
        let s = allocation_share(
            Interval::exact(0.49),
            Interval::exact(0.5),
            Interval::exact(35040.0),
        );
        assert!((s.value - 0.49 / 17520.0).abs() < 1e-15);
        // bounds: min uses the largest AUR and lifetime
        let s = allocation_share(
            Interval::exact(10.0),
            Interval::new(0.5, 0.25, 1.0),
            Interval::exact(100.0),
        );
        assert_eq!(s, Interval::new(0.2, 0.1, 0.4));
    }

    #[test]
    fn allocation_is_capped_at_the_whole_node() {
        let s = allocation_share(
            Interval::exact(100.0),
            Interval::new(0.5, 0.1, 1.0),
            Interval::exact(100.0),
        );
        assert_eq!(s, Interval::new(1.0, 1.0, 1.0));
    }
}
