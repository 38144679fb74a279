//! Time-varying electricity: a carbon-intensity series (gCO2eq/kWh by time) read from Electricity
//! Maps' CSV export, RTE eCO2mix's French export or a plain `time,gwp_g_per_kwh` CSV
//! ([`formats`]), checked (times increasing, no duplicate, intensities finite and >= 0, every
//! time in a known zone), and cut into steps: each row's intensity holds from its time to the
//! next row's, or for the series' resolution (its most common step) when the next row is
//! further: the rest is a gap the series does not cover ([`Series::uncovered`]).
//!
//! [`weigh`] weights energy placed in time by the intensity of its time, and finds the
//! lowest-carbon start of the same run within a window.

pub mod formats;
pub mod weigh;

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time::{self, Stamp};
use crate::quantity::zone::{Fold, LocalError, Zone};
use crate::scenario::{IntensityBasis, IntensityFormat};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Series files opened by [`Series::read`] since the program started (instrumentation: a
/// command must not read the series twice, once for the traces' time bins and once to assess).
static READS: AtomicUsize = AtomicUsize::new(0);

/// How many series files [`Series::read`] has opened since the program started.
pub fn reads() -> usize {
    READS.load(Ordering::Relaxed)
}

/// The largest series file mlca reads (a year of eCO2mix quarter-hours is about 5 MB).
pub const MAX_SERIES_BYTES: u64 = 64 * 1024 * 1024;

/// One row of a series as its format reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Line in the file (the header is line 1).
    pub line: usize,
    /// The time as written: an instant, or a local time read as if UTC (`zoned` false).
    pub t: Stamp,
    pub zoned: bool,
    pub g_per_kwh: f64,
}

/// What a format read: rows, the zone its local times are in (when the format says), notes.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    /// The zone the format puts its local times in, and why ("the header's Datetime (UTC)").
    pub zone: Option<(Zone, String)>,
    /// What the reader assumed or skipped, for the report.
    pub notes: Vec<String>,
}

/// A step of the series: `g_per_kwh` from `start_s` to `end_s` (s since [`Series::origin`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub start_s: f64,
    pub end_s: f64,
    pub g_per_kwh: f64,
    /// The row's line in the file.
    pub line: usize,
}

/// An intensity series, read and checked.
#[derive(Clone, Debug)]
pub struct Series {
    pub file: PathBuf,
    pub format: IntensityFormat,
    /// The column read (Electricity Maps).
    pub basis: Option<IntensityBasis>,
    /// How the times were placed: the file's offsets, or a zone and where it comes from.
    pub zone_note: String,
    /// Whole seconds since 1970 that step times count from.
    pub origin: i64,
    /// The covered steps, increasing; gaps between them are not covered.
    pub steps: Vec<Step>,
    /// The most common step between rows, s.
    pub resolution_s: f64,
    pub notes: Vec<String>,
}

/// How a series is to be read.
#[derive(Clone, Debug, Default)]
pub struct SeriesSpec {
    pub format: Option<IntensityFormat>,
    pub basis: Option<IntensityBasis>,
    /// The zone of times written without one, and the key or option that gave it.
    pub zone: Option<(Zone, String)>,
}

/// An error at a line of the series file.
pub(crate) fn at_line(path: &Path, line: usize, msg: impl Into<String>, hint: &str) -> Error {
    let mut d = Diagnostic::new(msg).file(path).hint(hint);
    d.line = Some(line);
    Error::input(d)
}

impl Series {
    /// Read and check the series in `path`.
    pub fn read(path: &Path, spec: &SeriesSpec) -> Result<Series> {
        READS.fetch_add(1, Ordering::Relaxed);
        let bytes = crate::data::read::read_bytes(path, "intensity series", MAX_SERIES_BYTES)?;
        let (format, parsed) = formats::parse(path, &bytes, spec)?;
        Series::from_rows(path, format, spec, parsed)
    }

