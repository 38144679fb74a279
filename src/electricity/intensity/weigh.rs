//! Energy weighted by the intensity of its time.
//!
//! The run's energy is given as pieces placed in time (a measured trace's energy between the
//! series' boundaries, or a declared energy spread evenly between the run's start and end), each
//! spread evenly over its own interval. The GWP of a piece is its energy times the intensity of
//! each step it overlaps, in proportion to the overlap:
//!
//! G = sum over pieces p and steps s of E_p x |p ∩ s| / |p| x I_s   (kWh x gCO2eq/kWh = gCO2eq)
//!
//! The energy-weighted mean intensity is G / sum E_p; its min and max are those of the steps
//! the run overlaps. A piece that meets time the series does not cover is an error naming the
//! gap ([`Uncovered`]).
//!
//! The lowest-carbon start: the same pieces shifted by k x the series' resolution, for every k
//! with k x resolution within the window after the actual start whose shifted run the series
//! covers; the smallest G wins (the earliest on a tie).

use super::Series;

/// Energy over an interval of time, spread evenly over it (times in s since the series' origin).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece {
    pub start_s: f64,
    pub end_s: f64,
    pub energy_kwh: f64,
}

/// Energy weighted by intensity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weighed {
    pub energy_kwh: f64,
    /// Sum of energy x intensity, gCO2eq.
    pub gwp_g: f64,
    /// The lowest and highest intensity of the steps the run overlaps, gCO2eq/kWh.
    pub min_g_per_kwh: f64,
    pub max_g_per_kwh: f64,
}

impl Weighed {
    /// The energy-weighted mean intensity, gCO2eq/kWh (the mean of the steps met when there is
    /// no energy).
    pub fn mean_g_per_kwh(&self) -> f64 {
        if self.energy_kwh > 0.0 {
            self.gwp_g / self.energy_kwh
        } else {
            (self.min_g_per_kwh + self.max_g_per_kwh) / 2.0
        }
    }
}

/// Time the run meets that the series does not cover (s since the origin).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uncovered {
    pub start_s: f64,
    pub end_s: f64,
}

/// The lowest-carbon start found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestStart {
    /// How much later than the actual start, s.
    pub shift_s: f64,
    pub weighed: Weighed,
    /// The shifts tried (the actual start included).
    pub tried: usize,
    /// The largest shift the series covers, when it covers less than the window, s.
    pub covered_to_s: Option<f64>,
}

impl Series {
    /// The pieces of energy weighted by the intensity of their time, shifted by `shift_s`.
    pub fn weigh(&self, pieces: &[Piece], shift_s: f64) -> Result<Weighed, Uncovered> {
        let mut w = Weighed {
            energy_kwh: 0.0,
            gwp_g: 0.0,
            min_g_per_kwh: f64::INFINITY,
            max_g_per_kwh: f64::NEG_INFINITY,
        };
        for p in pieces {
            let (a, b) = (p.start_s + shift_s, p.end_s + shift_s);
            if b <= a {
                continue;
            }
            if let Some((s, e)) = self.uncovered(a, b) {
                return Err(Uncovered {
                    start_s: s,
                    end_s: e,
                });
            }
            let first = self.steps.partition_point(|s| s.end_s <= a);
            for s in self.steps[first..].iter().take_while(|s| s.start_s < b) {
                let overlap = b.min(s.end_s) - a.max(s.start_s);
                if overlap <= 0.0 {
                    continue;
                }
                w.gwp_g += p.energy_kwh * overlap / (b - a) * s.g_per_kwh;
                w.min_g_per_kwh = w.min_g_per_kwh.min(s.g_per_kwh);
                w.max_g_per_kwh = w.max_g_per_kwh.max(s.g_per_kwh);
            }
            w.energy_kwh += p.energy_kwh;
        }
        Ok(w)
    }

    /// The start within `within_s` after the actual one, in steps of the resolution, that gives
    /// the least GWP for the same pieces; `None` when the series does not cover the run itself.
    pub fn best_start(&self, pieces: &[Piece], within_s: f64) -> Option<BestStart> {
        let at_start = self.weigh(pieces, 0.0).ok()?;
        let res = self.resolution_s;
        let shifts = if res > 0.0 {
            (within_s / res + 1e-9).floor() as usize
        } else {
            0
        };
        let mut best = BestStart {
            shift_s: 0.0,
            weighed: at_start,
            tried: 1,
            covered_to_s: None,
        };
        for k in 1..=shifts {
            let shift = k as f64 * res;
            match self.weigh(pieces, shift) {
                Ok(w) => {
                    best.tried += 1;
                    if w.gwp_g < best.weighed.gwp_g * (1.0 - 1e-12) {
                        best.shift_s = shift;
                        best.weighed = w;
                    }
                }
                Err(_) => {
                    if best.covered_to_s.is_none() {
                        best.covered_to_s = Some((k - 1) as f64 * res);
                    }
                }
            }
        }
        Some(best)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Parsed, Row, Series, SeriesSpec};
    use super::*;
    use crate::quantity::time::Stamp;
    use crate::scenario::IntensityFormat;
    use std::path::Path;

