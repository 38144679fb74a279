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

use super::attribute::{NodeEnergy, Stint};
use super::inventory::{Inventory, PromGauge, PromSource};
use super::measure::hosts_and_boundaries;
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

/// One energy series to ask for: a counter, or a gauge integrated as a running sum.
struct Series<'a> {
    /// `prometheus.counters[0]`, `prometheus.gauges[1]`.
    field: String,
    metric: &'a str,
    host_label: &'a str,
    component: TraceComponent,
    /// J per unit of the counter, or per unit of the gauge's running sum (W x interval).
    j_per: f64,
    gauge: bool,
}

impl Series<'_> {
    /// The expression whose value at `t` is the cumulative energy, in the series' unit: the
    /// counter itself; for a gauge, the sum of its samples from the period's start (1 ms before
    /// it, so that a sample on the start is in every sum and cancels) up to `t`.
    fn expr(&self, t: f64, p0: f64) -> String {
        if self.gauge {
            let ms = ((t - p0) * 1000.0).round().max(0.0) as u64 + 1;
            format!(
                "sum by ({}) (sum_over_time({}[{ms}ms]))",
                self.host_label, self.metric
            )
        } else {
            format!("sum by ({}) ({})", self.host_label, self.metric)
        }
    }
}

/// The energy of every node the counters and gauges cover (by node index), cut at its job
/// boundaries, with what it was read from: `counters`, `power gauges (integrated)` or both.
pub fn measured(
    inv: &Inventory,
    url: &str,
    source: &PromSource,
    nodes: &[Node],
    stints: &[Vec<Stint>],
    period: (f64, f64),
) -> Result<HashMap<usize, (NodeEnergy, &'static str)>> {
    let (index, own) = hosts_and_boundaries(nodes, stints, period);
    let times: BTreeSet<u64> = own.iter().flatten().map(|t| t.to_bits()).collect();
    let mut times: Vec<f64> = times.into_iter().map(f64::from_bits).collect();
    times.sort_by(f64::total_cmp);
    let mut series = Vec::new();
    for (c, counter) in source.counters.iter().enumerate() {
        let field = format!("prometheus.counters[{c}]");
        let j_per = crate::quantity::units::joules_per(&counter.unit).ok_or_else(|| {
            inv.error_at(
                &format!("{field}.unit"),
                format!("unknown energy unit {}", counter.unit),
                "J, mJ, uJ, kJ, MJ, Wh or kWh",
            )
        })?;
        series.push(Series {
            field,
            metric: &counter.metric,
            host_label: &counter.host_label,
            component: TraceComponent::from(counter.component),
            j_per,
            gauge: false,
        });
    }
    for (g, gauge) in source.gauges.iter().enumerate() {
        let field = format!("prometheus.gauges[{g}]");
        let w_per = watts_per(&gauge.unit).ok_or_else(|| {
            inv.error_at(
                &format!("{field}.unit"),
                format!("unknown power unit {}", gauge.unit),
                "W, mW or kW",
            )
        })?;
        if gauge.interval_s <= 0.0 {
            return Err(inv.error_at(
                &format!("{field}.interval_s"),
                format!(
                    "the sampling interval {} s is not positive",
                    gauge.interval_s
                ),
                "give the scrape interval of the gauge, in seconds (15 for Prometheus' default)",
            ));
        }
        series.push(Series {
            field,
            metric: &gauge.metric,
            host_label: &gauge.host_label,
            component: TraceComponent::from(gauge.component),
            j_per: w_per * gauge.interval_s,
            gauge: true,
        });
    }
    // cumulative values: (series, node) -> time -> J
    let mut values: HashMap<(usize, usize), HashMap<u64, f64>> = HashMap::new();
    for (c, sr) in series.iter().enumerate() {
        for &t in &times {
            for (labels, x) in query(url, &sr.expr(t, period.0), t)? {
                let host = labels.get(sr.host_label).cloned().unwrap_or_default();
                let Some(&n) = index.get(host.as_str()) else {
                    return Err(inv.error_at(
                        &format!("{}.metric", sr.field),
                        format!("{} has a series of host \"{host}\" ({}=\"{host}\"), a host the inventory does not have", sr.metric, sr.host_label),
                        "add the host to a kind, or narrow the metric with a label selector: metric{cluster=\"...\"}",
                    ));
                };
                values
                    .entry((c, n))
                    .or_default()
                    .insert(t.to_bits(), x * sr.j_per);
            }
        }
    }
    for (c, sr) in series.iter().enumerate().filter(|(_, s)| s.gauge) {
        check_gauge_samples(
            inv,
            url,
            sr,
            &source.gauges,
            c - source.counters.len(),
            nodes,
            &values,
            c,
            period,
        )?;
    }
    let mut out = HashMap::new();
    let covered: BTreeSet<usize> = values.keys().map(|&(_, n)| n).collect();
    for n in covered {
        let seg = own[n].len() - 1;
        let (mut node, mut gpu, mut other) = (None::<Vec<f64>>, vec![0.0; seg], vec![0.0; seg]);
        for (c, sr) in series.iter().enumerate() {
            let Some(v) = values.get(&(c, n)) else {
                continue;
            };
            let mut series = vec![0.0; seg];
            for k in 0..seg {
                let at = |t: f64| {
                    match v.get(&t.to_bits()) {
                    Some(&x) => Ok(x),
                    // no sample of the gauge yet: nothing summed
                    None if sr.gauge => Ok(0.0),
                    None => Err(inv.error_at(
                        &format!("{}.metric", sr.field),
                        format!("{} has no sample of {} within Prometheus' lookback (5 minutes) before {}", sr.metric, nodes[n].host, time::format(t)),
                        "the counter must be scraped through the whole accounting period",
                    )),
                }
                };
                let (a, b) = (at(own[n][k])?, at(own[n][k + 1])?);
                if b < a {
                    let (what, hint) = if sr.gauge {
                        (
                            "the power is negative",
                            "a power gauge is never below 0: check the metric and its unit",
                        )
                    } else {
                        ("a counter reset", "mlca reads counters that only grow over the period: choose a period without a reset")
                    };
                    return Err(inv.error_at(
                        &format!("{}.metric", sr.field),
                        format!(
                            "{} of {} decreases between {} and {} ({what})",
                            sr.metric,
                            nodes[n].host,
                            time::format(own[n][k]),
                            time::format(own[n][k + 1])
                        ),
                        hint,
                    ));
                }
                series[k] = b - a;
            }
            let into = match sr.component {
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
        let read = |gauge: bool| {
            series
                .iter()
                .enumerate()
                .any(|(c, s)| s.gauge == gauge && values.contains_key(&(c, n)))
        };
        let what = match (read(false), read(true)) {
            (true, true) => "counters and power gauges (integrated)",
            (false, true) => "power gauges (integrated)",
            _ => "counters",
        };
        out.insert(
            n,
            (
                NodeEnergy::Measured {
                    boundaries: own[n].clone(),
                    total_j: total,
                    gpu_j: gpu,
                    gpu_by_index: Vec::new(),
                },
                what,
            ),
        );
    }
    Ok(out)
}

/// W per unit of a power gauge.
fn watts_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "W" => 1.0,
        "mW" => 1e-3,
        "kW" => 1e3,
        _ => return None,
    })
}

