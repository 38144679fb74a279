//! nvidia-smi `--query-gpu=timestamp,index,power.draw --format=csv[,noheader][,nounits]`: one
//! row per GPU per sample, power in W (a `[W]` unit in the header or ` W` after the value).

use super::*;

pub struct NvidiaSmi {
    width: usize,
    ts: usize,
    index: Option<usize>,
    /// The device column is `index` (a whole number), not a bus id or a UUID.
    index_is_number: bool,
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
            index_is_number: col(cells, &["index"]).is_some(),
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
    read_by_samples!(NvidiaSmi);
    fn info(&self, _key: &[&[u8]; 4]) -> DeviceInfo {
        DeviceInfo {
            component: TraceComponent::Gpu,
            signal: Signal::Power,
            excluded: None,
            group: String::new(),
        }
    }
    fn assumptions(&self) -> Vec<String> {
        self.assumed.clone()
    }
}

impl Samples for NvidiaSmi {
    #[inline]
    fn samples<'r>(&'r self, at: Row<'r, '_, '_>, emit: impl Emit<'r>) -> Done {
        let Row { rec, row, notes } = at;
        let f = trim(&rec[self.power]);
        if missing(f) {
            notes.missing = true;
            return Ok(());
        }
        // the usual `299.14 W`: a plain decimal (no space in it: the space before the W is the
        // first) and W, read as below
        if let Some(v) = f.strip_suffix(b" W").and_then(plain_decimal) {
            return self.sample(rec, row, v, emit);
        }
        let (numtxt, unit) = match f.iter().position(|&c| c == b' ') {
            Some(i) => (&f[..i], Some(trim(&f[i + 1..]))),
            None => (f, None),
        };
        let scale = match unit {
            Some(b"W") => 1.0,
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
        self.sample(rec, row, v, emit)
    }
}

impl NvidiaSmi {
    /// The sample of a row whose power, `v` W, is read: its time and GPU.
    #[inline]
    fn sample<'r>(
        &'r self,
        rec: &'r Record<'_>,
        row: u64,
        v: f64,
        mut emit: impl Emit<'r>,
    ) -> Done {
        if v < 0.0 {
            return Err(negative(row, &self.power_name, v));
        }
        let t = stamp(&rec[self.ts], row, "timestamp")?;
        let key = self.index.map_or(&b"0"[..], |i| trim(&rec[i]));
        if self.index_is_number && (key.is_empty() || !key.iter().all(u8::is_ascii_digit)) {
            return Err(RowError {
                row,
                message: format!(
                    "\"{}\" in column \"index\" is not a GPU index",
                    String::from_utf8_lossy(key)
                ),
                hint: Some("nvidia-smi numbers its GPUs 0, 1, 2, ...: check the columns".into()),
            });
        }
        emit(Raw {
            key: [key, b"", b"", b""],
            t,
            v,
            label: self.name.map(|i| trim(&rec[i])),
            wrap_j: None,
        })?;
        Ok(())
    }
}
