//! Tests of the BoaviztAPI 2.5.0 method against hand-computed cases.

use super::*;

const WAFER: Wafer = Wafer {
    diameter_mm: 300.0,
    kerf_mm: 0.2,
    defect_density_per_cm2: 0.1,
};

#[test]
fn effective_area_of_the_a100_die() {
    // hand computation: A' = (sqrt(826)+0.2)^2 = 837.54; n = 70685.83/837.54 - pi*300/sqrt(1675.08)
    // = 84.397 - 23.028 = 61.37; S/n = 1151.8; Y = exp(-sqrt(0.8375)) = 0.4004; 1151.8/0.4004 = 2876.3
    let e = effective_area_mm2(826.0, &WAFER);
    assert!((e - 2876.29).abs() < 0.01, "{e}");
    let a = (826f64.sqrt() + 0.2).powi(2);
    assert!((a - 837.54).abs() < 0.01);
}

#[test]
fn the_largest_die_leaves_one_die_per_wafer() {
    let m = max_die_area_mm2(&WAFER);
    assert!((8600.0..8650.0).contains(&m), "{m}");
    let side = m.sqrt() + WAFER.kerf_mm;
    let a = side * side;
    let r = WAFER.diameter_mm / 2.0;
    let n = std::f64::consts::PI * r * r / a
        - std::f64::consts::PI * WAFER.diameter_mm / (2.0 * a).sqrt();
    assert!((n - 1.0).abs() < 1e-9, "{n}");
    assert!(effective_area_mm2(m, &WAFER) > 0.0);
    assert!(check_die_area(m, &WAFER, "d", "a die").is_ok());
    assert!(check_die_area(m * 1.001, &WAFER, "d", "a die").is_err());
    assert!(check_die_area(40000.0, &WAFER, "d", "a die").is_err());
}

#[test]
fn vram_die_of_80_gb_in_6_dies() {
    // 80 x 15.5 / 6 = 206.67 mm2 per die -> 390.53 mm2 effective (BoaviztAPI's GPU model)
    let e = effective_area_mm2(80.0 * 15.5 / 6.0, &WAFER);
    assert!((e - 390.53).abs() < 0.01, "{e}");
}

#[test]
fn cpu_of_350_mm2_by_hand() {
    let f_die = Triple {
        gwp: 0.0197,
        adp: 5.87e-9,
        pe: 0.265,
        water: None,
    };
    let f_base = Triple {
        gwp: 9.14,
        adp: 2.04e-2,
        pe: 156.0,
        water: None,
    };
    let i = cpu_impacts(Interval::exact(350.0), 1, f_die, f_base);
    // 350 x 0.0197 + 9.14 = 16.035
    assert!((i.gwp.value - 16.035).abs() < 1e-12);
    assert!((i.pe.value - (350.0 * 0.265 + 156.0)).abs() < 1e-9);
}

#[test]
fn memory_area_bounds_take_the_opposite_density() {
    let f = Triple {
        gwp: 2.2,
        adp: 0.0,
        pe: 0.0,
        water: None,
    };
    let z = Triple::default();
    let i = die_impacts(Interval::exact(32.0), Interval::new(1.0, 0.5, 2.0), 2, f, z);
    // 32/1 x 2.2 x 2 = 140.8; min 32/2 x 2.2 x 2 = 70.4; max 32/0.5 x 2.2 x 2 = 281.6
    assert!((i.gwp.value - 140.8).abs() < 1e-9);
    assert!((i.gwp.min - 70.4).abs() < 1e-9);
    assert!((i.gwp.max - 281.6).abs() < 1e-9);
}
