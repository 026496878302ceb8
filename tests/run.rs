//! `wfl run` end to end: real processes in temporary workspaces, every
//! control form, provider replies that do not fit their type, failing and
//! timed-out commands, and what the run leaves on disk (journal, report).

#![allow(clippy::unwrap_used)]

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Ws {
    dir: tempfile::TempDir,
}

impl Ws {
    fn new() -> Ws {
        Ws {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        p
    }

    fn wfl(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_wfl"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap()
    }

    /// Runs `src` (written as w.wfl) with extra args; returns the output.
    fn run(&self, src: &str, args: &[&str]) -> Output {
        self.write("w.wfl", src);
        let mut all = vec!["run", "w.wfl"];
        all.extend_from_slice(args);
        self.wfl(&all)
    }

    fn last_run(&self) -> PathBuf {
        let runs = self.path().join(".wfl/runs");
        let mut ids: Vec<_> = std::fs::read_dir(&runs)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        ids.sort();
        ids.pop().unwrap()
    }

    fn journal(&self) -> Vec<Json> {
        std::fs::read_to_string(self.last_run().join("journal.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn stdout_json(out: &Output) -> Json {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const TYPES: &str = r#"
(defrecord Report (passed Int) (failed Int))
(defunion Review (APPROVE (notes String)) (REVISE (findings (List String))))
(defprovider agent :argv ("agent") :prompt-via stdin)
(defprompt ask ((what String)) "Please review {what}.")
"#;

#[test]
fn command_results_typed_and_untyped() {
    let ws = Ws::new();
    let src = format!(
        r#"{TYPES}
(defworkflow w () -> (List Int)
  (let* ((r (command :argv ("sh" "-c" "echo noise; echo '{{\"passed\": 3, \"failed\": 1}}'") :returns Report))
         (raw (command :argv ("sh" "-c" "echo out; echo err >&2; exit 4"))))
    (list r.passed r.failed raw.exit-code (string-length raw.stdout) (string-length raw.stderr))))"#
    );
    let value = stdout_json(&ws.run(&src, &[]));
    assert_eq!(value, serde_json::json!([3, 1, 4, 4, 4]));
}

#[test]
fn result_file_wins_over_stdout() {
    let ws = Ws::new();
    let src = format!(
        r#"{TYPES}
(defworkflow w () -> Int
  (let* ((r (command :argv ("sh" "-c" "echo '{{\"passed\": 1, \"failed\": 0}}'; echo '{{\"passed\": 7, \"failed\": 0}}' > $WFL_RESULT") :returns Report)))
    r.passed))"#
    );
    assert_eq!(stdout_json(&ws.run(&src, &[])), Json::from(7));
}

#[test]
fn started_is_journaled_before_the_step_launches() {
    let ws = Ws::new();
    let src = r#"(defworkflow w () -> Int
  (let* ((probe (command :argv ("sh" "-c" "grep -q '\"step\":\"w/probe\"' $WFL_RUN_DIR/journal.jsonl"))))
    probe.exit-code))"#;
    assert_eq!(stdout_json(&ws.run(src, &[])), Json::from(0));
    let kinds: Vec<String> = ws
        .journal()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "run_started",
            "step_started",
            "step_finished",
            "run_finished"
        ]
    );
}

#[test]
fn a_failing_command_fails_the_run_and_is_reported() {
    let ws = Ws::new();
    let src = format!(
        r#"{TYPES}
(defworkflow w () -> Report
  (command :argv ("sh" "-c" "echo broken >&2; exit 3") :returns Report :name tests))"#
    );
    let out = ws.run(&src, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("failed at w/tests: EXIT: `sh` exited with code 3"),
        "{err}"
    );
    assert!(err.contains("broken"), "{err}");
    let failed = ws
        .journal()
        .into_iter()
        .find(|e| e["event"] == "step_failed")
        .unwrap();
    assert_eq!(failed["exit_code"], 3);
    assert_eq!(failed["error"]["kind"], "EXIT");
    let run_id = ws
        .last_run()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let report = ws.wfl(&["report", &run_id, "--format", "json"]);
    let report: Json = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["run"]["status"], "failed");
    assert_eq!(report["steps"][0]["status"], "failed");
    assert_eq!(report["steps"][0]["exit_code"], 3);
}

#[test]
fn timeout_kills_the_step_and_its_children() {
    let ws = Ws::new();
    let src = r#"(defworkflow w () -> Int
  (let* ((slow (command :argv ("sh" "-c" "sleep 300 & echo $! > child.pid; wait") :timeout 1)))
    slow.exit-code))"#;
    let started = std::time::Instant::now();
    let out = ws.run(src, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(started.elapsed().as_secs() < 30);
    assert!(stderr(&out).contains("TIMEOUT"), "{}", stderr(&out));
    let pid = std::fs::read_to_string(ws.path().join("child.pid")).unwrap();
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", pid.trim())).unwrap_or_default();
    assert!(
        status.is_empty() || status.contains("State:\tZ"),
        "child {pid} survived"
    );
}

fn provider_run(ws: &Ws, answers: &str) -> Output {
    ws.write("answers.json", answers);
    let src = format!(
        r#"{TYPES}
(defworkflow w () -> String
  (let* ((r (provider agent :prompt (ask :what "the plan") :returns Review)))
    (match r ((APPROVE a) a.notes) ((REVISE v) (join "," v.findings)))))"#
    );
    ws.run(&src, &["--replay", "answers.json"])
}

#[test]
fn replayed_provider_answers_are_validated() {
    let ws = Ws::new();
    let ok = provider_run(
        &ws,
        r#"{"w/r": {"reply": {"variant": "REVISE", "findings": ["a", "b"]}}}"#,
    );
    assert_eq!(stdout_json(&ok), Json::from("a,b"));
    let prompt = std::fs::read_to_string(ws.last_run().join("logs/w.r.prompt.txt")).unwrap();
    assert!(prompt.starts_with("Please review the plan."), "{prompt}");
    assert!(
        prompt.contains("APPROVE") && prompt.contains("REVISE"),
        "the output contract is appended: {prompt}"
    );

    let missing = provider_run(&ws, r#"{"w/r": {"reply": {"variant": "APPROVE"}}}"#);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("INVALID_OUTPUT"),
        "{}",
        stderr(&missing)
    );
    assert!(stderr(&missing).contains("$.notes"), "{}", stderr(&missing));

    let wrong = provider_run(
        &ws,
        r#"{"w/r": {"reply": {"variant": "REVISE", "findings": ["a", 3]}}}"#,
    );
    assert!(
        stderr(&wrong).contains("$.findings[1]"),
        "{}",
        stderr(&wrong)
    );

    let not_json = provider_run(&ws, r#"{"w/r": {"stdout": "I approve wholeheartedly!"}}"#);
    assert_eq!(not_json.status.code(), Some(1));
    assert!(
        stderr(&not_json).contains("without a JSON result"),
        "{}",
        stderr(&not_json)
    );

    let unknown = provider_run(
        &ws,
        r#"{"w/r": {"reply": {"variant": "APPROVE", "notes": "x", "extra": 1}}}"#,
    );
    assert!(stderr(&unknown).contains("extra"), "{}", stderr(&unknown));
}

#[test]
fn a_real_provider_process_gets_the_prompt_and_replies() {
    let ws = Ws::new();
    // A fake agent: reads the prompt on stdin, logs, then answers through
    // the result file and reports its usage.
    ws.write(
        "agent.sh",
        "#!/bin/sh\ncat > prompt.seen\necho 'thinking...'\necho '{\"variant\": \"APPROVE\", \"notes\": \"lgtm\"}' > \"$WFL_RESULT\"\necho '{\"input_tokens\": 12, \"output_tokens\": 3, \"usd\": 0.5}' > \"$WFL_USAGE\"\n",
    );
    let src = format!(
        r#"{TYPES}
(defworkflow w () -> String
  (let* ((r (provider agent :prompt (ask :what "it") :returns Review)))
    (match r ((APPROVE a) a.notes) ((REVISE v) "no"))))"#
    );
    let out = ws.run(&src, &["--provider", "agent=command:sh agent.sh"]);
    assert_eq!(stdout_json(&out), Json::from("lgtm"));
    let seen = std::fs::read_to_string(ws.path().join("prompt.seen")).unwrap();
    assert!(seen.starts_with("Please review it."));
    let finished = ws
        .journal()
        .into_iter()
        .find(|e| e["event"] == "step_finished")
        .unwrap();
    assert_eq!(finished["usage"]["input_tokens"], 12);
}

#[test]
fn loops_recur_and_exhaust() {
    let ws = Ws::new();
    let src = r#"(defworkflow w ((limit Int)) -> String
  (loop count :max 3 ((i 1) (seen ""))
    (let* ((echo (command :argv ("echo" (str i)))))
      (if (< i limit) (recur (+ i 1) (concat seen (trim echo.stdout))) (fmt "done {seen}")))
    :exhausted (fmt "spent {seen}")))"#;
    assert_eq!(
        stdout_json(&ws.run(src, &["--input", "limit=2"])),
        Json::from("done 1")
    );
    assert_eq!(
        stdout_json(&ws.run(src, &["--input", "limit=9"])),
        Json::from("spent 123")
    );
    let steps: Vec<String> = ws
        .journal()
        .iter()
        .filter(|e| e["event"] == "step_started")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        steps,
        ["w/count[1]/echo", "w/count[2]/echo", "w/count[3]/echo"]
    );
}

