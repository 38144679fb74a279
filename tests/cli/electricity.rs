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

// ---- time-varying electricity ----

/// The report's energy-weighted mean intensity (gCO2eq/kWh) and use-phase GWP (kgCO2eq), within
/// 1e-12 of the hand computation.
fn weighted(r: &Value, mean_g_per_kwh: f64, use_kg: f64) {
    let i = &r["electricity"]["intensity"];
    close(
        num(&i["energy_weighted_gco2eq_per_kwh"]),
        mean_g_per_kwh,
        1e-12,
        "mean intensity",
    );
    close(
        num(&r["impacts"]["use"]["gwp"]["value"]),
        use_kg,
        1e-12,
        "use GWP",
    );
    close(
        num(&i["use_gwp_kgco2eq"]["value"]),
        use_kg,
        1e-12,
        "use GWP of the intensity",
    );
}

/// The FRA static GWP factor, kgCO2eq/kWh.
fn fra_gwp() -> f64 {
    let m = json(&["mix", "show", "FRA", "--format", "json"]);
    num(&m["factors"]["gwp_kgco2eq_per_kwh"]["value"])
}

#[test]
fn a_step_in_intensity_inside_a_trace() {
    // The GPU trace, in French time (UTC+2), samples every 15 min from 10:30 to 11:30 UTC:
    // 200, 200, 200, 400, 400 W. Trapezoids: 10:30-10:45 180 kJ, 10:45-11:00 180 kJ,
    // 11:00-11:15 (200 + 400) / 2 x 900 = 270 kJ, 11:15-11:30 360 kJ: 990 kJ = 0.275 kWh.
    // The series: 100 gCO2eq/kWh from 10:00, 400 from 11:00 (UTC). Before the step 360 kJ =
    // 0.1 kWh x 100 = 10 g; after 630 kJ = 0.175 kWh x 400 = 70 g: 80 g over 0.275 kWh, a mean
    // of 290.909 g/kWh (min 100, max 400). Use GWP = 0.275 x PUE 1.2 x 0.290909 = 0.096 kg;
    // the static factor gives 0.275 x 1.2 x F_FRA.
    let r = assess_json("tests/fixtures/intensity/trace-step.yaml");
    close(num(&r["energy_kwh"]["value"]), 0.275, 1e-12, "energy");
    let i = &r["electricity"]["intensity"];
    weighted(&r, 80.0 / 0.275, 0.096);
    assert_eq!(
        (num(&i["min_gco2eq_per_kwh"]), num(&i["max_gco2eq_per_kwh"])),
        (100.0, 400.0)
    );
    close(
        num(&r["electricity"]["gwp_kgco2eq_per_kwh"]["value"]),
        0.080 / 0.275,
        1e-12,
        "factor",
    );
    close(
        num(&i["static_use_gwp_kgco2eq"]["value"]),
        0.275 * 1.2 * fra_gwp(),
        1e-12,
        "static",
    );
    assert_eq!(i["run_start"], "2024-06-12T10:30:00Z");
    assert_eq!(i["run_end"], "2024-06-12T11:30:00Z");
    assert_eq!(i["format"], "plain");
    // ADP and PE keep the static factors
    let m = json(&["mix", "show", "FRA", "--format", "json"]);
    close(
        num(&r["impacts"]["use"]["pe"]["value"]),
        0.275 * 1.2 * num(&m["factors"]["pe_mj_per_kwh"]["value"]),
        1e-12,
        "PE",
    );
    let a = assumptions(&r);
    assert!(
        a.iter()
            .any(|x| x.contains("ADP and PE from the static factors of FRA")),
        "{a:?}"
    );
    assert!(
        a.iter().any(|x| x.contains("times read in Europe/Paris")),
        "{a:?}"
    );
    assert!(
        a.iter().any(
            |x| x.starts_with("electricity FRA GWP (static: the intensity series replaces it)")
        ),
        "{a:?}"
    );
    // the table says it
    let o = run(&["assess", "tests/fixtures/intensity/trace-step.yaml"]);
    assert!(o.stdout.contains("290.9 gCO2eq/kWh energy-weighted over the run 2024-06-12T10:30:00Z to 2024-06-12T11:30:00Z (min 100, max 400)"), "{}", o.stdout);
    // the same trace, its clock given on the command line instead
    let v = json(&[
        "assess",
        "tests/bad/scenario/intensity-trace-no-zone.yaml",
        "--run-time-zone",
        "+02:00",
        "--format",
        "json",
    ]);
    close(
        num(&v["impacts"]["use"]["gwp"]["value"]),
        0.096,
        1e-12,
        "use GWP, +02:00",
    );
}

