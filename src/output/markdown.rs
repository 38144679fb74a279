//! The Markdown of an assessment.

use super::{breakdown_cells, cell, fu_lines, impacts_rows, md_escape, num, rho_cell, units_label};
use crate::assessment::{BreakdownLevel, McRow, Report};
use crate::quantity::impacts::Criterion;

pub fn markdown(r: &Report) -> String {
    let mut s = format!(
        "## mlca assessment: {}\n\n",
        md_escape(&r.functional_unit.name)
    );
    for l in fu_lines(r) {
        s.push_str(&format!("{}  \n", md_escape(l.trim_start())));
    }
    s.push_str(
        "\n| Criterion | Use | Embodied | Total | Embodied share |\n|---|---:|---:|---:|---:|\n",
    );
    for row in impacts_rows(r) {
        s.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    s.push_str("\n### Embodied breakdown\n\n| Node | Component | Units | GWP [kgCO2eq] | ADP [kgSbeq] | PE [MJ] | Water [m3] | GWP per FU [kgCO2eq] |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
    for b in &r.breakdown {
        let [g, a, p, w] = breakdown_cells(&b.manufacture);
        let (label, units) = if b.level == BreakdownLevel::Node {
            (
                format!("**{}** ({})", md_escape(&b.name), units_label(b)),
                String::new(),
            )
        } else {
            (
                format!("{} {}", b.component, md_escape(&b.name)),
                b.units.to_string(),
            )
        };
        s.push_str(&format!(
            "| {} | {label} | {units} | {g} | {a} | {p} | {w} | {} |\n",
            md_escape(&b.node),
            cell(&b.per_fu.gwp)
        ));
    }
    if let Some(mc) = &r.monte_carlo {
        s.push_str(&format!("\n### Monte Carlo ({} samples, seed {})\n\n| Impact | Deterministic | Mean | Median | SD |", mc.samples, mc.seed));
        for p in &mc.percentiles {
            s.push_str(&format!(
                " {} |",
                crate::uncertainty::stats::percentile_key(*p)
            ));
        }
        s.push_str(" Bounds |\n|---|---:|---:|---:|---:|");
        for _ in &mc.percentiles {
            s.push_str("---:|");
        }
        s.push_str("---:|\n");
        for McRow {
            phase,
            criterion: c,
            stats: st,
            deterministic: d,
        } in r.mc_rows()
        {
            s.push_str(&format!(
                "| {} {phase} [{}] | {} | {} | {} | {} |",
                c.label(),
                c.unit(),
                num(d.value),
                num(st.mean),
                num(st.median),
                num(st.sd)
            ));
            for v in st.percentiles.values() {
                s.push_str(&format!(" {} |", num(*v)));
            }
            s.push_str(&format!(" {} – {} |\n", num(d.min), num(d.max)));
        }
        s.push_str(
            "\n| Input | Distribution | rho GWP | rho ADP | rho PE | rho Water |\n|---|---|---:|---:|---:|---:|\n",
        );
        for x in &mc.sensitivity {
            let rho = |k: Criterion| rho_cell(*x.rank_correlation.get(k));
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                md_escape(&x.parameter),
                x.distribution,
                rho(Criterion::Gwp),
                rho(Criterion::Adp),
                rho(Criterion::Pe),
                rho(Criterion::Water)
            ));
        }
    }
    for (title, items) in [("Assumptions", &r.assumptions), ("Warnings", &r.warnings)] {
        if !items.is_empty() {
            s.push_str(&format!("\n### {title}\n\n"));
            for i in items {
                s.push_str(&format!("- {}\n", md_escape(i)));
            }
        }
    }
    s.push_str("\n### Sources\n\n");
    for x in &r.sources {
        let line = format!(
            "- [{}] {} {} {}",
            x.id,
            md_escape(&x.citation),
            x.year,
            x.url
        );
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push_str(&format!(
        "\nmlca {}, impact data {}\n",
        r.mlca_version, r.impact_data_version
    ));
    s
}
