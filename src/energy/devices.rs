//! Devices by their time and power: device-hours (GPU-hours, chip-days, node-hours) or units
//! running some hours (the run's duration if not said: a static or idle power over the run), at
//! a mean measured power, a TDP x usage, or the catalog TDP of their model x usage.
//!
//! E (kWh) = device-hours x power_W / 1000. A device with a catalog `model` (or a `host`) is
//! also charged its embodied impacts per device-hour: [`DeviceCharge`] carries its hours to the
//! assessment.

use super::power::{find_model, kind_of, tdp_of_model};
use super::EnergyMethod;
use crate::data::component::ComponentKind as Kind;
use crate::data::provenance::Trail;
use crate::data::ImpactData;
use crate::error::Result;
use crate::quantity::format::{exact, num};
use crate::quantity::interval::Interval;
use crate::quantity::tape::{Tape, Var};
use crate::scenario::{DeviceUse, Loaded, NonNeg};

/// Devices whose embodied impacts are charged per device-hour.
#[derive(Debug, Clone)]
pub struct DeviceCharge<'t> {
    /// The entry's field path (`energy.devices[0]`).
    pub path: String,
    pub label: String,
    pub kind: Kind,
    /// The catalog model as the scenario writes it.
    pub model: Option<String>,
    /// The catalog node hosting the devices.
    pub host: Option<String>,
    /// Hours summed over the devices.
    pub device_hours: Var<'t>,
}

/// A time key of an entry: its name, how many hours one unit of it is, and the kind of device it
/// implies (none for `device_*` and `chip_*`).
const TIME_KEYS: [(&str, f64, Option<Kind>); 9] = [
    ("device_hours", 1.0, None),
    ("gpu_hours", 1.0, Some(Kind::Gpu)),
    ("cpu_hours", 1.0, Some(Kind::Cpu)),
    ("node_hours", 1.0, Some(Kind::Node)),
    ("chip_hours", 1.0, None),
    ("device_days", 24.0, None),
    ("gpu_days", 24.0, Some(Kind::Gpu)),
    ("node_days", 24.0, Some(Kind::Node)),
    ("chip_days", 24.0, None),
];

/// A time key as the report writes it (`gpu_hours` -> "GPU-hours").
fn time_words(key: &str) -> String {
    let (what, unit) = key.split_once('_').unwrap_or((key, "hours"));
    let what = match what {
        "gpu" | "cpu" => what.to_uppercase(),
        _ => what.to_string(),
    };
    format!("{what}-{unit}")
}

fn time_values(d: &DeviceUse) -> [Option<&NonNeg>; 9] {
    [
        d.device_hours.as_ref(),
        d.gpu_hours.as_ref(),
        d.cpu_hours.as_ref(),
        d.node_hours.as_ref(),
        d.chip_hours.as_ref(),
        d.device_days.as_ref(),
        d.gpu_days.as_ref(),
        d.node_days.as_ref(),
        d.chip_days.as_ref(),
    ]
}

