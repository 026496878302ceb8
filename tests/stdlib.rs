//! The standard library end to end: for each `std/…` module, a user
//! workflow under `tests/stdlib/` imports it, passes its own provider-backed
//! workflows as the module's function parameters, and runs with the real
//! binary on recorded provider answers (`--replay`) in a temporary
//! workspace. The tests check the printed result, the step ids in the
//! journal, and what the user's agents were told (their prompt logs).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod resume_support;

use resume_support::{Ws, code, stderr, value};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of `tests/stdlib/`, as an absolute path string.
fn fixture(name: &str) -> String {
    root()
        .join("tests/stdlib")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

/// `wfl run tests/stdlib/FILE --entry ENTRY --replay tests/stdlib/ANSWERS
/// --input …` in the workspace.
fn run(ws: &Ws, file: &str, entry: &str, answers: &str, inputs: &[&str]) -> std::process::Output {
    let file = fixture(file);
    let answers = fixture(answers);
    let mut args = vec![
        "run",
        file.as_str(),
        "--entry",
        entry,
        "--replay",
        answers.as_str(),
        "--quiet",
    ];
    for i in inputs {
        args.push("--input");
        args.push(i);
    }
    ws.wfl(&args)
}

/// The step ids of the run's `step_started` events, in journal order.
fn started(ws: &Ws, run: &str) -> Vec<String> {
    ws.journal(run)
        .iter()
        .filter(|e| e["event"] == "step_started")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect()
}

/// Call steps (the user's workflows applied by the module), in journal
/// order: the started steps without the provider and command steps inside
/// them.
fn calls(ws: &Ws, run: &str) -> Vec<String> {
    ws.journal(run)
        .iter()
        .filter(|e| e["event"] == "step_started" && e["kind"] == "call")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect()
}

/// The prompt a provider step was given: `logs/<step>.prompt.txt`.
fn prompt(ws: &Ws, run: &str, step: &str) -> String {
    let file = step.replace(['/', '['], ".").replace(']', "");
    let path = ws
        .path()
        .join(".wfl/runs")
        .join(run)
        .join("logs")
        .join(format!("{file}.prompt.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn events<'a>(journal: &'a [Json], event: &str) -> Vec<&'a Json> {
    journal.iter().filter(|e| e["event"] == event).collect()
}

// std/review ---------------------------------------------------------------

#[test]
fn review_loop_approved_in_the_first_round_runs_no_fix() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "review.wfl",
        "polish",
        "review_approve.json",
        &["note=Dry run."],
    );
    assert_eq!(
        value(&out),
        json!({"note": "Dry run.", "approved": true, "rounds": 1,
               "review": {"variant": "APPROVE", "notes": "clear and short"}})
    );
    let run = ws.run_id();
    assert_eq!(
        calls(&ws, &run),
        ["polish/reviewed", "polish/reviewed/review-fix[1]/review"]
    );
    let p = prompt(&ws, &run, "polish/reviewed/review-fix[1]/review/claude");
    assert!(p.starts_with("Review round 1."), "{p}");
    assert!(p.contains("Dry run."), "{p}");
}

#[test]
fn review_loop_hands_findings_to_the_fixer_and_reviews_the_fix() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "review.wfl",
        "polish",
        "review_revise.json",
        &["note=Dry run."],
    );
    let fixed = "The --dry-run flag now prints every step it would run.";
    assert_eq!(
        value(&out),
        json!({"note": fixed, "approved": true, "rounds": 2,
               "review": {"variant": "APPROVE", "notes": "good now"}})
    );
    let run = ws.run_id();
    assert_eq!(
        calls(&ws, &run),
        [
            "polish/reviewed",
            "polish/reviewed/review-fix[1]/review",
            "polish/reviewed/review-fix[1]/fix",
            "polish/reviewed/review-fix[2]/review",
        ]
    );
    // The fixer got the subject and every finding; the second review got
    // its round number and the fixed subject.
    let fix = prompt(&ws, &run, "polish/reviewed/review-fix[1]/fix/claude");
    assert!(
        fix.contains("Dry run.") && fix.contains("say which flag changed\ndrop the jargon"),
        "{fix}"
    );
    let second = prompt(&ws, &run, "polish/reviewed/review-fix[2]/review/claude");
    assert!(
        second.starts_with("Review round 2.") && second.contains(fixed),
        "{second}"
    );
}

