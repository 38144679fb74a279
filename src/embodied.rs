//! Embodied (manufacture) impacts of a node's bill of materials, by the BoaviztAPI 2.5.0 method
//! (`../shared/reference/boavizta-method.md`), with its factors from impact-data.
//!
//! Per component, for each criterion (GWP kgCO2eq, ADP kgSbeq, PE MJ):
//! - CPU: (die_mm2 x F_die + F_base) x units
//! - RAM, SSD: (capacity_gb / density_gb_per_cm2 x F_die + F_base) x units
//! - HDD: F x units; motherboard: F x units; assembly: F
//! - power supply: mass_kg x F x units
//! - case: rack F_rack, or blade F_blade_server + F_enclosure / 16
//! - GPU: (casing_kg x F_casing + heatsink_kg x F_heatsink + pcb_cm2 x F_pcb +
//!   effective_die_mm2 x F_die + effective_vram_mm2 x F_vram + mass_kg x F_upstream +
//!   mass_kg x (boat_km F_boat + truck_km F_truck + plane_km F_plane) + mass_kg x F_eol) x
//!   units, effective areas from the wafer and yield model ([`effective_area_mm2`]).
//! - bare PCB: area_cm2 x F_pcb(GPU) x units; other parts: their given impacts x units.
//!
//! Bounds follow the method: every input interval is taken at its monotone extreme. Unlike
//! BoaviztAPI, counts are exact (never a range), so no bound is multiplied by the wrong count.

use crate::data::{GpuSpec, ImpactData};
use crate::error::{Diagnostic, Error, Result};
use crate::impacts::{Impacts, Triple};
use crate::interval::Interval;
use crate::scenario::{Bom, CaseType, CpuPart, GpuPart, MemoryPart, StoragePart};
use crate::units::MM2_PER_CM2;
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

/// One line of a bill of materials with its manufacture impacts (all its units, one node).
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub component: String,
    pub name: String,
    pub units: u32,
    pub manufacture: Impacts,
}

/// The wafer and yield parameters of the effective-area model.
#[derive(Debug, Clone, Copy)]
pub struct Wafer {
    pub diameter_mm: f64,
    pub kerf_mm: f64,
    pub defect_density_per_cm2: f64,
}

/// Effective silicon area of a die of `area_mm2`: the wafer area used per good die.
///
/// side w = sqrt(A) + kerf, A' = w^2; dies per wafer n = S/A' - pi d / sqrt(2 A') with
/// S = pi (d/2)^2; area per die S/n; yield Y = exp(-sqrt(A'/100 x D0)); result (S/n) / Y.
/// For the A100 die of 826 mm2 this gives 2876.29 mm2 (BoaviztAPI 2.5.0, gpu.py:19-50).
pub fn effective_area_mm2(area_mm2: f64, w: &Wafer) -> f64 {
    let r = w.diameter_mm / 2.0;
    let s = std::f64::consts::PI * r * r;
    let side = area_mm2.sqrt() + w.kerf_mm;
    let a = side * side;
    let n = s / a - std::f64::consts::PI * w.diameter_mm / (2.0 * a).sqrt();
    let per_die = s / n;
    let y = (-(a / MM2_PER_CM2 * w.defect_density_per_cm2).sqrt()).exp();
    per_die / y
}

/// The embodied methods mlca carries (see `impact-data/other-methods.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
pub enum EmbodiedMethod {
    /// BoaviztAPI 2.5.0: every component bottom-up, GPUs by wafer and yield effective areas.
    #[serde(rename = "boavizta-2.5")]
    #[value(name = "boavizta-2.5")]
    Boavizta25,
    /// MLCA (Morand et al. 2024): GPUs by physical die area and VRAM as memory at 0.625 GB/cm2;
    /// other components as BoaviztAPI.
    #[serde(rename = "mlca-2024")]
    #[value(name = "mlca-2024")]
    Mlca2024,
    /// EcoLogits: fixed figures per GPU and per GPU-less 8-GPU server.
    #[serde(rename = "ecologits")]
    #[value(name = "ecologits")]
    Ecologits,
}

