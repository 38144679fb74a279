//! Plots (plotters) for papers: sized for one column (3.5 in wide) or two (7 in), written as a
//! 300 dpi PNG, an SVG sized in inches, or a PDF (the SVG converted by svg2pdf, text kept as
//! text). Every drawing is laid out in points (1/72 in): text is at least 8 pt at print size,
//! lines at least 0.5 pt, whatever the format. The PNG and the PDF embed DejaVu Sans
//! (`assets/fonts/`, Bitstream Vera licence), so text renders on machines with no system
//! fonts. Plots are deterministic: fixed sizes, colours and fonts, no timestamps.

use crate::error::{Diagnostic, Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;
use std::sync::Once;

mod bars;
mod extrapolation;
pub mod lines;
mod radar;
mod tornado;
mod wrap;

pub use bars::{embodied, impact_bars, ImpactBars};
pub use extrapolation::extrapolation;
pub use lines::{power, quality};
pub use radar::{radar, radar_score};
pub use tornado::tornado;
pub use wrap::wrap;

static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// The PNG's resolution, dots per inch.
pub const PNG_DPI: f64 = 300.0;
/// The font size plotters is given for an em of 1: it draws an em of its size / 1.24.
const PLOTTERS_EM: f64 = 1.24;
/// The width of a character of DejaVu Sans in running text, em (a safe average).
pub(crate) const CHAR_EM: f64 = 0.62;
/// Points per inch.
const PT_PER_IN: f64 = 72.0;
/// The size of text at print size, pt: tick labels, axis labels, legends.
pub const TEXT_PT: f64 = 8.0;
/// The size of titles, pt.
pub const TITLE_PT: f64 = 9.0;

fn register_font() {
    REGISTER.call_once(|| {
        // The embedded font is valid; a failure would only leave text unrendered.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// The width of a figure in a paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// One column of a two-column paper: 3.5 in wide.
    OneColumn,
    /// The text width of a two-column paper, or most of a one-column one: 7 in wide.
    TwoColumn,
}

crate::choice!(Size {
    OneColumn => "one-column", "3.5 in wide, for one column of a two-column paper";
    TwoColumn => "two-column", "7 in wide, across both columns (or a one-column paper)";
});

impl Size {
    /// The width, inches.
    pub fn width_in(self) -> f64 {
        match self {
            Size::OneColumn => 3.5,
            Size::TwoColumn => 7.0,
        }
    }
}

/// The file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 300 dpi raster.
    Png,
    /// Vector, sized in inches.
    Svg,
    /// Vector, the SVG converted (text as text, the font embedded).
    Pdf,
}

crate::choice!(Kind {
    Png => "png", "300 dpi PNG";
    Svg => "svg", "SVG sized in inches";
    Pdf => "pdf", "PDF (vector, text embedded)";
});

impl Kind {
    /// The file extension.
    pub fn ext(self) -> &'static str {
        crate::choice::Choice::name(self)
    }
}

/// The format of a plot file, from its extension.
pub fn kind_of(path: &Path) -> Result<Kind> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(Kind::Png),
        Some("svg") => Ok(Kind::Svg),
        Some("pdf") => Ok(Kind::Pdf),
        _ => Err(Error::input(
            Diagnostic::new(format!("cannot tell the plot format of {}", path.display()))
                .hint("name the file .png, .svg or .pdf"),
        )),
    }
}

/// A figure to draw: its size and format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure {
    pub size: Size,
    pub kind: Kind,
}

/// Drawing units: the layout is written in points and drawn in the backend's pixels.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    px_per_pt: f64,
    pub size: Size,
}

impl Scale {
    /// The units of a layout computed before drawing: points.
    pub fn for_layout(size: Size) -> Scale {
        Scale {
            px_per_pt: 1.0,
            size,
        }
    }
    /// Pixels per point.
    pub fn px_per_pt(&self) -> f64 {
        self.px_per_pt
    }
    /// `pt` points in pixels.
    pub fn px(&self, pt: f64) -> u32 {
        (pt * self.px_per_pt).round().max(1.0) as u32
    }
    /// `pt` points in pixels, signed.
    pub fn ipx(&self, pt: f64) -> i32 {
        (pt * self.px_per_pt).round() as i32
    }
    /// A font of `pt` points (an em of `pt` points at print size: plotters draws an em of
    /// its size / 1.24, in the SVG as with ab_glyph).
    pub fn font(&self, pt: f64) -> FontDesc<'static> {
        ("sans-serif", pt * self.px_per_pt * PLOTTERS_EM).into_font()
    }
    /// Text of `pt` points anchored at `h`, `v`.
    pub fn text(&self, pt: f64, h: HPos, v: VPos) -> TextStyle<'static> {
        TextStyle::from(self.font(pt)).pos(Pos::new(h, v))
    }
    /// A line of `pt` points.
    pub fn line(&self, c: RGBColor, pt: f64) -> ShapeStyle {
        c.stroke_width(self.px(pt))
    }
    /// The width of the drawing, points.
    pub fn width_pt(&self) -> f64 {
        self.size.width_in() * PT_PER_IN
    }
    /// Characters of `pt`-point text that fit in `width_pt` points (DejaVu Sans takes up to
    /// about 0.62 em a character in running text).
    pub fn chars_in(&self, width_pt: f64, pt: f64) -> usize {
        ((width_pt / (CHAR_EM * pt)).floor() as usize).max(4)
    }
}

