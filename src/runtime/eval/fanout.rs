//! Concurrency: `for-each` and `parallel` run their branches at once, never
//! more than `:limit` at a time (a `for-each` without one runs one at a
//! time), on top of the run-wide `--jobs` bound on processes. A slot frees
//! as soon as any branch ends, whatever its position. Results come back in
//! input order once every branch has settled, so a failing or pausing
//! branch never loses its siblings' journaled work. Then one outcome wins:
//! a journal error, else a changed step (a refused resume), else the first
//! failure in input order, else every pause of every branch together (so a
//! run with two open questions in two branches asks both at once).

use super::{Exec, Flow, Halt, Interpreter, Scope};
use crate::ir::{Block, NodeKind};
use crate::runtime::pure::{Env, Failure};
use crate::runtime::value::Value;
use crate::typeck::typed::{LocalId, TExpr};
use futures::future::{BoxFuture, FutureExt};
use futures::stream::{FuturesUnordered, StreamExt};

impl Interpreter {
    /// `(for-each step (var list) :limit K body)`.
    pub(crate) async fn exec_for_each(
        &self,
        node: &NodeKind,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Value> {
        let NodeKind::ForEach {
            step,
            var,
            list,
            limit,
            body,
        } = node
        else {
            return Err(Failure::fail("internal: not a for-each").into());
        };
        let var = *var;
        let items = match self.pure(list, env, scope)? {
            Value::List(items) => items,
            other => {
                return Err(
                    Failure::fail(format!("internal: for-each over {}", other.describe())).into(),
                );
            }
        };
        let name = step.name();
        let limit = self.bound_of(
            limit.as_ref(),
            env,
            scope,
            &format!("for-each {name}"),
            "limit",
        )?;
        let limit = limit.unwrap_or(1) as usize;
        let runs = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut env = env.clone();
                env.set_local(var, item.clone());
                self.exec_owned(body, env, scope.round(step, i as i64 + 1))
            })
            .collect();
        let results = bounded(runs, limit).await;
        settle(results).map(Value::from)
    }

    /// `(parallel ((a e1) (b e2) …) :limit K body)`.
    pub(crate) async fn exec_parallel(
        &self,
        branches: &[(LocalId, crate::typeck::types::Name, Block)],
        limit: Option<&TExpr>,
        body: &Block,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Flow> {
        let limit = self.bound_of(limit, env, scope, "parallel", "limit")?;
        let limit = limit.map_or(branches.len().max(1), |l| l as usize);
        let runs = branches
            .iter()
            .map(|(_, _, block)| self.exec_owned(block, env.clone(), scope.clone()))
            .collect();
        let values = settle(bounded(runs, limit).await)?;
        for ((id, _, _), value) in branches.iter().zip(values) {
            env.set_local(*id, value);
        }
        self.exec_block(body, env, scope).await
    }

    /// A block run with its own environment and scope, as a branch.
    fn exec_owned<'a>(
        &'a self,
        block: &'a Block,
        mut env: Env,
        scope: Scope,
    ) -> BoxFuture<'a, Exec<Value>> {
        Box::pin(async move { self.exec_value(block, &mut env, &scope).await })
    }
}

/// Runs branches concurrently, at most `limit` at a time (a slot frees as
/// soon as any branch ends), and returns their results in input order once
/// all of them have settled.
async fn bounded(runs: Vec<BoxFuture<'_, Exec<Value>>>, limit: usize) -> Vec<Exec<Value>> {
    let mut results: Vec<Option<Exec<Value>>> = runs.iter().map(|_| None).collect();
    let mut waiting = runs.into_iter().enumerate();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < limit.max(1) {
            let Some((i, run)) = waiting.next() else {
                break;
            };
            running.push(run.map(move |r| (i, r)));
        }
        match running.next().await {
            Some((i, r)) => results[i] = Some(r),
            None => break,
        }
    }
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Failure::fail("internal: a branch never ran").into())))
        .collect()
}

/// The outcome of settled branches: their values in input order, or the
/// one halt that wins (see the module comment).
fn settle(results: Vec<Exec<Value>>) -> Exec<Vec<Value>> {
    let mut values = Vec::with_capacity(results.len());
    let mut failure: Option<Failure> = None;
    let mut changed: Option<Halt> = None;
    let mut pauses = Vec::new();
    for r in results {
        match r {
            Ok(v) => values.push(v),
            Err(h @ Halt::Journal(_)) => return Err(h),
            Err(h @ Halt::Changed { .. }) => {
                changed.get_or_insert(h);
            }
            Err(Halt::Fail(f)) => {
                failure.get_or_insert(f);
            }
            Err(Halt::Paused(p)) => pauses.extend(p),
        }
    }
    if let Some(h) = changed {
        return Err(h);
    }
    if let Some(f) = failure {
        return Err(Halt::Fail(f));
    }
    if !pauses.is_empty() {
        return Err(Halt::Paused(pauses));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::eval::Pause;

    fn ask(step: &str) -> Exec<Value> {
        Err(Halt::Paused(vec![Pause::Question {
            step: step.into(),
            question: "?".into(),
            returns: "String".into(),
            in_doubt: false,
        }]))
    }

    #[test]
    fn pauses_gather_and_failures_win() {
        match settle(vec![ask("a"), Ok(Value::Int(1)), ask("b")]) {
            Err(Halt::Paused(p)) => {
                let steps: Vec<&str> = p.iter().map(|p| p.step()).collect();
                assert_eq!(steps, ["a", "b"]);
            }
            other => panic!("{other:?}"),
        }
        let failed = settle(vec![
            ask("a"),
            Err(Halt::Fail(Failure::fail("first"))),
            Err(Halt::Fail(Failure::fail("second"))),
        ]);
        assert_eq!(failed, Err(Halt::Fail(Failure::fail("first"))));
        assert_eq!(
            settle(vec![Ok(Value::Int(1)), Ok(Value::Int(2))]),
            Ok(vec![Value::Int(1), Value::Int(2)])
        );
    }

    #[test]
    fn bounded_keeps_input_order() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let runs: Vec<BoxFuture<'_, Exec<Value>>> = (0..6i64)
            .map(|i| -> BoxFuture<'_, Exec<Value>> {
                Box::pin(async move {
                    tokio::time::sleep(std::time::Duration::from_millis((6 - i as u64) * 5)).await;
                    Ok(Value::Int(i))
                })
            })
            .collect();
        let out = rt.block_on(bounded(runs, 3));
        let got: Vec<Value> = out.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(got, (0..6).map(Value::Int).collect::<Vec<_>>());
    }
}
