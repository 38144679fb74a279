//! The four impact criteria of mlca (GWP, ADP, PE and water), the three phases of a life cycle (use, embodied, total),
//! a set of impacts (one interval per criterion), and values held per criterion
//! ([`PerCriterion`]) and per phase ([`PerPhase`]), read by enum, never by name.
//!
//! [`Impacts`] holds plain [`Interval`]s by default (what a report stores); an assessment computes
//! with `Impacts<Var>`, the same arithmetic on quantities tracked on a Monte Carlo tape
//! ([`crate::quantity::tape`]), and reports [`Impacts::intervals`].

use crate::quantity::interval::{Interval, Quantity};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// An impact criterion with its unit. Serialized as its key (`gwp`, `adp`, `pe`, `water_m3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// Global warming potential, kgCO2eq.
    Gwp,
    /// Abiotic depletion potential (minerals and metals), kgSbeq.
    Adp,
    /// Primary energy, MJ.
    Pe,
    /// Water, m3: on-site cooling and the electricity's generation (volumes consumed) and, where
    /// the data has it, manufacture (BoaviztAPI's `wu`, m3 world-eq. deprived); a partial sum
    /// whose coverage the report states.
    #[serde(rename = "water_m3")]
    Water,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [
        Criterion::Gwp,
        Criterion::Adp,
        Criterion::Pe,
        Criterion::Water,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Criterion::Gwp => "gwp",
            Criterion::Adp => "adp",
            Criterion::Pe => "pe",
            Criterion::Water => "water_m3",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Criterion::Gwp => "kgCO2eq",
            Criterion::Adp => "kgSbeq",
            Criterion::Pe => "MJ",
            Criterion::Water => "m3",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Criterion::Gwp => "GWP",
            Criterion::Adp => "ADP",
            Criterion::Pe => "PE",
            Criterion::Water => "Water",
        }
    }
}

impl std::fmt::Display for Criterion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// A phase of the life cycle: use, embodied (manufacture), and their total. Serialized as its
/// key (`use`, `embodied`, `total`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Use,
    Embodied,
    Total,
}

impl Phase {
    /// The three phases, in report order.
    pub const ALL: [Phase; 3] = [Phase::Use, Phase::Embodied, Phase::Total];

    pub fn key(self) -> &'static str {
        match self {
            Phase::Use => "use",
            Phase::Embodied => "embodied",
            Phase::Total => "total",
        }
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One value per criterion, serialized as `{"gwp": .., "adp": .., "pe": .., "water_m3": ..}`.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize)]
pub struct PerCriterion<T> {
    pub gwp: T,
    pub adp: T,
    pub pe: T,
    #[serde(rename = "water_m3")]
    pub water: T,
}

impl<T> PerCriterion<T> {
    pub fn from_fn(mut f: impl FnMut(Criterion) -> T) -> Self {
        PerCriterion {
            gwp: f(Criterion::Gwp),
            adp: f(Criterion::Adp),
            pe: f(Criterion::Pe),
            water: f(Criterion::Water),
        }
    }

    pub fn get(&self, c: Criterion) -> &T {
        match c {
            Criterion::Gwp => &self.gwp,
            Criterion::Adp => &self.adp,
            Criterion::Pe => &self.pe,
            Criterion::Water => &self.water,
        }
    }
}

/// One value per phase, serialized as `{"use": .., "embodied": .., "total": ..}`.
#[derive(Clone, Copy, Debug, PartialEq, Default, Serialize)]
pub struct PerPhase<T> {
    #[serde(rename = "use")]
    pub use_: T,
    pub embodied: T,
    pub total: T,
}

impl<T> PerPhase<T> {
    pub fn from_fn(mut f: impl FnMut(Phase) -> T) -> Self {
        PerPhase {
            use_: f(Phase::Use),
            embodied: f(Phase::Embodied),
            total: f(Phase::Total),
        }
    }

    pub fn get(&self, p: Phase) -> &T {
        match p {
            Phase::Use => &self.use_,
            Phase::Embodied => &self.embodied,
            Phase::Total => &self.total,
        }
    }
}

