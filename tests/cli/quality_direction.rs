//! A functional unit's quality may be lower-is-better (a loss, a perplexity, a word error
//! rate): the target warning, the report and the comparison follow it.

use crate::common::*;

fn scenario(dir: &std::path::Path, name: &str, quality: &str) -> String {
    let text = format!(
        "functional_unit:\n  name: language model\n  quality_metric: validation perplexity\n{quality}infrastructure:\n  - {{name: n, nodes: 1, catalog: NVIDIA DGX A100}}\nrun: {{duration_h: 10}}\nenergy: {{declared_kwh: 100}}\nelectricity: {{country: FRA, pue: 1.2}}\nallocation: {{lifetime_years: 4, active_utilization_rate: 0.5}}\n"
    );
    write(dir, name, &text).to_str().expect("UTF-8").to_string()
}

#[test]
fn a_perplexity_above_its_target_misses_the_functional_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missed = scenario(
        dir.path(),
        "a.yaml",
        "  quality_direction: better-low\n  quality_target: 10\n  quality_reached: 12\n",
    );
    let v = assess_json(&missed);
    assert_eq!(v["functional_unit"]["quality_direction"], "better-low");
    let w = v["warnings"].to_string();
    assert!(
        w.contains("quality reached (12) is above the target (10, lower is better)"),
        "{w}"
    );
    let met = scenario(
        dir.path(),
        "b.yaml",
        "  quality_direction: better-low\n  quality_target: 10\n  quality_reached: 9.5\n",
    );
    let v = assess_json(&met);
    assert!(!v["warnings"].to_string().contains("not met"));
    let t = run(&["assess", &met]);
    assert!(
        t.stdout
            .contains("validation perplexity: target 10, reached 9.5 (lower is better)"),
        "{}",
        t.stdout
    );
    // the default, higher is better, is said
    let high = scenario(
        dir.path(),
        "c.yaml",
        "  quality_target: 10\n  quality_reached: 9.5\n",
    );
    let v = assess_json(&high);
    assert!(v["assumptions"]
        .to_string()
        .contains("higher is better (functional_unit.quality_direction not given"));
    assert!(v["warnings"].to_string().contains("is below the target"));
}

#[test]
fn a_comparison_ranks_a_lower_is_better_quality_and_refuses_two_directions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = scenario(
        dir.path(),
        "a.yaml",
        "  quality_direction: better-low\n  quality_reached: 12\n",
    );
    let b = scenario(
        dir.path(),
        "b.yaml",
        "  quality_direction: better-low\n  quality_reached: 9.5\n",
    );
    let c = json(&["compare", &a, &b, "--format", "json"]);
    let row = c["rows"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["key"] == "quality"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(row["direction"], "better-low");
    assert_eq!(row["best"], serde_json::json!(["b"]));
    let h = scenario(dir.path(), "h.yaml", "  quality_reached: 0.7\n");
    let o = run(&["compare", &a, &h]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("the quality is better-high here but better-low in"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("h.yaml"), "{}", o.stderr);
}
