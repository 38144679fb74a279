//! Time series for the plots, from a scenario's traces: the power profile per component (mean
//! power over evenly spaced bins) and the energy needed to reach each logged quality point.

use crate::energy::trace::{self, TraceSummary};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time::Stamp;
use crate::quantity::units::J_PER_KWH;
use crate::scenario::Loaded;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A named series of (x, y) points.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

fn dir(l: &Loaded) -> PathBuf {
    l.file.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn traces(l: &Loaded) -> Result<&Vec<crate::scenario::TraceRef>> {
    l.scenario.energy.traces.as_ref().ok_or_else(|| {
        Error::input(Diagnostic::new("this plot needs measured traces (energy.traces)").file(&l.file).hint("the power profile and the energy per quality point are read from the scenario's traces"))
    })
}

fn span(s: &TraceSummary) -> Option<(Stamp, Stamp)> {
    let a = s
        .devices
        .iter()
        .filter(|d| d.included)
        .filter_map(|d| d.start.as_deref())
        .filter_map(|x| crate::quantity::time::parse(x.as_bytes()))
        .min_by(|a, b| a.since(0).total_cmp(&b.since(0)))?;
    let b = s
        .devices
        .iter()
        .filter(|d| d.included)
        .filter_map(|d| d.end.as_deref())
        .filter_map(|x| crate::quantity::time::parse(x.as_bytes()))
        .max_by(|a, b| a.since(0).total_cmp(&b.since(0)))?;
    Some((a, b))
}

/// Mean power per component over `bins` bins of each trace's window; x in minutes from the start.
pub fn power(l: &Loaded, bins: usize) -> Result<Vec<Series>> {
    let mut out: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for (i, t) in traces(l)?.iter().enumerate() {
        let path = dir(l).join(&t.file);
        let mut o = crate::energy::trace_options(l, t, &format!("energy.traces[{i}]"))?;
        // the window when the scenario gives one; otherwise one read finds the trace's span
        let known = o.start.zip(o.end);
        let Some((a, b)) = (match known {
            Some(w) => Some(w),
            None => span(&trace::read(&path, &o)?),
        }) else {
            continue;
        };
        let len = b.since(a.secs) - a.frac;
        if len <= 0.0 {
            continue;
        }
        let cps: Vec<Stamp> = (0..=bins)
            .map(|k| Stamp::from_f64(a.secs as f64 + a.frac + len * k as f64 / bins as f64))
            .collect();
        o.checkpoints = Some(cps);
        let s = trace::read(&path, &o)?;
        let width = len / bins as f64;
        for d in s.devices.iter().filter(|d| d.included) {
            let series = out.entry(d.component.clone()).or_insert_with(|| {
                (0..bins)
                    .map(|k| ((k as f64 + 0.5) * width / 60.0, 0.0))
                    .collect()
            });
            for (k, e) in d.bins_j.iter().enumerate().take(bins) {
                series[k].1 += e / width;
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(name, points)| Series { name, points })
        .collect())
}

/// (quality, cumulative kWh from the first logged point) for each row of the quality log.
pub fn quality_energy(l: &Loaded) -> Result<Series> {
    let fu = &l.scenario.functional_unit;
    let (Some(log), Some(col)) = (&fu.quality_log, &fu.quality_column) else {
        return Err(Error::input(
            Diagnostic::new("this plot needs functional_unit.quality_log and quality_column")
                .file(&l.file)
                .hint("a CSV with a timestamp column and the quality reached at each time"),
        ));
    };
    let log = dir(l).join(log);
    let bad = |m: String| Error::input(Diagnostic::new(m).file(&log));
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(&log)
        .map_err(|e| bad(format!("cannot read the quality log: {e}")))?;
    let h = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    let ts = h
        .iter()
        .position(|c| c == "timestamp" || c == "time")
        .ok_or_else(|| bad("the quality log has no timestamp column".into()))?;
    let q = h
        .iter()
        .position(|c| c == col)
        .ok_or_else(|| bad(format!("the quality log has no column \"{col}\"")))?;
    let mut rows: Vec<(Stamp, f64)> = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| bad(e.to_string()))?;
        let line = r.position().map_or(0, |p| p.line());
        let t = crate::quantity::time::parse(r.get(ts).unwrap_or("").as_bytes())
            .ok_or_else(|| bad(format!("line {line}: not a time")))?;
        let v: f64 = r
            .get(q)
            .unwrap_or("")
            .parse()
            .map_err(|_| bad(format!("line {line}: quality is not a number")))?;
        rows.push((t, v));
    }
    if rows.len() < 2 {
        return Err(bad("the quality log needs at least two rows".into()));
    }
    let mut cum = vec![0.0f64; rows.len()];
    for (i, t) in traces(l)?.iter().enumerate() {
        let mut o = crate::energy::trace_options(l, t, &format!("energy.traces[{i}]"))?;
        o.start = Some(rows[0].0);
        o.end = Some(rows[rows.len() - 1].0);
        o.checkpoints = Some(rows.iter().map(|r| r.0).collect());
        let s = trace::read(&dir(l).join(&t.file), &o)?;
        for d in s.devices.iter().filter(|d| d.included) {
            let mut acc = 0.0;
            for (k, e) in d.bins_j.iter().enumerate() {
                acc += e;
                cum[k + 1] += acc;
            }
        }
    }
    Ok(Series {
        name: col.clone(),
        points: rows
            .iter()
            .zip(&cum)
            .map(|((_, v), e)| (*v, e / J_PER_KWH))
            .collect(),
    })
}
