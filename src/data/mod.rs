//! Layer 2, data: the impact data (factors, electricity mixes, hardware catalog and defaults,
//! each row with its source: [`rows`]), their loading and checking ([`ImpactData::load`]), name
//! matching ([`names`]), the bill-of-materials model the catalog's nodes share with scenarios
//! ([`bom`]), the component kinds of a report ([`component`]) and provenance ([`provenance`]).
//!
//! The files of `impact-data/` are embedded at build time; `--data DIR` replaces any of them by a
//! file of the same name in DIR. The loader rejects a row whose source is not listed in
//! `sources.csv`.

pub mod bom;
pub mod cloud;
pub mod component;
mod load;
pub mod names;
pub mod provenance;
pub mod read;
pub mod rows;

pub use rows::*;

use crate::error::{Diagnostic, Error, ErrorKind, Result};
use names::NameIndex;
use std::collections::BTreeMap;

/// The kinds of catalog item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CatalogKind {
    Cpu,
    Gpu,
    Ram,
    Ssd,
    Node,
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
    /// Cloud instances and their host platforms.
    pub cloud: cloud::Cloud,
    /// BibTeX entries by key.
    pub bibtex: BTreeMap<String, String>,
    gpu_names: NameIndex,
    cpu_names: NameIndex,
    node_names: NameIndex,
    mix_names: NameIndex,
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
    /// The data embedded in the binary.
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
        load::FILES.iter().map(|(n, _)| *n)
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
        Err(Diagnostic::of(ErrorKind::UnknownName {
            kind: "country".into(),
            name: q.to_string(),
            candidates: codes,
        })
        .message(format!("unknown country \"{q}\" in the electricity data"))
        .hint(hint)
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads_and_every_row_has_a_source() -> Result<()> {
        let d = ImpactData::embedded()?;
        assert!(d.mixes.len() >= 139);
        assert!(d.cpus.len() > 1000);
        assert!(d.gpus.len() >= 33);
        assert_eq!(d.nodes.len(), 8);
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
