//! Layer 4, energy: the energy of a run (kWh), as the sum of its terms ([`lines`]), each from
//! one of these sources:
//!
//! - declared: `energy.declared_kwh`, as given (the whole run: alone);
//! - TDP x usage: E = sum over components of TDP_W x usage x units x T_h / 1000, memory at
//!   W/GB x GB (Green Algorithms style; [`power`], the TDP of a catalog model by name);
//! - measured: power traces read and integrated ([`trace`]), their energies added, total or
//!   dynamic (total - idle power x duration);
//! - extrapolated: a fit of energy on steps from a measured fraction ([`extrapolate`]);
//! - device-hours: hours summed over devices (or units x hours, the run's by default) x the power
//!   of one device ([`devices`]).
//!
//! The sum, times an overhead multiplier if given, is the energy where it was metered (IT
//! equipment by default, or the facility); the other follows from the PUE
//! ([`RunEnergy::close`]): facility = IT x PUE.
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

pub mod devices;
pub mod extrapolate;
mod extrapolated;
pub mod inputs;
pub mod lines;
pub mod power;
pub mod profile;
pub mod trace;

use crate::data::component::ComponentKind as Kind;
pub use devices::DeviceCharge;
pub use inputs::trace_options;
pub use lines::{EnergyLine, OverheadUse};

use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::quantity::format::{fmt_interval, num};
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{Boundary, EnergyBasis, GapPolicy, InputFormat, Loaded};
use serde::Serialize;

/// How the energy of a run (or one of its lines) was obtained. Serialized as its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnergyMethod {
    /// Given in the scenario (`energy.declared_kwh`).
    Declared,
    /// TDP x usage x duration per component.
    Tdp,
    /// Integrated from power traces.
    Measured,
    /// Extrapolated from a measured fraction of the steps.
    Extrapolated,
    /// Device-hours (or units x hours) x power.
    DeviceHours,
    /// Several of the above, summed.
    Combined,
}

impl EnergyMethod {
    pub fn key(self) -> &'static str {
        match self {
            EnergyMethod::Declared => "declared",
            EnergyMethod::Tdp => "tdp",
            EnergyMethod::Measured => "measured",
            EnergyMethod::Extrapolated => "extrapolated",
            EnergyMethod::DeviceHours => "device-hours",
            EnergyMethod::Combined => "combined",
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
    /// The source of the energy, or `combined` when several add up.
    pub method: EnergyMethod,
    /// Per component kind (kWh over the run).
    pub components: Vec<EnergyComponent>,
    /// The traces a measured energy comes from.
    pub traces: Vec<TraceUse>,
    /// The phases an extrapolated energy comes from.
    pub extrapolation: Vec<ExtrapolationUse>,
    /// Every term of the energy, with its IT and facility energy (kWh over the run).
    pub lines: Vec<EnergyLine>,
    /// Where the energies were metered.
    pub at: Boundary,
    /// The overhead multiplier applied to the sum of the lines, if any.
    pub overhead: Option<OverheadUse>,
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

/// Where the energy takes a scenario's files from: read now (with these needs), or already
/// read by [`inputs::resolve`].
#[derive(Clone, Copy, Debug)]
pub enum Files<'a> {
    Read(&'a inputs::Needs),
    Resolved(&'a inputs::Inputs),
}

/// The energy terms of a run, before the PUE is known: their lines and tracked sum, the duration
/// when an extrapolation gives it, and the devices charged per device-hour.
pub struct RunEnergy<'t> {
    lines: lines::Lines<'t>,
    at: Boundary,
    overhead: Option<crate::scenario::Overhead>,
    components: Vec<EnergyComponent>,
    traces: Vec<TraceUse>,
    extrapolation: Vec<ExtrapolationUse>,
    /// The duration (h) an extrapolation with time points gives.
    pub duration: Option<Var<'t>>,
    /// Devices whose embodied impacts are charged per device-hour.
    pub devices: Vec<DeviceCharge<'t>>,
}

/// The IT and facility energies of a run (kWh, tracked) and the report of how they were obtained.
pub struct Energy<'t> {
    pub it_kwh: Var<'t>,
    pub facility_kwh: Var<'t>,
    pub report: EnergyReport,
}

impl<'t> RunEnergy<'t> {
    /// The energies at both boundaries, with the PUE `pue`: the lines' sum (times the overhead)
    /// is the energy where it was metered; facility = IT x PUE.
    #[inline]
    pub fn close(self, pue: Var<'t>, tape: &'t Tape) -> Energy<'t> {
        let method = self.lines.method();
        let c = self.lines.close(self.at, self.overhead.as_ref(), pue, tape);
        Energy {
            it_kwh: c.it_kwh,
            facility_kwh: c.facility_kwh,
            report: EnergyReport {
                method,
                components: self.components,
                traces: self.traces,
                extrapolation: self.extrapolation,
                lines: c.lines,
                at: self.at,
                overhead: c.overhead,
            },
        }
    }
}

