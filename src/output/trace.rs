//! `mlca trace summary`: a table or JSON per device.

use crate::energy::trace::TraceSummary;
use crate::error::{Error, Result};
use crate::output::{num, range};
use comfy_table::{presets, CellAlignment, Table};

pub fn json(s: &TraceSummary) -> Result<String> {
    serde_json::to_string_pretty(s)
        .map(|x| x + "\n")
        .map_err(|e| Error::Internal(e.to_string()))
}

pub fn table(s: &TraceSummary) -> String {
    let mut out = format!("{} ({}, {} rows)\n", s.file, s.format.key(), s.rows);
    if s.window_start.is_some() || s.window_end.is_some() {
        out.push_str(&format!(
            "window: {} to {}\n",
            s.window_start.as_deref().unwrap_or("start of the trace"),
            s.window_end.as_deref().unwrap_or("end of the trace")
        ));
    }
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "Device",
        "Component",
        "Samples",
        "Duration [s]",
        "Mean power [W]",
        "Max power [W]",
        "Energy [kWh]",
        "Gaps",
        "In total",
    ]);
    for d in &s.devices {
        let name = match &d.name {
            Some(n) => format!("{} ({n})", d.device),
            None => d.device.clone(),
        };
        t.add_row(vec![
            name,
            d.component.to_string(),
            d.samples.to_string(),
            num(d.duration_s),
            num(d.mean_power_w),
            num(d.max_power_w),
            range(d.energy_kwh),
            d.gaps.len().to_string(),
            if d.included {
                "yes".into()
            } else {
                "no".into()
            },
        ]);
    }
    for i in 2..8 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&t.to_string());
    out.push('\n');
    for (c, e) in &s.by_component {
        out.push_str(&format!("{c}: {} kWh\n", range(*e)));
    }
    out.push_str(&format!(
        "total: {} kWh over {} s (gap policy {})\n",
        range(s.energy_kwh),
        num(s.duration_s),
        s.gap_policy.key()
    ));
    if let Some(d) = s.dynamic_energy_kwh {
        out.push_str(&format!(
            "dynamic (total minus idle power x duration): {} kWh\n",
            range(d)
        ));
    }
    crate::output::list(&mut out, "Assumptions", &s.assumptions);
    crate::output::list(&mut out, "Warnings", &s.warnings);
    out
}
