//! Layer 4, energy: the IT energy of a run (kWh, before PUE), by one of four methods:
//!
//! - declared: `energy.declared_kwh`, as given;
//! - TDP x usage: E = sum over components of TDP_W x usage x units x T_h / 1000, memory at
//!   W/GB x GB (Green Algorithms style);
//! - measured: power traces read and integrated ([`trace`]), their energies added, total or
//!   dynamic (total - idle power x duration);
//! - extrapolated: a fit of energy on steps from a measured fraction ([`extrapolate`]).
//!
//! [`profile`] bins a trace's power over time for the plots. The report ([`EnergyReport`]) is
//! typed: its method ([`EnergyMethod`]), component kinds, trace formats, energy bases and gap
//! policies are enums serialized under their names.
//!
//! A scenario's files (traces, the quality log) are read once, in one step ([`inputs::resolve`]):
//! the assessment takes the trace summaries, the plots the series [`profile`] builds from the
//! same pass (mean power per bin in W, cumulative kWh per quality point).
//!
//! The energy (kWh) is a quantity tracked on the assessment's Monte Carlo [`Tape`]: the declared
//! energy, TDPs, usages and memory figures, each trace's integrated energy (uniform over its
//! bounds) and meter factor, and each extrapolated phase's prediction (a normal truncated to its
//! prediction interval) are its parameters.

pub mod extrapolate;
pub mod inputs;
pub mod profile;
pub mod trace;

use crate::data::component::ComponentKind as Kind;
pub use inputs::trace_options;

use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::quantity::format::fmt_interval;
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::quantity::units::energy_kwh;
use crate::scenario::{ComponentKind, EnergyBasis, GapPolicy, InputFormat, Loaded};
use serde::Serialize;

/// How the energy of a run was obtained. Serialized as its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EnergyMethod {
    /// Given in the scenario (`energy.declared_kwh`).
    Declared,
    /// TDP x usage x duration per component.
    Tdp,
    /// Integrated from power traces.
    Measured,
    /// Extrapolated from a measured fraction of the steps.
    Extrapolated,
}

impl EnergyMethod {
    pub fn key(self) -> &'static str {
        match self {
            EnergyMethod::Declared => "declared",
            EnergyMethod::Tdp => "tdp",
            EnergyMethod::Measured => "measured",
            EnergyMethod::Extrapolated => "extrapolated",
        }
    }
}

impl std::fmt::Display for EnergyMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EnergyReport {
    pub method: EnergyMethod,
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
    pub prediction: crate::energy::extrapolate::Prediction,
}

/// A trace used by the assessment, as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct TraceUse {
    pub file: String,
    pub format: InputFormat,
    pub node: Option<String>,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    pub energy_basis: EnergyBasis,
    pub energy_kwh: Interval,
    pub total_energy_kwh: Interval,
    pub dynamic_energy_kwh: Option<Interval>,
    pub duration_s: f64,
    pub devices: usize,
    pub gaps: usize,
    pub gap_policy: GapPolicy,
    /// The part of `total_energy_kwh` a model estimated rather than a meter measured, kWh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_energy_kwh: Option<Interval>,
    /// Water the tracker reported (CodeCarbon's `water_consumed`), L, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub water_l: Option<f64>,
    /// The tracker's water usage effectiveness (CodeCarbon's `wue`), L/kWh, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wue_l_per_kwh: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnergyComponent {
    pub component: Kind,
    pub name: String,
    pub energy_kwh: Interval,
}

/// The run's duration as the scenario gives it (`run.duration_h`), if it does.
fn run_duration(loaded: &Loaded) -> Option<Interval> {
    loaded.scenario.run.as_ref().map(|r| r.duration_h.0)
}

/// The run's IT energy (kWh), its report, and the duration (h) when an extrapolation gives it;
/// the scenario's files are read here ([`inputs::resolve`]) and uncertain inputs registered on
/// `tape`.
pub fn energy<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    trail: &mut Trail,
    run_d: Option<Var<'t>>,
    tape: &'t Tape,
) -> Result<(Var<'t>, EnergyReport, Option<Var<'t>>)> {
    energy_with(
        loaded,
        Files::Read(&inputs::Needs::default()),
        data,
        trail,
        run_d,
        tape,
    )
}

