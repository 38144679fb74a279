//! Unit conversions, each named once. Quantities elsewhere carry their unit in their name
//! (`energy_kwh`, `power_w`, `duration_h`) and convert only through these constants.

/// Hours in a year of 365 days (the convention of BoaviztAPI lifetimes: 4 years = 35040 h).
pub const HOURS_PER_YEAR: f64 = 8760.0;
/// Watt-hours in a kilowatt-hour.
pub const WH_PER_KWH: f64 = 1000.0;
/// Square millimetres in a square centimetre.
pub const MM2_PER_CM2: f64 = 100.0;
/// Grams in a kilogram.
pub const G_PER_KG: f64 = 1000.0;
/// Litres in a cubic metre (a WUE in L/kWh, a water use in m3).
pub const LITRES_PER_M3: f64 = 1000.0;

/// Joules in a kilowatt-hour.
pub const J_PER_KWH: f64 = 3.6e6;
/// Seconds in an hour.
pub const S_PER_H: f64 = 3600.0;

/// Watts in one unit of power as trace files write it (W, mW, kW, uW).
pub fn watts_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "W" | "w" => 1.0,
        "mW" => 1e-3,
        "uW" | "µW" => 1e-6,
        "kW" => 1e3,
        _ => return None,
    })
}

/// Joules in one unit of energy as trace files write it (J, mJ, uJ, kJ, MJ, Wh, kWh).
pub fn joules_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "J" | "j" => 1.0,
        "mJ" => 1e-3,
        "uJ" | "µJ" => 1e-6,
        "kJ" => 1e3,
        "MJ" => 1e6,
        "Wh" => S_PER_H,
        "kWh" => J_PER_KWH,
        _ => return None,
    })
}

/// Energy in kWh drawn by a constant power in W over a duration in hours.
pub fn energy_kwh(power_w: f64, duration_h: f64) -> f64 {
    power_w * duration_h / WH_PER_KWH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_hundred_watts_for_one_hour_is_0_3_kwh() {
        assert!((energy_kwh(300.0, 1.0) - 0.3).abs() < 1e-15);
    }

    #[test]
    fn four_years_is_35040_hours() {
        assert_eq!(4.0 * HOURS_PER_YEAR, 35040.0);
    }

    #[test]
    fn eighteen_hundred_litres_is_1_8_m3() {
        assert!((1800.0 / LITRES_PER_M3 - 1.8).abs() < 1e-15);
    }

    #[test]
    fn trace_units_round_trip() {
        for u in ["W", "mW", "uW", "kW"] {
            let k = watts_per(u).unwrap_or(f64::NAN);
            assert!(((123.456 * k) / k - 123.456).abs() < 1e-12, "{u}");
        }
        assert_eq!(joules_per("kWh"), Some(J_PER_KWH));
        assert_eq!(joules_per("Wh"), Some(3600.0));
        assert_eq!(joules_per("uJ"), Some(1e-6));
        assert_eq!(joules_per("kWatt"), None);
        assert_eq!(watts_per("J"), None);
    }

    #[test]
    fn area_and_mass_conversions() {
        assert_eq!(87.0 * MM2_PER_CM2, 8700.0);
        assert_eq!(0.5 * G_PER_KG, 500.0);
    }
}
