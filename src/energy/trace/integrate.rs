//! Energy of one device from its samples, in one pass with bounded memory.
//!
//! - power (W): trapezoid rule over the actual timestamps, E = sum (p_i + p_i+1)/2 x dt_i;
//! - counter (J, cumulative): differences, with wrap-around at the counter's range;
//! - delta (J per interval): the energy reported at t_i+1 covers (t_i, t_i+1].
//!
//! A time window keeps the part of each interval inside it (power interpolated linearly at the
//! window's edges; counters and deltas pro rata). A device's state after one piece of a file can
//! be merged with the state after the next piece ([`Device::merge`]): the interval that bridges
//! the two is integrated then, so a file read in pieces gives the energy of the whole.

use crate::quantity::format::readable;
use crate::quantity::interval::Interval;
use crate::scenario::GapPolicy;
use serde::Serialize;

pub use super::candidates::{Bootstrap, Bound};
use super::clip::{clipped, inside};
pub use super::exact::{ExactSum, Telescoped};
pub use super::hist::Hist;

/// What a device's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    /// Instantaneous power, W.
    Power,
    /// Cumulative energy counter, J.
    Counter,
    /// Energy since the previous sample, J.
    Delta,
}

/// A time window, in seconds from the trace's origin. Open ends are infinite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub start: f64,
    pub end: f64,
}

impl Window {
    pub const ALL: Window = Window {
        start: f64::NEG_INFINITY,
        end: f64::INFINITY,
    };
    #[inline]
    pub fn contains(&self, t: f64) -> bool {
        t >= self.start && t <= self.end
    }
}

/// A sample: time (s from the origin), value (W or J), and its line in the file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pt {
    pub t: f64,
    pub v: f64,
    pub row: u64,
}

/// An interval longer than the gap threshold (or a candidate for it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// Line of the sample that ends the gap.
    pub row: u64,
    pub start_s: f64,
    pub duration_s: f64,
    /// Part of the gap inside the window, and its integrated energy.
    #[serde(skip)]
    pub inside_s: f64,
    #[serde(skip)]
    pub energy_j: f64,
    #[serde(skip)]
    pub p_before_w: f64,
}

/// Row numbers of one kind of event: a count and the first few.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Rows {
    pub count: u64,
    pub first: Vec<u64>,
}

impl Rows {
    pub fn add(&mut self, row: u64) {
        self.count += 1;
        if self.first.len() < 5 {
            self.first.push(row);
        }
    }
    pub fn merge(&mut self, o: &Rows) {
        self.count += o.count;
        for r in &o.first {
            if self.first.len() < 5 {
                self.first.push(*r);
            }
        }
    }
    pub fn shift(&mut self, off: u64) {
        for r in &mut self.first {
            *r += off;
        }
    }
    pub fn describe(&self) -> String {
        let rows: Vec<String> = self.first.iter().map(u64::to_string).collect();
        let more = if self.count > self.first.len() as u64 {
            ", ..."
        } else {
            ""
        };
        format!("{} (rows {}{more})", self.count, rows.join(", "))
    }
}

/// How a row went wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    pub row: u64,
    pub message: String,
    pub hint: Option<String>,
}

/// What every device of a read shares.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub window: Window,
    pub idle: Option<Window>,
    /// Intervals above this are kept as gap candidates.
    pub candidate_s: Option<f64>,
    /// Checkpoint times (increasing): the energy between each two is kept apart, so that the
    /// cumulative energy at each checkpoint can be read (training steps).
    pub checkpoints: Option<Vec<f64>>,
    /// How a piece bounds its gap candidates before its median interval is known.
    pub bootstrap: Bootstrap,
}

pub(super) const MAX_CANDIDATES: usize = 100_000;

/// Running totals of one device.
#[derive(Clone, Debug)]
/// The sums are exact ([`ExactSum`]): the same whatever pieces the file was cut into.
pub struct Acc {
    pub samples: u64,
    pub energy_j: Telescoped,
    pub covered_s: Telescoped,
    pub max_w: f64,
    pub min_w: f64,
    pub idle_energy_j: ExactSum,
    pub idle_s: ExactSum,
    pub hist: Hist,
    pub candidates: Vec<Gap>,
    pub candidates_dropped: u64,
    pub wraps: Rows,
    pub duplicates: Rows,
    /// Energy between checkpoints k and k+1, J.
    pub bins_j: Vec<ExactSum>,
    /// Which intervals are candidates, and the longest that is not.
    pub bound: Bound,
}

