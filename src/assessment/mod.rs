//! Layer 5, assessment: the impacts of one functional unit (FU):
//!
//! - use = E x PUE x F_elec / count, with E the IT energy of the run (kWh) and F_elec the
//!   electricity factors (per kWh) of each criterion;
//! - embodied = sum over node kinds of nodes x I_node x min(1, T_FU / (AUR x L)) / count, with
//!   T_FU the run's duration, AUR the active utilization rate and L the lifetime (h);
//! - total = use + embodied.
//!
//! Every quantity is an interval; bounds are propagated at the monotone extremes of inputs.
//! [`assess_on`] computes on a Monte Carlo [`Tape`] passed by the caller (uncertain inputs are
//! its parameters) and returns, beside the report, the tape operands of the nine impacts and of
//! the energy per FU ([`TapeOutputs`]); [`assess`] is the same on an off tape.

pub mod allocation;
pub mod breakeven;
pub mod compare;
pub mod equivalents;
pub mod finite;
pub mod hardware;
pub mod intensity;
pub mod methods;
pub mod report;

pub use allocation::{allocation_share, AllocationReport};
pub use report::*;

use crate::data::component::ComponentKind;
use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::electricity::electricity;
use crate::energy::inputs::Needs;
use crate::energy::{energy_with, Files};
use crate::error::Result;
use crate::quantity::format::fmt_interval;
use crate::quantity::impacts::{Criterion, Impacts};
use crate::quantity::tape::{Operand, Tape, Var};
use crate::quantity::units::HOURS_PER_YEAR;
use crate::scenario::{Loaded, Scenario};
use finite::shown;

/// The tape operands of an assessment's results, for the Monte Carlo.
#[derive(Debug, Clone, Copy)]
pub struct TapeOutputs {
    /// Use, embodied and total impacts per FU, in report order ([`PhaseImpacts::phases`]).
    pub impacts: [Impacts<Operand>; 3],
    /// IT energy per FU (kWh).
    pub energy_kwh: Operand,
}

/// Assess a loaded scenario (nothing recorded).
pub fn assess(loaded: &Loaded, data: &ImpactData) -> Result<Report> {
    let tape = Tape::off();
    assess_files_on(loaded, data, Files::Read(&Needs::default()), &tape).map(|(report, _)| report)
}

/// Assess a loaded scenario with its uncertain inputs and arithmetic recorded on `tape`.
pub fn assess_on(loaded: &Loaded, data: &ImpactData, tape: &Tape) -> Result<(Report, TapeOutputs)> {
    assess_files_on(loaded, data, Files::Read(&Needs::default()), tape)
}

/// Assess a loaded scenario, its files read as `files` says (already read for the plots).
pub fn assess_files(loaded: &Loaded, data: &ImpactData, files: Files) -> Result<Report> {
    let tape = Tape::off();
    assess_files_on(loaded, data, files, &tape).map(|(report, _)| report)
}

