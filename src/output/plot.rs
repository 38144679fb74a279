//! Plots (plotters): PNG with an embedded font (DejaVu Sans, `assets/fonts/`, Bitstream Vera
//! licence), so that text renders on machines with no system fonts; SVG with the same layout.
//! Plots are deterministic: fixed size, fixed colours, no timestamps.

use crate::energy::extrapolate::{Extrapolation, Fit};
use crate::error::{Diagnostic, Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Plot size, pixels.
pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 600;

fn register_font() {
    REGISTER.call_once(|| {
        // The embedded font is valid; a failure would only leave text unrendered.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// PNG or SVG, from the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Png,
    Svg,
}

pub fn kind_of(path: &Path) -> Result<Kind> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(Kind::Png),
        Some("svg") => Ok(Kind::Svg),
        _ => Err(Error::input(
            Diagnostic::new(format!("cannot tell the plot format of {}", path.display()))
                .hint("name the file .png or .svg"),
        )),
    }
}

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Internal(format!("drawing: {e:?}"))
}

/// Draw with `f` on a PNG or SVG of the plot size and write it atomically to `path`.
pub fn render(
    path: &Path,
    f: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
    g: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<()>,
) -> Result<()> {
    register_font();
    let kind = kind_of(path)?;
    match kind {
        Kind::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (WIDTH, HEIGHT)).into_drawing_area();
                f(&root)?;
                root.present().map_err(draw_err)?;
            }
            crate::output::write::write_atomically(path, s.as_bytes())
        }
        Kind::Png => {
            let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
            {
                let root =
                    BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
                g(&root)?;
                root.present().map_err(draw_err)?;
            }
            let img = encode_png(&buf, WIDTH, HEIGHT)?;
            crate::output::write::write_atomically(path, &img)
        }
    }
}

/// A PNG of an RGB buffer (the image crate writes no timestamp: deterministic).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let img = image::RgbImage::from_raw(w, h, rgb.to_vec())
        .ok_or_else(|| Error::Internal("PNG buffer size".into()))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageOutputFormat::Png)
        .map_err(|e| Error::Internal(format!("PNG: {e}")))?;
    Ok(out.into_inner())
}

const BAND: RGBColor = RGBColor(158, 202, 225);
const LINE: RGBColor = RGBColor(33, 113, 181);
const POINT: RGBColor = RGBColor(203, 24, 29);

/// x positions, (x, lower, upper) of the band, and the y range of one panel.
type Panel = (Vec<f64>, Vec<(f64, f64, f64)>, f64, f64);

/// Axis labels of a categorical axis drawn at 0, 1, 2, ...: the label at each whole position.
fn index_labels(labels: Vec<String>) -> impl Fn(&f64) -> String {
    move |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    }
}

/// Axis numbers: plain when short, scientific otherwise.
fn tick(v: &f64) -> String {
    crate::output::num(*v)
}

/// Points, the fitted line and the prediction band: the measured range (left) and the whole
/// extrapolation to the target (right), with the target's interval as an error bar.
pub fn extrapolation(path: &Path, x: &Extrapolation) -> Result<()> {
    let steps: Vec<f64> = x.points.iter().map(|p| p.steps).collect();
    let energy: Vec<f64> = x.points.iter().map(|p| p.energy_kwh).collect();
    let fit = Fit::ols(&steps, &energy).map_err(Error::Internal)?;
    let n = x.prediction.target_steps;
    let level = x.prediction.level;
    let (lo, hi) = (x.measured_steps[0], x.measured_steps[1]);
    let pad = (hi - lo) * 0.05;
    let zoom = ((lo - pad).max(0.0), hi + pad);
    let full = (0.0, n.max(hi) * 1.04);
    let target = fit.predict(n, level);
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
                let p = fit.predict(v, level);
                (v, p.min, p.max)
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
        ($area:expr, $range:expr, $caption:expr, $with_target:expr) => {{
            let (xs, band, ymin, ymax) = panel($range);
            let mut chart = ChartBuilder::on($area)
                .caption($caption, ("sans-serif", 16))
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(70)
                .build_cartesian_2d($range.0..$range.1, ymin..ymax)
                .map_err(draw_err)?;
            chart
                .configure_mesh()
                .x_desc("Training steps")
                .y_desc("Cumulative energy [kWh]")
                .x_labels(6)
                .x_label_formatter(&tick)
                .y_label_formatter(&tick)
                .label_style(("sans-serif", 13))
                .draw()
                .map_err(draw_err)?;
            let upper: Vec<(f64, f64)> = band.iter().map(|b| (b.0, b.2)).collect();
            let lower: Vec<(f64, f64)> = band.iter().rev().map(|b| (b.0, b.1)).collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    upper.into_iter().chain(lower).collect::<Vec<_>>(),
                    BAND.mix(0.6).filled(),
                )))
                .map_err(draw_err)?
                .label(format!("{:.0} % prediction band", level * 100.0))
                .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], BAND.filled()));
            chart
                .draw_series(LineSeries::new(
                    xs.iter().map(|&v| (v, fit.at(v))),
                    LINE.stroke_width(2),
                ))
                .map_err(draw_err)?
                .label(format!(
                    "E(n) = {:.3e} + {:.3e} n",
                    fit.intercept, fit.slope
                ))
                .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], LINE.stroke_width(2)));
            chart
                .draw_series(
                    steps
                        .iter()
                        .zip(&energy)
                        .filter(|(s, _)| **s >= $range.0 && **s <= $range.1)
                        .map(|(&s, &e)| Circle::new((s, e), 4, POINT.filled())),
                )
                .map_err(draw_err)?
                .label(format!("measured ({} points)", steps.len()))
                .legend(|(x, y)| Circle::new((x + 9, y), 4, POINT.filled()));
            if $with_target {
                chart
                    .draw_series(std::iter::once(ErrorBar::new_vertical(
                        n,
                        target.min,
                        target.value,
                        target.max,
                        BLACK.stroke_width(2),
                        12,
                    )))
                    .map_err(draw_err)?
                    .label(format!("target {} steps", crate::output::num(n)))
                    .legend(|(x, y)| {
                        PathElement::new([(x + 9, y - 6), (x + 9, y + 6)], BLACK.stroke_width(2))
                    });
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font(("sans-serif", 13))
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK)
                .draw()
                .map_err(draw_err)?;
        }};
    }
    macro_rules! draw {
        ($root:expr) => {{
            let root = $root;
            root.fill(&WHITE).map_err(draw_err)?;
            let root = root.titled(&title, ("sans-serif", 18)).map_err(draw_err)?;
            let (left, right) = root.split_horizontally((WIDTH as f64 * 0.42) as u32);
            chart!(&left, zoom, "measured steps", false);
            chart!(&right, full, "extrapolated to the target", true);
            Ok(())
        }};
    }
    render(path, |r| draw!(r), |r| draw!(r))
}

