//! The extrapolation plot: the measured points, the line and band of the chosen method as the
//! extrapolation computed them ([`Extrapolation::line`], E in kWh against training steps), over
//! the measured range (left, or top in one column) and up to the target (right, or bottom),
//! with the target's interval (the figure the table prints) as an error bar.

use super::*;
use crate::energy::extrapolate::Extrapolation;

/// x positions, (x, lower, upper) of the band, and the y range of one panel.
type Panel = (Vec<f64>, Vec<(f64, f64, f64)>, f64, f64);

/// Points, the line and band of the chosen method: the measured range (left) and the whole
/// extrapolation to the target (right), with the target's interval as an error bar.
pub fn extrapolation(fig: Figure, x: &Extrapolation) -> Result<Vec<u8>> {
    refuse_non_finite(&x.points, "measured points")?;
    refuse_non_finite(&x.prediction.energy_per_node_kwh, "prediction")?;
    refuse_non_finite(&x.measured_steps, "measured steps")?;
    refuse_non_finite(&x.prediction.target_steps, "target")?;
    let steps: Vec<f64> = x.points.iter().map(|p| p.steps).collect();
    let energy: Vec<f64> = x.points.iter().map(|p| p.energy_kwh).collect();
    let line = &x.line;
    let n = x.prediction.target_steps;
    let level = x.prediction.level;
    let (lo, hi) = (x.measured_steps[0], x.measured_steps[1]);
    let pad = (hi - lo) * 0.05;
    let zoom = ((lo - pad).max(0.0), hi + pad);
    let full = (0.0, n.max(hi) * 1.04);
    // the figure the table prints: the chosen method's prediction for one node
    let target = x.prediction.energy_per_node_kwh;
    let title = format!(
        "Energy to {} steps: {} kWh per node, {:.0} % prediction interval {} to {}",
        crate::output::num(n),
        crate::output::num(target.value),
        level * 100.0,
        crate::output::num(target.min),
        crate::output::num(target.max)
    );
    let panel = |(a, b): (f64, f64)| -> Panel {
        let xs: Vec<f64> = (0..=200).map(|i| a + (b - a) * i as f64 / 200.0).collect();
        let band: Vec<(f64, f64, f64)> = xs
            .iter()
            .map(|&v| {
                let (lo, hi) = line.band(v);
                (v, lo, hi)
            })
            .collect();
        let in_range: Vec<f64> = steps
            .iter()
            .zip(&energy)
            .filter(|(s, _)| **s >= a && **s <= b)
            .map(|(_, e)| *e)
            .collect();
        let ymax = band
            .iter()
            .map(|v| v.2)
            .chain(in_range.iter().copied())
            .fold(f64::NEG_INFINITY, f64::max);
        let ymin = band
            .iter()
            .map(|v| v.1)
            .chain(in_range.iter().copied())
            .fold(f64::INFINITY, f64::min);
        let m = (ymax - ymin).abs().max(1e-12) * 0.05;
        (xs, band, ymin - m, ymax + m)
    };
    macro_rules! chart {
        ($area:expr, $s:expr, $range:expr, $caption:expr, $with_target:expr) => {{
            let s: &Scale = $s;
            let (xs, band, ymin, ymax) = panel($range);
            let mut chart = ChartBuilder::on($area)
                .caption($caption, s.font(TEXT_PT))
                .margin(s.px(6.0))
                .x_label_area_size(s.px(24.0))
                .y_label_area_size(s.px(34.0))
                .build_cartesian_2d(
                    span($range.0, $range.1, "steps")?,
                    span(ymin, ymax, "energy")?,
                )
                .map_err(draw_err)?;
            paper_mesh(&mut chart.configure_mesh(), s)
                .x_desc("Training steps")
                .y_desc("Cumulative energy [kWh]")
                .x_labels(4)
                .y_labels(5)
                .x_label_formatter(&tick)
                .y_label_formatter(&tick)
                .draw()
                .map_err(draw_err)?;
            let upper: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.2)).collect();
            let lower: Vec<(f64, f64)> = band.iter().rev().map(|b| (b.0, b.1)).collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    upper.into_iter().chain(lower).collect::<Vec<_>>(),
                    tint(BAND, 0.6).filled(),
                )))
                .map_err(draw_err)?
                .label(format!("{:.0} % prediction band", level * 100.0))
                .legend(|(x, y)| Rectangle::new([(x, y - 4), (x + 12, y + 4)], BAND.filled()));
            chart
                .draw_series(LineSeries::new(
                    xs.iter().map(|&v| (v, line.at(v))),
                    s.line(LINE, 1.0),
                ))
                .map_err(draw_err)?
                .label(line.label())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 12, y)], s.line(LINE, 1.0)));
            chart
                .draw_series(
                    steps
                        .iter()
                        .zip(&energy)
                        .filter(|(s, _)| **s >= $range.0 && **s <= $range.1)
                        .map(|(&st, &e)| Circle::new((st, e), s.px(1.8), POINT.filled())),
                )
                .map_err(draw_err)?
                .label(format!("measured ({} points)", steps.len()))
                .legend(move |(x, y)| Circle::new((x + 6, y), s.px(1.8), POINT.filled()));
            if $with_target {
                chart
                    .draw_series(std::iter::once(ErrorBar::new_vertical(
                        n,
                        target.min,
                        target.value,
                        target.max,
                        s.line(BLACK, 1.0),
                        s.px(5.0),
                    )))
                    .map_err(draw_err)?
                    .label(format!("target {} steps", crate::output::num(n)))
                    .legend(move |(x, y)| {
                        PathElement::new([(x + 6, y - 4), (x + 6, y + 4)], s.line(BLACK, 1.0))
                    });
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font(s.font(TEXT_PT))
                .legend_area_size(s.px(16.0))
                .margin(s.px(4.0))
                .background_style(WHITE)
                .border_style(s.line(BLACK, 0.5))
                .draw()
                .map_err(draw_err)?;
        }};
    }
    macro_rules! draw {
        ($root:expr, $s:expr) => {{
            let root = $root;
            let s: &Scale = $s;
            root.fill(&WHITE).map_err(draw_err)?;
            let root = titled(root, s, &title)?;
            let (w, h) = root.dim_in_pixel();
            let (first, second) = match s.size {
                Size::TwoColumn => root.split_horizontally((f64::from(w) * 0.42) as u32),
                Size::OneColumn => root.split_vertically(h / 2),
            };
            chart!(&first, s, zoom, "measured steps", false);
            chart!(&second, s, full, "extrapolated to the target", true);
            Ok(())
        }};
    }
    let height = match fig.size {
        Size::OneColumn => 5.0,
        Size::TwoColumn => 3.0,
    };
    render(fig, height, |r, s| draw!(r, s), |r, s| draw!(r, s))
}
