//! Lowering of S-expressions to the AST (in progress).
use super::ast::Item;
use super::sexpr::Sexpr;
use crate::diag::Diagnostic;

pub fn lower_items(_src: &str, _sexprs: &[Sexpr], _diags: &mut Vec<Diagnostic>) -> Vec<Item> {
    Vec::new()
}
