//! Partial criteria: a scenario that gives some criteria only (GWP alone is the common case).
//! The others are "not assessed" with their reason in every output: `null` plus the reason in
//! JSON, "n/a" in tables, empty figures in CSV, named once in statements; never 0.

use crate::common::*;

const GWP_ONLY: &str = "tests/fixtures/partial/gwp-only.yaml";
const GIVEN: &str = "tests/fixtures/partial/given-gwp-only.yaml";

#[test]
fn gwp_only_json_gives_null_adp_and_pe_with_the_reason() {
    let v = assess_json(GWP_ONLY);
    for phase in ["use", "total"] {
        for c in ["adp", "pe"] {
            let o = &v["impacts"][phase][c];
            assert!(
                o["value"].is_null() && o["min"].is_null() && o["max"].is_null(),
                "{phase} {c}: {o}"
            );
            let why = o["not_assessed"].as_str().unwrap_or_default();
            assert!(why.contains("electricity factors give no"), "{why}");
            assert!(why.contains(&format!("electricity.factors.{c}_")), "{why}");
        }
    }
    // use GWP = 100 kWh x PUE 1.2 x 0.4 kgCO2eq/kWh = 48 kgCO2eq
    close(
        num(&v["impacts"]["use"]["gwp"]["value"]),
        48.0,
        1e-12,
        "use GWP",
    );
    assert!(v["impacts"]["use"]["gwp"].get("not_assessed").is_none());
    // the embodied phase does not use the electricity factors: all three assessed
    for c in ["gwp", "adp", "pe"] {
        assert!(num(&v["impacts"]["embodied"][c]["value"]) > 0.0, "{c}");
    }
    let total = num(&v["impacts"]["total"]["gwp"]["value"]);
    let emb = num(&v["impacts"]["embodied"]["gwp"]["value"]);
    close(total, 48.0 + emb, 1e-12, "total GWP");
    assert!(v["electricity"]["adp_kgsbeq_per_kwh"].is_null());
    assert!(v["electricity"]["pe_mj_per_kwh"].is_null());
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("ADP not assessed") && warnings.contains("PE not assessed"),
        "{warnings}"
    );
}

#[test]
fn gwp_only_table_markdown_latex_and_csv_say_not_assessed_never_zero() {
    let t = run(&["assess", GWP_ONLY]);
    assert_eq!(t.code, 0, "{}", t.stderr);
    let adp_row = t
        .stdout
        .lines()
        .find(|l| l.contains("ADP [kgSbeq]"))
        .unwrap_or_default();
    assert_eq!(
        adp_row.matches("n/a").count(),
        2,
        "use and total: {adp_row}"
    );
    assert!(!adp_row.contains(" 0 "), "{adp_row}");
    assert!(
        t.stdout.contains("n/a kgSbeq/kWh, n/a MJ/kWh"),
        "{}",
        t.stdout
    );
    for f in ["markdown", "latex"] {
        let o = run(&["assess", GWP_ONLY, "--format", f]);
        assert_eq!(o.code, 0, "{f}: {}", o.stderr);
        assert!(o.stdout.contains("n/a"), "{f}");
    }
    let csv = run(&["assess", GWP_ONLY, "--format", "csv"]);
    let row = csv
        .stdout
        .lines()
        .find(|l| l.starts_with("impacts,") && l.contains(",total,adp,"))
        .unwrap_or_default();
    assert!(
        row.contains("not assessed: the scenario's electricity factors give no ADP factor"),
        "{row}"
    );
    assert!(row.ends_with(",total,adp,,,,kgSbeq"), "{row}");
}

