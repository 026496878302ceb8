//! Shared by the resume and human-in-the-loop tests: a temporary workspace
//! that runs the real `wfl` binary, reads run journals, waits for journal
//! events while a run goes on, and counts the side effects commands leave.

#![allow(dead_code)]

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Ws {
    dir: tempfile::TempDir,
}

impl Ws {
    pub fn new() -> Ws {
        Ws {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap_or_default()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_wfl"));
        c.args(args).current_dir(self.path());
        c
    }

    pub fn wfl(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Starts `wfl` in the background, its output discarded.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// The id of the workspace's only (or newest) run.
    pub fn run_id(&self) -> String {
        let mut ids: Vec<String> = std::fs::read_dir(self.path().join(".wfl/runs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        ids.sort();
        ids.pop().unwrap()
    }

    pub fn journal_path(&self, run: &str) -> PathBuf {
        self.path()
            .join(".wfl/runs")
            .join(run)
            .join("journal.jsonl")
    }

    /// The whole records of a journal (a torn last line left out).
    pub fn journal(&self, run: &str) -> Vec<Json> {
        std::fs::read_to_string(self.journal_path(run))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    pub fn run_json(&self, run: &str) -> Json {
        let text =
            std::fs::read_to_string(self.path().join(".wfl/runs").join(run).join("run.json"))
                .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Steps whose last `step_started` has a `step_finished` after it, and
    /// steps in doubt (started, not finished or failed).
    pub fn step_states(&self, run: &str) -> (Vec<String>, Vec<String>) {
        let mut state: BTreeMap<String, bool> = BTreeMap::new();
        for e in self.journal(run) {
            let step = e["step"].as_str().unwrap_or_default().to_string();
            match e["event"].as_str() {
                Some("step_started") => {
                    state.insert(step, false);
                }
                Some("step_finished" | "step_failed") => {
                    state.insert(step, true);
                }
                _ => {}
            }
        }
        let done = state.iter().filter(|(_, d)| **d).map(|(s, _)| s.clone());
        let doubt = state.iter().filter(|(_, d)| !**d).map(|(s, _)| s.clone());
        (done.collect(), doubt.collect())
    }

    /// Waits until the newest run's journal holds `n` events named `event`.
    pub fn wait_for(&self, event: &str, n: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(entries) = std::fs::read_dir(self.path().join(".wfl/runs"))
                && entries.count() > 0
            {
                let run = self.run_id();
                let seen = self
                    .journal(&run)
                    .iter()
                    .filter(|e| e["event"] == event)
                    .count();
                if seen >= n {
                    return run;
                }
            }
            assert!(Instant::now() < deadline, "no {n} `{event}` events in 60s");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// How many lines of `file` hold each text.
    pub fn counts(&self, file: &str) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for line in self.read(file).lines() {
            *out.entry(line.trim().to_string()).or_insert(0) += 1;
        }
        out
    }
}

/// SIGKILL, and reap, so the process is gone for good.
pub fn kill9(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// The JSON on stdout of a run that succeeded.
pub fn value(out: &Output) -> Json {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
