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
mod devices;
pub mod equivalents;
pub mod finite;
mod gaps;
pub mod hardware;
pub mod intensity;
pub mod methods;
mod plausible;
mod remembered;
pub mod report;
pub mod water;

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
use crate::quantity::impacts::{AssessedImpacts, Criterion, Impacts};
use crate::quantity::tape::{Operand, Tape, Var};
use crate::quantity::units::HOURS_PER_YEAR;
use crate::scenario::{EmbodiedMethod, Loaded, Scenario};
use finite::shown;
use remembered::{remembered, scenario_path, Text, NOTES};
use std::sync::{Arc, LazyLock};

/// The tape operands of an assessment's results, for the Monte Carlo.
#[derive(Debug, Clone, Copy)]
pub struct TapeOutputs {
    /// Use, embodied and total impacts per FU, in report order ([`PhaseImpacts::phases`]).
    pub impacts: [Impacts<Operand>; 3],
    /// IT energy per FU (kWh).
    pub energy_kwh: Operand,
}

impl TapeOutputs {
    /// Operands not written yet (zeros): replaced by an assessment's own.
    const UNSET: TapeOutputs = {
        let zero = Operand::Const(0.0);
        let none = Impacts {
            gwp: zero,
            adp: zero,
            pe: zero,
            water: zero,
        };
        TapeOutputs {
            impacts: [none; 3],
            energy_kwh: zero,
        }
    };
}

/// The assumption naming the embodied method (`None`: the default's), written once for each and
/// shared by every report.
fn method_note(m: Option<EmbodiedMethod>) -> Arc<str> {
    static NOTES: LazyLock<Vec<(Option<EmbodiedMethod>, Arc<str>)>> = LazyLock::new(|| {
        let default = EmbodiedMethod::Boavizta25;
        std::iter::once((
            None,
            format!("embodied method: {} (default)", default.key()),
        ))
        .chain(EmbodiedMethod::ALL.map(|m| (Some(m), format!("embodied method: {}", m.key()))))
        .map(|(m, t)| (m, t.into()))
        .collect()
    });
    match NOTES.iter().find(|(k, _)| *k == m) {
        Some((_, t)) => Arc::clone(t),
        None => format!("embodied method: {}", m.map_or("", EmbodiedMethod::key)).into(),
    }
}

/// Assess a loaded scenario (nothing recorded).
pub fn assess(loaded: &Loaded, data: &ImpactData) -> Result<Report> {
    assess_files(
        loaded,
        data,
        Files::Read(&Needs::default()),
        intensity::Given::ToRead,
    )
}

/// Assess a loaded scenario with its uncertain inputs and arithmetic recorded on `tape`.
pub fn assess_on(loaded: &Loaded, data: &ImpactData, tape: &Tape) -> Result<(Report, TapeOutputs)> {
    assess_files_on(
        loaded,
        data,
        Files::Read(&Needs::default()),
        intensity::Given::ToRead,
        tape,
    )
}

/// Assess a loaded scenario, its files read as `files` says (already read for the plots) and its
/// intensity series as `series` says (prepared for the traces' time bins).
pub fn assess_files(
    loaded: &Loaded,
    data: &ImpactData,
    files: Files,
    series: intensity::Given,
) -> Result<Report> {
    let tape = Tape::off();
    let mut outputs = TapeOutputs::UNSET;
    report_on(loaded, data, files, series, &tape, &mut outputs)
}

/// [`assess_files`] on `tape`: the files read as `files` and `series` say, the arithmetic
/// recorded.
pub fn assess_files_on(
    loaded: &Loaded,
    data: &ImpactData,
    files: Files,
    series: intensity::Given,
    tape: &Tape,
) -> Result<(Report, TapeOutputs)> {
    let mut outputs = TapeOutputs::UNSET;
    let report = report_on(loaded, data, files, series, tape, &mut outputs)?;
    Ok((report, outputs))
}

