//! Binding the arguments of an application or `call` to parameters:
//! positionally first, then by keyword. Too many is E0211, an unknown
//! keyword E0206, one given twice E0228, a missing one without a default
//! E0212 (not also reported when a misspelt keyword explains it). Every
//! argument is checked, even one that binds nothing.

use super::{Checker, Expect, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Arg, Expr, FieldInit, Ident};
use crate::typeck::items::{FnInfo, ParamInfo};
use crate::typeck::typed::TExpr;
use crate::typeck::types::Type;

/// One argument as written: keyword (if any) and value.
#[derive(Clone, Copy)]
pub struct ArgRef<'e> {
    pub key: Option<&'e Ident>,
    pub value: &'e Expr,
}

impl<'e> ArgRef<'e> {
    pub fn from_args(args: &'e [Arg]) -> Vec<ArgRef<'e>> {
        args.iter()
            .map(|a| match a {
                Arg::Positional(value) => ArgRef { key: None, value },
                Arg::Keyword(key, value) => ArgRef {
                    key: Some(key),
                    value,
                },
            })
            .collect()
    }

    pub fn from_fields(fields: &'e [FieldInit]) -> Vec<ArgRef<'e>> {
        fields
            .iter()
            .map(|f| ArgRef {
                key: Some(&f.name),
                value: &f.value,
            })
            .collect()
    }
}

/// Who is being applied, for messages: `function \`slug\``.
pub struct Callee<'a> {
    pub what: &'a str,
    pub name: &'a str,
    /// Where the callee is named (primary span of arity errors).
    pub span: Span,
}

/// Keywords a `call` step keeps for itself (its id, its replay rule).
const STEP_KEYWORDS: [&str; 2] = ["name", "idempotent"];

impl Checker<'_> {
    /// Checks `args` against `params` (whose types are already
    /// instantiated in `types`); one slot per parameter, `None` when
    /// omitted (its default applies, or E0212 was reported).
    /// Applies defn or workflow `info` (named at `at`) to `args`: records
    /// the reference, instantiates its type parameters (guided by the
    /// expected type), and binds the arguments. The type arguments, one
    /// slot per parameter, and the result type.
    pub fn apply_signature(
        &mut self,
        info: &FnInfo,
        what: &str,
        at: Span,
        args: &[ArgRef],
        expect: Option<&Expect>,
    ) -> (Vec<Type>, Vec<Option<TExpr>>, Type) {
        self.edge(&info.name, at);
        let type_args = self.instantiate(&info.name, &info.type_params, at);
        let types: Vec<Type> = info
            .params
            .iter()
            .map(|p| p.ty.substitute(&info.type_params, &type_args))
            .collect();
        let ret = info.ret.substitute(&info.type_params, &type_args);
        if let Some(x) = expect
            && ret.has_vars()
        {
            self.subst.try_sub(&ret, &x.ty);
        }
        let callee = Callee {
            what,
            name: &info.name,
            span: at,
        };
        let args = self.bind_args(&callee, &info.params, &types, args);
        (type_args, args, ret)
    }

    pub fn bind_args(
        &mut self,
        callee: &Callee,
        params: &[ParamInfo],
        types: &[Type],
        args: &[ArgRef],
    ) -> Vec<Option<TExpr>> {
        let mut slots: Vec<Option<&Expr>> = vec![None; params.len()];
        let mut keys: Vec<Option<Span>> = vec![None; params.len()];
        let mut stray: Vec<&Expr> = Vec::new();
        let mut positional = 0usize;
        let mut typos: Vec<&str> = Vec::new();
        let mut unknown: Vec<Diagnostic> = Vec::new();
        for a in args {
            match a.key {
                None => {
                    if positional < params.len() {
                        slots[positional] = Some(a.value);
                        keys[positional] = Some(a.value.span);
                    } else {
                        if positional == params.len() {
                            let n = params.len();
                            self.diags.push(
                                Diagnostic::error(
                                    Code::E0211,
                                    a.value.span,
                                    format!(
                                        "{} `{}` takes {n} argument{}, more were given",
                                        callee.what,
                                        callee.name,
                                        if n == 1 { "" } else { "s" }
                                    ),
                                )
                                .with_primary("unexpected argument")
                                .with_label(callee.span, format!("`{}` applied here", callee.name)),
                            );
                        }
                        stray.push(a.value);
                    }
                    positional += 1;
                }
                Some(key) => match params.iter().position(|p| *p.name == *key.name) {
                    Some(i) => {
                        if let Some(first) = keys[i] {
                            self.diags.push(
                                Diagnostic::error(
                                    Code::E0228,
                                    key.span,
                                    format!("argument `{}` given twice", key.name),
                                )
                                .with_primary("repeated here")
                                .with_label(first, "first given here"),
                            );
                            stray.push(a.value);
                        } else {
                            slots[i] = Some(a.value);
                            keys[i] = Some(key.span);
                        }
                    }
                    None => {
                        let mut d = report::unknown(
                            Code::E0206,
                            key.span,
                            "parameter",
                            &key.name,
                            params.iter().map(|p| &*p.name),
                        );
                        d.message = format!(
                            "{} `{}` has no parameter `{}`",
                            callee.what, callee.name, key.name
                        );
                        if let Some(c) =
                            crate::diag::closest(&key.name, params.iter().map(|p| &*p.name))
                        {
                            typos.push(c);
                        }
                        unknown.push(d);
                        stray.push(a.value);
                    }
                },
            }
        }
        for e in stray {
            self.infer(e);
        }
        let mut missing: Vec<&str> = params
            .iter()
            .zip(&slots)
            .filter(|(p, s)| s.is_none() && !p.has_default && !typos.contains(&&*p.name))
            .map(|(p, _)| &*p.name)
            .collect();
        if let ([d], [m]) = (unknown.as_mut_slice(), missing.as_slice()) {
            // One unknown keyword and one missing parameter: one mistake.
            d.hint = Some(format!(
                "did you mean `{m}`? It is the one required parameter not given"
            ));
            missing.clear();
        }
        self.diags.append(&mut unknown);
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let s = if missing.len() == 1 { "" } else { "s" };
            self.diags.push(
                Diagnostic::error(
                    Code::E0212,
                    callee.span,
                    format!(
                        "{} `{}` is missing argument{s} {list}",
                        callee.what, callee.name
                    ),
                )
                .with_primary(format!("missing {list}"))
                .with_hint(match missing.iter().find(|m| STEP_KEYWORDS.contains(m)) {
                    // `call` takes `:name`/`:idempotent` as step options.
                    Some(m) if callee.what == "workflow" => format!(
                        "`:{m}` is an option of the `call` step itself, so a workflow parameter \
                         called `{m}` cannot be passed by keyword; rename the parameter"
                    ),
                    _ => format!(
                        "pass {}",
                        missing
                            .iter()
                            .map(|m| format!("`:{m} …`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                }),
            );
        }
        slots
            .into_iter()
            .zip(params.iter().zip(types))
            .map(|(slot, (p, ty))| {
                let e = slot?;
                Some(self.expr(e, Some(&Expect::because(ty.clone(), p.ty_span))))
            })
            .collect()
    }

    /// Infers arguments that go nowhere (to find their own errors).
    pub fn stray_args(&mut self, args: &[ArgRef], span: Span) -> TExpr {
        for a in args {
            self.infer(a.value);
        }
        TExpr::error(span)
    }
}
