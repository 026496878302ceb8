//! Application `(f a b :k v)`: of a local or parameter of function type
//! (positional), a defn (type arguments inferred per call), a prompt
//! (renders to String) or a built-in. Arguments bind to parameters
//! positionally, then by keyword: too many is E0211, an unknown keyword
//! E0206, one given twice E0228, a missing one without default E0212.
//! Workflows are not applied but run with `call` (E0224); unknown names are
//! E0201, or E0231 when the keyword arguments say a prompt was meant.

use super::args::{ArgRef, Callee};
use super::env::Local;
use super::{Checker, Expect, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Arg, Ident};
use crate::typeck::builtins::Builtin;
use crate::typeck::items::ItemKind;
use crate::typeck::typed::{TExpr, TExprKind};
use crate::typeck::types::{Name, Type};

impl Checker<'_> {
    pub fn apply(
        &mut self,
        func: &Ident,
        args: &[Arg],
        span: Span,
        expect: Option<&Expect>,
        bound: Option<Ident>,
    ) -> TExpr {
        let args = ArgRef::from_args(args);
        if let Some(local) = self.env.lookup(&func.name).cloned() {
            return self.apply_value(local, func, &args, span, bound);
        }
        let tables = self.tables;
        match tables.kind_of(&func.name) {
            Some(ItemKind::Fn) => self.apply_defn(func, &args, span, expect),
            Some(ItemKind::Prompt) => self.apply_prompt(func, &args, span),
            Some(ItemKind::Imported) => self.stray_args(&args, span),
            Some(kind) => {
                let hint = match kind {
                    ItemKind::Workflow => format!(
                        "run a workflow as a step: `(call {} :param value …)`",
                        func.name
                    ),
                    ItemKind::Record => format!(
                        "build a record with `(record {} :field value …)`",
                        func.name
                    ),
                    ItemKind::Union => format!(
                        "build a union value with `(variant {} VARIANT …)`",
                        func.name
                    ),
                    ItemKind::Enum => format!("name a member as `{}.MEMBER`", func.name),
                    ItemKind::Path => "turn a String into a path with `(path s)`".to_string(),
                    ItemKind::Provider => format!(
                        "run a provider with `(provider {} :prompt … :returns …)`",
                        func.name
                    ),
                    _ => String::new(),
                };
                let mut d = Diagnostic::error(
                    Code::E0224,
                    func.span,
                    format!("`{}` is {}, not a function", func.name, kind.describe()),
                )
                .with_primary("cannot be applied")
                .with_hint(hint);
                if let Some(def) = tables.def_span(&func.name) {
                    d = d.with_label(def, "defined here");
                }
                self.diags.push(d);
                self.stray_args(&args, span)
            }
            None => {
                match Builtin::from_name(&func.name) {
                    Some(op) => self.builtin_call(op, func, &args, span, expect),
                    None => {
                        let keywords = !args.is_empty() && args.iter().all(|a| a.key.is_some());
                        let d = if keywords {
                            let mut d = report::unknown(
                                Code::E0231,
                                func.span,
                                "prompt",
                                &func.name,
                                tables.prompts.keys().map(|k| &**k),
                            );
                            if tables.prompts.is_empty() {
                                d = d.with_hint("declare it with `(defprompt name ((param Type) …) \"template\")`");
                            }
                            d
                        } else {
                            let names = self.value_names();
                            report::unknown(
                                Code::E0201,
                                func.span,
                                "function",
                                &func.name,
                                names.iter().map(String::as_str),
                            )
                        };
                        self.diags.push(d);
                        self.stray_args(&args, span)
                    }
                }
            }
        }
    }

    /// Applies a function value. It may be a workflow passed in, so in a
    /// workflow the application is a step: its id is the binding it is
    /// bound to, else the function's name, and must be unique (E0303).
    fn apply_value(
        &mut self,
        local: Local,
        func: &Ident,
        args: &[ArgRef],
        span: Span,
        bound: Option<Ident>,
    ) -> TExpr {
        let f = TExpr::new(TExprKind::Var(local.r.clone()), local.ty.clone(), func.span);
        let (params, ret) = match self.shallow(&local.ty) {
            Type::Fn(params, ret) => (params, *ret),
            Type::Invalid => return self.stray_args(args, span),
            other => {
                let other = self.zonk(&other);
                self.diags.push(
                    Diagnostic::error(
                        Code::E0224,
                        func.span,
                        format!("`{}` is not a function; it has type `{other}`", func.name),
                    )
                    .with_primary("cannot be applied")
                    .with_label(local.span, "defined here"),
                );
                return self.stray_args(args, span);
            }
        };
        let mut out = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            if let Some(key) = a.key {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0206,
                        key.span,
                        format!(
                            "`{}` is a function value and takes no keyword arguments",
                            func.name
                        ),
                    )
                    .with_primary("keyword argument")
                    .with_hint("pass its arguments in order"),
                );
            }
            match params.get(i) {
                Some(p) => out.push(self.check(a.value, p.clone())),
                None => {
                    self.infer(a.value);
                }
            }
        }
        if args.len() != params.len() {
            let n = params.len();
            let d = Diagnostic::error(
                Code::E0211,
                func.span,
                format!(
                    "`{}` takes {n} argument{}, found {}",
                    func.name,
                    if n == 1 { "" } else { "s" },
                    args.len()
                ),
            )
            .with_primary(format!("has type `{}`", self.zonk(&local.ty)))
            .with_label(local.span, "defined here");
            self.diags.push(d);
            return TExpr::error(span);
        }
        let (name, at) = match &bound {
            Some(b) => (b.name.as_str(), b.span),
            None => (func.name.as_str(), span),
        };
        self.steps
            .take_application(&Name::from(name), at, &mut self.diags);
        TExpr::new(
            TExprKind::ApplyValue {
                func: Box::new(f),
                args: out,
            },
            ret,
            span,
        )
    }

    fn apply_defn(
        &mut self,
        func: &Ident,
        args: &[ArgRef],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let tables = self.tables;
        let Some(info) = tables.fns.get(tables.canon(&func.name)) else {
            return self.stray_args(args, span);
        };
        let (type_args, args, ret) =
            self.apply_signature(info, "function", func.span, args, expect);
        TExpr::new(
            TExprKind::CallDefn {
                name: info.name.clone(),
                type_args,
                args,
            },
            ret,
            span,
        )
    }

    fn apply_prompt(&mut self, func: &Ident, args: &[ArgRef], span: Span) -> TExpr {
        let tables = self.tables;
        let Some(info) = tables.prompts.get(tables.canon(&func.name)) else {
            return self.stray_args(args, span);
        };
        let types: Vec<Type> = info.params.iter().map(|p| p.ty.clone()).collect();
        let callee = Callee {
            what: "prompt",
            name: &info.name,
            span: func.span,
        };
        let args = self.bind_args(&callee, &info.params, &types, args);
        TExpr::new(
            TExprKind::RenderPrompt {
                name: info.name.clone(),
                args,
            },
            Type::String,
            span,
        )
    }

    /// Records a reference from the current item to `to` (for E0302).
    pub fn edge(&mut self, to: &Name, span: Span) {
        self.edges.push(super::Edge {
            from: self.item.clone(),
            to: to.clone(),
            span,
        });
    }
}
