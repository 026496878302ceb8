//! The local executor against real processes: output capture and logs,
//! exit codes, stdin, spawn failures, and a timeout that leaves no process
//! of the step's group behind.

use std::time::Duration;
use wfl::runtime::executor::{Executor, LocalExecutor, ProcessEnd, ProcessSpec};

fn spec(dir: &std::path::Path, argv: &[&str]) -> ProcessSpec {
    ProcessSpec {
        step: "test/step".into(),
        argv: argv.iter().map(|s| s.to_string()).collect(),
        cwd: dir.to_path_buf(),
        env: vec![("WFL_TEST_VAR".into(), "hello".into())],
        stdin: None,
        timeout: Some(Duration::from_secs(20)),
        stdout_log: dir.join("logs/step.stdout"),
        stderr_log: dir.join("logs/step.stderr"),
    }
}

#[tokio::test]
async fn captures_output_env_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let script = "echo out $WFL_TEST_VAR; echo err >&2; pwd; exit 3";
    let out = LocalExecutor
        .run(spec(dir.path(), &["sh", "-c", script]))
        .await;
    assert_eq!(out.end, ProcessEnd::Exited(3));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("out hello\n"), "{stdout}");
    assert!(stdout.contains(dir.path().file_name().unwrap().to_str().unwrap()));
    assert_eq!(out.stderr_tail, "err\n");
    let log = std::fs::read_to_string(dir.path().join("logs/step.stdout")).unwrap();
    assert_eq!(log, stdout);
}

#[tokio::test]
async fn feeds_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = spec(dir.path(), &["cat"]);
    s.stdin = Some(b"prompt text".to_vec());
    let out = LocalExecutor.run(s).await;
    assert!(out.success());
    assert_eq!(out.stdout, b"prompt text");
}

#[tokio::test]
async fn reports_a_program_that_cannot_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = LocalExecutor
        .run(spec(dir.path(), &["/nonexistent/wfl-no-such-program"]))
        .await;
    assert!(matches!(out.end, ProcessEnd::SpawnFailed(ref m) if m.contains("cannot start")));
}

#[tokio::test]
async fn timeout_kills_the_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("grandchild.pid");
    // The step starts a grandchild in the background that would outlive it.
    let script = format!("sleep 300 & echo $! > {}; wait", pid_file.display());
    let mut s = spec(dir.path(), &["sh", "-c", &script]);
    s.timeout = Some(Duration::from_millis(300));
    let out = LocalExecutor.run(s).await;
    assert_eq!(out.end, ProcessEnd::TimedOut);
    assert!(out.duration < Duration::from_secs(10));
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // Give the kernel a moment to reap; then the grandchild must be gone.
    let mut alive = true;
    for _ in 0..50 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        alive = !status.is_empty() && !status.contains("State:\tZ");
        if !alive {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!alive, "grandchild {pid} survived the timeout");
}

#[tokio::test]
async fn background_children_do_not_hold_the_step_open() {
    let dir = tempfile::tempdir().unwrap();
    let out = LocalExecutor
        .run(spec(dir.path(), &["sh", "-c", "sleep 300 & echo done"]))
        .await;
    assert!(out.success());
    assert!(out.duration < Duration::from_secs(10));
}
