//! Energy terms that add up: every source of a scenario's energy (a declared figure, a TDP
//! declaration, a trace, an extrapolated phase, devices by their hours) is a labelled line; the
//! lines are summed, times the overhead multiplier if given; the sum is the energy at the
//! boundary where it was metered (IT equipment or facility), and the other follows from the PUE:
//! facility = IT x PUE, IT = facility / PUE.
//!
//! Energies in kWh over the whole run (all nodes). The sum is tracked on the Monte Carlo tape;
//! each line's figures are reported as intervals.

use super::EnergyMethod;
use crate::data::component::ComponentKind as Kind;
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{Boundary, Overhead};
use serde::Serialize;
use std::borrow::Cow;

/// One energy term of the report.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyLine {
    pub label: Cow<'static, str>,
    /// The kind of source.
    pub source: EnergyMethod,
    /// What the line measures or declares, when it is one kind of component.
    pub component: Option<Kind>,
    /// How the figure was obtained ("184320 device-hours x 400 W").
    pub detail: Cow<'static, str>,
    /// IT equipment energy of the run, kWh (before the overhead).
    pub energy_kwh: Interval,
    /// Facility energy of the run, kWh (before the overhead).
    pub facility_energy_kwh: Interval,
}

/// The overhead multiplier applied to the sum of the lines.
#[derive(Debug, Clone, Serialize)]
pub struct OverheadUse {
    pub factor: Interval,
    pub source: String,
    /// The IT energy it adds, kWh: (factor - 1) x the sum of the lines.
    pub added_energy_kwh: Interval,
}

/// A line's label or detail: a text of the program (not copied) or one written for the line.
pub type Text = Cow<'static, str>;

/// Lines as they are found, each in the energy of its boundary (in `energy_kwh`; both
/// boundaries written when closed, in place), and their tracked sum.
pub struct Lines<'t> {
    items: Vec<EnergyLine>,
    sum: Var<'t>,
}

impl<'t> Lines<'t> {
    pub fn new() -> Self {
        Lines::with_room(0)
    }

    /// No lines yet, with room for `n` (the lines known before they are found: a declared
    /// energy's one), so that the first is not pushed into a list that must grow.
    pub fn with_room(n: usize) -> Self {
        Lines {
            items: Vec::with_capacity(n),
            sum: Var::ZERO,
        }
    }

    /// A line of `kwh` (at the scenario's boundary), added to the sum.
    pub fn push(
        &mut self,
        label: impl Into<Text>,
        source: EnergyMethod,
        component: Option<Kind>,
        detail: impl Into<Text>,
        kwh: Var<'t>,
    ) {
        self.show(label, source, component, detail, kwh.interval());
        self.sum = self.sum + kwh;
    }

    /// A line shown in the report whose energy is already in the sum (a trace or an
    /// extrapolated phase, summed by its own method).
    pub fn show(
        &mut self,
        label: impl Into<Text>,
        source: EnergyMethod,
        component: Option<Kind>,
        detail: impl Into<Text>,
        kwh: Interval,
    ) {
        self.items.push(EnergyLine {
            label: label.into(),
            source,
            component,
            detail: detail.into(),
            energy_kwh: kwh,
            facility_energy_kwh: kwh,
        });
    }

    /// Add `kwh` to the sum without a line (the lines of its method are shown apart).
    pub fn add(&mut self, kwh: Var<'t>) {
        self.sum = self.sum + kwh;
    }

    /// The method of the lines: the source they all come from, or combined (several, or none).
    pub fn method(&self) -> EnergyMethod {
        let mut sources = self.items.iter().map(|l| l.source);
        match sources.next() {
            Some(first) if sources.all(|s| s == first) => first,
            _ => EnergyMethod::Combined,
        }
    }

    /// The sources the lines come from, in order, each once.
    pub fn sources(&self) -> Vec<EnergyMethod> {
        let mut out: Vec<EnergyMethod> = Vec::new();
        for l in &self.items {
            if !out.contains(&l.source) {
                out.push(l.source);
            }
        }
        out
    }

    /// The IT and facility energies of the run (tracked), the report's lines and the overhead:
    /// the sum times the overhead is the energy at `at`; the other boundary follows from `pue`.
    pub fn close(
        self,
        at: Boundary,
        overhead: Option<&Overhead>,
        pue: Var<'t>,
        tape: &'t Tape,
    ) -> Closed<'t> {
        let (total, overhead) = match overhead {
            None => (self.sum, None),
            Some(o) => {
                let f = o.factor.param(tape, "energy.overhead.factor");
                let total = self.sum.times(f);
                let added = f.interval().map_monotone(|x| x - 1.0);
                let added = added.times(self.sum.interval());
                let added_it = match at {
                    Boundary::It => added,
                    Boundary::Facility => added.over(pue.interval()),
                };
                (
                    total,
                    Some(OverheadUse {
                        factor: f.interval(),
                        source: o.source.clone(),
                        added_energy_kwh: added_it,
                    }),
                )
            }
        };
        let (it_kwh, facility_kwh) = match at {
            Boundary::It => (total, total.times(pue)),
            Boundary::Facility => (total.over(pue), total),
        };
        let p = pue.interval();
        // each line's energies at both boundaries, written in its place
        let mut lines = self.items;
        for l in &mut lines {
            (l.energy_kwh, l.facility_energy_kwh) = boundaries(at, l.energy_kwh, p);
        }
        Closed {
            it_kwh,
            facility_kwh,
            lines,
            overhead,
        }
    }
}

