//! Layer 4, electricity: the impact factors of the electricity a run drew (per kWh, for GWP,
//! ADP and PE) and the data centre's PUE, from the country's mix in the impact data or from
//! factors given in the scenario. The use phase is E x PUE x F per criterion.

use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::format::exact;
use crate::quantity::impacts::Criterion;
use crate::quantity::interval::Interval;
use crate::scenario::Loaded;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ElectricityReport {
    /// Country code, or "scenario" for factors given in the scenario.
    pub location: String,
    pub gwp_kgco2eq_per_kwh: Interval,
    pub adp_kgsbeq_per_kwh: Interval,
    pub pe_mj_per_kwh: Interval,
    pub pue: Interval,
}

pub fn electricity(
    loaded: &Loaded,
    data: &ImpactData,
    trail: &mut Trail,
) -> Result<ElectricityReport> {
    let el = &loaded.scenario.electricity;
    let pue = el.pue.param("electricity.pue");
    match (&el.country, &el.factors) {
        (_, Some(f)) => {
            trail.cite_text("scenario: electricity factors".into(), &f.source);
            trail.assume(format!("electricity factors given in the scenario ({})", f.source));
            if let Some(c) = &el.country {
                data.find_mix(c).map_err(|e| loaded.locate_error(e, "electricity.country"))?;
                trail.assume(format!("electricity.country {c} is informative: the scenario's factors replace its mix"));
            }
            Ok(ElectricityReport {
                location: el.country.clone().unwrap_or_else(|| "scenario".into()),
                gwp_kgco2eq_per_kwh: f.gwp_kgco2eq_per_kwh.param("electricity.factors.gwp_kgco2eq_per_kwh"),
                adp_kgsbeq_per_kwh: f.adp_kgsbeq_per_kwh.param("electricity.factors.adp_kgsbeq_per_kwh"),
                pe_mj_per_kwh: f.pe_mj_per_kwh.param("electricity.factors.pe_mj_per_kwh"),
                pue,
            })
        }
        (Some(c), None) => {
            let mix = data.find_mix(c).map_err(|e| loaded.locate_error(e, "electricity.country"))?;
            let average = mix.code == "WOR" || mix.code == "EEE";
            let mut get = |crit: Criterion| -> Result<Interval> {
                let f = match crit {
                    Criterion::Gwp => &mix.gwp,
                    Criterion::Adp => &mix.adp,
                    Criterion::Pe => &mix.pe,
                };
                let Some(f) = f else {
                    return Err(loaded.error_at(
                        "electricity.country",
                        format!("the electricity data has no {} factor for {} ({})", crit.label(), mix.code, mix.country),
                        Some("give electricity.factors with all three factors and their source".into()),
                    ));
                };
                trail.cite(data, &f.source_id);
                trail.assume(format!("electricity {} {}: {} {}/kWh [{}, {}]", mix.code, crit.label(), exact(f.value), crit.unit(), f.source_id, f.year));
                let mut v = Interval::exact(f.value);
                if average {
                    if let Some(r) = data.mix_ranges.get(crit.key()) {
                        v = crate::quantity::tape::param(&format!("electricity {} {}", mix.code, crit.label()), Interval::new(f.value, r.min, r.max), None);
                        trail.cite(data, &r.source_id);
                        trail.assume(format!("electricity {} {}: range {} to {} {} over all countries [{}]", mix.code, crit.label(), r.min, r.max, r.unit, r.source_id));
                    }
                }
                Ok(v)
            };
            Ok(ElectricityReport {
                location: mix.code.clone(),
                gwp_kgco2eq_per_kwh: get(Criterion::Gwp)?,
                adp_kgsbeq_per_kwh: get(Criterion::Adp)?,
                pe_mj_per_kwh: get(Criterion::Pe)?,
                pue,
            })
        }
        (None, None) => Err(loaded.error_at(
            "electricity",
            "no electricity mix given",
            Some("give electricity.country (e.g. FRA; `mlca mix list`) or electricity.factors with their source".into()),
        )),
    }
}
