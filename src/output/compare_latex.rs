//! The comparison as a LaTeX table that fits the text width of an article: `tabularx` with one
//! paragraph column per scenario (at most [`PER_TABLE`] scenarios a table, the next ones in
//! a table of their own), each row's unit carrying a power of ten so that its cells are short
//! plain numbers, the ratio to the first scenario beside each value, the range under it, the
//! best value of each row in bold, and the radar bounds (worst to best) in the last column.
//! Needs `booktabs` and `tabularx`.

use crate::assessment::compare::{Cell, Comparison, Row};
use crate::output::latex_cells::{self, cell};
use crate::output::statement::numbers::{self, at_place};
use crate::output::statement::text::Style;
use crate::output::tex;
use crate::quantity::interval::Interval;
use crate::scenario::Direction;

/// Scenario columns in one table: more would not fit the width of an article's text.
pub const PER_TABLE: usize = 3;

fn interval(c: &Cell) -> Interval {
    Interval::new(c.value, c.min, c.max)
}

/// A ratio with 2 significant digits: `x0.81`.
fn ratio(r: f64) -> String {
    let p = at_place(
        r,
        if r == 0.0 {
            0
        } else {
            r.abs().log10().floor() as i32 - 1
        },
    );
    let m = if p.mantissa.contains('.') {
        p.mantissa
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        p.mantissa
    };
    let written = numbers::tex(&numbers::Printed {
        mantissa: m,
        exponent: p.exponent,
    });
    format!("{{\\footnotesize ($\\times${written})}}")
}

/// The bounds of a row at its power of ten, worst first.
fn bounds(r: &Row, e: i32) -> String {
    let k = 10f64.powi(e);
    match (r.bounds, r.direction) {
        (Some(b), d) => {
            let (worst, best) = match d {
                Direction::BetterLow => (b.max, b.min),
                Direction::BetterHigh => (b.min, b.max),
            };
            let w = |x: f64| numbers::tex(&numbers::figure(x / k));
            format!("{} to {}", w(worst), w(best))
        }
        (None, Direction::BetterLow) => "lower is better".into(),
        (None, Direction::BetterHigh) => "higher is better".into(),
    }
}

/// The LaTeX table(s) of a comparison.
pub fn latex(c: &Comparison) -> String {
    let mut s = String::from("% Needs \\usepackage{booktabs} and \\usepackage{tabularx}.\n");
    let chunks: Vec<(usize, usize)> = (0..c.scenarios.len())
        .step_by(PER_TABLE)
        .map(|a| (a, (a + PER_TABLE).min(c.scenarios.len())))
        .collect();
    for (t, &(a, b)) in chunks.iter().enumerate() {
        s.push_str(&table(c, a, b, t, chunks.len()));
    }
    s
}

fn table(c: &Comparison, a: usize, b: usize, t: usize, tables: usize) -> String {
    let n = b - a;
    // a long comparison (every criterion's use, embodied and total rows, with their ranges) in
    // a smaller size, so that the table fits one page
    let size = if c.rows.len() > 18 {
        "\\scriptsize"
    } else {
        "\\footnotesize"
    };
    let mut s = format!("\\begin{{table}}[htbp]\n\\centering\n{size}\n");
    let part = if tables > 1 {
        format!(" (part {} of {tables})", t + 1)
    } else {
        String::new()
    };
    s.push_str(&format!(
        "\\caption{{Comparison per functional unit{part}: each value with its ratio to {} ($\\times R$) and, below it, its range (min--max); the best value of each row in bold; the bounds of the radar chart, worst to best. Computed with mlca {}, impact data {}.}}\n",
        tex(&c.scenarios[0].label),
        tex(&c.mlca_version),
        tex(&c.impact_data_version)
    ));
    let label = if tables > 1 {
        format!("tab:mlca-comparison-{}", t + 1)
    } else {
        "tab:mlca-comparison".to_string()
    };
    s.push_str(&format!("\\label{{{label}}}\n"));
    s.push_str(&format!(
        "\\begin{{tabularx}}{{\\textwidth}}{{@{{}}>{{\\raggedright\\arraybackslash}}p{{0.25\\textwidth}}*{{{n}}}{{>{{\\raggedleft\\arraybackslash}}X}}>{{\\raggedright\\arraybackslash}}p{{0.13\\textwidth}}@{{}}}}\n\\toprule\nCriterion [unit]"
    ));
    for sc in &c.scenarios[a..b] {
        s.push_str(&format!(" & {}", tex(&sc.label)));
    }
    s.push_str(" & Bounds \\\\\n\\midrule\n");
    for r in &c.rows {
        let values: Vec<Interval> = r.values.iter().flatten().map(interval).collect();
        let e = latex_cells::exponent(&values);
        s.push_str(&latex_cells::header(Style::Latex, &r.criterion, &r.unit, e));
        let mut cells = Vec::new();
        for (col, v) in r.values[a..b].iter().enumerate() {
            let Some(v) = v else {
                s.push_str(" & --");
                cells.push((String::new(), None));
                continue;
            };
            let (value, range) = cell(Style::Latex, interval(v), e);
            let best = r.best.contains(&c.scenarios[a + col].label);
            let value = if best {
                format!("\\textbf{{{value}}}")
            } else {
                value
            };
            let with_ratio = match v.ratio_to_first {
                Some(x) if a + col > 0 => format!("{value} {}", ratio(x)),
                _ => value,
            };
            s.push_str(&format!(" & {with_ratio}"));
            cells.push((String::new(), range));
        }
        s.push_str(&format!(" & {} \\\\\n", bounds(r, e)));
        s.push_str(&latex_cells::range_row(&cells, 1));
    }
    s.push_str("\\bottomrule\n\\end{tabularx}\n\\end{table}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_keep_two_digits() {
        assert_eq!(ratio(0.8132), "{\\footnotesize ($\\times$0.81)}");
        assert_eq!(ratio(1.0), "{\\footnotesize ($\\times$1)}");
        assert_eq!(ratio(0.0), "{\\footnotesize ($\\times$0)}");
        assert_eq!(ratio(0.002112), "{\\footnotesize ($\\times$0.0021)}");
    }
}
