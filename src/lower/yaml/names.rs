//! Names in the emitted YAML. Step names are the wfl names they come from
//! (`write-design`, `review-fix`), made unique per file by the step-id
//! path (`reviewing/review`) and then a number (`if-2`); `id`s, artifact,
//! input and import names are the same words in snake case (`review_fix`,
//! `open_questions`), since the DSL requires `^[A-Za-z][A-Za-z0-9_]*$`
//! for ids. Nothing here is longer than the source names it is made of.

use std::collections::HashSet;

/// Hands out names unique within one file.
#[derive(Debug, Default, Clone)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    /// `base`, else `alt` (a longer, still readable form), else `base-2`, ….
    pub fn fresh(&mut self, base: &str, alt: Option<&str>) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        if let Some(alt) = alt
            && self.used.insert(alt.to_string())
        {
            return alt.to_string();
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.used.insert(c.clone()))
            .unwrap_or_default()
    }

    /// Marks `name` as taken.
    pub fn take(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }
}

/// `open-questions` → `open_questions`; `serious?` → `serious`; a leading
/// digit or nothing at all gets an `x` in front.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'x');
    }
    out
}

/// A step id from a step name: snake case, unique within the file.
pub fn step_id(ids: &mut Namer, name: &str) -> String {
    let base = snake(name);
    if ids.used.insert(base.clone()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| ids.used.insert(c.clone()))
        .unwrap_or_default()
}

/// Words jq reserves; a variable or function named so gets a `_` suffix.
const JQ_RESERVED: &[&str] = &[
    "and",
    "or",
    "not",
    "if",
    "then",
    "elif",
    "else",
    "end",
    "as",
    "def",
    "reduce",
    "foreach",
    "try",
    "catch",
    "label",
    "import",
    "include",
    "__loc__",
    "input",
    "inputs",
    "empty",
    "error",
    "length",
    "keys",
    "map",
    "select",
    "tostring",
    "tojson",
    "join",
    "split",
    "range",
    "reverse",
    "round",
    "trunc",
    "test",
    "sub",
    "type",
    "contains",
    "startswith",
    "endswith",
    "implode",
    "explode",
    "ascii_upcase",
    "ascii_downcase",
    "min",
    "max",
    "add",
    "has",
    "null",
    "true",
    "false",
];

/// A jq identifier for a wfl name: `criterion-line` → `criterion_line`,
/// `serious?` → `serious`, never a jq keyword or a built-in the generated
/// code calls.
pub fn jq_ident(name: &str) -> String {
    let mut s = snake(name);
    if s.starts_with('x') && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.replace_range(0..1, "_");
    }
    if JQ_RESERVED.contains(&s.as_str()) {
        s.push('_');
    }
    if s == "_" {
        // `$_` is the back end's own discard variable.
        s.push('v');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_readable_and_unique() {
        let mut n = Namer::default();
        assert_eq!(n.fresh("review", None), "review");
        assert_eq!(
            n.fresh("review", Some("reviewing/review")),
            "reviewing/review"
        );
        assert_eq!(n.fresh("review", Some("reviewing/review")), "review-2");
        assert_eq!(snake("open-questions"), "open_questions");
        assert_eq!(snake("serious?"), "serious");
        assert_eq!(snake("2x"), "x2x");
        assert_eq!(jq_ident("criterion-line"), "criterion_line");
        assert_eq!(jq_ident("not"), "not_");
        let mut ids = Namer::default();
        assert_eq!(step_id(&mut ids, "review-fix"), "review_fix");
        assert_eq!(step_id(&mut ids, "review_fix"), "review_fix_2");
    }
}
