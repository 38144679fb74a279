//! The input enums of the scenario format and the command line: trace formats and their
//! options, gap policies, embodied methods and extrapolation methods, each with the names a user
//! writes ([`Choice`]).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    NvidiaSmi,
    Rapl,
    Alumet,
    Codecarbon,
    JetsonStats,
    Kwollect,
    Generic,
    // files of run totals (issue 11)
    Carbontracker,
    Eco2ai,
    /// Scaphandre's JSON exporter output (reports of host, socket and domain power, uW).
    Scaphandre,
    /// `perf stat -I <ms> -x,` interval counts of the `power/energy-*` events, J.
    Perf,
    /// PowerJoular's CSV (the total file or a per-process file), W.
    #[serde(rename = "powerjoular")]
    PowerJoular,
    /// NVIDIA DCGM `dcgmi dmon` output (POWER in W, TOTEC in mJ; no times).
    DcgmDmon,
    /// A Boavizta BoAmps JSON report (measured energy in kWh, hardware).
    Boamps,
}

impl InputFormat {
    pub fn key(self) -> &'static str {
        match self {
            InputFormat::NvidiaSmi => "nvidia-smi",
            InputFormat::Rapl => "rapl",
            InputFormat::Alumet => "alumet",
            InputFormat::Codecarbon => "codecarbon",
            InputFormat::JetsonStats => "jetson-stats",
            InputFormat::Kwollect => "kwollect",
            InputFormat::Generic => "generic",
            InputFormat::Carbontracker => "carbontracker",
            InputFormat::Eco2ai => "eco2ai",
            InputFormat::Scaphandre => "scaphandre",
            InputFormat::Perf => "perf",
            InputFormat::PowerJoular => "powerjoular",
            InputFormat::DcgmDmon => "dcgm-dmon",
            InputFormat::Boamps => "boamps",
        }
    }
}

/// How the time column of a generic CSV is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeFormat {
    /// Date-time, ISO 8601 / RFC 3339 (`2025-03-02T14:00:00Z`, `2025/03/02 14:00:00.5`).
    Iso8601,
    UnixS,
    UnixMs,
    UnixUs,
    UnixNs,
    /// Seconds since the start of the trace.
    ElapsedS,
}

/// What the value column of a generic CSV holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// Instantaneous power.
    Power,
    /// Cumulative energy (a counter).
    Cumulative,
    /// Energy of each interval since the previous row.
    Interval,
}

/// The columns of a generic CSV.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenericSpec {
    pub time_column: String,
    pub time_format: TimeFormat,
    pub value_column: String,
    /// W, mW, kW, J, mJ, uJ, kJ, Wh or kWh.
    pub unit: String,
    pub value_kind: ValueKind,
    /// Column naming the device (absent: one device).
    #[serde(default)]
    pub device_column: Option<String>,
    /// gpu, cpu, dram, node or other.
    pub component: GenericComponent,
    /// Field delimiter, one character (default `,`).
    #[serde(default)]
    pub delimiter: Option<char>,
}

/// What the devices of a generic CSV are (`component`, `--component`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GenericComponent {
    Gpu,
    Cpu,
    Dram,
    Node,
    Other,
}

/// What to do with an interval longer than the gap threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GapPolicy {
    /// Integrate across the gap (trapezoid between the samples on each side).
    Interpolate,
    /// Hold the last power before the gap until the next sample.
    Hold,
    /// Count the gap as missing: the value interpolates, the bounds take the device's lowest and
    /// highest power over the gap.
    Missing,
}

impl GapPolicy {
    pub fn key(self) -> &'static str {
        match self {
            GapPolicy::Interpolate => "interpolate",
            GapPolicy::Hold => "hold",
            GapPolicy::Missing => "missing",
        }
    }
}

/// The embodied methods mlca carries (see `impact-data/other-methods.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmbodiedMethod {
    /// BoaviztAPI 2.5.0: every component bottom-up, GPUs by wafer and yield effective areas.
    #[serde(rename = "boavizta-2.5")]
    Boavizta25,
    /// MLCA (Morand et al. 2024): GPUs by physical die area and VRAM as memory at 0.625 GB/cm2;
    /// other components as BoaviztAPI.
    #[serde(rename = "mlca-2024")]
    Mlca2024,
    /// EcoLogits: fixed figures per GPU and per GPU-less 8-GPU server.
    #[serde(rename = "ecologits")]
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

