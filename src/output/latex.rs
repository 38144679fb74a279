//! LaTeX tables of an assessment (booktabs, tabularx): the impacts per functional unit, and the
//! embodied breakdown. Each row (impacts) or column (breakdown) carries a power of ten in its
//! unit so that the cells are short plain numbers, with their ranges under them; both tables
//! fit the text width of an article.

use super::latex_cells::{self, cell_or_na};
use super::statement::text::Style;
use super::{share, tex, units_label, NOT_ASSESSED};
use crate::assessment::{BreakdownLevel, Report};
use crate::quantity::impacts::{Criterion, Phase};
use crate::quantity::interval::Interval;

/// LaTeX tables: impacts per functional unit, then the embodied breakdown. Needs `booktabs`
/// and `tabularx`.
pub fn latex(r: &Report) -> String {
    let mut s = String::from("% Needs \\usepackage{booktabs} and \\usepackage{tabularx}.\n");
    s.push_str(&format!(
        "\\begin{{table}}[htbp]\n\\centering\n\\small\n\\caption{{{}: impacts per functional unit, with the range (min--max) under each value. Energy {} kWh at the IT equipment, {} kWh at the facility ({}), PUE {}, electricity {} (mlca {}, impact data {}).}}\n\\label{{tab:mlca-impacts}}\n\\begin{{tabularx}}{{\\textwidth}}{{@{{}}>{{\\raggedright\\arraybackslash}}X rrrr@{{}}}}\n\\toprule\nCriterion & Use & Embodied & Total & Embodied share \\\\\n\\midrule\n",
        tex(&r.functional_unit.name),
        Style::Latex.range(r.energy_kwh),
        Style::Latex.range(r.facility_energy_kwh),
        tex(r.energy.method.key()),
        Style::Latex.range(r.electricity.pue),
        tex(&r.electricity.location.to_string()),
        tex(r.mlca_version),
        tex(&r.impact_data_version)
    ));
    for c in Criterion::ALL {
        let phases: Vec<Option<Interval>> = Phase::ALL
            .iter()
            .map(|p| r.impacts.get(*p).value(c))
            .collect();
        let e = latex_cells::exponent(phases.iter().flatten());
        let cells: Vec<_> = phases
            .iter()
            .map(|i| cell_or_na(Style::Latex, *i, e))
            .collect();
        s.push_str(&latex_cells::header(Style::Latex, c.label(), c.unit(), e));
        for (v, _) in &cells {
            s.push_str(&format!(" & {v}"));
        }
        let embodied_share = match (r.impacts.embodied.value(c), r.impacts.total.value(c)) {
            (Some(e), Some(t)) => share(e.value, t.value),
            _ => NOT_ASSESSED.into(),
        };
        s.push_str(&format!(" & {} \\\\\n", tex(&embodied_share)));
        s.push_str(&latex_cells::range_row(&cells, 1));
    }
    s.push_str("\\bottomrule\n\\end{tabularx}\n\\end{table}\n\n");
    // the breakdown: one power of ten per column
    let cols: Vec<Vec<Option<Interval>>> = Criterion::ALL
        .iter()
        .map(|c| {
            r.breakdown
                .iter()
                .map(|b| b.manufacture.value(*c))
                .collect()
        })
        .chain(std::iter::once(
            r.breakdown.iter().map(|b| b.per_fu.gwp.value()).collect(),
        ))
        .collect();
    let exps: Vec<i32> = cols
        .iter()
        .map(|col| latex_cells::exponent(col.iter().flatten()))
        .collect();
    let labels: Vec<&str> = Criterion::ALL.iter().map(|c| c.label()).collect();
    s.push_str(&format!(
        "\\begin{{table}}[htbp]\n\\centering\n\\scriptsize\n\\caption{{Embodied impacts: manufacture of one node and of each part of it, with the range (min--max) under each value, and the share of the GWP allocated to the functional unit.}}\n\\label{{tab:mlca-embodied}}\n\\begin{{tabularx}}{{\\textwidth}}{{@{{}}>{{\\raggedright\\arraybackslash}}X r{}r@{{}}}}\n\\toprule\nPart & Units & {} & GWP per FU \\\\\n &",
        "r".repeat(Criterion::ALL.len()),
        labels.join(" & ")
    ));
    for (i, c) in Criterion::ALL.iter().enumerate() {
        s.push_str(&format!(
            " & {}",
            latex_cells::unit(Style::Latex, c.unit(), exps[i])
        ));
    }
    s.push_str(&format!(
        " & {} \\\\\n\\midrule\n",
        latex_cells::unit(
            Style::Latex,
            Criterion::Gwp.unit(),
            exps[Criterion::ALL.len()]
        )
    ));
    for (row, b) in r.breakdown.iter().enumerate() {
        let (label, units) = if b.level == BreakdownLevel::Node {
            (
                format!("\\textbf{{{}}} ({})", tex(&b.name), tex(&units_label(b))),
                String::new(),
            )
        } else {
            (
                format!("{} {}", tex(&b.component.to_string()), tex(&b.name)),
                b.units.to_string(),
            )
        };
        if b.level == BreakdownLevel::Node && row > 0 {
            s.push_str("\\midrule\n");
        }
        s.push_str(&format!("{label} & {units}"));
        let cells: Vec<_> = cols
            .iter()
            .zip(&exps)
            .map(|(col, e)| cell_or_na(Style::Latex, col[row], *e))
            .collect();
        for (v, _) in &cells {
            s.push_str(&format!(" & {v}"));
        }
        s.push_str(" \\\\\n");
        s.push_str(&latex_cells::range_row_in(&cells, 2, "\\tiny"));
    }
    s.push_str("\\bottomrule\n\\end{tabularx}\n\\end{table}\n");
    s
}
