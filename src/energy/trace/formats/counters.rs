//! Energy counters: RAPL dumps (`energy_uj` per zone, uJ, wrapping at `max_energy_range_uj`;
//! sub-zones inside their package left out) and Alumet's CSV (`metric;timestamp;value`, energy
//! and power metrics per resource, converted to J and W).
//!
//! Alumet's `estimated_consumed_energy_J` (its `energy-estimation-tdp` source: CPU time x TDP,
//! a model, not a meter) is read per resource and `cpu_state` (`__late_attributes`) and labelled
//! estimated. As Alumet's documentation adds them, the states other than `idle` are the estimate;
//! `cpu_core` rows are left out beside the `local_machine` rows they add up to, and every
//! estimate is left out when the file measures the CPU's energy (RAPL): the measurement is
//! counted ([`alumet_estimates`]).

use super::*;
use crate::quantity::format::readable;

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
fn rapl_zone(zone: &str) -> (TraceComponent, Option<String>) {
    let z = zone.to_lowercase();
    if z.ends_with("_total") {
        return (
            TraceComponent::Cpu,
            Some("a per-domain total of other rows: adding it would count them twice".into()),
        );
    }
    if z.contains("dram") {
        (TraceComponent::Dram, None)
    } else if z.contains("core") || z.contains("uncore") || z.contains("pp0") || z.contains("pp1") {
        (
            TraceComponent::Cpu,
            Some("a sub-zone of the package, already counted in it".into()),
        )
    } else if z.contains("psys") || z.contains("platform") {
        (
            TraceComponent::Node,
            Some("the platform zone includes the package zones".into()),
        )
    } else {
        (TraceComponent::Cpu, None)
    }
}

/// A counter value in uJ as the file writes it: a whole number in full (as sysfs gives it),
/// else [`readable`].
fn micro(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e21 {
        format!("{x}")
    } else {
        readable(x)
    }
}

impl Reader for Rapl {
    fn format(&self) -> InputFormat {
        InputFormat::Rapl
    }
    fn width(&self) -> usize {
        self.width
    }
    read_by_samples!(Rapl);
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

impl Samples for Rapl {
    #[inline]
    fn samples<'r>(&'r self, at: Row<'r, '_, '_>, mut emit: impl Emit<'r>) -> Done {
        let Row { rec, row, notes } = at;
        let t = same_time(&rec[self.ts], &mut notes.time, |f| {
            stamp(f, row, "timestamp_s")
        })?;
        let uj = num(&rec[self.energy], row, "energy_uj")?;
        if uj < 0.0 {
            return Err(RowError {
                row,
                message: format!(
                    "negative energy counter {} uJ in column \"energy_uj\"",
                    micro(uj)
                ),
                hint: Some("a RAPL counter counts up from zero: check the column".into()),
            });
        }
        let v = uj * 1e-6;
        let wrap_j = match self.max_range {
            Some(i) => Some(range_uj(&rec[i], row, &mut notes.ranges)? * 1e-6),
            None => self.wrap_j,
        };
        if let Some(w) = wrap_j {
            if w <= 0.0 {
                return Err(RowError {
                    row,
                    message: format!(
                        "max_energy_range_uj {} must be greater than zero",
                        micro(w * 1e6)
                    ),
                    hint: Some(
                        "copy max_energy_range_uj from /sys/class/powercap/intel-rapl:*/".into(),
                    ),
                });
            }
            if v > w {
                return Err(RowError {
                    row,
                    message: format!(
                        "energy counter {} uJ above its range max_energy_range_uj {}",
                        micro(uj),
                        micro(w * 1e6)
                    ),
                    hint: Some("a counter wraps at max_energy_range_uj: check the columns, or the range given".into()),
                });
            }
        }
        emit(Raw {
            key: [trim(&rec[self.zone]), b"", b"", b""],
            t,
            v,
            label: None,
            wrap_j,
        })?;
        Ok(())
    }
}

/// The column of a RAPL dump's counter ranges.
const RANGE_COLUMN: &str = "max_energy_range_uj";

/// Ranges a piece keeps: a machine's RAPL zones have one or two ranges (package, DRAM).
const RANGES: usize = 4;

/// The counter ranges read lately in a piece, by their text, and their values (uJ), kept with
/// the piece's row notes: the slot of the last one found is tried first.
#[derive(Clone, Copy, Default)]
pub struct Ranges {
    kept: [Option<(FieldKey, f64)>; RANGES],
    /// The slot of the last range found.
    last: usize,
    /// The slot the next new text takes.
    next: usize,
}

