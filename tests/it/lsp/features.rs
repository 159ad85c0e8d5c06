//! Each feature on real documents: diagnostics (UTF-16 ranges, related
//! information, the error page), code actions, hover, completion,
//! symbols, definition and folding.

use crate::support::cli::zinit;
use crate::support::lsp::Client;
use serde_json::{Value, json};

const URI: &str = "file:///work/app.zinit";

fn at(line: usize, character: usize) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

/// The UTF-16 position of the first `needle` in `text`.
fn utf16_position(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).expect("needle");
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    (line, text[line_start..offset].encode_utf16().count())
}

/// The `key` field of each item of an array: completion labels, symbol names.
fn field(items: &Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|i| i[key].as_str().unwrap().to_string())
        .collect()
}

fn labels(items: &Value) -> Vec<String> {
    field(items, "label")
}

#[test]
fn diagnostics_count_utf16_columns_after_umlaut_and_emoji() {
    let (mut client, _) = Client::initialized();
    let text = "run \"echo ü😀\"; wait tcp db:5432 timeout 30\n";
    let published = client.open(URI, text);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "E020");
    assert_eq!(d["source"], "zinit");
    assert_eq!(d["severity"], 1);
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/errors/E020.html")
    );
    let (line, column) = utf16_position(text, "30\n");
    assert_eq!(
        d["range"]["start"],
        json!({"line": line, "character": column})
    );
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": column + 2})
    );
    // ü is one UTF-16 unit, the emoji two: characters would say 40, bytes 44.
    assert_eq!(column, 41);
    assert_eq!(published["version"], 1);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn secondary_labels_are_related_information() {
    let (mut client, _) = Client::initialized();
    let text = "sleep 1s as a\nsleep 2s as a\n";
    let published = client.open(URI, text);
    let d = &published["diagnostics"][0];
    assert_eq!(d["code"], "E100", "{published}");
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(related["location"]["range"]["start"]["line"], 0);
    assert_eq!(related["message"], "first used here");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn changes_republish_incremental_and_full() {
    let (mut client, _) = Client::initialized();
    let published = client.open(URI, "wait tcp db:5432 timeout 30\n");
    assert_eq!(published["diagnostics"].as_array().unwrap().len(), 1);
    // Incremental: insert the unit.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 27}, "end": {"line": 0, "character": 27}}, "text": "s"}
        ]}),
    );
    let published = client.diagnostics(URI);
    assert_eq!(published["version"], 2);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    // Full: a new text.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "wiat tcp db:1\n"}]}),
    );
    let published = client.diagnostics(URI);
    assert_eq!(
        (
            published["version"].clone(),
            published["diagnostics"][0]["code"].clone()
        ),
        (json!(3), json!("E002"))
    );
    // Save with text, then close: diagnostics cleared.
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": "sleep 1s\n"}),
    );
    assert_eq!(client.diagnostics(URI)["diagnostics"], json!([]));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(client.diagnostics(URI)["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn code_actions_carry_the_fix_and_safe_ones_are_preferred() {
    let (mut client, _) = Client::initialized();
    let text = "wait tcp db:5432 timeout 30\n";
    client.open(URI, text);
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI},
               "range": {"start": {"line": 0, "character": 25}, "end": {"line": 0, "character": 25}},
               "context": {"diagnostics": []}}),
    );
    let action = &response["result"][0];
    assert_eq!(action["kind"], "quickfix", "{response}");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["diagnostics"][0]["code"], "E020");
    let edit = &action["edit"]["changes"][URI][0];
    assert_eq!(edit["newText"], "30s");
    assert_eq!(edit["range"]["start"], json!({"line": 0, "character": 25}));
    // Outside the diagnostic's range: nothing to offer.
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 3}},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(response["result"], json!([]));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_spells_out_durations_and_shows_resolved_settings() {
    let (mut client, _) = Client::initialized();
    let text = "wait tcp db:5432 timeout 1m30s retry 2 every 1s\nsleep 250ms\n";
    client.open(URI, text);
    let hover = client.request("textDocument/hover", at(0, 27));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(value.contains("`1m30s` = 90 s"), "{value}");
    // Three attempts of 90 s and two delays of 1 s.
    assert!(value.contains("worst case: 4m32s"), "{value}");
    let hover = client.request("textDocument/hover", at(0, 6));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        value.contains("Waits until a TCP connect succeeds"),
        "{value}"
    );
    assert!(value.contains("`wait-tcp-db-5432`"), "{value}");
    assert!(value.contains("timeout: 1m30s"), "{value}");
    assert!(value.contains("on-fail: fail"), "{value}");
    assert!(value.contains("retries: ×2: 1s each"), "{value}");
    let hover = client.request("textDocument/hover", at(1, 8));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(value.contains("`250ms` = 0.25 s"), "{value}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_explains_wait_mysql_wait_dns_and_their_clauses() {
    let (mut client, _) = Client::initialized();
    let text =
        "wait mysql db:3306\nwait dns db.internal type SRV server 10.0.0.2 value db-1:5432\n";
    client.open(URI, text);
    let hover = |client: &mut Client, line, character| {
        client.request("textDocument/hover", at(line, character))["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let mysql = hover(&mut client, 0, 6);
    assert!(
        mysql.contains("Waits until MySQL/MariaDB sends its greeting"),
        "{mysql}"
    );
    let dns = hover(&mut client, 1, 6);
    assert!(
        dns.contains("`wait dns NAME [type A|AAAA|CNAME|TXT|SRV|MX]"),
        "{dns}"
    );
    let server = hover(&mut client, 1, 30);
    assert!(server.contains("the DNS server to ask"), "{server}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn completion_offers_statements_actions_values_and_services() {
    let (mut client, _) = Client::initialized();
    let text = "start \"./api\" as api\nstart \"./db\" as db\nrun \"x\"\n\nwait \nwait tcp :1 on-fail \nwait log \nretry \nwait tcp :1 by \nwait log api \n";
    client.open(URI, text);
    let complete = |client: &mut Client, line, character| {
        labels(&client.request("textDocument/completion", at(line, character))["result"])
    };
    let first = complete(&mut client, 3, 0);
    for word in [
        "wait", "run", "start", "sleep", "s3", "parallel", "any", "retry", "defaults",
    ] {
        assert!(first.contains(&word.to_string()), "{first:?}");
    }
    assert_eq!(
        complete(&mut client, 4, 5),
        [
            "tcp", "http", "file", "postgres", "redis", "mysql", "dns", "grpc", "exec", "log"
        ]
    );
    assert_eq!(complete(&mut client, 5, 20), ["fail", "warn", "continue"]);
    assert_eq!(complete(&mut client, 6, 9), ["api", "db"]);
    assert_eq!(complete(&mut client, 8, 15), ["api", "db"]);
    // After the service: the pattern and count clauses `wait log` takes.
    let log_clauses = complete(&mut client, 9, 13);
    for clause in ["contains", "matches", "times"] {
        assert!(log_clauses.contains(&clause.to_string()), "{log_clauses:?}");
    }
    assert!(
        !log_clauses.contains(&"every".to_string()),
        "{log_clauses:?}"
    );
    assert_eq!(complete(&mut client, 7, 6), ["none", "restart", "backoff"]);
    // A prefix narrows the list.
    assert_eq!(complete(&mut client, 2, 1), ["run", "retry"]);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn symbols_nest_group_members_and_folding_covers_groups() {
    let (mut client, _) = Client::initialized();
    let text = "sleep 1s as first\nparallel as both {\n    wait tcp db:5432\n    run \"x\"\n}\n";
    client.open(URI, text);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let symbols = &symbols["result"];
    assert_eq!(labels_of(symbols), ["first", "both"], "{symbols}");
    assert_eq!(
        labels_of(&symbols[1]["children"]),
        ["wait-tcp-db-5432", "run-x"]
    );
    assert_eq!(symbols[1]["detail"], "parallel");
    assert_eq!(symbols[1]["range"]["end"]["line"], 4);
    let folds = client.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(folds["result"].as_array().unwrap().len(), 1, "{folds}");
    assert_eq!(folds["result"][0]["startLine"], 1);
    assert_eq!(folds["result"][0]["endLine"], 3);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn any_groups_have_symbols_folding_and_hover() {
    let (mut client, _) = Client::initialized();
    let text = "any as db timeout 1m {\n    wait tcp primary:5432\n    parallel {\n        wait tcp a:1\n        sleep 1s\n    }\n}\n";
    client.open(URI, text);
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let symbols = &symbols["result"];
    assert_eq!(labels_of(symbols), ["db"], "{symbols}");
    assert_eq!(symbols[0]["detail"], "any");
    assert_eq!(
        labels_of(&symbols[0]["children"]),
        ["wait-tcp-primary-5432", "parallel-1"]
    );
    assert_eq!(
        labels_of(&symbols[0]["children"][1]["children"]),
        ["wait-tcp-a-1", "sleep-1s"]
    );
    assert_eq!(symbols[0]["range"]["end"]["line"], 6);
    let folds = client.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    let lines: Vec<(u64, u64)> = folds["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [(0, 5), (2, 4)], "{folds}");
    let hover = client.request("textDocument/hover", at(0, 1));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(value.contains("the first to succeed wins"), "{hover}");
    assert!(value.contains("`db`"), "{value}");
    assert_eq!(client.shutdown(), Some(0));
}

fn labels_of(symbols: &Value) -> Vec<String> {
    field(symbols, "name")
}

#[test]
fn definition_goes_from_a_service_reference_to_its_start_step() {
    let (mut client, _) = Client::initialized();
    let text =
        "sleep 1s\nstart \"./api\" as api\nwait log api contains ready\nwait tcp :80 by api\n";
    client.open(URI, text);
    for (line, character) in [(2, 10), (3, 17)] {
        let response = client.request("textDocument/definition", at(line, character));
        let location = &response["result"];
        assert_eq!(location["uri"], URI, "{response}");
        assert_eq!(
            location["range"]["start"],
            json!({"line": 1, "character": 0})
        );
    }
    // Not a service reference: no definition.
    let response = client.request("textDocument/definition", at(0, 2));
    assert_eq!(response["result"], Value::Null);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn completion_offers_the_clauses_the_action_accepts_and_lacks() {
    let (mut client, _) = Client::initialized();
    let text = "wait tcp db:5432 timeout 5s \nsleep 1s \nwait http http://x/ \nwait tcp db:1 timeout \nwait tcp \ndefaults \nwait http http://x/ header \"A: b\" body contains ok \n";
    client.open(URI, text);
    let mut complete = |line, character| {
        labels(&client.request("textDocument/completion", at(line, character))["result"])
    };
    // From the clause table: `wait tcp` takes as/timeout/on-fail/retry/every/closed/by.
    assert_eq!(
        complete(0, 28),
        ["as", "on-fail", "retry", "every", "closed", "by"]
    );
    assert_eq!(complete(1, 9), ["as"]);
    let http = complete(2, 20);
    for clause in [
        "body contains",
        "body matches",
        "json",
        "header",
        "insecure",
    ] {
        assert!(http.contains(&clause.to_string()), "{clause}: {http:?}");
    }
    assert!(!http.contains(&"closed".to_string()), "{http:?}");
    // A value is expected after `timeout`, the target after the action.
    assert_eq!(complete(3, 22), Vec::<String>::new());
    assert_eq!(complete(4, 9), Vec::<String>::new());
    // A repeatable clause is offered again; `body matches` until it is used.
    let used = complete(6, 51);
    assert!(used.contains(&"header".to_string()), "{used:?}");
    assert!(used.contains(&"body matches".to_string()), "{used:?}");
    assert!(!used.contains(&"body contains".to_string()), "{used:?}");
    let defaults = complete(5, 9);
    assert!(
        !defaults.contains(&"as".to_string()) && defaults.contains(&"timeout".to_string()),
        "{defaults:?}"
    );
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn hover_on_a_clause_shows_its_doc_from_the_clause_table() {
    let (mut client, _) = Client::initialized();
    client.open(URI, "wait tcp db:5432 on-fail warn\n");
    let hover = client.request("textDocument/hover", at(0, 19));
    let value = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let info = zinit::syntax::clauses::Name::OnFail.info();
    assert!(
        value.contains(info.form) && value.contains(info.meaning),
        "{value}"
    );
    assert!(value.contains("on-fail: warn"), "{value}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn formatting_is_what_zinit_fmt_prints_and_leaves_broken_documents_alone() {
    let (mut client, _) = Client::initialized();
    let text = "# keep me\nwait   tcp db:5432    on-fail warn timeout 90s\nparallel {\nrun \"x\"   # trailing\n}\n";
    client.open(URI, text);
    let params =
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}});
    let response = client.request("textDocument/formatting", params.clone());
    let edits = response["result"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{response}");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(edits[0]["range"]["end"], json!({"line": 5, "character": 0}));
    let cli = zinit().args(["fmt", "-e", text]).output().unwrap();
    let printed = String::from_utf8(cli.stdout).unwrap();
    assert_eq!(edits[0]["newText"], printed.as_str());
    assert!(
        printed.contains("# trailing") && printed.contains("90s"),
        "{printed}"
    );
    // Formatted already: no edits.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": printed}]}),
    );
    client.diagnostics(URI);
    let response = client.request("textDocument/formatting", params.clone());
    assert_eq!(response["result"], json!([]));
    // Syntax errors: left as it is.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "wait tcp db:1 timeout 30\n"}]}),
    );
    client.diagnostics(URI);
    let response = client.request("textDocument/formatting", params);
    assert_eq!(response["result"], Value::Null, "{response}");
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn wait_grpc_has_hover_and_its_clauses_complete() {
    let (mut client, _) = Client::initialized();
    let text = "wait grpc api:50051 service shop.v1.Orders tls\nwait grpc api:50051 \n";
    client.open(URI, text);
    let hover = client.request("textDocument/hover", at(0, 6));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.contains("grpc.health.v1.Health/Check"), "{value}");
    let hover = client.request("textDocument/hover", at(0, 44));
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains(zinit::syntax::clauses::Name::Tls.info().meaning),
        "{value}"
    );
    let offered = labels(&client.request("textDocument/completion", at(1, 20))["result"]);
    for clause in ["service", "tls", "insecure", "timeout"] {
        assert!(
            offered.iter().any(|l| l == clause),
            "{clause} in {offered:?}"
        );
    }
    assert!(!offered.iter().any(|l| l == "status"), "{offered:?}");
    assert_eq!(client.shutdown(), Some(0));
}
