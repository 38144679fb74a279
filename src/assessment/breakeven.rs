//! Inference against training: the number of requests at which the electricity of inference
//! equals that of training and fine-tuning,
//!
//!   N* = (E_train + E_fine-tuning) / e_request            [kWh / (kWh/request) = requests],
//!
//! and, for a deployment serving N requests, the energy of the model's life
//! E_life = E_train + E_fine-tuning + N x e_request and the share of inference
//! N x e_request / E_life. Bounds are taken at the monotone extremes (N* is lowest with the
//! least training energy and the largest energy per request); a value outside its range or not
//! finite is an error at its field.

use super::finite::{is_finite, shown};
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::impacts::{AssessedImpacts, Criterion};
use crate::quantity::interval::Interval;
use crate::scenario::lifecycle::{LoadedLives, ModelLife};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The break-even table of several models.
#[derive(Debug, Clone, Serialize)]
pub struct BreakEven {
    pub title: Option<String>,
    pub source: Option<String>,
    pub models: Vec<ModelBreakEven>,
    /// Every default applied (a fine-tuning not declared), named.
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelBreakEven {
    pub name: String,
    pub training_kwh: Interval,
    pub fine_tuning_kwh: Interval,
    pub inference_kwh_per_request: Interval,
    /// (training + fine-tuning) / inference per request.
    pub break_even_requests: Interval,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_break_even_requests: Option<f64>,
    /// (computed value - published) / published, when a published figure is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_relative_difference: Option<f64>,
    /// Whether the published figure lies within the computed [min, max].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_within_range: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment: Option<Deployment>,
    /// With scenarios for every part: the break-even of each criterion, keyed by criterion and
    /// unit (`gwp_kgco2eq`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub impacts: BTreeMap<String, CriterionBreakEven>,
}

/// The break-even of one criterion: (training + fine-tuning) / inference per request, in the
/// criterion's unit (`unit`).
#[derive(Debug, Clone, Serialize)]
pub struct CriterionBreakEven {
    pub unit: &'static str,
    pub training_and_fine_tuning: Interval,
    pub inference_per_request: Interval,
    pub break_even_requests: Interval,
    /// With `requests`: the deployment's inference and lifetime impacts, in `unit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment: Option<CriterionDeployment>,
}

/// A deployment's impacts of one criterion: N x per request, and with training and fine-tuning.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionDeployment {
    pub inference: Interval,
    pub lifetime: Interval,
    pub inference_share: Interval,
}

/// One part of a model's life (training, fine-tuning, inference): its IT energy per functional
/// unit (kWh) and, from a scenario, its total impacts per functional unit.
struct Part {
    energy_kwh: Interval,
    impacts: Option<AssessedImpacts>,
}

/// The part declared as `{field}_kwh` or assessed from `{field}_scenario`; neither is `None`.
fn part(
    l: &LoadedLives,
    i: usize,
    field: &str,
    kwh: Option<Interval>,
    scenario: Option<&PathBuf>,
    data: &ImpactData,
    assumptions: &mut Vec<String>,
) -> Result<Option<Part>> {
    let at = format!("models[{i}].{field}_scenario");
    match (kwh, scenario) {
        (Some(_), Some(_)) => Err(l.error_at(
            &at,
            format!("both {field}_kwh and {field}_scenario are given"),
            "give one: the energy in kWh, or a scenario to assess",
        )),
        (Some(e), None) => Ok(Some(Part {
            energy_kwh: e,
            impacts: None,
        })),
        (None, Some(p)) => {
            let file = l.file_at(&at, p)?;
            let loaded = crate::scenario::load(&file)?;
            let r = super::assess(&loaded, data)?;
            assumptions.push(format!(
                "models[{i}] {field}: scenario {}, per functional unit \"{}\" (count {}): IT energy {} kWh (before PUE), total impacts",
                file.display(),
                r.functional_unit.name,
                r.functional_unit.count,
                crate::quantity::format::fmt_interval(r.energy_kwh)
            ));
            Ok(Some(Part {
                energy_kwh: r.energy_kwh,
                impacts: Some(r.impacts.total),
            }))
        }
        (None, None) => Ok(None),
    }
}

