//! Pure evaluation: the value of every effect-free typed expression. The
//! interpreter hands this module the pure parts of a workflow (and every
//! `defn` body, prompt and default) and keeps the effects for itself.
//!
//! What holds: `eval` never panics and never performs an effect. Anything
//! effectful — a step (`command`, `provider`, `human`, `call`), a step scope
//! (`for-each`, `parallel`, `retry`, `phase`, `budget`) or a workflow
//! function value applied — stops evaluation with `Interrupt::Effect`
//! before anything happened, so the interpreter may evaluate that node
//! itself. `recur` travels up as `Interrupt::Recur` to the innermost
//! `loop` (only through tail positions, as the checker guarantees). Every
//! runtime error is a `Failure` with an `ErrorKind`: `fail` is FAIL,
//! `assert` is ASSERT, a spent loop without `:exhausted` is EXHAUSTED, and
//! a built-in without a value to give (overflow, division by zero, a bad
//! `path`) is FAIL. A variable lookup is a slot index and an `Arc` clone;
//! a defn call costs one fresh `Env`.

mod builtins;
mod failure;
mod forms;
mod lists;

#[cfg(test)]
mod tests;

pub use builtins::call_builtin;
pub use failure::{Effect, ErrorKind, Failure, Interrupt};
pub use forms::{
    apply_func, bind_pattern, bound, call_defn, render_prompt, render_template, select_arm,
};

use crate::runtime::value::{Func, Value};
use crate::typeck::Tables;
use crate::typeck::typed::{LocalId, Ref, TExpr, TExprKind};

/// The evaluation of one item (defn, workflow, prompt): its parameters and
/// its locals, one slot per `LocalId` (grown on demand).
#[derive(Debug, Clone, Default)]
pub struct Env {
    params: Vec<Value>,
    locals: Vec<Option<Value>>,
}

impl Env {
    /// An environment for an item called with `params` (in declaration
    /// order, defaults already filled in).
    pub fn new(params: Vec<Value>) -> Env {
        Env {
            params,
            locals: Vec::new(),
        }
    }

    pub fn params(&self) -> &[Value] {
        &self.params
    }

    pub fn param(&self, index: usize) -> Option<&Value> {
        self.params.get(index)
    }

    pub fn local(&self, id: LocalId) -> Option<&Value> {
        self.locals.get(id.0 as usize).and_then(Option::as_ref)
    }

    pub fn set_local(&mut self, id: LocalId, value: Value) {
        let i = id.0 as usize;
        if i >= self.locals.len() {
            self.locals.resize(i + 1, None);
        }
        self.locals[i] = Some(value);
    }
}

/// What pure evaluation needs besides the environment.
#[derive(Debug, Clone, Copy)]
pub struct PureCtx<'a> {
    pub tables: &'a Tables,
    /// The step id of the enclosing step scope (`stack/review-fix[2]`): the
    /// `step` of an `Error` caught by a `try` in pure code.
    pub scope: &'a str,
    /// The `attempt` of such an `Error` (1 outside `retry`).
    pub attempt: i64,
}

