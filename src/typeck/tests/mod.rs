//! Unit tests of the checker on small programs: parsed from source, checked,
//! and inspected through the typed program and the diagnostic codes.

use crate::diag::{Code, Diagnostic, FileId};
use crate::typeck::{Checked, check};

/// Parses and checks `src`; the parser must not complain.
pub fn run(src: &str) -> (Checked, Vec<Diagnostic>) {
    let (program, parse_diags) = crate::parser::parse(FileId(0), src);
    assert!(parse_diags.is_empty(), "parse errors: {parse_diags:#?}");
    check(&program)
}

pub fn codes(src: &str) -> Vec<Code> {
    let mut diags = run(src).1;
    crate::diag::sort_diagnostics(&mut diags);
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn empty_program_checks() {
    assert!(codes("").is_empty());
}
