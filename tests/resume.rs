//! `wfl resume` end to end, with real processes in temporary workspaces:
//! a 50-step workflow killed with SIGKILL at several points and resumed
//! each time ends with the result of an uninterrupted run, every command
//! that finished having run exactly once (counted in a side-effect file);
//! a torn journal line after a crash; a step in doubt that is not
//! idempotent waits for an answer; an edited workflow refuses to resume
//! (naming the step and what changed) unless forced, and an edit that
//! touches no recorded step resumes.

#![allow(clippy::unwrap_used)]

mod resume_support;

use resume_support::{Ws, code, kill9, stderr, value};
use serde_json::{Value as Json, json};
use std::collections::BTreeSet;
use std::io::Write;

/// 50 commands, three at a time; each appends its index to effects.txt.
const FIFTY: &str = r#"
(defworkflow w ((n Int :default 50)) -> (List Int)
  (for-each step (i (range 0 n)) :limit 3
    (let* ((c (command :argv ("sh" "-c" (fmt "echo {i} >> effects.txt; sleep 0.08; echo $(( {i} * 2 ))"))
                       :returns Int :idempotent true)))
      c)))
"#;

fn expected_fifty() -> Json {
    Json::from((0..50).map(|i| i * 2).collect::<Vec<i64>>())
}

#[test]
fn kill_9_at_several_points_then_resume_runs_every_finished_command_once() {
    // The result of an uninterrupted run, for comparison.
    let clean = Ws::new();
    clean.write("w.wfl", FIFTY);
    assert_eq!(value(&clean.wfl(&["run", "w.wfl"])), expected_fifty());

    let ws = Ws::new();
    ws.write("w.wfl", FIFTY);
    let mut child = ws.spawn(&["run", "w.wfl"]);
    let mut in_doubt: BTreeSet<String> = BTreeSet::new();
    for point in [8, 22, 37] {
        let run = ws.wait_for("step_finished", point);
        kill9(child);
        let journal = ws.journal(&run);
        assert!(
            journal.iter().all(|e| e["event"] != "run_finished"),
            "killed at {point} steps, before the end"
        );
        let (_, doubt) = ws.step_states(&run);
        in_doubt.extend(doubt);
        child = ws.spawn(&["resume", &run]);
    }
    let run = ws.run_id();
    assert!(!in_doubt.is_empty(), "some kill cut a command short");
    // Let the last resume finish on its own.
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(
        value(&out),
        expected_fifty(),
        "a finished run resumes to its result"
    );
    assert_eq!(ws.run_json(&run)["status"], "succeeded");

    let counts = ws.counts("effects.txt");
    assert_eq!(counts.len(), 50, "{counts:?}");
    for i in 0..50 {
        let step = format!("w/step[{}]/c", i + 1);
        let n = counts.get(&i.to_string()).copied().unwrap_or(0);
        if in_doubt.contains(&step) {
            // Idempotent and in flight at a kill: it may have run twice.
            assert!((1..=2).contains(&n), "{step} ran {n} times");
        } else {
            assert_eq!(n, 1, "{step} ran {n} times (in doubt: {in_doubt:?})");
        }
    }
    let resumed = ws
        .journal(&run)
        .iter()
        .filter(|e| e["event"] == "run_resumed")
        .count();
    assert_eq!(resumed, 3);
}

