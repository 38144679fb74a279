//! Horizontal bar charts, each bar named on the left by its scenario, part or input (wrapped,
//! never cut): the use and embodied impacts (GWP kgCO2eq, ADP kgSbeq, PE MJ) per criterion
//! per scenario, stacked, with the min-max range of the total; the embodied breakdown of the
//! nodes by component; and (tornado.rs) the swings of the sensitivity analysis. Criteria are
//! side by side across two columns, one under the other in one column.

use super::*;
use crate::quantity::impacts::{Criterion, Phase};

/// One scenario's impacts for the bar chart: label and (use, embodied, total) per criterion.
pub struct ImpactBars {
    pub label: String,
    pub impacts: crate::assessment::PhaseImpacts,
}

/// One bar: coloured segments (from, to), a range to mark (a whisker), a note at its end.
pub(super) struct Bar {
    pub segments: Vec<(f64, f64, RGBColor)>,
    pub whisker: Option<(f64, f64)>,
    pub note: Option<String>,
}

/// One panel: its axis (label, unit) and one bar per label, in label order.
pub(super) struct Panel {
    pub label: String,
    pub unit: String,
    pub bars: Vec<Bar>,
    /// A value marked by a vertical line across the panel (the tornado's base).
    pub reference: Option<f64>,
    /// Whether the axis starts at zero (impacts) or around the bars (swings).
    pub from_zero: bool,
}

impl Panel {
    /// The lowest and highest values drawn (segments, whiskers, the reference line), and 0
    /// when the axis starts at zero.
    fn extent(&self) -> (f64, f64) {
        let values = self
            .bars
            .iter()
            .flat_map(|b| {
                b.segments
                    .iter()
                    .flat_map(|x| [x.0, x.1])
                    .chain(b.whisker.into_iter().flat_map(|w| [w.0, w.1]))
            })
            .chain(self.reference);
        let start = if self.from_zero {
            (0.0, 0.0)
        } else {
            (f64::INFINITY, f64::NEG_INFINITY)
        };
        values.fold(start, |(lo, hi), v| (lo.min(v), hi.max(v)))
    }
}

/// The chart: a title, a legend, the names of the bars and the panels.
pub(super) struct Chart<'a> {
    pub title: &'a str,
    pub legend: Vec<(String, RGBColor)>,
    pub labels: Vec<String>,
    pub panels: Vec<Panel>,
}

/// Height of a line of text, pt.
const LINE_PT: f64 = TEXT_PT * 1.2;
/// Room for a panel's caption, tick labels and margins, pt.
const PANEL_FRAME_PT: f64 = 44.0;

/// The width a legend entry takes, pt: its swatch, its text (about 0.62 em a character) and
/// a gap.
fn legend_step(text: &str) -> f64 {
    13.0 + text.chars().count() as f64 * CHAR_EM * TEXT_PT + 10.0
}

/// Layout of a chart at a size: panels per row, the label column and its wrapped labels.
pub(super) struct Layout {
    cols: usize,
    label_pt: f64,
    labels: Vec<Vec<String>>,
    /// Height of one bar's row, pt (the tallest label).
    row_pt: f64,
    title_lines: usize,
}

pub(super) fn layout(s: &Scale, c: &Chart) -> Layout {
    let cols = match s.size {
        Size::TwoColumn => c.panels.len().min(3),
        Size::OneColumn => 1,
    };
    let w = s.width_pt();
    // the label column: a quarter (two columns) or 45 % (one column) of the width, widened
    // up to 60 % for a word that would not fit
    let share = match s.size {
        Size::TwoColumn if cols > 1 => 0.25,
        Size::TwoColumn => 0.35,
        Size::OneColumn => 0.45,
    };
    let mut label_pt = w * share;
    let longest_word = c
        .labels
        .iter()
        .flat_map(|l| wrap(l, s.chars_in(label_pt - 6.0, TEXT_PT)))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let needed = longest_word as f64 * CHAR_EM * TEXT_PT + 6.0;
    if needed > label_pt {
        label_pt = needed.min(w * 0.6);
    }
    let labels: Vec<Vec<String>> = c
        .labels
        .iter()
        .map(|l| wrap(l, s.chars_in(label_pt - 6.0, TEXT_PT)))
        .collect();
    let most_lines = labels.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let row_pt = (most_lines as f64 * LINE_PT + 2.0).max(12.0);
    let title_lines = wrap(c.title, s.chars_in(w - 8.0, TITLE_PT)).len();
    Layout {
        cols,
        label_pt,
        labels,
        row_pt,
        title_lines,
    }
}

