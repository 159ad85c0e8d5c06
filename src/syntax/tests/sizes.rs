//! The tree's node sizes: a 10 MB script holds millions of these, so a
//! kind that grows one of them grows every node (issue #11: peak memory of
//! `zinit check` ≤ 8× the input). Box the new large kind instead.

use crate::syntax::ast::{Clause, ClauseKind, Statement, Text, TextPart};
use std::mem::size_of;

#[test]
fn nodes_stay_small() {
    let sizes = [
        ("Span", size_of::<crate::span::Span>(), 8),
        ("TextPart", size_of::<TextPart>(), 24),
        ("Text", size_of::<Text>(), 32),
        ("ClauseKind", size_of::<ClauseKind>(), 40),
        ("Clause", size_of::<Clause>(), 56),
        ("Statement", size_of::<Statement>(), 72),
    ];
    for (name, size, most) in sizes {
        assert!(
            size <= most,
            "{name} is {size} bytes, more than {most}: {sizes:?}"
        );
    }
}
