//! Builders of the checker's most common diagnostics: type mismatches
//! (E0213, E0214) with hints for the usual conversions, and unknown names
//! with a "did you mean". Types are printed with their variables solved as
//! far as known; a mismatch involving an already-invalid type is not
//! reported (it is a consequence of an earlier error).

use super::Checker;
use crate::diag::{Code, Diagnostic, Span, did_you_mean};
use crate::typeck::types::Type;

/// A hint for the usual ways to turn `found` into `expected`.
fn conversion_hint(expected: &Type, found: &Type) -> Option<String> {
    Some(match (expected, found) {
        (Type::Path | Type::Refined(_), Type::String) => {
            "turn a computed String into a path with `(path s)`; it is checked at run time".into()
        }
        (Type::String, Type::Path | Type::Refined(_)) => {
            "a path becomes a String with `(str p)`".into()
        }
        (Type::Refined(p), Type::Path | Type::Refined(_)) => {
            format!("a path becomes a `{p}` with `(path p)`, checked at run time")
        }
        (Type::Float, Type::Int) => "convert with `(to-float n)`".into(),
        (Type::Int, Type::Float) => "convert with `(round x)`".into(),
        (Type::String, Type::Int | Type::Float | Type::Bool) => {
            "format it with `(str x)` or `(fmt \"…{x}…\")`".into()
        }
        (Type::Option(inner), t) if **inner == *t => "wrap the value: `(some x)`".into(),
        (t, Type::Option(inner)) if **inner == *t => {
            "take the value out with `(unwrap-or o default)`".into()
        }
        (Type::Json, _) => "convert a value to Json with `(to-json x)`".into(),
        _ => return None,
    })
}

/// E0213 for `found` where `expected` is wanted, or `None` when either type
/// already comes from an error.
pub fn mismatch(
    cx: &Checker,
    span: Span,
    expected: &Type,
    found: &Type,
    because: Option<Span>,
) -> Option<Diagnostic> {
    let expected = cx.zonk(expected);
    let found = cx.zonk(found);
    if expected.has_invalid() || found.has_invalid() {
        return None;
    }
    let mut d = Diagnostic::error(
        Code::E0213,
        span,
        format!("expected `{expected}`, found `{found}`"),
    )
    .with_primary(format!("this has type `{found}`"))
    .with_opt_hint(conversion_hint(&expected, &found));
    if let Some(b) = because {
        d = d.with_label(b, "expected because of this");
    }
    Some(d)
}

/// E0214: a condition that is not Bool.
pub fn not_bool(cx: &Checker, span: Span, found: &Type) -> Option<Diagnostic> {
    let found = cx.zonk(found);
    if found.has_invalid() {
        return None;
    }
    let hint = match &found {
        Type::Option(_) => Some("test an option with `(is-some o)`".to_string()),
        Type::List(_) => Some("test a list with `(empty? xs)`".to_string()),
        Type::Int | Type::String => Some("compare it: `(= x …)`".to_string()),
        _ => None,
    };
    Some(
        Diagnostic::error(
            Code::E0214,
            span,
            format!("a condition must be `Bool`, found `{found}`"),
        )
        .with_primary(format!("this has type `{found}`"))
        .with_opt_hint(hint),
    )
}

/// An unknown name of some kind (`what`: "name", "field", …), with a "did
/// you mean" among `candidates`, or else (for the fields, variants, members
/// or parameters of one thing) the list of them when it is short.
pub fn unknown<'c>(
    code: Code,
    span: Span,
    what: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Diagnostic {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let hint = did_you_mean(name, candidates.iter().copied()).or_else(|| {
        // Listing helps for the members of one type, not for all names.
        let members = matches!(what, "field" | "variant" | "member" | "parameter");
        (members && !candidates.is_empty() && candidates.len() <= 8).then(|| {
            let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
            let plural = if candidates.len() == 1 { "" } else { "s" };
            format!("the {what}{plural} here: {}", list.join(", "))
        })
    });
    Diagnostic::error(code, span, format!("unknown {what} `{name}`"))
        .with_primary(format!("no such {what}"))
        .with_opt_hint(hint)
}