/// Factors of one kind (per kg, per mm2, per kWh ...) for the criteria; `water` (m3 per unit)
/// is `None` where the data has no water figure (the part is then not covered for water, never 0).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Triple {
    pub gwp: f64,
    pub adp: f64,
    pub pe: f64,
    pub water: Option<f64>,
}

impl Triple {
    /// The factor of `c`; a water factor the data lacks is 0 in the arithmetic, and the part is
    /// reported as not covered ([`Triple::water_gap`]).
    pub fn get(&self, c: Criterion) -> f64 {
        match c {
            Criterion::Gwp => self.gwp,
            Criterion::Adp => self.adp,
            Criterion::Pe => self.pe,
            Criterion::Water => self.water.unwrap_or(0.0),
        }
    }

    /// The gaps of a part computed with these factors: water when the data has none, for `what`.
    pub fn water_gap(&self, what: &str) -> Gaps {
        match self.water {
            Some(_) => Gaps::none(),
            None => Gaps::water_not_covered(what),
        }
    }
}

/// Impacts of the four criteria, each a value with bounds (an [`Interval`], or any
/// [`Quantity`]; `Q` may also be a tape operand, with [`Impacts::from_fn`] and [`Impacts::get`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Impacts<Q = Interval> {
    pub gwp: Q,
    pub adp: Q,
    pub pe: Q,
    pub water: Q,
}

impl Impacts {
    pub const ZERO: Impacts = Impacts {
        gwp: Interval::ZERO,
        adp: Interval::ZERO,
        pe: Interval::ZERO,
        water: Interval::ZERO,
    };
}

impl<Q: Copy> Impacts<Q> {
    pub fn from_fn(f: impl Fn(Criterion) -> Q) -> Self {
        Impacts {
            gwp: f(Criterion::Gwp),
            adp: f(Criterion::Adp),
            pe: f(Criterion::Pe),
            water: f(Criterion::Water),
        }
    }

    pub fn get(&self, c: Criterion) -> Q {
        match c {
            Criterion::Gwp => self.gwp,
            Criterion::Adp => self.adp,
            Criterion::Pe => self.pe,
            Criterion::Water => self.water,
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

/// `a + b` is `a += b`: the sum of each criterion is written in one place.
impl<Q: Quantity> std::ops::Add for Impacts<Q> {
    type Output = Impacts<Q>;
    #[inline]
    fn add(mut self, o: Impacts<Q>) -> Impacts<Q> {
        self += o;
        self
    }
}

/// `a += b`, each criterion added in its place, without moving the impacts.
impl<Q: Quantity> std::ops::AddAssign for Impacts<Q> {
    #[inline]
    fn add_assign(&mut self, o: Impacts<Q>) {
        self.gwp = self.gwp + o.gwp;
        self.adp = self.adp + o.adp;
        self.pe = self.pe + o.pe;
        self.water = self.water + o.water;
    }
}

impl<Q: Quantity> std::iter::Sum for Impacts<Q> {
    fn sum<I: Iterator<Item = Impacts<Q>>>(iter: I) -> Impacts<Q> {
        iter.fold(Impacts::from_fn(|_| Q::ZERO), |a, b| a + b)
    }
}

/// JSON form: `{"gwp": {"value", "min", "max", "unit"}, "adp": ..., "pe": ..., "water_m3": ...}`.
impl<Q: Quantity> Serialize for Impacts<Q> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Criterion::ALL.len()))?;
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

/// Why each criterion is not assessed, if it is not: the reason an input lacks it (a scenario that
/// gives electricity factors for GWP only, a part given with its GWP only). Never a zero: a
/// criterion not assessed is reported as such, with its reason, in every output.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gaps(PerCriterion<Option<Arc<str>>>);

impl Gaps {
    /// No gap: every criterion assessed.
    pub fn none() -> Self {
        Gaps::default()
    }

    /// Criterion `c` not assessed, for `reason`, unless an earlier reason is kept (shared, not
    /// copied, by every report row and phase it reaches).
    pub fn add(&mut self, c: Criterion, reason: impl Into<Arc<str>>) {
        let slot = match c {
            Criterion::Gwp => &mut self.0.gwp,
            Criterion::Adp => &mut self.0.adp,
            Criterion::Pe => &mut self.0.pe,
            Criterion::Water => &mut self.0.water,
        };
        if slot.is_none() {
            *slot = Some(reason.into());
        }
    }

