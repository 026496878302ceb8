//! Lowering of type expressions (`Int`, `(List T)`, `(-> (A B) R)`),
//! parameter lists (`((x T) (y U :default e))`) and type-parameter
//! declarations (`[S T]`).

use super::Lowerer;
use super::kwargs::KwArgs;
use crate::diag::{Code, Diagnostic};

const FN_TYPE_HINT: &str = "write a function type as `(-> (ArgType …) ResultType)`";
use crate::parser::ast::{Ident, Param, TypeExpr, TypeExprKind};
use crate::parser::sexpr::{Sexpr, SexprKind};

impl Lowerer<'_> {
    pub fn type_expr(&mut self, s: &Sexpr) -> TypeExpr {
        let kind = match &s.kind {
            SexprKind::Symbol(name) if !name.contains('.') && *name != "->" => {
                TypeExprKind::Named(Ident {
                    name: name.to_string(),
                    span: s.span,
                })
            }
            SexprKind::List { .. } if s.as_list().is_some() => self.type_list(s),
            _ => {
                self.push(
                    Diagnostic::error(
                        Code::E0110,
                        s.span,
                        format!("expected a type, found {}", s.describe()),
                    )
                    .with_primary("not a type"),
                );
                TypeExprKind::Error
            }
        };
        TypeExpr { kind, span: s.span }
    }

    fn type_list(&mut self, s: &Sexpr) -> TypeExprKind {
        let items = s.as_list().unwrap_or_default();
        let Some(head) = items.first() else {
            self.push(
                Diagnostic::error(Code::E0110, s.span, "expected a type, found `()`")
                    .with_primary("an empty list is not a type"),
            );
            return TypeExprKind::Error;
        };
        if head.as_symbol() == Some("->") {
            // (-> (A B) R)
            let (Some(params), Some(ret), None) = (items.get(1), items.get(2), items.get(3)) else {
                self.push(
                    Diagnostic::error(Code::E0110, s.span, "malformed function type")
                        .with_primary("expected `->`, the argument types and the result type")
                        .with_hint(FN_TYPE_HINT),
                );
                return TypeExprKind::Error;
            };
            let Some(params) = params.as_list() else {
                self.push(
                    Diagnostic::error(Code::E0110, params.span, "malformed function type")
                        .with_primary("expected the list of argument types")
                        .with_hint(FN_TYPE_HINT),
                );
                return TypeExprKind::Error;
            };
            let params = params.iter().map(|p| self.type_expr(p)).collect();
            return TypeExprKind::Fn(params, Box::new(self.type_expr(ret)));
        }
        let Some(name) = head.as_symbol().filter(|n| !n.contains('.')) else {
            self.push(
                Diagnostic::error(
                    Code::E0110,
                    head.span,
                    format!("expected a type name, found {}", head.describe()),
                )
                .with_primary("not a type name"),
            );
            return TypeExprKind::Error;
        };
        if items.len() == 1 {
            self.push(
                Diagnostic::error(
                    Code::E0110,
                    s.span,
                    format!("`({name})` has no type arguments"),
                )
                .with_hint(format!("write `{name}` without parentheses")),
            );
            return TypeExprKind::Error;
        }
        let args = items[1..].iter().map(|a| self.type_expr(a)).collect();
        TypeExprKind::App(
            Ident {
                name: name.to_string(),
                span: head.span,
            },
            args,
        )
    }

    /// `[S T]`: names of type parameters.
    pub fn type_params(&mut self, s: &Sexpr, form: &str) -> Vec<Ident> {
        let items = s.as_vector().unwrap_or_default();
        items
            .iter()
            .filter_map(|p| self.ident(p, form, "a type parameter name"))
            .collect()
    }

    /// `((x T) (y U :default e))`
    pub fn params(&mut self, s: &Sexpr, form: &str) -> Vec<Param> {
        let Some(items) = self.list(
            s,
            form,
            "a parameter list such as `((doc Path) (rounds Int))`",
        ) else {
            return Vec::new();
        };
        let mut params = Vec::with_capacity(items.len());
        for item in items {
            let Some(parts) = self.list(item, form, "a parameter such as `(doc Path)`") else {
                continue;
            };
            let kw = KwArgs::split(self, "parameter", parts, &["default"]);
            let (Some(name), Some(ty)) = (kw.positional.first(), kw.positional.get(1)) else {
                self.malformed(item.span, form, "a parameter name and type", None);
                continue;
            };
            if let Some(extra) = kw.positional.get(2) {
                self.malformed(
                    extra.span,
                    form,
                    "`:default` or the end of the parameter",
                    Some(extra),
                );
            }
            let Some(name) = self.ident(name, form, "a parameter name") else {
                continue;
            };
            let ty = self.type_expr(ty);
            let default = kw.get("default").map(|d| self.expr(d));
            params.push(Param {
                name,
                ty,
                default,
                span: item.span,
            });
        }
        params
    }
}
