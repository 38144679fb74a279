//! Layer 2, data: the impact data (factors, electricity mixes, hardware catalog and defaults,
//! each row with its source), name matching ([`names`]), the bill-of-materials model the
//! catalog's nodes share with scenarios ([`bom`]), the component kinds of a report
//! ([`component`]) and provenance ([`provenance`]).
//!
//! The files of `impact-data/` are embedded at build time; `--data DIR` replaces any of them by a
//! file of the same name in DIR. The loader rejects a row whose source is not listed in
//! `sources.csv`.

pub mod bom;
pub mod component;
pub mod names;
pub mod provenance;

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::impacts::Triple;
use crate::quantity::interval::Interval;
use bom::Bom;
use names::NameIndex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The kinds of catalog item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogKind {
    Cpu,
    Gpu,
    Ram,
    Ssd,
    Node,
}

/// The data files, by name, with their embedded contents.
const FILES: [(&str, &str); 14] = [
    (
        "other-methods.csv",
        include_str!("../../impact-data/other-methods.csv"),
    ),
    (
        "references.bib",
        include_str!("../../impact-data/references.bib"),
    ),
    ("VERSION", include_str!("../../impact-data/VERSION")),
    ("sources.csv", include_str!("../../impact-data/sources.csv")),
    (
        "electricity.csv",
        include_str!("../../impact-data/electricity.csv"),
    ),
    (
        "electricity-ranges.csv",
        include_str!("../../impact-data/electricity-ranges.csv"),
    ),
    (
        "boavizta-factors.csv",
        include_str!("../../impact-data/boavizta-factors.csv"),
    ),
    (
        "defaults.csv",
        include_str!("../../impact-data/defaults.csv"),
    ),
    ("cpus.csv", include_str!("../../impact-data/cpus.csv")),
    ("gpus.csv", include_str!("../../impact-data/gpus.csv")),
    ("ram.csv", include_str!("../../impact-data/ram.csv")),
    ("ssd.csv", include_str!("../../impact-data/ssd.csv")),
    ("nodes.yaml", include_str!("../../impact-data/nodes.yaml")),
    ("SOURCES.md", include_str!("../../impact-data/SOURCES.md")),
];

#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    pub source_id: String,
    pub citation: String,
    pub url: String,
    pub year: String,
    /// Key of its entry in references.bib.
    pub bibtex_key: String,
}

/// One electricity factor of one country, with its source.
#[derive(Debug, Clone)]
pub struct MixFactor {
    pub value: f64,
    pub source_id: String,
    pub year: String,
}

#[derive(Debug, Clone)]
pub struct Mix {
    pub code: String,
    pub country: String,
    pub gwp: Option<MixFactor>,
    pub adp: Option<MixFactor>,
    pub pe: Option<MixFactor>,
}

