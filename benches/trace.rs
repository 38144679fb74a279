//! Speed and memory of the trace reader on a 10-million-row nvidia-smi log (8 GPUs at 1 Hz,
//! about 14.5 days), next to a plain polars CSV scan of the same file.
//!
//!   cargo bench --features bench-polars --bench trace
//!
//! The generator is below ([`generate`]); the file goes to `$CARGO_TARGET_DIR/bench-data/` (or
//! `MLCA_BENCH_DIR`) and is reused. `MLCA_BENCH_ROWS` changes its size. Each reader runs in a
//! process of its own, three times, so that its peak memory (VmHWM) is its own; the figures
//! printed are the medians.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark aborts on failure

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const GPUS: u64 = 8;

/// Write an nvidia-smi log of `rows` rows (`rows / 8` seconds of 8 GPUs).
fn generate(path: &Path, rows: u64) {
    let f = std::fs::File::create(path).expect("create the bench file");
    let mut w = std::io::BufWriter::with_capacity(1 << 22, f);
    writeln!(
        w,
        "timestamp, index, name, power.draw [W], utilization.gpu [%]"
    )
    .unwrap();
    let start = 1_718_182_740i64; // 2024-06-12 08:59:00 UTC
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..rows / GPUS {
        let s = start + i as i64;
        let (days, rem) = (s.div_euclid(86400), s.rem_euclid(86400));
        // civil date of `days` since 1970-01-01 (June 2024 onwards)
        let (y, m, d) = civil(days);
        let (h, mi, se) = (rem / 3600, rem % 3600 / 60, rem % 60);
        for g in 0..GPUS {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let p = 250.0 + (x % 15000) as f64 / 100.0;
            writeln!(
                w,
                "{y:04}/{m:02}/{d:02} {h:02}:{mi:02}:{se:02}.{:03}, {g}, NVIDIA A100-SXM4-80GB, {p:.2} W, {} %",
                g * 3 + 1,
                90 + x % 10
            )
            .unwrap();
        }
    }
    w.flush().unwrap();
}

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// One run in this process: print "seconds peak_mb rows energy_kwh".
fn child(mode: &str, path: &Path) {
    let t = Instant::now();
    let (rows, energy) = match mode {
        "mlca" => {
            let s = mlca::energy::trace::read(path, &mlca::energy::trace::TraceOptions::default())
                .expect("mlca reads the log");
            (s.rows, s.energy_kwh.value)
        }
        "mlca-1" => {
            let o = mlca::energy::trace::TraceOptions {
                threads: 1,
                ..Default::default()
            };
            let s = mlca::energy::trace::read(path, &o).expect("mlca reads the log");
            (s.rows, s.energy_kwh.value)
        }
        "polars" => {
            use polars::prelude::*;
            let df = LazyCsvReader::new(path.to_str().expect("utf-8 path").into())
                .with_has_header(true)
                .finish()
                .expect("scan")
                .collect()
                .expect("collect");
            (df.height() as u64, f64::NAN)
        }
        _ => panic!("unknown mode {mode}"),
    };
    println!(
        "{} {} {} {}",
        t.elapsed().as_secs_f64(),
        peak_rss_mb(),
        rows,
        energy
    );
}

fn main() {
    let dir = std::env::var_os("MLCA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("target"));
            target.join("bench-data")
        });
    let rows: u64 = std::env::var("MLCA_BENCH_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10_000_000);
    let path = dir.join(format!("nvidia-smi-{rows}.csv"));
    if let Ok(mode) = std::env::var("MLCA_BENCH_MODE") {
        child(&mode, &path);
        return;
    }
    std::fs::create_dir_all(&dir).expect("bench dir");
    if !path.exists() {
        let t = Instant::now();
        let tmp = path.with_extension("tmp");
        generate(&tmp, rows);
        std::fs::rename(&tmp, &path).expect("rename");
        println!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&path).expect("bench file").len() as f64;
    println!(
        "file: {} ({:.0} MB, {rows} rows, {} cores)",
        path.display(),
        bytes / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let exe = std::env::current_exe().expect("own path");
    let mut medians = std::collections::BTreeMap::new();
    for mode in ["polars", "mlca", "mlca-1"] {
        let mut runs: Vec<(f64, f64, String)> = Vec::new();
        for _ in 0..3 {
            let out = Command::new(&exe)
                .env("MLCA_BENCH_MODE", mode)
                .env("MLCA_BENCH_DIR", &dir)
                .env("MLCA_BENCH_ROWS", rows.to_string())
                .output()
                .expect("child");
            assert!(
                out.status.success(),
                "{mode}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let line = String::from_utf8_lossy(&out.stdout)
                .lines()
                .last()
                .unwrap_or("")
                .to_string();
            let f: Vec<&str> = line.split_whitespace().collect();
            runs.push((f[0].parse().unwrap(), f[1].parse().unwrap(), line.clone()));
        }
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (secs, peak, line) = runs[1].clone();
        let f: Vec<&str> = line.split_whitespace().collect();
        println!(
            "{mode:>7}: {secs:.3} s, {:.0} MB/s, {:.2e} rows/s, peak memory {peak:.0} MB (rows {}, energy {} kWh)",
            bytes / 1e6 / secs,
            rows as f64 / secs,
            f[2],
            f[3]
        );
        medians.insert(mode, (secs, peak));
    }
    let (p, _) = medians["polars"];
    let (m, mp) = medians["mlca"];
    println!("speed of mlca relative to the polars scan: {:.2} (bar: >= 0.5); mlca peak memory {mp:.0} MB (bar: < 1000 MB)", p / m);
}
