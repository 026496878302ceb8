//! The standard library: the `.wfl` modules of `stdlib/`, embedded in the
//! binary at build time, so `(import "std/review" …)` needs no files on
//! disk. Diagnostics show them as `<std/review>`.

/// Every standard module: its name after `std/` and its source.
pub const MODULES: &[(&str, &str)] = &[
    ("retry", include_str!("../../stdlib/retry.wfl")),
    ("review", include_str!("../../stdlib/review.wfl")),
    ("stack", include_str!("../../stdlib/stack.wfl")),
    ("text", include_str!("../../stdlib/text.wfl")),
];

/// The source of `std/NAME`.
pub fn source(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The names of every standard module (`review`, …), for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    MODULES.iter().map(|(n, _)| *n)
}
