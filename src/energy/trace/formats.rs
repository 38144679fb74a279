//! The trace formats: detection from the header, and the samples of each row.
//!
//! Each reader turns a CSV record into samples `(device key, time, value)` in W (power) or J
//! (energy), and says what each device is: its component (gpu, cpu, dram, node, rail, ...),
//! its signal (power, counter or delta) and whether it counts in the totals. Devices that would
//! count energy twice (a RAPL sub-zone inside its package, Alumet's `*_total` rows, jetson-stats
//! rails beside `Power TOT`, an NVML power series beside the energy counter of the same GPU) are
//! kept and shown, but left out of the totals, and the summary says why.

use super::integrate::{RowError, Signal};
use crate::quantity::time::{self, trim, Stamp};
use crate::quantity::units::{joules_per, watts_per};
use crate::scenario::{GenericSpec, InputFormat, TimeFormat, ValueKind};
use csv::ByteRecord;

/// What a device is.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceInfo {
    pub component: String,
    pub signal: Signal,
    /// Why it is left out of the totals, if it is.
    pub excluded: Option<String>,
    /// Groups devices that measure the same hardware (an Alumet resource, a Kwollect node).
    pub group: String,
}

/// A sample of one row: up to four fields form the device key.
pub struct Raw<'r> {
    pub key: [&'r [u8]; 4],
    pub t: Stamp,
    pub v: f64,
    /// A label for the device (nvidia-smi's GPU name).
    pub label: Option<&'r [u8]>,
    /// A counter's range, J, when the row gives it.
    pub wrap_j: Option<f64>,
}

/// What a row may say besides samples.
#[derive(Default)]
pub struct RowNotes {
    /// A value was missing ([N/A], [Not Supported], OFF, empty).
    pub missing: bool,
    /// The row was skipped for this reason (a metric that is not power or energy, a filter).
    pub skipped: Option<&'static str>,
}

/// A reader for one format, built from the header.
pub trait Reader: Sync {
    fn format(&self) -> InputFormat;
    /// Field delimiter (a comma unless the format says otherwise).
    fn delimiter(&self) -> u8 {
        b','
    }
    /// Number of fields of every row.
    fn width(&self) -> usize;
    /// The samples of a data row, appended to `out`.
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        notes: &mut RowNotes,
    ) -> Result<(), RowError>;
    /// What the device of `key` (fields joined by spaces) is.
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo;
    /// Notes on what the reader assumed (shown in the summary).
    fn assumptions(&self) -> Vec<String> {
        Vec::new()
    }
}

fn num(field: &[u8], row: u64, col: &str) -> Result<f64, RowError> {
    let f = trim(field);
    std::str::from_utf8(f)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .ok_or_else(|| RowError {
            row,
            message: format!("cannot read \"{}\" as a number in column \"{col}\"", String::from_utf8_lossy(f)),
            hint: Some("check the column and the delimiter; a value with a unit must use the unit the format expects".into()),
        })
}

fn stamp(field: &[u8], row: u64, col: &str) -> Result<Stamp, RowError> {
    time::parse(field).ok_or_else(|| RowError {
        row,
        message: format!("cannot read \"{}\" as a time in column \"{col}\"", String::from_utf8_lossy(trim(field))),
        hint: Some("expected a date-time like 2025-03-02T14:00:00.000Z or 2025/03/02 14:00:00.000, or Unix seconds".into()),
    })
}

fn is_missing(f: &[u8]) -> bool {
    let f = trim(f);
    f.is_empty() || f.starts_with(b"[") || f == b"N/A" || f == b"OFF" || f == b"nan" || f == b"NaN"
}

fn negative(row: u64, col: &str, v: f64) -> RowError {
    RowError {
        row,
        message: format!("negative power {v} W in column \"{col}\""),
        hint: Some(
            "a power meter never reads below zero: check the column, the unit or the sensor".into(),
        ),
    }
}

/// Header cells, trimmed, with a unit in brackets split off: `power.draw [W]` -> (power.draw, W).
pub fn header_cells(line: &str, delim: u8) -> Vec<(String, Option<String>)> {
    line.split(delim as char)
        .map(|c| {
            let c = c.trim().trim_matches('"').trim();
            match (c.find(" ["), c.ends_with(']')) {
                (Some(i), true) => (
                    c[..i].trim().to_string(),
                    Some(c[i + 2..c.len() - 1].to_string()),
                ),
                _ => (c.to_string(), None),
            }
        })
        .collect()
}