impl EmbodiedMethod {
    pub const ALL: [EmbodiedMethod; 3] = [
        EmbodiedMethod::Boavizta25,
        EmbodiedMethod::Mlca2024,
        EmbodiedMethod::Ecologits,
    ];
    pub fn key(self) -> &'static str {
        match self {
            EmbodiedMethod::Boavizta25 => "boavizta-2.5",
            EmbodiedMethod::Mlca2024 => "mlca-2024",
            EmbodiedMethod::Ecologits => "ecologits",
        }
    }
}

/// Embodied impacts of one node.
pub struct Embodied<'a> {
    data: &'a ImpactData,
    pub method: EmbodiedMethod,
    pub trail: Trail,
}

fn at(path: String) -> impl FnOnce(Error) -> Error {
    move |e| match e {
        Error::Input(mut d) if d.field.is_none() => {
            d.field = Some(path);
            Error::Input(d)
        }
        e => e,
    }
}

fn missing(path: String, msg: String, hint: &str) -> Error {
    Error::input(Diagnostic::new(msg).field(path).hint(hint))
}

impl<'a> Embodied<'a> {
    pub fn new(data: &'a ImpactData) -> Self {
        Self::with_method(data, EmbodiedMethod::Boavizta25)
    }

    pub fn with_method(data: &'a ImpactData, method: EmbodiedMethod) -> Self {
        Embodied {
            data,
            method,
            trail: Trail::default(),
        }
    }

    fn method_factor(&mut self, method: &str, id: &str) -> Result<Triple> {
        let f = self
            .data
            .method_factors
            .get(&format!("{method}/{id}"))
            .cloned()
            .ok_or_else(|| {
                Error::input(Diagnostic::new(format!(
                    "impact data has no factor {id} of method {method} (other-methods.csv)"
                )))
            })?;
        self.trail.cite(self.data, &f.source_id);
        Ok(Triple {
            gwp: f.gwp_kgco2eq,
            adp: f.adp_kgsbeq,
            pe: f.pe_mj,
        })
    }

    /// EcoLogits: n/8 of a GPU-less 8-GPU server plus n GPUs, at fixed figures.
    fn ecologits(&mut self, bom: &Bom) -> Result<Vec<Component>> {
        let n: u32 = bom.gpus.iter().flatten().map(|g| g.units.0).sum();
        if n == 0 {
            return Err(Error::input(
                Diagnostic::new(
                    "the ecologits method covers GPU servers only: this node has no GPU",
                )
                .hint("use embodied_method boavizta-2.5 or mlca-2024 for nodes without GPUs"),
            ));
        }
        let server = self.method_factor("ecologits", "server_without_gpu.unit")?;
        let gpu = self.method_factor("ecologits", "gpu.unit")?;
        self.trail.assume(format!(
            "ecologits method: the node is {n}/8 of a GPU-less 8-GPU server plus {n} GPUs at EcoLogits' fixed figures (an H100-class card for every GPU); its CPUs, memory and other parts are inside the server figure"
        ));
        Ok(vec![
            Component {
                component: "server".into(),
                name: format!("{n}/8 of a GPU-less 8-GPU server (EcoLogits)"),
                units: 1,
                manufacture: Impacts::of(server, Interval::exact(n as f64 / 8.0)),
            },
            Component {
                component: "gpu".into(),
                name: "GPU (EcoLogits fixed figure)".into(),
                units: n,
                manufacture: Impacts::of(gpu, Interval::exact(n as f64)),
            },
        ])
    }

    /// MLCA (Morand et al. 2024): die_cm2 x F_die + F_base + VRAM as memory
    /// (capacity / density x F_vram_die + F_vram_base), per card.
    fn gpu_mlca(
        &mut self,
        p: &GpuPart,
        spec: Option<&GpuSpec>,
        path: &str,
        name: String,
    ) -> Result<Component> {
        let label = name.clone();
        let die_mm2 = match (p.die_area_mm2, spec.and_then(|s| s.die_area_mm2)) {
            (Some(d), _) => d.param(&format!("{path}.die_area_mm2")),
            (None, Some(d)) => {
                self.trail.cite(self.data, "gpu-die-areas");
                Interval::exact(d)
            }
            (None, None) => {
                return Err(missing(
                    path.to_string(),
                    format!("the mlca-2024 method needs the physical die area of GPU \"{label}\", which the catalog does not know"),
                    "give die_area_mm2 (physical), or use embodied_method boavizta-2.5",
                ))
            }
        };
        let vram_gb = vram_gb(p, spec, path, &label, "give vram_gb (0 for none)")?;
        let density = self.default(
            "mlca-2024.vram_density",
            &format!("GPU \"{label}\": VRAM density (mlca-2024 method)"),
        )?;
        let f_die = self.method_factor("mlca-2024", "gpu.die")?;
        let f_base = self.method_factor("mlca-2024", "gpu.base")?;
        let f_vd = self.method_factor("mlca-2024", "gpu.vram_die")?;
        let f_vb = self.method_factor("mlca-2024", "gpu.vram_base")?;
        let die_cm2 = die_mm2.scale(1.0 / MM2_PER_CM2);
        let mut card = Impacts::of(f_die, die_cm2) + Impacts::of(f_base, Interval::exact(1.0));
        if vram_gb.max > 0.0 {
            card = card
                + Impacts::of(f_vd, vram_gb.over(density))
                + Impacts::of(f_vb, Interval::exact(1.0));
        }
        Ok(Component {
            component: "gpu".into(),
            name,
            units: p.units.0,
            manufacture: card.scale(p.units.0 as f64),
        })
    }

