//! Structural checks of the type checker: rules that need the shape of the
//! AST but no types. Prompt placeholders must name a parameter (E0219);
//! `defpath` roots must be relative and without `..`, extensions must start
//! with `.` (E0221); a `defn` performs no effects (E0301); `recur` sits in
//! tail position of a loop and gives one value per state variable
//! (E0304–E0306); every loop, for-each, retry and budget is bounded and its
//! literal bounds are positive (E0307–E0311).
//!
//! `check` walks each item once with one visitor (`walk`); it only appends
//! to `diags`, never reads them, and reports each problem once. Every
//! diagnostic has a primary span inside the item it is about, and a hint.
//! `Error` nodes of the AST were already reported by the parser and are
//! skipped silently.

mod bounds;
mod effects;
mod items;
mod recur;
mod walk;

#[cfg(test)]
mod tests;

use crate::diag::{Diagnostic, Span};
use crate::parser::ast::{Item, Program};

/// Runs every structural check on `program`, appending what it finds.
pub fn check(program: &Program, diags: &mut Vec<Diagnostic>) {
    for item in &program.items {
        match item {
            Item::Prompt(prompt) => {
                items::check_prompt(prompt, diags);
                walk::Walker::new(diags).params(&prompt.params);
            }
            Item::Path(path) => items::check_path(path, diags),
            Item::Provider(provider) => {
                if let Some(timeout) = &provider.timeout {
                    walk::Walker::new(diags).expr(timeout, false);
                }
            }
            Item::Fn(def) => {
                let mut walker = walk::Walker::new(diags).in_pure_fn(&def.name);
                walker.params(&def.params);
                walker.body(&def.body, false);
            }
            Item::Workflow(def) => {
                let mut walker = walk::Walker::new(diags);
                walker.params(&def.params);
                walker.body(&def.body, false);
            }
            Item::Module(_)
            | Item::Import(_)
            | Item::Export(_)
            | Item::Enum(_)
            | Item::Record(_)
            | Item::Union(_) => {}
        }
    }
}

/// The span of a form's head, `(command` in `(command :argv …)`: a short
/// primary span for forms that have no name of their own. Forms are written
/// with the head right after the parenthesis; if not, the span is still
/// inside the form.
fn head_span(form: Span, head: &str) -> Span {
    form.sub(0, 1 + head.len())
}
