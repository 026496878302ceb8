//! The `Executor` seam: the evaluator hands a fully resolved process spec to
//! an executor and gets its outcome back. The evaluator never spawns
//! processes itself, so a remote or containerised executor plugs in here
//! without touching evaluation. `LocalExecutor` is the in-box one.

mod local;

pub use local::LocalExecutor;

use async_trait::async_trait;
use std::path::PathBuf;
use std::time::Duration;

/// Everything needed to run one process, already resolved: no names, no
/// templates, no types.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessSpec {
    /// The step id, for logs and error messages.
    pub step: String,
    /// Program and arguments; never passed through a shell here (a `:shell`
    /// step arrives as `sh -c …`).
    pub argv: Vec<String>,
    /// Working directory: the run's workspace.
    pub cwd: PathBuf,
    /// Extra environment variables, on top of the inherited environment.
    pub env: Vec<(String, String)>,
    /// Bytes written to stdin, which is then closed; `None` gives /dev/null.
    pub stdin: Option<Vec<u8>>,
    pub timeout: Option<Duration>,
    /// Where stdout and stderr are streamed, as they arrive.
    pub stdout_log: PathBuf,
    pub stderr_log: PathBuf,
}

/// How a process ended.
#[derive(Debug, Clone, PartialEq)]
pub enum ProcessEnd {
    /// Exited with this code.
    Exited(i32),
    /// Killed by this signal (not by us).
    Signaled(i32),
    /// Ran past its timeout; its whole process group was killed.
    TimedOut,
    /// Could not be started at all.
    SpawnFailed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProcessOutcome {
    pub end: ProcessEnd,
    /// Captured stdout (also in the log), up to `MAX_CAPTURE` bytes.
    pub stdout: Vec<u8>,
    /// The last `STDERR_TAIL` bytes of stderr, for error messages.
    pub stderr_tail: String,
    pub duration: Duration,
}

/// Most stdout bytes kept in memory; the log file has everything.
pub const MAX_CAPTURE: usize = 64 * 1024 * 1024;
/// Bytes of stderr carried in a step's error.
pub const STDERR_TAIL: usize = 4096;

impl ProcessOutcome {
    pub fn success(&self) -> bool {
        self.end == ProcessEnd::Exited(0)
    }
}

#[async_trait]
pub trait Executor: Send + Sync {
    /// Runs one process to its end. Never panics; every failure to run is a
    /// `ProcessEnd` value.
    async fn run(&self, spec: ProcessSpec) -> ProcessOutcome;
}
