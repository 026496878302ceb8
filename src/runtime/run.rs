//! Starting a run: choose the entry workflow, read its inputs against their
//! types, create the run directory and journal, execute, and record how
//! the run ended in the journal and `run.json`.

use super::eval::{Clock, Halt, Interpreter, Progress, step_error};
use super::executor::Executor;
use super::journal::{Event, JournalWriter};
use super::providers::Providers;
use super::pure::{Env, Failure};
use super::rundir::{FORMAT_VERSION, RunDir, RunInfo, RunStatus, run_id_at};
use super::value::{Value, from_json, to_json};
use crate::ir;
use crate::typeck::types::Type;
use crate::typeck::{FnInfo, Tables};
use serde_json::{Map, Value as Json};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Everything `run` needs; the CLI fills it from its flags.
pub struct RunRequest {
    /// The workflow file as the user named it, and its text's SHA-256.
    pub file: String,
    pub source_hash: String,
    pub program: Arc<ir::Program>,
    pub entry: Option<String>,
    /// `--input k=v` pairs, raw.
    pub inputs: Vec<(String, String)>,
    pub workspace: PathBuf,
    /// `--provider NAME=SPEC` pairs.
    pub providers: Vec<(String, String)>,
    /// Most processes at once across the run.
    pub jobs: usize,
    pub progress: Progress,
    pub executor: Arc<dyn Executor>,
    pub clock: Arc<dyn Clock>,
}

#[derive(Debug)]
pub enum RunOutcome {
    Succeeded {
        run_id: String,
        value: Json,
    },
    Failed {
        run_id: String,
        failure: Failure,
    },
    Paused {
        run_id: String,
        step: String,
        question: String,
    },
}

impl RunOutcome {
    pub fn run_id(&self) -> &str {
        match self {
            RunOutcome::Succeeded { run_id, .. }
            | RunOutcome::Failed { run_id, .. }
            | RunOutcome::Paused { run_id, .. } => run_id,
        }
    }
}

/// Names of the workflows some other workflow calls or passes by reference.
fn called_workflows(tables: &Tables) -> std::collections::HashSet<crate::typeck::types::Name> {
    use crate::typeck::typed::{Ref, TExpr, TExprKind};
    fn walk(e: &TExpr, out: &mut std::collections::HashSet<crate::typeck::types::Name>) {
        match &e.kind {
            TExprKind::Call(c) => {
                out.insert(c.workflow.clone());
            }
            TExprKind::Var(Ref::Workflow { name, .. }) => {
                out.insert(name.clone());
            }
            _ => {}
        }
        ir::children(e, &mut |c| walk(c, out));
    }
    let mut out = std::collections::HashSet::new();
    for w in tables.workflows.values() {
        for e in &w.body {
            walk(e, &mut out);
        }
    }
    out
}

/// Picks the entry workflow: `--entry`, else the only workflow of the file,
/// else the only one that no other workflow calls.
pub fn entry_workflow<'a>(tables: &'a Tables, entry: Option<&str>) -> Result<&'a FnInfo, String> {
    let names = || {
        tables
            .workflows
            .keys()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let info = match entry {
        Some(name) => tables
            .workflows
            .get(name)
            .ok_or_else(|| format!("no workflow `{name}` (the file defines: {})", names()))?,
        None => match tables.workflows.len() {
            0 => return Err("the file defines no workflow".into()),
            1 => &tables.workflows[0],
            n => {
                let called = called_workflows(tables);
                let roots: Vec<&FnInfo> = tables
                    .workflows
                    .values()
                    .filter(|w| !called.contains(&w.name))
                    .collect();
                match roots.as_slice() {
                    [root] => *root,
                    _ => {
                        return Err(format!(
                            "the file defines {n} workflows ({}); choose one with --entry",
                            names()
                        ));
                    }
                }
            }
        },
    };
    if !info.type_params.is_empty() {
        return Err(format!(
            "workflow `{}` is generic; call it from a workflow that fixes its types",
            info.name
        ));
    }
    Ok(info)
}

/// An input as given on the command line: text for strings, paths and
/// enums, JSON for everything else, `@FILE` for JSON read from a file.
fn input_json(raw: &str, ty: &Type, cwd: &std::path::Path) -> Result<Json, String> {
    if let Some(file) = raw.strip_prefix('@') {
        let text = std::fs::read_to_string(cwd.join(file))
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        return serde_json::from_str(&text).map_err(|e| format!("{file} is not JSON: {e}"));
    }
    match ty {
        Type::String | Type::Path | Type::Refined(_) | Type::Enum(_) => {
            Ok(Json::String(raw.into()))
        }
        _ => serde_json::from_str(raw).map_err(|e| format!("`{raw}` is not JSON: {e}")),
    }
}