    /// Water not covered for `what` (the impact data has no water figure for it).
    pub fn water_not_covered(what: &str) -> Self {
        let mut g = Gaps::none();
        g.add(
            Criterion::Water,
            format!("not covered: the impact data has no water figure for {what}"),
        );
        g
    }

    /// The gaps of a sum of terms (parts, node kinds, phases): each criterion a term lacks is not
    /// assessed, except water, a partial sum: not assessed only when no term has it (with every
    /// term's reason, each once), else assessed over the terms that have it, the others listed as
    /// not covered by the caller.
    pub fn of_sum<'a>(terms: impl IntoIterator<Item = &'a Gaps>) -> Gaps {
        let mut g = Gaps::none();
        let mut water_covered = false;
        let mut water_reasons: Vec<&Arc<str>> = Vec::new();
        for t in terms {
            for c in Criterion::ALL {
                match (c, t.0.get(c)) {
                    (Criterion::Water, None) => water_covered = true,
                    (Criterion::Water, Some(r)) => {
                        if !water_reasons.contains(&r) {
                            water_reasons.push(r);
                        }
                    }
                    (_, Some(r)) => g.add(c, r.clone()),
                    (_, None) => {}
                }
            }
        }
        match water_reasons.as_slice() {
            _ if water_covered => {}
            [] => {}
            [one] => g.add(Criterion::Water, Arc::clone(one)),
            many => g.add(
                Criterion::Water,
                many.iter().map(|r| &***r).collect::<Vec<&str>>().join("; "),
            ),
        }
        g
    }

    /// The gaps of `self` and of `other` (the first reason of each criterion kept).
    pub fn merge(&mut self, other: &Gaps) {
        for c in Criterion::ALL {
            if let Some(r) = other.0.get(c) {
                self.add(c, r.clone());
            }
        }
    }

    /// Why `c` is not assessed, if it is not.
    pub fn reason(&self, c: Criterion) -> Option<&str> {
        self.0.get(c).as_deref()
    }

    /// Why `c` is not assessed, if it is not, shared (for other gaps with the same reason).
    pub fn shared_reason(&self, c: Criterion) -> Option<Arc<str>> {
        self.0.get(c).clone()
    }

    pub fn is_empty(&self) -> bool {
        Criterion::ALL.iter().all(|c| self.reason(*c).is_none())
    }
}

/// One criterion's figure as reported: its value with bounds, or why it is not assessed.
#[derive(Clone, Debug, PartialEq)]
pub enum Assessed {
    Value(Interval),
    /// Not assessed, for this reason (an input lacks the criterion), shared with the gaps it
    /// comes from.
    NotAssessed(Arc<str>),
}

impl Assessed {
    /// The interval, if assessed.
    pub fn value(&self) -> Option<Interval> {
        match self {
            Assessed::Value(i) => Some(*i),
            Assessed::NotAssessed(_) => None,
        }
    }

    /// Why it is not assessed, if it is not.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Assessed::Value(_) => None,
            Assessed::NotAssessed(r) => Some(r),
        }
    }
}

/// The impacts of the four criteria as a report gives them: each an interval, or not assessed
/// with its reason.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessedImpacts {
    pub gwp: Assessed,
    pub adp: Assessed,
    pub pe: Assessed,
    pub water: Assessed,
}

impl AssessedImpacts {
    /// `impacts`, each criterion that `gaps` names not assessed (its computed figure dropped).
    pub fn new(impacts: Impacts, gaps: &Gaps) -> Self {
        let one = |c: Criterion| match gaps.0.get(c) {
            Some(r) => Assessed::NotAssessed(r.clone()),
            None => Assessed::Value(impacts.get(c)),
        };
        AssessedImpacts {
            gwp: one(Criterion::Gwp),
            adp: one(Criterion::Adp),
            pe: one(Criterion::Pe),
            water: one(Criterion::Water),
        }
    }

    /// Every criterion assessed.
    pub fn all(impacts: Impacts) -> Self {
        AssessedImpacts::new(impacts, &Gaps::none())
    }

