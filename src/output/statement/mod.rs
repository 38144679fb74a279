//! `mlca statement`: the impact statement of a paper's appendix, in LaTeX or Markdown: a short
//! paragraph, a table of the use, embodied and total impacts per criterion with their ranges,
//! and a compact list of the assumptions a reviewer checks (how the energy was obtained with
//! its figures, the facility energy, the electricity factors with their sources and years, the
//! hardware, the embodied method and allocation, the defaults applied, the scope left out);
//! the BibTeX entries it cites go to their own file (`--bib`). Or the Hugging Face model card's
//! `co2_eq_emissions` block.
//!
//! Everything it says comes from typed fields (the report's energy method, traces, electricity
//! source, embodied method, defaults and parts left out; the scenario's power declarations;
//! the impact data's sources), never from the text of the report's assumptions. The statement
//! is built once as typed pieces ([`text`]) and written per format ([`write`]); numbers follow
//! one print rule ([`numbers`]).

mod assumptions;
pub mod bib;
pub mod numbers;
pub mod text;
mod write;

use crate::assessment::{BreakdownLevel, Report};
use crate::data::component::ComponentKind;
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::output::{num, Format};
use crate::quantity::impacts::{Criterion, Phase};
use crate::quantity::interval::Interval;
use crate::quantity::units::G_PER_KG;
use crate::scenario::{EmbodiedMethod, Scenario};
use text::Line;

/// A statement and the BibTeX text of what it cites (empty for the model card).
pub struct Written {
    pub text: String,
    pub bib: String,
}

/// The long name of a criterion, as a paper writes it.
fn long_name(c: Criterion) -> &'static str {
    match c {
        Criterion::Gwp => "global warming potential",
        Criterion::Adp => "abiotic depletion of minerals and metals",
        Criterion::Pe => "primary energy",
        Criterion::Water => "water use",
    }
}

/// One row of the statement's table: a criterion's impacts per phase.
pub struct Row {
    pub criterion: Criterion,
    pub phases: [(Phase, Interval); 3],
}

