//! Starting a run: choose the entry workflow, read its inputs against their
//! types, create the run directory and journal, execute, and record how
//! the run ended in the journal and `run.json`.
//!
//! Resuming a run is replay. The interpreter runs the workflow from the
//! top with the inputs `run.json` recorded, and every step the journal
//! holds returns its recorded outcome instead of running (see
//! `eval::Recorded` for the rules: identities compared, `--force`, in-doubt
//! steps). New events are appended to the same journal after a
//! `run_resumed` (and a `budget_raised` for `--raise-budget`), so one
//! journal tells the whole story of a run however often it paused or
//! crashed. `drive` is what both share: run the entry workflow on a
//! prepared interpreter and record the outcome.

use super::eval::{Clock, Halt, Interpreter, Pause, Progress, Recorded, step_error};
use super::executor::Executor;
use super::inputs::{entry_workflow, read_inputs, recorded_inputs};
use super::journal::{Event, JournalWriter, Record};
use super::providers::Providers;
use super::pure::Failure;
use super::rundir::{FORMAT_VERSION, RunDir, RunInfo, RunLock, RunStatus, run_id_at};
use super::value::{Value, to_json};
use crate::ir;
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
    /// Waiting for answers or a raised budget; every reason, in input order.
    Paused {
        run_id: String,
        pauses: Vec<Pause>,
    },
    /// A resume met a step that changed since it ran (exit 2).
    Refused {
        run_id: String,
        step: String,
        message: String,
    },
}

impl RunOutcome {
    pub fn run_id(&self) -> &str {
        match self {
            RunOutcome::Succeeded { run_id, .. }
            | RunOutcome::Failed { run_id, .. }
            | RunOutcome::Paused { run_id, .. }
            | RunOutcome::Refused { run_id, .. } => run_id,
        }
    }
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
    let _lock = RunLock::acquire(&rundir)?;
    let info_file = RunInfo {
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
        cwd: Some(cwd),
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
        rundir,
        workspace: req.workspace.clone(),
        clock: req.clock.clone(),
        jobs: Arc::new(Semaphore::new(req.jobs.max(1))),
        progress: req.progress,
        recorded: Recorded::default(),
    };
    interp
        .record(Event::RunStarted {
            workflow: name,
            source_hash: req.source_hash,
            inputs,
        })
        .map_err(halt_text)?;
    drive(&interp, info_file, params).await
}

/// Everything `resume` needs; the CLI fills it from its flags.
pub struct ResumeRequest {
    pub rundir: RunDir,
    /// The program to replay (normally the run's file, loaded again) and
    /// its source's SHA-256.
    pub program: Arc<ir::Program>,
    pub source_hash: String,
    /// Re-run changed steps (and every step recorded after the first one)
    /// instead of refusing.
    pub force: bool,
    /// `--raise-budget`: added to every budget's token and dollar caps.
    pub raise_tokens: u64,
    pub raise_usd: f64,
    pub jobs: usize,
    pub progress: Progress,
    pub executor: Arc<dyn Executor>,
    pub clock: Arc<dyn Clock>,
}

/// The value a succeeded run recorded last.
fn recorded_result(records: &[Record]) -> Option<serde_json::Value> {
    records.iter().rev().find_map(|r| match &r.event {
        Event::RunFinished { value, .. } => value.clone(),
        _ => None,
    })
}

