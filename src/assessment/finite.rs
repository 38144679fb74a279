//! Results finite where they are computed: an input that is valid by itself (1e308 kWh) can
//! overflow a product (x PUE x factor) to infinity. Each check names the inputs of the product
//! at the field the user can fix; [`check_report`] is the last guard before anything is written.

use super::Report;
use crate::error::{Error, Result};
use crate::quantity::finite::first_non_finite;
use crate::quantity::format::exact;
use crate::quantity::interval::Interval;
use crate::scenario::{Loaded, Scenario};

/// Whether the value and both bounds are finite.
pub fn is_finite(i: Interval) -> bool {
    i.value.is_finite() && i.min.is_finite() && i.max.is_finite()
}

/// An interval's upper bound for a message, or the bound that is infinite or not a number.
pub fn shown(i: Interval) -> String {
    exact(
        [i.value, i.min, i.max]
            .into_iter()
            .find(|x| !x.is_finite())
            .unwrap_or(i.max),
    )
}

/// The scenario field the IT energy comes from (`energy` when several sources add up).
pub fn energy_field(s: &Scenario) -> &'static str {
    let e = &s.energy;
    let mut given = [
        (e.declared_kwh.is_some(), "energy.declared_kwh"),
        (e.tdp.is_some(), "energy.tdp"),
        (e.traces.is_some(), "energy.traces"),
        (e.extrapolated.is_some(), "energy.extrapolated"),
        (e.devices.is_some(), "energy.devices"),
    ]
    .into_iter()
    .filter_map(|(g, f)| g.then_some(f));
    match (given.next(), given.next()) {
        (Some(one), None) if e.overhead.is_none() => one,
        _ => "energy",
    }
}

/// [`energy_field`], found when it is shown (an error's field or message), not for every
/// assessment.
#[derive(Clone, Copy)]
pub struct EnergyField<'a>(pub &'a Scenario);

impl std::fmt::Display for EnergyField<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(energy_field(self.0))
    }
}

/// `i` finite, or an input error at `field` saying `what` (the product and its inputs) is not a
/// finite number. The field is written out only for the error (`format_args!` passes it
/// unformatted); the check is made in place, the error apart (a number that is not finite is
/// rare).
#[inline(always)]
pub fn require(
    loaded: &Loaded,
    i: Interval,
    field: impl std::fmt::Display,
    what: impl FnOnce() -> String,
) -> Result<()> {
    if is_finite(i) {
        return Ok(());
    }
    Err(not_finite(loaded, i, &field, what()))
}

/// The error of [`require`]: `what` is not a finite number at `field`.
#[cold]
#[inline(never)]
fn not_finite(loaded: &Loaded, i: Interval, field: &dyn std::fmt::Display, what: String) -> Error {
    loaded.error_at(
        &field.to_string(),
        format!("{what} is not a finite number ({})", shown(i)),
        Some("an input is far outside its physical range (a typing error of several orders of magnitude?)".into()),
    )
}

/// Every number of the report finite, or an internal error naming the first that is not: the
/// checks where results are computed should have caught it with the input that caused it.
pub fn check_report(r: &Report) -> Result<()> {
    match first_non_finite(r) {
        None => Ok(()),
        Some((path, v)) => Err(Error::Internal(format!(
            "the figure {path} of the report is {v}, not a finite number; nothing was written"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_energy_field_is_found_when_shown() {
        let rest = "electricity: {country: FRA, pue: 1}\nallocation: {lifetime_years: 4, active_utilization_rate: 0.5}\n";
        let one = "energy: {declared_kwh: 2}";
        let two = "energy: {declared_kwh: 2, overhead: {factor: 1.1, source: test}}";
        let field = |energy: &str| {
            let text =
                format!("functional_unit: {{name: fu}}\ninfrastructure: []\n{energy}\n{rest}");
            let s = crate::scenario::parse(&text, std::path::Path::new("s.yaml")).unwrap();
            (EnergyField(&s).to_string(), energy_field(&s))
        };
        assert_eq!(
            field(one),
            ("energy.declared_kwh".into(), "energy.declared_kwh")
        );
        assert_eq!(field(two), ("energy".into(), "energy"));
    }
}
