//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, the codes used
//! as rules, one result per diagnostic with its location, secondary labels
//! as related locations, and fixes where known.

use super::{LineIndex, Region, clamp};
use crate::check::codes::lookup;
use crate::check::diagnostic::{Diagnostic, FileReport, Severity};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(super) fn render(reports: &[FileReport]) -> String {
    let used: BTreeSet<&'static str> = reports
        .iter()
        .flat_map(|r| r.diagnostics.iter().map(|d| d.code))
        .collect();
    let rule_ids: Vec<&str> = used.into_iter().collect();
    let rules: Vec<Value> = rule_ids.iter().map(|code| rule(code)).collect();
    let results: Vec<Value> = reports
        .iter()
        .filter(|report| !report.diagnostics.is_empty())
        .flat_map(|report| {
            let uri = artifact_uri(&report.file.name);
            let lines = LineIndex::new(&report.file.text);
            let rule_ids = &rule_ids;
            report.diagnostics.iter().map(move |d| {
                let index = rule_ids.iter().position(|id| *id == d.code);
                result(&uri, &lines, d, index)
            })
        })
        .collect();
    let mut driver = json!({
        "name": "zinit",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    let information_uri = env!("CARGO_PKG_REPOSITORY");
    if !information_uri.is_empty() {
        driver["informationUri"] = json!(information_uri);
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            // Columns count characters, as `line_col` does.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn rule(code: &str) -> Value {
    let (summary, severity) = lookup(code).map_or((code, Severity::Error), |info| {
        (info.summary, info.severity)
    });
    json!({
        "id": code,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": level(severity)},
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result(
    uri: &ArtifactUri,
    lines: &LineIndex,
    d: &Diagnostic,
    rule_index: Option<usize>,
) -> Value {
    let text = lines.text();
    let location = |span| {
        json!({
            "artifactLocation": uri.to_json(),
            "region": region(Region::of(clamp(span, text), lines)),
        })
    };
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": {"text": message_text(d)},
        "locations": [{"physicalLocation": location(d.primary.span)}],
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !d.secondary.is_empty() {
        let related: Vec<Value> = d
            .secondary
            .iter()
            .enumerate()
            .map(|(id, label)| {
                let mut related = json!({"id": id, "physicalLocation": location(label.span)});
                if let Some(message) = &label.message {
                    related["message"] = json!({"text": message});
                }
                related
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    if let Some(fix) = &d.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| {
                json!({
                    "deletedRegion": region(Region::of(clamp(edit.span, text), lines)),
                    "insertedContent": {"text": edit.replacement},
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": {"text": fix.message},
            "artifactChanges": [{"artifactLocation": uri.to_json(), "replacements": replacements}],
            // SARIF has no field for it; a property bag is its extension point.
            "properties": {"applicability": fix.applicability.as_str()},
        }]);
    }
    result
}

/// The message, with the primary label and help appended: code scanning
/// shows only this text next to the line.
fn message_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

fn region(r: Region) -> Value {
    json!({
        "startLine": r.start_line,
        "startColumn": r.start_column,
        "endLine": r.end_line,
        "endColumn": r.end_column,
    })
}

/// A file name as a SARIF artifact location: absolute paths become `file:`
/// URIs, relative ones stay relative to the checkout (`%SRCROOT%`), which is
/// what code scanning resolves against the repository.
struct ArtifactUri {
    uri: String,
    relative: bool,
}

impl ArtifactUri {
    fn to_json(&self) -> Value {
        if self.relative {
            json!({"uri": self.uri, "uriBaseId": "%SRCROOT%"})
        } else {
            json!({"uri": self.uri})
        }
    }
}

fn artifact_uri(name: &str) -> ArtifactUri {
    let path = name.replace('\\', "/");
    if path.starts_with('/') {
        ArtifactUri {
            uri: format!("file://{}", percent_encode(&path)),
            relative: false,
        }
    } else {
        let mut path = path.as_str();
        while let Some(rest) = path.strip_prefix("./") {
            path = rest;
        }
        ArtifactUri {
            uri: percent_encode(path),
            relative: true,
        }
    }
}

/// Percent-encodes every byte outside RFC 3986's unreserved set and `/`.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uris() {
        let rel = artifact_uri("./scripts/my app.zinit");
        assert_eq!(
            (rel.uri.as_str(), rel.relative),
            ("scripts/my%20app.zinit", true)
        );
        let abs = artifact_uri("/srv/ü.zinit");
        assert_eq!(
            (abs.uri.as_str(), abs.relative),
            ("file:///srv/%C3%BC.zinit", false)
        );
        assert_eq!(artifact_uri("<stdin>").uri, "%3Cstdin%3E");
    }
}
