//! The open documents: their text and version, as the client last sent them.

use super::position;
use crate::syntax::LineIndex;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub version: i32,
}

#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, text: String, version: i32) {
        self.open.insert(uri, Document { text, version });
    }

    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri);
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    /// Applies changes in order: a change without a range replaces the text,
    /// one with a range replaces that range (positions clamped into the text).
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<&Document> {
        let document = self.open.get_mut(uri)?;
        for change in changes {
            match change.range {
                None => document.text = change.text,
                Some(range) => {
                    let span = position::span(&LineIndex::new(&document.text), range);
                    document
                        .text
                        .replace_range(span.start()..span.end(), &change.text);
                }
            }
        }
        document.version = version;
        Some(document)
    }
}
