//! Effect steps, the common part: every step resolves its inputs purely,
//! asks replay whether the journal already holds its outcome, journals
//! `step_started` with its identity, runs, validates its result against
//! the declared type (a reply that does not fit is an `INVALID_OUTPUT`
//! failure naming the offending field path) and journals the outcome with
//! the content hashes of the paths it returned. `command` steps are here;
//! `provider` steps are in `provider`, `human` and `call` in `calls`.

use super::artifacts::artifacts;
use super::identity::{Identity, command_identity};
use super::replaying::Probe;
use super::{Exec, Halt, Interpreter, Scope, step_error};
use crate::runtime::executor::{MAX_CAPTURE, ProcessEnd, ProcessOutcome, ProcessSpec};
use crate::runtime::journal::{Event, StepKind, Usage};
use crate::runtime::pure::{Env, ErrorKind, Failure};
use crate::runtime::rundir::log_name;
use crate::runtime::value::{Value, check_must_exist, from_json, last_json_object, try_to_json};
use crate::typeck::typed::{TCommand, TExpr};
use crate::typeck::types::Type;
use serde_json::{Value as Json, json};
use std::time::Duration;

/// A step's failure with the process's exit code, when it had one, and
/// what a provider reported spending.
pub(super) struct StepFail {
    /// Boxed, to keep the `Err` side of step results small.
    pub failure: Box<Failure>,
    pub exit_code: Option<i32>,
    pub usage: Option<Usage>,
}

impl From<Failure> for StepFail {
    fn from(failure: Failure) -> StepFail {
        StepFail {
            failure: Box::new(failure),
            exit_code: None,
            usage: None,
        }
    }
}

/// What a finished step hands to `finish`.
pub(super) struct Done {
    pub value: Value,
    pub exit_code: Option<i32>,
    pub usage: Option<Usage>,
}

/// At most `max` characters of `text`, for messages.
pub(super) fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

impl Interpreter {
    pub(super) fn begin(&self, id: &str, kind: StepKind, identity: &Identity) -> Exec<u64> {
        self.begin_with(id, kind, identity, None)
    }

    /// `begin`, naming the workflow a call runs.
    pub(super) fn begin_with(
        &self,
        id: &str,
        kind: StepKind,
        identity: &Identity,
        workflow: Option<&str>,
    ) -> Exec<u64> {
        self.record(Event::StepStarted {
            step: id.to_string(),
            kind,
            identity: identity.hash.clone(),
            parts: identity.parts(),
            workflow: workflow.map(str::to_string),
        })?;
        self.progress.start(id, kind.as_str());
        Ok(self.clock.now_ms())
    }

    /// Journals a step's outcome; failures get the step's id.
    pub(super) fn finish(
        &self,
        id: &str,
        started: u64,
        ty: &Type,
        result: Result<Done, StepFail>,
    ) -> Exec<Value> {
        let duration_ms = self.clock.now_ms().saturating_sub(started);
        match result {
            Ok(done) => {
                let value = try_to_json(&done.value).unwrap_or(Json::Null);
                let artifacts = artifacts(&done.value, ty, &self.program.tables, &self.workspace);
                self.record(Event::StepFinished {
                    step: id.to_string(),
                    value,
                    duration_ms,
                    exit_code: done.exit_code,
                    usage: done.usage,
                    artifacts,
                })?;
                self.progress.finish(id, true, duration_ms);
                Ok(done.value)
            }
            Err(StepFail {
                mut failure,
                exit_code,
                usage,
            }) => {
                failure.step.get_or_insert_with(|| id.to_string());
                self.record(Event::StepFailed {
                    step: id.to_string(),
                    error: step_error(id, &failure),
                    duration_ms,
                    exit_code,
                    usage,
                })?;
                self.progress.finish(id, false, duration_ms);
                Err(Halt::Fail(*failure))
            }
        }
    }

