//! A scenario: bytes -> UTF-8 text -> parse -> assess with the embedded data. Any error is
//! fine; a panic or a non-finite figure in the report is not. The scenario is placed in the
//! repository's `scenarios/` folder, so that the relative trace and log paths of the seeds
//! resolve to the real example files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlca::data::ImpactData;
use mlca::scenario::{self, Loaded};
use std::path::PathBuf;
use std::sync::OnceLock;

fn data() -> &'static ImpactData {
    static DATA: OnceLock<ImpactData> = OnceLock::new();
    DATA.get_or_init(|| match ImpactData::embedded() {
        Ok(d) => d,
        Err(e) => panic!("embedded data: {e}"),
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let file = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/fuzz.yaml"
    ));
    let Ok(scenario) = scenario::parse(text, &file) else {
        return;
    };
    let loaded = Loaded {
        scenario,
        file,
        text: text.to_string(),
    };
    if let Ok(report) = mlca::assessment::assess(&loaded, data()) {
        // no figure of the report is infinite or NaN (words such as "infrastructure" are not
        // figures)
        let text = format!("{report:?}");
        let bad = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .find(|w| *w == "inf" || *w == "NaN");
        assert!(
            bad.is_none(),
            "non-finite figure ({bad:?}) in the report of:\n{}",
            loaded.text
        );
    }
});
