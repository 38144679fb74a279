//! `mlca assess --compare-methods`: the embodied impacts of every embodied method side by side,
//! so that a paper can show the spread between methods (the same A100 is 568 kgCO2eq in
//! BoaviztAPI 2.5.0, 330 in MLCA, 164 per H100-class card in EcoLogits).

use crate::assess::{assess, Report};
use crate::data::ImpactData;
use crate::embodied::EmbodiedMethod;
use crate::error::{Error, Result};
use crate::impacts::{Criterion, Impacts};
use crate::report::{num, range, Format};
use crate::scenario::Loaded;
use serde::Serialize;

#[derive(Serialize)]
struct Row {
    method: &'static str,
    /// Manufacture of one node of each kind, summed over the kinds.
    node_manufacture: Option<Impacts>,
    /// Embodied impacts per functional unit.
    embodied: Option<Impacts>,
    error: Option<String>,
}

#[derive(Serialize)]
struct Comparison {
    scenario: String,
    rows: Vec<Row>,
    /// max / min of the embodied GWP per FU over the methods that apply.
    gwp_spread: Option<f64>,
}

fn one(
    loaded: &Loaded,
    data: &ImpactData,
    m: EmbodiedMethod,
) -> std::result::Result<Report, Error> {
    let mut l = loaded.clone();
    l.scenario.embodied_method = Some(m);
    assess(&l, data)
}

pub fn compare(loaded: &Loaded, data: &ImpactData, format: Format) -> Result<String> {
    let mut rows = Vec::new();
    for m in EmbodiedMethod::ALL {
        match one(loaded, data, m) {
            Ok(r) => {
                let node: Impacts = r
                    .breakdown
                    .iter()
                    .filter(|b| b.level == "node")
                    .map(|b| b.manufacture)
                    .sum();
                rows.push(Row {
                    method: m.key(),
                    node_manufacture: Some(node),
                    embodied: Some(r.impacts.embodied),
                    error: None,
                });
            }
            Err(Error::Input(d)) => rows.push(Row {
                method: m.key(),
                node_manufacture: None,
                embodied: None,
                error: Some(d.message.clone()),
            }),
            Err(e) => return Err(e),
        }
    }
    let g: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.embodied.map(|e| e.gwp.value))
        .filter(|v| *v > 0.0)
        .collect();
    let spread = (g.len() > 1).then(|| {
        g.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            / g.iter().copied().fold(f64::INFINITY, f64::min)
    });
    let c = Comparison {
        scenario: loaded.file.display().to_string(),
        rows,
        gwp_spread: spread,
    };
    match format {
        Format::Json => serde_json::to_string_pretty(&c)
            .map(|s| s + "\n")
            .map_err(|e| Error::Internal(e.to_string())),
        _ => {
            use comfy_table::{presets, Table};
            let mut t = Table::new();
            t.load_preset(presets::UTF8_FULL_CONDENSED);
            let mut head = vec!["Method".to_string()];
            for c in Criterion::ALL {
                head.push(format!("Nodes {} [{}]", c.label(), c.unit()));
            }
            for c in Criterion::ALL {
                head.push(format!("Embodied per FU {} [{}]", c.label(), c.unit()));
            }
            t.set_header(head);
            for r in &c.rows {
                let mut row = vec![r.method.to_string()];
                match (&r.node_manufacture, &r.embodied, &r.error) {
                    (Some(n), Some(e), _) => {
                        row.extend(Criterion::ALL.iter().map(|k| range(n.get(*k))));
                        row.extend(Criterion::ALL.iter().map(|k| range(e.get(*k))));
                    }
                    (_, _, Some(err)) => row.push(format!("not applicable: {err}")),
                    _ => {}
                }
                t.add_row(row);
            }
            let mut s = format!("Embodied impacts of {} by method\n{t}\n", c.scenario);
            if let Some(x) = c.gwp_spread {
                s.push_str(&format!(
                    "spread of the embodied GWP per FU between methods: x{}\n",
                    num(x)
                ));
            }
            Ok(s)
        }
    }
}
