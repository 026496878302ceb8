//! `wfl resume RUN_ID [--force] [--raise-budget tokens=N|usd=X]…`: replays
//! a run's journal and goes on from where it stopped (a crash, a pause for
//! answers or budget, or a failure after an edit). The workflow file is the
//! one `run.json` names, read again (`--file` points elsewhere). Output and
//! exit status are `wfl run`'s, plus exit 2 when a step changed since it ran
//! (the message names it and what changed; `--force` re-runs it and every
//! step recorded after it).

use super::answer::ask_directly;
use super::load::{Loaded, load};
use super::run::report_outcome;
use super::{ExitStatus, eprint_text};
use crate::modules::source::STDIN_NAME;
use crate::runtime::eval::{Pause, Progress, SystemClock};
use crate::runtime::executor::LocalExecutor;
use crate::runtime::rundir::{RunDir, RunInfo};
use crate::runtime::{ResumeRequest, RunOutcome, resume};
use clap::Args;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The run's id (or a unique prefix of it).
    #[arg(value_name = "RUN_ID")]
    run_id: String,
    /// Run changed steps again (and every step recorded after the first
    /// one) instead of refusing to resume.
    #[arg(long)]
    force: bool,
    /// Add to every budget's cap: `tokens=N` or `usd=X` (repeatable).
    #[arg(long = "raise-budget", value_name = "tokens=N|usd=X", value_parser = raise)]
    raises: Vec<(u64, f64)>,
    /// The workflow file, if not the one the run recorded.
    #[arg(long, value_name = "FILE")]
    file: Option<PathBuf>,
    /// The workspace the run belongs to (default: the current directory).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
    /// Most processes running at once across the whole run.
    #[arg(long, value_name = "N", default_value_t = 8)]
    jobs: usize,
    /// No progress on stderr.
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn raise(s: &str) -> Result<(u64, f64), String> {
    let bad = || format!("expected tokens=N or usd=X (above 0), found `{s}`");
    match s.split_once('=') {
        Some(("tokens", n)) => match n.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok((n, 0.0)),
            _ => Err(bad()),
        },
        Some(("usd", x)) => match x.trim().parse::<f64>() {
            Ok(x) if x > 0.0 && x.is_finite() => Ok((0, x)),
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

/// A run of the workspace with its `run.json` and its workflow loaded.
pub(super) struct OpenRun {
    pub dir: RunDir,
    pub info: RunInfo,
    pub loaded: Loaded,
}

/// Opens run `id` of `workspace` and loads its workflow (`file` if given).
pub(super) fn open_run(
    workspace: Option<&Path>,
    id: &str,
    file: Option<&Path>,
) -> Result<OpenRun, ExitStatus> {
    let fail = |message: String| {
        eprint_text(&format!("wfl: {message}\n"));
        ExitStatus::Usage
    };
    let workspace = workspace.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = RunDir::open(&workspace, id).map_err(|e| fail(e.to_string()))?;
    let info = dir
        .read_info()
        .map_err(|e| fail(format!("cannot read run {}: {e}", dir.id)))?;
    let path = match file {
        Some(f) => f.to_path_buf(),
        None if info.file == STDIN_NAME => {
            return Err(fail(format!(
                "run {} read its workflow from stdin; name the file with --file",
                dir.id
            )));
        }
        None => match &info.cwd {
            Some(cwd) => cwd.join(&info.file),
            None => PathBuf::from(&info.file),
        },
    };
    let loaded = load(&path)?;
    Ok(OpenRun { dir, info, loaded })
}

pub fn run(args: ResumeArgs) -> ExitStatus {
    let open = match open_run(
        args.workspace.as_deref(),
        &args.run_id,
        args.file.as_deref(),
    ) {
        Ok(open) => open,
        Err(status) => return status,
    };
    let request = ResumeRequest {
        rundir: open.dir,
        program: open.loaded.program.clone(),
        source_hash: open.loaded.source_hash.clone(),
        force: args.force,
        raise_tokens: args.raises.iter().map(|r| r.0).sum(),
        raise_usd: args.raises.iter().map(|r| r.1).sum(),
        jobs: args.jobs,
        progress: progress(args.quiet),
        executor: Arc::new(LocalExecutor),
        clock: Arc::new(SystemClock),
    };
    let session = Session {
        workspace: &open.info.workspace,
        loaded: &open.loaded,
        jobs: args.jobs,
        quiet: args.quiet,
    };
    let runtime = match tokio_runtime() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let result = runtime.block_on(resume(request));
    conclude(&runtime, result, &session, args.workspace.as_deref())
}

/// A multi-threaded tokio runtime for one command, or why not (usage).
pub(super) fn tokio_runtime() -> Result<tokio::runtime::Runtime, ExitStatus> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprint_text(&format!("wfl: cannot start the runtime: {e}\n"));
            ExitStatus::Usage
        })
}

