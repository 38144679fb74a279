//! `mlca hardware` and `mlca mix`: the catalog and the electricity data, with embodied impacts
//! computed by the same code as an assessment.

use crate::cli::{Kind, ShowFormat};
use crate::data::{ImpactData, Mix};
use crate::embodied::{Component, Embodied, SourceRef};
use crate::error::{Error, Result};
use crate::impacts::Impacts;
use crate::interval::Interval;
use crate::report::{num, range};
use crate::scenario::{Count, CpuPart, GpuPart};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Serialize)]
struct Shown {
    kind: &'static str,
    name: String,
    specs: Value,
    embodied: Impacts,
    components: Vec<Component>,
    assumptions: Vec<String>,
    warnings: Vec<String>,
    sources: Vec<SourceRef>,
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
        pcb_area_cm2: None,
        casing_kg: None,
        heatsink_kg: None,
        mass_kg: None,
        boat_km: None,
        truck_km: None,
        plane_km: None,
    }
}

fn show_item(
    data: &ImpactData,
    name: &str,
    kind: Option<Kind>,
    method: crate::embodied::EmbodiedMethod,
) -> Result<Shown> {
    let mut em = Embodied::with_method(data, method);
    let try_kind = |k: Kind| kind.is_none() || kind == Some(k);
    let mut errors = Vec::new();
    if try_kind(Kind::Node) {
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
    if try_kind(Kind::Gpu) {
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
                });
                return Ok(finish(em, "gpu", g.name.clone(), specs, vec![c]));
            }
            Err(e) => errors.push(e),
        }
    }
    if try_kind(Kind::Cpu) {
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
    if kind == Some(Kind::Ram) || kind == Some(Kind::Ssd) {
        return Err(Error::msg("RAM and SSD are listed as densities, not named items").into_hint(
            "use `mlca hardware list --kind ram` (or ssd), and give capacity_gb and density_gb_per_cm2 in a bill of materials",
        ));
    }
    // Report the most specific error: an ambiguity over an unknown name.
    let pick = errors
        .iter()
        .position(|e| e.to_string().contains("ambiguous"))
        .unwrap_or(0);
    Err(errors
        .into_iter()
        .nth(pick)
        .unwrap_or_else(|| Error::msg(format!("unknown item \"{name}\""))))
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
    components: Vec<Component>,
) -> Shown {
    let embodied = components.iter().map(|c| c.manufacture).sum();
    Shown {
        kind,
        name,
        specs,
        embodied,
        components,
        assumptions: em.trail.assumptions,
        warnings: em.trail.warnings,
        sources: em.trail.sources.into_values().collect(),
    }
}

