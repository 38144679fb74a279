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

/// What a computation used and assumed, for the report.
#[derive(Debug, Default)]
pub struct Trail {
    pub assumptions: Vec<String>,
    pub warnings: Vec<String>,
    pub sources: BTreeMap<String, SourceRef>,
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
