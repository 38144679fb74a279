//! Time series for the plots, from trace summaries read once (with even power bins and the
//! quality log's times as checkpoints): the power profile per component (mean power in W over
//! evenly spaced bins, x in minutes from the start: P_k = E_k / width, E_k in J, width in s) and
//! the cumulative energy (kWh) needed to reach each logged quality point.

use crate::energy::trace::{LogRow, TraceSummary};
use crate::quantity::units::J_PER_KWH;
use std::collections::BTreeMap;

/// A named series of (x, y) points.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Mean power per component over the even bins of each trace (read with `power_bins`).
pub fn power_series(traces: &[TraceSummary]) -> Vec<Series> {
    let mut out: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for s in traces {
        let Some(width) = s.power_bin_s else {
            continue;
        };
        let bins = s
            .devices
            .iter()
            .map(|d| d.power_bins_j.len())
            .max()
            .unwrap_or(0);
        for d in s.devices.iter().filter(|d| d.included) {
            let series = out.entry(d.component.key().to_string()).or_insert_with(|| {
                (0..bins)
                    .map(|k| ((k as f64 + 0.5) * width / 60.0, 0.0))
                    .collect()
            });
            for (k, e) in d.power_bins_j.iter().enumerate().take(series.len()) {
                series[k].1 += e / width;
            }
        }
    }
    out.into_iter()
        .map(|(name, points)| Series { name, points })
        .collect()
}

/// (quality, cumulative kWh from the first logged point) for each row of the quality log, from
/// traces read with the log's times as checkpoints.
pub fn quality_series(name: &str, rows: &[LogRow], traces: &[TraceSummary]) -> Series {
    let mut cum = vec![0.0f64; rows.len()];
    for s in traces {
        for d in s.devices.iter().filter(|d| d.included) {
            let mut acc = 0.0;
            for (k, e) in d
                .bins_j
                .iter()
                .enumerate()
                .take(rows.len().saturating_sub(1))
            {
                acc += e;
                cum[k + 1] += acc;
            }
        }
    }
    Series {
        name: name.to_string(),
        points: rows
            .iter()
            .zip(&cum)
            .map(|(r, e)| (r.value, e / J_PER_KWH))
            .collect(),
    }
}
