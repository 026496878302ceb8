//! Effect steps: `command`, `provider`, `human`, `call` and applied
//! workflow values. Each resolves its inputs purely, journals
//! `step_started` with its identity, runs, validates its result against
//! the declared type (a reply that does not fit is an `INVALID_OUTPUT`
//! failure naming the offending field path) and journals the outcome with
//! the content hashes of the paths it returned.

use super::artifacts::artifacts;
use super::identity::{command_identity, identity, provider_identity};
use super::{Exec, Halt, Interpreter, Scope, step_error};
use crate::parser::ast::PromptVia;
use crate::runtime::executor::{MAX_CAPTURE, ProcessEnd, ProcessOutcome, ProcessSpec};
use crate::runtime::journal::{Event, StepKind, Usage};
use crate::runtime::providers::Provider;
use crate::runtime::pure::{Env, ErrorKind, Failure, apply_func};
use crate::runtime::rundir::log_name;
use crate::runtime::value::{
    Func, Value, check_must_exist, from_json, last_json_object, output_contract, try_to_json,
};
use crate::typeck::typed::{StepId, TCall, TCommand, TExpr, THuman, TProvider};
use crate::typeck::types::Type;
use serde_json::{Value as Json, json};
use std::time::Duration;

/// A step's failure with the process's exit code, when it had one.
struct StepFail {
    failure: Failure,
    exit_code: Option<i32>,
}

impl From<Failure> for StepFail {
    fn from(failure: Failure) -> StepFail {
        StepFail {
            failure,
            exit_code: None,
        }
    }
}

/// What a finished step hands to `finish`.
struct Done {
    value: Value,
    exit_code: Option<i32>,
    usage: Option<Usage>,
}

impl Interpreter {
    fn begin(&self, id: &str, kind: StepKind, identity: String) -> Exec<u64> {
        self.record(Event::StepStarted {
            step: id.to_string(),
            kind,
            identity,
        })?;
        self.progress.start(id, kind.as_str());
        Ok(self.clock.now_ms())
    }

