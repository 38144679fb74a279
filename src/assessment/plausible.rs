//! Plausibility warnings: inputs that are valid numbers but no data centre has. A mean power far
//! above the hardware's TDP sum (a 4-GPU node drawing 31.9 kW), a measured power far above a
//! device's TDP, a PUE or a lifetime outside what data centres report, an energy per step that
//! jumps between extrapolation phases. Each says what it compared; none stops the assessment.

use crate::data::bom::Bom;
use crate::data::ImpactData;
use crate::energy::EnergyReport;
use crate::quantity::format::num;
use crate::quantity::interval::Interval;
use crate::scenario::Scenario;

/// A mean power above this many times the TDP sum of the CPUs and GPUs is implausible (memory,
/// disks, fans and power conversion add to the TDPs, but not that much).
pub const POWER_OVER_TDP: f64 = 2.0;
/// A PUE above this: the average of the data centres the Uptime Institute surveyed in 2007,
/// its first survey, with the least efficient ones; recent averages are near 1.6.
pub const PUE_MAX: f64 = 2.5;
/// A lifetime (years) outside this range: servers and accelerators are replaced after 3 to 7
/// years; 1 and 10 leave room for a short lease and a long life.
pub const LIFETIME_YEARS: (f64, f64) = (1.0, 10.0);
/// Energy per step changing by more than this factor between two extrapolation phases.
pub const STEP_JUMP: f64 = 10.0;

/// The TDP sum (W) of the CPUs and GPUs of one node of `bom`, when every one has a catalog TDP.
fn tdp_sum_w(data: &ImpactData, bom: &Bom) -> Option<f64> {
    let mut sum = 0.0;
    for g in bom.gpus.iter().flatten() {
        let tdp = data.find_gpu(g.model.as_deref()?).ok()?.tdp_w?;
        sum += tdp * f64::from(g.units.0);
    }
    for c in bom.cpus.iter().flatten() {
        let tdp = data.find_cpu(c.model.as_deref()?).ok()?.tdp_w?;
        sum += tdp * f64::from(c.units.0);
    }
    (sum > 0.0).then_some(sum)
}

/// The bill of materials of a node kind, as the assessment reads it (a catalog node with the
/// scenario's part lists, or the scenario's own).
fn group_bom(data: &ImpactData, g: &crate::scenario::NodeGroup) -> Option<Bom> {
    // the overrides copied only for a node kind that has a bill of materials
    let over = || g.bom.clone().unwrap_or_default();
    match &g.catalog {
        Some(c) => Some(data.find_node(c).ok()?.bom.overridden_by(&over())),
        None if g.instance.is_none() && g.embodied.is_none() => Some(over()),
        None => None,
    }
}

/// The warnings of a scenario whose run drew `it_kwh` (IT, whole run) over `duration_h`.
pub fn warnings(
    s: &Scenario,
    data: &ImpactData,
    it_kwh: Interval,
    duration_h: Option<Interval>,
    energy: &EnergyReport,
) -> Vec<String> {
    let mut out = Vec::new();
    // mean power of the run against the nodes' TDP sum, when every node's is known
    if let Some(d) = duration_h.filter(|d| d.value > 0.0) {
        let sums: Option<Vec<f64>> = s
            .infrastructure
            .iter()
            .map(|g| tdp_sum_w(data, &group_bom(data, g)?).map(|w| w * f64::from(g.nodes.0)))
            .collect();
        if let Some(tdp) = sums.map(|v| v.iter().sum::<f64>()).filter(|w| *w > 0.0) {
            let mean_w = it_kwh.value * 1000.0 / d.value;
            if mean_w > POWER_OVER_TDP * tdp {
                out.push(format!(
                    "the run's mean IT power, {} W ({} kWh over {} h), is {} times the TDP sum of the nodes' CPUs and GPUs ({} W): check the energy's unit, the duration and the number of nodes",
                    num(mean_w), num(it_kwh.value), num(d.value), num(mean_w / tdp), num(tdp)
                ));
            }
        }
    }
    // a device's mean power against its catalog TDP
    for (i, dev) in s.energy.devices.iter().flatten().enumerate() {
        let (Some(p), Some(m)) = (dev.power_w, dev.model.as_deref()) else {
            continue;
        };
        let tdp = data
            .find_gpu(m)
            .ok()
            .and_then(|g| g.tdp_w)
            .or_else(|| data.find_cpu(m).ok().and_then(|c| c.tdp_w));
        if let Some(tdp) = tdp.filter(|t| p.0.value > POWER_OVER_TDP * t) {
            out.push(format!(
                "energy.devices[{i}]: a mean power of {} W per device is {} times the TDP of {m} ({} W): is it the power of several devices, or of a node?",
                num(p.0.value), num(p.0.value / tdp), num(tdp)
            ));
        }
    }
    let pue = s.electricity.pue.0;
    if pue.max > PUE_MAX {
        out.push(format!(
            "a PUE of {} is more than data centres report (above {PUE_MAX}, the average of the first Uptime Institute survey, 2007; recent averages are near 1.6): check electricity.pue",
            num(pue.max)
        ));
    }
    let life = s.allocation.lifetime_years.0;
    let (lo, hi) = LIFETIME_YEARS;
    if life.min < lo || life.max > hi {
        out.push(format!(
            "a lifetime of {} years is outside what data centres keep hardware ({lo} to {hi} years; servers and GPUs are replaced after 3 to 7): check allocation.lifetime_years",
            num(if life.min < lo { life.min } else { life.max })
        ));
    }
    // energy per step between consecutive extrapolation phases (per node)
    for w in energy.extrapolation.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let (ra, rb) = (a.slope_kwh_per_step, b.slope_kwh_per_step);
        if ra > 0.0 && rb > 0.0 {
            let k = (rb / ra).max(ra / rb);
            if k > STEP_JUMP {
                out.push(format!(
                    "the energy per step changes x{} from phase \"{}\" ({:e} kWh/step) to \"{}\" ({:e} kWh/step): check the phases' steps, their points' units and the nodes",
                    num(k), a.name, ra, b.name, rb
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tdp_sum_needs_every_part_known() {
        let data = ImpactData::embedded().expect("data");
        let bom: Bom = yaml_serde::from_str(
            "{gpus: [{model: NVIDIA A100 SXM4 80GB, units: 4}], cpus: [{model: AMD EPYC 7763, units: 2}]}",
        )
        .expect("bom");
        // 4 x 400 W + 2 x 280 W
        assert_eq!(tdp_sum_w(&data, &bom), Some(2160.0));
        let unknown: Bom =
            yaml_serde::from_str("{gpus: [{model: NVIDIA P100, units: 4}]}").expect("bom");
        assert_eq!(tdp_sum_w(&data, &unknown), None);
    }
}
