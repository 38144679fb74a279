//! Layer 4, electricity: the impact factors of the electricity a run drew (per kWh, for GWP,
//! ADP and PE) and the data centre's PUE, from the country's mix in the impact data or from
//! factors given in the scenario. The use phase is E x PUE x F per criterion. The report says
//! which ([`ElectricitySource`]) and which sources the factors come from.
//!
//! The factors and the PUE are uncertain inputs of the assessment's Monte Carlo tape: the ones
//! the scenario gives with their ranges, and the world (WOR) and European (EEE) averages over the
//! range of all countries' factors.

use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::format::exact;
use crate::quantity::impacts::{Criterion, Gaps, Impacts};
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::Loaded;
use serde::{Serialize, Serializer};

/// A country named by the scenario, as its mix in the impact data knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// The mix's code (e.g. FRA).
    pub code: String,
    /// The country's (or region's) name.
    pub name: String,
}

/// Where the electricity factors come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ElectricitySource {
    /// A country's (or region's) mix from the impact data.
    Mix(Country),
    /// Factors given in the scenario; `country` when it names one too (informative only), as
    /// written and as the impact data knows it.
    Scenario { country: Option<(String, Country)> },
}

impl ElectricitySource {
    /// The country, if any.
    pub fn country(&self) -> Option<&Country> {
        match self {
            ElectricitySource::Mix(c) => Some(c),
            ElectricitySource::Scenario { country } => country.as_ref().map(|(_, c)| c),
        }
    }
}

/// JSON form (`location`): the mix's code, the country as the scenario writes it beside its own
/// factors, or "scenario".
impl std::fmt::Display for ElectricitySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ElectricitySource::Mix(c) => f.write_str(&c.code),
            ElectricitySource::Scenario {
                country: Some((written, _)),
            } => f.write_str(written),
            ElectricitySource::Scenario { country: None } => f.write_str("scenario"),
        }
    }
}

impl Serialize for ElectricitySource {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The factors of the report; a criterion without a factor is `null` (not assessed).
#[derive(Debug, Clone, Serialize)]
pub struct ElectricityReport {
    /// Country code, or "scenario" for factors given in the scenario.
    pub location: ElectricitySource,
    pub gwp_kgco2eq_per_kwh: Option<Interval>,
    pub adp_kgsbeq_per_kwh: Option<Interval>,
    pub pe_mj_per_kwh: Option<Interval>,
    /// Water consumed in generating the electricity (m3/kWh), where the data has it.
    pub water_m3_per_kwh: Option<Interval>,
    pub pue: Interval,
    /// The ids of the sources of the factors (in the report's `sources`).
    #[serde(skip)]
    pub source_ids: Vec<String>,
}

/// The electricity of a run as the assessment computes with it: the factors per kWh (GWP
/// kgCO2eq/kWh, ADP kgSbeq/kWh, PE MJ/kWh) and the PUE, tracked on the tape. A criterion
/// without a factor is zero in `per_kwh` and named in `not_assessed`: the use phase does not
/// assess it.
#[derive(Debug, Clone)]
pub struct Electricity<'t> {
    /// Where the factors come from.
    pub location: ElectricitySource,
    pub per_kwh: Impacts<Var<'t>>,
    /// The criteria without a factor, with the reason.
    pub not_assessed: Gaps,
    pub pue: Var<'t>,
    /// The ids of the sources of the factors.
    pub source_ids: Vec<String>,
}

impl Electricity<'_> {
    /// The factors and PUE as the report gives them.
    pub fn report(&self) -> ElectricityReport {
        let factor = |c: Criterion| {
            self.not_assessed
                .reason(c)
                .is_none()
                .then(|| self.per_kwh.get(c).interval())
        };
        ElectricityReport {
            location: self.location.clone(),
            gwp_kgco2eq_per_kwh: factor(Criterion::Gwp),
            adp_kgsbeq_per_kwh: factor(Criterion::Adp),
            pe_mj_per_kwh: factor(Criterion::Pe),
            water_m3_per_kwh: factor(Criterion::Water),
            pue: self.pue.interval(),
            source_ids: self.source_ids.clone(),
        }
    }
}

