//! The main loop: one thread, one message at a time, as rust-analyzer's
//! lsp-server examples do. The lifecycle (initialize → shutdown → exit) is
//! kept here; every request is answered, with an LSP error when it cannot
//! be served, and the loop ends only on `exit` (or when the client closes
//! standard input).

use super::documents::Documents;
use super::rpc::{error, params};
use super::{capabilities, handlers};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::{LogMessageParams, MessageType, PublishDiagnosticsParams, Uri};
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Exit code after `shutdown` then `exit`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code on `exit` without `shutdown`, or when the client went away.
pub const EXIT_UNCLEAN: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
}

pub struct Server<'c> {
    connection: &'c Connection,
    state: State,
    documents: Documents,
}

impl<'c> Server<'c> {
    pub fn new(connection: &'c Connection) -> Self {
        Server {
            connection,
            state: State::Uninitialized,
            documents: Documents::default(),
        }
    }

    /// Serves until `exit`; the process's exit code.
    pub fn run(mut self) -> u8 {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => self.on_request(request),
                Message::Notification(n) if n.method == "exit" => {
                    return if self.state == State::ShutDown {
                        EXIT_CLEAN
                    } else {
                        EXIT_UNCLEAN
                    };
                }
                Message::Notification(n) => self.on_notification(n),
                // No request of ours expects an answer.
                Message::Response(_) => {}
            }
        }
        EXIT_UNCLEAN
    }

    fn on_request(&mut self, request: Request) {
        let result = match (self.state, request.method.as_str()) {
            (State::Uninitialized, "initialize") => {
                self.state = State::Running;
                Ok(capabilities::initialize_result())
            }
            (State::Uninitialized, _) => Err(error(
                ErrorCode::ServerNotInitialized,
                format!("`{}` before `initialize`", request.method),
            )),
            (State::ShutDown, _) => Err(error(
                ErrorCode::InvalidRequest,
                format!("`{}` after `shutdown`", request.method),
            )),
            (State::Running, "initialize") => Err(error(
                ErrorCode::InvalidRequest,
                "`initialize` was already received".to_string(),
            )),
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                Ok(Value::Null)
            }
            (State::Running, method) => {
                let documents = &self.documents;
                // A bug in one handler answers that request with an error
                // instead of ending the session.
                catch_unwind(AssertUnwindSafe(|| {
                    handlers::request(documents, method, request.params)
                }))
                .unwrap_or_else(|_| {
                    Err(error(
                        ErrorCode::InternalError,
                        format!("zinit failed to serve `{method}` (a bug: please report it)"),
                    ))
                })
            }
        };
        let response = match result {
            Ok(value) => Response::new_ok(request.id, value),
            Err(error) => Response {
                id: request.id,
                response_result: Err(error),
            },
        };
        self.send(response.into());
    }

    fn on_notification(&mut self, notification: Notification) {
        if self.state != State::Running {
            return;
        }
        let method = notification.method.clone();
        let changed = match method.as_str() {
            DidOpenTextDocument::METHOD => {
                params::<lsp_types::DidOpenTextDocumentParams>(notification.params).map(|p| {
                    let doc = p.text_document;
                    self.documents.open(doc.uri.clone(), doc.text, doc.version);
                    Some(doc.uri)
                })
            }
            DidChangeTextDocument::METHOD => params::<lsp_types::DidChangeTextDocumentParams>(
                notification.params,
            )
            .and_then(|p| {
                let doc = p.text_document;
                match self
                    .documents
                    .change(&doc.uri, doc.version, p.content_changes)
                {
                    Some(_) => Ok(Some(doc.uri)),
                    None => Err(format!("`{}` is not open", doc.uri.as_str())),
                }
            }),
            DidSaveTextDocument::METHOD => {
                params::<lsp_types::DidSaveTextDocumentParams>(notification.params).map(|p| {
                    let uri = p.text_document.uri;
                    if let Some(text) = p.text {
                        let version = self.documents.get(&uri).map_or(0, |d| d.version);
                        self.documents.open(uri.clone(), text, version);
                    }
                    Some(uri)
                })
            }
            DidCloseTextDocument::METHOD => {
                params::<lsp_types::DidCloseTextDocumentParams>(notification.params).map(|p| {
                    let uri = p.text_document.uri;
                    self.documents.close(&uri);
                    self.publish(uri, Vec::new(), None);
                    None
                })
            }
            // `initialized`, `$/cancelRequest` (every request is answered
            // at once), `$/setTrace` and others ask nothing of this server.
            _ => Ok(None),
        };
        match changed {
            Ok(Some(uri)) => self.republish(uri),
            Ok(None) => {}
            Err(why) => self.log(MessageType::ERROR, format!("zinit: `{method}`: {why}")),
        }
    }

    /// Checks the document and publishes its diagnostics.
    fn republish(&self, uri: Uri) {
        let Some(document) = self.documents.get(&uri) else {
            return;
        };
        let diagnostics = handlers::diagnostics(&uri, &document.text);
        self.publish(uri, diagnostics, Some(document.version));
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into());
    }

    fn log(&self, typ: MessageType, message: String) {
        let params = LogMessageParams { typ, message };
        self.send(Notification::new(LogMessage::METHOD.to_string(), params).into());
    }

    fn send(&self, message: Message) {
        // The writer is gone only when standard output is; the next
        // receive then ends the loop.
        let _ = self.connection.sender.send(message);
    }
}
