//! `human` and `call` steps, and workflow values applied. A `human` step
//! journals its question (`human_asked`) and pauses its branch; once `wfl
//! answer` has journaled a value (`human_answered`), a resume gives that
//! value, checked against the step's type. A `call` is a step whose value
//! is the callee's: it runs the callee with its step ids under the call's.
//! On resume a finished call replays as a whole when the source is the one
//! the run started with; after an edit it is entered again, so each step
//! inside is compared on its own. A call started but never finished is
//! entered again (its own steps replay), never asked about.

use super::identity::identity;
use super::recorded::{Decision, State};
use super::replaying::Probe;
use super::steps::Done;
use super::{Exec, Halt, Interpreter, Pause, Scope};
use crate::runtime::journal::{Event, StepKind};
use crate::runtime::pure::{Env, Failure, apply_func};
use crate::runtime::value::{Func, Value, from_json, try_to_json};
use crate::typeck::typed::{StepId, TCall, TExpr, THuman};
use crate::typeck::types::Type;
use serde_json::{Value as Json, json};

impl Interpreter {
    pub(crate) async fn run_human(&self, h: &THuman, env: &mut Env, scope: &Scope) -> Exec<Value> {
        let id = scope.step_id(&h.step);
        let question = self.pure(&h.ask, env, scope)?.to_text();
        let returns = h.returns.to_string();
        let asked = match self.recorded.decide_human(&id, &question, &returns) {
            Decision::Value(json, _) => match from_json(json, &h.returns, &self.program.tables) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    return Err(Halt::Changed {
                        message: format!(
                            "the answer recorded for `{id}` no longer fits its type {returns} ({e})"
                        ),
                        step: id,
                    });
                }
            },
            Decision::Changed(fields) => return Err(self.changed(&id, &fields)),
            Decision::Waiting { asked } => asked,
            Decision::Run | Decision::Failed(..) => false,
        };
        if !asked {
            self.record(Event::HumanAsked {
                step: id.clone(),
                question: question.clone(),
                returns: returns.clone(),
                in_doubt: false,
            })?;
        }
        Err(Halt::Paused(vec![Pause::Question {
            step: id,
            question,
            returns,
            in_doubt: false,
        }]))
    }

    /// The parameters of workflow `name` from one optional argument each.
    fn workflow_params(
        &self,
        name: &str,
        args: Vec<Option<Value>>,
        scope: &Scope,
    ) -> Exec<Vec<Value>> {
        let Some(callee) = self.program.tables.workflows.get(name) else {
            return Err(Failure::fail(format!("internal: no workflow `{name}`")).into());
        };
        let mut params = Vec::with_capacity(callee.params.len());
        let mut args = args.into_iter();
        for p in &callee.params {
            match (args.next().flatten(), &p.default) {
                (Some(v), _) => params.push(v),
                (None, Some(default)) => {
                    params.push(self.pure(default, &mut Env::default(), scope)?)
                }
                (None, None) => {
                    return Err(Failure::fail(format!(
                        "internal: `{name}` called without `{}`",
                        p.name
                    ))
                    .into());
                }
            }
        }
        Ok(params)
    }

    async fn call_step(
        &self,
        id: String,
        workflow: &str,
        params: Vec<Value>,
        ty: &Type,
        scope: &Scope,
    ) -> Exec<Value> {
        let shown: Vec<Json> = params.iter().map(lossy_json).collect();
        let identity = identity(json!({
            "kind": "call",
            "workflow": workflow,
            "args": shown,
            "returns": ty.to_string(),
        }));
        let what = || format!("a call of `{workflow}`");
        let probe = Probe {
            id: &id,
            identity: &identity,
            ty,
            rerunnable: true,
            what: &what,
        };
        // After an edit a call is entered again, so that every step inside
        // it is compared with the journal on its own.
        let whole = !self.recorded.source_changed;
        match self.replay(&probe, scope) {
            Ok(Some(value)) if whole => return Ok(value),
            Err(Halt::Fail(f)) if whole => return Err(Halt::Fail(f)),
            Err(h @ (Halt::Changed { .. } | Halt::Journal(_) | Halt::Paused(_))) => return Err(h),
            _ => {}
        }
        // Entered again while in doubt (a question inside it, a crash): its
        // `step_started` is in the journal already.
        let again = self
            .recorded
            .get(&id)
            .is_some_and(|r| r.identity == identity.hash && r.state == State::Started);
        let started = if again {
            self.clock.now_ms()
        } else {
            self.begin_with(&id, StepKind::Call, &identity, Some(workflow))?
        };
        let inner = scope.at(id.clone());
        match Box::pin(self.run_workflow(workflow, params, &inner)).await {
            Ok(value) => self.finish(
                &id,
                started,
                ty,
                Ok(Done {
                    value,
                    exit_code: None,
                    usage: None,
                }),
            ),
            Err(Halt::Fail(f)) => self.finish(&id, started, ty, Err(f.into())),
            Err(other) => Err(other),
        }
    }

    pub(crate) async fn run_call(&self, c: &TCall, env: &mut Env, scope: &Scope) -> Exec<Value> {
        let id = scope.step_id(&c.step);
        let mut args = Vec::with_capacity(c.args.len());
        for a in &c.args {
            args.push(match a {
                Some(e) => Some(self.pure(e, env, scope)?),
                None => None,
            });
        }
        let params = self.workflow_params(&c.workflow, args, scope)?;
        let ty = self
            .program
            .tables
            .workflows
            .get(&c.workflow)
            .map(|w| w.ret.substitute(&w.type_params, &c.type_args))
            .unwrap_or(Type::Invalid);
        self.call_step(id, &c.workflow, params, &ty, scope).await
    }

    pub(crate) async fn run_apply(
        &self,
        step: &StepId,
        func: &TExpr,
        args: &[TExpr],
        ty: &Type,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Value> {
        let f = match self.pure(func, env, scope)? {
            Value::Func(f) => f,
            other => {
                return Err(
                    Failure::fail(format!("internal: applying {}", other.describe())).into(),
                );
            }
        };
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.pure(a, env, scope)?);
        }
        if let Func::Workflow { name, .. } = &*f {
            let params =
                self.workflow_params(name, values.into_iter().map(Some).collect(), scope)?;
            return self
                .call_step(scope.step_id(step), name, params, ty, scope)
                .await;
        }
        let ctx = crate::runtime::pure::PureCtx {
            tables: &self.program.tables,
            scope: &scope.path,
            attempt: scope.attempt,
        };
        apply_func(&f, values, ty, &ctx).map_err(|i| Halt::Fail(i.into_failure()))
    }
}

/// JSON for identities and reports; function values show as their names.
fn lossy_json(v: &Value) -> Json {
    match try_to_json(v) {
        Ok(j) => j,
        Err(_) => Json::String(v.to_text()),
    }
}
