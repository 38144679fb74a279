//! The impact data: the fuzzed bytes become one file of a `--data` folder (the first byte
//! picks which of the data file names), then `ImpactData::load` reads the folder over the
//! embedded data. Any error is fine; a panic is not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlca::data::ImpactData;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let names: Vec<&str> = ImpactData::file_names().collect();
    let name = names[sel as usize % names.len()];
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    if std::fs::write(dir.path().join(name), body).is_err() {
        return;
    }
    if let Ok(d) = ImpactData::load(Some(dir.path())) {
        // the loaded data is used by name lookups
        let _ = d.find_gpu("A100");
        let _ = d.find_cpu("EPYC");
        let _ = d.find_node("apollo");
        let _ = d.find_mix("FRA");
    }
});
