//! `mlca hardware` and `mlca mix`: the catalog, an item's embodied impacts and the electricity
//! data, as tables or JSON.

use crate::assessment::hardware::Shown;
use crate::data::provenance::SourceRef;
use crate::data::{CatalogKind as Kind, ImpactData, Mix};
use crate::error::{Error, Result};
use crate::output::{cell, list as titled, num, range, Format};
use crate::quantity::impacts::Criterion;
use crate::quantity::interval::Interval;
use serde::Serialize;
use serde_json::{json, Value};

/// A catalog item as a table or JSON.
pub fn show(s: &Shown, format: Format) -> Result<String> {
    match format {
        Format::Json => serde_json::to_string_pretty(&s)
            .map(|x| x + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        _ => {
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
                let water = match c.not_assessed.reason(Criterion::Water) {
                    Some(_) => "water not covered".to_string(),
                    None => format!("{} m3 water", range(c.manufacture.water)),
                };
                out.push_str(&format!(
                    "  {} {} x{}: {} kgCO2eq, {} kgSbeq, {} MJ, {water}\n",
                    c.component,
                    c.name,
                    c.units,
                    range(c.manufacture.gwp),
                    range(c.manufacture.adp),
                    range(c.manufacture.pe)
                ));
            }
            out.push_str(&format!(
                "  total: GWP {} kgCO2eq, ADP {} kgSbeq, PE {} MJ, water {} m3 (the parts with a water figure)\n",
                cell(&s.embodied.gwp),
                cell(&s.embodied.adp),
                cell(&s.embodied.pe),
                cell(&s.embodied.water)
            ));
            titled(&mut out, "Assumptions", &s.assumptions);
            titled(&mut out, "Warnings", &s.warnings);
            out.push_str("\nSources:\n");
            for x in &s.sources {
                out.push_str(&format!("  - [{}] {} ({})\n", x.id, x.citation, x.year));
            }
            Ok(out)
        }
    }
}

pub fn list(data: &ImpactData, kind: Option<Kind>) -> Result<String> {
    let mut out = String::new();
    let want = |k: Kind| kind.is_none() || kind == Some(k);
    if want(Kind::Node) {
        out.push_str("Nodes:\n");
        for n in data.nodes()? {
            out.push_str(&format!("  {}  — {}\n", n.name, n.description));
        }
    }
    if want(Kind::Gpu) {
        out.push_str("GPUs (effective die mm2, VRAM GB):\n");
        for g in data.gpus()? {
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
            data.cpus()?.len()
        ));
        for c in data.cpus()? {
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
        for r in data.ram()? {
            out.push_str(&format!(
                "  {} {} nm: {}\n",
                r.manufacturer, r.process_nm, r.density_gb_per_cm2
            ));
        }
    }
    if want(Kind::Ssd) {
        out.push_str("SSD densities (manufacturer, layers, GB/cm2):\n");
        for r in data.ssd()? {
            out.push_str(&format!(
                "  {} {} layers: {} ({})\n",
                r.manufacturer, r.layers, r.density_gb_per_cm2, r.year
            ));
        }
    }
    Ok(out)
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

/// A country's mix (written as an ISO 3166-1 code or a name) or a cloud region's (`aws
/// us-east-1`, shown with its country).
pub fn mix_show(data: &ImpactData, country: &str, format: Format) -> Result<String> {
    let locations = data.locations()?;
    let (m, region): (&Mix, Option<String>) = if locations.names_provider(country) {
        let (r, m) = data.find_region(country)?;
        (m, Some(r.to_string()))
    } else {
        (data.find_mix(country)?, None)
    };
    let alpha2 = locations.country(&m.code).map(|(c, _)| c.alpha2.clone());
    let mut factors = serde_json::Map::new();
    for (key, crit, unit) in [
        ("gwp_kgco2eq_per_kwh", Criterion::Gwp, "kgCO2eq/kWh"),
        ("adp_kgsbeq_per_kwh", Criterion::Adp, "kgSbeq/kWh"),
        ("pe_mj_per_kwh", Criterion::Pe, "MJ/kWh"),
        ("water_m3_per_kwh", Criterion::Water, "m3/kWh"),
    ] {
        let v = match data.mix_factor(m, crit) {
            None => Value::Null,
            Some((f, range)) => {
                let i = match range {
                    Some(r) => Interval::new(f.value, r.min, r.max),
                    None => Interval::exact(f.value),
                };
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
                    year: f.year.to_string(),
                })
                .map_err(|e| Error::Internal(e.to_string()))?
            }
        };
        factors.insert(key.to_string(), v);
    }
    let mut obj =
        json!({"code": m.code, "alpha2": alpha2, "country": m.country, "factors": factors});
    if let (Some(r), Some(o)) = (&region, obj.as_object_mut()) {
        o.insert("cloud_region".into(), json!(r));
    }
    match format {
        Format::Json => serde_json::to_string_pretty(&obj)
            .map(|x| x + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        _ => {
            let mut out = format!("{} ({})\n", m.country, m.code);
            if let Some(r) = &region {
                out.push_str(&format!("  cloud region {r}: the mix of its country\n"));
            }
            for k in [
                "gwp_kgco2eq_per_kwh",
                "adp_kgsbeq_per_kwh",
                "pe_mj_per_kwh",
                "water_m3_per_kwh",
            ] {
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

/// The mixes (alpha-3 and alpha-2 codes, name) and the cloud regions with their countries.
pub fn mix_list(data: &ImpactData) -> Result<String> {
    let locations = data.locations()?;
    let mut out = String::from("code  alpha-2  country\n");
    for m in data.mixes()? {
        let a2 = locations
            .country(&m.code)
            .map_or("", |(c, _)| c.alpha2.as_str());
        out.push_str(&format!("{:<5} {a2:<8} {}\n", m.code, m.country));
    }
    out.push_str("\ncloud regions (provider region -> country)\n");
    for p in locations.providers() {
        let regions: Vec<String> = locations
            .regions
            .iter()
            .filter(|r| r.provider == p)
            .map(|r| format!("{} {}", r.region, r.country))
            .collect();
        out.push_str(&format!("{p}: {}\n", regions.join(", ")));
    }
    Ok(out)
}