#[test]
fn for_each_keeps_input_order_and_first_failure_wins() {
    let ws = Ws::new();
    let src = r#"(defworkflow w ((xs (List Int))) -> (List String)
  (for-each each (x xs) :limit 3
    (let* ((out (command :argv ("sh" "-c" (fmt "sleep 0.$((5 - {x})); test {x} -lt 9 && echo {x}")))))
      (if (= out.exit-code 0) (trim out.stdout) (fail (fmt "element {x} failed"))))))"#;
    let value = stdout_json(&ws.run(src, &["--input", "xs=[1,2,3,4]"]));
    assert_eq!(value, serde_json::json!(["1", "2", "3", "4"]));
    let out = ws.run(src, &["--input", "xs=[1,9,2,9]"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("element 9 failed"),
        "{}",
        stderr(&out)
    );
    // Every sibling still ran and was journaled.
    let finished = ws
        .journal()
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .count();
    assert_eq!(finished, 4);
}

#[test]
fn parallel_branches_and_calls_with_defaults() {
    let ws = Ws::new();
    let src = r#"
(defworkflow shout ((text String) (suffix String :default "!")) -> String
  (let* ((e (command :argv ("echo" text))))
    (concat (upper (trim e.stdout)) suffix)))
(defworkflow w () -> String
  (parallel ((a (call shout :text "left"))
             (b (call shout :text "right" :suffix "?")))
    (concat a " " b)))"#;
    assert_eq!(
        stdout_json(&ws.run(src, &["--entry", "w"])),
        Json::from("LEFT! RIGHT?")
    );
    let steps: Vec<String> = ws
        .journal()
        .iter()
        .filter(|e| e["event"] == "step_started")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect();
    assert!(
        steps.contains(&"w/a".to_string()) && steps.contains(&"w/a/e".to_string()),
        "{steps:?}"
    );
}