impl<'a> PureCtx<'a> {
    pub fn new(tables: &'a Tables) -> PureCtx<'a> {
        PureCtx {
            tables,
            scope: "",
            attempt: 1,
        }
    }
}

/// Evaluates forms in order; the value of the last (Unit for none).
pub fn eval_body(forms: &[TExpr], env: &mut Env, ctx: &PureCtx) -> Result<Value, Interrupt> {
    let mut last = Value::Unit;
    for form in forms {
        last = eval(form, env, ctx)?;
    }
    Ok(last)
}

/// Evaluates a list of expressions in order.
pub(crate) fn eval_all(
    exprs: &[TExpr],
    env: &mut Env,
    ctx: &PureCtx,
) -> Result<Vec<Value>, Interrupt> {
    let mut out = Vec::with_capacity(exprs.len());
    for e in exprs {
        out.push(eval(e, env, ctx)?);
    }
    Ok(out)
}

/// The value of a pure expression.
pub fn eval(expr: &TExpr, env: &mut Env, ctx: &PureCtx) -> Result<Value, Interrupt> {
    use TExprKind as K;
    match &expr.kind {
        K::Int(i) => Ok(Value::Int(*i)),
        K::Float(f) => Ok(Value::Float(*f)),
        K::Str(s) => Ok(Value::str(s)),
        K::Bool(b) => Ok(Value::Bool(*b)),
        K::None => Ok(Value::None),
        K::Var(r) => var(r, expr, env),
        K::Field { base, field, .. } => {
            let v = eval(base, env, ctx)?;
            v.field(field).cloned().ok_or_else(|| {
                Failure::fail(format!("internal: {} has no field `{field}`", v.describe()))
                    .at(expr.span)
                    .into()
            })
        }
        K::Record { name, fields } => {
            let mut out = Vec::with_capacity(fields.len());
            for (n, e) in fields {
                out.push((n.clone(), eval(e, env, ctx)?));
            }
            Ok(Value::record(name.clone(), out))
        }
        K::Variant {
            union,
            variant,
            fields,
        } => {
            let mut out = Vec::with_capacity(fields.len());
            for (n, e) in fields {
                out.push((n.clone(), eval(e, env, ctx)?));
            }
            Ok(Value::variant(union.clone(), variant.clone(), out))
        }
        K::List(items) => Ok(Value::list(eval_all(items, env, ctx)?)),
        K::Fmt(t) => Ok(Value::from(render_template(t, env, ctx)?)),
        K::If { cond, then, els } => {
            if forms::truth(&eval(cond, env, ctx)?, cond)? {
                eval(then, env, ctx)
            } else {
                eval(els, env, ctx)
            }
        }
        K::Cond { arms, els } => {
            for (cond, value) in arms {
                if forms::truth(&eval(cond, env, ctx)?, cond)? {
                    return eval(value, env, ctx);
                }
            }
            eval(els, env, ctx)
        }
        K::Match { scrutinee, arms } => {
            let v = eval(scrutinee, env, ctx)?;
            let Some(arm) = select_arm(&v, arms) else {
                return Err(Failure::fail(format!(
                    "internal: no arm of this match fits {}",
                    v.describe()
                ))
                .at(expr.span)
                .into());
            };
            bind_pattern(env, &arm.pattern, v);
            eval_body(&arm.body, env, ctx)
        }
        K::Let { bindings, body } => {
            for b in bindings {
                let v = eval(&b.value, env, ctx)?;
                env.set_local(b.id, v);
            }
            eval_body(body, env, ctx)
        }
        K::Do(forms) => eval_body(forms, env, ctx),
        K::Builtin { op, args } => builtins::eval_builtin(*op, args, expr, env, ctx),
        K::CallDefn { name, args, .. } => {
            let info = ctx
                .tables
                .fns
                .get(name)
                .ok_or_else(|| unknown("defn", name, expr))?;
            let args = forms::eval_opt_args(args, env, ctx)?;
            call_defn(info, args, ctx).map_err(|i| forms::located(i, expr))
        }
        K::RenderPrompt { name, args } => {
            let info = ctx
                .tables
                .prompts
                .get(name)
                .ok_or_else(|| unknown("prompt", name, expr))?;
            let args = forms::eval_opt_args(args, env, ctx)?;
            Ok(Value::from(render_prompt(info, args, ctx)?))
        }
        K::ApplyValue { func, args } => {
            let f = eval(func, env, ctx)?;
            let Value::Func(f) = f else {
                return Err(Failure::fail(format!(
                    "internal: applied {}, which is not a function",
                    f.describe()
                ))
                .at(expr.span)
                .into());
            };
            let args = eval_all(args, env, ctx)?;
            apply_func(&f, args, &expr.ty, ctx).map_err(|i| forms::located(i, expr))
        }
        K::Loop(lp) => forms::eval_loop(lp, env, ctx),
        K::Recur(values) => Err(Interrupt::Recur(eval_all(values, env, ctx)?)),
        K::Try(t) => forms::eval_try(t, env, ctx),
        K::Fail(msg) => {
            let msg = eval(msg, env, ctx)?;
            Err(Failure::fail(msg.to_text()).at(expr.span).into())
        }
        K::Assert { cond, message } => {
            if forms::truth(&eval(cond, env, ctx)?, cond)? {
                Ok(Value::Unit)
            } else {
                let msg = eval(message, env, ctx)?;
                Err(Failure::new(ErrorKind::Assert, msg.to_text())
                    .at(expr.span)
                    .into())
            }
        }
        K::Command(_) => Err(Interrupt::effect("command", expr.span)),
        K::Provider(_) => Err(Interrupt::effect("provider", expr.span)),
        K::Human(_) => Err(Interrupt::effect("human", expr.span)),
        K::Call(_) => Err(Interrupt::effect("call", expr.span)),
        K::ForEach(_) => Err(Interrupt::effect("for-each", expr.span)),
        K::Parallel(_) => Err(Interrupt::effect("parallel", expr.span)),
        K::Retry(_) => Err(Interrupt::effect("retry", expr.span)),
        K::Phase { .. } => Err(Interrupt::effect("phase", expr.span)),
        K::Budget { .. } => Err(Interrupt::effect("budget", expr.span)),
        K::Error => Err(
            Failure::fail("internal: an expression with a type error was evaluated")
                .at(expr.span)
                .into(),
        ),
    }
}

fn unknown(what: &str, name: &str, expr: &TExpr) -> Interrupt {
    Failure::fail(format!("internal: no {what} `{name}`"))
        .at(expr.span)
        .into()
}

fn var(r: &Ref, expr: &TExpr, env: &Env) -> Result<Value, Interrupt> {
    let unbound = |name: &str| -> Interrupt {
        Failure::fail(format!("internal: `{name}` has no value here"))
            .at(expr.span)
            .into()
    };
    match r {
        Ref::Local { name, id } => env.local(*id).cloned().ok_or_else(|| unbound(name)),
        Ref::Param { name, index } => env.param(*index).cloned().ok_or_else(|| unbound(name)),
        Ref::Defn { name, type_args } => Ok(Value::func(Func::Defn {
            name: name.clone(),
            type_args: type_args.clone(),
        })),
        Ref::Workflow { name, type_args } => Ok(Value::func(Func::Workflow {
            name: name.clone(),
            type_args: type_args.clone(),
        })),
        Ref::Prompt { name } => Ok(Value::func(Func::Prompt { name: name.clone() })),
        Ref::Builtin { op, type_args } => Ok(Value::func(Func::Builtin {
            op: *op,
            type_args: type_args.clone(),
        })),
        Ref::EnumMember { enum_name, member } => {
            Ok(Value::enum_member(enum_name.clone(), member.clone()))
        }
    }
}
