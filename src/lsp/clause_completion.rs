//! The clauses to offer after a statement's action and target: those the
//! clause table says the action (or `defaults`) accepts, less those the
//! statement already has.

use super::docs;
use super::items::item;
use crate::syntax::clauses::{
    ACTIONS, CLAUSES, ClauseInfo, DEFAULTS, REPEATABLE, Set, takes_a_value,
};
use lsp_types::{CompletionItem, CompletionItemKind};

/// `words` are the statement's whole words before the cursor.
pub fn clauses(words: &[&str]) -> Vec<CompletionItem> {
    let Some((accepts, head)) = accepted(words) else {
        return Vec::new();
    };
    let rest = &words[head..];
    // The action's target (`db:5432`) comes first; after a clause keyword
    // that takes a value (`timeout`), its value does.
    if (words[0] != "defaults" && rest.is_empty()) || rest.last().is_some_and(|w| takes_a_value(w))
    {
        return Vec::new();
    }
    // A repeatable clause (`header`) is offered again; `body` starts two
    // clauses, each offered until it is used.
    let used = |c: &ClauseInfo| {
        !REPEATABLE.contains(c.name)
            && match c.keyword.split_once(' ') {
                Some((word, second)) => rest
                    .windows(2)
                    .any(|pair| pair[0] == word && pair[1] == second),
                None => rest.contains(&c.word),
            }
    };
    CLAUSES
        .iter()
        .filter(|c| accepts.contains(c.name) && !used(c))
        .map(clause_item)
        .collect()
}

/// The clauses the statement's action accepts, and how many words name it.
fn accepted(words: &[&str]) -> Option<(Set, usize)> {
    if words.first() == Some(&"defaults") {
        return Some((DEFAULTS, 1));
    }
    let two = words.get(..2).map(|w| w.join(" "));
    let (name, head) = match two.as_deref().and_then(docs::statement) {
        Some(doc) => (doc.words, 2),
        None => (*words.first()?, 1),
    };
    let row = ACTIONS.iter().find(|row| row.action == name)?;
    Some((row.accepts, head))
}

fn clause_item(info: &ClauseInfo) -> CompletionItem {
    let mut item = item(
        info.keyword,
        CompletionItemKind::PROPERTY,
        info.form,
        Some(&clause_doc(info)),
    );
    if info.keyword != info.word {
        // `body contains` and `body matches`, each as a whole.
        item.insert_text = Some(info.keyword.to_string());
    }
    item
}

/// A clause's form, meaning and default, as the clause table gives them.
pub fn clause_doc(info: &ClauseInfo) -> String {
    let mut doc = format!("`{}`\n\n{}", info.form, info.meaning);
    if !info.default.is_empty() {
        doc.push_str(&format!("\n\nDefault: {}", info.default));
    }
    doc
}
