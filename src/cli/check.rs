//! `wfl check FILE…`: reads every file first (any unreadable one is a usage
//! error and nothing is checked), then checks them in order into one
//! `SourceMap` and prints each file's diagnostics as soon as it is done:
//! text on stderr, or with `--format json` one JSON object per line on
//! stdout. In text mode a one-line summary ends the output on stderr. The
//! exit status is `Problems` exactly when some diagnostic is an error.

use super::{ExitStatus, eprint_text, print_text};
use crate::diag::{
    Code, Diagnostic, FileId, RenderOptions, Severity, SourceMap, render_json, render_text,
};
use clap::{Args, ValueEnum};
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Source files to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Text reports on stderr, or JSON lines on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Adds one file's bytes to the map and checks it: the entry the CLI and the
/// fixture tests share. A file that is not UTF-8 gets only its E0114
/// diagnostic, since what its text means is unknown.
pub fn check_bytes(
    map: &mut SourceMap,
    name: impl Into<String>,
    bytes: Vec<u8>,
) -> (FileId, Vec<Diagnostic>) {
    match crate::modules::source::add_source(map, name, bytes) {
        (file, Some(not_utf8)) => (file, vec![not_utf8]),
        (file, None) => (file, crate::check_file(map, file).1),
    }
}

pub fn run(args: CheckArgs) -> ExitStatus {
    if args.files.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        eprint_text("wfl: `-` (standard input) can be given only once\n");
        return ExitStatus::Usage;
    }
    let mut inputs = Vec::with_capacity(args.files.len());
    let mut unreadable = false;
    for path in &args.files {
        match crate::modules::source::read_input(path) {
            Ok(input) => inputs.push(input),
            Err(message) => {
                eprint_text(&format!("wfl: {message}\n"));
                unreadable = true;
            }
        }
    }
    if unreadable {
        return ExitStatus::Usage;
    }

    let opts = RenderOptions {
        color: super::stderr_color(),
    };
    let mut map = SourceMap::new();
    let mut tally = Tally::default();
    // A module imported by several of the files (or given itself) is
    // checked with each; its problems are reported once.
    let mut reported: HashSet<(Code, String, u32, u32, String)> = HashSet::new();
    for (name, bytes) in inputs {
        let (file, mut diags) = check_bytes(&mut map, name, bytes);
        diags.retain(|d| {
            let span = d.span();
            let at = map.name(span.file).to_string();
            reported.insert((d.code, at, span.start, span.end, d.message.clone()))
        });
        match args.format {
            Format::Text => eprint_text(&render_text(&map, &diags, opts)),
            Format::Json => print_text(&render_json(&map, &diags)),
        }
        let files: Vec<&str> = diags.iter().map(|d| map.name(d.span().file)).collect();
        tally.add(map.name(file), &diags, &files);
    }
    if args.format == Format::Text {
        eprint_text(&format!("{}\n", tally.summary()));
    }
    if tally.errors > 0 {
        ExitStatus::Problems
    } else {
        ExitStatus::Clean
    }
}

/// Counts for the summary line.
#[derive(Debug, Default)]
struct Tally {
    errors: usize,
    warnings: usize,
    checked: Vec<String>,
    /// Files with at least one diagnostic.
    with_problems: Vec<String>,
}

impl Tally {
    /// Counts `diags` of checking `name`; `files` names the file of each.
    fn add(&mut self, name: &str, diags: &[Diagnostic], files: &[&str]) {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        self.errors += errors;
        self.warnings += diags.len() - errors;
        self.checked.push(name.to_string());
        for file in files {
            if !self.with_problems.iter().any(|f| f == file) {
                self.with_problems.push(file.to_string());
            }
        }
    }

    /// `no problems in review.wfl`, `2 errors in review.wfl`,
    /// `3 errors and 1 warning in 2 files`, `no problems in 5 files`.
    fn summary(&self) -> String {
        let counts = match (self.errors, self.warnings) {
            (0, 0) => "no problems".to_string(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{} and {}", plural(e, "error"), plural(w, "warning")),
        };
        let files = if self.with_problems.is_empty() {
            &self.checked
        } else {
            &self.with_problems
        };
        match files.as_slice() {
            [one] => format!("{counts} in {one}"),
            many => format!("{counts} in {} files", many.len()),
        }
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Span};

    fn diag(severity: Severity) -> Diagnostic {
        let mut d = Diagnostic::error(Code::E0101, Span::default(), "x");
        d.severity = severity;
        d
    }

    #[test]
    fn summary_names_the_file_or_counts_files() {
        let mut t = Tally::default();
        t.add("a.wfl", &[], &[]);
        assert_eq!(t.summary(), "no problems in a.wfl");
        t.add("b.wfl", &[], &[]);
        assert_eq!(t.summary(), "no problems in 2 files");
        t.add("c.wfl", &[diag(Severity::Error)], &["c.wfl"]);
        assert_eq!(t.summary(), "1 error in c.wfl");
        t.add(
            "d.wfl",
            &[diag(Severity::Error), diag(Severity::Warning)],
            &["d.wfl", "d.wfl"],
        );
        assert_eq!(t.summary(), "2 errors and 1 warning in 2 files");
    }

    #[test]
    fn problems_count_at_the_file_they_are_in() {
        let mut t = Tally::default();
        // Checking main.wfl found a problem in the module it imports.
        t.add("main.wfl", &[diag(Severity::Error)], &["lib/a.wfl"]);
        assert_eq!(t.summary(), "1 error in lib/a.wfl");
    }

    #[test]
    fn warnings_alone() {
        let mut t = Tally::default();
        t.add(
            "a.wfl",
            &[diag(Severity::Warning), diag(Severity::Warning)],
            &["a.wfl", "a.wfl"],
        );
        assert_eq!(t.summary(), "2 warnings in a.wfl");
    }
}
