//! Time-varying electricity in the assessment: the scenario's intensity series read
//! ([`prepare`]), the run's energy placed in time ([`place`]): a measured trace's energy
//! between the series' boundaries (read in the same pass as the energy, through the traces'
//! time bins), or a declared, TDP or extrapolated energy spread evenly between `run.start` and
//! `run.end`; then weighted by the intensity of its time. The GWP of the use phase is
//! E x PUE x the energy-weighted mean intensity; ADP and PE keep the static factors. The report
//! ([`report`]) gives the mean, its min and max over the run, what the static factor would have
//! given, and the lowest-carbon start within a window.

use crate::data::provenance::Trail;
use crate::electricity::intensity::weigh::{Piece, Weighed};
use crate::electricity::intensity::{utc_text, Series, SeriesSpec};
use crate::electricity::report::{BestStartReport, IntensityReport};
use crate::energy::inputs::{Inputs, TimeBins};
use crate::energy::{EnergyMethod, EnergyReport};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::format::num;
use crate::quantity::interval::Interval;
use crate::quantity::time::{self, Stamp};
use crate::quantity::units::{J_PER_KWH, S_PER_H};
use crate::quantity::zone::{Fold, Zone};
use crate::scenario::{Intensity, IntensityFormat, Loaded};

/// The scenario's intensity series, read, with what the assessment needs of it.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub series: Series,
    /// The zone of the run's times written without one, and the key that gave it.
    pub run_zone: Option<(Zone, String)>,
    /// The window of the lowest-carbon start, s.
    pub best_within_s: Option<f64>,
    /// The key or option that names the file.
    pub file_field: String,
    /// Whether the basis is the default one (Electricity Maps, none given).
    pub basis_defaulted: bool,
}

/// The option of the command line that sets `key` of `electricity.intensity`.
fn flag(key: &str) -> &'static str {
    match key {
        "file" => "--intensity",
        "format" => "--intensity-format",
        "basis" => "--intensity-basis",
        "time_zone" => "--intensity-time-zone",
        "run_time_zone" => "--run-time-zone",
        _ => "--best-start-within",
    }
}

/// How `key` is named in messages: the scenario's field or the option that set it.
fn name(i: &Intensity, key: &'static str) -> String {
    if i.given_on_command_line.contains(&key) {
        flag(key).to_string()
    } else {
        format!("electricity.intensity.{key}")
    }
}

/// An error at `key`: located in the scenario, or naming the option.
fn error_at(l: &Loaded, i: &Intensity, key: &'static str, msg: String, hint: &str) -> Error {
    if i.given_on_command_line.contains(&key) {
        Error::input(Diagnostic::new(format!("{}: {msg}", flag(key))).hint(hint))
    } else {
        l.error_at(
            &format!("electricity.intensity.{key}"),
            msg,
            Some(hint.into()),
        )
    }
}

const ZONE_HINT: &str =
    "write an IANA zone (Europe/Paris, America/New_York), an offset (+01:00, -05:00) or UTC";

fn zone_of(
    l: &Loaded,
    i: &Intensity,
    key: &'static str,
    v: &Option<String>,
) -> Result<Option<(Zone, String)>> {
    v.as_deref()
        .map(|z| match Zone::parse(z) {
            Some(zone) => Ok((zone, name(i, key))),
            None => Err(error_at(
                l,
                i,
                key,
                format!("unknown time zone \"{z}\""),
                ZONE_HINT,
            )),
        })
        .transpose()
}

