//! The terminal table of an assessment.

use super::{
    breakdown_cells, cell, fu_lines, impacts_rows, list, new_table, num, rho_cell, units_label,
    NOT_ASSESSED,
};
use crate::assessment::{BreakdownLevel, McRow, Report};
use crate::quantity::impacts::Criterion;
use comfy_table::CellAlignment;

/// The Monte Carlo section of the table.
fn monte_carlo_table(r: &Report) -> String {
    let Some(mc) = &r.monte_carlo else {
        return String::new();
    };
    let mut s = format!(
        "\nMonte Carlo: {} samples, seed {}, {} uncertain input(s)\n",
        mc.samples,
        mc.seed,
        mc.parameters.len()
    );
    let mut t = new_table();
    let mut head = vec![
        "Impact".to_string(),
        "Deterministic".into(),
        "Mean".into(),
        "Median".into(),
        "SD".into(),
    ];
    head.extend(
        mc.percentiles
            .iter()
            .map(|p| crate::uncertainty::stats::percentile_key(*p)),
    );
    head.push("Bounds".into());
    t.set_header(head);
    for McRow {
        phase,
        criterion: c,
        stats: st,
        deterministic: det,
    } in r.mc_rows()
    {
        let mut row = vec![
            format!("{} {phase} [{}]", c.label(), c.unit()),
            num(det.value),
            num(st.mean),
            num(st.median),
            num(st.sd),
        ];
        row.extend(st.percentiles.values().map(|v| num(*v)));
        row.push(format!("{} – {}", num(det.min), num(det.max)));
        t.add_row(row);
    }
    s.push_str(&t.to_string());
    s.push_str("\n\nSensitivity of the totals (Spearman rank correlation; GWP total with the input at its min and max):\n");
    let mut u = new_table();
    u.set_header(vec![
        "Input",
        "Distribution",
        "rho GWP",
        "rho ADP",
        "rho PE",
        "rho Water",
        "GWP at min – max [kgCO2eq]",
    ]);
    for x in mc.sensitivity.iter().take(15) {
        let rho = |k: Criterion| rho_cell(*x.rank_correlation.get(k));
        let sw = x.swing.gwp.map_or_else(
            || NOT_ASSESSED.to_string(),
            |[lo, hi]| format!("{} – {}", num(lo), num(hi)),
        );
        u.add_row(vec![
            x.parameter.clone(),
            x.distribution.to_string(),
            rho(Criterion::Gwp),
            rho(Criterion::Adp),
            rho(Criterion::Pe),
            rho(Criterion::Water),
            sw,
        ]);
    }
    s.push_str(&u.to_string());
    if mc.sensitivity.len() > 15 {
        s.push_str(&format!(
            "\n({} more inputs in the JSON output)",
            mc.sensitivity.len() - 15
        ));
    }
    s.push('\n');
    s
}

pub fn table(r: &Report) -> String {
    let mut s = String::new();
    s.push_str(&format!("mlca {} — {}\n", r.mlca_version, r.scenario));
    for l in fu_lines(r) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push_str("\nImpacts per functional unit (value [min – max])\n");
    let mut t = new_table();
    t.set_header(vec![
        "Criterion",
        "Use",
        "Embodied",
        "Total",
        "Embodied share",
    ]);
    for row in impacts_rows(r) {
        t.add_row(row.to_vec());
    }
    for i in 1..5 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    s.push_str(&t.to_string());
    s.push_str("\n\nEmbodied breakdown (manufacture of one node; share allocated to the FU)\n");
    let mut b = new_table();
    b.set_header(vec![
        "Node",
        "Component",
        "Units",
        "GWP [kgCO2eq]",
        "ADP [kgSbeq]",
        "PE [MJ]",
        "Water [m3]",
        "GWP per FU [kgCO2eq]",
    ]);
    for row in &r.breakdown {
        let [g, a, p, w] = breakdown_cells(&row.manufacture);
        let label = if row.level == BreakdownLevel::Node {
            format!("{} ({})", row.name, units_label(row))
        } else {
            format!("  {} {}", row.component, row.name)
        };
        let units = if row.level == BreakdownLevel::Node {
            String::new()
        } else {
            row.units.to_string()
        };
        b.add_row(vec![
            row.node.to_string(),
            label,
            units,
            g,
            a,
            p,
            w,
            cell(&row.per_fu.gwp),
        ]);
    }
    for i in 2..8 {
        if let Some(c) = b.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    s.push_str(&b.to_string());
    s.push('\n');
    s.push_str(&monte_carlo_table(r));
    list(&mut s, "Assumptions", &r.assumptions);
    list(&mut s, "Warnings", &r.warnings);
    let src: Vec<String> = r
        .sources
        .iter()
        .map(|x| {
            let y = if x.year.is_empty() {
                String::new()
            } else {
                format!(" ({})", x.year)
            };
            let u = if x.url.is_empty() {
                String::new()
            } else {
                format!(" {}", x.url)
            };
            format!("[{}] {}{y}{u}", x.id, x.citation)
        })
        .collect();
    list(&mut s, "Sources", &src);
    s.push_str(&format!("\nimpact data: {}\n", r.impact_data_version));
    s
}
