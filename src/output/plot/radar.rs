//! The radar chart of a comparison: each criterion scored between its declared bounds, 1 at the
//! best end and 0 at the worst (clamped).

use super::*;

/// Score of a value between its bounds: 1 at the best end, 0 at the worst, clamped.
pub fn radar_score(v: f64, b: crate::scenario::Bounds, d: crate::scenario::Direction) -> f64 {
    let s = match d {
        crate::scenario::Direction::BetterHigh => (v - b.min) / (b.max - b.min),
        crate::scenario::Direction::BetterLow => (b.max - v) / (b.max - b.min),
    };
    s.clamp(0.0, 1.0)
}

fn draw_radar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &crate::assessment::compare::Comparison,
) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    let rows: Vec<&crate::assessment::compare::Row> =
        c.rows.iter().filter(|r| r.on_radar()).collect();
    if rows.len() < 3 {
        return Err(Error::input(
            Diagnostic::new(format!(
                "a radar chart needs at least 3 criteria with bounds, {} have them",
                rows.len()
            ))
            .hint("declare comparison.bounds and comparison.criteria in the scenarios"),
        ));
    }
    let root = root
        .titled(
            "Multi-criteria comparison (1 = best end of each criterion's bounds)",
            ("sans-serif", 18),
        )
        .map_err(draw_err)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .build_cartesian_2d(-1.9..1.9, -1.25..1.25)
        .map_err(draw_err)?;
    let k = rows.len();
    let angle =
        |i: usize| std::f64::consts::FRAC_PI_2 - 2.0 * std::f64::consts::PI * i as f64 / k as f64;
    let at = |i: usize, r: f64| (r * angle(i).cos(), r * angle(i).sin());
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<(f64, f64)> = (0..=k).map(|i| at(i % k, ring)).collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                pts,
                RGBColor(200, 200, 200),
            )))
            .map_err(draw_err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), at(i, 1.0)],
                RGBColor(170, 170, 170),
            )))
            .map_err(draw_err)?;
        let (x, y) = at(i, 1.13);
        let anchor = if x > 0.15 {
            HPos::Left
        } else if x < -0.15 {
            HPos::Right
        } else {
            HPos::Center
        };
        let style =
            TextStyle::from(("sans-serif", 14).into_font()).pos(Pos::new(anchor, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(
                r.criterion.clone(),
                (x, y),
                style,
            )))
            .map_err(draw_err)?;
    }
    for (s, col) in c.scenarios.iter().enumerate() {
        let pts: Vec<(f64, f64)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let v = r.values[s].as_ref().map_or(0.0, |cell| {
                    r.bounds
                        .map_or(0.0, |b| radar_score(cell.value, b, r.direction))
                });
                at(i, v)
            })
            .collect();
        let closed: Vec<(f64, f64)> = pts.iter().copied().chain(pts.first().copied()).collect();
        chart
            .draw_series(std::iter::once(Polygon::new(
                pts.clone(),
                colour(s).mix(0.12).filled(),
            )))
            .map_err(draw_err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                closed,
                colour(s).stroke_width(2),
            )))
            .map_err(draw_err)?
            .label(col.label.clone())
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], colour(s).stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(draw_err)?;
    Ok(())
}

/// Radar chart of a comparison, each criterion normalised between its declared bounds.
pub fn radar(kind: Kind, c: &crate::assessment::compare::Comparison) -> Result<Vec<u8>> {
    refuse_non_finite(c, "comparison")?;
    render(kind, |r| draw_radar(r, c), |r| draw_radar(r, c))
}
