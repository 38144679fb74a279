//! The bad-input suite: one table of broken inputs of every kind (scenario YAML, trace files of
//! each format, training, quality and points logs, CodeCarbon files, impact data under `--data`,
//! option values, output paths) through every command. Each case must exit with code 2, name
//! its input (and the line, where the input has lines), never panic or print Rust debug output,
//! print nothing on stdout, and leave its temporary directory (its output paths, a pre-existing
//! output file) exactly as it was; its whole stderr is an exact snapshot `bad_suite__NAME`.
//!
//! The case files are under `tests/bad/` (one folder per input kind). A case marked `pending`
//! is a known bug being fixed: it is run and its current result printed, it does not fail the
//! test, and it has no snapshot. Every failing case is listed in one assertion message.
//!
//! Once a pending bug is fixed: remove the case's `.pending(...)`, run
//! `INSTA_UPDATE=always cargo test --test cli bad_suite`, and read the new snapshot
//! `tests/cli/snapshots/bad_suite__NAME.snap` before committing it. The output ends with
//! "N pending cases, M of them pass now" (run with `-- --nocapture` to see it).

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One bad input.
struct Case {
    name: &'static str,
    /// The arguments, split on spaces; `{tmp}` is the case's temporary directory and `^` a space
    /// inside one argument.
    args: &'static str,
    /// What stderr must contain to locate the error: `file:LINE`, a file name, or an option.
    at: &'static str,
    /// Further words the message must contain.
    words: &'static [&'static str],
    /// Words the message must not contain (what a pending fix removes).
    not: &'static [&'static str],
    /// A known bug, with what is expected once it is fixed.
    pending: Option<&'static str>,
    /// Files created in `{tmp}` before the run (name, content): a pre-existing output file
    /// must stay as it was.
    pre: &'static [(&'static str, &'static str)],
    /// Repository files copied into `{tmp}` before the run (source, name).
    copy: &'static [(&'static str, &'static str)],
}

const fn c(name: &'static str, args: &'static str, at: &'static str) -> Case {
    Case {
        name,
        args,
        at,
        words: &[],
        not: &[],
        pending: None,
        pre: &[],
        copy: &[],
    }
}

impl Case {
    const fn words(mut self, w: &'static [&'static str]) -> Self {
        self.words = w;
        self
    }
    const fn not(mut self, w: &'static [&'static str]) -> Self {
        self.not = w;
        self
    }
    // no case is pending today; the next known bug is marked with it
    #[allow(dead_code)]
    const fn pending(mut self, why: &'static str) -> Self {
        self.pending = Some(why);
        self
    }
    const fn pre(mut self, files: &'static [(&'static str, &'static str)]) -> Self {
        self.pre = files;
        self
    }
    const fn copy(mut self, files: &'static [(&'static str, &'static str)]) -> Self {
        self.copy = files;
        self
    }
}

