//! Power of a component from its declaration: a TDP given in W, or the TDP of a catalog GPU or
//! CPU (`model`), times a usage in [0, 1] (Green Algorithms style); memory at W/GB x GB. The
//! energy of a `tdp` entry is its power x units x the run's duration.

use super::{EnergyComponent, EnergyMethod};
use crate::data::component::ComponentKind as Kind;
use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::format::num;
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{ComponentKind, Loaded};

/// A catalog GPU or CPU with its TDP, W.
#[derive(Debug, Clone)]
pub struct CatalogPower {
    /// The catalog's name of the model.
    pub name: String,
    pub kind: Kind,
    pub tdp_w: f64,
    /// The datasheet (or catalog row) the TDP comes from.
    pub source: String,
}

/// The catalog model named `model` (a GPU, else a CPU; only the catalog of `kind` when given),
/// located at `path`.
pub fn find_model(data: &ImpactData, model: &str, kind: Option<Kind>, path: &str) -> Result<Kind> {
    let at = |e: Error| match e {
        Error::Input(mut d) if d.field.is_none() => {
            d.field = Some(path.to_string());
            Error::Input(d)
        }
        e => e,
    };
    match kind {
        Some(Kind::Cpu) => data.find_cpu(model).map(|_| Kind::Cpu).map_err(at),
        Some(Kind::Gpu) => data.find_gpu(model).map(|_| Kind::Gpu).map_err(at),
        _ => match data.find_gpu(model) {
            Ok(_) => Ok(Kind::Gpu),
            Err(gpu_err) => data.find_cpu(model).map(|_| Kind::Cpu).map_err(|cpu_err| {
                // an unknown name: the GPU catalog's suggestions, unless the CPU catalog has
                // it ambiguously
                match (&gpu_err, &cpu_err) {
                    (Error::Input(g), Error::Input(c))
                        if c.message.contains("ambiguous") && !g.message.contains("ambiguous") =>
                    {
                        at(cpu_err)
                    }
                    _ => at(gpu_err),
                }
            }),
        },
    }
}

/// The TDP of the catalog model `model` (see [`find_model`]); an error at `path` when the
/// catalog does not know it.
pub fn catalog_tdp(
    data: &ImpactData,
    model: &str,
    kind: Option<Kind>,
    path: &str,
) -> Result<CatalogPower> {
    let found = find_model(data, model, kind, path)?;
    let unknown = |name: &str, why: &str| {
        Error::input(
            Diagnostic::new(format!("the catalog has no TDP for {} \"{name}\"{why}", found.key()))
                .field(path)
                .hint("give tdp_w (W per unit) from the device's datasheet, or power_w (its mean measured power)"),
        )
    };
    match found {
        Kind::Cpu => {
            let c = data.find_cpu(model)?;
            let tdp = c.tdp_w.ok_or_else(|| unknown(&c.name, ""))?;
            Ok(CatalogPower {
                name: c.name.clone(),
                kind: Kind::Cpu,
                tdp_w: tdp,
                source: c.spec_source.clone().unwrap_or_else(|| c.source_id.clone()),
            })
        }
        _ => {
            let g = data.find_gpu(model)?;
            let why = g
                .tdp_note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let tdp = g.tdp_w.ok_or_else(|| unknown(&g.name, &why))?;
            Ok(CatalogPower {
                name: g.name.clone(),
                kind: Kind::Gpu,
                tdp_w: tdp,
                source: g.tdp_source.clone().unwrap_or_else(|| g.source_id.clone()),
            })
        }
    }
}

/// [`catalog_tdp`] of the `model` of the entry at `path`, located there and named in the
/// assumptions with its source.
pub fn tdp_of_model(
    loaded: &Loaded,
    data: &ImpactData,
    model: &str,
    kind: Option<Kind>,
    path: &str,
    trail: &mut Trail,
) -> Result<CatalogPower> {
    let field = format!("{path}.model");
    let c = catalog_tdp(data, model, kind, &field).map_err(|e| loaded.locate_error(e, &field))?;
    trail.assume(format!(
        "{path}: TDP of {} {}: {} W ({})",
        c.kind,
        c.name,
        num(c.tdp_w),
        c.source
    ));
    Ok(c)
}

