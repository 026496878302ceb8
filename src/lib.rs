//! wfl: a typed Lisp for deterministic agent workflows. The crate is laid out
//! by compiler phase, each with one entry function: `lexer::lex`,
//! `parser::parse`, `modules::check_root` (which loads imports and runs
//! `typeck::check_module` per module), `ir::build`, `runtime::run`,
//! `lower::yaml::lower`. `diag` holds the one `Diagnostic` type
//! every phase reports through; `cli` is the `wfl` command line.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod diag;
pub mod ir;
pub mod lexer;
pub mod lower;
pub mod modules;
pub mod parser;
pub mod repl;
pub mod runtime;
pub mod typeck;

use diag::{Diagnostic, FileId, SourceMap};

/// Lexes, parses and type-checks one file of the source map with every
/// module it imports (which are added to the map). Diagnostics of every
/// file and phase come back together, sorted by position.
pub fn check_file(map: &mut SourceMap, file: FileId) -> (typeck::Checked, Vec<Diagnostic>) {
    modules::check_root(map, file)
}
