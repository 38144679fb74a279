//! The cluster inventory (YAML): the node kinds with their hardware (a catalog node, a bill of
//! materials or given embodied totals, written as a scenario's `infrastructure` entries), their
//! host names (`cn[1-6]`), capacity, purchase date and lifetime, static and GPU idle power
//! (declared, or measured from an idle segment of a trace), the energy model of jobs without a
//! measurement; the electricity (a scenario's `electricity` section: country or factors, PUE);
//! the power traces of the nodes; the accounting period.
//!
//! Every key carries its unit; unknown keys are errors with the keys allowed.

use crate::error::{Diagnostic, Error, Result};
use crate::quantity::input::{finite, finite_opt, Count, Fraction};
use crate::scenario::{
    self, Bom, DirectEmbodied, EmbodiedMethod, GenericComponent, GenericSpec, InputFormat,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest inventory read, bytes.
pub const MAX_BYTES: u64 = 4 << 20;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryFile {
    /// The cluster's name, for the reports.
    pub name: String,
    /// As in a scenario: `country` (or `factors` with their source) and `pue`.
    pub electricity: scenario::Electricity,
    /// boavizta-2.5 (default), mlca-2024 or ecologits.
    #[serde(default)]
    pub embodied_method: Option<EmbodiedMethod>,
    /// The accounting period; without it, from the first job start to the last job end.
    #[serde(default)]
    pub period: Option<Period>,
    /// How static node power and embodied impacts are shared among the jobs on a node.
    #[serde(default)]
    pub share_weights: Option<ShareWeights>,
    pub infrastructure: Vec<NodeKind>,
    /// Power traces of the nodes.
    #[serde(default)]
    pub traces: Vec<NodeTrace>,
    /// Energy counters of the nodes in a Prometheus server.
    #[serde(default)]
    pub prometheus: Option<PromSource>,
}

/// A Prometheus server (HTTP API) and the energy counters it keeps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromSource {
    /// `http://127.0.0.1:9090` (`--prometheus` replaces it).
    pub url: String,
    #[serde(default)]
    pub counters: Vec<PromCounter>,
    /// Power gauges (DCGM_FI_DEV_POWER_USAGE, an IPMI exporter's watts), integrated over each
    /// job's window.
    #[serde(default)]
    pub gauges: Vec<PromGauge>,
}

/// A power gauge: its metric (with a label selector if needed), the label naming the host,
/// what it measures, its unit, and the interval between its samples: a sample stands for the
/// mean power of the interval it ends, so that the energy between two times is the sum of the
/// samples after the first and up to the second, x the interval.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromGauge {
    pub metric: String,
    pub host_label: String,
    /// node (a wattmeter or BMC: the whole node), gpu, cpu, dram.
    pub component: GenericComponent,
    /// W, mW or kW.
    pub unit: String,
    /// The scrape (sampling) interval, s.
    #[serde(deserialize_with = "finite")]
    pub interval_s: f64,
}

/// An energy counter: its metric (with a label selector if needed), the label naming the
/// host, what it measures and its unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromCounter {
    pub metric: String,
    pub host_label: String,
    /// node (a wattmeter or BMC: the whole node), gpu, cpu, dram.
    pub component: GenericComponent,
    /// J, mJ, uJ, kJ, MJ, Wh or kWh.
    pub unit: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: String,
    pub end: String,
}

/// Weights of the reserved fractions (cores, memory, GPUs) in a job's share of a node.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ShareWeights {
    #[serde(deserialize_with = "finite")]
    pub cores: f64,
    #[serde(deserialize_with = "finite")]
    pub memory: f64,
    #[serde(deserialize_with = "finite")]
    pub gpus: f64,
}

impl ShareWeights {
    /// The default, named in the assumptions: cores, memory and GPUs count alike.
    pub const EQUAL: ShareWeights = ShareWeights {
        cores: 1.0,
        memory: 1.0,
        gpus: 1.0,
    };
}

/// An active utilization rate: measured from the accounting, or declared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aur {
    Measured,
    Declared(Fraction),
}

impl<'de> Deserialize<'de> for Aur {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Word(String),
            Rate(Fraction),
        }
        match Written::deserialize(d)? {
            Written::Word(w) if w == "measured" => Ok(Aur::Measured),
            Written::Word(w) => Err(serde::de::Error::custom(format!(
                "\"{w}\": write `measured` or a rate in (0, 1]"
            ))),
            Written::Rate(f) => Ok(Aur::Declared(f)),
        }
    }
}

/// The energy model of a job neither a trace nor the scheduler measured (seed 002: CPU TDP x
/// usage from CPU time / elapsed, memory used x W/GB, reserved GPUs at a declared power above
/// idle).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnergyModel {
    /// CPU TDP / cores, W.
    #[serde(deserialize_with = "finite")]
    pub cpu_power_w_per_core: f64,
    /// Power of memory in use, W/GB (0.3725 in Green Algorithms and seed 002).
    #[serde(deserialize_with = "finite")]
    pub memory_power_w_per_gb: f64,
    /// Power of a reserved GPU above its idle power, W.
    #[serde(default, deserialize_with = "finite_opt")]
    pub gpu_power_w: Option<f64>,
}