/// The entry's parameters from `--input` pairs and defaults.
pub fn read_inputs(
    info: &FnInfo,
    raw: &[(String, String)],
    tables: &Tables,
    cwd: &std::path::Path,
) -> Result<Vec<Value>, String> {
    for (k, _) in raw {
        if !info.params.iter().any(|p| &*p.name == k) {
            let params: Vec<&str> = info.params.iter().map(|p| &*p.name).collect();
            return Err(format!(
                "workflow `{}` has no input `{k}` (its inputs: {})",
                info.name,
                if params.is_empty() {
                    "none".into()
                } else {
                    params.join(", ")
                }
            ));
        }
    }
    let mut values = Vec::with_capacity(info.params.len());
    for p in &info.params {
        let given = raw.iter().rev().find(|(k, _)| *k == *p.name);
        let value = match (given, &p.default) {
            (Some((_, v)), _) => {
                let json =
                    input_json(v, &p.ty, cwd).map_err(|e| format!("--input {}: {e}", p.name))?;
                from_json(&json, &p.ty, tables).map_err(|e| format!("--input {}: {e}", p.name))?
            }
            (None, Some(default)) => super::pure::eval(
                default,
                &mut Env::default(),
                &super::pure::PureCtx::new(tables),
            )
            .map_err(|e| format!("default of `{}`: {e}", p.name))?,
            (None, None) => {
                return Err(format!(
                    "workflow `{}` needs --input {}=… ({})",
                    info.name, p.name, p.ty
                ));
            }
        };
        values.push(value);
    }
    Ok(values)
}

/// Runs a workflow to its end (or pause). `Err` is a usage or setup problem
/// that happened before the run started.
pub async fn run(req: RunRequest) -> Result<RunOutcome, String> {
    let tables = &req.program.tables;
    let info = entry_workflow(tables, req.entry.as_deref())?;
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let params = read_inputs(info, &req.inputs, tables, &cwd)?;
    let providers = Providers::resolve(tables, &req.providers, &cwd)?;
    let name = info.name.to_string();
    let mut inputs = Map::new();
    for (p, v) in info.params.iter().zip(&params) {
        inputs.insert(p.name.to_string(), to_json(v));
    }
    let inputs = Json::Object(inputs);

    let started_ms = req.clock.now_ms();
    let rundir = RunDir::create(&req.workspace, &run_id_at(started_ms)).map_err(|e| {
        format!(
            "cannot create a run directory in {}: {e}",
            req.workspace.display()
        )
    })?;
    let mut info_file = RunInfo {
        format_version: FORMAT_VERSION,
        run_id: rundir.id.clone(),
        file: req.file.clone(),
        workflow: name.clone(),
        source_hash: req.source_hash.clone(),
        inputs: inputs.clone(),
        providers: req.providers.clone(),
        status: RunStatus::Running,
        started_ms,
        ended_ms: None,
        workspace: req.workspace.clone(),
    };
    rundir
        .write_info(&info_file)
        .map_err(|e| format!("cannot write run.json: {e}"))?;
    let journal = JournalWriter::create(&rundir.journal())
        .map_err(|e| format!("cannot create the journal: {e}"))?;
    let interp = Interpreter {
        program: req.program.clone(),
        providers,
        executor: req.executor,
        journal: Mutex::new(journal),
        rundir: rundir.clone(),
        workspace: req.workspace.clone(),
        clock: req.clock.clone(),
        jobs: Arc::new(Semaphore::new(req.jobs.max(1))),
        progress: req.progress,
    };
    interp
        .record(Event::RunStarted {
            workflow: name.clone(),
            source_hash: req.source_hash,
            inputs,
        })
        .map_err(halt_text)?;
    let result = interp.run_workflow(&name, params, name.clone()).await;
    let run_id = rundir.id.clone();
    let (outcome, status, event) = match result {
        Ok(value) => {
            let json = to_json(&value);
            let event = Event::RunFinished {
                status: "succeeded".into(),
                value: Some(json.clone()),
                error: None,
            };
            (
                RunOutcome::Succeeded {
                    run_id,
                    value: json,
                },
                RunStatus::Succeeded,
                event,
            )
        }
        Err(Halt::Fail(failure)) => {
            let event = Event::RunFinished {
                status: "failed".into(),
                value: None,
                error: Some(step_error(&failure)),
            };
            (
                RunOutcome::Failed { run_id, failure },
                RunStatus::Failed,
                event,
            )
        }
        Err(Halt::Paused { step, question }) => {
            let event = Event::RunPaused {
                reason: format!("waiting for an answer to `{step}`"),
            };
            (
                RunOutcome::Paused {
                    run_id,
                    step,
                    question,
                },
                RunStatus::Paused,
                event,
            )
        }
        Err(Halt::Journal(message)) => return Err(message),
    };
    interp.record(event).map_err(halt_text)?;
    info_file.status = status;
    info_file.ended_ms = (status != RunStatus::Paused).then(|| req.clock.now_ms());
    rundir
        .write_info(&info_file)
        .map_err(|e| format!("cannot write run.json: {e}"))?;
    Ok(outcome)
}

fn halt_text(h: Halt) -> String {
    match h {
        Halt::Journal(m) => m,
        Halt::Fail(f) => f.to_string(),
        Halt::Paused { step, .. } => format!("paused at {step}"),
    }
}
