//! Boavizta's BoAmps report (<https://github.com/Boavizta/BoAmps>, `model/report_schema.json`):
//! a JSON document describing one computing task, its `measures` of energy and its
//! `infrastructure`. It is read as a trace (`mlca trace summary`, `energy.traces` of a
//! scenario) whose energy is the measured one; its hardware is described, and matched to the
//! catalog for a scenario's bill of materials by [`hardware`] and [`catalog_matches`].
//!
//! - `measures[].powerConsumption` is energy, in kWh (BoAmps 1.1; the 1.0 schema had a `unit`,
//!   read when present: Wh, kWh, kJoule, MJoule, ...; FLOPS units are not energy and refused).
//! - One measure is the task's energy. Several are measures of the same task by different
//!   means (BoAmps: "the software and/or hardware measures"), so they are not added: the energy
//!   is their mean, their lowest and highest as its min and max, and the summary says so.
//! - `powerCalibrationMeasurement` (kWh) over `durationCalibrationMeasurement` (s) is the idle
//!   power P = E_cal x 3.6e6 / t_cal W: the dynamic energy is E - P x `measurementDuration`
//!   (an idle power given with `idle_power_w` replaces it).
//! - The report holds run totals, not a series: a window or an idle segment does not apply.

use super::{file_error, DeviceSummary, TraceComponent, TraceOptions, TraceSummary};
use crate::data::component::ComponentKind;
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::format::readable;
use crate::quantity::interval::Interval;
use crate::quantity::units::J_PER_KWH;
use crate::scenario::InputFormat;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    measures: Vec<Measure>,
    #[serde(default)]
    infrastructure: Option<Infrastructure>,
    #[serde(default)]
    environment: Option<Environment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Measure {
    measurement_method: String,
    #[serde(default)]
    version: Option<String>,
    power_consumption: f64,
    /// BoAmps 1.0 only.
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    measurement_duration: Option<f64>,
    #[serde(default)]
    power_calibration_measurement: Option<f64>,
    #[serde(default)]
    duration_calibration_measurement: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Infrastructure {
    #[serde(default)]
    infra_type: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Environment {
    #[serde(default)]
    country: Option<String>,
}

/// A component of a BoAmps report's infrastructure, as written.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    #[serde(default)]
    pub component_name: Option<String>,
    pub component_type: String,
    pub nb_component: u32,
    /// GB per item (a GPU's own memory, a RAM module's capacity).
    #[serde(default)]
    pub memory_size: Option<f64>,
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub series: Option<String>,
    /// Fraction of the equipment the task used.
    #[serde(default)]
    pub share: Option<f64>,
}

impl Component {
    /// The name to look up: `componentName` without CodeCarbon's `2 x ` prefix, else the
    /// manufacturer, family and series.
    pub fn name(&self) -> String {
        if let Some(n) = &self.component_name {
            let n = n.trim();
            if let Some((count, rest)) = n.split_once(" x ") {
                if count.trim().parse::<u32>().is_ok() {
                    return rest.trim().to_string();
                }
            }
            return n.to_string();
        }
        [&self.manufacturer, &self.family, &self.series]
            .iter()
            .filter_map(|p| p.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// More CPU packages than this in one report is a count of logical CPUs (CodeCarbon's
/// `cpu_count`, which BoAmps' generator copies), not of packages: a warning.
const MAX_PACKAGES: u32 = 8;

impl Component {
    /// `2 x gpu "Tesla V100S-PCIE-32GB"` (`1 x ram` without a name).
    pub fn written(&self) -> String {
        let name = self.name();
        if name.is_empty() {
            format!("{} x {}", self.nb_component, self.component_type)
        } else {
            format!("{} x {} \"{name}\"", self.nb_component, self.component_type)
        }
    }
}

/// kWh per unit of a BoAmps 1.0 `unit` of energy.
fn kwh_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "mWh" => 1e-6,
        "Wh" => 1e-3,
        "kWh" => 1.0,
        "MWh" => 1e3,
        "GWh" => 1e6,
        "kJoule" => 1e3 / J_PER_KWH,
        "MJoule" => 1e6 / J_PER_KWH,
        "GJoule" => 1e9 / J_PER_KWH,
        "TJoule" => 1e12 / J_PER_KWH,
        "PJoule" => 1e15 / J_PER_KWH,
        // the international table BTU, 1055.05585262 J
        "BTU" => 1055.05585262 / J_PER_KWH,
        _ => return None,
    })
}

/// The largest report read, bytes (a BoAmps report is a few kB).
const MAX_REPORT_BYTES: u64 = 16 << 20;

/// The report's text and its parsed fields.
fn parse(path: &Path) -> Result<(String, Report)> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| {
        file_error(
            path,
            format!("cannot read the report: {e}"),
            "check the path",
        )
    })?;
    let mut text = String::new();
    f.take(MAX_REPORT_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| {
            file_error(
                path,
                format!("cannot read the report: {e}"),
                "a BoAmps report is UTF-8 JSON",
            )
        })?;
    if text.len() as u64 > MAX_REPORT_BYTES {
        return Err(file_error(
            path,
            "the file is larger than 16 MiB: not a BoAmps report?",
            "give the report's JSON",
        ));
    }
    let report = serde_json::from_str(&text)
        .map_err(|e| super::series::json_error(path, &e, "the BoAmps report"))?;
    Ok((text, report))
}

