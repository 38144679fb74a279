//! Layer 2, data: the impact data (factors, electricity mixes, hardware catalog and defaults,
//! each row with its source: [`rows`]), their loading and checking ([`ImpactData::load`]), name
//! matching ([`names`]), the bill-of-materials model the catalog's nodes share with scenarios
//! ([`bom`]), the component kinds of a report ([`component`]) and provenance ([`provenance`]).
//!
//! The files of `impact-data/` are embedded at build time; `--data DIR` replaces any of them by a
//! file of the same name in DIR. The loader rejects a row whose source is not listed in
//! `sources.csv`. A table is read from its file when first used (module `tables`), so that a command
//! pays only for the files it needs; with `--data` every file is read and checked at load.

mod bibtex;
pub mod bom;
mod check;
pub mod cloud;
pub mod component;
mod embedded;
pub mod equivalents;
mod load;
pub mod locations;
pub mod names;
pub mod provenance;
pub mod read;
pub mod rows;
mod tables;
mod token_set;

pub use rows::*;

use crate::error::{Diagnostic, Error, ErrorKind, Result};
use locations::{CloudRegion, CountryCode, Locations, Spelling};
use std::collections::BTreeMap;
use tables::{lazy, Base, Named, Tables};

/// The kinds of catalog item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogKind {
    Cpu,
    Gpu,
    Ram,
    Ssd,
    Node,
}

/// All impact data, loaded and checked: the small tables read at load, the others when first
/// used (through the methods of the same name).
#[derive(Debug, Clone)]
pub struct ImpactData {
    pub version: std::sync::Arc<str>,
    /// Where each file came from: "embedded" or a path.
    pub origins: BTreeMap<String, String>,
    pub mix_ranges: BTreeMap<String, MixRange>,
    /// BibTeX entries by key.
    pub bibtex: BTreeMap<String, String>,
    /// The files' texts and the sources.
    base: Base,
    tables: Tables,
}

impl ImpactData {
    /// The factor of `mix` for criterion `c`, with the range over all countries for the world and
    /// European averages (none for a country, whose factor is taken as exact).
    pub fn mix_factor<'a>(
        &'a self,
        mix: &'a Mix,
        c: crate::quantity::impacts::Criterion,
    ) -> Option<(&'a MixFactor, Option<&'a MixRange>)> {
        let f = mix.factor(c)?;
        let range = if mix.is_average() {
            self.mix_ranges.get(c.key())
        } else {
            None
        };
        Some((f, range))
    }
}

impl ImpactData {
    /// The sources, by source_id.
    pub fn sources(&self) -> &BTreeMap<String, Source> {
        &self.base.sources
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.base.sources.get(id)
    }

    /// The countries' electricity mixes (`electricity.csv`).
    pub fn mixes(&self) -> Result<&[Mix]> {
        self.mix_table().map(|t| t.rows.as_slice())
    }

    fn mix_table(&self) -> Result<&Named<Mix>> {
        lazy(&self.tables.mixes, || self.base.mixes())
    }

