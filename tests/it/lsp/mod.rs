//! `zinit lsp`, driven over standard input and output by a JSON-RPC client
//! (support::lsp): the lifecycle and bad input, then each feature.

mod features;
mod parity;
mod protocol;
