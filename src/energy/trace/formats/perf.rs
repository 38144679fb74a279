//! `perf stat -I <ms> -x, -e power/energy-pkg/,power/energy-ram/ -a` (the kernel's RAPL `power`
//! PMU): one row per interval and event, `time,value,unit,event,run time,%,metric,metric unit`,
//! with one (`-A`: `CPU0`) or two (`--per-socket`: `S0,2`, `--per-die`: `S0-D0,2`) aggregation
//! fields after the time. Times are seconds since perf started; a value is the energy of the
//! interval that ends at its time, in Joules (perf applies the PMU's scale and writes its unit).
//!
//! The first interval starts when perf starts (time 0), so its energy counts: a zero sample at
//! time 0 opens each series. The package (cpu) and DRAM (dram) domains count; cores (PP0) and the
//! integrated GPU (PP1) are inside the package, psys (the platform) contains it: shown, not added.
//! `<not counted>` and `<not supported>` values are missing values; rows of other events
//! (cycles, task-clock) are skipped and counted. `perf stat -o FILE` writes a `# started on`
//! line and a blank line first; without `-o` the file begins with the first row.

use super::*;

/// The fields of a row without aggregation: time, value, unit, event, run time, %, metric value
/// and metric unit.
const PLAIN_FIELDS: usize = 8;

pub struct Perf {
    width: usize,
    /// Aggregation fields after the time (0, 1 or 2).
    aggr: usize,
    /// The time of the first row: its interval starts at 0.
    first: Stamp,
}

impl Perf {
    /// The layout of the file from its first data row.
    pub fn new(first_row: &str, line: u64) -> Result<Self, RowError> {
        let fields: Vec<&str> = first_row.split(',').collect();
        let n = fields.len();
        if !(PLAIN_FIELDS..=PLAIN_FIELDS + 2).contains(&n) {
            return Err(RowError {
                row: line,
                message: format!("perf: the first row has {n} field(s), where `perf stat -x,` writes {PLAIN_FIELDS} (time, value, unit, event, run time, %, metric value, metric unit), {} with -A or {} with --per-socket", PLAIN_FIELDS + 1, PLAIN_FIELDS + 2),
                hint: Some("mlca reads the output of `perf stat -I <ms> -x, -e power/energy-pkg/ ...`: a different -x delimiter, or a row cut short?".into()),
            });
        }
        let first = stamp(fields[0].as_bytes(), line, "time")?;
        Ok(Perf {
            width: n,
            aggr: n - PLAIN_FIELDS,
            first,
        })
    }
}

/// What a RAPL domain of the `power` PMU is, and whether it counts.
fn domain(event: &[u8]) -> (TraceComponent, Option<String>) {
    let e = String::from_utf8_lossy(event);
    let name = e
        .trim_start_matches("power/")
        .trim_start_matches("energy-")
        .trim_end_matches('/');
    match name {
        "pkg" => (TraceComponent::Cpu, None),
        "ram" => (TraceComponent::Dram, None),
        "cores" => (
            TraceComponent::Cpu,
            Some("the cores' domain (PP0) is inside the package, already counted in energy-pkg".into()),
        ),
        "gpu" => (
            TraceComponent::Gpu,
            Some("the integrated GPU's domain (PP1) is inside the package, already counted in energy-pkg".into()),
        ),
        "psys" => (
            TraceComponent::Node,
            Some("the platform domain (psys) contains the package: counting both would count it twice".into()),
        ),
        _ => (
            TraceComponent::Other,
            Some(format!("a RAPL domain mlca does not know ({e}): not added")),
        ),
    }
}

impl Reader for Perf {
    fn format(&self) -> InputFormat {
        InputFormat::Perf
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(&'r self, at: Row<'r, '_, '_>, emit: &mut dyn FnMut(Raw<'r>) -> Done) -> Done {
        let Row { rec, row, notes } = at;
        let field = |i: usize| rec.get(i).map_or(&b""[..], trim);
        let event = field(3 + self.aggr);
        if !event.starts_with(b"power/energy-") {
            notes.skipped = Some("events other than power/energy-*");
            return Ok(());
        }
        let t = stamp(field(0), row, "time")?;
        let value = field(1 + self.aggr);
        if value.starts_with(b"<not") {
            notes.missing = true;
            return Ok(());
        }
        let unit = field(2 + self.aggr);
        if unit != b"Joules" {
            return Err(RowError {
                row,
                message: format!(
                    "{} is counted in \"{}\", not Joules",
                    String::from_utf8_lossy(event),
                    String::from_utf8_lossy(unit)
                ),
                hint: Some("perf writes the RAPL energy events in Joules (the PMU's .unit and .scale files): a raw count cannot be read as energy".into()),
            });
        }
        let j = num(value, row, "value")?;
        if j < 0.0 {
            return Err(RowError {
                row,
                message: format!(
                    "negative energy {j} J for {}",
                    String::from_utf8_lossy(event)
                ),
                hint: Some("an interval's energy is zero or more: check the file".into()),
            });
        }
        let group = if self.aggr > 0 { field(1) } else { b"" };
        let key = [event, group, b"", b""];
        if t == self.first {
            emit(Raw {
                key,
                t: Stamp { secs: 0, frac: 0.0 },
                v: 0.0,
                label: None,
                wrap_j: None,
            })?;
        }
        emit(Raw {
            key,
            t,
            v: j,
            label: None,
            wrap_j: None,
        })
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        let (component, excluded) = domain(key[0]);
        DeviceInfo {
            component,
            signal: Signal::Delta,
            excluded,
            group: String::from_utf8_lossy(key[1]).to_string(),
        }
    }
    fn metric<'r>(&self, rec: &'r Record<'_>) -> Option<&'r [u8]> {
        rec.get(3 + self.aggr).map(trim)
    }
    fn no_sample(&self, metrics: &[String]) -> Option<(String, String)> {
        Some((
            format!(
                "perf: no power/energy-* event in the file; its events: {}",
                if metrics.is_empty() {
                    "none".to_string()
                } else {
                    metrics.join(", ")
                }
            ),
            "record the RAPL events: perf stat -I 1000 -x, -o perf.csv -e power/energy-pkg/,power/energy-ram/ -a (a machine without the power PMU has no RAPL: `perf list power` is empty)".into(),
        ))
    }
    fn assumptions(&self) -> Vec<String> {
        vec!["perf: each value is the energy (J) of the interval ending at its time; times are seconds since perf started, so the first interval starts at 0".into()]
    }
}

/// The first data row of a perf file (after the `# started on` line and blank lines) and its
/// line: the layout of every row.
pub fn first_row(path: &std::path::Path) -> std::io::Result<Option<(u64, String)>> {
    use std::io::BufRead;
    use std::io::Read;
    // bounded: a file that is not perf's (no line end) is not read whole
    let r = std::io::BufReader::new(std::fs::File::open(path)?.take(16 << 20));
    for (i, line) in r.split(b'\n').take(16).enumerate() {
        let line = line?;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches('\r').trim_start_matches('\u{feff}');
        if text.trim().is_empty() || text.starts_with('#') {
            continue;
        }
        return Ok(Some((i as u64 + 1, text.to_string())));
    }
    Ok(None)
}
