//! Exact snapshots of every output of the binary: each shipped scenario in every format, the
//! Monte Carlo and method comparisons, comparisons, statements, extrapolations, trace summaries,
//! the catalog, the electricity mixes and the help of every command. A regression harness: any
//! change of a character, of a stream or of an exit code fails.
//!
//! Each snapshot is `tests/cli/snapshots/COMMAND__INPUT__VARIANT.snap`, its header names the
//! command line; the helpers are in common.rs. Review a change with `cargo insta review`, or
//! accept every change with `INSTA_UPDATE=always cargo test` once the diffs are read.

use crate::common::*;
use std::path::{Path, PathBuf};

const ASSESS_FORMATS: [&str; 5] = ["table", "json", "csv", "markdown", "latex"];
const COMPARE_FORMATS: [&str; 5] = ["table", "json", "csv", "markdown", "latex"];
const STATEMENT_FORMATS: [&str; 3] = ["latex", "markdown", "model-card"];
const TWO_FORMATS: [&str; 2] = ["table", "json"];
const EXTRAPOLATE_METHODS: [&str; 3] = ["ols", "per-window", "carbontracker"];
const EMBODIED_METHODS: [&str; 3] = ["boavizta-2.5", "mlca-2024", "ecologits"];
const KINDS: [&str; 5] = ["cpu", "gpu", "ram", "ssd", "node"];

