//! A node's bill of materials, as the catalog's ready nodes (`impact-data/nodes.yaml`) and the
//! scenarios write it: parts with counts, areas (mm2, cm2), capacities (GB), masses (kg) and
//! densities (GB/cm2), each number with its unit in its key.

use crate::quantity::input::{finite_opt, Count, NonNeg, Positive};
use serde::Deserialize;

/// A bill of materials of one node.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bom {
    #[serde(default)]
    pub cpus: Option<Vec<CpuPart>>,
    #[serde(default)]
    pub gpus: Option<Vec<GpuPart>>,
    #[serde(default)]
    pub ram: Option<Vec<MemoryPart>>,
    #[serde(default)]
    pub ssd: Option<Vec<StoragePart>>,
    #[serde(default)]
    pub hdd: Option<Vec<HddPart>>,
    #[serde(default)]
    pub power_supplies: Option<Vec<PowerSupplyPart>>,
    #[serde(default)]
    pub case: Option<CaseType>,
    #[serde(default)]
    pub motherboards: Option<u32>,
    /// Count the server assembly step (Boavizta: servers only).
    #[serde(default)]
    pub assembly: Option<bool>,
    /// Bare printed circuit boards (e.g. an edge module), by area.
    #[serde(default)]
    pub pcbs: Option<Vec<PcbPart>>,
    /// Any other part given directly as impacts (e.g. a share of a network switch).
    #[serde(default)]
    pub other: Option<Vec<OtherPart>>,
    /// A server (rack or blade): adds the case of that type, one motherboard and the assembly
    /// step, as BoaviztAPI's server does (each unless given here).
    #[serde(default)]
    pub server: Option<CaseType>,
}

impl Bom {
    /// This BOM with every part list that `over` gives replaced by `over`'s.
    pub fn overridden_by(&self, over: &Bom) -> Bom {
        Bom {
            cpus: over.cpus.clone().or_else(|| self.cpus.clone()),
            gpus: over.gpus.clone().or_else(|| self.gpus.clone()),
            ram: over.ram.clone().or_else(|| self.ram.clone()),
            ssd: over.ssd.clone().or_else(|| self.ssd.clone()),
            hdd: over.hdd.clone().or_else(|| self.hdd.clone()),
            power_supplies: over
                .power_supplies
                .clone()
                .or_else(|| self.power_supplies.clone()),
            case: over.case.or(self.case),
            motherboards: over.motherboards.or(self.motherboards),
            assembly: over.assembly.or(self.assembly),
            pcbs: over.pcbs.clone().or_else(|| self.pcbs.clone()),
            other: over.other.clone().or_else(|| self.other.clone()),
            server: over.server.or(self.server),
        }
    }

    /// This BOM with the server shorthand written out: the case, one motherboard and the
    /// assembly step, each unless given.
    pub fn with_server_parts(&self) -> Bom {
        match self.server {
            None => self.clone(),
            Some(case) => Bom {
                case: self.case.or(Some(case)),
                motherboards: self.motherboards.or(Some(1)),
                assembly: self.assembly.or(Some(true)),
                ..self.clone()
            },
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CpuPart {
    /// Catalog name (`mlca hardware list --kind cpu`).
    #[serde(default)]
    pub model: Option<String>,
    /// Label when no catalog model is given.
    #[serde(default)]
    pub name: Option<String>,
    /// Total silicon area (compute and I/O dies), mm2; replaces the catalog's.
    #[serde(default)]
    pub die_area_mm2: Option<Positive>,
    pub units: Count,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GpuPart {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub units: Count,
    /// Physical die area, mm2: mlca applies the wafer and yield model to it.
    #[serde(default)]
    pub die_area_mm2: Option<Positive>,
    /// Effective die area (wafer loss and yield included), mm2, as in BoaviztAPI's GPU table.
    #[serde(default)]
    pub die_area_effective_mm2: Option<Positive>,
    #[serde(default)]
    pub vram_gb: Option<NonNeg>,
    #[serde(default)]
    pub vram_dies: Option<Count>,
    /// Physical area of all the VRAM dies, mm2 (BoaviztAPI's `vram_surface`): replaces the
    /// area from vram_gb (15.5 mm2/GB).
    #[serde(default)]
    pub vram_area_mm2: Option<Positive>,
    #[serde(default)]
    pub pcb_area_cm2: Option<NonNeg>,
    #[serde(default)]
    pub casing_kg: Option<NonNeg>,
    #[serde(default)]
    pub heatsink_kg: Option<NonNeg>,
    /// Mass of the whole card, kg (transport and end of life).
    #[serde(default)]
    pub mass_kg: Option<NonNeg>,
    #[serde(default)]
    pub boat_km: Option<NonNeg>,
    #[serde(default)]
    pub truck_km: Option<NonNeg>,
    #[serde(default)]
    pub plane_km: Option<NonNeg>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemoryPart {
    /// Capacity of one unit (one DIMM), GB.
    pub capacity_gb: Positive,
    pub units: Count,
    #[serde(default)]
    pub density_gb_per_cm2: Option<Positive>,
    /// DRAM maker, to pick densities from ram.csv.
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default, deserialize_with = "finite_opt")]
    pub process_nm: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoragePart {
    /// Capacity of one drive, GB.
    pub capacity_gb: Positive,
    pub units: Count,
    #[serde(default)]
    pub density_gb_per_cm2: Option<Positive>,
    /// NAND maker, to pick densities from ssd.csv.
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default, deserialize_with = "finite_opt")]
    pub layers: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HddPart {
    pub units: Count,
    /// Informative only: the Boavizta HDD factor is per drive.
    #[serde(default)]
    pub capacity_gb: Option<Positive>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerSupplyPart {
    pub units: Count,
    #[serde(default)]
    pub mass_kg: Option<Positive>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CaseType {
    Rack,
    Blade,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PcbPart {
    #[serde(default)]
    pub name: Option<String>,
    pub area_cm2: Positive,
    pub units: Count,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherPart {
    pub name: String,
    pub units: Count,
    /// Impacts of one unit: at least one criterion; a criterion left out is not assessed.
    #[serde(default)]
    pub gwp_kgco2eq: Option<NonNeg>,
    #[serde(default)]
    pub adp_kgsbeq: Option<NonNeg>,
    #[serde(default)]
    pub pe_mj: Option<NonNeg>,
    /// Water of one unit, m3 (left out: the part is not covered for water).
    #[serde(default)]
    pub water_m3: Option<NonNeg>,
    pub source: String,
}
