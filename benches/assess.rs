//! Speed of `mlca assess`: a cold run of the binary (process start to exit), the loading of the
//! impact data, assessments per second in-process, and the Monte Carlo with its sensitivity at
//! 1e5 and 1e6 samples (linear scaling: the ratio of the two times should be near 10).
//!
//! Run with `cargo bench --bench assess [-- PART...]`, PART one of `cold`, `load`, `assess`,
//! `ranks`, `mc` (all by default); `assess=N`, `sweep=N` or `mc=N` runs N assessments of the seed
//! scenario, N of its variants in turn, or N samples once, for a profiler
//! (`valgrind --tool=callgrind target/release/deps/assess-* assess=2000`).
//!
//! Each figure is the median of interleaved rounds, as wall time and as the CPU time of the
//! process (`/proc/self/stat`, Linux, all threads), which a loaded machine disturbs less; each
//! round lasts long enough for the CPU clock's 10 ms ticks.
//! No timing is asserted: the figures are for the README's performance section.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark aborts on failure

use mlca::data::ImpactData;
use mlca::scenario::Loaded;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SEED_SCENARIO: &str = "scenarios/jay2024-apollo-resnet50.yaml";
const BOM_SCENARIO: &str = "scenarios/apollo-6500-bom.yaml";
const MC_SCENARIO: &str = "scenarios/uncertainty/apollo-resnet50.yaml";

/// The CPU time of this process so far (all its threads, user and system), if the system says:
/// fields 14 and 15 of `/proc/self/stat`, in clock ticks of 10 ms (USER_HZ on Linux), so a
/// round should last a good part of a second.
fn process_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Wall and CPU time of one call of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let c0 = process_cpu();
    let t = Instant::now();
    let out = f();
    let wall = t.elapsed();
    let cpu = process_cpu().zip(c0).map(|(b, a)| b.saturating_sub(a));
    (out, wall, cpu)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Median wall and CPU time of rounds.
