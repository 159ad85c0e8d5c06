//! Document symbols: every step by its id, members nested in their group.

use super::position;
use super::steps::{Analysis, StepInfo};
use crate::syntax::LineIndex;
use lsp_types::{DocumentSymbol, SymbolKind};

pub fn document_symbols(text: &str) -> Vec<DocumentSymbol> {
    let analysis = Analysis::new(text);
    let lines = LineIndex::new(text);
    analysis.steps().iter().map(|s| symbol(s, &lines)).collect()
}

fn symbol(info: &StepInfo, lines: &LineIndex) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = info.members.iter().map(|m| symbol(m, lines)).collect();
    #[allow(deprecated)] // `deprecated` is a required field of the type
    DocumentSymbol {
        name: info.plan.id.clone(),
        detail: Some(info.step.action.name().to_string()),
        kind: match info.step.action.members() {
            Some(_) => SymbolKind::NAMESPACE,
            None => SymbolKind::EVENT,
        },
        tags: None,
        deprecated: None,
        range: position::range(lines, info.step.span),
        selection_range: position::range(lines, info.step.head),
        children: (!children.is_empty()).then_some(children),
    }
}
