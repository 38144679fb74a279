//! The rows of the impact data files, as read from CSV (and the catalog's nodes from YAML).

use super::bom::Bom;
use crate::quantity::impacts::{Criterion, Triple};
use crate::quantity::interval::Interval;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
/// Its texts are shared (`Arc<str>`) with the reports that cite it.
pub struct Source {
    pub source_id: Arc<str>,
    pub citation: Arc<str>,
    pub url: Arc<str>,
    pub year: Arc<str>,
    /// Key of its entry in references.bib.
    pub bibtex_key: Arc<str>,
}

/// One electricity factor of one country, with its source; its texts are shared (`Arc<str>`)
/// with the reports that name them.
#[derive(Debug, Clone)]
pub struct MixFactor {
    pub value: f64,
    pub source_id: Arc<str>,
    pub year: Arc<str>,
}

/// A country's (or region's) electricity mix; its code and name are shared (`Arc<str>`) with
/// the reports that name the country.
#[derive(Debug, Clone)]
pub struct Mix {
    pub code: Arc<str>,
    pub country: Arc<str>,
    pub gwp: Option<MixFactor>,
    pub adp: Option<MixFactor>,
    pub pe: Option<MixFactor>,
    /// Water consumed per kWh generated (m3/kWh), for the countries that have it.
    pub water: Option<MixFactor>,
}

impl Mix {
    /// The factor of criterion `c`, if the data has one.
    pub fn factor(&self, c: Criterion) -> Option<&MixFactor> {
        match c {
            Criterion::Gwp => self.gwp.as_ref(),
            Criterion::Adp => self.adp.as_ref(),
            Criterion::Pe => self.pe.as_ref(),
            Criterion::Water => self.water.as_ref(),
        }
    }

    /// The world (WOR) and European (EEE) averages, whose factors carry the range of all
    /// countries' factors (`electricity-ranges.csv`).
    pub fn is_average(&self) -> bool {
        matches!(&*self.code, "WOR" | "EEE")
    }
}

#[derive(Deserialize)]
pub(super) struct MixRow {
    pub(super) code: String,
    pub(super) country: String,
    pub(super) gwp_kgco2eq_per_kwh: Option<f64>,
    pub(super) gwp_source_id: Option<String>,
    pub(super) gwp_year: Option<String>,
    pub(super) adp_kgsbeq_per_kwh: Option<f64>,
    pub(super) adp_source_id: Option<String>,
    pub(super) adp_year: Option<String>,
    pub(super) pe_mj_per_kwh: Option<f64>,
    pub(super) pe_source_id: Option<String>,
    pub(super) pe_year: Option<String>,
    pub(super) water_m3_per_kwh: Option<f64>,
    pub(super) water_source_id: Option<String>,
    pub(super) water_year: Option<String>,
}

impl MixRow {
    /// The value, source and year columns of criterion `c`.
    pub(super) fn column(&self, c: Criterion) -> (Option<f64>, &Option<String>, &Option<String>) {
        match c {
            Criterion::Gwp => (
                self.gwp_kgco2eq_per_kwh,
                &self.gwp_source_id,
                &self.gwp_year,
            ),
            Criterion::Adp => (self.adp_kgsbeq_per_kwh, &self.adp_source_id, &self.adp_year),
            Criterion::Pe => (self.pe_mj_per_kwh, &self.pe_source_id, &self.pe_year),
            Criterion::Water => (
                self.water_m3_per_kwh,
                &self.water_source_id,
                &self.water_year,
            ),
        }
    }
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
    /// Water per unit (m3 eq.); empty where the data has none.
    pub water_m3: Option<f64>,
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
            water: self.water_m3,
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

#[derive(Debug, Clone, Deserialize, PartialEq)]
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
    /// Thermal design power (board power for a PCIe card), W, from `tdp_source`.
    #[serde(default)]
    pub tdp_w: Option<f64>,
    /// The datasheet the TDP comes from.
    #[serde(default)]
    pub tdp_source: Option<String>,
    /// Why the TDP is not given, when it is not.
    #[serde(default)]
    pub tdp_note: Option<String>,
}

pub(super) fn split_aliases<'de, D: serde::Deserializer<'de>>(
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
