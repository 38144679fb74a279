//! The tables of the impact data, each read and checked from its file when first needed: a
//! command reads only the files it uses (an assessment with its own electricity factors and node
//! totals never reads the 1,500 rows of `cpus.csv`), and a catalog's name index is built on its
//! first lookup. With `--data DIR` every table is read when the data is loaded
//! ([`super::ImpactData::load`]), so that a defect of any file is reported before anything runs,
//! whatever the command.

use super::check;
use super::load::{bad_data, read_csv, Files};
use super::locations::{CloudRegion, CountryCode, Locations};
use super::names::NameIndex;
use super::rows::*;
use crate::error::Result;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The value of `cell`, made by `make` on first use. A failure leaves the cell empty (the next
/// call fails the same way); two threads racing make the same value twice, and one is kept.
pub(super) fn lazy<T>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let v = make()?;
    Ok(cell.get_or_init(|| v))
}

/// Rows of a catalog with their name index, built on the first lookup by name.
#[derive(Debug, Clone)]
pub(super) struct Named<T> {
    pub(super) rows: Vec<T>,
    pub(super) names: OnceLock<NameIndex>,
}

impl<T> Named<T> {
    fn new(rows: Vec<T>) -> Self {
        Named {
            rows,
            names: OnceLock::new(),
        }
    }

    /// The name index of the rows (`kind` names the catalog in messages), each row's names
    /// (its name first, then its aliases) given by `names`.
    pub(super) fn index<'a, N>(&'a self, kind: &str, names: impl Fn(&'a T) -> N) -> &'a NameIndex
    where
        N: IntoIterator<Item = &'a str>,
    {
        self.names
            .get_or_init(|| NameIndex::new(kind, self.rows.iter().map(names)))
    }
}

/// The rows of an embedded catalog read one at a time, as they are found by name: the names
/// indexed from the build-time table's name column, a row deserialized (and its source checked)
/// when first found. The catalog `cpus.csv` has 1,800 rows; a scenario names one or two.
#[derive(Debug, Clone)]
pub(super) struct ByName<T> {
    pub(super) names: NameIndex,
    rows: Vec<OnceLock<T>>,
}

impl<T: serde::de::DeserializeOwned> ByName<T> {
    /// Row `i` of embedded file `file`, read on first use (`source` as for [`Base::rows`]).
    pub(super) fn row(
        &self,
        i: usize,
        base: &Base,
        file: &str,
        source: fn(&T) -> (&str, &str),
    ) -> Result<&T> {
        let Some(cell) = self.rows.get(i) else {
            return Err(bad_data(file, "embedded", format!("no row {i}")));
        };
        lazy(cell, || {
            let table = super::embedded::table(file);
            let row = table.map(|t| super::embedded::row::<T>(t, i));
            match row.transpose().map_err(|e| bad_data(file, "embedded", e))? {
                Some(Some((line, r))) => {
                    let (id, what) = source(&r);
                    base.check(file, Some(line), id, what)?;
                    Ok(r)
                }
                _ => Err(bad_data(file, "embedded", format!("no row {i}"))),
            }
        })
    }
}

/// The source of a CPU and what names it in messages.
pub(super) fn cpu_source(c: &CpuSpec) -> (&str, &str) {
    (&c.source_id, &c.name)
}

/// The tables read so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Tables {
    pub(super) mixes: OnceLock<Named<Mix>>,
    /// The mix of the first code looked up before `mixes` is read, read alone from the
    /// embedded table (an assessment names one country: the other rows are not read for it).
    pub(super) first_mix: OnceLock<Mix>,
    /// The mixes' codes in upper case, to their first row in `mixes`.
    pub(super) mix_codes: OnceLock<std::collections::HashMap<String, usize>>,
    /// Each country's code and name in lower case, to its row of `mixes`.
    pub(super) factors: OnceLock<BTreeMap<String, Factor>>,
    pub(super) method_factors: OnceLock<BTreeMap<String, MethodFactor>>,
    pub(super) defaults: OnceLock<BTreeMap<String, DefaultValue>>,
    pub(super) equivalents: OnceLock<Vec<super::equivalents::EquivalentFactor>>,
    pub(super) cpus: OnceLock<Named<CpuSpec>>,
    /// The embedded CPUs by name, read one at a time until `cpus` is read (none with `--data`).
    pub(super) cpus_by_name: OnceLock<Option<ByName<CpuSpec>>>,
    pub(super) gpus: OnceLock<Named<GpuSpec>>,
    pub(super) ram: OnceLock<Vec<RamRow>>,
    pub(super) ssd: OnceLock<Vec<SsdRow>>,
    pub(super) nodes: OnceLock<Named<NodeSpec>>,
    pub(super) locations: OnceLock<Locations>,
    pub(super) cloud: OnceLock<super::cloud::Cloud>,
}

