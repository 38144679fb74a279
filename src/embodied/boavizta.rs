//! BoaviztAPI 2.5.0 component models (<https://doc.api.boavizta.org/>): CPU by die area,
//! RAM and SSD by capacity and density, GPUs by the ten terms of a card with effective (wafer and
//! yield) die and VRAM areas.
//!
//! The models are written over any [`Quantity`]: intervals in tests and for a catalog item,
//! quantities tracked on the assessment's Monte Carlo tape otherwise. Areas in mm2 or cm2,
//! capacities in GB, densities in GB/cm2, masses in kg, distances in km.

use super::{at, missing, vram_gb, Component, Embodied};
use crate::data::bom::{CpuPart, GpuPart, MemoryPart, StoragePart};
use crate::data::component::ComponentKind;
use crate::data::GpuSpec;
use crate::error::Result;
use crate::quantity::impacts::{Gaps, Impacts, Triple};
use crate::quantity::interval::{Interval, Quantity};
use crate::quantity::tape::Var;
use crate::quantity::units::MM2_PER_CM2;
use crate::scenario::EmbodiedMethod;

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

/// The largest die the wafer model accepts: the area at which dies per wafer falls to one.
/// With x = sqrt(A'), n = S/x^2 - pi d/(sqrt(2) x) >= 1 is x^2 + (pi d/sqrt(2)) x - S <= 0, so
/// x <= (-b + sqrt(b^2 + 4 S)) / 2 with b = pi d / sqrt(2), and A = (x - kerf)^2. A larger die
/// makes n below one, then negative: the model's area per die, and its impacts, turn negative.
/// For a 300 mm wafer and a 0.2 mm kerf this is about 8,625 mm2.
pub fn max_die_area_mm2(w: &Wafer) -> f64 {
    let r = w.diameter_mm / 2.0;
    let s = std::f64::consts::PI * r * r;
    let b = std::f64::consts::PI * w.diameter_mm / std::f64::consts::SQRT_2;
    let x = (-b + (b * b + 4.0 * s).sqrt()) / 2.0;
    (x - w.kerf_mm).max(0.0).powi(2)
}

/// Refuse a die area (upper bound `max_mm2`, at `field`) that the wafer of `w` cannot hold.
pub fn check_die_area(max_mm2: f64, w: &Wafer, field: &str, what: &str) -> Result<()> {
    let limit = max_die_area_mm2(w);
    if max_mm2 > limit || max_mm2.is_nan() {
        return Err(missing(
            field.to_string(),
            format!(
                "{what} of {max_mm2:.0} mm2 does not fit on a {} mm wafer: the wafer model holds at most {limit:.0} mm2 per die (fewer dies than one per wafer would give a negative impact)",
                w.diameter_mm
            ),
            "give the area of one die in mm2 (the A100 die is 826 mm2), not of several dies or of the card; for VRAM, the capacity of one card in GB and its number of memory dies",
        ));
    }
    Ok(())
}

