//! Renderers of an assessment report. Each returns the bytes to write; only the CLI touches files.

use crate::assess::Report;
use crate::error::{Error, Result};
use crate::impacts::{Criterion, Impacts};
use crate::interval::Interval;
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};

/// Output formats of `mlca assess`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Latex,
}

pub fn render(r: &Report, f: Format) -> Result<String> {
    match f {
        Format::Table => Ok(table(r)),
        Format::Json => json(r),
        Format::Csv => csv(r),
        Format::Markdown => Ok(markdown(r)),
        Format::Latex => Ok(latex(r)),
    }
}

pub fn json(r: &Report) -> Result<String> {
    let err = |e: serde_json::Error| Error::Internal(format!("JSON output: {e}"));
    let mut v = serde_json::to_value(r).map_err(err)?;
    // With Monte Carlo, each impact object gains its distribution.
    if let Some(mc) = &r.monte_carlo {
        for (phase, crits) in &mc.impacts {
            for (c, st) in crits {
                if let Some(obj) = v
                    .pointer_mut(&format!("/impacts/{phase}/{c}"))
                    .and_then(|x| x.as_object_mut())
                {
                    obj.insert(
                        "distribution".into(),
                        serde_json::to_value(st).map_err(err)?,
                    );
                }
            }
        }
        if let Some(obj) = v.pointer_mut("/energy_kwh").and_then(|x| x.as_object_mut()) {
            obj.insert(
                "distribution".into(),
                serde_json::to_value(&mc.energy_kwh).map_err(err)?,
            );
        }
    }
    serde_json::to_string_pretty(&v)
        .map(|s| s + "\n")
        .map_err(err)
}

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
    head.extend(mc.percentiles.iter().map(|p| crate::mc::percentile_key(*p)));
    head.push("Bounds".into());
    t.set_header(head);
    for (phase, c, st, det) in r.mc_rows() {
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
        "GWP at min – max [kgCO2eq]",
    ]);
    for x in mc.sensitivity.iter().take(15) {
        let rho = |k: &str| {
            x.rank_correlation
                .get(k)
                .map_or("–".into(), |v| format!("{v:+.3}"))
        };
        let sw = x
            .swing
            .get("gwp")
            .map_or("–".into(), |[a, b]| format!("{} – {}", num(*a), num(*b)));
        u.add_row(vec![
            x.parameter.clone(),
            x.distribution.to_string(),
            rho("gwp"),
            rho("adp"),
            rho("pe"),
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

/// A number with 4 significant figures, in scientific notation outside [0.001, 100000).
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if !(1e-3..1e5).contains(&a) {
        return format!("{x:.3e}");
    }
    let digits = (3 - a.log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `value` or `value [min – max]`.
pub fn range(i: Interval) -> String {
    if i.is_exact() {
        num(i.value)
    } else {
        format!("{} [{} – {}]", num(i.value), num(i.min), num(i.max))
    }
}

fn new_table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    t
}

fn impacts_rows(r: &Report) -> Vec<[String; 5]> {
    Criterion::ALL
        .iter()
        .map(|&c| {
            [
                format!("{} [{}]", c.label(), c.unit()),
                range(r.impacts.use_phase.get(c)),
                range(r.impacts.embodied.get(c)),
                range(r.impacts.total.get(c)),
                share(
                    r.impacts.embodied.get(c).value,
                    r.impacts.total.get(c).value,
                ),
            ]
        })
        .collect()
}

fn share(part: f64, total: f64) -> String {
    if total > 0.0 {
        format!("{:.1} %", 100.0 * part / total)
    } else {
        "–".into()
    }
}

fn fu_lines(r: &Report) -> Vec<String> {
    let fu = &r.functional_unit;
    let mut out = vec![format!("Functional unit: {}", fu.name)];
    if let Some(d) = &fu.description {
        out.push(format!("  {d}"));
    }
    if fu.quality_target.is_some() || fu.quality_reached.is_some() {
        let m = fu
            .quality_metric
            .clone()
            .unwrap_or_else(|| "quality".into());
        let t = fu.quality_target.map(num).unwrap_or_else(|| "–".into());
        let q = fu.quality_reached.map(num).unwrap_or_else(|| "–".into());
        out.push(format!("  {m}: target {t}, reached {q}"));
    }
    if fu.count > 1 {
        out.push(format!(
            "  the run delivered {} functional units; figures are per unit",
            fu.count
        ));
    }
    out.push(format!(
        "Energy (IT, per FU): {} kWh ({})   Duration of the run: {} h   PUE: {}",
        range(r.energy_kwh),
        r.energy.method,
        range(r.duration_h),
        range(r.electricity.pue)
    ));
    for t in &r.energy.traces {
        let window = match (&t.window_start, &t.window_end) {
            (None, None) => String::new(),
            (a, b) => format!(
                ", window {} to {}",
                a.as_deref().unwrap_or("start"),
                b.as_deref().unwrap_or("end")
            ),
        };
        out.push(format!(
            "  measured: {} ({}, {} device(s), {} s{window}, {} gap(s), policy {}): {} kWh {}",
            t.file,
            t.format,
            t.devices,
            num(t.duration_s),
            t.gaps,
            t.gap_policy,
            range(t.energy_kwh),
            t.energy_basis
        ));
        if let Some(d) = t.dynamic_energy_kwh {
            out.push(format!(
                "    total {} kWh, dynamic (minus idle) {} kWh",
                range(t.total_energy_kwh),
                range(d)
            ));
        }
    }
    for x in &r.energy.extrapolation {
        let p = &x.prediction;
        let fit = match (x.measured_steps, x.r2) {
            (Some([lo, hi]), Some(r2)) => format!(
                "{} points ({}-{} steps) of {}, R^2 {:.4}",
                x.points,
                num(lo),
                num(hi),
                x.source,
                r2
            ),
            _ => format!("published fit ({})", x.source),
        };
        out.push(format!(
            "  extrapolated: {}: E(N) = {:.4e} + {:.4e} N kWh from {fit}; {} steps: {} kWh per node, x{} nodes / efficiency {} = {} kWh",
            x.name,
            x.intercept_kwh,
            x.slope_kwh_per_step,
            num(p.target_steps),
            range(p.energy_per_node_kwh),
            p.nodes,
            p.parallel_efficiency,
            range(p.energy_kwh)
        ));
    }
    if !r.energy.components.is_empty() {
        let parts: Vec<String> = r
            .energy
            .components
            .iter()
            .map(|c| format!("{} {} kWh", c.name, range(c.energy_kwh)))
            .collect();
        out.push(format!("  by component: {}", parts.join(", ")));
    }
    out.push(format!(
        "Electricity ({}): {} kgCO2eq/kWh, {} kgSbeq/kWh, {} MJ/kWh",
        r.electricity.location,
        range(r.electricity.gwp_kgco2eq_per_kwh),
        range(r.electricity.adp_kgsbeq_per_kwh),
        range(r.electricity.pe_mj_per_kwh)
    ));
    out.push(format!(
        "Allocation: {} of the nodes' embodied impacts (lifetime {} h, AUR {})",
        range(r.allocation.share_of_node_life),
        range(r.allocation.lifetime_h),
        range(r.allocation.active_utilization_rate)
    ));
    out
}

fn nodes(n: u32) -> String {
    if n == 1 {
        "1 node".into()
    } else {
        format!("{n} nodes")
    }
}

fn breakdown_cells(m: &Impacts) -> [String; 3] {
    [range(m.gwp), range(m.adp), range(m.pe)]
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
        "GWP per FU [kgCO2eq]",
    ]);
    for row in &r.breakdown {
        let [g, a, p] = breakdown_cells(&row.manufacture);
        let label = if row.level == "node" {
            format!("{} ({})", row.name, nodes(row.units))
        } else {
            format!("  {} {}", row.component, row.name)
        };
        let units = if row.level == "node" {
            String::new()
        } else {
            row.units.to_string()
        };
        b.add_row(vec![
            row.node.clone(),
            label,
            units,
            g,
            a,
            p,
            range(row.per_fu.gwp),
        ]);
    }
    for i in 2..7 {
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

/// A titled list of lines ("Warnings:", "  - ..."), nothing when empty.
pub(crate) fn list(s: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    s.push_str(&format!("\n{title}:\n"));
    for i in items {
        s.push_str(&format!("  - {i}\n"));
    }
}

/// Long CSV: one row per figure, with its bounds and unit.
pub fn csv(r: &Report) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Internal(format!("CSV output: {e}"));
    w.write_record([
        "section",
        "node",
        "component",
        "name",
        "phase",
        "criterion",
        "value",
        "min",
        "max",
        "unit",
    ])
    .map_err(err)?;
    let mut row = |sec: &str,
                   node: &str,
                   comp: &str,
                   name: &str,
                   phase: &str,
                   crit: &str,
                   i: Interval,
                   unit: &str| {
        w.write_record([
            sec,
            node,
            comp,
            name,
            phase,
            crit,
            &i.value.to_string(),
            &i.min.to_string(),
            &i.max.to_string(),
            unit,
        ])
    };
    row("energy", "", "", "", "use", "energy", r.energy_kwh, "kWh").map_err(err)?;
    row("duration", "", "", "", "", "duration", r.duration_h, "h").map_err(err)?;
    for (phase, imp) in r.impacts.phases() {
        for c in Criterion::ALL {
            row("impacts", "", "", "", phase, c.key(), imp.get(c), c.unit()).map_err(err)?;
        }
    }
    for b in &r.breakdown {
        for (phase, imp) in [("manufacture", &b.manufacture), ("per_fu", &b.per_fu)] {
            for c in Criterion::ALL {
                row(
                    &format!("breakdown_{}", b.level),
                    &b.node,
                    &b.component,
                    &b.name,
                    phase,
                    c.key(),
                    imp.get(c),
                    c.unit(),
                )
                .map_err(err)?;
            }
        }
    }
    // Monte Carlo: one row per statistic (section "distribution", the statistic in `name`, its
    // value in `value`, the impact's bounds in `min` and `max`).
    for (phase, c, st, b) in r.mc_rows() {
        let mut stats: Vec<(String, f64)> = vec![
            ("mean".into(), st.mean),
            ("median".into(), st.median),
            ("sd".into(), st.sd),
        ];
        stats.extend(st.percentiles.iter().map(|(k, v)| (k.clone(), *v)));
        for (name, v) in stats {
            w.write_record([
                "distribution",
                "",
                "",
                &name,
                phase,
                c.key(),
                &v.to_string(),
                &b.min.to_string(),
                &b.max.to_string(),
                c.unit(),
            ])
            .map_err(err)?;
        }
    }
    csv_text(w)
}

/// The text of a CSV writer over a buffer.
pub(crate) fn csv_text(w: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("CSV output: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("CSV output: {e}")))
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

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
    s.push_str("\n### Embodied breakdown\n\n| Node | Component | Units | GWP [kgCO2eq] | ADP [kgSbeq] | PE [MJ] | GWP per FU [kgCO2eq] |\n|---|---|---:|---:|---:|---:|---:|\n");
    for b in &r.breakdown {
        let [g, a, p] = breakdown_cells(&b.manufacture);
        let (label, units) = if b.level == "node" {
            (
                format!("**{}** ({})", md_escape(&b.name), nodes(b.units)),
                String::new(),
            )
        } else {
            (
                format!("{} {}", b.component, md_escape(&b.name)),
                b.units.to_string(),
            )
        };
        s.push_str(&format!(
            "| {} | {label} | {units} | {g} | {a} | {p} | {} |\n",
            md_escape(&b.node),
            range(b.per_fu.gwp)
        ));
    }
    if let Some(mc) = &r.monte_carlo {
        s.push_str(&format!("\n### Monte Carlo ({} samples, seed {})\n\n| Impact | Deterministic | Mean | Median | SD |", mc.samples, mc.seed));
        for p in &mc.percentiles {
            s.push_str(&format!(" {} |", crate::mc::percentile_key(*p)));
        }
        s.push_str(" Bounds |\n|---|---:|---:|---:|---:|");
        for _ in &mc.percentiles {
            s.push_str("---:|");
        }
        s.push_str("---:|\n");
        for (phase, c, st, d) in r.mc_rows() {
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
            "\n| Input | Distribution | rho GWP | rho ADP | rho PE |\n|---|---|---:|---:|---:|\n",
        );
        for x in &mc.sensitivity {
            let rho = |k: &str| {
                x.rank_correlation
                    .get(k)
                    .map_or("–".into(), |v| format!("{v:+.3}"))
            };
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md_escape(&x.parameter),
                x.distribution,
                rho("gwp"),
                rho("adp"),
                rho("pe")
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

/// LaTeX tables (base LaTeX): impacts per functional unit, then the embodied breakdown.
pub fn latex(r: &Report) -> String {
    use crate::compare::tex;
    let mut s = String::from("\\begin{table}[htbp]\n\\centering\n\\small\n\\begin{tabular}{lrrrr}\n\\hline\nCriterion & Use & Embodied & Total & Embodied share \\\\\n\\hline\n");
    for row in impacts_rows(r) {
        s.push_str(&format!(
            "{} \\\\\n",
            row.iter().map(|c| tex(c)).collect::<Vec<_>>().join(" & ")
        ));
    }
    s.push_str(&format!(
        "\\hline\n\\end{{tabular}}\n\\caption{{{}: impacts per functional unit, value [min -- max]. Energy {} kWh ({}), PUE {}, electricity {} (mlca {}, impact data {}).}}\n\\end{{table}}\n\n",
        tex(&r.functional_unit.name),
        tex(&range(r.energy_kwh)),
        tex(&r.energy.method),
        tex(&range(r.electricity.pue)),
        tex(&r.electricity.location),
        tex(&r.mlca_version),
        tex(&r.impact_data_version)
    ));
    s.push_str("\\begin{table}[htbp]\n\\centering\n\\small\n\\begin{tabular}{llrrrrr}\n\\hline\nNode & Component & Units & GWP [kgCO2eq] & ADP [kgSbeq] & PE [MJ] & GWP per FU [kgCO2eq] \\\\\n\\hline\n");
    for b in &r.breakdown {
        let [g, a, p] = breakdown_cells(&b.manufacture);
        let (label, units) = if b.level == "node" {
            (format!("{} ({})", b.name, nodes(b.units)), String::new())
        } else {
            (format!("{} {}", b.component, b.name), b.units.to_string())
        };
        s.push_str(&format!(
            "{} & {} & {} & {} & {} & {} & {} \\\\\n",
            tex(&b.node),
            tex(&label),
            units,
            tex(&g),
            tex(&a),
            tex(&p),
            tex(&range(b.per_fu.gwp))
        ));
    }
    s.push_str("\\hline\n\\end{tabular}\n\\caption{Embodied impacts: manufacture of one node and the share allocated to the functional unit.}\n\\end{table}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_significant_figures() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(3858.0), "3858");
        assert_eq!(num(0.1308), "0.1308");
        assert_eq!(num(12.3456), "12.35");
        assert_eq!(num(7.8e-8), "7.800e-8");
        assert_eq!(num(123456.0), "1.235e5");
        assert_eq!(range(Interval::new(1.0, 0.5, 2.0)), "1 [0.5 – 2]");
    }
}
