//! `mlca compare`: several scenarios side by side, one row per criterion, with the ratio of each
//! scenario to the first and the best scenario on each criterion (seed `001`, multi-criteria
//! comparison of a supercomputer node and an edge device).

use crate::assessment::Report;
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::impacts::{Criterion as Impact, Phase};
use crate::quantity::interval::Interval;
use crate::scenario::{label, Bounds, Direction, Loaded};
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
    /// One per scenario, in order; null where a scenario does not declare the criterion or
    /// does not assess it.
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
            functional_unit: r.functional_unit.name.to_string(),
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
        .filter_map(|(_, r)| {
            r.functional_unit
                .quality_metric
                .as_deref()
                .map(str::to_string)
        })
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
        bound("water_m3", &|b| b.water_m3),
    ];

    // the quality's direction: the scenarios' own, which must agree
    let (l0, r0) = &items[0];
    let quality_direction = r0.functional_unit.quality_direction;
    if let Some((l, r)) = items
        .iter()
        .find(|(_, r)| r.functional_unit.quality_direction != quality_direction)
    {
        return Err(l.error_at(
            "functional_unit.quality_direction",
            format!(
                "the quality is {} here but {} in {}",
                direction_name(r.functional_unit.quality_direction),
                direction_name(quality_direction),
                l0.file.display()
            ),
            Some(
                "give every scenario the same quality_direction (better-high or better-low)".into(),
            ),
        ));
    }
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
        "facility_energy_kwh".into(),
        "Electricity at the facility".into(),
        "kWh".into(),
        Direction::BetterLow,
        None,
        items
            .iter()
            .map(|(_, r)| Some(cell(r.facility_energy_kwh)))
            .collect(),
    );
    push(
        "duration_h".into(),
        "Duration".into(),
        "h".into(),
        Direction::BetterLow,
        b_duration,
        items.iter().map(|(_, r)| r.duration_h.map(cell)).collect(),
    );
    let metric = items
        .iter()
        .find_map(|(_, r)| {
            r.functional_unit
                .quality_metric
                .as_deref()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "quality".into());
    push(
        "quality".into(),
        "Quality reached".into(),
        metric,
        quality_direction,
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
        for phase in Phase::ALL {
            let values = items
                .iter()
                .map(|(_, r)| r.impacts.get(phase).value(*c).map(cell))
                .collect();
            let bounds = if phase == Phase::Total {
                b_impact[k]
            } else {
                None
            };
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
        if let Some(i) = decl
            .iter()
            .position(|k| k.is_some_and(|k| k.direction != dir))
        {
            // located in the first scenario that disagrees with the first declaration
            let first_file = items
                .iter()
                .zip(&decl)
                .find(|(_, k)| k.is_some())
                .map(|((l, _), _)| l.file.display().to_string())
                .unwrap_or_default();
            let (l, _) = &items[i];
            let k = l
                .scenario
                .comparison
                .as_ref()
                .and_then(|c| c.criteria.iter().position(|k| k.name == name))
                .unwrap_or(0);
            return Err(l.error_at(
                &format!("comparison.criteria[{k}].direction"),
                format!(
                    "criterion \"{name}\" is {} here but {} in {first_file}",
                    direction_name(decl[i].map_or(dir, |k| k.direction)),
                    direction_name(dir)
                ),
                Some(
                    "declare the same direction (better-high or better-low) in every scenario"
                        .into(),
                ),
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
    let c = Comparison {
        mlca_version: r0.mlca_version.to_string(),
        impact_data_version: r0.impact_data_version.to_string(),
        scenarios: columns,
        rows,
        warnings,
    };
    if let Some((path, v)) = crate::quantity::finite::first_non_finite(&c) {
        return Err(crate::error::Error::Internal(format!(
            "the figure {path} of the comparison is {v}, not a finite number; nothing was written"
        )));
    }
    Ok(c)
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::BetterHigh => "better-high",
        Direction::BetterLow => "better-low",
    }
}