/// Where the energy takes a scenario's files from: read now (with these needs), or already
/// read by [`inputs::resolve`].
#[derive(Clone, Copy, Debug)]
pub enum Files<'a> {
    Read(&'a inputs::Needs),
    Resolved(&'a inputs::Inputs),
}

/// [`energy`], with the scenario's files read as `files` says.
pub fn energy_with<'t>(
    loaded: &Loaded,
    files: Files,
    data: &ImpactData,
    trail: &mut Trail,
    run_d: Option<Var<'t>>,
    tape: &'t Tape,
) -> Result<(Var<'t>, EnergyReport, Option<Var<'t>>)> {
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
        let read;
        let inputs = match files {
            Files::Resolved(i) => i,
            Files::Read(needs) => {
                read = inputs::resolve(loaded, needs)?;
                &read
            }
        };
        let (e, r) = measured(loaded, traces, inputs, trail, tape)?;
        return Ok((e, r, None));
    }
    inputs::check_quality_log(loaded)?;
    if let Some(x) = &s.energy.extrapolated {
        return extrapolated(loaded, x, trail, tape);
    }
    match (&s.energy.declared_kwh, &s.energy.tdp) {
        (Some(e), None) => {
            trail.assume("energy: declared in the scenario (IT equipment, before PUE)".to_string());
            Ok((e.param(tape, "energy.declared_kwh"), EnergyReport { method: EnergyMethod::Declared, components: vec![], traces: vec![], extrapolation: vec![] }, None))
        }
        (None, Some(decls)) if !decls.is_empty() => {
            let duration = run_d.ok_or_else(|| {
                loaded.error_at("run", "energy.tdp needs the run's duration", Some("give run.duration_h".into()))
            })?;
            let mut comps = Vec::new();
            let mut tracked = Vec::new();
            for (i, d) in decls.iter().enumerate() {
                let path = format!("energy.tdp[{i}]");
                let name = d.name.clone().unwrap_or_else(|| d.component.key().to_string());
                let power_w = if d.component == ComponentKind::Memory {
                    let cap = d.capacity_gb.ok_or_else(|| {
                        loaded.error_at(&path, "a memory power declaration needs capacity_gb", Some("give capacity_gb (all nodes) and, optionally, power_w_per_gb".into()))
                    })?;
                    let per_gb = match d.power_w_per_gb {
                        Some(p) => p.param(tape, &format!("{path}.power_w_per_gb")),
                        None => {
                            let dv = data.default("memory.power_per_gb")?.clone();
                            trail.cite(data, &dv.source_id);
                            trail.assume(format!("{path}: memory power not given: default {} W/GB [{}]", dv.value, dv.source_id));
                            trail.applied(&dv, &format!("{path}: memory power not given"));
                            Var::from(dv.interval())
                        }
                    };
                    cap.param(tape, &format!("{path}.capacity_gb")).times(per_gb)
                } else {
                    let (Some(tdp), Some(usage)) = (d.tdp_w, d.usage) else {
                        return Err(loaded.error_at(&path, format!("a {} power declaration needs tdp_w and usage", d.component.key()), Some("give tdp_w (W per unit) and usage (mean fraction of TDP, in (0, 1])".into())));
                    };
                    tdp.param(tape, &format!("{path}.tdp_w")).times(usage.param(tape, &format!("{path}.usage"))).scale(d.units.0 as f64)
                };
                let e = power_w.times(duration).map_monotone(|x| energy_kwh(x, 1.0));
                comps.push(EnergyComponent { component: kind_of(d.component), name, energy_kwh: e.interval() });
                tracked.push(e);
            }
            trail.assume("energy: TDP x usage x units x duration per component (Green Algorithms style), memory at W/GB x GB".to_string());
            let total = tracked.into_iter().sum();
            Ok((total, EnergyReport { method: EnergyMethod::Tdp, components: comps, traces: vec![], extrapolation: vec![] }, None))
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

/// Energy from measured traces: each read and integrated, their energies added.
fn measured<'t>(
    loaded: &Loaded,
    traces: &[crate::scenario::TraceRef],
    inputs: &inputs::Inputs,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<(Var<'t>, EnergyReport)> {
    if traces.is_empty() {
        return Err(loaded.error_at(
            "energy.traces",
            "energy.traces is empty",
            Some("list at least one trace file".into()),
        ));
    }
    let mut total = Var::ZERO;
    let mut uses = Vec::new();
    let mut by_comp: std::collections::BTreeMap<trace::TraceComponent, Interval> =
        std::collections::BTreeMap::new();
    for (i, t) in traces.iter().enumerate() {
        let path = format!("energy.traces[{i}]");
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
        if t.gap_policy.is_none() {
            trail.assume(format!(
                "{path}: gaps integrated across (gap_policy interpolate, the default)"
            ));
        }
        let s = inputs.traces.get(i).ok_or_else(|| {
            Error::Internal(format!("{path}: the trace was not read with the others"))
        })?;
        let idle_given = t.idle_power_w.is_some() || t.idle_start.is_some();
        let basis = match (idle_given, t.energy_basis) {
            (true, None) => {
                return Err(loaded.error_at(&format!("{path}.energy_basis"), "an idle power is given, but not which energy to use", Some("add energy_basis: total (everything drawn) or dynamic (minus idle power x duration)".into())))
            }
            // a file may give its idle power itself (a BoAmps report's calibration measure)
            (false, Some(EnergyBasis::Dynamic)) if s.dynamic_energy_kwh.is_none() => {
                return Err(loaded.error_at(&format!("{path}.energy_basis"), "energy_basis dynamic needs an idle power", Some("give idle_power_w, or idle_start and idle_end".into())))
            }
            (_, b) => b.unwrap_or(EnergyBasis::Total),
        };
        let used = match basis {
            EnergyBasis::Dynamic => s.dynamic_energy_kwh.unwrap_or(s.energy_kwh),
            EnergyBasis::Total => s.energy_kwh,
        };
        let used = tape.param(&format!("{path} energy"), used, None);
        let used = match &t.meter_factor {
            Some(f) => {
                trail.assume(format!(
                    "{path}: energy multiplied by the meter factor {}",
                    fmt_interval(f.0)
                ));
                used.times(f.param(tape, &format!("{path}.meter_factor")))
            }
            None => used,
        };
        total = total + used;
        for (c, e) in &s.by_component {
            let share = if s.energy_kwh.value > 0.0 {
                used.interval().value / s.energy_kwh.value
            } else {
                1.0
            };
            let add = e.scale(share);
            *by_comp.entry(*c).or_insert(Interval::ZERO) =
                by_comp.get(c).copied().unwrap_or(Interval::ZERO) + add;
        }
        trail.assume(format!(
            "energy measured: {} ({}), {} device(s), {:.1} s, {} kWh ({} energy){}",
            s.file,
            s.format.key(),
            s.devices.iter().filter(|d| d.included).count(),
            s.duration_s,
            crate::quantity::format::range(used.interval()),
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
        let run_s = run_duration(loaded)
            .map_or(s.duration_s, |d| d.value * crate::quantity::units::S_PER_H);
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
            format: s.format,
            node: t.node.clone(),
            window_start: s.window_start.clone(),
            window_end: s.window_end.clone(),
            energy_basis: basis,
            energy_kwh: used.interval(),
            total_energy_kwh: s.energy_kwh,
            dynamic_energy_kwh: s.dynamic_energy_kwh,
            duration_s: s.duration_s,
            devices: s.devices.iter().filter(|d| d.included).count(),
            gaps: s.gaps,
            gap_policy: s.gap_policy,
            estimated_energy_kwh: s.estimated_energy_kwh,
            water_l: s.water_l,
            wue_l_per_kwh: s.wue_l_per_kwh,
        });
    }
    let measured: Vec<&str> = by_comp.keys().map(|c| c.key()).collect();
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
            component: c.kind(),
            name: c.key().to_string(),
            energy_kwh: e,
        })
        .collect();
    Ok((
        total,
        EnergyReport {
            method: EnergyMethod::Measured,
            components,
            traces: uses,
            extrapolation: vec![],
        },
    ))
}