    /// The first mix of `t` whose code is `q` in any case, from an index of the codes built on
    /// the first lookup.
    fn mix_by_code<'a>(&self, t: &'a Named<Mix>, q: &str) -> Option<&'a Mix> {
        let codes = self.tables.mix_codes.get_or_init(|| {
            let mut codes = std::collections::HashMap::new();
            for (i, m) in t.rows.iter().enumerate() {
                codes.entry(m.code.to_ascii_uppercase()).or_insert(i);
            }
            codes
        });
        // a code is short: upper-cased on the stack
        let mut buf = [0u8; 16];
        let i = match buf.get_mut(..q.len()) {
            Some(b) => {
                b.copy_from_slice(q.as_bytes());
                b.make_ascii_uppercase();
                codes.get(std::str::from_utf8(b).ok()?)
            }
            None => codes.get(&q.to_ascii_uppercase()),
        };
        t.rows.get(*i?)
    }

    /// The mix whose code is `q` (any case) when the mixes are not read yet: the first code
    /// asked is read alone from the embedded table and kept; `None` for any other code, or when
    /// the table is read or given with `--data` (then [`Self::mix_by_code`] finds it).
    fn first_mix(&self, q: &str) -> Result<Option<&Mix>> {
        if self.tables.mixes.get().is_none() && self.tables.first_mix.get().is_none() {
            if let Some(m) = self.base.embedded_mix(q)? {
                let _ = self.tables.first_mix.set(m);
            }
        }
        Ok(self
            .tables
            .first_mix
            .get()
            .filter(|m| m.code.eq_ignore_ascii_case(q)))
    }

    /// BoaviztAPI's factors (`boavizta-factors.csv`), by factor_id.
    pub fn factors(&self) -> Result<&BTreeMap<String, Factor>> {
        lazy(&self.tables.factors, || self.base.factors())
    }

    /// Factors of other embodied methods (`other-methods.csv`), by "method/factor_id".
    pub fn method_factors(&self) -> Result<&BTreeMap<String, MethodFactor>> {
        lazy(&self.tables.method_factors, || self.base.method_factors())
    }

    /// Equivalents and costs (`equivalents.csv`), in the file's order.
    pub fn equivalents(&self) -> Result<&[equivalents::EquivalentFactor]> {
        lazy(&self.tables.equivalents, || self.base.equivalents()).map(Vec::as_slice)
    }

    /// Defaults (`defaults.csv`), by default_id.
    pub fn defaults(&self) -> Result<&BTreeMap<String, DefaultValue>> {
        lazy(&self.tables.defaults, || self.base.defaults())
    }

    /// Cloud instances and their host platforms (`cloud-instances.csv`, `cloud-platforms.csv`).
    pub fn cloud(&self) -> Result<&cloud::Cloud> {
        lazy(&self.tables.cloud, || self.base.cloud())
    }

    /// The CPU catalog (`cpus.csv`).
    pub fn cpus(&self) -> Result<&[CpuSpec]> {
        self.cpu_table().map(|t| t.rows.as_slice())
    }

    fn cpu_table(&self) -> Result<&Named<CpuSpec>> {
        lazy(&self.tables.cpus, || self.base.cpus())
    }

    /// The GPU catalog (`gpus.csv`).
    pub fn gpus(&self) -> Result<&[GpuSpec]> {
        self.gpu_table().map(|t| t.rows.as_slice())
    }

    fn gpu_table(&self) -> Result<&Named<GpuSpec>> {
        lazy(&self.tables.gpus, || self.base.gpus())
    }

    /// RAM densities (`ram.csv`).
    pub fn ram(&self) -> Result<&[RamRow]> {
        lazy(&self.tables.ram, || self.base.ram()).map(Vec::as_slice)
    }

    /// SSD densities (`ssd.csv`).
    pub fn ssd(&self) -> Result<&[SsdRow]> {
        lazy(&self.tables.ssd, || self.base.ssd()).map(Vec::as_slice)
    }

    /// The catalog's ready nodes (`nodes.yaml`).
    pub fn nodes(&self) -> Result<&[NodeSpec]> {
        self.node_table().map(|t| t.rows.as_slice())
    }

    fn node_table(&self) -> Result<&Named<NodeSpec>> {
        lazy(&self.tables.nodes, || self.base.nodes())
    }

    /// Countries (ISO 3166-1) and cloud regions, to name a mix (`countries.csv`,
    /// `cloud-regions.csv`), read when first used.
    pub fn locations(&self) -> Result<&Locations> {
        lazy(&self.tables.locations, || self.base.locations())
    }

    pub fn factor(&self, id: &str) -> Result<&Factor> {
        self.factors()?.get(id).ok_or_else(|| {
            Error::input(Diagnostic::new(format!(
                "impact data has no factor \"{id}\" (boavizta-factors.csv)"
            )))
        })
    }

    pub fn default(&self, id: &str) -> Result<&DefaultValue> {
        self.defaults()?.get(id).ok_or_else(|| {
            Error::input(Diagnostic::new(format!(
                "impact data has no default \"{id}\" (defaults.csv)"
            )))
        })
    }

    /// The names of the data files (as in `impact-data/` and under `--data DIR`).
    pub fn file_names() -> impl Iterator<Item = &'static str> {
        load::FILES.iter().map(|(n, _)| *n)
    }

    pub fn find_gpu(&self, name: &str) -> Result<&GpuSpec> {
        let t = self.gpu_table()?;
        t.index("GPU", |g| with_aliases(&g.name, &g.aliases))
            .find(name)
            .map(|i| &t.rows[i])
    }

    /// The CPU named `name`: until the whole catalog is read, found among the embedded table's
    /// names and read alone.
    pub fn find_cpu(&self, name: &str) -> Result<&CpuSpec> {
        if self.tables.cpus.get().is_none() {
            let by_name = (self.tables.cpus_by_name)
                .get_or_init(|| self.base.by_name("cpus.csv", "CPU"))
                .as_ref();
            if let Some(t) = by_name {
                let i = t.names.find(name)?;
                return t.row(i, &self.base, "cpus.csv", tables::cpu_source);
            }
        }
        let t = self.cpu_table()?;
        t.index("CPU", |c| [c.name.as_str()])
            .find(name)
            .map(|i| &t.rows[i])
    }

    pub fn find_node(&self, name: &str) -> Result<&NodeSpec> {
        let t = self.node_table()?;
        t.index("node", |n| with_aliases(&n.name, &n.aliases))
            .find(name)
            .map(|i| &t.rows[i])
    }

    /// The mix of a country written as an ISO 3166-1 alpha-2 or alpha-3 code or a name, in any
    /// case (FR, FRA, France; WOR for the world, EEE for Europe).
    pub fn find_mix(&self, query: &str) -> Result<&Mix> {
        self.resolve_country(query).map(|m| m.mix)
    }

    /// [`find_mix`](Self::find_mix), with how the country was written and its ISO row. The mixes'
    /// own codes and names come first (WOR, EEE and the former codes the data keeps), then
    /// ISO 3166-1's codes and names; a country ISO knows but the data has no mix for is an error
    /// that says so, an unknown one lists the closest.
    pub fn resolve_country(&self, query: &str) -> Result<MixMatch<'_>> {
        let q = query.trim();
        if q.is_empty() {
            return Err(Diagnostic::of(ErrorKind::EmptyName {
                kind: "country".into(),
            })
            .hint("write an ISO 3166-1 code (FR or FRA) or a country name (France); `mlca mix list` shows them all")
            .into());
        }
        if let Some(m) = self.first_mix(q)? {
            return Ok(MixMatch {
                mix: m,
                spelling: Spelling::Alpha3,
                iso: None,
            });
        }
        let t = self.mix_table()?;
        if let Some(m) = self.mix_by_code(t, q) {
            // the mix's own code says which country it is: the ISO table is not read for it
            return Ok(MixMatch {
                mix: m,
                spelling: Spelling::Alpha3,
                iso: None,
            });
        }
        let iso_table = self.locations()?;
        let folded = locations::fold(q);
        if let Some(m) = t
            .rows
            .iter()
            .find(|m| locations::fold(&m.country) == folded)
        {
            return Ok(MixMatch {
                mix: m,
                spelling: Spelling::Name,
                iso: iso_table.country(&m.code).map(|(c, _)| c),
            });
        }
        if let Some((c, spelling)) = iso_table.country(q) {
            return match t.rows.iter().find(|m| *m.code == *c.alpha3) {
                Some(mix) => Ok(MixMatch {
                    mix,
                    spelling,
                    iso: Some(c),
                }),
                None => Err(Diagnostic::of(ErrorKind::UnknownName {
                    kind: "country".into(),
                    name: q.to_string(),
                    candidates: Vec::new(),
                })
                .message(format!(
                    "{} ({}) has no electricity mix in the impact data",
                    c.name, c.alpha3
                ))
                .hint("give electricity.factors with their source, or the country whose grid supplies the site; WOR is the world average (`mlca mix list`)")
                .into()),
            };
        }
        let from_mixes: Vec<String> = t
            .index("country", |m| [&*m.country, &*m.code])
            .closest(q, 3)
            .iter()
            .filter_map(|c| t.rows.iter().find(|m| *m.country == **c))
            .map(|m| format!("{} ({})", m.code, m.country))
            .collect();
        Err(iso_table.unknown_country(q, &from_mixes))
    }

    /// A cloud provider's region (`aws us-east-1`) and the mix of its country.
    pub fn find_region(&self, query: &str) -> Result<(&CloudRegion, &Mix)> {
        let r = self.locations()?.find_region(query)?;
        let mix = self
            .mixes()?
            .iter()
            .find(|m| *m.code == *r.country)
            .ok_or_else(|| {
                Error::input(
                    Diagnostic::new(format!(
                    "cloud region {r} is in {}, which has no electricity mix in the impact data",
                    r.country
                ))
                    .hint("give electricity.factors with their source"),
                )
            })?;
        Ok((r, mix))
    }

    /// The country of ISO 3166-1 written as an alpha-2 or alpha-3 code or a name (any case), for
    /// readers whose files carry a country column (CodeCarbon, eco2ai).
    pub fn find_country(&self, query: &str) -> Result<&CountryCode> {
        self.locations()?.find_country(query)
    }
}