/// The line where each element of the top-level array `key` starts (1-based), found by
/// scanning the JSON text (strings skipped), to locate an error in one measure.
fn element_lines(text: &str, key: &str) -> Vec<usize> {
    let Some(at) = text.find(&format!("\"{key}\"")) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut line = 1 + text[..at].matches('\n').count();
    let mut depth = 0usize;
    let (mut in_str, mut escaped) = (false, false);
    for c in text[at + key.len() + 2..].chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => {
                if depth == 1 && c == '{' {
                    lines.push(line);
                }
                depth += 1;
            }
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    lines
}

/// The components of a BoAmps report's infrastructure, as written.
pub fn hardware(path: &Path) -> Result<Vec<Component>> {
    Ok(parse(path)?
        .1
        .infrastructure
        .map(|i| i.components)
        .unwrap_or_default())
}

/// Read a BoAmps report as a trace: its measured energy (kWh, IT energy as measured).
pub(super) fn read_boamps(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    if opts.start.is_some() || opts.end.is_some() || opts.idle_start.is_some() {
        return Err(file_error(path, "a BoAmps report holds the task's energy, not a time series: no window or idle segment applies", "remove start, end, idle_start and idle_end (idle_power_w may stay; the report's calibration measure gives one too)"));
    }
    let (text, report) = parse(path)?;
    let located = |field: String, line: Option<usize>, msg: String, hint: &str| {
        let mut d = crate::error::Diagnostic::new(msg)
            .file(path)
            .field(field)
            .hint(hint);
        if let Some(l) = line {
            d.line = Some(l);
            d.snippet = text.lines().nth(l - 1).map(str::to_string);
        }
        crate::error::Error::input(d)
    };
    if report.measures.is_empty() {
        return Err(located(
            "measures".into(),
            element_lines(&text, "measures").first().copied().or_else(|| {
                text.find("\"measures\"")
                    .map(|at| 1 + text[..at].matches('\n').count())
            }),
            "the BoAmps report has no measure".into(),
            "BoAmps requires at least one item in `measures`, with measurementMethod and powerConsumption (kWh)",
        ));
    }
    let starts = element_lines(&text, "measures");
    let mut devices = Vec::new();
    let mut assumptions = Vec::new();
    let mut warnings = Vec::new();
    for (i, m) in report.measures.iter().enumerate() {
        let at = format!("measures[{i}]");
        let bad = |msg: String, hint: &str| {
            located(
                at.clone(),
                starts.get(i).copied(),
                format!("{at}: {msg}"),
                hint,
            )
        };
        let per = match &m.unit {
            None => 1.0,
            Some(u) => kwh_per(u).ok_or_else(|| {
                bad(
                    format!("unit \"{u}\" is not a unit of energy"),
                    "a measure of energy in mWh, Wh, kWh, MWh, GWh, kJoule, MJoule, GJoule, TJoule, PJoule or BTU (FLOPS count operations, not energy)",
                )
            })?,
        };
        if !(m.power_consumption.is_finite() && m.power_consumption >= 0.0) {
            return Err(bad(
                format!(
                    "powerConsumption {} is not an energy",
                    readable(m.power_consumption)
                ),
                "powerConsumption is the task's energy, in kWh, zero or more",
            ));
        }
        let kwh = m.power_consumption * per;
        if let Some(u) = &m.unit {
            assumptions.push(format!(
                "boamps: {at}: powerConsumption in {u} (a BoAmps 1.0 unit), converted to kWh"
            ));
        }
        let duration = match m.measurement_duration {
            Some(d) if !(d.is_finite() && d > 0.0) => {
                return Err(bad(
                    format!("measurementDuration {} is not a duration", readable(d)),
                    "measurementDuration is in seconds, greater than zero",
                ))
            }
            d => d,
        };
        let idle_w = match (
            opts.idle_power_w,
            m.power_calibration_measurement,
            m.duration_calibration_measurement,
        ) {
            (Some(w), _, _) => Some(w),
            (None, Some(e), Some(t)) => {
                if !(e.is_finite() && e >= 0.0 && t.is_finite() && t > 0.0) {
                    return Err(bad(
                        format!("a calibration of {} kWh over {} s is not an idle power", readable(e), readable(t)),
                        "powerCalibrationMeasurement is in kWh (zero or more), durationCalibrationMeasurement in s (greater than zero)",
                    ));
                }
                let w = e * per * J_PER_KWH / t;
                assumptions.push(format!(
                    "boamps: {at}: idle power {} W from its calibration ({} kWh over {} s)",
                    readable(w),
                    readable(e * per),
                    readable(t)
                ));
                Some(w)
            }
            (None, None, None) => None,
            (None, _, _) => {
                return Err(bad(
                    "a calibration needs both powerCalibrationMeasurement and durationCalibrationMeasurement".into(),
                    "give both, or neither",
                ))
            }
        };
        // the dynamic energy (E - P_idle x t) needs the measure's duration
        if let (Some(_), None) = (idle_w, duration) {
            return Err(bad(
                "an idle power needs the measure's duration".into(),
                "give measurementDuration (s), or leave out the idle power",
            ));
        }
        if duration.is_none() {
            warnings.push(format!(
                "boamps: {at} has no measurementDuration: the duration of the task is unknown"
            ));
        }
        let d = duration.unwrap_or(0.0);
        let method = match &m.version {
            Some(v) => format!("{} {v}", m.measurement_method),
            None => m.measurement_method.clone(),
        };
        devices.push(super::runs::total_device(
            format!("measure {} ({method})", i + 1),
            TraceComponent::Node,
            None,
            kwh,
            d,
            1,
            idle_w,
        ));
    }
    let span = |f: &dyn Fn(&DeviceSummary) -> Option<f64>| -> Option<Interval> {
        let v: Vec<f64> = devices.iter().map(f).collect::<Option<_>>()?;
        let n = v.len() as f64;
        Some(Interval {
            value: v.iter().sum::<f64>() / n,
            min: v.iter().copied().fold(f64::INFINITY, f64::min),
            max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    };
    let energy = span(&|d| Some(d.energy_kwh.value))
        .ok_or_else(|| crate::error::Error::Internal("boamps: no measure".into()))?;
    let dynamic = span(&|d| d.dynamic_energy_kwh.map(|x| x.value));
    let duration = devices.iter().map(|d| d.duration_s).sum::<f64>() / devices.len() as f64;
    assumptions.push("boamps: powerConsumption is the task's energy in kWh (BoAmps 1.1), as measured (before PUE); the measure is taken to cover the whole machine (component node): BoAmps does not split it".into());
    if devices.len() > 1 {
        for d in devices.iter_mut() {
            d.included = false;
            d.excluded_because = Some(format!(
                "one of {} measures of the same task: the energy is their mean, with their range",
                report.measures.len()
            ));
        }
        assumptions.push(format!(
            "boamps: {} measures of the same task are not added: the energy is their mean {} kWh, their range {} to {} kWh its min and max",
            report.measures.len(),
            readable(energy.value),
            readable(energy.min),
            readable(energy.max)
        ));
    }
    let components = report
        .infrastructure
        .as_ref()
        .map(|i| i.components.as_slice())
        .unwrap_or_default();
    if !components.is_empty() {
        let listed: Vec<String> = components
            .iter()
            .map(|c| {
                let mem = c
                    .memory_size
                    .map_or(String::new(), |m| format!(", {} GB each", readable(m)));
                let share = c
                    .share
                    .map_or(String::new(), |s| format!(", share {}", readable(s)));
                format!("{}{mem}{share}", c.written())
            })
            .collect();
        let infra = report
            .infrastructure
            .as_ref()
            .and_then(|i| i.infra_type.as_deref())
            .map_or(String::new(), |t| format!(" ({t})"));
        assumptions.push(format!(
            "boamps: the report's hardware{infra}: {}; a scenario's infrastructure is its own (`mlca trace summary` maps these to the catalog)",
            listed.join(", ")
        ));
        for c in components {
            if c.component_type.eq_ignore_ascii_case("cpu") && c.nb_component > MAX_PACKAGES {
                warnings.push(format!(
                    "boamps: {} CPUs \"{}\": more packages than a server holds; reports made from CodeCarbon put the logical CPU count there: count the packages",
                    c.nb_component,
                    c.name()
                ));
            }
        }
    }
    if let Some(c) = report
        .environment
        .as_ref()
        .and_then(|e| e.country.as_deref())
    {
        assumptions.push(format!(
            "boamps: the report's country is \"{c}\"; the electricity is the scenario's"
        ));
    }
    let mut by_component = BTreeMap::new();
    by_component.insert(TraceComponent::Node, energy);
    Ok(TraceSummary {
        file: path.display().to_string(),
        format: InputFormat::Boamps,
        rows: report.measures.len() as u64,
        window_start: None,
        window_end: None,
        energy_kwh: energy,
        dynamic_energy_kwh: dynamic,
        by_component,
        duration_s: duration,
        gap_policy: opts.gap_policy,
        gaps: 0,
        devices,
        runs: Vec::new(),
        water_l: None,
        wue_l_per_kwh: None,
        estimated_energy_kwh: None,
        assumptions,
        warnings,
        power_bin_s: None,
        time_bins_j: Vec::new(),
    })
}

/// A component of a BoAmps report matched to the catalog: a line of a scenario's bill of
/// materials, or why it cannot be one. Serialized with its kind under `match`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "match", rename_all = "snake_case")]
pub enum CatalogMatch {
    /// A GPU or CPU of the catalog (`gpus` / `cpus` of a bill of materials).
    Model {
        kind: ComponentKind,
        model: String,
        units: u32,
    },
    /// Memory or storage by capacity (`ram` / `ssd`), GB per unit.
    Capacity {
        kind: ComponentKind,
        capacity_gb: f64,
        units: u32,
    },
    /// Hard disks (`hdd`), counted.
    Hdd { units: u32 },
    /// Not a line of a bill of materials: the component as written and why.
    Ignored { component: String, why: String },
}

/// Each component of a BoAmps report matched to the catalog of `data`.
pub fn catalog_matches(components: &[Component], data: &ImpactData) -> Vec<CatalogMatch> {
    use ComponentKind as K;
    components
        .iter()
        .map(|c| {
            let written = c.written();
            let ignored = |why: String| CatalogMatch::Ignored {
                component: written.clone(),
                why,
            };
            let units = c.nb_component;
            match c.component_type.trim().to_lowercase().as_str() {
                "gpu" => match data.find_gpu(&c.name()) {
                    Ok(g) => CatalogMatch::Model {
                        kind: K::Gpu,
                        model: g.name.clone(),
                        units,
                    },
                    Err(e) => ignored(format!("not in the GPU catalog: {}", reason(&e))),
                },
                "cpu" => match first_found(&c.cpu_names(), |n| data.find_cpu(n)) {
                    Ok(p) => CatalogMatch::Model {
                        kind: K::Cpu,
                        model: p.name.clone(),
                        units,
                    },
                    Err(e) => ignored(format!("not in the CPU catalog: {}; give its die_area_mm2 in the bill of materials", reason(&e))),
                },
                "ram" | "memory" => match c.memory_size {
                    Some(gb) if gb > 0.0 => CatalogMatch::Capacity {
                        kind: K::Ram,
                        capacity_gb: gb,
                        units,
                    },
                    _ => ignored("no memorySize (GB per module)".into()),
                },
                "ssd" | "sdd" => match c.memory_size {
                    Some(gb) if gb > 0.0 => CatalogMatch::Capacity {
                        kind: K::Ssd,
                        capacity_gb: gb,
                        units,
                    },
                    _ => ignored("no memorySize (GB per drive)".into()),
                },
                "hdd" => CatalogMatch::Hdd { units },
                other => ignored(format!(
                    "the component type \"{other}\" is not a part mlca's catalog knows (cpu, gpu, ram, ssd, hdd)"
                )),
            }
        })
        .collect()
}

/// The first name `find` finds, else the error of the first name.
fn first_found<'d, T>(names: &[String], find: impl Fn(&str) -> Result<&'d T>) -> Result<&'d T> {
    let mut first = None;
    for n in names {
        match find(n) {
            Ok(t) => return Ok(t),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    Err(first.unwrap_or_else(|| crate::error::Error::msg("no name to look up")))
}

impl Component {
    /// The names a CPU may be found under: as written, without the brand string's marks
    /// (`Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz` -> `Intel Xeon Gold 6226R`, `AMD EPYC 7763
    /// 64-Core Processor` -> `AMD EPYC 7763`), and its manufacturer, family and series.
    fn cpu_names(&self) -> Vec<String> {
        let written = self.name();
        let words: Vec<&str> = written
            .split(['@'])
            .next()
            .unwrap_or("")
            .split_whitespace()
            .map(|w| w.trim_end_matches("(R)").trim_end_matches("(TM)"))
            .filter(|w| {
                !(w.is_empty()
                    || w.eq_ignore_ascii_case("CPU")
                    || w.eq_ignore_ascii_case("Processor")
                    || w.to_ascii_lowercase().ends_with("-core"))
            })
            .collect();
        let parts = [&self.manufacturer, &self.family, &self.series]
            .iter()
            .filter_map(|p| p.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let mut names = vec![written.clone(), words.join(" ")];
        if !parts.is_empty() {
            names.push(parts);
        }
        names.dedup();
        names
    }
}

/// An error's message and hint, on one line.
fn reason(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::Input(d) => match &d.hint {
            Some(h) => format!("{} ({h})", d.message),
            None => d.message.clone(),
        },
        other => other.to_string(),
    }
}