    /// The series of rows a format read: times placed in their zone, checked, cut into steps.
    pub fn from_rows(
        path: &Path,
        format: IntensityFormat,
        spec: &SeriesSpec,
        parsed: Parsed,
    ) -> Result<Series> {
        let Parsed { rows, zone, notes } = parsed;
        if rows.len() < 2 {
            return Err(at_line(
                path,
                rows.first().map_or(2, |r| r.line + 1),
                format!(
                    "the intensity series has {} data row(s): at least two are needed to know its resolution",
                    rows.len()
                ),
                "give the series over the whole run, one row per step (hour, quarter-hour)",
            ));
        }
        // a zone given by the user applies to local times; the format's own zone otherwise
        let zone = spec.zone.clone().or(zone);
        let mut times: Vec<(Stamp, &Row)> = Vec::with_capacity(rows.len());
        let mut any_local = false;
        for r in &rows {
            let t = if r.zoned {
                r.t
            } else {
                any_local = true;
                let Some((z, _)) = &zone else {
                    return Err(at_line(
                        path,
                        r.line,
                        format!(
                            "the time {} carries no zone (no Z or offset): the series cannot be placed in time",
                            local_text(r.t)
                        ),
                        "give electricity.intensity.time_zone (or --intensity-time-zone): an IANA zone (Europe/Paris), an offset (+01:00) or UTC",
                    ));
                };
                let place = |fold| {
                    match z.instant(r.t, fold) {
                    Ok((t, folded)) => Ok((t, folded)),
                    Err(LocalError::Gap) => Err(at_line(
                        path,
                        r.line,
                        format!(
                            "the local time {} does not exist in {}: the clocks went forward over it",
                            local_text(r.t),
                            z.name
                        ),
                        "check the row: a series in local time skips the hour of the change to summer time",
                    )),
                    Err(LocalError::Range) => Err(at_line(
                        path,
                        r.line,
                        format!("the time {} is outside the zone database's years", local_text(r.t)),
                        "check the date",
                    )),
                }
                };
                let (mut t, folded) = place(Fold::Earlier)?;
                // in an autumn fold, a time not after the previous row's is the second pass
                if folded && times.last().is_some_and(|(p, _)| !after(t, *p)) {
                    t = place(Fold::Later)?.0;
                }
                t
            };
            if let Some((p, pr)) = times.last() {
                if !after(t, *p) {
                    let same = t == *p;
                    return Err(at_line(
                        path,
                        r.line,
                        if same {
                            format!(
                                "duplicate time {} (line {} has it too)",
                                utc_text(t),
                                pr.line
                            )
                        } else {
                            format!(
                                "the times go back: {} after {} (line {})",
                                utc_text(t),
                                utc_text(*p),
                                pr.line
                            )
                        },
                        "the rows of a series are in increasing time order, one row per time",
                    ));
                }
            }
            if !r.g_per_kwh.is_finite() || r.g_per_kwh < 0.0 {
                return Err(at_line(
                    path,
                    r.line,
                    format!(
                        "the intensity {} gCO2eq/kWh is not a number of zero or more",
                        r.g_per_kwh
                    ),
                    "an intensity is in gCO2eq/kWh, zero or more",
                ));
            }
            times.push((t, r));
        }
        let origin = times[0].0.secs;
        let rel: Vec<f64> = times.iter().map(|(t, _)| t.since(origin)).collect();
        let resolution_s = most_common_step(&rel);
        let mut steps = Vec::with_capacity(rel.len());
        for (i, (t0, r)) in rel
            .iter()
            .zip(&times)
            .map(|(t, (_, r))| (*t, *r))
            .enumerate()
        {
            let end = rel
                .get(i + 1)
                .map_or(t0 + resolution_s, |n| n.min(t0 + resolution_s));
            steps.push(Step {
                start_s: t0,
                end_s: end,
                g_per_kwh: r.g_per_kwh,
                line: r.line,
            });
        }
        let zone_note = match (&zone, any_local) {
            (Some((z, why)), true) => format!("local times in {} ({why})", z.name),
            _ => "times with their offsets".to_string(),
        };
        Ok(Series {
            file: path.to_path_buf(),
            format,
            basis: (format == IntensityFormat::ElectricityMaps)
                .then(|| spec.basis.unwrap_or(IntensityBasis::LifeCycle)),
            zone_note,
            origin,
            steps,
            resolution_s,
            notes,
        })
    }

    /// The instant `s` seconds after the origin.
    pub fn stamp(&self, s: f64) -> Stamp {
        let whole = s.floor();
        Stamp {
            secs: self.origin + whole as i64,
            frac: s - whole,
        }
    }