    pub fn get(&self, c: Criterion) -> &Assessed {
        match c {
            Criterion::Gwp => &self.gwp,
            Criterion::Adp => &self.adp,
            Criterion::Pe => &self.pe,
            Criterion::Water => &self.water,
        }
    }

    /// The interval of `c`, if assessed.
    pub fn value(&self, c: Criterion) -> Option<Interval> {
        self.get(c).value()
    }

    /// The criteria not assessed, with their reasons.
    pub fn gaps(&self) -> Gaps {
        let mut g = Gaps::none();
        for c in Criterion::ALL {
            if let Some(r) = self.get(c).reason() {
                g.add(c, r);
            }
        }
        g
    }

    /// The sum of two sets of impacts: a criterion not assessed in either is not assessed, except
    /// water, a partial sum over the terms that have it (as [`Gaps::of_sum`]).
    pub fn plus(&self, o: &AssessedImpacts) -> AssessedImpacts {
        let one = |c: Criterion| match (self.get(c), o.get(c)) {
            (Assessed::Value(a), Assessed::Value(b)) => Assessed::Value(*a + *b),
            (Assessed::Value(a), Assessed::NotAssessed(_))
            | (Assessed::NotAssessed(_), Assessed::Value(a))
                if c == Criterion::Water =>
            {
                Assessed::Value(*a)
            }
            (Assessed::NotAssessed(r), _) | (_, Assessed::NotAssessed(r)) => {
                Assessed::NotAssessed(r.clone())
            }
        };
        AssessedImpacts {
            gwp: one(Criterion::Gwp),
            adp: one(Criterion::Adp),
            pe: one(Criterion::Pe),
            water: one(Criterion::Water),
        }
    }
}

/// JSON form: as [`Impacts`]; a criterion not assessed is
/// `{"value": null, "min": null, "max": null, "unit": .., "not_assessed": "reason"}`.
impl Serialize for AssessedImpacts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(Criterion::ALL.len()))?;
        for c in Criterion::ALL {
            match self.get(c) {
                Assessed::Value(i) => m.serialize_entry(c.key(), &WithUnit::new(*i, c.unit()))?,
                Assessed::NotAssessed(r) => m.serialize_entry(
                    c.key(),
                    &NotAssessedJson {
                        value: None,
                        min: None,
                        max: None,
                        unit: c.unit(),
                        not_assessed: r,
                    },
                )?,
            }
        }
        m.end()
    }
}

