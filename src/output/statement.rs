//! `mlca statement`: the paragraph a paper's appendix needs, in LaTeX or Markdown, followed by
//! the BibTeX entries of what it cites; or the Hugging Face model-card `co2_eq_emissions` block.
//!
//! It states what none of the usual trackers state: embodied impacts, the non-carbon criteria,
//! the ranges, whether the energy was measured, declared or extrapolated, and the sources and
//! versions of every factor.
//!
//! Everything it says comes from the report's typed fields (the energy method, the electricity
//! source and its factors' sources, the embodied method, the component kinds), never from the
//! text of the assumptions. The embodied method named is the one the assessment used, cited
//! with its reference in impact-data (`sources.csv`, `references.bib`).

use crate::assessment::{BreakdownLevel, Report};
use crate::choice::Choice;
use crate::data::component::ComponentKind;
use crate::data::ImpactData;
use crate::energy::EnergyMethod;
use crate::error::{Error, Result};
use crate::output::{num, tex, Format};
use crate::quantity::impacts::{Criterion, Phase};
use crate::quantity::interval::Interval;
use crate::quantity::units::G_PER_KG;
use crate::scenario::EmbodiedMethod;

/// What the paragraph is made of, as plain text pieces (escaped per format later).
struct Parts {
    fu: String,
    energy: String,
    how: String,
    hardware: String,
    duration: String,
    location: String,
    factors: String,
    pue: String,
    use_phase: String,
    allocation: String,
    embodied: String,
    total: String,
    versions: String,
    /// How the nodes' embodied impacts were obtained.
    embodied_origin: String,
    /// Whether they were computed with the embodied method (and so cite it).
    bottom_up: bool,
    /// The BibTeX keys of the embodied method.
    method_keys: Vec<String>,
}

fn r3(i: Interval, unit: &str) -> String {
    if i.is_exact() {
        format!("{} {unit}", num(i.value))
    } else {
        format!(
            "{} {unit} (range {} to {})",
            num(i.value),
            num(i.min),
            num(i.max)
        )
    }
}

