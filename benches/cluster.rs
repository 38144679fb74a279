//! Speed and memory of `mlca cluster` on synthetic accounting: one year of a 1,000-node
//! cluster (800 CPU nodes `cn[0001-0800]`, 200 GPU nodes `gpu[001-200]` with 4 GPUs), jobs back
//! to back on each node, a third of them sharing a node with another, 500 users in 50 accounts,
//! energy modelled (no trace). The run reads the sacct dump, attributes every node's energy,
//! computes the embodied shares with the measured AUR, and writes the per-user CSV (or, with
//! `MLCA_BENCH_BY=job`, the per-job CSV, to a file beside the data).
//!
//!   cargo bench --bench cluster                       # 1,000,000 jobs
//!   MLCA_BENCH_JOBS=10000000 cargo bench --bench cluster
//!   MLCA_BENCH_JOBS=10000000 MLCA_BENCH_BY=job cargo bench --bench cluster
//!
//! The files go to `$CARGO_TARGET_DIR/bench-data/` (or `MLCA_BENCH_DIR`) and are reused. The
//! run is in a process of its own, so that its peak memory (VmHWM) is its own.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark aborts on failure

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const NODES_CPU: u64 = 800;
const NODES_GPU: u64 = 200;
/// 2025-01-01T00:00:00 and one year of seconds.
const START: i64 = 1_735_689_600;
const YEAR_S: i64 = 365 * 86_400;