    fn factor(&mut self, id: &str) -> Result<Triple> {
        let f = self.data.factor(id)?;
        self.trail.cite(self.data, &f.source_id.clone());
        Ok(f.triple())
    }

    /// A default value, named in the assumptions with `what` it stands for.
    fn default(&mut self, id: &str, what: &str) -> Result<Interval> {
        let d = self.data.default(id)?.clone();
        self.trail.cite(self.data, &d.source_id);
        let range = if d.min != d.max {
            format!(" ({} to {})", d.min, d.max)
        } else {
            String::new()
        };
        let interval = crate::mc::param(&format!("default {id} ({what})"), d.interval(), None);
        self.trail.assume(format!(
            "{what}: default {} {}{range} [{}] ({})",
            crate::assess::exact(d.value),
            d.unit,
            d.source_id,
            d.note
        ));
        Ok(interval)
    }

    fn wafer(&mut self) -> Result<Wafer> {
        let g = |s: &mut Self, id: &str| -> Result<f64> {
            let d = s.data.default(id)?;
            let v = d.value;
            let sid = d.source_id.clone();
            s.trail.cite(s.data, &sid);
            Ok(v)
        };
        Ok(Wafer {
            diameter_mm: g(self, "wafer.diameter")?,
            kerf_mm: g(self, "wafer.kerf")?,
            defect_density_per_cm2: g(self, "wafer.defect_density")?,
        })
    }

