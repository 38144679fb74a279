//! Gap candidates: the intervals a device keeps while its trace is read, among which
//! [`Device::finish`] finds the gaps (intervals longer than the threshold given, else than
//! 5 x the file's median interval, known only when the whole file has been read).
//!
//! Without a threshold given, a piece keeps the intervals above a running bound, and
//! remembers the longest interval it did not keep ([`Bound::passed_over_s`]); the merge keeps
//! the candidates above 2 x the median of the file read so far, and remembers the longest it
//! let go too. How the bound is found while a piece's median is not known yet is the
//! [`Bootstrap`]:
//!
//! - [`Bootstrap::Bound`] (the pieces of [`super::read`]): a piece keeps its first interval and
//!   then the intervals above 2 x the shortest interval before them, until its 1,024th, from
//!   which the bound is 2 x the piece's median (renewed every 1,024 intervals). A regular
//!   meter's intervals are all near its period: a piece keeps almost none (before, it kept
//!   its first 1,024 intervals, 48 bytes each, per device).
//! - [`Bootstrap::KeepFirst`] (the readers that read a file once, in order): every interval of
//!   the first 1,024 is a candidate, then those above 2 x the median so far.
//! - [`Bootstrap::Exact`]: each device's threshold, found by a first read.
//!
//! Invariant (why the gaps do not depend on the cut). Every interval inside the window is
//! either a candidate, in file order, or passed over, and `passed_over_s` is at least the
//! longest interval passed over (in a piece, at a merge, across pieces: the maximum of the
//! two). When `passed_over_s` <= T, the device's threshold, and no candidate went past the
//! cap, every interval longer than T is a candidate: the gaps are exactly the intervals
//! longer than T, in file order, whatever the pieces ([`Device::candidates_complete`]).
//! Otherwise (a piece sampled more than 2.5 times slower than the file, say) the file is read
//! again with each device's T as its bound ([`exact_thresholds`], [`Bootstrap::Exact`]): then
//! the candidates are the intervals longer than T, the first 100,000 in file order, the rest
//! counted; the same for any cut. T comes from the histogram of every interval and the exact
//! sums, which do not depend on the cut either.

use super::integrate::{Acc, Ctx, Device, Gap, Hist, MAX_CANDIDATES};

/// How a piece bounds its candidates while its median interval is not known.
#[derive(Clone, Debug, PartialEq)]
pub enum Bootstrap {
    /// Every interval of the first 1,024 is a candidate.
    KeepFirst,
    /// The first interval, then those above 2 x the shortest before them: the reader checks
    /// [`Device::candidates_complete`] and reads again with [`Bootstrap::Exact`] if need be.
    Bound,
    /// The threshold of each device, by its key (a key listed twice: the lower).
    Exact(Vec<(String, f64)>),
}

/// Intervals a piece adds before its bound comes from its median, and between renewals.
const RENEW: u32 = 1024;

/// The candidate bound of one device.
#[derive(Clone, Debug)]
pub struct Bound {
    /// Intervals since the bound was last renewed from the median.
    since: u32,
    /// The bound comes from the median.
    known: bool,
    bound_s: f64,
    /// The shortest interval so far (before the median is known).
    shortest_s: f64,
    /// The device's threshold ([`Bootstrap::Exact`]), once looked up.
    fixed: Option<f64>,
    /// The longest interval inside the window that is not a candidate, s (0 if none).
    pub passed_over_s: f64,
}

impl Default for Bound {
    fn default() -> Self {
        Bound {
            since: 0,
            known: false,
            bound_s: 0.0,
            shortest_s: f64::INFINITY,
            fixed: None,
            passed_over_s: 0.0,
        }
    }
}

impl Bound {
    /// The bound of the next interval `dt` of device `key` (already in `hist`); intervals
    /// above it are candidates. Once the bound is known, until it is renewed: a count and a
    /// comparison.
    #[inline]
    pub fn next(&mut self, dt: f64, hist: &Hist, ctx: &Ctx, key: &str) -> f64 {
        self.since += 1;
        if self.known && self.since < RENEW {
            return self.bound_s;
        }
        self.next_slow(dt, hist, ctx, key)
    }

