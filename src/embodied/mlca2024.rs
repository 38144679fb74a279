//! MLCA (Morand et al. 2024) for GPUs: the physical die area (cm2) x F_die + F_base, plus the VRAM
//! as memory: capacity (GB) / density (GB/cm2) x F_vram_die + F_vram_base, per card. Other
//! components follow BoaviztAPI 2.5.0.
//!
//! The die area and the VRAM capacity given in the scenario, and the default VRAM density, are
//! uncertain inputs of the assessment's Monte Carlo tape.

use super::{missing, vram_gb, Component, Embodied};
use crate::data::bom::GpuPart;
use crate::data::component::ComponentKind;
use crate::data::GpuSpec;
use crate::error::Result;
use crate::quantity::impacts::{Gaps, Impacts};
use crate::quantity::interval::Interval;
use crate::quantity::tape::Var;
use crate::quantity::units::MM2_PER_CM2;

impl<'t> Embodied<'_, 't> {
    /// MLCA (Morand et al. 2024): die_cm2 x F_die + F_base + VRAM as memory
    /// (capacity / density x F_vram_die + F_vram_base), per card.
    pub(super) fn gpu_mlca(
        &mut self,
        p: &GpuPart,
        spec: Option<&GpuSpec>,
        path: &str,
        name: String,
    ) -> Result<Component<Var<'t>>> {
        let label = name.clone();
        if let Some(d) = p.die_area_mm2 {
            // the wafer holds the die whatever the method: a larger die is a typing error
            let wafer = super::boavizta::Wafer {
                diameter_mm: self.data.default("wafer.diameter")?.value,
                kerf_mm: self.data.default("wafer.kerf")?.value,
                defect_density_per_cm2: self.data.default("wafer.defect_density")?.value,
            };
            super::boavizta::check_die_area(
                d.0.max,
                &wafer,
                &format!("{path}.die_area_mm2"),
                "a die",
            )?;
        }
        let die_mm2 = match (p.die_area_mm2, spec.and_then(|s| s.die_area_mm2)) {
            (Some(d), _) => d.param(self.tape, &format!("{path}.die_area_mm2")),
            (None, Some(d)) => {
                self.trail.cite(self.data, "gpu-die-areas");
                Var::from(Interval::exact(d))
            }
            (None, None) => {
                return Err(missing(
                    path.to_string(),
                    format!("the mlca-2024 method needs the physical die area of GPU \"{label}\", which the catalog does not know"),
                    "give die_area_mm2 (physical), or use embodied_method boavizta-2.5",
                ))
            }
        };
        let vram_gb = vram_gb(
            self.tape,
            p,
            spec,
            path,
            &label,
            "give vram_gb (0 for none)",
        )?;
        let density = self.default(
            "mlca-2024.vram_density",
            &format!("GPU \"{label}\": VRAM density (mlca-2024 method)"),
        )?;
        let f_die = self.method_factor("mlca-2024", "gpu.die")?;
        let f_base = self.method_factor("mlca-2024", "gpu.base")?;
        let f_vd = self.method_factor("mlca-2024", "gpu.vram_die")?;
        let f_vb = self.method_factor("mlca-2024", "gpu.vram_base")?;
        let die_cm2 = die_mm2.scale(1.0 / MM2_PER_CM2);
        let one = Var::from(Interval::exact(1.0));
        let mut card = Impacts::of(f_die, die_cm2) + Impacts::of(f_base, one);
        if vram_gb.interval().max > 0.0 {
            card = card + Impacts::of(f_vd, vram_gb.over(density)) + Impacts::of(f_vb, one);
        }
        Ok(Component {
            not_assessed: Gaps::water_not_covered("a GPU in the mlca-2024 method"),
            component: ComponentKind::Gpu,
            name: name.into(),
            units: p.units.0,
            manufacture: card.scale(p.units.0 as f64),
        })
    }
}
