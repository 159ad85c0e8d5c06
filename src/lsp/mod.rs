//! `zinit lsp`: a language server on standard input and output (LSP 3.17),
//! on rust-analyzer's `lsp-server` and `lsp-types`. Every answer comes from
//! the library's own stages: diagnostics from `check`, formatting from
//! `fmt`, clause docs from the clause table, settings and worst cases from
//! the plan.

mod actions;
mod capabilities;
mod clause_completion;
mod completion;
mod context;
mod definition;
mod diagnostics;
mod docs;
mod documents;
mod folding;
mod formatting;
mod handlers;
mod hover;
mod items;
mod position;
mod rpc;
mod server;
mod steps;
mod symbols;
pub mod transport;

pub use diagnostics::BOOK_URL;
pub use server::{EXIT_CLEAN, EXIT_UNCLEAN};

/// Serves on standard input and output until `exit`; the exit code.
pub fn serve_stdio() -> u8 {
    let (connection, writer) = transport::stdio();
    let code = server::Server::new(&connection).run();
    // Dropping the connection ends the writer once the last message is out.
    drop(connection);
    let _ = writer.join();
    code
}
