//! Layer 4, electricity: the impact factors of the electricity a run drew (per kWh, for GWP,
//! ADP and PE) and the data centre's PUE, from the mix of the country or cloud region the
//! scenario names ([`location`]) or from factors given in the scenario. The use phase is
//! E x PUE x F per criterion. The report says which ([`ElectricitySource`]) and which sources
//! the factors come from.
//!
//! The factors and the PUE are uncertain inputs of the assessment's Monte Carlo tape: the ones
//! the scenario gives with their ranges, and the world (WOR) and European (EEE) averages over the
//! range of all countries' factors.

pub mod intensity;
pub mod location;
pub mod report;

use crate::data::provenance::{Note, Trail};
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::format::exact;
use crate::quantity::impacts::{Criterion, Gaps, Impacts, PerCriterion};
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::Loaded;
use serde::{Serialize, Serializer};
use std::sync::{Arc, LazyLock};

/// A country named by the scenario, as its mix in the impact data knows it.
#[derive(Debug, Clone, PartialEq)]
/// Its texts are shared (`Arc<str>`) with the impact data's mix.
pub struct Country {
    /// The mix's code (e.g. FRA).
    pub code: Arc<str>,
    /// The country's (or region's) name.
    pub name: Arc<str>,
}

/// Where the electricity factors come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ElectricitySource {
    /// A country's (or region's) mix from the impact data.
    Mix(Country),
    /// A cloud provider's region (`aws us-east-1`), with the mix of its country.
    CloudRegion { region: String, country: Country },
    /// Factors given in the scenario; `country` when it names one too (informative only), as
    /// written and as the impact data knows it.
    Scenario {
        country: Option<(Arc<str>, Country)>,
    },
}

impl ElectricitySource {
    /// The country, if any.
    pub fn country(&self) -> Option<&Country> {
        match self {
            ElectricitySource::Mix(c) => Some(c),
            ElectricitySource::CloudRegion { country, .. } => Some(country),
            ElectricitySource::Scenario { country } => country.as_ref().map(|(_, c)| c),
        }
    }
}

impl ElectricitySource {
    /// The place in words: "France (FRA)", "cloud region aws us-east-1 in United States (USA)".
    pub fn place(&self) -> String {
        match (self, self.country()) {
            (ElectricitySource::CloudRegion { region, country }, _) => {
                format!(
                    "cloud region {region} in {} ({})",
                    country.name, country.code
                )
            }
            (_, Some(c)) => format!("{} ({})", c.name, c.code),
            (_, None) => self.to_string(),
        }
    }
}

/// JSON form (`location`): the mix's code, a cloud region with its country's code
/// ("aws us-east-1 -> USA"), the location as the scenario writes it beside its own factors, or
/// "scenario".
impl std::fmt::Display for ElectricitySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ElectricitySource::Mix(c) => f.write_str(&c.code),
            ElectricitySource::CloudRegion { region, country } => {
                write!(f, "{region} -> {}", country.code)
            }
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
    /// With an intensity series: its energy-weighted mean over the run. A criterion without a
    /// factor is `null` (not assessed).
    pub gwp_kgco2eq_per_kwh: Option<Interval>,
    pub adp_kgsbeq_per_kwh: Option<Interval>,
    pub pe_mj_per_kwh: Option<Interval>,
    /// Water consumed in generating the electricity (m3/kWh), where the data has it.
    pub water_m3_per_kwh: Option<Interval>,
    pub pue: Interval,
    /// The time-varying intensity the GWP comes from, when a series is given.
    /// Boxed: most reports have none, and a report is moved whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Box<report::IntensityReport>>,
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
    /// The static GWP factor (the mix's or the scenario's), kgCO2eq/kWh: `per_kwh.gwp` itself
    /// unless an intensity series replaces it.
    pub static_gwp: Interval,
}

impl Electricity<'_> {
    /// The factors and PUE as the report gives them.
    pub fn report(&self) -> ElectricityReport {
        self.clone().into_report()
    }

    /// [`Electricity::report`], its location and source ids moved into the report (not copied).
    #[inline]
    pub fn into_report(self) -> ElectricityReport {
        let factor = |c: Criterion| {
            self.not_assessed
                .reason(c)
                .is_none()
                .then(|| self.per_kwh.get(c).interval())
        };
        ElectricityReport {
            gwp_kgco2eq_per_kwh: factor(Criterion::Gwp),
            adp_kgsbeq_per_kwh: factor(Criterion::Adp),
            pe_mj_per_kwh: factor(Criterion::Pe),
            water_m3_per_kwh: factor(Criterion::Water),
            pue: self.pue.interval(),
            location: self.location,
            intensity: None,
        }
    }
}