impl Default for Acc {
    fn default() -> Self {
        Acc {
            samples: 0,
            energy_j: Telescoped::default(),
            covered_s: Telescoped::default(),
            max_w: f64::NEG_INFINITY,
            min_w: f64::INFINITY,
            idle_energy_j: ExactSum::default(),
            idle_s: ExactSum::default(),
            hist: Hist::default(),
            candidates: Vec::new(),
            candidates_dropped: 0,
            wraps: Rows::default(),
            duplicates: Rows::default(),
            bins_j: Vec::new(),
            bound: Bound::default(),
        }
    }
}

/// One device (a GPU, a RAPL zone, a rail, a node) of a trace.
#[derive(Clone, Debug)]
pub struct Device {
    pub key: String,
    pub signal: Signal,
    /// Range of a wrapping counter, J.
    pub wrap_j: Option<f64>,
    pub first: Option<Pt>,
    pub last: Option<Pt>,
    pub acc: Acc,
}

impl Device {
    pub fn new(key: String, signal: Signal, wrap_j: Option<f64>) -> Self {
        Device {
            key,
            signal,
            wrap_j,
            first: None,
            last: None,
            acc: Acc::default(),
        }
    }

    /// Add the next sample of this device.
    #[inline(always)]
    pub fn push(&mut self, pt: Pt, ctx: &Ctx) -> Result<(), RowError> {
        let in_window = if let Some(l) = self.last {
            if pt.t <= l.t {
                return self.not_later(l, pt);
            }
            // an interval wholly inside the window ends inside it
            self.integrate(l, pt, ctx)? || ctx.window.contains(pt.t)
        } else {
            self.first = Some(pt);
            ctx.window.contains(pt.t)
        };
        if in_window {
            self.acc.samples += 1;
            if self.signal == Signal::Power {
                self.acc.note_power(pt.v);
            }
        }
        self.last = Some(pt);
        Ok(())
    }

    /// A sample at the time of the last (a duplicate, counted) or before it (an error).
    #[cold]
    fn not_later(&mut self, last: Pt, pt: Pt) -> Result<(), RowError> {
        if pt.t < last.t {
            return Err(out_of_order(&self.key, pt.row, last.row));
        }
        self.acc.duplicates.add(pt.row);
        Ok(())
    }

    /// Integrate the interval from `p0` to `p1`, a later sample.
    pub(super) fn segment(&mut self, p0: Pt, p1: Pt, ctx: &Ctx) -> Result<(), RowError> {
        self.integrate(p0, p1, ctx).map(|_| ())
    }

    /// [`Device::segment`]; whether the interval lies wholly inside the window.
    #[inline(always)]
    fn integrate(&mut self, p0: Pt, p1: Pt, ctx: &Ctx) -> Result<bool, RowError> {
        let dt = p1.t - p0.t;
        // a counter's increment without a wrap is a step of its readings
        let (e_full, step) = match self.signal {
            Signal::Power => ((p0.v + p1.v) / 2.0 * dt, false),
            Signal::Delta => (p1.v, false),
            Signal::Counter => {
                let d = p1.v - p0.v;
                if d < 0.0 {
                    (self.wrapped(p0, p1, d)?, false)
                } else {
                    (d, true)
                }
            }
        };
        let power = self.signal == Signal::Power;
        let acc = &mut self.acc;
        let whole = inside(p0, p1, ctx.window);
        let gap = if whole {
            // what clip::clipped gives (its `whole`), the steps kept as steps
            if step {
                acc.energy_j.add_step(p0.v, p1.v, e_full);
            } else {
                acc.energy_j.add(e_full);
            }
            acc.covered_s.add_step(p0.t, p1.t, dt);
            let p_before = if power { p0.v } else { e_full / dt };
            Some((e_full, dt, p_before))
        } else {
            // cut by the window
            let part = clipped(self.signal, p0, p1, e_full, ctx.window);
            if let Some((e, inside, _)) = part {
                acc.energy_j.add(e);
                acc.covered_s.add(inside);
            }
            part
        };
        if let Some((e, inside, p_before)) = gap {
            // an energy signal's power over the interval is p_before
            let p = if power { None } else { Some(p_before) };
            if acc.interval(dt, p, ctx, &self.key) {
                acc.candidate(Gap {
                    row: p1.row,
                    start_s: p0.t,
                    duration_s: dt,
                    inside_s: inside,
                    energy_j: e,
                    p_before_w: p_before,
                });
            }
        }
        if ctx.idle.is_some() || ctx.checkpoints.is_some() {
            self.idle_and_bins(p0, p1, e_full, ctx);
        }
        Ok(whole)
    }