/// (training + fine-tuning) / inference per criterion, when every part has impacts.
fn by_criterion(
    training: &Part,
    fine_tuning: Option<&Part>,
    inference: &Part,
) -> BTreeMap<String, CriterionBreakEven> {
    let mut out = BTreeMap::new();
    let (Some(t), Some(inf)) = (&training.impacts, &inference.impacts) else {
        return out;
    };
    let ft = match fine_tuning {
        Some(Part {
            impacts: Some(f), ..
        }) => Some(f),
        Some(_) => return out,
        None => None,
    };
    for c in Criterion::ALL {
        // a criterion a part does not assess has no break-even
        let (Some(tc), Some(per_request)) = (t.value(c), inf.value(c)) else {
            continue;
        };
        let fc = match ft.map(|f| f.value(c)) {
            None => Interval::ZERO,
            Some(Some(f)) => f,
            Some(None) => continue,
        };
        let before = tc + fc;
        if per_request.min <= 0.0 {
            continue;
        }
        out.insert(
            format!("{}_{}", c.key(), c.unit().to_ascii_lowercase()),
            CriterionBreakEven {
                unit: c.unit(),
                training_and_fine_tuning: before,
                inference_per_request: per_request,
                break_even_requests: break_even_requests(before, per_request),
                deployment: None,
            },
        );
    }
    out
}

/// A deployment serving `requests` requests.
#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    pub requests: Interval,
    pub inference_kwh: Interval,
    /// Training, fine-tuning and inference.
    pub lifetime_kwh: Interval,
    /// Inference over the lifetime energy, in [0, 1].
    pub inference_share: Interval,
}

/// N* = (E_train + E_fine-tuning) / e_request.
pub fn break_even_requests(training: Interval, per_request: Interval) -> Interval {
    training.over(per_request)
}

/// The share a / (a + b) of a in a sum of two non-negative intervals (increasing in a,
/// decreasing in b); 0 when both are 0.
pub fn share(a: Interval, b: Interval) -> Interval {
    let f = |x: f64, y: f64| if x + y > 0.0 { x / (x + y) } else { 0.0 };
    Interval::new(f(a.value, b.value), f(a.min, b.max), f(a.max, b.min))
}

/// The deployment of a model: N requests after its training.
pub fn deployment(training: Interval, per_request: Interval, requests: Interval) -> Deployment {
    let inference = requests.times(per_request);
    Deployment {
        requests,
        inference_kwh: inference,
        lifetime_kwh: training + inference,
        inference_share: share(inference, training),
    }
}