/// The JSON object of a criterion not assessed.
#[derive(Serialize)]
struct NotAssessedJson<'a> {
    value: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    unit: &'static str,
    not_assessed: &'a str,
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
            water: Some(0.5),
        };
        let i = Impacts::of(f, Interval::new(10.0, 5.0, 20.0));
        assert_eq!(i.gwp, Interval::new(20.0, 10.0, 40.0));
        assert_eq!(i.pe.max, 600.0);
        assert_eq!(i.water, Interval::new(5.0, 2.5, 10.0));
        let j = i + i;
        assert_eq!(j.adp.value, 0.02);
        // added in place: each criterion's value and bounds as `+` gives them
        let mut k = i;
        k += i;
        assert_eq!(k, j);
        k += Impacts::of(f, Interval::new(1.0, 0.5, 2.0));
        assert_eq!(k.gwp, Interval::new(42.0, 21.0, 84.0));
        assert_eq!(k.water, Interval::new(10.5, 5.25, 21.0));
        assert!(f.water_gap("x").is_empty());
        // no water figure: zero in the arithmetic, and a gap that says so
        let dry = Triple { water: None, ..f };
        assert_eq!(Impacts::of(dry, Interval::exact(3.0)).water, Interval::ZERO);
        let g = dry.water_gap("a CPU");
        assert_eq!(
            g.reason(Criterion::Water),
            Some("not covered: the impact data has no water figure for a CPU")
        );
    }

    #[test]
    fn serde_names_of_criteria_and_phases() {
        for (c, old) in Criterion::ALL
            .into_iter()
            .zip(["gwp", "adp", "pe", "water_m3"])
        {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(old));
            assert_eq!(c.key(), old);
            assert_eq!(c.to_string(), old);
        }
        for (p, old) in Phase::ALL.into_iter().zip(["use", "embodied", "total"]) {
            assert_eq!(serde_json::to_value(p).unwrap(), serde_json::json!(old));
            assert_eq!(p.key(), old);
            assert_eq!(p.to_string(), old);
        }
        let per = PerPhase::from_fn(|p| PerCriterion::from_fn(|c| format!("{p}/{c}")));
        let v = serde_json::to_value(per).unwrap();
        assert_eq!(v["use"]["gwp"], "use/gwp");
        assert_eq!(v["total"]["pe"], "total/pe");
        assert_eq!(v.as_object().unwrap().len(), 3);
    }

    #[test]
    fn a_criterion_not_assessed_is_null_with_its_reason_never_zero() {
        let i = Impacts {
            gwp: Interval::new(2.0, 1.0, 3.0),
            adp: Interval::ZERO,
            pe: Interval::ZERO,
            water: Interval::ZERO,
        };
        let mut g = Gaps::none();
        assert!(g.is_empty());
        g.add(Criterion::Adp, "no ADP factor");
        g.add(Criterion::Adp, "a second reason is not kept");
        g.add(Criterion::Pe, "no PE factor");
        let a = AssessedImpacts::new(i, &g);
        assert_eq!(a.value(Criterion::Gwp), Some(Interval::new(2.0, 1.0, 3.0)));
        assert_eq!(a.value(Criterion::Adp), None);
        assert_eq!(a.adp.reason(), Some("no ADP factor"));
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["gwp"]["value"], serde_json::json!(2.0));
        assert!(v["gwp"].get("not_assessed").is_none());
        assert!(v["adp"]["value"].is_null() && v["adp"]["min"].is_null());
        assert_eq!(v["adp"]["not_assessed"], "no ADP factor");
        assert_eq!(v["pe"]["unit"], "MJ");
        // a sum is not assessed where either term is not
        let full = AssessedImpacts::all(i);
        let sum = full.plus(&a);
        assert_eq!(
            sum.value(Criterion::Gwp),
            Some(Interval::new(4.0, 2.0, 6.0))
        );
        assert_eq!(sum.pe.reason(), Some("no PE factor"));
        assert_eq!(sum.gaps(), g);
        let mut h = Gaps::none();
        h.add(Criterion::Pe, "other");
        h.merge(&g);
        assert_eq!(h.reason(Criterion::Pe), Some("other"));
        assert_eq!(h.reason(Criterion::Adp), Some("no ADP factor"));
    }

    #[test]
    fn water_is_a_partial_sum_not_assessed_only_when_no_term_has_it() {
        let cpu = Gaps::water_not_covered("a CPU");
        let gpu = Gaps::none();
        let mut adp = Gaps::water_not_covered("a part");
        adp.add(Criterion::Adp, "no ADP figure");
        // one term covers water: water assessed, the ADP gap kept
        let g = Gaps::of_sum([&cpu, &gpu, &adp]);
        assert_eq!(g.reason(Criterion::Water), None);
        assert_eq!(g.reason(Criterion::Adp), Some("no ADP figure"));
        // no term covers it: not assessed, with every reason once
        let g = Gaps::of_sum([&cpu, &adp, &cpu]);
        assert_eq!(
            g.reason(Criterion::Water),
            Some("not covered: the impact data has no water figure for a CPU; not covered: the impact data has no water figure for a part")
        );
        assert!(Gaps::of_sum([]).is_empty());
        // the sum of two reported sets: water over the one that has it
        let x = Interval::new(2.0, 1.0, 3.0);
        let mut with = AssessedImpacts::all(Impacts::from_fn(|_| x));
        let without = AssessedImpacts::new(Impacts::from_fn(|_| x), &cpu);
        assert_eq!(with.plus(&without).value(Criterion::Water), Some(x));
        assert_eq!(without.plus(&with).value(Criterion::Water), Some(x));
        assert_eq!(
            with.plus(&without).value(Criterion::Gwp),
            Some(Interval::new(4.0, 2.0, 6.0))
        );
        with = without.plus(&without);
        assert!(with.value(Criterion::Water).is_none());
    }
}
