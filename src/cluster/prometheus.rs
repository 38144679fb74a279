//! Node energy from a Prometheus server (or a compatible store: Thanos, Mimir,
//! VictoriaMetrics) through its HTTP API, instead of raw samples: for each node, the value of
//! its energy counters (node_exporter's RAPL collector, DCGM's total energy, an IPMI exporter's
//! counter) at each job boundary, one instant query per boundary for all nodes
//! (`sum by (HOST_LABEL) (METRIC)` at time t); a segment's energy is the difference of the
//! counters at its ends. A counter is read at the last sample at or before t (Prometheus'
//! lookback, 5 minutes): exact where samples fall on the boundaries, within one sampling
//! interval's energy otherwise. A counter that decreases (a reset) is an error.
//!
//! HTTP/1.0 over a plain TCP stream (std): `http://` URLs only, no proxy, no TLS; a site
//! behind TLS or authentication reaches its store through a local tunnel.

use super::attribute::{boundaries, NodeEnergy, Stint};
use super::inventory::{Inventory, PromCounter};
use super::place::Node;
use crate::energy::trace::TraceComponent;
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time;
use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The largest response read, bytes.
const MAX_RESPONSE: u64 = 256 << 20;

fn net_error(url: &str, msg: String) -> Error {
    Error::input(
        Diagnostic::new(format!("Prometheus at {url}: {msg}"))
            .hint("check prometheus.url in the inventory (or --prometheus) and that the server answers /api/v1/query"),
    )
}

/// `host:port` and path prefix of an `http://` URL.
fn split_url(url: &str) -> Result<(String, String)> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        net_error(
            url,
            "only http:// URLs are read (no TLS): reach an https store through a local tunnel"
                .into(),
        )
    })?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if host.is_empty() {
        return Err(net_error(url, "no host in the URL".into()));
    }
    let host = if host.contains(':') {
        host.to_string()
    } else {
        format!("{host}:80")
    };
    Ok((host, path.to_string()))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One instant query at time `t` (Unix seconds): each series' labels and value.
pub fn query(url: &str, expr: &str, t: f64) -> Result<Vec<(HashMap<String, String>, f64)>> {
    let (host, prefix) = split_url(url)?;
    let path = format!(
        "{prefix}/api/v1/query?query={}&time={}",
        percent_encode(expr),
        t
    );
    let mut s =
        TcpStream::connect(&host).map_err(|e| net_error(url, format!("cannot connect: {e}")))?;
    let _ = s.set_read_timeout(Some(TIMEOUT));
    let _ = s.set_write_timeout(Some(TIMEOUT));
    let req = format!("GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: application/json\r\nUser-Agent: mlca/{}\r\n\r\n", env!("CARGO_PKG_VERSION"));
    s.write_all(req.as_bytes())
        .map_err(|e| net_error(url, format!("cannot send: {e}")))?;
    let mut raw = Vec::new();
    s.take(MAX_RESPONSE)
        .read_to_end(&mut raw)
        .map_err(|e| net_error(url, format!("cannot read the answer: {e}")))?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| net_error(url, "an answer without HTTP headers".into()))?;
    let status = head.lines().next().unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(body).map_err(|e| {
        net_error(
            url,
            format!(
                "{status}: the answer is not JSON ({e}): {}",
                body.chars().take(200).collect::<String>()
            ),
        )
    })?;
    if v["status"] != "success" {
        return Err(net_error(
            url,
            format!(
                "{status}: query {expr} failed: {} {}",
                v["errorType"], v["error"]
            ),
        ));
    }
    let mut out = Vec::new();
    for r in v["data"]["result"].as_array().into_iter().flatten() {
        let labels: HashMap<String, String> = r["metric"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let x = r["value"][1]
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|x| x.is_finite())
            .ok_or_else(|| {
                net_error(
                    url,
                    format!(
                        "query {expr}: a value that is not a finite number: {}",
                        r["value"]
                    ),
                )
            })?;
        out.push((labels, x));
    }
    Ok(out)
}

