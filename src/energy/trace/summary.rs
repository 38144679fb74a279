//! The summary of a read trace: per device, its energy E = integral of P dt (kWh, an interval
//! from the integration bounds), its dynamic energy E - P_idle x T (P_idle in W, T the covered
//! seconds), mean and max power (W), samples, gaps; the totals of the included devices by
//! component; and the devices left out because they would count energy twice (Alumet power
//! beside energy, Jetson rails beside the input rail, two Kwollect metrics of one node).

use super::formats::{alumet_estimated, alumet_estimates, DeviceInfo};
use super::integrate::{Ctx, Rows, Signal};
use super::read::{Bins, Entry};
use super::{file_error, DeviceSummary, TraceComponent, TraceOptions, TraceSummary};
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::quantity::interval::Interval;
use crate::quantity::time;
use crate::quantity::units::J_PER_KWH;
use crate::scenario::InputFormat;
use std::collections::BTreeMap;
use std::path::Path;

#[allow(clippy::too_many_arguments)]
pub(super) fn finish(
    path: &Path,
    format: InputFormat,
    mut entries: Vec<(Entry, DeviceInfo)>,
    rows: u64,
    missing: Rows,
    skipped: BTreeMap<&'static str, Rows>,
    mut assumptions: Vec<String>,
    opts: &TraceOptions,
    ctx: &Ctx,
    origin: i64,
    bins: &Bins,
) -> Result<TraceSummary> {
    let mut warnings = Vec::new();
    // Alumet: a GPU's power series beside its energy counter would count it twice.
    let energy_groups: Vec<String> = entries
        .iter()
        .filter(|(_, i)| i.signal != Signal::Power && !i.group.is_empty())
        .map(|(_, i)| i.group.clone())
        .collect();
    for (_, info) in entries.iter_mut() {
        if info.signal == Signal::Power
            && info.excluded.is_none()
            && energy_groups.contains(&info.group)
            && format == InputFormat::Alumet
        {
            info.excluded = Some(
                "a power series of a device whose energy is also reported: the energy is used"
                    .into(),
            );
        }
    }
    // Alumet: estimates beside what they would count twice; the first delta of each series.
    if format == InputFormat::Alumet {
        alumet(path, &mut entries, &mut assumptions, ctx)?;
    }
    // Jetson through Alumet: rails are left out only where the input rail is there.
    if format == InputFormat::Alumet
        && !entries
            .iter()
            .any(|(_, i)| i.component == TraceComponent::Node && i.excluded.is_none())
    {
        for (_, info) in entries.iter_mut() {
            if info.component == TraceComponent::Rail {
                info.excluded = None;
            }
        }
    }
    // Kwollect: two power metrics of one node must not both be added.
    if format == InputFormat::Kwollect && opts.metric.is_none() {
        let mut per: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (e, i) in &entries {
            per.entry(i.group.as_str())
                .or_default()
                .push(String::from_utf8_lossy(&e.key[1]).to_string());
        }
        if let Some((dev, metrics)) = per.iter().find(|(_, m)| m.len() > 1) {
            return Err(file_error(
                path,
                format!("kwollect: node {dev} has {} power metrics ({}); adding them would count its power twice", metrics.len(), metrics.join(", ")),
                "choose one with `metric` (e.g. wattmetre_power_watt for the external wattmeter)",
            ));
        }
    }

    outside_window(path, &entries, opts, ctx, origin)?;

    let mut devices = Vec::new();
    let mut estimated_total: Option<Interval> = None;
    let mut total = Interval::ZERO;
    let mut time_bins_j: Vec<f64> = Vec::new();
    let mut dynamic_total = Interval::ZERO;
    let mut any_dynamic = false;
    let mut by_component: BTreeMap<TraceComponent, Interval> = BTreeMap::new();
    let mut duration = 0.0f64;
    let mut n_gaps = 0;
    for (e, info) in &entries {
        let d = &e.device;
        let fin = d.finish(opts.gap_threshold_s, opts.gap_policy);
        let covered = d.acc.covered_s.value();
        let energy_j = fin.energy_j;
        // divided, not multiplied by 1 / 3.6e6: 36,000 J is 0.01 kWh to the last digit
        let energy_kwh = energy_j.map_monotone(|j| j / J_PER_KWH);
        let mean = if covered > 0.0 {
            energy_j.value / covered
        } else {
            0.0
        };
        let max = if d.acc.max_w.is_finite() {
            d.acc.max_w
        } else {
            mean
        };
        let included = info.excluded.is_none();
        let idle_w = match (opts.idle_power_w, ctx.idle) {
            (Some(w), _) => Some(w),
            (None, Some(_)) => {
                if d.acc.idle_s.value() <= 0.0 {
                    if included {
                        return Err(file_error(
                            path,
                            format!("device \"{}\" has no sample in the idle segment", d.key),
                            "check idle_start and idle_end against the trace's times",
                        ));
                    }
                    None
                } else {
                    Some(d.acc.idle_energy_j.value() / d.acc.idle_s.value())
                }
            }
            (None, None) => None,
        };
        let dynamic = idle_w.map(|w| {
            let idle_j = w * covered;
            let dj = energy_j.map_monotone(move |x| (x - idle_j).max(0.0));
            if energy_j.value - idle_j < 0.0 {
                warnings.push(format!("device \"{}\": idle power {w:.3} W x {covered:.1} s exceeds its energy; dynamic energy set to 0", d.key));
            }
            dj.scale(1.0 / J_PER_KWH)
        });
        if covered <= 0.0 && included {
            warnings.push(format!(
                "device \"{}\" has no interval inside the window",
                d.key
            ));
        }
        if !fin.gaps.is_empty() {
            n_gaps += fin.gaps.len();
            let rows: Vec<String> = fin
                .gaps
                .iter()
                .take(5)
                .map(|g| format!("{:.1} s before row {}", g.duration_s, g.row))
                .collect();
            let more = if fin.gaps.len() > 5 { ", ..." } else { "" };
            let how = match (d.signal, opts.gap_policy) {
                (Signal::Power, p) => format!("policy {}", p.key()),
                _ => "the counter covers them".into(),
            };
            warnings.push(format!(
                "device \"{}\": {} gap(s) longer than {:.3} s ({}{more}); {how}",
                d.key,
                fin.gaps.len(),
                fin.threshold_s,
                rows.join(", ")
            ));
        }
        if d.acc.duplicates.count > 0 {
            warnings.push(format!(
                "device \"{}\": duplicate timestamp(s) skipped: {}",
                d.key,
                d.acc.duplicates.describe()
            ));
        }
        if d.acc.wraps.count > 0 {
            assumptions.push(format!(
                "device \"{}\": counter wrapped at its range and was unwrapped: {}",
                d.key,
                d.acc.wraps.describe()
            ));
        }
        if d.acc.candidates_dropped > 0 {
            warnings.push(format!("device \"{}\": more than 100,000 long intervals; only the first are listed as gaps", d.key));
        }
        let estimated = format == InputFormat::Alumet && alumet_estimated(&e.key[0]);
        // an estimate left out is said once, in the assumptions
        if let (Some(why), false) = (&info.excluded, estimated) {
            warnings.push(format!(
                "device \"{}\" ({}) not added to the totals: {why}",
                d.key, info.component
            ));
        }
        if included && estimated {
            estimated_total = Some(estimated_total.unwrap_or(Interval::ZERO) + energy_kwh);
        }
        if included {
            let bins_j = Bins::regroup(&bins.time, &d.bins_j());
            if time_bins_j.is_empty() {
                time_bins_j = bins_j;
            } else {
                for (t, e) in time_bins_j.iter_mut().zip(bins_j) {
                    *t += e;
                }
            }
            total = total + energy_kwh;
            *by_component.entry(info.component).or_insert(Interval::ZERO) = by_component
                .get(&info.component)
                .copied()
                .unwrap_or(Interval::ZERO)
                + energy_kwh;
            duration = duration.max(covered);
            if let Some(dy) = dynamic {
                dynamic_total = dynamic_total + dy;
                any_dynamic = true;
            }
        }
        let stamp_of = |t: Option<f64>| t.map(|t| time::format(origin as f64 + t));
        let first_in = d.first.map(|p| p.t.max(ctx.window.start));
        let last_in = d.last.map(|p| p.t.min(ctx.window.end));
        devices.push(DeviceSummary {
            device: d.key.clone(),
            component: info.component,
            name: e.label.clone(),
            signal: d.signal,
            included,
            excluded_because: info.excluded.clone(),
            estimated,
            energy_kwh,
            dynamic_energy_kwh: dynamic,
            idle_power_w: idle_w,
            duration_s: covered,
            mean_power_w: mean,
            max_power_w: max,
            samples: d.acc.samples,
            median_interval_s: fin.median_interval_s,
            gap_threshold_s: fin.threshold_s.is_finite().then_some(fin.threshold_s),
            gaps: fin.gaps,
            start: stamp_of(first_in),
            end: stamp_of(last_in),
            bins_j: Bins::regroup(&bins.user, &d.bins_j()),
            power_bins_j: Bins::regroup(&bins.power, &d.bins_j()),
        });
    }
    if missing.count > 0 {
        warnings.push(format!(
            "{} row(s) with a missing value ([N/A], [Not Supported], OFF or empty) not used: {}",
            missing.count,
            missing.describe()
        ));
    }
    for (why, r) in &skipped {
        assumptions.push(format!("{} row(s) skipped: {why}", r.count));
    }
    if total.value == 0.0 && !devices.iter().any(|d| d.included) {
        return Err(file_error(
            path,
            "no device of the trace counts in the totals",
            "see the devices listed by `mlca trace summary`",
        ));
    }
    Ok(TraceSummary {
        file: path.display().to_string(),
        format,
        rows,
        window_start: opts.start.map(|s| time::format(s.secs as f64 + s.frac)),
        window_end: opts.end.map(|s| time::format(s.secs as f64 + s.frac)),
        energy_kwh: total,
        dynamic_energy_kwh: any_dynamic.then_some(dynamic_total),
        by_component,
        duration_s: duration,
        gap_policy: opts.gap_policy,
        gaps: n_gaps,
        devices,
        runs: Vec::new(),
        water_l: None,
        wue_l_per_kwh: None,
        estimated_energy_kwh: estimated_total,
        assumptions,
        warnings,
        power_bin_s: bins.power_bin_s,
        time_bins_j,
    })
}

