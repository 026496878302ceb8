//! End-to-end tests of the real `wfl` binary, each in its own temp dir:
//! exit codes (0 clean, 1 problems, 2 usage or unreadable input), the JSON
//! lines format, the summary line, no colour through a pipe, and inputs
//! built to break things (binary garbage, 100k open parens, many files).
//! Whatever the input, the binary must exit with 0, 1 or 2, never panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CLEAN: &str = "(defn double ((x Int)) -> Int\n  (* x 2))\n";
/// One lexer error on line 2, whatever the later phases say about the rest.
const ONE_ERROR: &str = "(defn double ((x Int)) -> Int\n  (* x 2 @))\n";

fn wfl(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn wfl_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("killed by a signal")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the run ended normally: a known exit code and no panic.
fn assert_no_panic(out: &Output) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert!(matches!(code(out), 0..=2), "exit {}:\n{err}", code(out));
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn clean_file_exits_0_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "double.wfl", CLEAN);
    let out = wfl(dir.path(), &["check", "double.wfl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "no problems in double.wfl\n");
    assert!(out.stdout.is_empty());
}

#[test]
fn empty_file_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.wfl", "");
    let out = wfl(dir.path(), &["check", "empty.wfl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn problems_exit_1_with_a_report_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.wfl", ONE_ERROR);
    let out = wfl(dir.path(), &["check", "bad.wfl"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("[E0101] Error: unexpected character `@`"),
        "{err}"
    );
    assert!(err.contains("bad.wfl:2:10"), "{err}");
    assert!(err.ends_with("1 error in bad.wfl\n"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn no_colour_through_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.wfl", ONE_ERROR);
    let out = wfl(dir.path(), &["check", "bad.wfl"]);
    assert!(!out.stderr.contains(&0x1b), "{}", stderr(&out));
}

#[test]
fn json_format_prints_one_object_per_line_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.wfl",
        "(defn f ((x Int)) -> Int\n  (+ x @ 1 `))\n",
    );
    let out = wfl(dir.path(), &["check", "--format", "json", "bad.wfl"]);
    assert_eq!(code(&out), 1);
    // No report and no summary in JSON mode: stderr stays empty.
    assert_eq!(stderr(&out), "");
    let diags = json_lines(&out);
    assert_eq!(diags.len(), 2, "{diags:?}");
    for (d, column) in diags.iter().zip([8, 12]) {
        assert_eq!(d["code"], "E0101");
        assert_eq!(d["severity"], "error");
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("unexpected character")
        );
        assert_eq!(d["file"], "bad.wfl");
        assert_eq!(d["line"], 2);
        assert_eq!(d["column"], column);
        assert_eq!(d["end"]["line"], 2);
        assert_eq!(d["end"]["column"], column + 1);
    }
}

#[test]
fn json_format_prints_nothing_for_a_clean_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.wfl", CLEAN);
    let out = wfl(dir.path(), &["check", "--format", "json", "ok.wfl"]);
    assert_eq!(code(&out), 0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn missing_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.wfl", CLEAN);
    let out = wfl(dir.path(), &["check", "ok.wfl", "missing.wfl"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.starts_with("wfl: cannot read missing.wfl: "), "{err}");
    // Nothing is checked when the command line names unreadable input.
    assert!(!err.contains("no problems"), "{err}");
}

#[test]
fn a_directory_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub.wfl")).unwrap();
    let out = wfl(dir.path(), &["check", "sub.wfl"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("wfl: cannot read sub.wfl"));
}

#[test]
fn bad_command_lines_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &[][..],
        &["check"],
        &["frobnicate"],
        &["check", "--format", "xml", "a.wfl"],
        &["check", "--bogus", "a.wfl"],
        &["check", "-", "-"],
    ] {
        let out = wfl(dir.path(), args);
        assert_eq!(code(&out), 2, "wfl {args:?}: {}", stderr(&out));
    }
}

