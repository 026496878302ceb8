//! The built-in functions and operators (src/typeck/builtins.rs), with
//! exact semantics: numbers, comparison, logic, options, JSON and paths
//! here; strings and lists in `lists`.
//!
//! What holds: nothing here panics on any input. Int arithmetic is checked
//! (overflow is a FAIL failure, as is division by zero, and `/` on Ints
//! truncates toward zero); Float arithmetic fails rather than produce an
//! infinity. `and`/`or` short-circuit, and `unwrap-or` evaluates its
//! default only when the option is `none`; every other built-in evaluates
//! all its arguments first, left to right. `round` rounds half away from
//! zero and fails outside the Int range. `json-get` gives `none` for a
//! missing key, a `null` value or a non-object. `path` checks the string
//! with `check_path` against the refinement of the node's type.

use super::forms::{located, truth};
use super::lists;
use super::{Env, Failure, Interrupt, PureCtx, eval, eval_all};
use crate::runtime::value::{Value, check_path, to_json};
use crate::typeck::Builtin;
use crate::typeck::typed::TExpr;
use crate::typeck::types::Type;
use std::cmp::Ordering;

/// An internal failure: the checker guarantees this cannot happen.
pub(super) fn internal(msg: impl Into<String>) -> Interrupt {
    Failure::fail(format!("internal: {}", msg.into())).into()
}

/// A built-in got a value of the wrong kind (cannot happen after a clean
/// check).
pub(super) fn wrong(op: Builtin, v: &Value) -> Interrupt {
    internal(format!("`{}` applied to {}", op.name(), v.describe()))
}

/// Exactly `N` arguments.
pub(super) fn take<const N: usize>(op: Builtin, args: Vec<Value>) -> Result<[Value; N], Interrupt> {
    <[Value; N]>::try_from(args).map_err(|a| {
        internal(format!(
            "`{}` takes {N} arguments, got {}",
            op.name(),
            a.len()
        ))
    })
}

pub(super) fn int(op: Builtin, v: &Value) -> Result<i64, Interrupt> {
    v.as_int().ok_or_else(|| wrong(op, v))
}

pub(super) fn text(op: Builtin, v: &Value) -> Result<&str, Interrupt> {
    v.as_str().ok_or_else(|| wrong(op, v))
}

/// A built-in application node: the lazy ones here, the rest through
/// `call_builtin`.
pub(super) fn eval_builtin(
    op: Builtin,
    args: &[TExpr],
    node: &TExpr,
    env: &mut Env,
    ctx: &PureCtx,
) -> Result<Value, Interrupt> {
    match (op, args) {
        (Builtin::And | Builtin::Or, _) => {
            let stop_at = op == Builtin::Or;
            for a in args {
                if truth(&eval(a, env, ctx)?, a)? == stop_at {
                    return Ok(Value::Bool(stop_at));
                }
            }
            Ok(Value::Bool(!stop_at))
        }
        (Builtin::UnwrapOr, [opt, default]) => match eval(opt, env, ctx)? {
            Value::None => eval(default, env, ctx),
            present => Ok(present),
        },
        _ => {
            let values = eval_all(args, env, ctx)?;
            call_builtin(op, values, &node.ty, ctx).map_err(|i| located(i, node))
        }
    }
}

