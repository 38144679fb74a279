//! The JSON of an assessment: the report serialized (README.md, "JSON output"), each impact
//! object with its Monte Carlo distribution when there is one.

use crate::assessment::Report;
use crate::error::{Error, Result};
use crate::quantity::impacts::{Criterion, Phase};

pub fn json(r: &Report) -> Result<String> {
    let err = |e: serde_json::Error| Error::Internal(format!("JSON output: {e}"));
    let mut v = serde_json::to_value(r).map_err(err)?;
    // With Monte Carlo, each impact object gains its distribution.
    if let Some(mc) = &r.monte_carlo {
        for phase in Phase::ALL {
            for c in Criterion::ALL {
                let Some(st) = mc.impacts.get(phase).get(c) else {
                    continue; // not assessed: no distribution
                };
                if let Some(obj) = v
                    .pointer_mut(&format!("/impacts/{}/{}", phase.key(), c.key()))
                    .and_then(|x| x.as_object_mut())
                {
                    obj.insert(
                        "distribution".into(),
                        serde_json::to_value(st).map_err(err)?,
                    );
                }
            }
        }
        if let Some(obj) = v.pointer_mut("/energy_kwh").and_then(|x| x.as_object_mut()) {
            obj.insert(
                "distribution".into(),
                serde_json::to_value(&mc.energy_kwh).map_err(err)?,
            );
        }
    }
    serde_json::to_string_pretty(&v)
        .map(|s| s + "\n")
        .map_err(err)
}