    /// The components of a bill of materials. `path_of(list)` gives the field path of a part list
    /// (`infrastructure[0].bom.gpus`) for errors.
    pub fn bom(&mut self, bom: &Bom, path_of: &dyn Fn(&str) -> String) -> Result<Vec<Component>> {
        if self.method == EmbodiedMethod::Ecologits {
            return self.ecologits(bom);
        }
        let mut out = Vec::new();
        for (i, p) in bom.cpus.iter().flatten().enumerate() {
            out.push(self.cpu(p, format!("{}[{i}]", path_of("cpus")))?);
        }
        for (i, p) in bom.gpus.iter().flatten().enumerate() {
            out.push(self.gpu(p, format!("{}[{i}]", path_of("gpus")))?);
        }
        for (i, p) in bom.ram.iter().flatten().enumerate() {
            out.push(self.ram(p, format!("{}[{i}]", path_of("ram")))?);
        }
        for (i, p) in bom.ssd.iter().flatten().enumerate() {
            out.push(self.ssd(p, format!("{}[{i}]", path_of("ssd")))?);
        }
        for p in bom.hdd.iter().flatten() {
            let f = self.factor("hdd.unit")?;
            out.push(Component {
                component: "hdd".into(),
                name: "HDD".into(),
                units: p.units.0,
                manufacture: Impacts::of(f, Interval::exact(p.units.0 as f64)),
            });
        }
        for (i, p) in bom.power_supplies.iter().flatten().enumerate() {
            let f = self.factor("power_supply.mass")?;
            let mass = match p.mass_kg {
                Some(m) => m.param(&format!("{}[{i}].mass_kg", path_of("power_supplies"))),
                None => self.default("power_supply.mass", "power supply mass not given")?,
            };
            out.push(Component {
                component: "power_supply".into(),
                name: "power supply".into(),
                units: p.units.0,
                manufacture: Impacts::of(f, mass.scale(p.units.0 as f64)),
            });
        }
        if let Some(case) = bom.case {
            let manufacture = match case {
                CaseType::Rack => Impacts::of(self.factor("case.rack")?, Interval::exact(1.0)),
                CaseType::Blade => {
                    let server = self.factor("case.blade_server")?;
                    let enclosure = self.factor("case.blade_enclosure_16_slots")?;
                    Impacts::of(server, Interval::exact(1.0))
                        + Impacts::of(enclosure, Interval::exact(1.0 / 16.0))
                }
            };
            let name = match case {
                CaseType::Rack => "rack case",
                CaseType::Blade => "blade case (1/16 of a 16-slot enclosure)",
            };
            out.push(Component {
                component: "case".into(),
                name: name.into(),
                units: 1,
                manufacture,
            });
        }
        if let Some(n) = bom.motherboards.filter(|n| *n > 0) {
            let f = self.factor("motherboard.unit")?;
            out.push(Component {
                component: "motherboard".into(),
                name: "motherboard".into(),
                units: n,
                manufacture: Impacts::of(f, Interval::exact(n as f64)),
            });
        }
        if bom.assembly == Some(true) {
            let f = self.factor("assembly.unit")?;
            out.push(Component {
                component: "assembly".into(),
                name: "server assembly".into(),
                units: 1,
                manufacture: Impacts::of(f, Interval::exact(1.0)),
            });
        }
        for p in bom.pcbs.iter().flatten() {
            let f = self.factor("gpu.pcb")?;
            out.push(Component {
                component: "pcb".into(),
                name: p
                    .name
                    .clone()
                    .unwrap_or_else(|| "printed circuit board".into()),
                units: p.units.0,
                manufacture: Impacts::of(f, p.area_cm2.0.scale(p.units.0 as f64)),
            });
        }
        for p in bom.other.iter().flatten() {
            let one = Impacts {
                gwp: p
                    .gwp_kgco2eq
                    .param(&format!("other {} gwp_kgco2eq", p.name)),
                adp: p.adp_kgsbeq.param(&format!("other {} adp_kgsbeq", p.name)),
                pe: p.pe_mj.param(&format!("other {} pe_mj", p.name)),
            };
            self.trail
                .cite_text(format!("scenario: {}", p.name), &p.source);
            out.push(Component {
                component: "other".into(),
                name: p.name.clone(),
                units: p.units.0,
                manufacture: one.scale(p.units.0 as f64),
            });
        }
        Ok(out)
    }

    /// CPU: (die_mm2 x F_die + F_base) x units.
    pub fn cpu(&mut self, p: &CpuPart, path: String) -> Result<Component> {
        if self.method == EmbodiedMethod::Ecologits {
            return Err(missing(
                path,
                "the ecologits method has figures for GPUs and GPU servers only, not for a CPU"
                    .into(),
                "use --method boavizta-2.5 or mlca-2024",
            ));
        }
        let spec = match &p.model {
            Some(m) => Some(self.data.find_cpu(m).map_err(at(format!("{path}.model")))?),
            None => None,
        };
        if let Some(s) = spec {
            self.trail.cite(self.data, &s.source_id);
        }
        let die = match (p.die_area_mm2, spec.and_then(|s| s.die_area_mm2)) {
            (Some(d), _) => d.param(&format!("{path}.die_area_mm2")),
            (None, Some(d)) => Interval::exact(d),
            (None, None) => {
                return Err(missing(
                    path,
                    match spec {
                        Some(s) => format!(
                            "the catalog does not know the die area of CPU \"{}\"",
                            s.name
                        ),
                        None => "a CPU needs a catalog `model` or a `die_area_mm2`".into(),
                    },
                    "give die_area_mm2 (all compute and I/O dies of one package, mm2)",
                ))
            }
        };
        let name = p
            .name
            .clone()
            .or_else(|| spec.map(|s| s.name.clone()))
            .unwrap_or_else(|| "CPU".into());
        let manufacture = cpu_impacts(
            die,
            p.units.0,
            self.factor("cpu.die")?,
            self.factor("cpu.base")?,
        );
        Ok(Component {
            component: "cpu".into(),
            name,
            units: p.units.0,
            manufacture,
        })
    }

