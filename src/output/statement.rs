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
    facility: String,
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
    /// The criteria the total assesses, in words.
    criteria: String,
    /// The criteria not assessed and why (empty when all are assessed).
    not_assessed: String,
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

/// The impacts of a phase, each assessed criterion with its range; a criterion not assessed is
/// left out (the statement names it, with its reason, once: [`not_assessed`]).
fn impacts_text(r: &Report, which: Phase) -> String {
    let imp = r.impacts.get(which);
    let given: Vec<String> = Criterion::ALL
        .iter()
        .filter_map(|c| imp.value(*c).map(|i| r3(i, c.unit())))
        .collect();
    if given.is_empty() {
        "no assessed impact".to_string()
    } else {
        given.join(", ")
    }
}

/// " ADP and PE are not assessed: reason; reason." for the criteria the total does not assess,
/// empty when it assesses all three.
fn not_assessed(r: &Report) -> String {
    let mut names = Vec::new();
    let mut reasons: Vec<&str> = Vec::new();
    for c in Criterion::ALL {
        if let Some(why) = r.impacts.total.get(c).reason() {
            names.push(c.label().to_string());
            if !reasons.contains(&why) {
                reasons.push(why);
            }
        }
    }
    if names.is_empty() {
        return String::new();
    }
    let verb = if names.len() == 1 { "is" } else { "are" };
    format!(
        " {} {verb} not assessed: {}.",
        and_list(&names),
        reasons.join("; ")
    )
}

/// `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
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
        match node.device_hours {
            // devices charged per device-hour: their hours, not their parts
            Some(h) => out.push(format!(
                "{} device-hours of {}",
                crate::quantity::format::exact(h.value),
                node.name
            )),
            None => out.push(format!("{} x {}{inside}", node.units, node.name)),
        }
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
                    format!(
                        "{} ({} device(s){w}, {} energy, {} gap(s) handled by {})",
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
                        _ if x.points > 0 => format!("{} of {} kWh on average (Carbontracker's prediction: the energy of an epoch x the epochs)", x.source, num(x.slope_kwh_per_step)),
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
        EnergyMethod::DeviceHours => {
            "from the devices' hours times the power of one device".to_string()
        }
        EnergyMethod::Combined => {
            let terms: Vec<String> = e
                .lines
                .iter()
                .map(|l| format!("{} ({})", l.label, l.source.key()))
                .collect();
            format!("summed from its terms, {}", terms.join(", "))
        }
    };
    let how = match (&e.overhead, e.at) {
        (Some(o), _) => format!(
            "{how}, times an overhead of {} ({})",
            num(o.factor.value),
            o.source
        ),
        (None, crate::scenario::Boundary::Facility) => format!("{how}, as metered at the facility"),
        (None, crate::scenario::Boundary::It) => how,
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
        facility: r3(r.facility_energy_kwh, "kWh"),
        how,
        hardware: hardware(r),
        duration: r
            .duration_h
            .map_or_else(|| "a duration not given".to_string(), |d| r3(d, "h")),
        location: el
            .location
            .country()
            .map_or_else(|| el.location.to_string(), |c| format!("{} ({})", c.name, c.code)),
        factors: {
            let given: Vec<String> = [
                (el.gwp_kgco2eq_per_kwh, "kgCO2eq/kWh"),
                (el.adp_kgsbeq_per_kwh, "kgSbeq/kWh"),
                (el.pe_mj_per_kwh, "MJ/kWh"),
                (el.water_m3_per_kwh, "m3/kWh of water"),
            ]
            .iter()
            .filter_map(|(f, unit)| f.map(|f| format!("{} {unit}", num(f.value))))
            .collect();
            format!("{}{src}", and_list(&given))
        },
        criteria: {
            let names: Vec<String> = Criterion::ALL
                .iter()
                .filter(|c| r.impacts.total.value(**c).is_some())
                .map(|c| {
                    match c {
                        Criterion::Gwp => "global warming potential",
                        Criterion::Adp => "abiotic depletion of minerals and metals",
                        Criterion::Pe => "primary energy",
                        Criterion::Water => "water use (a partial sum: see its coverage)",
                    }
                    .to_string()
                })
                .collect();
            and_list(&names).replacen(" and primary", ", and primary", 1)
        },
        not_assessed: not_assessed(r),
        pue: num(el.pue.value),
        use_phase: impacts_text(r, Phase::Use),
        allocation: match a.share_of_node_life {
            Some(share) => format!(
                "the share of the hardware's active life the training used, T / (AUR x lifetime) with an active utilization rate of {} over {} h, i.e. {}",
                num(a.active_utilization_rate.value),
                num(a.lifetime_h.value),
                num(share.value)
            ),
            None => format!(
                "the share of the devices' active life their hours used, device-hours / (AUR x lifetime) with an active utilization rate of {} over {} h",
                num(a.active_utilization_rate.value),
                num(a.lifetime_h.value)
            ),
        },
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
        "Training for the functional unit \"{fu}\" used {energy} of electricity at the IT equipment ({facility} at the facility), {how}, over {duration} on {hw}, in {loc}. \
With a power usage effectiveness of {pue} and electricity impact factors of {factors}, the use phase amounts to {use_}. \
The manufacture of the hardware (with transport and end of life for GPUs), {origin}{c_method}, allocated by {alloc}, adds {emb}. \
In total, the functional unit accounts for {tot} ({crits}){c_jay}.{na} \
The assessment was computed with {ver}{c_mlca}; ranges are the bounds of the declared input ranges, not statistical intervals.",
        fu = p.fu,
        energy = p.energy,
        facility = p.facility,
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
        crits = p.criteria,
        na = p.not_assessed,
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
                facility: tex(&p.facility),
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
                criteria: tex(&p.criteria),
                not_assessed: tex(&p.not_assessed),
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
            let (Some(total), Some(use_phase), Some(embodied)) = (
                r.impacts.total.gwp.value(),
                r.impacts.use_phase.gwp.value(),
                r.impacts.embodied.gwp.value(),
            ) else {
                return Err(Error::input(crate::error::Diagnostic::new(format!(
                    "the model card gives the CO2 emissions, but the GWP is not assessed ({})",
                    r.impacts.total.gwp.reason().unwrap_or("an input lacks it")
                ))
                .hint("give the GWP factors of the electricity and of every part, or use --format markdown")));
            };
            let grams = total.scale(G_PER_KG);
            let use_g = use_phase.value * G_PER_KG;
            let emb_g = embodied.value * G_PER_KG;
            let other = |c: Criterion| {
                r.impacts.total.value(c).map_or_else(
                    || "not assessed".to_string(),
                    |i| format!("{} {}", num(i.value), c.unit()),
                )
            };
            let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
            format!(
                "co2_eq_emissions:\n  emissions: {}\n  source: {}\n  training_type: {}\n  geographical_location: {}\n  hardware_used: {}\n# emissions in grams CO2eq per functional unit: use {} g + embodied {} g (range {} to {} g);\n# energy {} kWh at the IT equipment, {} kWh at the facility ({}); ADP {}, PE {}.\n# water {} (a partial sum: its coverage is in the report's assumptions).\n",
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
                num(r.facility_energy_kwh.value),
                r.energy.method.key(),
                other(Criterion::Adp),
                other(Criterion::Pe),
                other(Criterion::Water)
            )
        }
    })
}
