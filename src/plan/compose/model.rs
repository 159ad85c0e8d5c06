//! The Compose file fragment the export writes, with the Compose
//! specification's field names; only the fields zinit fills in.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct ComposeFile {
    /// In the order the script starts them (an `IndexMap` would do; a Vec
    /// of pairs keeps the dependency order visible without a crate).
    #[serde(serialize_with = "ordered")]
    pub services: Vec<(String, Service)>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub configs: BTreeMap<String, Config>,
}

fn ordered<S: serde::Serializer>(
    services: &[(String, Service)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(services.len()))?;
    for (name, service) in services {
        map.serialize_entry(name, service)?;
    }
    map.end()
}

#[derive(Debug, Serialize)]
pub struct Service {
    pub image: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub environment: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub configs: Vec<ConfigMount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<Healthcheck>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub depends_on: BTreeMap<String, Dependency>,
    /// `service:NAME`: this container shares NAME's network, as pods do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ConfigMount {
    pub source: String,
    pub target: String,
}

#[derive(Debug, Serialize)]
pub struct Config {
    pub content: String,
}

#[derive(Debug, Serialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: String,
    pub timeout: String,
    pub retries: u32,
    pub start_period: String,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Dependency {
    pub condition: Condition,
}

/// `service_started`, `service_healthy`, `service_completed_successfully`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Condition {
    #[serde(rename = "service_started")]
    Started,
    #[serde(rename = "service_healthy")]
    Healthy,
    #[serde(rename = "service_completed_successfully")]
    CompletedSuccessfully,
}
