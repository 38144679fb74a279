//! Layer 5, assessment: the impacts of one functional unit (FU):
//!
//! - use = E x PUE x F_elec / count, with E the IT energy of the run (kWh) and F_elec the
//!   electricity factors (per kWh) of each criterion;
//! - embodied = sum over node kinds of nodes x I_node x min(1, T_FU / (AUR x L)) / count, with
//!   T_FU the run's duration, AUR the active utilization rate and L the lifetime (h);
//! - total = use + embodied.
//!
//! Every quantity is an [`Interval`](crate::quantity::interval::Interval); bounds are propagated at the monotone extremes of inputs.

pub mod allocation;
pub mod compare;
pub mod hardware;
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
use crate::quantity::units::HOURS_PER_YEAR;
use crate::scenario::{Loaded, Scenario};

/// Assess a loaded scenario.
pub fn assess(loaded: &Loaded, data: &ImpactData) -> Result<Report> {
    assess_files(loaded, data, Files::Read(&Needs::default()))
}

/// Assess a loaded scenario, its files read as `files` says (already read for the plots).
pub fn assess_files(loaded: &Loaded, data: &ImpactData, files: Files) -> Result<Report> {
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

    let run_d = s.run.as_ref().map(|r| r.duration_h.param("run.duration_h"));
    let (energy_kwh, energy_report, energy_duration) =
        energy_with(loaded, files, data, &mut trail, run_d)?;
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
        let ge = crate::embodied::of_group(loaded, data, g, i, &mut trail)?;
        let nodes = g.nodes.0 as f64;
        let group_fu = ge.node_total.scale(nodes).times(share).scale(per_fu);
        embodied = embodied + group_fu;
        breakdown.push(BreakdownRow {
            level: BreakdownLevel::Node,
            node: g.name.clone(),
            component: ComponentKind::Node,
            name: g.catalog.clone().unwrap_or_else(|| g.name.clone()),
            units: g.nodes.0,
            manufacture: ge.node_total,
            per_fu: group_fu,
            given_source: ge.given_source.clone(),
        });
        for c in ge.components {
            breakdown.push(BreakdownRow {
                level: BreakdownLevel::Component,
                given_source: None,
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
        embodied_method: s
            .embodied_method
            .unwrap_or(crate::scenario::EmbodiedMethod::Boavizta25),
    })
}