/// Colours of scenarios and series (fixed order: deterministic plots).
const PALETTE: [RGBColor; 6] = [
    RGBColor(33, 113, 181),
    RGBColor(203, 24, 29),
    RGBColor(35, 139, 69),
    RGBColor(217, 95, 2),
    RGBColor(117, 107, 177),
    RGBColor(99, 99, 99),
];

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

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
pub fn radar(path: &Path, c: &crate::assessment::compare::Comparison) -> Result<()> {
    render(path, |r| draw_radar(r, c), |r| draw_radar(r, c))
}

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
    let panels = plots.split_evenly((1, 3));
    let n = items.len();
    for (area, c) in panels.iter().zip(Criterion::ALL) {
        let top = items
            .iter()
            .map(|i| i.impacts.total.get(c).max)
            .fold(0.0, f64::max)
            .max(1e-30)
            * 1.1;
        let fmt = index_labels((1..=n).map(|i| i.to_string()).collect());
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{} [{}]", c.label(), c.unit()), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.6..(n as f64 - 0.4), 0.0..top)
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
            let u = it.impacts.use_phase.get(c).value;
            let e = it.impacts.embodied.get(c).value;
            let t = it.impacts.total.get(c);
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
pub fn impact_bars(path: &Path, items: &[ImpactBars]) -> Result<()> {
    render(path, |r| draw_bars(r, items), |r| draw_bars(r, items))
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
    let panels = root.split_evenly((1, 3));
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
            .map(|b| b.manufacture.get(c).value * nodes_of(b))
            .collect();
        let maxs: Vec<f64> = comps
            .iter()
            .map(|b| b.manufacture.get(c).max * nodes_of(b))
            .collect();
        let total: f64 = vals.iter().sum();
        let top = maxs.iter().copied().fold(0.0, f64::max).max(1e-30) * 1.15;
        let labels = names.clone();
        let fmt = index_labels(labels);
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{} [{}]", c.label(), c.unit()), ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(if pi == 0 { 200 } else { 10 })
            .build_cartesian_2d(0.0..top, -0.6..(k as f64 - 0.4))
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
            let style = TextStyle::from(("sans-serif", 12).into_font())
                .pos(Pos::new(HPos::Left, VPos::Center));
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
pub fn embodied(path: &Path, r: &crate::assessment::Report) -> Result<()> {
    render(path, |a| draw_embodied(a, r), |a| draw_embodied(a, r))
}

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
        .build_cartesian_2d(x0..x1, 0.0..(y1 * 1.08).max(1e-30))
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
pub fn power(path: &Path, series: &[crate::energy::profile::Series]) -> Result<()> {
    let t = "Power profile per component (mean over bins)";
    render(
        path,
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
pub fn quality(path: &Path, s: &crate::energy::profile::Series) -> Result<()> {
    let t = "Energy needed to reach each quality point";
    let x = format!("Quality reached ({})", s.name);
    let swapped = crate::energy::profile::Series {
        name: "cumulative energy".into(),
        points: s.points.clone(),
    };
    let one = [swapped];
    render(
        path,
        |r| draw_lines(r, t, &x, "Energy from the start [kWh]", &one, true),
        |r| draw_lines(r, t, &x, "Energy from the start [kWh]", &one, true),
    )
}

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
    let base = r.impacts.total.gwp.value;
    let mut rows: Vec<(String, f64, f64)> = mc
        .sensitivity
        .iter()
        .map(|s| {
            let [a, b] = s.swing.gwp;
            (s.parameter.clone(), a, b)
        })
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
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            if r.0.len() > 48 {
                format!("{}...", &r.0[..45])
            } else {
                r.0.clone()
            }
        })
        .collect();
    let k = rows.len();
    let fmt = index_labels(names);
    let mut chart = ChartBuilder::on(root)
        .caption("Sensitivity of the total GWP: each input from its min (dark) to its max (light), others at their values", ("sans-serif", 15))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(330)
        .build_cartesian_2d((lo - pad)..(hi + pad), -0.6..(k as f64 - 0.4))
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
pub fn tornado(path: &Path, r: &crate::assessment::Report) -> Result<()> {
    render(path, |a| draw_tornado(a, r), |a| draw_tornado(a, r))
}