    fn density(
        &mut self,
        kind: &str,
        given: Option<Interval>,
        manufacturer: Option<&str>,
        generation: Option<f64>,
        path: &str,
    ) -> Result<Interval> {
        if let Some(d) = given {
            return Ok(d);
        }
        if manufacturer.is_none() && generation.is_none() {
            let what = format!("{kind} density not given ({path})");
            return self.default(&format!("{kind}.density"), &what);
        }
        let rows: Vec<(String, f64, f64, String)> = if kind == "ram" {
            self.data
                .ram
                .iter()
                .map(|r| {
                    (
                        r.manufacturer.clone(),
                        r.process_nm,
                        r.density_gb_per_cm2,
                        r.source_id.clone(),
                    )
                })
                .collect()
        } else {
            self.data
                .ssd
                .iter()
                .map(|r| {
                    (
                        r.manufacturer.clone(),
                        r.layers,
                        r.density_gb_per_cm2,
                        r.source_id.clone(),
                    )
                })
                .collect()
        };
        let gen_name = if kind == "ram" {
            "process_nm"
        } else {
            "layers"
        };
        let keep: Vec<&(String, f64, f64, String)> = rows
            .iter()
            .filter(|r| {
                manufacturer.is_none_or(|m| r.0.to_lowercase().contains(&m.trim().to_lowercase()))
            })
            .filter(|r| generation.is_none_or(|g| r.1 == g))
            .collect();
        if keep.is_empty() {
            let mut makers: Vec<String> = rows
                .iter()
                .map(|r| format!("{} {} {}", r.0, gen_name, r.1))
                .collect();
            makers.dedup();
            return Err(missing(
                path.to_string(),
                format!("no {kind} density row matches manufacturer {manufacturer:?} and {gen_name} {generation:?}"),
                &format!("give density_gb_per_cm2, or one of: {}", makers.join("; ")),
            ));
        }
        for r in &keep {
            self.trail.cite(self.data, &r.3);
        }
        let n = keep.len() as f64;
        let mean = keep.iter().map(|r| r.2).sum::<f64>() / n;
        let lo = keep.iter().map(|r| r.2).fold(f64::INFINITY, f64::min);
        let hi = keep.iter().map(|r| r.2).fold(f64::NEG_INFINITY, f64::max);
        self.trail.assume(format!(
            "{kind} density at {path}: mean of {} matching row(s) of {kind}.csv, {mean:.4} ({lo} to {hi}) GB/cm2",
            keep.len()
        ));
        Ok(crate::mc::param(
            &format!("{path} {kind} density (mean of {} rows)", keep.len()),
            Interval::new(mean, lo, hi),
            None,
        ))
    }

    /// RAM: (capacity / density x F_die + F_base) x units.
    pub fn ram(&mut self, p: &MemoryPart, path: String) -> Result<Component> {
        let density = self.density(
            "ram",
            p.density_gb_per_cm2
                .map(|d| d.param(&format!("{path}.density_gb_per_cm2"))),
            p.manufacturer.as_deref(),
            p.process_nm,
            &path,
        )?;
        let manufacture = die_impacts(
            p.capacity_gb.param(&format!("{path}.capacity_gb")),
            density,
            p.units.0,
            self.factor("ram.die")?,
            self.factor("ram.base")?,
        );
        Ok(Component {
            component: "ram".into(),
            name: format!("{} GB memory", p.capacity_gb.0.value),
            units: p.units.0,
            manufacture,
        })
    }

    /// SSD: (capacity / density x F_die + F_base) x units.
    pub fn ssd(&mut self, p: &StoragePart, path: String) -> Result<Component> {
        let density = self.density(
            "ssd",
            p.density_gb_per_cm2
                .map(|d| d.param(&format!("{path}.density_gb_per_cm2"))),
            p.manufacturer.as_deref(),
            p.layers,
            &path,
        )?;
        let manufacture = die_impacts(
            p.capacity_gb.param(&format!("{path}.capacity_gb")),
            density,
            p.units.0,
            self.factor("ssd.die")?,
            self.factor("ssd.base")?,
        );
        Ok(Component {
            component: "ssd".into(),
            name: format!("{} GB SSD", p.capacity_gb.0.value),
            units: p.units.0,
            manufacture,
        })
    }