/// Alumet: its estimates beside what they would count twice ([`alumet_estimates`]), and the
/// first delta of each series counted over one period before it (its energy covers that
/// interval; [`super::integrate::Device::count_first_delta`]).
fn alumet(
    path: &Path,
    entries: &mut [(Entry, DeviceInfo)],
    assumptions: &mut Vec<String>,
    ctx: &Ctx,
) -> Result<()> {
    let mut keyed: Vec<([&[u8]; 4], &mut DeviceInfo)> = entries
        .iter_mut()
        .map(|(e, i)| {
            (
                [&e.key[0][..], &e.key[1][..], &e.key[2][..], &e.key[3][..]],
                i,
            )
        })
        .collect();
    assumptions.extend(alumet_estimates(&mut keyed));
    let mut firsts = 0;
    for (e, _) in entries.iter_mut() {
        if e.device.signal == Signal::Delta && e.device.first.is_some() {
            firsts += 1;
        }
        e.device
            .count_first_delta(ctx)
            .map_err(|err| super::row_error(path, err, None))?;
    }
    if firsts > 0 {
        assumptions.push("alumet: the first energy of each series covers the interval before it: counted over the series' period".into());
    }
    Ok(())
}

/// A window (start and end, or a training log's span) entirely outside the samples of the
/// trace's counted devices is an error naming both spans, not a warning per device and 0 kWh.
fn outside_window(
    path: &Path,
    entries: &[(Entry, DeviceInfo)],
    opts: &TraceOptions,
    ctx: &Ctx,
    origin: i64,
) -> Result<()> {
    let w = ctx.window;
    if !w.start.is_finite() && !w.end.is_finite() {
        return Ok(());
    }
    let counted: Vec<&Entry> = entries
        .iter()
        .filter(|(_, i)| i.excluded.is_none())
        .map(|(e, _)| e)
        .collect();
    let mut span: Option<(f64, f64)> = None;
    for e in &counted {
        if let (Some(a), Some(b)) = (e.device.first, e.device.last) {
            span = Some(match span {
                None => (a.t, b.t),
                Some((x, y)) => (x.min(a.t), y.max(b.t)),
            });
        }
    }
    let Some((a, b)) = span else {
        return Ok(());
    };
    if w.end > a && w.start < b {
        return Ok(());
    }
    let at = |t: f64| {
        if t.is_finite() {
            time::format(origin as f64 + t)
        } else {
            "open".to_string()
        }
    };
    let (what, field) = match &opts.window_from {
        Some(log) => (
            format!("the training log {}", log.display()),
            "training_log",
        ),
        None => ("the window".to_string(), "start and end"),
    };
    let kind = ErrorKind::WindowOutsideTrace {
        what,
        window: format!("{} to {}", at(w.start), at(w.end)),
        trace: format!("{} to {}", at(a), at(b)),
    };
    Err(Error::input(Diagnostic::of(kind).file(path).hint(format!(
        "check {field} against the trace's times: is it the trace of this run?"
    ))))
}
