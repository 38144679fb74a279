//! `mlca hardware show`: a catalog item's embodied impacts, computed by the same code as an
//! assessment (the item as a one-line bill of materials).

use crate::data::provenance::SourceRef;
use crate::data::{CatalogKind, ImpactData};
use crate::embodied::{Component, Embodied};
use crate::error::{Error, ErrorKind, Result};
use crate::quantity::impacts::{AssessedImpacts, Gaps};
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{Count, CpuPart, EmbodiedMethod, GpuPart};
use serde::Serialize;
use serde_json::{json, Value};

/// A catalog item with its embodied impacts, as `mlca hardware show` gives it.
#[derive(Serialize)]
pub struct Shown {
    pub kind: &'static str,
    pub name: String,
    pub specs: Value,
    /// The sum of the components; water a partial sum over the parts with a water figure.
    pub embodied: AssessedImpacts,
    pub components: Vec<Component>,
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: Vec<SourceRef>,
}

fn opt(x: Option<f64>) -> Value {
    x.map(Value::from).unwrap_or(Value::Null)
}

fn gpu_part(name: &str) -> GpuPart {
    GpuPart {
        model: Some(name.to_string()),
        name: None,
        units: Count(1),
        die_area_mm2: None,
        die_area_effective_mm2: None,
        vram_gb: None,
        vram_dies: None,
        vram_area_mm2: None,
        pcb_area_cm2: None,
        casing_kg: None,
        heatsink_kg: None,
        mass_kg: None,
        boat_km: None,
        truck_km: None,
        plane_km: None,
    }
}

/// Find `name` in the catalog (nodes, then GPUs, then CPUs, or only `kind`) and compute its
/// embodied impacts by `method`, as an assessment would.
pub fn show_item(
    data: &ImpactData,
    name: &str,
    kind: Option<CatalogKind>,
    method: EmbodiedMethod,
) -> Result<Shown> {
    let tape = Tape::off();
    let mut em = Embodied::with_method(data, method, &tape);
    let try_kind = |k: CatalogKind| kind.is_none() || kind == Some(k);
    let mut errors = Vec::new();
    if try_kind(CatalogKind::Node) {
        match data.find_node(name) {
            Ok(n) => {
                em.trail.cite(data, &n.source_id);
                for a in &n.assumptions {
                    em.trail.assume(a.clone());
                }
                for x in &n.not_included {
                    em.trail.assume(format!("not included: {x}"));
                }
                let comps = em.bom(&n.bom, &|l: &str| format!("bom.{l}"))?;
                return Ok(finish(
                    em,
                    "node",
                    n.name.clone(),
                    json!({"description": n.description, "source_id": n.source_id}),
                    comps,
                ));
            }
            Err(e) => errors.push(e),
        }
    }
    if try_kind(CatalogKind::Gpu) {
        match data.find_gpu(name) {
            Ok(g) => {
                let c = em.gpu(&gpu_part(&g.name), "gpu".into())?;
                let specs = json!({
                    "manufacturer": g.manufacturer, "aliases": g.aliases,
                    "die_area_effective_mm2": opt(g.die_area_effective_mm2), "vram_gb": opt(g.vram_gb),
                    "vram_dies": opt(g.vram_dies), "pcb_area_cm2": opt(g.pcb_area_cm2),
                    "casing_kg": opt(g.casing_kg), "heatsink_kg": opt(g.heatsink_kg), "mass_kg": opt(g.mass_kg),
                    "boat_km": opt(g.boat_km), "truck_km": opt(g.truck_km), "plane_km": opt(g.plane_km),
                    "source_id": g.source_id, "spec_source": g.spec_source,
                    "tdp_w": opt(g.tdp_w), "tdp_source": g.tdp_source.clone().or_else(|| g.tdp_note.clone()),
                });
                return Ok(finish(em, "gpu", g.name.clone(), specs, vec![c]));
            }
            Err(e) => errors.push(e),
        }
    }
    if try_kind(CatalogKind::Cpu) {
        match data.find_cpu(name) {
            Ok(c) => {
                let part = CpuPart {
                    model: Some(c.name.clone()),
                    name: None,
                    die_area_mm2: None,
                    units: Count(1),
                };
                let comp = em.cpu(&part, "cpu".into())?;
                let specs = json!({
                    "manufacturer": c.manufacturer, "code_name": c.code_name, "cores": opt(c.cores),
                    "threads": opt(c.threads), "tdp_w": opt(c.tdp_w), "die_area_mm2": opt(c.die_area_mm2),
                    "die_area_note": c.die_area_note, "source_id": c.source_id, "spec_source": c.spec_source,
                });
                return Ok(finish(em, "cpu", c.name.clone(), specs, vec![comp]));
            }
            Err(e) => errors.push(e),
        }
    }
    // a cloud instance ("aws p5.48xlarge"): its share of its host platform
    if kind.is_none() {
        let cloud = data.cloud()?;
        match cloud.find(name) {
            Ok((x, p)) => {
                let comps = crate::embodied::cloud::shown_instance(data, &mut em, x, p)?;
                let specs = json!({
                    "provider": x.provider, "vcpu": x.vcpu, "memory_gb": x.memory_gb,
                    "ssd_gb": opt(x.ssd_gb), "hdd_gb": opt(x.hdd_gb), "gpu_units": opt(x.gpu_units),
                    "platform": x.platform, "platform_case": p.case, "platform_cpu": p.cpu_name,
                    "platform_cpu_units": opt(p.cpu_units), "platform_gpu": p.gpu_name,
                    "platform_gpu_units": opt(p.gpu_units), "source_id": x.source_id,
                });
                return Ok(finish(em, "instance", x.name(), specs, comps));
            }
            // a name that starts with a provider is an instance misspelt: its suggestions first
            Err(e) if is_provider(name) => errors.insert(0, e),
            Err(e) => errors.push(e),
        }
    }
    if kind == Some(CatalogKind::Ram) || kind == Some(CatalogKind::Ssd) {
        return Err(Error::msg("RAM and SSD are listed as densities, not named items").into_hint(
            "use `mlca hardware list --kind ram` (or ssd), and give capacity_gb and density_gb_per_cm2 in a bill of materials",
        ));
    }
    // Report the most specific error: an ambiguity over an unknown name.
    let pick = errors
        .iter()
        .position(|e| matches!(e.kind(), Some(ErrorKind::AmbiguousName { .. })))
        .unwrap_or(0);
    Err(errors
        .into_iter()
        .nth(pick)
        .unwrap_or_else(|| Error::msg(format!("unknown item \"{name}\""))))
}