impl<'t> Embodied<'_, 't> {
    /// CPU: (die_mm2 x F_die + F_base) x units.
    pub fn cpu(&mut self, p: &CpuPart, path: String) -> Result<Component<Var<'t>>> {
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
            (Some(d), _) => d.param(self.tape, &format!("{path}.die_area_mm2")),
            (None, Some(d)) => Var::from(Interval::exact(d)),
            (None, None) => {
                return Err(missing(
                    path,
                    match spec {
                        Some(s) => format!(
                            "CPU \"{}\" has no die area in the data: give die_area_mm2",
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
            not_assessed: Gaps::water_not_covered("a CPU"),
            component: ComponentKind::Cpu,
            name: name.into(),
            units: p.units.0,
            manufacture,
        })
    }

    fn density(
        &mut self,
        kind: &str,
        given: Option<Var<'t>>,
        manufacturer: Option<&str>,
        generation: Option<f64>,
        path: &str,
    ) -> Result<Var<'t>> {
        if let Some(d) = given {
            return Ok(d);
        }
        if manufacturer.is_none() && generation.is_none() {
            let what = format!("{kind} density not given ({path})");
            return self.default(&format!("{kind}.density"), &what);
        }
        let rows: Vec<(String, f64, f64, String)> = if kind == "ram" {
            self.data
                .ram()?
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
                .ssd()?
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
        if let Some(m) = manufacturer {
            let wanted = m.trim().to_lowercase();
            if !rows.iter().any(|r| r.0.to_lowercase().contains(&wanted)) {
                let mut makers: Vec<&str> = Vec::new();
                for r in &rows {
                    if !makers.contains(&r.0.as_str()) {
                        makers.push(&r.0);
                    }
                }
                let label = kind.to_uppercase();
                let hint = match crate::data::names::suggest(m.trim(), &makers) {
                    Some(s) => format!(
                        "did you mean {s}? {kind}.csv has {}; or give density_gb_per_cm2",
                        makers.join(", ")
                    ),
                    None => format!(
                        "{kind}.csv has {}; or give density_gb_per_cm2",
                        makers.join(", ")
                    ),
                };
                return Err(missing(
                    format!("{path}.manufacturer"),
                    format!(
                        "no {kind} density row matches manufacturer \"{m}\" and {}: {kind}.csv has no {label} manufacturer \"{m}\"",
                        generation.map_or(format!("any {gen_name}"), |g| format!("{gen_name} {g}")),
                    ),
                    &hint,
                ));
            }
        }
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
            let field = if manufacturer.is_some() {
                format!("{path}.manufacturer")
            } else {
                path.to_string()
            };
            return Err(missing(
                field,
                format!(
                    "no {kind} density row matches {} and {}",
                    manufacturer.map_or("any manufacturer".to_string(), |m| format!(
                        "manufacturer \"{m}\""
                    )),
                    generation.map_or(format!("any {gen_name}"), |g| format!("{gen_name} {g}")),
                ),
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
        Ok(self.tape.param(
            &format!("{path} {kind} density (mean of {} rows)", keep.len()),
            Interval::new(mean, lo, hi),
            None,
        ))
    }

    /// RAM: (capacity / density x F_die + F_base) x units.
    pub fn ram(&mut self, p: &MemoryPart, path: String) -> Result<Component<Var<'t>>> {
        let density = self.density(
            "ram",
            p.density_gb_per_cm2
                .map(|d| d.param(self.tape, &format!("{path}.density_gb_per_cm2"))),
            p.manufacturer.as_deref(),
            p.process_nm,
            &path,
        )?;
        let manufacture = die_impacts(
            p.capacity_gb
                .param(self.tape, &format!("{path}.capacity_gb")),
            density,
            p.units.0,
            self.factor("ram.die")?,
            self.factor("ram.base")?,
        );
        Ok(Component {
            not_assessed: Gaps::water_not_covered("RAM"),
            component: ComponentKind::Ram,
            name: format!("{} GB memory", p.capacity_gb.0.value).into(),
            units: p.units.0,
            manufacture,
        })
    }

    /// SSD: (capacity / density x F_die + F_base) x units.
    pub fn ssd(&mut self, p: &StoragePart, path: String) -> Result<Component<Var<'t>>> {
        let density = self.density(
            "ssd",
            p.density_gb_per_cm2
                .map(|d| d.param(self.tape, &format!("{path}.density_gb_per_cm2"))),
            p.manufacturer.as_deref(),
            p.layers,
            &path,
        )?;
        let manufacture = die_impacts(
            p.capacity_gb
                .param(self.tape, &format!("{path}.capacity_gb")),
            density,
            p.units.0,
            self.factor("ssd.die")?,
            self.factor("ssd.base")?,
        );
        Ok(Component {
            not_assessed: Gaps::water_not_covered("an SSD"),
            component: ComponentKind::Ssd,
            name: format!("{} GB SSD", p.capacity_gb.0.value).into(),
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
    ) -> Result<GpuQuantities<Var<'t>>> {
        let label = spec
            .map(|s| s.name.clone())
            .or_else(|| p.name.clone())
            .unwrap_or_else(|| "GPU".into());
        let wafer = self.wafer()?;
        if let Some(a) = p.die_area_mm2 {
            let field = format!("{path}.die_area_mm2");
            check_die_area(a.0.max, &wafer, &field, "a die")?;
        }
        if let Some(e) = p.die_area_effective_mm2 {
            // the effective area (wafer area per good die) of the largest die the wafer holds
            let limit = effective_area_mm2(max_die_area_mm2(&wafer), &wafer);
            if e.0.max > limit || e.0.max.is_nan() {
                return Err(missing(
                    format!("{path}.die_area_effective_mm2"),
                    format!(
                        "an effective die area of {} mm2 is more than the wafer model gives the largest die a {} mm wafer holds ({limit:.0} mm2)",
                        e.0.max, wafer.diameter_mm
                    ),
                    "give the effective (wafer and yield) area of one die in mm2 (the A100's is 2876 mm2)",
                ));
            }
        }
        let die_effective_mm2 = if let Some(e) = p.die_area_effective_mm2 {
            e.param(self.tape, &format!("{path}.die_area_effective_mm2"))
        } else if let Some(a) = p.die_area_mm2 {
            self.trail.assume(format!(
                "GPU \"{label}\": physical die area {} mm2 turned into an effective area by the wafer and yield model (300 mm wafer, 0.2 mm kerf, D0 0.1 /cm2)",
                a.0.value
            ));
            a.param(self.tape, &format!("{path}.die_area_mm2"))
                .map_monotone(move |x| effective_area_mm2(x, &wafer))
        } else if let Some(v) = spec.and_then(|s| s.die_area_effective_mm2) {
            Var::from(Interval::exact(v))
        } else {
            return Err(missing(
                path.to_string(),
                format!("the die area of GPU \"{label}\" is not known"),
                "give die_area_mm2 (physical) or die_area_effective_mm2",
            ));
        };
        let vram_effective_mm2 = self.vram_effective_mm2(p, spec, path, &label, wafer)?;
        let pcb_cm2 = match (p.pcb_area_cm2, spec.and_then(|s| s.pcb_area_cm2)) {
            (Some(v), _) => v.param(self.tape, &format!("{path}.pcb_area_cm2")),
            (None, Some(v)) => Var::from(Interval::exact(v)),
            (None, None) => {
                // as BoaviztAPI does, and said as the masses are
                self.trail.warn(format!("GPU \"{label}\": the board (PCB) area is not known; BoaviztAPI's 'Large GPU' archetype area is used (see assumptions; give pcb_area_cm2 to replace it)"));
                self.default(
                    "gpu.pcb_area",
                    &format!("GPU \"{label}\": pcb_area not known"),
                )?
            }
        };
        let known_masses = spec.is_some_and(|s| {
            s.casing_kg.is_some() && s.heatsink_kg.is_some() && s.mass_kg.is_some()
        });
        let pick = |s: &mut Self,
                    given: Option<crate::scenario::NonNeg>,
                    cat: Option<f64>,
                    id: &str|
         -> Result<Var<'t>> {
            match (given, cat) {
                (Some(v), _) => {
                    Ok(v.param(s.tape, &format!("{path}.{}", id.trim_start_matches("gpu."))))
                }
                (None, Some(v)) => Ok(Var::from(Interval::exact(v))),
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

    /// The effective (wafer and yield) area of a GPU's VRAM, mm2: from its capacity (GB x
    /// 15.5 mm2/GB over its dies), or from the physical area of its dies when the part gives it
    /// (`vram_area_mm2`, BoaviztAPI's `vram_surface`), each die through the wafer model.
    fn vram_effective_mm2(
        &mut self,
        p: &GpuPart,
        spec: Option<&GpuSpec>,
        path: &str,
        label: &str,
        wafer: Wafer,
    ) -> Result<Var<'t>> {
        if let Some(area) = p.vram_area_mm2 {
            let dies = match (p.vram_dies, spec.and_then(|s| s.vram_dies)) {
                (Some(d), _) => f64::from(d.0),
                (None, Some(d)) => d,
                (None, None) => {
                    return Err(missing(
                        path.to_string(),
                        format!("the number of VRAM dies of GPU \"{label}\" is not known"),
                        "give vram_dies with vram_area_mm2 (the area of all the VRAM dies)",
                    ))
                }
            };
            check_die_area(
                area.0.max / dies,
                &wafer,
                &format!("{path}.vram_area_mm2"),
                &format!("a VRAM die ({} mm2 over {dies} dies)", area.0.max),
            )?;
            self.trail.assume(format!(
                "GPU \"{label}\": VRAM given as an area (BoaviztAPI's vram_surface), {} mm2 over {dies} dies, each through the wafer and yield model",
                crate::quantity::format::exact(area.0.value)
            ));
            return Ok(area
                .param(self.tape, &format!("{path}.vram_area_mm2"))
                .map_monotone(move |a| effective_area_mm2(a / dies, &wafer) * dies));
        }
        let vram_gb = vram_gb(
            self.tape,
            p,
            spec,
            path,
            label,
            "give vram_gb (0 for none) and vram_dies",
        )?;
        let vram_dies = match (p.vram_dies, spec.and_then(|s| s.vram_dies)) {
            (Some(d), _) => d.0 as f64,
            (None, Some(d)) => d,
            (None, None) if vram_gb.interval().max == 0.0 => 1.0,
            (None, None) => {
                return Err(missing(
                    path.to_string(),
                    format!("the number of VRAM dies of GPU \"{label}\" is not known"),
                    "give vram_dies",
                ))
            }
        };
        let per_gb = self.data.default("gpu.vram_area_per_gb")?.value;
        let vram_die_mm2 = vram_gb.interval().max * per_gb / vram_dies;
        if vram_die_mm2 > max_die_area_mm2(&wafer) || vram_die_mm2.is_nan() {
            let field = if p.vram_gb.is_some() {
                format!("{path}.vram_gb")
            } else {
                format!("{path}.vram_dies")
            };
            check_die_area(
                vram_die_mm2,
                &wafer,
                &field,
                &format!(
                    "a VRAM die ({} GB x {per_gb} mm2/GB over {vram_dies} dies)",
                    vram_gb.interval().max
                ),
            )?;
        }
        Ok(vram_gb.map_monotone(move |gb| {
            if gb == 0.0 {
                0.0
            } else {
                effective_area_mm2(gb * per_gb / vram_dies, &wafer) * vram_dies
            }
        }))
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

    /// BoaviztAPI 2.5.0: the ten terms of one card, times its units.
    pub(super) fn gpu_boavizta(
        &mut self,
        p: &GpuPart,
        spec: Option<&GpuSpec>,
        path: String,
    ) -> Result<Component<Var<'t>>> {
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
            not_assessed: Gaps::none(),
            component: ComponentKind::Gpu,
            name: name.into(),
            units: p.units.0,
            manufacture: gpu_impacts(&q, &f).scale(p.units.0 as f64),
        })
    }
}

/// (die x F_die + F_base) x units.
pub fn cpu_impacts<Q: Quantity>(
    die_mm2: Q,
    units: u32,
    f_die: Triple,
    f_base: Triple,
) -> Impacts<Q> {
    (Impacts::of(f_die, die_mm2) + Impacts::of(f_base, Q::from(Interval::exact(1.0))))
        .scale(units as f64)
}

/// (capacity / density x F_die + F_base) x units; capacity in GB, density in GB/cm2.
pub fn die_impacts<Q: Quantity>(
    capacity_gb: Q,
    density: Q,
    units: u32,
    f_die: Triple,
    f_base: Triple,
) -> Impacts<Q> {
    let area_cm2 = capacity_gb.over(density);
    (Impacts::of(f_die, area_cm2) + Impacts::of(f_base, Q::from(Interval::exact(1.0))))
        .scale(units as f64)
}

/// The quantities of one GPU card.
#[derive(Debug, Clone, Copy)]
pub struct GpuQuantities<Q = Interval> {
    pub die_effective_mm2: Q,
    pub vram_effective_mm2: Q,
    pub pcb_cm2: Q,
    pub casing_kg: Q,
    pub heatsink_kg: Q,
    pub mass_kg: Q,
    pub boat_km: Q,
    pub truck_km: Q,
    pub plane_km: Q,
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
pub fn gpu_impacts<Q: Quantity>(q: &GpuQuantities<Q>, f: &GpuFactors) -> Impacts<Q> {
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
#[path = "boavizta_tests.rs"]
mod tests;