/// What the statement says, typed; written out by [`write`].
pub struct Statement {
    /// The paragraph (at most about 150 words).
    pub paragraph: Line,
    /// One row per criterion assessed (those not assessed are named in the paragraph).
    pub rows: Vec<Row>,
    /// The assumptions list: a topic and its line each.
    pub assumptions: Vec<(&'static str, Line)>,
    /// The BibTeX keys cited, in order of first citation.
    pub keys: Vec<String>,
    pub mlca_version: String,
    pub impact_data_version: String,
}

/// The parts a statement names in a node: processors, memory and storage.
const NAMED_PARTS: [ComponentKind; 5] = [
    ComponentKind::Cpu,
    ComponentKind::Gpu,
    ComponentKind::Ram,
    ComponentKind::Ssd,
    ComponentKind::Hdd,
];

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
            if NAMED_PARTS.contains(&c.component) {
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

/// The node kinds alone: "1 x HPE Apollo 6500 Gen10".
fn nodes(r: &Report) -> Line {
    let mut l = Line::new();
    let kinds: Vec<_> = r
        .breakdown
        .iter()
        .filter(|b| b.level == BreakdownLevel::Node)
        .collect();
    for (i, b) in kinds.iter().enumerate() {
        if i > 0 {
            l = l.words(if i + 1 == kinds.len() { " and " } else { ", " });
        }
        l = match b.device_hours {
            Some(h) => l.words(format!(
                "{} device-hours of {}",
                crate::quantity::format::exact(h.value),
                b.name
            )),
            None => l.words(b.units.to_string()).times().words(&*b.node),
        };
    }
    l
}

/// The place of the run, as a paper names it: "France (FRA)".
fn location(r: &Report) -> String {
    r.electricity.location.place()
}

/// The BibTeX keys of the embodied method `m`: its source's in impact-data (`sources.csv`),
/// and BoaviztAPI's where the method takes components from it.
fn method_keys(m: EmbodiedMethod, data: &ImpactData) -> Vec<String> {
    let of = |source_id: &str, fallback: &str| {
        data.source(source_id)
            .map(|s| s.bibtex_key.to_string())
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

/// How the energy was obtained, in two or three words for the paragraph.
fn energy_how(r: &Report) -> &'static str {
    match r.energy.method {
        crate::energy::EnergyMethod::Measured => "measured",
        crate::energy::EnergyMethod::Extrapolated => "extrapolated from a measured part",
        crate::energy::EnergyMethod::Tdp => "estimated from TDP",
        crate::energy::EnergyMethod::Declared => "declared",
        crate::energy::EnergyMethod::DeviceHours => "from device-hours times a device's power",
        crate::energy::EnergyMethod::Combined => "summed from several terms",
    }
}

/// The paragraph: what was trained where, its energy, its impacts and where the details are.
fn paragraph(r: &Report) -> Line {
    let emb = &r.impacts.embodied;
    let fu = &r.functional_unit;
    let facility = r.facility_energy_kwh;
    let mut l = Line::new()
        .words("Training for the functional unit ")
        .quoted(&*fu.name)
        .words(" used ")
        .value(r.energy_kwh, "kWh")
        .words(format!(
            " of electricity at the IT equipment ({}), ",
            energy_how(r)
        ))
        .value(facility, "kWh")
        .words(" with the facility's overhead (PUE ")
        .figure(r.electricity.pue.value)
        .words(")");
    l = match r.duration_h {
        Some(d) => l.words(", over ").value(d, "h"),
        None => l,
    };
    let mut l = l
        .words(" on ")
        .then(nodes(r))
        .words(match &r.electricity.location {
            // factors given in the scenario without a place: no place to name
            crate::electricity::ElectricitySource::Scenario { country: None } => ". ".to_string(),
            _ => format!(" in {}. ", location(r)),
        })
        .words("Its life-cycle impacts, assessed with mlca ")
        .words(r.mlca_version)
        .cite(&["mlca".to_string()])
        .words(" after the method of Jay")
        .cite(&["jay2024".to_string()])
        .words(", are ");
    // a criterion not assessed is left out here and named once, with its reason, below
    let assessed = assessed_criteria(r);
    for (i, (c, t)) in assessed.iter().enumerate() {
        if i > 0 {
            l = l.words(if i + 1 == assessed.len() {
                " and "
            } else {
                ", "
            });
        }
        let note = if *c == Criterion::Water {
            ", partial"
        } else {
            ""
        };
        l = l
            .value(*t, c.unit())
            .words(format!(" of {} ({}{note})", long_name(*c), c.label()));
    }
    if assessed.is_empty() {
        l = l.words("not assessed");
    }
    l = l.words("; the manufacture of the hardware, allocated to the run, accounts for ");
    let shares: Vec<String> = assessed
        .iter()
        .map(|(c, t)| {
            let e = emb.value(*c).map_or(0.0, |e| e.value);
            let share = if t.value > 0.0 {
                100.0 * e / t.value
            } else {
                0.0
            };
            format!("{share:.0} % of the {}", c.label())
        })
        .collect();
    l = l.words(shares.join(", ")).words(".");
    let na = not_assessed(r);
    if !na.is_empty() {
        l = l.words(na);
    }
    l.words(" ").table_ref().words(
        " splits them into use and embodied phases with their ranges; the assumptions follow.",
    )
}

/// The criteria the total assesses, with their totals, in the order of [`Criterion::ALL`].
fn assessed_criteria(r: &Report) -> Vec<(Criterion, Interval)> {
    Criterion::ALL
        .iter()
        .filter_map(|c| r.impacts.total.value(*c).map(|t| (*c, t)))
        .collect()
}

/// " ADP and PE are not assessed: reason; reason." for the criteria the total does not assess,
/// empty when it assesses all of them.
fn not_assessed(r: &Report) -> String {
    let mut names = Vec::new();
    let mut reasons: Vec<&str> = Vec::new();
    for c in Criterion::ALL {
        if let Some(why) = r.impacts.total.get(c).reason() {
            names.push(c.label().to_string());
            // the water's terms are many: their coverage is in the assumptions
            let why = if c == Criterion::Water {
                "none of the water's terms is covered (see the assumptions)"
            } else {
                why
            };
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

/// The statement of a report.
pub fn statement(r: &Report, scenario: &Scenario, data: &ImpactData) -> Statement {
    let paragraph = paragraph(r);
    // the criteria assessed (a total assessed has both phases assessed)
    let rows = assessed_criteria(r)
        .into_iter()
        .filter_map(|(c, _)| {
            let at = |p: Phase| r.impacts.get(p).value(c);
            match (at(Phase::Use), at(Phase::Embodied), at(Phase::Total)) {
                (Some(u), Some(e), Some(t)) => Some(Row {
                    criterion: c,
                    phases: [(Phase::Use, u), (Phase::Embodied, e), (Phase::Total, t)],
                }),
                _ => None,
            }
        })
        .collect();
    let assumptions = assumptions::list(r, scenario, data);
    let mut keys: Vec<String> = Vec::new();
    let mut add = |k: &String| {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    };
    paragraph.keys().for_each(&mut add);
    for (_, l) in &assumptions {
        l.keys().for_each(&mut add);
    }
    for s in &r.sources {
        if !s.bibtex_key.is_empty() {
            add(&s.bibtex_key.to_string());
        }
    }
    Statement {
        paragraph,
        rows,
        assumptions,
        keys,
        mlca_version: r.mlca_version.to_string(),
        impact_data_version: r.impact_data_version.to_string(),
    }
}

/// The statement in the chosen format, and the BibTeX text of what it cites.
pub fn render(
    r: &Report,
    scenario: &Scenario,
    data: &ImpactData,
    format: Format,
) -> Result<Written> {
    crate::assessment::finite::check_report(r)?;
    let bib_of = |s: &Statement| bib::file(&s.keys, data, &s.mlca_version, &s.impact_data_version);
    match format {
        Format::Latex => {
            let s = statement(r, scenario, data);
            Ok(Written {
                text: write::latex(&s),
                bib: bib_of(&s),
            })
        }
        Format::Markdown => {
            let s = statement(r, scenario, data);
            Ok(Written {
                text: write::markdown(&s, data),
                bib: bib_of(&s),
            })
        }
        Format::ModelCard => Ok(Written {
            text: model_card(r)?,
            bib: String::new(),
        }),
        other => Err(Error::Internal(format!(
            "{} is not a statement format",
            crate::choice::Choice::name(other)
        ))),
    }
}

/// The Hugging Face model card's `co2_eq_emissions` block: grams CO2eq as a plain decimal
/// (YAML 1.1 readers take `5.868e5` for a string), the split and range in comments. Refused
/// when the GWP is not assessed.
fn model_card(r: &Report) -> Result<String> {
    let (Some(total), Some(use_phase), Some(embodied)) = (
        r.impacts.total.gwp.value(),
        r.impacts.use_phase.gwp.value(),
        r.impacts.embodied.gwp.value(),
    ) else {
        return Err(Error::input(
            crate::error::Diagnostic::new(format!(
                "the model card gives the CO2 emissions, but the GWP is not assessed ({})",
                r.impacts.total.gwp.reason().unwrap_or("an input lacks it")
            ))
            .hint("give the GWP factors of the electricity and of every part, or use --format markdown"),
        ));
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
    Ok(format!(
        "co2_eq_emissions:\n  emissions: {}\n  source: {}\n  training_type: {}\n  geographical_location: {}\n  hardware_used: {}\n# emissions in grams CO2eq per functional unit: use {} g + embodied {} g (range {} to {} g);\n# energy {} kWh at the IT equipment, {} kWh at the facility ({}); ADP {}, PE {}.\n# water {} (a partial sum: its coverage is in the report's assumptions).\n",
        crate::quantity::format::plain_decimal(grams.value),
        quote(&format!(
            "mlca {}, life-cycle assessment of use and embodied phases (impact data {})",
            r.mlca_version, r.impact_data_version
        )),
        quote(
            r.functional_unit
                .training_type
                .as_deref()
                .unwrap_or("unspecified (set functional_unit.training_type)")
        ),
        quote(&location(r)),
        quote(&hardware(r)),
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
    ))
}