#[test]
fn version_and_help_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let out = wfl(dir.path(), &["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("wfl {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = wfl(dir.path(), &["check", "--help"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--format"));
}

#[test]
fn binary_garbage_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed xorshift stream: the same "random" bytes on every run.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let garbage: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert!(std::str::from_utf8(&garbage).is_err());
    write(dir.path(), "garbage.wfl", &garbage);
    let out = wfl(dir.path(), &["check", "--format", "json", "garbage.wfl"]);
    assert_no_panic(&out);
    assert_eq!(code(&out), 1);
    let diags = json_lines(&out);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0114");
    // The text report of the same file keeps to one bounded line.
    let out = wfl(dir.path(), &["check", "garbage.wfl"]);
    assert_eq!(code(&out), 1);
    assert!(out.stderr.len() < 4096, "{}", stderr(&out));
}

#[test]
fn invalid_utf8_after_valid_lines_points_at_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latin1.wfl",
        b"(defn f () -> String\n  \"caf\xe9\")\n",
    );
    let out = wfl(dir.path(), &["check", "--format", "json", "latin1.wfl"]);
    assert_eq!(code(&out), 1);
    let diags = json_lines(&out);
    assert_eq!(diags[0]["code"], "E0114");
    assert_eq!(
        (&diags[0]["line"], &diags[0]["column"]),
        (&2.into(), &7.into())
    );
    assert_eq!(diags[0]["label"], "byte 0xE9 is not valid UTF-8");
}

#[test]
fn garbage_that_is_valid_utf8_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let nasty = [
        "\"",
        "\\",
        "(",
        ")",
        "[",
        "]",
        "((((",
        "))))",
        "\"\\",
        ":",
        "::",
        "-",
        ".",
        "..",
        "a.",
        ".b",
        "1e",
        "-1.",
        "9999999999999999999999",
        "(defn",
        "(defworkflow w",
        "{",
        "}",
        "{{",
        "\u{0}",
        "\u{202e}",
        "é",
        "\u{1F600}",
        ";",
        "\r\n",
        "\t",
    ];
    for (i, piece) in nasty.iter().enumerate() {
        let text: String = (0..200)
            .map(|j| nasty[(i * 7 + j * 13) % nasty.len()])
            .collect();
        write(dir.path(), &format!("n{i}.wfl"), format!("{piece}{text}"));
    }
    let names: Vec<String> = (0..nasty.len()).map(|i| format!("n{i}.wfl")).collect();
    let mut args = vec!["check"];
    args.extend(names.iter().map(String::as_str));
    let out = wfl(dir.path(), &args);
    assert_no_panic(&out);
    assert_eq!(code(&out), 1);
}

#[test]
fn hundred_thousand_open_parens_is_e0106() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deep.wfl", "(".repeat(100_000));
    let out = wfl(dir.path(), &["check", "--format", "json", "deep.wfl"]);
    assert_no_panic(&out);
    assert_eq!(code(&out), 1);
    let codes: Vec<_> = json_lines(&out).iter().map(|d| d["code"].clone()).collect();
    assert!(codes.contains(&"E0106".into()), "{codes:?}");
}

