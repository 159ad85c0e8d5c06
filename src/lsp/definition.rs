//! Go to definition: from a service reference (`wait log SERVICE`,
//! `by SERVICE`; see [`super::context`]) to the `start` step of that id.

use super::context::cursor;
use super::position;
use super::steps::Analysis;
use crate::syntax::LineIndex;
use lsp_types::{GotoDefinitionResponse, Location, Position, Uri};

pub fn definition(uri: &Uri, text: &str, at: Position) -> Option<GotoDefinitionResponse> {
    let lines = LineIndex::new(text);
    let cursor = cursor(text, position::offset(&lines, at));
    if !cursor.expects_service() || cursor.word.is_empty() {
        return None;
    }
    let analysis = Analysis::new(text);
    let service = analysis
        .services()
        .into_iter()
        .find(|s| s.plan.id == cursor.word)?;
    let range = position::range(&lines, service.step.span);
    Some(GotoDefinitionResponse::Scalar(Location::new(
        uri.clone(),
        range,
    )))
}
