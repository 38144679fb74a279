//! The three impact criteria of mlca (GWP kgCO2eq, ADP kgSbeq, PE MJ) and a set of impacts, one
//! quantity per criterion: impacts = factor (per unit) x quantity, criterion by criterion.
//!
//! [`Impacts`] holds plain [`Interval`]s by default (what a report stores); an assessment computes
//! with `Impacts<Var>`, the same arithmetic on quantities tracked on a Monte Carlo tape
//! ([`crate::quantity::tape`]), and reports [`Impacts::intervals`].

use crate::quantity::interval::{Interval, Quantity};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// An impact criterion with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Criterion {
    /// Global warming potential, kgCO2eq.
    Gwp,
    /// Abiotic depletion potential (minerals and metals), kgSbeq.
    Adp,
    /// Primary energy, MJ.
    Pe,
}

impl Criterion {
    pub const ALL: [Criterion; 3] = [Criterion::Gwp, Criterion::Adp, Criterion::Pe];

    pub fn key(self) -> &'static str {
        match self {
            Criterion::Gwp => "gwp",
            Criterion::Adp => "adp",
            Criterion::Pe => "pe",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Criterion::Gwp => "kgCO2eq",
            Criterion::Adp => "kgSbeq",
            Criterion::Pe => "MJ",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Criterion::Gwp => "GWP",
            Criterion::Adp => "ADP",
            Criterion::Pe => "PE",
        }
    }
}

/// Factors of one kind (per kg, per mm2, per kWh ...) for the three criteria.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Triple {
    pub gwp: f64,
    pub adp: f64,
    pub pe: f64,
}

impl Triple {
    pub fn get(&self, c: Criterion) -> f64 {
        match c {
            Criterion::Gwp => self.gwp,
            Criterion::Adp => self.adp,
            Criterion::Pe => self.pe,
        }
    }
}

/// Impacts of the three criteria, each a value with bounds (an [`Interval`], or any
/// [`Quantity`]; `Q` may also be a tape operand, with [`Impacts::from_fn`] and [`Impacts::get`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Impacts<Q = Interval> {
    pub gwp: Q,
    pub adp: Q,
    pub pe: Q,
}

impl Impacts {
    pub const ZERO: Impacts = Impacts {
        gwp: Interval::ZERO,
        adp: Interval::ZERO,
        pe: Interval::ZERO,
    };
}

impl<Q: Copy> Impacts<Q> {
    pub fn from_fn(f: impl Fn(Criterion) -> Q) -> Self {
        Impacts {
            gwp: f(Criterion::Gwp),
            adp: f(Criterion::Adp),
            pe: f(Criterion::Pe),
        }
    }

    pub fn get(&self, c: Criterion) -> Q {
        match c {
            Criterion::Gwp => self.gwp,
            Criterion::Adp => self.adp,
            Criterion::Pe => self.pe,
        }
    }
}

impl<Q: Quantity> Impacts<Q> {
    /// factor (per unit of quantity) x quantity, for each criterion.
    pub fn of(factor: Triple, quantity: Q) -> Self {
        Impacts::from_fn(|c| quantity.scale(factor.get(c)))
    }

    pub fn scale(self, k: f64) -> Self {
        Impacts::from_fn(|c| self.get(c).scale(k))
    }

    pub fn times(self, k: Q) -> Self {
        Impacts::from_fn(|c| self.get(c).times(k))
    }

    /// The value and bounds of each criterion.
    pub fn intervals(&self) -> Impacts {
        Impacts::from_fn(|c| self.get(c).interval())
    }
}

impl<Q: Quantity> std::ops::Add for Impacts<Q> {
    type Output = Impacts<Q>;
    fn add(self, o: Impacts<Q>) -> Impacts<Q> {
        Impacts::from_fn(|c| self.get(c) + o.get(c))
    }
}

impl<Q: Quantity> std::iter::Sum for Impacts<Q> {
    fn sum<I: Iterator<Item = Impacts<Q>>>(iter: I) -> Impacts<Q> {
        iter.fold(Impacts::from_fn(|_| Q::ZERO), |a, b| a + b)
    }
}

/// JSON form: `{"gwp": {"value", "min", "max", "unit"}, "adp": ..., "pe": ...}`.
impl<Q: Quantity> Serialize for Impacts<Q> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        for c in Criterion::ALL {
            m.serialize_entry(c.key(), &WithUnit::new(self.get(c).interval(), c.unit()))?;
        }
        m.end()
    }
}

/// An interval with its unit, the JSON object of every impact.
#[derive(Serialize)]
pub struct WithUnit {
    pub value: f64,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
}

impl WithUnit {
    pub fn new(i: Interval, unit: &'static str) -> Self {
        WithUnit {
            value: i.value,
            min: i.min,
            max: i.max,
            unit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_times_quantity() {
        let f = Triple {
            gwp: 2.0,
            adp: 1e-3,
            pe: 30.0,
        };
        let i = Impacts::of(f, Interval::new(10.0, 5.0, 20.0));
        assert_eq!(i.gwp, Interval::new(20.0, 10.0, 40.0));
        assert_eq!(i.pe.max, 600.0);
        let j = i + i;
        assert_eq!(j.adp.value, 0.02);
    }
}
