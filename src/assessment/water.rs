//! Water in the use phase, m3 (the form of EcoLogits and of The Green Grid's WUE):
//!
//! water_use = E_IT x WUE / 1000 + E_IT x PUE x WF
//!
//! with E_IT the IT energy (kWh), WUE the data centre's water usage effectiveness (L of water
//! consumed on site, for cooling, per kWh of IT energy; The Green Grid's definition), PUE x E_IT the
//! facility's energy drawn from the grid and WF the water consumed in generating a kWh of the
//! country's electricity (m3/kWh; BoaviztAPI 2.5.0's `wu`, from WRI's guidance on the water
//! embedded in purchased electricity, 2020). A term whose input is missing (no WUE given, a
//! country without WF) is not covered: the use phase's water is the sum of the terms covered, the
//! report lists the others, and with no term covered the water is not assessed, never 0.

use super::remembered::same_text;
use super::{BreakdownLevel, BreakdownRow};
use crate::data::component::ComponentKind;
use crate::data::provenance::Trail;
use crate::error::Result;
use crate::quantity::format::fmt_interval;
use crate::quantity::impacts::{Criterion, Gaps};
use crate::quantity::interval::Quantity;
use crate::quantity::tape::{Tape, Var};
use crate::quantity::units::LITRES_PER_M3;
use crate::scenario::Loaded;
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

/// Why the on-site term is not covered when the scenario gives no WUE.
pub const NO_WUE: &str =
    "not covered: the on-site (cooling) water, as electricity.wue_l_per_kwh is not given";

/// [`NO_WUE`], made once and shared by every report.
pub fn no_wue() -> Arc<str> {
    static SHARED: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(NO_WUE));
    Arc::clone(&SHARED)
}

/// The scenario's WUE (L/kWh) as an uncertain input of `tape`, its source cited and named in the
/// assumptions; `None` (the on-site term not covered, said) when not given.
pub fn wue<'t>(loaded: &Loaded, trail: &mut Trail, tape: &'t Tape) -> Result<Option<Var<'t>>> {
    let el = &loaded.scenario.electricity;
    let Some(w) = el.wue_l_per_kwh else {
        if el.wue_source.is_some() {
            return Err(loaded.error_at(
                "electricity.wue_source",
                "wue_source is given without wue_l_per_kwh",
                Some("give electricity.wue_l_per_kwh (L of water per kWh of IT energy) or remove wue_source".into()),
            ));
        }
        trail.assume("water, use phase: on-site (cooling) water not covered, no WUE assumed (give electricity.wue_l_per_kwh in L/kWh with wue_source)");
        return Ok(None);
    };
    let Some(src) = &el.wue_source else {
        return Err(loaded.error_at(
            "electricity.wue_l_per_kwh",
            "a WUE is given without its source",
            Some("add electricity.wue_source: where the WUE comes from (the operator's report, a published average), with its year".into()),
        ));
    };
    trail.cite_text("scenario: WUE".into(), src.as_str().into());
    trail.assume(format!(
        "water, use phase: on site E_IT x WUE, WUE {} L/kWh given in the scenario ({src})",
        fmt_interval(w.0)
    ));
    Ok(Some(w.param(tape, "electricity.wue_l_per_kwh")))
}

/// Parts named in the coverage of the embodied water ("name (node kind)"), shared.
pub type Parts = Arc<[Arc<str>]>;

/// A coverage of the embodied water and what it was made from: each component row's name, node
/// kind, whether it has a water figure and whether it is a GPU.
struct Coverage {
    rows: Vec<(Arc<str>, Arc<str>, bool, bool)>,
    covered: Parts,
    not_covered: Parts,
    note: Arc<str>,
    gpu: bool,
}

thread_local! {
    /// The last coverage made on this thread: an assessment repeated (a benchmark, the scenarios
    /// of a comparison) has the same component rows, and shares its lists and note.
    static COVERAGE: std::cell::RefCell<Option<Coverage>> = const { std::cell::RefCell::new(None) };
}

/// A component row of a breakdown as a coverage knows it.
fn row_key(r: &BreakdownRow) -> (&Arc<str>, &Arc<str>, bool, bool) {
    (
        &r.name,
        &r.node,
        r.manufacture.water.reason().is_none(),
        r.component == ComponentKind::Gpu,
    )
}

