//! Checks of a loaded scenario that its types cannot express: a scenario's comparison criteria
//! and radar bounds (min < max, each value inside its bounds), and its label.

use super::Loaded;
use crate::error::Result;

/// The label of a scenario: `comparison.label`, else the file name without extension.
pub fn label(l: &Loaded) -> String {
    l.scenario
        .comparison
        .as_ref()
        .and_then(|c| c.label.clone())
        .unwrap_or_else(|| {
            l.file
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default()
        })
}

/// Check a scenario's declared criteria and bounds: min < max, values inside.
pub fn check_criteria(l: &Loaded) -> Result<()> {
    let Some(c) = &l.scenario.comparison else {
        return Ok(());
    };
    for (i, k) in c.criteria.iter().enumerate() {
        let path = format!("comparison.criteria[{i}]");
        if k.min >= k.max
            || k.min.is_nan()
            || k.max.is_nan()
            || !k.min.is_finite()
            || !k.max.is_finite()
        {
            return Err(l.error_at(&format!("{path}.min"), format!("criterion \"{}\": min {} must be below max {}", k.name, k.min, k.max), Some("min and max are the ends of the criterion's scale; direction says which end is better".into())));
        }
        if !(k.value >= k.min && k.value <= k.max) {
            return Err(l.error_at(
                &format!("{path}.value"),
                format!(
                    "criterion \"{}\": value {} is outside its bounds [{}, {}]",
                    k.name, k.value, k.min, k.max
                ),
                Some("widen the bounds or correct the value".into()),
            ));
        }
    }
    if let Some(b) = &c.bounds {
        for (name, v) in [
            ("energy_kwh", b.energy_kwh),
            ("duration_h", b.duration_h),
            ("quality", b.quality),
            ("gwp_kgco2eq", b.gwp_kgco2eq),
            ("adp_kgsbeq", b.adp_kgsbeq),
            ("pe_mj", b.pe_mj),
        ] {
            if let Some(v) = v {
                if v.min >= v.max || v.min.is_nan() || v.max.is_nan() {
                    return Err(l.error_at(
                        &format!("comparison.bounds.{name}.min"),
                        format!(
                            "bounds of {name}: min {} must be below max {}",
                            v.min, v.max
                        ),
                        None,
                    ));
                }
            }
        }
    }
    Ok(())
}