/// The height of a chart, inches.
pub(super) fn height_in(s: &Scale, c: &Chart) -> f64 {
    let l = layout(s, c);
    let rows = c.panels.len().div_ceil(l.cols);
    let head = 6.0
        + TITLE_PT * 1.25 * l.title_lines as f64
        + if c.legend.is_empty() {
            0.0
        } else {
            LINE_PT + 6.0
        };
    let panel = PANEL_FRAME_PT + l.row_pt * c.labels.len() as f64;
    (head + panel * rows as f64 + 4.0) / 72.0
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &Scale,
    c: &Chart,
) -> Result<()> {
    root.fill(&WHITE).map_err(draw_err)?;
    let l = layout(s, c);
    let body = titled(root, s, c.title)?;
    let body = if c.legend.is_empty() {
        body
    } else {
        let (leg, rest) = body.split_vertically(s.px(LINE_PT + 6.0));
        let mut x = 0i32;
        let (w, _) = leg.dim_in_pixel();
        let total_pt: f64 = c.legend.iter().map(|(t, _)| legend_step(t)).sum();
        x += ((f64::from(w) - total_pt * s.px_per_pt()).max(0.0) / 2.0) as i32;
        let mid = s.ipx(LINE_PT / 2.0);
        for (t, col) in &c.legend {
            leg.draw(&Rectangle::new(
                [(x, mid - s.ipx(3.5)), (x + s.ipx(10.0), mid + s.ipx(3.5))],
                col.filled(),
            ))
            .map_err(draw_err)?;
            leg.draw(&Text::new(
                t.clone(),
                (x + s.ipx(13.0), mid),
                s.text(TEXT_PT, HPos::Left, VPos::Center),
            ))
            .map_err(draw_err)?;
            x += s.ipx(legend_step(t));
        }
        rest
    };
    let rows = c.panels.len().div_ceil(l.cols);
    let grid = body.split_evenly((rows, 1));
    let k = c.labels.len();
    for (r, row_area) in grid.iter().enumerate() {
        let (labels_area, panels_area) = row_area.split_horizontally(s.px(l.label_pt));
        let panels: Vec<&Panel> = c.panels.iter().skip(r * l.cols).take(l.cols).collect();
        let areas = panels_area.split_evenly((1, l.cols));
        for (pi, (area, p)) in areas.iter().zip(&panels).enumerate() {
            let (lo, hi) = p.extent();
            let (e, name) = axis_name(&p.label, &p.unit, lo.abs().max(hi.abs()));
            let k_e = 10f64.powi(e);
            let pad = ((hi - lo) / k_e).abs().max(1e-30) * 0.06;
            let notes = p.bars.iter().any(|b| b.note.is_some());
            let (x0, x1) = (
                if p.from_zero && lo >= 0.0 {
                    0.0
                } else {
                    lo / k_e - pad
                },
                hi / k_e + pad * if notes { 4.0 } else { 1.0 },
            );
            let mut chart = ChartBuilder::on(area)
                .caption(name, s.font(TEXT_PT))
                .margin_left(s.px(4.0))
                .margin_right(s.px(8.0))
                .margin_top(s.px(2.0))
                .x_label_area_size(s.px(14.0))
                .y_label_area_size(0)
                .build_cartesian_2d(span(x0, x1, "impact")?, -0.5..(k as f64 - 0.5))
                .map_err(draw_err)?;
            paper_mesh(&mut chart.configure_mesh(), s)
                .disable_y_mesh()
                .disable_y_axis()
                .x_labels(if l.cols == 3 { 3 } else { 5 })
                .x_label_formatter(&tick)
                .draw()
                .map_err(draw_err)?;
            let half = 0.3;
            for (i, b) in p.bars.iter().enumerate() {
                let y = (k - 1 - i) as f64;
                for (a, z, col) in &b.segments {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(a / k_e, y - half), (z / k_e, y + half)],
                            col.filled(),
                        )))
                        .map_err(draw_err)?;
                }
                if let Some((w0, w1)) = b.whisker {
                    if w1 > w0 {
                        let cap = 0.15;
                        for seg in [
                            vec![(w0 / k_e, y), (w1 / k_e, y)],
                            vec![(w0 / k_e, y - cap), (w0 / k_e, y + cap)],
                            vec![(w1 / k_e, y - cap), (w1 / k_e, y + cap)],
                        ] {
                            chart
                                .draw_series(std::iter::once(PathElement::new(
                                    seg,
                                    s.line(BLACK, 0.75),
                                )))
                                .map_err(draw_err)?;
                        }
                    }
                }
                if let Some(n) = &b.note {
                    let end = b
                        .segments
                        .iter()
                        .map(|x| x.1)
                        .chain(b.whisker.map(|w| w.1))
                        .fold(0.0, f64::max);
                    chart
                        .draw_series(std::iter::once(Text::new(
                            n.clone(),
                            (end / k_e + pad * 0.3, y),
                            s.text(TEXT_PT, HPos::Left, VPos::Center),
                        )))
                        .map_err(draw_err)?;
                }
            }
            if let Some(rv) = p.reference {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(rv / k_e, -0.5), (rv / k_e, k as f64 - 0.5)],
                        s.line(BLACK, 0.75),
                    )))
                    .map_err(draw_err)?;
            }
            // the names of the bars, once per row of panels, right-aligned left of the first
            if pi == 0 {
                let (_, oy) = labels_area.get_base_pixel();
                for (i, lines) in l.labels.iter().enumerate() {
                    let y = (k - 1 - i) as f64;
                    let (_, py) = chart.backend_coord(&(x0, y));
                    let n = lines.len() as f64;
                    for (j, line) in lines.iter().enumerate() {
                        let dy = (j as f64 - (n - 1.0) / 2.0) * LINE_PT;
                        labels_area
                            .draw(&Text::new(
                                line.clone(),
                                (s.ipx(l.label_pt - 4.0), py - oy + s.ipx(dy)),
                                s.text(TEXT_PT, HPos::Right, VPos::Center),
                            ))
                            .map_err(draw_err)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Draw chart `c` as figure `fig`.
pub(super) fn render_chart(fig: Figure, c: &Chart) -> Result<Vec<u8>> {
    let probe = Scale::for_layout(fig.size);
    render(
        fig,
        height_in(&probe, c),
        |r, s| draw(r, s, c),
        |r, s| draw(r, s, c),
    )
}

/// The place of a scenario or part whose criterion is not assessed: no bar, a note saying so
/// ("n/a"; "not covered" for a part without water data).
fn not_assessed_bar(note: &str) -> Bar {
    Bar {
        segments: Vec::new(),
        whisker: None,
        note: Some(note.into()),
    }
}

/// Stacked bars of use and embodied impacts per criterion per scenario, the min-max range of
/// the total marked.
pub fn impact_bars(fig: Figure, items: &[ImpactBars]) -> Result<Vec<u8>> {
    for i in items {
        refuse_non_finite(&i.impacts, &format!("impacts of {}", i.label))?;
    }
    let panels = Criterion::ALL
        .iter()
        .map(|&c| Panel {
            label: c.label().to_string(),
            unit: c.unit().to_string(),
            reference: None,
            from_zero: true,
            bars: items
                .iter()
                .map(|it| {
                    // a criterion not assessed has no bar, only a note
                    let (Some(u), Some(e), Some(t)) = (
                        it.impacts.use_phase.value(c),
                        it.impacts.embodied.value(c),
                        it.impacts.total.value(c),
                    ) else {
                        return not_assessed_bar("n/a");
                    };
                    let (u, e) = (u.value, e.value);
                    Bar {
                        segments: vec![(0.0, u, LINE), (u, u + e, BAND)],
                        whisker: Some((t.min, t.max)),
                        note: None,
                    }
                })
                .collect(),
        })
        .collect();
    let chart = Chart {
        title: "Use and embodied impacts per functional unit (whisker: min to max of the total)",
        legend: vec![
            (Phase::Use.key().to_string(), LINE),
            (Phase::Embodied.key().to_string(), BAND),
        ],
        labels: items.iter().map(|i| i.label.clone()).collect(),
        panels,
    };
    render_chart(fig, &chart)
}

/// The embodied breakdown of a scenario's nodes by component: the manufacture of all the nodes
/// used, with each component's share of the total and the range to its max.
pub fn embodied(fig: Figure, r: &crate::assessment::Report) -> Result<Vec<u8>> {
    use crate::assessment::BreakdownLevel;
    refuse_non_finite(r, "embodied breakdown")?;
    let comps: Vec<&crate::assessment::BreakdownRow> = r
        .breakdown
        .iter()
        .filter(|b| b.level == BreakdownLevel::Component)
        .collect();
    let nodes_of = |b: &crate::assessment::BreakdownRow| {
        r.breakdown
            .iter()
            .find(|n| n.level == BreakdownLevel::Node && n.node == b.node)
            .map_or(1.0, |n| f64::from(n.units))
    };
    let panels = Criterion::ALL
        .iter()
        .map(|&c| {
            // a part not assessed on this criterion has no bar
            let vals: Vec<Option<(f64, f64)>> = comps
                .iter()
                .map(|b| {
                    b.manufacture
                        .value(c)
                        .map(|m| (m.value * nodes_of(b), m.max * nodes_of(b)))
                })
                .collect();
            let total: f64 = vals.iter().flatten().map(|v| v.0).sum();
            Panel {
                label: c.label().to_string(),
                unit: c.unit().to_string(),
                reference: None,
                from_zero: true,
                bars: vals
                    .iter()
                    .map(|x| match *x {
                        Some((v, m)) => Bar {
                            segments: vec![(0.0, v, LINE)],
                            whisker: (m > v).then_some((v, m)),
                            note: Some(format!(
                                "{:.0} %",
                                if total > 0.0 { v / total * 100.0 } else { 0.0 }
                            )),
                        },
                        None if c == Criterion::Water => not_assessed_bar("not covered"),
                        None => not_assessed_bar("n/a"),
                    })
                    .collect(),
            }
        })
        .collect();
    let chart = Chart {
        title: "Embodied impacts by component: manufacture of the nodes used (share of the total, whisker to the max)",
        legend: Vec::new(),
        labels: comps
            .iter()
            .map(|b| {
                // "gpu NVIDIA A100", but "motherboard", not "motherboard motherboard"
                let kind = b.component.to_string();
                if b.name.to_lowercase().contains(&kind) {
                    b.name.to_string()
                } else {
                    format!("{kind} {}", b.name)
                }
            })
            .collect(),
        panels,
    };
    render_chart(fig, &chart)
}
