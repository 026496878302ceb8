//! Item-level checks. A `defprompt` placeholder `{x}` or `{x.f}` must start
//! with a parameter of the prompt (E0219). A `defpath` root (`:under`) must
//! be relative to the workspace and stay inside it: not `/…`, `\…`, `~…`
//! or `C:…`, and no `..` segment; its `:ext` must start with `.` and name
//! something after it (E0221).
//!
//! What holds: these read only the item itself; one diagnostic per bad
//! placeholder, at most one per `:under` and one per `:ext`.

use crate::diag::{Code, Diagnostic, Span, did_you_mean};
use crate::parser::ast::{PathDef, PromptDef, TemplatePart};

/// E0219 for every placeholder of `prompt` that names no parameter.
pub(super) fn check_prompt(prompt: &PromptDef, diags: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = prompt.params.iter().map(|p| p.name.name.as_str()).collect();
    for part in &prompt.template.parts {
        let TemplatePart::Hole { path, .. } = part else {
            continue;
        };
        let Some(first) = path.first() else { continue };
        if names.contains(&first.name.as_str()) {
            continue;
        }
        let written: Vec<&str> = path.iter().map(|i| i.name.as_str()).collect();
        let mut d = Diagnostic::error(
            Code::E0219,
            first.span,
            format!(
                "placeholder `{{{}}}` names no parameter of prompt `{}`",
                written.join("."),
                prompt.name.name
            ),
        )
        .with_primary(format!("`{}` is not a parameter", first.name));
        d = match (prompt.params.first(), prompt.params.last()) {
            (Some(p0), Some(pn)) => d.with_label(
                p0.span.to(pn.span),
                format!("the parameters of `{}`", prompt.name.name),
            ),
            _ => d.with_label(
                prompt.name.span,
                format!("`{}` has no parameters", prompt.name.name),
            ),
        };
        let hint = did_you_mean(&first.name, names.iter().copied()).unwrap_or_else(|| {
            format!(
                "add `({} String)` to the parameters of `{}`, or write `{{{{` and `}}}}` \
                 for literal braces",
                first.name, prompt.name.name
            )
        });
        diags.push(d.with_hint(hint));
    }
}

/// E0221 for the `:under` and `:ext` of `def`.
pub(super) fn check_path(def: &PathDef, diags: &mut Vec<Diagnostic>) {
    if let Some(under) = &def.under {
        if let Some(problem) = absolute(&under.value) {
            diags.push(
                Diagnostic::error(
                    Code::E0221,
                    under.span,
                    format!("the root of path type `{}` is absolute", def.name.name),
                )
                .with_primary(problem)
                .with_hint(
                    "a path type's root is relative to the workspace, such as \
                     `:under \"docs\"`; it cannot name a place outside it",
                ),
            );
        } else if has_parent(&under.value) {
            diags.push(
                Diagnostic::error(
                    Code::E0221,
                    under.span,
                    format!("the root of path type `{}` contains `..`", def.name.name),
                )
                .with_primary("`..` could lead outside the workspace")
                .with_hint("name the root from the workspace down, without `..`"),
            );
        }
    }
    if let Some(ext) = &def.ext {
        let problem = match ext.value.as_str() {
            "" => Some(("the extension is empty", ".md".to_string())),
            "." => Some(("nothing follows the `.`", ".md".to_string())),
            v if !v.starts_with('.') => Some(("does not start with `.`", format!(".{v}"))),
            _ => None,
        };
        if let Some((problem, example)) = problem {
            diags.push(ext_problem(def, ext.span, problem, &example));
        }
    }
}

fn ext_problem(def: &PathDef, span: Span, problem: &str, example: &str) -> Diagnostic {
    Diagnostic::error(
        Code::E0221,
        span,
        format!(
            "the extension of path type `{}` must start with `.`",
            def.name.name
        ),
    )
    .with_primary(problem)
    .with_hint(format!(
        "write the extension with its dot: `:ext \"{example}\"`"
    ))
}

/// Why `root` is absolute, if it is.
fn absolute(root: &str) -> Option<&'static str> {
    if root.starts_with('/') {
        Some("starts at the file system root `/`")
    } else if root.starts_with("\\\\") {
        Some("a network (UNC) path")
    } else if root.starts_with('\\') {
        Some("starts at the drive root `\\`")
    } else if root.starts_with('~') {
        Some("`~` is a home directory, outside the workspace")
    } else if is_drive(root) {
        Some("starts with a Windows drive letter")
    } else {
        None
    }
}

/// Whether `root` has a `..` segment.
fn has_parent(root: &str) -> bool {
    root.split(['/', '\\']).any(|seg| seg == "..")
}

/// `C:`, `c:\…`, `D:/…`.
fn is_drive(root: &str) -> bool {
    let bytes = root.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}
