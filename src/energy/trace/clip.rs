//! The part of an interval inside a window (the trace's window, the idle segment, a
//! checkpoint bin): its energy, its length and the power at its start.

use super::integrate::{Pt, Signal, Window};

/// Energy over the part of [p0, p1] inside `w`, and the length of that part.
pub(super) fn clipped(
    signal: Signal,
    p0: Pt,
    p1: Pt,
    e_full: f64,
    w: Window,
) -> Option<(f64, f64, f64)> {
    if w.start <= p0.t && p1.t <= w.end && p0.t < p1.t {
        return Some(whole(signal, p0, p1, e_full));
    }
    partly(signal, p0, p1, e_full, w)
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
}