/// Every file under `dir` with its bytes (a directory as `None`).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut m = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable temp dir") {
            let p = e.expect("dir entry").path();
            let rel = p.strip_prefix(dir).expect("under dir").to_path_buf();
            if p.is_dir() {
                m.insert(rel, None);
                stack.push(p);
            } else {
                m.insert(rel, Some(std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    m
}

/// Run `mlca ARGS` with a time limit: a hang is a failure, not a stuck test.
fn run_limited(args: &[String]) -> Out {
    let o = mlca()
        .args(args)
        .timeout(Duration::from_secs(10))
        .output()
        .expect("mlca runs");
    Out {
        args: args.to_vec(),
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Debug output of Rust values, which a user must never see.
fn rust_debug(stderr: &str) -> Option<String> {
    for w in [
        "panicked",
        "RUST_BACKTRACE",
        "Some(",
        "Ok(",
        "Err(",
        "Interval",
        "UnixS",
        "struct ",
        "enum ",
        " i64",
        " u64",
        " f64",
        " i32",
        " u32",
        "usize",
    ] {
        if stderr.contains(w) {
            return Some(w.to_string());
        }
    }
    // `None` as a word, and a CamelCase name followed by ` {` or `(` (a derived Debug).
    let words: Vec<&str> = stderr
        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '{' || ch == '('))
        .collect();
    for w in words {
        if w == "None" {
            return Some(w.to_string());
        }
    }
    let b = stderr.as_bytes();
    for (i, _) in stderr.match_indices(" {").chain(stderr.match_indices("(")) {
        let start = b[..i]
            .iter()
            .rposition(|ch| !ch.is_ascii_alphanumeric())
            .map_or(0, |p| p + 1);
        let word = &stderr[start..i];
        let uppers = word.chars().filter(char::is_ascii_uppercase).count();
        if word.len() > 3
            && word.starts_with(|ch: char| ch.is_ascii_uppercase())
            && uppers >= 2
            && word.chars().any(|ch| ch.is_ascii_lowercase())
            && word.chars().all(|ch| ch.is_ascii_alphanumeric())
        {
            return Some(word.to_string());
        }
    }
    None
}

/// Run one case: its output and the list of what is wrong with it.
fn check(case: &Case) -> (Out, Vec<String>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let tmp = dir.path().to_str().expect("UTF-8 temp path").to_string();
    for (name, text) in case.pre {
        write(dir.path(), name, text);
    }
    for (src, name) in case.copy {
        std::fs::copy(root().join(src), dir.path().join(name)).expect("copy");
    }
    let args: Vec<String> = case
        .args
        .split(' ')
        .filter(|a| !a.is_empty())
        .map(|a| a.replace("{tmp}", &tmp).replace('^', " "))
        .collect();
    let before = tree(dir.path());
    let o = run_limited(&args);
    let mut bad = Vec::new();
    if o.code != 2 {
        bad.push(format!("exit code {} (want 2)", o.code));
    }
    if !o.stdout.is_empty() {
        bad.push(format!("stdout not empty: {:?}", first_line(&o.stdout)));
    }
    if !o.stderr.contains(case.at) {
        bad.push(format!("stderr does not name {:?}", case.at));
    }
    for w in case.words {
        if !o.stderr.contains(w) {
            bad.push(format!("stderr lacks {w:?}"));
        }
    }
    for w in case.not {
        if o.stderr.contains(w) {
            bad.push(format!("stderr contains {w:?}"));
        }
    }
    if let Some(w) = rust_debug(&o.stderr) {
        bad.push(format!("Rust debug output or a panic in stderr: {w:?}"));
    }
    if o.stderr.lines().count() > 30 {
        bad.push(format!("stderr has {} lines", o.stderr.lines().count()));
    }
    let after = tree(dir.path());
    if after != before {
        let changed: Vec<String> = after
            .keys()
            .chain(before.keys())
            .filter(|k| after.get(*k) != before.get(*k))
            .map(|k| k.display().to_string())
            .collect();
        bad.push(format!("files changed in the temp dir: {changed:?}"));
    }
    (o, bad, dir)
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| l.contains("error") || l.contains(':'))
        .or_else(|| s.lines().next())
        .unwrap_or("")
}

#[test]
fn bad_suite() {
    let cases = cases();
    let mut names = std::collections::HashSet::new();
    for case in &cases {
        assert!(names.insert(case.name), "two cases named {}", case.name);
    }
    let mut failures = Vec::new();
    let mut pending = Vec::new();
    for case in &cases {
        let (o, bad, dir) = check(case);
        if let Some(why) = case.pending {
            let line = first_line(&o.stderr);
            let state = if bad.is_empty() {
                "passes now"
            } else {
                "fails"
            };
            pending.push(format!(
                "  {} ({state}): exit {}, {:?}; once fixed: {why}",
                case.name, o.code, line
            ));
            continue;
        }
        let snapped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            snap(&format!("bad_suite__{}", case.name), &o, &[dir.path()]);
        }));
        let mut bad = bad;
        if snapped.is_err() {
            bad.push("snapshot differs".to_string());
        }
        if !bad.is_empty() {
            failures.push(format!(
                "{}: {}\n    mlca {}\n    stderr: {}",
                case.name,
                bad.join("; "),
                case.args,
                o.stderr.trim_end().replace('\n', "\n            ")
            ));
        }
    }
    println!("{} cases, {} pending cases:", cases.len(), pending.len());
    for p in &pending {
        println!("{p}");
    }
    let fixed = pending
        .iter()
        .filter(|p| p.contains("(passes now)"))
        .count();
    println!(
        "{} pending cases, {fixed} of them pass now (remove their `pending`)",
        pending.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} bad-input case(s) failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn cases() -> Vec<Case> {
    vec![
        // ---- scenario YAML: syntax, unknown keys, types, numbers, distributions, names,
        // missing and contradictory sections, file references (tests/bad/scenario/)
        c("syn_tab", "validate tests/bad/scenario/syn-tab.yaml", "syn-tab.yaml:16"),
        c("syn_unclosed_double_quote", "assess tests/bad/scenario/syn-unclosed-double-quote.yaml --format json -o {tmp}/out.json", "syn-unclosed-double-quote.yaml:2"),
        c("syn_unclosed_single_quote", "statement tests/bad/scenario/syn-unclosed-single-quote.yaml -o {tmp}/statement.md", "syn-unclosed-single-quote.yaml:20").words(&["line 15"]),
        c("syn_bom", "validate tests/bad/scenario/syn-bom.yaml", "syn-bom.yaml:16"),
        c("syn_non_utf8", "assess tests/bad/scenario/syn-non-utf8.yaml --format json -o {tmp}/out.json", "syn-non-utf8.yaml:2"),
        c("syn_crlf_unknown_key", "validate tests/bad/scenario/syn-crlf-unknown-key.yaml", "syn-crlf-unknown-key.yaml:16").words(&["peu"]),
        c("syn_duplicate_section", "assess tests/bad/scenario/syn-duplicate-section.yaml --format json -o {tmp}/out.json", "syn-duplicate-section.yaml:20").words(&["duplicate"]),
        c("syn_duplicate_key_nested", "validate tests/bad/scenario/syn-duplicate-key-nested.yaml", "syn-duplicate-key-nested.yaml:17").words(&["duplicate"]),
        c("syn_empty", "assess tests/bad/scenario/syn-empty.yaml --format json -o {tmp}/out.json", "syn-empty.yaml"),
        c("syn_only_comments", "validate tests/bad/scenario/syn-only-comments.yaml", "syn-only-comments.yaml"),
        c("syn_list_top", "assess tests/bad/scenario/syn-list-top.yaml --format json -o {tmp}/out.json", "syn-list-top.yaml:1"),
        c("syn_scalar_top", "statement tests/bad/scenario/syn-scalar-top.yaml -o {tmp}/statement.md", "syn-scalar-top.yaml:1"),
        c("syn_flow_unclosed", "validate tests/bad/scenario/syn-flow-unclosed.yaml", "syn-flow-unclosed.yaml:8"),
        c("syn_bad_indent", "assess tests/bad/scenario/syn-bad-indent.yaml --format json -o {tmp}/out.json", "syn-bad-indent.yaml:16"),
        c("syn_undefined_alias", "validate tests/bad/scenario/syn-undefined-alias.yaml", "syn-undefined-alias.yaml:15"),
        c("syn_two_documents", "assess tests/bad/scenario/syn-two-documents.yaml --format json -o {tmp}/out.json", "syn-two-documents.yaml:20"),
        c("syn_nul_bytes", "validate tests/bad/scenario/syn-nul-bytes.yaml", "syn-nul-bytes.yaml"),
        c("syn_colon_in_value", "statement tests/bad/scenario/syn-colon-in-value.yaml -o {tmp}/statement.md", "syn-colon-in-value.yaml:15"),
        c("unk_top", "assess tests/bad/scenario/unk-top.yaml --format json -o {tmp}/out.json", "unk-top.yaml:17").words(&["did you mean"]),
        c("unk_functional_unit", "validate tests/bad/scenario/unk-functional-unit.yaml", "unk-functional-unit.yaml:3").words(&["quality_target"]),
        c("unk_infrastructure", "assess tests/bad/scenario/unk-infrastructure.yaml --format json -o {tmp}/out.json", "unk-infrastructure.yaml:5"),
        c("unk_bom", "statement tests/bad/scenario/unk-bom.yaml -o {tmp}/statement.md", "unk-bom.yaml:7"),
        c("unk_bom_gpu", "validate tests/bad/scenario/unk-bom-gpu.yaml", "unk-bom-gpu.yaml:9"),
        c("unk_run", "assess tests/bad/scenario/unk-run.yaml --format json -o {tmp}/out.json", "unk-run.yaml:11"),
        c("unk_energy", "validate tests/bad/scenario/unk-energy.yaml", "unk-energy.yaml:13"),
        c("unk_electricity", "assess tests/bad/scenario/unk-electricity.yaml --format json -o {tmp}/out.json", "unk-electricity.yaml:15"),
        c("unk_allocation", "statement tests/bad/scenario/unk-allocation.yaml -o {tmp}/statement.md", "unk-allocation.yaml:18"),
        c("unk_comparison", "validate tests/bad/scenario/unk-comparison.yaml", "unk-comparison.yaml:21"),
        c("unk_criterion", "assess tests/bad/scenario/unk-criterion.yaml --format json -o {tmp}/out.json", "unk-criterion.yaml:22"),
        c("unk_bounds_criterion", "validate tests/bad/scenario/unk-bounds-criterion.yaml", "unk-bounds-criterion.yaml:22"),
        c("unk_tdp_item", "assess tests/bad/scenario/unk-tdp-item.yaml --format json -o {tmp}/out.json", "unk-tdp-item.yaml:14"),
        c("unk_trace_entry", "validate tests/bad/scenario/unk-trace-entry.yaml", "unk-trace-entry.yaml:12"),
        c("unk_trace_option", "assess tests/bad/scenario/unk-trace-option.yaml --format json -o {tmp}/out.json", "unk-trace-option.yaml:13"),
        c("unk_extrapolated", "validate tests/bad/scenario/unk-extrapolated.yaml", "unk-extrapolated.yaml:10"),
        c("unk_phase", "assess tests/bad/scenario/unk-phase.yaml --format json -o {tmp}/out.json", "unk-phase.yaml:12"),
        c("unk_distribution_key", "validate tests/bad/scenario/unk-distribution-key.yaml", "unk-distribution-key.yaml:16"),
        c("unk_factors", "assess tests/bad/scenario/unk-factors.yaml --format json -o {tmp}/out.json", "unk-factors.yaml:16"),
        c("unk_embodied", "validate tests/bad/scenario/unk-embodied.yaml", "unk-embodied.yaml:6"),
        c("unk_ram", "statement tests/bad/scenario/unk-ram.yaml -o {tmp}/statement.md", "unk-ram.yaml:11"),
        c("unk_catalog_override", "validate tests/bad/scenario/unk-catalog-override.yaml", "unk-catalog-override.yaml:7"),
        c("ty_nodes_string", "assess tests/bad/scenario/ty-nodes-string.yaml --format json -o {tmp}/out.json", "ty-nodes-string.yaml:5"),
        c("ty_units_list", "validate tests/bad/scenario/ty-units-list.yaml", "ty-units-list.yaml:9"),
        c("ty_pue_string", "assess tests/bad/scenario/ty-pue-string.yaml --format json -o {tmp}/out.json", "ty-pue-string.yaml:16"),
        c("ty_name_list", "statement tests/bad/scenario/ty-name-list.yaml -o {tmp}/statement.md", "ty-name-list.yaml:2"),
        c("ty_infrastructure_map", "validate tests/bad/scenario/ty-infrastructure-map.yaml", "ty-infrastructure-map.yaml:4"),
        c("ty_energy_scalar", "assess tests/bad/scenario/ty-energy-scalar.yaml --format json -o {tmp}/out.json", "ty-energy-scalar.yaml:12"),
        c("ty_declared_value_text", "validate tests/bad/scenario/ty-declared-value-text.yaml", "ty-declared-value-text.yaml:13"),
        c("ty_duration_bool", "assess tests/bad/scenario/ty-duration-bool.yaml --format json -o {tmp}/out.json", "ty-duration-bool.yaml:11"),
        c("ty_lifetime_null", "statement tests/bad/scenario/ty-lifetime-null.yaml -o {tmp}/statement.md", "ty-lifetime-null.yaml:18"),
        c("ty_section_null", "validate tests/bad/scenario/ty-section-null.yaml", "ty-section-null.yaml:15"),
        c("ty_assembly_text", "assess tests/bad/scenario/ty-assembly-text.yaml --format json -o {tmp}/out.json", "ty-assembly-text.yaml:10"),
        c("ty_gpus_map", "validate tests/bad/scenario/ty-gpus-map.yaml", "ty-gpus-map.yaml:8"),
        c("ty_count_text", "assess tests/bad/scenario/ty-count-text.yaml --format json -o {tmp}/out.json", "ty-count-text.yaml:3"),
        c("ty_criteria_map", "validate tests/bad/scenario/ty-criteria-map.yaml", "ty-criteria-map.yaml:21"),
        c("num_declared_negative", "assess tests/bad/scenario/num-declared-negative.yaml --format json -o {tmp}/out.json", "num-declared-negative.yaml:13"),
        c("num_declared_nan", "validate tests/bad/scenario/num-declared-nan.yaml", "num-declared-nan.yaml:13"),
        c("num_declared_inf", "assess tests/bad/scenario/num-declared-inf.yaml --format json -o {tmp}/out.json", "num-declared-inf.yaml:13"),
        c("num_declared_1e400", "statement tests/bad/scenario/num-declared-1e400.yaml -o {tmp}/statement.md", "num-declared-1e400.yaml:13"),
        c("num_declared_1e308", "assess tests/bad/scenario/num-declared-1e308.yaml --format json -o {tmp}/out.json", "num-declared-1e308.yaml:13"),
        c("num_duration_zero", "validate tests/bad/scenario/num-duration-zero.yaml", "num-duration-zero.yaml:11"),
        c("num_duration_negative", "assess tests/bad/scenario/num-duration-negative.yaml --format json -o {tmp}/out.json", "num-duration-negative.yaml:11"),
        c("num_pue_below_one", "validate tests/bad/scenario/num-pue-below-one.yaml", "num-pue-below-one.yaml:16"),
        c("num_pue_nan", "assess tests/bad/scenario/num-pue-nan.yaml --format json -o {tmp}/out.json", "num-pue-nan.yaml:16"),
        c("num_pue_range_below_one", "statement tests/bad/scenario/num-pue-range-below-one.yaml -o {tmp}/statement.md", "num-pue-range-below-one.yaml:16"),
        c("num_aur_above_one", "assess tests/bad/scenario/num-aur-above-one.yaml --format json -o {tmp}/out.json", "num-aur-above-one.yaml:19"),
        c("num_aur_zero", "validate tests/bad/scenario/num-aur-zero.yaml", "num-aur-zero.yaml:19"),
        c("num_lifetime_inf", "assess tests/bad/scenario/num-lifetime-inf.yaml --format json -o {tmp}/out.json", "num-lifetime-inf.yaml:18"),
        c("num_nodes_zero", "validate tests/bad/scenario/num-nodes-zero.yaml", "num-nodes-zero.yaml:5"),
        c("num_nodes_fraction", "assess tests/bad/scenario/num-nodes-fraction.yaml --format json -o {tmp}/out.json", "num-nodes-fraction.yaml:5"),
        c("num_nodes_negative", "statement tests/bad/scenario/num-nodes-negative.yaml -o {tmp}/statement.md", "num-nodes-negative.yaml:5"),
        c("num_units_zero", "validate tests/bad/scenario/num-units-zero.yaml", "num-units-zero.yaml:9"),
        c("num_units_fraction", "assess tests/bad/scenario/num-units-fraction.yaml --format json -o {tmp}/out.json", "num-units-fraction.yaml:9"),
        c("num_count_zero", "validate tests/bad/scenario/num-count-zero.yaml", "num-count-zero.yaml:3"),
        c("num_count_fraction", "assess tests/bad/scenario/num-count-fraction.yaml --format json -o {tmp}/out.json", "num-count-fraction.yaml:3"),
        c("num_count_negative", "statement tests/bad/scenario/num-count-negative.yaml -o {tmp}/statement.md", "num-count-negative.yaml:3"),
        c("miss_devices_power", "assess tests/bad/scenario/miss-devices-power.yaml --format json -o {tmp}/out.json", "miss-devices-power.yaml:14").words(&["energy.devices[0]", "without a power", "power_w"]),
        c("miss_devices_units_duration", "validate tests/bad/scenario/miss-devices-units-duration.yaml", "miss-devices-units-duration.yaml:12").words(&["energy.devices[0].units", "run.duration_h"]),
        c("contra_devices_time_twice", "validate tests/bad/scenario/contra-devices-time-twice.yaml", "contra-devices-time-twice.yaml:14").words(&["energy.devices[0].gpu_hours", "twice"]),
        c("name_tdp_model", "assess tests/bad/scenario/name-tdp-model.yaml --format json -o {tmp}/out.json", "name-tdp-model.yaml:14").words(&["energy.tdp[0].model", "unknown GPU", "did you mean", "NVIDIA A100 SXM4 80GB"]),
        c("num_overhead_negative", "validate tests/bad/scenario/num-overhead-negative.yaml", "num-overhead-negative.yaml:14").words(&["energy.overhead.factor", "1 or more"]),
        c("name_instance", "assess tests/bad/scenario/name-instance.yaml --format json -o {tmp}/out.json", "name-instance.yaml:6").words(&["infrastructure[0].instance", "unknown cloud instance", "did you mean", "aws p4d.24xlarge"]),
        c("num_tdp_usage_above_one", "validate tests/bad/scenario/num-tdp-usage-above-one.yaml", "num-tdp-usage-above-one.yaml:14"),
        c("num_tdp_negative", "assess tests/bad/scenario/num-tdp-negative.yaml --format json -o {tmp}/out.json", "num-tdp-negative.yaml:14"),
        c("num_die_area_40000", "assess tests/bad/scenario/num-die-area-40000.yaml --format json -o {tmp}/out.json", "num-die-area-40000.yaml:8"),
        c("num_die_area_negative", "validate tests/bad/scenario/num-die-area-negative.yaml", "num-die-area-negative.yaml:8"),
        c("num_min_above_max", "assess tests/bad/scenario/num-min-above-max.yaml --format json -o {tmp}/out.json", "num-min-above-max.yaml:13"),
        c("num_value_outside_range", "validate tests/bad/scenario/num-value-outside-range.yaml", "num-value-outside-range.yaml:13"),
        c("num_factor_negative", "statement tests/bad/scenario/num-factor-negative.yaml -o {tmp}/statement.md", "num-factor-negative.yaml:16"),
        c("num_ram_capacity_zero", "assess tests/bad/scenario/num-ram-capacity-zero.yaml --format json -o {tmp}/out.json", "num-ram-capacity-zero.yaml:11"),
        c("num_embodied_negative", "validate tests/bad/scenario/num-embodied-negative.yaml", "num-embodied-negative.yaml:6"),
        c("num_meter_factor_zero", "assess tests/bad/scenario/num-meter-factor-zero.yaml --format json -o {tmp}/out.json", "num-meter-factor-zero.yaml:13"),
        c("num_idle_power_negative", "validate tests/bad/scenario/num-idle-power-negative.yaml", "num-idle-power-negative.yaml:13"),
        c("num_target_steps_zero", "assess tests/bad/scenario/num-target-steps-zero.yaml --format json -o {tmp}/out.json", "num-target-steps-zero.yaml:12"),
        c("num_parallel_efficiency_above_one", "validate tests/bad/scenario/num-parallel-efficiency-above-one.yaml", "num-parallel-efficiency-above-one.yaml:10"),
        c("num_quality_target_nan", "assess tests/bad/scenario/num-quality-target-nan.yaml --format json -o {tmp}/out.json", "num-quality-target-nan.yaml:3"),
        c("num_declared_hex_text", "validate tests/bad/scenario/num-declared-hex-text.yaml", "num-declared-hex-text.yaml:13"),
        c("dist_sd_zero", "assess tests/bad/scenario/dist-sd-zero.yaml --format json -o {tmp}/out.json", "dist-sd-zero.yaml:13"),
        c("dist_sd_negative", "validate tests/bad/scenario/dist-sd-negative.yaml", "dist-sd-negative.yaml:13"),
        c("dist_triangular_min_above_max", "assess tests/bad/scenario/dist-triangular-min-above-max.yaml --format json -o {tmp}/out.json", "dist-triangular-min-above-max.yaml:18"),
        c("dist_lognormal_at_zero", "statement tests/bad/scenario/dist-lognormal-at-zero.yaml -o {tmp}/statement.md", "dist-lognormal-at-zero.yaml:13"),
        c("dist_lognormal_value_zero", "validate tests/bad/scenario/dist-lognormal-value-zero.yaml", "dist-lognormal-value-zero.yaml:11"),
        c("dist_unknown", "assess tests/bad/scenario/dist-unknown.yaml --format json -o {tmp}/out.json", "dist-unknown.yaml:13").words(&["normal"]).not(&["sd is given with a gaussian"]),
        c("dist_unknown_without_sd", "statement tests/bad/scenario/dist-unknown-without-sd.yaml -o {tmp}/statement.md", "dist-unknown-without-sd.yaml:13").words(&["gaussian"]),
        c("dist_normal_without_sd", "validate tests/bad/scenario/dist-normal-without-sd.yaml", "dist-normal-without-sd.yaml:16"),
        c("dist_triangular_without_bounds", "assess tests/bad/scenario/dist-triangular-without-bounds.yaml --format json -o {tmp}/out.json", "dist-triangular-without-bounds.yaml:16"),
        c("dist_sd_nan", "statement tests/bad/scenario/dist-sd-nan.yaml -o {tmp}/statement.md", "dist-sd-nan.yaml:13"),
        c("dist_uniform_without_bounds", "validate tests/bad/scenario/dist-uniform-without-bounds.yaml", "dist-uniform-without-bounds.yaml:13"),
        c("dist_fixed_with_sd", "assess tests/bad/scenario/dist-fixed-with-sd.yaml --format json -o {tmp}/out.json", "dist-fixed-with-sd.yaml:13"),
        c("dist_range_without_value", "validate tests/bad/scenario/dist-range-without-value.yaml", "dist-range-without-value.yaml:13"),
        c("name_gpu", "assess tests/bad/scenario/name-gpu.yaml --format json -o {tmp}/out.json", "name-gpu.yaml:8").words(&["A100"]),
        c("name_gpu_ambiguous", "validate tests/bad/scenario/name-gpu-ambiguous.yaml", "name-gpu-ambiguous.yaml:8"),
        c("name_cpu", "assess tests/bad/scenario/name-cpu.yaml --format json -o {tmp}/out.json", "name-cpu.yaml:11"),
        c("name_node", "statement tests/bad/scenario/name-node.yaml -o {tmp}/statement.md", "name-node.yaml:6").words(&["Apollo 6500"]),
        c("name_country", "validate tests/bad/scenario/name-country.yaml", "name-country.yaml:15").words(&["FRA"]),
        c("name_country_name", "assess tests/bad/scenario/name-country-name.yaml --format json -o {tmp}/out.json", "name-country-name.yaml:15"),
        c("name_cloud_region", "assess tests/bad/scenario/name-cloud-region.yaml --format json -o {tmp}/out.json", "name-cloud-region.yaml:15").words(&["electricity.cloud_region", "did you mean aws us-east-1"]),
        c("name_cloud_provider", "validate tests/bad/scenario/name-cloud-provider.yaml", "name-cloud-provider.yaml:15").words(&["unknown cloud provider \"amazon\"", "aws"]),
        c("name_country_without_mix", "validate tests/bad/scenario/name-country-without-mix.yaml", "name-country-without-mix.yaml:15").words(&["Antarctica (ATA) has no electricity mix", "electricity.factors"]),
        c("contra_country_and_cloud_region", "assess tests/bad/scenario/contra-country-and-cloud-region.yaml", "contra-country-and-cloud-region.yaml:16").words(&["given twice"]),
        c("name_mix_cloud_region", "mix show aws^us-est-1", "aws us-est-1").words(&["did you mean aws us-east-1"]),
        // ---- intensity series (time-varying electricity): the file, the run's times and zones
        c("intensity_empty", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/empty.csv", "empty.csv:1").words(&["empty"]),
        c("intensity_semicolons", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/semicolons.csv", "semicolons.csv:1").words(&["delimiter"]),
        c("intensity_header_only", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/header-only.csv", "header-only.csv:2"),
        c("intensity_truncated", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/truncated.csv --format json -o {tmp}/out.json", "truncated.csv:3"),
        c("intensity_backwards", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/backwards.csv", "backwards.csv:4").words(&["go back"]),
        c("intensity_no_run_start", "validate tests/bad/scenario/intensity-no-start.yaml", "intensity-no-start.yaml:7").words(&["run.start"]),
        c("intensity_duplicate_time", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/duplicate.csv", "duplicate.csv:3").words(&["duplicate time"]),
        c("intensity_negative", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/negative.csv", "negative.csv:3").words(&["-40"]),
        c("intensity_text", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/text.csv", "text.csv:3").words(&["\"high\""]),
        c("intensity_no_zone", "assess tests/fixtures/valid.yaml --intensity tests/bad/intensity/no-zone.csv", "no-zone.csv:2").words(&["carries no zone", "time_zone"]),
        c("intensity_gap_trace", "assess tests/bad/scenario/intensity-gap.yaml --format json -o {tmp}/out.json", "intensity-gap.yaml:15").words(&["2024-06-12T13:00:00Z to 2024-06-12T13:30:00Z is after the series ends"]),
        c("intensity_gap_declared", "statement tests/bad/scenario/intensity-declared-gap.yaml -o {tmp}/s.md", "intensity-declared-gap.yaml:15").words(&["2024-06-12T05:00:00Z to 2024-06-12T06:00:00Z"]),
        c("intensity_trace_no_zone", "assess tests/bad/scenario/intensity-trace-no-zone.yaml", "intensity-trace-no-zone.yaml:11").words(&["run_time_zone"]),
        c("intensity_run_no_zone", "assess tests/bad/scenario/intensity-run-no-zone.yaml", "intensity-run-no-zone.yaml:9").words(&["carries no zone"]),
        c("intensity_bad_zone", "validate tests/bad/scenario/intensity-bad-zone.yaml", "intensity-bad-zone.yaml:15").words(&["Mars/Olympus"]),
        c("opt_run_time_zone_bad", "assess tests/fixtures/intensity/declared-shift.yaml --run-time-zone Mars/Base", "--run-time-zone").words(&["unknown time zone"]),
        c("opt_intensity_basis_alone", "assess tests/fixtures/valid.yaml --intensity-basis direct", "--intensity-basis").words(&["--intensity"]),
        c("opt_intensity_basis_on_plain", "assess tests/fixtures/intensity/declared-shift.yaml --intensity-basis direct", "--intensity-basis").words(&["Electricity Maps"]),
        c("opt_best_start_without_unit", "assess tests/fixtures/intensity/declared-shift.yaml --best-start-within 24", "--best-start-within").words(&["unit"]),
        c("opt_intensity_missing_file", "assess tests/fixtures/valid.yaml --intensity {tmp}/nope.csv", "nope.csv"),
        c("name_embodied_method", "validate tests/bad/scenario/name-embodied-method.yaml", "name-embodied-method.yaml:20").words(&["boavizta-2.5"]),
        c("name_ram_manufacturer", "assess tests/bad/scenario/name-ram-manufacturer.yaml --format json -o {tmp}/out.json", "name-ram-manufacturer.yaml:11"),
        c("name_tdp_component", "statement tests/bad/scenario/name-tdp-component.yaml -o {tmp}/statement.md", "name-tdp-component.yaml:14"),
        c("name_case", "validate tests/bad/scenario/name-case.yaml", "name-case.yaml:10"),
        c("name_energy_basis", "assess tests/bad/scenario/name-energy-basis.yaml --format json -o {tmp}/out.json", "name-energy-basis.yaml:13"),
        c("name_gap_policy", "validate tests/bad/scenario/name-gap-policy.yaml", "name-gap-policy.yaml:13"),
        c("name_input_format", "assess tests/bad/scenario/name-input-format.yaml --format json -o {tmp}/out.json", "name-input-format.yaml:13"),
        c("name_criterion_direction", "statement tests/bad/scenario/name-criterion-direction.yaml -o {tmp}/statement.md", "name-criterion-direction.yaml:22"),
        c("name_trace_node", "validate tests/bad/scenario/name-trace-node.yaml", "name-trace-node.yaml:13"),
        c("name_ecologits_without_gpu_server", "assess tests/bad/scenario/name-ecologits-without-gpu-server.yaml --format json -o {tmp}/out.json", "name-ecologits-without-gpu-server.yaml:7"),
        c("miss_functional_unit", "assess tests/bad/scenario/miss-functional-unit.yaml --format json -o {tmp}/out.json", "miss-functional-unit.yaml"),
        c("miss_infrastructure", "validate tests/bad/scenario/miss-infrastructure.yaml", "miss-infrastructure.yaml"),
        c("miss_energy", "statement tests/bad/scenario/miss-energy.yaml -o {tmp}/statement.md", "miss-energy.yaml"),
        c("miss_electricity", "assess tests/bad/scenario/miss-electricity.yaml --format json -o {tmp}/out.json", "miss-electricity.yaml"),
        c("miss_allocation", "validate tests/bad/scenario/miss-allocation.yaml", "miss-allocation.yaml"),
        c("miss_run_with_declared", "assess tests/bad/scenario/miss-run-with-declared.yaml --format json -o {tmp}/out.json", "miss-run-with-declared.yaml"),
        c("miss_fu_name", "validate tests/bad/scenario/miss-fu-name.yaml", "miss-fu-name.yaml:2"),
        c("miss_gpu_units", "assess tests/bad/scenario/miss-gpu-units.yaml --format json -o {tmp}/out.json", "miss-gpu-units.yaml:8"),
        c("miss_infrastructure_empty", "statement tests/bad/scenario/miss-infrastructure-empty.yaml -o {tmp}/statement.md", "miss-infrastructure-empty.yaml:3"),
        c("miss_bom_empty", "validate tests/bad/scenario/miss-bom-empty.yaml", "miss-bom-empty.yaml:6"),
        c("miss_country_and_factors", "assess tests/bad/scenario/miss-country-and-factors.yaml --format json -o {tmp}/out.json", "miss-country-and-factors.yaml:14"),
        c("miss_node_source", "validate tests/bad/scenario/miss-node-source.yaml", "miss-node-source.yaml:4"),
        c("miss_factor_source", "assess tests/bad/scenario/miss-factor-source.yaml --format json -o {tmp}/out.json", "miss-factor-source.yaml:16"),
        c("miss_gpu_die_area_mlca", "validate tests/bad/scenario/miss-gpu-die-area-mlca.yaml", "miss-gpu-die-area-mlca.yaml:8"),
        c("miss_phase_points", "validate tests/bad/scenario/miss-phase-points.yaml", "miss-phase-points.yaml:11"),
        c("contra_declared_and_tdp", "assess tests/bad/scenario/contra-declared-and-tdp.yaml --format json -o {tmp}/out.json", "contra-declared-and-tdp.yaml:12"),
        c("contra_declared_and_traces", "validate tests/bad/scenario/contra-declared-and-traces.yaml", "contra-declared-and-traces.yaml:10"),
        c("contra_trace_start_and_log", "assess tests/bad/scenario/contra-trace-start-and-log.yaml --format json -o {tmp}/out.json", "contra-trace-start-and-log.yaml:14"),
        c("contra_catalog_and_embodied", "statement tests/bad/scenario/contra-catalog-and-embodied.yaml -o {tmp}/statement.md", "contra-catalog-and-embodied.yaml:7"),
        c("contra_extrapolated_and_duration", "validate tests/bad/scenario/contra-extrapolated-and-duration.yaml", "contra-extrapolated-and-duration.yaml:8"),
        c("contra_phase_fit_and_points", "assess tests/bad/scenario/contra-phase-fit-and-points.yaml --format json -o {tmp}/out.json", "contra-phase-fit-and-points.yaml:13"),
        c("contra_idle_power_and_segment", "validate tests/bad/scenario/contra-idle-power-and-segment.yaml", "contra-idle-power-and-segment.yaml:13"),
        c("contra_dynamic_without_idle", "assess tests/bad/scenario/contra-dynamic-without-idle.yaml --format json -o {tmp}/out.json", "contra-dynamic-without-idle.yaml:13"),
        c("contra_idle_start_after_end", "statement tests/bad/scenario/contra-idle-start-after-end.yaml -o {tmp}/statement.md", "contra-idle-start-after-end.yaml:13"),
        c("contra_start_after_end", "validate tests/bad/scenario/contra-start-after-end.yaml", "contra-start-after-end.yaml:13"),
        c("contra_window_outside_trace", "assess tests/bad/scenario/contra-window-outside-trace.yaml --format json -o {tmp}/out.json", "contra-window-outside-trace.yaml:13"),
        c("contra_bounds_min_above_max", "validate tests/bad/scenario/contra-bounds-min-above-max.yaml", "contra-bounds-min-above-max.yaml:22"),
        c("contra_criterion_outside_bounds", "compare tests/fixtures/valid.yaml tests/bad/scenario/contra-criterion-outside-bounds.yaml", "contra-criterion-outside-bounds.yaml:22"),
        c("file_trace_missing", "assess tests/bad/scenario/file-trace-missing.yaml --format json -o {tmp}/out.json", "file-trace-missing.yaml:12"),
        c("file_trace_directory", "validate tests/bad/scenario/file-trace-directory.yaml", "file-trace-directory.yaml:12"),
        c("file_training_log_missing", "assess tests/bad/scenario/file-training-log-missing.yaml --format json -o {tmp}/out.json", "file-training-log-missing.yaml:13"),
        c("file_quality_log_missing", "assess tests/bad/scenario/file-quality-log-missing.yaml --format json -o {tmp}/out.json", "file-quality-log-missing.yaml:4"),
        c("file_points_missing", "validate tests/bad/scenario/file-points-missing.yaml", "file-points-missing.yaml:13"),
        c("file_points_directory", "assess tests/bad/scenario/file-points-directory.yaml --format json -o {tmp}/out.json", "file-points-directory.yaml:13"),
        c("file_trace_empty_name", "validate tests/bad/scenario/file-trace-empty-name.yaml", "file-trace-empty-name.yaml:12"),
        c("file_trace_broken", "assess tests/bad/scenario/file-trace-broken.yaml --format json -o {tmp}/out.json", "nvidia-smi-negative.csv:6"),
        c("file_points_broken", "statement tests/bad/scenario/file-points-broken.yaml -o {tmp}/statement.md", "decreasing-energy.csv:4"),
        c("file_quality_column_missing", "assess tests/bad/scenario/file-quality-column-missing.yaml --format json -o {tmp}/out.json", "file-quality-column-missing.yaml:4"),
        c("file_quality_log_text", "plot quality tests/bad/scenario/file-quality-log-text.yaml -o {tmp}/quality.png", "quality-text.csv:3"),
        c("file_quality_log_bad_time", "plot quality tests/bad/scenario/file-quality-log-bad-time.yaml -o {tmp}/quality.png", "quality-bad-time.csv:3"),
        // ---- nvidia-smi traces (tests/bad/trace/)
        c("ns_truncated_row", "trace summary tests/bad/trace/nvidia-smi-truncated.csv", "nvidia-smi-truncated.csv:5"),
        c("ns_wrong_delimiter", "trace summary tests/bad/trace/nvidia-smi-semicolons.csv --input-format nvidia-smi", "nvidia-smi-semicolons.csv").words(&["delimiter"]),
        c("ns_wrong_delimiter_detected", "trace summary tests/bad/trace/nvidia-smi-semicolons.csv", "nvidia-smi-semicolons.csv"),
        c("ns_unknown_unit", "trace summary tests/bad/trace/nvidia-smi-unknown-unit.csv", "nvidia-smi-unknown-unit.csv:5"),
        c("ns_text_in_number", "trace summary tests/bad/trace/nvidia-smi-text.csv", "nvidia-smi-text.csv:4"),
        c("ns_out_of_order", "trace summary tests/bad/trace/nvidia-smi-out-of-order.csv", "nvidia-smi-out-of-order.csv:5"),
        c("ns_negative_power", "trace summary tests/bad/trace/nvidia-smi-negative.csv", "nvidia-smi-negative.csv:6"),
        c("ns_header_only", "trace summary tests/bad/trace/nvidia-smi-header-only.csv", "nvidia-smi-header-only.csv"),
        c("ns_all_missing", "trace summary tests/bad/trace/nvidia-smi-all-missing.csv", "nvidia-smi-all-missing.csv"),
        c("ns_feb_30", "trace summary tests/bad/trace/nvidia-smi-feb-30.csv", "nvidia-smi-feb-30.csv:3"),
        c("ns_nan_cell", "trace summary tests/bad/trace/nvidia-smi-nan.csv", "nvidia-smi-nan.csv:5"),
        c("ns_inf_cell", "trace summary tests/bad/trace/nvidia-smi-inf.csv", "nvidia-smi-inf.csv:5"),
        c("ns_bad_index", "trace summary tests/bad/trace/nvidia-smi-bad-index.csv", "nvidia-smi-bad-index.csv:4"),
        c("ns_bom_truncated", "trace summary tests/bad/trace/nvidia-smi-bom.csv", "nvidia-smi-bom.csv:5"),
        c("ns_crlf_truncated", "trace summary tests/bad/trace/nvidia-smi-crlf-truncated.csv", "nvidia-smi-crlf-truncated.csv:5"),
        c("ns_non_utf8", "trace summary tests/bad/trace/nvidia-smi-non-utf8.csv", "nvidia-smi-non-utf8.csv:4"),
        c("ns_extra_column", "trace summary tests/bad/trace/nvidia-smi-extra-column.csv", "nvidia-smi-extra-column.csv:5"),
        c("ns_noheader_one_column", "trace summary tests/fixtures/traces/nvidia-smi-noheader.csv --columns timestamp", "columns: timestamp"),
        // ---- any trace
        c("trace_empty_file", "trace summary tests/bad/trace/empty.csv", "empty.csv"),
        c("trace_unknown_header", "trace summary tests/bad/trace/unknown-header.csv", "unknown-header.csv"),
        c("trace_nul_bytes", "trace summary tests/bad/trace/nul-bytes.csv", "nul-bytes.csv"),
        c("trace_dev_zero", "trace summary /dev/zero --input-format nvidia-smi", "/dev/zero").not(&["is empty"]),
        c("trace_missing_file", "trace summary tests/bad/trace/no-such.csv", "no-such.csv"),
        c("trace_directory", "trace summary tests/bad/trace", "tests/bad/trace"),
        c("trace_wrong_format_named", "trace summary tests/fixtures/traces/rapl.csv --input-format nvidia-smi", "rapl.csv"),
        // ---- RAPL
        c("rapl_truncated_row", "trace summary tests/bad/trace/rapl-truncated.csv", "rapl-truncated.csv:4"),
        c("rapl_text_in_number", "trace summary tests/bad/trace/rapl-text.csv", "rapl-text.csv:4"),
        c("rapl_decrease_without_range", "trace summary tests/bad/trace/rapl-decrease.csv", "rapl-decrease.csv:5").not(&["99999999"]),
        c("rapl_out_of_order", "trace summary tests/bad/trace/rapl-out-of-order.csv", "rapl-out-of-order.csv:4"),
        c("rapl_header_only", "trace summary tests/bad/trace/rapl-header-only.csv", "rapl-header-only.csv"),
        c("rapl_negative_counter", "trace summary tests/bad/trace/rapl-negative.csv", "rapl-negative.csv:4").not(&["99999999"]),
        c("rapl_bad_time", "trace summary tests/bad/trace/rapl-bad-time.csv", "rapl-bad-time.csv:3"),
        c("rapl_range_zero", "trace summary tests/fixtures/traces/rapl-no-range.csv --rapl-max-energy-range-uj 0", "--rapl-max-energy-range-uj"),
        // ---- Alumet
        c("alumet_bad_time", "trace summary tests/bad/trace/alumet-bad-time.csv", "alumet-bad-time.csv:4"),
        c("alumet_text_in_number", "trace summary tests/bad/trace/alumet-text.csv", "alumet-text.csv:4"),
        c("alumet_unknown_unit", "trace summary tests/bad/trace/alumet-unknown-unit.csv", "alumet-unknown-unit.csv:2"),
        c("alumet_header_only", "trace summary tests/bad/trace/alumet-header-only.csv", "alumet-header-only.csv"),
        c("alumet_out_of_order", "trace summary tests/bad/trace/alumet-out-of-order.csv", "alumet-out-of-order.csv:4"),
        c("alumet_negative", "trace summary tests/bad/trace/alumet-negative.csv", "alumet-negative.csv:4"),
        c("alumet_truncated_row", "trace summary tests/bad/trace/alumet-truncated.csv", "alumet-truncated.csv:4"),
        c("alumet_feb_30", "trace summary tests/bad/trace/alumet-feb-30.csv", "alumet-feb-30.csv:4"),
        c("carbontracker_truncated", "trace summary tests/bad/trace/carbontracker-truncated.log", "carbontracker-truncated.log:5").words(&["cut"]),
        c("carbontracker_wrong_unit", "trace summary tests/bad/trace/carbontracker-wrong-unit.log", "carbontracker-wrong-unit.log:4").words(&["kW"]),
        c("carbontracker_output_wrong_unit", "trace summary tests/bad/trace/carbontracker-output-wh.log", "carbontracker-output-wh.log:4").words(&["kWh"]),
        c("carbontracker_wrong_delimiter", "trace summary tests/bad/trace/carbontracker-semicolons.log --input-format carbontracker", "carbontracker-semicolons.log:3"),
        c("carbontracker_no_epoch", "trace summary tests/bad/trace/carbontracker-no-epoch.log", "carbontracker-no-epoch.log:1"),
        c("carbontracker_empty", "trace summary tests/bad/trace/carbontracker-empty.log --input-format carbontracker", "carbontracker-empty.log").words(&["empty"]),
        c("eco2ai_truncated", "trace summary tests/bad/trace/eco2ai-truncated.csv", "eco2ai-truncated.csv:3").words(&["6 fields"]),
        c("eco2ai_wrong_unit", "trace summary tests/bad/trace/eco2ai-wrong-unit.csv", "eco2ai-wrong-unit.csv:1").words(&["Wh"]),
        c("eco2ai_wrong_delimiter", "trace summary tests/bad/trace/eco2ai-semicolons.csv", "eco2ai-semicolons.csv:1").words(&["delimiter"]),
        c("eco2ai_header_only", "trace summary tests/bad/trace/eco2ai-header-only.csv", "eco2ai-header-only.csv:1").words(&["no row"]),
        c("eco2ai_negative", "trace summary tests/bad/trace/eco2ai-negative.csv", "eco2ai-negative.csv:2"),
        c("eco2ai_empty", "trace summary tests/bad/trace/empty.csv --input-format eco2ai", "empty.csv").words(&["empty"]),
        c("carbontracker_unknown_run", "trace summary tests/fixtures/real/carbontracker-2.4.7/carbontracker.log --run epoch-9", "carbontracker.log").words(&["actual", "predicted"]),
        // ---- jetson-stats
        c("jetson_text_in_number", "trace summary tests/bad/trace/jetson-text.csv", "jetson-text.csv:4"),
        c("jetson_negative", "trace summary tests/bad/trace/jetson-negative.csv", "jetson-negative.csv:4"),
        c("jetson_out_of_order", "trace summary tests/bad/trace/jetson-out-of-order.csv", "jetson-out-of-order.csv:4"),
        c("jetson_header_only", "trace summary tests/bad/trace/jetson-header-only.csv", "jetson-header-only.csv"),
        c("jetson_bad_time", "trace summary tests/bad/trace/jetson-bad-time.csv", "jetson-bad-time.csv:4"),
        c("jetson_all_off", "trace summary tests/bad/trace/jetson-all-off.csv", "jetson-all-off.csv"),
        c("jetson_truncated_row", "trace summary tests/bad/trace/jetson-truncated.csv", "jetson-truncated.csv:5"),
        // ---- Kwollect
        c("kwollect_unclosed_quote", "trace summary tests/bad/trace/kwollect-unclosed-quote.csv", "kwollect-unclosed-quote.csv:4"),
        c("kwollect_text_in_number", "trace summary tests/bad/trace/kwollect-text.csv", "kwollect-text.csv:4"),
        c("kwollect_out_of_order", "trace summary tests/bad/trace/kwollect-out-of-order.csv", "kwollect-out-of-order.csv:4"),
        c("kwollect_header_only", "trace summary tests/bad/trace/kwollect-header-only.csv", "kwollect-header-only.csv"),
        c("kwollect_feb_30", "trace summary tests/bad/trace/kwollect-feb-30.csv", "kwollect-feb-30.csv:4"),
        c("kwollect_negative", "trace summary tests/bad/trace/kwollect-negative.csv", "kwollect-negative.csv:4"),
        c("kwollect_unknown_metric", "trace summary tests/bad/trace/kwollect-two-metrics.csv --metric nope_watt", "nope_watt"),
        c("kwollect_two_metrics", "trace summary tests/bad/trace/kwollect-two-metrics.csv", "kwollect-two-metrics.csv").words(&["metric"]),
        // ---- Scaphandre JSON (tests/bad/trace/scaphandre-*)
        c("scaph_truncated", "trace summary tests/bad/trace/scaphandre-truncated.json", "scaphandre-truncated.json:1:1500").words(&["truncated"]),
        c("scaph_wrong_unit", "trace summary tests/bad/trace/scaphandre-wrong-unit.json", "scaphandre-wrong-unit.json:121:25"),
        c("scaph_wrong_delimiter", "trace summary tests/bad/trace/scaphandre-semicolons.json", "scaphandre-semicolons.json:1"),
        c("scaph_empty", "trace summary tests/bad/trace/scaphandre-empty.json --input-format scaphandre", "scaphandre-empty.json").words(&["empty"]),
        c("scaph_negative", "trace summary tests/bad/trace/scaphandre-negative.json", "scaphandre-negative.json:240").words(&["report 4"]),
        c("scaph_not_json", "trace summary tests/fixtures/traces/rapl.csv --input-format scaphandre", "rapl.csv:1"),
        // ---- perf stat -I -x, (tests/bad/trace/perf-*)
        c("perf_truncated_row", "trace summary tests/bad/trace/perf-truncated.csv", "perf-truncated.csv:14"),
        c("perf_raw_counts", "trace summary tests/bad/trace/perf-raw-counts.csv", "perf-raw-counts.csv:6").words(&["Joules"]),
        c("perf_wrong_delimiter", "trace summary tests/bad/trace/perf-semicolons.csv", "perf-semicolons.csv:3").words(&["-x,"]),
        c("perf_header_only", "trace summary tests/bad/trace/perf-header-only.csv", "perf-header-only.csv").words(&["no data row"]),
        c("perf_empty", "trace summary tests/bad/trace/empty.csv --input-format perf", "empty.csv").words(&["empty"]),
        c("perf_no_power_event", "trace summary tests/fixtures/perf/real-no-rapl.csv", "real-no-rapl.csv").words(&["task-clock"]),
        // ---- PowerJoular (tests/bad/trace/powerjoular-*)
        c("pj_truncated_row", "trace summary tests/bad/trace/powerjoular-truncated.csv", "powerjoular-truncated.csv:5"),
        c("pj_unit_in_cell", "trace summary tests/bad/trace/powerjoular-unit.csv", "powerjoular-unit.csv:4").words(&["42.5 W"]),
        c("pj_wrong_delimiter", "trace summary tests/bad/trace/powerjoular-semicolons.csv --input-format powerjoular", "powerjoular-semicolons.csv").words(&["delimiter"]),
        c("pj_header_only", "trace summary tests/bad/trace/powerjoular-header-only.csv", "powerjoular-header-only.csv"),
        c("pj_empty", "trace summary tests/bad/trace/empty.csv --input-format powerjoular", "empty.csv").words(&["empty"]),
        c("pj_bad_milliseconds", "trace summary tests/bad/trace/powerjoular-bad-ms.csv", "powerjoular-bad-ms.csv:4"),
        // ---- dcgmi dmon (tests/bad/trace/dcgm-*)
        c("dcgm_truncated_row", "trace summary tests/bad/trace/dcgm-truncated.txt --sample-interval-s 1", "dcgm-truncated.txt:10").words(&["TOTEC"]),
        c("dcgm_wrong_unit", "trace summary tests/bad/trace/dcgm-wrong-unit.txt --sample-interval-s 1", "dcgm-wrong-unit.txt:2").words(&["mJ"]),
        c("dcgm_wrong_delimiter", "trace summary tests/bad/trace/dcgm-commas.txt --sample-interval-s 1", "dcgm-commas.txt:1"),
        c("dcgm_header_only", "trace summary tests/bad/trace/dcgm-header-only.txt --sample-interval-s 1", "dcgm-header-only.txt"),
        c("dcgm_empty", "trace summary tests/bad/trace/empty.csv --input-format dcgm-dmon --sample-interval-s 1", "empty.csv").words(&["empty"]),
        c("dcgm_totec_decreases", "trace summary tests/bad/trace/dcgm-totec-decreases.txt --sample-interval-s 1", "dcgm-totec-decreases.txt:10"),
        c("dcgm_no_interval", "trace summary tests/fixtures/dcgm/dmon-power-only.txt", "--sample-interval-s"),
        c("dcgm_interval_zero", "trace summary tests/fixtures/dcgm/dmon-power-only.txt --sample-interval-s 0", "--sample-interval-s"),
        c("interval_not_dcgm", "trace summary tests/fixtures/perf/per-socket.csv --sample-interval-s 1", "per-socket.csv").words(&["--sample-interval-s"]),
        // ---- BoAmps reports (tests/bad/trace/boamps-*)
        c("boamps_truncated", "trace summary tests/bad/trace/boamps-truncated.json", "boamps-truncated.json:38:3").words(&["truncated"]),
        c("boamps_flops_unit", "trace summary tests/bad/trace/boamps-flops.json", "boamps-flops.json:29").words(&["measures[1]", "teraFLOPS"]),
        c("boamps_unit_in_value", "trace summary tests/bad/trace/boamps-unit-in-value.json", "boamps-unit-in-value.json:25:41"),
        c("boamps_decimal_comma", "trace summary tests/bad/trace/boamps-decimal-comma.json", "boamps-decimal-comma.json:25:35"),
        c("boamps_no_measure", "trace summary tests/bad/trace/boamps-no-measure.json", "boamps-no-measure.json:2"),
        c("boamps_half_calibration", "trace summary tests/bad/trace/boamps-half-calibration.json", "boamps-half-calibration.json:29"),
        c("boamps_empty", "trace summary tests/bad/trace/empty.csv --input-format boamps", "empty.csv").words(&["empty"]),
        c("boamps_window", "trace summary tests/fixtures/boamps/two-measures.json --start 2025-03-02T14:00:00", "two-measures.json").words(&["window"]),
        // ---- generic CSV
        c("generic_unknown_unit", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit furlong --value-kind power --component node", "\"furlong\"").not(&["Power value"]),
        c("generic_text_in_number", "trace summary tests/bad/trace/generic-text.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-text.csv:4"),
        c("generic_out_of_order", "trace summary tests/bad/trace/generic-out-of-order.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-out-of-order.csv:4"),
        c("generic_negative", "trace summary tests/bad/trace/generic-negative.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-negative.csv:4"),
        c("generic_bad_time", "trace summary tests/bad/trace/generic-bad-time.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-bad-time.csv:4"),
        c("generic_header_only", "trace summary tests/bad/trace/generic-header-only.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-header-only.csv"),
        c("generic_truncated_row", "trace summary tests/bad/trace/generic-truncated.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-truncated.csv:5"),
        c("generic_iso_feb_30", "trace summary tests/bad/trace/generic-iso-feb-30.csv --input-format generic --time-column t --time-format iso8601 --value-column watts --unit W --value-kind power --component node", "generic-iso-feb-30.csv:4"),
        c("generic_all_values_missing", "trace summary tests/bad/trace/generic-all-empty.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node", "generic-all-empty.csv"),
        c("generic_missing_time_column", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column time --time-format unix-s --value-column watts --unit W --value-kind power --component node", "time"),
        c("generic_wrong_delimiter", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node --delimiter ;", "generic-ok.csv"),
        c("generic_delimiter_two_chars", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component node --delimiter ;;", "--delimiter"),
        c("generic_without_columns", "trace summary tests/bad/trace/generic-ok.csv --input-format generic", "--time-column"),
        c("generic_unknown_component", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind power --component gpuu", "'gpuu' for '--component"),
        c("generic_unknown_time_format", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column t --time-format fortnight --value-column watts --unit W --value-kind power --component node", "--time-format"),
        c("generic_power_unit_for_counter", "trace summary tests/bad/trace/generic-ok.csv --input-format generic --time-column t --time-format unix-s --value-column watts --unit W --value-kind cumulative --component node", "unit \"W\"").not(&["Cumulative value"]),
        // ---- CodeCarbon files (tests/bad/codecarbon/), read as traces and as points
        c("cc_negative_energy", "trace summary tests/bad/codecarbon/negative-energy.csv", "negative-energy.csv:4"),
        c("cc_pue_zero", "trace summary tests/bad/codecarbon/pue-zero.csv", "pue-zero.csv:3"),
        c("cc_pue_below_one", "trace summary tests/bad/codecarbon/pue-below-one.csv", "pue-below-one.csv:3"),
        c("cc_pue_text", "trace summary tests/bad/codecarbon/pue-text.csv", "pue-text.csv:3"),
        c("cc_energy_text", "trace summary tests/bad/codecarbon/energy-text.csv", "energy-text.csv:5"),
        c("cc_header_only", "trace summary tests/bad/codecarbon/header-only.csv --input-format codecarbon", "header-only.csv"),
        c("cc_no_energy_column", "trace summary tests/bad/codecarbon/no-energy-column.csv --input-format codecarbon", "no-energy-column.csv").words(&["energy_consumed"]),
        c("cc_bad_time", "trace summary tests/bad/codecarbon/bad-time.csv", "bad-time.csv:4"),
        c("cc_decreasing_energy", "trace summary tests/bad/codecarbon/decreasing-energy.csv", "decreasing-energy.csv:5"),
        c("cc_nan_energy", "trace summary tests/bad/codecarbon/nan-energy.csv", "nan-energy.csv:5"),
        c("cc_unknown_run", "trace summary tests/fixtures/real/codecarbon-3.3.2-three-runs/emissions.csv --run 0f0f0f0f", "emissions.csv").words(&["cbd949f8-9295-47e2-9181-0492db0735d0", "from 1 to 3"]),
        c("cc_run_number_out_of_range", "trace summary tests/fixtures/real/codecarbon-3.3.2-three-runs/emissions.csv --run 4", "emissions.csv").words(&["numbered from 1 to 3"]),
        c("cc_run_on_nvidia_smi", "trace summary tests/fixtures/traces/nvidia-smi.csv --run 1", "nvidia-smi.csv").words(&["--run 1"]),
        c("cc_unknown_run_id_in_scenario", "assess tests/bad/scenario/file-unknown-run-id.yaml", "file-unknown-run-id.yaml:15").words(&["run_id", "emissions.csv"]),
        c("cc_two_run_keys", "assess tests/bad/scenario/contra-two-run-keys.yaml", "contra-two-run-keys.yaml:16").words(&["run_index"]),
        c("ccx_several_runs", "extrapolate --codecarbon tests/fixtures/real/codecarbon-3.3.2-three-runs/emissions.csv --training-log tests/fixtures/extrapolate/codecarbon-3.3.2-flush-steps.csv --to 1e6", "emissions.csv").words(&["3 runs", "--run"]),
        c("ccx_negative_energy", "extrapolate --codecarbon tests/bad/codecarbon/negative-energy.csv --training-log tests/bad/log/codecarbon-steps.csv --to 1e6", "negative-energy.csv:4"),
        c("ccx_pue_zero", "extrapolate --codecarbon tests/bad/codecarbon/pue-zero.csv --training-log tests/bad/log/codecarbon-steps.csv --to 1e6", "pue-zero.csv:3"),
        c("ccx_energy_text", "extrapolate --codecarbon tests/bad/codecarbon/energy-text.csv --training-log tests/bad/log/codecarbon-steps.csv --to 1e6", "energy-text.csv:5"),
        c("ccx_header_only", "extrapolate --codecarbon tests/bad/codecarbon/header-only.csv --training-log tests/bad/log/codecarbon-steps.csv --to 1e6", "header-only.csv"),
        c("ccx_nan_energy", "extrapolate --codecarbon tests/bad/codecarbon/nan-energy.csv --training-log tests/bad/log/codecarbon-steps.csv --to 1e6", "nan-energy.csv:5"),
        c("ccx_log_steps_not_increasing", "extrapolate --codecarbon tests/fixtures/extrapolate/codecarbon-flush.csv --training-log tests/bad/log/steps-not-increasing.csv --to 1e6", "steps-not-increasing.csv:4"),
        // ---- training logs (tests/bad/log/): trace windows and extrapolation
        c("log_no_timestamp_column", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/no-timestamp.csv", "no-timestamp.csv:1"),
        c("log_bad_timestamp", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/bad-timestamp.csv", "bad-timestamp.csv:3"),
        c("log_header_only", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/header-only.csv", "header-only.csv"),
        c("log_outside_trace", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/outside-trace.csv", "outside-trace.csv"),
        c("log_times_backwards", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/times-backwards.csv", "times-backwards.csv:3"),
        c("log_feb_30", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/feb-30.csv", "feb-30.csv:3"),
        c("log_missing_file", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/no-such.csv", "no-such.csv"),
        c("logx_steps_not_increasing", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/steps-not-increasing.csv --to 3700", "steps-not-increasing.csv:4"),
        c("logx_text_step", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/text-step.csv --to 3700", "text-step.csv:3"),
        c("logx_one_row", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/one-row.csv --to 3700", "one-row.csv"),
        c("logx_outside_trace", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/outside-trace.csv --to 3700", "outside-trace.csv"),
        c("logx_header_only", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --training-log tests/bad/log/header-only.csv --to 3700", "header-only.csv"),
        c("logx_broken_trace", "extrapolate --trace tests/bad/trace/nvidia-smi-negative.csv --training-log scenarios/traces/resnet50-first-20pct-log.csv --to 3700", "nvidia-smi-negative.csv:6"),
        c("logx_trace_without_log", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --to 3700", "--training-log"),
        // ---- points CSVs (tests/bad/points/)
        c("pts_steps_not_increasing", "extrapolate tests/bad/points/non-increasing-steps.csv --to 1000", "non-increasing-steps.csv:4"),
        c("pts_too_few", "extrapolate tests/bad/points/too-few.csv --to 1000", "too-few.csv"),
        c("pts_decreasing_energy", "extrapolate tests/bad/points/decreasing-energy.csv --to 1000", "decreasing-energy.csv:4"),
        c("pts_header_only", "extrapolate tests/bad/points/header-only.csv --to 1000", "header-only.csv"),
        c("pts_nan", "extrapolate tests/bad/points/nan.csv --to 1000", "nan.csv:3"),
        c("pts_text", "extrapolate tests/bad/points/text.csv --to 1000", "text.csv:3"),
        c("pts_no_energy_column", "extrapolate tests/bad/points/no-energy-column.csv --to 1000", "no-energy-column.csv:1"),
        c("pts_negative_energy", "extrapolate tests/bad/points/negative-energy.csv --to 1000", "negative-energy.csv:2"),
        c("pts_truncated_row", "extrapolate tests/bad/points/truncated.csv --to 1000", "truncated.csv:3"),
        c("pts_empty", "extrapolate tests/bad/points/empty.csv --to 1000", "empty.csv"),
        c("pts_inf", "extrapolate tests/bad/points/inf.csv --to 1000", "inf.csv:4"),
        c("pts_elapsed_decreasing", "extrapolate tests/bad/points/elapsed-decreasing.csv --to 1000", "elapsed-decreasing.csv:4"),
        c("pts_wrong_delimiter", "extrapolate tests/bad/points/semicolons.csv --to 1000", "semicolons.csv:1"),
        c("pts_date_in_elapsed", "extrapolate tests/bad/points/feb-30-no-dates.csv --to 1000", "feb-30-no-dates.csv:3"),
        c("pts_missing_file", "extrapolate tests/bad/points/no-such.csv --to 1000", "no-such.csv"),
        c("pts_directory", "extrapolate tests/bad/points --to 1000", "tests/bad/points"),
        // ---- extrapolate option values
        c("opt_to_negative", "extrapolate tests/bad/points/ok.csv --to -1", "--to"),
        c("opt_to_nan", "extrapolate tests/bad/points/ok.csv --to nan", "--to"),
        c("opt_to_inf", "extrapolate tests/bad/points/ok.csv --to inf", "--to"),
        c("opt_to_zero", "extrapolate tests/bad/points/ok.csv --to 0", "--to"),
        c("opt_to_text", "extrapolate tests/bad/points/ok.csv --to lots", "--to"),
        c("opt_to_1e400", "extrapolate tests/bad/points/ok.csv --to 1e400", "--to"),
        c("opt_level_one", "extrapolate tests/bad/points/ok.csv --to 1000 --level 1", "--level"),
        c("opt_level_zero", "extrapolate tests/bad/points/ok.csv --to 1000 --level 0", "--level"),
        c("opt_level_percent", "extrapolate tests/bad/points/ok.csv --to 1000 --level 95", "--level"),
        c("opt_level_nan", "extrapolate tests/bad/points/ok.csv --to 1000 --level NaN", "--level"),
        c("opt_nodes_zero", "extrapolate tests/bad/points/ok.csv --to 1000 --nodes 0", "--nodes"),
        c("opt_nodes_fraction", "extrapolate tests/bad/points/ok.csv --to 1000 --nodes 2.5", "--nodes"),
        c("opt_parallel_efficiency_zero", "extrapolate tests/bad/points/ok.csv --to 1000 --parallel-efficiency 0", "--parallel-efficiency"),
        c("opt_parallel_efficiency_above_one", "extrapolate tests/bad/points/ok.csv --to 1000 --parallel-efficiency 1.5", "--parallel-efficiency"),
        c("opt_min_r2_two", "extrapolate tests/bad/points/ok.csv --to 1000 --min-r2 2", "--min-r2"),
        c("opt_method_unknown", "extrapolate tests/bad/points/ok.csv --to 1000 --method lasso", "--method"),
        c("opt_extrapolate_format", "extrapolate tests/bad/points/ok.csv --to 1000 --format yaml", "--format"),
        c("opt_extrapolate_no_input", "extrapolate --to 1000", "POINTS"),
        c("opt_extrapolate_points_and_trace", "extrapolate tests/bad/points/ok.csv --trace scenarios/traces/nvidia-smi-resnet50.csv --training-log scenarios/traces/resnet50-first-20pct-log.csv --to 1000", "--trace"),
        c("opt_extrapolate_trace_and_codecarbon", "extrapolate --trace scenarios/traces/nvidia-smi-resnet50.csv --codecarbon tests/fixtures/extrapolate/codecarbon-flush.csv --training-log scenarios/traces/resnet50-first-20pct-log.csv --to 1000", "--codecarbon"),
        c("opt_extrapolate_log_alone", "extrapolate --training-log scenarios/traces/resnet50-first-20pct-log.csv --to 1000", "--training-log"),
        c("opt_extrapolate_plot_gif", "extrapolate tests/bad/points/ok.csv --to 1000 --plot {tmp}/fit.gif", "fit.gif"),
        // ---- trace summary option values
        c("opt_threads_zero", "trace summary tests/fixtures/traces/nvidia-smi.csv --threads 0", "--threads"),
        c("opt_gap_threshold_zero", "trace summary tests/fixtures/traces/nvidia-smi.csv --gap-threshold-s 0", "--gap-threshold-s"),
        c("opt_gap_threshold_negative", "trace summary tests/fixtures/traces/nvidia-smi.csv --gap-threshold-s -1", "--gap-threshold-s"),
        c("opt_gap_threshold_nan", "trace summary tests/fixtures/traces/nvidia-smi.csv --gap-threshold-s nan", "--gap-threshold-s"),
        c("opt_gap_policy_unknown", "trace summary tests/fixtures/traces/nvidia-smi.csv --gap-policy skip", "--gap-policy"),
        c("opt_idle_power_negative", "trace summary tests/fixtures/traces/nvidia-smi.csv --idle-power-w -5", "--idle-power-w"),
        c("opt_idle_power_inf", "trace summary tests/fixtures/traces/nvidia-smi.csv --idle-power-w inf", "--idle-power-w"),
        c("opt_start_after_end", "trace summary tests/fixtures/traces/nvidia-smi.csv --start 2025-03-02T14:00:05 --end 2025-03-02T14:00:01", "ends before it starts").words(&["start and end"]),
        c("opt_start_text", "trace summary tests/fixtures/traces/nvidia-smi.csv --start yesterday", "--start"),
        c("opt_start_feb_30", "trace summary tests/fixtures/traces/nvidia-smi.csv --start 2025-02-30T14:00:00", "--start"),
        c("opt_start_and_training_log", "trace summary scenarios/traces/nvidia-smi-resnet50.csv --start 2024-06-12T10:00:00 --training-log scenarios/traces/resnet50-training-log.csv", "--training-log"),
        c("opt_idle_start_without_end", "trace summary tests/fixtures/traces/nvidia-smi.csv --idle-start 2025-03-02T14:00:00", "idle_end"),
        c("opt_idle_segment_and_power", "trace summary tests/fixtures/traces/nvidia-smi.csv --idle-start 2025-03-02T14:00:00 --idle-end 2025-03-02T14:00:01 --idle-power-w 50", "--idle-power-w"),
        c("opt_trace_format", "trace summary tests/fixtures/traces/nvidia-smi.csv --format yaml", "--format"),
        c("opt_input_format_unknown", "trace summary tests/fixtures/traces/nvidia-smi.csv --input-format dcgm", "--input-format"),
        c("opt_window_outside_trace", "trace summary tests/fixtures/traces/nvidia-smi.csv --start 2030-01-01T00:00:00 --end 2030-01-02T00:00:00", "nvidia-smi.csv"),
        // ---- assess, statement, validate option values and inputs
        c("opt_samples_zero", "assess tests/fixtures/valid.yaml --samples 0", "--samples"),
        c("opt_samples_negative", "assess tests/fixtures/valid.yaml --samples -1", "--samples"),
        c("opt_samples_exponent", "assess tests/fixtures/valid.yaml --samples 1e6", "--samples"),
        c("opt_samples_huge", "assess tests/fixtures/valid.yaml --samples 99999999999", "--samples"),
        c("opt_percentiles_0_100", "assess tests/fixtures/valid.yaml --samples 100 --percentiles 0,100", "--percentiles"),
        c("opt_percentiles_text", "assess tests/fixtures/valid.yaml --samples 100 --percentiles 5,ninety", "--percentiles"),
        c("opt_percentiles_empty_item", "assess tests/fixtures/valid.yaml --samples 100 --percentiles 5,,95", "--percentiles"),
        c("opt_percentiles_nan", "assess tests/fixtures/valid.yaml --samples 100 --percentiles nan", "--percentiles"),
        c("opt_seed_negative", "assess tests/fixtures/valid.yaml --samples 100 --seed -1", "'-1'"),
        c("opt_assess_format", "assess tests/fixtures/valid.yaml --format yaml", "--format"),
        c("opt_statement_format", "statement tests/fixtures/valid.yaml --format pdf", "--format"),
        c("opt_hardware_kind", "hardware list --kind tpu", "--kind"),
        c("opt_hardware_method", "hardware show NVIDIA^A100-SXM4-80GB --method boavizta-3", "--method"),
        c("in_assess_missing_file", "assess tests/bad/scenario/no-such.yaml -o {tmp}/out.json", "no-such.yaml"),
        c("in_assess_directory", "assess tests/bad/scenario --format json", "tests/bad/scenario"),
        c("in_validate_dev_zero", "validate /dev/zero", "/dev/zero"),
        c("in_validate_no_file", "validate", "FILE"),
        c("in_statement_missing_file", "statement tests/bad/scenario/no-such.yaml --format latex", "no-such.yaml"),
        // ---- catalog and mix names
        c("name_hardware_unknown", "hardware show NVIDIA^A100-SXM5-80GB", "A100-SXM5-80GB"),
        c("name_hardware_ambiguous", "hardware show A100^80GB", "A100 80GB").words(&["ambiguous"]),
        c("name_hardware_empty", "hardware show ^", "name"),
        c("name_hardware_wrong_kind", "hardware show AMD^EPYC^7763 --kind gpu", "AMD EPYC 7763"),
        c("name_mix_unknown_code", "mix show FRN", "FRN"),
        c("name_mix_empty", "mix show ^", "country"),
        c("opt_mix_format", "mix show FRA --format yaml", "--format"),
        // ---- impact data under --data (tests/bad/data/)
        c("data_sources_empty", "--data tests/bad/data/sources-empty hardware list", "sources.csv"),
        c("data_sources_header_only", "--data tests/bad/data/sources-header-only mix show FRA", "sources.csv"),
        c("data_gpu_unknown_source", "--data tests/bad/data/gpus-unknown-source hardware show A100-SXM4-80GB", "gpus.csv:2"),
        c("data_gpu_missing_column", "--data tests/bad/data/gpus-missing-column hardware list --kind gpu", "gpus.csv:1"),
        c("data_gpu_bad_number", "--data tests/bad/data/gpus-bad-number assess tests/fixtures/valid.yaml -o {tmp}/out.json", "gpus.csv:2"),
        c("data_gpu_negative_area", "--data tests/bad/data/gpus-negative hardware show A100-SXM4-80GB", "gpus.csv:2"),
        c("data_electricity_bad_number", "--data tests/bad/data/electricity-bad-number mix show FRA", "electricity.csv").words(&["row 4"]),
        c("data_electricity_missing_column", "--data tests/bad/data/electricity-missing-column mix list", "electricity.csv:1"),
        c("data_electricity_nan", "--data tests/bad/data/electricity-nan assess tests/fixtures/valid.yaml --format csv", "electricity.csv:4"),
        c("data_defaults_min_above_max", "--data tests/bad/data/defaults-min-above-max assess tests/fixtures/valid.yaml", "defaults.csv").words(&["ram.density"]),
        c("data_nodes_broken_yaml", "--data tests/bad/data/nodes-broken hardware list --kind node", "nodes.yaml:1"),
        c("data_ram_bad_density", "--data tests/bad/data/ram-bad-density hardware list", "ram.csv").words(&["row 2"]),
        c("data_unknown_file", "--data tests/bad/data/unknown-file hardware list", "gpu-list.csv"),
        c("data_cpu_duplicate", "--data tests/bad/data/cpus-duplicate hardware show AMD^EPYC^7763", "cpus.csv:3"),
        c("data_dir_missing", "--data tests/bad/data/no-such-dir mix list", "no-such-dir"),
        c("data_dir_is_file", "--data tests/bad/data/sources-empty/sources.csv mix list", "sources.csv"),
        // ---- output paths
        c("out_output_is_input", "assess {tmp}/s.yaml --format json -o {tmp}/s.yaml", "s.yaml").copy(&[("tests/fixtures/valid.yaml", "s.yaml")]),
        c("out_output_is_input_respelt", "assess {tmp}/s.yaml -o {tmp}/./s.yaml", "s.yaml").copy(&[("tests/fixtures/valid.yaml", "s.yaml")]),
        c("out_output_missing_dir", "assess tests/fixtures/valid.yaml -o {tmp}/missing/out.json", "missing"),
        c("out_output_is_dir", "assess tests/fixtures/valid.yaml -o {tmp}", "it is a directory"),
        c("out_output_kept_on_bad_scenario", "assess tests/bad/scenario/num-declared-negative.yaml -o {tmp}/out.json", "num-declared-negative.yaml:13").pre(&[("out.json", "the previous report\n")]),
        c("out_statement_kept_on_bad_scenario", "statement tests/bad/scenario/name-gpu.yaml --format latex -o {tmp}/s.tex", "name-gpu.yaml:8").pre(&[("s.tex", "the previous statement\n")]),
        c("out_compare_output_is_input", "compare tests/fixtures/valid.yaml {tmp}/s.yaml -o {tmp}/s.yaml", "s.yaml").copy(&[("scenarios/jay2024-apollo-resnet50.yaml", "s.yaml")]),
        c("out_compare_output_is_input_first", "compare tests/fixtures/valid.yaml {tmp}/s.yaml -o {tmp}/s.yaml", "s.yaml").copy(&[("scenarios/jay2024-apollo-resnet50.yaml", "s.yaml")]).not(&["warning:"]),
        c("out_compare_kept_on_bad_scenario", "compare tests/fixtures/valid.yaml tests/bad/scenario/name-country.yaml --format csv -o {tmp}/c.csv", "name-country.yaml:15").pre(&[("c.csv", "previous\n")]),
        c("out_extrapolate_plot_missing_dir", "extrapolate tests/bad/points/ok.csv --to 1000 --plot {tmp}/missing/fit.png", "missing"),
        c("out_extrapolate_plot_is_input", "extrapolate {tmp}/p.csv --to 1000 --plot {tmp}/p.csv", "p.csv").copy(&[("tests/bad/points/ok.csv", "p.csv")]),
        c("out_extrapolate_plot_kept_on_bad_points", "extrapolate tests/bad/points/decreasing-energy.csv --to 1000 --plot {tmp}/fit.png", "decreasing-energy.csv:4").pre(&[("fit.png", "not a png\n")]),
        c("out_plot_missing_dir", "plot embodied tests/fixtures/valid.yaml -o {tmp}/missing/e.png", "missing"),
        c("out_plot_unknown_extension", "plot embodied tests/fixtures/valid.yaml -o {tmp}/e.gif", "e.gif"),
        c("out_plot_is_dir", "plot embodied tests/fixtures/valid.yaml -o {tmp}", ".png, .svg or .pdf"),
        c("out_plot_is_input", "plot embodied {tmp}/s.yaml -o {tmp}/s.yaml", "s.yaml").copy(&[("tests/fixtures/valid.yaml", "s.yaml")]),
        c("out_assess_plot_dir_is_file", "assess tests/fixtures/valid.yaml --plot {tmp}/plots", "plots").pre(&[("plots", "a file\n")]),
        c("out_compare_plot_dir_is_file", "compare tests/fixtures/valid.yaml scenarios/jay2024-apollo-resnet50.yaml --plot {tmp}/plots", "plots").pre(&[("plots", "a file\n")]),
        // ---- every output format and mode of assess, compare, statement on a bad input
        c("fmt_table_bad", "assess tests/bad/scenario/name-gpu.yaml", "name-gpu.yaml:8"),
        c("fmt_csv_bad", "assess tests/bad/scenario/num-pue-below-one.yaml --format csv -o {tmp}/out.csv", "num-pue-below-one.yaml:16").pre(&[("out.csv", "previous\n")]),
        c("fmt_markdown_bad", "assess tests/bad/scenario/unk-electricity.yaml --format markdown -o {tmp}/out.md", "unk-electricity.yaml:15"),
        c("fmt_latex_bad", "assess tests/bad/scenario/dist-sd-zero.yaml --format latex -o {tmp}/out.tex", "dist-sd-zero.yaml:13").pre(&[("out.tex", "previous\n")]),
        c("mode_compare_methods_bad", "assess tests/bad/scenario/name-gpu.yaml --compare-methods", "name-gpu.yaml:8"),
        c("mode_plot_dir_bad", "assess tests/bad/scenario/name-country.yaml --plot {tmp}/plots", "name-country.yaml:15"),
        c("mode_samples_bad", "assess tests/bad/scenario/dist-sd-zero.yaml --samples 100 --format json -o {tmp}/mc.json", "dist-sd-zero.yaml:13"),
        c("mode_percentiles_without_samples", "assess tests/fixtures/valid.yaml --percentiles 0,100", "--percentiles"),
        c("statement_model_card_bad", "statement tests/bad/scenario/miss-energy.yaml --format model-card -o {tmp}/card.yaml", "miss-energy.yaml").pre(&[("card.yaml", "previous\n")]),
        c("compare_latex_bad", "compare tests/fixtures/valid.yaml tests/bad/scenario/unk-top.yaml --format latex -o {tmp}/t.tex", "unk-top.yaml:17"),
        c("compare_plot_bad", "compare tests/fixtures/valid.yaml tests/bad/scenario/ty-pue-string.yaml --plot {tmp}/plots", "ty-pue-string.yaml:16"),
        c("compare_json_bad_trace", "compare tests/fixtures/valid.yaml tests/bad/scenario/file-trace-broken.yaml --format json", "nvidia-smi-negative.csv:6"),
        c("extrapolate_json_bad_points", "extrapolate tests/bad/points/text.csv --to 1000 --format json --plot {tmp}/fit.svg", "text.csv:3"),
        c("extrapolate_target_below_range", "extrapolate tests/bad/points/from-1000.csv --to 500", "from-1000.csv"),
        c("trace_json_bad", "trace summary tests/bad/trace/rapl-text.csv --format json", "rapl-text.csv:4"),
        c("trace_idle_segment_outside", "trace summary tests/fixtures/traces/nvidia-smi.csv --idle-start 2030-01-01T00:00:00 --idle-end 2030-01-01T00:01:00", "idle"),
        c("opt_columns_empty", "trace summary tests/fixtures/traces/nvidia-smi-noheader.csv --columns ,,", "--columns"),
        c("opt_metric_on_nvidia_smi", "trace summary tests/fixtures/traces/nvidia-smi.csv --metric wattmetre_power_watt", "--metric"),
        c("opt_time_column_on_nvidia_smi", "trace summary tests/fixtures/traces/nvidia-smi.csv --time-column t", "--time-column"),
        c("data_hardware_show_json", "--data tests/bad/data/ram-bad-density hardware show AMD^EPYC^7763 --format json", "ram.csv"),
        c("data_mix_show_json", "--data tests/bad/data/electricity-bad-number mix show FRA --format json", "electricity.csv"),
        c("data_validate", "--data tests/bad/data/defaults-min-above-max validate tests/fixtures/valid.yaml", "defaults.csv"),
        c("data_after_subcommand", "assess tests/fixtures/valid.yaml --data tests/bad/data/electricity-bad-number", "electricity.csv"),
        c("data_plot_radar", "--data tests/bad/data/ram-bad-density plot radar tests/fixtures/valid.yaml scenarios/jay2024-apollo-resnet50.yaml -o {tmp}/r.svg", "ram.csv"),
        c("data_trace_summary", "--data tests/bad/data/ram-bad-density trace summary tests/fixtures/traces/nvidia-smi.csv", "ram.csv"),
        c("data_extrapolate", "--data tests/bad/data/ram-bad-density extrapolate tests/bad/points/ok.csv --to 1000", "ram.csv"),
        c("data_statement", "--data tests/bad/data/electricity-bad-number statement tests/fixtures/valid.yaml -o {tmp}/s.md", "electricity.csv").pre(&[("s.md", "previous\n")]),
        // ---- compare and plot: how many scenarios
        c("cmp_one_scenario", "compare tests/fixtures/valid.yaml", "two"),
        c("cmp_no_scenario", "compare", "two"),
        c("cmp_same_twice", "compare tests/fixtures/valid.yaml tests/fixtures/valid.yaml", "valid.yaml"),
        c("cmp_same_respelt", "compare tests/fixtures/valid.yaml tests/fixtures/../fixtures/valid.yaml", "valid.yaml"),
        c("cmp_two_directions", "compare tests/bad/scenario/cmp-latency-low.yaml tests/bad/scenario/cmp-latency-high.yaml", "cmp-latency-low.yaml"),
        c("cmp_bad_second", "compare tests/fixtures/valid.yaml tests/bad/scenario/num-pue-below-one.yaml --format markdown", "num-pue-below-one.yaml:16"),
        c("plot_radar_one", "plot radar tests/fixtures/valid.yaml -o {tmp}/r.png", "at least two scenarios"),
        c("plot_embodied_two", "plot embodied tests/fixtures/valid.yaml scenarios/jay2024-apollo-resnet50.yaml -o {tmp}/e.png", "one scenario, 2 given"),
        c("plot_power_without_traces", "plot power tests/fixtures/valid.yaml -o {tmp}/p.png", "valid.yaml"),
        c("plot_quality_without_log", "plot quality scenarios/extrapolate-example.yaml -o {tmp}/q.svg", "extrapolate-example.yaml"),
        c("plot_power_no_file", "plot power -o {tmp}/p.png", "one scenario, 0 given"),
        c("plot_unknown_kind", "plot pie tests/fixtures/valid.yaml -o {tmp}/p.png", "pie"),
        c("plot_impacts_bad_scenario", "plot impacts tests/fixtures/valid.yaml tests/bad/scenario/dist-sd-negative.yaml -o {tmp}/i.svg", "dist-sd-negative.yaml:13"),
        // ---- clusters: accounting and inventory
        c("cluster_overlap_exceeds_node", "cluster report --inventory tests/fixtures/cluster/two-nodes/inventory.yaml --sacct tests/bad/cluster/overlap-sacct.txt -o {tmp}/r.txt", "overlap-sacct.txt:3:71").words(&["40 cores of 32", "101"]),
        c("cluster_unknown_host", "cluster report --inventory tests/fixtures/cluster/two-nodes/inventory.yaml --sacct tests/bad/cluster/unknown-host-sacct.txt --format csv -o {tmp}/r.csv", "unknown-host-sacct.txt:3:71").words(&["cpu2", "did you mean"]),
        c("cluster_bad_tres", "cluster report --inventory tests/fixtures/cluster/two-nodes/inventory.yaml --sacct tests/bad/cluster/bad-tres-sacct.txt", "bad-tres-sacct.txt:2:").words(&["AllocTRES", "gres/gpu=one"]),
        c("cluster_bad_nodelist", "cluster report --inventory tests/fixtures/cluster/two-nodes/inventory.yaml --sacct tests/bad/cluster/bad-nodelist-sacct.txt", "bad-nodelist-sacct.txt:2:").words(&["NodeList"]),
        c("cluster_trace_unknown_host", "cluster report --inventory tests/bad/cluster/trace-unknown-host.yaml --sacct tests/fixtures/cluster/two-nodes/sacct.txt --format json -o {tmp}/r.json", "trace-unknown-host.yaml:").words(&["gpu2", "did you mean"]),
        c("cluster_hosts_range_down", "cluster report --inventory tests/bad/cluster/hosts-bad-range.yaml --sacct tests/fixtures/cluster/two-nodes/sacct.txt", "hosts-bad-range.yaml:").words(&["goes down"]),
        c("cluster_no_static_power", "cluster statement --inventory tests/bad/cluster/no-static-power.yaml --sacct tests/fixtures/cluster/two-nodes/sacct.txt --user alice -o {tmp}/s.md", "no-static-power.yaml:").words(&["static_power_w"]),
        c("cluster_unknown_inventory_key", "cluster report --inventory tests/bad/cluster/unknown-key.yaml --sacct tests/fixtures/cluster/two-nodes/sacct.txt", "unknown-key.yaml:").words(&["lifetime_year", "did you mean `lifetime_years`"]),
        c("cluster_statement_unknown_user", "cluster statement --inventory tests/fixtures/cluster/two-nodes/inventory.yaml --sacct tests/fixtures/cluster/two-nodes/sacct.txt --user alcie", "alcie").words(&["did you mean alice"]),
        c("cluster_missing_accounting", "cluster report --inventory tests/fixtures/cluster/two-nodes/inventory.yaml --sacct tests/bad/cluster/no-such.txt", "no-such.txt"),
    ]
}
