//! The fixture harness. Every `tests/fixtures/err/*.wfl` opens with the line
//! `;; expect: E0xxx line N`; checking it must give a diagnostic with that
//! code whose primary span starts on line N, and its rendered text report
//! (no colour) must match the insta snapshot named after the file stem, in
//! tests/snapshots/. Every `tests/fixtures/ok/*.wfl` and `examples/*.wfl`
//! must check without a single diagnostic. Every E01xx, E02xx and E03xx code
//! must be named by some err fixture. Files are read and checked once, in
//! sorted order, through the same `check_bytes` the CLI uses. The ```wfl
//! blocks of README.md and docs/language.md are held to what those files
//! promise: a block opening with `;; expect: E0xxx` reports that code and no
//! other; any other block checks clean.
//!
//! New or changed reports: `INSTA_UPDATE=always cargo test --test fixtures`,
//! then review the snapshot diff before committing it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use wfl::diag::{Code, Diagnostic, RenderOptions, SourceMap, render_text};

/// One fixture or example, checked.
struct Fixture {
    /// Path relative to the crate root, as shown in the reports.
    name: String,
    stem: String,
    bytes: Vec<u8>,
    map: SourceMap,
    /// The diagnostics, or the message of a panic while checking.
    outcome: Result<Vec<Diagnostic>, String>,
}

impl Fixture {
    fn load(root: &Path, path: &Path) -> Fixture {
        let name = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let mut map = SourceMap::new();
        let input = bytes.clone();
        let outcome = wfl::cli::on_large_stack(|| wfl::cli::check_bytes(&mut map, &name, input))
            .map(|(_, diags)| diags)
            .map_err(|panic| {
                let msg = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                format!("{name}: the checker panicked: {msg}")
            });
        Fixture {
            name,
            stem,
            bytes,
            map,
            outcome,
        }
    }

    /// `E0213 line 4: type mismatch` for each diagnostic.
    fn listing(&self, diags: &[Diagnostic]) -> String {
        diags
            .iter()
            .map(|d| format!("  {} line {}: {}", d.code, self.line_of(d), d.message))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn line_of(&self, diag: &Diagnostic) -> usize {
        self.map
            .get(diag.span().file)
            .map_or(0, |f| f.line_col(diag.span().start as usize).0)
    }

    /// The expected code and line from the first line, or why it is malformed.
    fn expectation(&self) -> Result<(Code, usize), String> {
        let first = self.bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let first = String::from_utf8_lossy(first);
        let bad = || {
            format!(
                "{}: the first line must be `;; expect: E0xxx line N`, found `{}`",
                self.name,
                first.trim_end()
            )
        };
        let rest = first
            .trim_end()
            .strip_prefix(";; expect: ")
            .ok_or_else(bad)?;
        let mut words = rest.split(' ');
        let (Some(code), Some("line"), Some(line), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad());
        };
        let code = Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .ok_or_else(|| format!("{}: `{code}` is not a diagnostic code", self.name))?;
        let line = line.parse().map_err(|_| bad())?;
        Ok((code, line))
    }
}

struct Fixtures {
    err: Vec<Fixture>,
    /// ok fixtures and examples.
    ok: Vec<Fixture>,
}

static FIXTURES: LazyLock<Fixtures> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let load_dir = |dir: &str| -> Vec<Fixture> {
        wfl_files(&root.join(dir))
            .iter()
            .map(|p| Fixture::load(root, p))
            .collect()
    };
    let mut ok = load_dir("tests/fixtures/ok");
    ok.extend(load_dir("examples"));
    Fixtures {
        err: load_dir("tests/fixtures/err"),
        ok,
    }
});

/// The `*.wfl` files directly in `dir`, sorted; none if it does not exist.
fn wfl_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wfl"))
        .collect();
    files.sort();
    files
}

