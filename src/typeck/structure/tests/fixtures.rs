//! The structural checks against the repository's own sources: every ok
//! fixture and example passes them, and every err fixture passes them
//! except the ones that expect a structural code, which must get exactly
//! that code on the expected line. This holds even before the type checker
//! calls `check`, so the fixtures of these codes are known to be right.

use super::check;
use crate::diag::{Code, FileId};
use std::path::{Path, PathBuf};

/// The codes this module reports.
const OURS: [Code; 11] = [
    Code::E0219,
    Code::E0221,
    Code::E0301,
    Code::E0304,
    Code::E0305,
    Code::E0306,
    Code::E0307,
    Code::E0308,
    Code::E0309,
    Code::E0310,
    Code::E0311,
];

fn wfl_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wfl"))
        .collect();
    files.sort();
    files
}

/// `(code, line)` of each structural diagnostic of `src`.
fn structural(src: &str) -> Vec<(Code, usize)> {
    let (program, _) = crate::parser::parse(FileId(0), src);
    let mut diags = Vec::new();
    check(&program, &mut diags);
    diags
        .iter()
        .map(|d| {
            let line = src[..d.span().start as usize].matches('\n').count() + 1;
            (d.code, line)
        })
        .collect()
}

/// The `;; expect: E0xxx line N` of a fixture.
fn expectation(src: &str) -> Option<(String, usize)> {
    let rest = src.lines().next()?.strip_prefix(";; expect: ")?;
    let mut words = rest.split(' ');
    let code = words.next()?.to_string();
    words.next()?;
    Some((code, words.next()?.parse().ok()?))
}

#[test]
fn ok_fixtures_and_examples_pass_the_structural_checks() {
    let mut files = wfl_files("tests/fixtures/ok");
    files.extend(wfl_files("examples"));
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap();
        assert_eq!(structural(&src), vec![], "{}", path.display());
    }
}

#[test]
fn err_fixtures_get_exactly_their_structural_code() {
    for path in wfl_files("tests/fixtures/err") {
        // Not-UTF-8 fixtures never reach the checker.
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (code, line) = expectation(&src).unwrap();
        let ours = OURS.iter().find(|c| c.as_str() == code);
        let expected = match ours {
            Some(c) => vec![(*c, line)],
            None => vec![],
        };
        let got = structural(&src);
        // E0301 is also the checker's, for a workflow passed as a pure
        // function: such a fixture has no structural problem at all.
        if got.is_empty() && code == "E0301" && path.to_string_lossy().contains("workflow-passed") {
            continue;
        }
        assert_eq!(got, expected, "{}", path.display());
    }
}