/// Applies a built-in to evaluated arguments. `ty` is the type of the
/// application's result (it gives `path` its refinement). Here `and`/`or`
/// and `unwrap-or` are strict (their arguments are already values).
pub fn call_builtin(
    op: Builtin,
    args: Vec<Value>,
    ty: &Type,
    ctx: &PureCtx,
) -> Result<Value, Interrupt> {
    use Builtin as B;
    match op {
        B::Add | B::Sub | B::Mul | B::Div => {
            let [a, b] = take(op, args)?;
            arith(op, &a, &b)
        }
        B::Min | B::Max => {
            let [a, b] = take(op, args)?;
            let ord = compare(op, &a, &b)?;
            let first = if op == B::Min {
                ord != Ordering::Greater
            } else {
                ord != Ordering::Less
            };
            Ok(if first { a } else { b })
        }
        B::Eq | B::Ne => {
            let [a, b] = take(op, args)?;
            Ok(Value::Bool((a == b) == (op == B::Eq)))
        }
        B::Lt | B::Le | B::Gt | B::Ge => {
            let [a, b] = take(op, args)?;
            let ord = compare(op, &a, &b)?;
            Ok(Value::Bool(match op {
                B::Lt => ord == Ordering::Less,
                B::Le => ord != Ordering::Greater,
                B::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        B::And | B::Or => {
            let want = op == B::Or;
            let mut out = !want;
            for a in &args {
                if a.as_bool().ok_or_else(|| wrong(op, a))? == want {
                    out = want;
                }
            }
            Ok(Value::Bool(out))
        }
        B::Not => {
            let [a] = take(op, args)?;
            Ok(Value::Bool(!a.as_bool().ok_or_else(|| wrong(op, &a))?))
        }
        B::Some => {
            let [a] = take(op, args)?;
            Ok(a)
        }
        B::IsSome | B::IsNone => {
            let [a] = take(op, args)?;
            Ok(Value::Bool(a.is_none() == (op == B::IsNone)))
        }
        B::UnwrapOr => {
            let [o, d] = take(op, args)?;
            Ok(if o.is_none() { d } else { o })
        }
        B::Str => {
            let [a] = take(op, args)?;
            Ok(match a {
                Value::Str(_) => a,
                other => Value::from(other.to_text()),
            })
        }
        B::JsonStr => {
            let [a] = take(op, args)?;
            Ok(Value::from(to_json(&a).to_string()))
        }
        B::ToJson => {
            let [a] = take(op, args)?;
            Ok(match a {
                Value::Json(_) => a,
                other => Value::json(to_json(&other)),
            })
        }
        B::JsonGet => {
            let [j, key] = take(op, args)?;
            let key = text(op, &key)?;
            let Value::Json(j) = &j else {
                return Err(wrong(op, &j));
            };
            Ok(match j.get(key) {
                None | Some(serde_json::Value::Null) => Value::None,
                Some(found) => Value::json(found.clone()),
            })
        }
        B::Path => {
            let [s] = take(op, args)?;
            let info = match ty {
                Type::Refined(name) => ctx.tables.paths.get(name),
                _ => None,
            };
            check_path(text(op, &s)?, info).map_err(|e| Failure::fail(format!("(path …): {e}")))?;
            Ok(s)
        }
        B::ToFloat => {
            let [i] = take(op, args)?;
            Ok(Value::Float(int(op, &i)? as f64))
        }
        B::Round => {
            let [x] = take(op, args)?;
            let x = x.as_float().ok_or_else(|| wrong(op, &x))?;
            round(x).map(Value::Int)
        }
        _ => lists::call(op, args, ty, ctx),
    }
}

/// `(round x)`: half away from zero, within the Int range.
fn round(x: f64) -> Result<i64, Interrupt> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    let r = x.round();
    if (-LIMIT..LIMIT).contains(&r) {
        Ok(r as i64)
    } else {
        Err(Failure::fail(format!("(round {x}): the result is outside the Int range")).into())
    }
}

fn compare(op: Builtin, a: &Value, b: &Value) -> Result<Ordering, Interrupt> {
    a.partial_cmp(b).ok_or_else(|| {
        internal(format!(
            "`{}` cannot order {} and {}",
            op.name(),
            a.describe(),
            b.describe()
        ))
    })
}

fn arith(op: Builtin, a: &Value, b: &Value) -> Result<Value, Interrupt> {
    let show = || format!("({} {} {})", op.name(), a.to_text(), b.to_text());
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            if op == Builtin::Div && *y == 0 {
                return Err(Failure::fail(format!("division by zero in {}", show())).into());
            }
            let r = match op {
                Builtin::Add => x.checked_add(*y),
                Builtin::Sub => x.checked_sub(*y),
                Builtin::Mul => x.checked_mul(*y),
                _ => x.checked_div(*y),
            };
            r.map(Value::Int)
                .ok_or_else(|| Failure::fail(format!("integer overflow in {}", show())).into())
        }
        (Value::Float(x), Value::Float(y)) => {
            if op == Builtin::Div && *y == 0.0 {
                return Err(Failure::fail(format!("division by zero in {}", show())).into());
            }
            let r = match op {
                Builtin::Add => x + y,
                Builtin::Sub => x - y,
                Builtin::Mul => x * y,
                _ => x / y,
            };
            if r.is_finite() {
                Ok(Value::Float(r))
            } else {
                Err(Failure::fail(format!("float overflow in {}", show())).into())
            }
        }
        (Value::Int(_) | Value::Float(_), other) | (other, _) => Err(wrong(op, other)),
    }
}