/// Deepest nesting of `(`/`[` in a text without strings or comments.
fn depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0;
    for c in text.chars() {
        match c {
            '(' | '[' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// `shape(n)` for the largest `n` the reader accepts: within one step of
/// 128 levels (a `let*` adds three at a time).
fn deepest(shape: impl Fn(usize) -> String) -> String {
    let n = (1..)
        .take_while(|&n| depth(&shape(n)) <= 128)
        .last()
        .unwrap();
    let text = shape(n);
    assert!(depth(&text) > 125, "{text}");
    text
}

/// A named way to build a file nested `n` deep.
type Shape = (&'static str, fn(usize) -> String);

/// `n` nested `open … close` around `mid`.
fn nest(open: &str, mid: &str, close: &str, n: usize) -> String {
    format!("{}{mid}{}", open.repeat(n), close.repeat(n))
}

#[test]
fn deepest_accepted_nesting_does_not_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let shapes: [Shape; 6] = [
        ("calls", |n| {
            format!(
                "(defn f ((x Int)) -> Int\n  {})\n",
                nest("(+ 1 ", "x", ")", n)
            )
        }),
        ("ifs", |n| {
            format!(
                "(defn f ((b Bool)) -> Int\n  {})\n",
                nest("(if b ", "1", " 2)", n)
            )
        }),
        ("lets", |n| {
            format!(
                "(defn f () -> Int\n  {})\n",
                nest("(let* ((x ", "1", ")) x)", n)
            )
        }),
        ("lists", |n| {
            format!(
                "(defn f () -> Int\n  (length {}))\n",
                nest("(list ", "1", ")", n)
            )
        }),
        ("types", |n| {
            format!("(defrecord R (f {}))\n", nest("(List ", "Int", ")", n))
        }),
        ("data", |n| nest("(", "a", ")", n)),
    ];
    for (name, shape) in &shapes {
        let file = format!("{name}.wfl");
        write(dir.path(), &file, deepest(*shape));
        let out = wfl(dir.path(), &["check", &file]);
        assert_no_panic(&out);
        assert!(!stderr(&out).contains("E0106"), "{name}: {}", stderr(&out));
    }
    // One level more is refused.
    let calls = shapes[0].1;
    let n = (1..).find(|&n| depth(&calls(n)) > 128).unwrap();
    write(dir.path(), "deeper.wfl", calls(n));
    let out = wfl(dir.path(), &["check", "deeper.wfl"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("E0106"), "{}", stderr(&out));
}

#[test]
fn many_files_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for i in 0..60 {
        let name = format!("f{i:02}.wfl");
        write(
            dir.path(),
            &name,
            if i % 20 == 7 { ONE_ERROR } else { CLEAN },
        );
        names.push(name);
    }
    let mut args = vec!["check"];
    args.extend(names.iter().map(String::as_str));
    let out = wfl(dir.path(), &args);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.ends_with("3 errors in 3 files\n"), "{err}");
    // Reports come in the order the files were given.
    let pos = |name: &str| err.find(name).unwrap();
    assert!(pos("f07.wfl") < pos("f27.wfl") && pos("f27.wfl") < pos("f47.wfl"));

    args.push("--format=json");
    let out = wfl(dir.path(), &args);
    let files: Vec<_> = json_lines(&out).iter().map(|d| d["file"].clone()).collect();
    assert_eq!(files, ["f07.wfl", "f27.wfl", "f47.wfl"]);

    let out = wfl(dir.path(), &["check", "f00.wfl", "f01.wfl", "f02.wfl"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stderr(&out), "no problems in 3 files\n");
}

#[test]
fn dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = wfl_stdin(dir.path(), &["check", "-"], ONE_ERROR.as_bytes());
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("<stdin>:2:10"), "{err}");
    assert!(err.ends_with("1 error in <stdin>\n"), "{err}");
    let out = wfl_stdin(dir.path(), &["check", "-"], CLEAN.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn closed_stdout_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let bad: String = (0..2000).map(|_| "@\n").collect();
    write(dir.path(), "bad.wfl", bad);
    let mut child = Command::new(env!("CARGO_BIN_EXE_wfl"))
        .args(["check", "--format", "json", "bad.wfl"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end at once, as `wfl … | head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_no_panic(&out);
    assert_eq!(code(&out), 1);
}

/// Runs `wfl check bad.wfl` under a pseudo-terminal through util-linux
/// `script`; `None` where that tool is not installed.
fn check_on_a_tty(dir: &Path, no_color: Option<&str>) -> Option<Vec<u8>> {
    let mut cmd = Command::new("script");
    let line = format!("{} check bad.wfl", env!("CARGO_BIN_EXE_wfl"));
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    if let Some(value) = no_color {
        cmd.env("NO_COLOR", value);
    }
    let out = cmd.output().ok()?;
    out.status
        .code()
        .is_some_and(|c| c == 1)
        .then_some(out.stdout)
}

#[test]
fn colour_on_a_terminal_unless_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.wfl", ONE_ERROR);
    let Some(plain_tty) = check_on_a_tty(dir.path(), None) else {
        eprintln!("skipped: util-linux `script` is not available");
        return;
    };
    assert!(plain_tty.contains(&0x1b), "no colour on a terminal");
    let no_color = check_on_a_tty(dir.path(), Some("1")).unwrap();
    assert!(!no_color.contains(&0x1b), "colour despite NO_COLOR=1");
    // An empty NO_COLOR does not count as set (no-color.org).
    let empty = check_on_a_tty(dir.path(), Some("")).unwrap();
    assert!(empty.contains(&0x1b));
}