    /// Journals a step's outcome; failures get the step's id.
    fn finish(
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
            }) => {
                failure.step.get_or_insert_with(|| id.to_string());
                self.record(Event::StepFailed {
                    step: id.to_string(),
                    error: step_error(&failure),
                    duration_ms,
                    exit_code,
                })?;
                self.progress.finish(id, false, duration_ms);
                Err(Halt::Fail(failure))
            }
        }
    }

    fn timeout_of(
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
    async fn spawn(&self, spec: ProcessSpec) -> ProcessOutcome {
        let _permit = self.jobs.acquire().await;
        self.executor.run(spec).await
    }

    /// Where a step may write its JSON result (`WFL_RESULT`); removed first
    /// so a stale file from an earlier attempt is never read.
    fn result_file(&self, id: &str) -> std::path::PathBuf {
        let path = self
            .rundir
            .path
            .join("results")
            .join(format!("{}.json", log_name(id)));
        let _ = std::fs::create_dir_all(self.rundir.path.join("results"));
        let _ = std::fs::remove_file(&path);
        path
    }

    fn step_env(&self, id: &str, result_file: &std::path::Path) -> Vec<(String, String)> {
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
        let result_file = self.result_file(&id);
        vars.extend(self.step_env(&id, &result_file));
        let started = self.begin(&id, StepKind::Command, identity)?;
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
    fn read_reply(
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

    pub(crate) async fn run_provider(
        &self,
        p: &TProvider,
        env: &mut Env,
        scope: &Scope,
    ) -> Exec<Value> {
        let id = scope.step_id(&p.step);
        let tables = &self.program.tables;
        let Some(provider) = self.providers.get(&p.provider) else {
            return Err(Failure::fail(format!("internal: no provider `{}`", p.provider)).into());
        };
        let prompt = self.pure(&p.prompt, env, scope)?.to_text();
        let full = format!("{prompt}\n\n{}", output_contract(&p.returns, tables));
        let timeout = match self.timeout_of(p.opts.timeout.as_deref(), env, scope)? {
            Some(t) => Some(t),
            None => match provider {
                Provider::Command { timeout, .. } => timeout.map(Duration::from_secs),
                Provider::Replay(_) => None,
            },
        };
        let identity = provider_identity(
            &format!("{}={}", p.provider, provider.describe()),
            &full,
            &p.returns.to_string(),
        );
        let prompt_file = self.rundir.log_file(&id, "prompt.txt");
        if let Err(e) = std::fs::write(&prompt_file, &full) {
            return Err(Halt::Journal(format!(
                "cannot write {}: {e}",
                prompt_file.display()
            )));
        }
        let result_file = self.result_file(&id);
        let started = self.begin(&id, StepKind::Provider, identity)?;
        let who = format!("provider `{}`", p.provider);
        let result = match provider {
            Provider::Command {
                argv,
                prompt_via,
                env: penv,
                ..
            } => {
                let mut argv = argv.clone();
                let mut vars = penv.clone();
                vars.extend(self.step_env(&id, &result_file));
                let usage_file = self
                    .rundir
                    .path
                    .join("results")
                    .join(format!("{}.usage.json", log_name(&id)));
                let _ = std::fs::remove_file(&usage_file);
                vars.push(("WFL_USAGE".into(), usage_file.display().to_string()));
                vars.push(("WFL_PROMPT".into(), prompt_file.display().to_string()));
                let stdin = match prompt_via {
                    PromptVia::Stdin => Some(full.clone().into_bytes()),
                    PromptVia::Arg => {
                        argv.push(full.clone());
                        None
                    }
                    PromptVia::File => None,
                };
                let program = argv.first().cloned().unwrap_or_default();
                let outcome = self
                    .spawn(ProcessSpec {
                        step: id.clone(),
                        argv,
                        cwd: self.workspace.clone(),
                        env: vars,
                        stdin,
                        timeout,
                        stdout_log: self.rundir.log_file(&id, "stdout"),
                        stderr_log: self.rundir.log_file(&id, "stderr"),
                    })
                    .await;
                match &outcome.end {
                    ProcessEnd::Exited(0) => {
                        let usage = std::fs::read_to_string(&usage_file)
                            .ok()
                            .and_then(|t| serde_json::from_str::<Usage>(&t).ok());
                        let stdout = String::from_utf8_lossy(&outcome.stdout);
                        self.read_reply(&who, &p.returns, &result_file, &stdout)
                            .map(|value| Done {
                                value,
                                exit_code: Some(0),
                                usage,
                            })
                            .map_err(StepFail::from)
                    }
                    other => Err(process_failure(&program, other, &outcome)),
                }
            }
            Provider::Replay(file) => self.replay_answer(file, &id, &who, &p.returns, &result_file),
        };
        self.finish(&id, started, &p.returns, result)
    }

    fn replay_answer(
        &self,
        file: &crate::runtime::replay::ReplayFile,
        id: &str,
        who: &str,
        returns: &Type,
        result_file: &std::path::Path,
    ) -> Result<Done, StepFail> {
        let answer = file
            .answer(id)
            .map_err(|m| Failure::new(ErrorKind::Spawn, m))?;
        for (path, content) in &answer.files {
            crate::runtime::value::check_path(path, None)
                .map_err(|e| Failure::fail(format!("replay file {}: `{path}`: {e}", file.path)))?;
            let target = self.workspace.join(path);
            if let Some(dir) = target.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            std::fs::write(&target, content)
                .map_err(|e| Failure::fail(format!("replay: cannot write {path}: {e}")))?;
        }
        let stdout = match (&answer.reply, &answer.stdout) {
            (Some(reply), _) => reply.to_string(),
            (None, Some(text)) => text.clone(),
            (None, None) => String::new(),
        };
        let _ = std::fs::write(self.rundir.log_file(id, "stdout"), &stdout);
        let _ = std::fs::write(self.rundir.log_file(id, "stderr"), &answer.stderr);
        if answer.exit_code != 0 {
            let mut f = Failure::new(
                ErrorKind::Exit,
                format!("{who} (replayed) exited with code {}", answer.exit_code),
            );
            f.stderr = answer.stderr.clone();
            return Err(StepFail {
                failure: f,
                exit_code: Some(answer.exit_code),
            });
        }
        let value = self.read_reply(who, returns, result_file, &stdout)?;
        Ok(Done {
            value,
            exit_code: Some(0),
            usage: answer.usage.clone(),
        })
    }

    pub(crate) async fn run_human(&self, h: &THuman, env: &mut Env, scope: &Scope) -> Exec<Value> {
        let id = scope.step_id(&h.step);
        let question = self.pure(&h.ask, env, scope)?.to_text();
        self.record(Event::HumanAsked {
            step: id.clone(),
            question: question.clone(),
            returns: h.returns.to_string(),
        })?;
        Err(Halt::Paused { step: id, question })
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
    ) -> Exec<Value> {
        let shown: Vec<Json> = params.iter().map(lossy_json).collect();
        let identity = identity(&json!({ "kind": "call", "workflow": workflow, "args": shown }));
        let started = self.begin(&id, StepKind::Call, identity)?;
        match Box::pin(self.run_workflow(workflow, params, id.clone())).await {
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
        self.call_step(id, &c.workflow, params, &ty).await
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
            return self.call_step(scope.step_id(step), name, params, ty).await;
        }
        let ctx = crate::runtime::pure::PureCtx {
            tables: &self.program.tables,
            scope: &scope.path,
            attempt: scope.attempt,
        };
        apply_func(&f, values, ty, &ctx).map_err(|i| Halt::Fail(i.into_failure()))
    }
}

fn invalid(message: String) -> Failure {
    Failure::new(ErrorKind::InvalidOutput, message)
}

/// The failure of a process that did not exit 0.
fn process_failure(program: &str, end: &ProcessEnd, outcome: &ProcessOutcome) -> StepFail {
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
        failure,
        exit_code: code,
    }
}

/// JSON for identities and reports; function values show as their names.
fn lossy_json(v: &Value) -> Json {
    match try_to_json(v) {
        Ok(j) => j,
        Err(_) => Json::String(v.to_text()),
    }
}