fn col(cells: &[(String, Option<String>)], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| cells.iter().position(|(c, _)| c.eq_ignore_ascii_case(n)))
}

fn need(cells: &[(String, Option<String>)], names: &[&str], format: &str) -> Result<usize, String> {
    col(cells, names).ok_or_else(|| {
        let have: Vec<&str> = cells.iter().map(|(c, _)| c.as_str()).collect();
        format!(
            "{format}: no column {} (columns: {})",
            names.join(" or "),
            have.join(", ")
        )
    })
}

/// Guess the format from the first line.
pub fn detect(first_line: &str) -> Option<InputFormat> {
    let l = first_line.to_lowercase();
    if l.starts_with("metric;timestamp;value") || l.starts_with("metric,timestamp,value") {
        return Some(InputFormat::Alumet);
    }
    if l.contains("power.draw") || (l.contains("timestamp") && l.contains(", index")) {
        return Some(InputFormat::NvidiaSmi);
    }
    if l.contains("energy_uj") && l.contains("zone") {
        return Some(InputFormat::Rapl);
    }
    if l.contains("emissions") && l.contains("energy_consumed") {
        return Some(InputFormat::Codecarbon);
    }
    if l.contains("power tot") || (l.starts_with("time,") && l.contains(",power ")) {
        return Some(InputFormat::JetsonStats);
    }
    if l.contains("metric_id") && l.contains("device_id") {
        return Some(InputFormat::Kwollect);
    }
    // nvidia-smi with `noheader`: `2025/03/02 14:00:00.012, 0, 251.37 W`
    let first = l.split(',').next().unwrap_or("");
    if first.len() >= 19
        && first.as_bytes()[4] == b'/'
        && time::parse(first.as_bytes()).is_some()
        && l.contains(", ")
    {
        return Some(InputFormat::NvidiaSmi);
    }
    None
}

// ---------------------------------------------------------------- nvidia-smi

pub struct NvidiaSmi {
    width: usize,
    ts: usize,
    index: Option<usize>,
    power: usize,
    power_name: String,
    name: Option<usize>,
    header_unit_w: Option<f64>,
    assumed: Vec<String>,
}

impl NvidiaSmi {
    pub fn new(cells: &[(String, Option<String>)], assumed_columns: bool) -> Result<Self, String> {
        let ts = need(cells, &["timestamp"], "nvidia-smi")?;
        let power = need(
            cells,
            &["power.draw", "power.draw.average", "power.draw.instant"],
            "nvidia-smi",
        )?;
        let header_unit_w = match &cells[power].1 {
            Some(u) => Some(watts_per(u).ok_or_else(|| {
                format!("nvidia-smi: unknown power unit [{u}] in the header (W, mW or kW)")
            })?),
            None => None,
        };
        let mut assumed = Vec::new();
        if assumed_columns {
            assumed.push("nvidia-smi file without header: columns taken as timestamp, index, power.draw (give `columns` to change)".to_string());
        }
        Ok(NvidiaSmi {
            width: cells.len(),
            ts,
            index: col(cells, &["index", "pci.bus_id", "uuid"]),
            power,
            power_name: cells[power].0.clone(),
            name: col(cells, &["name"]),
            header_unit_w,
            assumed,
        })
    }
}

impl Reader for NvidiaSmi {
    fn format(&self) -> InputFormat {
        InputFormat::NvidiaSmi
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        notes: &mut RowNotes,
    ) -> Result<(), RowError> {
        let f = trim(&rec[self.power]);
        if is_missing(f) {
            notes.missing = true;
            return Ok(());
        }
        let (numtxt, unit) = match f.iter().position(|&c| c == b' ') {
            Some(i) => (&f[..i], Some(trim(&f[i + 1..]))),
            None => (f, None),
        };
        let scale = match unit {
            Some(u) => watts_per(std::str::from_utf8(u).unwrap_or("")).ok_or_else(|| RowError {
                row,
                message: format!(
                    "unknown power unit \"{}\" in column \"{}\"",
                    String::from_utf8_lossy(u),
                    self.power_name
                ),
                hint: Some("nvidia-smi writes W; other units: W, mW, kW".into()),
            })?,
            None => self.header_unit_w.unwrap_or(1.0),
        };
        let v = num(numtxt, row, &self.power_name)? * scale;
        if v < 0.0 {
            return Err(negative(row, &self.power_name, v));
        }
        let t = stamp(&rec[self.ts], row, "timestamp")?;
        let key = self.index.map_or(&b"0"[..], |i| trim(&rec[i]));
        emit(Raw {
            key: [key, b"", b"", b""],
            t,
            v,
            label: self.name.map(|i| trim(&rec[i])),
            wrap_j: None,
        })?;
        Ok(())
    }
    fn info(&self, _key: &[&[u8]; 4]) -> DeviceInfo {
        DeviceInfo {
            component: "gpu".into(),
            signal: Signal::Power,
            excluded: None,
            group: String::new(),
        }
    }
    fn assumptions(&self) -> Vec<String> {
        self.assumed.clone()
    }
}

