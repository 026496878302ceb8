//! Programs of several modules through the real binary, in temporary
//! workspaces: a problem inside an imported module is reported at that
//! module's file; imported types are one type wherever they are imported;
//! `wfl run` runs imported workflows with their steps under the call and
//! the callee's full name journaled; an edit to an imported module is a
//! changed source on resume (the finished call is entered again and the
//! changed step inside it stops the resume); `wfl graph` and `wfl compile
//! --to yaml` take the imported workflows along.

#![allow(clippy::unwrap_used)]

mod resume_support;

use resume_support::{Ws, code, stderr, value};
use serde_json::json;

const TOOLS: &str = r#"(module tools :doc "Setup steps shared by workflows.")
(export Prepared prepare)

(defrecord Prepared (marker String) (note String))

(defn tag ((s String)) -> String (concat "[" s "]"))

(defworkflow prepare ((label String)) -> Prepared
  (let* ((made (command :argv ("sh" "-c" "echo made >> effects.txt; echo v1"))))
    (record Prepared :marker (tag label) :note (trim made.stdout))))
"#;

const MAIN: &str = r#"(import "./lib/tools.wfl" :as tools)

(defworkflow main ((name String :default "app")) -> String
  (let* ((p (call tools/prepare :label name))
         (go (human :ask (fmt "Ship {p.marker}?") :returns Bool)))
    (if go (fmt "{p.marker} {p.note}") "held")))
"#;

fn workspace() -> Ws {
    let ws = Ws::new();
    std::fs::create_dir(ws.path().join("lib")).unwrap();
    ws.write("lib/tools.wfl", TOOLS);
    ws.write("main.wfl", MAIN);
    ws
}

#[test]
fn imported_workflows_run_journal_their_module_and_resume_after_edits_is_checked() {
    let ws = workspace();
    let out = ws.wfl(&["run", "main.wfl"]);
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let run = ws.run_id();
    assert_eq!(ws.counts("effects.txt").get("made"), Some(&1));
    // The call's steps are under the call's id; the call names its callee
    // with the module it comes from.
    let journal = ws.journal(&run);
    let call = journal
        .iter()
        .find(|e| e["event"] == "step_started" && e["step"] == "main/p")
        .unwrap();
    assert_eq!(call["workflow"], "lib/tools:prepare");
    assert!(
        journal
            .iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "main/p/made")
    );

    // The module changes while the run waits: the finished call is not
    // replayed as a whole, and the changed command inside it stops the
    // resume, naming the step.
    ws.write("lib/tools.wfl", &TOOLS.replace("echo v1", "echo v2"));
    let answered = ws.wfl(&["answer", &run, "main/go", "--value", "true"]);
    assert_eq!(code(&answered), Some(0), "{}", stderr(&answered));
    let refused = ws.wfl(&["resume", &run]);
    assert_eq!(code(&refused), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("main/p/made"),
        "{}",
        stderr(&refused)
    );

    // Put back as it was, the resume replays everything and runs nothing.
    ws.write("lib/tools.wfl", TOOLS);
    let resumed = ws.wfl(&["resume", &run]);
    assert_eq!(code(&resumed), Some(0), "{}", stderr(&resumed));
    assert_eq!(value(&resumed), json!("[app] v1"));
    assert_eq!(ws.counts("effects.txt").get("made"), Some(&1));
}