/// What every table is read against: the files' texts and the sources they cite.
#[derive(Debug, Clone)]
pub(super) struct Base {
    pub(super) files: Files,
    pub(super) sources: BTreeMap<String, Source>,
}

impl Base {
    /// The source of a row of `file` (at `line`, when known) must be in sources.csv. `what`
    /// names the row in the message (formatted only on error).
    fn check(
        &self,
        file: &str,
        line: Option<usize>,
        id: &str,
        what: impl std::fmt::Display,
    ) -> Result<()> {
        if self.sources.contains_key(id) {
            return Ok(());
        }
        let (text, origin) = self.files.get(file);
        let sources_origin = self.files.origin("sources.csv");
        if origin == "embedded" && sources_origin != "embedded" {
            // the embedded rows are consistent with the embedded sources: the user's
            // sources.csv is the file that lacks the row
            Err(bad_data(
                "sources.csv",
                sources_origin,
                format!("source_id \"{id}\" is missing; the embedded {file} cites it ({what})"),
            ))
        } else if let Some(line) = line {
            let column = text
                .lines()
                .next()
                .and_then(|h| h.split(',').position(|c| c.trim() == "source_id"))
                .and_then(|i| check::column_of(check::line_text(text, line), i));
            Err(check::error_at(
                file,
                check::Text { text, origin },
                line,
                column,
                format!("row {line} ({what}): source_id \"{id}\" is not in sources.csv"),
                Some("cite a source_id listed in sources.csv, or add its row there"),
            ))
        } else {
            Err(bad_data(
                file,
                origin,
                format!("{what}: source_id \"{id}\" is not in sources.csv"),
            ))
        }
    }

    /// The rows of CSV file `file`, each with its source checked at its line (`source` gives a
    /// row's source_id and what the row is).
    fn rows<T: serde::de::DeserializeOwned>(
        &self,
        file: &str,
        source: fn(&T) -> (&str, &str),
    ) -> Result<Vec<T>> {
        let (t, o) = self.files.get(file);
        let rows = read_csv::<T>(file, t, o)?;
        for (line, r) in &rows {
            let (id, what) = source(r);
            self.check(file, Some(*line), id, what)?;
        }
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }

    /// The rows of `file` by key, each with its source checked.
    fn keyed<T: serde::de::DeserializeOwned>(
        &self,
        file: &str,
        key: fn(&T) -> String,
        source: fn(&T) -> (&str, &str),
    ) -> Result<BTreeMap<String, T>> {
        Ok(self
            .rows(file, source)?
            .into_iter()
            .map(|r| (key(&r), r))
            .collect())
    }

    /// Countries (ISO 3166-1, `countries.csv`) and cloud regions (`cloud-regions.csv`).
    pub(super) fn locations(&self) -> Result<Locations> {
        let countries = self.rows::<CountryCode>("countries.csv", |c| {
            (c.source_id.as_str(), c.alpha3.as_str())
        })?;
        let regions = self.rows::<CloudRegion>("cloud-regions.csv", |r| {
            (r.source_id.as_str(), r.region.as_str())
        })?;
        Ok(Locations::new(countries, regions))
    }

