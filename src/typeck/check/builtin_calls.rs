//! Application of built-in functions and operators. Those with a plain
//! signature are instantiated and checked like a generic defn (the result
//! type first meets the expectation, so `(some "docs/a.md")` can become a
//! path). The rest are typed here: arithmetic and `min`/`max` on Int or
//! Float, `=`/`!=` on any two values of one type, ordering on Int, Float or
//! String, variadic `and`/`or`/`concat`, `str`/`json-str`/`to-json` on any
//! data, and `path`, which takes its refinement from the context.

use super::args::ArgRef;
use super::{Checker, Expect, report};
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::Ident;
use crate::typeck::builtins::Builtin;
use crate::typeck::typed::{TExpr, TExprKind};
use crate::typeck::types::Type;

/// How many arguments a built-in takes: exactly `n`, or at least `n`.
enum Arity {
    Exactly(usize),
    AtLeast(usize),
}

fn arity(op: Builtin) -> Arity {
    use Builtin as B;
    match op {
        B::And | B::Or => Arity::AtLeast(2),
        B::Concat => Arity::AtLeast(1),
        B::Str | B::ToJson | B::JsonStr | B::Path => Arity::Exactly(1),
        B::Add | B::Sub | B::Mul | B::Div | B::Min | B::Max => Arity::Exactly(2),
        B::Eq | B::Ne | B::Lt | B::Le | B::Gt | B::Ge => Arity::Exactly(2),
        other => Arity::Exactly(other.sig().map_or(0, |s| s.params.len())),
    }
}