/// Which prediction feeds the assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtrapolationMethod {
    /// OLS with a prediction interval (the default).
    Ols,
    /// Mean energy per step over windows between points, with its standard error.
    PerWindow,
    /// Carbontracker: N x the mean per-window rate from step 0 (no interval).
    Carbontracker,
}

/// The format of a carbon-intensity series (`electricity.intensity.format`, `--intensity-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntensityFormat {
    /// Electricity Maps' CSV export: `Datetime (UTC)`, a direct and a life-cycle intensity column.
    ElectricityMaps,
    /// RTE eCO2mix's export: tab-separated, Latin-1, `Date` and `Heures` in French time,
    /// `Taux de CO2 (g/kWh)`.
    Eco2mix,
    /// A CSV with `time,gwp_g_per_kwh`.
    Plain,
}

/// Which intensity of an Electricity Maps export (`electricity.intensity.basis`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntensityBasis {
    /// Life-cycle emissions of the electricity consumed (plants' construction, fuel supply).
    LifeCycle,
    /// Direct (combustion) emissions only, as the GHG Protocol's scope 2.
    Direct,
}

crate::choice!(IntensityFormat {
    ElectricityMaps => "electricity-maps", "Electricity Maps CSV export (Datetime (UTC), direct and life-cycle gCO2eq/kWh)";
    Eco2mix => "eco2mix", "RTE eCO2mix export (tab-separated, Latin-1, Date and Heures in French time, Taux de CO2)";
    Plain => "plain", "CSV with the columns time,gwp_g_per_kwh";
});

crate::choice!(IntensityBasis {
    LifeCycle => "life-cycle", "Life-cycle emissions (the default): as the static factors";
    Direct => "direct", "Direct (combustion) emissions only";
});

crate::choice!(InputFormat {
    NvidiaSmi => "nvidia-smi";
    Rapl => "rapl";
    Alumet => "alumet";
    Codecarbon => "codecarbon";
    JetsonStats => "jetson-stats";
    Kwollect => "kwollect";
    Generic => "generic";
    Carbontracker => "carbontracker";
    Eco2ai => "eco2ai";
    Scaphandre => "scaphandre";
    Perf => "perf";
    PowerJoular => "powerjoular";
    DcgmDmon => "dcgm-dmon";
    Boamps => "boamps";
});

crate::choice!(TimeFormat {
    Iso8601 => "iso8601", "Date-time, ISO 8601 / RFC 3339 (`2025-03-02T14:00:00Z`, `2025/03/02 14:00:00.5`)";
    UnixS => "unix-s";
    UnixMs => "unix-ms";
    UnixUs => "unix-us";
    UnixNs => "unix-ns";
    ElapsedS => "elapsed-s", "Seconds since the start of the trace";
});

crate::choice!(ValueKind {
    Power => "power", "Instantaneous power";
    Cumulative => "cumulative", "Cumulative energy (a counter)";
    Interval => "interval", "Energy of each interval since the previous row";
});

crate::choice!(GenericComponent {
    Gpu => "gpu";
    Cpu => "cpu";
    Dram => "dram";
    Node => "node";
    Other => "other";
});

crate::choice!(GapPolicy {
    Interpolate => "interpolate", "Integrate across the gap (trapezoid between the samples on each side)";
    Hold => "hold", "Hold the last power before the gap until the next sample";
    Missing => "missing", "Count the gap as missing: the value interpolates, the bounds take the device's lowest and highest power over the gap";
});

crate::choice!(EmbodiedMethod {
    Boavizta25 => "boavizta-2.5", "BoaviztAPI 2.5.0: every component bottom-up, GPUs by wafer and yield effective areas";
    Mlca2024 => "mlca-2024", "MLCA (Morand et al. 2024): GPUs by physical die area and VRAM as memory at 0.625 GB/cm2; other components as BoaviztAPI";
    Ecologits => "ecologits", "EcoLogits: fixed figures per GPU and per GPU-less 8-GPU server";
});

crate::choice!(ExtrapolationMethod {
    Ols => "ols", "OLS with a prediction interval (the default)";
    PerWindow => "per-window", "Mean energy per step over windows between points, with its standard error";
    Carbontracker => "carbontracker", "Carbontracker: N x the mean per-window rate from step 0 (no interval)";
});

crate::choice!(super::model::EnergyBasis {
    Total => "total", "Everything the devices drew";
    Dynamic => "dynamic", "Minus idle power x duration: what the job added";
});