/// Draw with `f` (SVG, PDF) or `g` (PNG) on a figure `height_in` inches high: the file's bytes,
/// written by the caller (all plots of a command at once,
/// [`crate::output::write::write_all_or_nothing`]).
pub fn render(
    fig: Figure,
    height_in: f64,
    f: impl Fn(&DrawingArea<SVGBackend, Shift>, &Scale) -> Result<()>,
    g: impl Fn(&DrawingArea<BitMapBackend, Shift>, &Scale) -> Result<()>,
) -> Result<Vec<u8>> {
    register_font();
    let w_in = fig.size.width_in();
    match fig.kind {
        Kind::Svg | Kind::Pdf => {
            let (w, h) = (
                (w_in * PT_PER_IN).round() as u32,
                (height_in * PT_PER_IN).round() as u32,
            );
            let scale = Scale {
                px_per_pt: 1.0,
                size: fig.size,
            };
            let mut s = String::new();
            {
                let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
                f(&root, &scale)?;
                root.present().map_err(draw_err)?;
            }
            let svg = in_inches(&s, w, h)?;
            match fig.kind {
                Kind::Pdf => pdf(&svg),
                _ => Ok(svg.into_bytes()),
            }
        }
        Kind::Png => {
            let (w, h) = (
                (w_in * PNG_DPI).round() as u32,
                (height_in * PNG_DPI).round() as u32,
            );
            let scale = Scale {
                px_per_pt: PNG_DPI / PT_PER_IN,
                size: fig.size,
            };
            let mut buf = vec![0u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
                g(&root, &scale)?;
                root.present().map_err(draw_err)?;
            }
            encode_png(&buf, w, h)
        }
    }
}

/// The SVG with its size in inches (its user unit is the point: `viewBox` in points).
fn in_inches(svg: &str, w_pt: u32, h_pt: u32) -> Result<String> {
    let from = format!("width=\"{w_pt}\" height=\"{h_pt}\"");
    if !svg.contains(&from) {
        return Err(Error::Internal(format!(
            "SVG: no {from} in the root element to size in inches"
        )));
    }
    let to = format!(
        "width=\"{}in\" height=\"{}in\"",
        f64::from(w_pt) / PT_PER_IN,
        f64::from(h_pt) / PT_PER_IN
    );
    let mut out = svg.replacen(&from, &to, 1);
    if !out.contains("viewBox") {
        out = out.replacen("<svg ", &format!("<svg viewBox=\"0 0 {w_pt} {h_pt}\" "), 1);
    }
    Ok(out)
}

/// The PDF of an SVG sized in inches: svg2pdf, text kept as text in the embedded DejaVu Sans.
fn pdf(svg: &str) -> Result<Vec<u8>> {
    use svg2pdf::usvg;
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    let opt = usvg::Options {
        fontdb: std::sync::Arc::new(db),
        font_family: "DejaVu Sans".to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| Error::Internal(format!("SVG: {e}")))?;
    // usvg reads inches at 96 px each: the page is then the SVG's size in points
    let page = svg2pdf::PageOptions { dpi: opt.dpi };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map_err(|e| Error::Internal(format!("PDF: {e}")))
}

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Internal(format!("drawing: {e:?}"))
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

/// A PNG of an RGB buffer at [`PNG_DPI`] (its `pHYs` chunk says so), with no timestamp:
/// deterministic.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let err = |e: png::EncodingError| Error::Internal(format!("PNG: {e}"));
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let per_m = (PNG_DPI / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_m,
            yppu: per_m,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
    }
    Ok(out)
}

/// Axis numbers for print: at most 4 significant digits, `2.25 × 10⁵` when large or small.
fn tick(v: &f64) -> String {
    use crate::output::statement::{numbers, text::Style};
    Style::Markdown.number(&numbers::figure(*v))
}

