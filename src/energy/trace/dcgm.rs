//! NVIDIA DCGM's `dcgmi dmon -e 155,156 -d <ms>`: a text table, one row per entity and sample,
//! under a header `#Entity  POWER  TOTEC` and a unit row `ID  W  mJ` (repeated every 14
//! samples). Columns are aligned by padding: each field's cell starts where its name starts in
//! the header. `POWER` (field 155, board power) and `POWINST` (157, instantaneous) are in W;
//! `TOTEC` (156, total energy since the driver loaded) is in mJ. Blank values are `N/A`.
//!
//! dmon writes no times: sample k (the k-th time an entity's row comes back) is at k x the
//! sampling period given with `sample_interval_s` (dmon's `-d` in ms / 1000), an assumption the
//! summary states. dmon sleeps that period after each sample, so the true period is a little
//! longer: with `TOTEC` the energy is exact (the counter's difference) and only the duration is
//! approximate; without it, the power is integrated by trapezoids over the assumed times. Per
//! GPU, `TOTEC` counts when it is there, else `POWER`, else `POWINST`; the others are shown.
//! Rows of other entities (GPU instances, switches, CPUs) are skipped and counted.

use super::formats::DeviceInfo;
use super::integrate::{RowError, Signal};
use super::lines;
use super::series::{at_line, Notes, Sample, Sequential};
use super::{file_error, TraceComponent, TraceOptions};
use crate::error::Result;
use crate::quantity::time::Stamp;
use crate::scenario::InputFormat;
use std::io::BufRead;
use std::path::Path;

/// Millijoules in a joule.
const MJ_PER_J: f64 = 1e3;

/// A power or energy field of dmon, with its unit and the factor to W or J.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    Power,
    PowerInstant,
    Energy,
}

impl Field {
    fn of(name: &str) -> Option<Field> {
        match name {
            "POWER" => Some(Field::Power),
            "POWINST" => Some(Field::PowerInstant),
            "TOTEC" => Some(Field::Energy),
            _ => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Field::Power => "POWER",
            Field::PowerInstant => "POWINST",
            Field::Energy => "TOTEC",
        }
    }
    fn unit(self) -> &'static str {
        match self {
            Field::Energy => "mJ",
            _ => "W",
        }
    }
    /// Which field counts first for a GPU.
    fn rank(self) -> u8 {
        match self {
            Field::Energy => 0,
            Field::Power => 1,
            Field::PowerInstant => 2,
        }
    }
}

/// The reader of `dcgmi dmon` output.
pub(super) struct Dmon {
    interval_s: f64,
}

impl Dmon {
    pub(super) fn new(path: &Path, opts: &TraceOptions) -> Result<Self> {
        let interval_s = opts.sample_interval_s.ok_or_else(|| {
            file_error(
                path,
                "dcgmi dmon writes no times: give its sampling period",
                format!(
                    "give {} (dmon's -d in ms / 1000; -d 1000 is {} 1)",
                    super::Field::SampleInterval.name(opts.naming),
                    super::Field::SampleInterval.name(opts.naming)
                ),
            )
        })?;
        Ok(Dmon { interval_s })
    }
}

/// The columns of the header: each field's name and the byte where its cells start.
struct Header {
    fields: Vec<(String, usize)>,
    /// The unit of each field, from the unit row.
    units: Vec<String>,
}

impl Header {
    /// `#Entity  POWER  TOTEC`: the fields and where they start.
    fn parse(line: &str, row: u64) -> std::result::Result<Header, RowError> {
        let mut fields = Vec::new();
        let mut start = None;
        for (i, c) in line
            .char_indices()
            .chain(std::iter::once((line.len(), ' ')))
        {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    fields.push((line[s..i].to_string(), s));
                    start = None;
                }
                _ => {}
            }
        }
        if fields.len() < 2 || fields[0].0 != "#Entity" {
            return Err(RowError {
                row,
                message: format!("not a dcgmi dmon header: \"{}\"", line.trim_end()),
                hint: Some("dcgmi dmon starts with `#Entity` and the fields' short names, separated by spaces".into()),
            });
        }
        fields.remove(0);
        Ok(Header {
            fields,
            units: Vec::new(),
        })
    }

    /// The cell of field `i` in a row.
    fn cell<'l>(&self, line: &'l str, i: usize) -> &'l str {
        let a = self.fields[i].1;
        let b = self.fields.get(i + 1).map_or(line.len(), |f| f.1);
        line.get(a.min(line.len())..b.min(line.len()))
            .unwrap_or("")
            .trim()
    }
}

