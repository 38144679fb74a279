//! Provenance: the sources a computation cites (from `impact-data/sources.csv`, or given in
//! the scenario) and the assumptions and warnings it records, carried into every report.

use crate::data::ImpactData;
use serde::Serialize;
use std::collections::BTreeMap;

/// A source cited by a report: from impact-data, or given in the scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceRef {
    pub id: String,
    pub citation: String,
    pub url: String,
    pub year: String,
    /// Its entry in impact-data/references.bib (empty for sources given in the scenario).
    pub bibtex_key: String,
}

/// A named default of impact-data (`defaults.csv`) that a computation applied, and what it
/// stands for there (`ram density not given (infrastructure[0].bom.ram[0])`).
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedDefault {
    pub what: String,
    pub default: crate::data::DefaultValue,
}

/// A part of a node that its impacts leave out (the catalog's `not_included`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub node: String,
    pub part: String,
}

/// What a computation used and assumed, for the report.
#[derive(Debug, Default)]
pub struct Trail {
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: BTreeMap<String, SourceRef>,
    /// The defaults applied, typed (the assumptions say them in words too).
    pub defaults: Vec<AppliedDefault>,
    /// The parts left out, typed (the assumptions say them in words too).
    pub left_out: Vec<LeftOut>,
}

impl Trail {
    pub fn assume(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !self.assumptions.contains(&s) {
            self.assumptions.push(s);
        }
    }
    pub fn warn(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !self.warnings.contains(&s) {
            self.warnings.push(s);
        }
    }
    /// Record that the default `d` was applied for `what`.
    pub fn applied(&mut self, d: &crate::data::DefaultValue, what: &str) {
        let a = AppliedDefault {
            what: what.to_string(),
            default: d.clone(),
        };
        if !self.defaults.contains(&a) {
            self.defaults.push(a);
        }
    }
    /// Record that `node` leaves `part` out.
    pub fn leave_out(&mut self, node: &str, part: &str) {
        let l = LeftOut {
            node: node.to_string(),
            part: part.to_string(),
        };
        if !self.left_out.contains(&l) {
            self.left_out.push(l);
        }
    }
    pub fn cite(&mut self, data: &ImpactData, id: &str) {
        if let Some(s) = data.source(id) {
            self.sources
                .entry(id.to_string())
                .or_insert_with(|| SourceRef {
                    id: s.source_id.clone(),
                    citation: s.citation.clone(),
                    url: s.url.clone(),
                    year: s.year.clone(),
                    bibtex_key: s.bibtex_key.clone(),
                });
        }
    }
    /// A source given as free text in the scenario.
    pub fn cite_text(&mut self, id: String, citation: &str) {
        self.sources.entry(id.clone()).or_insert_with(|| SourceRef {
            id,
            citation: citation.to_string(),
            url: String::new(),
            year: String::new(),
            bibtex_key: String::new(),
        });
    }
}