/// An axis of values up to `top`: its power of ten (a multiple of 3, none between 0.01 and
/// 10,000, as the tables do) and its name with the unit, `GWP [10⁻⁶ kgCO₂eq]`.
fn axis_name(label: &str, unit: &str, top: f64) -> (i32, String) {
    let e = crate::output::statement::numbers::row_exponent(top);
    (
        e,
        crate::output::latex_cells::header(
            crate::output::statement::text::Style::Markdown,
            label,
            unit,
            e,
        ),
    )
}

/// The mesh of every plot for print: text of [`TEXT_PT`], a 0.5 pt axis, light grid lines,
/// short ticks.
fn paper_mesh<'m, 'a, 'b, X, Y, DB>(
    m: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    s: &Scale,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>
        + plotters::coord::ranged1d::ValueFormatter<f64>,
    Y: plotters::coord::ranged1d::Ranged + plotters::coord::ranged1d::ValueFormatter<Y::ValueType>,
    DB: DrawingBackend,
{
    m.label_style(s.font(TEXT_PT))
        .axis_desc_style(s.font(TEXT_PT))
        .axis_style(s.line(BLACK, 0.5))
        .bold_line_style(s.line(GRID, 0.5))
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(s.px(2.5))
}

/// A title over `area`, wrapped to its width; the area below it.
fn titled<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    s: &Scale,
    title: &str,
) -> Result<DrawingArea<DB, Shift>> {
    let (w, _) = area.dim_in_pixel();
    let width_pt = f64::from(w) / s.px_per_pt;
    let lines = wrap(title, s.chars_in(width_pt - 8.0, TITLE_PT));
    let line_pt = TITLE_PT * 1.25;
    for (i, l) in lines.iter().enumerate() {
        area.draw(&Text::new(
            l.clone(),
            (
                (w / 2) as i32,
                s.ipx(4.0 + line_pt * i as f64 + TITLE_PT * 0.6),
            ),
            s.text(TITLE_PT, HPos::Center, VPos::Center),
        ))
        .map_err(draw_err)?;
    }
    let used = s.px(4.0 + line_pt * lines.len() as f64 + 2.0);
    Ok(area.split_vertically(used).1)
}

/// Colours of the extrapolation plot (band, line, points) and of the bar charts.
pub(crate) const BAND: RGBColor = RGBColor(158, 202, 225);
pub(crate) const LINE: RGBColor = RGBColor(33, 113, 181);
pub(crate) const POINT: RGBColor = RGBColor(203, 24, 29);
/// Grid lines.
const GRID: RGBColor = RGBColor(225, 225, 225);

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

/// `c` at opacity `a` over white, as an opaque colour: plots use no transparency, so that the
/// PDF has no graphics states, whose order svg2pdf does not fix (a PDF would differ from run
/// to run).
fn tint(c: RGBColor, a: f64) -> RGBColor {
    let m = |x: u8| (f64::from(x) * a + 255.0 * (1.0 - a)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::impacts::Impacts;
    use crate::quantity::interval::Interval;

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
        for kind in [Kind::Png, Kind::Svg, Kind::Pdf] {
            let fig = Figure {
                size: Size::OneColumn,
                kind,
            };
            let e = impact_bars(fig, &items).err().map(|e| e.to_string());
            assert!(
                e.as_deref()
                    .is_some_and(|e| e.contains("total.gwp") && e.contains("inf")),
                "{e:?}"
            );
        }
        assert!(span(0.0, f64::INFINITY, "x").is_err());
        assert!(span(0.0, f64::NAN, "x").is_err());
    }

    #[test]
    fn svg_is_sized_in_inches() {
        let s = "<svg width=\"252\" height=\"180\" viewBox=\"0 0 252 180\" xmlns=\"x\"></svg>";
        let t = in_inches(s, 252, 180).expect("sized");
        assert!(t.contains("width=\"3.5in\" height=\"2.5in\""), "{t}");
        assert!(t.contains("viewBox=\"0 0 252 180\""), "{t}");
    }

    #[test]
    fn tints_are_opaque_blends_over_white() {
        assert_eq!(tint(RGBColor(0, 100, 255), 0.5), RGBColor(128, 178, 255));
        assert_eq!(tint(RGBColor(10, 20, 30), 1.0), RGBColor(10, 20, 30));
    }

    #[test]
    fn kinds_from_extensions() {
        assert_eq!(kind_of(Path::new("a.PDF")).ok(), Some(Kind::Pdf));
        assert_eq!(kind_of(Path::new("a.png")).ok(), Some(Kind::Png));
        assert!(kind_of(Path::new("a.gif")).is_err());
    }
}
