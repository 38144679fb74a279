//! `mlca compare`: the comparison as a table, JSON, CSV, Markdown or LaTeX.

use crate::assessment::compare::{Cell, Comparison, Row};
use crate::error::{Error, Result};
use crate::output::{csv_text, list, num, range, Format};
use crate::quantity::interval::Interval;
use crate::scenario::Direction;

pub fn render(c: &Comparison, f: Format) -> Result<String> {
    match f {
        Format::Table => Ok(table(c)),
        Format::Json => serde_json::to_string_pretty(c)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        Format::Csv => csv(c),
        Format::Markdown => Ok(markdown(c)),
        Format::Latex => Ok(crate::output::compare_latex::latex(c)),
        Format::ModelCard | Format::Boamps | Format::Parquet => Err(Error::Internal(format!(
            "{} is not a comparison format",
            crate::choice::Choice::name(f)
        ))),
    }
}

fn cell_text(c: &Option<Cell>) -> String {
    match c {
        None => "–".into(),
        Some(c) => {
            let v = range(Interval::new(c.value, c.min, c.max));
            match c.ratio_to_first {
                Some(r) => format!("{v} (x{})", num(r)),
                None => v,
            }
        }
    }
}

fn bounds_text(r: &Row) -> String {
    match (r.bounds, r.direction) {
        (Some(b), Direction::BetterLow) => {
            format!("{} (worst) to {} (best)", num(b.max), num(b.min))
        }
        (Some(b), Direction::BetterHigh) => {
            format!("{} (worst) to {} (best)", num(b.min), num(b.max))
        }
        (None, Direction::BetterLow) => "lower is better".into(),
        (None, Direction::BetterHigh) => "higher is better".into(),
    }
}

pub fn table(c: &Comparison) -> String {
    use comfy_table::{presets, CellAlignment, Table};
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    let mut header = vec!["Criterion".to_string(), "Unit".to_string()];
    header.extend(c.scenarios.iter().map(|s| s.label.clone()));
    header.extend(["Best".to_string(), "Bounds".to_string()]);
    t.set_header(header);
    for r in &c.rows {
        let mut row = vec![r.criterion.clone(), r.unit.clone()];
        row.extend(r.values.iter().map(cell_text));
        row.push(r.best.join(", "));
        row.push(bounds_text(r));
        t.add_row(row);
    }
    for i in 2..2 + c.scenarios.len() {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut s = String::from(
        "Comparison per functional unit (value [min – max], (xR) = ratio to the first scenario)\n",
    );
    for sc in &c.scenarios {
        s.push_str(&format!(
            "  {}: {} — {}\n",
            sc.label, sc.file, sc.functional_unit
        ));
    }
    s.push_str(&t.to_string());
    s.push('\n');
    list(&mut s, "Warnings", &c.warnings);
    s
}

pub fn csv(c: &Comparison) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Internal(format!("CSV output: {e}"));
    w.write_record([
        "criterion",
        "unit",
        "direction",
        "bound_min",
        "bound_max",
        "scenario",
        "value",
        "min",
        "max",
        "ratio_to_first",
        "best",
    ])
    .map_err(err)?;
    for r in &c.rows {
        for (s, v) in c.scenarios.iter().zip(&r.values) {
            let Some(v) = v else { continue };
            let dir = match r.direction {
                Direction::BetterHigh => "better-high",
                Direction::BetterLow => "better-low",
            };
            w.write_record([
                r.criterion.as_str(),
                &r.unit,
                dir,
                &r.bounds.map(|b| b.min.to_string()).unwrap_or_default(),
                &r.bounds.map(|b| b.max.to_string()).unwrap_or_default(),
                &s.label,
                &v.value.to_string(),
                &v.min.to_string(),
                &v.max.to_string(),
                &v.ratio_to_first.map(|x| x.to_string()).unwrap_or_default(),
                if r.best.contains(&s.label) { "yes" } else { "" },
            ])
            .map_err(err)?;
        }
    }
    csv_text(w)
}

pub fn markdown(c: &Comparison) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut s = String::from("| Criterion | Unit |");
    for sc in &c.scenarios {
        s.push_str(&format!(" {} |", esc(&sc.label)));
    }
    s.push_str(" Best | Bounds |\n|---|---|");
    for _ in &c.scenarios {
        s.push_str("---:|");
    }
    s.push_str("---|---|\n");
    for r in &c.rows {
        s.push_str(&format!("| {} | {} |", esc(&r.criterion), esc(&r.unit)));
        for v in &r.values {
            s.push_str(&format!(" {} |", cell_text(v)));
        }
        s.push_str(&format!(
            " {} | {} |\n",
            esc(&r.best.join(", ")),
            bounds_text(r)
        ));
    }
    if !c.warnings.is_empty() {
        s.push('\n');
        for w in &c.warnings {
            s.push_str(&format!("> warning: {}\n", esc(w)));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use crate::output::tex;

    #[test]
    fn latex_escapes_user_text() {
        assert_eq!(
            tex("50 % & $5_x #1 {a} ~ ^"),
            "50 \\% \\& \\$5\\_x \\#1 \\{a\\} \\textasciitilde{} \\textasciicircum{}"
        );
        assert_eq!(tex("a\\b"), "a\\textbackslash{}b");
        assert_eq!(tex("0.5 [0.4 – 0.6]"), "0.5 [0.4 -- 0.6]");
    }
}