    /// The increment of a counter that went down by `-d`: a wrap when its range is known, else
    /// an error.
    #[cold]
    fn wrapped(&mut self, p0: Pt, p1: Pt, d: f64) -> Result<f64, RowError> {
        match self.wrap_j {
            Some(w) => {
                self.acc.wraps.add(p1.row);
                Ok(d + w)
            }
            None => Err(RowError {
                row: p1.row,
                message: format!("the energy counter of \"{}\" decreased (from {} J at row {} to {} J)", self.key, readable(p0.v), p0.row, readable(p1.v)),
                hint: Some("a RAPL counter wraps at max_energy_range_uj: give it (a max_energy_range_uj column, or --rapl-max-energy-range-uj)".into()),
            }),
        }
    }

    /// Append the state of the next piece of the file for the same device.
    pub fn merge(&mut self, next: Device, ctx: &Ctx) -> Result<(), RowError> {
        if let (Some(l), Some(f)) = (self.last, next.first) {
            if f.t < l.t {
                return Err(out_of_order(&self.key, f.row, l.row));
            }
            if f.t == l.t {
                self.acc.duplicates.add(f.row);
                if ctx.window.contains(f.t) {
                    self.acc.samples = self.acc.samples.saturating_sub(1);
                }
            } else {
                self.segment(l, f, ctx)?;
            }
        }
        let a = &mut self.acc;
        let b = next.acc;
        a.samples += b.samples;
        a.energy_j.merge(&b.energy_j);
        a.covered_s.merge(&b.covered_s);
        a.max_w = a.max_w.max(b.max_w);
        a.min_w = a.min_w.min(b.min_w);
        a.idle_energy_j.merge(&b.idle_energy_j);
        a.idle_s.merge(&b.idle_s);
        a.hist.merge(&b.hist);
        let mut more = b.candidates;
        a.bound.pass_over(b.bound.passed_over_s);
        if ctx.candidate_s.is_none() && !matches!(ctx.bootstrap, Bootstrap::Exact(_)) {
            // the candidates below 2 x the median of the file read so far are let go (and the
            // longest remembered): they stay few however many pieces the file has
            let t = a.hist.median().map_or(0.0, |m| 2.0 * m);
            super::candidates::retain_above(&mut a.candidates, t, &mut a.bound);
            super::candidates::retain_above(&mut more, t, &mut a.bound);
        }
        let room = MAX_CANDIDATES.saturating_sub(a.candidates.len());
        a.candidates_dropped += b.candidates_dropped + more.len().saturating_sub(room) as u64;
        a.candidates.extend(more.into_iter().take(room));
        a.wraps.merge(&b.wraps);
        a.duplicates.merge(&b.duplicates);
        if a.bins_j.is_empty() {
            a.bins_j = b.bins_j;
        } else {
            for (x, y) in a.bins_j.iter_mut().zip(b.bins_j.iter()) {
                x.merge(y);
            }
        }
        if self.first.is_none() {
            self.first = next.first;
        }
        if next.last.is_some() {
            self.last = next.last;
        }
        Ok(())
    }

    /// The energy between consecutive checkpoints, J.
    pub fn bins_j(&self) -> Vec<f64> {
        self.acc.bins_j.iter().map(ExactSum::value).collect()
    }

    /// Add `off` to every row number (a piece's local rows to the file's).
    pub fn shift_rows(&mut self, off: u64) {
        for p in [&mut self.first, &mut self.last].into_iter().flatten() {
            p.row += off;
        }
        for g in &mut self.acc.candidates {
            g.row += off;
        }
        self.acc.wraps.shift(off);
        self.acc.duplicates.shift(off);
    }

    /// The device's energy with the gap policy applied, and its gaps.
    pub fn finish(&self, threshold_s: Option<f64>, policy: GapPolicy) -> Finished {
        let a = &self.acc;
        let median = a.hist.median();
        let threshold = self.gap_threshold_s(threshold_s);
        let gaps: Vec<Gap> = a
            .candidates
            .iter()
            .copied()
            .filter(|g| g.duration_s > threshold)
            .collect();
        let e = a.energy_j.value();
        let energy = if self.signal != Signal::Power || gaps.is_empty() {
            Interval::exact(e)
        } else {
            match policy {
                GapPolicy::Interpolate => Interval::exact(e),
                GapPolicy::Hold => {
                    let adj: f64 = gaps
                        .iter()
                        .map(|g| g.p_before_w * g.inside_s - g.energy_j)
                        .sum();
                    Interval::exact((e + adj).max(0.0))
                }
                GapPolicy::Missing => {
                    let in_gaps: f64 = gaps.iter().map(|g| g.energy_j).sum();
                    let s: f64 = gaps.iter().map(|g| g.inside_s).sum();
                    let lo = e - in_gaps + a.min_w.max(0.0) * s;
                    let hi = e - in_gaps + a.max_w * s;
                    Interval::new(e, lo.min(e), hi.max(e))
                }
            }
        };
        Finished {
            energy_j: energy,
            median_interval_s: median,
            threshold_s: threshold,
            gaps,
        }
    }
}

