//! The radar chart of a comparison: each criterion scored between its declared bounds, 1 at the
//! best end and 0 at the worst (clamped). The rings carry their scores, and each axis its
//! criterion, unit and bounds (worst to best), so a score reads back as a value.

use super::*;

/// Score of a value between its bounds: 1 at the best end, 0 at the worst, clamped.
pub fn radar_score(v: f64, b: crate::scenario::Bounds, d: crate::scenario::Direction) -> f64 {
    let s = match d {
        crate::scenario::Direction::BetterHigh => (v - b.min) / (b.max - b.min),
        crate::scenario::Direction::BetterLow => (b.max - v) / (b.max - b.min),
    };
    s.clamp(0.0, 1.0)
}

/// The rings drawn, and their scores.
const RINGS: [f64; 4] = [0.25, 0.5, 0.75, 1.0];

/// The name of an axis: the criterion, its unit, and its bounds from worst to best.
fn axis_label(r: &crate::assessment::compare::Row) -> String {
    use crate::scenario::Direction;
    let b = match (r.bounds, r.direction) {
        (Some(b), Direction::BetterLow) => format!(" ({} to {})", tick(&b.max), tick(&b.min)),
        (Some(b), Direction::BetterHigh) => format!(" ({} to {})", tick(&b.min), tick(&b.max)),
        (None, _) => String::new(),
    };
    let unit = crate::output::statement::text::Style::Markdown.unit(&r.unit);
    format!("{} [{unit}]{b}", r.criterion)
}

fn rows(
    c: &crate::assessment::compare::Comparison,
) -> Result<Vec<&crate::assessment::compare::Row>> {
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
    Ok(rows)
}

fn draw_radar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scale,
    c: &crate::assessment::compare::Comparison,
) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    let rows = rows(c)?;
    let body = titled(
        root,
        s,
        "Multi-criteria comparison: each criterion scored between its bounds (worst to best), 1 at the best",
    )?;
    // the legend beside the radar across two columns, under it in one
    let (plot_area, legend_area) = match s.size {
        Size::TwoColumn => {
            let (w, _) = body.dim_in_pixel();
            body.split_horizontally(w * 7 / 10)
        }
        Size::OneColumn => {
            let (_, h) = body.dim_in_pixel();
            let lines = c.scenarios.len() as f64;
            body.split_vertically(h - s.px(lines * TEXT_PT * 1.3 + 6.0))
        }
    };
    let (w, h) = plot_area.dim_in_pixel();
    let aspect = f64::from(w) / f64::from(h).max(1.0);
    // room around the unit circle for the axes' names
    let ry = match s.size {
        Size::OneColumn => 2.3,
        Size::TwoColumn => 1.75,
    };
    let rx = ry * aspect;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(s.px(2.0))
        .build_cartesian_2d(-rx..rx, -ry..ry)
        .map_err(draw_err)?;
    let k = rows.len();
    let angle =
        |i: usize| std::f64::consts::FRAC_PI_2 - 2.0 * std::f64::consts::PI * i as f64 / k as f64;
    let at = |i: usize, r: f64| (r * angle(i).cos(), r * angle(i).sin());
    for ring in RINGS {
        let pts: Vec<(f64, f64)> = (0..=k).map(|i| at(i % k, ring)).collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                pts,
                s.line(RGBColor(200, 200, 200), 0.5),
            )))
            .map_err(draw_err)?;
    }
    let chars = s.chars_in(
        match s.size {
            Size::OneColumn => 72.0,
            Size::TwoColumn => 95.0,
        },
        TEXT_PT,
    );
    for (i, r) in rows.iter().enumerate() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), at(i, 1.0)],
                s.line(RGBColor(170, 170, 170), 0.5),
            )))
            .map_err(draw_err)?;
        let (x, y) = at(i, 1.1);
        let (h_anchor, v_anchor) = (
            if x > 0.15 {
                HPos::Left
            } else if x < -0.15 {
                HPos::Right
            } else {
                HPos::Center
            },
            if y > 0.5 {
                VPos::Bottom
            } else if y < -0.5 {
                VPos::Top
            } else {
                VPos::Center
            },
        );
        let lines = wrap(&axis_label(r), chars);
        let n = lines.len() as f64;
        let (px, py) = chart.backend_coord(&(x, y));
        let (bx, by) = plot_area.get_base_pixel();
        for (j, line) in lines.iter().enumerate() {
            let dy = match v_anchor {
                VPos::Bottom => (j as f64 - (n - 1.0)) * TEXT_PT * 1.2,
                VPos::Top => j as f64 * TEXT_PT * 1.2,
                VPos::Center => (j as f64 - (n - 1.0) / 2.0) * TEXT_PT * 1.2,
            };
            plot_area
                .draw(&Text::new(
                    line.clone(),
                    (px - bx, py - by + s.ipx(dy)),
                    s.text(TEXT_PT, h_anchor, v_anchor),
                ))
                .map_err(draw_err)?;
        }
    }
    // every fill, then every outline over them, then the rings' scores over both
    let shapes: Vec<Vec<(f64, f64)>> = (0..c.scenarios.len())
        .map(|si| {
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    let v = r.values[si].as_ref().map_or(0.0, |cell| {
                        r.bounds
                            .map_or(0.0, |b| radar_score(cell.value, b, r.direction))
                    });
                    at(i, v)
                })
                .collect()
        })
        .collect();
    for (si, pts) in shapes.iter().enumerate() {
        chart
            .draw_series(std::iter::once(Polygon::new(
                pts.clone(),
                tint(colour(si), 0.12).filled(),
            )))
            .map_err(draw_err)?;
    }
    for (si, pts) in shapes.iter().enumerate() {
        let closed: Vec<(f64, f64)> = pts.iter().copied().chain(pts.first().copied()).collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                closed,
                s.line(colour(si), 1.5),
            )))
            .map_err(draw_err)?;
    }
    for ring in RINGS {
        // the ring's score, half way between the first axis and the last
        let a = std::f64::consts::FRAC_PI_2 + std::f64::consts::PI / k as f64;
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{ring}"),
                (ring * a.cos(), ring * a.sin()),
                s.text(TEXT_PT, HPos::Center, VPos::Center),
            )))
            .map_err(draw_err)?;
    }
    // the legend: a line and the scenario's name each
    let line_pt = TEXT_PT * 1.3;
    for (si, sc) in c.scenarios.iter().enumerate() {
        let y = s.ipx(6.0 + line_pt * si as f64);
        legend_area
            .draw(&PathElement::new(
                vec![(s.ipx(6.0), y), (s.ipx(20.0), y)],
                s.line(colour(si), 1.5),
            ))
            .map_err(draw_err)?;
        legend_area
            .draw(&Text::new(
                sc.label.clone(),
                (s.ipx(24.0), y),
                s.text(TEXT_PT, HPos::Left, VPos::Center),
            ))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Radar chart of a comparison, each criterion normalised between its declared bounds.
pub fn radar(fig: Figure, c: &crate::assessment::compare::Comparison) -> Result<Vec<u8>> {
    refuse_non_finite(c, "comparison")?;
    rows(c)?;
    let height = match fig.size {
        Size::OneColumn => 3.3 + 0.18 * c.scenarios.len() as f64,
        Size::TwoColumn => 4.2,
    };
    render(
        fig,
        height,
        |r, s| draw_radar(r, s, c),
        |r, s| draw_radar(r, s, c),
    )
}