    /// [`Bound::next`] while the bound is not known, when it is renewed, and the first time a
    /// device of a second read looks its threshold up.
    fn next_slow(&mut self, dt: f64, hist: &Hist, ctx: &Ctx, key: &str) -> f64 {
        if let Some(t) = self.fixed {
            self.since = 0;
            return t;
        }
        if let Bootstrap::Exact(list) = &ctx.bootstrap {
            let t = list
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, t)| *t)
                .reduce(f64::min)
                // a device the first read did not see (none: the same file): every interval
                .unwrap_or(0.0);
            self.fixed = Some(t);
            (self.known, self.bound_s, self.since) = (true, t, 0);
            return t;
        }
        if self.since >= RENEW {
            self.since = 0;
            self.known = true;
            self.bound_s = hist.median().map_or(0.0, |m| 2.0 * m);
        }
        if self.known || matches!(ctx.bootstrap, Bootstrap::KeepFirst) {
            return self.bound_s;
        }
        let b = if self.shortest_s.is_finite() {
            2.0 * self.shortest_s
        } else {
            0.0
        };
        self.shortest_s = self.shortest_s.min(dt);
        b
    }

    /// An interval inside the window that is not a candidate.
    #[inline]
    pub fn pass_over(&mut self, dt: f64) {
        // f64::max, given that passed_over_s is never NaN
        if dt > self.passed_over_s {
            self.passed_over_s = dt;
        }
    }
}

impl Acc {
    /// A power of the device, W: its range.
    #[inline]
    pub(super) fn note_power(&mut self, p: f64) {
        // f64::max and f64::min, given that neither bound is NaN
        if p > self.max_w {
            self.max_w = p;
        }
        if p < self.min_w {
            self.min_w = p;
        }
    }

    /// An interval of `dt` s (partly) inside the window, over which an energy signal's power
    /// was `p` W: its bin in the histogram, the power range, and whether it is a gap candidate
    /// (else it is passed over).
    #[inline(always)]
    pub(super) fn interval(&mut self, dt: f64, p: Option<f64>, ctx: &Ctx, key: &str) -> bool {
        self.hist.add(dt);
        if let Some(p) = p {
            self.note_power(p);
        }
        let threshold = match ctx.candidate_s {
            Some(t) => t,
            None => self.bound.next(dt, &self.hist, ctx, key),
        };
        let candidate = dt > threshold;
        if !candidate {
            self.bound.pass_over(dt);
        }
        candidate
    }

    /// Keep a gap candidate, or count it past the cap.
    #[inline(never)]
    pub(super) fn candidate(&mut self, g: Gap) {
        if self.candidates.len() < MAX_CANDIDATES {
            self.candidates.push(g);
        } else {
            self.candidates_dropped += 1;
        }
    }
}

/// Keep the candidates longer than `t`, remembering in `bound` the longest let go.
pub fn retain_above(list: &mut Vec<Gap>, t: f64, bound: &mut Bound) {
    list.retain(|g| {
        let keep = g.duration_s > t;
        if !keep {
            bound.pass_over(g.duration_s);
        }
        keep
    });
}

impl Device {
    /// The gap threshold: the one given, else 5 x the median interval (infinite without an
    /// interval), s.
    pub fn gap_threshold_s(&self, given: Option<f64>) -> f64 {
        given
            .or(self.acc.hist.median().map(|m| 5.0 * m))
            .unwrap_or(f64::INFINITY)
    }

    /// Whether every interval longer than the gap threshold is a candidate, with none past the
    /// cap unless the threshold was known while reading (see the module's invariant).
    pub fn candidates_complete(&self, given: Option<f64>) -> bool {
        given.is_some()
            || self.acc.bound.fixed.is_some()
            || (self.acc.bound.passed_over_s <= self.gap_threshold_s(None)
                && self.acc.candidates_dropped == 0)
    }
}

