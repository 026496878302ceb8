//! `wfl answer RUN_ID STEP --value JSON` (or `--rerun`): answers one open
//! question of a paused run — a `human` step, or a step in doubt after a
//! crash. The value is checked against the type the question recorded
//! (text that is not JSON is taken as a string where one is expected;
//! `@FILE` reads JSON from a file) and journaled; `wfl resume` then goes
//! on. Exit status: 0 answered, 2 no such open question, a value that does
//! not fit, or an unreadable run.
//!
//! On a terminal, `wfl run` and `wfl resume` ask the open questions of a
//! paused run directly (`ask_directly`): each answer goes through the same
//! check and journal event, an empty line leaves a question open, and the
//! run resumes once anything was answered.

use super::resume::open_run;
use super::run::shell_quote;
use super::{ExitStatus, eprint_text};
use crate::runtime::answer::{Reply, answer};
use crate::runtime::eval::{Clock, Pause, SystemClock};
use crate::runtime::rundir::RunDir;
use crate::typeck::Tables;
use clap::Args;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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

/// Asks the open questions among `pauses` on `input`/`out` and journals
/// each answer that fits (a misfit is explained and asked again; `rerun`
/// re-runs a step in doubt; an empty line leaves the question open; end of
/// input stops asking). Returns how many were answered.
pub(super) fn ask_directly(
    dir: &RunDir,
    tables: &Tables,
    workspace: &Path,
    pauses: &[Pause],
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> usize {
    let mut answered = 0;
    for pause in pauses {
        let Pause::Question {
            step,
            question,
            returns,
            in_doubt,
        } = pause
        else {
            continue;
        };
        let _ = writeln!(out, "{step} asks ({returns}):");
        for line in question.lines() {
            let _ = writeln!(out, "  {line}");
        }
        loop {
            let rerun = if *in_doubt { ", `rerun`" } else { "" };
            let _ = write!(out, "answer (JSON{rerun}, or empty to leave it open): ");
            let _ = out.flush();
            let mut line = String::new();
            if input.read_line(&mut line).unwrap_or(0) == 0 {
                let _ = writeln!(out);
                return answered;
            }
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            let reply = if *in_doubt && line == "rerun" {
                Reply::Rerun
            } else {
                Reply::Value(line.to_string())
            };
            match answer(dir, tables, workspace, step, reply, SystemClock.now_ms()) {
                Ok(_) => {
                    answered += 1;
                    break;
                }
                Err(e) => {
                    let _ = writeln!(out, "  {e}");
                }
            }
        }
    }
    answered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::journal::{Event, JournalWriter};

    #[test]
    fn questions_asked_directly_are_checked_and_journaled() {
        let mut map = crate::diag::SourceMap::new();
        let file = map.add("t.wfl", "(defenum D YES NO)\n(defworkflow w () -> Int 1)");
        let (checked, _) = crate::check_file(&mut map, file);
        let ws = tempfile::tempdir().unwrap();
        let dir = RunDir::create(ws.path(), "20260101-000000-000").unwrap();
        let mut journal = JournalWriter::create(&dir.journal()).unwrap();
        let mut pauses = Vec::new();
        for (step, in_doubt) in [("w/a", false), ("w/b", false), ("w/c", true)] {
            let (question, returns) = ("Sure?".to_string(), "D".to_string());
            journal
                .append(
                    1,
                    Event::HumanAsked {
                        step: step.into(),
                        question: question.clone(),
                        returns: returns.clone(),
                        in_doubt,
                    },
                )
                .unwrap();
            pauses.push(Pause::Question {
                step: step.into(),
                question,
                returns,
                in_doubt,
            });
        }
        drop(journal);
        let mut input = std::io::Cursor::new("maybe\nYES\n\nrerun\n");
        let mut out = Vec::new();
        let n = ask_directly(
            &dir,
            &checked.tables,
            ws.path(),
            &pauses,
            &mut input,
            &mut out,
        );
        assert_eq!(n, 2);
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains("w/a asks (D):\n  Sure?"), "{shown}");
        assert!(
            shown.contains("YES, NO"),
            "the misfit is explained: {shown}"
        );
        assert!(shown.contains("JSON, `rerun`"), "{shown}");
        let journal = crate::runtime::journal::read(&dir.journal()).unwrap();
        let answers: Vec<&Event> = journal
            .iter()
            .map(|r| &r.event)
            .filter(|e| matches!(e, Event::HumanAnswered { .. }))
            .collect();
        assert_eq!(answers.len(), 2);
        assert!(
            matches!(answers[1], Event::HumanAnswered { step, rerun: true, .. } if step == "w/c")
        );
    }
}
