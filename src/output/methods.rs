//! `mlca assess --compare-methods`: the embodied impacts of every method, as a table or JSON.

use crate::assessment::methods::MethodComparison;
use crate::error::{Error, Result};
use crate::output::{cell, num, Format};
use crate::quantity::impacts::Criterion;

/// The comparison of methods in `format` (JSON, else a table).
pub fn render(c: &MethodComparison, format: Format) -> Result<String> {
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
                let mut row = vec![r.method.key().to_string()];
                match (&r.node_manufacture, &r.embodied, &r.error) {
                    (Some(n), Some(e), _) => {
                        row.extend(Criterion::ALL.iter().map(|k| cell(n.get(*k))));
                        row.extend(Criterion::ALL.iter().map(|k| cell(e.get(*k))));
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