/// A country's mix, as found from what the user wrote.
#[derive(Debug, Clone, Copy)]
pub struct MixMatch<'a> {
    pub mix: &'a Mix,
    /// Which code or name matched.
    pub spelling: Spelling,
    /// The country's ISO 3166-1 row, when ISO has it (not WOR, EEE or a former code) and the
    /// country was not written as its mix's own code (FRA says it all: the ISO table is not
    /// read for it).
    pub iso: Option<&'a CountryCode>,
}

/// A catalog item's name, then its aliases.
fn with_aliases<'a>(name: &'a str, aliases: &'a [String]) -> impl Iterator<Item = &'a str> {
    std::iter::once(name).chain(aliases.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_and_every_row_has_a_source() -> Result<()> {
        let d = ImpactData::embedded()?;
        assert!(d.mixes()?.len() >= 139);
        assert!(d.cpus()?.len() > 1000);
        assert!(d.gpus()?.len() >= 33);
        assert_eq!(d.nodes()?.len(), 8);
        assert!(!d.ram()?.is_empty() && !d.ssd()?.is_empty());
        assert!(!d.method_factors()?.is_empty());
        assert_eq!(d.equivalents()?.len(), 5);
        for id in load::REQUIRED_FACTORS {
            d.factor(id)?;
        }
        for id in load::REQUIRED_DEFAULTS {
            d.default(id)?;
        }
        Ok(())
    }

    #[test]
    fn embedded_tables_are_read_when_first_used() -> Result<()> {
        let d = ImpactData::embedded()?;
        let t = &d.tables;
        let read = |t: &Tables| {
            [
                t.mixes.get().is_some(),
                t.factors.get().is_some(),
                t.defaults.get().is_some(),
                t.cpus.get().is_some(),
                t.gpus.get().is_some(),
                t.nodes.get().is_some(),
            ]
        };
        assert_eq!(read(t), [false; 6]);
        // a mix's own code, asked first, reads its row alone and needs no ISO table
        let fra = format!("{:?}", d.find_mix("fra")?);
        assert!(fra.contains("code: \"FRA\""), "{fra}");
        assert_eq!(read(t), [false; 6]);
        assert!(t.locations.get().is_none());
        assert_eq!(format!("{:?}", d.find_mix("FRA")?), fra);
        assert_eq!(read(t), [false; 6]);
        // another code, or a country's alpha-2 code, reads the table (and the ISO table)
        assert_eq!(d.find_mix("DEU")?.code.as_ref(), "DEU");
        assert_eq!(read(t), [true, false, false, false, false, false]);
        assert!(t.locations.get().is_none());
        assert_eq!(d.find_mix("fr")?.code.as_ref(), "FRA");
        assert!(t.locations.get().is_some());
        // the row read alone is the table's row
        let row = d.mixes()?.iter().find(|m| &*m.code == "FRA");
        assert_eq!(row.map(|m| format!("{m:?}")), Some(fra));
        // a CPU found before the catalog is read is read alone, and is the catalog's row
        let epyc = format!("{:?}", d.find_cpu("EPYC 7763")?);
        let unknown = d.find_cpu("EPYC 9999").err().map(|e| e.to_string());
        assert!(t.cpus.get().is_none());
        // a name index is built on the first lookup, not when its table is read
        assert!(d.cpus()?.len() > 1000);
        assert!(t.cpus.get().is_some_and(|c| c.names.get().is_none()));
        assert_eq!(d.find_cpu("EPYC 7763")?.name, "AMD EPYC 7763");
        assert!(t.cpus.get().is_some_and(|c| c.names.get().is_some()));
        assert_eq!(format!("{:?}", d.find_cpu("EPYC 7763")?), epyc);
        assert_eq!(
            d.find_cpu("EPYC 9999").err().map(|e| e.to_string()),
            unknown
        );
        assert!(unknown.is_some_and(|e| e.contains("EPYC 9")));
        Ok(())
    }

    #[test]
    fn a_data_folder_is_read_whole_at_load() -> Result<()> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("impact-data");
        let d = ImpactData::load(Some(&dir))?;
        let t = &d.tables;
        assert!(t.mixes.get().is_some() && t.factors.get().is_some());
        assert!(t.method_factors.get().is_some() && t.defaults.get().is_some());
        assert!(t.cpus.get().is_some() && t.gpus.get().is_some() && t.nodes.get().is_some());
        assert!(t.ram.get().is_some() && t.ssd.get().is_some());
        assert!(t.locations.get().is_some());
        assert_ne!(
            d.origins.get("cpus.csv").map(String::as_str),
            Some("embedded")
        );
        Ok(())
    }

    #[test]
    fn countries_by_code_or_name() -> Result<()> {
        let d = ImpactData::embedded()?;
        assert_eq!(d.find_mix("fra")?.code.as_ref(), "FRA");
        assert_eq!(d.find_mix("France")?.code.as_ref(), "FRA");
        let e = d
            .find_mix("FRX")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("unknown country"), "{e}");
        for q in ["fr", "FRA", "France", "FR "] {
            assert_eq!(d.find_mix(q)?.code.as_ref(), "FRA", "{q}");
        }
        assert_eq!(d.find_mix("DE")?.code.as_ref(), "DEU");
        assert_eq!(d.find_mix("us")?.code.as_ref(), "USA");
        assert_eq!(d.find_mix("United States of America")?.code.as_ref(), "USA");
        assert_eq!(d.find_mix("WOR")?.code.as_ref(), "WOR");
        let e = d
            .find_mix("AQ")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("Antarctica (ATA) has no electricity mix"), "{e}");
        let (r, m) = d.find_region("aws us-east-1")?;
        assert_eq!((r.region.as_str(), &*m.code), ("us-east-1", "USA"));
        assert_eq!(d.find_country("de")?.alpha3, "DEU");
        Ok(())
    }
}
