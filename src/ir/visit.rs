//! Questions the IR builder asks of typed expressions: whether a tree
//! contains effects, whether it recurs, and which locals it reads. The
//! traversal itself (`children`, `children_mut`) is the typed AST's own.

use crate::typeck::typed::{LocalId, Ref, TExpr, TExprKind};
pub use crate::typeck::typed::{children, children_mut};

/// Whether evaluating `e` may do anything but compute a value: run a step,
/// enter a structured control node, fail, or apply a function value (which
/// may be a workflow). `recur` is not an effect: see `recurs`.
pub fn has_effects(e: &TExpr) -> bool {
    let own = matches!(
        e.kind,
        TExprKind::Command(_)
            | TExprKind::Provider(_)
            | TExprKind::Human(_)
            | TExprKind::Call(_)
            | TExprKind::ApplyValue { .. }
            | TExprKind::ForEach(_)
            | TExprKind::Parallel(_)
            | TExprKind::Retry(_)
            | TExprKind::Try(_)
            | TExprKind::Phase { .. }
            | TExprKind::Budget { .. }
            | TExprKind::Fail(_)
            | TExprKind::Assert { .. }
    );
    if own {
        return true;
    }
    let mut found = false;
    children(e, &mut |c| found = found || has_effects(c));
    found
}

/// Whether `e` contains a `recur` of the loop it is in (not one of a loop
/// nested inside it).
pub fn recurs(e: &TExpr) -> bool {
    match &e.kind {
        TExprKind::Recur(_) => true,
        TExprKind::Loop(_) => false,
        _ => {
            let mut found = false;
            children(e, &mut |c| found = found || recurs(c));
            found
        }
    }
}

/// Every local `e` reads, in first-read order, without duplicates.
pub fn locals_read(e: &TExpr, out: &mut Vec<LocalId>) {
    if let TExprKind::Var(Ref::Local { id, .. }) = &e.kind
        && !out.contains(id)
    {
        out.push(*id);
    }
    children(e, &mut |c| locals_read(c, out));
}