#[derive(Default)]
struct Rounds {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Rounds {
    fn push(&mut self, wall: Duration, cpu: Option<Duration>) {
        self.wall.push(wall);
        if let Some(c) = cpu {
            self.cpu.push(c);
        }
    }
    fn wall(&self) -> Duration {
        median(self.wall.clone())
    }
    /// The CPU time's median, or the wall time's where the system gives no CPU time.
    fn cpu(&self) -> Duration {
        if self.cpu.is_empty() {
            self.wall()
        } else {
            median(self.cpu.clone())
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(s: &str) -> Loaded {
    mlca::scenario::load(&root().join(s)).expect("scenario")
}

/// Cold runs of the binary, the scenarios interleaved.
fn cold() {
    let bin = env!("CARGO_BIN_EXE_mlca");
    let scenarios = [SEED_SCENARIO, BOM_SCENARIO];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); scenarios.len()];
    for _ in 0..40 {
        for (k, s) in scenarios.iter().enumerate() {
            let t = Instant::now();
            let out = Command::new(bin)
                .arg("assess")
                .arg(s)
                .current_dir(root())
                .output();
            let el = t.elapsed();
            match out {
                Ok(o) if o.status.success() => times[k].push(el),
                Ok(o) => panic!("mlca failed: {}", String::from_utf8_lossy(&o.stderr)),
                Err(e) => panic!("cannot run {bin}: {e}"),
            }
        }
    }
    println!("cold `mlca assess` (process start to exit, output discarded, 40 interleaved runs)");
    for (s, t) in scenarios.iter().zip(times) {
        let min = t.iter().min().copied().unwrap_or_default();
        println!("  {s}: median {}, min {}", ms(median(t)), ms(min));
    }
}

/// Loading the embedded data (lazily) and a `--data` folder holding every file (all read now):
/// the time of one load, from rounds of many.
fn load_data() {
    let dir = root().join("impact-data");
    let lazy = || {
        black_box(ImpactData::embedded().expect("embedded data"));
    };
    let used = || {
        let d = ImpactData::embedded().expect("embedded data");
        d.find_cpu("AMD EPYC 7763").expect("cpu");
        d.find_gpu("A100 SXM4 80GB").expect("gpu");
        d.find_node("HPE Apollo 6500 Gen10").expect("node");
        d.find_mix("FRA").expect("mix");
        black_box(d.factors().expect("factors").len());
        black_box(d.defaults().expect("defaults").len());
    };
    let every = || {
        black_box(ImpactData::load(Some(&dir)).expect("data folder"));
    };
    let cases: [(&str, usize, &dyn Fn()); 3] = [
        ("embedded, tables read when used", 2000, &lazy),
        ("embedded, then a CPU, GPU, node and mix found", 50, &used),
        (
            "--data impact-data (every file read and checked)",
            50,
            &every,
        ),
    ];
    let mut rounds: Vec<Rounds> = cases.iter().map(|_| Rounds::default()).collect();
    for _ in 0..7 {
        for (k, (_, n, f)) in cases.iter().enumerate() {
            let ((), w, c) = timed(|| (0..*n).for_each(|_| f()));
            rounds[k].push(w / *n as u32, c.map(|c| c / *n as u32));
        }
    }
    println!("loading the impact data, one load (median of 7 rounds: wall, CPU)");
    for ((what, _, _), r) in cases.iter().zip(&rounds) {
        println!("  {what}: {}, {}", ms(r.wall()), ms(r.cpu()));
    }
}

/// `n` assessments of `loaded`; the sum of their totals keeps the work from being optimised away.
fn assess_n(loaded: &Loaded, data: &ImpactData, n: usize) -> f64 {
    let mut sink = 0.0;
    for _ in 0..n {
        let r = mlca::assessment::assess(black_box(loaded), data).expect("assess");
        sink += r.impacts.total.gwp.value().map_or(0.0, |g| g.value);
    }
    sink
}

/// The seed scenario in `VARIANTS` variants, each with its own run duration, energy and PUE
/// (a sweep, as a study of the uncertain inputs or of design choices makes): no two assessed
/// in turn have the same numbers, so nothing an assessment writes from its numbers can be
/// the one before's.
const VARIANTS: usize = 64;

fn variants() -> Vec<Loaded> {
    let file = root().join(SEED_SCENARIO);
    let text = std::fs::read_to_string(&file).expect("seed scenario");
    let pick = |key: &str| {
        let at = text.find(key).expect(key) + key.len();
        let end = at + text[at..].find([' ', '\n']).expect("value end");
        (at, end)
    };
    let (d, e, p) = (pick("duration_h: "), pick("declared_kwh: "), pick("pue: "));
    assert!(
        d.1 < e.0 && e.1 < p.0,
        "the fields in the order the variants write them"
    );
    (0..VARIANTS)
        .map(|k| {
            let f = 1.0 + k as f64 / 1000.0;
            let varied = format!(
                "{}{}{}{}{}{}{}",
                &text[..d.0],
                0.4903240667 * f,
                &text[d.1..e.0],
                1.605368 * f,
                &text[e.1..p.0],
                1.0 + k as f64 / 100.0,
                &text[p.1..]
            );
            let scenario = mlca::scenario::parse(&varied, &file).expect("variant");
            Loaded {
                scenario,
                file: file.clone(),
                text: varied,
            }
        })
        .collect()
}

/// `n` assessments of `variants` in turn.
fn sweep_n(variants: &[Loaded], data: &ImpactData, n: usize) -> f64 {
    let mut sink = 0.0;
    for l in variants.iter().cycle().take(n) {
        let r = mlca::assessment::assess(black_box(l), data).expect("assess");
        sink += r.impacts.total.gwp.value().map_or(0.0, |g| g.value);
    }
    sink
}

fn assess(iterations: Option<usize>, sweep: Option<usize>) {
    let data = ImpactData::embedded().expect("embedded data");
    let scenarios = [SEED_SCENARIO, BOM_SCENARIO];
    let loaded: Vec<Loaded> = scenarios.iter().map(|s| load(s)).collect();
    let varied = variants();
    if iterations.is_some() || sweep.is_some() {
        if let Some(n) = iterations {
            black_box(assess_n(&loaded[0], &data, n));
        }
        if let Some(n) = sweep {
            black_box(sweep_n(&varied, &data, n));
        }
        return;
    }
    // warm: the tables a scenario needs are read on its first assessment
    for l in &loaded {
        black_box(assess_n(l, &data, 100));
    }
    black_box(sweep_n(&varied, &data, VARIANTS));
    let n = 100_000;
    let mut rounds: Vec<Rounds> = scenarios.iter().map(|_| Rounds::default()).collect();
    for _ in 0..7 {
        for (k, l) in loaded.iter().enumerate() {
            let (sink, w, c) = timed(|| assess_n(l, &data, n));
            black_box(sink);
            rounds[k].push(w, c);
        }
    }
    let mut swept = Rounds::default();
    for _ in 0..7 {
        let (sink, w, c) = timed(|| sweep_n(&varied, &data, n));
        black_box(sink);
        swept.push(w, c);
    }
    println!("in-process assessments, impact data loaded once (median of 7 rounds of {n})");
    let sweep_name = format!("{SEED_SCENARIO}, {VARIANTS} variants in turn");
    let names = scenarios.iter().copied().chain([sweep_name.as_str()]);
    for (s, r) in names.zip(rounds.iter().chain([&swept])) {
        let per = |d: Duration| d.as_secs_f64() / n as f64;
        println!(
            "  {s}: {:.0} assessments/s wall ({:.3} us each), {:.0}/s CPU",
            1.0 / per(r.wall()),
            per(r.wall()) * 1e6,
            1.0 / per(r.cpu())
        );
    }
}

fn monte_carlo(samples: usize, loaded: &Loaded, data: &ImpactData) {
    let opts = mlca::uncertainty::McOptions {
        samples,
        seed: 1,
        percentiles: vec![5.0, 95.0],
    };
    let r = mlca::uncertainty::assess_with(loaded, data, Some(&opts)).expect("monte carlo");
    assert!(r.monte_carlo.is_some_and(|m| !m.sensitivity.is_empty()));
}

fn mc(samples: Option<usize>) {
    let data = ImpactData::embedded().expect("embedded data");
    let loaded = load(MC_SCENARIO);
    if let Some(n) = samples {
        monte_carlo(n, &loaded, &data);
        return;
    }
    let sizes = [100_000, 1_000_000];
    let mut rounds: Vec<Rounds> = sizes.iter().map(|_| Rounds::default()).collect();
    for _ in 0..5 {
        for (k, n) in sizes.iter().enumerate() {
            let ((), w, c) = timed(|| monte_carlo(*n, &loaded, &data));
            rounds[k].push(w, c);
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    println!(
        "Monte Carlo with sensitivity, {MC_SCENARIO}, {threads} thread(s) (median of 5 rounds)"
    );
    for (n, r) in sizes.iter().zip(&rounds) {
        println!("  {n} samples: {} wall, {} CPU", ms(r.wall()), ms(r.cpu()));
    }
    let ratio = rounds[1].cpu().as_secs_f64() / rounds[0].cpu().as_secs_f64();
    println!("  CPU time of 1e6 samples over 1e5: {ratio:.2} (10 is linear)");
}

/// Spearman ranks of a million samples of each kind of input the Monte Carlo draws.
fn ranks() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let n = 1_000_000;
    let uniform: Vec<f64> = (0..n).map(|_| rng.gen_range(0.0813..0.098)).collect();
    let wide: Vec<f64> = (0..n).map(|_| rng.gen::<f64>().powi(8) * 1e6).collect();
    let ties: Vec<f64> = (0..n).map(|_| f64::from(rng.gen_range(0u8..50))).collect();
    println!("ranks of {n} samples, one series (median of 7 rounds of 10: wall, CPU)");
    for (what, x) in [
        ("uniform in [0.0813, 0.098]", &uniform),
        ("u^8 x 1e6 (many exponents)", &wide),
        ("50 distinct values", &ties),
    ] {
        let mut r = Rounds::default();
        for _ in 0..7 {
            let ((), w, c) = timed(|| {
                for _ in 0..10 {
                    black_box(mlca::uncertainty::stats::ranks(black_box(x)));
                }
            });
            r.push(w / 10, c.map(|c| c / 10));
        }
        println!("  {what}: {}, {}", ms(r.wall()), ms(r.cpu()));
    }
}

fn main() {
    // `cargo bench` passes `--bench`; the other arguments name the parts to run
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let want = |part: &str| args.is_empty() || args.iter().any(|a| a == part);
    let count = |part: &str| {
        args.iter().find_map(|a| {
            a.strip_prefix(part)?
                .strip_prefix('=')?
                .parse::<usize>()
                .ok()
        })
    };
    if want("cold") {
        cold();
    }
    if want("load") {
        load_data();
    }
    if want("assess") || count("assess").is_some() || count("sweep").is_some() {
        assess(count("assess"), count("sweep"));
    }
    if want("ranks") {
        ranks();
    }
    if want("mc") || count("mc").is_some() {
        mc(count("mc"));
    }
}
