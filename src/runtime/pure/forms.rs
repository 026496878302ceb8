//! The forms that run other code: conditions, `match` arm selection and
//! binding, bounded `loop`/`recur`, `try`; a `defn` applied, a prompt
//! rendered, a template filled in, a function value applied. The arm,
//! bound and call helpers are public so the interpreter's own (effectful)
//! forms behave the same.
//!
//! What holds: a loop runs at most `:max` rounds (a bound below 1 is a
//! FAIL, not an empty loop); after the last round recurs, `:exhausted` is
//! evaluated with the state variables bound to that round's `recur`
//! values, and without `:exhausted` the loop fails with EXHAUSTED. `try`
//! catches failures only: a `recur` or an effect passes through it. A defn
//! runs in a fresh `Env` holding only its parameters; a parameter left out
//! takes its default, evaluated in an empty environment (defaults see
//! items only, as the checker allows). A template hole shows a String or
//! Path as it is, an enum member by name, and anything else as compact
//! JSON (`none` is `null`). Applying a workflow function value is an effect
//! (`Interrupt::Effect` with form `workflow`), left to the interpreter.

use super::{Effect, Env, ErrorKind, Failure, Interrupt, PureCtx, call_builtin, eval, eval_body};
use crate::runtime::value::{Func, Value};
use crate::typeck::typed::{TArm, TExpr, TLoop, TPattern, TTemplate, TTemplatePart, TTry};
use crate::typeck::types::Type;
use crate::typeck::{FnInfo, ParamInfo, PromptInfo};

/// A condition's truth; a non-Bool is an internal failure.
pub(super) fn truth(v: &Value, cond: &TExpr) -> Result<bool, Interrupt> {
    v.as_bool().ok_or_else(|| {
        Failure::fail(format!(
            "internal: a condition evaluated to {}, not Bool",
            v.describe()
        ))
        .at(cond.span)
        .into()
    })
}

/// The first arm whose pattern fits `v`: a variant pattern fits a union
/// value of that variant, a member pattern an enum member of that name, a
/// wildcard anything.
pub fn select_arm<'a>(v: &Value, arms: &'a [TArm]) -> Option<&'a TArm> {
    arms.iter().find(|arm| match (&arm.pattern, v) {
        (TPattern::Wildcard, _) => true,
        (TPattern::Variant { name, .. }, Value::Variant(u)) => u.variant == *name,
        (TPattern::Member { name, .. }, Value::Enum(e)) => e.member == *name,
        _ => false,
    })
}

/// Binds an arm's binder (if any) to the matched value; a variant binder
/// reaches the variant's fields through it.
pub fn bind_pattern(env: &mut Env, pattern: &TPattern, v: Value) {
    match pattern {
        TPattern::Variant {
            binder: Some((_, id)),
            ..
        }
        | TPattern::Member {
            binder: Some((_, id)),
            ..
        } => env.set_local(*id, v),
        _ => {}
    }
}

/// A bound (`:max`, `:attempts`, `:limit`, `:tokens`): an Int of at least
/// 1. `form` and `key` name it in the failure: `loop review-fix :max`.
pub fn bound(v: &Value, form: &str, key: &str) -> Result<i64, Failure> {
    match v {
        Value::Int(n) if *n >= 1 => Ok(*n),
        Value::Int(n) => Err(Failure::fail(format!(
            "{form} :{key} must be at least 1, found {n}"
        ))),
        other => Err(Failure::fail(format!(
            "internal: {form} :{key} is {}, not Int",
            other.describe()
        ))),
    }
}

/// Binds the loop's state variables to `values` (one per variable).
fn bind_state(lp: &TLoop, values: Vec<Value>, env: &mut Env) -> Result<(), Interrupt> {
    if values.len() != lp.state.len() {
        return Err(Failure::fail(format!(
            "internal: loop `{}` has {} state variables, recur gave {}",
            lp.step.name(),
            lp.state.len(),
            values.len()
        ))
        .into());
    }
    for (b, v) in lp.state.iter().zip(values) {
        env.set_local(b.id, v);
    }
    Ok(())
}

pub(super) fn eval_loop(lp: &TLoop, env: &mut Env, ctx: &PureCtx) -> Result<Value, Interrupt> {
    let name = lp.step.name();
    let max = match &lp.max {
        Some(e) => {
            bound(&eval(e, env, ctx)?, &format!("loop {name}"), "max").map_err(|f| f.at(e.span))?
        }
        None => {
            return Err(Failure::fail(format!("internal: loop `{name}` has no :max")).into());
        }
    };
    for b in &lp.state {
        let v = eval(&b.value, env, ctx)?;
        env.set_local(b.id, v);
    }
    for _round in 1..=max {
        match eval_body(&lp.body, env, ctx) {
            Err(Interrupt::Recur(values)) => bind_state(lp, values, env)?,
            done => return done,
        }
    }
    match &lp.exhausted {
        Some(e) => eval(e, env, ctx),
        None => Err(Failure::new(
            ErrorKind::Exhausted,
            format!(
                "loop `{name}` spent its {max} round{} without a result",
                if max == 1 { "" } else { "s" }
            ),
        )
        .into()),
    }
}

