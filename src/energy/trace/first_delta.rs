//! The first sample of a delta series (Alumet's energies, J since the previous point): the
//! energy it reports covers the interval before it, which the file does not give. That interval
//! is taken as the series' period, so that a series of n deltas counts n intervals: 600 deltas of
//! 60 J every second give 36,000 J = 0.01 kWh over 600 s, not 599 x 60 J.
//!
//! The period is the mean interval of a regular series (within the 1.2 % of its median, the
//! precision of the median's histogram), else the median interval. A series of one sample has no
//! period and is left as it is. The interval is clipped to the window like any other.

use super::integrate::{Ctx, Device, Pt, RowError, Signal};

impl Device {
    /// Count the first sample of a delta series over one period before it (once, after the last
    /// piece of the file is merged).
    pub fn count_first_delta(&mut self, ctx: &Ctx) -> Result<(), RowError> {
        let (Signal::Delta, Some(first), Some(last), Some(median)) =
            (self.signal, self.first, self.last, self.acc.hist.median())
        else {
            return Ok(());
        };
        let covers_all = ctx.window.start <= first.t && ctx.window.end >= last.t;
        let mean = (last.t - first.t) / self.acc.hist.n as f64;
        let period = if covers_all && ((mean - median) / median).abs() <= 0.012 {
            mean
        } else {
            median
        };
        let before = Pt {
            t: first.t - period,
            v: 0.0,
            row: first.row,
        };
        self.segment(before, first, ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::super::integrate::Window;
    use super::*;

    fn ctx(window: Window) -> Ctx {
        Ctx {
            window,
            idle: None,
            candidate_s: None,
            checkpoints: None,
            bootstrap: super::super::integrate::Bootstrap::KeepFirst,
        }
    }

    fn series(pts: &[(f64, f64)], signal: Signal, ctx: &Ctx) -> Device {
        let mut d = Device::new("d".into(), signal, None);
        for (i, &(t, v)) in pts.iter().enumerate() {
            let row = i as u64 + 2;
            d.push(Pt { t, v, row }, ctx)
                .unwrap_or_else(|e| panic!("{}", e.message));
        }
        d.count_first_delta(ctx)
            .unwrap_or_else(|e| panic!("{}", e.message));
        d
    }

    #[test]
    fn six_hundred_deltas_of_60_j_are_exactly_0_01_kwh() {
        let c = ctx(Window::ALL);
        let pts: Vec<(f64, f64)> = (0..600).map(|k| (f64::from(k), 60.0)).collect();
        let d = series(&pts, Signal::Delta, &c);
        assert_eq!(d.acc.energy_j.value(), 36_000.0);
        assert_eq!(36_000.0 / crate::quantity::units::J_PER_KWH, 0.01);
        // the first delta covers one period before it: 600 s
        assert!(
            (d.acc.covered_s.value() - 600.0).abs() < 1e-9,
            "{}",
            d.acc.covered_s.value()
        );
    }

    #[test]
    fn the_window_clips_the_first_interval_and_other_signals_are_untouched() {
        // deltas of 10 J every 2 s from t = 10 s; a window from 9 s keeps half the first one
        let pts = [(10.0, 10.0), (12.0, 10.0), (14.0, 10.0)];
        let c = ctx(Window {
            start: 9.0,
            end: f64::INFINITY,
        });
        let d = series(&pts, Signal::Delta, &c);
        assert!(
            (d.acc.energy_j.value() - 25.0).abs() < 1e-12,
            "{}",
            d.acc.energy_j.value()
        );
        // a power series: its first sample is a point, not an interval
        let p = series(&pts, Signal::Power, &ctx(Window::ALL));
        assert!((p.acc.energy_j.value() - 40.0).abs() < 1e-12);
        // one sample: no period, nothing added
        let one = series(&[(5.0, 60.0)], Signal::Delta, &ctx(Window::ALL));
        assert_eq!(one.acc.energy_j.value(), 0.0);
    }

    #[test]
    fn an_irregular_series_takes_its_median_interval() {
        // intervals 1, 1, 1, 10 s: the mean (3.25 s) is not the period, the median (1 s) is
        let pts = [(0.0, 5.0), (1.0, 5.0), (2.0, 5.0), (3.0, 5.0), (13.0, 5.0)];
        let d = series(&pts, Signal::Delta, &ctx(Window::ALL));
        assert_eq!(d.acc.energy_j.value(), 25.0);
        // the median of the histogram is within 1.2 % of 1 s
        assert!(
            (d.acc.covered_s.value() - 14.0).abs() < 0.012,
            "{}",
            d.acc.covered_s.value()
        );
    }
}