// ---------------------------------------------------------------- RAPL counter dumps

pub struct Rapl {
    width: usize,
    ts: usize,
    zone: usize,
    energy: usize,
    max_range: Option<usize>,
    wrap_j: Option<f64>,
}

impl Rapl {
    pub fn new(
        cells: &[(String, Option<String>)],
        max_energy_range_uj: Option<f64>,
    ) -> Result<Self, String> {
        Ok(Rapl {
            width: cells.len(),
            ts: need(cells, &["timestamp_s", "timestamp"], "rapl")?,
            zone: need(cells, &["zone", "domain"], "rapl")?,
            energy: need(cells, &["energy_uj"], "rapl")?,
            max_range: col(cells, &["max_energy_range_uj"]),
            wrap_j: max_energy_range_uj.map(|u| u * 1e-6),
        })
    }
}

/// Component of a RAPL zone or domain, and whether it counts in the totals.
fn rapl_zone(zone: &str) -> (String, Option<String>) {
    let z = zone.to_lowercase();
    if z.ends_with("_total") {
        return (
            "cpu".into(),
            Some("a per-domain total of other rows: adding it would count them twice".into()),
        );
    }
    if z.contains("dram") {
        ("dram".into(), None)
    } else if z.contains("core") || z.contains("uncore") || z.contains("pp0") || z.contains("pp1") {
        (
            "cpu".into(),
            Some("a sub-zone of the package, already counted in it".into()),
        )
    } else if z.contains("psys") || z.contains("platform") {
        (
            "node".into(),
            Some("the platform zone includes the package zones".into()),
        )
    } else {
        ("cpu".into(), None)
    }
}

impl Reader for Rapl {
    fn format(&self) -> InputFormat {
        InputFormat::Rapl
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        _notes: &mut RowNotes,
    ) -> Result<(), RowError> {
        let t = stamp(&rec[self.ts], row, "timestamp_s")?;
        let v = num(&rec[self.energy], row, "energy_uj")? * 1e-6;
        if v < 0.0 {
            return Err(RowError {
                row,
                message: format!("negative energy counter {v} J"),
                hint: None,
            });
        }
        let wrap_j = match self.max_range {
            Some(i) => Some(num(&rec[i], row, "max_energy_range_uj")? * 1e-6),
            None => self.wrap_j,
        };
        emit(Raw {
            key: [trim(&rec[self.zone]), b"", b"", b""],
            t,
            v,
            label: None,
            wrap_j,
        })?;
        Ok(())
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        let (component, excluded) = rapl_zone(&String::from_utf8_lossy(key[0]));
        DeviceInfo {
            component,
            signal: Signal::Counter,
            excluded,
            group: String::new(),
        }
    }
}

// ---------------------------------------------------------------- Alumet CSV

pub struct Alumet {
    delim: u8,
    width: usize,
    metric: usize,
    ts: usize,
    value: usize,
    resource_kind: Option<usize>,
    resource_id: Option<usize>,
    consumer_kind: Option<usize>,
    domain: Option<usize>,
    label: Option<usize>,
}

impl Alumet {
    pub fn new(cells: &[(String, Option<String>)], delim: u8) -> Result<Self, String> {
        Ok(Alumet {
            delim,
            width: cells.len(),
            metric: need(cells, &["metric"], "alumet")?,
            ts: need(cells, &["timestamp"], "alumet")?,
            value: need(cells, &["value"], "alumet")?,
            resource_kind: col(cells, &["resource_kind"]),
            resource_id: col(cells, &["resource_id"]),
            consumer_kind: col(cells, &["consumer_kind"]),
            domain: col(cells, &["domain"]),
            label: col(cells, &["ina_channel_label"]),
        })
    }
}

