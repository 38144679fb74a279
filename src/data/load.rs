//! Loading the impact data: the embedded files or their replacements from `--data DIR`, the
//! CSV rows and the catalog's nodes read and checked against `sources.csv` and `references.bib`.

use super::check;
use super::rows::*;
use super::tables::{read_now, Base, Tables};
use super::ImpactData;
use crate::error::{Diagnostic, Error, Result};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The data files, by name, with their embedded contents.
pub(super) const FILES: [(&str, &str); 19] = [
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
    ("countries.csv", super::locations::COUNTRIES_CSV),
    ("cloud-regions.csv", super::locations::CLOUD_REGIONS_CSV),
    (
        "equivalents.csv",
        include_str!("../../impact-data/equivalents.csv"),
    ),
];

pub(super) fn bad_data(file: &str, origin: &str, msg: impl std::fmt::Display) -> Error {
    bad(file, origin, Diagnostic::new(msg.to_string()))
}

pub(super) fn bad(file: &str, origin: &str, d: Diagnostic) -> Error {
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

/// The embedded text of data file `name`.
fn embedded_text(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, t)| *t)
}

/// The rows of CSV data file `file` with their lines, checked ([`check::read`]); an embedded
/// file's from its build-time table ([`super::embedded`], whose tests run the same checks).
pub(super) fn read_csv<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    origin: &str,
) -> Result<Vec<(usize, T)>> {
    if origin == "embedded" {
        if let Some(table) = super::embedded::table(file) {
            return super::embedded::rows(table).map_err(|e| bad_data(file, origin, e));
        }
    }
    let schema = check::Schema::of(file, embedded_text(file));
    check::read(&schema, check::Text { text, origin })
}

/// Whether a file name looks like a data table (by its extension, in any case).
fn looks_like_a_table(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            ["csv", "yml", "yaml"]
                .iter()
                .any(|t| e.eq_ignore_ascii_case(t))
        })
}

/// A table in the `--data` folder that is no data file of mlca (a misspelt name would otherwise
/// be ignored, and the embedded file used in its place): an error with the closest data file
/// name. Other files (a README, notes) and hidden files and folders are left alone.
fn unknown_tables(dir: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && looks_like_a_table(n))
        .collect();
    names.sort();
    let known: Vec<&str> = FILES.iter().map(|(n, _)| *n).collect();
    let Some(n) = names.iter().find(|n| !known.contains(&n.as_str())) else {
        return Ok(());
    };
    let mut tables: Vec<&str> = known
        .iter()
        .copied()
        .filter(|k| looks_like_a_table(k))
        .collect();
    tables.sort_unstable();
    let all = tables.join(", ");
    let hint = match super::names::suggest(&n.to_lowercase(), &tables) {
        Some(s) => format!("did you mean {s}? The data tables are {all}"),
        None => format!("the data tables are {all}; rename or remove this file"),
    };
    Err(Diagnostic::new(format!(
        "--data {}: {n} is no impact data table, and would be ignored",
        dir.display()
    ))
    .file(&dir.join(n))
    .hint(hint)
    .into())
}

/// The text of every data file (embedded, or the file of the same name in `--data DIR`) and
/// where it came from: "embedded" or its path.
#[derive(Debug, Clone)]
pub(super) struct Files {
    texts: BTreeMap<&'static str, (Cow<'static, str>, String)>,
}

impl Files {
    /// The embedded files, each replaced by the file of the same name in `dir` if there is one.
    fn read(dir: Option<&Path>) -> Result<Files> {
        let mut texts = BTreeMap::new();
        for (name, embedded) in FILES {
            let over: Option<PathBuf> = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let entry = match over {
                Some(p) => {
                    let t = super::read::read_text(
                        &p,
                        "impact data file",
                        super::read::MAX_DATA_BYTES,
                    )?;
                    (Cow::Owned(t), p.display().to_string())
                }
                None => (Cow::Borrowed(embedded), "embedded".to_string()),
            };
            texts.insert(name, entry);
        }
        Ok(Files { texts })
    }

    /// The text of data file `name` and where it came from.
    pub(super) fn get(&self, name: &str) -> (&str, &str) {
        self.texts
            .get(name)
            .map(|(t, o)| (t.as_ref(), o.as_str()))
            .unwrap_or(("", "embedded"))
    }

    /// Where data file `name` came from.
    pub(super) fn origin(&self, name: &str) -> &str {
        self.get(name).1
    }
}

impl ImpactData {
    pub fn embedded() -> Result<Self> {
        Self::load(None)
    }