    /// Seconds since the origin of the instant `t`.
    pub fn rel(&self, t: Stamp) -> f64 {
        t.since(self.origin)
    }

    /// The series' first and last covered instants, s since the origin.
    pub fn span(&self) -> (f64, f64) {
        (
            self.steps.first().map_or(0.0, |s| s.start_s),
            self.steps.last().map_or(0.0, |s| s.end_s),
        )
    }

    /// The edges of the steps, increasing (a gap's ends included), as instants.
    pub fn edges(&self) -> Vec<Stamp> {
        let mut out: Vec<f64> = Vec::with_capacity(self.steps.len() + 1);
        for s in &self.steps {
            for x in [s.start_s, s.end_s] {
                if out.last().is_none_or(|l| *l < x) {
                    out.push(x);
                }
            }
        }
        out.into_iter().map(|s| self.stamp(s)).collect()
    }

    /// The first part of `[a, b)` (s since the origin) no step covers, if any.
    pub fn uncovered(&self, a: f64, b: f64) -> Option<(f64, f64)> {
        let mut at = a;
        let first = self.steps.partition_point(|s| s.end_s <= a);
        for s in &self.steps[first..] {
            if at >= b {
                return None;
            }
            if s.start_s > at {
                return Some((at, s.start_s.min(b)));
            }
            at = at.max(s.end_s);
        }
        (at < b).then_some((at, b))
    }

    /// The gap `[a, b)` in words, with the series' span.
    pub fn gap_text(&self, a: f64, b: f64) -> String {
        let (s0, s1) = self.span();
        let side = if b <= s0 {
            "before the series starts"
        } else if a >= s1 {
            "after the series ends"
        } else {
            "in a gap of the series"
        };
        format!(
            "{} to {} is {side} (the series covers {} to {})",
            utc_text(self.stamp(a)),
            utc_text(self.stamp(b)),
            utc_text(self.stamp(s0)),
            utc_text(self.stamp(s1))
        )
    }
}

/// Whether `a` is strictly after `b`.
fn after(a: Stamp, b: Stamp) -> bool {
    a.since(b.secs) > b.frac
}

/// An instant as the report writes it: ISO 8601 UTC, to the second when whole.
pub fn utc_text(t: Stamp) -> String {
    let s = time::format(t.secs as f64 + t.frac);
    format!("{}Z", s.strip_suffix(".000").unwrap_or(&s))
}

/// A local time as written (no zone).
fn local_text(t: Stamp) -> String {
    let s = time::format(t.secs as f64 + t.frac);
    s.strip_suffix(".000").unwrap_or(&s).replace('T', " ")
}

