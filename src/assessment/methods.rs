//! `mlca assess --compare-methods`: the embodied impacts of every embodied method side by side,
//! so that a paper can show the spread between methods (the same A100 is 568 kgCO2eq in
//! BoaviztAPI 2.5.0, 330 in MLCA, 164 per H100-class card in EcoLogits).

use crate::assessment::{assess, BreakdownLevel, Report};
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::quantity::impacts::AssessedImpacts;
use crate::scenario::EmbodiedMethod;
use crate::scenario::Loaded;
use serde::Serialize;

/// One method's figures, or why it does not apply.
#[derive(Serialize)]
pub struct MethodRow {
    pub method: EmbodiedMethod,
    /// Manufacture of one node of each kind, summed over the kinds.
    pub node_manufacture: Option<AssessedImpacts>,
    /// Embodied impacts per functional unit.
    pub embodied: Option<AssessedImpacts>,
    pub error: Option<String>,
}

/// The embodied impacts of one scenario by every method.
#[derive(Serialize)]
pub struct MethodComparison {
    pub scenario: String,
    pub rows: Vec<MethodRow>,
    /// max / min of the embodied GWP per FU over the methods that apply.
    pub gwp_spread: Option<f64>,
}

fn one(
    loaded: &Loaded,
    data: &ImpactData,
    m: EmbodiedMethod,
) -> std::result::Result<Report, Error> {
    let mut l = loaded.clone();
    l.scenario.embodied_method = Some(m);
    assess(&l, data)
}

/// Assess `loaded` once per embodied method; a method that does not apply says why.
pub fn compare(loaded: &Loaded, data: &ImpactData) -> Result<MethodComparison> {
    // The scenario as written must assess: an error there (an unknown GPU, a missing field) is
    // the scenario's, not a method's that does not apply.
    assess(loaded, data)?;
    let mut rows = Vec::new();
    for m in EmbodiedMethod::ALL {
        match one(loaded, data, m) {
            Ok(r) => {
                let node = r
                    .breakdown
                    .iter()
                    .filter(|b| b.level == BreakdownLevel::Node)
                    .map(|b| b.manufacture.clone())
                    .reduce(|a, b| a.plus(&b));
                rows.push(MethodRow {
                    method: m,
                    node_manufacture: node,
                    embodied: Some(r.impacts.embodied.clone()),
                    error: None,
                });
            }
            Err(Error::Input(d)) => rows.push(MethodRow {
                method: m,
                node_manufacture: None,
                embodied: None,
                error: Some(d.message.clone()),
            }),
            Err(e) => return Err(e),
        }
    }
    let g: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.embodied.as_ref().and_then(|e| e.gwp.value()))
        .map(|i| i.value)
        .filter(|v| *v > 0.0)
        .collect();
    let spread = (g.len() > 1).then(|| {
        g.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            / g.iter().copied().fold(f64::INFINITY, f64::min)
    });
    let c = MethodComparison {
        scenario: loaded.file.display().to_string(),
        rows,
        gwp_spread: spread,
    };
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;
    use std::path::Path;

    /// Whether the report cites a source whose id or citation holds `text`.
    fn cites(r: &Report, text: &str) -> bool {
        r.sources
            .iter()
            .any(|s| s.id.contains(text) || s.citation.contains(text))
    }

    /// A clone of an assessed scenario carries none of the texts written for the original: the
    /// names and sources changed on the clone are the ones its report shows.
    #[test]
    fn a_clone_writes_its_own_texts() -> Result<()> {
        let data = ImpactData::embedded()?;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = load(&dir.join("scenarios/jay2024-apollo-resnet50.yaml"))?;
        let before = assess(&loaded, &data)?;

        let mut changed = loaded.clone();
        changed.scenario.infrastructure[0].name = "Other node".into();
        if let Some(f) = changed.scenario.electricity.factors.as_mut() {
            f.source = "Other factors, 2030".into();
        }
        let after = assess(&changed, &data)?;
        let again = assess(&loaded, &data)?;

        assert_eq!(&*after.breakdown[0].node, "Other node");
        assert!(cites(&after, "Other node"), "{:?}", after.sources);
        assert!(cites(&after, "Other factors, 2030"), "{:?}", after.sources);
        for r in [&before, &again] {
            assert_eq!(&*r.breakdown[0].node, "Apollo 6500 Gen10");
            assert!(!cites(r, "Other"), "{:?}", r.sources);
        }
        assert_eq!(
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&again).ok()
        );
        Ok(())
    }
}