fn impacts_text(r: &Report, which: Phase) -> String {
    let imp = r.impacts.get(which);
    Criterion::ALL
        .iter()
        .map(|c| r3(imp.get(*c), c.unit()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1 x HPE Apollo 6500 Gen10 (8 x NVIDIA A100 SXM4 80GB, 2 x AMD EPYC 7763, ...)".
pub fn hardware(r: &Report) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < r.breakdown.len() {
        let node = &r.breakdown[i];
        let mut parts = Vec::new();
        let mut j = i + 1;
        while j < r.breakdown.len() && r.breakdown[j].level == BreakdownLevel::Component {
            let c = &r.breakdown[j];
            if matches!(
                c.component,
                ComponentKind::Cpu
                    | ComponentKind::Gpu
                    | ComponentKind::Ram
                    | ComponentKind::Ssd
                    | ComponentKind::Hdd
            ) {
                parts.push(format!("{} x {}", c.units, c.name));
            }
            j += 1;
        }
        let inside = if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        };
        out.push(format!("{} x {}{inside}", node.units, node.name));
        i = j;
    }
    out.join(" and ")
}

fn parts(r: &Report, data: &ImpactData) -> Parts {
    let e = &r.energy;
    let how = match e.method {
        EnergyMethod::Measured => {
            let t: Vec<String> = e
                .traces
                .iter()
                .map(|t| {
                    let w = match (&t.window_start, &t.window_end) {
                        (Some(a), Some(b)) => format!(" from {a} to {b}"),
                        _ => String::new(),
                    };
                    let estimated = t
                        .estimated_energy_kwh
                        .map(|e| format!(", {} kWh of it estimated by a model", num(e.value)))
                        .unwrap_or_default();
                    format!(
                        "{} ({} device(s){w}, {} energy, {} gap(s) handled by {}{estimated})",
                        t.format.key(),
                        t.devices,
                        t.energy_basis.name(),
                        t.gaps,
                        t.gap_policy.key()
                    )
                })
                .collect();
            let comps: Vec<&str> = e.components.iter().map(|c| c.component.key()).collect();
            format!(
                "measured with {} covering {}",
                t.join(" and "),
                comps.join(", ")
            )
        }
        EnergyMethod::Extrapolated => {
            let p: Vec<String> = e
                .extrapolation
                .iter()
                .map(|x| {
                    let src = match (x.measured_steps, x.r2) {
                        (Some([a, b]), Some(r2)) => format!(
                            "a least-squares fit E(n) = {} + {} n kWh on {} measured points ({} to {} steps, R^2 {:.4})",
                            num(x.intercept_kwh),
                            num(x.slope_kwh_per_step),
                            x.points,
                            num(a),
                            num(b),
                            r2
                        ),
                        _ => format!("the published fit E(n) = {} + {} n kWh ({})", num(x.intercept_kwh), num(x.slope_kwh_per_step), x.source),
                    };
                    format!(
                        "{}: {} steps from {src}, {:.0} % prediction interval, on {} node(s) with parallel efficiency {}",
                        x.name,
                        num(x.prediction.target_steps),
                        x.prediction.level * 100.0,
                        x.prediction.nodes,
                        x.prediction.parallel_efficiency
                    )
                })
                .collect();
            format!("extrapolated ({})", p.join("; "))
        }
        EnergyMethod::Tdp => {
            "estimated from the components' thermal design power times their usage".to_string()
        }
        EnergyMethod::Declared => "declared (not measured by this assessment)".to_string(),
    };
    let el = &r.electricity;
    let factor_sources: Vec<String> = r
        .sources
        .iter()
        .filter(|s| el.source_ids.contains(&s.id))
        .map(|s| s.citation.clone())
        .collect();
    let src = if factor_sources.is_empty() {
        String::new()
    } else {
        format!(" ({})", factor_sources.join("; "))
    };
    let a = &r.allocation;
    Parts {
        fu: r.functional_unit.name.clone(),
        energy: r3(r.energy_kwh, "kWh"),
        how,
        hardware: hardware(r),
        duration: r3(r.duration_h, "h"),
        location: el.location.place(),
        factors: format!(
            "{} kgCO2eq/kWh, {} kgSbeq/kWh and {} MJ/kWh{src}{}",
            num(el.gwp_kgco2eq_per_kwh.value),
            num(el.adp_kgsbeq_per_kwh.value),
            num(el.pe_mj_per_kwh.value),
            el.intensity.as_ref().map_or(String::new(), |i| format!(
                " (the GWP factor being the energy-weighted mean of the intensity series {} over the run, {} to {}, between {} and {} gCO2eq/kWh; the static factor of {} gCO2eq/kWh would give {} kgCO2eq for the use phase)",
                i.file,
                i.run_start,
                i.run_end,
                num(i.min_gco2eq_per_kwh),
                num(i.max_gco2eq_per_kwh),
                num(i.static_gwp_kgco2eq_per_kwh.value * 1000.0),
                num(i.static_use_gwp_kgco2eq.value)
            ))
        ),
        pue: num(el.pue.value),
        use_phase: impacts_text(r, Phase::Use),
        allocation: format!(
            "the share of the hardware's active life the training used, T / (AUR x lifetime) with an active utilization rate of {} over {} h, i.e. {}",
            num(a.active_utilization_rate.value),
            num(a.lifetime_h.value),
            num(a.share_of_node_life.value)
        ),
        embodied: impacts_text(r, Phase::Embodied),
        total: impacts_text(r, Phase::Total),
        versions: format!("mlca {} with impact data {}", r.mlca_version, r.impact_data_version),
        embodied_origin: {
            let given: Vec<String> = r
                .breakdown
                .iter()
                .filter(|b| b.level == BreakdownLevel::Node)
                .filter_map(|b| b.given_source.as_ref().map(|s| format!("{} ({s})", b.node)))
                .collect();
            if given.is_empty() {
                method_text(r.embodied_method).to_string()
            } else {
                format!("taken from another study for {}", given.join("; "))
            }
        },
        bottom_up: !r.breakdown.iter().any(|b| b.given_source.is_some()),
        method_keys: method_keys(r.embodied_method, data),
    }
}

/// How the nodes' embodied impacts were obtained with the embodied method `m`.
fn method_text(m: EmbodiedMethod) -> &'static str {
    match m {
        EmbodiedMethod::Boavizta25 => {
            "computed bottom-up from its bill of materials with the BoaviztAPI 2.5.0 method"
        }
        EmbodiedMethod::Mlca2024 => {
            "computed bottom-up from its bill of materials with the MLCA method of Morand et al. (2024), GPUs by their physical die area and VRAM as memory, the other components as in BoaviztAPI 2.5.0"
        }
        EmbodiedMethod::Ecologits => {
            "estimated with the EcoLogits method, a fixed figure per GPU (an H100-class card, whatever the model) and per GPU-less 8-GPU server"
        }
    }
}