/// Each device's gap threshold, when the candidates of some device are not complete (the file
/// is then read again with them: [`Bootstrap::Exact`]).
pub fn exact_thresholds<'a>(
    devices: impl Iterator<Item = &'a Device> + Clone,
    given: Option<f64>,
) -> Option<Vec<(String, f64)>> {
    if devices.clone().all(|d| d.candidates_complete(given)) {
        return None;
    }
    Some(
        devices
            .map(|d| (d.key.clone(), d.gap_threshold_s(given)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::trace::integrate::{Pt, Signal, Window};

    fn ctx(bootstrap: Bootstrap) -> Ctx {
        Ctx {
            window: Window::ALL,
            idle: None,
            candidate_s: None,
            checkpoints: None,
            bootstrap,
        }
    }

    /// A device fed samples `steps` seconds apart (from t = 0, rows from 2).
    fn fed(steps: &[f64], ctx: &Ctx) -> Device {
        let mut d = Device::new("g".into(), Signal::Power, None);
        let mut t = 0.0;
        for (i, s) in std::iter::once(&0.0).chain(steps).enumerate() {
            t += s;
            let pt = Pt {
                t,
                v: 100.0,
                row: i as u64 + 2,
            };
            d.push(pt, ctx).unwrap_or_else(|e| panic!("{}", e.message));
        }
        d
    }

    fn durations(d: &Device) -> Vec<f64> {
        d.acc.candidates.iter().map(|g| g.duration_s).collect()
    }

    #[test]
    fn a_piece_keeps_its_first_interval_and_those_above_twice_the_shortest() {
        // bounds: none (kept), 2 x 2 = 4 (1 passed over), 2 x 1 = 2: 3 and 2.5 kept, 2 not
        let d = fed(&[2.0, 1.0, 3.0, 2.0, 2.5], &ctx(Bootstrap::Bound));
        assert_eq!(durations(&d), vec![2.0, 3.0, 2.5]);
        assert_eq!(d.acc.bound.passed_over_s, 2.0);
        // the median interval is 2 s (bin centre 2.0 x 10^0.005): the threshold 10.1 s is
        // above every interval passed over
        assert!(d.candidates_complete(None));
        // the first 1,024 intervals are all kept by the other bootstrap
        let k = fed(&[2.0, 1.0, 3.0, 2.0, 2.5], &ctx(Bootstrap::KeepFirst));
        assert_eq!(durations(&k).len(), 5);
    }

    #[test]
    fn regular_sampling_keeps_no_candidate_but_the_first_and_the_gaps() {
        let mut steps = vec![1.0; 3000];
        steps[2000] = 30.0;
        steps[10] = 1.5;
        let d = fed(&steps, &ctx(Bootstrap::Bound));
        assert_eq!(durations(&d), vec![1.0, 30.0]);
        assert_eq!(d.acc.bound.passed_over_s, 1.5);
        assert!(d.candidates_complete(None));
    }

    #[test]
    fn a_piece_slower_than_the_file_is_incomplete_and_the_exact_bound_finds_the_gaps() {
        // piece 0: 10 s sampling (bound 20 s, the 10 s intervals passed over); piece 1: 1 s
        // sampling, longer: the file's threshold is 5 x 1 s, and the 10 s intervals are gaps
        let c = ctx(Bootstrap::Bound);
        let slow = vec![10.0; 50];
        let fast = vec![1.0; 500];
        let mut a = fed(&slow, &c);
        let b = fed(&fast, &c);
        let last = a.last.map_or(0.0, |p| p.t);
        let b = shifted(b, last + 1.0);
        a.merge(b, &c).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(a.acc.bound.passed_over_s, 10.0);
        let t = a.gap_threshold_s(None);
        assert!((t - 5.058).abs() < 0.01, "{t}");
        assert!(!a.candidates_complete(None));
        let exact = exact_thresholds(std::iter::once(&a), None).unwrap_or_default();
        assert_eq!(exact, vec![("g".to_string(), t)]);
        // read again with the exact bound: the 50 intervals of 10 s, and nothing else
        let e = ctx(Bootstrap::Exact(exact));
        let mut a = fed(&slow, &e);
        a.merge(shifted(fed(&fast, &e), last + 1.0), &e)
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(durations(&a), vec![10.0; 50]);
        assert!(a.candidates_complete(None));
        assert_eq!(
            a.finish(None, crate::scenario::GapPolicy::Interpolate)
                .gaps
                .len(),
            50
        );
    }

    /// `d`'s samples moved `by` seconds later (a later piece of the same file).
    fn shifted(mut d: Device, by: f64) -> Device {
        for p in [&mut d.first, &mut d.last].into_iter().flatten() {
            p.t += by;
        }
        for g in &mut d.acc.candidates {
            g.start_s += by;
        }
        d
    }
}