#[test]
fn a_problem_inside_an_imported_module_is_reported_at_its_file() {
    let ws = workspace();
    ws.write("lib/tools.wfl", &TOOLS.replace("(tag label)", "(tag 42)"));
    let out = ws.wfl(&["check", "main.wfl"]);
    assert_eq!(code(&out), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0213"), "{err}");
    assert!(err.contains("lib/tools.wfl:10:"), "{err}");
    let run = ws.wfl(&["run", "main.wfl"]);
    assert_eq!(code(&run), Some(2), "{}", stderr(&run));
}

#[test]
fn an_imported_type_is_one_type_and_is_named_with_its_module() {
    let ws = workspace();
    ws.write(
        "main.wfl",
        r#"(import "./lib/tools.wfl" :only (Prepared prepare))
(import "std/review" :only (Review))

(defworkflow main () -> Prepared
  (call prepare :label "x"))

(defworkflow wrong () -> Review
  (call prepare :label "y"))
"#,
    );
    let out = ws.wfl(&["check", "main.wfl"]);
    assert_eq!(code(&out), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0213"), "{err}");
    assert!(
        err.contains("std/review:Review") && err.contains("lib/tools:Prepared"),
        "{err}"
    );
    assert_eq!(
        err.matches("error[").count() + err.matches("Error:").count(),
        1,
        "{err}"
    );
}

#[test]
fn graph_and_yaml_take_imported_workflows_along() {
    let ws = workspace();
    ws.write(
        "main.wfl",
        r#"(import "./lib/tools.wfl" :as tools)

(defworkflow main ((name String :default "app")) -> String
  (let* ((p (call tools/prepare :label name)))
    p.marker))
"#,
    );
    let graph = ws.wfl(&["graph", "main.wfl", "--format", "json"]);
    assert_eq!(code(&graph), Some(0), "{}", stderr(&graph));
    let text = String::from_utf8_lossy(&graph.stdout);
    assert!(text.contains("lib/tools:prepare"), "{text}");

    let out = ws.wfl(&["compile", "main.wfl", "--to", "yaml", "-o", "out"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let main = ws.read("out/main.yaml");
    assert!(main.contains("call: lib_tools_prepare"), "{main}");
    assert!(main.contains("lib.tools_prepare.yaml"), "{main}");
    let callee = ws.read("out/lib.tools_prepare.yaml");
    assert!(callee.contains("name: lib/tools:prepare"), "{callee}");
}

#[test]
fn a_call_through_a_prefix_is_named_after_the_workflow_alone() {
    let ws = workspace();
    ws.write(
        "main.wfl",
        r#"(import "./lib/tools.wfl" :as tools)

(defworkflow main () -> String
  (call tools/prepare :label "x")
  "done")
"#,
    );
    let out = ws.wfl(&["run", "main.wfl"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let journal = ws.journal(&ws.run_id());
    let steps: Vec<&str> = journal
        .iter()
        .filter(|e| e["event"] == "step_started")
        .filter_map(|e| e["step"].as_str())
        .collect();
    assert_eq!(steps, ["main/prepare", "main/prepare/made"]);
}

#[test]
fn a_module_checked_with_several_files_reports_its_problems_once() {
    let ws = Ws::new();
    ws.write(
        "a.wfl",
        "(module a)\n(export f)\n(defn f ((x Int)) -> Int (+ x \"1\"))\n",
    );
    ws.write(
        "b.wfl",
        "(import \"./a.wfl\" :only (f))\n(defworkflow w () -> Int (f 1))\n",
    );
    ws.write(
        "c.wfl",
        "(import \"./a.wfl\")\n(defworkflow v () -> Int (f 2))\n",
    );
    let out = ws.wfl(&["check", "a.wfl", "b.wfl", "c.wfl"]);
    assert_eq!(code(&out), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("[E0213]").count(), 1, "{err}");
    assert!(err.ends_with("1 error in a.wfl\n"), "{err}");
}

#[test]
fn a_provider_of_an_imported_module_is_swapped_by_its_own_or_full_name() {
    let ws = Ws::new();
    std::fs::create_dir(ws.path().join("lib")).unwrap();
    ws.write(
        "lib/agents.wfl",
        r#"(module agents)
(export Answer ask)
(defrecord Answer (text String))
(defprovider agent :argv ("no-such-agent-binary") :prompt-via stdin)
(defworkflow ask ((q String)) -> Answer
  (provider agent :prompt q :returns Answer :name reply))
"#,
    );
    ws.write(
        "main.wfl",
        "(import \"./lib/agents.wfl\" :only (ask Answer))\n(defworkflow main () -> String\n  (let* ((a (call ask :q \"hi\"))) a.text))\n",
    );
    ws.write(
        "answers.json",
        r#"{"main/a/reply": {"reply": {"text": "hello"}}}"#,
    );
    for name in ["agent", "lib/agents:agent"] {
        let swap = format!("{name}=replay:answers.json");
        let out = ws.wfl(&["run", "main.wfl", "--provider", &swap]);
        assert_eq!(code(&out), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(value(&out), json!("hello"));
    }
    let out = ws.wfl(&[
        "run",
        "main.wfl",
        "--provider",
        "nobody=replay:answers.json",
    ]);
    assert_eq!(code(&out), Some(2));
    assert!(
        stderr(&out).contains("lib/agents:agent"),
        "{}",
        stderr(&out)
    );
}