/// The scenario's intensity series (with the command line's options applied), read and
/// checked; `None` without one.
pub fn prepare(l: &Loaded) -> Result<Option<Prepared>> {
    let Some(i) = &l.scenario.electricity.intensity else {
        return Ok(None);
    };
    let file = if i.given_on_command_line.contains(&"file") {
        i.file.clone()
    } else {
        l.file_at("electricity.intensity.file", &i.file)?
    };
    let zone = zone_of(l, i, "time_zone", &i.time_zone)?;
    let run_zone = zone_of(l, i, "run_time_zone", &i.run_time_zone)?;
    let best_within_s = match i.best_start_within_h {
        Some(h) if h.is_finite() && h > 0.0 && h <= 24.0 * 366.0 => Some(h * S_PER_H),
        Some(h) => {
            return Err(error_at(
                l,
                i,
                "best_start_within_h",
                format!(
                    "{} h: the window must be more than 0 h and at most a year",
                    num(h)
                ),
                "give the hours after the actual start within which to look, e.g. 24",
            ))
        }
        None => None,
    };
    let spec = SeriesSpec {
        format: i.format,
        basis: i.basis,
        zone: zone.clone(),
    };
    let series = Series::read(&file, &spec)?;
    if series.format == IntensityFormat::ElectricityMaps && zone.is_some() {
        return Err(error_at(
            l,
            i,
            "time_zone",
            "does not apply: Electricity Maps writes its times in UTC (its Datetime (UTC) column)"
                .into(),
            "leave the zone out",
        ));
    }
    if i.basis.is_some() && series.format != IntensityFormat::ElectricityMaps {
        return Err(error_at(
            l,
            i,
            "basis",
            format!(
                "applies to Electricity Maps exports only: {} is {}",
                file.display(),
                crate::choice::Choice::name(series.format)
            ),
            "leave basis out: the file has one intensity",
        ));
    }
    Ok(Some(Prepared {
        basis_defaulted: series.format == IntensityFormat::ElectricityMaps && i.basis.is_none(),
        series,
        run_zone,
        best_within_s,
        file_field: name(i, "file"),
    }))
}

/// The traces' time bins for a prepared series.
pub fn time_bins(p: &Prepared) -> TimeBins {
    TimeBins {
        edges: p.series.edges(),
        local_zone: p.run_zone.clone(),
    }
}

/// The intensity series of an assessment: read by the assessment, or prepared by its caller
/// with [`prepare`] (a caller that reads the traces on the series' time bins before assessing,
/// so that the series is read once).
#[derive(Clone, Copy, Debug)]
pub enum Given<'a> {
    ToRead,
    /// What [`prepare`] gave for the scenario assessed (`None`: it has no series).
    Prepared(Option<&'a Prepared>),
}

impl<'a> Given<'a> {
    /// The series prepared, read now (into `read`) if the caller did not.
    pub fn prepared(
        self,
        l: &Loaded,
        read: &'a mut Option<Prepared>,
    ) -> Result<Option<&'a Prepared>> {
        match self {
            // most scenarios have no series: nothing to read or move
            Given::ToRead if l.scenario.electricity.intensity.is_none() => Ok(None),
            Given::ToRead => {
                *read = prepare(l)?;
                Ok(read.as_ref())
            }
            Given::Prepared(p) if p.is_some() == l.scenario.electricity.intensity.is_some() => {
                Ok(p)
            }
            Given::Prepared(_) => Err(Error::Internal(
                "the intensity series prepared does not match the scenario's".into(),
            )),
        }
    }
}

/// The run's energy placed in time and weighted.
#[derive(Clone, Debug)]
pub struct Placed {
    pub pieces: Vec<Piece>,
    pub weighed: Weighed,
    /// The run's span, s since the series' origin.
    pub run: (f64, f64),
}

/// An instant given as text in the run's clock (a time with its zone, or local to `run_zone`).
fn instant(l: &Loaded, p: &Prepared, field: &str, text: &str) -> Result<Stamp> {
    let t = time::parse(text.as_bytes()).ok_or_else(|| {
        l.error_at(
            field,
            format!("cannot read \"{text}\" as a time"),
            Some("write 2024-06-12T10:00:00+02:00, 2024-06-12T08:00:00Z or Unix seconds".into()),
        )
    })?;
    if time::has_zone(text.as_bytes()) {
        return Ok(t);
    }
    let Some((z, _)) = &p.run_zone else {
        return Err(l.error_at(
            field,
            format!("the time \"{text}\" carries no zone: it cannot be placed on the intensity series"),
            Some("write it with its offset (2024-06-12T10:00:00+02:00 or ...Z), or give electricity.intensity.run_time_zone".into()),
        ));
    };
    z.instant(t, Fold::Earlier).map(|(t, _)| t).map_err(|_| {
        l.error_at(
            field,
            format!("the local time \"{text}\" does not exist in {}", z.name),
            Some("the clocks went forward over it: check the time".into()),
        )
    })
}