    /// The countries' electricity factors (`electricity.csv`).
    pub(super) fn mixes(&self) -> Result<Named<Mix>> {
        let (t, o) = self.files.get("electricity.csv");
        self.mixes_of(read_csv::<MixRow>("electricity.csv", t, o)?)
    }

    /// The mixes of rows of `electricity.csv` (with their lines), each factor's source checked.
    pub(super) fn mixes_of(&self, rows: Vec<(usize, MixRow)>) -> Result<Named<Mix>> {
        let file = "electricity.csv";
        let (t, o) = self.files.get(file);
        let mut mixes = Vec::new();
        for (line, r) in rows {
            let mk = |crit: crate::quantity::impacts::Criterion| -> Result<Option<MixFactor>> {
                let (v, s, y) = r.column(crit);
                let crit = crit.key();
                match (v, s.clone()) {
                    (Some(value), Some(source_id)) => {
                        self.check(
                            file,
                            Some(line),
                            &source_id,
                            format_args!("{} {crit}", r.code),
                        )?;
                        Ok(Some(MixFactor {
                            value,
                            source_id: source_id.into(),
                            year: y.as_deref().unwrap_or_default().into(),
                        }))
                    }
                    (None, _) => Ok(None),
                    (Some(_), None) => Err(check::error_at(
                        file,
                        check::Text { text: t, origin: o },
                        line,
                        None,
                        format!("row {line} ({} {crit}): value without source", r.code),
                        Some("give the factor's source_id"),
                    )),
                }
            };
            use crate::quantity::impacts::Criterion;
            let gwp = mk(Criterion::Gwp)?;
            let adp = mk(Criterion::Adp)?;
            let pe = mk(Criterion::Pe)?;
            let water = mk(Criterion::Water)?;
            mixes.push(Mix {
                gwp,
                adp,
                pe,
                water,
                code: r.code.into(),
                country: r.country.into(),
            });
        }
        Ok(Named::new(mixes))
    }

    /// The mix of the first row of the embedded `electricity.csv` whose code is `code` (any
    /// case), read alone, its factors' sources checked; `None` when the file is given with
    /// `--data` or has no such row.
    pub(super) fn embedded_mix(&self, code: &str) -> Result<Option<Mix>> {
        let file = "electricity.csv";
        let origin = self.files.origin(file);
        let Some(table) = super::embedded::table(file).filter(|_| origin == "embedded") else {
            return Ok(None);
        };
        let row = super::embedded::find::<MixRow>(table, "code", code);
        match row.map_err(|e| bad_data(file, origin, e))? {
            Some(row) => Ok(self.mixes_of(vec![row])?.rows.pop()),
            None => Ok(None),
        }
    }

    /// The ranges of the world and European factors (`electricity-ranges.csv`), by criterion.
    pub(super) fn mix_ranges(&self) -> Result<BTreeMap<String, MixRange>> {
        self.keyed(
            "electricity-ranges.csv",
            |r: &MixRange| r.criterion.clone(),
            |r| (&r.source_id, &r.criterion),
        )
    }

    /// BoaviztAPI's factors (`boavizta-factors.csv`), by factor_id.
    pub(super) fn factors(&self) -> Result<BTreeMap<String, Factor>> {
        self.keyed(
            "boavizta-factors.csv",
            |r: &Factor| r.factor_id.clone(),
            |r| (&r.source_id, &r.factor_id),
        )
    }

    /// The other methods' factors (`other-methods.csv`), by "method/factor_id".
    pub(super) fn method_factors(&self) -> Result<BTreeMap<String, MethodFactor>> {
        self.keyed(
            "other-methods.csv",
            |r: &MethodFactor| format!("{}/{}", r.method, r.factor_id),
            |r| (&r.source_id, &r.factor_id),
        )
    }

