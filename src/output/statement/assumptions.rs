//! The statement's list of assumptions, one topic a line: how the energy was obtained (the
//! TDPs and usages, the traces and meters, the fits), the facility energy (IT energy x PUE),
//! the electricity factors with their sources and years, the hardware, the embodied method,
//! the allocation, the defaults applied, the scope left out, and how the figures are printed.
//! A criterion or a topic added to mlca adds a line here.

use super::text::Line;
use super::{location, method_keys};
use crate::assessment::{BreakdownLevel, Report};
use crate::choice::Choice;
use crate::data::ImpactData;
use crate::electricity::ElectricitySource;
use crate::energy::EnergyMethod;
use crate::quantity::impacts::Criterion;
use crate::quantity::interval::Interval;
use crate::scenario::{EmbodiedMethod, Scenario};

/// The assumptions of a report, in the order a reviewer reads them.
pub fn list(r: &Report, s: &Scenario, data: &ImpactData) -> Vec<(&'static str, Line)> {
    let mut out = vec![
        ("Energy", energy(r, s)),
        ("Facility energy", facility(r)),
        ("Electricity", electricity(r, s, data)),
        ("Hardware", hardware(r)),
        ("Embodied", embodied(r, s, data)),
        ("Allocation", allocation(r)),
        ("Defaults applied", defaults(r, s, data)),
        ("Left out", left_out(r)),
    ];
    out.push((
        "Figures",
        Line::new().words(format!(
            "ranges are the bounds of the input ranges carried through the computation, not statistical intervals; each figure keeps the digits its range supports (value and bounds rounded at the second significant digit of the range's width; at most 4 significant digits when exact); mlca {}, impact data {}.",
            r.mlca_version, r.impact_data_version
        )),
    ));
    out
}

fn energy(r: &Report, s: &Scenario) -> Line {
    let e = &r.energy;
    let mut l = Line::new().words("IT energy ").ranged(r.energy_kwh, "kWh");
    if r.functional_unit.count > 1 {
        l = l.words(format!(
            " per functional unit (the run delivered {})",
            r.functional_unit.count
        ));
    }
    match e.method {
        EnergyMethod::Declared => l.words(", declared in the scenario (not measured by mlca)."),
        EnergyMethod::Tdp => {
            l = l
                .words(", from thermal design power (TDP)")
                .times()
                .words("usage")
                .times()
                .words("run time (");
            l = match r.duration_h {
                Some(d) => l.ranged(d, "h"),
                None => l.words("not given"),
            };
            l = l.words("): ");
            let decls = s.energy.tdp.as_deref().unwrap_or_default();
            for (i, d) in decls.iter().enumerate() {
                if i > 0 {
                    l = l.words("; ");
                }
                let name = d
                    .name
                    .clone()
                    .unwrap_or_else(|| d.component.key().to_string());
                match (d.capacity_gb, d.tdp_w, d.usage) {
                    (Some(cap), ..) => {
                        l = l.words(format!("{name} ")).ranged(cap.0, "GB").times();
                        l = match d.power_w_per_gb {
                            Some(p) => l.ranged(p.0, "W/GB"),
                            None => l.words("the default W/GB (below)"),
                        };
                    }
                    (None, Some(tdp), Some(u)) => {
                        l = l
                            .words(d.units.0.to_string())
                            .times()
                            .words(format!("{name} at "))
                            .ranged(tdp.0, "W")
                            .times()
                            .words("usage ")
                            .range(u.0);
                    }
                    _ => l = l.words(name),
                }
            }
            l.words(".")
        }
        EnergyMethod::Measured => {
            l = l.words(", measured: ");
            for (i, t) in e.traces.iter().enumerate() {
                if i > 0 {
                    l = l.words("; ");
                }
                let file = std::path::Path::new(&t.file)
                    .file_name()
                    .map_or(t.file.clone(), |f| f.to_string_lossy().into_owned());
                l = l
                    .words(format!("{} trace ", t.format.key()))
                    .quoted(file)
                    .words(format!(
                        ", {} device(s) over {:.0} s",
                        t.devices, t.duration_s
                    ));
                if let (Some(a), Some(b)) = (&t.window_start, &t.window_end) {
                    l = l.words(format!(", window {} to {}", spaced(a), spaced(b)));
                }
                l = l.words(format!(
                    ", {} gap(s) ({}), {} energy ",
                    t.gaps,
                    t.gap_policy.key(),
                    t.energy_basis.name()
                ));
                l = l.ranged(t.energy_kwh, "kWh");
                if let Some(e) = t.estimated_energy_kwh {
                    l = l
                        .words(", ")
                        .amount(e.value, "kWh")
                        .words(" of it estimated by a model");
                }
                let factor = s
                    .energy
                    .traces
                    .as_deref()
                    .and_then(|ts| ts.get(i))
                    .and_then(|tr| tr.meter_factor);
                if let Some(f) = factor {
                    l = l.words(",").times().words("meter factor ").range(f.0);
                }
            }
            let comps: Vec<&str> = e.components.iter().map(|c| c.component.key()).collect();
            l.words(format!("; components measured: {}.", comps.join(", ")))
        }
        EnergyMethod::Extrapolated => {
            l = l.words(", extrapolated: ");
            for (i, x) in e.extrapolation.iter().enumerate() {
                if i > 0 {
                    l = l.words("; ");
                }
                let p = &x.prediction;
                l = l
                    .words(format!("{}: ", x.name))
                    .figure(p.target_steps)
                    .words(" steps from E(n) = ")
                    .figure(x.intercept_kwh)
                    .words(" + ")
                    .figure(x.slope_kwh_per_step)
                    .words(" n kWh");
                l = match (x.measured_steps, x.r2) {
                    (Some([a, b]), Some(r2)) => l
                        .words(format!(
                            ", a least-squares fit on {} measured points (",
                            x.points
                        ))
                        .figure(a)
                        .words(" to ")
                        .figure(b)
                        .words(format!(" steps, R² {r2:.3})")),
                    // measured epochs (Carbontracker's prediction): points, no fit
                    _ if x.points > 0 => l.words(format!(
                        ", the mean of {} measured epoch(s) times the epochs",
                        x.points
                    )),
                    _ => l.words(", a published fit (").quoted(&x.source).words(")"),
                };
                l = l.words(format!(
                    ", {:.0} % prediction interval, {} node(s), parallel efficiency ",
                    p.level * 100.0,
                    p.nodes
                ));
                l = l.figure(p.parallel_efficiency);
            }
            l.words(".")
        }
        EnergyMethod::DeviceHours | EnergyMethod::Combined => {
            l = l.words(", summed from its terms: ");
            for (i, x) in e.lines.iter().enumerate() {
                if i > 0 {
                    l = l.words("; ");
                }
                l = l
                    .words(format!("{} ({}, {}) ", x.label, x.source.key(), x.detail))
                    .ranged(x.energy_kwh, "kWh");
            }
            l.words(".")
        }
    }
}