#[test]
fn a_torn_journal_line_after_a_crash_is_cut_and_the_run_resumes() {
    let ws = Ws::new();
    ws.write("w.wfl", FIFTY);
    let child = ws.spawn(&["run", "w.wfl", "--input", "n=12"]);
    let run = ws.wait_for("step_finished", 4);
    kill9(child);
    let journal = ws.journal_path(&run);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    f.write_all(br#"{"seq":9999,"at_ms":1,"event":"step_fini"#)
        .unwrap();
    drop(f);
    let out = ws.wfl(&["resume", &run]);
    let expected: Vec<i64> = (0..12).map(|i| i * 2).collect();
    assert_eq!(value(&out), json!(expected));
    // Every line of the journal is whole again, and numbered in order.
    let text = std::fs::read_to_string(&journal).unwrap();
    let seqs: Vec<u64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Json>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    assert!(!text.contains("step_fini\""), "the torn line is gone");
}

#[test]
fn a_step_in_doubt_waits_for_an_answer_unless_idempotent() {
    let ws = Ws::new();
    ws.write(
        "w.wfl",
        r#"(defworkflow w () -> Int
  (let* ((slow (command :argv ("sh" "-c" "echo slow >> effects.txt; sleep 1; echo 5") :returns Int))
         (next (command :argv ("sh" "-c" "echo next >> effects.txt; echo 1") :returns Int)))
    (+ slow next)))"#,
    );
    let child = ws.spawn(&["run", "w.wfl"]);
    let run = ws.wait_for("step_started", 1);
    std::thread::sleep(std::time::Duration::from_millis(100));
    kill9(child);
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("w/slow is in doubt"), "{err}");
    assert!(
        err.contains(&format!("wfl answer {run} w/slow --value JSON")),
        "{err}"
    );
    assert!(
        err.contains(&format!("wfl answer {run} w/slow --rerun")),
        "{err}"
    );
    // Asking again adds no second question.
    assert_eq!(code(&ws.wfl(&["resume", &run])), Some(3));
    let asked = ws
        .journal(&run)
        .iter()
        .filter(|e| e["event"] == "human_asked")
        .count();
    assert_eq!(asked, 1);
    let bad = ws.wfl(&["answer", &run, "w/slow", "--value", "\"five\""]);
    assert_eq!(code(&bad), Some(2), "{}", stderr(&bad));
    let ok = ws.wfl(&["answer", &run, "w/slow", "--value", "40"]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    assert_eq!(value(&ws.wfl(&["resume", &run])), json!(41));
    let counts = ws.counts("effects.txt");
    assert_eq!(counts.get("slow"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("next"), Some(&1), "{counts:?}");
    let report = ws.wfl(&["report", &run, "--format", "json"]);
    let report: Json = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["steps"][0]["status"], "finished");
    assert_eq!(report["resumes"], 3);
}

const EDITABLE: &str = r#"(defworkflow w () -> String
  (let* ((a (command :argv ("sh" "-c" "echo a >> effects.txt; echo A")))
         (b (command :argv ("sh" "-c" "echo b >> effects.txt; echo B")))
         (ok (human :ask "go?")))
    (concat (trim a.stdout) (trim b.stdout) ok)))"#;

#[test]
fn an_edited_workflow_refuses_to_resume_unless_forced() {
    let ws = Ws::new();
    ws.write("w.wfl", EDITABLE);
    assert_eq!(code(&ws.wfl(&["run", "w.wfl"])), Some(3));
    let run = ws.run_id();

    // An edit after the recorded steps: they still match, the run goes on.
    ws.write("w.wfl", &EDITABLE.replace("(concat ", "(concat \"\" "));
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));

    // An edit of a step that ran: refused, naming the step and the field.
    ws.write("w.wfl", &EDITABLE.replace("echo A", "echo AA"));
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("step `w/a`"), "{err}");
    assert!(err.contains("its argv changed"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(ws.run_json(&run)["status"], "paused");
    assert_eq!(ws.counts("effects.txt").get("a"), Some(&1));

    // Forced: the changed step and every step recorded after it run again.
    let out = ws.wfl(&["resume", &run, "--force"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let counts = ws.counts("effects.txt");
    assert_eq!((counts["a"], counts["b"]), (2, 2), "{counts:?}");
    let ok = ws.wfl(&["answer", &run, "w/ok", "--value", "!"]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    assert_eq!(value(&ws.wfl(&["resume", &run])), json!("AAB!"));
    let counts = ws.counts("effects.txt");
    assert_eq!((counts["a"], counts["b"]), (2, 2), "{counts:?}");
}

#[test]
fn resume_refuses_what_it_cannot_do() {
    let ws = Ws::new();
    let out = ws.wfl(&["resume", "nope"]);
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("no run `nope`"), "{}", stderr(&out));
    ws.write("w.wfl", EDITABLE);
    assert_eq!(code(&ws.wfl(&["run", "w.wfl"])), Some(3));
    let run = ws.run_id();
    let bad = ws.wfl(&["resume", &run, "--raise-budget", "tokens=-3"]);
    assert_eq!(code(&bad), Some(2));
    // The workflow the run ran is gone from the file.
    ws.write(
        "w.wfl",
        &EDITABLE.replace("defworkflow w ", "defworkflow v "),
    );
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("no longer defines"),
        "{}",
        stderr(&out)
    );
}
