//! Numbers in a scenario: a plain number (known exactly) or `{value, min, max}`. Each kind of
//! quantity checks its domain while it is read, so that a bad value is reported with its line,
//! column and field path.
//!
//! Each quantity is its interval (in the unit its field name gives) and, if declared, its
//! distribution; [`NonNeg::param`] and its siblings register it as an uncertain input of a Monte
//! Carlo [`Tape`] (a plain constant on an off tape).

use crate::quantity::distribution::Dist;
use crate::quantity::impacts::{Criterion, Gaps, Impacts};
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
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
    /// in [0, 1]
    Share,
    /// >= 1 (a multiplier of an energy)
    Multiplier,
}

impl Domain {
    fn check(self, x: f64) -> bool {
        match self {
            Domain::NonNegative => x >= 0.0,
            Domain::Positive => x > 0.0,
            Domain::Fraction => x > 0.0 && x <= 1.0,
            Domain::AtLeastOne | Domain::Multiplier => x >= 1.0,
            Domain::Share => (0.0..=1.0).contains(&x),
        }
    }
    fn describe(self) -> &'static str {
        match self {
            Domain::NonNegative => "must be zero or more",
            Domain::Positive => "must be greater than zero",
            Domain::Fraction => "must be in (0, 1] (a fraction, e.g. 0.5 for 50 %)",
            Domain::AtLeastOne => "must be 1 or more (a PUE of 1 means no overhead)",
            Domain::Share => "must be in [0, 1] (a fraction, e.g. 0.5 for 50 %; 0 for none)",
            Domain::Multiplier => {
                "must be 1 or more (it multiplies the energy; 1 means no overhead)"
            }
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
    /// uniform, triangular (mode = value), normal (mean = value, sd), lognormal (mean = value,
    /// sd) or fixed.
    distribution: Option<String>,
    sd: Option<f64>,
}

/// A quantity: its interval and, if declared, its distribution.
type Q = (Interval, Option<Dist>);

impl QuantityVisitor {
    fn with_dist<E: de::Error>(&self, b: Bounds) -> Result<Q, E> {
        let Some(name) = b.distribution.as_deref() else {
            if b.sd.is_some() {
                return Err(E::custom(
                    "sd is given without a distribution (normal or lognormal)",
                ));
            }
            return Ok((
                self.make(b.value, b.min.unwrap_or(b.value), b.max.unwrap_or(b.value))?,
                None,
            ));
        };
        if let Some(sd) = b.sd {
            if !(sd.is_finite() && sd > 0.0) {
                return Err(E::custom(format!(
                    "sd {sd}: a standard deviation must be a finite number greater than zero (for an exact number, use distribution: fixed)"
                )));
            }
            let known = ["fixed", "uniform", "triangular", "normal", "lognormal"];
            if known.contains(&name) && name != "normal" && name != "lognormal" {
                return Err(E::custom(format!(
                    "sd is given with a {name} distribution: only normal and lognormal take sd"
                )));
            }
        }
        let need_range = |what: &str| -> Result<(f64, f64), E> {
            match (b.min, b.max) {
                (Some(lo), Some(hi)) => Ok((lo, hi)),
                _ => Err(E::custom(format!(
                    "a {what} distribution needs min and max"
                ))),
            }
        };
        let v = b.value;
        let (dist, lo, hi) = match name {
            "fixed" => (Dist::Fixed { value: v }, b.min.unwrap_or(v), b.max.unwrap_or(v)),
            "uniform" => {
                let (lo, hi) = need_range("uniform")?;
                (Dist::Uniform { min: lo, max: hi }, lo, hi)
            }
            "triangular" => {
                let (lo, hi) = need_range("triangular")?;
                if lo.is_nan() || hi.is_nan() || lo >= hi {
                    return Err(E::custom(format!("a triangular distribution needs min < max (min {lo}, max {hi})")));
                }
                (Dist::Triangular { min: lo, mode: v, max: hi }, lo, hi)
            }
            "normal" | "lognormal" => {
                let sd = b.sd.ok_or_else(|| E::custom(format!("a {name} distribution needs sd")))?;
                let dist = if name == "normal" {
                    Dist::Normal { mean: v, sd }
                } else {
                    if v.is_nan() || v <= 0.0 || b.min.is_some_and(|m| m <= 0.0) {
                        return Err(E::custom(format!(
                            "a lognormal cannot reach zero, but this quantity can be zero here (value {v}, min {}): use a normal or triangular distribution, or a min above zero",
                            b.min.map_or("not given".to_string(), |m| m.to_string())
                        )));
                    }
                    Dist::Lognormal { mean: v, sd }
                };
                // without bounds: the 0.1 % and 99.9 % quantiles
                let lo = b.min.unwrap_or_else(|| dist.quantile(0.001));
                let hi = b.max.unwrap_or_else(|| dist.quantile(0.999));
                (dist, lo, hi)
            }
            other => {
                return Err(E::custom(format!(
                    "unknown distribution \"{other}\": use uniform, triangular, normal, lognormal or fixed"
                )))
            }
        };
        Ok((self.make(v, lo, hi)?, Some(dist)))
    }

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
    type Value = Q;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a number or {{value, min, max[, distribution, sd]}}")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Q, E> {
        Ok((self.make(v, v, v)?, None))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Q, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Q, E> {
        self.visit_f64(v as f64)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Q, A::Error> {
        let b = Bounds::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.with_dist(b)
    }
}

macro_rules! quantity {
    ($(#[$doc:meta])* $name:ident, $domain:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name(pub Interval, pub Option<Dist>);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(QuantityVisitor($domain)).map(|(i, dist)| $name(i, dist))
            }
        }
        impl $name {
            /// The quantity as an uncertain input of `tape`, named `name`.
            pub fn param<'t>(&self, tape: &'t Tape, name: &str) -> Var<'t> {
                tape.param(name, self.0, self.1)
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
quantity!(
    /// A fraction in [0, 1] that may be zero (a usage of a TDP).
    Share,
    Domain::Share
);
quantity!(
    /// A multiplier of an energy, 1 or more (an overhead).
    Multiplier,
    Domain::Multiplier
);

/// Figures given for some criteria only (electricity factors, a part's impacts), in the order
/// GWP, ADP, PE, water: each given one an uncertain input of `tape` named `name(criterion)`, each left out
/// zero in the arithmetic and not assessed in the returned gaps, for `why(criterion)`. `None` when
/// no criterion is given.
// inline: each caller gets its own instance, so that the four criteria and the two closures
// fold into it whatever unit the compiler puts it in (an instance left in another unit made an
// in-process assessment 3 % dearer, 12,913 instructions against 12,578).
#[inline]
pub fn given_per_criterion<'t, R: Into<std::sync::Arc<str>>>(
    tape: &'t Tape,
    given: [Option<&NonNeg>; 4],
    name: impl Fn(Criterion) -> String,
    why: impl Fn(Criterion) -> R,
) -> Option<(Impacts<Var<'t>>, Gaps)> {
    if given.iter().all(Option::is_none) {
        return None;
    }
    let mut gaps = Gaps::none();
    // the name is made only for a tape that keeps it
    let mut one = |c: Criterion, g: Option<&NonNeg>| match g {
        Some(q) if tape.is_recording() => q.param(tape, &name(c)),
        Some(q) => q.param(tape, ""),
        None => {
            gaps.add(c, why(c));
            Var::ZERO
        }
    };
    let [g, a, p, w] = given;
    let impacts = Impacts {
        gwp: one(Criterion::Gwp, g),
        adp: one(Criterion::Adp, a),
        pe: one(Criterion::Pe, p),
        water: one(Criterion::Water, w),
    };
    Some((impacts, gaps))
}

/// A count of units: a whole number of at least 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    /// The number is read first and checked after, so that a number out of the domain is
    /// reported at its key, like the other quantities' domains.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let refuse = |v: &dyn fmt::Display| {
            de::Error::custom(format!("{v}: a count must be a whole number of at least 1"))
        };
        match d.deserialize_any(CountVisitor)? {
            Written::Whole(v) => match u32::try_from(v) {
                Ok(n) if n >= 1 => Ok(Count(n)),
                _ => Err(refuse(&v)),
            },
            // whole and in range: the cast is exact
            Written::Number(v) if v.fract() == 0.0 && v >= 1.0 && v <= f64::from(u32::MAX) => {
                Ok(Count(v as u32))
            }
            Written::Number(v) => Err(refuse(&v)),
        }
    }
}