    /// The quantities of one GPU card, from the part, the catalog, then named defaults.
    pub fn gpu_quantities(
        &mut self,
        p: &GpuPart,
        spec: Option<&GpuSpec>,
        path: &str,
    ) -> Result<GpuQuantities> {
        let label = spec
            .map(|s| s.name.clone())
            .or_else(|| p.name.clone())
            .unwrap_or_else(|| "GPU".into());
        let wafer = self.wafer()?;
        let die_effective_mm2 = if let Some(e) = p.die_area_effective_mm2 {
            e.param(&format!("{path}.die_area_effective_mm2"))
        } else if let Some(a) = p.die_area_mm2 {
            self.trail.assume(format!(
                "GPU \"{label}\": physical die area {} mm2 turned into an effective area by the wafer and yield model (300 mm wafer, 0.2 mm kerf, D0 0.1 /cm2)",
                a.0.value
            ));
            a.param(&format!("{path}.die_area_mm2"))
                .map_monotone(move |x| effective_area_mm2(x, &wafer))
        } else if let Some(v) = spec.and_then(|s| s.die_area_effective_mm2) {
            Interval::exact(v)
        } else {
            return Err(missing(
                path.to_string(),
                format!("the die area of GPU \"{label}\" is not known"),
                "give die_area_mm2 (physical) or die_area_effective_mm2",
            ));
        };
        let vram_gb = vram_gb(
            p,
            spec,
            path,
            &label,
            "give vram_gb (0 for none) and vram_dies",
        )?;
        let vram_dies = match (p.vram_dies, spec.and_then(|s| s.vram_dies)) {
            (Some(d), _) => d.0 as f64,
            (None, Some(d)) => d,
            (None, None) if vram_gb.max == 0.0 => 1.0,
            (None, None) => {
                return Err(missing(
                    path.to_string(),
                    format!("the number of VRAM dies of GPU \"{label}\" is not known"),
                    "give vram_dies",
                ))
            }
        };
        let per_gb = self.data.default("gpu.vram_area_per_gb")?.value;
        let vram_effective_mm2 = vram_gb.map_monotone(move |gb| {
            if gb == 0.0 {
                0.0
            } else {
                effective_area_mm2(gb * per_gb / vram_dies, &wafer) * vram_dies
            }
        });
        let pcb_cm2 = match (p.pcb_area_cm2, spec.and_then(|s| s.pcb_area_cm2)) {
            (Some(v), _) => v.param(&format!("{path}.pcb_area_cm2")),
            (None, Some(v)) => Interval::exact(v),
            (None, None) => {
                return Err(missing(
                    path.to_string(),
                    format!("the board (PCB) area of GPU \"{label}\" is not known"),
                    "give pcb_area_cm2",
                ))
            }
        };
        let known_masses = spec.is_some_and(|s| {
            s.casing_kg.is_some() && s.heatsink_kg.is_some() && s.mass_kg.is_some()
        });
        let pick = |s: &mut Self,
                    given: Option<crate::scenario::NonNeg>,
                    cat: Option<f64>,
                    id: &str|
         -> Result<Interval> {
            match (given, cat) {
                (Some(v), _) => Ok(v.param(&format!("{path}.{}", id.trim_start_matches("gpu.")))),
                (None, Some(v)) => Ok(Interval::exact(v)),
                (None, None) => {
                    let what = format!(
                        "GPU \"{label}\": {} not known",
                        id.trim_start_matches("gpu.")
                    );
                    s.default(id, &what)
                }
            }
        };
        let casing_kg = pick(
            self,
            p.casing_kg,
            spec.and_then(|s| s.casing_kg),
            "gpu.casing_mass",
        )?;
        let heatsink_kg = pick(
            self,
            p.heatsink_kg,
            spec.and_then(|s| s.heatsink_kg),
            "gpu.heatsink_mass",
        )?;
        let mass_kg = pick(self, p.mass_kg, spec.and_then(|s| s.mass_kg), "gpu.mass")?;
        if spec.is_some() && !known_masses && (p.casing_kg.is_none() || p.mass_kg.is_none()) {
            self.trail.warn(format!("GPU \"{label}\": the catalog has no masses for this card; BoaviztAPI's 'Large GPU' archetype masses are used (see assumptions)"));
        }
        let boat_km = pick(self, p.boat_km, spec.and_then(|s| s.boat_km), "gpu.boat_km")?;
        let truck_km = pick(
            self,
            p.truck_km,
            spec.and_then(|s| s.truck_km),
            "gpu.truck_km",
        )?;
        let plane_km = pick(
            self,
            p.plane_km,
            spec.and_then(|s| s.plane_km),
            "gpu.plane_km",
        )?;
        Ok(GpuQuantities {
            die_effective_mm2,
            vram_effective_mm2,
            pcb_cm2,
            casing_kg,
            heatsink_kg,
            mass_kg,
            boat_km,
            truck_km,
            plane_km,
        })
    }

