//! Equivalents and costs of an assessment, shown only when asked: each factor of
//! `equivalents.csv` applied to its basis, per functional unit,
//!
//! - `per`:   equivalent = basis / factor (kgCO2eq / (kgCO2eq/km) = km),
//! - `times`: equivalent = basis x factor (kgCO2eq x USD/kgCO2eq = USD),
//!
//! with the basis the total GWP (use + embodied, kgCO2eq) or the electricity drawn from the grid
//! (IT energy x PUE, kWh); and the electricity cost = grid energy x a price per kWh given by the
//! user. Bounds at the monotone extremes: the most km with the highest GWP and the lowest
//! factor.

use super::finite::{is_finite, shown};
use super::Report;
use crate::data::equivalents::{Basis, EquivalentFactor, Operation};
use crate::data::ImpactData;
use crate::error::{Diagnostic, Result};
use crate::quantity::interval::Interval;
use serde::Serialize;

/// A price of electricity, per kWh, in a currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub per_kwh: f64,
    /// An ISO 4217 code as the user wrote it (EUR, USD).
    pub currency: String,
    /// Where the price was given (`--electricity-price-per-kwh`).
    pub given_by: String,
}

/// One equivalent, per functional unit.
#[derive(Debug, Clone, Serialize)]
pub struct Equivalent {
    /// The name in outputs, its unit last (`car_km`, `social_cost_of_carbon_usd`).
    #[serde(skip)]
    pub id: String,
    pub label: String,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub unit: String,
    /// What it is computed from: `gwp_kgco2eq` or `grid_energy_kwh`.
    pub basis: &'static str,
    pub factor: Interval,
    pub factor_unit: String,
    pub source: String,
    /// The source's id in `sources.csv` (none for a price the user gave).
    #[serde(skip)]
    pub source_id: Option<String>,
    pub year: String,
    pub note: String,
}

impl Equivalent {
    pub fn interval(&self) -> Interval {
        Interval::new(self.value, self.min, self.max)
    }
}

/// basis / factor or basis x factor, bounds at the monotone extremes.
pub fn apply(basis: Interval, op: Operation, factor: Interval) -> Interval {
    match op {
        Operation::Per => basis.over(factor),
        Operation::Times => basis.times(factor),
    }
}

fn basis_name(b: Basis) -> &'static str {
    match b {
        Basis::Gwp => "gwp_kgco2eq",
        Basis::Energy => "grid_energy_kwh",
    }
}

fn citation(data: &ImpactData, id: &str) -> String {
    data.source(id)
        .map_or_else(|| id.to_string(), |s| format!("{} <{}>", s.citation, s.url))
}

/// The equivalent of factor `f`; none when its basis (the GWP) is not assessed.
fn of_factor(r: &Report, data: &ImpactData, f: &EquivalentFactor) -> Option<Equivalent> {
    let basis = match f.basis {
        Basis::Gwp => r.impacts.total.gwp.value()?,
        Basis::Energy => r.facility_energy_kwh,
    };
    let i = apply(basis, f.operation, f.interval());
    Some(Equivalent {
        id: f.equivalent_id.clone(),
        label: f.label.clone(),
        value: i.value,
        min: i.min,
        max: i.max,
        unit: f.unit.clone(),
        basis: basis_name(f.basis),
        factor: f.interval(),
        factor_unit: f.factor_unit.clone(),
        source: citation(data, &f.source_id),
        source_id: Some(f.source_id.clone()),
        year: f.year.clone(),
        note: f.note.clone(),
    })
}

/// A currency code: three ASCII letters (ISO 4217).
fn check_currency(c: &str) -> Result<String> {
    if c.len() == 3 && c.chars().all(|x| x.is_ascii_alphabetic()) {
        Ok(c.to_ascii_uppercase())
    } else {
        Err(
            Diagnostic::new(format!("--currency {c:?}: not a currency code"))
                .hint("give the ISO 4217 code of the price's currency: EUR, USD, GBP, ...")
                .into(),
        )
    }
}

/// The electricity cost of a functional unit: grid energy x price.
pub fn electricity_cost(r: &Report, p: &Price) -> Result<Equivalent> {
    let currency = check_currency(&p.currency)?;
    let i = r.facility_energy_kwh.scale(p.per_kwh);
    Ok(Equivalent {
        id: format!("electricity_cost_{}", currency.to_ascii_lowercase()),
        label: "cost of the electricity drawn from the grid".into(),
        value: i.value,
        min: i.min,
        max: i.max,
        unit: currency.clone(),
        basis: "grid_energy_kwh",
        factor: Interval::exact(p.per_kwh),
        factor_unit: format!("{currency}/kWh"),
        source: format!("price given by {}", p.given_by),
        source_id: None,
        year: String::new(),
        note: "grid energy (IT energy x PUE) x the price per kWh".into(),
    })
}

/// Every equivalent of `equivalents.csv` (those of the GWP left out when the GWP is not
/// assessed: the report says why), then the electricity cost when a price is given; each
/// checked finite.
pub fn equivalents(
    r: &Report,
    data: &ImpactData,
    price: Option<&Price>,
) -> Result<Vec<Equivalent>> {
    let mut out: Vec<Equivalent> = data
        .equivalents()?
        .iter()
        .filter_map(|f| of_factor(r, data, f))
        .collect();
    if let Some(p) = price {
        out.push(electricity_cost(r, p)?);
    }
    if let Some(e) = out.iter().find(|e| !is_finite(e.interval())) {
        return Err(Diagnostic::new(format!(
            "the equivalent {} is not finite ({})",
            e.id,
            shown(e.interval())
        ))
        .hint("check the price per kWh and the factors of equivalents.csv given with --data")
        .into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) {
        assert!((a - b).abs() <= rel * b.abs(), "{a} != {b}");
    }

    #[test]
    fn per_and_times_by_hand() {
        // 10 kgCO2eq [8, 12] at 0.25 kgCO2eq/km: 40 km [32, 48]
        let km = apply(
            Interval::new(10.0, 8.0, 12.0),
            Operation::Per,
            Interval::exact(0.25),
        );
        assert_eq!(km, Interval::new(40.0, 32.0, 48.0));
        // 10 kgCO2eq at 0.19 [0.12, 0.34] USD/kgCO2eq: 1.9 USD [0.96, 4.08]
        let usd = apply(
            Interval::new(10.0, 8.0, 12.0),
            Operation::Times,
            Interval::new(0.19, 0.12, 0.34),
        );
        close(usd.value, 1.9, 1e-12);
        close(usd.min, 0.96, 1e-12);
        close(usd.max, 4.08, 1e-12);
    }

    #[test]
    fn codecarbon_miles_from_the_embedded_car_factor() -> Result<()> {
        // CodeCarbon's dashboard: 7.2 kgCO2eq is "18 miles driven" (7.2 / 0.409 = 17.6)
        let d = ImpactData::embedded()?;
        let car = d
            .equivalents()?
            .iter()
            .find(|f| f.equivalent_id == "car_km")
            .map(EquivalentFactor::interval)
            .unwrap_or(Interval::ZERO);
        let km = apply(Interval::exact(7.2), Operation::Per, car);
        close(km.value / 1.609344, 7.2 / 0.409, 1e-7);
        assert_eq!((km.value / 1.609344).round(), 18.0);
        Ok(())
    }

    #[test]
    fn currencies_are_three_letters() {
        assert_eq!(check_currency("eur").ok(), Some("EUR".to_string()));
        assert!(check_currency("euro").is_err());
        assert!(check_currency("€").is_err());
    }
}