/// An idle segment of a trace to measure a kind's static and GPU idle power.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdleSegment {
    pub file: PathBuf,
    #[serde(default)]
    pub format: Option<InputFormat>,
    /// Columns of a generic CSV (as in a scenario's trace).
    #[serde(default)]
    pub generic: Option<GenericSpec>,
    pub idle_start: String,
    pub idle_end: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeKind {
    pub name: String,
    /// Host names, as Slurm writes host lists (`cn[1-6],gpu01`).
    pub hosts: String,
    #[serde(default)]
    pub catalog: Option<String>,
    #[serde(default)]
    pub bom: Option<Bom>,
    #[serde(default)]
    pub embodied: Option<DirectEmbodied>,
    /// Cores of one node.
    pub cores: Count,
    /// Memory of one node, GB.
    #[serde(deserialize_with = "finite")]
    pub memory_gb: f64,
    /// GPUs of one node (0 if absent).
    #[serde(default)]
    pub gpus: u32,
    /// When the nodes were bought (`2021-09-01`): their life starts then.
    pub purchase_date: String,
    pub lifetime_years: crate::quantity::input::Positive,
    /// `measured` (the accounting's allocated / available node-hours) or a declared rate.
    #[serde(default)]
    pub active_utilization_rate: Option<Aur>,
    /// Power of a node with no job, GPUs excluded, W.
    #[serde(default, deserialize_with = "finite_opt")]
    pub static_power_w: Option<f64>,
    /// Passive power of one GPU, W.
    #[serde(default, deserialize_with = "finite_opt")]
    pub gpu_idle_power_w: Option<f64>,
    /// Measure the static and GPU idle power from idle segments of traces of one node instead
    /// (a wattmeter and a GPU trace, say).
    #[serde(default)]
    pub idle_from: Option<Vec<IdleSegment>>,
    #[serde(default)]
    pub energy_model: Option<EnergyModel>,
}

/// A power trace of one node (`host`), or of several (Kwollect: one device per host).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeTrace {
    pub file: PathBuf,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub format: Option<InputFormat>,
    /// Kwollect: the metric to read.
    #[serde(default)]
    pub metric: Option<String>,
    /// Columns of a generic CSV (as in a scenario's trace).
    #[serde(default)]
    pub generic: Option<GenericSpec>,
}

/// An inventory with the text it was read from, to locate later errors, and its hosts.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub file: PathBuf,
    pub text: String,
    pub inv: InventoryFile,
    /// Host name -> (kind index, host names of that kind in order).
    pub host_kind: HashMap<String, usize>,
    /// Hosts of each kind, in the order written.
    pub hosts: Vec<Vec<String>>,
}

impl Inventory {
    /// An input error at field `path` of the inventory.
    pub fn error_at(
        &self,
        path: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        error_at(&self.file, &self.text, path, message, hint)
    }

    /// A file the inventory names, relative to the inventory's folder.
    pub fn file_at(&self, path: &str, name: &Path) -> Result<PathBuf> {
        let full = self
            .file
            .parent()
            .map(|d| d.join(name))
            .unwrap_or_else(|| name.to_path_buf());
        match std::fs::metadata(&full) {
            Ok(m) if m.is_file() => Ok(full),
            Ok(_) => Err(self.error_at(
                path,
                format!("{} is not a file", full.display()),
                "name a file",
            )),
            Err(e) => Err(self.error_at(
                path,
                format!("cannot read {}: {e}", full.display()),
                "a relative path in an inventory is relative to the inventory file",
            )),
        }
    }
}

fn error_at(
    file: &Path,
    text: &str,
    path: &str,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Error {
    let mut d = Diagnostic::new(message).file(file).field(path).hint(hint);
    if let Some((l, c)) = scenario::locate(text, path) {
        d = d.at(l, c, Some(text));
    }
    Error::input(d)
}

/// "did you mean" for serde's `unknown field `x`, expected one of `a`, `b``.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let s = crate::data::names::suggest(field, &names)?;
    Some(format!(
        "did you mean `{s}`? Keys allowed here: {}",
        names.join(", ")
    ))
}

/// Read and check an inventory.
pub fn load(file: &Path) -> Result<Inventory> {
    let text = crate::data::read::read_text(file, "cluster inventory", MAX_BYTES)?;
    parse(text, file)
}

