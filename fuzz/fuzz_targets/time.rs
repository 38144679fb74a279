//! The one timestamp parser: it never panics, and what it parses formats and parses back to
//! the same instant within a millisecond.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlca::quantity::time;

fuzz_target!(|data: &[u8]| {
    let Some(st) = time::parse(data) else {
        return;
    };
    assert!(st.frac.is_finite(), "non-finite fraction {st:?}");
    assert!(
        (0.0..1.0).contains(&st.frac),
        "fraction out of [0, 1): {st:?}"
    );
    // the instant as f64 seconds, as the readers use it
    let t = st.secs as f64 + st.frac;
    assert!(t.is_finite());
    let text = time::format(t);
    let back = time::parse(text.as_bytes())
        .unwrap_or_else(|| panic!("{st:?} formats as {text:?}, which does not parse"));
    let d = (back.secs - st.secs) as f64 + (back.frac - st.frac);
    assert!(
        d.abs() <= 1e-3 + 1e-12 * t.abs(),
        "{st:?} -> {text:?} -> {back:?}: {d} s apart"
    );
});
