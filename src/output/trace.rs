//! `mlca trace summary`: a table or JSON per device.

use crate::data::component::ComponentKind;
use crate::energy::trace::boamps::CatalogMatch;
use crate::energy::trace::{RunKind, RunSummary, TraceSummary};
use crate::error::{Error, Result};
use crate::output::{num, range};
use comfy_table::{presets, CellAlignment, Table};
use std::collections::BTreeMap;

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
        let mut name = match &d.name {
            Some(n) => format!("{} ({n})", d.device),
            None => d.device.clone(),
        };
        if d.estimated {
            name.push_str(" (estimated)");
        }
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
    if !s.runs.is_empty() {
        out.push_str(&runs(s));
        out.push('\n');
    }
    for (c, e) in &s.by_component {
        out.push_str(&format!("{c}: {} kWh\n", range(*e)));
    }
    out.push_str(&format!(
        "total: {} kWh over {} s (gap policy {})\n",
        range(s.energy_kwh),
        num(s.duration_s),
        s.gap_policy.key()
    ));
    for line in crate::output::tracker_notes(s.estimated_energy_kwh, s.water_l, s.wue_l_per_kwh) {
        out.push_str(&line);
        out.push('\n');
    }
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

/// The table of the runs of a file of run totals: every run, counted or not (columns that no run
/// fills are left out).
fn runs(s: &TraceSummary) -> String {
    type Cell = fn(&RunSummary) -> Option<String>;
    let text = |o: &Option<String>| o.clone().unwrap_or_else(|| "–".into());
    let optional: [(&str, Cell); 5] = [
        ("Kind", |r| {
            (r.kind != RunKind::Run).then(|| r.kind.key().to_string())
        }),
        ("Run id", |r| r.id.clone()),
        ("Name", |r| match (&r.project_name, &r.description) {
            (Some(p), Some(d)) => Some(format!("{p} ({d})")),
            (p, d) => p.clone().or(d.clone()),
        }),
        ("Time", |r| r.timestamp.clone()),
        ("Water [L]", |r| r.water_l.map(num)),
    ];
    let shown: Vec<(&str, Cell)> = optional
        .into_iter()
        .filter(|(_, f)| s.runs.iter().any(|r| f(r).is_some()))
        .collect();
    let (before, after): (Vec<_>, Vec<_>) = shown.into_iter().partition(|(h, _)| *h != "Water [L]");
    let numbers = [
        "Rows",
        "Duration [s]",
        "Energy as written [kWh]",
        "Tool PUE",
        "IT energy [kWh]",
    ];
    let mut head = vec!["#"];
    head.extend(before.iter().map(|(h, _)| *h));
    head.extend(numbers);
    head.extend(after.iter().map(|(h, _)| *h));
    head.push("Counted");
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_header(head);
    for r in &s.runs {
        let mut row = vec![r.index.to_string()];
        row.extend(before.iter().map(|(_, f)| text(&f(r))));
        row.extend([
            r.rows.to_string(),
            num(r.duration_s),
            num(r.tool_energy_kwh),
            num(r.tool_pue),
            num(r.energy_kwh),
        ]);
        row.extend(after.iter().map(|(_, f)| text(&f(r))));
        row.push(match &r.excluded_because {
            None if r.counted => "yes".into(),
            None => "no".into(),
            Some(why) => format!("no: {why}"),
        });
        t.add_row(row);
    }
    let right = 1 + before.len();
    for i in std::iter::once(0).chain(right..right + numbers.len() + after.len()) {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!("runs ({}):\n{t}", s.runs.len())
}

/// A BoAmps report's hardware matched to the catalog: the bill of materials it gives a
/// scenario (YAML to paste under an `infrastructure` entry) and what does not map.
pub fn boamps_hardware(matches: &[CatalogMatch]) -> String {
    let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut ignored = Vec::new();
    for m in matches {
        match m {
            CatalogMatch::Model { kind, model, units } => {
                let key = if *kind == ComponentKind::Gpu {
                    "gpus"
                } else {
                    "cpus"
                };
                lines
                    .entry(key)
                    .or_default()
                    .push(format!("{{model: \"{model}\", units: {units}}}"));
            }
            CatalogMatch::Capacity {
                kind,
                capacity_gb,
                units,
            } => lines.entry(kind.key()).or_default().push(format!(
                "{{capacity_gb: {}, units: {units}}}",
                num(*capacity_gb)
            )),
            CatalogMatch::Hdd { units } => lines
                .entry("hdd")
                .or_default()
                .push(format!("{{units: {units}}}")),
            CatalogMatch::Ignored { component, why } => ignored.push(format!("{component}: {why}")),
        }
    }
    let mut out = String::from(
        "\nThe report's hardware as a scenario's bill of materials (infrastructure[].bom):\n",
    );
    if lines.is_empty() {
        out.push_str("  (no component maps to the catalog)\n");
    }
    for (key, items) in &lines {
        out.push_str(&format!("  {key}: [{}]\n", items.join(", ")));
    }
    crate::output::list(&mut out, "Not mapped", &ignored);
    out
}

/// The JSON of a BoAmps report read as a trace, with its hardware matched to the catalog
/// (`hardware`).
pub fn boamps_json(s: &TraceSummary, matches: &[CatalogMatch]) -> Result<String> {
    #[derive(serde::Serialize)]
    struct WithHardware<'a> {
        #[serde(flatten)]
        summary: &'a TraceSummary,
        hardware: &'a [CatalogMatch],
    }
    serde_json::to_string_pretty(&WithHardware {
        summary: s,
        hardware: matches,
    })
    .map(|x| x + "\n")
    .map_err(|e| Error::Internal(e.to_string()))
}