/// The coverage of the embodied water, named in the assumptions: the parts with a water figure,
/// and those without (not covered, never counted as 0), from the component rows of `breakdown`;
/// returned as (covered, not covered), shared with the last coverage of the same rows on this
/// thread.
pub fn embodied_coverage(breakdown: &[BreakdownRow], trail: &mut Trail) -> (Parts, Parts) {
    let rows = || {
        breakdown
            .iter()
            .filter(|r| r.level == BreakdownLevel::Component)
    };
    COVERAGE.with(|kept| {
        let mut kept = kept.borrow_mut();
        let same = kept.as_ref().is_some_and(|k| {
            k.rows.len() == rows().count()
                && k.rows.iter().zip(rows()).all(|((n, o, w, g), r)| {
                    let (rn, ro, rw, rg) = row_key(r);
                    same_text(n, rn) && same_text(o, ro) && *w == rw && *g == rg
                })
        });
        if !same {
            *kept = Some(coverage(rows()));
        }
        match kept.as_ref() {
            Some(k) => {
                trail.assume(Arc::clone(&k.note));
                if k.gpu {
                    trail.assume("water, embodied: a GPU's end-of-life term (gpu.end_of_life, per kg of card) is most of its water figure (84 % for an A100 SXM4 80GB), a factor out of scale with the other sub-parts', carried as BoaviztAPI 2.5.0 gives it");
                }
                (Arc::clone(&k.covered), Arc::clone(&k.not_covered))
            }
            None => (Arc::from([]), Arc::from([])),
        }
    })
}

/// The coverage of the component rows `rows`, its lists and note written.
fn coverage<'a>(rows: impl Iterator<Item = &'a BreakdownRow>) -> Coverage {
    let mut covered: Vec<Arc<str>> = Vec::new();
    let mut not_covered: Vec<Arc<str>> = Vec::new();
    let mut gpu = false;
    let mut keys = Vec::new();
    for r in rows {
        let (name, node, water, is_gpu) = row_key(r);
        keys.push((Arc::clone(name), Arc::clone(node), water, is_gpu));
        let part = part_of(name, node).into();
        if water {
            gpu |= is_gpu;
            covered.push(part);
        } else {
            not_covered.push(part);
        }
    }
    let list = |v: &[Arc<str>]| match v {
        [] => Cow::Borrowed("none"),
        v => Cow::Owned(v.join(", ")),
    };
    let (c, n) = (list(&covered), list(&not_covered));
    let note = format!(
        "water, embodied: a partial sum over the parts with a water figure (BoaviztAPI 2.5.0's wu of the GPU sub-parts, unit 'm3 eq.': EF 3.0 water use, m3 world eq. deprived, added to the use phase's m3 as BoaviztAPI adds them); covered: {c}; not covered (no water figure in the impact data, not counted as 0): {n}"
    );
    Coverage {
        rows: keys,
        covered: covered.into(),
        not_covered: not_covered.into(),
        note: note.into(),
        gpu,
    }
}

/// A part of the coverage lists, "name (node kind)", its room taken once.
fn part_of(name: &str, node: &str) -> String {
    let mut s = String::with_capacity(name.len() + node.len() + 3);
    s.push_str(name);
    s.push_str(" (");
    s.push_str(node);
    s.push(')');
    s
}

/// The use phase's water, m3, from the IT and facility energies (kWh), the WUE (L/kWh) and the
/// electricity's water factor (m3/kWh), each term counted only when its input is given; `None`
/// when neither is.
pub fn use_water<Q: Quantity>(
    it_kwh: Q,
    facility_kwh: Q,
    wue_l_per_kwh: Option<Q>,
    wf_m3_per_kwh: Option<Q>,
) -> Option<Q> {
    let on_site = wue_l_per_kwh.map(|w| it_kwh.times(w).scale(1.0 / LITRES_PER_M3));
    let grid = wf_m3_per_kwh.map(|f| facility_kwh.times(f));
    match (on_site, grid) {
        (Some(a), Some(b)) => Some(a + b),
        (a, b) => a.or(b),
    }
}

