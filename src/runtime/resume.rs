//! Resuming a run: replay. The interpreter runs the workflow from the top
//! with the inputs `run.json` recorded, and every step the journal holds
//! returns its recorded outcome instead of running (see `eval::Recorded`
//! for the rules: identities compared, `--force`, in-doubt steps). New
//! events are appended to the same journal after a `run_resumed` (and a
//! `budget_raised` for `--raise-budget`), so one journal tells the whole
//! story of a run however often it paused or crashed.

use super::eval::{Clock, Interpreter, Progress, Recorded};
use super::executor::Executor;
use super::inputs::recorded_inputs;
use super::journal::{Event, JournalWriter, Record};
use super::lock::RunLock;
use super::providers::Providers;
use super::run::{RunOutcome, drive, halt_text};
use super::rundir::{FORMAT_VERSION, RunDir, RunStatus};
use crate::ir;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

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
    let mut recorded = Recorded::from_records(&records);
    drop(records);
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