/// `run.start` and `run.end` (or `run.start` + `run.duration_h`), s since the series' origin.
fn run_window(
    l: &Loaded,
    p: &Prepared,
    method: EnergyMethod,
    trail: &mut Trail,
) -> Result<(f64, f64)> {
    let run = l.scenario.run.as_ref();
    let Some(start) = run.and_then(|r| r.start.as_ref()) else {
        return Err(l.error_at(
            if run.is_some() { "run" } else { "electricity.intensity" },
            format!("with a {} energy, the intensity series needs the run's start and end: the energy is spread evenly between them", method.key()),
            Some("give run.start and run.end (or run.start and run.duration_h), with their zone: 2024-06-12T08:00:00Z".into()),
        ));
    };
    let a = instant(l, p, "run.start", &start.0)?;
    let duration_h = run.map(|r| r.duration_h.0.value);
    let b = match (run.and_then(|r| r.end.as_ref()), duration_h) {
        (Some(end), d) => {
            let b = instant(l, p, "run.end", &end.0)?;
            let h = b.since(a.secs) / S_PER_H - a.frac / S_PER_H;
            if h <= 0.0 {
                return Err(l.error_at(
                    "run.end",
                    format!("run.end {} is not after run.start {}", end.0, start.0),
                    Some("check the run's times".into()),
                ));
            }
            if let Some(d) = d.filter(|d| (h - d).abs() > 0.01 * d) {
                trail.warn(format!(
                    "run.start to run.end is {} h but run.duration_h is {} h: the energy is placed between start and end",
                    num(h),
                    num(d)
                ));
            }
            b
        }
        (None, Some(d)) => {
            trail.assume(format!(
                "run.end not given: run.start + run.duration_h ({} h)",
                num(d)
            ));
            Stamp::from_f64(a.secs as f64 + a.frac + d * S_PER_H)
        }
        (None, None) => {
            return Err(l.error_at(
                "run",
                "the run's end is not given",
                Some("give run.end or run.duration_h".into()),
            ))
        }
    };
    let (ra, rb) = (p.series.rel(a), p.series.rel(b));
    trail.assume(format!(
        "electricity: the {} energy spread evenly from {} to {} (run.start, run.end)",
        method.key(),
        utc_text(a),
        utc_text(b)
    ));
    Ok((ra, rb))
}

/// The first and last sample of a trace's counted devices, as instants.
fn trace_span(
    s: &crate::energy::trace::TraceSummary,
    zone: Option<&Zone>,
) -> Option<(Stamp, Stamp)> {
    let at = |t: &Option<String>| -> Option<Stamp> {
        let local = time::parse(t.as_deref()?.as_bytes())?;
        match zone {
            Some(z) => z.instant(local, Fold::Earlier).ok().map(|(t, _)| t),
            None => Some(local),
        }
    };
    let mut span: Option<(Stamp, Stamp)> = None;
    for d in s.devices.iter().filter(|d| d.included) {
        let (Some(a), Some(b)) = (at(&d.start), at(&d.end)) else {
            continue;
        };
        span = Some(match span {
            None => (a, b),
            Some((x, y)) => (
                if a.since(x.secs) < x.frac { a } else { x },
                if b.since(y.secs) > y.frac { b } else { y },
            ),
        });
    }
    span
}

