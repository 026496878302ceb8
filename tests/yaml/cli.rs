//! `wfl compile FILE --to yaml [-o DIR] [--entry WF]` end to end: a
//! single-file result on stdout, `-o` needed (exit 2) for several files,
//! the files written with `-o`, refusals exit 1, compile and usage errors
//! exit 2.

use std::path::Path;
use std::process::Command;

fn wfl() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wfl"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = wfl().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn one_file_goes_to_stdout() {
    let (code, stdout, _) = run(&[
        "compile",
        "examples/design_plan_implement.wfl",
        "--to",
        "yaml",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("version: '2.14'\nname: ship-feature\n"),
        "{stdout}"
    );
}

#[test]
fn several_files_need_an_output_directory() {
    let (code, stdout, stderr) =
        run(&["compile", "examples/pm_coder_reviewer.wfl", "--to", "yaml"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("write them with -o DIR"), "{stderr}");
}

#[test]
fn output_directory_gets_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = run(&[
        "compile",
        "examples/pm_coder_reviewer.wfl",
        "--to",
        "yaml",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    for name in ["deliver.yaml", "deliver.patch.yaml", "deliver.tests.yaml"] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert!(text.starts_with("version: '2.14'\n"), "{name}");
        assert!(stderr.contains(name), "{stderr}");
    }
}

#[test]
fn refusals_exit_1_and_name_the_construct() {
    let (code, stdout, stderr) =
        run(&["compile", "examples/retry_with_context.wfl", "--to", "yaml"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("[E0501]") && stderr.contains("reached through this call"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot be lowered to YAML (1 problem)"),
        "{stderr}"
    );
}

#[test]
fn compile_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.wfl");
    std::fs::write(&bad, "(defworkflow w () -> Int \"no\")\n").unwrap();
    let (code, _, stderr) = run(&["compile", bad.to_str().unwrap(), "--to", "yaml"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = run(&["compile", "examples/verification_panel.wfl", "--to", "json"]);
    assert_eq!(code, 2);
    let (code, _, stderr) = run(&[
        "compile",
        "examples/verification_panel.wfl",
        "--to",
        "yaml",
        "--entry",
        "nope",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no workflow `nope`"), "{stderr}");
    assert!(!Path::new("state").exists() || Path::new("state").is_dir());
}