/// The electricity factors and PUE of the scenario, registered as uncertain inputs of `tape`.
pub fn electricity<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<Electricity<'t>> {
    let el = &loaded.scenario.electricity;
    let pue = el.pue.param(tape, "electricity.pue");
    match (&el.country, &el.factors) {
        (_, Some(f)) => {
            trail.cite_text("scenario: electricity factors".into(), &f.source);
            trail.assume(format!("electricity factors given in the scenario ({})", f.source));
            let mut country = None;
            if let Some(c) = &el.country {
                let mix = data.find_mix(c).map_err(|e| loaded.locate_error(e, "electricity.country"))?;
                country = Some((c.clone(), Country { code: mix.code.clone(), name: mix.country.clone() }));
                trail.assume(format!("electricity.country {c} is informative: the scenario's factors replace its mix"));
            }
            let key = |c: Criterion| match c {
                Criterion::Gwp => "gwp_kgco2eq_per_kwh",
                Criterion::Adp => "adp_kgsbeq_per_kwh",
                Criterion::Pe => "pe_mj_per_kwh",
                Criterion::Water => "water_m3_per_kwh",
            };
            let (per_kwh, not_assessed) = crate::quantity::input::given_per_criterion(
                tape,
                [f.gwp_kgco2eq_per_kwh.as_ref(), f.adp_kgsbeq_per_kwh.as_ref(), f.pe_mj_per_kwh.as_ref(), f.water_m3_per_kwh.as_ref()],
                |c| format!("electricity.factors.{}", key(c)),
                |c| match c {
                    Criterion::Water => format!("not covered: the electricity's water, as the scenario's electricity factors give no water factor (electricity.factors.{})", key(c)),
                    _ => format!("the scenario's electricity factors give no {} factor (electricity.factors.{})", c.label(), key(c)),
                },
            )
            .ok_or_else(|| {
                loaded.error_at(
                    "electricity.factors",
                    "no electricity factor given",
                    Some("give at least gwp_kgco2eq_per_kwh (and adp_kgsbeq_per_kwh, pe_mj_per_kwh to assess ADP and PE)".into()),
                )
            })?;
            Ok(Electricity {
                location: ElectricitySource::Scenario { country },
                source_ids: vec!["scenario: electricity factors".into()],
                per_kwh,
                not_assessed,
                pue,
            })
        }
        (Some(c), None) => {
            let mix = data.find_mix(c).map_err(|e| loaded.locate_error(e, "electricity.country"))?;
            let mut source_ids: Vec<String> = Vec::new();
            let mut not_assessed = Gaps::none();
            let mut get = |crit: Criterion| -> Var<'t> {
                let Some((f, range)) = data.mix_factor(mix, crit) else {
                    if crit == Criterion::Water {
                        not_assessed.add(crit, format!("not covered: the electricity's water, as the electricity data has no water factor for {} ({}): BoaviztAPI 2.5.0 gives one for 49 countries", mix.code, mix.country));
                        return Var::ZERO;
                    }
                    not_assessed.add(crit, format!("the electricity data has no {} factor for {} ({}); give electricity.factors to assess it", crit.label(), mix.code, mix.country));
                    return Var::ZERO;
                };
                trail.cite(data, &f.source_id);
                source_ids.push(f.source_id.clone());
                trail.assume(format!("electricity {} {}: {} {}/kWh [{}, {}]", mix.code, crit.label(), exact(f.value), crit.unit(), f.source_id, f.year));
                let mut v = Var::from(Interval::exact(f.value));
                if let Some(r) = range {
                    v = tape.param(&format!("electricity {} {}", mix.code, crit.label()), Interval::new(f.value, r.min, r.max), None);
                    trail.cite(data, &r.source_id);
                    source_ids.push(r.source_id.clone());
                    trail.assume(format!("electricity {} {}: range {} to {} {} over all countries [{}]", mix.code, crit.label(), r.min, r.max, r.unit, r.source_id));
                }
                v
            };
            let per_kwh = Impacts {
                gwp: get(Criterion::Gwp),
                adp: get(Criterion::Adp),
                pe: get(Criterion::Pe),
                water: get(Criterion::Water),
            };
            Ok(Electricity {
                location: ElectricitySource::Mix(Country { code: mix.code.clone(), name: mix.country.clone() }),
                per_kwh,
                not_assessed,
                pue,
                source_ids,
            })
        }
        (None, None) => Err(loaded.error_at(
            "electricity",
            "no electricity mix given",
            Some("give electricity.country (e.g. FRA; `mlca mix list`) or electricity.factors with their source".into()),
        )),
    }
}
