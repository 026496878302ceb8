//! Replay at a step: before an effect step launches, the interpreter asks
//! the recorded journal what to do with it (`Recorded::decide`) and this
//! module turns the decision into the step's outcome: a recorded value
//! decoded against the step's type (its usage charged to the budgets
//! around it), a recorded failure, a stopped resume naming the step and
//! the fields of its description that changed, or a pause with a question
//! for a step that is in doubt.

use super::identity::Identity;
use super::recorded::Decision;
use super::{Exec, Halt, Interpreter, Pause, Scope};
use crate::runtime::journal::{Event, StepError};
use crate::runtime::pure::{ErrorKind, Failure};
use crate::runtime::value::{Value, from_json};
use crate::typeck::types::Type;

/// What replay needs to know about a step about to run.
pub(crate) struct Probe<'a> {
    pub id: &'a str,
    pub identity: &'a Identity,
    /// The type its value is decoded against.
    pub ty: &'a Type,
    /// Running it twice is harmless: `:idempotent true`, a `call` (whose
    /// own steps replay), or a provider answered from a replay file.
    pub rerunnable: bool,
    /// What it runs, for the in-doubt question: ``the command `make` ``
    /// (made only when asked for: replay is the hot path).
    pub what: &'a (dyn Fn() -> String + Sync),
}

impl Interpreter {
    /// `Ok(None)`: run the step. `Ok(Some(v))`: its recorded value. `Err`:
    /// its recorded failure, a pause for an answer, or a changed step.
    pub(crate) fn replay(&self, p: &Probe, scope: &Scope) -> Exec<Option<Value>> {
        if self.recorded.is_empty() {
            return Ok(None);
        }
        match self.recorded.decide(p.id, p.identity, p.rerunnable) {
            Decision::Run => Ok(None),
            Decision::Value(json, usage) => match from_json(json, p.ty, &self.program.tables) {
                Ok(v) => {
                    self.charge(scope, usage);
                    Ok(Some(v))
                }
                Err(_) if self.recorded.force => {
                    self.recorded.force_from(p.id);
                    Ok(None)
                }
                Err(e) => Err(Halt::Changed {
                    step: p.id.to_string(),
                    message: format!(
                        "the value recorded for step `{}` no longer fits its type {} ({e}); resume with --force to run it and every step recorded after it again",
                        p.id, p.ty
                    ),
                }),
            },
            Decision::Failed(error, usage) => {
                self.charge(scope, usage);
                Err(Halt::Fail(recorded_failure(p.id, error)))
            }
            Decision::Changed(fields) => Err(self.changed(p.id, &fields)),
            Decision::Waiting { asked } => {
                let question = format!(
                    "step `{}` ({}) started but did not finish before the run stopped, so it may or may not have taken effect. Answer with its result (type {}), or with --rerun to run it again.",
                    p.id,
                    (p.what)(),
                    p.ty
                );
                if !asked {
                    self.record(Event::HumanAsked {
                        step: p.id.to_string(),
                        question: question.clone(),
                        returns: p.ty.to_string(),
                        in_doubt: true,
                    })?;
                }
                Err(Halt::Paused(vec![Pause::Question {
                    step: p.id.to_string(),
                    question,
                    returns: p.ty.to_string(),
                    in_doubt: true,
                }]))
            }
        }
    }

    /// The stop of a resume at step `id`, whose description `fields` changed.
    pub(crate) fn changed(&self, id: &str, fields: &[String]) -> Halt {
        let what = if fields.is_empty() {
            "its description".to_string()
        } else {
            let named: Vec<String> = fields.iter().map(|f| field_text(f)).collect();
            named.join(", ")
        };
        let mut message =
            format!("step `{id}` is not the step this run recorded: {what} changed since it ran");
        if fields.iter().any(|f| f == "prompt") {
            let old = self.rundir.log_file(id, "prompt.txt");
            message.push_str(&format!(
                " (the prompt it ran with is in {})",
                old.display()
            ));
        }
        message.push_str("; resume with --force to run it and every step recorded after it again");
        Halt::Changed {
            step: id.to_string(),
            message,
        }
    }
}

/// A description field as the user knows it.
fn field_text(field: &str) -> String {
    match field {
        "argv" => "its argv".into(),
        "env" => "its environment (:env)".into(),
        "stdin" => "its stdin".into(),
        "returns" => "its result type".into(),
        "prompt" => "its prompt".into(),
        "provider" => "its provider".into(),
        "workflow" => "the workflow it calls".into(),
        "args" => "its arguments".into(),
        "question" => "its question".into(),
        other => format!("its {other}"),
    }
}

/// A journaled failure as the failure it was, at the step it began at.
pub(crate) fn recorded_failure(id: &str, error: &StepError) -> Failure {
    let kind = ErrorKind::from_name(&error.kind).unwrap_or(ErrorKind::Fail);
    let mut f = Failure::new(kind, error.message.clone());
    f.stderr = error.stderr.clone();
    f.step = Some(error.origin.clone().unwrap_or_else(|| id.to_string()));
    f
}