    pub fn gpu_factors(&mut self) -> Result<GpuFactors> {
        Ok(GpuFactors {
            casing: self.factor("gpu.casing")?,
            heatsink: self.factor("gpu.heatsink")?,
            pcb: self.factor("gpu.pcb")?,
            die: self.factor("gpu.die")?,
            vram: self.factor("gpu.vram")?,
            upstream: self.factor("gpu.upstream_transport")?,
            truck: self.factor("gpu.truck")?,
            boat: self.factor("gpu.boat")?,
            plane: self.factor("gpu.plane")?,
            end_of_life: self.factor("gpu.end_of_life")?,
        })
    }

    pub fn gpu(&mut self, p: &GpuPart, path: String) -> Result<Component> {
        let spec = match &p.model {
            Some(m) => Some(self.data.find_gpu(m).map_err(at(format!("{path}.model")))?),
            None => None,
        };
        if let Some(s) = spec {
            self.trail.cite(self.data, &s.source_id);
        }
        if self.method == EmbodiedMethod::Ecologits {
            let f = self.method_factor("ecologits", "gpu.unit")?;
            let name = p
                .name
                .clone()
                .or_else(|| spec.map(|s| s.name.clone()))
                .unwrap_or_else(|| "GPU".into());
            self.trail.assume(format!("ecologits method: GPU \"{name}\" at EcoLogits' fixed figure per GPU (an H100-class card), whatever its model"));
            return Ok(Component {
                component: "gpu".into(),
                name,
                units: p.units.0,
                manufacture: Impacts::of(f, Interval::exact(p.units.0 as f64)),
            });
        }
        if self.method == EmbodiedMethod::Mlca2024 {
            let name = p
                .name
                .clone()
                .or_else(|| spec.map(|s| s.name.clone()))
                .unwrap_or_else(|| "GPU".into());
            return self
                .gpu_mlca(p, spec, &path, name)
                .map_err(at(path.clone()));
        }
        let q = self
            .gpu_quantities(p, spec, &path)
            .map_err(at(path.clone()))?;
        let f = self.gpu_factors()?;
        let name = p
            .name
            .clone()
            .or_else(|| spec.map(|s| s.name.clone()))
            .unwrap_or_else(|| "GPU".into());
        Ok(Component {
            component: "gpu".into(),
            name,
            units: p.units.0,
            manufacture: gpu_impacts(&q, &f).scale(p.units.0 as f64),
        })
    }
}

/// A GPU's VRAM capacity, GB: the part's (an uncertain input), else the catalog's.
fn vram_gb(
    p: &GpuPart,
    spec: Option<&GpuSpec>,
    path: &str,
    label: &str,
    hint: &str,
) -> Result<Interval> {
    match (p.vram_gb, spec.and_then(|s| s.vram_gb)) {
        (Some(v), _) => Ok(v.param(&format!("{path}.vram_gb"))),
        (None, Some(v)) => Ok(Interval::exact(v)),
        (None, None) => Err(missing(
            path.to_string(),
            format!("the VRAM capacity of GPU \"{label}\" is not known"),
            hint,
        )),
    }
}

/// (die x F_die + F_base) x units.
pub fn cpu_impacts(die_mm2: Interval, units: u32, f_die: Triple, f_base: Triple) -> Impacts {
    (Impacts::of(f_die, die_mm2) + Impacts::of(f_base, Interval::exact(1.0))).scale(units as f64)
}

/// (capacity / density x F_die + F_base) x units; capacity in GB, density in GB/cm2.
pub fn die_impacts(
    capacity_gb: Interval,
    density: Interval,
    units: u32,
    f_die: Triple,
    f_base: Triple,
) -> Impacts {
    let area_cm2 = capacity_gb.over(density);
    (Impacts::of(f_die, area_cm2) + Impacts::of(f_base, Interval::exact(1.0))).scale(units as f64)
}