/// The use phase's gaps: the electricity's, with water not assessed only when neither the on-site
/// term (`wue_given`) nor the electricity's term is covered; `why_on_site` says why the on-site
/// term is missing.
pub fn use_gaps(elec: &Gaps, wue_given: bool, why_on_site: Arc<str>) -> Gaps {
    let mut on_site = Gaps::none();
    if !wue_given {
        on_site.add(Criterion::Water, why_on_site);
    }
    let mut g = Gaps::none();
    for c in Criterion::ALL {
        if let (Some(r), false) = (elec.shared_reason(c), c == Criterion::Water) {
            g.add(c, r);
        }
    }
    let mut grid = Gaps::none();
    if let Some(r) = elec.shared_reason(Criterion::Water) {
        grid.add(Criterion::Water, r);
    }
    g.merge(&super::gaps::of_sum(&[&on_site, &grid]));
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::interval::Interval;

    #[test]
    fn a_part_is_named_with_its_node_kind() {
        assert_eq!(
            part_of("A100 SXM4 80GB", "Apollo"),
            "A100 SXM4 80GB (Apollo)"
        );
        assert_eq!(part_of("", ""), " ()");
    }

    #[test]
    fn water_of_a_run_by_hand() {
        // 1000 kWh of IT energy, PUE 1.2, WUE 1.8 L/kWh, USA 0.003132125 m3/kWh:
        // on site 1000 x 1.8 / 1000 = 1.8 m3; electricity 1200 x 0.003132125 = 3.75855 m3
        let it = Interval::exact(1000.0);
        let fac = Interval::exact(1200.0);
        let wue = Interval::new(1.8, 1.0, 2.6);
        let wf = Interval::exact(0.003132125);
        let w = use_water(it, fac, Some(wue), Some(wf)).unwrap();
        assert!((w.value - 5.55855).abs() < 1e-9, "{w:?}");
        assert!((w.min - (1.0 + 3.75855)).abs() < 1e-9);
        assert!((w.max - (2.6 + 3.75855)).abs() < 1e-9);
        let grid = use_water(it, fac, None, Some(wf)).unwrap();
        assert!((grid.value - 3.75855).abs() < 1e-9);
        let site = use_water(it, fac, Some(wue), None).unwrap();
        assert!((site.value - 1.8).abs() < 1e-12);
        assert!(use_water(it, fac, None, None).is_none());
    }

    #[test]
    fn use_water_is_not_assessed_only_without_both_terms() {
        let mut elec = Gaps::none();
        elec.add(Criterion::Water, "no WF for WOR");
        elec.add(Criterion::Adp, "no ADP");
        let g = use_gaps(&elec, true, "no WUE".into());
        assert_eq!(g.reason(Criterion::Water), None);
        assert_eq!(g.reason(Criterion::Adp), Some("no ADP"));
        let g = use_gaps(&elec, false, "no WUE".into());
        assert_eq!(g.reason(Criterion::Water), Some("no WUE; no WF for WOR"));
        let g = use_gaps(&Gaps::none(), false, "no WUE".into());
        assert!(g.is_empty());
    }

    #[test]
    fn gpu_water_by_hand_from_the_ten_wu_factors() {
        // factors.yml gpu wu: casing 3.8931/kg, heatsink 10.459/kg, pwb 1.6173e-2/cm2, die
        // 1.4831e-2/mm2, vram 7.0829e-2/mm2, upstream 9.8353e-4/kg, truck 1.91e-7, boat 4.2e-8,
        // plane 8.38e-6 per kg.km, end of life 730.15/kg
        let w = |x: f64| crate::quantity::impacts::Triple {
            gwp: 0.0,
            adp: 0.0,
            pe: 0.0,
            water: Some(x),
        };
        let f = crate::embodied::GpuFactors {
            casing: w(3.8931),
            heatsink: w(10.459),
            pcb: w(1.6173e-2),
            die: w(1.4831e-2),
            vram: w(7.0829e-2),
            upstream: w(9.8353e-4),
            truck: w(1.91e-7),
            boat: w(4.2e-8),
            plane: w(8.38e-6),
            end_of_life: w(730.15),
        };
        let x = Interval::exact;
        let q = crate::embodied::GpuQuantities {
            die_effective_mm2: x(2000.0),
            vram_effective_mm2: x(1000.0),
            pcb_cm2: x(500.0),
            casing_kg: x(0.5),
            heatsink_kg: x(0.8),
            mass_kg: x(2.0),
            boat_km: x(10000.0),
            truck_km: x(1000.0),
            plane_km: x(0.0),
        };
        // 0.5 x 3.8931 = 1.94655; 0.8 x 10.459 = 8.3672; 500 x 0.016173 = 8.0865;
        // 2000 x 0.014831 = 29.662; 1000 x 0.070829 = 70.829; 2 x 9.8353e-4 = 0.00196706;
        // truck 1000 x 2 x 1.91e-7 = 3.82e-4; boat 10000 x 2 x 4.2e-8 = 8.4e-4; plane 0;
        // end of life 2 x 730.15 = 1460.3; sum 1579.19443906
        let i = crate::embodied::gpu_impacts(&q, &f);
        assert!(
            (i.water.value - 1579.19443906).abs() < 1e-8,
            "{:?}",
            i.water
        );
        assert_eq!(i.gwp.value, 0.0);
    }
}