/// Whether `name` starts with a cloud provider of the catalog (`aws p5.48xlarge`).
fn is_provider(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or_default();
    ["aws", "azure", "gcp", "ovhcloud", "scaleway"]
        .iter()
        .any(|p| first.eq_ignore_ascii_case(p))
}

trait IntoHint {
    fn into_hint(self, h: &str) -> Error;
}
impl IntoHint for Error {
    fn into_hint(self, h: &str) -> Error {
        match self {
            Error::Input(mut d) => {
                d.hint = Some(h.to_string());
                Error::Input(d)
            }
            e => e,
        }
    }
}

fn finish(
    em: Embodied,
    kind: &'static str,
    name: String,
    specs: Value,
    components: Vec<Component<Var>>,
) -> Shown {
    let components: Vec<Component> = components.iter().map(Component::intervals).collect();
    let embodied = AssessedImpacts::new(
        components.iter().map(|c| c.manufacture).sum(),
        &Gaps::of_sum(components.iter().map(|c| &c.not_assessed)),
    );
    Shown {
        kind,
        name,
        specs,
        embodied,
        components,
        assumptions: em.trail.assumptions.into(),
        warnings: em.trail.warnings.into(),
        sources: em.trail.sources.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ambiguity_is_reported_over_an_unknown_name() -> Result<()> {
        let data = ImpactData::embedded()?;
        let e = show_item(&data, "A100 80GB", None, EmbodiedMethod::Boavizta25).err();
        assert!(
            matches!(e.as_ref().and_then(Error::kind), Some(ErrorKind::AmbiguousName { kind, matches, .. })
                if kind == "GPU" && matches.len() == 2),
            "{e:?}"
        );
        let shown = show_item(&data, "aws p5.48xlarge", None, EmbodiedMethod::Boavizta25)?;
        assert_eq!(shown.kind, "instance");
        assert!(shown
            .assumptions
            .iter()
            .any(|a| a.contains("of the host's")));
        let e = show_item(&data, "aws p5.48xlarg", None, EmbodiedMethod::Boavizta25).err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.to_string().contains("p5.48xlarge")),
            "a misspelt instance suggests the instance: {e:?}"
        );
        let e = show_item(&data, "Quantum GPU 9000", None, EmbodiedMethod::Boavizta25).err();
        assert!(
            matches!(
                e.as_ref().and_then(Error::kind),
                Some(ErrorKind::UnknownName { .. })
            ),
            "{e:?}"
        );
        Ok(())
    }
}
