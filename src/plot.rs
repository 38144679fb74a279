//! Plots (plotters): PNG with an embedded font (DejaVu Sans, `assets/fonts/`, Bitstream Vera
//! licence), so that text renders on machines with no system fonts; SVG with the same layout.
//! Plots are deterministic: fixed size, fixed colours, no timestamps.

use crate::error::{Diagnostic, Error, Result};
use crate::extrapolate::{Extrapolation, Fit};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
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
            crate::write_atomically(path, s.as_bytes())
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
            crate::write_atomically(path, &img)
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

/// Axis numbers: plain when short, scientific otherwise.
fn tick(v: &f64) -> String {
    crate::report::num(*v)
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
        crate::report::num(n),
        crate::report::num(target.value),
        level * 100.0,
        crate::report::num(target.min),
        crate::report::num(target.max)
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
                    .label(format!("target {} steps", crate::report::num(n)))
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
