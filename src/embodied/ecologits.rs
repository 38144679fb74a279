//! EcoLogits' embodied figures: a GPU server is n/8 of a GPU-less 8-GPU server plus n GPUs, each
//! at a fixed figure (an H100-class card), whatever the model (`impact-data/other-methods.csv`).
//! Impacts in kgCO2eq, kgSbeq and MJ; the figures are exact, so nothing here is an uncertain
//! input of the Monte Carlo tape.

use super::{Component, Embodied};
use crate::data::bom::{Bom, GpuPart};
use crate::data::component::ComponentKind;
use crate::data::GpuSpec;
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::impacts::{Gaps, Impacts};
use crate::quantity::interval::Interval;
use crate::quantity::tape::Var;

impl<'t> Embodied<'_, 't> {
    /// EcoLogits: n/8 of a GPU-less 8-GPU server plus n GPUs, at fixed figures.
    pub(super) fn ecologits(
        &mut self,
        bom: &Bom,
        path_of: &dyn Fn(&str) -> String,
    ) -> Result<Vec<Component<Var<'t>>>> {
        let mut n: u32 = 0;
        for (i, g) in bom.gpus.iter().flatten().enumerate() {
            n = n.checked_add(g.units.0).ok_or_else(|| {
                Error::input(
                    Diagnostic::new(format!(
                        "the GPUs' units add up to more than {}: not a count of GPUs in one node",
                        u32::MAX
                    ))
                    .field(format!("{}[{i}].units", path_of("gpus")))
                    .hint("give the GPUs of one node; the node count goes in `nodes`"),
                )
            })?;
        }
        if n == 0 {
            // at the node's first part list: parts the method does not count without a GPU
            let listed = [
                ("cpus", bom.cpus.as_ref().is_some_and(|l| !l.is_empty())),
                ("ram", bom.ram.as_ref().is_some_and(|l| !l.is_empty())),
                ("ssd", bom.ssd.as_ref().is_some_and(|l| !l.is_empty())),
                ("hdd", bom.hdd.as_ref().is_some_and(|l| !l.is_empty())),
                ("gpus", true),
            ];
            let list = listed
                .iter()
                .find(|(_, given)| *given)
                .map_or("gpus", |l| l.0);
            return Err(Error::input(
                Diagnostic::new(
                    "the ecologits method covers GPU servers only: this node has no GPU",
                )
                .field(path_of(list))
                .hint("list the node's GPUs under bom.gpus, or use embodied_method boavizta-2.5 or mlca-2024 for nodes without GPUs"),
            ));
        }
        let server = self.method_factor("ecologits", "server_without_gpu.unit")?;
        let gpu = self.method_factor("ecologits", "gpu.unit")?;
        self.trail.assume(format!(
            "ecologits method: the node is {n}/8 of a GPU-less 8-GPU server plus {n} GPUs at EcoLogits' fixed figures (an H100-class card for every GPU); its CPUs, memory and other parts are inside the server figure"
        ));
        Ok(vec![
            Component {
                not_assessed: Gaps::water_not_covered("EcoLogits' server"),
                component: ComponentKind::Server,
                name: format!("{n}/8 of a GPU-less 8-GPU server (EcoLogits)").into(),
                units: 1,
                manufacture: Impacts::of(server, Var::from(Interval::exact(n as f64 / 8.0))),
            },
            Component {
                not_assessed: Gaps::water_not_covered("EcoLogits' GPU"),
                component: ComponentKind::Gpu,
                name: "GPU (EcoLogits fixed figure)".into(),
                units: n,
                manufacture: Impacts::of(gpu, Var::from(Interval::exact(n as f64))),
            },
        ])
    }

    /// EcoLogits: the fixed figure per GPU, whatever its model.
    pub(super) fn gpu_ecologits(
        &mut self,
        p: &GpuPart,
        spec: Option<&GpuSpec>,
    ) -> Result<Component<Var<'t>>> {
        let f = self.method_factor("ecologits", "gpu.unit")?;
        let name = p
            .name
            .clone()
            .or_else(|| spec.map(|s| s.name.clone()))
            .unwrap_or_else(|| "GPU".into());
        self.trail.assume(format!("ecologits method: GPU \"{name}\" at EcoLogits' fixed figure per GPU (an H100-class card), whatever its model"));
        Ok(Component {
            not_assessed: Gaps::water_not_covered("EcoLogits' GPU"),
            component: ComponentKind::Gpu,
            name: name.into(),
            units: p.units.0,
            manufacture: Impacts::of(f, Var::from(Interval::exact(p.units.0 as f64))),
        })
    }
}
