//! The Prometheus path against a real server: Debian's `prometheus`, started on loopback with
//! the two-node example's counters loaded by `promtool tsdb create-blocks-from openmetrics`,
//! gives every job the energy the trace files give, from energy counters and from power gauges
//! (the same energies as hourly mean powers, integrated over each job's window). SKIPPED (said on stderr) where the
//! `prometheus` and `promtool` binaries are not installed (`.ci/run` installs them as root).

use crate::common::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server it holds (by its process) when the test ends, passed or failed.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn installed(bin: &str) -> bool {
    Command::new(bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The cumulative Wh of a fixture trace as (unix s, device, J).
fn counters(path: &Path, device_column: bool) -> Vec<(i64, String, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            // 2026-01-01T0H:00:00, read as UTC
            let h: i64 = c[0][11..13].parse().unwrap();
            let t = 1_767_225_600 + 3600 * h;
            let (dev, wh) = if device_column {
                (c[1].to_string(), c[2])
            } else {
                (String::new(), c[1])
            };
            (t, dev, wh.parse::<f64>().unwrap() * 3600.0)
        })
        .collect()
}

fn ready(port: u16) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /-/ready HTTP/1.0\r\n\r\n").is_err() {
        return false;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.starts_with("HTTP/1.0 200") || out.starts_with("HTTP/1.1 200")
}