#[test]
fn review_loop_out_of_rounds_returns_the_last_revise_without_an_unreviewed_fix() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "review.wfl",
        "polish",
        "review_exhausted.json",
        &["note=Dry run.", "rounds=2"],
    );
    // The subject is the one the returned review judged: the first fix,
    // reviewed in round 2. No fix runs after the last review.
    assert_eq!(
        value(&out),
        json!({"note": "Second draft.", "approved": false, "rounds": 2,
               "review": {"variant": "REVISE", "findings": ["still vague", "no example"]}})
    );
    assert_eq!(
        calls(&ws, &ws.run_id()),
        [
            "polish/reviewed",
            "polish/reviewed/review-fix[1]/review",
            "polish/reviewed/review-fix[1]/fix",
            "polish/reviewed/review-fix[2]/review",
        ]
    );
}

#[test]
fn review_loop_takes_a_pure_reviewer() {
    let ws = Ws::new();
    let out = run(&ws, "review.wfl", "lint", "review_lint.json", &["text=hi"]);
    assert_eq!(
        value(&out),
        json!({"subject": "hi there, everyone", "rounds": 3,
               "review": {"variant": "APPROVE", "notes": "fine in round 3"}})
    );
    // A defn reviewer is pure code: only the fixes are steps.
    assert_eq!(
        calls(&ws, &ws.run_id()),
        [
            "lint/review-loop",
            "lint/review-loop/review-fix[1]/fix",
            "lint/review-loop/review-fix[2]/fix",
        ]
    );
}

#[test]
fn review_loop_refuses_zero_rounds() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "review.wfl",
        "polish",
        "review_approve.json",
        &["note=x", "rounds=0"],
    );
    assert_eq!(code(&out), Some(1));
    assert!(stderr(&out).contains("rounds >= 1"), "{}", stderr(&out));
    assert_eq!(calls(&ws, &ws.run_id()), ["polish/reviewed"]);
}

// std/stack ----------------------------------------------------------------

#[test]
fn stack_designs_plans_and_implements_with_a_review_loop_per_phase() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "stack.wfl",
        "ship",
        "stack_ship.json",
        &["task=dry run"],
    );
    let v = value(&out);
    assert_eq!(
        v["design"],
        json!({"subject": {"doc": "docs/design/dry-run.md",
                           "summary": "a --dry-run flag printing JSON"},
               "review": {"variant": "APPROVE", "notes": "clear"}, "rounds": 2})
    );
    assert_eq!(v["plan"]["rounds"], 1);
    assert_eq!(v["plan"]["subject"]["doc"], "docs/plans/dry-run.md");
    // The implementation's last review is returned as it is, not approved.
    assert_eq!(
        v["implementation"],
        json!({"subject": {"summary": "flag parsed, with a test",
                           "files": ["src/cli.rs", "tests/cli.rs"]},
               "review": {"variant": "REVISE", "findings": ["the test is flaky"]},
               "rounds": 2})
    );

    let run = ws.run_id();
    let journal = ws.journal(&run);
    let phases: Vec<&str> = events(&journal, "phase_started")
        .iter()
        .map(|e| e["phase"].as_str().unwrap())
        .collect();
    assert_eq!(
        phases,
        [
            "ship/stack/design",
            "ship/stack/plan",
            "ship/stack/implement"
        ]
    );
    assert_eq!(events(&journal, "phase_finished").len(), 3);
    assert_eq!(
        calls(&ws, &run),
        [
            "ship/stack",
            "ship/stack/design/write",
            "ship/stack/design/review-loop",
            "ship/stack/design/review-loop/review-fix[1]/review",
            "ship/stack/design/review-loop/review-fix[1]/fix",
            "ship/stack/design/review-loop/review-fix[2]/review",
            "ship/stack/plan/write",
            "ship/stack/plan/review-loop",
            "ship/stack/plan/review-loop/review-fix[1]/review",
            "ship/stack/implement/write",
            "ship/stack/implement/review-loop",
            "ship/stack/implement/review-loop/review-fix[1]/review",
            "ship/stack/implement/review-loop/review-fix[1]/fix",
            "ship/stack/implement/review-loop/review-fix[2]/review",
        ]
    );
    // Each phase works on the approved result of the one before.
    let plan = prompt(&ws, &run, "ship/stack/plan/write/claude");
    assert!(
        plan.starts_with("Plan the design in docs/design/dry-run.md."),
        "{plan}"
    );
    let implement = prompt(&ws, &run, "ship/stack/implement/write/codex");
    assert!(
        implement.starts_with("Implement docs/plans/dry-run.md (design: docs/design/dry-run.md)."),
        "{implement}"
    );
    let fix = prompt(
        &ws,
        &run,
        "ship/stack/implement/review-loop/review-fix[1]/fix/codex",
    );
    assert!(fix.contains("Address: no test"), "{fix}");
}

