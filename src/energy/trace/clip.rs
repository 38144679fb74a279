//! The part of an interval inside a window (the trace's window, the idle segment, a
//! checkpoint bin): its energy, its length and the power at its start.

use super::integrate::{Ctx, Device, ExactSum, Pt, Signal, Window};

/// Energy over the part of [p0, p1] inside `w`, and the length of that part.
pub(super) fn clipped(
    signal: Signal,
    p0: Pt,
    p1: Pt,
    e_full: f64,
    w: Window,
) -> Option<(f64, f64, f64)> {
    if inside(p0, p1, w) {
        return Some(whole(signal, p0, p1, e_full));
    }
    partly(signal, p0, p1, e_full, w)
}

/// Whether [p0, p1] is an interval wholly inside `w`.
#[inline]
pub(super) fn inside(p0: Pt, p1: Pt, w: Window) -> bool {
    w.start <= p0.t && p1.t <= w.end && p0.t < p1.t
}

/// [`clipped`] for an interval inside the window: its energy, its length and the power at its
/// start, what [`partly`] gives to the bit (a factor 1, the same trapezoid over the same dt)
/// without the comparisons and the second trapezoid.
fn whole(signal: Signal, p0: Pt, p1: Pt, e_full: f64) -> (f64, f64, f64) {
    let dt = p1.t - p0.t;
    let p_before = match signal {
        Signal::Power => p0.v,
        _ => e_full / dt,
    };
    (e_full, dt, p_before)
}

/// [`clipped`] in general: the interval cut at the window's edges.
fn partly(signal: Signal, p0: Pt, p1: Pt, e_full: f64, w: Window) -> Option<(f64, f64, f64)> {
    let a = p0.t.max(w.start);
    let b = p1.t.min(w.end);
    if b <= a {
        return None;
    }
    let dt = p1.t - p0.t;
    match signal {
        Signal::Power => {
            let at = |t: f64| p0.v + (p1.v - p0.v) * (t - p0.t) / dt;
            let (pa, pb) = if a == p0.t && b == p1.t {
                (p0.v, p1.v)
            } else {
                (at(a), at(b))
            };
            Some(((pa + pb) / 2.0 * (b - a), b - a, pa))
        }
        _ => {
            let f = if a == p0.t && b == p1.t {
                1.0
            } else {
                (b - a) / dt
            };
            Some((e_full * f, b - a, e_full / dt))
        }
    }
}

