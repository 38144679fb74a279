//! Devices given by their hours (`energy.devices`) with a catalog model or host: their embodied
//! impacts charged per device-hour, one device's embodied x device-hours / (AUR x lifetime),
//! divided by the functional units, with a breakdown row per entry and per part.

use super::finite;
use super::{BreakdownLevel, BreakdownRow};
use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::energy::DeviceCharge;
use crate::error::Result;
use crate::quantity::format::fmt_interval;
use crate::quantity::impacts::{AssessedImpacts, Criterion, Gaps, Impacts};
use crate::quantity::tape::{Tape, Var};
use crate::scenario::Loaded;
use std::sync::Arc;

/// The embodied impacts per FU of the devices of `c` and their gaps; rows added to `breakdown`.
/// `(aur, lifetime_h)` share a device's life.
#[allow(clippy::too_many_arguments)]
pub(super) fn charge<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    c: &DeviceCharge<'t>,
    (aur, lifetime_h): (Var<'t>, Var<'t>),
    per_fu: f64,
    breakdown: &mut Vec<BreakdownRow>,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<(Impacts<Var<'t>>, Gaps)> {
    let de = crate::embodied::device::per_device(
        loaded,
        data,
        &c.path,
        c.kind,
        c.model.as_deref(),
        c.host.as_deref(),
        trail,
        tape,
    )?;
    // device-hours / (AUR x lifetime): the share of one device's active life the hours used
    let share = c.device_hours.over(aur.times(lifetime_h));
    let fu = de.one_device.times(share).scale(per_fu);
    let hours = c.device_hours.interval();
    for cr in Criterion::ALL {
        finite::require(loaded, fu.get(cr).interval(), &c.path, || {
            format!(
                "the embodied {} of {} device-hours of {}",
                cr.label(),
                finite::shown(hours),
                de.name
            )
        })?;
    }
    trail.assume(format!(
        "{}: embodied impacts of one {} charged per device-hour: {} h / ({} x {} h) = {:.6e} of a device's embodied impacts",
        c.path,
        de.name,
        fmt_interval(hours),
        fmt_interval(aur.interval()),
        fmt_interval(lifetime_h.interval()),
        share.interval().value
    ));
    let node: Arc<str> = c.label.as_str().into();
    breakdown.push(BreakdownRow {
        level: BreakdownLevel::Node,
        node: Arc::clone(&node),
        component: c.kind,
        name: de.name.as_str().into(),
        units: 1,
        manufacture: AssessedImpacts::new(de.one_device.intervals(), &de.not_assessed),
        per_fu: AssessedImpacts::new(fu.intervals(), &de.not_assessed),
        given_source: None,
        device_hours: Some(hours),
    });
    let plain_share = share.interval();
    for part in de.components {
        breakdown.push(BreakdownRow {
            level: BreakdownLevel::Component,
            node: Arc::clone(&node),
            component: part.component,
            name: part.name,
            units: part.units,
            per_fu: AssessedImpacts::new(
                part.manufacture.times(plain_share).scale(per_fu),
                &part.not_assessed,
            ),
            manufacture: AssessedImpacts::new(part.manufacture, &part.not_assessed),
            given_source: None,
            device_hours: None,
        });
    }
    Ok((fu, de.not_assessed))
}
