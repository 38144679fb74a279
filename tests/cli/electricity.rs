//! Where the electricity comes from: countries written as ISO 3166-1 alpha-2, alpha-3 codes or
//! names, and cloud regions, through `mlca assess` and `mlca mix show`.

use crate::common::*;
use serde_json::Value;

/// The GOOD scenario with its `electricity.country: FRA` line replaced by `line`.
fn with_electricity(dir: &std::path::Path, name: &str, line: &str) -> String {
    let text = GOOD.replace("  country: FRA", line);
    write(dir, name, &text).display().to_string()
}

fn factors(report: &Value) -> [f64; 3] {
    let e = &report["electricity"];
    [
        num(&e["gwp_kgco2eq_per_kwh"]["value"]),
        num(&e["adp_kgsbeq_per_kwh"]["value"]),
        num(&e["pe_mj_per_kwh"]["value"]),
    ]
}

/// The report's assumptions.
fn assumptions(report: &Value) -> Vec<&str> {
    report["assumptions"]
        .as_array()
        .expect("a list of assumptions")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

#[test]
fn alpha2_alpha3_and_names_give_the_same_factors() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (alpha3, spellings) in [
        ("FRA", ["FR", "fr", "France", "FRA"]),
        ("DEU", ["DE", "de", "Germany", "DEU"]),
        ("USA", ["US", "us", "United States", "usa"]),
    ] {
        let shown = json(&["mix", "show", alpha3, "--format", "json"]);
        let want = [
            num(&shown["factors"]["gwp_kgco2eq_per_kwh"]["value"]),
            num(&shown["factors"]["adp_kgsbeq_per_kwh"]["value"]),
            num(&shown["factors"]["pe_mj_per_kwh"]["value"]),
        ];
        let mut uses = Vec::new();
        for (i, s) in spellings.iter().enumerate() {
            let f = with_electricity(
                dir.path(),
                &format!("{alpha3}-{i}.yaml"),
                &format!("  country: {s}"),
            );
            let r = assess_json(&f);
            assert_eq!(r["electricity"]["location"], alpha3, "{s}");
            assert_eq!(factors(&r), want, "{s}");
            uses.push(num(&r["impacts"]["use"]["gwp"]["value"]));
            let said = r["assumptions"]
                .as_array()
                .expect("assumptions")
                .iter()
                .any(|a| {
                    a.as_str()
                        .is_some_and(|a| a.starts_with(&format!("electricity.country \"{s}\"")))
                });
            // an alpha-3 code is the data's own key: nothing to say; any other spelling is named
            assert_eq!(
                said,
                !s.eq_ignore_ascii_case(alpha3),
                "{s}: {}",
                r["assumptions"]
            );
            // the same factors from `mix show` in every spelling
            let m = json(&["mix", "show", s, "--format", "json"]);
            assert_eq!(m["code"], alpha3, "{s}");
        }
        // 100 kWh x PUE 1.2 x the country's GWP factor, whatever the spelling
        for u in &uses {
            close(*u, 120.0 * want[0], 1e-12, alpha3);
        }
    }
    let r = assess_json(&with_electricity(dir.path(), "fr.yaml", "  country: FR"));
    let a = assumptions(&r);
    assert!(
        a.contains(&"electricity.country \"FR\": ISO 3166-1 alpha-2 code of FRA (France) [iso-3166-1-iso-codes-4.15.0, 2023]"),
        "{a:?}"
    );
    assert!(r["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .any(|s| s["id"] == "iso-3166-1-iso-codes-4.15.0"));
}

#[test]
fn a_cloud_region_is_assessed_with_its_country_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = with_electricity(dir.path(), "aws.yaml", "  cloud_region: aws us-east-1");
    let r = assess_json(&f);
    let usa = assess_json(&with_electricity(dir.path(), "usa.yaml", "  country: USA"));
    assert_eq!(r["electricity"]["location"], "aws us-east-1 -> USA");
    assert_eq!(factors(&r), factors(&usa));
    assert_eq!(r["impacts"]["use"], usa["impacts"]["use"]);
    let a = assumptions(&r);
    assert!(
        a.iter().any(|x| x.starts_with("electricity.cloud_region aws us-east-1 -> USA (United States): the country's mix [boavizta-2.5.0-cloud-regions")),
        "{a:?}"
    );
    assert!(
        a.iter().any(|x| x.starts_with("electricity USA GWP: ")),
        "{a:?}"
    );
    // the table names the region on the electricity line
    let o = run(&["assess", &f]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("Electricity (aws us-east-1 -> USA): "),
        "{}",
        o.stdout
    );
    // a region in another spelling, and on `mix show`
    let m = json(&["mix", "show", "AWS/us-east-1", "--format", "json"]);
    assert_eq!(
        (m["code"].as_str(), m["cloud_region"].as_str()),
        (Some("USA"), Some("aws us-east-1"))
    );
    let m = json(&["mix", "show", "azure westeurope", "--format", "json"]);
    assert_eq!(m["code"], "NLD");
    // the statement says where
    let o = run(&["statement", &f, "--format", "markdown"]);
    assert!(
        o.stdout
            .contains("cloud region aws us-east-1 in United States (USA)"),
        "{}",
        o.stdout
    );
}

#[test]
fn mix_list_gives_alpha2_codes_and_the_cloud_regions() {
    let o = run(&["mix", "list"]);
    assert_eq!(o.code, 0);
    assert!(
        o.stdout.starts_with("code  alpha-2  country\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.lines().any(|l| l == "FRA   FR       France"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\naws: us-east-1 USA, "), "{}", o.stdout);
    assert!(o.stdout.contains("gcp: "), "{}", o.stdout);
}
