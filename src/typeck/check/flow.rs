//! Bounded control forms. `loop` binds its state variables in a new step
//! scope; its type joins the body (where `recur` is `Never`) and
//! `:exhausted`, which also sees the state variables. `for-each` gives the
//! list of its body's values; `parallel` binds its branches concurrently
//! (no branch sees another; duplicates are E0210); `retry` binds `attempt`
//! and `failures` in its body; `try` binds the caught `Error`; `phase` and
//! `budget` have their body's type. Bounds are Int, `:usd` a Float.

use super::{Checker, Expect, Join};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Binding, BudgetExpr, Expr, ForEachExpr, Ident, LoopExpr, ParallelExpr};
use crate::parser::ast::{RetryExpr, TryExpr};
use crate::typeck::typed::{TBinding, TExpr, TExprKind, TForEach, TLoop, TParallel, TRetry, TTry};
use crate::typeck::types::{Name, Type};
use std::collections::HashMap;

impl Checker<'_> {
    fn bound_int(&mut self, e: &Option<Box<Expr>>) -> Option<Box<TExpr>> {
        e.as_ref().map(|e| Box::new(self.check(e, Type::Int)))
    }

    /// Reports names bound twice in one binding list (E0210).
    pub fn unique_bindings(&mut self, bindings: &[Binding], form: &str) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for b in bindings {
            if let Some(first) = seen.get(b.name.name.as_str()) {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0210,
                        b.name.span,
                        format!("`{}` is bound twice in one `{form}`", b.name.name),
                    )
                    .with_primary("second binding")
                    .with_label(*first, "first bound here"),
                );
                // Its step id repeats too; one report is enough.
                self.quiet_steps.insert(b.name.span);
            } else {
                seen.insert(&b.name.name, b.name.span);
            }
        }
    }

    /// Binds checked values, each under its binding's name.
    fn bind_all(&mut self, bindings: &[Binding], values: Vec<TExpr>) -> Vec<TBinding> {
        bindings
            .iter()
            .zip(values)
            .map(|(b, value)| TBinding {
                name: b.name.name.as_str().into(),
                id: self.bind_local(&b.name, value.ty.clone(), None),
                value,
                span: b.span,
            })
            .collect()
    }

    pub fn loop_expr(&mut self, l: &LoopExpr, span: Span, expect: Option<&Expect>) -> TExpr {
        let max = self.bound_int(&l.max);
        self.unique_bindings(&l.state, "loop");
        let inits: Vec<TExpr> = l.state.iter().map(|b| self.infer(&b.value)).collect();
        let name: Name = l.name.name.as_str().into();
        let step = self.steps.enter(&name, l.name.span, true, &mut self.diags);
        self.env.push_scope();
        let state = self.bind_all(&l.state, inits);
        self.loops
            .push(state.iter().map(|b| b.value.ty.clone()).collect());
        let mut join = Join::new(expect);
        let (body, ty) = self.block(&l.body, join.expect());
        join.add_block(&body, &ty);
        self.loops.pop();
        self.steps.leave();
        let exhausted = l.exhausted.as_ref().map(|e| {
            let t = self.expr(e, join.expect());
            join.add(&t);
            Box::new(t)
        });
        self.env.pop_scope();
        TExpr::new(
            TExprKind::Loop(TLoop {
                step,
                max,
                state,
                body,
                exhausted,
            }),
            join.ty(),
            span,
        )
    }

    pub fn recur(&mut self, args: &[Expr], span: Span) -> TExpr {
        let state = self.loops.last().cloned().unwrap_or_default();
        let out = args
            .iter()
            .enumerate()
            .map(|(i, a)| match state.get(i) {
                Some(ty) => self.check(a, ty.clone()),
                None => self.infer(a),
            })
            .collect();
        TExpr::new(TExprKind::Recur(out), Type::Never, span)
    }

    pub fn for_each(&mut self, f: &ForEachExpr, span: Span, expect: Option<&Expect>) -> TExpr {
        let list = self.infer(&f.list);
        let elem = match self.shallow(&list.ty) {
            Type::List(t) => *t,
            Type::Invalid | Type::Never => Type::Invalid,
            _ => {
                let elem = self
                    .subst
                    .fresh(crate::typeck::types::VarOrigin::Other, f.list.span);
                if !self.subst.unify(&list.ty, &Type::list(elem.clone())) {
                    let found = self.zonk(&list.ty);
                    self.diags.push(
                        Diagnostic::error(
                            Code::E0213,
                            list.span,
                            format!("`for-each` needs a list, found `{found}`"),
                        )
                        .with_primary(format!("this has type `{found}`")),
                    );
                    Type::Invalid
                } else {
                    elem
                }
            }
        };
        let limit = self.bound_int(&f.limit);
        let name: Name = f.name.name.as_str().into();
        let step = self.steps.enter(&name, f.name.span, true, &mut self.diags);
        self.env.push_scope();
        let var_id = self.bind_local(&f.var, elem, None);
        let body_expect = match expect.map(|x| self.shallow(&x.ty)) {
            Some(Type::List(t)) => Some(Expect::ty(*t)),
            _ => None,
        };
        let (body, ty) = self.block(&f.body, body_expect.as_ref());
        self.env.pop_scope();
        self.steps.leave();
        TExpr::new(
            TExprKind::ForEach(TForEach {
                step,
                var: f.var.name.as_str().into(),
                var_id,
                list: Box::new(list),
                limit,
                body,
            }),
            Type::list(ty),
            span,
        )
    }

    pub fn parallel(&mut self, p: &ParallelExpr, span: Span, expect: Option<&Expect>) -> TExpr {
        self.unique_bindings(&p.bindings, "parallel");
        let values: Vec<TExpr> = p.bindings.iter().map(|b| self.binding_value(b)).collect();
        let limit = self.bound_int(&p.limit);
        self.env.push_scope();
        let bindings = self.bind_all(&p.bindings, values);
        let (body, ty) = self.block(&p.body, expect);
        self.env.pop_scope();
        TExpr::new(
            TExprKind::Parallel(TParallel {
                bindings,
                limit,
                body,
            }),
            ty,
            span,
        )
    }

    pub fn retry(&mut self, r: &RetryExpr, span: Span, expect: Option<&Expect>) -> TExpr {
        let attempts = self.bound_int(&r.attempts);
        let backoff = self.bound_int(&r.backoff);
        let name: Name = r.name.name.as_str().into();
        let step = self.steps.enter(&name, r.name.span, true, &mut self.diags);
        self.env.push_scope();
        let attempt = self.bind_local(&synthetic("attempt", r.name.span), Type::Int, None);
        let error = Type::Record("Error".into(), Vec::new());
        let failures =
            self.bind_local(&synthetic("failures", r.name.span), Type::list(error), None);
        let (body, ty) = self.block(&r.body, expect);
        self.env.pop_scope();
        self.steps.leave();
        TExpr::new(
            TExprKind::Retry(TRetry {
                step,
                attempts,
                backoff,
                attempt,
                failures,
                body,
            }),
            ty,
            span,
        )
    }

    pub fn try_expr(&mut self, t: &TryExpr, span: Span, expect: Option<&Expect>) -> TExpr {
        let mut join = Join::new(expect);
        let (body, ty) = self.scoped_block(&t.body, join.expect());
        join.add_block(&body, &ty);
        self.env.push_scope();
        let error = Type::Record("Error".into(), Vec::new());
        let var_id = self.bind_local(&t.catch.var, error, None);
        let (handler, hty) = self.block(&t.catch.body, join.expect());
        join.add_block(&handler, &hty);
        self.env.pop_scope();
        TExpr::new(
            TExprKind::Try(TTry {
                body,
                var: t.catch.var.name.as_str().into(),
                var_id,
                handler,
            }),
            join.ty(),
            span,
        )
    }

    pub fn phase(
        &mut self,
        name: &Ident,
        body: &[Expr],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let n: Name = name.name.as_str().into();
        let step = self.steps.enter(&n, name.span, false, &mut self.diags);
        let (body, ty) = self.scoped_block(body, expect);
        self.steps.leave();
        TExpr::new(
            TExprKind::Phase {
                step,
                name: n,
                body,
            },
            ty,
            span,
        )
    }

    pub fn budget(&mut self, b: &BudgetExpr, span: Span, expect: Option<&Expect>) -> TExpr {
        let tokens = self.bound_int(&b.tokens);
        let usd = b.usd.as_ref().map(|e| Box::new(self.check(e, Type::Float)));
        let (body, ty) = self.scoped_block(&b.body, expect);
        TExpr::new(TExprKind::Budget { tokens, usd, body }, ty, span)
    }
}

/// A name the language binds implicitly (`attempt`, `failures`).
fn synthetic(name: &str, span: Span) -> Ident {
    Ident {
        name: name.to_string(),
        span,
    }
}
