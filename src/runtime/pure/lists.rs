//! The string and list built-ins.
//!
//! What holds, decided where the notes leave it open: strings are measured
//! and split in Unicode scalar values (`string-length "é"` is 1); `split`
//! with an empty separator splits into single characters (and `""` into no
//! parts), otherwise it keeps empty parts (`(split "a,,b" ",")` is
//! `["a" "" "b"]`, `(split "" ",")` is `[""]`); `replace` replaces every
//! occurrence and leaves the string alone when `from` is empty; `trim`,
//! `upper` and `lower` are Unicode-aware. Lists are 0-indexed: `nth` out of
//! range (or negative) is `none`, `take`/`drop` clamp their count to
//! `0..=length`. `range a b` is `a, a+1, … b-1` (empty when `b <= a`) and
//! fails above a million elements. `map`/`filter` apply their function in
//! order and stop at its first failure. Lists are shared: operations that
//! return their input unchanged return the same `Arc`.

use super::builtins::{int, internal, take, text, wrong};
use super::{Interrupt, PureCtx, apply_func};
use crate::runtime::value::Value;
use crate::typeck::Builtin;
use crate::typeck::types::Type;
use std::sync::Arc;

/// The most elements `range` produces.
pub const MAX_RANGE: i64 = 1_000_000;

fn list(op: Builtin, v: &Value) -> Result<&Arc<Vec<Value>>, Interrupt> {
    match v {
        Value::List(xs) => Ok(xs),
        other => Err(wrong(op, other)),
    }
}

fn strings(op: Builtin, v: &Value) -> Result<Vec<String>, Interrupt> {
    list(op, v)?
        .iter()
        .map(|x| text(op, x).map(str::to_string))
        .collect()
}

fn string_list<S: Into<Value>>(parts: impl Iterator<Item = S>) -> Value {
    Value::list(parts.map(Into::into).collect())
}

/// A count clamped to `0..=len`.
fn clamp(n: i64, len: usize) -> usize {
    usize::try_from(n.max(0)).map_or(len, |n| n.min(len))
}

pub(super) fn call(
    op: Builtin,
    args: Vec<Value>,
    ty: &Type,
    ctx: &PureCtx,
) -> Result<Value, Interrupt> {
    use Builtin as B;
    match op {
        B::Concat => {
            let mut out = String::new();
            for a in &args {
                out.push_str(text(op, a)?);
            }
            Ok(Value::from(out))
        }
        B::Join => {
            let [sep, xs] = take(op, args)?;
            Ok(Value::from(strings(op, &xs)?.join(text(op, &sep)?)))
        }
        B::Split => {
            let [s, sep] = take(op, args)?;
            let (s, sep) = (text(op, &s)?, text(op, &sep)?);
            Ok(if sep.is_empty() {
                string_list(s.chars().map(String::from))
            } else {
                string_list(s.split(sep))
            })
        }
        B::Trim | B::Upper | B::Lower => {
            let [s] = take(op, args)?;
            let t = text(op, &s)?;
            Ok(match op {
                B::Trim if t.len() == t.trim().len() => s,
                B::Trim => Value::str(t.trim()),
                B::Upper => Value::from(t.to_uppercase()),
                _ => Value::from(t.to_lowercase()),
            })
        }
        B::Contains | B::StartsWith | B::EndsWith => {
            let [s, p] = take(op, args)?;
            let (s, p) = (text(op, &s)?, text(op, &p)?);
            Ok(Value::Bool(match op {
                B::Contains => s.contains(p),
                B::StartsWith => s.starts_with(p),
                _ => s.ends_with(p),
            }))
        }
        B::Replace => {
            let [s, from, to] = take(op, args)?;
            let (from, to) = (text(op, &from)?, text(op, &to)?);
            if from.is_empty() {
                return Ok(s);
            }
            Ok(Value::from(text(op, &s)?.replace(from, to)))
        }
        B::StringLength => {
            let [s] = take(op, args)?;
            Ok(Value::Int(text(op, &s)?.chars().count() as i64))
        }
        B::Length | B::IsEmpty => {
            let [xs] = take(op, args)?;
            let n = list(op, &xs)?.len();
            Ok(if op == B::Length {
                Value::Int(n as i64)
            } else {
                Value::Bool(n == 0)
            })
        }
        B::First | B::Last => {
            let [xs] = take(op, args)?;
            let xs = list(op, &xs)?;
            let x = if op == B::First {
                xs.first()
            } else {
                xs.last()
            };
            Ok(Value::option(x.cloned()))
        }
        B::Nth => {
            let [xs, i] = take(op, args)?;
            let xs = list(op, &xs)?;
            let i = int(op, &i)?;
            Ok(Value::option(
                usize::try_from(i).ok().and_then(|i| xs.get(i)).cloned(),
            ))
        }
        B::Append => {
            let [xs, x] = take(op, args)?;
            let Value::List(mut xs) = xs else {
                return Err(wrong(op, &xs));
            };
            Arc::make_mut(&mut xs).push(x);
            Ok(Value::List(xs))
        }
        B::ListConcat => {
            let [a, b] = take(op, args)?;
            let (xs, ys) = (list(op, &a)?, list(op, &b)?);
            if ys.is_empty() {
                return Ok(a);
            }
            if xs.is_empty() {
                return Ok(b);
            }
            Ok(Value::list(xs.iter().chain(ys.iter()).cloned().collect()))
        }
        B::Take | B::Drop => {
            let [v, n] = take(op, args)?;
            let xs = list(op, &v)?;
            let n = clamp(int(op, &n)?, xs.len());
            let (kept, whole) = if op == B::Take {
                (&xs[..n], n == xs.len())
            } else {
                (&xs[n..], n == 0)
            };
            Ok(if whole {
                v.clone()
            } else {
                Value::list(kept.to_vec())
            })
        }
        B::Reverse => {
            let [xs] = take(op, args)?;
            Ok(Value::list(list(op, &xs)?.iter().rev().cloned().collect()))
        }
        B::Map | B::Filter => {
            let [f, xs] = take(op, args)?;
            let Value::Func(f) = &f else {
                return Err(wrong(op, &f));
            };
            let elem_ty = match ty {
                Type::List(t) if op == B::Map => (**t).clone(),
                _ => Type::Bool,
            };
            let xs = list(op, &xs)?;
            let mut out = Vec::with_capacity(xs.len());
            for x in xs.iter() {
                let r = apply_func(f, vec![x.clone()], &elem_ty, ctx)?;
                if op == B::Map {
                    out.push(r);
                } else if r.as_bool().ok_or_else(|| wrong(op, &r))? {
                    out.push(x.clone());
                }
            }
            Ok(Value::list(out))
        }
        B::Range => {
            let [a, b] = take(op, args)?;
            let (a, b) = (int(op, &a)?, int(op, &b)?);
            let len = (i128::from(b) - i128::from(a)).max(0);
            if len > i128::from(MAX_RANGE) {
                return Err(super::Failure::fail(format!(
                    "(range {a} {b}) would have {len} elements; the most is {MAX_RANGE}"
                ))
                .into());
            }
            Ok(Value::list((a..b).map(Value::Int).collect()))
        }
        other => Err(internal(format!(
            "`{}` is not a list built-in",
            other.name()
        ))),
    }
}
