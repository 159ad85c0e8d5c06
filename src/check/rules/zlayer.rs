//! `zlayer` statements: settings only the ZLayer export reads.

use super::Context;
use crate::check::codes::SECOND_ZLAYER_SETTING;
use crate::syntax::ast::ZLayerStmt;

/// E161: one `zlayer on-panic` per script; the first one is the one kept.
pub(super) fn one_setting(cx: &mut Context, settings: &[&ZLayerStmt]) {
    let Some((first, rest)) = settings.split_first() else {
        return;
    };
    for extra in rest {
        let removal = cx.removal(extra.span);
        cx.push(
            SECOND_ZLAYER_SETTING
                .at(extra.span, "the script already sets `zlayer on-panic`")
                .with_label("second setting")
                .with_secondary(first.span, "first setting here")
                .with_help("a service has one panic policy; keep the one you mean")
                .with_safe_fix("remove the second setting", removal, ""),
        );
    }
}
