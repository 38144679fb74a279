//! The tornado plot: the one-at-a-time swings of the total GWP (kgCO2e) by input, after a
//! Monte Carlo run.

use super::*;

fn draw_tornado<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &crate::assessment::Report,
) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    let Some(mc) = &r.monte_carlo else {
        return Err(Error::input(
            Diagnostic::new("a tornado plot needs a Monte Carlo run").hint("add --samples N"),
        ));
    };
    let Some(base) = r.impacts.total.gwp.value().map(|g| g.value) else {
        return Err(Error::input(Diagnostic::new(
            "a tornado plot ranks the inputs by the total GWP, which is not assessed",
        )));
    };
    let mut rows: Vec<(String, f64, f64)> = mc
        .sensitivity
        .iter()
        .filter_map(|s| s.swing.gwp.map(|[a, b]| (s.parameter.clone(), a, b)))
        .collect();
    rows.sort_by(|a, b| {
        (b.2 - b.1)
            .abs()
            .total_cmp(&(a.2 - a.1).abs())
            .then_with(|| a.0.cmp(&b.0))
    });
    rows.truncate(12);
    rows.reverse();
    if rows.is_empty() {
        return Err(Error::input(Diagnostic::new("no uncertain input to rank")));
    }
    let lo = rows.iter().map(|r| r.1.min(r.2)).fold(base, f64::min);
    let hi = rows.iter().map(|r| r.1.max(r.2)).fold(base, f64::max);
    let pad = (hi - lo).max(base.abs() * 1e-6) * 0.08;
    let names: Vec<String> = rows.iter().map(|r| shorten(&r.0, 48)).collect();
    let k = rows.len();
    let fmt = index_labels(names);
    let mut chart = ChartBuilder::on(root)
        .caption("Sensitivity of the total GWP: each input from its min (dark) to its max (light), others at their values", ("sans-serif", 15))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(330)
        .build_cartesian_2d(span(lo - pad, hi + pad, "GWP")?, -0.6..(k as f64 - 0.4))
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(k)
        .y_label_formatter(&fmt)
        .x_label_formatter(&tick)
        .x_desc("GWP total per functional unit [kgCO2eq]")
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(draw_err)?;
    for (i, (_, a, b)) in rows.iter().enumerate() {
        let y = i as f64;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(base.min(*a), y - 0.32), (base.max(*a), y + 0.32)],
                LINE.filled(),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(base.min(*b), y - 0.32), (base.max(*b), y + 0.32)],
                BAND.filled(),
            )))
            .map_err(draw_err)?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(base, -0.6), (base, k as f64 - 0.4)],
            BLACK.stroke_width(1),
        )))
        .map_err(draw_err)?;
    Ok(())
}

/// Tornado plot of the one-at-a-time swings of the total GWP (after a Monte Carlo run).
pub fn tornado(kind: Kind, r: &crate::assessment::Report) -> Result<Vec<u8>> {
    refuse_non_finite(r, "sensitivity")?;
    render(kind, |a| draw_tornado(a, r), |a| draw_tornado(a, r))
}