/// The quantities of one GPU card.
#[derive(Debug, Clone, Copy)]
pub struct GpuQuantities {
    pub die_effective_mm2: Interval,
    pub vram_effective_mm2: Interval,
    pub pcb_cm2: Interval,
    pub casing_kg: Interval,
    pub heatsink_kg: Interval,
    pub mass_kg: Interval,
    pub boat_km: Interval,
    pub truck_km: Interval,
    pub plane_km: Interval,
}

/// The ten GPU factors.
#[derive(Debug, Clone, Copy)]
pub struct GpuFactors {
    pub casing: Triple,
    pub heatsink: Triple,
    pub pcb: Triple,
    pub die: Triple,
    pub vram: Triple,
    pub upstream: Triple,
    pub truck: Triple,
    pub boat: Triple,
    pub plane: Triple,
    pub end_of_life: Triple,
}

/// Manufacture, transport and end of life of one GPU card: the sum of the ten terms.
pub fn gpu_impacts(q: &GpuQuantities, f: &GpuFactors) -> Impacts {
    Impacts::of(f.casing, q.casing_kg)
        + Impacts::of(f.heatsink, q.heatsink_kg)
        + Impacts::of(f.pcb, q.pcb_cm2)
        + Impacts::of(f.die, q.die_effective_mm2)
        + Impacts::of(f.vram, q.vram_effective_mm2)
        + Impacts::of(f.upstream, q.mass_kg)
        + Impacts::of(f.truck, q.truck_km.times(q.mass_kg))
        + Impacts::of(f.boat, q.boat_km.times(q.mass_kg))
        + Impacts::of(f.plane, q.plane_km.times(q.mass_kg))
        + Impacts::of(f.end_of_life, q.mass_kg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAFER: Wafer = Wafer {
        diameter_mm: 300.0,
        kerf_mm: 0.2,
        defect_density_per_cm2: 0.1,
    };

    #[test]
    fn effective_area_of_the_a100_die() {
        // hand computation: A' = (sqrt(826)+0.2)^2 = 837.54; n = 70685.83/837.54 - pi*300/sqrt(1675.08)
        // = 84.397 - 23.028 = 61.37; S/n = 1151.8; Y = exp(-sqrt(0.8375)) = 0.4004; 1151.8/0.4004 = 2876.3
        let e = effective_area_mm2(826.0, &WAFER);
        assert!((e - 2876.29).abs() < 0.01, "{e}");
        let a = (826f64.sqrt() + 0.2).powi(2);
        assert!((a - 837.54).abs() < 0.01);
    }

    #[test]
    fn vram_die_of_80_gb_in_6_dies() {
        // 80 x 15.5 / 6 = 206.67 mm2 per die -> 390.53 mm2 effective (boavizta-method.md 1.3)
        let e = effective_area_mm2(80.0 * 15.5 / 6.0, &WAFER);
        assert!((e - 390.53).abs() < 0.01, "{e}");
    }

    #[test]
    fn cpu_of_350_mm2_by_hand() {
        let f_die = Triple {
            gwp: 0.0197,
            adp: 5.87e-9,
            pe: 0.265,
        };
        let f_base = Triple {
            gwp: 9.14,
            adp: 2.04e-2,
            pe: 156.0,
        };
        let i = cpu_impacts(Interval::exact(350.0), 1, f_die, f_base);
        // 350 x 0.0197 + 9.14 = 16.035
        assert!((i.gwp.value - 16.035).abs() < 1e-12);
        assert!((i.pe.value - (350.0 * 0.265 + 156.0)).abs() < 1e-9);
    }

    #[test]
    fn memory_area_bounds_take_the_opposite_density() {
        let f = Triple {
            gwp: 2.2,
            adp: 0.0,
            pe: 0.0,
        };
        let z = Triple::default();
        let i = die_impacts(Interval::exact(32.0), Interval::new(1.0, 0.5, 2.0), 2, f, z);
        // 32/1 x 2.2 x 2 = 140.8; min 32/2 x 2.2 x 2 = 70.4; max 32/0.5 x 2.2 x 2 = 281.6
        assert!((i.gwp.value - 140.8).abs() < 1e-9);
        assert!((i.gwp.min - 70.4).abs() < 1e-9);
        assert!((i.gwp.max - 281.6).abs() < 1e-9);
    }
}