/// The energy of every node the counters cover (by node index), cut at its job boundaries.
pub fn measured(
    inv: &Inventory,
    url: &str,
    counters: &[PromCounter],
    nodes: &[Node],
    stints: &[Vec<Stint>],
    period: (f64, f64),
) -> Result<HashMap<usize, NodeEnergy>> {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.host.as_str(), i))
        .collect();
    let own: Vec<Vec<f64>> = stints.iter().map(|s| boundaries(period, s)).collect();
    let times: BTreeSet<u64> = own.iter().flatten().map(|t| t.to_bits()).collect();
    let mut times: Vec<f64> = times.into_iter().map(f64::from_bits).collect();
    times.sort_by(f64::total_cmp);
    // counter values: (counter, node) -> time -> J
    let mut values: HashMap<(usize, usize), HashMap<u64, f64>> = HashMap::new();
    for (c, counter) in counters.iter().enumerate() {
        let field = format!("prometheus.counters[{c}]");
        let j_per = crate::quantity::units::joules_per(&counter.unit).ok_or_else(|| {
            inv.error_at(
                &format!("{field}.unit"),
                format!("unknown energy unit {}", counter.unit),
                "J, mJ, uJ, kJ, MJ, Wh or kWh",
            )
        })?;
        let expr = format!("sum by ({}) ({})", counter.host_label, counter.metric);
        for &t in &times {
            for (labels, x) in query(url, &expr, t)? {
                let host = labels.get(&counter.host_label).cloned().unwrap_or_default();
                let Some(&n) = index.get(host.as_str()) else {
                    return Err(inv.error_at(
                        &format!("{field}.metric"),
                        format!("{} has a series of host \"{host}\" ({}=\"{host}\"), a host the inventory does not have", counter.metric, counter.host_label),
                        "add the host to a kind, or narrow the metric with a label selector: metric{cluster=\"...\"}",
                    ));
                };
                values
                    .entry((c, n))
                    .or_default()
                    .insert(t.to_bits(), x * j_per);
            }
        }
    }
    let mut out = HashMap::new();
    let covered: BTreeSet<usize> = values.keys().map(|&(_, n)| n).collect();
    for n in covered {
        let seg = own[n].len() - 1;
        let (mut node, mut gpu, mut other) = (None::<Vec<f64>>, vec![0.0; seg], vec![0.0; seg]);
        for (c, counter) in counters.iter().enumerate() {
            let Some(v) = values.get(&(c, n)) else {
                continue;
            };
            let mut series = vec![0.0; seg];
            for k in 0..seg {
                let at = |t: f64| {
                    v.get(&t.to_bits()).copied().ok_or_else(|| {
                        inv.error_at(
                            &format!("prometheus.counters[{c}].metric"),
                            format!("{} has no sample of {} within Prometheus' lookback (5 minutes) before {}", counter.metric, nodes[n].host, time::format(t)),
                            "the counter must be scraped through the whole accounting period",
                        )
                    })
                };
                let (a, b) = (at(own[n][k])?, at(own[n][k + 1])?);
                if b < a {
                    return Err(inv.error_at(
                        &format!("prometheus.counters[{c}].metric"),
                        format!("{} of {} decreases between {} and {} (a counter reset)", counter.metric, nodes[n].host, time::format(own[n][k]), time::format(own[n][k + 1])),
                        "mlca reads counters that only grow over the period: choose a period without a reset",
                    ));
                }
                series[k] = b - a;
            }
            let into = match TraceComponent::from(counter.component) {
                TraceComponent::Node => node.get_or_insert_with(|| vec![0.0; seg]),
                TraceComponent::Gpu => &mut gpu,
                _ => &mut other,
            };
            for (x, y) in into.iter_mut().zip(&series) {
                *x += y;
            }
        }
        let total = match node {
            Some(t) => t,
            None => gpu.iter().zip(&other).map(|(a, b)| a + b).collect(),
        };
        out.insert(
            n,
            NodeEnergy::Measured {
                boundaries: own[n].clone(),
                total_j: total,
                gpu_j: gpu,
            },
        );
    }
    Ok(out)
}
