//! Jay (2024): "Allocation on the ResNet-50 and ResNet-50* FU" and "Summary of ResNet-50 and
//! ResNet-50* FU performances", reproduced by the shipped scenarios within 1.5 %.

use crate::common::*;

const TOL: f64 = 0.015;

fn check(path: &str, phase: &str, want: [f64; 3]) {
    let r = assess_json(path);
    for (c, w) in ["gwp", "adp", "pe"].iter().zip(want) {
        close(
            num(&r["impacts"][phase][c]["value"]),
            w,
            TOL,
            &format!("{path} {phase} {c}"),
        );
    }
}

#[test]
fn apollo_resnet50_allocation_table() {
    let p = "scenarios/jay2024-apollo-resnet50.yaml";
    check(p, "use", [1.31e-1, 7.80e-8, 1.96e1]);
    check(p, "embodied", [8.30e-2, 6.00e-6, 1.07e0]);
}

#[test]
fn jetson_resnet50star_allocation_table() {
    let p = "scenarios/jay2024-jetson-resnet50star.yaml";
    check(p, "use", [1.60e-1, 9.59e-8, 2.41e1]);
    check(p, "embodied", [3.43e-1, 1.07e-4, 4.89e0]);
}

#[test]
fn summary_table_totals_energy_and_duration() {
    // Summary of ResNet-50 and ResNet-50* FU performances: electricity (kWh), duration (h),
    // GWP, ADP, PE totals.
    let rows = [
        (
            "scenarios/jay2024-jetson-resnet50star.yaml",
            1.974036108,
            88.86541726,
            [5.03e-1, 1.07e-4, 2.90e1],
        ),
        (
            "scenarios/jay2024-apollo-resnet50.yaml",
            1.605368,
            0.4903240667,
            [2.14e-1, 6.08e-6, 2.07e1],
        ),
        (
            "scenarios/jay2024-apollo-resnet50star.yaml",
            0.5723368444,
            0.1876559211,
            [7.83e-2, 2.33e-6, 7.39e0],
        ),
    ];
    for (p, kwh, h, total) in rows {
        let r = assess_json(p);
        close(num(&r["energy_kwh"]["value"]), kwh, 1e-12, p);
        close(num(&r["duration_h"]["value"]), h, 1e-12, p);
        for (c, w) in ["gwp", "adp", "pe"].iter().zip(total) {
            close(
                num(&r["impacts"]["total"][c]["value"]),
                w,
                TOL,
                &format!("{p} total {c}"),
            );
        }
    }
}

#[test]
fn seed_node_totals_are_the_seeds() {
    for (p, want) in [
        (
            "scenarios/jay2024-apollo-resnet50.yaml",
            [3858.0, 0.28, 49660.0],
        ),
        (
            "scenarios/jay2024-jetson-resnet50star.yaml",
            [87.0, 0.0274, 1254.0],
        ),
    ] {
        let r = assess_json(p);
        let node = &r["breakdown"][0];
        assert_eq!(node["level"], "node");
        for (c, w) in ["gwp", "adp", "pe"].iter().zip(want) {
            close(num(&node["manufacture"][c]["value"]), w, 1e-12, p);
        }
    }
}

#[test]
fn stated_aur_of_one_half_would_not_reproduce_the_table() {
    // The seed states AUR 50 % over 4 years; its figures imply 65 %. With 50 % the Apollo
    // embodied GWP would be 3858 x 0.4903 / 17520 = 0.108, 30 % above the published 0.083.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("scenarios/jay2024-apollo-resnet50.yaml"))
        .expect("scenario");
    let p = write(
        dir.path(),
        "half.yaml",
        &text.replace(
            "active_utilization_rate: 0.65",
            "active_utilization_rate: 0.5",
        ),
    );
    let r = assess_json(p.to_str().expect("utf-8 path"));
    close(
        num(&r["impacts"]["embodied"]["gwp"]["value"]),
        3858.0 * 0.4903240667 / 17520.0,
        1e-9,
        "AUR 0.5",
    );
    assert!(num(&r["impacts"]["embodied"]["gwp"]["value"]) > 0.083 * 1.25);
}

#[test]
fn bottom_up_scenarios_print_the_breakdown() {
    let o = run(&["assess", "scenarios/apollo-6500-bom.yaml"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for part in [
        "NVIDIA A100 SXM4 80GB",
        "AMD EPYC 7763",
        "32 GB memory",
        "rack case",
        "Sources:",
        "Assumptions:",
    ] {
        assert!(o.stdout.contains(part), "missing {part}:\n{}", o.stdout);
    }
    let r = assess_json("scenarios/apollo-6500-bom.yaml");
    // 8 x 567.72 (GPU) + 2 x 30.10 (CPU) + 1977.44 (RAM) + 150 + 66.1 + 6.68
    let want = 8.0 * 567.722866651 + 2.0 * 30.1008 + 1977.44327 + 150.0 + 66.1 + 6.68;
    close(
        num(&r["breakdown"][0]["manufacture"]["gwp"]["value"]),
        want,
        1e-6,
        "Apollo BOM GWP",
    );
    let j = assess_json("scenarios/jetson-agx-xavier-bom.yaml");
    // SoC 16.035 + LPDDR4x 32/1.244364 x 2.2 + 5.22 + eMMC 32/54.884 x 2.2 + 6.34 + PCB 87 x 0.032549
    let want =
        16.035 + (32.0 / 1.244364 * 2.2 + 5.22) + (32.0 / 54.884 * 2.2 + 6.34) + 87.0 * 0.032549;
    close(
        num(&j["breakdown"][0]["manufacture"]["gwp"]["value"]),
        want,
        1e-4,
        "Jetson BOM GWP",
    );
}

#[test]
fn catalog_nodes_equal_the_bottom_up_scenarios() {
    for (scenario, node) in [
        ("scenarios/apollo-6500-bom.yaml", "HPE Apollo 6500 Gen10"),
        ("scenarios/jetson-agx-xavier-bom.yaml", "Jetson AGX Xavier"),
    ] {
        let r = assess_json(scenario);
        let h = json(&["hardware", "show", node, "--format", "json"]);
        for c in ["gwp", "adp", "pe"] {
            for b in ["value", "min", "max"] {
                close(
                    num(&h["embodied"][c][b]),
                    num(&r["breakdown"][0]["manufacture"][c][b]),
                    1e-12,
                    &format!("{node} {c} {b}"),
                );
            }
        }
    }
}