fn fail_with(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}\n",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn err_fixtures_report_the_expected_code_and_match_their_snapshot() {
    let mut problems = Vec::new();
    for fx in &FIXTURES.err {
        let diags = match &fx.outcome {
            Ok(diags) => diags,
            Err(panic) => {
                problems.push(panic.clone());
                continue;
            }
        };
        match fx.expectation() {
            Err(msg) => problems.push(msg),
            Ok((code, line)) => {
                let found = diags
                    .iter()
                    .any(|d| d.code == code && fx.line_of(d) == line);
                if !found {
                    problems.push(format!(
                        "{}: expected {code} on line {line}, got:\n{}",
                        fx.name,
                        if diags.is_empty() {
                            "  no diagnostics".to_string()
                        } else {
                            fx.listing(diags)
                        }
                    ));
                }
            }
        }
        let report = render_text(&fx.map, diags, RenderOptions { color: false });
        let snapshot = std::panic::catch_unwind(|| {
            insta::with_settings!({
                input_file => Path::new(env!("CARGO_MANIFEST_DIR")).join(&fx.name),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(fx.stem.as_str(), report);
            });
        });
        if snapshot.is_err() {
            problems.push(format!(
                "{}: the report differs from snapshot `{}` (see above)",
                fx.name, fx.stem
            ));
        }
    }
    fail_with(&problems);
}

#[test]
fn ok_fixtures_and_examples_check_clean() {
    let mut problems = Vec::new();
    for fx in &FIXTURES.ok {
        match &fx.outcome {
            Err(panic) => problems.push(panic.clone()),
            Ok(diags) if diags.is_empty() => {}
            Ok(diags) => problems.push(format!(
                "{}: expected no diagnostics, got:\n{}",
                fx.name,
                render_text(&fx.map, diags, RenderOptions { color: false })
            )),
        }
    }
    fail_with(&problems);
}

#[test]
fn every_front_end_code_has_an_err_fixture() {
    let named: Vec<Code> = FIXTURES
        .err
        .iter()
        .filter_map(|fx| fx.expectation().ok().map(|(code, _)| code))
        .collect();
    let missing: Vec<String> = Code::ALL
        .iter()
        .filter(|c| {
            ["E01", "E02", "E03"]
                .iter()
                .any(|p| c.as_str().starts_with(p))
        })
        .filter(|c| !named.contains(c))
        .map(|c| format!("{c} ({})", c.summary()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} code(s) have no tests/fixtures/err/*.wfl naming them in `;; expect:`:\n  {}\n",
        missing.len(),
        missing.join("\n  ")
    );
}

#[test]
fn every_fixture_snapshot_has_its_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut orphans: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| {
            let stem = name.strip_prefix("fixtures__")?.strip_suffix(".snap")?;
            (!FIXTURES.err.iter().any(|fx| fx.stem == stem)).then_some(name)
        })
        .collect();
    orphans.sort();
    assert!(
        orphans.is_empty(),
        "snapshots without an err fixture (delete them):\n  {}\n",
        orphans.join("\n  ")
    );
}

/// The ```wfl blocks of a Markdown file: (line of the opening fence, code).
fn wfl_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut open {
            None if line.trim_end() == "```wfl" => open = Some((i + 1, String::new())),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(open.take()),
            Some((_, code)) => {
                code.push_str(line);
                code.push('\n');
            }
        }
    }
    blocks
}

#[test]
fn doc_examples_check_as_the_docs_say() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for doc in ["README.md", "docs/language.md"] {
        let Ok(markdown) = std::fs::read_to_string(root.join(doc)) else {
            continue;
        };
        let blocks = wfl_blocks(&markdown);
        if blocks.is_empty() {
            problems.push(format!("{doc}: no ```wfl blocks found"));
        }
        for (line, code) in blocks {
            let name = format!("{doc}:{line}");
            let expect = code
                .lines()
                .next()
                .and_then(|l| l.trim_end().strip_prefix(";; expect: "))
                .map(str::to_string);
            let mut map = SourceMap::new();
            let checked = wfl::cli::on_large_stack(|| {
                wfl::cli::check_bytes(&mut map, &name, code.into_bytes()).1
            });
            let Ok(diags) = checked else {
                problems.push(format!("{name}: the checker panicked"));
                continue;
            };
            let ok = match &expect {
                None => diags.is_empty(),
                Some(want) => !diags.is_empty() && diags.iter().all(|d| d.code.as_str() == want),
            };
            if !ok {
                problems.push(format!(
                    "{name}: the block should {}, got:\n{}",
                    expect.map_or("check clean".to_string(), |c| format!("report {c} only")),
                    if diags.is_empty() {
                        "no diagnostics".to_string()
                    } else {
                        render_text(&map, &diags, RenderOptions { color: false })
                    }
                ));
            }
        }
    }
    fail_with(&problems);
}
