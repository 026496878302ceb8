//! Unit tests of the structural checks, one file per rule family. Sources
//! are parsed with the real parser (which must report nothing) and checked
//! with `check`; assertions name codes, lines and the text under spans.

mod bounds;
mod effects;
mod fixtures;
mod items;
mod recur;

use super::check;
use crate::diag::{Code, Diagnostic, FileId};

/// Parses `src` (which must be free of parse errors) and runs the checks.
fn diags_of(src: &str) -> Vec<Diagnostic> {
    let (program, parse_diags) = crate::parser::parse(FileId(0), src);
    assert!(
        parse_diags.is_empty(),
        "the test source must parse cleanly: {parse_diags:#?}"
    );
    let mut diags = Vec::new();
    check(&program, &mut diags);
    diags
}

/// The codes reported for `src`, in report order.
fn codes(src: &str) -> Vec<Code> {
    diags_of(src).iter().map(|d| d.code).collect()
}

/// Asserts `src` gets no structural diagnostics.
fn clean(src: &str) {
    let diags = diags_of(src);
    assert!(diags.is_empty(), "expected no diagnostics, got {diags:#?}");
}

/// The one diagnostic of `src`, which must have `code`.
fn only(src: &str, code: Code) -> Diagnostic {
    let diags = diags_of(src);
    assert_eq!(
        diags.len(),
        1,
        "expected exactly one {code}, got {diags:#?}"
    );
    assert_eq!(diags[0].code, code, "{diags:#?}");
    diags.into_iter().next().unwrap()
}

/// The source text under `span`.
fn text(src: &str, span: crate::diag::Span) -> &str {
    &src[span.range()]
}

/// A workflow around `body`, with a few parameters to use.
fn wf(body: &str) -> String {
    format!("(defworkflow w ((xs (List Int)) (n Int)) -> Int\n  {body})")
}
