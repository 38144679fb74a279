//! `mlca compare`: several scenarios side by side, one row per criterion, with the ratio of each
//! scenario to the first and the best scenario on each criterion (seed `001`, multi-criteria
//! comparison of a supercomputer node and an edge device).

use crate::assess::Report;
use crate::error::{Diagnostic, Error, Result};
use crate::impacts::Criterion as Impact;
use crate::interval::Interval;
use crate::report::{num, range};
use crate::scenario::{Bounds, Direction, Loaded};
use serde::Serialize;

/// One scenario of a comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    pub label: String,
    pub file: String,
    pub functional_unit: String,
}

/// One scenario's value on one criterion.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub value: f64,
    pub min: f64,
    pub max: f64,
    /// value / the first scenario's value.
    pub ratio_to_first: Option<f64>,
}

/// One criterion.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub key: String,
    pub criterion: String,
    pub unit: String,
    pub direction: Direction,
    /// Radar bounds, when declared.
    pub bounds: Option<Bounds>,
    /// One per scenario, in order; null where a scenario does not declare the criterion.
    pub values: Vec<Option<Cell>>,
    /// Labels of the best scenario(s).
    pub best: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub mlca_version: String,
    pub impact_data_version: String,
    pub scenarios: Vec<Column>,
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
}

impl Row {
    /// Whether this row is drawn on the radar chart (a total or a declared criterion, with
    /// bounds).
    pub fn on_radar(&self) -> bool {
        self.bounds.is_some() && !self.key.ends_with("_use") && !self.key.ends_with("_embodied")
    }
}

/// The label of a scenario: `comparison.label`, else the file name without extension.
pub fn label(l: &Loaded) -> String {
    l.scenario
        .comparison
        .as_ref()
        .and_then(|c| c.label.clone())
        .unwrap_or_else(|| {
            l.file
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        })
}

/// Check a scenario's declared criteria and bounds: min < max, values inside.
pub fn check_criteria(l: &Loaded) -> Result<()> {
    let Some(c) = &l.scenario.comparison else {
        return Ok(());
    };
    for (i, k) in c.criteria.iter().enumerate() {
        let path = format!("comparison.criteria[{i}]");
        if k.min >= k.max
            || k.min.is_nan()
            || k.max.is_nan()
            || !k.min.is_finite()
            || !k.max.is_finite()
        {
            return Err(l.error_at(&format!("{path}.min"), format!("criterion \"{}\": min {} must be below max {}", k.name, k.min, k.max), Some("min and max are the ends of the criterion's scale; direction says which end is better".into())));
        }
        if !(k.value >= k.min && k.value <= k.max) {
            return Err(l.error_at(
                &format!("{path}.value"),
                format!(
                    "criterion \"{}\": value {} is outside its bounds [{}, {}]",
                    k.name, k.value, k.min, k.max
                ),
                Some("widen the bounds or correct the value".into()),
            ));
        }
    }
    if let Some(b) = &c.bounds {
        for (name, v) in [
            ("energy_kwh", b.energy_kwh),
            ("duration_h", b.duration_h),
            ("quality", b.quality),
            ("gwp_kgco2eq", b.gwp_kgco2eq),
            ("adp_kgsbeq", b.adp_kgsbeq),
            ("pe_mj", b.pe_mj),
        ] {
            if let Some(v) = v {
                if v.min >= v.max || v.min.is_nan() || v.max.is_nan() {
                    return Err(l.error_at(
                        &format!("comparison.bounds.{name}.min"),
                        format!(
                            "bounds of {name}: min {} must be below max {}",
                            v.min, v.max
                        ),
                        None,
                    ));
                }
            }
        }
    }
    Ok(())
}

fn cell(i: Interval) -> Cell {
    Cell {
        value: i.value,
        min: i.min,
        max: i.max,
        ratio_to_first: None,
    }
}