/// A number as written where a count is expected.
enum Written {
    Whole(i128),
    Number(f64),
}

/// A count is a number; anything else is named with what is expected.
struct CountVisitor;

impl<'de> Visitor<'de> for CountVisitor {
    type Value = Written;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a whole number of at least 1")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Written, E> {
        Ok(Written::Whole(i128::from(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Written, E> {
        Ok(Written::Whole(i128::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Written, E> {
        Ok(Written::Number(v))
    }
}

impl Default for Count {
    fn default() -> Self {
        Count(1)
    }
}

/// A plain number that must be finite (not `.nan`, not `.inf`), for `deserialize_with`.
pub fn finite<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(de::Error::custom(format!("{x} is not a finite number")))
    }
}

/// An optional plain number that must be finite when given, for `deserialize_with`.
pub fn finite_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Option::<f64>::deserialize(d)? {
        Some(x) if !x.is_finite() => Err(de::Error::custom(format!("{x} is not a finite number"))),
        v => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_or_bounds() {
        let a: Positive = yaml_serde::from_str("4").unwrap_or(Positive(Interval::ZERO, None));
        assert_eq!(a.0, Interval::exact(4.0));
        let b: Positive = yaml_serde::from_str("{value: 4, min: 3, max: 6}")
            .unwrap_or(Positive(Interval::ZERO, None));
        assert_eq!(b.0, Interval::new(4.0, 3.0, 6.0));
        let t: Positive =
            yaml_serde::from_str("{value: 4, min: 3, max: 6, distribution: triangular}")
                .unwrap_or(Positive(Interval::ZERO, None));
        assert_eq!(
            t.1,
            Some(Dist::Triangular {
                min: 3.0,
                mode: 4.0,
                max: 6.0
            })
        );
        let n: NonNeg = yaml_serde::from_str("{value: 10, distribution: normal, sd: 1}")
            .unwrap_or(NonNeg(Interval::ZERO, None));
        assert!(
            (n.0.min - (10.0 - 3.090232306167813)).abs() < 1e-9,
            "{:?}",
            n.0
        );
    }

    #[test]
    fn counts_are_whole_numbers_of_at_least_one() {
        let count = |t: &str| yaml_serde::from_str::<Count>(t).map_err(|e| e.to_string());
        assert_eq!(count("3"), Ok(Count(3)));
        assert_eq!(count("2.0"), Ok(Count(2)));
        for t in ["2.5", "0", "-3", "1e12", "5000000000"] {
            let e = count(t).err().unwrap_or_default();
            assert!(
                e.contains(": a count must be a whole number of at least 1"),
                "{t}: {e}"
            );
        }
        assert!(count("2.5").err().unwrap_or_default().starts_with("2.5: "));
        for t in ["two", "[8]", "{n: 1}", "true"] {
            let e = count(t).err().unwrap_or_default();
            assert!(
                e.contains("expected a whole number of at least 1"),
                "{t}: {e}"
            );
            assert!(!e.contains("i64"), "{t}: {e}");
        }
    }

    #[test]
    fn domains_are_checked() {
        assert!(yaml_serde::from_str::<Positive>("0").is_err());
        assert!(yaml_serde::from_str::<Positive>("-1").is_err());
        assert!(yaml_serde::from_str::<Fraction>("1.5").is_err());
        assert!(yaml_serde::from_str::<Fraction>("1").is_ok());
        assert!(yaml_serde::from_str::<Pue>("0.9").is_err());
        assert!(yaml_serde::from_str::<Share>("0").is_ok());
        assert!(yaml_serde::from_str::<Share>("1").is_ok());
        assert!(yaml_serde::from_str::<Share>("1.01").is_err());
        assert!(yaml_serde::from_str::<Share>("-0.1").is_err());
        assert!(yaml_serde::from_str::<Multiplier>("1").is_ok());
        assert!(yaml_serde::from_str::<Multiplier>("-1.2").is_err());
        assert!(yaml_serde::from_str::<NonNeg>("{value: 2, min: 3, max: 4}").is_err());
        assert!(yaml_serde::from_str::<NonNeg>("{value: 2, low: 1}").is_err());
        assert!(yaml_serde::from_str::<Count>("0").is_err());
        assert!(yaml_serde::from_str::<Count>("2.5").is_err());
        let e = |t: &str| {
            yaml_serde::from_str::<NonNeg>(t)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(e("{value: 2, min: 3, max: 1, distribution: uniform}").contains("out of order"));
        assert!(e("{value: 2, distribution: normal, sd: -1}").contains("greater than zero"));
        assert!(e("{value: 100, distribution: normal, sd: 0}").contains("greater than zero"));
        assert!(
            e("{value: 2, min: 1, max: 3, distribution: uniform, sd: 1}")
                .contains("only normal and lognormal take sd")
        );
        assert!(
            e("{value: 0, distribution: lognormal, sd: 1}").contains("lognormal cannot reach zero")
        );
        assert!(
            e("{value: 2, min: 0, max: 4, distribution: lognormal, sd: 1}")
                .contains("lognormal cannot reach zero")
        );
        assert!(e("{value: 2, distribution: gamma}").contains("unknown distribution"));
        assert!(e("{value: 2, distribution: uniform}").contains("needs min and max"));
    }
}
