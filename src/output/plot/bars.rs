//! Bar charts: the use and embodied impacts (GWP kgCO2e, ADP kgSbe, PE MJ, water m3) per criterion per
//! scenario, stacked with min-max marks; and the embodied breakdown of the nodes by component.

use super::*;

/// The width of the components' names beside the embodied breakdown's first panel (px).
const NAMES_W: u32 = 200;

/// One scenario's impacts for the bar chart: label and (use, embodied, total) per criterion.
pub struct ImpactBars {
    pub label: String,
    pub impacts: crate::assessment::PhaseImpacts,
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[ImpactBars],
) -> Result<()> {
    use crate::quantity::impacts::Criterion;
    root.fill(&WHITE).map_err(draw_err)?;
    let root = root.titled("Use and embodied impacts per functional unit (bar: value; whisker: min to max of the total)", ("sans-serif", 16)).map_err(draw_err)?;
    let (plots, key) = root.split_vertically(HEIGHT - 70);
    let key_text: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, it)| format!("{}: {}", i + 1, it.label))
        .collect();
    key.draw(&Text::new(
        key_text.join("    "),
        (20, 16),
        ("sans-serif", 14),
    ))
    .map_err(draw_err)?;
    let panels = plots.split_evenly((1, Criterion::ALL.len()));
    let n = items.len();
    for (area, c) in panels.iter().zip(Criterion::ALL) {
        let top = items
            .iter()
            .filter_map(|i| i.impacts.total.value(c).map(|t| t.max))
            .fold(0.0, f64::max)
            .max(1e-30)
            * 1.1;
        let fmt = index_labels((1..=n).map(|i| i.to_string()).collect());
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{} [{}]", c.label(), c.unit()), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), span(0.0, top, "impact")?)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.max(2))
            .x_label_formatter(&fmt)
            .y_label_formatter(&tick)
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(draw_err)?;
        for (i, it) in items.iter().enumerate() {
            let x = i as f64;
            // a criterion not assessed has no bar
            let (Some(u), Some(e), Some(t)) = (
                it.impacts.use_phase.value(c),
                it.impacts.embodied.value(c),
                it.impacts.total.value(c),
            ) else {
                continue;
            };
            let (u, e) = (u.value, e.value);
            let a = chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.3, 0.0), (x + 0.3, u)],
                    LINE.filled(),
                )))
                .map_err(draw_err)?;
            if i == 0 {
                a.label(crate::quantity::impacts::Phase::Use.key())
                    .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], LINE.filled()));
            }
            let b = chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.3, u), (x + 0.3, u + e)],
                    BAND.filled(),
                )))
                .map_err(draw_err)?;
            if i == 0 {
                b.label(crate::quantity::impacts::Phase::Embodied.key())
                    .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAND.filled()));
            }
            chart
                .draw_series(std::iter::once(ErrorBar::new_vertical(
                    x,
                    t.min,
                    t.value,
                    t.max,
                    BLACK.stroke_width(1),
                    10,
                )))
                .map_err(draw_err)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(("sans-serif", 12))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Stacked bars of use and embodied impacts per criterion per scenario, min-max marked.
pub fn impact_bars(kind: Kind, items: &[ImpactBars]) -> Result<Vec<u8>> {
    for i in items {
        refuse_non_finite(&i.impacts, &format!("impacts of {}", i.label))?;
    }
    render(kind, |r| draw_bars(r, items), |r| draw_bars(r, items))
}

fn draw_embodied<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &crate::assessment::Report,
) -> Result<()> {
    use crate::quantity::impacts::Criterion;
    root.fill(&WHITE).map_err(draw_err)?;
    let comps: Vec<&crate::assessment::BreakdownRow> = r
        .breakdown
        .iter()
        .filter(|b| b.level == crate::assessment::BreakdownLevel::Component)
        .collect();
    let names: Vec<String> = comps
        .iter()
        .map(|b| format!("{} {}", b.component, b.name))
        .collect();
    let root = root
        .titled(
            "Embodied impacts by component (manufacture of the nodes used)",
            ("sans-serif", 18),
        )
        .map_err(draw_err)?;
    // the first panel carries the components' names: as wide as the others plus the names
    let n = Criterion::ALL.len() as u32;
    let w = (WIDTH - NAMES_W) / n;
    let breaks: Vec<u32> = (1..n).map(|i| NAMES_W + i * w).collect();
    let panels = root.split_by_breakpoints(&breaks, &[] as &[u32]);
    let k = comps.len().max(1);
    for (pi, (area, c)) in panels.iter().zip(Criterion::ALL).enumerate() {
        let nodes_of = |b: &crate::assessment::BreakdownRow| {
            r.breakdown
                .iter()
                .find(|n| n.level == crate::assessment::BreakdownLevel::Node && n.node == b.node)
                .map_or(1.0, |n| n.units as f64)
        };
        let vals: Vec<f64> = comps
            .iter()
            .map(|b| b.manufacture.value(c).map_or(0.0, |m| m.value) * nodes_of(b))
            .collect();
        let maxs: Vec<f64> = comps
            .iter()
            .map(|b| b.manufacture.value(c).map_or(0.0, |m| m.max) * nodes_of(b))
            .collect();
        let total: f64 = vals.iter().sum();
        let top = maxs.iter().copied().fold(0.0, f64::max).max(1e-30) * 1.15;
        let labels = names.clone();
        let fmt = index_labels(labels);
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{} [{}]", c.label(), c.unit()), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(if pi == 0 { NAMES_W } else { 10 })
            .build_cartesian_2d(span(0.0, top, "impact")?, -0.6..(k as f64 - 0.4))
            .map_err(draw_err)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_y_mesh()
            .x_labels(4)
            .x_label_formatter(&tick)
            .label_style(("sans-serif", 12));
        if pi == 0 {
            mesh.y_labels(k).y_label_formatter(&fmt);
        } else {
            mesh.y_labels(0);
        }
        mesh.draw().map_err(draw_err)?;
        for (i, (v, m)) in vals.iter().zip(&maxs).enumerate() {
            let y = i as f64;
            let style = TextStyle::from(("sans-serif", 12).into_font())
                .pos(Pos::new(HPos::Left, VPos::Center));
            // a part not assessed on this criterion has no bar; a part without water data says
            // it is not covered
            if let Some(why) = comps[i].manufacture.get(c).reason() {
                if why.starts_with("not covered") {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            "not covered",
                            (top * 0.01, y),
                            style.clone(),
                        )))
                        .map_err(draw_err)?;
                }
                continue;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.3), (*v, y + 0.3)],
                    colour(i).filled(),
                )))
                .map_err(draw_err)?;
            if m > v {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(*v, y), (*m, y)],
                        BLACK,
                    )))
                    .map_err(draw_err)?;
            }
            let share = if total > 0.0 { v / total * 100.0 } else { 0.0 };
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{share:.0} %"),
                    (*v + top * 0.01, y + 0.38),
                    style,
                )))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}

/// The embodied breakdown of a scenario's nodes by component.
pub fn embodied(kind: Kind, r: &crate::assessment::Report) -> Result<Vec<u8>> {
    refuse_non_finite(r, "embodied breakdown")?;
    render(kind, |a| draw_embodied(a, r), |a| draw_embodied(a, r))
}
