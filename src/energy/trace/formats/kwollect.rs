//! Kwollect (Grid'5000): `timestamp, device_id, metric_id, value` rows, power in W per node and
//! metric; one metric per node counts.

use super::*;

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
    fn read<'r>(&'r self, at: Row<'r, '_, '_>, emit: &mut dyn FnMut(Raw<'r>) -> Done) -> Done {
        let Row { rec, row, notes } = at;
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
    fn metric<'r>(&self, rec: &'r Record<'_>) -> Option<&'r [u8]> {
        rec.get(self.metric).map(trim)
    }
    fn no_sample(&self, metrics: &[String]) -> Option<(String, String)> {
        let only = self.only.as_ref()?;
        let present = if metrics.is_empty() {
            "none".to_string()
        } else {
            metrics.join(", ")
        };
        Some((
            format!("kwollect: no row of the metric asked for, \"{only}\" (--metric); the file's metrics: {present}"),
            "give one of the file's metrics with --metric (or `metric` in the scenario), e.g. wattmetre_power_watt for the external wattmeter".into(),
        ))
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        DeviceInfo {
            component: TraceComponent::Node,
            signal: Signal::Power,
            excluded: None,
            group: String::from_utf8_lossy(key[0]).to_string(),
        }
    }
}