/// Resumes a run to its end (or next pause). `Err` is a problem that kept
/// the resume from starting: the run is in use, unreadable, or its
/// workflow or inputs no longer fit the program.
pub async fn resume(req: ResumeRequest) -> Result<RunOutcome, String> {
    let rundir = req.rundir;
    let _lock = RunLock::acquire(&rundir)?;
    let mut info = rundir
        .read_info()
        .map_err(|e| format!("cannot read run {}: {e}", rundir.id))?;
    if info.format_version != FORMAT_VERSION {
        return Err(format!(
            "run {} has format version {}; this wfl reads version {FORMAT_VERSION}",
            rundir.id, info.format_version
        ));
    }
    let (journal, records) = JournalWriter::append_to(&rundir.journal())
        .map_err(|e| format!("cannot open the journal of run {}: {e}", rundir.id))?;
    let source_changed = info.source_hash != req.source_hash;
    let raise = req.raise_tokens > 0 || req.raise_usd > 0.0;
    let unchanged = !source_changed && !req.force && !raise;
    if info.status == RunStatus::Succeeded
        && unchanged
        && let Some(value) = recorded_result(&records)
    {
        return Ok(RunOutcome::Succeeded {
            run_id: rundir.id.clone(),
            value,
        });
    }
    let mut recorded = Recorded::from_records(records);
    recorded.force = req.force;
    recorded.source_changed = source_changed;
    recorded.raised.0 = recorded.raised.0.saturating_add(req.raise_tokens);
    recorded.raised.1 += req.raise_usd;

    let tables = &req.program.tables;
    let Some(entry) = tables.workflows.get(info.workflow.as_str()) else {
        return Err(format!(
            "run {} ran workflow `{}`, which {} no longer defines",
            rundir.id, info.workflow, info.file
        ));
    };
    let params = recorded_inputs(entry, &info.inputs, tables)?;
    let cwd = match &info.cwd {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?,
    };
    let providers = Providers::resolve(tables, &info.providers, &cwd)?;
    let interp = Interpreter {
        program: req.program.clone(),
        providers,
        executor: req.executor,
        journal: Mutex::new(journal),
        rundir: rundir.clone(),
        workspace: info.workspace.clone(),
        clock: req.clock.clone(),
        jobs: Arc::new(Semaphore::new(req.jobs.max(1))),
        progress: req.progress,
        recorded,
    };
    interp
        .record(Event::RunResumed {
            source_hash: req.source_hash.clone(),
            force: req.force,
        })
        .map_err(halt_text)?;
    if raise {
        interp
            .record(Event::BudgetRaised {
                tokens: req.raise_tokens,
                usd: req.raise_usd,
            })
            .map_err(halt_text)?;
    }
    info.status = RunStatus::Running;
    info.ended_ms = None;
    rundir
        .write_info(&info)
        .map_err(|e| format!("cannot write run.json: {e}"))?;
    drive(&interp, info, params).await
}

/// Runs the entry workflow of `info` on `interp` and records the outcome
/// in the journal and `run.json`.
pub(super) async fn drive(
    interp: &Interpreter,
    mut info: RunInfo,
    params: Vec<Value>,
) -> Result<RunOutcome, String> {
    let result = interp.run_entry(&info.workflow, params).await;
    let run_id = interp.rundir.id.clone();
    let (outcome, status, event) = match result {
        Ok(value) => {
            let json = to_json(&value);
            let event = Event::RunFinished {
                status: "succeeded".into(),
                value: Some(json.clone()),
                error: None,
            };
            let outcome = RunOutcome::Succeeded {
                run_id,
                value: json,
            };
            (outcome, RunStatus::Succeeded, event)
        }
        Err(Halt::Fail(failure)) => {
            let event = Event::RunFinished {
                status: "failed".into(),
                value: None,
                // The run is no step: `origin` names where the failure began.
                error: Some(step_error("", &failure)),
            };
            let outcome = RunOutcome::Failed { run_id, failure };
            (outcome, RunStatus::Failed, event)
        }
        Err(Halt::Paused(pauses)) => {
            let reasons: Vec<String> = pauses.iter().map(Pause::reason).collect();
            let event = Event::RunPaused {
                reason: reasons.join("; "),
            };
            let outcome = RunOutcome::Paused { run_id, pauses };
            (outcome, RunStatus::Paused, event)
        }
        Err(Halt::Changed { step, message }) => {
            let event = Event::RunPaused {
                reason: format!("resume refused: {message}"),
            };
            // A refused resume leaves a finished run as it was.
            let status = match info.status {
                RunStatus::Running | RunStatus::Paused => RunStatus::Paused,
                other => other,
            };
            let outcome = RunOutcome::Refused {
                run_id,
                step,
                message,
            };
            (outcome, status, event)
        }
        Err(Halt::Journal(message)) => return Err(message),
    };
    interp.record(event).map_err(halt_text)?;
    let ended = matches!(status, RunStatus::Succeeded | RunStatus::Failed);
    info.status = status;
    info.ended_ms = ended.then(|| interp.clock.now_ms());
    interp
        .rundir
        .write_info(&info)
        .map_err(|e| format!("cannot write run.json: {e}"))?;
    Ok(outcome)
}

pub(super) fn halt_text(h: Halt) -> String {
    match h {
        Halt::Journal(m) => m,
        Halt::Fail(f) => f.to_string(),
        Halt::Paused(p) => p.iter().map(Pause::reason).collect::<Vec<_>>().join("; "),
        Halt::Changed { message, .. } => message,
    }
}