pub(super) fn eval_try(t: &TTry, env: &mut Env, ctx: &PureCtx) -> Result<Value, Interrupt> {
    match eval_body(&t.body, env, ctx) {
        Err(Interrupt::Fail(f)) => {
            env.set_local(t.var_id, f.to_error_value(ctx.scope, ctx.attempt));
            eval_body(&t.handler, env, ctx)
        }
        other => other,
    }
}

/// Evaluates the arguments of a call that has one per parameter, `None`
/// for a default.
pub(super) fn eval_opt_args(
    args: &[Option<TExpr>],
    env: &mut Env,
    ctx: &PureCtx,
) -> Result<Vec<Option<Value>>, Interrupt> {
    let mut out = Vec::with_capacity(args.len());
    for a in args {
        out.push(match a {
            Some(e) => Some(eval(e, env, ctx)?),
            None => None,
        });
    }
    Ok(out)
}

/// Gives a failure (or an effect) that has no place yet the call's span.
pub(super) fn located(i: Interrupt, call: &TExpr) -> Interrupt {
    match i {
        Interrupt::Fail(f) => Interrupt::Fail(f.at(call.span)),
        Interrupt::Effect(e) if e.span == Default::default() => Interrupt::Effect(Effect {
            span: call.span,
            ..e
        }),
        other => other,
    }
}

/// The parameter values of a call: the given ones, defaults for the rest.
fn fill_params(
    item: &str,
    params: &[ParamInfo],
    args: Vec<Option<Value>>,
    ctx: &PureCtx,
) -> Result<Vec<Value>, Interrupt> {
    let mut args = args.into_iter();
    let mut out = Vec::with_capacity(params.len());
    for p in params {
        let value = match (args.next().flatten(), &p.default) {
            (Some(v), _) => v,
            (None, Some(default)) => eval(default, &mut Env::default(), ctx)?,
            (None, None) => {
                return Err(Failure::fail(format!(
                    "internal: `{item}` called without its parameter `{}`",
                    p.name
                ))
                .into());
            }
        };
        out.push(value);
    }
    Ok(out)
}

/// Runs a defn with one argument per parameter (`None` for the default).
pub fn call_defn(
    info: &FnInfo,
    args: Vec<Option<Value>>,
    ctx: &PureCtx,
) -> Result<Value, Interrupt> {
    let params = fill_params(&info.name, &info.params, args, ctx)?;
    let mut env = Env::new(params);
    match eval_body(&info.body, &mut env, ctx) {
        Err(Interrupt::Recur(_)) => Err(Failure::fail(format!(
            "internal: `recur` escaped the defn `{}`",
            info.name
        ))
        .into()),
        done => done,
    }
}

/// Renders a prompt with one argument per parameter (`None` for the
/// default).
pub fn render_prompt(
    info: &PromptInfo,
    args: Vec<Option<Value>>,
    ctx: &PureCtx,
) -> Result<String, Interrupt> {
    let params = fill_params(&info.name, &info.params, args, ctx)?;
    render_template(&info.template, &mut Env::new(params), ctx)
}

/// Fills in a template (a `fmt` string or a prompt body).
pub fn render_template(t: &TTemplate, env: &mut Env, ctx: &PureCtx) -> Result<String, Interrupt> {
    let mut out = String::new();
    for part in &t.parts {
        match part {
            TTemplatePart::Text(text) => out.push_str(text),
            TTemplatePart::Hole(e) => match eval(e, env, ctx)? {
                Value::Str(s) => out.push_str(&s),
                other => out.push_str(&other.to_text()),
            },
        }
    }
    Ok(out)
}

/// Applies a function value to positional arguments; `ret` is the type of
/// the application's result (it refines `path`). A defn may be given fewer
/// arguments than parameters; the rest take their defaults.
pub fn apply_func(
    f: &Func,
    args: Vec<Value>,
    ret: &Type,
    ctx: &PureCtx,
) -> Result<Value, Interrupt> {
    match f {
        Func::Defn { name, .. } => {
            let info = ctx.tables.fns.get(name).ok_or_else(|| {
                Interrupt::from(Failure::fail(format!("internal: no defn `{name}`")))
            })?;
            call_defn(info, args.into_iter().map(Some).collect(), ctx)
        }
        Func::Prompt { name } => {
            let info = ctx.tables.prompts.get(name).ok_or_else(|| {
                Interrupt::from(Failure::fail(format!("internal: no prompt `{name}`")))
            })?;
            let text = render_prompt(info, args.into_iter().map(Some).collect(), ctx)?;
            Ok(Value::from(text))
        }
        Func::Builtin { op, .. } => call_builtin(*op, args, ret, ctx),
        Func::Workflow { name, .. } => Err(Interrupt::Effect(Effect {
            form: "workflow",
            name: Some(name.clone()),
            span: Default::default(),
        })),
    }
}
