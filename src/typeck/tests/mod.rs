//! Unit tests of the checker on small programs: parsed from source, checked,
//! and inspected through the typed program and the diagnostic codes.

mod inference;
mod robustness;
mod rules;
mod typed;

use crate::diag::{Code, Diagnostic, FileId};
use crate::typeck::{Checked, check};

/// Parses and checks `src`; the parser must not complain.
pub fn run(src: &str) -> (Checked, Vec<Diagnostic>) {
    let (program, parse_diags) = crate::parser::parse(FileId(0), src);
    assert!(parse_diags.is_empty(), "parse errors: {parse_diags:#?}");
    let (checked, mut diags) = check(&program);
    crate::diag::sort_diagnostics(&mut diags);
    (checked, diags)
}

/// The codes reported for `src`, in source order.
pub fn codes(src: &str) -> Vec<Code> {
    run(src).1.iter().map(|d| d.code).collect()
}

/// Asserts that `src` checks clean, showing the diagnostics otherwise.
pub fn clean(src: &str) -> Checked {
    let (checked, diags) = run(src);
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(diags.is_empty(), "unexpected diagnostics: {shown:#?}");
    checked
}

/// The messages reported for `src`.
pub fn messages(src: &str) -> Vec<String> {
    run(src)
        .1
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

#[test]
fn empty_program_checks() {
    assert!(codes("").is_empty());
}
