//! Layer 7, output: renderers of computed results. Each returns the text to write; none computes
//! a figure, reads an input file or prints.
//!
//! An assessment is written as a terminal table ([`table`]), JSON ([`json`], the contract of
//! README.md), long CSV ([`csv`]), Markdown ([`markdown`]) or LaTeX ([`latex`]); a comparison by
//! [`compare`]; a paper statement and model card by [`statement`]; plots by [`plot`].

pub mod boamps;
pub mod breakeven;
pub mod catalog;
pub mod cluster;
pub mod compare;
pub mod compare_latex;
pub mod csv;
pub mod equivalents;
pub mod extrapolation;
pub mod json;
pub mod latex;
pub mod latex_cells;
pub mod markdown;
pub mod methods;
pub mod parquet;
pub mod plot;
pub mod statement;
pub mod table;
pub mod trace;
pub mod write;

use crate::assessment::Report;
use crate::error::{Error, Result};
pub use crate::quantity::format::{num, range};
use crate::quantity::impacts::{Assessed, AssessedImpacts, Criterion};
use crate::quantity::interval::Interval;
use comfy_table::{presets, ContentArrangement, Table};

/// The output formats, one enum for every command; each command accepts the subset it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Latex,
    /// The Hugging Face model card's `co2_eq_emissions` block (statements only).
    ModelCard,
    /// A Boavizta BoAmps report (assessments only).
    Boamps,
    /// A Parquet file (the rows of a cluster report; written to a file only).
    Parquet,
}

crate::choice!(Format {
    Table => "table";
    Json => "json";
    Csv => "csv";
    Markdown => "markdown";
    Latex => "latex";
    ModelCard => "model-card";
    Boamps => "boamps";
    Parquet => "parquet";
});

impl Format {
    /// The formats of `mlca assess` and `mlca compare`.
    pub const REPORT: &'static [Format] = &[
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Latex,
    ];
    /// The formats of `mlca assess`: those of a report, and a BoAmps report.
    pub const ASSESS: &'static [Format] = &[
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Latex,
        Format::Boamps,
    ];
    /// The formats of `mlca statement`.
    pub const STATEMENT: &'static [Format] = &[Format::Latex, Format::Markdown, Format::ModelCard];
    /// The formats of the commands that show one item or result.
    pub const SHOW: &'static [Format] = &[Format::Table, Format::Json];
}

/// An assessment in format `f` (one of [`Format::ASSESS`]).
pub fn render(r: &Report, f: Format) -> Result<String> {
    crate::assessment::finite::check_report(r)?;
    match f {
        Format::Table => Ok(table::table(r)),
        Format::Json => json::json(r),
        Format::Csv => csv::csv(r),
        Format::Markdown => Ok(markdown::markdown(r)),
        Format::Latex => Ok(latex::latex(r)),
        Format::Boamps => boamps::boamps(r),
        Format::ModelCard => Err(Error::Internal(
            "the model card is a statement format".into(),
        )),
        Format::Parquet => Err(Error::Internal(
            "Parquet is a format of cluster reports".into(),
        )),
    }
}

pub(crate) fn new_table() -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    t
}

/// What a table cell shows for a criterion not assessed.
pub const NOT_ASSESSED: &str = "n/a";

/// An impact as a table cell: value [min – max], or "n/a" when it is not assessed.
pub(crate) fn cell(a: &Assessed) -> String {
    a.value().map_or_else(|| NOT_ASSESSED.to_string(), range)
}

/// A factor as a table cell: value [min – max], or "n/a" when there is none.
pub(crate) fn factor_cell(f: Option<Interval>) -> String {
    f.map_or_else(|| NOT_ASSESSED.to_string(), range)
}

pub(crate) fn impacts_rows(r: &Report) -> Vec<[String; 5]> {
    Criterion::ALL
        .iter()
        .map(|&c| {
            [
                format!("{} [{}]", c.label(), c.unit()),
                cell(r.impacts.use_phase.get(c)),
                cell(r.impacts.embodied.get(c)),
                cell(r.impacts.total.get(c)),
                match (r.impacts.embodied.value(c), r.impacts.total.value(c)) {
                    (Some(e), Some(t)) => share(e.value, t.value),
                    _ => "–".into(),
                },
            ]
        })
        .collect()
}

pub(crate) fn share(part: f64, total: f64) -> String {
    if total > 0.0 {
        format!("{:.1} %", 100.0 * part / total)
    } else {
        "–".into()
    }
}

