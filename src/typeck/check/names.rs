//! Names: locals and parameters, `none` (typed from context), and defns,
//! workflows, prompts and built-ins used as function values — with their
//! type arguments instantiated per use, and fewer parameters when the
//! context wants fewer and the rest have defaults. Items named where a
//! value is expected are E0201 with a hint at how to build one.

use super::{Checker, Expect, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::Ident;
use crate::typeck::builtins::Builtin;
use crate::typeck::items::{FnInfo, ItemKind};
use crate::typeck::typed::{Ref, TExpr, TExprKind};
use crate::typeck::types::{Name, Type, VarOrigin};

impl Checker<'_> {
    /// Fresh variables for the type parameters of `item` at one use.
    pub fn instantiate(&mut self, item: &Name, params: &[Name], span: Span) -> Vec<Type> {
        params
            .iter()
            .map(|p| {
                let origin = VarOrigin::TypeArg {
                    item: item.clone(),
                    param: p.clone(),
                };
                self.subst.fresh(origin, span)
            })
            .collect()
    }

    /// Every name a value could be, for suggestions.
    pub fn value_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.env.names().map(str::to_string).collect();
        names.sort();
        names.extend(
            self.tables
                .visible(|k| matches!(k, ItemKind::Fn | ItemKind::Workflow | ItemKind::Prompt))
                .map(|n| n.to_string()),
        );
        names.extend(Builtin::ALL.iter().map(|b| b.name().to_string()));
        names
    }

    pub fn var(&mut self, id: &Ident, expect: Option<&Expect>) -> TExpr {
        let span = id.span;
        if let Some(local) = self.env.lookup(&id.name) {
            return TExpr::new(TExprKind::Var(local.r.clone()), local.ty.clone(), span);
        }
        if id.name == "none" {
            // Typed by the context through unification; if nothing solves
            // the payload type, E0226 points here.
            let ty = Type::option(self.subst.fresh(VarOrigin::None, span));
            return TExpr::new(TExprKind::None, ty, span);
        }
        let tables = self.tables;
        match tables.kind_of(&id.name) {
            Some(ItemKind::Fn) | Some(ItemKind::Workflow) => {
                let workflow = tables.kind_of(&id.name) == Some(ItemKind::Workflow);
                let info = if workflow {
                    tables.workflows.get(tables.canon(&id.name))
                } else {
                    tables.fns.get(tables.canon(&id.name))
                };
                match info {
                    Some(info) => self.fn_ref(info, workflow, span, expect),
                    None => TExpr::error(span),
                }
            }
            Some(ItemKind::Prompt) => {
                let Some(info) = tables.prompts.get(tables.canon(&id.name)) else {
                    return TExpr::error(span);
                };
                let arity = self.wanted_arity(expect, &info.params);
                let params = info.params[..arity].iter().map(|p| p.ty.clone()).collect();
                let r = Ref::Prompt {
                    name: info.name.clone(),
                };
                TExpr::new(
                    TExprKind::Var(r),
                    Type::Fn(params, Box::new(Type::String)),
                    span,
                )
            }
            Some(ItemKind::Imported) => TExpr::error(span),
            Some(kind) => {
                let hint = match kind {
                    ItemKind::Record => {
                        format!("build a value with `(record {} :field value …)`", id.name)
                    }
                    ItemKind::Union => {
                        format!("build a value with `(variant {} VARIANT …)`", id.name)
                    }
                    ItemKind::Enum => format!("name a member: `{}.MEMBER`", id.name),
                    ItemKind::Path => format!(
                        "a string literal is accepted where a `{}` is expected",
                        id.name
                    ),
                    ItemKind::Provider => {
                        format!("run it with `(provider {} :prompt … :returns …)`", id.name)
                    }
                    _ => String::new(),
                };
                let mut d = Diagnostic::error(
                    Code::E0201,
                    span,
                    format!("`{}` is {}, not a value", id.name, kind.describe()),
                )
                .with_primary("expected a value")
                .with_hint(hint);
                if let Some(def) = tables.def_span(&id.name) {
                    d = d.with_label(def, "defined here");
                }
                self.diags.push(d);
                TExpr::error(span)
            }
            None => match Builtin::from_name(&id.name) {
                Some(op) => self.builtin_ref(op, span),
                None => {
                    let names = self.value_names();
                    let mut d = report::unknown(
                        Code::E0201,
                        span,
                        "name",
                        &id.name,
                        names.iter().map(String::as_str),
                    );
                    if matches!(id.name.as_str(), "attempt" | "failures") {
                        d = d.with_hint(format!(
                            "`{}` is only bound inside a `retry` body",
                            id.name
                        ));
                    }
                    self.diags.push(d);
                    TExpr::error(span)
                }
            },
        }
    }

    /// How many leading parameters a function value keeps: all of them,
    /// or fewer when the context wants fewer and the rest have defaults.
    fn wanted_arity(
        &self,
        expect: Option<&Expect>,
        params: &[crate::typeck::items::ParamInfo],
    ) -> usize {
        if let Some(Type::Fn(ps, _)) = expect.map(|x| self.shallow(&x.ty))
            && ps.len() < params.len()
            && params[ps.len()..].iter().all(|p| p.has_default)
        {
            return ps.len();
        }
        params.len()
    }

    fn fn_ref(
        &mut self,
        info: &FnInfo,
        workflow: bool,
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        self.edge(&info.name, span);
        let type_args = self.instantiate(&info.name, &info.type_params, span);
        let arity = self.wanted_arity(expect, &info.params);
        let params = info.params[..arity]
            .iter()
            .map(|p| p.ty.substitute(&info.type_params, &type_args))
            .collect();
        let ret = info.ret.substitute(&info.type_params, &type_args);
        let r = if workflow {
            Ref::Workflow {
                name: info.name.clone(),
                type_args,
            }
        } else {
            Ref::Defn {
                name: info.name.clone(),
                type_args,
            }
        };
        TExpr::new(TExprKind::Var(r), Type::Fn(params, Box::new(ret)), span)
    }

    fn builtin_ref(&mut self, op: Builtin, span: Span) -> TExpr {
        let Some(sig) = op.sig() else {
            self.diags.push(
                Diagnostic::error(
                    Code::E0224,
                    span,
                    format!("`{}` cannot be passed as a value", op.name()),
                )
                .with_primary("an operator, not a function value")
                .with_hint("wrap it in a `defn` and pass that"),
            );
            return TExpr::error(span);
        };
        let type_args = self.instantiate(&sig.name, &sig.type_params, span);
        let params = sig
            .params
            .iter()
            .map(|p| p.substitute(&sig.type_params, &type_args))
            .collect();
        let ret = sig.ret.substitute(&sig.type_params, &type_args);
        TExpr::new(
            TExprKind::Var(Ref::Builtin { op, type_args }),
            Type::Fn(params, Box::new(ret)),
            span,
        )
    }
}