fn civil(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let s = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn hms(s: i64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Write the sacct dump of about `jobs` jobs.
fn generate(path: &Path, jobs: u64) {
    let f = std::fs::File::create(path).unwrap();
    let mut w = std::io::BufWriter::with_capacity(1 << 22, f);
    writeln!(w, "JobID|User|Account|Partition|Start|End|Elapsed|NodeList|AllocTRES|TRESUsageInTot|ConsumedEnergyRaw|State").unwrap();
    let per_node = jobs / (NODES_CPU + NODES_GPU);
    // a slot holds one whole-node job or two half-node jobs: 1.5 jobs per slot on average
    let slots = (per_node as f64 / 1.5).ceil() as i64;
    let slot_s = YEAR_S / slots.max(1);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut id = 1u64;
    for n in 0..NODES_CPU + NODES_GPU {
        let (host, cores, gpus, mem) = if n < NODES_CPU {
            (format!("cn{:04}", n + 1), 64, 0, 256)
        } else {
            (format!("gpu{:03}", n - NODES_CPU + 1), 48, 4, 512)
        };
        for s in 0..slots {
            let a = START + s * slot_s;
            let parts = if rnd() % 2 == 0 { 1 } else { 2 };
            for _ in 0..parts {
                let len = slot_s * (50 + (rnd() % 50) as i64) / 100;
                let user = rnd() % 500;
                let c = cores / parts;
                let cpu_s = len * c * (20 + (rnd() % 80) as i64) / 100;
                let g = if gpus > 0 {
                    format!(",gres/gpu={}", gpus / parts)
                } else {
                    String::new()
                };
                writeln!(
                    w,
                    "{id}|u{user:03}|acct{:02}|{}|{}|{}|{}|{host}|billing={c},cpu={c}{g},mem={}G,node=1|cpu={},energy=0,mem={}G|0|COMPLETED",
                    user % 50,
                    if gpus > 0 { "gpu" } else { "cpu" },
                    civil(a),
                    civil(a + len),
                    hms(len),
                    mem / parts,
                    hms(cpu_s),
                    mem / parts / 2,
                )
                .unwrap();
                id += 1;
            }
        }
    }
}

const INVENTORY: &str = "name: synthetic 1,000-node cluster
electricity: {country: FRA, pue: 1.3}
period: {start: \"2025-01-01T00:00:00\", end: \"2026-01-01T00:00:00\"}
infrastructure:
  - name: cpu
    hosts: cn[0001-0800]
    embodied: {gwp_kgco2eq: 1500, adp_kgsbeq: 0.1, pe_mj: 20000, source: synthetic}
    cores: 64
    memory_gb: 274.877906944
    purchase_date: \"2024-01-01\"
    lifetime_years: 5
    static_power_w: 120
    energy_model: {cpu_power_w_per_core: 4, memory_power_w_per_gb: 0.3725}
  - name: gpu
    hosts: gpu[001-200]
    embodied: {gwp_kgco2eq: 4000, adp_kgsbeq: 0.25, pe_mj: 55000, source: synthetic}
    cores: 48
    memory_gb: 549.755813888
    gpus: 4
    purchase_date: \"2024-01-01\"
    lifetime_years: 5
    static_power_w: 150
    gpu_idle_power_w: 50
    energy_model: {cpu_power_w_per_core: 5, memory_power_w_per_gb: 0.3725, gpu_power_w: 250}
";

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn child(sacct: &Path, inv: &Path, by_job: Option<&Path>) {
    let t = Instant::now();
    let data = mlca::data::ImpactData::load(None).unwrap();
    let inv = mlca::cluster::inventory::load(inv).unwrap();
    let acc = mlca::cluster::slurm::read(sacct, None).unwrap();
    let read_s = t.elapsed().as_secs_f64();
    let r = mlca::cluster::assess::assess(&inv, acc, &data, &Default::default()).unwrap();
    let written = match by_job {
        Some(out) => {
            let f = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
            mlca::output::cluster::write_csv(&r, mlca::cluster::aggregate::GroupBy::Job, f)
                .unwrap();
            std::fs::metadata(out).unwrap().len() as usize
        }
        None => mlca::output::cluster::csv(&r, mlca::cluster::aggregate::GroupBy::User)
            .unwrap()
            .len(),
    };
    println!(
        "{:.3} {:.3} {:.0} {} {:.6e}",
        t.elapsed().as_secs_f64(),
        read_s,
        peak_rss_mb(),
        r.jobs.len(),
        r.totals.energy_kwh + written as f64 * 0.0
    );
}

fn main() {
    let dir = std::env::var_os("MLCA_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("target"))
                .join("bench-data")
        });
    let jobs: u64 = std::env::var("MLCA_BENCH_JOBS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let sacct = dir.join(format!("sacct-{jobs}.txt"));
    let inv = dir.join("cluster-inventory.yaml");
    let by_job = std::env::var("MLCA_BENCH_BY").is_ok_and(|b| b == "job");
    let out = by_job.then(|| dir.join(format!("jobs-{jobs}.csv")));
    if std::env::var_os("MLCA_BENCH_CHILD").is_some() {
        child(&sacct, &inv, out.as_deref());
        return;
    }
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&inv, INVENTORY).unwrap();
    if !sacct.exists() {
        let t = Instant::now();
        let tmp = sacct.with_extension("tmp");
        generate(&tmp, jobs);
        std::fs::rename(&tmp, &sacct).unwrap();
        eprintln!(
            "generated {} in {:.1} s",
            sacct.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&sacct).unwrap().len();
    let exe = std::env::current_exe().unwrap();
    let run = Command::new(exe)
        .env("MLCA_BENCH_CHILD", "1")
        .env("MLCA_BENCH_JOBS", jobs.to_string())
        .env("MLCA_BENCH_DIR", &dir)
        .output()
        .unwrap();
    if let Some(out) = &out {
        let _ = std::fs::remove_file(out); // written again by the run, possibly not at all
    }
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let line = String::from_utf8_lossy(&run.stdout);
    let f: Vec<&str> = line.split_whitespace().collect();
    println!(
        "cluster: {} jobs ({:.0} MB of sacct), 1,000 nodes, one year, by {}: {} s in all (reading {} s), peak memory {} MB, nodes' energy {} kWh",
        f[3],
        if by_job { "job" } else { "user" },
        size as f64 / 1e6,
        f[0],
        f[1],
        f[2],
        f[4]
    );
}
