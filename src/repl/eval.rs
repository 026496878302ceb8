//! Checking and evaluating an expression, and running workflows. An
//! expression is checked as the body of the synthetic workflow (see
//! `program`) next to every definition; a pure one is evaluated at once
//! by `pure::eval`, without a run. One that meets an effect (a command,
//! provider or human step, a `call`) is run as that workflow through the
//! same runtime as `wfl run`, in the session's workspace with its
//! provider swaps, so it leaves a run directory and a journal like any
//! other run.

use super::program::{self, Shape, WRAPPER};
use super::{Session, is_error};
use crate::diag::{Diagnostic, FileId, sort_diagnostics};
use crate::ir;
use crate::runtime::eval::{Pause, Progress, SystemClock, identity_hex};
use crate::runtime::executor::LocalExecutor;
use crate::runtime::pure::{Env, Interrupt, PureCtx, eval_body};
use crate::runtime::value::{Value, from_json, to_json};
use crate::runtime::{RunOutcome, RunRequest, run};
use crate::typeck::typed::TExprKind;
use crate::typeck::{Checked, Type};
use serde_json::Value as Json;
use std::sync::Arc;

/// An evaluated expression.
pub struct Done {
    pub value: Value,
    /// The value as printed: compact JSON (functions as `<defn name>`).
    pub shown: String,
    pub ty: Type,
    /// Lines to print before the value (the run that computed it).
    pub notes: String,
}

impl Session {
    /// Checks `input[range]` as an expression: the checked program (with
    /// the wrapper that runs it) and the expression's type, or the
    /// rendered errors. The type is inferred first (`Shape::Infer`), then
    /// the wrapper is checked again with that result type.
    pub(super) fn check_expr(
        &mut self,
        input: FileId,
        range: std::ops::Range<usize>,
    ) -> Result<(Checked, Type), String> {
        let (_, ty) = self.check_wrapped(input, range.clone(), Shape::Infer)?;
        let ty = ty.unwrap_or(Type::Unit);
        let source = program::type_source(&ty);
        let (checked, _) = self.check_wrapped(input, range, Shape::Body(source.as_deref()))?;
        Ok((checked, ty))
    }

    /// Checks one wrapping of the expression next to every definition;
    /// the type of the wrapper's last form.
    fn check_wrapped(
        &mut self,
        input: FileId,
        range: std::ops::Range<usize>,
        shape: Shape,
    ) -> Result<(Checked, Option<Type>), String> {
        let params: Vec<(String, String)> = self
            .bindings
            .iter()
            .map(|(n, b)| (n.clone(), b.ty_source.clone()))
            .collect();
        let wrapped = program::wrap(&mut self.map, input, range, &params, shape);
        let mut items: Vec<_> = self.defs.values().map(|d| d.item.clone()).collect();
        items.push(wrapped.item);
        let (checked, type_diags) =
            self.check_program(program::program(wrapped.remap.wrapper, items));
        let mut diags: Vec<Diagnostic> = wrapped.diags;
        diags.extend(type_diags.into_iter().map(|d| wrapped.remap.diag(d)));
        let mut errors: Vec<Diagnostic> = diags.into_iter().filter(is_error).collect();
        sort_diagnostics(&mut errors);
        if !errors.is_empty() {
            return Err(self.render(&errors));
        }
        let last = checked.workflow(WRAPPER).and_then(|w| w.body.last());
        let ty = match (shape, last.map(|e| &e.kind)) {
            // The type of the `let*` binding's value, as inferred.
            (Shape::Infer, Some(TExprKind::Let { bindings, .. })) => {
                bindings.first().map(|b| b.value.ty.clone())
            }
            _ => last.map(|e| e.ty.clone()),
        };
        Ok((checked, ty))
    }

