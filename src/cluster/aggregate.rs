//! Totals of a cluster report by user, account, partition, month or node kind, and the top
//! users and projects.

use super::report::{ClusterReport, EnergyParts};
use crate::choice;
use crate::quantity::impacts::Impacts;
use serde::Serialize;
use std::collections::HashMap;

/// What to group the jobs by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Job,
    User,
    Account,
    Partition,
    Month,
}

choice!(GroupBy {
    Job => "job", "one row per job";
    User => "user", "one row per user";
    Account => "account", "one row per account (project)";
    Partition => "partition", "one row per partition (queue)";
    Month => "month", "one row per month of the jobs' start";
});

/// One group's totals.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub key: String,
    pub jobs: usize,
    pub node_h: f64,
    pub energy: EnergyParts,
    #[serde(rename = "use")]
    pub use_impacts: Impacts,
    pub embodied: Impacts,
    pub total: Impacts,
}

/// The jobs grouped: jobs in the accounting's order, months in order, the others largest
/// total GWP first (then by name). Each job's figures are computed once, in the accounting's
/// order; its names are not copied.
pub fn group(r: &ClusterReport, by: GroupBy) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let t = &r.jobs;
    let acc = t.accounting();
    let mut month: Option<String> = None;
    for (i, j) in acc.jobs.iter().enumerate() {
        let key: &str = match by {
            GroupBy::Job => acc.id(i),
            GroupBy::User => acc.name(j.labels.user),
            GroupBy::Account => acc.name(j.labels.account),
            GroupBy::Partition => acc.name(j.labels.partition),
            GroupBy::Month => month.insert(t.month(i).unwrap_or_else(|| "never started".into())),
        };
        let k = match index.get(key) {
            Some(&k) => k,
            None => {
                out.push(Group {
                    key: key.to_string(),
                    jobs: 0,
                    node_h: 0.0,
                    energy: EnergyParts::default(),
                    use_impacts: Impacts::ZERO,
                    embodied: Impacts::ZERO,
                    total: Impacts::ZERO,
                });
                index.insert(key.to_string(), out.len() - 1);
                out.len() - 1
            }
        };
        let f = t.figures(i);
        let g = &mut out[k];
        g.jobs += 1;
        g.node_h += f.elapsed_h * f.hosts as f64;
        g.energy += f.energy;
        g.use_impacts = g.use_impacts + f.use_impacts;
        g.embodied = g.embodied + f.embodied;
        g.total = g.total + f.total;
    }
    match by {
        GroupBy::Job => {}
        GroupBy::Month => out.sort_by(|a, b| a.key.cmp(&b.key)),
        _ => out.sort_by(|a, b| {
            b.total
                .gwp
                .value
                .total_cmp(&a.total.gwp.value)
                .then(a.key.cmp(&b.key))
        }),
    }
    out
}