/// The overhead multiplier and the boundary the energies were metered at, when they are not
/// the plain case (IT equipment, no overhead).
fn metering(r: &Report) -> Option<Line> {
    let e = &r.energy;
    let mut l = match e.at {
        crate::scenario::Boundary::Facility => Some(
            Line::new()
                .words("energies metered at the facility (after the PUE); the IT energy is the facility energy divided by the PUE"),
        ),
        crate::scenario::Boundary::It => None,
    };
    if let Some(o) = &e.overhead {
        let base = l.map_or_else(Line::new, |l| l.words("; "));
        l = Some(
            base.words("the summed energies")
                .times()
                .words("an overhead of ")
                .range(o.factor)
                .words(format!(" ({}), adding ", o.source))
                .ranged(o.added_energy_kwh, "kWh"),
        );
    }
    l.map(|l| l.words("."))
}

/// An RFC 3339 time with a space between date and time (`2024-06-12 10:00:00`), so that a
/// line may break there.
fn spaced(t: &str) -> String {
    match (t.get(..10), t.get(10..11), t.get(11..)) {
        (Some(d), Some("T"), Some(h)) => format!("{d} {h}"),
        _ => t.to_string(),
    }
}

fn facility(r: &Report) -> Line {
    let pue = r.electricity.pue;
    let l = Line::new()
        .words("IT energy ")
        .ranged(r.energy_kwh, "kWh")
        .times()
        .words("PUE ")
        .range(pue)
        .words(" = ")
        .ranged(r.facility_energy_kwh, "kWh")
        .words(" (the PUE stands for the data centre's cooling and power distribution)");
    match metering(r) {
        Some(m) => l.words("; ").then(m),
        None => l.words("."),
    }
}

