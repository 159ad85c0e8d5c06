//! ZLayer interop (SPEC §4): export a plan as ZLayer `init` + `errors`
//! YAML, and import such YAML back into a `.zinit` script.

mod export;
mod import;
pub mod spec;

pub use export::{Export, ExportWarning, export};
pub use import::{ImportError, Problem, YamlAt, import};
