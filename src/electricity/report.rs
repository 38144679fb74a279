//! What the report says of a time-varying intensity (`electricity.intensity` in the JSON): the
//! series, the run's span on it, the energy-weighted mean intensity with its min and max, what
//! the static factor would have given, and the lowest-carbon start within a window.

use crate::quantity::interval::Interval;
use crate::scenario::{IntensityBasis, IntensityFormat};
use serde::Serialize;

/// The intensity series an assessment's GWP of the use phase comes from.
#[derive(Debug, Clone, Serialize)]
pub struct IntensityReport {
    pub file: String,
    pub format: IntensityFormat,
    /// The Electricity Maps column read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<IntensityBasis>,
    /// How the series' times were placed ("local times in Europe/Paris (...)").
    pub times: String,
    /// The series' resolution (its most common step), s.
    pub resolution_s: f64,
    /// The series' span, ISO 8601 UTC.
    pub series_start: String,
    pub series_end: String,
    /// The run's span on it, ISO 8601 UTC.
    pub run_start: String,
    pub run_end: String,
    /// The energy-weighted mean intensity over the run, gCO2eq/kWh.
    pub energy_weighted_gco2eq_per_kwh: f64,
    /// The lowest and highest intensity over the run, gCO2eq/kWh.
    pub min_gco2eq_per_kwh: f64,
    pub max_gco2eq_per_kwh: f64,
    /// The static GWP factor of the location (or the scenario's), kgCO2eq/kWh.
    pub static_gwp_kgco2eq_per_kwh: Interval,
    /// The GWP of the use phase per FU from the series, and what the static factor gives.
    pub use_gwp_kgco2eq: Interval,
    pub static_use_gwp_kgco2eq: Interval,
    /// The lowest-carbon start within the window asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_start: Option<BestStartReport>,
}

/// The lowest-carbon start of the same run within a window after its actual start.
#[derive(Debug, Clone, Serialize)]
pub struct BestStartReport {
    /// The window, h, and the step of the starts tried (the series' resolution), s.
    pub within_h: f64,
    pub step_s: f64,
    /// The starts tried (the actual one included).
    pub starts_tried: usize,
    /// When the series ends before the window does: the latest start it covers, h after the
    /// actual start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_covers_starts_to_h: Option<f64>,
    /// The best start and end, ISO 8601 UTC, and how much later than the actual start, h.
    pub start: String,
    pub end: String,
    pub delay_h: f64,
    pub energy_weighted_gco2eq_per_kwh: f64,
    /// The use phase's GWP per FU with that start, kgCO2eq.
    pub use_gwp_kgco2eq: f64,
    /// Saved against the actual start, kgCO2eq and % of the use phase's GWP.
    pub saving_kgco2eq: f64,
    pub saving_percent: f64,
}