/// The report's kind of a declaration's component.
pub fn kind_of(c: ComponentKind) -> Kind {
    match c {
        ComponentKind::Gpu => Kind::Gpu,
        ComponentKind::Cpu => Kind::Cpu,
        ComponentKind::Memory => Kind::Memory,
        ComponentKind::Node => Kind::Node,
        ComponentKind::Other => Kind::Other,
    }
}

/// The lines of `energy.tdp`: each entry's power x units x `duration` (h).
pub fn tdp_lines<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    decls: &[crate::scenario::PowerDeclaration],
    duration: Option<Var<'t>>,
    run: &mut super::RunEnergy<'t>,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<()> {
    if decls.is_empty() {
        return Err(loaded.error_at(
            "energy.tdp",
            "energy.tdp is empty",
            Some("list at least one power declaration".into()),
        ));
    }
    let duration = duration.ok_or_else(|| {
        loaded.error_at(
            "run",
            "energy.tdp needs the run's duration",
            Some("give run.duration_h".into()),
        )
    })?;
    for (i, d) in decls.iter().enumerate() {
        let path = format!("energy.tdp[{i}]");
        let name = d
            .name
            .clone()
            .unwrap_or_else(|| d.component.key().to_string());
        let (power_w, detail) = if d.component == ComponentKind::Memory {
            let cap = d.capacity_gb.ok_or_else(|| {
                loaded.error_at(
                    &path,
                    "a memory power declaration needs capacity_gb",
                    Some("give capacity_gb (all nodes) and, optionally, power_w_per_gb".into()),
                )
            })?;
            let per_gb = match d.power_w_per_gb {
                Some(p) => p.param(tape, &format!("{path}.power_w_per_gb")),
                None => {
                    let dv = data.default("memory.power_per_gb")?.clone();
                    trail.cite(data, &dv.source_id);
                    trail.assume(format!(
                        "{path}: memory power not given: default {} W/GB [{}]",
                        dv.value, dv.source_id
                    ));
                    trail.applied(&dv, &format!("{path}: memory power not given"));
                    Var::from(dv.interval())
                }
            };
            let p = cap
                .param(tape, &format!("{path}.capacity_gb"))
                .times(per_gb);
            (
                p,
                format!(
                    "{} GB x {} W/GB",
                    num(cap.0.value),
                    num(per_gb.interval().value)
                ),
            )
        } else {
            let usage = d.usage.ok_or_else(|| {
                loaded.error_at(&path, format!("a {} power declaration needs usage", d.component.key()), Some("give usage (mean fraction of the TDP drawn, in [0, 1]) with tdp_w (W per unit) or a catalog model".into()))
            })?;
            let tdp = match (d.tdp_w, &d.model) {
                (Some(t), _) => t.param(tape, &format!("{path}.tdp_w")),
                (None, Some(m)) => {
                    let kind =
                        Some(kind_of(d.component)).filter(|k| matches!(k, Kind::Gpu | Kind::Cpu));
                    let c = tdp_of_model(loaded, data, m, kind, &path, trail)?;
                    Var::from(Interval::exact(c.tdp_w))
                }
                (None, None) => {
                    return Err(loaded.error_at(&path, format!("a {} power declaration needs tdp_w or a catalog model", d.component.key()), Some("give tdp_w (W per unit), or model: a catalog GPU or CPU (`mlca hardware list`)".into())));
                }
            };
            let u = usage.param(tape, &format!("{path}.usage"));
            let detail = format!(
                "{} x {} W x usage {}",
                d.units.0,
                num(tdp.interval().value),
                num(u.interval().value)
            );
            (tdp.times(u).scale(d.units.0 as f64), detail)
        };
        let e = power_w
            .times(duration)
            .map_monotone(|x| crate::quantity::units::energy_kwh(x, 1.0));
        run.components.push(EnergyComponent {
            component: kind_of(d.component),
            name: name.clone(),
            energy_kwh: e.interval(),
        });
        run.lines.push(
            name,
            EnergyMethod::Tdp,
            Some(kind_of(d.component)),
            format!("{detail} x {} h", num(duration.interval().value)),
            e,
        );
    }
    trail.assume("energy: TDP x usage x units x duration per component (Green Algorithms style), memory at W/GB x GB".to_string());
    Ok(())
}
