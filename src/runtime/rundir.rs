//! The run directory `.wfl/runs/<run_id>/`: `run.json` (what was run and
//! its status), `journal.jsonl` (the append-only event log), `logs/`
//! (`<step>.stdout`, `.stderr`, `.prompt.txt`), `results/` (the files
//! steps write their result and usage to) and `lock` (held while a process
//! writes the journal). `run.json` is small and is
//! rewritten only when the run's status changes (start, pause, end), never
//! per step; it is written to a temporary file and renamed, so a crash
//! leaves either the old or the new version.
//!
//! One process at a time writes a run: `wfl run`, `wfl resume` and `wfl
//! answer` hold an exclusive advisory lock (`flock`) on `lock` meanwhile.
//! The operating system drops it when its holder exits in any way, `kill
//! -9` included, so a crashed run never leaves a stale lock behind. The
//! file holds the holder's process id, for the message another process
//! shows.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Version of the run directory layout and journal format.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    /// Waiting for a human answer or a raised budget.
    Paused,
    Succeeded,
    Failed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Paused => "paused",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    pub format_version: u32,
    pub run_id: String,
    /// The workflow file as given, and the entry workflow.
    pub file: String,
    pub workflow: String,
    /// Hex SHA-256 of the source text.
    pub source_hash: String,
    pub inputs: Json,
    /// `--provider NAME=SPEC` overrides in effect.
    #[serde(default)]
    pub providers: Vec<(String, String)>,
    pub status: RunStatus,
    pub started_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_ms: Option<u64>,
    /// The workspace the steps ran in (absolute).
    pub workspace: PathBuf,
    /// The directory `wfl run` ran in: `file` and relative `replay:` files
    /// resolve against it on resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<PathBuf>,
}

/// Handle on one run's directory.
#[derive(Debug, Clone)]
pub struct RunDir {
    pub id: String,
    pub path: PathBuf,
}

impl RunDir {
    /// `<workspace>/.wfl/runs`
    pub fn root(workspace: &Path) -> PathBuf {
        workspace.join(".wfl").join("runs")
    }

    /// Creates a fresh run directory; the id is made unique if two runs
    /// start in the same millisecond.
    pub fn create(workspace: &Path, base_id: &str) -> io::Result<RunDir> {
        let root = Self::root(workspace);
        std::fs::create_dir_all(&root)?;
        for n in 0u32.. {
            let id = if n == 0 {
                base_id.to_string()
            } else {
                format!("{base_id}-{n}")
            };
            let path = root.join(&id);
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    std::fs::create_dir(path.join("logs"))?;
                    return Ok(RunDir { id, path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("no free run id"))
    }

    /// Opens an existing run by id (or a unique prefix of one).
    pub fn open(workspace: &Path, id: &str) -> io::Result<RunDir> {
        let root = Self::root(workspace);
        let exact = root.join(id);
        if !id.is_empty() && !id.contains(['/', '\\']) && exact.join("run.json").is_file() {
            return Ok(RunDir {
                id: id.to_string(),
                path: exact,
            });
        }
        let matches: Vec<String> = list_ids(workspace)?
            .into_iter()
            .filter(|r| r.starts_with(id) && !id.is_empty())
            .collect();
        match matches.as_slice() {
            [one] => Ok(RunDir {
                id: one.clone(),
                path: root.join(one),
            }),
            [] => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no run `{id}` in {}", root.display()),
            )),
            many => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("`{id}` names {} runs: {}", many.len(), many.join(", ")),
            )),
        }
    }

    pub fn run_json(&self) -> PathBuf {
        self.path.join("run.json")
    }

    pub fn journal(&self) -> PathBuf {
        self.path.join("journal.jsonl")
    }

    pub fn logs(&self) -> PathBuf {
        self.path.join("logs")
    }

    /// `logs/<step>.<ext>` with the step id made file-name safe.
    pub fn log_file(&self, step: &str, ext: &str) -> PathBuf {
        self.logs().join(format!("{}.{ext}", log_name(step)))
    }

    pub fn read_info(&self) -> io::Result<RunInfo> {
        let text = std::fs::read_to_string(self.run_json())?;
        serde_json::from_str(&text).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", self.run_json().display()),
            )
        })
    }

    /// Replaces run.json atomically (write to a temporary file, rename).
    pub fn write_info(&self, info: &RunInfo) -> io::Result<()> {
        let tmp = self.path.join("run.json.tmp");
        let text = serde_json::to_string_pretty(info).map_err(io::Error::other)?;
        std::fs::write(&tmp, text + "\n")?;
        std::fs::rename(&tmp, self.run_json())
    }
}