pub(crate) fn fu_lines(r: &Report) -> Vec<String> {
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
        let dir = match fu.quality_direction {
            crate::scenario::Direction::BetterHigh => "",
            crate::scenario::Direction::BetterLow => " (lower is better)",
        };
        out.push(format!("  {m}: target {t}, reached {q}{dir}"));
    }
    if fu.count > 1 {
        out.push(format!(
            "  the run delivered {} functional units; figures are per unit",
            fu.count
        ));
    }
    out.push(format!(
        "Energy per FU: {} kWh at the IT equipment, {} kWh at the facility ({})   Duration of the run: {}   PUE: {}",
        range(r.energy_kwh),
        range(r.facility_energy_kwh),
        r.energy.method.key(),
        r.duration_h
            .map_or_else(|| "not given".to_string(), |d| format!("{} h", range(d))),
        range(r.electricity.pue)
    ));
    out.extend(energy_lines(r));
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
            t.format.key(),
            t.devices,
            num(t.duration_s),
            t.gaps,
            t.gap_policy.key(),
            range(t.energy_kwh),
            crate::choice::Choice::name(t.energy_basis)
        ));
        if let Some(d) = t.dynamic_energy_kwh {
            out.push(format!(
                "    total {} kWh, dynamic (minus idle) {} kWh",
                range(t.total_energy_kwh),
                range(d)
            ));
        }
        for line in tracker_notes(t.estimated_energy_kwh, t.water_l, t.wue_l_per_kwh) {
            out.push(format!("    {line}"));
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
            // measured epochs: points but no fit
            _ if x.points > 0 => {
                format!("{} (Carbontracker: the mean epoch x the epochs)", x.source)
            }
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
        factor_cell(r.electricity.gwp_kgco2eq_per_kwh),
        factor_cell(r.electricity.adp_kgsbeq_per_kwh),
        factor_cell(r.electricity.pe_mj_per_kwh)
    ));
    if let Some(i) = &r.electricity.intensity {
        out.extend(intensity_lines(i));
    }
    out.push(match r.allocation.share_of_node_life {
        Some(share) => format!(
            "Allocation: {} of the nodes' embodied impacts (lifetime {} h, AUR {})",
            range(share),
            range(r.allocation.lifetime_h),
            range(r.allocation.active_utilization_rate)
        ),
        None => format!(
            "Allocation: per device-hour, hours / (AUR x lifetime) of a device's embodied impacts (lifetime {} h, AUR {})",
            range(r.allocation.lifetime_h),
            range(r.allocation.active_utilization_rate)
        ),
    });
    out
}

/// The lines of a time-varying intensity under the electricity line.
fn intensity_lines(i: &crate::electricity::report::IntensityReport) -> Vec<String> {
    let mut out = vec![
        format!(
            "  GWP from the intensity series {} ({}, {} to {}, steps of {} s): {} gCO2eq/kWh energy-weighted over the run {} to {} (min {}, max {})",
            i.file,
            crate::choice::Choice::name(i.format),
            i.series_start,
            i.series_end,
            num(i.resolution_s),
            num(i.energy_weighted_gco2eq_per_kwh),
            i.run_start,
            i.run_end,
            num(i.min_gco2eq_per_kwh),
            num(i.max_gco2eq_per_kwh)
        ),
        format!(
            "  the static factor ({} gCO2eq/kWh) would give {} kgCO2eq for the use phase instead of {}; ADP and PE from the static factors",
            num(i.static_gwp_kgco2eq_per_kwh.value * 1000.0),
            range(i.static_use_gwp_kgco2eq),
            range(i.use_gwp_kgco2eq)
        ),
    ];
    if let Some(b) = &i.best_start {
        out.push(format!(
            "  lowest-carbon start within {} h (steps of {} s, {} starts tried): {} ({} h later), {} gCO2eq/kWh, use GWP {} kgCO2eq: saves {} kgCO2eq ({:.1} %)",
            num(b.within_h),
            num(b.step_s),
            b.starts_tried,
            b.start,
            num(b.delay_h),
            num(b.energy_weighted_gco2eq_per_kwh),
            num(b.use_gwp_kgco2eq),
            num(b.saving_kgco2eq),
            b.saving_percent
        ));
    }
    out
}

/// A rank correlation as a table cell (`+0.123`), or "n/a" for a criterion not assessed.
pub(crate) fn rho_cell(rho: Option<f64>) -> String {
    rho.map_or_else(|| NOT_ASSESSED.to_string(), |r| format!("{r:+.3}"))
}

