//! Lowering of S-expressions to the AST of special forms. Each special form
//! has one function that checks its shape and builds its node; shape errors
//! (E01xx) and keyword problems (E0206, E0212, E0228) are reported here and
//! replaced by `Error` nodes or omitted fields, so the checker sees a
//! complete tree. Nothing here resolves names or knows about types.

mod exprs;
mod forms;
mod items;
mod kwargs;
mod types;

use super::ast::{Ident, StrLit};
use super::sexpr::{Sexpr, SexprKind};
use crate::diag::{Code, Diagnostic, Span};

pub use items::TOP_LEVEL_FORMS;
pub(super) use items::lower_items;

/// The opening delimiter and head of a form, `(if`: where form-level
/// problems point, rather than at a whole multi-line form.
pub(super) fn head_span(s: &Sexpr) -> Span {
    match s.as_list().and_then(<[Sexpr]>::first) {
        Some(head) => Span::new(s.span.file, s.span.start as usize, head.span.end as usize),
        None => s.span.sub(0, 1),
    }
}

/// Shared state of one file's lowering.
pub(super) struct Lowerer<'a> {
    /// The file's text, for templates that need exact placeholder spans.
    pub src: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Lowerer<'_> {
    pub fn push(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    /// A malformed special form: says what was expected where.
    pub fn malformed(&mut self, span: Span, form: &str, expected: &str, found: Option<&Sexpr>) {
        let found = found.map_or("nothing".to_string(), Sexpr::describe);
        let d = Diagnostic::error(Code::E0108, span, format!("malformed `{form}`"))
            .with_primary(format!("expected {expected}, found {found}"));
        self.diags.push(d);
    }

    /// A plain name (no dots, not a keyword).
    pub fn ident(&mut self, s: &Sexpr, form: &str, what: &str) -> Option<Ident> {
        match &s.kind {
            SexprKind::Symbol(name) if !name.contains('.') => Some(Ident {
                name: name.to_string(),
                span: s.span,
            }),
            _ => {
                self.malformed(s.span, form, what, Some(s));
                None
            }
        }
    }

    pub fn string(&mut self, s: &Sexpr, form: &str, what: &str) -> Option<StrLit> {
        match &s.kind {
            SexprKind::Str(value) => Some(StrLit {
                value: value.to_string(),
                span: s.span,
            }),
            _ => {
                self.malformed(s.span, form, what, Some(s));
                None
            }
        }
    }

    pub fn bool(&mut self, s: &Sexpr, form: &str, what: &str) -> Option<bool> {
        match &s.kind {
            SexprKind::Bool(b) => Some(*b),
            _ => {
                self.malformed(s.span, form, what, Some(s));
                None
            }
        }
    }

    /// The items of a `( … )` list, or a report that one was expected.
    pub fn list<'s, 'src>(
        &mut self,
        s: &'s Sexpr<'src>,
        form: &str,
        what: &str,
    ) -> Option<&'s [Sexpr<'src>]> {
        let items = s.as_list();
        if items.is_none() {
            self.malformed(s.span, form, what, Some(s));
        }
        items
    }
}
