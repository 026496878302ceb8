//! The local executor: spawns each process with tokio in a process group of
//! its own, streams stdout and stderr to their log files while capturing
//! them, and on timeout kills the whole group so no grandchild survives.
//! After the leader exits the group is killed too, so a step never leaves
//! background processes behind to hold its pipes open.

use super::{Executor, MAX_CAPTURE, ProcessEnd, ProcessOutcome, ProcessSpec, STDERR_TAIL};
use async_trait::async_trait;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

#[derive(Debug, Default, Clone)]
pub struct LocalExecutor;

#[async_trait]
impl Executor for LocalExecutor {
    async fn run(&self, spec: ProcessSpec) -> ProcessOutcome {
        let started = Instant::now();
        let spawn_failed = |message: String| ProcessOutcome {
            end: ProcessEnd::SpawnFailed(message),
            stdout: Vec::new(),
            stderr_tail: String::new(),
            duration: started.elapsed(),
        };
        let Some((program, args)) = spec.argv.split_first() else {
            return spawn_failed("empty argv".into());
        };
        let (stdout_log, stderr_log) = match open_logs(&spec).await {
            Ok(logs) => logs,
            Err(e) => return spawn_failed(format!("cannot open log files: {e}")),
        };
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&spec.cwd)
            .envs(spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(if spec.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) => return spawn_failed(format!("cannot start `{program}`: {e}")),
        };
        let pgid = child.id().map(|id| Pid::from_raw(id as i32));
        if let (Some(input), Some(mut stdin)) = (spec.stdin, child.stdin.take()) {
            // A process that exits without reading its stdin is not an error.
            tokio::spawn(async move {
                let _ = stdin.write_all(&input).await;
                let _ = stdin.shutdown().await;
            });
        }
        let stdout = child
            .stdout
            .take()
            .map(|out| tokio::spawn(pump(out, stdout_log, MAX_CAPTURE, false)));
        let stderr = child
            .stderr
            .take()
            .map(|err| tokio::spawn(pump(err, stderr_log, STDERR_TAIL, true)));

        let waited = match spec.timeout {
            Some(limit) => tokio::time::timeout(limit, child.wait()).await.ok(),
            None => Some(child.wait().await),
        };
        // Whatever happened, nothing of the step's process group survives it.
        if let Some(pgid) = pgid {
            let _ = killpg(pgid, Signal::SIGKILL);
        }
        let end = match waited {
            None => {
                let _ = child.wait().await;
                ProcessEnd::TimedOut
            }
            Some(Err(e)) => ProcessEnd::SpawnFailed(format!("lost track of the process: {e}")),
            Some(Ok(status)) => match (status.code(), status.signal()) {
                (Some(code), _) => ProcessEnd::Exited(code),
                (None, Some(sig)) => ProcessEnd::Signaled(sig),
                (None, None) => ProcessEnd::Signaled(0),
            },
        };
        let stdout = match stdout {
            Some(task) => task.await.unwrap_or_default(),
            None => Vec::new(),
        };
        let stderr = match stderr {
            Some(task) => task.await.unwrap_or_default(),
            None => Vec::new(),
        };
        ProcessOutcome {
            end,
            stdout,
            stderr_tail: String::from_utf8_lossy(&stderr).into_owned(),
            duration: started.elapsed(),
        }
    }
}

async fn open_logs(spec: &ProcessSpec) -> std::io::Result<(tokio::fs::File, tokio::fs::File)> {
    for log in [&spec.stdout_log, &spec.stderr_log] {
        if let Some(dir) = log.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
    }
    Ok((
        tokio::fs::File::create(&spec.stdout_log).await?,
        tokio::fs::File::create(&spec.stderr_log).await?,
    ))
}

/// Copies a pipe to its log file, keeping at most `keep` bytes in memory:
/// the head when `tail` is false, the last bytes when it is true.
async fn pump(
    mut pipe: impl AsyncRead + Unpin,
    mut log: tokio::fs::File,
    keep: usize,
    tail: bool,
) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match pipe.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // A full disk must not kill the step; the capture still has the data.
        let _ = log.write_all(&buf[..n]).await;
        if tail {
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > keep {
                kept.drain(..kept.len() - keep);
            }
        } else if kept.len() < keep {
            let room = keep - kept.len();
            kept.extend_from_slice(&buf[..n.min(room)]);
        }
    }
    let _ = log.flush().await;
    kept
}
