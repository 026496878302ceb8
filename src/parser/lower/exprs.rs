//! Lowering of expressions: atoms, names with field access (`a.b.c`),
//! applications, and the pure special forms (let*, do, if, cond, match,
//! record, variant, list, fmt). Effects and control forms are in `forms`.

use super::kwargs::KwArgs;
use super::{Lowerer, head_span};
use crate::diag::{Code, Diagnostic};
use crate::parser::ast::*;
use crate::parser::sexpr::{Sexpr, SexprKind};
use crate::parser::template::parse_template;

impl Lowerer<'_> {
    pub fn expr(&mut self, s: &Sexpr) -> Expr {
        let kind = match &s.kind {
            SexprKind::Int(n) => ExprKind::Int(*n),
            SexprKind::Float(x) => ExprKind::Float(*x),
            SexprKind::Str(v) => ExprKind::Str(v.to_string()),
            SexprKind::Bool(b) => ExprKind::Bool(*b),
            SexprKind::Symbol(name) => return self.name_expr(s, name),
            SexprKind::Keyword(k) => {
                self.push(
                    Diagnostic::error(
                        Code::E0108,
                        s.span,
                        format!("keyword `:{k}` is not a value"),
                    )
                    .with_primary("expected an expression")
                    .with_hint("keywords name arguments of special forms and calls"),
                );
                ExprKind::Error
            }
            SexprKind::List { .. } => match s.as_list() {
                Some(items) => self.list_expr(s, items),
                None => {
                    self.push(
                        Diagnostic::error(Code::E0108, s.span, "`[…]` is not an expression")
                            .with_primary("brackets only declare type parameters")
                            .with_hint("build a list value with `(list …)`"),
                    );
                    ExprKind::Error
                }
            },
        };
        Expr { kind, span: s.span }
    }

    pub fn body(&mut self, items: &[&Sexpr]) -> Vec<Expr> {
        items.iter().map(|i| self.expr(i)).collect()
    }

    /// `x` or `x.f.g`: a variable followed by field accesses.
    fn name_expr(&mut self, s: &Sexpr, name: &str) -> Expr {
        let mut segments = name.split('.');
        let first = segments.next().unwrap_or_default();
        if name.contains('.') && (first.is_empty() || name.split('.').any(str::is_empty)) {
            self.push(
                Diagnostic::error(
                    Code::E0108,
                    s.span,
                    format!("malformed field access `{name}`"),
                )
                .with_primary("empty name between dots"),
            );
            return Expr::error(s.span);
        }
        let mut expr = Expr {
            kind: ExprKind::Var(Ident {
                name: first.to_string(),
                span: s.span.sub(0, first.len()),
            }),
            span: s.span.sub(0, first.len()),
        };
        let mut offset = first.len() + 1;
        for seg in segments {
            let field = Ident {
                name: seg.to_string(),
                span: s.span.sub(offset, seg.len()),
            };
            let span = s.span.sub(0, offset + seg.len());
            expr = Expr {
                kind: ExprKind::Field(Box::new(expr), field),
                span,
            };
            offset += seg.len() + 1;
        }
        expr
    }

    fn list_expr(&mut self, s: &Sexpr, items: &[Sexpr]) -> ExprKind {
        let Some(head) = items.first() else {
            self.push(
                Diagnostic::error(Code::E0108, s.span, "`()` is not an expression")
                    .with_primary("empty form")
                    .with_hint("an empty list value is `(list)`"),
            );
            return ExprKind::Error;
        };
        let rest = &items[1..];
        let Some(name) = head.as_symbol() else {
            self.push(
                Diagnostic::error(
                    Code::E0224,
                    head.span,
                    format!("{} cannot be applied", head.describe()),
                )
                .with_primary("expected the name of a function, form or prompt"),
            );
            return ExprKind::Error;
        };
        match name {
            "let*" => self.let_expr(s, rest),
            "do" => ExprKind::Do(self.plain_body(s, "do", rest)),
            "if" => self.if_expr(s, rest),
            "cond" => self.cond_expr(s, rest),
            "match" => self.match_expr(s, rest),
            "record" => self.record_expr(s, rest),
            "variant" => self.variant_expr(s, rest),
            "list" => {
                let kw = KwArgs::split(self, "list", rest, &[]);
                ExprKind::List(self.body(&kw.positional))
            }
            "fmt" => self.fmt_expr(s, rest),
            "else" | "catch" => {
                self.push(
                    Diagnostic::error(Code::E0108, head.span, format!("`{name}` outside its form"))
                        .with_primary(if name == "else" {
                            "`else` is the last arm of a `cond`"
                        } else {
                            "`catch` is the last form of a `try`"
                        }),
                );
                ExprKind::Error
            }
            _ => match self.effect_or_control(s, name, rest) {
                Some(kind) => kind,
                None => self.apply(head, name, rest),
            },
        }
    }

    /// `(f a b :k v)`: an application of a named function, operator or prompt.
    fn apply(&mut self, head: &Sexpr, name: &str, rest: &[Sexpr]) -> ExprKind {
        let func = Ident {
            name: name.to_string(),
            span: head.span,
        };
        let mut args = Vec::with_capacity(rest.len());
        let mut iter = rest.iter();
        while let Some(item) = iter.next() {
            match item.as_keyword() {
                Some(key) => match iter.next() {
                    Some(value) => args.push(Arg::Keyword(
                        Ident {
                            name: key.to_string(),
                            span: item.span,
                        },
                        self.expr(value),
                    )),
                    None => self.push(
                        Diagnostic::error(Code::E0113, item.span, format!("`:{key}` has no value"))
                            .with_primary("a keyword argument needs a value after it"),
                    ),
                },
                None => args.push(Arg::Positional(self.expr(item))),
            }
        }
        ExprKind::Apply { func, args }
    }

    /// A form whose items are all body expressions (no keywords), at least one.
    pub(super) fn plain_body(&mut self, s: &Sexpr, form: &str, rest: &[Sexpr]) -> Vec<Expr> {
        let kw = KwArgs::split(self, form, rest, &[]);
        if kw.positional.is_empty() {
            self.malformed(head_span(s), form, "at least one expression", None);
        }
        self.body(&kw.positional)
    }

    /// `((x e) (y e2))` binding lists of let*, parallel and loop state.
    pub(super) fn bindings(&mut self, s: &Sexpr, form: &str) -> Vec<Binding> {
        let Some(items) = self.list(s, form, "a list of bindings such as `((x 1) (y 2))`") else {
            return Vec::new();
        };
        let mut bindings = Vec::with_capacity(items.len());
        for item in items {
            match item.as_list() {
                Some([name, value]) => {
                    if let Some(name) = self.ident(name, form, "a binding name") {
                        bindings.push(Binding {
                            name,
                            value: self.expr(value),
                            span: item.span,
                        });
                    }
                }
                _ => self.malformed(item.span, form, "a binding such as `(x value)`", Some(item)),
            }
        }
        bindings
    }

    fn let_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        let kw = KwArgs::split(self, "let*", rest, &[]);
        let Some(first) = kw.positional.first() else {
            self.malformed(head_span(s), "let*", "a list of bindings", None);
            return ExprKind::Error;
        };
        let bindings = self.bindings(first, "let*");
        if kw.positional.len() < 2 {
            self.malformed(head_span(s), "let*", "a body after the bindings", None);
        }
        let body = self.body(&kw.positional[1..]);
        ExprKind::Let { bindings, body }
    }

    fn if_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        let kw = KwArgs::split(self, "if", rest, &[]);
        match kw.positional.as_slice() {
            [c, t, e] => ExprKind::If {
                cond: Box::new(self.expr(c)),
                then: Box::new(self.expr(t)),
                els: Box::new(self.expr(e)),
            },
            [_, _] => {
                self.push(
                    Diagnostic::error(Code::E0108, head_span(s), "`if` without an else branch")
                        .with_primary("expected `(if condition then else)`")
                        .with_hint("every `if` has a value, so it needs both branches"),
                );
                ExprKind::Error
            }
            more => {
                let found = more.get(3).copied();
                self.malformed(
                    found.map_or(s.span, |f| f.span),
                    "if",
                    "exactly a condition, a then branch and an else branch",
                    found,
                );
                ExprKind::Error
            }
        }
    }

    fn cond_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        let kw = KwArgs::split(self, "cond", rest, &[]);
        let mut arms = Vec::new();
        let mut els = None;
        for (i, arm) in kw.positional.iter().enumerate() {
            let Some(items) = self.list(arm, "cond", "an arm such as `(condition value)`") else {
                continue;
            };
            match items {
                [c, v] if c.as_symbol() == Some("else") => {
                    if i + 1 != kw.positional.len() {
                        self.push(
                            Diagnostic::error(Code::E0216, arm.span, "arms after `else` never run")
                                .with_primary("`else` must be the last arm"),
                        );
                    }
                    els = Some(self.expr(v));
                }
                [c, v] => arms.push((self.expr(c), self.expr(v))),
                _ => self.malformed(
                    arm.span,
                    "cond",
                    "an arm such as `(condition value)`",
                    Some(arm),
                ),
            }
        }
        let Some(els) = els else {
            self.push(
                Diagnostic::error(Code::E0108, head_span(s), "`cond` without an `else` arm")
                    .with_primary("add a last arm `(else value)`")
                    .with_hint("every `cond` has a value, so it needs an `else` arm"),
            );
            return ExprKind::Error;
        };
        ExprKind::Cond {
            arms,
            els: Box::new(els),
        }
    }

    fn match_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        let kw = KwArgs::split(self, "match", rest, &[]);
        let Some(scrutinee) = kw.positional.first() else {
            self.malformed(head_span(s), "match", "the value to match on", None);
            return ExprKind::Error;
        };
        let scrutinee = Box::new(self.expr(scrutinee));
        let mut arms = Vec::new();
        for arm in &kw.positional[1..] {
            const ARM: &str = "an arm such as `((APPROVE a) body…)` or `(LOW body…)`";
            let Some(items) = self.list(arm, "match", ARM) else {
                continue;
            };
            let Some((pat, body)) = items.split_first() else {
                self.malformed(arm.span, "match", ARM, None);
                continue;
            };
            let pattern = match (&pat.kind, pat.as_list()) {
                (SexprKind::Symbol(n), _) if *n == "_" => Pattern::Wildcard(pat.span),
                (SexprKind::Symbol(_), _) => match self.ident(pat, "match", "a variant name") {
                    Some(name) => Pattern::Variant { name, binder: None },
                    None => continue,
                },
                (_, Some([name])) => match self.ident(name, "match", "a variant name") {
                    Some(name) => Pattern::Variant { name, binder: None },
                    None => continue,
                },
                (_, Some([name, binder])) => {
                    match (
                        self.ident(name, "match", "a variant name"),
                        self.ident(binder, "match", "a name for the variant's fields"),
                    ) {
                        (Some(name), Some(binder)) => Pattern::Variant {
                            name,
                            binder: Some(binder),
                        },
                        _ => continue,
                    }
                }
                _ => {
                    self.malformed(
                        pat.span,
                        "match",
                        "a pattern such as `(APPROVE a)`, `LOW` or `_`",
                        Some(pat),
                    );
                    continue;
                }
            };
            if body.is_empty() {
                self.malformed(arm.span, "match", "a body after the pattern", None);
            }
            let body = body.iter().map(|b| self.expr(b)).collect();
            arms.push(MatchArm {
                pattern,
                body,
                span: arm.span,
            });
        }
        if kw.positional.len() == 1 {
            self.malformed(head_span(s), "match", "at least one arm", None);
        }
        ExprKind::Match { scrutinee, arms }
    }

    /// `:name value` pairs of record/variant constructors.
    fn field_inits(&mut self, form: &str, items: &[Sexpr]) -> Vec<FieldInit> {
        let mut fields = Vec::new();
        let mut iter = items.iter();
        while let Some(item) = iter.next() {
            let Some(key) = item.as_keyword() else {
                self.malformed(item.span, form, "a field such as `:doc value`", Some(item));
                continue;
            };
            let Some(value) = iter.next() else {
                self.push(
                    Diagnostic::error(Code::E0113, item.span, format!("`:{key}` has no value"))
                        .with_primary("a field needs a value after it"),
                );
                break;
            };
            fields.push(FieldInit {
                name: Ident {
                    name: key.to_string(),
                    span: item.span,
                },
                value: self.expr(value),
            });
        }
        fields
    }

    fn record_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        let Some(ty) = rest.first() else {
            self.malformed(head_span(s), "record", "the record type", None);
            return ExprKind::Error;
        };
        let ty = self.type_expr(ty);
        let fields = self.field_inits("record", &rest[1..]);
        ExprKind::Record { ty, fields }
    }

    fn variant_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        let (Some(ty), Some(variant)) = (rest.first(), rest.get(1)) else {
            self.malformed(
                s.span,
                "variant",
                "the union type and the variant name",
                None,
            );
            return ExprKind::Error;
        };
        let ty = self.type_expr(ty);
        let Some(variant) = self.ident(variant, "variant", "a variant name") else {
            return ExprKind::Error;
        };
        let fields = self.field_inits("variant", &rest[2..]);
        ExprKind::Variant {
            ty,
            variant,
            fields,
        }
    }

    fn fmt_expr(&mut self, s: &Sexpr, rest: &[Sexpr]) -> ExprKind {
        match rest {
            [t] if matches!(t.kind, SexprKind::Str(_)) => {
                ExprKind::Fmt(parse_template(self.src, t.span, self.diags))
            }
            _ => {
                self.malformed(
                    s.span,
                    "fmt",
                    "one template string such as \"Hello {name}\"",
                    rest.first(),
                );
                ExprKind::Error
            }
        }
    }
}
