//! One process at a time per run: `wfl run`, `wfl resume` and `wfl answer`
//! hold an exclusive advisory lock (`flock`) on `<run dir>/lock` while they
//! write the run's journal. The operating system drops the lock when the
//! holder exits in any way, `kill -9` included, so a crashed run never
//! leaves a stale lock behind. The file holds the holder's process id, for
//! the message another process shows.

use super::rundir::RunDir;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::time::{Duration, Instant};

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

#[cfg(test)]
mod tests {
    use super::*;

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