#[derive(Deserialize)]
struct MixRow {
    code: String,
    country: String,
    gwp_kgco2eq_per_kwh: Option<f64>,
    gwp_source_id: Option<String>,
    gwp_year: Option<String>,
    adp_kgsbeq_per_kwh: Option<f64>,
    adp_source_id: Option<String>,
    adp_year: Option<String>,
    pe_mj_per_kwh: Option<f64>,
    pe_source_id: Option<String>,
    pe_year: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MixRange {
    pub criterion: String,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    pub source_id: String,
    pub year: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Factor {
    pub factor_id: String,
    pub quantity_unit: String,
    pub gwp_kgco2eq: f64,
    pub adp_kgsbeq: f64,
    pub pe_mj: f64,
    pub source_id: String,
    pub year: String,
    pub reference: String,
}

impl Factor {
    pub fn triple(&self) -> Triple {
        Triple {
            gwp: self.gwp_kgco2eq,
            adp: self.adp_kgsbeq,
            pe: self.pe_mj,
        }
    }
}

/// A factor of another embodied method (MLCA, EcoLogits).
#[derive(Debug, Clone, Deserialize)]
pub struct MethodFactor {
    pub method: String,
    pub factor_id: String,
    pub quantity_unit: String,
    pub gwp_kgco2eq: f64,
    pub adp_kgsbeq: f64,
    pub pe_mj: f64,
    pub source_id: String,
    pub year: String,
    pub reference: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DefaultValue {
    pub default_id: String,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    pub source_id: String,
    pub year: String,
    pub note: String,
}

impl DefaultValue {
    pub fn interval(&self) -> Interval {
        Interval::new(self.value, self.min, self.max)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CpuSpec {
    pub name: String,
    pub manufacturer: String,
    pub code_name: Option<String>,
    pub cores: Option<f64>,
    pub threads: Option<f64>,
    pub tdp_w: Option<f64>,
    pub die_area_mm2: Option<f64>,
    pub source_id: String,
    pub die_area_note: Option<String>,
    pub spec_source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GpuSpec {
    pub name: String,
    #[serde(deserialize_with = "split_aliases")]
    pub aliases: Vec<String>,
    pub manufacturer: String,
    pub gpu_dies: Option<f64>,
    pub vram_gb: Option<f64>,
    pub vram_dies: Option<f64>,
    pub die_area_effective_mm2: Option<f64>,
    pub pcb_area_cm2: Option<f64>,
    pub casing_kg: Option<f64>,
    pub heatsink_kg: Option<f64>,
    pub mass_kg: Option<f64>,
    pub boat_km: Option<f64>,
    pub truck_km: Option<f64>,
    pub plane_km: Option<f64>,
    pub source_id: String,
    pub spec_source: Option<String>,
    /// Physical die area (for the MLCA method), mm2.
    pub die_area_mm2: Option<f64>,
}

fn split_aliases<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    Ok(s.unwrap_or_default()
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect())
}

#[derive(Debug, Clone, Deserialize)]
pub struct RamRow {
    pub manufacturer: String,
    pub process_nm: f64,
    pub density_gb_per_cm2: f64,
    pub source_id: String,
    pub year: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SsdRow {
    pub manufacturer: String,
    pub layers: f64,
    pub bits_per_cell: Option<f64>,
    pub density_gb_per_cm2: f64,
    pub source_id: String,
    pub year: String,
    pub spec_source: Option<String>,
}

/// A ready node of the catalog: a bill of materials with its source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub source_id: String,
    pub description: String,
    #[serde(default)]
    pub assumptions: Vec<String>,
    #[serde(default)]
    pub not_included: Vec<String>,
    pub bom: Bom,
}

/// All impact data, loaded and checked.
#[derive(Debug, Clone)]
pub struct ImpactData {
    pub version: String,
    /// Where each file came from: "embedded" or a path.
    pub origins: BTreeMap<String, String>,
    pub sources: BTreeMap<String, Source>,
    pub mixes: Vec<Mix>,
    pub mix_ranges: BTreeMap<String, MixRange>,
    pub factors: BTreeMap<String, Factor>,
    /// Factors of other embodied methods, by "method/factor_id".
    pub method_factors: BTreeMap<String, MethodFactor>,
    pub defaults: BTreeMap<String, DefaultValue>,
    pub cpus: Vec<CpuSpec>,
    pub gpus: Vec<GpuSpec>,
    pub ram: Vec<RamRow>,
    pub ssd: Vec<SsdRow>,
    pub nodes: Vec<NodeSpec>,
    /// BibTeX entries by key.
    pub bibtex: BTreeMap<String, String>,
    gpu_names: NameIndex,
    cpu_names: NameIndex,
    node_names: NameIndex,
    mix_names: NameIndex,
}

fn bad_data(file: &str, origin: &str, msg: impl std::fmt::Display) -> Error {
    let d = Diagnostic::new(format!("impact data file {file} ({origin}): {msg}"));
    if origin == "embedded" {
        Error::Internal(d.message)
    } else {
        Error::input(d.hint("fix the file given with --data, or remove it to use the embedded one"))
    }
}

fn read_csv<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    origin: &str,
) -> Result<Vec<T>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize().enumerate() {
        let row: T = rec.map_err(|e| bad_data(file, origin, format!("row {}: {e}", i + 2)))?;
        out.push(row);
    }
    Ok(out)
}

impl ImpactData {
    /// The data embedded in the binary.
    pub fn embedded() -> Result<Self> {
        Self::load(None)
    }

    /// The embedded data, with any file present in `dir` replacing the embedded one.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        if let Some(d) = dir {
            if !d.is_dir() {
                return Err(Diagnostic::new(format!("--data {}: not a directory", d.display()))
                    .hint("give a directory holding files named as in impact-data/ (sources.csv, electricity.csv, ...)")
                    .into());
            }
        }
        let mut texts: BTreeMap<&str, (String, String)> = BTreeMap::new();
        for (name, embedded) in FILES {
            let over: Option<PathBuf> = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let entry = match over {
                Some(p) => {
                    let t = std::fs::read_to_string(&p).map_err(|e| {
                        Error::input(Diagnostic::new(format!("cannot read {}: {e}", p.display())))
                    })?;
                    (t, p.display().to_string())
                }
                None => (embedded.to_string(), "embedded".to_string()),
            };
            texts.insert(name, entry);
        }
        let get = |n: &str| -> (&str, &str) {
            texts
                .get(n)
                .map(|(t, o)| (t.as_str(), o.as_str()))
                .unwrap_or(("", "embedded"))
        };

        let (t, o) = get("sources.csv");
        let sources: BTreeMap<String, Source> = read_csv::<Source>("sources.csv", t, o)?
            .into_iter()
            .map(|s| (s.source_id.clone(), s))
            .collect();

        let check = |file: &str, origin: &str, id: &str, what: &str| -> Result<()> {
            if sources.contains_key(id) {
                Ok(())
            } else {
                Err(bad_data(
                    file,
                    origin,
                    format!("{what}: source_id \"{id}\" is not in sources.csv"),
                ))
            }
        };

        let (t, o) = get("electricity.csv");
        let mut mixes = Vec::new();
        for r in read_csv::<MixRow>("electricity.csv", t, o)? {
            let mk = |v: Option<f64>,
                      s: Option<String>,
                      y: Option<String>,
                      crit: &str|
             -> Result<Option<MixFactor>> {
                match (v, s) {
                    (Some(value), Some(source_id)) => {
                        check(
                            "electricity.csv",
                            o,
                            &source_id,
                            &format!("{} {crit}", r.code),
                        )?;
                        Ok(Some(MixFactor {
                            value,
                            source_id,
                            year: y.unwrap_or_default(),
                        }))
                    }
                    (None, _) => Ok(None),
                    (Some(_), None) => Err(bad_data(
                        "electricity.csv",
                        o,
                        format!("{} {crit}: value without source", r.code),
                    )),
                }
            };
            mixes.push(Mix {
                gwp: mk(
                    r.gwp_kgco2eq_per_kwh,
                    r.gwp_source_id.clone(),
                    r.gwp_year.clone(),
                    "gwp",
                )?,
                adp: mk(
                    r.adp_kgsbeq_per_kwh,
                    r.adp_source_id.clone(),
                    r.adp_year.clone(),
                    "adp",
                )?,
                pe: mk(
                    r.pe_mj_per_kwh,
                    r.pe_source_id.clone(),
                    r.pe_year.clone(),
                    "pe",
                )?,
                code: r.code,
                country: r.country,
            });
        }

        let (t, o) = get("electricity-ranges.csv");
        let mut mix_ranges = BTreeMap::new();
        for r in read_csv::<MixRange>("electricity-ranges.csv", t, o)? {
            check("electricity-ranges.csv", o, &r.source_id, &r.criterion)?;
            mix_ranges.insert(r.criterion.clone(), r);
        }

        let (t, o) = get("boavizta-factors.csv");
        let mut factors = BTreeMap::new();
        for r in read_csv::<Factor>("boavizta-factors.csv", t, o)? {
            check("boavizta-factors.csv", o, &r.source_id, &r.factor_id)?;
            factors.insert(r.factor_id.clone(), r);
        }

        let (t, o) = get("other-methods.csv");
        let mut method_factors = BTreeMap::new();
        for r in read_csv::<MethodFactor>("other-methods.csv", t, o)? {
            check("other-methods.csv", o, &r.source_id, &r.factor_id)?;
            method_factors.insert(format!("{}/{}", r.method, r.factor_id), r);
        }

        let (t, o) = get("defaults.csv");
        let mut defaults = BTreeMap::new();
        for r in read_csv::<DefaultValue>("defaults.csv", t, o)? {
            check("defaults.csv", o, &r.source_id, &r.default_id)?;
            if !(r.min <= r.value && r.value <= r.max) {
                return Err(bad_data(
                    "defaults.csv",
                    o,
                    format!("{}: value outside [min, max]", r.default_id),
                ));
            }
            defaults.insert(r.default_id.clone(), r);
        }

        let (t, o) = get("cpus.csv");
        let cpus = read_csv::<CpuSpec>("cpus.csv", t, o)?;
        for c in &cpus {
            check("cpus.csv", o, &c.source_id, &c.name)?;
        }
        let (t, o) = get("gpus.csv");
        let gpus = read_csv::<GpuSpec>("gpus.csv", t, o)?;
        for g in &gpus {
            check("gpus.csv", o, &g.source_id, &g.name)?;
        }
        let (t, o) = get("ram.csv");
        let ram = read_csv::<RamRow>("ram.csv", t, o)?;
        for r in &ram {
            check("ram.csv", o, &r.source_id, &r.manufacturer)?;
        }
        let (t, o) = get("ssd.csv");
        let ssd = read_csv::<SsdRow>("ssd.csv", t, o)?;
        for r in &ssd {
            check("ssd.csv", o, &r.source_id, &r.manufacturer)?;
        }
        let (t, o) = get("nodes.yaml");
        let nodes: Vec<NodeSpec> =
            serde_yaml::from_str(t).map_err(|e| bad_data("nodes.yaml", o, e))?;
        for n in &nodes {
            check("nodes.yaml", o, &n.source_id, &n.name)?;
        }

        let bibtex = parse_bibtex(get("references.bib").0);
        for s in sources.values() {
            if !bibtex.contains_key(&s.bibtex_key) {
                let (_, o) = get("references.bib");
                return Err(bad_data(
                    "references.bib",
                    o,
                    format!(
                        "no entry {} (bibtex_key of {} in sources.csv)",
                        s.bibtex_key, s.source_id
                    ),
                ));
            }
        }
        let version = get("VERSION").0.trim().to_string();
        let origins = texts
            .iter()
            .map(|(k, (_, o))| (k.to_string(), o.clone()))
            .collect();
        let with_aliases = |name: &str, aliases: &[String]| -> Vec<String> {
            std::iter::once(name.to_string())
                .chain(aliases.iter().cloned())
                .collect()
        };
        let gpu_names = NameIndex::new(
            "GPU",
            gpus.iter()
                .map(|g| with_aliases(&g.name, &g.aliases))
                .collect(),
        );
        let cpu_names = NameIndex::new("CPU", cpus.iter().map(|c| vec![c.name.clone()]).collect());
        let node_names = NameIndex::new(
            "node",
            nodes
                .iter()
                .map(|n| with_aliases(&n.name, &n.aliases))
                .collect(),
        );
        let mix_names = NameIndex::new(
            "country",
            mixes
                .iter()
                .map(|m| vec![m.country.clone(), m.code.clone()])
                .collect(),
        );
        let data = ImpactData {
            method_factors,
            bibtex,
            gpu_names,
            cpu_names,
            node_names,
            mix_names,
            version,
            origins,
            sources,
            mixes,
            mix_ranges,
            factors,
            defaults,
            cpus,
            gpus,
            ram,
            ssd,
            nodes,
        };
        for id in REQUIRED_FACTORS {
            data.factor(id)?;
        }
        for id in REQUIRED_DEFAULTS {
            data.default(id)?;
        }
        Ok(data)
    }

    pub fn factor(&self, id: &str) -> Result<&Factor> {
        self.factors.get(id).ok_or_else(|| {
            Error::input(Diagnostic::new(format!(
                "impact data has no factor \"{id}\" (boavizta-factors.csv)"
            )))
        })
    }

    pub fn default(&self, id: &str) -> Result<&DefaultValue> {
        self.defaults.get(id).ok_or_else(|| {
            Error::input(Diagnostic::new(format!(
                "impact data has no default \"{id}\" (defaults.csv)"
            )))
        })
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// The raw text of a data file (for `mlca data`).
    pub fn file_names() -> impl Iterator<Item = &'static str> {
        FILES.iter().map(|(n, _)| *n)
    }

    pub fn find_gpu(&self, name: &str) -> Result<&GpuSpec> {
        self.gpu_names.find(name).map(|i| &self.gpus[i])
    }

    pub fn find_cpu(&self, name: &str) -> Result<&CpuSpec> {
        self.cpu_names.find(name).map(|i| &self.cpus[i])
    }

    pub fn find_node(&self, name: &str) -> Result<&NodeSpec> {
        self.node_names.find(name).map(|i| &self.nodes[i])
    }

    /// A country by ISO 3166-1 alpha-3 code (as in BoaviztAPI: FRA, USA, WOR for the world,
    /// EEE for Europe) or by English name.
    pub fn find_mix(&self, query: &str) -> Result<&Mix> {
        let q = query.trim();
        if let Some(m) = self
            .mixes
            .iter()
            .find(|m| m.code.eq_ignore_ascii_case(q) || m.country.eq_ignore_ascii_case(q))
        {
            return Ok(m);
        }
        let close = self.mix_names.closest(q, 3);
        let codes: Vec<String> = close
            .iter()
            .filter_map(|c| self.mixes.iter().find(|m| &m.country == c))
            .map(|m| format!("{} ({})", m.code, m.country))
            .collect();
        let hint = if codes.is_empty() {
            "use an ISO 3166-1 alpha-3 code such as FRA, USA, DEU, or WOR for the world average; `mlca mix list` shows them all".to_string()
        } else {
            format!(
                "did you mean {}? `mlca mix list` shows every code",
                codes.join(", ")
            )
        };
        Err(
            Diagnostic::new(format!("unknown country \"{q}\" in the electricity data"))
                .hint(hint)
                .into(),
        )
    }
}

/// Entries of a .bib file by key (an entry runs from `@type{key,` to the next `@` at a line start).
fn parse_bibtex(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut cur: Option<(String, String)> = None;
    for line in text.lines() {
        if line.starts_with('@') {
            if let Some((k, v)) = cur.take() {
                out.insert(k, v.trim_end().to_string());
            }
            let key = line
                .split_once('{')
                .map(|(_, r)| r.trim_end_matches(',').trim().to_string())
                .unwrap_or_default();
            cur = Some((key, format!("{line}\n")));
        } else if let Some((_, v)) = cur.as_mut() {
            v.push_str(line);
            v.push('\n');
        }
    }
    if let Some((k, v)) = cur {
        out.insert(k, v.trim_end().to_string());
    }
    out
}

const REQUIRED_FACTORS: [&str; 23] = [
    "cpu.die",
    "cpu.base",
    "ram.die",
    "ram.base",
    "ssd.die",
    "ssd.base",
    "hdd.unit",
    "power_supply.mass",
    "case.rack",
    "case.blade_server",
    "case.blade_enclosure_16_slots",
    "motherboard.unit",
    "assembly.unit",
    "gpu.casing",
    "gpu.heatsink",
    "gpu.pcb",
    "gpu.die",
    "gpu.vram",
    "gpu.upstream_transport",
    "gpu.truck",
    "gpu.boat",
    "gpu.plane",
    "gpu.end_of_life",
];

const REQUIRED_DEFAULTS: [&str; 14] = [
    "gpu.boat_km",
    "gpu.truck_km",
    "gpu.plane_km",
    "ram.density",
    "ssd.density",
    "power_supply.mass",
    "gpu.casing_mass",
    "gpu.heatsink_mass",
    "gpu.mass",
    "gpu.vram_area_per_gb",
    "wafer.diameter",
    "wafer.kerf",
    "wafer.defect_density",
    "memory.power_per_gb",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_and_every_row_has_a_source() -> Result<()> {
        let d = ImpactData::embedded()?;
        assert!(d.mixes.len() >= 139);
        assert!(d.cpus.len() > 1000);
        assert!(d.gpus.len() >= 33);
        assert_eq!(d.nodes.len(), 4);
        Ok(())
    }

    #[test]
    fn countries_by_code_or_name() -> Result<()> {
        let d = ImpactData::embedded()?;
        assert_eq!(d.find_mix("fra")?.code, "FRA");
        assert_eq!(d.find_mix("France")?.code, "FRA");
        let e = d
            .find_mix("FRX")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("unknown country"), "{e}");
        Ok(())
    }
}