/// The BibTeX key of a source of impact-data, if it has one.
fn bibtex_key(data: &ImpactData, source_id: &str) -> Vec<String> {
    data.source(source_id)
        .map(|src| src.bibtex_key.to_string())
        .filter(|k| !k.is_empty())
        .into_iter()
        .collect()
}

/// The factor of criterion `c` per kWh, if the electricity has one.
fn factor(r: &Report, c: Criterion) -> Option<Interval> {
    let el = &r.electricity;
    match c {
        Criterion::Gwp => el.gwp_kgco2eq_per_kwh,
        Criterion::Adp => el.adp_kgsbeq_per_kwh,
        Criterion::Pe => el.pe_mj_per_kwh,
        Criterion::Water => el.water_m3_per_kwh,
    }
}

fn electricity(r: &Report, s: &Scenario, data: &ImpactData) -> Line {
    let mut l = Line::new().words(format!("{}: ", location(r)));
    let mix = match &r.electricity.location {
        ElectricitySource::Mix(c) => data.find_mix(&c.code).ok(),
        ElectricitySource::CloudRegion { country, .. } => data.find_mix(&country.code).ok(),
        ElectricitySource::Scenario { .. } => None,
    };
    for (i, c) in Criterion::ALL.iter().enumerate() {
        if i > 0 {
            l = l.words(", ");
        }
        l = l.words(format!("{} ", c.label()));
        l = match factor(r, *c) {
            Some(f) => l.ranged(f, &format!("{}/kWh", c.unit())),
            None => l.words("not given (not assessed)"),
        };
        if let Some((f, _)) = mix.and_then(|m| data.mix_factor(m, *c)) {
            l = l
                .words(format!(" ({}", f.year))
                .cite(&bibtex_key(data, &f.source_id))
                .words(")");
        }
    }
    if let Some(f) = &s.electricity.factors {
        l = l
            .words(", given in the scenario (source: ")
            .quoted(&f.source)
            .words(")");
    }
    if let Some(i) = &r.electricity.intensity {
        l = l
            .words("; the GWP factor is the energy-weighted mean of the intensity series ")
            .quoted(&i.file)
            .words(format!(
                " over the run, {} to {}, between ",
                i.run_start, i.run_end
            ))
            .amount(i.min_gco2eq_per_kwh, "gCO2eq/kWh")
            .words(" and ")
            .amount(i.max_gco2eq_per_kwh, "gCO2eq/kWh")
            .words(" (the static factor, ")
            .amount(i.static_gwp_kgco2eq_per_kwh.value * 1000.0, "gCO2eq/kWh")
            .words(", would give ")
            .amount(i.static_use_gwp_kgco2eq.value, "kgCO2eq")
            .words(" for the use phase)");
    }
    l.words(".")
}

fn hardware(r: &Report) -> Line {
    let mut l = Line::new();
    let mut first = true;
    for (i, b) in r.breakdown.iter().enumerate() {
        if b.level != BreakdownLevel::Node {
            continue;
        }
        if !first {
            l = l.words("; ");
        }
        first = false;
        l = l.words(b.units.to_string()).times().words(&*b.node);
        let parts: Vec<_> = r.breakdown[i + 1..]
            .iter()
            .take_while(|c| c.level == BreakdownLevel::Component)
            .filter(|c| super::NAMED_PARTS.contains(&c.component))
            .collect();
        if !parts.is_empty() {
            l = l.words(" (");
            for (j, c) in parts.iter().enumerate() {
                if j > 0 {
                    l = l.words(", ");
                }
                l = l.words(c.units.to_string()).times().words(&*c.name);
            }
            l = l.words(")");
        }
    }
    l.words(".")
}

/// How the nodes' embodied impacts were obtained with the embodied method `m`.
fn method_text(m: EmbodiedMethod) -> &'static str {
    match m {
        EmbodiedMethod::Boavizta25 => {
            "computed bottom-up from the bill of materials with the BoaviztAPI 2.5.0 method"
        }
        EmbodiedMethod::Mlca2024 => {
            "computed bottom-up from the bill of materials with the MLCA method of Morand et al. (2024), GPUs by their physical die area and VRAM as memory, the other components as in BoaviztAPI 2.5.0"
        }
        EmbodiedMethod::Ecologits => {
            "estimated with the EcoLogits method, a fixed figure per GPU (an H100-class card, whatever the model) and per GPU-less 8-GPU server"
        }
    }
}

