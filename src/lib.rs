//! wfl: a typed Lisp for deterministic agent workflows. The crate is laid out
//! by compiler phase, each with one entry function: `lexer::lex`,
//! `parser::parse`, `typeck::check`. `diag` holds the one `Diagnostic` type
//! every phase reports through; `cli` is the `wfl` command line.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod diag;
pub mod ir;
pub mod lexer;
pub mod lower;
pub mod parser;
pub mod repl;
pub mod runtime;
pub mod typeck;

use diag::{Diagnostic, FileId, SourceMap, sort_diagnostics};

/// Lexes, parses and type-checks one file of the source map. Diagnostics of
/// every phase come back together, sorted by position.
pub fn check_file(map: &SourceMap, file: FileId) -> (typeck::Checked, Vec<Diagnostic>) {
    let (program, mut diags) = parser::parse(file, map.text(file));
    let (checked, type_diags) = typeck::check(&program);
    diags.extend(type_diags);
    sort_diagnostics(&mut diags);
    (checked, diags)
}
