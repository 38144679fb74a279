//! Numbers in a scenario: a plain number (known exactly) or `{value, min, max}`. Each kind of
//! quantity checks its domain while it is read, so that a bad value is reported with its line,
//! column and field path.

use crate::interval::Interval;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// What a quantity may be.
#[derive(Clone, Copy)]
enum Domain {
    /// >= 0
    NonNegative,
    /// > 0
    Positive,
    /// in (0, 1]
    Fraction,
    /// >= 1 (a PUE)
    AtLeastOne,
}

impl Domain {
    fn check(self, x: f64) -> bool {
        match self {
            Domain::NonNegative => x >= 0.0,
            Domain::Positive => x > 0.0,
            Domain::Fraction => x > 0.0 && x <= 1.0,
            Domain::AtLeastOne => x >= 1.0,
        }
    }
    fn describe(self) -> &'static str {
        match self {
            Domain::NonNegative => "must be zero or more",
            Domain::Positive => "must be greater than zero",
            Domain::Fraction => "must be in (0, 1] (a fraction, e.g. 0.5 for 50 %)",
            Domain::AtLeastOne => "must be 1 or more (a PUE of 1 means no overhead)",
        }
    }
}

struct QuantityVisitor(Domain);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Bounds {
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
}

impl QuantityVisitor {
    fn make<E: de::Error>(&self, value: f64, min: f64, max: f64) -> Result<Interval, E> {
        for x in [value, min, max] {
            if !x.is_finite() {
                return Err(E::custom(format!("{x} is not a finite number")));
            }
            if !self.0.check(x) {
                return Err(E::custom(format!("{x} {}", self.0.describe())));
            }
        }
        if min > value || value > max {
            return Err(E::custom(format!(
                "bounds out of order: min {min}, value {value}, max {max} (need min <= value <= max)"
            )));
        }
        Ok(Interval::new(value, min, max))
    }
}

impl<'de> Visitor<'de> for QuantityVisitor {
    type Value = Interval;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a number or {{value, min, max}}")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Interval, E> {
        self.make(v, v, v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Interval, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Interval, E> {
        self.visit_f64(v as f64)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Interval, A::Error> {
        let b = Bounds::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.make(b.value, b.min.unwrap_or(b.value), b.max.unwrap_or(b.value))
    }
}

macro_rules! quantity {
    ($(#[$doc:meta])* $name:ident, $domain:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name(pub Interval);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(QuantityVisitor($domain)).map($name)
            }
        }
    };
}

quantity!(
    /// A quantity that may be zero (an energy, a power, a mass, a distance).
    NonNeg,
    Domain::NonNegative
);
quantity!(
    /// A strictly positive quantity (a duration, a lifetime, an area, a capacity).
    Positive,
    Domain::Positive
);
quantity!(
    /// A fraction in (0, 1] (a usage factor, an active utilization rate).
    Fraction,
    Domain::Fraction
);
quantity!(
    /// A power usage effectiveness, 1 or more.
    Pue,
    Domain::AtLeastOne
);

/// A count of units: a whole number of at least 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if v < 1 || v > u32::MAX as i64 {
            return Err(de::Error::custom(format!(
                "{v}: a count must be a whole number of at least 1"
            )));
        }
        Ok(Count(v as u32))
    }
}

impl Default for Count {
    fn default() -> Self {
        Count(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_or_bounds() {
        let a: Positive = serde_yaml::from_str("4").unwrap_or(Positive(Interval::ZERO));
        assert_eq!(a.0, Interval::exact(4.0));
        let b: Positive =
            serde_yaml::from_str("{value: 4, min: 3, max: 6}").unwrap_or(Positive(Interval::ZERO));
        assert_eq!(b.0, Interval::new(4.0, 3.0, 6.0));
    }

    #[test]
    fn domains_are_checked() {
        assert!(serde_yaml::from_str::<Positive>("0").is_err());
        assert!(serde_yaml::from_str::<Positive>("-1").is_err());
        assert!(serde_yaml::from_str::<Fraction>("1.5").is_err());
        assert!(serde_yaml::from_str::<Fraction>("1").is_ok());
        assert!(serde_yaml::from_str::<Pue>("0.9").is_err());
        assert!(serde_yaml::from_str::<NonNeg>("{value: 2, min: 3, max: 4}").is_err());
        assert!(serde_yaml::from_str::<NonNeg>("{value: 2, low: 1}").is_err());
        assert!(serde_yaml::from_str::<Count>("0").is_err());
        assert!(serde_yaml::from_str::<Count>("2.5").is_err());
    }
}