    /// Checks and evaluates `input[range]` as an expression.
    pub(super) fn evaluate(
        &mut self,
        input: FileId,
        range: std::ops::Range<usize>,
    ) -> Result<Done, String> {
        let (checked, ty) = self.check_expr(input, range)?;
        let Some(wf) = checked.workflow(WRAPPER) else {
            return Err("error: the expression could not be checked\n".into());
        };
        let params: Vec<Value> = self.bindings.values().map(|b| b.value.clone()).collect();
        let tables = &checked.tables;
        match eval_body(&wf.body, &mut Env::new(params), &PureCtx::new(tables)) {
            Ok(value) => Ok(done(value, ty, String::new())),
            Err(Interrupt::Fail(failure)) => Err(format!("error: {failure}\n")),
            Err(Interrupt::Recur(_)) => Err("error: `recur` outside a loop\n".into()),
            Err(Interrupt::Effect(_)) => {
                let inputs = self.binding_inputs()?;
                let file = self.map.name(input).to_string();
                let (outcome, notes) = self.run_program(checked.clone(), &file, WRAPPER, inputs)?;
                match outcome {
                    RunOutcome::Succeeded { value, .. } => {
                        let value = from_json(&value, &ty, tables)
                            .unwrap_or_else(|_| Value::json(value.clone()));
                        Ok(done(value, ty, notes))
                    }
                    _ => Err(notes),
                }
            }
        }
    }

    /// The bindings as `--input` values of the synthetic workflow.
    fn binding_inputs(&self) -> Result<Vec<(String, String)>, String> {
        let mut inputs = Vec::new();
        for (name, b) in &self.bindings {
            let raw = match (to_json(&b.value), &b.ty) {
                (Json::String(s), Type::String | Type::Path | Type::Refined(_) | Type::Enum(_)) => {
                    if s.starts_with('@') {
                        return Err(format!(
                            "error: `{name}` starts with `@`, which a run input cannot pass; bind it again\n"
                        ));
                    }
                    s
                }
                (json, _) => json.to_string(),
            };
            inputs.push((name.clone(), raw));
        }
        Ok(inputs)
    }

    /// Runs workflow `entry` of `checked` to its end or pause. Returns the
    /// outcome and the lines that say how the run ended; `Err` when it
    /// could not start.
    pub(super) fn run_program(
        &self,
        checked: Checked,
        file: &str,
        entry: &str,
        inputs: Vec<(String, String)>,
    ) -> Result<(RunOutcome, String), String> {
        let program = Arc::new(ir::build(Arc::new(checked.tables)));
        let source: String = self
            .map
            .files()
            .map(|(_, f)| f.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let request = RunRequest {
            file: file.to_string(),
            source_hash: identity_hex(source.as_bytes()),
            program,
            entry: Some(entry.to_string()),
            inputs,
            workspace: self.workspace.clone(),
            providers: self
                .providers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            jobs: 8,
            progress: Progress::silent(),
            executor: Arc::new(LocalExecutor),
            clock: Arc::new(SystemClock),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("error: cannot start the runtime: {e}\n"))?;
        let outcome = runtime
            .block_on(run(request))
            .map_err(|message| format!("error: {message}\n"))?;
        let notes = outcome_text(&outcome);
        Ok((outcome, notes))
    }
}

fn done(value: Value, ty: Type, notes: String) -> Done {
    Done {
        shown: to_json(&value).to_string(),
        value,
        ty,
        notes,
    }
}

/// How a run ended, in a few lines.
pub fn outcome_text(outcome: &RunOutcome) -> String {
    match outcome {
        RunOutcome::Succeeded { run_id, .. } => format!("run {run_id} succeeded\n"),
        RunOutcome::Failed { run_id, failure } => {
            let step = failure.step.as_deref().unwrap_or("the workflow");
            let mut text = format!("run {run_id} failed at {step}: {failure}\n");
            let lines: Vec<&str> = failure.stderr.trim_end().lines().collect();
            for line in &lines[lines.len().saturating_sub(5)..] {
                text.push_str(&format!("  | {line}\n"));
            }
            text
        }
        RunOutcome::Paused { run_id, pauses } => {
            let mut text = format!("run {run_id} paused\n");
            for pause in pauses {
                text.push_str(&format!("  {}\n", pause.reason()));
                if let Pause::Question { step, .. } = pause {
                    text.push_str(&format!(
                        "  answer with: wfl answer {run_id} {step} --value JSON, then wfl resume {run_id}\n"
                    ));
                }
            }
            text
        }
        RunOutcome::Refused {
            run_id, message, ..
        } => format!("run {run_id} refused: {message}\n"),
    }
}