/// The field of `electricity.factors` that gives criterion `c`'s factor.
fn factor_key(c: Criterion) -> &'static str {
    match c {
        Criterion::Gwp => "gwp_kgco2eq_per_kwh",
        Criterion::Adp => "adp_kgsbeq_per_kwh",
        Criterion::Pe => "pe_mj_per_kwh",
        Criterion::Water => "water_m3_per_kwh",
    }
}

/// Why a criterion whose factor `electricity.factors` does not give is not assessed: texts of the
/// program, made once and shared by every report.
fn not_given(c: Criterion) -> &'static Arc<str> {
    static WHY: LazyLock<PerCriterion<Arc<str>>> = LazyLock::new(|| {
        PerCriterion::from_fn(|c| {
            let key = factor_key(c);
            match c {
                Criterion::Water => format!("not covered: the electricity's water, as the scenario's electricity factors give no water factor (electricity.factors.{key})"),
                _ => format!("the scenario's electricity factors give no {} factor (electricity.factors.{key})", c.label()),
            }
            .into()
        })
    });
    WHY.get(c)
}

/// The assumption that the location `written` at `field` only informs: the scenario's factors
/// are used.
fn informative(field: &str, written: &str) -> String {
    format!("{field} {written} is informative: the scenario's factors replace its mix")
}

/// The electricity factors of the scenario, registered as uncertain inputs of `tape`, with the
/// PUE `pue` (registered by the caller: `electricity.pue`, see [`pue`]). With `series_gwp` (kgCO2eq/kWh, the energy-weighted mean of an intensity series), the GWP
/// factor is that figure and the static one is kept for comparison only (not on the tape).
pub fn electricity<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    trail: &mut Trail,
    tape: &'t Tape,
    pue: Var<'t>,
    series_gwp: Option<f64>,
) -> Result<Electricity<'t>> {
    let mut e = static_electricity(loaded, data, trail, tape, pue, series_gwp.is_some())?;
    if let Some(g) = series_gwp {
        e.per_kwh.gwp = Var::from(Interval::exact(g));
    }
    Ok(e)
}

/// The data centre's PUE (`electricity.pue`), an uncertain input of `tape`: the energy at the
/// facility is the IT energy times it.
pub fn pue<'t>(loaded: &Loaded, tape: &'t Tape) -> Var<'t> {
    loaded
        .scenario
        .electricity
        .pue
        .param(tape, "electricity.pue")
}

