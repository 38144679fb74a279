//! The long CSV of an assessment: one row per figure, with its bounds and unit.

use super::csv_text;
use crate::assessment::{McRow, Report};
use crate::error::{Error, Result};
use crate::quantity::impacts::{Criterion, Phase};
use crate::quantity::interval::Interval;

/// Long CSV: one row per figure, with its bounds and unit.
pub fn csv(r: &Report) -> Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let err = |e: ::csv::Error| Error::Internal(format!("CSV output: {e}"));
    w.write_record([
        "section",
        "node",
        "component",
        "name",
        "phase",
        "criterion",
        "value",
        "min",
        "max",
        "unit",
    ])
    .map_err(err)?;
    let mut row = |sec: &str,
                   node: &str,
                   comp: &str,
                   name: &str,
                   phase: &str,
                   crit: &str,
                   i: Option<Interval>,
                   unit: &str| {
        // a figure not assessed has empty value, min and max
        let f = |x: fn(&Interval) -> f64| i.as_ref().map(|i| x(i).to_string()).unwrap_or_default();
        w.write_record([
            sec,
            node,
            comp,
            name,
            phase,
            crit,
            &f(|i| i.value),
            &f(|i| i.min),
            &f(|i| i.max),
            unit,
        ])
    };
    for (crit, kwh) in [
        ("energy", r.energy_kwh),
        ("facility_energy", r.facility_energy_kwh),
    ] {
        row(
            "energy",
            "",
            "",
            "",
            Phase::Use.key(),
            crit,
            Some(kwh),
            "kWh",
        )
        .map_err(err)?;
    }
    row("duration", "", "", "", "", "duration", r.duration_h, "h").map_err(err)?;
    for (phase, imp) in r.impacts.phases() {
        for c in Criterion::ALL {
            // an impact not assessed names its reason where a figure's name goes
            let why = imp
                .get(c)
                .reason()
                .map(|r| format!("not assessed: {r}"))
                .unwrap_or_default();
            row(
                "impacts",
                "",
                "",
                &why,
                phase.key(),
                c.key(),
                imp.value(c),
                c.unit(),
            )
            .map_err(err)?;
        }
    }
    for b in &r.breakdown {
        for (phase, imp) in [("manufacture", &b.manufacture), ("per_fu", &b.per_fu)] {
            for c in Criterion::ALL {
                row(
                    &format!("breakdown_{}", b.level),
                    &b.node,
                    b.component.key(),
                    &b.name,
                    phase,
                    c.key(),
                    imp.value(c),
                    c.unit(),
                )
                .map_err(err)?;
            }
        }
    }
    // Monte Carlo: one row per statistic (section "distribution", the statistic in `name`, its
    // value in `value`, the impact's bounds in `min` and `max`).
    for McRow {
        phase,
        criterion: c,
        stats: st,
        deterministic: b,
    } in r.mc_rows()
    {
        let mut stats: Vec<(String, f64)> = vec![
            ("mean".into(), st.mean),
            ("median".into(), st.median),
            ("sd".into(), st.sd),
        ];
        stats.extend(st.percentiles.iter().map(|(k, v)| (k.clone(), *v)));
        for (name, v) in stats {
            w.write_record([
                "distribution",
                "",
                "",
                &name,
                phase.key(),
                c.key(),
                &v.to_string(),
                &b.min.to_string(),
                &b.max.to_string(),
                c.unit(),
            ])
            .map_err(err)?;
        }
    }
    csv_text(w)
}