    /// The defaults (`defaults.csv`), by default_id, each value within its [min, max].
    pub(super) fn defaults(&self) -> Result<BTreeMap<String, DefaultValue>> {
        let file = "defaults.csv";
        let (_, o) = self.files.get(file);
        let mut defaults = BTreeMap::new();
        for r in self.rows(file, |r: &DefaultValue| (&r.source_id, &r.default_id))? {
            if !(r.min <= r.value && r.value <= r.max) {
                return Err(bad_data(
                    file,
                    o,
                    format!("{}: value outside [min, max]", r.default_id),
                ));
            }
            defaults.insert(r.default_id.clone(), r);
        }
        Ok(defaults)
    }

    /// The equivalents and costs (`equivalents.csv`), each value within its [min, max].
    pub(super) fn equivalents(&self) -> Result<Vec<super::equivalents::EquivalentFactor>> {
        let file = "equivalents.csv";
        let (_, o) = self.files.get(file);
        let rows = self.rows(file, |r: &super::equivalents::EquivalentFactor| {
            (&r.source_id, &r.equivalent_id)
        })?;
        for r in &rows {
            if !(r.min <= r.value && r.value <= r.max && r.min > 0.0) {
                return Err(bad_data(
                    file,
                    o,
                    format!(
                        "{}: the factor must be above zero and within [min, max]",
                        r.equivalent_id
                    ),
                ));
            }
        }
        Ok(rows)
    }

    pub(super) fn cpus(&self) -> Result<Named<CpuSpec>> {
        self.rows("cpus.csv", cpu_source).map(Named::new)
    }

    /// The names of embedded catalog `file` (its column `name` and their token sets made at
    /// build time; `kind` names the catalog in messages), for its rows read one at a time; `None` when the file is given with `--data`.
    pub(super) fn by_name<T>(&self, file: &str, kind: &str) -> Option<ByName<T>> {
        let table =
            super::embedded::table(file).filter(|_| self.files.origin(file) == "embedded")?;
        let i = table.header.iter().position(|h| *h == "name")?;
        let names = table
            .rows
            .iter()
            .map(|r| r.cells.get(i).map_or("", |c| c.text()));
        Some(ByName {
            names: NameIndex::of_token_sets(kind, names.zip(table.names.iter().copied())),
            rows: table.rows.iter().map(|_| OnceLock::new()).collect(),
        })
    }

    pub(super) fn gpus(&self) -> Result<Named<GpuSpec>> {
        self.rows("gpus.csv", |g: &GpuSpec| (&g.source_id, &g.name))
            .map(Named::new)
    }

    pub(super) fn ram(&self) -> Result<Vec<RamRow>> {
        self.rows("ram.csv", |r: &RamRow| (&r.source_id, &r.manufacturer))
    }

    pub(super) fn ssd(&self) -> Result<Vec<SsdRow>> {
        self.rows("ssd.csv", |r: &SsdRow| (&r.source_id, &r.manufacturer))
    }

    /// The catalog's nodes (`nodes.yaml`).
    pub(super) fn nodes(&self) -> Result<Named<NodeSpec>> {
        let file = "nodes.yaml";
        let (text, origin) = self.files.get(file);
        let nodes = check::read_nodes(check::Text { text, origin })?;
        for n in &nodes {
            self.check(file, None, &n.source_id, &n.name)?;
        }
        Ok(Named::new(nodes))
    }
}

impl Base {
    /// The cloud instances and their host platforms (`cloud-instances.csv`,
    /// `cloud-platforms.csv`).
    pub(super) fn cloud(&self) -> Result<super::cloud::Cloud> {
        use super::cloud::{Cloud, CloudInstance, CloudPlatform};
        let platforms = self.rows("cloud-platforms.csv", |p: &CloudPlatform| {
            (&p.source_id, &p.id)
        })?;
        let instances = self.rows("cloud-instances.csv", |x: &CloudInstance| {
            (&x.source_id, &x.id)
        })?;
        Cloud::new(
            instances,
            platforms,
            self.files.origin("cloud-instances.csv"),
        )
    }
}

/// Sets `cell` to the table `make` reads, now (with `--data`: every file is checked at load).
pub(super) fn read_now<T>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T>) -> Result<()> {
    lazy(cell, make).map(|_| ())
}
