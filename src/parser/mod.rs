//! Parsing: tokens to S-expressions (`sexpr`, chumsky) and S-expressions to
//! the AST of special forms (`lower`). `parse` runs both and never fails:
//! whatever could not be read is reported and left out or kept as an
//! `Error` node.

pub mod ast;
mod lower;

pub use lower::TOP_LEVEL_FORMS;
pub mod sexpr;
pub mod template;

use crate::diag::{Diagnostic, FileId};
use crate::lexer;

/// Parses one file into its AST and the diagnostics of lexing and parsing.
pub fn parse(file: FileId, src: &str) -> (ast::Program, Vec<Diagnostic>) {
    let (tokens, mut diags) = lexer::lex(file, src);
    let (sexprs, read_diags) = sexpr::read(file, &tokens, src.len());
    diags.extend(read_diags);
    let items = lower::lower_items(src, &sexprs, &mut diags);
    (ast::Program { file, items }, diags)
}

#[cfg(test)]
mod tests;
