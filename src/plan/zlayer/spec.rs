//! The part of ZLayer's `zlayer_spec::ServiceSpec` that zinit reads and
//! writes: `init.steps[]` and `errors.on_init_failure`. Field names and
//! shapes follow zlayer-spec's `InitSpec`, `InitStep`, `ErrorsSpec` and
//! `InitFailurePolicy` (all `deny_unknown_fields`); the `with` parameter
//! names follow zlayer-init-actions' `from_spec`, which reads its own
//! `with.timeout` in whole seconds.

pub use crate::plan::model::PanicAction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What `zinit plan --format zlayer` prints: the `init` and `errors` keys
/// of one service (a full `ServiceSpec` also needs an `image`, which a
/// script does not know).
#[derive(Debug, Serialize)]
pub struct ServiceFragment {
    pub init: InitSpec<ExportParams>,
    pub errors: ErrorsSpec,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    bound(deserialize = "W: Deserialize<'de> + Default")
)]
pub struct InitSpec<W> {
    #[serde(default = "Vec::new")]
    pub steps: Vec<InitStep<W>>,
}

impl<W> Default for InitSpec<W> {
    fn default() -> Self {
        InitSpec { steps: Vec::new() }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    bound(deserialize = "W: Deserialize<'de> + Default")
)]
pub struct InitStep<W> {
    pub id: String,
    pub uses: String,
    #[serde(default)]
    pub with: W,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<u32>,
    /// A `humantime` duration such as `30s` or `1m 30s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(default = "fail")]
    pub on_failure: FailureAction,
}

fn fail() -> FailureAction {
    FailureAction::Fail
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureAction {
    Fail,
    Warn,
    Continue,
}

/// The `with` map zinit writes; each action uses a few of these.
#[derive(Debug, Default, Serialize)]
pub struct ExportParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Whole seconds, as the ZLayer actions read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
}

/// The `with` map as ZLayer reads it: any keys, any values.
pub type ImportParams = BTreeMap<String, serde_norway::Value>;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorsSpec {
    #[serde(default)]
    pub on_init_failure: InitFailurePolicy,
    /// Not an init concern, but carried through (`zlayer on-panic`) so that
    /// import → export keeps it; written only when the script sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_panic: Option<PanicPolicy>,
}

/// `errors.on_panic` (zlayer-spec's `PanicPolicy`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanicPolicy {
    pub action: PanicAction,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitFailurePolicy {
    #[serde(default)]
    pub action: InitFailureAction,
}

/// ZLayer accepts no count or delays with these.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitFailureAction {
    #[default]
    Fail,
    Restart,
    Backoff,
}

/// A ZLayer service spec in ZLayer's own strict serde shapes: only `init`
/// and `errors` matter; every other service key is accepted and ignored.
/// The export is read back through it (`zinit import` reads YAML itself,
/// with the position of every value).
#[derive(Debug, Deserialize)]
pub struct ImportService {
    #[serde(default)]
    pub init: InitSpec<ImportParams>,
    #[serde(default)]
    pub errors: ErrorsSpec,
}