/// The held lock of a run; released when dropped.
#[derive(Debug)]
pub struct RunLock {
    file: File,
}

impl RunLock {
    /// Takes the run's lock, or says which process holds it.
    pub fn acquire(dir: &RunDir) -> Result<RunLock, String> {
        Self::acquire_within(dir, Duration::ZERO)
    }

    /// Takes the run's lock, waiting up to `wait` for another holder.
    pub fn acquire_within(dir: &RunDir, wait: Duration) -> Result<RunLock, String> {
        let path = dir.path.join("lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim();
                    return Err(format!(
                        "run {} is in use by another wfl process{}",
                        dir.id,
                        if holder.is_empty() {
                            String::new()
                        } else {
                            format!(" (pid {holder})")
                        }
                    ));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(format!("cannot lock {}: {e}", path.display()));
                }
            }
        }
        // Only the holder writes its pid; a failure here is cosmetic.
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(RunLock { file })
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Step ids contain `/` and `[n]`; log files flatten them: `stack.review-fix.2.review`.
pub fn log_name(step: &str) -> String {
    let mut out = String::with_capacity(step.len());
    for c in step.chars() {
        match c {
            '/' | '[' => out.push('.'),
            ']' => {}
            c if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') => out.push(c),
            _ => out.push('_'),
        }
    }
    out
}

/// Run ids in the workspace, oldest first (ids sort by start time).
pub fn list_ids(workspace: &Path) -> io::Result<Vec<String>> {
    let root = RunDir::root(workspace);
    let entries = match std::fs::read_dir(&root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut ids: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("run.json").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    ids.sort();
    Ok(ids)
}

/// A run id from a timestamp: `20261121-123945-123` (UTC, milliseconds).
pub fn run_id_at(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}-{:03}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// A readable UTC timestamp: `2026-11-21 12:39:45 UTC`.
pub fn utc_text(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_are_sortable_timestamps() {
        assert_eq!(run_id_at(0), "19700101-000000-000");
        assert_eq!(run_id_at(1_795_264_785_123), "20261121-123945-123");
        assert_eq!(utc_text(1_795_264_785_123), "2026-11-21 12:39:45 UTC");
    }

    #[test]
    fn log_names_flatten_step_ids() {
        assert_eq!(
            log_name("stack/review-fix[2]/review"),
            "stack.review-fix.2.review"
        );
    }

    #[test]
    fn create_open_and_list() {
        let ws = tempfile::tempdir().unwrap();
        let a = RunDir::create(ws.path(), "20261121-000000-000").unwrap();
        let b = RunDir::create(ws.path(), "20261121-000000-000").unwrap();
        assert_eq!(b.id, "20261121-000000-000-1");
        let info = RunInfo {
            format_version: FORMAT_VERSION,
            run_id: a.id.clone(),
            file: "w.wfl".into(),
            workflow: "w".into(),
            source_hash: "00".into(),
            inputs: serde_json::json!({}),
            providers: Vec::new(),
            status: RunStatus::Running,
            started_ms: 0,
            ended_ms: None,
            workspace: ws.path().to_path_buf(),
            cwd: None,
        };
        a.write_info(&info).unwrap();
        assert_eq!(a.read_info().unwrap(), info);
        assert_eq!(list_ids(ws.path()).unwrap(), vec![a.id.clone()]);
        assert_eq!(RunDir::open(ws.path(), "20261121").unwrap().id, a.id);
        assert!(RunDir::open(ws.path(), "nope").is_err());
    }

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let ws = tempfile::tempdir().unwrap();
        let dir = RunDir::create(ws.path(), "20260101-000000-000").unwrap();
        let held = RunLock::acquire(&dir).unwrap();
        let err = RunLock::acquire(&dir).unwrap_err();
        assert!(err.contains("in use by another wfl process"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        drop(held);
        assert!(RunLock::acquire(&dir).is_ok());
    }
}
