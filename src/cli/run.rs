//! `wfl run FILE [--input k=v]… [--entry WF] [--provider NAME=SPEC]…`:
//! runs a workflow. The typed result goes to stdout as JSON, the run id and
//! how the run ended to stderr, live progress to stderr when it is a
//! terminal. Exit status: 0 succeeded, 1 the workflow failed, 2 usage or
//! compile error, 3 paused. On a terminal, a run that pauses for questions
//! asks them directly and goes on once they are answered.

use super::load::load;
use super::resume::{Session, conclude, progress, tokio_runtime};
use super::{ExitStatus, eprint_text, print_text};
use crate::runtime::eval::{Pause, SystemClock};
use crate::runtime::executor::LocalExecutor;
use crate::runtime::{RunOutcome, RunRequest, run as run_workflow};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct RunArgs {
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// A workflow input: `name=value` (strings and paths as text, other types
    /// as JSON, `name=@file.json` to read JSON from a file).
    #[arg(long = "input", short = 'i', value_name = "K=V", value_parser = key_value)]
    inputs: Vec<(String, String)>,
    /// The workflow to run (default: the file's only workflow).
    #[arg(long, value_name = "WF")]
    entry: Option<String>,
    /// Swap a provider: `NAME=replay:FILE`, `NAME=command:PROGRAM ARGS…` or
    /// `NAME=OTHER` (another declared provider).
    #[arg(long = "provider", value_name = "NAME=SPEC", value_parser = key_value)]
    providers: Vec<(String, String)>,
    /// Answer every provider from this recorded file (`replay:FILE` for all).
    #[arg(long, value_name = "FILE")]
    replay: Option<String>,
    /// Where steps run and `.wfl/runs/` lives (default: the current directory).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
    /// Most processes running at once across the whole run.
    #[arg(long, value_name = "N", default_value_t = 8)]
    jobs: usize,
    /// No progress on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(super) fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, found `{s}`")),
    }
}

pub fn run(args: RunArgs) -> ExitStatus {
    let loaded = match load(&args.file) {
        Ok(l) => l,
        Err(status) => return status,
    };
    let workspace = match args
        .workspace
        .clone()
        .map_or_else(std::env::current_dir, Ok)
    {
        Ok(dir) => dir,
        Err(e) => {
            eprint_text(&format!("wfl: no workspace directory: {e}\n"));
            return ExitStatus::Usage;
        }
    };
    let workspace = match std::fs::canonicalize(&workspace) {
        Ok(dir) if dir.is_dir() => dir,
        _ => {
            eprint_text(&format!(
                "wfl: workspace {} is not a directory\n",
                workspace.display()
            ));
            return ExitStatus::Usage;
        }
    };
    let mut providers = Vec::new();
    if let Some(file) = &args.replay {
        for name in loaded.program.tables.providers.keys() {
            providers.push((name.to_string(), format!("replay:{file}")));
        }
    }
    providers.extend(args.providers.iter().cloned());
    let request = RunRequest {
        file: loaded.name.clone(),
        source_hash: loaded.source_hash.clone(),
        program: loaded.program.clone(),
        entry: args.entry.clone(),
        inputs: args.inputs.clone(),
        workspace: workspace.clone(),
        providers,
        jobs: args.jobs,
        progress: progress(args.quiet),
        executor: Arc::new(LocalExecutor),
        clock: Arc::new(SystemClock),
    };
    let runtime = match tokio_runtime() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let result = runtime.block_on(run_workflow(request));
    let session = Session {
        workspace: &workspace,
        loaded: &loaded,
        jobs: args.jobs,
        quiet: args.quiet,
    };
    conclude(&runtime, result, &session, args.workspace.as_deref())
}

/// Prints how a run ended and returns its exit status; `workspace` is the
/// `--workspace` the printed commands must repeat, if one was given.
pub(super) fn report_outcome(outcome: &RunOutcome, workspace: Option<&Path>) -> ExitStatus {
    match outcome {
        RunOutcome::Succeeded { run_id, value } => {
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            print_text(&format!("{text}\n"));
            eprint_text(&format!("run {run_id} succeeded\n"));
            ExitStatus::Clean
        }
        RunOutcome::Failed { run_id, failure } => {
            let step = failure.step.as_deref().unwrap_or("the workflow");
            let mut text = format!("run {run_id} failed at {step}: {failure}\n");
            let tail = failure.stderr.trim_end();
            if !tail.is_empty() {
                let lines: Vec<&str> = tail.lines().collect();
                let start = lines.len().saturating_sub(10);
                text.push_str("  stderr (last lines):\n");
                for line in &lines[start..] {
                    text.push_str(&format!("    {line}\n"));
                }
            }
            let ws = workspace.map_or(String::new(), |w| {
                format!(" --workspace {}", shell_quote(&w.display().to_string()))
            });
            text.push_str(&format!("  details: wfl report {run_id}{ws}\n"));
            eprint_text(&text);
            ExitStatus::Problems
        }
        RunOutcome::Paused { run_id, pauses } => {
            eprint_text(&paused_text(run_id, pauses, workspace));
            ExitStatus::Paused
        }
        RunOutcome::Refused {
            run_id, message, ..
        } => {
            eprint_text(&format!("wfl: run {run_id} cannot resume: {message}\n"));
            ExitStatus::Usage
        }
    }
}

/// How to go on from a pause: the exact `wfl answer` command for every
/// open question and the `wfl resume` that continues.
fn paused_text(run_id: &str, pauses: &[Pause], workspace: Option<&Path>) -> String {
    let ws = workspace.map_or(String::new(), |w| {
        format!(" --workspace {}", shell_quote(&w.display().to_string()))
    });
    let mut text = format!("run {run_id} paused\n");
    let mut budget = false;
    for pause in pauses {
        match pause {
            Pause::Question {
                step,
                question,
                returns,
                in_doubt,
            } => {
                let what = if *in_doubt { "is in doubt" } else { "asks" };
                text.push_str(&format!("  step {step} {what} (answer: {returns}):\n"));
                for line in question.lines() {
                    text.push_str(&format!("    {line}\n"));
                }
                text.push_str(&format!(
                    "    answer with: wfl answer {run_id} {} --value JSON{ws}\n",
                    shell_quote(step)
                ));
                if *in_doubt {
                    text.push_str(&format!(
                        "    or run it again: wfl answer {run_id} {} --rerun{ws}\n",
                        shell_quote(step)
                    ));
                }
            }
            Pause::Budget { .. } => {
                budget = true;
                text.push_str(&format!("  {}\n", pause.reason()));
            }
        }
    }
    if budget {
        text.push_str(&format!(
            "  then continue with a raised cap: wfl resume {run_id} --raise-budget tokens=N (or usd=X){ws}\n"
        ));
    } else {
        text.push_str(&format!("  then continue with: wfl resume {run_id}{ws}\n"));
    }
    text
}

/// `text` as one shell word: as is when it is plain, else single-quoted.
pub(super) fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@,+%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