/// Compare assessed scenarios (at least two, each given once).
pub fn compare(items: &[(Loaded, Report)]) -> Result<Comparison> {
    if items.len() < 2 {
        return Err(Error::input(
            Diagnostic::new(format!(
                "compare needs at least two scenarios, {} given",
                items.len()
            ))
            .hint("mlca compare A.yaml B.yaml [C.yaml ...]"),
        ));
    }
    for (i, (a, _)) in items.iter().enumerate() {
        let ca = std::fs::canonicalize(&a.file).unwrap_or_else(|_| a.file.clone());
        for (b, _) in &items[..i] {
            let cb = std::fs::canonicalize(&b.file).unwrap_or_else(|_| b.file.clone());
            if ca == cb {
                return Err(Error::input(
                    Diagnostic::new(format!("{} is given twice", a.file.display()))
                        .file(&a.file)
                        .hint(
                            "compare different scenarios; copy the file to compare a variant of it",
                        ),
                ));
            }
        }
    }
    let mut warnings = Vec::new();
    let columns: Vec<Column> = items
        .iter()
        .map(|(l, r)| Column {
            label: label(l),
            file: l.file.display().to_string(),
            functional_unit: r.functional_unit.name.clone(),
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for c in &columns {
        if !seen.insert(c.label.clone()) {
            return Err(Error::input(
                Diagnostic::new(format!("two scenarios have the label \"{}\"", c.label))
                    .hint("set comparison.label in one of them"),
            ));
        }
    }
    let fus: std::collections::BTreeSet<&str> =
        columns.iter().map(|c| c.functional_unit.as_str()).collect();
    if fus.len() > 1 {
        warnings.push(format!(
            "the functional units differ ({}): the scenarios do not deliver the same service, so their impacts compare only with care",
            columns.iter().map(|c| format!("{}: \"{}\"", c.label, c.functional_unit)).collect::<Vec<_>>().join("; ")
        ));
    }
    let metrics: std::collections::BTreeSet<String> = items
        .iter()
        .filter_map(|(_, r)| r.functional_unit.quality_metric.clone())
        .collect();
    if metrics.len() > 1 {
        warnings.push(format!(
            "the quality metrics differ: {}",
            metrics.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    // Radar bounds of the standard criteria: the widest declared, with a warning if they differ.
    let mut bound = |name: &str,
                     get: &dyn Fn(&crate::scenario::StandardBounds) -> Option<Bounds>|
     -> Option<Bounds> {
        let all: Vec<Bounds> = items
            .iter()
            .filter_map(|(l, _)| {
                l.scenario
                    .comparison
                    .as_ref()
                    .and_then(|c| c.bounds.as_ref())
                    .and_then(get)
            })
            .collect();
        let first = *all.first()?;
        if all.iter().any(|b| *b != first) {
            warnings.push(format!(
                "the scenarios declare different bounds for {name}: the widest are used"
            ));
        }
        Some(Bounds {
            min: all.iter().map(|b| b.min).fold(f64::INFINITY, f64::min),
            max: all.iter().map(|b| b.max).fold(f64::NEG_INFINITY, f64::max),
        })
    };
    let b_energy = bound("energy_kwh", &|b| b.energy_kwh);
    let b_duration = bound("duration_h", &|b| b.duration_h);
    let b_quality = bound("quality", &|b| b.quality);
    let b_impact = [
        bound("gwp_kgco2eq", &|b| b.gwp_kgco2eq),
        bound("adp_kgsbeq", &|b| b.adp_kgsbeq),
        bound("pe_mj", &|b| b.pe_mj),
    ];

    let mut rows = Vec::new();
    let mut push = |key: String,
                    criterion: String,
                    unit: String,
                    direction: Direction,
                    bounds: Option<Bounds>,
                    values: Vec<Option<Cell>>| {
        rows.push(Row {
            key,
            criterion,
            unit,
            direction,
            bounds,
            values,
            best: vec![],
        });
    };
    push(
        "energy_kwh".into(),
        "Electricity".into(),
        "kWh".into(),
        Direction::BetterLow,
        b_energy,
        items
            .iter()
            .map(|(_, r)| Some(cell(r.energy_kwh)))
            .collect(),
    );
    push(
        "duration_h".into(),
        "Duration".into(),
        "h".into(),
        Direction::BetterLow,
        b_duration,
        items
            .iter()
            .map(|(_, r)| Some(cell(r.duration_h)))
            .collect(),
    );
    let metric = items
        .iter()
        .find_map(|(_, r)| r.functional_unit.quality_metric.clone())
        .unwrap_or_else(|| "quality".into());
    push(
        "quality".into(),
        "Quality reached".into(),
        metric,
        Direction::BetterHigh,
        b_quality,
        items
            .iter()
            .map(|(_, r)| {
                r.functional_unit
                    .quality_reached
                    .map(|q| cell(Interval::exact(q)))
            })
            .collect(),
    );
    for (k, c) in Impact::ALL.iter().enumerate() {
        for phase in ["use", "embodied", "total"] {
            let values = items
                .iter()
                .map(|(_, r)| Some(cell(r.impacts.phase(phase).get(*c))))
                .collect();
            let bounds = if phase == "total" { b_impact[k] } else { None };
            push(
                format!("{}_{phase}", c.key()),
                format!("{} {phase}", c.label()),
                c.unit().into(),
                Direction::BetterLow,
                bounds,
                values,
            );
        }
    }
    // Declared criteria, in order of first appearance.
    let mut names: Vec<String> = Vec::new();
    for (l, _) in items {
        for k in l.scenario.comparison.iter().flat_map(|c| &c.criteria) {
            if !names.contains(&k.name) {
                names.push(k.name.clone());
            }
        }
    }
    for name in names {
        let decl: Vec<Option<&crate::scenario::Criterion>> = items
            .iter()
            .map(|(l, _)| {
                l.scenario
                    .comparison
                    .as_ref()
                    .and_then(|c| c.criteria.iter().find(|k| k.name == name))
            })
            .collect();
        let Some(first) = decl.iter().flatten().next() else {
            continue;
        };
        let (dir, unit) = (first.direction, first.unit.clone().unwrap_or_default());
        if decl.iter().flatten().any(|k| k.direction != dir) {
            return Err(Error::input(
                Diagnostic::new(format!(
                    "criterion \"{name}\" has different directions in the scenarios"
                ))
                .hint("declare the same direction (better-high or better-low) everywhere"),
            ));
        }
        let lo = decl
            .iter()
            .flatten()
            .map(|k| k.min)
            .fold(f64::INFINITY, f64::min);
        let hi = decl
            .iter()
            .flatten()
            .map(|k| k.max)
            .fold(f64::NEG_INFINITY, f64::max);
        if decl.iter().flatten().any(|k| k.min != lo || k.max != hi) {
            warnings.push(format!(
                "criterion \"{name}\" has different bounds in the scenarios: the widest are used"
            ));
        }
        if decl.iter().any(Option::is_none) {
            warnings.push(format!(
                "criterion \"{name}\" is not declared by every scenario"
            ));
        }
        push(
            format!("criterion:{name}"),
            name.clone(),
            unit,
            dir,
            Some(Bounds { min: lo, max: hi }),
            decl.iter()
                .map(|k| k.map(|k| cell(Interval::exact(k.value))))
                .collect(),
        );
    }
    for row in &mut rows {
        let first = row.values.first().cloned().flatten().map(|c| c.value);
        for c in row.values.iter_mut().skip(1).flatten() {
            c.ratio_to_first = first.filter(|f| *f != 0.0).map(|f| c.value / f);
        }
        let vals: Vec<(usize, f64)> = row
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (i, c.value)))
            .collect();
        let best = match row.direction {
            Direction::BetterLow => vals.iter().map(|v| v.1).fold(f64::INFINITY, f64::min),
            Direction::BetterHigh => vals.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max),
        };
        row.best = vals
            .iter()
            .filter(|v| (v.1 - best).abs() <= 1e-12 * best.abs().max(1e-300))
            .map(|v| columns[v.0].label.clone())
            .collect();
    }
    let (_, r0) = &items[0];
    Ok(Comparison {
        mlca_version: r0.mlca_version.clone(),
        impact_data_version: r0.impact_data_version.clone(),
        scenarios: columns,
        rows,
        warnings,
    })
}

/// Output formats of `mlca compare`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Latex,
}

pub fn render(c: &Comparison, f: Format) -> Result<String> {
    match f {
        Format::Table => Ok(table(c)),
        Format::Json => serde_json::to_string_pretty(c)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        Format::Csv => csv(c),
        Format::Markdown => Ok(markdown(c)),
        Format::Latex => Ok(latex(c)),
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
    crate::report::list(&mut s, "Warnings", &c.warnings);
    s
}

pub fn csv(c: &Comparison) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
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
    crate::report::csv_text(w)
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

/// Escape text for LaTeX.
pub fn tex(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => o.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                o.push('\\');
                o.push(ch);
            }
            '~' => o.push_str("\\textasciitilde{}"),
            '^' => o.push_str("\\textasciicircum{}"),
            '<' => o.push_str("\\textless{}"),
            '>' => o.push_str("\\textgreater{}"),
            '–' => o.push_str("--"),
            '—' => o.push_str("---"),
            '×' => o.push_str("$\\times$"),
            c if c.is_ascii() => o.push(c),
            'é' => o.push_str("\\'e"),
            'è' => o.push_str("\\`e"),
            'à' => o.push_str("\\`a"),
            'ô' => o.push_str("\\^o"),
            'ü' => o.push_str("\\\"u"),
            'ö' => o.push_str("\\\"o"),
            '²' => o.push_str("$^2$"),
            _ => o.push('?'),
        }
    }
    o
}

