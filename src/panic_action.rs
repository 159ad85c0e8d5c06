//! ZLayer's `errors.on_panic.action`: what ZLayer does when the service's
//! container dies after its init. Written by `zlayer on-panic ...`, carried
//! by the plan and the ZLayer YAML alike, so it belongs to no one stage
//! (like `crate::text`, the syntax tree and the plan re-export it).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PanicAction {
    Restart,
    Shutdown,
    Isolate,
}

impl PanicAction {
    pub const WORDS: &[&str] = &["restart", "shutdown", "isolate"];

    pub fn as_str(self) -> &'static str {
        match self {
            PanicAction::Restart => "restart",
            PanicAction::Shutdown => "shutdown",
            PanicAction::Isolate => "isolate",
        }
    }

    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "restart" => Some(PanicAction::Restart),
            "shutdown" => Some(PanicAction::Shutdown),
            "isolate" => Some(PanicAction::Isolate),
            _ => None,
        }
    }
}