fn embodied(r: &Report, s: &Scenario, data: &ImpactData) -> Line {
    let given: Vec<_> = r
        .breakdown
        .iter()
        .filter(|b| b.level == BreakdownLevel::Node)
        .filter_map(|b| b.given_source.as_deref().map(|src| (&b.node, src)))
        .collect();
    let l = Line::new()
        .words("manufacture of the hardware (with transport and end of life for GPUs), ");
    if given.is_empty() {
        let default = if s.embodied_method.is_none() {
            " (the default method)"
        } else {
            ""
        };
        l.words(method_text(r.embodied_method))
            .cite(&method_keys(r.embodied_method, data))
            .words(format!("{default}."))
    } else {
        let mut l = l.words("taken from another study for ");
        for (i, (node, src)) in given.iter().enumerate() {
            if i > 0 {
                l = l.words("; ");
            }
            l = l.words(format!("{node} (")).quoted(*src).words(")");
        }
        l.words(".")
    }
}

fn allocation(r: &Report) -> Line {
    let a = &r.allocation;
    match (r.duration_h, a.share_of_node_life) {
        (Some(d), Some(share)) => Line::new()
            .words("run time / (active utilization rate")
            .times()
            .words("lifetime) = ")
            .ranged(d, "h")
            .words(" / (")
            .range(a.active_utilization_rate)
            .times()
            .ranged(a.lifetime_h, "h")
            .words(") = ")
            .range(share)
            .words(" of each node's embodied impacts."),
        // devices charged per device-hour
        _ => Line::new()
            .words("device-hours / (active utilization rate")
            .times()
            .words(
                "lifetime) of each device's embodied impacts, with an active utilization rate of ",
            )
            .range(a.active_utilization_rate)
            .words(" over ")
            .ranged(a.lifetime_h, "h")
            .words("."),
    }
}

/// A readable name of a default of impact-data (`defaults.csv`).
fn default_name(id: &str) -> &str {
    match id {
        "ram.density" => "RAM density",
        "ssd.density" => "SSD density",
        "power_supply.mass" => "power-supply mass",
        "gpu.casing_mass" => "GPU casing mass",
        "gpu.heatsink_mass" => "GPU heatsink mass",
        "gpu.mass" => "GPU mass",
        "gpu.vram_area_per_gb" => "VRAM die area per GB",
        "memory.power_per_gb" => "memory power",
        "gpu.boat_km" => "GPU transport by boat",
        "gpu.truck_km" => "GPU transport by truck",
        "gpu.plane_km" => "GPU transport by plane",
        "mlca-2024.vram_density" => "VRAM density (MLCA)",
        other => other,
    }
}

fn defaults(r: &Report, s: &Scenario, data: &ImpactData) -> Line {
    let mut l = Line::new();
    let mut n = 0;
    for d in &r.defaults {
        if n > 0 {
            l = l.words("; ");
        }
        n += 1;
        let v = &d.default;
        let key = bibtex_key(data, &v.source_id);
        l = l
            .words(format!("{} ", default_name(&v.default_id)))
            .ranged(v.interval(), &v.unit)
            .words(format!(" ({}", v.year))
            .cite(&key)
            .words(format!(") where {}", d.what));
    }
    if s.embodied_method.is_none() {
        if n > 0 {
            l = l.words("; ");
        }
        n += 1;
        l = l.words(format!(
            "embodied method {} (none named in the scenario)",
            r.embodied_method.key()
        ));
    }
    for (i, t) in s.energy.traces.iter().flatten().enumerate() {
        if t.gap_policy.is_none() {
            if n > 0 {
                l = l.words("; ");
            }
            n += 1;
            l = l.words(format!(
                "gap policy interpolate for energy.traces[{i}] (none named)"
            ));
        }
    }
    if n == 0 {
        l.words("none.")
    } else {
        l.words(".")
    }
}

fn left_out(r: &Report) -> Line {
    let mut l = Line::new();
    let mut nodes: Vec<&str> = r.left_out.iter().map(|x| x.node.as_str()).collect();
    nodes.dedup();
    for n in nodes {
        let parts: Vec<&str> = r
            .left_out
            .iter()
            .filter(|x| x.node == n)
            .map(|x| x.part.as_str())
            .collect();
        l = l.words(format!("{n}: {}; ", parts.join(", ")));
    }
    l.words("for every assessment, the building, cooling plant and network beyond the PUE and the listed nodes, the runs outside the functional unit (development, tuning, failed runs).")
}
