//! `zinit check`'s diagnostics as LSP diagnostics: the same codes, messages
//! and fixes, ranges in UTF-16 columns, secondary labels as related
//! information, and the error-index page as the code's description.

use super::position;
use crate::check::{self, CheckOptions, Severity, SourceFile};
use crate::input::LoadedScript;
use crate::syntax::LineIndex;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Uri,
};

/// Where the book is published; a code's page is `{BOOK_URL}/errors/CODE.html`.
pub const BOOK_URL: &str = "https://zinit.dev/book";

/// Every diagnostic `zinit check` reports on this text, through the call
/// `check` makes (without an environment: variables are left for run
/// time, as `check` does unasked).
pub fn check(text: &str) -> Vec<check::Diagnostic> {
    let loaded = LoadedScript {
        file: SourceFile::new("<editor>", text),
        decode_error: None,
    };
    crate::lint::check_one(loaded, &CheckOptions::default(), None).diagnostics
}

pub fn error_page(code: &str) -> String {
    format!("{BOOK_URL}/errors/{code}.html")
}

pub fn to_lsp(uri: &Uri, lines: &LineIndex, diagnostic: &check::Diagnostic) -> Diagnostic {
    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.primary.message {
        message = format!("{message}: {label}");
    }
    if let Some(help) = &diagnostic.help {
        message = format!("{message}\nhelp: {help}");
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .secondary
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), position::range(lines, label.span)),
            message: label.message.clone().unwrap_or_default(),
        })
        .collect();
    Diagnostic {
        range: position::range(lines, diagnostic.primary.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: error_page(diagnostic.code)
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("zinit".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
