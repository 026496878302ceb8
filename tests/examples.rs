//! Every example runs end to end offline, as the README says: through
//! `examples/run.sh`, with its recorded provider answers and the stand-in
//! `cargo` and `git`, and ends with the expected result.

#![allow(clippy::unwrap_used)]

use serde_json::Value as Json;
use std::process::Command;

fn run_example(name: &str) -> Json {
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/run.sh"))
        .arg(name)
        .arg("--quiet")
        .env("WFL", env!("CARGO_BIN_EXE_wfl"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name}: {stderr}");
    let workspace = stderr
        .lines()
        .find_map(|l| l.strip_prefix("workspace: "))
        .unwrap();
    let workspace = workspace.split(' ').next().unwrap();
    let _ = std::fs::remove_dir_all(workspace);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn design_plan_implement_ships_after_one_fix() {
    let v = run_example("design_plan_implement");
    assert_eq!(v["rounds"], 2);
    assert_eq!(v["design"]["doc"], "docs/design/dry-run.md");
    assert_eq!(v["tests"]["failed"], 0);
}

#[test]
fn pm_coder_reviewer_recovers_from_a_bad_story_and_a_crashed_coder() {
    let v = run_example("pm_coder_reviewer");
    assert_eq!(v["rounds"], 2);
    assert_eq!(v["story"]["out-of-scope"][0], "Excel format");
}

#[test]
fn verification_panel_combines_verdicts() {
    let v = run_example("verification_panel");
    assert_eq!(v["decision"], "FOLLOW_UP");
    assert_eq!(v["approvals"], 4);
    let reviewers: Vec<&str> = v["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["reviewer"].as_str().unwrap())
        .collect();
    assert_eq!(
        reviewers,
        [
            "correctness",
            "security",
            "performance",
            "API compatibility",
            "red team"
        ]
    );
}

#[test]
fn retry_with_context_succeeds_on_the_second_attempt() {
    let v = run_example("retry_with_context");
    assert_eq!(v["variant"], "DONE");
    assert_eq!(v["attempts"], 2);
    assert_eq!(v["rounds"], 1, "no human was asked");
}