/// The most common positive difference between consecutive times (the smallest on a tie), s.
fn most_common_step(t: &[f64]) -> f64 {
    let mut steps: Vec<f64> = t
        .windows(2)
        .map(|w| ((w[1] - w[0]) * 1000.0).round() / 1000.0)
        .collect();
    steps.sort_by(f64::total_cmp);
    let (mut best, mut best_n) = (steps.first().copied().unwrap_or(0.0), 0usize);
    let mut i = 0;
    while i < steps.len() {
        let j = steps[i..].partition_point(|x| *x == steps[i]) + i;
        if j - i > best_n {
            best = steps[i];
            best_n = j - i;
        }
        i = j;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, t: &str, g: f64) -> Row {
        let s = time::parse(t.as_bytes()).unwrap_or_else(|| panic!("{t}"));
        Row {
            line,
            t: s,
            zoned: time::has_zone(t.as_bytes()),
            g_per_kwh: g,
        }
    }

    fn series(rows: Vec<Row>, zone: Option<&str>) -> Result<Series> {
        let spec = SeriesSpec {
            zone: zone.and_then(Zone::parse).map(|z| (z, "test".to_string())),
            ..SeriesSpec::default()
        };
        Series::from_rows(
            Path::new("s.csv"),
            IntensityFormat::Plain,
            &spec,
            Parsed {
                rows,
                ..Parsed::default()
            },
        )
    }

    fn err(r: Result<Series>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn rows_become_steps_of_the_resolution_with_gaps() {
        // hourly, one hour missing after 02:00: the 02:00 row holds one hour, 03:00-04:00 is a gap
        let s = series(
            vec![
                row(2, "2024-06-12T00:00:00Z", 50.0),
                row(3, "2024-06-12T01:00:00Z", 60.0),
                row(4, "2024-06-12T02:00:00Z", 70.0),
                row(5, "2024-06-12T04:00:00Z", 80.0),
            ],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.resolution_s, 3600.0);
        let ends: Vec<(f64, f64)> = s.steps.iter().map(|x| (x.start_s, x.end_s)).collect();
        assert_eq!(
            ends,
            [
                (0.0, 3600.0),
                (3600.0, 7200.0),
                (7200.0, 10800.0),
                (14400.0, 18000.0)
            ]
        );
        assert_eq!(s.uncovered(0.0, 10800.0), None);
        assert_eq!(s.uncovered(9000.0, 15000.0), Some((10800.0, 14400.0)));
        assert_eq!(s.uncovered(-60.0, 100.0), Some((-60.0, 0.0)));
        assert_eq!(s.uncovered(17000.0, 19000.0), Some((18000.0, 19000.0)));
        assert_eq!(s.edges().len(), 6);
        assert!(s
            .gap_text(10800.0, 14400.0)
            .starts_with("2024-06-12T03:00:00Z to 2024-06-12T04:00:00Z is in a gap"));
    }

    #[test]
    fn local_times_need_a_zone_and_cross_daylight_saving() {
        let local = vec![
            row(2, "2024-10-27 01:30", 10.0),
            row(3, "2024-10-27 02:00", 20.0),
            row(4, "2024-10-27 02:30", 30.0),
            // the fold: 02:00 again, in winter time
            row(5, "2024-10-27 02:00", 40.0),
            row(6, "2024-10-27 02:30", 50.0),
            row(7, "2024-10-27 03:00", 60.0),
        ];
        let e = err(series(local.clone(), None));
        assert!(
            e.contains("s.csv:2") && e.contains("carries no zone"),
            "{e}"
        );
        let s = series(local, Some("Europe/Paris")).unwrap_or_else(|e| panic!("{e}"));
        // 01:30 CEST = 23:30 UTC; then every half hour to 03:00 CET = 02:00 UTC
        let starts: Vec<f64> = s.steps.iter().map(|x| x.start_s / 1800.0).collect();
        assert_eq!(starts, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(utc_text(s.stamp(0.0)), "2024-10-26T23:30:00Z");
        let e = err(series(
            vec![
                row(2, "2024-03-31 01:30", 1.0),
                row(3, "2024-03-31 02:30", 1.0),
            ],
            Some("Europe/Paris"),
        ));
        assert!(e.contains("s.csv:3") && e.contains("does not exist"), "{e}");
    }

    #[test]
    fn bad_rows_are_errors_at_their_line() {
        let e = err(series(
            vec![
                row(2, "2024-06-12T00:00:00Z", 1.0),
                row(3, "2024-06-12T00:00:00Z", 2.0),
            ],
            None,
        ));
        assert!(e.contains("s.csv:3") && e.contains("duplicate time"), "{e}");
        let e = err(series(
            vec![
                row(2, "2024-06-12T01:00:00Z", 1.0),
                row(3, "2024-06-12T00:00:00Z", 2.0),
            ],
            None,
        ));
        assert!(e.contains("s.csv:3") && e.contains("go back"), "{e}");
        let e = err(series(
            vec![
                row(2, "2024-06-12T00:00:00Z", 1.0),
                row(3, "2024-06-12T01:00:00Z", -2.0),
            ],
            None,
        ));
        assert!(e.contains("s.csv:3") && e.contains("zero or more"), "{e}");
        let e = err(series(vec![row(2, "2024-06-12T00:00:00Z", 1.0)], None));
        assert!(e.contains("at least two"), "{e}");
    }

    #[test]
    fn the_most_common_step_is_the_resolution() {
        assert_eq!(
            most_common_step(&[0.0, 900.0, 1800.0, 3600.0, 4500.0]),
            900.0
        );
        assert_eq!(most_common_step(&[0.0, 1800.0, 2700.0]), 900.0);
    }
}
