//! The catalog, the electricity data, the JSON contract and the output formats.

use crate::common::*;

#[test]
fn json_contract_of_assess() {
    let r = assess_json("tests/fixtures/valid.yaml");
    for phase in ["use", "embodied", "total"] {
        for (c, unit) in [("gwp", "kgCO2eq"), ("adp", "kgSbeq"), ("pe", "MJ")] {
            let o = &r["impacts"][phase][c];
            assert_eq!(o["unit"], unit);
            let (v, lo, hi) = (num(&o["value"]), num(&o["min"]), num(&o["max"]));
            assert!(lo <= v && v <= hi, "{phase} {c}: {lo} {v} {hi}");
        }
    }
    for k in ["value", "min", "max"] {
        assert!(r["energy_kwh"][k].is_number());
    }
    for k in ["breakdown", "assumptions", "warnings", "sources"] {
        assert!(r[k].is_array(), "{k}");
    }
    // use = E x PUE x F_elec: 100 kWh x 1.2 x 0.098 (FRA, BoaviztAPI 2.5.0)
    close(
        num(&r["impacts"]["use"]["gwp"]["value"]),
        100.0 * 1.2 * 0.098,
        1e-12,
        "use gwp",
    );
    // total = use + embodied, bound by bound
    for c in ["gwp", "adp", "pe"] {
        for b in ["value", "min", "max"] {
            let sum = num(&r["impacts"]["use"][c][b]) + num(&r["impacts"]["embodied"][c][b]);
            close(num(&r["impacts"]["total"][c][b]), sum, 1e-12, "total");
        }
    }
    // embodied = 2 nodes x node x 10 h / (0.5 x 35040 h)
    let node = num(&r["breakdown"][0]["manufacture"]["gwp"]["value"]);
    close(
        num(&r["impacts"]["embodied"]["gwp"]["value"]),
        2.0 * node * 10.0 / 17520.0,
        1e-12,
        "embodied",
    );
    let srcs = r["sources"].to_string();
    assert!(
        srcs.contains("sciencedirect-s0306261921012149")
            && srcs.contains("boavizta-2.5.0-gpu-specs")
    );
}

