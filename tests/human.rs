//! Pauses end to end, with real processes in temporary workspaces: human
//! questions in parallel branches asked together (exit 3, the exact `wfl
//! answer` commands printed) while the other branches finish, answered
//! independently and checked against their types; a retry whose earlier
//! failures survive the pause; a `for-each` that never exceeds its limit
//! (measured with a directory of live slots); a budget that pauses the run
//! before the provider step that would overspend, and a raised cap that
//! lets it finish without running any provider step twice.

#![allow(clippy::unwrap_used)]

mod resume_support;

use resume_support::{Ws, code, stderr, value};
use serde_json::{Value as Json, json};

#[test]
fn two_open_questions_in_parallel_branches_are_answered_independently() {
    let ws = Ws::new();
    ws.write(
        "w.wfl",
        r#"(defenum Decision SHIP HOLD)
(defworkflow w () -> String
  (parallel ((notes (human :ask "Release notes?"))
             (go (human :ask "Ship it?" :returns Decision))
             (built (command :argv ("sh" "-c" "echo built >> effects.txt; echo ok"))))
    (fmt "{notes} / {go} / {built.stdout}")))"#,
    );
    let out = ws.wfl(&["run", "w.wfl"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    let err = stderr(&out);
    for step in ["w/notes", "w/go"] {
        assert!(
            err.contains(&format!("wfl answer {run} {step} --value JSON")),
            "{err}"
        );
    }
    assert!(
        err.contains("Ship it?") && err.contains("(answer: Decision)"),
        "{err}"
    );
    assert!(err.contains(&format!("wfl resume {run}")), "{err}");
    // The command branch finished before the run paused.
    assert_eq!(ws.counts("effects.txt").get("built"), Some(&1));
    assert_eq!(ws.run_json(&run)["status"], "paused");

    let wrong = ws.wfl(&["answer", &run, "w/go", "--value", "MAYBE"]);
    assert_eq!(code(&wrong), Some(2));
    assert!(stderr(&wrong).contains("SHIP, HOLD"), "{}", stderr(&wrong));
    let unknown = ws.wfl(&["answer", &run, "w/nope", "--value", "1"]);
    assert_eq!(code(&unknown), Some(2));
    assert!(
        stderr(&unknown).contains("w/go, w/notes") || stderr(&unknown).contains("w/notes, w/go")
    );

    let ok = ws.wfl(&["answer", &run, "w/go", "--value", "\"SHIP\""]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    assert!(
        stderr(&ok).contains("still open: w/notes"),
        "{}",
        stderr(&ok)
    );
    // One answer of two: the run pauses again on the other only.
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(code(&out), Some(3));
    assert!(stderr(&out).contains("w/notes") && !stderr(&out).contains("w/go "));
    let ok = ws.wfl(&["answer", &run, "w/notes", "--value", "all fixed"]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    let again = ws.wfl(&["answer", &run, "w/notes", "--value", "twice"]);
    assert_eq!(code(&again), Some(2), "an answered question is closed");
    let out = ws.wfl(&["resume", &run]);
    assert_eq!(value(&out), json!("all fixed / SHIP / ok\n"));
    assert_eq!(ws.counts("effects.txt").get("built"), Some(&1));
}

#[test]
fn a_retry_keeps_its_earlier_failures_across_a_pause() {
    let ws = Ws::new();
    ws.write(
        "w.wfl",
        r#"(defn line ((e Error)) -> String (fmt "{e.step}: {e.kind}: {e.stderr}"))
(defworkflow w () -> String
  (retry impl :attempts 3 :backoff 3
    (if (= attempt 1)
        (let* ((c (command :argv ("sh" "-c" "echo try >> effects.txt; echo broken >&2; exit 1") :returns Int)))
          (str c))
        (let* ((seen (join "; " (map line failures))))
          (human :ask (fmt "attempt {attempt} after: {seen}"))))))"#,
    );
    let out = ws.wfl(&["run", "w.wfl"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    assert!(
        stderr(&out).contains("attempt 2 after: w/impl[1]/c: EXIT: broken"),
        "{}",
        stderr(&out)
    );
    let ok = ws.wfl(&[
        "answer",
        &run,
        "w/impl[2]/human",
        "--value",
        "fixed by hand",
    ]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    // The replay neither runs the failed attempt again nor waits its backoff.
    let started = std::time::Instant::now();
    let out = ws.wfl(&["resume", &run]);
    assert!(
        started.elapsed().as_secs_f64() < 2.5,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(value(&out), json!("fixed by hand"));
    assert_eq!(ws.counts("effects.txt").get("try"), Some(&1));
}

#[test]
fn for_each_never_runs_more_than_its_limit() {
    let ws = Ws::new();
    // Each element holds a slot file while it runs and records how many
    // slots were held when it started: never more than actually run.
    ws.write(
        "w.wfl",
        r#"(defworkflow w ((limit Int)) -> Int
  (let* ((xs (for-each each (i (range 0 12)) :limit limit
               (command :argv ("sh" "-c" (fmt "mkdir -p slots; touch slots/{i}; ls slots | wc -l >> counts.txt; sleep 0.15; rm slots/{i}"))))))
    (length xs)))"#,
    );
    for (limit, jobs) in [(3, "8"), (5, "2")] {
        let _ = std::fs::remove_file(ws.path().join("counts.txt"));
        let out = ws.wfl(&[
            "run",
            "w.wfl",
            "--input",
            &format!("limit={limit}"),
            "--jobs",
            jobs,
        ]);
        assert_eq!(value(&out), json!(12));
        let seen: Vec<usize> = ws
            .read("counts.txt")
            .lines()
            .map(|l| l.trim().parse().unwrap())
            .collect();
        assert_eq!(seen.len(), 12);
        let bound = limit.min(jobs.parse().unwrap());
        let most = seen.iter().copied().max().unwrap();
        assert!(
            most <= bound,
            "{most} at once with limit {limit}, --jobs {jobs}"
        );
        assert!(most >= 2, "the elements ran concurrently: {seen:?}");
    }
}

const AGENT: &str = r#"#!/bin/sh
cat > /dev/null
echo "$WFL_STEP" >> calls.txt
echo '{"input_tokens": 50, "output_tokens": 10, "usd": 0.25}' > "$WFL_USAGE"
echo "\"ok $WFL_STEP\""
"#;

fn budget_ws(cap: &str) -> Ws {
    let ws = Ws::new();
    ws.write("agent.sh", AGENT);
    ws.write(
        "w.wfl",
        &format!(
            r#"(defprovider agent :argv ("sh" "agent.sh") :prompt-via stdin)
(defworkflow w () -> (List String)
  (budget {cap}
    (let* ((a (provider agent :prompt "one" :returns String))
           (b (provider agent :prompt "two" :returns String))
           (c (provider agent :prompt "three" :returns String)))
      (list a b c))))"#
        ),
    );
    ws
}

#[test]
fn a_spent_budget_pauses_before_the_next_provider_step_and_a_raise_resumes() {
    let ws = budget_ws(":tokens 100");
    let out = ws.wfl(&["run", "w.wfl"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    let err = stderr(&out);
    assert!(
        err.contains("`w/c` waits: budget :tokens 100 in w has spent 120 tokens"),
        "{err}"
    );
    assert!(
        err.contains(&format!("wfl resume {run} --raise-budget")),
        "{err}"
    );
    assert_eq!(ws.read("calls.txt"), "w/a\nw/b\n");
    let exceeded: Vec<Json> = ws
        .journal(&run)
        .into_iter()
        .filter(|e| e["event"] == "budget_exceeded")
        .collect();
    assert_eq!(exceeded.len(), 1);
    assert_eq!(exceeded[0]["spent_tokens"], 120);

    // Without a raise nothing moves.
    assert_eq!(code(&ws.wfl(&["resume", &run])), Some(3));
    assert_eq!(ws.read("calls.txt"), "w/a\nw/b\n");

    let out = ws.wfl(&["resume", &run, "--raise-budget", "tokens=100"]);
    assert_eq!(value(&out), json!(["ok w/a", "ok w/b", "ok w/c"]));
    assert_eq!(ws.read("calls.txt"), "w/a\nw/b\nw/c\n");
    let report = ws.wfl(&["report", &run, "--format", "json"]);
    let report: Json = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["usage"]["input_tokens"], 150);
}

#[test]
fn dollar_caps_pause_too_and_raises_add_up() {
    let ws = budget_ws(":usd 0.3");
    assert_eq!(code(&ws.wfl(&["run", "w.wfl"])), Some(3));
    let run = ws.run_id();
    assert_eq!(ws.read("calls.txt"), "w/a\nw/b\n");
    // $0.50 spent of 0.3 + 0.1: still spent.
    assert_eq!(
        code(&ws.wfl(&["resume", &run, "--raise-budget", "usd=0.1"])),
        Some(3)
    );
    assert_eq!(ws.read("calls.txt"), "w/a\nw/b\n");
    // 0.3 + 0.1 + 0.5 = 0.9 > 0.5.
    let out = ws.wfl(&["resume", &run, "--raise-budget", "usd=0.5"]);
    assert_eq!(value(&out), json!(["ok w/a", "ok w/b", "ok w/c"]));
    assert_eq!(ws.read("calls.txt"), "w/a\nw/b\nw/c\n");
}

#[test]
fn a_question_inside_a_call_pauses_the_call_and_resumes_inside_it() {
    let ws = Ws::new();
    ws.write(
        "w.wfl",
        r#"(defworkflow ask-name () -> String (human :ask "Your name?"))
(defworkflow w () -> String
  (let* ((n (call ask-name))
         (e (command :argv ("sh" "-c" (fmt "echo greet >> effects.txt; echo hello {n}")))))
    (trim e.stdout)))"#,
    );
    let out = ws.wfl(&["run", "w.wfl"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    assert!(stderr(&out).contains("w/n/human asks"), "{}", stderr(&out));
    assert_eq!(code(&ws.wfl(&["resume", &run])), Some(3));
    let ok = ws.wfl(&["answer", &run, "w/n/human", "--value", "Ada"]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    assert_eq!(value(&ws.wfl(&["resume", &run])), json!("hello Ada"));
    let call_starts = ws
        .journal(&run)
        .iter()
        .filter(|e| e["event"] == "step_started" && e["step"] == "w/n")
        .count();
    assert_eq!(
        call_starts, 1,
        "the call is entered again, not started again"
    );
    assert_eq!(ws.counts("effects.txt").get("greet"), Some(&1));
}