#[test]
fn retry_sees_earlier_failures_and_try_catches_the_last() {
    let ws = Ws::new();
    let src = r#"(defworkflow w ((ok-at Int)) -> String
  (try
    (retry impl :attempts 3
      (let* ((run (command :argv ("sh" "-c" (fmt "echo attempt {attempt} >&2; test {attempt} -ge {ok-at} && echo 1")) :returns Int))
             (n (length failures))
             (msgs (join "; " (map error-message failures))))
        (fmt "ok at {attempt} after {n}: {msgs}")))
    (catch e (fmt "gave up: {e.kind} at {e.step} attempt {e.attempt}"))))
(defn error-message ((e Error)) -> String e.stderr)"#;
    let ok = stdout_json(&ws.run(src, &["--input", "ok-at=3"]));
    assert_eq!(ok, Json::from("ok at 3 after 2: attempt 1\n; attempt 2\n"));
    let gave_up = stdout_json(&ws.run(src, &["--input", "ok-at=5"]));
    assert_eq!(
        gave_up,
        Json::from("gave up: EXIT at w/impl[3]/run attempt 3")
    );
}

#[test]
fn fail_assert_and_phases() {
    let ws = Ws::new();
    let src = r#"(defworkflow w ((n Int)) -> Int
  (phase check
    (assert (> n 0) (fmt "n must be positive, got {n}"))
    (if (> n 10) (fail "too big") (* n 2))))"#;
    assert_eq!(
        stdout_json(&ws.run(src, &["--input", "n=4"])),
        Json::from(8)
    );
    let events: Vec<String> = ws
        .journal()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect();
    assert!(
        events.contains(&"phase_started".to_string())
            && events.contains(&"phase_finished".to_string())
    );
    let out = ws.run(src, &["--input", "n=-1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("ASSERT: n must be positive, got -1"),
        "{}",
        stderr(&out)
    );
    let out = ws.run(src, &["--input", "n=11"]);
    assert!(stderr(&out).contains("FAIL: too big"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let ws = Ws::new();
    let src = r#"(defworkflow w ((n Int)) -> Int n)"#;
    assert_eq!(ws.run(src, &[]).status.code(), Some(2), "missing input");
    assert_eq!(
        ws.run(src, &["--input", "n=abc"]).status.code(),
        Some(2),
        "not an Int"
    );
    assert_eq!(
        ws.run(src, &["--input", "m=1"]).status.code(),
        Some(2),
        "unknown input"
    );
    assert_eq!(
        ws.run("(defworkflow w () -> Int \"x\")", &[]).status.code(),
        Some(2),
        "compile error"
    );
    let out = ws.run(src, &["--input", "n=1", "--provider", "nope=replay:x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no provider `nope`"));
}
