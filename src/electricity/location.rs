//! Where the run drew its electricity: `electricity.country` (an ISO 3166-1 alpha-2 or alpha-3
//! code or a name) or `electricity.cloud_region` (a provider's region, mapped to its country),
//! resolved to a mix of the impact data. How a name was read is an assumption of the report,
//! with its source (the ISO table, BoaviztAPI's region table).

use super::Country;
use crate::data::locations::Spelling;
use crate::data::provenance::Trail;
use crate::data::{ImpactData, Mix};
use crate::error::Result;
use crate::scenario::Loaded;
use std::sync::Arc;

/// A located mix: the mix and, for a cloud region, the region as the data names it.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    pub mix: &'a Mix,
    /// The cloud region (`aws us-east-1`) the scenario names, if it names one.
    pub region: Option<&'a crate::data::locations::CloudRegion>,
    /// The scenario's field that named it.
    pub field: &'static str,
}

impl Located<'_> {
    /// The country of the mix, as the report names it (its texts shared with the impact data).
    pub fn country(&self) -> Country {
        Country {
            code: Arc::clone(&self.mix.code),
            name: Arc::clone(&self.mix.country),
        }
    }

    /// What the scenario wrote: the region ("aws us-east-1") or the country (shared with the
    /// scenario).
    pub fn written(&self, loaded: &Loaded) -> Arc<str> {
        match (self.region, &loaded.scenario.electricity.country) {
            (Some(r), _) => r.to_string().into(),
            (None, Some(c)) => Arc::clone(c),
            (None, None) => "".into(),
        }
    }
}

/// The mix the scenario's `electricity.country` or `electricity.cloud_region` names, if it names
/// one; how it was read goes to the trail's assumptions (with the source of the reading).
pub fn locate<'a>(
    loaded: &Loaded,
    data: &'a ImpactData,
    trail: &mut Trail,
) -> Result<Option<Located<'a>>> {
    let el = &loaded.scenario.electricity;
    match (&el.country, &el.cloud_region) {
        (Some(_), Some(_)) => Err(loaded.error_at(
            "electricity.cloud_region",
            "the location is given twice: electricity.country and electricity.cloud_region",
            Some("keep one: the cloud region names its country".into()),
        )),
        (None, None) => Ok(None),
        (Some(c), None) => {
            let field = "electricity.country";
            let m = data
                .resolve_country(c)
                .map_err(|e| loaded.locate_error(e, field))?;
            if let (Some(iso), true) = (m.iso, m.spelling != Spelling::Alpha3) {
                trail.cite(data, &iso.source_id);
                trail.assume(format!(
                    "{field} \"{}\": {} of {} ({}) [{}, {}]",
                    c.trim(),
                    m.spelling.label(),
                    m.mix.code,
                    m.mix.country,
                    iso.source_id,
                    iso.year
                ));
            }
            Ok(Some(Located {
                mix: m.mix,
                region: None,
                field,
            }))
        }
        (None, Some(r)) => {
            let field = "electricity.cloud_region";
            let (region, mix) = data
                .find_region(r)
                .map_err(|e| loaded.locate_error(e, field))?;
            trail.cite(data, &region.source_id);
            trail.assume(format!(
                "{field} {region} -> {} ({}): the country's mix [{}, {}]",
                mix.code, mix.country, region.source_id, region.year
            ));
            Ok(Some(Located {
                mix,
                region: Some(region),
                field,
            }))
        }
    }
}
