//! A cloud instance as a node: its host platform's bill of materials (BoaviztAPI 2.5.0's
//! `archetypes/server.csv` platform rows), each part scaled by the instance's share of the host,
//! as BoaviztAPI does: by GPUs (instance GPUs / host GPUs) for an instance with GPUs, else by
//! vCPUs (instance vCPUs / host vCPUs). Part lists of the scenario's `bom` replace the host's
//! (a CPU the data knows without a die area, say).

use super::{Component, Embodied};
use crate::data::bom::{
    Bom, CaseType, CpuPart, GpuPart, HddPart, MemoryPart, PowerSupplyPart, StoragePart,
};
use crate::data::cloud::{CloudInstance, CloudPlatform};
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::format::num;
use crate::quantity::input::{Count, Positive};
use crate::quantity::interval::Interval;
use crate::quantity::tape::Var;
use crate::scenario::Loaded;

/// A whole number of units from a data cell (0 when absent).
fn units(x: Option<f64>) -> u32 {
    // the cells are small whole numbers; a fraction is rounded
    x.filter(|v| v.is_finite() && *v > 0.0)
        .map_or(0, |v| v.round().min(f64::from(u32::MAX)) as u32)
}

fn positive(x: f64) -> Positive {
    Positive(Interval::exact(x), None)
}

/// The bill of materials of a host platform.
pub(super) fn platform_bom(p: &CloudPlatform) -> Bom {
    let some = |n: u32| (n > 0).then_some(n);
    Bom {
        cpus: p
            .cpu_name
            .as_ref()
            .zip(some(units(p.cpu_units)))
            .map(|(name, n)| {
                vec![CpuPart {
                    model: Some(name.clone()),
                    units: Count(n),
                    ..CpuPart::default()
                }]
            }),
        gpus: p
            .gpu_name
            .as_ref()
            .zip(some(units(p.gpu_units)))
            .map(|(name, n)| {
                vec![GpuPart {
                    model: Some(name.clone()),
                    units: Count(n),
                    ..GpuPart::default()
                }]
            }),
        ram: p
            .ram_capacity_gb
            .filter(|c| *c > 0.0)
            .zip(some(units(p.ram_units)))
            .map(|(c, n)| {
                vec![MemoryPart {
                    capacity_gb: positive(c),
                    units: Count(n),
                    density_gb_per_cm2: None,
                    manufacturer: None,
                    process_nm: None,
                }]
            }),
        ssd: p
            .ssd_capacity_gb
            .filter(|c| *c > 0.0)
            .zip(some(units(p.ssd_units)))
            .map(|(c, n)| {
                vec![StoragePart {
                    capacity_gb: positive(c),
                    units: Count(n),
                    density_gb_per_cm2: None,
                    manufacturer: None,
                    layers: None,
                }]
            }),
        hdd: some(units(p.hdd_units)).map(|n| {
            vec![HddPart {
                units: Count(n),
                capacity_gb: None,
            }]
        }),
        power_supplies: some(units(p.power_supply_units)).map(|n| {
            vec![PowerSupplyPart {
                units: Count(n),
                mass_kg: None,
            }]
        }),
        server: Some(if p.case == "blade" {
            CaseType::Blade
        } else {
            CaseType::Rack
        }),
        ..Bom::default()
    }
}

/// The instance's share of its host platform, by GPUs when it has some, else by vCPUs, said in
/// the trail of `em`; why not, when the host gives no vCPUs to share.
fn host_share(
    data: &ImpactData,
    em: &mut Embodied<'_, '_>,
    x: &CloudInstance,
    p: &CloudPlatform,
) -> std::result::Result<f64, String> {
    let cloud = data.cloud().map_err(|e| e.to_string())?;
    let host_gpus = p.gpu_units.unwrap_or(0.0);
    let (share, how) = match x.gpu_units.filter(|g| *g > 0.0) {
        Some(g) if host_gpus > 0.0 => (
            g / host_gpus,
            format!("{} of the host's {} GPUs", num(g), num(host_gpus)),
        ),
        _ => {
            let host = cloud.platform_vcpus(p);
            if host <= 0.0 {
                return Err(format!(
                    "the host platform {} of {} gives no vCPUs to share",
                    p.id,
                    x.name()
                ));
            }
            (
                x.vcpu / host,
                format!("{} of the host's {} vCPUs", num(x.vcpu), num(host)),
            )
        }
    };
    em.trail.cite(data, &x.source_id);
    em.trail.assume(format!(
        "instance {}: {how}, i.e. {} of its host platform {} (BoaviztAPI 2.5.0 cloud archetypes and server.csv) in each part",
        x.name(),
        num(share),
        p.id
    ));
    if let Some(n) = p.note.as_deref().filter(|n| !n.is_empty()) {
        em.trail.assume(format!("host platform {}: {n}", p.id));
    }
    Ok(share)
}

/// The components of instance `x` on host `p` as `mlca hardware show` gives them: each part of
/// the host scaled by the instance's share, as in an assessment.
pub(crate) fn shown_instance<'t>(
    data: &ImpactData,
    em: &mut Embodied<'_, 't>,
    x: &CloudInstance,
    p: &CloudPlatform,
) -> Result<Vec<Component<Var<'t>>>> {
    let share = host_share(data, em, x, p).map_err(crate::error::Error::msg)?;
    let parts = em.bom(&platform_bom(p), &|l: &str| {
        format!("host platform {}: {l}", p.id)
    })?;
    Ok(parts
        .into_iter()
        .map(|mut c| {
            c.manufacture = c.manufacture.scale(share);
            c
        })
        .collect())
}

/// The components of one instance `name`, each its share of the host's part, for the node kind
/// at `base` (`infrastructure[i]`).
pub(super) fn instance<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    em: &mut Embodied<'_, 't>,
    name: &str,
    over: Option<&Bom>,
    base: &str,
) -> Result<Vec<Component<Var<'t>>>> {
    let field = format!("{base}.instance");
    let cloud = data.cloud()?;
    let (x, p) = cloud
        .find(name)
        .map_err(|e| loaded.locate_error(e, &field))?;
    let share = host_share(data, em, x, p).map_err(|why| {
        loaded.error_at(
            &field,
            why,
            Some("give the node's bill of materials under bom".into()),
        )
    })?;
    let over = over.cloned().unwrap_or_default();
    let bom = platform_bom(p).overridden_by(&over);
    let path_of = |list: &str| super::override_path(&over, base, list, &field);
    let parts = em.bom(&bom, &path_of).map_err(|e| match e {
        // a host part the data cannot compute: say how to give it
        crate::error::Error::Input(mut d)
            if d.field.as_deref().is_some_and(|f| f.starts_with(field.as_str())) =>
        {
            d.field = Some(field.clone());
            d.message = format!("instance {}: {}", x.name(), d.message);
            d.hint = Some(format!(
                "{}; or replace the host's part list under {base}.bom (e.g. bom.cpus with die_area_mm2)",
                d.hint.unwrap_or_default()
            ));
            crate::error::Error::Input(d)
        }
        e => e,
    })?;
    Ok(parts
        .into_iter()
        .map(|mut c| {
            c.manufacture = c.manufacture.scale(share);
            c
        })
        .collect())
}