/// A LaTeX table (tabular in a table environment, base LaTeX only).
pub fn latex(c: &Comparison) -> String {
    let n = c.scenarios.len();
    let mut s = String::from("\\begin{table}[htbp]\n\\centering\n\\small\n");
    s.push_str(&format!(
        "\\begin{{tabular}}{{ll{}ll}}\n\\hline\n",
        "r".repeat(n)
    ));
    s.push_str("Criterion & Unit");
    for sc in &c.scenarios {
        s.push_str(&format!(" & {}", tex(&sc.label)));
    }
    s.push_str(" & Best & Bounds \\\\\n\\hline\n");
    for r in &c.rows {
        s.push_str(&format!("{} & {}", tex(&r.criterion), tex(&r.unit)));
        for v in &r.values {
            s.push_str(&format!(" & {}", tex(&cell_text(v))));
        }
        s.push_str(&format!(
            " & {} & {} \\\\\n",
            tex(&r.best.join(", ")),
            tex(&bounds_text(r))
        ));
    }
    s.push_str("\\hline\n\\end{tabular}\n");
    s.push_str(&format!(
        "\\caption{{Impacts per functional unit: value [min -- max]; (x$R$) is the ratio to {}. Computed with mlca {}, impact data {}.}}\n\\end{{table}}\n",
        tex(&c.scenarios[0].label),
        tex(&c.mlca_version),
        tex(&c.impact_data_version)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
