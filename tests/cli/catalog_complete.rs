//! Catalog completeness: every GPU resolves (the B200 and B300 with BoaviztAPI's 'Large GPU'
//! board area, said), BoaviztAPI's CPU rows without a die area are known and ask for one, the
//! VRAM given as an area, the server shorthand, the default densities as exact means, the DGX
//! and HGX nodes, and cloud instances as a share of their host platform.

use crate::common::*;

fn gwp(v: &serde_json::Value) -> f64 {
    num(&v["embodied"]["gwp"]["value"])
}

#[test]
fn every_gpu_of_the_catalog_resolves() {
    let text = std::fs::read_to_string(root().join("impact-data/gpus.csv")).expect("gpus.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut n = 0;
    for r in rdr.records() {
        let name = r.expect("row")[0].to_string();
        let v = json(&[
            "hardware", "show", &name, "--kind", "gpu", "--format", "json",
        ]);
        assert!(gwp(&v) > 0.0, "{name}");
        n += 1;
    }
    assert_eq!(n, 33);
}

#[test]
fn the_b200_takes_the_large_gpu_board_area_with_a_warning() {
    let o = run(&["hardware", "show", "NVIDIA B200 180GB"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("pcb_area not known: default 296 cm2"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(
            "the board (PCB) area is not known; BoaviztAPI's 'Large GPU' archetype area is used"
        ),
        "{}",
        o.stdout
    );
    // the PCB term: 296 cm2 x the GPU board factor, as BoaviztAPI's archetype
    let v = json(&["hardware", "show", "NVIDIA B200 180GB", "--format", "json"]);
    let with = gwp(&v);
    assert!(with > 1000.0, "{with}");
}

#[test]
fn a_cpu_without_a_die_area_in_the_data_asks_for_one() {
    let o = run(&[
        "hardware",
        "show",
        "Intel Xeon Platinum 8273CL",
        "--kind",
        "cpu",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("has no die area in the data: give die_area_mm2"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("unknown CPU"), "{}", o.stderr);
}

fn scenario(infra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "functional_unit: {{name: catalog}}\ninfrastructure:\n{infra}run: {{duration_h: 10}}\nenergy: {{declared_kwh: 100}}\nelectricity: {{country: USA, pue: 1.2}}\nallocation: {{lifetime_years: 6, active_utilization_rate: 1}}\n"
    );
    let p = write(dir.path(), "s.yaml", &text);
    (dir, p.to_str().expect("UTF-8").to_string())
}

fn node_gwp(v: &serde_json::Value) -> f64 {
    num(&v["breakdown"][0]["manufacture"]["gwp"]["value"])
}

#[test]
fn vram_as_an_area_and_the_server_shorthand() {
    // 80 GB x 15.5 mm2/GB = 1240 mm2 over 6 dies: the same card as the catalog's A100 80GB
    let (_a, by_gb) = scenario(
        "  - {name: n, nodes: 1, bom: {gpus: [{model: NVIDIA A100 SXM4 80GB, units: 1}]}}\n",
    );
    let (_b, by_area) = scenario("  - {name: n, nodes: 1, bom: {gpus: [{model: NVIDIA A100 SXM4 80GB, units: 1, vram_area_mm2: 1240}]}}\n");
    let (g, a) = (assess_json(&by_gb), assess_json(&by_area));
    close(node_gwp(&a), node_gwp(&g), 1e-12, "VRAM by area");
    assert!(a["assumptions"]
        .to_string()
        .contains("VRAM given as an area (BoaviztAPI's vram_surface), 1240 mm2 over 6 dies"));
    // server: rack adds the rack case (150), a motherboard (66.1) and the assembly (6.68)
    let (_c, server) = scenario(
        "  - {name: n, nodes: 1, bom: {cpus: [{model: AMD EPYC 7763, units: 2}], server: rack}}\n",
    );
    let v = assess_json(&server);
    close(
        node_gwp(&v),
        2.0 * 30.1008 + 150.0 + 66.1 + 6.68,
        1e-5,
        "server shorthand",
    );
}

#[test]
fn default_densities_are_the_exact_means_of_the_tables() {
    // 32 GB / (13.688/11 GB/cm2) x 2.20 kgCO2eq/cm2 + 5.22
    let (_d, p) = scenario("  - {name: n, nodes: 1, bom: {ram: [{capacity_gb: 32, units: 1}]}}\n");
    let v = assess_json(&p);
    close(
        node_gwp(&v),
        32.0 / (13.688 / 11.0) * 2.20 + 5.22,
        1e-12,
        "RAM at the mean density",
    );
}

#[test]
fn dgx_and_hgx_nodes_are_in_the_catalog_with_what_they_leave_out() {
    for (name, gpu) in [
        ("NVIDIA DGX H100", "NVIDIA H100 SXM 80GB"),
        ("NVIDIA HGX H100 8-GPU", "NVIDIA H100 SXM 80GB"),
        ("NVIDIA DGX H200", "NVIDIA H200 SXM 141GB"),
        ("NVIDIA DGX B200", "NVIDIA B200 180GB"),
    ] {
        let v = json(&["hardware", "show", name, "--format", "json"]);
        let parts = v["components"].as_array().cloned().unwrap_or_default();
        let g = parts
            .iter()
            .find(|c| c["component"] == "gpu")
            .cloned()
            .unwrap_or_default();
        assert_eq!(g["name"], gpu, "{name}");
        assert_eq!(g["units"], 8, "{name}");
        assert!(
            v["assumptions"].to_string().contains("not included"),
            "{name}: unknowns listed"
        );
    }
    // the HGX board is its eight GPUs
    let hgx = json(&["hardware", "show", "HGX H100 8-GPU", "--format", "json"]);
    let h100 = json(&[
        "hardware",
        "show",
        "NVIDIA H100 SXM 80GB",
        "--format",
        "json",
    ]);
    close(gwp(&hgx), 8.0 * gwp(&h100), 1e-12, "HGX");
}

#[test]
fn cloud_instances_are_a_share_of_their_host_platform() {
    // AWS p5.48xlarge: all 8 GPUs of its host, so the whole host platform
    let (_a, p5) = scenario("  - {name: p5, nodes: 1, instance: aws p5.48xlarge}\n");
    let v = assess_json(&p5);
    let whole = node_gwp(&v);
    assert!(v["assumptions"].to_string().contains(
        "instance aws p5.48xlarge: 8 of the host's 8 GPUs, i.e. 1 of its host platform p5.48xlarge"
    ));
    // p5.4xlarge: 1 of the same host's 8 GPUs
    let (_b, small) = scenario("  - {name: p5, nodes: 1, instance: aws p5.4xlarge}\n");
    close(
        node_gwp(&assess_json(&small)),
        whole / 8.0,
        1e-12,
        "one GPU of eight",
    );
    // Azure NV12s v3: 1 of the 4 Tesla M60 of its NVsv3 host
    let (_c, nv) = scenario("  - {name: nv, nodes: 2, instance: azure nv12s_v3}\n");
    let v = assess_json(&nv);
    assert!(v["assumptions"]
        .to_string()
        .contains("1 of the host's 4 GPUs, i.e. 0.25 of its host platform NVsv3-Type1"));
    // GCP a2-ultragpu-1g: its host's Xeon 8273CL has no die area in the data; given here as a
    // Cascade Lake XCC die (694 mm2), the rest from the host platform
    let (_d, a2) = scenario("  - {name: a2, nodes: 1, instance: gcp a2-ultragpu-1g, bom: {cpus: [{model: Intel Xeon Platinum 8273CL, die_area_mm2: 694, units: 2}]}}\n");
    let v = assess_json(&a2);
    assert!(
        v["assumptions"]
            .to_string()
            .contains("read as 340 units of 4 GB"),
        "the GCP RAM row read as its whole memory"
    );
    assert!(node_gwp(&v) > 0.0);
    // a misspelt instance: the closest names
    let (_e, bad) = scenario("  - {name: p4, nodes: 1, instance: aws p4d.24xlarg}\n");
    let o = run(&["assess", &bad]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("did you mean \"aws p4d.24xlarge\""),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("infrastructure[0].instance"),
        "{}",
        o.stderr
    );
}
