//! Line charts of series from the traces: power over time per component (W against minutes)
//! and the cumulative energy (kWh) needed to reach each logged quality point.

use super::*;

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    xdesc: &str,
    ydesc: &str,
    series: &[crate::energy::profile::Series],
    points: bool,
) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    let all = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &(x, y) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if !x0.is_finite() || x1 <= x0 {
        return Err(Error::input(Diagnostic::new(
            "nothing to plot: the series are empty",
        )));
    }
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(span(x0, x1, "x")?, span(0.0, (y1 * 1.08).max(1e-30), "y")?)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .x_desc(xdesc)
        .y_desc(ydesc)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(draw_err)?;
    for (i, s) in series.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                colour(i).stroke_width(2),
            ))
            .map_err(draw_err)?
            .label(s.name.clone())
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], colour(i).stroke_width(2))
            });
        if points {
            chart
                .draw_series(
                    s.points
                        .iter()
                        .map(|&p| Circle::new(p, 3, colour(i).filled())),
                )
                .map_err(draw_err)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(draw_err)?;
    Ok(())
}

/// Power over time per component.
pub fn power(kind: Kind, series: &[crate::energy::profile::Series]) -> Result<Vec<u8>> {
    for s in series {
        refuse_non_finite(&s.points, &format!("power of {}", s.name))?;
    }
    let t = "Power profile per component (mean over bins)";
    render(
        kind,
        |r| {
            draw_lines(
                r,
                t,
                "Time from the start of the trace [min]",
                "Power [W]",
                series,
                false,
            )
        },
        |r| {
            draw_lines(
                r,
                t,
                "Time from the start of the trace [min]",
                "Power [W]",
                series,
                false,
            )
        },
    )
}

/// Energy needed to reach each logged quality point.
pub fn quality(kind: Kind, s: &crate::energy::profile::Series) -> Result<Vec<u8>> {
    refuse_non_finite(&s.points, "quality points")?;
    let t = "Energy needed to reach each quality point";
    let x = format!("Quality reached ({})", s.name);
    let swapped = crate::energy::profile::Series {
        name: "cumulative energy".into(),
        points: s.points.clone(),
    };
    let one = [swapped];
    render(
        kind,
        |r| draw_lines(r, t, &x, "Energy from the start [kWh]", &one, true),
        |r| draw_lines(r, t, &x, "Energy from the start [kWh]", &one, true),
    )
}