fn one(
    l: &LoadedLives,
    i: usize,
    m: &ModelLife,
    data: &ImpactData,
    assumptions: &mut Vec<String>,
) -> Result<ModelBreakEven> {
    let at = |f: &str| format!("models[{i}].{f}");
    let missing = |kwh: &str, f: &str| {
        l.error_at(
            &format!("models[{i}]"),
            format!("model {} has no {kwh} and no {f}_scenario", m.name),
            "give the energy in kWh, or a scenario to assess",
        )
    };
    let mut part_of = |field: &str, kwh: Option<Interval>, scenario: Option<&PathBuf>| {
        part(l, i, field, kwh, scenario, data, assumptions)
    };
    let training_part = part_of(
        "training",
        m.training_kwh.map(|x| x.0),
        m.training_scenario.as_ref(),
    )?
    .ok_or_else(|| missing("training_kwh", "training"))?;
    let ft_part = part_of(
        "fine_tuning",
        m.fine_tuning_kwh.map(|x| x.0),
        m.fine_tuning_scenario.as_ref(),
    )?;
    let inference_part = part_of(
        "inference",
        m.inference_kwh_per_request.map(|x| x.0),
        m.inference_scenario.as_ref(),
    )?
    .ok_or_else(|| missing("inference_kwh_per_request", "inference"))?;
    let fine_tuning = match &ft_part {
        Some(f) => f.energy_kwh,
        None => {
            assumptions.push(format!(
                "models[{i}] {}: no fine_tuning_kwh given: 0 kWh of fine-tuning",
                m.name
            ));
            Interval::ZERO
        }
    };
    let mut impacts = by_criterion(&training_part, ft_part.as_ref(), &inference_part);
    if let Some(r) = &m.requests {
        for c in impacts.values_mut() {
            let d = deployment(c.training_and_fine_tuning, c.inference_per_request, r.0);
            c.deployment = Some(CriterionDeployment {
                inference: d.inference_kwh,
                lifetime: d.lifetime_kwh,
                inference_share: d.inference_share,
            });
        }
    }
    let training = training_part.energy_kwh + fine_tuning;
    let per_request = inference_part.energy_kwh;
    if per_request.min <= 0.0 {
        return Err(l.error_at(
            &at("inference_scenario"),
            format!(
                "the inference energy per request of {} is 0 kWh at its lowest: no break-even",
                m.name
            ),
            "the inference scenario's energy must be above zero",
        ));
    }
    let n = break_even_requests(training, per_request);
    if !is_finite(n) {
        return Err(l.error_at(
            &at("inference_kwh_per_request"),
            format!(
                "the break-even number of requests of {} is not finite ({}): the energy per request is too small for the training energy",
                m.name,
                shown(n)
            ),
            "check the unit: the energy per request is in kWh (1e-4 kWh is 0.36 kJ)",
        ));
    }
    let deployment = match &m.requests {
        Some(r) => {
            let d = deployment(training, per_request, r.0);
            if !(is_finite(d.lifetime_kwh) && is_finite(d.inference_kwh)) {
                return Err(l.error_at(
                    &at("requests"),
                    format!(
                        "the inference energy of {} requests of {} is not finite ({})",
                        shown(r.0),
                        m.name,
                        shown(d.lifetime_kwh)
                    ),
                    "give the number of requests the deployment serves",
                ));
            }
            Some(d)
        }
        None => None,
    };
    let published = m.published_break_even_requests;
    Ok(ModelBreakEven {
        name: m.name.clone(),
        training_kwh: training_part.energy_kwh,
        fine_tuning_kwh: fine_tuning,
        inference_kwh_per_request: per_request,
        break_even_requests: n,
        published_break_even_requests: published,
        published_relative_difference: published.filter(|p| *p != 0.0).map(|p| (n.value - p) / p),
        published_within_range: published.map(|p| n.min <= p && p <= n.max),
        deployment,
        impacts,
    })
}

/// The break-even table of a file's models.
pub fn break_even(l: &LoadedLives, data: &ImpactData) -> Result<BreakEven> {
    let mut assumptions = Vec::new();
    let mut models = Vec::new();
    for (i, m) in l.table.models.iter().enumerate() {
        models.push(one(l, i, m, data, &mut assumptions)?);
    }
    Ok(BreakEven {
        title: l.table.title.clone(),
        source: l.table.source.clone(),
        models,
        assumptions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
    }

    #[test]
    fn break_even_by_hand() {
        // 100 kWh of training and 20 of fine-tuning, 0.002 kWh per request: 60,000 requests
        let n = break_even_requests(Interval::exact(120.0), Interval::new(0.002, 0.001, 0.004));
        close(n.value, 60_000.0);
        close(n.min, 30_000.0);
        close(n.max, 120_000.0);
    }

    #[test]
    fn bloomz_7b_row_by_hand() {
        // seed 003, Table 5: (51,686 + 7,571) kWh / 1.0e-4 kWh = 592,570,000 requests
        let n = break_even_requests(Interval::exact(51_686.0 + 7_571.0), Interval::exact(1.0e-4));
        close(n.value, 592_570_000.0);
    }

    #[test]
    fn deployment_by_hand() {
        // 120 kWh of training, 1e6 requests at 1e-4 kWh: 100 kWh of inference, 220 in all
        let d = deployment(
            Interval::new(120.0, 100.0, 140.0),
            Interval::exact(1e-4),
            Interval::exact(1e6),
        );
        close(d.inference_kwh.value, 100.0);
        close(d.lifetime_kwh.value, 220.0);
        close(d.lifetime_kwh.min, 200.0);
        close(d.inference_share.value, 100.0 / 220.0);
        // the largest share with the least training
        close(d.inference_share.max, 100.0 / 200.0);
        close(d.inference_share.min, 100.0 / 240.0);
    }

    #[test]
    fn share_of_nothing_is_zero() {
        assert_eq!(share(Interval::ZERO, Interval::ZERO), Interval::ZERO);
    }
}
