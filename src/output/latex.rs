//! LaTeX tables of an assessment.

use super::{breakdown_cells, cell, impacts_rows, range, tex, units_label};
use crate::assessment::{BreakdownLevel, Report};

/// LaTeX tables (base LaTeX): impacts per functional unit, then the embodied breakdown.
pub fn latex(r: &Report) -> String {
    let mut s = String::from("\\begin{table}[htbp]\n\\centering\n\\small\n\\begin{tabular}{lrrrr}\n\\hline\nCriterion & Use & Embodied & Total & Embodied share \\\\\n\\hline\n");
    for row in impacts_rows(r) {
        s.push_str(&format!(
            "{} \\\\\n",
            row.iter().map(|c| tex(c)).collect::<Vec<_>>().join(" & ")
        ));
    }
    s.push_str(&format!(
        "\\hline\n\\end{{tabular}}\n\\caption{{{}: impacts per functional unit, value [min -- max]. Energy {} kWh at the IT equipment, {} kWh at the facility ({}), PUE {}, electricity {} (mlca {}, impact data {}).}}\n\\end{{table}}\n\n",
        tex(&r.functional_unit.name),
        tex(&range(r.energy_kwh)),
        tex(&range(r.facility_energy_kwh)),
        tex(r.energy.method.key()),
        tex(&range(r.electricity.pue)),
        tex(&r.electricity.location.to_string()),
        tex(&r.mlca_version),
        tex(&r.impact_data_version)
    ));
    s.push_str("\\begin{table}[htbp]\n\\centering\n\\small\n\\begin{tabular}{llrrrrrr}\n\\hline\nNode & Component & Units & GWP [kgCO2eq] & ADP [kgSbeq] & PE [MJ] & Water [m3] & GWP per FU [kgCO2eq] \\\\\n\\hline\n");
    for b in &r.breakdown {
        let [g, a, p, w] = breakdown_cells(&b.manufacture);
        let (label, units) = if b.level == BreakdownLevel::Node {
            (format!("{} ({})", b.name, units_label(b)), String::new())
        } else {
            (format!("{} {}", b.component, b.name), b.units.to_string())
        };
        s.push_str(&format!(
            "{} & {} & {} & {} & {} & {} & {} & {} \\\\\n",
            tex(&b.node),
            tex(&label),
            units,
            tex(&g),
            tex(&a),
            tex(&p),
            tex(&w),
            tex(&cell(&b.per_fu.gwp))
        ));
    }
    s.push_str("\\hline\n\\end{tabular}\n\\caption{Embodied impacts: manufacture of one node and the share allocated to the functional unit.}\n\\end{table}\n");
    s
}