    pub(super) fn timeout_of(
        &self,
        e: Option<&TExpr>,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Option<Duration>> {
        match e {
            None => Ok(None),
            Some(e) => match self.pure(e, env, scope)? {
                Value::Int(n) if n > 0 => Ok(Some(Duration::from_secs(n as u64))),
                other => Err(Failure::fail(format!(
                    "`:timeout` must be a positive number of seconds, found {}",
                    other.describe()
                ))
                .into()),
            },
        }
    }

    /// Runs a process through the executor, within the run's `--jobs` bound.
    pub(super) async fn spawn(&self, spec: ProcessSpec) -> ProcessOutcome {
        let _permit = self.jobs.acquire().await;
        self.executor.run(spec).await
    }

    /// Where a step may write its JSON result (`WFL_RESULT`); removed first
    /// so a stale file from an earlier attempt is never read.
    pub(super) fn result_file(&self, id: &str) -> std::path::PathBuf {
        let path = self
            .rundir
            .path
            .join("results")
            .join(format!("{}.json", log_name(id)));
        let _ = std::fs::create_dir_all(self.rundir.path.join("results"));
        let _ = std::fs::remove_file(&path);
        path
    }

    pub(super) fn step_env(
        &self,
        id: &str,
        result_file: &std::path::Path,
    ) -> Vec<(String, String)> {
        vec![
            ("WFL_RESULT".into(), result_file.display().to_string()),
            ("WFL_STEP".into(), id.to_string()),
            ("WFL_RUN_ID".into(), self.rundir.id.clone()),
            ("WFL_RUN_DIR".into(), self.rundir.path.display().to_string()),
        ]
    }

    pub(crate) async fn run_command(
        &self,
        c: &TCommand,
        ty: &Type,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Value> {
        let id = scope.step_id(&c.step);
        let mut argv = Vec::with_capacity(c.argv.len());
        for a in &c.argv {
            argv.push(self.pure(a, env, scope)?.to_text());
        }
        if c.shell {
            argv = vec!["sh".into(), "-c".into(), argv.join(" ")];
        }
        let mut vars = Vec::with_capacity(c.env.len() + 3);
        for (k, v) in &c.env {
            vars.push((k.clone(), self.pure(v, env, scope)?.to_text()));
        }
        let stdin = match &c.stdin {
            Some(s) => Some(self.pure(s, env, scope)?.to_text()),
            None => None,
        };
        let timeout = self.timeout_of(c.opts.timeout.as_deref(), env, scope)?;
        let returns = c
            .returns
            .as_ref()
            .map_or("CommandResult".to_string(), ToString::to_string);
        let identity = command_identity(&argv, &vars, stdin.as_deref(), &returns);
        let what = || format!("the command `{}`", clip(&argv.join(" "), 120));
        let probe = Probe {
            id: &id,
            identity: &identity,
            ty,
            rerunnable: c.opts.idempotent,
            what: &what,
        };
        if let Some(value) = self.replay(&probe, scope)? {
            return Ok(value);
        }
        let result_file = self.result_file(&id);
        vars.extend(self.step_env(&id, &result_file));
        let started = self.begin(&id, StepKind::Command, &identity)?;
        let program = argv.first().cloned().unwrap_or_default();
        let outcome = self
            .spawn(ProcessSpec {
                step: id.clone(),
                argv,
                cwd: self.workspace.clone(),
                env: vars,
                stdin: stdin.map(String::into_bytes),
                timeout,
                stdout_log: self.rundir.log_file(&id, "stdout"),
                stderr_log: self.rundir.log_file(&id, "stderr"),
            })
            .await;
        let result = self.command_result(
            &program,
            c.returns.as_ref(),
            ty,
            &outcome,
            &result_file,
            &id,
        );
        self.finish(&id, started, ty, result)
    }

    fn command_result(
        &self,
        program: &str,
        returns: Option<&Type>,
        ty: &Type,
        outcome: &ProcessOutcome,
        result_file: &std::path::Path,
        id: &str,
    ) -> Result<Done, StepFail> {
        let code = match &outcome.end {
            ProcessEnd::Exited(code) => *code,
            other => return Err(process_failure(program, other, outcome)),
        };
        let Some(returns) = returns else {
            // Without :returns the exit code is data, not a failure.
            let stderr = std::fs::read(self.rundir.log_file(id, "stderr"))
                .map(|b| String::from_utf8_lossy(&b[..b.len().min(MAX_CAPTURE)]).into_owned())
                .unwrap_or_else(|_| outcome.stderr_tail.clone());
            let json = json!({
                "exit-code": code,
                "stdout": String::from_utf8_lossy(&outcome.stdout),
                "stderr": stderr,
            });
            let value = from_json(&json, ty, &self.program.tables).map_err(|e| {
                StepFail::from(Failure::fail(format!("internal: CommandResult: {e}")))
            })?;
            return Ok(Done {
                value,
                exit_code: Some(code),
                usage: None,
            });
        };
        if code != 0 {
            return Err(process_failure(program, &outcome.end, outcome));
        }
        let stdout = String::from_utf8_lossy(&outcome.stdout);
        let value = self.read_reply(&format!("`{program}`"), returns, result_file, &stdout)?;
        Ok(Done {
            value,
            exit_code: Some(0),
            usage: None,
        })
    }

    /// Reads a step's typed result: the `WFL_RESULT` file if the step wrote
    /// one, else the last JSON object on its stdout; then validates it.
    pub(super) fn read_reply(
        &self,
        who: &str,
        returns: &Type,
        result_file: &std::path::Path,
        stdout: &str,
    ) -> Result<Value, Failure> {
        let json = match std::fs::read_to_string(result_file) {
            Ok(text) => serde_json::from_str::<Json>(&text)
                .map_err(|e| invalid(format!("{who} wrote a result file that is not JSON: {e}")))?,
            Err(_) => match serde_json::from_str::<Json>(stdout.trim()) {
                Ok(json) => json,
                Err(_) => last_json_object(stdout).ok_or_else(|| {
                    invalid(format!(
                        "{who} replied without a JSON result (expected {returns})"
                    ))
                })?,
            },
        };
        let tables = &self.program.tables;
        let value = from_json(&json, returns, tables).map_err(|e| {
            invalid(format!(
                "{who} replied with JSON that does not fit {returns}: {e}"
            ))
        })?;
        check_must_exist(&value, returns, tables, &self.workspace).map_err(|e| {
            invalid(format!(
                "{who} replied with a path that does not exist: {e}"
            ))
        })?;
        Ok(value)
    }
}

pub(super) fn invalid(message: String) -> Failure {
    Failure::new(ErrorKind::InvalidOutput, message)
}

/// The failure of a process that did not exit 0.
pub(super) fn process_failure(
    program: &str,
    end: &ProcessEnd,
    outcome: &ProcessOutcome,
) -> StepFail {
    let (kind, message, code) = match end {
        ProcessEnd::Exited(code) => (
            ErrorKind::Exit,
            format!("`{program}` exited with code {code}"),
            Some(*code),
        ),
        ProcessEnd::Signaled(sig) => (
            ErrorKind::Exit,
            format!("`{program}` was killed by signal {sig}"),
            None,
        ),
        ProcessEnd::TimedOut => (
            ErrorKind::Timeout,
            format!(
                "`{program}` ran past its timeout after {:.1}s and was killed",
                outcome.duration.as_secs_f64()
            ),
            None,
        ),
        ProcessEnd::SpawnFailed(why) => (ErrorKind::Spawn, why.clone(), None),
    };
    let mut failure = Failure::new(kind, message);
    failure.stderr = outcome.stderr_tail.clone();
    StepFail {
        failure: Box::new(failure),
        exit_code: code,
        usage: None,
    }
}
