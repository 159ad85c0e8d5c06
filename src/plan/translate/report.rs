//! The per-step translation report of the Kubernetes and Compose exports
//! (SPEC §8): every step, the script policy and the hand-over command is
//! listed as *native*, *via zinit* or *dropped*, with the reason, so that
//! nothing is left out silently. Printed on standard error, one line each,
//! in the shape of the ZLayer export warnings.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Expressed by the platform itself (a sidecar, a probe, a healthcheck).
    Native,
    /// Run by zinit inside the generated manifests.
    ViaZinit,
    /// Not in the manifests at all.
    Dropped,
    /// Something to know that is not about one step (the image, the command).
    Note,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Native => "native",
            Outcome::ViaZinit => "via zinit",
            Outcome::Dropped => "dropped",
            Outcome::Note => "note",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `step `ID``, `script policy`, `command` … as shown.
    pub subject: String,
    pub outcome: Outcome,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// `k8s` or `compose`.
    pub format: &'static str,
    pub entries: Vec<Entry>,
}

impl Report {
    pub fn new(format: &'static str) -> Self {
        Report {
            format,
            entries: Vec::new(),
        }
    }

    pub fn step(&mut self, id: &str, outcome: Outcome, detail: impl Into<String>) {
        self.push(format!("step `{id}`"), outcome, detail);
    }

    pub fn push(
        &mut self,
        subject: impl Into<String>,
        outcome: Outcome,
        detail: impl Into<String>,
    ) {
        self.entries.push(Entry {
            subject: subject.into(),
            outcome,
            detail: detail.into(),
        });
    }

    /// The entry of one step, for tests and callers that check a step.
    pub fn of_step(&self, id: &str) -> Option<&Entry> {
        let subject = format!("step `{id}`");
        self.entries.iter().find(|e| e.subject == subject)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in &self.entries {
            writeln!(
                f,
                "{} export: {}: {}: {}",
                self.format,
                entry.subject,
                entry.outcome.as_str(),
                entry.detail
            )?;
        }
        Ok(())
    }
}
