//! `recur`: it continues the innermost enclosing `loop`, must be in tail
//! position of that loop's body, and gives one value per state variable.
//! E0305 when no loop encloses it; E0304 when it is not in tail position,
//! including when it stands in the loop's `:exhausted` value or a step
//! scope (`for-each`, `parallel`, `retry`, `try`, `phase`, `budget`) lies
//! between it and the loop; E0306 when the number of values differs from
//! the loop's state variables.
//!
//! What holds: the arity is checked only against a loop whose body
//! directly encloses the `recur` (no scope in between), so a `recur` that
//! cannot reach its loop gets one diagnostic, not two.

use super::head_span;
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{Expr, Ident, LoopExpr};

/// An enclosing construct that matters to `recur`.
pub(super) enum Frame<'a> {
    /// The body of a loop.
    Loop(&'a LoopExpr),
    /// The `:exhausted` value of a loop, at this span: it is computed after
    /// the last round, so `recur` there cannot start another.
    Exhausted(&'a LoopExpr, Span),
    /// A step scope: `recur` cannot leave it.
    Scope {
        /// `for-each`, `parallel`, `retry`, `try`, `phase` or `budget`.
        form: &'static str,
        name: Option<&'a Ident>,
        /// The scope's head and name: `(for-each fan`.
        span: Span,
    },
}

impl<'a> Frame<'a> {
    /// The scope of the form `(form name …)` spanning `form_span`.
    pub fn scope(form: &'static str, name: Option<&'a Ident>, form_span: Span) -> Self {
        let head = head_span(form_span, form);
        Frame::Scope {
            form,
            name,
            span: name.map_or(head, |n| head.to(n.span)),
        }
    }
}

/// Checks one `(recur values…)` at `span`, given the frames around it.
pub(super) fn check_recur(
    frames: &[Frame],
    span: Span,
    values: &[Expr],
    tail: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let head = head_span(span, "recur");
    let target = frames.iter().rev().find_map(|f| match f {
        Frame::Loop(lp) | Frame::Exhausted(lp, _) => Some(*lp),
        Frame::Scope { .. } => None,
    });
    let Some(lp) = target else {
        diags.push(
            Diagnostic::error(Code::E0305, head, "`recur` outside a loop")
                .with_primary("there is no enclosing `loop` to continue")
                .with_hint(
                    "`recur` starts the next round of a loop: \
                     `(loop name :max N ((x init)) … (recur next-x))`",
                ),
        );
        return;
    };
    match frames.last() {
        Some(Frame::Scope { form, name, span }) => {
            diags.push(across_scope(head, lp, form, *name, *span));
        }
        Some(Frame::Exhausted(_, value)) => diags.push(in_exhausted(head, lp, *value)),
        _ => {
            if !tail {
                diags.push(not_tail(head, lp));
            }
            if values.len() != lp.state.len() {
                diags.push(wrong_arity(span, values.len(), lp));
            }
        }
    }
}

/// E0304 when the loop's body encloses the `recur` directly.
fn not_tail(head: Span, lp: &LoopExpr) -> Diagnostic {
    Diagnostic::error(
        Code::E0304,
        head,
        format!("`recur` is not in tail position of loop `{}`", lp.name.name),
    )
    .with_primary("something is still to be computed after this `recur`")
    .with_label(lp.name.span, "the loop it continues")
    .with_hint(
        "`recur` must be the last thing a round computes: the last form of the loop body, \
         or of an `if`/`cond`/`match` branch, `let*` or `do` in that position",
    )
}

/// E0304 in the `:exhausted` value of `lp`.
fn in_exhausted(head: Span, lp: &LoopExpr, value: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0304,
        head,
        format!(
            "`recur` in the `:exhausted` value of loop `{}`",
            lp.name.name
        ),
    )
    .with_primary("the loop's rounds are spent here; there is no next one")
    .with_label(value, "computed after the last round")
    .with_label(lp.name.span, "the loop")
    .with_hint(
        "`:exhausted` gives the loop's value once its `:max` rounds are spent: \
         give a value, or `(fail \"…\")`",
    )
}

/// E0304 when a step scope lies between the `recur` and its loop.
fn across_scope(
    head: Span,
    lp: &LoopExpr,
    form: &str,
    name: Option<&Ident>,
    scope_span: Span,
) -> Diagnostic {
    let what = match name {
        Some(n) => format!("`{form} {}`", n.name),
        None => format!("`{form}`"),
    };
    Diagnostic::error(
        Code::E0304,
        head,
        format!(
            "`recur` cannot continue loop `{}` from inside {what}",
            lp.name.name
        ),
    )
    .with_primary(format!("not in tail position of loop `{}`", lp.name.name))
    .with_label(scope_span, format!("`recur` cannot leave this `{form}`"))
    .with_label(lp.name.span, "the loop it would continue")
    .with_hint(format!(
        "bind the result of the `{form}` with `let*`, then `recur` after it, \
         in tail position of loop `{}`",
        lp.name.name
    ))
}

/// E0306: `got` values for the state variables of `lp`.
fn wrong_arity(span: Span, got: usize, lp: &LoopExpr) -> Diagnostic {
    let want = lp.state.len();
    let state_span = match (lp.state.first(), lp.state.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => lp.name.span,
    };
    let names: Vec<&str> = lp.state.iter().map(|b| b.name.name.as_str()).collect();
    let example = if names.is_empty() {
        "(recur)".to_string()
    } else {
        format!("(recur {})", names.join(" "))
    };
    Diagnostic::error(
        Code::E0306,
        span,
        format!(
            "`recur` gives {}, but loop `{}` has {}",
            count(got, "value"),
            lp.name.name,
            count(want, "state variable")
        ),
    )
    .with_primary(format!("{} here", count(got, "value")))
    .with_label(
        state_span,
        format!("this loop has {}", count(want, "state variable")),
    )
    .with_hint(format!(
        "give one new value per state variable, in order: `{example}`"
    ))
}

/// `1 value`, `2 values`, `no values`.
fn count(n: usize, noun: &str) -> String {
    match n {
        0 => format!("no {noun}s"),
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}
