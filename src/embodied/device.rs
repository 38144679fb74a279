//! Embodied impacts charged per device-hour, for devices a scenario gives by their hours
//! (`energy.devices`): one device of the catalog model (BoaviztAPI's GPU or CPU model, or the
//! scenario's embodied method), plus, with a `host` node, the host's parts other than its devices
//! of that kind, shared by them (a DGX's CPUs, memory, case and assembly over its 8 GPUs). The
//! assessment charges this x device-hours / (AUR x lifetime).

use super::{locate_field, Component, Embodied};
use crate::data::bom::{Bom, CpuPart, GpuPart};
use crate::data::component::ComponentKind;
use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::impacts::{Gaps, Impacts};
use crate::quantity::input::Count;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{EmbodiedMethod, Loaded};

/// The embodied impacts of one device and its share of its host.
pub struct DeviceEmbodied<'t> {
    /// Parts of one device: the device, and each part of the host's share.
    pub components: Vec<Component>,
    /// Their sum (tracked).
    pub one_device: Impacts<Var<'t>>,
    /// The catalog name of the device (or of the host when no model is named).
    pub name: String,
    pub not_assessed: Gaps,
}

/// The devices of `kind` one node of `bom` holds, and its bill of materials without them.
fn without(bom: &Bom, kind: ComponentKind) -> Option<(u32, Bom)> {
    let count = |n: u64| u32::try_from(n).ok();
    match kind {
        ComponentKind::Gpu => {
            let n = count(
                bom.gpus
                    .iter()
                    .flatten()
                    .map(|g| u64::from(g.units.0))
                    .sum(),
            )?;
            Some((
                n,
                Bom {
                    gpus: None,
                    ..bom.clone()
                },
            ))
        }
        ComponentKind::Cpu => {
            let n = count(
                bom.cpus
                    .iter()
                    .flatten()
                    .map(|c| u64::from(c.units.0))
                    .sum(),
            )?;
            Some((
                n,
                Bom {
                    cpus: None,
                    ..bom.clone()
                },
            ))
        }
        _ => None,
    }
}

/// The embodied impacts of one device of the entry at `path` (`energy.devices[i]`): its catalog
/// `model` of `kind`, and its share of the `host` node. Uncertain inputs registered on `tape`.
#[allow(clippy::too_many_arguments)]
pub fn per_device<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    path: &str,
    kind: ComponentKind,
    model: Option<&str>,
    host: Option<&str>,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<DeviceEmbodied<'t>> {
    let method = loaded
        .scenario
        .embodied_method
        .unwrap_or(EmbodiedMethod::Boavizta25);
    let mut em = Embodied::with_method(data, method, tape);
    let mut parts: Vec<Component<Var<'t>>> = Vec::new();
    let mut name = String::new();
    if let Some(m) = model {
        let field = format!("{path}.model");
        let c = match kind {
            ComponentKind::Gpu => em.gpu(
                &GpuPart {
                    model: Some(m.to_string()),
                    units: Count(1),
                    ..GpuPart::default()
                },
                field.clone(),
            ),
            ComponentKind::Cpu => em.cpu(
                &CpuPart {
                    model: Some(m.to_string()),
                    units: Count(1),
                    ..CpuPart::default()
                },
                field.clone(),
            ),
            other => {
                return Err(loaded.error_at(
                    &field,
                    format!("the catalog has no embodied model for a {other} by name"),
                    Some("name a catalog GPU or CPU, or give the node under infrastructure".into()),
                ))
            }
        }
        .map_err(|e| locate_field(loaded, e))?;
        name = c.name.to_string();
        parts.push(c);
    }
    if let Some(h) = host {
        let field = format!("{path}.host");
        let node = data
            .find_node(h)
            .map_err(|e| loaded.locate_error(e, &field))?;
        let Some((n, rest)) = without(&node.bom, kind).filter(|(n, _)| *n > 0) else {
            return Err(loaded.error_at(
                &field,
                format!("the host \"{}\" has no {kind} to share its other parts", node.name),
                Some("a host shares its parts among its GPUs or CPUs: name the node the devices sit in".into()),
            ));
        };
        em.trail.cite(data, &node.source_id);
        for n in &node.not_included {
            em.trail.assume(format!("{}: not included: {n}", node.name));
        }
        let shared = em
            .bom(&rest, &|_: &str| field.clone())
            .map_err(|e| locate_field(loaded, e))?;
        em.trail.assume(format!(
            "{path}: host {}: its parts other than its {n} {kind}(s) shared by them, 1/{n} per device",
            node.name
        ));
        for mut c in shared {
            c.manufacture = c.manufacture.scale(1.0 / f64::from(n));
            c.name = format!("{} share of {} (1/{n})", c.name, node.name).into();
            parts.push(c);
        }
        if name.is_empty() {
            name = format!("share of {}", node.name);
        }
    }
    for a in em.trail.assumptions.drain(..) {
        trail.assume(a);
    }
    for w in em.trail.warnings.drain(..) {
        trail.warn(w);
    }
    trail.sources.append(&mut em.trail.sources);
    let one_device = parts.iter().map(|c| c.manufacture).sum();
    let not_assessed = Gaps::of_sum(parts.iter().map(|c| &c.not_assessed));
    Ok(DeviceEmbodied {
        components: parts.iter().map(Component::intervals).collect(),
        one_device,
        name,
        not_assessed,
    })
}
