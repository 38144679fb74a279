//! The tornado plot: the one-at-a-time swings of the total GWP (kgCO2eq) by input, after a
//! Monte Carlo run, each input named in full (wrapped at word and part boundaries).

use super::bars::{render_chart, Bar, Chart, Panel};
use super::*;

/// The inputs shown: the largest swings.
const SHOWN: usize = 12;

/// Tornado plot of the one-at-a-time swings of the total GWP (after a Monte Carlo run).
pub fn tornado(fig: Figure, r: &crate::assessment::Report) -> Result<Vec<u8>> {
    refuse_non_finite(r, "sensitivity")?;
    let Some(mc) = &r.monte_carlo else {
        return Err(Error::input(
            Diagnostic::new("a tornado plot needs a Monte Carlo run").hint("add --samples N"),
        ));
    };
    let Some(base) = r.impacts.total.gwp.value().map(|g| g.value) else {
        return Err(Error::input(Diagnostic::new(
            "a tornado plot ranks the inputs by the total GWP, which is not assessed",
        )));
    };
    let mut rows: Vec<(String, f64, f64)> = mc
        .sensitivity
        .iter()
        .filter_map(|s| s.swing.gwp.map(|[a, b]| (s.parameter.clone(), a, b)))
        .collect();
    rows.sort_by(|a, b| {
        (b.2 - b.1)
            .abs()
            .total_cmp(&(a.2 - a.1).abs())
            .then_with(|| a.0.cmp(&b.0))
    });
    rows.truncate(SHOWN);
    if rows.is_empty() {
        return Err(Error::input(Diagnostic::new("no uncertain input to rank")));
    }
    let span_of = |x: f64| (base.min(x), base.max(x));
    let chart = Chart {
        title: "Sensitivity of the total GWP: each input from its min to its max, the others at their values",
        legend: vec![
            ("input at its min".to_string(), LINE),
            ("input at its max".to_string(), BAND),
        ],
        labels: rows.iter().map(|r| r.0.clone()).collect(),
        panels: vec![Panel {
            label: "GWP total".to_string(),
            unit: crate::quantity::impacts::Criterion::Gwp.unit().to_string(),
            reference: Some(base),
            from_zero: false,
            bars: rows
                .iter()
                .map(|(_, a, b)| {
                    let (a0, a1) = span_of(*a);
                    let (b0, b1) = span_of(*b);
                    Bar {
                        segments: vec![(a0, a1, LINE), (b0, b1, BAND)],
                        whisker: None,
                        note: None,
                    }
                })
                .collect(),
        }],
    };
    render_chart(fig, &chart)
}
