//! Table cells for print, shared by the LaTeX tables (assessment, comparison, statement) and
//! the statement's Markdown table: each row or column carries a power of ten in its unit so
//! that its cells are plain numbers, rounded by the print rule of
//! [`crate::output::statement::numbers`], with the range under the value.

use crate::output::statement::numbers::{
    at_place, figure, place, plain_at, row_exponent, superscript,
};
use crate::output::statement::text::Style;
use crate::quantity::interval::Interval;

/// `x` rounded at decimal place `p` for a cell: plain, or with its own power of ten when it
/// is below a thousandth of the unit (a small part in a column of large ones).
fn written(style: Style, x: f64, p: i32) -> String {
    if x != 0.0 && x.abs() < 1e-3 {
        style.number(&at_place(x, p))
    } else {
        plain_at(x, p)
    }
}

/// A cell at the power of ten `e`: the value, and its bounds when the range shows in the
/// digits printed. An exact value keeps at most 4 significant digits (`0.55`, `1`).
pub fn cell(style: Style, i: Interval, e: i32) -> (String, Option<[String; 2]>) {
    let k = 10f64.powi(e);
    let s = Interval::new(i.value / k, i.min / k, i.max / k);
    if !s.is_exact() {
        let p = place(s);
        let [v, lo, hi] = [s.value, s.min, s.max].map(|x| written(style, x, p));
        if lo != v || hi != v {
            return (v, Some([lo, hi]));
        }
    }
    if s.value != 0.0 && s.value.abs() < 1e-3 {
        return (style.number(&figure(s.value)), None);
    }
    (figure(s.value).mantissa, None)
}

/// A cell of an impact that may be not assessed: "n/a" then.
pub fn cell_or_na(style: Style, i: Option<Interval>, e: i32) -> (String, Option<[String; 2]>) {
    i.map_or_else(
        || (crate::output::NOT_ASSESSED.to_string(), None),
        |i| cell(style, i, e),
    )
}

/// The power of ten of a row or column of intervals: from its largest bound.
pub fn exponent<'a>(cells: impl IntoIterator<Item = &'a Interval>) -> i32 {
    row_exponent(cells.into_iter().map(|i| i.max.abs()).fold(0.0, f64::max))
}

/// `[10^e unit]`, the unit typeset; nothing for a number without unit or power of ten.
pub fn unit(style: Style, unit: &str, e: i32) -> String {
    let unit = style.unit(unit);
    let scale = match (e, style) {
        (0, _) => String::new(),
        (e, Style::Latex) => format!("$10^{{{e}}}$~"),
        (e, Style::Markdown) => format!("10{} ", superscript(e)),
    };
    if unit.is_empty() && scale.is_empty() {
        String::new()
    } else {
        format!("[{scale}{unit}]")
    }
}

/// `LABEL [10^e unit]`, the unit typeset.
pub fn header(style: Style, label: &str, unit_name: &str, e: i32) -> String {
    let u = unit(style, unit_name, e);
    if u.is_empty() {
        style.words(label)
    } else {
        format!("{} {u}", style.words(label))
    }
}

/// The LaTeX row of the ranges under a row of values, or nothing when no cell has one; in
/// `\footnotesize`, a size below the table's `\small`.
pub fn range_row(cells: &[(String, Option<[String; 2]>)], leading: usize) -> String {
    range_row_in(cells, leading, "\\footnotesize")
}

/// [`range_row`] in the font size `size` (`\tiny` under a `\scriptsize` table).
pub fn range_row_in(cells: &[(String, Option<[String; 2]>)], leading: usize, size: &str) -> String {
    if cells.iter().all(|(_, r)| r.is_none()) {
        return String::new();
    }
    let mut parts: Vec<String> = vec![String::new(); leading];
    parts.extend(cells.iter().map(|(_, r)| {
        r.as_ref().map_or(String::new(), |[lo, hi]| {
            // no braces: a group opening a paragraph cell loses its alignment
            format!("{size} ({lo}--{hi})")
        })
    }));
    format!("{} \\\\\n", parts.join(" & "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_scale_and_keep_ranges() {
        let l = Style::Latex;
        assert_eq!(
            cell(l, Interval::exact(6.106e-6), -6),
            ("6.106".into(), None)
        );
        assert_eq!(cell(l, Interval::exact(0.55), 0), ("0.55".into(), None));
        assert_eq!(
            cell(l, Interval::new(1.069e-4, 9.754e-5, 1.366e-4), -6),
            ("107".into(), Some(["98".into(), "137".into()]))
        );
        // a range below the digits printed is no range
        assert_eq!(
            cell(l, Interval::new(0.4903, 0.490_300_1, 0.490_300_2), 0).1,
            None
        );
        // a small part in a column of large ones
        assert_eq!(
            cell(l, Interval::exact(1.41e-6), 0).0,
            "$1.41 \\times 10^{-6}$"
        );
        assert_eq!(
            cell(Style::Markdown, Interval::exact(1.41e-6), 0).0,
            "1.41 × 10⁻⁶"
        );
        assert_eq!(
            exponent(&[Interval::exact(7.8e-8), Interval::exact(6.1e-6)]),
            -6
        );
        assert_eq!(
            header(Style::Latex, "ADP", "kgSbeq", -6),
            "ADP [$10^{-6}$~kgSbeq]"
        );
        assert_eq!(
            header(Style::Markdown, "GWP", "kgCO2eq", 0),
            "GWP [kgCO₂eq]"
        );
        assert_eq!(header(Style::Latex, "Units", "", 0), "Units");
    }

    #[test]
    fn range_rows() {
        let cells = vec![
            ("1".to_string(), None),
            ("2".to_string(), Some(["1".to_string(), "3".to_string()])),
        ];
        assert_eq!(range_row(&cells, 1), " &  & \\footnotesize (1--3) \\\\\n");
        assert_eq!(range_row(&cells[..1], 1), "");
    }
}
