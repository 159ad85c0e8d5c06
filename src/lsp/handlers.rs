//! Requests on an open document, dispatched by method. Each feature lives
//! in its own file and reads the document's text; nothing is cached, so no
//! answer can come from a stale tree.

use super::completion;
use super::documents::{Document, Documents};
use super::rpc::{error, params};
use super::{actions, definition, diagnostics, folding, formatting, hover, symbols};
use crate::syntax::LineIndex;
use lsp_server::{ErrorCode, ResponseError};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, FoldingRangeRequest, Formatting,
    GotoDefinition, HoverRequest, Request,
};
use lsp_types::{TextDocumentIdentifier, TextDocumentPositionParams, Uri};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub fn request(documents: &Documents, method: &str, raw: Value) -> Result<Value, ResponseError> {
    match method {
        HoverRequest::METHOD => serve::<HoverRequest>(
            documents,
            raw,
            |p| &p.text_document_position_params.text_document,
            |doc, p| hover::hover(&doc.text, p.text_document_position_params.position),
        ),
        Completion::METHOD => serve::<Completion>(
            documents,
            raw,
            |p| &p.text_document_position.text_document,
            |doc, p| completion::complete(&doc.text, p.text_document_position.position),
        ),
        GotoDefinition::METHOD => serve::<GotoDefinition>(
            documents,
            raw,
            |p| &p.text_document_position_params.text_document,
            |doc, p| {
                let TextDocumentPositionParams {
                    text_document,
                    position,
                } = p.text_document_position_params;
                definition::definition(&text_document.uri, &doc.text, position)
            },
        ),
        DocumentSymbolRequest::METHOD => serve::<DocumentSymbolRequest>(
            documents,
            raw,
            |p| &p.text_document,
            |doc, _| Some(symbols::document_symbols(&doc.text).into()),
        ),
        FoldingRangeRequest::METHOD => serve::<FoldingRangeRequest>(
            documents,
            raw,
            |p| &p.text_document,
            |doc, _| Some(folding::folding_ranges(&doc.text)),
        ),
        Formatting::METHOD => serve::<Formatting>(
            documents,
            raw,
            |p| &p.text_document,
            |doc, _| formatting::format_document(&doc.text),
        ),
        CodeActionRequest::METHOD => serve::<CodeActionRequest>(
            documents,
            raw,
            |p| &p.text_document,
            |doc, p| {
                Some(actions::code_actions(
                    &p.text_document.uri,
                    &doc.text,
                    p.range,
                ))
            },
        ),
        _ => Err(error(
            ErrorCode::MethodNotFound,
            format!("zinit does not serve `{method}`"),
        )),
    }
}

/// Parses `R`'s parameters, finds the document they name, and serves `R`.
fn serve<R: Request>(
    documents: &Documents,
    raw: Value,
    document_of: impl Fn(&R::Params) -> &TextDocumentIdentifier,
    handle: impl FnOnce(&Document, R::Params) -> R::Result,
) -> Result<Value, ResponseError>
where
    R::Params: DeserializeOwned,
    R::Result: Serialize,
{
    let p: R::Params = params(raw).map_err(|why| error(ErrorCode::InvalidParams, why))?;
    let uri = &document_of(&p).uri;
    let document = documents.get(uri).ok_or_else(|| {
        error(
            ErrorCode::InvalidParams,
            format!("`{}` is not open", uri.as_str()),
        )
    })?;
    let result = handle(document, p);
    serde_json::to_value(result).map_err(|e| error(ErrorCode::InternalError, e.to_string()))
}

/// The LSP diagnostics of a document's text.
pub fn diagnostics(uri: &Uri, text: &str) -> Vec<lsp_types::Diagnostic> {
    let lines = LineIndex::new(text);
    diagnostics::check(text)
        .iter()
        .map(|d| diagnostics::to_lsp(uri, &lines, d))
        .collect()
}
