//! Properties of the quantities: every interval operation keeps `min <= value <= max`; a time
//! printed for a report parses back to the same time, within the printed millisecond.

use mlca::quantity::interval::Interval;
use mlca::quantity::time;
use proptest::prelude::*;

/// A valid non-negative interval: min <= value <= max.
fn interval() -> impl Strategy<Value = Interval> {
    prop::collection::vec(0.0f64..1e6, 3).prop_map(|mut v| {
        v.sort_by(f64::total_cmp);
        Interval::new(v[1], v[0], v[2])
    })
}

/// A valid interval bounded away from zero (a divisor).
fn positive() -> impl Strategy<Value = Interval> {
    interval().prop_map(|i| Interval::new(i.value + 1e-3, i.min + 1e-3, i.max + 1e-3))
}

fn ordered(i: Interval) -> bool {
    i.min <= i.value && i.value <= i.max
}

proptest! {
    #[test]
    fn interval_operations_keep_the_bounds_ordered(
        a in interval(),
        b in interval(),
        d in positive(),
        k in 0.0f64..1e3,
        cap in 0.0f64..2e6,
        slope in 0.0f64..10.0,
        many in prop::collection::vec(interval(), 0..20),
    ) {
        prop_assert!(ordered(a + b), "add {a:?} {b:?}");
        prop_assert!(ordered(a.scale(k)), "scale {a:?} {k}");
        prop_assert!(ordered(a.times(b)), "times {a:?} {b:?}");
        prop_assert!(ordered(a.over(d)), "over {a:?} {d:?}");
        prop_assert!(ordered(a.cap(cap)), "cap {a:?} {cap}");
        prop_assert!(ordered(a.map_monotone(move |x| slope * x + 1.0)), "affine {a:?}");
        prop_assert!(ordered(a.map_monotone(f64::sqrt)), "sqrt {a:?}");
        prop_assert!(ordered(a.map_monotone(f64::ln_1p)), "ln_1p {a:?}");
        let s: Interval = many.iter().copied().sum();
        prop_assert!(ordered(s), "sum {many:?}");
    }

    #[test]
    fn printed_times_parse_back(t in 946_684_800.0f64..4_102_444_800.0) {
        // 2000-01-01 to 2100-01-01, printed to the millisecond
        let printed = time::format(t);
        let back = time::parse(printed.as_bytes());
        prop_assert!(back.is_some(), "{printed} does not parse");
        let back = back.map(|s| s.since(0)).unwrap_or(f64::NAN);
        prop_assert!((back - t).abs() <= 5e-4 + 1e-6, "{t} -> {printed} -> {back}");
        prop_assert_eq!(time::format(back), printed);
    }
}

#[test]
fn a_time_just_before_a_minute_prints_the_next_minute() {
    // 2025-03-02T14:00:59.9996Z rounds to 14:01:00.000, not 14:00:60.000
    assert_eq!(time::format(1_740_924_059.999_6), "2025-03-02T14:01:00.000");
}