    /// An hourly series from t = 0 with these intensities.
    fn hourly(g: &[f64]) -> Series {
        let rows = g
            .iter()
            .enumerate()
            .map(|(i, g)| Row {
                line: i + 2,
                t: Stamp {
                    secs: 1_718_150_400 + 3600 * i as i64,
                    frac: 0.0,
                },
                zoned: true,
                g_per_kwh: *g,
            })
            .collect();
        Series::from_rows(
            Path::new("s.csv"),
            IntensityFormat::Plain,
            &SeriesSpec::default(),
            Parsed {
                rows,
                ..Parsed::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} != {b}");
    }

    #[test]
    fn energy_spread_evenly_across_a_step_in_intensity() {
        // 100 then 300 gCO2eq/kWh, the step at 1 h. A run of 3 kWh spread evenly from 0.5 h to
        // 2 h: 1 kWh in the first hour (0.5 h of 1.5 h) at 100 g, 2 kWh at 300 g:
        // G = 1 x 100 + 2 x 300 = 700 g; mean 700 / 3 = 233.33 g/kWh; min 100, max 300.
        let s = hourly(&[100.0, 300.0, 50.0]);
        let run = [Piece {
            start_s: 1800.0,
            end_s: 7200.0,
            energy_kwh: 3.0,
        }];
        let w = s.weigh(&run, 0.0).unwrap_or_else(|_| panic!("covered"));
        close(w.gwp_g, 700.0);
        close(w.mean_g_per_kwh(), 700.0 / 3.0);
        assert_eq!((w.min_g_per_kwh, w.max_g_per_kwh), (100.0, 300.0));
        // measured pieces between the boundaries: 0.4 kWh before the step, 1.2 kWh after
        let measured = [
            Piece {
                start_s: 1800.0,
                end_s: 3600.0,
                energy_kwh: 0.4,
            },
            Piece {
                start_s: 3600.0,
                end_s: 7200.0,
                energy_kwh: 1.2,
            },
        ];
        let w = s
            .weigh(&measured, 0.0)
            .unwrap_or_else(|_| panic!("covered"));
        close(w.gwp_g, 0.4 * 100.0 + 1.2 * 300.0);
        // past the series' end (3 h): the gap is named
        let late = [Piece {
            start_s: 9000.0,
            end_s: 12_600.0,
            energy_kwh: 1.0,
        }];
        assert_eq!(
            s.weigh(&late, 0.0),
            Err(Uncovered {
                start_s: 10_800.0,
                end_s: 12_600.0
            })
        );
    }

    #[test]
    fn the_lowest_carbon_start_within_the_window() {
        // intensities by hour: 400, 300, 100, 80, 500. A 2-hour run of 1 kWh per hour from 0 h:
        // start 0 h: 400 + 300 = 700 g; 1 h: 300 + 100 = 400; 2 h: 100 + 80 = 180; 3 h: 80 +
        // 500 = 580. Within 2 h: the best is 2 h later, 180 g, saving 520 g (74.3 %). Within 24 h
        // the series covers shifts up to 3 h only.
        let s = hourly(&[400.0, 300.0, 100.0, 80.0, 500.0]);
        let run = [Piece {
            start_s: 0.0,
            end_s: 7200.0,
            energy_kwh: 2.0,
        }];
        let b = s
            .best_start(&run, 7200.0)
            .unwrap_or_else(|| panic!("covered"));
        assert_eq!(b.shift_s, 7200.0);
        close(b.weighed.gwp_g, 180.0);
        assert_eq!((b.tried, b.covered_to_s), (3, None));
        let b = s
            .best_start(&run, 86_400.0)
            .unwrap_or_else(|| panic!("covered"));
        assert_eq!(
            (b.shift_s, b.tried, b.covered_to_s),
            (7200.0, 4, Some(10_800.0))
        );
        // within less than one step: only the actual start
        let b = s
            .best_start(&run, 1800.0)
            .unwrap_or_else(|| panic!("covered"));
        assert_eq!((b.shift_s, b.tried), (0.0, 1));
        close(b.weighed.gwp_g, 700.0);
    }
}