/// The report of [`assess_files_on`], returned where it is built (not moved out of a pair), the
/// tape operands of its results written to `outputs`.
fn report_on(
    loaded: &Loaded,
    data: &ImpactData,
    files: Files,
    series: intensity::Given,
    tape: &Tape,
    outputs: &mut TapeOutputs,
) -> Result<Report> {
    let s: &Scenario = &loaded.scenario;
    crate::scenario::check_criteria(loaded)?;
    let mut trail = Trail::default();
    let devices_named = s
        .energy
        .devices
        .iter()
        .flatten()
        .any(|d| d.model.is_some() || d.host.is_some());
    if s.infrastructure.is_empty() && !devices_named {
        let hint = "list at least one node kind, or name the devices' model under energy.devices (their embodied impacts charged per device-hour)";
        if crate::scenario::locate(&loaded.text, "infrastructure").is_none() {
            // no `infrastructure:` key: at the top of the scenario, as a missing section
            return Err(crate::error::Diagnostic::new(
                "no hardware: the section infrastructure is missing",
            )
            .file(&loaded.file)
            .field("infrastructure")
            .at(1, 1, Some(&loaded.text))
            .hint(hint)
            .into());
        }
        return Err(loaded.error_at(
            "infrastructure",
            "no node kind in infrastructure",
            Some(hint.into()),
        ));
    }
    trail.assume(method_note(s.embodied_method));
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
    let mut read = None;
    let series = series.prepared(loaded, &mut read)?;
    let with_bins;
    let files = match (series, files) {
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
    let mut run_energy = energy_with(loaded, files, data, &mut trail, run_d, tape)?;
    let duration = match (run_d, run_energy.duration) {
        (Some(d), None) => Some(d),
        (None, Some(d)) => {
            trail.assume(format!("run duration extrapolated with the energy: {} h", fmt_interval(d.interval())));
            Some(d)
        }
        (Some(_), Some(_)) => {
            return Err(loaded.error_at(
                "run.duration_h",
                "the duration is given twice: run.duration_h and the extrapolation's time points",
                Some("remove run.duration_h to use the extrapolated duration (with its interval), or drop elapsed_s from the points".into()),
            ))
        }
        // devices charged per device-hour need no duration
        (None, None) if s.infrastructure.is_empty() => None,
        (None, None) => {
            return Err(loaded.error_at(
                "run",
                "no duration for the run",
                Some("give run.duration_h (hours), or extrapolate with time points (elapsed_s)".into()),
            ))
        }
    };
    let charges = std::mem::take(&mut run_energy.devices);
    let e_field = finite::EnergyField(s);
    let pue_v = crate::electricity::pue(loaded, tape);
    // Without a series, the factors are registered before the energy is closed (its overhead);
    // with one, the energy is placed in time first, and the series' mean is the GWP factor.
    // each written in its place (not moved out of a tuple)
    let (elec, energy, mut placed);
    match series {
        None => {
            elec = electricity(loaded, data, &mut trail, tape, pue_v, None)?;
            energy = run_energy.close(pue_v, tape);
            finite::require(loaded, energy.it_kwh.interval(), e_field, || {
                "the IT energy".to_string()
            })?;
            placed = None;
        }
        Some(p) => {
            energy = run_energy.close(pue_v, tape);
            let e_iv = energy.it_kwh.interval();
            finite::require(loaded, e_iv, e_field, || "the IT energy".to_string())?;
            let inputs = match files {
                Files::Resolved(i) => Some(i),
                Files::Read(_) => None,
            };
            placed = None;
            let p = placed.insert(intensity::place(
                loaded,
                p,
                &energy.report,
                e_iv.value,
                inputs,
                &mut trail,
            )?);
            let series_gwp = Some(p.weighed.mean_g_per_kwh() / 1000.0);
            elec = electricity(loaded, data, &mut trail, tape, pue_v, series_gwp)?;
        }
    }
    let energy_kwh = energy.it_kwh;
    let energy_report = energy.report;
    let e_iv = energy_kwh.interval();
    let grid_kwh = energy.facility_kwh;
    let pue = elec.pue.interval();
    finite::require(loaded, grid_kwh.interval(), e_field, || {
        format!("{e_field} {} kWh x PUE {}", shown(e_iv), fmt_interval(pue))
    })?;
    if energy_report.at == crate::scenario::Boundary::It {
        trail.assume_numbers(
            |[pue, ..], f| write!(f, "PUE {} applied to the IT energy", fmt_interval(*pue)),
            [elec.pue.interval()],
        );
    }
    let mut use_phase = Impacts::from_fn(|c| grid_kwh.times(elec.per_kwh.get(c)).scale(per_fu));
    let wue = water::wue(loaded, &mut trail, tape)?;
    let wf = elec
        .not_assessed
        .reason(Criterion::Water)
        .is_none()
        .then_some(elec.per_kwh.water);
    use_phase.water = water::use_water(energy_kwh, grid_kwh, wue, wf)
        .unwrap_or(Var::ZERO)
        .scale(per_fu);
    let use_gaps = water::use_gaps(&elec.not_assessed, wue.is_some(), water::no_wue());
    if let Some(r) = elec.not_assessed.shared_reason(Criterion::Water) {
        trail.assume(NOTES.with(|n| {
            remembered(&n.water_use, Text(r), |Text(r)| {
                format!("water, use phase: {r}")
            })
        }));
    }
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
    // the nodes of infrastructure share their life by the run's duration; devices charged per
    // device-hour by their hours
    let share = duration.map(|d| allocation_share(d, aur, lifetime));
    let (aur_v, lifetime_v) = (aur, lifetime);
    let (aur, lifetime_h) = (aur.interval(), lifetime.interval());
    let plain_share = share.map(|sh| sh.interval());
    if let (Some(duration), Some(plain_share)) = (duration.map(|d| d.interval()), plain_share) {
        if !s.infrastructure.is_empty() {
            let uncapped = duration.value / (aur.value * lifetime_h.value);
            let years = s.allocation.lifetime_years.0;
            trail.assume_numbers(|[duration, aur, lifetime_h, share, years], f| write!(f,
                "allocation: T_FU / (AUR x lifetime) = {} h / ({} x {} h) = {:.6e} of each node's embodied impacts (lifetime {} years x {HOURS_PER_YEAR} h/year)",
                fmt_interval(*duration), fmt_interval(*aur), fmt_interval(*lifetime_h), share.value, fmt_interval(*years)
            ), [duration, aur, lifetime_h, plain_share, years]);
            if uncapped > 1.0 {
                trail.warn(format!("the run ({} h) is longer than the active life of the nodes ({} h): the whole embodied impact is allocated", duration.value, aur.value * lifetime_h.value));
            }
        }
    }

    let mut breakdown = Vec::new();
    let mut embodied: Impacts<Var> = Impacts::from_fn(|_| Var::ZERO);
    let mut embodied_gaps = gaps::Terms::default();
    for (i, g) in s.infrastructure.iter().enumerate() {
        let (Some(share), Some(plain_share)) = (share, plain_share) else {
            return Err(crate::error::Error::Internal(
                "node kinds without the run's duration passed the check".into(),
            ));
        };
        let ge = crate::embodied::of_group(loaded, data, g, i, &mut trail, tape)?;
        let nodes = g.nodes.0 as f64;
        let group_fu = ge.node_total.scale(nodes).times(share).scale(per_fu);
        for c in Criterion::ALL {
            let one = ge.node_total.get(c).interval();
            finite::require(loaded, one, format_args!("infrastructure[{i}]"), || {
                format!("the embodied {} of one node \"{}\"", c.label(), g.name)
            })?;
            finite::require(
                loaded,
                group_fu.get(c).interval(),
                format_args!("infrastructure[{i}].nodes"),
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
        embodied += group_fu;
        embodied_gaps.push(ge.not_assessed.clone());
        // the node kind's row and its components' rows, room made once and no more: `reserve`
        // makes room for at least four rows, a block too large for the allocator's cache
        let parts = ge.components.len() + usize::from(ge.given_part.is_some());
        breakdown.reserve_exact(1 + parts);
        for c in Criterion::ALL {
            finite::require(loaded, embodied.get(c).interval(), "infrastructure", || {
                format!("the embodied {} summed over the node kinds", c.label())
            })?;
        }
        breakdown.push(BreakdownRow {
            level: BreakdownLevel::Node,
            node: Arc::clone(&g.name),
            component: ComponentKind::Node,
            name: match g.catalog.as_deref().or(g.instance.as_deref()) {
                Some(n) => n.into(),
                None => Arc::clone(&g.name),
            },
            units: g.nodes.0,
            manufacture: AssessedImpacts::new(ge.node_total.intervals(), &ge.not_assessed),
            per_fu: AssessedImpacts::new(group_fu.intervals(), &ge.not_assessed),
            given_source: ge.given_source,
            device_hours: None,
        });
        for c in ge.given_part.into_iter().chain(ge.components) {
            breakdown.push(BreakdownRow {
                level: BreakdownLevel::Component,
                given_source: None,
                node: Arc::clone(&g.name),
                per_fu: AssessedImpacts::new(
                    c.manufacture.scale(nodes).times(plain_share).scale(per_fu),
                    &c.not_assessed,
                ),
                component: c.component,
                name: c.name,
                units: c.units,
                manufacture: AssessedImpacts::new(c.manufacture, &c.not_assessed),
                device_hours: None,
            });
        }
    }
    if !charges.is_empty() && !s.infrastructure.is_empty() {
        trail.warn("energy.devices charges its devices per device-hour beside the nodes of infrastructure: check that no device is counted twice".to_string());
    }
    for c in &charges {
        let (fu, gaps) = devices::charge(
            loaded,
            data,
            c,
            (aur_v, lifetime_v),
            per_fu,
            &mut breakdown,
            &mut trail,
            tape,
        )?;
        embodied += fu;
        embodied_gaps.push(gaps);
    }

    let fu = &s.functional_unit;
    let direction = fu
        .quality_direction
        .unwrap_or(crate::scenario::Direction::BetterHigh);
    if fu.quality_direction.is_none() && fu.quality_target.is_some() {
        let texts = fu.texts.get_or_init(|| {
            vec![format!(
                "{}: higher is better (functional_unit.quality_direction not given; better-low for a loss, a perplexity or an error rate)",
                fu.quality_metric.as_deref().unwrap_or("quality")
            )
            .into()]
        });
        if let Some(t) = texts.first() {
            trail.assume(Arc::clone(t));
        }
    }
    if let (Some(t), Some(r)) = (fu.quality_target, fu.quality_reached) {
        if direction.worse(r, t) {
            trail.warn(format!(
                "quality reached ({r}) is {} the target ({t}, {}): the functional unit is not met",
                match direction {
                    crate::scenario::Direction::BetterHigh => "below",
                    crate::scenario::Direction::BetterLow => "above",
                },
                direction.words()
            ));
        }
    }
    for w in plausible::warnings(
        s,
        data,
        energy_kwh.interval(),
        duration.map(|d| d.interval()),
        &energy_report,
    ) {
        trail.warn(w);
    }
    // the sum of one node kind's gaps is its gaps (nothing joined)
    let embodied_gaps = embodied_gaps.sum();
    let (embodied_covered, embodied_not_covered) = water::embodied_coverage(&breakdown, &mut trail);
    let water_coverage = WaterCoverage {
        wue_l_per_kwh: wue.map(|w| w.interval()),
        electricity_water_m3_per_kwh: wf.map(|f| f.interval()),
        embodied_covered,
        embodied_not_covered,
    };
    // the total built where it stays (`use_phase + embodied` costs a move of 160 bytes more)
    let mut total = use_phase;
    total += embodied;
    let total_gaps = gaps::of_sum(&[&use_gaps, &embodied_gaps]);
    for c in Criterion::ALL {
        if let Some(r) = total_gaps.shared_reason(c) {
            trail.warn(NOTES.with(|n| {
                remembered(n.not_assessed.get(c), Text(r), |Text(r)| {
                    format!("{} not assessed: {r}", c.label())
                })
            }));
        }
    }
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
    let intensity_report = match (series, &placed) {
        (Some(p), Some(x)) => Some(intensity::report(
            p,
            x,
            elec.static_gwp,
            use_phase.gwp.interval(),
            grid_kwh.interval().scale(per_fu),
            &elec.location.to_string(),
            &mut trail,
        )),
        _ => None,
    };
    let mut elec_report = elec.into_report();
    elec_report.intensity = intensity_report.map(Box::new);
    *outputs = TapeOutputs {
        impacts: [&use_phase, &embodied, &total].map(|p| Impacts::from_fn(|c| p.get(c).operand())),
        energy_kwh: energy_fu.operand(),
    };
    let report = Report {
        mlca_version: env!("CARGO_PKG_VERSION"),
        impact_data_version: data.version.clone(),
        scenario: scenario_path(loaded),
        functional_unit: FunctionalUnitReport {
            name: fu.name.clone(),
            description: fu.description.clone(),
            quality_metric: fu.quality_metric.clone(),
            quality_direction: direction,
            quality_target: fu.quality_target,
            quality_reached: fu.quality_reached,
            count,
            training_type: fu.training_type.clone(),
        },
        duration_h: duration.map(|d| d.interval()),
        energy_kwh: energy_fu.interval(),
        facility_energy_kwh: grid_kwh.scale(per_fu).interval(),
        energy: energy_report,
        electricity: elec_report,
        allocation: AllocationReport {
            lifetime_h,
            active_utilization_rate: aur,
            share_of_node_life: plain_share,
        },
        impacts: PhaseImpacts {
            use_phase: AssessedImpacts::new(use_phase.intervals(), &use_gaps),
            embodied: AssessedImpacts::new(embodied.intervals(), &embodied_gaps),
            total: AssessedImpacts::new(total.intervals(), &total_gaps),
        },
        breakdown,
        water_coverage,
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
    Ok(report)
}
