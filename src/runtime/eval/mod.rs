//! The interpreter: executes the IR of a workflow with effects at typed
//! boundaries. Blocks run their nodes in program order; pure expressions go
//! to `pure`, processes to the `Executor`, and every step is journaled:
//! `step_started` (with the step's identity hash) is flushed before the
//! step launches, `step_finished` or `step_failed` after it ends.
//! Concurrency exists only where `for-each` and `parallel` ask for it, and
//! their results keep input order, so a workflow's value depends only on
//! its inputs and its recorded step results. That is what makes resume a
//! replay: given the journal of an earlier run (`Recorded`), every step
//! that finished there returns its recorded outcome instead of running.

mod artifacts;
mod block;
mod budget;
mod calls;
mod fanout;
mod identity;
mod progress;
mod provider;
mod recorded;
mod replaying;
mod steps;

pub use identity::hex_digest as identity_hex;
pub use progress::Progress;
pub use recorded::{Answer, Question, Recorded};

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
    /// Branches wait: for answers, or for a raised budget. Concurrent
    /// branches that pause together all appear, in input order.
    Paused(Vec<Pause>),
    /// A resume met a step that is not the one the journal recorded.
    Changed { step: String, message: String },
    /// The journal could not be written: the run cannot go on safely.
    Journal(String),
}

/// One reason a run waits.
#[derive(Debug, Clone, PartialEq)]
pub enum Pause {
    /// A question for `wfl answer`: a `human` step, or a step found started
    /// but not finished on resume (`in_doubt`).
    Question {
        step: String,
        question: String,
        /// The answer's type, as written in source.
        returns: String,
        in_doubt: bool,
    },
    /// Provider step `step` did not start: `budget` is spent.
    Budget {
        step: String,
        budget: String,
        spent_tokens: u64,
        spent_usd: f64,
        cap_tokens: Option<u64>,
        cap_usd: Option<f64>,
    },
}

impl Pause {
    pub fn step(&self) -> &str {
        match self {
            Pause::Question { step, .. } | Pause::Budget { step, .. } => step,
        }
    }

    /// One line for the journal and messages.
    pub fn reason(&self) -> String {
        match self {
            Pause::Question { step, .. } => format!("waiting for an answer to `{step}`"),
            Pause::Budget {
                step,
                budget,
                spent_tokens,
                spent_usd,
                ..
            } => format!(
                "`{step}` waits: {budget} has spent {spent_tokens} tokens and ${spent_usd:.4}"
            ),
        }
    }
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
/// (`ship/review-fix[2]`), the retry attempt it is in, and the budgets
/// around it, innermost last.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub path: String,
    pub attempt: i64,
    pub budgets: Vec<Arc<budget::Budget>>,
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
            budgets: self.budgets.clone(),
        }
    }

    /// A scope at `path` that keeps this one's attempt and budgets.
    pub fn at(&self, path: String) -> Scope {
        Scope {
            path,
            attempt: self.attempt,
            budgets: self.budgets.clone(),
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
    /// The journal being replayed, on resume (an empty one on a fresh run).
    pub recorded: Recorded,
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

    /// Runs the entry workflow `name` with its parameters (defaults filled
    /// in); its step ids start with its name.
    pub async fn run_entry(&self, name: &str, params: Vec<Value>) -> Exec<Value> {
        let scope = Scope {
            path: name.to_string(),
            attempt: 1,
            budgets: Vec::new(),
        };
        self.run_workflow(name, params, &scope).await
    }

    /// Runs workflow `name` with its parameters (defaults filled in) in
    /// `scope`: its path and budgets, a first attempt.
    pub(crate) async fn run_workflow(
        &self,
        name: &str,
        params: Vec<Value>,
        scope: &Scope,
    ) -> Exec<Value> {
        let Some(workflow) = self.program.workflows.get(name) else {
            return Err(Failure::fail(format!("internal: no workflow `{name}`")).into());
        };
        let mut env = Env::new(params);
        let mut scope = scope.clone();
        scope.attempt = 1;
        match self.exec_block(&workflow.body, &mut env, &scope).await? {
            Flow::Value(v) => Ok(v),
            Flow::Recur(_) => Err(Failure::fail("internal: `recur` escaped its loop").into()),
        }
    }
}

/// The journaled form of a failure of step `id`.
pub(crate) fn step_error(id: &str, f: &Failure) -> StepError {
    StepError {
        kind: f.kind.name().to_string(),
        message: f.message.clone(),
        stderr: f.stderr.clone(),
        origin: f.step.as_deref().filter(|s| *s != id).map(str::to_string),
    }
}
