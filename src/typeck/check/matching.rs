//! `match` over a union or an enum (E0227 otherwise): every pattern names a
//! variant/member of the scrutinee's type (E0204/E0205), no arm is
//! unreachable (E0216: a repeated pattern or anything after `_`), and the
//! arms cover every case unless a `_` arm ends the match (E0215, listing
//! what is missing). An arm binder proves its variant: the variant's fields
//! are reachable through it, and only through it.

use super::env::Proven;
use super::{Checker, Expect, Join, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Expr, MatchArm, Pattern};
use crate::typeck::typed::{TArm, TExpr, TExprKind, TPattern};
use crate::typeck::types::{Name, Type};
use std::collections::HashMap;

/// What the scrutinee's type says the cases are.
enum Cases {
    Union(Name, Vec<Type>, Vec<Name>),
    Enum(Name, Vec<Name>),
    /// Unknown (an earlier error): arms are checked, coverage is not.
    Unknown,
}

impl Checker<'_> {
    fn cases(&mut self, scrutinee: &TExpr) -> Cases {
        let tables = self.tables;
        match self.shallow(&scrutinee.ty) {
            Type::Union(name, args) => match tables.unions.get(&name) {
                Some(u) => Cases::Union(
                    name,
                    args,
                    u.variants.iter().map(|v| v.name.clone()).collect(),
                ),
                None => Cases::Unknown,
            },
            Type::Enum(name) => match tables.enums.get(&name) {
                Some(e) => Cases::Enum(name, e.members.iter().map(|m| m.name.clone()).collect()),
                None => Cases::Unknown,
            },
            Type::Invalid | Type::Never => Cases::Unknown,
            Type::Var(_) => {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0226,
                        scrutinee.span,
                        "cannot infer the type of the matched value",
                    )
                    .with_primary("type unknown here"),
                );
                Cases::Unknown
            }
            other => {
                let other = self.zonk(&other);
                let hint = match &other {
                    Type::Bool => "branch on a Bool with `if` or `cond`",
                    Type::Option(_) => {
                        "test an option with `(is-some o)` and read it with `(unwrap-or o d)`"
                    }
                    _ => "match works on union values (by variant) and enum values (by member)",
                };
                self.diags.push(
                    Diagnostic::error(
                        Code::E0227,
                        scrutinee.span,
                        format!("cannot match on a value of type `{other}`"),
                    )
                    .with_primary(format!("this has type `{other}`"))
                    .with_hint(hint),
                );
                Cases::Unknown
            }
        }
    }

    pub fn match_expr(
        &mut self,
        scrutinee: &Expr,
        arms: &[MatchArm],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let s = self.infer(scrutinee);
        let cases = self.cases(&s);
        let mut join = Join::new(expect);
        let mut seen: HashMap<Name, Span> = HashMap::new();
        let mut wildcard: Option<Span> = None;
        let mut out = Vec::with_capacity(arms.len());
        for arm in arms {
            if let Some(w) = wildcard {
                self.diags.push(
                    Diagnostic::error(Code::E0216, arm.span, "unreachable match arm")
                        .with_primary("never reached")
                        .with_label(w, "`_` above already matches everything")
                        .with_hint("`_` must be the last arm"),
                );
            }
            self.env.push_scope();
            let pattern = match &arm.pattern {
                Pattern::Wildcard(sp) => {
                    wildcard.get_or_insert(*sp);
                    TPattern::Wildcard
                }
                Pattern::Variant { name, binder } => {
                    let n: Name = name.name.as_str().into();
                    let (known, kind) = match &cases {
                        Cases::Union(u, _, vs) => (Some((u, vs)), "variant"),
                        Cases::Enum(e, ms) => (Some((e, ms)), "member"),
                        Cases::Unknown => (None, "variant"),
                    };
                    let mut ok = true;
                    if let Some((ty_name, names)) = known
                        && !names.contains(&n)
                    {
                        ok = false;
                        let code = if kind == "variant" {
                            Code::E0204
                        } else {
                            Code::E0205
                        };
                        let mut d = report::unknown(
                            code,
                            name.span,
                            kind,
                            &name.name,
                            names.iter().map(|n| &**n),
                        );
                        d.message = format!("`{ty_name}` has no {kind} `{}`", name.name);
                        if let Some(def) = self.tables.def_span(ty_name) {
                            d = d.with_label(def, "defined here");
                        }
                        self.diags.push(d);
                    } else if let Some(first) = seen.get(&n) {
                        if wildcard.is_none() {
                            self.diags.push(
                                Diagnostic::error(
                                    Code::E0216,
                                    arm.span,
                                    format!(
                                        "unreachable match arm: `{}` is already matched",
                                        name.name
                                    ),
                                )
                                .with_primary("never reached")
                                .with_label(*first, "first matched here"),
                            );
                        }
                    } else {
                        seen.insert(n.clone(), name.span);
                    }
                    let binder = binder.as_ref().map(|b| {
                        let (ty, proven) = match (&cases, ok) {
                            (Cases::Union(u, args, _), true) => (
                                Type::Union(u.clone(), args.clone()),
                                Some(Proven {
                                    union: u.clone(),
                                    variant: n.clone(),
                                }),
                            ),
                            (Cases::Enum(e, _), true) => (Type::Enum(e.clone()), None),
                            _ => (Type::Invalid, None),
                        };
                        let id = self.bind_local(b, ty, proven);
                        (Name::from(b.name.as_str()), id)
                    });
                    match cases {
                        Cases::Enum(..) => TPattern::Member { name: n, binder },
                        _ => TPattern::Variant { name: n, binder },
                    }
                }
            };
            let (body, ty) = self.block(&arm.body, join.expect());
            join.add_block(&body, &ty);
            self.env.pop_scope();
            out.push(TArm {
                pattern,
                body,
                span: arm.span,
            });
        }
        let all = match &cases {
            Cases::Union(n, _, all) | Cases::Enum(n, all) => Some((n, all)),
            Cases::Unknown => None,
        };
        if let Some((ty_name, all)) = all
            && wildcard.is_none()
        {
            let missing: Vec<&Name> = all.iter().filter(|v| !seen.contains_key(*v)).collect();
            if !missing.is_empty() {
                let list = missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let (kind, verb) = match (&cases, missing.len()) {
                    (Cases::Enum(..), 1) => ("member", "is"),
                    (Cases::Enum(..), _) => ("members", "are"),
                    (_, 1) => ("variant", "is"),
                    _ => ("variants", "are"),
                };
                let mut d = Diagnostic::error(
                    Code::E0215,
                    s.span,
                    format!(
                        "non-exhaustive match: {kind} {list} of `{ty_name}` {verb} not covered"
                    ),
                )
                .with_primary(format!(
                    "this `{ty_name}` may be {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ))
                .with_hint("add an arm for each missing case, or a last `_` arm");
                if let Some(def) = self.tables.def_span(ty_name) {
                    d = d.with_label(def, format!("`{ty_name}` defined here"));
                }
                self.diags.push(d);
            }
        }
        TExpr::new(
            TExprKind::Match {
                scrutinee: Box::new(s),
                arms: out,
            },
            join.ty(),
            span,
        )
    }
}