#[test]
fn stack_stops_at_a_design_that_is_not_approved() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "stack.wfl",
        "ship",
        "stack_gate.json",
        &["task=dry run"],
    );
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the design was not approved after 2 review round(s)")
            && err.contains("- still no format\n- what about errors?"),
        "{err}"
    );
    let run = ws.run_id();
    let steps = started(&ws, &run);
    assert!(
        steps.iter().any(|s| s.starts_with("ship/stack/design/")),
        "{steps:?}"
    );
    assert!(
        !steps.iter().any(|s| s.starts_with("ship/stack/plan")),
        "nothing after the design may run: {steps:?}"
    );
    let journal = ws.journal(&run);
    let finished = events(&journal, "run_finished");
    assert_eq!(finished[0]["status"], "failed");
    assert_eq!(finished[0]["error"]["kind"], "FAIL");
}

// std/retry ----------------------------------------------------------------

const ATTEMPT: &str = "fix-bug/retry-with-context/escalation[1]/attempt";

#[test]
fn retry_succeeds_after_failures_and_each_attempt_sees_the_earlier_ones() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "retry.wfl",
        "fix-bug",
        "retry_success.json",
        &["bug=evict is wrong"],
    );
    assert_eq!(
        value(&out),
        json!({"variant": "DONE", "value": {"summary": "evict drops the oldest entry"},
               "attempts": 3, "rounds": 1})
    );
    let run = ws.run_id();
    assert_eq!(
        calls(&ws, &run),
        [
            "fix-bug/retry-with-context".to_string(),
            format!("{ATTEMPT}[1]/run"),
            format!("{ATTEMPT}[2]/run"),
            format!("{ATTEMPT}[3]/run"),
        ]
    );
    let first = prompt(&ws, &run, &format!("{ATTEMPT}[1]/run/change"));
    assert!(
        first.starts_with("Attempt 1 (round 1). Fix: evict is wrong")
            && !first.contains("Earlier attempts failed"),
        "{first}"
    );
    // Attempt 3 is told of both failures: a reply that did not fit its
    // type, and a test run that failed (with the test's stderr).
    let third = prompt(&ws, &run, &format!("{ATTEMPT}[3]/run/change"));
    assert!(third.starts_with("Attempt 3 (round 1)."), "{third}");
    assert!(
        third.contains(&format!(
            "- attempt 1 failed at step {ATTEMPT}[1]/run/change: the reply did not fit"
        )) && third.contains("$.extra"),
        "{third}"
    );
    assert!(
        third.contains(&format!(
            "- attempt 2 failed at step {ATTEMPT}[2]/run: a check failed."
        )) && third.contains("the tests still fail after: patched evict")
            && third.contains("test evict: FAILED"),
        "{third}"
    );
    assert!(events(&ws.journal(&run), "human_asked").is_empty());
}