#[test]
fn every_format_renders() {
    let t = run(&["assess", "tests/fixtures/valid.yaml"]);
    assert!(t.stdout.contains("Impacts per functional unit") && t.stdout.contains("GWP [kgCO2eq]"));
    let c = run(&["assess", "tests/fixtures/valid.yaml", "--format", "csv"]);
    assert!(c
        .stdout
        .starts_with("section,node,component,name,phase,criterion,value,min,max,unit\n"));
    assert!(c.stdout.contains("impacts,,,,total,gwp,"));
    let m = run(&[
        "assess",
        "tests/fixtures/valid.yaml",
        "--format",
        "markdown",
    ]);
    assert!(m
        .stdout
        .contains("| Criterion | Use | Embodied | Total | Embodied share |"));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("r.json");
    let o = run(&[
        "assess",
        "tests/fixtures/valid.yaml",
        "--format",
        "json",
        "--output",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn hardware_list_and_show() {
    let o = run(&["hardware", "list", "--kind", "node"]);
    for n in [
        "HPE Apollo 6500 Gen10",
        "NVIDIA Jetson AGX Xavier",
        "NVIDIA DGX-1",
        "NVIDIA DGX A100",
    ] {
        assert!(o.stdout.contains(n), "{n}");
    }
    let o = run(&["hardware", "list", "--kind", "gpu"]);
    assert!(o.stdout.contains("NVIDIA A100 SXM4 80GB") && o.stdout.contains("[masses not known]"));
    let o = run(&["hardware", "show", "DGX A100"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("AMD EPYC 7742") && o.stdout.contains("not included"));
    let o = run(&["hardware", "show", "Intel Xeon E5-2698 V4"]);
    assert!(o.stdout.contains("cores: not known"), "{}", o.stdout);
}

#[test]
fn mix_show_gives_factors_and_sources() {
    let m = json(&["mix", "show", "FRA", "--format", "json"]);
    close(
        num(&m["factors"]["gwp_kgco2eq_per_kwh"]["value"]),
        0.098,
        0.0,
        "FRA gwp",
    );
    close(
        num(&m["factors"]["adp_kgsbeq_per_kwh"]["value"]),
        4.85798e-8,
        0.0,
        "FRA adp",
    );
    close(
        num(&m["factors"]["pe_mj_per_kwh"]["value"]),
        11.289,
        0.0,
        "FRA pe",
    );
    assert_eq!(m["factors"]["gwp_kgco2eq_per_kwh"]["year"], "2019");
    let w = json(&["mix", "show", "world", "--format", "json"]);
    close(
        num(&w["factors"]["gwp_kgco2eq_per_kwh"]["min"]),
        0.023,
        0.0,
        "WOR gwp min",
    );
    close(
        num(&w["factors"]["gwp_kgco2eq_per_kwh"]["max"]),
        1.13161,
        0.0,
        "WOR gwp max",
    );
    for (code, gwp) in [("USA", 0.37), ("DEU", 0.422), ("DNK", 0.158), ("EEE", 0.38)] {
        let m = json(&["mix", "show", code, "--format", "json"]);
        close(
            num(&m["factors"]["gwp_kgco2eq_per_kwh"]["value"]),
            gwp,
            0.0,
            code,
        );
    }
}

#[test]
fn data_directory_overrides_embedded_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("impact-data/electricity.csv")).expect("data");
    let text = text.replace("FRA,France,0.098,", "FRA,France,0.05,");
    write(dir.path(), "electricity.csv", &text);
    let d = dir.path().to_str().expect("path");
    let r = json(&[
        "--data",
        d,
        "assess",
        "tests/fixtures/valid.yaml",
        "--format",
        "json",
    ]);
    close(
        num(&r["impacts"]["use"]["gwp"]["value"]),
        100.0 * 1.2 * 0.05,
        1e-12,
        "override",
    );
    write(dir.path(), "electricity.csv", "code,country\nFRA");
    let o = run(&["--data", d, "assess", "tests/fixtures/valid.yaml"]);
    snap("catalog__data_override_truncated_csv", &o, &[dir.path()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("electricity.csv"), "{}", o.stderr);
    let broken = text.replace(",ember-2020,", ",no-such-source,");
    write(dir.path(), "electricity.csv", &broken);
    let o = run(&["--data", d, "mix", "show", "USA"]);
    snap("catalog__data_override_unknown_source", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("not in sources.csv"), "{}", o.stderr);
}

#[test]
fn help_on_every_command_with_examples() {
    for args in [
        vec!["--help"],
        vec!["assess", "--help"],
        vec!["validate", "--help"],
        vec!["hardware", "list", "--help"],
        vec!["hardware", "show", "--help"],
        vec!["mix", "show", "--help"],
        vec!["trace", "summary", "--help"],
        vec!["extrapolate", "--help"],
        vec!["compare", "--help"],
        vec!["statement", "--help"],
        vec!["plot", "--help"],
    ] {
        let o = run(&args);
        assert_eq!(o.code, 0, "{args:?}");
        assert!(o.stdout.contains("Example"), "{args:?}: {}", o.stdout);
    }
}

#[test]
fn tdp_energy_count_blade_and_physical_gpu_die() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = write(
        dir.path(),
        "tdp.yaml",
        "\
functional_unit: {name: ten fine-tunings, count: 10}
infrastructure:
  - name: blade
    nodes: 2
    bom:
      gpus:
        - {name: custom GPU, units: 1, die_area_mm2: 826, vram_gb: 80, vram_dies: 6,
           pcb_area_cm2: 105, casing_kg: 0.09, heatsink_kg: 1.25, mass_kg: 1.56}
      case: blade
run: {duration_h: 5}
energy:
  tdp:
    - {component: gpu, tdp_w: 400, usage: 0.5, units: 4}
    - {component: cpu, tdp_w: {value: 280, min: 200, max: 280}, usage: 0.25, units: 2}
    - {component: memory, capacity_gb: 512}
electricity: {country: DEU, pue: {value: 1.2, min: 1.1, max: 1.4}}
allocation: {lifetime_years: 5, active_utilization_rate: 1}
",
    );
    let r = json(&["assess", p.to_str().expect("path"), "--format", "json"]);
    // GPU 400 x 0.5 x 4 = 800 W; CPU 280 x 0.25 x 2 = 140 (100..140) W; memory 512 x 0.3725 =
    // 190.72 W; x 5 h = 5.6536 (5.4536..5.6536) kWh for the run, / 10 FUs
    close(
        num(&r["energy_kwh"]["value"]),
        5.6536 / 10.0,
        1e-12,
        "energy",
    );
    close(
        num(&r["energy_kwh"]["min"]),
        5.4536 / 10.0,
        1e-12,
        "energy min",
    );
    assert_eq!(r["energy"]["method"], "tdp");
    // use = E x PUE x 0.422 (DEU), bounds with the PUE's
    close(
        num(&r["impacts"]["use"]["gwp"]["value"]),
        0.56536 * 1.2 * 0.422,
        1e-12,
        "use",
    );
    close(
        num(&r["impacts"]["use"]["gwp"]["max"]),
        0.56536 * 1.4 * 0.422,
        1e-12,
        "use max",
    );
    close(
        num(&r["impacts"]["use"]["gwp"]["min"]),
        0.54536 * 1.1 * 0.422,
        1e-12,
        "use min",
    );
    // a physical 826 mm2 die is the A100's 2876.29 mm2 effective: the card is the A100's 567.72
    let gpu = r["breakdown"][1]["manufacture"]["gwp"]["value"]
        .as_f64()
        .expect("gwp");
    close(gpu, 567.722866651, 1e-6, "GPU from its physical die");
    // blade: 30.9 + 880 / 16 = 85.9 kgCO2eq
    close(
        num(&r["breakdown"][2]["manufacture"]["gwp"]["value"]),
        85.9,
        1e-12,
        "blade case",
    );
    // embodied per FU = 2 nodes x node x 5 h / (1 x 43800 h) / 10
    let node = num(&r["breakdown"][0]["manufacture"]["gwp"]["value"]);
    close(
        num(&r["impacts"]["embodied"]["gwp"]["value"]),
        2.0 * node * 5.0 / 43800.0 / 10.0,
        1e-12,
        "embodied",
    );
    let a = r["assumptions"].to_string();
    assert!(
        a.contains("0.3725") && a.contains("divided by 10") && a.contains("wafer"),
        "{a}"
    );
}