/// Parse and check inventory text (`file` names it).
pub fn parse(text: String, file: &Path) -> Result<Inventory> {
    let de = yaml_serde::Deserializer::from_str(&text);
    let inv: InventoryFile = match serde_path_to_error::deserialize(de) {
        Ok(i) => i,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let message = inner.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            let hint = unknown_key_hint(&message)
                .unwrap_or_else(|| "README.md, \"Clusters\", shows a complete inventory".into());
            let mut d = Diagnostic::new(format!("invalid inventory: {message}"))
                .file(file)
                .field(path.clone())
                .hint(hint);
            let at = scenario::locate_exact(&text, &path)
                .or_else(|| inner.location().map(|l| (l.line(), l.column())));
            if let Some((l, c)) = at {
                d = d.at(l, c, Some(&text));
            }
            return Err(Error::input(d));
        }
    };
    let mut host_kind: HashMap<String, usize> = HashMap::new();
    let mut hosts = Vec::new();
    for (i, k) in inv.infrastructure.iter().enumerate() {
        let field = format!("infrastructure[{i}].hosts");
        let list = super::hosts::expand(&k.hosts).map_err(|e| {
            error_at(
                file,
                &text,
                &field,
                format!(
                    "cannot read the host list \"{}\": {} (at character {})",
                    k.hosts,
                    e.message,
                    e.offset + 1
                ),
                "write hosts as Slurm does: cn[1-6],gpu[01-04]",
            )
        })?;
        if list.is_empty() {
            return Err(error_at(
                file,
                &text,
                &field,
                "the kind has no host",
                "name its hosts: cn[1-6]",
            ));
        }
        for h in &list {
            if let Some(&other) = host_kind.get(h) {
                return Err(error_at(
                    file,
                    &text,
                    &field,
                    format!(
                        "host {h} is also in infrastructure[{other}] ({})",
                        inv.infrastructure[other].name
                    ),
                    "give each host to one kind",
                ));
            }
            host_kind.insert(h.clone(), i);
        }
        hosts.push(list);
        let base = format!("infrastructure[{i}]");
        let need = |ok: bool, key: &str, msg: &str| -> Result<()> {
            if ok {
                Ok(())
            } else {
                Err(error_at(
                    file,
                    &text,
                    &format!("{base}.{key}"),
                    msg.to_string(),
                    "see README.md, \"Clusters\"",
                ))
            }
        };
        need(
            k.memory_gb > 0.0,
            "memory_gb",
            "the memory of a node must be above 0 GB",
        )?;
        need(
            k.static_power_w.is_none_or(|p| p >= 0.0),
            "static_power_w",
            "a power is at least 0 W",
        )?;
        need(
            k.gpu_idle_power_w.is_none_or(|p| p >= 0.0),
            "gpu_idle_power_w",
            "a power is at least 0 W",
        )?;
        need(
            k.idle_from.is_none() || (k.static_power_w.is_none() && k.gpu_idle_power_w.is_none()),
            "idle_from",
            "give the idle power either declared (static_power_w, gpu_idle_power_w) or measured (idle_from), not both",
        )?;
        need(
            k.idle_from.is_some() || k.static_power_w.is_some(),
            "static_power_w",
            "a node kind needs its static power: static_power_w, or idle_from (an idle segment of a trace)",
        )?;
        need(
            k.gpus == 0 || k.idle_from.is_some() || k.gpu_idle_power_w.is_some(),
            "gpu_idle_power_w",
            "a kind with GPUs needs their idle (passive) power: gpu_idle_power_w, or idle_from",
        )?;
        if let Some(m) = &k.energy_model {
            let ok = m.cpu_power_w_per_core >= 0.0
                && m.memory_power_w_per_gb >= 0.0
                && m.gpu_power_w.is_none_or(|g| g >= 0.0);
            need(ok, "energy_model", "the model's powers are at least 0 W")?;
            need(
                k.gpus == 0 || m.gpu_power_w.is_some(),
                "energy_model.gpu_power_w",
                "a kind with GPUs needs the power of a reserved GPU above idle in its energy model",
            )?;
        }
        if crate::quantity::time::parse(k.purchase_date.as_bytes()).is_none() {
            return Err(error_at(
                file,
                &text,
                &format!("{base}.purchase_date"),
                format!("\"{}\" is not a date", k.purchase_date),
                "write 2021-09-01",
            ));
        }
    }
    if inv.infrastructure.is_empty() {
        return Err(error_at(
            file,
            &text,
            "infrastructure",
            "the inventory has no node kind",
            "list the node kinds under infrastructure",
        ));
    }
    if let Some(w) = inv.share_weights {
        let ok = [w.cores, w.memory, w.gpus].iter().all(|x| *x >= 0.0)
            && w.cores + w.memory + w.gpus > 0.0;
        if !ok {
            return Err(error_at(
                file,
                &text,
                "share_weights",
                "share weights are at least 0 and not all 0",
                "e.g. {cores: 1, memory: 0, gpus: 1}",
            ));
        }
    }
    for (i, t) in inv.traces.iter().enumerate() {
        if let Some(h) = &t.host {
            if !host_kind.contains_key(h) {
                let names: Vec<&str> = host_kind.keys().map(String::as_str).collect();
                let hint = match crate::data::names::suggest(h, &names) {
                    Some(s) => {
                        format!("did you mean {s}? A trace's host is one of the inventory's hosts")
                    }
                    None => "a trace's host is one of the inventory's hosts".into(),
                };
                return Err(error_at(
                    file,
                    &text,
                    &format!("traces[{i}].host"),
                    format!("the trace's host {h} is not in the inventory"),
                    hint,
                ));
            }
        }
    }
    Ok(Inventory {
        file: file.to_path_buf(),
        text,
        inv,
        host_kind,
        hosts,
    })
}