pub fn show(
    data: &ImpactData,
    name: &str,
    kind: Option<Kind>,
    method: crate::embodied::EmbodiedMethod,
    format: ShowFormat,
) -> Result<String> {
    let s = show_item(data, name, kind, method)?;
    match format {
        ShowFormat::Json => serde_json::to_string_pretty(&s)
            .map(|x| x + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        ShowFormat::Table => {
            let mut out = format!("{} ({})\n", s.name, s.kind);
            if let Value::Object(m) = &s.specs {
                for (k, v) in m {
                    let v = match v {
                        Value::Null => "not known".to_string(),
                        Value::String(x) => x.clone(),
                        Value::Number(n) => n.as_f64().map(num).unwrap_or_else(|| n.to_string()),
                        other => other.to_string(),
                    };
                    out.push_str(&format!("  {k}: {v}\n"));
                }
            }
            out.push_str(
                "\nEmbodied impacts (manufacture, transport and end of life where modelled):\n",
            );
            for c in &s.components {
                out.push_str(&format!(
                    "  {} {} x{}: {} kgCO2eq, {} kgSbeq, {} MJ\n",
                    c.component,
                    c.name,
                    c.units,
                    range(c.manufacture.gwp),
                    range(c.manufacture.adp),
                    range(c.manufacture.pe)
                ));
            }
            out.push_str(&format!(
                "  total: GWP {} kgCO2eq, ADP {} kgSbeq, PE {} MJ\n",
                range(s.embodied.gwp),
                range(s.embodied.adp),
                range(s.embodied.pe)
            ));
            crate::report::list(&mut out, "Assumptions", &s.assumptions);
            crate::report::list(&mut out, "Warnings", &s.warnings);
            out.push_str("\nSources:\n");
            for x in &s.sources {
                out.push_str(&format!("  - [{}] {} ({})\n", x.id, x.citation, x.year));
            }
            Ok(out)
        }
    }
}

pub fn list(data: &ImpactData, kind: Option<Kind>) -> String {
    let mut out = String::new();
    let want = |k: Kind| kind.is_none() || kind == Some(k);
    if want(Kind::Node) {
        out.push_str("Nodes:\n");
        for n in &data.nodes {
            out.push_str(&format!("  {}  — {}\n", n.name, n.description));
        }
    }
    if want(Kind::Gpu) {
        out.push_str("GPUs (effective die mm2, VRAM GB):\n");
        for g in &data.gpus {
            let masses = if g.mass_kg.is_none() {
                "  [masses not known]"
            } else {
                ""
            };
            out.push_str(&format!(
                "  {}  ({}, {}){masses}\n",
                g.name,
                g.die_area_effective_mm2
                    .map(num)
                    .unwrap_or_else(|| "?".into()),
                g.vram_gb.map(num).unwrap_or_else(|| "?".into())
            ));
        }
    }
    if want(Kind::Cpu) {
        out.push_str(&format!(
            "CPUs ({} with a die area; die mm2, cores, TDP W):\n",
            data.cpus.len()
        ));
        for c in &data.cpus {
            let f = |x: Option<f64>| x.map(num).unwrap_or_else(|| "?".into());
            out.push_str(&format!(
                "  {}  ({}, {}, {})\n",
                c.name,
                f(c.die_area_mm2),
                f(c.cores),
                f(c.tdp_w)
            ));
        }
    }
    if want(Kind::Ram) {
        out.push_str("RAM densities (manufacturer, process nm, GB/cm2):\n");
        for r in &data.ram {
            out.push_str(&format!(
                "  {} {} nm: {}\n",
                r.manufacturer, r.process_nm, r.density_gb_per_cm2
            ));
        }
    }
    if want(Kind::Ssd) {
        out.push_str("SSD densities (manufacturer, layers, GB/cm2):\n");
        for r in &data.ssd {
            out.push_str(&format!(
                "  {} {} layers: {} ({})\n",
                r.manufacturer, r.layers, r.density_gb_per_cm2, r.year
            ));
        }
    }
    out
}

#[derive(Serialize)]
struct MixFactorOut {
    value: f64,
    min: f64,
    max: f64,
    unit: &'static str,
    source: Option<SourceRef>,
    year: String,
}

pub fn mix_show(data: &ImpactData, country: &str, format: ShowFormat) -> Result<String> {
    let m: &Mix = data.find_mix(country)?;
    let average = m.code == "WOR" || m.code == "EEE";
    let mut factors = serde_json::Map::new();
    for (key, f, unit) in [
        ("gwp_kgco2eq_per_kwh", &m.gwp, "kgCO2eq/kWh"),
        ("adp_kgsbeq_per_kwh", &m.adp, "kgSbeq/kWh"),
        ("pe_mj_per_kwh", &m.pe, "MJ/kWh"),
    ] {
        let v = match f {
            None => Value::Null,
            Some(f) => {
                let crit = key.split('_').next().unwrap_or("");
                let mut i = Interval::exact(f.value);
                if average {
                    if let Some(r) = data.mix_ranges.get(crit) {
                        i = Interval::new(f.value, r.min, r.max);
                    }
                }
                let src = data.source(&f.source_id).map(|s| SourceRef {
                    id: s.source_id.clone(),
                    citation: s.citation.clone(),
                    url: s.url.clone(),
                    year: s.year.clone(),
                    bibtex_key: s.bibtex_key.clone(),
                });
                serde_json::to_value(MixFactorOut {
                    value: i.value,
                    min: i.min,
                    max: i.max,
                    unit,
                    source: src,
                    year: f.year.clone(),
                })
                .map_err(|e| Error::Internal(e.to_string()))?
            }
        };
        factors.insert(key.to_string(), v);
    }
    let obj = json!({"code": m.code, "country": m.country, "factors": factors});
    match format {
        ShowFormat::Json => serde_json::to_string_pretty(&obj)
            .map(|x| x + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        ShowFormat::Table => {
            let mut out = format!("{} ({})\n", m.country, m.code);
            for k in ["gwp_kgco2eq_per_kwh", "adp_kgsbeq_per_kwh", "pe_mj_per_kwh"] {
                let v = &factors[k];
                if v.is_null() {
                    out.push_str(&format!("  {k}: not in the data\n"));
                    continue;
                }
                let val = v["value"].as_f64().unwrap_or(f64::NAN);
                let (lo, hi) = (
                    v["min"].as_f64().unwrap_or(val),
                    v["max"].as_f64().unwrap_or(val),
                );
                let cite = v["source"]["citation"].as_str().unwrap_or("");
                let year = v["year"].as_str().unwrap_or("");
                out.push_str(&format!(
                    "  {k}: {}  — {cite} ({year})\n",
                    range(Interval::new(val, lo, hi))
                ));
            }
            Ok(out)
        }
    }
}

pub fn mix_list(data: &ImpactData) -> String {
    let mut out = String::from("code  country\n");
    for m in &data.mixes {
        out.push_str(&format!("{:<5} {}\n", m.code, m.country));
    }
    out
}