/// Runs the escalation fixture until it pauses on the human question.
fn escalate(ws: &Ws, inputs: &[&str]) -> String {
    let out = run(ws, "retry.wfl", "fix-bug", "retry_escalate.json", inputs);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    let err = stderr(&out);
    let ask = "fix-bug/retry-with-context/escalation[1]/ask";
    assert!(err.contains(&format!("wfl answer {run} '{ask}'")), "{err}");
    let journal = ws.journal(&run);
    let asked = events(&journal, "human_asked");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0]["step"], ask);
    // The type is std/retry's, however the journal spells its name.
    assert!(
        asked[0]["returns"]
            .as_str()
            .unwrap()
            .ends_with("Escalation"),
        "{}",
        asked[0]
    );
    let question = asked[0]["question"].as_str().unwrap();
    assert!(
        question.starts_with("All 2 attempt(s) of round 1 failed.")
            && question.contains("Input: evict is wrong")
            && question.contains("- attempt 1 failed")
            && question.contains("- attempt 2 failed")
            && question.contains("patched evict again"),
        "{question}"
    );
    run
}

#[test]
fn retry_escalates_to_a_human_whose_hint_drives_one_more_round() {
    let ws = Ws::new();
    let run = escalate(&ws, &["bug=evict is wrong", "attempts=2"]);
    let ask = "fix-bug/retry-with-context/escalation[1]/ask";
    // The answer is checked against std/retry's Escalation type.
    let wrong = ws.wfl(&["answer", &run, ask, "--value", r#"{"variant": "RETRY"}"#]);
    assert_eq!(code(&wrong), Some(2), "{}", stderr(&wrong));
    let hint = r#"{"variant": "HINT", "text": "evict by insertion order"}"#;
    let ok = ws.wfl(&["answer", &run, ask, "--value", hint]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));

    let out = ws.wfl(&["resume", &run, "--quiet"]);
    assert_eq!(
        value(&out),
        json!({"variant": "DONE", "value": {"summary": "evict by insertion order, as hinted"},
               "attempts": 3, "rounds": 2})
    );
    // The first round replayed; round 2 ran once, told the hint and both
    // failures of round 1.
    let round2 = "fix-bug/retry-with-context/escalation[2]/attempt[1]/run/change";
    let p = prompt(&ws, &run, round2);
    assert!(
        p.starts_with("Attempt 3 (round 2).")
            && p.contains("Hint: evict by insertion order")
            && p.contains(&format!("- attempt 1 failed at step {ATTEMPT}[1]/run"))
            && p.contains(&format!("- attempt 2 failed at step {ATTEMPT}[2]/run")),
        "{p}"
    );
    let steps = started(&ws, &run);
    assert_eq!(steps.iter().filter(|s| *s == round2).count(), 1);
    assert_eq!(
        steps
            .iter()
            .filter(|s| *s == &format!("{ATTEMPT}[1]/run/change"))
            .count(),
        1,
        "round 1 is replayed on resume, not run again"
    );
}

#[test]
fn retry_abandoned_by_the_human_returns_every_failure() {
    let ws = Ws::new();
    let run = escalate(&ws, &["bug=evict is wrong", "attempts=2"]);
    let ask = "fix-bug/retry-with-context/escalation[1]/ask";
    let abandon = r#"{"variant": "ABANDON", "reason": "needs a redesign"}"#;
    let ok = ws.wfl(&["answer", &run, ask, "--value", abandon]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    let v = value(&ws.wfl(&["resume", &run, "--quiet"]));
    assert_eq!(v["variant"], "ABANDONED");
    assert_eq!(v["reason"], "needs a redesign");
    let failures = v["failures"].as_array().unwrap();
    let steps: Vec<&str> = failures
        .iter()
        .map(|f| f["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [format!("{ATTEMPT}[1]/run"), format!("{ATTEMPT}[2]/run")]
    );
    let attempts: Vec<i64> = failures
        .iter()
        .map(|f| f["attempt"].as_i64().unwrap())
        .collect();
    assert_eq!(attempts, [1, 2]);
    assert!(failures.iter().all(|f| f["kind"] == "ASSERT"));
    assert!(
        !started(&ws, &run)
            .iter()
            .any(|s| s.contains("escalation[2]"))
    );
}

/// Failures of the user's own steps inside an attempt (a reply that does not
/// fit, a provider that exits non-zero) reach the later attempts as `Error`s
/// naming those steps. A resume must replay them as they were.
#[test]
fn retry_resumes_after_failures_of_the_attempts_own_steps() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "retry.wfl",
        "fix-bug",
        "retry_escalate_provider.json",
        &["bug=evict is wrong", "attempts=2"],
    );
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    let ask = "fix-bug/retry-with-context/escalation[1]/ask";
    let hint = r#"{"variant": "HINT", "text": "evict by insertion order"}"#;
    let ok = ws.wfl(&["answer", &run, ask, "--value", hint]);
    assert_eq!(code(&ok), Some(0), "{}", stderr(&ok));
    let out = ws.wfl(&["resume", &run, "--quiet"]);
    assert_eq!(value(&out)["rounds"], 2);
    let p = prompt(
        &ws,
        &run,
        "fix-bug/retry-with-context/escalation[2]/attempt[1]/run/change",
    );
    assert!(
        p.contains(&format!(
            "at step {ATTEMPT}[2]/run/change: the process exited non-zero"
        )) && p.contains("codex: rate limited"),
        "{p}"
    );
}

#[test]
fn retry_without_escalations_fails_with_the_last_error() {
    let ws = Ws::new();
    let out = run(
        &ws,
        "retry.wfl",
        "fix-bug",
        "retry_escalate.json",
        &["bug=evict is wrong", "attempts=2", "escalations=0"],
    );
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("std/retry: gave up after 1 round(s) of 2 attempt(s)")
            && err.contains("patched evict again"),
        "{err}"
    );
    assert!(events(&ws.journal(&ws.run_id()), "human_asked").is_empty());
}

