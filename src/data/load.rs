//! Loading the impact data: the embedded files or their replacements from `--data DIR`, the
//! CSV rows and the catalog's nodes read and checked against `sources.csv` and `references.bib`.

use super::names::NameIndex;
use super::rows::*;
use super::ImpactData;
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::quantity::impacts::Criterion;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The data files, by name, with their embedded contents.
pub(super) const FILES: [(&str, &str); 16] = [
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
    (
        "cloud-instances.csv",
        include_str!("../../impact-data/cloud-instances.csv"),
    ),
    (
        "cloud-platforms.csv",
        include_str!("../../impact-data/cloud-platforms.csv"),
    ),
    ("SOURCES.md", include_str!("../../impact-data/SOURCES.md")),
];

pub(super) fn bad_data(file: &str, origin: &str, msg: impl std::fmt::Display) -> Error {
    bad(file, origin, Diagnostic::new(msg.to_string()))
}

/// An error of a data file, typed.
fn bad_data_kind(file: &str, origin: &str, kind: ErrorKind) -> Error {
    bad(file, origin, Diagnostic::of(kind))
}

fn bad(file: &str, origin: &str, d: Diagnostic) -> Error {
    let message = format!("impact data file {file} ({origin}): {}", d.message);
    if origin == "embedded" {
        Error::Internal(message)
    } else {
        Error::input(
            d.message(message)
                .hint("fix the file given with --data, or remove it to use the embedded one"),
        )
    }
}

pub(super) fn read_csv<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    origin: &str,
) -> Result<Vec<T>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.deserialize().enumerate() {
        let row: T = rec
            .map_err(|source| bad_data_kind(file, origin, ErrorKind::Csv { row: i + 2, source }))?;
        out.push(row);
    }
    Ok(out)
}

impl ImpactData {
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
                    let t = super::read::read_text(
                        &p,
                        "impact data file",
                        super::read::MAX_DATA_BYTES,
                    )?;
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

        let (t, sources_origin) = get("sources.csv");
        let sources: BTreeMap<String, Source> =
            read_csv::<Source>("sources.csv", t, sources_origin)?
                .into_iter()
                .map(|s| (s.source_id.clone(), s))
                .collect();
        if sources.is_empty() {
            return Err(bad_data(
                "sources.csv",
                sources_origin,
                "no sources: the file needs its header \
                 (source_id,...) and a row for every source_id the data files cite",
            ));
        }

        let check = |file: &str, origin: &str, id: &str, what: &str| -> Result<()> {
            if sources.contains_key(id) {
                Ok(())
            } else if origin == "embedded" && sources_origin != "embedded" {
                // the embedded rows are consistent with the embedded sources: the user's
                // sources.csv is the file that lacks the row
                Err(bad_data(
                    "sources.csv",
                    sources_origin,
                    format!("source_id \"{id}\" is missing; the embedded {file} cites it ({what})"),
                ))
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
            let mk = |crit: Criterion| -> Result<Option<MixFactor>> {
                let (v, s, y) = r.column(crit);
                let crit = crit.key();
                match (v, s.clone()) {
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
                            year: y.clone().unwrap_or_default(),
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
                gwp: mk(Criterion::Gwp)?,
                adp: mk(Criterion::Adp)?,
                pe: mk(Criterion::Pe)?,
                water: mk(Criterion::Water)?,
                code: r.code.clone(),
                country: r.country.clone(),
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
        let nodes: Vec<NodeSpec> = yaml_serde::from_str(t)
            .map_err(|source| bad_data_kind("nodes.yaml", o, ErrorKind::Yaml { source }))?;
        for n in &nodes {
            check("nodes.yaml", o, &n.source_id, &n.name)?;
        }

        let cloud = super::cloud::Cloud::read(
            get("cloud-instances.csv"),
            get("cloud-platforms.csv"),
            &sources,
        )?;

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
            cloud,
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
