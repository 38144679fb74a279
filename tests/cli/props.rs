//! Properties of the integration: a trace cut in two pieces gives the whole; scaling power
//! scales energy; unit conversions round-trip.

use mlca::energy::trace::integrate::{Bootstrap, Ctx, Device, Pt, Signal, Window};
use mlca::quantity::units::{joules_per, watts_per};
use proptest::prelude::*;

fn ctx() -> Ctx {
    Ctx {
        window: Window::ALL,
        idle: None,
        candidate_s: None,
        checkpoints: None,
        bootstrap: Bootstrap::KeepFirst,
    }
}

/// Strictly increasing times from positive steps, with powers.
fn trace() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((0.001f64..100.0, 0.0f64..2000.0), 2..200).prop_map(|v| {
        let mut t = 0.0;
        v.into_iter()
            .map(|(dt, p)| {
                t += dt;
                (t, p)
            })
            .collect()
    })
}

fn integrate(signal: Signal, pts: &[(f64, f64)], ctx: &Ctx) -> Device {
    let mut d = Device::new("d".into(), signal, None);
    for (i, &(t, v)) in pts.iter().enumerate() {
        d.push(
            Pt {
                t,
                v,
                row: i as u64,
            },
            ctx,
        )
        .expect("valid trace");
    }
    d
}

proptest! {
    #[test]
    fn cut_in_two_gives_the_whole(pts in trace(), cut in 0usize..200, start in 0.0f64..50.0, len in 1.0f64..5000.0) {
        let cut = cut % pts.len();
        let c = Ctx { window: Window { start, end: start + len }, idle: None, candidate_s: None, checkpoints: Some(vec![start, start + len / 3.0, start + len]), bootstrap: Bootstrap::KeepFirst };
        for signal in [Signal::Power, Signal::Delta] {
            let whole = integrate(signal, &pts, &c);
            let mut a = integrate(signal, &pts[..cut], &c);
            let b = integrate(signal, &pts[cut..], &c);
            a.merge(b, &c).expect("merge");
            // the sums are exact: the same to the bit wherever the cut
            prop_assert_eq!(a.acc.energy_j.value().to_bits(), whole.acc.energy_j.value().to_bits());
            prop_assert_eq!(a.acc.covered_s.value().to_bits(), whole.acc.covered_s.value().to_bits());
            prop_assert_eq!(a.acc.samples, whole.acc.samples);
            prop_assert_eq!(a.bins_j(), whole.bins_j());
        }
    }

    #[test]
    fn counter_cut_in_two_gives_the_whole(steps in prop::collection::vec((0.01f64..10.0, 0.0f64..1e6), 2..100), cut in 0usize..100) {
        let mut t = 0.0;
        let mut e = 0.0;
        let pts: Vec<(f64, f64)> = steps.into_iter().map(|(dt, de)| { t += dt; e += de; (t, e) }).collect();
        let cut = cut % pts.len();
        let whole = integrate(Signal::Counter, &pts, &ctx());
        let mut a = integrate(Signal::Counter, &pts[..cut], &ctx());
        a.merge(integrate(Signal::Counter, &pts[cut..], &ctx()), &ctx()).expect("merge");
        let (a, whole) = (a.acc.energy_j.value(), whole.acc.energy_j.value());
        prop_assert_eq!(a.to_bits(), whole.to_bits());
        prop_assert!((whole - (pts[pts.len() - 1].1 - pts[0].1)).abs() <= 1e-6 * whole.max(1.0));
    }

    #[test]
    fn scaling_power_scales_energy(pts in trace(), k in 0.001f64..1000.0) {
        let base = integrate(Signal::Power, &pts, &ctx()).acc.energy_j.value();
        let scaled: Vec<(f64, f64)> = pts.iter().map(|&(t, p)| (t, p * k)).collect();
        let e = integrate(Signal::Power, &scaled, &ctx()).acc.energy_j.value();
        prop_assert!((e - k * base).abs() <= 1e-9 * (k * base).abs().max(1e-12));
    }

    #[test]
    fn unit_conversions_round_trip(x in -1e9f64..1e9) {
        for u in ["W", "mW", "uW", "kW"] {
            let k = watts_per(u).expect("unit");
            prop_assert!(((x * k) / k - x).abs() <= 1e-12 * x.abs().max(1.0));
        }
        for u in ["J", "mJ", "uJ", "kJ", "MJ", "Wh", "kWh"] {
            let k = joules_per(u).expect("unit");
            prop_assert!(((x * k) / k - x).abs() <= 1e-12 * x.abs().max(1.0));
        }
        // kWh -> J -> Wh -> kWh
        let j = x * joules_per("kWh").expect("kWh");
        let wh = j / joules_per("Wh").expect("Wh");
        prop_assert!((wh / 1000.0 - x).abs() <= 1e-12 * x.abs().max(1.0));
    }
}