/// [`assess_files`] on `tape`: the files read as `files` says, the arithmetic recorded.
pub fn assess_files_on(
    loaded: &Loaded,
    data: &ImpactData,
    files: Files,
    tape: &Tape,
) -> Result<(Report, TapeOutputs)> {
    let s: &Scenario = &loaded.scenario;
    crate::scenario::check_criteria(loaded)?;
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
            .unwrap_or(crate::scenario::EmbodiedMethod::Boavizta25)
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

    let run_d = s
        .run
        .as_ref()
        .map(|r| r.duration_h.param(tape, "run.duration_h"));
    // a time-varying intensity: the traces are read with the series' boundaries as time bins
    let series = intensity::prepare(loaded)?;
    let with_bins;
    let files = match (&series, files) {
        (Some(p), Files::Read(needs)) if s.energy.traces.is_some() => {
            let needs = Needs {
                time_bins: Some(intensity::time_bins(p)),
                ..needs.clone()
            };
            with_bins = crate::energy::inputs::resolve(loaded, &needs)?;
            Files::Resolved(&with_bins)
        }
        (_, files) => files,
    };
    let (energy_kwh, energy_report, energy_duration) =
        energy_with(loaded, files, data, &mut trail, run_d, tape)?;
    let duration = match (run_d, energy_duration) {
        (Some(d), None) => d,
        (None, Some(d)) => {
            trail.assume(format!("run duration extrapolated with the energy: {} h", fmt_interval(d.interval())));
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
    let e_field = finite::energy_field(s);
    let e_iv = energy_kwh.interval();
    finite::require(loaded, e_iv, e_field, || "the IT energy".to_string())?;
    let placed = match &series {
        Some(p) => {
            let inputs = match files {
                Files::Resolved(i) => Some(i),
                Files::Read(_) => None,
            };
            Some(intensity::place(
                loaded,
                p,
                &energy_report,
                e_iv.value,
                inputs,
                &mut trail,
            )?)
        }
        None => None,
    };
    let series_gwp = placed.as_ref().map(|x| x.weighed.mean_g_per_kwh() / 1000.0);
    let elec = electricity(loaded, data, &mut trail, tape, series_gwp)?;
    let grid_kwh = energy_kwh.times(elec.pue);
    let pue = elec.pue.interval();
    finite::require(loaded, grid_kwh.interval(), e_field, || {
        format!("{e_field} {} kWh x PUE {}", shown(e_iv), fmt_interval(pue))
    })?;
    trail.assume(format!(
        "PUE {} applied to the IT energy",
        fmt_interval(elec.pue.interval())
    ));
    let use_phase = Impacts::from_fn(|c| grid_kwh.times(elec.per_kwh.get(c)).scale(per_fu));
    for c in Criterion::ALL {
        finite::require(loaded, use_phase.get(c).interval(), e_field, || {
            format!(
                "{e_field} {} kWh x PUE {} x {} {}/kWh",
                shown(e_iv),
                fmt_interval(pue),
                shown(elec.per_kwh.get(c).interval()),
                c.unit()
            )
        })?;
    }

    let lifetime = s
        .allocation
        .lifetime_years
        .param(tape, "allocation.lifetime_years")
        .scale(HOURS_PER_YEAR);
    let aur = s
        .allocation
        .active_utilization_rate
        .param(tape, "allocation.active_utilization_rate");
    finite::require(
        loaded,
        lifetime.interval(),
        "allocation.lifetime_years",
        || {
            format!(
                "the lifetime {} years x {HOURS_PER_YEAR} h/year",
                shown(s.allocation.lifetime_years.0)
            )
        },
    )?;
    let share = allocation_share(duration, aur, lifetime);
    let (duration, aur, lifetime_h, plain_share) = (
        duration.interval(),
        aur.interval(),
        lifetime.interval(),
        share.interval(),
    );
    let uncapped = duration.value / (aur.value * lifetime_h.value);
    trail.assume(format!(
        "allocation: T_FU / (AUR x lifetime) = {} h / ({} x {} h) = {:.6e} of each node's embodied impacts (lifetime {} years x {HOURS_PER_YEAR} h/year)",
        fmt_interval(duration), fmt_interval(aur), fmt_interval(lifetime_h), plain_share.value, fmt_interval(s.allocation.lifetime_years.0)
    ));
    if uncapped > 1.0 {
        trail.warn(format!("the run ({} h) is longer than the active life of the nodes ({} h): the whole embodied impact is allocated", duration.value, aur.value * lifetime_h.value));
    }

    let mut breakdown = Vec::new();
    let mut embodied: Impacts<Var> = Impacts::from_fn(|_| Var::ZERO);
    for (i, g) in s.infrastructure.iter().enumerate() {
        let ge = crate::embodied::of_group(loaded, data, g, i, &mut trail, tape)?;
        let nodes = g.nodes.0 as f64;
        let group_fu = ge.node_total.scale(nodes).times(share).scale(per_fu);
        for c in Criterion::ALL {
            let one = ge.node_total.get(c).interval();
            finite::require(loaded, one, &format!("infrastructure[{i}]"), || {
                format!("the embodied {} of one node \"{}\"", c.label(), g.name)
            })?;
            finite::require(
                loaded,
                group_fu.get(c).interval(),
                &format!("infrastructure[{i}].nodes"),
                || {
                    format!(
                        "the embodied {} of node kind \"{}\", {} {} x {} nodes x share {:.6e}",
                        c.label(),
                        g.name,
                        shown(one),
                        c.unit(),
                        g.nodes.0,
                        plain_share.value
                    )
                },
            )?;
        }
        embodied = embodied + group_fu;
        for c in Criterion::ALL {
            finite::require(loaded, embodied.get(c).interval(), "infrastructure", || {
                format!("the embodied {} summed over the node kinds", c.label())
            })?;
        }
        breakdown.push(BreakdownRow {
            level: BreakdownLevel::Node,
            node: g.name.clone(),
            component: ComponentKind::Node,
            name: g.catalog.clone().unwrap_or_else(|| g.name.clone()),
            units: g.nodes.0,
            manufacture: ge.node_total.intervals(),
            per_fu: group_fu.intervals(),
            given_source: ge.given_source.clone(),
        });
        for c in ge.components {
            breakdown.push(BreakdownRow {
                level: BreakdownLevel::Component,
                given_source: None,
                node: g.name.clone(),
                per_fu: c.manufacture.scale(nodes).times(plain_share).scale(per_fu),
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
    let total = use_phase + embodied;
    for c in Criterion::ALL {
        finite::require(loaded, total.get(c).interval(), "", || {
            format!(
                "the total {}, use {} + embodied {} {}",
                c.label(),
                shown(use_phase.get(c).interval()),
                shown(embodied.get(c).interval()),
                c.unit()
            )
        })?;
    }
    let energy_fu = energy_kwh.scale(per_fu);
    let mut elec_report = elec.report();
    if let (Some(p), Some(x)) = (&series, &placed) {
        elec_report.intensity = Some(intensity::report(
            p,
            x,
            elec.static_gwp,
            use_phase.gwp.interval(),
            grid_kwh.interval().scale(per_fu),
            &elec.location.to_string(),
            &mut trail,
        ));
    }
    let outputs = TapeOutputs {
        impacts: [use_phase, embodied, total].map(|p| Impacts::from_fn(|c| p.get(c).operand())),
        energy_kwh: energy_fu.operand(),
    };
    let report = Report {
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
        energy_kwh: energy_fu.interval(),
        energy: energy_report,
        electricity: elec_report,
        allocation: AllocationReport {
            lifetime_h,
            active_utilization_rate: aur,
            share_of_node_life: plain_share,
        },
        impacts: PhaseImpacts {
            use_phase: use_phase.intervals(),
            embodied: embodied.intervals(),
            total: total.intervals(),
        },
        breakdown,
        assumptions: trail.assumptions,
        warnings: trail.warnings,
        sources: trail.sources.into_values().collect(),
        monte_carlo: None,
        embodied_method: s
            .embodied_method
            .unwrap_or(crate::scenario::EmbodiedMethod::Boavizta25),
        defaults: trail.defaults,
        left_out: trail.left_out,
    };
    finite::check_report(&report)?;
    Ok((report, outputs))
}
