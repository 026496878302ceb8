//! Bounds: every `loop` has `:max` (E0307), every `for-each` a `:limit`
//! (E0308), every `retry` its `:attempts` (E0309), every `budget` a
//! `:tokens` or `:usd` cap (E0311). A bound written as a literal must be a
//! whole number of at least 1 (E0310: `:max`, `:limit`, `:attempts`,
//! parallel `:limit`, `:tokens`); a literal `:usd` must be a number above 0
//! (E0311).
//!
//! What holds: only literals are judged here. A bound computed from a name
//! or an expression is left to the type checker (it must be an Int) and to
//! the runtime (it must be positive).

use super::head_span;
use crate::diag::{Code, Diagnostic, Span};
use crate::parser::ast::{
    BudgetExpr, Expr, ExprKind, ForEachExpr, LoopExpr, ParallelExpr, RetryExpr,
};

/// E0307 and E0310 for a loop's `:max`.
pub(super) fn loop_max(lp: &LoopExpr, diags: &mut Vec<Diagnostic>) {
    match &lp.max {
        Some(max) => positive_int(max, "max", "the most rounds the loop runs", diags),
        None => diags.push(
            Diagnostic::error(
                Code::E0307,
                lp.name.span,
                format!("loop `{}` has no `:max`", lp.name.name),
            )
            .with_primary("this loop is unbounded")
            .with_hint(format!(
                "every loop is bounded: add the most rounds it may run, \
                 as in `(loop {} :max 3 …)`, and `:exhausted` for its value when they are spent",
                lp.name.name
            )),
        ),
    }
}

/// E0308 and E0310 for a for-each's `:limit`.
pub(super) fn for_each_limit(fe: &ForEachExpr, diags: &mut Vec<Diagnostic>) {
    match &fe.limit {
        Some(limit) => positive_int(limit, "limit", "the most elements in flight at once", diags),
        None => diags.push(
            Diagnostic::error(
                Code::E0308,
                fe.name.span,
                format!("for-each `{}` has no `:limit`", fe.name.name),
            )
            .with_primary("this fan-out is unbounded")
            .with_hint(format!(
                "every fan-out is bounded: add `:limit N`, as in `(for-each {} ({} …) :limit 4 …)`",
                fe.name.name, fe.var.name
            )),
        ),
    }
}

/// E0310 for a parallel's optional `:limit`.
pub(super) fn parallel_limit(par: &ParallelExpr, diags: &mut Vec<Diagnostic>) {
    if let Some(limit) = &par.limit {
        positive_int(limit, "limit", "the most branches in flight at once", diags);
    }
}

/// E0309 and E0310 for a retry's `:attempts`.
pub(super) fn retry_attempts(rt: &RetryExpr, diags: &mut Vec<Diagnostic>) {
    match &rt.attempts {
        Some(attempts) => positive_int(
            attempts,
            "attempts",
            "how many times the body may run in all",
            diags,
        ),
        None => diags.push(
            Diagnostic::error(
                Code::E0309,
                rt.name.span,
                format!("retry `{}` has no `:attempts`", rt.name.name),
            )
            .with_primary("this retry is unbounded")
            .with_hint(format!(
                "add how many times the body may run in all, as in `(retry {} :attempts 3 …)`",
                rt.name.name
            )),
        ),
    }
}

/// E0311 for a budget without a cap or with a `:usd` literal that is not
/// above 0, and E0310 for its `:tokens`.
pub(super) fn budget_caps(bg: &BudgetExpr, span: Span, diags: &mut Vec<Diagnostic>) {
    if bg.tokens.is_none() && bg.usd.is_none() {
        diags.push(
            Diagnostic::error(
                Code::E0311,
                head_span(span, "budget"),
                "`budget` without a cap",
            )
            .with_primary("neither `:tokens` nor `:usd` is given")
            .with_hint(
                "give a hard cap: `:tokens N`, `:usd X` or both, \
                     as in `(budget :tokens 200000 :usd 5.0 …)`",
            ),
        );
    }
    if let Some(tokens) = &bg.tokens {
        positive_int(
            tokens,
            "tokens",
            "the most tokens the steps inside may use",
            diags,
        );
    }
    let Some(usd) = &bg.usd else { return };
    let problem = match &usd.kind {
        ExprKind::Int(n) if *n <= 0 => Some(format!("`{n}` is not above 0")),
        ExprKind::Float(x) if *x <= 0.0 => Some(format!("`{x:?}` is not above 0")),
        ExprKind::Str(_) => Some("this is a string, not a number".to_string()),
        ExprKind::Bool(_) => Some("this is a Bool, not a number".to_string()),
        _ => None,
    };
    if let Some(problem) = problem {
        diags.push(
            Diagnostic::error(Code::E0311, usd.span, "`:usd` cap is not a positive amount")
                .with_primary(problem)
                .with_hint(
                    "`:usd` is the most dollars the steps inside may spend, \
                     a number above 0 such as `5.0`",
                ),
        );
    }
}

/// E0310 when the literal value of `:key` is not an Int of at least 1.
/// `meaning` says what the bound is, for the hint.
fn positive_int(value: &Expr, key: &str, meaning: &str, diags: &mut Vec<Diagnostic>) {
    let (problem, example) = match &value.kind {
        ExprKind::Int(n) if *n < 1 => (format!("`{n}` is less than 1"), 1),
        ExprKind::Float(x) => {
            let whole = if x.is_finite() && x.fract() == 0.0 && *x >= 1.0 && *x <= 1e15 {
                *x as i64
            } else {
                3
            };
            ("this is a Float, not an Int".to_string(), whole)
        }
        ExprKind::Str(_) => ("this is a string, not an Int".to_string(), 3),
        ExprKind::Bool(_) => ("this is a Bool, not an Int".to_string(), 3),
        _ => return,
    };
    diags.push(
        Diagnostic::error(
            Code::E0310,
            value.span,
            format!("`:{key}` must be a whole number of at least 1"),
        )
        .with_primary(problem)
        .with_hint(format!(
            "`:{key}` is {meaning}: write e.g. `:{key} {example}`"
        )),
    );
}
