//! Line charts of series from the traces: power over time per component (W against minutes)
//! and the cumulative energy (kWh) needed to reach each logged quality point.

use super::*;

/// Height of a line chart, inches.
fn height_in(size: Size) -> f64 {
    match size {
        Size::OneColumn => 2.6,
        Size::TwoColumn => 3.0,
    }
}

/// Whether the series hold something to draw: at least two distinct times.
pub fn drawable(series: &[crate::energy::profile::Series]) -> bool {
    let mut xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    match xs.next() {
        Some(first) => xs.any(|x| x != first),
        None => false,
    }
}

/// The axes of a line chart: its title and the names of its axes.
struct Axes<'a> {
    title: &'a str,
    x: &'a str,
    y: &'a str,
}

fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scale,
    axes: &Axes,
    series: &[crate::energy::profile::Series],
    points: bool,
) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    if !drawable(series) {
        return Err(Error::input(Diagnostic::new(
            "nothing to plot: the series are empty",
        )));
    }
    let all = series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &(x, y) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let body = titled(root, s, axes.title)?;
    let mut chart = ChartBuilder::on(&body)
        .margin(s.px(6.0))
        .x_label_area_size(s.px(24.0))
        .y_label_area_size(s.px(34.0))
        .build_cartesian_2d(span(x0, x1, "x")?, span(0.0, (y1 * 1.08).max(1e-30), "y")?)
        .map_err(draw_err)?;
    paper_mesh(&mut chart.configure_mesh(), s)
        .x_desc(axes.x)
        .y_desc(axes.y)
        .x_labels(if s.size == Size::OneColumn { 5 } else { 8 })
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .draw()
        .map_err(draw_err)?;
    for (i, ser) in series.iter().enumerate() {
        let st = s.line(colour(i), 1.0);
        chart
            .draw_series(LineSeries::new(ser.points.iter().copied(), st))
            .map_err(draw_err)?
            .label(ser.name.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 12, y)], st));
        if points {
            chart
                .draw_series(
                    ser.points
                        .iter()
                        .map(|&p| Circle::new(p, s.px(1.5), colour(i).filled())),
                )
                .map_err(draw_err)?;
        }
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
    Ok(())
}

/// Power over time per component.
pub fn power(fig: Figure, series: &[crate::energy::profile::Series]) -> Result<Vec<u8>> {
    for s in series {
        refuse_non_finite(&s.points, &format!("power of {}", s.name))?;
    }
    let axes = Axes {
        title: "Power profile per component (mean over bins)",
        x: "Time from the start of the trace [min]",
        y: "Power [W]",
    };
    render(
        fig,
        height_in(fig.size),
        |r, s| draw_lines(r, s, &axes, series, false),
        |r, s| draw_lines(r, s, &axes, series, false),
    )
}

/// Energy needed to reach each logged quality point.
pub fn quality(fig: Figure, q: &crate::energy::profile::Series) -> Result<Vec<u8>> {
    refuse_non_finite(&q.points, "quality points")?;
    let x = format!("Quality reached ({})", q.name);
    let axes = Axes {
        title: "Energy needed to reach each quality point",
        x: &x,
        y: "Energy from the start [kWh]",
    };
    let one = [crate::energy::profile::Series {
        name: "cumulative energy".into(),
        points: q.points.clone(),
    }];
    render(
        fig,
        height_in(fig.size),
        |r, s| draw_lines(r, s, &axes, &one, true),
        |r, s| draw_lines(r, s, &axes, &one, true),
    )
}