impl Sequential for Dmon {
    fn format(&self) -> InputFormat {
        InputFormat::DcgmDmon
    }

    fn each(
        &self,
        path: &Path,
        emit: &mut dyn FnMut(Sample) -> std::result::Result<(), RowError>,
        notes: &mut Notes,
    ) -> Result<()> {
        let io = |e: std::io::Error| file_error(path, format!("cannot read the trace: {e}"), "");
        let input = lines::open(path).map_err(io)?;
        let long = input.watch();
        let mut r = std::io::BufReader::new(input);
        let mut header: Option<Header> = None;
        // the entities of the current sample, and the sample's number
        let mut seen: Vec<String> = Vec::new();
        let mut k = 0u64;
        let mut last_energy: Vec<(String, f64, u64)> = Vec::new();
        let mut buf = Vec::new();
        let mut row = 0u64;
        loop {
            buf.clear();
            let n = r.read_until(b'\n', &mut buf).map_err(|e| {
                match long.error("dcgmi dmon output") {
                    Some((line, message)) => at_line(
                        path,
                        RowError {
                            row: line,
                            message,
                            hint: None,
                        },
                    ),
                    None => io(e),
                }
            })?;
            if n == 0 {
                break;
            }
            row += 1;
            let text = std::str::from_utf8(&buf).map_err(|_| {
                at_line(
                    path,
                    RowError {
                        row,
                        message: "the line is not UTF-8 text".into(),
                        hint: Some("give the text dcgmi dmon printed".into()),
                    },
                )
            })?;
            let line = text
                .trim_end_matches(['\n', '\r'])
                .trim_start_matches('\u{feff}');
            let fail = |message: String, hint: &str| {
                at_line(
                    path,
                    RowError {
                        row,
                        message,
                        hint: Some(hint.into()),
                    },
                )
            };
            if line.trim().is_empty() || line.starts_with("dmon was stopped") {
                continue;
            }
            if line.starts_with('#') {
                let h = Header::parse(line, row).map_err(|e| at_line(path, e))?;
                if let Some(prev) = &header {
                    if prev
                        .fields
                        .iter()
                        .map(|f| &f.0)
                        .ne(h.fields.iter().map(|f| &f.0))
                    {
                        return Err(fail(
                            "the header changed: two dmon runs in one file?".into(),
                            "give the output of one dcgmi dmon run",
                        ));
                    }
                }
                header = Some(h);
                continue;
            }
            let Some(h) = header.as_mut() else {
                return Err(fail(
                    "no dcgmi dmon header (`#Entity ...`) before this line".into(),
                    "give the whole output of dcgmi dmon, from its first line",
                ));
            };
            if line.starts_with("ID") {
                h.units = (0..h.fields.len())
                    .map(|i| h.cell(line, i).to_string())
                    .collect();
                for (i, (name, _)) in h.fields.iter().enumerate() {
                    if let Some(f) = Field::of(name) {
                        if h.units[i] != f.unit() {
                            return Err(fail(
                                format!("{name} is in \"{}\", not {}", h.units[i], f.unit()),
                                "dcgmi dmon writes POWER and POWINST in W and TOTEC in mJ",
                            ));
                        }
                    }
                }
                continue;
            }
            if !h.fields.iter().any(|(n, _)| Field::of(n).is_some()) {
                return Err(fail(
                    format!(
                        "dcgmi dmon without a power or energy field (fields: {})",
                        h.fields
                            .iter()
                            .map(|f| f.0.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "run dcgmi dmon -e 155,156 (POWER in W, TOTEC in mJ)",
                ));
            }
            let entity = line.get(..h.fields[0].1).unwrap_or(line).trim();
            notes.records += 1;
            let mut words = entity.split(' ');
            let gpu = words.next() == Some("GPU")
                && words.next().is_some_and(|id| id.parse::<u32>().is_ok())
                && words.next().is_none();
            if !gpu {
                notes
                    .skipped
                    .entry("rows of entities other than GPUs (GPU instances, switches, CPUs)")
                    .or_default()
                    .add(row);
                continue;
            }
            if seen.iter().any(|e| e == entity) {
                seen.clear();
                k += 1;
            }
            seen.push(entity.to_string());
            let t = Stamp::from_f64(k as f64 * self.interval_s);
            for (i, (name, _)) in h.fields.iter().enumerate() {
                let Some(field) = Field::of(name) else {
                    continue;
                };
                let cell = h.cell(line, i);
                if cell == "N/A" {
                    notes.missing.add(row);
                    continue;
                }
                if cell.is_empty() {
                    return Err(fail(
                        format!("{entity} has no value under {name}: a truncated line?"),
                        "dcgmi dmon writes a value or N/A under each field",
                    ));
                }
                let v: f64 = cell
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| {
                        fail(
                            format!("cannot read \"{cell}\" as a number under {name}"),
                            "dcgmi dmon writes plain numbers, in the unit of its unit row",
                        )
                    })?;
                if v < 0.0 {
                    return Err(fail(
                        format!("{name} {v} of {entity} is negative"),
                        "a power or energy is zero or more",
                    ));
                }
                let device = format!("{entity} {}", field.name());
                let v = if field == Field::Energy {
                    if let Some((_, prev, prev_row)) =
                        last_energy.iter_mut().find(|(d, _, _)| *d == device)
                    {
                        if v < *prev {
                            return Err(fail(
                                format!("TOTEC of {entity} decreased, from {} mJ (line {}) to {v} mJ", *prev, *prev_row),
                                "TOTEC counts from the driver's load: a driver reload restarts it; give the rows of one run",
                            ));
                        }
                        *prev = v;
                        *prev_row = row;
                    } else {
                        last_energy.push((device.clone(), v, row));
                    }
                    v / MJ_PER_J
                } else {
                    v
                };
                emit(Sample {
                    device: &device,
                    t,
                    v,
                    line: row,
                })
                .map_err(|e| at_line(path, e))?;
            }
        }
        Ok(())
    }

    fn info(&self, device: &str, all: &[String]) -> DeviceInfo {
        let (gpu, field) = device
            .rsplit_once(' ')
            .map_or((device, None), |(g, f)| (g, Field::of(f)));
        let field = field.unwrap_or(Field::Power);
        let best = all
            .iter()
            .filter_map(|d| d.rsplit_once(' '))
            .filter(|(g, _)| *g == gpu)
            .filter_map(|(_, f)| Field::of(f))
            .min_by_key(|f| f.rank());
        let excluded = match best {
            Some(b) if b != field => Some(format!(
                "another series of the same GPU: {} counts ({})",
                b.name(),
                if b == Field::Energy {
                    "its energy counter"
                } else {
                    "the board power"
                }
            )),
            _ => None,
        };
        DeviceInfo {
            component: TraceComponent::Gpu,
            signal: if field == Field::Energy {
                Signal::Counter
            } else {
                Signal::Power
            },
            excluded,
            group: gpu.to_string(),
        }
    }

    fn assumptions(&self) -> Vec<String> {
        vec![format!(
            "dcgm-dmon: dmon writes no times: sample k taken at k x {} s (the sampling period given); dmon's true period is a little longer (it sleeps the period after each sample), so the duration is a lower bound, the TOTEC energy (counter differences, mJ) exact and a POWER-only energy approximate",
            crate::quantity::format::readable(self.interval_s)
        )]
    }
}