    /// The embedded data, with any file present in `dir` replacing the embedded one.
    ///
    /// The sources, the ranges of the average mixes and the BibTeX entries are read now; the
    /// other tables when first used (module `tables`), except with `dir`: then every file is
    /// read and checked now, in the order below, so that a defect of any given file is reported
    /// whatever the command.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        if let Some(d) = dir {
            if !d.is_dir() {
                return Err(Diagnostic::new(format!("--data {}: not a directory", d.display()))
                    .hint("give a directory holding files named as in impact-data/ (sources.csv, electricity.csv, ...)")
                    .into());
            }
            unknown_tables(d)?;
        }
        let files = Files::read(dir)?;
        let (t, sources_origin) = files.get("sources.csv");
        let sources: BTreeMap<String, Source> =
            read_csv::<Source>("sources.csv", t, sources_origin)?
                .into_iter()
                .map(|(_, s)| (s.source_id.to_string(), s))
                .collect();
        if sources.is_empty() {
            return Err(bad_data(
                "sources.csv",
                sources_origin,
                "no sources: the file needs its header \
                 (source_id,...) and a row for every source_id the data files cite",
            ));
        }
        let base = Base { files, sources };
        let tables = Tables::default();
        let every = dir.is_some();
        if every {
            read_now(&tables.mixes, || base.mixes())?;
        }
        let mix_ranges = base.mix_ranges()?;
        if every {
            read_now(&tables.factors, || base.factors())?;
            read_now(&tables.method_factors, || base.method_factors())?;
            read_now(&tables.defaults, || base.defaults())?;
            read_now(&tables.equivalents, || base.equivalents())?;
            read_now(&tables.cpus, || base.cpus())?;
            read_now(&tables.gpus, || base.gpus())?;
            read_now(&tables.ram, || base.ram())?;
            read_now(&tables.ssd, || base.ssd())?;
            read_now(&tables.nodes, || base.nodes())?;
            read_now(&tables.locations, || base.locations())?;
            read_now(&tables.cloud, || base.cloud())?;
        }

        let (bib_text, bib_origin) = base.files.get("references.bib");
        let bibtex: BTreeMap<String, String> = if bib_origin == "embedded" {
            let entries = super::embedded::BIBTEX.iter();
            entries
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        } else {
            super::bibtex::entries(bib_text).into_iter().collect()
        };
        for s in base.sources.values() {
            if !bibtex.contains_key(&*s.bibtex_key) {
                return Err(bad_data(
                    "references.bib",
                    bib_origin,
                    format!(
                        "no entry {} (bibtex_key of {} in sources.csv)",
                        s.bibtex_key, s.source_id
                    ),
                ));
            }
        }
        let version = base.files.get("VERSION").0.trim().into();
        let origins = base
            .files
            .texts
            .iter()
            .map(|(k, (_, o))| (k.to_string(), o.clone()))
            .collect();
        let data = ImpactData {
            version,
            origins,
            mix_ranges,
            bibtex,
            base,
            tables,
        };
        if every {
            // the embedded files have all of them (a unit test checks it)
            for id in REQUIRED_FACTORS {
                data.factor(id)?;
            }
            for id in REQUIRED_DEFAULTS {
                data.default(id)?;
            }
        }
        Ok(data)
    }
}

pub(super) const REQUIRED_FACTORS: [&str; 23] = [
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

pub(super) const REQUIRED_DEFAULTS: [&str; 14] = [
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

    fn load_with(files: &[(&str, &str)]) -> std::result::Result<ImpactData, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).map_err(|e| e.to_string())?;
        }
        ImpactData::load(Some(dir.path())).map_err(|e| e.to_string())
    }

    #[test]
    fn only_unknown_tables_of_a_data_folder_are_refused() {
        // notes and hidden files are left alone
        let d = load_with(&[
            ("README.md", "# my factors\n"),
            ("notes.txt", "from the 2024 report\n"),
            (".draft.csv", "x\n"),
        ]);
        assert!(d.is_ok(), "{:?}", d.err());
        for (name, want) in [
            ("gpu.csv", "did you mean gpus.csv?"),
            ("GPUS.CSV", "did you mean gpus.csv?"),
            ("node.yml", "did you mean nodes.yaml?"),
            ("my-factors.yaml", "the data tables are"),
        ] {
            let e = load_with(&[("README.md", "notes\n"), (name, "x\n")])
                .err()
                .unwrap_or_default();
            assert!(
                e.contains(&format!("{name} is no impact data table")),
                "{e}"
            );
            assert!(e.contains(want), "{name}: {e}");
        }
    }

    #[test]
    fn equivalents_of_a_data_folder_are_checked() {
        let header = embedded_text("equivalents.csv")
            .lines()
            .next()
            .unwrap_or_default();
        for (row, want) in [
            (
                "car_km,km,gwp,per,0,0,0,kgCO2eq/km,km,epa-scghg-2023,2023,x",
                "must be above zero",
            ),
            (
                "car_km,km,gwp,divide,1,1,1,kgCO2eq/km,km,epa-scghg-2023,2023,x",
                "equivalents.csv:2",
            ),
            (
                "car_km,km,gwp,per,1,1,1,kgCO2eq/km,km,nobody-2020,2020,x",
                "source_id \"nobody-2020\" is not in sources.csv",
            ),
        ] {
            let e = load_with(&[("equivalents.csv", &format!("{header}\n{row}\n"))])
                .err()
                .unwrap_or_default();
            assert!(e.contains(want), "{row}: {e}");
        }
    }

    #[test]
    fn a_table_of_a_data_folder_is_checked_at_its_line() {
        let gpus = embedded_text("gpus.csv");
        let row = gpus.lines().nth(1).unwrap_or_default();
        let bad = format!(
            "{}\n{row}\n{}\n",
            gpus.lines().next().unwrap_or_default(),
            row.replacen(",NVIDIA,", ",Nvidia,", 1)
        );
        let e = load_with(&[("gpus.csv", &bad)]).err().unwrap_or_default();
        assert!(e.contains("row 3: a second row for name"), "{e}");
        assert!(e.contains("gpus.csv:3"), "{e}");
    }
}
