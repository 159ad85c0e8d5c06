//! The server reports what `zinit check` reports: over every err fixture,
//! the same codes, messages, start positions (in UTF-16 columns) and fixes
//! as `check --format json` from the same binary.

use crate::support::cli::zinit;
use crate::support::lsp::Client;
use serde_json::{Value, json};
use std::path::Path;

/// The UTF-16 position of a byte offset.
fn utf16(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    json!({"line": line, "character": text[line_start..offset].encode_utf16().count()})
}

#[test]
fn every_err_fixture_gets_checks_diagnostics_and_fixes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/err");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zinit"))
        .collect();
    paths.sort();
    let (mut client, _) = Client::initialized();
    let mut compared = 0;
    for path in paths {
        // Invalid UTF-8 cannot travel in JSON: an editor never sends it.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let output = zinit()
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let expected: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
        let uri = format!(
            "file:///fixtures/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let published = client.open(&uri, &text);
        let got = published["diagnostics"].as_array().unwrap();
        let name = path.display();
        assert_eq!(got.len(), expected.len(), "{name}: {published}");
        for (lsp, check) in got.iter().zip(&expected) {
            assert_eq!(lsp["code"], check["code"], "{name}");
            let message = lsp["message"].as_str().unwrap();
            assert!(
                message.starts_with(check["message"].as_str().unwrap()),
                "{name}: {message} / {check}"
            );
            if let Some(help) = check["help"].as_str() {
                assert!(message.contains(help), "{name}: {message}");
            }
            let start = check["span"]["start"].as_u64().unwrap() as usize;
            assert_eq!(lsp["range"]["start"], utf16(&text, start), "{name}");
            let Some(fix) = check["fix"].as_object() else {
                continue;
            };
            let response = client.request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": lsp["range"], "context": {"diagnostics": []}}),
            );
            let action = response["result"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| {
                    a["diagnostics"][0]["code"] == check["code"] && a["title"] == fix["message"]
                })
                .unwrap_or_else(|| panic!("{name}: no action for {fix:?}: {response}"));
            assert_eq!(
                action["isPreferred"],
                fix["applicability"] == "safe",
                "{name}"
            );
            let edits = action["edit"]["changes"][&uri].as_array().unwrap();
            assert_eq!(
                edits.len(),
                fix["edits"].as_array().unwrap().len(),
                "{name}"
            );
            for (edit, want) in edits.iter().zip(fix["edits"].as_array().unwrap()) {
                assert_eq!(edit["newText"], want["replacement"], "{name}");
                let at = want["start"].as_u64().unwrap() as usize;
                assert_eq!(edit["range"]["start"], utf16(&text, at), "{name}");
            }
            compared += 1;
        }
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        client.diagnostics(&uri);
    }
    assert!(compared > 10, "only {compared} fixes compared");
    assert_eq!(client.shutdown(), Some(0));
}