impl Default for Lines<'_> {
    fn default() -> Self {
        Lines::new()
    }
}

/// The IT and facility energies of an energy `e` metered at `at`, with the PUE `pue`.
pub fn boundaries(at: Boundary, e: Interval, pue: Interval) -> (Interval, Interval) {
    match at {
        Boundary::It => (e, e.times(pue)),
        Boundary::Facility => (e.over(pue), e),
    }
}

/// The summed energy at both boundaries, and what the report shows of it.
pub struct Closed<'t> {
    pub it_kwh: Var<'t>,
    pub facility_kwh: Var<'t>,
    pub lines: Vec<EnergyLine>,
    pub overhead: Option<OverheadUse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overhead(f: f64) -> Overhead {
        yaml_serde::from_str(&format!("{{factor: {f}, source: test}}")).expect("overhead")
    }

    #[test]
    fn lines_add_up_then_the_overhead_then_the_pue() {
        let tape = Tape::off();
        let mut l = Lines::new();
        l.push(
            "gpus",
            EnergyMethod::DeviceHours,
            Some(Kind::Gpu),
            "",
            Var::from(Interval::exact(100.0)),
        );
        l.push(
            "cpus",
            EnergyMethod::Tdp,
            Some(Kind::Cpu),
            "",
            Var::from(Interval::new(20.0, 10.0, 30.0)),
        );
        assert_eq!(l.sources(), [EnergyMethod::DeviceHours, EnergyMethod::Tdp]);
        assert_eq!(l.method(), EnergyMethod::Combined);
        assert_eq!(Lines::new().method(), EnergyMethod::Combined);
        let pue = Var::from(Interval::exact(1.5));
        let c = l.close(Boundary::It, Some(&overhead(1.2)), pue, &tape);
        // (100 + 20) x 1.2 = 144 kWh IT, x 1.5 = 216 kWh at the facility
        assert!((c.it_kwh.interval().value - 144.0).abs() < 1e-12);
        assert!((c.facility_kwh.interval().value - 216.0).abs() < 1e-12);
        assert_eq!(c.it_kwh.interval().min, 132.0);
        assert!((c.it_kwh.interval().max - 156.0).abs() < 1e-9);
        let o = c.overhead.expect("overhead");
        assert!((o.added_energy_kwh.value - 24.0).abs() < 1e-9);
        assert_eq!(
            c.lines[1].facility_energy_kwh,
            Interval::new(30.0, 15.0, 45.0)
        );
    }

    #[test]
    fn a_declared_energy_line_fits_the_room_made_for_it() {
        let mut l = Lines::with_room(1);
        l.push(
            "declared",
            EnergyMethod::Declared,
            None,
            "energy.declared_kwh",
            Var::from(Interval::exact(1.6)),
        );
        assert_eq!((l.items.len(), l.items.capacity()), (1, 1));
        assert_eq!(l.method(), EnergyMethod::Declared);
    }

    #[test]
    fn an_energy_at_the_facility_is_divided_by_the_pue_for_the_it_equipment() {
        let tape = Tape::off();
        let mut l = Lines::new();
        // Llama 2 7B: 184,320 GPU-hours x 400 W (power adjusted for PUE) = 73,728 kWh
        l.push(
            "7B",
            EnergyMethod::DeviceHours,
            Some(Kind::Gpu),
            "",
            Var::from(Interval::exact(73_728.0)),
        );
        let c = l.close(
            Boundary::Facility,
            None,
            Var::from(Interval::exact(1.08)),
            &tape,
        );
        assert_eq!(c.facility_kwh.interval().value, 73_728.0);
        assert!((c.it_kwh.interval().value - 73_728.0 / 1.08).abs() < 1e-9);
        assert!((c.lines[0].energy_kwh.value - 68_266.666_666_666_7).abs() < 1e-6);
        assert!(c.overhead.is_none());
        let (it, fac) = boundaries(
            Boundary::Facility,
            Interval::exact(10.0),
            Interval::new(1.25, 1.0, 2.0),
        );
        assert_eq!(it, Interval::new(8.0, 5.0, 10.0));
        assert_eq!(fac, Interval::exact(10.0));
    }
}
