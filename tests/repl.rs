//! The REPL core driven by scripts of input lines, as a terminal user would
//! type them: lines are joined until the reader finds the input complete
//! (the front end's rule), each input is shown after a `wfl> ` prompt
//! (`...> ` for continuation lines) and followed by the session's reply.
//! Transcripts are insta snapshots; run ids and temporary paths are masked.
//! The last test drives the real binary with piped stdin.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use wfl::repl::{Session, input::is_incomplete};

/// Feeds `lines` to `session` and returns the transcript.
fn transcript(session: &mut Session, lines: &[&str]) -> String {
    let mut out = String::new();
    let mut buffer = String::new();
    for line in lines {
        out.push_str(if buffer.is_empty() { "wfl> " } else { "...> " });
        out.push_str(line);
        out.push('\n');
        buffer.push_str(line);
        buffer.push('\n');
        if is_incomplete(&buffer) {
            continue;
        }
        let reply = session.submit(&buffer);
        buffer.clear();
        out.push_str(&reply.text);
        if reply.quit {
            out.push_str("(quit)\n");
            break;
        }
    }
    out
}

/// Masks run ids (`20261121-134934-261`) and the temporary directory.
fn masked(text: &str, dir: &Path) -> String {
    let text = text.replace(&dir.display().to_string(), "<tmp>");
    text.split_inclusive(|c: char| c.is_whitespace() || c == '/')
        .map(|word| {
            let (core, tail) = word.split_at(word.trim_end_matches([' ', '\n', '/']).len());
            let parts: Vec<&str> = core.split('-').collect();
            let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
            let is_id = parts.len() == 3
                && digits(parts[0], 8)
                && digits(parts[1], 6)
                && !parts[2].is_empty()
                && parts[2].bytes().all(|b| b.is_ascii_digit());
            if is_id {
                format!("<run-id>{tail}")
            } else {
                word.to_string()
            }
        })
        .collect()
}

fn session(dir: &Path) -> Session {
    Session::new(dir.to_path_buf())
}

#[test]
fn expressions_definitions_and_redefinition() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let out = transcript(
        &mut s,
        &[
            "(+ 1 2)",
            "(defenum Severity LOW HIGH)",
            "(defrecord Plan",
            "  (doc Path)",
            "  (steps (List String)))",
            "(record Plan :doc \"docs/a.md\"",
            "             :steps (list \"measure\" \"build\"))",
            "(defn label ((s Severity)) -> String",
            "  (match s (LOW \"low\") (HIGH \"high\")))",
            "(label Severity.HIGH)",
            "(defn label ((s Severity)) -> String (fmt \"severity {s}\"))",
            "(label Severity.HIGH)",
            "(def n (* 6 7))",
            "(fmt \"n is {n}\")",
            "(def n 1)",
            "\"two",
            "lines\"",
            ":defs",
            ":quit",
            "(+ 1 1)",
        ],
    );
    insta::assert_snapshot!(masked(&out, dir.path()));
}

#[test]
fn errors_are_rendered_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let out = transcript(
        &mut s,
        &[
            "(+ 1 \"x\")",
            "(defrecord P (a Int))",
            "(defworkflow w () -> P (record P :b 1))",
            ":defs",
            "(nope 3)",
            "(fail \"boom\")",
            "(defenum A X) 3",
            ":type (list 1 2)",
            ":type (if true 1 \"no\")",
            ":graph missing",
            ":yaml w",
            ":frobnicate",
            "(+ 1 1)",
        ],
    );
    insta::assert_snapshot!(masked(&out, dir.path()));
}

#[test]
fn load_reload_graph_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("double.wfl");
    std::fs::write(&file, "(defworkflow double ((x Int)) -> Int\n  (* x 2))\n").unwrap();
    let mut s = session(dir.path());
    let load = format!(":load {}", file.display());
    let first = transcript(
        &mut s,
        &[&load, ":defs", ":run double x=21", "(call double :x 4)"],
    );
    std::fs::write(
        &file,
        "(defworkflow double ((x Int)) -> Int\n  (+ x x 0))\n",
    )
    .unwrap();
    let second = transcript(
        &mut s,
        &[
            ":reload",
            ":graph double mermaid",
            ":runs",
            ":reset",
            ":defs",
        ],
    );
    let out = format!("{first}{second}");
    insta::assert_snapshot!(masked(&out, dir.path()));
}

#[test]
fn an_effect_runs_with_a_swapped_provider_and_leaves_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"repl/codex": {"reply": {"variant": "APPROVE", "notes": "looks good"}}}"#,
    )
    .unwrap();
    let mut s = session(dir.path());
    let swap = format!(":provider codex replay:{}", answers.display());
    let out = transcript(
        &mut s,
        &[
            "(defunion Review (APPROVE (notes String)) (REVISE (findings (List String))))",
            "(defprovider codex :argv (\"codex-not-installed\") :prompt-via stdin)",
            &swap,
            ":provider",
            "(match (provider codex :prompt \"Review the plan.\" :returns Review)",
            "  ((APPROVE a) a.notes)",
            "  ((REVISE r) (join \"; \" r.findings)))",
            "(command :argv (\"echo\" \"hi\"))",
            ":runs",
        ],
    );
    insta::assert_snapshot!(masked(&out, dir.path()));
    let runs: Vec<_> = std::fs::read_dir(dir.path().join(".wfl/runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 2);
    for run in runs {
        assert!(run.join("journal.jsonl").is_file());
        assert!(run.join("run.json").is_file());
    }
}

#[test]
fn the_binary_reads_piped_stdin_without_prompts() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inc.wfl"),
        "(defn inc ((n Int)) -> Int (+ n 1))\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["repl", "inc.wfl"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let script = "(inc\n  41)\n(inc \"x\")\n:type inc\n:quit\n(inc 0)\n";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn yaml_shows_the_lowering_or_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let out = transcript(
        &mut s,
        &[
            "(defworkflow hello ((name String)) -> String (let* ((r (command :argv (\"echo\" name)))) (trim r.stdout)))",
            ":yaml hello",
            "(defworkflow asks () -> String (human :ask \"ok?\"))",
            ":yaml asks",
            ":yaml nope",
        ],
    );
    assert!(out.contains("version: '2.14'"), "{out}");
    assert!(out.contains("E0501"), "{out}");
    insta::assert_snapshot!(masked(&out, dir.path()));
}

#[test]
fn imports_load_std_modules_and_files_beside_a_loaded_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lib")).unwrap();
    std::fs::write(
        dir.path().join("lib/shout.wfl"),
        "(module shout)\n(export shout)\n(defn bang ((s String)) -> String (concat s \"!\"))\n\
         (defn shout ((s String)) -> String (bang (upper s)))\n",
    )
    .unwrap();
    let main = dir.path().join("main.wfl");
    std::fs::write(
        &main,
        "(import \"./lib/shout.wfl\" :as sh)\n(defworkflow hail ((who String)) -> String\n  (sh/shout who))\n",
    )
    .unwrap();
    let mut s = session(dir.path());
    let load = format!(":load {}", main.display());
    let out = transcript(
        &mut s,
        &[
            &load,
            ":run hail who=ana",
            "(import \"std/review\" :only (Review approved?))",
            "(approved? (variant Review REVISE :findings (list \"typo\")))",
            "(sh/bang \"private\")",
            "(import \"std/reveiw\")",
        ],
    );
    insta::assert_snapshot!(masked(&out, dir.path()));
}
