//! Field access: record fields, enum members (`Severity.LOW`), and union
//! variant fields — reachable only through the binder of the match arm
//! that proves the variant (E0217); a field a type does not have is E0203,
//! and a value without fields E0218. Templates (`fmt`, prompt bodies) are
//! checked hole by hole as the same field-access expressions.

use super::env::Proven;
use super::{Checker, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Expr, ExprKind, Ident, Template, TemplatePart};
use crate::typeck::items::ItemKind;
use crate::typeck::typed::{FieldAccess, Ref, TExpr, TExprKind, TTemplate, TTemplatePart};
use crate::typeck::types::{Name, Type};

impl Checker<'_> {
    /// `base.field`, or `Enum.MEMBER`.
    pub fn field_expr(&mut self, base: &Expr, field: &Ident, span: Span) -> TExpr {
        let mut proven = None;
        if let ExprKind::Var(n) = &base.kind {
            match self.env.lookup(&n.name) {
                Some(local) => proven = local.proven.clone(),
                None if self.tables.kind_of(&n.name) == Some(ItemKind::Enum) => {
                    return self.enum_member(n, field, span);
                }
                None => {}
            }
        }
        let b = self.infer(base);
        self.field_access(b, proven, field, span)
    }

    fn enum_member(&mut self, enum_name: &Ident, member: &Ident, span: Span) -> TExpr {
        let Some(info) = self.tables.enums.get(self.tables.canon(&enum_name.name)) else {
            return TExpr::error(span);
        };
        if !info.members.iter().any(|m| *m.name == *member.name) {
            let mut d = report::unknown(
                Code::E0205,
                member.span,
                "member",
                &member.name,
                info.members.iter().map(|m| &*m.name),
            );
            d.message = format!("`{}` has no member `{}`", info.name, member.name);
            d = d.with_primary("no such member");
            if let Some(def) = self.tables.def_span(&info.name) {
                d = d.with_label(def, "defined here");
            }
            self.diags.push(d);
            return TExpr::error(span);
        }
        TExpr::new(
            TExprKind::Var(Ref::EnumMember {
                enum_name: info.name.clone(),
                member: member.name.as_str().into(),
            }),
            Type::Enum(info.name.clone()),
            span,
        )
    }

    /// `base.field` where `base` is already checked; `proven` is set when
    /// `base` is the binder of a match arm.
    pub fn field_access(
        &mut self,
        base: TExpr,
        proven: Option<Proven>,
        field: &Ident,
        span: Span,
    ) -> TExpr {
        let ty = self.shallow(&base.ty);
        let fname = field.name.as_str();
        let tables = self.tables;
        let done = |base: TExpr, ty: Type, field: &Name, access: FieldAccess| {
            TExpr::new(
                TExprKind::Field {
                    base: Box::new(base),
                    field: field.clone(),
                    access,
                },
                ty,
                span,
            )
        };
        match &ty {
            Type::Invalid | Type::Never => TExpr::error(span),
            Type::Record(name, args) => {
                let Some(info) = tables.records.get(name) else {
                    return TExpr::error(span);
                };
                match info.fields.iter().find(|f| &*f.name == fname) {
                    Some(f) => {
                        let fty = f.ty.substitute(&info.type_params, args);
                        done(base, fty, &f.name, FieldAccess::Record)
                    }
                    None => {
                        let mut d = report::unknown(
                            Code::E0203,
                            field.span,
                            "field",
                            &field.name,
                            info.fields.iter().map(|f| &*f.name),
                        );
                        d.message = format!("`{}` has no field `{}`", self.zonk(&ty), field.name);
                        if let Some(def) = tables.def_span(name) {
                            d = d.with_label(def, "defined here");
                        }
                        self.diags.push(d);
                        TExpr::error(span)
                    }
                }
            }
            Type::Union(name, args) => {
                let Some(info) = tables.unions.get(name) else {
                    return TExpr::error(span);
                };
                if let Some(p) = proven.filter(|p| p.union == *name)
                    && let Some(v) = info.variants.iter().find(|v| v.name == p.variant)
                {
                    return match v.fields.iter().find(|f| &*f.name == fname) {
                        Some(f) => {
                            let fty = f.ty.substitute(&info.type_params, args);
                            done(
                                base,
                                fty,
                                &f.name,
                                FieldAccess::Variant {
                                    variant: v.name.clone(),
                                },
                            )
                        }
                        None => {
                            let mut d = report::unknown(
                                Code::E0203,
                                field.span,
                                "field",
                                &field.name,
                                v.fields.iter().map(|f| &*f.name),
                            );
                            d.message = format!(
                                "variant `{}` of `{}` has no field `{}`",
                                v.name, info.name, field.name
                            );
                            if v.fields.is_empty() {
                                d = d.with_hint(format!("`{}` has no fields", v.name));
                            }
                            self.diags
                                .push(d.with_label(v.span, "variant defined here"));
                            TExpr::error(span)
                        }
                    };
                }
                let having: Vec<&str> = info
                    .variants
                    .iter()
                    .filter(|v| v.fields.iter().any(|f| &*f.name == fname))
                    .map(|v| &*v.name)
                    .collect();
                let d = if let Some(first) = having.first() {
                    let binder = base_name(&base).unwrap_or("x".into());
                    let short: String =
                        first.chars().take(1).flat_map(char::to_lowercase).collect();
                    let short = if short == binder || short.is_empty() {
                        "it".to_string()
                    } else {
                        short
                    };
                    Diagnostic::error(
                        Code::E0217,
                        field.span,
                        format!(
                            "field `{}` of union `{}` is reachable only inside a `match` arm that proves the variant",
                            field.name, info.name
                        ),
                    )
                    .with_primary(format!("`{binder}` may be any variant of `{}`", info.name))
                    .with_hint(format!(
                        "match on it first: `(match {binder} (({first} {short}) {short}.{}) …)`",
                        field.name
                    ))
                } else {
                    let all = info
                        .variants
                        .iter()
                        .flat_map(|v| v.fields.iter().map(|f| &*f.name));
                    let mut d = report::unknown(Code::E0203, field.span, "field", &field.name, all);
                    d.message =
                        format!("no variant of `{}` has a field `{}`", info.name, field.name);
                    d
                };
                let d = match tables.def_span(name) {
                    Some(def) => d.with_label(def, "union defined here"),
                    None => d,
                };
                self.diags.push(d);
                TExpr::error(span)
            }
            Type::Var(_) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0226,
                        base.span,
                        format!(
                            "cannot infer the type of this value to look up `{}`",
                            field.name
                        ),
                    )
                    .with_primary("type unknown here"),
                );
                TExpr::error(span)
            }
            other => {
                let other = self.zonk(other);
                let hint = match &other {
                    Type::Option(_) => "take the value out first with `(unwrap-or o default)` or `match`-free helpers such as `(is-some o)`".to_string(),
                    Type::Json => format!("read a JSON member with `(json-get j \"{}\")`", field.name),
                    Type::List(_) => "take an element with `(first xs)` or `(nth xs i)`, or `map` over the list".to_string(),
                    Type::Enum(_) => "enum members have no fields; compare them with `=` or `match`".to_string(),
                    _ => "only records (and variants, through a match arm) have fields".to_string(),
                };
                self.diags.push(
                    Diagnostic::error(Code::E0218, field.span, format!("`{other}` has no fields"))
                        .with_primary(format!("cannot read `{}` here", field.name))
                        .with_label(base.span, format!("this has type `{other}`"))
                        .with_hint(hint),
                );
                TExpr::error(span)
            }
        }
    }

    /// A `fmt` template; in a prompt (`prompt` set) holes may name only
    /// parameters, and other names are left to the structure check (E0219).
    pub fn template_with(&mut self, t: &Template, prompt: bool) -> TTemplate {
        let mut parts = Vec::with_capacity(t.parts.len());
        for part in &t.parts {
            match part {
                TemplatePart::Text(s) => parts.push(TTemplatePart::Text(s.clone())),
                TemplatePart::Hole { path, span } => {
                    let Some((head, fields)) = path.split_first() else {
                        continue;
                    };
                    if prompt && self.env.lookup(&head.name).is_none() {
                        parts.push(TTemplatePart::Hole(TExpr::error(*span)));
                        continue;
                    }
                    let mut e = Expr {
                        kind: ExprKind::Var(head.clone()),
                        span: head.span,
                    };
                    for f in fields {
                        let span = e.span.to(f.span);
                        e = Expr {
                            kind: ExprKind::Field(Box::new(e), f.clone()),
                            span,
                        };
                    }
                    let hole = self.infer(&e);
                    let ty = self.zonk(&hole.ty);
                    if ty.contains_fn() {
                        self.diags.push(
                            Diagnostic::error(
                                Code::E0213,
                                *span,
                                format!("a `{ty}` cannot be formatted"),
                            )
                            .with_primary("a function")
                            .with_hint("only values with a JSON form can appear in a template"),
                        );
                    }
                    parts.push(TTemplatePart::Hole(hole));
                }
            }
        }
        TTemplate {
            parts,
            span: t.span,
        }
    }

    pub fn template(&mut self, t: &Template) -> TTemplate {
        self.template_with(t, false)
    }
}

/// The variable name at the root of a field access chain.
fn base_name(e: &TExpr) -> Option<String> {
    match &e.kind {
        TExprKind::Var(Ref::Local { name, .. } | Ref::Param { name, .. }) => Some(name.to_string()),
        TExprKind::Field { base, field, .. } => Some(format!("{}.{field}", base_name(base)?)),
        _ => None,
    }
}