/// `rapl_consumed_energy_J` -> (`rapl_consumed_energy`, signal, factor to J or W).
fn alumet_metric(m: &[u8]) -> Option<(&[u8], Signal, f64)> {
    let i = m.iter().rposition(|&c| c == b'_')?;
    let unit = std::str::from_utf8(&m[i + 1..]).ok()?;
    if let Some(k) = joules_per(unit) {
        return Some((&m[..i], Signal::Delta, k));
    }
    watts_per(unit).map(|k| (&m[..i], Signal::Power, k))
}

impl Reader for Alumet {
    fn format(&self) -> InputFormat {
        InputFormat::Alumet
    }
    fn delimiter(&self) -> u8 {
        self.delim
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        notes: &mut RowNotes,
    ) -> Result<(), RowError> {
        let metric = trim(&rec[self.metric]);
        let Some((base, signal, k)) = alumet_metric(metric) else {
            notes.skipped = Some("metrics that are neither power nor energy");
            return Ok(());
        };
        if base.starts_with(b"estimated_") {
            notes.skipped = Some("estimated (not measured) energy metrics");
            return Ok(());
        }
        if let Some(i) = self.consumer_kind {
            let c = trim(&rec[i]);
            if !c.is_empty() && c != b"local_machine" {
                notes.skipped =
                    Some("per-process or per-cgroup rows (device totals are read instead)");
                return Ok(());
            }
        }
        let f = &rec[self.value];
        if is_missing(f) {
            notes.missing = true;
            return Ok(());
        }
        let v = num(f, row, "value")? * k;
        if v < 0.0 {
            return Err(if signal == Signal::Power {
                negative(row, "value", v)
            } else {
                RowError {
                    row,
                    message: format!("negative energy {v} J"),
                    hint: None,
                }
            });
        }
        let t = stamp(&rec[self.ts], row, "timestamp")?;
        let get = |o: Option<usize>| o.map_or(&b""[..], |i| trim(&rec[i]));
        let sub = if self.domain.is_some_and(|i| !trim(&rec[i]).is_empty()) {
            get(self.domain)
        } else {
            get(self.label)
        };
        emit(Raw {
            key: [metric, get(self.resource_kind), get(self.resource_id), sub],
            t,
            v,
            label: None,
            wrap_j: None,
        })?;
        Ok(())
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        let metric = String::from_utf8_lossy(key[0]).to_string();
        let (base, signal) = alumet_metric(key[0])
            .map_or((metric.clone(), Signal::Power), |(b, s, _)| {
                (String::from_utf8_lossy(b).to_string(), s)
            });
        let kind = String::from_utf8_lossy(key[1]).to_string();
        let id = String::from_utf8_lossy(key[2]).to_string();
        let sub = String::from_utf8_lossy(key[3]).to_string();
        let group = format!("{kind} {id}");
        let (component, excluded) = if base.starts_with("rapl") {
            rapl_zone(&sub)
        } else if base.starts_with("nvml") || kind.starts_with("gpu") {
            ("gpu".to_string(), None)
        } else if base.contains("input_power")
            || !sub.is_empty() && sub.to_uppercase().starts_with("VDD")
        {
            if sub.eq_ignore_ascii_case("VDD_IN") {
                ("node".to_string(), None)
            } else {
                (
                    "rail".to_string(),
                    Some("a rail of the board, inside its input (VDD_IN)".into()),
                )
            }
        } else {
            ("other".to_string(), None)
        };
        DeviceInfo {
            component,
            signal,
            excluded,
            group,
        }
    }
}

// ---------------------------------------------------------------- jetson-stats

pub struct Jetson {
    width: usize,
    ts: usize,
    /// (column, name) of each `Power <rail>` column.
    power: Vec<(usize, String)>,
    has_total: bool,
}

impl Jetson {
    pub fn new(cells: &[(String, Option<String>)]) -> Result<Self, String> {
        let ts = need(cells, &["time"], "jetson-stats")?;
        let power: Vec<(usize, String)> = cells
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| c.starts_with("Power "))
            .map(|(i, (c, _))| (i, c.clone()))
            .collect();
        if power.is_empty() {
            return Err("jetson-stats: no `Power <rail>` column".into());
        }
        let has_total = power.iter().any(|(_, c)| c == "Power TOT");
        Ok(Jetson {
            width: cells.len(),
            ts,
            power,
            has_total,
        })
    }
}

