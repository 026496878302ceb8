//! Execution of blocks and of the structured nodes of the IR: branches,
//! `match`, loops, `retry` (each attempt with its own step ids, earlier
//! failures in `failures`, a deterministic `:backoff` of backoff × 2^(n-1)
//! seconds before attempt n+1, skipped on resume for attempts the journal
//! shows already ran), `try`, `phase`, `budget` (its caps, raised by
//! `--raise-budget`, enforced in `budget`), `fail` and `assert`.
//! `for-each` and `parallel` are in `fanout`, effect steps in `steps`.

use super::budget::Budget;
use super::{Exec, Flow, Halt, Interpreter, Scope};
use crate::ir::{Block, Node, NodeKind};
use crate::runtime::journal::Event;
use crate::runtime::pure::{Env, ErrorKind, Failure, bind_pattern, bound};
use crate::runtime::value::Value;
use crate::typeck::typed::{LocalId, TExpr, TPattern};
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

impl Interpreter {
    /// Runs a block's nodes in order, binding each node's value to its
    /// local, and returns the block's value (or a `recur`).
    pub(crate) fn exec_block<'a>(
        &'a self,
        block: &'a Block,
        env: &'a mut Env,
        scope: &'a Scope,
    ) -> BoxFuture<'a, Exec<Flow>> {
        Box::pin(async move {
            for (_, node) in block.nodes() {
                match self.exec_node(node, env, scope).await? {
                    Flow::Value(v) => env.set_local(node.out, v),
                    recur @ Flow::Recur(_) => return Ok(recur),
                }
            }
            self.pure(&block.result, env, scope).map(Flow::Value)
        })
    }

    /// A block whose value is needed (no `recur` may leave it).
    pub(super) async fn exec_value(
        &self,
        block: &Block,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Value> {
        match self.exec_block(block, env, scope).await? {
            Flow::Value(v) => Ok(v),
            Flow::Recur(_) => Err(Failure::fail("internal: `recur` outside of its loop").into()),
        }
    }

    pub(super) fn bound_of(
        &self,
        e: Option<&TExpr>,
        env: &mut Env,
        scope: &Scope,
        form: &str,
        key: &str,
    ) -> Exec<Option<i64>> {
        match e {
            None => Ok(None),
            Some(e) => {
                let v = self.pure(e, env, scope)?;
                Ok(Some(bound(&v, form, key)?))
            }
        }
    }

    async fn exec_node(&self, node: &Node, env: &mut Env, scope: &Scope) -> Exec<Flow> {
        let value = match &node.kind {
            NodeKind::Pure(e) => self.pure(e, env, scope)?,
            NodeKind::Command(c) => self.run_command(c, &node.ty, env, scope).await?,
            NodeKind::Provider(p) => self.run_provider(p, env, scope).await?,
            NodeKind::Human(h) => self.run_human(h, env, scope).await?,
            NodeKind::Call(c) => self.run_call(c, env, scope).await?,
            NodeKind::Apply { step, func, args } => {
                self.run_apply(step, func, args, &node.ty, env, scope)
                    .await?
            }
            NodeKind::If { cond, then, els } => {
                let branch = match self.pure(cond, env, scope)? {
                    Value::Bool(true) => then,
                    Value::Bool(false) => els,
                    other => {
                        return Err(Failure::fail(format!(
                            "internal: condition is {}",
                            other.describe()
                        ))
                        .into());
                    }
                };
                return self.exec_block(branch, env, scope).await;
            }
            NodeKind::Match { scrutinee, arms } => {
                let v = self.pure(scrutinee, env, scope)?;
                let Some((pattern, block)) = arms.iter().find(|(p, _)| pattern_fits(p, &v)) else {
                    return Err(Failure::fail(format!(
                        "internal: no arm matches {}",
                        v.describe()
                    ))
                    .into());
                };
                bind_pattern(env, pattern, v);
                return self.exec_block(block, env, scope).await;
            }
            NodeKind::Loop {
                step,
                max,
                state,
                body,
                exhausted,
            } => {
                let name = step.name();
                let max =
                    self.bound_of(max.as_ref(), env, scope, &format!("loop {name}"), "max")?;
                for (id, _, init) in state {
                    let v = self.pure(init, env, scope)?;
                    env.set_local(*id, v);
                }
                let rounds = max.unwrap_or(1);
                let mut done = None;
                for round in 1..=rounds {
                    match self
                        .exec_block(body, env, &scope.round(step, round))
                        .await?
                    {
                        Flow::Value(v) => {
                            done = Some(v);
                            break;
                        }
                        Flow::Recur(values) => {
                            set_state(env, state.iter().map(|(id, _, _)| *id), values)?
                        }
                    }
                }
                match (done, exhausted) {
                    (Some(v), _) => v,
                    (None, Some(block)) => self.exec_value(block, env, scope).await?,
                    (None, None) => {
                        return Err(Failure::new(
                            ErrorKind::Exhausted,
                            format!("loop `{name}` spent its {rounds} rounds without a result"),
                        )
                        .into());
                    }
                }
            }
            NodeKind::Recur(args) => {
                let values = args
                    .iter()
                    .map(|a| self.pure(a, env, scope))
                    .collect::<Exec<Vec<_>>>()?;
                return Ok(Flow::Recur(values));
            }
            NodeKind::ForEach { .. } => self.exec_for_each(&node.kind, env, scope).await?,
            NodeKind::Parallel {
                branches,
                limit,
                body,
            } => {
                return self
                    .exec_parallel(branches, limit.as_ref(), body, env, scope)
                    .await;
            }
            NodeKind::Retry {
                step,
                attempts,
                backoff,
                attempt,
                failures,
                body,
            } => {
                let name = step.name();
                let attempts = self.bound_of(
                    attempts.as_ref(),
                    env,
                    scope,
                    &format!("retry {name}"),
                    "attempts",
                )?;
                let attempts = attempts.unwrap_or(1);
                let backoff = match backoff {
                    Some(b) => match self.pure(b, env, scope)? {
                        Value::Int(n) => n.max(0) as f64,
                        Value::Float(x) => x.max(0.0),
                        _ => 0.0,
                    },
                    None => 0.0,
                };
                let mut seen: Vec<Value> = Vec::new();
                let mut n = 1;
                loop {
                    env.set_local(*attempt, Value::Int(n));
                    env.set_local(*failures, Value::from(seen.clone()));
                    let mut inner = scope.round(step, n);
                    inner.attempt = n;
                    match self.exec_value(body, env, &inner).await {
                        Ok(v) => break v,
                        Err(Halt::Fail(mut f)) => {
                            f.step.get_or_insert_with(|| inner.path.clone());
                            f.attempt.get_or_insert(n);
                            if n >= attempts {
                                // Attempts spent: the last failure propagates.
                                return Err(Halt::Fail(f));
                            }
                            seen.push(f.to_error_value(&inner.path, n));
                            // A resume does not wait again before an attempt
                            // the journal shows already ran.
                            let next = scope.round(step, n + 1).path;
                            if backoff > 0.0 && !self.recorded.seen_scope(&next) {
                                // Deterministic schedule: backoff × 2^(n-1) seconds.
                                let secs = backoff * 2f64.powi((n - 1) as i32);
                                tokio::time::sleep(Duration::from_secs_f64(secs.min(86_400.0)))
                                    .await;
                            }
                            n += 1;
                        }
                        Err(halt) => return Err(halt),
                    }
                }
            }
            NodeKind::Try { body, var, handler } => match self.exec_block(body, env, scope).await {
                Err(Halt::Fail(f)) => {
                    env.set_local(*var, f.to_error_value(&scope.path, scope.attempt));
                    return self.exec_block(handler, env, scope).await;
                }
                other => return other,
            },
            NodeKind::Phase { step, body, .. } => {
                let path = scope.step_id(step);
                self.record(Event::PhaseStarted {
                    phase: path.clone(),
                })?;
                self.progress.phase(&path);
                let inner = scope.at(path.clone());
                let flow = self.exec_block(body, env, &inner).await;
                self.record(Event::PhaseFinished { phase: path })?;
                return flow;
            }
            NodeKind::Budget { tokens, usd, body } => {
                let tokens = match tokens {
                    Some(t) => {
                        let v = self.pure(t, env, scope)?;
                        Some(bound(&v, "budget", "tokens")? as u64)
                    }
                    None => None,
                };
                let usd = match usd {
                    Some(u) => match self.pure(u, env, scope)? {
                        Value::Float(x) if x > 0.0 => Some(x),
                        Value::Int(n) if n > 0 => Some(n as f64),
                        other => {
                            return Err(Failure::fail(format!(
                                "budget :usd must be above 0, found {}",
                                other.describe()
                            ))
                            .into());
                        }
                    },
                    None => None,
                };
                let budget = Budget::new(&scope.path, tokens, usd, self.recorded.raised);
                let mut inner = scope.clone();
                inner.budgets.push(Arc::new(budget));
                return self.exec_block(body, env, &inner).await;
            }
            NodeKind::Fail(message) => {
                let message = self.pure(message, env, scope)?.to_text();
                return Err(Failure::fail(message).at(node.span).into());
            }
            NodeKind::Assert { cond, message } => match self.pure(cond, env, scope)? {
                Value::Bool(true) => Value::Unit,
                _ => {
                    let message = self.pure(message, env, scope)?.to_text();
                    return Err(Failure::new(ErrorKind::Assert, message)
                        .at(node.span)
                        .into());
                }
            },
        };
        Ok(Flow::Value(value))
    }
}

fn pattern_fits(p: &TPattern, v: &Value) -> bool {
    match (p, v) {
        (TPattern::Wildcard, _) => true,
        (TPattern::Variant { name, .. }, Value::Variant(u)) => u.variant == *name,
        (TPattern::Member { name, .. }, Value::Enum(e)) => e.member == *name,
        _ => false,
    }
}

fn set_state(env: &mut Env, ids: impl Iterator<Item = LocalId>, values: Vec<Value>) -> Exec<()> {
    let ids: Vec<LocalId> = ids.collect();
    if ids.len() != values.len() {
        return Err(Failure::fail("internal: recur with the wrong number of values").into());
    }
    for (id, v) in ids.into_iter().zip(values) {
        env.set_local(id, v);
    }
    Ok(())
}