/// The `max_energy_range_uj` of a row, uJ, as [`num`] reads it: a RAPL dump writes each zone's
/// range on every row, the same text each time, so a text read lately in the piece (`ranges`,
/// by its bytes, not a hash) takes the value read then, the row before's with no search.
fn range_uj(field: &[u8], row: u64, ranges: &mut Ranges) -> Result<f64, RowError> {
    let t = trim(field);
    let Some(key) = FieldKey::of(t) else {
        return number(t, row, RANGE_COLUMN);
    };
    match ranges.kept[ranges.last] {
        Some((k, v)) if k == key => Ok(v),
        _ => range_read(t, key, row, ranges),
    }
}

/// The range of text `t` (of key `key`) from the other ranges kept, else read and kept.
#[inline(never)]
fn range_read(t: &[u8], key: FieldKey, row: u64, ranges: &mut Ranges) -> Result<f64, RowError> {
    let found = ranges.kept.iter().enumerate().find_map(|(at, k)| match k {
        Some((k, v)) if *k == key => Some((at, *v)),
        _ => None,
    });
    if let Some((at, v)) = found {
        ranges.last = at;
        return Ok(v);
    }
    let v = number(t, row, RANGE_COLUMN)?;
    let at = ranges.next;
    ranges.kept[at] = Some((key, v));
    (ranges.last, ranges.next) = (at, (at + 1) % RANGES);
    Ok(v)
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
    late: Option<usize>,
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
            late: col(cells, &["__late_attributes"]),
        })
    }
}

/// `rapl_consumed_energy_J` -> (`rapl_consumed_energy`, signal, factor to J or W).
fn alumet_metric(m: &[u8]) -> Option<(&[u8], Signal, f64)> {
    // the usual suffixes, J and W, without a search or a reading of the unit
    match m.split_last_chunk::<2>() {
        Some((base, b"_J")) => return Some((base, Signal::Delta, 1.0)),
        Some((base, b"_W")) => return Some((base, Signal::Power, 1.0)),
        _ => {}
    }
    let i = m.iter().rposition(|&c| c == b'_')?;
    let unit = std::str::from_utf8(&m[i + 1..]).ok()?;
    if let Some(k) = joules_per(unit) {
        return Some((&m[..i], Signal::Delta, k));
    }
    watts_per(unit).map(|k| (&m[..i], Signal::Power, k))
}

/// An energy or power metric whose unit suffix is not one mlca knows (`rapl_consumed_energy_furlong`):
/// an error, where a metric of another quantity (`nvml_temperature_gpu_Cel`) is only skipped.
fn unknown_unit(m: &[u8], row: u64) -> Option<RowError> {
    let i = m.iter().rposition(|&c| c == b'_')?;
    let base = String::from_utf8_lossy(&m[..i]).to_lowercase();
    if !(base.contains("energy") || base.contains("power")) {
        return None;
    }
    Some(RowError {
        row,
        message: format!(
            "the metric \"{}\" ends with an unknown unit \"_{}\"",
            String::from_utf8_lossy(m),
            String::from_utf8_lossy(&m[i + 1..])
        ),
        hint: Some("Alumet's CSV ends a metric's name with its unit (append_unit_to_metric_name): energy in J, mJ, uJ, kJ, Wh or kWh, power in W, mW or kW".into()),
    })
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
    read_by_samples!(Alumet);
    fn metric<'r>(&self, rec: &'r Record<'_>) -> Option<&'r [u8]> {
        rec.get(self.metric).map(trim)
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
        let (component, excluded) = if base.as_bytes().starts_with(ESTIMATED) {
            let idle = sub.as_bytes() == IDLE;
            (
                TraceComponent::Cpu,
                idle.then(|| {
                    "idle time: Alumet's estimate is the sum of the cpu_states other than idle"
                        .to_string()
                }),
            )
        } else if base.starts_with("rapl") {
            rapl_zone(&sub)
        } else if base.starts_with("nvml") || kind.starts_with("gpu") {
            (TraceComponent::Gpu, None)
        } else if base.contains("input_power")
            || !sub.is_empty() && sub.to_uppercase().starts_with("VDD")
        {
            if sub.eq_ignore_ascii_case("VDD_IN") {
                (TraceComponent::Node, None)
            } else {
                (
                    TraceComponent::Rail,
                    Some("a rail of the board, inside its input (VDD_IN)".into()),
                )
            }
        } else {
            (TraceComponent::Other, None)
        };
        DeviceInfo {
            component,
            signal,
            excluded,
            group,
        }
    }
}

impl Samples for Alumet {
    #[inline]
    fn samples<'r>(&'r self, at: Row<'r, '_, '_>, mut emit: impl Emit<'r>) -> Done {
        let Row { rec, row, notes } = at;
        let metric = trim(&rec[self.metric]);
        let Some((base, signal, k)) = alumet_metric(metric) else {
            if let Some(e) = unknown_unit(metric, row) {
                return Err(e);
            }
            notes.skipped = Some("metrics that are neither power nor energy");
            return Ok(());
        };
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
                    message: format!("negative energy {} J", readable(v)),
                    hint: None,
                }
            });
        }
        let t = stamp(&rec[self.ts], row, "timestamp")?;
        let get = |o: Option<usize>| o.map_or(&b""[..], |i| trim(&rec[i]));
        let sub = if base.starts_with(ESTIMATED) {
            cpu_state(get(self.late))
        } else if self.domain.is_some_and(|i| !trim(&rec[i]).is_empty()) {
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
}

