//! Speed of `mlca assess`: a cold run of the binary (process start to exit) and assessments per
//! second in-process. Run with `cargo bench --bench assess`; the figures go to standard output.
//!
//! No timing is asserted: the figures are for the issue notes and the README.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark aborts on failure

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenarios = [
        "scenarios/jay2024-apollo-resnet50.yaml",
        "scenarios/apollo-6500-bom.yaml",
    ];
    let bin = env!("CARGO_BIN_EXE_mlca");

    println!("cold `mlca assess` (process start to exit, median of 30 runs, output discarded)");
    for s in scenarios {
        let mut times = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            let out = Command::new(bin)
                .arg("assess")
                .arg(s)
                .current_dir(root)
                .output();
            let el = t.elapsed();
            match out {
                Ok(o) if o.status.success() => times.push(el),
                Ok(o) => panic!("mlca failed: {}", String::from_utf8_lossy(&o.stderr)),
                Err(e) => panic!("cannot run {bin}: {e}"),
            }
        }
        let min = times.iter().min().copied().unwrap_or_default();
        println!(
            "  {s}: median {:.2} ms, min {:.2} ms",
            median(times).as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3
        );
    }

    let t = Instant::now();
    let data = mlca::data::ImpactData::embedded().expect("embedded data");
    println!(
        "loading the embedded impact data: {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    println!("in-process assessments (impact data loaded once)");
    for s in scenarios {
        let loaded = mlca::scenario::load(&root.join(s)).expect("scenario");
        let n = 20_000;
        // assess only
        let t = Instant::now();
        let mut sink = 0.0;
        for _ in 0..n {
            let r = mlca::assessment::assess(&loaded, &data).expect("assess");
            sink += r.impacts.total.gwp.value().map_or(0.0, |g| g.value);
        }
        let el = t.elapsed().as_secs_f64();
        // parse the YAML text, then assess
        let t2 = Instant::now();
        for _ in 0..n {
            let sc = mlca::scenario::parse(&loaded.text, &loaded.file).expect("parse");
            let l = mlca::scenario::Loaded {
                scenario: sc,
                file: loaded.file.clone(),
                text: loaded.text.clone(),
            };
            let r = mlca::assessment::assess(&l, &data).expect("assess");
            sink += r.impacts.total.gwp.value().map_or(0.0, |g| g.value);
        }
        let el2 = t2.elapsed().as_secs_f64();
        println!(
            "  {s}: {:.0} assessments/s ({:.2} us each); with YAML parsing {:.0}/s ({:.2} us) [{sink:.3e}]",
            n as f64 / el,
            el / n as f64 * 1e6,
            n as f64 / el2,
            el2 / n as f64 * 1e6
        );
    }

    println!("Monte Carlo (one thread; the graph is evaluated per sample)");
    for s in [
        "scenarios/uncertainty/apollo-resnet50.yaml",
        "scenarios/uncertainty/jetson-resnet50star.yaml",
    ] {
        let loaded = mlca::scenario::load(&root.join(s)).expect("scenario");
        let opts = mlca::uncertainty::McOptions {
            samples: 100_000,
            seed: 1,
            percentiles: vec![5.0, 95.0],
        };
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let r =
                mlca::uncertainty::assess_with(&loaded, &data, Some(&opts)).expect("monte carlo");
            times.push(t.elapsed());
            assert!(r.monte_carlo.is_some());
        }
        let n = loaded.scenario.infrastructure.len();
        println!(
            "  {s}: 100,000 samples in {:.1} ms median (min {:.1} ms) [{n} node kind(s)]",
            median(times.clone()).as_secs_f64() * 1e3,
            times
                .iter()
                .min()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1e3
        );
    }
}