/// A device's energy after the gap policy.
#[derive(Clone, Debug)]
pub struct Finished {
    pub energy_j: Interval,
    pub median_interval_s: Option<f64>,
    pub threshold_s: f64,
    pub gaps: Vec<Gap>,
}

fn out_of_order(key: &str, row: u64, prev: u64) -> RowError {
    RowError {
        row,
        message: format!("timestamps out of order for \"{key}\": row {row} is earlier than row {prev}"),
        hint: Some("sort the file by time (per device), or check that it is one trace and not two appended".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx {
        Ctx {
            window: Window::ALL,
            idle: None,
            candidate_s: None,
            checkpoints: None,
            bootstrap: Bootstrap::KeepFirst,
        }
    }

    fn feed(d: &mut Device, pts: &[(f64, f64)], ctx: &Ctx) {
        for (i, &(t, v)) in pts.iter().enumerate() {
            d.push(
                Pt {
                    t,
                    v,
                    row: i as u64 + 2,
                },
                ctx,
            )
            .ok();
        }
    }

    #[test]
    fn constant_power_and_ramp_by_hand() {
        let mut d = Device::new("gpu0".into(), Signal::Power, None);
        feed(
            &mut d,
            &[(0.0, 300.0), (1.0, 300.0), (3.0, 300.0), (3600.0, 300.0)],
            &ctx(),
        );
        assert_eq!(d.acc.energy_j.value(), 300.0 * 3600.0);
        // ramp 0 -> 100 W over 10 s: 500 J
        let mut r = Device::new("r".into(), Signal::Power, None);
        feed(&mut r, &[(0.0, 0.0), (4.0, 40.0), (10.0, 100.0)], &ctx());
        assert!((r.acc.energy_j.value() - 500.0).abs() < 1e-12);
    }

    #[test]
    fn window_interpolates_power_at_the_edges() {
        let c = Ctx {
            window: Window {
                start: 2.0,
                end: 6.0,
            },
            idle: Some(Window {
                start: 0.0,
                end: 1.0,
            }),
            candidate_s: None,
            checkpoints: None,
            bootstrap: Bootstrap::KeepFirst,
        };
        let mut r = Device::new("r".into(), Signal::Power, None);
        feed(&mut r, &[(0.0, 0.0), (4.0, 40.0), (10.0, 100.0)], &c);
        // power = 10 t; energy over [2, 6] = 5 (36 - 4) = 160 J
        assert!((r.acc.energy_j.value() - 160.0).abs() < 1e-12);
        assert_eq!(r.acc.covered_s.value(), 4.0);
        assert_eq!(r.acc.samples, 1);
        // idle window [0, 1]: 5 J
        assert!((r.acc.idle_energy_j.value() - 5.0).abs() < 1e-12);
    }

    #[test]
    fn counter_wraps_and_decrease_without_range_is_an_error() {
        let mut d = Device::new("package-0".into(), Signal::Counter, Some(1000.0));
        feed(&mut d, &[(0.0, 900.0), (1.0, 950.0), (2.0, 50.0)], &ctx());
        assert_eq!(d.acc.energy_j.value(), 150.0);
        assert_eq!(d.acc.wraps.count, 1);
        let mut e = Device::new("package-0".into(), Signal::Counter, None);
        e.push(
            Pt {
                t: 0.0,
                v: 900.0,
                row: 2,
            },
            &ctx(),
        )
        .ok();
        let err = e.push(
            Pt {
                t: 1.0,
                v: 50.0,
                row: 3,
            },
            &ctx(),
        );
        assert_eq!(err.map_err(|e| e.row), Err(3));
    }

    #[test]
    fn out_of_order_and_duplicates() {
        let mut d = Device::new("g".into(), Signal::Power, None);
        feed(&mut d, &[(0.0, 1.0), (1.0, 1.0), (1.0, 1.0)], &ctx());
        assert_eq!(d.acc.duplicates.count, 1);
        assert_eq!(d.acc.duplicates.first, vec![4]);
        let err = d.push(
            Pt {
                t: 0.5,
                v: 1.0,
                row: 9,
            },
            &ctx(),
        );
        assert_eq!(err.map_err(|e| e.row), Err(9));
    }

    #[test]
    fn pieces_merge_to_the_whole() {
        let pts: Vec<(f64, f64)> = (0..50)
            .map(|i| (i as f64 * 0.7, 100.0 + (i % 7) as f64 * 13.0))
            .collect();
        let mut whole = Device::new("g".into(), Signal::Power, None);
        feed(&mut whole, &pts, &ctx());
        let mut a = Device::new("g".into(), Signal::Power, None);
        feed(&mut a, &pts[..20], &ctx());
        let mut b = Device::new("g".into(), Signal::Power, None);
        feed(&mut b, &pts[20..], &ctx());
        a.merge(b, &ctx()).ok();
        assert!((a.acc.energy_j.value() - whole.acc.energy_j.value()).abs() < 1e-9);
        assert_eq!(a.acc.samples, whole.acc.samples);
    }

    #[test]
    fn pieces_keep_few_candidates_and_the_gaps() {
        // 1 s sampling over 200 pieces of 2000 s, one 30 s gap in piece 150: each piece keeps its
        // first 1024 intervals as candidates, the merge only those above twice the median
        let mut whole: Option<Device> = None;
        let mut t = 0.0;
        for p in 0..200 {
            let mut d = Device::new("g".into(), Signal::Power, None);
            for i in 0..2000 {
                t += if p == 150 && i == 700 { 30.0 } else { 1.0 };
                d.push(
                    Pt {
                        t,
                        v: 100.0,
                        row: 2,
                    },
                    &ctx(),
                )
                .ok();
            }
            match &mut whole {
                None => whole = Some(d),
                Some(w) => {
                    w.merge(d, &ctx()).ok();
                }
            }
        }
        let w = whole.unwrap_or_else(|| Device::new("none".into(), Signal::Power, None));
        assert!(w.acc.candidates.len() < 1100, "{}", w.acc.candidates.len());
        assert_eq!(w.acc.candidates_dropped, 0);
        let f = w.finish(None, GapPolicy::Interpolate);
        assert_eq!(f.gaps.len(), 1);
        assert_eq!(f.gaps[0].duration_s, 30.0);
    }

    #[test]
    fn gap_policies() {
        // 1 s sampling at 100 W, then a 20 s gap to a sample at 200 W, then 1 s sampling
        let mut pts = vec![];
        for i in 0..10 {
            pts.push((i as f64, 100.0));
        }
        for i in 0..10 {
            pts.push((29.0 + i as f64, 200.0));
        }
        let mut d = Device::new("g".into(), Signal::Power, None);
        feed(&mut d, &pts, &ctx());
        let f = d.finish(None, GapPolicy::Interpolate);
        assert_eq!(f.gaps.len(), 1);
        assert_eq!(f.gaps[0].duration_s, 20.0);
        let base = 9.0 * 100.0 + 20.0 * 150.0 + 9.0 * 200.0;
        assert!((f.energy_j.value - base).abs() < 1e-9);
        let h = d.finish(None, GapPolicy::Hold);
        assert!((h.energy_j.value - (base - 20.0 * 50.0)).abs() < 1e-9);
        let m = d.finish(None, GapPolicy::Missing);
        assert!((m.energy_j.min - (base - 20.0 * 50.0)).abs() < 1e-9);
        assert!((m.energy_j.max - (base + 20.0 * 50.0)).abs() < 1e-9);
        // an explicit threshold above the gap finds none
        assert!(d.finish(Some(30.0), GapPolicy::Interpolate).gaps.is_empty());
    }

    #[test]
    fn checkpoints_split_the_energy() {
        // power = 10 t over [0, 10]; checkpoints 1, 2.5, 7: bins 26.25 J and 214.375 J
        let c = Ctx {
            window: Window::ALL,
            idle: None,
            candidate_s: None,
            checkpoints: Some(vec![1.0, 2.5, 7.0]),
            bootstrap: Bootstrap::KeepFirst,
        };
        let mut r = Device::new("r".into(), Signal::Power, None);
        feed(
            &mut r,
            &[(0.0, 0.0), (2.0, 20.0), (4.0, 40.0), (10.0, 100.0)],
            &c,
        );
        assert!(
            (r.acc.bins_j[0].value() - 5.0 * (6.25 - 1.0)).abs() < 1e-12,
            "{:?}",
            r.acc.bins_j
        );
        assert!(
            (r.acc.bins_j[1].value() - 5.0 * (49.0 - 6.25)).abs() < 1e-12,
            "{:?}",
            r.acc.bins_j
        );
    }
}