// std/text -----------------------------------------------------------------

#[test]
fn text_renders_lists_for_prompts() {
    let ws = Ws::new();
    let file = fixture("text.wfl");
    let out = ws.wfl(&[
        "run",
        &file,
        "--quiet",
        "--input",
        r#"findings=["no test", "the name is wrong:\nuse evict", "x"]"#,
    ]);
    assert_eq!(
        value(&out),
        json!({
            "bullets": "- no test\n- the name is wrong:\n  use evict\n- x",
            "numbered": "1. no test\n2. the name is wrong:\n   use evict\n3. x",
            "indented": "> no test\n> the name is wrong:\n> use evict\n> x",
            "none": ""
        })
    );
}

// Everything checks ---------------------------------------------------------

fn wfl_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wfl"))
        .collect();
    files.sort();
    files
}

#[test]
fn stdlib_modules_their_users_and_the_doc_examples_check_clean() {
    let ws = Ws::new();
    let mut files = wfl_files(&root().join("stdlib"));
    assert!(files.len() >= 3, "{files:?}");
    files.extend(wfl_files(&root().join("tests/stdlib")));
    // Every ```wfl block of docs/stdlib.md is a complete file.
    let doc = std::fs::read_to_string(root().join("docs/stdlib.md")).unwrap();
    let mut block: Option<String> = None;
    let mut n = 0;
    for line in doc.lines() {
        match &mut block {
            None if line.trim_end() == "```wfl" => block = Some(String::new()),
            None => {}
            Some(code) if line.trim_end() == "```" => {
                n += 1;
                files.push(ws.write(&format!("doc-{n}.wfl"), code));
                block = None;
            }
            Some(code) => {
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    assert!(
        n >= 3,
        "docs/stdlib.md should show each module in a ```wfl block"
    );
    for file in files {
        let out = ws.wfl(&["check", file.to_str().unwrap()]);
        assert_eq!(code(&out), Some(0), "{}:\n{}", file.display(), stderr(&out));
    }
}
