//! `status S` of `wait http`: codes within 100–599 (E108), ranges not empty
//! (E109).

use super::Context;
use crate::check::codes::{EMPTY_STATUS_RANGE, STATUS_RANGE};
use crate::syntax::Span;
use crate::syntax::ast::{StatusItem, StatusSpec};

const LOWEST: u16 = 100;
const HIGHEST: u16 = 599;

pub(super) fn check(cx: &mut Context, spec: &StatusSpec) {
    for item in &spec.items {
        match item.value {
            StatusItem::Code(code) => {
                out_of_range(cx, item.span, &[code]);
            }
            StatusItem::Range(lo, hi) => {
                if out_of_range(cx, item.span, &[lo, hi]) {
                    continue;
                }
                if lo > hi {
                    cx.push(
                        EMPTY_STATUS_RANGE
                            .at(item.span, format!("status range `{lo}..{hi}` is empty"))
                            .with_label("lower bound above upper bound")
                            .with_help("ranges are `LOW..HIGH`, both included")
                            .with_safe_fix("swap the bounds", item.span, format!("{hi}..{lo}")),
                    );
                }
            }
            StatusItem::Class(digit) => {
                if !(1..=5).contains(&digit) {
                    cx.push(
                        STATUS_RANGE
                            .at(item.span, format!("there is no status class `{digit}xx`"))
                            .with_label("not an HTTP status class")
                            .with_help("status classes are `1xx` to `5xx`"),
                    );
                }
            }
        }
    }
}

/// Reports the first code outside 100–599; true if there was one.
fn out_of_range(cx: &mut Context, span: Span, codes: &[u16]) -> bool {
    let Some(code) = codes.iter().find(|c| !(LOWEST..=HIGHEST).contains(*c)) else {
        return false;
    };
    cx.push(
        STATUS_RANGE
            .at(span, format!("`{code}` is not an HTTP status"))
            .with_label("outside 100–599")
            .with_help("HTTP status codes run from 100 to 599; `2xx` means any success"),
    );
    true
}