/// The mix's or the scenario's factors; with `gwp_off_tape`, the GWP factor is not an input of
/// the tape (an intensity series replaces it).
fn static_electricity<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    trail: &mut Trail,
    tape: &'t Tape,
    pue: Var<'t>,
    gwp_off_tape: bool,
) -> Result<Electricity<'t>> {
    let el = &loaded.scenario.electricity;
    let located = location::locate(loaded, data, trail)?;
    match (located, &el.factors) {
        (located, Some(f)) => {
            // written from the scenario alone: once, shared by later reports
            let texts = f.texts.get_or_init(|| {
                let given = format!("electricity factors given in the scenario ({})", f.source);
                let country = el.country.as_deref().unwrap_or_default();
                let informative = informative("electricity.country", country);
                let id = "scenario: electricity factors";
                vec![given.into(), informative.into(), id.into(), f.source.as_str().into()]
            });
            if let [.., id, source] = texts {
                trail.cite_text(Arc::clone(id), Arc::clone(source));
            }
            if let Some(t) = texts.first() {
                trail.assume(Arc::clone(t));
            }
            let country = located.map(|l| {
                let (field, written) = (l.field, l.written(loaded));
                match (l.region, texts.get(1)) {
                    (None, Some(t)) => trail.assume(Arc::clone(t)),
                    _ => {
                        let shown = written.clone();
                        trail.assume(Note::later(move |w| w.write_str(&informative(field, &shown))));
                    }
                }
                (written, l.country())
            });
            // with an intensity series, the GWP factor is kept for comparison only (off the tape)
            let static_gwp = match (gwp_off_tape, &f.gwp_kgco2eq_per_kwh) {
                (true, Some(g)) => Some(g.0),
                (true, None) => {
                    return Err(loaded.error_at(
                        "electricity.factors",
                        "an intensity series is compared with the static GWP factor, which electricity.factors does not give",
                        Some("give electricity.factors.gwp_kgco2eq_per_kwh (kgCO2eq/kWh) beside the series".into()),
                    ))
                }
                (false, _) => None,
            };
            let on_tape_gwp = if gwp_off_tape { None } else { f.gwp_kgco2eq_per_kwh.as_ref() };
            let given = [
                on_tape_gwp,
                f.adp_kgsbeq_per_kwh.as_ref(),
                f.pe_mj_per_kwh.as_ref(),
                f.water_m3_per_kwh.as_ref(),
            ];
            let name = |c: Criterion| format!("electricity.factors.{}", factor_key(c));
            let why = |c: Criterion| not_given(c).clone();
            let (mut per_kwh, gaps) = match (crate::quantity::input::given_per_criterion(tape, given, name, why), static_gwp) {
                (Some(x), _) => x,
                // the GWP alone, from the series
                (None, Some(_)) => {
                    let mut g = Gaps::none();
                    for c in Criterion::ALL.into_iter().filter(|c| *c != Criterion::Gwp) {
                        g.add(c, why(c));
                    }
                    (Impacts::from_fn(|_| Var::ZERO), g)
                }
                (None, None) => {
                    return Err(loaded.error_at(
                        "electricity.factors",
                        "no electricity factor given",
                        Some("give at least gwp_kgco2eq_per_kwh (and adp_kgsbeq_per_kwh, pe_mj_per_kwh to assess ADP and PE)".into()),
                    ))
                }
            };
            let mut not_assessed = Gaps::none();
            for c in Criterion::ALL {
                if let Some(r) = gaps.shared_reason(c) {
                    if !(c == Criterion::Gwp && static_gwp.is_some()) {
                        not_assessed.add(c, r);
                    }
                }
            }
            if let Some(g) = static_gwp {
                per_kwh.gwp = Var::from(g);
            }
            Ok(Electricity {
                location: ElectricitySource::Scenario { country },
                static_gwp: static_gwp.unwrap_or_else(|| per_kwh.gwp.interval()),
                per_kwh,
                not_assessed,
                pue,
            })
        }
        (Some(l), None) => {
            let mix = l.mix;
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
                let replaced = if gwp_off_tape && crit == Criterion::Gwp { " (static: the intensity series replaces it)" } else { "" };
                trail.assume(format!("electricity {} {}{replaced}: {} {}/kWh [{}, {}]", mix.code, crit.label(), exact(f.value), crit.unit(), f.source_id, f.year));
                let mut v = Var::from(Interval::exact(f.value));
                if let Some(r) = range {
                    let iv = Interval::new(f.value, r.min, r.max);
                    v = if gwp_off_tape && crit == Criterion::Gwp {
                        Var::from(iv)
                    } else {
                        tape.param(&format!("electricity {} {}", mix.code, crit.label()), iv, None)
                    };
                    trail.cite(data, &r.source_id);
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
            let country = l.country();
            Ok(Electricity {
                static_gwp: per_kwh.gwp.interval(),
                location: match l.region {
                    Some(r) => ElectricitySource::CloudRegion { region: r.to_string(), country },
                    None => ElectricitySource::Mix(country),
                },
                per_kwh,
                not_assessed,
                pue,
            })
        }
        (None, None) => Err(loaded.error_at(
            "electricity",
            "no electricity mix given",
            Some("give electricity.country (e.g. FR, FRA or France; `mlca mix list`), electricity.cloud_region (e.g. aws us-east-1) or electricity.factors with their source".into()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cloud_region_is_written_with_its_country() {
        let usa = Country {
            code: "USA".into(),
            name: "United States".into(),
        };
        let r = ElectricitySource::CloudRegion {
            region: "aws us-east-1".into(),
            country: usa.clone(),
        };
        assert_eq!(r.to_string(), "aws us-east-1 -> USA");
        assert_eq!(
            r.place(),
            "cloud region aws us-east-1 in United States (USA)"
        );
        assert_eq!(r.country(), Some(&usa));
        assert_eq!(ElectricitySource::Mix(usa).place(), "United States (USA)");
    }
}