impl Reader for Jetson {
    fn format(&self) -> InputFormat {
        InputFormat::JetsonStats
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        notes: &mut RowNotes,
    ) -> Result<(), RowError> {
        let t = stamp(&rec[self.ts], row, "time")?;
        for (i, name) in &self.power {
            let f = &rec[*i];
            if is_missing(f) {
                notes.missing = true;
                continue;
            }
            let v = num(f, row, name)? * 1e-3;
            if v < 0.0 {
                return Err(negative(row, name, v));
            }
            emit(Raw {
                key: [name.as_bytes(), b"", b"", b""],
                t,
                v,
                label: None,
                wrap_j: None,
            })?;
        }
        Ok(())
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        let name = String::from_utf8_lossy(key[0]);
        let board = name == "Power TOT" || (name == "Power VDD_IN" && !self.has_total);
        let (component, excluded) = if board {
            ("node".to_string(), None)
        } else {
            (
                "rail".to_string(),
                Some(
                    "a rail of the board, inside its total (Power TOT / VDD_IN): never added to it"
                        .into(),
                ),
            )
        };
        DeviceInfo {
            component,
            signal: Signal::Power,
            excluded,
            group: String::new(),
        }
    }
    fn assumptions(&self) -> Vec<String> {
        vec!["jetson-stats: power columns in mW; the board total is `Power TOT` (or VDD_IN), the rails are shown but not added".into()]
    }
}

// ---------------------------------------------------------------- Kwollect

pub struct Kwollect {
    width: usize,
    ts: usize,
    device: usize,
    metric: usize,
    value: usize,
    only: Option<String>,
}

impl Kwollect {
    pub fn new(cells: &[(String, Option<String>)], only: Option<String>) -> Result<Self, String> {
        Ok(Kwollect {
            width: cells.len(),
            ts: need(cells, &["timestamp"], "kwollect")?,
            device: need(cells, &["device_id"], "kwollect")?,
            metric: need(cells, &["metric_id"], "kwollect")?,
            value: need(cells, &["value"], "kwollect")?,
            only,
        })
    }
}

fn is_power_metric(m: &[u8]) -> bool {
    m.ends_with(b"_watt") || m.ends_with(b"_watts") || m.windows(5).any(|w| w == b"power")
}

impl Reader for Kwollect {
    fn format(&self) -> InputFormat {
        InputFormat::Kwollect
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        notes: &mut RowNotes,
    ) -> Result<(), RowError> {
        let metric = trim(&rec[self.metric]);
        if let Some(o) = &self.only {
            if metric != o.as_bytes() {
                notes.skipped = Some("metrics other than the one asked for");
                return Ok(());
            }
        } else if !is_power_metric(metric) {
            notes.skipped = Some("metrics that are not power (W)");
            return Ok(());
        }
        let f = &rec[self.value];
        if is_missing(f) {
            notes.missing = true;
            return Ok(());
        }
        let v = num(f, row, "value")?;
        if v < 0.0 {
            return Err(negative(row, "value", v));
        }
        let t = stamp(&rec[self.ts], row, "timestamp")?;
        emit(Raw {
            key: [trim(&rec[self.device]), metric, b"", b""],
            t,
            v,
            label: None,
            wrap_j: None,
        })?;
        Ok(())
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        DeviceInfo {
            component: "node".into(),
            signal: Signal::Power,
            excluded: None,
            group: String::from_utf8_lossy(key[0]).to_string(),
        }
    }
}

// ---------------------------------------------------------------- generic CSV

pub struct Generic {
    spec: GenericSpec,
    delim: u8,
    width: usize,
    ts: usize,
    value: usize,
    device: Option<usize>,
    scale: f64,
    signal: Signal,
    origin: Option<Stamp>,
}