#[test]
fn gwp_only_statement_names_what_is_not_assessed() {
    let o = run(&["statement", GWP_ONLY, "--format", "markdown"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let first = o.stdout.lines().next().unwrap_or_default();
    assert!(
        first.contains(
            "ADP and PE are not assessed: the scenario's electricity factors give no ADP factor"
        ),
        "{first}"
    );
    // water: the GPUs' manufacture only (no WUE, no water factor given), a partial sum
    assert!(first.contains("of water use (Water, partial)"), "{first}");
    assert!(
        first.contains("are 51.9") && first.contains("of global warming potential (GWP) and"),
        "the GWP (and the water) alone, no ADP or PE figure: {first}"
    );
    assert!(first.contains("accounts for 7 % of the GWP, "), "{first}");
    // the table has the GWP and water rows alone
    assert!(o.stdout.contains("| GWP [kgCO₂eq] |"), "{}", o.stdout);
    assert!(!o.stdout.contains("| ADP"), "{}", o.stdout);
    assert!(!o.stdout.contains("| PE"), "{}", o.stdout);
    let card = run(&["statement", GWP_ONLY, "--format", "model-card"]);
    assert_eq!(card.code, 0, "{}", card.stderr);
    assert!(
        card.stdout.contains("ADP not assessed, PE not assessed."),
        "{}",
        card.stdout
    );
    let tex = run(&["statement", GWP_ONLY, "--format", "latex"]);
    assert!(
        tex.stdout.contains("ADP and PE are not assessed"),
        "{}",
        tex.stdout
    );
}

#[test]
fn a_part_or_node_given_with_its_gwp_only_leaves_the_embodied_adp_and_pe_unassessed() {
    let v = assess_json(GIVEN);
    for c in ["adp", "pe"] {
        for phase in ["embodied", "total"] {
            let why = v["impacts"][phase][c]["not_assessed"]
                .as_str()
                .unwrap_or_default();
            assert!(
                why.contains("node kind \"server\" (infrastructure[0].embodied) gives no"),
                "{why}"
            );
        }
        assert!(
            v["impacts"]["use"][c]["value"].is_number(),
            "the use phase assesses {c}"
        );
    }
    // 2 nodes x 3000 kgCO2eq x 10 h / (0.5 x 35040 h) + (30.1008 + 50) x 10 / 17520
    let share = 10.0 / (0.5 * 35040.0);
    let emb = num(&v["impacts"]["embodied"]["gwp"]["value"]);
    close(
        emb,
        (2.0 * 3000.0 + 30.1008 + 50.0) * share,
        1e-5,
        "embodied GWP",
    );
    let rows = v["breakdown"].as_array().cloned().unwrap_or_default();
    let part = rows
        .iter()
        .find(|b| b["name"] == "switch share")
        .cloned()
        .unwrap_or_default();
    assert!(part["manufacture"]["adp"]["value"].is_null());
    assert!(part["manufacture"]["adp"]["not_assessed"]
        .as_str()
        .unwrap_or_default()
        .contains("part \"switch share\""));
    let cpu = rows
        .iter()
        .find(|b| b["name"] == "AMD EPYC 7763")
        .cloned()
        .unwrap_or_default();
    assert!(
        cpu["manufacture"]["adp"]["value"].is_number(),
        "a computed part assesses ADP"
    );
    let node = rows
        .iter()
        .find(|b| b["level"] == "node" && b["node"] == "switch")
        .cloned()
        .unwrap_or_default();
    assert!(
        node["per_fu"]["pe"]["value"].is_null(),
        "a node with a part lacking PE lacks PE"
    );
}

#[test]
fn monte_carlo_and_compare_leave_unassessed_criteria_out() {
    let v = json(&[
        "assess",
        GWP_ONLY,
        "--format",
        "json",
        "--samples",
        "200",
        "--seed",
        "1",
    ]);
    assert!(v["impacts"]["total"]["adp"].get("distribution").is_none());
    assert!(v["impacts"]["total"]["gwp"]["distribution"]["mean"].is_number());
    assert!(v["monte_carlo"]["impacts"]["total"]["adp"].is_null());
    for s in v["monte_carlo"]["sensitivity"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        assert!(
            s["rank_correlation"]["pe"].is_null() && s["swing"]["pe"].is_null(),
            "{s}"
        );
        assert!(s["rank_correlation"]["gwp"].is_number(), "{s}");
    }
    let c = json(&[
        "compare",
        "tests/fixtures/valid.yaml",
        GWP_ONLY,
        "--format",
        "json",
    ]);
    let rows = c["rows"].as_array().cloned().unwrap_or_default();
    let adp = rows
        .iter()
        .find(|r| r["key"] == "adp_total")
        .cloned()
        .unwrap_or_default();
    assert!(adp["values"][0]["value"].is_number());
    assert!(adp["values"][1].is_null(), "not assessed: no cell, {adp}");
    assert_eq!(adp["best"], serde_json::json!(["valid"]));
}

#[test]
fn electricity_factors_without_any_criterion_are_refused_at_the_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join(GWP_ONLY))
        .expect("fixture")
        .replace("    gwp_kgco2eq_per_kwh: 0.4\n", "");
    let p = write(dir.path(), "s.yaml", &text);
    let o = run(&["assess", p.to_str().expect("UTF-8 path")]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("no electricity factor given"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("electricity.factors"), "{}", o.stderr);
    assert!(o.stderr.contains("s.yaml:14"), "{}", o.stderr);
}
