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

/// Draw with `f` (SVG) or `g` (PNG) on an image of the plot size: the file's bytes, written by
/// the caller (all plots of a command at once, [`crate::output::write::write_all_or_nothing`]).
pub fn render(
    kind: Kind,
    f: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<()>,
    g: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<()>,
) -> Result<Vec<u8>> {
    register_font();
    match kind {
        Kind::Svg => {
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (WIDTH, HEIGHT)).into_drawing_area();
                f(&root)?;
                root.present().map_err(draw_err)?;
            }
            Ok(s.into_bytes())
        }
        Kind::Png => {
            let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
            {
                let root =
                    BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
                g(&root)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&buf, WIDTH, HEIGHT)
        }
    }
}

/// Refuse to plot data holding a number that is infinite or not a number: plotters would
/// search forever for the ticks of an infinite axis. The assessment checks its results before
/// this; reaching it is an internal error, named by the figure's field path.
pub fn refuse_non_finite<T: serde::Serialize + ?Sized>(data: &T, what: &str) -> Result<()> {
    match crate::quantity::finite::first_non_finite(data) {
        None => Ok(()),
        Some((path, v)) => Err(Error::Internal(format!(
            "cannot plot the {what}: {} is {v}, not a finite number",
            if path.is_empty() { "a figure" } else { &path }
        ))),
    }
}

/// An axis from `lo` to `hi`, both finite (see [`refuse_non_finite`]).
fn span(lo: f64, hi: f64, axis: &str) -> Result<std::ops::Range<f64>> {
    if lo.is_finite() && hi.is_finite() {
        Ok(lo..hi)
    } else {
        Err(Error::Internal(format!(
            "cannot plot: the {axis} axis would run from {lo} to {hi}"
        )))
    }
}

/// `s` shortened to at most `max` characters, its first `max - 3` and "..." (cut by characters,
/// never inside a multi-byte one). A cut at a word boundary would read better but would change
/// the labels of the pinned plots of valid scenarios.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let keep: String = s.chars().take(max.saturating_sub(3)).collect();
    format!("{keep}...")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::impacts::Impacts;
    use crate::quantity::interval::Interval;

    #[test]
    fn labels_are_cut_by_characters() {
        let s = "é".repeat(60);
        let t = shorten(&s, 48);
        assert_eq!(t.chars().count(), 48, "{t}");
        assert!(t.ends_with("..."), "{t}");
        assert_eq!(shorten("short", 48), "short");
        let a = "a".repeat(60);
        assert_eq!(shorten(&a, 48), format!("{}...", &a[..45]));
    }

    #[test]
    fn non_finite_data_is_refused_not_drawn() {
        use crate::quantity::impacts::AssessedImpacts;
        let finite = || Impacts::from_fn(|_| Interval::exact(1.0));
        let mut total = finite();
        total.gwp = Interval::exact(f64::INFINITY);
        let items = [ImpactBars {
            label: "s".into(),
            impacts: crate::assessment::PhaseImpacts {
                use_phase: AssessedImpacts::all(finite()),
                embodied: AssessedImpacts::all(finite()),
                total: AssessedImpacts::all(total),
            },
        }];
        for kind in [Kind::Png, Kind::Svg] {
            let e = impact_bars(kind, &items).err().map(|e| e.to_string());
            assert!(
                e.as_deref()
                    .is_some_and(|e| e.contains("total.gwp") && e.contains("inf")),
                "{e:?}"
            );
        }
        assert!(span(0.0, f64::INFINITY, "x").is_err());
        assert!(span(0.0, f64::NAN, "x").is_err());
    }
}
