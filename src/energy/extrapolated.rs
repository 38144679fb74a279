//! Energy (and duration) of a scenario's `energy.extrapolated`: each phase's points (a CSV, a
//! trace joined to a training log, CodeCarbon rows) or published fit extrapolated to its target
//! steps ([`crate::energy::extrapolate`]), the phases' energies added.

use super::{EnergyMethod, EnergyReport, ExtrapolationUse};
use crate::data::provenance::Trail;
use crate::error::{Error, Result};
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{Boundary, Loaded};

/// Energy (and duration, when every phase has time points) extrapolated phase by phase.
pub(super) fn extrapolated<'t>(
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
        let sources = [
            ph.points.is_some(),
            ph.trace.is_some(),
            ph.codecarbon.is_some(),
            ph.fit.is_some(),
            ph.epoch_kwh.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if sources != 1 {
            return Err(loaded.error_at(
                &path,
                format!("phase \"{name}\" needs exactly one source of points"),
                Some("give points, trace + training_log, codecarbon + training_log, fit, or epoch_kwh (measured epochs)".into()),
            ));
        }
        let run =
            super::inputs::run_selector(loaded, &path, &ph.run_id, &ph.project_name, ph.run_index)?;
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
        // epochs for measured epochs, steps for the others
        let steps = match (&ph.epoch_kwh, ph.target_steps, ph.target_epochs) {
            (Some(_), None, Some(e)) => e.0.value,
            (Some(_), _, _) => {
                return Err(loaded.error_at(
                    &path,
                    format!("phase \"{name}\" of measured epochs needs target_epochs (and no target_steps)"),
                    Some("give target_epochs: the epochs of the full phase".into()),
                ))
            }
            (None, Some(s), None) => s.0.value,
            (None, _, _) => {
                return Err(loaded.error_at(
                    &path,
                    format!("phase \"{name}\" needs target_steps (and no target_epochs)"),
                    Some("give target_steps: the steps of the full phase; target_epochs goes with epoch_kwh".into()),
                ))
            }
        };
        let target = Target {
            steps,
            nodes: x.nodes.0,
            parallel_efficiency: eta,
            level,
            method,
            min_r2: x.min_r2.map_or(0.9, |r| r.0.value),
        };
        if let Some(epochs) = &ph.epoch_kwh {
            let (p, assumptions) = ex::epochs::from_epochs(epochs, &target);
            for a in assumptions {
                trail.assume(format!("{name}: {a}"));
            }
            let mean = epochs.iter().sum::<f64>() / epochs.len() as f64;
            energy = energy
                + if p.energy_kwh.is_exact() {
                    Var::from(p.energy_kwh)
                } else {
                    tape.param(&format!("{path} energy"), p.energy_kwh, None)
                };
            duration = None;
            uses.push(ExtrapolationUse {
                name,
                source: format!("{} measured epoch(s)", epochs.len()),
                points: epochs.len(),
                measured_steps: None,
                intercept_kwh: 0.0,
                slope_kwh_per_step: mean,
                r2: None,
                prediction: p,
            });
            continue;
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
            trail.cite_text(
                format!("scenario: fit of {name}").into(),
                f.source.as_str().into(),
            );
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
                    .map_err(|e| super::inputs::run_error(loaded, &path, run.as_ref(), e))
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
            lines: vec![],
            at: Boundary::It,
            overhead: None,
        },
        duration,
    ))
}

fn unreachable_source() -> Result<(Vec<crate::energy::extrapolate::Point>, String)> {
    Err(Error::Internal(
        "a phase without a source passed the check".into(),
    ))
}