/// The prefix of Alumet's estimated metrics (`estimated_consumed_energy_J`).
const ESTIMATED: &[u8] = b"estimated_";
/// The `cpu_state` whose estimate Alumet leaves out of its total.
const IDLE: &[u8] = b"cpu_state=idle";

/// The `cpu_state=...` attribute of Alumet's `__late_attributes` (`key=value` pairs separated by
/// commas), or nothing.
fn cpu_state(attributes: &[u8]) -> &[u8] {
    attributes
        .split(|&c| c == b',')
        .map(trim)
        .find(|a| a.starts_with(b"cpu_state="))
        .unwrap_or(b"")
}

/// Whether an Alumet device (its key) is an estimate rather than a measurement.
pub fn alumet_estimated(key: &[u8]) -> bool {
    key.starts_with(ESTIMATED)
}

/// Alumet's estimates beside what they would count twice: every estimate when the file measures
/// the CPU's energy (RAPL), else the `cpu_core` estimates when the `local_machine` ones (their
/// sum) are there. `devices` are each device's key and what it is; the note says what is kept.
pub fn alumet_estimates(devices: &mut [([&[u8]; 4], &mut DeviceInfo)]) -> Option<String> {
    let est = |k: &[&[u8]; 4]| alumet_estimated(k[0]);
    if !devices.iter().any(|(k, _)| est(k)) {
        return None;
    }
    let text = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    let measured = devices
        .iter()
        .find(|(k, i)| !est(k) && i.component == TraceComponent::Cpu && i.excluded.is_none())
        .map(|(k, _)| text(k[0]));
    if let Some(m) = &measured {
        for (_, i) in devices.iter_mut().filter(|(k, _)| est(k)) {
            i.excluded = Some(format!(
                "an estimate of the CPU, whose energy the file measures ({m}): the measurement is counted"
            ));
        }
        return Some(format!("alumet: estimated_consumed_energy_J (energy-estimation-tdp: CPU time x TDP, a model) not counted: the file measures the CPU ({m}), which is counted"));
    }
    let machine = devices
        .iter()
        .any(|(k, _)| est(k) && k[1] == b"local_machine");
    let (mut kinds, mut states): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (k, i) in devices.iter_mut().filter(|(k, _)| est(k)) {
        if machine && k[1] == b"cpu_core" {
            i.excluded =
                Some("a core of the machine, whose local_machine estimate is counted".into());
        }
        if i.excluded.is_none() {
            for (list, v) in [(&mut kinds, k[1]), (&mut states, k[3])] {
                let v = text(v.strip_prefix(b"cpu_state=").unwrap_or(v));
                if !v.is_empty() && !list.contains(&v) {
                    list.push(v);
                }
            }
        }
    }
    let states = if states.is_empty() {
        String::new()
    } else {
        format!(", cpu_state {}", states.join(", "))
    };
    Some(format!(
        "alumet: estimated_consumed_energy_J counted, labelled estimated (energy-estimation-tdp: CPU time x TDP, a model, not a measurement): resource {}{states}; idle left out (Alumet's total is the sum of the states other than idle){}",
        kinds.join(", "),
        if machine { "; cpu_core rows left out (local_machine is their sum)" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_read_again_is_the_range_read_then() {
        // the ranges of a package and a DRAM zone by hand, in turn, then more texts than the
        // piece keeps, then texts past 16 bytes and texts that are not numbers
        let texts: [&[u8]; 14] = [
            b"262143328850",
            b"65712999613",
            b"262143328850",
            b" 65712999613 ",
            b"1",
            b"2",
            b"3",
            b"4.5",
            b"262143328850",
            b"12345678901234567",
            b"12345678901234567",
            b"1e3",
            b"abc",
            b"abc",
        ];
        let mut last = Ranges::default();
        for (i, t) in texts.iter().enumerate() {
            let row = i as u64 + 2;
            let by_range = range_uj(t, row, &mut last);
            let by_num = num(t, row, RANGE_COLUMN);
            match (by_range, by_num) {
                (Ok(a), Ok(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{i}"),
                (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{i}"),
                (a, b) => panic!("{i}: {a:?} against {b:?}"),
            }
        }
        assert_eq!(
            range_uj(b"262143328850", 1, &mut Ranges::default()).ok(),
            Some(262_143_328_850.0)
        );
        assert_eq!(
            range_uj(b"65712999613", 1, &mut last).ok(),
            Some(65_712_999_613.0)
        );
    }
}
