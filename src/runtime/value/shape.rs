//! What a value read from outside must look like, beyond its JSON shape:
//! the `ShapeError` every boundary reports (with the JSONPath of the
//! offending place), and the path rules.
//!
//! A Path value is a workspace-relative string: not empty, not absolute
//! (no leading `/` or `\`, no drive letter), no NUL byte, and no `..`
//! segment (`/` and `\` both separate segments). A `defpath` refinement
//! adds `:under DIR` (the path lies strictly inside DIR, compared segment
//! by segment after dropping empty and `.` segments) and `:ext EXT` (the
//! last segment ends with EXT and is longer than it; a missing leading dot
//! on EXT is supplied). `:must-exist` needs the workspace, so it is a
//! separate walk (`check_must_exist`) the caller runs with the workspace
//! root after validation.
//!
//! What holds: a JSONPath is rendered only when an error is built; while
//! reading, the place is a stack of borrowed segments.

use super::Value;
use crate::typeck::types::Type;
use crate::typeck::{PathInfo, Tables};
use serde_json::Value as Json;
use std::fmt;
use std::path::Path;

/// A JSON value did not fit the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    /// JSONPath of the offending place: `$`, `$.review.variant`, `$.xs[2]`.
    pub path: String,
    /// What the type wants there: `Int`, `one of LOW, HIGH`.
    pub expected: String,
    /// What was there: `"three"`, `nothing (the field is missing)`.
    pub found: String,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at {}: expected {}, found {}",
            self.path, self.expected, self.found
        )
    }
}

impl std::error::Error for ShapeError {}

/// One step of a JSONPath.
#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The place being read, kept as borrowed segments and rendered only when
/// an error needs it.
#[derive(Debug, Default)]
pub(super) struct Trail<'a>(Vec<Seg<'a>>);

impl<'a> Trail<'a> {
    pub fn push_key(&mut self, key: &'a str) {
        self.0.push(Seg::Key(key));
    }

    pub fn push_index(&mut self, i: usize) {
        self.0.push(Seg::Index(i));
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }

    pub fn render(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.0 {
            match seg {
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
                Seg::Key(k) if is_plain_key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Key(k) => out.push_str(&format!("[{}]", Json::from(*k))),
            }
        }
        out
    }

    pub fn error(&self, expected: impl Into<String>, found: impl Into<String>) -> ShapeError {
        ShapeError {
            path: self.render(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}

fn is_plain_key(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// How a found JSON value reads in a message: short ones as JSON, long
/// ones cut, containers by kind.
pub(super) fn describe_json(j: &Json) -> String {
    const MAX: usize = 60;
    match j {
        Json::Object(m) if m.is_empty() => "{}".into(),
        Json::Object(_) => "an object".into(),
        Json::Array(xs) if xs.is_empty() => "[]".into(),
        Json::Array(xs) => format!("an array of {}", xs.len()),
        Json::String(s) if s.chars().count() > MAX => {
            let cut: String = s.chars().take(MAX).collect();
            format!("{}…", Json::String(cut))
        }
        other => other.to_string(),
    }
}

/// The segments of a path that carry meaning (no empty or `.` ones).
fn segments(s: &str) -> impl Iterator<Item = &str> {
    s.split(['/', '\\']).filter(|c| !c.is_empty() && *c != ".")
}

fn has_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Checks `s` against the rules of every Path and, given a refinement,
/// its `:under` and `:ext`. `:must-exist` is not checked here. The error
/// is a sentence naming the path and the rule it breaks.
pub fn check_path(s: &str, info: Option<&PathInfo>) -> Result<(), String> {
    match path_problem(s, info) {
        None => Ok(()),
        Some(reason) => match info {
            Some(info) => Err(format!("{s:?} {reason} (as {} requires)", info.name)),
            None => Err(format!("{s:?} {reason}")),
        },
    }
}

/// Why `s` is not a valid path of the refinement `info`: a predicate
/// phrase (`is absolute`, `is not under "docs"`), or `None` if it fits.
pub(super) fn path_problem(s: &str, info: Option<&PathInfo>) -> Option<String> {
    if s.is_empty() {
        return Some("is empty".into());
    }
    if s.contains('\0') {
        return Some("contains a NUL byte".into());
    }
    if s.starts_with('/') || s.starts_with('\\') || has_drive(s) {
        return Some("is absolute; paths are relative to the workspace".into());
    }
    if segments(s).any(|c| c == "..") {
        return Some("has a `..` segment; paths stay inside the workspace".into());
    }
    let info = info?;
    if let Some(under) = &info.under {
        let mut it = segments(s);
        let inside = segments(under).all(|b| it.next() == Some(b)) && it.next().is_some();
        if !inside {
            return Some(format!("is not under {under:?}"));
        }
    }
    if let Some(ext) = &info.ext {
        let bare = ext.strip_prefix('.').unwrap_or(ext);
        let last = if s.ends_with(['/', '\\']) {
            ""
        } else {
            segments(s).last().unwrap_or("")
        };
        let fits = last
            .strip_suffix(bare)
            .and_then(|stem| stem.strip_suffix('.'))
            .is_some_and(|stem| !stem.is_empty());
        if !fits {
            return Some(format!("does not end with .{bare}"));
        }
    }
    None
}

/// Whether `rel` names an existing file or directory under `root`.
pub fn path_exists(root: &Path, rel: &str) -> bool {
    root.join(rel).exists()
}

/// Walks `value` along `ty` and checks that every path of a `:must-exist`
/// refinement exists under `root`. The error names the value's place
/// (`$.plan.doc`) as `from_json` does.
pub fn check_must_exist(
    value: &Value,
    ty: &Type,
    tables: &Tables,
    root: &Path,
) -> Result<(), ShapeError> {
    let mut trail = Trail::default();
    walk(value, ty, tables, root, &mut trail)
}

fn walk<'a>(
    value: &'a Value,
    ty: &Type,
    tables: &Tables,
    root: &Path,
    trail: &mut Trail<'a>,
) -> Result<(), ShapeError> {
    match (ty, value) {
        (Type::Refined(name), Value::Str(s)) => {
            let must = tables.paths.get(name).is_some_and(|p| p.must_exist);
            if must && !path_exists(root, s) {
                return Err(trail.error(
                    format!("an existing path ({name} is :must-exist)"),
                    format!("{:?}, which does not exist", &**s),
                ));
            }
            Ok(())
        }
        (Type::Option(inner), v) if !v.is_none() => walk(v, inner, tables, root, trail),
        (Type::List(elem), Value::List(xs)) => {
            for (i, x) in xs.iter().enumerate() {
                trail.push_index(i);
                walk(x, elem, tables, root, trail)?;
                trail.pop();
            }
            Ok(())
        }
        (Type::Record(name, args), Value::Record(r)) => {
            let Some(info) = tables.records.get(name) else {
                return Ok(());
            };
            for (field, (fname, v)) in info.fields.iter().zip(r.fields.iter()) {
                let fty = field.ty.substitute(&info.type_params, args);
                trail.push_key(fname);
                walk(v, &fty, tables, root, trail)?;
                trail.pop();
            }
            Ok(())
        }
        (Type::Union(name, args), Value::Variant(v)) => {
            let (Some(info), Some(variant)) =
                (tables.unions.get(name), tables.variant(name, &v.variant))
            else {
                return Ok(());
            };
            for (field, (fname, x)) in variant.fields.iter().zip(v.fields.iter()) {
                let fty = field.ty.substitute(&info.type_params, args);
                trail.push_key(fname);
                walk(x, &fty, tables, root, trail)?;
                trail.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