#[test]
fn prometheus_counters_give_the_trace_files_energy() {
    if !installed("prometheus") || !installed("promtool") {
        eprintln!("cluster_prometheus: SKIPPED: the prometheus and promtool binaries are not installed (apt-get install prometheus)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fx = root().join("tests/fixtures/cluster/two-nodes");
    // OpenMetrics: one family per counter, each series in time order
    let mut om = String::from("# HELP mlca_node_energy_joules Energy counted by a node's wattmeter.\n# TYPE mlca_node_energy_joules counter\n");
    for (t, _, j) in counters(&fx.join("gpu1-wattmeter.csv"), false) {
        om.push_str(&format!(
            "mlca_node_energy_joules_total{{host=\"gpu1\"}} {j} {t}\n"
        ));
    }
    om.push_str("# HELP mlca_gpu_energy_joules Energy counted by each GPU.\n# TYPE mlca_gpu_energy_joules counter\n");
    let mut gpus = counters(&fx.join("gpu1-gpus.csv"), true);
    gpus.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    for (t, gpu, j) in gpus {
        om.push_str(&format!(
            "mlca_gpu_energy_joules_total{{host=\"gpu1\",gpu=\"{gpu}\"}} {j} {t}\n"
        ));
    }
    // the same energies as power gauges: each hour's mean power, sampled at the hour's end
    let gauge = |rows: Vec<(i64, String, f64)>, family: &str, labels: &dyn Fn(&str) -> String| {
        let mut out = String::new();
        for w in rows.windows(2) {
            let ((t0, d0, j0), (t1, d1, j1)) = (&w[0], &w[1]);
            if d0 == d1 {
                let watts = (j1 - j0) / (t1 - t0) as f64;
                out.push_str(&format!("{family}{{{}}} {watts} {t1}\n", labels(d1)));
            }
        }
        out
    };
    om.push_str("# HELP mlca_node_power_watts Power of a node's wattmeter.\n# TYPE mlca_node_power_watts gauge\n");
    om.push_str(&gauge(
        counters(&fx.join("gpu1-wattmeter.csv"), false),
        "mlca_node_power_watts",
        &|_| "host=\"gpu1\"".into(),
    ));
    om.push_str(
        "# HELP mlca_gpu_power_watts Power of each GPU.\n# TYPE mlca_gpu_power_watts gauge\n",
    );
    let mut gpus = counters(&fx.join("gpu1-gpus.csv"), true);
    gpus.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    om.push_str(&gauge(gpus, "mlca_gpu_power_watts", &|g| {
        format!("host=\"gpu1\",gpu=\"{g}\"")
    }));
    om.push_str("# EOF\n");
    let om_file = write(dir.path(), "counters.om", &om);
    let data = dir.path().join("data");
    let out = Command::new("promtool")
        .args(["tsdb", "create-blocks-from", "openmetrics"])
        .arg(&om_file)
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "promtool: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = write(dir.path(), "prometheus.yml", "global: {}\n");
    let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
    let child = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.tsdb.path={}", data.display()))
        .arg("--storage.tsdb.retention.time=100y")
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let _server = Server(child);
    let start = Instant::now();
    while !ready(port) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "prometheus did not start: {}",
            std::fs::read_to_string(dir.path().join("prometheus.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // the example's inventory with the counters instead of the trace files
    let text = std::fs::read_to_string(fx.join("inventory.yaml")).unwrap();
    let cut = text.find("traces:").unwrap();
    let inv = format!(
        "{}prometheus:\n  url: http://127.0.0.1:1\n  counters:\n    - {{metric: mlca_node_energy_joules_total, host_label: host, component: node, unit: J}}\n    - {{metric: mlca_gpu_energy_joules_total, host_label: host, component: gpu, unit: J}}\n",
        &text[..cut]
    );
    let inv = write(dir.path(), "inventory.yaml", &inv);
    let url = format!("http://127.0.0.1:{port}");
    let sacct = "tests/fixtures/cluster/two-nodes/sacct.txt";
    let from_server = |inv: &Path| -> Value {
        json(&[
            "cluster",
            "report",
            "--inventory",
            inv.to_str().unwrap(),
            "--sacct",
            sacct,
            "--prometheus",
            &url,
            "--format",
            "json",
        ])
    };
    let prom = from_server(&inv);
    let files: Value = json(&[
        "cluster",
        "report",
        "--inventory",
        "tests/fixtures/cluster/two-nodes/inventory.yaml",
        "--sacct",
        sacct,
        "--format",
        "json",
    ]);
    same_energy(&prom, &files, 1e-12);
    assert!(prom["assumptions"].as_array().unwrap().iter().any(|a| a
        .as_str()
        .unwrap()
        .contains("energy from the Prometheus counters at")));
    // power gauges integrated over each job's window: the same energies (the samples fall on
    // the job boundaries, on the hour), to rounding
    let gauges = format!(
        "{}prometheus:\n  url: http://127.0.0.1:1\n  gauges:\n    - {{metric: mlca_node_power_watts, host_label: host, component: node, unit: W, interval_s: 3600}}\n    - {{metric: mlca_gpu_power_watts, host_label: host, component: gpu, unit: W, interval_s: 3600}}\n",
        &text[..cut]
    );
    let gauges = write(dir.path(), "inventory-gauges.yaml", &gauges);
    let prom = from_server(&gauges);
    same_energy(&prom, &files, 1e-9);
    let notes: Vec<&str> = prom["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(notes
        .iter()
        .any(|a| a.contains("energy from the Prometheus power gauges (integrated) at")));
    assert!(!notes.iter().any(|a| a.contains("Prometheus counters")));
}

/// Every job's energy parts and the nodes' energy of two reports agree within `rel`.
fn same_energy(a: &Value, b: &Value, rel: f64) {
    let (ja, jb) = (a["jobs"].as_array().unwrap(), b["jobs"].as_array().unwrap());
    assert_eq!(ja.len(), jb.len());
    for (a, b) in ja.iter().zip(jb) {
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["energy_source"], b["energy_source"]);
        for part in ["static_kwh", "gpu_idle_kwh", "dynamic_kwh", "total_kwh"] {
            close(
                num(&a["energy"][part]),
                num(&b["energy"][part]),
                rel,
                &format!("job {} {part}", a["id"]),
            );
        }
    }
    close(
        num(&a["totals"]["energy_kwh"]),
        num(&b["totals"]["energy_kwh"]),
        rel,
        "nodes' energy",
    );
}
