//! Folding ranges: each group body that spans lines.

use super::steps::Analysis;
use crate::syntax::LineIndex;
use lsp_types::{FoldingRange, FoldingRangeKind};

pub fn folding_ranges(text: &str) -> Vec<FoldingRange> {
    let analysis = Analysis::new(text);
    let lines = LineIndex::new(text);
    analysis
        .all_steps()
        .iter()
        .filter_map(|info| match info.step.action.body() {
            Some(body) => {
                let (start, end) = (lines.line_of(body.start()), lines.line_of(body.end()));
                (end > start).then(|| FoldingRange {
                    start_line: start as u32,
                    start_character: None,
                    // The closing `}` stays visible.
                    end_line: (end - 1).max(start) as u32,
                    end_character: None,
                    kind: Some(FoldingRangeKind::Region),
                    collapsed_text: None,
                })
            }
            None => None,
        })
        .collect()
}
