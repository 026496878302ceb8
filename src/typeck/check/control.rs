//! Pure control forms: `if` and `cond` (conditions are Bool, E0214;
//! branches share one type), `let*` (sequential bindings in a new scope;
//! one name twice in a binding list is E0210, an inner `let*` may shadow an
//! outer name, and the binding name becomes the step id of an effect bound
//! to it).

use super::{Checker, Expect, Join, report};
use crate::diag::Span;
use crate::parser::ast::{Binding, Expr};
use crate::typeck::typed::{TBinding, TExpr, TExprKind};
use crate::typeck::types::Type;

impl Checker<'_> {
    /// A condition: Bool, else E0214.
    pub fn condition(&mut self, e: &Expr) -> TExpr {
        let t = self.infer(e);
        if !self.subst.sub(&t.ty, &Type::Bool)
            && let Some(d) = report::not_bool(self, t.span, &t.ty)
        {
            self.diags.push(d);
        }
        t
    }

    pub fn if_expr(
        &mut self,
        cond: &Expr,
        then: &Expr,
        els: &Expr,
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let cond = self.condition(cond);
        let mut join = Join::new(expect);
        let then = self.expr(then, join.expect());
        join.add(&then);
        let els = self.expr(els, join.expect());
        join.add(&els);
        TExpr::new(
            TExprKind::If {
                cond: Box::new(cond),
                then: Box::new(then),
                els: Box::new(els),
            },
            join.ty(),
            span,
        )
    }

    pub fn cond_expr(
        &mut self,
        arms: &[(Expr, Expr)],
        els: &Expr,
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        let mut join = Join::new(expect);
        let mut out = Vec::with_capacity(arms.len());
        for (c, v) in arms {
            let c = self.condition(c);
            let v = self.expr(v, join.expect());
            join.add(&v);
            out.push((c, v));
        }
        let els = self.expr(els, join.expect());
        join.add(&els);
        TExpr::new(
            TExprKind::Cond {
                arms: out,
                els: Box::new(els),
            },
            join.ty(),
            span,
        )
    }

    /// Checks `b.value` as bound to `b.name` (its step id if an effect).
    pub fn binding_value(&mut self, b: &Binding) -> TExpr {
        self.bound = Some(b.name.clone());
        self.infer(&b.value)
    }

    pub fn let_expr(
        &mut self,
        bindings: &[Binding],
        body: &[Expr],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        self.unique_bindings(bindings, "let*");
        self.env.push_scope();
        let mut out = Vec::with_capacity(bindings.len());
        for b in bindings {
            let value = self.binding_value(b);
            let id = self.bind_local(&b.name, value.ty.clone(), None);
            out.push(TBinding {
                name: b.name.name.as_str().into(),
                id,
                value,
                span: b.span,
            });
        }
        let (body, ty) = self.block(body, expect);
        self.env.pop_scope();
        TExpr::new(
            TExprKind::Let {
                bindings: out,
                body,
            },
            ty,
            span,
        )
    }
}