/// The lines of `energy.devices`, and the devices to charge per device-hour.
pub fn device_lines<'t>(
    loaded: &Loaded,
    data: &ImpactData,
    devices: &[DeviceUse],
    run_d: Option<Var<'t>>,
    run: &mut super::RunEnergy<'t>,
    trail: &mut Trail,
    tape: &'t Tape,
) -> Result<Vec<DeviceCharge<'t>>> {
    if devices.is_empty() {
        return Err(loaded.error_at(
            "energy.devices",
            "energy.devices is empty",
            Some(
                "list at least one entry with its time (e.g. gpu_hours) and power (e.g. power_w)"
                    .into(),
            ),
        ));
    }
    let mut charges = Vec::new();
    for (i, d) in devices.iter().enumerate() {
        let path = format!("energy.devices[{i}]");
        let err = |field: &str, msg: String, hint: &str| {
            let at = if field.is_empty() {
                path.clone()
            } else {
                format!("{path}.{field}")
            };
            loaded.error_at(&at, msg, Some(hint.to_string()))
        };
        // time
        let given: Vec<(usize, &NonNeg)> = time_values(d)
            .into_iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        let time_hint = "give one of gpu_hours, chip_days, node_hours, device_hours (hours summed over the devices, or _days), or units with hours (hours each; the run's duration if left out)";
        if given.len() > 1 || (!given.is_empty() && d.units.is_some()) {
            let mut keys: Vec<&str> = given.iter().map(|(k, _)| TIME_KEYS[*k].0).collect();
            if d.units.is_some() {
                keys.push("units");
            }
            return Err(err(
                TIME_KEYS[given[0].0].0,
                format!("the devices' time is given twice ({})", keys.join(", ")),
                time_hint,
            ));
        }
        if d.hours.is_some() && d.units.is_none() {
            return Err(err(
                "hours",
                "hours are the hours of each unit: give units too".into(),
                time_hint,
            ));
        }
        let implied = given.first().and_then(|(k, _)| TIME_KEYS[*k].2);
        // what the devices are
        let mut kind = d.component.map(kind_of);
        if let (Some(k), Some(imp)) = (kind, implied) {
            if k != imp {
                return Err(err(
                    "component",
                    format!("component {k} contradicts {}", TIME_KEYS[given[0].0].0),
                    "remove component, or name the time after what the devices are",
                ));
            }
        }
        kind = kind.or(implied);
        let model_kind = match &d.model {
            Some(m) => Some(
                find_model(
                    data,
                    m,
                    kind.filter(|k| matches!(k, Kind::Gpu | Kind::Cpu)),
                    &format!("{path}.model"),
                )
                .map_err(|e| loaded.locate_error(e, &format!("{path}.model")))?,
            ),
            None => None,
        };
        if let (Some(k), Some(mk)) = (kind, model_kind) {
            if k != mk {
                return Err(err(
                    "model",
                    format!(
                        "model \"{}\" is a {mk} of the catalog, but the devices are {k}",
                        d.model.clone().unwrap_or_default()
                    ),
                    "name a catalog model of the devices' kind, or correct component",
                ));
            }
        }
        let kind = kind.or(model_kind).unwrap_or(Kind::Other);
        let (hours, time_text) = match (given.first(), d.units) {
            (Some((k, v)), _) => {
                let (key, per, _) = TIME_KEYS[*k];
                let h = v.param(tape, &format!("{path}.{key}")).scale(per);
                (h, format!("{} {}", exact(v.0.value), time_words(key)))
            }
            (None, Some(units)) => {
                let each = match (d.hours, run_d) {
                    (Some(h), _) => h.param(tape, &format!("{path}.hours")),
                    (None, Some(r)) => {
                        trail.assume(format!(
                            "{path}: {} unit(s) over the run's duration ({} h)",
                            units.0,
                            num(r.interval().value)
                        ));
                        r
                    }
                    (None, None) => {
                        return Err(err(
                            "units",
                            "units without hours need the run's duration".into(),
                            "give hours (each unit's), or run.duration_h",
                        ))
                    }
                };
                (
                    each.scale(units.0 as f64),
                    format!("{} unit(s) x {} h", units.0, exact(each.interval().value)),
                )
            }
            (None, None) => {
                return Err(err("", "the devices' time is not given".into(), time_hint))
            }
        };
        // power of one device
        let power_hint = "give power_w (mean power of one device, W), tdp_w with usage, or usage with a catalog model's TDP";
        let power = match (d.power_w, d.tdp_w, d.usage) {
            (Some(p), None, None) => {
                let w = p.param(tape, &format!("{path}.power_w"));
                (w, format!("{} W", exact(p.0.value)))
            }
            (Some(_), _, _) => {
                return Err(err(
                    "power_w",
                    "power_w is a mean power: it takes neither tdp_w nor usage".into(),
                    power_hint,
                ))
            }
            (None, Some(t), Some(u)) => {
                let t = t.param(tape, &format!("{path}.tdp_w"));
                let u = u.param(tape, &format!("{path}.usage"));
                (
                    t.times(u),
                    format!(
                        "TDP {} W x usage {}",
                        num(t.interval().value),
                        num(u.interval().value)
                    ),
                )
            }
            (None, Some(_), None) => {
                return Err(err(
                    "tdp_w",
                    "a TDP needs a usage".into(),
                    "give usage (mean fraction of the TDP drawn, in [0, 1])",
                ))
            }
            (None, None, Some(u)) => {
                let Some(m) = &d.model else {
                    return Err(err(
                        "usage",
                        "usage needs a TDP: give tdp_w or a catalog model".into(),
                        power_hint,
                    ));
                };
                let c = tdp_of_model(loaded, data, m, Some(kind), &path, trail)?;
                let u = u.param(tape, &format!("{path}.usage"));
                (
                    Var::from(Interval::exact(c.tdp_w)).times(u),
                    format!("TDP {} W x usage {}", num(c.tdp_w), num(u.interval().value)),
                )
            }
            (None, None, None) => {
                return Err(err(
                    "",
                    format!("{time_text} are given without a power"),
                    power_hint,
                ));
            }
        };
        let (power_w, power_text) = power;
        let e = hours
            .times(power_w)
            .map_monotone(|x| crate::quantity::units::energy_kwh(x, 1.0));
        let label = d
            .name
            .clone()
            .or_else(|| d.model.clone())
            .unwrap_or_else(|| kind.key().to_string());
        run.lines.push(
            label.clone(),
            EnergyMethod::DeviceHours,
            Some(kind),
            format!("{time_text} x {power_text}"),
            e,
        );
        if d.model.is_some() || d.host.is_some() {
            charges.push(DeviceCharge {
                path,
                label,
                kind,
                model: d.model.clone(),
                host: d.host.clone(),
                device_hours: hours,
            });
        }
    }
    trail.assume("energy of devices: device-hours x power of one device (mean measured, TDP x usage, or the catalog TDP x usage)".to_string());
    Ok(charges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_keys_read_naturally_and_days_are_24_hours() {
        assert_eq!(time_words("gpu_hours"), "GPU-hours");
        assert_eq!(time_words("chip_days"), "chip-days");
        assert_eq!(time_words("node_hours"), "node-hours");
        assert_eq!(time_words("device_days"), "device-days");
        for (key, per, _) in TIME_KEYS {
            assert_eq!(
                per,
                if key.ends_with("_days") { 24.0 } else { 1.0 },
                "{key}"
            );
        }
        let d: DeviceUse =
            yaml_serde::from_str("{chip_days: 2, power_w: 100}").expect("a device entry");
        let given: Vec<usize> = time_values(&d)
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|_| k))
            .collect();
        assert_eq!(given, [8]);
        assert_eq!(TIME_KEYS[8].0, "chip_days");
    }
}