impl Checker<'_> {
    pub fn builtin_call(
        &mut self,
        op: Builtin,
        func: &Ident,
        args: &[ArgRef],
        span: Span,
        expect: Option<&Expect>,
    ) -> TExpr {
        for a in args {
            if let Some(key) = a.key {
                self.diags.push(
                    Diagnostic::error(
                        Code::E0206,
                        key.span,
                        format!("built-in `{}` takes no keyword arguments", op.name()),
                    )
                    .with_primary("keyword argument")
                    .with_hint("pass its arguments in order"),
                );
                return self.stray_args(args, span);
            }
        }
        let n = args.len();
        let (ok, wanted) = match arity(op) {
            Arity::Exactly(k) => (n == k, format!("{k}")),
            Arity::AtLeast(k) => (n >= k, format!("at least {k}")),
        };
        if !ok {
            self.diags.push(
                Diagnostic::error(
                    Code::E0211,
                    func.span,
                    format!(
                        "`{}` takes {wanted} argument{}, found {n}",
                        op.name(),
                        if wanted == "1" { "" } else { "s" }
                    ),
                )
                .with_primary(format!(
                    "applied to {n} argument{}",
                    if n == 1 { "" } else { "s" }
                ))
                .with_opt_hint(op.sig().map(|sig| {
                    let f = Type::Fn(sig.params.clone(), Box::new(sig.ret.clone()));
                    format!("`{}` has type `{f}`", op.name())
                })),
            );
            return self.stray_args(args, span);
        }
        let values: Vec<&crate::parser::ast::Expr> = args.iter().map(|a| a.value).collect();
        if let Some(sig) = op.sig() {
            let type_args = self.instantiate(&sig.name, &sig.type_params, func.span);
            let ret = sig.ret.substitute(&sig.type_params, &type_args);
            if let Some(x) = expect
                && ret.has_vars()
            {
                self.subst.try_sub(&ret, &x.ty);
            }
            let out = values
                .iter()
                .zip(&sig.params)
                .map(|(v, p)| self.check(v, p.substitute(&sig.type_params, &type_args)))
                .collect();
            return TExpr::new(TExprKind::Builtin { op, args: out }, ret, span);
        }
        let (out, ty) = self.special(op, &values, span, expect);
        TExpr::new(TExprKind::Builtin { op, args: out }, ty, span)
    }

    /// The operand type of arithmetic or comparison: the expectation's
    /// when it is one of `allowed`, else the first operand's.
    fn operands(
        &mut self,
        op: Builtin,
        values: &[&crate::parser::ast::Expr],
        allowed: &[Type],
        expect: Option<&Type>,
    ) -> (Vec<TExpr>, Type) {
        let wanted = expect
            .map(|t| self.shallow(t))
            .filter(|t| allowed.contains(t));
        let (first, ty) = match wanted {
            Some(t) => (self.check(values[0], t.clone()), t),
            None => {
                let first = self.infer(values[0]);
                let ty = self.operand_type(op, &first, allowed);
                (first, ty)
            }
        };
        let mut out = vec![first];
        for v in &values[1..] {
            out.push(self.check(v, ty.clone()));
        }
        (out, ty)
    }

    /// The operand type the first operand gives, if it is `allowed`.
    fn operand_type(&mut self, op: Builtin, first: &TExpr, allowed: &[Type]) -> Type {
        let ty = self.shallow(&first.ty);
        if allowed.contains(&ty) || matches!(ty, Type::Invalid | Type::Never | Type::Var(_)) {
            return first.ty.clone();
        }
        let names: Vec<String> = allowed.iter().map(|t| format!("`{t}`")).collect();
        let found = self.zonk(&ty);
        self.diags.push(
            Diagnostic::error(
                Code::E0213,
                first.span,
                format!(
                    "`{}` needs {}, found `{found}`",
                    op.name(),
                    names.join(" or ")
                ),
            )
            .with_primary(format!("this has type `{found}`")),
        );
        Type::Invalid
    }

    /// Any value with a JSON form (not a function).
    fn data_arg(&mut self, op: Builtin, e: &crate::parser::ast::Expr) -> TExpr {
        let t = self.infer(e);
        let ty = self.zonk(&t.ty);
        if ty.contains_fn() {
            self.diags.push(
                Diagnostic::error(
                    Code::E0213,
                    t.span,
                    format!(
                        "`{}` needs a value with a JSON form, found `{ty}`",
                        op.name()
                    ),
                )
                .with_primary("a function"),
            );
        }
        t
    }

    fn special(
        &mut self,
        op: Builtin,
        values: &[&crate::parser::ast::Expr],
        span: Span,
        expect: Option<&Expect>,
    ) -> (Vec<TExpr>, Type) {
        use Builtin as B;
        let numbers = [Type::Int, Type::Float];
        let want = expect.map(|x| &x.ty);
        match op {
            B::Add | B::Sub | B::Mul | B::Div | B::Min | B::Max => {
                self.operands(op, values, &numbers, want)
            }
            B::Lt | B::Le | B::Gt | B::Ge => {
                let (out, _) =
                    self.operands(op, values, &[Type::Int, Type::Float, Type::String], None);
                (out, Type::Bool)
            }
            B::Eq | B::Ne => {
                let a = self.data_arg(op, values[0]);
                let b = self.check(values[1], a.ty.clone());
                (vec![a, b], Type::Bool)
            }
            B::And | B::Or => (
                values.iter().map(|v| self.check(v, Type::Bool)).collect(),
                Type::Bool,
            ),
            B::Concat => (
                values.iter().map(|v| self.check(v, Type::String)).collect(),
                Type::String,
            ),
            B::Str | B::JsonStr => (vec![self.data_arg(op, values[0])], Type::String),
            B::ToJson => (vec![self.data_arg(op, values[0])], Type::Json),
            B::Path => {
                let arg = self.infer(values[0]);
                let found = self.shallow(&arg.ty);
                let ok = matches!(
                    found,
                    Type::String | Type::Path | Type::Refined(_) | Type::Invalid | Type::Never
                ) || self.subst.unify(&arg.ty, &Type::String);
                if !ok
                    && let Some(d) = report::mismatch(self, arg.span, &Type::String, &arg.ty, None)
                {
                    self.diags.push(d);
                }
                let ty = match want.map(|t| self.shallow(t)) {
                    Some(t @ (Type::Path | Type::Refined(_))) => t,
                    _ => Type::Path,
                };
                let _ = span;
                (vec![arg], ty)
            }
            _ => (Vec::new(), Type::Invalid),
        }
    }
}
