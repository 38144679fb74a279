//! Plots (plotters): PNG with an embedded font (DejaVu Sans, `assets/fonts/`, Bitstream Vera
//! licence), so that text renders on machines with no system fonts; SVG with the same layout.
//! Plots are deterministic: fixed size, fixed colours, no timestamps.

use crate::error::{Diagnostic, Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::Once;

mod bars;
mod extrapolation;
mod lines;
mod radar;
mod tornado;

pub use bars::{embodied, impact_bars, ImpactBars};
pub use extrapolation::extrapolation;
pub use lines::{power, quality};
pub use radar::{radar, radar_score};
pub use tornado::tornado;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
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

/// Colours of the extrapolation plot (band, line, points) and of the bar charts.
pub(crate) const BAND: RGBColor = RGBColor(158, 202, 225);
pub(crate) const LINE: RGBColor = RGBColor(33, 113, 181);
pub(crate) const POINT: RGBColor = RGBColor(203, 24, 29);

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