/// A gauge must have been sampled through the period: for each host it covers, at least 90 %
/// of the samples its interval gives over the period (one query of its sample count), so that
/// a scrape that stopped is an error rather than energy missing without a word.
#[allow(clippy::too_many_arguments)]
fn check_gauge_samples(
    inv: &Inventory,
    url: &str,
    sr: &Series,
    gauges: &[PromGauge],
    g: usize,
    nodes: &[Node],
    values: &HashMap<(usize, usize), HashMap<u64, f64>>,
    c: usize,
    (p0, p1): (f64, f64),
) -> Result<()> {
    let interval = gauges[g].interval_s;
    let ms = ((p1 - p0) * 1000.0).round().max(0.0) as u64;
    let expr = format!(
        "sum by ({}) (count_over_time({}[{ms}ms]))",
        sr.host_label, sr.metric
    );
    let counts: HashMap<String, f64> = query(url, &expr, p1)?
        .into_iter()
        .map(|(l, x)| (l.get(sr.host_label).cloned().unwrap_or_default(), x))
        .collect();
    let expected = (p1 - p0) / interval;
    for (n, node) in nodes.iter().enumerate() {
        if !values.contains_key(&(c, n)) {
            continue;
        }
        let got = counts.get(&node.host).copied().unwrap_or(0.0);
        // a gauge summed over several series (one per GPU) has as many samples per interval
        let per_interval = (got / expected).round().max(1.0);
        if got < 0.9 * expected * per_interval {
            return Err(inv.error_at(
                &format!("{}.metric", sr.field),
                format!(
                    "{} of {} has {got} samples over the period {} to {}, fewer than 90 % of the {} its interval of {} s gives",
                    sr.metric,
                    node.host,
                    time::format(p0),
                    time::format(p1),
                    expected.floor(),
                    interval
                ),
                "the gauge must be scraped through the whole accounting period at its interval_s",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gauge_is_summed_from_just_before_the_period() {
        let s = Series {
            field: "prometheus.gauges[0]".into(),
            metric: "DCGM_FI_DEV_POWER_USAGE",
            host_label: "Hostname",
            component: TraceComponent::Gpu,
            j_per: 15.0,
            gauge: true,
        };
        // one hour after the start: 3,600,000 ms, and 1 ms for a sample on the start
        assert_eq!(
            s.expr(7200.0, 3600.0),
            "sum by (Hostname) (sum_over_time(DCGM_FI_DEV_POWER_USAGE[3600001ms]))"
        );
        let c = Series { gauge: false, ..s };
        assert_eq!(
            c.expr(7200.0, 3600.0),
            "sum by (Hostname) (DCGM_FI_DEV_POWER_USAGE)"
        );
        // 250 W sampled every 15 s for a minute after the start: 4 samples x 250 W x 15 s
        assert_eq!(
            watts_per("W").map(|w| 4.0 * 250.0 * w * 15.0),
            Some(15_000.0)
        );
        assert_eq!(watts_per("kW"), Some(1e3));
        assert_eq!(watts_per("J"), None);
    }
}
