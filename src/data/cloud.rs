//! Cloud instances (BoaviztAPI 2.5.0's cloud archetypes) and the host platforms they run on (the
//! platform rows of its `archetypes/server.csv`), as `impact-data/cloud-instances.csv` and
//! `cloud-platforms.csv` hold them: an instance is a share of its platform, by its GPUs when it
//! has some, else by its vCPUs.

use super::names::NameIndex;
use crate::error::{Diagnostic, Result};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One instance of a provider.
#[derive(Debug, Clone, Deserialize)]
pub struct CloudInstance {
    pub provider: String,
    pub id: String,
    pub vcpu: f64,
    pub memory_gb: f64,
    pub ssd_gb: Option<f64>,
    pub hdd_gb: Option<f64>,
    /// GPUs of the instance (a fraction for a partitioned GPU).
    pub gpu_units: Option<f64>,
    /// The platform's `id` in `cloud-platforms.csv`.
    pub platform: String,
    pub source_id: String,
    pub spec_source: Option<String>,
}

impl CloudInstance {
    /// "aws p4d.24xlarge".
    pub fn name(&self) -> String {
        format!("{} {}", self.provider, self.id)
    }
}

/// A host server of instances: its bill of materials as BoaviztAPI's archetype gives it.
#[derive(Debug, Clone, Deserialize)]
pub struct CloudPlatform {
    pub id: String,
    pub provider: Option<String>,
    /// rack or blade.
    pub case: String,
    pub cpu_units: Option<f64>,
    pub cpu_name: Option<String>,
    /// Threads (vCPUs) of the whole host, when the archetype gives them.
    pub cpu_threads: Option<f64>,
    pub ram_units: Option<f64>,
    pub ram_capacity_gb: Option<f64>,
    pub ssd_units: Option<f64>,
    pub ssd_capacity_gb: Option<f64>,
    pub hdd_units: Option<f64>,
    pub gpu_units: Option<f64>,
    pub gpu_name: Option<String>,
    pub power_supply_units: Option<f64>,
    pub source_id: String,
    /// BoaviztAPI's warnings on the row, and mlca's reading of it where it corrects one.
    pub note: Option<String>,
}

/// The cloud catalog.
#[derive(Debug, Clone, Default)]
pub struct Cloud {
    pub instances: Vec<CloudInstance>,
    pub platforms: BTreeMap<String, CloudPlatform>,
    names: NameIndex,
}

impl Cloud {
    /// The catalog of `instances` on `platforms` (their sources checked by the caller); every
    /// instance's platform must be one of them (`origin`: where cloud-instances.csv comes from).
    pub(super) fn new(
        instances: Vec<CloudInstance>,
        platforms: Vec<CloudPlatform>,
        origin: &str,
    ) -> Result<Self> {
        let plats: BTreeMap<String, CloudPlatform> =
            platforms.into_iter().map(|p| (p.id.clone(), p)).collect();
        for x in &instances {
            if !plats.contains_key(&x.platform) {
                return Err(super::load::bad_data(
                    "cloud-instances.csv",
                    origin,
                    format!(
                        "{}: platform \"{}\" is not in cloud-platforms.csv",
                        x.name(),
                        x.platform
                    ),
                ));
            }
        }
        let names: Vec<String> = instances.iter().map(CloudInstance::name).collect();
        let names = NameIndex::new("cloud instance", names.iter().map(|n| [n.as_str()]));
        Ok(Cloud {
            instances,
            platforms: plats,
            names,
        })
    }

    /// The instance named `name` ("aws p5.48xlarge") and its platform.
    pub fn find(&self, name: &str) -> Result<(&CloudInstance, &CloudPlatform)> {
        let i = self.names.find(name).map_err(|e| match e {
            // `mlca hardware list` lists no instances: name the file that does
            crate::error::Error::Input(mut d) => {
                d.hint = d.hint.map(|h| {
                    h.replace(
                        "`mlca hardware list` shows the catalog",
                        "impact-data/cloud-instances.csv lists them, as \"PROVIDER ID\"",
                    )
                    .replace(
                        "run `mlca hardware list` to see the cloud instance catalog",
                        "impact-data/cloud-instances.csv lists the instances, as \"PROVIDER ID\" (aws p5.48xlarge)",
                    )
                });
                crate::error::Error::Input(d)
            }
            e => e,
        })?;
        let x = &self.instances[i];
        let p = self.platforms.get(&x.platform).ok_or_else(|| {
            crate::error::Error::from(Diagnostic::new(format!(
                "cloud instance {}: no platform \"{}\"",
                x.name(),
                x.platform
            )))
        })?;
        Ok((x, p))
    }

    /// The vCPUs of a platform: its archetype's threads, else the largest instance on it.
    pub fn platform_vcpus(&self, p: &CloudPlatform) -> f64 {
        p.cpu_threads.filter(|t| *t > 0.0).unwrap_or_else(|| {
            self.instances
                .iter()
                .filter(|x| x.platform == p.id)
                .map(|x| x.vcpu)
                .fold(0.0, f64::max)
        })
    }
}
