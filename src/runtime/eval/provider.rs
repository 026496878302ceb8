//! `provider` steps: the prompt rendered, the output contract of the
//! result type appended, the whole text written to `logs/<step>.prompt.txt`
//! and handed to the provider — a process (on stdin, as its last argument,
//! or only through `WFL_PROMPT`), or a recorded answer from a replay file.
//! The reply (the `WFL_RESULT` file, else stdout's JSON) is validated
//! against the step's type; the usage the provider reports (`WFL_USAGE`, or
//! the replay answer's `usage`) is journaled with the outcome, failed or
//! not, and charged to the budgets around the step. A provider step does
//! not start while a budget around it is spent.

use super::identity::provider_identity;
use super::replaying::Probe;
use super::steps::{Done, StepFail, process_failure};
use super::{Exec, Halt, Interpreter, Scope};
use crate::parser::ast::PromptVia;
use crate::runtime::executor::{ProcessEnd, ProcessSpec};
use crate::runtime::journal::{StepKind, Usage};
use crate::runtime::providers::Provider;
use crate::runtime::pure::{Env, ErrorKind, Failure};
use crate::runtime::replay::ReplayFile;
use crate::runtime::rundir::log_name;
use crate::runtime::value::{Value, output_contract};
use crate::typeck::typed::TProvider;
use crate::typeck::types::Type;
use std::path::Path;
use std::time::Duration;

/// A provider step ready to run.
struct Call<'a> {
    id: &'a str,
    who: String,
    prompt: &'a str,
    prompt_file: &'a Path,
    result_file: &'a Path,
    returns: &'a Type,
    timeout: Option<Duration>,
}

impl Interpreter {
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
        let what = || format!("the provider `{}`", p.provider);
        let probe = Probe {
            id: &id,
            identity: &identity,
            ty: &p.returns,
            rerunnable: p.opts.idempotent || matches!(provider, Provider::Replay(_)),
            what: &what,
        };
        if let Some(value) = self.replay(&probe, scope)? {
            return Ok(value);
        }
        self.check_budgets(scope, &id)?;
        let prompt_file = self.rundir.log_file(&id, "prompt.txt");
        if let Err(e) = std::fs::write(&prompt_file, &full) {
            return Err(Halt::Journal(format!(
                "cannot write {}: {e}",
                prompt_file.display()
            )));
        }
        let result_file = self.result_file(&id);
        let started = self.begin(&id, StepKind::Provider, &identity)?;
        let call = Call {
            id: &id,
            who: format!("provider `{}`", p.provider),
            prompt: &full,
            prompt_file: &prompt_file,
            result_file: &result_file,
            returns: &p.returns,
            timeout,
        };
        let result = match provider {
            Provider::Command {
                argv,
                prompt_via,
                env: penv,
                ..
            } => self.provider_process(&call, argv, *prompt_via, penv).await,
            Provider::Replay(file) => self.replay_answer(file, &call),
        };
        let usage = match &result {
            Ok(done) => done.usage.as_ref(),
            Err(fail) => fail.usage.as_ref(),
        };
        self.charge(scope, usage);
        self.finish(&id, started, &p.returns, result)
    }

    /// Runs a provider process and reads its reply and usage.
    async fn provider_process(
        &self,
        call: &Call<'_>,
        argv: &[String],
        prompt_via: PromptVia,
        env: &[(String, String)],
    ) -> Result<Done, StepFail> {
        let id = call.id;
        let mut argv = argv.to_vec();
        let mut vars = env.to_vec();
        vars.extend(self.step_env(id, call.result_file));
        let usage_file = self
            .rundir
            .path
            .join("results")
            .join(format!("{}.usage.json", log_name(id)));
        let _ = std::fs::remove_file(&usage_file);
        vars.push(("WFL_USAGE".into(), usage_file.display().to_string()));
        vars.push(("WFL_PROMPT".into(), call.prompt_file.display().to_string()));
        let stdin = match prompt_via {
            PromptVia::Stdin => Some(call.prompt.as_bytes().to_vec()),
            PromptVia::Arg => {
                argv.push(call.prompt.to_string());
                None
            }
            PromptVia::File => None,
        };
        let program = argv.first().cloned().unwrap_or_default();
        let outcome = self
            .spawn(ProcessSpec {
                step: id.to_string(),
                argv,
                cwd: self.workspace.clone(),
                env: vars,
                stdin,
                timeout: call.timeout,
                stdout_log: self.rundir.log_file(id, "stdout"),
                stderr_log: self.rundir.log_file(id, "stderr"),
            })
            .await;
        // Tokens spent count even when the reply is refused.
        let usage = std::fs::read_to_string(&usage_file)
            .ok()
            .and_then(|t| serde_json::from_str::<Usage>(&t).ok());
        match &outcome.end {
            ProcessEnd::Exited(0) => {
                let stdout = String::from_utf8_lossy(&outcome.stdout);
                match self.read_reply(&call.who, call.returns, call.result_file, &stdout) {
                    Ok(value) => Ok(Done {
                        value,
                        exit_code: Some(0),
                        usage,
                    }),
                    Err(failure) => Err(StepFail {
                        failure: Box::new(failure),
                        exit_code: Some(0),
                        usage,
                    }),
                }
            }
            other => {
                let mut fail = process_failure(&program, other, &outcome);
                fail.usage = usage;
                Err(fail)
            }
        }
    }

    /// Answers a provider step from a replay file, writing its files first.
    fn replay_answer(&self, file: &ReplayFile, call: &Call<'_>) -> Result<Done, StepFail> {
        let (id, who) = (call.id, &call.who);
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
                failure: Box::new(f),
                exit_code: Some(answer.exit_code),
                usage: answer.usage.clone(),
            });
        }
        match self.read_reply(who, call.returns, call.result_file, &stdout) {
            Ok(value) => Ok(Done {
                value,
                exit_code: Some(0),
                usage: answer.usage.clone(),
            }),
            Err(failure) => Err(StepFail {
                failure: Box::new(failure),
                exit_code: Some(0),
                usage: answer.usage.clone(),
            }),
        }
    }
}