/// The BibTeX keys of the embodied method `m`: its source's in impact-data (`sources.csv`),
/// and BoaviztAPI's where the method takes components from it.
fn method_keys(m: EmbodiedMethod, data: &ImpactData) -> Vec<String> {
    let of = |source_id: &str, fallback: &str| {
        data.source(source_id)
            .map(|s| s.bibtex_key.clone())
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    };
    match m {
        EmbodiedMethod::Boavizta25 => vec!["boaviztapi".to_string()],
        EmbodiedMethod::Mlca2024 => {
            vec![of("mlca-2024", "morand2024mlca"), "boaviztapi".to_string()]
        }
        EmbodiedMethod::Ecologits => vec![of("ecologits-2025", "ecologits")],
    }
}

/// BibTeX keys cited: mlca, Jay 2024, the embodied method, and every data source used.
fn keys(r: &Report, data: &ImpactData) -> Vec<String> {
    let mut k = vec!["mlca".to_string(), "jay2024".to_string()];
    k.extend(method_keys(r.embodied_method, data));
    for s in &r.sources {
        if !s.bibtex_key.is_empty() && !k.contains(&s.bibtex_key) {
            k.push(s.bibtex_key.clone());
        }
    }
    k
}

fn bib(r: &Report, data: &ImpactData) -> String {
    keys(r, data)
        .iter()
        .filter_map(|k| data.bibtex.get(k))
        .cloned()
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn sentences(p: &Parts, cite: &dyn Fn(&[&str]) -> String) -> String {
    format!(
        "Training for the functional unit \"{fu}\" used {energy} of electricity at the IT equipment, {how}, over {duration} on {hw}, in {loc}. \
With a power usage effectiveness of {pue} and electricity impact factors of {factors}, the use phase amounts to {use_}. \
The manufacture of the hardware (with transport and end of life for GPUs), {origin}{c_method}, allocated by {alloc}, adds {emb}. \
In total, the functional unit accounts for {tot} (global warming potential, abiotic depletion of minerals and metals, and primary energy){c_jay}. \
The assessment was computed with {ver}{c_mlca}; ranges are the bounds of the declared input ranges, not statistical intervals.",
        fu = p.fu,
        energy = p.energy,
        how = p.how,
        duration = p.duration,
        hw = p.hardware,
        loc = p.location,
        pue = p.pue,
        factors = p.factors,
        use_ = p.use_phase,
        origin = p.embodied_origin,
        c_method = if p.bottom_up {
            cite(&p.method_keys.iter().map(String::as_str).collect::<Vec<_>>())
        } else {
            String::new()
        },
        alloc = p.allocation,
        emb = p.embodied,
        tot = p.total,
        c_jay = cite(&["jay2024"]),
        ver = p.versions,
        c_mlca = cite(&["mlca"]),
    )
}

/// The statement in the chosen format.
pub fn render(r: &Report, data: &ImpactData, format: Format) -> Result<String> {
    crate::assessment::finite::check_report(r)?;
    let p = parts(r, data);
    if !Format::STATEMENT.contains(&format) {
        return Err(Error::Internal(format!(
            "{} is not a statement format",
            crate::choice::Choice::name(format)
        )));
    }
    Ok(match format {
        Format::Latex => {
            // Escape every piece of text, then add the citations.
            let esc = Parts {
                fu: tex(&p.fu),
                energy: tex(&p.energy),
                how: tex(&p.how),
                hardware: tex(&p.hardware),
                duration: tex(&p.duration),
                location: tex(&p.location),
                factors: tex(&p.factors),
                pue: tex(&p.pue),
                use_phase: tex(&p.use_phase),
                allocation: tex(&p.allocation),
                embodied: tex(&p.embodied),
                total: tex(&p.total),
                versions: tex(&p.versions),
                embodied_origin: tex(&p.embodied_origin),
                bottom_up: p.bottom_up,
                method_keys: p.method_keys.clone(),
            };
            let body = sentences(&esc, &|k| format!("~\\cite{{{}}}", k.join(",")));
            let data_keys: Vec<String> = keys(r, data)
                .into_iter()
                .skip(2 + p.method_keys.len())
                .collect();
            let data_cite = if data_keys.is_empty() {
                String::new()
            } else {
                format!(" Data sources:~\\cite{{{}}}.", data_keys.join(","))
            };
            format!(
                "% Carbon and environmental impact statement, written by mlca {}.\n% The BibTeX entries it cites follow the paragraph: save them as a .bib file.\n{}{}\n\n% ---- BibTeX ----\n{}\n",
                r.mlca_version,
                body.replace("R^2", "$R^2$").replace(" x ", " $\\times$ "),
                data_cite,
                bib(r, data).lines().map(|l| format!("% {l}")).collect::<Vec<_>>().join("\n")
            )
        }
        Format::Markdown => {
            let ks = keys(r, data);
            let idx = |k: &str| ks.iter().position(|x| x == k).map_or(0, |i| i + 1);
            let body = sentences(&p, &|k| {
                format!(
                    " [{}]",
                    k.iter()
                        .map(|x| idx(x).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            let mut refs = String::new();
            for (i, k) in ks.iter().enumerate() {
                let title = data
                    .bibtex
                    .get(k)
                    .and_then(|b| b.lines().find(|l| l.trim_start().starts_with("title")))
                    .and_then(|l| l.split_once('='))
                    .map(|(_, t)| {
                        t.trim()
                            .trim_end_matches(',')
                            .trim_matches(['{', '}'])
                            .replace(['{', '}'], "")
                            .replace("\\'e", "é")
                            .replace("\\'E", "É")
                    })
                    .unwrap_or_else(|| k.clone());
                refs.push_str(&format!("{}. [{k}] {title}\n", i + 1));
            }
            format!(
                "{body}\n\nReferences:\n\n{refs}\n```bibtex\n{}\n```\n",
                bib(r, data)
            )
        }
        _ => {
            let grams = r.impacts.total.gwp.scale(G_PER_KG);
            let use_g = r.impacts.use_phase.gwp.value * G_PER_KG;
            let emb_g = r.impacts.embodied.gwp.value * G_PER_KG;
            let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
            format!(
                "co2_eq_emissions:\n  emissions: {}\n  source: {}\n  training_type: {}\n  geographical_location: {}\n  hardware_used: {}\n# emissions in grams CO2eq per functional unit: use {} g + embodied {} g (range {} to {} g);\n# energy {} kWh ({}); ADP {} kgSbeq, PE {} MJ.\n",
                crate::quantity::format::plain_decimal(grams.value),
                quote(&format!("mlca {}, life-cycle assessment of use and embodied phases (impact data {})", r.mlca_version, r.impact_data_version)),
                quote(r.functional_unit.training_type.as_deref().unwrap_or("unspecified (set functional_unit.training_type)")),
                quote(&p.location),
                quote(&p.hardware),
                num(use_g),
                num(emb_g),
                num(grams.min),
                num(grams.max),
                num(r.energy_kwh.value),
                r.energy.method.key(),
                num(r.impacts.total.adp.value),
                num(r.impacts.total.pe.value)
            )
        }
    })
}