/// The energy terms of a scenario: the scenario's files read as `files` says, uncertain inputs
/// registered on `tape`. `run_d` is `run.duration_h` (tracked), if given.
pub fn energy_with<'t>(
    loaded: &Loaded,
    files: Files,
    data: &ImpactData,
    trail: &mut Trail,
    run_d: Option<Var<'t>>,
    tape: &'t Tape,
) -> Result<RunEnergy<'t>> {
    let e = &loaded.scenario.energy;
    let parts =
        e.tdp.is_some() || e.traces.is_some() || e.extrapolated.is_some() || e.devices.is_some();
    if e.declared_kwh.is_some() && parts {
        return Err(loaded.error_at(
            "energy",
            "energy is given more than once",
            Some("energy.declared_kwh is the energy of the whole run: keep it alone, or give the parts of the energy (energy.tdp, energy.traces, energy.extrapolated, energy.devices), whose energies add up".into()),
        ));
    }
    if e.declared_kwh.is_none() && !parts {
        return Err(loaded.error_at(
            "energy",
            "no energy given",
            Some("give energy.declared_kwh (kWh of the whole run), or any of energy.tdp (power declarations), energy.traces (measured files), energy.devices (device-hours and power) and energy.extrapolated".into()),
        ));
    }
    let at = e.at.unwrap_or(Boundary::It);
    let mut run = RunEnergy {
        // a declared energy is alone (checked above): its line is the only one
        lines: lines::Lines::with_room(usize::from(e.declared_kwh.is_some())),
        at,
        overhead: e.overhead.clone(),
        components: Vec::new(),
        traces: Vec::new(),
        extrapolation: Vec::new(),
        duration: None,
        devices: Vec::new(),
    };
    if let Some(traces) = &e.traces {
        let read;
        let inputs = match files {
            Files::Resolved(i) => i,
            Files::Read(needs) => {
                read = inputs::resolve(loaded, needs)?;
                &read
            }
        };
        let (total, r) = measured(loaded, traces, inputs, trail, tape)?;
        run.lines.add(total);
        for t in &r.traces {
            let detail = format!(
                "{}, {} device(s), {} s, {} energy",
                t.format.key(),
                t.devices,
                num(t.duration_s),
                crate::choice::Choice::name(t.energy_basis)
            );
            run.lines.show(
                t.file.clone(),
                EnergyMethod::Measured,
                None,
                detail,
                t.energy_kwh,
            );
        }
        run.components.extend(r.components);
        run.traces = r.traces;
    } else {
        inputs::check_quality_log(loaded)?;
    }
    if let Some(x) = &e.extrapolated {
        let (total, r, d) = extrapolated::extrapolated(loaded, x, trail, tape)?;
        run.lines.add(total);
        for p in &r.extrapolation {
            let detail = format!(
                "{} steps on {} node(s)",
                num(p.prediction.target_steps),
                p.prediction.nodes
            );
            run.lines.show(
                p.name.clone(),
                EnergyMethod::Extrapolated,
                None,
                detail,
                p.prediction.energy_kwh,
            );
        }
        run.extrapolation = r.extrapolation;
        run.duration = d;
    }
    if let Some(d) = &e.declared_kwh {
        trail.assume(match at {
            Boundary::It => "energy: declared in the scenario (IT equipment, before PUE)",
            Boundary::Facility => "energy: declared in the scenario at the facility (after PUE)",
        });
        run.lines.push(
            "declared",
            EnergyMethod::Declared,
            None,
            "energy.declared_kwh",
            d.param(tape, "energy.declared_kwh"),
        );
    }
    let duration = run_d.or(run.duration);
    if let Some(decls) = &e.tdp {
        power::tdp_lines(loaded, data, decls, duration, &mut run, trail, tape)?;
    }
    if let Some(devs) = &e.devices {
        run.devices = devices::device_lines(loaded, data, devs, duration, &mut run, trail, tape)?;
    }
    if at == Boundary::Facility {
        trail.assume("energy.at facility: the energies are the facility's (after PUE); the IT equipment drew them / PUE");
    }
    if let Some(o) = &e.overhead {
        trail.cite_text("scenario: energy overhead".into(), o.source.as_str().into());
        trail.assume(format!(
            "energy overhead: the summed energies x {} ({})",
            fmt_interval(o.factor.0),
            o.source
        ));
    }
    Ok(run)
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
            if !loaded
                .scenario
                .infrastructure
                .iter()
                .any(|g| *g.name == **n)
            {
                let names: Vec<&str> = loaded
                    .scenario
                    .infrastructure
                    .iter()
                    .map(|g| &*g.name)
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
    // other terms (TDP declarations, devices) may cover what the traces leave out
    let others = loaded.scenario.energy.tdp.is_some() || loaded.scenario.energy.devices.is_some();
    if !measured.contains(&"node") && !others {
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
            lines: vec![],
            at: Boundary::It,
            overhead: None,
        },
    ))
}
