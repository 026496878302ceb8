//! `wfl answer RUN_ID STEP --value JSON` (or `--rerun`): answers one open
//! question of a paused run — a `human` step, or a step in doubt after a
//! crash. The value is checked against the type the question recorded
//! (text that is not JSON is taken as a string where one is expected;
//! `@FILE` reads JSON from a file) and journaled; `wfl resume` then goes
//! on. Exit status: 0 answered, 2 no such open question, a value that does
//! not fit, or an unreadable run.

use super::resume::open_run;
use super::run::shell_quote;
use super::{ExitStatus, eprint_text};
use crate::runtime::answer::{Reply, answer};
use crate::runtime::eval::{Clock, SystemClock};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("reply").required(true).args(["value", "rerun"])))]
pub struct AnswerArgs {
    /// The run's id (or a unique prefix of it).
    #[arg(value_name = "RUN_ID")]
    run_id: String,
    /// The step whose question to answer, as `wfl resume` printed it.
    #[arg(value_name = "STEP")]
    step: String,
    /// The answer: JSON of the step's type (`@FILE` reads it from a file).
    #[arg(long, value_name = "JSON")]
    value: Option<String>,
    /// For a step in doubt: run it again on resume.
    #[arg(long)]
    rerun: bool,
    /// The workflow file, if not the one the run recorded.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// The workspace the run belongs to (default: the current directory).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
}

pub fn run(args: AnswerArgs) -> ExitStatus {
    let open = match open_run(
        args.workspace.as_deref(),
        &args.run_id,
        args.file.as_deref(),
    ) {
        Ok(open) => open,
        Err(status) => return status,
    };
    let reply = match (&args.value, args.rerun) {
        (_, true) => Reply::Rerun,
        (Some(v), false) => match v.strip_prefix('@') {
            Some(file) => match std::fs::read_to_string(file) {
                Ok(text) => Reply::Value(text),
                Err(e) => {
                    eprint_text(&format!("wfl: cannot read {file}: {e}\n"));
                    return ExitStatus::Usage;
                }
            },
            None => Reply::Value(v.clone()),
        },
        (None, false) => {
            eprint_text("wfl: give the answer with --value JSON (or --rerun)\n");
            return ExitStatus::Usage;
        }
    };
    let tables = &open.loaded.program.tables;
    let now = SystemClock.now_ms();
    match answer(
        &open.dir,
        tables,
        &open.info.workspace,
        &args.step,
        reply,
        now,
    ) {
        Ok(answered) => {
            let ws = args.workspace.as_ref().map_or(String::new(), |w| {
                format!(" --workspace {}", shell_quote(&w.display().to_string()))
            });
            let id = &open.dir.id;
            let mut text = format!("answered {}", args.step);
            if answered.open.is_empty() {
                text.push_str(&format!("\ncontinue with: wfl resume {id}{ws}\n"));
            } else {
                text.push_str(&format!(
                    "; still open: {}\nanswer those too, or continue now with: wfl resume {id}{ws}\n",
                    answered.open.join(", ")
                ));
            }
            eprint_text(&text);
            ExitStatus::Clean
        }
        Err(message) => {
            eprint_text(&format!("wfl: {message}\n"));
            ExitStatus::Usage
        }
    }
}