impl Device {
    /// The parts of the interval in the idle window and in the checkpoints' bins.
    #[inline(never)]
    pub(super) fn idle_and_bins(&mut self, p0: Pt, p1: Pt, e_full: f64, ctx: &Ctx) {
        let acc = &mut self.acc;
        if let Some(iw) = ctx.idle {
            if let Some((e, inside, _)) = clipped(self.signal, p0, p1, e_full, iw) {
                acc.idle_energy_j.add(e);
                acc.idle_s.add(inside);
            }
        }
        if let Some(cp) = &ctx.checkpoints {
            if cp.len() >= 2 {
                if acc.bins_j.is_empty() {
                    acc.bins_j = vec![ExactSum::default(); cp.len() - 1];
                }
                // first bin whose end is after p0
                let mut k = cp.partition_point(|&t| t <= p0.t).saturating_sub(1);
                while k + 1 < cp.len() && cp[k] < p1.t {
                    let w = Window {
                        start: cp[k],
                        end: cp[k + 1],
                    };
                    if let Some((e, _, _)) = clipped(self.signal, p0, p1, e_full, w) {
                        acc.bins_j[k].add(e);
                    }
                    k += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_inside_the_window_gives_the_general_figures_to_the_bit() {
        let w = Window {
            start: -1.0,
            end: 1e9,
        };
        let mut x = 0.123_456_789f64;
        for i in 0..2000 {
            // irregular times and values
            x = (x * 3.987_654_321 + 0.1).fract();
            let t0 = x * 1e6 + i as f64 * 0.1;
            let dt = (x * 7.0).fract() * 10f64.powi(i % 7 - 3);
            let p0 = Pt {
                t: t0,
                v: 100.0 + x * 300.0,
                row: 2,
            };
            let p1 = Pt {
                t: t0 + dt,
                v: 250.0 - x * 90.0,
                row: 3,
            };
            if p1.t <= p0.t {
                continue;
            }
            for signal in [Signal::Power, Signal::Counter, Signal::Delta] {
                let e = match signal {
                    Signal::Power => (p0.v + p1.v) / 2.0 * (p1.t - p0.t),
                    _ => p1.v - p0.v,
                };
                let bits = |r: (f64, f64, f64)| [r.0.to_bits(), r.1.to_bits(), r.2.to_bits()];
                let want = partly(signal, p0, p1, e, w).map(bits);
                assert_eq!(clipped(signal, p0, p1, e, w).map(bits), want);
                assert_eq!(Some(bits(whole(signal, p0, p1, e))), want);
            }
        }
        // by hand: 100 W to 300 W over 2 s, 400 J; cut at 1 s, 250 J over [1, 2] from 200 W
        let (p0, p1) = (
            Pt {
                t: 0.0,
                v: 100.0,
                row: 2,
            },
            Pt {
                t: 2.0,
                v: 300.0,
                row: 3,
            },
        );
        assert_eq!(
            clipped(Signal::Power, p0, p1, 400.0, w),
            Some((400.0, 2.0, 100.0))
        );
        let cut = Window {
            start: 1.0,
            end: 5.0,
        };
        assert_eq!(
            clipped(Signal::Power, p0, p1, 400.0, cut),
            Some((250.0, 1.0, 200.0))
        );
    }

    proptest::proptest! {
        /// A device's energy, covered time and power range (its intervals wholly inside the
        /// window summed as steps, its counter's increments too) are those of every interval
        /// clipped and added one by one to exact sums, to the bit, whatever the window and the
        /// pieces the samples are cut into.
        #[test]
        fn a_device_sums_what_clipped_gives(
            start in proptest::prop_oneof![
                proptest::strategy::Just(0.0f64), 0.0f64..10.0, 1.7e9f64..1.8e9, -50.0f64..0.0],
            steps in proptest::collection::vec(
                (proptest::prop_oneof![
                    proptest::sample::select(vec![0.1, 1.0, 0.001]), 1e-6f64..100.0],
                 -20.0f64..400.0),
                1..100),
            window in proptest::option::of((-10.0f64..1e3, 0.0f64..1e3)),
            cuts in proptest::collection::vec(0usize..100, 0..3),
        ) {
            let w = window.map_or(Window::ALL, |(a, len)| {
                let start = if start > 1e9 { start + a } else { a };
                Window { start, end: start + len }
            });
            let ctx = Ctx {
                window: w,
                idle: None,
                candidate_s: None,
                checkpoints: None,
                bootstrap: super::super::integrate::Bootstrap::Bound,
            };
            let wrap = 5000.0;
            for signal in [Signal::Power, Signal::Counter, Signal::Delta] {
                let (mut t, mut counter) = (start, 100.0);
                let pts: Vec<Pt> = steps.iter().enumerate().map(|(i, &(dt, v))| {
                    t += dt;
                    counter = (counter + v.abs()) % wrap;
                    let v = if signal == Signal::Counter { counter } else { v };
                    Pt { t, v, row: i as u64 + 2 }
                }).collect();
                // the general path: each interval clipped, its figures added one by one
                let (mut energy, mut covered) = (ExactSum::default(), ExactSum::default());
                let (mut max_w, mut min_w) = (f64::NEG_INFINITY, f64::INFINITY);
                for p in pts.iter().filter(|p| w.contains(p.t)) {
                    if signal == Signal::Power {
                        (max_w, min_w) = (max_w.max(p.v), min_w.min(p.v));
                    }
                }
                for pair in pts.windows(2) {
                    let (p0, p1) = (pair[0], pair[1]);
                    let dt = p1.t - p0.t;
                    if dt <= 0.0 {
                        continue;
                    }
                    let e_full = match signal {
                        Signal::Power => (p0.v + p1.v) / 2.0 * dt,
                        Signal::Delta => p1.v,
                        Signal::Counter if p1.v < p0.v => p1.v - p0.v + wrap,
                        Signal::Counter => p1.v - p0.v,
                    };
                    if let Some((e, inside, p_before)) = clipped(signal, p0, p1, e_full, w) {
                        energy.add(e);
                        covered.add(inside);
                        if signal != Signal::Power {
                            (max_w, min_w) = (max_w.max(p_before), min_w.min(p_before));
                        }
                    }
                }
                // the device, in pieces
                let mut whole: Option<Device> = None;
                let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(pts.len())).collect();
                bounds.extend([0, pts.len()]);
                bounds.sort_unstable();
                for piece in bounds.windows(2) {
                    let mut d = Device::new("d".into(), signal, Some(wrap));
                    for &p in &pts[piece[0]..piece[1]] {
                        d.push(p, &ctx).unwrap_or_else(|e| panic!("{}", e.message));
                    }
                    match &mut whole {
                        None => whole = Some(d),
                        Some(a) => a.merge(d, &ctx).unwrap_or_else(|e| panic!("{}", e.message)),
                    }
                }
                let d = whole.unwrap_or_else(|| Device::new("none".into(), signal, None));
                proptest::prop_assert_eq!(d.acc.energy_j.value().to_bits(), energy.value().to_bits());
                proptest::prop_assert_eq!(d.acc.covered_s.value().to_bits(), covered.value().to_bits());
                proptest::prop_assert_eq!(d.acc.max_w.to_bits(), max_w.to_bits());
                proptest::prop_assert_eq!(d.acc.min_w.to_bits(), min_w.to_bits());
            }
        }
    }
}