/// How `wfl run` and `wfl resume` end: a problem before the run started
/// is a usage error; a paused run's questions are asked on a terminal
/// (resuming as answered), then the outcome is reported.
pub(super) fn conclude(
    runtime: &tokio::runtime::Runtime,
    result: Result<RunOutcome, String>,
    session: &Session,
    workspace: Option<&Path>,
) -> ExitStatus {
    match result {
        Err(message) => {
            eprint_text(&format!("wfl: {message}\n"));
            ExitStatus::Usage
        }
        Ok(outcome) => {
            let outcome = ask_and_resume(runtime, outcome, session);
            report_outcome(&outcome, workspace)
        }
    }
}

/// Live progress on stderr when it is a terminal and not `--quiet`.
pub(super) fn progress(quiet: bool) -> Progress {
    if !quiet && std::io::stderr().is_terminal() {
        Progress::new(true)
    } else {
        Progress::silent()
    }
}

/// What asking directly and resuming needs of the command that ran.
pub(super) struct Session<'a> {
    /// The run's workspace (absolute).
    pub workspace: &'a Path,
    pub loaded: &'a Loaded,
    pub jobs: usize,
    pub quiet: bool,
}

/// On a terminal (stdin and stderr), a run paused only for questions has
/// them asked directly, and resumes once any was answered — again and
/// again while it pauses with new questions. Otherwise, or when nothing
/// was answered, the outcome is returned as it is.
pub(super) fn ask_and_resume(
    runtime: &tokio::runtime::Runtime,
    mut outcome: RunOutcome,
    s: &Session,
) -> RunOutcome {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return outcome;
    }
    loop {
        let RunOutcome::Paused { run_id, pauses } = &outcome else {
            return outcome;
        };
        if pauses.iter().any(|p| matches!(p, Pause::Budget { .. })) {
            return outcome;
        }
        let Ok(dir) = RunDir::open(s.workspace, run_id) else {
            return outcome;
        };
        let tables = &s.loaded.program.tables;
        let mut input = std::io::stdin().lock();
        let mut err = std::io::stderr().lock();
        let answered = ask_directly(&dir, tables, s.workspace, pauses, &mut input, &mut err);
        drop((input, err));
        if answered == 0 {
            return outcome;
        }
        let request = ResumeRequest {
            rundir: dir,
            program: s.loaded.program.clone(),
            source_hash: s.loaded.source_hash.clone(),
            force: false,
            raise_tokens: 0,
            raise_usd: 0.0,
            jobs: s.jobs,
            progress: progress(s.quiet),
            executor: Arc::new(LocalExecutor),
            clock: Arc::new(SystemClock),
        };
        match runtime.block_on(resume(request)) {
            Ok(next) => outcome = next,
            Err(message) => {
                eprint_text(&format!("wfl: {message}\n"));
                return outcome;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raises_parse_and_refuse_nonsense() {
        assert_eq!(raise("tokens=500"), Ok((500, 0.0)));
        assert_eq!(raise("usd=2.5"), Ok((0, 2.5)));
        for bad in ["tokens=0", "usd=-1", "usd=NaN", "coins=3", "tokens"] {
            assert!(raise(bad).is_err(), "{bad}");
        }
    }
}
