//! The lifecycle and robustness: every request gets an answer, bad input an
//! LSP error, and the server exits only on `exit` (0 after `shutdown`).

use crate::support::lsp::Client;
use serde_json::{Value, json};

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;

fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("not an error: {response}"))
}

#[test]
fn initialize_shutdown_exit_is_code_0() {
    let (client, result) = Client::initialized();
    assert_eq!(result["serverInfo"]["name"], "zinit");
    let caps = &result["capabilities"];
    for capability in [
        "hoverProvider",
        "documentFormattingProvider",
        "completionProvider",
        "definitionProvider",
        "documentSymbolProvider",
        "codeActionProvider",
        "foldingRangeProvider",
    ] {
        assert!(
            !caps[capability].is_null() && caps[capability] != false,
            "{capability}: {caps}"
        );
    }
    // Incremental sync.
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let (mut client, _) = Client::initialized();
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn end_of_input_without_exit_is_code_1() {
    let (mut client, _) = Client::initialized();
    assert_eq!(client.exit_code(), Some(1));
}

#[test]
fn requests_before_initialize_are_refused_then_initialize_works() {
    let mut client = Client::start();
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(error_code(&early), SERVER_NOT_INITIALIZED);
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(error_code(&shutdown), SERVER_NOT_INITIALIZED);
    // A notification before `initialize` is dropped, and `exit` still exits.
    client.notify("textDocument/didOpen", json!({}));
    let init = client.request("initialize", json!({"capabilities": {}}));
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    let again = client.request("initialize", json!({"capabilities": {}}));
    assert_eq!(error_code(&again), INVALID_REQUEST);
    assert_eq!(client.shutdown(), Some(0));
}

fn next_error(client: &mut Client) -> Value {
    client
        .wait_for(|m| m.get("error").is_some())
        .expect("an error response")
}

#[test]
fn invalid_json_gets_a_parse_error_and_the_server_reads_on() {
    let (mut client, _) = Client::initialized();
    let body = b"{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": ";
    client.send_body(body);
    let reply = next_error(&mut client);
    assert_eq!(
        (error_code(&reply), &reply["id"]),
        (PARSE_ERROR, &Value::Null)
    );
    // JSON that is no message: answered with its id.
    client.send(&json!({"jsonrpc": "2.0", "id": 7}));
    let reply = client.wait_for(|m| m["id"] == 7).expect("an answer");
    assert_eq!(error_code(&reply), INVALID_REQUEST);
    // A frame without Content-Length, then a lone surrogate (not valid text).
    client.send_raw(b"Content-Type: x\r\n\r\n");
    let reply = next_error(&mut client);
    assert_eq!(error_code(&reply), PARSE_ERROR);
    let body = br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///s.zinit","languageId":"zinit","version":1,"text":"\ud800"}}}"#;
    client.send_body(body);
    let reply = next_error(&mut client);
    assert_eq!(error_code(&reply), PARSE_ERROR);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn unknown_methods_bad_params_and_unknown_documents_get_errors() {
    let (mut client, _) = Client::initialized();
    let unknown = client.request("textDocument/rename", json!({}));
    assert_eq!(error_code(&unknown), METHOD_NOT_FOUND);
    let bad = client.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(error_code(&bad), INVALID_PARAMS);
    let not_open = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.zinit"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(error_code(&not_open), INVALID_PARAMS);
    // A change to a document that is not open is logged, not fatal.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nope.zinit", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    let log = client
        .wait_for(|m| m["method"] == "window/logMessage")
        .expect("a log message");
    assert!(
        log["params"]["message"]
            .as_str()
            .unwrap()
            .contains("not open"),
        "{log}"
    );
    // Unknown notifications are ignored.
    client.notify("$/unknown", json!({}));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_is_code_0() {
    let (mut client, _) = Client::initialized();
    assert_eq!(
        client.request("shutdown", Value::Null)["result"],
        Value::Null
    );
    let late = client.request("textDocument/hover", json!({}));
    assert_eq!(error_code(&late), INVALID_REQUEST);
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code(), Some(0));
}