#[test]
fn a_series_that_does_not_cover_the_run_names_the_gap() {
    // the trace runs 12:30-13:30 UTC, the series' last row (12:00) holds to 13:00
    let o = run(&["assess", "tests/bad/scenario/intensity-gap.yaml"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("intensity-gap.yaml:15"), "{}", o.stderr);
    assert!(
        o.stderr.contains("2024-06-12T13:00:00Z to 2024-06-12T13:30:00Z is after the series ends (the series covers 2024-06-12T10:00:00Z to 2024-06-12T13:00:00Z)"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn the_lowest_carbon_start_on_a_known_series() {
    // 2 kWh spread over 2 h from 00:00 UTC on 400, 300, 100, 80, 500 gCO2eq/kWh (hourly):
    // at the actual start 1 x 400 + 1 x 300 = 700 g (mean 350); 1 h later 400 g, 2 h later
    // 180 g (mean 90), 3 h later 580 g. Use GWP = 2 x 1.2 x 0.35 = 0.84 kg; the best start,
    // 02:00, gives 2 x 1.2 x 0.09 = 0.216 kg: 0.624 kg saved, 74.29 %.
    let r = assess_json("tests/fixtures/intensity/declared-shift.yaml");
    let i = &r["electricity"]["intensity"];
    weighted(&r, 350.0, 0.84);
    let b = &i["best_start"];
    assert_eq!(b["start"], "2024-06-12T02:00:00Z");
    assert_eq!(b["end"], "2024-06-12T04:00:00Z");
    assert_eq!((num(&b["delay_h"]), num(&b["starts_tried"])), (2.0, 4.0));
    close(
        num(&b["energy_weighted_gco2eq_per_kwh"]),
        90.0,
        1e-12,
        "best mean",
    );
    close(num(&b["use_gwp_kgco2eq"]), 0.216, 1e-12, "best use GWP");
    close(num(&b["saving_kgco2eq"]), 0.624, 1e-12, "saving");
    close(
        num(&b["saving_percent"]),
        100.0 * 0.624 / 0.84,
        1e-12,
        "saving %",
    );
    let a = assumptions(&r);
    assert!(
        a.contains(&"run.end not given: run.start + run.duration_h (2 h)"),
        "{a:?}"
    );
    // a window past the series' end: starts up to 3 h tried, and a warning says so
    let o = run(&[
        "assess",
        "tests/fixtures/intensity/declared-shift.yaml",
        "--best-start-within",
        "1d",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).expect("JSON");
    let b = &v["electricity"]["intensity"]["best_start"];
    assert_eq!(
        (num(&b["within_h"]), num(&b["series_covers_starts_to_h"])),
        (24.0, 3.0)
    );
    assert_eq!(b["start"], "2024-06-12T02:00:00Z");
    assert!(
        o.stderr
            .contains("the intensity series ends before the window"),
        "{}",
        o.stderr
    );
    // the Monte Carlo runs with the series' factor
    let v = json(&[
        "assess",
        "tests/fixtures/intensity/declared-shift.yaml",
        "--samples",
        "200",
        "--format",
        "json",
    ]);
    close(
        num(&v["monte_carlo"]["impacts"]["use"]["gwp"]["mean"]),
        0.84,
        1e-9,
        "MC use GWP",
    );
}

/// A scenario of `kwh` declared from `start` to `end` (times as written), in `dir`.
fn declared(dir: &std::path::Path, name: &str, kwh: f64, start: &str, end: &str) -> String {
    let text = GOOD
        .replace(
            "  duration_h: 10",
            &format!("  duration_h: 1\n  start: \"{start}\"\n  end: \"{end}\""),
        )
        .replace("  declared_kwh: 100", &format!("  declared_kwh: {kwh}"));
    write(dir, name, &text).display().to_string()
}

#[test]
fn electricity_maps_and_eco2mix_exports() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Electricity Maps, 08:00-10:00 UTC, 2 kWh evenly: (60.4 + 58.8) / 2 = 59.6 g/kWh life
    // cycle (the default); direct (24.16 + 23.52) / 2 = 23.84
    let f = declared(
        dir.path(),
        "em.yaml",
        2.0,
        "2024-06-12T08:00:00Z",
        "2024-06-12T10:00:00Z",
    );
    let em = "tests/fixtures/intensity/electricity-maps-fr.csv";
    let r = json(&["assess", &f, "--intensity", em, "--format", "json"]);
    let i = &r["electricity"]["intensity"];
    close(
        num(&i["energy_weighted_gco2eq_per_kwh"]),
        59.6,
        1e-12,
        "life cycle",
    );
    assert_eq!(
        (i["format"].as_str(), i["basis"].as_str()),
        (Some("electricity-maps"), Some("life-cycle"))
    );
    let a = assumptions(&r);
    assert!(
        a.iter()
            .any(|x| x.contains("life-cycle (the default, as the static factors)")),
        "{a:?}"
    );
    let r = json(&[
        "assess",
        &f,
        "--intensity",
        em,
        "--intensity-basis",
        "direct",
        "--format",
        "json",
    ]);
    close(
        num(&r["electricity"]["intensity"]["energy_weighted_gco2eq_per_kwh"]),
        23.84,
        1e-12,
        "direct",
    );
    // eCO2mix, 10:00-11:00 French time (08:00-09:00 UTC), 1 kWh: (20 + 24 + 28 + 32) / 4 = 26
    let eco = "tests/fixtures/intensity/eco2mix-fr.xls";
    let f = declared(
        dir.path(),
        "eco.yaml",
        1.0,
        "2024-06-12T10:00:00+02:00",
        "2024-06-12T11:00:00+02:00",
    );
    let r = json(&["assess", &f, "--intensity", eco, "--format", "json"]);
    let i = &r["electricity"]["intensity"];
    close(
        num(&i["energy_weighted_gco2eq_per_kwh"]),
        26.0,
        1e-12,
        "eCO2mix",
    );
    assert_eq!(i["run_start"], "2024-06-12T08:00:00Z");
    assert_eq!(i["series_start"], "2024-06-12T08:00:00Z");
    assert!(
        i["times"]
            .as_str()
            .is_some_and(|t| t.contains("Europe/Paris")),
        "{i}"
    );
    // the run's times without a zone, and the zone given
    let f = declared(
        dir.path(),
        "eco-local.yaml",
        1.0,
        "2024-06-12 10:00",
        "2024-06-12 11:00",
    );
    let r = json(&[
        "assess",
        &f,
        "--intensity",
        eco,
        "--run-time-zone",
        "Europe/Paris",
        "--format",
        "json",
    ]);
    close(
        num(&r["electricity"]["intensity"]["energy_weighted_gco2eq_per_kwh"]),
        26.0,
        1e-12,
        "local run",
    );
}

#[test]
fn a_trace_window_cuts_the_bins() {
    // The step trace in a window 12:45-13:15 French time (10:45-11:15 UTC): 180 kJ before the
    // step (0.05 kWh x 100 g = 5 g) and 270 kJ after it (0.075 kWh x 400 g = 30 g): 0.125 kWh,
    // 35 g, a mean of 280 g/kWh; use GWP 0.125 x 1.2 x 0.28 = 0.042 kg.
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = root().join("tests/fixtures/intensity");
    let text = std::fs::read_to_string(fixtures.join("trace-step.yaml"))
        .expect("fixture")
        .replace(
            "    - file: gpu-step.csv",
            &format!(
                "    - file: {}\n      start: \"2024-06-12 12:45:00\"\n      end: \"2024-06-12 13:15:00\"",
                fixtures.join("gpu-step.csv").display()
            ),
        )
        .replace("    file: step.csv", &format!("    file: {}", fixtures.join("step.csv").display()));
    let f = write(dir.path(), "window.yaml", &text);
    let r = assess_json(&f.display().to_string());
    close(num(&r["energy_kwh"]["value"]), 0.125, 1e-12, "energy");
    let i = &r["electricity"]["intensity"];
    weighted(&r, 280.0, 0.042);
    assert_eq!(i["run_start"], "2024-06-12T10:45:00Z");
    assert_eq!(i["run_end"], "2024-06-12T11:15:00Z");
}