/// The run's energy placed in time (measured traces between the series' boundaries, anything
/// else spread evenly over the run), checked to be covered by the series, and weighted.
pub fn place(
    l: &Loaded,
    p: &Prepared,
    energy: &EnergyReport,
    energy_kwh: f64,
    inputs: Option<&Inputs>,
    trail: &mut Trail,
) -> Result<Placed> {
    let series = &p.series;
    let mut pieces = Vec::new();
    if energy.method == EnergyMethod::Measured {
        let inputs = inputs.ok_or_else(|| {
            Error::Internal("the traces were not read with the series' bins".into())
        })?;
        if inputs.trace_bins.len() != inputs.traces.len() {
            return Err(Error::Internal(
                "the traces were not read with the series' bins".into(),
            ));
        }
        for (i, ((s, tb), used)) in inputs
            .traces
            .iter()
            .zip(&inputs.trace_bins)
            .zip(&energy.traces)
            .enumerate()
        {
            let used_kwh = used.energy_kwh.value;
            let span = trace_span(s, tb.zone.as_ref());
            if let Some(z) = &tb.zone {
                trail.assume(format!(
                    "{}: times read in {} ({})",
                    s.file,
                    z.name,
                    p.run_zone.as_ref().map_or("", |(_, k)| k.as_str())
                ));
            }
            let (Some((a, b)), false) = (span, s.time_bins_j.is_empty()) else {
                // run totals (no samples in time): spread evenly over the trace's span or the run
                let (ra, rb) = match span {
                    Some((a, b)) => (series.rel(a), series.rel(b)),
                    None => run_window(l, p, EnergyMethod::Measured, trail)?,
                };
                trail.assume(format!(
                    "{}: run totals, the energy spread evenly over the run",
                    s.file
                ));
                pieces.push(Piece {
                    start_s: ra,
                    end_s: rb,
                    energy_kwh: used_kwh,
                });
                continue;
            };
            let (ra, rb) = (series.rel(a), series.rel(b));
            if let Some((x, y)) = series.uncovered(ra, rb) {
                return Err(not_covered(
                    l,
                    p,
                    series,
                    x,
                    y,
                    &format!(" (trace {}, energy.traces[{i}])", s.file),
                ));
            }
            let total_j: f64 = s.time_bins_j.iter().sum();
            let total_kwh = s.energy_kwh.value;
            if (total_j / J_PER_KWH - total_kwh).abs() > 1e-6 * total_kwh.abs() + 1e-12 {
                return Err(Error::Internal(format!(
                    "{}: the energy between the series' boundaries ({} kWh) is not the trace's ({} kWh)",
                    s.file,
                    total_j / J_PER_KWH,
                    total_kwh
                )));
            }
            let scale = if total_kwh > 0.0 {
                used_kwh / total_kwh
            } else {
                0.0
            };
            for (k, e) in s.time_bins_j.iter().enumerate() {
                let (Some(x), Some(y)) = (tb.edges.get(k), tb.edges.get(k + 1)) else {
                    continue;
                };
                let (x, y) = (series.rel(*x).max(ra), series.rel(*y).min(rb));
                if y > x {
                    pieces.push(Piece {
                        start_s: x,
                        end_s: y,
                        energy_kwh: e / J_PER_KWH * scale,
                    });
                }
            }
        }
    } else {
        let (a, b) = run_window(l, p, energy.method, trail)?;
        pieces.push(Piece {
            start_s: a,
            end_s: b,
            energy_kwh,
        });
    }
    let run = pieces
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x.start_s), b.max(x.end_s))
        });
    if run.0.partial_cmp(&run.1) != Some(std::cmp::Ordering::Less) {
        return Err(l.error_at(
            &p.file_field,
            "the run has no span in time to place on the intensity series",
            Some("give the run's start and end".into()),
        ));
    }
    let weighed = series
        .weigh(&pieces, 0.0)
        .map_err(|u| not_covered(l, p, series, u.start_s, u.end_s, ""))?;
    Ok(Placed {
        pieces,
        weighed,
        run,
    })
}

/// The error of a run the series does not cover, naming the gap.
fn not_covered(l: &Loaded, p: &Prepared, series: &Series, a: f64, b: f64, what: &str) -> Error {
    let msg = format!(
        "the intensity series does not cover the run{what}: {}",
        series.gap_text(a, b)
    );
    let hint = "give a series over the whole run (its times in UTC or with their zone), or check the run's times and zones";
    if p.file_field.starts_with("--") {
        Error::input(Diagnostic::new(msg).file(&series.file).hint(hint))
    } else {
        l.error_at(&p.file_field, msg, Some(hint.into()))
    }
}

