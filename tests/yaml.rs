//! The YAML back end (`wfl compile --to yaml`) on real programs. Every
//! example and every construct fixture in tests/lower/ lowers to the YAML
//! of its insta snapshot (tests/snapshots/yaml__*.snap: the files, each
//! under a `# file:` line) or, for an example the DSL cannot express, to
//! the rendered refusals; every workflow of tests/fixtures/ok/ lowers or
//! is refused with E05xx, never an internal error. Every
//! tests/lower/refuse/*.wfl opens with
//! `;; expect: E05xx line N` and is refused with that code on that line;
//! every refusal code has such a fixture. The emitted YAML never has the
//! shapes the DSL's validator wrongly accepts (reference §1.4), the
//! self-check rejects those shapes, strings stay strings under YAML 1.1,
//! the examples stay within the quality goal (about 4 YAML lines per
//! source line), docs/yaml-lowering.md shows what the compiler emits, and
//! the YAML computes what `wfl run` computes. Tests that need python3 with
//! PyYAML, or jq, skip themselves when it is missing.
//!
//! New or changed output: `INSTA_UPDATE=always cargo test --test yaml`,
//! then review the snapshot diff before committing it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "yaml/support.rs"]
mod support;

use std::path::Path;
use support::{Lowered, lower_file, render, wfl_files};
use wfl::diag::Code;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn examples_lower_as_their_snapshots() {
    for path in wfl_files(&root().join("examples")) {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = render(&lower_file(&path));
        insta::assert_snapshot!(format!("example_{stem}"), text);
    }
}

#[test]
fn construct_fixtures_lower_as_their_snapshots() {
    for path in wfl_files(&root().join("tests/lower")) {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let lowered = lower_file(&path);
        assert!(
            matches!(lowered, Lowered::Yaml(_)),
            "{}: a construct fixture must lower:\n{}",
            path.display(),
            render(&lowered)
        );
        insta::assert_snapshot!(format!("construct_{stem}"), render(&lowered));
    }
}

/// `;; expect: E05xx line N` of a refusal fixture.
fn expectation(path: &Path) -> (String, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let rest = first
        .strip_prefix(";; expect: ")
        .unwrap_or_else(|| panic!("{}: no `;; expect:` line", path.display()));
    let mut words = rest.split(' ');
    let code = words.next().unwrap().to_string();
    assert_eq!(words.next(), Some("line"), "{}", path.display());
    let line = words.next().unwrap().parse().unwrap();
    (code, line)
}

#[test]
fn refusal_fixtures_report_their_code_and_match_their_snapshot() {
    for path in wfl_files(&root().join("tests/lower/refuse")) {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (code, line) = expectation(&path);
        let lowered = lower_file(&path);
        let Lowered::Refused { diags, lines, .. } = &lowered else {
            panic!("{}: expected {code}, but it lowered", path.display());
        };
        assert!(
            diags
                .iter()
                .zip(lines)
                .any(|(d, l)| d.code.as_str() == code && *l == line),
            "{}: expected {code} on line {line}, got:\n{}",
            path.display(),
            render(&lowered)
        );
        assert!(
            diags
                .iter()
                .all(|d| d.code.as_str().starts_with("E05") && d.code != Code::E0599),
            "{}: only refusals expected:\n{}",
            path.display(),
            render(&lowered)
        );
        insta::assert_snapshot!(format!("refuse_{stem}"), render(&lowered));
    }
}

#[test]
fn every_refusal_code_has_a_fixture() {
    let named: Vec<String> = wfl_files(&root().join("tests/lower/refuse"))
        .iter()
        .map(|p| expectation(p).0)
        .collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("E05") && **c != Code::E0599)
        .map(|c| c.as_str())
        .filter(|c| !named.iter().any(|n| n == c))
        .collect();
    assert!(
        missing.is_empty(),
        "refusal codes without a fixture: {missing:?}"
    );
}

#[test]
fn every_yaml_snapshot_has_its_source() {
    let dir = root().join("tests/snapshots");
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix("yaml__")
            .and_then(|n| n.strip_suffix(".snap"))
        else {
            continue;
        };
        let source = if let Some(s) = rest.strip_prefix("example_") {
            root().join("examples").join(format!("{s}.wfl"))
        } else if let Some(s) = rest.strip_prefix("construct_") {
            root().join("tests/lower").join(format!("{s}.wfl"))
        } else if let Some(s) = rest.strip_prefix("refuse_") {
            root().join("tests/lower/refuse").join(format!("{s}.wfl"))
        } else {
            continue;
        };
        if !source.exists() {
            orphans.push(name);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a source (delete them): {orphans:?}"
    );
}

#[path = "yaml/shapes.rs"]
mod shapes;

#[path = "yaml/quality.rs"]
mod quality;

#[path = "yaml/cli.rs"]
mod cli;

#[path = "yaml/docs.rs"]
mod docs;

#[path = "yaml/run.rs"]
mod run;

#[test]
fn every_workflow_of_the_ok_fixtures_lowers_or_is_refused_cleanly() {
    for path in wfl_files(&root().join("tests/fixtures/ok")) {
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let mut map = wfl::diag::SourceMap::new();
        let file = map.add(name.as_str(), src.as_str());
        let (checked, _) = wfl::check_file(&mut map, file);
        // A generic workflow is no entry (`wfl compile` says so, exit 2).
        let workflows: Vec<String> = checked
            .tables
            .workflows
            .values()
            .filter(|w| w.type_params.is_empty())
            .map(|w| w.name.to_string())
            .collect();
        for wf in workflows {
            match support::lower_source(&name, &src, Some(&wf)) {
                Lowered::Yaml(files) => assert!(!files.is_empty()),
                Lowered::Refused { diags, .. } => {
                    for d in &diags {
                        assert!(
                            d.code.as_str().starts_with("E05") && d.code != Code::E0599,
                            "{name} ({wf}): {} {}",
                            d.code,
                            d.message
                        );
                    }
                }
            }
        }
    }
}
