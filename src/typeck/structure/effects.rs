//! Purity of `defn` (E0301): a function computes a value from its
//! arguments and does nothing else. The effects it may not contain are the
//! steps (`command`, `provider`, `human`, `call`) and the step scopes
//! (`retry`, `parallel`, `budget`, `phase`, `for-each`). `loop`/`recur`,
//! `try`, `fail` and `assert` are pure and allowed.
//!
//! What holds: `in_pure_fn` answers for one node only and never looks at
//! children; the walker decides which effects to report (the outermost).

use super::head_span;
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Expr, ExprKind, Ident};

/// The E0301 report for `e` inside the pure function `defn`, or `None` when
/// `e` itself is not an effect.
pub(super) fn in_pure_fn(e: &Expr, defn: &Ident) -> Option<Diagnostic> {
    let (form, span, what) = describe(e)?;
    let hint = if form == "for-each" {
        format!(
            "a `defn` only computes values: to transform a list here, use `(map f xs)` or \
             `(filter f xs)`; or move the `for-each` into a `defworkflow` and pass its result \
             to `{}`",
            defn.name
        )
    } else {
        format!(
            "a `defn` only computes values: move the `{form}` into a `defworkflow` and pass \
             its result to `{}` as an argument",
            defn.name
        )
    };
    Some(
        Diagnostic::error(
            Code::E0301,
            span,
            format!("effect `{form}` inside the pure function `{}`", defn.name),
        )
        .with_primary(what)
        .with_label(defn.span, "in this pure function")
        .with_hint(hint),
    )
}

/// The form's name, the span of its head (and name, if it has one), and
/// what it does.
fn describe(e: &Expr) -> Option<(&'static str, Span, String)> {
    let head = |form: &str| head_span(e.span, form);
    let named = |form: &str, name: &Ident| head(form).to(name.span);
    Some(match &e.kind {
        ExprKind::Command(_) => ("command", head("command"), "runs a command".into()),
        ExprKind::Provider(step) => (
            "provider",
            named("provider", &step.provider),
            format!("asks the provider `{}`", step.provider.name),
        ),
        ExprKind::Human(_) => (
            "human",
            head("human"),
            "asks a human, which pauses the run".into(),
        ),
        ExprKind::Call(step) => (
            "call",
            named("call", &step.workflow),
            format!("runs the workflow `{}`", step.workflow.name),
        ),
        ExprKind::Retry(rt) => (
            "retry",
            named("retry", &rt.name),
            "retries the steps inside".into(),
        ),
        ExprKind::Parallel(_) => (
            "parallel",
            head("parallel"),
            "runs steps concurrently".into(),
        ),
        ExprKind::Budget(_) => (
            "budget",
            head("budget"),
            "caps what the steps inside spend".into(),
        ),
        ExprKind::Phase { name, .. } => (
            "phase",
            named("phase", name),
            "marks a boundary in runs and reports".into(),
        ),
        ExprKind::ForEach(fe) => (
            "for-each",
            named("for-each", &fe.name),
            "runs its body as steps, once per element".into(),
        ),
        _ => return None,
    })
}