/// Files under DIR (relative to the repository root) whose name ends with EXT, recursively,
/// sorted, as paths relative to the root with `/`.
fn files(dir: &str, ext: &str) -> Vec<String> {
    fn walk(d: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for e in entries {
            let p = e.expect("directory entry").path();
            if p.is_dir() {
                walk(&p, ext, out);
            } else if p.extension().and_then(|x| x.to_str()) == Some(ext) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), ext, &mut out);
    let mut v: Vec<String> = out
        .iter()
        .map(|p| {
            p.strip_prefix(root())
                .expect("under the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    v.sort();
    v
}

/// Every shipped scenario.
fn scenarios() -> Vec<String> {
    files("scenarios", "yaml")
}

/// A readable, unique snapshot name part of a path: PREFIX and the extension dropped, `/` as
/// `.` (scenarios/uncertainty/apollo-resnet50.yaml -> uncertainty.apollo-resnet50).
fn slug(path: &str, prefix: &str) -> String {
    let p = path.strip_prefix(prefix).unwrap_or(path);
    let p = p.rsplit_once('.').map_or(p, |(stem, _)| stem);
    p.replace('/', ".")
}

fn case(name: String, args: &[&str]) -> (String, Vec<String>) {
    (name, args.iter().map(|a| a.to_string()).collect())
}

#[test]
fn shipped_inputs_are_the_snapshotted_ones() {
    // A scenario or a trace added or removed shows here first.
    let mut s = String::new();
    for p in scenarios()
        .into_iter()
        .chain(files("scenarios/traces", "csv"))
        .chain(files("tests/fixtures/traces", "csv"))
        .chain(files("tests/fixtures/extrapolate", "csv"))
    {
        s.push_str(&p);
        s.push('\n');
    }
    snap_text("inputs", "the inputs these snapshots cover", &s);
}

#[test]
fn assess_every_scenario_every_format() {
    let mut cases = Vec::new();
    for sc in scenarios() {
        for f in ASSESS_FORMATS {
            cases.push(case(
                format!("assess__{}__{f}", slug(&sc, "scenarios/")),
                &["assess", &sc, "--format", f],
            ));
        }
    }
    snap_runs(cases);
}

#[test]
fn assess_default_format_is_the_table() {
    let mut cases = Vec::new();
    for sc in [
        "scenarios/apollo-6500-bom.yaml",
        "tests/fixtures/valid.yaml",
    ] {
        cases.push(case(
            format!(
                "assess__{}__default",
                slug(sc, "scenarios/").replace("tests.", "")
            ),
            &["assess", sc],
        ));
    }
    snap_runs(cases);
}

#[test]
fn assess_monte_carlo() {
    let mut cases = Vec::new();
    for sc in files("scenarios/uncertainty", "yaml") {
        for f in ASSESS_FORMATS {
            cases.push(case(
                format!(
                    "assess_mc__{}__samples2000_seed7__{f}",
                    slug(&sc, "scenarios/")
                ),
                &[
                    "assess",
                    &sc,
                    "--samples",
                    "2000",
                    "--seed",
                    "7",
                    "--format",
                    f,
                ],
            ));
        }
        // other percentiles
        cases.push(case(
            format!(
                "assess_mc__{}__samples500_seed3_p10-50-90__json",
                slug(&sc, "scenarios/")
            ),
            &[
                "assess",
                &sc,
                "--samples",
                "500",
                "--seed",
                "3",
                "--percentiles",
                "10,50,90",
                "--format",
                "json",
            ],
        ));
    }
    snap_runs(cases);
}

#[test]
fn assess_compare_methods() {
    let mut cases = Vec::new();
    for sc in [
        "scenarios/apollo-6500-bom.yaml",
        "scenarios/jetson-agx-xavier-bom.yaml",
    ] {
        for f in ASSESS_FORMATS {
            cases.push(case(
                format!("assess_methods__{}__{f}", slug(sc, "scenarios/")),
                &["assess", sc, "--compare-methods", "--format", f],
            ));
        }
    }
    snap_runs(cases);
}

#[test]
fn validate_every_scenario() {
    let cases = scenarios()
        .into_iter()
        .map(|sc| {
            case(
                format!("validate__{}", slug(&sc, "scenarios/")),
                &["validate", &sc],
            )
        })
        .collect();
    snap_runs(cases);
}

/// Run ARGS with `--output DIR/NAME` and snapshot the run and the file written.
fn snap_output(snapshot: &str, args: &[&str], file_name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join(file_name);
    let mut a = args.to_vec();
    a.extend(["--output", out.to_str().expect("path")]);
    let o = run(&a);
    snap(snapshot, &o, &[dir.path()]);
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("{snapshot}: {} not written: {e}", out.display()));
    snap_text(
        &format!("{snapshot}__file"),
        &scrub(
            &format!("the file written by {}", command_line(&o.args)),
            &[dir.path()],
        ),
        &scrub(&render_file(file_name, &text), &[dir.path()]),
    );
}

#[test]
fn output_files() {
    let compare: Vec<String> = files("scenarios/compare-apollo-jetson", "yaml");
    let mut cases: Vec<Case> = Vec::new();
    for f in ASSESS_FORMATS {
        cases.push((
            format!("assess_output__apollo-6500-bom__{f}"),
            Box::new(move || {
                snap_output(
                    &format!("assess_output__apollo-6500-bom__{f}"),
                    &["assess", "scenarios/apollo-6500-bom.yaml", "--format", f],
                    "report.out",
                )
            }),
        ));
    }
    for f in COMPARE_FORMATS {
        let compare = compare.clone();
        cases.push((
            format!("compare_output__compare-apollo-jetson__{f}"),
            Box::new(move || {
                let mut a = vec!["compare"];
                a.extend(compare.iter().map(String::as_str));
                a.extend(["--format", f]);
                snap_output(
                    &format!("compare_output__compare-apollo-jetson__{f}"),
                    &a,
                    "table.out",
                )
            }),
        ));
    }
    for f in STATEMENT_FORMATS {
        cases.push((
            format!("statement_output__jay2024-apollo-resnet50__{f}"),
            Box::new(move || {
                snap_output(
                    &format!("statement_output__jay2024-apollo-resnet50__{f}"),
                    &[
                        "statement",
                        "scenarios/jay2024-apollo-resnet50.yaml",
                        "--format",
                        f,
                    ],
                    "statement.out",
                )
            }),
        ));
    }
    each_case(cases);
}

#[test]
fn compare_every_format() {
    let compare = files("scenarios/compare-apollo-jetson", "yaml");
    assert_eq!(compare.len(), 3, "{compare:?}");
    let mut cases = Vec::new();
    for f in COMPARE_FORMATS {
        let mut a = vec!["compare"];
        a.extend(compare.iter().map(String::as_str));
        a.extend(["--format", f]);
        cases.push(case(format!("compare__compare-apollo-jetson__{f}"), &a));
    }
    // the default format, and two scenarios in the other order
    let mut a = vec!["compare"];
    a.extend(compare.iter().map(String::as_str));
    cases.push(case("compare__compare-apollo-jetson__default".into(), &a));
    let reversed = [
        "compare",
        "scenarios/jay2024-apollo-resnet50.yaml",
        "scenarios/jay2024-jetson-resnet50star.yaml",
        "--format",
        "table",
    ];
    cases.push(case(
        "compare__jay2024-apollo-resnet50_jay2024-jetson-resnet50star__table".into(),
        &reversed,
    ));
    snap_runs(cases);
}

#[test]
fn statement_every_scenario_every_format() {
    let mut cases = Vec::new();
    for sc in scenarios() {
        for f in STATEMENT_FORMATS {
            cases.push(case(
                format!("statement__{}__{f}", slug(&sc, "scenarios/")),
                &["statement", &sc, "--format", f],
            ));
        }
    }
    snap_runs(cases);
}

#[test]
fn extrapolate_shipped_inputs() {
    let inputs: [(&str, &[&str]); 5] = [
        (
            "hand",
            &["tests/fixtures/extrapolate/hand.csv", "--to", "10"],
        ),
        (
            "hand_nodes4_eff0.8",
            &[
                "tests/fixtures/extrapolate/hand.csv",
                "--to",
                "10",
                "--nodes",
                "4",
                "--parallel-efficiency",
                "0.8",
            ],
        ),
        (
            "hand_to2_level0.9",
            &[
                "tests/fixtures/extrapolate/hand.csv",
                "--to",
                "2",
                "--level",
                "0.9",
            ],
        ),
        (
            "codecarbon-flush",
            &[
                "--codecarbon",
                "tests/fixtures/extrapolate/codecarbon-flush.csv",
                "--training-log",
                "tests/fixtures/extrapolate/codecarbon-log.csv",
                "--to",
                "40000",
            ],
        ),
        (
            // the run of scenarios/extrapolate-example.yaml
            "nvidia-smi-resnet50_first-20pct",
            &[
                "--trace",
                "scenarios/traces/nvidia-smi-resnet50.csv",
                "--training-log",
                "scenarios/traces/resnet50-first-20pct-log.csv",
                "--to",
                "3700",
            ],
        ),
    ];
    let mut cases = Vec::new();
    for (name, args) in inputs {
        for m in EXTRAPOLATE_METHODS {
            for f in TWO_FORMATS {
                let mut a = vec!["extrapolate"];
                a.extend_from_slice(args);
                a.extend(["--method", m, "--format", f]);
                cases.push(case(format!("extrapolate__{name}__{m}__{f}"), &a));
            }
        }
        let mut a = vec!["extrapolate"];
        a.extend_from_slice(args);
        cases.push(case(format!("extrapolate__{name}__default"), &a));
    }
    // the trace read with its format named
    cases.push(case(
        "extrapolate__nvidia-smi-resnet50_first-20pct_input-format__json".into(),
        &[
            "extrapolate",
            "--trace",
            "scenarios/traces/nvidia-smi-resnet50.csv",
            "--input-format",
            "nvidia-smi",
            "--training-log",
            "scenarios/traces/resnet50-first-20pct-log.csv",
            "--to",
            "3700",
            "--format",
            "json",
        ],
    ));
    snap_runs(cases);
}

#[test]
fn trace_summary_every_trace() {
    let mut cases = Vec::new();
    // every CSV as it is; those that need options or are not traces (training logs) give
    // their error, snapshotted too
    for t in files("scenarios/traces", "csv")
        .into_iter()
        .chain(files("tests/fixtures/traces", "csv"))
    {
        for f in TWO_FORMATS {
            cases.push(case(
                format!("trace_summary__{}__{f}", slug(&t, "tests/")),
                &["trace", "summary", &t, "--threads", "1", "--format", f],
            ));
        }
    }
    // the files that need options, with them (as tests/cli/traces.rs reads them)
    let generic = |time: &'static str,
                   tf: &'static str,
                   value: &'static str,
                   unit: &'static str,
                   kind: &'static str| {
        vec![
            "--time-column",
            time,
            "--time-format",
            tf,
            "--value-column",
            value,
            "--unit",
            unit,
            "--value-kind",
            kind,
            "--component",
            "node",
        ]
    };
    let mut power = generic("t_ms", "unix-ms", "p_mw", "mW", "power");
    power.extend(["--device-column", "dev", "--delimiter", ";"]);
    let with_options: Vec<(&str, &str, Vec<&str>)> = vec![
        (
            "kwollect",
            "metric-wattmetre",
            vec!["--metric", "wattmetre_power_watt"],
        ),
        (
            "kwollect",
            "metric-bmc",
            vec!["--metric", "bmc_node_power_watt"],
        ),
        (
            "rapl-no-range",
            "rapl-max-energy-range",
            vec!["--rapl-max-energy-range-uj", "262143328850"],
        ),
        ("generic-power", "options", power),
        (
            "generic-cumulative",
            "options",
            generic("elapsed", "elapsed-s", "kwh", "kWh", "cumulative"),
        ),
        (
            "generic-interval",
            "options",
            generic("time", "iso8601", "wh", "Wh", "interval"),
        ),
        (
            "nvidia-smi",
            "window",
            vec![
                "--start",
                "2025-03-02T14:00:20",
                "--end",
                "2025-03-02T14:01:00",
            ],
        ),
        ("nvidia-smi", "idle-power", vec!["--idle-power-w", "50"]),
        (
            "nvidia-smi",
            "idle-segment",
            vec![
                "--idle-start",
                "2025-03-02T14:00:00",
                "--idle-end",
                "2025-03-02T14:00:10",
            ],
        ),
        ("nvidia-smi", "gap-missing", vec!["--gap-policy", "missing"]),
        (
            "nvidia-smi",
            "gap-threshold",
            vec!["--gap-threshold-s", "0.5"],
        ),
    ];
    for (stem, variant, opts) in with_options {
        let path = format!("tests/fixtures/traces/{stem}.csv");
        for f in TWO_FORMATS {
            let mut a = vec!["trace", "summary", path.as_str()];
            a.extend(opts.iter().copied());
            a.extend(["--threads", "1", "--format", f]);
            cases.push(case(
                format!("trace_summary__fixtures.traces.{stem}__{variant}__{f}"),
                &a,
            ));
        }
    }
    // the shipped trace over the window of its training log
    for f in TWO_FORMATS {
        cases.push(case(
            format!("trace_summary__scenarios.traces.nvidia-smi-resnet50__training-log__{f}"),
            &[
                "trace",
                "summary",
                "scenarios/traces/nvidia-smi-resnet50.csv",
                "--training-log",
                "scenarios/traces/resnet50-training-log.csv",
                "--threads",
                "1",
                "--format",
                f,
            ],
        ));
    }
    snap_runs(cases);
}

#[test]
fn hardware_show_every_method() {
    let mut cases = Vec::new();
    for name in [
        "NVIDIA A100-SXM4-80GB",
        "AMD EPYC 7763",
        "HPE Apollo 6500 Gen10",
        "NVIDIA Jetson AGX Xavier",
        "NVIDIA DGX-1",
        "NVIDIA DGX A100",
        "NVIDIA Tesla V100-SXM2-32GB",
        "Intel Xeon E5-2698 V4",
    ] {
        let s = name.to_lowercase().replace(' ', "-");
        for m in EMBODIED_METHODS {
            for f in TWO_FORMATS {
                cases.push(case(
                    format!("hardware_show__{s}__{m}__{f}"),
                    &["hardware", "show", name, "--method", m, "--format", f],
                ));
            }
        }
    }
    // the names as the help writes them, the default method and format
    for name in [
        "Jetson AGX Xavier",
        "Apollo 6500 Gen10",
        "A100 SXM4 80GB",
        "a100-sxm4-80gb",
    ] {
        let s = name.to_lowercase().replace(' ', "-");
        cases.push(case(
            format!("hardware_show__as-written__{s}__default"),
            &["hardware", "show", name],
        ));
    }
    cases.push(case(
        "hardware_show__as-written__a100-80gb__kind-gpu".into(),
        &["hardware", "show", "A100 80GB", "--kind", "gpu"],
    ));
    snap_runs(cases);
}

#[test]
fn hardware_list_every_kind() {
    let mut cases = vec![case("hardware_list__all".into(), &["hardware", "list"])];
    for k in KINDS {
        cases.push(case(
            format!("hardware_list__{k}"),
            &["hardware", "list", "--kind", k],
        ));
    }
    snap_runs(cases);
}

#[test]
fn mix_show_and_list() {
    let cases = vec![
        case("mix_show__FRA__table".into(), &["mix", "show", "FRA"]),
        case(
            "mix_show__FRA__json".into(),
            &["mix", "show", "FRA", "--format", "json"],
        ),
        case("mix_show__WOR__table".into(), &["mix", "show", "WOR"]),
        case(
            "mix_show__WOR__json".into(),
            &["mix", "show", "WOR", "--format", "json"],
        ),
        case("mix_show__EEE__table".into(), &["mix", "show", "EEE"]),
        case(
            "mix_show__France__json".into(),
            &["mix", "show", "France", "--format", "json"],
        ),
        case("mix_show__world__table".into(), &["mix", "show", "world"]),
        case("mix_list".into(), &["mix", "list"]),
    ];
    snap_runs(cases);
}

/// The subcommands a `--help` lists under "Commands:", but `help`.
fn subcommands(path: &[String]) -> Vec<String> {
    let mut a: Vec<&str> = path.iter().map(String::as_str).collect();
    a.push("--help");
    let o = run(&a);
    assert_eq!(o.code, 0, "{a:?}: {}", o.stderr);
    o.stdout
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn help_of_every_command() {
    // every command path, found from the help itself so that a new subcommand is covered
    let mut paths: Vec<Vec<String>> = vec![vec![]];
    let mut i = 0;
    while i < paths.len() {
        let p = paths[i].clone();
        for c in subcommands(&p) {
            let mut q = p.clone();
            q.push(c);
            paths.push(q);
        }
        i += 1;
    }
    let listed: String = paths
        .iter()
        .map(|p| format!("{}\n", format!("mlca {}", p.join(" ")).trim_end()))
        .collect();
    let mut cases: Vec<Case> = vec![(
        "help__commands".into(),
        Box::new(move || snap_text("help__commands", "every command path", &listed)),
    )];
    let mut runs = Vec::new();
    for p in &paths {
        let name = if p.is_empty() {
            "mlca".to_string()
        } else {
            p.join("-")
        };
        let base: Vec<&str> = p.iter().map(String::as_str).collect();
        for (flag, v) in [("--help", "long"), ("-h", "short")] {
            let mut a = base.clone();
            a.push(flag);
            runs.push(case(format!("help__{name}__{v}"), &a));
        }
        // a command without its arguments: the usage error (or, for a group, its help)
        runs.push(case(format!("help__{name}__no-arguments"), &base));
    }
    runs.push(case("help__mlca__version".into(), &["--version"]));
    runs.push(case("help__help-assess".into(), &["help", "assess"]));
    cases.push(("help runs".into(), Box::new(move || snap_runs(runs))));
    each_case(cases);
}

/// FNV-1a, 64 bits: a PNG is pinned by its size and this hash (its SVG twin by its text).
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Snapshot what a run wrote into DIR: the list of files (PNG with size and hash), then each
/// SVG's text as `SNAPSHOT__FILE_STEM`.
fn snap_dir(snapshot: &str, dir: &Path, what: &str) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("plot directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut listing = String::new();
    for n in &names {
        let b = std::fs::read(dir.join(n)).expect("plot file");
        if n.ends_with(".svg") {
            listing.push_str(&format!(
                "{n}: {} bytes (text in its own snapshot)\n",
                b.len()
            ));
        } else {
            listing.push_str(&format!(
                "{n}: {} bytes, fnv64 {:016x}\n",
                b.len(),
                fnv64(&b)
            ));
        }
    }
    snap_text(
        &format!("{snapshot}__files"),
        &format!("the files written by {what}"),
        &listing,
    );
    for n in names.iter().filter(|n| n.ends_with(".svg")) {
        let text = std::fs::read_to_string(dir.join(n)).expect("svg");
        snap_text(
            &format!("{snapshot}__{}", n.trim_end_matches(".svg")),
            &format!("{n} written by {what}"),
            &render_file(n, &text),
        );
    }
}

/// Run ARGS with the plot directory or file written into a temporary directory (`{}` in ARGS
/// stands for it), snapshot the run and what it wrote.
fn snap_plot(snapshot: &str, args: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("path").to_string();
    let a: Vec<String> = args.iter().map(|x| x.replace("{}", &d)).collect();
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let o = run(&a);
    snap(snapshot, &o, &[dir.path()]);
    snap_dir(
        snapshot,
        dir.path(),
        &scrub(&command_line(&o.args), &[dir.path()]),
    );
}

#[test]
fn plots_every_kind() {
    let compare = files("scenarios/compare-apollo-jetson", "yaml");
    let trace = "scenarios/trace-nvidia-smi-example.yaml";
    let mut plots: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |name: &str, args: Vec<&str>| {
        plots.push((
            name.to_string(),
            args.iter().map(|a| a.to_string()).collect(),
        ))
    };
    for kind in ["radar", "impacts"] {
        for ext in ["svg", "png"] {
            let out = format!("{{}}/{kind}.{ext}");
            let mut a = vec!["plot", kind];
            a.extend(compare.iter().map(String::as_str));
            a.extend(["-o", &out]);
            add(&format!("plot__{kind}__compare-apollo-jetson__{ext}"), a);
        }
    }
    for (kind, sc) in [
        ("embodied", "scenarios/apollo-6500-bom.yaml"),
        ("embodied", "scenarios/jetson-agx-xavier-bom.yaml"),
        ("impacts", "scenarios/jay2024-apollo-resnet50.yaml"),
        ("power", trace),
        ("quality", trace),
    ] {
        for ext in ["svg", "png"] {
            let out = format!("{{}}/{kind}.{ext}");
            add(
                &format!("plot__{kind}__{}__{ext}", slug(sc, "scenarios/")),
                vec!["plot", kind, sc, "-o", &out],
            );
        }
    }
    // the plots that need what a scenario lacks: errors
    add(
        "plot__quality__apollo-6500-bom__error",
        vec![
            "plot",
            "quality",
            "scenarios/apollo-6500-bom.yaml",
            "-o",
            "{}/q.svg",
        ],
    );
    add(
        "plot__radar__one-scenario__error",
        vec![
            "plot",
            "radar",
            "scenarios/apollo-6500-bom.yaml",
            "-o",
            "{}/r.svg",
        ],
    );
    // --plot of assess, compare and extrapolate
    add(
        "assess_plot__apollo-6500-bom",
        vec!["assess", "scenarios/apollo-6500-bom.yaml", "--plot", "{}"],
    );
    add(
        "assess_plot__trace-nvidia-smi-example",
        vec!["assess", trace, "--plot", "{}"],
    );
    add(
        "assess_plot__uncertainty.apollo-resnet50__samples2000_seed7",
        vec![
            "assess",
            "scenarios/uncertainty/apollo-resnet50.yaml",
            "--samples",
            "2000",
            "--seed",
            "7",
            "--plot",
            "{}",
        ],
    );
    let mut a = vec!["compare"];
    a.extend(compare.iter().map(String::as_str));
    a.extend(["--plot", "{}"]);
    add("compare_plot__compare-apollo-jetson", a);
    add(
        "extrapolate_plot__hand",
        vec![
            "extrapolate",
            "tests/fixtures/extrapolate/hand.csv",
            "--to",
            "100",
            "--plot",
            "{}/fit.svg",
            "--plot",
            "{}/fit.png",
        ],
    );
    add(
        "extrapolate_plot__nvidia-smi-resnet50_first-20pct",
        vec![
            "extrapolate",
            "--trace",
            "scenarios/traces/nvidia-smi-resnet50.csv",
            "--training-log",
            "scenarios/traces/resnet50-first-20pct-log.csv",
            "--to",
            "3700",
            "--plot",
            "{}/fit.svg",
            "--plot",
            "{}/fit.png",
        ],
    );
    each_case(
        plots
            .into_iter()
            .map(|(name, args)| -> Case {
                (
                    name.clone(),
                    Box::new(move || {
                        let a: Vec<&str> = args.iter().map(String::as_str).collect();
                        snap_plot(&name, &a);
                    }),
                )
            })
            .collect(),
    );
}