/// Energy (and duration, when every phase has time points) extrapolated phase by phase.
fn extrapolated<'t>(
    loaded: &Loaded,
    x: &crate::scenario::Extrapolated,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<(Var<'t>, EnergyReport, Option<Var<'t>>)> {
    use crate::energy::extrapolate::{self as ex, Method, Target};
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
    // in u64: a sum of u32 counts cannot overflow it
    let total_nodes: u64 = loaded
        .scenario
        .infrastructure
        .iter()
        .map(|g| u64::from(g.nodes.0))
        .sum();
    if total_nodes != u64::from(x.nodes.0) {
        trail.warn(format!(
            "energy.extrapolated.nodes is {} but the infrastructure has {total_nodes} node(s)",
            x.nodes.0
        ));
    }
    let mut energy = Var::ZERO;
    let mut duration = Some(Var::ZERO);
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
        let run = inputs::run_selector(loaded, &path, &ph.run_id, &ph.project_name, ph.run_index)?;
        if let (Some(sel), None) = (&run, &ph.codecarbon) {
            return Err(loaded.error_at(
                &format!("{path}.{}", sel.key()),
                format!(
                    "{} chooses a run of a CodeCarbon file: this phase has none",
                    sel.key()
                ),
                Some("remove it, or read the phase's points from codecarbon".into()),
            ));
        }
        let at = |e: Error| match e {
            Error::Input(d) if d.file.is_none() => {
                loaded.error_at(&path, d.message.clone(), d.hint.clone())
            }
            e => e,
        };
        let file =
            |key: &str, name: &std::path::Path| loaded.file_at(&format!("{path}.{key}"), name);
        let log = || -> Result<std::path::PathBuf> {
            ph.training_log
                .as_ref()
                .map(|l| file("training_log", l))
                .transpose()?
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
                f.intercept_kwh, f.slope_kwh_per_step, f.source, target.steps, crate::quantity::format::num(p.energy_per_node_kwh.value)
            ));
            energy = energy + Var::from(p.energy_kwh);
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
                ex::read_points(&file("points", p)?).map_err(at)?,
                p.display().to_string(),
            )
        } else if let Some(t) = &ph.trace {
            let l = log()?;
            let opts = crate::energy::trace::TraceOptions {
                format: ph.input_format,
                ..Default::default()
            };
            let (pts, _) = ex::points_from_trace(&file("trace", t)?, &l, &opts).map_err(at)?;
            (pts, format!("{} joined to {}", t.display(), l.display()))
        } else if let Some(c) = &ph.codecarbon {
            let l = log()?;
            let (pts, notes) =
                ex::points_from_codecarbon(&file("codecarbon", c)?, &l, run.as_ref())
                    .map_err(|e| inputs::run_error(loaded, &path, run.as_ref(), e))
                    .map_err(at)?;
            for n in notes {
                trail.assume(format!("{name}: {n}"));
            }
            (pts, format!("{} joined to {}", c.display(), l.display()))
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
            let z = crate::quantity::distribution::Dist::Normal { mean: 0.0, sd: 1.0 }
                .quantile(1.0 - (1.0 - level) / 2.0)
                .max(1e-9);
            let sd = (i.max - i.min) / 2.0 / z;
            let dist = (sd > 0.0)
                .then_some(crate::quantity::distribution::Dist::Normal { mean: i.value, sd });
            tape.param(&name, i, dist)
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
            method: EnergyMethod::Extrapolated,
            components: vec![],
            traces: vec![],
            extrapolation: uses,
        },
        duration,
    ))
}

/// The report's kind of a TDP declaration's component.
fn kind_of(c: ComponentKind) -> Kind {
    match c {
        ComponentKind::Gpu => Kind::Gpu,
        ComponentKind::Cpu => Kind::Cpu,
        ComponentKind::Memory => Kind::Memory,
        ComponentKind::Other => Kind::Other,
    }
}

fn unreachable_source() -> Result<(Vec<crate::energy::extrapolate::Point>, String)> {
    Err(Error::Internal(
        "a phase without a source passed the check".into(),
    ))
}
