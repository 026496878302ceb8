//! The interpreter: executes the IR of a workflow with effects at typed
//! boundaries. Blocks run their nodes in program order; pure expressions go
//! to `pure`, processes to the `Executor`, and every step is journaled:
//! `step_started` (with the step's identity hash) is flushed before the
//! step launches, `step_finished` or `step_failed` after it ends.
//! Concurrency exists only where `for-each` and `parallel` ask for it, and
//! their results keep input order, so a workflow's value depends only on
//! its inputs and its recorded step results.

mod artifacts;
mod block;
mod identity;
mod progress;
mod steps;

pub use identity::hex_digest as identity_hex;
pub use progress::Progress;

use super::executor::Executor;
use super::journal::{Event, JournalWriter, StepError};
use super::providers::Providers;
use super::pure::{Env, Failure, Interrupt, PureCtx};
use super::rundir::RunDir;
use super::value::Value;
use crate::ir;
use crate::typeck::typed::{StepId, TExpr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;

/// The source of time; injected so tests can fix it.
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> u64;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    }
}

/// Why a run stopped before producing its value.
#[derive(Debug, Clone, PartialEq)]
pub enum Halt {
    /// A failure no `try` caught.
    Fail(Failure),
    /// A `human` step waits for an answer.
    Paused { step: String, question: String },
    /// The journal could not be written: the run cannot go on safely.
    Journal(String),
}

impl From<Failure> for Halt {
    fn from(f: Failure) -> Halt {
        Halt::Fail(f)
    }
}

/// What a node or block hands back: a value, or the next round of the
/// innermost loop.
#[derive(Debug, Clone)]
pub(crate) enum Flow {
    Value(Value),
    Recur(Vec<Value>),
}

pub(crate) type Exec<T> = Result<T, Halt>;

/// Where evaluation is: the run-time step id of the enclosing scope
/// (`ship/review-fix[2]`) and the retry attempt it is in.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub path: String,
    pub attempt: i64,
}

impl Scope {
    /// The run-time id of a step of this scope.
    pub fn step_id(&self, step: &StepId) -> String {
        self.child(step.name())
    }

    pub fn child(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.path)
        }
    }

    /// The scope of round/element/attempt `n` of a repeating step.
    pub fn round(&self, step: &StepId, n: i64) -> Scope {
        Scope {
            path: format!("{}[{n}]", self.step_id(step)),
            attempt: self.attempt,
        }
    }
}

/// Everything one run shares across its branches.
pub struct Interpreter {
    pub program: Arc<ir::Program>,
    pub providers: Providers,
    pub executor: Arc<dyn Executor>,
    pub journal: Mutex<JournalWriter>,
    pub rundir: RunDir,
    /// Steps run here; paths are relative to it.
    pub workspace: PathBuf,
    pub clock: Arc<dyn Clock>,
    /// Bounds the processes running at once across the whole run (`--jobs`).
    pub jobs: Arc<Semaphore>,
    pub progress: Progress,
}

impl Interpreter {
    /// Appends an event to the journal and flushes it.
    pub(crate) fn record(&self, event: Event) -> Exec<()> {
        let at = self.clock.now_ms();
        let mut journal = self
            .journal
            .lock()
            .map_err(|_| Halt::Journal("the journal lock was poisoned".into()))?;
        journal
            .append(at, event)
            .map(|_| ())
            .map_err(|e| Halt::Journal(format!("cannot write {}: {e}", journal.path().display())))
    }

    fn ctx<'a>(&'a self, scope: &'a Scope) -> PureCtx<'a> {
        PureCtx {
            tables: &self.program.tables,
            scope: &scope.path,
            attempt: scope.attempt,
        }
    }

    /// The value of a pure expression.
    pub(crate) fn pure(&self, e: &TExpr, env: &mut Env, scope: &Scope) -> Exec<Value> {
        super::pure::eval(e, env, &self.ctx(scope)).map_err(|i| match i {
            Interrupt::Fail(f) => Halt::Fail(f),
            other => Halt::Fail(other.into_failure()),
        })
    }

    /// Runs workflow `name` with its parameters (defaults filled in) under
    /// the scope path `path`.
    pub(crate) async fn run_workflow(
        &self,
        name: &str,
        params: Vec<Value>,
        path: String,
    ) -> Exec<Value> {
        let Some(workflow) = self.program.workflows.get(name) else {
            return Err(Failure::fail(format!("internal: no workflow `{name}`")).into());
        };
        let mut env = Env::new(params);
        let scope = Scope { path, attempt: 1 };
        match self.exec_block(&workflow.body, &mut env, &scope).await? {
            Flow::Value(v) => Ok(v),
            Flow::Recur(_) => Err(Failure::fail("internal: `recur` escaped its loop").into()),
        }
    }
}

/// The journaled form of a failure.
pub(crate) fn step_error(f: &Failure) -> StepError {
    StepError {
        kind: f.kind.name().to_string(),
        message: f.message.clone(),
        stderr: f.stderr.clone(),
    }
}
