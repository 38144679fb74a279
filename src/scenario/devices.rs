//! The energy inputs a paper's author has in hand: device-hours (GPU-hours, chip-days,
//! node-hours) at a power (mean measured, TDP x usage, or a catalog TDP), units running for some
//! hours (a static or idle power over the run), where the energy was metered (IT equipment or
//! facility) and an overhead multiplier. See README.md, "Energy terms".

use crate::quantity::input::{Count, Multiplier, NonNeg, Positive, Share};
use serde::Deserialize;

/// One energy line of devices: their time, their power, and what they are.
///
/// Time: exactly one of `device_hours`, `gpu_hours`, `cpu_hours`, `node_hours`, `chip_hours`
/// (hours summed over the devices), `device_days`, `gpu_days`, `node_days`, `chip_days` (days
/// summed over the devices, x 24 h), or `units` running `hours` each (`run.duration_h` if
/// `hours` is left out: a static or idle power over the run).
///
/// Power of one device: `power_w` (mean measured power), or `tdp_w` x `usage`, or the catalog
/// TDP of `model` x `usage`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceUse {
    /// Label of the line in the report.
    #[serde(default)]
    pub name: Option<String>,
    /// What the devices are: gpu, cpu, memory, node or other. Implied by `gpu_*`, `cpu_*`,
    /// `node_*` and by a catalog `model`.
    #[serde(default)]
    pub component: Option<super::ComponentKind>,
    /// A catalog GPU or CPU: its TDP when no power is given, and its embodied impacts charged
    /// per device-hour.
    #[serde(default)]
    pub model: Option<String>,
    /// A catalog node (`mlca hardware list --kind node`) hosting the devices: its parts other
    /// than the GPUs, shared by its GPUs, are charged per device-hour too.
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub units: Option<Count>,
    /// Hours each of `units` ran; `run.duration_h` if absent.
    #[serde(default)]
    pub hours: Option<Positive>,
    #[serde(default)]
    pub device_hours: Option<NonNeg>,
    #[serde(default)]
    pub gpu_hours: Option<NonNeg>,
    #[serde(default)]
    pub cpu_hours: Option<NonNeg>,
    #[serde(default)]
    pub node_hours: Option<NonNeg>,
    #[serde(default)]
    pub chip_hours: Option<NonNeg>,
    #[serde(default)]
    pub device_days: Option<NonNeg>,
    #[serde(default)]
    pub gpu_days: Option<NonNeg>,
    #[serde(default)]
    pub node_days: Option<NonNeg>,
    #[serde(default)]
    pub chip_days: Option<NonNeg>,
    /// Mean power of one device, W (measured, or as a paper states it).
    #[serde(default)]
    pub power_w: Option<NonNeg>,
    /// Thermal design power of one device, W.
    #[serde(default)]
    pub tdp_w: Option<NonNeg>,
    /// Mean fraction of the TDP drawn, in [0, 1] (0: the devices drew nothing).
    #[serde(default)]
    pub usage: Option<Share>,
}

/// Where the energies of a scenario were metered.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundary {
    /// At the IT equipment (before PUE): the facility draws IT x PUE.
    It,
    /// At the facility (after PUE, "adjusted for power usage effectiveness"): the IT equipment
    /// drew facility / PUE.
    Facility,
}

crate::choice!(Boundary {
    It => "it", "At the IT equipment (before PUE)";
    Facility => "facility", "At the facility, after PUE";
});

/// A multiplier of the summed energy lines (the dynamic-to-total ratio of MLCA, the share of a
/// node a meter does not see), with its source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overhead {
    /// 1 or more.
    pub factor: Multiplier,
    /// Where the factor comes from.
    pub source: String,
}