impl Generic {
    pub fn new(
        cells: &[(String, Option<String>)],
        spec: &GenericSpec,
        origin: Option<Stamp>,
    ) -> Result<Self, String> {
        let delim = spec.delimiter.unwrap_or(',');
        if !delim.is_ascii() {
            return Err(format!(
                "generic: the delimiter must be one ASCII character, not {delim:?}"
            ));
        }
        let (signal, scale) = match spec.value_kind {
            ValueKind::Power => (Signal::Power, watts_per(&spec.unit)),
            ValueKind::Cumulative => (Signal::Counter, joules_per(&spec.unit)),
            ValueKind::Interval => (Signal::Delta, joules_per(&spec.unit)),
        };
        let scale = scale.ok_or_else(|| {
            let allowed = if signal == Signal::Power {
                "W, mW, uW, kW"
            } else {
                "J, mJ, uJ, kJ, MJ, Wh, kWh"
            };
            format!(
                "generic: unknown unit \"{}\" for a {:?} value (use one of {allowed})",
                spec.unit, spec.value_kind
            )
        })?;
        if !["gpu", "cpu", "dram", "node", "other"].contains(&spec.component.as_str()) {
            return Err(format!(
                "generic: unknown component \"{}\" (gpu, cpu, dram, node or other)",
                spec.component
            ));
        }
        Ok(Generic {
            delim: delim as u8,
            width: cells.len(),
            ts: need(cells, &[&spec.time_column], "generic")?,
            value: need(cells, &[&spec.value_column], "generic")?,
            device: match &spec.device_column {
                Some(d) => Some(need(cells, &[d], "generic")?),
                None => None,
            },
            scale,
            signal,
            origin,
            spec: spec.clone(),
        })
    }

    fn time(&self, f: &[u8], row: u64) -> Result<Stamp, RowError> {
        let c = &self.spec.time_column;
        let per: f64 = match self.spec.time_format {
            TimeFormat::Iso8601 => return stamp(f, row, c),
            TimeFormat::UnixS | TimeFormat::ElapsedS => 1.0,
            TimeFormat::UnixMs => 1e-3,
            TimeFormat::UnixUs => 1e-6,
            TimeFormat::UnixNs => 1e-9,
        };
        let s = if per == 1.0 {
            time::parse(f).filter(|_| !trim(f).contains(&b'-') || trim(f).starts_with(b"-"))
        } else {
            // integer ticks: split into whole seconds and a fraction without losing digits
            let t = trim(f);
            std::str::from_utf8(t)
                .ok()
                .and_then(|x| x.parse::<i128>().ok())
                .map(|ticks| {
                    let per_s = (1.0 / per).round() as i128;
                    Stamp {
                        secs: ticks.div_euclid(per_s) as i64,
                        frac: ticks.rem_euclid(per_s) as f64 * per,
                    }
                })
                .or_else(|| {
                    std::str::from_utf8(t)
                        .ok()
                        .and_then(|x| x.parse::<f64>().ok())
                        .map(|x| Stamp::from_f64(x * per))
                })
        };
        let s = s.ok_or_else(|| RowError {
            row,
            message: format!(
                "cannot read \"{}\" as {:?} time in column \"{c}\"",
                String::from_utf8_lossy(trim(f)),
                self.spec.time_format
            ),
            hint: Some(
                "check time_format: iso8601, unix_s, unix_ms, unix_us, unix_ns or elapsed_s".into(),
            ),
        })?;
        Ok(match (self.spec.time_format, self.origin) {
            (TimeFormat::ElapsedS, Some(o)) => {
                Stamp::from_f64(o.secs as f64 + o.frac + s.secs as f64 + s.frac)
            }
            _ => s,
        })
    }
}

impl Reader for Generic {
    fn format(&self) -> InputFormat {
        InputFormat::Generic
    }
    fn delimiter(&self) -> u8 {
        self.delim
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(
        &'r self,
        rec: &'r ByteRecord,
        row: u64,
        emit: &mut dyn FnMut(Raw<'r>) -> Result<(), RowError>,
        notes: &mut RowNotes,
    ) -> Result<(), RowError> {
        let f = &rec[self.value];
        if is_missing(f) {
            notes.missing = true;
            return Ok(());
        }
        let v = num(f, row, &self.spec.value_column)? * self.scale;
        if v < 0.0 {
            return Err(if self.signal == Signal::Power {
                negative(row, &self.spec.value_column, v)
            } else {
                RowError {
                    row,
                    message: format!(
                        "negative energy {v} J in column \"{}\"",
                        self.spec.value_column
                    ),
                    hint: None,
                }
            });
        }
        let t = self.time(&rec[self.ts], row)?;
        let key = self.device.map_or(&b"device"[..], |i| trim(&rec[i]));
        emit(Raw {
            key: [key, b"", b"", b""],
            t,
            v,
            label: None,
            wrap_j: None,
        })?;
        Ok(())
    }
    fn info(&self, _key: &[&[u8]; 4]) -> DeviceInfo {
        DeviceInfo {
            component: self.spec.component.clone(),
            signal: self.signal,
            excluded: None,
            group: String::new(),
        }
    }
}
