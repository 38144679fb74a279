//! The extrapolation points CSV (`read_points`, then `check_points` and a fit of what it read
//! with each method; the first byte picks the target's steps and method).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlca::energy::extrapolate::{check_points, extrapolate, read_points, Method, Target};
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, data)) = data.split_first() else {
        return;
    };
    let mut f = match tempfile::NamedTempFile::new() {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    if f.write_all(data).and_then(|()| f.flush()).is_err() {
        return;
    }
    if let Ok(pts) = read_points(f.path()) {
        for p in &pts {
            assert!(
                p.steps.is_finite() && p.energy_kwh.is_finite(),
                "non-finite point {p:?}"
            );
        }
        if check_points(f.path(), &pts).is_err() {
            return;
        }
        let target = Target {
            steps: [1e6, 0.0, 1.0, 1e300][(sel & 3) as usize],
            nodes: 1 + u32::from(sel >> 6),
            parallel_efficiency: 0.9,
            level: 0.95,
            method: [Method::Ols, Method::PerWindow, Method::Carbontracker]
                [(sel >> 2) as usize % 3],
            min_r2: 0.0,
        };
        if let Ok(x) = extrapolate("fuzz", &pts, &target) {
            let s = format!("{x:?}");
            assert!(
                !s.contains("NaN") && !s.contains("inf"),
                "non-finite extrapolation: {s}"
            );
        }
    }
});