/// The terms of the energy (whole run), when there is more to say than the total: several
/// lines, devices by their hours, an overhead, or energies metered at the facility.
pub(crate) fn energy_lines(r: &Report) -> Vec<String> {
    use crate::energy::EnergyMethod;
    let e = &r.energy;
    let plain = matches!(
        e.method,
        EnergyMethod::Declared
            | EnergyMethod::Tdp
            | EnergyMethod::Measured
            | EnergyMethod::Extrapolated
    ) && e.overhead.is_none()
        && e.at == crate::scenario::Boundary::It;
    if plain {
        return Vec::new();
    }
    let mut out = vec![format!(
        "  energy terms of the run, metered at the {}:",
        match e.at {
            crate::scenario::Boundary::It => "IT equipment",
            crate::scenario::Boundary::Facility => "facility",
        }
    )];
    for l in &e.lines {
        out.push(format!(
            "    {} {} ({}): {} kWh IT, {} kWh facility",
            l.source.key(),
            l.label,
            l.detail,
            range(l.energy_kwh),
            range(l.facility_energy_kwh)
        ));
    }
    if let Some(o) = &e.overhead {
        out.push(format!(
            "    overhead x {} ({}): + {} kWh IT",
            range(o.factor),
            o.source,
            range(o.added_energy_kwh)
        ));
    }
    out
}

/// The units of a breakdown node row: "1 node", "8 nodes", or the device-hours of devices
/// charged per device-hour.
pub(crate) fn units_label(b: &crate::assessment::BreakdownRow) -> String {
    match b.device_hours {
        Some(h) if h.is_exact() => {
            format!("{} device-hours", crate::quantity::format::exact(h.value))
        }
        Some(h) => format!("{} device-hours", range(h)),
        None => nodes(b.units),
    }
}

pub(crate) fn nodes(n: u32) -> String {
    if n == 1 {
        "1 node".into()
    } else {
        format!("{n} nodes")
    }
}

/// The GWP, ADP, PE and water cells of a breakdown row; a part without water data is "not
/// covered" (the embodied water is a partial sum over the parts that have it).
pub(crate) fn breakdown_cells(m: &AssessedImpacts) -> [String; 4] {
    let water = match m.water.reason() {
        Some(r) if r.starts_with("not covered") => "not covered".to_string(),
        _ => cell(&m.water),
    };
    [cell(&m.gwp), cell(&m.adp), cell(&m.pe), water]
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

/// The text of a CSV writer over a buffer.
pub(crate) fn csv_text(w: ::csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Internal(format!("CSV output: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Internal(format!("CSV output: {e}")))
}

pub(crate) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Escape text for LaTeX.
pub fn tex(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => o.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                o.push('\\');
                o.push(ch);
            }
            '~' => o.push_str("\\textasciitilde{}"),
            '^' => o.push_str("\\textasciicircum{}"),
            '<' => o.push_str("\\textless{}"),
            '>' => o.push_str("\\textgreater{}"),
            '–' => o.push_str("--"),
            '—' => o.push_str("---"),
            '×' => o.push_str("$\\times$"),
            c if c.is_ascii() => o.push(c),
            'é' => o.push_str("\\'e"),
            'è' => o.push_str("\\`e"),
            'à' => o.push_str("\\`a"),
            'ô' => o.push_str("\\^o"),
            'ü' => o.push_str("\\\"u"),
            'ö' => o.push_str("\\\"o"),
            '²' => o.push_str("$^2$"),
            _ => o.push('?'),
        }
    }
    o
}

/// What a trace's tracker said besides its energy: the part a model estimated (kWh) and the
/// water it reported (L, with its WUE in L/kWh), one line each.
pub(crate) fn tracker_notes(
    estimated_kwh: Option<crate::quantity::interval::Interval>,
    water_l: Option<f64>,
    wue_l_per_kwh: Option<f64>,
) -> Vec<String> {
    let estimated = estimated_kwh.map(|e| {
        format!(
            "of which estimated by a model, not measured: {} kWh",
            range(e)
        )
    });
    let water = water_l.map(|w| {
        let wue = wue_l_per_kwh
            .map(|x| format!(", wue {} L/kWh", num(x)))
            .unwrap_or_default();
        format!(
            "water, as the tracker wrote it: {} L{wue} (no water impact is computed)",
            num(w)
        )
    });
    estimated.into_iter().chain(water).collect()
}
