//! Equivalents and costs (`equivalents.csv`): factors that put an assessment's GWP or
//! electricity in everyday terms (km by car, passenger-km flown, days of a home's electricity,
//! smartphone charges) or in money (the social cost of carbon), each with its range, units,
//! source and year. mlca shows them only when asked.

use crate::quantity::interval::Interval;
use serde::{Deserialize, Serialize};

/// What an equivalent is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The total GWP of the functional unit, kgCO2eq.
    Gwp,
    /// The electricity drawn from the grid for the functional unit (IT energy x PUE), kWh.
    Energy,
}

/// How the factor applies to its basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    /// basis / factor (the factor is an impact per unit: kgCO2eq/km -> km).
    Per,
    /// basis x factor (the factor is a price per unit of basis: USD/kgCO2eq -> USD).
    Times,
}

/// One row of `equivalents.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct EquivalentFactor {
    /// The name of the equivalent in outputs, its unit last (`car_km`).
    pub equivalent_id: String,
    pub label: String,
    pub basis: Basis,
    pub operation: Operation,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    /// The factor's unit (`kgCO2eq/km`).
    pub factor_unit: String,
    /// The equivalent's unit (`km`).
    pub unit: String,
    pub source_id: String,
    pub year: String,
    pub note: String,
}

impl EquivalentFactor {
    pub fn interval(&self) -> Interval {
        Interval::new(self.value, self.min, self.max)
    }
}
