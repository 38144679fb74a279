//! Training and quality logs (`read_log` in its three modes, and the training-log window).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlca::energy::extrapolate::read_training_log;
use mlca::energy::trace::{read_log, training_log_window, LogValue};
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let mut f = match tempfile::NamedTempFile::new() {
        Ok(f) => f,
        Err(e) => panic!("{e}"),
    };
    if f.write_all(body).and_then(|()| f.flush()).is_err() {
        return;
    }
    let p = f.path();
    let rows = match mode % 4 {
        0 => read_training_log(p),
        1 => read_log(p, "the training log", LogValue::Time),
        2 => read_log(p, "the quality log", LogValue::Column("accuracy")),
        _ => {
            if let Ok((a, b)) = training_log_window(p) {
                assert!(a.frac.is_finite() && b.frac.is_finite());
            }
            return;
        }
    };
    if let Ok(rows) = rows {
        for r in &rows {
            assert!(r.value.is_finite(), "non-finite log value {r:?}");
            assert!(r.t.frac.is_finite(), "non-finite time {r:?}");
        }
    }
});