/// The report of the intensity, and its assumptions: `use_gwp` is the GWP of the use phase per
/// FU from the series, `grid_kwh_per_fu` the energy drawn from the grid per FU (E x PUE / count).
pub fn report(
    p: &Prepared,
    placed: &Placed,
    static_gwp: Interval,
    use_gwp: Interval,
    grid_kwh_per_fu: Interval,
    location: &str,
    trail: &mut Trail,
) -> IntensityReport {
    let s = &p.series;
    let w = &placed.weighed;
    let mean = w.mean_g_per_kwh();
    let basis = match (s.basis, p.basis_defaulted) {
        (Some(b), false) => format!(", {}", crate::choice::Choice::name(b)),
        (Some(b), true) => format!(
            ", {} (the default, as the static factors)",
            crate::choice::Choice::name(b)
        ),
        (None, _) => String::new(),
    };
    trail.assume(format!(
        "electricity GWP of the use phase from the intensity series {} ({}{basis}; {}; resolution {} s): energy-weighted mean {} gCO2eq/kWh over the run (min {}, max {}); ADP and PE from the static factors of {location}",
        s.file.display(),
        crate::choice::Choice::name(s.format),
        s.zone_note,
        num(s.resolution_s),
        num(mean),
        num(w.min_g_per_kwh),
        num(w.max_g_per_kwh),
    ));
    for n in &s.notes {
        trail.assume(format!("{}: {n}", s.file.display()));
    }
    trail.assume("electricity: each interval's energy is weighted by the intensity of its time; the energy's range scales the weighted GWP (its profile in time is taken as measured)".to_string());
    let static_use = grid_kwh_per_fu.times(static_gwp);
    trail.assume(format!(
        "electricity: the static GWP factor of {location}, {} gCO2eq/kWh, would give {} kgCO2eq for the use phase instead of {}",
        num(static_gwp.value * 1000.0),
        num(static_use.value),
        num(use_gwp.value)
    ));
    let best_start = p.best_within_s.and_then(|within| {
        let b = s.best_start(&placed.pieces, within)?;
        let ratio = if w.gwp_g > 0.0 { b.weighed.gwp_g / w.gwp_g } else { 1.0 };
        let best_use = use_gwp.value * ratio;
        let saving = use_gwp.value - best_use;
        let start = s.stamp(placed.run.0 + b.shift_s);
        let end = s.stamp(placed.run.1 + b.shift_s);
        if let Some(c) = b.covered_to_s {
            trail.warn(format!(
                "the intensity series ends before the window of the lowest-carbon start: starts up to {} h after the actual one were tried, not {} h",
                num(c / S_PER_H),
                num(within / S_PER_H)
            ));
        }
        Some(BestStartReport {
            within_h: within / S_PER_H,
            step_s: s.resolution_s,
            starts_tried: b.tried,
            series_covers_starts_to_h: b.covered_to_s.map(|c| c / S_PER_H),
            start: utc_text(start),
            end: utc_text(end),
            delay_h: b.shift_s / S_PER_H,
            energy_weighted_gco2eq_per_kwh: b.weighed.mean_g_per_kwh(),
            use_gwp_kgco2eq: best_use,
            saving_kgco2eq: saving,
            saving_percent: if use_gwp.value > 0.0 { 100.0 * saving / use_gwp.value } else { 0.0 },
        })
    });
    let (s0, s1) = s.span();
    IntensityReport {
        file: s.file.display().to_string(),
        format: s.format,
        basis: s.basis,
        times: s.zone_note.clone(),
        resolution_s: s.resolution_s,
        series_start: utc_text(s.stamp(s0)),
        series_end: utc_text(s.stamp(s1)),
        run_start: utc_text(s.stamp(placed.run.0)),
        run_end: utc_text(s.stamp(placed.run.1)),
        energy_weighted_gco2eq_per_kwh: mean,
        min_gco2eq_per_kwh: w.min_g_per_kwh,
        max_gco2eq_per_kwh: w.max_g_per_kwh,
        static_gwp_kgco2eq_per_kwh: static_gwp,
        use_gwp_kgco2eq: use_gwp,
        static_use_gwp_kgco2eq: static_use,
        best_start,
    }
}
